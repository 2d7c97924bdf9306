//! 原始记录 → 经校验的事实。金额按原文精确读取，编码查科目表，枚举值逐一核对。

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;

use super::choices;
use super::*;
use crate::catalog::{Catalog, CodeInfo, Group, Level, YearFit};
use crate::diagnostic::codes;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::form::{Form, Forms, PerformanceSpec, number::MAX_PERCENT_DECIMALS};
use crate::input::SourceFile;
use crate::input::codes as input_codes;
use crate::input::raw::{self, AmountLit};
use crate::input::section;
use crate::input::section::Values as _;
use crate::money::{AmountError, parse_amount};

/// The form of an input that names none.
pub const DEFAULT_FORM: &str = "sichuan";

/// The 绩效 form of an input that names none.
pub const DEFAULT_PERFORMANCE_FORM: &str = "sichuan";

/// Builds the validated model. Returns `None` when a fact could not be read at all; every
/// problem found on the way is in the diagnostics.
pub fn build(
    raw: &raw::RawBureau,
    source: &SourceFile,
    forms: &Forms,
    diags: &mut Diagnostics,
) -> Option<Bureau> {
    let mut b = Builder {
        source,
        forms,
        diags,
        unit: Unit::Wan,
        unknown_codes: CodeList::default(),
        input_named_codes: CodeList::default(),
        facts: Facts::default(),
    };
    let identity = b.identity(&raw.bureau);
    b.unit = identity.unit;
    // A year outside the catalogs (reported once, by `identity`) is checked with the nearest
    // year's catalog rather than an empty one.
    let mut catalog = Catalog::for_year(crate::catalog::catalog_year(identity.year.value));
    for entry in &raw.catalog {
        // A code added here is the input's deliberate supplement to the catalog: not noted
        // (R048 notes names given only on the line that uses a code).
        catalog.insert(
            entry.required_text("code").get_ref().trim().to_string(),
            CodeInfo {
                name: entry.required_text("name").get_ref().trim().to_string(),
                explanation: entry
                    .text("explanation")
                    .map(|e| e.get_ref().trim().to_string()),
            },
        );
    }
    let r = raw;
    let overview = Overview {
        duties: r
            .overview
            .lists
            .duties
            .iter()
            .map(|t| b.text_req(t))
            .collect(),
        key_tasks: r
            .overview
            .lists
            .key_tasks
            .iter()
            .map(|k| KeyTask {
                title: b.text_req(&k.required_text("title")),
                paragraphs: k
                    .texts("paragraphs")
                    .iter()
                    .map(|t| b.text_req(t))
                    .collect(),
            })
            .collect(),
        administrative: b.count_at(&r.overview, "overview.organization.administrative"),
        civil_service_managed: b
            .count_at(&r.overview, "overview.organization.civil_service_managed"),
        units: b
            .capped(&r.overview.lists.units, MAX_ROWS, "overview.units", |u| {
                u.required_text("name").span()
            })
            .iter()
            .map(|u| MemberUnit {
                name: b.text_req(&u.required_text("name")),
                note: b.text(&u.text("note")),
            })
            .collect(),
        other_institutions: b.count_at(&r.overview, "overview.organization.other_institutions"),
        duties_preamble: r
            .overview
            .lists
            .duties_preamble
            .iter()
            .map(|t| b.text_req(t))
            .collect(),
        setup: r
            .overview
            .lists
            .setup
            .iter()
            .map(|t| b.text_req(t))
            .collect(),
    };
    let p = &r.prior_year;
    let prior = PriorYear {
        total: b.amount_at(p, "prior_year.total"),
        total_reason: b.text_at(p, "prior_year.total_reason"),
        appropriation_total: b.amount_at(p, "prior_year.appropriation_total"),
        appropriation_reason: b.text_at(p, "prior_year.appropriation_reason"),
        general_budget: b.amount_at(p, "prior_year.general_budget"),
        general_budget_reason: b.text_at(p, "prior_year.general_budget_reason"),
        income_total: b.declared_at(p, "prior_year.income_total"),
        income_total_reason: b.text_at(p, "prior_year.income_total_reason"),
        spending_total: b.declared_at(p, "prior_year.spending_total"),
        spending_total_reason: b.text_at(p, "prior_year.spending_total_reason"),
        closing_balance: b.declared_at(p, "prior_year.closing_balance"),
        closing_balance_reason: b.text_at(p, "prior_year.closing_balance_reason"),
        caliber_change: b.text_at(p, "prior_year.caliber_change"),
    };
    let i = &r.income;
    let income = Income {
        general_budget: b.amount_at(i, "income.general_budget"),
        gov_fund: b.amount_at(i, "income.gov_fund"),
        state_capital: b.amount_at(i, "income.state_capital"),
        upper_grant: b.amount_at(i, "income.upper_grant"),
        service: b.amount_at(i, "income.service"),
        business: b.amount_at(i, "income.business"),
        affiliate: b.amount_at(i, "income.affiliate"),
        other: b.amount_at(i, "income.other"),
        reserve_used: b.amount_at(i, "income.reserve_used"),
        opening_balance: b.amount_at(i, "income.opening_balance"),
        declared_total: b.declared_at(i, "income.declared_total"),
        declared_grand_total: b.declared_at(i, "income.declared_grand_total"),
    };
    let s = &r.spending;
    let spending = Spending {
        basic: b.amount_at(s, "spending.basic"),
        project: b.amount_at(s, "spending.project"),
        upper_remit: b.amount_at(s, "spending.upper_remit"),
        business: b.amount_at(s, "spending.business"),
        affiliate_grant: b.amount_at(s, "spending.affiliate_grant"),
        balance_allocation: b.amount_at(s, "spending.balance_allocation"),
        closing_balance: b.amount_at(s, "spending.closing_balance"),
        declared_total: b.declared_at(s, "spending.declared_total"),
        declared_grand_total: b.declared_at(s, "spending.declared_grand_total"),
        declared_classes: b.declared_map(&s.lists.declared_classes),
    };
    let a = &r.appropriation;
    let gb = &r.general_budget;
    let appropriation = Appropriation {
        declared_income_total: b.declared_at(a, "appropriation.declared_income_total"),
        declared_grand_total: b.declared_at(a, "appropriation.declared_grand_total"),
        declared_classes: b.declared_map(&a.lists.declared_classes),
        general_budget: b.fund(
            a,
            "appropriation.general_budget",
            (&gb.lists.items, "general_budget.items"),
            (&gb.lists.economic, "general_budget.economic"),
            &catalog,
        ),
        gov_fund: b.fund(
            a,
            "appropriation.gov_fund",
            (&a.lists.gov_fund_items, "appropriation.gov_fund.items"),
            (
                &a.lists.gov_fund_economic,
                "appropriation.gov_fund.economic",
            ),
            &catalog,
        ),
        state_capital: b.fund(
            a,
            "appropriation.state_capital",
            (
                &a.lists.state_capital_items,
                "appropriation.state_capital.items",
            ),
            (
                &a.lists.state_capital_economic,
                "appropriation.state_capital.economic",
            ),
            &catalog,
        ),
    };
    let mut seen = BTreeSet::new();
    let non_appropriation = b
        .capped(
            &r.non_appropriation.lists.items,
            MAX_LINES,
            "non_appropriation.items",
            |i| i.required_text("code").span(),
        )
        .iter()
        .map(|i| b.non_appropriation_item(i, &catalog, &mut seen))
        .collect();
    let misplaced = a
        .lists
        .general_budget_items
        .first()
        .map(|i| i.required_text("code").span())
        .or_else(|| {
            a.lists
                .general_budget_economic
                .first()
                .map(|e| e.required_text("code").span())
        });
    if let Some(span) = misplaced {
        b.diags.push(
            Diagnostic::of(input_codes::VALUE, "一般公共预算的明细应写在 [[general_budget.items]] 与 [[general_budget.economic]]")
                .at(&source.location(span))
                .hint("把这些条目移到 [[general_budget.items]]（功能分类）或 [[general_budget.economic]]（经济分类）；[appropriation.general_budget] 只填年初、年末结转和结余。"),
        );
    }
    let general_budget = GeneralBudget {
        declared_total: b.declared_at(gb, "general_budget.declared_total"),
        declared_budget: b.declared_at(gb, "general_budget.declared_budget"),
        budget_reason: b.text_at(gb, "general_budget.budget_reason"),
        declared_personnel: b.declared_at(gb, "general_budget.declared_personnel"),
        declared_operating: b.declared_at(gb, "general_budget.declared_operating"),
        declared_basic: b.declared_at(gb, "general_budget.declared_basic"),
        declared_project: b.declared_at(gb, "general_budget.declared_project"),
        declared_subtotals: b.declared_map(&gb.lists.declared_subtotals),
        declared_economic_subtotals: b.declared_map(&gb.lists.declared_economic_subtotals),
    };
    let t = &r.three_public;
    let three_public = ThreePublic {
        reason: b.text_at(t, "three_public.reason"),
        declared_actual: b.declared_at(t, "three_public.declared_actual"),
        declared_budget: b.declared_at(t, "three_public.declared_budget"),
        declared_prior: b.declared_at(t, "three_public.declared_prior"),
        overseas: Overseas {
            budget: b.amount_at(t, "three_public.overseas.budget"),
            actual: b.amount_at(t, "three_public.overseas.actual"),
            prior: b.amount_at(t, "three_public.overseas.prior"),
            groups: b.count_at(t, "three_public.overseas.groups"),
            people: b.count_at(t, "three_public.overseas.people"),
            reason: b.text_at(t, "three_public.overseas.reason"),
            content: b.text_at(t, "three_public.overseas.content"),
        },
        vehicle: Vehicle {
            purchase_budget: b.amount_at(t, "three_public.vehicle.purchase_budget"),
            purchase_prior: b.amount_at(t, "three_public.vehicle.purchase_prior"),
            running_budget: b.amount_at(t, "three_public.vehicle.running_budget"),
            running_actual: b.amount_at(t, "three_public.vehicle.running_actual"),
            running_prior: b.amount_at(t, "three_public.vehicle.running_prior"),
            declared_actual: b.declared_at(t, "three_public.vehicle.declared_actual"),
            reason: b.text_at(t, "three_public.vehicle.reason"),
            purchase_purpose: b.text_at(t, "three_public.vehicle.purchase_purpose"),
            running_purpose: b.text_at(t, "three_public.vehicle.running_purpose"),
            purchases: t
                .lists
                .purchases
                .iter()
                .map(|p| VehiclePurchase {
                    kind: b.text_req(&p.required_text("kind")),
                    count: b.count(&p.count("count")),
                    amount: b.amount(&p.amount("amount")),
                })
                .collect(),
            fleet: t.lists.fleet.iter().map(|v| b.vehicle_count(v)).collect(),
        },
        reception: Reception {
            budget: b.amount_at(t, "three_public.reception.budget"),
            prior: b.amount_at(t, "three_public.reception.prior"),
            reason: b.text_at(t, "three_public.reception.reason"),
            domestic: b.reception_part(t, "three_public.reception.domestic"),
            foreign: b.reception_part(t, "three_public.reception.foreign"),
        },
    };
    let running_costs = RunningCosts {
        actual: b.amount_at(&r.running_costs, "running_costs.actual"),
        prior: b.amount_at(&r.running_costs, "running_costs.prior"),
        reason: b.text_at(&r.running_costs, "running_costs.reason"),
    };
    let pr = &r.procurement;
    let procurement = Procurement {
        goods: b.amount_at(pr, "procurement.goods"),
        works: b.amount_at(pr, "procurement.works"),
        services: b.amount_at(pr, "procurement.services"),
        sme: b.amount_at(pr, "procurement.sme"),
        small_micro: b.amount_at(pr, "procurement.small_micro"),
        declared_total: b.declared_at(pr, "procurement.declared_total"),
        purpose: b.text_at(pr, "procurement.purpose"),
        sme_reserved: b.amount_at(pr, "procurement.sme_reserved"),
        small_micro_reserved: b.amount_at(pr, "procurement.small_micro_reserved"),
        sme_reserved_awarded: b.amount_at(pr, "procurement.sme_reserved_awarded"),
        small_micro_reserved_awarded: b.amount_at(pr, "procurement.small_micro_reserved_awarded"),
        sme_other_awarded: b.amount_at(pr, "procurement.sme_other_awarded"),
    };
    let assets = Assets {
        large_equipment: b.count_at(&r.assets, "assets.large_equipment"),
        vehicles: r
            .assets
            .lists
            .vehicles
            .iter()
            .map(|v| b.vehicle_count(v))
            .collect(),
        declared_vehicles: b.given_count_at(&r.assets, "assets.declared_vehicles"),
    };
    let performance_spec = b.performance_form(r.performance.text("performance.form").as_ref());
    let performance = Performance {
        form: performance_spec.layout.clone(),
        spec: performance_spec,
        department: r
            .performance
            .lists
            .department
            .as_ref()
            .map(|d| b.evaluation(d, Some(&identity.name))),
        projects: b
            .capped(
                &r.performance.lists.projects,
                MAX_PROJECTS,
                "performance.projects",
                |p| p.text("name").map(|n| n.span()).unwrap_or(0..0),
            )
            .iter()
            .map(|p| b.evaluation(p, None))
            .collect(),
        management: r.performance.has_table("management").then(|| {
            let m = &r.performance;
            let mut pb = |at: &str| ProjectsBudget {
                projects: b.count_at(m, &format!("performance.management.{at}.projects")),
                budget: b.amount_at(m, &format!("performance.management.{at}.budget")),
            };
            let goals_set = pb("goals_set");
            let monitored = pb("monitored");
            let self_evaluated = pb("self_evaluated");
            let grade = |at: &str| format!("performance.management.grades.{at}");
            let issue = |at: &str| format!("performance.management.issues.{at}");
            Management {
                systems: b.text_at(m, "performance.management.systems"),
                mechanism: b.text_at(m, "performance.management.mechanism"),
                goals_set,
                monitored,
                self_evaluated,
                average_score: b.amount_at(m, "performance.management.average_score"),
                grades: [
                    b.count_at(m, &grade("excellent")),
                    b.count_at(m, &grade("good")),
                    b.count_at(m, &grade("pass")),
                    b.count_at(m, &grade("fail")),
                ],
                issues: [
                    b.count_at(m, &issue("found")),
                    b.count_at(m, &issue("fixed")),
                    b.count_at(m, &issue("fixing")),
                ],
            }
        }),
    };
    let form_at = raw
        .bureau
        .text("bureau.form")
        .map(|f| b.loc(f.span()))
        .or_else(|| identity.name.loc.clone());
    let extra = b.extra(raw, &identity.form, form_at);
    let declared_rows = b.declared_rows(&raw.declared_rows);
    b.report_unknown_codes();
    b.report_input_named_codes();
    // Facts no field above reads (a newly declared one): validated here, in key order, so
    // figures can read them by key.
    b.rest_of(&r.overview);
    b.rest_of(&r.prior_year);
    b.rest_of(&r.income);
    b.rest_of(&r.spending);
    b.rest_of(&r.appropriation);
    b.rest_of(&r.general_budget);
    b.rest_of(&r.three_public);
    b.rest_of(&r.running_costs);
    b.rest_of(&r.procurement);
    b.rest_of(&r.assets);
    b.rest_of(&r.performance);
    let facts = std::mem::take(&mut b.facts);
    Some(Bureau {
        facts,
        extra,
        declared_rows,
        identity,
        overview,
        prior,
        income,
        spending,
        appropriation,
        general_budget,
        non_appropriation,
        three_public,
        running_costs,
        procurement,
        assets,
        performance,
        catalog,
    })
}

