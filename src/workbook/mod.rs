//! Excel 工作簿输入：与 TOML 等价的另一种写法。
//!
//! A workbook is read into the same raw records as a TOML file (through TOML text that remembers
//! each value's cell), so validation, figures and output are identical and every diagnostic names
//! `工作表!B7`. `convert` goes both ways; `init --xlsx` writes a blank template.

mod read;
pub mod schema;
mod write;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{self, Loaded, SourceFile};

/// Rule codes of the workbook reader (registered in `diagnostic::registry`).
pub mod codes {
    pub use crate::diagnostic::codes::{
        CELL_TYPE, FORMULA, HEADER, REFERENCE, REQUIRED, SHEET_MISSING,
        WORKBOOK_UNREADABLE as UNREADABLE,
    };
}

/// Whether a path names a workbook (by its extension).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Reads a workbook file into raw records, as `input::load_toml` does for TOML.
pub fn load(path: &Path) -> Loaded {
    let name = path.display().to_string();
    let mut diagnostics = Diagnostics::default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    input::codes::UNREADABLE,
                    format!("无法读取输入文件 {name}：{e}"),
                )
                .hint("检查文件路径是否正确。"),
            );
            return Loaded {
                source: SourceFile::new(name, String::new()),
                raw: None,
                diagnostics,
            };
        }
    };
    load_bytes(&name, &bytes)
}

/// Reads workbook bytes (tests use this).
pub fn load_bytes(name: &str, bytes: &[u8]) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    match read::read(name, bytes, &mut diagnostics) {
        Some((text, cells)) => {
            let mut loaded = input::parse_toml(SourceFile::from_workbook(name, text, cells));
            diagnostics.extend(loaded.diagnostics);
            loaded.diagnostics = diagnostics;
            loaded
        }
        None => Loaded {
            source: SourceFile::new(name, String::new()),
            raw: None,
            diagnostics,
        },
    }
}

/// The TOML text a workbook reads as (for `convert 工作簿.xlsx 输入.toml`).
pub fn to_toml(path: &Path) -> Result<String, Diagnostics> {
    let loaded = load(path);
    if loaded.diagnostics.has_errors() {
        return Err(loaded.diagnostics);
    }
    Ok(format!(
        "# 由 juesuan convert 从 {} 转换而来。\n{}",
        path.display(),
        loaded.source.text
    ))
}

/// A workbook holding the facts of TOML text (for `convert 输入.toml 工作簿.xlsx`).
pub fn from_toml(name: &str, text: &str) -> Result<Vec<u8>, Diagnostics> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Diagnostics::from(
            Diagnostic::error(
                input::codes::SYNTAX,
                format!("{name} 不是有效的 TOML：{}", e.message().trim()),
            )
            .hint("先用 juesuan check 改正输入文件。"),
        )
    })?;
    write::workbook(Some(&table)).map_err(xlsx_error)
}

/// A blank template workbook (for `init --xlsx`).
pub fn template() -> Result<Vec<u8>, Diagnostics> {
    write::workbook(None).map_err(xlsx_error)
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Diagnostics {
    Diagnostic::error(codes::UNREADABLE, format!("无法生成工作簿：{e}")).into()
}
