//! 说明中对上表式的句子：每个空位所印的数与由公开表算出的同一个数逐一比较（“三公”经费、政府性基金与国有资本经营预算）。
//!
//! A sentence aligned with the form's sentences ([`super::sentences`]) knows which figure each
//! of its numbers prints (`doc.three_public.overseas.actual`). Here the slots of the parts the
//! phrase checks of [`super::explanation`] do not reach are compared with the figures computed
//! from the tables read: the “三公” 经费 (合计 and each item's 决算数、预算数, 公务用车购置费 and
//! 运行维护费, each item's 占比 and 完成预算, 决算数大于/小于预算数) and the 政府性基金 and
//! 国有资本经营 funds (收入, 支出, each 项's 预算数、决算数、完成预算). Figures no 公开表 prints
//! (the prior year, counts of vehicles and visitors, 外宾接待) are not compared.
//!
//! A slot inside a loop over a list (`doc.gov_fund_detail.items[].actual`) takes the element
//! whose names (类、款、项) the sentence, or the last sentence naming one, printed.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::Value;

use super::explanation::Checker;
use super::grammar::SlotKind;
use super::printed::{Printed, percent_text, ratio_fits};
use super::sentences::{Sentence, SlotRead, Status};
use crate::diagnostic::codes;
use crate::figures::Figures;
use crate::form::Words;

/// The parts compared here: a slot path starting with one of these (or equal to one without
/// its dot).
const PARTS: [&str; 5] = [
    "doc.three_public.",
    "doc.gov_fund_detail.",
    "doc.state_capital_detail.",
    "doc.gov_fund.",
    "doc.state_capital.",
];

/// Figures of those parts no 公开表 prints.
const NOT_IN_TABLES: [&str; 9] = [
    ".change",
    ".domestic.",
    ".foreign.",
    "overseas_groups",
    "overseas_people",
    "vehicle_purchased",
    "vehicle_purchases",
    "vehicle_fleet",
    ".reason",
];

/// What each compared figure is, for the finding (by the end of its path).
const NAMES: [(&str, &str); 14] = [
    ("three_public.actual", "“三公”经费决算数"),
    ("three_public.budget", "“三公”经费预算数"),
    ("three_public.overseas.actual", "因公出国（境）费决算数"),
    (
        "three_public.vehicle.actual",
        "公务用车购置及运行维护费决算数",
    ),
    ("three_public.reception.actual", "公务接待费决算数"),
    ("three_public.vehicle_purchase", "公务用车购置费决算数"),
    ("three_public.vehicle_running", "公务用车运行维护费决算数"),
    ("gov_fund", "政府性基金预算财政拨款支出"),
    ("state_capital", "国有资本经营预算财政拨款支出"),
    ("gov_fund_detail.income", "政府性基金预算财政拨款收入"),
    (
        "state_capital_detail.income",
        "国有资本经营预算财政拨款收入",
    ),
    (".actual", "决算数"),
    (".budget", "预算数"),
    (".income", "收入"),
];

/// The compared figure's table, for the finding.
fn table_of(path: &str) -> &'static str {
    if path.starts_with("doc.three_public") {
        "财政拨款“三公”经费支出决算表"
    } else if path.starts_with("doc.gov_fund") {
        "政府性基金预算财政拨款收入支出决算表"
    } else {
        "国有资本经营预算财政拨款收入支出决算表"
    }
}

fn in_scope(path: &str) -> bool {
    let dotted = format!("{path}.");
    PARTS.iter().any(|p| dotted.starts_with(p)) && !NOT_IN_TABLES.iter().any(|n| path.contains(n))
}

/// The list a slot's path loops over (`doc.gov_fund_detail.items`), if any.
fn list_of(path: &str) -> Option<&str> {
    path.find("[]").map(|i| &path[..i])
}

/// Compares every slot of the matched sentences in [`PARTS`] with the figure it prints.
pub(super) fn compare(c: &mut Checker, sentences: &[Sentence], figures: &Figures, words: &Words) {
    let Ok(doc) = serde_json::to_value(&figures.doc) else {
        return;
    };
    let doc = Value::Object([("doc".to_string(), doc)].into_iter().collect());
    // The element of each list the text is at: named by a sentence, kept for the next ones.
    let mut at: HashMap<String, usize> = HashMap::new();
    for s in sentences.iter().filter(|s| s.status == Status::Matched) {
        let slots: Vec<&SlotRead> = s.slots.iter().filter(|r| in_scope(&r.path)).collect();
        if slots.is_empty() {
            continue;
        }
        name_elements(&doc, &slots, &mut at);
        for slot in slots {
            let path = match list_of(&slot.path) {
                Some(list) => match at.get(list) {
                    Some(i) => slot.path.replacen("[]", &format!("[{i}]"), 1),
                    None => continue,
                },
                None => slot.path.clone(),
            };
            if path.contains("[]") {
                continue;
            }
            match slot.kind {
                SlotKind::Number if matches!(slot.unit.as_str(), "万元" | "元") => {
                    amount(c, &doc, &path, slot)
                }
                SlotKind::Number if slot.unit == "%" => percent(c, &doc, figures, &path, slot),
                SlotKind::Word if path.ends_with(".completion.relation") => {
                    relation(c, &doc, figures, &path, slot, words)
                }
                _ => {}
            }
        }
    }
}

