//! `juesuan import`：读公开表工作簿（决算软件导出的、已公开的、或 `build --format xlsx` 生成的），
//! 写成 juesuan 的输入（TOML 或模板工作簿），表中没有的事实列出待补，或用 `--merge` 从原输入带入。

use std::path::{Path, PathBuf};

use super::{convert, os_error, report};
use crate::diagnostic::{Diagnostic, Diagnostics, codes};
use crate::input::SourceFile;
use crate::workbook;

/// Prints one of import's own findings (each with its registered code) the way `check` does.
fn refuse(d: impl Into<Diagnostics>, name: &str) -> i32 {
    let empty = SourceFile::new(name.to_string(), String::new());
    eprint!("{}", report::human(&d.into(), &empty));
    1
}

pub struct ImportArgs {
    pub file: PathBuf,
    pub output: Option<PathBuf>,
    pub merge: Option<PathBuf>,
    pub force: bool,
}

pub fn run(args: ImportArgs) -> i32 {
    let name = args.file.display().to_string();
    let empty = SourceFile::new(name.clone(), String::new());
    for path in std::iter::once(&args.file).chain(&args.merge) {
        if let Some(d) = crate::input::source::not_a_regular_file(path) {
            eprint!("{}", report::human(&d.into(), &empty));
            return 1;
        }
    }
    // The size limit is checked before reading (a 1 GiB file was read whole first).
    let limit = workbook::limits::FILE_BYTES as u64;
    if let Ok(meta) = std::fs::metadata(&args.file) {
        if meta.len() > limit {
            let d = crate::diagnostic::Diagnostic::of(
                crate::diagnostic::codes::WORKBOOK_LIMIT,
                format!(
                    "{name} 有 {} MB，超过工作簿大小上限 {} MB，未读取",
                    meta.len() / (1024 * 1024),
                    limit / (1024 * 1024)
                ),
            )
            .hint("公开表工作簿不会这么大：检查是否选错了文件。");
            eprint!("{}", report::human(&d.into(), &empty));
            return 1;
        }
    }
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            return refuse(
                Diagnostic::of(
                    codes::INPUT_UNREADABLE,
                    format!("无法读取 {name}：{}", os_error::reason(&e)),
                )
                .hint(os_error::hint(&e, &args.file)),
                &name,
            );
        }
    };
    let format = match workbook::open::sniff(&name, &bytes) {
        workbook::open::Content::Workbook(f) => f,
        workbook::open::Content::Text => {
            return refuse(
                Diagnostic::of(
                    codes::WORKBOOK_UNREADABLE,
                    format!("{name} 是文本文件，不是工作簿：import 读的是公开表 Excel 工作簿（.xlsx、.xls）"),
                )
                .hint("TOML 输入请直接 juesuan check / build；要导入的是决算软件导出的或已公开的公开表工作簿。"),
                &name,
            );
        }
        workbook::open::Content::Refused {
            code,
            message,
            hint,
        } => return refuse(Diagnostic::of(code, message).hint(hint), &name),
    };
    let Some(imported) = crate::import::read(&name, format, &bytes) else {
        return refuse(
            Diagnostic::of(
                codes::NO_TABLES_FOUND,
                format!("{name} 中没有找到公开表（按表名查找，如“收入支出决算总表”“支出决算表”）"),
            )
            .hint("juesuan 自己的模板工作簿请直接 check / build；公开表的表名须在表上方的一格中，或是工作表的名称。"),
            &name,
        );
    };
    for t in &imported.tables {
        eprintln!("读入 {t}");
    }
    let source =
        SourceFile::from_workbook(name.clone(), imported.text.clone(), imported.cells.clone());
    // The facts read are checked as any input is (the missing text facts aside): a slip in the
    // tables is reported at its cell, and nothing is written.
    let loaded = crate::input::parse_toml(source.clone());
    let mut diags = imported.diagnostics.clone();
    diags.extend(loaded.diagnostics.clone());
    if diags.has_errors() {
        eprint!("{}", report::human(&diags.sorted(), &source));
        eprintln!("公开表有误，未写出任何文件。");
        return 1;
    }
    // Notes (尾差 within the tolerance, text numbers) are said once, and the facts written.
    if !diags.is_empty() {
        eprint!("{}", report::human(&diags.sorted(), &source));
    }
    let (text, notes) = match &args.merge {
        Some(original) => match merged(&imported, original) {
            Ok(x) => x,
            Err(d) => return refuse(d, &name),
        },
        None => (imported.text.clone(), Vec::new()),
    };
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_output(&args.file));
    let mut inputs = vec![args.file.as_path()];
    inputs.extend(args.merge.as_deref());
    if let Some(d) = super::clobber::refusal([output.as_path()], &inputs) {
        eprint!("{}", report::human(&d.into(), &empty));
        return 1;
    }
    if output.exists() && !args.force {
        return refuse(
            Diagnostic::of(
                codes::OUTPUT_UNWRITABLE,
                format!("{} 已存在，未覆盖", output.display()),
            )
            .hint("确需覆盖请加 --force；或用 -o 指定另一个输出文件。"),
            &name,
        );
    }
    let bytes = if workbook::is_workbook(&output) {
        match workbook::from_toml(&output.display().to_string(), &text) {
            Ok(b) => b,
            Err(d) => {
                eprint!("{}", report::human(&d, &empty));
                return 1;
            }
        }
    } else {
        text.into_bytes()
    };
    if let Err(e) = convert::write_atomically(&output, &bytes) {
        return refuse(
            Diagnostic::of(
                codes::OUTPUT_UNWRITABLE,
                format!(
                    "写出 {} 失败：{}",
                    os_error::shown(&output),
                    os_error::reason(&e)
                ),
            )
            .hint(os_error::hint(&e, &output)),
            &name,
        );
    }
    eprintln!("已生成 {}", os_error::shown(&output));
    if args.merge.is_some() {
        for n in &notes {
            eprintln!("注意：{n}");
        }
    } else {
        eprintln!(
            "公开表里没有、请在 {} 中补填的事实：",
            os_error::shown(&output)
        );
        for line in &imported.to_fill {
            eprintln!("  · {line}");
        }
        eprintln!("也可以用 --merge 原输入.toml 从原有输入带入这些事实。");
    }
    0
}

