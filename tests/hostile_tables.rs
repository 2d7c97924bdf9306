//! 改坏的 `--templates` 附表版式（tables/tables.toml）与刁钻的输入：每一种都给出诊断（版式错误为
//! F003）或正常印出，绝不崩溃，也不无界申请内存。

mod common;

use common::{bundled, root, table};

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use juesuan::render::{self, Format, RenderOptions, Timings};

/// The Markdown of `input` rendered with `options`, or the diagnostics as text.
fn markdown(input: &Path, options: &RenderOptions) -> Result<String, String> {
    let checked = juesuan::check_file(input);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    render::build(&bureau, &[Format::Md], options, &mut Timings::default())
        .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
        .map_err(|d| {
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
}

fn builtin_layout() -> &'static str {
    juesuan::render::templates::BUILTIN
        .iter()
        .find(|(n, _)| *n == "tables/tables.toml")
        .unwrap()
        .1
}

/// A copy of `file` with `edit` applied, in a directory of its own.
fn edited(name: &str, file: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-hostile-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = edit(std::fs::read_to_string(root().join(file)).unwrap());
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// 普陀区财政局 2024 (the Shanghai set) rendered with a `--templates` folder whose
/// tables/tables.toml is the built-in one with `edit` applied. Each run must finish quickly.
fn with_layout_for(
    name: &str,
    input: &Path,
    edit: impl Fn(String) -> String,
) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!(
        "juesuan-hostile-layout-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(dir.join("tables")).unwrap();
    let layout = edit(builtin_layout().to_string());
    assert_ne!(
        layout,
        builtin_layout(),
        "the edit of {name} changed nothing"
    );
    std::fs::write(dir.join("tables/tables.toml"), layout).unwrap();
    let options = RenderOptions {
        templates: Some(dir.clone()),
        ..bundled()
    };
    let start = Instant::now();
    let out = markdown(input, &options);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{name} took {:?}",
        start.elapsed()
    );
    out
}

fn with_layout(name: &str, edit: impl Fn(String) -> String) -> Result<String, String> {
    with_layout_for(name, &root().join("data/putuo-caizheng-2024.toml"), edit)
}

/// `layout` with the first `from` after the Shanghai set replaced by `to`.
fn shanghai(layout: String, from: &str, to: &str) -> String {
    let start = layout.find("id = \"shanghai\"").unwrap();
    let (head, tail) = layout.split_at(start);
    format!("{head}{}", tail.replacen(from, to, 1))
}

fn f003(name: &str, result: Result<String, String>, names: &str) {
    let err = match result {
        Ok(md) => panic!("{name} printed ({} bytes) instead of F003", md.len()),
        Err(err) => err,
    };
    assert!(err.contains("F003"), "{name}: {err}");
    assert!(err.contains(names), "{name} should name `{names}`: {err}");
}

fn putuo() -> String {
    markdown(&root().join("data/putuo-caizheng-2024.toml"), &bundled()).unwrap()
}

const BASIC: &str = "一般公共预算财政拨款基本支出决算表";
const FIXED_LEFT: &str = "[table.fixed_rows]\nleft = [\n  \"301\",";

#[test]
fn huge_blank_rows_are_a_layout_error() {
    for (name, n) in [
        ("blank-100000", "100000"),
        ("blank-max", "9223372036854775807"),
    ] {
        f003(
            name,
            with_layout(name, |l| {
                shanghai(l, "blank_rows = 3", &format!("blank_rows = {n}"))
            }),
            n,
        );
    }
    // Past what TOML holds: the file does not read.
    f003(
        "blank-overflow",
        with_layout("blank-overflow", |l| {
            shanghai(l, "blank_rows = 3", "blank_rows = 18446744073709551616")
        }),
        "tables/tables.toml",
    );
    f003(
        "blank-negative",
        with_layout("blank-negative", |l| {
            shanghai(l, "blank_rows = 3", "blank_rows = -1")
        }),
        "tables/tables.toml",
    );
}

#[test]
fn a_hundred_thousand_fixed_rows_print_one_row_each() {
    let codes: Vec<String> = (0..100_000).map(|i| format!("\"9{i:05}\"")).collect();
    let md = with_layout("fixed-many", |l| {
        shanghai(
            l,
            FIXED_LEFT,
            &format!("{FIXED_LEFT} {},", codes.join(", ")),
        )
    })
    .unwrap();
    let t = table(&md, BASIC);
    assert!(
        t.contains("| 900000 |") && t.contains("| 999999 |"),
        "{}",
        &t[..2000.min(t.len())]
    );
    let rows = t.lines().filter(|l| l.starts_with('|')).count();
    assert!((100_000..100_200).contains(&rows), "{rows} rows");
    // The amounts are still there and still add up.
    assert!(t.contains("人员经费合计"), "{}", &t[t.len() - 2000..]);
}

#[test]
fn fixed_codes_of_odd_lengths_print_as_written() {
    let md = with_layout("fixed-odd", |l| {
        shanghai(
            l,
            FIXED_LEFT,
            &format!("{FIXED_LEFT} \"3\", \"三〇一\", \"三\", \"\", \"30\", \"3010199999\","),
        )
    })
    .unwrap();
    let t = table(&md, BASIC);
    for code in ["| 3 |", "| 三〇一 |", "| 三 |", "| 30 |", "| 3010199999 |"] {
        assert!(t.contains(code), "{code} missing:\n{t}");
    }
    // The real codes keep their amounts: 30101 基本工资 262.33.
    assert!(t.contains("262.33"), "{t}");
}

#[test]
fn panel_totals_must_be_two() {
    for (name, totals) in [
        ("panels-none", "[]"),
        ("panels-one", "[\"人员经费合计\"]"),
        (
            "panels-three",
            "[\"人员经费合计\", \"公用经费合计\", \"合计\"]",
        ),
    ] {
        f003(
            name,
            with_layout(name, |l| {
                shanghai(
                    l,
                    "panel_totals = [\"人员经费合计\", \"公用经费合计\"]\nsubject = \"一般公共预算财政拨款基本支出\"",
                    &format!("panel_totals = {totals}\nsubject = \"一般公共预算财政拨款基本支出\""),
                )
            }),
            "panel_totals",
        );
    }
}

#[test]
fn an_empty_total_label_prints_an_empty_cell() {
    let md = with_layout("total-label", |l| {
        shanghai(
            l,
            "total_row = { position = \"bottom\", span = true }",
            "total_row = { position = \"bottom\", span = true, label = \"\" }",
        )
    })
    .unwrap();
    let t = table(&md, "一般公共预算财政拨款支出决算表");
    assert!(
        t.contains("|  |  | **2,940.05** | **2,336.91** | **603.14** |"),
        "{t}"
    );
    assert!(t.contains("行政运行"), "{t}");
}

#[test]
fn a_summary_line_with_an_alignment_and_no_label_prints_blank() {
    let md = with_layout("align-only", |l| {
        shanghai(l,
            "  { key = \"income_total\", label = \"本年收入合计\", align = \"center\" },",
            "  { align = \"center\" },\n  { align = \"right\", row = 4294967295 },\n  { key = \"income_total\", label = \"本年收入合计\", align = \"center\" },",
        )
    })
    .unwrap();
    let t = table(&md, "收入支出决算总表");
    // The two lines print blank on the left; the left half grows by two rows.
    assert!(t.contains("| **本年收入合计** | **2,946.25** |"), "{t}");
    assert_eq!(
        t.lines().filter(|l| l.starts_with('|')).count(),
        table(&putuo(), "收入支出决算总表")
            .lines()
            .filter(|l| l.starts_with('|'))
            .count()
            + 2,
        "{t}"
    );
    // Shanghai prints no 行次.
    assert!(!t.contains("4294967295"), "{t}");
    // A row number past u32 does not read.
    f003(
        "row-overflow",
        with_layout("row-overflow", |l| {
            shanghai(
                l,
                "  { key = \"income_total\", label = \"本年收入合计\", align = \"center\" },",
                "  { align = \"center\", row = 4294967296 },",
            )
        }),
        "tables/tables.toml",
    );
}

#[test]
fn a_set_naming_a_table_that_does_not_exist_is_a_layout_error() {
    f003(
        "missing-table",
        with_layout("missing-table", |l| {
            shanghai(
                l,
                "  { id = \"sh_income\" },",
                "  { id = \"no_such_table\" },",
            )
        }),
        "no_such_table",
    );
    // A table laid out only for other years is as missing.
    f003(
        "table-years",
        with_layout("table-years", |l| {
            shanghai(
                l,
                "id = \"sh_income\"\n",
                "id = \"sh_income\"\nuntil = 2000\n",
            )
        }),
        "sh_income",
    );
}

#[test]
fn header_spans_past_the_widths_are_a_layout_error() {
    for (name, span, names) in [
        (
            "colspan-huge",
            "colspan = 9223372036854775807",
            "表头与列宽数目不符",
        ),
        (
            "rowspan-huge",
            "rowspan = 9223372036854775807",
            "表头与列宽数目不符",
        ),
        ("colspan-zero", "colspan = 0", "跨 0 列或 0 行"),
    ] {
        f003(
            name,
            with_layout(name, |l| {
                shanghai(
                    l,
                    "[{ text = \"项目\", colspan = 2 }, { text = \"合计\", rowspan = 2 }",
                    &format!("[{{ text = \"项目\", {span} }}, {{ text = \"合计\", rowspan = 2 }}"),
                )
            }),
            names,
        );
    }
}

#[test]
fn many_caption_placeholders_print_once_each() {
    let pattern = "{unit}{year}{number}{subject}{".repeat(5_000);
    let md = with_layout("caption-many", |l| {
        shanghai(
            l,
            "caption = { right = \"单位：万元\" }",
            &format!("caption = {{ left = \"{pattern}\", right = \"单位：万元\" }}"),
        )
    })
    .unwrap();
    let once = "上海市普陀区财政局2024一般公共预算财政拨款支出{".repeat(5_000);
    assert!(md.contains(&once), "the caption is not filled as expected");
    // Nine tables, each caption at most its pattern filled once per placeholder.
    assert!(
        md.len() < 9 * (once.len() + 10_000) + 400_000,
        "{} bytes",
        md.len()
    );
}

/// The unit's name is printed as it is typed: placeholders in it are not filled, and text
/// inserted for one placeholder is never searched for another. (Filled one `replace` after
/// another, a name with `{subject}` in it printed the table's subject, and a caption of n
/// `{unit}` with a name of m `{subject}` grew to n × m subjects.)
#[test]
fn placeholders_in_the_unit_name_are_printed_as_typed() {
    let input = edited("name-braces", "data/putuo-caizheng-2024.toml", |t| {
        t.replacen(
            "name = \"上海市普陀区财政局\"",
            "name = \"普陀{subject}{year}局\"",
            1,
        )
    });
    let md = with_layout_for("name-braces", &input, |l| {
        shanghai(
            l,
            "caption = { right = \"单位：万元\" }",
            "caption = { left = \"编制单位：{unit}\", right = \"单位：万元\" }",
        )
    })
    .unwrap();
    assert!(md.contains("编制单位：普陀{subject}{year}局"), "{md}");
    assert!(!md.contains("编制单位：普陀一般公共预算"), "{md}");
}

/// An 经济分类 code shorter than a 类 (or not digits) in the input is refused by the check
/// (R017); and should one reach the 附表 (a model built another way), it prints as it is, in
/// its panel, never a panic.
#[test]
fn short_and_odd_economic_codes_in_the_input_never_panic() {
    for (name, code) in [
        ("econ-short", "30"),
        ("econ-one", "3"),
        ("econ-han", "三〇一"),
        ("econ-empty", ""),
    ] {
        let input = edited(name, "data/putuo-caizheng-2024.toml", |t| {
            t.replacen(
                "{ code = \"30101\", name = \"基本工资\"",
                &format!("{{ code = \"{code}\", name = \"基本工资\""),
                1,
            )
        });
        let checked = juesuan::check_file(&input);
        let human = juesuan::report::human(&checked.diagnostics, &checked.source);
        assert!(
            human.contains("R017") && human.contains(&format!("`{code}`")),
            "{name}: {human}"
        );
        // Past the check: the same code in a clean model.
        let mut bureau = juesuan::check_file(&root().join("data/putuo-caizheng-2024.toml"))
            .bureau
            .unwrap();
        let item = bureau
            .appropriation
            .general_budget
            .economic
            .iter_mut()
            .find(|e| e.code.value == "30101")
            .unwrap();
        item.code.value = code.to_string();
        let md = render::build(&bureau, &[Format::Md], &bundled(), &mut Timings::default())
            .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
            .unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let t = table(&md, BASIC);
        assert!(t.contains("262.33"), "{name}: {t}");
        assert!(t.contains("人员经费合计"), "{name}: {t}");
    }
}
