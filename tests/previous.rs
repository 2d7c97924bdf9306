//! `--previous LAST_YEAR`: prior-year figures filled from, and checked against, last year's
//! 决算数 (R039), across two consecutive years of one bureau (2022 in 元, 2023 in 万元).

mod common;

use common::{juesuan, root};

use std::path::PathBuf;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-prev-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const Y2022: &str = "data/ebian-xinfang-2022.toml";
const Y2023: &str = "data/ebian-xinfang-2023.toml";
const LEFT_OUT: &str = "tests/fixtures/previous/left-out.toml";
const MISMATCH: &str = "tests/fixtures/previous/mismatch.toml";
const CALIBER: &str = "tests/fixtures/previous/caliber.toml";

fn codes(path: &str, previous: &str) -> Vec<String> {
    let (checked, _) = juesuan::previous::check_file(
        &root().join(path),
        &root().join(previous),
        &juesuan::session::Session::builtin(),
    )
    .unwrap_or_else(|f| panic!("{}", f.report()));
    checked
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect()
}

/// The 2023 example states the 2022 决算数 as its 上年数: they agree with the 2022 example, which
/// is in 元 while 2023 is in 万元.
#[test]
fn two_consecutive_years_agree() {
    let (code, _, err) = juesuan(&["check", Y2022]);
    assert_eq!(code, 0, "{err}");
    assert!(codes(Y2023, Y2022).is_empty());
    // The workbooks read the same.
    assert!(
        codes(
            "data/ebian-xinfang-2023.xlsx",
            "data/ebian-xinfang-2022.xlsx"
        )
        .is_empty()
    );
    // A folder: matched by bureau name and year − 1 (data/ holds other bureaus and 2023 too).
    let (code, _, err) = juesuan(&["check", Y2023, "--previous", "data"]);
    assert_eq!(code, 0, "{err}");
}

