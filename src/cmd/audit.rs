//! `juesuan audit`：核对已发布的部门决算 PDF（公开表的加总与互相勾稽）。

use std::path::Path;

/// What `audit` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// 文字
    Text,
    /// JSON
    Json,
    /// 每页读出的文字（逐行，供与 pdftotext 对照）
    #[value(hide = true)]
    Lines,
}

pub fn run(file: &Path, format: AuditFormat) -> i32 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：无法读取 {}：{}", file.display(), super::os_error::reason(&e));
            return 1;
        }
    };
    let doc = match crate::audit::pdf::read(&bytes) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("错误：{}：{e}。", file.display());
            return 1;
        }
    };
    match format {
        AuditFormat::Lines => {
            for p in &doc.pages {
                let all = 0..p.glyphs.len();
                for l in crate::audit::layout::lines(&p.glyphs, all) {
                    println!("{}", l.text);
                }
                println!("\u{c}");
            }
            0
        }
        _ => 0,
    }
}
