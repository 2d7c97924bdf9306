//! Facts and `[bureau]` keys real packages need (issue 19 point 3): budget lines without
//! spending, the completion base per bureau and its word, the number style per bureau, and the
//! 24-类 class list of the two 总表. Each is triggered and left alone, and each survives TOML →
//! workbook → TOML.

mod common;

use common::{bundled, root};
use juesuan::diagnostic::Diagnostic;
use juesuan::figures::tables::{Shape, TableLayouts};
use juesuan::render::{self, Format, Timings};

fn putuo() -> String {
    std::fs::read_to_string(root().join("data/putuo-caizheng-2024.toml")).unwrap()
}

fn ebian() -> String {
    std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap()
}

/// The text with `keys` added to its `[bureau]` table.
fn with_bureau(text: &str, keys: &str) -> String {
    text.replacen("[bureau]\n", &format!("[bureau]\n{keys}\n"), 1)
}

/// The text with each `[[general_budget.items]]`'s `budget` typed as its `initial_budget`.
fn item_budgets_as_initial(text: &str) -> String {
    let mut in_items = false;
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with('[') {
            in_items = line.starts_with("[[general_budget.items]]");
        }
        match line.strip_prefix("budget = ") {
            Some(rest) if in_items => out.push_str(&format!("initial_budget = {rest}")),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fn errors(text: &str) -> Vec<Diagnostic> {
    juesuan::check_text("x.toml", text)
        .diagnostics
        .0
        .into_iter()
        .filter(|d| d.severity == juesuan::diagnostic::Severity::Error)
        .collect()
}

/// The Markdown of a clean input.
fn md(text: &str) -> String {
    let checked = juesuan::check_text("x.toml", text);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let out = render::build(
        &checked.bureau.unwrap(),
        &[Format::Md],
        &bundled(),
        &mut Timings::default(),
    )
    .unwrap_or_else(|d| panic!("{d:#?}"));
    String::from_utf8(out[0].bytes.clone()).unwrap()
}

fn figures(text: &str) -> juesuan::figures::Figures {
    let checked = juesuan::check_text("x.toml", text);
    assert!(!checked.diagnostics.has_errors());
    render::prepare(&checked.bureau.unwrap(), &bundled())
        .unwrap()
        .1
}

/// A TOML value with every number as a float (the workbook writes 10.00 as 10).
fn normalised(v: toml::Value) -> toml::Value {
    match v {
        toml::Value::Integer(i) => toml::Value::Float(i as f64),
        toml::Value::Array(a) => toml::Value::Array(a.into_iter().map(normalised).collect()),
        toml::Value::Table(t) => {
            toml::Value::Table(t.into_iter().map(|(k, v)| (k, normalised(v))).collect())
        }
        other => other,
    }
}

/// The TOML read back from the workbook `from_toml` writes holds the same facts.
fn round_trips(text: &str) {
    let bytes = juesuan::workbook::from_toml("x.toml", text).unwrap();
    let back = juesuan::load::bytes("x.xlsx", &bytes);
    assert!(!back.diagnostics.has_errors(), "{:#?}", back.diagnostics);
    let tree = |t: &str| normalised(toml::Value::Table(t.parse().unwrap()));
    assert!(tree(text) == tree(&back.source.text), "the facts differ");
    assert_eq!(md(text), md(&back.source.text));
}

// ---- (a) budget lines without spending ----------------------------------------------------

/// Putuo with a 项 that had a 年初预算 of 10.00 and spent nothing: the printed 年初预算 total
/// (3003.92) is larger than the sum of the listed 项.
fn putuo_with_unlisted() -> String {
    putuo()
        .replace(
            "declared_budget = 2993.92 ",
            "declared_budget = 3003.92 ",
        )
        .replace(
            "[three_public]\n",
            "[[general_budget.items]]\ncode = \"2010699\"\nname = \"其他财政事务支出\"\ninitial_budget = 10.00\n\n[three_public]\n",
        )
}

#[test]
fn a_budget_line_without_spending_counts_in_the_budget_and_is_not_listed() {
    let text = putuo_with_unlisted();
    assert!(errors(&text).is_empty(), "{:#?}", errors(&text));
    let f = figures(&text);
    let gb = &f.doc.general_budget;
    assert_eq!(gb.budget, "3003.92");
    // 2940.05 ÷ 3003.92 = 97.87%.
    assert_eq!(gb.completion.percent.as_deref(), Some("97.87"));
    assert_eq!(gb.items.len(), 11);
    assert!(!gb.items.iter().any(|i| i.code == "2010699"));
    let record = f
        .ledger
        .0
        .iter()
        .find(|r| r.id == "general_budget.budget")
        .unwrap();
    assert!(
        record
            .inputs
            .iter()
            .any(|o| o.label == "2010699 年初预算数（无支出，不列示）"),
        "{:#?}",
        record.inputs
    );
    let out = md(&text);
    assert!(out.contains(
        "一般公共预算财政拨款支出年初预算为3003.92万元，支出决算为2940.05万元，完成年初预算的97.87%"
    ));
    assert!(
        !out.contains("2010699"),
        "a line without spending is printed"
    );
    assert!(!out.contains("其他财政事务支出"));
    // The tables are those of the example: the line adds no row.
    let example = md(&putuo());
    for title in ["一般公共预算财政拨款支出决算表", "财政拨款收入支出决算总表"]
    {
        assert_eq!(common::table(&out, title), common::table(&example, title));
    }
    round_trips(&text);
}

#[test]
fn r036_checks_the_declared_budget_against_every_budget_line() {
    // The example's 2993.92 without the unlisted 10.00: the listed 项 alone are short of it.
    let text =
        putuo_with_unlisted().replace("initial_budget = 10.00\n", "initial_budget = 20.00\n");
    let r036: Vec<String> = errors(&text)
        .into_iter()
        .filter(|d| d.code.as_str() == "R036")
        .map(|d| d.message)
        .collect();
    assert_eq!(r036.len(), 1, "{r036:#?}");
    assert!(
        r036[0].contains("3003.92") && r036[0].contains("3013.93"),
        "{r036:#?}"
    );
    // Without a declared total, the total is the sum of every budget line.
    let text = putuo_with_unlisted().replace("declared_budget = 3003.92 ", "# ");
    assert_eq!(figures(&text).doc.general_budget.budget, "3003.93");
}

#[test]
fn an_item_with_spending_or_balances_stays_listed() {
    // A 0 typed is a printed line; a budget with a closing balance is money carried forward.
    for extra in ["basic = 0\n", "closing_balance = 1\n"] {
        let text = putuo_with_unlisted().replace(
            "initial_budget = 10.00\n",
            &format!("initial_budget = 10.00\n{extra}"),
        );
        let checked = juesuan::check_text("x.toml", &text);
        let b = checked.bureau.unwrap();
        let fund = &b.appropriation.general_budget;
        assert!(fund.unlisted.is_empty(), "{extra}");
        assert!(
            fund.items.iter().any(|i| i.code.value == "2010699"),
            "{extra}"
        );
    }
}

// ---- (b) completion base per bureau ----------------------------------------------------------

#[test]
fn a_bureau_compares_with_the_full_year_budget_and_says_so() {
    // A department founded during the year: no 年初预算, its 项 carry the 全年预算 (`budget`).
    let text = with_bureau(&putuo(), "completion_base = \"adjusted\"")
        .replace("initial_budget = ", "budget = ");
    let out = md(&text);
    assert!(
        out.contains("一般公共预算财政拨款支出全年预算为2993.92万元，支出决算为2940.05万元，完成全年预算的98.20%"),
        "{out}"
    );
    assert!(out.contains("全年预算为1560.05万元，支出决算为1511.89万元。"));
    assert!(!out.contains("年初预算为1560.05"));
    assert_eq!(figures(&text).doc.budget_base, "全年预算");
    // The form's own base, and its word, when the bureau says nothing.
    let example = md(&putuo());
    assert!(example.contains("完成年初预算的98.20%"));
    assert!(!example.contains("全年预算"));
    round_trips(&text);
}

#[test]
fn the_rules_follow_the_bureaus_base() {
    // Under the adjusted base, the 项 typed with only a 年初预算 lack the budget compared with.
    let text = with_bureau(&putuo(), "completion_base = \"adjusted\"");
    let r023 = errors(&text)
        .iter()
        .filter(|d| d.code.as_str() == "R023")
        .count();
    assert_eq!(r023, 11);
    // A Sichuan bureau comparing with its 年初预算: the words come from the Sichuan form.
    let text = item_budgets_as_initial(&with_bureau(&ebian(), "completion_base = \"initial\""));
    let out = md(&text);
    assert!(out.contains("完成年初预算100.0%"), "{out}");
    assert!(!md(&ebian()).contains("完成年初预算"));
}

#[test]
fn a_misspelt_base_is_an_error_naming_the_choices() {
    let e = errors(&with_bureau(&putuo(), "completion_base = \"full_year\""));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].hints
            .iter()
            .any(|h| h.contains("adjusted") && h.contains("initial")),
        "{e:#?}"
    );
}

