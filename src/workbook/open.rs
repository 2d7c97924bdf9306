//! 认出工作簿：按内容（不看扩展名）判断是 .xlsx/.xlsm、.xls、.ods，还是别的文件；先查大小，再交给 calamine。
//!
//! A 10 KB file can claim a cell at XFD1048576, and a 100 KB zip can inflate to gigabytes, so
//! every limit here is checked on what the file *is* before calamine allocates anything for it:
//! the zip's parts are inflated once into a sink, counting bytes, and refused past the limit
//! (the declared sizes in a zip can lie). The per-sheet limits (rows, columns, cells) are applied
//! while the cells stream in (`read.rs`).

use std::io::{BufReader, Cursor, Read};

use super::limits;
use super::xlsx_scan;
use crate::diagnostic::{Code, codes};

/// The spreadsheet formats calamine reads for us.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML: .xlsx, or .xlsm with macros (never run).
    Xlsx,
    /// The binary Excel 97–2003 workbook (a CFB file).
    Xls,
    /// OpenDocument spreadsheet (WPS, LibreOffice).
    Ods,
}

/// What a file's bytes are.
#[derive(Debug, PartialEq, Eq)]
pub enum Content {
    Workbook(Format),
    /// Valid UTF-8 text (a TOML input, or a mistake the TOML parser will name).
    Text,
    /// A file juesuan does not read: the code (X001 unreadable, X008 beyond a limit), the
    /// message and the hint a clerk can act on.
    Refused {
        code: Code,
        message: String,
        hint: &'static str,
    },
}

const ZIP: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP: &[u8] = b"PK\x05\x06";
const CFB: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub const SAVE_AS_XLSX: &str = "在 Excel 或 WPS 中打开，另存为“Excel 工作簿（*.xlsx）”后再运行；或用 juesuan init --xlsx 生成模板填写。";

/// Names the format of `bytes` (of the file `name`) by content, checking a zip's parts against
/// the limits on the way.
pub fn sniff(name: &str, bytes: &[u8]) -> Content {
    if bytes.len() > limits::FILE_BYTES {
        return Content::Refused {
            code: codes::WORKBOOK_LIMIT,
            message: format!(
                "{name} 有 {} MB，超过工作簿大小上限 {} MB",
                bytes.len() / (1024 * 1024),
                limits::FILE_BYTES / (1024 * 1024)
            ),
            hint: "一个单位一年的决算数据不会这么大：检查是否选错了文件，或删去无关的工作表、图片后另存。",
        };
    }
    if bytes.starts_with(ZIP) || bytes.starts_with(EMPTY_ZIP) {
        return zip_content(name, bytes);
    }
    if bytes.starts_with(CFB) {
        // .xls, an encrypted .xlsx, a WPS .et or a Word .doc: calamine decides (see `read.rs`).
        return Content::Workbook(Format::Xls);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Content::Text;
    }
    Content::Refused {
        code: codes::WORKBOOK_UNREADABLE,
        message: format!("{name} 既不是工作簿（.xlsx、.xlsm、.xls、.ods），也不是 TOML 文本文件"),
        hint: SAVE_AS_XLSX,
    }
}

