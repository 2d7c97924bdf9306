//! 由明细计算的合计：每个合计只在这里算一次，规则和文中都用它。

use crate::catalog::Group;
use crate::model::{Amount, Bureau, FunctionItem, Fund, TotalsPolicy};
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
    /// 一般公共预算财政拨款预算数（调整后）：每一预算科目之和，没有支出、不列示的项也在内；
    /// 表式按调整后预算计算完成预算时，来源表所印的预算数合计（declared_budget，尾差之内）。
    pub general_budget_budget: Money,
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
            // The 预算数 合计 is declared against the form's completion base: it is the table's
            // (调整后) 预算数 only when that is the base.
            if b.identity.form.policy.completion_base == crate::form::CompletionBase::Adjusted {
                let lines = b.appropriation.general_budget.budget_lines();
                pick(
                    &b.general_budget.declared_budget,
                    &mut t.general_budget_budget,
                    lines.filter(|i| i.budget.is_some()).count(),
                );
            }
            // The 合计 row of the 政府性基金 / 国有资本经营 table as printed (`[[declared_rows]]`):
            // the 国有资本经营 支出决算表's, else (a set without it, 上海) its 收入支出决算表's.
            for (tables, total, fund) in [
                (
                    &[RowTable::GovFund][..],
                    &mut t.gov_fund,
                    &b.appropriation.gov_fund,
                ),
                (
                    &[RowTable::StateCapital, RowTable::StateCapitalIncomeSpending][..],
                    &mut t.state_capital,
                    &b.appropriation.state_capital,
                ),
            ] {
                let declared = tables
                    .iter()
                    .find_map(|table| b.declared_cell(*table, TOTAL_ROW, RowColumn::Total))
                    .cloned();
                pick(&declared, total, fund.items.len().saturating_mul(2));
            }
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
            general_budget_budget: a
                .general_budget
                .budget_lines()
                .filter_map(|i| i.budget.as_ref())
                .map(|bu| bu.value)
                .sum(),
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

/// The 公开表 a declared row (`[[declared_rows]]`) was printed in. Each table prints its own
/// figure for a row: the same 类 may be printed 326.71 in one table and 326.72 in another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowTable {
    /// 支出决算表（全部资金）.
    Spending,
    /// 财政拨款收入支出决算总表：各类在各项资金列.
    Appropriation,
    /// 一般公共预算财政拨款支出决算表.
    GeneralBudget,
    /// 政府性基金预算财政拨款收入支出决算表.
    GovFund,
    /// 国有资本经营预算财政拨款支出决算表.
    StateCapital,
    /// 一般公共预算财政拨款支出决算明细表：经济分类的类行（基本支出、项目支出列）.
    GeneralBudgetEconomic,
    /// 一般公共预算财政拨款基本支出决算（明细）表：经济分类的类行（基本支出）.
    GeneralBudgetBasic,
    /// 收入决算表：类、款、项行的各收入列.
    Income,
    /// 财政拨款支出决算明细表（全部财政拨款，经济分类）：类行与合计行.
    AppropriationEconomic,
    /// 一般公共预算财政拨款项目支出决算表（经济分类）：类行与合计行.
    GeneralBudgetProject,
    /// 国有资本经营预算财政拨款收入支出决算表（四川公开11表、上海）.
    StateCapitalIncomeSpending,
}

/// A column of a declared row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowColumn {
    /// 合计（支出合计）.
    Total,
    Basic,
    Project,
    /// 预算数（调整后）.
    Budget,
    /// 财政拨款收入支出决算总表的三项资金列.
    GeneralBudget,
    GovFund,
    StateCapital,
    /// 收入决算表的各收入列：财政拨款收入、上级补助收入、事业收入、经营收入、附属单位上缴收入、
    /// 其他收入（合计列是 `Total`）.
    Appropriation,
    UpperGrant,
    Service,
    Business,
    Affiliate,
    Other,
    /// 政府性基金、国有资本经营收入支出决算表的年初结转和结余、本年收入、年末结转和结余列.
    OpeningBalance,
    Income,
    ClosingBalance,
}

impl RowColumn {
    pub const ALL: [RowColumn; 16] = [
        RowColumn::Total,
        RowColumn::Basic,
        RowColumn::Project,
        RowColumn::Budget,
        RowColumn::GeneralBudget,
        RowColumn::GovFund,
        RowColumn::StateCapital,
        RowColumn::Appropriation,
        RowColumn::UpperGrant,
        RowColumn::Service,
        RowColumn::Business,
        RowColumn::Affiliate,
        RowColumn::Other,
        RowColumn::OpeningBalance,
        RowColumn::Income,
        RowColumn::ClosingBalance,
    ];

