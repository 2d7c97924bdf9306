//! 生成环境：模板、附表版式、名词解释、字体与 Typst 的标准库只加载一次，供多份文档共用。
//!
//! A single `juesuan build` makes one [`Engine`] for one package; a batch (`juesuan build 目录`)
//! makes one for the whole folder and shares it between its worker threads, and a long-running
//! server keeps one warm for its life. Everything is loaded on first use, so a build that writes
//! only Markdown never reads a font, and a template error shows up where it did before: when the
//! document that needs that template is rendered.
//!
//! The engine never evicts Typst's memoisation caches (comemo): whoever drives it decides. A batch
//! evicts between documents so memory stays flat; a server keeps the cache, which is what makes
//! its second build of a similar workbook fast. See [`evict_caches`].

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use tera::Tera;

use super::fonts::FontBook;
use super::templates::{Syntax, TemplateSet};
use super::{Artifact, Format, RenderOptions, Timings};
use crate::diagnostic::Diagnostics;
use crate::figures::{self, Figures, FixedGlossary};
use crate::form::layouts::TableLayouts;
use crate::model::Bureau;

/// Everything that does not depend on the department: loaded once, shared by every document.
///
/// `Engine` is `Send + Sync`: worker threads share one through a reference.
pub struct Engine {
    options: RenderOptions,
    templates: TemplateSet,
    layouts: OnceLock<Result<Arc<TableLayouts>, Diagnostics>>,
    /// The fixed 名词解释 of each form used so far, by form key.
    glossaries: Mutex<BTreeMap<String, Result<Arc<FixedGlossary>, Diagnostics>>>,
    /// The tera instance of each syntax and form used so far, its templates parsed once.
    teras: Mutex<BTreeMap<(Syntax, String), TeraCell>>,
    fonts: OnceLock<FontBook>,
}

/// A tera instance, parsed by the first worker that wants it (or why its templates do not parse).
type TeraCell = Arc<OnceLock<Result<Arc<Tera>, Diagnostics>>>;

/// One department's package: the files in memory and, when a PDF was made, its page count.
pub struct Package {
    pub artifacts: Vec<Artifact>,
    pub pages: Option<usize>,
}

impl Engine {
    /// Reads the templates (built-in, overlaid by `options.templates`); a `--templates` folder
    /// that cannot be used is an error here, before any document.
    pub fn new(options: &RenderOptions) -> Result<Engine, Diagnostics> {
        let templates = TemplateSet::load(options.templates.as_deref())?;
        Ok(Engine {
            options: options.clone(),
            templates,
            layouts: OnceLock::new(),
            glossaries: Mutex::new(BTreeMap::new()),
            teras: Mutex::new(BTreeMap::new()),
            fonts: OnceLock::new(),
        })
    }

    pub fn options(&self) -> &RenderOptions {
        &self.options
    }

    pub fn templates(&self) -> &TemplateSet {
        &self.templates
    }

    pub fn into_templates(self) -> TemplateSet {
        self.templates
    }

    /// The fonts, loaded (and the system searched) on first use.
    pub fn fonts(&self) -> &FontBook {
        self.fonts
            .get_or_init(|| FontBook::load(&self.options.fonts))
    }

    fn layouts(&self) -> Result<&TableLayouts, Diagnostics> {
        match self.layouts.get_or_init(|| self.templates.table_layouts()) {
            Ok(layouts) => Ok(layouts),
            Err(e) => Err(e.clone()),
        }
    }

    fn glossary(&self, form: &str) -> Result<Arc<FixedGlossary>, Diagnostics> {
        // A poisoned lock only means another worker panicked mid-insert of a whole entry; the
        // map itself is still consistent.
        let mut map = self
            .glossaries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        map.entry(form.to_string())
            .or_insert_with(|| self.templates.glossary(form).map(Arc::new))
            .clone()
    }

    /// The tera instance of a syntax for the documents of a form, its templates parsed once
    /// ([`TemplateSet::engine`]: only those the form can reach).
    pub fn tera(&self, syntax: Syntax, form: &str) -> Result<Arc<Tera>, Diagnostics> {
        // The map is locked only to find the form's cell: another form's templates are parsed
        // meanwhile, and a worker wanting the same form waits for the one parsing it.
        let cell = {
            let mut map = self.teras.lock().unwrap_or_else(|p| p.into_inner());
            map.entry((syntax, form.to_string())).or_default().clone()
        };
        cell.get_or_init(|| self.templates.engine(syntax, form).map(Arc::new))
            .clone()
    }

    /// Computes every figure of a department (rule-clean model expected).
    pub fn figures(&self, bureau: &Bureau) -> Result<Figures, Diagnostics> {
        let glossary = self.glossary(&bureau.identity.form.key)?;
        let layouts = self.layouts()?;
        figures::compute(bureau, &glossary, layouts)
    }

