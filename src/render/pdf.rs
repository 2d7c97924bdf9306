//! Typst 源码 → PDF：编译、检查缺字（glyph 0）、以固定日期和标识导出，保证同样输入同样字节。

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::{Frame, FrameItem};
use typst::syntax::{DiagSpan, DiagSpanKind, FileId, Source};
use typst::text::{Font, FontBook as TypstFontBook, TextItem};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_as_lib::TypstAsLibError;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::render::fonts::FontBook;

/// Compiles Typst source into a PDF. `ident` fixes the PDF identifier (same input, same bytes);
/// the creation date comes from `#set document(date: ..)` in the source.
pub fn compile(source: &str, fonts: &FontBook, ident: &str) -> Result<Vec<u8>, Diagnostics> {
    compile_counted(source, fonts, ident).map(|(pdf, _)| pdf)
}

/// [`compile`], also returning the number of pages.
pub fn compile_counted(
    source: &str,
    fonts: &FontBook,
    ident: &str,
) -> Result<(Vec<u8>, usize), Diagnostics> {
    let seed = remembered::seed(ident);
    let (doc, _) = layout_from(source, fonts, seed.as_deref(), MAX_ITERATIONS)?;
    drop(seed);
    let mut diags = Diagnostics::default();
    missing_glyphs(&doc, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let pdf = export(&doc, ident)?;
    let pages = doc.pages().len();
    remembered::keep(ident, doc);
    Ok((pdf, pages))
}

/// The last laid-out document of each of a few identities, for a warm process (the web page)
/// to start the next layout of the same department from: when one figure changed, the page
/// numbers, the 目录 and the 续表 markers of the last build are still right, and Typst's first
/// layout iteration is then its last. Off unless [`remember_layouts`] turned it on.
mod remembered {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    use typst_layout::PagedDocument;

    /// Identities remembered, most recent last.
    const KEPT: usize = 4;

    static ON: AtomicBool = AtomicBool::new(false);
    static DOCS: Mutex<Vec<(String, Arc<PagedDocument>)>> = Mutex::new(Vec::new());

    pub fn set(on: bool) {
        ON.store(on, Ordering::Relaxed);
        if !on {
            docs().clear();
        }
    }

    fn docs() -> std::sync::MutexGuard<'static, Vec<(String, Arc<PagedDocument>)>> {
        // A poisoned lock only means a build panicked between two whole updates.
        DOCS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn seed(ident: &str) -> Option<Arc<PagedDocument>> {
        if !ON.load(Ordering::Relaxed) {
            return None;
        }
        docs()
            .iter()
            .find(|(id, _)| id == ident)
            .map(|(_, doc)| doc.clone())
    }

    pub fn keep(ident: &str, doc: PagedDocument) {
        if !ON.load(Ordering::Relaxed) {
            return;
        }
        let mut docs = docs();
        docs.retain(|(id, _)| id != ident);
        if docs.len() >= KEPT {
            docs.remove(0);
        }
        docs.push((ident.to_string(), Arc::new(doc)));
    }
}

/// Turns on (or off) starting each layout from the last document of the same identity (see
/// `remembered`). For a process that builds the same department again and again (the web
/// page); a one-off build or a batch has nothing to start from. The PDF is the same either way:
/// Typst stops only when the layout agrees with itself.
pub fn remember_layouts(on: bool) {
    remembered::set(on);
}

/// Lays out Typst source into pages. Typst's memoised results stay in its process-wide cache for
/// the next document; the caller decides when to evict them (`engine::evict_caches`).
///
/// A document too large to lay out is refused before layout (see [`super::engine::page_cap`]):
/// Typst lays out every page of a flow before any page's header or footer, so a check after
/// layout comes too late for memory (20,000 pages took 950 MB, 100,000 pages 4 GB).
pub fn layout(source: &str, fonts: &FontBook) -> Result<PagedDocument, Diagnostics> {
    layout_passes(source, fonts).map(|(doc, _)| doc)
}

/// How long each of Typst's layout iterations took. Typst lays a document out again as long as
/// what the layout asked about itself (a page number, a counter, a label's page) changed; the
/// templates are written so that a second iteration finds almost everything memoised.
#[derive(Clone, Debug, Default)]
pub struct Passes(pub Vec<std::time::Duration>);

impl Passes {
    /// All iterations together.
    pub fn total(&self) -> std::time::Duration {
        self.0.iter().sum()
    }
}

thread_local! {
    static LAST_PASSES: std::cell::RefCell<Passes> = std::cell::RefCell::default();
}

/// The layout iterations of the last document laid out on this thread (for benchmarks).
pub fn last_passes() -> Passes {
    LAST_PASSES.with(|p| p.borrow().clone())
}

/// [`layout`], also telling how long each layout iteration took.
///
/// This is `typst::compile` written out (Typst 0.15's `compile_impl`): evaluate once, measure
/// the content before layout, then lay out until introspection is stable, at most
/// `MAX_ITERS` times; warnings are dropped as before.
pub fn layout_passes(
    source: &str,
    fonts: &FontBook,
) -> Result<(PagedDocument, Passes), Diagnostics> {
    layout_from(source, fonts, None, MAX_ITERATIONS)
}

/// Typst's first layout iteration alone: the pages as laid out with no answer to any question
/// about the document (page numbers, labels). Not a finished document; the yardstick a build is
/// compared with (`cargo bench --bench build`, "full build ÷ one layout pass").
pub fn first_pass(source: &str, fonts: &FontBook) -> Result<PagedDocument, Diagnostics> {
    layout_from(source, fonts, None, 1).map(|(doc, _)| doc)
}

/// The most layout iterations Typst makes before it gives up on a document settling.
const MAX_ITERATIONS: usize = typst::introspection::MAX_ITERS;

/// [`layout_passes`], the first iteration asking its questions (page numbers, labels, states)
/// of `seed` instead of an empty document. A seed whose answers are still right saves every
/// iteration after the first; one that sends the layout round without settling is dropped and
/// the layout starts again from nothing, as Typst would.
fn layout_from(
    source: &str,
    fonts: &FontBook,
    seed: Option<&PagedDocument>,
    max_iterations: usize,
) -> Result<(PagedDocument, Passes), Diagnostics> {
    use typst::comemo::{Constraint, Track};
    use typst::engine::{Engine, Route, Sink, Traced};
    use typst::foundations::{Output, StyleChain, Target, TargetElem};
    use typst::introspection::{EmptyIntrospector, Introspector};
    use typst::utils::Protected;

    let world = OneSource {
        main: Source::detached(source.to_string()),
        fonts,
    };
    // As `typst::compile`: the same error reported twice (from two iterations) is shown once.
    let errors = |e: typst::ecow::EcoVec<typst::diag::SourceDiagnostic>| {
        let mut seen = std::collections::HashSet::new();
        let unique = e
            .into_iter()
            .filter(|d| seen.insert(typst::utils::hash128(&(&d.span, &d.message))))
            .collect();
        compile_errors(&world.main, TypstAsLibError::TypstSource(unique))
    };
    let dyn_world: &dyn typst::World = &world;
    let tracked = dyn_world.track();
    let library = library();
    let traced = Traced::default();
    let mut sink = Sink::new();
    let content = typst_eval::eval(
        tracked,
        library,
        traced.track(),
        sink.track_mut(),
        Route::default().track(),
        &world.main,
    )
    .map_err(errors)?
    .content();
    let (size, has_outline) = evaluated_size(&content);
    super::engine::page_cap::before_layout(size)?;

    let base = StyleChain::new(&library.styles);
    let target = TargetElem::target.set(Target::Paged).wrap();
    let styles = base.chain(&target);
    // A long document is laid out in parts for memory. A shorter one whose folios and （续表）
    // are drawn after layout (`marks`) is split only to lay out its 目录 apart: the body then
    // asks nothing about itself and is laid out once; the 目录 (a page) is laid out again when
    // the body's headings are placed. Its parts share Typst's cache (no eviction between them).
    let long = size.estimated_pages() >= super::parts::from_pages();
    let outline_apart = !long && super::marks::marked(source) && has_outline;
    if seed.is_none()
        && max_iterations == MAX_ITERATIONS
        && (long || outline_apart)
        && let Some(parts) = super::parts::split(&content)
    {
        let doc = super::parts::layout(
            &parts,
            library,
            tracked,
            &traced,
            styles,
            &mut sink,
            max_iterations,
            &|| {
                if long {
                    typst::comemo::evict(0)
                }
            },
        )
        .map_err(errors)?;
        let doc = after_layout(doc, &content, library, tracked, &traced, styles, &mut sink)
            .map_err(errors)?;
        let delayed = sink.delayed();
        if !delayed.is_empty() {
            return Err(errors(delayed));
        }
        super::engine::page_cap::after_layout(doc.pages().len())?;
        // In parts, the iterations of the part that took longest (the body).
        let layouts = super::parts::last_layouts();
        let mut totals = std::collections::BTreeMap::new();
        for (part, d) in &layouts {
            *totals.entry(*part).or_insert(std::time::Duration::ZERO) += *d;
        }
        let longest = totals.iter().max_by_key(|(_, d)| **d).map(|(p, _)| *p);
        let passes = Passes(
            layouts
                .iter()
                .filter(|(part, _)| Some(*part) == longest)
                .map(|(_, d)| *d)
                .collect(),
        );
        LAST_PASSES.with(|p| *p.borrow_mut() = passes.clone());
        return Ok((doc, passes));
    }
    super::parts::forget_layouts();
    let empty = EmptyIntrospector;
    let mut passes = Passes::default();
    let mut previous: Option<PagedDocument> = None;
    let mut seed = seed;
    let mut iterations = 0;
    let doc = loop {
        iterations += 1;
        let start = std::time::Instant::now();
        let introspector: &dyn Introspector = match (&previous, seed) {
            (Some(d), _) => Output::introspector(d),
            (None, Some(d)) => Output::introspector(d),
            (None, None) => &empty,
        };
        let constraint = Constraint::new();
        let mut subsink = Sink::new();
        let mut engine = Engine {
            library,
            world: tracked,
            introspector: Protected::new(introspector.track_with(&constraint)),
            traced: traced.track(),
            sink: subsink.track_mut(),
            route: Route::default(),
        };
        let document = PagedDocument::create(&mut engine, &content, styles).map_err(errors)?;
        passes.0.push(start.elapsed());
        let settled = constraint.validate(Output::introspector(&document));
        if !settled && iterations >= max_iterations && seed.is_some() {
            // Never settled from the seed: start again from nothing.
            seed = None;
            previous = None;
            iterations = 0;
            continue;
        }
        if settled || iterations >= max_iterations {
            sink.extend_from_sink(subsink);
            break document;
        }
        previous = Some(document);
    };
    drop(previous);
    let doc = after_layout(doc, &content, library, tracked, &traced, styles, &mut sink)
        .map_err(errors)?;
    let delayed = sink.delayed();
    if !delayed.is_empty() {
        return Err(errors(delayed));
    }
    LAST_PASSES.with(|p| *p.borrow_mut() = passes.clone());
    super::engine::page_cap::after_layout(doc.pages().len())?;
    Ok((doc, passes))
}

/// Draws what the templates left to after layout (`marks`: folios, （续表）) into the pages.
fn after_layout(
    doc: PagedDocument,
    content: &typst::foundations::Content,
    library: &LazyHash<Library>,
    world: typst::comemo::Tracked<dyn typst::World + '_>,
    traced: &typst::engine::Traced,
    styles: typst::foundations::StyleChain,
    sink: &mut typst::engine::Sink,
) -> typst::diag::SourceResult<PagedDocument> {
    use typst::comemo::Track;
    use typst::engine::{Engine, Route};
    use typst::introspection::{EmptyIntrospector, Introspector};
    use typst::utils::Protected;

    if !doc
        .pages()
        .iter()
        .any(|p| super::marks::has_marks(&p.frame))
    {
        return Ok(doc);
    }
    let info = typst::model::Document::info(&doc).clone();
    let mut pages: Vec<typst_layout::Page> = doc.pages().to_vec();
    drop(doc);
    let preamble = super::marks::preamble_styles(content);
    let empty = EmptyIntrospector;
    let introspector: &dyn Introspector = &empty;
    let mut engine = Engine {
        library,
        world,
        introspector: Protected::new(introspector.track()),
        traced: traced.track(),
        sink: sink.track_mut(),
        route: Route::default(),
    };
    super::marks::draw(&mut engine, &mut pages, styles, &preamble)?;
    Ok(PagedDocument::new(pages.into_iter().collect(), info))
}

/// How large a document's content is before layout (its elements and its explicit page breaks),
/// and whether it holds a 目录 — one walk through it.
fn evaluated_size(content: &typst::foundations::Content) -> (super::engine::page_cap::Size, bool) {
    use std::ops::ControlFlow;
    let mut size = super::engine::page_cap::Size::default();
    let mut outline = false;
    let pagebreak = typst::foundations::Element::of::<typst::layout::PagebreakElem>();
    let _ = content.traverse(&mut |c| -> ControlFlow<()> {
        size.elements += 1;
        if c.elem() == pagebreak {
            size.pagebreaks += 1;
        } else if let Some(text) = c.to_packed::<typst::text::TextElem>() {
            size.chars += text.text.chars().count();
        }
        outline |= super::parts::is_outline(&c);
        // Far enough past the cap to refuse: stop counting.
        if size.estimated_pages() > 2 * super::engine::page_cap::MAX_PAGES {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    (size, outline)
}

/// Typst's standard library, built once per process.
fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::builder().build()))
}

/// The world a document is compiled in: its one generated source, the shared fonts and the
/// shared standard library. No file on disk can be read from it.
struct OneSource<'a> {
    main: Source,
    fonts: &'a FontBook,
}

