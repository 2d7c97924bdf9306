//! 逐行记录：每个多行的内置事实（功能分类各项、经济分类各款、绩效项目、指标、工作量……）写一次——
//! 它在 TOML 中的数组（或以编码为键的表）、工作簿中的工作表，以及每一列的键、种类、中文表头、
//! 填写说明和是否必填。
//!
//! Each list is one row sheet of the workbook (`workbook::schema::SHEETS` refers to it as the
//! key–value sheets refer to [`super::scalars`]): its columns, in sheet order (A, B, …), are the
//! fields of one record, their keys relative to the record (`basic` of a
//! `general_budget.items` line; `income.upper_grant` of a `non_appropriation.items` line). A
//! column whose key is empty is the sheet's own: the 资金 that picks the array, the 项目名称 that
//! picks the project, a map's code and its value. The reader, the writer, the template,
//! `convert`, the 元/万元 check (`input::checks`) and docs/fact-schema.md follow from these.
//!
//! A workbook's columns are read by position, and a template of an earlier version may lack the
//! optional columns at the end: never rename, remove or move a column; add new ones at the end.
//!
//! The 绩效 record — a project (`[[performance.projects]]`, a row of [`PROJECTS`]) and the
//! department as a whole (`[performance.department]`) — is one record, read by one declaration
//! (`input::section::Record`):
//! - its single values are [`PROJECTS`]'s columns, and the department's declared facts
//!   (`scalars::DEPARTMENT_PERFORMANCE`, rows of the 部门整体绩效 sheet, `performance.department.*`)
//!   that no column of 绩效项目 carries ([`List::toml_only`]: `declared_spending`,
//!   `report.intro`, …). A field both sheets have is one field of the record, declared where
//!   each sheet shows it (a column, a row; a test keeps their kinds equal). So a project's TOML
//!   may give what only the department's sheet has, and the department's TOML what only the
//!   project sheet has (`name`, `report.brief`, …): TOML only, the workbook gaining no column;
//!   docs/fact-schema.md lists them under 绩效项目.
//! - its lists are the lists whose rows belong to a project or the department
//!   ([`List::children`]: [`Target::UnderProject`], [`Target::Sections`], and [`STAFF`] at
//!   `report.staff`), each read by its own columns.
//!
//! The department's values are also kept by their declared keys (`model::Facts`), as any
//! section's facts are.

use super::choices;
use super::{Field, Kind, Kind::*, f, req};

