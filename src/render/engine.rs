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
    layouts: OnceLock<Result<TableLayouts, Diagnostics>>,
    /// The fixed 名词解释 of each form used so far, by form key.
    glossaries: Mutex<BTreeMap<String, Result<Arc<FixedGlossary>, Diagnostics>>>,
    typst_tera: OnceLock<Result<Tera, Diagnostics>>,
    markdown_tera: OnceLock<Result<Tera, Diagnostics>>,
    fonts: OnceLock<FontBook>,
}

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
            typst_tera: OnceLock::new(),
            markdown_tera: OnceLock::new(),
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
        self.layouts
            .get_or_init(|| self.templates.table_layouts())
            .as_ref()
            .map_err(Clone::clone)
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

    /// The tera instance of a syntax, its templates parsed once.
    pub fn tera(&self, syntax: Syntax) -> Result<&Tera, Diagnostics> {
        let cell = match syntax {
            Syntax::Typst => &self.typst_tera,
            Syntax::Markdown => &self.markdown_tera,
        };
        cell.get_or_init(|| self.templates.engine(syntax))
            .as_ref()
            .map_err(Clone::clone)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Engine>();
    }
}
