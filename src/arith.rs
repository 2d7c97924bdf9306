//! 唯一的算术模块：四舍五入、占比、增减、完成预算。
//!
//! Every derived number of the package is computed here, from the figures *as printed* (万元 with
//! 2 decimals), so a reader can recompute each one from the page. Rounding is 四舍五入
//! (`MidpointAwayFromZero`): `round_dp` would be banker's rounding and `format!("{:.1}")`
//! truncates.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::form::{BudgetZeroPolicy, MoneyText, NumberStyle, PriorZeroPolicy, WholePercent, Words};
use crate::money::Money;

/// Money is printed in 万元 with at most this many decimals.
pub const MONEY_DECIMALS: u32 = 2;

/// 四舍五入 to `dp` decimals.
pub fn round_half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// The amount as printed: 万元 rounded to 2 decimals.
pub fn printed(m: Money) -> Decimal {
    round_half_up(m.0, MONEY_DECIMALS)
}

/// Printed money text as the 说明 writes it: trailing zeros dropped (`217.50` → `217.5`, `0` → `0`).
pub fn money_text(m: Money) -> String {
    printed(m).normalize().to_string()
}

/// Printed money text with exactly 2 decimals, as tables write it.
pub fn money_text_fixed(m: Money) -> String {
    let mut d = printed(m);
    d.rescale(MONEY_DECIMALS);
    d.to_string()
}

/// `part / whole × 100`, 四舍五入 to `dp` decimals, from the printed figures; `None` when the
/// printed whole is 0.
pub fn percent(part: Money, whole: Money, dp: u32) -> Option<Decimal> {
    ratio_percent(printed(part), printed(whole), dp)
}

/// `part / whole × 100`, 四舍五入 to `dp` decimals; `None` when `whole` is 0.
///
/// Checked: with amounts below 10^15 (the model's bound, `money::parse_amount`) and a non-zero
/// printed whole of at least 0.01, a quotient beyond `Decimal`'s 7.9 × 10^28 would need a part of
/// 10^24, a sum of a billion maximal amounts, which no input within the size limits holds. Should
/// it ever happen the rate is not given (`None`) rather than a panic.
pub fn ratio_percent(part: Decimal, whole: Decimal, dp: u32) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    let p = part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)?;
    Some(round_half_up(p, dp))
}

/// The mean of scores (平均得分), 四舍五入 to `dp` decimals; `None` for no scores. Scores are at
/// most 100 each and their number is capped by the model, so the sum cannot overflow; checked all
/// the same.
pub fn mean(values: &[Decimal], dp: u32) -> Option<Decimal> {
    let sum = values
        .iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v))?;
    let n = Decimal::from(u64::try_from(values.len()).ok()?);
    if n.is_zero() {
        return None;
    }
    Some(round_half_up(sum.checked_div(n)?, dp))
}

/// A year-on-year change of a count (批次、人次、件), worded 同比上升 / 同比下降 / 与上年持平.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CountChange {
    pub kind: ChangeKind,
    /// 上升 / 下降 / ""
    pub trend: &'static str,
    /// |本年 − 上年|
    pub amount: i64,
    /// |本年 − 上年| ÷ 上年 × 100; `None` for 持平 and for a prior of 0.
    pub percent: Option<String>,
}

pub fn count_change(current: i64, prior: i64, dp: u32) -> CountChange {
    use std::cmp::Ordering;
    // `abs_diff` cannot overflow, whatever counts a user typed.
    let delta = i64::try_from(current.abs_diff(prior)).unwrap_or(i64::MAX);
    let kind = match current.cmp(&prior) {
        Ordering::Equal => ChangeKind::Flat,
        _ if prior == 0 => ChangeKind::New,
        Ordering::Greater => ChangeKind::Up,
        Ordering::Less => ChangeKind::Down,
    };
    CountChange {
        kind,
        trend: match current.cmp(&prior) {
            Ordering::Greater => "上升",
            Ordering::Less => "下降",
            Ordering::Equal => "",
        },
        amount: delta,
        percent: match kind {
            ChangeKind::Up | ChangeKind::Down => {
                ratio_percent(Decimal::from(delta), Decimal::from(prior), dp)
                    .map(|p| percent_text(p, dp))
            }
            ChangeKind::Flat | ChangeKind::New => None,
        },
    }
}

/// A percentage as text with exactly `dp` decimals (`88.7`, `0.0`, `100.0`).
pub fn percent_text(p: Decimal, dp: u32) -> String {
    let mut p = p;
    p.rescale(dp);
    p.to_string()
}

/// A share of a whole (占…%). A whole of 0 gives a share of 0 for every part, which is how the
/// 说明 prints the structure of an empty total ("占0%").
pub fn share_text(part: Money, whole: Money, dp: u32) -> String {
    percent_text(percent(part, whole, dp).unwrap_or(Decimal::ZERO), dp)
}

/// The direction of a year-on-year change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// 增加…增长…%
    Up,
    /// 减少…下降…%
    Down,
    /// 持平
    Flat,
    /// 上年为 0、本年有数：只写增减额，不计算增长率（`PriorZeroPolicy::NoRate`；`Hundred` 下本年
    /// 小于 0 时亦然）。
    New,
}

/// A year-on-year change: its kind decided here, its words the form's (never a template's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// 增加 / 减少 / "" (持平): the form's `words.increase` / `words.decrease`.
    pub verb: String,
    /// 增长 / 下降 / 持平: the form's `words.grow` / `words.decline` / `words.flat` (a form may
    /// choose 基本持平).
    pub trend: String,
    /// |本年 − 上年|, printed.
    pub amount: String,
    /// |本年 − 上年| / 上年 × 100, printed; `None` for 持平 and for a prior of 0 under `NoRate`.
    pub percent: Option<String>,
}

/// A growth rate alone (增长/下降 Y%), as a form names it beside or without the amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Growth {
    pub kind: ChangeKind,
    /// 增长 / 下降 / 持平 (the form's words).
    pub trend: String,
    /// `None` for 持平 and for a prior of 0 under `NoRate`.
    pub percent: Option<String>,
}

