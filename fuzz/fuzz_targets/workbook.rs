//! Workbook input: read the bytes as an .xlsx workbook, check it, render the diagnostics, and
//! compute every figure when it has no errors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = juesuan::load::bytes("fuzz.xlsx", data);
    let checked = juesuan::check_loaded(loaded);
    let _ = juesuan::report::human(&checked.diagnostics, &checked.source);
    let _ = juesuan::report::json(&checked.diagnostics);
    if let Some(bureau) = checked
        .bureau
        .as_ref()
        .filter(|_| !checked.diagnostics.has_errors())
    {
        let _ = juesuan::render::prepare(bureau, &Default::default());
    }
});