/// Where the rows of a list go in the TOML.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// Each row is one table appended to this array.
    Array(&'static str),
    /// The first column picks the array (资金 → its items).
    Routed(&'static [(&'static str, &'static str)]),
    /// Each row is one string of this array (one column).
    Strings(&'static str),
    /// Rows with the same first column (标题) form one table: `{ title, paragraphs = [...] }`.
    Grouped {
        array: &'static str,
        title: &'static str,
        lines: &'static str,
    },
    /// Each row is `key = value` in this table (first column the key).
    Map(&'static str),
    /// The first column names a `performance.projects` entry; the row goes into its sub-array,
    /// or into its map when `map` is set.
    UnderProject { array: &'static str, map: bool },
    /// Report sections under a project: rows with the same 项目名称 and `title` in a row form one
    /// section of `array`, each row one of its `lines`; `flag` is the section's own 是/否.
    Sections {
        array: &'static str,
        title: &'static str,
        lines: &'static str,
        flag: &'static str,
    },
}

/// One list fact: its sheet, where its rows go, and its columns.
#[derive(Clone, Copy, Debug)]
pub struct List {
    /// The workbook's sheet (`功能分类支出`), and how messages name the list.
    pub sheet: &'static str,
    pub target: Target,
    /// The columns in sheet order, keys relative to the record.
    pub columns: &'static [Field],
}

/// The records under a project are also under the department (`performance.department`),
/// which shares the project's record.
const RECORD_HOLDERS: [&str; 2] = [PROJECTS_KEY, DEPARTMENT_KEY];

/// Where the projects' records are in the TOML: the array of [`PROJECTS`].
pub const PROJECTS_KEY: &str = "performance.projects";

/// Where the department's record is in the TOML (a table: the 部门整体绩效 sheet, and the rows
/// of the project sheets whose 项目名称 is “部门整体”).
pub const DEPARTMENT_KEY: &str = "performance.department";

/// The 绩效 record's fields that the 绩效项目 sheet has no column for: the department's
/// declared facts (`performance.department.*`, rows of its 部门整体绩效 sheet), keyed relative
/// to the record, that are not a column of [`PROJECTS`]. Read for a project from its TOML only.
static EVALUATION_TOML_ONLY: std::sync::LazyLock<Vec<Field>> = std::sync::LazyLock::new(|| {
    let under = DEPARTMENT_KEY.len() + 1;
    super::scalars::DEPARTMENT_PERFORMANCE
        .fields
        .iter()
        .filter_map(|f| {
            let key = f.key.strip_prefix(DEPARTMENT_KEY)?.strip_prefix('.')?;
            let column = PROJECTS.fields().any(|c| c.key == key);
            (!column).then_some(Field {
                key: &f.key[under..],
                ..*f
            })
        })
        .collect()
});

impl List {
    /// The TOML keys of the arrays (or tables) this list's rows go to: `general_budget.items`,
    /// `performance.projects.indicators`.
    pub fn keys(&self) -> Vec<String> {
        match self.target {
            Target::Array(a) | Target::Strings(a) | Target::Map(a) => vec![a.to_string()],
            Target::Grouped { array, .. } => vec![array.to_string()],
            Target::Routed(routes) => routes.iter().map(|(_, a)| a.to_string()).collect(),
            Target::UnderProject { array, .. } => RECORD_HOLDERS
                .iter()
                .map(|h| format!("{h}.{array}"))
                .collect(),
            Target::Sections { array, .. } => RECORD_HOLDERS
                .iter()
                .map(|h| format!("{h}.{array}"))
                .collect(),
        }
    }

    /// The columns that are a record's fields (a key of their own), with their keys.
    pub fn fields(&self) -> impl Iterator<Item = &'static Field> {
        self.columns.iter().filter(|c| !c.key.is_empty())
    }

    /// Whether this list's records are the 绩效 record: a project's, and the department's.
    fn is_evaluation(&self) -> bool {
        matches!(self.target, Target::Array(a) if a == RECORD_HOLDERS[0])
    }

    /// The fields a record of this list has in the TOML beyond its sheet's columns, with keys
    /// relative to the record: for the 绩效 record, those of the department's facts no column
    /// of 绩效项目 carries (`declared_spending`, `report.intro`, …).
    pub fn toml_only(&self) -> &'static [Field] {
        if self.is_evaluation() {
            &EVALUATION_TOML_ONLY
        } else {
            &[]
        }
    }

    /// Every single value of a record: the columns with a key, then [`List::toml_only`].
    pub fn record_fields(&self) -> impl Iterator<Item = &'static Field> {
        self.fields().chain(self.toml_only())
    }

    /// Where a row of this list sits in the 绩效 record it belongs to (`indicators`,
    /// `report.staff`), if it belongs to one.
    pub fn under_record(&self) -> Option<&'static str> {
        match self.target {
            Target::UnderProject { array, .. } | Target::Sections { array, .. } => Some(array),
            Target::Array(a) => RECORD_HOLDERS
                .iter()
                .find_map(|h| a.strip_prefix(h)?.strip_prefix('.')),
            _ => None,
        }
    }

    /// The lists whose rows are part of a record of this list, each at its key in the record:
    /// a 绩效 record's indicators, workloads, payments, sections, level weights and staff.
    pub fn children(&self) -> impl Iterator<Item = (&'static str, &'static List)> {
        let holds = self.is_evaluation();
        LISTS
            .iter()
            .filter(move |_| holds)
            .filter_map(|l| Some((l.under_record()?, *l)))
    }

    /// The column whose rows are the lines of one field of a record (a section's `paragraphs`,
    /// a key task's): in the TOML an array of strings, which may be left out.
    pub fn lines(&self) -> Option<&'static str> {
        match self.target {
            Target::Grouped { lines, .. } | Target::Sections { lines, .. } => Some(lines),
            _ => None,
        }
    }

    /// The declared kind of what sits at `rest` (a path relative to one of [`List::keys`], with
    /// no array indices: `basic`, `income.upper_grant`; a map's code): `None` when the list
    /// declares nothing there.
    pub fn kind_at(&self, rest: &str) -> Option<Kind> {
        match self.target {
            // A map's entries are `code = value`, the value its last column.
            Target::Map(_) | Target::UnderProject { map: true, .. } => (!rest.is_empty()
                && !rest.contains('.'))
            .then(|| self.columns.last().map(|c| c.kind))
            .flatten(),
            // The strings themselves.
            Target::Strings(_) => rest.is_empty().then(|| self.columns[0].kind),
            _ => self.record_fields().find(|c| c.key == rest).map(|c| c.kind),
        }
    }
}

