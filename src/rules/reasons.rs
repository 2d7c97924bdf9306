//! 必填的原因说明与上年对比数（R015、R023）。
//!
//! The 说明 explains every change it reports and every 决算 that differs from its 预算. Where the
//! figures differ, the reason is required; where they are equal, a reason is optional (the seed
//! documents still give one for “持平”).

use super::codes;
use crate::arith::{money_text, printed};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::form::CompletionBase;
use crate::form::ThreePublicReasons;
use crate::model::Totals;
use crate::model::{Amount, Bureau, Text};
use crate::money::Money;
use crate::schema;

/// How messages name a declared fact (`crate::schema::label`).
fn label(key: &str) -> String {
    schema::label(key).unwrap_or_else(|| panic!("{key} is not declared in src/schema/"))
}

/// The label of the fact a reason key explains (`prior_year.total_reason` → 收、支总计).
fn explained(reason: &str) -> &'static str {
    match schema::companion_of(reason) {
        Some((n, schema::Role::Reason)) => n.label,
        _ => panic!("{reason} is no reason declared in src/schema/named.rs"),
    }
}

pub(super) fn check(b: &Bureau, totals: &Totals, d: &mut Diagnostics) {
    let p = &b.prior;
    for (fact, key) in [
        (&p.total, "prior_year.total"),
        (&p.appropriation_total, "prior_year.appropriation_total"),
        (&p.general_budget, "prior_year.general_budget"),
        (&b.running_costs.prior, "running_costs.prior"),
    ] {
        if fact.loc.is_none() {
            let what = label(key);
            d.push(
                Diagnostic::of(codes::PRIOR_MISSING, format!("缺少{what}"))
                    .about(key)
                    .hint("说明要与上年比较增减；请填写这一项，上年确实为 0 的写 0。"),
            );
        }
    }

    // 三公: the 说明 compares each category with its prior and its budget. Once any 三公 figure is
    // given, a missing one would print as "上年为 0": ask for it.
    let t = &b.three_public;
    let v = &t.vehicle;
    let r = &t.reception;
    let three_public = [
        &t.overseas.actual,
        &t.overseas.budget,
        &t.overseas.prior,
        &v.purchase_budget,
        &v.purchase_prior,
        &v.running_actual,
        &v.running_budget,
        &v.running_prior,
        &r.budget,
        &r.prior,
        &r.domestic.actual,
        &r.foreign.actual,
    ];
    let anchor = three_public.iter().find_map(|a| a.loc.as_ref());
    if anchor.is_some() || !v.purchases.is_empty() {
        for (fact, key) in [
            (&t.overseas.prior, "three_public.overseas.prior"),
            (&t.overseas.budget, "three_public.overseas.budget"),
            (&v.purchase_prior, "three_public.vehicle.purchase_prior"),
            (&v.purchase_budget, "three_public.vehicle.purchase_budget"),
            (&v.running_prior, "three_public.vehicle.running_prior"),
            (&v.running_budget, "three_public.vehicle.running_budget"),
            (&r.prior, "three_public.reception.prior"),
            (&r.budget, "three_public.reception.budget"),
        ] {
            if fact.loc.is_none() {
                let what = label(key);
                d.push(
                    Diagnostic::of(codes::PRIOR_MISSING, format!("“三公”经费缺少{what}"))
                        .at_opt(anchor)
                        .about(key)
                        .hint(
                            "说明要把“三公”经费各项与上年、与预算比较；请填写这一项，确实为 0 的写 0。",
                        ),
                );
            }
        }
    }

    // The budget the form's completion is against (调整后 or 年初).
    let base = b.identity.form.policy.completion_base;
    for item in &b.appropriation.general_budget.items {
        if item.budget_base(base).is_none() {
            let (what, hint) = match base {
                CompletionBase::Adjusted => (
                    "预算数 budget",
                    "说明第五部分要写“完成预算…%”；填写调整后的预算数。",
                ),
                CompletionBase::Initial => (
                    "年初预算数 initial_budget",
                    "本表式按年初预算写“年初预算为…万元”“完成年初预算的…%”；填写该项的年初预算数（工作簿“功能分类支出”表的“年初预算数”列）。",
                ),
            };
            d.push(
                Diagnostic::of(
                    codes::PRIOR_MISSING,
                    format!(
                        "一般公共预算科目 {} {} 缺少{what}",
                        item.code.value, item.name
                    ),
                )
                .at_opt(item.code.loc.as_ref())
                .hint(hint),
            );
        }
    }

    let mut need = |reason: &Text, key: &str, what: String, anchor: Option<&Amount>| {
        if reason.value.is_empty() {
            d.push(
                Diagnostic::of(codes::REASON, format!("{what}，须说明原因，但未填写原因"))
                    .at_opt(anchor.and_then(|a| a.loc.as_ref()))
                    .about(key)
                    .hint("写明主要原因（不必写“主要原因是”，模板会加上）。"),
            );
        }
    };
    let differs = |a: Money, b: Money| printed(a) != printed(b);
    let change = |what: &str, cur: Money, prior: Money| {
        format!(
            "{what}本年 {} 万元、上年 {} 万元，有增减",
            money_text(cur),
            money_text(prior)
        )
    };

    if differs(totals.income_grand, p.total.value) {
        need(
            &p.total_reason,
            "prior_year.total_reason",
            change(
                explained("prior_year.total_reason"),
                totals.income_grand,
                p.total.value,
            ),
            Some(&p.total),
        );
    }
    if differs(totals.appropriation_grand, p.appropriation_total.value) {
        need(
            &p.appropriation_reason,
            "prior_year.appropriation_reason",
            change(
                explained("prior_year.appropriation_reason"),
                totals.appropriation_grand,
                p.appropriation_total.value,
            ),
            Some(&p.appropriation_total),
        );
    }
    if differs(totals.general_budget, p.general_budget.value) {
        need(
            &p.general_budget_reason,
            "prior_year.general_budget_reason",
            change(
                explained("prior_year.general_budget_reason"),
                totals.general_budget,
                p.general_budget.value,
            ),
            Some(&p.general_budget),
        );
    }
    for item in &b.appropriation.general_budget.items {
        if let Some(budget) = item.budget_base(base) {
            if differs(item.actual(), budget.value) {
                need(
                    &item.reason,
                    &format!("科目 {} 的 reason", item.code.value),
                    format!(
                        "{} {} 决算 {} 万元 ≠ 预算 {} 万元",
                        item.code.value,
                        item.name,
                        money_text(item.actual()),
                        money_text(budget.value)
                    ),
                    Some(budget),
                );
            }
        }
    }
    let t = &b.three_public;
    let o = &t.overseas;
    let v = &t.vehicle;
    let r = &t.reception;
    let overseas_differs =
        differs(o.actual.value, o.prior.value) || differs(o.actual.value, o.budget.value);
    let vehicle_differs = differs(totals.vehicle_actual, totals.vehicle_prior)
        || differs(totals.vehicle_actual, totals.vehicle_budget);
    let reception_differs = differs(totals.reception_actual, r.prior.value)
        || differs(totals.reception_actual, r.budget.value);
    let policy = b.identity.form.policy.three_public_reasons;
    // Under `one`, the total's reason explains the categories' changes too, even when they
    // cancel out in the total.
    let one_explains_items = policy == ThreePublicReasons::One
        && (overseas_differs || vehicle_differs || reception_differs);
    let total_differs = differs(totals.three_public_actual, totals.three_public_budget)
        || differs(totals.three_public_actual, totals.three_public_prior);
    if total_differs || one_explains_items {
        let mut what = format!(
            "“三公”经费决算 {} 万元，预算 {} 万元，上年 {} 万元",
            money_text(totals.three_public_actual),
            money_text(totals.three_public_budget),
            money_text(totals.three_public_prior)
        );
        if !total_differs {
            what.push_str("，其中各项有增减（本表式只写一条总的原因）");
        }
        need(
            &t.reason,
            "three_public.reason",
            what,
            t.declared_actual.as_ref(),
        );
    }
    // The form decides whether the categories need reasons of their own. By default one reason
    // for the whole “三公” may stand for its items (Shanghai packages write one sentence when
    // nothing was spent); an item's own reason is asked for only without it.
    let per_item = match policy {
        ThreePublicReasons::OneOrPerItem => t.reason.value.is_empty(),
        ThreePublicReasons::PerItem => true,
        ThreePublicReasons::One => false,
    };
    if per_item && overseas_differs {
        need(
            &o.reason,
            "three_public.overseas.reason",
            format!(
                "{}决算与预算或上年不同",
                explained("three_public.overseas.reason")
            ),
            Some(&o.actual),
        );
    }
    if per_item && vehicle_differs {
        need(
            &v.reason,
            "three_public.vehicle.reason",
            format!(
                "{}决算与预算或上年不同",
                explained("three_public.vehicle.reason")
            ),
            Some(&v.running_actual),
        );
    }
    if per_item && reception_differs {
        need(
            &r.reason,
            "three_public.reception.reason",
            format!(
                "{}决算与预算或上年不同",
                explained("three_public.reception.reason")
            ),
            Some(&r.budget),
        );
    }
    let rc = &b.running_costs;
    if differs(rc.actual.value, rc.prior.value) {
        need(
            &rc.reason,
            "running_costs.reason",
            change(
                explained("running_costs.reason"),
                rc.actual.value,
                rc.prior.value,
            ),
            Some(&rc.actual),
        );
    }
}
