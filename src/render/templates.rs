//! 模板：内置于程序，可用 `--templates 目录` 逐个文件覆盖（同名文件优先）。
//!
//! Like zola: the binary carries every template; `juesuan init --templates` copies them out for
//! editing, and a file of the same name in the given directory wins over the built-in one.

use std::path::{Path, PathBuf};

use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::FixedGlossary;
use crate::figures::tables::TableLayouts;
use crate::render::escape;

/// Every built-in template and form data file, by its name under `templates/`.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "common/blocks.typ",
        include_str!("../../templates/common/blocks.typ"),
    ),
    (
        "common/blocks.md",
        include_str!("../../templates/common/blocks.md"),
    ),
    (
        "common/gongwen.typ",
        include_str!("../../templates/common/gongwen.typ"),
    ),
    (
        "common/wording.tera",
        include_str!("../../templates/common/wording.tera"),
    ),
    (
        "sichuan/body.tera",
        include_str!("../../templates/sichuan/body.tera"),
    ),
    (
        "sichuan/shuoming.typ",
        include_str!("../../templates/sichuan/shuoming.typ"),
    ),
    (
        "sichuan/shuoming.md",
        include_str!("../../templates/sichuan/shuoming.md"),
    ),
    (
        "tables/tables.toml",
        include_str!("../../templates/tables/tables.toml"),
    ),
    (
        "sichuan/glossary.toml",
        include_str!("../../templates/sichuan/glossary.toml"),
    ),
    (
        "performance/sichuan/department-report.tera",
        include_str!("../../templates/performance/sichuan/department-report.tera"),
    ),
    (
        "performance/sichuan/project-report.tera",
        include_str!("../../templates/performance/sichuan/project-report.tera"),
    ),
    (
        "performance/hunan/department-report.tera",
        include_str!("../../templates/performance/hunan/department-report.tera"),
    ),
    (
        "performance/sichuan2021/department-report.tera",
        include_str!("../../templates/performance/sichuan2021/department-report.tera"),
    ),
];

/// The output syntax a template set produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Typst,
    Markdown,
}

/// The built-in templates overlaid with a user's directory.
pub struct TemplateSet {
    files: Vec<(String, String)>,
}

impl TemplateSet {
    /// Built-in templates, each replaced by `dir/<name>` where that file exists.
    ///
    /// A directory that does not exist, or holds no file of a built-in template's name, is an
    /// error: a mistyped `--templates` must not silently build with the built-in templates.
    pub fn load(dir: Option<&Path>) -> Result<TemplateSet, Diagnostics> {
        if let Some(dir) = dir {
            check_dir(dir)?;
        }
        let mut files = Vec::new();
        for (name, text) in BUILTIN {
            let local = dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let text = match local {
                Some(p) => std::fs::read_to_string(&p).map_err(|e| {
                    Diagnostics::from(
                        Diagnostic::error(
                            crate::diagnostic::codes::TEMPLATE,
                            format!(
                                "无法读取模板 {}：{}",
                                p.display(),
                                crate::cmd::os_error::reason(&e)
                            ),
                        )
                        .hint(crate::cmd::os_error::hint(&e, &p)),
                    )
                })?,
                None => text.to_string(),
            };
            files.push((name.to_string(), text));
        }
        Ok(TemplateSet { files })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }

    /// The fixed 名词解释 terms of a form.
    pub fn glossary(&self, form: &str) -> Result<FixedGlossary, Diagnostics> {
        self.data(&format!("{form}/glossary.toml"))
    }

    /// The 附表 layouts of every table set.
    pub fn table_layouts(&self) -> Result<TableLayouts, Diagnostics> {
        self.data("tables/tables.toml")
    }

