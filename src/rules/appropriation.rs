//! 财政拨款的平衡关系与一般公共预算的层级合计（R006–R010）。

use super::{Part, check_declared, check_equal, codes};
use crate::catalog::Level;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::form::layouts::Shape;
use crate::model::{Amount, Bureau, Fund};
use crate::money::Money;

pub(super) fn check(b: &Bureau, d: &mut Diagnostics) {
    let i = &b.income;
    let a = &b.appropriation;
    if let Some(declared) = &a.declared_income_total {
        let parts = [
            Part::fact("一般公共预算财政拨款收入", &i.general_budget),
            Part::fact("政府性基金预算财政拨款收入", &i.gov_fund),
            Part::fact("国有资本经营预算财政拨款收入", &i.state_capital),
        ];
        check_declared(
            d,
            b,
            codes::APPROPRIATION_TOTAL,
            "财政拨款收入合计",
            declared,
            "三项财政拨款收入之和",
            &parts,
        );
    }
    if let Some(declared) = &a.declared_grand_total {
        let parts = [
            Part::fact("一般公共预算财政拨款收入", &i.general_budget),
            Part::fact("政府性基金预算财政拨款收入", &i.gov_fund),
            Part::fact("国有资本经营预算财政拨款收入", &i.state_capital),
            Part::fact(
                "年初一般公共预算财政拨款结转和结余",
                &a.general_budget.opening_balance,
            ),
            Part::fact(
                "年初政府性基金预算财政拨款结转和结余",
                &a.gov_fund.opening_balance,
            ),
            Part::fact(
                "年初国有资本经营预算财政拨款结转和结余",
                &a.state_capital.opening_balance,
            ),
        ];
        check_declared(
            d,
            b,
            codes::APPROPRIATION_TOTAL,
            "财政拨款收入支出总计",
            declared,
            "本年财政拨款收入与年初财政拨款结转和结余之和",
            &parts,
        );
    }
    for (label, income, fund) in [
        ("一般公共预算财政拨款", &i.general_budget, &a.general_budget),
        ("政府性基金预算财政拨款", &i.gov_fund, &a.gov_fund),
        (
            "国有资本经营预算财政拨款",
            &i.state_capital,
            &a.state_capital,
        ),
    ] {
        fund_balance(b, d, label, income, fund);
    }

    for (key, label, fund) in b.appropriation.funds() {
        economic_split(b, d, key, label, fund);
    }

    let gb = &b.general_budget;
    let items = &a.general_budget.items;
    for (code, declared) in &gb.declared_subtotals {
        let level = Level::of(&code.value);
        if !matches!(level, Some(Level::Class | Level::Section)) {
            d.push(
                Diagnostic::of(
                    codes::CODE_FORMAT,
                    format!(
                        "declared_subtotals 的键 `{}` 不是类（3 位）或款（5 位）编码",
                        code.value
                    ),
                )
                .at_opt(code.loc.as_ref())
                .hint("写成 \"201\" = 218.76 或 \"20103\" = 217.51。"),
            );
            continue;
        }
        let under: Vec<Part> = items
            .iter()
            .filter(|i| i.code.value.starts_with(&code.value))
            .map(|i| Part::derived(&i.name, i.actual()))
            .collect();
        if under.is_empty() {
            d.push(
                Diagnostic::of(
                    codes::SUBTOTAL,
                    format!(
                        "所列科目 {} 合计 {}，但其下没有任何项级明细",
                        code.value, declared.value
                    ),
                )
                .at_opt(code.loc.as_ref())
                .hint("补上该类/款下的项级明细，或删去这一合计。"),
            );
            continue;
        }
        let name = b
            .catalog
            .get(&code.value)
            .map(|c| c.name.as_str())
            .unwrap_or("");
        let label = format!(
            "{} {name}（{}）合计",
            code.value,
            level.map(|l| l.label()).unwrap_or("")
        );
        check_declared(
            d,
            b,
            codes::SUBTOTAL,
            &label,
            declared,
            "其下各项之和",
            &under,
        );
    }

    // Every budget line counts, the 项 without spending that no table lists included.
    let budgets: Vec<Part> = a
        .general_budget
        .budget_lines()
        .filter_map(|i| {
            i.budget_base(b.identity.form.policy.completion_base)
                .map(|a| Part::fact(&i.name, a))
        })
        .collect();
    if let Some(declared) = &gb.declared_budget {
        check_declared(
            d,
            b,
            codes::BUDGET_TOTAL,
            "一般公共预算财政拨款预算数合计",
            declared,
            "各项预算数之和",
            &budgets,
        );
    }
    let fund = &a.general_budget;
    for (declared, group) in [
        (&gb.declared_personnel, crate::catalog::Group::Personnel),
        (&gb.declared_operating, crate::catalog::Group::Operating),
    ] {
        let Some(declared) = declared else { continue };
        let parts: Vec<Part> = fund
            .economic
            .iter()
            .filter(|e| e.group == group)
            .map(|e| Part::fact(&e.name, &e.basic))
            .collect();
        check_declared(
            d,
            b,
            codes::ECONOMIC_TOTAL,
            &format!("{}合计", group.label()),
            declared,
            "其下各经济分类款的基本支出之和",
            &parts,
        );
    }

    // The 合计 row's 基本支出 and 项目支出 as printed, against the 项 above them.
    for (declared, nature, pick) in [
        (
            &gb.declared_basic,
            "基本支出",
            (|i| &i.basic) as fn(&crate::model::FunctionItem) -> &Amount,
        ),
        (&gb.declared_project, "项目支出", |i| &i.project),
    ] {
        let Some(declared) = declared else { continue };
        let parts: Vec<Part> = items.iter().map(|i| Part::fact(&i.name, pick(i))).collect();
        check_declared(
            d,
            b,
            codes::SUBTOTAL,
            &format!("一般公共预算财政拨款{nature}合计"),
            declared,
            &format!("各项{nature}之和"),
            &parts,
        );
    }
    // 人员经费合计 + 公用经费合计, where both are printed, against the 基本支出 the table prints:
    // two identities, each printed figure checked, neither printed in the other's place.
    // (Only where each stands within the 尾差 of its 款: a slip there is reported above, once.)
    let within_parts = |declared: &Amount, group: crate::catalog::Group| {
        let parts = fund.economic.iter().filter(|e| e.group == group);
        crate::money::within_tail(
            b.identity.unit,
            declared.value,
            parts.clone().map(|e| e.basic.value).sum(),
            parts.filter(|e| e.basic.loc.is_some()).count(),
        )
    };
    if let (Some(personnel), Some(operating)) = (&gb.declared_personnel, &gb.declared_operating)
        && within_parts(personnel, crate::catalog::Group::Personnel)
        && within_parts(operating, crate::catalog::Group::Operating)
    {
        let basic_label = "一般公共预算财政拨款基本支出";
        let (basic, basic_given) = match &gb.declared_basic {
            Some(declared) => (declared.value, 1),
            None => (
                fund.basic(),
                items.iter().filter(|i| i.basic.loc.is_some()).count(),
            ),
        };
        let left = Part {
            fact: gb.declared_basic.as_ref(),
            ..Part::sum(basic_label, basic, basic_given)
        };
        let operands = [
            Part::fact("人员经费合计", personnel),
            Part::fact("公用经费合计", operating),
        ];
        let right = Part::sum(
            "人员经费合计 + 公用经费合计",
            personnel.value + operating.value,
            2,
        );
        check_equal(
            d,
            b,
            codes::ECONOMIC_TOTAL,
            &left,
            &right,
            &operands,
            "基本支出按功能分类各项之和（或支出决算表合计行所印）与人员经费合计、公用经费合计之和须一致；核对来源表。",
        );
    }

    if let Some(declared) = &gb.declared_total {
        // Each 类 is the exact sum of the typed 项 under it: its 尾差 counts those figures.
        let classes: Vec<(String, Money, usize)> = b
            .headings(items, 3)
            .into_iter()
            .map(|h| {
                let under = items.iter().filter(|i| i.code.value.starts_with(&h.code));
                let sum = under.clone().map(|i| i.actual()).sum();
                let given = under
                    .map(|i| {
                        usize::from(i.basic.loc.is_some()) + usize::from(i.project.loc.is_some())
                    })
                    .sum();
                (h.name, sum, given)
            })
            .collect();
        let parts: Vec<Part> = classes
            .iter()
            .map(|(n, s, g)| Part::sum(n, *s, *g))
            .collect();
        check_declared(
            d,
            b,
            codes::GENERAL_BUDGET_TOTAL,
            "一般公共预算财政拨款支出",
            declared,
            "各类支出之和",
            &parts,
        );
    }
}

