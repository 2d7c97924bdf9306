//! 从读到的公开表得出输入事实：每个数都记着它所在的单元格。
//!
//! What each table holds is told by its layout (`templates/tables/tables.toml`): a `function`
//! table of one fund gives that fund's 项 (基本支出, 项目支出, 预算数, 结转和结余), its printed
//! 类/款 rows and 合计 become `declared_*` facts; the all-money 收入决算表 / 支出决算表 give the
//! money that is not an appropriation (what is left of each 项 after the appropriation funds);
//! the summary tables give the 本年收入 lines, the 类 rows and the balances; the 三公 table its
//! budget and actual figures. A figure printed in two tables is one fact: if the two differ, the
//! second is reported (T003). Printed sums with no `declared_*` fact to hold them are checked
//! here (T002) — a 类 against its 款, a 合计 against its 类 — at their cell.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rust_decimal::Decimal;

use super::sheet::{Cell, Entry, TableRead, location};
use crate::diagnostic::{Diagnostic, Diagnostics, codes};
use crate::form::layouts::{Shape, TableLayout};
use crate::model::TOTAL_ROW;
use crate::money::Unit;

/// One fact and where it was read.
#[derive(Clone, Debug)]
pub struct Fact {
    pub value: Decimal,
    pub at: Cell,
    /// `“2010308 信访事务”·“基本支出”` for messages.
    pub what: String,
}

/// How a printed sum of a table is held.
enum Held {
    /// As a `declared_*` fact: checked here, and printed as printed.
    Declared,
    /// By nothing: checked here, and printed as the sum of its rows.
    Sum,
    /// Not a sum of the rows printed (a 预算数 合计 also counts budget lines without spending;
    /// the 基本支出 panel totals are checked by the rules).
    Unchecked,
    /// As a `[[declared_rows]]` cell of this table and column when it differs from the rows
    /// within the 尾差 (equal, the sum prints the same figure and nothing is written).
    Row(&'static str, &'static str),
    /// A 预算数 of the 一般公共预算 table: it may exceed its rows by the budget lines without
    /// spending, which no table lists (the input must add them); kept as printed, in a
    /// `[[declared_rows]]` cell when it is a 类 or 款 row.
    Budget(bool),
}

/// The funds of the appropriation, as keyed in the input.
pub const FUNDS: [&str; 3] = ["general_budget", "gov_fund", "state_capital"];

