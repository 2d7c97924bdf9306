//! `juesuan diff OLD NEW`：两份输入之间变了什么——事实、由此变动的每个计算数、说明里变动的句子。
//!
//! Three lists, each computed independently from what the user sees:
//! - facts: the two inputs' values key by key (TOML keys; a workbook is read as the TOML it stands
//!   for), array entries matched by their code / name / title rather than by position, each named
//!   with its workbook header and located in each file;
//! - figures: the ledgers of `juesuan figures`, matched by id, listed when the printed value moved;
//! - sentences: the Markdown rendering of each, split into sentences (ending in 。；！？) and
//!   diffed, grouped under the heading they fall in.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use similar::{Algorithm, DiffOp};
use toml::de::{DeTable, DeValue};

use crate::figures::Record;
use crate::input::SourceFile;
use crate::render::{Format, Timings};
use crate::report::{self, MessageFormat};
use crate::session::Session;
use crate::workbook::schema::{Kind, Layout, SHEETS, Target};

/// Everything that changed between two inputs.
#[derive(Debug, Default, Serialize)]
pub struct Changes {
    pub facts: Vec<FactChange>,
    pub figures: Vec<FigureChange>,
    pub sentences: Vec<SentenceChange>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty() && self.figures.is_empty() && self.sentences.is_empty()
    }
}

/// One fact as one input states it.
#[derive(Clone, Debug, Serialize)]
pub struct Stated {
    /// As typed (a literal), or the text.
    pub value: String,
    /// The input's unit (`万元` / `元`) when the fact is an amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `file:line:col` or `file:工作表!B7`.
    pub location: String,
}

#[derive(Debug, Serialize)]
pub struct FactChange {
    /// The TOML key, array entries by their code or name: `general_budget.items[2010301].basic`.
    pub key: String,
    /// What the workbook calls it (`功能分类支出（一般公共预算） 2010301 基本支出`), when known.
    pub label: Option<String>,
    /// `None`: not in that input.
    pub old: Option<Stated>,
    pub new: Option<Stated>,
}

#[derive(Debug, Serialize)]
pub struct FigureChange {
    pub id: String,
    /// `None`: the figure is not in that document.
    pub old: Option<String>,
    pub new: Option<String>,
    pub formula: String,
    pub inputs: Vec<InputChange>,
}

#[derive(Debug, Serialize)]
pub struct InputChange {
    pub label: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// Where the new value came from (`计算` for a derived one).
    pub source: String,
}

/// A run of sentences replaced by another (either side may be empty), under its heading.
#[derive(Debug, Serialize)]
pub struct SentenceChange {
    pub section: String,
    pub old: Vec<String>,
    pub new: Vec<String>,
}

/// Exit codes: 0 nothing changed, 1 something changed or an input has errors.
pub fn run(old: &Path, new: &Path, format: MessageFormat, session: &Session) -> i32 {
    let a = session.check_file(old);
    let b = session.check_file(new);
    let mut failed = false;
    for (which, checked, path) in [("旧", &a, old), ("新", &b, new)] {
        let d = &checked.diagnostics;
        if d.has_errors() || checked.bureau.is_none() {
            eprint!("{}", report::human(d, &checked.source));
            eprintln!(
                "{which}文件 {}：{}，无法比较。",
                path.display(),
                d.summary()
            );
            failed = true;
        }
    }
    if failed {
        return 1;
    }
    let changes = match compare(session, &a, &b) {
        Ok(c) => c,
        Err((which, checked, d)) => {
            eprint!("{}", report::human(&d, &checked.source));
            eprintln!("{which}文件：生成说明失败，无法比较。");
            return 1;
        }
    };
    match format {
        MessageFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&changes).unwrap_or_default()
        ),
        MessageFormat::Human => print!("{}", human(&changes)),
    }
    if changes.is_empty() {
        eprintln!("{} 与 {}：没有变化。", old.display(), new.display());
        0
    } else {
        eprintln!(
            "{} → {}：{} 项事实、{} 个计算数、{} 处文字有变化。",
            old.display(),
            new.display(),
            changes.facts.len(),
            changes.figures.len(),
            changes.sentences.len()
        );
        1
    }
}

type Failure<'a> = (
    &'static str,
    &'a crate::Checked,
    crate::diagnostic::Diagnostics,
);

