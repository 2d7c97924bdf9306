//! 公开表工作簿的读入（`juesuan import`，以及 `check`/`build` 直接读公开表）。
//!
//! A 公开表 workbook — the 决算 software's export, a published set retyped, or juesuan's own
//! `build --format xlsx` — is read into the facts the tables hold (`sheet` finds the tables and
//! their figures, `facts` turns them into input facts and checks every printed sum), and written
//! as juesuan TOML in which every figure remembers its `工作表!单元格`. What no table holds (the
//! 说明's reasons, duties, 三公 counts, prior-year figures) is listed once, to be filled in, or
//! carried over from an existing input with `--merge`.

pub mod facts;
pub mod sheet;
pub mod text;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::{Table, Value};

use crate::diagnostic::{Diagnostic, Diagnostics, codes};
use crate::form::layouts::TableLayouts;
use crate::input::source::CellSpan;
use crate::input::{Loaded, SourceFile};
use crate::money::Unit;
use crate::workbook::cells::{Book, Problem};
use crate::workbook::open::Format;
use facts::{Builder, FUNDS, Fact, Facts, fund_path};
use sheet::{Cell, Grid, TableRead};

/// The first line of TOML written by the importer: `check` knows such an input by it.
pub const MARK: &str = "# 由 juesuan import 从公开表工作簿读入";

/// What the tables of a workbook hold, as juesuan TOML.
pub struct Imported {
    pub text: String,
    pub cells: Vec<CellSpan>,
    pub diagnostics: Diagnostics,
    /// Facts no table holds, in the clerk's words.
    pub to_fill: Vec<String>,
    /// Lists the tables hold (the merge replaces them).
    pub owned: Vec<String>,
    /// The tables read: `公开01表 收入支出决算总表 ← 工作表`.
    pub tables: Vec<String>,
}

/// Facts the 公开表 never hold, for a 部门决算 input.
const NEVER_IN_TABLES: &[&str] = &[
    "单位职能、重点工作、下属单位个数（TOML：[overview] duties、key_tasks、organization）",
    "上年收支总计、财政拨款收支总计、一般公共预算财政拨款支出，及各自的增减原因（TOML：[prior_year]）",
    "一般公共预算各项决算数与预算数不同的原因（TOML：[[general_budget.items]] 的 reason）",
    "“三公”经费的上年数、增减原因、因公出国团组与人次、公务用车购置辆数与保有量、公务接待批次与人次（TOML：[three_public]）",
    "机关运行经费本年数、上年数与原因（TOML：[running_costs]）",
    "政府采购支出：货物、工程、服务，授予中小企业（TOML：[procurement]）",
    "国有资产占有使用情况：车辆、单价 100 万元以上设备（TOML：[assets]）",
    "预算绩效管理情况：自评项目、得分（TOML：[performance]）",
];

/// Whether a workbook is a 公开表 set rather than juesuan's template: no 说明 sheet, and a
/// table title on some sheet. `None` when it is not (or cannot be opened: the template reader
/// reports that).
pub fn load_if_tables(name: &str, format: Format, bytes: &[u8]) -> Option<Loaded> {
    let imported = read(name, format, bytes)?;
    let mut loaded = crate::input::parse_toml(SourceFile::from_workbook(
        name,
        imported.text,
        imported.cells,
    ));
    let mut diagnostics = imported.diagnostics;
    diagnostics.extend(loaded.diagnostics);
    loaded.diagnostics = diagnostics;
    Some(loaded)
}

