//! Issue 20, the remainder: what was accepted without a word (a publish date in 1900, two
//! projects of one name, a missing unit on amounts in 元, hidden sheets and columns, a 公开表 in
//! 千元), merged amounts that gave a cascade of sum errors, parser messages in English, and
//! full-width digits and impossible dates (issue 24 point 5). Each case failed on the main before.

mod common;

use std::path::{Path, PathBuf};

use calamine::Data;
use common::book::{Book, row_of};
use common::root;
use juesuan::diagnostic::{Location, Severity};
use rust_xlsxwriter::Format as CellFormat;

fn example_text() -> String {
    std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap()
}

fn codes_of(checked: &juesuan::Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect()
}

fn found<'a>(
    checked: &'a juesuan::Checked,
    code: &str,
) -> Vec<&'a juesuan::diagnostic::Diagnostic> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

fn place(d: &juesuan::diagnostic::Diagnostic) -> String {
    match &d.location {
        Some(Location::Cell { sheet, cell, .. }) => format!("{sheet}!{cell}"),
        Some(l) => l.to_string(),
        None => String::new(),
    }
}

/// The example with `publish_date` set (it is a comment there).
fn with_publish_date(date: &str) -> String {
    example_text().replace(
        "# publish_date = 2024-09-01",
        &format!("publish_date = {date}"),
    )
}

#[test]
fn a_publish_date_far_from_the_year_is_an_error_at_its_place() {
    for date in ["1900-01-01", "9999-12-31", "2022-12-31", "2029-01-01"] {
        let checked = juesuan::check_text("d.toml", &with_publish_date(date));
        let e005 = found(&checked, "E005");
        assert_eq!(e005.len(), 1, "{date}: {:#?}", checked.diagnostics);
        assert!(
            e005[0].message.contains(date) && e005[0].message.contains("2023–2028"),
            "{}",
            e005[0].message
        );
        assert!(
            place(e005[0]).starts_with("d.toml:21:16"),
            "{}",
            place(e005[0])
        );
    }
    for date in ["2023-12-31", "2024-09-01", "2028-06-30"] {
        let checked = juesuan::check_text("d.toml", &with_publish_date(date));
        assert!(
            checked.diagnostics.is_empty(),
            "{date}: {:#?}",
            checked.diagnostics
        );
    }
}

#[test]
fn an_impossible_date_is_an_error_in_chinese() {
    let checked = juesuan::check_text("d.toml", &with_publish_date("2024-02-31"));
    let e002 = found(&checked, "E002");
    assert_eq!(e002.len(), 1, "{:#?}", checked.diagnostics);
    assert!(
        e002[0].message.contains("日期不存在") && e002[0].message.contains("01–29"),
        "{}",
        e002[0].message
    );
    assert!(juesuan::calendar::is_date(2024, 2, 29));
    assert!(!juesuan::calendar::is_date(2023, 2, 29));
}

#[test]
fn full_width_digits_in_a_quoted_amount_read_as_the_number() {
    let text = example_text();
    for typed in [
        "\"２１７.５１\"",
        "\"２１７．５１\"",
        "\"\u{3000}２１７.５１\"",
    ] {
        let changed = text.replacen("basic = 217.51", &format!("basic = {typed}"), 1);
        assert_ne!(changed, text);
        let checked = juesuan::check_text("w.toml", &changed);
        assert!(
            checked.diagnostics.is_empty(),
            "{typed}: {:#?}",
            checked.diagnostics
        );
    }
    // A unit after the digits is still not a number, and the message quotes what was typed.
    let changed = text.replacen("basic = 217.51", "basic = \"２１７.５１万\"", 1);
    let checked = juesuan::check_text("w.toml", &changed);
    assert!(found(&checked, "E004")[0].message.contains("２１７.５１万"));
}

