//! 校验规则：表内、表间的恒等式与必填说明，每条规则一个稳定编号。
//!
//! Each rule has a stable code, a fixture that triggers it and one that does not
//! (`tests/fixtures/rules/<CODE>/`), and reports the operands with their locations and the
//! computed difference.
//!
//! **Rounding tolerance** (decided once, here, in [`tolerance`]): a printed total may differ from
//! the sum of its printed parts by 0.01 万元 per figure actually given (尾差) — info, not error —
//! for declared totals and fact-to-fact identities alike. Anything larger is an error that points
//! at the total and, where one typing slip would explain it, at the figure most likely wrong.
//! Which figure prints for a total within its 尾差 is `[bureau] totals` (see `model::TotalsPolicy`).

mod aggregates;
mod appropriation;
mod declared;
mod performance;
mod procurement;
mod reasons;
mod report;
mod tables;
mod three_public;
mod totals;

use rust_decimal::Decimal;

use crate::arith::money_text;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity};
use crate::model::Totals;
use crate::model::{Amount, Bureau};
use crate::money::Money;

pub use crate::diagnostic::registry::{RULES, codes};

/// Runs every rule over a model.
pub fn check(b: &Bureau) -> Diagnostics {
    let mut d = Diagnostics::default();
    let t = Totals::of(b);
    totals::check(b, &t, &mut d);
    appropriation::check(b, &mut d);
    three_public::check(b, &t, &mut d);
    procurement::check(b, &t, &mut d);
    aggregates::check(b, &t, &mut d);
    // The reasons and prior-year figures are the 说明's; a 绩效-only document has no 说明.
    if b.identity.document == crate::model::Document::FinalAccounts {
        reasons::check(b, &t, &mut d);
    }
    performance::check(b, &mut d);
    tables::check(b, &mut d);
    declared::check(b, &mut d);
    report::check(b, &mut d);
    d
}

/// A named operand of a sum.
pub(crate) struct Part<'a> {
    pub label: &'a str,
    pub amount: Money,
    pub fact: Option<&'a Amount>,
    /// How many printed figures this operand stands for (a typed fact is one; a sum computed from
    /// typed facts is as many as it adds up). Only figures actually given count toward the 尾差.
    pub given: usize,
}

impl<'a> Part<'a> {
    pub fn fact(label: &'a str, fact: &'a Amount) -> Self {
        Part {
            label,
            amount: fact.value,
            fact: Some(fact),
            given: usize::from(fact.loc.is_some()),
        }
    }

    /// A figure computed from the facts that prints as one figure (a total, a declared total).
    pub fn derived(label: &'a str, amount: Money) -> Self {
        Part::sum(label, amount, usize::from(!amount.is_zero()))
    }

    /// A sum of `given` printed figures, used as one operand.
    pub fn sum(label: &'a str, amount: Money, given: usize) -> Self {
        Part {
            label,
            amount,
            fact: None,
            given,
        }
    }
}

pub use crate::money::tolerance;

