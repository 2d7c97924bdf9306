//! Synthetic departments for benchmarks and tests: deterministic, rule-clean inputs of any size.
//!
//! Each department has several 功能分类 类/款/项 lines (with the names supplied in `[[catalog]]`),
//! an economic breakdown that matches them, prior-year figures with reasons, 三公 and 机关运行经费,
//! 政府采购, and projects with payments and performance indicators, so every chapter of the 说明
//! and every 附表 is produced. The same index and shape always give the same text.

use std::fmt::Write as _;

/// How big a department is.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// 类 (at most 99).
    pub classes: usize,
    /// 款 per 类 (at most 99).
    pub sections: usize,
    /// 项 per 款 (at most 99).
    pub items: usize,
    pub projects: usize,
}

impl Shape {
    /// A county department as they usually are: a few 类, a dozen or two 项, a handful of projects.
    pub fn typical(index: usize) -> Shape {
        let mut r = Rng::new(index as u64 ^ 0x5EED);
        Shape {
            classes: r.between(3, 5) as usize,
            sections: r.between(1, 3) as usize,
            items: r.between(2, 4) as usize,
            projects: r.between(3, 8) as usize,
        }
    }

    /// The large department of the benchmarks: 2,000 功能分类 lines and 500 projects.
    pub fn large() -> Shape {
        Shape {
            classes: 20,
            sections: 10,
            items: 10,
            projects: 500,
        }
    }

    pub fn lines(&self) -> usize {
        self.classes * self.sections * self.items
    }
}

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next() % n == 0
    }
}

/// An amount in 分 written in 万元 with two decimals.
fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Real 类 codes first (their names come from the catalog), then made-up ones: only classes
/// the 收入支出决算总表 lists (a department's 决算 has no 227 预备费 or 230 转移性支出, R050).
const CLASSES: &[&str] = &[
    "201", "205", "206", "207", "208", "210", "211", "212", "213", "214", "215", "216", "217",
    "220", "221", "222", "223", "224", "229", "231",
];

