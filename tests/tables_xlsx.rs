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