impl typst::World for OneSource<'_> {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<TypstFontBook> {
        self.fonts.typst_book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().get_without_slash().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Err(FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs() as i64;
        let hours = offset.map_or(0, |o| o.hours() as i64);
        let days = seconds
            .checked_add(hours.checked_mul(3600)?)?
            .div_euclid(86_400);
        let (y, m, d) = crate::calendar::civil_from_days(days);
        Datetime::from_ymd(y, m, d)
    }
}

/// How F004 names the file its line and column refer to: the Typst source the templates
/// produced, which `--format typ` writes out.
pub const GENERATED_SOURCE: &str = "生成的 Typst 源码";

/// Typst's errors as F004 diagnostics, each at its line and column in the generated source,
/// quoting that line so it can be found in the template it came from.
fn compile_errors(main: &Source, e: TypstAsLibError) -> Diagnostics {
    let hint = "用 `juesuan build 输入文件 --format typ` 写出生成的 Typst 源码（.typ），打开所示行；\
                该行来自 --templates 目录中修改过的模板（如 sichuan/shuoming.typ、common/blocks.typ、sichuan/body.tera），\
                在模板中找到引用的这段文字改正。内置模板出错请报告问题。";
    let mut diags = Diagnostics::default();
    match e {
        TypstAsLibError::TypstSource(errors) => {
            for d in errors.iter().filter(|d| d.severity == Severity::Error) {
                let place = source_place(main, d.span);
                let mut message = format!("Typst 编译失败：{}", d.message);
                let mut diagnostic = Diagnostic::of(crate::diagnostic::codes::TYPST, "");
                if let Some((location, line_text)) = place {
                    if let Location::File { line, column, .. } = &location {
                        message = format!(
                            "Typst 编译失败（生成的源码第 {line} 行第 {column} 列“{line_text}”）：{}",
                            d.message
                        );
                    }
                    diagnostic = diagnostic.at(&location);
                }
                diagnostic.message = message;
                for h in &d.hints {
                    diagnostic = diagnostic.hint(format!("Typst 的提示：{}", h.v));
                }
                diags.push(diagnostic.hint(hint));
            }
        }
        TypstAsLibError::HintedString(h) => {
            let mut d = Diagnostic::of(
                crate::diagnostic::codes::TYPST,
                format!("Typst 编译失败：{}", h.message()),
            );
            for extra in h.hints() {
                d = d.hint(format!("Typst 的提示：{extra}"));
            }
            diags.push(d.hint(hint));
        }
        other => diags.push(
            Diagnostic::of(
                crate::diagnostic::codes::TYPST,
                format!("Typst 编译失败：{other}"),
            )
            .hint(hint),
        ),
    }
    if diags.is_empty() {
        diags.push(Diagnostic::of(crate::diagnostic::codes::TYPST, "Typst 编译失败").hint(hint));
    }
    diags
}

