//! 计分引擎：预算执行率、定量（正向/反向）、定性（达成/部分达成/未达成）、是否类指标，
//! 不适用指标剔除后按百分制折算，等级 优/良/中/差。

use rust_decimal::Decimal;

use crate::arith::round_half_up;

/// Scores are printed with 2 decimals.
pub const SCORE_DECIMALS: u32 = 2;

fn hundred() -> Decimal {
    Decimal::ONE_HUNDRED
}

/// The largest ratio (实际 ÷ 目标, 执行数 ÷ 预算数, relative deviation) this engine computes: a
/// million-fold. A user may type a target of 0.000000000000000001 and an actual of 10^20, whose
/// exact ratio does not fit a `Decimal`; no real indicator comes near a million-fold, scoring caps
/// every ratio at 1 anyway, and the cap keeps every later `× 100` far inside `Decimal`'s range.
/// A ratio beyond it is reported as the cap (R025 still fires on such a deviation).
pub const RATIO_CAP: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// `numerator × factor ÷ denominator` (denominator non-zero), saturated at ± `RATIO_CAP × factor`:
/// checked, so no input can overflow it.
fn capped_ratio(numerator: Decimal, factor: Decimal, denominator: Decimal) -> Decimal {
    let cap = RATIO_CAP * factor;
    let negative =
        numerator.is_sign_negative() != denominator.is_sign_negative() && !numerator.is_zero();
    match numerator
        .checked_mul(factor)
        .and_then(|n| n.checked_div(denominator))
    {
        Some(r) => r.clamp(-cap, cap),
        None if negative => -cap,
        None => cap,
    }
}

/// `numerator ÷ denominator`, saturated at ± `RATIO_CAP`.
fn ratio(numerator: Decimal, denominator: Decimal) -> Decimal {
    capped_ratio(numerator, Decimal::ONE, denominator)
}

/// 预算执行率 = 执行数 ÷ 预算数 × 100%（四舍五入到 `dp` 位）；预算为 0 时无执行率。Beyond
/// `RATIO_CAP` (a hundred-million per cent) the rate is reported as the cap.
pub fn execution_rate(executed: Decimal, budget: Decimal, dp: u32) -> Option<Decimal> {
    if budget.is_zero() {
        return None;
    }
    Some(round_half_up(capped_ratio(executed, hundred(), budget), dp))
}

/// 预算执行率得分 = 分值 × 执行率，不超过分值。The rate used is the printed one (`dp`
/// decimals), so the score can be recomputed from the table.
pub fn execution_score(
    weight: Decimal,
    executed: Decimal,
    budget: Decimal,
    dp: u32,
) -> Option<Decimal> {
    let rate = execution_rate(executed, budget, dp)?;
    let fraction = (rate / hundred()).min(Decimal::ONE);
    Some(round_half_up(weighted(weight, fraction), SCORE_DECIMALS))
}

/// 预算执行率得分 with one point off per percentage point short (湖南): 分值 − (100 − 执行率),
/// not below 0 and not above 分值.
pub fn execution_score_per_point(
    weight: Decimal,
    executed: Decimal,
    budget: Decimal,
    dp: u32,
) -> Option<Decimal> {
    let rate = execution_rate(executed, budget, dp)?.min(hundred());
    let short = hundred() - rate;
    let score = weight.checked_sub(short).unwrap_or(Decimal::ZERO);
    Some(round_half_up(
        score.max(Decimal::ZERO).min(weight),
        SCORE_DECIMALS,
    ))
}

pub use crate::model::{Measure, Tier};

/// The fraction range of each tier, the 绩效 form's data ([`crate::form::performance::Tiers`]).
pub type TierPolicy = crate::form::performance::Tiers;

impl TierPolicy {
    /// Whether `fraction` lies in the tier's range: `[lower, upper]` for 达成, `[lower, upper)`
    /// for the others.
    pub fn admits(&self, tier: Tier, fraction: Decimal) -> bool {
        let ([lo, hi], closed) = match tier {
            Tier::Achieved => (self.achieved, true),
            Tier::Partly => (self.partly, false),
            Tier::NotAchieved => (self.not_achieved, false),
        };
        fraction >= lo && (fraction < hi || (closed && fraction == hi))
    }
}

/// Why a measure could not be scored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScoreError {
    /// The fraction is outside its tier's range.
    FractionOutsideTier { tier: Tier, fraction: Decimal },
    /// A quantitative value is negative.
    Negative,
}

