//! Excel 工作簿输入：与 TOML 等价（同样的输出字节），坏工作簿给出带“工作表!单元格”的诊断而不崩溃。
//!
//! Bad workbooks are made from the example's workbook by changing one thing (a renamed header, a
//! percent-formatted amount, a formula without a cached value…); the two that our writer cannot
//! make — a text file named .xlsx and a password-protected workbook — are fixture files in
//! `tests/fixtures/workbook/`.

mod common;

use common::book::{Book, row_of};
use common::{bundled, root};

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use juesuan::cmd::convert::first_difference;
use juesuan::diagnostic::Location;
use juesuan::render::{self, Format, Timings};
use rust_xlsxwriter::{Format as CellFormat, Formula, Workbook};

fn outputs(checked: juesuan::Checked) -> Vec<Vec<u8>> {
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    render::build(
        &bureau,
        &[Format::Pdf, Format::Typ, Format::Md],
        &bundled(),
        &mut Timings::default(),
    )
    .unwrap()
    .into_iter()
    .map(|a| a.bytes)
    .collect()
}

fn check_workbook(name: &str, bytes: &[u8]) -> juesuan::Checked {
    let loaded = juesuan::load::bytes(name, bytes);
    juesuan::check_loaded(loaded)
}

fn toml_tree(text: &str) -> toml::Value {
    toml::Value::Table(text.parse().unwrap())
}

/// Every example under data/ has a workbook made by `convert`; it holds the same facts as the
/// TOML (so it cannot go stale) and builds byte-identical PDF, Typst and Markdown.
#[test]
fn every_example_workbook_is_equivalent_to_its_toml() {
    let mut examples = 0;
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        examples += 1;
        let xlsx = path.with_extension("xlsx");
        assert!(
            xlsx.exists(),
            "{} has no workbook: run juesuan convert {} {}",
            path.display(),
            path.display(),
            xlsx.display()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let bytes = std::fs::read(&xlsx).unwrap();
        // The README sends clerks to these workbooks: they are what `init --xlsx` and `convert`
        // write today (current template version, every sheet), not an older layout.
        let current = juesuan::workbook::from_toml("x.toml", &text).expect("convert");
        assert!(
            current == bytes,
            "{} is not the current template's workbook: run juesuan convert --force {} {}",
            xlsx.display(),
            path.display(),
            xlsx.display()
        );
        let read_back = juesuan::load::bytes("x.xlsx", &bytes);
        assert_eq!(
            first_difference("", &toml_tree(&text), &toml_tree(&read_back.source.text)),
            None,
            "{} differs from its TOML: run juesuan convert --force",
            xlsx.display()
        );
        let from_toml = outputs(juesuan::check_file(&path));
        let from_xlsx = outputs(juesuan::check_file(&xlsx));
        for (a, b) in from_toml.iter().zip(&from_xlsx) {
            assert!(a == b, "{}: outputs differ", xlsx.display());
        }
    }
    assert!(examples >= 1);
}

/// Every clean rule fixture survives TOML → workbook → TOML with every fact intact, so each
/// key the TOML accepts has its column (indicators, workloads, balances, other funds…).
#[test]
fn every_fixture_round_trips_through_a_workbook() {
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("tests/fixtures/rules")).unwrap() {
        let pass = entry.unwrap().path().join("pass.toml");
        let Ok(text) = std::fs::read_to_string(&pass) else {
            continue;
        };
        let bytes = juesuan::workbook::from_toml("pass.toml", &text).unwrap();
        let back = juesuan::load::bytes("pass.xlsx", &bytes);
        assert!(
            !back.diagnostics.has_errors(),
            "{}: {:#?}",
            pass.display(),
            back.diagnostics
        );
        assert_eq!(
            first_difference("", &toml_tree(&text), &toml_tree(&back.source.text)),
            None,
            "{}",
            pass.display()
        );
        n += 1;
    }
    assert!(n > 30, "{n}");
}

#[test]
fn a_blank_template_has_every_sheet_and_asks_for_the_required_facts() {
    let bytes = juesuan::workbook::template().unwrap();
    let book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[0], "说明");
    for sheet in juesuan::workbook::schema::SHEETS {
        assert!(names.iter().any(|n| n == sheet.name), "{}", sheet.name);
    }
    let checked = check_workbook("blank.xlsx", &bytes);
    let required: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "X006")
        .map(|d| d.location.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        required,
        ["blank.xlsx:单位信息!B2", "blank.xlsx:单位信息!B4"]
    );
}

// ---- bad workbooks -------------------------------------------------------------------------

/// The example's template workbook as grids, to change one thing and write it again.
fn example_book(toml_path: &Path) -> Book {
    let text = std::fs::read_to_string(toml_path).unwrap();
    Book::read(&juesuan::workbook::from_toml("e.toml", &text).unwrap())
}

fn example() -> PathBuf {
    root().join("data/ebian-xinfang-2023.toml")
}

