//! 输出：tera 模板 → Typst 源码 / Markdown → PDF。
//!
//! Rendering never computes: it serialises the figures' document context, lets the templates place
//! it, checks that every character has a glyph, and compiles. All outputs are built in memory;
//! `cmd::build` writes them only when everything succeeded.

pub mod engine;
pub mod escape;
pub mod fonts;
pub mod marks;
pub mod parts;
pub mod pdf;
pub mod present;
pub mod templates;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tera::Context;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::{Document, Figures};
use crate::model::Bureau;
pub use engine::{Engine, Package};
use fonts::{FontBook, FontOptions};
use present::Present;
use templates::{Syntax, TemplateSet};

/// What to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// PDF（默认）
    Pdf,
    /// Typst 源码
    Typ,
    /// Markdown
    Md,
    /// 公开表 Excel 工作簿（文件名.公开表.xlsx）
    Xlsx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Typ => "typ",
            Format::Md => "md",
            // Never `<stem>.xlsx`: that could be the input workbook itself.
            Format::Xlsx => "公开表.xlsx",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    pub templates: Option<PathBuf>,
    pub fonts: FontOptions,
    /// Only attachment N (1-based), standing alone.
    pub attachment: Option<usize>,
}

/// One produced file, in memory.
pub struct Artifact {
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

/// How long each phase took (`--timings`).
#[derive(Default, Debug)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    pub fn time<T>(&mut self, phase: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push((phase, start.elapsed()));
        out
    }
}

/// What every template receives, by top-level name (`juesuan context` prints it; docs/context.md
/// describes each name). `build --attachment N` adds `alone`, the one 绩效 sheet to print.
#[derive(serde::Serialize)]
pub struct TemplateContext<'a> {
    pub doc: &'a Document,
    /// The facts and figures a form declares (`[[facts]]`, `[[figures]]`), by name.
    pub extra: &'a crate::figures::extra::ExtraDoc,
    pub fonts: fonts::TemplateFonts,
}

impl TemplateContext<'_> {
    /// The context as the templates see it, as JSON: the tera values (so every number and date
    /// is in the form a template prints), keys in declaration order.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(tera::Value::from_serializable(&Present(self))).unwrap_or_default()
    }
}