/// How many 功能分类 or 经济分类 lines one list may hold: far more than any department has
/// (the largest seen have a few hundred), few enough that a runaway input stops early.
const MAX_LINES: usize = 10_000;
/// How many projects one package may evaluate.
const MAX_PROJECTS: usize = 2_000;
/// How many indicators, payments or workloads one project may list.
const MAX_ROWS: usize = 500;
/// The largest count (people, visits, units) a department can have.
const MAX_COUNT: i64 = 100_000_000;
/// How many unknown codes one R018 names (the count says how many there are in all).
const MAX_LISTED_CODES: usize = 50;
/// A code and every place it is used, for a diagnostic that lists such codes together.
struct CodeUses {
    code: String,
    what: String,
    uses: Vec<Location>,
}

/// Codes in the order first met, each once with all its uses.
#[derive(Default)]
struct CodeList {
    codes: Vec<CodeUses>,
    index: std::collections::BTreeMap<String, usize>,
}

impl CodeList {
    fn note(&mut self, code: &str, what: &str, at: &Location) {
        match self.index.get(code) {
            Some(&i) => self.codes[i].uses.push(at.clone()),
            None => {
                self.index.insert(code.to_string(), self.codes.len());
                self.codes.push(CodeUses {
                    code: code.to_string(),
                    what: what.to_string(),
                    uses: vec![at.clone()],
                });
            }
        }
    }

