//! The modules of `src/` depend on each other one way only, in the order of the pipeline:
//! input → model → rules → figures → render → (batch, diff, serve) → cmd (issue 24).
//!
//! The test reads every `crate::…` path in each top-level module's files and fails on any edge
//! that runs up the order below — which also rules out every import cycle between top-level
//! modules. A new module takes its place in `LAYERS`; `lib.rs` and `main.rs` are the root and may
//! use anything.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level modules, lowest first. A module may use only modules listed before it.
const LAYERS: &[&str] = &[
    "diagnostic",
    "calendar",
    "money",
    "schema",
    "catalog",
    "input",
    "form",
    "arith",
    "model",
    "performance",
    "rules",
    "figures",
    "publish",
    "render",
    "output",
    "session",
    "workbook",
    "import",
    "load",
    "report",
    "diff",
    "previous",
    "audit",
    "batch",
    "serve",
    "synthetic",
    "cmd",
];

/// Every top-level module of `src/` with the Rust files it is made of.
fn modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == "lib.rs" || name == "main.rs" {
            continue;
        }
        let mut files = Vec::new();
        if path.is_dir() {
            collect(&path, &mut files);
        } else if name.ends_with(".rs") {
            files.push(path.clone());
        }
        if !files.is_empty() {
            out.insert(name.trim_end_matches(".rs").to_string(), files);
        }
    }
    out
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The top-level modules a line of Rust names through `crate::` (comments left out), including
/// those of a group `crate::{a, b::c}`.
fn named(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                out.push(ident(item.trim()));
            }
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Each (from, to, where) edge between two different top-level modules.
fn edges(src: &Path) -> Vec<(String, String, String)> {
    let modules = modules(src);
    let mut out = Vec::new();
    for (module, files) in &modules {
        for file in files {
            let text = fs::read_to_string(file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for to in named(line) {
                    if &to != module && modules.contains_key(&to) {
                        let at = format!("{}:{}", file.display(), n + 1);
                        out.push((module.clone(), to, at));
                    }
                }
            }
        }
    }
    out
}

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|m| *m == module)
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let unplaced: Vec<String> = modules(&src)
        .into_keys()
        .filter(|m| rank(m).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules not in LAYERS of tests/modules.rs: {unplaced:?}"
    );
}

#[test]
fn dependencies_run_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut upward = BTreeSet::new();
    for (from, to, at) in edges(&src) {
        if let (Some(f), Some(t)) = (rank(&from), rank(&to))
            && t > f
        {
            upward.insert(format!("{from} → {to} ({at})"));
        }
    }
    assert!(
        upward.is_empty(),
        "these imports run up the pipeline (a lower module must not use a higher one):\n{}",
        upward.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_scanner_sees_groups_and_paths() {
    assert_eq!(
        named("use crate::{figures::Totals, model, arith::x};"),
        ["figures", "model", "arith"]
    );
    assert_eq!(
        named("let x = crate::load::bytes(a); // crate::cmd"),
        ["load"]
    );
    assert!(named("/// see crate::cmd").is_empty());
}

/// A diagnostic's severity lives in the registry (`Diagnostic::of`); only a finding whose
/// severity the figures decide (a difference within the 尾差 is an info) may name one.
#[test]
fn severity_is_named_only_where_the_figures_decide_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed = ["rules/mod.rs", "rules/aggregates.rs"];
    let mut found = Vec::new();
    for files in modules(&src).values() {
        for file in files {
            // (codespan's `CsDiagnostic::new` in report.rs is another type.)
            let text = fs::read_to_string(file)
                .unwrap()
                .replace("CsDiagnostic::new(", "");
            let rel = file
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if text.contains("Diagnostic::new(") && !allowed.contains(&rel.as_str()) {
                found.push(rel);
            }
        }
    }
    assert!(
        found.is_empty(),
        "Diagnostic::new with a severity outside {allowed:?}: {found:?} — use Diagnostic::of(code, …)"
    );
}
