//! 模板：内置于程序，可用 `--templates 目录` 逐个文件覆盖（同名文件优先）。
//!
//! Like zola: the binary carries every template; `juesuan init --templates` copies them out for
//! editing, and a file of the same name in the given directory wins over the built-in one.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::FixedGlossary;
use crate::form::layouts::TableLayouts;
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
        "chongqing/body.tera",
        include_str!("../../templates/chongqing/body.tera"),
    ),
    (
        "chongqing/shuoming.typ",
        include_str!("../../templates/chongqing/shuoming.typ"),
    ),
    (
        "chongqing/shuoming.md",
        include_str!("../../templates/chongqing/shuoming.md"),
    ),
    (
        "chongqing/glossary.toml",
        include_str!("../../templates/chongqing/glossary.toml"),
    ),
    (
        "shanghai/body.tera",
        include_str!("../../templates/shanghai/body.tera"),
    ),
    (
        "shanghai/shuoming.typ",
        include_str!("../../templates/shanghai/shuoming.typ"),
    ),
    (
        "shanghai/shuoming.md",
        include_str!("../../templates/shanghai/shuoming.md"),
    ),
    (
        "shanghai/glossary.toml",
        include_str!("../../templates/shanghai/glossary.toml"),
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
    (
        "performance/sichuan/attachment.typ",
        include_str!("../../templates/performance/sichuan/attachment.typ"),
    ),
    (
        "performance/sichuan/attachment.md",
        include_str!("../../templates/performance/sichuan/attachment.md"),
    ),
    (
        "performance/sichuan2021/attachment.typ",
        include_str!("../../templates/performance/sichuan2021/attachment.typ"),
    ),
    (
        "performance/sichuan2021/attachment.md",
        include_str!("../../templates/performance/sichuan2021/attachment.md"),
    ),
    (
        "performance/hebei/attachment.typ",
        include_str!("../../templates/performance/hebei/attachment.typ"),
    ),
    (
        "performance/hebei/attachment.md",
        include_str!("../../templates/performance/hebei/attachment.md"),
    ),
    (
        "performance/hunan/attachment.typ",
        include_str!("../../templates/performance/hunan/attachment.typ"),
    ),
    (
        "performance/hunan/attachment.md",
        include_str!("../../templates/performance/hunan/attachment.md"),
    ),
    (
        "performance/report/attachment.typ",
        include_str!("../../templates/performance/report/attachment.typ"),
    ),
    (
        "performance/report/attachment.md",
        include_str!("../../templates/performance/report/attachment.md"),
    ),
];

/// Every built-in file: the templates and data above and the forms' manifests.
pub fn builtin_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN
        .iter()
        .copied()
        .chain(crate::form::builtin_manifests())
}

/// The most files a `--templates` folder may hold, and the largest one: a folder chosen by
/// mistake (a home directory) is refused instead of read whole.
const MAX_FILES: usize = 2_000;
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The kinds of file a template folder holds; anything else in it is left alone.
const EXTENSIONS: &[&str] = &["tera", "typ", "md", "toml"];

/// The output syntax a template set produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Syntax {
    Typst,
    Markdown,
}

/// The built-in templates overlaid with a user's directory.
pub struct TemplateSet {
    files: Vec<(String, String)>,
}

