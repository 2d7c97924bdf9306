//! 说明文字逐句对照表式：把表外的文字切成句（页、章、句），每句与表式的句子（由正文模板编译，见 [`super::grammar`]）对齐。
//!
//! The text outside the tables is cut into sentences at each `。` and at each heading; a line is
//! a heading when the whole line is one of the form's headings. A sentence is matched against the
//! sentences the form prints under that heading (or, after a heading the form does not have, under
//! any heading); a sentence that ended inside a free text (a reason of several sentences) lets the
//! next one go on in it. The result of each sentence:
//!
//! - **对上表式**: printed by the form's wording, each number in a typed slot;
//! - **单位自拟的文字**: only the free text of the form (a duty, a reason) takes it;
//! - **表、附件与图中的文字**: inside a 公开表, a 绩效 attachment or a chart (read as tables, or not at all);
//! - **无数字的其他文字**: matches nothing but carries no figure (a cover, a table of contents);
//! - **未读**: matches nothing and carries a figure (an amount, a percentage, a count): listed,
//!   never guessed at.

use serde::Serialize;

use super::grammar::{Grammar, Label, SlotKind};
use super::text::{Text, is_heading};

/// What became of one sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Heading,
    Matched,
    Free,
    Opaque,
    Other,
    NotRead,
}

/// One sentence (or heading) of the text, where it is and what became of it.
#[derive(Clone, Debug, Serialize)]
pub struct Sentence {
    pub page: usize,
    /// The line it starts on, 1-based among the page's lines outside its tables.
    pub line: usize,
    pub chapter: String,
    pub text: String,
    pub status: Status,
    /// Numbers the form's slots took (amounts, percentages, counts; years left out).
    pub figures: usize,
    /// Char range in the text.
    #[serde(skip)]
    pub range: std::ops::Range<usize>,
    /// The slots filled, in order, for the checks.
    #[serde(skip)]
    pub slots: Vec<SlotRead>,
}

/// One slot of the form filled by the text.
#[derive(Clone, Debug)]
pub struct SlotRead {
    /// The figure it prints (`doc.three_public.overseas.actual`, `doc.gov_fund_detail.items[].path.item`).
    pub path: String,
    pub kind: SlotKind,
    pub printed: String,
    /// The unit after it in the template (`万元`, `%`).
    pub unit: String,
    /// Char position in the text.
    pub at: usize,
}

/// How much of the text the form's sentences read.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub headings: usize,
    pub matched: usize,
    pub free: usize,
    pub opaque: usize,
    pub other: usize,
    pub not_read: usize,
    /// Figures read in matched sentences.
    pub figures: usize,
    /// Figure slots of the matched sentences compared with the tables' figures, and not (the
    /// figure is not determined by what was read; the reasons are among the audit's
    /// `not_checked`).
    pub slots_compared: usize,
    pub slots_not_checked: usize,
}

/// Units that make a number a figure (an amount, a percentage, a count).
const FIGURE_UNITS: [&str; 12] = [
    "万元", "元", "%", "个", "辆", "人", "次", "批", "台", "项", "家", "分",
];

/// Whether the characters hold a number followed by a unit of [`FIGURE_UNITS`].
pub fn has_figure(chars: &[char]) -> bool {
    (0..chars.len()).any(|i| {
        chars[i].is_ascii_digit()
            && !chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            && {
                let rest: String = chars[i + 1..(i + 3).min(chars.len())].iter().collect();
                FIGURE_UNITS.iter().any(|u| rest.starts_with(u))
            }
    })
}

/// Whether a slot's path names a year rather than a figure.
pub(super) fn is_year(path: &str, unit: &str) -> bool {
    unit == "年" || path.ends_with("year") || path.ends_with(".index") || path.ends_with("index0")
}