/// The list fact `key` (`general_budget.items.basic`, `spending.declared_classes.201`,
/// `performance.projects.indicators.weight`; array indices left out) is a column of, with the
/// column's kind.
pub fn column(key: &str) -> Option<(&'static List, Kind)> {
    LISTS.iter().find_map(|l| {
        l.keys().iter().find_map(|k| {
            let rest = key.strip_prefix(k.as_str())?;
            let rest = if rest.is_empty() {
                rest
            } else {
                rest.strip_prefix('.')?
            };
            l.kind_at(rest).map(|kind| (*l, kind))
        })
    })
}

/// The first column of the sheets whose rows belong to a project (or to the department).
const FOR_PROJECT: Field = req(
    "",
    "项目名称",
    Text,
    "与“绩效项目”表一致；部门整体填“部门整体”",
);

/// The 资金 choice of the 功能分类 sheet: which fund's array a line goes to (its values are the
/// arrays, `Target::Routed`).
pub const FUNDS: choices::Choice = choices::Choice {
    name: "资金",
    options: &[
        ("一般公共预算", "general_budget.items"),
        ("政府性基金", "appropriation.gov_fund.items"),
        ("国有资本经营", "appropriation.state_capital.items"),
    ],
};

/// The 资金 choice of the 经济分类 sheet.
pub const ECONOMIC_FUNDS: choices::Choice = choices::Choice {
    name: "资金",
    options: &[
        ("一般公共预算", "general_budget.economic"),
        ("政府性基金", "appropriation.gov_fund.economic"),
        ("国有资本经营", "appropriation.state_capital.economic"),
    ],
};

pub const DUTIES_PREAMBLE: List = List {
    sheet: "职能引言",
    target: Target::Strings("overview.duties_preamble"),
    columns: &[req("", "段落", Text, "一段引言")],
};

pub const DUTIES: List = List {
    sheet: "职能",
    target: Target::Strings("overview.duties"),
    columns: &[req("", "职能简介", Text, "一条职责")],
};

pub const UNITS: List = List {
    sheet: "单位构成",
    target: Target::Array("overview.units"),
    columns: &[
        req("name", "单位名称", Text, "如 上海市普陀区财政局（本级）"),
        f("note", "备注", Text, "如 预算不单列，并入本级"),
    ],
};

pub const SETUP: List = List {
    sheet: "机构设置",
    target: Target::Strings("overview.setup"),
    columns: &[req("", "段落", Text, "一段机构设置的说明")],
};

pub const KEY_TASKS: List = List {
    sheet: "重点工作",
    target: Target::Grouped {
        array: "overview.key_tasks",
        title: "title",
        lines: "paragraphs",
    },
    columns: &[
        req("title", "任务标题", Text, ""),
        req("paragraphs", "段落", Text, "一段正文"),
    ],
};