    /// The 收入决算表's own columns besides its 合计.
    pub const INCOME: [RowColumn; 6] = [
        RowColumn::Appropriation,
        RowColumn::UpperGrant,
        RowColumn::Service,
        RowColumn::Business,
        RowColumn::Affiliate,
        RowColumn::Other,
    ];

    /// The key in `[[declared_rows]]`.
    pub fn key(self) -> &'static str {
        match self {
            RowColumn::Total => "total",
            RowColumn::Basic => "basic",
            RowColumn::Project => "project",
            RowColumn::Budget => "budget",
            RowColumn::GeneralBudget => "general_budget",
            RowColumn::GovFund => "gov_fund",
            RowColumn::StateCapital => "state_capital",
            RowColumn::Appropriation => "appropriation",
            RowColumn::UpperGrant => "upper_grant",
            RowColumn::Service => "service",
            RowColumn::Business => "business",
            RowColumn::Affiliate => "affiliate",
            RowColumn::Other => "other",
            RowColumn::OpeningBalance => "opening_balance",
            RowColumn::Income => "income",
            RowColumn::ClosingBalance => "closing_balance",
        }
    }

    /// The column's header, as the tables print it: its header in the 分列合计 sheet.
    pub fn label(self) -> &'static str {
        crate::schema::lists::DECLARED_ROWS
            .fields()
            .find(|c| c.key == self.key())
            .map_or_else(
                || {
                    panic!(
                        "`{}` is not a column of 分列合计 (src/schema/lists.rs)",
                        self.key()
                    )
                },
                |c| c.header,
            )
    }
}

/// The label of the 合计 row in a declared row's `code`.
pub const TOTAL_ROW: &str = "合计";

