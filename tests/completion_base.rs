//! The form's completion base (`[policy] completion_base`): a 项's and the 一般公共预算's 完成预算
//! are against the 调整后预算 (`budget`, the default) or the 年初预算 (`initial_budget`), at the
//! edges (budget 0, equal, greater, less), and a form asking for the 年初预算 reports an item
//! without one (R023).

mod common;

use std::sync::Arc;

use common::{bundled, root};
use juesuan::arith::Relation;
use juesuan::figures::Figures;
use juesuan::form::{CompletionBase, Forms};
use juesuan::model::{Amount, Bureau};
use juesuan::money::Money;

fn amount(v: &str) -> Option<Amount> {
    Some(Amount {
        value: Money(v.parse().unwrap()),
        loc: None,
    })
}

/// Ebian's facts with its first four 项 given both budgets (决算 1.25, 217.51, 19.83, 9.92):
/// 预算数 0 / 217.51 / 10 / 20 and 年初预算 1.25 / 0 / 20 / 5; the others the same under both.
fn ebian(base: CompletionBase) -> Bureau {
    let checked = juesuan::check_file(&root().join("data/ebian-xinfang-2023.toml"));
    let mut b = checked.bureau.unwrap();
    let items = &mut b.appropriation.general_budget.items;
    for (item, (budget, initial)) in
        items
            .iter_mut()
            .zip([("0", "1.25"), ("217.51", "0"), ("10", "20"), ("20", "5")])
    {
        item.budget = amount(budget);
        item.initial_budget = amount(initial);
    }
    for item in items.iter_mut().skip(4) {
        item.initial_budget = item.budget.clone();
    }
    b.general_budget.declared_budget = None;
    let mut form = (*b.identity.form).clone();
    form.policy.completion_base = base;
    b.identity.form = Arc::new(form);
    b
}

fn figures(b: &Bureau) -> Figures {
    juesuan::render::prepare(b, &bundled()).unwrap().1
}

/// (预算数 printed, 完成率, relation) of each of the first four 项.
fn items(f: &Figures) -> Vec<(String, Option<String>, Relation)> {
    f.doc
        .general_budget
        .items
        .iter()
        .take(4)
        .map(|i| {
            (
                i.budget.clone(),
                i.completion.percent.clone(),
                i.completion.kind,
            )
        })
        .collect()
}

fn s(v: &str) -> String {
    v.to_string()
}

#[test]
fn adjusted_compares_with_the_budget() {
    let f = figures(&ebian(CompletionBase::Adjusted));
    assert_eq!(
        items(&f),
        vec![
            // budget 0: Sichuan gives no rate (budget_zero = no_rate), 决算 is greater.
            (s("0"), None, Relation::Greater),
            (s("217.51"), Some(s("100.0")), Relation::Equal),
            (s("10"), Some(s("198.3")), Relation::Greater),
            (s("20"), Some(s("49.6")), Relation::Less),
        ]
    );
    let record = f
        .ledger
        .0
        .iter()
        .find(|r| r.id == "general_budget.items[2].completion")
        .unwrap();
    assert_eq!(record.inputs[1].label, "2080505 预算数");
}

#[test]
fn initial_compares_with_the_initial_budget() {
    let f = figures(&ebian(CompletionBase::Initial));
    assert_eq!(
        items(&f),
        vec![
            (s("1.25"), Some(s("100.0")), Relation::Equal),
            (s("0"), None, Relation::Greater),
            // 19.83 ÷ 20 = 99.15% rounds half up to 99.2%.
            (s("20"), Some(s("99.2")), Relation::Less),
            (s("5"), Some(s("198.4")), Relation::Greater),
        ]
    );
    let record = f
        .ledger
        .0
        .iter()
        .find(|r| r.id == "general_budget.items[2].completion")
        .unwrap();
    assert_eq!(record.inputs[1].label, "2080505 年初预算数");
    // The whole: 271.46 against Σ 年初预算, not Σ 预算数.
    let adjusted = figures(&ebian(CompletionBase::Adjusted));
    let (a, i) = (&adjusted.doc.general_budget, &f.doc.general_budget);
    assert_eq!(a.total, i.total);
    let moved = |d: &str| d.parse::<rust_decimal::Decimal>().unwrap();
    // Σ 年初预算 − Σ 预算数 over the four: (1.25 + 0 + 20 + 5) − (0 + 217.51 + 10 + 20).
    assert_eq!(moved(&i.budget) - moved(&a.budget), moved("-221.26"));
    assert_ne!(a.completion.percent, i.completion.percent);
}

#[test]
fn without_either_budget_the_actual_stands_in_under_both() {
    for base in [CompletionBase::Adjusted, CompletionBase::Initial] {
        let mut b = ebian(base);
        let item = &mut b.appropriation.general_budget.items[0];
        item.budget = None;
        item.initial_budget = None;
        let f = figures(&b);
        let first = &f.doc.general_budget.items[0];
        assert_eq!(first.budget, "1.25", "{base:?}");
        assert_eq!(first.completion.kind, Relation::Equal, "{base:?}");
    }
}

#[test]
fn a_form_asking_for_the_initial_budget_reports_an_item_without_one() {
    // Ebian in the Shanghai form (completion_base = "initial"): its 项 have only a budget.
    let text = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml"))
        .unwrap()
        .replace("form = \"sichuan\"", "form = \"shanghai\"");
    let checked = juesuan::check_text("ebian-as-shanghai.toml", &text);
    let missing: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "R023")
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(missing.len(), 8, "{missing:#?}");
    assert!(
        missing[0].contains("2010103") && missing[0].contains("缺少年初预算数 initial_budget"),
        "{missing:#?}"
    );
    // The same facts in the Sichuan form (adjusted) have every budget they need.
    let sichuan = juesuan::check_file(&root().join("data/ebian-xinfang-2023.toml")).diagnostics;
    assert!(!sichuan.iter().any(|d| d.code.as_str() == "R023"));
}

#[test]
fn the_base_is_read_from_a_manifest_and_defaults_to_adjusted() {
    let manifest = |policy: &str| {
        format!("key = \"x\"\nname = \"x\"\ntables = \"central\"\n[policy]\n{policy}\n")
    };
    let base = |policy: &str| {
        Forms::from_files([("x/form.toml", manifest(policy).as_str())])
            .map(|f| f.get("x").unwrap().policy.completion_base)
    };
    assert_eq!(base(""), Ok(CompletionBase::Adjusted));
    assert_eq!(
        base("completion_base = \"adjusted\""),
        Ok(CompletionBase::Adjusted)
    );
    assert_eq!(
        base("completion_base = \"initial\""),
        Ok(CompletionBase::Initial)
    );
    let e = base("completion_base = \"年初\"").unwrap_err();
    assert!(e.reason.contains("adjusted"), "{}", e.reason);
    // The Shanghai form states 年初预算 (五（三）“完成年初预算的X%”); Sichuan the adjusted one.
    let forms = Forms::builtin();
    assert_eq!(
        forms.get("shanghai").unwrap().policy.completion_base,
        CompletionBase::Initial
    );
    assert_eq!(
        forms.get("sichuan").unwrap().policy.completion_base,
        CompletionBase::Adjusted
    );
}
