//! 来源表所印的其余合计：各项合计、总表的“类”行、经济分类“类”合计（R009、R037）。
//!
//! Every 合计 a 公开表 prints can be typed as a `declared_*` fact; it is checked against the
//! lines under it with the one 尾差 policy and never typed anywhere else.

use super::{Part, check_declared, codes};
use crate::catalog::Level;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity};
use crate::model::{Amount, Bureau, Fact, RowTable, TOTAL_ROW};
use crate::money::Money;

pub(super) fn check(b: &Bureau, d: &mut Diagnostics) {
    let a = &b.appropriation;
    for (_, label, fund) in a.funds() {
        for i in &fund.items {
            if let Some(declared) = &i.declared_total {
                let total_label = format!("{label} {} {} 合计", i.code.value, i.name);
                check_declared(
                    d,
                    b,
                    codes::SUBTOTAL,
                    &total_label,
                    declared,
                    "基本支出 + 项目支出",
                    &[
                        Part::fact("基本支出", &i.basic),
                        Part::fact("项目支出", &i.project),
                    ],
                );
            }
        }
    }

    // 财政拨款收入支出决算总表: a 类 row is the appropriation items under it, every fund.
    let appropriation_lines: Vec<Line> = a
        .funds()
        .iter()
        .flat_map(|(_, _, f)| f.items.iter())
        .map(|i| Line {
            code: &i.code.value,
            name: &i.name,
            amount: i.actual(),
            given: given(&[&i.basic, &i.project]),
        })
        .collect();
    class_rows(
        b,
        d,
        "财政拨款收入支出决算总表",
        &a.declared_classes,
        &appropriation_lines,
    );

    // 收入支出决算总表: a 类 row is all the money spent under it, appropriated or not.
    let mut all_lines = appropriation_lines;
    all_lines.extend(b.non_appropriation.iter().map(|i| {
        let columns = i.spending_columns();
        Line {
            code: &i.code.value,
            name: &i.name,
            amount: columns.iter().map(|c| c.value).sum(),
            given: given(&columns),
        }
    }));
    class_rows(
        b,
        d,
        "收入支出决算总表",
        &b.spending.declared_classes,
        &all_lines,
    );

    // A 绩效 report's own typed total: 部门整体“财政资金共支出” = the appropriation spending.
    if let Some(dep) = &b.performance.department
        && let Some(declared) = &dep.declared_spending
    {
        let parts: Vec<Part> = a
            .funds()
            .iter()
            .map(|(_, label, f)| {
                Part::sum(
                    label,
                    f.spending(),
                    f.items.iter().map(|i| given(&[&i.basic, &i.project])).sum(),
                )
            })
            .collect();
        check_declared(
            d,
            b,
            codes::REPORT_SPENDING,
            "部门整体绩效报告所列财政资金支出",
            declared,
            "财政拨款支出合计",
            &parts,
        );
    }
    for p in &b.performance.projects {
        if let Some(declared) = &p.declared_spending {
            d.push(
                Diagnostic::of(
                    crate::diagnostic::codes::VALUE,
                    format!("项目“{}”填了“财政资金支出合计”", p.name.value),
                )
                .at_opt(declared.loc.as_ref())
                .hint("“财政资金支出合计”是部门整体绩效报告所列的数，只填在“部门整体绩效”表的“核对：财政资金支出”一行，不填在项目中。")
                .hint("TOML 中写在 [performance.department] 下：declared_spending = …"),
            );
        }
    }

    // Rows of a 公开表 declared by column: each against the lines its table adds up there.
    for row in &b.declared_rows {
        let code = row.code.value.as_str();
        let whole = code == TOTAL_ROW;
        for (column, declared) in &row.cells {
            let lines = b.column_lines(row.table, *column);
            let under: Vec<Part> = lines
                .iter()
                .filter(|l| whole || l.code.starts_with(code))
                .map(|l| match l.fact {
                    Some(f) => Part::fact(l.name, f),
                    None => Part::sum(l.name, l.value, l.given),
                })
                .collect();
            let label = if whole {
                let row_name = match row.table {
                    RowTable::Appropriation => "本年支出合计行",
                    _ => "合计行",
                };
                format!("{}{row_name}“{}”", row.table.title(), column.label())
            } else {
                let name = lines
                    .iter()
                    .find(|l| l.code == code)
                    .map(|l| l.name.to_string())
                    .or_else(|| match row.table {
                        RowTable::GeneralBudgetEconomic
                        | RowTable::GeneralBudgetBasic
                        | RowTable::AppropriationEconomic
                        | RowTable::GeneralBudgetProject => {
                            b.catalog.economic(code).map(|c| c.name.clone())
                        }
                        _ => b.catalog.get(code).map(|c| c.name.clone()),
                    })
                    .unwrap_or_default();
                format!("{} {code} {name}“{}”", row.table.title(), column.label())
            };
            let before = d.0.len();
            check_declared(
                d,
                b,
                codes::SUBTOTAL,
                &label,
                declared,
                if whole {
                    "各项之和"
                } else {
                    "其下各项之和"
                },
                &under,
            );
            // An error names the typed figure, so it is placed at its 分列合计 cell or its
            // `[[declared_rows]]` entry (`SourceFile::place_facts`).
            for x in d.0[before..]
                .iter_mut()
                .filter(|x| x.severity == Severity::Error)
            {
                x.fact = Some(format!("declared_rows[{}].{}", row.index, column.key()));
            }
        }
    }

    // 经济分类 类 totals of the 一般公共预算 (basic + project of the 款 under it).
    let economic: Vec<Line> = a
        .general_budget
        .economic
        .iter()
        .map(|e| Line {
            code: &e.code.value,
            name: &e.name,
            amount: e.actual(),
            given: given(&[&e.basic, &e.project]),
        })
        .collect();
    subtotals(
        b,
        d,
        codes::ECONOMIC_TOTAL,
        "一般公共预算财政拨款经济分类",
        &b.general_budget.declared_economic_subtotals,
        &economic,
        3,
    );
}

