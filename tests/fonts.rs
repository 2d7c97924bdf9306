//! The bundled fonts cover GBK and the symbols Typst emits, and every covered character renders
//! with a real glyph. (A subset made with `--layout-features='*'` silently turned ~3,000 hanzi
//! into .notdef under typst 0.15; this test renders the whole set and would catch it.)

use juesuan::render::fonts::{FontBook, FontOptions};
use juesuan::render::pdf;

fn bundled() -> FontBook {
    FontBook::load(&FontOptions {
        bundled_only: true,
        dirs: Vec::new(),
    })
}

#[test]
fn bundled_fonts_cover_gbk_hanzi_and_typst_symbols() {
    let book = bundled();
    for family in ["Noto Serif CJK SC", "Noto Sans CJK SC", "Juesuan Kai"] {
        let font = book
            .fonts
            .iter()
            .find(|f| f.info().family == family)
            .unwrap_or_else(|| panic!("bundled font {family} missing"));
        let cov = &font.info().coverage;
        // GBK contains every CJK Unified Ideograph U+4E00..=U+9FA5.
        let missing: Vec<char> = ('\u{4E00}'..='\u{9FA5}')
            .filter(|c| !cov.contains(*c as u32))
            .collect();
        assert!(
            missing.is_empty(),
            "{family} lacks {} GBK hanzi, e.g. {:?}",
            missing.len(),
            &missing[..missing.len().min(10)]
        );
        for c in [
            '−', '—', '“', '”', '（', '）', '　', '％', '√', '①', '、', '。', '…',
        ] {
            assert!(
                cov.contains(c as u32),
                "{family} lacks {c} (U+{:04X})",
                c as u32
            );
        }
    }
}

/// 朱雀仿宋 has every GB2312 hanzi (not all of GBK); what it lacks falls back to Noto Serif, so the
/// bundled fonts together still cover GBK.
#[test]
fn bundled_fangsong_covers_gb2312_hanzi() {
    let book = bundled();
    let font = book
        .fonts
        .iter()
        .find(|f| f.info().family == "Juesuan Fangsong")
        .expect("bundled 仿宋 missing");
    let cov = &font.info().coverage;
    let gb2312: Vec<char> = include_str!("../fonts/gb2312-hanzi.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::chars)
        .collect();
    assert_eq!(gb2312.len(), 6763);
    let missing: Vec<&char> = gb2312
        .iter()
        .filter(|c| !cov.contains(**c as u32))
        .collect();
    assert!(missing.is_empty(), "Juesuan Fangsong lacks {missing:?}");
    for c in [
        '，', '。', '、', '“', '”', '（', '）', '％', '—', '：', '；',
    ] {
        assert!(cov.contains(c as u32), "Juesuan Fangsong lacks {c}");
    }
    // What it lacks of GBK's hanzi, another bundled font has (Typst falls back to it).
    let lacking: Vec<char> = ('\u{4E00}'..='\u{9FA5}')
        .filter(|c| !cov.contains(*c as u32))
        .collect();
    assert!(
        lacking.len() < 10_500,
        "{} GBK hanzi lacking",
        lacking.len()
    );
    assert!(lacking.iter().all(|c| book.covers(*c)));
}

#[test]
fn every_covered_character_renders_with_a_glyph() {
    let book = bundled();
    let mut source = String::from("#set page(width: 200mm, height: auto)\n");
    for family in [
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "Juesuan Kai",
        "Juesuan Fangsong",
    ] {
        let font = book
            .fonts
            .iter()
            .find(|f| f.info().family == family)
            .unwrap();
        let chars: String = font
            .info()
            .coverage
            .iter()
            .filter_map(char::from_u32)
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect();
        // A raw string literal in code mode: no markup escaping needed.
        let literal = chars.replace('\\', "\\\\").replace('"', "\\\"");
        source.push_str(&format!(
            "#text(font: \"{family}\", fallback: false, \"{literal}\")\n#pagebreak()\n"
        ));
    }
    let doc = pdf::layout(&source, &book).unwrap_or_else(|d| panic!("{d:#?}"));
    let printed = pdf::plain_text(&doc)
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    assert!(
        printed > 3 * 21_000 + 11_000,
        "only {printed} characters were laid out"
    );
    let mut d = juesuan::diagnostic::Diagnostics::default();
    pdf::missing_glyphs(&doc, &mut d);
    assert!(
        d.is_empty(),
        "{} characters render as .notdef: {:#?}",
        d.0.len(),
        &d.0[..d.0.len().min(5)]
    );
}
