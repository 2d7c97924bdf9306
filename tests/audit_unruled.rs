//! `juesuan audit` on 公开表 printed without ruling lines. The fixtures are the data/ examples with
//! a 说明, their generated Typst compiled with `#set table(stroke: none)` put in front (here in
//! the test only: `juesuan build` is untouched), so the tables are the same as in the ruled PDF
//! with every line gone. Each table is either read — zero findings, the facts equal to the ruled
//! PDF's — or listed as not read with its reason; never half-read.

mod common;

use juesuan::audit::{self, Audit, Options, pdf};
use juesuan::render::Format;

/// Examples of data/ with a 说明.
const EXAMPLES: [&str; 3] = [
    "ebian-xinfang-2022.toml",
    "ebian-xinfang-2023.toml",
    "putuo-caizheng-2024.toml",
];

const UNRULED: &str = "#set table(stroke: none)\n";

fn typst(example: &str) -> String {
    let path = common::root().join("data").join(example);
    String::from_utf8(common::build(&path, Format::Typ, &common::bundled()).unwrap()).unwrap()
}

fn compile(typ: &str) -> Vec<u8> {
    let fonts = juesuan::render::fonts::FontBook::load(&common::bundled().fonts);
    juesuan::render::pdf::compile(typ, &fonts, "audit-test").unwrap()
}

/// The example's tables printed without lines, with `from` replaced by `to` at its first place
/// after `after` (nothing changed when `from` is empty).
fn unruled(example: &str, after: &str, from: &str, to: &str) -> Vec<u8> {
    let typ = typst(example);
    let changed = if from.is_empty() {
        typ
    } else {
        let start = typ.find(after).expect("anchor");
        let at = start + typ[start..].find(from).expect("figure");
        format!("{}{to}{}", &typ[..at], &typ[at + from.len()..])
    };
    compile(&format!("{UNRULED}{changed}"))
}

/// The facts a document's tables hold, as `section key = value` lines of imported TOML (the
/// comments left out).
fn facts(bytes: &[u8]) -> Vec<String> {
    let doc = pdf::read(bytes).unwrap();
    let (_, imported) = audit::import_tables("x", &doc);
    let Some(imported) = imported else {
        return Vec::new();
    };
    let mut section = String::new();
    let mut out = Vec::new();
    for line in imported.text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line.to_string();
            continue;
        }
        out.push(format!("{section} {line}"));
    }
    out
}

fn tables(a: &Audit) -> Vec<(String, Vec<usize>, bool)> {
    a.tables
        .iter()
        .map(|t| (t.title.clone(), t.pages.clone(), t.read))
        .collect()
}

/// Every example's tables, printed without lines, are recognised on the same pages and read:
/// no findings, and the same facts, notes and 说明 checks as the ruled PDF.
#[test]
fn unruled_examples_read_like_ruled() {
    for example in EXAMPLES {
        let typ = typst(example);
        let ruled = compile(&typ);
        let bare = compile(&format!("{UNRULED}{typ}"));
        let a = audit::audit(example, &ruled, &Options::default()).unwrap();
        let b = audit::audit(example, &bare, &Options::default()).unwrap();
        let text = b.text();
        assert_eq!(b.tables_drawn, 0, "{example}\n{text}");
        assert!(b.tables_unruled >= b.tables.len(), "{example}\n{text}");
        assert!(b.findings.is_empty(), "{example}\n{text}");
        // Recognised on the same pages; every one read (a table not read would say why). An
        // empty table the ruled PDF's importer passes over may be read here (no figures).
        let pages = |x: &Audit| -> Vec<(String, Vec<usize>)> {
            tables(x).into_iter().map(|(t, p, _)| (t, p)).collect()
        };
        assert_eq!(pages(&b), pages(&a), "{example}\n{text}");
        for ((title, _, read), (_, _, ruled_read)) in tables(&b).iter().zip(tables(&a)) {
            assert!(*read || !ruled_read, "{example}: {title}\n{text}");
        }
        assert!(
            b.tables.iter().all(|t| t.not_read.is_none()),
            "{example}\n{text}"
        );
        assert_eq!(facts(&bare), facts(&ruled), "{example}");
        assert_eq!(b.notes.len(), a.notes.len(), "{example}\n{text}");
        assert_eq!(b.statements_checked, a.statements_checked, "{example}");
        assert_eq!(
            (
                b.department.clone(),
                b.year,
                b.unit.clone(),
                b.table_set.clone()
            ),
            (
                a.department.clone(),
                a.year,
                a.unit.clone(),
                a.table_set.clone()
            ),
            "{example}"
        );
    }
}