impl Growth {
    pub fn of(c: &Change) -> Growth {
        Growth {
            kind: c.kind,
            trend: c.trend.clone(),
            percent: c.percent.clone(),
        }
    }
}

/// A difference between two figures: its absolute amount and which is greater.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub amount: String,
    pub kind: Relation,
    /// 大于 / 小于 / 持平 (the form's words).
    pub relation: String,
}

/// The change from `prior` to `current` in Sichuan's words and style (tests and callers that
/// have no form at hand).
pub fn change(current: Money, prior: Money, dp: u32, policy: PriorZeroPolicy) -> Change {
    Style::plain(dp, policy).change(current, prior)
}

/// Whether the 决算数 is greater than, less than or equal to the 预算数.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Greater,
    Less,
    Equal,
}

/// 完成预算: 决算 ÷ 预算, with the comparison the text needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Completion {
    /// `None` when the budget is 0 and the form gives no rate then.
    pub percent: Option<String>,
    pub kind: Relation,
    /// 大于 / 小于 / 持平 (the form's words): 决算数大于预算数, 决算数与预算数持平.
    pub relation: String,
}

/// The completion of `budget` by `actual` in Sichuan's words and style.
pub fn completion(actual: Money, budget: Money, dp: u32) -> Completion {
    Style::plain(dp, PriorZeroPolicy::NoRate).completion(actual, budget)
}

/// How one package writes its numbers and sign-dependent words: its form's number style, policies
/// and words, with the bureau's overrides (percent decimals, prior = 0) applied.
#[derive(Clone, Debug)]
pub struct Style {
    pub number: NumberStyle,
    pub prior_zero: PriorZeroPolicy,
    pub budget_zero: BudgetZeroPolicy,
    pub omit_zero_lines: bool,
    pub words: Words,
}

impl Style {
    /// The style of a form, with the bureau's percent decimals and prior-zero policy. Decimals
    /// other than the form's stand for every percentage, its growth, share and completion
    /// decimals included (the model gives a form whose bureau wrote its own decimals those
    /// decimals alone, see `model::build`).
    pub fn of(
        form: &crate::form::Form,
        percent_decimals: u32,
        prior_zero: PriorZeroPolicy,
    ) -> Style {
        Style {
            number: if percent_decimals == form.number.percent_decimals {
                form.number
            } else {
                form.number.with_percent_decimals(percent_decimals)
            },
            prior_zero,
            budget_zero: form.policy.budget_zero,
            omit_zero_lines: form.policy.omit_zero_lines,
            words: form.words.clone(),
        }
    }

    /// The default form's style with the given decimals and prior-zero policy.
    pub fn plain(dp: u32, prior_zero: PriorZeroPolicy) -> Style {
        Style {
            number: NumberStyle {
                percent_decimals: dp,
                ..NumberStyle::default()
            },
            prior_zero,
            budget_zero: BudgetZeroPolicy::NoRate,
            omit_zero_lines: false,
            words: Words::default(),
        }
    }

    /// Decimals of a percentage that is neither a growth rate, a share nor a completion.
    pub fn dp(&self) -> u32 {
        self.number.percent_decimals
    }

    /// Money as the text writes it: `217.5` or `217.50`, with separators when the form uses them.
    pub fn money(&self, m: Money) -> String {
        let text = match self.number.money_in_text {
            MoneyText::Trimmed => money_text(m),
            MoneyText::Fixed => money_text_fixed(m),
        };
        if self.number.separators_in_text {
            with_separators(&text)
        } else {
            text
        }
    }

    /// A percentage (already rounded to `dp` decimals) as the text writes it: `88.7`, or `100`
    /// for a whole one when the form drops the decimals of whole percentages.
    pub fn percent(&self, p: Decimal, dp: u32) -> String {
        let whole = p.fract().is_zero();
        match self.number.whole_percent {
            WholePercent::Integer if whole => percent_text(p, 0),
            _ => percent_text(p, dp),
        }
    }

    /// A share of a whole (占…%), with the form's share decimals; a whole of 0 gives 0 for every
    /// part.
    pub fn share(&self, part: Money, whole: Money) -> String {
        let dp = self.number.share_decimals();
        self.percent(percent(part, whole, dp).unwrap_or(Decimal::ZERO), dp)
    }

    /// The change from `prior` to `current`, its rate with the form's growth decimals.
    pub fn change(&self, current: Money, prior: Money) -> Change {
        let dp = self.number.change_decimals();
        let cur = printed(current);
        let pri = printed(prior);
        // Both are amounts below 10^15 (or sums of them), far from `Decimal`'s limit.
        let delta = (Money(cur) - Money(pri)).abs();
        self.worded_change(cur.cmp(&pri), pri.is_zero(), self.money(delta), || {
            percent(delta, prior, dp)
        })
    }

    /// The change of a count (团组数、人次) from `prior` to `current`, in the form's words and
    /// policies: the amount is a whole number, the rate has the form's growth decimals.
    pub fn count_change(&self, current: i64, prior: i64) -> Change {
        let dp = self.number.change_decimals();
        // `abs_diff` cannot overflow, whatever counts a user typed.
        let delta = i64::try_from(current.abs_diff(prior)).unwrap_or(i64::MAX);
        self.worded_change(current.cmp(&prior), prior == 0, delta.to_string(), || {
            ratio_percent(Decimal::from(delta), Decimal::from(prior), dp)
        })
    }