/// Compares two rule-clean inputs.
pub fn compare<'a>(
    session: &Session,
    a: &'a crate::Checked,
    b: &'a crate::Checked,
) -> Result<Changes, Failure<'a>> {
    let (Some(ba), Some(bb)) = (&a.bureau, &b.bureau) else {
        return Ok(Changes::default());
    };
    let engine = session.engine();
    let rendered = |bureau, checked, which| {
        let figures = engine.figures(bureau).map_err(|d| (which, checked, d))?;
        let md = engine
            .build(bureau, &[Format::Md], &mut Timings::default())
            .map_err(|d| (which, checked, d))?;
        let md = md.first().map(|a| a.bytes.as_slice()).unwrap_or_default();
        Ok((figures.ledger.0, String::from_utf8_lossy(md).into_owned()))
    };
    let (ledger_a, md_a) = rendered(ba, a, "旧")?;
    let (ledger_b, md_b) = rendered(bb, b, "新")?;
    let mut facts = facts(&a.source, &b.source);
    // The form's own facts are named by its declarations (the new input's form, else the old's).
    for f in facts.iter_mut().filter(|f| f.label.is_none()) {
        f.label = extra_label(&f.key, &bb.identity.form)
            .or_else(|| extra_label(&f.key, &ba.identity.form));
    }
    Ok(Changes {
        facts,
        figures: figures(&ledger_a, &ledger_b),
        sentences: sentences(&md_a, &md_b),
    })
}

// ---------------------------------------------------------------------------------------------
// Facts

/// Every scalar of an input, by key: (shown value, value compared, location).
fn flatten(source: &SourceFile) -> BTreeMap<String, (String, String, std::ops::Range<usize>)> {
    let mut out = BTreeMap::new();
    if let Ok(table) = DeTable::parse(&source.text) {
        walk_table(table.get_ref(), "", source, &mut out);
    }
    out
}

type Flat = BTreeMap<String, (String, String, std::ops::Range<usize>)>;

fn walk_table(table: &DeTable<'_>, prefix: &str, source: &SourceFile, out: &mut Flat) {
    for (k, v) in table.iter() {
        let key = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        walk_value(v.get_ref(), v.span(), &key, source, out);
    }
}

fn walk_value(
    value: &DeValue<'_>,
    span: std::ops::Range<usize>,
    key: &str,
    source: &SourceFile,
    out: &mut Flat,
) {
    let scalar = |shown: String, compared: String| (shown, compared, span.clone());
    match value {
        DeValue::Table(t) => walk_table(t, key, source, out),
        DeValue::Array(items) => {
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for (n, item) in items.iter().enumerate() {
                let id = match item.get_ref() {
                    DeValue::Table(t) => identity(t).unwrap_or_else(|| n.to_string()),
                    _ => n.to_string(),
                };
                // Two entries with the same name: the second is `name#2`.
                let count = seen.entry(id.clone()).or_default();
                *count += 1;
                let id = if *count > 1 {
                    format!("{id}#{count}")
                } else {
                    id
                };
                walk_value(
                    item.get_ref(),
                    item.span(),
                    &format!("{key}[{id}]"),
                    source,
                    out,
                );
            }
        }
        DeValue::String(s) => {
            out.insert(key.to_string(), scalar(s.to_string(), s.to_string()));
        }
        DeValue::Integer(i) => {
            out.insert(
                key.to_string(),
                scalar(i.as_str().to_string(), number(i.as_str())),
            );
        }
        DeValue::Float(f) => {
            out.insert(
                key.to_string(),
                scalar(f.as_str().to_string(), number(f.as_str())),
            );
        }
        DeValue::Boolean(b) => {
            let shown = if *b { "是" } else { "否" };
            out.insert(key.to_string(), scalar(shown.to_string(), b.to_string()));
        }
        DeValue::Datetime(d) => {
            out.insert(key.to_string(), scalar(d.to_string(), d.to_string()));
        }
    }
}

/// A number compared by value: `1_000`, `1000.0` and `1000.00` are the same fact.
fn number(literal: &str) -> String {
    let cleaned: String = literal.chars().filter(|&c| c != '_').collect();
    match cleaned.parse::<rust_decimal::Decimal>() {
        Ok(d) => d.normalize().to_string(),
        Err(_) => cleaned,
    }
}

/// What names an array entry: its code, name, title, kind or 三级指标, in that order.
fn identity(t: &DeTable<'_>) -> Option<String> {
    ["code", "name", "title", "kind", "level3", "item"]
        .iter()
        .find_map(|k| match t.get(*k).map(|v| v.get_ref()) {
            Some(DeValue::String(s)) if !s.is_empty() => Some(s.to_string()),
            Some(DeValue::Integer(i)) => Some(i.as_str().to_string()),
            _ => None,
        })
}

