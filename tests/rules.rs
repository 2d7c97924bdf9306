//! Every rule code has a fixture that triggers it and one that does not; the example is clean.

use std::path::{Path, PathBuf};

use juesuan::diagnostic::registry::{Fixture, RULES, Rule};
use juesuan::diagnostic::{Diagnostic, Severity};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn diagnostics(path: &Path) -> Vec<Diagnostic> {
    juesuan::check_file(path).diagnostics.0
}

/// Codes checked by reading and validating a TOML input (render-time codes are tested in
/// build.rs and cli.rs, the workbook reader's in workbook.rs).
fn input_rules() -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(|r| r.fixture == Fixture::RuleDir)
}

const GENERATED_START: &str = "<!-- 以下由 tests/rules.rs 生成，请勿手改 -->";
const GENERATED_END: &str = "<!-- 生成结束 -->";

/// The test files that may hold the triggering case of a code outside `tests/fixtures/rules/`
/// (see [`Fixture`]).
fn case_files(fixture: Fixture) -> &'static [&'static str] {
    match fixture {
        Fixture::RuleDir => &[],
        Fixture::Workbook => &["workbook.rs", "tables_xlsx.rs", "hardening.rs"],
        Fixture::Build => &[
            "build.rs",
            "cli.rs",
            "previous.rs",
            "tables_xlsx.rs",
            "hardening.rs",
            "limits.rs",
            "form_parts.rs",
            "form_facts.rs",
        ],
        Fixture::Batch => &["batch.rs"],
        Fixture::Audit => &["audit.rs"],
    }
}

/// Where a rule's triggering case lives, as the 用例 cell of the rule table: its fixture folder,
/// or the test files of its fixture kind that name the code.
fn case_cell(rule: &Rule) -> String {
    let code = rule.code.as_str();
    if rule.fixture == Fixture::RuleDir {
        return format!("[`tests/fixtures/rules/{code}/`](../tests/fixtures/rules/{code}/)");
    }
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let files: Vec<String> = case_files(rule.fixture)
        .iter()
        .filter(|f| {
            let text =
                std::fs::read_to_string(tests.join(f)).unwrap_or_else(|e| panic!("tests/{f}: {e}"));
            names_code(&text, code)
        })
        .map(|f| format!("[`tests/{f}`](../tests/{f})"))
        .collect();
    assert!(
        !files.is_empty(),
        "{code}: none of {:?} names it, though the registry says its case is there",
        case_files(rule.fixture)
    );
    files.join("、")
}

/// Whether a test file names `code` as a word of its own (`"F001"`, `错误[F005]`, not `F0012`).
fn names_code(text: &str, code: &str) -> bool {
    text.match_indices(code).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + code.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// The rule table of docs/rules.md, rendered from the registry.
fn rule_table() -> String {
    let mut table = String::from("| 编号 | 级别 | 内容 | 用例 |\n|---|---|---|---|\n");
    for rule in RULES {
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            rule.code,
            rule.severity.label(),
            rule.title.replace('|', "\\|"),
            case_cell(rule)
        ));
    }
    table
}

/// docs/rules.md's rule table is generated from the registry. With `JUESUAN_UPDATE_DOCS=1` the
/// test rewrites the generated block instead of failing (like insta's `INSTA_UPDATE`).
#[test]
fn docs_rule_table_is_the_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc
        .find(GENERATED_START)
        .map(|i| i + GENERATED_START.len() + 1)
        .expect("docs/rules.md: no start marker of the generated block");
    let end = doc[start..]
        .find(GENERATED_END)
        .map(|i| i + start)
        .expect("docs/rules.md: no end marker of the generated block");
    let fresh = format!("{}{}{}", &doc[..start], rule_table(), &doc[end..]);
    if std::env::var("JUESUAN_UPDATE_DOCS").as_deref() == Ok("1") {
        if fresh != doc {
            std::fs::write(&path, &fresh).unwrap();
        }
        return;
    }
    if let Some((old, new)) = doc.lines().zip(fresh.lines()).find(|(a, b)| a != b) {
        panic!(
            "docs/rules.md 的规则表与登记表不一致，请运行 JUESUAN_UPDATE_DOCS=1 cargo test --release --test rules 重新生成。\n文件中：{old}\n应为：  {new}"
        );
    }
    assert_eq!(
        doc, fresh,
        "docs/rules.md 的规则表与登记表不一致，请运行 JUESUAN_UPDATE_DOCS=1 cargo test --release --test rules 重新生成"
    );
}

