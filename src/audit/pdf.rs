//! 读 PDF：每一页的字（字符、位置、字号）和表格线（细的横线、竖线），纯 Rust（hayro），不依赖本机库。
//!
//! A published package is read page by page with hayro's interpreter into a device that keeps
//! two things: every glyph with its Unicode text and box, and every thin horizontal or vertical
//! path (the ruling lines of the 公开表). A font the PDF does not embed is drawn with a bundled
//! font (its text still comes from the PDF's own encoding), so no glyph is silently dropped; a
//! glyph drawn twice at one spot (fake bold) is kept once. Size, page count and the inflated size
//! of every compressed stream are checked before the interpreter reads anything.

use std::io::Read as _;
use std::sync::Arc;

use hayro_interpret::font::{FontData, FontQuery, Glyph as HayroGlyph};
use hayro_interpret::hayro_syntax::Pdf;
use hayro_interpret::hayro_syntax::object::Object;
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, GlyphDrawMode, Image, InterpreterCache,
    InterpreterSettings, Paint, PathDrawMode, SoftMask, TransformExt as _, interpret_page,
};
use kurbo::{Affine, BezPath, PathEl, Point};

/// Limits checked before the interpreter reads the document.
pub mod limits {
    /// A published package is a few MB; 200 MB is far beyond any real one.
    pub const BYTES: usize = 200 * 1024 * 1024;
    /// Pages read (a county's whole set is a few hundred).
    pub const PAGES: usize = 2_000;
    /// One stream inflated (content streams and fonts are a few MB at most).
    pub const STREAM_BYTES: u64 = 64 * 1024 * 1024;
    /// All streams inflated, together.
    pub const TOTAL_BYTES: u64 = 512 * 1024 * 1024;
    /// Glyphs kept on one page (a dense A4 page holds a few thousand).
    pub const GLYPHS_PER_PAGE: usize = 200_000;
    /// Ruling segments kept on one page.
    pub const SEGMENTS_PER_PAGE: usize = 200_000;
}

/// Why a PDF cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    TooLarge(usize),
    NotPdf,
    Password,
    Encryption,
    TooManyPages(usize),
    Inflates(u64),
    NoText { pages: usize },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge(n) => write!(
                f,
                "文件有 {} MB，超过审计读取的上限 {} MB",
                n / 1024 / 1024,
                limits::BYTES / 1024 / 1024
            ),
            ReadError::NotPdf => write!(f, "不是 PDF 文件，或文件已损坏，无法读取"),
            ReadError::Password => write!(
                f,
                "PDF 设有打开密码（用户密码），无法读取；请向发布单位索取未加密的文件"
            ),
            ReadError::Encryption => write!(f, "PDF 的加密方式无法识别，无法读取"),
            ReadError::TooManyPages(n) => {
                write!(f, "PDF 有 {n} 页，超过审计读取的上限 {} 页", limits::PAGES)
            }
            ReadError::Inflates(n) => write!(
                f,
                "PDF 中的压缩内容解压后超过 {} MB（至少 {} MB），不予读取",
                limits::TOTAL_BYTES / 1024 / 1024,
                n / 1024 / 1024
            ),
            ReadError::NoText { pages } => write!(
                f,
                "PDF 的 {pages} 页都没有文字层（可能是扫描件或图片），无法审计；请使用由文字处理软件直接导出的 PDF"
            ),
        }
    }
}

/// A glyph as printed: its text and box in points, origin at the page's top left.
#[derive(Clone, Debug)]
pub struct Glyph {
    pub text: String,
    /// Left and right edge (the advance).
    pub x0: f64,
    pub x1: f64,
    /// The baseline.
    pub y: f64,
    /// The font size (the em height on the page).
    pub size: f64,
}

impl Glyph {
    pub fn cx(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }

    /// The middle of the glyph's body (half an em above the baseline, less the descent).
    pub fn cy(&self) -> f64 {
        self.y - self.size * 0.35
    }
}