/// Asserts the workbook fails with `code` at `sheet!cell`, and never panics on the way.
fn assert_fails(bytes: &[u8], code: &str, at: Option<&str>) {
    let checked = check_workbook("bad.xlsx", bytes);
    let hit = checked.diagnostics.iter().find(|d| d.code == code);
    let Some(d) = hit else {
        panic!("expected {code}, got {:#?}", checked.diagnostics);
    };
    assert!(checked.bureau.is_none() || checked.diagnostics.has_errors());
    if let Some(at) = at {
        match &d.location {
            Some(Location::Cell { sheet, cell, .. }) => {
                assert_eq!(format!("{sheet}!{cell}"), at, "{d:#?}")
            }
            other => panic!("{code} should point at {at}, points at {other:?}"),
        }
    }
}

#[test]
fn not_an_xlsx_and_password_protected_are_unreadable() {
    for name in ["not-a-workbook.xlsx", "password.xlsx"] {
        let bytes = std::fs::read(root().join("tests/fixtures/workbook").join(name)).unwrap();
        assert_fails(&bytes, "X001", None);
    }
    let checked = juesuan::check_file(&root().join("tests/fixtures/workbook/password.xlsx"));
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.message.contains("密码"))
    );
}

#[test]
fn a_missing_sheet_is_named() {
    let mut book = example_book(&example());
    book.0.retain(|(n, _)| n != "工作量");
    assert_fails(&book.write(|_, _| {}), "X002", Some("工作量!A1"));
}

#[test]
fn a_renamed_header_and_an_extra_column_are_errors() {
    let mut book = example_book(&example());
    book.set("功能分类支出", 0, 3, Data::String("基本经费".into()));
    assert_fails(&book.write(|_, _| {}), "X003", Some("功能分类支出!D1"));

    let mut book = example_book(&example());
    book.set("收入", 0, 3, Data::String("备注".into()));
    assert_fails(&book.write(|_, _| {}), "X003", Some("收入!D1"));

    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "事业收入");
    book.set(
        "收入",
        row,
        0,
        Data::String("事业收入（含财政补助）".into()),
    );
    assert_fails(
        &book.write(|_, _| {}),
        "X003",
        Some(&format!("收入!A{}", row + 1)),
    );
}

#[test]
fn text_in_a_money_cell_is_an_error_naming_the_cell() {
    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "一般公共预算财政拨款收入");
    book.set("收入", row, 1, Data::String("二百七十一万".into()));
    assert_fails(
        &book.write(|_, _| {}),
        "X004",
        Some(&format!("收入!B{}", row + 1)),
    );
}

#[test]
fn a_percent_formatted_amount_is_an_error() {
    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "一般公共预算财政拨款收入") as u32;
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            let percent = CellFormat::new().set_num_format("0.00%");
            ws.write_number_with_format(row, 1, 2.7146, &percent)
                .unwrap();
        }
    });
    assert_fails(&bytes, "X004", Some(&format!("收入!B{}", row + 1)));
}

#[test]
fn more_than_two_decimals_is_never_rounded() {
    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "一般公共预算财政拨款收入");
    book.set("收入", row, 1, Data::Float(271.456));
    assert_fails(
        &book.write(|_, _| {}),
        "E004",
        Some(&format!("收入!B{}", row + 1)),
    );
}

#[test]
fn a_formula_uses_its_cached_value_and_one_without_is_an_error() {
    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "一般公共预算财政拨款收入") as u32;
    // 271 + 0.46 computed by Excel is 271.46000000000004 in f64; it reads as 271.46.
    let cached = book.write(|name, ws| {
        if name == "收入" {
            ws.write_formula(
                row,
                1,
                Formula::new("=271+0.46").set_result("271.46000000000004"),
            )
            .unwrap();
        }
    });
    let checked = check_workbook("cached.xlsx", &cached);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    assert_eq!(
        checked
            .bureau
            .unwrap()
            .income
            .general_budget
            .value
            .to_string(),
        "271.46"
    );

    // Our writer always stores a result; a formula with none (as some tools save it) is a
    // fixture made from the example's workbook by dropping 收入!B2's <v>.
    let uncached =
        std::fs::read(root().join("tests/fixtures/workbook/formula-without-value.xlsx")).unwrap();
    assert_fails(&uncached, "X005", Some("收入!B2"));
}

#[test]
fn an_empty_required_cell_is_named() {
    let mut book = example_book(&example());
    book.set("功能分类支出", 1, 1, Data::Empty);
    assert_fails(&book.write(|_, _| {}), "X006", Some("功能分类支出!B2"));
}

#[test]
fn a_merged_title_applies_to_the_rows_it_covers() {
    let mut book = example_book(&example());
    // The first two tasks become one, its title merged over both rows (A3 left empty).
    book.set("重点工作", 2, 0, Data::Empty);
    let title = match &book.grid("重点工作")[1][0] {
        Data::String(s) => s.clone(),
        other => panic!("{other:?}"),
    };
    let bytes = book.write(|name, ws| {
        if name == "重点工作" {
            ws.merge_range(1, 0, 2, 0, &title, &CellFormat::new())
                .unwrap();
        }
    });
    let checked = check_workbook("merged.xlsx", &bytes);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let tasks = checked.bureau.unwrap().overview.key_tasks;
    assert_eq!(tasks.len(), 5);
    assert_eq!(tasks[0].title.value, title);
    assert_eq!(tasks[0].paragraphs.len(), 2);
}