impl RowTable {
    /// The table's title.
    pub fn title(self) -> &'static str {
        crate::model::choices::DECLARED_TABLE
            .options
            .iter()
            .find(|(_, v)| *v == self.key())
            .map_or("", |(l, _)| l)
    }

    pub fn key(self) -> &'static str {
        match self {
            RowTable::Spending => "spending",
            RowTable::Appropriation => "appropriation",
            RowTable::GeneralBudget => "general_budget",
            RowTable::GovFund => "gov_fund",
            RowTable::StateCapital => "state_capital",
            RowTable::GeneralBudgetEconomic => "general_budget_economic",
            RowTable::GeneralBudgetBasic => "general_budget_basic",
            RowTable::Income => "income",
            RowTable::AppropriationEconomic => "appropriation_economic",
            RowTable::GeneralBudgetProject => "general_budget_project",
            RowTable::StateCapitalIncomeSpending => "state_capital_income_spending",
        }
    }

    /// Where a figure of this table is declared when it is not a `[[declared_rows]]` cell:
    /// `Err(where)` for the cells another fact already holds, `Ok(())` for a cell a row may
    /// declare. `code` is a 类 (3), 款 (5) or 项 (7) code, or [`TOTAL_ROW`].
    pub fn accepts(self, code: &str, column: RowColumn) -> Result<(), &'static str> {
        use RowColumn as C;
        let (len, total) = (code.len(), code == TOTAL_ROW);
        let item = len == 7 && !total;
        let heading = (len == 3 || len == 5) && !total;
        match (self, column) {
            (RowTable::Spending, C::Total | C::Basic | C::Project) if heading || item => Ok(()),
            (RowTable::Spending, _) if total => {
                Err("支出决算表的合计行即 [spending] 的 declared_total、basic、project（“支出”表）")
            }
            (RowTable::Income, C::Total | C::Appropriation) if heading || item => Ok(()),
            (RowTable::Income, c) if heading && RowColumn::INCOME.contains(&c) => Ok(()),
            // The 合计 row of the money that is not an appropriation, as this table printed it
            // (the 收入支出决算总表 prints its own: `[income]`).
            (RowTable::Income, c) if total && RowColumn::INCOME[1..].contains(&c) => Ok(()),
            (RowTable::Income, _) if total => Err(
                "收入决算表合计行的合计列即 [income] declared_total，财政拨款收入列即 [income] 的三项财政拨款收入（“收入”表）",
            ),
            (RowTable::Income, c) if item && RowColumn::INCOME.contains(&c) => {
                Err("项的上级补助收入、事业收入等就是该项的事实，填在“非财政拨款收支”表")
            }
            (RowTable::Appropriation, C::GeneralBudget | C::GovFund | C::StateCapital)
                if len == 3 && !total =>
            {
                Ok(())
            }
            (RowTable::Appropriation, C::GeneralBudget) if total => Err(
                "本年支出合计行的一般公共预算列即 [general_budget] declared_total（“一般公共预算”表的核对行）",
            ),
            (RowTable::Appropriation, C::Total | C::GovFund | C::StateCapital) if total => Ok(()),
            (RowTable::Appropriation, C::Total) => Err(
                "财政拨款收入支出决算总表各类的合计列填在“财政拨款类合计”表（[appropriation] declared_classes）",
            ),
            (RowTable::GeneralBudget, C::Basic | C::Project | C::Budget) if heading => Ok(()),
            (RowTable::GeneralBudget, C::Total) if heading => Err(
                "一般公共预算财政拨款支出决算表类、款行的合计列填在“类款合计”表（[general_budget] declared_subtotals）",
            ),
            (RowTable::GeneralBudget, _) if total => Err(
                "该表合计行填在“一般公共预算”表的核对行（[general_budget] declared_total、declared_basic、declared_project、declared_budget）",
            ),
            (
                RowTable::GovFund | RowTable::StateCapital | RowTable::StateCapitalIncomeSpending,
                C::Total | C::Basic | C::Project,
            ) if heading || total => Ok(()),
            // The 收入支出决算表's balance and income columns, 类 and 款 rows.
            (
                RowTable::GovFund | RowTable::StateCapitalIncomeSpending,
                C::OpeningBalance | C::Income | C::ClosingBalance,
            ) if heading => Ok(()),
            (
                RowTable::GovFund | RowTable::StateCapitalIncomeSpending,
                C::OpeningBalance | C::ClosingBalance,
            ) if total => Err(
                "该表合计行的年初、年末结转和结余即该资金的 opening_balance、closing_balance（[appropriation.gov_fund] 或 [appropriation.state_capital]）",
            ),
            (
                RowTable::GovFund | RowTable::StateCapitalIncomeSpending,
                C::OpeningBalance | C::ClosingBalance,
            ) if item => Err("项的年初、年末结转和结余就是该项的事实，填在“功能分类支出”表"),
            (RowTable::GovFund | RowTable::StateCapitalIncomeSpending, C::Income)
                if item || total =>
            {
                Err("项与合计行的本年收入由支出与年初、年末结转和结余推出，不另填")
            }
            (RowTable::GeneralBudgetEconomic, C::Basic | C::Project) if len == 3 && !total => {
                Ok(())
            }
            (RowTable::AppropriationEconomic, C::Total | C::Basic | C::Project)
                if len == 3 || total =>
            {
                Ok(())
            }
            (RowTable::GeneralBudgetProject, C::Project) if len == 3 || total => Ok(()),
            (RowTable::AppropriationEconomic | RowTable::GeneralBudgetProject, _) => {
                Err("该表只填 3 位经济分类类行与合计行；款行就是各款的事实")
            }
            (RowTable::GeneralBudgetBasic, C::Basic) if len == 3 && !total => Ok(()),
            (RowTable::GeneralBudgetEconomic, C::Total) if len == 3 => Err(
                "经济分类类行的合计列填在“经济分类类合计”表（[general_budget] declared_economic_subtotals）",
            ),
            (RowTable::GeneralBudgetEconomic | RowTable::GeneralBudgetBasic, _) => Err(
                "经济分类表只填 3 位类行的基本支出、项目支出；人员经费合计、公用经费合计填在“财政拨款”表的核对行（declared_personnel、declared_operating）",
            ),
            (_, C::Total) if item => Err("项的合计列填在该项的“核对：支出合计”（declared_total）"),
            (_, C::Basic | C::Project | C::Budget) if item => {
                Err("项的基本支出、项目支出、预算数就是该项的事实，填在“功能分类支出”表")
            }
            _ => Err("该表的这一行没有这一列"),
        }
    }
}