pub const FUNCTION_ITEMS: List = List {
    sheet: "功能分类支出",
    target: Target::Routed(FUNDS.options),
    columns: &[
        req(
            "",
            "资金",
            Choice(&FUNDS),
            "一般公共预算、政府性基金或国有资本经营",
        ),
        req("code", "科目编码", Code, "7 位，如 2010308"),
        f("name", "科目名称", Text, "科目表没有的编码才需填写"),
        f("basic", "基本支出", Money, ""),
        f("project", "项目支出", Money, ""),
        f("budget", "预算数", Money, "调整后预算数（一般公共预算）"),
        f("opening_balance", "年初结转和结余", Money, ""),
        f("closing_balance", "年末结转和结余", Money, ""),
        f("reason", "决算与预算差异原因", Text, ""),
        f(
            "declared_total",
            "核对：支出合计",
            Money,
            "来源表所印该项的合计，仅核对",
        ),
        f("purpose", "主要用于", Text, "上海格式逐项说明的用途"),
        f(
            "initial_budget",
            "年初预算数",
            Money,
            "表式按年初预算计算完成预算时填写（上海）",
        ),
    ],
};

pub const ECONOMIC_ITEMS: List = List {
    sheet: "经济分类支出",
    target: Target::Routed(ECONOMIC_FUNDS.options),
    columns: &[
        req(
            "",
            "资金",
            Choice(&ECONOMIC_FUNDS),
            "一般公共预算、政府性基金或国有资本经营",
        ),
        req("code", "科目编码", Code, "5 位，如 30101"),
        f("name", "科目名称", Text, "科目表没有的编码才需填写"),
        f("basic", "基本支出", Money, ""),
        f("project", "项目支出", Money, ""),
    ],
};

pub const NON_APPROPRIATION_ITEMS: List = List {
    sheet: "非财政拨款",
    target: Target::Array("non_appropriation.items"),
    columns: &[
        req("code", "科目编码", Code, "7 位"),
        f("name", "科目名称", Text, ""),
        f("income.upper_grant", "上级补助收入", Money, ""),
        f("income.service", "事业收入", Money, ""),
        f("income.business", "经营收入", Money, ""),
        f("income.affiliate", "附属单位上缴收入", Money, ""),
        f("income.other", "其他收入", Money, ""),
        f("spending.basic", "基本支出", Money, ""),
        f("spending.project", "项目支出", Money, ""),
        f("spending.upper_remit", "上缴上级支出", Money, ""),
        f("spending.business", "经营支出", Money, ""),
        f("spending.affiliate_grant", "对附属单位补助支出", Money, ""),
    ],
};

pub const DECLARED_SUBTOTALS: List = List {
    sheet: "类款合计",
    target: Target::Map("general_budget.declared_subtotals"),
    columns: &[
        req("", "科目编码", Code, "3 位类或 5 位款"),
        req("", "合计", Money, ""),
    ],
};

pub const SPENDING_DECLARED_CLASSES: List = List {
    sheet: "总表类合计",
    target: Target::Map("spending.declared_classes"),
    columns: &[
        req("", "科目编码", Code, "3 位类编码"),
        req("", "合计", Money, ""),
    ],
};

pub const APPROPRIATION_DECLARED_CLASSES: List = List {
    sheet: "财政拨款类合计",
    target: Target::Map("appropriation.declared_classes"),
    columns: &[
        req("", "科目编码", Code, "3 位类编码"),
        req("", "合计", Money, ""),
    ],
};

pub const DECLARED_ECONOMIC_SUBTOTALS: List = List {
    sheet: "经济分类类合计",
    target: Target::Map("general_budget.declared_economic_subtotals"),
    columns: &[
        req("", "科目编码", Code, "3 位经济分类类编码"),
        req("", "合计", Money, ""),
    ],
};

