//! 绩效自评表 numbers in the ledger: `juesuan figures` lists each sheet's 执行率, 得分, 总分 and
//! 等级 with the values the printed sheet shows, and every number a sheet's context holds has a
//! record under its place in the context (`performance.sheets[n].<field>`).

mod common;

use common::{bundled, juesuan, root};

use juesuan::figures::Figures;
use juesuan::render::{self, Format, Timings};
use serde_json::Value;

fn figures(input: &str) -> Figures {
    let checked = juesuan::check_file(&root().join(input));
    assert!(
        !checked.diagnostics.has_errors(),
        "{input}: {:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    render::prepare(&bureau, &bundled()).unwrap().1
}

fn markdown(input: &str) -> String {
    let checked = juesuan::check_file(&root().join(input));
    let bureau = checked.bureau.unwrap();
    let mut artifacts =
        render::build(&bureau, &[Format::Md], &bundled(), &mut Timings::default()).unwrap();
    String::from_utf8(artifacts.remove(0).bytes).unwrap()
}

/// `id = value` lines of `juesuan figures`.
fn listed(input: &str) -> Vec<(String, String)> {
    let (code, out, err) = juesuan(&["figures", input]);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| {
            let (id, rest) = l.split_once(" = ")?;
            let value = rest.split("    [").next().unwrap_or(rest);
            Some((id.to_string(), value.to_string()))
        })
        .collect()
}

fn value_of<'a>(listed: &'a [(String, String)], id: &str) -> &'a str {
    listed
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{id} not listed by `juesuan figures`"))
}

#[test]
fn figures_lists_the_sheets_of_the_ebian_example_as_printed() {
    let input = "data/ebian-xinfang-2023.toml";
    let listed = listed(input);
    let md = markdown(input);
    // 附件1 部门整体绩效自评打分表: 部门整体自评得分98分.
    assert_eq!(value_of(&listed, "performance.sheets[0].total"), "98");
    assert!(md.contains("部门整体自评得分98分"), "{md}");
    assert_eq!(value_of(&listed, "performance.sheets[0].grade"), "优");
    // Its rows: 执行进度 scored 3 of 5 (部分达成 0.6), the 一级指标 weights 70 and 30.
    assert_eq!(
        value_of(&listed, "performance.sheets[0].rows[6].score"),
        "3"
    );
    assert_eq!(
        value_of(&listed, "performance.sheets[0].rows[6].weight"),
        "5"
    );
    assert_eq!(
        value_of(&listed, "performance.sheets[0].rows[0].level1_weight"),
        "70"
    );
    assert_eq!(
        value_of(&listed, "performance.sheets[0].rows[9].level1_weight"),
        "30"
    );
    // 附件2 信访稳定经费: 全年预算数32万元（其中：中省补助资金0万元，县级预算资金32万元），
    // 全年执行数32万元，执行率100.00%.
    assert!(
        md.contains("全年预算数32万元（其中：中省补助资金0万元，县级预算资金32万元），全年执行数32万元，执行率100.00%"),
        "{md}"
    );
    assert_eq!(value_of(&listed, "performance.sheets[1].budget"), "32");
    assert_eq!(value_of(&listed, "performance.sheets[1].executed"), "32");
    assert_eq!(
        value_of(&listed, "performance.sheets[1].budget_county"),
        "32"
    );
    assert_eq!(
        value_of(&listed, "performance.sheets[1].execution_rate"),
        "100.00%"
    );
    // Its 等于型 indicator 预算执行率 =100%, 完成率 100.0%.
    assert_eq!(
        value_of(&listed, "performance.sheets[1].rows[1].target"),
        "=100%"
    );
    assert_eq!(
        value_of(&listed, "performance.sheets[1].rows[1].completion"),
        "100.0%"
    );
    assert!(
        md.contains("| 预算执行率 | =100% | 100% | 100.0% |"),
        "{md}"
    );
}