impl TemplateSet {
    /// Built-in templates, each replaced by `dir/<name>` where that file exists, and the files of
    /// `dir` that are not built in (a form of the user's own: `dir/<key>/form.toml` and its
    /// templates) added.
    ///
    /// A directory that does not exist, or holds no template file at all, is an error: a
    /// mistyped `--templates` must not silently build with the built-in templates.
    pub fn load(dir: Option<&Path>) -> Result<TemplateSet, Diagnostics> {
        let mut files: Vec<(String, String)> = builtin_files()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let Some(dir) = dir else {
            return Ok(TemplateSet { files });
        };
        check_dir(dir)?;
        let mut local = Vec::new();
        collect(dir, dir, 0, &mut local)?;
        // Something must take effect: a built-in template replaced or a form of the user's own
        // (a folder with a manifest). Templates one folder too deep would silently change nothing.
        let effective = local.iter().any(|(name, _)| {
            builtin_files().any(|(n, _)| n == name)
                || name.ends_with(&format!("/{}", crate::form::MANIFEST))
        });
        if !effective {
            return Err(template_dir_error(
                format!(
                    "模板目录 {} 中没有任何与内置模板同名的文件，也没有新的表式（含 form.toml 的文件夹），修改不会生效",
                    dir.display()
                ),
                format!(
                    "模板须按导出时的子目录存放，如 {}；用 `juesuan init --templates 目录` 导出后再修改。",
                    dir.join("sichuan/body.tera").display()
                ),
            ));
        }
        for (name, path) in local {
            let text = read_template(&path)?;
            match files.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => files.push((name, text)),
            }
        }
        Ok(TemplateSet { files })
    }

    /// The forms these templates define: the built-in ones and any a `--templates` folder adds.
    pub fn forms(&self) -> Result<crate::form::Forms, Diagnostics> {
        let forms = crate::form::Forms::from_files(
            self.files.iter().map(|(n, t)| (n.as_str(), t.as_str())),
        )
        .map_err(|e| {
                Diagnostics::from(Diagnostic::of(
                    crate::diagnostic::codes::TEMPLATE,
                    format!("表式清单 {} 有误：{}", e.file, e.reason),
                )
                .hint(format!(
                    "按内置表式的清单改正 {}（`juesuan init --templates` 导出的 sichuan/form.toml 逐项有说明）。",
                    e.file
                )))
            })?;
        self.check_layouts(&forms)?;
        self.check_parts(&forms)?;
        Ok(forms)
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

    /// The 附表 layouts of every table set (the built-in ones read once per process).
    pub fn table_layouts(&self) -> Result<Arc<TableLayouts>, Diagnostics> {
        let name = crate::form::TABLE_LAYOUTS;
        TableLayouts::read(self.get(name).unwrap_or("")).map_err(|e| data_error(name, &e))
    }

    /// A template data file (TOML) read into its type; an error names the file to mend.
    fn data<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, Diagnostics> {
        let text = self.get(name).unwrap_or("");
        toml::from_str(text).map_err(|e| data_error(name, &e))
    }

    /// The tera instance for the documents of `form`, its autoescape fitting the syntax.
    ///
    /// It parses the templates those documents can reach: the form's own folder and the folders
    /// of no form (`common/`, `performance/`), not the other forms' — about half of all the
    /// templates, which every build used to parse. A form that reaches into another's folder (a
    /// form of the user's including `sichuan/body.tera`, or calling a component defined there)
    /// does not parse on its own: then every template is parsed, as before, and an error in
    /// them is reported as it always was.
    pub fn engine(&self, syntax: Syntax, form: &str) -> Result<Tera, Diagnostics> {
        let others: Vec<&str> = self
            .form_folders()
            .filter(|folder| *folder != form)
            .collect();
        let reachable = |name: &str| {
            !others
                .iter()
                .any(|f| name.strip_prefix(f).is_some_and(|r| r.starts_with('/')))
        };
        self.parse(syntax, reachable)
            .or_else(|_| self.parse(syntax, |_| true))
    }

    /// The folders holding a 说明 form (`<key>/form.toml`).
    fn form_folders(&self) -> impl Iterator<Item = &str> {
        self.files.iter().filter_map(|(n, _)| {
            n.strip_suffix(crate::form::MANIFEST)
                .and_then(|folder| folder.strip_suffix('/'))
                .filter(|folder| !folder.contains('/'))
        })
    }

    /// A tera instance with the templates `wanted` of the syntax's own and the shared files.
    fn parse(&self, syntax: Syntax, wanted: impl Fn(&str) -> bool) -> Result<Tera, Diagnostics> {
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
        // The shared text prints as typed in the PDF as in the Markdown (no smart dashes).
        let templates = self
            .files
            .iter()
            .filter(|(n, _)| (n.ends_with(own) || n.ends_with(".tera")) && wanted(n))
            .map(|(n, t)| match syntax {
                Syntax::Typst if n.ends_with(".tera") => {
                    (n.clone(), Cow::Owned(escape::typst_literal_text(t)))
                }
                _ if layout_of(n, own).is_some() => {
                    (n.clone(), Cow::Borrowed(without_final_newline(t)))
                }
                _ => (n.clone(), Cow::Borrowed(t.as_str())),
            })
            .chain(std::iter::once((
                format!("common/performance-layouts{own}"),
                Cow::Owned(self.layout_dispatch(own)),
            )));
        tera.add_raw_templates(templates).map_err(template_error)?;
        Ok(tera)
    }

    /// The 绩效自评表 layouts these templates print, for the output whose templates end in `own`:
    /// every folder `performance/<layout>/` with an `attachment{own}`, in name order.
    fn layouts(&self, own: &str) -> Vec<&str> {
        let mut layouts: Vec<&str> = self
            .files
            .iter()
            .filter_map(|(n, _)| layout_of(n, own))
            .collect();
        layouts.sort_unstable();
        layouts.dedup();
        layouts
    }

    /// The component `layout_attachment`, which prints one 绩效 attachment with its layout's
    /// template: generated from the layouts there are, so a layout is added by adding a folder.
    fn layout_dispatch(&self, own: &str) -> String {
        let layouts = self.layouts(own);
        let mut t = String::from("{% component layout_attachment(s, form, label, year) %}");
        for (i, layout) in layouts.iter().enumerate() {
            let tag = if i == 0 { "if" } else { "elif" };
            t.push_str(&format!(
                "{{% {tag} form == \"{layout}\" %}}{{% include \"{PERFORMANCE_FOLDER}/{layout}/{LAYOUT_TEMPLATE}{own}\" %}}"
            ));
        }
        let fail = format!(
            "{{{{ throw(message=\"绩效自评表版式 `\" ~ form ~ \"` 没有模板 {PERFORMANCE_FOLDER}/\" ~ form ~ \"/{LAYOUT_TEMPLATE}{own}\") }}}}"
        );
        if layouts.is_empty() {
            t.push_str(&fail);
        } else {
            t.push_str(&format!("{{% else %}}{fail}{{% endif %}}"));
        }
        t.push_str("{% endcomponent layout_attachment %}");
        t
    }

    /// Each 绩效 form's layout must have its templates for both outputs.
    fn check_layouts(&self, forms: &crate::form::Forms) -> Result<(), Diagnostics> {
        for spec in forms.performance_keys() {
            let layout = spec.layout.as_str();
            let missing: Vec<String> = [".typ", ".md"]
                .iter()
                .filter(|own| !self.layouts(own).contains(&layout))
                .map(|own| format!("{PERFORMANCE_FOLDER}/{layout}/{LAYOUT_TEMPLATE}{own}"))
                .collect();
            if !missing.is_empty() {
                let file = format!(
                    "{PERFORMANCE_FOLDER}/{}/{}",
                    spec.key,
                    crate::form::MANIFEST
                );
                return Err(Diagnostic::of(
                    crate::diagnostic::codes::TEMPLATE,
                    format!(
                        "绩效表式清单 {file} 的版式 `{layout}` 没有模板：缺少 {}",
                        missing.join("、")
                    ),
                )
                .hint(format!(
                    "layout 写已有的版式（{}）之一，或在模板目录中新建文件夹 {PERFORMANCE_FOLDER}/{layout}/，放入 {LAYOUT_TEMPLATE}.typ 与 {LAYOUT_TEMPLATE}.md（见 docs/performance-forms.md；版式名只用字母、数字、- 和 _）。",
                    self.layouts(".typ").join("、")
                ))
                .into());
            }
        }
        Ok(())
    }

    /// Every `[[parts]]` key of a form must be printed by a branch of its templates (a
    /// `part.key == "…"` of `<form>/body.tera`, `shuoming.typ` or `shuoming.md`) in both outputs:
    /// a part no branch prints would silently be left out of the document (F007). A form whose
    /// templates compare no part key at all is not judged (they may print every part alike).
    fn check_parts(&self, forms: &crate::form::Forms) -> Result<(), Diagnostics> {
        let mut found = Diagnostics::default();
        for form in forms.iter() {
            let key = &form.key;
            for (own, output) in [(".typ", "PDF"), (".md", "Markdown")] {
                let printed: std::collections::BTreeSet<String> = self
                    .files
                    .iter()
                    .filter(|(n, _)| {
                        n.strip_prefix(key.as_str())
                            .and_then(|rest| rest.strip_prefix('/'))
                            .is_some_and(|file| {
                                !file.contains('/')
                                    && (file.ends_with(own) || file.ends_with(".tera"))
                            })
                    })
                    .flat_map(|(_, text)| printed_part_keys(text))
                    .collect();
                if printed.is_empty() {
                    continue;
                }
                for part in form.parts.iter().filter(|p| !printed.contains(&p.key)) {
                    found.push(
                        Diagnostic::of(
                            crate::diagnostic::codes::PART_UNPRINTED,
                            format!(
                                "表式清单 {key}/{} 的 [[parts]] 中有 `{}`（{}），但 {output} 版的模板没有印它的分支，这一部分会被漏掉",
                                crate::form::MANIFEST,
                                part.key,
                                part.title
                            ),
                        )
                        .hint(format!(
                            "在 {key}/body.tera 的 `{{% for part in doc.parts %}}` 中加一个 `{{% elif part.key == \"{}\" %}}` 分支印这一部分（已有的分支：{}），或从 {key}/{} 中删去这一部分。",
                            part.key,
                            printed.iter().cloned().collect::<Vec<_>>().join("、"),
                            crate::form::MANIFEST
                        )),
                    );
                }
            }
        }
        if found.is_empty() { Ok(()) } else { Err(found) }
    }

    /// Writes every built-in template into `dir` (for `juesuan init --templates`), leaving files
    /// that already exist alone. Returns the paths written.
    /// On failure, the path that could not be written and why.
    pub fn eject(dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
        let mut written = Vec::new();
        for (name, text) in builtin_files() {
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

use crate::form::PERFORMANCE_FOLDER;

/// The part keys a template prints a branch for: the strings it compares a `.key` with
/// (`part.key == "overview"`, `"tables" == part.key`, `part.key in ["a", "b"]`).
fn printed_part_keys(text: &str) -> Vec<String> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    // A quoted string at the start of `s`: its text.
    let quoted = |s: &str| -> Option<String> {
        let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let body = &s[1..];
        Some(body[..body.find(q)?].to_string())
    };
    let mut keys = Vec::new();
    for (i, _) in text.match_indices(".key") {
        let after = &text[i + 4..];
        if after.starts_with(ident) {
            continue;
        }
        let after = after.trim_start();
        if let Some(rest) = after.strip_prefix("==") {
            keys.extend(quoted(rest.trim_start()));
        } else if let Some(list) = after
            .strip_prefix("in")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix('['))
        {
            let list = &list[..list.find(']').unwrap_or(0)];
            keys.extend(list.split(',').filter_map(|x| quoted(x.trim())));
        }
        // `"tables" == part.key`: the string before the variable.
        let before = text[..i].trim_end_matches(ident).trim_end();
        if let Some(b) = before.strip_suffix("==") {
            let b = b.trim_end();
            if let Some(q) = b.chars().next_back().filter(|c| *c == '"' || *c == '\'') {
                let inner = &b[..b.len() - 1];
                if let Some(start) = inner.rfind(q) {
                    keys.push(inner[start + 1..].to_string());
                }
            }
        }
    }
    keys
}

/// The template of a 绩效 layout, in its folder: `attachment.typ` and `attachment.md`.
pub const LAYOUT_TEMPLATE: &str = "attachment";

/// The layout whose template `name` is (`performance/<layout>/attachment<own>`), if it is one;
/// a layout is named with letters, digits, `-` and `_` only (it goes into a generated template).
fn layout_of<'a>(name: &'a str, own: &str) -> Option<&'a str> {
    let rest = name.strip_prefix(PERFORMANCE_FOLDER)?.strip_prefix('/')?;
    let (layout, file) = rest.split_once('/')?;
    let plain = !layout.is_empty()
        && layout
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (plain && file == format!("{LAYOUT_TEMPLATE}{own}")).then_some(layout)
}