/// Reads a 公开表 workbook; `None` when it is juesuan's template or holds no 公开表 title.
pub fn read(name: &str, format: Format, bytes: &[u8]) -> Option<Imported> {
    let mut book = Book::open(format, bytes).ok()?;
    let names = book.sheet_names();
    if names.iter().any(|n| n == crate::workbook::schema::GUIDE)
        || names.len() > crate::workbook::limits::SHEETS
    {
        return None;
    }
    let layouts = TableLayouts::builtin();
    let mut diags = Diagnostics::default();
    let mut grids = Vec::new();
    for n in &names {
        match book.cells_of(n) {
            Ok(cells) => grids.push(Grid {
                name: Arc::from(n.as_str()),
                cells,
            }),
            Err(problem) => diags.push(sheet_problem(name, n, problem)),
        }
    }
    // Per title, the layouts that read it best (several when they tie: 上海 and 财政部 print
    // some tables under one title with columns that end alike).
    let mut candidates: Vec<Vec<TableRead>> = Vec::new();
    for grid in &grids {
        let titles = sheet::titles(grid, &layouts.tables);
        for (i, title) in titles.iter().enumerate() {
            let end = titles.get(i + 1).map_or(grid.height(), |t| t.row);
            let score = |t: &TableRead| (t.matched * 100 / t.wanted.max(1), t.matched, t.exact);
            let mut read: Vec<TableRead> = title
                .layouts
                .iter()
                .map(|&l| sheet::read(grid, title, end, &layouts.tables, l))
                .filter(|t| t.matched > 0)
                .collect();
            let Some(best) = read.iter().map(score).max() else {
                continue;
            };
            read.retain(|t| score(t) == best);
            // Variants of one table (same id) that read alike: the one whose lines the rows
            // follow without a gap (a 2025 24-类 总表 is the no_debt variant).
            let fewest = |id: &str| {
                read.iter()
                    .filter(|t| layouts.tables[t.layout].id == id)
                    .map(|t| t.skipped)
                    .min()
            };
            let keep: Vec<bool> = read
                .iter()
                .map(|t| fewest(&layouts.tables[t.layout].id) == Some(t.skipped))
                .collect();
            let mut keep = keep.into_iter();
            read.retain(|_| keep.next().unwrap_or(true));
            candidates.push(read);
        }
    }
    // The set that has a best layout for the most titles (the first listed on a tie); each
    // title is then read with that set's layout where it has one, else the first listed.
    let in_set = |set: &crate::form::layouts::SetLayout, t: &TableRead| {
        let id = &layouts.tables[t.layout].id;
        set.tables.iter().any(|e| e.id == *id)
    };
    let chosen = layouts.sets.iter().enumerate().max_by_key(|(n, set)| {
        let explained = candidates
            .iter()
            .filter(|c| c.iter().any(|t| in_set(set, t)))
            .count();
        (explained, std::cmp::Reverse(*n))
    });
    let found: Vec<TableRead> = candidates
        .into_iter()
        .map(|mut c| {
            let pick = chosen
                .and_then(|(_, set)| c.iter().position(|t| in_set(set, t)))
                .unwrap_or(0);
            c.swap_remove(pick)
        })
        .collect();
    if found.is_empty() {
        return None;
    }
    for note in sheet::hidden_notes(name, format, bytes, &book, &grids, &found) {
        diags.push(note);
    }
    Some(build(name, &layouts, found, diags))
}

fn sheet_problem(file: &str, sheet: &str, problem: Problem) -> Diagnostic {
    let what = match problem {
        Problem::TooFar { .. }
        | Problem::TooMany
        | Problem::TooMuchText
        | Problem::TooManyMerged
        | Problem::Beyond(_) => "超出 juesuan 读取的范围",
        _ => "无法读取",
    };
    Diagnostic::of(
        codes::WORKBOOK_LIMIT,
        format!("{file} 的工作表“{sheet}”{what}，已跳过"),
    )
    .hint("删去与决算无关的内容，或把这张表另存为新的工作簿后再导入。")
}

