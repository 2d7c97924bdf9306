//! 把 PDF 上的表交给公开表读入：一张表（连同它的续页）写成内存中工作簿的一张工作表，合并的格照样合并，
//! 然后由 `import` 像读决算软件导出的工作簿一样读。每个工作表的行、列记得它来自哪一页、哪一行。
//!
//! The importer reads 公开表 grids from workbooks; a PDF table becomes one sheet of an in-memory
//! workbook (its caption lines above it, then its rows; a table continued on the next page
//! appended, its repeated header left out). Nothing in `import` is changed: the same reader, the
//! same checks, the same 尾差 note. Each sheet row remembers its page and row, so a finding at
//! `表3!E12` is reported at 第 9 页 表 3 行 12.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::layout;
use super::pdf::Document;
use super::table::Table;
use super::tables;
use crate::figures::tables::TableLayouts;
use crate::import::text;

/// Where a sheet row came from.
#[derive(Clone, Debug)]
pub enum RowSource {
    /// A caption line above the table (title, unit, department).
    Caption { page: usize, text: String },
    /// A line of the document put in by the audit (the department or year read from the cover).
    Document { page: usize },
    /// Row `row` (0-based) of the table drawn on `page`.
    Table { page: usize, row: usize },
}

impl RowSource {
    pub fn page(&self) -> usize {
        match self {
            RowSource::Caption { page, .. }
            | RowSource::Document { page }
            | RowSource::Table { page, .. } => *page,
        }
    }
}

/// One table of the document as a sheet.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    /// The layout title found in its caption (`收入支出决算总表`), if any.
    pub title: Option<String>,
    /// The pages it is drawn on.
    pub pages: Vec<usize>,
    pub rows: Vec<RowSource>,
    /// Cell texts, row by row (the caption in the first column).
    pub cells: Vec<Vec<String>>,
    pub merged: Vec<(usize, usize, usize, usize)>,
    pub cols: usize,
    /// Printed without ruling lines (read by [`super::unruled`]).
    pub unruled: bool,
    /// Why the table is recognised but not read (未能读取): it is then not handed to the
    /// importer at all, never half-read.
    pub not_read: Option<String>,
}

/// The tables of a document, as sheets.
pub struct Sheets {
    pub sheets: Vec<Sheet>,
    /// Ruled tables drawn in the document (each page part counted once).
    pub drawn: usize,
    /// Tables printed without ruling lines (each page part counted once).
    pub unruled: usize,
}

/// A value read from the document and the page it is on.
pub type OnPage<T> = Option<(T, usize)>;

/// The department and year the document names on its cover (`上海市普陀区财政局` / `2024年度部门决算`).
pub fn cover(doc: &Document) -> (OnPage<String>, OnPage<i64>) {
    for p in doc.pages.iter().take(3) {
        let lines = layout::lines(&p.glyphs, 0..p.glyphs.len());
        for (k, l) in lines.iter().enumerate() {
            let t = text::normalise(&l.text);
            let Some(pos) = t.find("年度部门决算").or_else(|| t.find("年部门决算"))
            else {
                continue;
            };
            let before = &t[..pos];
            let digits: String = before
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if digits.len() != 4 {
                continue;
            }
            let year = digits.parse().ok().map(|y| (y, p.number));
            let name = before[..before.len() - 4].to_string();
            let name = if !name.is_empty() {
                Some(name)
            } else {
                lines[..k]
                    .iter()
                    .rev()
                    .map(|l| text::normalise(&l.text))
                    .find(|t| !t.is_empty() && !t.chars().all(|c| c.is_ascii_digit()))
            };
            return (name.map(|n| (n, p.number)), year);
        }
    }
    (None, None)
}

/// The caption line that ends with a layout's title (the longest such title), and the title as
/// the layouts print it.
fn title_of(lines: &[String], titles: &[(String, String)]) -> Option<(usize, String)> {
    let mut best: Option<(usize, &str, &str)> = None;
    for (k, l) in lines.iter().enumerate() {
        let t = text::normalise(l);
        for (norm, title) in titles {
            if t.ends_with(norm.as_str())
                && best.is_none_or(|(_, b, _)| norm.len() > b.len())
                && !t.starts_with('第')
            {
                best = Some((k, norm, title));
            }
        }
    }
    best.map(|(k, _, t)| (k, t.to_string()))
}

