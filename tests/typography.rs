//! 公文 typography of every example, read from Typst's laid-out pages (no poppler needed):
//! the body is set in a 仿宋, no page ends with a heading or holds only a part title, no title or
//! 目录 line holds a single character, and every table continued on a later page repeats its
//! header there. The templates mark each table with `<table-start>` (holding its header texts)
//! and `<table-end>`. Body lines are measured glyph by glyph: a line is widened only before a
//! number that did not fit, and not where moving one character down from the line above would
//! have evened the gaps out; full-width punctuation inside a line keeps its width; a number is
//! never split or spaced apart and never leaves its % to the next line (a unit in hanzi, “万元”,
//! may start a line, as in Chinese typesetting generally).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use juesuan::render::fonts::{FontBook, FontOptions};
use juesuan::render::{Format, pdf};
use typst::foundations::{Content, Label, NativeElement, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::layout::{Frame, FrameItem, Point};
use typst::model::HeadingElem;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// Every example the project ships: the data/ packages and the Chongqing form's fixture.
fn examples() -> Vec<PathBuf> {
    let root = common::root();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files.push(root.join("tests/fixtures/chongqing/ebian-as-chongqing.toml"));
    files
}

fn bundled_book() -> FontBook {
    FontBook::load(&FontOptions {
        bundled_only: true,
        dirs: Vec::new(),
    })
}

fn laid_out(input: &Path, book: &FontBook) -> PagedDocument {
    let typ = common::build(input, Format::Typ, &common::bundled()).unwrap();
    pdf::layout(&String::from_utf8(typ).unwrap(), book).unwrap_or_else(|d| panic!("{d:#?}"))
}

/// One run of text where it was printed.
struct Run {
    y: f64,
    size: f64,
    family: String,
    text: String,
}

fn runs(frame: &Frame, at: Point, out: &mut Vec<Run>) {
    for (pos, item) in frame.items() {
        let p = at + *pos;
        match item {
            FrameItem::Group(g) => runs(&g.frame, p, out),
            FrameItem::Text(t) => out.push(Run {
                y: p.y.to_pt(),
                size: t.size.to_pt(),
                family: t.font.info().family.clone(),
                text: t.text.to_string(),
            }),
            _ => {}
        }
    }
}

/// A page's runs without the page number (“— 12 —” in the bottom margin).
fn page_runs(doc: &PagedDocument, page: usize) -> Vec<Run> {
    let p = &doc.pages()[page];
    let height = p.frame.size().y.to_pt();
    let mut out = Vec::new();
    runs(&p.frame, Point::zero(), &mut out);
    out.retain(|r| {
        let footer = r.y > height - 30.0 / 25.4 * 72.0
            && r.text
                .chars()
                .all(|c| c.is_ascii_digit() || c == '—' || c.is_whitespace());
        !footer
    });
    out
}

/// One glyph of body text where it was printed: its pen position, its natural advance and its
/// character, in points.
struct Glyph {
    x: f64,
    y: f64,
    size: f64,
    natural: f64,
    c: char,
}

fn glyphs(frame: &Frame, at: Point, out: &mut Vec<Glyph>) {
    for (pos, item) in frame.items() {
        let p = at + *pos;
        match item {
            FrameItem::Group(g) => glyphs(&g.frame, p, out),
            FrameItem::Text(t) => {
                let size = t.size.to_pt();
                let mut x = p.x.to_pt();
                for g in &t.glyphs {
                    let c = t.text[g.range()].chars().next().unwrap_or(' ');
                    let natural = t.font.x_advance(g.id).map_or(0.0, |e| e.get()) * size;
                    out.push(Glyph {
                        x,
                        y: p.y.to_pt(),
                        size,
                        natural,
                        c,
                    });
                    x += g.x_advance.get() * size;
                }
            }
            _ => {}
        }
    }
}

fn is_hanzi(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Full-width punctuation Typst may compress (GB style).
fn is_cjk_punct(c: char) -> bool {
    "，。、；：？！）》”’（《“‘".contains(c)
}

/// A line of body text (三号, 16pt), its glyphs left to right.
struct BodyLine {
    page: usize,
    y: f64,
    glyphs: Vec<Glyph>,
}

impl BodyLine {
    fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.c).collect()
    }
    /// The space added between characters, per hanzi and in em: the mean of each hanzi's
    /// distance to the next glyph less its own width (the line's last glyph is never widened).
    fn gap(&self) -> f64 {
        let extra: Vec<f64> = self
            .glyphs
            .windows(2)
            .filter(|w| is_hanzi(w[0].c))
            .map(|w| (w[1].x - w[0].x - w[0].natural) / w[0].size)
            .collect();
        if extra.len() < 4 {
            0.0
        } else {
            extra.iter().sum::<f64>() / extra.len() as f64
        }
    }
    fn hanzi(&self) -> usize {
        self.glyphs.iter().filter(|g| is_hanzi(g.c)).count()
    }
}