pub const DECLARED_ROWS: List = List {
    sheet: "分列合计",
    target: Target::Array("declared_rows"),
    columns: &[
        req("table", "表", Choice(&choices::DECLARED_TABLE), "所印的表"),
        req("code", "科目编码", Code, "3 位类、5 位款、7 位项，或“合计”"),
        f(
            "total",
            "合计",
            Money,
            "本年收入合计、本年支出合计、支出小计等合计列",
        ),
        f("basic", "基本支出", Money, ""),
        f("project", "项目支出", Money, ""),
        f("budget", "预算数", Money, "一般公共预算财政拨款支出决算表"),
        f(
            "general_budget",
            "一般公共预算",
            Money,
            "财政拨款收入支出决算总表",
        ),
        f(
            "gov_fund",
            "政府性基金预算",
            Money,
            "财政拨款收入支出决算总表",
        ),
        f(
            "state_capital",
            "国有资本经营预算",
            Money,
            "财政拨款收入支出决算总表",
        ),
        // 第 10 版：收入决算表的各收入列。
        f("appropriation", "财政拨款收入", Money, "收入决算表"),
        f("upper_grant", "上级补助收入", Money, "收入决算表"),
        f("service", "事业收入", Money, "收入决算表"),
        f("business", "经营收入", Money, "收入决算表"),
        f("affiliate", "附属单位上缴收入", Money, "收入决算表"),
        f("other", "其他收入", Money, "收入决算表"),
        // 第 11 版：政府性基金、国有资本经营收入支出决算表的类、款行。
        f(
            "opening_balance",
            "年初结转和结余",
            Money,
            "政府性基金、国有资本经营收入支出决算表",
        ),
        f(
            "income",
            "本年收入",
            Money,
            "政府性基金、国有资本经营收入支出决算表",
        ),
        f(
            "closing_balance",
            "年末结转和结余",
            Money,
            "政府性基金、国有资本经营收入支出决算表",
        ),
    ],
};

pub const VEHICLE_PURCHASES: List = List {
    sheet: "公务用车购置",
    target: Target::Array("three_public.vehicle.purchases"),
    columns: &[
        req("kind", "车型", Text, "如 轿车"),
        f("count", "辆数", Int, ""),
        f("amount", "金额", Money, ""),
    ],
};

pub const VEHICLE_FLEET: List = List {
    sheet: "公务用车保有",
    target: Target::Array("three_public.vehicle.fleet"),
    columns: &[req("kind", "车型", Text, ""), f("count", "辆数", Int, "")],
};

pub const VEHICLES: List = List {
    sheet: "车辆",
    target: Target::Array("assets.vehicles"),
    columns: &[
        req("kind", "用途", Text, "如 机要通信用车"),
        f("count", "辆数", Int, ""),
    ],
};

pub const STAFF: List = List {
    sheet: "人员概况",
    target: Target::Array("performance.department.report.staff"),
    columns: &[
        req("category", "类别", Text, "如 行政编制、驾驶员"),
        f("contract", "编外聘用", Bool, "是 / 否（不填为编制内）"),
        f("quota", "编制数", Int, "编制内"),
        req("actual", "实有人数", Int, ""),
        f("prior", "上年末实有人数", Int, ""),
    ],
};

pub const PROJECTS: List = List {
    sheet: "绩效项目",
    target: Target::Array(PROJECTS_KEY),
    columns: &[
        req("name", "项目名称", Text, ""),
        f("prior_assessment", "事前绩效评估", Bool, "是 / 否"),
        f("goals_set", "编制绩效目标", Bool, "是 / 否"),
        f("monitored", "绩效监控", Bool, "是 / 否"),
        f("declared_score", "自评得分", Number, "有指标时为核对数"),
        f("summary", "自评综述", Text, ""),
        f("unit", "实施（主管）单位", Text, "不填用单位名称"),
        f("initial_budget", "年初预算数", Money, ""),
        f("budget", "全年预算数", Money, "财政资金"),
        f("arrived", "到位数", Money, "财政资金"),
        f("executed", "全年执行数", Money, "财政资金"),
        f("other_budget", "其他资金预算数", Money, ""),
        f("other_arrived", "其他资金到位数", Money, ""),
        f("other_executed", "其他资金执行数", Money, ""),
        f("execution_weight", "执行率分值", Number, "不填为 10"),
        f("goal", "年度预期目标", Text, ""),
        f("outcome", "实际完成情况", Text, ""),
        f("goal_completion", "总体完成率（%）", Number, ""),
        f("problems", "存在问题及改进措施", Text, ""),
        f("suggestions", "相关建议", Text, ""),
        f(
            "upper_budget",
            "中省补助资金预算数",
            Money,
            "财政资金中的中省补助",
        ),
        f(
            "upper_executed",
            "中省补助资金执行数",
            Money,
            "财政资金中的中省补助",
        ),
        f("report.brief", "报告：在部门报告中的介绍", Text, ""),
        f(
            "report.organization",
            "报告：项目基本情况",
            Text,
            "一段一行（单元格内换行）",
        ),
        f("report.goals", "报告：项目绩效目标", Text, ""),
        f("report.method", "报告：自评步骤及方法", Text, ""),
        f("report.finance", "报告：财务管理情况", Text, ""),
        f("report.process", "报告：组织架构及实施流程", Text, ""),
        f("report.management", "报告：项目管理情况", Text, ""),
        f("report.supervision", "报告：项目监管情况", Text, ""),
        f("report.completion", "报告：项目完成情况", Text, ""),
        f("report.benefits", "报告：项目效益情况", Text, ""),
        f(
            "report.conclusion",
            "报告：评价结论",
            Text,
            "不填用自评综述",
        ),
    ],
};