// ---- (d) number style per bureau -----------------------------------------------------------------

#[test]
fn a_bureau_overrides_each_number_style_of_its_form() {
    let example = md(&putuo());
    let three_public = |md: &str| common::table(md, "财政拨款“三公”经费支出决算表").to_string();
    // Shanghai: 100%, 0.00万元, blank zero cells.
    assert!(example.contains("占本年支出合计的100%"));
    assert!(example.contains("工程采购金额0.00万元"));
    assert!(!three_public(&example).contains("0.00"));
    let text = with_bureau(
        &putuo(),
        "whole_percent = \"decimals\"\nmoney_in_text = \"trimmed\"\nzero_in_tables = \"as_laid_out\"",
    );
    let out = md(&text);
    assert!(out.contains("占本年支出合计的100.00%"), "{out}");
    assert!(out.contains("工程采购金额0万元"));
    assert!(three_public(&out).contains("0.00"));
    round_trips(&text);
    // Each key alone changes only its own figures.
    let out = md(&with_bureau(&putuo(), "whole_percent = \"decimals\""));
    assert!(out.contains("100.00%") && out.contains("工程采购金额0.00万元"));
    // And the other way round on a Sichuan example.
    let sichuan = md(&ebian());
    assert!(sichuan.contains("完成预算100.0%") && sichuan.contains("支出决算为4.8万元"));
    let out = md(&with_bureau(
        &ebian(),
        "whole_percent = \"integer\"\nmoney_in_text = \"fixed\"\nzero_in_tables = \"blank\"",
    ));
    assert!(
        out.contains("完成预算100%") && out.contains("支出决算为4.80万元"),
        "{out}"
    );
}