/// A figure changed in a cell of an unruled table is found at that table and row, nowhere else.
#[test]
fn changed_unruled_cell_is_found_where_it_is() {
    let bytes = unruled(
        "ebian-xinfang-2023.toml",
        "[收入决算表#if continued",
        "[2010308], [#h(2em)信访事务], [217.51]",
        "[2010308], [#h(2em)信访事务], [217.61]",
    );
    let a = audit::audit("x.pdf", &bytes, &Options::default()).unwrap();
    assert!(!a.findings.is_empty(), "{}", a.text());
    for f in &a.findings {
        let here = std::iter::once(&f.place).chain(&f.related);
        assert!(
            here.clone()
                .any(|p| p.table == "收入决算表" && p.row.contains("2010308")),
            "{}",
            a.text()
        );
    }
    assert!(
        a.findings.iter().any(|f| {
            std::iter::once(&f.place)
                .chain(&f.related)
                .any(|p| p.printed.as_deref() == Some("217.61"))
                || f.printed.as_deref() == Some("217.61")
        }),
        "{}",
        a.text()
    );
}

/// A table whose header does not match its layout is recognised but not read: listed with the
/// reason, its figures not checked, and no finding comes of it (the 说明's figures that need it
/// are listed as not checked).
#[test]
fn a_table_that_does_not_read_is_listed_not_guessed() {
    let bytes = unruled(
        "ebian-xinfang-2023.toml",
        "[收入决算表#if continued",
        "[#text(font: heiti)[本年收入合计]]",
        "[#text(font: heiti)[本年收入]]",
    );
    let a = audit::audit("x.pdf", &bytes, &Options::default()).unwrap();
    let text = a.text();
    assert!(a.findings.is_empty(), "{text}");
    let income = a.tables.iter().find(|t| t.title == "收入决算表").unwrap();
    assert!(!income.read, "{text}");
    let why = income.not_read.as_deref().unwrap_or_default();
    assert!(why.contains("本年收入合计"), "{why}");
    assert!(text.contains("未能读取"), "{text}");
    // Every report format names the table with its reason, in the same words.
    let label = income.label();
    assert!(label.contains("未能读取") && label.contains(why), "{label}");
    assert!(text.contains(&label), "{text}");
    let html = audit::report::html(std::slice::from_ref(&a));
    assert!(html.contains(&label), "{html}");
    let xlsx = audit::report::report_xlsx(&a).unwrap();
    let cells = std::io::Cursor::new(xlsx);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(cells).unwrap();
    use calamine::Reader;
    let overview = book.worksheet_range("概况").unwrap();
    assert!(
        overview
            .rows()
            .any(|r| r.iter().any(|c| c.to_string().contains(&label))),
        "the 概况 sheet lists the table with its reason"
    );
    assert!(
        a.not_checked.iter().any(|n| n.starts_with("收入决算表")),
        "{text}"
    );
    // The other tables are still read.
    assert_eq!(
        a.tables.iter().filter(|t| t.not_read.is_some()).count(),
        1,
        "{text}"
    );
}

/// A table continued on the next page without its caption and header (`table.header(repeat:
/// false)`): the rows there cannot be checked against the header, so the table is not read —
/// never read with its first page only — and nothing is reported.
#[test]
fn a_continuation_without_caption_is_not_joined_by_guess() {
    let bytes = unruled(
        "ebian-xinfang-2023.toml",
        "<fubiao-appropriation>",
        "table.header(",
        "table.header(repeat: false, ",
    );
    let a = audit::audit("x.pdf", &bytes, &Options::default()).unwrap();
    let text = a.text();
    assert!(a.findings.is_empty(), "{text}");
    let t = a
        .tables
        .iter()
        .find(|t| t.title == "财政拨款收入支出决算总表")
        .unwrap();
    assert!(
        t.not_read.as_deref().is_some_and(|w| w.contains("续页")),
        "{text}"
    );
}