impl<'a> TemplateContext<'a> {
    pub fn new(doc: &'a Document) -> TemplateContext<'a> {
        TemplateContext {
            doc,
            extra: &doc.extra,
            fonts: fonts::TemplateFonts::new(),
        }
    }
}

/// The template context of a document; an absent fact is left out of it ([`present`]).
fn context(doc: &Document) -> Context {
    let all = TemplateContext::new(doc);
    let mut ctx = Context::new();
    ctx.insert("doc", &Present(all.doc));
    ctx.insert("extra", &Present(all.extra));
    ctx.insert("fonts", &all.fonts);
    ctx
}

/// Loads the templates (built-in, overlaid by `options.templates`) and computes the figures.
pub fn prepare(
    bureau: &Bureau,
    options: &RenderOptions,
) -> Result<(TemplateSet, Figures), Diagnostics> {
    let engine = Engine::new(options)?;
    let figures = engine.figures(bureau)?;
    Ok((engine.into_templates(), figures))
}

/// The whole package for a rule-clean model, in every requested format, all in memory: an
/// [`Engine`] made for this one package. Typst's caches are emptied afterwards, as a one-off
/// build has no later document to reuse them (a batch or a server keeps its own engine).
pub fn build(
    bureau: &Bureau,
    formats: &[Format],
    options: &RenderOptions,
    timings: &mut Timings,
) -> Result<Vec<Artifact>, Diagnostics> {
    let engine = Engine::new(options)?;
    let built = engine.build(bureau, formats, timings);
    engine::evict_caches(0);
    built
}

/// Renders the 说明 in the requested format with a shared engine; for a PDF, also its page count.
pub(crate) fn render_with(
    engine: &Engine,
    bureau: &Bureau,
    figures: &Figures,
    format: Format,
    timings: &mut Timings,
) -> Result<(Artifact, Option<usize>), Diagnostics> {
    if format == Format::Xlsx {
        let bytes = crate::publish::workbook(bureau, figures)?;
        let extension = Format::Xlsx.extension();
        return Ok((Artifact { extension, bytes }, None));
    }
    let options = engine.options();
    let form = &figures.doc.form;
    let mut ctx = context(&figures.doc);
    if let Some(n) = options.attachment {
        let sheets = &figures.doc.performance.sheets;
        match n.checked_sub(1).and_then(|i| sheets.get(i)) {
            Some(sheet) => ctx.insert("alone", &Present(sheet)),
            None => {
                return Err(Diagnostic::of(
                    crate::diagnostic::codes::TEMPLATE,
                    format!("没有附件{n}：本单位共有 {} 个绩效自评表附件", sheets.len()),
                )
                .hint("附件按 部门整体、各项目 的顺序从 1 编号；有绩效指标的才生成自评表。")
                .into());
            }
        }
    }
    let syntax = match format {
        Format::Md => Syntax::Markdown,
        Format::Pdf | Format::Typ | Format::Xlsx => Syntax::Typst,
    };
    let text = timings.time("模板", || {
        let tera = engine.tera(syntax, form)?;
        let name = format!(
            "{form}/shuoming.{}",
            if syntax == Syntax::Markdown {
                "md"
            } else {
                "typ"
            }
        );
        templates::render(&tera, &name, &ctx)
    });
    let text = text?;
    match format {
        Format::Typ => Ok((
            Artifact {
                extension: "typ",
                bytes: text.into_bytes(),
            },
            None,
        )),
        Format::Md => Ok((
            Artifact {
                extension: "md",
                bytes: text.into_bytes(),
            },
            None,
        )),
        Format::Pdf | Format::Xlsx => {
            let book = timings.time("字体", || engine.fonts());
            let missing = timings.time("缺字检查", || coverage(bureau, &text, book));
            if !missing.is_empty() {
                return Err(missing);
            }
            let ident = format!("{}-{}", figures.doc.name, figures.doc.year);
            let (pdf, pages) = timings
                .time("排版与导出", || {
                    pdf::compile_counted(&text, book, &ident)
                })
                .map_err(|d| name_overrides(d, options))?;
            Ok((
                Artifact {
                    extension: "pdf",
                    bytes: pdf,
                },
                Some(pages),
            ))
        }
    }
}

/// A Typst error almost always comes from a template the user changed: name the ones the
/// `--templates` directory put in place of the built-in ones.
fn name_overrides(mut diags: Diagnostics, options: &RenderOptions) -> Diagnostics {
    let Some(dir) = &options.templates else {
        return diags;
    };
    let replaced: Vec<String> = templates::BUILTIN
        .iter()
        .map(|(name, _)| dir.join(name))
        .filter(|p| p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if replaced.is_empty() {
        return diags;
    }
    for d in &mut diags.0 {
        if d.code == crate::diagnostic::codes::TYPST {
            d.hints.push(format!(
                "本次替换了内置模板的文件（错误多在其中）：{}",
                replaced.join("、")
            ));
        }
    }
    diags
}

/// Every character of the text must be covered by a loaded font, checked before compiling (Typst
/// itself would silently draw tofu). A character from the input is reported at its input
/// location; one from a template is reported as such.
pub fn coverage(bureau: &Bureau, typst_source: &str, book: &FontBook) -> Diagnostics {
    let mut d = Diagnostics::default();
    let mut reported = std::collections::BTreeSet::new();
    // One bit per codepoint (`FontBook::covers`): cheaper than remembering the characters seen.
    let covers = |c: char| book.covers(c);
    for text in bureau.texts() {
        for c in text.value.chars() {
            if !c.is_control() && !covers(c) && reported.insert(c) {
                d.push(
                    Diagnostic::of(
                        crate::diagnostic::codes::MISSING_GLYPH,
                        format!("字符“{c}”（U+{:04X}）不在可用字体中，打印出来会是空白或方框", c as u32),
                    )
                    .at_opt(text.loc.as_ref())
                    .hint("改用常用字（字体覆盖 GBK 全部汉字），或用 --font-dir 指定含有此字的字体目录。"),
                );
            }
        }
    }
    for c in typst_source.chars() {
        if !c.is_control() && !c.is_whitespace() && !covers(c) && reported.insert(c) {
            d.push(
                Diagnostic::of(
                    crate::diagnostic::codes::MISSING_GLYPH,
                    format!("模板文字中的字符“{c}”（U+{:04X}）不在可用字体中", c as u32),
                )
                .hint("修改 --templates 目录中的模板，或用 --font-dir 增加字体。"),
            );
        }
    }
    d
}