#[test]
fn the_toml_parser_speaks_chinese_with_the_place() {
    let cases = [
        ("name = 信访局", "文字须加英文双引号"),
        ("x = \"abc", "缺少结尾的英文双引号"),
        ("x = 1.2.3", "小数写法有误"),
        ("x = [1, 2", "列表缺少结尾的 ]"),
        ("[bureau", "表头缺少结尾的 ]"),
        ("x = 1\nx = 2", "写了两次"),
        ("x = tru", "true 或 false"),
        ("a b = 1", "字段后缺少 ="),
        ("x = {a = 1", "缺少结尾的 }"),
        ("x = \"\\q\"", "反斜杠"),
        ("x = 01", "不能以 0 开头"),
        ("x = 1e", "科学计数法"),
        ("x = 1__0", "_ 只能写在两个数字之间"),
        ("x = 2024-13-01", "月应在 01–12 之间"),
        ("x = 25:99:00", "时应在 00–23 之间"),
        ("x = '''a", "多行文字"),
    ];
    for (text, words) in cases {
        let checked = juesuan::check_text("p.toml", text);
        let e002 = found(&checked, "E002");
        assert_eq!(e002.len(), 1, "{text}: {:#?}", checked.diagnostics);
        let message = &e002[0].message;
        assert!(message.contains(words), "{text}: {message}");
        assert!(
            !message.contains("expected") && !message.contains("invalid"),
            "{text}: {message}"
        );
        assert!(place(e002[0]).starts_with("p.toml:"), "{text}: no place");
    }
}

#[test]
fn a_toml_without_unit_whose_amounts_look_like_yuan_is_warned_at_the_largest() {
    // The 2022 example is in 元: without its unit line every amount would read 10,000 times
    // too large, silently.
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2022.toml")).unwrap();
    let unitless = text.replace("unit = \"元\"\n", "");
    assert_ne!(unitless, text);
    let checked = juesuan::check_text("y.toml", &unitless);
    let e008 = found(&checked, "E008");
    assert_eq!(e008.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(e008[0].severity, Severity::Warning);
    assert!(e008[0].message.contains("按万元"), "{}", e008[0].message);
    assert!(e008[0].hints.iter().any(|h| h.contains("unit = \"元\"")));
    // With the unit, and for every example in 万元 (stated or not), nothing is said.
    assert!(found(&juesuan::check_text("y.toml", &text), "E008").is_empty());
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml" || e == "xlsx") {
            let checked = juesuan::check_file(&path);
            assert!(found(&checked, "E008").is_empty(), "{}", path.display());
        }
    }
}

// ---- workbooks ----

/// The template workbook of the example.
fn template_book() -> Book {
    let bytes = juesuan::workbook::from_toml("e.toml", &example_text()).unwrap();
    Book::read(&bytes)
}

fn check_workbook(name: &str, bytes: &[u8]) -> juesuan::Checked {
    juesuan::check_loaded(juesuan::load::bytes(name, bytes))
}

#[test]
fn a_merged_value_in_a_key_value_sheet_is_one_x011_not_a_cascade() {
    let mut book = template_book();
    let row = row_of(&mut book, "收入", "一般公共预算财政拨款收入") as u32;
    let plain = book.write(|_, _| {});
    assert!(check_workbook("plain.xlsx", &plain).diagnostics.is_empty());
    let bytes = book.write(|name, ws| {
        if name == "收入" {
            ws.merge_range(row, 1, row + 1, 1, "", &CellFormat::new())
                .unwrap();
            ws.write_number(row, 1, 271.46).unwrap();
        }
    });
    let checked = check_workbook("merged.xlsx", &bytes);
    assert_eq!(codes_of(&checked), ["X011"], "{:#?}", checked.diagnostics);
    assert_eq!(
        place(&checked.diagnostics.0[0]),
        format!("收入!B{}", row + 1)
    );
}

#[test]
fn a_date_that_does_not_exist_is_refused_at_its_cell() {
    let mut book = template_book();
    let row = row_of(&mut book, "单位信息", "发布日期");
    for (typed, ok) in [
        ("2024-02-31", false),
        ("２０２４-０９-０１", true),
        ("2024-02-29", true),
    ] {
        book.grid("单位信息")[row][1] = Data::String(typed.to_string());
        let checked = check_workbook("date.xlsx", &book.write(|_, _| {}));
        if ok {
            assert!(
                checked.diagnostics.is_empty(),
                "{typed}: {:#?}",
                checked.diagnostics
            );
        } else {
            let x004 = found(&checked, "X004");
            assert_eq!(x004.len(), 1, "{typed}: {:#?}", checked.diagnostics);
            assert_eq!(place(x004[0]), format!("单位信息!B{}", row + 1));
        }
    }
}

