//! F007: a `[[parts]]` key of a form's manifest that no branch of its templates prints is an
//! error (the part would silently be left out). Triggering: the folder-only form of
//! tests/fixtures/forms/custom with a part its body.tera has no branch for; clean: the same
//! folder as it is.

mod common;

use std::path::PathBuf;

use common::{juesuan, root};

/// A copy of tests/fixtures/forms/custom with `edit` applied to its form.toml.
fn custom_with_manifest(name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-parts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let from = root().join("tests/fixtures/forms/custom");
    std::fs::create_dir_all(dir.join("custom")).unwrap();
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if path.file_name().unwrap() == "form.toml" {
            text = edit(&text);
        }
        std::fs::write(dir.join("custom").join(path.file_name().unwrap()), text).unwrap();
    }
    dir
}

#[test]
fn a_part_no_template_prints_is_f007() {
    let dir = custom_with_manifest("unprinted", |m| {
        format!("{m}\n[[parts]]\nkey = \"budget_notes\"\ntitle = \"预算说明\"\n")
    });
    let (code, _, err) = juesuan(&[
        "check",
        "data/ebian-xinfang-2023.toml",
        "--templates",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[F007]"), "{err}");
    assert!(
        err.contains("custom/form.toml 的 [[parts]] 中有 `budget_notes`（预算说明）"),
        "{err}"
    );
    assert!(
        err.contains("PDF 版") && err.contains("Markdown 版"),
        "{err}"
    );
    assert!(
        err.contains("{% elif part.key == \"budget_notes\" %}"),
        "the hint shows the branch to add: {err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_form_whose_parts_are_all_printed_is_clean() {
    let dir = custom_with_manifest("clean", |m| m.to_string());
    let (code, _, err) = juesuan(&[
        "check",
        "data/ebian-xinfang-2023.toml",
        "--templates",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("F007"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
