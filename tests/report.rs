//! 绩效评价报告: each report form's text (snapshots), every number in it computed and in the
//! ledger, a report's typed totals checked (the seed's 308.97 fails), and `--attachment N` building
//! one 附件 as report plus table.

mod common;

use common::{bundled, root};

use std::path::Path;

use juesuan::figures::Figures;
use juesuan::render::{self, Format, RenderOptions, Timings};

fn data(name: &str) -> std::path::PathBuf {
    root().join("data").join(name)
}

fn render_text(input: &Path, format: Format, options: &RenderOptions) -> String {
    let checked = juesuan::check_file(input);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    let mut artifacts =
        render::build(&bureau, &[format], options, &mut Timings::default()).unwrap();
    String::from_utf8(artifacts.remove(0).bytes).unwrap()
}

fn figures(input: &Path) -> Figures {
    let checked = juesuan::check_file(input);
    let bureau = checked.bureau.unwrap();
    render::prepare(&bureau, &bundled()).unwrap().1
}

/// The text from the line `from` up to (not including) the line `to`.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in {text}"));
    let end = text[start..].find(to).map_or(text.len(), |e| start + e);
    &text[start..end]
}

/// The value the ledger recorded for a figure id.
fn recorded(f: &Figures, id: &str) -> String {
    let r = f.ledger.0.iter().find(|r| r.id == id).unwrap_or_else(|| {
        panic!(
            "{id} not in the ledger: {:#?}",
            f.ledger.0.iter().map(|r| &r.id).collect::<Vec<_>>()
        )
    });
    assert!(!r.formula.is_empty(), "{id} has no formula");
    r.value.clone()
}

