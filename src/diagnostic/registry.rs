//! 规则编号登记表：每个诊断编号只在这里登记一次（编号、级别、标题、触发用例所在处）。
//!
//! The one registry of diagnostic codes. A [`Code`] can only be made here, so every code a
//! diagnostic carries is registered, has a default severity and a title, and says where its
//! triggering and clean fixtures live. The rule table of docs/rules.md is generated from [`RULES`]
//! by tests/rules.rs.

use std::fmt;

use serde::Serialize;

use super::Severity;

/// A stable diagnostic code such as `R001`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(&'static str);

impl Code {
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The registry entry of this code.
    pub fn rule(self) -> &'static Rule {
        RULES
            .iter()
            .find(|r| r.code == self)
            .expect("every Code is made by the registry")
    }

    /// Looks a code up by its text (`"R001"`).
    pub fn parse(text: &str) -> Option<Code> {
        RULES.iter().map(|r| r.code).find(|c| c.0 == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// Where a code's triggering and clean cases live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fixture {
    /// `tests/fixtures/rules/<CODE>/fail.toml` and `pass.toml` (checked by `tests/rules.rs`).
    RuleDir,
    /// A case in `tests/workbook.rs` that asserts the code and its cell, or in
    /// `tests/tables_xlsx.rs` for the 公开表 reader (T002–T004).
    Workbook,
    /// A case in `tests/build.rs` or `tests/cli.rs` (render-time and command-line codes), or in
    /// `tests/previous.rs` (R039, which needs last year's input), or in `tests/tables_xlsx.rs` (T001).
    Build,
    /// A case in `tests/batch.rs` (findings across the departments of one folder).
    Batch,
    /// A case in `tests/audit.rs` (findings in the 说明 of a published PDF).
    Audit,
}

/// One registered code.
#[derive(Debug)]
pub struct Rule {
    pub code: Code,
    pub severity: Severity,
    /// What it checks, as the rule table of docs/rules.md prints it.
    pub title: &'static str,
    pub fixture: Fixture,
}

macro_rules! registry {
    ($($name:ident = $code:literal, $severity:ident, $fixture:ident, $title:literal;)*) => {
        /// Every code by name.
        pub mod codes {
            use super::Code;
            $(pub const $name: Code = Code($code);)*
        }

        /// Every code in order: the rule table of docs/rules.md.
        pub const RULES: &[Rule] = &[
            $(Rule {
                code: codes::$name,
                severity: Severity::$severity,
                title: $title,
                fixture: Fixture::$fixture,
            },)*
        ];
    };
}

registry! {
    INPUT_UNREADABLE = "E001", Error, RuleDir, "输入文件无法读取";
    SYNTAX = "E002", Error, RuleDir, "TOML 语法或类型错误（类型错误一次全部列出）";
    UNKNOWN_KEY = "E003", Error, RuleDir, "未知字段（拼写错误不会被悄悄忽略）";
    AMOUNT = "E004", Error, RuleDir, "金额写法错误（非十进制数、小数超过 2 位、超出一个单位可能有的数额）";
    VALUE = "E005", Error, RuleDir, "取值不在允许范围（单位、表式、年度、百分比小数位、数量等）";
    INPUT_TOO_LARGE = "E006", Error, Build, "输入文件超过大小上限（TOML 5 MB）";
    DUPLICATE_PROJECT = "E007", Error, RuleDir, "绩效项目名称重复（名称关联指标、工作量与报告；工作簿中为 X007）";
    UNIT_ASSUMED = "E008", Warning, RuleDir, "没有写金额单位（unit）而金额像以元计：按万元读时有一个数达 10 万万元（10 亿元）以上";
    YUAN_IN_WAN = "E009", Warning, RuleDir, "金额单位是万元而金额像以元计：有一个数达 100 万万元（100 亿元）以上，全部金额会大 10000 倍";
    FORM_FACTS = "E010", Error, Build, "表式声明为必填的事实（form.toml 的 [[facts]] required）输入中没有：一条列全，换用表式时即知要补哪些事实";
    INCOME_TOTAL = "R001", Error, RuleDir, "本年收入合计 = 各项收入之和";
    INCOME_GRAND_TOTAL = "R002", Error, RuleDir, "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余";
    SPENDING_TOTAL = "R003", Error, RuleDir, "本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出";
    SPENDING_GRAND_TOTAL = "R004", Error, RuleDir, "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余";
    BALANCE = "R005", Error, RuleDir, "收入总计 = 支出总计";
    APPROPRIATION_TOTAL = "R006", Error, RuleDir, "财政拨款收入合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算；财政拨款收入支出总计 = 收入合计 + 年初结转和结余";
    FUND_BALANCE = "R007", Error, RuleDir, "每项财政拨款：本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余";
    BASIC_SPLIT = "R008", Error, RuleDir, "每项财政拨款：经济分类的基本支出（及所选套表列出的项目支出）= 功能分类的基本支出、项目支出";
    SUBTOTAL = "R009", Error, RuleDir, "类 = Σ款 = Σ项：所列类、款合计，总表的类行，各项的合计，各表类、款、项行分列所印的数（declared_*、declared_rows）与明细核对";
    GENERAL_BUDGET_TOTAL = "R010", Error, RuleDir, "一般公共预算财政拨款支出 = Σ类";
    THREE_PUBLIC_TOTAL = "R011", Error, RuleDir, "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费";
    VEHICLE_TOTAL = "R012", Error, RuleDir, "公务用车购置及运行维护费 = 购置费 + 运行维护费";
    PROCUREMENT_TOTAL = "R013", Error, RuleDir, "政府采购支出总额 = 货物 + 工程 + 服务";
    PROCUREMENT_SME = "R014", Error, RuleDir, "授予小微企业 ≤ 授予中小企业 ≤ 政府采购支出总额";
    REASON = "R015", Error, RuleDir, "文中须说明原因之处（有增减、决算≠预算）必须填写原因";
    COUNTS = "R016", Warning, RuleDir, "金额与次数、人数、辆数相互矛盾（有支出而次数为 0，或反之）";
    CODE_FORMAT = "R017", Error, RuleDir, "功能分类编码格式（类 3 位 / 款 5 位 / 项 7 位，逐级包含）";
    UNKNOWN_CODE = "R018", Error, RuleDir, "科目表中没有此编码，输入也未给出名称（所有这样的编码列在一条里）";
    NAME_MISMATCH = "R019", Warning, RuleDir, "输入的科目名称与本年科目表不一致";
    DUPLICATE_CODE = "R020", Error, RuleDir, "同一资金中科目编码重复";
    NEGATIVE = "R021", Error, RuleDir, "金额为负数";
    APPROPRIATION_WITHIN_SPENDING = "R022", Error, RuleDir, "财政拨款基本支出、项目支出不超过本年基本支出、项目支出";
    PRIOR_MISSING = "R023", Error, RuleDir, "文中比较的上年数或预算数缺失";
    WEIGHTS = "R024", Error, RuleDir, "绩效自评：预算执行率与各指标的分值合计为 100；一级、二级指标分值 = 其下各指标分值之和";
    DEVIATION = "R025", Error, RuleDir, "绩效指标实际值偏离目标值超过表式所定阈值（缺省 30%）时须说明偏差原因";
    TIER = "R026", Error, RuleDir, "定性指标的得分比例须在所选档次的区间内";
    SCORE = "R027", Error, RuleDir, "所列自评得分 = 按指标计算的得分";
    COST = "R028", Warning, RuleDir, "以万元计的成本指标实际值与项目执行数不一致";
    WORKLOAD = "R029", Error, RuleDir, "工作量合计 = 各组成项之和（本年与上年）";
    ITEM_BALANCE = "R030", Error, RuleDir, "每项财政拨款：各项年初、年末结转和结余之和 = 该资金的年初、年末结转和结余";
    INCOME_COLUMNS = "R031", Error, RuleDir, "收入决算表各列合计 = 收入支出决算总表对应收入行";
    SPENDING_COLUMNS = "R032", Error, RuleDir, "支出决算表各列合计 = 收入支出决算总表对应支出行";
    ECONOMIC_THREE_PUBLIC = "R033", Warning, RuleDir, "经济分类 30212/30217/30231/31013 = “三公”经费对应决算数";
    PAYMENTS = "R034", Error, RuleDir, "支付明细表：各科目使用金额之和 = 项目全年执行数；使用金额不超过申请金额";
    UPPER_WITHIN = "R035", Error, RuleDir, "项目资金：中省补助资金不超过财政资金（县级预算资金 = 财政资金 − 中省补助）";
    BUDGET_TOTAL = "R036", Error, RuleDir, "一般公共预算财政拨款预算数合计（declared_budget）= 各预算科目（含没有支出、不列示的）预算数之和";
    ECONOMIC_TOTAL = "R037", Error, RuleDir, "人员经费合计、公用经费合计、经济分类类合计（declared_personnel / declared_operating / declared_economic_subtotals）= 其下各款之和";
    REPORT_SPENDING = "R038", Error, RuleDir, "部门整体绩效报告所列财政资金支出（declared_spending）= 财政拨款支出合计";
    PRIOR_MISMATCH = "R039", Error, Build, "上年数 = 上年决算数（--previous 给出上年的输入时；写明口径调整说明 caliber_change 的除外）";
    REPORT_STAFF = "R040", Error, RuleDir, "绩效报告人员概况：所列编外人员合计、在编实有人数合计（declared_contract / declared_staff）= 各类人数之和";
    REPORT_TOTALS = "R041", Error, RuleDir, "绩效报告所列合计：财政资金收入（declared_income）= 财政拨款收入合计；项目支出（declared_project_spending）= 各项目执行数之和；年初预算数 = 年初基本支出 + 年初项目支出";
    VEHICLES_TOTAL = "R042", Error, RuleDir, "国有资产：所列车辆合计（declared_vehicles）= 各类车辆辆数之和";
    VEHICLE_KIND = "R043", Error, RuleDir, "国有资产：车辆用途须为表式所列类别之一（表式列有 vehicle_kinds 时，如上海格式的 8 类）";
    PROCUREMENT_AWARDED = "R044", Error, RuleDir, "政府采购：预留项目与其他项目中由中小企业中标或成交的金额之和、预留小微企业项目中由小微企业中标或成交的金额 ≤ 政府采购金额";
    MANAGEMENT = "R045", Error, RuleDir, "预算绩效管理汇总数：各评级项目数之和 = 绩效自评项目数；已整改 + 正在整改 ≤ 发现问题数；平均得分 ≤ 100";
    UNIT_TWICE = "R046", Error, RuleDir, "单位构成：同一单位列了两次";
    PEOPLE_COUNTS = "R047", Warning, RuleDir, "“三公”：人次少于团组数或接待批次";
    INPUT_NAMED_CODE = "R048", Info, RuleDir, "科目表中没有此编码，使用输入给出的名称（所有这样的编码列在一条里）";
    YEAR_OUTSIDE_CATALOG = "R049", Warning, RuleDir, "决算年度不在科目表覆盖的 2019–2025 年度内：按最近年度的科目表与公开表版式生成（早于 1990 年或晚于后年的年度仍为 E005）";
    SUMMARY_CLASS = "R050", Error, RuleDir, "有支出的类在所选总表版式中有对应的类级行（如上海 2025 年起的 24 行版式没有 231、232 类）";
    THREE_PUBLIC_ABSENT = "R051", Warning, RuleDir, "没有填写任何“三公”经费事实：说明略去“三公”经费一章（或其各段），不印没有填的 0";
    WORKBOOK_UNREADABLE = "X001", Error, Workbook, "工作簿无法读取：不是 .xlsx、已损坏或设有打开密码";
    SHEET_MISSING = "X002", Error, Workbook, "工作簿缺少工作表";
    HEADER = "X003", Error, Workbook, "表头或“项目”列被改名、缺列或多出一列";
    CELL_TYPE = "X004", Error, Workbook, "单元格类型不符：金额格里是文字、金额设成百分比格式、整数有小数、不在下拉列表中";
    FORMULA = "X005", Error, Workbook, "公式没有计算结果（缓存值）";
    REQUIRED = "X006", Error, Workbook, "必填单元格为空";
    REFERENCE = "X007", Error, Workbook, "绩效指标、工作量所写的项目不在“绩效项目”表中，或项目名称重复";
    WORKBOOK_LIMIT = "X008", Error, Workbook, "工作簿超出读取范围：每表 10000 行、200 列、20 万个非空格、8 MB 文字、1000 个合并区域，100 张表，文件 50 MB，解压后单个部件 64 MB、合计 256 MB";
    TEXT_NUMBER = "X009", Info, Workbook, "文本格式的数字（空格、千分位、全角数字）已按数字读取";
    TEMPLATE_VERSION = "X010", Error, Workbook, "模板版本比本程序新，或旧版模板的表头无法自动对应（附升级方法）";
    MERGED_AMOUNT = "X011", Error, Workbook, "金额列有跨行合并的单元格";
    HIDDEN_ROWS = "X012", Info, Workbook, "隐藏的行照常读取（提示是哪几行；仅 .xlsx/.xlsm）";
    HIDDEN_PARTS = "X013", Info, Workbook, "隐藏的工作表、隐藏的列照常读取（提示是哪一张表、哪几列；隐藏的列仅 .xlsx/.xlsm）";
    MISSING_GLYPH = "F001", Error, Build, "字体缺少文中用到的字符（生成前检查）";
    TOFU = "F002", Error, Build, "排版结果中有缺字框（glyph 0）";
    TEMPLATE = "F003", Error, Build, "模板错误";
    TYPST = "F004", Error, Build, "Typst 编译错误";
    OUTPUT_UNWRITABLE = "F005", Error, Build, "输出文件无法写出（整套写出：失败时不改动任何已有文件）";
    PAGE_LIMIT = "F006", Error, Build, "生成的文档超过 5000 页的上限（排版前按内容估计，排版后按页数；多由模板中失控的循环造成）";
    PART_UNPRINTED = "F007", Error, Build, "表式清单 [[parts]] 中的部分没有模板印它（正文模板中没有 part.key == \"…\" 的分支，这一部分会被漏掉）";
    NO_TABLES = "T001", Error, Build, "没有公开表可导出为 Excel（只有绩效自评表的输入）";
    TABLE_SUM = "T002", Error, Workbook, "公开表所印合计 = 其下各行之和（合计 = Σ类，类 = Σ款，款 = Σ项），读入时核对；超出尾差才是错误";
    TABLE_CONFLICT = "T003", Error, Workbook, "同一个数在两张公开表中所印不同";
    TO_FILL = "T004", Error, Workbook, "由公开表读入的输入缺少表中没有的事实（原因、职能、次数、上年数等，一条列全）";
    TABLE_TAIL = "T005", Info, Workbook, "公开表所印合计与其下各行之和相差在尾差之内（整个工作簿一条提示，不是差错）";
    TABLE_UNIT = "T006", Error, Workbook, "公开表的金额单位不是万元或元（如千元、亿元）：不换算、不读入，指出所印单位的单元格";
    NO_TABLES_FOUND = "T007", Error, Build, "import：工作簿中没有找到公开表（按表名、工作表名查找）";
    SAME_BUREAU_TWICE = "B001", Error, Batch, "批量：同一单位同一年度出现两次（按单位编码认；无编码时按单位名称）";
    MIXED_YEARS = "B002", Warning, Batch, "批量：文件夹中各单位的决算年度不一致";
    NO_INPUTS = "B003", Error, Batch, "批量：文件夹中没有可读的输入文件";
    TEXT_AMOUNT = "A001", Error, Audit, "审计：说明所印金额与公开表的数不符（按所印位数四舍五入相等的不算；相差在尾差之内的是提示）";
    TEXT_PERCENT = "A002", Error, Audit, "审计：说明所印占比、增减率、完成率与所印金额算出的不符（任何能印成所印金额的数都得不出所印的百分数才算）";
    TEXT_WORDS = "A003", Error, Audit, "审计：说明的增加/减少与增长/下降方向相反，或“决算数大于（小于、持平）预算数”与所印数不符";
    TEXT_NAME = "A004", Error, Audit, "审计：说明列出的经济分类款名在一般公共预算财政拨款基本支出决算表中没有（有数的款名照表列出）";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_in_order_within_their_series() {
        for pair in RULES.windows(2) {
            let (a, b) = (pair[0].code.as_str(), pair[1].code.as_str());
            if a[..1] == b[..1] {
                assert!(a < b, "{a} before {b}");
            }
        }
        let mut all: Vec<&str> = RULES.iter().map(|r| r.code.as_str()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), RULES.len(), "duplicate code");
    }

    #[test]
    fn lookup_round_trips() {
        for r in RULES {
            assert_eq!(Code::parse(r.code.as_str()), Some(r.code));
            assert_eq!(r.code.rule().title, r.title);
        }
        assert_eq!(Code::parse("R999"), None);
    }
}
