//! 十（四）预算绩效管理情况与附件：各项目（及部门整体）的自评得分与等级，绩效自评表，
//! 绩效评价报告，自评汇总，以及上海格式第十章的汇总数。

use super::{
    EvaluationDoc, GradesDoc, IssuesDoc, Maker, ManagementDoc, Operand, PerformanceDoc,
    ProjectsBudgetDoc, ScoreSheet, Totals, clause, given, given_clause, report, sheet,
};
use crate::model::{Bureau, Evaluation, ProjectEvaluation};
use crate::performance::ProjectScore;

pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> PerformanceDoc {
    let id = &b.identity;
    let perf = &b.performance;
    let evaluation = |name: &str, e: &Evaluation| EvaluationDoc {
        name: name.to_string(),
        score: e
            .declared_score
            .as_ref()
            .map(|s| s.value.normalize().to_string())
            .unwrap_or_default(),
        grade: e
            .declared_score
            .as_ref()
            .map(|s| perf.spec.scoring.grade(s.value).to_string())
            .unwrap_or_default(),
        summary: clause(&e.summary.value),
    };
    // Each project (and the department as a whole) is scored once; the 十(四) score and the
    // 自评表 both use the result.
    let scoring = &perf.spec.scoring;
    let department_score = perf
        .department
        .as_ref()
        .and_then(|d| crate::performance::score_project(d, scoring));
    let scores: Vec<Option<ProjectScore>> = perf
        .projects
        .iter()
        .map(|p| crate::performance::score_project(p, scoring))
        .collect();
    let unit_default = &id.name.value;
    let mut sheets: Vec<ScoreSheet> = Vec::new();
    // A sheet for whatever has indicators (scored) or a 支付明细表.
    let has_sheet = |p: &ProjectEvaluation, score: &Option<_>| {
        score.is_some()
            || !p.payments.is_empty()
            || !p.indicators.is_empty()
            || !p.sections.is_empty()
            || p.report.is_some()
    };
    if let Some(d) = &perf.department
        && has_sheet(d, &department_score)
    {
        let mut sheet = sheet::doc(
            m,
            sheets.len(),
            d,
            department_score.as_ref(),
            unit_default,
            id.percent_decimals,
        );
        sheet.whole = true;
        sheets.push(sheet);
    }
    let mut sheet_projects: Vec<Option<usize>> = sheets.iter().map(|_| None).collect();
    for (n, (p, score)) in perf.projects.iter().zip(&scores).enumerate() {
        if has_sheet(p, score) {
            sheets.push(sheet::doc(
                m,
                sheets.len(),
                p,
                score.as_ref(),
                unit_default,
                id.percent_decimals,
            ));
            sheet_projects.push(Some(n));
        }
    }
    for (n, sheet) in sheets.iter_mut().enumerate() {
        sheet.number = n + 1;
    }
    let mut scored = |key: String, p: &ProjectEvaluation, score: &Option<ProjectScore>| {
        let mut doc = evaluation(&p.name.value, &p.evaluation);
        if let Some(score) = score {
            doc.score = score.total.normalize().to_string();
            doc.grade = score.grade.clone();
            let mut inputs = Vec::new();
            for (label, a) in [
                ("全年预算数（财政资金）", &p.budget),
                ("全年预算数（其他资金）", &p.other_budget),
                ("全年执行数（财政资金）", &p.executed),
                ("全年执行数（其他资金）", &p.other_executed),
            ] {
                if let Some(a) = a {
                    inputs.push(Operand::fact(label, a));
                }
            }
            m.ledger.record(
                &key,
                &doc.score,
                "分值 × 预算执行率（不超过分值）+ Σ 各指标得分（不适用指标剔除后按百分制折算）",
                &inputs,
            );
        }
        doc
    };
    let department = perf
        .department
        .as_ref()
        .map(|d| scored("performance.department.score".into(), d, &department_score));
    let projects = perf
        .projects
        .iter()
        .zip(&scores)
        .enumerate()
        .map(|(n, (p, score))| scored(format!("performance.projects[{n}].score"), p, score))
        .collect();
    // 绩效评价报告, before each attachment's table.
    for (sheet, project) in sheets.iter_mut().zip(&sheet_projects) {
        sheet.report = match project {
            None => perf
                .department
                .as_ref()
                .and_then(|d| report::department(m, b, t, d, department_score.as_ref(), &scores)),
            Some(n) => perf.projects.get(*n).and_then(|p| {
                report::project(m, b, *n, p, scores.get(*n).and_then(|s| s.as_ref()))
            }),
        };
    }
    let summary = report::summary(m, b, &scores);
    PerformanceDoc {
        form: perf.form.clone(),
        summary,
        sheets,
        assessed: perf
            .projects
            .iter()
            .filter(|p| p.prior_assessment)
            .map(|p| p.name.value.clone())
            .collect(),
        goals_set: perf.projects.iter().filter(|p| p.goals_set).count(),
        monitored: perf.projects.iter().filter(|p| p.monitored).count(),
        projects,
        department,
        management: perf.management.as_ref().map(|g| {
            // A stage is printed when its project count is given.
            let pb = |p: &crate::model::ProjectsBudget| {
                Some(ProjectsBudgetDoc {
                    projects: given(&p.projects)?,
                    budget: given(&p.budget).map(|b| m.style.money(b)),
                })
            };
            let [excellent, good, pass, fail] = g.grades.each_ref().map(given);
            let [found, fixed, fixing] = g.issues.each_ref().map(given);
            ManagementDoc {
                systems: given_clause(&g.systems),
                mechanism: given_clause(&g.mechanism),
                goals_set: pb(&g.goals_set),
                monitored: pb(&g.monitored),
                self_evaluated: pb(&g.self_evaluated),
                average_score: given(&g.average_score).map(|s| m.style.money(s)),
                grades: GradesDoc {
                    excellent,
                    good,
                    pass,
                    fail,
                },
                issues: IssuesDoc {
                    found,
                    fixed,
                    fixing,
                },
            }
        }),
    }
}