/// A layout's template without the one newline an editor puts at the end of a file: the
/// attachment is placed where the component is called, as a component's body would be.
fn without_final_newline(text: &str) -> &str {
    text.strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text)
}

/// A template data file that does not read: the file to mend and why.
fn data_error(name: &str, e: &toml::de::Error) -> Diagnostics {
    Diagnostic::of(
        crate::diagnostic::codes::TEMPLATE,
        format!("模板数据 {name} 有误：{}", e.message().trim()),
    )
    .hint(format!(
        "改正 --templates 目录中的 {name}（按 TOML 语法，字段名与导出的原文件一致）；不需要修改时删除该文件，改用内置的。"
    ))
    .into()
}

fn template_dir_error(message: String, hint: String) -> Diagnostics {
    Diagnostics::from(Diagnostic::of(crate::diagnostic::codes::TEMPLATE, message).hint(hint))
}

/// The `--templates` directory must exist and be a directory.
fn check_dir(dir: &Path) -> Result<(), Diagnostics> {
    let shown = dir.display();
    match std::fs::metadata(dir) {
        Err(e) => Err(template_dir_error(
            format!(
                "模板目录 {shown} 无法使用：{}",
                crate::diagnostic::os_error::reason(&e)
            ),
            format!(
                "检查 --templates 后的文件夹名是否写对；还没有模板目录时，先用 `juesuan init --templates {shown}` 导出内置模板。"
            ),
        )),
        Ok(meta) if !meta.is_dir() => Err(template_dir_error(
            format!("模板目录 {shown} 是一个文件，不是文件夹"),
            "--templates 后面写模板所在的文件夹（`juesuan init --templates` 导出的那个）。"
                .to_string(),
        )),
        Ok(_) => Ok(()),
    }
}