#[test]
fn a_misspelt_style_is_an_error() {
    for key in [
        "whole_percent = \"100%\"",
        "money_in_text = \"0.00\"",
        "zero_in_tables = \"empty\"",
    ] {
        let e = errors(&with_bureau(&putuo(), key));
        assert_eq!(e.len(), 1, "{key}: {e:#?}");
    }
}

// ---- (e) the 24-类 class list --------------------------------------------------------------------

const DEBT: &str = "二十四、债务还本支出";
const PANDEMIC_24: &str = "二十四、抗疫特别国债安排的支出";

/// 收入支出决算总表 and 财政拨款收入支出决算总表, as titled in Shanghai's set (no 表号) or in
/// the numbered sets.
fn summary_tables(md: &str) -> [String; 2] {
    let numbered = md.contains("**公开01表");
    [
        ("公开01表", "收入支出决算总表"),
        ("公开04表", "财政拨款收入支出决算总表"),
    ]
    .map(|(number, title)| {
        let title = if numbered {
            format!("{number}　{title}")
        } else {
            title.to_string()
        };
        common::table(md, &title).to_string()
    })
}

#[test]
fn shanghai_prints_26_classes_until_2024_and_24_from_2025() {
    for table in summary_tables(&md(&putuo())) {
        assert!(table.contains(DEBT) && table.contains("二十六、抗疫特别国债安排的支出"));
    }
    let in_2025 = putuo().replace("year = 2024", "year = 2025");
    for table in summary_tables(&md(&in_2025)) {
        assert!(
            !table.contains("债务") && table.contains(PANDEMIC_24),
            "{table}"
        );
        assert!(table.contains("二十三、其他支出"));
    }
    // A bureau chooses either list in either year.
    for table in summary_tables(&md(&with_bureau(&putuo(), "table_variant = \"no_debt\""))) {
        assert!(!table.contains("债务") && table.contains(PANDEMIC_24));
    }
    let text = with_bureau(&in_2025, "table_variant = \"debt\"");
    for table in summary_tables(&md(&text)) {
        assert!(table.contains(DEBT));
    }
    round_trips(&text);
}

