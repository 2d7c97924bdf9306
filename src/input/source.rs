//! 输入文件的文本与行号索引：把字节位置换算成 file:line:col；由工作簿转来的文本换算成“工作表!单元格”。

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location, codes};

/// What a path is when it is neither a regular file nor a folder: a named pipe (opening one
/// waits for a writer for ever), a device or a socket. Inputs are read from regular files only,
/// and this asks without opening the path. `None` for a regular file, a folder, or a path that
/// cannot be looked at (the reader reports those).
pub fn special_file(path: &Path) -> Option<&'static str> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_file() || meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return Some("命名管道（FIFO）");
        }
        if t.is_socket() {
            return Some("套接字");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("设备文件");
        }
    }
    Some("特殊文件")
}

/// The E001 refusal of an input that is not a regular file (see [`special_file`]).
pub fn not_a_regular_file(path: &Path) -> Option<Diagnostic> {
    let kind = special_file(path)?;
    Some(
        Diagnostic::of(
            codes::INPUT_UNREADABLE,
            format!(
                "无法读取输入文件 {}：这是{kind}，不是普通文件（juesuan 只读普通文件，以免一直等待）",
                path.display()
            ),
        )
        .hint("给出保存在磁盘上的 TOML 文件或工作簿。"),
    )
}

/// One input file's name and text, with the line starts needed to turn a byte span into
/// `file:line:col` (columns count characters, as editors do).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: Arc<str>,
    pub text: String,
    line_starts: Vec<usize>,
    /// For text made from a workbook: which cell each span of the text came from, by start.
    cells: Vec<CellSpan>,
    /// For text made from a workbook: where each fact of a key–value sheet is written, even when
    /// it was left blank, so a finding about a missing fact points at the cell to fill.
    slots: Vec<Slot>,
}

/// The cell where a fact belongs (`上年数!B3`), filled or not.
#[derive(Clone, Debug)]
pub struct Slot {
    /// The fact's TOML key (`prior_year.total`).
    pub key: String,
    pub sheet: Arc<str>,
    pub cell: String,
}

/// A span of generated text and the workbook cell it was read from.
#[derive(Clone, Debug)]
pub struct CellSpan {
    pub span: Range<usize>,
    pub sheet: Arc<str>,
    pub cell: String,
}

impl SourceFile {
    pub fn new(name: impl Into<Arc<str>>, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            cells: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// Text generated from a workbook: every location is a cell (`工作表!B7`).
    pub fn from_workbook(
        name: impl Into<Arc<str>>,
        text: String,
        mut cells: Vec<CellSpan>,
    ) -> Self {
        cells.sort_by_key(|c| c.span.start);
        SourceFile {
            cells,
            ..SourceFile::new(name, text)
        }
    }

    /// Adds where each fact of the workbook belongs (see [`Slot`]).
    pub fn with_slots(mut self, slots: Vec<Slot>) -> Self {
        self.slots = slots;
        self
    }

    /// Whether the text was made from a workbook (locations are cells).
    pub fn is_workbook(&self) -> bool {
        !self.cells.is_empty() || !self.slots.is_empty()
    }

    /// The cell where the fact `key` is written in the workbook this text came from, filled or not.
    pub fn slot(&self, key: &str) -> Option<Location> {
        self.slots
            .iter()
            .find(|s| s.key == key)
            .map(|s| Location::Cell {
                file: self.name.clone(),
                sheet: s.sheet.to_string(),
                cell: s.cell.clone(),
            })
    }

    /// Places each finding about an input fact (`Diagnostic::fact`) where a clerk writes it: in a
    /// workbook, the fact's cell (blank or not; a location the finding had, such as the amount a
    /// missing reason explains, becomes a related place); in TOML, a hint naming the key and its
    /// table. A hint said otherwise for a workbook (`Diagnostic::hint_by_input`) takes the
    /// workbook's words here.
    pub fn place_facts(&self, diags: &mut crate::diagnostic::Diagnostics) {
        for d in diags.0.iter_mut() {
            if self.is_workbook() {
                for (i, words) in std::mem::take(&mut d.workbook_hints) {
                    if let Some(hint) = d.hints.get_mut(i) {
                        *hint = words;
                    }
                }
            }
            let Some(key) = d.fact.clone() else { continue };
            if let Some(entry) = ArrayEntry::of(&key) {
                self.place_entry(d, &entry);
                continue;
            }
            if self.is_workbook() {
                let Some(slot) = self.slot(&key) else {
                    continue;
                };
                if let Some(old) = d.location.take().filter(|old| *old != slot) {
                    d.related.push(crate::diagnostic::Related {
                        location: old,
                        label: "相关数".to_string(),
                    });
                }
                d.location = Some(slot);
            } else {
                d.hints.push(match key.rsplit_once('.') {
                    Some((table, field)) => format!("TOML 中写在 [{table}] 下：{field} = …"),
                    None => format!("TOML 中写作 {key} = …"),
                });
            }
        }
    }

    /// Places a finding about a field of an array entry (`declared_rows[3].basic`): in a
    /// workbook, the field's cell in the entry's row (blank or not, [`Slot`]); in TOML, the
    /// field's value, or the entry when the field is not typed, with a hint naming the entry.
    fn place_entry(&self, d: &mut Diagnostic, entry: &ArrayEntry<'_>) {
        let place = if self.is_workbook() {
            self.slot(&entry.key())
        } else {
            self.entry_span(entry).map(|span| self.location(span))
        };
        if let Some(place) = place {
            if let Some(old) = d.location.take().filter(|old| *old != place) {
                d.related.push(crate::diagnostic::Related {
                    location: old,
                    label: "相关数".to_string(),
                });
            }
            d.location = Some(place);
        }
        if !self.is_workbook() {
            d.hints.push(format!(
                "TOML 中写在第 {} 个 [[{}]] 下：{} = …",
                entry.index + 1,
                entry.array,
                entry.field
            ));
        }
    }

    /// The span of `entry`'s field in the TOML text, or of the entry when the field is absent.
    fn entry_span(&self, entry: &ArrayEntry<'_>) -> Option<Range<usize>> {
        use toml::de::{DeTable, DeValue};
        fn find<'a, 'i>(t: &'a DeTable<'i>, key: &str) -> Option<&'a toml::Spanned<DeValue<'i>>> {
            t.iter()
                .find(|(k, _)| k.get_ref().as_ref() == key)
                .map(|(_, v)| v)
        }
        let doc = DeTable::parse(&self.text).ok()?;
        let mut parts = entry.array.split('.');
        let mut value = find(doc.get_ref(), parts.next()?)?;
        for part in parts {
            let DeValue::Table(t) = value.get_ref() else {
                return None;
            };
            value = find(t, part)?;
        }
        let DeValue::Array(items) = value.get_ref() else {
            return None;
        };
        let item = items.get(entry.index)?;
        match item.get_ref() {
            DeValue::Table(t) => {
                Some(find(t, entry.field).map_or_else(|| item.span(), |v| v.span()))
            }
            _ => Some(item.span()),
        }
    }

    /// The location of a byte span.
    pub fn location(&self, span: Range<usize>) -> Location {
        if !self.cells.is_empty() {
            // The cell whose text starts at or before the span (a key's span points at its row).
            let i = self.cells.partition_point(|c| c.span.start <= span.start);
            let c = &self.cells[i.saturating_sub(1)];
            return Location::Cell {
                file: self.name.clone(),
                sheet: c.sheet.to_string(),
                cell: c.cell.clone(),
            };
        }
        let start = span.start.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= start);
        let line_start = self.line_starts[line - 1];
        let column = self.text[line_start..start].chars().count() + 1;
        Location::File {
            file: self.name.clone(),
            line,
            column,
            span,
        }
    }

