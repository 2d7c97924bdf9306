//! `juesuan check` 与 `juesuan figures`。

use std::path::Path;

use super::report::{self, MessageFormat};
use crate::diagnostic::Diagnostics;
use crate::render::RenderOptions;
use crate::session::Session;

/// The session of a command that reads inputs and computes figures but writes no PDF: the
/// built-in forms and those the `--templates` folder adds, default fonts.
pub fn session(templates: Option<&Path>) -> Result<Session, Diagnostics> {
    Session::new(&RenderOptions {
        templates: templates.map(Path::to_path_buf),
        ..Default::default()
    })
}

/// Why `--previous` could not serve, as text: its input's own diagnostics, or E001 naming the
/// file or folder that could not be used.
pub(super) fn previous_failure(f: &crate::previous::Failure) -> String {
    match f {
        crate::previous::Failure::Message(m) => report::plain(
            crate::diagnostic::codes::INPUT_UNREADABLE,
            m.trim_end_matches('。').to_string(),
            "检查 --previous 后的路径：给出上年的输入文件，或存放各单位上年输入的文件夹。",
        ),
        invalid => invalid.report(),
    }
}

/// A `--templates` folder that cannot be used: its diagnostics, and exit code 1.
pub(super) fn unusable(e: &Diagnostics, file: &Path) -> i32 {
    let source = crate::input::SourceFile::new(file.display().to_string(), String::new());
    eprint!("{}", report::human(e, &source));
    eprintln!("{}：模板目录有误，未作任何处理。", file.display());
    1
}

pub fn run(
    file: &Path,
    templates: Option<&Path>,
    strict: bool,
    format: MessageFormat,
    previous: Option<&Path>,
) -> i32 {
    let session = match session(templates) {
        Ok(s) => s,
        Err(e) => return unusable(&e, file),
    };
    let checked = match crate::previous::check_file_opt(file, previous, &session) {
        Ok((c, _)) => c,
        Err(f) => {
            eprint!("{}", previous_failure(&f));
            return 1;
        }
    };
    let d = &checked.diagnostics;
    match format {
        MessageFormat::Human => {
            eprint!("{}", report::human(d, &checked.source));
            eprintln!("{}：{}", file.display(), d.summary());
        }
        MessageFormat::Json => println!("{}", report::json(d)),
    }
    if d.blocks(strict) { 1 } else { 0 }
}

/// Prints every computed figure with its formula and inputs.
pub fn figures(file: &Path, templates: Option<&Path>, json: bool, previous: Option<&Path>) -> i32 {
    let session = match session(templates) {
        Ok(s) => s,
        Err(e) => return unusable(&e, file),
    };
    let (checked, filled) = match crate::previous::check_file_opt(file, previous, &session) {
        Ok(c) => c,
        Err(f) => {
            eprint!("{}", previous_failure(&f));
            return 1;
        }
    };
    let d = &checked.diagnostics;
    let Some(bureau) = checked.bureau.as_ref().filter(|_| !d.has_errors()) else {
        eprint!("{}", report::human(d, &checked.source));
        eprintln!("{}：{}", file.display(), d.summary());
        return 1;
    };
    let mut f = match session.figures(bureau) {
        Ok(f) => f,
        Err(e) => {
            eprint!("{}", report::human(&e, &checked.source));
            return 1;
        }
    };
    // The prior-year figures taken from last year's input, with last year's formula and places.
    f.ledger.0.extend(filled.iter().map(|x| x.record()));
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&f.ledger).unwrap_or_default()
        );
    } else {
        for r in &f.ledger.0 {
            println!("{} = {}    [{}]", r.id, r.value, r.formula);
            for i in &r.inputs {
                println!("    {} {}  ← {}", i.label, i.value, i.source);
            }
        }
    }
    0
}
