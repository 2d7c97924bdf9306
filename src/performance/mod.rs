//! 绩效评价：执行率、指标得分、总分与等级的计算（财预〔2020〕10号 及各省自评表的通行算法）。
//!
//! This module holds the scoring engine only; the 绩效 facts in the input, the rules over them and
//! the 自评表 forms build on it (issue 4). Every score is computed here, 四舍五入 to 2 decimals per
//! indicator, and the total is the sum of the printed indicator scores, so a reader can add up the
//! table.

pub mod scoring;

use rust_decimal::Decimal;

use crate::form::Scoring;
use crate::model::ProjectEvaluation;

/// Percent decimals of the 执行率 printed in a 自评表.
pub const RATE_DECIMALS: u32 = 2;

/// A project's computed self-evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectScore {
    /// 预算执行率 (%), when a budget was given.
    pub execution_rate: Option<Decimal>,
    /// 预算执行率得分; `None` when there is no budget (then it is not applicable).
    pub execution_score: Option<Decimal>,
    /// Each indicator's score, `None` where not applicable or not scorable.
    pub indicator_scores: Vec<Option<Decimal>>,
    pub total: Decimal,
    /// The grade of the total in the 绩效 form's bands (优/良/中/差 …).
    pub grade: String,
}

/// 预算执行率 (%) of the whole project's money (财政资金 + 其他资金), when both sums are given.
/// Scored or not, a 自评表 prints this one rate.
pub fn execution_rate(p: &ProjectEvaluation) -> Option<Decimal> {
    let (b, e) = (p.budget_total()?, p.executed_total()?);
    scoring::execution_rate(e.0, b.0, RATE_DECIMALS)
}

/// Scores a project from its funds and indicators; `None` when it has no indicators (its score
/// is then whatever the input declares). Indicators that cannot be scored (a fraction outside its
/// tier) count as not applicable here; rule R026 reports them.
pub fn score_project(p: &ProjectEvaluation, scoring: &Scoring) -> Option<ProjectScore> {
    let tiers = &scoring.tiers;
    let policy = scoring.execution_policy();
    // A 自评表 without 分值 (e.g. 四川 2021) lists its indicators but is not scored.
    if !p.indicators.iter().any(|i| i.weighted) {
        return None;
    }
    let rate = execution_rate(p);
    let exec = match (p.budget_total(), p.executed_total()) {
        (Some(b), Some(e)) if policy.per_point => {
            scoring::execution_score_per_point(p.execution_weight.value, e.0, b.0, RATE_DECIMALS)
        }
        (Some(b), Some(e)) => {
            scoring::execution_score(p.execution_weight.value, e.0, b.0, RATE_DECIMALS)
        }
        _ => None,
    };
    let indicator_scores: Vec<Option<Decimal>> = p
        .indicators
        .iter()
        .map(|i| scoring::indicator_score(i.weight.value, &i.measure, tiers).unwrap_or(None))
        .collect();
    let mut items = Vec::new();
    if !policy.outside_total {
        items.push((p.execution_weight.value, exec));
    }
    items.extend(
        p.indicators
            .iter()
            .zip(&indicator_scores)
            .map(|(i, s)| (i.weight.value, *s)),
    );
    let total = scoring::total(&items);
    Some(ProjectScore {
        execution_rate: rate,
        execution_score: exec,
        indicator_scores,
        total,
        grade: scoring.grade(total).to_string(),
    })
}
