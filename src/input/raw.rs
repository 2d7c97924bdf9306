//! 原始记录：TOML 里写了什么，就原样记下什么，连同每个值的位置（`toml::Spanned`）。
//!
//! Raw records are what the user typed, with positions. Nothing here is trusted: the validator
//! in `model` turns them into facts. Only facts have fields; nothing derivable (a share, a sum, a
//! rate, a score) can be entered, except *declared* totals (`declared_*`), which are checked
//! against their parts and never printed.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub use super::literal::{Amount, AmountLit, Count, ExtraLit, Text};
use super::section::{Declared, Record, Section};

#[derive(Debug, Deserialize)]
pub struct RawBureau {
    /// 单位信息: read by its declarations (`name` and `year` required).
    #[serde(deserialize_with = "read::bureau")]
    pub bureau: Section,
    /// 单位概况: the 单位构成 counts read by their declarations, the rest are lists.
    #[serde(default, deserialize_with = "read::overview")]
    pub overview: Section<OverviewLists>,
    /// 上年数: read by its declarations (`crate::schema::scalars`), no struct of its own.
    #[serde(default, deserialize_with = "read::prior_year")]
    pub prior_year: Section,
    /// 收入: read by its declarations.
    #[serde(default, deserialize_with = "read::income")]
    pub income: Section,
    /// 支出: read by its declarations, and the 类 totals the source prints.
    #[serde(default, deserialize_with = "read::spending")]
    pub spending: Section<SpendingLists>,
    /// 财政拨款: each fund's balances read by their declarations; its lines are lists.
    #[serde(default, deserialize_with = "read::appropriation")]
    pub appropriation: Section<AppropriationLists>,
    /// 一般公共预算财政拨款支出: the declared totals read by their declarations; its lines are lists.
    #[serde(default, deserialize_with = "read::general_budget")]
    pub general_budget: Section<GeneralBudgetLists>,
    /// 非财政拨款资金: its lines are a list.
    #[serde(default, deserialize_with = "read::non_appropriation")]
    pub non_appropriation: Section<NonAppropriationLists>,
    /// “三公”经费: read by its declarations; the vehicles bought and the fleet are lists.
    #[serde(default, deserialize_with = "read::three_public")]
    pub three_public: Section<ThreePublicLists>,
    /// 机关运行经费: read by its declarations (`crate::schema::scalars`), no struct of its own.
    #[serde(default, deserialize_with = "read::running_costs")]
    pub running_costs: Section,
    /// 政府采购: read by its declarations.
    #[serde(default, deserialize_with = "read::procurement")]
    pub procurement: Section,
    /// 国有资产: read by its declarations; the vehicles by kind are a list.
    #[serde(default, deserialize_with = "read::assets")]
    pub assets: Section<AssetsLists>,
    /// 绩效: the form and 预算绩效管理 read by their declarations; the department and the
    /// projects are records of their own.
    #[serde(default, deserialize_with = "read::performance")]
    pub performance: Section<PerformanceLists>,
    /// 功能分类科目名称补充：本单位用到、但随附科目表里没有的编码（按声明读入）。
    #[serde(default)]
    pub catalog: Vec<Record<CatalogEntries>>,
    /// 表式自己的事实（form.toml 的 `[[facts]]`）：`键 = 值`，上年数、预算数写作 `键_prior`、
    /// `键_budget`。Which keys are allowed, and of what kind, only the form knows: the model
    /// checks them against its declarations.
    #[serde(default)]
    pub extra: BTreeMap<String, Spanned<ExtraLit>>,
    /// 公开表所印类、款、项行的分列数（照原文印）：各列所印的数，仅核对，尾差之内照印。
    #[serde(default)]
    pub declared_rows: Vec<Record<DeclaredRows>>,
}

/// Each section's reader (`deserialize_with`): the table named like the field, read by its
/// declarations (`Section::read`), its lists by serde.
mod read {
    use super::*;
    use serde::Deserializer;

    macro_rules! sections {
        ($($name:ident: $lists:ty,)*) => {$(
            pub fn $name<'de, D: Deserializer<'de>>(d: D) -> Result<Section<$lists>, D::Error> {
                Section::read(stringify!($name), d)
            }
        )*};
    }