/// The document's body lines at 16pt, page by page, top to bottom.
fn body_lines(doc: &PagedDocument) -> Vec<BodyLine> {
    let mut out = Vec::new();
    for (n, page) in doc.pages().iter().enumerate() {
        let mut gs = Vec::new();
        glyphs(&page.frame, Point::zero(), &mut gs);
        let mut by_y: BTreeMap<i64, Vec<Glyph>> = BTreeMap::new();
        for g in gs.into_iter().filter(|g| (g.size - 16.0).abs() < 0.1) {
            by_y.entry((g.y * 2.0).round() as i64).or_default().push(g);
        }
        for (y, mut line) in by_y {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            out.push(BodyLine {
                page: n,
                y: y as f64 / 2.0,
                glyphs: line,
            });
        }
    }
    out
}

/// Stretched lines that need not be, squeezed punctuation, and numbers split, spaced apart or
/// parted from their %.
fn line_problems(name: &str, doc: &PagedDocument, problems: &mut Vec<String>) {
    let lines = body_lines(doc);
    // 0.1 em between every two characters is where a justified line starts to look spaced out.
    const STRETCHED: f64 = 0.1;
    for (i, line) in lines.iter().enumerate() {
        let g = line.gap();
        // The one stretch that cannot be helped: a number (with its % and the mark after it) that
        // did not fit at the end of the line, where no line above can share the slack (a
        // paragraph's first line) or sharing it would widen the line above as much.
        let before_number = lines
            .get(i + 1)
            .is_some_and(|next| next.glyphs[0].c.is_ascii_digit());
        if g > STRETCHED && !before_number {
            problems.push(format!(
                "{name} p{}: stretched line ({g:.3} em between characters) “{}”",
                line.page + 1,
                line.text()
            ));
        }
        let Some(above) = i.checked_sub(1).map(|j| &lines[j]) else {
            continue;
        };
        // The line above, in the same paragraph: this line starts at the left margin (28 mm; a
        // paragraph's first line is indented and has nothing above to share its slack) and the
        // line above is one line step up on the same page.
        let left = line.glyphs[0].x;
        let same_par = above.page == line.page
            && (line.y - above.y - 28.95).abs() < 1.0
            && (left - 28.0 / 25.4 * 72.0).abs() < 1.0;
        if g > STRETCHED && same_par && above.glyphs.len() >= 2 {
            // Moving the last character of the line above down to this line: the line above
            // gains its width as slack, this line loses it. If both would then be less stretched
            // than this line is now, the breaks were not the best ones.
            let n = above.glyphs.len();
            let (last, before_last) = (above.glyphs[n - 1].c, above.glyphs[n - 2].c);
            if is_hanzi(last)
                && (is_hanzi(before_last) || "，。、；：？！）》”’".contains(before_last))
            {
                let slack_above = above.gap() * above.hanzi() as f64;
                let slack = g * line.hanzi() as f64;
                let above_after = (slack_above + 1.0) / (above.hanzi() as f64 - 1.0);
                let after = (slack - 1.0).max(0.0) / (line.hanzi() as f64 + 1.0);
                if above_after.max(after) < g - 0.03 {
                    problems.push(format!(
                        "{name} p{}: stretched line ({g:.3} em between characters; {above_after:.3} and {after:.3} with “{last}” moved down) “{}”",
                        line.page + 1,
                        line.text()
                    ));
                }
            }
        }
    }
    for line in &lines {
        for (c, width) in squeezed_marks(line, 0.85) {
            problems.push(format!(
                "{name} p{}: “{c}” squeezed to {width:.2} em in “{}”",
                line.page + 1,
                line.text()
            ));
        }
        if spaced_digits(line) > 0 {
            problems.push(format!(
                "{name} p{}: digits spaced apart in “{}”",
                line.page + 1,
                line.text()
            ));
        }
    }
    // A number stays whole and keeps its % (a unit in hanzi, “万元”, may start the next line).
    for w in lines.windows(2) {
        let (a, b) = (w[0].text(), w[1].text());
        let ends_number = a.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
        if ends_number && b.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            problems.push(format!(
                "{name} p{}: a number split across lines: “{a}” / “{b}”",
                w[0].page + 1
            ));
        }
        if b.starts_with(['%', '％', '‰']) {
            problems.push(format!(
                "{name} p{}: a number parted from its %: “{a}” / “{b}”",
                w[0].page + 1
            ));
        }
    }
}