#[test]
fn every_rule_has_a_triggering_and_a_clean_fixture() {
    for rule in input_rules() {
        let code = rule.code.as_str();
        for name in ["pass.toml", "fail.toml"] {
            let p = fixtures().join(code).join(name);
            assert!(p.is_file(), "missing fixture {}", p.display());
        }
    }
}

#[test]
fn fail_fixtures_trigger_their_rule_with_a_location() {
    for rule in input_rules() {
        let (code, severity) = (rule.code.as_str(), &rule.severity);
        let path = fixtures().join(code).join("fail.toml");
        let diags = diagnostics(&path);
        let hit = diags
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{code}: fail.toml did not trigger it; got {diags:#?}"));
        assert_eq!(hit.severity, *severity, "{code}: severity");
        // Only a missing file or a missing value (R023, R051: nothing typed) has no position to
        // point at.
        if !matches!(code, "E001" | "R023" | "R051") {
            let loc = hit.location.as_ref().map(|l| l.to_string());
            assert!(
                loc.as_deref().is_some_and(|l| l.contains("fail.toml:")),
                "{code}: no file:line:col location: {hit}"
            );
        }
    }
}

#[test]
fn pass_fixtures_are_clean() {
    for rule in input_rules() {
        let code = rule.code.as_str();
        let path = fixtures().join(code).join("pass.toml");
        let diags = diagnostics(&path);
        assert!(
            diags.iter().all(|d| d.severity == Severity::Info),
            "{code}: pass.toml is not clean: {diags:#?}"
        );
    }
}

#[test]
fn examples_are_clean() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut n = 0;
    for entry in std::fs::read_dir(data).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let diags = diagnostics(&path);
            // A real package transcribed as printed keeps its 尾差: hints (Info) only, nothing more.
            let real = path
                .file_name()
                .is_some_and(|f| f == "putuo-caizheng-2024.toml");
            if real {
                assert!(
                    !diags.is_empty() && diags.iter().all(|d| d.severity == Severity::Info),
                    "{}: {diags:#?}",
                    path.display()
                );
            } else {
                assert!(diags.is_empty(), "{}: {diags:#?}", path.display());
            }
            n += 1;
        }
    }
    assert!(n > 0);
}

#[test]
fn a_rounding_tail_is_info_not_error() {
    let text = std::fs::read_to_string(fixtures().join("R001/pass.toml"))
        .unwrap()
        .replace("declared_total = 110", "declared_total = 110.01");
    let checked = juesuan::check_text("tail.toml", &text);
    let d: Vec<_> = checked.diagnostics.iter().collect();
    // The tail itself, and (the source's 本年收入合计 110.01 printing) 收入总计 against 支出总计
    // 110: both within the 尾差, so info only.
    assert!(d.iter().all(|d| d.severity == Severity::Info), "{d:#?}");
    let r001 = d.iter().find(|d| d.code == "R001").expect("R001");
    assert!(
        r001.message
            .contains("110.01 ≠ 各项收入之和 110（差 0.01）"),
        "{}",
        r001.message
    );
}