    sections! {
        bureau: (),
        overview: OverviewLists,
        prior_year: (),
        income: (),
        spending: SpendingLists,
        appropriation: AppropriationLists,
        general_budget: GeneralBudgetLists,
        non_appropriation: NonAppropriationLists,
        three_public: ThreePublicLists,
        running_costs: (),
        procurement: (),
        assets: AssetsLists,
        performance: PerformanceLists,
    }
}

crate::lists! {
    /// The lists of `[overview]`.
    pub struct OverviewLists {
        "duties" => duties: Vec<Text>,
        "key_tasks" => key_tasks: Vec<Record<KeyTasks>>,
        /// 部门决算单位构成：纳入部门决算的单位名单（上海格式），第一行为本级（按声明读入）。
        "units" => units: Vec<Record<Units>>,
        /// 主要职能前的引言各段（如“第一条 根据……制定本规定。”），印在编号的职责之前。
        "duties_preamble" => duties_preamble: Vec<Text>,
        /// 机构设置：只有一个单位的部门（上海格式）以此代替单位构成表，一段一条。
        "setup" => setup: Vec<Text>,
    }
}

crate::lists! {
    /// The lists of `[spending]`.
    pub struct SpendingLists {
        /// 收入支出决算总表所印各“类”的支出合计（键为 3 位类编码），仅核对。
        "declared_classes" => declared_classes: BTreeMap<String, Amount>,
    }
}

crate::lists! {
    /// The lists of `[appropriation]`: for 政府性基金 and 国有资本经营, each fund's spending lines
    /// by 功能分类 项 and 经济分类 款 (一般公共预算 has its own section: lines here are misplaced).
    pub struct AppropriationLists {
        /// 财政拨款收入支出决算总表所印各“类”的支出合计（键为 3 位类编码），仅核对。
        "declared_classes" => declared_classes: BTreeMap<String, Amount>,
        "general_budget.items" => general_budget_items: Vec<Record<FunctionItems>>,
        "general_budget.economic" => general_budget_economic: Vec<Record<EconomicItems>>,
        "gov_fund.items" => gov_fund_items: Vec<Record<FunctionItems>>,
        "gov_fund.economic" => gov_fund_economic: Vec<Record<EconomicItems>>,
        "state_capital.items" => state_capital_items: Vec<Record<FunctionItems>>,
        "state_capital.economic" => state_capital_economic: Vec<Record<EconomicItems>>,
    }
}

crate::lists! {
    /// The lists of `[non_appropriation]`: 非财政拨款资金（上级补助、事业、经营、附属单位上缴、
    /// 其他收入）按功能分类项的收入与支出。
    pub struct NonAppropriationLists {
        "items" => items: Vec<Record<NonAppropriationItems>>,
    }
}

crate::lists! {
    /// The lists of `[general_budget]`.
    pub struct GeneralBudgetLists {
        "economic" => economic: Vec<Record<EconomicItems>>,
        /// 来源表所列的类、款合计（键为科目编码），仅用于核对。
        "declared_subtotals" => declared_subtotals: BTreeMap<String, Amount>,
        /// 来源表所列的经济分类“类”合计（键为 3 位编码，如 "301"），仅用于核对。
        "declared_economic_subtotals" => declared_economic_subtotals: BTreeMap<String, Amount>,
        "items" => items: Vec<Record<FunctionItems>>,
    }
}

crate::lists! {
    /// The lists of `[three_public]`, read by their declarations.
    pub struct ThreePublicLists {
        "vehicle.purchases" => purchases: Vec<Record<VehiclePurchases>>,
        "vehicle.fleet" => fleet: Vec<Record<VehicleFleet>>,
    }
}

crate::lists! {
    /// The lists of `[assets]`, read by their declarations.
    pub struct AssetsLists {
        "vehicles" => vehicles: Vec<Record<Vehicles>>,
    }
}

