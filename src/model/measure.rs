//! 绩效指标的度量：定量（正向/反向/等于）、定性档次、是否类、不适用 — facts of the input that
//! the scoring engine (`performance::scoring`) turns into scores.

use rust_decimal::Decimal;
use serde::Serialize;

/// How an indicator is measured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Measure {
    /// 正向定量指标（目标值 ≥）：得分 = 分值 × min(1, 实际值 ÷ 目标值)。目标值为 0 时满分。
    Positive { target: Decimal, actual: Decimal },
    /// 反向定量指标（目标值 ≤，如成本、差错率）：实际值 ≤ 目标值得满分，否则
    /// 得分 = 分值 × 目标值 ÷ 实际值。目标值为 0 而实际值大于 0 时得 0 分。
    Reverse { target: Decimal, actual: Decimal },
    /// 等于型定量指标（目标值 =，如“预算执行率 =100%”）：得分 = 分值 × max(0, 1 − |实际 − 目标| ÷ 目标)。
    /// 目标值为 0 时，实际为 0 得满分，否则 0 分。
    Equal { target: Decimal, actual: Decimal },
    /// 定性指标：评价人选定档次，并在档次的区间内给出得分比例（0–1）。
    Qualitative { tier: Tier, fraction: Decimal },
    /// 是否类指标：达成得满分，未达成得 0 分。
    Binary { achieved: bool },
    /// 不适用：剔除，其余指标按百分制折算。
    NotApplicable,
}

/// 定性指标的三个档次。
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 达成年度指标
    Achieved,
    /// 部分达成年度指标并具有一定效果
    Partly,
    /// 未达成年度指标且效果较差
    NotAchieved,
}
