//! `juesuan diff`, `build --check` (golden files) as a user runs them.

mod common;

use common::juesuan;

use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const EXAMPLE: &str = "data/ebian-xinfang-2023.toml";

#[test]
fn build_check_passes_on_unchanged_output_and_fails_with_a_diff_after_a_template_edit() {
    let golden = scratch("golden");
    let (code, _, err) = juesuan(&["build", EXAMPLE, "-o", s(&golden), "--format", "typ,md"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = juesuan(&[
        "build",
        EXAMPLE,
        "--check",
        s(&golden),
        "--format",
        "typ,md",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("2 个文件与"), "{err}");
    // Nothing was written beside the golden files.
    let mut names: Vec<String> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["ebian-xinfang-2023.md", "ebian-xinfang-2023.typ"]);

    // A customised template: one word of the body changed.
    let templates = scratch("templates");
    let (code, _, err) = juesuan(&["init", "--templates", s(&templates)]);
    assert_eq!(code, 0, "{err}");
    let body = templates.join("sichuan/body.tera");
    let text = std::fs::read_to_string(&body).unwrap();
    assert!(text.contains("收、支总计均为"));
    std::fs::write(&body, text.replace("收、支总计均为", "收、支总计合计为")).unwrap();
    let (code, out, err) = juesuan(&[
        "build",
        EXAMPLE,
        "--check",
        s(&golden),
        "--format",
        "typ,md",
        "--templates",
        s(&templates),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("不同 ") && err.contains("ebian-xinfang-2023.md"),
        "{err}"
    );
    assert!(err.contains("2 个文件中有 2 个"), "{err}");
    assert!(
        out.contains(&format!("--- {}", s(&golden.join("ebian-xinfang-2023.md")))),
        "{out}"
    );
    assert!(out.contains("+++ 本次生成"), "{out}");
    assert!(out.contains("\n-2023年度收、支总计均为305.97万元"), "{out}");
    assert!(
        out.contains("\n+2023年度收、支总计合计为305.97万元"),
        "{out}"
    );
    // Only the changed lines and their context: not the whole document.
    assert!(out.lines().count() < 80, "{out}");
    let _ = std::fs::remove_dir_all(&golden);
    let _ = std::fs::remove_dir_all(&templates);
}

#[test]
fn build_check_reports_a_differing_pdf_and_a_missing_file() {
    let golden = scratch("pdf");
    std::fs::write(
        golden.join("ebian-xinfang-2023.pdf"),
        b"%PDF-1.7 not this one",
    )
    .unwrap();
    let (code, out, err) = juesuan(&[
        "build",
        EXAMPLE,
        "--check",
        s(&golden),
        "--format",
        "pdf,md",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("PDF 逐字节比较不一致"), "{err}");
    assert!(err.contains("ebian-xinfang-2023.md：无法读取"), "{err}");
    assert!(out.is_empty(), "{out}");
    let _ = std::fs::remove_dir_all(&golden);
}

fn diff_json(old: &str, new: &str) -> (i32, serde_json::Value) {
    let (code, out, err) = juesuan(&["diff", old, new, "--format", "json"]);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, v)
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// One budget adjustment (公务接待费预算 0.9 → 1.2 万元): the one fact, the three figures it moves
/// (预算数合计 and two 完成预算 percentages) and the sentences and table row that print them.
#[test]
fn one_budget_adjustment_lists_the_fact_the_figures_and_the_sentences_and_nothing_else() {
    let old = "tests/fixtures/diff/old.toml";
    let new = "tests/fixtures/diff/new.toml";
    let (code, v) = diff_json(old, new);
    assert_eq!(code, 1);

    let facts = v["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 1, "{facts:#?}");
    let f = &facts[0];
    assert_eq!(f["key"], "three_public.reception.budget");
    assert_eq!(f["label"], "公务接待：预算数");
    assert_eq!(f["old"]["value"], "0.9");
    assert_eq!(f["old"]["location"], format!("{old}:252:10"));
    assert_eq!(f["new"]["value"], "1.2");
    assert_eq!(f["new"]["location"], format!("{new}:252:10"));

    let figures: Vec<(&str, &str, &str)> = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["old"].as_str().unwrap(),
                f["new"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            ("three_public.budget", "0.9", "1.2"),
            ("three_public.reception.completion", "100.0", "75.0"),
            ("three_public.completion", "100.0", "75.0"),
            // The 附表 cells that print the changed budget.
            ("tables.three_public.budget.total", "0.90", "1.20"),
            ("tables.three_public.budget.reception", "0.90", "1.20"),
        ]
    );
    // Each with its formula and the input that moved, located in the new file.
    let budget = &v["figures"][0];
    assert!(
        budget["formula"]
            .as_str()
            .unwrap()
            .contains("公务接待费预算")
    );
    let moved: Vec<&serde_json::Value> = budget["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["old"] != i["new"])
        .collect();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["label"], "公务接待费预算");
    assert_eq!(moved[0]["source"], format!("{new}:252:10"));

    let sentences = v["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 3, "{sentences:#?}");
    assert_eq!(
        sentences[0]["section"],
        "（一）“三公”经费财政拨款支出决算总体情况说明"
    );
    assert_eq!(
        strings(&sentences[0]["old"]),
        [
            "2023年度“三公”经费财政拨款支出决算为0.9万元，完成预算100.0%，较上年度减少0.1万元，下降10.0%。",
            "主要原因是厉行节约，精减支出。"
        ]
    );
    assert_eq!(
        strings(&sentences[0]["new"]),
        [
            "2023年度“三公”经费财政拨款支出决算为0.9万元，完成预算75.0%，较上年度减少0.1万元，下降10.0%。",
            "决算数小于预算数的主要原因是厉行节约，精减支出。"
        ]
    );
    assert_eq!(
        strings(&sentences[1]["old"]),
        ["3.公务接待费支出0.9万元，完成预算100.0%。"]
    );
    assert_eq!(
        strings(&sentences[1]["new"]),
        ["3.公务接待费支出0.9万元，完成预算75.0%。"]
    );
    // The 三公 table of the 附表: its 预算数 columns.
    assert!(strings(&sentences[2]["new"])[0].starts_with("| 1.20 |"));

    // The same in words for a reader.
    let (code, out, err) = juesuan(&["diff", old, new]);
    assert_eq!(code, 1);
    assert!(out.contains("事实的变化（1 项）"), "{out}");
    assert!(
        out.contains("公务接待：预算数（three_public.reception.budget）"),
        "{out}"
    );
    assert!(out.contains("计算数的变化（5 个）"), "{out}");
    assert!(
        out.contains("three_public.completion：100.0 → 75.0"),
        "{out}"
    );
    assert!(out.contains("文字的变化（3 处）"), "{out}");
    assert!(
        out.contains("~ 3.公务接待费支出0.9万元，完成预算[-100.0%-]{+75.0%+}。"),
        "{out}"
    );
    assert!(
        err.contains("1 项事实、5 个计算数、3 处文字有变化"),
        "{err}"
    );
}

#[test]
fn an_unchanged_pair_exits_0_with_nothing_listed() {
    let (code, out, err) = juesuan(&["diff", EXAMPLE, EXAMPLE]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("没有变化"), "{err}");
    // The workbook made from the TOML holds the same facts (comments are not facts).
    let (code, v) = diff_json(EXAMPLE, "data/ebian-xinfang-2023.xlsx");
    assert_eq!(code, 0);
    for list in ["facts", "figures", "sentences"] {
        assert_eq!(v[list].as_array().unwrap().len(), 0, "{list}: {v:#}");
    }
}

#[test]
fn a_wording_flip_shows_in_the_sentence_diff() {
    let (code, v) = diff_json(
        "tests/fixtures/diff/old.toml",
        "tests/fixtures/diff/flip.toml",
    );
    assert_eq!(code, 1);
    assert_eq!(v["facts"].as_array().unwrap().len(), 1);
    assert_eq!(v["facts"][0]["key"], "prior_year.total");
    assert_eq!(v["figures"][0]["id"], "totals.change");
    let sentences = v["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), 1, "{sentences:#?}");
    assert_eq!(
        strings(&sentences[0]["old"]),
        ["与2022年度相比，收、支总计各增加74.09万元，增长32.0%。"]
    );
    assert_eq!(
        strings(&sentences[0]["new"]),
        ["与2022年度相比，收、支总计各减少94.03万元，下降23.5%。"]
    );
    let (_, out, _) = juesuan(&[
        "diff",
        "tests/fixtures/diff/old.toml",
        "tests/fixtures/diff/flip.toml",
    ]);
    assert!(out.contains("[-增长32.0%-]{+下降23.5%+}"), "{out}");
}

#[test]
fn an_input_with_errors_is_reported_and_named() {
    let (code, out, err) = juesuan(&["diff", EXAMPLE, "tests/fixtures/rules/R001/fail.toml"]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("错误[R001]"), "{err}");
    assert!(
        err.contains("新文件 tests/fixtures/rules/R001/fail.toml：1 个错误"),
        "{err}"
    );
    assert!(!err.contains("旧文件"), "{err}");
    let (code, _, _) = juesuan(&["diff", EXAMPLE]);
    assert_eq!(code, 2, "usage");
}

/// A workbook on one side: its facts are located by sheet and cell.
#[test]
fn a_workbook_fact_is_located_by_its_cell() {
    let dir = scratch("xlsx");
    let xlsx = dir.join("new.xlsx");
    let (code, _, err) = juesuan(&["convert", "tests/fixtures/diff/new.toml", s(&xlsx)]);
    assert_eq!(code, 0, "{err}");
    let (code, v) = diff_json("tests/fixtures/diff/old.toml", s(&xlsx));
    assert_eq!(code, 1);
    let facts = v["facts"].as_array().unwrap();
    assert_eq!(facts.len(), 1, "{facts:#?}");
    let at = facts[0]["new"]["location"].as_str().unwrap();
    assert!(at.starts_with(&format!("{}:三公经费!B", s(&xlsx))), "{at}");
    assert_eq!(v["figures"].as_array().unwrap().len(), 5);
    assert_eq!(v["sentences"].as_array().unwrap().len(), 3);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 26.3: between an 元 and a 万元 input each amount prints with its unit and in the other
/// input's unit too (was “旧：2318800 新：305.97”), and text of several lines stays indented under
/// its 旧/新.
#[test]
fn amounts_carry_their_units_and_long_text_is_indented() {
    let (code, out, _) = juesuan(&[
        "diff",
        "data/ebian-xinfang-2022.toml",
        "data/ebian-xinfang-2023.toml",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "  核对：财政拨款收入合计（appropriation.declared_income_total）\n    旧：2318800 元（= 231.88 万元）    [data/ebian-xinfang-2022.toml:"
        ),
        "{out}"
    );
    assert!(
        out.contains("    新：305.97 万元（= 3059700 元）    [data/ebian-xinfang-2023.toml:"),
        "{out}"
    );
    // A count is no amount.
    assert!(!out.contains("新：30201 万元"), "{out}");
    // The second line of a multi-line text, indented under the first.
    assert!(
        out.contains("\n        2．信访稳定经费项目是应本单位工作需要安排的长期性工作支出经费"),
        "{out}"
    );
    for line in out.lines().filter(|l| !l.is_empty()) {
        assert!(
            line.starts_with("  ") || line.ends_with('：') || line.ends_with("）："),
            "unindented line: {line}"
        );
    }
    // JSON names each side's unit.
    let (_, v) = diff_json(
        "data/ebian-xinfang-2022.toml",
        "data/ebian-xinfang-2023.toml",
    );
    let fact = v["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "appropriation.declared_income_total")
        .unwrap();
    assert_eq!(fact["old"]["unit"], "元");
    assert_eq!(fact["new"]["unit"], "万元");
}
