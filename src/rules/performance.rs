//! 绩效自评的规则：分值合计、偏差原因、定性档次、自评得分与计算得分（R024–R028）。

use rust_decimal::Decimal;

use super::codes;
use crate::arith::money_text;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Bureau;
use crate::performance::score_project;
use crate::performance::scoring::{self, Measure};

pub(super) fn check(b: &Bureau, d: &mut Diagnostics) {
    let perf = &b.performance;
    let scoring = &perf.spec.scoring;
    let tiers = &scoring.tiers;
    // The form's threshold is in percent; the deviation is a fraction.
    let threshold = scoring.deviation_threshold / Decimal::ONE_HUNDRED;
    for p in perf.department.iter().chain(&perf.projects) {
        let subject = subject(b, p);
        workloads(p, d);
        payments(p, &subject, d);
        upper_within(p, &subject, d);
        if !p.indicators.iter().any(|i| i.weighted) {
            continue;
        }
        for i in p.indicators.iter().filter(|i| !i.weighted) {
            d.push(
                Diagnostic::of(
                    codes::WEIGHTS,
                    format!("{subject}的指标“{}”没有分值，而其他指标有", i.level3.value),
                )
                .at_opt(i.weight.loc.as_ref())
                .hint("计分的自评表每个指标都要写 weight；不计分的自评表都不写。"),
            );
        }
        // A form that scores the 执行率 beside the indicators wants the indicators alone at 100.
        let outside = scoring.execution_outside_total;
        let execution = if outside {
            Decimal::ZERO
        } else {
            p.execution_weight.value
        };
        let weights: Decimal =
            execution + p.indicators.iter().map(|i| i.weight.value).sum::<Decimal>();
        if weights != Decimal::ONE_HUNDRED {
            d.push(
                Diagnostic::of(
                    codes::WEIGHTS,
                    if outside {
                        format!(
                            "{subject}的指标分值合计为 {}，不是 100（本版式的预算执行率另计）",
                            weights.normalize()
                        )
                    } else {
                        format!(
                            "{subject}的分值合计为 {}，不是 100（预算执行率 {} + 各指标分值）",
                            weights.normalize(),
                            p.execution_weight.value.normalize()
                        )
                    },
                )
                .at_opt(p.name.loc.as_ref())
                .hint(if outside {
                    "调整各指标分值，使全部指标的分值合计为 100（预算执行率另计）。"
                } else {
                    "调整各指标分值，使预算执行率与全部指标的分值合计为 100。"
                }),
            );
        }
        // Keys are a 一级指标 (“产出指标”) or a 一级/二级 path (“产出指标/数量指标”).
        for (level, declared) in &p.level_weights {
            let (level1, level2) = match level.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (level.as_str(), None),
            };
            let under: Decimal = p
                .indicators
                .iter()
                .filter(|i| i.level1.value == level1)
                .filter(|i| level2.is_none_or(|l2| i.level2.value == l2))
                .map(|i| i.weight.value)
                .sum();
            if under != declared.value {
                let what = if level2.is_some() {
                    "二级指标"
                } else {
                    "一级指标"
                };
                d.push(
                    Diagnostic::of(
                        codes::WEIGHTS,
                        format!(
                            "{subject}{what}“{level}”分值 {} ≠ 其下各指标分值之和 {}",
                            declared.value.normalize(),
                            under.normalize()
                        ),
                    )
                    .at_opt(declared.loc.as_ref())
                    .hint(format!(
                        "核对来源表：调整该{what}下各三级指标的分值，或更正该{what}的分值。"
                    )),
                );
            }
        }
        for i in &p.indicators {
            let label = format!("{subject}指标“{}”", i.level3.value);
            match &i.measure {
                Measure::Positive { target, actual }
                | Measure::Reverse { target, actual }
                | Measure::Equal { target, actual } => {
                    if let Some(dev) = scoring::deviation(*target, *actual) {
                        if dev > threshold && i.reason.value.is_empty() && scoring.deviation_reasons
                        {
                            d.push(
                                Diagnostic::of(codes::DEVIATION, format!("{label}实际值 {} 偏离目标值 {} 达 {}%，须说明偏差原因", actual.normalize(), target.normalize(), crate::arith::percent_text(dev * Decimal::ONE_HUNDRED, 1)))
                                    .at_opt(i.actual_loc.as_ref())
                                    .hint(format!("在该指标的 reason 写明偏差原因分析及改进措施（偏离超过 {}% 时必填）。", scoring.deviation_threshold.normalize())),
                            );
                        }
                    }
                }
                Measure::Qualitative { tier, fraction } => {
                    if !tiers.admits(*tier, *fraction) {
                        d.push(
                            Diagnostic::of(codes::TIER, format!("{label}的得分比例 {} 不在所选档次的区间内", fraction.normalize()))
                                .at_opt(i.actual_loc.as_ref())
                                .hint("达成：0.8–1（含 0.8）；部分达成：0.6–0.8（含 0.6，不含 0.8）；未达成：0–0.6（不含 0.6）。"),
                        );
                    }
                }
                Measure::Binary { .. } | Measure::NotApplicable => {}
            }
            let cost = i.level2.value.contains("成本") && i.unit.value == "万元";
            if let (
                true,
                Some(executed),
                Measure::Positive { actual, .. }
                | Measure::Reverse { actual, .. }
                | Measure::Equal { actual, .. },
            ) = (cost, &p.executed, &i.measure)
            {
                if *actual != executed.value.0 {
                    d.push(
                        Diagnostic::of(
                            codes::COST,
                            format!(
                                "{label}实际值 {} 万元与项目执行数 {} 万元不一致",
                                actual.normalize(),
                                money_text(executed.value)
                            ),
                        )
                        .at_opt(i.actual_loc.as_ref())
                        .hint("成本指标的实际值通常就是项目执行数；核对两处是否有一处录入有误。"),
                    );
                }
            }
        }
        if let (Some(score), Some(declared)) =
            (score_project(p, scoring), &p.evaluation.declared_score)
        {
            if score.total != declared.value {
                d.push(
                    Diagnostic::of(codes::SCORE, format!("{subject}所列自评得分 {} ≠ 按指标计算的得分 {}", declared.value.normalize(), score.total.normalize()))
                        .at_opt(declared.loc.as_ref())
                        .hint_by_input(
                            "得分由预算执行率和各指标计算；删去 declared_score，或核对指标的目标值、实际值和分值。",
                            "得分由预算执行率和各指标计算；清空“自评得分”，或核对指标的目标值、实际值和分值。",
                        ),
                );
            }
        }
    }
}

