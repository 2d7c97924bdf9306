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
    /// 每页找到的表格（逐格）
    #[value(hide = true)]
    Grids,
    /// 交给公开表读入的工作表（逐格）
    #[value(hide = true)]
    Sheets,
}

pub fn run(file: &Path, form: Option<String>, format: AuditFormat) -> i32 {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!(
                "错误：无法读取 {}：{}",
                file.display(),
                super::os_error::reason(&e)
            );
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
        AuditFormat::Grids => {
            for p in &doc.pages {
                for t in crate::audit::tables::find_tables(p) {
                    println!(
                        "== 第 {} 页 {}×{} 合并 {:?}",
                        p.number,
                        t.rows(),
                        t.cols(),
                        t.merged
                    );
                    for row in &t.cells {
                        let cells: Vec<&str> =
                            row.iter().map(|c| c.as_deref().unwrap_or("·")).collect();
                        println!("{}", cells.join(" | "));
                    }
                }
            }
            0
        }
        AuditFormat::Sheets => {
            for s in crate::audit::grids::sheets(&doc).sheets {
                println!(
                    "== {} {:?} 第 {:?} 页 合并 {:?}",
                    s.name, s.title, s.pages, s.merged
                );
                for row in &s.cells {
                    println!("{}", row.join(" | "));
                }
            }
            0
        }
        AuditFormat::Text | AuditFormat::Json => {
            let name = file.display().to_string();
            let options = crate::audit::Options { form };
            let audit = match crate::audit::audit(&name, &bytes, &options) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("错误：{name}：{e}。");
                    return 1;
                }
            };
            if format == AuditFormat::Json {
                println!("{}", audit.json());
            } else {
                print!("{}", audit.text());
            }
            if audit.findings.is_empty() { 0 } else { 1 }
        }
    }
}
