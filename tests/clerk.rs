//! A clerk's mistakes in the workbook, and the messages they get: each points at the sheet and
//! cell to fix and says in Chinese what is wrong (issue 26 point 2).

mod common;

use calamine::Data;
use common::book::{Book, row_of};
use common::root;
use juesuan::diagnostic::{Diagnostic, Location, Severity};
use juesuan::workbook::schema::{Kind, Layout, SHEETS};

fn check(bytes: &[u8]) -> Vec<Diagnostic> {
    let loaded = juesuan::load::bytes("本单位.xlsx", bytes);
    juesuan::check_loaded(loaded).diagnostics.0
}

fn example() -> Book {
    Book::read(&std::fs::read(root().join("data/ebian-xinfang-2023.xlsx")).unwrap())
}

fn cell(d: &Diagnostic) -> String {
    match &d.location {
        Some(Location::Cell { sheet, cell, .. }) => format!("{sheet}!{cell}"),
        other => panic!("{} has no cell: {other:?} {}", d.code.as_str(), d.message),
    }
}

fn errors_of(diags: &[Diagnostic]) -> Vec<&Diagnostic> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// Only the name and the year filled in: every error points at the cell to fill and names the
/// fact in Chinese, never a TOML key.
#[test]
fn a_workbook_with_only_name_and_year_gets_every_error_at_a_cell() {
    let toml = "[bureau]\nname = \"某县信访局\"\nyear = 2023\nunit = \"万元\"\n";
    let bytes = juesuan::workbook::from_toml("x.toml", toml).unwrap();
    let diags = check(&bytes);
    let errors = errors_of(&diags);
    assert!(!errors.is_empty());
    let mut placed = Vec::new();
    for d in &errors {
        placed.push((d.code.as_str(), cell(d), d.message.clone()));
        assert!(
            !d.message.contains('_') && d.hints.iter().all(|h| !h.contains('_')),
            "a TOML key in a workbook message: {d:?}"
        );
    }
    let expected = [
        ("R023", "上年数!B2", "缺少上年收、支总计"),
        ("R023", "上年数!B4", "缺少上年财政拨款收、支总计"),
        ("R023", "上年数!B6", "缺少上年一般公共预算财政拨款支出"),
        ("R023", "其他事项!B3", "缺少上年机关运行经费"),
    ];
    for (code, at, message) in expected {
        assert!(
            placed
                .iter()
                .any(|(c, a, m)| *c == code && a == at && m == message),
            "{code} {at} {message} not in {placed:#?}"
        );
    }
    // The same facts in TOML name their key and table instead.
    let checked = juesuan::check_loaded(juesuan::input::parse_toml(
        juesuan::input::SourceFile::new("x.toml", toml.to_string()),
    ));
    let r023 = checked
        .diagnostics
        .iter()
        .find(|d| d.message == "缺少上年收、支总计")
        .unwrap();
    assert!(
        r023.hints
            .iter()
            .any(|h| h == "TOML 中写在 [prior_year] 下：total = …"),
        "{r023:?}"
    );
}

/// A missing reason points at the reason's cell; the amount it explains is a related place.
#[test]
fn a_missing_reason_points_at_the_reason_cell() {
    let mut book = example();
    let r = row_of(&mut book, "上年数", "收、支总计变动原因");
    book.set("上年数", r, 1, Data::Empty);
    let diags = check(&book.write(|_, _| {}));
    let errors = errors_of(&diags);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let d = errors[0];
    assert_eq!(d.code.as_str(), "R015");
    assert_eq!(cell(d), format!("上年数!B{}", r + 1));
    assert_eq!(
        d.message,
        "收、支总计本年 305.97 万元、上年 231.88 万元，有增减，须说明原因，但未填写原因"
    );
    let amount = row_of(&mut book, "上年数", "上年收、支总计");
    assert!(
        d.related.iter().any(|x| x
            .location
            .to_string()
            .ends_with(&format!("上年数!B{}", amount + 1))),
        "{d:?}"
    );
}

/// One deleted column is one error naming it, not one per shifted header.
#[test]
fn a_deleted_column_is_one_error_naming_it() {
    let mut book = example();
    for row in book.grid("功能分类支出").iter_mut() {
        if row.len() > 3 {
            row.remove(3);
        }
    }
    let diags = check(&book.write(|_, _| {}));
    let errors = errors_of(&diags);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code.as_str(), "X003");
    assert_eq!(cell(errors[0]), "功能分类支出!D1");
    assert_eq!(
        errors[0].message,
        "工作表“功能分类支出”缺少列“基本支出”：原来的 D 列像是被删除了，右边各列因此左移了一列"
    );

    // A column inserted in the middle is likewise one error.
    let mut book = example();
    for (i, row) in book.grid("功能分类支出").iter_mut().enumerate() {
        if row.len() > 3 {
            let text = if i == 0 { "备注" } else { "" };
            row.insert(3, Data::String(text.into()));
        }
    }
    let diags = check(&book.write(|_, _| {}));
    let errors = errors_of(&diags);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].message,
        "工作表“功能分类支出”的 D 列“备注”是多出来的一列，右边各列因此右移了一列"
    );
}

