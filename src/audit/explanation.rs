//! 说明文字的核对：在表外的文字（[`super::text`]）中按表式句子里的固定说法（“占…%”“增加…万元，增长…%”“预算为…万元，
//! 支出决算为…万元，完成…的…%”“决算数小于预算数”“人员经费…万元，主要包括：…”，以及表中各项的名称）找出每个数，与由公开表算出的数核对；
//! 对上表式的句子，其空位由 [`super::slots`] 逐一比较。
//!
//! Every check is anchored on a phrase the forms' sentences use, never on a free pattern over the
//! whole text: a number is read only as the slot of such a phrase (an amount in 万元 after a label
//! the figures of the audited tables name, the percentage after 占, the change after 增加/减少…).
//! A printed number stands for every value that rounds to it: a percentage is a slip only if no
//! amounts that print as the printed ones give it at its printed precision, an amount only if it
//! does not round to the table's figure (a difference within the 尾差 of the tables is a note).

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::checker::{Checker, Read};
use super::printed::{Printed, percent_text, ratio_fits};
use super::text::{Text, Unit};
use crate::catalog::Group;
use crate::diagnostic::codes;
use crate::figures::Document as Figures;
use crate::model::Bureau;

/// A figure of the audited tables the 说明 may cite by one of its labels.
struct Known {
    labels: Vec<String>,
    value: Decimal,
    what: String,
}

/// A right value: `part / whole × 100` 四舍五入 in decimal (the one arithmetic); `-` for a
/// whole of 0.
fn right_percent(part: Decimal, whole: Decimal, decimals: u32) -> String {
    percent_text(part, whole, decimals).unwrap_or_else(|| "-".to_string())
}

fn parse(s: &str) -> Option<Decimal> {
    Printed::parse(s).map(|p| p.value)
}

/// The figures of the audited tables the 说明 cites by name, each with the labels the forms use.
fn known(doc: &Figures) -> Vec<Known> {
    let mut k = Vec::new();
    let mut add = |labels: &[&str], value: &str, what: &str| {
        if let Some(v) = parse(value) {
            k.push(Known {
                labels: labels.iter().map(|s| s.to_string()).collect(),
                value: v,
                what: what.to_string(),
            });
        }
    };
    add(
        &["收入支出总计", "收、支总计"],
        &doc.totals.grand,
        "收入支出决算总表 总计",
    );
    add(
        &["财政拨款收入支出总计", "财政拨款收、支总计"],
        &doc.appropriation.grand,
        "财政拨款收入支出决算总表 总计",
    );
    add(
        &["本年收入合计"],
        &doc.income.total,
        "收入支出决算总表 本年收入合计",
    );
    add(
        &["本年支出合计"],
        &doc.spending.total,
        "收入支出决算总表 本年支出合计",
    );
    for l in &doc.income.lines {
        add(
            &[l.label.as_str()],
            &l.amount,
            &format!("收入决算表 {}", l.label),
        );
    }
    for l in &doc.spending.lines {
        add(
            &[l.label.as_str()],
            &l.amount,
            &format!("支出决算表 {}", l.label),
        );
    }
    let gb = &doc.general_budget;
    add(
        &["一般公共预算财政拨款支出"],
        &gb.total,
        "一般公共预算财政拨款支出决算表 合计",
    );
    for c in &gb.classes {
        let with = format!("{}（类）", c.label);
        add(
            &[c.label.as_str(), with.as_str()],
            &c.amount,
            &format!("一般公共预算财政拨款支出决算表 {}", c.label),
        );
    }
    add(
        &["一般公共预算财政拨款基本支出"],
        &doc.basic.total,
        "一般公共预算财政拨款基本支出决算表 合计",
    );
    add(
        &["人员经费"],
        &doc.basic.personnel,
        "一般公共预算财政拨款基本支出决算表 人员经费合计",
    );
    add(
        &["公用经费"],
        &doc.basic.operating,
        "一般公共预算财政拨款基本支出决算表 公用经费合计",
    );
    k
}

