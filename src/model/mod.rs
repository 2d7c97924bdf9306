//! 经校验的事实：一个单位一个年度的全部输入事实，每个值都带着出处。
//!
//! The validated model. Only [`build`] makes one, from raw records: amounts are exact decimals in
//! 万元, codes are well formed and named, enumerations are parsed. Consistency between facts (sums,
//! balances, required reasons) is the job of `rules`, which reads this model.

mod build;
pub mod choices;
pub mod extra;
pub mod measure;
mod totals;

use serde::Serialize;

use crate::catalog::{Catalog, Group};
use crate::diagnostic::Location;
use crate::money::{Money, Unit};

pub use build::{DEFAULT_FORM, build};
pub use measure::{Measure, Tier};
pub use totals::{ColumnLine, DeclaredRow, RowColumn, RowTable, TOTAL_ROW, Totals};

/// A fact and where it came from (`None` when the input left it out and the default applies).
#[derive(Clone, Debug, Serialize)]
pub struct Fact<T> {
    pub value: T,
    #[serde(skip)]
    pub loc: Option<Location>,
}

impl<T: Default> Default for Fact<T> {
    fn default() -> Self {
        Fact {
            value: T::default(),
            loc: None,
        }
    }
}

pub type Amount = Fact<Money>;
pub type Count = Fact<i64>;
/// A free text; empty when not given.
pub type Text = Fact<String>;

/// Which figure prints for a total the source states (a `declared_*` fact) when it is within the
/// 尾差 of its printed parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalsPolicy {
    /// 来源表的合计（决算软件与财政局掌握的元级数字）：文中、表中与来源表一致（缺省）。
    #[default]
    Declared,
    /// 各项之和：打印的合计总能由打印的各项加出来。
    Parts,
}

pub use crate::form::{ExecutionPolicy, PerformanceForm, PriorZeroPolicy, TableSet};

#[derive(Clone, Debug)]
pub struct Identity {
    pub name: Text,
    /// 文中简称，如“县信访局”；缺省用全称。
    pub short_name: Text,
    /// 单位的稳定编码（如统一社会信用代码），可不填：批量时认出同一单位，名称为后备。不打印。
    pub id: Option<Text>,
    pub year: Fact<i64>,
    /// 表式：说明的章节、句子、数字写法（见 [`crate::form`]）。
    pub form: std::sync::Arc<crate::form::Form>,
    pub document: Document,
    pub tables: TableSet,
    /// The table layouts of this run (the `--templates` folder's or the built-in ones): what
    /// each set prints, for the rules as for the tables.
    pub layouts: std::sync::Arc<crate::form::layouts::TableLayouts>,
    pub unit: Unit,
    /// 百分比小数位：输入所写，缺省随表式。
    pub percent_decimals: u32,
    /// 上年为零的写法：输入所写，缺省随表式。
    pub prior_zero: PriorZeroPolicy,
    /// 合计的打印口径（见 [`TotalsPolicy`]）。
    pub totals: TotalsPolicy,
    /// 公开表版式的变体（`[bureau] table_variant`）：有此 `variant` 的表优先于按年度取用的表。
    pub table_variant: Option<String>,
    /// PDF 创建日期（年、月、日），缺省为次年 1 月 1 日。
    pub publish_date: (i32, u8, u8),
}

/// The declared total of a list keyed by code (`declared_classes`, `declared_subtotals`…).
pub fn declared_of<'a>(list: &'a [(Fact<String>, Amount)], code: &str) -> Option<&'a Amount> {
    list.iter().find(|(c, _)| c.value == code).map(|(_, a)| a)
}

impl Identity {
    /// Whether the bureau's table set, as laid out for its year and variant, prints `column` of
    /// a `shape` table whose source is `source` (any when `None`): rules demand a breakdown only
    /// where it is printed.
    pub fn prints(
        &self,
        shape: crate::form::layouts::Shape,
        column: &str,
        source: Option<&str>,
    ) -> bool {
        self.layouts.prints(
            self.tables.key(),
            self.year.value,
            self.table_variant.as_deref(),
            shape,
            column,
            source,
        )
    }
}