/// Every fact read, keyed by where it goes in the input.
#[derive(Default)]
pub struct Facts {
    /// `(table, key)`: `("income", "general_budget")`, `("spending", "declared_classes.\"201\"")`.
    pub scalars: BTreeMap<(String, String), Fact>,
    /// Function 项 of a fund (`general_budget` or `gov_fund`…): code → field → fact.
    pub items: BTreeMap<(&'static str, String), BTreeMap<&'static str, Fact>>,
    /// Economic 款 of a fund.
    pub economic: BTreeMap<(&'static str, String), BTreeMap<&'static str, Fact>>,
    /// Money that is not an appropriation, per 项: `income.service`, `spending.basic`…
    pub non_appropriation: BTreeMap<String, BTreeMap<&'static str, Fact>>,
    /// Lists whose table was read (even empty): the merge replaces them in the original.
    pub owned: BTreeSet<String>,
    /// Rows printed by column that differ from their lines within the 尾差 (`[[declared_rows]]`):
    /// (table, code) → column → fact.
    pub rows: BTreeMap<(&'static str, String), BTreeMap<&'static str, Fact>>,
    /// Names printed beside codes.
    pub names: BTreeMap<String, String>,
    pub to_fill: Vec<String>,
}

fn what(e: &Entry) -> String {
    format!("“{}”·“{}”", e.row_label, e.col_label)
}

/// Everything a set of tables says, in `unit` (元 when any table is in 元: a 万元 figure is
/// exact in 元, never the other way round).
pub struct Builder<'a> {
    pub file: &'a str,
    pub unit: Unit,
    pub facts: Facts,
    pub diags: Diagnostics,
    /// 支出决算表 basic/project per 项, all money (the appropriation part is taken off later).
    all_spending: BTreeMap<(String, &'static str), Fact>,
    /// 财政拨款支出决算明细表 per 款, all funds.
    all_economic: BTreeMap<(String, &'static str), Fact>,
    /// 经济分类 类 rows of the 基本支出 table (basic only), declared at the end unless an
    /// economic table printed the class's total.
    panel_classes: Vec<(String, Entry, Unit)>,
    /// Printed sums within the 尾差 of the rows under them, per sheet: one note each.
    tails: BTreeMap<Arc<str>, Vec<(Entry, Decimal, bool)>>,
    /// 财政拨款收入支出决算总表 类 rows in a fund's column: checked at the end against that
    /// fund's 项 (read from its own table).
    fund_classes: Vec<(String, &'static str, Entry, Unit)>,
    /// Figures a second table also prints, used only where no other table gives the fact: the
    /// 收入决算表's 合计 row in the columns of money that is not an appropriation is `[income]`'s
    /// figure when 公开01表 is absent; where 公开01表 prints another figure, that row is a
    /// `[[declared_rows]]` row of its own (held in `check_sums`), not a conflict.
    fallback: Vec<(&'static str, &'static str, Fact)>,
}

impl<'a> Builder<'a> {
    pub fn new(file: &'a str, unit: Unit) -> Builder<'a> {
        Builder {
            file,
            unit,
            facts: Facts::default(),
            diags: Diagnostics::default(),
            all_spending: BTreeMap::new(),
            all_economic: BTreeMap::new(),
            panel_classes: Vec::new(),
            tails: BTreeMap::new(),
            fund_classes: Vec::new(),
            fallback: Vec::new(),
        }
    }

    fn convert(&self, v: Decimal, from: Unit) -> Decimal {
        match (from, self.unit) {
            (Unit::Wan, Unit::Yuan) => v.checked_mul(Decimal::from(10_000)).unwrap_or(v),
            _ => v,
        }
    }

    fn fact(&self, e: &Entry, unit: Unit) -> Fact {
        Fact {
            value: self.convert(e.value.unwrap_or_default(), unit),
            at: e.at.clone(),
            what: what(e),
        }
    }

    /// Sets a fact once; a different figure for the same fact is reported at the second cell.
    fn set(
        slot: &mut BTreeMap<&'static str, Fact>,
        field: &'static str,
        f: Fact,
        file: &str,
        diags: &mut Diagnostics,
    ) {
        match slot.get(field) {
            Some(old) if old.value != f.value => diags.push(conflict(file, old, &f)),
            Some(_) => {}
            None => {
                slot.insert(field, f);
            }
        }
    }

    fn scalar(&mut self, table: &str, key: &str, f: Fact) {
        let k = (table.to_string(), key.to_string());
        match self.facts.scalars.get(&k) {
            Some(old) if old.value != f.value => self.diags.push(conflict(self.file, old, &f)),
            Some(_) => {}
            None => {
                self.facts.scalars.insert(k, f);
            }
        }
    }

    pub fn table(&mut self, t: &TableRead, l: &TableLayout) {
        for (code, name) in &t.names {
            self.facts
                .names
                .entry(code.clone())
                .or_insert_with(|| name.clone());
        }
        match l.shape {
            Shape::Summary => self.summary(t),
            Shape::Function => self.function(t, l),
            Shape::Economic => self.economic(t, l),
            Shape::EconomicPanels => self.panels(t, l),
            Shape::ThreePublic => self.three_public(t),
        }
    }

    fn summary(&mut self, t: &TableRead) {
        for e in &t.entries {
            let f = self.fact(e, t.unit);
            let fund_col = FUNDS.iter().find(|x| **x == e.col).copied();
            let key = e.key.as_str();
            let total_col = e.col.is_empty() || e.col == "total";
            if let Some(code) = key.strip_prefix("appropriation.class:") {
                if total_col {
                    self.scalar("appropriation", &format!("declared_classes.\"{code}\""), f);
                } else if let Some(fund) = fund_col {
                    self.fund_classes
                        .push((code.to_string(), fund, e.clone(), t.unit));
                }
                continue;
            }
            // The 本年支出合计 row in the 政府性基金 / 国有资本经营 columns: checked at the end
            // against that fund's 项 like a 类 (the 一般公共预算 column is its declared_total).
            // Its 合计 column ("total") against every fund's 项.
            if key == "appropriation.spending_total" {
                let column = if total_col {
                    Some("total")
                } else {
                    fund_col.filter(|f| *f != "general_budget")
                };
                if let Some(column) = column {
                    self.fund_classes
                        .push((String::new(), column, e.clone(), t.unit));
                }
                continue;
            }
            if let Some(code) = key.strip_prefix("class:") {
                self.scalar("spending", &format!("declared_classes.\"{code}\""), f);
                continue;
            }
            if let Some(fund) = key.strip_prefix("appropriation.income.") {
                self.scalar("income", fund, f);
                continue;
            }
            if let Some(fund) = key.strip_prefix("appropriation.opening.") {
                self.scalar(&format!("appropriation.{fund}"), "opening_balance", f);
                continue;
            }
            match (key, fund_col) {
                ("appropriation.closing", Some(fund)) => {
                    self.scalar(&format!("appropriation.{fund}"), "closing_balance", f)
                }
                ("appropriation.income_total", _) => {
                    self.scalar("appropriation", "declared_income_total", f)
                }
                ("appropriation.grand", _) if total_col => {
                    self.scalar("appropriation", "declared_grand_total", f)
                }
                ("income_total", _) => self.scalar("income", "declared_total", f),
                ("income_grand", _) => self.scalar("income", "declared_grand_total", f),
                ("spending_total", _) => self.scalar("spending", "declared_total", f),
                ("spending_grand", _) => self.scalar("spending", "declared_grand_total", f),
                (k, _) if k.starts_with("income.") => {
                    self.scalar("income", &k["income.".len()..], f)
                }
                (k, _) if k.starts_with("spending.") => {
                    self.scalar("spending", &k["spending.".len()..], f)
                }
                _ => {}
            }
        }
    }

    fn fund_of(l: &TableLayout) -> Option<&'static str> {
        FUNDS
            .iter()
            .find(|f| l.source.as_deref() == Some(**f))
            .copied()
    }

    fn function(&mut self, t: &TableRead, l: &TableLayout) {
        let fund = Self::fund_of(l);
        let all = l.source.as_deref() == Some("all");
        let mut declared_cols: BTreeSet<&str> = BTreeSet::new();
        if let Some(fund) = fund {
            self.facts
                .owned
                .insert(format!("{}.items", fund_path(fund)));
            if fund == "general_budget" {
                declared_cols.insert("actual");
            }
        }
        if all {
            self.facts
                .owned
                .insert("non_appropriation.items".to_string());
        }
        for e in &t.entries {
            let f = self.fact(e, t.unit);
            let col = e.col.as_str();
            if e.key == "total" {
                match (fund, col) {
                    (Some("general_budget"), "actual") => {
                        self.scalar("general_budget", "declared_total", f)
                    }
                    (Some("general_budget"), "budget") => {
                        self.scalar("general_budget", "declared_budget", f)
                    }
                    (Some("general_budget"), "basic" | "project") => {
                        self.scalar("general_budget", &format!("declared_{col}"), f)
                    }
                    (Some(fund), "opening_balance" | "closing_balance") => {
                        self.scalar(&format!("appropriation.{fund}"), col, f)
                    }
                    (None, "basic" | "project" | "upper_remit" | "affiliate_grant") if all => {
                        self.scalar("spending", col, f)
                    }
                    (None, "business_spending") if all => self.scalar("spending", "business", f),
                    // The 合计 of 收入决算表 / 支出决算表 is the 本年收入合计 / 本年支出合计 of
                    // 收入支出决算总表: one figure.
                    (None, "income_total") if all => self.scalar("income", "declared_total", f),
                    (None, "spending_total") if all => self.scalar("spending", "declared_total", f),
                    (None, "upper_grant" | "service" | "affiliate" | "other") if all => {
                        self.fallback.push(("income", income_column(col), f))
                    }
                    (None, "business_income") if all => {
                        self.fallback.push(("income", "business", f))
                    }
                    _ => {}
                }
                continue;
            }
            let Some(code) = e.key.strip_prefix("code:") else {
                continue;
            };
            if code.len() != 7 {
                if fund == Some("general_budget") && col == "actual" {
                    self.scalar(
                        "general_budget",
                        &format!("declared_subtotals.\"{code}\""),
                        f,
                    );
                }
                continue;
            }
            if let Some(fund) = fund {
                let field = match col {
                    "basic" => "basic",
                    "project" => "project",
                    "budget" if e.value.is_some() => "budget",
                    "opening_balance" => "opening_balance",
                    "closing_balance" => "closing_balance",
                    "actual" => "declared_total",
                    _ => continue,
                };
                let slot = self
                    .facts
                    .items
                    .entry((fund, code.to_string()))
                    .or_default();
                Self::set(slot, field, f, self.file, &mut self.diags);
            } else if all {
                let field = match col {
                    "upper_grant" => "income.upper_grant",
                    "service" => "income.service",
                    "business_income" => "income.business",
                    "affiliate" => "income.affiliate",
                    "other" => "income.other",
                    "upper_remit" => "spending.upper_remit",
                    "business_spending" => "spending.business",
                    "affiliate_grant" => "spending.affiliate_grant",
                    "basic" | "project" => {
                        let k = (
                            code.to_string(),
                            if col == "basic" { "basic" } else { "project" },
                        );
                        self.all_spending.insert(k, f);
                        continue;
                    }
                    _ => continue,
                };
                let slot = self
                    .facts
                    .non_appropriation
                    .entry(code.to_string())
                    .or_default();
                Self::set(slot, field, f, self.file, &mut self.diags);
            }
        }
        // The table a `[[declared_rows]]` row of this layout names, and its column's key.
        let has = |c: &str| l.columns.iter().any(|x| x == c);
        let row_table: Option<&'static str> = match (fund, all) {
            (None, true) if has("spending_total") => Some("spending"),
            (None, true) if has("income_total") => Some("income"),
            (Some("state_capital"), _) if has("actual") && has("income") => {
                Some("state_capital_income_spending")
            }
            (Some(f), _) if has("actual") => Some(f),
            _ => None,
        };
        let row_column = |col: &str| -> Option<&'static str> {
            Some(match col {
                "spending_total" | "actual" | "income_total" => "total",
                "basic" => "basic",
                "project" => "project",
                "budget" => "budget",
                "appropriation_income" => "appropriation",
                "upper_grant" => "upper_grant",
                "service" => "service",
                "business_income" => "business",
                "affiliate" => "affiliate",
                "other" => "other",
                "opening_balance" => "opening_balance",
                "income" => "income",
                "closing_balance" => "closing_balance",
                _ => return None,
            })
        };
        let held = |key: &str, col: &str| {
            let heading = key.len() != "code:".len() + 7;
            // The 收入决算表's 合计 row in a column of the money that is not an appropriation is
            // also `[income]`'s figure; as this table printed it, a row of its own.
            let own_total = key == "total"
                && row_table == Some("income")
                && matches!(
                    col,
                    "upper_grant" | "service" | "business_income" | "affiliate" | "other"
                );
            if col == "budget" && fund == Some("general_budget") {
                // Budget lines without spending are not listed: a 预算数 may exceed its rows.
                Held::Budget(key != "total")
            } else if let (Some(table), Some(column)) = (row_table, row_column(col))
                && (heading || table == "spending")
                && !declared_cols.contains(col)
                && (own_total || !(key == "total" && (all || table == "general_budget")))
                // The 合计 row's balances are the fund's own facts, its 本年收入 theirs too.
                && !(key == "total"
                    && matches!(column, "opening_balance" | "income" | "closing_balance"))
                && !(table == "general_budget" && column == "total")
            {
                Held::Row(table, column)
            } else if declared_cols.contains(col)
                // The 合计 row of an all-money table is 公开01表's: declared totals and facts.
                || (key == "total" && all)
                || (key == "total"
                    && fund == Some("general_budget")
                    && matches!(col, "basic" | "project"))
            {
                Held::Declared
            } else {
                Held::Sum
            }
        };
        self.check_sums(t, &[3, 5, 7], &held);
    }

    fn economic(&mut self, t: &TableRead, l: &TableLayout) {
        let source = l.source.as_deref();
        if source == Some("general_budget") {
            self.facts
                .owned
                .insert("general_budget.economic".to_string());
        }
        for e in &t.entries {
            let f = self.fact(e, t.unit);
            let Some(code) = e.key.strip_prefix("code:") else {
                continue;
            };
            let col = e.col.as_str();
            if code.len() == 3 {
                if source == Some("general_budget") && col == "total" {
                    self.scalar(
                        "general_budget",
                        &format!("declared_economic_subtotals.\"{code}\""),
                        f,
                    );
                }
                continue;
            }
            let field: &'static str = match col {
                "basic" => "basic",
                "project" => "project",
                _ => continue,
            };
            match source {
                Some("general_budget") => {
                    let slot = self
                        .facts
                        .economic
                        .entry(("general_budget", code.to_string()))
                        .or_default();
                    Self::set(slot, field, f, self.file, &mut self.diags);
                }
                Some("appropriation") => {
                    self.all_economic.insert((code.to_string(), field), f);
                }
                _ => {}
            }
        }
        // Each economic table's 类 rows (and the 财政拨款 明细表's and the 项目支出 table's 合计
        // row) by column as that table printed them; a 类's 人员经费 / 公用经费 小计 is its 基本支出.
        let general = source == Some("general_budget");
        let project_only = l.columns.iter().all(|c| c == "project");
        let table: Option<&'static str> = match source {
            Some("appropriation") => Some("appropriation_economic"),
            Some("general_budget") if project_only => Some("general_budget_project"),
            Some("general_budget") => Some("general_budget_economic"),
            _ => None,
        };
        self.check_sums(t, &[3, 5], &|key: &str, col: &str| {
            let class = key.len() == 3 + "code:".len();
            let total = key == "total";
            let Some(table) = table else {
                return Held::Sum;
            };
            match col {
                "total" if general && class => Held::Declared,
                "personnel" | "operating" if class => Held::Declared,
                "total" | "basic" | "project"
                    if class || (total && table != "general_budget_economic") =>
                {
                    Held::Row(
                        table,
                        match col {
                            "total" => "total",
                            "basic" => "basic",
                            _ => "project",
                        },
                    )
                }
                _ => Held::Sum,
            }
        });
    }

    fn panels(&mut self, t: &TableRead, l: &TableLayout) {
        if Self::fund_of(l) != Some("general_budget") {
            return;
        }
        self.facts
            .owned
            .insert("general_budget.economic".to_string());
        for e in &t.entries {
            let f = self.fact(e, t.unit);
            match e.key.as_str() {
                "personnel_total" => self.scalar("general_budget", "declared_personnel", f),
                "operating_total" => self.scalar("general_budget", "declared_operating", f),
                k => {
                    let Some(code) = k.strip_prefix("code:") else {
                        continue;
                    };
                    if code.len() == 3 {
                        self.panel_classes
                            .push((code.to_string(), e.clone(), t.unit));
                    }
                    if code.len() == 5 {
                        let slot = self
                            .facts
                            .economic
                            .entry(("general_budget", code.to_string()))
                            .or_default();
                        Self::set(slot, "basic", f, self.file, &mut self.diags);
                    }
                }
            }
        }
        // The 类 rows are declared facts (the panel totals are checked by the rules).
        self.check_sums(t, &[3, 5], &|key: &str, _| match key {
            "total" => Held::Unchecked,
            _ => Held::Declared,
        });
    }

    fn three_public(&mut self, t: &TableRead) {
        for e in &t.entries {
            let f = self.fact(e, t.unit);
            let (table, key) = match e.col.as_str() {
                "budget.total" => ("three_public", "declared_budget"),
                "budget.overseas" => ("three_public.overseas", "budget"),
                "budget.vehicle_purchase" => ("three_public.vehicle", "purchase_budget"),
                "budget.vehicle_running" => ("three_public.vehicle", "running_budget"),
                "budget.reception" => ("three_public.reception", "budget"),
                "actual.total" => ("three_public", "declared_actual"),
                "actual.overseas" => ("three_public.overseas", "actual"),
                "actual.vehicle" => ("three_public.vehicle", "declared_actual"),
                "actual.vehicle_running" => ("three_public.vehicle", "running_actual"),
                "actual.vehicle_purchase" => ("three_public.vehicle", "purchases"),
                "actual.reception" => ("three_public.reception.domestic", "actual"),
                _ => continue,
            };
            self.scalar(table, key, f);
        }
        // 公务用车 小计 (budget) has no declared fact: check it here.
        let get = |col: &str| t.entries.iter().find(|e| e.col == col);
        if let (Some(sub), Some(p), Some(r)) = (
            get("budget.vehicle"),
            get("budget.vehicle_purchase"),
            get("budget.vehicle_running"),
        ) {
            let parts = p.value.unwrap_or_default() + r.value.unwrap_or_default();
            self.check_one(sub, parts, "公务用车购置费与运行费之和", t.unit, 2, false);
        }
    }

    /// A printed sum against the rows under it: 合计 = Σ类, 类 = Σ款, 款 = Σ项.
    fn check_sums(&mut self, t: &TableRead, levels: &[usize], held: &dyn Fn(&str, &str) -> Held) {
        let mut by_col: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
        for e in &t.entries {
            by_col.entry(e.col.as_str()).or_default().push(e);
        }
        for (col, entries) in by_col {
            // A column with a cell that could not be read (reported at that cell) has a
            // figure missing from every sum: checking them would only repeat that one slip.
            if t.bad.iter().any(|b| b.col == col) {
                continue;
            }
            let code = |e: &Entry| e.key.strip_prefix("code:").map(str::to_string);
            for parent in &entries {
                let (declared, row, budget) = match held(&parent.key, col) {
                    Held::Unchecked => continue,
                    Held::Declared => (true, None, false),
                    Held::Sum => (false, None, false),
                    Held::Row(table, column) => (true, Some((table, column)), false),
                    Held::Budget(row) => (true, row.then_some(("general_budget", "budget")), true),
                };
                let (child_len, prefix) = if parent.key == "total" {
                    (levels[0], String::new())
                } else {
                    let Some(c) = code(parent) else { continue };
                    match levels.iter().position(|&n| n == c.len()) {
                        Some(i) if i + 1 < levels.len() => (levels[i + 1], c),
                        _ => continue,
                    }
                };
                let children: Vec<&&Entry> = entries
                    .iter()
                    .filter(|e| {
                        code(e).is_some_and(|c| c.len() == child_len && c.starts_with(&prefix))
                    })
                    .collect();
                if children.is_empty() {
                    continue;
                }
                let sum: Decimal = children.iter().map(|e| e.value.unwrap_or_default()).sum();
                let under = match parent.key.as_str() {
                    "total" => "各类之和",
                    _ if child_len == 5 => "其下各款之和",
                    _ => "其下各项之和",
                };
                let value = parent.value.unwrap_or_default();
                let beyond = value - sum > crate::money::tolerance(t.unit, children.len());
                let kept = if budget && beyond {
                    // Budget lines without spending under it: the input must list them.
                    self.facts.to_fill.push(format!(
                        "{}“{}”·“{}”印 {}，列出的各行之和 {}：差额 {} 应是有预算、没有支出而不列示的项，请补填它们的预算数（TOML：[[general_budget.items]] 只填 code 与 budget）",
                        parent.at.sheet,
                        parent.row_label,
                        parent.col_label,
                        value.normalize(),
                        sum.normalize(),
                        (value - sum).normalize()
                    ));
                    true
                } else {
                    self.check_one(parent, sum, under, t.unit, children.len(), declared)
                };
                // A row held by column prints as printed where it differs from the 项 under
                // it (the rebuilt table adds up 项, not the printed rows between).
                let Some((table, column)) = row else { continue };
                let leaves: Vec<Decimal> = entries
                    .iter()
                    .filter(|e| {
                        code(e).is_some_and(|c| {
                            Some(&c.len()) == levels.last() && c.starts_with(&prefix)
                        })
                    })
                    .map(|e| e.value.unwrap_or_default())
                    .collect();
                let leaf_sum: Decimal = leaves.iter().sum();
                let tolerance = crate::money::tolerance(t.unit, leaves.len());
                let differs = value != leaf_sum
                    && ((value - leaf_sum).abs() <= tolerance || (budget && value > leaf_sum));
                if differs && !kept && (value - leaf_sum).abs() <= tolerance {
                    self.tails
                        .entry(parent.at.sheet.clone())
                        .or_default()
                        .push(((*parent).clone(), leaf_sum, true));
                }
                if differs {
                    let code = code(parent).unwrap_or_else(|| TOTAL_ROW.to_string());
                    let f = self.fact(parent, t.unit);
                    self.facts
                        .rows
                        .entry((table, code))
                        .or_default()
                        .insert(column, f);
                }
            }
        }
    }

    /// A printed sum against its `given` parts: within the 尾差 a note (one per table,
    /// [`Builder::notes`]), beyond it an error at its cell. `declared`: the sum is kept as a
    /// `declared_*` fact (and prints as printed), else the rebuilt table prints the rows' sum.
    /// Whether it differs within the 尾差.
    #[allow(clippy::too_many_arguments)]
    fn check_one(
        &mut self,
        printed: &Entry,
        parts: Decimal,
        under: &str,
        unit: Unit,
        given: usize,
        declared: bool,
    ) -> bool {
        let value = printed.value.unwrap_or_default();
        if value == parts {
            return false;
        }
        let diff = value - parts;
        if diff.abs() <= crate::money::tolerance(unit, given) {
            self.tails
                .entry(printed.at.sheet.clone())
                .or_default()
                .push((printed.clone(), parts, declared));
            return true;
        }
        self.diags.push(
            Diagnostic::of(
                codes::TABLE_SUM,
                format!(
                    "{} 印 {}，{under} {}（差 {}）",
                    what(printed),
                    value.normalize(),
                    parts.normalize(),
                    diff.normalize()
                ),
            )
            .at(&location(self.file, &printed.at))
            .hint("核对来源表：改正所印合计或其下各行中错的那个数后，再导入。"),
        );
        false
    }

    /// The money that is not an appropriation (all money less the funds), and the other funds'
    /// economic lines (all appropriation less the 一般公共预算).
    pub fn finish(&mut self) {
        for (table, key, f) in std::mem::take(&mut self.fallback) {
            self.facts
                .scalars
                .entry((table.to_string(), key.to_string()))
                .or_insert(f);
        }
        self.declare_panel_classes();
        self.check_fund_classes();
        // The rows read replace the input's (`--merge`) only when the tables print some.
        if !self.facts.rows.is_empty() {
            self.facts.owned.insert("declared_rows".to_string());
        }
        self.notes();
        self.move_non_appropriation();
    }

    /// A 类 row of the 基本支出 table is the class's declared 经济分类 total when no economic
    /// table printed it and the class has no 项目支出 (the total is then its 基本支出).
    fn declare_panel_classes(&mut self) {
        for (code, e, unit) in std::mem::take(&mut self.panel_classes) {
            let key = (
                "general_budget".to_string(),
                format!("declared_economic_subtotals.\"{code}\""),
            );
            let project = self.facts.economic.iter().any(|((fund, c), slot)| {
                *fund == "general_budget"
                    && c.starts_with(&code)
                    && slot.get("project").is_some_and(|f| !f.value.is_zero())
            });
            let f = self.fact(&e, unit);
            let total = self.facts.scalars.get(&key).map(|x| x.value);
            if !project && total.is_none() {
                self.facts.scalars.insert(key, f);
                continue;
            }
            // What the rebuilt row prints without a row of its own: the class's total when it is
            // all 基本支出, else the sum of its 款.
            let otherwise = match total {
                Some(t) if !project => t,
                _ => self
                    .facts
                    .economic
                    .iter()
                    .filter(|((fund, c), _)| *fund == "general_budget" && c.starts_with(&code))
                    .filter_map(|(_, slot)| slot.get("basic"))
                    .map(|x| x.value)
                    .sum(),
            };
            if f.value != otherwise {
                self.facts
                    .rows
                    .entry(("general_budget_basic", code))
                    .or_default()
                    .insert("basic", f);
            }
        }
    }

    /// A 类 of 财政拨款收入支出决算总表 in a fund's column is the sum of that fund's 项 under it,
    /// its 本年支出合计 row (code "") in a fund's column or its 合计 column ("total") the sum of
    /// the fund's or every fund's 项: within the 尾差 kept as a `[[declared_rows]]` cell (this
    /// table's own figure), beyond it T002. A fund whose table was not read has no 项 to check
    /// against.
    fn check_fund_classes(&mut self) {
        for (code, fund, e, unit) in std::mem::take(&mut self.fund_classes) {
            // An empty code is the 本年支出合计 row: every 项 of the fund.
            let row = if code.is_empty() {
                TOTAL_ROW.to_string()
            } else {
                code.clone()
            };
            // "total" is the row's 合计 column: every fund.
            let of_fund = |f: &str| fund == "total" || f == fund;
            let lines: Vec<Decimal> = self
                .facts
                .items
                .iter()
                .filter(|((f, c), _)| of_fund(f) && c.starts_with(&code))
                .flat_map(|(_, slot)| ["basic", "project"].into_iter().filter_map(|k| slot.get(k)))
                .map(|x| x.value)
                .collect();
            if !self.facts.items.keys().any(|(f, _)| of_fund(f)) {
                continue;
            }
            let mut printed = e.clone();
            printed.value = e.value.map(|v| self.convert(v, unit));
            let sum: Decimal = lines.iter().sum();
            if self.check_one(&printed, sum, "其下各项之和", self.unit, lines.len(), true) {
                // The class's 合计 column, declared, is this cell too when the fund holds every
                // 项 of the class: one figure, written once.
                let total = self.facts.scalars.get(&(
                    "appropriation".to_string(),
                    format!("declared_classes.\"{code}\""),
                ));
                let alone = !self
                    .facts
                    .items
                    .keys()
                    .any(|(f, c)| *f != fund && c.starts_with(&code));
                if !code.is_empty()
                    && alone
                    && total.is_some_and(|t| Some(t.value) == printed.value)
                {
                    continue;
                }
                let f = self.fact(&e, unit);
                self.facts
                    .rows
                    .entry(("appropriation", row))
                    .or_default()
                    .insert(fund, f);
            }
        }
    }

    /// One note for every printed sum that differs from its rows within the 尾差.
    fn notes(&mut self) {
        let tails = std::mem::take(&mut self.tails);
        let Some((first, sum, _)) = tails.values().flatten().next() else {
            return;
        };
        let value = first.value.unwrap_or_default();
        let count: usize = tails.values().map(Vec::len).sum();
        let per_sheet: Vec<String> = tails
            .iter()
            .map(|(sheet, t)| format!("“{sheet}” {} 处", t.len()))
            .collect();
        let summed: Vec<String> = tails
            .values()
            .flatten()
            .filter(|(_, _, declared)| !declared)
            .map(|(e, ..)| format!("“{}”{}", e.at.sheet, what(e)))
            .collect();
        let kept = if summed.is_empty() {
            "都作为来源表所印合计导入（declared_* 事实），生成时照印".to_string()
        } else {
            format!(
                "其中 {} 没有对应的来源表所印合计事实，生成时按各行之和印出；其余作为来源表所印合计导入（declared_* 事实），照印",
                summed.join("、")
            )
        };
        self.diags.push(
            Diagnostic::of(
                codes::TABLE_TAIL,
                format!(
                    "有 {count} 处所印合计与其下各行之和相差在尾差之内（{}），如 {} 印 {}，其下各行之和 {}（差 {}）；{kept}",
                    per_sheet.join("，"),
                    what(first),
                    value.normalize(),
                    sum.normalize(),
                    (value - sum).normalize()
                ),
            )
            .at(&location(self.file, &first.at))
            .hint("来源表按元汇总后再折成万元，合计与各行之和可差几分：这不是差错，不必修改。"),
        );
    }

    fn move_non_appropriation(&mut self) {
        let all_spending = std::mem::take(&mut self.all_spending);
        for ((code, field), f) in all_spending {
            let appropriation: Decimal = FUNDS
                .iter()
                .filter_map(|fund| self.facts.items.get(&(*fund, code.clone())))
                .filter_map(|slot| slot.get(field))
                .map(|x| x.value)
                .sum();
            let rest = f.value - appropriation;
            if rest.is_zero() && !self.facts.non_appropriation.contains_key(&code) {
                continue;
            }
            let slot = self.facts.non_appropriation.entry(code).or_default();
            slot.insert(
                if field == "basic" {
                    "spending.basic"
                } else {
                    "spending.project"
                },
                Fact {
                    value: rest,
                    at: f.at,
                    what: f.what,
                },
            );
        }
        // Non-appropriation lines with nothing in them are no lines.
        self.facts
            .non_appropriation
            .retain(|_, slot| slot.values().any(|f| !f.value.is_zero()));
        let all_economic = std::mem::take(&mut self.all_economic);
        if all_economic.is_empty() {
            return;
        }
        let has_items = |fund: &str| self.facts.items.keys().any(|(f, _)| *f == fund);
        let target = match (has_items("gov_fund"), has_items("state_capital")) {
            (_, false) => "gov_fund",
            (false, true) => "state_capital",
            (true, true) => {
                self.facts.to_fill.push(
                    "政府性基金与国有资本经营预算财政拨款都有支出：公开表只列两者合计的经济分类，已全部记在政府性基金名下，请在“经济分类支出”表按资金拆分（TOML：[[appropriation.gov_fund.economic]] 与 [[appropriation.state_capital.economic]]）".to_string(),
                );
                "gov_fund"
            }
        };
        self.facts
            .owned
            .insert(format!("appropriation.{target}.economic"));
        for ((code, field), f) in all_economic {
            let general = self
                .facts
                .economic
                .get(&("general_budget", code.clone()))
                .and_then(|slot| slot.get(field))
                .map(|x| x.value)
                .unwrap_or_default();
            let rest = f.value - general;
            if rest.is_zero() {
                continue;
            }
            self.facts
                .economic
                .entry((target, code))
                .or_default()
                .insert(
                    field,
                    Fact {
                        value: rest,
                        at: f.at,
                        what: f.what,
                    },
                );
        }
    }
}

/// Where a fund's lists sit in the input.
pub fn fund_path(fund: &str) -> String {
    if fund == "general_budget" {
        "general_budget".to_string()
    } else {
        format!("appropriation.{fund}")
    }
}

/// `[income]`'s key of a 收入决算表 column of money that is not an appropriation.
fn income_column(col: &str) -> &'static str {
    match col {
        "upper_grant" => "upper_grant",
        "service" => "service",
        "affiliate" => "affiliate",
        "business_income" => "business",
        _ => "other",
    }
}

fn conflict(file: &str, old: &Fact, new: &Fact) -> Diagnostic {
    Diagnostic::of(
        codes::TABLE_CONFLICT,
        format!(
            "同一个数两处所印不同：{} 印 {}，而 {}!{} {} 印 {}",
            new.what,
            new.value.normalize(),
            old.at.sheet,
            old.at.a1(),
            old.what,
            old.value.normalize()
        ),
    )
    .at(&location(file, &new.at))
    .related(&location(file, &old.at), "另一处")
    .hint("两张表应当一致：改正错的一处后，再导入。")
}
