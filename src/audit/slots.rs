//! 说明中对上表式的句子：每个空位所印的数与由公开表算出的同一个数逐一比较（各章的金额、占比、完成预算与大于/小于）。
//!
//! A sentence aligned with the form's sentences ([`super::sentences`]) knows which figure each
//! of its numbers prints (`doc.three_public.overseas.actual`, `doc.income.lines[].share`). Every
//! figure slot of a matched sentence is compared here with the figure `juesuan build` computes
//! from the tables read, unless a phrase check of [`super::explanation`] read it first (each
//! number is checked once): amounts (A001), percentages (A002: a slip only if no 元-level
//! amounts that print as the table's give it at its printed precision), and the words
//! 大于/小于/持平 (A003). A slot whose figure what was read does not determine — the prior year
//! and the change from it, counts of vehicles and visitors, figures of no 公开表 (机关运行经费,
//! 政府采购, 资产 when no table was read for them), a budget the tables do not print — is not
//! compared, and counted with its reason.
//!
//! A slot inside a loop over a list (`doc.gov_fund_detail.items[].actual`) takes the element
//! whose names (类、款、项) the sentence, or the last sentence naming one, printed.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::Value;

use super::checker::Checker;
use super::grammar::SlotKind;
use super::printed::{Printed, percent_text, ratio_fits};
use super::sentences::{Sentence, SlotRead, Status};
use crate::diagnostic::codes;
use crate::figures::Figures;
use crate::form::Words;

/// The reasons of a count (车辆、团组、人次、项目), an element of a list not named, a budget
/// no table read gives, a word of the change from the prior year.
const COUNTS: &str = "个数（团组、人次、车辆、项目）不在公开表中";
const UNNAMED: &str = "循环中的项由所印的名称认不出是哪一项";
const NO_BUDGET: &str = "预算数不在所读的公开表中";
const PRIOR: &str = "与上年比较，上年数不在公开表中";

/// The reason of a percentage or a 大于/小于 whose two amounts are not both read.
const NO_OPERANDS: &str = "所读的公开表中没有算出它的两个数";

/// Figures of the context that are not in any 公开表 (the prior year and the change from it,
/// counts, the 外宾/国内接待 split), with the reason.
const NOT_IN_TABLES: [(&str, &str); 12] = [
    (".change", PRIOR),
    ("doc.changes.", PRIOR),
    ("prior", PRIOR),
    (".domestic.", "国内、外宾接待的分项不在公开表中"),
    (".foreign.", "国内、外宾接待的分项不在公开表中"),
    ("overseas_groups", COUNTS),
    ("overseas_people", COUNTS),
    ("vehicle_purchased", COUNTS),
    ("vehicle_purchases", COUNTS),
    ("vehicle_fleet", COUNTS),
    ("doc.performance", "绩效的数不在公开表中"),
    ("doc.overview", "单位构成的个数不在公开表中"),
];

/// The words of a change (增加/减少、增长/下降): read with the change by the phrase check.
const CHANGE_WORDS: [&str; 2] = [".verb", ".trend"];

/// What each compared figure is, for the finding (by the end of its path).
const NAMES: [(&str, &str); 27] = [
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
    ("totals.grand", "收入支出总计"),
    ("income.total", "本年收入合计"),
    ("spending.total", "本年支出合计"),
    ("appropriation.grand", "财政拨款收入支出总计"),
    ("general_budget.total", "一般公共预算财政拨款支出"),
    ("general_budget.budget", "一般公共预算财政拨款预算数"),
    ("basic.total", "基本支出合计"),
    ("basic.personnel", "人员经费"),
    ("basic.operating", "公用经费"),
    ("running_costs.actual", "机关运行经费"),
    ("procurement.total", "政府采购支出总额"),
    (".actual", "决算数"),
    (".budget", "预算数"),
    (".income", "收入"),
    (".amount", "金额"),
    (".share", "占比"),
];

