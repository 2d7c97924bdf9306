//! 原始记录：TOML 里写了什么，就原样记下什么，连同每个值的位置（`toml::Spanned`）。
//!
//! Raw records are what the user typed, with positions. Nothing here is trusted: the validator
//! in `model` turns them into facts. Only facts have fields; nothing derivable (a share, a sum, a
//! rate, a score) can be entered, except *declared* totals (`declared_*`), which are checked
//! against their parts and never printed.
//!
//! What is here is only where things are: which section each TOML table is, and where in a
//! section each list sits. The facts themselves — every key, its kind, its label — are declared
//! in `src/schema/` and read by those declarations (`super::section`).

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

/// The records of `[performance]`: the projects, and the department's record
/// (`[performance.department]`), the same record as a project's.
#[derive(Debug, Default)]
pub struct PerformanceLists {
    pub projects: Vec<Record<Evaluations>>,
    pub department: Option<Record<Evaluations>>,
}

impl super::section::Lists for PerformanceLists {
    const PATHS: &'static [&'static str] = &["projects", "department"];

    fn read<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        path: &str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match path {
            "projects" => self.projects = map.next_value()?,
            // Read as the record itself, not as an `Option` (whose `Some` would put a `?` in
            // the path an unknown key is reported at).
            "department" => self.department = Some(map.next_value()?),
            _ => unreachable!("no list at {path}"),
        }
        Ok(())
    }
}

/// The 绩效 record (`src/schema/lists.rs`'s 绩效项目, with the fields only its TOML has and
/// its lists): a project's (`[[performance.projects]]`) and the department's
/// (`[performance.department]`, whose facts are also declared one by one for its sheet).
#[derive(Debug)]
pub enum Evaluations {}

impl Declared for Evaluations {
    const LIST: &'static crate::schema::List = &crate::schema::lists::PROJECTS;
    // A project without a name is the model's message, at the project; the department's
    // name is the bureau's unless it gives one.
    const REFUSES_MISSING: bool = false;
}

declared! {
    /// 绩效指标: a 绩效 record's `indicators`.
    Indicators => INDICATORS,
    /// 工作量: a 绩效 record's `workloads`.
    Workloads => WORKLOADS,
    /// 支付明细: a 绩效 record's `payments`.
    Payments => PAYMENTS,
    /// 报告章节: a 绩效 record's `sections`.
    ReportSections => SECTIONS,
    /// 人员概况: a 绩效 record's `report.staff`.
    Staff => STAFF,
}
