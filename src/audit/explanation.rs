//! 说明文字：读出表外的文字，按表式句子里的固定说法（“占…%”“增加…万元，增长…%”“预算为…万元，支出决算为…万元，
//! 完成…的…%”“决算数小于预算数”“人员经费…万元，主要包括：…”，以及表中各项的名称）找出每个数，与由公开表算出的数核对。
//!
//! Every check is anchored on a phrase the forms' sentences use, never on a free pattern over the
//! whole text: a number is read only as the slot of such a phrase (an amount in 万元 after a label
//! the figures of the audited tables name, the percentage after 占, the change after 增加/减少…).
//! A printed number stands for every value that rounds to it: a percentage is a slip only if no
//! amounts that print as the printed ones give it at its printed precision, an amount only if it
//! does not round to the table's figure (a difference within the 尾差 of the tables is a note).

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::layout;
use super::pdf::Document;
use super::printed::{Printed, percent_text, ratio_fits};
use super::report::{Finding, Place};
use super::tables;
use crate::catalog::Group;
use crate::diagnostic::{Severity, codes};
use crate::figures::Document as Figures;
use crate::model::Bureau;

/// What reading the 说明 found.
#[derive(Debug, Default)]
pub struct Read {
    pub findings: Vec<Finding>,
    /// Amounts within the 尾差 of the tables' figure (one note for the 说明).
    pub tails: Vec<String>,
    /// Statements read and checked (each slot compared once).
    pub checked: usize,
    /// The same, by the rule that checked them.
    pub checked_by: std::collections::BTreeMap<&'static str, usize>,
    /// What was read but could not be checked, and why.
    pub not_checked: Vec<String>,
    /// The figure slots of the matched sentences (amounts, percentages, counts, the words
    /// 增加/减少、大于/小于): compared with the tables' figure, and not (their reason listed in
    /// `not_checked`).
    pub slots_compared: usize,
    pub slots_not_checked: usize,
    /// Every sentence aligned with the form's sentences (`None` when the form has no body
    /// template to compile them from).
    pub sentences: Option<Vec<super::sentences::Sentence>>,
}

/// One line of text outside the tables.
pub(super) struct TextLine {
    pub(super) page: usize,
    /// 1-based among the page's lines outside its tables, top to bottom.
    pub(super) line: usize,
    /// The chapter (`四、财政拨款收入支出决算总体情况说明`) the line is in.
    pub(super) chapter: String,
    /// Its characters, whitespace removed.
    pub(super) text: String,
    /// Whether it ends well before the right edge of the page's text (a heading, a paragraph's
    /// last line) rather than running on.
    pub(super) short: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Unit {
    TenThousand,
    Yuan,
    Percent,
}

/// A number printed in the text, with its unit.
#[derive(Clone, Debug)]
struct Num {
    /// Char positions of the first digit and after the unit.
    start: usize,
    after: usize,
    /// The number in its own unit, with its half unit.
    printed: Printed,
    unit: Unit,
    text: String,
}

impl Num {
    /// The amount in 万元, with its half unit (an amount in 元 is divided).
    fn wan(&self) -> Printed {
        match self.unit {
            Unit::Yuan => self.printed.yuan_as_wan(),
            _ => self.printed,
        }
    }

    fn decimals(&self) -> u32 {
        self.printed.value.scale()
    }

    fn shown(&self) -> String {
        match self.unit {
            Unit::TenThousand => format!("{}万元", self.text),
            Unit::Yuan => format!("{}元", self.text),
            Unit::Percent => format!("{}%", self.text),
        }
    }
}

/// A figure of the audited tables the 说明 may cite by one of its labels.
struct Known {
    labels: Vec<String>,
    value: Decimal,
    what: String,
}

/// The text outside the tables, whitespace removed, with the line of each char.
pub(super) struct Text {
    pub(super) chars: Vec<char>,
    pub(super) line_of: Vec<usize>,
    pub(super) lines: Vec<TextLine>,
    /// Char positions where a heading line starts (sentences never run across one).
    breaks: Vec<usize>,
    nums: Vec<Num>,
}

pub(super) fn is_heading(t: &str) -> bool {
    let t = t.trim_start();
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let mut cs = t.chars();
    match cs.next() {
        Some('（') | Some('(') => {
            let rest: String = cs.collect();
            let n = rest.chars().take_while(|c| numeral(*c)).count();
            n > 0 && matches!(rest.chars().nth(n), Some('）') | Some(')'))
        }
        Some(c) if numeral(c) => {
            let n = t.chars().take_while(|c| numeral(*c)).count();
            t.chars().nth(n) == Some('、')
        }
        Some('第') => t.contains("部分"),
        _ => false,
    }
}

fn is_chapter(t: &str) -> bool {
    let t = t.trim_start();
    t.chars()
        .next()
        .is_some_and(|c| "一二三四五六七八九十".contains(c))
        && is_heading(t)
}

/// A page number or running footer: no text to read.
fn is_page_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "-—–第页/共".contains(c))
}