/// The compared figure's table, for the finding (by the start of its path).
const TABLES: [(&str, &str); 12] = [
    ("doc.three_public", "财政拨款“三公”经费支出决算表"),
    ("doc.gov_fund", "政府性基金预算财政拨款收入支出决算表"),
    (
        "doc.state_capital",
        "国有资本经营预算财政拨款收入支出决算表",
    ),
    ("doc.totals", "收入支出决算总表"),
    ("doc.balances", "收入支出决算总表"),
    ("doc.income.lines", "收入决算表"),
    ("doc.spending.lines", "支出决算表"),
    ("doc.income", "收入支出决算总表"),
    ("doc.spending", "收入支出决算总表"),
    ("doc.appropriation", "财政拨款收入支出决算总表"),
    ("doc.general_budget", "一般公共预算财政拨款支出决算表"),
    ("doc.basic", "一般公共预算财政拨款基本支出决算表"),
];

fn table_of(path: &str) -> &'static str {
    TABLES
        .iter()
        .find(|(p, _)| path.starts_with(p))
        .map_or("公开表", |(_, t)| t)
}

/// Why a slot's figure is not determined by the tables read, if it is one of those.
fn not_in_tables(path: &str) -> Option<&'static str> {
    NOT_IN_TABLES
        .iter()
        .find(|(n, _)| path.contains(n))
        .map(|(_, why)| *why)
}

/// The list a slot's path loops over (`doc.gov_fund_detail.items`), if any.
fn list_of(path: &str) -> Option<&str> {
    path.find("[]").map(|i| &path[..i])
}

/// Whether a slot prints a figure (an amount, a percentage, a count, 增加/大于…), not a year,
/// a name or prose.
fn is_figure(slot: &SlotRead) -> bool {
    match slot.kind {
        SlotKind::Number => !super::sentences::is_year(&slot.path, &slot.unit),
        SlotKind::Word => {
            slot.path.ends_with(".relation") || CHANGE_WORDS.iter().any(|w| slot.path.ends_with(w))
        }
        _ => false,
    }
}

/// The figure slots of the matched sentences (position, what is printed), each once.
pub(super) fn figure_slots(sentences: &[Sentence]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = sentences
        .iter()
        .filter(|s| s.status == Status::Matched)
        .flat_map(|s| &s.slots)
        .filter(|r| is_figure(r))
        .map(|r| (r.at, format!("{}{}", r.printed, r.unit)))
        .collect();
    out.sort_by_key(|(at, _)| *at);
    out.dedup_by_key(|(at, _)| *at);
    out
}

/// Compares the figure slots of the matched sentences with the figures they print.
pub(super) fn compare(c: &mut Checker, sentences: &[Sentence], figures: &Figures, words: &Words) {
    let Ok(doc) = serde_json::to_value(&figures.doc) else {
        return;
    };
    let doc = Value::Object([("doc".to_string(), doc)].into_iter().collect());
    let mut lists = Lists::default();
    // Amounts the text printed, by figure, with the sentence: a budget no table prints, for
    // the completion and the 大于/小于 of the same or the next sentence.
    let mut printed_at: BTreeMap<String, (Printed, usize)> = BTreeMap::new();
    for (n, s) in sentences
        .iter()
        .filter(|s| s.status == Status::Matched)
        .enumerate()
    {
        lists.sentence();
        for slot in &s.slots {
            if slot.kind == SlotKind::Name {
                lists.name(&doc, slot);
                continue;
            }
            if !is_figure(slot) {
                continue;
            }
            let is_amount =
                slot.kind == SlotKind::Number && matches!(slot.unit.as_str(), "万元" | "元");
            let path = lists.resolve(&doc, &slot.path);
            if let (true, Some(path), Some(p)) = (is_amount, &path, Printed::parse(&slot.printed)) {
                let p = if slot.unit == "元" {
                    p.yuan_as_wan()
                } else {
                    p
                };
                printed_at.insert(path.clone(), (p, n));
            }
            if c.checked(slot.at) {
                continue;
            }
            if let Some(why) = not_in_tables(&slot.path) {
                c.skipped.insert(slot.at, why);
                continue;
            }
            if slot.kind == SlotKind::Number && !is_amount && slot.unit != "%" {
                c.skipped.insert(slot.at, COUNTS);
                continue;
            }
            let Some(path) = path else {
                c.skipped.insert(slot.at, UNNAMED);
                continue;
            };
            let given = match budget_of(figures, &path) {
                // A budget the tables do not give: the one the text printed, if it did.
                Some(budget) if !path.ends_with(".budget") => match printed_at.get(&budget) {
                    Some((b, at)) if at + 1 >= n => Some(*b),
                    _ => {
                        c.skipped.insert(slot.at, NO_BUDGET);
                        continue;
                    }
                },
                Some(_) => {
                    c.skipped.insert(slot.at, NO_BUDGET);
                    continue;
                }
                None => None,
            };
            match slot.kind {
                SlotKind::Number if is_amount => amount(c, &doc, figures, &path, slot),
                SlotKind::Number => percent(c, &doc, figures, &path, slot, given),
                SlotKind::Word if path.ends_with(".relation") => {
                    relation(c, &doc, figures, &path, slot, words, given)
                }
                _ => {
                    c.skipped.insert(slot.at, PRIOR);
                }
            }
        }
    }
}

