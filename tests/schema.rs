//! The fact schema (`src/schema/`) is the one declaration of every built-in fact (issue 21.1).
//! These tests keep it true (the TOML reader reads every table by the declarations, the
//! department's record `[performance.department]` included):
//! - every declared scalar fact, given a distinctive value, is read (no unknown key, a model)
//!   and comes back from `convert` (TOML → workbook → TOML) at the same key with the same value;
//! - every scalar key the TOML reader accepts is declared (or listed below as TOML-only);
//! - a new scalar fact costs its declaration plus its use: nothing between them names it;
//! - docs/fact-schema.md is the reference generated from the schema (regenerate with
//!   `JUESUAN_UPDATE_DOCS=1 cargo test --release --test schema`).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::root;
use juesuan::input::{self, SourceFile};
use juesuan::schema::{self, Field, Kind};

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
        (_, Kind::Choice(options) | Kind::OpenChoice(options)) => {
            toml::Value::String(options.last().unwrap().1.to_string())
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
/// All of them are fields the department's record shares with a project's
/// (`RawProjectEvaluation`), which only a project's 自评表 or report uses: read for the
/// department (`PerformanceLists`) but never printed for it.
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
            if structs.contains_key(inner) {
                stack.push((key, inner.to_string()));
            } else {
                out.insert(key);
            }
        }
    }
    out
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
        // src/workbook/schema.rs declares the row sheets, whose column keys are relative to a
        // record (a 非财政拨款 line's `income.upper_grant`), not the scalar facts of that name.
        .filter(|(rel, _)| !rel.starts_with("src/schema/") && rel != "src/workbook/schema.rs")
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
/// the group counts with no edit of `ThreePublic::is_given`.
#[test]
fn any_three_public_fact_alone_makes_the_part_given() {
    let given = |text: &str| {
        let checked = juesuan::check_loaded(input::parse_toml(SourceFile::new(
            "t.toml",
            text.to_string(),
        )));
        let b = checked.bureau.expect("a model");
        b.three_public.is_given(&b.facts)
    };
    let through_workbook = |text: &str| {
        let bytes = juesuan::workbook::from_toml("t.toml", text).unwrap();
        let format = juesuan::workbook::sniff("t.xlsx", &bytes).unwrap();
        let back = juesuan::workbook::read_template("t.xlsx", format, &bytes);
        let checked = juesuan::check_loaded(back);
        let b = checked.bureau.expect("a model from the workbook");
        b.three_public.is_given(&b.facts)
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
