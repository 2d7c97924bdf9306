//! 公开表工作簿：`build --format xlsx` 导出，`import` 读回。

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::{bundled, root};
use juesuan::render::{self, Format, Timings};

fn build_bytes(input: &Path, format: Format) -> Result<Vec<u8>, String> {
    let checked = juesuan::check_file(input);
    let bureau = checked
        .bureau
        .ok_or_else(|| format!("{:#?}", checked.diagnostics))?;
    let artifacts = render::build(&bureau, &[format], &bundled(), &mut Timings::default())
        .map_err(|d| format!("{d:#?}"))?;
    Ok(artifacts.into_iter().next().expect("one artifact").bytes)
}

fn example() -> PathBuf {
    root().join("data/ebian-xinfang-2023.toml")
}

fn sheets(bytes: &[u8]) -> Vec<(String, calamine::Range<Data>)> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx");
    book.sheet_names()
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).expect("a sheet");
            (n, range)
        })
        .collect()
}

/// The first row whose column `col` reads `label`, and the value in column `value_col`.
fn value_by_label(range: &calamine::Range<Data>, label: &str, value_col: usize) -> Option<Data> {
    range
        .rows()
        .find(|r| r.iter().any(|c| c.to_string() == label))
        .and_then(|r| r.get(value_col).cloned())
}

#[test]
fn export_is_one_sheet_per_table_with_numeric_cells_and_the_same_bytes_every_time() {
    let a = build_bytes(&example(), Format::Xlsx).unwrap();
    let b = build_bytes(&example(), Format::Xlsx).unwrap();
    assert_eq!(a, b, "same input, same bytes");
    let sheets = sheets(&a);
    assert_eq!(sheets.len(), 13, "四川 13 张公开表");
    assert_eq!(sheets[0].0, "公开01表 收入支出决算总表");
    let summary = &sheets[0].1;
    assert_eq!(
        summary.get_value((2, 0)),
        Some(&Data::String("部门：峨边彝族自治县信访局".into()))
    );
    assert!(
        summary
            .rows()
            .nth(2)
            .unwrap()
            .iter()
            .any(|c| c.to_string() == "金额单位：万元")
    );
    // Amounts are numbers, not text.
    assert_eq!(
        value_by_label(summary, "一、一般公共预算财政拨款收入", 2),
        Some(Data::Float(271.46))
    );
    assert_eq!(
        value_by_label(summary, "本年收入合计", 2),
        Some(Data::Float(305.97))
    );
    // A 0 the PDF leaves blank stays blank.
    assert_eq!(
        value_by_label(summary, "三、国有资本经营预算财政拨款收入", 2),
        Some(Data::Empty)
    );
    let spending = &sheets[2].1;
    assert_eq!(
        value_by_label(spending, "信访事务", 2),
        Some(Data::Float(217.51))
    );
    // An empty table keeps its header and says why.
    let state_capital = &sheets[10].1;
    assert!(
        state_capital
            .rows()
            .any(|r| r[0].to_string().contains("故本表为空表")),
        "{state_capital:?}"
    );
}