#[test]
fn hidden_sheets_and_columns_are_read_and_noted() {
    let book = template_book();
    let plain = check_workbook("plain.xlsx", &book.write(|_, _| {}));
    let bytes = book.write(|name, ws| match name {
        "收入" => {
            ws.set_hidden(true);
        }
        "支出" => {
            ws.set_very_hidden(true);
        }
        "功能分类支出" => {
            ws.set_column_hidden(3).unwrap();
        }
        _ => {}
    });
    let checked = check_workbook("hidden.xlsx", &bytes);
    let x013 = found(&checked, "X013");
    let places: Vec<String> = x013.iter().map(|d| place(d)).collect();
    assert_eq!(x013.len(), 3, "{places:?}");
    assert!(places.contains(&"收入!A1".to_string()), "{places:?}");
    assert!(places.contains(&"支出!A1".to_string()), "{places:?}");
    assert!(
        places.iter().any(|p| p.starts_with("功能分类支出!D")),
        "{places:?}"
    );
    assert!(x013.iter().all(|d| d.severity == Severity::Info));
    assert!(x013.iter().any(|d| d.message.contains("深度隐藏")));
    // Read as usual: the same outputs as the plain workbook.
    assert_eq!(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code != "X013")
            .count(),
        plain.diagnostics.iter().count()
    );
    assert_eq!(markdown(checked), markdown(plain));
}

fn markdown(checked: juesuan::Checked) -> Vec<u8> {
    use juesuan::render::{self, Format, Timings};
    let bureau = checked.bureau.expect("builds");
    render::build(
        &bureau,
        &[Format::Md],
        &common::bundled(),
        &mut Timings::default(),
    )
    .unwrap()
    .remove(0)
    .bytes
}

// ---- 公开表 (import) ----

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-hardening-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The 公开表 workbook `build --format xlsx` writes for the example.
fn published_tables(dir: &Path) -> Vec<u8> {
    let input = root().join("data/ebian-xinfang-2023.toml");
    let (code, _, err) = common::juesuan(&[
        "build",
        input.to_str().unwrap(),
        "--format",
        "xlsx",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::read(dir.join("ebian-xinfang-2023.公开表.xlsx")).unwrap()
}

fn import(bytes: &[u8]) -> juesuan::import::Imported {
    juesuan::import::read("公开表.xlsx", juesuan::workbook::open::Format::Xlsx, bytes)
        .expect("tables found")
}

fn import_codes(imported: &juesuan::import::Imported) -> Vec<(String, String)> {
    imported
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| (d.code.to_string(), place(d)))
        .collect()
}

/// Where the first cell whose text contains `text` is, on any sheet.
fn cell_with(book: &Book, text: &str) -> Option<(String, usize, usize)> {
    for (name, grid) in &book.0 {
        for (r, row) in grid.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if matches!(cell, Data::String(s) if s.contains(text)) {
                    return Some((name.clone(), r, c));
                }
            }
        }
    }
    None
}

