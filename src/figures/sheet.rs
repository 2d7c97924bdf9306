//! 绩效自评表（附件）：一个项目（或部门整体）的资金、执行率、逐条指标及其得分、总分与等级，
//! 支付明细表与工作量。
//!
//! Every number the sheet prints is recorded in the ledger under its place in the document
//! context, `performance.sheets[n].<field>` (n from 0, the 附件 number − 1), with the value as the
//! sheet prints it: the funds (facts, and the sums and 县级 shares computed from them), the
//! 执行率 and its score, each indicator's 分值, 指标值, 完成率 and 得分, the 一级指标's weight,
//! the 总分 and 等级 (with the form's grade bands), the 支付明细表 and the workloads' 同比.

use rust_decimal::Decimal;

use super::{
    IndicatorRow, Maker, Operand, PaymentRow, ScoreSheet, SectionDoc, WorkloadDoc, arith, clause,
};
use crate::diagnostic::Location;
use crate::form::Scoring;
use crate::model::{Amount, Fact, Indicator, ProjectEvaluation};
use crate::money::Money;
use crate::performance::ProjectScore;
use crate::performance::scoring::{self, Measure};

/// The ledger records of one sheet, under `performance.sheets[n]`.
struct Recorder<'a> {
    m: &'a mut Maker,
    id: String,
}

impl Recorder<'_> {
    fn record(&mut self, key: &str, value: &str, formula: &str, inputs: &[Operand]) {
        self.m
            .ledger
            .record(&format!("{}.{key}", self.id), value, formula, inputs);
    }

    /// A typed amount, printed as given (empty when not given).
    fn fact(&mut self, key: &str, label: &str, a: &Option<Amount>) -> String {
        let Some(a) = a else {
            return String::new();
        };
        let text = arith::money_text(a.value);
        self.record(key, &text, "输入", &[Operand::fact(label, a)]);
        text
    }

    /// 财政资金 + 其他资金 (empty when neither is given).
    fn sum(&mut self, key: &str, parts: [(&str, &Option<Amount>); 2]) -> String {
        let given: Vec<Operand> = parts
            .iter()
            .filter_map(|(label, a)| a.as_ref().map(|a| Operand::fact(*label, a)))
            .collect();
        if given.is_empty() {
            return String::new();
        }
        let text = arith::money_text(given.iter().map(|o| o.value).sum());
        self.record(key, &text, "财政资金 + 其他资金", &given);
        text
    }

    /// 县级预算资金 = 财政资金 − 中省补助资金 (the whole 财政资金 when no 中省补助 is given).
    fn county(
        &mut self,
        key: &str,
        what: &str,
        all: &Option<Amount>,
        upper: &Option<Amount>,
    ) -> String {
        let Some(a) = all else {
            return String::new();
        };
        let all_op = Operand::fact(format!("{what}（财政资金）"), a);
        let (value, formula, inputs) = match upper {
            Some(u) => (
                a.value - u.value,
                "财政资金 − 中省补助资金",
                vec![all_op, Operand::fact(format!("{what}（中省补助资金）"), u)],
            ),
            None => (a.value, "财政资金（未填中省补助资金）", vec![all_op]),
        };
        let text = arith::money_text(value);
        self.record(key, &text, formula, &inputs);
        text
    }
}

/// A typed number that is not money (a 分值, an 指标值, a 得分比例) as an operand.
fn number(label: impl Into<String>, value: Decimal, loc: Option<&Location>) -> Operand {
    Operand {
        label: label.into(),
        value: Money(value),
        loc: loc.cloned(),
    }
}

fn weight_operand(label: impl Into<String>, w: &Fact<Decimal>) -> Operand {
    number(label, w.value, w.loc.as_ref())
}

fn dec(d: &Decimal) -> String {
    d.normalize().to_string()
}