/// A row of a 公开表 as printed, by column (`[[declared_rows]]`).
#[derive(Clone, Debug)]
pub struct DeclaredRow {
    /// The row's place in `[[declared_rows]]` as typed (from 0): findings name its figures
    /// `declared_rows[index].basic` (`SourceFile::place_facts`).
    pub index: usize,
    pub table: RowTable,
    /// 类、款、项 code, or [`TOTAL_ROW`].
    pub code: crate::model::Fact<String>,
    pub cells: Vec<(RowColumn, Amount)>,
}

/// One figure under a declared row: a line of its table in that column.
pub struct ColumnLine<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub value: Money,
    /// The typed figures behind it (for the 尾差).
    pub given: usize,
    /// The one fact behind it, when it is one.
    pub fact: Option<&'a Amount>,
}

impl Bureau {
    /// The figure `table` printed in `column` of the row `code`, when declared.
    pub fn declared_cell(&self, table: RowTable, code: &str, column: RowColumn) -> Option<&Amount> {
        self.declared_rows
            .iter()
            .filter(|r| r.table == table && r.code.value == code)
            .flat_map(|r| r.cells.iter())
            .find(|(c, _)| *c == column)
            .map(|(_, a)| a)
    }

    /// The 项 lines a `table` adds up in `column`: what its 类, 款 and 合计 rows are the sum of.
    /// The 预算数 of the 一般公共预算 counts the budget lines without spending too, which no
    /// table lists.
    pub fn column_lines<'a>(&'a self, table: RowTable, column: RowColumn) -> Vec<ColumnLine<'a>> {
        let a = &self.appropriation;
        // A 项's figure in `column`, as a line of the sum.
        let line = |i: &'a FunctionItem| {
            let (value, given, fact) = column_of(i, column)?;
            Some(ColumnLine {
                code: &i.code.value,
                name: &i.name,
                value,
                given,
                fact,
            })
        };
        let of_fund = |f: &'a Fund, unlisted: bool| {
            let extra: &'a [FunctionItem] = if unlisted { &f.unlisted } else { &[] };
            f.items
                .iter()
                .chain(extra)
                .filter_map(line)
                .collect::<Vec<_>>()
        };
        let economic = |funds: &[&'a Fund], column: RowColumn| {
            funds
                .iter()
                .flat_map(|f| f.economic.iter())
                .filter_map(|e| {
                    let (value, given, fact) = match column {
                        RowColumn::Basic => (e.basic.value, 0, Some(&e.basic)),
                        RowColumn::Project => (e.project.value, 0, Some(&e.project)),
                        RowColumn::Total => (
                            e.actual(),
                            usize::from(e.basic.loc.is_some())
                                + usize::from(e.project.loc.is_some()),
                            None,
                        ),
                        _ => return None,
                    };
                    Some(ColumnLine {
                        code: &e.code.value,
                        name: &e.name,
                        value,
                        given: fact.map_or(given, |f: &Amount| usize::from(f.loc.is_some())),
                        fact,
                    })
                })
                .collect::<Vec<_>>()
        };
        match table {
            RowTable::GeneralBudgetEconomic => economic(&[&a.general_budget], column),
            RowTable::GeneralBudgetBasic => economic(&[&a.general_budget], RowColumn::Basic),
            RowTable::GeneralBudgetProject => economic(&[&a.general_budget], RowColumn::Project),
            RowTable::AppropriationEconomic => {
                let funds: Vec<&Fund> = a.funds().iter().map(|(_, _, f)| *f).collect();
                economic(&funds, column)
            }
            RowTable::GeneralBudget => of_fund(&a.general_budget, column == RowColumn::Budget),
            RowTable::GovFund => of_fund(&a.gov_fund, false),
            RowTable::StateCapital | RowTable::StateCapitalIncomeSpending => {
                of_fund(&a.state_capital, false)
            }
            RowTable::Income => self.income_lines(column),
            RowTable::Appropriation if column == RowColumn::Total => a
                .funds()
                .iter()
                .flat_map(|(_, _, f)| f.items.iter())
                .filter_map(line)
                .collect(),
            RowTable::Appropriation => match column {
                RowColumn::GeneralBudget | RowColumn::GovFund | RowColumn::StateCapital => {
                    let fund = match column {
                        RowColumn::GeneralBudget => &a.general_budget,
                        RowColumn::GovFund => &a.gov_fund,
                        _ => &a.state_capital,
                    };
                    fund.items
                        .iter()
                        .map(|i| ColumnLine {
                            code: &i.code.value,
                            name: &i.name,
                            value: i.actual(),
                            given: usize::from(i.basic.loc.is_some())
                                + usize::from(i.project.loc.is_some()),
                            fact: None,
                        })
                        .collect()
                }
                _ => Vec::new(),
            },
            RowTable::Spending => {
                let mut lines: Vec<ColumnLine> = a
                    .funds()
                    .iter()
                    .flat_map(|(_, _, f)| f.items.iter())
                    .filter_map(line)
                    .collect();
                lines.extend(self.non_appropriation.iter().filter_map(|i| {
                    let amounts: Vec<&Amount> = match column {
                        RowColumn::Total => i.spending_columns().to_vec(),
                        RowColumn::Basic => vec![&i.basic],
                        RowColumn::Project => vec![&i.project],
                        _ => return None,
                    };
                    Some(ColumnLine {
                        code: &i.code.value,
                        name: &i.name,
                        value: amounts.iter().map(|a| a.value).sum(),
                        given: amounts.iter().filter(|a| a.loc.is_some()).count(),
                        fact: None,
                    })
                }));
                lines
            }
        }
    }
}

