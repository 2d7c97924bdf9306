//! 绩效 forms are folders too: a 自评表 layout defined only in a folder
//! (tests/fixtures/performance-forms/performance/guangdong: form.toml, attachment.typ and
//! attachment.md, no Rust) builds to PDF and Markdown; a form naming a layout that has no
//! templates is refused, naming the files it lacks.

mod common;

use std::path::PathBuf;

use common::{bundled, juesuan, root};
use juesuan::render::fonts::FontBook;
use juesuan::render::{self, Format, RenderOptions};

fn fixture() -> PathBuf {
    root().join("tests/fixtures/performance-forms")
}

/// The Sichuan example choosing the 绩效 form `form`, in a fresh folder.
fn input_choosing(form: &str, name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("juesuan-perf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    assert!(!text.contains("[performance]\n"));
    let input = dir.join(format!("{name}.toml"));
    std::fs::write(
        &input,
        format!("{text}\n[performance]\nform = \"{form}\"\n"),
    )
    .unwrap();
    (dir, input)
}

#[test]
fn a_layout_defined_only_in_a_folder_builds_to_pdf_and_markdown() {
    let (dir, input) = input_choosing("guangdong", "guangdong");
    let out = dir.join("out");
    let (code, _, err) = juesuan(&[
        "build",
        input.to_str().unwrap(),
        "--templates",
        fixture().to_str().unwrap(),
        "--format",
        "pdf,md",
        "--bundled-fonts",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("guangdong.pdf").is_file());
    let md = std::fs::read_to_string(out.join("guangdong.md")).unwrap();
    assert!(
        md.contains("年度广东省项目支出绩效自评表（信访稳定经费）**"),
        "{md}"
    );
    assert!(md.contains("广东自评总分："), "{md}");
    assert!(
        !md.contains("项目支出绩效自评表**"),
        "the Sichuan sheet is not printed"
    );
    // Every sheet of the example is printed in the new layout, numbered.
    let checked = juesuan::check_file_with(
        &input,
        &render::templates::TemplateSet::load(Some(&fixture()))
            .unwrap()
            .forms()
            .unwrap(),
    );
    let bureau = checked.bureau.unwrap();
    assert_eq!(bureau.performance.form.as_str(), "guangdong");
    let options = RenderOptions {
        templates: Some(fixture()),
        ..bundled()
    };
    let (_, figures) = render::prepare(&bureau, &options).unwrap();
    let sheets = figures.doc.performance.sheets.len();
    assert!(sheets >= 2);
    assert_eq!(md.matches("广东自评总分：").count(), sheets);
    // The PDF says the same.
    let typ = render::build(&bureau, &[Format::Typ], &options, &mut Default::default())
        .unwrap()
        .remove(0)
        .bytes;
    let book = FontBook::load(&bundled().fonts);
    let doc = render::pdf::layout(&String::from_utf8(typ).unwrap(), &book).unwrap();
    let text = render::pdf::plain_text(&doc);
    assert_eq!(text.matches("广东自评总分").count(), sheets, "{text}");
    assert!(text.contains("年度广东省项目支出绩效自评表"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_attachment_alone_uses_the_folders_layout_too() {
    let (dir, input) = input_choosing("guangdong", "alone");
    let out = dir.join("out");
    let (code, _, err) = juesuan(&[
        "build",
        input.to_str().unwrap(),
        "--templates",
        fixture().to_str().unwrap(),
        "--attachment",
        "2",
        "--format",
        "md",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .next()
        .unwrap();
    assert_eq!(md.matches("广东自评总分：").count(), 1, "{md}");
    assert!(
        !md.contains("附件2"),
        "standing alone, it has no 附件 number: {md}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_layout_without_templates_is_refused() {
    let dir = std::env::temp_dir().join(format!("juesuan-perf-nolayout-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("performance/mine")).unwrap();
    let manifest = std::fs::read_to_string(root().join("templates/performance/sichuan/form.toml"))
        .unwrap()
        .replace("key = \"sichuan\"", "key = \"mine\"")
        .replace("layout = \"sichuan\"", "layout = \"nowhere\"");
    std::fs::write(dir.join("performance/mine/form.toml"), manifest).unwrap();
    let (code, _, err) = juesuan(&[
        "check",
        "data/ebian-xinfang-2023.toml",
        "--templates",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("performance/mine/form.toml 的版式 `nowhere` 没有模板")
            && err.contains("performance/nowhere/attachment.typ"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_built_in_forms_print_with_their_folders_layouts() {
    let set = render::templates::TemplateSet::load(None).unwrap();
    let forms = set.forms().unwrap();
    for spec in forms.performance_keys() {
        for ext in ["typ", "md"] {
            let name = format!("performance/{}/attachment.{ext}", spec.layout);
            assert!(set.get(&name).is_some(), "{name} is built in");
        }
    }
}
