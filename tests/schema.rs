//! The fact schema (`src/schema/`) is the one declaration of every built-in fact (issue 21.1).
//! These tests keep it true (the TOML reader reads every table by the declarations, the
//! department's record `[performance.department]` included):
//! - every declared scalar fact, given a distinctive value, is read (no unknown key, a model)
//!   and comes back from `convert` (TOML → workbook → TOML) at the same key with the same value;
//! - every scalar key the TOML reader accepts is declared (or listed below as TOML-only);
//! - a new scalar fact costs its declaration plus its use: nothing between them names it;
//! - every column of a list (`src/schema/lists.rs`) is read from the TOML, reaches the model and
//!   comes back from `convert` at its place; it is declared there only;
//! - docs/fact-schema.md is the reference generated from the schema (regenerate with
//!   `JUESUAN_UPDATE_DOCS=1 cargo test --release --test schema`).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::root;
use juesuan::input::{self, SourceFile};
use juesuan::schema::lists::Target;
use juesuan::schema::{self, Field, Kind, List};

/// A value of the field's kind no default would produce.
fn distinctive(f: &Field) -> toml::Value {
    match (f.key, f.kind) {
        ("bureau.percent_decimals", _) => toml::Value::Integer(2),
        ("bureau.year", _) => toml::Value::Integer(2024),
        ("bureau.table_variant", _) => toml::Value::String("no_debt".into()),
        (_, Kind::Money) => toml::Value::Float(4321.09),
        (_, Kind::Int) => toml::Value::Integer(7),
        (_, Kind::Number) => toml::Value::Float(12.5),
        (_, Kind::Bool) => toml::Value::Boolean(true),
        (_, Kind::Date) => toml::Value::Datetime("2024-03-01".parse().unwrap()),
        (_, Kind::Choice(choice) | Kind::OpenChoice(choice)) => {
            toml::Value::String(choice.options.last().unwrap().1.to_string())
        }
        (key, _) => toml::Value::String(format!("独特的文字：{key}")),
    }
}

/// `root` with `value` at the dotted `key`.
fn set(root: &mut toml::Table, key: &str, value: toml::Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap();
    let mut table = root;
    for p in parts {
        table = table
            .entry(p)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .unwrap();
    }
    table.insert(last.to_string(), value);
}

fn get<'a>(root: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let (path, last) = key.rsplit_once('.').unwrap_or(("", key));
    let mut table = root;
    for p in path.split('.').filter(|p| !p.is_empty()) {
        table = table.get(p)?.as_table()?;
    }
    table.get(last)
}

/// The smallest input that reads, with `key = value`.
fn input_with(key: &str, value: toml::Value) -> String {
    let mut t = toml::Table::new();
    set(&mut t, "bureau.name", "测试局".into());
    set(&mut t, "bureau.year", toml::Value::Integer(2023));
    set(&mut t, key, value);
    toml::to_string(&t).unwrap()
}

/// Facts not in `model::Facts`: `[bureau]` (the bureau's settings, read by its declarations into
/// `model::Identity`).
fn by_record(key: &str) -> bool {
    key.starts_with("bureau.")
}