#[test]
fn an_indicator_of_an_unknown_project_is_named() {
    let mut book = example_book(&root().join("tests/fixtures/rules/R027/pass.toml"));
    book.set("绩效指标", 1, 0, Data::String("不存在的项目".into()));
    assert_fails(&book.write(|_, _| {}), "X007", Some("绩效指标!A2"));
}

#[test]
fn rule_diagnostics_point_at_cells() {
    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "核对：本年收入合计");
    book.set("收入", row, 1, Data::Float(305.0));
    let checked = check_workbook("r001.xlsx", &book.write(|_, _| {}));
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "R001")
        .unwrap();
    assert_eq!(
        d.location.as_ref().unwrap().to_string(),
        format!("r001.xlsx:收入!B{}", row + 1)
    );
    assert!(
        d.related
            .iter()
            .any(|r| r.location.to_string() == "r001.xlsx:收入!B2"),
        "{d:#?}"
    );
}

/// Bytes of an .xls, an .ods and an .xlsx flipped here and there (a deterministic stand-in for the
/// fuzz target): every one is read or refused, none panics.
#[test]
fn mutated_workbooks_never_panic() {
    let dir = root().join("tests/fixtures/workbook");
    let book = example_book(&example());
    let inputs = [
        std::fs::read(dir.join("legacy.xls")).unwrap(),
        ods_of(&book),
        std::fs::read(dir.join("far-cell.xlsx")).unwrap(),
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for input in &inputs {
        for _ in 0..150 {
            let mut bytes = input.clone();
            for _ in 0..1 + next() % 8 {
                let i = (next() % bytes.len() as u64) as usize;
                bytes[i] = next() as u8;
            }
            let _ = check_workbook("mutated", &bytes);
        }
    }
}

#[test]
fn garbage_never_panics() {
    let bytes = juesuan::workbook::template().unwrap();
    for cut in (0..bytes.len()).step_by(997) {
        let _ = check_workbook("cut.xlsx", &bytes[..cut]);
    }
}

// ---- workbooks as staff have them (issue 10) -------------------------------------------------

/// The diagnostics of `code`, as `sheet!cell` (or "" when they name only the file).
fn cells_of(checked: &juesuan::Checked, code: &str) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| match &d.location {
            Some(Location::Cell { sheet, cell, .. }) => format!("{sheet}!{cell}"),
            _ => String::new(),
        })
        .collect()
}

fn message_of(checked: &juesuan::Checked, code: &str) -> String {
    checked
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .map(|d| format!("{} {}", d.message, d.hints.join(" ")))
        .unwrap_or_else(|| panic!("no {code}: {:#?}", checked.diagnostics))
}

/// A file under the system's temp folder, unique to this test process.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-workbook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A zip of (name, bytes) parts, deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(bytes.len() > u32::MAX as usize / 2);
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The regression of issue 10: one value at XFD1048576 made calamine allocate rows × columns
/// (549 GB) and abort. It is X008 at that cell now, and the test finishes at once.
#[test]
fn a_value_at_the_last_cell_is_refused_without_allocating() {
    let book = example_book(&example());
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            ws.write_string(1_048_575, 16_383, "x").unwrap();
        }
    });
    assert!(bytes.len() < 100_000);
    let checked = check_workbook("far.xlsx", &bytes);
    assert_eq!(cells_of(&checked, "X008"), ["收入!XFD1048576"]);
    let message = message_of(&checked, "X008");
    assert!(
        message.contains("10000 行") && message.contains("200 列"),
        "{message}"
    );

    // The same with nothing else in the workbook: no sheet is read densely.
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_number(1_048_575, 16_383, 1.0)
        .unwrap();
    let checked = check_workbook("far.xlsx", &wb.save_to_buffer().unwrap());
    assert_eq!(cells_of(&checked, "X008"), ["说明!XFD1048576"]);

    // Just past the column limit is refused; a formatted but empty far cell is not content.
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            ws.write_number(1, 200, 1.0).unwrap();
        }
    });
    assert_eq!(
        cells_of(&check_workbook("wide.xlsx", &bytes), "X008"),
        ["收入!GS2"]
    );
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            ws.write_blank(1_048_575, 16_383, &CellFormat::new().set_bold())
                .unwrap();
        }
    });
    let checked = check_workbook("blank-far.xlsx", &bytes);
    assert!(cells_of(&checked, "X008").is_empty());
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
}

/// The 1.6 KB file of the issue (its `<dimension>` claims A1:XFD1048576 too), from disk: the
/// command line reports X008 there (peak RSS ~10 MB; the code before this aborted, exit 134).
#[test]
fn the_committed_far_cell_workbook_is_refused() {
    let checked = juesuan::check_file(&root().join("tests/fixtures/workbook/far-cell.xlsx"));
    assert_eq!(cells_of(&checked, "X008"), ["收入!XFD1048576"]);
}