fn facts(a: &SourceFile, b: &SourceFile) -> Vec<FactChange> {
    let fa = flatten(a);
    let fb = flatten(b);
    let mut keys: Vec<&String> = fa.keys().chain(fb.keys()).collect();
    keys.sort();
    keys.dedup();
    let (unit_a, unit_b) = (unit_of(&fa), unit_of(&fb));
    let stated = |src: &SourceFile,
                  v: &(String, String, std::ops::Range<usize>),
                  unit: Option<&'static str>| Stated {
        value: v.0.clone(),
        unit: unit.map(str::to_string),
        location: src.location(v.2.clone()).to_string(),
    };
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (fa.get(k), fb.get(k));
            let amount = is_amount(k);
            // Amounts compare in 元: 2318800 元 and 231.88 万元 are the same fact.
            let compared = |v: &(String, String, std::ops::Range<usize>), unit: &str| match (
                amount,
                v.1.parse::<rust_decimal::Decimal>(),
            ) {
                (true, Ok(d)) if unit == "万元" => (d * rust_decimal::Decimal::from(10_000))
                    .normalize()
                    .to_string(),
                _ => v.1.clone(),
            };
            if x.map(|v| compared(v, unit_a)) == y.map(|v| compared(v, unit_b)) {
                return None;
            }
            Some(FactChange {
                key: k.clone(),
                label: label_of(k),
                old: x.map(|v| stated(a, v, amount.then_some(unit_a))),
                new: y.map(|v| stated(b, v, amount.then_some(unit_b))),
            })
        })
        .collect()
}

/// An input's unit of amounts (`[bureau] unit`, 万元 when not given).
fn unit_of(flat: &Flat) -> &'static str {
    match flat.get("bureau.unit").map(|v| v.1.as_str()) {
        Some("元") => "元",
        _ => "万元",
    }
}

/// Whether the fact at `key` is an amount in the input's unit (its workbook column is money).
pub fn is_amount(key: &str) -> bool {
    let (array, entry, rest) = match key.split_once('[') {
        Some((array, after)) => match after.split_once(']') {
            Some((entry, rest)) => (array, Some(entry), rest.trim_start_matches('.')),
            None => return false,
        },
        None => (key, None, ""),
    };
    SHEETS.iter().any(|sheet| match (sheet.layout, entry) {
        (Layout::KeyValue(fields), None) => fields
            .iter()
            .any(|f| f.key == key && matches!(f.kind, Kind::Money)),
        (Layout::Rows { target, columns }, _) => {
            let holds = match target {
                Target::Array(a) | Target::Strings(a) => a == array,
                Target::Grouped { array: a, .. } => a == array,
                Target::Routed(funds) => funds.iter().any(|(_, a)| *a == array),
                Target::Map(m) => {
                    return entry.is_none()
                        && key.strip_prefix(m).is_some_and(|r| r.starts_with('.'));
                }
                _ => false,
            };
            holds
                && columns
                    .iter()
                    .any(|f| f.key == rest && matches!(f.kind, Kind::Money))
        }
        _ => false,
    })
}

/// `[extra]` keys by the form's words: `extra.base_2019_prior` → “表式事实 2019年“三公”经费 上年”.
fn extra_label(key: &str, form: &crate::form::Form) -> Option<String> {
    let key = key.strip_prefix("extra.")?;
    form.facts.iter().find_map(|d| {
        let column = match key.strip_prefix(d.key.as_str())? {
            "" => "本年",
            "_prior" => "上年",
            "_budget" => "预算",
            _ => return None,
        };
        Some(format!("{} {} {column}", form.facts_sheet, d.label))
    })
}

/// Whether two inputs state the same facts (comments and layout aside).
pub fn same_facts(a: &SourceFile, b: &SourceFile) -> bool {
    facts(a, b).is_empty()
}

