//! The template context is a documented interface: `juesuan context` prints it, every name in the
//! context of every data/ example has a description (src/render/context.toml), and
//! docs/context.md is the reference generated from them — stale, it fails this test.
//! Regenerate with `UPDATE_CONTEXT_DOC=1 cargo test --release --test context`.

mod common;

use common::{juesuan, root};
use juesuan::cmd::context;
use serde_json::Value;

/// The data/ examples, the one the reference takes its examples from first.
fn examples() -> Vec<String> {
    let first = "data/ebian-xinfang-2023.toml".to_string();
    let mut rest: Vec<String> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| format!("data/{}", e.file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".toml") && *n != first)
        .collect();
    rest.sort();
    std::iter::once(first).chain(rest).collect()
}

fn context_of(args: &[&str]) -> Value {
    let (code, out, err) = juesuan(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})"))
}

#[test]
fn every_name_is_described_and_the_reference_is_current() {
    let contexts: Vec<(String, Value)> = examples()
        .into_iter()
        .map(|f| {
            let c = context_of(&["context", &f]);
            (f, c)
        })
        .collect();
    let descriptions = context::descriptions();
    let values: Vec<Value> = contexts.iter().map(|(_, c)| c.clone()).collect();
    let missing = context::undescribed(&descriptions, &values);
    assert!(
        missing.is_empty(),
        "names in the template context with no description in src/render/context.toml:\n{}",
        missing.join("\n")
    );
    let generated = context::reference(&descriptions, &contexts);
    let path = root().join("docs/context.md");
    // `UPDATE_CONTEXT_DOC=1`, or the project's `JUESUAN_UPDATE_DOCS=1` (as for docs/rules.md).
    let update = std::env::var_os("UPDATE_CONTEXT_DOC").is_some()
        || std::env::var("JUESUAN_UPDATE_DOCS").as_deref() == Ok("1");
    if update {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/context.md is stale: run `UPDATE_CONTEXT_DOC=1 cargo test --release --test context` \
         and commit the result"
    );
}

#[test]
fn the_context_is_json_in_a_fixed_order_and_follows_the_chosen_form() {
    let (code, first, err) = juesuan(&["context", "data/ebian-xinfang-2023.toml"]);
    assert_eq!(code, 0, "{err}");
    let (_, second, _) = juesuan(&["context", "data/ebian-xinfang-2023.toml"]);
    assert_eq!(first, second, "the same input gives the same text");
    let c: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(c["doc"]["form"], "sichuan");
    assert_eq!(c["doc"]["year"], 2023);
    assert!(c["fonts"]["heiti"].as_str().unwrap().contains("SimHei"));
    let keys: Vec<&String> = c["doc"].as_object().unwrap().keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "keys are printed in a fixed (sorted) order");

    let c = context_of(&[
        "context",
        "data/ebian-xinfang-2023.toml",
        "--form",
        "chongqing",
    ]);
    assert_eq!(c["doc"]["form"], "chongqing");

    let (code, out, err) = juesuan(&[
        "context",
        "data/ebian-xinfang-2023.toml",
        "--form",
        "nowhere",
    ]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("未知的表式 `nowhere`"), "{err}");
}

#[test]
fn a_form_of_a_templates_folder_has_its_context_too() {
    let (dir, input) = (
        root().join("tests/fixtures/forms"),
        "data/ebian-xinfang-2023.toml",
    );
    let c = context_of(&[
        "context",
        input,
        "--form",
        "custom",
        "--templates",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(c["doc"]["form"], "custom");
}
