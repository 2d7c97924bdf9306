//! 数字写法：百分比小数位、整数百分比、文中金额、千分位、零值格，以及上年为零、预算为零时的写法。
//!
//! Data only: `arith::Style` applies it, so every number is still computed and written in
//! the one arithmetic module.

use serde::{Deserialize, Serialize};

/// The most decimals a percentage may have.
pub const MAX_PERCENT_DECIMALS: u32 = 2;

/// How a form writes numbers. Real packages are not uniform: a form sets the defaults, a bureau
/// may override the percent decimals (`[bureau] percent_decimals`), which then stand for every
/// percentage, the form's `change_decimals`, `share_decimals` and `completion_decimals` included.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct NumberStyle {
    /// Decimals of a percentage (0–2).
    pub percent_decimals: u32,
    /// Decimals of a growth rate (增长/下降…%) when they differ from `percent_decimals`: some
    /// Chongqing documents print `增长7.0%` beside `占96.35%`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_decimals: Option<u32>,
    /// Decimals of a share (占…%) when they differ from `percent_decimals`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share_decimals: Option<u32>,
    /// Decimals of a budget completion (完成预算的…%) when they differ from `percent_decimals`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_decimals: Option<u32>,
    /// A whole percentage with its decimals (`100.0%`) or without (`100%`).
    pub whole_percent: WholePercent,
    /// Money in the text: trailing zeros dropped (`217.5`) or always 2 decimals (`217.50`).
    pub money_in_text: MoneyText,
    /// Thousands separators in the text (`2,940.05`).
    pub separators_in_text: bool,
    /// Thousands separators in the 附表 (`2,940.05`).
    pub separators_in_tables: bool,
    /// An amount of 0 in the 附表: as each table lays it out (`0.00` in 合计 rows, blank in
    /// lines) or always blank.
    pub zero_in_tables: ZeroCells,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle {
            percent_decimals: 1,
            change_decimals: None,
            share_decimals: None,
            completion_decimals: None,
            whole_percent: WholePercent::Decimals,
            money_in_text: MoneyText::Trimmed,
            separators_in_text: false,
            separators_in_tables: false,
            zero_in_tables: ZeroCells::AsLaidOut,
        }
    }
}

impl NumberStyle {
    /// Decimals of a growth rate.
    pub fn change_decimals(&self) -> u32 {
        self.change_decimals.unwrap_or(self.percent_decimals)
    }

    /// Decimals of a share.
    pub fn share_decimals(&self) -> u32 {
        self.share_decimals.unwrap_or(self.percent_decimals)
    }

    /// Decimals of a budget completion.
    pub fn completion_decimals(&self) -> u32 {
        self.completion_decimals.unwrap_or(self.percent_decimals)
    }

    /// The style with a bureau's percent decimals, which stand for every kind of percentage.
    pub fn with_percent_decimals(self, percent_decimals: u32) -> NumberStyle {
        NumberStyle {
            percent_decimals,
            change_decimals: None,
            share_decimals: None,
            completion_decimals: None,
            ..self
        }
    }

    /// Why a manifest's number style cannot be used (a decimals count out of range), in Chinese.
    pub fn problem(&self) -> Option<String> {
        [
            ("percent_decimals", Some(self.percent_decimals)),
            ("change_decimals", self.change_decimals),
            ("share_decimals", self.share_decimals),
            ("completion_decimals", self.completion_decimals),
        ]
        .into_iter()
        .find_map(|(key, value)| match value {
            Some(d) if d > MAX_PERCENT_DECIMALS => Some(format!(
                "number.{key} = {d} 超出范围（0–{MAX_PERCENT_DECIMALS}）"
            )),
            _ => None,
        })
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ZeroCells {
    /// `0.00` in 合计 rows and the “三公” row, blank in lines.
    #[default]
    AsLaidOut,
    /// Every 0 left blank.
    Blank,
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
                change_decimals: None,
                share_decimals: None,
                completion_decimals: None,
                whole_percent: WholePercent::Decimals,
                money_in_text: MoneyText::Trimmed,
                separators_in_text: false,
                separators_in_tables: false,
                zero_in_tables: ZeroCells::AsLaidOut,
            }
        );
    }

    #[test]
    fn the_table_number_style_is_read() {
        let s = parse("separators_in_tables = true\nzero_in_tables = \"blank\"\n").unwrap();
        assert!(s.separators_in_tables);
        assert_eq!(s.zero_in_tables, ZeroCells::Blank);
        assert!(parse("zero_in_tables = \"empty\"").is_err());
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

    #[test]
    fn change_share_and_completion_decimals_default_to_the_percent_decimals() {
        let s = parse("percent_decimals = 2").unwrap();
        assert_eq!(
            (
                s.change_decimals(),
                s.share_decimals(),
                s.completion_decimals()
            ),
            (2, 2, 2)
        );
        let s = parse(
            "percent_decimals = 1\nchange_decimals = 0\nshare_decimals = 2\ncompletion_decimals = 1\n",
        )
        .unwrap();
        assert_eq!(
            (
                s.percent_decimals,
                s.change_decimals(),
                s.share_decimals(),
                s.completion_decimals()
            ),
            (1, 0, 2, 1)
        );
        assert_eq!(s.problem(), None);
        // A bureau's percent decimals stand for all of them.
        let b = s.with_percent_decimals(2);
        assert_eq!(
            (
                b.percent_decimals,
                b.change_decimals(),
                b.share_decimals(),
                b.completion_decimals()
            ),
            (2, 2, 2, 2)
        );
        assert_eq!(b.money_in_text, s.money_in_text);
    }

    #[test]
    fn decimals_beyond_2_are_a_problem() {
        for (text, key) in [
            ("percent_decimals = 3", "number.percent_decimals = 3"),
            ("change_decimals = 3", "number.change_decimals = 3"),
            ("share_decimals = 4", "number.share_decimals = 4"),
            ("completion_decimals = 9", "number.completion_decimals = 9"),
        ] {
            let problem = parse(text).unwrap().problem().expect(text);
            assert_eq!(problem, format!("{key} 超出范围（0–2）"));
        }
        assert_eq!(parse("share_decimals = 2").unwrap().problem(), None);
    }
}