#[test]
fn diagnostics_text() {
    insta::glob!("fixtures/rules/*/fail.toml", |path| {
        let checked = juesuan::check_file(path);
        let text = juesuan::report::human(&checked.diagnostics, &checked.source);
        // Paths differ between machines: keep only the file name.
        let text = text.replace(path.to_str().unwrap(), "fail.toml");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn no_input_makes_it_panic() {
    // Every prefix of the example (cut mid-line, mid-string, mid-table) and a few value swaps
    // must give diagnostics, never a panic.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ebian-xinfang-2023.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let cuts: Vec<usize> = (0..text.len())
        .step_by(53)
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    for cut in cuts {
        let _ = juesuan::check_text("cut.toml", &text[..cut]);
    }
    for (from, to) in [
        ("= 271.46", "= \"abc\""),
        ("= 271.46", "= 1e400"),
        ("year = 2023", "year = -5"),
        ("code = \"2010308\"", "code = 2010308"),
        ("percent_decimals = 1", "percent_decimals = 99999999999"),
        ("basic = 217.51", "basic = 99999999999999999999999999999"),
        ("[three_public]", "[[three_public]]"),
        ("= 271.46", "= 79228162514264337593543950335"),
        ("groups = 0", "groups = 9223372036854775807"),
    ] {
        let _ = juesuan::check_text("swap.toml", &text.replace(from, to));
    }
}

#[test]
fn a_level_weight_must_equal_its_indicators() {
    let path = fixtures().join("R024/pass.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"产出指标\" = 50", "\"产出指标\" = 60");
    let checked = juesuan::check_text("levels.toml", &text);
    let hit = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "R024")
        .expect("R024");
    assert!(
        hit.message
            .contains("一级指标“产出指标”分值 60 ≠ 其下各指标分值之和 50"),
        "{hit}"
    );
    assert!(
        hit.location
            .as_ref()
            .unwrap()
            .to_string()
            .starts_with("levels.toml:")
    );
}

#[test]
fn a_level2_weight_must_equal_its_indicators() {
    let path = fixtures().join("R024/pass.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let declare = |w: &str| {
        text.replace(
            "\"产出指标\" = 50,",
            &format!("\"产出指标\" = 50, \"产出指标/数量指标\" = {w},"),
        )
    };
    let clean = juesuan::check_text("l2.toml", &declare("50"));
    assert!(
        !clean.diagnostics.iter().any(|d| d.code == "R024"),
        "{:#?}",
        clean.diagnostics
    );
    let checked = juesuan::check_text("l2.toml", &declare("40"));
    let hit = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "R024")
        .expect("R024");
    assert!(
        hit.message
            .contains("二级指标“产出指标/数量指标”分值 40 ≠ 其下各指标分值之和 50"),
        "{hit}"
    );
}

#[test]
fn a_scored_sheet_needs_every_weight() {
    let text = std::fs::read_to_string(fixtures().join("R024/pass.toml"))
        .unwrap()
        .replacen("weight = 30\n", "", 1);
    let checked = juesuan::check_text("unweighted.toml", &text);
    assert!(
        checked
            .diagnostics
            .iter()
            .any(|d| d.code == "R024" && d.message.contains("没有分值，而其他指标有")),
        "{:#?}",
        checked.diagnostics
    );
}

#[test]
fn a_breakdown_the_table_set_does_not_print_is_not_demanded() {
    // 一般公共预算 per-项 balances: no table of either set prints them, so leaving them out is
    // fine; giving them gets them checked (R030/fail.toml).
    let text = std::fs::read_to_string(fixtures().join("R030/fail.toml"))
        .unwrap()
        .replace("closing_balance = 3\n", "");
    let checked = juesuan::check_text("not-given.toml", &text);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    // 项目支出 by 经济分类: the central set prints none, the Sichuan set does (公开05/07/09表).
    let text = std::fs::read_to_string(fixtures().join("R008/pass.toml"))
        .unwrap()
        .replace(
            "general_budget = 110\n\n[spending]\nbasic = 110",
            "general_budget = 130\n\n[spending]\nbasic = 110\nproject = 20",
        )
        .replace(
            "basic = 110\nbudget = 110",
            "basic = 110\nproject = 20\nbudget = 130",
        );
    let codes = |text: &str| -> Vec<String> {
        juesuan::check_text("project.toml", text)
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect()
    };
    let sichuan = codes(&text);
    assert!(
        sichuan.len() == 1 && sichuan[0].starts_with("R008") && sichuan[0].contains("项目支出"),
        "{sichuan:?}"
    );
    let central = text.replace("year = 2023", "year = 2023\ntables = \"central\"");
    assert_eq!(codes(&central), Vec::<String>::new());
    // Given anyway, it is checked: a project line of 15 against 20.
    let given = central.replace(
        "{ code = \"30201\", basic = 10 }",
        "{ code = \"30201\", basic = 10, project = 15 }",
    );
    assert!(
        codes(&given).iter().any(|c| c.starts_with("R008")),
        "{:?}",
        codes(&given)
    );
}

#[test]
fn unknown_codes_are_one_error_listing_each_code_once() {
    let text = std::fs::read_to_string(fixtures().join("R018/fail.toml")).unwrap();
    // The same unknown code used again in another fund, and an amount that cannot be read: the
    // R018 lists 2019999 once with its two uses, and the amount error does not hide it.
    let text =
        format!("{text}\n[[appropriation.gov_fund.items]]\ncode = \"2019999\"\nbasic = \"x\"\n");
    let checked = juesuan::check_text("codes.toml", &text);
    let r018: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "R018")
        .collect();
    assert_eq!(r018.len(), 1, "{r018:#?}");
    assert!(
        r018[0].message.contains("2019999（项级编码，2 处）"),
        "{}",
        r018[0].message
    );
    assert!(checked.diagnostics.iter().any(|d| d.code == "E004"));
}