/// The template files under `dir` (two levels: `<form>/<file>` and `<form>/<folder>/<file>`, as
/// the built-in ones), by their name relative to `root` with `/` separators, in name order.
fn collect(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), Diagnostics> {
    let unreadable = |path: &Path, e: std::io::Error| {
        template_dir_error(
            format!(
                "无法读取模板目录 {}：{}",
                path.display(),
                crate::diagnostic::os_error::reason(&e)
            ),
            crate::diagnostic::os_error::hint(&e, path),
        )
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| unreadable(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if depth < 3 {
                refuse_link_or_pipe(root, &path)?;
                collect(root, &path, depth + 1, out)?;
            }
            continue;
        }
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e));
        if wanted {
            refuse_link_or_pipe(root, &path)?;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let name: Option<Vec<&str>> = relative.iter().map(|c| c.to_str()).collect();
        let (true, Some(name)) = (wanted, name) else {
            continue;
        };
        if name.len() < 2 {
            // A file directly in the folder belongs to no form.
            continue;
        }
        if out.len() >= MAX_FILES {
            return Err(template_dir_error(
                format!(
                    "模板目录 {} 中的模板文件超过 {MAX_FILES} 个",
                    root.display()
                ),
                "--templates 只指向模板所在的文件夹（`juesuan init --templates` 导出的那个），不要指向更大的目录。"
                    .to_string(),
            ));
        }
        out.push((name.join("/"), path));
    }
    Ok(())
}