/// The line and column (1-based, columns in characters) of a span in the generated source, and
/// that line's text, shortened to what a message can quote.
fn source_place(main: &Source, span: DiagSpan) -> Option<(Location, String)> {
    let range = match span.get() {
        DiagSpanKind::Number { id, num, sub_range } if id == main.id() => {
            main.range(num, sub_range)?
        }
        DiagSpanKind::Range { id, range } if id == main.id() => range,
        _ => return None,
    };
    let lines = main.lines();
    let (line, column) = lines.byte_to_line_column(range.start)?;
    let text = main.text();
    let line_start = range.start - column_bytes(text, range.start);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |n| line_start + n);
    let mut quoted: String = text[line_start..line_end].trim().chars().take(60).collect();
    if text[line_start..line_end].trim().chars().count() > 60 {
        quoted.push('…');
    }
    Some((
        Location::File {
            file: GENERATED_SOURCE.into(),
            line: line + 1,
            column: column + 1,
            span: range,
        },
        quoted,
    ))
}

/// Bytes from the start of the line to `at`.
fn column_bytes(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(at, |n| at - n - 1)
}

/// Writes laid-out pages as PDF with a fixed identifier and no tagging (smaller, and stable).
pub fn export(doc: &PagedDocument, ident: &str) -> Result<Vec<u8>, Diagnostics> {
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        tagged: false,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(doc, &options).map_err(|errors| {
        let mut d = Diagnostics::default();
        for e in errors {
            d.push(
                Diagnostic::of(
                    crate::diagnostic::codes::TYPST,
                    format!("PDF 导出失败：{}", e.message),
                )
                .hint("多由修改过的模板中的图片、字体或链接引起；先去掉 --templates 重试，内置模板出错请报告问题。"),
            );
        }
        d
    })
}

