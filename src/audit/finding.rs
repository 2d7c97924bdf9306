//! 一条差错（或提示）：在文件中的位置（页、表、行、列）、所印数、应为数、公式与规则编号。
//!
//! The words every stage of the audit reports in: the tables' checks ([`super::report`] turns
//! their diagnostics into findings) and the 说明's ([`super::checker`]) alike.

use serde::Serialize;

use crate::diagnostic::Severity;

/// Where a finding is in the document.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Place {
    /// 1-based page.
    pub page: Option<usize>,
    /// The table's title (`收入决算表`), or the sheet name when unrecognised.
    pub table: String,
    /// The row's label as printed (`201 06 01 行政运行`), or the sentence.
    pub row: String,
    /// The column's header as printed.
    pub column: String,
    /// The figure printed there (for the places a finding relates to).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub printed: Option<String>,
}

/// One finding (or note).
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub place: Place,
    /// The value printed at the place.
    pub printed: Option<String>,
    /// The value it should have, when one follows.
    pub right: Option<String>,
    /// The rule's message: the formula and its inputs.
    pub formula: String,
    /// Other places that take part (`第 9 页 收入决算表 …`).
    pub related: Vec<Place>,
}