/// The first diagnostic of `code` for the R001 clean fixture edited by `edit`.
fn finding(code: &str, edit: impl Fn(String) -> String) -> Option<Diagnostic> {
    let text = edit(std::fs::read_to_string(fixtures().join("R001/pass.toml")).unwrap());
    juesuan::check_text("edit.toml", &text)
        .diagnostics
        .0
        .into_iter()
        .find(|d| d.code == code)
}

#[test]
fn years_outside_the_catalogs_warn_and_absurd_years_are_refused() {
    let d = finding("R049", |t| t.replace("year = 2023", "year = 2018")).unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert!(
        d.message.contains("2018 年度") && d.message.contains("科目表与公开表版式按 2019 年"),
        "{d}"
    );
    assert!(finding("E005", |t| t.replace("year = 2023", "year = 2018")).is_none());
    assert!(finding("R049", |t| t.replace("year = 2023", "year = 2019")).is_none());
    assert!(finding("R049", |t| t.replace("year = 2023", "year = 2025")).is_none());
    for absurd in ["1989", "3000", "-5"] {
        let d = finding("E005", |t| {
            t.replace("year = 2023", &format!("year = {absurd}"))
        })
        .unwrap_or_else(|| panic!("{absurd}"));
        assert!(
            d.message.contains(&format!("决算年度 {absurd} 不可能")),
            "{d}"
        );
    }
    // A year near the integer limit neither panics nor wraps.
    assert!(
        finding("E005", |t| t
            .replace("year = 2023", "year = 9223372036854775807"))
        .is_some()
    );
}

/// A year before the catalogs builds (R049), with the 2019 catalog and layouts.
#[test]
fn a_year_before_the_catalogs_builds() {
    let text = std::fs::read_to_string(fixtures().join("R049/fail.toml")).unwrap();
    let checked = juesuan::check_text("early.toml", &text);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let b = checked.bureau.expect("model");
    assert_eq!(b.identity.year.value, 2018);
    assert_eq!(b.catalog.get("2010308").unwrap().name, "信访事务");
    let layouts = juesuan::figures::tables::TableLayouts::builtin();
    assert!(layouts.prints(
        "sichuan",
        2018,
        None,
        juesuan::figures::tables::Shape::Economic,
        "project",
        None
    ));
}

/// R048 lists every code named only on the input's lines (项, economic 款) in one note; R018 is
/// left for codes nothing names, and a code added by [[catalog]] is not noted.
#[test]
fn codes_named_by_the_input_are_noted_once() {
    let text = std::fs::read_to_string(fixtures().join("R048/fail.toml"))
        .unwrap()
        .replace(
            "{ code = \"30201\", basic = 10 }",
            "{ code = \"30201\", basic = 5 }, { code = \"30298\", name = \"测试费\", basic = 5 }",
        );
    let checked = juesuan::check_text("named.toml", &text);
    let notes: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "R048")
        .collect();
    assert_eq!(notes.len(), 1, "{notes:#?}");
    let n = notes[0];
    assert_eq!(n.severity, Severity::Info);
    assert!(
        n.message.contains("2120102（项级编码）")
            && n.message.contains("30298（经济分类款级编码）")
            && n.message.contains("共 2 个"),
        "{n}"
    );
    assert!(!checked.diagnostics.iter().any(|d| d.code == "R018"));
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let supplemented = std::fs::read_to_string(fixtures().join("R018/pass.toml")).unwrap();
    let checked = juesuan::check_text("catalog.toml", &supplemented);
    let d: Vec<_> = checked.diagnostics.iter().collect();
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].message.ends_with("2019999（项级编码）（共 1 个）"),
        "{}",
        d[0]
    );
}