/// The list elements the sentence's names pick: for each list, the one element whose names
/// (类、款、项) are all as printed.
fn name_elements(doc: &Value, slots: &[&SlotRead], at: &mut HashMap<String, usize>) {
    let mut lists: Vec<&str> = slots.iter().filter_map(|s| list_of(&s.path)).collect();
    lists.dedup();
    for list in lists {
        let names: Vec<&&SlotRead> = slots
            .iter()
            .filter(|s| s.kind == SlotKind::Name && list_of(&s.path) == Some(list))
            .collect();
        let Some(Value::Array(items)) = lookup(doc, list) else {
            continue;
        };
        if names.is_empty() {
            if items.len() == 1 {
                at.insert(list.to_string(), 0);
            }
            continue;
        }
        let fits: Vec<usize> = (0..items.len())
            .filter(|i| {
                names.iter().all(|n| {
                    let path = n.path.replacen("[]", &format!("[{i}]"), 1);
                    lookup(doc, &path).and_then(Value::as_str).map(squeeze)
                        == Some(squeeze(&n.printed))
                })
            })
            .collect();
        match fits.as_slice() {
            [i] => {
                at.insert(list.to_string(), *i);
            }
            _ => {
                at.remove(list);
            }
        }
    }
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The value at a path of the context (`doc.gov_fund_detail.items[2].actual`).
fn lookup<'v>(doc: &'v Value, path: &str) -> Option<&'v Value> {
    let mut v = doc;
    for seg in path.split('.') {
        let (key, index) = match seg.split_once('[') {
            Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        v = v.get(key)?;
        if let Some(i) = index {
            v = v.get(i)?;
        }
    }
    (!v.is_null()).then_some(v)
}

/// A figure of the context as a number (`"2,961.68"` → 2961.68).
fn number(doc: &Value, path: &str) -> Option<Decimal> {
    let v = lookup(doc, path)?;
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Printed::parse(&s).map(|p| p.value)
}

/// What the figure at `path` is (`因公出国（境）费决算数`, `政府性基金 2120801 征地和拆迁补偿支出 决算数`).
fn name(doc: &Value, path: &str) -> String {
    let bare = path.trim_start_matches("doc.");
    let Some((_, n)) = NAMES.iter().find(|(end, _)| bare.ends_with(end)) else {
        return bare.to_string();
    };
    if let Some(i) = bare.find("items[") {
        let item = &path[..path.len() - bare.len() + i + bare[i..].find(']').unwrap_or(0) + 1];
        let code = lookup(doc, &format!("{item}.code"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let label = lookup(doc, &format!("{item}.path.item"))
            .and_then(Value::as_str)
            .unwrap_or("");
        return format!("{code} {label} {n}");
    }
    n.to_string()
}

/// The ledger's record of a figure (`three_public.overseas.completion`), its inputs as numbers.
fn record<'f>(figures: &'f Figures, id: &str) -> Option<&'f crate::figures::Record> {
    figures.ledger.0.iter().find(|r| r.id == id)
}

/// `because 公式：甲 1.00 + 乙 2.00` from a ledger record.
fn formula_of(r: &crate::figures::Record) -> String {
    let inputs: Vec<String> = r
        .inputs
        .iter()
        .map(|i| format!("{} {}", i.label, i.value))
        .collect();
    format!("{}（{}）", r.formula, inputs.join("，"))
}

