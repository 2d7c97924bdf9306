//! .ods 的预检：在 calamine 解析之前，按行、列的重复数算出每个有内容单元格的位置，超出上限的不交给它。
//!
//! calamine parses every table of an .ods when it opens the file, expanding
//! `table:number-columns-repeated` and `table:number-rows-repeated` of cells that hold a value
//! (up to 100 million cells, some 3 GB). A few bytes of XML can ask for that, so the
//! `content.xml` is streamed here first, counting positions without storing cells, and a value
//! beyond `limits::ROWS` × `limits::COLUMNS`, or more than `limits::CELLS` of them in a table,
//! is refused. Empty cells and rows may repeat freely (LibreOffice writes a million empty rows).

use std::io::{BufReader, Cursor};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::limits;
use super::xls_scan::Beyond;

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.to_string())
}

fn repeats(e: &BytesStart, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Checks every table of an .ods against the limits before calamine parses it. Anything this
/// cannot follow is left to calamine, which then fails with a plain error.
pub fn check(file: &[u8]) -> Result<(), Beyond> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(file)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    // `sniff` has measured this part: it inflates to at most `limits::PART_BYTES`.
    let mut reader = Reader::from_reader(BufReader::new(content));
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut table = String::new();
    let mut row: u64 = 0;
    let mut row_repeats: u64 = 1;
    let mut col: u64 = 0;
    let mut cells: u64 = 0;
    let mut text_bytes: u64 = 0;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(event) => event,
        };
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "table:table" => {
                    table = attr(&e, "table:name").unwrap_or_default();
                    row = 0;
                    cells = 0;
                    text_bytes = 0;
                }
                "table:table-row" => {
                    row_repeats = repeats(&e, "table:number-rows-repeated");
                    col = 0;
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(&e, "table:number-columns-repeated");
                    let attrs: u64 = e.attributes().flatten().map(|a| a.value.len() as u64).sum();
                    let typed = attr(&e, "office:value-type").is_some()
                        || attr(&e, "table:formula").is_some();
                    let (content, text) = content_of(&mut reader, e.name().as_ref());
                    let valued = typed || content;
                    if valued {
                        let last_row = row.saturating_add(row_repeats - 1);
                        let last_col = col.saturating_add(n - 1);
                        if last_row >= u64::from(limits::ROWS)
                            || last_col >= u64::from(limits::COLUMNS)
                        {
                            let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
                            return Err(Beyond::Cell {
                                sheet: table,
                                row: clamp(last_row),
                                col: clamp(last_col),
                            });
                        }
                        cells = cells.saturating_add(n.saturating_mul(row_repeats));
                        if cells > limits::CELLS as u64 {
                            return Err(Beyond::Cells { sheet: table });
                        }
                        // calamine copies the value into every repeated cell.
                        let copies = n.saturating_mul(row_repeats);
                        text_bytes = text_bytes.saturating_add(copies.saturating_mul(text + attrs));
                        if text_bytes > limits::SHEET_TEXT_BYTES as u64 {
                            return Err(Beyond::Text { sheet: table });
                        }
                    }
                    col = col.saturating_add(n);
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(row_repeats);
                row_repeats = 1;
            }
            _ => {}
        }
    }
}

/// Whether a cell element has text or child elements (its value as `<text:p>`), and the bytes
/// of its text; reads to the cell's end.
fn content_of<R: std::io::BufRead>(reader: &mut Reader<R>, name: &str) -> (bool, u64) {
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut content = false;
    let mut text: u64 = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => {
                depth += 1;
                content = true;
            }
            Ok(Event::Text(t)) => {
                text = text.saturating_add(t.len() as u64);
                content |= !t.as_ref().trim().is_empty();
            }
            Ok(Event::End(e)) => {
                if depth == 0 && e.name().as_ref() == name {
                    return (content, text);
                }
                depth = depth.saturating_sub(1);
            }
            Ok(Event::Eof) | Err(_) => return (content, text),
            _ => {}
        }
    }
}
