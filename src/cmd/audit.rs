//! `juesuan audit`：核对已发布的部门决算 PDF（公开表的加总与互相勾稽）；给文件夹时逐个核对其中的 PDF。

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::audit::{Audit, Options};

/// What `audit` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// 文字
    Text,
    /// JSON
    Json,
    /// 单个网页（HTML）
    Html,
    /// Excel 工作簿（单个文件时用 -o 给出 .xlsx 文件：概况、差错、逐条结论、提示、未能核对各一张表）
    Xlsx,
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

/// PDFs read from one folder, at most.
const MAX_FILES: usize = 5_000;

pub fn run(
    file: &Path,
    form: Option<String>,
    templates: Option<&Path>,
    format: AuditFormat,
    output: Option<&Path>,
) -> i32 {
    let session = match super::check::session(templates) {
        Ok(s) => s,
        Err(e) => return super::check::unusable(&e, file),
    };
    if file.is_dir() {
        return folder(&session, file, form, format, output);
    }
    if output.is_some() != (format == AuditFormat::Xlsx) {
        eprintln!(
            "错误：审计单个文件时，-o 只与 --format xlsx 同用（给出要写的 .xlsx 文件）；其他格式把输出重定向到文件即可。"
        );
        return 2;
    }
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
    match format {
        AuditFormat::Lines | AuditFormat::Grids | AuditFormat::Sheets => {
            debug(file, &bytes, format)
        }
        AuditFormat::Text | AuditFormat::Json | AuditFormat::Html | AuditFormat::Xlsx => {
            let name = file.display().to_string();
            let audit = match crate::audit::audit_with(&session, &name, &bytes, &Options { form }) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("错误：{name}：{e}。");
                    return 1;
                }
            };
            match format {
                AuditFormat::Xlsx => {
                    let Some(out) = output else { return 2 };
                    let written = crate::audit::report::report_xlsx(&audit)
                        .map_err(|e| e.to_string())
                        .and_then(|bytes| {
                            std::fs::write(out, bytes)
                                .map_err(|e| super::os_error::reason(&e).to_string())
                        });
                    match written {
                        Ok(()) => eprintln!("已写出 {}", out.display()),
                        Err(e) => {
                            eprintln!("错误：无法写出 {}：{e}", out.display());
                            return 1;
                        }
                    }
                }
                AuditFormat::Json => println!("{}", audit.json()),
                AuditFormat::Html => print!(
                    "{}",
                    crate::audit::report::html(std::slice::from_ref(&audit))
                ),
                _ => print!("{}", audit.text()),
            }
            if audit.findings.is_empty() { 0 } else { 1 }
        }
    }
}

/// Every PDF in a folder (and its subfolders), audited in parallel; one line each, then a summary.
fn folder(
    session: &crate::session::Session,
    dir: &Path,
    form: Option<String>,
    format: AuditFormat,
    output: Option<&Path>,
) -> i32 {
    let mut files = Vec::new();
    collect(dir, &mut files, 0);
    files.sort();
    if files.is_empty() {
        eprintln!("错误：{} 中没有 PDF 文件。", dir.display());
        return 1;
    }
    if files.len() > MAX_FILES {
        eprintln!(
            "错误：{} 中有 {} 个 PDF，超过一次审计的上限 {MAX_FILES} 个；请分成几个文件夹。",
            dir.display(),
            files.len()
        );
        return 1;
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:32} {pos}/{len} 已用 {elapsed} {wide_msg}",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let options = Options { form };
    let results: Vec<(PathBuf, Result<Audit, String>)> = files
        .par_iter()
        .map(|f| {
            let name = f.display().to_string();
            let r = std::fs::read(f)
                .map_err(|e| super::os_error::reason(&e))
                .and_then(|b| {
                    crate::audit::audit_with(session, &name, &b, &options)
                        .map_err(|e| e.to_string())
                });
            if let Some(bar) = &bar {
                bar.inc(1);
                bar.set_message(name);
            }
            (f.clone(), r)
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let audits: Vec<Audit> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().cloned())
        .collect();
    let failed: Vec<(String, String)> = results
        .iter()
        .filter_map(|(f, r)| {
            r.as_ref()
                .err()
                .map(|e| (f.display().to_string(), e.clone()))
        })
        .collect();
    match format {
        AuditFormat::Json => {
            let v = serde_json::json!({
                "audits": audits,
                "unreadable": failed.iter().map(|(f, e)| serde_json::json!({"file": f, "reason": e})).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        AuditFormat::Html => print!("{}", crate::audit::report::html(&audits)),
        _ => {
            for a in &audits {
                println!(
                    "{}：{} 页，认出公开表 {} 张，差错 {} 条，尾差提示 {} 条",
                    a.file,
                    a.pages,
                    a.tables.len(),
                    a.findings.len(),
                    a.notes.len()
                );
                for f in &a.findings {
                    println!("    [{}] {}", f.code, f.formula);
                }
            }
            for (f, e) in &failed {
                println!("{f}：无法审计：{e}");
            }
            let with = audits.iter().filter(|a| !a.findings.is_empty()).count();
            let none = audits.iter().filter(|a| a.tables.is_empty()).count();
            println!(
                "共 {} 个 PDF：{} 个有差错，{} 个无差错，{} 个未认出公开表，{} 个无法审计",
                files.len(),
                with,
                audits.len() - with - none,
                none,
                failed.len()
            );
        }
    }
    if let Some(out) = output {
        let written = std::fs::create_dir_all(out)
            .and_then(|_| {
                std::fs::write(
                    out.join("summary.html"),
                    crate::audit::report::html(&audits),
                )
            })
            .and_then(|_| {
                let xlsx = crate::audit::report::summary_xlsx(&audits, &failed)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                std::fs::write(out.join("summary.xlsx"), xlsx)
            });
        match written {
            Ok(()) => eprintln!(
                "已写出 {} 与 {}",
                out.join("summary.xlsx").display(),
                out.join("summary.html").display()
            ),
            Err(e) => {
                eprintln!(
                    "错误：无法写出汇总表到 {}：{}",
                    out.display(),
                    super::os_error::reason(&e)
                );
                return 1;
            }
        }
    }
    if audits.iter().any(|a| !a.findings.is_empty()) || !failed.is_empty() {
        1
    } else {
        0
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 8 || out.len() > MAX_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out, depth + 1);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
            out.push(p);
        }
    }
}

/// The hidden formats: what the reader saw, for comparing with other tools.
fn debug(file: &Path, bytes: &[u8], format: AuditFormat) -> i32 {
    let doc = match crate::audit::pdf::read(bytes) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("错误：{}：{e}。", file.display());
            return 1;
        }
    };
    match format {
        AuditFormat::Lines => {
            for p in &doc.pages {
                for l in crate::audit::layout::lines(&p.glyphs, 0..p.glyphs.len()) {
                    println!("{}", l.text);
                }
                println!("\u{c}");
            }
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
        }
        _ => {
            for s in crate::audit::grids::sheets(&doc).sheets {
                println!(
                    "== {} {:?} 第 {:?} 页 合并 {:?}",
                    s.name, s.title, s.pages, s.merged
                );
                for row in &s.cells {
                    println!("{}", row.join(" | "));
                }
            }
        }
    }
    0
}
