//! 附表之间的勾稽关系（R030–R033）：按项填写的收入、支出、结转结余与经济分类，必须与公开01表
//! 收入支出决算总表的各行、与“三公”经费一致。
//!
//! The 附表 are printed from the item lines; 公开01表 from the lines of `[income]` and
//! `[spending]`. These rules make sure both say the same, the way a 决算 reviewer re-adds them.

use super::{Part, check_declared, codes};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::form::layouts::Shape;
use crate::model::{Amount, Bureau, Fund};
use crate::money::Money;

pub(super) fn check(b: &Bureau, d: &mut Diagnostics) {
    for (key, label, fund) in b.appropriation.funds() {
        // Demanded where the set prints per-项 balances, checked wherever they are given.
        let printed = b
            .identity
            .prints(Shape::Function, "closing_balance", Some(key));
        let given = fund
            .items
            .iter()
            .any(|i| i.opening_balance.loc.is_some() || i.closing_balance.loc.is_some());
        if printed || given {
            item_balances(b, d, label, fund);
        }
    }
    income_columns(b, d);
    spending_columns(b, d);
    summary_classes(b, d);
    // The “三公” are spent from basic and project spending alike, so the economic lines can be
    // compared with them only where they cover project spending: where the set prints an
    // economic table of project spending, or the input gives it anyway. A set printing the
    // economic classification of 基本支出 only (上海, 财政部 9 张) does not ask for it.
    let project_printed = b.identity.prints(Shape::Economic, "project", None);
    let project_given = b
        .appropriation
        .funds()
        .into_iter()
        .flat_map(|(_, _, f)| f.economic.iter())
        .any(|e| e.project.loc.is_some());
    if project_printed || project_given {
        economic_three_public(b, d);
    }
}

/// R030: the items' 年初/年末结转和结余 add up to the fund's.
fn item_balances(b: &Bureau, d: &mut Diagnostics, label: &str, fund: &Fund) {
    let names: Vec<String> = fund
        .items
        .iter()
        .map(|i| format!("{} {}", i.code.value, i.name))
        .collect();
    for (what, total, pick) in [
        (
            "年初结转和结余",
            &fund.opening_balance,
            (|i| &i.opening_balance) as fn(&crate::model::FunctionItem) -> &Amount,
        ),
        ("年末结转和结余", &fund.closing_balance, |i| {
            &i.closing_balance
        }),
    ] {
        let parts: Vec<Part> = fund
            .items
            .iter()
            .zip(&names)
            .map(|(i, n)| Part::fact(n, pick(i)))
            .collect();
        if parts.is_empty() && total.value.is_zero() {
            continue;
        }
        if parts.is_empty() {
            d.push(
                Diagnostic::of(
                    codes::ITEM_BALANCE,
                    format!("{label}{what} {} 没有按功能分类项列出", total.value),
                )
                .at_opt(total.loc.as_ref())
                .hint(format!("在“功能分类支出”表中该资金的各项填写“{what}”列（各项之和应等于{label}{what}）。"))
                .hint("TOML 中写在该资金的 [[…items]] 各项：opening_balance / closing_balance = …"),
            );
            continue;
        }
        check_declared(
            d,
            b,
            codes::ITEM_BALANCE,
            &format!("{label}{what}"),
            total,
            "各项之和",
            &parts,
        );
    }
}

/// R031: 收入决算表 column totals = 公开01表 income lines, for the money that is not an
/// appropriation (the appropriation columns are tied by R007 and R030).
fn income_columns(b: &Bureau, d: &mut Diagnostics) {
    let items = &b.non_appropriation;
    let names: Vec<String> = items
        .iter()
        .map(|i| format!("{} {}", i.code.value, i.name))
        .collect();
    let lines = [
        ("上级补助收入", &b.income.upper_grant),
        ("事业收入", &b.income.service),
        ("经营收入", &b.income.business),
        ("附属单位上缴收入", &b.income.affiliate),
        ("其他收入", &b.income.other),
    ];
    for (col, (label, line)) in lines.into_iter().enumerate() {
        let parts: Vec<Part> = items
            .iter()
            .zip(&names)
            .map(|(i, n)| Part::fact(n, i.income_columns()[col]))
            .collect();
        column(
            b,
            d,
            codes::INCOME_COLUMNS,
            "收入决算表",
            label,
            line,
            &parts,
        );
    }
}

/// R032: 支出决算表 column totals (财政拨款 + 非财政拨款 items) = 公开01表 spending lines.
fn spending_columns(b: &Bureau, d: &mut Diagnostics) {
    let s = &b.spending;
    let funds = b.appropriation.funds();
    let labels: Vec<(String, String)> = funds
        .iter()
        .map(|(_, label, _)| (format!("{label}基本支出"), format!("{label}项目支出")))
        .collect();
    let names: Vec<String> = b
        .non_appropriation
        .iter()
        .map(|i| format!("{} {}", i.code.value, i.name))
        .collect();
    let lines = [
        ("基本支出", &s.basic),
        ("项目支出", &s.project),
        ("上缴上级支出", &s.upper_remit),
        ("经营支出", &s.business),
        ("对附属单位补助支出", &s.affiliate_grant),
    ];
    for (col, (label, line)) in lines.into_iter().enumerate() {
        let mut parts: Vec<Part> = Vec::new();
        for ((_, _, fund), (basic, project)) in funds.iter().zip(&labels) {
            match col {
                0 if !fund.basic().is_zero() => parts.push(Part::derived(basic, fund.basic())),
                1 if !fund.project().is_zero() => {
                    parts.push(Part::derived(project, fund.project()))
                }
                _ => {}
            }
        }
        parts.extend(
            b.non_appropriation
                .iter()
                .zip(&names)
                .map(|(i, n)| Part::fact(n, i.spending_columns()[col])),
        );
        column(
            b,
            d,
            codes::SPENDING_COLUMNS,
            "支出决算表",
            label,
            line,
            &parts,
        );
    }
}

