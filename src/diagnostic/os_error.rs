//! 操作系统错误的中文说明：把 `std::io::Error` 换成财务人员看得懂的话和可以照做的提示。
//!
//! The operating system words its errors in English ("Is a directory (os error 21)"); a clerk
//! reads Chinese. Every message names the path it concerns, so callers pass it in.

use std::io::{Error, ErrorKind};
use std::path::Path;

/// What went wrong, in Chinese, without the path (callers put the path where it reads best).
pub fn reason(e: &Error) -> String {
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
    let p = path.display();
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
