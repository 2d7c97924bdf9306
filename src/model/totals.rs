//! 由明细计算的合计：每个合计只在这里算一次，规则和文中都用它。

use crate::catalog::Group;
use crate::model::{Amount, Bureau, TotalsPolicy};
use crate::money::Money;

/// Every sum the package prints or checks, computed from the facts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    /// 本年收入合计
    pub income: Money,
    /// 收入总计
    pub income_grand: Money,
    /// 本年支出合计
    pub spending: Money,
    /// 支出总计
    pub spending_grand: Money,
    /// 财政拨款收入总计（含年初结转和结余）
    pub appropriation_grand: Money,
    /// 财政拨款本年收入（一般公共预算、政府性基金、国有资本经营三项）
    pub appropriation_income: Money,
    /// 一般公共预算财政拨款支出（Σ 项）
    pub general_budget: Money,
    /// 一般公共预算财政拨款基本支出、项目支出：支出决算表合计行所印（declared_basic /
    /// declared_project，尾差之内），否则 Σ 项。
    pub general_budget_basic: Money,
    pub general_budget_project: Money,
    /// 人员经费、公用经费：一般公共预算财政拨款基本支出按经济分类归集。
    pub personnel: Money,
    pub operating: Money,
    pub gov_fund: Money,
    pub state_capital: Money,
    pub vehicle_actual: Money,
    pub vehicle_budget: Money,
    pub vehicle_prior: Money,
    pub reception_actual: Money,
    pub three_public_actual: Money,
    pub three_public_budget: Money,
    pub three_public_prior: Money,
    pub procurement: Money,
}

impl Totals {
    /// The totals the package prints: computed from the parts, or, under
    /// `TotalsPolicy::Declared`, the source's own total where one is declared within the 尾差
    /// of its parts (the rules report one beyond it, and the build stops).
    pub fn of(b: &Bureau) -> Totals {
        let mut t = Totals::of_parts(b);
        if b.identity.totals == TotalsPolicy::Declared {
            // Only a declared total within the 尾差 of its `parts` lines stands in; one beyond it
            // is an error already, and figures built on it would only echo that.
            let pick = |declared: &Option<Amount>, computed: &mut Money, parts: usize| {
                if let Some(printed) = b.printed_total(declared.as_ref(), *computed, parts) {
                    *computed = printed;
                }
            };
            let items = b.appropriation.general_budget.items.len().saturating_mul(2);
            let purchases = b.three_public.vehicle.purchases.len() + 1;
            let tp = &b.three_public;
            pick(&b.income.declared_total, &mut t.income, 8);
            pick(&b.income.declared_grand_total, &mut t.income_grand, 10);
            pick(&b.spending.declared_total, &mut t.spending, 5);
            pick(&b.spending.declared_grand_total, &mut t.spending_grand, 7);
            pick(
                &b.general_budget.declared_total,
                &mut t.general_budget,
                items,
            );
            pick(
                &tp.vehicle.declared_actual,
                &mut t.vehicle_actual,
                purchases,
            );
            pick(
                &tp.declared_actual,
                &mut t.three_public_actual,
                purchases + 3,
            );
            pick(&tp.declared_budget, &mut t.three_public_budget, 4);
            pick(&b.procurement.declared_total, &mut t.procurement, 3);
            let economic = &b.appropriation.general_budget.economic;
            let lines = |g: Group| economic.iter().filter(|e| e.group == g).count();
            pick(
                &b.general_budget.declared_personnel,
                &mut t.personnel,
                lines(Group::Personnel),
            );
            pick(
                &b.general_budget.declared_operating,
                &mut t.operating,
                lines(Group::Operating),
            );
            // The 基本支出 and 项目支出 of the 一般公共预算 are the 合计 row of its table as
            // printed. 人员经费 + 公用经费 is another identity, checked against it (R037), never
            // printed in its place.
            pick(
                &b.general_budget.declared_basic,
                &mut t.general_budget_basic,
                b.appropriation.general_budget.items.len(),
            );
            pick(
                &b.general_budget.declared_project,
                &mut t.general_budget_project,
                b.appropriation.general_budget.items.len(),
            );
            // Totals built on a substituted one follow it, unless declared themselves.
            let (i, s) = (&b.income, &b.spending);
            if i.declared_grand_total.is_none() {
                t.income_grand = t.income + i.reserve_used.value + i.opening_balance.value;
            }
            if s.declared_grand_total.is_none() {
                t.spending_grand =
                    t.spending + s.balance_allocation.value + s.closing_balance.value;
            }
            if tp.declared_actual.is_none() {
                t.three_public_actual =
                    tp.overseas.actual.value + t.vehicle_actual + t.reception_actual;
            }
        }
        t
    }

    /// Every total as the sum of its printed parts.
    pub fn of_parts(b: &Bureau) -> Totals {
        let i = &b.income;
        let s = &b.spending;
        let a = &b.appropriation;
        let income: Money = i.sources().iter().map(|(_, a)| a.value).sum();
        let spending: Money = s.natures().iter().map(|(_, a)| a.value).sum();
        let funds = [&a.general_budget, &a.gov_fund, &a.state_capital];
        let appropriation_income =
            i.general_budget.value + i.gov_fund.value + i.state_capital.value;
        let gb = &a.general_budget.items;
        let t = &b.three_public;
        let v = &t.vehicle;
        let r = &t.reception;
        let vehicle_actual = v.purchase_actual() + v.running_actual.value;
        let vehicle_budget = v.purchase_budget.value + v.running_budget.value;
        let vehicle_prior = v.purchase_prior.value + v.running_prior.value;
        let reception_actual = r.domestic.actual.value + r.foreign.actual.value;
        Totals {
            income,
            income_grand: income + i.reserve_used.value + i.opening_balance.value,
            spending,
            spending_grand: spending + s.balance_allocation.value + s.closing_balance.value,
            appropriation_income,
            appropriation_grand: appropriation_income
                + funds.iter().map(|f| f.opening_balance.value).sum(),
            general_budget: a.general_budget.spending(),
            general_budget_basic: gb.iter().map(|i| i.basic.value).sum(),
            general_budget_project: gb.iter().map(|i| i.project.value).sum(),
            personnel: a.general_budget.basic_of(Group::Personnel),
            operating: a.general_budget.basic_of(Group::Operating),
            gov_fund: a.gov_fund.spending(),
            state_capital: a.state_capital.spending(),
            vehicle_actual,
            vehicle_budget,
            vehicle_prior,
            reception_actual,
            three_public_actual: t.overseas.actual.value + vehicle_actual + reception_actual,
            three_public_budget: t.overseas.budget.value + vehicle_budget + r.budget.value,
            three_public_prior: t.overseas.prior.value + vehicle_prior + r.prior.value,
            procurement: b.procurement.goods.value
                + b.procurement.works.value
                + b.procurement.services.value,
        }
    }
}
