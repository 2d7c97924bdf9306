//! .xlsx 的预检：在 calamine 解析之前，看一遍每个 XML 部件里“声明”的数目和位置，不合理的不交给它。
//!
//! calamine preallocates from numbers a file states, not from what it holds: the shared-strings
//! table's `uniqueCount` becomes `Vec::reserve(n)` (a 53 KB file stating two billion strings asks
//! for 48 GB and aborts the process), a shared formula's `si` index becomes `Vec::resize(si + 1)`,
//! and a cell reference such as `A4294967297` wraps around to row 1 in its `u32` arithmetic. So
//! `open::sniff`, which inflates every part once to measure it anyway, streams each XML part
//! through [`Scan`] on the way, and a declared number beyond [`limits`] (or a reference beyond
//! Excel's grid) refuses the file before calamine sees it.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::limits;

/// Excel's grid: 1,048,576 rows and 16,384 columns (A1:XFD1048576). A reference outside it is
/// not one Excel writes; calamine's arithmetic would wrap it to another cell.
pub const EXCEL_ROWS: u64 = 1_048_576;
pub const EXCEL_COLUMNS: u64 = 16_384;

/// A number or reference in a part that juesuan refuses, with the message naming it.
#[derive(Debug, PartialEq, Eq)]
pub struct Declared {
    pub message: String,
}