pub const LEVEL_WEIGHTS: List = List {
    sheet: "一级指标分值",
    target: Target::UnderProject {
        array: "level_weights",
        map: true,
    },
    columns: &[
        FOR_PROJECT,
        req(
            "",
            "一级指标",
            Text,
            "如 产出指标；二级指标写成 产出指标/数量指标",
        ),
        req("", "分值", Number, ""),
    ],
};

pub const INDICATORS: List = List {
    sheet: "绩效指标",
    target: Target::UnderProject {
        array: "indicators",
        map: false,
    },
    columns: &[
        FOR_PROJECT,
        req("level1", "一级指标", Text, ""),
        f("level2", "二级指标", Text, ""),
        req("level3", "三级指标", Text, ""),
        f("weight", "分值", Number, "不计分的自评表不填"),
        f(
            "kind",
            "类型",
            Choice(&choices::INDICATOR_KIND),
            "不填则只列文字、不计分",
        ),
        f("target", "指标值", Number, "定量指标"),
        f("actual", "实际值", Number, "定量指标"),
        f("unit", "计量单位", Text, ""),
        f("target_text", "指标值（文字）", Text, "定性指标"),
        f("actual_text", "完成情况（文字）", Text, "定性指标"),
        f("tier", "档次", Choice(&choices::TIER), "定性指标"),
        f("fraction", "得分比例", Number, "定性指标，0–1"),
        f("achieved", "是否达成", Bool, "是否类指标"),
        f("reason", "偏差原因", Text, ""),
        f("explanation", "指标解释", Text, "部门整体打分表"),
        f("criteria", "计分标准", Text, "部门整体打分表"),
    ],
};

pub const WORKLOADS: List = List {
    sheet: "工作量",
    target: Target::UnderProject {
        array: "workloads",
        map: false,
    },
    columns: &[
        FOR_PROJECT,
        req("name", "名称", Text, "如 来访"),
        f("unit", "单位", Text, "如 件"),
        req("current", "本年数", Int, ""),
        f("prior", "上年数", Int, ""),
        f("parts", "组成项", List, "如 初访、重复访"),
    ],
};

pub const PAYMENTS: List = List {
    sheet: "支付明细",
    target: Target::UnderProject {
        array: "payments",
        map: false,
    },
    columns: &[
        req("", "项目名称", Text, "与“绩效项目”表一致"),
        req("item", "经济科目", Text, "如 办公费"),
        f("budget", "预算金额", Money, ""),
        f("applied", "申请金额", Money, ""),
        f("used", "使用金额", Money, ""),
    ],
};

pub const SECTIONS: List = List {
    sheet: "报告章节",
    target: Target::Sections {
        array: "sections",
        title: "title",
        lines: "paragraphs",
        flag: "workloads",
    },
    columns: &[
        FOR_PROJECT,
        req("title", "章节标题", Text, "如 （一）项目完成情况"),
        f("paragraphs", "段落", Text, "一段正文；只有标题的章节不填"),
        f("workloads", "接工作量", Bool, "是：本节之后接工作量及同比"),
    ],
};