#[test]
fn too_many_sheets_and_a_zip_bomb_are_refused_before_reading() {
    let mut wb = Workbook::new();
    for i in 0..101 {
        wb.add_worksheet().set_name(format!("表{i}")).unwrap();
    }
    let checked = check_workbook("sheets.xlsx", &wb.save_to_buffer().unwrap());
    assert!(message_of(&checked, "X008").contains("101 张工作表"));

    // 65 MB of zeros deflate to ~64 KB: refused by its inflated size, whatever the zip claims.
    let template = juesuan::workbook::template().unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&template)).unwrap();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        parts.push((f.name().unwrap().to_string(), bytes));
    }
    let zeros = vec![b' '; 65 * 1024 * 1024];
    let mut with_bomb: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    with_bomb.push(("xl/media/bomb.bin", &zeros));
    let bomb = zip_of(&with_bomb);
    assert!(bomb.len() < 1_000_000, "{}", bomb.len());
    let checked = check_workbook("bomb.xlsx", &bomb);
    let message = message_of(&checked, "X008");
    assert!(message.contains("64 MB"), "{message}");

    // The same parts without the bomb read as the template does.
    let plain: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let checked = check_workbook("rezipped.xlsx", &zip_of(&plain));
    assert!(
        cells_of(&checked, "X001").is_empty(),
        "{:#?}",
        checked.diagnostics
    );
}

/// The parts of the blank template, with `edit` applied to each (name, text of an XML part).
fn template_edited(edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let template = juesuan::workbook::template().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&template)).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        let name = f.name().unwrap().to_string();
        let bytes = match String::from_utf8(bytes) {
            Ok(text) => edit(&name, text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        parts.push((name, bytes));
    }
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&parts)
}

/// Replaces the value of the first `attribute="…"` in `text` with `value`.
fn set_attribute(text: &str, attribute: &str, value: &str) -> String {
    let key = format!("{attribute}=\"");
    let start = text.find(&key).expect(attribute) + key.len();
    let end = start + text[start..].find('"').unwrap();
    format!("{}{value}{}", &text[..start], &text[end..])
}

/// Issue 20: a shared-strings table that states two billion strings made calamine reserve
/// 48 GB and abort (`check`, `build`, `import` and the web page alike). The stated count is
/// read before calamine sees the file: X008, naming the limit.
#[test]
fn a_declared_string_count_beyond_the_limit_is_refused_without_allocating() {
    let bytes = template_edited(|name, text| {
        if name == "xl/sharedStrings.xml" {
            set_attribute(&text, "uniqueCount", "2000000000")
        } else {
            text
        }
    });
    let checked = check_workbook("strings.xlsx", &bytes);
    let message = message_of(&checked, "X008");
    assert!(
        message.contains("2000000000") && message.contains("1000000"),
        "{message}"
    );
    // Through the file path too (what the command line reads).
    let checked = juesuan::check_file(&temp_file("strings.xlsx", &bytes));
    assert!(message_of(&checked, "X008").contains("uniqueCount"));
}

/// A shared formula's index is a table size for calamine, and a row number past u32 wrapped to
/// row 1 in its arithmetic: both are refused before it reads them.
#[test]
fn a_huge_shared_formula_index_or_a_wrapping_row_is_refused() {
    let formula = template_edited(|name, text| {
        if name == "xl/worksheets/sheet2.xml" && text.contains("<c r=\"A1\"") {
            text.replacen(
                "<c r=\"A1\"",
                "<c r=\"Z1\"><f t=\"shared\" si=\"4000000000\" ref=\"Z1:Z2\">1</f></c><c r=\"A1\"",
                1,
            )
        } else {
            text
        }
    });
    let message = message_of(&check_workbook("formula.xlsx", &formula), "X008");
    assert!(message.contains("si="), "{message}");
    let wrapping = template_edited(|name, text| {
        if name == "xl/worksheets/sheet2.xml" {
            text.replacen("r=\"1\"", "r=\"4294967297\"", 1).replacen(
                "<c r=\"A1\"",
                "<c r=\"A4294967297\"",
                1,
            )
        } else {
            text
        }
    });
    let message = message_of(&check_workbook("wrap.xlsx", &wrapping), "X008");
    assert!(message.contains("4294967297"), "{message}");
}

/// An OpenDocument spreadsheet of a book's grids (what WPS or LibreOffice saves as .ods).
fn ods_of(book: &Book) -> Vec<u8> {
    ods_with(book, "", "")
}