/// The workbook's words for a key (`[bureau]` facts by their row, array entries by their sheet,
/// entry and column).
pub fn label_of(key: &str) -> Option<String> {
    // Split off the first array entry: `general_budget.items` [2010301] `basic`.
    let (array, entry, rest) = match key.split_once('[') {
        Some((array, after)) => {
            let (entry, rest) = after.split_once(']')?;
            (array, Some(entry), rest.trim_start_matches('.'))
        }
        None => (key, None, ""),
    };
    for sheet in SHEETS {
        match (sheet.layout, entry) {
            (Layout::KeyValue(fields), None) => {
                if let Some(f) = fields.iter().find(|f| f.key == key) {
                    return Some(f.header.to_string());
                }
            }
            (Layout::Rows { target, columns }, _) => {
                let header = |column: &str| {
                    columns
                        .iter()
                        .find(|f| f.key == column)
                        .map(|f| f.header.to_string())
                };
                let of_entry = |name: String| {
                    let entry = entry.unwrap_or_default();
                    match header(rest) {
                        Some(h) if !rest.is_empty() => Some(format!("{name} {entry} {h}")),
                        _ => Some(format!("{name} {entry} {rest}").trim_end().to_string()),
                    }
                };
                match target {
                    Target::Array(a) | Target::Strings(a) if a == array => {
                        return of_entry(sheet.name.to_string());
                    }
                    Target::Grouped { array: a, .. } if a == array => {
                        return of_entry(sheet.name.to_string());
                    }
                    Target::Routed(funds) => {
                        if let Some((fund, _)) = funds.iter().find(|(_, a)| *a == array) {
                            return of_entry(format!("{}（{fund}）", sheet.name));
                        }
                    }
                    Target::Map(m) if entry.is_none() => {
                        if let Some(code) = key.strip_prefix(m).and_then(|r| r.strip_prefix('.')) {
                            return Some(format!("{} {code}", sheet.name));
                        }
                    }
                    Target::UnderProject { array: sub, .. }
                        if array == "performance.projects" && rest.starts_with(sub) =>
                    {
                        let inner = rest.strip_prefix(sub).unwrap_or_default();
                        let (inner_entry, column) = inner
                            .strip_prefix('[')
                            .and_then(|r| r.split_once(']'))
                            .map(|(e, c)| (e, c.trim_start_matches('.')))
                            .unwrap_or(("", inner.trim_start_matches('.')));
                        let h = header(column).unwrap_or_else(|| column.to_string());
                        return Some(
                            format!("{} {} {inner_entry} {h}", sheet.name, entry.unwrap_or(""))
                                .replace("  ", " "),
                        );
                    }
                    Target::Sections { array: sub, .. }
                        if array == "performance.projects" && rest.starts_with(sub) =>
                    {
                        return Some(format!("{} {}", sheet.name, entry.unwrap_or("")));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Figures

fn figures(a: &[Record], b: &[Record]) -> Vec<FigureChange> {
    let ka = keyed(a);
    let kb = keyed(b);
    let old: BTreeMap<&String, &Record> = ka.iter().map(|(k, r)| (k, *r)).collect();
    let new_keys: std::collections::BTreeSet<&String> = kb.iter().map(|(k, _)| k).collect();
    let mut out = Vec::new();
    // In the new document's order, then what only the old one had.
    for (k, r) in &kb {
        match old.get(k) {
            Some(o) if o.value == r.value => {}
            o => out.push(change_of(o.copied(), Some(r))),
        }
    }
    for (k, r) in &ka {
        if !new_keys.contains(k) {
            out.push(change_of(Some(r), None));
        }
    }
    out
}

/// The key a record is matched by. An id with a position (`general_budget.items[3].actual`) is
/// matched by what stands there (its first input, `2080505 机关事业单位…`), so a line inserted
/// above does not make every later figure look changed. Ids are unique in a ledger; should one
/// repeat, the n-th is matched with the n-th.
fn keyed(ledger: &[Record]) -> Vec<(String, &Record)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    ledger
        .iter()
        .map(|r| {
            let key = match (r.id.find('['), r.id.find(']'), r.inputs.first()) {
                (Some(open), Some(close), Some(first)) if open < close => {
                    format!("{}[{}]{}", &r.id[..open], first.label, &r.id[close + 1..])
                }
                _ => r.id.clone(),
            };
            let n = seen.entry(key.clone()).or_default();
            *n += 1;
            (format!("{key}#{n}"), r)
        })
        .collect()
}

fn change_of(old: Option<&Record>, new: Option<&Record>) -> FigureChange {
    let either = new.or(old).expect("one side is present");
    let mut inputs: Vec<InputChange> = Vec::new();
    for i in new.map(|r| r.inputs.as_slice()).unwrap_or_default() {
        let before = old
            .and_then(|o| o.inputs.iter().find(|x| x.label == i.label))
            .map(|x| x.value.clone());
        inputs.push(InputChange {
            label: i.label.clone(),
            old: before,
            new: Some(i.value.clone()),
            source: i.source.clone(),
        });
    }
    for i in old.map(|r| r.inputs.as_slice()).unwrap_or_default() {
        if !inputs.iter().any(|x| x.label == i.label) {
            inputs.push(InputChange {
                label: i.label.clone(),
                old: Some(i.value.clone()),
                new: None,
                source: i.source.clone(),
            });
        }
    }
    FigureChange {
        id: either.id.clone(),
        old: old.map(|r| r.value.clone()),
        new: new.map(|r| r.value.clone()),
        formula: either.formula.clone(),
        inputs,
    }
}

// ---------------------------------------------------------------------------------------------
// Sentences

/// The Markdown cut into sentences, each with the heading it falls under.
fn split_sentences(md: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    for line in md.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            section = line.trim_start_matches('#').trim().to_string();
            out.push((section.clone(), line.to_string()));
            continue;
        }
        let mut current = String::new();
        for c in line.chars() {
            current.push(c);
            if matches!(c, '。' | '；' | '！' | '？') {
                out.push((section.clone(), std::mem::take(&mut current)));
            }
        }
        if !current.trim().is_empty() {
            out.push((section.clone(), current));
        }
    }
    out
}

fn sentences(a: &str, b: &str) -> Vec<SentenceChange> {
    let sa = split_sentences(a);
    let sb = split_sentences(b);
    let ta: Vec<&str> = sa.iter().map(|(_, s)| s.as_str()).collect();
    let tb: Vec<&str> = sb.iter().map(|(_, s)| s.as_str()).collect();
    let ops = similar::capture_diff_slices(Algorithm::Myers, &ta, &tb);
    let mut out = Vec::new();
    for op in ops {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (old, new) = (op.old_range(), op.new_range());
        let section = sb
            .get(new.start)
            .filter(|_| !new.is_empty())
            .or_else(|| sa.get(old.start))
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
        out.push(SentenceChange {
            section,
            old: ta[old].iter().map(|s| s.to_string()).collect(),
            new: tb[new].iter().map(|s| s.to_string()).collect(),
        });
    }
    out
}

/// A sentence cut into tokens for the inline marks: a number (with its point and %) is one
/// token, so `0.90 → 1.20` is marked whole; every other character is its own token.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let numeric = c.is_ascii_digit() || c == '.' || c == ',' || c == '%';
        match (numeric, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, Some(b)) => {
                out.push(&s[b..i]);
                start = None;
                out.push(&s[i..i + c.len_utf8()]);
            }
            (false, None) => out.push(&s[i..i + c.len_utf8()]),
        }
    }
    if let Some(b) = start {
        out.push(&s[b..]);
    }
    out
}

