//! 工作簿版式：每张工作表对应模型的哪一部分，每一列（或每一行）对应哪个 TOML 键。
//!
//! One table drives reading (`read.rs`), writing (`write.rs`) and the 说明 sheet, so the workbook
//! and the TOML can never drift apart. The key–value sheets (项目 | 值 | 说明) are the groups of
//! scalar facts declared in [`crate::schema::scalars`]; the row sheets' columns are declared here.
//! Keys use the same vocabulary as the TOML (`income.general_budget`); headers and choices are
//! Chinese.

pub use crate::schema::{Field, Kind};
use crate::schema::{f, req, scalars};

/// Where the rows of a row sheet go.
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
    /// Report sections under a project: rows with the same 项目名称 and 章节标题 in a row form one
    /// section (`title`, `paragraphs`, `workloads`).
    Sections,
}

#[derive(Clone, Copy, Debug)]
pub enum Layout {
    /// 项目 | 值 | 说明: one row per fact.
    KeyValue(&'static [Field]),
    /// A header row, then one row per record.
    Rows {
        target: Target,
        columns: &'static [Field],
    },
}

#[derive(Clone, Copy, Debug)]
pub struct Sheet {
    pub name: &'static str,
    pub about: &'static str,
    pub layout: Layout,
}

/// Sheets a template of an earlier version does not have (read as empty there), with the
/// version that added them.
pub const ADDED_SHEETS: &[(&str, u32)] = &[
    ("总表类合计", 3),
    ("财政拨款类合计", 3),
    ("经济分类类合计", 3),
    ("人员概况", 4),
    ("单位构成", 5),
    ("职能引言", 6),
    ("机构设置", 6),
    ("分列合计", 9),
];

pub const FUNDS: &[(&str, &str)] = &[
    ("一般公共预算", "general_budget.items"),
    ("政府性基金", "appropriation.gov_fund.items"),
    ("国有资本经营", "appropriation.state_capital.items"),
];

pub const ECONOMIC_FUNDS: &[(&str, &str)] = &[
    ("一般公共预算", "general_budget.economic"),
    ("政府性基金", "appropriation.gov_fund.economic"),
    ("国有资本经营", "appropriation.state_capital.economic"),
];

/// The name that, in the 项目名称 column of the indicator sheets, means the department as a whole.
pub const DEPARTMENT: &str = "部门整体";
use crate::schema::choices;

use Kind::*;

pub const SHEETS: &[Sheet] = &[
    Sheet {
        name: scalars::BUREAU.sheet,
        about: "单位名称、年度、表式与机构设置。",
        layout: Layout::KeyValue(scalars::BUREAU.fields),
    },
    Sheet {
        name: "职能引言",
        about: "主要职能前的引言（如“第一条 根据……制定本规定。”）：一行一段，印在编号的职责之前；没有可不填。",
        layout: Layout::Rows {
            target: Target::Strings("overview.duties_preamble"),
            columns: &[req("", "段落", Text, "一段引言")],
        },
    },
    Sheet {
        name: "职能",
        about: "部门职责：一行一条，按顺序编号。",
        layout: Layout::Rows {
            target: Target::Strings("overview.duties"),
            columns: &[req("", "职能简介", Text, "一条职责")],
        },
    },
    Sheet {
        name: "单位构成",
        about: "部门决算单位构成（上海格式）：一行一个单位，第一行为本级；序号由程序编。",
        layout: Layout::Rows {
            target: Target::Array("overview.units"),
            columns: &[
                req("name", "单位名称", Text, "如 上海市普陀区财政局（本级）"),
                f("note", "备注", Text, "如 预算不单列，并入本级"),
            ],
        },
    },
    Sheet {
        name: "机构设置",
        about: "机构设置（上海格式）：只有一个单位的部门以此代替单位构成表，一行一段。",
        layout: Layout::Rows {
            target: Target::Strings("overview.setup"),
            columns: &[req("", "段落", Text, "一段机构设置的说明")],
        },
    },
    Sheet {
        name: "重点工作",
        about: "重点工作任务：一行一段；同一标题的连续各行是同一项任务（标题单元格可合并）。",
        layout: Layout::Rows {
            target: Target::Grouped {
                array: "overview.key_tasks",
                title: "title",
                lines: "paragraphs",
            },
            columns: &[
                req("title", "任务标题", Text, ""),
                req("paragraphs", "段落", Text, "一段正文"),
            ],
        },
    },
    Sheet {
        name: scalars::PRIOR_YEAR.sheet,
        about: "上年（决算年度前一年）数与变动原因。",
        layout: Layout::KeyValue(scalars::PRIOR_YEAR.fields),
    },
    Sheet {
        name: scalars::INCOME.sheet,
        about: "本年收入（公开01表收入方）。合计由程序计算；来源表印着的合计填在“核对”行，只用来核对。",
        layout: Layout::KeyValue(scalars::INCOME.fields),
    },
    Sheet {
        name: scalars::SPENDING.sheet,
        about: "本年支出按性质（公开01表支出方）。",
        layout: Layout::KeyValue(scalars::SPENDING.fields),
    },
    Sheet {
        name: scalars::APPROPRIATION.sheet,
        about: "三项财政拨款的年初、年末结转和结余，及来源表所印合计（仅核对）。",
        layout: Layout::KeyValue(scalars::APPROPRIATION.fields),
    },
    Sheet {
        name: "功能分类支出",
        about: "财政拨款按支出功能分类“项”（7 位编码）：一行一项。科目名称可不填（按科目表）。",
        layout: Layout::Rows {
            target: Target::Routed(FUNDS),
            columns: &[
                req(
                    "",
                    "资金",
                    Choice(FUNDS),
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
        },
    },
    Sheet {
        name: "经济分类支出",
        about: "财政拨款按经济分类“款”（5 位编码）：一行一款；人员经费、公用经费由程序归集。",
        layout: Layout::Rows {
            target: Target::Routed(ECONOMIC_FUNDS),
            columns: &[
                req(
                    "",
                    "资金",
                    Choice(ECONOMIC_FUNDS),
                    "一般公共预算、政府性基金或国有资本经营",
                ),
                req("code", "科目编码", Code, "5 位，如 30101"),
                f("name", "科目名称", Text, "科目表没有的编码才需填写"),
                f("basic", "基本支出", Money, ""),
                f("project", "项目支出", Money, ""),
            ],
        },
    },
    Sheet {
        name: "非财政拨款",
        about: "上级补助、事业、经营、附属单位上缴、其他收入及其支出，按功能分类“项”。",
        layout: Layout::Rows {
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
        },
    },
    Sheet {
        name: "类款合计",
        about: "来源表所印一般公共预算财政拨款的类、款合计，仅核对（可不填）。",
        layout: Layout::Rows {
            target: Target::Map("general_budget.declared_subtotals"),
            columns: &[
                req("", "科目编码", Code, "3 位类或 5 位款"),
                req("", "合计", Money, ""),
            ],
        },
    },
    Sheet {
        name: "总表类合计",
        about: "收入支出决算总表所印支出方各“类”的合计（全部资金），仅核对（可不填）。",
        layout: Layout::Rows {
            target: Target::Map("spending.declared_classes"),
            columns: &[
                req("", "科目编码", Code, "3 位类编码"),
                req("", "合计", Money, ""),
            ],
        },
    },
    Sheet {
        name: "财政拨款类合计",
        about: "财政拨款收入支出决算总表所印支出方各“类”的合计，仅核对（可不填）。",
        layout: Layout::Rows {
            target: Target::Map("appropriation.declared_classes"),
            columns: &[
                req("", "科目编码", Code, "3 位类编码"),
                req("", "合计", Money, ""),
            ],
        },
    },
    Sheet {
        name: "经济分类类合计",
        about: "一般公共预算财政拨款按经济分类所印各“类”的合计（如 301 工资福利支出），仅核对（可不填）。",
        layout: Layout::Rows {
            target: Target::Map("general_budget.declared_economic_subtotals"),
            columns: &[
                req("", "科目编码", Code, "3 位经济分类类编码"),
                req("", "合计", Money, ""),
            ],
        },
    },
    Sheet {
        name: "分列合计",
        about: "公开表所印类、款、项行的分列数（如某类的基本支出、项目支出，某项资金列），一行是一张表的一行；与其下各项之和相差在尾差之内时照印，仅核对（可不填）。",
        layout: Layout::Rows {
            target: Target::Array("declared_rows"),
            columns: &[
                req(
                    "table",
                    "表",
                    Choice(choices::DECLARED_TABLE.options),
                    "所印的表",
                ),
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
        },
    },
    Sheet {
        name: scalars::THREE_PUBLIC.sheet,
        about: "财政拨款“三公”经费的预算数、决算数、上年数和次数人数。合计由程序计算。",
        layout: Layout::KeyValue(scalars::THREE_PUBLIC.fields),
    },
    Sheet {
        name: "公务用车购置",
        about: "本年购置的公务用车：一行一种车型。",
        layout: Layout::Rows {
            target: Target::Array("three_public.vehicle.purchases"),
            columns: &[
                req("kind", "车型", Text, "如 轿车"),
                f("count", "辆数", Int, ""),
                f("amount", "金额", Money, ""),
            ],
        },
    },
    Sheet {
        name: "公务用车保有",
        about: "截至年末的公务用车保有量：一行一种车型。",
        layout: Layout::Rows {
            target: Target::Array("three_public.vehicle.fleet"),
            columns: &[req("kind", "车型", Text, ""), f("count", "辆数", Int, "")],
        },
    },
    Sheet {
        name: scalars::OTHER.sheet,
        about: "机关运行经费、政府采购、国有资产。",
        layout: Layout::KeyValue(scalars::OTHER.fields),
    },
    Sheet {
        name: "车辆",
        about: "截至年末的车辆：一行一种用途。",
        layout: Layout::Rows {
            target: Target::Array("assets.vehicles"),
            columns: &[
                req("kind", "用途", Text, "如 机要通信用车"),
                f("count", "辆数", Int, ""),
            ],
        },
    },
    Sheet {
        name: scalars::DEPARTMENT_PERFORMANCE.sheet,
        about: "绩效自评表的版式与部门整体绩效自评。部门整体的指标写在“绩效指标”表，项目名称填“部门整体”。",
        layout: Layout::KeyValue(scalars::DEPARTMENT_PERFORMANCE.fields),
    },
    Sheet {
        name: "人员概况",
        about: "部门整体绩效评价报告的人员概况：一行一类人员；合计由程序相加。",
        layout: Layout::Rows {
            target: Target::Array("performance.department.report.staff"),
            columns: &[
                req("category", "类别", Text, "如 行政编制、驾驶员"),
                f("contract", "编外聘用", Bool, "是 / 否（不填为编制内）"),
                f("quota", "编制数", Int, "编制内"),
                req("actual", "实有人数", Int, ""),
                f("prior", "上年末实有人数", Int, ""),
            ],
        },
    },
    Sheet {
        name: "绩效项目",
        about: "项目支出绩效：一行一个项目。有指标的项目，得分由程序计算。",
        layout: Layout::Rows {
            target: Target::Array("performance.projects"),
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
        },
    },
    Sheet {
        name: "一级指标分值",
        about: "来源表所印的一级、二级指标分值（仅核对）：其下各指标分值之和须相等。",
        layout: Layout::Rows {
            target: Target::UnderProject {
                array: "level_weights",
                map: true,
            },
            columns: &[
                req(
                    "",
                    "项目名称",
                    Text,
                    "与“绩效项目”表一致；部门整体填“部门整体”",
                ),
                req(
                    "",
                    "一级指标",
                    Text,
                    "如 产出指标；二级指标写成 产出指标/数量指标",
                ),
                req("", "分值", Number, ""),
            ],
        },
    },
    Sheet {
        name: "绩效指标",
        about: "项目绩效指标：一行一个三级指标。",
        layout: Layout::Rows {
            target: Target::UnderProject {
                array: "indicators",
                map: false,
            },
            columns: &[
                req(
                    "",
                    "项目名称",
                    Text,
                    "与“绩效项目”表一致；部门整体填“部门整体”",
                ),
                req("level1", "一级指标", Text, ""),
                f("level2", "二级指标", Text, ""),
                req("level3", "三级指标", Text, ""),
                f("weight", "分值", Number, "不计分的自评表不填"),
                f(
                    "kind",
                    "类型",
                    Choice(choices::INDICATOR_KIND.options),
                    "不填则只列文字、不计分",
                ),
                f("target", "指标值", Number, "定量指标"),
                f("actual", "实际值", Number, "定量指标"),
                f("unit", "计量单位", Text, ""),
                f("target_text", "指标值（文字）", Text, "定性指标"),
                f("actual_text", "完成情况（文字）", Text, "定性指标"),
                f("tier", "档次", Choice(choices::TIER.options), "定性指标"),
                f("fraction", "得分比例", Number, "定性指标，0–1"),
                f("achieved", "是否达成", Bool, "是否类指标"),
                f("reason", "偏差原因", Text, ""),
                f("explanation", "指标解释", Text, "部门整体打分表"),
                f("criteria", "计分标准", Text, "部门整体打分表"),
            ],
        },
    },
    Sheet {
        name: "工作量",
        about: "工作量：本年数与上年数，组成项用“、”分隔。",
        layout: Layout::Rows {
            target: Target::UnderProject {
                array: "workloads",
                map: false,
            },
            columns: &[
                req(
                    "",
                    "项目名称",
                    Text,
                    "与“绩效项目”表一致；部门整体填“部门整体”",
                ),
                req("name", "名称", Text, "如 来访"),
                f("unit", "单位", Text, "如 件"),
                req("current", "本年数", Int, ""),
                f("prior", "上年数", Int, ""),
                f("parts", "组成项", List, "如 初访、重复访"),
            ],
        },
    },
    Sheet {
        name: "支付明细",
        about: "项目的支付明细表：一行一个经济科目。使用比例、合计由程序计算。",
        layout: Layout::Rows {
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
        },
    },
    Sheet {
        name: "报告章节",
        about: "叙述式自评报告的章节：一行一段；同一项目、同一标题的连续各行是同一章节。",
        layout: Layout::Rows {
            target: Target::Sections,
            columns: &[
                req(
                    "",
                    "项目名称",
                    Text,
                    "与“绩效项目”表一致；部门整体填“部门整体”",
                ),
                req("title", "章节标题", Text, "如 （一）项目完成情况"),
                f("paragraphs", "段落", Text, "一段正文；只有标题的章节不填"),
                f("workloads", "接工作量", Bool, "是：本节之后接工作量及同比"),
            ],
        },
    },
    Sheet {
        name: "科目补充",
        about: "本单位用到、随附科目表没有的功能分类科目。",
        layout: Layout::Rows {
            target: Target::Array("catalog"),
            columns: &[
                req("code", "科目编码", Code, ""),
                req("name", "科目名称", Text, ""),
                f("explanation", "名词解释", Text, ""),
            ],
        },
    },
];

/// The header of the 项目 | 值 | 说明 sheets.
pub const KEY_VALUE_HEADER: [&str; 3] = ["项目", "值", "说明"];

/// The header of the sheet of a form's own facts (`[extra]`; its name is the form's
/// `facts_sheet`): one row per fact, its companions in their columns. Any sheet with this
/// header is read as one, whatever its name, so a workbook reads without knowing its form.
pub const EXTRA_HEADER: [&str; 6] = ["键", "名称", "本年", "上年", "预算", "说明"];

/// The `[extra]` key suffixes of the 上年 and 预算 columns of [`EXTRA_HEADER`].
pub const EXTRA_COMPANIONS: [(usize, &str); 3] = [(2, ""), (3, "_prior"), (4, "_budget")];

/// Where a fact lives in the workbook: its sheet, its header (a row sheet's column, or a
/// key–value sheet's 项目) and its column letter; for a key–value fact also its cell. For
/// messages at the cell (`工作表!B7`, “单位信息 表的 决算年度”) and for labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub sheet: String,
    pub header: String,
    pub column: String,
    /// The value's cell on a key–value sheet (`B4`); `None` on a row sheet (one row per record).
    pub cell: Option<String>,
}

/// The place of a TOML key (`bureau.year`; `general_budget.items[2010301].basic` or
/// `general_budget.items.basic` for a column of a row sheet; `extra.<key>` with `form`'s
/// declarations). `None` for a key the workbook does not carry.
pub fn place(key: &str, form: Option<&crate::form::Form>) -> Option<Place> {
    let letter = |col: usize| super::a1(0, col as u32).trim_end_matches('1').to_string();
    if let (Some(rest), Some(form)) = (key.strip_prefix("extra."), form) {
        return form.facts.iter().enumerate().find_map(|(i, d)| {
            let suffix = rest.strip_prefix(d.key.as_str())?;
            let (col, _) = EXTRA_COMPANIONS.iter().find(|(_, s)| *s == suffix)?;
            let row = i as u32 + 1;
            Some(Place {
                sheet: form.facts_sheet.clone(),
                header: format!("{} {}", d.label, EXTRA_HEADER[*col]),
                column: letter(*col),
                cell: Some(super::a1(row, *col as u32)),
            })
        });
    }
    // Array entries by code or name are the same column whatever the entry.
    let mut plain = String::new();
    let mut depth = 0;
    for c in key.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    for sheet in SHEETS {
        match sheet.layout {
            Layout::KeyValue(fields) => {
                if let Some(i) = fields.iter().position(|f| f.key == plain) {
                    return Some(Place {
                        sheet: sheet.name.to_string(),
                        header: fields[i].header.to_string(),
                        column: "B".to_string(),
                        cell: Some(super::a1(i as u32 + 1, 1)),
                    });
                }
            }
            Layout::Rows { target, columns } => {
                let arrays: Vec<&str> = match target {
                    Target::Array(a) | Target::Strings(a) => vec![a],
                    Target::Grouped { array, .. } => vec![array],
                    Target::Routed(routes) => routes.iter().map(|(_, a)| *a).collect(),
                    _ => Vec::new(),
                };
                for array in arrays {
                    let Some(column) = plain.strip_prefix(array).and_then(|r| r.strip_prefix('.'))
                    else {
                        continue;
                    };
                    if let Some(i) = columns.iter().position(|f| f.key == column) {
                        return Some(Place {
                            sheet: sheet.name.to_string(),
                            header: columns[i].header.to_string(),
                            column: letter(i),
                            cell: None,
                        });
                    }
                }
            }
        }
    }
    None
}

/// docs/fact-schema.md: every built-in fact with its key, kind, label, place in the workbook,
/// whether it is required and its companions, generated from [`crate::schema`] and [`SHEETS`]
/// (tests/schema.rs fails when the file is stale).
pub fn reference() -> String {
    use crate::schema::{self, NAMED, Role, Source};
    use std::fmt::Write;
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    out.push_str(
        "# 内置事实一览\n\n\
         <!-- 由 src/schema/ 与 src/workbook/schema.rs 生成，请勿手改。更新：\
         JUESUAN_UPDATE_DOCS=1 cargo test --release --test schema -->\n\n\
         每个内置事实只在 `src/schema/` 声明一次（见 docs/facts.md 第 5 节）；本表由声明生成，\
         测试保证它与程序一致。金额的单位随 `[bureau] unit`（工作簿“单位信息”表的“金额单位”），\
         至多两位小数。\n\n",
    );
    out.push_str(
        "## 1. 有名称的事实\n\n\
         表式的计算数（form.toml 的 `[[figures]]`）与模板（`extra.<名称>`）按名称取用。\
         有上年数或预算数的，不经声明即有增减与完成预算（docs/facts.md 第 3 节）。\
         “计算”指由模型从其他事实算出。\n\n\
         | 名称 | 中文 | 种类 | 本年数 | 上年数 | 预算数 | 来源表所印合计 | 变动原因 |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let source = |s: Option<Source>| match s {
        Some(Source::Key(k)) => format!("`{k}`"),
        Some(Source::Computed) => "计算".to_string(),
        None => String::new(),
    };
    for n in NAMED {
        let declared: Vec<String> = n
            .keys()
            .into_iter()
            .filter(|(r, _)| {
                matches!(
                    r,
                    Role::DeclaredValue | Role::DeclaredPrior | Role::DeclaredBudget
                )
            })
            .map(|(r, k)| format!("`{k}`（{}）", r.name()))
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            n.name,
            n.label,
            if n.kind == Kind::Int {
                "数量"
            } else {
                "金额"
            },
            source(Some(n.value)),
            source(n.prior),
            source(n.budget),
            declared.join("、"),
            n.reason.map(|k| format!("`{k}`")).unwrap_or_default()
        );
    }
    out.push_str(
        "\n## 2. 单值事实\n\n\
         一个 TOML 键一个值；工作簿中是“项目 | 值 | 说明”表的一行（值在 B 列）。\
         “所属”指它是哪个有名称的事实的哪个值。\n",
    );
    for g in schema::SCALARS {
        let _ = write!(
            out,
            "\n### {}\n\n| TOML 键 | 项目 | 单元格 | 种类 | 必填 | 所属 | 说明 |\n|---|---|---|---|---|---|---|\n",
            g.sheet
        );
        for f in g.fields {
            let at = place(f.key, None)
                .and_then(|p| p.cell.map(|c| format!("{}!{c}", p.sheet)))
                .unwrap_or_default();
            let of = schema::companion_of(f.key)
                .map(|(n, r)| format!("`{}` 的{}", n.name, r.name()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | {} | {at} | {} | {} | {of} | {} |",
                f.key,
                cell(f.header),
                cell(&f.kind.describe()),
                if f.required { "是" } else { "" },
                cell(f.note)
            );
        }
    }
    out.push_str(
        "\n## 3. 逐行记录\n\n\
         工作簿中一行一条记录的表：TOML 中是数组（或以编码为键的表），列的键相对于每条记录。\n",
    );
    for sheet in SHEETS {
        let Layout::Rows { target, columns } = sheet.layout else {
            continue;
        };
        let into = match target {
            Target::Array(a) => format!("每行是 `[[{a}]]` 的一条"),
            Target::Routed(routes) => {
                let list: Vec<String> = routes
                    .iter()
                    .map(|(label, a)| format!("{label} → `[[{a}]]`"))
                    .collect();
                format!("第一列决定写入哪个数组：{}", list.join("，"))
            }
            Target::Strings(a) => format!("每行是 `{a}` 的一个字符串"),
            Target::Grouped { array, .. } => {
                format!("同一标题的连续各行是 `[[{array}]]` 的一条")
            }
            Target::Map(m) => format!("每行是 `[{m}]` 中的 `编码 = 合计`"),
            Target::UnderProject { array, map } => format!(
                "第一列指明项目（`performance.projects` 的一条，或部门整体 `performance.department`），\
                 每行写入其 `{array}`{}",
                if map { "（键值表）" } else { "" }
            ),
            Target::Sections => "每行是所指项目的 `sections` 中一节的一段".to_string(),
        };
        let _ = write!(
            out,
            "\n### {}\n\n{into}。\n\n| 列 | 表头 | 键 | 种类 | 必填 | 说明 |\n|---|---|---|---|---|---|\n",
            sheet.name
        );
        for (i, f) in columns.iter().enumerate() {
            let letter = super::a1(0, i as u32).trim_end_matches('1').to_string();
            let key = if f.key.is_empty() {
                String::new()
            } else {
                format!("`{}`", f.key)
            };
            let _ = writeln!(
                out,
                "| {letter} | {} | {key} | {} | {} | {} |",
                cell(f.header),
                cell(&f.kind.describe()),
                if f.required { "是" } else { "" },
                cell(f.note)
            );
        }
    }
    out.push_str(HOW_TO_ADD);
    out
}

/// The last section of the reference: what adding a built-in fact costs (checked by
/// tests/schema.rs, `a_new_scalar_fact_is_its_declaration_plus_its_use`).
const HOW_TO_ADD: &str = "\n## 4. 加一个内置事实\n\n\
单值事实（一个 TOML 键、一个值）只要两处：\n\n\
1. **声明**：在 `src/schema/scalars.rs` 它所在工作表的一组末尾加一行，如 \
`f(\"procurement.framework\", \"政府采购：框架协议\", Money, \"\")`（组末：旧工作簿按“项目”的文字读入，\
已有的行不要改名、不要挪动）。由此得出：TOML 读入（`src/input/section.rs` 按声明的种类读，带位置；\
写错的键照常报 E003）、工作簿模板中的一行及其读入、写出与 `convert`、`diff` 中的名称、诊断指向的单元格、\
账本与诊断中的说法（`schema::label`）、元/万元的核对、文字的字体覆盖检查、“三公”部分是否给出（R051），以及本表。校验后的值按键进入模型（`model::Facts`），\
不必在 `src/model/` 加字段。\n\
2. **使用**：在用到它的计算数（`src/figures/`）中按键读，放进该章交给模板的数据：\n\n\
   ```rust\n\
   const FRAMEWORK: Key<Money> = schema::money(\"procurement.framework\");\n\
   let framework = b.facts.amount(FRAMEWORK); // Option<&Amount>：没填为 None\n\
   ```\n\n\
   键没有声明、或声明的种类不是金额，编译即失败（`schema::count`、`schema::text` 同理）。\n\n\
`tests/schema.rs` 的 `a_new_scalar_fact_is_its_declaration_plus_its_use` 逐个核对这样的事实：读得进、经工作簿\
原样回来、在模型中按键可取、有说法、有 diff 名称和单元格、在本表中；并且除声明外，只有用到它的代码\
（`src/model/build.rs` 的既有字段、`src/figures/`、`src/rules/`、`src/previous.rs`、`src/import/`）写出它的键，\
读入、模型、工作簿、diff 这些中间环节一个也不写。\n\n\
仍需手写的（逐步收拢，issue 21）：\n\n\
- 绩效的部门整体（`[performance.department]`）按声明读入、进入 `model::Facts`，新的事实按键读即可；\
它与项目共用的记录（`model::ProjectEvaluation`）的既有字段在 `src/model/build.rs` 的 `department` 中逐项取用；\
`[bureau]` 按声明读入，但它的值是单位的设定（`model::Identity`，不进 `model::Facts`），\
在 `src/model/build.rs` 的 `identity` 中按键取用（取值表由声明得出）；\n\
- 有名称的事实（`extra.<名称>`）除 `src/schema/named.rs` 的声明外，还要在 `src/figures/extra.rs` 的 \
`builtin_numbers` 中给出它的值；\n\
- 由 `--previous` 取自上年决算数的上年数，在 `src/previous.rs` 配对；\n\
- 逐行记录（第 3 节各表的列）仍在 `src/workbook/schema.rs` 声明，`src/input/checks.rs` 按表名判断其中的金额。\n";

/// The name of the sheet that explains the others (written, never read).
pub const GUIDE: &str = "说明";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_has_a_place() {
        let year = place("bureau.year", None).unwrap();
        assert_eq!(
            (year.sheet.as_str(), year.header.as_str()),
            ("单位信息", "决算年度")
        );
        assert_eq!(year.cell.as_deref(), Some("B4"));
        let basic = place("general_budget.items[2010301].basic", None).unwrap();
        assert_eq!(basic.cell, None);
        assert_eq!(basic, place("general_budget.items.basic", None).unwrap());
        assert!(place("no.such.key", None).is_none());
        assert!(place("extra.x", None).is_none());
    }
}