    /// A change whose direction and amount are known, in the form's words: 持平 when equal, the
    /// prior-zero policy when the prior is 0, else 增加/减少 with its rate (one place for amounts
    /// and counts).
    fn worded_change(
        &self,
        order: std::cmp::Ordering,
        prior_is_zero: bool,
        amount: String,
        rate: impl FnOnce() -> Option<Decimal>,
    ) -> Change {
        let dp = self.number.change_decimals();
        let w = &self.words;
        if order == std::cmp::Ordering::Equal {
            return Change {
                kind: ChangeKind::Flat,
                verb: String::new(),
                trend: w.flat.clone(),
                amount,
                percent: None,
            };
        }
        let up = order == std::cmp::Ordering::Greater;
        let (verb, trend) = if up {
            (w.increase.clone(), w.grow.clone())
        } else {
            (w.decrease.clone(), w.decline.clone())
        };
        if prior_is_zero {
            return match self.prior_zero {
                // 增长100% only for a rise from 0: a fall below 0 (a derived amount) has no rate.
                PriorZeroPolicy::Hundred if up => Change {
                    kind: ChangeKind::Up,
                    verb,
                    trend,
                    amount,
                    percent: Some(self.percent(Decimal::ONE_HUNDRED, dp)),
                },
                PriorZeroPolicy::NoRate | PriorZeroPolicy::Hundred => Change {
                    kind: ChangeKind::New,
                    verb,
                    trend,
                    amount,
                    percent: None,
                },
            };
        }
        Change {
            kind: if up { ChangeKind::Up } else { ChangeKind::Down },
            verb,
            trend,
            amount,
            percent: rate().map(|p| self.percent(p, dp)),
        }
    }

    /// `a − b` as printed: its absolute amount and whether `a` is greater, less or equal.
    pub fn difference(&self, a: Money, b: Money) -> Difference {
        let (pa, pb) = (printed(a), printed(b));
        let kind = match pa.cmp(&pb) {
            std::cmp::Ordering::Greater => Relation::Greater,
            std::cmp::Ordering::Less => Relation::Less,
            std::cmp::Ordering::Equal => Relation::Equal,
        };
        let w = &self.words;
        Difference {
            amount: self.money((Money(pa) - Money(pb)).abs()),
            kind,
            relation: match kind {
                Relation::Greater => w.greater.clone(),
                Relation::Less => w.less.clone(),
                Relation::Equal => w.equal.clone(),
            },
        }
    }

    /// The completion of `budget` by `actual`, with the form's completion decimals.
    pub fn completion(&self, actual: Money, budget: Money) -> Completion {
        let dp = self.number.completion_decimals();
        let (a, b) = (printed(actual), printed(budget));
        let kind = match a.cmp(&b) {
            std::cmp::Ordering::Greater => Relation::Greater,
            std::cmp::Ordering::Less => Relation::Less,
            std::cmp::Ordering::Equal => Relation::Equal,
        };
        let w = &self.words;
        let percent = match percent(actual, budget, dp) {
            // A completion that rounds to 100% beside 大于/小于 reads as 持平 (“完成预算100.0%，
            // 决算数大于预算数”): it is printed with the decimals that tell it from 100
            // (100.005%), never rounded to the other side of 100.
            Some(p) if p == Decimal::ONE_HUNDRED && kind != Relation::Equal => {
                let (p, dp) = (dp + 1..=dp + 8)
                    .filter_map(|d| percent(actual, budget, d).map(|p| (p, d)))
                    .find(|(p, _)| *p != Decimal::ONE_HUNDRED)
                    .unwrap_or((p, dp));
                Some(self.percent(p, dp))
            }
            Some(p) => Some(self.percent(p, dp)),
            // “完成预算的0%” only where nothing was budgeted and nothing spent: beside a
            // spending over a budget of 0 (决算数大于预算数) a 0% would contradict the words.
            None => match self.budget_zero {
                BudgetZeroPolicy::Zero if a.is_zero() => Some(self.percent(Decimal::ZERO, dp)),
                BudgetZeroPolicy::Zero | BudgetZeroPolicy::NoRate => None,
            },
        };
        Completion {
            percent,
            kind,
            relation: match kind {
                Relation::Greater => w.greater.clone(),
                Relation::Less => w.less.clone(),
                Relation::Equal => w.equal.clone(),
            },
        }
    }
}

