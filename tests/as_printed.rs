//! As printed (issue 19): a real package typed as published comes out as published.
//!
//! `shared/forms/shanghai-2024/putuo-caizheng-2024.cells.tsv` holds every non-blank cell of the
//! published 公开表 of 上海市普陀区财政局 2024; `tests/fixtures/as-printed/putuo-caizheng-2024.cells.tsv`
//! is a copy, so the test runs on a checkout of this repository alone. The 公开表 built from
//! `data/putuo-caizheng-2024.toml` must print exactly these cells: none missing, none extra,
//! every value equal — declared subtotals included (208 as 326.71 in 一 and 四, 326.72 in 二, 三
//! and 五; 301 as 2,082.85 in 六).

mod common;

use std::collections::BTreeMap;

use common::root;
use juesuan::figures::tables::{TableDoc, TableLayouts};
use juesuan::figures::{FixedGlossary, compute};

/// (table number, row, column) → value, as the TSV writes them.
type Cells = BTreeMap<(String, String, String), String>;

fn published() -> Cells {
    let text = std::fs::read_to_string(
        root().join("tests/fixtures/as-printed/putuo-caizheng-2024.cells.tsv"),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "{l}");
            ((f[0].into(), f[1].into(), f[2].into()), f[3].into())
        })
        .collect()
}

/// The value as the TSV writes it: no thousands separators.
fn plain(text: &str) -> String {
    text.replace(',', "")
}

/// Every non-blank amount cell of the built tables, keyed like the TSV: a two-panel summary
/// table's rows by `L:`/`R:` and label (`#2` for a label met again on its side), the other
/// tables' rows by code or, for a total, by label; columns by the header's leaf label (the
/// 基本支出 table's two panels print one column, 决算数).
fn built(tables: &[TableDoc]) -> Cells {
    let mut out = Cells::new();
    for (n, t) in tables.iter().enumerate() {
        let number = format!("{:02}", n + 1);
        // A leaf label joins the header rows with `·`; the TSV names a column by its last
        // row, or below the table's own title row (三公: `合计/预算数`) by the rows under it.
        let column_name = |leaf: &str| -> String {
            let parts: Vec<&str> = leaf.split('·').collect();
            if parts.len() >= 3 {
                parts[1..].join("/")
            } else {
                parts.last().copied().unwrap_or_default().to_string()
            }
        };
        let last = |leaf: &str| leaf.rsplit('·').next().unwrap_or_default().to_string();
        let first = t.leaf_labels.first().map(|l| last(l)).unwrap_or_default();
        // A table whose header names its first (label) column again has two sides (panels).
        let labelled = t
            .rows
            .iter()
            .any(|r| r.cells.first().is_some_and(|c| c.amount.is_none()));
        let boundary = t
            .leaf_labels
            .iter()
            .skip(1)
            .position(|l| last(l) == first)
            .map(|p| p + 1)
            .filter(|_| labelled);
        let summary = t.id.ends_with("income_spending") || t.id.ends_with("appropriation");
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for row in &t.rows {
            let mut labels = [String::new(), String::new()];
            for (at, cell) in row.cells.iter().enumerate() {
                if cell.span == 0 {
                    continue;
                }
                let side = usize::from(boundary.is_some_and(|b| at >= b));
                let leaf = t.leaf_labels.get(at).cloned().unwrap_or_default();
                let Some(_) = cell.amount else {
                    // The row's key: the first label of its side (a code, or a total's label).
                    let text = cell.text.trim_start_matches('　');
                    if !text.is_empty()
                        && !leaf.contains("行次")
                        && !leaf.contains("栏次")
                        && labels[side].is_empty()
                    {
                        labels[side] = text.to_string();
                    }
                    continue;
                };
                if cell.text.is_empty() {
                    continue;
                }
                let row_key = if summary {
                    let key = format!("{}:{}", if side == 0 { "L" } else { "R" }, labels[side]);
                    let count = seen.entry(format!("{key}|{leaf}")).or_default();
                    *count += 1;
                    if *count > 1 {
                        format!("{key}#{count}")
                    } else {
                        key
                    }
                } else if labels[side].is_empty() {
                    // The one row of the 三公 table.
                    "合计".to_string()
                } else {
                    labels[side].clone()
                };
                let col = if boundary.is_some() && !summary {
                    "决算数".to_string()
                } else {
                    column_name(&leaf)
                };
                out.insert((number.clone(), row_key, col), plain(&cell.text));
            }
        }
    }
    out
}

