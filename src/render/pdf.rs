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
    let doc = layout(source, fonts)?;
    let mut diags = Diagnostics::default();
    missing_glyphs(&doc, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((export(&doc, ident)?, doc.pages().len()))
}

/// Lays out Typst source into pages. Typst's memoised results stay in its process-wide cache for
/// the next document; the caller decides when to evict them (`engine::evict_caches`).
///
/// A document too large to lay out is refused before layout (see [`super::engine::page_cap`]):
/// Typst lays out every page of a flow before any page's header or footer, so a check after
/// layout comes too late for memory (20,000 pages took 950 MB, 100,000 pages 4 GB).
pub fn layout(source: &str, fonts: &FontBook) -> Result<PagedDocument, Diagnostics> {
    let world = OneSource {
        main: Source::detached(source.to_string()),
        fonts,
    };
    if let Some(size) = evaluated_size(&world) {
        super::engine::page_cap::before_layout(size)?;
    }
    let doc = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|e| compile_errors(&world.main, TypstAsLibError::TypstSource(e)))?;
    super::engine::page_cap::after_layout(doc.pages().len())?;
    Ok(doc)
}

/// How large a document's content is before layout: its elements and its explicit page breaks.
/// `None` when it does not evaluate (compiling it then reports why). The evaluation is
/// memoised, so the compile that follows does not repeat it.
fn evaluated_size(world: &OneSource) -> Option<super::engine::page_cap::Size> {
    use std::ops::ControlFlow;
    use typst::comemo::Track;
    use typst::engine::{Route, Sink, Traced};
    let traced = Traced::default();
    let mut sink = Sink::new();
    let world: &dyn typst::World = world;
    let module = typst_eval::eval(
        world.track(),
        world.library(),
        traced.track(),
        sink.track_mut(),
        Route::default().track(),
        &world.source(world.main()).ok()?,
    )
    .ok()?;
    let mut size = super::engine::page_cap::Size::default();
    let pagebreak = typst::foundations::Element::of::<typst::layout::PagebreakElem>();
    let _ = module.content().traverse(&mut |c| -> ControlFlow<()> {
        size.elements += 1;
        if c.elem() == pagebreak {
            size.pagebreaks += 1;
        } else if let Some(text) = c.to_packed::<typst::text::TextElem>() {
            size.chars += text.text.chars().count();
        }
        // Far enough past the cap to refuse: stop counting.
        if size.estimated_pages() > 2 * super::engine::page_cap::MAX_PAGES {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    });
    Some(size)
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
