//! 上海格式起用的汇总事实：车辆合计与类别、中小企业中标成交金额、预算绩效管理汇总数、单位构成、人次与团组批次（R042–R047）。
//!
//! Each check is between facts of one input (no form-specific wording): a total the source prints
//! against its parts, a part against the whole it belongs to, a count against the count of the
//! things it counts.

use rust_decimal::Decimal;

use super::{codes, tolerance};
use crate::arith::money_text;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::model::Totals;
use crate::model::{Bureau, Count};
use crate::money::Money;

pub(super) fn check(b: &Bureau, totals: &Totals, d: &mut Diagnostics) {
    vehicles(b, d);
    awarded(b, totals, d);
    management(b, d);
    units(b, d);
    people(b, d);
}

/// R042: 共有车辆X辆 = Σ 各类; R043: each kind is one of the form's categories.
fn vehicles(b: &Bureau, d: &mut Diagnostics) {
    let a = &b.assets;
    if let Some(declared) = &a.declared_vehicles {
        let sum = a
            .vehicles
            .iter()
            .fold(0i64, |s, v| s.saturating_add(v.count.value));
        if declared.value != sum {
            let breakdown = a
                .vehicles
                .iter()
                .map(|v| format!("{} {}", v.kind.value, v.count.value))
                .collect::<Vec<_>>()
                .join(" + ");
            let mut diag = Diagnostic::of(
                codes::VEHICLES_TOTAL,
                format!(
                    "车辆合计 {} 辆 ≠ 各类车辆之和 {sum} 辆（差 {}）",
                    declared.value,
                    declared.value.saturating_sub(sum)
                ),
            )
            .at_opt(declared.loc.as_ref())
            .hint("核对来源：“共有车辆X辆”与其后各类车辆的辆数至少有一处录入有误；辆数是整数，没有尾差。");
            if !breakdown.is_empty() {
                diag = diag.hint(format!("各类车辆之和 = {breakdown}"));
            }
            for v in &a.vehicles {
                if let Some(loc) = v.count.loc.as_ref() {
                    diag = diag.related(loc, format!("{} {} 辆", v.kind.value, v.count.value));
                }
            }
            d.push(diag);
        }
    }
    let kinds = &b.identity.form.vehicle_kinds;
    if kinds.is_empty() {
        return;
    }
    for v in &a.vehicles {
        if kinds.contains(&v.kind.value) {
            continue;
        }
        d.push(
            Diagnostic::of(
                codes::VEHICLE_KIND,
                format!(
                    "车辆用途“{}”不在{}所列的车辆类别中",
                    v.kind.value, b.identity.form.name
                ),
            )
            .at_opt(v.kind.loc.as_ref())
            .hint(format!(
                "本表式按以下类别逐类印出车辆（没有的类印 0 辆）：{}。把车辆归入其中一类，用途照写。",
                kinds.join("、")
            )),
        );
    }
}

/// R044: the amounts won by SME suppliers are contracts, a part of the 政府采购 total (合同签订
/// 为准): the reserved projects' and the other projects' SME awards together, and the small-micro
/// award of the small-micro reserved projects, each ≤ that total (within the 尾差).
fn awarded(b: &Bureau, totals: &Totals, d: &mut Diagnostics) {
    let p = &b.procurement;
    let total = totals.procurement;
    let given = |facts: &[&crate::model::Amount]| {
        facts.iter().filter(|f| f.loc.is_some()).count() + usize::from(p.declared_total.is_some())
    };
    let checks: [(&str, Money, Vec<&crate::model::Amount>); 2] = [
        (
            "面向中小企业预留项目与其他项目中由中小企业供应商中标或成交的金额之和",
            p.sme_reserved_awarded.value + p.sme_other_awarded.value,
            vec![&p.sme_reserved_awarded, &p.sme_other_awarded],
        ),
        (
            "面向小微企业预留项目中由小微企业供应商中标或成交的金额",
            p.small_micro_reserved_awarded.value,
            vec![&p.small_micro_reserved_awarded],
        ),
    ];
    for (label, amount, facts) in checks {
        let excess = (amount - total).0;
        if excess <= Decimal::ZERO {
            continue;
        }
        let n = given(&facts).max(1);
        let tolerance = tolerance(b.identity.unit, n);
        let severity = if excess <= tolerance {
            Severity::Info
        } else {
            Severity::Error
        };
        let at = facts.iter().find_map(|f| f.loc.as_ref());
        let mut diag = Diagnostic::new(
            codes::PROCUREMENT_AWARDED,
            severity,
            format!(
                "{label} {} 大于政府采购金额 {}（多 {}）",
                money_text(amount),
                money_text(total),
                money_text(Money(excess))
            ),
        )
        .at_opt(at);
        diag = if severity == Severity::Info {
            diag.hint(format!(
                "差额在 {n} 个已填数各 0.01 万元的尾差范围内（{}），由各数分别四舍五入造成。",
                tolerance.normalize()
            ))
        } else {
            diag.hint("中小企业、小微企业中标或成交的金额是政府采购合同金额的一部分，不能超过采购总额（货物 + 工程 + 服务）；核对这几个数。")
        };
        let mut shown = facts.clone();
        shown.extend(p.declared_total.as_ref());
        for f in shown {
            if let Some(loc) = f.loc.as_ref() {
                diag = diag.related(loc, money_text(f.value));
            }
        }
        d.push(diag);
    }
}

