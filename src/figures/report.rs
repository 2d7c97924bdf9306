//! 绩效评价报告的数字：部门整体、各项目报告中的每一个数，以及说明“预算绩效管理情况”一节的
//! 项目个数、资金、平均得分与各等级个数。
//!
//! The reports' numbers come from the same facts as the 说明 and the tables: 收入 and 支出 with
//! their 财政拨款 shares from the final-account facts, each project's 预算, 到位, 执行 from its
//! evaluation, the scores from the scoring engine. Every one is recorded in the ledger; the texts
//! are the user's, split into paragraphs (one a line).

use rust_decimal::Decimal;
use serde::Serialize;

use super::{Line, Maker, Operand, Totals, arith, clause, label};
use crate::model::{Amount, Bureau, ProjectEvaluation, Report, Text};
use crate::money::Money;
use crate::performance::ProjectScore;

/// One 绩效评价报告: its text sections (paragraphs) and its computed figures. A template prints
/// the sections its form has; the others stay empty.
#[derive(Debug, Default, Serialize)]
pub struct ReportDoc {
    pub intro: Vec<String>,
    pub organization: Vec<String>,
    /// 机构职能的引语；没有填，或引出职能各条而没有职能时不在（absent）。
    pub functions_lead: Option<String>,
    /// 机构职能：[overview] duties, numbered 一、二、… for the templates.
    pub functions: Vec<Numbered>,
    /// 文中简称（[bureau] short_name，缺省为全称）。
    pub short_name: String,
    pub management: Vec<String>,
    pub basic_use: String,
    pub projects_note: Vec<String>,
    pub upper_projects: Vec<String>,
    pub other: Vec<String>,
    pub quality: Vec<String>,
    pub performance: Vec<String>,
    pub disclosure: Vec<String>,
    pub results: Vec<String>,
    pub goals: Vec<String>,
    pub method: Vec<String>,
    pub finance: Vec<String>,
    pub process: Vec<String>,
    pub supervision: Vec<String>,
    pub completion: Vec<String>,
    pub benefits: Vec<String>,
    /// 评价结论（不填用自评综述）。
    pub conclusion: Vec<String>,
    pub problems: Vec<String>,
    pub suggestions: Vec<String>,
    /// 部门财政资金收支（部门整体报告）。
    pub funds: Option<FundsDoc>,
    /// 年初预算与决算收入（湖南）。
    pub budget: Option<BudgetDoc>,
    /// 专项预算管理：各项目的预算、执行数、执行率、得分。
    pub projects: Vec<ProjectLine>,
    /// 各项目全年执行数之和：列了项目且各项目的执行数都填了才在。
    pub projects_total: Option<String>,
    pub staff: StaffDoc,
    /// 项目资金（项目报告）。
    pub money: Option<ProjectMoney>,
    pub score: String,
    pub grade: String,
    /// 总分值：各指标分值之和（执行率在总分之内时连同其分值）。
    pub total_weight: String,
}

/// A numbered item: `number` 1, 2, …; `chinese` 一, 二, ….
#[derive(Debug, Serialize)]
pub struct Numbered {
    pub number: usize,
    pub chinese: String,
    pub text: String,
}

/// 一 … 九十九 (beyond that, the digits).
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// 部门财政资金收入、支出情况。
#[derive(Debug, Serialize)]
pub struct FundsDoc {
    pub income: String,
    /// 财政拨款收入 ÷ 本年收入合计。
    pub income_share: String,
    /// 一般公共预算、政府性基金、国有资本经营预算财政拨款收入（有数的）。
    pub income_funds: Vec<Line>,
    pub spending: String,
    /// 财政拨款支出 ÷ 本年支出合计。
    pub spending_share: String,
    pub basic: String,
    pub project: String,
    /// 支出总计（本年支出合计 + 结余分配 + 年末结转和结余）。
    pub spending_grand: String,
    pub closing_balance: String,
    /// 财政拨款支出按功能分类“类”（各资金合计）。
    pub classes: Vec<Line>,
    /// 一般公共预算财政拨款支出及其基本支出（占比）、人员经费、公用经费（占基本支出）、项目支出。
    pub general_budget: String,
    pub general_budget_basic: String,
    pub general_budget_basic_share: String,
    pub personnel: String,
    pub personnel_share: String,
    pub operating: String,
    pub operating_share: String,
    pub general_budget_project: String,
    /// 政府性基金、国有资本经营预算财政拨款支出。
    pub gov_fund: String,
    pub state_capital: String,
}