fn build(
    file: &str,
    layouts: &TableLayouts,
    found: Vec<TableRead>,
    mut diags: Diagnostics,
) -> Imported {
    let unit = if found.iter().any(|t| t.unit == Unit::Yuan) {
        Unit::Yuan
    } else {
        Unit::Wan
    };
    let mut b = Builder::new(file, unit);
    let mut tables = Vec::new();
    for t in &found {
        let l = &layouts.tables[t.layout];
        tables.push(format!("{} ← {}!{}", l.title, t.sheet, t.title_at.a1()));
        for d in sheet::findings(file, t) {
            b.diags.push(d);
        }
        b.table(t, l);
    }
    for d in sheet::foreign_units(file, &found) {
        b.diags.push(d);
    }
    b.finish();
    diags.extend(std::mem::take(&mut b.diags));
    // The set: the one that prints the most of the tables found (the first listed on a tie,
    // 四川 before 财政部: a workbook of the tables both print is read as 四川's).
    let ids: Vec<&str> = found
        .iter()
        .map(|t| layouts.tables[t.layout].id.as_str())
        .collect();
    let set = layouts
        .sets
        .iter()
        .enumerate()
        .max_by_key(|(n, s)| {
            let printed = s
                .tables
                .iter()
                .filter(|e| ids.contains(&e.id.as_str()))
                .count();
            (printed, std::cmp::Reverse(*n))
        })
        .map(|(_, s)| s.id.as_str())
        .filter(|id| *id != "sichuan");
    let department = found.iter().find_map(|t| t.department.clone());
    let year = found.iter().find_map(|t| t.year.clone());
    let mut facts = b.facts;
    if department.is_none() {
        facts.to_fill.insert(
            0,
            "单位全称：表上没有“部门：…”一行（TOML：[bureau] name）".to_string(),
        );
    }
    if year.is_none() {
        facts.to_fill.insert(
            0,
            "决算年度：表名和表头都没有写年度（TOML：[bureau] year）".to_string(),
        );
    }
    let first_cell = found[0].title_at.clone();
    let mut e = Emitter::default();
    let _ = writeln!(e.text, "{MARK}（{file}）。");
    e.text.push_str(
        "# 表中的每个数都已填入（单位与来源表相同）；表中没有的事实列在文末，请补填后再 build。\n\n[bureau]\n",
    );
    match &department {
        Some((name, at)) => e.value("name", &toml_string(name), Some(at)),
        None => e.value("name", "\"\"", Some(&first_cell)),
    }
    match &year {
        Some((y, at)) => e.value("year", &y.to_string(), Some(at)),
        None => e.value("year", "0", Some(&first_cell)),
    }
    let unit_at = found.iter().find_map(|t| t.unit_at.clone());
    e.value(
        "unit",
        if unit == Unit::Yuan {
            "\"元\""
        } else {
            "\"万元\""
        },
        unit_at.as_ref().or(Some(&first_cell)),
    );
    if let Some(set) = set {
        e.value("tables", &toml_string(set), Some(&first_cell));
    }
    // A variant the year would not choose (a 24-类 总表 of 2024): named, or the build would lay
    // the tables out with the year's class list.
    let variant = found.iter().find_map(|t| {
        let l = &layouts.tables[t.layout];
        let chosen = l.variant.as_deref()?;
        let by_year = year
            .as_ref()
            .and_then(|(y, _)| layouts.layout(&l.id, *y, None))
            .and_then(|d| d.variant.as_deref());
        (by_year != Some(chosen)).then(|| (chosen.to_string(), t.title_at.clone()))
    });
    if let Some((v, at)) = variant {
        e.value("table_variant", &toml_string(&v), Some(&at));
    }
    emit_facts(&mut e, &facts, year.as_ref().map(|y| y.0));
    let mut to_fill = facts.to_fill.clone();
    to_fill.extend(NEVER_IN_TABLES.iter().map(|s| s.to_string()));
    e.text.push_str(
        "\n# ==== 公开表里没有、请补填的事实（或用 juesuan import --merge 原输入 带过来）====\n",
    );
    for line in &to_fill {
        let _ = writeln!(e.text, "# - {line}");
    }
    Imported {
        text: e.text,
        cells: e.cells,
        diagnostics: diags,
        to_fill,
        owned: facts.owned.iter().cloned().collect(),
        tables,
    }
}

/// TOML text with the cell of every value.
#[derive(Default)]
struct Emitter {
    text: String,
    cells: Vec<CellSpan>,
}

impl Emitter {
    fn header(&mut self, header: &str) {
        let _ = write!(self.text, "\n{header}\n");
    }

    fn value(&mut self, key: &str, literal: &str, at: Option<&Cell>) {
        let _ = write!(self.text, "{key} = ");
        let start = self.text.len();
        self.text.push_str(literal);
        if let Some(at) = at {
            self.cells.push(CellSpan {
                span: start..self.text.len(),
                sheet: at.sheet.clone(),
                cell: at.a1(),
            });
        }
        self.text.push('\n');
    }

    fn fact(&mut self, key: &str, f: &Fact) {
        self.value(key, &f.value.normalize().to_string(), Some(&f.at));
    }
}

fn toml_string(s: &str) -> String {
    crate::workbook::toml_string(s)
}