/// Left out, every 上年数 comes from last year's 决算数, located there; the package is the same,
/// byte for byte, as the one from the example that states them.
#[test]
fn prior_figures_left_out_are_taken_from_last_year_with_provenance() {
    // Without last year, they are missing (R023).
    let (code, _, err) = juesuan(&["check", LEFT_OUT]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[R023]"), "{err}");
    assert_eq!(codes(LEFT_OUT, Y2022), Vec::<String>::new());

    let out = scratch("build");
    let (code, _, err) = juesuan(&[
        "build",
        LEFT_OUT,
        "--previous",
        Y2022,
        "-o",
        out.to_str().unwrap(),
        "--format",
        "typ,md",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = juesuan(&[
        "build",
        Y2023,
        "-o",
        out.to_str().unwrap(),
        "--format",
        "typ,md",
    ]);
    assert_eq!(code, 0, "{err}");
    for ext in ["typ", "md"] {
        let a = std::fs::read(out.join(format!("left-out.{ext}"))).unwrap();
        let b = std::fs::read(out.join(format!("ebian-xinfang-2023.{ext}"))).unwrap();
        assert!(a == b, "{ext} differs");
    }
    let _ = std::fs::remove_dir_all(&out);

    // The ledger says where each came from.
    let (code, stdout, err) = juesuan(&["figures", LEFT_OUT, "--previous", Y2022, "--json"]);
    assert_eq!(code, 0, "{err}");
    let ledger: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let record = |id: &str| {
        ledger
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    let change = record("totals.change");
    assert_eq!(change["inputs"][1]["label"], "上年收、支总计");
    assert_eq!(change["inputs"][1]["value"], "231.88");
    assert_eq!(change["inputs"][1]["source"], format!("{Y2022}:54:24"));
    let filled = record("previous.prior_year.total");
    assert_eq!(filled["value"], "231.88");
    let formula = filled["formula"].as_str().unwrap();
    assert!(
        formula.contains(&format!("取自上年决算数：{Y2022} 的收入总计")),
        "{formula}"
    );
    assert!(
        formula.contains("本年收入合计 + 使用非财政拨款结余 + 年初结转和结余"),
        "{formula}"
    );
    let reception = record("previous.three_public.reception.prior");
    assert_eq!(reception["value"], "1");
    assert_eq!(reception["inputs"][0]["source"], format!("{Y2022}:149:10"));
    let running = record("previous.running_costs.prior");
    assert_eq!(running["value"], "32.7");
    assert_eq!(running["inputs"][0]["source"], format!("{Y2022}:161:10"));
    // Nothing filled when the input states them.
    let (_, stdout, _) = juesuan(&["figures", Y2023, "--previous", Y2022, "--json"]);
    assert!(!stdout.contains("previous."), "{stdout}");
}

/// R039: a 上年数 that is not last year's 决算数, naming both files, both places and both figures.
#[test]
fn a_prior_figure_that_is_not_last_years_is_an_error_naming_both_files() {
    let (code, _, err) = juesuan(&["check", MISMATCH]);
    assert_eq!(code, 0, "alone it is a valid input: {err}");
    let (code, _, err) = juesuan(&["check", MISMATCH, "--previous", Y2022]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[R039]"), "{err}");
    assert!(
        err.contains(&format!(
            "上年数与上年决算数不一致：{MISMATCH} 上年收、支总计（prior_year.total）为 231.98 万元，而上年文件 {Y2022} 中 2022 年度的收入总计为 2318800 元（231.88 万元），相差 0.1 万元"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("┌─ {MISMATCH}:80:9")), "{err}");
    assert!(
        err.contains(&format!("相关 {Y2022}:54:24 上年决算数：收入总计")),
        "{err}"
    );
    assert!(err.contains("caliber_change"), "hint: {err}");
    assert!(err.contains("1 个错误"), "only the one: {err}");
    // build stops and writes nothing.
    let out = scratch("mismatch");
    let (code, _, err) = juesuan(&[
        "build",
        MISMATCH,
        "--previous",
        Y2022,
        "-o",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::read_dir(&out).unwrap().next().is_none());
    let _ = std::fs::remove_dir_all(&out);
    // JSON names the code and the place.
    let (_, stdout, _) = juesuan(&["check", MISMATCH, "--previous", Y2022, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v[0]["code"], "R039");
    assert_eq!(v[0]["related"][0]["location"]["file"], Y2022);
}

/// A caliber change stated: no error, and the 说明 says so where it first compares.
#[test]
fn a_caliber_change_excuses_the_difference_and_is_printed() {
    assert_eq!(codes(CALIBER, Y2022), Vec::<String>::new());
    let out = scratch("caliber");
    let (code, _, err) = juesuan(&[
        "build",
        CALIBER,
        "--previous",
        Y2022,
        "-o",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out.join("caliber.md")).unwrap();
    assert!(
        md.contains("主要变动原因是因工作需要单位新并入一个股室，工作人员增加，所以人员经费增加。2022年度数已按本年口径调整：上年收、支总计含代管的信访代理服务中心0.1万元。"),
        "{md}"
    );
    assert_eq!(md.matches("按本年口径调整").count(), 1);
    // Without one, nothing is printed.
    let (code, _, err) = juesuan(&[
        "build",
        Y2023,
        "-o",
        out.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out.join("ebian-xinfang-2023.md")).unwrap();
    assert!(!md.contains("口径"));
    let _ = std::fs::remove_dir_all(&out);
}

/// The caliber-change fact is carried by the workbook too.
#[test]
fn the_caliber_change_round_trips_through_a_workbook() {
    let text = std::fs::read_to_string(root().join(CALIBER)).unwrap();
    let bytes = juesuan::workbook::from_toml("caliber.toml", &text).unwrap();
    let back = juesuan::load::bytes("caliber.xlsx", &bytes);
    assert!(!back.diagnostics.has_errors(), "{:#?}", back.diagnostics);
    let tree: toml::Table = back.source.text.parse().unwrap();
    assert_eq!(
        tree["prior_year"]["caliber_change"].as_str(),
        Some("上年收、支总计含代管的信访代理服务中心0.1万元")
    );
    let checked = juesuan::check_loaded(back);
    let b = checked.bureau.unwrap();
    let loc = b.prior.caliber_change.loc.unwrap().to_string();
    assert!(loc.starts_with("caliber.xlsx:上年数!B"), "{loc}");
}

/// Wrong year, no match in a folder, an input with errors: said plainly, exit 1.
#[test]
fn an_unusable_previous_input_is_named() {
    let (code, _, err) = juesuan(&["check", Y2023, "--previous", Y2023]);
    assert_eq!(code, 1);
    assert!(
        err.contains("是 2023 年度的，本年为 2023 年度，应为 2022 年度"),
        "{err}"
    );
    let (code, _, err) = juesuan(&["check", Y2023, "--previous", "tests/fixtures/previous"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("没有“峨边彝族自治县信访局”2022 年度的输入文件"),
        "{err}"
    );
    let (code, _, err) = juesuan(&[
        "check",
        Y2023,
        "--previous",
        "tests/fixtures/rules/R001/fail.toml",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[R001]"), "{err}");
    assert!(
        err.contains("上年文件 tests/fixtures/rules/R001/fail.toml"),
        "{err}"
    );
    // Two different inputs of the bureau's year in one folder: ambiguous, both named.
    let dir = scratch("ambiguous");
    let text = std::fs::read_to_string(root().join(Y2022)).unwrap();
    std::fs::write(dir.join("a.toml"), &text).unwrap();
    std::fs::write(
        dir.join("b.toml"),
        text.replace("actual = 327000", "actual = 327001"),
    )
    .unwrap();
    let (code, _, err) = juesuan(&["check", Y2023, "--previous", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("不止一个，内容也不同"), "{err}");
    assert!(err.contains("a.toml、") && err.contains("b.toml"), "{err}");
    // The same facts twice (a copy) are not ambiguous.
    std::fs::write(dir.join("b.toml"), &text).unwrap();
    let (code, _, err) = juesuan(&["check", Y2023, "--previous", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