/// 年初预算与决算收入（湖南整体支出报告）。
#[derive(Debug, Serialize)]
pub struct BudgetDoc {
    pub initial: String,
    /// Each amount as given: one left out is absent (not "" and not 0), and so is every figure
    /// computed from it; the report leaves its clause out.
    pub initial_basic: Option<String>,
    pub initial_project: Option<String>,
    /// 全年预算数（财政资金）与年初预算数之差。
    pub appropriation: Option<String>,
    pub increase: Option<arith::Change>,
    pub other: Option<String>,
    /// 全年预算数合计（财政资金 + 其他资金）, when both are given.
    pub total: Option<String>,
    pub opening_balance: Option<String>,
    pub project_count: Option<String>,
    pub carried_over: Option<String>,
    /// 本年追加 = 一般公共预算项目支出 − 年初项目支出。
    pub added: Option<String>,
}

/// 部门整体报告里的一个项目。
#[derive(Debug, Serialize)]
pub struct ProjectLine {
    pub number: usize,
    /// ①②③…（20 个以内），之后为（21）。
    pub circled: String,
    pub name: String,
    /// 全年预算数、执行数与执行率：没有填的不在（absent），模板略去其分句。
    pub budget: Option<String>,
    pub executed: Option<String>,
    pub execution_rate: Option<String>,
    pub score: String,
    pub grade: String,
    pub brief: String,
    /// 上级（中省）专项：全年预算数都是中省补助资金。
    pub upper: bool,
}

/// 人员概况。
#[derive(Debug, Default, Serialize)]
pub struct StaffDoc {
    pub established: Vec<StaffRow>,
    pub contract: Vec<StaffRow>,
    pub quota_total: i64,
    pub actual_total: i64,
    pub contract_total: i64,
    pub retired: Option<i64>,
    /// 在编实有人数与上年末相比（各类都填了上年末人数时）。
    pub change: Option<arith::CountChange>,
}

#[derive(Debug, Serialize)]
pub struct StaffRow {
    pub category: String,
    pub quota: Option<i64>,
    pub actual: i64,
}

/// 项目资金申报及使用：预算资金、到位（财政拨款）与拨款率、执行数与执行率。
#[derive(Debug, Serialize)]
/// 没有填的金额与由它算出的比率不在（absent），模板略去其分句。
pub struct ProjectMoney {
    pub budget: Option<String>,
    pub arrived: Option<String>,
    pub arrival_rate: Option<String>,
    pub executed: Option<String>,
    pub execution_rate: Option<String>,
}

/// 说明“预算绩效管理情况”一节：开展自评的项目个数、资金、平均得分、各等级个数。
#[derive(Debug, Default, Serialize)]
pub struct EvaluationSummary {
    /// 有自评得分的项目个数。
    pub count: usize,
    pub names: Vec<String>,
    /// 这些项目的全年执行数之和；有一个项目的执行数没有填（而它的资金有填）时不在（absent）。
    pub amount: Option<String>,
    pub average: String,
    pub grades: Vec<GradeCount>,
}

#[derive(Debug, Serialize)]
pub struct GradeCount {
    pub grade: String,
    pub count: usize,
}