fn emit_facts(e: &mut Emitter, facts: &Facts, year: Option<i64>) {
    let catalog = crate::catalog::Catalog::for_year(year.unwrap_or(2023));
    // Scalars, grouped by table (the special 三公 lines after).
    let mut by_table: BTreeMap<&str, Vec<(&str, &Fact)>> = BTreeMap::new();
    for ((table, key), f) in &facts.scalars {
        by_table.entry(table).or_default().push((key, f));
    }
    let order = [
        "income",
        "spending",
        "appropriation",
        "appropriation.general_budget",
        "appropriation.gov_fund",
        "appropriation.state_capital",
        "general_budget",
        "three_public",
        "three_public.overseas",
        "three_public.vehicle",
        "three_public.reception",
        "three_public.reception.domestic",
    ];
    for table in order {
        let scalars = by_table.get(table).cloned().unwrap_or_default();
        let fund = FUNDS
            .iter()
            .find(|f| {
                table == fund_path(f) || (table == "general_budget" && **f == "general_budget")
            })
            .copied();
        let has_lists = fund.is_some_and(|f| {
            facts.items.keys().any(|(x, _)| *x == f) || facts.economic.keys().any(|(x, _)| *x == f)
        });
        if scalars.is_empty() && !has_lists {
            continue;
        }
        e.header(&format!("[{table}]"));
        let mut purchase: Option<&Fact> = None;
        for (key, f) in scalars {
            if table == "three_public.vehicle" && key == "purchases" {
                purchase = Some(f);
                continue;
            }
            e.fact(key, f);
        }
        if let Some(f) = purchase
            && !f.value.is_zero()
        {
            e.header("[[three_public.vehicle.purchases]]");
            e.value("kind", "\"（车型待补）\"", Some(&f.at));
            e.fact("amount", f);
        }
        if let Some(fund) = fund {
            let path = fund_path(fund);
            let economic_header = format!("[[{path}.economic]]");
            for ((_, code), slot) in facts.economic.iter().filter(|((f, _), _)| *f == fund) {
                let named = catalog.economic(code).is_some();
                emit_line(e, &economic_header, code, slot, named, facts);
            }
            let items_header = format!("[[{path}.items]]");
            for ((_, code), slot) in facts.items.iter().filter(|((f, _), _)| *f == fund) {
                let named = catalog.get(code).is_some();
                emit_line(e, &items_header, code, slot, named, facts);
            }
        }
    }
    for (code, slot) in &facts.non_appropriation {
        let named = catalog.get(code).is_some();
        emit_line(e, "[[non_appropriation.items]]", code, slot, named, facts);
    }
    // Rows printed by column that differ from their lines within the 尾差: kept as printed.
    for ((table, code), slot) in &facts.rows {
        e.header("[[declared_rows]]");
        let at = slot.values().next().map(|x| &x.at);
        e.value("table", &toml_string(table), at);
        e.value("code", &toml_string(code), at);
        for (field, x) in slot {
            e.fact(field, x);
        }
    }
}

/// One classified line: its code, its name when the catalog has none, and its amounts.
fn emit_line(
    e: &mut Emitter,
    header: &str,
    code: &str,
    slot: &BTreeMap<&'static str, facts::Fact>,
    named: bool,
    facts: &Facts,
) {
    e.header(header);
    let at = slot.values().next().map(|x| &x.at);
    e.value("code", &toml_string(code), at);
    if !named && let Some(name) = facts.names.get(code) {
        e.value("name", &toml_string(name), at);
    }
    for (field, x) in slot {
        e.fact(field, x);
    }
}