/// Gaps widened inside a number (“2 9 4 0 . 0 5 %”): justification spaces characters apart, and
/// a number's digits must stay together. A number's glyphs: digits, a point or comma between two
/// digits (not the 目录's leader dots), and a % after a digit.
fn spaced_digits(line: &BodyLine) -> usize {
    let gs = &line.glyphs;
    let digit = |k: usize| gs.get(k).is_some_and(|g| g.c.is_ascii_digit());
    let in_number = |k: usize| {
        digit(k)
            || (matches!(gs[k].c, '.' | ',') && k > 0 && digit(k - 1) && digit(k + 1))
            || (matches!(gs[k].c, '%' | '％' | '‰') && k > 0 && digit(k - 1))
    };
    (0..gs.len().saturating_sub(1))
        .filter(|&k| {
            in_number(k)
                && in_number(k + 1)
                && gs[k + 1].x - gs[k].x - gs[k].natural > 0.01 * gs[k].size
        })
        .count()
}

/// Full-width punctuation inside a line narrower than `limit` em: (mark, width in em). Typst's own
/// GB rules (half width at the start and end of a line, and for two marks in a row) are the same
/// in every line and not counted.
fn squeezed_marks(line: &BodyLine, limit: f64) -> Vec<(char, f64)> {
    let gs = &line.glyphs;
    let mut out = Vec::new();
    for k in 1..gs.len().saturating_sub(1) {
        let (prev, g, next) = (&gs[k - 1], &gs[k], &gs[k + 1]);
        if is_cjk_punct(g.c)
            && !is_cjk_punct(prev.c)
            && !is_cjk_punct(next.c)
            && !next.c.is_whitespace()
            && next.x - g.x < limit * g.natural
        {
            out.push((g.c, (next.x - g.x) / g.size));
        }
    }
    out
}

fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect()
}

/// Lines of a page: runs grouped by baseline, top to bottom.
fn lines(runs: &[Run]) -> Vec<(f64, Vec<&Run>)> {
    let mut by_y: BTreeMap<i64, Vec<&Run>> = BTreeMap::new();
    for r in runs {
        by_y.entry((r.y * 2.0).round() as i64).or_default().push(r);
    }
    by_y.into_iter()
        .map(|(y, rs)| (y as f64 / 2.0, rs))
        .collect()
}

fn page_of(doc: &PagedDocument, c: &Content) -> usize {
    let loc = c.location().expect("located element");
    doc.introspector().page(loc).unwrap().get() - 1
}

fn label(name: &str) -> Selector {
    Selector::Label(Label::new(PicoStr::intern(name)).unwrap())
}

struct Heading {
    level: usize,
    /// False for the 目录's own title.
    outlined: bool,
    page: usize,
    text: String,
}

fn headings(doc: &PagedDocument) -> Vec<Heading> {
    doc.introspector()
        .query(&HeadingElem::ELEM.select())
        .iter()
        .map(|c| {
            let h = c.to_packed::<HeadingElem>().unwrap();
            Heading {
                level: h.resolve_level(Default::default()).get(),
                outlined: h.outlined.get(Default::default()),
                page: page_of(doc, c),
                text: squeeze(&h.body.plain_text()),
            }
        })
        .collect()
}