#[derive(Clone, Debug, Default)]
pub struct Overview {
    pub duties: Vec<Text>,
    pub key_tasks: Vec<KeyTask>,
    pub administrative: Count,
    pub civil_service_managed: Count,
    pub other_institutions: Count,
    /// 部门决算单位构成 (单位名称, 备注), the department itself first.
    pub units: Vec<MemberUnit>,
    /// 主要职能前的引言各段, printed before the numbered duties.
    pub duties_preamble: Vec<Text>,
    /// 机构设置 paragraphs (a department of one unit prints them instead of the units table).
    pub setup: Vec<Text>,
}

#[derive(Clone, Debug, Default)]
pub struct MemberUnit {
    pub name: Text,
    pub note: Text,
}

#[derive(Clone, Debug, Default)]
pub struct KeyTask {
    pub title: Text,
    pub paragraphs: Vec<Text>,
}

/// Prior-year figures the text compares with, and the reasons for the changes.
#[derive(Clone, Debug, Default)]
pub struct PriorYear {
    pub total: Amount,
    pub total_reason: Text,
    pub appropriation_total: Amount,
    pub appropriation_reason: Text,
    pub general_budget: Amount,
    pub general_budget_reason: Text,
    /// 上年本年收入合计, where the form compares 收入合计 on its own (重庆).
    pub income_total: Option<Amount>,
    pub income_total_reason: Text,
    /// 上年本年支出合计.
    pub spending_total: Option<Amount>,
    pub spending_total_reason: Text,
    /// 上年年末结转和结余.
    pub closing_balance: Option<Amount>,
    pub closing_balance_reason: Text,
    /// Why the prior-year figures differ from last year's published 决算数 (a change of 口径);
    /// printed in the 说明, and it excuses the difference `--previous` would otherwise report.
    pub caliber_change: Text,
}

/// 本年收入 by source, and the other income-side lines of 公开01表.
#[derive(Clone, Debug, Default)]
pub struct Income {
    pub general_budget: Amount,
    pub gov_fund: Amount,
    pub state_capital: Amount,
    pub upper_grant: Amount,
    pub service: Amount,
    pub business: Amount,
    pub affiliate: Amount,
    pub other: Amount,
    pub reserve_used: Amount,
    pub opening_balance: Amount,
    pub declared_total: Option<Amount>,
    pub declared_grand_total: Option<Amount>,
}

impl Income {
    /// The eight 本年收入 lines in the order of 公开01表, with their names.
    pub fn sources(&self) -> [(&'static str, &Amount); 8] {
        [
            ("一般公共预算财政拨款收入", &self.general_budget),
            ("政府性基金预算财政拨款收入", &self.gov_fund),
            ("国有资本经营预算财政拨款收入", &self.state_capital),
            ("上级补助收入", &self.upper_grant),
            ("事业收入", &self.service),
            ("经营收入", &self.business),
            ("附属单位上缴收入", &self.affiliate),
            ("其他收入", &self.other),
        ]
    }
}

/// 本年支出 by nature, and the other spending-side lines of 公开01表.
#[derive(Clone, Debug, Default)]
pub struct Spending {
    pub basic: Amount,
    pub project: Amount,
    pub upper_remit: Amount,
    pub business: Amount,
    pub affiliate_grant: Amount,
    pub balance_allocation: Amount,
    pub closing_balance: Amount,
    pub declared_total: Option<Amount>,
    pub declared_grand_total: Option<Amount>,
    /// Declared 类 rows of 收入支出决算总表 (all money), by code.
    pub declared_classes: Vec<(Fact<String>, Amount)>,
}

impl Spending {
    /// The five 本年支出 lines by nature, in the order of the 说明.
    pub fn natures(&self) -> [(&'static str, &Amount); 5] {
        [
            ("基本支出", &self.basic),
            ("项目支出", &self.project),
            ("上缴上级支出", &self.upper_remit),
            ("经营支出", &self.business),
            ("对附属单位补助支出", &self.affiliate_grant),
        ]
    }
}

/// One 功能分类 项 line of an appropriation fund's spending.
#[derive(Clone, Debug)]
pub struct FunctionItem {
    pub code: Fact<String>,
    /// The name printed (the catalog's for the year, or the input's for a code it adds).
    pub name: String,
    pub basic: Amount,
    pub project: Amount,
    /// 预算数 (调整后), when the form compares with it.
    pub budget: Option<Amount>,
    /// 年初预算数, for a form whose completion is against it (`completion_base = "initial"`).
    pub initial_budget: Option<Amount>,
    /// The item's 合计 as the source prints it (checked against basic + project).
    pub declared_total: Option<Amount>,
    pub opening_balance: Amount,
    pub closing_balance: Amount,
    pub reason: Text,
    /// 主要用于（上海格式逐项说明）。
    pub purpose: Text,
}

impl FunctionItem {
    pub fn actual(&self) -> Money {
        self.basic.value + self.project.value
    }

