//! Helpers shared by the integration tests.

#![allow(dead_code)]

pub mod book;

use std::path::{Path, PathBuf};

use juesuan::render::fonts::FontOptions;
use juesuan::render::{self, Format, RenderOptions, Timings};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Bundled fonts only, so the PDF is the same on every machine.
pub fn bundled() -> RenderOptions {
    RenderOptions {
        templates: None,
        fonts: FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        },
        attachment: None,
    }
}

/// Runs the `juesuan` binary in the repository's root: (exit code, stdout, stderr).
pub fn juesuan(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run juesuan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Builds a clean input (with the built-in forms) to one format; a render error as its text.
pub fn build(input: &Path, format: Format, options: &RenderOptions) -> Result<Vec<u8>, String> {
    let checked = juesuan::check_file(input);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let bureau = checked.bureau.unwrap();
    render::build(&bureau, &[format], options, &mut Timings::default())
        .map(|mut a| a.remove(0).bytes)
        .map_err(|d| {
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// The Markdown of one table: from its bold title to the next table or part.
pub fn table<'a>(md: &'a str, title: &str) -> &'a str {
    let start = md
        .find(&format!("**{title}**"))
        .unwrap_or_else(|| panic!("no table {title}"));
    let rest = &md[start + 2..];
    let end = rest
        .find("\n**")
        .into_iter()
        .chain(rest.find("\n## "))
        .min()
        .unwrap_or(rest.len());
    &md[start..start + 2 + end]
}