#[test]
fn the_putuo_tables_print_every_published_cell_and_nothing_else() {
    let checked = juesuan::check_file(&root().join("data/putuo-caizheng-2024.toml"));
    let bureau = checked.bureau.expect("the Putuo example checks");
    let figures = compute(&bureau, &FixedGlossary::default(), &TableLayouts::builtin()).unwrap();
    let built = built(&figures.doc.tables);
    let published = published();
    let mut problems = Vec::new();
    for (key, value) in &published {
        match built.get(key) {
            None => problems.push(format!("缺：{key:?} = {value}")),
            Some(v) if v != value => problems.push(format!("不同：{key:?} 印 {value}，生成 {v}")),
            _ => {}
        }
    }
    for (key, value) in &built {
        if !published.contains_key(key) {
            problems.push(format!("多：{key:?} = {value}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Builds the Putuo example with its TOML edited; the figures and the Markdown.
fn putuo_edited(edit: impl Fn(String) -> String) -> (juesuan::figures::Figures, String) {
    let text = std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap();
    let checked = juesuan::check_text("putuo-edited.toml", &edit(text));
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    let figures = compute(&bureau, &FixedGlossary::default(), &TableLayouts::builtin()).unwrap();
    let md = juesuan::render::build(
        &bureau,
        &[juesuan::render::Format::Md],
        &common::bundled(),
        &mut juesuan::render::Timings::default(),
    )
    .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
    .unwrap();
    (figures, md)
}

fn cell_text(f: &juesuan::figures::Figures, id: &str) -> String {
    f.ledger
        .0
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.value.clone())
        .unwrap_or_else(|| panic!("no figure {id}"))
}

/// The 基本支出 a table prints is its own 合计 cell: 人员经费 + 公用经费 is another identity,
/// checked against it within its own 尾差, never printed in its place.
#[test]
fn the_basic_total_is_the_printed_cell_not_personnel_plus_operating() {
    // 人员经费合计 printed 2,152.27 (its 款 add up to that too): 2,152.27 + 184.65 = 2,336.92,
    // while the table's 基本支出 合计 prints 2,336.91.
    let (figures, md) = putuo_edited(|t| {
        t.replace(
            "declared_personnel = 2152.26",
            "declared_personnel = 2152.27",
        )
    });
    assert_eq!(
        cell_text(&figures, "tables.sh_general_budget.total.basic"),
        "2,336.91"
    );
    assert!(
        md.contains("一般公共预算财政拨款基本支出2336.91万元"),
        "{md}"
    );
    assert!(md.contains("人员经费2152.27万元"));
    // Without the declared cell, the sum of its rows prints (2,336.92), not 人员经费 + 公用经费.
    let (figures, _) = putuo_edited(|t| {
        t.replace("declared_basic = 2336.91", "").replace(
            "declared_personnel = 2152.26",
            "declared_personnel = 2152.25",
        )
    });
    assert_eq!(
        cell_text(&figures, "tables.sh_general_budget.total.basic"),
        "2,336.92"
    );
}

/// A declared subtotal is the table's own: 208 prints 326.71 where 一 and 四 declared it, and
/// 326.72 in 二, 三 and 五; the 说明's 类 sentence uses 五's. `figures` says which is which.
#[test]
fn each_table_prints_its_own_declared_subtotal_and_the_ledger_says_so() {
    let (figures, md) = putuo_edited(|t| t);
    let record = |id: &str| {
        figures
            .ledger
            .0
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no figure {id}"))
    };
    let r = record("tables.sh_income_spending.class:208");
    assert_eq!(r.value, "326.71");
    assert!(
        r.formula.contains("来源表所印合计（declared）"),
        "{}",
        r.formula
    );
    assert!(r.formula.contains("326.72"), "{}", r.formula);
    let r = record("tables.sh_spending.208.spending_total");
    assert_eq!(r.value, "326.72");
    assert_eq!(r.formula, "下列各数之和");
    assert!(md.contains("社会保障和就业支出（类）326.72万元"));
}

/// The other identity is still checked: a printed 基本支出 beyond the 尾差 of 人员经费合计 +
/// 公用经费合计 is an error (R037), though within that of its own rows.
#[test]
fn a_basic_total_beyond_personnel_plus_operating_is_reported() {
    let text = std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap();
    let checked = juesuan::check_text(
        "putuo-edited.toml",
        &text.replace("declared_basic = 2336.91", "declared_basic = 2336.95"),
    );
    let found: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "R037" && d.severity != juesuan::diagnostic::Severity::Info)
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(
        found,
        ["一般公共预算财政拨款基本支出 2336.95 ≠ 人员经费合计 + 公用经费合计 2336.91（差 0.04）"]
    );
}

/// Text never invents (issue 19): 预算绩效管理 facts the input leaves out leave their clauses
/// out — no blank spliced in (“建立了的…机制”), no 0 the source never gave (“正在整改的0个”).
#[test]
fn absent_management_facts_leave_their_clauses_out() {
    let (_, md) = putuo_edited(|t| {
        t.replace("mechanism = \"普陀区财政局\"\n", "")
            .replace(
                "issues = { found = 0, fixed = 0, fixing = 0 }",
                "issues = { found = 2 }",
            )
            .replace("monitored = { projects = 4, budget = 598.42 }\n", "")
    });
    let sentence = md
        .lines()
        .find(|l| l.contains("预算绩效管理工作开展情况如下"))
        .unwrap();
    assert!(
        sentence.ends_with(
            "本部门建立了如下预算绩效管理制度：普陀区财政局预算绩效管理实施办法；全过程绩效管理实施情况：编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；绩效自评的2024年度项目4个，涉及预算金额598.42万元，平均得分99.43分（其中，绩效评级为“优”的项目4个；绩效评级为“良”的项目0个；绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个。绩效自评中共发现问题2个）。"
        ),
        "{sentence}"
    );
}

/// Every scalar fact of a TOML table, as a path of keys (arrays of tables are left alone: their
/// entries are lines, not optional facts).
fn scalar_paths(table: &toml::Table, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    for (k, v) in table {
        prefix.push(k.clone());
        match v {
            toml::Value::Table(t) => scalar_paths(t, prefix, out),
            toml::Value::Array(a) if a.iter().any(|x| x.is_table()) => {}
            _ => out.push(prefix.clone()),
        }
        prefix.pop();
    }
}

fn without(table: &toml::Table, path: &[String]) -> toml::Table {
    let mut t = table.clone();
    let mut at = &mut t;
    for k in &path[..path.len() - 1] {
        at = at.get_mut(k).and_then(|v| v.as_table_mut()).unwrap();
    }
    at.remove(&path[path.len() - 1]);
    t
}

/// What an empty slot looks like in a sentence: a blank spliced between words or punctuation.
const EMPTY_SLOTS: &[&str] = &[
    "：。",
    "：，",
    "：；",
    "，。",
    "，，",
    "；。",
    "；；",
    "（）",
    "为万元",
    "为%",
    "了的",
    "“”",
];

/// Each optional fact of every example left out in turn: the package still builds, and no
/// sentence holds an empty slot where the fact was.
#[test]
fn each_optional_fact_left_out_leaves_no_empty_slot() {
    let mut found = Vec::new();
    let inputs = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .chain([root().join("tests/fixtures/chongqing/ebian-as-chongqing.toml")]);
    for path in inputs {
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let table: toml::Table = text.parse().unwrap();
        let mut paths = Vec::new();
        scalar_paths(&table, &mut Vec::new(), &mut paths);
        let md_of = |t: &toml::Table| -> Option<String> {
            let checked = juesuan::check_text("x.toml", &toml::to_string(t).unwrap());
            if checked.diagnostics.has_errors() {
                return None;
            }
            juesuan::render::build(
                &checked.bureau?,
                &[juesuan::render::Format::Md],
                &common::bundled(),
                &mut juesuan::render::Timings::default(),
            )
            .ok()
            .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
        };
        let base = md_of(&table).expect("the example builds");
        let slots = |md: &str| -> Vec<String> {
            md.lines()
                .filter(|l| !l.starts_with('|'))
                .filter(|l| EMPTY_SLOTS.iter().any(|s| l.contains(s)))
                .map(str::to_string)
                .collect()
        };
        let before = slots(&base);
        for p in paths {
            let Some(md) = md_of(&without(&table, &p)) else {
                continue;
            };
            for line in slots(&md) {
                if !before.contains(&line) {
                    found.push(format!("{} 去掉 {}：{line}", path.display(), p.join(".")));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The per-项 sentence several 上海 departments print with its completion (issue 19 point 3c):
/// `[bureau] item_sentence = "completion"` adds “，完成年初预算的X%”; the form's default does not.
#[test]
fn a_bureau_may_print_each_items_completion() {
    let (_, md) = putuo_edited(|t| {
        t.replacen(
            "percent_decimals = 2 ",
            "item_sentence = \"completion\"\npercent_decimals = 2 ",
            1,
        )
    });
    assert!(
        md.contains("年初预算为1560.05万元，支出决算为1511.89万元，完成年初预算的96.91%。决算数小于预算数的主要原因："),
        "{md}"
    );
    let (_, md) = putuo_edited(|t| t);
    assert!(
        md.contains("年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：")
    );
}

/// The Sichuan example with one 项 typed 0.01 above what its 类 and 款 rows print by column,
/// the rows declared as printed, a budget line without spending and the tables' own totals.
fn ebian_by_column(edit: impl Fn(String) -> String) -> juesuan::Checked {
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    let text =
        text.replacen(
            "basic = 217.51 ",
            "reason = \"人员调整\"\nbasic = 217.52 ",
            1,
        )
        .replacen(
            "declared_total = 271.46 ",
            "declared_total = 271.46\ndeclared_budget = 274.47 ",
            1,
        ) + r#"
[[general_budget.items]]
code = "2010399"
budget = 3.00

[[declared_rows]]
table = "general_budget"
code = "201"
basic = 218.76

[[declared_rows]]
table = "general_budget"
code = "20103"
basic = 217.51
budget = 220.51

[[declared_rows]]
table = "appropriation"
code = "212"
gov_fund = 34.52

[[declared_rows]]
table = "gov_fund"
code = "合计"
total = 34.52
project = 34.52
"#;
    juesuan::check_text("ebian-by-column.toml", &edit(text))
}

fn figures_and_md(checked: juesuan::Checked) -> (juesuan::figures::Figures, String) {
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    let figures = compute(&bureau, &FixedGlossary::default(), &TableLayouts::builtin()).unwrap();
    let md = juesuan::render::build(
        &bureau,
        &[juesuan::render::Format::Md],
        &common::bundled(),
        &mut juesuan::render::Timings::default(),
    )
    .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
    .unwrap();
    (figures, md)
}

fn record<'f>(f: &'f juesuan::figures::Figures, id: &str) -> &'f juesuan::figures::ledger::Record {
    f.ledger
        .0
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no figure {id}"))
}

/// Per-column declared rows (issue 19 point 1): a 类/款 row's 基本支出 and a fund's column print
/// as their table printed them, each table its own; the ledger says declared or sum, and of what.
#[test]
fn a_row_prints_each_column_as_its_table_printed_it() {
    let (figures, md) = figures_and_md(ebian_by_column(|t| t));
    let r = record(&figures, "tables.general_budget_with_budget.201.basic");
    assert_eq!(r.value, "218.76");
    assert!(
        r.formula
            .contains("来源表所印合计（declared），下列各数之和为 218.77"),
        "{}",
        r.formula
    );
    assert_eq!(
        cell_text(&figures, "tables.general_budget_with_budget.20103.basic"),
        "217.51"
    );
    // The 款 is not declared in its 合计 column: the sum of its 项 prints there.
    let r = record(&figures, "tables.general_budget_with_budget.20103.actual");
    assert_eq!(
        (r.value.as_str(), r.formula.as_str()),
        ("217.52", "下列一数")
    );
    // 财政拨款收入支出决算总表 prints 212 in its 政府性基金 column as printed, its 合计 column
    // and the 政府性基金 table's own 212 row as the sum.
    assert_eq!(
        cell_text(
            &figures,
            "tables.appropriation.appropriation.class:212.gov_fund"
        ),
        "34.52"
    );
    assert_eq!(
        cell_text(
            &figures,
            "tables.appropriation.appropriation.class:212.total"
        ),
        "34.51"
    );
    assert_eq!(cell_text(&figures, "tables.gov_fund.212.actual"), "34.51");
    // The 政府性基金 table's 合计 row as printed, and the sentence that describes that table.
    assert_eq!(cell_text(&figures, "tables.gov_fund.total.actual"), "34.52");
    assert_eq!(
        cell_text(&figures, "tables.gov_fund.total.project"),
        "34.52"
    );
    assert!(md.contains("政府性基金预算财政拨款支出34.52万元"), "{md}");
    // The 公开表 workbook prints the same cells.
    let bureau = ebian_by_column(|t| t).bureau.unwrap();
    let xlsx = juesuan::publish::workbook(&bureau, &figures).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let mut found = Vec::new();
    use calamine::Reader;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            let text: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            if text.first().is_some_and(|c| c == "201")
                && name.contains("一般公共预算财政拨款支出决算表")
            {
                found.push(text.join("|"));
            }
        }
    }
    assert!(
        found.iter().any(|r| r.contains("218.76|218.76")),
        "{found:?}"
    );
}

/// Beyond its 尾差 a declared row is an error at its cell; a column another fact holds is refused
/// with the place to write it.
#[test]
fn a_declared_row_beyond_the_tail_is_an_error_at_its_cell() {
    let checked = ebian_by_column(|t| t.replace("basic = 218.76", "basic = 218.96"));
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
        .map(|d| format!("{} {} @{}", d.code, d.message, d.location.as_ref().unwrap()))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "R009 一般公共预算财政拨款支出决算表 201 一般公共服务支出“基本支出” 218.96 ≠ 其下各项之和 218.77（差 0.19）"
        ),
        "{errors:?}"
    );
    let checked = ebian_by_column(|t| {
        t + "\n[[declared_rows]]\ntable = \"general_budget\"\ncode = \"208\"\ntotal = 32.22\n"
    });
    let found: Vec<(String, Vec<String>)> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
        .map(|d| (d.message.clone(), d.hints.clone()))
        .collect();
    assert!(
        found
            .iter()
            .any(|(m, h)| m.contains("208 行的“合计”不是这里填的数")
                && h.iter().any(|h| h.contains("“类款合计”表"))),
        "{found:?}"
    );
}

/// Budget lines without spending (issue 19 point 2): not listed, yet in the 预算数 of their 类,
/// 款 and 合计 rows; the printed 预算数合计 prints and is the base of the completion.
#[test]
fn budget_lines_without_spending_count_in_the_table_and_the_completion() {
    let (figures, md) = figures_and_md(ebian_by_column(|t| t));
    let budget_rows: Vec<&str> = figures
        .ledger
        .0
        .iter()
        .filter(|r| {
            r.id.starts_with("tables.general_budget_with_budget.2010399")
        })
        .map(|r| r.id.as_str())
        .collect();
    assert!(budget_rows.is_empty(), "{budget_rows:?}");
    let r = record(&figures, "tables.general_budget_with_budget.201.budget");
    assert_eq!(r.value, "221.76");
    assert!(
        r.inputs.iter().any(|o| o.label.contains("无支出，不列示")),
        "{:?}",
        r.inputs
    );
    let r = record(&figures, "tables.general_budget_with_budget.total.budget");
    assert_eq!(r.value, "274.47");
    assert!(r.formula.contains("下列各数之和为 274.46"), "{}", r.formula);
    assert!(
        md.contains("一般公共预算财政拨款支出决算数为271.46万元，完成预算98.9%"),
        "{md}"
    );
}

/// The new rows go through the workbook and back unchanged, and build the same.
#[test]
fn declared_rows_round_trip_through_the_workbook() {
    let checked = ebian_by_column(|t| t);
    let text = checked.source.text.clone();
    let bytes = juesuan::workbook::from_toml("x.toml", &text).expect("convert");
    let back = juesuan::load::bytes("x.xlsx", &bytes);
    let tree = |t: &str| toml::Value::Table(t.parse().unwrap());
    assert_eq!(
        juesuan::cmd::convert::first_difference("", &tree(&text), &tree(&back.source.text)),
        None
    );
    let (a, _) = figures_and_md(checked);
    let (b, _) = figures_and_md(juesuan::check_loaded(back));
    let values = |f: &juesuan::figures::Figures| -> Vec<(String, String)> {
        f.ledger
            .0
            .iter()
            .map(|r| (r.id.clone(), r.value.clone()))
            .collect()
    };
    assert_eq!(values(&a), values(&b));
}

fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
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

/// The Markdown and Typst of an input file.
fn md_and_typ(path: &std::path::Path) -> Vec<Vec<u8>> {
    let checked = juesuan::check_file(path);
    assert!(
        !checked.diagnostics.has_errors(),
        "{}: {:#?}",
        path.display(),
        checked.diagnostics
    );
    juesuan::render::build(
        &checked.bureau.unwrap(),
        &[juesuan::render::Format::Md, juesuan::render::Format::Typ],
        &common::bundled(),
        &mut juesuan::render::Timings::default(),
    )
    .unwrap()
    .into_iter()
    .map(|a| a.bytes)
    .collect()
}

/// Issue 19's done-when: each data/ example with 公开表 (and the Sichuan example printed by column,
/// with tails, a budget line without spending and declared rows) exported, imported with
/// `--merge` and built again gives the same document. Its tails are said in one note.
#[test]
fn every_example_with_tables_survives_export_and_import_merge() {
    let dir = std::env::temp_dir().join(format!("juesuan-as-printed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let by_column = dir.join("ebian-by-column.toml");
    std::fs::write(&by_column, ebian_by_column(economic_by_column).source.text).unwrap();
    // The tables declarable since: 收入决算表, 财政拨款支出决算明细表, 04 表 本年支出合计, 项目支出
    // table, 国有资本经营 收入支出决算表.
    let new_tables = [
        (
            dir.join("ebian-income-rows.toml"),
            ebian_by_column(income_and_appropriation_rows).source.text,
        ),
        (
            dir.join("ebian-project-rows.toml"),
            ebian_by_column(project_rows).source.text,
        ),
        (
            dir.join("ebian-state-capital-rows.toml"),
            ebian_state_capital(|t| t).source.text,
        ),
        (
            dir.join("ebian-fund-balance-rows.toml"),
            ebian_fund_balances(|t| t).source.text,
        ),
        (
            dir.join("putuo-income-total-row.toml"),
            putuo_income_total_row(
                std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap(),
            ),
        ),
        (
            dir.join("putuo-income-totals-differ.toml"),
            putuo_income_totals_differ(
                std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap(),
            ),
        ),
    ];
    for (path, text) in &new_tables {
        std::fs::write(path, text).unwrap();
    }
    let mut inputs: Vec<std::path::PathBuf> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    inputs.sort();
    inputs.push(by_column.clone());
    inputs.extend(new_tables.iter().map(|(p, _)| p.clone()));
    let mut tried = 0;
    for input in &inputs {
        let stem = input.file_stem().unwrap().to_string_lossy().to_string();
        let out = dir.join(&stem);
        let (code, _) = run(&[
            "build".as_ref(),
            input.as_os_str(),
            "--format".as_ref(),
            "xlsx".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ]);
        let tables = out.join(format!("{stem}.公开表.xlsx"));
        if code != 0 || !tables.exists() {
            continue; // a 绩效-only example has no 公开表
        }
        tried += 1;
        let merged = dir.join(format!("{stem}.merged.toml"));
        let (code, text) = run(&[
            "import".as_ref(),
            tables.as_os_str(),
            "--merge".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            merged.as_os_str(),
            "--force".as_ref(),
        ]);
        assert_eq!(code, 0, "{stem}: {text}");
        assert!(text.matches("[T005]").count() <= 1, "{stem}: {text}");
        assert!(
            md_and_typ(input) == md_and_typ(&merged),
            "{stem}: the document differs after export → import --merge"
        );
        if input == &by_column || new_tables.iter().any(|(p, _)| p == input) {
            assert_eq!(text.matches("[T005]").count(), 1, "{text}");
            let written = std::fs::read_to_string(&merged).unwrap();
            assert!(written.contains("[[declared_rows]]"), "{written}");
        }
    }
    assert!(tried >= 4, "{tried}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// 30201 typed 0.01 above what the economic tables print for 302, whose rows are declared.
fn economic_by_column(t: String) -> String {
    t.replacen(
        "{ code = \"30201\", basic = 6.8 }",
        "{ code = \"30201\", basic = 6.81 }",
        1,
    ) + r#"
[[declared_rows]]
table = "general_budget_economic"
code = "302"
basic = 32.15

[[declared_rows]]
table = "general_budget_basic"
code = "302"
basic = 32.14
"#
}

/// 经济分类 类 rows by column: the 一般公共预算 明细表's 基本支出 column and the 基本支出 table's
/// 类 row each print as their table printed them.
#[test]
fn economic_class_rows_print_as_their_tables_printed_them() {
    let (figures, _) = figures_and_md(ebian_by_column(economic_by_column));
    let r = record(&figures, "tables.general_budget_economic.302.basic");
    assert_eq!(r.value, "32.15");
    assert!(r.formula.contains("下列各数之和为 32.16"), "{}", r.formula);
    assert_eq!(
        cell_text(&figures, "tables.general_budget_basic.302"),
        "32.14"
    );
    // Undeclared, the sum of the 款 prints.
    let (figures, _) = figures_and_md(ebian_by_column(|t| {
        t.replacen(
            "{ code = \"30201\", basic = 6.8 }",
            "{ code = \"30201\", basic = 6.81 }",
            1,
        )
    }));
    assert_eq!(
        cell_text(&figures, "tables.general_budget_economic.302.basic"),
        "32.16"
    );
}

/// Rows of the workbook's sheets whose title contains `sheet` and whose first cell (a 合计 row:
/// first or second) is `code`, each joined by `|`.
fn workbook_rows(
    checked: juesuan::Checked,
    figures: &juesuan::figures::Figures,
    sheet: &str,
    code: &str,
) -> Vec<String> {
    use calamine::Reader;
    let bureau = checked.bureau.unwrap();
    let xlsx = juesuan::publish::workbook(&bureau, figures).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let mut found = Vec::new();
    for name in book.sheet_names() {
        if !name.contains(sheet) {
            continue;
        }
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            let text: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            // A 合计 row names itself in its first or second cell.
            if text.iter().take(2).any(|c| c == code) {
                found.push(text.join("|"));
            }
        }
    }
    found
}

/// The 收入决算表 (201 typed 0.01 above its printed row), the 财政拨款支出决算明细表 (302 of all
/// funds) and the 04 表's 本年支出合计 in the 政府性基金 column, each declared as printed.
fn income_and_appropriation_rows(t: String) -> String {
    economic_by_column(t)
        + r#"
[[declared_rows]]
table = "income"
code = "201"
total = 218.76
appropriation = 218.76

[[declared_rows]]
table = "appropriation_economic"
code = "302"
total = 66.66
basic = 32.15

[[declared_rows]]
table = "appropriation"
code = "合计"
gov_fund = 34.52
"#
}

/// Issue 19 point 1, the remaining tables: the 收入决算表's 类 row in its 合计 and 财政拨款收入
/// columns, the 财政拨款支出决算明细表's 类 row (its 公用经费 小计 follows its 基本支出) and the
/// 04 表's 本年支出合计 in a fund's column print as printed, each table its own, in the figures
/// and in the 公开表 workbook.
#[test]
fn the_income_table_and_the_appropriation_tables_print_their_declared_rows() {
    let (figures, _) = figures_and_md(ebian_by_column(income_and_appropriation_rows));
    let r = record(&figures, "tables.income.201.income_total");
    assert_eq!(r.value, "218.76");
    assert!(r.formula.contains("下列各数之和为 218.77"), "{}", r.formula);
    assert_eq!(
        cell_text(&figures, "tables.income.201.appropriation_income"),
        "218.76"
    );
    // Undeclared, the 款 prints the sum of its 项.
    assert_eq!(
        cell_text(&figures, "tables.income.20103.income_total"),
        "217.52"
    );
    for (id, value) in [
        ("tables.appropriation_economic.302.total", "66.66"),
        ("tables.appropriation_economic.302.basic", "32.15"),
        ("tables.appropriation_economic.302.operating", "32.15"),
        ("tables.appropriation_economic.302.project", "34.51"),
        // Each table its own: the 一般公共预算 明细表 and the 基本支出 table print theirs.
        ("tables.general_budget_economic.302.basic", "32.15"),
        ("tables.general_budget_basic.302", "32.14"),
        // The 04 表 本年支出合计: the fund's column as printed, the 合计 column adds the
        // columns as printed; the 政府性基金 table's own 合计 is its own declaration.
        (
            "tables.appropriation.appropriation.spending_total.gov_fund",
            "34.52",
        ),
        (
            "tables.appropriation.appropriation.spending_total.total",
            "305.98",
        ),
        ("tables.gov_fund.total.actual", "34.52"),
    ] {
        assert_eq!(cell_text(&figures, id), value, "{id}");
    }
    let rows = workbook_rows(
        ebian_by_column(income_and_appropriation_rows),
        &figures,
        "收入决算表",
        "201",
    );
    assert!(rows.iter().any(|r| r.contains("218.76|218.76")), "{rows:?}");
    let rows = workbook_rows(
        ebian_by_column(income_and_appropriation_rows),
        &figures,
        "财政拨款支出决算明细表",
        "302",
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("302|") && r.contains("66.66|32.15||32.15|34.51")),
        "{rows:?}"
    );
}

/// 2080505 split into 基本支出 and 0.51 of 项目支出, its economic lines 0.25 + 0.25: the
/// 项目支出 table (四川公开09表) prints its 301 and 合计 rows as printed, 0.51.
fn project_rows(t: String) -> String {
    t.replacen(
        "code = \"2080505\"                # 原文：“机关事业单位养老保险缴费支出”；科目表名称为“机关事业单位基本养老保险缴费支出”\nbasic = 19.83",
        "code = \"2080505\"\nbasic = 19.32\nproject = 0.51",
        1,
    )
    .replacen(
        "{ code = \"30108\", basic = 19.83 }",
        "{ code = \"30108\", basic = 19.32, project = 0.25 }",
        1,
    )
    .replacen(
        "{ code = \"30109\", basic = 9.92 }",
        "{ code = \"30109\", basic = 9.92, project = 0.25 }",
        1,
    )
    .replacen("basic = 271.46                 # 基本支出", "basic = 270.95", 1)
    .replacen("project = 34.51                # 项目支出", "project = 35.01", 1)
        + r#"
[[declared_rows]]
table = "general_budget_project"
code = "301"
project = 0.51

[[declared_rows]]
table = "general_budget_project"
code = "合计"
project = 0.51
"#
}

/// The 项目支出 table has its own declaration: the 一般公共预算 明细表 beside it prints the sum.
#[test]
fn the_project_table_prints_its_own_class_rows() {
    let (figures, _) = figures_and_md(ebian_by_column(project_rows));
    let r = record(&figures, "tables.general_budget_project.301.project");
    assert_eq!(r.value, "0.51");
    assert!(r.formula.contains("下列各数之和为 0.50"), "{}", r.formula);
    assert_eq!(
        cell_text(&figures, "tables.general_budget_project.total.project"),
        "0.51"
    );
    assert_eq!(
        cell_text(&figures, "tables.general_budget_economic.301.project"),
        "0.50"
    );
    let rows = workbook_rows(
        ebian_by_column(project_rows),
        &figures,
        "项目支出决算表",
        "301",
    );
    assert_eq!(rows, ["301|工资福利支出|0.51"], "{rows:?}");
}

/// The example's 政府性基金 moved to 国有资本经营 (四川 prints it in two tables, 公开11表 收入支出
/// and 公开12表 支出), the 收入支出 table's 合计 row declared as printed.
fn state_capital_rows(t: String) -> String {
    t.replacen(
        "gov_fund = 34.51               # 政府性基金预算财政拨款收入\nstate_capital = 0",
        "gov_fund = 0\nstate_capital = 34.51",
        1,
    )
    .replacen(
        "[[appropriation.gov_fund.items]]\ncode = \"2120899\"",
        "[[appropriation.state_capital.items]]\ncode = \"2230105\"",
        1,
    )
    .replace(
        "[[appropriation.gov_fund.economic]]",
        "[[appropriation.state_capital.economic]]",
    )
    .replacen(
        "[appropriation.state_capital]   # 国有资本经营预算财政拨款：本年无\n",
        "",
        1,
    )
    .replacen(
        "[appropriation.gov_fund]        # 政府性基金预算财政拨款",
        "[appropriation.state_capital]",
        1,
    ) + r#"
[[declared_rows]]
table = "state_capital_income_spending"
code = "合计"
total = 34.52
project = 34.52
"#
}

fn ebian_state_capital(edit: impl Fn(String) -> String) -> juesuan::Checked {
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    juesuan::check_text("ebian-state-capital.toml", &edit(state_capital_rows(text)))
}

/// Sichuan's two 国有资本经营 tables each print their own 合计; the sentence describes the 支出
/// table (公开12表) when it is declared, else the 收入支出 table.
#[test]
fn each_state_capital_table_prints_its_own_total() {
    let (figures, md) = figures_and_md(ebian_state_capital(|t| t));
    assert_eq!(
        cell_text(
            &figures,
            "tables.state_capital_income_spending.total.actual"
        ),
        "34.52"
    );
    assert_eq!(
        cell_text(
            &figures,
            "tables.state_capital_income_spending.total.project"
        ),
        "34.52"
    );
    assert_eq!(
        cell_text(&figures, "tables.state_capital.total.actual"),
        "34.51"
    );
    assert!(md.contains("国有资本经营预算财政拨款支出34.52万元"), "{md}");
    let both = |t: String| {
        t + "\n[[declared_rows]]\ntable = \"state_capital\"\ncode = \"合计\"\ntotal = 34.50\n"
    };
    let (figures, md) = figures_and_md(ebian_state_capital(both));
    assert_eq!(
        cell_text(&figures, "tables.state_capital.total.actual"),
        "34.50"
    );
    assert_eq!(
        cell_text(
            &figures,
            "tables.state_capital_income_spending.total.actual"
        ),
        "34.52"
    );
    assert!(md.contains("国有资本经营预算财政拨款支出34.5万元"), "{md}");
    let rows = workbook_rows(ebian_state_capital(both), &figures, "国有资本经营", "合计");
    assert!(rows.iter().any(|r| r.contains("|34.52|")), "{rows:?}");
    assert!(
        rows.iter().any(|r| r.ends_with("|合计|34.5|0|34.51")),
        "{rows:?}"
    );
}

/// Beyond its 尾差 a declared cell of a new table is R009 at that cell: in TOML its value (with
/// the entry named), in a workbook its 分列合计 cell.
#[test]
fn a_new_tables_declared_cell_beyond_the_tail_is_an_error_at_its_cell() {
    let edit =
        |t: String| income_and_appropriation_rows(t).replace("total = 66.66", "total = 67.66");
    let checked = ebian_by_column(edit);
    let errors: Vec<&juesuan::diagnostic::Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = errors[0];
    assert!(
        d.message.starts_with(
            "财政拨款支出决算明细表 302 商品和服务支出“合计” 67.66 ≠ 其下各项之和 66.67"
        ),
        "{}",
        d.message
    );
    let at = d.location.as_ref().unwrap().to_string();
    let line = checked
        .source
        .text
        .lines()
        .nth(at.split(':').nth(1).unwrap().parse::<usize>().unwrap() - 1)
        .unwrap();
    assert_eq!(line, "total = 67.66", "{at}");
    assert!(
        d.hints.iter().any(|h| h.starts_with("TOML 中写在第 ")
            && h.ends_with("个 [[declared_rows]] 下：total = …")),
        "{:?}",
        d.hints
    );
    // The same input as a workbook: the error is at the 分列合计 cell of that figure.
    let bytes = juesuan::workbook::from_toml("x.toml", &checked.source.text).expect("convert");
    let back = juesuan::check_loaded(juesuan::load::bytes("x.xlsx", &bytes));
    let d = back
        .diagnostics
        .iter()
        .find(|d| d.severity == juesuan::diagnostic::Severity::Error)
        .expect("the error");
    let at = d.location.as_ref().unwrap().to_string();
    assert!(at.starts_with("x.xlsx:分列合计!C"), "{at}");
}

/// Putuo with 2010602's 其他收入 typed 0.01 below what the 收入决算表 prints in its 合计 row
/// (6.20, also the 收入支出决算总表's), that row declared as printed.
fn putuo_income_total_row(t: String) -> String {
    t.replacen("income = { other = 6.19 }", "income = { other = 6.18 }", 1)
        + r#"
[[declared_rows]]
table = "income"
code = "合计"
other = 6.20
"#
}

/// 公开01表 prints 其他收入 6.19 (its `[income]` fact) and the 收入决算表's 合计 row 6.20 (within
/// the tail of its rows, 6.19): each table prints its own figure, and `import` reads them back as
/// the fact and a declared row, not as a conflict.
fn putuo_income_totals_differ(t: String) -> String {
    t.replacen("income = { other = 6.19 }", "income = { other = 6.18 }", 1)
        .replacen(
            "other = 6.20                     # 八、其他收入",
            "other = 6.19",
            1,
        )
        .replacen(
            "declared_total = 2946.25         # 本年收入合计",
            "declared_total = 2946.24",
            1,
        )
        .replacen(
            "declared_grand_total = 2995.39   # 总计",
            "declared_grand_total = 2995.38",
            1,
        )
        + r#"
[[declared_rows]]
table = "income"
code = "合计"
other = 6.20
"#
}

/// Issue 19 point 1: the 收入决算表's 合计 row in a column of the money that is not an
/// appropriation prints as that table printed it, within the 尾差; the ledger says so.
#[test]
fn the_income_tables_total_row_prints_its_declared_columns() {
    let (figures, md) = putuo_edited(putuo_income_total_row);
    let r = record(&figures, "tables.sh_income.total.other");
    assert_eq!(r.value, "6.20");
    assert!(
        r.formula
            .contains("来源表所印合计（declared），下列各数之和为 6.19"),
        "{}",
        r.formula
    );
    // Undeclared, the 类 row adds its 项.
    assert_eq!(cell_text(&figures, "tables.sh_income.201.other"), "6.19");
    assert!(md.contains("6.20"));
    // The 公开表 workbook prints it too.
    let text = std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap();
    let rows = workbook_rows(
        juesuan::check_text("putuo-edited.toml", &putuo_income_total_row(text)),
        &figures,
        "收入决算表",
        "合计",
    );
    assert!(rows.iter().any(|r| r.ends_with("|6.2")), "{rows:?}");
    // Beyond the 尾差: R009 at the cell.
    let text = std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap();
    let checked = juesuan::check_text(
        "putuo-edited.toml",
        &putuo_income_total_row(text).replace("other = 6.20\n", "other = 6.40\n"),
    );
    let errors: Vec<&juesuan::diagnostic::Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = errors[0];
    assert_eq!(d.code.to_string(), "R009");
    assert!(
        d.message
            .starts_with("收入决算表合计行“其他收入” 6.4 ≠ 各项之和 6.19"),
        "{}",
        d.message
    );
    let at = d.location.as_ref().unwrap().to_string();
    let line = checked
        .source
        .text
        .lines()
        .nth(at.split(':').nth(1).unwrap().parse::<usize>().unwrap() - 1)
        .unwrap();
    assert_eq!(line, "other = 6.40", "{at}");
}

/// The example's 政府性基金 项 with 1.00 carried over at both ends, and the 政府性基金 table's 212
/// and 21208 rows printing 0.01 off in their balance and 本年收入 columns, declared as printed.
fn fund_balance_rows(t: String) -> String {
    t.replacen(
        "[appropriation.gov_fund]        # 政府性基金预算财政拨款\nopening_balance = 0\nclosing_balance = 0",
        "[appropriation.gov_fund]        # 政府性基金预算财政拨款\nopening_balance = 1.00\nclosing_balance = 1.00",
        1,
    )
    .replacen(
        "project = 34.51                 # 原文名词解释",
        "opening_balance = 1.00\nclosing_balance = 1.00\nproject = 34.51                 # 原文名词解释",
        1,
    ) + r#"
[[declared_rows]]
table = "gov_fund"
code = "212"
opening_balance = 0.99
income = 34.52
closing_balance = 1.01

[[declared_rows]]
table = "gov_fund"
code = "21208"
income = 34.52
"#
}

fn ebian_fund_balances(edit: impl Fn(String) -> String) -> juesuan::Checked {
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    juesuan::check_text("ebian-fund-balances.toml", &edit(fund_balance_rows(text)))
}

/// Issue 19 point 1: the 政府性基金 (and 国有资本经营) 收入支出决算表's 类 and 款 rows print their
/// 年初结转和结余, 本年收入 and 年末结转和结余 as printed within the 尾差; beyond it R009 at the cell.
#[test]
fn fund_tables_print_their_declared_balance_and_income_rows() {
    let (figures, _) = figures_and_md(ebian_fund_balances(|t| t));
    for (id, value) in [
        ("tables.gov_fund.212.opening_balance", "0.99"),
        ("tables.gov_fund.212.income", "34.52"),
        ("tables.gov_fund.212.closing_balance", "1.01"),
        ("tables.gov_fund.21208.income", "34.52"),
        // Undeclared: the 款's balances and the 项 add up.
        ("tables.gov_fund.21208.opening_balance", "1.00"),
        ("tables.gov_fund.2120899.income", "34.51"),
        ("tables.gov_fund.total.income", "34.51"),
    ] {
        assert_eq!(cell_text(&figures, id), value, "{id}");
    }
    let rows = workbook_rows(ebian_fund_balances(|t| t), &figures, "政府性基金", "212");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("212|") && r.contains("|0.99|34.52|") && r.ends_with("|1.01")),
        "{rows:?}"
    );
    let r = record(&figures, "tables.gov_fund.212.income");
    assert!(
        r.formula
            .contains("来源表所印合计（declared），下列各数之和为 34.51"),
        "{}",
        r.formula
    );
    // The 国有资本经营 收入支出决算表 the same way.
    let moved = |t: String| {
        state_capital_rows(fund_balance_rows(t))
            .replace(
                "table = \"gov_fund\"\ncode = \"212\"",
                "table = \"state_capital_income_spending\"\ncode = \"223\"",
            )
            .replace(
                "table = \"gov_fund\"\ncode = \"21208\"",
                "table = \"state_capital_income_spending\"\ncode = \"22301\"",
            )
    };
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    let (figures, _) = figures_and_md(juesuan::check_text("x.toml", &moved(text)));
    assert_eq!(
        cell_text(
            &figures,
            "tables.state_capital_income_spending.223.closing_balance"
        ),
        "1.01"
    );
    assert_eq!(
        cell_text(
            &figures,
            "tables.state_capital_income_spending.22301.income"
        ),
        "34.52"
    );
    // Beyond the 尾差: R009 at the declared figure.
    let checked = ebian_fund_balances(|t| t.replacen("income = 34.52", "income = 35.52", 1));
    let errors: Vec<&juesuan::diagnostic::Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code.to_string(), "R009");
    assert!(
        errors[0]
            .message
            .contains("212 城乡社区支出“本年收入” 35.52 ≠ 其下各项之和 34.51"),
        "{}",
        errors[0].message
    );
    let at = errors[0].location.as_ref().unwrap().to_string();
    let line = checked
        .source
        .text
        .lines()
        .nth(at.split(':').nth(1).unwrap().parse::<usize>().unwrap() - 1)
        .unwrap();
    assert_eq!(line, "income = 35.52", "{at}");
    // A 项's balance is its own fact: refused with the place to write it.
    let checked = ebian_fund_balances(|t| {
        t + "\n[[declared_rows]]\ntable = \"gov_fund\"\ncode = \"2120899\"\nopening_balance = 1.00\n"
    });
    assert!(
        checked.diagnostics.iter().any(|d| d
            .message
            .contains("2120899 行的“年初结转和结余”不是这里填的数")),
        "{:#?}",
        checked.diagnostics
    );
}
