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
        .find(|r| r.iter().any(|c| matches!(c, Data::String(s) if s == label)))
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
            .any(|c| matches!(c, Data::String(s) if s == "金额单位：万元"))
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
            .any(|c| matches!(c, Data::String(s) if s == "金额单位：元"))
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
            .any(|p| p.ends_with("ebian-xinfang-2023.toml"))
            && inputs
                .iter()
                .any(|p| p.ends_with("putuo-caizheng-2024.toml")),
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

// ---- hand-made layouts -------------------------------------------------------------------
//
// The generators below write, cell by cell, workbooks laid out as the real ones described in
// shared/workbook-layouts.md (no third-party file is copied): `split_codes_yuan` imitates the
// Shanghai budget-template family (layout 2: title in row 2, `编制部门：…` and `单位：元` in row
// 4, header rows 6–8 ending in 类 | 款 | 项, 款/项 as 2-digit text, integer 元 with `#,##0_ `,
// one table in 万元 with a half-width colon, sheet names with trailing spaces); `published_wan`
// imitates the published Shanghai/Sichuan PDFs retyped (layout 1/4: 万元, amounts as text with
// thousands separators, blank = 0, no 行次, 合计 first, codes in one column, an empty table with
// its 注/说明 lines, radical-supplement and Kangxi characters in the text). `slip` puts in the
// deliberate mistakes: a wrong 合计 and a 类 row that is not the sum of its 项.

use rust_xlsxwriter::{Format as CellFormat, Workbook};