/// Finds every table of the document and lays it out as a sheet.
pub fn sheets(doc: &Document) -> Sheets {
    let layouts = TableLayouts::builtin();
    let titles: Vec<(String, String)> = layouts
        .tables
        .iter()
        .map(|l| (text::normalise(&l.title), l.title.clone()))
        .collect();
    let mut out: Vec<Sheet> = Vec::new();
    let mut drawn = 0;
    let mut unruled = 0;
    // The sheet the last table went into, and that table (for continuations).
    let mut last: Option<(usize, Table)> = None;
    // An unruled table that ran to the end of its page: (sheet, page).
    let mut open: Option<(usize, usize)> = None;
    for page in &doc.pages {
        let found = tables::find_tables(page);
        let free = tables::free_glyphs(page, &found);
        let mut above = 0.0;
        // Rows of figures at the top of the next page, with no caption of their own, would be
        // the rest of it: not joined without a header to check them by, so the table is not read.
        if let Some((i, p)) = open.take()
            && p + 1 == page.number
            && found.iter().all(|t| t.unruled.is_some())
        {
            let top = found.first().map_or(f64::MAX, Table::top);
            let stray = tables::lines_between(page, &free, 0.0, top)
                .iter()
                .filter(|l| l.text.split_whitespace().any(super::unruled::is_amount))
                .count();
            if stray > 0 {
                out[i].not_read.get_or_insert(format!(
                    "第 {} 页上方有 {stray} 行数字没有表名与表头，可能是这张表的续页，未能接上",
                    page.number
                ));
            }
        }
        for t in found {
            if t.unruled.is_some() {
                unruled += 1;
            } else {
                drawn += 1;
            }
            let caption_lines = tables::lines_between(page, &free, above, t.top());
            let captions: Vec<String> = caption_lines.iter().map(|l| l.text.clone()).collect();
            // Each caption line's parts printed apart go into cells of their own.
            let caption_cells: Vec<Vec<String>> = caption_lines
                .iter()
                .map(|l| layout::chunks(&page.glyphs, l, 2.0))
                .collect();
            above = t.bottom();
            let title = title_of(&captions, &titles);
            let continues = title.is_none()
                && last.as_ref().is_some_and(|(_, prev)| {
                    prev.same_columns(&t)
                        && (prev.page + 1 == t.page || prev.page == t.page)
                        && out.last().is_some_and(|s| s.title.is_some())
                });
            if continues && let Some((i, first)) = last.as_ref() {
                let sheet = &mut out[*i];
                let repeated = header_rows_repeated(first, &t);
                if let Some(problem) = t.unruled.as_ref().and_then(|u| u.problem.clone()) {
                    sheet
                        .not_read
                        .get_or_insert(format!("第 {} 页：{problem}", t.page));
                }
                append(sheet, &t, repeated);
                if !sheet.pages.contains(&t.page) {
                    sheet.pages.push(t.page);
                }
                open = t
                    .unruled
                    .as_ref()
                    .is_some_and(|u| u.open_end)
                    .then_some((*i, t.page));
                last = Some((*i, first.clone()));
                continue;
            }
            let from = title
                .as_ref()
                .map_or(captions.len().saturating_sub(2), |(k, _)| *k);
            let mut sheet = Sheet {
                name: format!("表{}", out.len() + 1),
                title: title.map(|(_, t)| t),
                pages: vec![t.page],
                rows: Vec::new(),
                cells: Vec::new(),
                merged: Vec::new(),
                cols: t.cols(),
                unruled: t.unruled.is_some(),
                not_read: t
                    .unruled
                    .as_ref()
                    .and_then(|u| u.problem.clone())
                    .map(|p| format!("第 {} 页：{p}", t.page)),
            };
            for (c, cells) in captions[from..].iter().zip(&caption_cells[from..]) {
                sheet.rows.push(RowSource::Caption {
                    page: t.page,
                    text: c.clone(),
                });
                sheet.cells.push(cells.clone());
            }
            append(&mut sheet, &t, 0);
            open = t
                .unruled
                .as_ref()
                .is_some_and(|u| u.open_end)
                .then_some((out.len(), t.page));
            out.push(sheet);
            last = Some((out.len() - 1, t));
        }
    }
    for sheet in &mut out {
        split_code_header(sheet);
        join_economic_codes(sheet);
    }
    // An unruled table is handed on only when the importer, reading it alone, takes every
    // amount it prints.
    for sheet in out.iter_mut().filter(|s| s.unruled && s.not_read.is_none()) {
        if let Err(why) = fully_read(sheet) {
            sheet.not_read = Some(why);
        }
    }
    // The department and year from the cover, under the first table's title when its caption
    // names neither.
    let (name, year) = cover(doc);
    if let Some(first) = out.iter_mut().find(|s| s.title.is_some()) {
        let captions: Vec<String> = first
            .rows
            .iter()
            .filter_map(|r| match r {
                RowSource::Caption { text, .. } => Some(text::normalise(text)),
                _ => None,
            })
            .collect();
        let at = 1.min(first.rows.len());
        if let Some((y, page)) = year
            && !captions.iter().any(|c| c.contains('年'))
        {
            first.rows.insert(at, RowSource::Document { page });
            first.cells.insert(at, vec![format!("{y}年度")]);
            shift_merged(first, at);
        }
        if let Some((n, page)) = name
            && !captions.iter().any(|c| {
                c.contains("部门:")
                    || c.contains("单位:") && !c.contains("万元") && !c.ends_with(":元")
            })
        {
            first.rows.insert(at, RowSource::Document { page });
            first.cells.insert(at, vec![format!("编制部门：{n}")]);
            shift_merged(first, at);
        }
    }
    Sheets {
        sheets: out,
        drawn,
        unruled,
    }
}

