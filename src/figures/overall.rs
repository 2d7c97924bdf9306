//! 一、收入支出决算总体情况：收入、支出总计与上年相比，表式按名称比较的数（重庆：收入合计、
//! 支出合计、年末结转和结余），以及总表中总计以外的几行。

use std::collections::BTreeMap;

use super::{
    BalancesDoc, Maker, NamedChange, Operand, Totals, TotalsDoc, clause, given_amount, label,
};
use crate::model::Bureau;

/// 收入总计 and its change against the prior year's 收、支总计; the 收入总计 operand is returned
/// for the charts.
pub(super) fn doc(
    m: &mut Maker,
    b: &Bureau,
    t: &Totals,
    income_total: &Operand,
) -> (TotalsDoc, Operand) {
    let grand = m.total(
        "totals.grand",
        "收入总计",
        t.income_grand,
        &[
            income_total.clone(),
            Operand::fact(label("income.reserve_used"), &b.income.reserve_used),
            Operand::fact(label("income.opening_balance"), &b.income.opening_balance),
        ],
    );
    let prior_total = given_amount(label("prior_year.total"), &b.prior.total);
    let totals = TotalsDoc {
        grand: m.style.money(grand.value),
        change: m.given_change("totals.change", Some(&grand), prior_total.as_ref()),
        reason: clause(&b.prior.total_reason.value),
    };
    (totals, grand)
}

/// A form may compare other figures with their prior (重庆: 收入合计, 支出合计, 年末结转和结余)
/// by name: each whose prior is given gets its change here.
pub(super) fn changes(
    m: &mut Maker,
    b: &Bureau,
    income_total: &Operand,
    spending_total: &Operand,
) -> BTreeMap<String, Option<NamedChange>> {
    let closing = Operand::fact(
        label("spending.closing_balance"),
        &b.spending.closing_balance,
    );
    let mut changes = BTreeMap::new();
    for (key, current, prior, reason) in [
        (
            "income_total",
            income_total,
            &b.prior.income_total,
            &b.prior.income_total_reason,
        ),
        (
            "spending_total",
            spending_total,
            &b.prior.spending_total,
            &b.prior.spending_total_reason,
        ),
        (
            "closing_balance",
            &closing,
            &b.prior.closing_balance,
            &b.prior.closing_balance_reason,
        ),
    ] {
        let named = prior.as_ref().map(|prior| {
            let prior = Operand::fact(format!("上年{}", current.label), prior);
            NamedChange {
                current: m.style.money(current.value),
                prior: m.style.money(prior.value),
                change: m.change(&format!("changes.{key}"), current, &prior),
                reason: clause(&reason.value),
            }
        });
        changes.insert(key.to_string(), named);
    }
    changes
}

/// 使用非财政拨款结余、年初结转和结余、结余分配、年末结转和结余, as given.
pub(super) fn balances(m: &Maker, b: &Bureau) -> BalancesDoc {
    BalancesDoc {
        reserve_used: m.style.money(b.income.reserve_used.value),
        opening_balance: m.style.money(b.income.opening_balance.value),
        balance_allocation: m.style.money(b.spending.balance_allocation.value),
        closing_balance: m.style.money(b.spending.closing_balance.value),
    }
}
