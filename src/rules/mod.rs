//! 校验规则：表内、表间的恒等式与必填说明，每条规则一个稳定编号。
//!
//! Each rule has a stable code, a fixture that triggers it and one that does not
//! (`tests/fixtures/rules/<CODE>/`), and reports the operands with their locations and the
//! computed difference.
//!
//! **Rounding tolerance** (decided once, here): a declared total may differ from the sum of its
//! printed parts by 0.01 万元 per part (尾差) — that is reported as info, not error. Anything larger
//! is an error. The printed figure is always the sum of the parts; a declared total is never
//! printed.

mod appropriation;
mod performance;
mod procurement;
mod reasons;
mod tables;
mod three_public;
mod totals;

use rust_decimal::Decimal;

use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::figures::Totals;
use crate::figures::arith::{money_text, printed};
use crate::model::{Amount, Bureau};
use crate::money::Money;

/// Rule codes. `E…` come from reading the input (see `input::codes`), `R…` from the rules here
/// and from building the model, `F…` from rendering.
pub mod codes {
    pub const INCOME_TOTAL: &str = "R001";
    pub const INCOME_GRAND_TOTAL: &str = "R002";
    pub const SPENDING_TOTAL: &str = "R003";
    pub const SPENDING_GRAND_TOTAL: &str = "R004";
    pub const BALANCE: &str = "R005";
    pub const APPROPRIATION_TOTAL: &str = "R006";
    pub const FUND_BALANCE: &str = "R007";
    pub const BASIC_SPLIT: &str = "R008";
    pub const SUBTOTAL: &str = "R009";
    pub const GENERAL_BUDGET_TOTAL: &str = "R010";
    pub const THREE_PUBLIC_TOTAL: &str = "R011";
    pub const VEHICLE_TOTAL: &str = "R012";
    pub const PROCUREMENT_TOTAL: &str = "R013";
    pub const PROCUREMENT_SME: &str = "R014";
    pub const REASON: &str = "R015";
    pub const COUNTS: &str = "R016";
    pub const CODE_FORMAT: &str = "R017";
    pub const UNKNOWN_CODE: &str = "R018";
    pub const NAME_MISMATCH: &str = "R019";
    pub const DUPLICATE_CODE: &str = "R020";
    pub const NEGATIVE: &str = "R021";
    pub const APPROPRIATION_WITHIN_SPENDING: &str = "R022";
    pub const PRIOR_MISSING: &str = "R023";
    pub const WEIGHTS: &str = "R024";
    pub const DEVIATION: &str = "R025";
    pub const TIER: &str = "R026";
    pub const SCORE: &str = "R027";
    pub const COST: &str = "R028";
    pub const WORKLOAD: &str = "R029";
    pub const ITEM_BALANCE: &str = "R030";
    pub const INCOME_COLUMNS: &str = "R031";
    pub const SPENDING_COLUMNS: &str = "R032";
    pub const ECONOMIC_THREE_PUBLIC: &str = "R033";
    pub const PAYMENTS: &str = "R034";
    pub const UPPER_WITHIN: &str = "R035";
}

