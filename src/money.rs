//! 金额：以万元为单位的精确十进制数。
//!
//! Money is `rust_decimal`, never `f64`. Inputs in 元 are converted to 万元 exactly (÷ 10000) at
//! the edge; sums are exact; rounding to what is printed happens once, in `arith`.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Sub};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;

/// The unit money is entered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum Unit {
    /// 万元: at most 2 decimals.
    #[serde(rename = "万元")]
    Wan,
    /// 元: at most 2 decimals (分).
    #[serde(rename = "元")]
    Yuan,
}

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        match s {
            "万元" => Some(Unit::Wan),
            "元" => Some(Unit::Yuan),
            _ => None,
        }
    }
}

/// **The 尾差 policy**, written once for every sum and identity, in rules, figures and import.
///
/// Real packages sum in 元 and round each printed figure to 0.01 万元, so a printed total may
/// differ from the sum of its printed parts by up to 0.01 万元 per figure *actually given*
/// (never per line left out). Within that it is info; beyond it, an error. Input in 元 has no
/// tails: every figure is exact, so any difference is an error.
pub fn tolerance(unit: Unit, given: usize) -> Decimal {
    match unit {
        Unit::Yuan => Decimal::ZERO,
        Unit::Wan => Decimal::new(1, 2) * Decimal::from(given.max(1) as u64),
    }
}

/// Whether a printed total stands within the 尾差 of the sum of its `given` printed parts.
pub fn within_tail(unit: Unit, printed: Money, sum: Money, given: usize) -> bool {
    (printed - sum).0.abs() <= tolerance(unit, given)
}

/// An amount of money in 万元, exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Money(pub Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }
}

// Sums of money are bounded, so `+` and `−` cannot overflow: every amount is below 10^15 in
// the unit typed (`parse_amount` refuses more, E004), and an input within its size limit (5 MB of
// TOML, `input::MAX_TOML_BYTES`; the workbook reader's and the model's row limits) holds at most a
// few million amounts, so any sum or difference of them stays below 10^22, a millionth of
// `Decimal::MAX` (7.9 × 10^28). The operations are still checked: breaking that invariant is a
// bug, and it panics saying so rather than with rust_decimal's bare "Addition overflowed".

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(
            self.0
                .checked_add(rhs.0)
                .expect("money sums stay below 10^22: each amount < 10^15, inputs are bounded"),
        )
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(
            self.0.checked_sub(rhs.0).expect(
                "money differences stay below 10^22: each amount < 10^15, inputs are bounded",
            ),
        )
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// Exact, with trailing zeros removed (`217.50` → `217.5`); rounding for print is elsewhere.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

/// Why a money literal was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum AmountError {
    NotDecimal,
    TooManyDecimals(u32),
    Negative,
    /// 10^15 or more in the unit typed: no department's accounts come near it, and sums of such
    /// amounts can never overflow a `Decimal`.
    TooLarge,
}

/// Parses a money literal exactly as typed (`271.46`, `1_000`, `"0.9"`) in the given unit.
pub fn parse_amount(literal: &str, unit: Unit) -> Result<Money, AmountError> {
    let cleaned: String = literal
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .chars()
        .filter(|&c| c != '_')
        .collect();
    let plain = !cleaned.is_empty()
        && cleaned
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    if !plain {
        return Err(AmountError::NotDecimal);
    }
    let value = Decimal::from_str(&cleaned).map_err(|_| AmountError::NotDecimal)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(AmountError::Negative);
    }
    if value >= Decimal::from(1_000_000_000_000_000i64) {
        return Err(AmountError::TooLarge);
    }
    let scale = value.normalize().scale();
    if scale > 2 {
        return Err(AmountError::TooManyDecimals(scale));
    }
    Ok(match unit {
        Unit::Wan => Money(value),
        Unit::Yuan => Money(value / Decimal::from(10_000)),
    })
}

/// Text in Unicode compatibility normal form (NFKC): full-width digits, signs and points
/// (`１２３．４５`, `－`, `，`) become their ASCII forms, the ideographic space a space. Every
/// place a number is read from text (a workbook cell, a quoted TOML amount, a date) goes
/// through it, so `"１２３.４５"` reads as 123.45 wherever it is typed.
pub fn nfkc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return text.to_string();
    }
    text.nfkc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wan(s: &str) -> Money {
        parse_amount(s, Unit::Wan).unwrap()
    }

    #[test]
    fn literals_are_read_exactly() {
        assert_eq!(wan("0.1") + wan("0.2"), wan("0.3"));
        assert_eq!(wan("1_000.50").to_string(), "1000.5");
        assert_eq!(wan("\"271.46\""), wan("271.46"));
    }

    #[test]
    fn yuan_convert_exactly() {
        assert_eq!(
            parse_amount("12345.67", Unit::Yuan).unwrap().to_string(),
            "1.234567"
        );
    }

    #[test]
    fn refused_literals() {
        assert_eq!(
            parse_amount("1.234", Unit::Wan),
            Err(AmountError::TooManyDecimals(3))
        );
        assert_eq!(parse_amount("1.2300", Unit::Wan).unwrap(), wan("1.23"));
        assert_eq!(parse_amount("-1", Unit::Wan), Err(AmountError::Negative));
        assert_eq!(parse_amount("1e3", Unit::Wan), Err(AmountError::NotDecimal));
        assert_eq!(parse_amount("nan", Unit::Wan), Err(AmountError::NotDecimal));
        assert_eq!(
            parse_amount("十万", Unit::Wan),
            Err(AmountError::NotDecimal)
        );
    }
}
