//! 派生数字：合计、占比、增减、完成预算，以及文中据此选用的措辞。
//!
//! The document context the templates place. Every number in it was computed here (through
//! [`arith`]) and recorded in the [`Ledger`] with its formula and inputs; every sign-dependent word
//! (增加/减少, 增长/下降, 持平, 大于/小于/等于) was decided here. Templates only choose among these
//! prepared values.

pub mod arith;
pub mod chart;
pub mod detail;
pub mod ledger;
pub mod report;
pub mod tables;
mod totals;

use serde::Serialize;

use arith::{Change, Completion};
pub use ledger::{Ledger, Operand, Record};
pub use totals::Totals;

use crate::catalog::Group;
use crate::diagnostic::Diagnostics;
use crate::model::{Amount, Bureau, EconomicItem};
use crate::money::Money;

/// The derived figures of one bureau-year: the template context and the record of every figure.
pub struct Figures {
    pub doc: Document,
    pub ledger: Ledger,
}

#[derive(Debug, Serialize)]
pub struct Document {
    /// The form's key (its folder under `templates/`).
    pub form: String,
    /// The parts to print, in the form's order, each with its numbered heading.
    pub parts: Vec<PartDoc>,
    /// Year-on-year changes of figures a form compares by name (`doc.changes.income_total`,
    /// `spending_total`, `closing_balance`): each present, `null` when its prior is not given.
    pub changes: std::collections::BTreeMap<String, Option<NamedChange>>,
    /// The other lines of 收入支出决算总表 a form may print beside the totals.
    pub balances: BalancesDoc,
    /// final_accounts（说明、附件、附表）或 performance（只有绩效自评表）。
    pub document: crate::model::Document,
    pub name: String,
    pub short_name: String,
    pub year: i64,
    pub prior_year: i64,
    pub publish_date: DateParts,
    pub overview: OverviewDoc,
    pub totals: TotalsDoc,
    /// 上年数口径调整说明 (`prior_year.caliber_change`), printed where the 说明 first compares.
    pub prior_caliber: String,
    pub income: Structure,
    pub spending: Structure,
    pub appropriation: AppropriationDoc,
    pub general_budget: GeneralBudgetDoc,
    pub basic: BasicDoc,
    pub three_public: ThreePublicDoc,
    pub gov_fund: String,
    pub state_capital: String,
    /// 政府性基金、国有资本经营预算财政拨款：本年收入与逐项支出（上海格式第八、九章）。
    pub gov_fund_detail: FundDoc,
    pub state_capital_detail: FundDoc,
    pub running_costs: RunningCostsDoc,
    pub procurement: ProcurementDoc,
    pub assets: AssetsDoc,
    pub performance: PerformanceDoc,
    pub glossary: Vec<GlossaryEntry>,
    pub charts: Charts,
    /// 附表, in the order of the bureau's table set.
    pub tables: Vec<tables::TableDoc>,
    pub detail: detail::DetailDoc,
}

/// 使用非财政拨款结余、年初结转和结余、结余分配、年末结转和结余 (facts, as printed).
#[derive(Debug, Serialize)]
pub struct BalancesDoc {
    pub reserve_used: String,
    pub opening_balance: String,
    pub balance_allocation: String,
    pub closing_balance: String,
}

/// A figure compared with its prior year, by name.
#[derive(Debug, Serialize)]
pub struct NamedChange {
    pub current: String,
    pub prior: String,
    pub change: Change,
    pub reason: String,
}

/// One part of the document as printed: its key (which the form's templates place) and heading.
#[derive(Debug, Serialize)]
pub struct PartDoc {
    pub key: String,
    pub heading: String,
}

/// The form's parts that have something to print, numbered in order: the 附件 only when there
/// are 绩效 sheets, the 附表 only when the table set has tables.
/// A title may name the bureau (`{name}`) and the year (`{year}`).
fn parts(
    form: &crate::form::Form,
    name: &str,
    year: i64,
    attachments: bool,
    tables: bool,
) -> Vec<PartDoc> {
    form.parts
        .iter()
        .filter(|p| match p.key.as_str() {
            "attachments" => attachments,
            "tables" => tables,
            _ => true,
        })
        .enumerate()
        .map(|(n, p)| PartDoc {
            key: p.key.clone(),
            heading: form
                .part_heading
                .replace("{number}", &crate::form::chinese_number(n + 1))
                .replace("{title}", &p.title)
                .replace("{name}", name)
                .replace("{year}", &year.to_string()),
        })
        .collect()
}

/// 图1 收、支决算总计变动情况图；图2 收入决算结构图；图3 支出决算结构图。
#[derive(Debug, Serialize)]
pub struct Charts {
    pub totals: chart::BarChart,
    pub income: Option<chart::PieChart>,
    pub spending: Option<chart::PieChart>,
}

#[derive(Debug, Serialize)]
pub struct DateParts {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Debug, Serialize)]
pub struct OverviewDoc {
    pub duties: Vec<String>,
    pub key_tasks: Vec<KeyTaskDoc>,
    pub units_total: i64,
    pub administrative: i64,
    pub civil_service_managed: i64,
    pub other_institutions: i64,
    /// 部门决算单位构成, numbered from 1.
    pub units: Vec<UnitDoc>,
}