/// R035: 中省补助 is part of the 财政资金, so never more than it.
/// How a finding names the sheet: the department's own, or a project's.
fn subject(b: &Bureau, p: &crate::model::ProjectEvaluation) -> String {
    if b.performance
        .department
        .as_ref()
        .is_some_and(|dep| std::ptr::eq(dep, p))
    {
        format!("部门整体“{}”", p.name.value)
    } else {
        format!("项目“{}”", p.name.value)
    }
}

fn upper_within(p: &crate::model::ProjectEvaluation, subject: &str, d: &mut Diagnostics) {
    for (what, all, upper) in [
        ("预算数", &p.budget, &p.upper_budget),
        ("执行数", &p.executed, &p.upper_executed),
    ] {
        let Some(upper) = upper else { continue };
        let all_value = all.as_ref().map(|a| a.value).unwrap_or_default();
        if upper.value.0 > all_value.0 {
            d.push(
                Diagnostic::of(
                    codes::UPPER_WITHIN,
                    format!(
                        "{subject}{what}中的中省补助资金 {} 超过财政资金 {}",
                        money_text(upper.value),
                        money_text(all_value)
                    ),
                )
                .at_opt(upper.loc.as_ref())
                .hint_by_input(
                    "budget、executed 是财政资金合计，upper_budget、upper_executed 是其中的中省补助；县级预算资金由程序相减。",
                    "预算数、执行数是财政资金合计，“中省补助资金预算数”“中省补助资金执行数”是其中的中省补助；县级预算资金由程序相减。",
                ),
            );
        }
    }
}

