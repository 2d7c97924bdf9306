//! “三公”经费的合计关系与金额、次数的一致性（R011、R012、R016），以及一项都没有填（R051）。

use super::{Part, check_declared, codes};
use crate::arith::money_text;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Totals;
use crate::model::{Amount, Bureau, Count};

pub(super) fn check(b: &Bureau, totals: &Totals, d: &mut Diagnostics) {
    let t = &b.three_public;
    if !b.three_public_given() {
        absent(b, d);
        return;
    }
    let v = &t.vehicle;
    let r = &t.reception;
    if let Some(declared) = &t.declared_actual {
        let parts = [
            Part::fact("因公出国（境）费", &t.overseas.actual),
            Part::derived("公务用车购置及运行维护费", totals.vehicle_actual),
            Part::derived("公务接待费", totals.reception_actual),
        ];
        check_declared(
            d,
            b,
            codes::THREE_PUBLIC_TOTAL,
            "“三公”经费决算合计",
            declared,
            "三项之和",
            &parts,
        );
    }
    if let Some(declared) = &t.declared_budget {
        let parts = [
            Part::fact("因公出国（境）费预算", &t.overseas.budget),
            Part::fact("公务用车购置费预算", &v.purchase_budget),
            Part::fact("公务用车运行维护费预算", &v.running_budget),
            Part::fact("公务接待费预算", &r.budget),
        ];
        check_declared(
            d,
            b,
            codes::THREE_PUBLIC_TOTAL,
            "“三公”经费预算合计",
            declared,
            "各项预算之和",
            &parts,
        );
    }
    if let Some(declared) = &t.declared_prior {
        let parts = [
            Part::fact("上年因公出国（境）费", &t.overseas.prior),
            Part::fact("上年公务用车购置费", &v.purchase_prior),
            Part::fact("上年公务用车运行维护费", &v.running_prior),
            Part::fact("上年公务接待费", &r.prior),
        ];
        check_declared(
            d,
            b,
            codes::THREE_PUBLIC_TOTAL,
            "“三公”经费上年合计",
            declared,
            "各项上年数之和",
            &parts,
        );
    }
    if let Some(declared) = &v.declared_actual {
        let parts = [
            Part::derived("公务用车购置费", v.purchase_actual()),
            Part::fact("公务用车运行维护费", &v.running_actual),
        ];
        check_declared(
            d,
            b,
            codes::VEHICLE_TOTAL,
            "公务用车购置及运行维护费",
            declared,
            "购置费与运行维护费之和",
            &parts,
        );
    }

    counts(
        d,
        "因公出国（境）费",
        &t.overseas.actual,
        &[("团组数", &t.overseas.groups), ("人次", &t.overseas.people)],
    );
    for p in &v.purchases {
        counts(
            d,
            &format!("{}购置费", p.kind.value),
            &p.amount,
            &[("购置辆数", &p.count)],
        );
    }
    counts(
        d,
        "国内公务接待费",
        &r.domestic.actual,
        &[("批次", &r.domestic.batches), ("人次", &r.domestic.people)],
    );
    counts(
        d,
        "外事接待费",
        &r.foreign.actual,
        &[("批次", &r.foreign.batches), ("人次", &r.foreign.people)],
    );
}

/// Spending with no count, or counts with no spending: one of them is probably a slip.
fn counts(d: &mut Diagnostics, label: &str, amount: &Amount, counts: &[(&str, &Count)]) {
    for (what, count) in counts {
        let spent = !amount.value.is_zero();
        let counted = count.value > 0;
        if spent == counted {
            continue;
        }
        let (message, at) = if spent {
            (
                format!("{label} {} 万元，但{what}为 0", money_text(amount.value)),
                count.loc.as_ref().or(amount.loc.as_ref()),
            )
        } else {
            (
                format!("{what}为 {}，但{label}为 0", count.value),
                count.loc.as_ref(),
            )
        };
        d.push(
            Diagnostic::of(codes::COUNTS, message)
                .at_opt(at)
                .hint("核对金额与次数、人数：有支出必有次数，反之亦然。"),
        );
    }
}

/// R051 (warning): no “三公” fact at all. The 说明 leaves its “三公” part out rather than print
/// “0万元”“0辆” the input never gave; a department with no such spending types its zeros.
fn absent(b: &Bureau, d: &mut Diagnostics) {
    if b.identity.document != crate::model::Document::FinalAccounts {
        return;
    }
    d.push(
        Diagnostic::of(
            codes::THREE_PUBLIC_ABSENT,
            "没有填写任何“三公”经费事实：说明略去“三公”经费支出决算情况（不印没有填的 0）",
        )
        .about("three_public.overseas.actual")
        .hint_by_input(
            "在 [three_public.overseas]、[three_public.vehicle]、[three_public.reception.domestic] 等表中填写决算数、预算数与上年数；确实没有“三公”经费的，各项写 0，说明照印“0万元”。",
            "在“三公经费”表中填写各项的决算数、预算数与上年数；确实没有“三公”经费的，各项填 0，说明照印“0万元”。",
        ),
    );
}