fn column(
    b: &Bureau,
    d: &mut Diagnostics,
    code: crate::diagnostic::Code,
    table: &str,
    label: &str,
    line: &Amount,
    parts: &[Part<'_>],
) {
    if parts.is_empty() {
        if !line.value.is_zero() {
            d.push(
                Diagnostic::of(
                    code,
                    format!(
                        "收入支出决算总表“{label}”{}，但{table}中没有任何项有这一列的金额",
                        line.value
                    ),
                )
                .at_opt(line.loc.as_ref())
                .hint("按功能分类项填写这笔资金：财政拨款填在“功能分类支出”表，其他资金填在“非财政拨款”表。")
                .hint("TOML 中财政拨款写在各资金的 [[…items]]，其他资金写在 [[non_appropriation.items]]。"),
            );
        }
        return;
    }
    check_declared(
        d,
        b,
        code,
        &format!("收入支出决算总表“{label}”"),
        line,
        &format!("{table}“{label}”列各项之和"),
        parts,
    );
}

/// R033 (warning): the 经济分类 lines that are “三公” (30212, 30217, 30231, 31013) agree with the
/// “三公” figures of part 七 (only where the economic lines cover project spending, see `check`).
fn economic_three_public(b: &Bureau, d: &mut Diagnostics) {
    let economic: Vec<_> = b
        .appropriation
        .funds()
        .into_iter()
        .flat_map(|(_, _, f)| f.economic.iter())
        .collect();
    // No “三公” fact at all: nothing to compare with (R051 says the part is left out).
    if economic.is_empty() || !b.three_public_given() {
        return;
    }
    let t = &b.three_public;
    let v = &t.vehicle;
    let reception = t.reception.domestic.actual.value + t.reception.foreign.actual.value;
    for (code, label, three_public) in [
        ("30212", "因公出国（境）费", t.overseas.actual.value),
        ("30217", "公务接待费", reception),
        ("30231", "公务用车运行维护费", v.running_actual.value),
        ("31013", "公务用车购置费", v.purchase_actual()),
    ] {
        let lines: Vec<_> = economic.iter().filter(|e| e.code.value == code).collect();
        let sum: Money = lines.iter().map(|e| e.actual()).sum();
        let diff = sum.0 - three_public.0;
        if diff.is_zero() {
            continue;
        }
        let mut diag = Diagnostic::of(
            codes::ECONOMIC_THREE_PUBLIC,
            format!(
                "经济分类 {code} 的财政拨款支出 {} 与“三公”经费中的{label}决算 {} 不一致（差 {}）",
                sum,
                three_public,
                diff.normalize()
            ),
        )
        .hint("“三公”经费按经济分类归集：出国 30212、接待 30217、车辆运行 30231、车辆购置 31013。核对两处数字。");
        diag = match lines.first() {
            Some(e) => diag.at_opt(e.code.loc.as_ref()),
            None => diag.at_opt(economic[0].code.loc.as_ref()),
        };
        d.push(diag);
    }
}

/// R050: every 类 with spending has a row in the 类 lines of the summary tables the set prints
/// for the year (the 24-row list of 2025 has no 231 债务还本支出 / 232 债务付息支出): a class
/// without one would silently drop its spending from 公开01表 / 04表.
fn summary_classes(b: &Bureau, d: &mut Diagnostics) {
    let id = &b.identity;
    let layouts = &id.layouts;
    let Some(set) = layouts.sets.iter().find(|s| s.id == id.tables.key()) else {
        return;
    };
    let variant = id.table_variant.as_deref();
    for entry in &set.tables {
        let Some(layout) = layouts.layout(&entry.id, id.year.value, variant) else {
            continue;
        };
        if layout.shape != Shape::Summary {
            continue;
        }
        let keys: Vec<&str> = layout
            .left
            .iter()
            .chain(&layout.right)
            .filter_map(|l| l.key.as_deref())
            .collect();
        for (prefix, appropriation_only) in [("class:", false), ("appropriation.class:", true)] {
            if !keys.iter().any(|k| k.starts_with(prefix)) {
                continue;
            }
            let mut lines: Vec<(&crate::model::Fact<String>, Money)> = b
                .appropriation
                .funds()
                .into_iter()
                .flat_map(|(_, _, f)| f.items.iter().map(|i| (&i.code, i.actual())))
                .collect();
            if !appropriation_only {
                lines.extend(b.non_appropriation.iter().map(|i| {
                    let spent: Money = i.spending_columns().iter().map(|a| a.value).sum();
                    (&i.code, spent)
                }));
            }
            let mut missing: Vec<&crate::model::Fact<String>> = Vec::new();
            for (code, spent) in lines {
                let Some(class) = code.value.get(..3) else {
                    continue;
                };
                if spent.is_zero()
                    || keys.contains(&format!("{prefix}{class}").as_str())
                    || missing.iter().any(|m| m.value.get(..3) == Some(class))
                {
                    continue;
                }
                missing.push(code);
            }
            for code in missing {
                let class = &code.value[..3];
                d.push(
                    Diagnostic::of(
                        codes::SUMMARY_CLASS,
                        format!(
                            "{}没有“{class}”类的行：{} 的支出印不出来",
                            layout.title, code.value
                        ),
                    )
                    .at_opt(code.loc.as_ref())
                    .hint("核对科目编码；该类确有支出时，在“单位信息”表的“附表版式变体”一行选用列有该类的版式（见 docs/tables.md）。")
                    .hint("TOML 中写在 [bureau] 下：table_variant = …"),
                );
            }
        }
    }
}