/// One line that adds into a declared total by its code's prefix.
struct Line<'a> {
    code: &'a str,
    name: &'a str,
    amount: Money,
    given: usize,
}

fn given(amounts: &[&Amount]) -> usize {
    amounts.iter().filter(|a| a.loc.is_some()).count()
}

fn class_rows(
    b: &Bureau,
    d: &mut Diagnostics,
    table: &str,
    declared: &[(Fact<String>, Amount)],
    lines: &[Line<'_>],
) {
    for (code, _) in declared {
        if Level::of(&code.value) != Some(Level::Class) {
            d.push(
                Diagnostic::of(
                    codes::CODE_FORMAT,
                    format!("{table}的类合计的科目编码 `{}` 不是 3 位类编码", code.value),
                )
                .at_opt(code.loc.as_ref())
                .hint(format!(
                    "在“{}”表的“科目编码”列填 3 位类编码（如 201），“合计”列填该类所印的合计。",
                    sheet_of_classes(table)
                ))
                .hint("TOML 中写作 \"201\" = 218.76。"),
            );
        }
    }
    let declared: Vec<_> = declared
        .iter()
        .filter(|(c, _)| Level::of(&c.value) == Some(Level::Class))
        .cloned()
        .collect();
    subtotals(b, d, codes::SUBTOTAL, table, &declared, lines, 3);
}

/// Each declared total against the lines whose code starts with its key.
fn subtotals(
    b: &Bureau,
    d: &mut Diagnostics,
    code: Code,
    table: &str,
    declared: &[(Fact<String>, Amount)],
    lines: &[Line<'_>],
    len: usize,
) {
    for (key, total) in declared {
        if key.value.len() != len {
            d.push(
                Diagnostic::of(
                    codes::CODE_FORMAT,
                    format!(
                        "{table}的类合计的科目编码 `{}` 应为 {len} 位编码",
                        key.value
                    ),
                )
                .at_opt(key.loc.as_ref())
                .hint(format!(
                    "在“{}”表的“科目编码”列填 {len} 位类编码，“合计”列填该类所印的合计。",
                    sheet_of_classes(table)
                )),
            );
            continue;
        }
        let under: Vec<Part> = lines
            .iter()
            .filter(|l| l.code.starts_with(&key.value))
            .map(|l| Part::sum(l.name, l.amount, l.given))
            .collect();
        let name = lines
            .iter()
            .find(|l| l.code == key.value)
            .map(|l| l.name.to_string())
            .or_else(|| b.catalog.get(&key.value).map(|c| c.name.clone()))
            .or_else(|| b.catalog.economic(&key.value).map(|c| c.name.clone()))
            .unwrap_or_default();
        let label = format!("{table} {} {name} 合计", key.value);
        check_declared(d, b, code, &label, total, "其下各项之和", &under);
    }
}

/// The workbook sheet where a table's declared 类 totals are written.
fn sheet_of_classes(table: &str) -> &'static str {
    match table {
        "收入支出决算总表" => "总表类合计",
        "财政拨款收入支出决算总表" => "财政拨款类合计",
        _ => "经济分类类合计",
    }
}