/// An OOXML or OpenDocument zip: which one, and whether its parts stay within the limits.
fn zip_content(name: &str, bytes: &[u8]) -> Content {
    let refused = |message: String, hint: &'static str| Content::Refused {
        code: codes::WORKBOOK_UNREADABLE,
        message,
        hint,
    };
    let beyond = |message: String, hint: &'static str| Content::Refused {
        code: codes::WORKBOOK_LIMIT,
        message,
        hint,
    };
    let corrupt = || {
        refused(
            format!("{name} 是压缩格式，但已损坏，无法打开"),
            "文件可能没有下载或复制完整：重新获取文件，或在 Excel/WPS 中打开后另存为 .xlsx。",
        )
    };
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return corrupt();
    };
    if zip.len() > limits::PARTS {
        return beyond(
            format!(
                "{name} 内含 {} 个部件，超过上限 {}",
                zip.len(),
                limits::PARTS
            ),
            "这不是正常的工作簿：在 Excel 或 WPS 中另存为 .xlsx 后再运行。",
        );
    }
    let mut names = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut part = match zip.by_index(i) {
            Ok(p) => p,
            Err(zip::result::ZipError::UnsupportedArchive(_)) => {
                return refused(
                    format!("{name} 的部件经过加密或用了不支持的压缩方式，无法读取"),
                    SAVE_AS_XLSX,
                );
            }
            Err(_) => return corrupt(),
        };
        let part_name = part.name().map(|n| n.to_string()).unwrap_or_default();
        // Inflate once, counting: the sizes a zip declares can lie. An XML part streams through
        // the scan of the numbers it declares on the way (see `xlsx_scan`).
        let mut counted = Counted {
            inner: (&mut part).take(limits::PART_BYTES + 1),
            bytes: 0,
            failed: false,
        };
        // Every part that may be XML, whatever its name: calamine finds sheets through the
        // relationships, and a worksheet may be stored under any name.
        let declared = {
            let mut buffered = BufReader::new(&mut counted);
            let scanned = if xlsx_scan::may_be_xml(&mut buffered) {
                xlsx_scan::scan(&part_name, &mut buffered)
            } else {
                Ok(())
            };
            // The rest of the part (after a refusal or malformed XML) is still measured.
            let _ = std::io::copy(&mut buffered, &mut std::io::sink());
            scanned.err()
        };
        if std::io::copy(&mut counted, &mut std::io::sink()).is_err() || counted.failed {
            return corrupt();
        }
        let size = counted.bytes;
        if size > limits::PART_BYTES {
            return beyond(
                format!(
                    "{name} 的部件 {part_name} 解压后超过 {} MB 的上限",
                    limits::PART_BYTES / (1024 * 1024)
                ),
                "这不是正常的工作簿（可能是“压缩炸弹”）：在 Excel 或 WPS 中另存为 .xlsx 后再运行。",
            );
        }
        if let Some(declared) = declared {
            return beyond(
                format!("{name} 的 {}", declared.message),
                "这不是正常的工作簿（所声明的数目不合理）：在 Excel 或 WPS 中打开后另存为 .xlsx，再运行。",
            );
        }
        total = total.saturating_add(size);
        if total > limits::TOTAL_BYTES {
            return beyond(
                format!(
                    "{name} 解压后超过 {} MB 的上限",
                    limits::TOTAL_BYTES / (1024 * 1024)
                ),
                "删去无关的工作表、图片后另存，再运行。",
            );
        }
        names.push(part_name);
    }
    let has = |p: &str| names.iter().any(|n| n.eq_ignore_ascii_case(p));
    let has_prefix = |p: &str| names.iter().any(|n| n.starts_with(p));
    if has("xl/workbook.xml") || (has("[Content_Types].xml") && has_prefix("xl/worksheets/")) {
        return Content::Workbook(Format::Xlsx);
    }
    if has("xl/workbook.bin") {
        return refused(
            format!("{name} 是 Excel 二进制工作簿（.xlsb），juesuan 不读取这种格式"),
            SAVE_AS_XLSX,
        );
    }
    if has("mimetype") {
        let mime = zip
            .by_name("mimetype")
            .ok()
            .and_then(|f| {
                let mut s = String::new();
                f.take(200).read_to_string(&mut s).ok().map(|_| s)
            })
            .unwrap_or_default();
        if mime.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
            return Content::Workbook(Format::Ods);
        }
        return refused(
            format!("{name} 是 OpenDocument 文档，但不是电子表格（.ods）"),
            SAVE_AS_XLSX,
        );
    }
    if has("word/document.xml") {
        return refused(
            format!("{name} 是 Word 文档（.docx），不是工作簿"),
            "决算数据要填在工作簿里：用 juesuan init --xlsx 生成模板，在 Excel 或 WPS 表格中填写。",
        );
    }
    if has_prefix("ppt/") {
        return refused(
            format!("{name} 是 PowerPoint 演示文稿，不是工作簿"),
            "用 juesuan init --xlsx 生成模板，在 Excel 或 WPS 表格中填写。",
        );
    }
    refused(
        format!("{name} 是 zip 压缩包，不是工作簿"),
        "解压后选其中的工作簿；或用 juesuan init --xlsx 生成模板填写。",
    )
}

/// A part being inflated: the bytes read so far, and whether inflating failed (a corrupt part;
/// the XML scan would otherwise take the error for the end of the part).
struct Counted<R> {
    inner: R,
    bytes: u64,
    failed: bool,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.inner.read(buf) {
            Ok(n) => {
                self.bytes += n as u64;
                Ok(n)
            }
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }
}

/// Whether a CFB file holds an encrypted OOXML workbook (a password-protected .xlsx): its
/// directory names the stream `EncryptionInfo` (UTF-16LE).
pub fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let needle: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_garbage_are_told_apart() {
        assert_eq!(sniff("a", b"[bureau]\n"), Content::Text);
        assert!(matches!(
            sniff("a", &[0xFF, 0xFE, 0x00]),
            Content::Refused { .. }
        ));
        assert_eq!(sniff("a", CFB), Content::Workbook(Format::Xls));
        assert!(matches!(
            sniff("a", b"PK\x03\x04junk"),
            Content::Refused { .. }
        ));
    }
}