#[test]
fn every_scalar_fact_reads_and_round_trips_through_the_workbook() {
    let mut failures = Vec::new();
    for g in schema::SCALARS {
        for f in g.fields {
            let value = distinctive(f);
            let text = input_with(f.key, value.clone());
            let loaded = input::parse_toml(SourceFile::new("t.toml", text.clone()));
            let unknown: Vec<String> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.code.as_str() == "E003")
                .map(|d| d.message.clone())
                .collect();
            if loaded.raw.is_none() || !unknown.is_empty() {
                failures.push(format!(
                    "{}: the TOML reader does not take it {unknown:?}",
                    f.key
                ));
                continue;
            }
            let checked = juesuan::check_loaded(loaded);
            let Some(bureau) = &checked.bureau else {
                failures.push(format!("{}: no model", f.key));
                continue;
            };
            // Every fact of a table read by its declarations reaches the model by its key
            // (`model::Facts`), with no field of its own.
            if !by_record(f.key) && !bureau.facts.iter().any(|(k, _)| k == f.key) {
                failures.push(format!("{}: not in the model's facts by key", f.key));
            }
            let bytes = match juesuan::workbook::from_toml("t.toml", &text) {
                Ok(b) => b,
                Err(e) => {
                    failures.push(format!("{}: convert to a workbook: {e:?}", f.key));
                    continue;
                }
            };
            let format = juesuan::workbook::sniff("t.xlsx", &bytes).unwrap();
            let back = juesuan::workbook::read_template("t.xlsx", format, &bytes);
            let table: toml::Table = back.source.text.parse().unwrap();
            match get(&table, f.key) {
                Some(v) if *v == value => {}
                other => failures.push(format!(
                    "{} ({}!{}): wrote {value}, read back {other:?}",
                    f.key, g.sheet, f.header
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Scalar keys the TOML reader takes that no workbook row carries: each is a known gap (the
/// workbook cannot give it), listed so that a new one is a decision, not an accident.
///
/// All of them are fields of the 绩效 record the department shares with a project's (columns
/// of 绩效项目, `src/schema/lists.rs`), which only a project's 自评表 or report uses: read for
/// the department but never printed for it.
const TOML_ONLY: &[&str] = &[
    "performance.department.goals_set",
    "performance.department.monitored",
    "performance.department.name",
    "performance.department.prior_assessment",
    "performance.department.report.benefits",
    "performance.department.report.brief",
    "performance.department.report.completion",
    "performance.department.report.finance",
    "performance.department.report.goals",
    "performance.department.report.method",
    "performance.department.report.process",
    "performance.department.report.supervision",
];

/// The scalar keys `src/input/raw.rs` accepts, read from its struct definitions: each field of
/// a struct reachable from `RawBureau` through tables (not arrays or maps) whose type is not
/// itself such a struct, and the declared keys of each table read by its declarations
/// (`Section`).
fn accepted_scalar_keys() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("src/input/raw.rs")).unwrap();
    let mut structs: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("pub struct ") {
            let name = rest.trim_end_matches(" {").trim().to_string();
            structs.insert(name.clone(), Vec::new());
            current = Some(name);
        } else if line == "}" {
            current = None;
        } else if let Some(s) = &current {
            // A field, or a list of a section (`"vehicle.purchases" => purchases: Vec<…>,`,
            // whose key is the quoted path).
            let field = match line.strip_prefix('"').and_then(|l| l.split_once("\" => ")) {
                Some((path, rest)) => rest.split_once(':').map(|(_, ty)| (path, ty)),
                None => line.strip_prefix("pub ").and_then(|l| l.split_once(':')),
            };
            if let Some((field, ty)) = field {
                let ty = ty.trim().trim_end_matches(',').to_string();
                structs
                    .get_mut(s)
                    .unwrap()
                    .push((field.trim().to_string(), ty));
            }
        }
    }
    let mut out = BTreeSet::new();
    let mut stack = vec![(String::new(), "RawBureau".to_string())];
    while let Some((prefix, name)) = stack.pop() {
        for (field, ty) in &structs[&name] {
            let key = if prefix.is_empty() {
                field.clone()
            } else {
                format!("{prefix}.{field}")
            };
            let inner = ty
                .strip_prefix("Option<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(ty);
            if ty.starts_with("Vec<") || ty.starts_with("BTreeMap<") {
                continue;
            }
            // A table read by its declarations (`input::section`) takes exactly the declared
            // keys under it, and its lists.
            if let Some(lists) = ty.strip_prefix("Section") {
                if let Some(lists) = lists.strip_prefix('<').and_then(|l| l.strip_suffix('>')) {
                    stack.push((key.clone(), lists.to_string()));
                }
                let under = format!("{key}.");
                out.extend(
                    schema::SCALARS
                        .iter()
                        .flat_map(|g| g.fields)
                        .filter(|f| f.key.starts_with(&under))
                        .map(|f| f.key.to_string()),
                );
                continue;
            }
            // A record read by its declarations (`Record<M>`: the department's): the fields of
            // its list, columns and TOML-only alike.
            if let Some(marker) = inner
                .strip_prefix("Record<")
                .and_then(|m| m.strip_suffix('>'))
            {
                let list = record_list(&text, marker);
                out.extend(list.record_fields().map(|f| format!("{key}.{}", f.key)));
                continue;
            }
            if structs.contains_key(inner) {
                stack.push((key, inner.to_string()));
            } else {
                out.insert(key);
            }
        }
    }
    out
}

/// The list whose declaration the marker `marker` of src/input/raw.rs reads a record by
/// (`impl Declared for Evaluations { const LIST: … = &crate::schema::lists::PROJECTS; … }`).
fn record_list(raw: &str, marker: &str) -> &'static List {
    let at = raw
        .find(&format!("impl Declared for {marker} {{"))
        .unwrap_or_else(|| panic!("no `impl Declared for {marker}` in src/input/raw.rs"));
    let name = raw[at..]
        .split("crate::schema::lists::")
        .nth(1)
        .and_then(|r| r.split(';').next())
        .unwrap_or_default();
    match name {
        "PROJECTS" => &schema::lists::PROJECTS,
        other => panic!("a record of {other} read in a table: name its list here"),
    }
}

#[test]
fn every_scalar_key_the_toml_reader_takes_is_declared() {
    let accepted = accepted_scalar_keys();
    assert!(accepted.contains("prior_year.total"), "{accepted:?}");
    let declared: BTreeSet<String> = schema::SCALARS
        .iter()
        .flat_map(|g| g.fields.iter().map(|f| f.key.to_string()))
        .collect();
    let undeclared: Vec<&String> = accepted
        .iter()
        .filter(|k| !declared.contains(*k) && !TOML_ONLY.contains(&k.as_str()))
        .collect();
    assert!(
        undeclared.is_empty(),
        "keys src/input/raw.rs reads that src/schema/ does not declare (declare them, or list \
         them in TOML_ONLY):\n{undeclared:#?}"
    );
    let unread: Vec<&String> = declared.difference(&accepted).collect();
    assert!(
        unread.is_empty(),
        "keys declared in src/schema/ that src/input/raw.rs does not read:\n{unread:#?}"
    );
    for k in TOML_ONLY {
        assert!(
            accepted.contains(*k) && !declared.contains(*k),
            "{k} is no longer TOML-only"
        );
    }
}

#[test]
fn the_fact_reference_is_current() {
    let generated = juesuan::workbook::schema::reference();
    let path = root().join("docs/fact-schema.md");
    if std::env::var("JUESUAN_UPDATE_DOCS").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/fact-schema.md is stale: run `JUESUAN_UPDATE_DOCS=1 cargo test --release --test \
         schema` and commit the result"
    );
}

/// Where a built-in scalar fact may be named outside its declaration: code that uses it (the
/// model's hand-written fields, figures, rules, `--previous`, import's layout). Every other
/// step carries every declared fact without naming any (see below).
const USES: &[&str] = &[
    "src/model/build.rs",
    "src/figures/",
    "src/rules/",
    "src/previous.rs",
    "src/import/",
    // The audit names the figures it compares a published sentence's slots with.
    "src/audit/",
];

/// The steps between a fact's declaration and its use, which a new fact needs no edit in.
const PLUMBING: &[&str] = &[
    "src/input/raw.rs",
    "src/input/section.rs",
    "src/input/mod.rs",
    "src/input/checks.rs",
    "src/model/mod.rs",
    "src/workbook/read.rs",
    "src/workbook/write.rs",
    "src/diff.rs",
    "src/form/facts.rs",
];

/// A source file's text before its unit tests (which may name keys as examples).
fn code_of(path: &std::path::Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Issue 21.1: adding a built-in scalar fact is its declaration plus its use.
///
/// For every fact of a table read by its declarations (all but `[bureau]`, whose settings the
/// identity reads), the declaration alone gives: the TOML reader (with positions, E003 for the rest),
/// the workbook's row, template, reader and writer, `convert` (the round trip above), the
/// model's value by key (`model::Facts`, read with `schema::money("…")`), the labels of the
/// ledger and of messages (`schema::label`), the names `diff` prints, the cell diagnostics point
/// at, the 元/万元 check, and docs/fact-schema.md. Nothing in those steps names a fact: a key
/// appears outside `src/schema/` only where it is used. So the places a new fact costs are
/// counted: 1 (its line in src/schema/scalars.rs) + its use.
#[test]
fn a_new_scalar_fact_is_its_declaration_plus_its_use() {
    let reference = std::fs::read_to_string(root().join("docs/fact-schema.md")).unwrap();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let files: Vec<(String, String)> = files
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, code_of(p))
        })
        .filter(|(rel, _)| !rel.starts_with("src/schema/"))
        .collect();
    for p in PLUMBING {
        assert!(
            files.iter().any(|(rel, _)| rel == p),
            "{p} is gone: update PLUMBING"
        );
    }
    let mut failures = Vec::new();
    let mut named_in_plumbing = 0;
    let mut checked = 0;
    for g in schema::SCALARS {
        for f in g.fields.iter().filter(|f| !by_record(f.key)) {
            checked += 1;
            let quoted = format!("\"{}\"", f.key);
            for (rel, text) in &files {
                if !text.contains(&quoted) {
                    continue;
                }
                if PLUMBING.contains(&rel.as_str()) {
                    named_in_plumbing += 1;
                    failures.push(format!(
                        "{}: named in {rel}, which should carry it unnamed",
                        f.key
                    ));
                } else if !USES.iter().any(|u| rel.starts_with(u)) {
                    failures.push(format!(
                        "{}: named in {rel}, neither a use nor plumbing",
                        f.key
                    ));
                }
            }
            if schema::label(f.key).is_none() {
                failures.push(format!("{}: no label", f.key));
            }
            if juesuan::diff::label_of(f.key).is_none() {
                failures.push(format!("{}: diff has no name for it", f.key));
            }
            if juesuan::workbook::schema::place(f.key, None).is_none() {
                failures.push(format!("{}: no workbook cell for diagnostics", f.key));
            }
            if !reference.contains(&format!("| `{}` |", f.key)) {
                failures.push(format!("{}: not in docs/fact-schema.md", f.key));
            }
        }
    }
    assert!(checked > 100, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(named_in_plumbing, 0);
}

/// Issue 21.1: whether the “三公” part is given (R051, the 说明's part left out) follows from the
/// 三公经费 group's declarations: any one of its facts alone makes the part given, none leaves it
/// out, from TOML as from the workbook (whose blank 三公经费 sheet gives nothing). A fact added to
/// the group counts with no edit of `Bureau::three_public_given`.
#[test]
fn any_three_public_fact_alone_makes_the_part_given() {
    let given = |text: &str| {
        let checked = juesuan::check_loaded(input::parse_toml(SourceFile::new(
            "t.toml",
            text.to_string(),
        )));
        let b = checked.bureau.expect("a model");
        b.three_public_given()
    };
    let through_workbook = |text: &str| {
        let bytes = juesuan::workbook::from_toml("t.toml", text).unwrap();
        let format = juesuan::workbook::sniff("t.xlsx", &bytes).unwrap();
        let back = juesuan::workbook::read_template("t.xlsx", format, &bytes);
        let checked = juesuan::check_loaded(back);
        let b = checked.bureau.expect("a model from the workbook");
        b.three_public_given()
    };
    let none = input_with("income.general_budget", toml::Value::Float(10.0));
    assert!(!given(&none), "no 三公 fact: not given");
    assert!(
        !through_workbook(&none),
        "a blank 三公经费 sheet: not given"
    );
    let group = &schema::scalars::THREE_PUBLIC;
    assert!(group.fields.len() > 30);
    for f in group.fields {
        let text = input_with(f.key, distinctive(f));
        assert!(given(&text), "{} alone: the 三公 part is given", f.key);
        assert!(
            through_workbook(&text),
            "{} alone, from the workbook",
            f.key
        );
    }
    // A zero and an empty text are given too.
    assert!(given(&input_with(
        "three_public.overseas.actual",
        toml::Value::Integer(0)
    )));
    assert!(given(&input_with(
        "three_public.reason",
        toml::Value::String(String::new())
    )));
    // A vehicle row is given without any scalar fact.
    let mut t: toml::Table = none.parse().unwrap();
    let row = toml::Table::from_iter([("kind".to_string(), toml::Value::from("轿车"))]);
    set(
        &mut t,
        "three_public.vehicle.fleet",
        toml::Value::Array(vec![toml::Value::Table(row)]),
    );
    assert!(given(&toml::to_string(&t).unwrap()));
}

/// Issue 21.1: the glyph check (`Bureau::texts`) covers every text fact given, by its
/// declaration: a text fact added to a section needs no line there.
#[test]
fn every_text_fact_given_is_checked_for_glyphs() {
    let mut failures = Vec::new();
    for g in schema::SCALARS {
        for f in g
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Text && !by_record(f.key))
        {
            let value = distinctive(f);
            let text = input_with(f.key, value.clone());
            let checked = juesuan::check_loaded(input::parse_toml(SourceFile::new("t.toml", text)));
            let b = checked.bureau.expect("a model");
            if !b
                .texts()
                .iter()
                .any(|t| Some(t.value.as_str()) == value.as_str())
            {
                failures.push(f.key);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "texts not checked for glyphs: {failures:?}"
    );
}

// ---- lists (src/schema/lists.rs) ----------------------------------------------------------

/// A value of a list column's kind (codes that read as 科目编码, several names for a list).
fn distinctive_in(list: &List, f: &Field) -> toml::Value {
    match f.kind {
        Kind::Code if list.sheet == "经济分类支出" => toml::Value::String("30101".into()),
        Kind::Code if list.sheet == "分列合计" => toml::Value::String("201".into()),
        Kind::Code => toml::Value::String("2010301".into()),
        Kind::List => toml::Value::Array(vec!["初访".into(), "重复访".into()]),
        _ => distinctive(f),
    }
}

/// The columns a column's value is read with: an indicator's values by its 类型 and each other.
fn companions(list: &List, column: &Field) -> Vec<(&'static str, toml::Value)> {
    let kind = |k: &str| ("kind", toml::Value::from(k));
    match (list.sheet, column.key) {
        ("绩效指标", "target") => vec![kind("positive"), ("actual", 1.into())],
        ("绩效指标", "actual") => vec![kind("positive"), ("target", 1.into())],
        ("绩效指标", "tier") => vec![kind("qualitative"), ("fraction", 0.5.into())],
        ("绩效指标", "fraction") => vec![kind("qualitative"), ("tier", "partly".into())],
        ("绩效指标", "achieved") => vec![kind("binary")],
        _ => Vec::new(),
    }
}

/// One record of `list` with its required columns and `column`'s [`companions`], and `column`
/// set to `value` (the lines of a grouped record are an array of strings).
fn record_of(list: &List, column: &Field, value: &toml::Value) -> toml::Table {
    let lines = match list.target {
        Target::Grouped { lines, .. } => lines,
        Target::Sections { lines, .. } => lines,
        _ => "",
    };
    let mut record = toml::Table::new();
    let fields = list.fields().filter(|f| f.required || f.key == column.key);
    for f in fields {
        let v = if f.key == column.key {
            value.clone()
        } else {
            distinctive_in(list, f)
        };
        let v = if f.key == lines {
            toml::Value::Array(vec![v])
        } else {
            v
        };
        set(&mut record, f.key, v);
    }
    for (key, v) in companions(list, column) {
        set(&mut record, key, v);
    }
    record
}

/// The smallest input that reads, with one record of `list` whose `column` is `value` (for a
/// map, one entry of that value); where that value sits in the TOML, as a path of keys and
/// array indices.
fn list_input(list: &List, column: &Field, value: &toml::Value) -> (toml::Table, Vec<String>) {
    let mut t = toml::Table::new();
    set(&mut t, "bureau.name", "测试局".into());
    set(&mut t, "bureau.year", toml::Value::Integer(2023));
    let one = |v: toml::Value| toml::Value::Array(vec![v]);
    let mut path: Vec<String> = Vec::new();
    let record = || toml::Value::Table(record_of(list, column, value));
    let project = |inner: &str, v: toml::Value| {
        let mut p = toml::Table::new();
        p.insert("name".into(), "项目甲".into());
        p.insert(inner.into(), v);
        one(toml::Value::Table(p))
    };
    let column_path = |path: &mut Vec<String>| {
        path.extend(column.key.split('.').map(String::from));
        if matches!(list.target, Target::Grouped { lines, .. } if lines == column.key)
            || matches!(list.target, Target::Sections { lines, .. } if lines == column.key)
        {
            path.push("0".into());
        }
    };
    match list.target {
        Target::Array(a) | Target::Routed(&[(_, a), ..]) => {
            set(&mut t, a, one(record()));
            path.extend(a.split('.').map(String::from));
            path.push("0".into());
            column_path(&mut path);
        }
        Target::Grouped { array, .. } => {
            set(&mut t, array, one(record()));
            path.extend(array.split('.').map(String::from));
            path.push("0".into());
            column_path(&mut path);
        }
        Target::Strings(a) => {
            set(&mut t, a, one(value.clone()));
            path.extend(a.split('.').map(String::from));
            path.push("0".into());
        }
        Target::Map(m) => {
            let mut map = toml::Table::new();
            map.insert("201".into(), value.clone());
            set(&mut t, m, toml::Value::Table(map));
            path.extend(m.split('.').map(String::from));
            path.push("201".into());
        }
        Target::UnderProject { array, map: true } => {
            let mut map = toml::Table::new();
            map.insert("产出指标".into(), value.clone());
            set(
                &mut t,
                "performance.projects",
                project(array, toml::Value::Table(map)),
            );
            path.extend(["performance", "projects", "0", array, "产出指标"].map(String::from));
        }
        Target::UnderProject { array, map: false } => {
            set(
                &mut t,
                "performance.projects",
                project(array, one(record())),
            );
            path.extend(["performance", "projects", "0", array, "0"].map(String::from));
            column_path(&mut path);
        }
        Target::Sections { array, .. } => {
            set(
                &mut t,
                "performance.projects",
                project(array, one(record())),
            );
            path.extend(["performance", "projects", "0", array, "0"].map(String::from));
            column_path(&mut path);
        }
        Target::Routed(_) => unreachable!("a routed list has routes"),
    }
    (t, path)
}

fn at<'a>(root: &'a toml::Table, path: &[String]) -> Option<&'a toml::Value> {
    let (first, rest) = path.split_first()?;
    let mut v = root.get(first)?;
    for p in rest {
        v = match v {
            toml::Value::Table(t) => t.get(p)?,
            toml::Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// The columns of a list a test gives a value to: its fields, or — for a list of strings or a
/// map — the column without a key (a string of the array, a map's value), read by placing the
/// row.
fn tested_columns(list: &List) -> Vec<Field> {
    match list.target {
        Target::Strings(_) | Target::Map(_) | Target::UnderProject { map: true, .. } => {
            vec![Field {
                key: "",
                ..*list.columns.last().unwrap()
            }]
        }
        _ => list.fields().copied().collect(),
    }
}

/// Issue 21.1 for lists: every column a list declares, given a distinctive value, is read from
/// the TOML (no unknown key, no type error) and comes back from `convert` (TOML → workbook →
/// TOML) at the same place with the same value. The columns without a key of their own (the
/// 资金, the 项目名称, a map's code) are read by placing the row.
#[test]
fn every_list_column_reads_and_round_trips_through_the_workbook() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for list in schema::LISTS {
        for column in &tested_columns(list) {
            checked += 1;
            let value = distinctive_in(list, column);
            let (table, path) = list_input(list, column, &value);
            let text = toml::to_string(&table).unwrap();
            let what = format!("{} {} ({})", list.sheet, column.header, path.join("."));
            let loaded = input::parse_toml(SourceFile::new("t.toml", text.clone()));
            let problems: Vec<String> = loaded
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code.as_str(), d.message))
                .collect();
            if loaded.raw.is_none() || !problems.is_empty() {
                failures.push(format!(
                    "{what}: the TOML reader does not take it {problems:?}\n{text}"
                ));
                continue;
            }
            let bytes = match juesuan::workbook::from_toml("t.toml", &text) {
                Ok(b) => b,
                Err(e) => {
                    failures.push(format!("{what}: convert to a workbook: {e:?}"));
                    continue;
                }
            };
            let format = juesuan::workbook::sniff("t.xlsx", &bytes).unwrap();
            let back = juesuan::workbook::read_template("t.xlsx", format, &bytes);
            let table: toml::Table = back.source.text.parse().unwrap();
            match at(&table, &path) {
                Some(v) if *v == value => {}
                other => failures.push(format!(
                    "{what}: wrote {value}, read back {other:?}\n{}",
                    back.source.text
                )),
            }
        }
    }
    assert!(checked > 100, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Another value of a list column's kind than [`distinctive_in`]'s.
fn other_in(list: &List, f: &Field) -> toml::Value {
    match f.kind {
        Kind::Code if list.sheet == "经济分类支出" => toml::Value::String("30102".into()),
        Kind::Code if list.sheet == "分列合计" => toml::Value::String("202".into()),
        Kind::Code => toml::Value::String("2010302".into()),
        Kind::List => toml::Value::Array(vec!["重访".into()]),
        Kind::Money => toml::Value::Float(1234.56),
        Kind::Int => toml::Value::Integer(8),
        Kind::Number => toml::Value::Float(13.5),
        Kind::Bool => toml::Value::Boolean(false),
        Kind::Date => toml::Value::Datetime("2024-04-02".parse().unwrap()),
        Kind::Choice(choice) | Kind::OpenChoice(choice) => {
            toml::Value::String(choice.options[0].1.to_string())
        }
        Kind::Text => toml::Value::String(format!("另外的文字：{}", f.key)),
    }
}

/// `root` without what sits at `path` (a key of a table).
fn remove_at(root: toml::Table, path: &[String]) -> toml::Table {
    let mut root = toml::Value::Table(root);
    let (last, parents) = path.split_last().unwrap();
    let mut v = &mut root;
    for p in parents {
        v = match v {
            toml::Value::Table(t) => t.get_mut(p).unwrap(),
            toml::Value::Array(a) => &mut a[p.parse::<usize>().unwrap()],
            _ => panic!("nothing at {path:?}"),
        };
    }
    match v {
        toml::Value::Table(t) => assert!(t.remove(last).is_some(), "nothing at {path:?}"),
        _ => panic!("no table at {path:?}"),
    }
    match root {
        toml::Value::Table(t) => t,
        _ => unreachable!(),
    }
}

/// What the model makes of an input: the model and the findings, without their places (a
/// value left out moves what follows it).
fn reached(text: &str) -> String {
    let checked = juesuan::check_loaded(input::parse_toml(SourceFile::new(
        "t.toml",
        text.to_string(),
    )));
    let mut out = format!("{:?}", checked.bureau);
    for d in checked.diagnostics.iter() {
        out.push_str(&format!("\n{} {}", d.code.as_str(), d.message));
    }
    // A place in the TOML: `File { file: "t.toml", line: 3, column: 9, span: 20..24 }`.
    let mut bare = String::new();
    let mut rest = out.as_str();
    while let Some(at) = rest.find("File { file: ") {
        bare.push_str(&rest[..at]);
        let end = rest[at..].find('}').expect("a place ends");
        rest = &rest[at + end + 1..];
    }
    bare.push_str(rest);
    bare
}

/// Issue 21.1 for lists: every column a list declares reaches the model. A record takes every
/// declared key (`input::section::Record`), so a column the model never asks for would read
/// without a word and be lost: here the model and its findings with the column given differ
/// from those with another value in it, or without it.
#[test]
fn every_list_column_reaches_the_model() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for list in schema::LISTS {
        for column in &tested_columns(list) {
            checked += 1;
            let value = distinctive_in(list, column);
            let (table, path) = list_input(list, column, &value);
            let text = toml::to_string(&table).unwrap();
            let what = format!("{} {} ({})", list.sheet, column.header, path.join("."));
            let given = reached(&text);
            assert_eq!(given, reached(&text), "{what}: the model is not repeatable");
            // Another value, and (when it may be left out) none.
            let other = other_in(list, column);
            let mut changed = vec![toml::to_string(&list_input(list, column, &other).0).unwrap()];
            if !column.required && !column.key.is_empty() {
                // A record's lines go as a whole.
                let lines = list.lines() == Some(column.key);
                let path = &path[..path.len() - usize::from(lines)];
                changed.push(toml::to_string(&remove_at(table, path)).unwrap());
            }
            if changed.iter().all(|c| reached(c) == given) {
                failures.push(format!("{what}: the model does not read it\n{text}"));
            }
        }
    }
    assert!(checked > 100, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A record read by its declared columns reads its sub-tables (`income = { … }`) and a grouped
/// record's lines (a key task's `paragraphs`, which may be left out) as the serde structs did;
/// a quoted key with a dot in it is one unknown key, not the column of that path.
#[test]
fn a_record_reads_sub_tables_and_lines_and_reports_the_rest() {
    let text = "[bureau]\nname = \"局\"\nyear = 2023\n\n\
                [[overview.key_tasks]]\ntitle = \"甲\"\n\n\
                [[overview.key_tasks]]\ntitle = \"乙\"\nparagraphs = [\"一\", \"二\"]\n\n\
                [[non_appropriation.items]]\ncode = \"2010308\"\nincome = { service = 2, servce = 3 }\n\
                \"income.upper_grant\" = 1\n\
                [non_appropriation.items.spending]\nbasic = 4\n";
    let checked = juesuan::check_loaded(input::parse_toml(SourceFile::new(
        "t.toml",
        text.to_string(),
    )));
    let unknown: Vec<(&str, String)> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "E003")
        .map(|d| {
            let line = match &d.location {
                Some(juesuan::diagnostic::Location::File { line, .. }) => line.to_string(),
                other => format!("{other:?}"),
            };
            (d.message.as_str(), line)
        })
        .collect();
    assert_eq!(
        unknown,
        [
            // A key the reader cannot place is said at the top, as before.
            (
                "未知字段 `non_appropriation.items.0.income.upper_grant`",
                "1".to_string()
            ),
            (
                "未知字段 `non_appropriation.items.0.income.servce`",
                "14".to_string()
            ),
        ]
    );
    let b = checked.bureau.expect("a model");
    let tasks: Vec<(&str, usize)> = b
        .overview
        .key_tasks
        .iter()
        .map(|t| (t.title.value.as_str(), t.paragraphs.len()))
        .collect();
    assert_eq!(tasks, [("甲", 0), ("乙", 2)]);
    let line = &b.non_appropriation[0];
    assert_eq!(line.service.value.to_string(), "2");
    assert_eq!(line.basic.value.to_string(), "4");
    assert!(
        line.upper_grant.loc.is_none(),
        "the quoted key is no column"
    );
}

/// The fields a list's record has in the TOML only (`List::toml_only`: a project's
/// `declared_spending`, `report.intro`, …) read from the TOML, with no unknown key and no type
/// error; the workbook has no column for them.
#[test]
fn every_toml_only_field_of_a_record_reads() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for list in schema::LISTS {
        for f in list.toml_only() {
            checked += 1;
            let value = distinctive_in(list, f);
            let (table, _) = list_input(list, f, &value);
            let text = toml::to_string(&table).unwrap();
            let loaded = input::parse_toml(SourceFile::new("t.toml", text.clone()));
            let problems: Vec<String> = loaded
                .diagnostics
                .iter()
                .map(|d| format!("{} {}", d.code.as_str(), d.message))
                .collect();
            if loaded.raw.is_none() || !problems.is_empty() {
                failures.push(format!("{} {}: {problems:?}\n{text}", list.sheet, f.key));
            }
        }
    }
    assert!(checked > 15, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Code outside `src/schema/`: each file's text before its unit tests, by its path.
fn code_outside_schema() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, code_of(p))
        })
        .filter(|(rel, _)| !rel.starts_with("src/schema/"))
        .collect()
}

