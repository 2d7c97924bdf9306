//! 绩效评价报告所列的合计（R040 人员概况、R041 收入、项目支出、年初预算）：报告里照原文录入的合计
//! 只用来核对，与事实或其组成部分比较。

use super::{Part, check_declared};
use crate::diagnostic::codes;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Bureau, Count};

pub fn check(b: &Bureau, d: &mut Diagnostics) {
    let Some(dep) = &b.performance.department else {
        return;
    };
    // 财政资金收入 = 财政拨款收入合计（一般公共预算 + 政府性基金 + 国有资本经营）。
    if let Some(declared) = &dep.declared_income {
        let i = &b.income;
        let parts = [
            Part::fact("一般公共预算财政拨款收入", &i.general_budget),
            Part::fact("政府性基金预算财政拨款收入", &i.gov_fund),
            Part::fact("国有资本经营预算财政拨款收入", &i.state_capital),
        ];
        check_declared(
            d,
            b,
            codes::REPORT_TOTALS,
            "部门整体绩效报告所列财政资金收入",
            declared,
            "财政拨款收入合计",
            &parts,
        );
    }
    // 项目支出 = 各项目全年执行数之和（报告“专项预算管理”所列）。
    if let Some(declared) = &dep.declared_project_spending {
        let labels: Vec<String> = b
            .performance
            .projects
            .iter()
            .map(|p| format!("{}全年执行数", p.name.value))
            .collect();
        let parts: Vec<Part> = b
            .performance
            .projects
            .iter()
            .zip(&labels)
            .filter_map(|(p, label)| {
                let given =
                    usize::from(p.executed.is_some()) + usize::from(p.other_executed.is_some());
                p.executed_total().map(|v| Part::sum(label, v, given))
            })
            .collect();
        check_declared(
            d,
            b,
            codes::REPORT_TOTALS,
            "部门整体绩效报告所列项目支出",
            declared,
            "各项目全年执行数之和",
            &parts,
        );
    }
    if let Some(r) = &dep.report {
        // 年初预算数 = 年初基本支出 + 年初项目支出。
        if let (Some(initial), Some(basic), Some(project)) =
            (&dep.initial_budget, &r.initial_basic, &r.initial_project)
        {
            check_declared(
                d,
                b,
                codes::REPORT_TOTALS,
                "年初预算数",
                initial,
                "年初基本支出 + 年初项目支出",
                &[
                    Part::fact("年初基本支出", basic),
                    Part::fact("年初项目支出", project),
                ],
            );
        }
        // 人员概况的合计：照原文所列，与各类人数之和核对（人数没有尾差）。
        let established: Vec<&crate::model::Staff> =
            r.staff.iter().filter(|s| !s.contract).collect();
        let contract: Vec<&crate::model::Staff> = r.staff.iter().filter(|s| s.contract).collect();
        staff_total(d, &r.declared_contract, "编外人员合计", &contract);
        staff_total(d, &r.declared_staff, "在编实有人数合计", &established);
    }
    for p in &b.performance.projects {
        for (key, declared) in [
            ("declared_income", &p.declared_income),
            ("declared_project_spending", &p.declared_project_spending),
        ] {
            if let Some(declared) = declared {
                d.push(
                    Diagnostic::of(codes::VALUE, format!("项目“{}”填了 {key}", p.name.value))
                        .at_opt(declared.loc.as_ref())
                        .hint(format!(
                            "{key} 是部门整体报告所列的合计，只写在 [performance.department]。"
                        )),
                );
            }
        }
    }
}

/// A declared head count against the sum of its rows; counts are exact, so any difference is an
/// error, reported at the declared figure with each row's count.
fn staff_total(
    d: &mut Diagnostics,
    declared: &Option<Count>,
    label: &str,
    rows: &[&crate::model::Staff],
) {
    let Some(declared) = declared else {
        return;
    };
    let sum = rows
        .iter()
        .fold(0i64, |acc, s| acc.saturating_add(s.actual.value));
    if sum == declared.value {
        return;
    }
    let breakdown = if rows.is_empty() {
        "没有填写任何一类".to_string()
    } else {
        rows.iter()
            .map(|s| format!("{} {}", s.category.value, s.actual.value))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let mut diag = Diagnostic::of(
        codes::REPORT_STAFF,
        format!(
            "绩效报告所列{label} {} ≠ 各类人数之和 {sum}（差 {}）",
            declared.value,
            declared.value.saturating_sub(sum)
        ),
    )
    .at_opt(declared.loc.as_ref())
    .hint(format!(
        "各类人数：{breakdown}。核对报告原文：合计与各类人数至少有一处录入有误。"
    ));
    for s in rows {
        if let Some(loc) = &s.actual.loc {
            diag = diag.related(loc, format!("{} {}", s.category.value, s.actual.value));
        }
    }
    d.push(diag);
}
