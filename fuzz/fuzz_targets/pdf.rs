//! A published PDF: audit the bytes as `juesuan audit` does (read the PDF, recognise and import
//! its 公开表, check them and the 说明), then write every report format.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(audit) = juesuan::audit::audit("fuzz.pdf", data, &Default::default()) {
        let _ = audit.text();
        let _ = audit.json();
        let _ = juesuan::audit::report::html(std::slice::from_ref(&audit));
        let _ = juesuan::audit::report::report_xlsx(&audit);
    }
});
