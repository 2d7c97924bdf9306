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

/// The Markdown of a clean input with the built-in forms.
fn markdown_of(input: &std::path::Path) -> String {
    let checked = juesuan::check_file(input);
    assert!(
        !checked.diagnostics.has_errors(),
        "{}: {:?}",
        input.display(),
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
    String::from_utf8(md).unwrap()
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
        err.contains("填写 chongqing（重庆格式）、shanghai（上海市格式）或 sichuan（四川省格式）"),
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
    let md = markdown_of(&input);
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
    let from_xlsx = md(juesuan::check_loaded(juesuan::load::bytes(
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

/// The Shanghai example in the Shanghai form: the template's part order (概况 → 决算表 → 情况说明 →
/// 名词解释), its sentences with the Putuo figures, and the right values where the print was wrong.
#[test]
fn the_shanghai_form_builds_the_putuo_example_in_the_template_order() {
    let input = root().join("data/putuo-caizheng-2024.toml");
    let md = markdown_of(&input);
    let at = |s: &str| {
        md.find(s)
            .unwrap_or_else(|| panic!("missing {s:?} in:\n{md}"))
    };
    // Parts in the template's order, the tables before the text.
    assert!(
        at("## 第一部分　上海市普陀区财政局概况")
            < at("## 第二部分　上海市普陀区财政局2024年度部门决算表")
    );
    assert!(
        at("## 第二部分　上海市普陀区财政局2024年度部门决算表")
            < at("## 第三部分　上海市普陀区财政局2024年度部门决算情况说明")
    );
    assert!(at("## 第三部分") < at("## 第四部分　名词解释"));
    for chapter in [
        "### 一、收入支出决算总体情况说明",
        "### 五、一般公共预算财政拨款支出决算情况说明",
        "### 十、预算绩效管理情况",
        "### 十一、其他重要事项的情况说明",
    ] {
        at(chapter);
    }
    // The three articles before the duties, then the duties numbered by the program.
    assert!(
        at("第三条 上海市普陀区财政局的主要职责是：")
            < at("（一）贯彻执行国家和本市有关财政工作的法律")
    );
    at("（十二）完成区委、区政府交办的其他任务。");
    at(
        "从预算单位构成看，上海市普陀区财政局部门决算包括：上海市普陀区财政局本级决算、下属行政事业单位决算。",
    );
    at(
        "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。主要原因：基本支出中人员进出及退休变化",
    );
    // 财政拨款 stated as one source; zero sources left out; a full stop at the end.
    at(
        "本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.20万元，占0.21%。",
    );
    at(
        "本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%；项目支出603.14万元，占20.51%。",
    );
    // The print's 0.3 / 持平 is wrong: the table's total and the change against the 示意 prior.
    at(
        "上海市普陀区财政局2024年度财政拨款收入支出总计2961.68万元。与2023年度相比，财政拨款收入支出总计减少63.14万元，下降2.09%。",
    );
    // 71.73% in the print recomputes to 71.65%.
    at("主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.65%；");
    at(
        "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。决算数小于预算数的主要原因：因年度工作计划安排，个别信息化项目和中介机构服务调减。其中：",
    );
    at(
        "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人员经费及公用经费等的基本支出。年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。",
    );
    at("年初预算为10.00万元，支出决算为10.00万元。决算数与预算数持平。");
    // 奖励金 (30309), not the print's 个人农业生产补贴; the declared 人员经费 and 公用经费.
    at("其中：人员经费2152.26万元，主要包括：基本工资、");
    at("退休费、奖励金；公用经费184.65万元，主要包括：办公费、");
    // (The 基本支出 table lists 30310 个人农业生产补贴 as a blank row of the template's.)
    let explanation = &md[md.find("## 第三部分").unwrap()..];
    assert!(!explanation.contains("个人农业生产补贴"));
    // 三公: a budget of 0 gives 0% (budget_zero = "zero"); all flat; no spending at all.
    at(
        "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%，其中：因公出国（境）费决算为0.00万元，完成预算的0%；",
    );
    at(
        "2024年度“三公”经费财政拨款支出决算数与2023年度持平。其中：因公出国（境）费支出决算持平；公务用车购置及运行维护费支出决算持平；公务接待费支出决算持平。",
    );
    at("上海市普陀区财政局2024年度无“三公”经费财政拨款支出。");
    at("上海市普陀区财政局2024年度无政府性基金预算财政拨款收入和支出。");
    at("上海市普陀区财政局2024年度无国有资本经营预算财政拨款收入和支出。");
    at("机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。主要原因是优化办公环境");
    at(
        "上海市普陀区财政局2024年度政府采购金额（以合同签订为准）为251.25万元，其中：货物采购金额4.79万元、工程采购金额0.00万元、服务采购金额246.47万元。",
    );
    at("截至2024年12月31日，上海市普陀区财政局共有车辆0辆，其中：部级领导干部用车0辆、");
    at("单价100万元（含）以上设备（不含车辆）2台（套）。");
    // The member units with their notes, numbered.
    at("| 2 | 上海市普陀区财政局财政所 | 预算不单列，并入本级 |");
    // 十 from the 预算绩效管理 aggregates, in the template's words.
    at(
        "本部门建立了如下预算绩效管理制度：普陀区财政局预算绩效管理实施办法，建立了普陀区财政局的预算绩效管理工作机制；全过程绩效管理实施情况：编报绩效目标的2024年度项目4个，涉及预算金额598.42万元；",
    );
    at(
        "平均得分99.43分（其中，绩效评级为“优”的项目4个；绩效评级为“良”的项目0个；绩效评级为“合格”的项目0个；绩效评级为“不合格”的项目0个。绩效自评中共发现问题0个，已经完成整改的0个，正在整改的0个）。",
    );
    // 政府采购: the reserved and awarded SME amounts.
    at(
        "2024年度本部门面向中小企业预留政府采购项目预算金额246.47万元，面向小微企业预留政府采购项目预算金额0.00万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额246.47万元；",
    );
    at("在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额4.79万元。");
    // 名词解释: the template's 11 terms, no 科目 entries.
    at("十一、机关运行经费：指行政单位和参照公务员法管理的事业单位");
    assert!(!md.contains("（项）：指"), "no 科目 explanations");
    insta::assert_snapshot!("shanghai.md", md);
}

/// The Ebian facts in the Shanghai form. The form's completion is against the 年初预算
/// (completion_base = "initial"); Ebian prints none, so each 项 takes its budget as its
/// initial_budget here.
fn ebian_as_shanghai() -> String {
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml"))
        .unwrap()
        .replace("form = \"sichuan\"", "form = \"shanghai\"");
    let mut in_item = false;
    text.lines()
        .map(|l| {
            if l.starts_with('[') {
                in_item = l == "[[general_budget.items]]";
            }
            match l.strip_prefix("budget = ") {
                Some(v) if in_item => format!("{l}\ninitial_budget = {v}\n"),
                _ => format!("{l}\n"),
            }
        })
        .collect()
}

/// The Markdown of `text` (Ebian's facts in the Shanghai form), which must check clean.
fn shanghai_markdown(text: &str) -> String {
    let checked = juesuan::check_text("ebian-as-shanghai.toml", text);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:?}",
        checked.diagnostics
    );
    let md = juesuan::render::build(
        &checked.bureau.unwrap(),
        &[juesuan::render::Format::Md],
        &Default::default(),
        &mut Default::default(),
    )
    .unwrap()
    .remove(0)
    .bytes;
    String::from_utf8(md).unwrap()
}

/// The other variants of the Shanghai sentences, on the Ebian facts in the Shanghai form: 三公
/// spending in detail, a 政府性基金 fund with its items, prior growth and whole percentages.
#[test]
fn the_shanghai_form_states_spending_funds_and_three_public_details() {
    let text = ebian_as_shanghai();
    let md = shanghai_markdown(&text);
    for s in [
        // A whole percentage drops its decimals (whole_percent = "integer").
        "收入支出总计增加74.09万元，增长32%。",
        "本年收入合计305.97万元，其中：财政拨款收入305.97万元，占100%。",
        "完成年初预算的100%。决算数与预算数持平。其中：",
        "2023年度“三公”经费财政拨款支出决算数比2022年度减少0.10万元，下降10%。其中：因公出国（境）费支出决算持平；",
        "公务接待费支出减少的主要原因是厉行节约、精减支出。",
        "“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0.00万元，占0%；",
        "国内公务接待支出0.90万元（含外宾接待支出0.00万元）。",
        "政府性基金预算财政拨款收入34.51万元，支出34.51万元，支出具体情况如下：",
        "1、城乡社区支出（类）国有土地使用权出让收入安排的支出（款）其他国有土地使用权出让收入安排的支出（项）。年初预算为34.51万元，支出决算为34.51万元。决算数与预算数持平。",
        "2023年度无国有资本经营预算财政拨款收入和支出。",
    ] {
        assert!(md.contains(s), "missing {s:?} in:\n{md}");
    }
    assert!(!md.contains("无“三公”经费财政拨款支出"), "{md}");
}

/// The Shanghai form's smaller facts, on the Ebian facts: a department of one unit prints 机构设置,
/// the 三公 paragraphs carry their 开支内容 and 主要用于, 国内公务接待 includes its 外宾 part (amount,
/// batches and people), and the vehicles are printed in the template's 8 categories.
#[test]
fn the_shanghai_form_states_setup_purposes_guests_and_vehicle_categories() {
    let mut text = ebian_as_shanghai();
    for (from, to) in [
        (
            "[overview]\n",
            "[overview]\nduties_preamble = [\"根据三定方案，本局的主要职责是：\"]\nsetup = [\"本局内设办公室、接访室两个股室。\", \"本局无下属单位。\"]\n",
        ),
        (
            "reason = \"未安排因公出国（境）事务\"\n",
            "reason = \"未安排因公出国（境）事务\"\ncontent = \"国际旅费、住宿费\"\n",
        ),
        (
            "reason = \"单位无公务用车\"\n",
            "reason = \"单位无公务用车\"\npurchase_purpose = \"更新报废车辆\"\nrunning_purpose = \"机要通信、应急保障用车的燃料费、维修费\"\n",
        ),
        (
            "[three_public.reception.domestic]\nactual = 0.9\n",
            "[three_public.reception.domestic]\nactual = 0.7\n",
        ),
        (
            "[three_public.reception.foreign]\nactual = 0\nbatches = 0\npeople = 0\n",
            "[three_public.reception.foreign]\nactual = 0.2\nbatches = 1\npeople = 2\n",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let md = shanghai_markdown(&text);
    for s in [
        "根据三定方案，本局的主要职责是：\n\n（一）",
        "### 二、机构设置\n\n本局内设办公室、接访室两个股室。\n\n本局无下属单位。\n",
        "全年安排因公出国（境）团组0个、累计0人次。开支内容包括：国际旅费、住宿费。",
        "公务用车购置支出为0.00万元。主要用于更新报废车辆，购置公务用车0辆。",
        "公务用车运行维护支出0.00万元。主要用于机要通信、应急保障用车的燃料费、维修费。2023年，",
        "国内公务接待支出0.90万元（含外宾接待支出0.20万元）。主要用于接待上级部门到我县检查工作的餐费，共接待2批次、7人次，其中：接待外宾1批次、2人次。",
        "共有车辆0辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车0辆。",
    ] {
        assert!(md.contains(s), "missing {s:?} in:\n{md}");
    }
    assert!(!md.contains("部门决算单位构成"), "{md}");

    // Without 机构设置 paragraphs, one sentence from the facts.
    let text = text.replacen(
        "setup = [\"本局内设办公室、接访室两个股室。\", \"本局无下属单位。\"]\n",
        "",
        1,
    );
    let checked = juesuan::check_text("ebian-as-shanghai.toml", &text);
    let md = juesuan::render::build(
        &checked.bureau.unwrap(),
        &[juesuan::render::Format::Md],
        &Default::default(),
        &mut Default::default(),
    )
    .unwrap()
    .remove(0)
    .bytes;
    let md = String::from_utf8(md).unwrap();
    assert!(
        md.contains(
            "峨边彝族自治县信访局部门决算仅包括峨边彝族自治县信访局本级决算，无下属预算单位。"
        ),
        "{md}"
    );
}