/// An amount: printed as the table's figure, within its half unit; a difference within the
/// tables' 尾差 is a note.
fn amount(c: &mut Checker, doc: &Value, path: &str, slot: &SlotRead) {
    let Some(right) = number(doc, path) else {
        return;
    };
    let Some(mut printed) = Printed::parse(&slot.printed) else {
        return;
    };
    if slot.unit == "元" {
        printed = printed.yuan_as_wan();
    }
    c.tick(codes::TEXT_AMOUNT);
    if printed.holds(right) {
        return;
    }
    let what = name(doc, path);
    let table = table_of(path);
    let tail = Decimal::new(2, 2);
    if (printed.value - right).abs() <= printed.half + tail {
        c.tail(format!(
            "{} 所印 {}{} 与{table} {what} {right} 万元相差在尾差之内",
            c.where_(slot.at),
            slot.printed,
            slot.unit
        ));
        return;
    }
    c.flag(slot.at);
    c.finding(
        codes::TEXT_AMOUNT,
        slot.at,
        format!("{}{}", slot.printed, slot.unit),
        Some(format!("{right:.2}万元")),
        format!(
            "说明所印{what} {}{} ≠ {table} {what} {right:.2} 万元",
            slot.printed, slot.unit
        ),
    );
}

/// The amounts a percentage is computed from: the ledger's record of it, else (a 项's 完成预算)
/// its 决算数 and 预算数 beside it.
fn operands(
    doc: &Value,
    figures: &Figures,
    path: &str,
) -> Option<(Decimal, Decimal, String, String)> {
    let id = path.trim_start_matches("doc.");
    let id = id.strip_suffix(".percent").unwrap_or(id);
    let id = id.strip_suffix(".relation").unwrap_or(id);
    if let Some(r) = record(figures, id)
        && let [a, b] = r.inputs.as_slice()
    {
        let (a_v, b_v) = (
            Printed::parse(&a.value)?.value,
            Printed::parse(&b.value)?.value,
        );
        return Some((
            a_v,
            b_v,
            formula_of(r),
            format!("{} ÷ {}", a.label, b.label),
        ));
    }
    let parent = path.rsplit_once(".completion")?.0;
    let a = number(doc, &format!("{parent}.actual"))?;
    let b = number(doc, &format!("{parent}.budget"))?;
    let what = name(doc, &format!("{parent}.actual"));
    Some((
        a,
        b,
        format!("决算数 {a} ÷ 预算数 {b} × 100%"),
        format!("{what} ÷ 预算数"),
    ))
}

/// A percentage (占比、完成预算): a slip only if no amounts that print as the table's give it
/// at its printed precision.
fn percent(c: &mut Checker, doc: &Value, figures: &Figures, path: &str, slot: &SlotRead) {
    let Some((a, b, formula, _)) = operands(doc, figures, path) else {
        return;
    };
    let Some(printed) = Printed::parse(&slot.printed) else {
        return;
    };
    c.tick(codes::TEXT_PERCENT);
    let (pa, pb) = (Printed::at(a, 2), Printed::at(b, 2));
    if ratio_fits(pa, pb, printed) {
        return;
    }
    let decimals = printed.value.scale();
    let right = percent_text(a, b, decimals);
    c.finding(
        codes::TEXT_PERCENT,
        slot.at,
        format!("{}%", slot.printed),
        right.as_ref().map(|r| format!("{r}%")),
        format!(
            "{} = {}%（表中 {a}、{b} 万元；按表中金额的位数，任何能印成这两个数的金额都得不出所印的 {}%）",
            formula,
            right.unwrap_or_default(),
            slot.printed
        ),
    );
}

/// 决算数大于（小于）预算数 / 与预算数持平: a word some amounts that print as the table's allow.
fn relation(
    c: &mut Checker,
    doc: &Value,
    figures: &Figures,
    path: &str,
    slot: &SlotRead,
    words: &Words,
) {
    let Some((a, b, _, _)) = operands(doc, figures, path) else {
        return;
    };
    let (pa, pb) = (Printed::at(a, 2), Printed::at(b, 2));
    let printed = squeeze(&slot.printed);
    let allowed = if printed == squeeze(&words.greater) {
        pa.hi() > pb.lo()
    } else if printed == squeeze(&words.less) {
        pa.lo() < pb.hi()
    } else if printed == squeeze(&words.equal) {
        pa.meets(pb)
    } else {
        return;
    };
    c.tick(codes::TEXT_WORDS);
    if allowed {
        return;
    }
    let right = match a.cmp(&b) {
        std::cmp::Ordering::Greater => &words.greater,
        std::cmp::Ordering::Less => &words.less,
        std::cmp::Ordering::Equal => &words.equal,
    };
    let what = name(doc, &path.replace(".completion.relation", ".actual"));
    c.finding(
        codes::TEXT_WORDS,
        slot.at,
        slot.printed.clone(),
        Some(right.clone()),
        format!(
            "{}：表中决算数 {a} 万元、预算数 {b} 万元，应为“{right}”",
            what.trim_end_matches("决算数")
        ),
    );
}