/// A link in the templates folder that leads out of it is refused, not followed: whatever it
/// points at would be read as a template and quoted in an error message. A file that is not a
/// regular one (a named pipe would be waited on for ever) is refused too.
fn refuse_link_or_pipe(root: &Path, path: &Path) -> Result<(), Diagnostics> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        let inside = matches!(
            (root.canonicalize(), path.canonicalize()),
            (Ok(r), Ok(p)) if p.starts_with(&r)
        );
        if !inside {
            return Err(template_dir_error(
                format!(
                    "模板目录中的 {} 是指向模板目录之外的链接，不读取",
                    path.display()
                ),
                "把模板文件本身复制到模板目录中，不要用指向别处的链接（快捷方式）。".to_string(),
            ));
        }
    }
    if let Some(kind) = crate::input::source::special_file(path) {
        return Err(template_dir_error(
            format!(
                "模板目录中的 {} 是{kind}，不是普通文件，不读取",
                path.display()
            ),
            "模板目录中只放模板文件。".to_string(),
        ));
    }
    Ok(())
}

/// A template file's text, refused when it is not UTF-8 text of a sensible size.
fn read_template(path: &Path) -> Result<String, Diagnostics> {
    let error = |e: std::io::Error| {
        template_dir_error(
            format!(
                "无法读取模板 {}：{}",
                path.display(),
                crate::diagnostic::os_error::reason(&e)
            ),
            crate::diagnostic::os_error::hint(&e, path),
        )
    };
    let len = std::fs::metadata(path).map_err(error)?.len();
    if len > MAX_FILE_BYTES {
        return Err(template_dir_error(
            format!(
                "模板 {} 有 {len} 字节，超过上限 {MAX_FILE_BYTES} 字节",
                path.display()
            ),
            "模板是文字文件；检查是否放错了文件。".to_string(),
        ));
    }
    std::fs::read_to_string(path).map_err(error)
}

