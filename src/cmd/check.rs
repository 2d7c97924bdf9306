//! `juesuan check` 与 `juesuan figures`。

use std::path::Path;

use super::report::{self, MessageFormat};

pub fn run(file: &Path, strict: bool, format: MessageFormat, previous: Option<&Path>) -> i32 {
    let checked = match crate::previous::check_file_opt(file, previous) {
        Ok((c, _)) => c,
        Err(f) => {
            eprint!("{}", f.report());
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
pub fn figures(file: &Path, json: bool, previous: Option<&Path>) -> i32 {
    let (checked, filled) = match crate::previous::check_file_opt(file, previous) {
        Ok(c) => c,
        Err(f) => {
            eprint!("{}", f.report());
            return 1;
        }
    };
    let d = &checked.diagnostics;
    let Some(bureau) = checked.bureau.as_ref().filter(|_| !d.has_errors()) else {
        eprint!("{}", report::human(d, &checked.source));
        eprintln!("{}：{}", file.display(), d.summary());
        return 1;
    };
    let mut f = match crate::render::prepare(bureau, &Default::default()) {
        Ok((_, f)) => f,
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
