//! 操作系统错误的中文说明：把 `std::io::Error` 换成财务人员看得懂的话和可以照做的提示；
//! 路径按本机的写法显示（Windows 上用 \）。
//!
//! The operating system words its errors in English ("Is a directory (os error 21)"); a clerk
//! reads Chinese. Every message names the path it concerns, so callers pass it in.

use std::io::{Error, ErrorKind};
use std::path::Path;

/// A path as the clerk's system writes it. On Windows, `-o out/pdf` joined with a file name is
/// `out/pdf\x.pdf`: every `/` is shown as `\`, and the `\\?\` prefix of a long or canonical
/// path is left out. Elsewhere the path is shown as it is. For messages only, never to open a file.
pub fn shown(path: &Path) -> String {
    shown_as(&path.display().to_string(), cfg!(windows))
}

fn shown_as(text: &str, windows: bool) -> String {
    if !windows {
        return text.to_string();
    }
    let text = match text.strip_prefix(r"\\?\UNC\") {
        Some(share) => format!(r"\\{share}"),
        None => text.strip_prefix(r"\\?\").unwrap_or(text).to_string(),
    };
    text.replace('/', "\\")
}

/// The Windows error code of `e` (`None` elsewhere: there the same numbers mean other things).
fn windows_code(e: &Error) -> Option<i32> {
    if cfg!(windows) {
        e.raw_os_error()
    } else {
        None
    }
}

/// ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_USER_MAPPED_FILE: another program (Excel,
/// WPS, a PDF viewer) has the file open, and Windows lets nobody replace or delete it meanwhile.
fn held_open(code: i32) -> bool {
    matches!(code, 32 | 33 | 1224)
}

/// Windows' own error codes, worded for a clerk (the standard library gives most of them no kind).
fn windows_reason(code: i32) -> Option<&'static str> {
    match code {
        c if held_open(c) => Some("文件正被其他程序打开（如 Excel、WPS 或 PDF 阅读器），不能改写"),
        // ERROR_ACCESS_DENIED: also what replacing a file another program holds open may give.
        5 => Some("没有访问权限，或文件正被其他程序打开"),
        // ERROR_INVALID_NAME, ERROR_BAD_PATHNAME: a name with : * ? " < > | in it.
        123 | 161 => Some("文件名或路径中有 Windows 不允许的字符（\\ / : * ? \" < > |）"),
        // ERROR_FILENAME_EXCED_RANGE
        206 => Some("文件名或路径过长"),
        _ => None,
    }
}

/// What went wrong, in Chinese, without the path (callers put the path where it reads best).
pub fn reason(e: &Error) -> String {
    if let Some(text) = windows_code(e).and_then(windows_reason) {
        return text.to_string();
    }
    let text = match e.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在",
        ErrorKind::PermissionDenied => "没有访问权限",
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件",
        ErrorKind::NotADirectory => "路径中有一段是文件，不是文件夹",
        ErrorKind::AlreadyExists => "已存在同名的文件或文件夹",
        ErrorKind::ReadOnlyFilesystem => "所在磁盘是只读的",
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "磁盘空间不足",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::InvalidData => "内容不是 UTF-8 编码的文字",
        ErrorKind::FileTooLarge => "文件过大",
        ErrorKind::CrossesDevices => "不能跨磁盘移动文件",
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => "文件正被其他程序占用",
        ErrorKind::Interrupted => "操作被中断",
        _ => return format!("系统错误（{e}）"),
    };
    text.to_string()
}

/// What a clerk can do about it.
pub fn hint(e: &Error, path: &Path) -> String {
    let p = shown(path);
    if windows_code(e).is_some_and(held_open) {
        return format!(
            "关闭正在使用 {p} 的程序（Excel、WPS、PDF 阅读器……）后重试；关闭后仍不行，可以用 -o 另选一个输出文件夹。"
        );
    }
    match e.kind() {
        ErrorKind::NotFound => format!("检查路径 {p} 是否写对（可先用 dir 或 ls 查看该文件夹）。"),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            format!(
                "换一个有写入权限的位置，或请管理员开放 {p} 的权限；文件在 Excel/WPS 中打开着也会这样，先关闭它。"
            )
        }
        ErrorKind::IsADirectory => {
            format!("{p} 是文件夹：请给出其中的文件，或删除/改名这个同名文件夹。")
        }
        ErrorKind::NotADirectory => format!("{p} 的上级中有同名文件挡住了文件夹，换一个输出目录。"),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "清理磁盘空间后重试。".to_string(),
        ErrorKind::InvalidData => "在 Excel 或记事本中“另存为”UTF-8 编码后重试。".to_string(),
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => {
            "关闭正在使用该文件的程序（如 PDF 阅读器、Excel/WPS）后重试。".to_string()
        }
        _ => format!("检查 {p} 是否可以访问，然后重试。"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_are_shown_with_backslashes_and_without_the_long_path_prefix() {
        assert_eq!(
            shown_as(r"out/pdf\ebian-xinfang-2023.pdf", true),
            r"out\pdf\ebian-xinfang-2023.pdf"
        );
        assert_eq!(
            shown_as(r"\\?\D:\财务 科\决算.pdf", true),
            r"D:\财务 科\决算.pdf"
        );
        assert_eq!(
            shown_as(r"\\?\UNC\server\share\a.pdf", true),
            r"\\server\share\a.pdf"
        );
        assert_eq!(shown_as("out/pdf/a.pdf", false), "out/pdf/a.pdf");
    }

    #[test]
    fn a_file_another_program_holds_is_said_in_chinese() {
        assert!(windows_reason(32).unwrap().contains("其他程序打开"));
        assert!(windows_reason(33).unwrap().contains("其他程序打开"));
        assert!(windows_reason(206).unwrap().contains("过长"));
        assert_eq!(windows_reason(2), None);
        // On Linux 32 is EPIPE: not a Windows code there.
        if !cfg!(windows) {
            let pipe = Error::from_raw_os_error(32);
            assert_eq!(windows_code(&pipe), None);
            assert!(!hint(&pipe, Path::new("a.pdf")).contains("关闭正在使用"));
        }
    }
}