fn fund_balance(b: &Bureau, d: &mut Diagnostics, label: &str, income: &Amount, fund: &Fund) {
    let given = |a: &Amount| usize::from(a.loc.is_some());
    let left_label = format!("{label}：本年收入 + 年初结转和结余");
    let left = Part {
        fact: Some(income),
        ..Part::sum(
            &left_label,
            income.value + fund.opening_balance.value,
            given(income) + given(&fund.opening_balance),
        )
    };
    let right = Part::sum(
        "本年支出 + 年末结转和结余",
        fund.spending() + fund.closing_balance.value,
        given(&fund.closing_balance)
            + fund
                .items
                .iter()
                .map(|i| given(&i.basic) + given(&i.project))
                .sum::<usize>(),
    );
    let operands = [
        Part::fact("本年收入", income),
        Part::fact("年初结转和结余", &fund.opening_balance),
        Part::fact("年末结转和结余", &fund.closing_balance),
        Part::derived("本年支出（各项之和）", fund.spending()),
    ];
    check_equal(
        d,
        b,
        codes::FUND_BALANCE,
        &left,
        &right,
        &operands,
        "每项财政拨款都须收支平衡；本年支出是该资金各功能分类项（basic + project）之和。",
    );
}

/// R008: a fund's 经济分类 lines carry the same 基本支出 and 项目支出 as its 功能分类 items, so
/// 人员经费 + 公用经费 = 基本支出 and the economic tables add up to the function tables.
///
/// A breakdown is demanded only where the chosen table set prints it (the 一般公共预算 基本支出
/// always: the 说明 prints 人员经费 and 公用经费 from it) and checked wherever it is given.
fn economic_split(b: &Bureau, d: &mut Diagnostics, key: &str, label: &str, fund: &Fund) {
    if fund.items.is_empty() && fund.economic.is_empty() {
        return;
    }
    let printed = |column: &str| {
        [Some(key), Some("appropriation")]
            .into_iter()
            .any(|source| b.identity.prints(Shape::Economic, column, source))
    };
    let at = fund
        .economic
        .first()
        .map(|e| &e.basic)
        .or_else(|| fund.items.first().map(|i| &i.basic));
    for (nature, by_function, demanded, pick) in [
        (
            "基本支出",
            fund.basic(),
            key == "general_budget" || printed("basic"),
            (|e| &e.basic) as fn(&crate::model::EconomicItem) -> &Amount,
        ),
        ("项目支出", fund.project(), printed("project"), |e| {
            &e.project
        }),
    ] {
        let given = fund.economic.iter().any(|e| pick(e).loc.is_some());
        if !demanded && !given {
            continue;
        }
        let names: Vec<String> = fund
            .economic
            .iter()
            .map(|e| format!("{} {}", e.code.value, e.name))
            .collect();
        let operands: Vec<Part> = fund
            .economic
            .iter()
            .zip(&names)
            .map(|(e, n)| Part::fact(n, pick(e)))
            .collect();
        let left_label = format!("{label}{nature}（按功能分类各项之和）");
        let left = Part {
            fact: at,
            ..Part::sum(
                &left_label,
                by_function,
                fund.items
                    .iter()
                    .filter(|i| {
                        nature == "基本支出" && i.basic.loc.is_some()
                            || nature == "项目支出" && i.project.loc.is_some()
                    })
                    .count(),
            )
        };
        let right = Part::sum(
            "按经济分类各款之和",
            operands.iter().map(|p| p.amount).sum(),
            operands.iter().map(|p| p.given).sum(),
        );
        check_equal(
            d,
            b,
            codes::BASIC_SPLIT,
            &left,
            &right,
            &operands,
            "同一笔支出按功能分类（items）和按经济分类（economic）各填一遍，两边的基本支出、项目支出必须相等；人员经费、公用经费由经济分类计算。",
        );
    }
}
