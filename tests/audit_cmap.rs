//! `juesuan audit` on a PDF whose Chinese font names a predefined CMap (GBK-EUC-H) as its
//! encoding, is not embedded and has no ToUnicode map — as PDFs written by older Acrobat and
//! WPS versions with 宋体 left out are. The PDF is written here with pdf-writer.

use juesuan::audit::pdf;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// `财政拨款收入支出决算总表 2024年 单位：万元` in GBK (Python's `str.encode("gbk")`).
const GBK: [u8; 42] = [
    178, 198, 213, 254, 178, 166, 191, 238, 202, 213, 200, 235, 214, 167, 179, 246, 190, 246, 203,
    227, 215, 220, 177, 237, 32, 50, 48, 50, 52, 196, 234, 32, 181, 165, 206, 187, 163, 186, 205,
    242, 212, 170,
];

/// One page showing `text` in a Type0 font `/Encoding /{encoding}`, Adobe-GB1, not embedded,
/// without ToUnicode.
fn predefined_cmap_pdf(encoding: &[u8], text: &[u8]) -> Vec<u8> {
    let (catalog, pages, page, font, cid, desc, content) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
        Ref::new(7),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(pages);
    pdf.pages(pages).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
    p.parent(pages);
    p.contents(content);
    p.resources().fonts().pair(Name(b"F1"), font);
    p.finish();
    pdf.type0_font(font)
        .base_font(Name(b"SimSun"))
        .encoding_predefined(Name(encoding))
        .descendant_font(cid);
    pdf.cid_font(cid)
        .subtype(CidFontType::Type0)
        .base_font(Name(b"SimSun"))
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"GB1"),
            supplement: 2,
        })
        .font_descriptor(desc)
        .default_width(1000.0);
    pdf.font_descriptor(desc)
        .name(Name(b"SimSun"))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(0.0, -141.0, 1000.0, 859.0))
        .italic_angle(0.0)
        .ascent(859.0)
        .descent(-141.0)
        .cap_height(700.0)
        .stem_v(80.0);
    let mut c = Content::new();
    c.begin_text();
    c.set_font(Name(b"F1"), 12.0);
    c.next_line(72.0, 760.0);
    c.show(Str(text));
    c.end_text();
    let data = c.finish();
    pdf.stream(content, &data);
    pdf.finish()
}

fn page_text(doc: &pdf::Document) -> String {
    doc.pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .map(|g| g.text.as_str())
        .collect()
}

#[test]
fn gbk_euc_h_without_to_unicode_is_read() {
    let bytes = predefined_cmap_pdf(b"GBK-EUC-H", &GBK);
    let doc = pdf::read(&bytes).expect("read");
    assert_eq!(page_text(&doc), "财政拨款收入支出决算总表2024年单位：万元");
    assert_eq!(doc.pages[0].unmapped, 0);
    // The font is not embedded: drawn with the bundled font, and said so.
    assert!(
        doc.substituted.iter().any(|s| s.contains("SimSun")),
        "{:?}",
        doc.substituted
    );
}

#[test]
fn unicode_predefined_cmap_is_read() {
    // UniGB-UCS2-H: two bytes per character, the UCS-2 code itself.
    let text: Vec<u8> = "决算2024"
        .encode_utf16()
        .flat_map(|u| u.to_be_bytes())
        .collect();
    let bytes = predefined_cmap_pdf(b"UniGB-UCS2-H", &text);
    let doc = pdf::read(&bytes).expect("read");
    assert_eq!(page_text(&doc), "决算2024");
}