/// The same, with raw `<table:table-row>` XML appended to the table `sheet`.
fn ods_with(book: &Book, sheet: &str, extra_rows: &str) -> Vec<u8> {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for (name, grid) in &book.0 {
        xml += &format!(r#"<table:table table:name="{}">"#, escape(name));
        for row in grid {
            xml += "<table:table-row>";
            for cell in row {
                xml += &match cell {
                    Data::String(s) => format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        escape(s)
                    ),
                    Data::Float(x) => format!(
                        r#"<table:table-cell office:value-type="float" office:value="{x}"><text:p>{x}</text:p></table:table-cell>"#
                    ),
                    Data::Int(i) => format!(
                        r#"<table:table-cell office:value-type="float" office:value="{i}"><text:p>{i}</text:p></table:table-cell>"#
                    ),
                    Data::Bool(b) => format!(
                        r#"<table:table-cell office:value-type="boolean" office:boolean-value="{b}"><text:p>{b}</text:p></table:table-cell>"#
                    ),
                    Data::DateTime(d) => {
                        let (y, m, day, ..) = d.to_ymd_hms_milli();
                        format!(
                            r#"<table:table-cell office:value-type="date" office:date-value="{y:04}-{m:02}-{day:02}"><text:p>x</text:p></table:table-cell>"#
                        )
                    }
                    _ => "<table:table-cell/>".to_string(),
                };
            }
            xml += "</table:table-row>";
        }
        if name == sheet {
            xml += extra_rows;
        }
        xml += "</table:table>";
    }
    xml += "</office:spreadsheet></office:body></office:document-content>";
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
        ),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", xml.as_bytes()),
    ])
}

/// .ods (and .xlsm, and a workbook under any name) is read by content to the same facts as the
/// TOML it came from; the diagnostics still name sheets and cells.
#[test]
fn an_ods_and_an_xlsm_read_like_the_xlsx() {
    let text = std::fs::read_to_string(example()).unwrap();
    let mut book = example_book(&example());
    let ods = ods_of(&book);
    let back = juesuan::load::bytes("e.ods", &ods);
    assert!(!back.diagnostics.has_errors(), "{:#?}", back.diagnostics);
    assert_eq!(
        first_difference("", &toml_tree(&text), &toml_tree(&back.source.text)),
        None
    );
    let path = temp_file("本单位.ods", &ods);
    let checked = juesuan::check_file(&path);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );

    let row = row_of(&mut book, "收入", "一般公共预算财政拨款收入");
    book.set("收入", row, 1, Data::String("二百七十一万".into()));
    let checked = check_workbook("bad.ods", &ods_of(&book));
    assert_eq!(cells_of(&checked, "X004"), [format!("收入!B{}", row + 1)]);

    // An .xlsm is an .xlsx with room for macros (never run); a workbook named .toml is still one.
    let xlsx = std::fs::read(root().join("data/ebian-xinfang-2023.xlsx")).unwrap();
    for name in ["本单位.xlsm", "看错了扩展名.toml"] {
        let checked = juesuan::check_file(&temp_file(name, &xlsx));
        assert!(
            !checked.diagnostics.has_errors(),
            "{name}: {:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn other_files_are_refused_with_what_they_are() {
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", b"<w:document/>".as_slice()),
    ]);
    let checked = check_workbook("说明.docx", &docx);
    assert!(message_of(&checked, "X001").contains("Word 文档"));

    // A CFB file that is not an .xls (a WPS .et calamine cannot read, a .doc…).
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    let checked = check_workbook("本单位.et", &cfb);
    assert!(message_of(&checked, "X001").contains("请在 WPS 中另存为 .xlsx"));

    let checked = check_workbook("x.xlsx", &[0xFF, 0xFE, 0, 1, 2]);
    assert!(message_of(&checked, "X001").contains("既不是工作簿"));

    // Text named like a workbook is not parsed as TOML; TOML named .toml still is.
    let checked = juesuan::check_file(&temp_file("文本.xls", b"[bureau]\nname = 1\n"));
    assert!(message_of(&checked, "X001").contains("文本文件"));
    let checked = juesuan::check_file(&temp_file("input.toml", b"[bureau\n"));
    assert!(cells_of(&checked, "X001").is_empty());
    assert!(checked.diagnostics.iter().any(|d| d.code == "E002"));
}

#[test]
fn os_errors_are_chinese_and_name_the_path() {
    let missing = root().join("tests/fixtures/workbook/没有这个文件.xlsx");
    let checked = juesuan::check_file(&missing);
    let message = message_of(&checked, "E001");
    assert!(message.contains("文件不存在"), "{message}");
    assert!(message.contains("没有这个文件.xlsx"), "{message}");
    assert!(
        !message.is_ascii() && !message.contains("No such file"),
        "{message}"
    );
    let dir = root().join("tests/fixtures/workbook");
    let message = message_of(&juesuan::check_file(&dir), "E001");
    assert!(!message.contains("Is a directory"), "{message}");
}

