//! 读入一个输入，不论哪种写法：TOML、juesuan 的工作簿模板，或 决算软件导出的公开表工作簿。
//!
//! The one place that tells the kinds of input apart, by content rather than extension, above the
//! readers of each kind (`input` for TOML, `workbook` for the template, `import` for 公开表).

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{Loaded, SourceFile};
use crate::workbook;

/// Reads an input file of either kind, deciding by its content: a workbook (.xlsx, .xlsm, .xls,
/// .ods, whatever its extension) or TOML text.
pub fn input(path: &Path) -> Loaded {
    if let Some(d) = crate::input::source::not_a_regular_file(path) {
        return workbook::unread(&path.display().to_string(), d.into());
    }
    // Plain text under a name that is not a workbook's: the TOML reader, with its own size limit
    // and wording. Only what starts like a container (or is named as a workbook) is sniffed here.
    if !workbook::has_workbook_extension(path) && !starts_like_container(path) {
        return crate::input::load_toml(path);
    }
    let name = path.display().to_string();
    let too_big = std::fs::metadata(path)
        .map(|m| m.len() > workbook::limits::FILE_BYTES as u64)
        .unwrap_or(false);
    if too_big {
        return workbook::unread(
            &name,
            Diagnostic::of(
                crate::input::codes::UNREADABLE,
                format!(
                    "{name} 超过输入文件大小上限 {} MB",
                    workbook::limits::FILE_BYTES / (1024 * 1024)
                ),
            )
            .hint("一个单位一年的决算数据不会这么大：检查是否选错了文件。")
            .into(),
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return workbook::unread(&name, workbook::io_error(&name, &e).into()),
    };
    let container = bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    match workbook::open::sniff(&name, &bytes) {
        // Neither a workbook nor text, under a TOML name: a TOML file in another encoding.
        workbook::open::Content::Text | workbook::open::Content::Refused { .. }
            if !workbook::has_workbook_extension(path) && !container =>
        {
            match String::from_utf8(bytes) {
                Ok(text) => crate::input::parse_toml(SourceFile::new(name, text)),
                Err(_) => workbook::unread(
                    &name,
                    workbook::io_error(
                        &name,
                        &std::io::Error::from(std::io::ErrorKind::InvalidData),
                    )
                    .into(),
                ),
            }
        }
        _ => self::bytes(&name, &bytes),
    }
}

/// Whether a file's first bytes are a zip's or a CFB container's (a workbook, whatever its name).
fn starts_like_container(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head.starts_with(b"PK") || head == [0xD0, 0xCF, 0x11, 0xE0])
}

/// Reads a workbook file into raw records, as `input::load_toml` does for TOML.
pub fn workbook(path: &Path) -> Loaded {
    let name = path.display().to_string();
    if let Some(d) = crate::input::source::not_a_regular_file(path) {
        return workbook::unread(&name, d.into());
    }
    match std::fs::read(path) {
        Ok(b) => bytes(&name, &b),
        Err(e) => workbook::unread(&name, workbook::io_error(&name, &e).into()),
    }
}

/// Reads workbook bytes of any format juesuan reads, deciding the format by content: a 公开表
/// workbook (the 决算 software's export, `build --format xlsx`) through `import`, otherwise
/// juesuan's template. Nothing reachable from here panics or allocates beyond the workbook
/// limits (the fuzz target calls it).
pub fn bytes(name: &str, bytes: &[u8]) -> Loaded {
    let format = match workbook::sniff(name, bytes) {
        Ok(format) => format,
        Err(diagnostics) => return workbook::unread(name, diagnostics),
    };
    if let Some(loaded) = crate::import::load_if_tables(name, format, bytes) {
        return loaded;
    }
    workbook::read_template(name, format, bytes)
}

/// The TOML text a workbook reads as (for `convert 工作簿.xlsx 输入.toml`).
pub fn to_toml(path: &Path) -> Result<String, Diagnostics> {
    let loaded = workbook(path);
    if loaded.diagnostics.has_errors() {
        return Err(loaded.diagnostics);
    }
    Ok(format!(
        "# 由 juesuan convert 从 {} 转换而来。\n{}",
        path.display(),
        loaded.source.text
    ))
}