/// Collapses the blank lines Markdown does not need, so the snapshots read like the report.
fn compact(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Seed 000 附件1: the 部门整体 report, then its 打分表.
#[test]
fn sichuan_department_report() {
    let md = render_text(&data("ebian-xinfang-2023.toml"), Format::Md, &bundled());
    let report = between(
        &md,
        "**附件1**",
        "**峨边彝族自治县信访局部门整体绩效自评打分表**",
    );
    for sentence in [
        "县信访局经机构编制委员会批准行政编制7人，实有人员4人；事业编制8人，实有人员7人；编外聘用人员9人（驾驶员1人，保洁员2人，热线接线员6人）。",
        "2023年县信访局财政资金收入是305.97万元，财政拨款占100.0%。基本支出收入为271.46万元，项目资金收入为34.51万元。",
        // The seed typed 308.97 here; the facts give 271.46 + 34.51 = 305.97.
        "2023年县信访局财政资金共支出305.97万元，财政拨款占100.0%。",
        "县信访局2023年项目支出为34.51万元，本单位专项预算管理项目为3个。",
        "①信访稳定经费：2023年信访稳定经费支出32万元，全年预算32万元，预算执行率100.00%，自评得分98分，等级为“优”。",
        "总分值100分，自评得分98分，等级为“优”。",
    ] {
        assert!(report.contains(sentence), "{sentence}\n{report}");
    }
    insta::assert_snapshot!("report_sichuan_department.md", compact(report));
}

/// Seed 000 附件2: a project report with its 支付明细表 inside, then the 自评表.
#[test]
fn sichuan_project_report() {
    let md = render_text(&data("ebian-xinfang-2023.toml"), Format::Md, &bundled());
    let report = between(&md, "**附件2**", "**信访稳定经费项目支出绩效自评表**");
    for sentence in [
        "信访稳定经费项目2023年预算资金32万元，财政拨款32万元，拨款率100.00%。",
        "| 2 | 差旅费 | 22 | 22 | 22 | 100.0% |",
        "2023年信访稳定经费项目支出32万元，预算执行率100.00%。",
        "自评得分98分，等级为“优”。",
    ] {
        assert!(report.contains(sentence), "{sentence}\n{report}");
    }
    insta::assert_snapshot!("report_sichuan_project.md", compact(report));
    // The 自评表 follows, without a second 支付明细表.
    let rest = &md[md.find("**附件2**").unwrap()..md.find("**附件3**").unwrap()];
    assert_eq!(rest.matches("年支付明细表").count(), 1, "{rest}");
}

/// Seed 003: the 湖南 整体支出绩效自评报告 with its 自评表 inside.
#[test]
fn hunan_department_report() {
    let md = render_text(&data("yueyang-xinfang-2024.toml"), Format::Md, &bundled());
    for sentence in [
        "经批复，我局2024年度整体支出年初预算649.24万元，其中基本支出545.65万元，项目支出103.59万元。",
        "本年决算预算收入962.34万元，本年决算收入较预算收入增加313.1万元，非本级财政拨款收入224.62万元，故本年决算收入为1186.96万元，另上年度非财政拨款结余结转59.28万元。",
        "其中基本支出为586.11万元，占支出总额的60.90%。基本支出中人员经费支出494.43万元，占比84.36%；公用经费支出91.68万元，占比15.64%。",
        "2024年度我单位项目支出376.23万元，安排专项11个。年初预算103.59万元，本年追加272.64万元，其中上年结转结余16.25万元。",
        "我单位本年度部门整体支出绩效自评98.8分，等级为“优”（绩效自评表如下）。",
        "| 年度资金总额 | 649.24 | 1186.96 | 1186.19 | 10 | 99.94% | 9.94 |",
        "本年度我单位在职人数为28人，退休人数11人。",
    ] {
        assert!(md.contains(sentence), "{sentence}\n{md}");
    }
    // The table sits inside the report, before its 存在的问题.
    assert!(md.find("绩效自评表如下").unwrap() < md.find("| 年度资金总额").unwrap());
    assert!(md.find("| 年度资金总额").unwrap() < md.find("六、存在的问题").unwrap());
    insta::assert_snapshot!("report_hunan.md", compact(&md));
}

/// Seed 004: the 四川 2021 整体绩效评价报告, then the five 项目 tables.
#[test]
fn sichuan2021_department_report() {
    let md = render_text(&data("xiqu-xinfang-2021.toml"), Format::Md, &bundled());
    let report = between(
        &md,
        "**2021年攀枝花市西区信访局整体绩效评价报告**",
        "**2021年部门预算项目绩效目标自评（",
    );
    for sentence in [
        "核定行政编制3人，事业编制5人。年末实有行政编制人员3人、事业编制人员5人，与上年末实有人数相比无变化。",
        "部门财政资金收入213.34万元。其中一般公共预算财政拨款197.34万元，政府性基金预算财政拨款16万元。",
        "（1）保安费用：绩效目标为8万元，完成情况为8万元，预算执行率100.00%",
        "解决特殊疑难信访问题中央补助资金：上级财政拨付15万元，执行15万元",
    ] {
        assert!(report.contains(sentence), "{sentence}\n{report}");
    }
    insta::assert_snapshot!("report_sichuan2021.md", compact(report));
}

/// Every number a report prints is in the ledger with its formula (`juesuan figures`).
#[test]
fn report_numbers_are_recorded_with_formulas() {
    let f = figures(&data("ebian-xinfang-2023.toml"));
    assert_eq!(recorded(&f, "report.department.funds.spending"), "305.97");
    assert_eq!(
        recorded(&f, "report.department.funds.income_share"),
        "100.0"
    );
    assert_eq!(recorded(&f, "report.department.projects_total"), "34.51");
    assert_eq!(
        recorded(&f, "report.department.projects[1].execution_rate"),
        "100.00"
    );
    assert_eq!(recorded(&f, "report.department.total_weight"), "100");
    assert_eq!(recorded(&f, "report.department.score"), "98");
    assert_eq!(recorded(&f, "report.department.staff.contract_total"), "9");
    assert_eq!(recorded(&f, "report.projects[0].arrival_rate"), "100.00");
    assert_eq!(
        recorded(&f, "report.projects[0].payments[1].ratio"),
        "100.0"
    );
    // 十(四): how many projects, their money, the average score and the count per grade.
    assert_eq!(recorded(&f, "performance.summary.count"), "3");
    assert_eq!(recorded(&f, "performance.summary.amount"), "34.51");
    assert_eq!(recorded(&f, "performance.summary.average"), "98");
    assert_eq!(recorded(&f, "performance.summary.grades.优"), "3");
    let ids: Vec<&str> = f.ledger.0.iter().map(|r| r.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "a figure id recorded twice");

    let f = figures(&data("yueyang-xinfang-2024.toml"));
    assert_eq!(
        recorded(&f, "report.department.budget.increase"),
        "增加313.1 48.23%"
    );
    assert_eq!(recorded(&f, "report.department.budget.total"), "1186.96");
    assert_eq!(recorded(&f, "report.department.budget.added"), "272.64");
    assert_eq!(
        recorded(&f, "report.department.funds.general_budget_basic_share"),
        "60.90"
    );
    assert_eq!(
        recorded(&f, "report.department.funds.personnel_share"),
        "84.36"
    );
    assert_eq!(
        recorded(&f, "report.department.funds.operating_share"),
        "15.64"
    );
    assert_eq!(recorded(&f, "report.department.score"), "98.8");

    let f = figures(&data("xiqu-xinfang-2021.toml"));
    assert_eq!(recorded(&f, "report.department.funds.income"), "213.34");
    assert_eq!(
        recorded(&f, "report.department.funds.spending_grand"),
        "213.59"
    );
    assert_eq!(recorded(&f, "report.department.staff.change"), "0");
}

/// `--attachment 2` builds the second 附件 alone: its report, then its table.
#[test]
fn one_attachment_alone_is_report_then_table() {
    let options = RenderOptions {
        attachment: Some(2),
        ..bundled()
    };
    let typ = render_text(&data("ebian-xinfang-2023.toml"), Format::Typ, &options);
    let report = typ.find("2023年绩效评价报告").expect("the report");
    let payments = typ
        .find("信访稳定经费2023年支付明细表")
        .expect("the payments");
    let sheet = typ
        .find("信访稳定经费项目支出绩效自评表")
        .expect("the table");
    assert!(report < payments && payments < sheet, "{typ}");
    assert!(!typ.contains("整体支出绩效评价报告"), "{typ}");
    let pdf = render::build(
        &juesuan::check_file(&data("ebian-xinfang-2023.toml"))
            .bureau
            .unwrap(),
        &[Format::Pdf],
        &options,
        &mut Timings::default(),
    )
    .unwrap();
    assert!(pdf[0].bytes.starts_with(b"%PDF-"));
}

fn example_with(from: &str, to: &str) -> juesuan::Checked {
    let text = std::fs::read_to_string(data("ebian-xinfang-2023.toml")).unwrap();
    assert!(text.contains(from), "{from}");
    juesuan::check_text("ebian.toml", &text.replacen(from, to, 1))
}

fn findings(checked: &juesuan::Checked, code: &str) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .map(|d| d.message.clone())
        .collect()
}