#[test]
fn numbers_stored_as_text_are_read_with_a_note_and_units_are_refused() {
    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "一般公共预算财政拨款收入");
    let amount = match &book.grid("收入")[row][1] {
        Data::Float(x) => *x,
        other => panic!("{other:?}"),
    };
    // Full-width digits, a thousands separator and spaces, as exports leave them.
    let text = format!(" {} ", amount).replace('1', "１");
    book.set("收入", row, 1, Data::String(text));
    let checked = check_workbook("text.xlsx", &book.write(|_, _| {}));
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    assert_eq!(cells_of(&checked, "X009"), [format!("收入!B{}", row + 1)]);
    let note = &checked
        .diagnostics
        .iter()
        .find(|d| d.code == "X009")
        .unwrap();
    assert_eq!(note.severity, juesuan::diagnostic::Severity::Info);
    assert!(note.message.contains("文本格式的数字"), "{}", note.message);
    assert_eq!(
        checked
            .bureau
            .unwrap()
            .income
            .general_budget
            .value
            .to_string(),
        format!("{amount}")
    );

    book.set("收入", row, 1, Data::String("1,000".into()));
    let checked = check_workbook("thousands.xlsx", &book.write(|_, _| {}));
    assert_eq!(cells_of(&checked, "X009"), [format!("收入!B{}", row + 1)]);

    book.set("收入", row, 1, Data::String("12.5万元".into()));
    let checked = check_workbook("unit.xlsx", &book.write(|_, _| {}));
    assert_eq!(cells_of(&checked, "X004"), [format!("收入!B{}", row + 1)]);
    assert!(message_of(&checked, "X004").contains("文本格式的数字"));

    // A number cell is not a note.
    let checked = check_workbook("plain.xlsx", &example_book(&example()).write(|_, _| {}));
    assert!(cells_of(&checked, "X009").is_empty());
}

#[test]
fn a_merged_amount_across_rows_is_an_error() {
    let mut book = example_book(&example());
    let grid = book.grid("功能分类支出");
    // 基本支出 (D) of a row followed by another row.
    let (row, amount) = (1..grid.len() - 1)
        .find_map(|r| match grid[r].get(3) {
            Some(Data::Float(x)) => Some((r, *x)),
            _ => None,
        })
        .unwrap();
    let bytes = book.write(|name, ws| {
        if name == "功能分类支出" {
            let r = row as u32;
            ws.merge_range(r, 3, r + 1, 3, "", &CellFormat::new())
                .unwrap();
            ws.write_number(r, 3, amount).unwrap();
        }
    });
    let checked = check_workbook("merged.xlsx", &bytes);
    assert_eq!(
        cells_of(&checked, "X011"),
        [format!("功能分类支出!D{}", row + 1)]
    );
    assert!(message_of(&checked, "X011").contains(&format!("D{}:D{}", row + 1, row + 2)));
    // Merged across columns within one row, or a merged title (a_merged_title_… above), is fine.
    let checked = check_workbook("example.xlsx", &book.write(|_, _| {}));
    assert!(cells_of(&checked, "X011").is_empty());
}

#[test]
fn a_column_with_data_but_no_header_is_an_error() {
    let mut book = example_book(&example());
    let width = book.grid("功能分类支出")[0].len();
    book.set("功能分类支出", 2, width + 1, Data::Float(12.0));
    let checked = check_workbook("headerless.xlsx", &book.write(|_, _| {}));
    let col = rust_xlsxwriter::utility::column_number_to_name((width + 1) as u16);
    assert_eq!(cells_of(&checked, "X003"), [format!("功能分类支出!{col}3")]);
    assert!(message_of(&checked, "X003").contains("没有表头"));
}

/// The 说明 sheet's “模板版本 N” (A4).
fn version_row(book: &mut Book) -> usize {
    book.grid("说明")
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s.starts_with("模板版本")))
        .expect("the template states its version")
}

#[test]
fn the_template_states_its_version_and_older_ones_are_migrated_or_explained() {
    let mut book = example_book(&example());
    let row = version_row(&mut book);
    assert_eq!(
        book.grid("说明")[row][0],
        Data::String(format!("模板版本 {}", juesuan::workbook::TEMPLATE_VERSION))
    );

    // A newer template is refused with the version found.
    let newer = juesuan::workbook::TEMPLATE_VERSION + 1;
    book.set("说明", row, 0, Data::String(format!("模板版本 {newer}")));
    let checked = check_workbook("newer.xlsx", &book.write(|_, _| {}));
    assert_eq!(cells_of(&checked, "X010"), [format!("说明!A{}", row + 1)]);
    assert!(message_of(&checked, "X010").contains(&format!("第 {newer} 版")));

    // Version 1 (no marker) lacked the optional trailing columns added since: read as empty.
    let mut old = example_book(&root().join("tests/fixtures/rules/R027/pass.toml"));
    old.0.retain(|(n, _)| n != "说明");
    let sheet = "绩效指标";
    let width = old.grid(sheet)[0].len();
    for r in old.grid(sheet).iter_mut() {
        r.truncate(width - 2);
    }
    let checked = check_workbook("v1.xlsx", &old.write(|_, _| {}));
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );

    // The same columns missing from a current workbook are an error.
    let mut current = example_book(&root().join("tests/fixtures/rules/R027/pass.toml"));
    for r in current.grid(sheet).iter_mut() {
        r.truncate(width - 2);
    }
    let checked = check_workbook("v2.xlsx", &current.write(|_, _| {}));
    assert!(!cells_of(&checked, "X003").is_empty());
    assert!(cells_of(&checked, "X010").is_empty());

    // A renamed header in a version 1 workbook: X003 at the cell, and X010 saying how to upgrade.
    let mut old = example_book(&example());
    old.0.retain(|(n, _)| n != "说明");
    old.set("功能分类支出", 0, 3, Data::String("基本经费".into()));
    let checked = check_workbook("v1.xlsx", &old.write(|_, _| {}));
    assert_eq!(cells_of(&checked, "X003"), ["功能分类支出!D1"]);
    let message = message_of(&checked, "X010");
    assert!(
        message.contains("第 1 版") && message.contains("juesuan init --xlsx"),
        "{message}"
    );
}