pub(super) fn read_text(doc: &Document) -> Text {
    let mut text = Text {
        chars: Vec::new(),
        line_of: Vec::new(),
        lines: Vec::new(),
        breaks: Vec::new(),
        nums: Vec::new(),
    };
    let mut chapter = String::new();
    for page in &doc.pages {
        let found = tables::find_tables(page);
        let free = tables::free_glyphs(page, &found);
        let lines = layout::lines(&page.glyphs, free);
        let right = lines
            .iter()
            .filter(|l| !is_page_number(&l.text))
            .map(|l| l.x1)
            .fold(f64::MIN, f64::max);
        for (n, l) in lines.iter().enumerate() {
            if is_page_number(&l.text) {
                continue;
            }
            let trimmed = l.text.trim();
            if is_heading(trimmed) {
                text.breaks.push(text.chars.len());
                if is_chapter(trimmed) {
                    chapter = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
                }
            }
            if trimmed.starts_with("第") && trimmed.contains("部分") {
                chapter.clear();
            }
            let idx = text.lines.len();
            text.lines.push(TextLine {
                page: page.number,
                line: n + 1,
                chapter: chapter.clone(),
                text: l
                    .text
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| if c == '％' { '%' } else { c })
                    .collect(),
                short: l.x1 < right - 2.0 * l.size,
            });
            for c in l.text.chars().filter(|c| !c.is_whitespace()) {
                let c = if c == '％' { '%' } else { c };
                text.chars.push(c);
                text.line_of.push(idx);
            }
            if is_heading(trimmed) {
                text.breaks.push(text.chars.len());
            }
        }
    }
    text.nums = numbers(&text.chars);
    text
}

/// Every number followed by 万元, 元 or %.
fn numbers(chars: &[char]) -> Vec<Num> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let prev_digit = i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == '.');
        if !chars[i].is_ascii_digit() || prev_digit {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                digits.push(c);
                i += 1;
            } else if c == ','
                && i + 3 < chars.len() + 1
                && chars[i + 1..]
                    .iter()
                    .take(3)
                    .filter(|c| c.is_ascii_digit())
                    .count()
                    == 3
                && !chars.get(i + 4).is_some_and(|c| c.is_ascii_digit())
            {
                i += 1;
            } else {
                break;
            }
        }
        if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            digits.push('.');
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                digits.push(chars[i]);
                i += 1;
            }
        }
        let end = i;
        let unit = if chars.get(i) == Some(&'万') && chars.get(i + 1) == Some(&'元') {
            Some((Unit::TenThousand, 2))
        } else if chars.get(i) == Some(&'元') {
            Some((Unit::Yuan, 1))
        } else if chars.get(i) == Some(&'%') || chars.get(i) == Some(&'％') {
            Some((Unit::Percent, 1))
        } else {
            None
        };
        if let (Some((unit, len)), Some(printed)) = (unit, Printed::parse(&digits)) {
            out.push(Num {
                start,
                after: end + len,
                printed,
                unit,
                text: chars[start..end].iter().collect(),
            });
        }
    }
    out
}