#[test]
fn a_table_in_thousands_of_yuan_is_refused_at_its_unit_cell() {
    let dir = scratch("qianyuan");
    let bytes = published_tables(&dir);
    let mut book = Book::read(&bytes);
    // Rewritten without styles: still the same tables, read clean.
    assert!(import_codes(&import(&book.write(|_, _| {}))).is_empty());
    let (sheet, r, c) = cell_with(&book, "单位：万元").expect("a unit line");
    let Data::String(unit) = book.grid(&sheet)[r][c].clone() else {
        unreachable!()
    };
    book.grid(&sheet)[r][c] = Data::String(unit.replace("万元", "千元"));
    let imported = import(&book.write(|_, _| {}));
    let codes = import_codes(&imported);
    assert_eq!(
        codes,
        [(
            "T006".to_string(),
            format!("{sheet}!{}", juesuan::workbook::a1(r as u32, c as u32))
        )],
        "{:#?}",
        imported.diagnostics
    );
    let t006 = imported
        .diagnostics
        .iter()
        .find(|d| d.code == "T006")
        .unwrap();
    assert!(t006.message.contains("千元") && t006.message.contains("10 倍"));
    // `import` writes nothing and says why, with the code.
    let path = dir.join("千元.xlsx");
    std::fs::write(&path, book.write(|_, _| {})).unwrap();
    let out = dir.join("千元.toml");
    let (code, _, err) = common::juesuan(&[
        "import",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[T006]"), "{err}");
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every table in 千元 (the unit line on each sheet): one T006 naming the tables, at the first
/// table's unit cell with the others' as related locations — not one error per table.
#[test]
fn tables_all_in_thousands_of_yuan_are_one_t006_naming_them() {
    let dir = scratch("qianyuan-all");
    let mut book = Book::read(&published_tables(&dir));
    let mut sheets = Vec::new();
    for (name, grid) in &mut book.0 {
        for row in grid.iter_mut() {
            for cell in row.iter_mut() {
                if let Data::String(s) = cell
                    && s.contains("单位：万元")
                {
                    *s = s.replace("万元", "千元");
                    sheets.push(name.clone());
                }
            }
        }
    }
    sheets.dedup();
    assert!(sheets.len() > 1, "{sheets:?}");
    let imported = import(&book.write(|_, _| {}));
    let t006: Vec<_> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "T006")
        .collect();
    assert_eq!(t006.len(), 1, "{t006:#?}");
    let d = t006[0];
    assert!(
        d.message
            .contains(&format!("{} 张表的金额单位是千元", sheets.len())),
        "{}",
        d.message
    );
    for s in &sheets {
        assert!(d.message.contains(&format!("“{s}”")), "{}", d.message);
    }
    assert_eq!(d.related.len(), sheets.len() - 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_merged_amount_in_a_published_table_is_one_x011() {
    let dir = scratch("merged");
    let mut book = Book::read(&published_tables(&dir));
    // The first amount under a 项 row of a function table with another row below it.
    let (sheet, r, c) = cell_with(&book, "2010308").expect("a 项 row");
    let grid = book.grid(&sheet);
    let col = (c + 1..grid[r].len())
        .find(|&k| matches!(grid[r][k], Data::Float(_)))
        .expect("an amount");
    let Data::Float(amount) = grid[r][col] else {
        unreachable!()
    };
    let (row, col) = (r as u32, col as u16);
    let bytes = book.write(|name, ws| {
        if name == sheet {
            ws.merge_range(row, col, row + 1, col, "", &CellFormat::new())
                .unwrap();
            ws.write_number(row, col, amount).unwrap();
        }
    });
    let imported = import(&bytes);
    let codes = import_codes(&imported);
    assert_eq!(
        codes,
        [(
            "X011".to_string(),
            format!("{sheet}!{}", juesuan::workbook::a1(row, u32::from(col)))
        )],
        "{:#?}",
        imported.diagnostics
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_hidden_sheet_of_a_published_set_is_read_and_noted() {
    let dir = scratch("hidden-tables");
    let book = Book::read(&published_tables(&dir));
    let first = book.0[1].0.clone();
    let imported = import(&book.write(|name, ws| {
        if name == first {
            ws.set_hidden(true);
        }
    }));
    let x013: Vec<String> = imported
        .diagnostics
        .iter()
        .filter(|d| d.code == "X013")
        .map(place)
        .collect();
    assert_eq!(x013, [format!("{first}!A1")]);
    assert!(import_codes(&imported).is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every refusal of `import` carries its registered code (they were bare sentences).
#[test]
fn import_refusals_carry_codes() {
    let dir = scratch("import-codes");
    let text = dir.join("本单位.toml");
    std::fs::write(&text, example_text()).unwrap();
    let template = dir.join("模板.xlsx");
    std::fs::write(
        &template,
        juesuan::workbook::from_toml("e.toml", &example_text()).unwrap(),
    )
    .unwrap();
    let tables = dir.join("公开表.xlsx");
    std::fs::write(&tables, published_tables(&dir)).unwrap();
    let taken = dir.join("已有.toml");
    std::fs::write(&taken, "").unwrap();
    let broken = dir.join("坏.toml");
    std::fs::write(&broken, "x = [").unwrap();
    let missing = dir.join("没有.xlsx");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![s(&text)], "X001"),
        (vec![s(&missing)], "E001"),
        (vec![s(&template)], "T007"),
        (vec![s(&tables), "-o".into(), s(&taken)], "F005"),
        (
            vec![
                s(&tables),
                "-o".into(),
                s(&dir.join("新.toml")),
                "--merge".into(),
                s(&broken),
            ],
            "E001",
        ),
    ];
    for (args, code) in cases {
        let mut all = vec!["import"];
        all.extend(args.iter().map(String::as_str));
        let (exit, _, err) = common::juesuan(&all);
        assert_eq!(exit, 1, "{args:?}");
        assert!(err.contains(&format!("错误[{code}]")), "{args:?}: {err}");
    }
    let (_, _, err) = common::juesuan(&[
        "import",
        &s(&tables),
        "-o",
        &s(&dir.join("新.toml")),
        "--merge",
        &s(&broken),
    ]);
    assert!(
        err.contains("列表缺少结尾的 ]") && err.contains("1:6"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