/// 完成率 (%, 四舍五入到 `dp` 位), capped at 100 for scoring but reported as is:
/// positive 实际 ÷ 目标, reverse 目标 ÷ 实际 (saturated at `RATIO_CAP`, i.e. 10^8 %). `None`
/// where it is not defined (qualitative, binary, not applicable).
pub fn completion_rate(measure: &Measure, dp: u32) -> Option<Decimal> {
    let fraction = match measure {
        Measure::Positive { target, actual } => {
            if target.is_zero() {
                Decimal::ONE
            } else {
                ratio(*actual, *target)
            }
        }
        Measure::Reverse { target, actual } => {
            if actual <= target || actual.is_zero() {
                Decimal::ONE
            } else {
                ratio(*target, *actual)
            }
        }
        Measure::Binary { achieved } => {
            if *achieved {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        }
        Measure::Equal { target, actual } => equal_fraction(*target, *actual),
        Measure::Qualitative { .. } | Measure::NotApplicable => return None,
    };
    Some(round_half_up(saturating_mul(fraction, hundred()), dp))
}

/// The score of one indicator of the given weight; `Ok(None)` for a not-applicable one.
pub fn indicator_score(
    weight: Decimal,
    measure: &Measure,
    tiers: &TierPolicy,
) -> Result<Option<Decimal>, ScoreError> {
    let fraction = match measure {
        Measure::NotApplicable => return Ok(None),
        Measure::Positive { target, actual } | Measure::Reverse { target, actual } => {
            if target.is_sign_negative() || actual.is_sign_negative() {
                return Err(ScoreError::Negative);
            }
            let positive = matches!(measure, Measure::Positive { .. });
            match (positive, target.is_zero(), actual.is_zero()) {
                (true, true, _) => Decimal::ONE,
                (true, false, _) => ratio(*actual, *target).min(Decimal::ONE),
                (false, _, true) => Decimal::ONE,
                (false, true, false) => Decimal::ZERO,
                (false, false, false) => ratio(*target, *actual).min(Decimal::ONE),
            }
        }
        Measure::Qualitative { tier, fraction } => {
            if !tiers.admits(*tier, *fraction) {
                return Err(ScoreError::FractionOutsideTier {
                    tier: *tier,
                    fraction: *fraction,
                });
            }
            *fraction
        }
        Measure::Binary { achieved } => {
            if *achieved {
                Decimal::ONE
            } else {
                Decimal::ZERO
            }
        }
        Measure::Equal { target, actual } => {
            if target.is_sign_negative() || actual.is_sign_negative() {
                return Err(ScoreError::Negative);
            }
            equal_fraction(*target, *actual)
        }
    };
    Ok(Some(round_half_up(
        weighted(weight, fraction),
        SCORE_DECIMALS,
    )))
}

/// 分值 × 得分比例. The fraction is at most 1 for scores but a user's weight is unbounded here
/// (R024 reports weights that do not add up to 100), so the product saturates instead of panicking.
fn weighted(weight: Decimal, fraction: Decimal) -> Decimal {
    saturating_mul(weight, fraction)
}

/// `a × b`, saturated at ± `Decimal::MAX`.
fn saturating_mul(a: Decimal, b: Decimal) -> Decimal {
    a.checked_mul(b).unwrap_or_else(|| {
        if a.is_sign_negative() != b.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        }
    })
}