    /// One diagnostic listing the first codes (the count says how many in all), at the first
    /// use of the first; every other use is a related location.
    fn diagnostic(&self, make: impl Fn(String) -> Diagnostic) -> Option<Diagnostic> {
        let first = self.codes.first()?;
        let list = self
            .codes
            .iter()
            .take(MAX_LISTED_CODES)
            .map(|u| match u.uses.len() {
                1 => format!("{}（{}）", u.code, u.what),
                n => format!("{}（{}，{n} 处）", u.code, u.what),
            })
            .collect::<Vec<_>>()
            .join("、");
        let mut d = make(format!("{list}（共 {} 个）", self.codes.len())).at(&first.uses[0]);
        for u in self.codes.iter().take(MAX_LISTED_CODES) {
            for at in u.uses.iter().skip(usize::from(std::ptr::eq(u, first))) {
                d = d.related(at, format!("{}（{}）", u.code, u.what));
            }
        }
        Some(d)
    }
}

pub(super) struct Builder<'a> {
    pub(super) source: &'a SourceFile,
    /// The forms `[bureau] form` may name.
    forms: &'a Forms,
    pub(super) diags: &'a mut Diagnostics,
    unit: Unit,
    /// Codes neither the catalog nor the input names, each once with every place it is used:
    /// reported together as one R018.
    unknown_codes: CodeList,
    /// Codes the catalog lacks and the input names: noted together as one R048.
    input_named_codes: CodeList,
    /// Every declared scalar fact validated so far, by key.
    facts: Facts,
}

