//! 一次运行所需的一切只加载一次：表式（含 `--templates` 新增的）、附表版式、名词解释、模板、字体。
//!
//! A [`Session`] is what one run of juesuan has loaded, as zola's `Site` or ripgrep's `HiArgs`
//! are: the forms with their table layouts (built-in, overlaid by a `--templates` folder), and
//! the render [`Engine`] with the parsed templates, glossaries and fonts (loaded on first use).
//! A command turns its arguments into a `Session` and one call; checking, `--previous`, figures,
//! rendering, a batch and the web page all take what they need from it, so a `--templates` folder
//! is read once and everything in the run sees the same forms and layouts.

use std::path::Path;

use crate::diagnostic::Diagnostics;
use crate::figures::Figures;
use crate::form::Forms;
use crate::model::Bureau;
use crate::render::{Artifact, Engine, Format, RenderOptions, Timings};

/// What one run has loaded (`Send + Sync`: a batch's workers and the web page share one).
pub struct Session {
    forms: Forms,
    engine: Engine,
}

impl Session {
    /// Reads the templates (built-in, overlaid by `options.templates`) once and the forms they
    /// define. A `--templates` folder that cannot be used — a template, a manifest or a layout in
    /// error — is reported here, before any input is read.
    pub fn new(options: &RenderOptions) -> Result<Session, Diagnostics> {
        let engine = Engine::new(options)?;
        let forms = match options.templates {
            None => Forms::builtin().clone(),
            Some(_) => engine.templates().forms()?,
        };
        Ok(Session { forms, engine })
    }

    /// The built-in forms and templates only, default fonts.
    pub fn builtin() -> Session {
        Session::new(&RenderOptions::default()).expect("the built-in templates load")
    }

    /// Every form this run knows: the built-in ones and those of `--templates`.
    pub fn forms(&self) -> &Forms {
        &self.forms
    }

    /// The render engine: templates, layouts, glossaries and fonts.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn options(&self) -> &RenderOptions {
        self.engine.options()
    }

    /// Reads, validates and checks an input file against this run's forms.
    pub fn check_file(&self, path: &Path) -> crate::Checked {
        crate::check_file_with(path, &self.forms)
    }

    /// Validates and checks an input already read against this run's forms.
    pub fn check_loaded(&self, loaded: crate::input::Loaded) -> crate::Checked {
        crate::check_loaded_with(loaded, &self.forms)
    }

    /// Computes every figure of a rule-clean department with this run's layouts and glossaries.
    pub fn figures(&self, bureau: &Bureau) -> Result<Figures, Diagnostics> {
        self.engine.figures(bureau)
    }

    /// The whole package of a rule-clean department in every requested format, in memory.
    pub fn build(
        &self,
        bureau: &Bureau,
        formats: &[Format],
        timings: &mut Timings,
    ) -> Result<Vec<Artifact>, Diagnostics> {
        self.engine.build(bureau, formats, timings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_is_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Session>();
    }

    #[test]
    fn a_builtin_session_knows_the_builtin_forms() {
        let s = Session::builtin();
        assert!(s.forms().get("sichuan").is_some());
        assert!(s.forms().get("shanghai").is_some());
    }
}
