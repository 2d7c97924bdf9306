//! A province form added as a folder only (tests/fixtures/forms/guangdong, no Rust change)
//! declares facts of its own — the 2019 (pre-pandemic) “三公” baseline, the 2019 团组数, 政府购买
//! 服务 with its prior, a second reason — and figures over them; it also prints the vehicle
//! sub-items' completion and change, which every form gets by name. The facts come from TOML and
//! from the form's workbook sheet, round-trip through `convert`, appear in `diff` and `figures`,
//! `--previous` fills their priors, and the sentences print in PDF and Markdown with the right
//! numbers. A bureau that switches to the form is told which facts it needs (E010).

mod common;

use std::path::{Path, PathBuf};

use common::{juesuan, root};

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("juesuan-form-facts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn forms() -> String {
    root()
        .join("tests/fixtures/forms")
        .to_string_lossy()
        .into_owned()
}

const EXTRA: &str = r#"
[extra]
three_public_2019 = 3.35
overseas_groups_2019 = 2
services = 12.5
services_prior = 10
three_public_reason2 = "严格执行公务接待管理规定。"
"#;

/// The 2023 example in the guangdong form, with a vehicle's running costs (budget 2, actual 1.5,
/// prior 1.8), and `extra` as given.
fn input_text(extra: &str) -> String {
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap();
    let text = text
        .replacen("form = \"sichuan\"", "form = \"guangdong\"", 1)
        .replacen("declared_actual = 0.9", "declared_actual = 2.4", 1)
        .replacen(
            "running_budget = 0\nrunning_actual = 0\nrunning_prior = 0",
            "running_budget = 2.0\nrunning_actual = 1.5\nrunning_prior = 1.8",
            1,
        );
    assert!(text.contains("running_actual = 1.5") && text.contains("\"guangdong\""));
    format!("{text}{extra}")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> (i32, String, String) {
    let mut all: Vec<&str> = args.to_vec();
    let forms = forms();
    all.extend(["--templates", forms.as_str()]);
    juesuan(&all)
}

/// Builds `input` to Markdown and PDF: (Markdown, the PDF's text without whitespace).
fn build(input: &Path, out: &Path) -> (String, String) {
    let (code, _, err) = run(&[
        "build",
        input.to_str().unwrap(),
        "--format",
        "md,pdf",
        "--bundled-fonts",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let stem = input.file_stem().unwrap().to_str().unwrap();
    let md = std::fs::read_to_string(out.join(format!("{stem}.md"))).unwrap();
    let pdf = std::fs::read(out.join(format!("{stem}.pdf"))).unwrap();
    let doc = juesuan::audit::pdf::read(&pdf).unwrap();
    let text: String = doc
        .pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .map(|g| g.text.as_str())
        .collect::<String>()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    (md, text)
}

/// The sentences the form prints from its facts and figures, with the form's number style
/// (fixed money, whole percentages bare) and words (增多 for an increase).
const SENTENCES: &[&str] = &[
    // The 2019 baseline: 2.40 against 3.35 → 减少0.95, 0.95 ÷ 3.35 = 28.36% → 28.4%.
    "“三公”经费财政拨款支出决算比2019年（疫情前）决算数减少0.95万元，下降28.4%",
    // The growth alone, by name.
    "（增幅下降）",
    // A count against its 2019 value: 0 against 2.
    "因公出国（境）团组比2019年减少2个，下降100%。",
    // An amount with its prior, and its share of a built-in total.
    "政府购买服务支出12.50万元，占本年支出合计的4.1%，比上年增多2.50万元，提高25%。",
    // The second reason.
    "此外，严格执行公务接待管理规定。",
    // The vehicle sub-items: completion and change by name, without a declaration.
    "公务用车购置支出未安排预算，比上年持平。",
    "公务用车运行维护费支出1.50万元，完成预算75%，比上年减少0.30万元，下降16.7%。",
];

#[test]
fn a_folder_form_prints_its_own_facts_and_figures_in_pdf_and_markdown() {
    let dir = scratch("build");
    let input = write(&dir, "gd.toml", &input_text(EXTRA));
    let (md, pdf) = build(&input, &dir.join("out"));
    for s in SENTENCES {
        assert!(md.contains(s), "Markdown lacks {s}");
        let bare: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(pdf.contains(&bare), "PDF lacks {s}");
    }

    // The prior of 0 prints the form's wording; 增多 by sign.
    let zero = EXTRA
        .replace("services_prior = 10", "services_prior = 0")
        .replace("three_public_2019 = 3.35", "three_public_2019 = 0");
    let input = write(&dir, "zero.toml", &input_text(&zero));
    let (md, _) = build(&input, &dir.join("zero"));
    assert!(
        md.contains("政府购买服务支出12.50万元，占本年支出合计的4.1%，上年无此项支出。"),
        "{md}"
    );
    assert!(md.contains("比2019年（疫情前）决算数增多2.40万元（2019年无此项支出）"));

    // The facts and figures are in the ledger with their formulas and where each input was typed.
    let (code, out, err) = run(&["figures", input_text_path(&dir).to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    for id in [
        "extra.three_public_vs_2019 = 减少0.95 28.4%",
        "extra.groups_vs_2019 = 减少2 100%",
        "extra.services.change = 增多2.50 25%",
        "extra.vehicle_running.completion = 75",
        "extra.vehicle_purchase.change",
    ] {
        assert!(out.contains(id), "figures lack {id}:\n{out}");
    }
    assert!(out.contains("2019年因公出国（境）团组数 2  ← "), "{out}");
    assert!(out.contains("gd.toml:"), "inputs are located: {out}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn input_text_path(dir: &Path) -> PathBuf {
    dir.join("gd.toml")
}

#[test]
fn the_forms_facts_round_trip_through_its_workbook_sheet() {
    let dir = scratch("workbook");
    let input = write(&dir, "gd.toml", &input_text(EXTRA));
    let xlsx = dir.join("gd.xlsx");
    let (code, _, err) = run(&["convert", input.to_str().unwrap(), xlsx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // The form's sheet, by the name it declares, one row per fact.
    let bytes = std::fs::read(&xlsx).unwrap();
    let mut book = common::book::Book::read(&bytes);
    let rows = book.grid("广东补充").clone();
    let text = |r: usize, c: usize| rows[r][c].to_string();
    assert_eq!(text(0, 0), "键");
    assert_eq!(text(1, 0), "three_public_2019");
    assert_eq!(text(1, 2), "3.35");
    assert_eq!(text(3, 1), "政府购买服务支出");
    assert_eq!((text(3, 2).as_str(), text(3, 3).as_str()), ("12.5", "10"));

    // Back to TOML: the same [extra].
    let back = dir.join("back.toml");
    let (code, _, err) = juesuan(&["convert", xlsx.to_str().unwrap(), back.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let back: toml::Table = std::fs::read_to_string(&back).unwrap().parse().unwrap();
    let given: toml::Table = input_text(EXTRA).parse().unwrap();
    assert_eq!(back["extra"], given["extra"]);

    // The workbook builds the same sentences, its facts located at their cells.
    let (md, _) = build(&xlsx, &dir.join("out"));
    for s in SENTENCES {
        assert!(md.contains(s), "Markdown from the workbook lacks {s}");
    }
    let (code, out, err) = run(&["figures", xlsx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("广东补充!C4"), "the fact's cell: {out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_names_the_forms_facts_in_its_words() {
    let dir = scratch("diff");
    let old = write(&dir, "old.toml", &input_text(EXTRA));
    let new = write(
        &dir,
        "new.toml",
        &input_text(&EXTRA.replace("services = 12.5", "services = 14")),
    );
    let (code, out, err) = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("广东补充 政府购买服务支出 本年（extra.services）"),
        "{out}"
    );
    assert!(
        out.contains("extra.services.change：增多2.50 25% → 增多4.00 40%"),
        "{out}"
    );
    assert!(out.contains("比上年增多[-2.50-]{+4.00+}万元"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn previous_fills_the_prior_of_a_forms_fact() {
    let dir = scratch("previous");
    let last = std::fs::read_to_string(root().join("data/ebian-xinfang-2022.toml"))
        .unwrap()
        .replacen("form = \"sichuan\"", "form = \"guangdong\"", 1);
    // Last year in 元, like the rest of that input.
    let last = write(
        &dir,
        "2022.toml",
        &format!(
            "{last}\n[extra]\nthree_public_2019 = 33500\noverseas_groups_2019 = 2\nservices = 90000\n"
        ),
    );
    let this = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml"))
        .unwrap()
        .replacen("form = \"sichuan\"", "form = \"guangdong\"", 1);
    let this = write(
        &dir,
        "2023.toml",
        &format!(
            "{this}\n[extra]\nthree_public_2019 = 3.35\noverseas_groups_2019 = 2\nservices = 12.5\n"
        ),
    );
    let (code, out, err) = run(&[
        "figures",
        this.to_str().unwrap(),
        "--previous",
        last.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("extra.services.change = 增多3.50 38.9%"),
        "{out}"
    );
    assert!(out.contains("上年政府购买服务支出 9  ← "), "{out}");
    assert!(
        out.contains("2022.toml:"),
        "located in last year's file: {out}"
    );

    // A prior that disagrees with last year's is R039, as for a built-in prior.
    let this_wrong = write(
        &dir,
        "2023-wrong.toml",
        &format!(
            "{}services_prior = 8\n",
            std::fs::read_to_string(&this).unwrap()
        ),
    );
    let (code, _, err) = run(&[
        "check",
        this_wrong.to_str().unwrap(),
        "--previous",
        last.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("错误[R039]") && err.contains("上年政府购买服务支出"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bureau_switching_forms_is_told_the_facts_the_new_form_needs() {
    let dir = scratch("switch");
    // The example switched to the guangdong form, without any of its facts: one E010 naming both
    // required facts, at the form it chose.
    let input = write(&dir, "switch.toml", &input_text(""));
    let (code, _, err) = run(&["check", input.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[E010]"), "{err}");
    assert!(
        err.contains(
            "2019年（疫情前）“三公”经费财政拨款支出决算数（extra.three_public_2019，金额）"
        ) && err.contains("2019年因公出国（境）团组数（extra.overseas_groups_2019，数量）"),
        "{err}"
    );
    assert!(err.contains("switch.toml:17:"), "at the form chosen: {err}");
    assert_eq!(err.matches("[E010]").count(), 1, "{err}");

    // A fact the form does not declare (left from another form) is E003; a count must be whole.
    let input = write(
        &dir,
        "stray.toml",
        &input_text(&format!("{EXTRA}old_form_fact = 1\n"))
            .replace("overseas_groups_2019 = 2", "overseas_groups_2019 = 2.5"),
    );
    let (code, _, err) = run(&["check", input.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("错误[E003]") && err.contains("extra.old_form_fact"),
        "{err}"
    );
    assert!(err.contains("overseas_groups_2019"), "{err}");

    // The built-in forms declare no facts: [extra] there is E003 with the reason.
    let sichuan = write(
        &dir,
        "sichuan.toml",
        &input_text(EXTRA).replacen("form = \"guangdong\"", "form = \"sichuan\"", 1),
    );
    let (code, _, err) = juesuan(&["check", sichuan.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("没有声明自己的事实"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_manifest_with_a_broken_declaration_is_refused() {
    let manifest =
        std::fs::read_to_string(root().join("tests/fixtures/forms/guangdong/form.toml")).unwrap();
    let broken = manifest.replacen(
        "of = [\"three_public\", \"three_public_2019\"]",
        "of = [\"three_public\", \"nothing_2019\"]",
        1,
    );
    let e =
        juesuan::form::Forms::from_files([("guangdong/form.toml", broken.as_str())]).unwrap_err();
    assert!(
        e.reason.contains("没有名为 `nothing_2019` 的事实"),
        "{}",
        e.reason
    );
    let ok =
        juesuan::form::Forms::from_files([("guangdong/form.toml", manifest.as_str())]).unwrap();
    assert_eq!(ok.get("guangdong").unwrap().facts.len(), 4);
}