impl Builder<'_> {
    pub(super) fn loc(&self, span: Range<usize>) -> Location {
        self.source.location(span)
    }

    fn identity(&mut self, s: &section::Section) -> Identity {
        // Both required: the reader stops without them.
        let (Some(r_year), Some(r_name)) = (s.count("bureau.year"), s.text("bureau.name")) else {
            panic!("[bureau] read without its name or year");
        };
        let year = Fact {
            value: *r_year.get_ref(),
            loc: Some(self.loc(r_year.span())),
        };
        let (covered, plausible) = (crate::catalog::YEARS, crate::catalog::plausible_years());
        match YearFit::of(year.value) {
            YearFit::Covered => {}
            // A real year the catalogs do not cover builds with the nearest year's.
            YearFit::Nearest(used) => self.diags.push(
                Diagnostic::of(
                    codes::YEAR_OUTSIDE_CATALOG,
                    format!(
                        "{} 年度不在 juesuan 科目表覆盖的 {}–{} 年度内：科目表与公开表版式按 {used} 年",
                        year.value,
                        covered.start(),
                        covered.end()
                    ),
                )
                .at(&self.loc(r_year.span()))
                .hint_by_input(
                    format!("科目名称与公开表的类级行按 {used} 年的规定印出；当年名称不同的科目，在 [[catalog]] 中写上当年的名称。"),
                    format!("科目名称与公开表的类级行按 {used} 年的规定印出；当年名称不同的科目，在“科目补充”表中写上科目编码与当年的科目名称。"),
                ),
            ),
            YearFit::Absurd => self.value_error(
                r_year.span(),
                format!(
                    "决算年度 {} 不可能：juesuan 的科目表与公开表版式覆盖 {}–{} 年度，更早、更晚的年度按最近的年度生成",
                    year.value,
                    covered.start(),
                    covered.end()
                ),
                &format!(
                    "填写决算年度，如 2023（{}–{} 年之间）。",
                    plausible.start(),
                    plausible.end()
                ),
            ),
        }
        let mut form = self.form(s.text("bureau.form").as_ref());
        let document = self.setting(s, "bureau.document", Document::FinalAccounts);
        // The table set, the percent decimals and the prior-zero policy default to the form's.
        let tables = self.table_set(s.text("bureau.tables").as_ref(), &form);
        let unit = self.setting(s, "bureau.unit", Unit::Wan);
        let percent_decimals = match &s.count("bureau.percent_decimals") {
            None => form.number.percent_decimals,
            Some(d) if (0..=i64::from(MAX_PERCENT_DECIMALS)).contains(d.get_ref()) => {
                let d = *d.get_ref() as u32;
                // The bureau's decimals stand for every percentage, the form's growth, share
                // and completion decimals included.
                if form.number.with_percent_decimals(d) != form.number {
                    let mut own = Form::clone(&form);
                    own.number = own.number.with_percent_decimals(d);
                    form = Arc::new(own);
                }
                d
            }
            Some(d) => {
                self.value_error(
                    d.span(),
                    format!("百分比小数位 {} 超出范围", d.get_ref()),
                    "填写 0、1 或 2。",
                );
                form.number.percent_decimals
            }
        };
        let prior_zero = self.setting(s, "bureau.prior_zero", form.policy.prior_zero);
        let totals = self.setting(s, "bureau.totals", TotalsPolicy::Declared);
        // The bureau's completion base and number style stand for the form's: the package is
        // built with its own copy of the form, so the figures, the tables and the rules all
        // follow them.
        let mut own = Form::clone(&form);
        own.policy.completion_base =
            self.setting(s, "bureau.completion_base", own.policy.completion_base);
        own.policy.item_sentence =
            self.setting(s, "bureau.item_sentence", own.policy.item_sentence);
        own.number.zero_in_tables =
            self.setting(s, "bureau.zero_in_tables", own.number.zero_in_tables);
        own.number.whole_percent =
            self.setting(s, "bureau.whole_percent", own.number.whole_percent);
        own.number.money_in_text =
            self.setting(s, "bureau.money_in_text", own.number.money_in_text);
        if own.policy != form.policy || own.number != form.number {
            form = Arc::new(own);
        }
        let table_variant = s
            .text("bureau.table_variant")
            .as_ref()
            .and_then(|v| self.table_variant(v));
        let publish_date = match &s.date("bureau.publish_date") {
            Some(d) => match d.get_ref().date {
                Some(date) if d.get_ref().time.is_none() => {
                    (date.year as i32, date.month, date.day)
                }
                _ => {
                    self.value_error(
                        d.span(),
                        "发布日期只写日期，如 2024-09-01",
                        "去掉时间部分。",
                    );
                    (year.value.clamp(2000, 2100) as i32 + 1, 1, 1)
                }
            },
            None => (year.value.clamp(2000, 2100) as i32 + 1, 1, 1),
        };
        let name = self.text_req(&r_name);
        if name.value.is_empty() {
            self.value_error(
                r_name.span(),
                "单位名称为空",
                "填写单位全称，如“峨边彝族自治县信访局”。",
            );
        }
        // A name is printed in titles, captions and file names: one line, no control characters.
        if name.value.chars().any(char::is_control) {
            self.value_error(
                r_name.span(),
                "单位名称中有换行或其他控制字符",
                "单位名称写在一行内，去掉换行与制表符。",
            );
        }
        let short_name = match &s.text("bureau.short_name") {
            Some(s) => self.text_req(s),
            None => name.clone(),
        };
        let id = s.text("bureau.id").as_ref().map(|i| self.text_req(i));
        if let Some(i) = &s.text("bureau.id") {
            let value = i.get_ref().trim();
            if value.is_empty() || value.chars().count() > 64 {
                self.value_error(
                    i.span(),
                    "单位编码为空或过长",
                    "填写统一社会信用代码（18 位）等稳定编码；没有时删除这一项。",
                );
            }
        }
        Identity {
            name,
            short_name,
            id,
            year,
            form,
            document,
            tables,
            layouts: self.forms.layouts(),
            unit,
            percent_decimals,
            prior_zero,
            totals,
            table_variant,
            publish_date,
        }
    }

    /// The first `max` elements of a list; a longer list is E005 at the first element past it.
    fn capped<'r, T>(
        &mut self,
        list: &'r [T],
        max: usize,
        what: &str,
        span: impl Fn(&T) -> Range<usize>,
    ) -> &'r [T] {
        if list.len() <= max {
            return list;
        }
        self.value_error(
            span(&list[max]),
            format!("{what} 有 {} 条，超过上限 {max} 条", list.len()),
            "一个单位的决算不会有这么多条；检查是否重复粘贴了数据，或把文件拆开。",
        );
        &list[..max]
    }

    /// Notes a code that has no name (reported once, with all its uses, at the end).
    fn unknown_code(&mut self, code: &str, what: &str, at: &Location) {
        self.unknown_codes.note(code, what, at);
    }

    /// One R018 listing every code without a name, each once, at its first use.
    fn report_unknown_codes(&mut self) {
        let d = self.unknown_codes.diagnostic(|list| {
            Diagnostic::of(
                codes::UNKNOWN_CODE,
                format!("科目表中没有这些编码，输入也未给出名称：{list}"),
            )
            .hint_by_input(
                "核对编码是否录错；确属本年科目的，在 [[catalog]] 中补充 code 与 name，或在用到它的那一行写上 name。",
                "核对编码是否录错；确属本年科目的，在“科目补充”表中补上一行（科目编码、科目名称）。",
            )
        });
        if let Some(d) = d {
            self.diags.push(d);
        }
    }

    /// One R048 (a note) listing every code the catalog lacks and the input names.
    fn report_input_named_codes(&mut self) {
        let d = self.input_named_codes.diagnostic(|list| {
            Diagnostic::of(
                codes::INPUT_NAMED_CODE,
                format!("科目表中没有这些编码，使用输入给出的名称：{list}"),
            )
            .hint("文中、表中按输入所写的名称打印；请与本年《政府收支分类科目》核对名称。")
        });
        if let Some(d) = d {
            self.diags.push(d);
        }
    }

    /// The `[bureau]` setting `key`, a declared choice: its enum, read by the choice table its
    /// declaration names (`schema::choice`), or `default` when not given; an unknown value is E005
    /// listing the values the table allows.
    fn setting<T: serde::de::DeserializeOwned>(
        &mut self,
        s: &section::Section,
        key: &str,
        default: T,
    ) -> T {
        self.choose(crate::schema::choice(key), s.text(key).as_ref(), default)
    }

    /// A closed choice (see `choices`): its enum, or the default when not given; an unknown
    /// value is E005 listing the values the table allows.
    fn choose<T: serde::de::DeserializeOwned>(
        &mut self,
        choice: &choices::Choice,
        given: Option<&raw::Text>,
        default: T,
    ) -> T {
        given
            .and_then(|given| self.choice(choice, given))
            .unwrap_or(default)
    }

    /// The table set `[bureau] tables` names: one the table layouts define (built in, or added
    /// by a `--templates` folder); the form's own when none is given.
    fn table_set(&mut self, given: Option<&raw::Text>, form: &Form) -> TableSet {
        let Some(given) = given else {
            return form.tables.clone();
        };
        let value = given.get_ref().trim();
        match self.forms.has_table_set(value) {
            Some(true) => TableSet::new(value),
            Some(false) => {
                let hint = self
                    .forms
                    .table_set_hint()
                    .unwrap_or_else(|| choices::TABLE_SET.hint());
                self.value_error(
                    given.span(),
                    format!("未知的{} `{value}`", choices::TABLE_SET.name),
                    &hint,
                );
                form.tables.clone()
            }
            None => self
                .choice(&choices::TABLE_SET, given)
                .unwrap_or_else(|| form.tables.clone()),
        }
    }

    /// The layout variant `[bureau] table_variant` names: one some `[[table]]` of the layouts
    /// carries (built in, or added by a `--templates` folder).
    fn table_variant(&mut self, given: &raw::Text) -> Option<String> {
        let value = given.get_ref().trim();
        if self.forms.has_table_variant(value) == Some(false) {
            let hint = self.forms.table_variant_hint().unwrap_or_default();
            self.value_error(
                given.span(),
                format!("未知的公开表版式变体 `{value}`"),
                &hint,
            );
            return None;
        }
        Some(value.to_string())
    }

    /// The form `[bureau] form` names (built-in, or added by a `--templates` folder); the default
    /// form, sichuan, when none is given; E005 listing the forms known when it names none.
    fn form(&mut self, given: Option<&raw::Text>) -> Arc<Form> {
        let fallback = || {
            Forms::builtin()
                .get(DEFAULT_FORM)
                .cloned()
                .unwrap_or_else(|| panic!("the built-in form `{DEFAULT_FORM}` is missing"))
        };
        let Some(given) = given else {
            return self
                .forms
                .get(DEFAULT_FORM)
                .cloned()
                .unwrap_or_else(fallback);
        };
        let key = given.get_ref().trim();
        if let Some(form) = self.forms.get(key) {
            return form.clone();
        }
        let hint = format!(
            "{}自己的表式放在 --templates 目录下的同名文件夹中（含 form.toml）。",
            self.forms.hint()
        );
        self.value_error(given.span(), format!("未知的表式 `{key}`"), &hint);
        fallback()
    }

    /// The 绩效 form `[performance] form` names; sichuan when none is given; E005 listing the
    /// forms known when it names none.
    fn performance_form(&mut self, given: Option<&raw::Text>) -> Arc<PerformanceSpec> {
        let fallback = || {
            Forms::builtin()
                .performance(DEFAULT_PERFORMANCE_FORM)
                .cloned()
                .unwrap_or_else(|| {
                    panic!("the built-in 绩效 form `{DEFAULT_PERFORMANCE_FORM}` is missing")
                })
        };
        let Some(given) = given else {
            return self
                .forms
                .performance(DEFAULT_PERFORMANCE_FORM)
                .cloned()
                .unwrap_or_else(fallback);
        };
        let key = given.get_ref().trim();
        if let Some(spec) = self.forms.performance(key) {
            return spec.clone();
        }
        let hint = format!(
            "{}自己的绩效表式放在 --templates 目录下的 performance/同名文件夹 中（含 form.toml）。",
            self.forms.performance_hint()
        );
        self.value_error(given.span(), format!("未知的绩效自评表版式 `{key}`"), &hint);
        fallback()
    }

    /// A closed choice that was given: its enum, or E005 listing the allowed values.
    fn choice<T: serde::de::DeserializeOwned>(
        &mut self,
        choice: &choices::Choice,
        given: &raw::Text,
    ) -> Option<T> {
        let value = choice.parse(given.get_ref());
        if value.is_none() {
            self.value_error(
                given.span(),
                format!("未知的{} `{}`", choice.name, given.get_ref()),
                &choice.hint(),
            );
        }
        value
    }

    pub(super) fn value_error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: &str,
    ) {
        let loc = self.loc(span);
        self.diags.push(
            Diagnostic::of(input_codes::VALUE, message)
                .at(&loc)
                .hint(hint),
        );
    }

    pub(super) fn amount_of(&mut self, a: &raw::Amount) -> Amount {
        let span = a.span();
        let literal = match a.get_ref() {
            AmountLit::Text(s) => s.clone(),
            AmountLit::Int(_) | AmountLit::Float(_) => self.source.slice(span.clone()).to_string(),
        };
        let loc = self.loc(span);
        match parse_amount(&literal, self.unit) {
            Ok(value) => Fact {
                value,
                loc: Some(loc),
            },
            Err(e) => {
                let (code, message, hint) = match e {
                    AmountError::NotDecimal => (
                        input_codes::AMOUNT,
                        format!("金额 `{literal}` 不是十进制数"),
                        "金额写成普通小数，如 271.46，不用科学计数法、不带单位。".to_string(),
                    ),
                    AmountError::TooManyDecimals(n) => (
                        input_codes::AMOUNT,
                        format!(
                            "金额 {literal} 有 {n} 位小数，{} 最多 2 位",
                            unit_name(self.unit)
                        ),
                        "按决算数据填写到分（元）或百元（万元）；不要把计算结果直接粘贴进来。"
                            .to_string(),
                    ),
                    AmountError::TooLarge => (
                        input_codes::AMOUNT,
                        format!("金额 {literal} 过大"),
                        "检查单位（万元还是元）和位数。".to_string(),
                    ),
                    AmountError::Negative => (
                        codes::NEGATIVE,
                        format!("金额 {literal} 为负数"),
                        "决算金额不能为负；减少额由程序计算，这里只填本年数。".to_string(),
                    ),
                };
                self.diags
                    .push(Diagnostic::of(code, message).at(&loc).hint(hint));
                Fact {
                    value: Money::ZERO,
                    loc: Some(loc),
                }
            }
        }
    }

    /// The declared amount `key` of section `s`, validated and kept in [`Facts`]; zero when
    /// not given.
    fn amount_at<L>(&mut self, s: &section::Section<L>, key: &str) -> Amount {
        self.declared_at(s, key).unwrap_or_default()
    }

    /// The declared amount `key` of section `s` if given (a `declared_*` total), validated and
    /// kept in [`Facts`].
    fn declared_at<L>(&mut self, s: &section::Section<L>, key: &str) -> Option<Amount> {
        let a = self.amount_of(&s.amount(key)?);
        self.facts
            .insert(declared(key), FactValue::Amount(a.clone()));
        Some(a)
    }

    /// The declared whole number `key` of section `s`, validated and kept in [`Facts`]; zero
    /// when not given.
    fn count_at<L>(&mut self, s: &section::Section<L>, key: &str) -> Count {
        self.given_count_at(s, key).unwrap_or_default()
    }

    fn given_count_at<L>(&mut self, s: &section::Section<L>, key: &str) -> Option<Count> {
        let c = self.count(&Some(s.count(key)?));
        self.facts
            .insert(declared(key), FactValue::Count(c.clone()));
        Some(c)
    }

    /// The declared text `key` of section `s`, kept in [`Facts`]; empty when not given.
    fn text_at<L>(&mut self, s: &section::Section<L>, key: &str) -> Text {
        let Some(t) = s.text(key) else {
            return Text::default();
        };
        let t = self.text_req(&t);
        self.facts.insert(declared(key), FactValue::Text(t.clone()));
        t
    }

    /// Validates the facts of `s` no field read, into [`Facts`].
    fn rest_of<L>(&mut self, s: &section::Section<L>) {
        let rest: Vec<(&'static str, section::Value)> = s
            .values()
            .filter(|(k, _)| !self.facts.contains(k))
            .map(|(k, v)| (k, v.clone()))
            .collect();
        for (key, value) in rest {
            let value = match value {
                section::Value::Amount(a) => FactValue::Amount(self.amount_of(&a)),
                section::Value::Count(c) => FactValue::Count(self.count(&Some(c))),
                section::Value::Text(t) => FactValue::Text(self.text_req(&t)),
                section::Value::Number(n) => {
                    let what = crate::schema::label(key).unwrap_or_default();
                    FactValue::Number(self.number(&n, &what))
                }
                // A date (发布日期) is the identity's, a 是 / 否, a list of names or the rows
                // of a list a record's: none is a figure's.
                section::Value::Date(_)
                | section::Value::Flag(_)
                | section::Value::Texts(_)
                | section::Value::Rows(_)
                | section::Value::Map(_) => {
                    continue;
                }
            };
            self.facts.insert(key, value);
        }
    }

    fn amount(&mut self, a: &Option<raw::Amount>) -> Amount {
        match a {
            Some(a) => self.amount_of(a),
            None => Amount::default(),
        }
    }

    /// Declared totals keyed by code (`{ "201" = 218.76 }`).
    fn declared_map(
        &mut self,
        m: &std::collections::BTreeMap<String, raw::Amount>,
    ) -> Vec<(Fact<String>, Amount)> {
        m.iter()
            .map(|(code, amount)| {
                // The key's own span is not kept by serde; point at the value.
                let loc = self.loc(amount.span());
                (
                    Fact {
                        value: code.clone(),
                        loc: Some(loc),
                    },
                    self.amount_of(amount),
                )
            })
            .collect()
    }

    /// `[[declared_rows]]`: each row's table and code checked, each figure in a column its
    /// table prints there and no other fact holds; a row declared twice is an error at the second.
    fn declared_rows(&mut self, rows: &[section::Record<raw::DeclaredRows>]) -> Vec<DeclaredRow> {
        let mut out: Vec<DeclaredRow> = Vec::new();
        for (index, r) in self
            .capped(rows, MAX_LINES, "declared_rows", |r| {
                r.required_text("code").span()
            })
            .iter()
            .enumerate()
        {
            let table = r.required_text("table");
            let Some(table) = self.choice::<RowTable>(&choices::DECLARED_TABLE, &table) else {
                continue;
            };
            let code_text = r.required_text("code");
            let code = code_text.get_ref().trim().to_string();
            let well_formed = code == TOTAL_ROW
                || (matches!(code.len(), 3 | 5 | 7) && code.bytes().all(|c| c.is_ascii_digit()));
            if !well_formed {
                self.value_error(
                    code_text.span(),
                    format!(
                        "{}所印行的科目编码 `{code}` 不是类、款、项编码",
                        table.title()
                    ),
                    "填 3 位类、5 位款或 7 位项编码（按文本），或“合计”表示该表的合计行。",
                );
                continue;
            }
            if out.iter().any(|o| o.table == table && o.code.value == code) {
                self.value_error(
                    code_text.span(),
                    format!("{}的 {code} 行填了两次", table.title()),
                    "同一张表的一行只填一次，各列写在同一行里。",
                );
                continue;
            }
            let mut cells = Vec::new();
            for column in RowColumn::ALL {
                let Some(amount) = r.amount(column.key()) else {
                    continue;
                };
                match table.accepts(&code, column) {
                    Ok(()) => cells.push((column, self.amount_of(&amount))),
                    Err(elsewhere) => self.value_error(
                        amount.span(),
                        format!(
                            "{} {code} 行的“{}”不是这里填的数",
                            table.title(),
                            column.label()
                        ),
                        &format!("{elsewhere}。"),
                    ),
                }
            }
            out.push(DeclaredRow {
                index,
                table,
                code: Fact {
                    value: code,
                    loc: Some(self.loc(code_text.span())),
                },
                cells,
            });
        }
        out
    }

    fn declared(&mut self, a: &Option<raw::Amount>) -> Option<Amount> {
        a.as_ref().map(|a| self.amount_of(a))
    }

    pub(super) fn count(&mut self, c: &Option<raw::Count>) -> Count {
        match c {
            None => Count::default(),
            Some(c) => {
                let v = *c.get_ref();
                if v < 0 {
                    self.value_error(
                        c.span(),
                        format!("数量 {v} 为负数"),
                        "填写实际个数（不小于 0）。",
                    );
                    return Fact {
                        value: 0,
                        loc: Some(self.loc(c.span())),
                    };
                } else if v > MAX_COUNT {
                    self.value_error(
                        c.span(),
                        format!("数量 {v} 超过一个单位可能有的数（上限 {MAX_COUNT}）"),
                        "检查是否把金额或编码填进了数量栏。",
                    );
                    return Fact {
                        value: 0,
                        loc: Some(self.loc(c.span())),
                    };
                }
                Fact {
                    value: v,
                    loc: Some(self.loc(c.span())),
                }
            }
        }
    }

    fn text(&mut self, t: &Option<raw::Text>) -> Text {
        match t {
            Some(t) => self.text_req(t),
            None => Text::default(),
        }
    }

    fn text_req(&mut self, t: &Spanned<String>) -> Text {
        Fact {
            value: t.get_ref().trim().to_string(),
            loc: Some(self.loc(t.span())),
        }
    }

    fn vehicle_count<M: section::Declared>(&mut self, v: &section::Record<M>) -> VehicleCount {
        VehicleCount {
            kind: self.text_req(&v.required_text("kind")),
            count: self.count(&v.count("count")),
        }
    }

    /// 国内公务接待 or 外事接待, the part of `[three_public]` at `at`.
    fn reception_part<L>(&mut self, t: &section::Section<L>, at: &str) -> ReceptionPart {
        ReceptionPart {
            actual: self.amount_at(t, &format!("{at}.actual")),
            batches: self.count_at(t, &format!("{at}.batches")),
            people: self.count_at(t, &format!("{at}.people")),
            purpose: self.text_at(t, &format!("{at}.purpose")),
            content: self.text_at(t, &format!("{at}.content")),
        }
    }

    /// A 绩效 record's facts: a project's, or, with `department` = the bureau's name, the whole
    /// department's (`[performance.department]`), whose declared facts
    /// (`performance.department.budget`, …) are also kept in [`Facts`].
    fn evaluation(
        &mut self,
        p: &section::Record<raw::Evaluations>,
        department: Option<&Text>,
    ) -> ProjectEvaluation {
        let at = department.map(|_| crate::schema::lists::DEPARTMENT_KEY);
        let name = match (p.text("name"), department) {
            (Some(n), _) => self.text_req(&n),
            (None, Some(d)) => d.clone(),
            (None, None) => {
                let span = p
                    .text("summary")
                    .map(|s| s.span())
                    .or_else(|| p.amount("budget").map(|b| b.span()))
                    .unwrap_or(0..0);
                self.value_error(
                    span,
                    "绩效项目缺少名称 name",
                    "每个 [[performance.projects]] 都要写 name。",
                );
                Text::default()
            }
        };
        let is = |key: &str| p.flag(key).is_some_and(|v| *v.get_ref());
        let mut r = RecordReader { b: self, p, at };
        ProjectEvaluation {
            name,
            unit: r.text("unit"),
            prior_assessment: is("prior_assessment"),
            goals_set: is("goals_set"),
            monitored: is("monitored"),
            declared_spending: r.declared("declared_spending"),
            declared_income: r.declared("declared_income"),
            declared_project_spending: r.declared("declared_project_spending"),
            report: p.has_table("report").then(|| r.report()),
            evaluation: Evaluation {
                declared_score: r.number("declared_score", "得分"),
                summary: r.text("summary"),
            },
            initial_budget: r.declared("initial_budget"),
            budget: r.declared("budget"),
            arrived: r.declared("arrived"),
            executed: r.declared("executed"),
            other_budget: r.declared("other_budget"),
            other_arrived: r.declared("other_arrived"),
            other_executed: r.declared("other_executed"),
            goal: r.text("goal"),
            outcome: r.text("outcome"),
            goal_completion: r.number("goal_completion", "完成率"),
            problems: r.text("problems"),
            suggestions: r.text("suggestions"),
            upper_budget: r.declared("upper_budget"),
            upper_executed: r.declared("upper_executed"),
            execution_weight: r.number("execution_weight", "分值").unwrap_or(Fact {
                value: Decimal::TEN,
                loc: None,
            }),
            level_weights: self.level_weights(&p.numbers("level_weights")),
            indicators: self.indicators(&p.records("indicators")),
            workloads: self.workloads(&p.records("workloads")),
            sections: self.sections(&p.records("sections")),
            payments: self.payments(&p.records("payments")),
        }
    }

    /// 一级、二级指标的分值.
    fn level_weights(
        &mut self,
        weights: &[(String, Spanned<AmountLit>)],
    ) -> Vec<(String, Fact<Decimal>)> {
        weights
            .iter()
            .map(|(name, w)| (name.clone(), self.number(w, "分值")))
            .collect()
    }

    fn indicators(&mut self, indicators: &[section::Record<raw::Indicators>]) -> Vec<Indicator> {
        self.capped(indicators, MAX_ROWS, "indicators", |i| {
            i.required_text("level3").span()
        })
        .iter()
        .map(|i| self.indicator(i))
        .collect()
    }

    fn workloads(&mut self, workloads: &[section::Record<raw::Workloads>]) -> Vec<Workload> {
        self.capped(workloads, MAX_ROWS, "workloads", |w| {
            w.required_text("name").span()
        })
        .iter()
        .map(|w| Workload {
            name: self.text_req(&w.required_text("name")),
            unit: self.text(&w.text("unit")),
            current: self.count(&w.count("current")),
            prior: w.count("prior").map(|c| self.count(&Some(c))),
            parts: w.texts("parts").iter().map(|t| self.text_req(t)).collect(),
        })
        .collect()
    }

    fn sections(&mut self, sections: &[section::Record<raw::ReportSections>]) -> Vec<Section> {
        sections
            .iter()
            .map(|x| Section {
                title: self.text_req(&x.required_text("title")),
                paragraphs: x
                    .texts("paragraphs")
                    .iter()
                    .map(|t| self.text_req(t))
                    .collect(),
                workloads: x.flag("workloads").is_some_and(|w| *w.get_ref()),
            })
            .collect()
    }

    fn payments(&mut self, payments: &[section::Record<raw::Payments>]) -> Vec<Payment> {
        self.capped(payments, MAX_ROWS, "payments", |x| {
            x.required_text("item").span()
        })
        .iter()
        .map(|x| Payment {
            item: self.text_req(&x.required_text("item")),
            budget: self.amount(&x.amount("budget")),
            applied: self.amount(&x.amount("applied")),
            used: self.amount(&x.amount("used")),
        })
        .collect()
    }

    /// 人员概况的各类人员.
    fn staff(&mut self, staff: &[section::Record<raw::Staff>]) -> Vec<Staff> {
        self.capped(staff, MAX_ROWS, "staff", |s| {
            s.required_text("category").span()
        })
        .iter()
        .map(|s| Staff {
            category: self.text_req(&s.required_text("category")),
            contract: s.flag("contract").is_some_and(|c| *c.get_ref()),
            quota: s.count("quota").map(|c| self.count(&Some(c))),
            actual: self.count(&s.count("actual")),
            prior: s.count("prior").map(|c| self.count(&Some(c))),
        })
        .collect()
    }

    /// A plain number (a score, a weight, an indicator value), read exactly from the source.
    fn number(&mut self, n: &Spanned<AmountLit>, what: &str) -> Fact<Decimal> {
        let literal = match n.get_ref() {
            AmountLit::Text(s) => s.clone(),
            AmountLit::Int(_) | AmountLit::Float(_) => self.source.slice(n.span()).to_string(),
        };
        let cleaned = literal.trim().trim_matches('"').replace('_', "");
        let ok = !cleaned.is_empty()
            && cleaned.chars().all(|c| c.is_ascii_digit() || c == '.')
            && cleaned.len() <= 20;
        let value = match cleaned.parse::<Decimal>() {
            Ok(v) if ok => v,
            _ => {
                self.value_error(
                    n.span(),
                    format!("{what} `{literal}` 不是非负的十进制数"),
                    "填写数字，如 10 或 98.5。",
                );
                Decimal::ZERO
            }
        };
        Fact {
            value,
            loc: Some(self.loc(n.span())),
        }
    }

    fn indicator(&mut self, i: &section::Record<raw::Indicators>) -> Indicator {
        use crate::model::{Measure, Tier};
        let level3 = i.required_text("level3");
        let weight_given = i.number("weight");
        let target_given = i.number("target");
        let actual_given = i.number("actual");
        let kind_given = i.text("kind");
        let tier_given = i.text("tier");
        let fraction_given = i.number("fraction");
        let achieved_given = i.flag("achieved");
        let weighted = weight_given.is_some();
        let weight = match &weight_given {
            Some(w) => self.number(w, "分值"),
            None => Fact {
                value: Decimal::ZERO,
                loc: Some(self.loc(level3.span())),
            },
        };
        let target = target_given.as_ref().map(|t| self.number(t, "目标值"));
        let actual = actual_given.as_ref().map(|a| self.number(a, "实际值"));
        let kind = kind_given.as_ref().map_or("", |k| k.get_ref().trim());
        let kind_span = kind_given.as_ref().map_or(level3.span(), |k| k.span());
        let need = |b: &mut Self, what: &str| {
            b.value_error(
                kind_span.clone(),
                format!("{kind} 类指标“{}”缺少 {what}", level3.get_ref()),
                "定量指标填 target 与 actual；定性指标填 tier 与 fraction；是否类指标填 achieved。",
            );
        };
        let measure = match kind {
            "positive" | "reverse" | "equal" => match (&target, &actual) {
                (Some(t), Some(a)) if kind == "positive" => Measure::Positive {
                    target: t.value,
                    actual: a.value,
                },
                (Some(t), Some(a)) if kind == "equal" => Measure::Equal {
                    target: t.value,
                    actual: a.value,
                },
                (Some(t), Some(a)) => Measure::Reverse {
                    target: t.value,
                    actual: a.value,
                },
                _ => {
                    need(self, "target 或 actual");
                    Measure::NotApplicable
                }
            },
            "qualitative" => {
                let tier: Option<Tier> = tier_given
                    .as_ref()
                    .and_then(|t| self.choice(&choices::TIER, t));
                match (tier, &fraction_given) {
                    (Some(tier), Some(f)) => Measure::Qualitative {
                        tier,
                        fraction: self.number(f, "得分比例").value,
                    },
                    _ => {
                        need(self, "tier 或 fraction");
                        Measure::NotApplicable
                    }
                }
            }
            "binary" => match &achieved_given {
                Some(a) => Measure::Binary {
                    achieved: *a.get_ref(),
                },
                None => {
                    need(self, "achieved");
                    Measure::NotApplicable
                }
            },
            // No kind: a 文字 indicator, listed but not scored.
            "not_applicable" | "" => Measure::NotApplicable,
            other => {
                self.value_error(
                    kind_span.clone(),
                    format!("未知的{} `{other}`", choices::INDICATOR_KIND.name),
                    &choices::INDICATOR_KIND.hint(),
                );
                Measure::NotApplicable
            }
        };
        let actual_loc = actual
            .as_ref()
            .and_then(|a| a.loc.clone())
            .or_else(|| fraction_given.as_ref().map(|f| self.loc(f.span())))
            .or_else(|| Some(self.loc(kind_span.clone())));
        Indicator {
            weighted,
            level1: self.text_req(&i.required_text("level1")),
            level2: self.text(&i.text("level2")),
            level3: self.text_req(&level3),
            weight,
            measure,
            unit: self.text(&i.text("unit")),
            target_text: self.text(&i.text("target_text")),
            actual_text: self.text(&i.text("actual_text")),
            target_loc: target.as_ref().and_then(|t| t.loc.clone()),
            actual_loc,
            reason: self.text(&i.text("reason")),
            explanation: self.text(&i.text("explanation")),
            criteria: self.text(&i.text("criteria")),
        }
    }

    /// A fund of `[appropriation]` (its balances at `at`) with its lines.
    fn fund<L>(
        &mut self,
        f: &section::Section<L>,
        at: &str,
        (items_in, items_table): (&[section::Record<raw::FunctionItems>], &str),
        (economic, economic_table): (&[section::Record<raw::EconomicItems>], &str),
        catalog: &Catalog,
    ) -> Fund {
        let mut seen = BTreeSet::new();
        // A 项 with a budget and no spending (no 基本支出, 项目支出, 合计 or 结转和结余 typed) is
        // not printed: real packages list only the 项 that spent, yet count every budget line in
        // the 预算数 they print.
        let (mut items, mut unlisted) = (Vec::new(), Vec::new());
        for i in self.capped(items_in, MAX_LINES, items_table, |i| {
            i.required_text("code").span()
        }) {
            let given = |key| i.amount(key).is_some();
            let spent = [
                "basic",
                "project",
                "declared_total",
                "opening_balance",
                "closing_balance",
            ];
            let budget_only =
                !spent.into_iter().any(given) && (given("budget") || given("initial_budget"));
            let item = self.function_item(i, catalog, items_table, &mut seen);
            if budget_only {
                unlisted.push(item);
            } else {
                items.push(item);
            }
        }
        let mut seen = BTreeSet::new();
        let economic = self
            .capped(economic, MAX_LINES, economic_table, |e| {
                e.required_text("code").span()
            })
            .iter()
            .map(|e| self.economic_item(e, catalog, economic_table, &mut seen))
            .collect();
        Fund {
            opening_balance: self.amount_at(f, &format!("{at}.opening_balance")),
            closing_balance: self.amount_at(f, &format!("{at}.closing_balance")),
            items,
            unlisted,
            economic,
        }
    }

    fn function_item(
        &mut self,
        i: &section::Record<raw::FunctionItems>,
        catalog: &Catalog,
        table: &str,
        seen: &mut BTreeSet<String>,
    ) -> FunctionItem {
        let (code, name) = self.function_code(
            &i.required_text("code"),
            i.text("name").as_ref(),
            catalog,
            table,
            seen,
        );
        FunctionItem {
            code,
            name,
            basic: self.amount(&i.amount("basic")),
            project: self.amount(&i.amount("project")),
            budget: self.declared(&i.amount("budget")),
            initial_budget: self.declared(&i.amount("initial_budget")),
            declared_total: self.declared(&i.amount("declared_total")),
            opening_balance: self.amount(&i.amount("opening_balance")),
            closing_balance: self.amount(&i.amount("closing_balance")),
            reason: self.text(&i.text("reason")),
            purpose: self.text(&i.text("purpose")),
        }
    }

    fn non_appropriation_item(
        &mut self,
        i: &section::Record<raw::NonAppropriationItems>,
        catalog: &Catalog,
        seen: &mut BTreeSet<String>,
    ) -> NonAppropriationItem {
        let (code, name) = self.function_code(
            &i.required_text("code"),
            i.text("name").as_ref(),
            catalog,
            "non_appropriation.items",
            seen,
        );
        NonAppropriationItem {
            code,
            name,
            upper_grant: self.amount(&i.amount("income.upper_grant")),
            service: self.amount(&i.amount("income.service")),
            business_income: self.amount(&i.amount("income.business")),
            affiliate: self.amount(&i.amount("income.affiliate")),
            other: self.amount(&i.amount("income.other")),
            basic: self.amount(&i.amount("spending.basic")),
            project: self.amount(&i.amount("spending.project")),
            upper_remit: self.amount(&i.amount("spending.upper_remit")),
            business_spending: self.amount(&i.amount("spending.business")),
            affiliate_grant: self.amount(&i.amount("spending.affiliate_grant")),
        }
    }

    /// An economic 款 line: a 5-digit code under a known 类, named by the catalog or the input.
    fn economic_item(
        &mut self,
        e: &section::Record<raw::EconomicItems>,
        catalog: &Catalog,
        table: &str,
        seen: &mut BTreeSet<String>,
    ) -> EconomicItem {
        let code_text = e.required_text("code");
        let code = code_text.get_ref().trim().to_string();
        let loc = self.loc(code_text.span());
        let well_formed = code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit());
        let group = catalog.economic_group(&code);
        if !well_formed {
            self.diags.push(
                Diagnostic::of(
                    codes::CODE_FORMAT,
                    format!("经济分类编码 `{code}` 不是 5 位款级编码"),
                )
                .at(&loc)
                .hint("经济分类明细按“款”填写，如 30101（301 工资福利支出 / 30101 基本工资）。"),
            );
        } else if group.is_none() {
            self.unknown_code(&code[..3], "经济分类类级编码", &loc);
        }
        if !seen.insert(code.clone()) {
            self.diags.push(
                Diagnostic::of(
                    codes::DUPLICATE_CODE,
                    format!("{table} 中经济分类科目 `{code}` 重复出现"),
                )
                .at(&loc)
                .hint("同一科目只写一行；把金额合并到一行。"),
            );
        }
        let input_name = e.text("name").map(|n| self.text_req(&n));
        let known = catalog.economic(&code).map(|i| i.name.clone());
        let require = (well_formed && group.is_some()).then_some("经济分类款级编码");
        let name = self.resolve_name(&code, known, input_name, &loc, require);
        EconomicItem {
            code: Fact {
                value: code,
                loc: Some(loc),
            },
            name,
            group: group.unwrap_or(Group::Operating),
            basic: self.amount(&e.amount("basic")),
            project: self.amount(&e.amount("project")),
        }
    }

    /// The printed name of a code: the catalog's, warning when the input says otherwise; the
    /// input's when the catalog lacks the code; an error when neither has it.
    fn resolve_name(
        &mut self,
        code: &str,
        known: Option<String>,
        input_name: Option<Text>,
        loc: &Location,
        require: Option<&str>,
    ) -> String {
        match (known, input_name) {
            (Some(known), Some(given)) => {
                if known != given.value {
                    self.diags.push(
                        Diagnostic::of(
                            codes::NAME_MISMATCH,
                            format!(
                                "科目 {code} 的名称“{}”与本年科目表“{known}”不一致",
                                given.value
                            ),
                        )
                        .at_opt(given.loc.as_ref())
                        .hint_by_input(
                            "文中按科目表名称打印；如科目表有误，请在 [[catalog]] 中更正。",
                            "文中按科目表名称打印；如科目表有误，请在“科目补充”表中写上这个科目编码与正确的名称。",
                        ),
                    );
                }
                known
            }
            (Some(known), None) => known,
            (None, Some(given)) => {
                if let Some(what) = require {
                    self.input_named_codes.note(code, what, loc);
                }
                given.value
            }
            (None, None) => {
                if let Some(what) = require {
                    self.unknown_code(code, what, loc);
                }
                String::new()
            }
        }
    }

    /// A 功能分类 项 code, checked for form, parents, duplicates, and named.
    fn function_code(
        &mut self,
        code_text: &raw::Text,
        name: Option<&raw::Text>,
        catalog: &Catalog,
        table: &str,
        seen: &mut BTreeSet<String>,
    ) -> (Fact<String>, String) {
        let code = code_text.get_ref().trim().to_string();
        let loc = self.loc(code_text.span());
        if Level::of(&code) != Some(Level::Item) {
            self.diags.push(
                Diagnostic::of(codes::CODE_FORMAT, format!("功能分类编码 `{code}` 不是 7 位项级编码"))
                    .at(&loc)
                    .hint("明细按“项”填写：类 3 位、款 5 位、项 7 位，如 2010308（201 一般公共服务支出 / 20103 政府办公厅（室）及相关机构事务 / 2010308 信访事务）。"),
            );
        } else {
            for len in [3, 5] {
                let parent = &code[..len];
                if catalog.get(parent).is_none() {
                    let level = if len == 3 {
                        "类级编码"
                    } else {
                        "款级编码"
                    };
                    self.unknown_code(parent, level, &loc);
                }
            }
        }
        if !seen.insert(code.clone()) {
            self.diags.push(
                Diagnostic::of(
                    codes::DUPLICATE_CODE,
                    format!("{table} 中科目 `{code}` 重复出现"),
                )
                .at(&loc)
                .hint("同一科目只写一行；把金额合并到一行。"),
            );
        }
        let input_name = name.map(|n| self.text_req(n));
        let known = catalog.get(&code).map(|i| i.name.clone());
        let require = (Level::of(&code) == Some(Level::Item)).then_some("项级编码");
        let name = self.resolve_name(&code, known, input_name, &loc, require);
        (
            Fact {
                value: code,
                loc: Some(loc),
            },
            name,
        )
    }
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Wan => "以万元为单位",
        Unit::Yuan => "以元为单位",
    }
}