/// Reads one XML part to its end (or to the first refusal). Malformed XML is left to calamine,
/// which then fails with a plain error; the caller counts the part's bytes in any case.
pub fn scan<R: std::io::BufRead>(part: &str, reader: R) -> Result<(), Declared> {
    let mut xml = Reader::from_reader(reader);
    let mut buf = Vec::new();
    let mut strings: u64 = 0;
    loop {
        buf.clear();
        let e = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => e,
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => continue,
        };
        match e.local_name().as_ref() {
            "sst" => {
                if let Some(n) = number(&e, "uniqueCount") {
                    if n > limits::SHARED_STRINGS {
                        return Err(Declared {
                            message: format!(
                                "{part} 声明有 {} 个不同的字符串（uniqueCount），超过上限 {} 个",
                                shown(n),
                                limits::SHARED_STRINGS
                            ),
                        });
                    }
                }
            }
            "si" => {
                strings += 1;
                if strings > limits::SHARED_STRINGS {
                    return Err(Declared {
                        message: format!(
                            "{part} 有超过 {} 个不同的字符串，超过上限",
                            limits::SHARED_STRINGS
                        ),
                    });
                }
            }
            "f" if attr(&e, "t").as_deref() == Some("shared") => {
                if let Some(n) = number(&e, "si") {
                    if n > limits::SHARED_FORMULAS {
                        return Err(Declared {
                            message: format!(
                                "{part} 中共享公式的编号 si=\"{}\" 超过上限 {}",
                                shown(n),
                                limits::SHARED_FORMULAS
                            ),
                        });
                    }
                }
            }
            "c" | "row" => {
                if let Some(r) = attr(&e, "r") {
                    beyond_grid(part, &r)?;
                }
            }
            "mergeCell" | "dimension" => {
                if let Some(range) = attr(&e, "ref") {
                    for end in range.split(':') {
                        beyond_grid(part, end)?;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a part may be XML: its first byte other than white space or a UTF-8 byte-order mark
/// is `<`, or it may be UTF-16 (a byte-order mark, or a zero byte), which the XML reader
/// decodes as calamine's does. A picture or a part of spaces is not scanned, only measured.
/// Leading white space is consumed (it means nothing to XML).
pub fn may_be_xml<R: std::io::BufRead>(reader: &mut R) -> bool {
    let mut first = true;
    loop {
        let Ok(head) = reader.fill_buf() else {
            return true;
        };
        if head.is_empty() {
            return false;
        }
        let bom = if first && head.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        first = false;
        let blank = head[bom..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        match head.get(bom + blank) {
            Some(b) => {
                let xml = matches!(b, b'<' | 0x00 | 0xFE | 0xFF);
                if bom == 0 {
                    reader.consume(blank);
                }
                return xml;
            }
            None => {
                let n = head.len();
                reader.consume(n);
            }
        }
    }
}

/// An attribute's value, borrowed from the element (a cell has one per cell: no allocation).
fn attr<'a>(e: &'a BytesStart, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value)
}

/// An attribute that is a decimal number (calamine parses these as `usize`); `u64::MAX` when
/// it has digits only but does not fit. `None` when it is no number (calamine then ignores it
/// or fails on it).
fn number(e: &BytesStart, name: &str) -> Option<u64> {
    let v = attr(e, name)?;
    let digits = v.trim().trim_start_matches('+');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

/// A number for a message: the digits as the file states them, or “极大的数”.
fn shown(n: u64) -> String {
    if n == u64::MAX {
        "极大的数".to_string()
    } else {
        n.to_string()
    }
}

/// A cell reference (`B7`), a column (`B`) or a row (`7`) beyond Excel's grid. Letters and
/// digits are accumulated with overflow checks, so `A4294967297` is refused rather than read
/// as `A1`. Anything that is no reference is left to calamine.
fn beyond_grid(part: &str, reference: &str) -> Result<(), Declared> {
    let r = reference.trim().trim_start_matches('$');
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col_text, rest) = r.split_at(letters);
    let row_text = rest.trim_start_matches('$');
    let mut col: u64 = 0;
    for b in col_text.bytes() {
        col = col
            .saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1);
    }
    let mut row: u64 = 0;
    for b in row_text.bytes() {
        if !b.is_ascii_digit() {
            return Ok(());
        }
        row = row.saturating_mul(10).saturating_add(u64::from(b - b'0'));
    }
    if col > EXCEL_COLUMNS || row > EXCEL_ROWS {
        let text: String = reference.chars().take(40).collect();
        return Err(Declared {
            message: format!(
                "{part} 中的单元格引用 {text} 超出 Excel 的范围（最多 {EXCEL_ROWS} 行、{EXCEL_COLUMNS} 列，即 A1:XFD{EXCEL_ROWS}）"
            ),
        });
    }
    Ok(())
}

/// The hidden columns of each sheet of an .xlsx (0-based, within `limits::COLUMNS`), by sheet
/// name: `<col min="3" max="3" hidden="1"/>`. calamine does not report them; a clerk's hidden
/// column is read like any other, and the reader says so. Each sheet's part is read only up to
/// its cells (`<cols>` comes first). Anything unexpected yields no hidden columns.
pub fn hidden_columns(
    bytes: &[u8],
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<u32>> {
    use std::collections::{BTreeMap, BTreeSet};
    use std::io::{BufReader, Cursor, Read};

    let mut found = BTreeMap::new();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return found;
    };
    // Small parts (`open::sniff` measured them); read whole, at most 1 MB.
    let mut part = |name: &str| -> String {
        let mut text = String::new();
        if let Ok(f) = zip.by_name(name) {
            let _ = f.take(1 << 20).read_to_string(&mut text);
        }
        text
    };
    let elements = |xml: &str, name: &str| -> Vec<Vec<(String, String)>> {
        let mut reader = Reader::from_str(xml);
        let mut out = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name => {
                    out.push(
                        e.attributes()
                            .flatten()
                            .map(|a| (a.key.local_name().as_ref().to_string(), a.value.to_string()))
                            .collect(),
                    );
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        out
    };
    let get = |a: &[(String, String)], k: &str| {
        a.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
    };
    let sheets: Vec<(String, String)> = elements(&part("xl/workbook.xml"), "sheet")
        .into_iter()
        .filter_map(|a| Some((get(&a, "name")?, get(&a, "id")?)))
        .take(limits::SHEETS)
        .collect();
    let rels = elements(&part("xl/_rels/workbook.xml.rels"), "Relationship");
    for (sheet, rid) in sheets {
        let Some(target) = rels
            .iter()
            .find(|a| get(a, "Id").as_deref() == Some(rid.as_str()))
            .and_then(|a| get(a, "Target"))
        else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        let Ok(file) = zip.by_name(&path) else {
            continue;
        };
        let mut reader = Reader::from_reader(BufReader::new(file));
        let mut buf = Vec::new();
        let mut hidden = BTreeSet::new();
        loop {
            buf.clear();
            match reader.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                    "col" => {
                        let is_hidden = matches!(attr(&e, "hidden").as_deref(), Some("1" | "true"));
                        let (Some(min), Some(max)) = (number(&e, "min"), number(&e, "max")) else {
                            continue;
                        };
                        if is_hidden && min >= 1 {
                            let last = max.min(u64::from(limits::COLUMNS));
                            hidden.extend((min..=last).map(|c| (c - 1) as u32));
                        }
                    }
                    "sheetData" => break,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        if !hidden.is_empty() {
            found.insert(sheet, hidden);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_str(xml: &str) -> Result<(), Declared> {
        scan("xl/part.xml", xml.as_bytes())
    }

    #[test]
    fn declared_counts_beyond_the_limits_are_refused() {
        let sst = r#"<sst xmlns="x" count="1" uniqueCount="2000000000"><si><t>a</t></si></sst>"#;
        let e = scan_str(sst).unwrap_err();
        assert!(e.message.contains("2000000000"), "{}", e.message);
        assert!(e.message.contains("1000000"), "{}", e.message);
        assert!(scan_str(r#"<sst uniqueCount="99999999999999999999999"/>"#).is_err());
        assert!(scan_str(r#"<sst count="5" uniqueCount="5"><si/></sst>"#).is_ok());
        assert!(scan_str(r#"<sst uniqueCount="lots"/>"#).is_ok());
        let formula = r#"<c r="A1"><f t="shared" si="4000000000" ref="A1:A2">1</f></c>"#;
        assert!(scan_str(formula).is_err());
        assert!(scan_str(r#"<c r="A1"><f t="shared" si="3" ref="A1:A2">1</f></c>"#).is_ok());
    }

    #[test]
    fn references_beyond_the_grid_are_refused_without_wrapping() {
        assert!(scan_str(r#"<row r="4294967297"><c r="A4294967297"/></row>"#).is_err());
        assert!(scan_str(r#"<c r="AAAAAAAAAAAAAAAAAAAAAAAAA1"/>"#).is_err());
        assert!(scan_str(r#"<mergeCell ref="A1:A1048577"/>"#).is_err());
        assert!(scan_str(r#"<dimension ref="A1:XFD1048576"/><c r="XFD1048576"/>"#).is_ok());
        assert!(scan_str(r#"<c r="$B$7"/><c/>"#).is_ok());
    }
}
