//! 读入后、建模型前的核对：发布日期是否在决算年度之后的合理范围、绩效项目是否重名、没写金额单位时金额是否像以元计。
//!
//! These look at what was typed, with its place, before anything is derived from it: a
//! `publish_date` in 1900 or 9999, two projects of one name (indicators and workloads name their
//! project, so the second would silently take the first's), and an input without `unit` whose
//! amounts are far too large for 万元 (read as 万元 they would print 10,000 times too much).
//! An input that states no unit and whose amounts look like 万元 is read as 万元 without a word,
//! as every example and template does.

use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::SourceFile;
use super::raw::RawBureau;
use super::section::Values as _;
use crate::diagnostic::{Diagnostic, Diagnostics, codes};
use crate::schema::{self, Kind};

/// Years after the 决算 year within which a package is published (a later reissue included).
pub const PUBLISH_YEARS_AFTER: i64 = 5;

/// With no unit stated, an amount of this many 万元 (10 亿元) or more is taken for 元: no
/// department the tool was made for spends that on one line, and a department in 元 prints its
/// totals in millions.
pub const YUAN_LIKE_WAN: i64 = 100_000;

/// The findings of the checks on a parsed input.
pub fn findings(raw: &RawBureau, table: &DeTable, source: &SourceFile) -> Diagnostics {
    let mut found = Diagnostics::default();
    publish_date(raw, source, &mut found);
    project_names(raw, source, &mut found);
    match &raw.bureau.text("bureau.unit") {
        None => unit_assumed(table, source, &mut found),
        Some(unit) if unit.get_ref().trim() == "万元" => yuan_in_wan(table, source, &mut found),
        Some(_) => {}
    }
    found
}

/// With 万元 stated, an amount of this many 万元 (100 亿元) or more is taken for 元 typed in a 万元
/// workbook: every figure then is 10,000 times too large, and the sums still agree, so no other
/// rule would say so.
pub const YUAN_IN_WAN: i64 = 1_000_000;

fn yuan_in_wan(table: &DeTable, source: &SourceFile, found: &mut Diagnostics) {
    let Some((largest, span)) = largest_amount(table) else {
        return;
    };
    if largest < Decimal::from(YUAN_IN_WAN) {
        return;
    }
    // The same digits: N 万元 is N/10000 亿元, and N 元 is N/10000 万元.
    let scaled = (largest / Decimal::from(10_000)).round_dp(2).normalize();
    found.push(
        Diagnostic::of(
            codes::YUAN_IN_WAN,
            format!(
                "金额单位是万元，但这里的 {} 万元是 {scaled} 亿元，不像一个单位一年的决算数：金额像是按元填写的（按元是 {scaled} 万元），全部金额都会大 10000 倍",
                largest.normalize()
            ),
        )
        .at(&source.location(span))
        .hint("金额确以元填写时，把金额单位改为“元”（工作簿在“单位信息”表的“金额单位”一格，TOML 在 [bureau] 中写 unit = \"元\"）；确是万元，可不理会本提示。"),
    );
}

fn publish_date(raw: &RawBureau, source: &SourceFile, found: &mut Diagnostics) {
    let (Some(d), Some(year)) = (
        raw.bureau.date("bureau.publish_date"),
        raw.bureau.count("bureau.year").map(|y| *y.get_ref()),
    ) else {
        return;
    };
    let Some(date) = d.get_ref().date else {
        return;
    };
    // An impossible 决算 year is its own E005; the date is then not judged against it.
    if !crate::catalog::plausible_years().contains(&year) {
        return;
    }
    let published = i64::from(date.year);
    let (first, last) = (year, year + PUBLISH_YEARS_AFTER);
    if (first..=last).contains(&published) {
        return;
    }
    found.push(
        Diagnostic::of(
            codes::VALUE,
            format!("发布日期 {date} 不在 {year} 年度决算可能发布的年份内（{first}–{last} 年）"),
        )
        .at(&source.location(d.span()))
        .hint(format!(
            "填写公开的日期，通常是次年，如 {}-09-01；不填为次年 1 月 1 日。",
            year + 1
        )),
    );
}

