//! Typst 源码 → PDF：编译、检查缺字（glyph 0）、以固定日期和标识导出，保证同样输入同样字节。

use typst::foundations::Smart;
use typst::layout::{Frame, FrameItem};
use typst::text::TextItem;
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::fonts::FontBook;

/// Compiles Typst source into a PDF. `ident` fixes the PDF identifier (same input, same bytes);
/// the creation date comes from `#set document(date: ..)` in the source.
pub fn compile(source: &str, fonts: &FontBook, ident: &str) -> Result<Vec<u8>, Diagnostics> {
    let doc = layout(source, fonts)?;
    let mut diags = Diagnostics::default();
    missing_glyphs(&doc, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    export(&doc, ident)
}

/// Lays out Typst source into pages.
pub fn layout(source: &str, fonts: &FontBook) -> Result<PagedDocument, Diagnostics> {
    let engine = TypstEngine::builder()
        .main_file(source.to_string())
        .fonts(fonts.fonts.iter().cloned())
        .build();
    engine.compile::<PagedDocument>().output.map_err(|e| {
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::error(
                crate::diagnostic::codes::TYPST,
                format!("Typst 编译失败：{e}"),
            )
            .hint("多由修改过的模板引起；用 --format typ 输出源码查看对应行。"),
        );
        diags
    })
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
            d.push(Diagnostic::error(
                crate::diagnostic::codes::TYPST,
                format!("PDF 导出失败：{}", e.message),
            ));
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
            Diagnostic::error(
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
