//! `juesuan audit`：核对一份已经发布的部门决算 PDF。
//!
//! The pipeline of an audit, one module per step:
//!
//! ```text
//! PDF ──pdf──> glyphs and ruling lines per page ──tables──> 公开表 grids ──import──> facts
//!     ──check──> findings (page, table, row, column; printed value, right value, rule code)
//! ```
//!
//! Tables are recognised from their ruling lines and handed, as grids, to the same importer that
//! reads 公开表 workbooks; the facts read are then checked by the same rules as any input.

pub mod explanation;
pub mod grids;
pub mod layout;
pub mod pdf;
pub mod report;
pub mod tables;

use std::time::Instant;

use crate::diagnostic::Diagnostics;
use crate::input::SourceFile;
use crate::workbook::open::Format;

pub use pdf::ReadError;
pub use report::{Audit, Finding, Place};

/// What to audit against.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The form (表式) the package follows; detected from the document when not given.
    pub form: Option<String>,
}

/// The document's tables as sheets, and what the 公开表 importer reads from them (`None` when no
/// sheet holds a 公开表).
pub fn import_tables(
    name: &str,
    doc: &pdf::Document,
) -> (grids::Sheets, Option<crate::import::Imported>) {
    let sheets = grids::sheets(doc);
    let imported = grids::workbook(&sheets.sheets)
        .ok()
        .and_then(|xlsx| crate::import::read(name, Format::Xlsx, &xlsx));
    (sheets, imported)
}

/// The built-in forms and templates, loaded once for every audit that is given no Session.
fn builtin_session() -> &'static crate::session::Session {
    static SESSION: std::sync::OnceLock<crate::session::Session> = std::sync::OnceLock::new();
    SESSION.get_or_init(crate::session::Session::builtin)
}

/// Reads a published PDF, recognises its 公开表, imports and checks them, with the built-in
/// forms ([`audit_with`] takes the run's Session).
pub fn audit(name: &str, bytes: &[u8], options: &Options) -> Result<Audit, ReadError> {
    audit_with(builtin_session(), name, bytes, options)
}

/// [`audit`] with the forms and templates of a run (`--templates`, the web page's).
pub fn audit_with(
    session: &crate::session::Session,
    name: &str,
    bytes: &[u8],
    options: &Options,
) -> Result<Audit, ReadError> {
    let start = Instant::now();
    let doc = pdf::read(bytes)?;
    let read_ms = start.elapsed().as_secs_f64() * 1000.0;
    let (sheets, imported) = import_tables(name, &doc);
    let mut imported_tables = Vec::new();
    let mut diagnostics = Diagnostics::default();
    let mut source = SourceFile::new(name, String::new());
    let mut explained = None;
    if let Some(imported) = imported {
        imported_tables = imported.tables.clone();
        let (text, cells) = match &options.form {
            Some(form) => with_form(imported.text, imported.cells, form),
            None => (imported.text, imported.cells),
        };
        let mut loaded = crate::input::parse_toml(SourceFile::from_workbook(name, text, cells));
        let mut d = imported.diagnostics;
        d.extend(loaded.diagnostics);
        loaded.diagnostics = d;
        let checked = session.check_loaded(loaded);
        if let Some(bureau) = &checked.bureau {
            explained = explain(session, &doc, bureau);
        }
        diagnostics = checked.diagnostics;
        source = checked.source;
    }
    let mut audit = report::build(
        name,
        &doc,
        &sheets,
        &imported_tables,
        &diagnostics,
        &source,
        options,
    );
    audit.verdicts = report::table_verdicts(&audit);
    report::add_explanation(&mut audit, explained);
    Ok(Audit {
        read_ms,
        total_ms: start.elapsed().as_secs_f64() * 1000.0,
        ..audit
    })
}

/// The 说明 read and checked against the figures of the tables read (`None` when the figures
/// cannot be computed from them).
fn explain(
    session: &crate::session::Session,
    doc: &pdf::Document,
    bureau: &crate::model::Bureau,
) -> Option<explanation::Read> {
    let figures = session.figures(bureau).ok()?;
    Some(explanation::check(doc, bureau, &figures.doc))
}

/// The imported TOML with `[bureau] form` set (the first line after `[bureau]`), every cell
/// span after it moved along.
fn with_form(
    text: String,
    mut cells: Vec<crate::input::source::CellSpan>,
    form: &str,
) -> (String, Vec<crate::input::source::CellSpan>) {
    let Some(at) = text.find("[bureau]\n").map(|p| p + "[bureau]\n".len()) else {
        return (text, cells);
    };
    let line = format!("form = {}\n", crate::workbook::toml_string(form));
    let mut out = text;
    out.insert_str(at, &line);
    for c in &mut cells {
        if c.span.start >= at {
            c.span = c.span.start + line.len()..c.span.end + line.len();
        }
    }
    (out, cells)
}