fn project_names(raw: &RawBureau, source: &SourceFile, found: &mut Diagnostics) {
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    for project in &raw.performance.lists.projects {
        let Some(name) = project.text("name") else {
            continue;
        };
        let text = name.get_ref().trim();
        if text.is_empty() {
            continue;
        }
        match seen.iter().find(|(n, _)| *n == text) {
            Some((_, first)) => found.push(
                Diagnostic::of(
                    codes::DUPLICATE_PROJECT,
                    format!("绩效项目“{text}”出现了两次"),
                )
                .at(&source.location(name.span()))
                .related(&source.location(first.clone()), "第一次出现")
                .hint("项目名称用来关联指标、工作量和报告，须各不相同：合并成一个项目，或改名（如加上年度、地点）。"),
            ),
            None => seen.push((text.to_string(), name.span())),
        }
    }
}

/// Whether the value at `path` (its TOML keys, array indices left out) is an amount: a
/// declared fact of kind money, a scalar (`src/schema/scalars.rs`) or a list's column
/// (`src/schema/lists.rs`). Undeclared keys are E003, not amounts.
fn is_money(path: &[&str]) -> bool {
    let key = path.join(".");
    let kind = match schema::scalar(&key) {
        Some((_, _, f)) => Some(f.kind),
        None => schema::lists::column(&key).map(|(_, kind)| kind),
    };
    kind == Some(Kind::Money)
}

/// The largest amount of an input, with its place.
fn largest_amount(table: &DeTable) -> Option<(Decimal, Range<usize>)> {
    fn walk<'a>(
        value: &'a DeValue<'a>,
        span: Range<usize>,
        path: &mut Vec<&'a str>,
        best: &mut Option<(Decimal, Range<usize>)>,
    ) {
        let number = |text: &str| {
            let folded = crate::money::nfkc(text).replace('_', "");
            Decimal::from_str(folded.trim()).ok()
        };
        let amount = match value {
            DeValue::Table(t) => {
                for (k, v) in t {
                    path.push(k.get_ref().as_ref());
                    walk(v.get_ref(), v.span(), path, best);
                    path.pop();
                }
                return;
            }
            DeValue::Array(items) => {
                for item in items.iter() {
                    walk(item.get_ref(), item.span(), path, best);
                }
                return;
            }
            _ if !is_money(path) => return,
            DeValue::Integer(i) if i.radix() == 10 => number(i.as_str()),
            DeValue::Float(f) => number(f.as_str()),
            DeValue::String(s) => number(s),
            _ => None,
        };
        if let Some(a) = amount
            && best.as_ref().is_none_or(|(b, _)| a > *b)
        {
            *best = Some((a, span));
        }
    }
    let mut best = None;
    let mut path = Vec::new();
    for (k, v) in table {
        path.push(k.get_ref().as_ref());
        walk(v.get_ref(), v.span(), &mut path, &mut best);
        path.pop();
    }
    best
}

fn unit_assumed(table: &DeTable, source: &SourceFile, found: &mut Diagnostics) {
    let Some((largest, span)) = largest_amount(table) else {
        return;
    };
    if largest < Decimal::from(YUAN_LIKE_WAN) {
        return;
    }
    let yi = (largest / Decimal::from(10_000)).round_dp(2).normalize();
    found.push(
        Diagnostic::of(
            codes::UNIT_ASSUMED,
            format!(
                "没有写金额单位，全部金额按万元读；但这里的 {} 按万元是 {yi} 亿元，不像一个单位一年的决算数：金额像是以元为单位",
                largest.normalize()
            ),
        )
        .at(&source.location(span))
        .hint("金额以元为单位时，在 [bureau] 中写 unit = \"元\"；确是万元，写 unit = \"万元\"，不再提示。工作簿在“单位信息”表的“金额单位”一格中选择。"),
    );
}

#[cfg(test)]
mod tests {
    use super::is_money;

    #[test]
    fn an_amount_is_what_the_declarations_say() {
        for money in [
            "prior_year.total",
            "general_budget.items.basic",
            "appropriation.gov_fund.items.declared_total",
            "non_appropriation.items.spending.upper_remit",
            "general_budget.declared_subtotals.201",
            "three_public.vehicle.purchases.amount",
            "performance.projects.payments.used",
            "declared_rows.total",
        ] {
            assert!(is_money(&money.split('.').collect::<Vec<_>>()), "{money}");
        }
        for not in [
            "general_budget.items.code",
            "general_budget.items.reason",
            "three_public.vehicle.purchases.count",
            "performance.projects.indicators.target",
            "performance.projects.level_weights.产出指标",
            "income.no_such_key",
        ] {
            assert!(!is_money(&not.split('.').collect::<Vec<_>>()), "{not}");
        }
    }
}
