//! `juesuan init`：写出带注释的示例输入文件、空白工作簿模板，或导出内置模板供修改。

use std::path::Path;

use crate::render::templates::TemplateSet;

/// The commented example: seed 000's bureau, 峨边彝族自治县信访局 2023.
pub const EXAMPLE: &str = include_str!("../../data/ebian-xinfang-2023.toml");

pub fn run(path: &Path, templates: Option<&Path>) -> i32 {
    if let Some(dir) = templates {
        return match TemplateSet::eject(dir) {
            Ok(written) => {
                for p in &written {
                    eprintln!("已导出 {}", p.display());
                }
                if written.is_empty() {
                    eprintln!("{} 中已有全部模板，未覆盖。", dir.display());
                }
                eprintln!(
                    "修改后用 `juesuan build 输入文件 --templates {}` 生成。",
                    dir.display()
                );
                0
            }
            Err(e) => {
                eprintln!("导出模板失败：{e}");
                1
            }
        };
    }
    if path.exists() {
        eprintln!(
            "{} 已存在，未覆盖。换一个文件名：juesuan init 新文件.toml",
            path.display()
        );
        return 1;
    }
    match std::fs::write(path, EXAMPLE) {
        Ok(()) => {
            eprintln!(
                "已生成示例 {}（峨边彝族自治县信访局 2023 年度）。改成本单位数据后运行：",
                path.display()
            );
            eprintln!("  juesuan check {}", path.display());
            eprintln!("  juesuan build {}", path.display());
            0
        }
        Err(e) => {
            eprintln!("写出 {} 失败：{e}", path.display());
            1
        }
    }
}

/// `juesuan init --xlsx 文件`: a blank template workbook.
pub fn workbook(path: &Path) -> i32 {
    if path.exists() {
        eprintln!("{} 已存在，未覆盖。", path.display());
        return 1;
    }
    let bytes = match crate::workbook::template() {
        Ok(b) => b,
        Err(d) => {
            eprintln!(
                "{}",
                d.iter()
                    .map(|d| d.message.clone())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
            return 1;
        }
    };
    match std::fs::write(path, bytes) {
        Ok(()) => {
            eprintln!(
                "已生成空白模板 {}：先看“说明”页，再逐表填写。填好后运行：",
                path.display()
            );
            eprintln!("  juesuan check {}", path.display());
            eprintln!("  juesuan build {}", path.display());
            0
        }
        Err(e) => {
            eprintln!("写出 {} 失败：{e}", path.display());
            1
        }
    }
}