    /// A template data file (TOML) read into its type; an error names the file to mend.
    fn data<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, Diagnostics> {
        let text = self.get(name).unwrap_or("");
        toml::from_str(text).map_err(|e| {
            Diagnostic::error(
                crate::diagnostic::codes::TEMPLATE,
                format!("模板数据 {name} 有误：{}", e.message().trim()),
            )
            .hint(format!(
                "改正 --templates 目录中的 {name}（按 TOML 语法，字段名与导出的原文件一致）；不需要修改时删除该文件，改用内置的。"
            ))
            .into()
        })
    }

    /// A tera instance whose autoescape fits the syntax.
    pub fn engine(&self, syntax: Syntax) -> Result<Tera, Diagnostics> {
        let mut tera = Tera::new();
        match syntax {
            Syntax::Typst => {
                tera.set_escape_fn(escape::typst);
                tera.autoescape_on(vec![".typ", ".tera"]);
            }
            Syntax::Markdown => {
                tera.set_escape_fn(escape::markdown);
                tera.autoescape_on(vec![".md", ".tera"]);
            }
        }
        // Each syntax loads its own structure components (`common/blocks.typ` or `.md`) and the
        // shared `.tera` text, so one body template serves both outputs.
        let own = match syntax {
            Syntax::Typst => ".typ",
            Syntax::Markdown => ".md",
        };
        let templates = self
            .files
            .iter()
            .filter(|(n, _)| n.ends_with(own) || n.ends_with(".tera"));
        tera.add_raw_templates(templates.map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(template_error)?;
        Ok(tera)
    }

    /// Writes every built-in template into `dir` (for `juesuan init --templates`), leaving files
    /// that already exist alone. Returns the paths written.
    /// On failure, the path that could not be written and why.
    pub fn eject(dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
        let mut written = Vec::new();
        for (name, text) in BUILTIN {
            let path = dir.join(name);
            if path.exists() {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| (parent.to_path_buf(), e))?;
            }
            std::fs::write(&path, text).map_err(|e| (path.clone(), e))?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The `--templates` directory must exist and override at least one built-in template.
fn check_dir(dir: &Path) -> Result<(), Diagnostics> {
    let error = |message: String, hint: String| {
        Err(Diagnostics::from(
            Diagnostic::error(crate::diagnostic::codes::TEMPLATE, message).hint(hint),
        ))
    };
    let shown = dir.display();
    match std::fs::metadata(dir) {
        Err(e) => {
            return error(
                format!(
                    "模板目录 {shown} 无法使用：{}",
                    crate::cmd::os_error::reason(&e)
                ),
                format!(
                    "检查 --templates 后的文件夹名是否写对；还没有模板目录时，先用 `juesuan init --templates {shown}` 导出内置模板。"
                ),
            );
        }
        Ok(meta) if !meta.is_dir() => {
            return error(
                format!("模板目录 {shown} 是一个文件，不是文件夹"),
                "--templates 后面写模板所在的文件夹（`juesuan init --templates` 导出的那个）。"
                    .to_string(),
            );
        }
        Ok(_) => {}
    }
    if !BUILTIN.iter().any(|(name, _)| dir.join(name).is_file()) {
        return error(
            format!("模板目录 {shown} 中没有任何与内置模板同名的文件，修改不会生效"),
            format!(
                "模板须按导出时的子目录存放，如 {}；用 `juesuan init --templates 目录` 导出后再修改。",
                dir.join("sichuan/body.tera").display()
            ),
        );
    }
    Ok(())
}

/// Renders one template with the document context.
pub fn render(tera: &Tera, name: &str, context: &Context) -> Result<String, Diagnostics> {
    tera.render(name, context).map_err(template_error)
}

fn template_error(e: tera::Error) -> Diagnostics {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(&format!("\n{s}"));
        source = s.source();
    }
    Diagnostic::error(
        crate::diagnostic::codes::TEMPLATE,
        format!("模板错误：{message}"),
    )
    .hint("检查 --templates 目录中修改过的模板；内置模板出错请报告问题。")
    .into()
}
