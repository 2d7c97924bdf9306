//! 工作簿版式：每张工作表对应模型的哪一部分，每一列（或每一行）对应哪个 TOML 键。
//!
//! One table drives reading (`read.rs`), writing (`write.rs`) and the 说明 sheet, so the workbook
//! and the TOML can never drift apart: a key is added here once and both inputs carry it. Keys use
//! the same vocabulary as the TOML (`income.general_budget`); headers and choices are Chinese.

/// What a cell holds, and how it becomes a TOML value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// An amount in the bureau's unit: a number cell, at most 2 decimals (checked by the model).
    Money,
    /// A whole number (年度, 个数, 次数).
    Int,
    /// A decimal that is not money (分值, 得分, 指标值, 得分比例).
    Number,
    /// 是 / 否.
    Bool,
    /// A date cell (发布日期).
    Date,
    /// A 科目编码 stored as text, so leading digits survive.
    Code,
    /// One of a fixed list: (what the cell says, the TOML value).
    Choice(&'static [(&'static str, &'static str)]),
    /// One of a list, or a key of one's own (a form a `--templates` folder adds: lower-case
    /// letters, digits, `-` and `_`), which the model checks. Written like a [`Kind::Choice`].
    OpenChoice(&'static [(&'static str, &'static str)]),
    /// Several names in one cell, separated by “、”.
    List,
}

/// One column of a row sheet, or one row of a key–value sheet.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The TOML key, dotted, relative to the record (row sheets) or absolute (key–value sheets).
    pub key: &'static str,
    pub header: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// What to write, shown in the 说明 sheet and as the header's note.
    pub note: &'static str,
}

const fn f(key: &'static str, header: &'static str, kind: Kind, note: &'static str) -> Field {
    Field {
        key,
        header,
        kind,
        required: false,
        note,
    }
}

const fn req(key: &'static str, header: &'static str, kind: Kind, note: &'static str) -> Field {
    Field {
        key,
        header,
        kind,
        required: true,
        note,
    }
}

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
use crate::model::choices;

use Kind::*;