/// The TOML input of synthetic department number `index` (0-based) of the given shape and year.
pub fn department(index: usize, shape: Shape, year: i64) -> String {
    let mut r = Rng::new(
        (index as u64)
            .wrapping_mul(7919)
            .wrapping_add(shape.lines() as u64 * 31 + shape.projects as u64),
    );
    let n = index + 1;
    let mut t = String::new();
    let w = &mut t;
    let _ = writeln!(
        w,
        "[bureau]\nname = \"合成县第{n}局\"\nshort_name = \"第{n}局\"\nid = \"SYN{index:015}\"\nyear = {year}\nform = \"sichuan\"\nunit = \"万元\"\n"
    );
    let _ = writeln!(w, "[overview]\nduties = [");
    for k in 0..r.between(3, 8) {
        let _ = writeln!(
            w,
            "  \"负责本县第{}项职责：组织实施有关法律法规和政策，承办上级交办事项，做好统计分析与信息公开。\",",
            k + 1
        );
    }
    let _ = writeln!(w, "]\n");
    for k in 0..r.between(2, 5) {
        let _ = writeln!(
            w,
            "[[overview.key_tasks]]\ntitle = \"重点工作{0}\"\nparagraphs = [\"全年完成各项任务，推进重点项目{0}，群众满意度进一步提升。\", \"加强内部管理，落实过紧日子要求。\"]\n",
            k + 1
        );
    }
    let _ = writeln!(
        w,
        "[overview.organization]\nadministrative = {}\ncivil_service_managed = {}\nother_institutions = {}\n",
        r.between(0, 3),
        r.between(0, 2),
        r.between(0, 3)
    );

    // 功能分类 lines: (code, basic, project, budget), and the catalog names they need.
    let mut lines = Vec::with_capacity(shape.lines());
    let mut catalog = Vec::new();
    for c in 0..shape.classes.min(99) {
        let class = match CLASSES.get(c) {
            Some(code) => code.to_string(),
            None => format!("{}", 232 + c),
        };
        catalog.push((class.clone(), format!("合成类{class}")));
        for s in 0..shape.sections.min(99) {
            let section = format!("{class}{:02}", s + 1);
            catalog.push((section.clone(), format!("合成款{section}")));
            for i in 0..shape.items.min(99) {
                let item = format!("{section}{:02}", i + 1);
                catalog.push((item.clone(), format!("合成项{item}")));
                let basic = r.between(100, 30_000);
                let project = if r.one_in(3) { r.between(0, 20_000) } else { 0 };
                let extra = if r.one_in(4) { r.between(0, 2_000) } else { 0 };
                lines.push((item, basic, project, basic + project + extra));
            }
        }
    }
    let basic: u64 = lines.iter().map(|l| l.1).sum();
    let project: u64 = lines.iter().map(|l| l.2).sum();
    let total = basic + project;
    let prior = total * r.between(80, 120) / 100;
    let _ = writeln!(
        w,
        "[prior_year]\ntotal = {p}\ntotal_reason = \"人员和项目调整\"\nappropriation_total = {p}\nappropriation_reason = \"人员和项目调整\"\ngeneral_budget = {p}\ngeneral_budget_reason = \"人员和项目调整\"\n",
        p = money(prior)
    );
    let _ = writeln!(
        w,
        "[income]\ngeneral_budget = {}\ngov_fund = 0\nstate_capital = 0\nupper_grant = 0\nservice = 0\nbusiness = 0\naffiliate = 0\nother = 0\nreserve_used = 0\nopening_balance = 0\n",
        money(total)
    );
    let _ = writeln!(
        w,
        "[spending]\nbasic = {}\nproject = {}\nupper_remit = 0\nbusiness = 0\naffiliate_grant = 0\nbalance_allocation = 0\nclosing_balance = 0\n",
        money(basic),
        money(project)
    );
    let _ = writeln!(
        w,
        "[appropriation.general_budget]\nopening_balance = 0\nclosing_balance = 0\n"
    );

    // Economic breakdown: basic spread over personnel and operating 款 (公务接待费 30217 equal to
    // the 三公 reception), project over three 款.
    let reception = r.between(0, 150);
    let rest = basic - reception;
    let shares: [(&str, u64); 7] = [
        ("30101", 30),
        ("30102", 20),
        ("30108", 10),
        ("30113", 8),
        ("30201", 12),
        ("30211", 8),
        ("30299", 12),
    ];
    let mut economic: Vec<(&str, u64, u64)> = shares
        .iter()
        .map(|(code, share)| (*code, rest * share / 100, 0))
        .collect();
    let spread: u64 = economic.iter().map(|e| e.1).sum();
    economic[0].1 += rest - spread;
    economic.push(("30217", reception, 0));
    let office = project * 40 / 100;
    let travel = project * 20 / 100;
    economic[4].2 = office;
    economic[5].2 = travel;
    economic.push(("31002", 0, project - office - travel));
    economic.sort();
    let _ = writeln!(w, "[general_budget]\neconomic = [");
    for (code, b, p) in economic.iter().filter(|e| e.1 > 0 || e.2 > 0) {
        let mut parts = vec![format!("code = \"{code}\"")];
        if *b > 0 {
            parts.push(format!("basic = {}", money(*b)));
        }
        if *p > 0 {
            parts.push(format!("project = {}", money(*p)));
        }
        let _ = writeln!(w, "  {{ {} }},", parts.join(", "));
    }
    let _ = writeln!(w, "]\n");
    for (code, b, p, budget) in &lines {
        let _ = writeln!(
            w,
            "[[general_budget.items]]\ncode = \"{code}\"\nbasic = {}",
            money(*b)
        );
        if *p > 0 {
            let _ = writeln!(w, "project = {}", money(*p));
        }
        let _ = writeln!(w, "budget = {}", money(*budget));
        if *budget != b + p {
            let _ = writeln!(w, "reason = \"年中追加任务，预算调整\"");
        }
        let _ = writeln!(w);
    }
    let rec = money(reception);
    let _ = writeln!(
        w,
        "[three_public]\nreason = \"厉行节约\"\n[three_public.overseas]\nbudget = 0\nactual = 0\nprior = 0\ngroups = 0\npeople = 0\n\
         [three_public.vehicle]\npurchase_budget = 0\npurchase_prior = 0\nrunning_budget = 0\nrunning_actual = 0\nrunning_prior = 0\n\
         [three_public.reception]\nbudget = {rec}\nprior = {rec}\n[three_public.reception.domestic]\nactual = {rec}\nbatches = {}\npeople = {}\n\
         [three_public.reception.foreign]\nactual = 0\nbatches = 0\npeople = 0\n",
        u64::from(reception > 0),
        if reception > 0 { 5 } else { 0 }
    );
    let _ = writeln!(
        w,
        "[running_costs]\nactual = {}\nprior = {}\nreason = \"人员增加\"\n\n[procurement]\ngoods = {}\nworks = 0\nservices = {}\nsme = {}\nsmall_micro = {}\npurpose = \"购买办公设备和物业服务\"\n\n[assets]\nlarge_equipment = 0\n",
        money(rest * 50 / 100),
        money(rest * 48 / 100),
        money(basic / 20),
        money(basic / 40),
        money(basic / 40),
        money(basic / 80)
    );
    for k in 1..=shape.projects {
        let budget = r.between(100, 50_000);
        let executed = if r.one_in(3) {
            budget - r.between(0, budget / 10)
        } else {
            budget
        };
        let (b, e) = (money(budget), money(executed));
        let _ = writeln!(
            w,
            "[[performance.projects]]\nname = \"专项工作经费{k}\"\nprior_assessment = true\ngoals_set = true\nmonitored = true\nbudget = {b}\nexecuted = {e}\n\
             payments = [{{ item = \"办公费\", budget = {b}, applied = {e}, used = {e} }}]\n\
             goal = \"完成专项工作{k}的年度任务，提升服务质量和群众满意度。\"\n\
             outcome = \"全年完成专项工作{k}的各项任务，资金使用规范，群众满意度达到预期。\"\nindicators = ["
        );
        let _ = writeln!(
            w,
            "  {{ level1 = \"产出指标\", level2 = \"数量指标\", level3 = \"完成任务数量{k}\", kind = \"positive\", target = 100, actual = {}, unit = \"件\" }},",
            r.between(95, 130)
        );
        let _ = writeln!(
            w,
            "  {{ level1 = \"产出指标\", level2 = \"质量指标\", level3 = \"验收合格率\", kind = \"positive\", target = 95, actual = {}, unit = \"%\" }},",
            r.between(95, 100)
        );
        let _ = writeln!(
            w,
            "  {{ level1 = \"产出指标\", level2 = \"时效指标\", level3 = \"按时完成\", kind = \"binary\", achieved = true, target_text = \"年底前完成\", actual_text = \"已按时完成\" }},\n\
             \x20 {{ level1 = \"产出指标\", level2 = \"成本指标\", level3 = \"成本控制\", kind = \"binary\", achieved = true, target_text = \"不超预算\", actual_text = \"未超预算\" }},\n\
             \x20 {{ level1 = \"效益指标\", level2 = \"社会效益指标\", level3 = \"群众满意度提升\", kind = \"binary\", achieved = true, target_text = \"有所提升\", actual_text = \"明显提升\" }},"
        );
        let _ = writeln!(
            w,
            "  {{ level1 = \"满意度指标\", level2 = \"满意度指标\", level3 = \"服务对象满意度\", kind = \"positive\", target = 90, actual = {}, unit = \"%\" }},\n]\nsummary = \"项目实施有序，成效明显。\"\n",
            r.between(90, 99)
        );
    }
    for (code, name) in &catalog {
        let _ = writeln!(w, "[[catalog]]\ncode = \"{code}\"\nname = \"{name}\"");
    }
    t
}

/// `count` typical departments of one year, as (file name, TOML text).
pub fn county(count: usize, year: i64) -> Vec<(String, String)> {
    (0..count)
        .map(|i| {
            (
                format!("dept-{:04}.toml", i + 1),
                department(i, Shape::typical(i), year),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_departments_are_rule_clean_and_deterministic() {
        for i in 0..6 {
            let text = department(i, Shape::typical(i), 2023);
            assert_eq!(text, department(i, Shape::typical(i), 2023));
            let checked = crate::check_text("synthetic.toml", &text);
            assert!(
                checked.diagnostics.is_empty(),
                "{i}: {:#?}",
                checked.diagnostics
            );
        }
        let large = department(0, Shape::large(), 2023);
        let checked = crate::check_text("large.toml", &large);
        assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
        let b = checked.bureau.unwrap();
        assert_eq!(b.appropriation.general_budget.items.len(), 2_000);
        assert_eq!(b.performance.projects.len(), 500);
    }
}