/// The words that changed between two sentences, marked `[-旧-]{+新+}`.
fn inline(old: &str, new: &str) -> String {
    let (a, b) = (tokens(old), tokens(new));
    let mut out = String::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, &a, &b) {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            out.push_str(&a[old_range].concat());
            continue;
        }
        if !old_range.is_empty() {
            out.push_str(&format!("[-{}-]", a[old_range].concat()));
        }
        if !new_range.is_empty() {
            out.push_str(&format!("{{+{}+}}", b[new_range].concat()));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Output

/// An amount from one unit to the other (万元 ↔ 元), as a plain decimal.
fn convert(value: &str, from: &str, to: &str) -> Option<String> {
    let cleaned: String = value.chars().filter(|&c| c != '_').collect();
    let d: rust_decimal::Decimal = cleaned.parse().ok()?;
    let ten_thousand = rust_decimal::Decimal::from(10_000);
    let c = match (from, to) {
        ("元", "万元") => d / ten_thousand,
        ("万元", "元") => d * ten_thousand,
        _ => return None,
    };
    Some(c.normalize().to_string())
}

fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("（无）")
}

/// The three lists as text for a reader.
pub fn human(c: &Changes) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if !c.facts.is_empty() {
        let _ = writeln!(out, "事实的变化（{} 项）：", c.facts.len());
        for f in &c.facts {
            let name = match &f.label {
                Some(l) => format!("{l}（{}）", f.key),
                None => f.key.clone(),
            };
            // Units differ (an 元 and a 万元 input): each amount also in the other's unit.
            let other = |s: &Option<Stated>| s.as_ref().and_then(|s| s.unit.clone());
            let side = |s: &Option<Stated>, other_unit: Option<String>| match s {
                Some(s) => {
                    let mut value = s.value.clone();
                    if let Some(u) = &s.unit {
                        value = format!("{value} {u}");
                        if let Some(o) = other_unit.filter(|o| o != u) {
                            if let Some(c) = convert(&s.value, u, &o) {
                                value = format!("{value}（= {c} {o}）");
                            }
                        }
                    }
                    // Text of several lines: each line under the first, indented.
                    let value = value.replace('\n', "\n        ");
                    format!("{value}    [{}]", s.location)
                }
                None => "（未填）".to_string(),
            };
            let _ = writeln!(out, "  {name}");
            let _ = writeln!(out, "    旧：{}", side(&f.old, other(&f.new)));
            let _ = writeln!(out, "    新：{}", side(&f.new, other(&f.old)));
        }
        out.push('\n');
    }
    if !c.figures.is_empty() {
        let _ = writeln!(out, "计算数的变化（{} 个）：", c.figures.len());
        for f in &c.figures {
            let _ = writeln!(
                out,
                "  {}：{} → {}    [{}]",
                f.id,
                or_dash(&f.old),
                or_dash(&f.new),
                f.formula
            );
            for i in &f.inputs {
                if i.old == i.new {
                    let _ = writeln!(out, "      {} {}  ← {}", i.label, or_dash(&i.new), i.source);
                } else {
                    let _ = writeln!(
                        out,
                        "      {} {} → {}  ← {}",
                        i.label,
                        or_dash(&i.old),
                        or_dash(&i.new),
                        i.source
                    );
                }
            }
        }
        out.push('\n');
    }
    if !c.sentences.is_empty() {
        let _ = writeln!(out, "文字的变化（{} 处）：", c.sentences.len());
        for s in &c.sentences {
            let _ = writeln!(out, "  【{}】", s.section);
            for x in &s.old {
                let _ = writeln!(out, "  - {x}");
            }
            for x in &s.new {
                let _ = writeln!(out, "  + {x}");
            }
            // Sentence for sentence, the words that changed.
            if s.old.len() == s.new.len() {
                for (x, y) in s.old.iter().zip(&s.new) {
                    let _ = writeln!(out, "  ~ {}", inline(x, y));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_in_chinese_stops_and_keep_their_heading() {
        let s = split_sentences("### 一、总体\n\n甲增长1%。乙；丙\n");
        let texts: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["### 一、总体", "甲增长1%。", "乙；", "丙"]);
        assert!(s.iter().all(|(h, _)| h == "一、总体"));
    }

    #[test]
    fn a_flipped_word_is_marked_inline() {
        assert_eq!(inline("增长3%。", "下降3%。"), "[-增长-]{+下降+}3%。");
        assert_eq!(
            inline("| 0.90 | 1 |", "| 1.20 | 1 |"),
            "| [-0.90-]{+1.20+} | 1 |"
        );
    }

    #[test]
    fn keys_are_named_in_the_workbook_words() {
        assert_eq!(
            label_of("general_budget.items[2010301].basic").as_deref(),
            Some("功能分类支出（一般公共预算） 2010301 基本支出")
        );
        assert_eq!(
            label_of("income.general_budget").as_deref(),
            Some("一般公共预算财政拨款收入")
        );
        assert_eq!(
            label_of("prior_year.total").as_deref(),
            Some("上年收、支总计")
        );
    }

    #[test]
    fn a_line_inserted_above_leaves_the_later_figures_unchanged() {
        use crate::figures::{Ledger, Operand};
        use crate::money::Money;
        let line = |ledger: &mut Ledger, n: usize, label: &str, v: i64| {
            let op = Operand::derived(label, Money(v.into()));
            ledger.record(&format!("items[{n}].actual"), &v.to_string(), "输入", &[op]);
        };
        let mut old = Ledger::default();
        line(&mut old, 0, "2010308 信访事务", 10);
        let mut new = Ledger::default();
        line(&mut new, 0, "2010103 机关服务", 1);
        line(&mut new, 1, "2010308 信访事务", 10);
        let changes = figures(&old.0, &new.0);
        let ids: Vec<(&str, Option<&str>)> = changes
            .iter()
            .map(|c| (c.id.as_str(), c.old.as_deref()))
            .collect();
        assert_eq!(ids, [("items[0].actual", None)]);
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(number("1_000"), number("1000.00"));
        assert_ne!(number("1000.01"), number("1000"));
    }
}