pub const CATALOG: List = List {
    sheet: "科目补充",
    target: Target::Array("catalog"),
    columns: &[
        req("code", "科目编码", Code, ""),
        req("name", "科目名称", Text, ""),
        f("explanation", "名词解释", Text, ""),
    ],
};

pub const LISTS: &[&List] = &[
    &DUTIES_PREAMBLE,
    &DUTIES,
    &UNITS,
    &SETUP,
    &KEY_TASKS,
    &FUNCTION_ITEMS,
    &ECONOMIC_ITEMS,
    &NON_APPROPRIATION_ITEMS,
    &DECLARED_SUBTOTALS,
    &SPENDING_DECLARED_CLASSES,
    &APPROPRIATION_DECLARED_CLASSES,
    &DECLARED_ECONOMIC_SUBTOTALS,
    &DECLARED_ROWS,
    &VEHICLE_PURCHASES,
    &VEHICLE_FLEET,
    &VEHICLES,
    &STAFF,
    &PROJECTS,
    &LEVEL_WEIGHTS,
    &INDICATORS,
    &WORKLOADS,
    &PAYMENTS,
    &SECTIONS,
    &CATALOG,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn a_list_column_has_its_declared_kind() {
        let kind = |key| column(key).map(|(l, k)| (l.sheet, k));
        assert!(matches!(
            kind("general_budget.items.basic"),
            Some(("功能分类支出", Money))
        ));
        assert!(matches!(
            kind("appropriation.gov_fund.items.code"),
            Some(("功能分类支出", Code))
        ));
        assert!(matches!(
            kind("non_appropriation.items.income.upper_grant"),
            Some(("非财政拨款", Money))
        ));
        assert!(matches!(
            kind("spending.declared_classes.201"),
            Some(("总表类合计", Money))
        ));
        assert!(matches!(
            kind("performance.department.indicators.weight"),
            Some(("绩效指标", Number))
        ));
        assert!(matches!(
            kind("performance.projects.payments.used"),
            Some(("支付明细", Money))
        ));
        assert!(matches!(
            kind("performance.projects.level_weights.产出指标"),
            Some(("一级指标分值", Number))
        ));
        assert!(kind("general_budget.items").is_none());
        assert!(kind("general_budget.items.no_such").is_none());
        assert!(kind("general_budget.itemsx.basic").is_none());
    }

    #[test]
    fn the_department_and_a_project_share_one_record() {
        // A field both the 绩效项目 sheet and the 部门整体绩效 sheet declare is one field of the
        // record: of one kind.
        let mut shared = 0;
        for f in super::super::scalars::DEPARTMENT_PERFORMANCE.fields {
            let Some(key) = f.key.strip_prefix("performance.department.") else {
                continue;
            };
            let field = PROJECTS.record_fields().find(|c| c.key == key);
            let field = field.unwrap_or_else(|| panic!("{key}: not a field of the record"));
            assert_eq!(field.kind, f.kind, "{key}");
            shared += usize::from(PROJECTS.fields().any(|c| c.key == key));
        }
        assert!(shared > 20, "{shared}");
        assert!(PROJECTS.toml_only().iter().any(|f| f.key == "report.intro"));
        assert!(!PROJECTS.toml_only().iter().any(|f| f.key == "budget"));
        let children: Vec<&str> = PROJECTS.children().map(|(k, _)| k).collect();
        assert_eq!(
            children,
            [
                "report.staff",
                "level_weights",
                "indicators",
                "workloads",
                "payments",
                "sections"
            ]
        );
        assert_eq!(INDICATORS.children().count(), 0);
        assert!(INDICATORS.toml_only().is_empty());
    }

    #[test]
    fn every_column_is_declared_once_in_its_list() {
        let mut sheets = BTreeSet::new();
        for l in LISTS {
            assert!(sheets.insert(l.sheet), "{} twice", l.sheet);
            let mut keys = BTreeSet::new();
            let mut headers = BTreeSet::new();
            for c in l.columns {
                assert!(headers.insert(c.header), "{}: {} twice", l.sheet, c.header);
                assert!(
                    c.key.is_empty() || keys.insert(c.key),
                    "{}: {}",
                    l.sheet,
                    c.key
                );
            }
        }
    }
}
