//! Excel 工作簿输入：与 TOML 等价的另一种写法。
//!
//! A workbook is read into the same raw records as a TOML file (through TOML text that remembers
//! each value's cell), so validation, figures and output are identical and every diagnostic names
//! `工作表!B7`. `convert` goes both ways; `init --xlsx` writes a blank template.
//!
//! A workbook is recognised by content (`open`): .xlsx/.xlsm, .xls and .ods are read through
//! calamine, everything else is refused with what it is. Nothing a file claims is allocated
//! before it is measured against `limits` (zip parts inflated into a sink, .xls records
//! and .ods repeats pre-scanned, .xlsx cells streamed sparsely), so no workbook can abort or
//! exhaust the process.

pub(crate) mod cells;
pub mod limits;
pub(crate) mod numbers;
mod ods_scan;
pub mod open;
pub(crate) mod read;
pub mod schema;
mod write;
mod xls_scan;
mod xlsx_scan;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{self, Loaded, SourceFile};

/// Rule codes of the workbook reader (registered in `diagnostic::registry`).
pub mod codes {
    pub use crate::diagnostic::codes::{
        CELL_TYPE, FORMULA, HEADER, HIDDEN_ROWS, MERGED_AMOUNT, REFERENCE, REQUIRED, SHEET_MISSING,
        TEMPLATE_VERSION, TEXT_NUMBER, WORKBOOK_LIMIT as LIMIT, WORKBOOK_UNREADABLE as UNREADABLE,
    };
}

pub use read::{TEMPLATE_VERSION, VERSION_LABEL, a1, toml_string};

/// Whether a path names a workbook juesuan writes (by its extension, for `convert`'s target).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Extensions of files a clerk may hand us as a workbook; content decides how they are read.
const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "et", "xlsb"];

pub(crate) fn has_workbook_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        WORKBOOK_EXTENSIONS
            .iter()
            .any(|w| e.eq_ignore_ascii_case(w))
    })
}

/// Whether a file is a workbook by its content (zip or CFB), or by its extension when it cannot
/// be read.
pub fn is_workbook_file(path: &Path) -> bool {
    // A named pipe is never opened (that would wait for a writer); its reader refuses it.
    if input::source::special_file(path).is_some() {
        return has_workbook_extension(path);
    }
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let head = &head[..n];
    head.starts_with(b"PK")
        || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || (n == 0 && has_workbook_extension(path))
}

/// An I/O error in Chinese, with the path (the OS wording is English or unhelpful).
pub(crate) fn io_error(name: &str, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let (what, hint) = match e.kind() {
        ErrorKind::NotFound => ("文件不存在", "检查文件路径和文件名是否正确。"),
        ErrorKind::PermissionDenied => (
            "没有读取权限",
            "检查文件权限；文件在 Excel/WPS 中打开时，先关闭再运行。",
        ),
        ErrorKind::IsADirectory => ("这是一个文件夹，不是文件", "指定文件夹中的输入文件。"),
        ErrorKind::InvalidData => ("不是 UTF-8 编码的文本", "TOML 文件须以 UTF-8 编码保存。"),
        _ => (
            "读取失败",
            "检查文件是否存在、是否被其他程序占用，或复制到本地磁盘后再运行。",
        ),
    };
    let code = e
        .raw_os_error()
        .map(|c| format!("（系统错误码 {c}）"))
        .unwrap_or_default();
    Diagnostic::of(
        input::codes::UNREADABLE,
        format!("无法读取输入文件 {name}：{what}{code}"),
    )
    .hint(hint)
}

pub(crate) fn unread(name: &str, diagnostics: Diagnostics) -> Loaded {
    Loaded {
        source: SourceFile::new(name, String::new()),
        raw: None,
        diagnostics,
    }
}

/// What a workbook's bytes are, by content: a workbook `Format`, or the findings that say why they
/// cannot be read. Nothing reachable from here panics or
/// allocates beyond `limits`.
pub fn sniff(name: &str, bytes: &[u8]) -> Result<open::Format, Diagnostics> {
    match open::sniff(name, bytes) {
        open::Content::Workbook(format) => Ok(format),
        open::Content::Text => Err(Diagnostic::of(
            codes::UNREADABLE,
            format!("{name} 是文本文件，不是工作簿（.xlsx、.xlsm、.xls、.ods）"),
        )
        .hint("TOML 输入请以 .toml 为扩展名；工作簿用 juesuan init --xlsx 生成模板填写。")
        .into()),
        open::Content::Refused {
            code,
            message,
            hint,
        } => Err(Diagnostic::of(code, message).hint(hint).into()),
    }
}

/// Reads juesuan's template workbook (any format `sniff` accepted) into raw records, as
/// `input::parse_toml` does for TOML. A 公开表 workbook is told apart one step up (`crate::load`).
pub fn read_template(name: &str, format: open::Format, bytes: &[u8]) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    match read::read(name, format, bytes, &mut diagnostics) {
        Some((text, cells, slots)) => {
            let mut loaded =
                input::parse_toml(SourceFile::from_workbook(name, text, cells).with_slots(slots));
            diagnostics.extend(loaded.diagnostics);
            loaded.diagnostics = diagnostics;
            loaded
        }
        None => unread(name, diagnostics),
    }
}

/// A workbook holding the facts of TOML text (for `convert 输入.toml 工作簿.xlsx`).
pub fn from_toml(name: &str, text: &str) -> Result<Vec<u8>, Diagnostics> {
    from_toml_with(name, text, crate::form::Forms::builtin())
}

/// [`from_toml`] with the forms of a `--templates` folder: the input's form may add a sheet of
/// its own facts (`[extra]`, see [`crate::form::facts`]).
pub fn from_toml_with(
    name: &str,
    text: &str,
    forms: &crate::form::Forms,
) -> Result<Vec<u8>, Diagnostics> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Diagnostics::from(
            Diagnostic::of(
                input::codes::SYNTAX,
                format!("{name} 不是有效的 TOML：{}", e.message().trim()),
            )
            .hint("先用 juesuan check 改正输入文件。"),
        )
    })?;
    let form_key = table
        .get("bureau")
        .and_then(|b| b.get("form"))
        .and_then(|f| f.as_str())
        .unwrap_or(crate::model::DEFAULT_FORM);
    write::workbook(Some(&table), forms.get(form_key.trim()).map(|f| &**f)).map_err(xlsx_error)
}

/// A blank template workbook (for `init --xlsx`).
pub fn template() -> Result<Vec<u8>, Diagnostics> {
    write::workbook(None, None).map_err(xlsx_error)
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Diagnostics {
    Diagnostic::of(
        codes::UNREADABLE,
        format!("无法生成工作簿（内部错误：{e}）"),
    )
    .hint("这是 juesuan 的缺陷，请把输入文件和这条消息报告给维护者。")
    .into()
}