    /// The budget the form's completion is against: the 调整后预算 (`budget`), or under
    /// `completion_base = "initial"` the 年初预算 (`initial_budget`). `None` when that one is not
    /// given: the figures then take the 决算数, as for any missing budget, and rule R023 reports
    /// it for the 一般公共预算 items.
    pub fn budget_base(&self, base: crate::form::CompletionBase) -> Option<&Amount> {
        match base {
            crate::form::CompletionBase::Adjusted => self.budget.as_ref(),
            crate::form::CompletionBase::Initial => self.initial_budget.as_ref(),
        }
    }

    /// 本年收入 of the item: what was spent and carried forward, less what was carried in.
    pub fn income(&self) -> Money {
        self.actual() + self.closing_balance.value - self.opening_balance.value
    }
}

/// One 经济分类 款 line of an appropriation fund's spending.
#[derive(Clone, Debug)]
pub struct EconomicItem {
    pub code: Fact<String>,
    pub name: String,
    /// 人员经费 or 公用经费, from the 类 (3 digits) of the code.
    pub group: Group,
    pub basic: Amount,
    pub project: Amount,
}

impl EconomicItem {
    pub fn actual(&self) -> Money {
        self.basic.value + self.project.value
    }
}

/// One 功能分类 项 line of the money that is not an appropriation (上级补助、事业、经营…).
#[derive(Clone, Debug)]
pub struct NonAppropriationItem {
    pub code: Fact<String>,
    pub name: String,
    pub upper_grant: Amount,
    pub service: Amount,
    pub business_income: Amount,
    pub affiliate: Amount,
    pub other: Amount,
    pub basic: Amount,
    pub project: Amount,
    pub upper_remit: Amount,
    pub business_spending: Amount,
    pub affiliate_grant: Amount,
}

impl NonAppropriationItem {
    /// The item's income by source, in the column order of 收入决算表 (after 财政拨款收入).
    pub fn income_columns(&self) -> [&Amount; 5] {
        [
            &self.upper_grant,
            &self.service,
            &self.business_income,
            &self.affiliate,
            &self.other,
        ]
    }

    /// The item's spending by nature, in the column order of 支出决算表.
    pub fn spending_columns(&self) -> [&Amount; 5] {
        [
            &self.basic,
            &self.project,
            &self.upper_remit,
            &self.business_spending,
            &self.affiliate_grant,
        ]
    }
}

/// A 类 or 款 heading derived from the item codes below it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionHeading {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct Fund {
    pub opening_balance: Amount,
    pub closing_balance: Amount,
    pub items: Vec<FunctionItem>,
    /// 项 with a budget and no spending: not printed (the tables and the per-item list leave
    /// them out) but counted in the 预算数 the completion is against.
    pub unlisted: Vec<FunctionItem>,
    pub economic: Vec<EconomicItem>,
}

impl Fund {
    pub fn spending(&self) -> Money {
        self.items.iter().map(FunctionItem::actual).sum()
    }

    pub fn basic(&self) -> Money {
        self.items.iter().map(|i| i.basic.value).sum()
    }

    pub fn project(&self) -> Money {
        self.items.iter().map(|i| i.project.value).sum()
    }

    /// Every budget line, listed or not, in the order typed within each.
    pub fn budget_lines(&self) -> impl Iterator<Item = &FunctionItem> {
        self.items.iter().chain(&self.unlisted)
    }