fn split_codes_yuan(slip: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let yuan = CellFormat::new().set_num_format("#,##0_ ");
    let text = CellFormat::new().set_num_format("@");
    // 支出决算表 in 元, split codes.
    {
        let ws = book.add_worksheet();
        ws.set_name("支出决算表 ").unwrap();
        ws.merge_range(1, 0, 1, 6, "2024年度支出决算表", &CellFormat::new())
            .unwrap();
        ws.write(3, 0, "编制部门：测试区信访办").unwrap();
        ws.write(3, 6, "单位：元").unwrap();
        ws.merge_range(5, 0, 6, 2, "功能分类科目编码", &CellFormat::new())
            .unwrap();
        ws.merge_range(5, 3, 7, 3, "科目名称", &CellFormat::new())
            .unwrap();
        ws.merge_range(5, 4, 7, 4, "本年支出合计", &CellFormat::new())
            .unwrap();
        ws.merge_range(5, 5, 7, 5, "基本支出", &CellFormat::new())
            .unwrap();
        ws.merge_range(5, 6, 7, 6, "项目支出", &CellFormat::new())
            .unwrap();
        ws.write(7, 0, "类").unwrap();
        ws.write(7, 1, "款").unwrap();
        ws.write(7, 2, "项").unwrap();
        // (类, 款, 项, 名称, basic, project)
        let rows: &[(f64, &str, &str, &str, f64, f64)] = &[
            (201.0, "", "", "一般公共服务支出", 2_100_000.0, 500_000.01),
            (
                201.0,
                "03",
                "",
                "政府办公厅（室）及相关机构事务",
                2_100_000.0,
                500_000.01,
            ),
            (201.0, "03", "01", "行政运行", 2_100_000.0, 0.0),
            (201.0, "03", "08", "信访事务", 0.0, 500_000.01),
            (208.0, "", "", "社会保障和就业支出", 300_000.0, 0.0),
            (208.0, "05", "", "行政事业单位养老支出", 300_000.0, 0.0),
            (
                208.0,
                "05",
                "05",
                "机关事业单位基本养老保险缴费支出",
                200_000.0,
                0.0,
            ),
            (
                208.0,
                "05",
                "06",
                "机关事业单位职业年金缴费支出",
                100_000.0,
                0.0,
            ),
        ];
        let total_basic = if slip { 2_400_001.0 } else { 2_400_000.0 };
        ws.write(8, 3, "合计").unwrap();
        ws.write_with_format(8, 4, total_basic + 500_000.01, &yuan)
            .unwrap();
        ws.write_with_format(8, 5, total_basic, &yuan).unwrap();
        ws.write_with_format(8, 6, 500_000.01, &yuan).unwrap();
        for (i, (class, section, item, name, basic, project)) in rows.iter().enumerate() {
            let r = 9 + i as u32;
            ws.write(r, 0, *class).unwrap();
            ws.write_with_format(r, 1, *section, &text).unwrap();
            ws.write_with_format(r, 2, *item, &text).unwrap();
            ws.write(r, 3, *name).unwrap();
            // The slip: the 208 类 row prints 310,000 while its 项 add to 300,000.
            let basic = if slip && *name == "社会保障和就业支出" {
                310_000.0
            } else {
                *basic
            };
            ws.write_with_format(r, 4, basic + project, &yuan).unwrap();
            ws.write_with_format(r, 5, basic, &yuan).unwrap();
            ws.write_with_format(r, 6, *project, &yuan).unwrap();
        }
    }
    // 财政拨款“三公”经费支出决算表 in 万元 (half-width colon), one data row.
    {
        let ws = book.add_worksheet();
        ws.set_name("三公经费  ").unwrap();
        ws.merge_range(
            1,
            0,
            1,
            11,
            "财政拨款“三公”经费支出决算表",
            &CellFormat::new(),
        )
        .unwrap();
        ws.write(3, 0, "编制部门：测试区信访办").unwrap();
        ws.write(3, 11, "单位:万元").unwrap();
        ws.merge_range(5, 0, 5, 5, "预算数", &CellFormat::new())
            .unwrap();
        ws.merge_range(5, 6, 5, 11, "决算数", &CellFormat::new())
            .unwrap();
        for side in [0u16, 6] {
            ws.merge_range(6, side, 7, side, "合计", &CellFormat::new())
                .unwrap();
            ws.merge_range(
                6,
                side + 1,
                7,
                side + 1,
                "因公出国（境）费",
                &CellFormat::new(),
            )
            .unwrap();
            ws.merge_range(
                6,
                side + 2,
                6,
                side + 4,
                "公务用车购置及运行维护费",
                &CellFormat::new(),
            )
            .unwrap();
            ws.write(7, side + 2, "小计").unwrap();
            ws.write(7, side + 3, "公务用车购置费").unwrap();
            ws.write(7, side + 4, "公务用车运行维护费").unwrap();
            ws.merge_range(6, side + 5, 7, side + 5, "公务接待费", &CellFormat::new())
                .unwrap();
        }
        let values = [3.5, 0.0, 2.5, 0.0, 2.5, 1.0, 3.01, 0.0, 2.1, 0.0, 2.1, 0.91];
        for (c, v) in values.iter().enumerate() {
            ws.write(8, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn published_wan(slip: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    // 收入支出决算总表: no 行次, amounts as text with separators, blank = 0.
    {
        let ws = book.add_worksheet();
        ws.set_name("1").unwrap();
        ws.write(0, 0, "2024年度收入支出决算总表").unwrap();
        ws.write(1, 0, "部⻔：测试市财政局").unwrap();
        ws.write(1, 3, "金额单位：万元").unwrap();
        ws.merge_range(2, 0, 2, 1, "收入", &CellFormat::new())
            .unwrap();
        ws.merge_range(2, 2, 2, 3, "支出", &CellFormat::new())
            .unwrap();
        for (c, h) in ["项目", "金额", "项目", "金额"].iter().enumerate() {
            ws.write(3, c as u16, *h).unwrap();
        }
        let left: &[(&str, &str)] = &[
            ("一、一般公共预算财政拨款收入", "2,940.05"),
            ("二、政府性基金预算财政拨款收入", ""),
            ("三、国有资本经营预算财政拨款收入", ""),
            ("四、上级补助收入", ""),
            ("五、事业收入", "1,200.50"),
            ("六、经营收入", ""),
            ("七、附属单位上缴收入", ""),
            ("八、其他收入", "0.01"),
            ("本年收入合计", "4,140.56"),
            ("使用非财政拨款结余", ""),
            ("年初结转和结余", "—"),
            ("总计", "4,140.56"),
        ];
        let right: &[(&str, &str)] = &[
            ("一、一般公共服务支出", "3,000.00"),
            ("二、外交支出", ""),
            ("三、国防支出", ""),
            ("四、公共安全支出", ""),
            ("五、教育支出", ""),
            ("六、科学技术支出", ""),
            ("七、文化旅游体育与传媒支出", ""),
            ("八、社会保障和就业支出", "1,140.56"),
            ("本年支出合计", "4,140.56"),
            ("结余分配", ""),
            ("年末结转和结余", "\\"),
            ("总计", "4,140.56"),
        ];
        for (i, ((ll, lv), (rl, rv))) in left.iter().zip(right).enumerate() {
            let r = 4 + i as u32;
            ws.write(r, 0, *ll).unwrap();
            ws.write(r, 1, *lv).unwrap();
            ws.write(r, 2, *rl).unwrap();
            ws.write(r, 3, *rv).unwrap();
        }
    }
    // 收入决算表: code in one column, 合计 first, 2-row header.
    {
        let ws = book.add_worksheet();
        ws.set_name("2").unwrap();
        ws.write(0, 0, "收入决算表").unwrap();
        ws.write(1, 0, "部门：测试市财政局").unwrap();
        ws.write(1, 8, "金额单位：万元").unwrap();
        ws.merge_range(2, 0, 2, 1, "项目", &CellFormat::new())
            .unwrap();
        let heads = [
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ];
        for (c, h) in heads.iter().enumerate() {
            ws.merge_range(2, 2 + c as u16, 3, 2 + c as u16, h, &CellFormat::new())
                .unwrap();
        }
        ws.write(3, 0, "科目编码").unwrap();
        ws.write(3, 1, "科目名称").unwrap();
        // code, name, total, appropriation, service, other
        let rows: &[(&str, &str, &str, &str, &str, &str)] = &[
            (
                "",
                "合计",
                if slip { "4,140.66" } else { "4,140.56" },
                "2,940.05",
                "1,200.50",
                "0.01",
            ),
            (
                "201",
                "一般公共服务支出",
                "3,000.00",
                "2,000.00",
                "1,000.00",
                "",
            ),
            ("20101", "人大事务", "3,000.00", "2,000.00", "1,000.00", ""),
            (
                "2010101",
                "行政运行",
                "3,000.00",
                "2,000.00",
                "1,000.00",
                "",
            ),
            (
                "208",
                "社会保障和就业支出",
                "1,140.56",
                "940.05",
                "200.50",
                "0.01",
            ),
            (
                "20805",
                "行政事业单位养老支出",
                "1,140.56",
                "940.05",
                "200.50",
                "0.01",
            ),
            (
                "2080505",
                "机关事业单位基本养老保险缴费支出",
                "1,140.56",
                "940.05",
                "200.50",
                "0.01",
            ),
        ];
        for (i, (code, name, total, appr, service, other)) in rows.iter().enumerate() {
            let r = 4 + i as u32;
            ws.write(r, 0, *code).unwrap();
            ws.write(r, 1, *name).unwrap();
            ws.write(r, 2, *total).unwrap();
            ws.write(r, 3, *appr).unwrap();
            ws.write(r, 5, *service).unwrap();
            ws.write(r, 8, *other).unwrap();
        }
    }
    // An empty table keeps its header, then 注 and 说明.
    {
        let ws = book.add_worksheet();
        ws.set_name("7").unwrap();
        ws.write(0, 0, "政府性基⾦预算财政拨款收⼊⽀出决算表")
            .unwrap();
        ws.write(1, 0, "部门：测试市财政局").unwrap();
        ws.write(1, 7, "金额单位：万元").unwrap();
        ws.merge_range(2, 0, 2, 1, "项目", &CellFormat::new())
            .unwrap();
        ws.merge_range(2, 2, 3, 2, "年初结转和结余", &CellFormat::new())
            .unwrap();
        ws.merge_range(2, 3, 3, 3, "本年收入", &CellFormat::new())
            .unwrap();
        ws.merge_range(2, 4, 2, 6, "本年支出", &CellFormat::new())
            .unwrap();
        ws.merge_range(2, 7, 3, 7, "年末结转和结余", &CellFormat::new())
            .unwrap();
        for (c, h) in [
            "科目编码",
            "科目名称",
            "",
            "",
            "小计",
            "基本支出",
            "项目支出",
        ]
        .iter()
        .enumerate()
        {
            if !h.is_empty() {
                ws.write(3, c as u16, *h).unwrap();
            }
        }
        ws.write(
            4,
            0,
            "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
        )
        .unwrap();
        ws.write(5, 0, "说明：测试市财政局本年度没有政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表无数据。").unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn facts_of(bytes: &[u8]) -> (import::Imported, Table) {
    let imported = imported(bytes);
    let facts: Table = imported.text.parse().expect(&imported.text);
    (imported, facts)
}

fn item<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"].as_str() == Some(code))
        .unwrap_or_else(|| panic!("no {code} in {list:?}"))
}

fn num(v: &Value) -> f64 {
    v.as_float()
        .or_else(|| v.as_integer().map(|i| i as f64))
        .unwrap_or_else(|| panic!("{v:?}"))
}

#[test]
fn split_code_yuan_layout_imports_figure_by_figure() {
    let (imported, facts) = facts_of(&split_codes_yuan(false));
    assert!(
        !imported.diagnostics.has_errors(),
        "{:#?}",
        imported.diagnostics
    );
    assert_eq!(imported.tables.len(), 2, "{:?}", imported.tables);
    let b = &facts["bureau"];
    assert_eq!(b["name"].as_str(), Some("测试区信访办"));
    assert_eq!(b["year"].as_integer(), Some(2024));
    assert_eq!(b["unit"].as_str(), Some("元"));
    let s = &facts["spending"];
    assert_eq!(num(&s["basic"]), 2_400_000.0);
    assert_eq!(num(&s["project"]), 500_000.01);
    // No appropriation table: every 项 is money other than an appropriation, in 元 to the 分.
    let items = &facts["non_appropriation"]["items"];
    assert_eq!(
        num(&item(items, "2010301")["spending"]["basic"]),
        2_100_000.0
    );
    assert_eq!(
        num(&item(items, "2010308")["spending"]["project"]),
        500_000.01
    );
    assert_eq!(num(&item(items, "2080505")["spending"]["basic"]), 200_000.0);
    assert_eq!(num(&item(items, "2080506")["spending"]["basic"]), 100_000.0);
    // The 三公 table says 万元: exact in 元.
    let tp = &facts["three_public"];
    assert_eq!(num(&tp["declared_budget"]), 35_000.0);
    assert_eq!(num(&tp["declared_actual"]), 30_100.0);
    assert_eq!(num(&tp["vehicle"]["running_actual"]), 21_000.0);
    assert_eq!(num(&tp["reception"]["domestic"]["actual"]), 9_100.0);
}

#[test]
fn published_wan_layout_imports_figure_by_figure() {
    let (imported, facts) = facts_of(&published_wan(false));
    assert!(
        !imported.diagnostics.has_errors(),
        "{:#?}",
        imported.diagnostics
    );
    assert_eq!(imported.tables.len(), 3, "{:?}", imported.tables);
    assert_eq!(
        facts["bureau"]["name"].as_str(),
        Some("测试市财政局"),
        "radical 门 folded"
    );
    assert_eq!(facts["bureau"]["unit"].as_str(), Some("万元"));
    let i = &facts["income"];
    assert_eq!(num(&i["general_budget"]), 2940.05);
    assert_eq!(num(&i["service"]), 1200.5);
    assert_eq!(num(&i["other"]), 0.01);
    assert_eq!(num(&i["gov_fund"]), 0.0, "blank = 0");
    assert_eq!(num(&i["opening_balance"]), 0.0, "— = 0");
    assert_eq!(num(&i["declared_total"]), 4140.56);
    let s = &facts["spending"];
    assert_eq!(num(&s["declared_classes"]["201"]), 3000.0);
    assert_eq!(num(&s["declared_classes"]["208"]), 1140.56);
    assert_eq!(num(&s["closing_balance"]), 0.0, "\\ = 0");
    let items = &facts["non_appropriation"]["items"];
    assert_eq!(num(&item(items, "2010101")["income"]["service"]), 1000.0);
    assert_eq!(num(&item(items, "2080505")["income"]["service"]), 200.5);
    assert_eq!(num(&item(items, "2080505")["income"]["other"]), 0.01);
    // The empty 政府性基金 table (Kangxi radicals in its title) is found and holds nothing.
    assert!(
        imported
            .tables
            .iter()
            .any(|t| t.starts_with("政府性基金预算财政拨款收入支出决算表"))
    );
    assert!(
        facts
            .get("appropriation")
            .is_none_or(|a| a.get("gov_fund").is_none())
    );
}

fn slips(bytes: &[u8]) -> Vec<(String, String, String)> {
    imported(bytes)
        .diagnostics
        .iter()
        .filter(|d| d.code == "T002")
        .map(|d| {
            let juesuan::diagnostic::Location::Cell { sheet, cell, .. } =
                d.location.clone().unwrap()
            else {
                panic!("{d:?}")
            };
            (sheet, cell, d.message.clone())
        })
        .collect()
}

#[test]
fn deliberate_slips_are_reported_at_their_cells() {
    let found = slips(&split_codes_yuan(true));
    let cells: Vec<(&str, &str)> = found
        .iter()
        .map(|(s, c, _)| (s.as_str(), c.as_str()))
        .collect();
    // The wrong 合计 (基本支出 and 本年支出合计 columns) and the 208 类 row against its 项.
    assert!(cells.contains(&("支出决算表 ", "F9")), "{found:#?}");
    assert!(cells.contains(&("支出决算表 ", "F14")), "{found:#?}");
    let class = found.iter().find(|(_, c, _)| c == "F14").unwrap();
    assert!(
        class.2.contains("“208 社会保障和就业支出”·“基本支出”") && class.2.contains("差 10000"),
        "{}",
        class.2
    );
    let found = slips(&published_wan(true));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("2", "C5"));
    assert!(
        found[0].2.contains("“合计”·“本年收入合计”"),
        "{}",
        found[0].2
    );
    // And the clean versions report nothing.
    assert!(slips(&split_codes_yuan(false)).is_empty());
    assert!(slips(&published_wan(false)).is_empty());
}

#[test]
fn a_figure_printed_twice_differently_is_reported() {
    let bytes = build_bytes(&example(), Format::Xlsx).unwrap();
    // 公开04表 row 一般公共预算财政拨款 (C7) against 公开01表 (C6).
    let changed = edit_cells(&bytes, 4, &[("C7", "271.46", "271.47")]);
    let d = imported(&changed).diagnostics;
    let hit = d.iter().find(|d| d.code == "T003").expect("T003");
    assert!(
        hit.location
            .as_ref()
            .unwrap()
            .to_string()
            .contains("公开04表"),
        "{hit}"
    );
    assert!(
        imported(&bytes)
            .diagnostics
            .iter()
            .all(|d| d.code != "T003")
    );
}

// ---- the command line --------------------------------------------------------------------

fn juesuan(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn import_command_writes_toml_or_a_workbook_and_lists_what_to_fill() {
    let dir = temp_dir("cli");
    let tables = dir.join("公开表.xlsx");
    std::fs::write(&tables, build_bytes(&example(), Format::Xlsx).unwrap()).unwrap();
    let out = dir.join("本单位.toml");
    let (code, text) = juesuan(&[
        "import".as_ref(),
        tables.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("读入 财政拨款“三公”经费支出决算表"), "{text}");
    assert!(text.contains("单位职能"), "{text}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("（TOML：[prior_year]）"), "{written}");
    // Not overwritten without --force.
    let (code, text) = juesuan(&[
        "import".as_ref(),
        tables.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("--force"), "{text}");
    // --merge, then build: the same Markdown as the original input.
    let merged = dir.join("合并.toml");
    let (code, text) = juesuan(&[
        "import".as_ref(),
        tables.as_os_str(),
        "-o".as_ref(),
        merged.as_os_str(),
        "--merge".as_ref(),
        example().as_os_str(),
    ]);
    assert_eq!(code, 0, "{text}");
    let original = String::from_utf8(build_bytes(&example(), Format::Md).unwrap()).unwrap();
    let rebuilt = String::from_utf8(build_bytes(&merged, Format::Md).unwrap()).unwrap();
    assert!(original == rebuilt, "Markdown differs after import --merge");
    // -o .xlsx: the template workbook, which check reads (and lists what to fill once).
    let book = dir.join("本单位.xlsx");
    let (code, text) = juesuan(&[
        "import".as_ref(),
        tables.as_os_str(),
        "-o".as_ref(),
        book.as_os_str(),
    ]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = juesuan(&["check".as_ref(), book.as_os_str()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("R023") || text.contains("R015"), "{text}");
    // A workbook with a slip: reported at its cell, nothing written.
    let slipped = dir.join("有误.xlsx");
    std::fs::write(&slipped, split_codes_yuan(true)).unwrap();
    let target = dir.join("有误.toml");
    let (code, text) = juesuan(&[
        "import".as_ref(),
        slipped.as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("T002") && text.contains("支出决算表 !F14"),
        "{text}"
    );
    assert!(!target.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Imitates the 决算 software's own tables (layout 3): no title cell, the sheet named
/// `Z03 收入决算表(财决03表)` / `Z08_1 …(财决08-` (cut at 31 characters), `编制单位` and `金额单位：元`
/// on the first row, the code merged across A:C, the name in D, amounts from E, a 栏次 row, the
/// 合计 row just above the first data row, `—` where a column does not apply.
fn caijue_tables() -> Vec<u8> {
    let mut book = Workbook::new();
    let plain = CellFormat::new();
    {
        let ws = book.add_worksheet();
        ws.set_name("Z03 收入决算表(财决03表)").unwrap();
        ws.write(0, 0, "编制单位：测试县信访局").unwrap();
        ws.write(0, 10, "金额单位：元").unwrap();
        ws.merge_range(1, 0, 1, 3, "项目", &plain).unwrap();
        ws.merge_range(2, 0, 2, 2, "科目编码", &plain).unwrap();
        ws.write(2, 3, "科目名称").unwrap();
        let heads = [
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ];
        for (c, h) in heads.iter().enumerate() {
            ws.merge_range(1, 4 + c as u16, 2, 4 + c as u16, h, &plain)
                .unwrap();
        }
        ws.merge_range(3, 0, 3, 3, "栏次", &plain).unwrap();
        for c in 0..7u16 {
            ws.write(3, 4 + c, f64::from(c + 1)).unwrap();
        }
        // (code, name, upper_grant, service)
        let rows: &[(&str, &str, f64, f64)] = &[
            ("合计", "", 50_000.0, 1_234_567.89),
            ("201", "一般公共服务支出", 50_000.0, 1_234_567.89),
            (
                "20103",
                "政府办公厅（室）及相关机构事务",
                50_000.0,
                1_234_567.89,
            ),
            ("2010308", "信访事务", 50_000.0, 1_234_567.89),
        ];
        for (i, (code, name, upper, service)) in rows.iter().enumerate() {
            let r = 4 + i as u32;
            ws.merge_range(r, 0, r, 2, code, &plain).unwrap();
            ws.write(r, 3, *name).unwrap();
            ws.write(r, 4, upper + service).unwrap();
            ws.write(r, 5, 0.0).unwrap();
            ws.write(r, 6, *upper).unwrap();
            ws.write(r, 7, *service).unwrap();
            ws.write(r, 8, "—").unwrap();
            ws.write(r, 9, "—").unwrap();
            ws.write(r, 10, "").unwrap();
        }
    }
    {
        let ws = book.add_worksheet();
        ws.set_name("Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-")
            .unwrap();
        ws.write(0, 0, "编制单位：测试县信访局").unwrap();
        ws.write(0, 5, "金额单位：元").unwrap();
        ws.merge_range(1, 0, 1, 2, "人员经费", &plain).unwrap();
        ws.merge_range(1, 3, 1, 5, "公用经费", &plain).unwrap();
        for (c, h) in [
            "科目编码",
            "科目名称",
            "决算数",
            "科目编码",
            "科目名称",
            "决算数",
        ]
        .iter()
        .enumerate()
        {
            ws.write(2, c as u16, *h).unwrap();
        }
        let rows: &[(&str, &str, f64, &str, &str, f64)] = &[
            (
                "301",
                "工资福利支出",
                1_000_000.0,
                "302",
                "商品和服务支出",
                200_000.5,
            ),
            ("30101", "基本工资", 600_000.0, "30201", "办公费", 200_000.5),
            ("30102", "津贴补贴", 400_000.0, "", "", 0.0),
        ];
        for (i, (c1, n1, v1, c2, n2, v2)) in rows.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write(r, 0, *c1).unwrap();
            ws.write(r, 1, *n1).unwrap();
            ws.write(r, 2, *v1).unwrap();
            if !c2.is_empty() {
                ws.write(r, 3, *c2).unwrap();
                ws.write(r, 4, *n2).unwrap();
                ws.write(r, 5, *v2).unwrap();
            }
        }
        ws.write(6, 1, "人员经费合计").unwrap();
        ws.write(6, 2, 1_000_000.0).unwrap();
        ws.write(6, 4, "公用经费合计").unwrap();
        ws.write(6, 5, 200_000.5).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn caijue_sheets_are_found_by_their_name_prefix_and_import_figure_by_figure() {
    let (imported, facts) = facts_of(&caijue_tables());
    assert!(
        !imported.diagnostics.has_errors(),
        "{:#?}",
        imported.diagnostics
    );
    assert_eq!(imported.tables.len(), 2, "{:?}", imported.tables);
    assert_eq!(facts["bureau"]["name"].as_str(), Some("测试县信访局"));
    assert_eq!(facts["bureau"]["unit"].as_str(), Some("元"));
    let i = &facts["income"];
    assert_eq!(num(&i["upper_grant"]), 50_000.0);
    assert_eq!(num(&i["service"]), 1_234_567.89);
    assert_eq!(num(&i["business"]), 0.0, "— = 0");
    let items = &facts["non_appropriation"]["items"];
    let line = item(items, "2010308");
    assert_eq!(num(&line["income"]["upper_grant"]), 50_000.0);
    assert_eq!(num(&line["income"]["service"]), 1_234_567.89);
    let gb = &facts["general_budget"];
    assert_eq!(num(&gb["declared_personnel"]), 1_000_000.0);
    assert_eq!(num(&gb["declared_operating"]), 200_000.5);
    assert_eq!(num(&item(&gb["economic"], "30101")["basic"]), 600_000.0);
    assert_eq!(num(&item(&gb["economic"], "30201")["basic"]), 200_000.5);
}

/// What a reviewer reads: the TOML the example's exported tables import as.
#[test]
fn imported_toml_of_the_example_snapshot() {
    let bytes = build_bytes(&example(), Format::Xlsx).unwrap();
    insta::assert_snapshot!(imported(&bytes).text);
}

/// 尾差 (issue 19): the Putuo 公开表 print 301 as 2,082.85 over 款 adding up to 2,082.86 and so
/// on; `import` reads them as declared totals with one note (T005), not as misprints (T002).
#[test]
fn tables_with_tails_import_with_one_note() {
    let bytes = build_bytes(&root().join("data/putuo-caizheng-2024.toml"), Format::Xlsx).unwrap();
    let d = imported(&bytes).diagnostics;
    assert!(!d.has_errors(), "{d:#?}");
    let notes: Vec<_> = d.iter().filter(|x| x.code == "T005").collect();
    assert_eq!(notes.len(), 1, "{d:#?}");
    assert!(
        notes[0]
            .message
            .contains("印 2082.85，其下各行之和 2082.86（差 -0.01）"),
        "{}",
        notes[0].message
    );
}

/// `import` alone (no `--merge`) names the variant of the tables it read when the year would
/// choose another: a 2024 上海 公开表 with the 24-类 总表 (no 债务还本/付息支出) imports with
/// `table_variant = "no_debt"`, and builds with that class list; the 26-类 one names none.
#[test]
fn import_alone_names_the_table_variant_the_year_would_not_choose() {
    let putuo = std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap();
    let no_debt = putuo.replacen(
        "\nform = \"shanghai\"",
        "\nform = \"shanghai\"\ntable_variant = \"no_debt\"",
        1,
    );
    let bytes = build_text("p.toml", &no_debt, &[Format::Xlsx]).remove(0);
    let text = imported(&bytes).text;
    assert!(text.contains("table_variant = \"no_debt\""), "{text}");
    let bytes = build_text("p.toml", &putuo, &[Format::Xlsx]).remove(0);
    let text = imported(&bytes).text;
    assert!(!text.contains("table_variant"), "{text}");

    // Merged into an input that names no variant, the tables' variant comes with them: the
    // package prints the 24-类 总表 again.
    let bytes = build_text("p.toml", &no_debt, &[Format::Xlsx]).remove(0);
    let original: Table = putuo.parse().unwrap();
    let merged = import::merge(&imported(&bytes), &original).unwrap().0;
    let md = String::from_utf8(build_text("m.toml", &merged, &[Format::Md]).remove(0)).unwrap();
    assert!(md.contains("二十四、抗疫特别国债安排的支出"), "{md}");
    assert!(!md.contains("债务还本支出"), "{md}");
}