    /// The source text of a span (a literal as the user typed it).
    pub fn slice(&self, span: Range<usize>) -> &str {
        self.text.get(span).unwrap_or("")
    }
}

/// A field of an entry of an array of tables, as a finding names it: `declared_rows[3].basic`
/// (the entry's index in the array as typed, from 0).
#[derive(Debug, PartialEq, Eq)]
pub struct ArrayEntry<'k> {
    pub array: &'k str,
    pub index: usize,
    pub field: &'k str,
}

impl<'k> ArrayEntry<'k> {
    /// The entry a fact key names, when it names one by index.
    pub fn of(key: &'k str) -> Option<ArrayEntry<'k>> {
        let (head, field) = key.rsplit_once("].")?;
        let (array, index) = head.split_once('[')?;
        Some(ArrayEntry {
            array,
            index: index.parse().ok()?,
            field,
        })
    }

    /// The fact key (`declared_rows[3].basic`), as a [`Slot`] names it.
    pub fn key(&self) -> String {
        format!("{}[{}].{}", self.array, self.index, self.field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = SourceFile::new("a.toml", "x = 1\n名称 = \"信访局\"\n".to_string());
        let at = src.text.find("\"信访局").unwrap();
        assert_eq!(src.location(at..at + 3).to_string(), "a.toml:2:6");
        assert_eq!(src.location(0..1).to_string(), "a.toml:1:1");
    }

    #[test]
    fn a_finding_about_an_array_entry_points_at_its_field_or_the_entry() {
        let text = "[[declared_rows]]\ntable = \"gov_fund\"\ncode = \"合计\"\n\n[[declared_rows]]\ntable = \"income\"\ncode = \"201\"\ntotal = 1.5\n";
        let src = SourceFile::new("a.toml", text.to_string());
        let mut diags = crate::diagnostic::Diagnostics::default();
        diags.push(Diagnostic::of(codes::VALUE, "x").about("declared_rows[1].total"));
        diags.push(Diagnostic::of(codes::VALUE, "y").about("declared_rows[0].basic"));
        src.place_facts(&mut diags);
        let at: Vec<String> = diags
            .0
            .iter()
            .map(|d| d.location.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(at[0], "a.toml:8:9");
        assert!(
            at[1].starts_with("a.toml:1:") || at[1].starts_with("a.toml:2:"),
            "{at:?}"
        );
        assert!(
            diags.0[0]
                .hints
                .iter()
                .any(|h| h == "TOML 中写在第 2 个 [[declared_rows]] 下：total = …")
        );
        assert_eq!(
            ArrayEntry::of("general_budget.items[3].budget"),
            Some(ArrayEntry {
                array: "general_budget.items",
                index: 3,
                field: "budget"
            })
        );
        assert_eq!(
            ArrayEntry::of("general_budget.items[2010301].basic").map(|e| e.index),
            Some(2010301)
        );
        assert_eq!(ArrayEntry::of("prior_year.total"), None);
    }
}