/// A ruling line: horizontal (`at` is y, `from..to` in x) or vertical (`at` is x).
#[derive(Clone, Copy, Debug)]
pub struct Segment {
    pub horizontal: bool,
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// One page as read.
#[derive(Debug, Default)]
pub struct Page {
    /// 1-based.
    pub number: usize,
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    /// Glyphs drawn twice at one spot (fake bold), kept once.
    pub doubled: usize,
    /// Glyphs with no Unicode (a font without ToUnicode or encoding): read as U+FFFD.
    pub unmapped: usize,
}

/// A document as read.
#[derive(Debug, Default)]
pub struct Document {
    pub pages: Vec<Page>,
    /// Fonts the PDF does not embed, drawn with the bundled font (their PostScript names).
    pub substituted: Vec<String>,
}

impl Document {
    pub fn glyph_count(&self) -> usize {
        self.pages.iter().map(|p| p.glyphs.len()).sum()
    }
}

/// Reads a PDF's text and ruling lines.
pub fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    if bytes.len() > limits::BYTES {
        return Err(ReadError::TooLarge(bytes.len()));
    }
    if !bytes.windows(5).take(1024).any(|w| w == b"%PDF-") {
        return Err(ReadError::NotPdf);
    }
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        hayro_interpret::hayro_syntax::LoadPdfError::Decryption(d) => {
            use hayro_interpret::hayro_syntax::DecryptionError as D;
            match d {
                D::PasswordProtected => ReadError::Password,
                _ => ReadError::Encryption,
            }
        }
        hayro_interpret::hayro_syntax::LoadPdfError::Invalid => ReadError::NotPdf,
    })?;
    let pages = pdf.pages();
    if pages.len() > limits::PAGES {
        return Err(ReadError::TooManyPages(pages.len()));
    }
    check_inflated(&pdf)?;

    let substituted: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let settings = settings(substituted.clone());
    let cache = InterpreterCache::new();
    let mut doc = Document::default();
    for (i, page) in pages.iter().enumerate() {
        let (w, h) = page.render_dimensions();
        let initial = page.initial_transform(true).to_kurbo();
        let mut ctx = Context::new(
            initial,
            kurbo::Rect::new(0.0, 0.0, w as f64, h as f64),
            &cache,
            pdf.xref(),
            settings.clone(),
        );
        let mut device = Collector {
            page: Page {
                number: i + 1,
                width: w as f64,
                height: h as f64,
                ..Page::default()
            },
        };
        interpret_page(page, &mut ctx, &mut device);
        doc.pages.push(device.page);
    }
    if doc.glyph_count() == 0 {
        return Err(ReadError::NoText {
            pages: doc.pages.len(),
        });
    }
    let mut names = substituted.lock().map(|v| v.clone()).unwrap_or_default();
    names.sort();
    names.dedup();
    doc.substituted = names;
    Ok(doc)
}

/// Every compressed stream other than an image is inflated with a cap before hayro decodes it.
fn check_inflated(pdf: &Pdf) -> Result<(), ReadError> {
    use hayro_interpret::hayro_syntax::object::Name;
    let mut total: u64 = 0;
    for obj in pdf.objects() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        let image = stream
            .dict()
            .get::<Name<'_>>(b"Subtype".as_slice())
            .is_some_and(|n| n.as_ref() == b"Image");
        if image {
            continue;
        }
        let flate = stream
            .filters()
            .iter()
            .any(|f| matches!(f, hayro_interpret::hayro_syntax::Filter::FlateDecode));
        if !flate {
            continue;
        }
        let raw = stream.raw_data();
        let mut decoder = flate2::read::ZlibDecoder::new(&raw[..]);
        let mut sink = [0u8; 64 * 1024];
        let mut n: u64 = 0;
        loop {
            match decoder.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(k) => {
                    n += k as u64;
                    if n > limits::STREAM_BYTES {
                        return Err(ReadError::Inflates(total + n));
                    }
                }
            }
        }
        total += n;
        if total > limits::TOTAL_BYTES {
            return Err(ReadError::Inflates(total));
        }
    }
    Ok(())
}

/// The bundled Noto Sans CJK SC: drawn for any font the PDF does not embed.
fn fallback_font() -> Option<FontData> {
    static FONT: std::sync::OnceLock<Option<FontData>> = std::sync::OnceLock::new();
    FONT.get_or_init(|| {
        let book = crate::render::fonts::FontBook::load(&crate::render::fonts::FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        });
        book.fonts
            .iter()
            .find(|f| f.info().family.contains("Sans"))
            .or_else(|| book.fonts.first())
            .map(|f| Arc::new(f.data().clone()) as FontData)
    })
    .clone()
}

fn settings(substituted: Arc<std::sync::Mutex<Vec<String>>>) -> InterpreterSettings {
    InterpreterSettings {
        font_resolver: Arc::new(move |query: &FontQuery| {
            let name = match query {
                FontQuery::Standard(s) => format!("{s:?}"),
                FontQuery::Fallback(f) => f
                    .post_script_name
                    .clone()
                    .or_else(|| f.font_name.clone())
                    .unwrap_or_else(|| "（无名字体）".to_string()),
            };
            if let Ok(mut v) = substituted.lock()
                && v.len() < 1000
            {
                v.push(name);
            }
            fallback_font().map(|f| (f, 0))
        }),
        render_annotations: false,
        ..InterpreterSettings::default()
    }
}

/// The device: keeps glyphs and thin lines, ignores the rest.
struct Collector {
    page: Page,
}

/// Lines thinner than this (in points) are ruling lines; thicker filled shapes are not.
const THIN: f64 = 2.5;

impl Collector {
    fn segment(&mut self, a: Point, b: Point) {
        if self.page.segments.len() >= limits::SEGMENTS_PER_PAGE {
            return;
        }
        let (dx, dy) = ((a.x - b.x).abs(), (a.y - b.y).abs());
        if dy <= 0.5 && dx > 0.5 {
            self.page.segments.push(Segment {
                horizontal: true,
                at: (a.y + b.y) / 2.0,
                from: a.x.min(b.x),
                to: a.x.max(b.x),
            });
        } else if dx <= 0.5 && dy > 0.5 {
            self.page.segments.push(Segment {
                horizontal: false,
                at: (a.x + b.x) / 2.0,
                from: a.y.min(b.y),
                to: a.y.max(b.y),
            });
        }
    }
}