/// The sheet of the project or department `p`, the `n`-th attachment (from 0).
pub(super) fn doc(
    m: &mut Maker,
    n: usize,
    p: &ProjectEvaluation,
    score: Option<&ProjectScore>,
    department: &str,
    dp: u32,
) -> ScoreSheet {
    let scoring = m.scoring.clone();
    let mut r = Recorder {
        m,
        id: format!("performance.sheets[{n}]"),
    };
    let opt = |d: &Option<Decimal>| d.as_ref().map(dec).unwrap_or_else(|| "—".into());

    // 项目资金：全年预算数、到位数、执行数，及其中财政资金、其他资金、中省补助、县级。
    let initial_budget = r.fact("initial_budget", "年初预算数", &p.initial_budget);
    let budget = r.sum(
        "budget",
        [
            ("全年预算数（财政资金）", &p.budget),
            ("全年预算数（其他资金）", &p.other_budget),
        ],
    );
    let budget_appropriation = r.fact("budget_appropriation", "全年预算数（财政资金）", &p.budget);
    let budget_other = r.fact("budget_other", "全年预算数（其他资金）", &p.other_budget);
    let arrived = r.sum(
        "arrived",
        [
            ("到位数（财政资金）", &p.arrived),
            ("到位数（其他资金）", &p.other_arrived),
        ],
    );
    let arrived_appropriation = r.fact("arrived_appropriation", "到位数（财政资金）", &p.arrived);
    let arrived_other = r.fact("arrived_other", "到位数（其他资金）", &p.other_arrived);
    let executed = r.sum(
        "executed",
        [
            ("全年执行数（财政资金）", &p.executed),
            ("全年执行数（其他资金）", &p.other_executed),
        ],
    );
    let executed_appropriation = r.fact(
        "executed_appropriation",
        "全年执行数（财政资金）",
        &p.executed,
    );
    let executed_other = r.fact(
        "executed_other",
        "全年执行数（其他资金）",
        &p.other_executed,
    );
    let budget_upper = r.fact(
        "budget_upper",
        "全年预算数（中省补助资金）",
        &p.upper_budget,
    );
    let budget_county = r.county("budget_county", "全年预算数", &p.budget, &p.upper_budget);
    let executed_upper = r.fact(
        "executed_upper",
        "全年执行数（中省补助资金）",
        &p.upper_executed,
    );
    let executed_county = r.county(
        "executed_county",
        "全年执行数",
        &p.executed,
        &p.upper_executed,
    );
    let goal_completion = p
        .goal_completion
        .as_ref()
        .map(|g| {
            let text = format!("{}%", dec(&g.value));
            r.record(
                "goal_completion",
                &text,
                "输入",
                &[weight_operand("总体完成率（%）", g)],
            );
            text
        })
        .unwrap_or_default();

    // 预算执行率与其得分。
    let weight = &p.execution_weight;
    let execution_weight = dec(&weight.value);
    let weight_op = weight_operand("预算执行率分值", weight);
    r.record(
        "execution_weight",
        &execution_weight,
        if weight.loc.is_some() {
            "输入"
        } else {
            "未填，按默认分值"
        },
        std::slice::from_ref(&weight_op),
    );
    let rate = crate::performance::execution_rate(p);
    let execution_rate = rate
        .map(|r| {
            format!(
                "{}%",
                arith::percent_text(r, crate::performance::RATE_DECIMALS)
            )
        })
        .unwrap_or_else(|| "—".into());
    let totals = (p.executed_total(), p.budget_total());
    if let (Some(e), Some(b)) = totals {
        r.record(
            "execution_rate",
            &execution_rate,
            &format!(
                "全年执行数合计 ÷ 全年预算数合计 × 100%（四舍五入到 {} 位小数）",
                crate::performance::RATE_DECIMALS
            ),
            &[
                Operand::derived("全年执行数合计", e),
                Operand::derived("全年预算数合计", b),
            ],
        );
    }
    let execution_score = opt(&score.and_then(|s| s.execution_score));
    if let (Some(s), Some(rate)) = (score.and_then(|s| s.execution_score), rate) {
        let formula = if scoring.execution_policy().per_point {
            "分值 − (100 − 执行率)，不低于 0、不高于分值（四舍五入到 2 位小数）"
        } else {
            "分值 × 执行率（执行率不超过 100%，四舍五入到 2 位小数）"
        };
        r.record(
            "execution_score",
            &dec(&s),
            formula,
            &[weight_op.clone(), number("预算执行率（%）", rate, None)],
        );
    }

    // 指标：分值、指标值、完成率、得分；一级指标的分值在其第一行。
    // An unscored 自评表 still lists every indicator (with no score).
    let indicator_scores = score
        .map(|s| s.indicator_scores.clone())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (k, i) in p.indicators.iter().enumerate() {
        let s = indicator_scores.get(k).copied().flatten();
        let key = format!("rows[{k}]");
        rows.push(row(&mut r, &key, p, i, s, score.is_some(), dp));
    }

    // 总分与等级。
    let total = score.map(|s| dec(&s.total)).unwrap_or_default();
    let grade = score.map(|s| s.grade.clone()).unwrap_or_default();
    if let Some(s) = score {
        total_records(&mut r, p, s, &scoring);
    }

    // 支付明细表：使用比例 = 使用金额 ÷ 预算金额。
    let mut payments = Vec::new();
    for (k, x) in p.payments.iter().enumerate() {
        let key = format!("payments[{k}]");
        let used = Operand::fact(format!("{} 使用金额", x.item.value), &x.used);
        let planned = Operand::fact(format!("{} 预算金额", x.item.value), &x.budget);
        let mut fact = |field: &str, label: &str, a: &Amount| {
            let text = arith::money_text(a.value);
            r.record(
                &format!("{key}.{field}"),
                &text,
                "输入",
                &[Operand::fact(format!("{} {label}", x.item.value), a)],
            );
            text
        };
        let row = PaymentRow {
            number: (k + 1).to_string(),
            item: x.item.value.clone(),
            budget: fact("budget", "预算金额", &x.budget),
            applied: fact("applied", "申请金额", &x.applied),
            used: fact("used", "使用金额", &x.used),
            ratio: arith::share_text(x.used.value, x.budget.value, dp),
        };
        r.record(
            &format!("{key}.ratio"),
            &row.ratio,
            "使用金额 ÷ 预算金额 × 100%（四舍五入）",
            &[used, planned],
        );
        payments.push(row);
    }
    let payments_total = (!p.payments.is_empty()).then(|| {
        let mut sum = |field: &str, label: &str, f: fn(&crate::model::Payment) -> &Amount| {
            let parts: Vec<Operand> = p
                .payments
                .iter()
                .map(|x| Operand::fact(format!("{} {label}", x.item.value), f(x)))
                .collect();
            let value: Money = parts.iter().map(|o| o.value).sum();
            let formula = parts
                .iter()
                .map(|o| o.label.as_str())
                .collect::<Vec<_>>()
                .join(" + ");
            r.record(
                &format!("payments_total.{field}"),
                &arith::money_text(value),
                &formula,
                &parts,
            );
            value
        };
        let budget = sum("budget", "预算金额", |x| &x.budget);
        let applied = sum("applied", "申请金额", |x| &x.applied);
        let used = sum("used", "使用金额", |x| &x.used);
        let ratio = arith::share_text(used, budget, dp);
        r.record(
            "payments_total.ratio",
            &ratio,
            "使用金额合计 ÷ 预算金额合计 × 100%（四舍五入）",
            &[
                Operand::derived("使用金额合计", used),
                Operand::derived("预算金额合计", budget),
            ],
        );
        PaymentRow {
            number: String::new(),
            item: "合计".into(),
            budget: arith::money_text(budget),
            applied: arith::money_text(applied),
            used: arith::money_text(used),
            ratio,
        }
    });

    // 工作量及同比。
    let mut workloads = Vec::new();
    for (k, w) in p.workloads.iter().enumerate() {
        let key = format!("workloads[{k}]");
        let current = number(
            format!("{}（本年）", w.name.value),
            Decimal::from(w.current.value),
            w.current.loc.as_ref(),
        );
        r.record(
            &format!("{key}.current"),
            &w.current.value.to_string(),
            "输入",
            std::slice::from_ref(&current),
        );
        let change = w.prior.as_ref().map(|pr| {
            let c = arith::count_change(w.current.value, pr.value, dp);
            let printed = match c.kind {
                arith::ChangeKind::Flat => "与上年持平".to_string(),
                arith::ChangeKind::New => "上年为0".to_string(),
                _ => format!("同比{}{}%", c.trend, c.percent.as_deref().unwrap_or("—")),
            };
            r.record(
                &format!("{key}.change"),
                &printed,
                "|本年 − 上年| ÷ 上年 × 100%（四舍五入）",
                &[
                    current.clone(),
                    number(
                        format!("{}（上年）", w.name.value),
                        Decimal::from(pr.value),
                        pr.loc.as_ref(),
                    ),
                ],
            );
            c
        });
        workloads.push(WorkloadDoc {
            name: w.name.value.clone(),
            unit: w.unit.value.clone(),
            current: w.current.value,
            change,
        });
    }

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
        initial_budget,
        budget,
        budget_appropriation,
        budget_other,
        arrived,
        arrived_appropriation,
        arrived_other,
        executed,
        executed_appropriation,
        executed_other,
        goal: p.goal.value.clone(),
        outcome: p.outcome.value.clone(),
        goal_completion,
        problems: p.problems.value.clone(),
        suggestions: p.suggestions.value.clone(),
        budget_upper,
        budget_county,
        executed_upper,
        executed_county,
        execution_weight,
        execution_rate,
        execution_score,
        rows,
        total,
        grade,
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
        payments,
        payments_total,
        workloads,
    }
}

