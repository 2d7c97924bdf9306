//! Excel 工作簿输入：与 TOML 等价（同样的输出字节），坏工作簿给出带“工作表!单元格”的诊断而不崩溃。
//!
//! Bad workbooks are made from the example's workbook by changing one thing (a renamed header, a
//! percent-formatted amount, a formula without a cached value…); the two that our writer cannot
//! make — a text file named .xlsx and a password-protected workbook — are fixture files in
//! `tests/fixtures/workbook/`.

mod common;

use common::{bundled, root};

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use juesuan::cmd::convert::first_difference;
use juesuan::diagnostic::Location;
use juesuan::render::{self, Format, Timings};
use rust_xlsxwriter::{Format as CellFormat, Formula, Workbook, Worksheet};

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
    let loaded = juesuan::workbook::load_bytes(name, bytes);
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
        let read_back = juesuan::workbook::load_bytes("x.xlsx", &bytes);
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
        let back = juesuan::workbook::load_bytes("pass.xlsx", &bytes);
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

/// A workbook as grids of values, sheet by sheet, to change one thing and write it again.
struct Book(Vec<(String, Vec<Vec<Data>>)>);

fn example_book(toml_path: &Path) -> Book {
    let text = std::fs::read_to_string(toml_path).unwrap();
    let bytes = juesuan::workbook::from_toml("e.toml", &text).unwrap();
    let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheets = xlsx
        .sheet_names()
        .into_iter()
        .map(|name| {
            let range = xlsx.worksheet_range(&name).unwrap();
            let grid = range.rows().map(|r| r.to_vec()).collect();
            (name, grid)
        })
        .collect();
    Book(sheets)
}

impl Book {
    fn grid(&mut self, sheet: &str) -> &mut Vec<Vec<Data>> {
        &mut self.0.iter_mut().find(|(n, _)| n == sheet).unwrap().1
    }

    fn set(&mut self, sheet: &str, row: usize, col: usize, value: Data) {
        let grid = self.grid(sheet);
        while grid.len() <= row {
            grid.push(Vec::new());
        }
        while grid[row].len() <= col {
            grid[row].push(Data::Empty);
        }
        grid[row][col] = value;
    }

    /// Writes the grids; `special` then overwrites cells that need a format, a formula or a merge.
    fn write(&self, special: impl Fn(&str, &mut Worksheet)) -> Vec<u8> {
        let mut wb = Workbook::new();
        for (name, grid) in &self.0 {
            let ws = wb.add_worksheet();
            ws.set_name(name).unwrap();
            for (r, row) in grid.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match cell {
                        Data::String(s) => {
                            ws.write_string(r, c, s).unwrap();
                        }
                        Data::Float(x) => {
                            ws.write_number(r, c, *x).unwrap();
                        }
                        Data::Int(i) => {
                            ws.write_number(r, c, *i as f64).unwrap();
                        }
                        Data::Bool(b) => {
                            ws.write_boolean(r, c, *b).unwrap();
                        }
                        Data::DateTime(d) => {
                            ws.write_number_with_format(
                                r,
                                c,
                                d.as_f64(),
                                &CellFormat::new().set_num_format("yyyy-mm-dd"),
                            )
                            .unwrap();
                        }
                        _ => {}
                    }
                }
            }
            special(name, ws);
        }
        wb.save_to_buffer().unwrap()
    }
}

fn example() -> PathBuf {
    root().join("data/ebian-xinfang-2023.toml")
}

/// The row of a 项目 | 值 sheet whose 项目 is `label`.
fn row_of(book: &mut Book, sheet: &str, label: &str) -> usize {
    book.grid(sheet)
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == label))
        .unwrap()
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

#[test]
fn garbage_never_panics() {
    let bytes = juesuan::workbook::template().unwrap();
    for cut in (0..bytes.len()).step_by(997) {
        let _ = check_workbook("cut.xlsx", &bytes[..cut]);
    }
}