    /// The whole package in every requested format, all in memory.
    pub fn build(
        &self,
        bureau: &Bureau,
        formats: &[Format],
        timings: &mut Timings,
    ) -> Result<Vec<Artifact>, Diagnostics> {
        self.package(bureau, formats, timings).map(|p| p.artifacts)
    }

    /// [`Engine::build`], also telling how many pages the PDF has.
    pub fn package(
        &self,
        bureau: &Bureau,
        formats: &[Format],
        timings: &mut Timings,
    ) -> Result<Package, Diagnostics> {
        let figures = timings.time("计算", || self.figures(bureau))?;
        let mut package = Package {
            artifacts: Vec::new(),
            pages: None,
        };
        for &format in formats {
            if package
                .artifacts
                .iter()
                .any(|a| a.extension == format.extension())
            {
                continue;
            }
            let (artifact, pages) = super::render_with(self, bureau, &figures, format, timings)?;
            if pages.is_some() {
                package.pages = pages;
            }
            package.artifacts.push(artifact);
        }
        Ok(package)
    }
}

/// Drops Typst's memoised results not used during the last `max_age` evictions (`0`: all of
/// them). Process-wide: call it from the driver that owns the process's workload (a batch between
/// documents, the web page after each build), never from library code a caller shares.
pub fn evict_caches(max_age: usize) {
    typst::comemo::evict(max_age);
}

/// 页数上限：模板或输入排出的页数不合常理时，在排版之前拒绝（F006）。
///
/// A template with a runaway loop (`#for i in range(100000) [#pagebreak() …]`) reached 4 GB
/// laying out 100,000 pages, and no input limit stops it: the template is the user's own. Typst
/// lays out all pages of a flow before any page's header or footer, so the count must come
/// before layout: the evaluated content is measured — explicit page breaks, elements and
/// characters of text, each of which a page needs some of — and a document estimated beyond
/// [`MAX_PAGES`] is refused unlaid. The largest package juesuan is made for (the synthetic large
/// department: 2,000 功能分类 lines, 500 projects, 1,048 pages) is estimated at 2,300; inputs at
/// the entry and text limits at 270 and 1,600 (516 and 1,648 pages). What slips past the
/// estimate (pages made inside `context`, which only layout expands) is refused after layout by
/// its page count.
pub mod page_cap {
    use crate::diagnostic::{Diagnostic, Diagnostics, codes};

    /// The most pages a document may have.
    pub const MAX_PAGES: usize = 5_000;
    /// Content elements a page holds at least (a table row of cells is a dozen): the large
    /// department has 218 per page, the densest example 52.
    pub const ELEMENTS_PER_PAGE: usize = 100;
    /// Characters of text a page holds at most (the 说明's body size fits about 600; headings
    /// and lists fewer): 300 is what a page of duties at the text limit holds.
    pub const CHARS_PER_PAGE: usize = 300;

    /// A document's evaluated content: elements, explicit page breaks, characters of text.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct Size {
        pub elements: usize,
        pub pagebreaks: usize,
        pub chars: usize,
    }

    impl Size {
        /// The pages the content would make, estimated before layout.
        pub fn estimated_pages(&self) -> usize {
            self.pagebreaks
                .max(self.elements / ELEMENTS_PER_PAGE)
                .max(self.chars / CHARS_PER_PAGE)
        }
    }

    fn refusal(what: String) -> Diagnostics {
        Diagnostics::from(
            Diagnostic::of(codes::PAGE_LIMIT, what).hint(
                "通常是 --templates 中修改过的模板有失控的循环（如 #for 或 {% for %} 的范围写错），或把大量内容重复放置；\
                 用 --format typ 写出生成的 Typst 源码查看，改正模板后再生成。",
            ),
        )
    }

    /// Refuses, before layout, content estimated at more than [`MAX_PAGES`] pages.
    pub fn before_layout(size: Size) -> Result<(), Diagnostics> {
        let pages = size.estimated_pages();
        if pages > MAX_PAGES {
            return Err(refusal(format!(
                "生成的文档约有 {pages} 页以上（{} 处分页、{} 个排版元素、{} 个字），超过 {MAX_PAGES} 页的上限，未排版",
                size.pagebreaks, size.elements, size.chars
            )));
        }
        Ok(())
    }

    /// Refuses a laid-out document of more than [`MAX_PAGES`] pages.
    pub fn after_layout(pages: usize) -> Result<(), Diagnostics> {
        if pages > MAX_PAGES {
            return Err(refusal(format!(
                "生成的文档有 {pages} 页，超过 {MAX_PAGES} 页的上限"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Engine>();
    }
}