    /// 基本支出 of one group (人员经费 or 公用经费), from the 经济分类 lines.
    pub fn basic_of(&self, group: Group) -> Money {
        self.economic
            .iter()
            .filter(|e| e.group == group)
            .map(|e| e.basic.value)
            .sum()
    }
}

#[derive(Clone, Debug, Default)]
pub struct Appropriation {
    pub declared_income_total: Option<Amount>,
    /// Declared 总计 of 财政拨款收入支出决算总表.
    pub declared_grand_total: Option<Amount>,
    /// Declared 类 rows of 财政拨款收入支出决算总表, by code.
    pub declared_classes: Vec<(Fact<String>, Amount)>,
    pub general_budget: Fund,
    pub gov_fund: Fund,
    pub state_capital: Fund,
}

impl Appropriation {
    /// The three funds with their vocabulary key and name, in the order of the 公开表.
    pub fn funds(&self) -> [(&'static str, &'static str, &Fund); 3] {
        [
            (
                "general_budget",
                "一般公共预算财政拨款",
                &self.general_budget,
            ),
            ("gov_fund", "政府性基金预算财政拨款", &self.gov_fund),
            (
                "state_capital",
                "国有资本经营预算财政拨款",
                &self.state_capital,
            ),
        ]
    }
}

/// 一般公共预算财政拨款: the declared totals (its items and 经济分类 lines live in
/// [`Appropriation::general_budget`]).
#[derive(Clone, Debug, Default)]
pub struct GeneralBudget {
    pub declared_total: Option<Amount>,
    /// Declared 预算数合计 (Σ 项 budgets), 人员经费合计 and 公用经费合计.
    pub declared_budget: Option<Amount>,
    /// Why the 决算 differs from the 预算 (年初预算) as a whole.
    pub budget_reason: Text,
    pub declared_personnel: Option<Amount>,
    pub declared_operating: Option<Amount>,
    /// The 基本支出 and 项目支出 its table's 合计 row prints.
    pub declared_basic: Option<Amount>,
    pub declared_project: Option<Amount>,
    /// Declared 类/款 totals by code.
    pub declared_subtotals: Vec<(Fact<String>, Amount)>,
    /// Declared 经济分类 类 totals (basic + project) by code.
    pub declared_economic_subtotals: Vec<(Fact<String>, Amount)>,
}

#[derive(Clone, Debug, Default)]
pub struct ThreePublic {
    pub reason: Text,
    pub declared_actual: Option<Amount>,
    pub declared_budget: Option<Amount>,
    pub declared_prior: Option<Amount>,
    pub overseas: Overseas,
    pub vehicle: Vehicle,
    pub reception: Reception,
}

#[derive(Clone, Debug, Default)]
pub struct Overseas {
    pub budget: Amount,
    pub actual: Amount,
    pub prior: Amount,
    pub groups: Count,
    pub people: Count,
    pub reason: Text,
    /// 开支内容.
    pub content: Text,
}

#[derive(Clone, Debug, Default)]
pub struct Vehicle {
    pub purchase_budget: Amount,
    pub purchase_prior: Amount,
    pub running_budget: Amount,
    pub running_actual: Amount,
    pub running_prior: Amount,
    pub declared_actual: Option<Amount>,
    pub reason: Text,
    /// 购置、运行维护费主要用于什么.
    pub purchase_purpose: Text,
    pub running_purpose: Text,
    pub purchases: Vec<VehiclePurchase>,
    pub fleet: Vec<VehicleCount>,
}

impl Vehicle {
    pub fn purchase_actual(&self) -> Money {
        self.purchases.iter().map(|p| p.amount.value).sum()
    }
}

#[derive(Clone, Debug, Default)]
pub struct VehiclePurchase {
    pub kind: Text,
    pub count: Count,
    pub amount: Amount,
}

#[derive(Clone, Debug, Default)]
pub struct VehicleCount {
    pub kind: Text,
    pub count: Count,
}

#[derive(Clone, Debug, Default)]
pub struct Reception {
    pub budget: Amount,
    pub prior: Amount,
    pub reason: Text,
    pub domestic: ReceptionPart,
    pub foreign: ReceptionPart,
}

#[derive(Clone, Debug, Default)]
pub struct ReceptionPart {
    pub actual: Amount,
    pub batches: Count,
    pub people: Count,
    pub purpose: Text,
    pub content: Text,
}

#[derive(Clone, Debug, Default)]
pub struct RunningCosts {
    pub actual: Amount,
    pub prior: Amount,
    pub reason: Text,
}

#[derive(Clone, Debug, Default)]
pub struct Procurement {
    pub goods: Amount,
    pub works: Amount,
    pub services: Amount,
    pub sme: Amount,
    pub small_micro: Amount,
    pub declared_total: Option<Amount>,
    pub purpose: Text,
    pub sme_reserved: Amount,
    pub small_micro_reserved: Amount,
    pub sme_reserved_awarded: Amount,
    pub small_micro_reserved_awarded: Amount,
    pub sme_other_awarded: Amount,
}

#[derive(Clone, Debug, Default)]
pub struct Assets {
    pub large_equipment: Count,
    pub vehicles: Vec<VehicleCount>,
    /// 来源所印车辆合计, only checked against the kinds.
    pub declared_vehicles: Option<Count>,
}

#[derive(Clone, Debug, Default)]
pub struct Performance {
    /// The 自评表 layout (the form's `layout`).
    pub form: PerformanceForm,
    /// The 绩效 form: its name and scoring policy (see [`crate::form::performance`]).
    pub spec: std::sync::Arc<crate::form::PerformanceSpec>,
    /// 部门整体：名称为单位名称。
    pub department: Option<ProjectEvaluation>,
    pub projects: Vec<ProjectEvaluation>,
    /// 预算绩效管理情况的汇总数, when given.
    pub management: Option<Management>,
}

/// 预算绩效管理情况 as aggregates (no project list).
#[derive(Clone, Debug, Default)]
pub struct Management {
    pub systems: Text,
    pub mechanism: Text,
    pub goals_set: ProjectsBudget,
    pub monitored: ProjectsBudget,
    pub self_evaluated: ProjectsBudget,
    pub average_score: Amount,
    /// 优、良、合格、不合格 project counts.
    pub grades: [Count; 4],
    /// 发现问题、已经完成整改、正在整改.
    pub issues: [Count; 3],
}

#[derive(Clone, Debug, Default)]
pub struct ProjectsBudget {
    pub projects: Count,
    pub budget: Amount,
}

/// What the document holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    /// 部门决算：说明、附件（绩效自评表）、附表。
    #[default]
    FinalAccounts,
    /// 只有绩效自评表（各省单独公开的自评表）。
    Performance,
}

