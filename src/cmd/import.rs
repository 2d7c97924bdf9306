//! `juesuan import`：读公开表工作簿（决算软件导出的、已公开的、或 `build --format xlsx` 生成的），
//! 写成 juesuan 的输入（TOML 或模板工作簿），表中没有的事实列出待补，或用 `--merge` 从原输入带入。

use std::path::{Path, PathBuf};

use super::{convert, os_error, report};
use crate::input::SourceFile;
use crate::workbook;

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
    let limit = workbook::open::limits::FILE_BYTES as u64;
    if let Ok(meta) = std::fs::metadata(&args.file) {
        if meta.len() > limit {
            let d = crate::diagnostic::Diagnostic::error(
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
            eprintln!("无法读取 {name}：{}。", os_error::reason(&e));
            return 1;
        }
    };
    let format = match workbook::open::sniff(&name, &bytes) {
        workbook::open::Content::Workbook(f) => f,
        workbook::open::Content::Text => {
            eprintln!(
                "{name} 是文本文件，不是工作簿：import 读的是公开表 Excel 工作簿（.xlsx、.xls）。"
            );
            return 1;
        }
        workbook::open::Content::Refused { message, hint, .. } => {
            eprintln!("{message}\n  提示：{hint}");
            return 1;
        }
    };
    let Some(imported) = crate::import::read(&name, format, &bytes) else {
        eprintln!(
            "{name} 中没有找到公开表（按表名查找，如“收入支出决算总表”“支出决算表”）；juesuan 自己的模板工作簿请直接 check / build。"
        );
        return 1;
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
            Err(message) => {
                eprintln!("{message}");
                return 1;
            }
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
        eprintln!(
            "{} 已存在，未覆盖。确需覆盖请加 --force。",
            output.display()
        );
        return 1;
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
        eprintln!(
            "写出 {} 失败：{}。\n  提示：{}",
            os_error::shown(&output),
            os_error::reason(&e),
            os_error::hint(&e, &output)
        );
        return 1;
    }
    eprintln!("已生成 {}", os_error::shown(&output));
    if args.merge.is_some() {
        for n in &notes {
            eprintln!("注意：{n}");
        }
    } else {
        eprintln!("公开表里没有、请在 {} 中补填的事实：", output.display());
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
) -> Result<(String, Vec<String>), String> {
    let text = if workbook::is_workbook_file(original) {
        workbook::to_toml(original).map_err(|d| {
            report::human(
                &d,
                &SourceFile::new(original.display().to_string(), String::new()),
            )
        })?
    } else {
        std::fs::read_to_string(original).map_err(|e| {
            format!(
                "无法读取 {}：{}。",
                original.display(),
                os_error::reason(&e)
            )
        })?
    };
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        format!("{} 不是有效的 TOML：{}", original.display(), e.message())
    })?;
    let (merged, notes) = crate::import::merge(imported, &table)?;
    Ok((
        format!(
            "# 由 juesuan import --merge 生成：表中的数取自公开表，其余事实取自 {}。\n{merged}",
            original.display()
        ),
        notes,
    ))
}
