//! 绩效自评表（附件）：一个项目（或部门整体）的资金、执行率、逐条指标及其得分、总分与等级，
//! 支付明细表与工作量。

use super::{IndicatorRow, PaymentRow, ScoreSheet, SectionDoc, WorkloadDoc, arith, clause};
use crate::model::Amount;
use crate::money::Money;

pub(super) fn doc(
    p: &crate::model::ProjectEvaluation,
    score: Option<&crate::performance::ProjectScore>,
    department: &str,
    dp: u32,
) -> ScoreSheet {
    use crate::performance::scoring::{self, Measure};
    let dec = |d: &rust_decimal::Decimal| d.normalize().to_string();
    let opt = |d: &Option<rust_decimal::Decimal>| d.as_ref().map(dec).unwrap_or_else(|| "—".into());
    let amount = |a: &Option<Amount>| {
        a.as_ref()
            .map(|a| arith::money_text(a.value))
            .unwrap_or_default()
    };
    // An unscored 自评表 still lists every indicator (with no score).
    let indicator_scores = score
        .map(|s| s.indicator_scores.clone())
        .unwrap_or_default();
    let rows = p
        .indicators
        .iter()
        .enumerate()
        .map(|(n, i)| (i, indicator_scores.get(n).copied().flatten()))
        .map(|(i, s)| {
            let unit = &i.unit.value;
            let (target, actual) = match &i.measure {
                Measure::Positive { target, actual } => (
                    format!("≥{}{unit}", dec(target)),
                    format!("{}{unit}", dec(actual)),
                ),
                Measure::Reverse { target, actual } => (
                    format!("≤{}{unit}", dec(target)),
                    format!("{}{unit}", dec(actual)),
                ),
                Measure::Equal { target, actual } => (
                    format!("={}{unit}", dec(target)),
                    format!("{}{unit}", dec(actual)),
                ),
                _ => (i.target_text.value.clone(), i.actual_text.value.clone()),
            };
            let group: Vec<_> = p
                .indicators
                .iter()
                .filter(|j| j.level1.value == i.level1.value)
                .collect();
            IndicatorRow {
                explanation: i.explanation.value.clone(),
                criteria: i.criteria.value.clone(),
                level1_first: std::ptr::eq(group[0], i),
                level1_rows: group.len(),
                level1_weight: dec(&group.iter().map(|j| j.weight.value).sum()),
                level1: i.level1.value.clone(),
                level2: i.level2.value.clone(),
                level3: i.level3.value.clone(),
                target,
                actual,
                weight: if i.weighted {
                    dec(&i.weight.value)
                } else {
                    String::new()
                },
                completion: scoring::completion_rate(&i.measure, dp)
                    .map(|c| format!("{}%", arith::percent_text(c, dp)))
                    .unwrap_or_else(|| match &i.measure {
                        Measure::NotApplicable => "不适用".into(),
                        _ => "—".into(),
                    }),
                score: if score.is_some() {
                    opt(&s)
                } else {
                    String::new()
                },
                reason: clause(&i.reason.value),
            }
        })
        .collect();
    let total = |m: Option<Money>| m.map(arith::money_text).unwrap_or_default();
    let county = |all: &Option<Amount>, upper: &Option<Amount>| match (all, upper) {
        (Some(a), Some(u)) => arith::money_text(a.value - u.value),
        (Some(a), None) => arith::money_text(a.value),
        _ => String::new(),
    };
    ScoreSheet {
        number: 0,
        whole: false,
        name: p.name.value.clone(),
        bureau: department.to_string(),
        department: if p.unit.value.is_empty() {
            department.to_string()
        } else {
            p.unit.value.clone()
        },
        initial_budget: amount(&p.initial_budget),
        budget: total(p.budget_total()),
        budget_appropriation: amount(&p.budget),
        budget_other: amount(&p.other_budget),
        arrived: total(p.arrived_total()),
        arrived_appropriation: amount(&p.arrived),
        arrived_other: amount(&p.other_arrived),
        executed: total(p.executed_total()),
        executed_appropriation: amount(&p.executed),
        executed_other: amount(&p.other_executed),
        goal: p.goal.value.clone(),
        outcome: p.outcome.value.clone(),
        goal_completion: p
            .goal_completion
            .as_ref()
            .map(|g| format!("{}%", dec(&g.value)))
            .unwrap_or_default(),
        problems: p.problems.value.clone(),
        suggestions: p.suggestions.value.clone(),
        budget_upper: amount(&p.upper_budget),
        budget_county: county(&p.budget, &p.upper_budget),
        executed_upper: amount(&p.upper_executed),
        executed_county: county(&p.executed, &p.upper_executed),
        execution_weight: dec(&p.execution_weight.value),
        execution_rate: crate::performance::execution_rate(p)
            .map(|r| {
                format!(
                    "{}%",
                    arith::percent_text(r, crate::performance::RATE_DECIMALS)
                )
            })
            .unwrap_or_else(|| "—".into()),
        execution_score: opt(&score.and_then(|s| s.execution_score)),
        rows,
        total: score.map(|s| dec(&s.total)).unwrap_or_default(),
        grade: score.map(|s| s.grade.clone()).unwrap_or_default(),
        report: None,
        sections: p
            .sections
            .iter()
            .map(|x| SectionDoc {
                title: x.title.value.clone(),
                paragraphs: x.paragraphs.iter().map(|t| t.value.clone()).collect(),
                workloads: x.workloads,
            })
            .collect(),
        payments: p
            .payments
            .iter()
            .enumerate()
            .map(|(n, x)| PaymentRow {
                number: (n + 1).to_string(),
                item: x.item.value.clone(),
                budget: arith::money_text(x.budget.value),
                applied: arith::money_text(x.applied.value),
                used: arith::money_text(x.used.value),
                ratio: arith::share_text(x.used.value, x.budget.value, dp),
            })
            .collect(),
        payments_total: (!p.payments.is_empty()).then(|| {
            let sum = |f: fn(&crate::model::Payment) -> Money| -> Money {
                p.payments.iter().map(f).sum()
            };
            let (budget, used) = (sum(|x| x.budget.value), sum(|x| x.used.value));
            PaymentRow {
                number: String::new(),
                item: "合计".into(),
                budget: arith::money_text(budget),
                applied: arith::money_text(sum(|x| x.applied.value)),
                used: arith::money_text(used),
                ratio: arith::share_text(used, budget, dp),
            }
        }),
        workloads: p
            .workloads
            .iter()
            .map(|w| WorkloadDoc {
                name: w.name.value.clone(),
                unit: w.unit.value.clone(),
                current: w.current.value,
                change: w
                    .prior
                    .as_ref()
                    .map(|pr| arith::count_change(w.current.value, pr.value, dp)),
            })
            .collect(),
    }
}