#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    pub declared_score: Option<Fact<rust_decimal::Decimal>>,
    pub summary: Text,
}

#[derive(Clone, Debug, Default)]
pub struct ProjectEvaluation {
    pub name: Text,
    /// 部门整体报告所印的财政资金支出合计 (checked against the appropriation spending).
    pub declared_spending: Option<Amount>,
    /// 部门整体报告所印的财政资金收入合计 (checked against the appropriation income).
    pub declared_income: Option<Amount>,
    /// 部门整体报告所印的项目支出合计 (checked against the projects' 执行数).
    pub declared_project_spending: Option<Amount>,
    pub unit: Text,
    pub initial_budget: Option<Amount>,
    pub arrived: Option<Amount>,
    pub other_budget: Option<Amount>,
    pub other_arrived: Option<Amount>,
    pub other_executed: Option<Amount>,
    pub goal: Text,
    pub outcome: Text,
    pub goal_completion: Option<Fact<rust_decimal::Decimal>>,
    pub problems: Text,
    pub suggestions: Text,
    pub upper_budget: Option<Amount>,
    pub upper_executed: Option<Amount>,
    pub prior_assessment: bool,
    pub goals_set: bool,
    pub monitored: bool,
    pub evaluation: Evaluation,
    pub budget: Option<Amount>,
    pub executed: Option<Amount>,
    pub execution_weight: Fact<rust_decimal::Decimal>,
    /// Declared 一级指标 weights (e.g. 产出指标 50), checked against the indicators under them.
    pub level_weights: Vec<(String, Fact<rust_decimal::Decimal>)>,
    pub indicators: Vec<Indicator>,
    pub workloads: Vec<Workload>,
    pub payments: Vec<Payment>,
    pub sections: Vec<Section>,
    /// 绩效评价报告（给出时，附件先印报告，再印表）。
    pub report: Option<Report>,
}

