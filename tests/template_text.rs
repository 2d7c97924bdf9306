//! Template authors' side: an error names the template file and line and, for the common Tera 2
//! mistakes, says what to do; the literal text of a shared template prints the same in the PDF
//! as in the Markdown (no smart dashes, ellipses or quotes in the PDF only).

mod common;

use std::path::{Path, PathBuf};

use common::{bundled, root};
use juesuan::render::fonts::FontBook;
use juesuan::render::{self, Format, RenderOptions};

/// A templates folder whose sichuan/body.tera is the built-in one with `edit` applied.
fn folder_with_body(name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-tpl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sichuan")).unwrap();
    let body = std::fs::read_to_string(root().join("templates/sichuan/body.tera")).unwrap();
    let edited = edit(&body);
    assert_ne!(edited, body, "{name}: the edit changed nothing");
    std::fs::write(dir.join("sichuan/body.tera"), edited).unwrap();
    dir
}

/// Inserts `text` as the first line after the 部门职责 heading (line 5 of body.tera).
fn after_first_heading(text: &'static str) -> impl Fn(&str) -> String {
    move |body: &str| {
        body.replacen(
            "{% <h1> %}一、部门职责{% </h1> %}\n",
            &format!("{{% <h1> %}}一、部门职责{{% </h1> %}}\n{text}\n"),
            1,
        )
    }
}

fn render(dir: &Path, format: Format) -> Result<Vec<u8>, (String, Vec<String>)> {
    let checked = juesuan::check_file(&root().join("data/ebian-xinfang-2023.toml"));
    let bureau = checked.bureau.unwrap();
    let options = RenderOptions {
        templates: Some(dir.to_path_buf()),
        ..bundled()
    };
    render::build(&bureau, &[format], &options, &mut Default::default())
        .map(|mut a| a.remove(0).bytes)
        .map_err(|d| {
            let d = d.iter().next().unwrap();
            (d.message.clone(), d.hints.clone())
        })
}

fn error_of(name: &str, text: &'static str) -> (String, String) {
    let dir = folder_with_body(name, after_first_heading(text));
    let (message, hints) = render(&dir, Format::Md).expect_err(name);
    let _ = std::fs::remove_dir_all(&dir);
    (message, hints.join("\n"))
}

#[test]
fn an_error_names_the_template_line() {
    let (message, hints) = error_of("field", "{{ doc.no_such_name }}");
    assert!(
        message.contains("模板 sichuan/body.tera 第 6 行"),
        "{message}"
    );
    assert!(message.contains("no_such_name"), "{message}");
    assert!(hints.contains("docs/context.md"), "{hints}");
}

#[test]
fn a_positional_argument_is_told_to_be_named() {
    let (message, hints) = error_of("positional", "{{ doc.year | round(2) }}");
    assert!(message.contains("第 6 行"), "{message}");
    assert!(hints.contains("round(precision=2)"), "{hints}");
}

#[test]
fn a_missing_keyword_argument_is_named() {
    let (_, hints) = error_of("keyword", "{{ doc.name | split }}");
    assert!(hints.contains("参数 `pat`"), "{hints}");
}

#[test]
fn a_set_inside_a_loop_is_explained() {
    let (message, hints) = error_of(
        "set-in-loop",
        "{% for p in doc.parts %}{% set last_key = p.key %}{% endfor %}{{ last_key }}",
    );
    assert!(message.contains("last_key"), "{message}");
    assert!(hints.contains("set_global"), "{hints}");
}

#[test]
fn literal_text_prints_the_same_in_pdf_and_markdown() {
    let literal = "甲--乙---丙...丁-1戊\"己\"'庚'辛~壬";
    let dir = folder_with_body("literal", after_first_heading(literal));
    let md = String::from_utf8(render(&dir, Format::Md).unwrap()).unwrap();
    assert!(md.contains(literal), "the Markdown keeps the text");
    let typ = String::from_utf8(render(&dir, Format::Typ).unwrap()).unwrap();
    let book = FontBook::load(&bundled().fonts);
    let doc = render::pdf::layout(&typ, &book).unwrap();
    let text = render::pdf::plain_text(&doc);
    assert!(
        text.contains(literal),
        "the PDF prints the literal text as typed: {}",
        text.lines()
            .find(|l| l.contains('甲'))
            .unwrap_or("(not found)")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
