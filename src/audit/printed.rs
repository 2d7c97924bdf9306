//! 印出的数代表一个区间：6.2 万元是 6.15–6.25 万元之间的任何数。说明的核对都按区间比较，用十进制算（与 `arith` 同一套算术）。
//!
//! A printed number stands for every value that rounds to it: `6.2` for [6.15, 6.25]. A
//! percentage is a slip only if no amounts within their printed half units give it at its own
//! printed precision; an amount only if it does not round to the table's figure. Everything is in
//! `Decimal`, as every figure juesuan prints is, so that a bound is never a binary float's
//! neighbour of the printed value.

use rust_decimal::Decimal;

/// A number as printed: its value and half a unit of its last digit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Printed {
    pub value: Decimal,
    /// Half a unit of the last printed digit: every value within prints as this number.
    pub half: Decimal,
}

impl Printed {
    /// `217.5` → 217.5 ± 0.05 (thousands separators dropped); `None` for no number.
    pub fn parse(text: &str) -> Option<Printed> {
        let digits: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect();
        let value: Decimal = digits.parse().ok()?;
        // Amounts are below 10^15 (the model's bound) and printed with a few decimals: beyond,
        // a bound's arithmetic could leave `Decimal`'s range, and no 说明 prints such a number.
        if value.abs() >= Decimal::from(1_000_000_000_000_000_i64) || value.scale() > 6 {
            return None;
        }
        Some(Printed {
            value,
            half: half_unit(value.scale()),
        })
    }

    /// A figure juesuan computed, with the half unit of `decimals` places (a table's 万元 amount:
    /// 2).
    pub fn at(value: Decimal, decimals: u32) -> Printed {
        Printed {
            value,
            half: half_unit(decimals),
        }
    }

    /// The same number read in 元, as 万元.
    pub fn yuan_as_wan(self) -> Printed {
        let wan = Decimal::from(10_000);
        Printed {
            value: self.value / wan,
            half: self.half / wan,
        }
    }

    pub fn lo(self) -> Decimal {
        self.value - self.half
    }

    pub fn hi(self) -> Decimal {
        self.value + self.half
    }

    /// Whether some value this number stands for is also one `other` stands for.
    pub fn meets(self, other: Printed) -> bool {
        self.lo() <= other.hi() && other.lo() <= self.hi()
    }

    /// Whether `exact` (a figure computed at full precision) prints as this number.
    pub fn holds(self, exact: Decimal) -> bool {
        self.lo() <= exact && exact <= self.hi()
    }

    /// Whether this amount in 万元 is off `exact` by no more than the 尾差 of the tables (0.02
    /// 万元 beyond its half unit): a note, not a slip.
    pub fn within_tail(self, exact: Decimal) -> bool {
        (self.value - exact).abs() <= self.half + Decimal::new(2, 2)
    }
}

/// Half a unit of the `decimals`-th decimal place.
fn half_unit(decimals: u32) -> Decimal {
    Decimal::new(5, decimals + 1)
}

/// Whether some amounts that print as `part` and `whole` give the percentage `percent` at its
/// printed precision (a whole that may be 0 gives any percentage).
pub fn ratio_fits(part: Printed, whole: Printed, percent: Printed) -> bool {
    if whole.lo() <= Decimal::ZERO {
        return true;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let lo = part.lo().max(Decimal::ZERO) * hundred / whole.hi();
    let hi = part.hi() * hundred / whole.lo();
    lo <= percent.hi() && percent.lo() <= hi
}

/// `part / whole × 100`, 四舍五入 to `decimals` (the right value of a finding).
pub fn percent_text(part: Decimal, whole: Decimal, decimals: u32) -> Option<String> {
    let p = crate::arith::ratio_percent(part, whole, decimals)?;
    Some(crate::arith::percent_text(p, decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Printed {
        Printed::parse(s).unwrap()
    }

    #[test]
    fn a_printed_number_is_an_interval() {
        assert_eq!(p("6.2").half, Decimal::new(5, 2));
        assert!(p("6.2").holds("6.20".parse().unwrap()));
        assert!(p("6.2").holds("6.25".parse().unwrap()));
        assert!(!p("6.2").holds("6.26".parse().unwrap()));
        assert_eq!(p("2,961.68").value, "2961.68".parse::<Decimal>().unwrap());
        assert!(p("1").meets(p("1.49")));
        assert!(!p("1").meets(p("1.6")));
    }

    #[test]
    fn a_percentage_fits_if_some_amounts_give_it() {
        // 1511.89 / 2110.05 = 71.6523…%: 71.65 fits, 71.73 does not.
        let (a, b) = (Printed::at("1511.89".parse().unwrap(), 2), p("2110.05"));
        assert!(ratio_fits(a, b, p("71.65")));
        assert!(ratio_fits(a, b, p("71.7")));
        assert!(!ratio_fits(a, b, p("71.73")));
        // A whole that may be 0 allows anything.
        assert!(ratio_fits(p("0"), p("0"), p("0")));
        assert_eq!(
            percent_text("1511.89".parse().unwrap(), "2110.05".parse().unwrap(), 2).as_deref(),
            Some("71.65")
        );
    }
}