/// 绩效评价报告的文字栏目与报告所需的事实。Each text holds one or more paragraphs, one a line.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub intro: Text,
    pub organization: Text,
    pub functions_lead: Text,
    pub management: Text,
    pub basic_use: Text,
    pub projects_note: Text,
    pub upper_projects: Text,
    pub other: Text,
    pub quality: Text,
    pub performance: Text,
    pub disclosure: Text,
    pub results: Text,
    pub brief: Text,
    pub goals: Text,
    pub method: Text,
    pub finance: Text,
    pub process: Text,
    pub supervision: Text,
    pub completion: Text,
    pub benefits: Text,
    pub conclusion: Text,
    /// 年初预算中的基本支出、项目支出（与年初预算数核对）。
    pub initial_basic: Option<Amount>,
    pub initial_project: Option<Amount>,
    /// 上年度非财政拨款结余结转；项目支出中的上年结转结余；安排专项个数。
    pub opening_balance: Option<Amount>,
    pub carried_over: Option<Amount>,
    pub project_count: Option<Count>,
    pub staff: Vec<Staff>,
    pub retired: Option<Count>,
    pub declared_contract: Option<Count>,
    pub declared_staff: Option<Count>,
}

impl Report {
    /// Every text of the report, in field order (for the glyph check).
    pub fn texts(&self) -> Vec<&Text> {
        let mut v = vec![
            &self.intro,
            &self.organization,
            &self.functions_lead,
            &self.management,
            &self.basic_use,
            &self.projects_note,
            &self.upper_projects,
            &self.other,
            &self.quality,
            &self.performance,
            &self.disclosure,
            &self.results,
            &self.brief,
            &self.goals,
            &self.method,
            &self.finance,
            &self.process,
            &self.supervision,
            &self.completion,
            &self.benefits,
            &self.conclusion,
        ];
        v.extend(self.staff.iter().map(|s| &s.category));
        v
    }
}

/// 人员概况的一类人员：编制数、实有人数、上年末实有人数。
#[derive(Clone, Debug, Default)]
pub struct Staff {
    pub category: Text,
    /// 编外聘用人员。
    pub contract: bool,
    pub quota: Option<Count>,
    pub actual: Count,
    pub prior: Option<Count>,
}

/// A section of a narrative 自评报告.
#[derive(Clone, Debug, Default)]
pub struct Section {
    pub title: Text,
    pub paragraphs: Vec<Text>,
    /// The workload sentence (counts with 同比) follows this section's paragraphs.
    pub workloads: bool,
}

/// 支付明细表的一行：经济科目及其预算、申请、使用金额。
#[derive(Clone, Debug, Default)]
pub struct Payment {
    pub item: Text,
    pub budget: Amount,
    pub applied: Amount,
    pub used: Amount,
}

impl ProjectEvaluation {
    /// 全年预算数合计（财政资金 + 其他资金）, when a budget is given.
    pub fn budget_total(&self) -> Option<Money> {
        sum_parts(&self.budget, &self.other_budget)
    }

    pub fn executed_total(&self) -> Option<Money> {
        sum_parts(&self.executed, &self.other_executed)
    }

    pub fn arrived_total(&self) -> Option<Money> {
        sum_parts(&self.arrived, &self.other_arrived)
    }
}

fn sum_parts(a: &Option<Amount>, b: &Option<Amount>) -> Option<Money> {
    match (a, b) {
        (None, None) => None,
        _ => Some(
            a.as_ref().map(|x| x.value).unwrap_or_default()
                + b.as_ref().map(|x| x.value).unwrap_or_default(),
        ),
    }
}

/// 工作量：本年数、上年数，以及应与之相加相等的组成项名称。
#[derive(Clone, Debug, Default)]
pub struct Workload {
    pub name: Text,
    pub unit: Text,
    pub current: Count,
    pub prior: Option<Count>,
    pub parts: Vec<Text>,
}

