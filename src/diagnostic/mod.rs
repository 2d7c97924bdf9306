//! 诊断信息：每条都有稳定的规则编号、严重程度、位置、中文说明和修改提示。
//!
//! Diagnostics are data. Every phase collects them into a [`Diagnostics`] list instead of stopping
//! at the first problem; the command decides at the end whether errors block the build.

pub mod os_error;
pub mod registry;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

pub use registry::{Code, RULES, Rule, codes};

/// How serious a finding is. Errors block `build`; warnings print (and block under `--strict`);
/// infos only inform (e.g. a 0.01 尾差 between a declared total and its parts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// Where a value came from: a position in an input file (file:line:col, with the byte range for
/// snippets) or a workbook cell (`工作表!B7`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Location {
    File {
        file: Arc<str>,
        line: usize,
        column: usize,
        #[serde(skip)]
        span: Range<usize>,
    },
    Cell {
        file: Arc<str>,
        sheet: String,
        cell: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File {
                file, line, column, ..
            } => write!(f, "{file}:{line}:{column}"),
            Location::Cell { file, sheet, cell } => write!(f, "{file}:{sheet}!{cell}"),
        }
    }
}

/// One finding.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// Stable rule code, e.g. `R001`, from the one registry (`registry.rs`, the table in docs/rules.md).
    pub code: Code,
    pub severity: Severity,
    pub location: Option<Location>,
    /// What is wrong, naming the figures and the difference.
    pub message: String,
    /// How to fix it.
    pub hints: Vec<String>,
    /// Other places that take part (the operands of a sum, say).
    pub related: Vec<Related>,
    /// The input fact this finding is about (`prior_year.total`), when it is one: the check
    /// places the finding at the workbook cell where that fact is written (blank or not), or
    /// names the TOML key (see `SourceFile::slot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// Hints said otherwise for a workbook (sheets and columns instead of TOML tables and keys):
    /// the index in `hints` and the workbook's words; the check puts them in place for a
    /// workbook input (`SourceFile::place_facts`).
    #[serde(skip)]
    pub workbook_hints: Vec<(usize, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Related {
    pub location: Location,
    pub label: String,
}

impl Diagnostic {
    /// A finding at a severity other than its code's registered one — only where the figures
    /// decide it (a difference within the 尾差 is an info, beyond it an error). Everything else
    /// uses [`Diagnostic::of`].
    pub fn new(code: Code, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            location: None,
            message: message.into(),
            hints: Vec::new(),
            related: Vec::new(),
            fact: None,
            workbook_hints: Vec::new(),
        }
    }

    /// A diagnostic at its code's registered severity (the registry is the one place a
    /// severity is decided).
    pub fn of(code: Code, message: impl Into<String>) -> Self {
        Self::new(code, code.rule().severity, message)
    }

    pub fn at(mut self, location: &Location) -> Self {
        self.location = Some(location.clone());
        self
    }

    pub fn at_opt(mut self, location: Option<&Location>) -> Self {
        self.location = location.cloned();
        self
    }

    /// The input fact (its TOML key) this finding is about; see [`Diagnostic::fact`].
    pub fn about(mut self, key: impl Into<String>) -> Self {
        self.fact = Some(key.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// A hint in the words of each input: `toml` names TOML tables and keys, `workbook` the
    /// sheets and columns a clerk sees; the check keeps the one that fits the input.
    pub fn hint_by_input(mut self, toml: impl Into<String>, workbook: impl Into<String>) -> Self {
        self.workbook_hints
            .push((self.hints.len(), workbook.into()));
        self.hints.push(toml.into());
        self
    }

    pub fn related(mut self, location: &Location, label: impl Into<String>) -> Self {
        self.related.push(Related {
            location: location.clone(),
            label: label.into(),
        });
        self
    }
}

/// A collection of findings from every phase.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// Whether the build must stop: any error, or any warning when `strict`.
    pub fn blocks(&self, strict: bool) -> bool {
        self.has_errors() || (strict && self.count(Severity::Warning) > 0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Sorted by position, then code, so output is stable.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| match &d.location {
                Some(Location::File { span, .. }) => (span.start, 0usize),
                Some(Location::Cell { .. }) | None => (usize::MAX, 0),
            };
            key(a).cmp(&key(b)).then(a.code.cmp(&b.code))
        });
        self
    }

    /// A one-line count: "2 个错误，1 个警告，0 条提示".
    pub fn summary(&self) -> String {
        format!(
            "{} 个错误，{} 个警告，{} 条提示",
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info)
        )
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// A short plain rendering, one line per finding, used in tests and logs.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(
                f,
                "{loc}: {}[{}] {}",
                self.severity.label(),
                self.code,
                self.message
            )?,
            None => write!(
                f,
                "{}[{}] {}",
                self.severity.label(),
                self.code,
                self.message
            )?,
        }
        for h in &self.hints {
            write!(f, "\n  提示：{h}")?;
        }
        for r in &self.related {
            write!(f, "\n  相关：{} {}", r.location, r.label)?;
        }
        Ok(())
    }
}