#[test]
fn body_text_is_set_in_a_fangsong_with_bundled_fonts() {
    let book = bundled_book();
    for input in examples() {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        // The PDF's own font list, read from its font dictionaries.
        let pdf = common::build(&input, Format::Pdf, &common::bundled()).unwrap();
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("+JuesuanFangsong-Regular"),
            "{name}: the PDF embeds no 仿宋"
        );
        // And the body: the hanzi printed at 三号 (16pt) outside headings are mostly 仿宋.
        let doc = laid_out(&input, &book);
        let mut by_family: BTreeMap<String, usize> = BTreeMap::new();
        for page in 0..doc.pages().len() {
            for r in page_runs(&doc, page) {
                if (r.size - 16.0).abs() < 0.1 {
                    let hanzi = r
                        .text
                        .chars()
                        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c));
                    *by_family.entry(r.family.clone()).or_default() += hanzi.count();
                }
            }
        }
        let total: usize = by_family.values().sum();
        let fang = by_family.get("Juesuan Fangsong").copied().unwrap_or(0);
        assert!(
            total > 0 && fang * 10 >= total * 6,
            "{name}: only {fang} of {total} hanzi at 16pt are 仿宋: {by_family:?}"
        );
    }
}

#[test]
fn pages_keep_headings_with_their_text_and_titles_whole() {
    let book = bundled_book();
    let mut problems = Vec::new();
    for input in examples() {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let doc = laid_out(&input, &book);
        page_problems(&name, &doc, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn body_lines_are_evenly_justified_and_numbers_stay_whole() {
    let book = bundled_book();
    let mut problems = Vec::new();
    for input in examples() {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let doc = laid_out(&input, &book);
        line_problems(&name, &doc, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The line checker sees what other settings print in the Sichuan example: lines filled one by
/// one (`simple`) stretched before “‘优’。”; the optimized breaks without room to widen the gaps
/// squeeze punctuation to fit one more character; widening without the rule for numbers spaces
/// their digits apart; numbers put in boxes of their own leave their % to the next line.
#[test]
fn the_line_checker_sees_each_defect() {
    let input = common::root().join("data/ebian-xinfang-2023.toml");
    let typ =
        String::from_utf8(common::build(&input, Format::Typ, &common::bundled()).unwrap()).unwrap();
    let now = r#"linebreaks: auto, justification-limits: (tracking: (min: 0em, max: 0.4em))"#;
    let numbers =
        r#"show number-pattern: set par(justification-limits: (tracking: (min: 0em, max: 0em)))"#;
    assert!(
        typ.contains(now) && typ.contains(numbers),
        "the settings moved"
    );
    let simple = typ
        .replace(now, r#"linebreaks: "simple""#)
        .replace(numbers, "");
    let squeezing = typ.replace(now, r#"linebreaks: "optimized""#);
    let spacing = typ.replace(numbers, "");
    let boxed = typ.replace(numbers, r#"show regex("\d[\d,.]*"): box"#);
    let book = bundled_book();
    let mut all = Vec::new();
    for (what, source) in [
        ("simple", simple),
        ("squeezing", squeezing),
        ("spacing", spacing),
        ("boxed", boxed),
    ] {
        let doc = pdf::layout(&source, &book).unwrap_or_else(|d| panic!("{d:#?}"));
        line_problems(what, &doc, &mut all);
    }
    let all = all.join("\n");
    assert!(all.contains("simple p22: stretched line"), "{all}");
    assert!(
        all.contains("squeezing p") && all.contains("squeezed to"),
        "{all}"
    );
    assert!(
        all.contains("spacing p") && all.contains("digits spaced apart"),
        "{all}"
    );
    assert!(
        all.contains("boxed p") && all.contains("a number parted from its %"),
        "{all}"
    );
}

/// Not a check: the figures docs/typography.md quotes for each example's body lines (lines
/// widened by more than 0.1 em, paragraph first lines apart; the widest; digits spaced or split;
/// lines starting with %; squeezed marks). `JUESUAN_TEMPLATES=目录` lays out with that
/// template directory (as `--templates`), to compare settings without rebuilding:
///
/// ```text
/// JUESUAN_TEMPLATES=/tmp/t cargo test --release --test typography line_statistics -- --ignored --nocapture
/// ```
#[test]
#[ignore]
fn line_statistics() {
    let book = bundled_book();
    let mut options = common::bundled();
    options.templates = std::env::var_os("JUESUAN_TEMPLATES").map(PathBuf::from);
    let margin = 28.0 / 25.4 * 72.0;
    let mut total = [0usize; 8];
    let mut widest_all = (0.0f64, String::new());
    for input in examples() {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        let typ = common::build(&input, Format::Typ, &options).unwrap();
        let doc = pdf::layout(&String::from_utf8(typ).unwrap(), &book)
            .unwrap_or_else(|d| panic!("{d:#?}"));
        let lines = body_lines(&doc);
        // first lines, other lines over 0.1; digits spaced; digit runs split; % first; unit first; squeezed
        let mut n = [0usize; 8];
        let mut widest = 0.0f64;
        for (i, line) in lines.iter().enumerate() {
            let g = line.gap();
            let left = line.glyphs[0].x;
            if g > 0.1 {
                if (left - margin - 32.0).abs() < 1.0 {
                    n[0] += 1;
                } else {
                    n[1] += 1;
                }
                println!("{name} p{} {g:.3} “{}”", line.page + 1, line.text());
            }
            if g > widest_all.0 {
                widest_all = (g, format!("{name} p{} “{}”", line.page + 1, line.text()));
            }
            widest = widest.max(g);
            if spaced_digits(line) > 0 {
                n[2] += spaced_digits(line);
                println!("{name} p{} spaced digits “{}”", line.page + 1, line.text());
            }
            if let Some(next) = lines.get(i + 1) {
                let (a, b) = (line.text(), next.text());
                if a.ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
                    && b.starts_with(|c: char| c.is_ascii_digit() || c == '.')
                {
                    n[3] += 1;
                }
                if a.ends_with(|c: char| c.is_ascii_digit())
                    && ["元", "万元", "亿元"].iter().any(|u| b.starts_with(u))
                {
                    n[5] += 1;
                }
            }
            if line.text().starts_with(['%', '％', '‰']) {
                n[4] += 1;
            }
            n[7] += squeezed_marks(line, 0.98).len();
            for (c, width) in squeezed_marks(line, 0.85) {
                n[6] += 1;
                println!(
                    "{name} p{} “{c}” squeezed to {width:.2} em in “{}”",
                    line.page + 1,
                    line.text()
                );
            }
        }
        println!(
            "{name}: first lines > 0.1: {}, other lines > 0.1: {}, widest {widest:.3}; digits spaced {}, digit runs split {}, lines starting with % {}, amount│unit {}, squeezed marks {} (below 0.98 em: {})",
            n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]
        );
        for (t, k) in total.iter_mut().zip(n) {
            *t += k;
        }
    }
    println!(
        "all: first lines > 0.1: {}, other lines > 0.1: {}, widest {:.3} ({}); digits spaced {}, digit runs split {}, lines starting with % {}, amount│unit {}, squeezed marks {} (below 0.98 em: {})",
        total[0],
        total[1],
        widest_all.0,
        widest_all.1,
        total[2],
        total[3],
        total[4],
        total[5],
        total[6],
        total[7]
    );
}

/// What a reader would call a layout defect, page by page.
fn page_problems(name: &str, doc: &PagedDocument, problems: &mut Vec<String>) {
    {
        let heads = headings(doc);
        let pages: Vec<Vec<Run>> = (0..doc.pages().len()).map(|p| page_runs(doc, p)).collect();
        let text: Vec<String> = pages
            .iter()
            .map(|rs| squeeze(&rs.iter().map(|r| r.text.as_str()).collect::<String>()))
            .collect();

        for h in &heads {
            let page = &text[h.page];
            if h.level == 1 && *page == h.text {
                problems.push(format!(
                    "{name} p{}: holds only the part title “{}”",
                    h.page + 1,
                    h.text
                ));
            } else if page.ends_with(&h.text) && h.page + 1 < pages.len() {
                problems.push(format!(
                    "{name} p{}: ends with the heading “{}”",
                    h.page + 1,
                    h.text
                ));
            }
        }
        let first_part = heads
            .iter()
            .find(|h| h.level == 1 && h.outlined)
            .map(|h| h.page);
        let toc_pages = match (text.iter().position(|t| t.starts_with("目录")), first_part) {
            (Some(toc), Some(end)) => toc..end,
            _ => 0..0,
        };
        // Headings that are not Typst headings (the 绩效 reports' 一、（一）): a page's last line
        // set at 三号 entirely in 黑体 or 楷体.
        for (n, rs) in pages.iter().enumerate() {
            let cover = rs.iter().all(|r| r.size >= 17.5);
            if n + 1 == pages.len() || toc_pages.contains(&n) || cover {
                continue;
            }
            if let Some((_, last)) = lines(rs).last() {
                let heading_font = |r: &&Run| {
                    r.size >= 15.5 && (r.family == "Noto Sans CJK SC" || r.family == "Juesuan Kai")
                };
                if last.iter().all(heading_font) {
                    let t: String = last.iter().map(|r| r.text.as_str()).collect();
                    problems.push(format!(
                        "{name} p{}: ends with the heading line “{t}”",
                        n + 1
                    ));
                }
            }
        }
        // Title lines (18pt and larger) hold more than one character.
        for (n, rs) in pages.iter().enumerate() {
            for (_, line) in lines(rs) {
                if line.iter().all(|r| r.size >= 17.5) {
                    let t = squeeze(&line.iter().map(|r| r.text.as_str()).collect::<String>());
                    if t.chars().count() == 1 {
                        problems.push(format!(
                            "{name} p{}: title line of one character “{t}”",
                            n + 1
                        ));
                    }
                }
            }
        }
        // 目录: from the page titled 目录 up to the first part; each line names something.
        for (n, rs) in pages.iter().enumerate() {
            if toc_pages.contains(&n) {
                for (_, line) in lines(rs) {
                    let t: String = line
                        .iter()
                        .flat_map(|r| r.text.chars())
                        .filter(|c| c.is_alphanumeric() && !c.is_ascii_digit())
                        .collect();
                    if t.chars().count() == 1 {
                        problems.push(format!(
                            "{name} p{}: 目录 line of one character “{t}”",
                            n + 1
                        ));
                    }
                }
            }
        }
        // Tables continued on a later page repeat their header there.
        let starts = doc.introspector().query(&label("table-start"));
        let ends = doc.introspector().query(&label("table-end"));
        assert_eq!(starts.len(), ends.len(), "{name}: unpaired table markers");
        for (s, e) in starts.iter().zip(ends.iter()) {
            let header: Vec<String> = match &s.to_packed::<MetadataElem>().unwrap().value {
                Value::Array(a) => a
                    .iter()
                    .map(|v| match v {
                        Value::Content(c) => squeeze(&c.plain_text()),
                        Value::Str(t) => squeeze(t),
                        other => panic!("{name}: a header cell {other:?}"),
                    })
                    .filter(|t| !t.is_empty())
                    .collect(),
                other => panic!("{name}: table-start holds {other:?}"),
            };
            // Typst emits a row-spanning cell after the rows it spans, so only presence is checked.
            let first = page_of(doc, s);
            let last = page_of(doc, e);
            for (page, page_text) in text.iter().enumerate().take(last + 1).skip(first + 1) {
                for cell in &header {
                    if !page_text.contains(cell.as_str()) {
                        problems.push(format!(
                            "{name} p{}: the table begun on p{} lacks its header cell “{cell}”",
                            page + 1,
                            first + 1
                        ));
                    }
                }
            }
        }
    }
}

/// The checker sees the defects the issue lists (on the old templates it reported Sichuan p18
/// “第四部分 附件” alone, p44 “（三）相关建议。” at the foot, Chongqing p14 “四、附件” alone and
/// the Shanghai 目录 line “明”).
#[test]
fn the_checker_sees_each_defect() {
    let rows = "[行], ".repeat(40);
    let source = format!(
        "#set page(width: 120mm, height: 90mm, margin: 10mm)\n\
         #set text(font: \"Juesuan Fangsong\", size: 16pt)\n\
         = 第四部分　附件\n#pagebreak()\n正文一行。\n#v(1fr)\n\
         #text(font: \"Noto Sans CJK SC\")[（三）相关建议。]\n#pagebreak()\n\
         #metadata(([项目],)) <table-start>\n#table(columns: 1, [项目], {rows})\n\
         #metadata(none) <table-end>\n"
    );
    let doc = pdf::layout(&source, &bundled_book()).unwrap_or_else(|d| panic!("{d:#?}"));
    let mut problems = Vec::new();
    page_problems("synthetic", &doc, &mut problems);
    let all = problems.join("\n");
    assert!(all.contains("p1: holds only the part title"), "{all}");
    assert!(all.contains("p2: ends with the heading line"), "{all}");
    assert!(
        all.contains("p4: the table begun on p3 lacks its header cell"),
        "{all}"
    );
}