#[test]
fn export_sets_number_formats_merges_and_print_setup() {
    let bytes = build_bytes(&example(), Format::Xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    };
    let styles = read("xl/styles.xml");
    assert!(styles.contains("#,##0.00"), "{styles}");
    let spending = read("xl/worksheets/sheet3.xml");
    assert!(
        spending.contains("<mergeCell ref=\"A4:B4\"/>"),
        "{spending}"
    );
    assert!(spending.contains("orientation=\"landscape\""), "{spending}");
    assert!(spending.contains("fitToHeight=\"0\""), "{spending}");
    let workbook = read("xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
    let core = read("docProps/core.xml");
    assert!(core.contains("2024-01-01T00:00:00Z"), "{core}");
}

#[test]
fn a_yuan_input_exports_in_yuan_to_the_fen() {
    let bytes = build_bytes(
        &root().join("tests/fixtures/tables/yuan.toml"),
        Format::Xlsx,
    )
    .unwrap();
    let sheets = sheets(&bytes);
    let summary = &sheets[0].1;
    assert!(
        summary
            .rows()
            .nth(2)
            .unwrap()
            .iter()
            .any(|c| c.to_string() == "金额单位：元")
    );
    assert_eq!(
        value_by_label(summary, "一、一般公共预算财政拨款收入", 2),
        Some(Data::Float(1234567.89))
    );
    let basic = &sheets[7].1;
    assert_eq!(value_by_label(basic, "办公费", 5), Some(Data::Float(67.89)));
}

#[test]
fn a_performance_only_input_has_no_tables_to_export() {
    let err = build_bytes(
        &root().join("data/qinglong-xinfang-2023.toml"),
        Format::Xlsx,
    )
    .unwrap_err();
    assert!(err.contains("T001"), "{err}");
}

// ---- import ------------------------------------------------------------------------------

use juesuan::import;
use juesuan::workbook::open::Format as BookFormat;
use toml::{Table, Value};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-tables-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn imported(bytes: &[u8]) -> import::Imported {
    import::read("公开表.xlsx", BookFormat::Xlsx, bytes).expect("a 公开表 workbook")
}

/// Exports `input`'s tables, imports them back merged with `input`, and returns the merged TOML.
fn round_trip(input: &Path, workbook: Option<Vec<u8>>) -> String {
    let bytes = workbook.unwrap_or_else(|| build_bytes(input, Format::Xlsx).unwrap());
    let imported = imported(&bytes);
    assert!(
        !imported.diagnostics.has_errors(),
        "{}: {:#?}",
        input.display(),
        imported.diagnostics
    );
    let original: Table = std::fs::read_to_string(input).unwrap().parse().unwrap();
    import::merge(&imported, &original).unwrap().0
}

fn build_text(name: &str, text: &str, formats: &[Format]) -> Vec<Vec<u8>> {
    let checked = juesuan::check_text(name, text);
    assert!(
        !checked.diagnostics.has_errors(),
        "{name}: {:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    render::build(&bureau, formats, &bundled(), &mut Timings::default())
        .unwrap()
        .into_iter()
        .map(|a| a.bytes)
        .collect()
}

/// The inputs with 公开表: every example in data/ that has them, and the table fixtures.
fn inputs_with_tables() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| build_bytes(p, Format::Xlsx).is_ok())
        .collect();
    inputs.sort();
    assert!(
        inputs
            .iter()
            .any(|p| p.ends_with("ebian-xinfang-2023.toml")),
        "{inputs:?}"
    );
    for f in ["yuan.toml", "rich.toml", "rich-central.toml"] {
        inputs.push(root().join("tests/fixtures/tables").join(f));
    }
    inputs
}

#[test]
fn every_example_round_trips_through_its_exported_tables_to_the_same_bytes() {
    for input in inputs_with_tables() {
        let original = std::fs::read_to_string(&input).unwrap();
        let merged = round_trip(&input, None);
        let formats = [Format::Md, Format::Typ, Format::Pdf];
        let before = build_text("原输入.toml", &original, &formats);
        let after = build_text("导入.toml", &merged, &formats);
        for (i, f) in formats.iter().enumerate() {
            assert!(
                before[i] == after[i],
                "{}: {f:?} differs after build --format xlsx → import --merge → build",
                input.display()
            );
        }
    }
}

#[test]
fn a_yuan_input_round_trips_in_yuan() {
    let input = root().join("tests/fixtures/tables/yuan.toml");
    let bytes = build_bytes(&input, Format::Xlsx).unwrap();
    let facts: Table = imported(&bytes).text.parse().unwrap();
    assert_eq!(facts["bureau"]["unit"].as_str(), Some("元"));
    // 1,234,567.89 元 read as it is printed, not rounded into 万元.
    assert_eq!(
        facts["income"]["general_budget"].as_float(),
        Some(1234567.89)
    );
    let economic = facts["general_budget"]["economic"].as_array().unwrap();
    assert!(
        economic
            .iter()
            .any(|e| e["code"].as_str() == Some("30201") && e["basic"].as_float() == Some(67.89))
    );
}

