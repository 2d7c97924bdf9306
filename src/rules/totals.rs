//! 公开01表 收入支出决算总表的平衡关系（R001–R005、R022）。

use super::{Part, check_declared, check_equal, codes};
use crate::diagnostic::Diagnostics;
use crate::model::Totals;
use crate::model::{Bureau, FunctionItem};
use crate::money::Money;

pub(super) fn check(b: &Bureau, totals: &Totals, d: &mut Diagnostics) {
    let given = |parts: &[Part]| parts.iter().map(|p| p.given).sum::<usize>();
    let i = &b.income;
    let sources: Vec<Part> = i.sources().iter().map(|(l, a)| Part::fact(l, a)).collect();
    if let Some(declared) = &i.declared_total {
        check_declared(
            d,
            b,
            codes::INCOME_TOTAL,
            "本年收入合计",
            declared,
            "各项收入之和",
            &sources,
        );
    }
    if let Some(declared) = &i.declared_grand_total {
        let parts = [
            Part::sum("本年收入合计", totals.income, given(&sources)),
            Part::fact("使用非财政拨款结余", &i.reserve_used),
            Part::fact("年初结转和结余", &i.opening_balance),
        ];
        check_declared(
            d,
            b,
            codes::INCOME_GRAND_TOTAL,
            "收入总计",
            declared,
            "本年收入合计与结余之和",
            &parts,
        );
    }
    let s = &b.spending;
    let natures: Vec<Part> = s.natures().iter().map(|(l, a)| Part::fact(l, a)).collect();
    if let Some(declared) = &s.declared_total {
        check_declared(
            d,
            b,
            codes::SPENDING_TOTAL,
            "本年支出合计",
            declared,
            "各项支出之和",
            &natures,
        );
    }
    if let Some(declared) = &s.declared_grand_total {
        let parts = [
            Part::sum("本年支出合计", totals.spending, given(&natures)),
            Part::fact("结余分配", &s.balance_allocation),
            Part::fact("年末结转和结余", &s.closing_balance),
        ];
        check_declared(
            d,
            b,
            codes::SPENDING_GRAND_TOTAL,
            "支出总计",
            declared,
            "本年支出合计与结余之和",
            &parts,
        );
    }
    // The 总计 on either side is the sum of its typed lines (or, within their 尾差, the source's
    // own figure): its tolerance counts those lines.
    let income_given = given(&sources)
        + usize::from(i.reserve_used.loc.is_some())
        + usize::from(i.opening_balance.loc.is_some());
    let spending_given = given(&natures)
        + usize::from(s.balance_allocation.loc.is_some())
        + usize::from(s.closing_balance.loc.is_some());
    let mut related: Vec<Part> = sources;
    related.extend(natures);
    related.extend([
        Part::fact("使用非财政拨款结余", &i.reserve_used),
        Part::fact("年初结转和结余", &i.opening_balance),
        Part::fact("结余分配", &s.balance_allocation),
        Part::fact("年末结转和结余", &s.closing_balance),
    ]);
    check_equal(
        d,
        b,
        codes::BALANCE,
        &Part {
            fact: i.declared_grand_total.as_ref().or(Some(&i.general_budget)),
            ..Part::sum("收入总计", totals.income_grand, income_given)
        },
        &Part::sum("支出总计", totals.spending_grand, spending_given),
        &related,
        "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余。两者必须相等，核对结转结余和各项收支。",
    );

    // Appropriation spending by nature cannot exceed the unit's spending by nature.
    let a = &b.appropriation;
    let items: Vec<&FunctionItem> = [&a.general_budget, &a.gov_fund, &a.state_capital]
        .iter()
        .flat_map(|f| f.items.iter())
        .collect();
    let basic: Money = items.iter().map(|i| i.basic.value).sum();
    let project: Money = items.iter().map(|i| i.project.value).sum();
    let count = |pick: fn(&FunctionItem) -> &crate::model::Amount| {
        items.iter().filter(|i| pick(i).loc.is_some()).count()
    };
    for (label, appr, total, given) in [
        ("基本支出", basic, &s.basic, count(|i| &i.basic)),
        ("项目支出", project, &s.project, count(|i| &i.project)),
    ] {
        if appr > total.value {
            let left_label = format!("财政拨款{label}（各项之和）");
            let right_label = format!("本年{label}");
            check_equal(
                d,
                b,
                codes::APPROPRIATION_WITHIN_SPENDING,
                &Part {
                    fact: Some(total),
                    ..Part::sum(&left_label, appr, given)
                },
                &Part::fact(&right_label, total),
                &[],
                "财政拨款各功能分类明细的基本/项目支出之和，不能超过单位本年的基本/项目支出（后者还含其他资金）。",
            );
        }
    }
}