/// Compares a declared total with the sum of its parts under the 尾差 policy.
pub(crate) fn check_declared(
    d: &mut Diagnostics,
    b: &Bureau,
    code: Code,
    total_label: &str,
    declared: &Amount,
    parts_label: &str,
    parts: &[Part<'_>],
) {
    let sum: Money = parts.iter().map(|p| p.amount).sum();
    let total = Part {
        label: total_label,
        amount: declared.value,
        fact: Some(declared),
        given: 1,
    };
    let given = parts.iter().map(|p| p.given).sum();
    let refs: Vec<&Part> = parts.iter().collect();
    reconcile(
        d,
        b,
        code,
        (&total, (parts_label, sum)),
        given,
        (&refs, true),
        "核对来源表：合计数与明细数至少有一处录入有误。",
    );
}

/// Two quantities that must be equal, each a printed figure or a sum of printed figures, under
/// the same 尾差 policy as declared totals: the tolerance counts the figures given on both sides.
/// The finding is reported at `left`; `operands` are the typed figures behind both sides.
pub(crate) fn check_equal(
    d: &mut Diagnostics,
    b: &Bureau,
    code: Code,
    left: &Part<'_>,
    right: &Part<'_>,
    operands: &[Part<'_>],
    hint: &str,
) {
    let given = (left.given + right.given).saturating_sub(1);
    let mut refs: Vec<&Part> = operands.iter().collect();
    if right.fact.is_some() {
        refs.push(right);
    }
    reconcile(
        d,
        b,
        code,
        (left, (right.label, right.amount)),
        given,
        (&refs, false),
        hint,
    );
}

/// Reports `total ≠ sum` under the 尾差 policy for `given` printed figures. `parts` are the
/// operands; `adds_up` says whether they add up to `sum` (a declared total) or only take part.
fn reconcile(
    d: &mut Diagnostics,
    b: &Bureau,
    code: Code,
    (total, sum): (&Part<'_>, (&str, Money)),
    given: usize,
    (parts, adds_up): (&[&Part<'_>], bool),
    hint: &str,
) {
    // 万元 input has at most two decimals, so these are the printed figures; 元 input is exact.
    let diff = (total.amount - sum.1).0;
    if diff.is_zero() {
        return;
    }
    let tolerance = tolerance(b.identity.unit, given);
    // Figures are named in the unit they were typed in: 元 input is exact to the 分, and its
    // 万元 value printed to two decimals could hide the difference.
    let unit = b.identity.unit;
    let money_text = |m: Money| figure_text(unit, m);
    let severity = if diff.abs() <= tolerance {
        Severity::Info
    } else {
        Severity::Error
    };
    let breakdown = parts
        .iter()
        .filter(|p| !p.amount.is_zero() || p.fact.is_some_and(|f| f.loc.is_some()))
        .map(|p| format!("{} {}", p.label, money_text(p.amount)))
        .collect::<Vec<_>>()
        .join(if adds_up { " + " } else { "，" });
    let mut diag = Diagnostic::new(
        code,
        severity,
        format!(
            "{} {} ≠ {} {}（差 {}）",
            total.label,
            money_text(total.amount),
            sum.0,
            money_text(sum.1),
            money_text(Money(diff))
        ),
    )
    .at_opt(total.fact.and_then(|f| f.loc.as_ref()));
    if adds_up && parts.len() > 1 && !breakdown.is_empty() {
        diag = diag.hint(format!("{} = {breakdown}", sum.0));
    } else if !adds_up && !breakdown.is_empty() {
        diag = diag.hint(format!("参与核对的数：{breakdown}"));
    }
    let given = given.max(1);
    if severity == Severity::Info {
        let printed_as = if adds_up {
            "差额由各数分别四舍五入造成；印出的合计取哪一个数见 [bureau] totals".to_string()
        } else {
            "两边都是印出的数，差额由各数分别四舍五入造成".to_string()
        };
        diag = diag.hint(format!(
            "差额在 {given} 个已填数各 0.01 万元的尾差范围内（{}）；{printed_as}。",
            tolerance.normalize()
        ));
    } else {
        diag = diag.hint(hint).hint(if tolerance.is_zero() {
            "金额以元填写，各数都是精确数，没有尾差。".to_string()
        } else {
            format!(
                "差额 {} 超出 {given} 个已填数各 0.01 万元的尾差范围（{}）。",
                figure_text(b.identity.unit, Money(diff)),
                tolerance.normalize()
            )
        });
        // Only where the side of each figure is known: the parts of a declared total (they add up
        // to it), or the right side of an identity when it is one typed figure (the last part).
        // 元 figures are exact: a slip in them is not a slip in the printed 万元 digits.
        let suggest: &[&Part] = match (adds_up, parts.last()) {
            (true, _) => parts,
            (false, Some(right)) if right.label == sum.0 => std::slice::from_ref(right),
            _ => &[],
        };
        let culprit = match b.identity.unit {
            crate::money::Unit::Wan => likely_culprit(adds_up.then_some(total), suggest, diff),
            crate::money::Unit::Yuan => None,
        };
        if let Some((p, should)) = culprit {
            if let Some(loc) = p.fact.and_then(|f| f.loc.as_ref()) {
                diag = diag.related(
                    loc,
                    format!(
                        "最可能录错的数：{} {}，若为 {} 则相等",
                        p.label,
                        figure_text(b.identity.unit, p.amount),
                        figure_text(b.identity.unit, should)
                    ),
                );
            }
        }
    }
    d.push(with_operands(diag, parts.iter().copied()));
}

/// A figure as a finding names it: 万元 as printed, or 元 (with the unit) for 元 input.
fn figure_text(unit: crate::money::Unit, m: Money) -> String {
    match unit {
        crate::money::Unit::Wan => money_text(m),
        crate::money::Unit::Yuan => {
            let yuan = m.0.checked_mul(Decimal::from(10_000)).unwrap_or(m.0);
            format!("{}元", yuan.round_dp(2).normalize())
        }
    }
}

/// The one typed figure whose change alone would close the gap and whose digits differ from
/// that value by one digit or two swapped neighbours (the usual typing slip); `None` when no
/// figure or more than one fits.
fn likely_culprit<'p, 'a>(
    total: Option<&'p Part<'a>>,
    parts: &[&'p Part<'a>],
    diff: Decimal,
) -> Option<(&'p Part<'a>, Money)> {
    let mut found = None;
    let candidates = parts
        .iter()
        .map(|p| (*p, p.amount.0 + diff))
        .chain(total.map(|t| (t, t.amount.0 - diff)));
    for (p, should) in candidates {
        if p.given != 1 || p.fact.is_none_or(|f| f.loc.is_none()) || should <= Decimal::ZERO {
            continue;
        }
        if one_slip(&format!("{:.2}", p.amount.0), &format!("{should:.2}")) {
            if found.is_some() {
                return None;
            }
            found = Some((p, Money(should)));
        }
    }
    found
}

/// Whether two digit strings differ in one digit, or by two swapped neighbours.
fn one_slip(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match differ.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// Points a diagnostic at every operand that was typed in the input.
fn with_operands<'p, 'a: 'p>(
    mut diag: Diagnostic,
    parts: impl Iterator<Item = &'p Part<'a>>,
) -> Diagnostic {
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
    fn a_typing_slip_is_one_digit_or_two_swapped_neighbours() {
        assert!(one_slip("110.07", "110.01"));
        assert!(one_slip("217.15", "217.51"));
        assert!(one_slip("308.97", "305.97"));
        assert!(!one_slip("110.07", "111.08"));
        assert!(!one_slip("99.00", "100.00"));
    }

    #[test]
    fn tails_are_counted_per_given_figure_and_never_in_yuan() {
        use crate::money::Unit;
        assert_eq!(tolerance(Unit::Wan, 0), Decimal::new(1, 2));
        assert_eq!(tolerance(Unit::Wan, 8), Decimal::new(8, 2));
        assert_eq!(tolerance(Unit::Yuan, 8), Decimal::ZERO);
    }
}