/// `import --merge`: the original input with every fact the tables hold replaced by the
/// tables' (lists the tables hold replaced item by item, keeping each item's other fields).
/// Returns the merged TOML and what the merge had to adjust.
pub fn merge(imported: &Imported, original: &Table) -> Result<(String, Vec<String>), String> {
    let new: Table = imported
        .text
        .parse()
        .map_err(|e: toml::de::Error| format!("导入结果不是有效的 TOML（juesuan 的缺陷）：{e}"))?;
    let mut out = original.clone();
    let mut notes = Vec::new();
    // Lists the tables hold: replaced, each item keeping the original's fields the tables lack.
    for path in &imported.owned {
        let keys: Vec<&str> = path.split('.').collect();
        let fresh = get(&new, &keys)
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        let old = get(&out, &keys).cloned();
        let merged = match (fresh, old) {
            (Value::Array(fresh), Some(Value::Array(old))) => {
                // A 项 with a budget and no spending is in no table: the original's is kept.
                let unlisted: Vec<Value> = old
                    .iter()
                    .filter(|o| path.ends_with(".items") && budget_only(o))
                    .filter(|o| !fresh.iter().any(|f| f.get("code") == o.get("code")))
                    .cloned()
                    .collect();
                let mut merged: Vec<Value> = fresh
                    .into_iter()
                    .map(|item| {
                        // An item is its code (and, for `declared_rows`, its table).
                        let code = item.get("code").cloned();
                        let table = item.get("table").cloned();
                        match old.iter().find(|o| {
                            o.get("code") == code.as_ref() && o.get("table") == table.as_ref()
                        }) {
                            Some(Value::Table(o)) => {
                                let mut t = o.clone();
                                if let Value::Table(n) = item {
                                    for (k, v) in n {
                                        t.insert(k, v);
                                    }
                                }
                                // A figure the table leaves blank (a budget) is not known: keep.
                                Value::Table(t)
                            }
                            _ => item,
                        }
                    })
                    .collect();
                merged.extend(unlisted);
                Value::Array(merged)
            }
            (fresh, _) => fresh,
        };
        set(&mut out, &keys, merged);
    }
    // Every other value the tables hold.
    overlay(&mut out, &new, &mut Vec::new(), &imported.owned);
    // Keep the original's identity (name, year, form, dates) but the tables' unit, set and variant.
    if let (Some(Value::Table(b)), Some(Value::Table(nb))) =
        (out.get_mut("bureau"), new.get("bureau"))
    {
        for k in ["unit", "tables", "table_variant"] {
            if let Some(v) = nb.get(k) {
                b.insert(k.to_string(), v.clone());
            }
        }
    }
    three_public_parts(&mut out, original, &mut notes);
    let text = toml::to_string(&out).map_err(|e| format!("合并结果无法写成 TOML：{e}"))?;
    Ok((text, notes))
}

/// A 项 that has a budget and nothing a table prints in its row (no spending, no 合计, no
/// 结转和结余): the tables never list it.
fn budget_only(item: &Value) -> bool {
    let has = |k: &str| item.get(k).is_some();
    (has("budget") || has("initial_budget"))
        && ![
            "basic",
            "project",
            "declared_total",
            "opening_balance",
            "closing_balance",
        ]
        .iter()
        .any(|k| has(k))
}

fn get<'a>(t: &'a Table, keys: &[&str]) -> Option<&'a Value> {
    let (last, parents) = keys.split_last()?;
    let mut cur = t;
    for k in parents {
        cur = cur.get(*k)?.as_table()?;
    }
    cur.get(*last)
}