#[test]
fn scored_sheets_list_their_execution_score_total_and_grade() {
    // 青龙: 执行率 85.69 % of 10 points scores 8.57; 总分 98.57.
    let listed_q = listed("data/qinglong-xinfang-2023.toml");
    assert_eq!(
        value_of(&listed_q, "performance.sheets[0].execution_rate"),
        "85.69%"
    );
    assert_eq!(
        value_of(&listed_q, "performance.sheets[0].execution_score"),
        "8.57"
    );
    assert_eq!(value_of(&listed_q, "performance.sheets[0].total"), "98.57");
    // 岳阳 (seed 003, 湖南): 99.94 % scores 9.94 by the point, outside the total of 98.8.
    let listed_y = listed("data/yueyang-xinfang-2024.toml");
    assert_eq!(
        value_of(&listed_y, "performance.sheets[0].execution_rate"),
        "99.94%"
    );
    assert_eq!(
        value_of(&listed_y, "performance.sheets[0].execution_score"),
        "9.94"
    );
    assert_eq!(value_of(&listed_y, "performance.sheets[0].total"), "98.8");
    let f = figures("data/yueyang-xinfang-2024.toml");
    let total = f
        .ledger
        .0
        .iter()
        .find(|r| r.id == "performance.sheets[0].total")
        .unwrap();
    assert!(total.formula.contains("不计入总分"), "{}", total.formula);
    assert!(
        total.inputs.iter().all(|i| i.label != "预算执行率得分"),
        "{:#?}",
        total.inputs
    );
}

/// Context fields that are words, not figures (or layout, like a row count).
const TEXT: &[&str] = &[
    "name",
    "bureau",
    "department",
    "goal",
    "outcome",
    "problems",
    "suggestions",
    "level1",
    "level2",
    "level3",
    "explanation",
    "criteria",
    "reason",
    "item",
    "unit",
    "number",
    "level1_rows",
    "level1_first",
    "whole",
    "sections",
    // The 绩效评价报告 printed before the sheet records its own figures under `report.*`.
    "report",
];

/// Every `(path, printed value)` of a sheet's context that is a figure: a string with a digit, an
/// integer count, or a 同比 change (recorded as one figure).
fn printed_figures(path: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if TEXT.contains(&k.as_str()) {
                    continue;
                }
                let p = format!("{path}.{k}");
                if k == "change" && !x.is_null() {
                    out.push((p, String::new()));
                    continue;
                }
                // The 一级指标's weight is printed once, on its first row, when it has 分值.
                if k == "level1_weight"
                    && (map.get("level1_first") != Some(&Value::Bool(true))
                        || map.get("weight") == Some(&Value::String(String::new())))
                {
                    continue;
                }
                printed_figures(&p, x, out);
            }
        }
        Value::Array(items) => {
            for (n, x) in items.iter().enumerate() {
                printed_figures(&format!("{path}[{n}]"), x, out);
            }
        }
        Value::String(s) if s.chars().any(|c| c.is_ascii_digit()) => {
            out.push((path.to_string(), s.clone()))
        }
        Value::Number(n) => out.push((path.to_string(), n.to_string())),
        _ => {}
    }
}

#[test]
fn every_number_of_every_sheet_has_its_ledger_record() {
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let input = format!("data/{}", path.file_name().unwrap().to_str().unwrap());
        let f = figures(&input);
        let sheets = serde_json::to_value(&f.doc.performance.sheets).unwrap();
        let mut wanted = Vec::new();
        printed_figures("performance.sheets", &sheets, &mut wanted);
        for (id, value) in wanted {
            let record = f
                .ledger
                .0
                .iter()
                .find(|r| r.id == id)
                .unwrap_or_else(|| panic!("{input}: {id} = {value} has no ledger record"));
            assert!(!record.formula.is_empty(), "{input}: {id} has no formula");
            if !value.is_empty() {
                assert_eq!(record.value, value, "{input}: {id}");
            }
            checked += 1;
        }
        // And no sheet record names a figure the context does not hold.
        for r in f
            .ledger
            .0
            .iter()
            .filter(|r| r.id.starts_with("performance.sheets"))
        {
            assert!(
                json_at(&sheets, &r.id["performance.sheets".len()..]).is_some(),
                "{input}: {} is recorded but not in the context",
                r.id
            );
        }
    }
    // The examples hold hundreds of sheet figures; a walk that finds none proves nothing.
    assert!(checked > 300, "only {checked} sheet figures checked");
}

/// The value at `[n].rows[k].score`-style `path` inside `v`.
fn json_at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = v;
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let (n, r) = r.split_once(']')?;
            v = v.get(n.parse::<usize>().ok()?)?;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            v = v.get(&r[..end])?;
            rest = &r[end..];
        } else {
            return None;
        }
    }
    Some(v)
}