impl Text {
    fn at(&self, pos: usize, s: &str) -> bool {
        (pos..)
            .zip(s.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }

    fn slice(&self, from: usize, to: usize) -> String {
        self.chars[from.min(self.chars.len())..to.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// The start of the sentence holding `pos`: after the last 。 or heading before it.
    fn sentence_start(&self, pos: usize) -> usize {
        let stop = self.chars[..pos]
            .iter()
            .rposition(|c| *c == '。')
            .map_or(0, |p| p + 1);
        let heading = self
            .breaks
            .iter()
            .rev()
            .find(|b| **b <= pos)
            .copied()
            .unwrap_or(0);
        stop.max(heading)
    }

    fn chapter_start(&self, pos: usize) -> usize {
        self.breaks
            .iter()
            .rev()
            .find(|b| **b <= pos)
            .copied()
            .unwrap_or(0)
    }

    fn place(&self, pos: usize) -> Place {
        let line = self
            .line_of
            .get(pos.min(self.line_of.len().saturating_sub(1)))
            .and_then(|i| self.lines.get(*i));
        match line {
            Some(l) => Place {
                page: Some(l.page),
                table: if l.chapter.is_empty() {
                    "说明".to_string()
                } else {
                    format!("说明 {}", l.chapter)
                },
                row: format!("第 {} 行", l.line),
                column: String::new(),
                printed: None,
            },
            None => Place::default(),
        }
    }

    /// The sentence around `pos`, shortened, for the report.
    fn excerpt(&self, from: usize, to: usize) -> String {
        let s = self.sentence_start(from);
        let e = self.chars[to.min(self.chars.len())..]
            .iter()
            .position(|c| matches!(c, '。' | '；'))
            .map_or(self.chars.len(), |p| to + p + 1);
        let from = s.max(from.saturating_sub(40));
        let text = self.slice(from, e.min(to + 30));
        format!("“{text}”")
    }

    /// The number starting right at `pos`.
    fn num_at(&self, pos: usize) -> Option<&Num> {
        self.nums.iter().find(|n| n.start == pos)
    }
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

pub(super) struct Checker<'a> {
    text: &'a Text,
    out: Read,
    /// Amounts a share may take as its base by name (`占本年支出合计的`): the value last cited in
    /// the text under the label, else the tables'.
    cited: Vec<(String, Printed)>,
    /// Amounts already reported as misprinted: a share or change computed from one would only
    /// echo that finding.
    flagged: Vec<usize>,
    /// Where findings are: a number is reported once, by the first check that finds it.
    found_at: Vec<usize>,
    /// Where numbers and words were checked: each is checked once, by the first check that
    /// reads it (a phrase check or its slot).
    checked_at: std::collections::BTreeSet<usize>,
    /// Why a slot was not compared, by its position.
    pub(super) skipped: std::collections::BTreeMap<usize, &'static str>,
}

impl Checker<'_> {
    /// The statement at `pos` checked by the rule `code`; `false` (and not counted) when
    /// another check already read it.
    pub(super) fn tick(&mut self, code: crate::diagnostic::Code, pos: usize) -> bool {
        if !self.checked_at.insert(pos) {
            return false;
        }
        self.out.checked += 1;
        *self.out.checked_by.entry(code.as_str()).or_default() += 1;
        true
    }

    /// Whether the number or word at `pos` was checked already.
    pub(super) fn checked(&self, pos: usize) -> bool {
        self.checked_at.contains(&pos)
    }

    /// A word read with the statement at another position (增长 with its 增加): checked with it.
    fn checked_with(&mut self, pos: usize) {
        self.checked_at.insert(pos);
    }

    /// Counts the figure slots compared and not; those not, grouped by reason, as lines of
    /// `not_checked`.
    pub(super) fn account(&mut self, slots: &[(usize, String)]) {
        let mut by_reason: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (at, printed) in slots {
            if self.checked_at.contains(at) {
                self.out.slots_compared += 1;
                continue;
            }
            self.out.slots_not_checked += 1;
            let why = self
                .skipped
                .get(at)
                .copied()
                .unwrap_or(super::slots::NOT_DETERMINED);
            by_reason
                .entry(why)
                .or_default()
                .push(format!("{} {printed}", self.where_(*at)));
        }
        for (why, places) in by_reason {
            let shown: Vec<&str> = places.iter().take(6).map(String::as_str).collect();
            let more = if places.len() > shown.len() {
                "等"
            } else {
                ""
            };
            self.out.not_checked.push(format!(
                "说明中的空位 {} 个未比较（{why}）：{}{more}",
                places.len(),
                shown.join("、")
            ));
        }
    }

    /// An amount within the 尾差 of the tables' figure (one note for the 说明).
    pub(super) fn tail(&mut self, note: String) {
        self.out.tails.push(note);
    }

    /// The amount at `pos` reported as misprinted: what is computed from it is not checked.
    pub(super) fn flag(&mut self, pos: usize) {
        self.flagged.push(pos);
    }

    pub(super) fn finding(
        &mut self,
        code: crate::diagnostic::Code,
        pos: usize,
        printed: String,
        right: Option<String>,
        formula: String,
    ) {
        if self.found_at.contains(&pos) {
            return;
        }
        self.found_at.push(pos);
        let place = Place {
            column: self.text.excerpt(pos, pos),
            ..self.text.place(pos)
        };
        self.out.findings.push(Finding {
            code: code.as_str().to_string(),
            severity: Severity::Error,
            place,
            printed: Some(printed),
            right,
            formula,
            related: Vec::new(),
        });
    }

    pub(super) fn where_(&self, pos: usize) -> String {
        let p = self.text.place(pos);
        format!("第 {} 页{}", p.page.unwrap_or(0), p.row)
    }

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
            if (n.wan().value - known.value).abs() <= n.wan().half + Decimal::new(2, 2) {
                self.out.tails.push(format!(
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
            self.flagged.push(n.start);
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

/// Checks the 说明 (the text outside the tables, [`read_text`]) against the figures of the tables:
/// by the forms' phrases, and the slots of the `sentences` aligned with the form's sentences
/// (the parts the phrases do not reach, [`super::slots`]).
pub(super) fn check(
    text: &Text,
    bureau: &Bureau,
    all: &crate::figures::Figures,
    sentences: Option<&[super::sentences::Sentence]>,
) -> Read {
    let figures = &all.doc;
    let mut c = Checker {
        text,
        out: Read::default(),
        cited: Vec::new(),
        flagged: Vec::new(),
        found_at: Vec::new(),
        checked_at: Default::default(),
        skipped: Default::default(),
    };
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