impl<'a> Device<'a> for Collector {
    fn set_soft_mask(&mut self, _: Option<SoftMask<'a>>) {}
    fn set_blend_mode(&mut self, _: BlendMode) {}

    fn draw_path(
        &mut self,
        path: &BezPath,
        transform: Affine,
        paint: &Paint<'a>,
        mode: &PathDrawMode,
    ) {
        if is_white(paint) {
            return;
        }
        let path = transform * path.clone();
        match mode {
            PathDrawMode::Stroke(props) => {
                let width = props.line_width as f64 * transform.as_coeffs()[0].abs().max(0.01);
                if width > THIN * 2.0 {
                    return;
                }
                let mut start = Point::ZERO;
                let mut last = Point::ZERO;
                for el in path.elements() {
                    match *el {
                        PathEl::MoveTo(p) => {
                            start = p;
                            last = p;
                        }
                        PathEl::LineTo(p) => {
                            self.segment(last, p);
                            last = p;
                        }
                        PathEl::ClosePath => {
                            self.segment(last, start);
                            last = start;
                        }
                        PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => last = p,
                    }
                }
            }
            PathDrawMode::Fill(_) => {
                // A filled thin rectangle is a line; split the path at each subpath.
                let mut sub: Vec<Point> = Vec::new();
                let flush = |sub: &mut Vec<Point>, me: &mut Collector| {
                    if sub.len() >= 2 {
                        let (mut x0, mut y0, mut x1, mut y1) =
                            (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                        for p in sub.iter() {
                            x0 = x0.min(p.x);
                            y0 = y0.min(p.y);
                            x1 = x1.max(p.x);
                            y1 = y1.max(p.y);
                        }
                        let (w, h) = (x1 - x0, y1 - y0);
                        if h <= THIN && w > h {
                            let y = (y0 + y1) / 2.0;
                            me.segment(Point::new(x0, y), Point::new(x1, y));
                        } else if w <= THIN && h > w {
                            let x = (x0 + x1) / 2.0;
                            me.segment(Point::new(x, y0), Point::new(x, y1));
                        }
                    }
                    sub.clear();
                };
                for el in path.elements() {
                    match *el {
                        PathEl::MoveTo(p) => {
                            flush(&mut sub, self);
                            sub.push(p);
                        }
                        PathEl::LineTo(p) | PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                            sub.push(p)
                        }
                        PathEl::ClosePath => {}
                    }
                }
                flush(&mut sub, self);
            }
        }
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph(
        &mut self,
        glyph: &HayroGlyph<'a>,
        transform: Affine,
        glyph_transform: Affine,
        _: &Paint<'a>,
        _: &GlyphDrawMode,
    ) {
        if self.page.glyphs.len() >= limits::GLYPHS_PER_PAGE {
            return;
        }
        let text = match glyph.as_unicode() {
            Some(hayro_interpret::hayro_cmap::BfString::Char(c)) => c.to_string(),
            Some(hayro_interpret::hayro_cmap::BfString::String(s)) => s,
            None => {
                self.page.unmapped += 1;
                '\u{FFFD}'.to_string()
            }
        };
        // Spaces are not printed marks: the layout tells the gaps.
        if text.chars().all(char::is_whitespace) {
            return;
        }
        let full = transform * glyph_transform;
        let origin = full * Point::ZERO;
        let advance = match glyph {
            HayroGlyph::Outline(o) => o.advance_width().unwrap_or(0.0) as f64,
            HayroGlyph::Type3(_) => 0.0,
        };
        let em = full * Point::new(0.0, 1000.0);
        let size = ((em.x - origin.x).powi(2) + (em.y - origin.y).powi(2)).sqrt();
        let mut end = full * Point::new(if advance > 0.0 { advance } else { 500.0 }, 0.0);
        if end.x < origin.x {
            end.x = origin.x + size * 0.5;
        }
        let g = Glyph {
            text,
            x0: origin.x,
            x1: end.x,
            y: origin.y,
            size,
        };
        // Fake bold: the same text again within a fraction of an em.
        let tol = (g.size * 0.2).max(0.3);
        let doubled = self
            .page
            .glyphs
            .iter()
            .rev()
            .take(8)
            .any(|p| p.text == g.text && (p.x0 - g.x0).abs() < tol && (p.y - g.y).abs() < tol);
        if doubled {
            self.page.doubled += 1;
            return;
        }
        self.page.glyphs.push(g);
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: Affine) {}
    fn pop_clip_path(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

fn is_white(paint: &Paint<'_>) -> bool {
    match paint {
        Paint::Color(c) => {
            let [r, g, b, a] = c.to_rgba().to_rgba8();
            a == 0 || (r > 240 && g > 240 && b > 240)
        }
        Paint::Pattern(_) => false,
    }
}