fn default_output(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "公开表".to_string());
    PathBuf::from(format!("{stem}.toml"))
}

fn merged(
    imported: &crate::import::Imported,
    original: &Path,
) -> Result<(String, Vec<String>), Diagnostics> {
    let unusable = |message: String| {
        Diagnostic::of(codes::INPUT_UNREADABLE, message).hint(
            "--merge 给出原来的 TOML 输入或模板工作簿；先用 juesuan check 原输入 改正其中的错误。",
        )
    };
    let text = if workbook::is_workbook_file(original) {
        // The workbook's own findings, each at its cell.
        crate::load::to_toml(original)?
    } else {
        std::fs::read_to_string(original).map_err(|e| {
            Diagnostics::from(unusable(format!(
                "无法读取 --merge 的 {}：{}",
                original.display(),
                os_error::reason(&e)
            )))
        })?
    };
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let checked = crate::check_text(&original.display().to_string(), &text);
        let said = checked
            .diagnostics
            .iter()
            .find(|d| d.code == codes::SYNTAX)
            .map(|d| {
                format!(
                    "{}（{}）",
                    d.message,
                    d.location
                        .as_ref()
                        .map(|l| l.to_string())
                        .unwrap_or_default()
                )
            })
            .unwrap_or_else(|| e.message().to_string());
        Diagnostics::from(unusable(format!(
            "--merge 的 {} 不是有效的 TOML：{said}",
            original.display()
        )))
    })?;
    let (merged, notes) = crate::import::merge(imported, &table)
        .map_err(|message| Diagnostics::from(Diagnostic::of(codes::OUTPUT_UNWRITABLE, message)))?;
    Ok((
        format!(
            "# 由 juesuan import --merge 生成：表中的数取自公开表，其余事实取自 {}。\n{merged}",
            original.display()
        ),
        notes,
    ))
}
