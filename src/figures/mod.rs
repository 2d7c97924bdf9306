//! 派生数字：合计、占比、增减、完成预算，以及文中据此选用的措辞。
//!
//! The document context the templates place. Every number in it was computed here (through
//! [`arith`]) and recorded in the [`Ledger`] with its formula and inputs; every sign-dependent word
//! (增加/减少, 增长/下降, 持平, 大于/小于/等于) was decided here. Templates only choose among these
//! prepared values.
//!
//! This file declares the context (the types a template sees, in one place) and assembles it;
//! each part or chapter of the document computes its own piece in a module of its own
//! (`overall`, `income`, `spending`, `appropriation`, `general_budget`, `basic`, `three_public`,
//! `funds`, `running_costs`, `procurement`, `assets`, `evaluation` and `sheet` for the 绩效 parts,
//! `overview`, `glossary`, `chart`), so a form with other chapters adds a module, not a branch.

pub mod chart;
pub mod detail;
pub mod extra;
pub mod ledger;
pub mod report;
pub mod tables;

// The parts and chapters of the document, each computing its part of the context in the order
// a 说明 reads (四川's numbering; other forms place the same parts in their own order).
mod appropriation;
mod assets;
mod basic;
mod evaluation;
mod funds;
mod general_budget;
mod glossary;
mod income;
mod overall;
mod overview;
mod procurement;
mod running_costs;
mod sheet;
mod spending;
mod three_public;

use serde::Serialize;

use crate::arith::{self, Change, Completion};
pub use crate::model::Totals;
pub use ledger::{Ledger, Operand, Record};

use crate::diagnostic::Diagnostics;
use crate::model::{Amount, Bureau};
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
    /// The budget the 一般公共预算's and each 项's completion is against, in the form's words
    /// (`[words] adjusted_budget` / `initial_budget`): “完成{{ doc.budget_base }}的X%” prints
    /// 完成预算的、完成全年预算的 or 完成年初预算的 as the base actually used.
    pub budget_base: String,
    /// Each 项's sentence also gives its completion (`item_sentence = "completion"`).
    pub item_completion: bool,
    pub income: Structure,
    pub spending: Structure,
    pub appropriation: AppropriationDoc,
    pub general_budget: GeneralBudgetDoc,
    pub basic: BasicDoc,
    /// 没有任何“三公”事实时不在（absent）：各表式略去“三公”一章（R051 提示）。
    pub three_public: Option<ThreePublicDoc>,
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
    /// The form's own facts and figures and the built-in facts' figures by name: the template
    /// context's top-level `extra` (see [`extra`]), not part of `doc`.
    #[serde(skip)]
    pub extra: extra::ExtraDoc,
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
    let year = year.to_string();
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
            heading: fill_placeholders(
                &form.part_heading,
                &[
                    ("{number}", &crate::form::chinese_number(n + 1)),
                    (
                        "{title}",
                        &fill_placeholders(&p.title, &[("{name}", name), ("{year}", &year)]),
                    ),
                    ("{name}", name),
                    ("{year}", &year),
                ],
            ),
        })
        .collect()
}