/// One indicator's row, its figures recorded under `<sheet>.rows[k]`.
fn row(
    r: &mut Recorder,
    key: &str,
    p: &ProjectEvaluation,
    i: &Indicator,
    score: Option<Decimal>,
    scored: bool,
    dp: u32,
) -> IndicatorRow {
    let unit = &i.unit.value;
    let level3 = &i.level3.value;
    let quantity = match &i.measure {
        Measure::Positive { target, actual } => Some(("≥", target, actual)),
        Measure::Reverse { target, actual } => Some(("≤", target, actual)),
        Measure::Equal { target, actual } => Some(("=", target, actual)),
        _ => None,
    };
    let target_op =
        quantity.map(|(_, t, _)| number(format!("{level3} 年度指标值"), *t, i.target_loc.as_ref()));
    let actual_op =
        quantity.map(|(_, _, a)| number(format!("{level3} 实际完成值"), *a, i.actual_loc.as_ref()));
    let (target, actual) = match quantity {
        Some((sign, t, a)) => {
            let target = format!("{sign}{}{unit}", dec(t));
            let actual = format!("{}{unit}", dec(a));
            if let (Some(t), Some(a)) = (&target_op, &actual_op) {
                r.record(
                    &format!("{key}.target"),
                    &target,
                    "输入",
                    std::slice::from_ref(t),
                );
                r.record(
                    &format!("{key}.actual"),
                    &actual,
                    "输入",
                    std::slice::from_ref(a),
                );
            }
            (target, actual)
        }
        None => {
            // Words, or a figure typed as text (“55%”): the latter is recorded as typed.
            for (field, label, t) in [
                ("target", "年度指标值", &i.target_text),
                ("actual", "实际完成值", &i.actual_text),
            ] {
                if t.value.chars().any(|c| c.is_ascii_digit()) {
                    r.m.ledger.record_text(
                        &format!("{}.{key}.{field}", r.id),
                        &t.value,
                        &format!("{level3} {label}"),
                        t.loc.as_ref(),
                    );
                }
            }
            (i.target_text.value.clone(), i.actual_text.value.clone())
        }
    };

    let group: Vec<&Indicator> = p
        .indicators
        .iter()
        .filter(|j| j.level1.value == i.level1.value)
        .collect();
    let level1_first = group.first().is_some_and(|g| std::ptr::eq(*g, i));
    let level1_weight = dec(&group.iter().map(|j| j.weight.value).sum());
    // An unweighted (unscored) indicator's 分值 is no figure: its group's weight is not printed.
    if level1_first && group.iter().any(|j| j.weighted) {
        let parts: Vec<Operand> = group
            .iter()
            .filter(|j| j.weighted)
            .map(|j| weight_operand(format!("{} 分值", j.level3.value), &j.weight))
            .collect();
        r.record(
            &format!("{key}.level1_weight"),
            &level1_weight,
            &format!("Σ 一级指标“{}”下各指标分值", i.level1.value),
            &parts,
        );
    }

    let weight_op = weight_operand(format!("{level3} 分值"), &i.weight);
    let weight = if i.weighted {
        let text = dec(&i.weight.value);
        r.record(
            &format!("{key}.weight"),
            &text,
            "输入",
            std::slice::from_ref(&weight_op),
        );
        text
    } else {
        String::new()
    };

    let rate = scoring::completion_rate(&i.measure, dp);
    let completion = rate
        .map(|c| format!("{}%", arith::percent_text(c, dp)))
        .unwrap_or_else(|| match &i.measure {
            Measure::NotApplicable => "不适用".into(),
            _ => "—".into(),
        });
    let measure_ops: Vec<Operand> = match (&i.measure, &actual_op, &target_op) {
        (Measure::Qualitative { tier, fraction }, _, _) => vec![number(
            format!("{level3} 得分比例（{}）", tier_label(*tier)),
            *fraction,
            i.actual_loc.as_ref(),
        )],
        (Measure::Binary { achieved }, _, _) => vec![number(
            format!(
                "{level3} 是否达成（{}）",
                if *achieved { "是" } else { "否" }
            ),
            if *achieved {
                Decimal::ONE
            } else {
                Decimal::ZERO
            },
            i.actual_loc.as_ref(),
        )],
        (_, Some(a), Some(t)) => vec![a.clone(), t.clone()],
        _ => Vec::new(),
    };
    if rate.is_some() {
        r.record(
            &format!("{key}.completion"),
            &completion,
            completion_formula(&i.measure),
            &measure_ops,
        );
    }

    let score_text = if scored {
        score.as_ref().map(dec).unwrap_or_else(|| "—".into())
    } else {
        String::new()
    };
    if let (true, Some(_)) = (scored, score) {
        let mut inputs = vec![weight_op];
        inputs.extend(measure_ops);
        r.record(
            &format!("{key}.score"),
            &score_text,
            score_formula(&i.measure),
            &inputs,
        );
    }

    IndicatorRow {
        explanation: i.explanation.value.clone(),
        criteria: i.criteria.value.clone(),
        level1_first,
        level1_rows: group.len(),
        level1_weight,
        level1: i.level1.value.clone(),
        level2: i.level2.value.clone(),
        level3: level3.clone(),
        target,
        actual,
        weight,
        completion,
        score: score_text,
        reason: clause(&i.reason.value),
    }
}