/// Replaces cell values in one sheet of an .xlsx (the sheet XML as rust_xlsxwriter writes it).
fn edit_cells(bytes: &[u8], sheet: usize, edits: &[(&str, &str, &str)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let target = format!("xl/worksheets/sheet{sheet}.xml");
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == target {
            let mut xml = String::from_utf8(data).unwrap();
            for (cell, from, to) in edits {
                let start = xml.find(&format!("<c r=\"{cell}\"")).expect(cell);
                let end = start + xml[start..].find("</c>").unwrap();
                let old = format!("<v>{from}</v>");
                let at = start + xml[start..end].find(&old).expect(from);
                xml.replace_range(at..at + old.len(), &format!("<v>{to}</v>"));
            }
            data = xml.into_bytes();
        }
        out.start_file(
            name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored),
        )
        .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn differences(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Table(x), Value::Table(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => differences(&format!("{path}.{k}"), v, w, out),
                    _ => out.push(format!("{path}.{k}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), v, w, out);
            }
        }
        (v, w) if v != w => out.push(path.to_string()),
        _ => {}
    }
}

#[test]
fn a_figure_changed_in_the_exported_workbook_and_only_it_changes_in_the_package() {
    let input = example();
    let bytes = build_bytes(&input, Format::Xlsx).unwrap();
    // 公开06表: 2010103 机关服务 调整预算数 1.25 → 1.35, with its 款, 类 and 合计 rows.
    let changed = edit_cells(
        &bytes,
        6,
        &[
            ("C6", "271.46", "271.56"),
            ("C7", "218.76", "218.86"),
            ("C8", "1.25", "1.35"),
            ("C9", "1.25", "1.35"),
        ],
    );
    let same = round_trip(&input, Some(bytes));
    let other = round_trip(&input, Some(changed));
    let mut diff = Vec::new();
    differences(
        "",
        &Value::Table(same.parse().unwrap()),
        &Value::Table(other.parse().unwrap()),
        &mut diff,
    );
    assert_eq!(
        diff,
        [
            ".general_budget.declared_budget",
            ".general_budget.items[0].budget"
        ],
        "only the changed budget (and the printed 预算数合计 edited with it) differs"
    );
    let md_same = String::from_utf8(build_text("a.toml", &same, &[Format::Md]).remove(0)).unwrap();
    // A 决算 now below its 预算 needs its reason (a text fact no table holds).
    let mut with_reason: Table = other.parse().unwrap();
    with_reason["general_budget"]["items"][0]
        .as_table_mut()
        .unwrap()
        .insert("reason".into(), Value::String("年中追加预算未用完".into()));
    let other = toml::to_string(&with_reason).unwrap();
    let md_other =
        String::from_utf8(build_text("b.toml", &other, &[Format::Md]).remove(0)).unwrap();
    assert_ne!(md_same, md_other);
    assert!(
        md_other.contains("| 2010103 | 机关服务 | 1.35 |"),
        "{md_other}"
    );
    assert!(
        md_same.contains("| 2010103 | 机关服务 | 1.25 |"),
        "{md_same}"
    );
    let changed_lines: Vec<&str> = md_other
        .lines()
        .zip(md_same.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a)
        .collect();
    assert!(
        changed_lines.iter().all(|l| l.contains("1.35")
            || l.contains("218.86")
            || l.contains("271.56")
            || l.contains("预算")
            || l.contains("年中追加预算未用完")),
        "{changed_lines:#?}"
    );
}

#[test]
fn a_bare_tables_workbook_checks_with_one_list_of_facts_to_fill() {
    let dir = temp_dir("bare");
    let path = dir.join("公开表.xlsx");
    std::fs::write(&path, build_bytes(&example(), Format::Xlsx).unwrap()).unwrap();
    let checked = juesuan::check_file(&path);
    let d = &checked.diagnostics;
    let to_fill: Vec<_> = d.iter().filter(|d| d.code == "T004").collect();
    assert_eq!(to_fill.len(), 1, "{d:#?}");
    assert!(
        to_fill[0].message.contains("单位职能"),
        "{}",
        to_fill[0].message
    );
    assert!(
        to_fill[0].message.contains("prior_year.total_reason"),
        "{}",
        to_fill[0].message
    );
    assert!(
        d.iter()
            .all(|d| !["R015", "R023", "R016"].contains(&d.code.as_str())),
        "{d:#?}"
    );
    // Every other finding is clean: the tables' facts hold together.
    assert_eq!(
        d.iter()
            .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
            .count(),
        1,
        "{d:#?}"
    );
    // A complete input is not told to fill anything.
    let clean = juesuan::check_file(&example());
    assert!(clean.diagnostics.iter().all(|d| d.code != "T004"));
    let _ = std::fs::remove_dir_all(&dir);
}