#[test]
fn sichuan_and_central_print_24_classes_when_the_bureau_asks() {
    let example = md(&ebian());
    let text = with_bureau(&ebian(), "table_variant = \"no_debt\"");
    let out = md(&text);
    let [all, appropriation] = summary_tables(&out);
    assert!(!all.contains("债务") && all.contains(PANDEMIC_24));
    assert!(!appropriation.contains("债务") && appropriation.contains(PANDEMIC_24));
    // 行次 run on: the 抗疫 row is 52, 总计 56 (the 25-类 list ends at 58).
    assert!(all.contains(&format!("{PANDEMIC_24} | 52 |")), "{all}");
    assert!(all.contains("| **总计** | **56** |"), "{all}");
    assert!(summary_tables(&example)[0].contains("| **总计** | **58** |"));
    // The other tables are untouched.
    assert_eq!(
        common::table(&out, "公开03表　支出决算表"),
        common::table(&example, "公开03表　支出决算表")
    );
    let central = with_bureau(
        &ebian(),
        "tables = \"central\"\ntable_variant = \"no_debt\"",
    );
    assert!(summary_tables(&md(&central))[0].contains(PANDEMIC_24));
}

#[test]
fn an_unknown_variant_is_an_error_listing_the_variants() {
    let e = errors(&with_bureau(&ebian(), "table_variant = \"2025\""));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].message.contains("2025"), "{e:#?}");
    assert!(
        e[0].hints
            .iter()
            .any(|h| h.contains("debt") && h.contains("no_debt")),
        "{e:#?}"
    );
}

#[test]
fn the_layout_is_chosen_by_year_then_by_variant() {
    let l = TableLayouts::builtin();
    let rows = |id: &str, year: i64, variant: Option<&str>| {
        l.layout(id, year, variant).map(|t| t.right.len())
    };
    assert_eq!(rows("sh_income_spending", 2024, None), Some(30));
    assert_eq!(rows("sh_income_spending", 2025, None), Some(28));
    assert_eq!(rows("sh_income_spending", 2024, Some("no_debt")), Some(28));
    assert_eq!(rows("sh_income_spending", 2025, Some("debt")), Some(30));
    assert_eq!(rows("income_spending", 2025, None), Some(29));
    assert_eq!(rows("income_spending", 2023, Some("no_debt")), Some(28));
    // A variant a table does not have leaves it to the year.
    assert_eq!(
        rows("sh_income", 2024, Some("no_debt")),
        rows("sh_income", 2024, None)
    );
    assert!(l.prints(
        "sichuan",
        2023,
        Some("no_debt"),
        Shape::Economic,
        "project",
        None
    ));
}