/// Every rule: code, default severity, what it checks. The README's table is this list.
pub const RULES: &[(&str, Severity, &str)] = &[
    ("E001", Severity::Error, "输入文件无法读取"),
    ("E002", Severity::Error, "TOML 语法或类型错误"),
    ("E003", Severity::Error, "未知字段"),
    (
        "E004",
        Severity::Error,
        "金额写法错误（非十进制数、小数超过 2 位）",
    ),
    (
        "E005",
        Severity::Error,
        "取值不在允许范围（单位、表式、年度、百分比小数位等）",
    ),
    (
        codes::INCOME_TOTAL,
        Severity::Error,
        "本年收入合计 = 各项收入之和",
    ),
    (
        codes::INCOME_GRAND_TOTAL,
        Severity::Error,
        "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余",
    ),
    (
        codes::SPENDING_TOTAL,
        Severity::Error,
        "本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出",
    ),
    (
        codes::SPENDING_GRAND_TOTAL,
        Severity::Error,
        "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
    ),
    (codes::BALANCE, Severity::Error, "收入总计 = 支出总计"),
    (
        codes::APPROPRIATION_TOTAL,
        Severity::Error,
        "财政拨款收入合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算",
    ),
    (
        codes::FUND_BALANCE,
        Severity::Error,
        "每项财政拨款：本年收入 + 年初结转和结余 = 本年支出 + 年末结转和结余",
    ),
    (
        codes::BASIC_SPLIT,
        Severity::Error,
        "每项财政拨款：经济分类的基本支出、项目支出 = 功能分类的基本支出、项目支出（人员经费 + 公用经费 = 基本支出）",
    ),
    (
        codes::SUBTOTAL,
        Severity::Error,
        "类 = Σ款 = Σ项（所列类、款合计与明细核对）",
    ),
    (
        codes::GENERAL_BUDGET_TOTAL,
        Severity::Error,
        "一般公共预算财政拨款支出 = Σ类",
    ),
    (
        codes::THREE_PUBLIC_TOTAL,
        Severity::Error,
        "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
    ),
    (
        codes::VEHICLE_TOTAL,
        Severity::Error,
        "公务用车购置及运行维护费 = 购置费 + 运行维护费",
    ),
    (
        codes::PROCUREMENT_TOTAL,
        Severity::Error,
        "政府采购支出总额 = 货物 + 工程 + 服务",
    ),
    (
        codes::PROCUREMENT_SME,
        Severity::Error,
        "授予小微企业 ≤ 授予中小企业 ≤ 政府采购支出总额",
    ),
    (
        codes::REASON,
        Severity::Error,
        "文中须说明原因之处（有增减、决算≠预算）必须填写原因",
    ),
    (
        codes::COUNTS,
        Severity::Warning,
        "金额与次数、人数、辆数相互矛盾（有支出而次数为 0，或反之）",
    ),
    (
        codes::CODE_FORMAT,
        Severity::Error,
        "功能分类编码格式（类 3 位 / 款 5 位 / 项 7 位，逐级包含）",
    ),
    (
        codes::UNKNOWN_CODE,
        Severity::Error,
        "科目表中没有此编码，输入也未给出名称",
    ),
    (
        codes::NAME_MISMATCH,
        Severity::Warning,
        "输入的科目名称与本年科目表不一致",
    ),
    (
        codes::DUPLICATE_CODE,
        Severity::Error,
        "同一资金中科目编码重复",
    ),
    (codes::NEGATIVE, Severity::Error, "金额为负数"),
    (
        codes::APPROPRIATION_WITHIN_SPENDING,
        Severity::Error,
        "财政拨款基本支出、项目支出不超过本年基本支出、项目支出",
    ),
    (
        codes::PRIOR_MISSING,
        Severity::Error,
        "文中比较的上年数或预算数缺失",
    ),
    (
        codes::WEIGHTS,
        Severity::Error,
        "绩效自评：预算执行率与各指标的分值合计为 100；一级、二级指标分值 = 其下各指标分值之和",
    ),
    (
        codes::DEVIATION,
        Severity::Error,
        "绩效指标实际值偏离目标值超过 30% 时须说明偏差原因",
    ),
    (
        codes::TIER,
        Severity::Error,
        "定性指标的得分比例须在所选档次的区间内",
    ),
    (
        codes::SCORE,
        Severity::Error,
        "所列自评得分 = 按指标计算的得分",
    ),
    (
        codes::COST,
        Severity::Warning,
        "以万元计的成本指标实际值与项目执行数不一致",
    ),
    (
        codes::WORKLOAD,
        Severity::Error,
        "工作量合计 = 各组成项之和（本年与上年）",
    ),
    (
        codes::ITEM_BALANCE,
        Severity::Error,
        "每项财政拨款：各项年初、年末结转和结余之和 = 该资金的年初、年末结转和结余",
    ),
    (
        codes::INCOME_COLUMNS,
        Severity::Error,
        "收入决算表各列合计 = 收入支出决算总表对应收入行",
    ),
    (
        codes::SPENDING_COLUMNS,
        Severity::Error,
        "支出决算表各列合计 = 收入支出决算总表对应支出行",
    ),
    (
        codes::ECONOMIC_THREE_PUBLIC,
        Severity::Warning,
        "经济分类 30212/30217/30231/31013 = “三公”经费对应决算数",
    ),
    (
        codes::PAYMENTS,
        Severity::Error,
        "支付明细表：各科目使用金额之和 = 项目全年执行数；使用金额不超过申请金额",
    ),
    (
        codes::UPPER_WITHIN,
        Severity::Error,
        "项目资金：中省补助资金不超过财政资金（县级预算资金 = 财政资金 − 中省补助）",
    ),
    (
        "X001",
        Severity::Error,
        "工作簿无法读取：不是 .xlsx、已损坏或设有打开密码",
    ),
    ("X002", Severity::Error, "工作簿缺少工作表"),
    (
        "X003",
        Severity::Error,
        "表头或“项目”列被改名、缺列或多出一列",
    ),
    (
        "X004",
        Severity::Error,
        "单元格类型不符：金额格里是文字、金额设成百分比格式、整数有小数、不在下拉列表中",
    ),
    ("X005", Severity::Error, "公式没有计算结果（缓存值）"),
    ("X006", Severity::Error, "必填单元格为空"),
    (
        "X007",
        Severity::Error,
        "绩效指标、工作量所写的项目不在“绩效项目”表中，或项目名称重复",
    ),
    ("F001", Severity::Error, "字体缺少文中用到的字符"),
    ("F002", Severity::Error, "排版结果中有缺字（glyph 0）"),
    ("F003", Severity::Error, "模板错误"),
    ("F004", Severity::Error, "Typst 编译错误"),
];