/// Chars allowed between a label and its amount (`收、支总计均为305.97万元`, `一般公共服务支出（类）2106.66万元`).
const FILLER: &str = "决算数为均是：:";

impl Checker<'_> {
    /// Amounts cited after a label of the tables' figures.
    fn amounts(&mut self, known: &[Known]) {
        let t = self.text;
        // Every label occurrence; one inside a longer one (收入支出总计 in 财政拨款收入支出总计) is not its own.
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for (k, known) in known.iter().enumerate() {
            for label in &known.labels {
                let l: Vec<char> = label.chars().collect();
                if l.is_empty() {
                    continue;
                }
                for i in 0..t.chars.len().saturating_sub(l.len() - 1) {
                    if t.chars[i..i + l.len()] == l[..] {
                        hits.push((i, i + l.len(), k));
                    }
                }
            }
        }
        let inner = |a: &(usize, usize, usize)| {
            hits.iter()
                .any(|b| b.0 <= a.0 && b.1 >= a.1 && (b.1 - b.0) > (a.1 - a.0))
        };
        // A label starts a phrase: after punctuation, 年/年度, or a heading.
        let starts_phrase = |at: usize| {
            at == 0 || t.breaks.contains(&at) || "，。；：:;,、“”度年）".contains(t.chars[at - 1])
        };
        let hits: Vec<(usize, usize, usize)> = hits
            .iter()
            .filter(|h| !inner(h) && starts_phrase(h.0))
            .copied()
            .collect();
        for (start, end, k) in hits {
            let mut i = end;
            while i < t.chars.len() && i < end + 6 && FILLER.contains(t.chars[i]) {
                i += 1;
            }
            if t.chars.get(i) == Some(&'（') && t.at(i, "（类）") {
                i += 3;
            }
            let Some(n) = t.num_at(i).filter(|n| n.unit != Unit::Percent).cloned() else {
                continue;
            };
            let known = &known[k];
            self.cited.push((t.slice(start, end), n.wan()));
            for label in &known.labels {
                self.cited.push((label.clone(), n.wan()));
            }
            if !self.tick(codes::TEXT_AMOUNT, n.start) || n.wan().holds(known.value) {
                continue;
            }
            if n.wan().within_tail(known.value) {
                self.tail(format!(
                    "{} 所印 {} 与{} {:.2} 万元相差在尾差之内",
                    self.where_(n.start),
                    n.shown(),
                    known.what,
                    known.value
                ));
                continue;
            }
            let mut formula = format!(
                "说明所印“{}”{} ≠ {} {:.2} 万元",
                t.slice(start, end),
                n.shown(),
                known.what,
                known.value
            );
            // A 持平 said of this figure, before the next heading, compares a wrong number.
            let next = t.breaks.iter().find(|b| **b > n.after).copied();
            let rest = t.slice(n.after, next.unwrap_or(t.chars.len()));
            if let Some(f) = rest.find("持平") {
                let at = n.after + rest[..f].chars().count();
                let _ = write!(
                    formula,
                    "；{}所说的“持平”因此无法核对（所印本年数有误，上年数不在公开表中）",
                    self.where_(at)
                );
            }
            self.flag(n.start);
            self.finding(
                codes::TEXT_AMOUNT,
                n.start,
                n.shown(),
                Some(format!("{:.2}万元", known.value)),
                formula,
            );
        }
    }

    /// 占X% (of the sentence's first amount, or of the total named: 占本年支出合计的X%).
    fn shares(&mut self) {
        let t = self.text;
        for (ni, p) in t.nums.iter().enumerate() {
            if p.unit != Unit::Percent {
                continue;
            }
            // 占 right before the percentage, or 占<label>的 (a label without digits).
            let Some(zhan) = (p.start.saturating_sub(16)..p.start)
                .rev()
                .find(|&i| t.chars[i] == '占')
            else {
                continue;
            };
            let between = t.slice(zhan + 1, p.start);
            if between
                .chars()
                .any(|c| c.is_ascii_digit() || "，,。；".contains(c))
            {
                continue;
            }
            // The amount the share is of: right before 占 (`…万元，占`).
            let lead = if zhan >= 1 && t.chars[zhan - 1] == '，' {
                zhan - 1
            } else {
                zhan
            };
            let Some(a) = t.nums[..ni]
                .iter()
                .rev()
                .find(|n| n.after == lead && n.unit != Unit::Percent)
                .cloned()
            else {
                continue;
            };
            // Read by its slot already.
            if self.checked(p.start) {
                continue;
            }
            // Nothing is 0 % of anything.
            if a.printed.value.is_zero() && p.printed.value.is_zero() {
                self.tick(codes::TEXT_PERCENT, p.start);
                continue;
            }
            let base = if let Some(label) = between.strip_suffix('的').filter(|l| !l.is_empty()) {
                match self.cited.iter().rev().find(|(l, _)| l == label) {
                    Some((_, v)) => Some((*v, label.to_string())),
                    None => {
                        self.out.not_checked.push(format!(
                            "{} 占{}的{}：没有读到{}的数",
                            self.where_(p.start),
                            label,
                            p.shown(),
                            label
                        ));
                        continue;
                    }
                }
            } else {
                let s = t.sentence_start(a.start);
                t.nums
                    .iter()
                    .find(|n| n.start >= s && n.unit != Unit::Percent)
                    .filter(|n| n.start < a.start)
                    .map(|n| (n.wan(), format!("所在句的总数 {}", n.shown())))
            };
            let Some((b, base_name)) = base else {
                continue;
            };
            let base_flagged = t
                .nums
                .iter()
                .any(|n| self.flagged.contains(&n.start) && n.wan() == b && n.start < a.start);
            if self.flagged.contains(&a.start) || base_flagged {
                self.out.not_checked.push(format!(
                    "{} 占{}：所用的金额已报差错，占比无法核对",
                    self.where_(p.start),
                    p.shown()
                ));
                continue;
            }
            self.tick(codes::TEXT_PERCENT, p.start);
            if !ratio_fits(a.wan(), b, p.printed) {
                let right = right_percent(a.wan().value, b.value, p.decimals());
                self.finding(
                    codes::TEXT_PERCENT,
                    p.start,
                    p.shown(),
                    Some(format!("{right}%")),
                    format!(
                        "占比 = {} ÷ {} × 100% = {right}%（按所印金额的位数，任何能印成这两个数的金额都得不出所印的 {}）",
                        a.shown(),
                        base_name,
                        p.shown()
                    ),
                );
            }
        }
    }

    /// 增加（减少）D万元，增长（下降）P%: the rate against the prior implied by the amount before,
    /// and the words agreeing.
    fn changes(&mut self) {
        let t = self.text;
        let mut change_amounts = Vec::new();
        for (ni, d) in t.nums.iter().enumerate() {
            if d.unit == Unit::Percent || d.start < 2 {
                continue;
            }
            let verb = t.slice(d.start - 2, d.start);
            let up = match verb.as_str() {
                "增加" => true,
                "减少" => false,
                _ => continue,
            };
            change_amounts.push(d.start);
            let Some(p) = t.nums.get(ni + 1).filter(|p| {
                p.unit == Unit::Percent
                    && p.start == d.after + 3
                    && matches!(t.slice(d.after, d.after + 1).as_str(), "，" | ",")
            }) else {
                continue;
            };
            let trend = t.slice(d.after + 1, d.after + 3);
            let rises = match trend.as_str() {
                "增长" => true,
                "下降" => false,
                _ => continue,
            };
            if !self.tick(codes::TEXT_PERCENT, p.start) {
                continue;
            }
            self.tick(codes::TEXT_WORDS, d.start - 2);
            self.checked_with(d.after + 1);
            if rises != up {
                self.finding(
                    codes::TEXT_WORDS,
                    d.start - 2,
                    format!("{verb}…{trend}"),
                    Some(
                        if up {
                            "增加…增长"
                        } else {
                            "减少…下降"
                        }
                        .to_string(),
                    ),
                    format!("“{verb}{}”与“{trend}{}”方向相反", d.shown(), p.shown()),
                );
                continue;
            }
            // The current figure: the nearest amount before, in the same chapter, not a change.
            let from = t.chapter_start(d.start);
            let Some(c) = t.nums[..ni]
                .iter()
                .rev()
                .take_while(|n| n.start >= from)
                .find(|n| n.unit != Unit::Percent && !change_amounts.contains(&n.start))
                .cloned()
            else {
                continue;
            };
            if self.flagged.contains(&c.start) {
                self.out.not_checked.push(format!(
                    "{} {}：本年数 {} 已报差错，增减率无法核对",
                    self.where_(p.start),
                    p.shown(),
                    c.shown()
                ));
                continue;
            }
            let (cw, dw) = (c.wan(), d.wan());
            // prior = current ∓ change, each within its printed half unit.
            let (lo, hi) = if up {
                (cw.lo() - dw.hi(), cw.hi() - dw.lo())
            } else {
                (cw.lo() + dw.lo(), cw.hi() + dw.hi())
            };
            if lo <= Decimal::ZERO {
                continue;
            }
            let hundred = Decimal::ONE_HUNDRED;
            let (rmin, rmax) = (
                dw.lo().max(Decimal::ZERO) * hundred / hi,
                dw.hi() * hundred / lo,
            );
            if rmax < p.printed.lo() || rmin > p.printed.hi() {
                let prior = if up {
                    cw.value - dw.value
                } else {
                    cw.value + dw.value
                };
                let right = right_percent(dw.value, prior, p.decimals());
                self.finding(
                    codes::TEXT_PERCENT,
                    p.start,
                    p.shown(),
                    Some(format!("{right}%")),
                    format!(
                        "增减率 = {} ÷ 上年 {prior:.2}万元（{} {} {}）× 100% = {right}%",
                        d.shown(),
                        c.shown(),
                        if up { "−" } else { "+" },
                        d.shown()
                    ),
                );
            }
        }
        // 与上年相比…持平: the prior year is in no 公开表.
        let mut flat = Vec::new();
        for i in 0..t.chars.len() {
            if t.at(i, "持平") {
                let s = t.sentence_start(i);
                let sentence = t.slice(s, i);
                if (sentence.contains("相比") || sentence.contains("比") || sentence.contains("与"))
                    && sentence.contains("年")
                    && !sentence.contains("预算数")
                {
                    flat.push(self.where_(i));
                }
            }
        }
        if !flat.is_empty() {
            self.out.not_checked.push(format!(
                "与上年比较的“持平” {} 处（上年数不在公开表中）：{}",
                flat.len(),
                flat.join("、")
            ));
        }
    }

    /// 预算为B万元，支出决算为A万元[，完成…预算的P%]。决算数大于（小于）预算数 / 与预算数持平.
    fn completions(&mut self) {
        let t = self.text;
        for (ni, b) in t.nums.iter().enumerate() {
            if b.unit == Unit::Percent || b.start < 3 || t.slice(b.start - 3, b.start) != "预算为"
            {
                continue;
            }
            let Some(a) = t.nums.get(ni + 1).filter(|a| a.unit != Unit::Percent) else {
                continue;
            };
            let mid = t.slice(b.after, a.start);
            if !matches!(
                mid.as_str(),
                "，支出决算为" | "，决算为" | "，支出决算数为" | "，决算数为"
            ) {
                continue;
            }
            let (aw, bw) = (a.wan(), b.wan());
            let mut end = a.after;
            if let Some(p) = t.nums.get(ni + 2).filter(|p| p.unit == Unit::Percent) {
                let lead = t.slice(a.after, p.start);
                if lead.starts_with("，完成") && lead.len() <= 12 && !lead.contains('。') {
                    end = p.after;
                    if self.tick(codes::TEXT_PERCENT, p.start) && !ratio_fits(aw, bw, p.printed) {
                        let right = right_percent(aw.value, bw.value, p.decimals());
                        self.finding(
                            codes::TEXT_PERCENT,
                            p.start,
                            p.shown(),
                            Some(format!("{right}%")),
                            format!(
                                "完成率 = 决算 {} ÷ 预算 {} × 100% = {right}%",
                                a.shown(),
                                b.shown()
                            ),
                        );
                    }
                }
            }
            // The relation, in the next sentence or clause.
            let rest = t.slice(end, end + 12);
            // The word's position: where its slot (大于、小于、持平) is.
            let char_at = |s: &str, sub: &str| s.find(sub).map(|b| s[..b].chars().count());
            let (word, at) = if let Some(i) = char_at(&rest, "决算数大于预算数") {
                ("大于", end + i + 3)
            } else if let Some(i) = char_at(&rest, "决算数小于预算数") {
                ("小于", end + i + 3)
            } else if rest.contains("决算数与预算数") {
                let tail = t.slice(end, end + 20);
                match ["持平", "相等", "一致"]
                    .iter()
                    .find_map(|w| char_at(&tail, w))
                {
                    Some(i) => ("持平", end + i),
                    None => continue,
                }
            } else {
                continue;
            };
            if !self.tick(codes::TEXT_WORDS, at) {
                continue;
            }
            let wrong = match word {
                "大于" => aw.hi() <= bw.lo(),
                "小于" => aw.lo() >= bw.hi(),
                _ => !aw.meets(bw),
            };
            if wrong {
                let right = if aw.meets(bw) {
                    "持平"
                } else if aw.value > bw.value {
                    "大于"
                } else {
                    "小于"
                };
                self.finding(
                    codes::TEXT_WORDS,
                    end,
                    format!("决算数{word}预算数"),
                    Some(format!("决算数{right}预算数")),
                    format!("决算 {} 与预算 {} 相比是“{right}”", a.shown(), b.shown()),
                );
            }
        }
    }

    /// 人员经费…万元，主要包括：A、B、C；公用经费…: each name is a 经济分类 款 the table prints with
    /// a 基本支出 in that group.
    fn names(&mut self, bureau: &Bureau) {
        let t = self.text;
        let economic = &bureau.appropriation.general_budget.economic;
        for (label, group) in [
            ("人员经费", Group::Personnel),
            ("公用经费", Group::Operating),
        ] {
            let in_table: Vec<&crate::model::EconomicItem> = economic
                .iter()
                .filter(|e| e.group == group && !e.basic.value.is_zero())
                .collect();
            if in_table.is_empty() {
                continue;
            }
            for n in t.nums.iter().filter(|n| n.unit != Unit::Percent) {
                if n.start < 4 || t.slice(n.start - 4, n.start) != label {
                    continue;
                }
                let lead = "，主要包括：";
                if !t.at(n.after, lead) {
                    continue;
                }
                let from = n.after + lead.chars().count();
                let end = (from..t.chars.len())
                    .find(|&i| matches!(t.chars[i], '；' | '。' | ';'))
                    .unwrap_or(t.chars.len());
                let list = t.slice(from, end);
                let list = list.strip_suffix('等').unwrap_or(&list);
                let printed: Vec<&str> = list.split('、').filter(|s| !s.is_empty()).collect();
                if !self.tick(codes::TEXT_NAME, from) {
                    continue;
                }
                let unlisted: Vec<String> = in_table
                    .iter()
                    .filter(|e| !printed.contains(&e.name.as_str()))
                    .map(|e| format!("{} {}", spaced_code(&e.code.value), e.name))
                    .collect();
                let mut at = from;
                for name in printed {
                    let len = name.chars().count();
                    if !in_table.iter().any(|e| e.name == name) {
                        let mut formula = format!(
                            "一般公共预算财政拨款基本支出决算表中{label}下没有“{name}”（有基本支出的款：{}）",
                            in_table
                                .iter()
                                .map(|e| format!("{} {}", spaced_code(&e.code.value), e.name))
                                .collect::<Vec<_>>()
                                .join("、")
                        );
                        if !unlisted.is_empty() {
                            let _ = write!(formula, "；表中有而说明未列：{}", unlisted.join("、"));
                        }
                        self.finding(
                            codes::TEXT_NAME,
                            at,
                            name.to_string(),
                            (!unlisted.is_empty()).then(|| unlisted.join("、")),
                            formula,
                        );
                    }
                    at += len + 1;
                }
            }
        }
    }
}

