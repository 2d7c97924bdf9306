//! 决算通（juesuan）：从一个单位一年的事实数据，生成部门决算说明，并校验、计算其中每一个数。
//!
//! The pipeline, one module per step:
//!
//! ```text
//! input (TOML | workbook) ──> raw records with positions ──> model (validated facts) ──> rules (identities)
//!        ──> figures (every derived number, with its formula) ──> render (tera → Typst → PDF)
//! ```
//!
//! Every step reports problems as [`diagnostic::Diagnostic`]s with a stable code; nothing is
//! written unless the whole package was produced.

pub mod arith;
pub mod audit;
pub mod batch;
pub mod calendar;
pub mod catalog;
pub mod cmd;
pub mod diagnostic;
pub mod diff;
pub mod figures;
pub mod form;
pub mod import;
pub mod input;
pub mod load;
pub mod model;
pub mod money;
pub mod output;
pub mod performance;
pub mod previous;
pub mod publish;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod serve;
pub mod session;
#[doc(hidden)]
pub mod synthetic;
pub mod workbook;

use std::path::Path;

use diagnostic::Diagnostics;
use input::SourceFile;
use model::Bureau;

/// The result of reading and checking one input.
pub struct Checked {
    pub source: SourceFile,
    /// The model, when the input could be read; present even when rules found errors.
    pub bureau: Option<Bureau>,
    pub diagnostics: Diagnostics,
}

/// Reads, validates and checks an input file: a workbook (.xlsx, .xlsm, .xls, .ods) or TOML,
/// told apart by content rather than extension.
pub fn check_file(path: &Path) -> Checked {
    check_file_with(path, form::Forms::builtin())
}

/// [`check_file`] with the forms a `--templates` folder adds to the built-in ones.
pub fn check_file_with(path: &Path, forms: &form::Forms) -> Checked {
    check_loaded_with(load::input(path), forms)
}

/// Reads, validates and checks TOML text (tests and benchmarks use this).
pub fn check_text(name: &str, text: &str) -> Checked {
    check_loaded(input::parse_toml(SourceFile::new(name, text.to_string())))
}

/// Validates and checks an input already read (a TOML file or a workbook).
///
/// The model is built from whatever could be read, so a value that could not be read never hides
/// the rules' findings on the rest; a rule finding that points at such a value (it would only echo
/// the reading error) is left out.
pub fn check_loaded(loaded: input::Loaded) -> Checked {
    check_loaded_with(loaded, form::Forms::builtin())
}

/// [`check_loaded`] with the forms a `--templates` folder adds to the built-in ones.
pub fn check_loaded_with(loaded: input::Loaded, forms: &form::Forms) -> Checked {
    check_loaded_adjusted(loaded, forms, |_| Diagnostics::default())
}

/// [`check_loaded_with`] with a step between building the model and running the rules: `adjust`
/// may complete the model (`--previous` fills the prior-year facts left out) and report findings.
pub fn check_loaded_adjusted(
    loaded: input::Loaded,
    forms: &form::Forms,
    adjust: impl FnOnce(&mut Bureau) -> Diagnostics,
) -> Checked {
    let mut diagnostics = loaded.diagnostics;
    // A value that could not be read (a mistyped TOML value, an unreadable number in a workbook
    // cell) stands in as a placeholder: the model's own findings at its position would only echo
    // the reading error.
    let unreadable_at: Vec<diagnostic::Location> = diagnostics
        .iter()
        .filter(|d| {
            d.code == diagnostic::codes::SYNTAX
                || d.code == workbook::codes::CELL_TYPE
                || d.code == workbook::codes::FORMULA
        })
        .filter_map(|d| d.location.clone())
        .collect();
    let mut model_diagnostics = Diagnostics::default();
    let mut bureau = loaded
        .raw
        .as_ref()
        .and_then(|raw| model::build(raw, &loaded.source, forms, &mut model_diagnostics));
    if let Some(b) = bureau.as_mut() {
        model_diagnostics.0.extend(adjust(b).0);
    }
    for d in model_diagnostics.0 {
        if d.location
            .as_ref()
            .is_none_or(|l| !unreadable_at.contains(l))
        {
            diagnostics.push(d);
        }
    }
    if let Some(b) = &bureau {
        let unreadable: Vec<diagnostic::Location> = diagnostics
            .iter()
            .filter(|d| {
                d.code.as_str().starts_with('E')
                    || d.code == diagnostic::codes::NEGATIVE
                    || d.code == workbook::codes::CELL_TYPE
                    || d.code == workbook::codes::FORMULA
            })
            .filter(|d| d.severity == diagnostic::Severity::Error)
            .filter_map(|d| d.location.clone())
            .collect();
        let echoes = |d: &diagnostic::Diagnostic| {
            d.location
                .iter()
                .chain(d.related.iter().map(|r| &r.location))
                .any(|l| unreadable.contains(l))
        };
        for d in rules::check(b).0 {
            if !echoes(&d) {
                diagnostics.push(d);
            }
        }
    }
    loaded.source.place_facts(&mut diagnostics);
    import::summarise_missing(&loaded.source, &mut diagnostics);
    Checked {
        source: loaded.source,
        bureau,
        diagnostics: diagnostics.sorted(),
    }
}