/// Issue 21.1 for lists: a column's key, kind, label and note are declared once, in
/// `src/schema/lists.rs`. No other file builds a `Field` (`f("key", "表头", …)`, `req(…)`,
/// `Field { … }`), none pairs a column's key with its header the way a declaration does, except
/// where the column is used (a figure's label in `src/figures/`); and the steps that carry every
/// list (the 元/万元 check, the workbook's reader and writer, `diff`) name no amount column.
#[test]
fn a_list_column_is_declared_once() {
    let files = code_outside_schema();
    let mut failures = Vec::new();
    for (rel, text) in &files {
        let bytes = text.as_bytes();
        for name in ["f(", "req("] {
            for (i, _) in text.match_indices(name) {
                let before = if i == 0 { b' ' } else { bytes[i - 1] };
                let after = text[i + name.len()..].trim_start();
                if !(before.is_ascii_alphanumeric() || before == b'_' || before == b'.')
                    && after.starts_with('"')
                {
                    failures.push(format!("{rel}: builds a Field: {}", &text[i..i + 30]));
                }
            }
        }
        if text.contains("Field {") {
            failures.push(format!("{rel}: builds a Field"));
        }
    }
    let carriers = [
        "src/input/checks.rs",
        "src/workbook/read.rs",
        "src/workbook/write.rs",
        "src/diff.rs",
    ];
    let mut columns = 0;
    for list in schema::LISTS {
        for c in list.fields() {
            columns += 1;
            let pair = format!("\"{}\", \"{}\"", c.key, c.header);
            for (rel, text) in &files {
                if text.contains(&pair) && !USES.iter().any(|u| rel.starts_with(u)) {
                    failures.push(format!("{}.{}: declared again in {rel}", list.sheet, c.key));
                }
                if c.kind == Kind::Money
                    && carriers.contains(&rel.as_str())
                    && text.contains(&format!("\"{}\"", c.key))
                {
                    failures.push(format!(
                        "{} {}: the amount column `{}` is named in {rel}",
                        list.sheet, c.header, c.key
                    ));
                }
            }
        }
    }
    assert!(columns > 100, "{columns}");
    for c in carriers {
        assert!(files.iter().any(|(rel, _)| rel == c), "{c} is gone");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