fn tier_label(t: scoring::Tier) -> &'static str {
    match t {
        scoring::Tier::Achieved => "达成",
        scoring::Tier::Partly => "部分达成",
        scoring::Tier::NotAchieved => "未达成",
    }
}

fn completion_formula(m: &Measure) -> &'static str {
    match m {
        Measure::Positive { .. } => "实际完成值 ÷ 年度指标值 × 100%（目标值为 0 时 100%）",
        Measure::Reverse { .. } => {
            "实际完成值 ≤ 年度指标值 时 100%，否则 年度指标值 ÷ 实际完成值 × 100%"
        }
        Measure::Equal { .. } => "(1 − |实际完成值 − 年度指标值| ÷ 年度指标值) × 100%，不低于 0",
        Measure::Binary { .. } => "达成 100%，未达成 0%",
        Measure::Qualitative { .. } | Measure::NotApplicable => "",
    }
}

fn score_formula(m: &Measure) -> &'static str {
    match m {
        Measure::Positive { .. } => {
            "分值 × min(1, 实际完成值 ÷ 年度指标值)（目标值为 0 时满分；四舍五入到 2 位小数）"
        }
        Measure::Reverse { .. } => {
            "实际完成值 ≤ 年度指标值 得满分，否则 分值 × 年度指标值 ÷ 实际完成值（四舍五入到 2 位小数）"
        }
        Measure::Equal { .. } => {
            "分值 × max(0, 1 − |实际完成值 − 年度指标值| ÷ 年度指标值)（四舍五入到 2 位小数）"
        }
        Measure::Qualitative { .. } => "分值 × 得分比例（四舍五入到 2 位小数）",
        Measure::Binary { .. } => "达成得满分，未达成得 0 分",
        Measure::NotApplicable => "",
    }
}