#[test]
fn the_totals_policy_round_trips_through_a_workbook() {
    let text = std::fs::read_to_string(example()).unwrap().replacen(
        "[bureau]\n",
        "[bureau]\ntotals = \"parts\"\n",
        1,
    );
    assert!(text.contains("totals = \"parts\""));
    let bytes = juesuan::workbook::from_toml("t.toml", &text).unwrap();
    let back = juesuan::load::bytes("t.xlsx", &bytes);
    assert!(!back.diagnostics.has_errors(), "{:#?}", back.diagnostics);
    assert!(
        back.source.text.contains("totals = \"parts\""),
        "{}",
        back.source.text
    );
    assert_eq!(
        first_difference("", &toml_tree(&text), &toml_tree(&back.source.text)),
        None
    );
    let mut book = example_book(&example());
    let row = row_of(&mut book, "单位信息", "合计打印口径");
    book.set("单位信息", row, 1, Data::String("按心情".into()));
    let checked = check_workbook("t.xlsx", &book.write(|_, _| {}));
    assert_eq!(
        cells_of(&checked, "X004"),
        [format!("单位信息!B{}", row + 1)]
    );
}

/// An .xls as staff keep them (made with Python's xlwt from `legacy-xls.toml`'s workbook) reads
/// to the same facts.
#[test]
fn an_xls_reads_like_the_xlsx() {
    let dir = root().join("tests/fixtures/workbook");
    let text = std::fs::read_to_string(dir.join("legacy-xls.toml")).unwrap();
    let back = juesuan::load::bytes(
        "legacy.xls",
        &std::fs::read(dir.join("legacy.xls")).unwrap(),
    );
    assert!(!back.diagnostics.has_errors(), "{:#?}", back.diagnostics);
    assert_eq!(
        first_difference("", &toml_tree(&text), &toml_tree(&back.source.text)),
        None
    );
}

/// .xls and .ods are parsed by calamine as a whole when opened (dense grids, a DIMENSIONS record
/// with a u32 row count, repeated rows and columns), so they are measured before that.
#[test]
fn a_far_xls_or_ods_is_refused_before_calamine_parses_it() {
    let dir = root().join("tests/fixtures/workbook");
    let checked = juesuan::check_file(&dir.join("far-cell.xls"));
    assert_eq!(cells_of(&checked, "X008"), ["收入!IV65536"]);

    // A sheet's DIMENSIONS record claiming 4 294 967 295 rows (calamine reserved them all).
    let mut xls = std::fs::read(dir.join("legacy.xls")).unwrap();
    let at = xls
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .unwrap();
    xls[at + 8..at + 12].copy_from_slice(&[0xFF; 4]);
    let checked = check_workbook("dims.xls", &xls);
    assert_eq!(
        cells_of(&checked, "X008").len(),
        1,
        "{:#?}",
        checked.diagnostics
    );

    // One value repeated over 6000 rows × 16384 columns of an .ods: 98 million cells (3 GB in
    // calamine, just under its own cap) from 300 bytes.
    let book = example_book(&example());
    let bomb = r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>"#;
    let checked = check_workbook("bomb.ods", &ods_with(&book, "收入", bomb));
    assert_eq!(
        cells_of(&checked, "X008").len(),
        1,
        "{:#?}",
        checked.diagnostics
    );
    assert!(message_of(&checked, "X008").contains("收入"));

    // Empty rows and cells repeated to the sheet's end, as LibreOffice saves, are fine.
    let empty = r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
    let checked = check_workbook("libreoffice.ods", &ods_with(&book, "收入", empty));
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
}

#[test]
fn hidden_rows_are_read_and_named() {
    let mut book = example_book(&example());
    let row = row_of(&mut book, "收入", "事业收入");
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            ws.set_row_hidden(row as u32).unwrap();
            // A hidden empty row is not worth a note.
            ws.set_row_hidden(400).unwrap();
        }
    });
    let checked = check_workbook("hidden.xlsx", &bytes);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    assert_eq!(cells_of(&checked, "X012"), [format!("收入!A{}", row + 1)]);
    let note = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "X012")
        .unwrap();
    assert_eq!(note.severity, juesuan::diagnostic::Severity::Info);
    assert!(
        note.message.contains(&format!("第 {} 行", row + 1)),
        "{}",
        note.message
    );

    let checked = check_workbook("shown.xlsx", &book.write(|_, _| {}));
    assert!(cells_of(&checked, "X012").is_empty());
}