/// Lists read by their declared columns (`src/schema/lists.rs`), with no struct of their own.
macro_rules! declared {
    ($($(#[$m:meta])* $name:ident => $list:ident,)*) => {$(
        $(#[$m])*
        #[derive(Debug)]
        pub enum $name {}
        impl Declared for $name {
            const LIST: &'static crate::schema::List = &crate::schema::lists::$list;
        }
    )*};
}

declared! {
    /// 公务用车购置: `[[three_public.vehicle.purchases]]`.
    VehiclePurchases => VEHICLE_PURCHASES,
    /// 公务用车保有: `[[three_public.vehicle.fleet]]`.
    VehicleFleet => VEHICLE_FLEET,
    /// 车辆: `[[assets.vehicles]]`.
    Vehicles => VEHICLES,
    /// 单位构成: `[[overview.units]]`.
    Units => UNITS,
    /// 科目补充: `[[catalog]]`.
    CatalogEntries => CATALOG,
}

declared! {
    /// 重点工作: `[[overview.key_tasks]]`, a title and its paragraphs.
    KeyTasks => KEY_TASKS,
    /// 功能分类支出: a fund's `[[…items]]`, one 项 each.
    FunctionItems => FUNCTION_ITEMS,
    /// 经济分类支出: a fund's `[[…economic]]`, one 款 each.
    EconomicItems => ECONOMIC_ITEMS,
    /// 非财政拨款: `[[non_appropriation.items]]`, with `income = { … }` and `spending = { … }`.
    NonAppropriationItems => NON_APPROPRIATION_ITEMS,
    /// 分列合计: `[[declared_rows]]`, a 公开表's row as printed, by column.
    DeclaredRows => DECLARED_ROWS,
}

crate::lists! {
    /// The records of `[performance]`: the projects, and what of the department's record
    /// (`[performance.department]`, whose single values are read by their declarations) is not
    /// a declared single value — its lists, and the fields it shares with a project's record
    /// that only a project's 自评表 or report prints (TOML only: the workbook has no row for
    /// them).
    pub struct PerformanceLists {
        "projects" => projects: Vec<RawProjectEvaluation>,
        /// 部门整体的名称：不填取单位名称。
        "department.name" => department_name: Option<Text>,
        "department.prior_assessment" => department_prior_assessment: Option<Spanned<bool>>,
        "department.goals_set" => department_goals_set: Option<Spanned<bool>>,
        "department.monitored" => department_monitored: Option<Spanned<bool>>,
        "department.level_weights" => department_level_weights: BTreeMap<String, Spanned<AmountLit>>,
        "department.indicators" => department_indicators: Vec<RawIndicator>,
        "department.workloads" => department_workloads: Vec<RawWorkload>,
        "department.payments" => department_payments: Vec<RawPayment>,
        "department.sections" => department_sections: Vec<RawSection>,
        "department.report.staff" => department_staff: Vec<RawStaff>,
        "department.report.brief" => department_report_brief: Option<Text>,
        "department.report.goals" => department_report_goals: Option<Text>,
        "department.report.method" => department_report_method: Option<Text>,
        "department.report.finance" => department_report_finance: Option<Text>,
        "department.report.process" => department_report_process: Option<Text>,
        "department.report.supervision" => department_report_supervision: Option<Text>,
        "department.report.completion" => department_report_completion: Option<Text>,
        "department.report.benefits" => department_report_benefits: Option<Text>,
    }
}

/// A project's record (`[[performance.projects]]`); the department's is read by its
/// declarations (`[performance.department]`, see [`PerformanceLists`]).
#[derive(Debug, Deserialize)]
pub struct RawProjectEvaluation {
    /// 项目名称。
    pub name: Option<Text>,
    /// 实施（主管）单位。
    pub unit: Option<Text>,
    #[serde(default)]
    pub prior_assessment: Option<Spanned<bool>>,
    #[serde(default)]
    pub goals_set: Option<Spanned<bool>>,
    #[serde(default)]
    pub monitored: Option<Spanned<bool>>,
    pub declared_score: Option<Spanned<AmountLit>>,
    /// 部门整体报告所印“财政资金共支出”，仅核对（= 财政拨款支出合计）。
    pub declared_spending: Option<Amount>,
    /// 部门整体报告所印“财政资金收入”，仅核对（= 财政拨款收入合计）。
    pub declared_income: Option<Amount>,
    /// 部门整体报告所印“项目支出”（专项预算管理），仅核对（= 各项目全年执行数之和）。
    pub declared_project_spending: Option<Amount>,
    pub summary: Option<Text>,
    /// 年初预算数。
    pub initial_budget: Option<Amount>,
    /// 全年预算数（调整后）、到位数与全年执行数（财政资金）：算预算执行率。
    pub budget: Option<Amount>,
    pub arrived: Option<Amount>,
    pub executed: Option<Amount>,
    /// 其他资金的预算数、到位数、执行数（与财政资金相加为合计）。
    pub other_budget: Option<Amount>,
    pub other_arrived: Option<Amount>,
    pub other_executed: Option<Amount>,
    /// 年度预期目标、实际完成情况（文字），总体完成率（%，评价人的判断）。
    pub goal: Option<Text>,
    pub outcome: Option<Text>,
    pub goal_completion: Option<Spanned<AmountLit>>,
    /// 存在问题、原因及下一步整改措施；相关建议。
    pub problems: Option<Text>,
    pub suggestions: Option<Text>,
    /// 财政资金中的中省补助资金（其余为县级预算资金，由程序相减）。
    pub upper_budget: Option<Amount>,
    pub upper_executed: Option<Amount>,
    /// 预算执行率的分值，缺省 10。
    pub execution_weight: Option<Spanned<AmountLit>>,
    /// 一级、二级指标的分值，如 { "产出指标" = 50, "产出指标/数量指标" = 20 }：其下各指标分值之和须与之相等。
    #[serde(default)]
    pub level_weights: BTreeMap<String, Spanned<AmountLit>>,
    #[serde(default)]
    pub indicators: Vec<RawIndicator>,
    #[serde(default)]
    pub workloads: Vec<RawWorkload>,
    /// 支付明细：按经济科目的预算、申请、使用金额。
    #[serde(default)]
    pub payments: Vec<RawPayment>,
    /// 叙述式自评报告的章节（标题与段落）；`workloads = true` 的章节后接工作量及同比。
    #[serde(default)]
    pub sections: Vec<RawSection>,
    /// 绩效评价报告的文字与报告所需的事实（部门整体或项目）；有它才印报告。
    pub report: Option<RawReport>,
}

/// 绩效评价报告：各栏目的文字（一段一行，段落之间换行）与文中用到、别处没有的事实。
/// 栏目按报告版式取用，不印的栏目不填。
#[derive(Debug, Default, Deserialize)]
pub struct RawReport {
    /// 开头一段（湖南：“根据……现将……报告如下”）。
    pub intro: Option<Text>,
    /// 机构组成 / 部门基本情况 / 项目基本情况。
    pub organization: Option<Text>,
    /// 机构职能的引语（职能各条取自 [overview] duties）。
    pub functions_lead: Option<Text>,
    /// 部门预算管理 / 部门预算项目绩效管理。
    pub management: Option<Text>,
    /// 基本支出的用途（接在“基本支出为…万元，”之后）。
    pub basic_use: Option<Text>,
    /// 专项预算管理的说明（接在项目支出合计之后）。
    pub projects_note: Option<Text>,
    /// 上级专项（项目）资金绩效目标完成情况。
    pub upper_projects: Option<Text>,
    /// 其他需要说明的情况。
    pub other: Option<Text>,
    /// 自评质量。
    pub quality: Option<Text>,
    /// 部门整体支出绩效情况（湖南）。
    pub performance: Option<Text>,
    /// 评价结果公开与应用。
    pub disclosure: Option<Text>,
    /// 结果应用情况。
    pub results: Option<Text>,
    /// 项目：在部门整体报告中介绍本项目的一句（接在执行数之后）。
    pub brief: Option<Text>,
    /// 项目：项目绩效目标、自评步骤及方法、财务管理、组织架构及实施流程、管理、监管、完成情况、效益情况。
    pub goals: Option<Text>,
    pub method: Option<Text>,
    pub finance: Option<Text>,
    pub process: Option<Text>,
    pub supervision: Option<Text>,
    pub completion: Option<Text>,
    pub benefits: Option<Text>,
    /// 评价结论（不填用 summary）。
    pub conclusion: Option<Text>,
    /// 湖南：年初预算中的基本支出、项目支出（与 initial_budget 核对）。
    pub initial_basic: Option<Amount>,
    pub initial_project: Option<Amount>,
    /// 湖南：上年度非财政拨款结余结转；项目支出中的上年结转结余；安排专项个数。
    pub opening_balance: Option<Amount>,
    pub carried_over: Option<Amount>,
    pub project_count: Option<Count>,
    /// 人员概况：一行一类人员（部门整体报告）。
    #[serde(default)]
    pub staff: Vec<RawStaff>,
    /// 退休人数。
    pub retired: Option<Count>,
    /// 人员概况所印的编外人员合计，仅核对（= 各类编外人员之和）。
    pub declared_contract: Option<Count>,
    /// 人员概况所印的在编实有人数合计，仅核对（= 各类编制内实有人数之和）。
    pub declared_staff: Option<Count>,
}

/// 人员概况的一类人员。
#[derive(Debug, Deserialize)]
pub struct RawStaff {
    /// 类别，如“行政编制”“事业编制”“驾驶员”。
    pub category: Text,
    /// 编外聘用人员（不填为编制内）。
    pub contract: Option<Spanned<bool>>,
    /// 编制数（编制内）。
    pub quota: Option<Count>,
    /// 实有人数。
    pub actual: Count,
    /// 上年末实有人数。
    pub prior: Option<Count>,
}

#[derive(Debug, Deserialize)]
pub struct RawSection {
    pub title: Text,
    #[serde(default)]
    pub paragraphs: Vec<Text>,
    pub workloads: Option<Spanned<bool>>,
}

/// One line of a project's 支付明细表.
#[derive(Debug, Deserialize)]
pub struct RawPayment {
    /// 经济科目名称，如“办公费”。
    pub item: Text,
    pub budget: Option<Amount>,
    pub applied: Option<Amount>,
    pub used: Option<Amount>,
}

/// A workload count with its prior-year value (批次、人次、件): printed with 同比上升/下降.
#[derive(Debug, Deserialize)]
pub struct RawWorkload {
    pub name: Text,
    pub unit: Option<Text>,
    pub current: Count,
    pub prior: Option<Count>,
    /// Names of other workloads of this project that add up to this one (初访 + 重复访 = 来访).
    #[serde(default)]
    pub parts: Vec<Text>,
}

/// One 绩效指标 row of a 自评表.
#[derive(Debug, Deserialize)]
pub struct RawIndicator {
    pub level1: Text,
    pub level2: Option<Text>,
    pub level3: Text,
    /// 分值；不计分的自评表（如四川 2021 年部门预算项目绩效目标自评）不填。
    pub weight: Option<Spanned<AmountLit>>,
    /// positive（正向 ≥）| reverse（反向 ≤）| equal（等于 =）| qualitative（定性）| binary（是否）|
    /// not_applicable（不适用）；
    /// 不填则只列出指标值与完成情况的文字，不计分。
    pub kind: Option<Text>,
    pub target: Option<Spanned<AmountLit>>,
    pub actual: Option<Spanned<AmountLit>>,
    pub unit: Option<Text>,
    /// 定性指标的指标值与完成情况（文字），如“合理”“社会稳定”
    pub target_text: Option<Text>,
    pub actual_text: Option<Text>,
    /// 定性指标的档次：achieved（达成）| partly（部分达成）| not_achieved（未达成）
    pub tier: Option<Text>,
    /// 定性指标在档次区间内的得分比例（0–1）
    pub fraction: Option<Spanned<AmountLit>>,
    /// 是否类指标是否达成
    pub achieved: Option<Spanned<bool>>,
    /// 偏差原因、定性评价理由
    pub reason: Option<Text>,
    /// 打分表的指标解释与计分标准（文字）。
    pub explanation: Option<Text>,
    pub criteria: Option<Text>,
}