/// Renders one template with the document context.
pub fn render(tera: &Tera, name: &str, context: &Context) -> Result<String, Diagnostics> {
    tera.render(name, context).map_err(template_error)
}

fn template_error(e: tera::Error) -> Diagnostics {
    let mut full = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        full.push_str(&format!("\n{s}"));
        source = s.source();
    }
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let (message, cause) = match report {
        Some(r) => {
            let span = r.span();
            // tera's own report: its first line is the message, then the line with a marker.
            let excerpt = full.split_once('\n').map_or("", |(_, rest)| rest);
            (
                format!(
                    "模板 {} 第 {} 行第 {} 列有误：{}\n{excerpt}",
                    r.filename(),
                    span.start_line,
                    span.start_col + 1,
                    r.message()
                ),
                r.message().to_string(),
            )
        }
        None => (format!("模板错误：{full}"), full.clone()),
    };
    let mut d = Diagnostic::of(crate::diagnostic::codes::TEMPLATE, message);
    for hint in mistake_hints(&cause) {
        d = d.hint(hint);
    }
    d.hint("检查 --templates 目录中修改过的模板；内置模板出错请报告问题。")
        .into()
}

/// What to do about the common Tera 2 mistakes, told by tera's message.
fn mistake_hints(message: &str) -> Vec<String> {
    let quoted = |after: &str| -> Option<String> {
        let rest = message.split_once(after)?.1;
        let rest = rest.strip_prefix('`')?;
        Some(rest.split('`').next()?.to_string())
    };
    let mut hints = Vec::new();
    if message.contains("but expected identifier")
        || message.contains("but expected attribute name")
    {
        hints.push(
            "Tera 2 的过滤器、函数和组件的参数都要写名称：写 `{{ x | round(precision=2) }}`、`{{ <组件 名称={值}/> }}`，不能按位置写成 `round(2)`。"
                .to_string(),
        );
    }
    if message.contains("Expected \"string\" or {expression}") {
        hints.push(
            "组件的参数值要放在花括号或引号里：写 `<组件 名称={doc.year}/>` 或 `<组件 名称=\"文字\"/>`。"
                .to_string(),
        );
    }
    if let Some(name) = quoted("Missing keyword argument ") {
        hints.push(format!(
            "这个过滤器或函数需要参数 `{name}`，按名称给出：`名称({name}=值)`。"
        ));
    }
    if message.contains("in component call")
        || (message.starts_with("Argument") && message.contains("missing."))
    {
        hints.push(
            "组件的参数按定义时的名称传（看 `{% component 名称(参数, …) %}`），写作 `<组件 参数={值}/>`；定义中有的参数都要给。"
                .to_string(),
        );
    }
    if let Some(name) = quoted("Variable ") {
        hints.push(format!(
            "若 `{name}` 是在 for 循环里用 set 赋值的：Tera 2 中循环内的 set 只在本次循环内有效，循环外要用它，在循环内改用 `set_global`（或由程序提供这个数，模板不计算）。"
        ));
        hints.push(CONTEXT_HINT.to_string());
    }
    if message.starts_with("Field ") {
        hints.push(CONTEXT_HINT.to_string());
    }
    for (what, word) in [
        ("Unknown filter", "过滤器"),
        ("Unknown function", "函数"),
        ("Unknown component", "组件"),
    ] {
        if message.starts_with(what) {
            hints.push(format!(
                "没有这个{word}：检查拼写；组件定义在 common/blocks.typ 与 common/blocks.md（两种输出各有一份）及各表式文件夹的模板中。"
            ));
        }
    }
    hints
}

