//! 表外的文字：每页表外的行（页、行、所在的章），去掉空白连成一串字，每个字记着它的行；标题处断开；其中带“万元”“元”“%”的数。
//!
//! What the 说明's checks and sentences read: the lines outside every table of each page (found
//! by [`super::tables`]), top to bottom, page numbers left out. A line that opens with a
//! numbered heading (`四、`, `（二）`, `第三部分`) breaks the text, so a sentence never runs across
//! it, and sets the chapter of the lines after it.

use super::finding::Place;
use super::layout;
use super::pdf::Document;
use super::printed::Printed;
use super::tables;

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
pub(super) enum Unit {
    TenThousand,
    Yuan,
    Percent,
}

/// A number printed in the text, with its unit.
#[derive(Clone, Debug)]
pub(super) struct Num {
    /// Char positions of the first digit and after the unit.
    pub(super) start: usize,
    pub(super) after: usize,
    /// The number in its own unit, with its half unit.
    pub(super) printed: Printed,
    pub(super) unit: Unit,
    pub(super) text: String,
}

impl Num {
    /// The amount in 万元, with its half unit (an amount in 元 is divided).
    pub(super) fn wan(&self) -> Printed {
        match self.unit {
            Unit::Yuan => self.printed.yuan_as_wan(),
            _ => self.printed,
        }
    }

    pub(super) fn decimals(&self) -> u32 {
        self.printed.value.scale()
    }

    pub(super) fn shown(&self) -> String {
        match self.unit {
            Unit::TenThousand => format!("{}万元", self.text),
            Unit::Yuan => format!("{}元", self.text),
            Unit::Percent => format!("{}%", self.text),
        }
    }
}

/// The text outside the tables, whitespace removed, with the line of each char.
pub(super) struct Text {
    pub(super) chars: Vec<char>,
    pub(super) line_of: Vec<usize>,
    pub(super) lines: Vec<TextLine>,
    /// Char positions where a heading line starts (sentences never run across one).
    pub(super) breaks: Vec<usize>,
    pub(super) nums: Vec<Num>,
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
            .filter(|l| !layout::is_page_number(&l.text))
            .map(|l| l.x1)
            .fold(f64::MIN, f64::max);
        for (n, l) in lines.iter().enumerate() {
            if layout::is_page_number(&l.text) {
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
    pub(super) fn at(&self, pos: usize, s: &str) -> bool {
        (pos..)
            .zip(s.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }

    pub(super) fn slice(&self, from: usize, to: usize) -> String {
        self.chars[from.min(self.chars.len())..to.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// The start of the sentence holding `pos`: after the last 。 or heading before it.
    pub(super) fn sentence_start(&self, pos: usize) -> usize {
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

    pub(super) fn chapter_start(&self, pos: usize) -> usize {
        self.breaks
            .iter()
            .rev()
            .find(|b| **b <= pos)
            .copied()
            .unwrap_or(0)
    }

    pub(super) fn place(&self, pos: usize) -> Place {
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
    pub(super) fn excerpt(&self, from: usize, to: usize) -> String {
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
    pub(super) fn num_at(&self, pos: usize) -> Option<&Num> {
        self.nums.iter().find(|n| n.start == pos)
    }
}
