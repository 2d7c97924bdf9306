//! 说明核对的账：每个数、每个词只核对一次，每处差错只报一次；未比较的空位按原因计数。
//!
//! The 说明 is checked twice over — by the forms' phrases ([`super::explanation`]) and by the
//! slots of the sentences aligned with the form's ([`super::slots`]) — into one [`Read`]: the
//! [`Checker`] both write through remembers which positions of the text were read, which
//! amounts were reported as misprinted, and why a slot was not compared.

use super::finding::{Finding, Place};
use super::printed::Printed;
use super::sentences::Sentence;
use super::text::Text;
use crate::diagnostic::Severity;

/// The reason of a slot no check read and none gave a reason for.
const NOT_DETERMINED: &str = "所读的公开表中没有这个数";

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
    pub sentences: Option<Vec<Sentence>>,
}

/// The 说明 being checked: what was found so far, and where.
pub(super) struct Checker<'a> {
    pub(super) text: &'a Text,
    pub(super) out: Read,
    /// Amounts a share may take as its base by name (`占本年支出合计的`): the value last cited in
    /// the text under the label, else the tables'.
    pub(super) cited: Vec<(String, Printed)>,
    /// Amounts already reported as misprinted: a share or change computed from one would only
    /// echo that finding.
    pub(super) flagged: Vec<usize>,
    /// Where findings are: a number is reported once, by the first check that finds it.
    found_at: Vec<usize>,
    /// Where numbers and words were checked: each is checked once, by the first check that
    /// reads it (a phrase check or its slot).
    checked_at: std::collections::BTreeSet<usize>,
    /// Why a slot was not compared, by its position.
    pub(super) skipped: std::collections::BTreeMap<usize, &'static str>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(text: &'a Text) -> Self {
        Checker {
            text,
            out: Read::default(),
            cited: Vec::new(),
            flagged: Vec::new(),
            found_at: Vec::new(),
            checked_at: Default::default(),
            skipped: Default::default(),
        }
    }

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
    pub(super) fn checked_with(&mut self, pos: usize) {
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
            let why = self.skipped.get(at).copied().unwrap_or(NOT_DETERMINED);
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
}