/// R045: 预算绩效管理 aggregates: the grades count the self-evaluated projects; the issues fixed
/// and being fixed are among those found; an average score is out of 100.
fn management(b: &Bureau, d: &mut Diagnostics) {
    let Some(g) = &b.performance.management else {
        return;
    };
    let graded = g.grades.iter().fold(0i64, |s, c| s.saturating_add(c.value));
    let evaluated = &g.self_evaluated.projects;
    if graded != evaluated.value {
        let mut diag = Diagnostic::of(
            codes::MANAGEMENT,
            format!(
                "绩效评级为优、良、合格、不合格的项目共 {graded} 个 ≠ 绩效自评的项目 {} 个",
                evaluated.value
            ),
        )
        .at_opt(evaluated.loc.as_ref().or(g.grades[0].loc.as_ref()))
        .hint("每个开展绩效自评的项目都有一个评级：四个评级的项目数之和应等于自评项目数。");
        for (label, c) in ["优", "良", "合格", "不合格"].iter().zip(&g.grades) {
            diag = related_count(diag, c, &format!("“{label}” {} 个", c.value));
        }
        d.push(diag);
    }
    let [found, fixed, fixing] = &g.issues;
    let settled = fixed.value.saturating_add(fixing.value);
    if settled > found.value {
        let diag = Diagnostic::of(
            codes::MANAGEMENT,
            format!(
                "已经完成整改的 {} 个与正在整改的 {} 个问题共 {settled} 个，多于发现的问题 {} 个",
                fixed.value, fixing.value, found.value
            ),
        )
        .at_opt(found.loc.as_ref().or(fixed.loc.as_ref()))
        .hint("整改的问题是发现的问题的一部分：已整改 + 正在整改 ≤ 发现问题数。");
        let diag = related_count(diag, fixed, &format!("已经完成整改 {} 个", fixed.value));
        d.push(related_count(
            diag,
            fixing,
            &format!("正在整改 {} 个", fixing.value),
        ));
    }
    if g.average_score.value.0 > Decimal::ONE_HUNDRED {
        d.push(
            Diagnostic::of(
                codes::MANAGEMENT,
                format!(
                    "绩效自评平均得分 {} 分超过 100 分",
                    money_text(g.average_score.value)
                ),
            )
            .at_opt(g.average_score.loc.as_ref())
            .hint("自评按百分制计分，平均得分不超过 100。"),
        );
    }
}

fn related_count(diag: Diagnostic, c: &Count, label: &str) -> Diagnostic {
    match c.loc.as_ref() {
        Some(loc) => diag.related(loc, label),
        None => diag,
    }
}

/// R046: a unit is listed once in the 单位构成.
fn units(b: &Bureau, d: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<&str, &crate::model::MemberUnit> =
        std::collections::HashMap::new();
    for u in &b.overview.units {
        let Some(first) = seen.get(u.name.value.as_str()).copied() else {
            seen.insert(&u.name.value, u);
            continue;
        };
        let mut diag = Diagnostic::of(
            codes::UNIT_TWICE,
            format!("单位构成中“{}”列了两次", u.name.value),
        )
        .at_opt(u.name.loc.as_ref())
        .hint("每个单位只列一行（序号由程序编）；删去重复的一行，或改正单位名称。");
        if let Some(loc) = first.name.loc.as_ref() {
            diag = diag.related(loc, "第一次列出");
        }
        d.push(diag);
    }
}

/// R047: every group or batch has at least one person: 人次 ≥ 团组数 / 批次.
fn people(b: &Bureau, d: &mut Diagnostics) {
    let t = &b.three_public;
    let r = &t.reception;
    for (label, groups, unit, people) in [
        (
            "因公出国（境）",
            &t.overseas.groups,
            "团组",
            &t.overseas.people,
        ),
        (
            "国内公务接待",
            &r.domestic.batches,
            "批次",
            &r.domestic.people,
        ),
        (
            "外宾（外事）接待",
            &r.foreign.batches,
            "批次",
            &r.foreign.people,
        ),
    ] {
        if people.value >= groups.value {
            continue;
        }
        let diag = Diagnostic::of(
            codes::PEOPLE_COUNTS,
            format!(
                "{label}{unit}数为 {}，人次却只有 {}",
                groups.value, people.value
            ),
        )
        .at_opt(people.loc.as_ref().or(groups.loc.as_ref()))
        .hint(format!(
            "每个{unit}至少一人次：人次不少于{unit}数。核对是否把两个数填反了。"
        ));
        d.push(related_count(
            diag,
            groups,
            &format!("{unit} {}", groups.value),
        ));
    }
}