fn set(t: &mut Table, keys: &[&str], v: Value) {
    let Some((last, parents)) = keys.split_last() else {
        return;
    };
    let mut cur = t;
    for k in parents {
        let entry = cur
            .entry(k.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        if !entry.is_table() {
            *entry = Value::Table(Table::new());
        }
        let Value::Table(next) = entry else { return };
        cur = next;
    }
    cur.insert(last.to_string(), v);
}

fn overlay(out: &mut Table, new: &Table, path: &mut Vec<String>, owned: &[String]) {
    for (k, v) in new {
        if path.is_empty() && k == "bureau" {
            continue;
        }
        path.push(k.clone());
        let joined = path.join(".");
        if owned.contains(&joined) || (joined == "three_public.vehicle.purchases") {
            path.pop();
            continue;
        }
        match v {
            Value::Table(inner)
                if !(k.starts_with("declared_")
                    || path.len() > 1 && path[path.len() - 2].starts_with("declared_")) =>
            {
                let entry = out
                    .entry(k.clone())
                    .or_insert_with(|| Value::Table(Table::new()));
                if let Value::Table(o) = entry {
                    overlay(o, inner, path, owned);
                } else {
                    *entry = v.clone();
                }
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
        path.pop();
    }
}

fn decimal(v: Option<&Value>) -> Option<Decimal> {
    match v? {
        Value::Integer(i) => Some(Decimal::from(*i)),
        Value::Float(f) => Decimal::try_from(*f).ok().map(|d| d.normalize()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn number(d: Decimal) -> Value {
    let d = d.normalize();
    if d.scale() == 0
        && let Ok(i) = i64::try_from(d.mantissa())
    {
        return Value::Integer(i);
    }
    d.to_string()
        .parse::<f64>()
        .map(Value::Float)
        .unwrap_or(Value::Integer(0))
}

/// The tables print the 公务用车购置费 and 公务接待费 as one figure each; the input splits them
/// (车型 lines, 国内/外事). The original's split stays when it adds up to the tables' figure.
fn three_public_parts(out: &mut Table, original: &Table, notes: &mut Vec<String>) {
    let purchases = get(original, &["three_public", "vehicle", "purchases"]).cloned();
    let printed = get(out, &["three_public", "vehicle"])
        .and_then(|v| v.get("purchases"))
        .and_then(|p| p.as_array())
        .and_then(|a| {
            a.iter()
                .find(|x| x.get("kind").and_then(Value::as_str) == Some("（车型待补）"))
        })
        .and_then(|x| decimal(x.get("amount")));
    if let Some(printed) = printed {
        let old: Decimal = purchases
            .as_ref()
            .and_then(Value::as_array)
            .and_then(|a| {
                a.iter()
                    .filter_map(|x| decimal(x.get("amount")))
                    .try_fold(Decimal::ZERO, |s, x| s.checked_add(x))
            })
            .unwrap_or_default();
        if old == printed
            && let Some(p) = purchases
        {
            set(out, &["three_public", "vehicle", "purchases"], p);
        } else {
            notes.push(format!(
                "公务用车购置费由 {old} 改为 {printed}：原输入的车型明细已换成一行“（车型待补）”，请补填车型与辆数"
            ));
        }
    } else if let Some(p) = purchases {
        set(out, &["three_public", "vehicle", "purchases"], p);
    }
    let domestic = decimal(get(
        out,
        &["three_public", "reception", "domestic", "actual"],
    ));
    let was_domestic = decimal(get(
        original,
        &["three_public", "reception", "domestic", "actual"],
    ));
    let foreign = decimal(get(
        original,
        &["three_public", "reception", "foreign", "actual"],
    ))
    .unwrap_or_default();
    if let Some(total) = domestic
        && was_domestic.is_some_and(|d| d.checked_add(foreign) == Some(total))
    {
        if let Some(d) = was_domestic {
            set(
                out,
                &["three_public", "reception", "domestic", "actual"],
                number(d),
            );
        }
    } else if let Some(total) = domestic
        && !foreign.is_zero()
    {
        let rest = total.checked_sub(foreign).unwrap_or(Decimal::NEGATIVE_ONE);
        if rest.is_sign_negative() {
            set(
                out,
                &["three_public", "reception", "domestic", "actual"],
                number(total),
            );
            set(
                out,
                &["three_public", "reception", "foreign", "actual"],
                number(Decimal::ZERO),
            );
            notes.push("公务接待费小于原输入的外事接待费：已全部记为国内接待，请核对".to_string());
        } else {
            set(
                out,
                &["three_public", "reception", "domestic", "actual"],
                number(rest),
            );
            notes.push(format!(
                "公务接待费改为 {total}：外事接待保持 {foreign}，国内接待记为 {rest}，请核对"
            ));
        }
    }
}

/// On an input read from a 公开表 workbook, the findings that only say a fact the tables cannot
/// hold is missing become one diagnostic listing what to fill.
pub fn summarise_missing(source: &SourceFile, diags: &mut Diagnostics) {
    if !source.text.starts_with(MARK) {
        return;
    }
    let missing = |d: &Diagnostic| {
        d.code == codes::REASON || d.code == codes::PRIOR_MISSING || d.code == codes::COUNTS
    };
    let mut items: Vec<String> = Vec::new();
    for d in diags.iter().filter(|d| missing(d)) {
        let line = match &d.fact {
            Some(key) => format!("{}（{key}）", d.message),
            None => d.message.clone(),
        };
        if !items.contains(&line) {
            items.push(line);
        }
    }
    diags.0.retain(|d| !missing(d));
    let to_fill: Vec<&str> = source
        .text
        .lines()
        .skip_while(|l| !l.starts_with("# ==== 公开表里没有"))
        .skip(1)
        .filter_map(|l| l.strip_prefix("# - "))
        .collect();
    let mut message = String::from("公开表里没有、生成说明前须补填的事实：");
    for line in &to_fill {
        let _ = write!(message, "\n  · {line}");
    }
    if !items.is_empty() {
        message.push_str("\n  其中校验已发现缺少：");
        for line in &items {
            let _ = write!(message, "\n    - {line}");
        }
    }
    diags.push(
        Diagnostic::of(codes::TO_FILL, message).hint(
            "运行 juesuan import 公开表.xlsx -o 输入.toml，在生成的文件中补填以上各项（或加 --merge 原输入.toml 带入去年的文字），再 juesuan build 输入.toml。",
        ),
    );
}