/// The seed's report typed “财政资金共支出：308.97万元”: declared, it fails R038 (and nothing else).
#[test]
fn the_seed_report_total_308_97_fails() {
    let checked = example_with("declared_spending = 305.97", "declared_spending = 308.97");
    let r038 = findings(&checked, "R038");
    assert_eq!(r038.len(), 1, "{:#?}", checked.diagnostics);
    assert!(
        r038[0].contains("308.97") && r038[0].contains("305.97"),
        "{}",
        r038[0]
    );
    assert_eq!(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
            .count(),
        1
    );
}

/// The report's other typed totals: 编外 9 people (R040), 项目支出 34.51 and 收入 305.97 (R041).
#[test]
fn report_typed_totals_are_checked() {
    let checked = example_with("declared_contract = 9", "declared_contract = 10");
    assert_eq!(
        findings(&checked, "R040").len(),
        1,
        "{:#?}",
        checked.diagnostics
    );
    let checked = example_with(
        "declared_project_spending = 34.51",
        "declared_project_spending = 34.15",
    );
    assert_eq!(
        findings(&checked, "R041").len(),
        1,
        "{:#?}",
        checked.diagnostics
    );
    let checked = example_with("declared_income = 305.97", "declared_income = 305.79");
    assert_eq!(
        findings(&checked, "R041").len(),
        1,
        "{:#?}",
        checked.diagnostics
    );
    // The example as given has none of them.
    let clean = juesuan::check_file(&data("ebian-xinfang-2023.toml"));
    assert!(clean.diagnostics.is_empty(), "{:#?}", clean.diagnostics);
}

/// The ledger states the grade of a 绩效 report with the form's own bands (issue 24: it said
/// “≥ 90 优，≥ 80 良，≥ 60 中” whatever the form's bands were).
#[test]
fn the_report_grade_formula_follows_the_forms_bands() {
    let mut bureau = juesuan::check_file(&data("yueyang-xinfang-2024.toml"))
        .bureau
        .unwrap();
    let spec = std::sync::Arc::make_mut(&mut bureau.performance.spec);
    spec.scoring.grades[1].min = rust_decimal::Decimal::from(85);
    let figures = juesuan::figures::compute(
        &bureau,
        &juesuan::figures::FixedGlossary::default(),
        &juesuan::figures::tables::TableLayouts::builtin(),
    )
    .unwrap();
    let grade = figures
        .ledger
        .0
        .iter()
        .find(|r| r.id == "report.department.grade")
        .unwrap();
    assert_eq!(
        grade.formula,
        "总分 ≥ 90 为优，≥ 85 为良，≥ 60 为中，其余为差"
    );
}