/// R033 compares the economic “三公” lines only where they cover project spending: the
/// 财政部 and 上海 sets print the economic classification of 基本支出 only.
#[test]
fn r033_asks_only_what_the_set_prints() {
    let fail = std::fs::read_to_string(fixtures().join("R033/fail.toml")).unwrap();
    let r033 = |text: &str| {
        juesuan::check_text("r033.toml", text)
            .diagnostics
            .iter()
            .any(|d| d.code == "R033")
    };
    assert!(r033(&fail));
    for set in ["central", "shanghai"] {
        let text = fail.replace(
            "year = 2023\n",
            &format!("year = 2023\ntables = \"{set}\"\n"),
        );
        assert!(!r033(&text), "{set}");
        // An economic breakdown of project spending given anyway is checked.
        let given = text.replace(
            "{ code = \"30201\", basic = 10 }",
            "{ code = \"30201\", basic = 10, project = 0 }",
        );
        assert!(r033(&given), "{set}, project given");
    }
    // 普陀区财政局 2024 as published, with a 公务接待费 spent from project spending: its 公开06表
    // prints 30217 of basic spending only, which cannot hold it.
    let putuo = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/putuo-caizheng-2024.toml"),
    )
    .unwrap();
    assert!(!r033(&putuo));
    let reception = putuo
        .replace(
            "declared_actual = 0.00           # 说明七“支出决算为0.00万元”",
            "declared_actual = 0.80           #",
        )
        .replace(
            "actual = 0.00                    # 说明七“公务接待费支出决算为0.00万元”",
            "actual = 0.80\nbatches = 2\npeople = 10 #",
        );
    assert_ne!(reception, putuo);
    assert!(!r033(&reception));
}

#[test]
fn an_empty_bureau_name_is_refused() {
    let d = finding("E005", |t| {
        t.replace("name = \"测试县信访局\"", "name = \"  \"")
    })
    .unwrap();
    assert!(d.message.contains("单位名称为空"), "{d}");
}

#[test]
fn counts_beyond_any_department_are_refused() {
    let huge = |n: &str| {
        let n = n.to_string();
        move |t: String| format!("{t}\n[overview.organization]\nadministrative = {n}\n")
    };
    let d = finding("E005", huge("9223372036854775807")).unwrap();
    assert!(d.message.contains("超过一个单位可能有的数"), "{d}");
    assert!(finding("E005", huge("12")).is_none());
}

#[test]
fn a_runaway_list_stops_at_its_limit() {
    let many = |n: usize| {
        move |t: String| {
            let mut t = t;
            for i in 0..n {
                t.push_str(&format!("\n[[performance.projects]]\nname = \"项目{i}\"\n"));
            }
            t
        }
    };
    let d = finding("E005", many(2_001)).unwrap();
    assert!(d.message.contains("超过上限 2000 条"), "{d}");
    assert!(finding("E005", many(3)).is_none());
}

#[test]
fn a_missing_three_public_prior_is_r023_not_zero() {
    let text = std::fs::read_to_string(fixtures().join("R016/pass.toml"))
        .unwrap()
        .replace("purchase_prior = 0\n", "");
    let checked = juesuan::check_text("prior.toml", &text);
    let d: Vec<String> = checked.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].contains("错误[R023]") && d[0].contains("上年公务用车购置费"),
        "{d:#?}"
    );
}