/// 总分 (the printed indicator scores added up, rescaled when some are not applicable; with the
/// 执行率 score unless the form scores it outside the total) and 等级 in the form's bands.
fn total_records(r: &mut Recorder, p: &ProjectEvaluation, s: &ProjectScore, scoring: &Scoring) {
    let outside = scoring.execution_policy().outside_total;
    let mut inputs = Vec::new();
    // As `scoring::total`: rescaled when an item of non-zero 分值 is not applicable.
    let mut applicable = true;
    if !outside {
        match s.execution_score {
            Some(e) => inputs.push(Operand::derived("预算执行率得分", Money(e))),
            None => applicable &= p.execution_weight.value.is_zero(),
        }
    }
    for (i, score) in p.indicators.iter().zip(&s.indicator_scores) {
        match score {
            Some(v) => inputs.push(Operand::derived(
                format!("{} 得分", i.level3.value),
                Money(*v),
            )),
            None => applicable &= i.weight.value.is_zero(),
        }
    }
    let mut formula = String::from("Σ 各指标得分");
    if !outside && s.execution_score.is_some() {
        formula.push_str(" + 预算执行率得分");
    }
    if !applicable {
        formula.push_str(
            "，有不适用的项，按百分制折算：Σ 适用项得分 × Σ 全部分值 ÷ Σ 适用分值（四舍五入到 2 位小数）",
        );
    }
    if outside {
        formula.push_str("（本表式的预算执行率得分不计入总分）");
    }
    r.record("total", &dec(&s.total), &formula, &inputs);
    r.record(
        "grade",
        &s.grade,
        &grade_formula(scoring),
        &[Operand::derived("总分", Money(s.total))],
    );
}

/// “总分 ≥ 90 为优，≥ 80 为良，≥ 60 为中，其余为差”, from the form's bands; a band no source
/// states is marked so.
pub(super) fn grade_formula(scoring: &Scoring) -> String {
    let last = scoring.grades.len().saturating_sub(1);
    let bands: Vec<String> = scoring
        .grades
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let unverified = if g.verified {
                ""
            } else {
                "（分数线未经核实）"
            };
            if k == last {
                format!("其余为{}{unverified}", g.label)
            } else {
                format!("≥ {} 为{}{unverified}", dec(&g.min), g.label)
            }
        })
        .collect();
    format!("总分 {}", bands.join("，"))
}
