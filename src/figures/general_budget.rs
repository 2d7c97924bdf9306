//! 五、一般公共预算财政拨款支出决算情况：支出合计、占本年支出合计的比例、与上年相比、按功能
//! 分类“类”的结构，预算数合计与完成预算，以及逐“项”的决算数、预算数与完成预算。

use super::{
    GeneralBudgetDoc, ItemDoc, Line, Maker, Operand, Totals, clause, given_amount, label, path_of,
};
use crate::form::CompletionBase;
use crate::model::Bureau;

pub(super) fn doc(
    m: &mut Maker,
    b: &Bureau,
    t: &Totals,
    spending_total: &Operand,
) -> GeneralBudgetDoc {
    let items = &b.appropriation.general_budget.items;
    let item_ops: Vec<Operand> = items
        .iter()
        .map(|i| Operand::derived(format!("{} {}", i.code.value, i.name), i.actual()))
        .collect();
    let gb_total = m.total(
        "general_budget.total",
        "一般公共预算财政拨款支出",
        t.general_budget,
        &item_ops,
    );
    let classes: Vec<Line> = b
        .headings(items, 3)
        .into_iter()
        .enumerate()
        .map(|(n, h)| {
            let parts: Vec<Operand> = items
                .iter()
                .zip(&item_ops)
                .filter(|(i, _)| i.code.value.starts_with(&h.code))
                .map(|(_, o)| o.clone())
                .collect();
            // The 类 as its table (一般公共预算财政拨款支出决算表) prints it.
            let sum = parts.iter().map(|p| p.value).sum();
            // Its 尾差 counts the 项 it adds up, as rule R009 does.
            let given = parts.iter().filter(|p| !p.value.is_zero()).count();
            let declared = crate::model::declared_of(&b.general_budget.declared_subtotals, &h.code);
            let class = m.total(
                &format!("general_budget.classes[{n}].amount"),
                &h.name,
                b.printed_total(declared, sum, given).unwrap_or(sum),
                &parts,
            );
            Line {
                label: h.name.clone(),
                amount: m.style.money(class.value),
                share: m.share(
                    &format!("general_budget.classes[{n}].share"),
                    &class,
                    &gb_total,
                ),
            }
        })
        .collect();
    // The completion is against the form's base: the 调整后预算 or the 年初预算.
    let base = b.identity.form.policy.completion_base;
    let what = match base {
        CompletionBase::Adjusted => "预算数",
        CompletionBase::Initial => "年初预算数",
    };
    let budget_ops: Vec<Operand> = items
        .iter()
        .map(|i| match i.budget_base(base) {
            Some(bu) => Operand::fact(format!("{} {what}", i.code.value), bu),
            None => Operand::derived(
                format!("{} {what}（未填，按决算数）", i.code.value),
                i.actual(),
            ),
        })
        .collect();
    // 项 with a budget and no spending are not listed, yet their budget is in the total.
    let all_budget_ops: Vec<Operand> = budget_ops
        .iter()
        .cloned()
        .chain(
            b.appropriation
                .general_budget
                .unlisted
                .iter()
                .filter_map(|i| {
                    let bu = i.budget_base(base)?;
                    Some(Operand::fact(
                        format!("{} {what}（无支出，不列示）", i.code.value),
                        bu,
                    ))
                }),
        )
        .collect();
    let total_label = format!("一般公共预算财政拨款{what}");
    let gb_budget = match &b.general_budget.declared_budget {
        Some(declared) => m.total(
            "general_budget.budget",
            &total_label,
            declared.value,
            &all_budget_ops,
        ),
        None => m.sum("general_budget.budget", &total_label, &all_budget_ops),
    };
    let item_docs: Vec<ItemDoc> = items
        .iter()
        .zip(item_ops.iter().zip(&budget_ops))
        .enumerate()
        .map(|(n, (i, (actual, budget)))| ItemDoc {
            code: i.code.value.clone(),
            path: path_of(b, &i.code.value, &i.name),
            actual: m.money(
                &format!("general_budget.items[{n}].actual"),
                actual,
                "基本支出 + 项目支出",
            ),
            budget: m.style.money(budget.value),
            completion: m.completion(
                &format!("general_budget.items[{n}].completion"),
                actual,
                budget,
            ),
            reason: clause(&i.reason.value),
            purpose: clause(&i.purpose.value),
        })
        .collect();
    GeneralBudgetDoc {
        total: m.style.money(gb_total.value),
        share_of_spending: m.share(
            "general_budget.share_of_spending",
            &gb_total,
            spending_total,
        ),
        change: m.given_change(
            "general_budget.change",
            Some(&gb_total),
            given_amount(label("prior_year.general_budget"), &b.prior.general_budget).as_ref(),
        ),
        reason: clause(&b.prior.general_budget_reason.value),
        classes,
        budget: m.style.money(gb_budget.value),
        budget_reason: clause(&b.general_budget.budget_reason.value),
        completion: m.completion("general_budget.completion", &gb_total, &gb_budget),
        items: item_docs,
    }
}