pub const SHEETS: &[Sheet] = &[
    Sheet {
        name: "单位信息",
        about: "单位名称、年度、表式与机构设置。",
        layout: Layout::KeyValue(&[
            req(
                "bureau.name",
                "单位名称",
                Text,
                "全称，如 峨边彝族自治县信访局",
            ),
            f(
                "bureau.short_name",
                "文中简称",
                Text,
                "如 县信访局；不填用全称",
            ),
            req("bureau.year", "决算年度", Int, "如 2023"),
            f(
                "bureau.form",
                "表式",
                OpenChoice(choices::FORM.options),
                "说明的格式",
            ),
            f(
                "bureau.document",
                "文档",
                Choice(choices::DOCUMENT.options),
                "部门决算（说明、附件、附表）或只有绩效自评表；不填为部门决算",
            ),
            f(
                "bureau.tables",
                "附表套表",
                Choice(choices::TABLE_SET.options),
                "不填随表式",
            ),
            f(
                "bureau.unit",
                "金额单位",
                Choice(choices::UNIT.options),
                "本工作簿所有金额的单位，不填为万元",
            ),
            f(
                "bureau.percent_decimals",
                "百分比小数位",
                Int,
                "0、1 或 2，不填为 1",
            ),
            f(
                "bureau.prior_zero",
                "上年为零时",
                Choice(choices::PRIOR_ZERO.options),
                "不填为不计算增长率",
            ),
            f(
                "bureau.totals",
                "合计打印口径",
                Choice(choices::TOTALS.options),
                "来源表的合计与各项之和有尾差时印哪个数；不填为来源表合计",
            ),
            f(
                "bureau.completion_base",
                "完成预算的口径",
                Choice(choices::COMPLETION_BASE.options),
                "完成预算按调整后预算（全年预算）还是年初预算；不填随表式（上海为年初预算）",
            ),
            f(
                "bureau.zero_in_tables",
                "表中零值",
                Choice(choices::ZERO_IN_TABLES.options),
                "附表中为 0 的格：合计行印 0.00 还是一律留空；不填随表式",
            ),
            f(
                "bureau.item_sentence",
                "逐项说明",
                Choice(choices::ITEM_SENTENCE.options),
                "一般公共预算逐项说明是否写“完成预算的X%”；不填随表式",
            ),
            f(
                "bureau.whole_percent",
                "整数百分比",
                Choice(choices::WHOLE_PERCENT.options),
                "100.00% 还是 100%；不填随表式",
            ),
            f(
                "bureau.money_in_text",
                "文中金额",
                Choice(choices::MONEY_IN_TEXT.options),
                "0万元、217.5万元 还是 0.00万元、217.50万元；不填随表式",
            ),
            f(
                "bureau.table_variant",
                "附表版式变体",
                Text,
                "如 no_debt（总表不列债务还本、付息支出，24 个类）；不填按决算年度",
            ),
            f(
                "bureau.publish_date",
                "发布日期",
                Date,
                "PDF 的创建日期；不填为次年 1 月 1 日",
            ),
            f(
                "overview.organization.administrative",
                "行政单位（个）",
                Int,
                "下属二级预算单位",
            ),
            f(
                "overview.organization.civil_service_managed",
                "参公事业单位（个）",
                Int,
                "参照公务员法管理的事业单位",
            ),
            f(
                "overview.organization.other_institutions",
                "其他事业单位（个）",
                Int,
                "",
            ),
            f(
                "bureau.id",
                "单位编码",
                Text,
                "统一社会信用代码等稳定编码，不打印；批量生成时据此认出同一单位，可不填",
            ),
        ]),
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
        name: "上年数",
        about: "上年（决算年度前一年）数与变动原因。",
        layout: Layout::KeyValue(&[
            f("prior_year.total", "上年收、支总计", Money, ""),
            f("prior_year.total_reason", "收、支总计变动原因", Text, ""),
            f(
                "prior_year.appropriation_total",
                "上年财政拨款收、支总计",
                Money,
                "",
            ),
            f(
                "prior_year.appropriation_reason",
                "财政拨款变动原因",
                Text,
                "",
            ),
            f(
                "prior_year.general_budget",
                "上年一般公共预算财政拨款支出",
                Money,
                "",
            ),
            f(
                "prior_year.general_budget_reason",
                "一般公共预算财政拨款支出变动原因",
                Text,
                "",
            ),
            f(
                "prior_year.income_total",
                "上年本年收入合计",
                Money,
                "重庆格式单独比较收入合计；其他格式不填",
            ),
            f(
                "prior_year.income_total_reason",
                "收入合计变动原因",
                Text,
                "",
            ),
            f(
                "prior_year.spending_total",
                "上年本年支出合计",
                Money,
                "重庆格式单独比较支出合计；其他格式不填",
            ),
            f(
                "prior_year.spending_total_reason",
                "支出合计变动原因",
                Text,
                "",
            ),
            f(
                "prior_year.closing_balance",
                "上年年末结转和结余",
                Money,
                "重庆格式单独比较年末结转和结余；其他格式不填",
            ),
            f(
                "prior_year.closing_balance_reason",
                "年末结转和结余变动原因",
                Text,
                "",
            ),
            f(
                "prior_year.caliber_change",
                "上年数口径调整说明",
                Text,
                "所填上年数与上年公开的决算数不同（口径调整）时写明原因，文中照印；不填则两者须一致",
            ),
        ]),
    },
    Sheet {
        name: "收入",
        about: "本年收入（公开01表收入方）。合计由程序计算；来源表印着的合计填在“核对”行，只用来核对。",
        layout: Layout::KeyValue(&[
            f(
                "income.general_budget",
                "一般公共预算财政拨款收入",
                Money,
                "",
            ),
            f("income.gov_fund", "政府性基金预算财政拨款收入", Money, ""),
            f(
                "income.state_capital",
                "国有资本经营预算财政拨款收入",
                Money,
                "",
            ),
            f("income.upper_grant", "上级补助收入", Money, ""),
            f("income.service", "事业收入", Money, ""),
            f("income.business", "经营收入", Money, ""),
            f("income.affiliate", "附属单位上缴收入", Money, ""),
            f("income.other", "其他收入", Money, ""),
            f("income.reserve_used", "使用非财政拨款结余", Money, ""),
            f("income.opening_balance", "年初结转和结余", Money, ""),
            f(
                "income.declared_total",
                "核对：本年收入合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "income.declared_grand_total",
                "核对：收入总计",
                Money,
                "来源表所印，仅核对",
            ),
        ]),
    },
    Sheet {
        name: "支出",
        about: "本年支出按性质（公开01表支出方）。",
        layout: Layout::KeyValue(&[
            f("spending.basic", "基本支出", Money, ""),
            f("spending.project", "项目支出", Money, ""),
            f("spending.upper_remit", "上缴上级支出", Money, ""),
            f("spending.business", "经营支出", Money, ""),
            f("spending.affiliate_grant", "对附属单位补助支出", Money, ""),
            f("spending.balance_allocation", "结余分配", Money, ""),
            f("spending.closing_balance", "年末结转和结余", Money, ""),
            f(
                "spending.declared_total",
                "核对：本年支出合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "spending.declared_grand_total",
                "核对：支出总计",
                Money,
                "来源表所印，仅核对",
            ),
        ]),
    },
    Sheet {
        name: "财政拨款",
        about: "三项财政拨款的年初、年末结转和结余，及来源表所印合计（仅核对）。",
        layout: Layout::KeyValue(&[
            f(
                "appropriation.general_budget.opening_balance",
                "一般公共预算：年初结转和结余",
                Money,
                "",
            ),
            f(
                "appropriation.general_budget.closing_balance",
                "一般公共预算：年末结转和结余",
                Money,
                "",
            ),
            f(
                "appropriation.gov_fund.opening_balance",
                "政府性基金：年初结转和结余",
                Money,
                "",
            ),
            f(
                "appropriation.gov_fund.closing_balance",
                "政府性基金：年末结转和结余",
                Money,
                "",
            ),
            f(
                "appropriation.state_capital.opening_balance",
                "国有资本经营：年初结转和结余",
                Money,
                "",
            ),
            f(
                "appropriation.state_capital.closing_balance",
                "国有资本经营：年末结转和结余",
                Money,
                "",
            ),
            f(
                "appropriation.declared_income_total",
                "核对：财政拨款收入合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "appropriation.declared_grand_total",
                "核对：财政拨款收入支出总计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "general_budget.declared_total",
                "核对：一般公共预算财政拨款支出",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "general_budget.declared_basic",
                "核对：一般公共预算财政拨款基本支出",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "general_budget.declared_project",
                "核对：一般公共预算财政拨款项目支出",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "general_budget.declared_budget",
                "核对：一般公共预算财政拨款预算数合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "general_budget.budget_reason",
                "一般公共预算财政拨款决算与预算差异原因",
                Text,
                "合计一级的原因（上海格式：完成年初预算的X%之后）",
            ),
            f(
                "general_budget.declared_personnel",
                "核对：人员经费合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "general_budget.declared_operating",
                "核对：公用经费合计",
                Money,
                "来源表所印，仅核对",
            ),
        ]),
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
                    "支出决算表、政府性基金表、国有资本经营表",
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
            ],
        },
    },
    Sheet {
        name: "三公经费",
        about: "财政拨款“三公”经费的预算数、决算数、上年数和次数人数。合计由程序计算。",
        layout: Layout::KeyValue(&[
            f("three_public.reason", "“三公”经费变动原因", Text, ""),
            f(
                "three_public.declared_actual",
                "核对：“三公”经费决算合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "three_public.declared_budget",
                "核对：“三公”经费预算合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "three_public.declared_prior",
                "核对：“三公”经费上年合计",
                Money,
                "来源表所印，仅核对",
            ),
            f(
                "three_public.overseas.budget",
                "因公出国（境）：预算数",
                Money,
                "",
            ),
            f(
                "three_public.overseas.actual",
                "因公出国（境）：决算数",
                Money,
                "",
            ),
            f(
                "three_public.overseas.prior",
                "因公出国（境）：上年数",
                Money,
                "",
            ),
            f(
                "three_public.overseas.groups",
                "因公出国（境）：团组",
                Int,
                "",
            ),
            f(
                "three_public.overseas.people",
                "因公出国（境）：人次",
                Int,
                "",
            ),
            f(
                "three_public.overseas.reason",
                "因公出国（境）：说明",
                Text,
                "",
            ),
            f(
                "three_public.overseas.content",
                "因公出国（境）：开支内容",
                Text,
                "上海格式“开支内容包括：…”",
            ),
            f(
                "three_public.vehicle.purchase_budget",
                "公务用车购置：预算数",
                Money,
                "",
            ),
            f(
                "three_public.vehicle.purchase_prior",
                "公务用车购置：上年数",
                Money,
                "决算数由“公务用车购置”表相加",
            ),
            f(
                "three_public.vehicle.running_budget",
                "公务用车运行维护：预算数",
                Money,
                "",
            ),
            f(
                "three_public.vehicle.running_actual",
                "公务用车运行维护：决算数",
                Money,
                "",
            ),
            f(
                "three_public.vehicle.running_prior",
                "公务用车运行维护：上年数",
                Money,
                "",
            ),
            f(
                "three_public.vehicle.declared_actual",
                "核对：公务用车购置及运行维护费决算",
                Money,
                "来源表所印，仅核对",
            ),
            f("three_public.vehicle.reason", "公务用车：说明", Text, ""),
            f(
                "three_public.vehicle.purchase_purpose",
                "公务用车购置：用途",
                Text,
                "上海格式“主要用于…”",
            ),
            f(
                "three_public.vehicle.running_purpose",
                "公务用车运行维护：用途",
                Text,
                "上海格式“主要用于…”",
            ),
            f(
                "three_public.reception.budget",
                "公务接待：预算数",
                Money,
                "",
            ),
            f(
                "three_public.reception.prior",
                "公务接待：上年数",
                Money,
                "",
            ),
            f(
                "three_public.reception.reason",
                "公务接待：变动原因",
                Text,
                "",
            ),
            f(
                "three_public.reception.domestic.actual",
                "国内公务接待：决算数",
                Money,
                "",
            ),
            f(
                "three_public.reception.domestic.batches",
                "国内公务接待：批次",
                Int,
                "",
            ),
            f(
                "three_public.reception.domestic.people",
                "国内公务接待：人次",
                Int,
                "",
            ),
            f(
                "three_public.reception.domestic.purpose",
                "国内公务接待：用途",
                Text,
                "",
            ),
            f(
                "three_public.reception.domestic.content",
                "国内公务接待：内容",
                Text,
                "",
            ),
            f(
                "three_public.reception.foreign.actual",
                "外事接待：决算数",
                Money,
                "",
            ),
            f(
                "three_public.reception.foreign.batches",
                "外事接待：批次",
                Int,
                "",
            ),
            f(
                "three_public.reception.foreign.people",
                "外事接待：人次",
                Int,
                "",
            ),
            f(
                "three_public.reception.foreign.purpose",
                "外事接待：用途",
                Text,
                "",
            ),
            f(
                "three_public.reception.foreign.content",
                "外事接待：内容",
                Text,
                "",
            ),
        ]),
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
        name: "其他事项",
        about: "机关运行经费、政府采购、国有资产。",
        layout: Layout::KeyValue(&[
            f("running_costs.actual", "机关运行经费：本年数", Money, ""),
            f("running_costs.prior", "机关运行经费：上年数", Money, ""),
            f("running_costs.reason", "机关运行经费：变动原因", Text, ""),
            f("procurement.goods", "政府采购：货物", Money, ""),
            f("procurement.works", "政府采购：工程", Money, ""),
            f("procurement.services", "政府采购：服务", Money, ""),
            f(
                "procurement.sme",
                "政府采购：授予中小企业合同金额",
                Money,
                "",
            ),
            f(
                "procurement.small_micro",
                "政府采购：其中授予小微企业",
                Money,
                "",
            ),
            f(
                "procurement.declared_total",
                "核对：政府采购支出总额",
                Money,
                "来源表所印，仅核对",
            ),
            f("procurement.purpose", "政府采购：主要用途", Text, ""),
            f(
                "procurement.sme_reserved",
                "政府采购：面向中小企业预留项目预算金额",
                Money,
                "上海格式",
            ),
            f(
                "procurement.small_micro_reserved",
                "政府采购：面向小微企业预留项目预算金额",
                Money,
                "上海格式",
            ),
            f(
                "procurement.sme_reserved_awarded",
                "政府采购：预留项目中由中小企业中标或成交",
                Money,
                "上海格式",
            ),
            f(
                "procurement.small_micro_reserved_awarded",
                "政府采购：预留项目中由小微企业中标或成交",
                Money,
                "上海格式",
            ),
            f(
                "procurement.sme_other_awarded",
                "政府采购：其他项目中由中小企业中标或成交",
                Money,
                "上海格式",
            ),
            f(
                "performance.management.systems",
                "预算绩效管理：制度名称",
                Text,
                "上海格式第十章；多个用“、”隔开",
            ),
            f(
                "performance.management.mechanism",
                "预算绩效管理：工作机制",
                Text,
                "建立了（此处）的预算绩效管理工作机制",
            ),
            f(
                "performance.management.goals_set.projects",
                "预算绩效管理：编报绩效目标的项目个数",
                Int,
                "",
            ),
            f(
                "performance.management.goals_set.budget",
                "预算绩效管理：编报绩效目标的预算金额",
                Money,
                "",
            ),
            f(
                "performance.management.monitored.projects",
                "预算绩效管理：绩效跟踪评价的项目个数",
                Int,
                "",
            ),
            f(
                "performance.management.monitored.budget",
                "预算绩效管理：绩效跟踪评价的预算金额",
                Money,
                "",
            ),
            f(
                "performance.management.self_evaluated.projects",
                "预算绩效管理：绩效自评的项目个数",
                Int,
                "",
            ),
            f(
                "performance.management.self_evaluated.budget",
                "预算绩效管理：绩效自评的预算金额",
                Money,
                "",
            ),
            f(
                "performance.management.average_score",
                "预算绩效管理：绩效自评平均得分",
                Money,
                "",
            ),
            f(
                "performance.management.grades.excellent",
                "预算绩效管理：评级为“优”的项目个数",
                Int,
                "",
            ),
            f(
                "performance.management.grades.good",
                "预算绩效管理：评级为“良”的项目个数",
                Int,
                "",
            ),
            f(
                "performance.management.grades.pass",
                "预算绩效管理：评级为“合格”的项目个数",
                Int,
                "",
            ),
            f(
                "performance.management.grades.fail",
                "预算绩效管理：评级为“不合格”的项目个数",
                Int,
                "",
            ),
            f(
                "performance.management.issues.found",
                "预算绩效管理：自评发现问题个数",
                Int,
                "",
            ),
            f(
                "performance.management.issues.fixed",
                "预算绩效管理：已经完成整改的问题个数",
                Int,
                "",
            ),
            f(
                "performance.management.issues.fixing",
                "预算绩效管理：正在整改的问题个数",
                Int,
                "",
            ),
            f(
                "assets.large_equipment",
                "单价100万元以上设备（台套）",
                Int,
                "不含车辆",
            ),
            f(
                "assets.declared_vehicles",
                "核对：车辆合计（辆）",
                Int,
                "来源所印“共有车辆X辆”，仅核对；各类见“车辆”表",
            ),
        ]),
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
        name: "部门整体绩效",
        about: "绩效自评表的版式与部门整体绩效自评。部门整体的指标写在“绩效指标”表，项目名称填“部门整体”。",
        layout: Layout::KeyValue(&[
            f(
                "performance.form",
                "自评表版式",
                Choice(choices::PERFORMANCE_FORM.options),
                "不填为四川",
            ),
            f(
                "performance.department.declared_score",
                "自评得分",
                Number,
                "有指标时为核对数",
            ),
            f(
                "performance.department.declared_spending",
                "核对：报告所列财政资金支出",
                Money,
                "报告所印，仅核对",
            ),
            f("performance.department.summary", "自评综述", Text, ""),
            f(
                "performance.department.unit",
                "实施（主管）单位",
                Text,
                "不填用单位名称",
            ),
            f(
                "performance.department.initial_budget",
                "年初预算数",
                Money,
                "",
            ),
            f(
                "performance.department.budget",
                "全年预算数（财政资金）",
                Money,
                "",
            ),
            f(
                "performance.department.arrived",
                "到位数（财政资金）",
                Money,
                "",
            ),
            f(
                "performance.department.executed",
                "全年执行数（财政资金）",
                Money,
                "",
            ),
            f(
                "performance.department.other_budget",
                "全年预算数（其他资金）",
                Money,
                "",
            ),
            f(
                "performance.department.other_arrived",
                "到位数（其他资金）",
                Money,
                "",
            ),
            f(
                "performance.department.other_executed",
                "全年执行数（其他资金）",
                Money,
                "",
            ),
            f(
                "performance.department.execution_weight",
                "执行率分值",
                Number,
                "不填为 10",
            ),
            f("performance.department.goal", "年度预期目标", Text, ""),
            f("performance.department.outcome", "实际完成情况", Text, ""),
            f(
                "performance.department.goal_completion",
                "总体完成率（%）",
                Number,
                "",
            ),
            f(
                "performance.department.problems",
                "存在问题及改进措施",
                Text,
                "",
            ),
            f("performance.department.suggestions", "相关建议", Text, ""),
            f(
                "performance.department.upper_budget",
                "中省补助资金预算数",
                Money,
                "",
            ),
            f(
                "performance.department.upper_executed",
                "中省补助资金执行数",
                Money,
                "",
            ),
            f(
                "performance.department.declared_income",
                "核对：报告所列财政资金收入",
                Money,
                "报告所印，仅核对",
            ),
            f(
                "performance.department.declared_project_spending",
                "核对：报告所列项目支出",
                Money,
                "报告所印，仅核对",
            ),
            f(
                "performance.department.report.intro",
                "报告：开头",
                Text,
                "一段一行（单元格内换行）",
            ),
            f(
                "performance.department.report.organization",
                "报告：机构组成（部门基本情况）",
                Text,
                "",
            ),
            f(
                "performance.department.report.functions_lead",
                "报告：机构职能引语",
                Text,
                "各条职能取自“单位概况”的职能",
            ),
            f(
                "performance.department.report.management",
                "报告：部门预算管理",
                Text,
                "",
            ),
            f(
                "performance.department.report.basic_use",
                "报告：基本支出用途",
                Text,
                "接在“基本支出为…万元，主要是用于”之后",
            ),
            f(
                "performance.department.report.projects_note",
                "报告：专项预算管理说明",
                Text,
                "",
            ),
            f(
                "performance.department.report.upper_projects",
                "报告：上级专项资金情况",
                Text,
                "",
            ),
            f(
                "performance.department.report.other",
                "报告：其他需要说明的情况",
                Text,
                "",
            ),
            f(
                "performance.department.report.quality",
                "报告：自评质量",
                Text,
                "",
            ),
            f(
                "performance.department.report.performance",
                "报告：部门整体支出绩效情况",
                Text,
                "",
            ),
            f(
                "performance.department.report.disclosure",
                "报告：结果公开情况",
                Text,
                "",
            ),
            f(
                "performance.department.report.results",
                "报告：结果应用情况",
                Text,
                "",
            ),
            f(
                "performance.department.report.conclusion",
                "报告：评价结论",
                Text,
                "不填用自评综述",
            ),
            f(
                "performance.department.report.initial_basic",
                "报告：年初预算中的基本支出",
                Money,
                "",
            ),
            f(
                "performance.department.report.initial_project",
                "报告：年初预算中的项目支出",
                Money,
                "",
            ),
            f(
                "performance.department.report.opening_balance",
                "报告：上年度非财政拨款结余结转",
                Money,
                "",
            ),
            f(
                "performance.department.report.carried_over",
                "报告：项目支出中的上年结转结余",
                Money,
                "",
            ),
            f(
                "performance.department.report.project_count",
                "报告：安排专项个数",
                Int,
                "",
            ),
            f(
                "performance.department.report.retired",
                "报告：退休人数",
                Int,
                "",
            ),
            f(
                "performance.department.report.declared_contract",
                "核对：报告所列编外人员合计",
                Int,
                "报告所印，仅核对",
            ),
            f(
                "performance.department.report.declared_staff",
                "核对：报告所列在编实有人数合计",
                Int,
                "报告所印，仅核对",
            ),
        ]),
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