#[derive(Debug, Serialize)]
pub struct UnitDoc {
    pub number: usize,
    pub name: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct KeyTaskDoc {
    pub title: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TotalsDoc {
    pub grand: String,
    pub change: Change,
    pub reason: String,
}

/// A total and its lines with their shares (收入结构 / 支出结构).
#[derive(Debug, Serialize)]
pub struct Structure {
    pub total: String,
    pub lines: Vec<Line>,
}

#[derive(Debug, Serialize)]
pub struct Line {
    pub label: String,
    pub amount: String,
    pub share: String,
}

#[derive(Debug, Serialize)]
pub struct AppropriationDoc {
    pub grand: String,
    pub change: Change,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct GeneralBudgetDoc {
    pub total: String,
    pub share_of_spending: String,
    pub change: Change,
    pub reason: String,
    pub classes: Vec<Line>,
    /// 预算数合计 as printed (the declared total when the source prints one).
    pub budget: String,
    /// Why the 决算 differs from that 预算数 (one reason for the whole).
    pub budget_reason: String,
    pub completion: Completion,
    pub items: Vec<ItemDoc>,
}

#[derive(Debug, Serialize)]
pub struct ItemDoc {
    pub code: String,
    pub path: PathDoc,
    pub actual: String,
    /// 预算数 (the 年初预算 in forms whose completion is against it).
    pub budget: String,
    pub completion: Completion,
    pub reason: String,
    /// 主要用于 (a fact, as written).
    pub purpose: String,
}

/// An appropriation fund's 本年收入 and its 项 with their 预算数 (the 年初预算 in Shanghai).
#[derive(Debug, Serialize)]
pub struct FundDoc {
    pub income: String,
    pub items: Vec<ItemDoc>,
}

/// A 项's names at each level, for “{类}（类）{款}（款）{项}（项）”.
#[derive(Debug, Serialize)]
pub struct PathDoc {
    /// The 类's name as the catalog has it (一般公共服务支出).
    pub class_full: String,
    /// The 类's name without its closing 支出 (一般公共服务).
    pub class: String,
    pub section: String,
    pub item: String,
}

#[derive(Debug, Serialize)]
pub struct BasicDoc {
    pub total: String,
    pub personnel: String,
    pub operating: String,
    pub personnel_items: Vec<String>,
    pub operating_items: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ThreePublicDoc {
    pub actual: String,
    pub budget: String,
    pub completion: Completion,
    pub change: Change,
    pub reason: String,
    pub overseas: ThreePublicPart,
    pub vehicle: ThreePublicPart,
    pub reception: ThreePublicPart,
    pub overseas_groups: i64,
    pub overseas_people: i64,
    pub vehicle_purchase: String,
    pub vehicle_running: String,
    pub vehicle_purchased: i64,
    pub vehicle_purchases: Vec<CountAmount>,
    pub vehicle_fleet_total: i64,
    pub vehicle_fleet: Vec<CountAmount>,
    pub domestic: ReceptionDoc,
    pub foreign: ReceptionDoc,
}

#[derive(Debug, Serialize)]
pub struct ThreePublicPart {
    pub actual: String,
    pub share: String,
    pub completion: Completion,
    pub change: Change,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct CountAmount {
    pub kind: String,
    pub count: i64,
    pub amount: String,
}

#[derive(Debug, Serialize)]
pub struct ReceptionDoc {
    pub actual: String,
    pub batches: i64,
    pub people: i64,
    pub purpose: String,
    pub content: String,
}

#[derive(Debug, Serialize)]
pub struct RunningCostsDoc {
    pub actual: String,
    pub change: Change,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct ProcurementDoc {
    pub total: String,
    pub goods: String,
    pub works: String,
    pub services: String,
    pub sme: String,
    pub sme_share: String,
    pub small_micro: String,
    pub small_micro_share: String,
    pub purpose: String,
    /// 面向中小企业、小微企业预留的项目预算金额与其中标、成交金额（facts, as given）.
    pub sme_reserved: String,
    pub small_micro_reserved: String,
    pub sme_reserved_awarded: String,
    pub small_micro_reserved_awarded: String,
    pub sme_other_awarded: String,
}

#[derive(Debug, Serialize)]
pub struct AssetsDoc {
    pub vehicle_total: i64,
    pub vehicles: Vec<CountAmount>,
    pub large_equipment: i64,
}

#[derive(Debug, Serialize)]
pub struct PerformanceDoc {
    /// 自评表版式：sichuan | hebei | hunan.
    pub form: crate::model::PerformanceForm,
    pub assessed: Vec<String>,
    pub goals_set: usize,
    pub monitored: usize,
    pub projects: Vec<EvaluationDoc>,
    pub department: Option<EvaluationDoc>,
    /// 项目支出绩效自评表, one per project with indicators (附件).
    pub sheets: Vec<ScoreSheet>,
    /// 开展自评的项目个数、资金、平均得分、各等级个数。
    pub summary: report::EvaluationSummary,
    /// 预算绩效管理情况的汇总数（上海格式第十章），given as facts.
    pub management: Option<ManagementDoc>,
}

#[derive(Debug, Serialize)]
pub struct ManagementDoc {
    pub systems: String,
    pub mechanism: String,
    pub goals_set: ProjectsBudgetDoc,
    pub monitored: ProjectsBudgetDoc,
    pub self_evaluated: ProjectsBudgetDoc,
    pub average_score: String,
    /// 优、良、合格、不合格
    pub grades: Vec<i64>,
    /// 发现问题、已经完成整改、正在整改
    pub issues: Vec<i64>,
}

#[derive(Debug, Serialize)]
pub struct ProjectsBudgetDoc {
    pub projects: i64,
    pub budget: String,
}

/// One 项目支出绩效自评表: funds, execution rate and every indicator with its computed score.
#[derive(Debug, Serialize)]
pub struct ScoreSheet {
    /// 附件序号（部门整体在前）。
    pub number: usize,
    /// 部门整体支出（而不是一个项目）。
    pub whole: bool,
    pub name: String,
    /// 填报单位（本单位）与实施（主管）单位。
    pub bureau: String,
    pub department: String,
    pub initial_budget: String,
    /// 全年预算数、到位数、执行数：合计，及其中财政资金、其他资金。
    pub budget: String,
    pub budget_appropriation: String,
    pub budget_other: String,
    pub arrived: String,
    pub arrived_appropriation: String,
    pub arrived_other: String,
    pub executed: String,
    pub executed_appropriation: String,
    pub executed_other: String,
    pub goal: String,
    pub outcome: String,
    pub goal_completion: String,
    pub problems: String,
    pub suggestions: String,
    /// 财政资金中的中省补助资金与县级预算资金（县级 = 财政资金 − 中省补助）。
    pub budget_upper: String,
    pub budget_county: String,
    pub executed_upper: String,
    pub executed_county: String,
    pub execution_weight: String,
    pub execution_rate: String,
    pub execution_score: String,
    pub rows: Vec<IndicatorRow>,
    pub total: String,
    pub grade: String,
    pub workloads: Vec<WorkloadDoc>,
    /// 支付明细表（按经济科目），使用比例 = 使用金额 ÷ 预算金额。
    pub payments: Vec<PaymentRow>,
    pub payments_total: Option<PaymentRow>,
    /// 叙述式报告的章节。
    pub sections: Vec<SectionDoc>,
    /// 绩效评价报告（印在表之前）。
    pub report: Option<report::ReportDoc>,
}

#[derive(Debug, Serialize)]
pub struct SectionDoc {
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Print the workloads (with 同比) after this section's paragraphs.
    pub workloads: bool,
}

#[derive(Debug, Serialize)]
pub struct PaymentRow {
    pub number: String,
    pub item: String,
    pub budget: String,
    pub applied: String,
    pub used: String,
    /// 使用比例（%），无预算时为“—”。
    pub ratio: String,
}

/// 工作量及同比变化。
#[derive(Debug, Serialize)]
pub struct WorkloadDoc {
    pub name: String,
    pub unit: String,
    pub current: i64,
    pub change: Option<arith::CountChange>,
}

#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    /// 指标解释、计分标准（部门整体打分表）。
    pub explanation: String,
    pub criteria: String,
    /// The first row of its 一级指标: the template prints the 一级指标 (with its weight, the sum
    /// of the weights under it) once, spanning `level1_rows` rows.
    pub level1_first: bool,
    pub level1_rows: usize,
    pub level1_weight: String,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub target: String,
    pub actual: String,
    pub weight: String,
    pub completion: String,
    pub score: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct EvaluationDoc {
    pub name: String,
    pub score: String,
    /// 优 / 良 / 中 / 差
    pub grade: String,
    pub summary: String,
}

/// One 名词解释 entry; `path` is set for a 功能分类 科目.
#[derive(Debug, Serialize)]
pub struct GlossaryEntry {
    pub number: usize,
    /// The number in Chinese (一、二 …), for forms that number terms so.
    pub numeral: String,
    pub term: String,
    pub path: Option<PathDoc>,
    pub text: String,
}

/// The fixed 名词解释 terms of a form, before and after the 科目 entries.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FixedGlossary {
    #[serde(default)]
    pub before: Vec<FixedTerm>,
    #[serde(default)]
    pub after: Vec<FixedTerm>,
}

#[derive(Debug, serde::Deserialize)]
pub struct FixedTerm {
    pub term: String,
    pub text: String,
}

struct Maker {
    ledger: Ledger,
    style: arith::Style,
    /// The 绩效 form's scoring (its grade bands name the grades the reports count).
    scoring: crate::form::Scoring,
}

impl Maker {
    fn money(&mut self, id: &str, op: &Operand, formula: &str) -> String {
        let text = self.style.money(op.value);
        self.ledger
            .record(id, &text, formula, std::slice::from_ref(op));
        text
    }

    fn fact(&mut self, id: &str, label: &str, a: &Amount) -> String {
        self.money(id, &Operand::fact(label, a), "输入")
    }

    /// A subtotal that `Totals` does not hold: summed here from its parts.
    fn sum(&mut self, id: &str, label: &str, parts: &[Operand]) -> Operand {
        let value: Money = parts.iter().map(|p| p.value).sum();
        self.total(id, label, value, parts)
    }

    /// A total computed once in `Totals`, recorded with the parts it is the sum of. Under
    /// `[bureau] totals = "declared"` it may be the source's own total, which the rules have
    /// checked is within the 尾差 of its parts: the formula says so.
    fn total(&mut self, id: &str, label: &str, value: Money, parts: &[Operand]) -> Operand {
        let sum = parts.iter().map(|p| p.value).sum::<Money>();
        let mut formula = parts
            .iter()
            .map(|p| p.label.as_str())
            .collect::<Vec<_>>()
            .join(" + ");
        if sum != value {
            formula = format!(
                "来源表所列合计（{formula} = {}，尾差 {}）",
                self.style.money(sum),
                (value - sum).0.normalize()
            );
        }
        self.ledger
            .record(id, &self.style.money(value), &formula, parts);
        Operand::derived(label, value)
    }

    fn share(&mut self, id: &str, part: &Operand, whole: &Operand) -> String {
        let text = self.style.share(part.value, whole.value);
        self.ledger.record(
            id,
            &text,
            &format!("{} ÷ {} × 100%（四舍五入）", part.label, whole.label),
            &[part.clone(), whole.clone()],
        );
        text
    }

    fn change(&mut self, id: &str, current: &Operand, prior: &Operand) -> Change {
        let c = self.style.change(current.value, prior.value);
        self.ledger.record(
            id,
            &format!(
                "{}{} {}%",
                c.verb,
                c.amount,
                c.percent.as_deref().unwrap_or("—")
            ),
            &format!(
                "|{0} − {1}| ；|{0} − {1}| ÷ {1} × 100%",
                current.label, prior.label
            ),
            &[current.clone(), prior.clone()],
        );
        c
    }

    fn completion(&mut self, id: &str, actual: &Operand, budget: &Operand) -> Completion {
        let c = self.style.completion(actual.value, budget.value);
        self.ledger.record(
            id,
            c.percent.as_deref().unwrap_or("—"),
            &format!("{} ÷ {} × 100%", actual.label, budget.label),
            &[actual.clone(), budget.clone()],
        );
        c
    }

    fn structure(&mut self, id: &str, total: &Operand, lines: &[Operand]) -> Structure {
        let total_text = self.style.money(total.value);
        let omit_zero = self.style.omit_zero_lines;
        Structure {
            total: total_text,
            lines: lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !(omit_zero && arith::printed(l.value).is_zero()))
                .map(|(n, l)| Line {
                    label: l.label.clone(),
                    amount: self.money(&format!("{id}.lines[{n}].amount"), l, "输入"),
                    share: self.share(&format!("{id}.lines[{n}].share"), l, total),
                })
                .collect(),
        }
    }
}

/// A reason or summary as it is placed inside a sentence: the template adds the 。, so trailing
/// punctuation typed by the user is dropped (“厉行节约。” → “厉行节约”).
fn clause(text: &str) -> String {
    text.trim_end_matches(['。', '；', ';', '，', ',', '.', ' '])
        .to_string()
}

fn score_sheet(
    p: &crate::model::ProjectEvaluation,
    score: Option<&crate::performance::ProjectScore>,
    department: &str,
    dp: u32,
) -> ScoreSheet {
    use crate::performance::scoring::{self, Measure};
    let dec = |d: &rust_decimal::Decimal| d.normalize().to_string();
    let opt = |d: &Option<rust_decimal::Decimal>| d.as_ref().map(dec).unwrap_or_else(|| "—".into());
    let amount = |a: &Option<Amount>| {
        a.as_ref()
            .map(|a| arith::money_text(a.value))
            .unwrap_or_default()
    };
    // An unscored 自评表 still lists every indicator (with no score).
    let indicator_scores = score
        .map(|s| s.indicator_scores.clone())
        .unwrap_or_default();
    let rows = p
        .indicators
        .iter()
        .enumerate()
        .map(|(n, i)| (i, indicator_scores.get(n).copied().flatten()))
        .map(|(i, s)| {
            let unit = &i.unit.value;
            let (target, actual) = match &i.measure {
                Measure::Positive { target, actual } => (
                    format!("≥{}{unit}", dec(target)),
                    format!("{}{unit}", dec(actual)),
                ),
                Measure::Reverse { target, actual } => (
                    format!("≤{}{unit}", dec(target)),
                    format!("{}{unit}", dec(actual)),
                ),
                Measure::Equal { target, actual } => (
                    format!("={}{unit}", dec(target)),
                    format!("{}{unit}", dec(actual)),
                ),
                _ => (i.target_text.value.clone(), i.actual_text.value.clone()),
            };
            let group: Vec<_> = p
                .indicators
                .iter()
                .filter(|j| j.level1.value == i.level1.value)
                .collect();
            IndicatorRow {
                explanation: i.explanation.value.clone(),
                criteria: i.criteria.value.clone(),
                level1_first: std::ptr::eq(group[0], i),
                level1_rows: group.len(),
                level1_weight: dec(&group.iter().map(|j| j.weight.value).sum()),
                level1: i.level1.value.clone(),
                level2: i.level2.value.clone(),
                level3: i.level3.value.clone(),
                target,
                actual,
                weight: if i.weighted {
                    dec(&i.weight.value)
                } else {
                    String::new()
                },
                completion: scoring::completion_rate(&i.measure, dp)
                    .map(|c| format!("{}%", arith::percent_text(c, dp)))
                    .unwrap_or_else(|| match &i.measure {
                        Measure::NotApplicable => "不适用".into(),
                        _ => "—".into(),
                    }),
                score: if score.is_some() {
                    opt(&s)
                } else {
                    String::new()
                },
                reason: clause(&i.reason.value),
            }
        })
        .collect();
    let total = |m: Option<Money>| m.map(arith::money_text).unwrap_or_default();
    let county = |all: &Option<Amount>, upper: &Option<Amount>| match (all, upper) {
        (Some(a), Some(u)) => arith::money_text(a.value - u.value),
        (Some(a), None) => arith::money_text(a.value),
        _ => String::new(),
    };
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
        initial_budget: amount(&p.initial_budget),
        budget: total(p.budget_total()),
        budget_appropriation: amount(&p.budget),
        budget_other: amount(&p.other_budget),
        arrived: total(p.arrived_total()),
        arrived_appropriation: amount(&p.arrived),
        arrived_other: amount(&p.other_arrived),
        executed: total(p.executed_total()),
        executed_appropriation: amount(&p.executed),
        executed_other: amount(&p.other_executed),
        goal: p.goal.value.clone(),
        outcome: p.outcome.value.clone(),
        goal_completion: p
            .goal_completion
            .as_ref()
            .map(|g| format!("{}%", dec(&g.value)))
            .unwrap_or_default(),
        problems: p.problems.value.clone(),
        suggestions: p.suggestions.value.clone(),
        budget_upper: amount(&p.upper_budget),
        budget_county: county(&p.budget, &p.upper_budget),
        executed_upper: amount(&p.upper_executed),
        executed_county: county(&p.executed, &p.upper_executed),
        execution_weight: dec(&p.execution_weight.value),
        execution_rate: crate::performance::execution_rate(p)
            .map(|r| {
                format!(
                    "{}%",
                    arith::percent_text(r, crate::performance::RATE_DECIMALS)
                )
            })
            .unwrap_or_else(|| "—".into()),
        execution_score: opt(&score.and_then(|s| s.execution_score)),
        rows,
        total: score.map(|s| dec(&s.total)).unwrap_or_default(),
        grade: score.map(|s| s.grade.clone()).unwrap_or_default(),
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
        payments: p
            .payments
            .iter()
            .enumerate()
            .map(|(n, x)| PaymentRow {
                number: (n + 1).to_string(),
                item: x.item.value.clone(),
                budget: arith::money_text(x.budget.value),
                applied: arith::money_text(x.applied.value),
                used: arith::money_text(x.used.value),
                ratio: arith::share_text(x.used.value, x.budget.value, dp),
            })
            .collect(),
        payments_total: (!p.payments.is_empty()).then(|| {
            let sum = |f: fn(&crate::model::Payment) -> Money| -> Money {
                p.payments.iter().map(f).sum()
            };
            let (budget, used) = (sum(|x| x.budget.value), sum(|x| x.used.value));
            PaymentRow {
                number: String::new(),
                item: "合计".into(),
                budget: arith::money_text(budget),
                applied: arith::money_text(sum(|x| x.applied.value)),
                used: arith::money_text(used),
                ratio: arith::share_text(used, budget, dp),
            }
        }),
        workloads: p
            .workloads
            .iter()
            .map(|w| WorkloadDoc {
                name: w.name.value.clone(),
                unit: w.unit.value.clone(),
                current: w.current.value,
                change: w
                    .prior
                    .as_ref()
                    .map(|pr| arith::count_change(w.current.value, pr.value, dp)),
            })
            .collect(),
    }
}

/// Strips the trailing 支出 of a 类 name for the “（类）” path: 一般公共服务支出 → 一般公共服务.
fn class_short(name: &str) -> String {
    name.strip_suffix("支出").unwrap_or(name).to_string()
}

fn path_of(b: &Bureau, code: &str, item_name: &str) -> PathDoc {
    let name = |len: usize| {
        code.get(..len)
            .and_then(|c| b.catalog.get(c))
            .map(|i| i.name.clone())
            .unwrap_or_default()
    };
    PathDoc {
        class_full: name(3),
        class: class_short(&name(3)),
        section: name(5),
        item: item_name.to_string(),
    }
}

/// Computes the document context for a validated (and rule-clean) model.
/// Fails only on a broken table layout (F003).
pub fn compute(
    b: &Bureau,
    fixed_glossary: &FixedGlossary,
    layouts: &tables::TableLayouts,
) -> Result<Figures, Diagnostics> {
    let id = &b.identity;
    let t = Totals::of(b);
    let tables = tables::build(b, &t, layouts)?;
    let mut m = Maker {
        ledger: Ledger::default(),
        style: arith::Style::of(&id.form, id.percent_decimals, id.prior_zero),
        scoring: b.performance.spec.scoring.clone(),
    };
    let year = id.year.value;

    // 一、收入支出决算总体情况
    let income_lines: Vec<Operand> = b
        .income
        .sources()
        .iter()
        .map(|(l, a)| Operand::fact(*l, a))
        .collect();
    let income_total = m.total("income.total", "本年收入合计", t.income, &income_lines);
    let grand = m.total(
        "totals.grand",
        "收入总计",
        t.income_grand,
        &[
            income_total.clone(),
            Operand::fact("使用非财政拨款结余", &b.income.reserve_used),
            Operand::fact("年初结转和结余", &b.income.opening_balance),
        ],
    );
    let prior_total = Operand::fact("上年收、支总计", &b.prior.total);
    let totals = TotalsDoc {
        grand: m.style.money(grand.value),
        change: m.change("totals.change", &grand, &prior_total),
        reason: clause(&b.prior.total_reason.value),
    };

    // 二、收入 / 三、支出
    // A form may state the three 财政拨款 sources as one line (财政拨款收入).
    let income = if id.form.policy.merge_appropriation_income {
        let (appropriation, rest) = income_lines.split_at(income_lines.len().min(3));
        let merged = m.sum("income.appropriation", "财政拨款收入", appropriation);
        let lines: Vec<Operand> = std::iter::once(merged)
            .chain(rest.iter().cloned())
            .collect();
        m.structure("income", &income_total, &lines)
    } else {
        m.structure("income", &income_total, &income_lines)
    };
    let spending_lines: Vec<Operand> = b
        .spending
        .natures()
        .iter()
        .map(|(l, a)| Operand::fact(*l, a))
        .collect();
    let spending_total = m.total(
        "spending.total",
        "本年支出合计",
        t.spending,
        &spending_lines,
    );
    let spending = m.structure("spending", &spending_total, &spending_lines);

    // A form may compare other figures with their prior (重庆: 收入合计, 支出合计, 年末结转和结余)
    // by name: each whose prior is given gets its change here.
    let closing = Operand::fact("年末结转和结余", &b.spending.closing_balance);
    let mut changes = std::collections::BTreeMap::new();
    for (key, current, prior, reason) in [
        (
            "income_total",
            &income_total,
            &b.prior.income_total,
            &b.prior.income_total_reason,
        ),
        (
            "spending_total",
            &spending_total,
            &b.prior.spending_total,
            &b.prior.spending_total_reason,
        ),
        (
            "closing_balance",
            &closing,
            &b.prior.closing_balance,
            &b.prior.closing_balance_reason,
        ),
    ] {
        let named = prior.as_ref().map(|prior| {
            let prior = Operand::fact(format!("上年{}", current.label), prior);
            NamedChange {
                current: m.style.money(current.value),
                prior: m.style.money(prior.value),
                change: m.change(&format!("changes.{key}"), current, &prior),
                reason: clause(&reason.value),
            }
        });
        changes.insert(key.to_string(), named);
    }

    // 四、财政拨款收入支出决算总体情况
    let appr_grand = Operand::derived("财政拨款收入总计", t.appropriation_grand);
    m.ledger.record(
        "appropriation.grand",
        &m.style.money(t.appropriation_grand),
        "一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款收入 + 年初财政拨款结转和结余",
        &[
            Operand::fact("一般公共预算财政拨款收入", &b.income.general_budget),
            Operand::fact("政府性基金预算财政拨款收入", &b.income.gov_fund),
            Operand::fact("国有资本经营预算财政拨款收入", &b.income.state_capital),
        ],
    );
    let appropriation = AppropriationDoc {
        grand: m.style.money(t.appropriation_grand),
        change: m.change(
            "appropriation.change",
            &appr_grand,
            &Operand::fact("上年财政拨款收、支总计", &b.prior.appropriation_total),
        ),
        reason: clause(&b.prior.appropriation_reason.value),
    };

    // 五、一般公共预算财政拨款支出
    let items = &b.appropriation.general_budget.items;
    let item_ops: Vec<Operand> = items
        .iter()
        .map(|i| Operand::derived(format!("{} {}", i.code.value, i.name), i.actual()))
        .collect();
    let gb_total = m.total(
        "general_budget.total",
        "一般公共预算财政拨款支出",
        t.general_budget,
        &item_ops,
    );
    let classes: Vec<Line> = b
        .headings(items, 3)
        .into_iter()
        .enumerate()
        .map(|(n, h)| {
            let parts: Vec<Operand> = items
                .iter()
                .zip(&item_ops)
                .filter(|(i, _)| i.code.value.starts_with(&h.code))
                .map(|(_, o)| o.clone())
                .collect();
            let class = m.sum(
                &format!("general_budget.classes[{n}].amount"),
                &h.name,
                &parts,
            );
            Line {
                label: h.name.clone(),
                amount: m.style.money(class.value),
                share: m.share(
                    &format!("general_budget.classes[{n}].share"),
                    &class,
                    &gb_total,
                ),
            }
        })
        .collect();
    let budget_ops: Vec<Operand> = items
        .iter()
        .map(|i| match &i.budget {
            Some(bu) => Operand::fact(format!("{} 预算数", i.code.value), bu),
            None => Operand::derived(
                format!("{} 预算数（未填，按决算数）", i.code.value),
                i.actual(),
            ),
        })
        .collect();
    let gb_budget = match &b.general_budget.declared_budget {
        Some(declared) => m.total(
            "general_budget.budget",
            "一般公共预算财政拨款预算数",
            declared.value,
            &budget_ops,
        ),
        None => m.sum(
            "general_budget.budget",
            "一般公共预算财政拨款预算数",
            &budget_ops,
        ),
    };
    let item_docs: Vec<ItemDoc> = items
        .iter()
        .zip(item_ops.iter().zip(&budget_ops))
        .enumerate()
        .map(|(n, (i, (actual, budget)))| ItemDoc {
            code: i.code.value.clone(),
            path: path_of(b, &i.code.value, &i.name),
            actual: m.money(
                &format!("general_budget.items[{n}].actual"),
                actual,
                "基本支出 + 项目支出",
            ),
            budget: m.style.money(budget.value),
            completion: m.completion(
                &format!("general_budget.items[{n}].completion"),
                actual,
                budget,
            ),
            reason: clause(&i.reason.value),
            purpose: clause(&i.purpose.value),
        })
        .collect();
    let general_budget = GeneralBudgetDoc {
        total: m.style.money(gb_total.value),
        share_of_spending: m.share(
            "general_budget.share_of_spending",
            &gb_total,
            &spending_total,
        ),
        change: m.change(
            "general_budget.change",
            &gb_total,
            &Operand::fact("上年一般公共预算财政拨款支出", &b.prior.general_budget),
        ),
        reason: clause(&b.prior.general_budget_reason.value),
        classes,
        budget: m.style.money(gb_budget.value),
        budget_reason: clause(&b.general_budget.budget_reason.value),
        completion: m.completion("general_budget.completion", &gb_total, &gb_budget),
        items: item_docs,
    };

    // 六、基本支出
    let economic = &b.appropriation.general_budget.economic;
    let mut group_doc = |id: &str, group: Group, value: Money| {
        let lines: Vec<&EconomicItem> = economic
            .iter()
            .filter(|e| e.group == group && !e.basic.value.is_zero())
            .collect();
        let parts: Vec<Operand> = lines
            .iter()
            .map(|e| Operand::fact(format!("{} {}", e.code.value, e.name), &e.basic))
            .collect();
        m.total(id, group.label(), value, &parts);
        let names = lines.iter().map(|e| e.name.clone()).collect();
        (m.style.money(value), names)
    };
    let (personnel, personnel_items) = group_doc("basic.personnel", Group::Personnel, t.personnel);
    let (operating, operating_items) = group_doc("basic.operating", Group::Operating, t.operating);
    let basic = BasicDoc {
        total: m.style.money(t.general_budget_basic),
        personnel,
        operating,
        personnel_items,
        operating_items,
    };

    // 七、“三公”经费
    let tp = &b.three_public;
    let ov = &tp.overseas;
    let v = &tp.vehicle;
    let r = &tp.reception;
    let purchase_ops: Vec<Operand> = v
        .purchases
        .iter()
        .map(|p| Operand::fact(format!("{}购置费", p.kind.value), &p.amount))
        .collect();
    let purchase = m.sum(
        "three_public.vehicle_purchase",
        "公务用车购置费",
        &purchase_ops,
    );
    let running = Operand::fact("公务用车运行维护费", &v.running_actual);
    let vehicle = m.total(
        "three_public.vehicle.actual",
        "公务用车购置及运行维护费",
        t.vehicle_actual,
        &[purchase.clone(), running.clone()],
    );
    let vehicle_budget = m.total(
        "three_public.vehicle.budget",
        "公务用车购置及运行维护费预算",
        t.vehicle_budget,
        &[
            Operand::fact("公务用车购置费预算", &v.purchase_budget),
            Operand::fact("公务用车运行维护费预算", &v.running_budget),
        ],
    );
    let vehicle_prior = m.total(
        "three_public.vehicle.prior",
        "上年公务用车购置及运行维护费",
        t.vehicle_prior,
        &[
            Operand::fact("上年公务用车购置费", &v.purchase_prior),
            Operand::fact("上年公务用车运行维护费", &v.running_prior),
        ],
    );
    let reception = m.total(
        "three_public.reception.actual",
        "公务接待费",
        t.reception_actual,
        &[
            Operand::fact("国内公务接待费", &r.domestic.actual),
            Operand::fact("外事接待费", &r.foreign.actual),
        ],
    );
    let overseas = Operand::fact("因公出国（境）费", &ov.actual);
    let tp_actual = m.total(
        "three_public.actual",
        "“三公”经费决算数",
        t.three_public_actual,
        &[overseas.clone(), vehicle.clone(), reception.clone()],
    );
    let tp_budget = m.total(
        "three_public.budget",
        "“三公”经费预算数",
        t.three_public_budget,
        &[
            Operand::fact("因公出国（境）费预算", &ov.budget),
            vehicle_budget.clone(),
            Operand::fact("公务接待费预算", &r.budget),
        ],
    );
    let tp_prior = m.total(
        "three_public.prior",
        "上年“三公”经费",
        t.three_public_prior,
        &[
            Operand::fact("上年因公出国（境）费", &ov.prior),
            vehicle_prior.clone(),
            Operand::fact("上年公务接待费", &r.prior),
        ],
    );
    let mut part =
        |key: &str, actual: &Operand, budget: &Operand, prior: &Operand, reason: &str| {
            ThreePublicPart {
                actual: m.style.money(actual.value),
                share: m.share(&format!("three_public.{key}.share"), actual, &tp_actual),
                completion: m.completion(&format!("three_public.{key}.completion"), actual, budget),
                change: m.change(&format!("three_public.{key}.change"), actual, prior),
                reason: clause(reason),
            }
        };
    let overseas_doc = part(
        "overseas",
        &overseas,
        &Operand::fact("因公出国（境）费预算", &ov.budget),
        &Operand::fact("上年因公出国（境）费", &ov.prior),
        &ov.reason.value,
    );
    let vehicle_doc = part(
        "vehicle",
        &vehicle,
        &vehicle_budget,
        &vehicle_prior,
        &v.reason.value,
    );
    let reception_doc = part(
        "reception",
        &reception,
        &Operand::fact("公务接待费预算", &r.budget),
        &Operand::fact("上年公务接待费", &r.prior),
        &r.reason.value,
    );
    let style = m.style.clone();
    let reception_part = |p: &crate::model::ReceptionPart| ReceptionDoc {
        actual: style.money(p.actual.value),
        batches: p.batches.value,
        people: p.people.value,
        purpose: clause(&p.purpose.value),
        content: clause(&p.content.value),
    };
    let three_public = ThreePublicDoc {
        actual: m.style.money(tp_actual.value),
        budget: m.style.money(tp_budget.value),
        completion: m.completion("three_public.completion", &tp_actual, &tp_budget),
        change: m.change("three_public.change", &tp_actual, &tp_prior),
        reason: clause(&tp.reason.value),
        overseas: overseas_doc,
        vehicle: vehicle_doc,
        reception: reception_doc,
        overseas_groups: ov.groups.value,
        overseas_people: ov.people.value,
        vehicle_purchase: m.style.money(purchase.value),
        vehicle_running: m.style.money(running.value),
        vehicle_purchased: v.purchases.iter().map(|p| p.count.value).sum(),
        vehicle_purchases: v
            .purchases
            .iter()
            .map(|p| CountAmount {
                kind: p.kind.value.clone(),
                count: p.count.value,
                amount: m.style.money(p.amount.value),
            })
            .collect(),
        vehicle_fleet_total: v.fleet.iter().map(|f| f.count.value).sum(),
        vehicle_fleet: v
            .fleet
            .iter()
            .map(|f| CountAmount {
                kind: f.kind.value.clone(),
                count: f.count.value,
                amount: String::new(),
            })
            .collect(),
        domestic: reception_part(&r.domestic),
        foreign: reception_part(&r.foreign),
    };

    // 八、九
    let gov_fund = m.style.money(t.gov_fund);
    let state_capital = m.style.money(t.state_capital);
    let fund_detail = |m: &Maker, income: &Amount, fund: &crate::model::Fund| FundDoc {
        income: m.style.money(income.value),
        items: fund
            .items
            .iter()
            .map(|i| {
                let budget = i.budget.as_ref().map_or(i.actual(), |bu| bu.value);
                ItemDoc {
                    code: i.code.value.clone(),
                    path: path_of(b, &i.code.value, &i.name),
                    actual: m.style.money(i.actual()),
                    budget: m.style.money(budget),
                    completion: m.style.completion(i.actual(), budget),
                    reason: clause(&i.reason.value),
                    purpose: clause(&i.purpose.value),
                }
            })
            .collect(),
    };
    let gov_fund_detail = fund_detail(&m, &b.income.gov_fund, &b.appropriation.gov_fund);
    let state_capital_detail =
        fund_detail(&m, &b.income.state_capital, &b.appropriation.state_capital);

    // 十、其他重要事项
    let rc = &b.running_costs;
    let running_costs = RunningCostsDoc {
        actual: m.fact("running_costs.actual", "机关运行经费", &rc.actual),
        change: m.change(
            "running_costs.change",
            &Operand::fact("机关运行经费", &rc.actual),
            &Operand::fact("上年机关运行经费", &rc.prior),
        ),
        reason: clause(&rc.reason.value),
    };
    let p = &b.procurement;
    let proc_total = m.total(
        "procurement.total",
        "政府采购支出总额",
        t.procurement,
        &[
            Operand::fact("货物", &p.goods),
            Operand::fact("工程", &p.works),
            Operand::fact("服务", &p.services),
        ],
    );
    let sme = Operand::fact("授予中小企业合同金额", &p.sme);
    let small = Operand::fact("授予小微企业合同金额", &p.small_micro);
    let procurement = ProcurementDoc {
        total: m.style.money(proc_total.value),
        goods: m.style.money(p.goods.value),
        works: m.style.money(p.works.value),
        services: m.style.money(p.services.value),
        sme: m.style.money(sme.value),
        sme_share: m.share("procurement.sme_share", &sme, &proc_total),
        small_micro: m.style.money(small.value),
        small_micro_share: m.share("procurement.small_micro_share", &small, &proc_total),
        purpose: clause(&p.purpose.value),
        sme_reserved: m.style.money(p.sme_reserved.value),
        small_micro_reserved: m.style.money(p.small_micro_reserved.value),
        sme_reserved_awarded: m.style.money(p.sme_reserved_awarded.value),
        small_micro_reserved_awarded: m.style.money(p.small_micro_reserved_awarded.value),
        sme_other_awarded: m.style.money(p.sme_other_awarded.value),
    };
    let assets = AssetsDoc {
        vehicle_total: b.assets.vehicles.iter().map(|v| v.count.value).sum(),
        vehicles: b
            .assets
            .vehicles
            .iter()
            .map(|v| CountAmount {
                kind: v.kind.value.clone(),
                count: v.count.value,
                amount: String::new(),
            })
            .collect(),
        large_equipment: b.assets.large_equipment.value,
    };
    let perf = &b.performance;
    let evaluation = |name: &str, e: &crate::model::Evaluation| EvaluationDoc {
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
    let scores: Vec<Option<crate::performance::ProjectScore>> = perf
        .projects
        .iter()
        .map(|p| crate::performance::score_project(p, scoring))
        .collect();
    let unit_default = &id.name.value;
    let mut sheets: Vec<ScoreSheet> = Vec::new();
    // A sheet for whatever has indicators (scored) or a 支付明细表.
    let has_sheet = |p: &crate::model::ProjectEvaluation, score: &Option<_>| {
        score.is_some()
            || !p.payments.is_empty()
            || !p.indicators.is_empty()
            || !p.sections.is_empty()
            || p.report.is_some()
    };
    if let Some(d) = &perf.department
        && has_sheet(d, &department_score)
    {
        let mut sheet = score_sheet(
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
            sheets.push(score_sheet(
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
    let mut scored = |key: String,
                      p: &crate::model::ProjectEvaluation,
                      score: &Option<crate::performance::ProjectScore>| {
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
            None => perf.department.as_ref().and_then(|d| {
                report::department(&mut m, b, &t, d, department_score.as_ref(), &scores)
            }),
            Some(n) => perf.projects.get(*n).and_then(|p| {
                report::project(&mut m, b, *n, p, scores.get(*n).and_then(|s| s.as_ref()))
            }),
        };
    }
    let summary = report::summary(&mut m, b, &scores);
    let performance = PerformanceDoc {
        form: perf.form,
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
            let pb = |p: &crate::model::ProjectsBudget| ProjectsBudgetDoc {
                projects: p.projects.value,
                budget: m.style.money(p.budget.value),
            };
            ManagementDoc {
                systems: clause(&g.systems.value),
                mechanism: g.mechanism.value.trim().to_string(),
                goals_set: pb(&g.goals_set),
                monitored: pb(&g.monitored),
                self_evaluated: pb(&g.self_evaluated),
                average_score: m.style.money(g.average_score.value),
                grades: g.grades.iter().map(|c| c.value).collect(),
                issues: g.issues.iter().map(|c| c.value).collect(),
            }
        }),
    };

    // 名词解释：固定条目 + 本单位用到的科目 + 固定条目
    let mut glossary = Vec::new();
    let mut push = |term: String, path: Option<PathDoc>, text: String| {
        glossary.push(GlossaryEntry {
            number: glossary.len() + 1,
            numeral: crate::form::chinese_number(glossary.len() + 1),
            term,
            path,
            text,
        })
    };
    for f in &fixed_glossary.before {
        push(f.term.clone(), None, f.text.clone());
    }
    let a = &b.appropriation;
    // Every 项 the bureau used, from any fund, each once in code order.
    let used: std::collections::BTreeMap<&str, &str> =
        [&a.general_budget, &a.gov_fund, &a.state_capital]
            .iter()
            .flat_map(|f| {
                f.items
                    .iter()
                    .map(|i| (i.code.value.as_str(), i.name.as_str()))
            })
            .chain(
                b.non_appropriation
                    .iter()
                    .map(|i| (i.code.value.as_str(), i.name.as_str())),
            )
            .collect();
    let subjects = if id.form.policy.omit_subject_glossary {
        std::collections::BTreeMap::new()
    } else {
        used
    };
    for (code, name) in subjects {
        if let Some(text) = b.catalog.get(code).and_then(|c| c.explanation.clone()) {
            push(code.to_string(), Some(path_of(b, code, name)), text);
        }
    }
    for f in &fixed_glossary.after {
        push(f.term.clone(), None, f.text.clone());
    }

    let charts = Charts {
        totals: chart::bars(
            &[&format!("{}年", year - 1), &format!("{year}年")],
            &[
                ("收入总计", vec![b.prior.total.value, grand.value]),
                ("支出总计", vec![b.prior.total.value, t.spending_grand]),
            ],
            &m.style,
        ),
        income: chart::pie(&b.income.sources().map(|(l, a)| (l, a.value)), &m.style),
        spending: chart::pie(&b.spending.natures().map(|(l, a)| (l, a.value)), &m.style),
    };

    let o = &b.overview;
    let doc = Document {
        form: id.form.key.clone(),
        parts: parts(
            &id.form,
            &id.name.value,
            year,
            !performance.sheets.is_empty(),
            !tables.is_empty(),
        ),
        changes,
        balances: BalancesDoc {
            reserve_used: m.style.money(b.income.reserve_used.value),
            opening_balance: m.style.money(b.income.opening_balance.value),
            balance_allocation: m.style.money(b.spending.balance_allocation.value),
            closing_balance: m.style.money(b.spending.closing_balance.value),
        },
        document: id.document,
        name: id.name.value.clone(),
        short_name: id.short_name.value.clone(),
        year,
        prior_year: year - 1,
        publish_date: DateParts {
            year: id.publish_date.0,
            month: id.publish_date.1,
            day: id.publish_date.2,
        },
        overview: OverviewDoc {
            duties: o.duties.iter().map(|d| d.value.clone()).collect(),
            key_tasks: o
                .key_tasks
                .iter()
                .map(|k| KeyTaskDoc {
                    title: k.title.value.clone(),
                    paragraphs: k.paragraphs.iter().map(|p| p.value.clone()).collect(),
                })
                .collect(),
            units_total: o.administrative.value
                + o.civil_service_managed.value
                + o.other_institutions.value,
            administrative: o.administrative.value,
            civil_service_managed: o.civil_service_managed.value,
            other_institutions: o.other_institutions.value,
            units: o
                .units
                .iter()
                .enumerate()
                .map(|(n, u)| UnitDoc {
                    number: n + 1,
                    name: u.name.value.clone(),
                    note: u.note.value.clone(),
                })
                .collect(),
        },
        totals,
        prior_caliber: clause(&b.prior.caliber_change.value),
        income,
        spending,
        appropriation,
        general_budget,
        basic,
        three_public,
        gov_fund,
        state_capital,
        gov_fund_detail,
        state_capital_detail,
        running_costs,
        procurement,
        assets,
        performance,
        glossary,
        charts,
        tables,
        detail: detail::compute(b),
    };
    let mut ledger = m.ledger;
    tables::record(&doc.tables, &mut ledger);
    Ok(Figures { doc, ledger })
}