/// Reads the single values of a 绩效 record for the model, as [`Builder`] reads any value;
/// the department's (`at` = `performance.department`) are its declared facts too, kept in
/// [`Facts`] by key, as those of a section are.
struct RecordReader<'b, 'a, 'r> {
    b: &'b mut Builder<'a>,
    p: &'r section::Record<raw::Evaluations>,
    at: Option<&'static str>,
}

impl RecordReader<'_, '_, '_> {
    /// Keeps `value`, read at `key`, in [`Facts`] when it is a declared fact of the record's
    /// place.
    fn keep(&mut self, key: &str, value: FactValue) {
        if let Some(at) = self.at
            && let Some((_, _, f)) = crate::schema::scalar(&format!("{at}.{key}"))
        {
            self.b.facts.insert(f.key, value);
        }
    }

    fn text(&mut self, key: &str) -> Text {
        let Some(t) = self.p.text(key) else {
            return Text::default();
        };
        let t = self.b.text_req(&t);
        self.keep(key, FactValue::Text(t.clone()));
        t
    }

    fn declared(&mut self, key: &str) -> Option<Amount> {
        let a = self.b.amount_of(&self.p.amount(key)?);
        self.keep(key, FactValue::Amount(a.clone()));
        Some(a)
    }

    fn count(&mut self, key: &str) -> Option<Count> {
        let c = self.b.count(&Some(self.p.count(key)?));
        self.keep(key, FactValue::Count(c.clone()));
        Some(c)
    }

    fn number(&mut self, key: &str, what: &str) -> Option<Fact<Decimal>> {
        let n = self.b.number(&self.p.number(key)?, what);
        self.keep(key, FactValue::Number(n.clone()));
        Some(n)
    }

    /// A 绩效评价报告's texts and facts (`report`).
    fn report(&mut self) -> Report {
        Report {
            intro: self.text("report.intro"),
            organization: self.text("report.organization"),
            functions_lead: self.text("report.functions_lead"),
            management: self.text("report.management"),
            basic_use: self.text("report.basic_use"),
            projects_note: self.text("report.projects_note"),
            upper_projects: self.text("report.upper_projects"),
            other: self.text("report.other"),
            quality: self.text("report.quality"),
            performance: self.text("report.performance"),
            disclosure: self.text("report.disclosure"),
            results: self.text("report.results"),
            brief: self.text("report.brief"),
            goals: self.text("report.goals"),
            method: self.text("report.method"),
            finance: self.text("report.finance"),
            process: self.text("report.process"),
            supervision: self.text("report.supervision"),
            completion: self.text("report.completion"),
            benefits: self.text("report.benefits"),
            conclusion: self.text("report.conclusion"),
            initial_basic: self.declared("report.initial_basic"),
            initial_project: self.declared("report.initial_project"),
            opening_balance: self.declared("report.opening_balance"),
            carried_over: self.declared("report.carried_over"),
            project_count: self.count("report.project_count"),
            staff: {
                let staff = self.p.records("report.staff");
                self.b.staff(&staff)
            },
            retired: self.count("report.retired"),
            declared_contract: self.count("report.declared_contract"),
            declared_staff: self.count("report.declared_staff"),
        }
    }
}

