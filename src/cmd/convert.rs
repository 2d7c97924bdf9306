//! `juesuan convert`：TOML ⇄ 工作簿。方向由扩展名决定。
//!
//! A conversion that would lose a fact is refused: the workbook is read back and compared with
//! the TOML it came from, key by key, before anything is written.

use std::path::Path;

use toml::{Table, Value};

use super::{os_error, report};
use crate::diagnostic::codes;
use crate::input::SourceFile;
use crate::workbook;

pub fn run(from: &Path, to: &Path, force: bool, session: &crate::session::Session) -> i32 {
    let refused = crate::input::source::not_a_regular_file(from)
        .or_else(|| super::clobber::refusal([to], &[from]));
    if let Some(d) = refused {
        let source = SourceFile::new(from.display().to_string(), String::new());
        eprint!("{}", report::human(&d.into(), &source));
        return 1;
    }
    if to.exists() && !force {
        eprint!(
            "{}",
            report::plain(
                codes::OUTPUT_UNWRITABLE,
                format!("{} 已存在，未覆盖", to.display()),
                "确需覆盖请加 --force。",
            )
        );
        return 1;
    }
    let result = match (workbook::is_workbook_file(from), workbook::is_workbook(to)) {
        (false, true) => toml_to_xlsx(from, session),
        (true, false) => crate::load::to_toml(from)
            .map(String::into_bytes)
            .map_err(|d| {
                report::human(
                    &d,
                    &SourceFile::new(from.display().to_string(), String::new()),
                )
            }),
        _ => Err(report::plain(
            codes::VALUE,
            format!(
                "无法从 {} 转换为 {}：须一边是 .toml、一边是工作簿",
                from.display(),
                to.display()
            ),
            "juesuan convert 输入.toml 输出.xlsx，或反过来。",
        )),
    };
    match result {
        Ok(bytes) => match write_atomically(to, &bytes) {
            Ok(()) => {
                eprintln!("已生成 {}", os_error::shown(to));
                0
            }
            Err(e) => {
                eprint!(
                    "{}",
                    report::plain(
                        codes::OUTPUT_UNWRITABLE,
                        format!(
                            "写出 {} 失败：{}",
                            os_error::shown(to),
                            os_error::reason(&e)
                        ),
                        &os_error::hint(&e, to),
                    )
                );
                1
            }
        },
        Err(message) => {
            eprint!("{message}");
            eprintln!("未写出 {}。", to.display());
            1
        }
    }
}

fn toml_to_xlsx(from: &Path, session: &crate::session::Session) -> Result<Vec<u8>, String> {
    let name = from.display().to_string();
    // Read as `juesuan check` reads it (size limit, Chinese OS errors). Unknown keys or a syntax
    // error would be dropped silently by the conversion: refuse them.
    let checked = session.check_loaded(crate::input::load_toml(from));
    let text = checked.source.text.clone();
    let input_errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            d.code.as_str().starts_with('E') && d.severity == crate::diagnostic::Severity::Error
        })
        .cloned()
        .collect();
    if !input_errors.is_empty() {
        let diags = crate::diagnostic::Diagnostics(input_errors);
        return Err(report::human(&diags, &checked.source));
    }
    let bytes = workbook::from_toml_with(&name, &text, session.forms())
        .map_err(|d| report::human(&d, &checked.source))?;
    let back = crate::load::bytes(&name, &bytes);
    if back.diagnostics.has_errors() {
        return Err(format!(
            "转换出的工作簿读不回来，已停止（这是 juesuan 的缺陷，请报告）：\n{}",
            report::human(&back.diagnostics, &back.source)
        ));
    }
    let reread = |e: toml::de::Error| {
        format!("转换时重新读取 TOML 失败（这是 juesuan 的缺陷，请报告）：{e}\n")
    };
    let original: Table = text.parse().map_err(reread)?;
    let round: Table = back.source.text.parse().map_err(reread)?;
    if let Some(path) = first_difference("", &Value::Table(original), &Value::Table(round)) {
        return Err(format!(
            "转换会改变或丢失 `{path}`，已停止（这是 juesuan 的缺陷，请报告）。\n"
        ));
    }
    Ok(bytes)
}

/// The first key whose value differs between two TOML trees (numbers compared by value).
pub fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Value::Table(x), Value::Table(y)) => {
            // A table with no facts in it (e.g. `[appropriation.state_capital]`), or an empty
            // list, is no fact.
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(p) = first_difference(&join(k), v, w) {
                            return Some(p);
                        }
                    }
                    None if is_empty(v) => {}
                    None => return Some(join(k)),
                }
            }
            y.iter()
                .find(|(k, v)| !x.contains_key(*k) && !is_empty(v))
                .map(|(k, _)| join(k))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(path.to_string());
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (v, w))| first_difference(&format!("{path}[{i}]"), v, w))
        }
        (Value::Integer(x), Value::Float(y)) | (Value::Float(y), Value::Integer(x)) => {
            ((*x as f64) != *y).then(|| path.to_string())
        }
        (x, y) => (x != y).then(|| path.to_string()),
    }
}

/// No fact: a table with no facts in it, or an empty list (`fleet = []`, which a workbook
/// writes as a sheet with its header alone and reads back as no list).
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Table(t) => t.values().all(is_empty),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Writes beside the target, then renames; on failure the temporary file is removed and the
/// target (if any) is untouched.
pub(crate) fn write_atomically(to: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if to.is_dir() {
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    // Hidden and short whatever the target's name (a name may have at most 255 bytes).
    let stem = to
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = to.with_file_name(format!(
        ".{}.{}.juesuan-tmp",
        crate::output::short_stem(&stem),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, to));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