/// Amounts typed in 元 in a 万元 workbook: the sums still agree, so it is said once, at the
/// largest amount.
#[test]
fn amounts_in_yuan_in_a_wan_workbook_are_said_once() {
    let mut book = example();
    for sheet in SHEETS {
        let Some(grid) = book
            .0
            .iter_mut()
            .find(|(n, _)| n == sheet.name)
            .map(|(_, g)| g)
        else {
            continue;
        };
        let money_col = |row: &[Data], col: usize| match sheet.layout {
            Layout::KeyValue(fields) => {
                col == 1
                    && fields.iter().any(|f| {
                        f.kind == Kind::Money
                            && matches!(row.first(), Some(Data::String(s)) if s == f.header)
                    })
            }
            Layout::Rows { columns, .. } => columns.get(col).is_some_and(|f| f.kind == Kind::Money),
        };
        for row in grid.iter_mut().skip(1) {
            for col in 0..row.len() {
                if money_col(row, col)
                    && let Data::Float(x) = row[col]
                {
                    row[col] = Data::Float((x * 10000.0).round());
                }
            }
        }
    }
    let diags = check(&book.write(|_, _| {}));
    let yuan: Vec<_> = diags.iter().filter(|d| d.code.as_str() == "E009").collect();
    assert_eq!(yuan.len(), 1, "{diags:#?}");
    assert!(
        yuan[0]
            .message
            .starts_with("金额单位是万元，但这里的 3059700 万元是 305.97 亿元"),
        "{}",
        yuan[0].message
    );
    cell(yuan[0]);
    assert!(errors_of(&diags).is_empty(), "{diags:#?}");
    // The example as typed (万元) says nothing of the kind.
    assert!(
        check(&example().write(|_, _| {}))
            .iter()
            .all(|d| d.code.as_str() != "E009")
    );
}

/// A number that cannot be read in one cell does not stop the check: it is said at its cell, and
/// the arithmetic of everything else is checked in the same round, as for a TOML file — without
/// the echoes of the unreadable cell (its stand-in 0 would break the sums it is part of).
#[test]
fn an_unreadable_amount_and_a_wrong_total_come_in_one_round() {
    let mut book = example();
    book.set("经济分类支出", 1, 3, Data::String("七十".into()));
    let alone = check(&book.write(|_, _| {}));
    let errors = errors_of(&alone);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code.as_str(), "X004");
    assert_eq!(cell(errors[0]), "经济分类支出!D2");

    // A second, arithmetic mistake elsewhere is found at once.
    let basic = row_of(&mut book, "支出", "基本支出");
    book.set("支出", basic, 1, Data::Float(281.46));
    let diags = check(&book.write(|_, _| {}));
    let mut codes: Vec<&str> = errors_of(&diags).iter().map(|d| d.code.as_str()).collect();
    codes.sort();
    assert_eq!(
        codes,
        ["R003", "R004", "R005", "R032", "X004"],
        "{diags:#?}"
    );
    let r032 = diags.iter().find(|d| d.code.as_str() == "R032").unwrap();
    assert_eq!(cell(r032), format!("支出!B{}", basic + 1));

    // Nothing is built from it: the workbook still has an error.
    let loaded = juesuan::load::bytes("本单位.xlsx", &book.write(|_, _| {}));
    assert!(juesuan::check_loaded(loaded).diagnostics.has_errors());
}

/// A hint names what the clerk sees: the 科目补充 sheet for a workbook, `[[catalog]]` for TOML.
#[test]
fn an_unknown_code_is_explained_in_the_inputs_own_words() {
    let mut book = example();
    book.set("功能分类支出", 1, 1, Data::String("2019999".into()));
    book.set("功能分类支出", 1, 2, Data::Empty);
    let diags = check(&book.write(|_, _| {}));
    let unknown = diags
        .iter()
        .find(|d| d.code.as_str() == "R018")
        .expect("R018");
    let hints = unknown.hints.join("");
    assert!(hints.contains("“科目补充”表"), "{hints}");
    assert!(!hints.contains("[[catalog]]"), "{hints}");

    let toml = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml"))
        .unwrap()
        .replacen("code = \"2010308\"", "code = \"2019999\"", 1);
    let checked = juesuan::check_text("本单位.toml", &toml);
    let unknown = checked
        .diagnostics
        .0
        .iter()
        .find(|d| d.code.as_str() == "R018")
        .expect("R018 in TOML");
    assert!(unknown.hints.join("").contains("[[catalog]]"));
}
