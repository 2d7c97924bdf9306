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
            whole_percent: WholePercent::Decimals,
            money_in_text: MoneyText::Trimmed,
            separators_in_text: false,
            separators_in_tables: false,
            zero_in_tables: ZeroCells::AsLaidOut,
        }
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