/// `30309` → `303 09`.
fn spaced_code(code: &str) -> String {
    if code.len() == 5 && code.is_ascii() {
        format!("{} {}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

/// Checks the 说明 (the text outside the tables, [`super::text::read_text`]) against the figures of the tables:
/// by the forms' phrases, and the slots of the `sentences` aligned with the form's sentences
/// (the parts the phrases do not reach, [`super::slots`]).
pub(super) fn check(
    text: &Text,
    bureau: &Bureau,
    all: &crate::figures::Figures,
    sentences: Option<&[super::sentences::Sentence]>,
) -> Read {
    let figures = &all.doc;
    let mut c = Checker::new(text);
    let known = known(figures);
    let words = &bureau.identity.form.words;
    c.amounts(&known);
    // The slots next, each compared with the tables' figure: the phrase checks then read only
    // what no slot did (and a share or change of an amount already reported is not reported
    // again).
    if let Some(sentences) = sentences {
        super::slots::compare(&mut c, sentences, all, words);
    }
    c.shares();
    c.changes();
    c.completions();
    c.names(bureau);
    // Items: 类（类）款（款）项（项）…支出决算为A万元.
    for item in &figures.general_budget.items {
        let Some(actual) = parse(&item.actual) else {
            continue;
        };
        for class in [&item.path.class_full, &item.path.class] {
            let anchor: Vec<char> = format!(
                "{class}（类）{}（款）{}（项）",
                item.path.section, item.path.item
            )
            .chars()
            .collect();
            let Some(at) = (0..text.chars.len().saturating_sub(anchor.len()))
                .find(|&i| text.chars[i..i + anchor.len()] == anchor[..])
            else {
                continue;
            };
            let from = at + anchor.len();
            let stop = (from..text.chars.len())
                .find(|&i| text.at(i, "（项）"))
                .unwrap_or(text.chars.len());
            let Some(n) = text.nums.iter().find(|n| {
                n.start > from
                    && n.start < stop
                    && n.unit != Unit::Percent
                    && n.start >= 3
                    && text.slice(n.start - 3, n.start) == "决算为"
            }) else {
                break;
            };
            if c.tick(codes::TEXT_AMOUNT, n.start) && !n.wan().holds(actual) {
                let n = n.clone();
                c.finding(
                    codes::TEXT_AMOUNT,
                    n.start,
                    n.shown(),
                    Some(format!("{actual:.2}万元")),
                    format!(
                        "一般公共预算财政拨款支出决算表 {} {} 决算数 {actual:.2} 万元",
                        item.code, item.path.item
                    ),
                );
            }
            break;
        }
    }
    if let Some(sentences) = sentences {
        c.account(&super::slots::figure_slots(sentences));
    }
    c.out
        .findings
        .sort_by_key(|f| (f.place.page, line_number(&f.place.row)));
    c.out
}

fn line_number(row: &str) -> usize {
    row.chars()
        .filter(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::right_percent;

    #[test]
    fn right_values_round_half_up_in_decimal() {
        // 1432.9 / 2000 = 71.645 %: 四舍五入 gives 71.65 (a binary float's 71.645 is 71.64499…).
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(format!("{:.2}", 71.645_f64), "71.64");
        assert_eq!(right_percent(d("1432.9"), d("2000"), 2), "71.65");
        assert_eq!(right_percent(d("5"), d("100"), 2), "5.00");
        assert_eq!(right_percent(d("1"), d("2000"), 1), "0.1");
        assert_eq!(right_percent(d("1"), d("0"), 1), "-");
    }
}