/// Cuts the text into sentences and aligns each with the form's sentences.
pub(super) fn read(text: &Text, grammar: &Grammar) -> Vec<Sentence> {
    let all = grammar.all_sentence_starts();
    let mut cut = Cutter {
        text,
        grammar,
        buf: Vec::new(),
        start: 0,
        section: grammar.sentence_starts(&[grammar.start]),
        known: true,
        carry: Vec::new(),
        out: Vec::new(),
    };
    // Char offset of each line.
    let mut offsets = Vec::with_capacity(text.lines.len() + 1);
    let mut offset = 0usize;
    for line in &text.lines {
        offsets.push(offset);
        offset += line.text.chars().count();
    }
    offsets.push(offset);
    let heading_of = |chars: &[char], line: &str| {
        grammar
            .align(chars, &grammar.heading_bodies, true)
            .filter(|a| a.fixed() >= 2 || (a.fixed() >= 1 && is_heading(line)))
    };
    let mut i = 0;
    while i < text.lines.len() {
        let line = &text.lines[i];
        let chars: Vec<char> = line.text.chars().collect();
        let line_start = offsets[i];
        i += 1;
        if chars.is_empty() {
            continue;
        }
        let terminal = matches!(chars.last(), Some('。' | '；' | '，' | '：' | ';' | ','));
        let mut heading = heading_of(&chars, &line.text);
        let mut heading_text = line.text.clone();
        // A heading broken over two lines (`第三部分　某局` / `2024年度部门决算情况说明`).
        if heading.is_none()
            && cut.buf.is_empty()
            && !terminal
            && let Some(next) = text.lines.get(i)
        {
            let joined: Vec<char> = chars
                .iter()
                .chain(next.text.chars().collect::<Vec<_>>().iter())
                .copied()
                .collect();
            let joined_text = format!("{}{}", line.text, next.text);
            if let Some(h) = heading_of(&joined, &joined_text) {
                heading = Some(h);
                heading_text = joined_text;
                i += 1;
            }
        }
        // A line that looks like a heading the form does not have, unless the form prints it
        // as text here (the list of tables: `一、收入支出决算总表`).
        let unknown_heading = heading.is_none()
            && cut.buf.is_empty()
            && is_heading(&line.text)
            && line.short
            && !terminal
            && grammar.align(&chars, &cut.section, false).is_none();
        if heading.is_some() || unknown_heading {
            cut.finish();
            cut.out.push(Sentence {
                page: line.page,
                line: line.line,
                chapter: line.chapter.clone(),
                text: heading_text,
                status: if heading.is_some() {
                    Status::Heading
                } else {
                    Status::Other
                },
                figures: 0,
                range: line_start..offsets[i],
                slots: Vec::new(),
            });
            cut.carry.clear();
            cut.known = heading.is_some();
            cut.section = match heading {
                Some(h) => {
                    let after: Vec<u32> = h
                        .ends
                        .iter()
                        .flat_map(|n| grammar.after_heading(*n))
                        .collect();
                    grammar.sentence_starts(&after)
                }
                None => all.clone(),
            };
            continue;
        }
        for (k, c) in chars.iter().enumerate() {
            if cut.buf.is_empty() {
                cut.start = line_start + k;
            }
            cut.buf.push(*c);
            if *c == '。' {
                cut.finish();
            }
        }
    }
    cut.finish();
    cut.out
}

/// The sentence being cut and where the text is: the form's sentences it may be, after the
/// heading it is under.
struct Cutter<'a> {
    text: &'a Text,
    grammar: &'a Grammar,
    /// The characters of the sentence so far, and the char position of its first.
    buf: Vec<char>,
    start: usize,
    /// The form's sentences under the current heading.
    section: Vec<u32>,
    /// Whether the current heading is one of the form's.
    known: bool,
    /// Where the last sentence ended inside free text: the next may go on from there.
    carry: Vec<u32>,
    out: Vec<Sentence>,
}

impl Cutter<'_> {
    /// Ends the sentence being cut: aligned with the form's sentences and added.
    fn finish(&mut self) {
        let (text, grammar) = (self.text, self.grammar);
        let (section, known, start) = (&self.section, self.known, self.start);
        let carry = &mut self.carry;
        let out = &mut self.out;
        let buf = &mut self.buf;
        if buf.is_empty() {
            return;
        }
        let chars = std::mem::take(buf);
        let mut starts: Vec<u32> = section.to_vec();
        starts.extend(carry.iter().copied());
        let mut aligned = grammar.align(&chars, &starts, false);
        // Under a heading the form does not have, free text alone (a paragraph of the form's own
        // wording anywhere) is no match: only going on in the previous sentence's free text is.
        if !known
            && aligned
                .as_ref()
                .is_some_and(|a| a.fixed() == 0 && a.opaque() == 0)
        {
            aligned = grammar.align(&chars, carry, false);
        }
        let line = text.line_of.get(start).and_then(|i| text.lines.get(*i));
        let mut sentence = Sentence {
            page: line.map_or(0, |l| l.page),
            line: line.map_or(0, |l| l.line),
            chapter: line.map(|l| l.chapter.clone()).unwrap_or_default(),
            text: chars.iter().collect(),
            status: Status::Other,
            figures: 0,
            range: start..start + chars.len(),
            slots: Vec::new(),
        };
        carry.clear();
        match aligned {
            Some(a) => {
                sentence.status = if a.fixed() > 0 {
                    Status::Matched
                } else if a.opaque() > 0 {
                    Status::Opaque
                } else {
                    Status::Free
                };
                for (slot, range) in a.slots() {
                    let s = &grammar.slots[slot as usize];
                    if s.kind == SlotKind::Number && !is_year(&s.path, &s.unit) {
                        sentence.figures += 1;
                    }
                    sentence.slots.push(SlotRead {
                        path: s.path.clone(),
                        kind: s.kind,
                        printed: chars[range.clone()].iter().collect(),
                        unit: s.unit.clone(),
                        at: start + range.start,
                    });
                }
                // A sentence that ended inside free text lets the next go on in it.
                carry.extend(a.ends.iter().copied().filter(|s| {
                    grammar.edges[*s as usize]
                        .iter()
                        .any(|(l, _)| matches!(l, Label::Free(_) | Label::Opaque(_)))
                }));
            }
            None if has_figure(&chars) => sentence.status = Status::NotRead,
            None => {}
        }
        out.push(sentence);
    }
}

/// The counts of each status.
pub fn counts(sentences: &[Sentence]) -> Counts {
    let mut c = Counts::default();
    for s in sentences {
        match s.status {
            Status::Heading => c.headings += 1,
            Status::Matched => {
                c.matched += 1;
                c.figures += s.figures;
            }
            Status::Free => c.free += 1,
            Status::Opaque => c.opaque += 1,
            Status::Other => c.other += 1,
            Status::NotRead => c.not_read += 1,
        }
    }
    c
}