/// `a + b`, saturated at ± `Decimal::MAX`.
fn saturating_add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(if a.is_sign_negative() {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// How close an 等于型 actual is to its target: 1 − relative deviation, never below 0.
fn equal_fraction(target: Decimal, actual: Decimal) -> Decimal {
    match deviation(target, actual) {
        Some(dev) => (Decimal::ONE - dev).max(Decimal::ZERO),
        None if actual.is_zero() => Decimal::ONE,
        None => Decimal::ZERO,
    }
}

/// Relative deviation |实际 − 目标| ÷ 目标 (a fraction, at most `RATIO_CAP`); `None` when the
/// target is 0.
pub fn deviation(target: Decimal, actual: Decimal) -> Option<Decimal> {
    if target.is_zero() {
        return None;
    }
    let difference = actual.checked_sub(target).map_or(Decimal::MAX, |d| d.abs());
    Some(ratio(difference, target.abs()))
}

/// The total over scored indicators, given `(weight, score)` with `None` for not applicable.
/// When some are not applicable, the sum is rescaled to the full weight: total =
/// Σ得分 × Σ全部分值 ÷ Σ适用分值 (“用适用指标得分汇总后按百分制折算”).
/// Sums saturate: weights are a user's numbers (R024 reports any that do not add up to 100).
pub fn total(items: &[(Decimal, Option<Decimal>)]) -> Decimal {
    let add = |a: Decimal, b: &Decimal| saturating_add(a, *b);
    let full = items.iter().map(|(w, _)| w).fold(Decimal::ZERO, add);
    let applicable = items
        .iter()
        .filter(|(_, s)| s.is_some())
        .map(|(w, _)| w)
        .fold(Decimal::ZERO, add);
    let sum = items
        .iter()
        .filter_map(|(_, s)| s.as_ref())
        .fold(Decimal::ZERO, add);
    if applicable.is_zero() {
        return Decimal::ZERO;
    }
    if applicable == full {
        return sum;
    }
    let rescaled = sum
        .checked_mul(full)
        .and_then(|p| p.checked_div(applicable))
        // Σ得分 × Σ全部分值 overflows only for absurd weights: divide first (a little less exact).
        .or_else(|| {
            sum.checked_div(applicable)
                .and_then(|r| r.checked_mul(full))
        })
        .unwrap_or(Decimal::MAX);
    round_half_up(rescaled, SCORE_DECIMALS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn score(weight: &str, m: Measure) -> Option<Decimal> {
        indicator_score(d(weight), &m, &TierPolicy::default()).unwrap()
    }

    #[test]
    fn per_point_execution_score_is_seed_003s() {
        // 湖南 seed 003: 执行率 99.94 % with 10 points gives 9.94, not 9.99.
        assert_eq!(
            execution_score_per_point(d("10"), d("9994"), d("10000"), 2),
            Some(d("9.94"))
        );
        assert_eq!(
            execution_score_per_point(d("10"), d("5"), d("10"), 2),
            Some(d("0"))
        );
        assert_eq!(
            execution_score_per_point(d("10"), d("12"), d("10"), 2),
            Some(d("10"))
        );
        assert_eq!(execution_score_per_point(d("10"), d("1"), d("0"), 2), None);
    }

    #[test]
    fn execution_rate_and_score_are_capped_at_the_weight() {
        // The Anhui table: 89.974 / 90 → 99.97%, score 10 × 0.9997 = 10.00 (rounded)
        assert_eq!(execution_rate(d("89.974"), d("90"), 2), Some(d("99.97")));
        assert_eq!(
            execution_score(d("10"), d("89.974"), d("90"), 2),
            Some(d("10.00"))
        );
        assert_eq!(
            execution_score(d("10"), d("45"), d("50"), 2),
            Some(d("9.00"))
        );
        assert_eq!(
            execution_score(d("10"), d("60"), d("50"), 2),
            Some(d("10.00")),
            "over-execution is capped"
        );
        assert_eq!(
            execution_rate(d("0"), d("0"), 2),
            None,
            "no budget, no rate"
        );
    }

    #[test]
    fn positive_indicator() {
        let eq = |t: &str, a: &str| Measure::Equal {
            target: d(t),
            actual: d(a),
        };
        let policy = TierPolicy::default();
        assert_eq!(
            indicator_score(d("10"), &eq("100", "100"), &policy),
            Ok(Some(d("10")))
        );
        assert_eq!(
            indicator_score(d("10"), &eq("100", "95"), &policy),
            Ok(Some(d("9.5")))
        );
        assert_eq!(
            indicator_score(d("10"), &eq("100", "105"), &policy),
            Ok(Some(d("9.5")))
        );
        assert_eq!(
            indicator_score(d("10"), &eq("100", "300"), &policy),
            Ok(Some(d("0")))
        );
        assert_eq!(
            indicator_score(d("10"), &eq("0", "0"), &policy),
            Ok(Some(d("10")))
        );
        assert_eq!(
            indicator_score(d("10"), &eq("0", "1"), &policy),
            Ok(Some(d("0")))
        );
        let m = |t: &str, a: &str| Measure::Positive {
            target: d(t),
            actual: d(a),
        };
        assert_eq!(score("20", m("260", "169")), Some(d("13.00")));
        assert_eq!(score("20", m("260", "300")), Some(d("20.00")), "capped");
        assert_eq!(
            score("5", m("0", "0")),
            Some(d("5.00")),
            "target 0 is met by anything"
        );
        assert_eq!(
            completion_rate(&m("95", "98"), 1),
            Some(d("103.2")),
            "reported uncapped"
        );
    }

    #[test]
    fn reverse_indicator() {
        let m = |t: &str, a: &str| Measure::Reverse {
            target: d(t),
            actual: d(a),
        };
        assert_eq!(score("10", m("32", "32")), Some(d("10.00")));
        assert_eq!(score("10", m("32", "40")), Some(d("8.00")));
        assert_eq!(
            score("10", m("32", "20")),
            Some(d("10.00")),
            "under the ceiling: full marks"
        );
        assert_eq!(
            score("10", m("0", "0")),
            Some(d("10.00")),
            "zero accidents against zero"
        );
        assert_eq!(
            score("10", m("0", "1")),
            Some(d("0.00")),
            "any against zero: nothing"
        );
        assert_eq!(completion_rate(&m("32", "40"), 1), Some(d("80.0")));
    }

    #[test]
    fn qualitative_tiers_bound_the_fraction() {
        let q = |tier, f: &str| Measure::Qualitative {
            tier,
            fraction: d(f),
        };
        assert_eq!(score("10", q(Tier::Achieved, "1")), Some(d("10.00")));
        assert_eq!(score("10", q(Tier::Achieved, "0.8")), Some(d("8.00")));
        assert_eq!(score("10", q(Tier::Partly, "0.6")), Some(d("6.00")));
        let p = TierPolicy::default();
        assert!(
            indicator_score(d("10"), &q(Tier::Partly, "0.8"), &p).is_err(),
            "0.8 belongs to 达成"
        );
        assert!(indicator_score(d("10"), &q(Tier::NotAchieved, "0.6"), &p).is_err());
        assert!(indicator_score(d("10"), &q(Tier::Achieved, "1.1"), &p).is_err());
    }

    #[test]
    fn binary_and_not_applicable() {
        assert_eq!(
            score("5", Measure::Binary { achieved: true }),
            Some(d("5.00"))
        );
        assert_eq!(
            score("5", Measure::Binary { achieved: false }),
            Some(d("0.00"))
        );
        assert_eq!(score("5", Measure::NotApplicable), None);
    }

    #[test]
    fn not_applicable_indicators_are_dropped_and_the_rest_rescaled() {
        let items = [
            (d("10"), Some(d("10"))),
            (d("50"), Some(d("45"))),
            (d("40"), None),
        ];
        // (10 + 45) × 100 / 60 = 91.666… → 91.67
        assert_eq!(total(&items), d("91.67"));
        let all = [(d("10"), Some(d("9.5"))), (d("90"), Some(d("88")))];
        assert_eq!(total(&all), d("97.5"));
    }

    #[test]
    fn absurd_ratios_saturate_instead_of_panicking() {
        // Issue 10: target 1e-18 and actual 1e20 panicked with "Division overflowed".
        let tiny = d("0.000000000000000001");
        let huge = d("100000000000000000000");
        let p = Measure::Positive {
            target: tiny,
            actual: huge,
        };
        assert_eq!(completion_rate(&p, 1), Some(d("100000000.0")), "saturated");
        assert_eq!(score("10", p), Some(d("10.00")));
        let r = Measure::Reverse {
            target: tiny,
            actual: huge,
        };
        assert_eq!(score("10", r.clone()), Some(d("0.00")));
        assert_eq!(completion_rate(&r, 1), Some(d("0.0")));
        let e = Measure::Equal {
            target: tiny,
            actual: huge,
        };
        assert_eq!(score("10", e), Some(d("0.00")));
        assert_eq!(deviation(tiny, huge), Some(RATIO_CAP));
        assert_eq!(
            execution_rate(huge, tiny, 2),
            Some(d("100000000.00")),
            "capped at a hundred million per cent"
        );
        assert_eq!(execution_score(huge, huge, tiny, 2), Some(huge.round_dp(2)));
        let max = Decimal::MAX;
        assert_eq!(total(&[(max, Some(max)), (max, Some(max))]), max);
        assert_eq!(total(&[(max, Some(max)), (max, None)]), max);
        // Ordinary ratios are untouched by the cap.
        assert_eq!(deviation(d("260"), d("169")), Some(d("0.35")));
    }

    #[test]
    fn deviation_is_relative_to_the_target() {
        assert_eq!(deviation(d("260"), d("169")), Some(d("0.35")));
        assert_eq!(deviation(d("0"), d("1")), None);
    }
}
