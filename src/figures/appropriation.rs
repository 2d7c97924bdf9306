//! 四、财政拨款收入支出决算总体情况：财政拨款收入总计与上年相比。

use super::{AppropriationDoc, Maker, Operand, Totals, clause, given_amount, label};
use crate::model::Bureau;

pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> AppropriationDoc {
    let grand = Operand::derived("财政拨款收入总计", t.appropriation_grand);
    m.ledger.record(
        "appropriation.grand",
        &m.style.money(t.appropriation_grand),
        "一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款收入 + 年初财政拨款结转和结余",
        &[
            Operand::fact(label("income.general_budget"), &b.income.general_budget),
            Operand::fact(label("income.gov_fund"), &b.income.gov_fund),
            Operand::fact(label("income.state_capital"), &b.income.state_capital),
        ],
    );
    AppropriationDoc {
        grand: m.style.money(t.appropriation_grand),
        change: m.given_change(
            "appropriation.change",
            Some(&grand),
            given_amount(
                label("prior_year.appropriation_total"),
                &b.prior.appropriation_total,
            )
            .as_ref(),
        ),
        reason: clause(&b.prior.appropriation_reason.value),
    }
}
