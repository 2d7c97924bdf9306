//! Forms are data: a form that exists only in a folder (tests/fixtures/forms/custom, a copy of the
//! Sichuan form with another part order, chapter order, number style and words) builds with no
//! Rust change, and an input naming a form nobody defined is refused with the forms known.

mod common;

use std::path::PathBuf;

use common::{juesuan, root};

/// The example with `form = "custom"`, in a fresh folder.
fn custom_input(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("juesuan-forms-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    let text = text.replacen("form = \"sichuan\"", "form = \"custom\"", 1);
    assert!(text.contains("form = \"custom\""));
    let input = dir.join("custom.toml");
    std::fs::write(&input, text).unwrap();
    (dir, input)
}

fn fixture_forms() -> String {
    root()
        .join("tests/fixtures/forms")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn a_form_defined_only_in_a_folder_builds_with_its_words_style_and_order() {
    let (dir, input) = custom_input("build");
    let out = dir.join("out");
    let (code, _, err) = juesuan(&[
        "build",
        input.to_str().unwrap(),
        "--templates",
        &fixture_forms(),
        "--format",
        "md,typ",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let custom = std::fs::read_to_string(out.join("custom.md")).unwrap();
    let sichuan_path = dir.join("sichuan");
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "--format",
        "md",
        "-o",
        sichuan_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let sichuan = std::fs::read_to_string(sichuan_path.join("ebian-xinfang-2023.md")).unwrap();

    // Parts: the 说明 comes first, under the form's heading style.
    let at = |doc: &str, s: &str| doc.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at(&custom, "一、2023年度部门决算情况说明") < at(&custom, "二、部门概况"));
    assert!(custom.contains("## 三、名词解释") && custom.contains("## 五、附表"));
    assert!(sichuan.contains("## 第一部分　部门概况"));
    // Chapters: 国有资本经营 before 政府性基金 in the form's own body.
    assert!(
        at(&custom, "八、国有资本经营预算支出决算情况说明")
            < at(&custom, "九、政府性基金预算支出决算情况说明")
    );
    // Words and number style: 增多…提高, 2 fixed decimals in the text, whole percentages bare.
    assert!(sichuan.contains("收、支总计各增加74.09万元，增长32.0%"));
    assert!(
        custom.contains("收、支总计各增多74.09万元，提高32%"),
        "{}",
        &custom[..2000.min(custom.len())]
    );
    assert!(sichuan.contains("机关运行经费支出33.35万元，比2022年度增加0.65万元，增长2.0%"));
    assert!(custom.contains("机关运行经费支出33.35万元，比2022年度增多0.65万元，提高2%"));
    // (The 绩效 attachments follow their own 绩效 form, not the 说明's number style.)
    let text = &custom[..at(&custom, "## 四、附件")];
    assert!(
        !text.contains("100.0%"),
        "whole percentages lose their decimals"
    );
    assert!(custom.contains("占本年支出合计的88.7%"), "others keep them");
    // Money in the text with 2 fixed decimals: 4.8 → 4.80, 0 → 0.00.
    assert!(sichuan.contains("为4.8万元") && custom.contains("为4.80万元"));
    assert!(sichuan.contains("入0万元") && custom.contains("入0.00万元"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_and_figures_know_the_forms_of_a_templates_folder() {
    let (dir, input) = custom_input("check");
    let (code, _, err) = juesuan(&["check", input.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("错误[E005]") && err.contains("未知的表式 `custom`"),
        "{err}"
    );
    assert!(
        err.contains("填写 chongqing（重庆格式）或 sichuan（四川省格式）"),
        "{err}"
    );
    assert!(
        err.contains("--templates"),
        "the hint says where forms live: {err}"
    );
    let (code, _, err) = juesuan(&[
        "check",
        input.to_str().unwrap(),
        "--templates",
        &fixture_forms(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = juesuan(&[
        "figures",
        input.to_str().unwrap(),
        "--templates",
        &fixture_forms(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("totals.change = 增多74.09 32%"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_manifest_is_a_template_error_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("juesuan-forms-broken-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("mine")).unwrap();
    std::fs::write(
        dir.join("mine/form.toml"),
        "key = \"yours\"\nname = \"我的\"\ntables = \"central\"\n",
    )
    .unwrap();
    let (code, _, err) = juesuan(&[
        "check",
        "data/ebian-xinfang-2023.toml",
        "--templates",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[F003]"), "{err}");
    assert!(
        err.contains("mine/form.toml") && err.contains("与所在文件夹名“mine”不同"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_may_change_a_built_in_scoring_policy_or_add_a_performance_form() {
    let dir = std::env::temp_dir().join(format!("juesuan-forms-scoring-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let built_in =
        std::fs::read_to_string(root().join("templates/performance/sichuan/form.toml")).unwrap();
    assert!(built_in.contains("deviation_threshold = 30"));
    let lenient = built_in.replace("deviation_threshold = 30", "deviation_threshold = 60");
    std::fs::create_dir_all(dir.join("performance/sichuan")).unwrap();
    std::fs::write(dir.join("performance/sichuan/form.toml"), &lenient).unwrap();
    let fail = "tests/fixtures/rules/R025/fail.toml";
    let (code, _, err) = juesuan(&["check", fail]);
    assert_eq!(code, 1);
    assert!(
        err.contains("错误[R025]") && err.contains("偏离目标值 200 达 50.0%"),
        "{err}"
    );
    let templates = dir.to_str().unwrap();
    let (code, _, err) = juesuan(&["check", fail, "--templates", templates]);
    assert_eq!(code, 0, "a 50% deviation is within a 60% threshold: {err}");

    // A form of the office's own on the Sichuan layout, with grades of its own.
    let own = lenient
        .replace("key = \"sichuan\"", "key = \"mine\"")
        .replace("label = \"优\"", "label = \"优秀\"");
    std::fs::create_dir_all(dir.join("performance/mine")).unwrap();
    std::fs::write(dir.join("performance/mine/form.toml"), own).unwrap();
    let input = dir.join("mine.toml");
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    assert!(!text.contains("[performance]\n"));
    let text = format!("{text}\n[performance]\nform = \"mine\"\n");
    std::fs::write(&input, text).unwrap();
    let (code, _, err) = juesuan(&["check", input.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("未知的绩效自评表版式 `mine`"), "{err}");
    let (code, _, err) = juesuan(&["check", input.to_str().unwrap(), "--templates", templates]);
    assert_eq!(code, 0, "{err}");
    // Scored with the form's own grades.
    let forms = juesuan::render::templates::TemplateSet::load(Some(&dir))
        .unwrap()
        .forms()
        .unwrap();
    let checked = juesuan::check_file_with(&input, &forms);
    let bureau = checked.bureau.unwrap();
    assert_eq!(bureau.performance.spec.key, "mine");
    let options = juesuan::render::RenderOptions {
        templates: Some(dir.clone()),
        ..Default::default()
    };
    let (_, figures) = juesuan::render::prepare(&bureau, &options).unwrap();
    let grades: Vec<&str> = figures
        .doc
        .performance
        .sheets
        .iter()
        .map(|s| s.grade.as_str())
        .filter(|g| !g.is_empty())
        .collect();
    assert!(
        !grades.is_empty() && grades.iter().all(|g| *g == "优秀"),
        "{grades:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_chongqing_form_builds_the_same_facts_in_its_own_structure() {
    let input = root().join("tests/fixtures/chongqing/ebian-as-chongqing.toml");
    let checked = juesuan::check_file(&input);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    let md = juesuan::render::build(
        &bureau,
        &[juesuan::render::Format::Md],
        &Default::default(),
        &mut Default::default(),
    )
    .unwrap()
    .remove(0)
    .bytes;
    let md = String::from_utf8(md).unwrap();
    // 收入总计 and 支出总计 stated apart, one change; 收入合计 and 支出合计 with their own priors.
    assert!(md.contains(
        "1.总体情况。2023年度收入总计305.97万元，支出总计305.97万元。收、支与2022年度相比，增加74.09万元，增长32.0%，主要原因是"
    ));
    assert!(md.contains("2.收入情况。2023年度收入合计305.97万元，与2022年度相比，增加74.09万元"));
    assert!(md.contains("4.结转结余情况。2023年度年末结转和结余0.00万元，与2022年度相比，持平。"));
    assert!(md.contains("与2022年相比，财政拨款收、支总计各增加74.09万元"));
    // Zero lines left out; the national chapters renumbered under 二.
    let income = md.lines().find(|l| l.starts_with("2.收入情况。")).unwrap();
    assert!(!income.contains("占0.0%"), "omit_zero_lines: {income}");
    assert!(
        !income.contains("事业收入"),
        "a source of 0 is left out: {income}"
    );
    assert!(
        md.contains("## 一、部门基本情况")
            && md.contains("### （三）一般公共预算财政拨款支出决算情况说明")
    );
    insta::assert_snapshot!("chongqing.md", md);
}

/// The Chongqing facts (上年收入合计、支出合计、年末结转和结余 and their reasons) survive a
/// workbook: the same package from the TOML and from the workbook converted from it.
#[test]
fn the_chongqing_facts_round_trip_through_a_workbook() {
    let path = root().join("tests/fixtures/chongqing/ebian-as-chongqing.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let bytes = juesuan::workbook::from_toml("cq.toml", &text).unwrap();
    let md = |checked: juesuan::Checked| {
        assert!(
            !checked.diagnostics.has_errors(),
            "{:?}",
            checked.diagnostics
        );
        let b = checked.bureau.unwrap();
        assert_eq!(
            b.prior
                .spending_total
                .as_ref()
                .map(|a| a.value.0.to_string()),
            Some("231.88".to_string())
        );
        let out = juesuan::render::build(
            &b,
            &[juesuan::render::Format::Md],
            &Default::default(),
            &mut Default::default(),
        )
        .unwrap();
        out[0].bytes.clone()
    };
    let from_toml = md(juesuan::check_file(&path));
    let from_xlsx = md(juesuan::check_loaded(juesuan::workbook::load_bytes(
        "cq.xlsx", &bytes,
    )));
    assert!(from_toml == from_xlsx, "the workbook lost a Chongqing fact");
}

#[test]
fn init_gives_a_form_its_starting_file_and_workbook() {
    let dir = std::env::temp_dir().join(format!("juesuan-forms-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["重庆.toml", "重庆.xlsx"] {
        let path = dir.join(name);
        let p = path.to_str().unwrap();
        let (code, _, err) = juesuan(&["init", p, "--form", "chongqing"]);
        assert_eq!(code, 0, "{err}");
        let checked = juesuan::check_file(&path);
        assert!(
            !checked.diagnostics.has_errors(),
            "{:?}",
            checked.diagnostics
        );
        assert_eq!(checked.bureau.unwrap().identity.form.key, "chongqing");
        let (code, _, err) = juesuan(&["init", p, "--form", "chongqing"]);
        assert_eq!(code, 1, "never overwrites: {err}");
    }
    let (code, _, err) = juesuan(&[
        "init",
        dir.join("x.toml").to_str().unwrap(),
        "--form",
        "mars",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("没有表式“mars”的示例") && err.contains("--form chongqing"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