impl Bureau {
    /// The 项 lines of the 收入决算表 in `column`: each fund's 项 (本年收入 = 支出 + 年末 − 年初
    /// 结转和结余) in its 合计 and 财政拨款收入 columns, the money that is not an appropriation in
    /// its 合计 and its own column.
    fn income_lines(&self, column: RowColumn) -> Vec<ColumnLine<'_>> {
        let one = |f: &Amount| usize::from(f.loc.is_some());
        let mut lines: Vec<ColumnLine> = Vec::new();
        if matches!(column, RowColumn::Total | RowColumn::Appropriation) {
            lines.extend(
                self.appropriation
                    .funds()
                    .iter()
                    .flat_map(|(_, _, f)| f.items.iter())
                    .map(|i| ColumnLine {
                        code: &i.code.value,
                        name: &i.name,
                        value: i.income(),
                        given: one(&i.basic)
                            + one(&i.project)
                            + one(&i.opening_balance)
                            + one(&i.closing_balance),
                        fact: None,
                    }),
            );
        }
        lines.extend(self.non_appropriation.iter().filter_map(|i| {
            let (value, given, fact) = match column {
                RowColumn::Appropriation => return None,
                RowColumn::Total => {
                    let columns = i.income_columns();
                    (
                        columns.iter().map(|a| a.value).sum(),
                        columns.iter().filter(|a| a.loc.is_some()).count(),
                        None,
                    )
                }
                RowColumn::UpperGrant => (i.upper_grant.value, 1, Some(&i.upper_grant)),
                RowColumn::Service => (i.service.value, 1, Some(&i.service)),
                RowColumn::Business => (i.business_income.value, 1, Some(&i.business_income)),
                RowColumn::Affiliate => (i.affiliate.value, 1, Some(&i.affiliate)),
                RowColumn::Other => (i.other.value, 1, Some(&i.other)),
                _ => return None,
            };
            Some(ColumnLine {
                code: &i.code.value,
                name: &i.name,
                value,
                given: fact.map_or(given, one),
                fact,
            })
        }));
        lines
    }
}

/// A 项's figure in `column`, the number of typed figures behind it, and the one fact when it
/// is one.
fn column_of(i: &FunctionItem, column: RowColumn) -> Option<(Money, usize, Option<&Amount>)> {
    let one = |f: &Amount| usize::from(f.loc.is_some());
    match column {
        RowColumn::Total => Some((i.actual(), one(&i.basic) + one(&i.project), None)),
        RowColumn::Basic => Some((i.basic.value, one(&i.basic), Some(&i.basic))),
        RowColumn::Project => Some((i.project.value, one(&i.project), Some(&i.project))),
        RowColumn::Budget => i.budget.as_ref().map(|b| (b.value, one(b), Some(b))),
        RowColumn::OpeningBalance => Some((
            i.opening_balance.value,
            one(&i.opening_balance),
            Some(&i.opening_balance),
        )),
        RowColumn::ClosingBalance => Some((
            i.closing_balance.value,
            one(&i.closing_balance),
            Some(&i.closing_balance),
        )),
        RowColumn::Income => Some((
            i.income(),
            one(&i.basic) + one(&i.project) + one(&i.opening_balance) + one(&i.closing_balance),
            None,
        )),
        _ => None,
    }
}