/// Runs every rule over a model.
pub fn check(b: &Bureau) -> Diagnostics {
    let mut d = Diagnostics::default();
    let t = Totals::of(b);
    totals::check(b, &t, &mut d);
    appropriation::check(b, &mut d);
    three_public::check(b, &t, &mut d);
    procurement::check(b, &t, &mut d);
    // The reasons and prior-year figures are the 说明's; a 绩效-only document has no 说明.
    if b.identity.document == crate::model::Document::FinalAccounts {
        reasons::check(b, &t, &mut d);
    }
    performance::check(b, &mut d);
    tables::check(b, &mut d);
    d
}

/// A named operand of a sum.
pub(crate) struct Part<'a> {
    pub label: &'a str,
    pub amount: Money,
    pub fact: Option<&'a Amount>,
}

impl<'a> Part<'a> {
    pub fn fact(label: &'a str, fact: &'a Amount) -> Self {
        Part {
            label,
            amount: fact.value,
            fact: Some(fact),
        }
    }

    pub fn derived(label: &'a str, amount: Money) -> Self {
        Part {
            label,
            amount,
            fact: None,
        }
    }
}

/// Compares a declared total with the sum of its parts under the tolerance policy above.
pub(crate) fn check_declared(
    d: &mut Diagnostics,
    code: &'static str,
    total_label: &str,
    declared: &Amount,
    parts_label: &str,
    parts: &[Part<'_>],
) {
    let sum: Money = parts.iter().map(|p| Money(printed(p.amount))).sum();
    let diff = printed(declared.value) - printed(sum);
    if diff.is_zero() {
        return;
    }
    let tolerance = Decimal::new(1, 2) * Decimal::from(parts.len().max(1) as u64);
    let severity = if diff.abs() <= tolerance {
        Severity::Info
    } else {
        Severity::Error
    };
    // Defaulted zero lines add nothing to the explanation; given or non-zero ones are listed.
    let breakdown = parts
        .iter()
        .filter(|p| !p.amount.is_zero() || p.fact.is_some_and(|f| f.loc.is_some()))
        .map(|p| format!("{} {}", p.label, money_text(p.amount)))
        .collect::<Vec<_>>()
        .join(" + ");
    let mut diag = Diagnostic::new(
        code,
        severity,
        format!(
            "{total_label} {} ≠ {parts_label} {}（差 {}）",
            money_text(declared.value),
            money_text(sum),
            diff.normalize()
        ),
    )
    .at_opt(declared.loc.as_ref())
    .hint(format!("{parts_label} = {breakdown}"));
    diag = if severity == Severity::Info {
        diag.hint(format!(
            "差额在 {} 个组成项各 0.01 万元的尾差范围内；文中按各项之和 {} 打印。",
            parts.len(),
            money_text(sum)
        ))
    } else {
        diag.hint("核对来源表：合计数与明细数至少有一处录入有误。文中只打印由明细计算出的合计。")
    };
    d.push(with_operands(diag, parts));
}

/// Two computed quantities that must be equal (no declared side): any difference is an error.
pub(crate) fn check_equal(
    d: &mut Diagnostics,
    code: &'static str,
    left: (&str, Money),
    right: (&str, Money),
    at: Option<&Amount>,
    related: &[Part<'_>],
    hint: &str,
) {
    let diff = printed(left.1) - printed(right.1);
    if diff.is_zero() {
        return;
    }
    let diag = Diagnostic::error(
        code,
        format!(
            "{} {} ≠ {} {}（差 {}）",
            left.0,
            money_text(left.1),
            right.0,
            money_text(right.1),
            diff.normalize()
        ),
    )
    .at_opt(at.and_then(|a| a.loc.as_ref()))
    .hint(hint);
    d.push(with_operands(diag, related));
}

/// Points a diagnostic at every operand that was typed in the input.
fn with_operands(mut diag: Diagnostic, parts: &[Part<'_>]) -> Diagnostic {
    for p in parts {
        if let Some(loc) = p.fact.and_then(|f| f.loc.as_ref()) {
            diag = diag.related(loc, format!("{} {}", p.label, money_text(p.amount)));
        }
    }
    diag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted_within_their_series() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.0).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes.len(), sorted.len(), "duplicate rule code");
    }
}