#[test]
fn the_three_public_prior_total_can_be_declared_and_is_checked() {
    let text = std::fs::read_to_string(fixtures().join("R016/pass.toml")).unwrap();
    let with = |total: &str| {
        let t = text.replace(
            "[three_public.overseas]",
            &format!("[three_public]\ndeclared_prior = {total}\n\n[three_public.overseas]"),
        );
        juesuan::check_text("prior.toml", &t).diagnostics.0
    };
    assert!(with("0.5").is_empty(), "{:#?}", with("0.5"));
    let d = with("0.9");
    assert!(
        d.len() == 1 && d[0].code == "R011" && d[0].message.contains("“三公”经费上年合计 0.9"),
        "{d:#?}"
    );
}

#[test]
fn every_printed_total_can_be_declared_and_a_slip_in_it_is_found() {
    // The R008 clean fixture: one 项 2010308 (basic 110), economic 30101 100 + 30201 10.
    let base = std::fs::read_to_string(fixtures().join("R008/pass.toml")).unwrap();
    let check = |extra: &str, item: &str| {
        let text = base
            .replace(
                "[general_budget]\n",
                &format!("[general_budget]\n{extra}\n"),
            )
            .replace(
                "basic = 110\nbudget = 110",
                &format!("basic = 110\nbudget = 110\n{item}"),
            );
        juesuan::check_text("declared.toml", &text)
            .diagnostics
            .0
            .into_iter()
            .map(|d| (d.code.to_string(), d.severity, d.message))
            .collect::<Vec<_>>()
    };
    let good = check(
        "declared_economic_subtotals = { \"301\" = 100, \"302\" = 10 }",
        "declared_total = 110",
    );
    assert!(good.is_empty(), "{good:#?}");
    let slips = check(
        "declared_economic_subtotals = { \"301\" = 100, \"302\" = 19 }",
        "declared_total = 101",
    );
    assert_eq!(slips.len(), 2, "{slips:#?}");
    assert!(
        slips
            .iter()
            .any(|(c, _, m)| c == "R037" && m.contains("302")),
        "{slips:#?}"
    );
    assert!(
        slips
            .iter()
            .any(|(c, _, m)| c == "R009" && m.contains("2010308")),
        "{slips:#?}"
    );
    // 总表 类 rows, for all money and for appropriations.
    let classes = |spending: &str, appropriation: &str| {
        let text = base
            .replace("[spending]\n", &format!("[spending]\ndeclared_classes = {{ \"201\" = {spending} }}\n"))
            .replace("[general_budget]\n", &format!("[appropriation]\ndeclared_classes = {{ \"201\" = {appropriation} }}\n\n[general_budget]\n"));
        juesuan::check_text("classes.toml", &text).diagnostics.0
    };
    assert!(
        classes("110", "110.01")
            .iter()
            .all(|d| d.severity == Severity::Info)
    );
    let d = classes("119", "110");
    assert!(
        d.len() == 1 && d[0].code == "R009" && d[0].message.contains("收入支出决算总表 201"),
        "{d:#?}"
    );
}

#[test]
fn one_three_public_reason_may_stand_for_its_items() {
    let text = std::fs::read_to_string(fixtures().join("R016/pass.toml"))
        .unwrap()
        .replace(
            "[three_public.reception]\nbudget = 0.5",
            "[three_public.reception]\nbudget = 0.8",
        );
    let codes = |text: &str| -> Vec<String> {
        juesuan::check_text("reason.toml", text)
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {} {}",
                    d.code,
                    d.message,
                    d.fact.as_deref().unwrap_or("")
                )
            })
            .collect()
    };
    // 接待费 0.5 against a budget of 0.8 needs a reason: its own, or one for the whole “三公”.
    let missing = codes(&text);
    assert!(
        missing
            .iter()
            .any(|c| c.contains("three_public.reception.reason")),
        "{missing:?}"
    );
    let one = text.replace(
        "[three_public.overseas]",
        "[three_public]\nreason = \"厉行节约\"\n\n[three_public.overseas]",
    );
    assert_eq!(codes(&one), Vec::<String>::new());
}