/// Where a template author finds the names a template can use.
const CONTEXT_HINT: &str =
    "模板可用的名称见 docs/context.md；`juesuan context 输入文件` 打印某个输入的全部模板数据。";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_keys_are_read_from_the_branches() {
        let t = r#"{% if part.key == "overview" %}{% elif p.key=='tables' %}{% elif "glossary" == part.key %}{% elif part.key in ["a", 'b'] %}{{ doc.key_tasks }}{{ part.keys }}"#;
        assert_eq!(
            printed_part_keys(t),
            ["overview", "tables", "glossary", "a", "b"]
        );
    }

    /// The built-in templates and `extra` files.
    fn with(extra: &[(&str, &str)]) -> TemplateSet {
        let mut set = TemplateSet::load(None).unwrap();
        set.files
            .extend(extra.iter().map(|(n, t)| (n.to_string(), t.to_string())));
        set
    }

    fn names(tera: &Tera) -> Vec<&str> {
        let mut names: Vec<&str> = tera.get_template_names().collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn a_form_parses_its_own_templates_and_those_of_no_form() {
        let set = TemplateSet::load(None).unwrap();
        for (syntax, own) in [(Syntax::Typst, ".typ"), (Syntax::Markdown, ".md")] {
            let tera = set.engine(syntax, "sichuan").unwrap();
            let names = names(&tera);
            assert!(names.contains(&format!("sichuan/shuoming{own}").as_str()));
            assert!(names.contains(&"sichuan/body.tera"));
            assert!(names.contains(&"common/wording.tera"));
            assert!(names.contains(&format!("performance/hebei/attachment{own}").as_str()));
            assert!(
                !names
                    .iter()
                    .any(|n| n.starts_with("chongqing/") || n.starts_with("shanghai/")),
                "{names:?}"
            );
        }
    }

    #[test]
    fn a_form_reaching_into_another_form_gets_every_template() {
        let set = with(&[
            ("mine/form.toml", ""),
            (
                "mine/shuoming.typ",
                "{% include \"sichuan/body.tera\" %}{{ <cq_end text=\"\"/> }}",
            ),
        ]);
        let tera = set.engine(Syntax::Typst, "mine").unwrap();
        assert!(names(&tera).contains(&"chongqing/body.tera"));
        // The other forms do not parse the new one's templates.
        let tera = set.engine(Syntax::Typst, "sichuan").unwrap();
        assert!(!names(&tera).contains(&"mine/shuoming.typ"));
    }

    #[test]
    fn an_error_in_the_templates_a_form_reaches_is_reported_as_before() {
        let set = with(&[
            ("mine/form.toml", ""),
            ("mine/shuoming.typ", "{{ <nowhere/> }}"),
        ]);
        let reached = set.engine(Syntax::Typst, "mine").err().unwrap();
        let all = set.parse(Syntax::Typst, |_| true).err().unwrap();
        assert_eq!(reached.0[0].message, all.0[0].message);
        assert!(reached.0[0].message.contains("Unknown component `nowhere`"));
        // Another form's documents do not reach it.
        set.engine(Syntax::Typst, "sichuan").unwrap();
    }

    #[test]
    fn every_built_in_part_is_printed() {
        let set = TemplateSet::load(None).unwrap();
        set.forms().expect("the built-in forms print every part");
    }
}