/// One 绩效指标 with how it is measured.
#[derive(Clone, Debug)]
pub struct Indicator {
    /// The indicator has a 分值 (a scored 自评表); unweighted ones are only listed.
    pub weighted: bool,
    pub level1: Text,
    pub level2: Text,
    pub level3: Text,
    pub weight: Fact<rust_decimal::Decimal>,
    pub measure: Measure,
    pub unit: Text,
    pub target_text: Text,
    pub actual_text: Text,
    /// Where the target value was given (a quantitative indicator's 年度指标值).
    pub target_loc: Option<Location>,
    /// Where the actual value (or the tier) was given, for diagnostics.
    pub actual_loc: Option<Location>,
    pub reason: Text,
    /// 打分表的指标解释与计分标准。
    pub explanation: Text,
    pub criteria: Text,
}

/// Every declared scalar fact the input gives (`src/schema/scalars.rs`), validated, by its key.
///
/// The hand-written fields of [`Bureau`] hold the same values; a figure may instead read a fact
/// by its typed key (`b.facts.amount(K)` with `const K: Key<Money> = schema::money("…")`), so a
/// newly declared fact needs no field here and no line in `build.rs`.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    values: std::collections::BTreeMap<&'static str, FactValue>,
}

/// One validated scalar fact.
#[derive(Clone, Debug)]
pub enum FactValue {
    Amount(Amount),
    Count(Count),
    Text(Text),
    /// A decimal that is not money (得分, 分值, 完成率).
    Number(Fact<rust_decimal::Decimal>),
}

impl Facts {
    /// The amount at `key`, if the input gives it.
    pub fn amount(&self, key: crate::schema::Key<crate::schema::Money>) -> Option<&Amount> {
        match self.values.get(key.key)? {
            FactValue::Amount(a) => Some(a),
            _ => None,
        }
    }

    /// The whole number at `key`, if the input gives it.
    pub fn count(&self, key: crate::schema::Key<crate::schema::Whole>) -> Option<&Count> {
        match self.values.get(key.key)? {
            FactValue::Count(c) => Some(c),
            _ => None,
        }
    }