/// One long string shown in many cells is stored once in the file but copied into every cell
/// when read: the text of a sheet is limited (X008), in every format.
#[test]
fn a_long_text_repeated_in_many_cells_is_refused() {
    let long = "长".repeat(30_000);
    let book = example_book(&example());
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            for row in 1..101 {
                ws.write_string(row, 2, &long).unwrap();
            }
        }
    });
    assert!(bytes.len() < 1_000_000, "{}", bytes.len());
    let checked = check_workbook("long.xlsx", &bytes);
    assert_eq!(cells_of(&checked, "X008"), ["收入!A1"]);
    assert!(message_of(&checked, "X008").contains("8 MB"));

    let repeated = format!(
        r#"<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="100"><text:p>{long}</text:p></table:table-cell></table:table-row>"#
    );
    let checked = check_workbook("long.ods", &ods_with(&book, "收入", &repeated));
    assert_eq!(cells_of(&checked, "X008"), ["收入!A1"]);

    // Made with xlwt: 100 cells showing one 30 000-character shared string.
    let xls = std::fs::read(root().join("tests/fixtures/workbook/long-text.xls")).unwrap();
    let checked = check_workbook("long-text.xls", &xls);
    assert_eq!(cells_of(&checked, "X008"), ["收入!A1"]);

    // The same string in one cell is fine as far as the limits go.
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            ws.write_string(1, 2, &long).unwrap();
        }
    });
    assert!(cells_of(&check_workbook("one.xlsx", &bytes), "X008").is_empty());
}

/// Every cell looks its merged area up, so their number is limited too (X008).
#[test]
fn too_many_merged_areas_are_refused() {
    let book = example_book(&example());
    let merged = |n: u32| {
        book.write(move |name, ws| {
            if name == "重点工作" {
                for i in 0..n {
                    ws.merge_range(100 + i, 3, 100 + i, 4, "", &CellFormat::new())
                        .unwrap();
                }
            }
        })
    };
    let checked = check_workbook("merged.xlsx", &merged(1_001));
    assert_eq!(cells_of(&checked, "X008"), ["重点工作!A1"]);
    assert!(message_of(&checked, "X008").contains("合并单元格"));
    let checked = check_workbook("merged.xlsx", &merged(10));
    assert!(
        cells_of(&checked, "X008").is_empty(),
        "{:#?}",
        checked.diagnostics
    );
}

/// Every input the fuzzers ever crashed on (`fuzz/crashes/`) now reads to diagnostics.
#[test]
fn fuzz_crash_inputs_are_read_without_a_panic() {
    let dir = root().join("fuzz/crashes");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let loaded = std::panic::catch_unwind(|| juesuan::load::bytes(&name, &bytes));
        assert!(loaded.is_ok(), "{} panicked", path.display());
        let checked = juesuan::check_loaded(loaded.unwrap());
        assert!(
            !checked.diagnostics.is_empty(),
            "{}: no finding",
            path.display()
        );
        n += 1;
    }
    assert!(n > 0, "no crash inputs in {}", dir.display());
}

/// A version 2 workbook has none of the sheets versions 3 and 4 added: they read as empty.
#[test]
fn sheets_added_in_a_later_version_may_be_absent_from_an_older_workbook() {
    let mut book = example_book(&example());
    let row = version_row(&mut book);
    book.0.retain(|(n, _)| {
        !juesuan::workbook::schema::ADDED_SHEETS
            .iter()
            .any(|(a, _)| a == n)
    });
    book.set("说明", row, 0, Data::String("模板版本 2".into()));
    let checked = check_workbook("v2.xlsx", &book.write(|_, _| {}));
    // Without its 人员概况 rows (sheet of version 4) the example's declared 编外 total no longer
    // adds up (R040); nothing else is found.
    let others: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() != "R040")
        .collect();
    assert!(others.is_empty(), "{:#?}", checked.diagnostics);
    // In a current workbook they are required like every other sheet.
    book.set(
        "说明",
        row,
        0,
        Data::String(format!("模板版本 {}", juesuan::workbook::TEMPLATE_VERSION)),
    );
    let checked = check_workbook("v3.xlsx", &book.write(|_, _| {}));
    assert_eq!(
        cells_of(&checked, "X002").len(),
        juesuan::workbook::schema::ADDED_SHEETS.len(),
        "{:#?}",
        checked.diagnostics
    );
}

/// The real Putuo package, with its declared 类 rows and 经济分类 类 totals, round-trips
/// through a workbook.
#[test]
fn declared_class_rows_round_trip_through_a_workbook() {
    let path = root().join("tests/fixtures/real/putuo-caizheng-2024.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let bytes = juesuan::workbook::from_toml("putuo.toml", &text).unwrap();
    let checked = check_workbook("putuo.xlsx", &bytes);
    let codes: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity != juesuan::diagnostic::Severity::Info)
        .map(|d| d.code.to_string())
        .collect();
    assert_eq!(codes, ["R023"]);
    let infos = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "R009" || d.code == "R037")
        .count();
    assert_eq!(infos, 7, "{:#?}", checked.diagnostics);
}
