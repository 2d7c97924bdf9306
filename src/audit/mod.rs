//! `juesuan audit`：核对一份已经发布的部门决算 PDF。
//!
//! The pipeline of an audit, one module per step:
//!
//! ```text
//! PDF ──pdf──> glyphs and ruling lines per page ──tables──> 公开表 grids ──import──> facts
//!     ──check──> findings (page, table, row, column; printed value, right value, rule code)
//! PDF ──text──> the text outside the tables ──sentences──> aligned with the form's sentences
//!     ──explanation, slots──> findings of the 说明 (each number checked once: checker)
//! findings ──report──> the audit
//! ```
//!
//! Imports run one way: a stage imports only the stages before it, and the words they all share
//! (`table`, `finding`) sit below every stage.
//!
//! Tables are recognised from their ruling lines (or, printed without them, from their caption
//! and the gaps in their text: `unruled`) and handed, as grids, to the same importer that
//! reads 公开表 workbooks; the facts read are then checked by the same rules as any input.

pub mod checker;
pub mod explanation;
pub mod finding;
pub mod grammar;
pub mod grids;
pub mod layout;
pub mod pdf;
pub mod printed;
pub mod report;
pub mod sentences;
pub mod slots;
pub mod table;
pub mod tables;
pub mod text;
pub mod unruled;

use std::time::Instant;

use crate::diagnostic::Diagnostics;
use crate::input::SourceFile;
use crate::workbook::open::Format;

pub use finding::{Finding, Place};
pub use pdf::ReadError;
pub use report::Audit;

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
    let text = text::read_text(&doc);
    let table_set = imported
        .as_ref()
        .and_then(|i| report::bureau_value(&i.text, "tables"));
    let form = match &options.form {
        Some(key) => session.forms().get(key).map(|f| {
            let sentences = grammar(session, f).map(|g| sentences::read(&text, &g));
            FormRead {
                key: key.clone(),
                how: "命令行 --form 指定".to_string(),
                sentences,
            }
        }),
        None => detect_form(session, &text, table_set.as_deref()),
    };
    let mut imported_tables = Vec::new();
    let mut diagnostics = Diagnostics::default();
    let mut source = SourceFile::new(name, String::new());
    let mut explained = None;
    if let Some(imported) = imported {
        imported_tables = imported.tables.clone();
        let (toml, cells) = match &form {
            Some(f) => with_form(imported.text, imported.cells, &f.key),
            None => (imported.text, imported.cells),
        };
        let mut loaded = crate::input::parse_toml(SourceFile::from_workbook(name, toml, cells));
        let mut d = imported.diagnostics;
        d.extend(loaded.diagnostics);
        loaded.diagnostics = d;
        let checked = session.check_loaded(loaded);
        if let Some(bureau) = &checked.bureau {
            explained = explain(
                session,
                &text,
                bureau,
                form.as_ref().and_then(|f| f.sentences.as_deref()),
            );
        }
        diagnostics = checked.diagnostics;
        source = checked.source;
    }
    let mut audit = report::build(name, &doc, &sheets, &imported_tables, &diagnostics, &source);
    audit.verdicts = report::table_verdicts(&audit);
    let sentences = form.as_ref().and_then(|f| f.sentences.clone());
    if let Some(f) = &form {
        audit.form = Some(f.key.clone());
        audit.form_how = f.how.clone();
    }
    identify(&mut audit, &doc, sentences.as_deref());
    if let Some(read) = explained.as_mut() {
        read.sentences = sentences;
    }
    report::add_explanation(&mut audit, explained);
    Ok(Audit {
        read_ms,
        total_ms: start.elapsed().as_secs_f64() * 1000.0,
        ..audit
    })
}