/// `1234567.89` → `1,234,567.89` (the integer part grouped by three; sign and decimals kept).
pub fn with_separators(text: &str) -> String {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", text),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let digits: Vec<char> = int.chars().collect();
    let mut grouped = String::with_capacity(text.len() + digits.len() / 3);
    for (n, c) in digits.iter().enumerate() {
        if n > 0 && (digits.len() - n) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(s: &str) -> Money {
        Money(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn half_up_not_bankers() {
        let d = Decimal::from_str("31.85").unwrap();
        assert_eq!(round_half_up(d, 1).to_string(), "31.9");
        assert_eq!(
            d.round_dp(1).to_string(),
            "31.8",
            "round_dp is banker's rounding"
        );
        assert_eq!(
            round_half_up(Decimal::from_str("0.125").unwrap(), 2).to_string(),
            "0.13"
        );
        assert_eq!(
            round_half_up(Decimal::from_str("-2.5").unwrap(), 0).to_string(),
            "-3"
        );
    }

    #[test]
    fn seed_000_total_change_is_32_0_not_31_9() {
        // 305.97 vs 231.88: 74.09 / 231.88 = 31.95…% → 32.0 (the seed typed 31.9).
        let c = change(m("305.97"), m("231.88"), 1, PriorZeroPolicy::NoRate);
        assert_eq!(
            (c.kind, c.verb.as_str(), c.trend.as_str()),
            (ChangeKind::Up, "增加", "增长")
        );
        assert_eq!(c.amount, "74.09");
        assert_eq!(c.percent.as_deref(), Some("32.0"));
    }

    #[test]
    fn decrease_and_flat() {
        let c = change(m("0.9"), m("1"), 1, PriorZeroPolicy::NoRate);
        assert_eq!(
            (c.verb.as_str(), c.trend.as_str(), c.amount.as_str()),
            ("减少", "下降", "0.1")
        );
        assert_eq!(c.percent.as_deref(), Some("10.0"));
        let f = change(m("5"), m("5.00"), 1, PriorZeroPolicy::NoRate);
        assert_eq!(f.kind, ChangeKind::Flat);
        assert_eq!(f.percent, None);
    }

    #[test]
    fn prior_zero_is_a_named_policy() {
        let none = change(m("34.51"), m("0"), 1, PriorZeroPolicy::NoRate);
        assert_eq!(none.kind, ChangeKind::New);
        assert_eq!(none.percent, None);
        let hundred = change(m("34.51"), m("0"), 1, PriorZeroPolicy::Hundred);
        assert_eq!(hundred.percent.as_deref(), Some("100.0"));
        let both_zero = change(m("0"), m("0"), 1, PriorZeroPolicy::NoRate);
        assert_eq!(both_zero.kind, ChangeKind::Flat);
    }

    #[test]
    fn shares_come_from_printed_figures() {
        assert_eq!(share_text(m("271.46"), m("305.97"), 1), "88.7");
        assert_eq!(share_text(m("5.52"), m("271.46"), 1), "2.0");
        assert_eq!(share_text(m("0"), m("0"), 1), "0.0");
        // 1.234567 万元 prints as 1.23: the share uses 1.23.
        assert_eq!(share_text(m("1.234567"), m("2.46"), 2), "50.00");
    }

    #[test]
    fn completion_wording() {
        assert_eq!(completion(m("1.25"), m("1.25"), 1).relation, "持平");
        let c = completion(m("90"), m("100"), 1);
        assert_eq!(
            (c.percent.as_deref(), c.relation.as_str(), c.kind),
            (Some("90.0"), "小于", Relation::Less)
        );
        assert_eq!(completion(m("0"), m("0"), 1).percent, None);
    }

    #[test]
    fn count_changes() {
        let c = count_change(437, 400, 1);
        assert_eq!((c.kind, c.trend, c.amount), (ChangeKind::Up, "上升", 37));
        assert_eq!(c.percent.as_deref(), Some("9.3"));
        let d = count_change(380, 400, 2);
        assert_eq!((d.trend, d.percent.as_deref()), ("下降", Some("5.00")));
        assert_eq!(count_change(5, 0, 1).kind, ChangeKind::New);
        assert_eq!(count_change(5, 5, 1).kind, ChangeKind::Flat);
    }

    #[test]
    fn extreme_inputs_do_not_overflow() {
        let max = Decimal::MAX;
        assert_eq!(ratio_percent(max, Decimal::new(1, 2), 1), None);
        assert_eq!(
            ratio_percent(max, max, 1),
            None,
            "× 100 overflows: no rate, no panic"
        );
        let big = Decimal::from_i128_with_scale(10i128.pow(26), 0);
        assert_eq!(ratio_percent(big, big, 1), Some(Decimal::ONE_HUNDRED));
        let c = count_change(i64::MAX, i64::MIN, 1);
        assert_eq!((c.kind, c.amount), (ChangeKind::Up, i64::MAX));
        let c = count_change(0, i64::MAX, 1);
        assert_eq!(c.percent.as_deref(), Some("100.0"));
    }

    /// A form that writes whole percentages without decimals, 2 decimals otherwise, money with 2
    /// fixed decimals and separators, `0%` for a budget of 0, `增长100%` for a prior of 0, and
    /// words of its own.
    fn shanghai_like() -> Style {
        let mut s = Style::plain(2, PriorZeroPolicy::Hundred);
        s.number.whole_percent = WholePercent::Integer;
        s.number.money_in_text = MoneyText::Fixed;
        s.number.separators_in_text = true;
        s.budget_zero = BudgetZeroPolicy::Zero;
        s.words.increase = "增多".into();
        s.words.less = "低于".into();
        s
    }

    #[test]
    fn number_style_at_its_edges() {
        let s = shanghai_like();
        // Whole percentages lose their decimals; others keep all of them.
        assert_eq!(s.share(m("50"), m("100")), "50");
        assert_eq!(s.share(m("0"), m("100")), "0");
        assert_eq!(s.share(m("0"), m("0")), "0", "a whole of 0");
        assert_eq!(s.share(m("1"), m("3")), "33.33");
        assert_eq!(s.share(m("0.999"), m("1")), "100", "1.00 of 1.00");
        // Money: 2 fixed decimals, separators in the integer part only.
        assert_eq!(s.money(m("2940.05")), "2,940.05");
        assert_eq!(s.money(m("0")), "0.00");
        assert_eq!(s.money(m("1234567.8")), "1,234,567.80");
        assert_eq!(s.money(m("999.999")), "1,000.00");
        // A prior of 0: 增长100% in the form's words and style.
        let c = s.change(m("34.51"), m("0"));
        assert_eq!(
            (c.kind, c.verb.as_str(), c.percent.as_deref()),
            (ChangeKind::Up, "增多", Some("100"))
        );
        // A negative change: the amount is positive, the word says the direction.
        let d = s.change(m("900"), m("1000"));
        assert_eq!(
            (
                d.kind,
                d.verb.as_str(),
                d.amount.as_str(),
                d.percent.as_deref()
            ),
            (ChangeKind::Down, "减少", "100.00", Some("10"))
        );
        // Flat: no words, no rate.
        let f = s.change(m("5"), m("5.001"));
        assert_eq!(
            (f.kind, f.verb.as_str(), f.percent),
            (ChangeKind::Flat, "", None)
        );
        // A budget of 0 and nothing spent: 0% under this form, no rate under the default one;
        // spent against a budget of 0: no rate under either (a 0% beside 大于 contradicts it).
        let z = s.completion(m("0"), m("0"));
        assert_eq!((z.percent.as_deref(), z.kind), (Some("0"), Relation::Equal));
        let z = s.completion(m("12"), m("0"));
        assert_eq!((z.percent.as_deref(), z.kind), (None, Relation::Greater));
        assert_eq!(completion(m("12"), m("0"), 1).percent, None);
        let l = s.completion(m("90"), m("100"));
        assert_eq!(
            (l.percent.as_deref(), l.relation.as_str()),
            (Some("90"), "低于")
        );
        let e = s.completion(m("100"), m("100"));
        assert_eq!(
            (e.percent.as_deref(), e.kind),
            (Some("100"), Relation::Equal)
        );
    }

    /// A style with the given decimals and whole-percentage rule, the default form otherwise.
    fn styled(dp: u32, whole: WholePercent) -> Style {
        let mut s = Style::plain(dp, PriorZeroPolicy::NoRate);
        s.number.whole_percent = whole;
        s
    }

    #[test]
    fn percent_decimals_0_1_2_with_and_without_whole_decimals() {
        use WholePercent::{Decimals, Integer};
        // (dp, whole rule, 1/3, 1/2, 1/1, 0/1)
        let cases = [
            (0, Decimals, "33", "50", "100", "0"),
            (1, Decimals, "33.3", "50.0", "100.0", "0.0"),
            (2, Decimals, "33.33", "50.00", "100.00", "0.00"),
            (0, Integer, "33", "50", "100", "0"),
            (1, Integer, "33.3", "50", "100", "0"),
            (2, Integer, "33.33", "50", "100", "0"),
        ];
        for (dp, whole, third, half, all, none) in cases {
            let s = styled(dp, whole);
            let got = [
                s.share(m("1"), m("3")),
                s.share(m("1"), m("2")),
                s.share(m("7.5"), m("7.5")),
                s.share(m("0"), m("7.5")),
            ];
            assert_eq!(got, [third, half, all, none], "dp {dp}, {whole:?}");
        }
        // A rate that rounds to a whole one is whole: 99.996 → 100.00 → 100.
        assert_eq!(styled(2, Integer).share(m("99.996"), m("100")), "100");
        assert_eq!(styled(2, Decimals).share(m("99.996"), m("100")), "100.00");
        assert_eq!(styled(2, Integer).share(m("99.994"), m("100")), "99.99");
        // A 0 that is not exactly 0 before rounding is still a whole 0.
        assert_eq!(styled(1, Integer).share(m("0.04"), m("100")), "0");
        assert_eq!(styled(1, Decimals).share(m("0.04"), m("100")), "0.0");
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_the_printed_precision() {
        // Shares: 1/8 = 12.5 %, 1/16 = 6.25 %, 1/800 = 0.125 %: banker's would give 12, 6.2, 0.12.
        assert_eq!(
            styled(0, WholePercent::Decimals).share(m("1"), m("8")),
            "13"
        );
        assert_eq!(
            styled(1, WholePercent::Decimals).share(m("1"), m("16")),
            "6.3"
        );
        assert_eq!(
            styled(2, WholePercent::Decimals).share(m("1"), m("800")),
            "0.13"
        );
        // Just below the half rounds down.
        assert_eq!(
            styled(2, WholePercent::Decimals).share(m("0.99"), m("800")),
            "0.12"
        );
        // Growth: 100 → 100.5 is 0.5 %; at 0 decimals 1 %, not 0 %.
        let c = styled(0, WholePercent::Decimals).change(m("100.5"), m("100"));
        assert_eq!(c.percent.as_deref(), Some("1"));
        // A fall: 1 → 0.875 is −12.5 %: printed as 下降13 (the magnitude rounds away from zero).
        let d = styled(0, WholePercent::Decimals).change(m("0.88"), m("1"));
        assert_eq!(
            (d.trend.as_str(), d.percent.as_deref()),
            ("下降", Some("12"))
        );
        let d = styled(0, WholePercent::Decimals).change(m("7"), m("8"));
        assert_eq!(
            (d.trend.as_str(), d.percent.as_deref()),
            ("下降", Some("13"))
        );
        // Completion: 0.125 ÷ 100 = 0.125 % → 0.13 at 2 decimals.
        let k = styled(2, WholePercent::Decimals).completion(m("0.13"), m("104"));
        assert_eq!(k.percent.as_deref(), Some("0.13"));
        // Money is rounded to 2 decimals first: 0.005 → 0.01, 0.004 → 0, 2.675 → 2.68.
        let trimmed = Style::plain(1, PriorZeroPolicy::NoRate);
        let mut fixed = trimmed.clone();
        fixed.number.money_in_text = MoneyText::Fixed;
        assert_eq!(
            [
                trimmed.money(m("0.005")),
                trimmed.money(m("0.004")),
                trimmed.money(m("2.675"))
            ],
            ["0.01", "0", "2.68"]
        );
        assert_eq!(
            [
                fixed.money(m("0.005")),
                fixed.money(m("0.004")),
                fixed.money(m("2.675"))
            ],
            ["0.01", "0.00", "2.68"]
        );
        // A change is measured between the printed amounts: 1.004 vs 1.00 is 持平.
        assert_eq!(trimmed.change(m("1.004"), m("1")).kind, ChangeKind::Flat);
        assert_eq!(trimmed.change(m("1.005"), m("1")).amount, "0.01");
    }

    #[test]
    fn money_in_text_and_separators_at_their_edges() {
        let style = |money: MoneyText, separators: bool| {
            let mut s = Style::plain(1, PriorZeroPolicy::NoRate);
            s.number.money_in_text = money;
            s.number.separators_in_text = separators;
            s
        };
        let amounts = [
            "0",
            "0.5",
            "217.50",
            "100",
            "999.99",
            "999.995",
            "1000",
            "1234567.8",
            "123456789012.34",
        ];
        let texts = |s: &Style| amounts.map(|a| s.money(m(a)));
        assert_eq!(
            texts(&style(MoneyText::Trimmed, false)),
            [
                "0",
                "0.5",
                "217.5",
                "100",
                "999.99",
                "1000",
                "1000",
                "1234567.8",
                "123456789012.34"
            ]
        );
        assert_eq!(
            texts(&style(MoneyText::Fixed, false)),
            [
                "0.00",
                "0.50",
                "217.50",
                "100.00",
                "999.99",
                "1000.00",
                "1000.00",
                "1234567.80",
                "123456789012.34"
            ]
        );
        assert_eq!(
            texts(&style(MoneyText::Trimmed, true)),
            [
                "0",
                "0.5",
                "217.5",
                "100",
                "999.99",
                "1,000",
                "1,000",
                "1,234,567.8",
                "123,456,789,012.34"
            ]
        );
        assert_eq!(
            texts(&style(MoneyText::Fixed, true)),
            [
                "0.00",
                "0.50",
                "217.50",
                "100.00",
                "999.99",
                "1,000.00",
                "1,000.00",
                "1,234,567.80",
                "123,456,789,012.34"
            ]
        );
        // Negative amounts (a derived difference) keep their sign in front of the separators.
        assert_eq!(
            style(MoneyText::Fixed, true).money(m("-1234567.891")),
            "-1,234,567.89"
        );
        assert_eq!(style(MoneyText::Trimmed, true).money(m("-1000")), "-1,000");
        assert_eq!(style(MoneyText::Trimmed, true).money(m("-999.5")), "-999.5");
        assert_eq!(style(MoneyText::Fixed, false).money(m("-217.5")), "-217.50");
        // A negative amount that prints as 0 is 0, never “-0”.
        assert_eq!(style(MoneyText::Trimmed, true).money(m("-0.004")), "0");
        assert_eq!(style(MoneyText::Fixed, true).money(m("-0.004")), "0.00");
        assert_eq!(style(MoneyText::Trimmed, false).money(m("-0")), "0");
        assert_eq!(style(MoneyText::Fixed, false).money(m("-0")), "0.00");
        // The amount of a change is its magnitude, with the style's decimals and separators.
        let c = style(MoneyText::Fixed, true).change(m("1000"), m("3500.5"));
        assert_eq!(
            (c.kind, c.verb.as_str(), c.amount.as_str()),
            (ChangeKind::Down, "减少", "2,500.50")
        );
    }

    #[test]
    fn negative_change_at_every_precision() {
        // 1000 → 900: 减少100 下降10 %.
        for (dp, whole, amount, rate) in [
            (0, WholePercent::Decimals, "100", "10"),
            (1, WholePercent::Decimals, "100", "10.0"),
            (2, WholePercent::Decimals, "100", "10.00"),
            (2, WholePercent::Integer, "100", "10"),
        ] {
            let c = styled(dp, whole).change(m("900"), m("1000"));
            assert_eq!(
                (
                    c.kind,
                    c.verb.as_str(),
                    c.trend.as_str(),
                    c.amount.as_str(),
                    c.percent.as_deref()
                ),
                (ChangeKind::Down, "减少", "下降", amount, Some(rate)),
                "dp {dp}, {whole:?}"
            );
        }
        // To 0: 下降100 %, whole.
        let c = styled(2, WholePercent::Integer).change(m("0"), m("12.5"));
        assert_eq!(
            (c.kind, c.amount.as_str(), c.percent.as_deref()),
            (ChangeKind::Down, "12.5", Some("100"))
        );
        let c = styled(1, WholePercent::Decimals).change(m("0"), m("12.5"));
        assert_eq!(c.percent.as_deref(), Some("100.0"));
        // A tiny fall: 0 % at the printed precision, still 下降 (the amounts differ).
        let c = styled(1, WholePercent::Decimals).change(m("9999.99"), m("10000"));
        assert_eq!(
            (c.kind, c.trend.as_str(), c.percent.as_deref()),
            (ChangeKind::Down, "下降", Some("0.0"))
        );
        let c = styled(1, WholePercent::Integer).change(m("9999.99"), m("10000"));
        assert_eq!(c.percent.as_deref(), Some("0"));
        // More than doubled: the rate above 100 %.
        let c = styled(1, WholePercent::Decimals).change(m("7086.30"), m("2113.12"));
        assert_eq!(
            (c.amount.as_str(), c.percent.as_deref()),
            ("4973.18", Some("235.3"))
        );
    }

    #[test]
    fn prior_zero_under_both_policies() {
        for (policy, dp, whole, kind, rate) in [
            (
                PriorZeroPolicy::NoRate,
                1,
                WholePercent::Decimals,
                ChangeKind::New,
                None,
            ),
            (
                PriorZeroPolicy::NoRate,
                2,
                WholePercent::Integer,
                ChangeKind::New,
                None,
            ),
            (
                PriorZeroPolicy::Hundred,
                0,
                WholePercent::Decimals,
                ChangeKind::Up,
                Some("100"),
            ),
            (
                PriorZeroPolicy::Hundred,
                1,
                WholePercent::Decimals,
                ChangeKind::Up,
                Some("100.0"),
            ),
            (
                PriorZeroPolicy::Hundred,
                2,
                WholePercent::Decimals,
                ChangeKind::Up,
                Some("100.00"),
            ),
            (
                PriorZeroPolicy::Hundred,
                2,
                WholePercent::Integer,
                ChangeKind::Up,
                Some("100"),
            ),
        ] {
            let mut s = styled(dp, whole);
            s.prior_zero = policy;
            let c = s.change(m("133.6"), m("0"));
            assert_eq!(
                (
                    c.kind,
                    c.verb.as_str(),
                    c.trend.as_str(),
                    c.amount.as_str(),
                    c.percent.as_deref()
                ),
                (kind, "增加", "增长", "133.6", rate),
                "{policy:?} dp {dp} {whole:?}"
            );
            // 0 → 0 is 持平 under either policy; so is a prior that prints as 0.
            let f = s.change(m("0"), m("0.004"));
            assert_eq!((f.kind, f.percent), (ChangeKind::Flat, None));
            // A current that prints as 0.01 against 0 is new.
            assert_eq!(s.change(m("0.005"), m("0")).amount, "0.01");
        }
    }

    #[test]
    fn budget_zero_under_both_policies() {
        for (policy, dp, whole, rate) in [
            (BudgetZeroPolicy::NoRate, 1, WholePercent::Decimals, None),
            (BudgetZeroPolicy::NoRate, 2, WholePercent::Integer, None),
            (BudgetZeroPolicy::Zero, 0, WholePercent::Decimals, Some("0")),
            (
                BudgetZeroPolicy::Zero,
                1,
                WholePercent::Decimals,
                Some("0.0"),
            ),
            (
                BudgetZeroPolicy::Zero,
                2,
                WholePercent::Decimals,
                Some("0.00"),
            ),
            (BudgetZeroPolicy::Zero, 2, WholePercent::Integer, Some("0")),
        ] {
            let mut s = styled(dp, whole);
            s.budget_zero = policy;
            // Spent against a budget of 0: 大于, and never a rate (a 0% beside 大于 would
            // contradict it), whatever the policy.
            let c = s.completion(m("12"), m("0"));
            assert_eq!(
                (c.percent.as_deref(), c.kind, c.relation.as_str()),
                (None, Relation::Greater, "大于"),
                "{policy:?} dp {dp} {whole:?}"
            );
            // Nothing spent against nothing budgeted: equal, and the same rate rule.
            let e = s.completion(m("0"), m("0.004"));
            assert_eq!(
                (e.percent.as_deref(), e.kind, e.relation.as_str()),
                (rate, Relation::Equal, "持平")
            );
            // A budget that is not 0 is never affected by the policy.
            let n = s.completion(m("0"), m("5"));
            assert_eq!((n.kind, n.relation.as_str()), (Relation::Less, "小于"));
            assert_eq!(
                n.percent.as_deref(),
                Some(["0", "0.0", "0.00"][dp as usize]).map(|z| match whole {
                    WholePercent::Integer => "0",
                    WholePercent::Decimals => z,
                })
            );
        }
    }

    #[test]
    fn completion_at_its_edges() {
        let s = styled(1, WholePercent::Decimals);
        let full = s.completion(m("250"), m("250.00"));
        assert_eq!(
            (full.percent.as_deref(), full.kind, full.relation.as_str()),
            (Some("100.0"), Relation::Equal, "持平")
        );
        let over = s.completion(m("300"), m("250"));
        assert_eq!(
            (over.percent.as_deref(), over.relation.as_str()),
            (Some("120.0"), "大于")
        );
        // Equal when printed: 250.004 is 250.00.
        assert_eq!(s.completion(m("250.004"), m("250")).kind, Relation::Equal);
        // A completion that rounds to 100 % is not “equal”: the amounts differ, and the percentage
        // takes the decimals that say so (99.996 %, not a 100.0 % beside 小于).
        let near = s.completion(m("249.99"), m("250"));
        assert_eq!(
            (near.percent.as_deref(), near.kind),
            (Some("99.996"), Relation::Less)
        );
        let near = styled(1, WholePercent::Integer).completion(m("249.99"), m("250"));
        assert_eq!(near.percent.as_deref(), Some("99.996"));
        let over = s.completion(m("250.01"), m("250"));
        assert_eq!(
            (over.percent.as_deref(), over.kind),
            (Some("100.004"), Relation::Greater)
        );
    }

    #[test]
    fn every_word_comes_from_the_form() {
        let mut s = Style::plain(1, PriorZeroPolicy::Hundred);
        s.words = Words {
            increase: "增多".into(),
            decrease: "减省".into(),
            grow: "提高".into(),
            decline: "降低".into(),
            flat: "基本持平".into(),
            greater: "高于".into(),
            less: "低于".into(),
            equal: "与预算持平".into(),
            ..Words::default()
        };
        let up = s.change(m("110"), m("100"));
        assert_eq!((up.verb.as_str(), up.trend.as_str()), ("增多", "提高"));
        let down = s.change(m("90"), m("100"));
        assert_eq!((down.verb.as_str(), down.trend.as_str()), ("减省", "降低"));
        let new = s.change(m("5"), m("0"));
        assert_eq!((new.verb.as_str(), new.trend.as_str()), ("增多", "提高"));
        // Equality: the change's trend is the form's word for 持平, with no verb, amount 0, no rate.
        let flat = s.change(m("5"), m("5.004"));
        assert_eq!(
            (
                flat.kind,
                flat.verb.as_str(),
                flat.trend.as_str(),
                flat.amount.as_str(),
                flat.percent
            ),
            (ChangeKind::Flat, "", "基本持平", "0", None)
        );
        assert_eq!(
            Style::plain(1, PriorZeroPolicy::NoRate)
                .change(m("0"), m("0"))
                .trend,
            "持平"
        );
        assert_eq!(s.completion(m("2"), m("1")).relation, "高于");
        assert_eq!(s.completion(m("1"), m("2")).relation, "低于");
        assert_eq!(s.completion(m("1"), m("1")).relation, "与预算持平");
        assert_eq!(s.completion(m("0"), m("0")).relation, "与预算持平");
    }

    #[test]
    fn a_fall_below_a_prior_of_0_has_no_rate_under_either_policy() {
        // Inputs are never negative, but a derived amount may be: 增长100% would be wrong.
        for policy in [PriorZeroPolicy::NoRate, PriorZeroPolicy::Hundred] {
            let c = Style::plain(1, policy).change(m("-5"), m("0"));
            assert_eq!(
                (
                    c.kind,
                    c.verb.as_str(),
                    c.trend.as_str(),
                    c.amount.as_str(),
                    c.percent
                ),
                (ChangeKind::New, "减少", "下降", "5", None),
                "{policy:?}"
            );
        }
    }

    /// A form read from its manifest, as `--templates` reads it.
    fn form_of(manifest: &str) -> crate::form::Form {
        let text = format!("key = \"x\"\nname = \"x\"\ntables = \"sichuan\"\n{manifest}");
        let forms = crate::form::Forms::from_files([("x/form.toml", text.as_str())])
            .unwrap_or_else(|e| panic!("{}", e.reason));
        forms.get("x").unwrap().as_ref().clone()
    }

    #[test]
    fn a_manifest_sets_every_field_and_the_defaults_are_sichuans() {
        let plain = form_of("");
        assert_eq!(plain.number, NumberStyle::default());
        assert_eq!(plain.policy, crate::form::Policy::default());
        assert_eq!(plain.words, Words::default());
        let s = Style::of(&plain, 1, PriorZeroPolicy::NoRate);
        assert_eq!(
            (
                s.share(m("1"), m("1")),
                s.money(m("1234.50")),
                s.change(m("5"), m("0")).percent,
                s.completion(m("5"), m("0")).percent,
                s.omit_zero_lines
            ),
            ("100.0".to_string(), "1234.5".to_string(), None, None, false)
        );

        let form = form_of(
            "[number]\npercent_decimals = 2\nwhole_percent = \"integer\"\n\
             money_in_text = \"fixed\"\nseparators_in_text = true\n\
             [policy]\nprior_zero = \"hundred\"\nbudget_zero = \"zero\"\nomit_zero_lines = true\n\
             merge_appropriation_income = true\nomit_subject_glossary = true\n\
             [words]\nflat = \"基本持平\"\nequal = \"持平\"\n",
        );
        assert!(form.policy.merge_appropriation_income && form.policy.omit_subject_glossary);
        assert_eq!(
            form.words.increase, "增加",
            "an unset word keeps its default"
        );
        // The bureau's percent decimals and prior-zero policy win over the form's.
        let s = Style::of(&form, 2, form.policy.prior_zero);
        assert_eq!(
            (
                s.share(m("1"), m("1")),
                s.share(m("1"), m("3")),
                s.money(m("1234.5")),
                s.change(m("5"), m("0")).percent.as_deref(),
                s.completion(m("0"), m("0")).percent.as_deref(),
                s.completion(m("5"), m("5")).relation.as_str(),
                s.omit_zero_lines
            ),
            (
                "100".to_string(),
                "33.33".to_string(),
                "1,234.50".to_string(),
                Some("100"),
                Some("0"),
                "持平",
                true
            )
        );
        let bureau = Style::of(&form, 0, PriorZeroPolicy::NoRate);
        assert_eq!(bureau.share(m("1"), m("3")), "33");
        assert_eq!(bureau.change(m("5"), m("0")).percent, None);
        // Other forms of the same manifest keep their own values.
        assert!(
            form_of("[policy]\nomit_zero_lines = false\n").policy == crate::form::Policy::default()
        );
    }

    #[test]
    fn growth_share_and_completion_decimals_apart() {
        // 九龙坡 2024 (C44): 增长7.0% beside 占96.35%.
        let form = form_of(
            "[number]\npercent_decimals = 1\nshare_decimals = 2\ncompletion_decimals = 0\n",
        );
        let s = Style::of(&form, 1, PriorZeroPolicy::Hundred);
        let c = s.change(m("2246.97"), m("2100.03"));
        assert_eq!(c.percent.as_deref(), Some("7.0"));
        assert_eq!(s.share(m("2164.97"), m("2246.97")), "96.35");
        assert_eq!(s.share(m("0"), m("2246.97")), "0.00");
        assert_eq!(s.completion(m("2"), m("3")).percent.as_deref(), Some("67"));
        assert_eq!(
            s.change(m("5"), m("0")).percent.as_deref(),
            Some("100.0"),
            "增长100% with the growth decimals"
        );
        // Only the growth decimals set: shares and completions keep the percent decimals.
        let form = form_of("[number]\npercent_decimals = 2\nchange_decimals = 1\n");
        let s = Style::of(&form, 2, PriorZeroPolicy::NoRate);
        assert_eq!(
            (
                s.change(m("4"), m("3")).percent.as_deref(),
                s.share(m("1"), m("3")),
                s.completion(m("1"), m("3")).percent.as_deref()
            ),
            (Some("33.3"), "33.33".to_string(), Some("33.33"))
        );
        // Under a budget of 0 the `0%` takes the completion decimals.
        let mut z = Style::of(
            &form_of("[number]\ncompletion_decimals = 2\n"),
            1,
            PriorZeroPolicy::NoRate,
        );
        z.budget_zero = BudgetZeroPolicy::Zero;
        assert_eq!(
            z.completion(m("0"), m("0")).percent.as_deref(),
            Some("0.00")
        );
        // Whole percentages drop the decimals of every kind alike.
        let w = Style::of(
            &form_of("[number]\nwhole_percent = \"integer\"\nshare_decimals = 2\n"),
            1,
            PriorZeroPolicy::NoRate,
        );
        assert_eq!(
            (w.share(m("1"), m("1")), w.share(m("1"), m("8"))),
            ("100".into(), "12.50".into())
        );
    }

    #[test]
    fn a_bureaus_percent_decimals_win_over_every_kind() {
        let form = form_of(
            "[number]\npercent_decimals = 1\nchange_decimals = 2\nshare_decimals = 2\ncompletion_decimals = 2\n",
        );
        let s = Style::of(&form, 0, PriorZeroPolicy::NoRate);
        assert_eq!(
            (
                s.change(m("4"), m("3")).percent.as_deref(),
                s.share(m("1"), m("3")),
                s.completion(m("1"), m("3")).percent.as_deref()
            ),
            (Some("33"), "33".to_string(), Some("33"))
        );
        // The form's own percent decimals leave its other decimals alone.
        let s = Style::of(&form, 1, PriorZeroPolicy::NoRate);
        assert_eq!(s.share(m("1"), m("3")), "33.33");
    }

    #[test]
    fn separators() {
        assert_eq!(with_separators("0.5"), "0.5");
        assert_eq!(with_separators("999"), "999");
        assert_eq!(with_separators("1000"), "1,000");
        assert_eq!(with_separators("-1234567.891"), "-1,234,567.891");
        assert_eq!(with_separators("100000"), "100,000");
    }

    #[test]
    fn the_default_style_is_the_sichuan_one() {
        let s = Style::plain(1, PriorZeroPolicy::NoRate);
        assert_eq!(s.share(m("50"), m("100")), "50.0");
        assert_eq!(s.money(m("2940.50")), "2940.5");
        assert_eq!(s.change(m("34.51"), m("0")).kind, ChangeKind::New);
    }

    #[test]
    fn money_texts() {
        assert_eq!(money_text(m("217.50")), "217.5");
        assert_eq!(money_text(m("0")), "0");
        assert_eq!(money_text(m("1.234567")), "1.23");
        assert_eq!(money_text(m("0.005")), "0.01");
        assert_eq!(money_text_fixed(m("4.8")), "4.80");
    }
}