/// 支付明细表 (R034): the lines' 使用金额 add up to the project's 执行数, and no line uses more
/// than was applied for.
fn payments(p: &crate::model::ProjectEvaluation, subject: &str, d: &mut Diagnostics) {
    if p.payments.is_empty() {
        return;
    }
    for x in &p.payments {
        if x.used.value.0 > x.applied.value.0 {
            d.push(
                Diagnostic::of(
                    codes::PAYMENTS,
                    format!(
                        "{subject}支付明细“{}”使用金额 {} 超过申请金额 {}",
                        x.item.value,
                        money_text(x.used.value),
                        money_text(x.applied.value)
                    ),
                )
                .at_opt(x.used.loc.as_ref())
                .hint("使用金额不能超过申请金额；核对两处数字。"),
            );
        }
    }
    let Some(executed) = p.executed_total() else {
        return;
    };
    let used: crate::money::Money = p.payments.iter().map(|x| x.used.value).sum();
    if crate::arith::printed(used) != crate::arith::printed(executed) {
        let mut diag = Diagnostic::of(
            codes::PAYMENTS,
            format!(
                "{subject}支付明细表使用金额合计 {} ≠ 全年执行数 {}（差 {}）",
                money_text(used),
                money_text(executed),
                (used.0 - executed.0).normalize()
            ),
        )
        .at_opt(p.executed.as_ref().and_then(|e| e.loc.as_ref()))
        .hint("支付明细表按经济科目列出全部支出，合计应等于执行数。");
        for x in &p.payments {
            if let Some(loc) = &x.used.loc {
                diag = diag.related(
                    loc,
                    format!("{} {}", x.item.value, money_text(x.used.value)),
                );
            }
        }
        d.push(diag);
    }
}

/// Workloads that name their parts must equal the sum of those parts, this year and last (R029).
fn workloads(p: &crate::model::ProjectEvaluation, d: &mut Diagnostics) {
    for w in p.workloads.iter().filter(|w| !w.parts.is_empty()) {
        let mut current = 0i64;
        // The parts' prior-year total, known only when every part states its prior value.
        let mut prior = Some(0i64);
        let mut names = Vec::new();
        for part in &w.parts {
            match p.workloads.iter().find(|x| x.name.value == part.value) {
                Some(x) => {
                    current += x.current.value;
                    prior = prior.zip(x.prior.as_ref()).map(|(sum, c)| sum + c.value);
                    names.push(format!("{} {}", x.name.value, x.current.value));
                }
                None => d.push(
                    Diagnostic::of(
                        codes::WORKLOAD,
                        format!("工作量“{}”的组成项“{}”不存在", w.name.value, part.value),
                    )
                    .at_opt(part.loc.as_ref())
                    .hint("parts 里写同一项目下其他工作量的 name。"),
                ),
            }
        }
        if current != w.current.value {
            d.push(
                Diagnostic::of(
                    codes::WORKLOAD,
                    format!(
                        "工作量“{}”本年 {} ≠ 组成项之和 {}（{}）",
                        w.name.value,
                        w.current.value,
                        current,
                        names.join(" + ")
                    ),
                )
                .at_opt(w.current.loc.as_ref())
                .hint("核对合计数与各组成项，如 来访 = 初访 + 重复访。"),
            );
        }
        if let (Some(pr), Some(prior)) = (&w.prior, prior) {
            if prior != pr.value {
                d.push(
                    Diagnostic::of(
                        codes::WORKLOAD,
                        format!(
                            "工作量“{}”上年 {} ≠ 组成项上年之和 {}",
                            w.name.value, pr.value, prior
                        ),
                    )
                    .at_opt(pr.loc.as_ref())
                    .hint("核对上年的合计数与各组成项。"),
                );
            }
        }
    }
}