/// Whether the importer reads an unruled table completely: a layout of its title whose every
/// column it finds by exactly the layout's header, no cell that is not an amount, and every
/// amount printed taken into one fact.
fn fully_read(sheet: &Sheet) -> Result<(), String> {
    use crate::import::sheet::{self as import_sheet, Grid};
    let layouts = &super::unruled::layouts().tables;
    let bytes = workbook(std::slice::from_ref(sheet)).map_err(|e| e.to_string())?;
    let mut book = crate::workbook::cells::Book::open(crate::workbook::open::Format::Xlsx, &bytes)
        .map_err(|_| "无法写成工作表".to_string())?;
    let cells = book
        .cells_of(&sheet.name)
        .map_err(|_| "无法写成工作表".to_string())?;
    let grid = Grid {
        name: std::sync::Arc::from(sheet.name.as_str()),
        cells,
    };
    let titles = import_sheet::titles(&grid, layouts);
    let Some(title) = titles.first() else {
        return Err("没有认出表名".to_string());
    };
    let end = titles.get(1).map_or(grid.height(), |t| t.row);
    let printed: std::collections::BTreeSet<(u32, u32)> = sheet
        .cells
        .iter()
        .enumerate()
        .filter(|(r, _)| matches!(sheet.rows[*r], RowSource::Table { .. }))
        .flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .filter(|(_, t)| super::unruled::is_amount(t))
                .map(move |(c, _)| (r as u32, c as u32))
        })
        .collect();
    // The layouts the importer would take (best columns found, then fewest lines passed over),
    // each of which must take every amount.
    let reads: Vec<_> = title
        .layouts
        .iter()
        .map(|&l| import_sheet::read(&grid, title, end, layouts, l))
        .filter(|t| t.matched > 0)
        .collect();
    let score =
        |t: &import_sheet::TableRead| (t.matched * 100 / t.wanted.max(1), t.matched, t.exact);
    let best = reads.iter().map(score).max();
    let fewest = reads
        .iter()
        .filter(|t| Some(score(t)) == best)
        .map(|t| t.skipped)
        .min();
    let chosen: Vec<_> = reads
        .iter()
        .filter(|t| Some(score(t)) == best && Some(t.skipped) == fewest)
        .collect();
    if chosen.is_empty() {
        return Err("表头对不上表式".to_string());
    }
    for read in chosen {
        let taken: std::collections::BTreeSet<(u32, u32)> = read
            .entries
            .iter()
            .filter(|e| e.value.is_some())
            .map(|e| (e.at.row, e.at.col))
            .collect();
        if let Some(bad) = read.bad.first() {
            return Err(format!("“{}”·“{}”不是金额", bad.row_label, bad.col_label));
        } else if taken != printed {
            let missed = printed.difference(&taken).count();
            return Err(format!("{missed} 个数没有读入表式的行与栏"));
        }
    }
    Ok(())
}

