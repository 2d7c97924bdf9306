//! TOML input: check the text as `juesuan check` does, render the diagnostics as the CLI prints
//! them, and compute every figure when it has no errors (as `juesuan figures` does). Not the
//! Typst render: too slow to fuzz.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let checked = juesuan::check_text("fuzz.toml", text);
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