#[test]
fn the_appropriation_grand_total_can_be_declared() {
    let base = std::fs::read_to_string(fixtures().join("R008/pass.toml")).unwrap();
    let with = |total: &str| {
        let text = base.replace(
            "[general_budget]\n",
            &format!("[appropriation]\ndeclared_grand_total = {total}\n\n[general_budget]\n"),
        );
        juesuan::check_text("grand.toml", &text).diagnostics.0
    };
    assert!(with("110").is_empty(), "{:#?}", with("110"));
    let d = with("111");
    assert!(
        d.len() == 1 && d[0].code == "R006" && d[0].message.contains("财政拨款收入支出总计 111"),
        "{d:#?}"
    );
}

#[test]
fn review_regressions_culprit_side_and_unknown_keys_survive_type_errors() {
    let base = std::fs::read_to_string(fixtures().join("R001/pass.toml")).unwrap();
    let lines = |text: &str| -> Vec<String> {
        juesuan::check_text("r.toml", text)
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect()
    };
    // A left-side figure of an identity is never suggested with the right side's correction.
    let unbalanced = "[bureau]\nname = \"测试局\"\nyear = 2023\n[income]\nupper_grant = 105.55\n\
                      [spending]\nbasic = 95.55\n";
    let found = lines(unbalanced);
    assert!(found.iter().any(|l| l.contains("[R005]")), "{found:#?}");
    assert!(
        !found
            .iter()
            .any(|l| l.contains("上级补助收入 105.55，若为")),
        "{found:#?}"
    );
    // A misspelt key stays reported when a required field is then missing.
    let typo = base.replace("year = 2023", "yaer = 2023");
    let found = lines(&typo);
    assert!(
        found
            .iter()
            .any(|l| l.contains("[E003]") && l.contains("bureau.yaer")),
        "{found:#?}"
    );
    assert!(
        !found.iter().any(|l| l.contains("缺少必填字段 `bureau`")),
        "{found:#?}"
    );
    // An unquoted code is one type error, not a cascade of code-format findings.
    let unquoted = format!("{base}\n[[appropriation.gov_fund.items]]\ncode = 2296002\nbasic = 0\n");
    let found = lines(&unquoted);
    assert!(found.iter().any(|l| l.contains("[E002]")), "{found:#?}");
    assert!(
        !found
            .iter()
            .any(|l| l.contains("[R017]") || l.contains("[R020]")),
        "{found:#?}"
    );
}

#[test]
fn yuan_input_findings_name_figures_in_yuan() {
    let text = "[bureau]\nname = \"测试局\"\nyear = 2023\nunit = \"元\"\n[income]\n\
                general_budget = 1234567.89\ndeclared_total = 1234567.94\n";
    let checked = juesuan::check_text("yuan.toml", text);
    let r001 = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "R001")
        .expect("R001");
    // 5 分 is a real difference in 元 (no 尾差), named in 元, not “123.46 ≠ 123.46”.
    assert_eq!(r001.severity, Severity::Error);
    assert!(
        r001.message
            .contains("1234567.94元 ≠ 各项收入之和 1234567.89元（差 0.05元）"),
        "{}",
        r001.message
    );
}

/// An integer no i64 holds is E005 at its place (issue 20: `year = 99999999999999999999` said
/// “缺少必填字段 year”).
#[test]
fn an_integer_out_of_range_is_named_not_missing() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ebian-xinfang-2023.toml"),
    )
    .unwrap()
    .replacen("year = 2023", "year = 99999999999999999999", 1);
    let checked = juesuan::check_text("y.toml", &text);
    let found: Vec<(String, String)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect();
    assert_eq!(
        found,
        [(
            "E005".to_string(),
            "bureau.year 的整数 99999999999999999999 超出可以读取的范围".to_string()
        )]
    );
}

/// A unit name with a newline is E005 at its place (issue 20: it was accepted and printed in
/// titles, captions and file names).
#[test]
fn a_unit_name_with_a_newline_is_refused() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ebian-xinfang-2023.toml"),
    )
    .unwrap()
    .replacen(
        "name = \"峨边彝族自治县信访局\"",
        "name = \"峨边彝族自治县\\n信访局\"",
        1,
    );
    let checked = juesuan::check_text("n.toml", &text);
    let found: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "E005")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(found, ["单位名称中有换行或其他控制字符"]);
}