/// Calls `f` with every text run of a page, descending into groups.
fn for_each_text(frame: &Frame, f: &mut impl FnMut(&TextItem)) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => for_each_text(&g.frame, f),
            FrameItem::Text(t) => f(t),
            _ => {}
        }
    }
}

/// The text of the laid-out pages, in reading order (used by tests to see what was printed).
pub fn plain_text(doc: &PagedDocument) -> String {
    let mut out = String::new();
    for page in doc.pages() {
        for_each_text(&page.frame, &mut |t| out.push_str(&t.text));
        out.push('\n');
    }
    out
}

/// Finds glyph id 0 (.notdef, the “tofu” box) in the laid-out pages.
pub fn missing_glyphs(doc: &PagedDocument, diags: &mut Diagnostics) {
    let mut found: Vec<(char, usize, String)> = Vec::new();
    for (n, page) in doc.pages().iter().enumerate() {
        for_each_text(&page.frame, &mut |t| {
            for g in t.glyphs.iter().filter(|g| g.id == 0) {
                let c = t.text[g.range()].chars().next().unwrap_or('\u{FFFD}');
                if !c.is_whitespace() {
                    found.push((c, n + 1, t.font.font().info().family.clone()));
                }
            }
        });
    }
    found.sort();
    found.dedup_by(|a, b| a.0 == b.0);
    for (c, page, font) in found {
        diags.push(
            Diagnostic::of(
                crate::diagnostic::codes::TOFU,
                format!(
                    "第 {page} 页排版后缺字：“{c}”（U+{:04X}），字体 {font} 中没有这个字形",
                    c as u32
                ),
            )
            .hint("用 --font-dir 指定含有此字的字体目录，或把该字改为常用字。"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fonts::FontOptions;

    /// A document that asks about itself: a 目录 with page numbers, page numbers in the footer and
    /// a label's page, over `n` pages.
    fn asking(n: usize, word: &str) -> String {
        let mut s = String::from(
            "#set page(height: 10cm, footer: context [#here().page() / #counter(page).display()])\n\
             #outline()\n#pagebreak()\n",
        );
        for i in 0..n {
            s.push_str(&format!("= {word} {i}\n#lorem(40)\n"));
        }
        s.push_str("#context [#locate(<end>).page()] <end>\n");
        s
    }

    #[test]
    fn a_layout_started_from_another_document_ends_as_one_started_from_nothing() {
        let fonts = FontBook::load(&FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        });
        let unseeded = layout_passes(&asking(12, "甲"), &fonts).unwrap().0;
        let expected = export(&unseeded, "t").unwrap();
        // The seed is the same document (settles at once) or a shorter one (does not).
        for seed in [asking(12, "甲"), asking(5, "乙")] {
            let seed = layout_passes(&seed, &fonts).unwrap().0;
            let (doc, passes) =
                layout_from(&asking(12, "甲"), &fonts, Some(&seed), MAX_ITERATIONS).unwrap();
            assert_eq!(export(&doc, "t").unwrap(), expected);
            assert!(passes.0.len() <= 3, "{passes:?}");
        }
        let (_, passes) =
            layout_from(&asking(12, "甲"), &fonts, Some(&unseeded), MAX_ITERATIONS).unwrap();
        assert_eq!(passes.0.len(), 1);
    }

    /// A document in the shape juesuan makes: a cover, a 目录, parts that start a page, pages
    /// of tables whose header says （续表） past their first page, page numbers in the footer.
    fn package(parts: usize) -> String {
        let mut s = String::from(
            "#set page(height: 12cm, footer: context { let n = here().page(); if calc.odd(n) [#n / #counter(page).display()] else [#h(1fr)#n] })\n\
             #let soft-page() = [#pagebreak(weak: true)<soft-page>]\n\
             #align(center)[封面]\n#pagebreak()\n#outline()\n#pagebreak()\n",
        );
        for p in 0..parts {
            s.push_str(&format!(
                "#pagebreak(weak: true)\n= 第{p}部分\n#soft-page()\n附件 {p}\n#lorem(30)\n"
            ));
            s.push_str(&format!(
                "#soft-page()\n== 节 {p}\n#lorem({})\n",
                60 + 50 * p
            ));
        }
        for t in 0..3 {
            s.push_str(&format!(
                "#page(flipped: {})[#metadata(none) <t{t}>\n#table(columns: 3, table.header(table.cell(colspan: 3)[#context {{ let s = query(<t{t}>); [表{t}#if here().page() != s.first().location().page() [（续表）]] }}]), ..range({}).map(str))]\n",
                t % 2 == 1,
                90 * (t + 1)
            ));
        }
        s
    }

    /// A document with page numbers in the footer and a table whose repeated header says
    /// （续表）, asked of Typst (`marks: false`) or left to `marks` after layout.
    fn numbered(marks: bool) -> String {
        let mut s = String::new();
        if marks {
            s.push_str(
                "#let folio(page, number) = if page > 1 [#page / #number]\n\
                 #set page(height: 10cm, footer: layout(size => [#metadata((folio: folio, size: size))<juesuan-folio>]))\n",
            );
        } else {
            s.push_str(
                "#set page(height: 10cm, footer: context { let n = here().page(); if n > 1 [#n / #counter(page).display()] })\n",
            );
        }
        s.push_str("封面\n#pagebreak()\n#lorem(300)\n");
        for t in 0..2 {
            let head = if marks {
                format!(
                    "#let head(c) = [表{t}#if c [（续表）]]\n#block(width: 100%, head(false))<juesuan-first>\n\
                     #place(top + left, block(width: 100%, head(true)))<juesuan-continued>"
                )
            } else {
                format!(
                    "#context {{ let s = query(<fubiao-t{t}>); [表{t}#if here().page() != s.first().location().page() [（续表）]] }}"
                )
            };
            s.push_str(&format!(
                "#page[#metadata(none) <fubiao-t{t}>\n#table(columns: 3, table.header(table.cell(colspan: 3)[{head}]), ..range({}).map(str))]\n",
                60 * (t + 1)
            ));
        }
        s
    }

    #[test]
    fn folios_and_continued_headers_drawn_after_layout_are_those_typst_would_draw() {
        let fonts = FontBook::load(&FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        });
        let (asked, asked_passes) = layout_passes(&numbered(false), &fonts).unwrap();
        let (drawn, drawn_passes) = layout_passes(&numbered(true), &fonts).unwrap();
        assert_eq!(asked_passes.0.len(), 2, "{asked_passes:?}");
        assert_eq!(drawn_passes.0.len(), 1, "{drawn_passes:?}");
        let text = plain_text(&drawn);
        assert!(
            text.contains("（续表）") && text.contains("2 / 2"),
            "{text}"
        );
        assert_eq!(text, plain_text(&asked));
        assert_eq!(drawn.pages().len(), asked.pages().len());
    }

    #[test]
    fn a_document_laid_out_in_parts_is_the_document_laid_out_whole() {
        let fonts = FontBook::load(&FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        });
        let source = package(4);
        let whole = layout(&source, &fonts).unwrap();
        let expected = export(&whole, "t").unwrap();
        assert!(whole.pages().len() > 10, "{}", whole.pages().len());
        for per_part in [1, 3] {
            let parts =
                crate::render::parts::with_sizes(0, per_part, || layout(&source, &fonts)).unwrap();
            assert!(crate::render::parts::last_parts() > 3);
            assert_eq!(plain_text(&parts), plain_text(&whole));
            assert_eq!(
                export(&parts, "t").unwrap(),
                expected,
                "{per_part} pages a part"
            );
        }
    }
}
