//! `juesuan init`：写出带注释的示例输入文件、空白工作簿模板，或导出内置模板供修改。

use std::path::Path;

use super::{os_error, report};
use crate::diagnostic::codes;
use crate::render::templates::TemplateSet;

/// The commented example: seed 000's bureau, 峨边彝族自治县信访局 2023.
pub const EXAMPLE: &str = include_str!("../../data/ebian-xinfang-2023.toml");

/// The starting example of each built-in 说明 form: (form key, what it is, TOML text).
pub const EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "sichuan",
        "峨边彝族自治县信访局 2023 年度，四川省格式",
        EXAMPLE,
    ),
    (
        "chongqing",
        "峨边彝族自治县信访局 2023 年度的事实，重庆格式",
        include_str!("../../tests/fixtures/chongqing/ebian-as-chongqing.toml"),
    ),
    (
        "shanghai",
        "上海市普陀区财政局 2024 年度，上海市格式",
        include_str!("../../data/putuo-caizheng-2024.toml"),
    ),
];

/// The example of `form`, or a message listing the forms that have one.
fn example_of(form: &str) -> Result<(&'static str, &'static str), String> {
    EXAMPLES
        .iter()
        .find(|(key, _, _)| *key == form)
        .map(|(_, about, text)| (*about, *text))
        .ok_or_else(|| {
            let known: Vec<String> = EXAMPLES
                .iter()
                .map(|(key, about, _)| format!("--form {key}（{about}）"))
                .collect();
            report::plain(
                codes::VALUE,
                format!("没有表式“{form}”的示例"),
                &format!("可写 {}。", known.join("、")),
            )
        })
}

/// `juesuan init 文件 --form 表式`: the form's example, as TOML or (for a .xlsx name) as a filled
/// workbook, to start from.
pub fn form_example(path: &Path, form: &str) -> i32 {
    let (about, text) = match example_of(form) {
        Ok(x) => x,
        Err(message) => {
            eprint!("{message}");
            return 1;
        }
    };
    if path.exists() {
        eprint!(
            "{}",
            report::plain(
                codes::OUTPUT_UNWRITABLE,
                format!("{} 已存在，未覆盖", path.display()),
                "换一个文件名。",
            )
        );
        return 1;
    }
    let bytes = if crate::workbook::is_workbook(path) {
        match crate::workbook::from_toml("example.toml", text) {
            Ok(b) => b,
            Err(d) => return unmade(&d),
        }
    } else {
        text.as_bytes().to_vec()
    };
    write_and_tell(
        path,
        &bytes,
        &format!(
            "已生成示例 {}（{about}）。改成本单位数据后运行：",
            os_error::shown(path)
        ),
    )
}

/// A starting file that could not be made: its diagnostics' messages, and exit code 1.
fn unmade(d: &crate::diagnostic::Diagnostics) -> i32 {
    eprint!(
        "{}",
        report::human(d, &crate::input::SourceFile::new("", String::new()))
    );
    1
}

/// Writes a starting file and tells the clerk what to run next (or why it could not be written).
fn write_and_tell(path: &Path, bytes: &[u8], told: &str) -> i32 {
    match std::fs::write(path, bytes) {
        Ok(()) => {
            eprintln!("{told}");
            eprintln!("  juesuan check {}", path.display());
            eprintln!("  juesuan build {}", path.display());
            0
        }
        Err(e) => {
            eprint!(
                "{}",
                report::plain(
                    codes::OUTPUT_UNWRITABLE,
                    format!(
                        "写出 {} 失败：{}",
                        os_error::shown(path),
                        os_error::reason(&e)
                    ),
                    &os_error::hint(&e, path),
                )
            );
            1
        }
    }
}

pub fn run(path: &Path, templates: Option<&Path>) -> i32 {
    if let Some(dir) = templates {
        return match TemplateSet::eject(dir) {
            Ok(written) => {
                for p in &written {
                    eprintln!("已导出 {}", os_error::shown(p));
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
            Err((path, e)) => {
                eprint!(
                    "{}",
                    report::plain(
                        codes::OUTPUT_UNWRITABLE,
                        format!(
                            "导出模板失败：无法写出 {}：{}",
                            os_error::shown(&path),
                            os_error::reason(&e)
                        ),
                        &os_error::hint(&e, &path),
                    )
                );
                1
            }
        };
    }
    let is_toml = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !is_toml {
        eprint!(
            "{}",
            report::plain(
                codes::VALUE,
                format!("{} 不以 .toml 结尾，未生成", path.display()),
                "示例输入文件写作 juesuan init 本单位.toml；要空白 Excel 模板工作簿写作 juesuan init 本单位.xlsx。",
            )
        );
        return 1;
    }
    if path.exists() {
        eprint!(
            "{}",
            report::plain(
                codes::OUTPUT_UNWRITABLE,
                format!("{} 已存在，未覆盖", path.display()),
                "换一个文件名：juesuan init 新文件.toml",
            )
        );
        return 1;
    }
    write_and_tell(
        path,
        EXAMPLE.as_bytes(),
        &format!(
            "已生成示例 {}（峨边彝族自治县信访局 2023 年度）。改成本单位数据后运行：",
            os_error::shown(path)
        ),
    )
}

/// `juesuan init --xlsx 文件`: a blank template workbook.
pub fn workbook(path: &Path) -> i32 {
    if !crate::workbook::is_workbook(path) {
        eprint!(
            "{}",
            report::plain(
                codes::VALUE,
                format!("{} 不以 .xlsx 结尾，未生成", path.display()),
                "工作簿的文件名须以 .xlsx 结尾（juesuan 按扩展名识别工作簿），如 juesuan init 本单位.xlsx。",
            )
        );
        return 1;
    }
    if path.exists() {
        eprint!(
            "{}",
            report::plain(
                codes::OUTPUT_UNWRITABLE,
                format!("{} 已存在，未覆盖", path.display()),
                "换一个文件名，或先删除它。",
            )
        );
        return 1;
    }
    let bytes = match crate::workbook::template() {
        Ok(b) => b,
        Err(d) => return unmade(&d),
    };
    write_and_tell(
        path,
        &bytes,
        &format!(
            "已生成空白模板 {}：先看“说明”页，再逐表填写。填好后运行：",
            os_error::shown(path)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_form_has_an_example_of_its_own_form() {
        let keys: Vec<&str> = EXAMPLES.iter().map(|(k, _, _)| *k).collect();
        let mut built_in: Vec<String> = crate::form::Forms::builtin()
            .iter()
            .map(|f| f.key.clone())
            .collect();
        built_in.sort();
        let mut listed: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        listed.sort();
        assert_eq!(listed, built_in);
        for (key, _, text) in EXAMPLES {
            let checked = crate::check_text("example.toml", text);
            assert!(
                !checked.diagnostics.has_errors(),
                "{key}: {:?}",
                checked.diagnostics
            );
            assert_eq!(checked.bureau.unwrap().identity.form.key, *key);
        }
        assert!(example_of("mars").unwrap_err().contains("--form sichuan"));
    }
}
