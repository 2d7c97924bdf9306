//! `juesuan check` 与 `juesuan figures`。

use std::path::Path;

use super::report::{self, MessageFormat};

pub fn run(file: &Path, strict: bool, format: MessageFormat) -> i32 {
    let checked = crate::check_file(file);
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
pub fn figures(file: &Path, json: bool) -> i32 {
    let checked = crate::check_file(file);
    let d = &checked.diagnostics;
    let Some(bureau) = checked.bureau.as_ref().filter(|_| !d.has_errors()) else {
        eprint!("{}", report::human(d, &checked.source));
        eprintln!("{}：{}", file.display(), d.summary());
        return 1;
    };
    let f = match crate::render::prepare(bureau, &Default::default()) {
        Ok((_, f)) => f,
        Err(e) => {
            eprint!("{}", report::human(&e, &checked.source));
            return 1;
        }
    };
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