/// Paragraphs of a report text: one per line, blank lines dropped.
fn paragraphs(t: &Text) -> Vec<String> {
    t.value
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn count_money(n: i64) -> Money {
    Money(Decimal::from(n))
}

fn circled(n: usize) -> String {
    const CIRCLED: [char; 20] = [
        '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱',
        '⑲', '⑳',
    ];
    n.checked_sub(1)
        .and_then(|i| CIRCLED.get(i))
        .map_or_else(|| format!("（{n}）"), |c| c.to_string())
}

/// 财政资金 + 其他资金 as one operand: the typed fact itself (with its position) when only one
/// of the two is given, their sum otherwise.
///
/// A fund is in use for the project when any of its 全年预算数、到位数、执行数 is given; a fund not
/// in use counts as none, but a figure of a fund in use that was left out is unknown, and so is
/// the sum (`None`: the report leaves its clause out rather than print the other fund alone).
fn money_of(
    label: String,
    p: &ProjectEvaluation,
    main: &Option<Amount>,
    other: &Option<Amount>,
) -> Option<Operand> {
    let own_used = p.budget.is_some() || p.arrived.is_some() || p.executed.is_some();
    let other_used =
        p.other_budget.is_some() || p.other_arrived.is_some() || p.other_executed.is_some();
    if (own_used && main.is_none()) || (other_used && other.is_none()) {
        return None;
    }
    match (main, other) {
        (Some(a), None) | (None, Some(a)) => Some(Operand::fact(label, a)),
        (Some(a), Some(o)) => Some(Operand::derived(label, a.value + o.value)),
        (None, None) => None,
    }
}

/// A project with no money of the bureau's own level: its 财政资金 are all 中省补助 (or it has
/// only 其他资金, such as a 中央补助 passed down).
fn is_upper(p: &ProjectEvaluation) -> bool {
    let own = |a: &Option<Amount>| a.as_ref().map_or(Money::default(), |a| a.value);
    let county = own(&p.budget) - own(&p.upper_budget);
    county.is_zero() && p.budget_total().is_some_and(|t| !t.is_zero())
}

/// A project's score as the 说明 and the reports print it: computed from its indicators, or the
/// declared one when it has none.
pub(super) fn score_value(p: &ProjectEvaluation, score: Option<&ProjectScore>) -> Option<Decimal> {
    score
        .map(|s| s.total)
        .or_else(|| p.evaluation.declared_score.as_ref().map(|s| s.value))
}

impl Maker {
    /// `part ÷ whole × 100%` with the 自评表's 2 decimals, recorded; “—” without a whole.
    fn rate(&mut self, id: &str, part: &Operand, whole: &Operand) -> String {
        let text = arith::percent(part.value, whole.value, crate::performance::RATE_DECIMALS)
            .map(|p| arith::percent_text(p, crate::performance::RATE_DECIMALS))
            .unwrap_or_else(|| "—".into());
        self.ledger.record(
            id,
            &text,
            &format!("{} ÷ {} × 100%（四舍五入）", part.label, whole.label),
            &[part.clone(), whole.clone()],
        );
        text
    }

    fn opt_fact(&mut self, id: &str, label: &str, a: &Option<Amount>) -> Option<String> {
        a.as_ref().map(|a| self.fact(id, label, a))
    }

    /// A head count or a number of projects, recorded with the counts it adds up.
    fn count(&mut self, id: &str, value: i64, formula: &str, parts: &[Operand]) {
        self.ledger.record(id, &value.to_string(), formula, parts);
    }
}

/// The texts every report form may print.
fn texts(b: &Bureau, r: &Report, p: &ProjectEvaluation) -> ReportDoc {
    let summary = clause(&p.evaluation.summary.value);
    let conclusion = if !r.conclusion.value.is_empty() {
        paragraphs(&r.conclusion)
    } else if summary.is_empty() {
        Vec::new()
    } else {
        vec![format!("{summary}。")]
    };

    let short = &b.identity.short_name.value;
    ReportDoc {
        short_name: if short.is_empty() {
            b.identity.name.value.clone()
        } else {
            short.clone()
        },
        intro: paragraphs(&r.intro),
        organization: paragraphs(&r.organization),
        functions_lead: Some(r.functions_lead.value.clone()).filter(|l| !l.is_empty()),
        management: paragraphs(&r.management),
        basic_use: clause(&r.basic_use.value),
        projects_note: paragraphs(&r.projects_note),
        upper_projects: paragraphs(&r.upper_projects),
        other: paragraphs(&r.other),
        quality: paragraphs(&r.quality),
        performance: paragraphs(&r.performance),
        disclosure: paragraphs(&r.disclosure),
        results: paragraphs(&r.results),
        goals: paragraphs(&r.goals),
        method: paragraphs(&r.method),
        finance: paragraphs(&r.finance),
        process: paragraphs(&r.process),
        supervision: paragraphs(&r.supervision),
        completion: paragraphs(&r.completion),
        benefits: paragraphs(&r.benefits),
        conclusion,
        problems: paragraphs(&p.problems),
        suggestions: paragraphs(&p.suggestions),
        ..ReportDoc::default()
    }
}

/// The score, grade and 总分值 of an evaluation, recorded under `id`.
fn scored(
    m: &mut Maker,
    id: &str,
    p: &ProjectEvaluation,
    score: Option<&ProjectScore>,
    outside_total: bool,
    doc: &mut ReportDoc,
) {
    if let Some(v) = score_value(p, score) {
        doc.score = v.normalize().to_string();
        doc.grade = m.scoring.grade(v).to_string();
        let formula = if score.is_some() {
            "按指标计算的自评得分（同自评表总分）"
        } else {
            "输入的自评得分（declared_score）"
        };
        m.ledger
            .record(&format!("{id}.score"), &doc.score, formula, &[]);
        // The form's own bands, as the 自评表 records them.
        let formula = super::sheet::grade_formula(&m.scoring);
        m.ledger.record(
            &format!("{id}.grade"),
            &doc.grade,
            &formula,
            &[Operand::derived("自评得分", Money(v))],
        );
    }
    if score.is_some() {
        let mut parts: Vec<Operand> = p
            .indicators
            .iter()
            .filter(|i| i.weighted)
            .map(|i| Operand::derived(format!("{} 分值", i.level3.value), Money(i.weight.value)))
            .collect();
        if !outside_total && !p.execution_weight.value.is_zero() && p.budget_total().is_some() {
            parts.push(Operand::derived(
                "预算执行率分值",
                Money(p.execution_weight.value),
            ));
        }
        let total: Decimal = parts.iter().map(|o| o.value.0).sum();
        doc.total_weight = total.normalize().to_string();
        m.ledger.record(
            &format!("{id}.total_weight"),
            &doc.total_weight,
            "Σ 各指标分值（执行率在总分之内时加其分值）",
            &parts,
        );
    }
}

/// The 部门整体 report.
pub(super) fn department(
    m: &mut Maker,
    b: &Bureau,
    t: &Totals,
    d: &ProjectEvaluation,
    score: Option<&ProjectScore>,
    project_scores: &[Option<ProjectScore>],
) -> Option<ReportDoc> {
    let r = d.report.as_ref()?;
    let id = "report.department";
    let mut doc = texts(b, r, d);
    doc.functions = b
        .overview
        .duties
        .iter()
        .enumerate()
        .map(|(n, x)| Numbered {
            number: n + 1,
            chinese: chinese_number(n + 1),
            text: x.value.clone(),
        })
        .collect();
    // A lead that introduces the list (“…主要职责是：”) with no duties to follow is left out
    // with them: absent, not printed dangling.
    if doc.functions.is_empty()
        && doc
            .functions_lead
            .as_deref()
            .is_some_and(|l| l.trim_end().ends_with(['：', ':']))
    {
        doc.functions_lead = None;
    }
    doc.funds = Some(funds(m, b, t));
    doc.budget = budget(m, b, d, r);
    doc.staff = staff(m, r);

    // 专项预算管理：each project's 预算, 执行数, 执行率, score.
    let perf = &b.performance;
    let mut executed_ops = Vec::new();
    for (n, (p, s)) in perf.projects.iter().zip(project_scores).enumerate() {
        let key = format!("{id}.projects[{n}]");
        let budget = money_of(
            format!("{}全年预算数", p.name.value),
            p,
            &p.budget,
            &p.other_budget,
        );
        let executed = money_of(
            format!("{}全年执行数", p.name.value),
            p,
            &p.executed,
            &p.other_executed,
        );
        let budget_text = budget
            .as_ref()
            .map(|o| m.money(&format!("{key}.budget"), o, "财政资金 + 其他资金"));
        let executed_text = executed
            .as_ref()
            .map(|o| m.money(&format!("{key}.executed"), o, "财政资金 + 其他资金"));
        let execution_rate = match (&executed, &budget) {
            (Some(e), Some(b)) => Some(m.rate(&format!("{key}.execution_rate"), e, b)),
            _ => None,
        };
        if let Some(e) = executed {
            executed_ops.push(e);
        }
        let mut line_doc = ReportDoc::default();
        scored(m, &key, p, s.as_ref(), false, &mut line_doc);
        doc.projects.push(ProjectLine {
            number: n + 1,
            circled: circled(n + 1),
            name: p.name.value.clone(),
            budget: budget_text,
            executed: executed_text,
            execution_rate,
            score: line_doc.score,
            grade: line_doc.grade,
            brief: p
                .report
                .as_ref()
                .map(|r| clause(&r.brief.value))
                .unwrap_or_default(),
            upper: is_upper(p),
        });
    }
    // The total is known when every listed project's 执行数 is (issue 19 point 4): with no
    // project listed, or one left blank, it is absent and its sentence left out.
    if !perf.projects.is_empty() && executed_ops.len() == perf.projects.len() {
        let total = m.sum(
            &format!("{id}.projects_total"),
            "各项目全年执行数之和",
            &executed_ops,
        );
        doc.projects_total = Some(arith::money_text(total.value));
    }
    let outside = perf.spec.scoring.execution_outside_total;
    scored(m, id, d, score, outside, &mut doc);
    Some(doc)
}

/// 部门财政资金收支：本年收入、支出及财政拨款占比，按资金、按功能分类“类”，一般公共预算的基本支出结构。
fn funds(m: &mut Maker, b: &Bureau, t: &Totals) -> FundsDoc {
    let id = "report.department.funds";
    let i = &b.income;
    let income_lines: Vec<Operand> = i
        .sources()
        .iter()
        .map(|(l, a)| Operand::fact(*l, a))
        .collect();
    let income = m.total(
        &format!("{id}.income"),
        "本年收入合计",
        t.income,
        &income_lines,
    );
    let fund_ops = [
        Operand::fact(label("income.general_budget"), &i.general_budget),
        Operand::fact(label("income.gov_fund"), &i.gov_fund),
        Operand::fact(label("income.state_capital"), &i.state_capital),
    ];
    let appropriation_income = m.sum(
        &format!("{id}.appropriation_income"),
        "财政拨款收入",
        &fund_ops,
    );
    let income_share = m.share(
        &format!("{id}.income_share"),
        &appropriation_income,
        &income,
    );
    let labels = [
        "一般公共预算财政拨款",
        "政府性基金预算财政拨款",
        "国有资本经营预算财政拨款",
    ];
    let income_funds = fund_ops
        .iter()
        .zip(labels)
        .enumerate()
        .filter(|(_, (o, _))| !o.value.is_zero())
        .map(|(n, (o, label))| Line {
            label: label.to_string(),
            amount: m.money(&format!("{id}.income_funds[{n}].amount"), o, "输入"),
            share: m.share(&format!("{id}.income_funds[{n}].share"), o, &income),
        })
        .collect();

    let a = &b.appropriation;
    let spending_lines: Vec<Operand> = b
        .spending
        .natures()
        .iter()
        .map(|(l, a)| Operand::fact(*l, a))
        .collect();
    let spending = m.total(
        &format!("{id}.spending"),
        "本年支出合计",
        t.spending,
        &spending_lines,
    );
    let appr_ops: Vec<Operand> = a
        .funds()
        .iter()
        .map(|(_, label, f)| Operand::derived(format!("{label}财政拨款支出"), f.spending()))
        .collect();
    let appropriation_spending = m.sum(
        &format!("{id}.appropriation_spending"),
        "财政拨款支出",
        &appr_ops,
    );
    let spending_share = m.share(
        &format!("{id}.spending_share"),
        &appropriation_spending,
        &spending,
    );
    let s = &b.spending;
    let basic = m.fact(&format!("{id}.basic"), "基本支出", &s.basic);
    let project = m.fact(&format!("{id}.project"), "项目支出", &s.project);
    let grand = m.total(
        &format!("{id}.spending_grand"),
        "支出总计",
        t.spending_grand,
        &[
            spending.clone(),
            Operand::fact(label("spending.balance_allocation"), &s.balance_allocation),
            Operand::fact(label("spending.closing_balance"), &s.closing_balance),
        ],
    );
    let closing_balance = m.fact(
        &format!("{id}.closing_balance"),
        "年末结转和结余",
        &s.closing_balance,
    );

    // 财政拨款支出按功能分类“类”：各资金的项合在一起。
    let items: Vec<&crate::model::FunctionItem> = a
        .funds()
        .iter()
        .flat_map(|(_, _, f)| f.items.iter())
        .collect();
    let mut codes: Vec<&str> = items.iter().filter_map(|i| i.code.value.get(..3)).collect();
    codes.sort_unstable();
    codes.dedup();
    let classes = codes
        .into_iter()
        .enumerate()
        .map(|(n, code)| {
            let name = b
                .catalog
                .get(code)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let parts: Vec<Operand> = items
                .iter()
                .filter(|i| i.code.value.starts_with(code))
                .map(|i| Operand::derived(format!("{} {}", i.code.value, i.name), i.actual()))
                .collect();
            let class = m.sum(&format!("{id}.classes[{n}].amount"), &name, &parts);
            Line {
                label: name,
                amount: arith::money_text(class.value),
                share: m.share(
                    &format!("{id}.classes[{n}].share"),
                    &class,
                    &appropriation_spending,
                ),
            }
        })
        .collect();

    // 一般公共预算财政拨款支出的基本支出结构。
    let gb_item_ops: Vec<Operand> = a
        .general_budget
        .items
        .iter()
        .map(|i| Operand::derived(format!("{} {}", i.code.value, i.name), i.actual()))
        .collect();
    let gb = m.total(
        &format!("{id}.general_budget"),
        "一般公共预算财政拨款支出",
        t.general_budget,
        &gb_item_ops,
    );
    let gb_basic = Operand::derived("一般公共预算财政拨款基本支出", t.general_budget_basic);
    let gb_items = &a.general_budget.items;
    let gb_basic_parts: Vec<Operand> = gb_items
        .iter()
        .map(|i| Operand::fact(format!("{} 基本支出", i.code.value), &i.basic))
        .collect();
    m.total(
        &format!("{id}.general_budget_basic"),
        "一般公共预算财政拨款基本支出",
        t.general_budget_basic,
        &gb_basic_parts,
    );
    let gb_project_parts: Vec<Operand> = gb_items
        .iter()
        .map(|i| Operand::fact(format!("{} 项目支出", i.code.value), &i.project))
        .collect();
    let gb_project = m.sum(
        &format!("{id}.general_budget_project"),
        "一般公共预算财政拨款项目支出",
        &gb_project_parts,
    );
    let mut group = |key: &str, g: crate::catalog::Group, value: Money| {
        let parts: Vec<Operand> = a
            .general_budget
            .economic
            .iter()
            .filter(|e| e.group == g && !e.basic.value.is_zero())
            .map(|e| Operand::fact(format!("{} {}", e.code.value, e.name), &e.basic))
            .collect();
        m.total(&format!("{id}.{key}"), g.label(), value, &parts)
    };
    let personnel = group("personnel", crate::catalog::Group::Personnel, t.personnel);
    let operating = group("operating", crate::catalog::Group::Operating, t.operating);
    FundsDoc {
        income: arith::money_text(t.income),
        income_share,
        income_funds,
        spending: arith::money_text(t.spending),
        spending_share,
        basic,
        project,
        spending_grand: arith::money_text(grand.value),
        closing_balance,
        classes,
        general_budget: arith::money_text(gb.value),
        general_budget_basic: arith::money_text(gb_basic.value),
        general_budget_basic_share: m.share(
            &format!("{id}.general_budget_basic_share"),
            &gb_basic,
            &gb,
        ),
        personnel: arith::money_text(personnel.value),
        personnel_share: m.share(&format!("{id}.personnel_share"), &personnel, &gb_basic),
        operating: arith::money_text(operating.value),
        operating_share: m.share(&format!("{id}.operating_share"), &operating, &gb_basic),
        general_budget_project: arith::money_text(gb_project.value),
        gov_fund: arith::money_text(t.gov_fund),
        state_capital: arith::money_text(t.state_capital),
    }
}

/// 年初预算与决算收入（湖南）：only when the report gives the 年初 split.
fn budget(m: &mut Maker, b: &Bureau, d: &ProjectEvaluation, r: &Report) -> Option<BudgetDoc> {
    let id = "report.department.budget";
    let initial = d.initial_budget.as_ref()?;
    let initial_op = Operand::fact("年初预算数", initial);
    let appropriation = d
        .budget
        .as_ref()
        .map(|a| Operand::fact("全年预算数（财政资金）", a));
    let increase = appropriation
        .as_ref()
        .map(|a| m.change(&format!("{id}.increase"), a, &initial_op));
    // 全年预算数合计 only when both funds are given (a left-out one is unknown, not 0).
    let total = match (&d.budget, &d.other_budget) {
        (Some(own), Some(other)) => Some(m.sum(
            &format!("{id}.total"),
            "全年预算数合计",
            &[
                Operand::fact("全年预算数（财政资金）", own),
                Operand::fact("全年预算数（其他资金）", other),
            ],
        )),
        _ => None,
    };
    let gb_project: Money = b
        .appropriation
        .general_budget
        .items
        .iter()
        .map(|i| i.project.value)
        .sum();
    let added = r.initial_project.as_ref().map(|ip| {
        let v = gb_project - ip.value;
        let text = arith::money_text(v);
        m.ledger.record(
            &format!("{id}.added"),
            &text,
            "一般公共预算财政拨款项目支出 − 年初项目支出",
            &[
                Operand::derived("一般公共预算财政拨款项目支出", gb_project),
                Operand::fact("年初项目支出", ip),
            ],
        );
        text
    });
    let project_count = r.project_count.as_ref().map(|c| {
        m.count(&format!("{id}.project_count"), c.value, "输入", &[]);
        c.value.to_string()
    });
    Some(BudgetDoc {
        initial: m.fact(&format!("{id}.initial"), "年初预算数", initial),
        initial_basic: m.opt_fact(
            &format!("{id}.initial_basic"),
            "年初基本支出",
            &r.initial_basic,
        ),
        initial_project: m.opt_fact(
            &format!("{id}.initial_project"),
            "年初项目支出",
            &r.initial_project,
        ),
        appropriation: appropriation.map(|a| arith::money_text(a.value)),
        increase,
        other: m.opt_fact(
            &format!("{id}.other"),
            "全年预算数（其他资金）",
            &d.other_budget,
        ),
        total: total.map(|t| arith::money_text(t.value)),
        opening_balance: m.opt_fact(
            &format!("{id}.opening_balance"),
            "上年度非财政拨款结余结转",
            &r.opening_balance,
        ),
        project_count,
        carried_over: m.opt_fact(
            &format!("{id}.carried_over"),
            "上年结转结余",
            &r.carried_over,
        ),
        added,
    })
}

/// 人员概况：编制内各类（编制数、实有人数）与编外各类，合计由此相加。
fn staff(m: &mut Maker, r: &Report) -> StaffDoc {
    let id = "report.department.staff";
    let row = |s: &crate::model::Staff| StaffRow {
        category: s.category.value.clone(),
        quota: s.quota.as_ref().map(|q| q.value),
        actual: s.actual.value,
    };
    let established: Vec<&crate::model::Staff> = r.staff.iter().filter(|s| !s.contract).collect();
    let contract: Vec<&crate::model::Staff> = r.staff.iter().filter(|s| s.contract).collect();
    let sum = |rows: &[&crate::model::Staff], f: fn(&crate::model::Staff) -> i64| -> i64 {
        rows.iter().fold(0i64, |acc, s| acc.saturating_add(f(s)))
    };
    let ops = |rows: &[&crate::model::Staff], what: &str, f: fn(&crate::model::Staff) -> i64| {
        rows.iter()
            .map(|s| Operand::derived(format!("{}{what}", s.category.value), count_money(f(s))))
            .collect::<Vec<_>>()
    };
    let quota = |s: &crate::model::Staff| s.quota.as_ref().map_or(0, |q| q.value);
    let actual = |s: &crate::model::Staff| s.actual.value;
    let quota_total = sum(&established, quota);
    let actual_total = sum(&established, actual);
    let contract_total = sum(&contract, actual);
    if !established.is_empty() {
        m.count(
            &format!("{id}.quota_total"),
            quota_total,
            "Σ 各类编制数",
            &ops(&established, "编制数", quota),
        );
        m.count(
            &format!("{id}.actual_total"),
            actual_total,
            "Σ 各类在编实有人数",
            &ops(&established, "实有人数", actual),
        );
    }
    if !contract.is_empty() {
        m.count(
            &format!("{id}.contract_total"),
            contract_total,
            "Σ 各类编外人员",
            &ops(&contract, "人数", actual),
        );
    }
    let change = if !established.is_empty() && established.iter().all(|s| s.prior.is_some()) {
        let prior = established.iter().fold(0i64, |acc, s| {
            acc.saturating_add(s.prior.as_ref().map_or(0, |p| p.value))
        });
        let c = arith::count_change(actual_total, prior, 2);
        m.ledger.record(
            &format!("{id}.change"),
            &format!("{}{}", c.trend, c.amount),
            "|在编实有人数合计 − 上年末实有人数合计|",
            &[
                Operand::derived("在编实有人数合计", count_money(actual_total)),
                Operand::derived("上年末实有人数合计", count_money(prior)),
            ],
        );
        Some(c)
    } else {
        None
    };
    StaffDoc {
        established: established.iter().map(|s| row(s)).collect(),
        contract: contract.iter().map(|s| row(s)).collect(),
        quota_total,
        actual_total,
        contract_total,
        retired: r.retired.as_ref().map(|c| c.value),
        change,
    }
}

/// A project's report: its 预算资金, 到位 and 拨款率, 执行数 and 执行率, the 支付明细表's 使用比例,
/// its score.
pub(super) fn project(
    m: &mut Maker,
    b: &Bureau,
    n: usize,
    p: &ProjectEvaluation,
    score: Option<&ProjectScore>,
) -> Option<ReportDoc> {
    let r = p.report.as_ref()?;
    let id = format!("report.projects[{n}]");
    let mut doc = texts(b, r, p);
    let budget = money_of(
        "全年预算数（财政资金 + 其他资金）".into(),
        p,
        &p.budget,
        &p.other_budget,
    );
    let arrived = money_of(
        "到位数（财政资金 + 其他资金）".into(),
        p,
        &p.arrived,
        &p.other_arrived,
    );
    let executed = money_of(
        "全年执行数（财政资金 + 其他资金）".into(),
        p,
        &p.executed,
        &p.other_executed,
    );
    let money = |m: &mut Maker, key: &str, o: &Option<Operand>| {
        o.as_ref()
            .map(|o| m.money(&format!("{id}.{key}"), o, "财政资金 + 其他资金"))
    };
    let rate = |m: &mut Maker, key: &str, a: &Option<Operand>, b: &Option<Operand>| match (a, b) {
        (Some(a), Some(b)) => Some(m.rate(&format!("{id}.{key}"), a, b)),
        _ => None,
    };
    doc.money = Some(ProjectMoney {
        budget: money(m, "budget", &budget),
        arrived: money(m, "arrived", &arrived),
        arrival_rate: rate(m, "arrival_rate", &arrived, &budget),
        executed: money(m, "executed", &executed),
        execution_rate: rate(m, "execution_rate", &executed, &budget),
    });
    for (k, x) in p.payments.iter().enumerate() {
        let used = Operand::fact(format!("{} 使用金额", x.item.value), &x.used);
        let planned = Operand::fact(format!("{} 预算金额", x.item.value), &x.budget);
        m.share(&format!("{id}.payments[{k}].ratio"), &used, &planned);
    }
    if !p.payments.is_empty() {
        let used: Vec<Operand> = p
            .payments
            .iter()
            .map(|x| Operand::fact(format!("{} 使用金额", x.item.value), &x.used))
            .collect();
        let planned: Vec<Operand> = p
            .payments
            .iter()
            .map(|x| Operand::fact(format!("{} 预算金额", x.item.value), &x.budget))
            .collect();
        let used = m.sum(&format!("{id}.payments_total.used"), "使用金额合计", &used);
        let planned = m.sum(
            &format!("{id}.payments_total.budget"),
            "预算金额合计",
            &planned,
        );
        m.share(&format!("{id}.payments_total.ratio"), &used, &planned);
    }
    scored(m, &id, p, score, false, &mut doc);
    Some(doc)
}

/// 说明“预算绩效管理情况”：项目个数、资金、平均得分、各等级个数。
pub(super) fn summary(
    m: &mut Maker,
    b: &Bureau,
    scores: &[Option<ProjectScore>],
) -> EvaluationSummary {
    let id = "performance.summary";
    let scored: Vec<(&ProjectEvaluation, Decimal)> = b
        .performance
        .projects
        .iter()
        .zip(scores)
        .filter_map(|(p, s)| score_value(p, s.as_ref()).map(|v| (p, v)))
        .collect();
    if scored.is_empty() {
        return EvaluationSummary::default();
    }
    let count = scored.len();
    m.count(
        &format!("{id}.count"),
        i64::try_from(count).unwrap_or(i64::MAX),
        "有自评得分的项目个数",
        &[],
    );
    let amounts: Vec<Option<Operand>> = scored
        .iter()
        // A project with no 执行数 at all adds nothing; one whose other fund's 执行数 is missing
        // (see `money_of`) makes the sum unknown.
        .filter(|(p, _)| p.executed.is_some() || p.other_executed.is_some())
        .map(|(p, _)| {
            money_of(
                format!("{}全年执行数", p.name.value),
                p,
                &p.executed,
                &p.other_executed,
            )
        })
        .collect();
    // The sum only when every project's 执行数 is known (one left out makes it unknown).
    let amount = amounts.iter().all(Option::is_some).then(|| {
        let given: Vec<Operand> = amounts.into_iter().flatten().collect();
        m.sum(&format!("{id}.amount"), "自评项目资金", &given)
    });
    let values: Vec<Decimal> = scored.iter().map(|(_, v)| *v).collect();
    let average = arith::mean(&values, 2)
        .map(|a| a.normalize().to_string())
        .unwrap_or_default();
    m.ledger.record(
        &format!("{id}.average"),
        &average,
        "Σ 各项目自评得分 ÷ 项目个数（四舍五入到 2 位小数）",
        &scored
            .iter()
            .map(|(p, v)| Operand {
                label: format!("{}自评得分", p.name.value),
                value: Money(*v),
                // A declared score is a typed fact; a computed one is derived.
                loc: p
                    .evaluation
                    .declared_score
                    .as_ref()
                    .filter(|s| s.value == *v)
                    .and_then(|s| s.loc.clone()),
            })
            .collect::<Vec<_>>(),
    );
    let mut grades = Vec::new();
    let labels: Vec<String> = m.scoring.grades.iter().map(|g| g.label.clone()).collect();
    for label in labels {
        let n = values
            .iter()
            .filter(|v| m.scoring.grade(**v) == label)
            .count();
        if n > 0 {
            m.count(
                &format!("{id}.grades.{label}"),
                i64::try_from(n).unwrap_or(i64::MAX),
                "自评得分在该等级区间内的项目个数",
                &[],
            );
            grades.push(GradeCount {
                grade: label,
                count: n,
            });
        }
    }
    EvaluationSummary {
        count,
        names: scored.iter().map(|(p, _)| p.name.value.clone()).collect(),
        amount: amount.map(|a| arith::money_text(a.value)),
        average,
        grades,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_way_the_reports_count() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(8), "八");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(99), "九十九");
        assert_eq!(chinese_number(100), "100");
        assert_eq!(circled(1), "①");
        assert_eq!(circled(20), "⑳");
        assert_eq!(circled(21), "（21）");
        assert_eq!(circled(0), "（0）");
    }

    #[test]
    fn the_mean_score_rounds_half_up() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            arith::mean(&[d("98"), d("98"), d("97")], 2),
            Some(d("97.67"))
        );
        assert_eq!(arith::mean(&[d("90.005")], 2), Some(d("90.01")));
        assert_eq!(arith::mean(&[], 2), None);
    }

    #[test]
    fn paragraphs_are_lines_without_blanks() {
        let t = Text {
            value: "一段。\n\n  二段。  \n".into(),
            loc: None,
        };
        assert_eq!(paragraphs(&t), vec!["一段。", "二段。"]);
    }
}