/// The department, year and unit of a document whose tables do not name them (or that has no
/// 公开表 read): from its cover (`上海市普陀区财政局 / 2024年度部门决算`), else from the 说明's
/// sentences — the name and year the form's sentences print (`{{ doc.name }}{{ doc.year }}年度…`),
/// and the unit most of its amounts are printed in.
fn identify(audit: &mut Audit, doc: &pdf::Document, sentences: Option<&[sentences::Sentence]>) {
    let (cover_name, cover_year) = grids::cover(doc);
    let slots = || {
        sentences
            .unwrap_or_default()
            .iter()
            .filter(|s| s.status == sentences::Status::Matched)
            .flat_map(|s| &s.slots)
    };
    let most = |values: Vec<String>| {
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for v in values {
            *counts.entry(v).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(v, n)| (*n, std::cmp::Reverse(v.clone())))
            .map(|(v, _)| v)
    };
    if audit.department.is_none() {
        audit.department = cover_name.map(|(n, _)| n).or_else(|| {
            most(
                slots()
                    .filter(|r| r.path == "doc.name" && !r.printed.is_empty())
                    .map(|r| r.printed.clone())
                    .collect(),
            )
        });
    }
    if audit.year.is_none() {
        audit.year = cover_year.map(|(y, _)| y).or_else(|| {
            most(
                slots()
                    .filter(|r| r.path == "doc.year")
                    .map(|r| r.printed.clone())
                    .collect(),
            )
            .and_then(|y| y.parse().ok())
        });
    }
    if audit.unit.is_none() {
        audit.unit = most(
            slots()
                .filter(|r| matches!(r.unit.as_str(), "万元" | "元"))
                .map(|r| r.unit.clone())
                .collect(),
        );
    }
}

/// The form the audit reads the document by, how it was chosen, and the text's sentences
/// aligned with its sentences.
struct FormRead {
    key: String,
    how: String,
    sentences: Option<Vec<sentences::Sentence>>,
}

/// The form of a document audited without `--form`: among the forms with a body template, a
/// form printing the 公开表 set the tables were recognised as, then the one whose headings,
/// then sentences, the text matches most.
fn detect_form(
    session: &crate::session::Session,
    text: &text::Text,
    table_set: Option<&str>,
) -> Option<FormRead> {
    let mut best: Option<((bool, usize, usize), FormRead)> = None;
    for form in session.forms().iter() {
        let Some(g) = grammar(session, form) else {
            continue;
        };
        let read = sentences::read(text, &g);
        let c = sentences::counts(&read);
        let same_set = table_set == Some(form.tables.key());
        let score = (same_set, c.headings, c.matched);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            let how = format!(
                "由文件认出：对上该表式的标题 {} 行、句子 {} 句{}",
                c.headings,
                c.matched,
                if same_set {
                    "，公开表也是该表式的套表"
                } else {
                    ""
                }
            );
            best = Some((
                score,
                FormRead {
                    key: form.key.clone(),
                    how,
                    sentences: Some(read),
                },
            ));
        }
    }
    let ((same_set, headings, matched), form) = best?;
    (same_set || headings + matched > 0).then_some(form)
}

/// The 说明 checked against the figures of the tables read (`None` when the figures cannot be
/// computed from them).
fn explain(
    session: &crate::session::Session,
    text: &text::Text,
    bureau: &crate::model::Bureau,
    sentences: Option<&[sentences::Sentence]>,
) -> Option<checker::Read> {
    let figures = session.figures(bureau).ok()?;
    Some(explanation::check(text, bureau, &figures, sentences))
}

/// The form's sentences, compiled from its body template (`<form>/body.tera`, with
/// `common/wording.tera`) as this run's templates have them; `None` for a form without one.
fn grammar(
    session: &crate::session::Session,
    form: &crate::form::Form,
) -> Option<grammar::Grammar> {
    let templates = session.engine().templates();
    let body = templates.get(&format!("{}/body.tera", form.key))?;
    let wording = templates.get("common/wording.tera").unwrap_or("");
    Some(grammar::Grammar::compile(form, body, wording))
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