    /// The text at `key`, if the input gives it.
    pub fn text(&self, key: crate::schema::Key<crate::schema::Words>) -> Option<&Text> {
        match self.values.get(key.key)? {
            FactValue::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The fact at the declared key `key`, whatever its kind, if the input gives it (a named
    /// fact's value or companion, `crate::schema::named`).
    pub fn get(&self, key: &str) -> Option<&FactValue> {
        self.values.get(key)
    }

    /// The facts given, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &FactValue)> {
        self.values.iter().map(|(k, v)| (*k, v))
    }

    pub(crate) fn insert(&mut self, key: &'static str, value: FactValue) {
        self.values.insert(key, value);
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// Whether any fact of `group` (a key–value sheet of `src/schema/scalars.rs`) is given.
    pub fn any_of(&self, group: &crate::schema::Group) -> bool {
        group.fields.iter().any(|f| self.values.contains_key(f.key))
    }
}

/// One bureau-year of facts.
#[derive(Clone, Debug)]
pub struct Bureau {
    pub identity: Identity,
    pub overview: Overview,
    pub prior: PriorYear,
    pub income: Income,
    pub spending: Spending,
    pub appropriation: Appropriation,
    pub general_budget: GeneralBudget,
    pub non_appropriation: Vec<NonAppropriationItem>,
    pub three_public: ThreePublic,
    pub running_costs: RunningCosts,
    pub procurement: Procurement,
    pub assets: Assets,
    pub performance: Performance,
    pub catalog: Catalog,
    /// The facts of the bureau's form (`[extra]`), in the form's order.
    pub extra: Vec<extra::ExtraFact>,
    /// Rows of the 公开表 as printed, by column (`[[declared_rows]]`).
    pub declared_rows: Vec<DeclaredRow>,
    /// Every declared scalar fact given, by key.
    pub facts: Facts,
}

impl Bureau {
    /// Fills in an amount the input left out (`--previous`): its field, if any
    /// ([`Bureau::prior_field_mut`]), and [`Facts`].
    pub(crate) fn fill_amount(&mut self, key: &'static str, amount: Amount) {
        if let Some(field) = self.prior_field_mut(key) {
            *field = amount.clone();
        }
        self.facts.insert(key, FactValue::Amount(amount));
    }

    /// Whether the input gives any “三公” fact at all: a fact of the 三公经费 group
    /// (`src/schema/scalars.rs`: an amount, a count, a text, a declared total) or a vehicle
    /// row. With none, the 说明 leaves its “三公” part out (R051) instead of printing zeros built
    /// from nothing. A fact typed as 0 (or an empty text) is given. The facts include what
    /// `--previous` fills in.
    pub fn three_public_given(&self) -> bool {
        self.facts.any_of(&crate::schema::scalars::THREE_PUBLIC)
            || !self.three_public.vehicle.purchases.is_empty()
            || !self.three_public.vehicle.fleet.is_empty()
    }

    /// The figure a total prints when the source declared it: the declared total, if it stands
    /// within the 尾差 of the sum of its `given` printed parts and `[bureau] totals` is
    /// `declared`; `None` when the sum prints (nothing declared, the `parts` policy, or a
    /// declared total beyond the 尾差, which the rules report as an error).
    pub fn printed_total(
        &self,
        declared: Option<&Amount>,
        sum: Money,
        given: usize,
    ) -> Option<Money> {
        let d = declared?;
        (self.identity.totals == TotalsPolicy::Declared
            && crate::money::within_tail(self.identity.unit, d.value, sum, given))
        .then_some(d.value)
    }

    /// 类 and 款 headings of a fund's items, in code order, each once.
    pub fn headings(&self, items: &[FunctionItem], len: usize) -> Vec<FunctionHeading> {
        let mut codes: Vec<&str> = items
            .iter()
            .filter_map(|i| i.code.value.get(..len))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
            .into_iter()
            .map(|c| FunctionHeading {
                code: c.to_string(),
                name: self
                    .catalog
                    .get(c)
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Every free text of the input with its location, for the glyph coverage check.
    pub fn texts(&self) -> Vec<&Text> {
        let o = &self.overview;
        let mut v: Vec<&Text> = vec![&self.identity.name, &self.identity.short_name];
        v.extend(&o.duties);
        for t in &o.key_tasks {
            v.push(&t.title);
            v.extend(&t.paragraphs);
        }
        // Every text fact given (reasons, purposes, the 绩效 texts…), by its declaration: a
        // text fact added to a section is checked with no line here.
        v.extend(self.facts.iter().filter_map(|(_, f)| match f {
            FactValue::Text(t) => Some(t),
            _ => None,
        }));
        for fund in [
            &self.appropriation.general_budget,
            &self.appropriation.gov_fund,
            &self.appropriation.state_capital,
        ] {
            v.extend(fund.items.iter().map(|i| &i.reason));
        }
        let t = &self.three_public;
        v.extend(t.vehicle.purchases.iter().map(|p| &p.kind));
        v.extend(t.vehicle.fleet.iter().map(|p| &p.kind));
        v.extend(self.assets.vehicles.iter().map(|p| &p.kind));
        for pr in self
            .performance
            .department
            .iter()
            .chain(&self.performance.projects)
        {
            v.extend([&pr.name, &pr.evaluation.summary, &pr.unit, &pr.goal]);
            v.extend([&pr.outcome, &pr.problems, &pr.suggestions]);
            v.extend(pr.payments.iter().map(|p| &p.item));
            if let Some(r) = &pr.report {
                v.extend(r.texts());
            }
            for sec in &pr.sections {
                v.push(&sec.title);
                v.extend(&sec.paragraphs);
            }
            for i in &pr.indicators {
                v.extend([&i.level1, &i.level2, &i.level3, &i.unit, &i.reason]);
                v.extend([&i.target_text, &i.actual_text, &i.explanation, &i.criteria]);
            }
            for w in &pr.workloads {
                v.extend([&w.name, &w.unit]);
                v.extend(&w.parts);
            }
        }
        v
    }
}
