//! 八、九、政府性基金预算与国有资本经营预算财政拨款：支出合计，本年收入与逐“项”的决算数、
//! 预算数（上海格式第八、九章）。

use super::{FundDoc, ItemDoc, Maker, Totals, clause, path_of};
use crate::model::{Amount, Bureau, Fund};

/// 政府性基金、国有资本经营预算财政拨款支出 and their details.
pub(super) struct FundsDocs {
    pub gov_fund: String,
    pub state_capital: String,
    pub gov_fund_detail: FundDoc,
    pub state_capital_detail: FundDoc,
}

pub(super) fn doc(m: &Maker, b: &Bureau, t: &Totals) -> FundsDocs {
    FundsDocs {
        gov_fund: m.style.money(t.gov_fund),
        state_capital: m.style.money(t.state_capital),
        gov_fund_detail: detail(m, b, &b.income.gov_fund, &b.appropriation.gov_fund),
        state_capital_detail: detail(
            m,
            b,
            &b.income.state_capital,
            &b.appropriation.state_capital,
        ),
    }
}

/// One fund's 本年收入 and its 项 against the form's budget base (调整后 or 年初); a 项
/// without that 预算数 is taken at its 决算数.
fn detail(m: &Maker, b: &Bureau, income: &Amount, fund: &Fund) -> FundDoc {
    FundDoc {
        income: m.style.money(income.value),
        items: fund
            .items
            .iter()
            .map(|i| {
                let base = b.identity.form.policy.completion_base;
                let budget = i.budget_base(base).map_or(i.actual(), |bu| bu.value);
                ItemDoc {
                    code: i.code.value.clone(),
                    path: path_of(b, &i.code.value, &i.name),
                    actual: m.style.money(i.actual()),
                    budget: m.style.money(budget),
                    completion: m.style.completion(i.actual(), budget),
                    reason: clause(&i.reason.value),
                    purpose: clause(&i.purpose.value),
                }
            })
            .collect(),
    }
}