fn shift_merged(sheet: &mut Sheet, at: usize) {
    for m in &mut sheet.merged {
        if m.0 >= at {
            m.0 += 1;
            m.2 += 1;
        } else if m.2 >= at {
            m.2 += 1;
        }
    }
}

/// Some 公开表 print the 类 | 款 | 项 header in the cells left of the 合计 row (one ruled row):
/// the sheet gets them as a header row of their own, above the 合计 row.
fn split_code_header(sheet: &mut Sheet) {
    let Some(r) = sheet.rows.iter().enumerate().take(12).find_map(|(r, src)| {
        let RowSource::Table { .. } = src else {
            return None;
        };
        let row = &sheet.cells[r];
        let words: Vec<String> = row.iter().map(|c| text::normalise(c)).collect();
        let starts = words.first().map(String::as_str) == Some("类")
            && words.get(1).map(String::as_str) == Some("款");
        let rest = words
            .iter()
            .skip(2)
            .any(|w| w.chars().any(|c| c.is_ascii_digit()));
        (starts && rest).then_some(r)
    }) else {
        return;
    };
    let k = if text::normalise(sheet.cells[r].get(2).map_or("", String::as_str)) == "项" {
        3
    } else {
        2
    };
    let header: Vec<String> = sheet.cells[r]
        .iter()
        .enumerate()
        .map(|(c, t)| if c < k { t.clone() } else { String::new() })
        .collect();
    for c in 0..k {
        sheet.cells[r][c].clear();
    }
    let src = sheet.rows[r].clone();
    sheet.rows.insert(r, src);
    sheet.cells.insert(r, header);
    // Areas that covered the row now cover both; areas below move down.
    for m in &mut sheet.merged {
        if m.0 > r {
            m.0 += 1;
            m.2 += 1;
        } else if m.2 >= r {
            m.2 += 1;
        }
    }
}

