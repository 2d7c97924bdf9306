//! 输入：读取 TOML 文件，得到带位置的原始记录。
//!
//! Parsing is the only step that may stop early (a syntax error leaves nothing to check); unknown
//! keys are all collected, each with its position, so a typo is never silently ignored.

pub mod raw;
pub mod source;

use std::path::Path;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Diagnostics};
pub use raw::RawBureau;
pub use source::SourceFile;

/// Rule codes of the input layer (registered in `diagnostic::registry`).
pub mod codes {
    pub use crate::diagnostic::codes::{
        AMOUNT, INPUT_UNREADABLE as UNREADABLE, SYNTAX, UNKNOWN_KEY, VALUE,
    };
}

/// A parsed input: its source text (for positions) and the raw records, if the file parsed.
pub struct Loaded {
    pub source: SourceFile,
    pub raw: Option<RawBureau>,
    pub diagnostics: Diagnostics,
}

/// The largest TOML input read, in bytes: 5 MB. The biggest real input (a department with
/// hundreds of 科目 and projects) is under 100 KB; a larger file is a mistake (a wrong file, an
/// export gone astray) and would only make the build run away. Checked before reading, and the
/// read itself is bounded, so a file that grows meanwhile cannot get past it.
pub const MAX_TOML_BYTES: u64 = 5 * 1024 * 1024;

/// Reads and parses one TOML input file.
pub fn load_toml(path: &Path) -> Loaded {
    use std::io::Read;

    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(
            codes::UNREADABLE,
            format!(
                "无法读取输入文件 {name}：{}",
                crate::cmd::os_error::reason(&e)
            ),
        )
        .hint(crate::cmd::os_error::hint(&e, path))
    };
    let too_large = |size: u64| {
        Diagnostic::error(
            crate::diagnostic::codes::INPUT_TOO_LARGE,
            format!(
                "输入文件 {name} 超过大小上限：{} 大于 {} MB",
                size_text(size),
                MAX_TOML_BYTES / 1024 / 1024
            ),
        )
        .hint("一个单位一年的决算数据通常不到 100 KB：检查是否选错了文件，或文件中是否粘贴了大量无关内容。")
    };
    let read = std::fs::File::open(path).and_then(|file| {
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
        }
        if meta.len() > MAX_TOML_BYTES {
            return Ok(Err(meta.len()));
        }
        let mut bytes = Vec::new();
        file.take(MAX_TOML_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_TOML_BYTES {
            return Ok(Err(bytes.len() as u64));
        }
        Ok(Ok(bytes))
    });
    let failure = match read {
        Ok(Ok(bytes)) => match String::from_utf8(bytes) {
            Ok(text) => return parse_toml(SourceFile::new(name, text)),
            Err(e) => {
                let at = e.utf8_error().valid_up_to() + 1;
                Diagnostic::error(
                    codes::UNREADABLE,
                    format!("输入文件 {name} 不是 UTF-8 编码的文字（第 {at} 个字节起无法识别）"),
                )
                .hint("用记事本或 WPS 打开后“另存为”，编码选 UTF-8；若这是 Excel 工作簿，文件名应以 .xlsx 结尾。")
            }
        },
        Ok(Err(size)) => too_large(size),
        Err(e) => unreadable(e),
    };
    Loaded {
        source: SourceFile::new(name, String::new()),
        raw: None,
        diagnostics: Diagnostics::from(failure),
    }
}

/// A byte count as a clerk reads it (`5.2 MB`, `812 KB`).
fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Parses TOML text that is already in memory.
pub fn parse_toml(source: SourceFile) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    let table = match DeTable::parse(&source.text) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.push(toml_error(&source, &e));
            return Loaded {
                source,
                raw: None,
                diagnostics,
            };
        }
    };
    let mut unknown = Vec::new();
    let de = toml::de::Deserializer::from(table.clone());
    let raw = match serde_ignored::deserialize(de, |path| unknown.push(path.to_string())) {
        Ok(raw) => Some(raw),
        Err(e) => {
            diagnostics.push(toml_error(&source, &e));
            None
        }
    };
    for path in unknown {
        let span = find_key(table.get_ref(), &path).unwrap_or(0..0);
        diagnostics.push(
            Diagnostic::error(codes::UNKNOWN_KEY, format!("未知字段 `{path}`"))
                .at(&source.location(span))
                .hint("检查拼写；可用字段见 `juesuan init` 生成的示例文件。"),
        );
    }
    Loaded {
        source,
        raw,
        diagnostics,
    }
}

fn toml_error(source: &SourceFile, e: &toml::de::Error) -> Diagnostic {
    let d = Diagnostic::error(
        codes::SYNTAX,
        format!("TOML 格式错误：{}", e.message().trim()),
    )
    .hint("按 TOML 语法改正此处；金额写数字，文字加英文双引号。");
    match e.span() {
        Some(span) => d.at(&source.location(span)),
        None => d,
    }
}

/// The span of a key given as a dotted path with `[index]` for array elements
/// (as `serde_ignored` reports it, e.g. `general_budget.items.0.nmae`).
fn find_key(root: &DeTable<'_>, path: &str) -> Option<std::ops::Range<usize>> {
    let mut table = root;
    let mut segments = path.split('.').peekable();
    while let Some(seg) = segments.next() {
        let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == seg)?;
        if segments.peek().is_none() {
            return Some(key.span());
        }
        let mut value = value.get_ref();
        while let DeValue::Array(items) = value {
            let index: usize = segments.next()?.parse().ok()?;
            value = items.get(index)?.get_ref();
        }
        match value {
            DeValue::Table(t) => table = t,
            _ => return Some(key.span()),
        }
    }
    None
}

/// Deserializes a standalone value type from TOML (used by embedded data files).
pub fn from_embedded<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> T {
    toml::from_str(text).unwrap_or_else(|e| panic!("内置数据文件 {name} 有误：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_all_reported_with_positions() {
        let text = "[bureau]\nname = \"x\"\nyear = 2023\nnmae = 1\n[income]\ngenral = 1\n";
        let loaded = parse_toml(SourceFile::new("t.toml", text.to_string()));
        let lines: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("t.toml:4:1: 错误[E003] 未知字段 `bureau.nmae`"));
        assert!(lines[1].starts_with("t.toml:6:1: 错误[E003] 未知字段 `income.genral`"));
    }
}