/// The element of each list the text is at: named by the names (类、款、项) a sentence
/// printed, kept for the next sentences.
#[derive(Default)]
struct Lists {
    at: BTreeMap<String, usize>,
    /// Per list, the name slot last read in this sentence and the elements its names allow.
    naming: BTreeMap<String, (String, Vec<usize>)>,
    /// A list of the same shape the sentence's names are in, when the form prints two lists
    /// in the same words (`其中：{{ l.label }}{{ l.amount }}万元，占{{ l.share }}%` for the
    /// income and the spending lines) and the sentence was aligned with the other.
    alias: BTreeMap<String, String>,
}

impl Lists {
    fn sentence(&mut self) {
        self.naming.clear();
        self.alias.clear();
    }

    /// The list a path's list stands for in this sentence.
    fn list<'p>(&'p self, list: &'p str) -> &'p str {
        self.alias.get(list).map_or(list, String::as_str)
    }

    /// Another list of the context (`doc.<part>.lines` for `doc.income.lines`) holding exactly
    /// one element named as printed.
    fn twin(doc: &Value, list: &str, field: &str, printed: &str) -> Option<String> {
        let rest = list.strip_prefix("doc.")?;
        let (part, tail) = rest.split_once('.')?;
        let Some(Value::Object(parts)) = lookup(doc, "doc") else {
            return None;
        };
        let named = |l: &Value| {
            lookup(l, field).and_then(Value::as_str).map(squeeze) == Some(squeeze(printed))
        };
        let twins: Vec<String> = parts
            .keys()
            .filter(|k| *k != part)
            .map(|k| format!("doc.{k}.{tail}"))
            .filter(|l| {
                matches!(lookup(doc, l), Some(Value::Array(items))
                    if items.iter().filter(|i| named(i)).count() == 1)
            })
            .collect();
        match twins.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    /// A name printed for an element of a list: the elements it allows (with the names
    /// printed before it for the same element: 类, then 款, then 项).
    fn name(&mut self, doc: &Value, slot: &SlotRead) {
        let Some(own) = list_of(&slot.path) else {
            return;
        };
        let field = &slot.path[own.len() + 2..]
            .trim_start_matches('.')
            .to_string();
        // The first name of a sentence picks the list, if the one aligned has no such element.
        if !self.naming.contains_key(own)
            && !self.alias.contains_key(own)
            && let Some(Value::Array(items)) = lookup(doc, own)
            && !items.iter().any(|i| {
                lookup(i, field).and_then(Value::as_str).map(squeeze)
                    == Some(squeeze(&slot.printed))
            })
            && let Some(twin) = Self::twin(doc, own, field, &slot.printed)
        {
            self.alias.insert(own.to_string(), twin);
        }
        let list = self.list(own).to_string();
        let list = list.as_str();
        let Some(Value::Array(items)) = lookup(doc, list) else {
            return;
        };
        let fits = |i: &usize| {
            lookup(&items[*i], field)
                .and_then(Value::as_str)
                .map(squeeze)
                == Some(squeeze(&slot.printed))
        };
        // The same name slot again is the next element (a loop within the sentence).
        let from: Vec<usize> = match self.naming.get(list) {
            Some((last, allowed)) if *last != slot.path => allowed.clone(),
            _ => (0..items.len()).collect(),
        };
        let allowed: Vec<usize> = from.into_iter().filter(fits).collect();
        match allowed.as_slice() {
            [i] => {
                self.at.insert(list.to_string(), *i);
            }
            _ => {
                self.at.remove(list);
            }
        }
        self.naming
            .insert(list.to_string(), (slot.path.clone(), allowed));
    }

    /// The path with the element of its list (`doc.income.lines[2].share`); `None` when the
    /// text did not say which (a list of one element needs no name).
    fn resolve(&self, doc: &Value, path: &str) -> Option<String> {
        let Some(own) = list_of(path) else {
            return Some(path.to_string());
        };
        let list = self.list(own);
        let path = path.replacen(own, list, 1);
        let i = match self.at.get(list) {
            Some(i) => *i,
            None => match lookup(doc, list) {
                Some(Value::Array(items)) if items.len() == 1 => 0,
                _ => return None,
            },
        };
        let path = path.replacen("[]", &format!("[{i}]"), 1);
        (!path.contains("[]")).then_some(path)
    }
}

/// The budget a figure at `path` is or is computed from (its completion, 大于/小于), when the
/// tables read do not give it (`2010601 预算数（未填，按决算数）`): the budget's path.
fn budget_of(figures: &Figures, path: &str) -> Option<String> {
    let id = path.trim_start_matches("doc.");
    let parent = id
        .strip_suffix(".percent")
        .or_else(|| id.strip_suffix(".relation"))
        .unwrap_or(id);
    let owner = parent
        .strip_suffix(".completion")
        .or_else(|| parent.strip_suffix(".budget"))?;
    let defaulted = [format!("{owner}.completion"), format!("{owner}.budget")]
        .iter()
        .filter_map(|id| record(figures, id))
        .flat_map(|r| &r.inputs)
        .any(|i| i.label.contains("未填"));
    defaulted.then(|| format!("doc.{owner}.budget"))
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
fn name(doc: &Value, figures: &Figures, path: &str) -> String {
    let bare = path.trim_start_matches("doc.");
    let Some((_, n)) = NAMES.iter().find(|(end, _)| bare.ends_with(end)) else {
        // A figure typed in (机关运行经费): the label of the fact.
        return match record(figures, bare) {
            Some(r) if r.inputs.len() == 1 => r.inputs[0].label.clone(),
            _ => bare.to_string(),
        };
    };
    // An element of a list: its code and name (`2010601 行政运行 决算数`), or its label.
    if let Some(close) = bare.rfind(']') {
        let element = &path[..path.len() - bare.len() + close + 1];
        let text = |key: &str| {
            lookup(doc, &format!("{element}.{key}"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let code = text("code");
        let label = match text("path.item") {
            l if l.is_empty() => text("label"),
            l => l,
        };
        return [code, label, n.to_string()]
            .iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
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
fn amount(c: &mut Checker, doc: &Value, figures: &Figures, path: &str, slot: &SlotRead) {
    let Some(right) = number(doc, path) else {
        return;
    };
    let Some(mut printed) = Printed::parse(&slot.printed) else {
        return;
    };
    if slot.unit == "元" {
        printed = printed.yuan_as_wan();
    }
    if !c.tick(codes::TEXT_AMOUNT, slot.at) || printed.holds(right) {
        return;
    }
    let what = name(doc, figures, path);
    let table = table_of(path);
    if printed.within_tail(right) {
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

/// The amounts a percentage is computed from, as the tables print them (two decimals of 万元)
/// — the ledger's record of it, else (a 项's 完成预算) its 决算数 and 预算数 beside it — with
/// the formula; `given` is the budget the text printed when the tables do not give it.
fn operands(
    doc: &Value,
    figures: &Figures,
    path: &str,
    given: Option<Printed>,
) -> Option<(Printed, Printed, String)> {
    if let Some(slice) = chart_slice(doc, path) {
        return Some(slice);
    }
    let id = path.trim_start_matches("doc.");
    let id = id.strip_suffix(".percent").unwrap_or(id);
    let id = id.strip_suffix(".relation").unwrap_or(id);
    let (a, b, formula) = if let Some(r) = record(figures, id)
        && let [a, b] = r.inputs.as_slice()
    {
        let a_v = Printed::parse(&a.value)?.value;
        let b_v = Printed::parse(&b.value)?.value;
        let formula = match given {
            Some(g) => format!(
                "{}（{} {}，说明所印{} {}）",
                r.formula, a.label, a.value, b.label, g.value
            ),
            None => formula_of(r),
        };
        (a_v, b_v, formula)
    } else {
        let parent = path.rsplit_once(".completion")?.0;
        let a = number(doc, &format!("{parent}.actual"))?;
        let b = number(doc, &format!("{parent}.budget"))?;
        let formula = match given {
            Some(g) => format!("决算数 {a} ÷ 说明所印预算数 {} × 100%", g.value),
            None => format!("决算数 {a} ÷ 预算数 {b} × 100%"),
        };
        (a, b, formula)
    };
    Some((
        Printed::at(a, 2),
        given.unwrap_or(Printed::at(b, 2)),
        formula,
    ))
}

/// A pie chart's slice (`doc.charts.income.slices[0].share`): its part's amount in the lines
/// of the same name (`doc.income.lines[]`) over the sum of the parts, as the chart is drawn.
fn chart_slice(doc: &Value, path: &str) -> Option<(Printed, Printed, String)> {
    let rest = path.strip_prefix("doc.charts.")?;
    let (chart, _) = rest.split_once(".slices[")?;
    let slice_path = path.strip_suffix(".share")?;
    let label = lookup(doc, &format!("{slice_path}.label"))?.as_str()?;
    let Some(Value::Array(lines)) = lookup(doc, &format!("doc.{chart}.lines")) else {
        return None;
    };
    let amount = |l: &Value| {
        l.get("amount")
            .and_then(Value::as_str)
            .and_then(Printed::parse)
            .map(|p| p.value)
    };
    let part = lines
        .iter()
        .find(|l| l.get("label").and_then(Value::as_str) == Some(label))
        .and_then(amount)?;
    let whole: Decimal = lines.iter().filter_map(amount).sum();
    Some((
        Printed::at(part, 2),
        Printed::at(whole, 2),
        format!("{label} {part} ÷ 各部分之和 {whole} × 100%"),
    ))
}

/// A percentage (占比、完成预算): a slip only if no amounts that print as the table's give it
/// at its printed precision.
fn percent(
    c: &mut Checker,
    doc: &Value,
    figures: &Figures,
    path: &str,
    slot: &SlotRead,
    given: Option<Printed>,
) {
    let Some((a, b, formula)) = operands(doc, figures, path, given) else {
        c.skipped.insert(slot.at, NO_OPERANDS);
        return;
    };
    let Some(printed) = Printed::parse(&slot.printed) else {
        return;
    };
    if !c.tick(codes::TEXT_PERCENT, slot.at) || ratio_fits(a, b, printed) {
        return;
    }
    let decimals = printed.value.scale();
    let right = percent_text(a.value, b.value, decimals);
    c.finding(
        codes::TEXT_PERCENT,
        slot.at,
        format!("{}%", slot.printed),
        right.as_ref().map(|r| format!("{r}%")),
        format!(
            "{} = {}%（{}、{} 万元；按所印金额的位数，任何能印成这两个数的金额都得不出所印的 {}%）",
            formula,
            right.unwrap_or_default(),
            a.value,
            b.value,
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
    given: Option<Printed>,
) {
    let Some((pa, pb, _)) = operands(doc, figures, path, given) else {
        c.skipped.insert(slot.at, NO_OPERANDS);
        return;
    };
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
    if !c.tick(codes::TEXT_WORDS, slot.at) || allowed {
        return;
    }
    let (a, b) = (pa.value, pb.value);
    let right = match a.cmp(&b) {
        std::cmp::Ordering::Greater => &words.greater,
        std::cmp::Ordering::Less => &words.less,
        std::cmp::Ordering::Equal => &words.equal,
    };
    let what = name(
        doc,
        figures,
        &path.replace(".completion.relation", ".actual"),
    );
    // As the forms print it: 决算数大于预算数, 决算数与预算数持平.
    let phrase = |w: &str| {
        if squeeze(w) == squeeze(&words.equal) {
            format!("决算数与预算数{w}")
        } else {
            format!("决算数{w}预算数")
        }
    };
    c.finding(
        codes::TEXT_WORDS,
        slot.at,
        phrase(&slot.printed),
        Some(phrase(right)),
        format!(
            "{}：决算数 {a} 万元、预算数 {b} 万元，应为“{right}”",
            what.trim_end_matches("决算数")
        ),
    );
}