/// The declared key `key` names (its `'static` spelling).
fn declared(key: &str) -> &'static str {
    match crate::schema::scalar(key) {
        Some((_, _, f)) => f.key,
        None => panic!("`{key}` is not a declared scalar fact (src/schema/)"),
    }
}

/// The inverse of the reading above for the prior-year amounts `--previous` fills in.
impl Bureau {
    /// The model's own field of a prior-year amount `--previous` may fill (`prior_year.total` →
    /// `prior.total`), when the model has one; figures read both it and [`super::Facts`]. `None` for a
    /// prior kept only in [`super::Facts`].
    pub(crate) fn prior_field_mut(&mut self, key: &str) -> Option<&mut Amount> {
        let tp = &mut self.three_public;
        Some(match key {
            "prior_year.total" => &mut self.prior.total,
            "prior_year.appropriation_total" => &mut self.prior.appropriation_total,
            "prior_year.general_budget" => &mut self.prior.general_budget,
            "three_public.overseas.prior" => &mut tp.overseas.prior,
            "three_public.vehicle.purchase_prior" => &mut tp.vehicle.purchase_prior,
            "three_public.vehicle.running_prior" => &mut tp.vehicle.running_prior,
            "three_public.reception.prior" => &mut tp.reception.prior,
            "running_costs.prior" => &mut self.running_costs.prior,
            _ => return None,
        })
    }
}