/// The 经济分类 tables print the code split into 类 | 款 columns under one 科目编码 header, where
/// the 公开表 layouts read one code column: each such pair becomes one column (`301`, `30101`)
/// headed by the words above it.
fn join_economic_codes(sheet: &mut Sheet) {
    let Some(hr) = (0..sheet.cells.len().min(12)).find(|&r| {
        matches!(sheet.rows[r], RowSource::Table { .. })
            && sheet.cells[r].iter().any(|c| text::normalise(c) == "类")
    }) else {
        return;
    };
    let row: Vec<String> = sheet.cells[hr].iter().map(|c| text::normalise(c)).collect();
    let pairs: Vec<usize> = (0..row.len().saturating_sub(1))
        .filter(|&c| {
            row[c] == "类" && row[c + 1] == "款" && row.get(c + 2).is_none_or(|x| x != "项")
        })
        .collect();
    // Right to left, so earlier columns keep their index.
    for &c in pairs.iter().rev() {
        let first_header = (0..hr)
            .find(|&r| matches!(sheet.rows[r], RowSource::Table { .. }))
            .unwrap_or(hr);
        let mut words = String::new();
        for r in first_header..hr {
            let t = header_cell(sheet, r, c);
            if !t.is_empty() && !words.ends_with(&t) {
                words.push_str(&t);
            }
        }
        // Header areas over the pair are undone; the words go into the 类 row's cell.
        sheet.merged.retain(|&(r0, c0, r1, c1)| {
            !(r1 <= hr && r0 >= first_header && c0 <= c + 1 && c1 >= c)
        });
        for r in first_header..hr {
            for cc in [c, c + 1] {
                if let Some(x) = sheet.cells[r].get_mut(cc) {
                    x.clear();
                }
            }
        }
        sheet.cells[hr][c] = words;
        for r in hr + 1..sheet.cells.len() {
            if !matches!(sheet.rows[r], RowSource::Table { .. }) {
                continue;
            }
            let row = &mut sheet.cells[r];
            if row.len() > c + 1 {
                let (a, b) = (row[c].trim().to_string(), row[c + 1].trim().to_string());
                let digits = |x: &str| !x.is_empty() && x.chars().all(|ch| ch.is_ascii_digit());
                if digits(&a) && (b.is_empty() || digits(&b)) {
                    row[c] = format!("{a}{b}");
                } else if a.is_empty() && !b.is_empty() {
                    row[c] = b;
                }
            }
        }
        for row in &mut sheet.cells {
            if row.len() > c + 1 {
                row.remove(c + 1);
            }
        }
        for m in &mut sheet.merged {
            if m.1 > c {
                m.1 -= 1;
            }
            if m.3 > c {
                m.3 -= 1;
            }
        }
        sheet.merged.retain(|&(r0, c0, r1, c1)| r1 > r0 || c1 > c0);
        sheet.cols = sheet.cols.saturating_sub(1);
    }
}

/// A cell's text, or the text of the merged area covering it.
fn header_cell(sheet: &Sheet, r: usize, c: usize) -> String {
    let (r0, c0) = sheet
        .merged
        .iter()
        .find(|&&(r0, c0, r1, c1)| r0 <= r && r <= r1 && c0 <= c && c <= c1)
        .map_or((r, c), |&(r0, c0, ..)| (r0, c0));
    text::normalise(sheet.cells[r0].get(c0).map_or("", String::as_str))
}

/// How many of `next`'s first rows repeat `first`'s header (a header printed again on each page).
fn header_rows_repeated(first: &Table, next: &Table) -> usize {
    let text = |t: &Table, r: usize| -> Vec<String> {
        t.cells[r]
            .iter()
            .map(|c| text::normalise(c.as_deref().unwrap_or("")))
            .collect()
    };
    let mut k = 0;
    while k < next.rows().min(first.rows()).min(6) && text(first, k) == text(next, k) {
        // A row of figures is data even when it repeats.
        if text(next, k)
            .iter()
            .any(|c| c.chars().any(|ch| ch.is_ascii_digit()) && c.contains('.'))
        {
            break;
        }
        k += 1;
    }
    k
}

fn append(sheet: &mut Sheet, t: &Table, skip: usize) {
    let base = sheet.cells.len();
    for r in skip..t.rows() {
        sheet.rows.push(RowSource::Table {
            page: t.page,
            row: r,
        });
        sheet.cells.push(
            t.cells[r]
                .iter()
                .map(|c| c.clone().unwrap_or_default())
                .collect(),
        );
    }
    for &(r0, c0, r1, c1) in &t.merged {
        if r0 < skip {
            continue;
        }
        sheet
            .merged
            .push((base + r0 - skip, c0, base + r1 - skip, c1));
    }
    sheet.cols = sheet.cols.max(t.cols());
}

/// The sheets as an .xlsx workbook in memory.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let plain = Format::new();
    for s in sheets.iter().filter(|s| s.not_read.is_none()) {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        for (r, row) in s.cells.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    ws.write_string(r as u32, c as u16, text)?;
                }
            }
        }
        for &(r0, c0, r1, c1) in &s.merged {
            let text = s
                .cells
                .get(r0)
                .and_then(|row| row.get(c0))
                .cloned()
                .unwrap_or_default();
            ws.merge_range(r0 as u32, c0 as u16, r1 as u32, c1 as u16, &text, &plain)?;
        }
    }
    book.save_to_buffer()
}