/// The pattern with each placeholder replaced by its value, in one pass: a value is printed as
/// it is, never searched for placeholders again (a unit named `{subject}` prints its name, and
/// the output is at most the pattern's length times the longest value).
pub(crate) fn fill_placeholders(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        match values.iter().find(|(key, _)| tail.starts_with(key)) {
            Some((key, value)) => {
                out.push_str(value);
                rest = &tail[key.len()..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
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
    /// Absent when the prior year's total is not given (so for every `change` below).
    pub change: Option<Change>,
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
    pub change: Option<Change>,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct GeneralBudgetDoc {
    pub total: String,
    pub share_of_spending: String,
    pub change: Option<Change>,
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
    /// 决算数、预算数：各项都填了（或来源表给了合计）才在；没有填的金额不在（absent），由它算出的
    /// 完成预算、增减、占比也不在，模板略去其分句（金额的表格照印 0，见各表）。
    pub actual: Option<String>,
    pub budget: Option<String>,
    pub completion: Option<Completion>,
    pub change: Option<Change>,
    pub reason: String,
    pub overseas: ThreePublicPart,
    pub vehicle: ThreePublicPart,
    pub reception: ThreePublicPart,
    /// 团组数、人次：没有填的不在（absent），模板略去其分句。
    pub overseas_groups: Option<i64>,
    pub overseas_people: Option<i64>,
    /// 公务用车购置费与购置辆数：购置各行之和（一个列表，车辆的运行维护费或合计填了而没有列购置
    /// 就是 0）；车辆什么都没有填时不在（absent），模板略去购置一句。
    pub vehicle_purchase: Option<String>,
    pub vehicle_running: Option<String>,
    pub vehicle_purchased: Option<i64>,
    pub vehicle_purchases: Vec<CountAmount>,
    /// 公务用车保有量：保有各行之和；车辆的决算数不知道、也没有列保有量时不在（absent）。
    pub vehicle_fleet_total: Option<i64>,
    pub vehicle_fleet: Vec<CountAmount>,
    pub domestic: ReceptionDoc,
    pub foreign: ReceptionDoc,
}

#[derive(Debug, Serialize)]
pub struct ThreePublicPart {
    pub actual: Option<String>,
    pub share: Option<String>,
    pub completion: Option<Completion>,
    pub change: Option<Change>,
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
    pub actual: Option<String>,
    /// 批次、人次：没有填的不在（absent），模板略去其分句。
    pub batches: Option<i64>,
    pub people: Option<i64>,
    pub purpose: String,
    pub content: String,
}

#[derive(Debug, Serialize)]
pub struct RunningCostsDoc {
    /// 没有填的不在（absent），由它算出的增减也不在。
    pub actual: Option<String>,
    pub change: Option<Change>,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct ProcurementDoc {
    /// Each amount as given; one left out is absent, and so is a total or share computed from it.
    pub total: Option<String>,
    pub goods: Option<String>,
    pub works: Option<String>,
    pub services: Option<String>,
    pub sme: Option<String>,
    pub sme_share: Option<String>,
    pub small_micro: Option<String>,
    pub small_micro_share: Option<String>,
    pub purpose: String,
    /// 面向中小企业、小微企业预留的项目预算金额与其中标、成交金额（facts, as given）.
    pub sme_reserved: Option<String>,
    pub small_micro_reserved: Option<String>,
    pub sme_reserved_awarded: Option<String>,
    pub small_micro_reserved_awarded: Option<String>,
    pub sme_other_awarded: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AssetsDoc {
    pub vehicle_total: i64,
    pub vehicles: Vec<CountAmount>,
    /// 单价 100 万元以上设备台（套）数：没有填的不在（absent），模板略去这一句。
    pub large_equipment: Option<i64>,
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

/// 预算绩效管理情况. Every part is a fact the input may leave out: an absent one is absent here
/// (not "" and not 0), so a template that prints it without asking fails the build, and the
/// form's sentence leaves its clause out.
#[derive(Debug, Serialize)]
pub struct ManagementDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub systems: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goals_set: Option<ProjectsBudgetDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitored: Option<ProjectsBudgetDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_evaluated: Option<ProjectsBudgetDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average_score: Option<String>,
    /// 优、良、合格、不合格 project counts, those given.
    pub grades: GradesDoc,
    /// 发现问题、已经完成整改、正在整改, those given.
    pub issues: IssuesDoc,
}

#[derive(Debug, Serialize)]
pub struct ProjectsBudgetDoc {
    pub projects: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct GradesDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excellent: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub good: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct IssuesDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixing: Option<i64>,
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

    /// A given amount, printed and recorded as an input; `None` (nothing recorded) when absent.
    fn given_fact(&mut self, id: &str, op: Option<&Operand>) -> Option<String> {
        op.map(|o| self.money(id, o, "输入"))
    }

    /// A total of `parts` (see [`Maker::total`]) when it rests only on given amounts: every part
    /// given, or the source's own total `declared` (which the rules have checked against the
    /// given parts, a left-out part counting as a blank line). `None`, and nothing recorded,
    /// when a part it needs was left out.
    fn given_total(
        &mut self,
        id: &str,
        label: &str,
        value: Money,
        parts: &[Option<Operand>],
        declared: bool,
    ) -> Option<Operand> {
        if !declared && parts.iter().any(Option::is_none) {
            return None;
        }
        let given: Vec<Operand> = parts.iter().flatten().cloned().collect();
        Some(self.total(id, label, value, &given))
    }

    /// [`Maker::change`] when both amounts are given; `None` (nothing recorded) otherwise.
    fn given_change(
        &mut self,
        id: &str,
        current: Option<&Operand>,
        prior: Option<&Operand>,
    ) -> Option<Change> {
        Some(self.change(id, current?, prior?))
    }

    /// [`Maker::completion`] when both amounts are given; `None` (nothing recorded) otherwise.
    fn given_completion(
        &mut self,
        id: &str,
        actual: Option<&Operand>,
        budget: Option<&Operand>,
    ) -> Option<Completion> {
        Some(self.completion(id, actual?, budget?))
    }

    /// [`Maker::share`] when both amounts are given; `None` (nothing recorded) otherwise.
    fn given_share(
        &mut self,
        id: &str,
        part: Option<&Operand>,
        whole: Option<&Operand>,
    ) -> Option<String> {
        Some(self.share(id, part?, whole?))
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
/// A fact the input gave; `None` when it was left out (its default is never printed).
pub(super) fn given<T: Clone>(fact: &crate::model::Fact<T>) -> Option<T> {
    fact.loc.as_ref().map(|_| fact.value.clone())
}

/// An amount the input gave, as an operand; `None` when it was left out.
///
/// *Given* means the TOML has the key, or the workbook's key–value cell is filled: the model's
/// `Fact::loc` is then set. A left-out amount keeps the model's default 0 for the tables, which
/// print a blank cell as the form's 0 (the 公开表 convention), but it is unknown to the text: no
/// sentence prints it, no figure is computed from it (not its change, completion or share, nor a
/// total it is a part of), and `juesuan figures` lists none.
/// How the ledger names a declared input fact: its label in `src/schema/` (`crate::schema::label`).
fn label(key: &str) -> String {
    crate::schema::label(key).unwrap_or_else(|| panic!("{key} is not declared in src/schema/"))
}

fn given_amount(label: impl Into<String>, a: &Amount) -> Option<Operand> {
    a.loc.as_ref().map(|_| Operand::fact(label, a))
}

/// A text the input gave, as a clause; `None` when left out or blank.
fn given_clause(text: &crate::model::Text) -> Option<String> {
    Some(clause(text.value.trim())).filter(|c| !c.is_empty())
}

fn clause(text: &str) -> String {
    text.trim_end_matches(['。', '；', ';', '，', ',', '.', ' '])
        .to_string()
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

/// Computes the document context for a validated (and rule-clean) model, chapter by chapter in
/// the order their figures enter the ledger. Fails only on a broken table layout (F003).
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

    let income_figures = income::figures(&mut m, b, &t);
    let (totals, grand) = overall::doc(&mut m, b, &t, &income_figures.total);
    let income = income::doc(&mut m, b, &income_figures);
    let (spending, spending_total) = spending::doc(&mut m, b, &t);
    let changes = overall::changes(&mut m, b, &income_figures.total, &spending_total);
    let appropriation = appropriation::doc(&mut m, b, &t);
    let general_budget = general_budget::doc(&mut m, b, &t, &spending_total);
    let basic = basic::doc(&mut m, b, &t);
    let three_public = three_public::doc(&mut m, b, &t);
    let funds = funds::doc(&m, b, &t);
    let running_costs = running_costs::doc(&mut m, b);
    let procurement = procurement::doc(&mut m, b, &t);
    let assets = assets::doc(b);
    let performance = evaluation::doc(&mut m, b, &t);
    let glossary = glossary::doc(b, fixed_glossary);
    let charts = chart::doc(b, &t, &grand, &m.style);
    let extra = extra::doc(&mut m, b, &t);

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
        balances: overall::balances(&m, b),
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
        overview: overview::doc(b),
        totals,
        prior_caliber: clause(&b.prior.caliber_change.value),
        budget_base: b
            .identity
            .form
            .words
            .budget_base(b.identity.form.policy.completion_base)
            .to_string(),
        item_completion: b.identity.form.policy.item_sentence
            == crate::form::ItemSentence::Completion,
        income,
        spending,
        appropriation,
        general_budget,
        basic,
        three_public,
        gov_fund: funds.gov_fund,
        state_capital: funds.state_capital,
        gov_fund_detail: funds.gov_fund_detail,
        state_capital_detail: funds.state_capital_detail,
        running_costs,
        procurement,
        assets,
        performance,
        glossary,
        charts,
        tables,
        detail: detail::compute(b),
        extra,
    };
    let mut ledger = m.ledger;
    tables::record(&doc.tables, &mut ledger);
    Ok(Figures { doc, ledger })
}

#[cfg(test)]
mod tests {
    use super::fill_placeholders;

    #[test]
    fn placeholders_are_filled_once_and_values_printed_as_typed() {
        let title = fill_placeholders(
            "{name}{year}年度部门决算表",
            &[("{name}", "某{year}局"), ("{year}", "2024")],
        );
        assert_eq!(title, "某{year}局2024年度部门决算表");
        let heading = fill_placeholders(
            "第{number}部分　{title}{",
            &[("{number}", "二"), ("{title}", &title)],
        );
        assert_eq!(heading, "第二部分　某{year}局2024年度部门决算表{");
    }
}
