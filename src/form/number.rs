//! 数字写法：百分比小数位、整数百分比、文中金额、千分位、零值格，以及上年为零、预算为零时的写法。
//!
//! Data only: `figures::arith::Style` applies it, so every number is still computed and written in
//! the one arithmetic module.

use serde::{Deserialize, Serialize};

/// The most decimals a percentage may have.
pub const MAX_PERCENT_DECIMALS: u32 = 2;

/// How a form writes numbers. Real packages are not uniform: a form sets the defaults, a bureau
/// may override the percent decimals (`[bureau] percent_decimals`).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct NumberStyle {
    /// Decimals of a percentage (0–2).
    pub percent_decimals: u32,
    /// A whole percentage with its decimals (`100.0%`) or without (`100%`).
    pub whole_percent: WholePercent,
    /// Money in the text: trailing zeros dropped (`217.5`) or always 2 decimals (`217.50`).
    pub money_in_text: MoneyText,
    /// Thousands separators in the text (`2,940.05`).
    pub separators_in_text: bool,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle {
            percent_decimals: 1,
            whole_percent: WholePercent::Decimals,
            money_in_text: MoneyText::Trimmed,
            separators_in_text: false,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WholePercent {
    /// `100.0%`、`0.0%`
    #[default]
    Decimals,
    /// `100%`、`0%`
    Integer,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MoneyText {
    /// `217.5`、`0`
    #[default]
    Trimmed,
    /// `217.50`、`0.00`
    Fixed,
}

/// What to print when a change is measured against a prior-year figure of 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorZeroPolicy {
    /// 上年为 0：只写增加额，不计算增长率（默认）。
    #[default]
    NoRate,
    /// 上年为 0：按惯例写“增长100%”。
    Hundred,
}

/// What to print when a completion is measured against a budget of 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetZeroPolicy {
    /// 预算为 0：不写完成预算的百分比（默认）。
    #[default]
    NoRate,
    /// 预算为 0：写“完成预算0%”。
    Zero,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<NumberStyle, String> {
        toml::from_str(text).map_err(|e| e.message().to_string())
    }

    #[test]
    fn an_empty_number_style_is_sichuans() {
        assert_eq!(
            parse("").unwrap(),
            NumberStyle {
                percent_decimals: 1,
                whole_percent: WholePercent::Decimals,
                money_in_text: MoneyText::Trimmed,
                separators_in_text: false,
            }
        );
    }

    #[test]
    fn every_field_is_read_and_a_misspelt_value_refused() {
        let s = parse(
            "percent_decimals = 0\nwhole_percent = \"integer\"\nmoney_in_text = \"fixed\"\n\
             separators_in_text = true\n",
        )
        .unwrap();
        assert_eq!(
            (
                s.percent_decimals,
                s.whole_percent,
                s.money_in_text,
                s.separators_in_text
            ),
            (0, WholePercent::Integer, MoneyText::Fixed, true)
        );
        for bad in [
            "whole_percent = \"whole\"",
            "money_in_text = \"trim\"",
            "separators_in_text = \"yes\"",
            "percent_decimals = -1",
            "decimals = 1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_zero_policies_are_read_by_their_names() {
        #[derive(Deserialize)]
        struct P {
            prior: PriorZeroPolicy,
            budget: BudgetZeroPolicy,
        }
        let p: P = toml::from_str("prior = \"hundred\"\nbudget = \"zero\"").unwrap();
        assert_eq!(
            (p.prior, p.budget),
            (PriorZeroPolicy::Hundred, BudgetZeroPolicy::Zero)
        );
        let p: P = toml::from_str("prior = \"no_rate\"\nbudget = \"no_rate\"").unwrap();
        assert_eq!(
            (p.prior, p.budget),
            (PriorZeroPolicy::NoRate, BudgetZeroPolicy::NoRate)
        );
        assert!(toml::from_str::<P>("prior = \"100\"\nbudget = \"zero\"").is_err());
        assert_eq!(PriorZeroPolicy::default(), PriorZeroPolicy::NoRate);
        assert_eq!(BudgetZeroPolicy::default(), BudgetZeroPolicy::NoRate);
    }
}
