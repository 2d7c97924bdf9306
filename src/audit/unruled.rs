//! 没有表格线的公开表：按字距分栏、按行距分行，表头逐格对照表式。
//!
//! A 公开表 printed without ruling lines is found by its caption (a line ending with a layout's
//! title, then the line stating the unit within the next three lines). Below the caption:
//!
//! - **Header lines** are the lines whose every piece is (part of) a header text of the layout.
//!   The header is *recognised*, not guessed: each header cell of the layout (`项目` over two
//!   columns, `附属单位上缴收入` wrapped over two lines) must be printed, centred within its
//!   columns, and no other header text may be printed. The sheet then gets the layout's header
//!   rows, so the importer finds every column by the same words as in a workbook.
//! - **Columns** are the stretches of x that the pieces of the data lines and of the header's
//!   leaf texts cover (pieces are cut where glyphs are more than 0.75 em apart: the padding of
//!   two cells is about 1 em); there must be as many as the layout has.
//! - **Rows**: a line less than 0.85 of the usual line pitch below the previous one belongs to
//!   the same row (a wrapped cell, the other cells centred between its lines).
//!
//! Anything that does not fit — a column count other than the layout's, a header cell missing
//! or an unexpected one, two amounts in one cell — leaves the table *recognised but not read*,
//! with the reason: a table read wrong would give false findings, which is worse than a table
//! not read. [`super::grids`] then has the importer read the table alone and requires every
//! printed amount to be taken into exactly one fact.

use std::sync::OnceLock;

use super::layout::{self, Line};
use super::pdf::Page;
use super::table::{Table, Unruled};
use crate::figures::tables::{HeadSpec, TableLayout, TableLayouts};
use crate::import::text;

/// Space between two columns of an unruled table, in ems (each cell is padded on both sides).
const COLUMN_GAP: f64 = 0.75;

/// The built-in table layouts, parsed once.
pub fn layouts() -> &'static TableLayouts {
    static LAYOUTS: OnceLock<TableLayouts> = OnceLock::new();
    LAYOUTS.get_or_init(TableLayouts::builtin)
}

/// Whether a piece of text is an amount (`1,234.56`, `-0.5`).
pub fn is_amount(t: &str) -> bool {
    let t = t.trim();
    t.chars().any(|c| c.is_ascii_digit())
        && t.contains('.')
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
}

/// Glyphs of one line printed together (a cell's text on that line).
#[derive(Clone, Debug)]
struct Piece {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    /// The line (index into the segment's lines).
    line: usize,
    glyphs: Vec<usize>,
    /// Normalised text.
    text: String,
}

impl Piece {
    fn cx(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
}

fn pieces(page: &Page, line: &Line, k: usize) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for &i in &line.glyphs {
        let g = &page.glyphs[i];
        match out.last_mut() {
            Some(p) if g.x0 - p.x1 <= COLUMN_GAP * g.size.max(p.size) => {
                p.x1 = p.x1.max(g.x1);
                p.glyphs.push(i);
            }
            _ => out.push(Piece {
                x0: g.x0,
                x1: g.x1,
                y: line.y,
                size: g.size,
                line: k,
                glyphs: vec![i],
                text: String::new(),
            }),
        }
    }
    for p in &mut out {
        let raw: String = p
            .glyphs
            .iter()
            .map(|&i| page.glyphs[i].text.as_str())
            .collect();
        p.text = text::normalise(&raw)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
    }
    out.retain(|p| !p.text.is_empty());
    out
}

/// One header cell of a layout, placed: rows `r0..=r1`, columns `c0..=c1`.
#[derive(Clone, Debug)]
struct HeadCell {
    r0: usize,
    r1: usize,
    c0: usize,
    c1: usize,
    /// As the layout prints it, and normalised.
    printed: String,
    text: String,
}

/// The layout's header rows laid out on its columns (`None` when they do not fit).
fn head_cells(l: &TableLayout) -> Option<(usize, Vec<HeadCell>)> {
    let columns = l.widths.len();
    let rows = l.header.len();
    let mut taken = vec![vec![false; columns]; rows];
    let mut out = Vec::new();
    for (r, row) in l.header.iter().enumerate() {
        let mut c = 0;
        for h in row {
            let (t, colspan, rowspan) = match h {
                HeadSpec::Text(t) => (t, 1, 1),
                HeadSpec::Cell {
                    text,
                    colspan,
                    rowspan,
                } => (text, *colspan, *rowspan),
            };
            while c < columns && taken[r][c] {
                c += 1;
            }
            if colspan == 0 || rowspan == 0 || c + colspan > columns || r + rowspan > rows {
                return None;
            }
            for row in taken.iter_mut().skip(r).take(rowspan) {
                for cell in row.iter_mut().skip(c).take(colspan) {
                    *cell = true;
                }
            }
            out.push(HeadCell {
                r0: r,
                r1: r + rowspan - 1,
                c0: c,
                c1: c + colspan - 1,
                printed: t.clone(),
                text: text::normalise(t)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect(),
            });
            c += colspan;
        }
    }
    Some((rows, out))
}

/// The layouts whose title a caption line ends with (the longest title; `（续表）` allowed).
fn titled(line: &str) -> Vec<usize> {
    let t: String = text::normalise(line)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.strip_suffix("(续表)").unwrap_or(&t);
    if t.starts_with('第') {
        return Vec::new();
    }
    let mut best: Vec<usize> = Vec::new();
    let mut best_len = 0;
    for (i, l) in layouts().tables.iter().enumerate() {
        let title = text::normalise(&l.title);
        if t.ends_with(&title) && title.len() >= best_len {
            if title.len() > best_len {
                best.clear();
                best_len = title.len();
            }
            best.push(i);
        }
    }
    best
}

/// The unruled 公开表 on a page without ruling lines, top to bottom; each either read (its cells
/// hold the layout's header rows, then the rows printed) or with the reason it is not.
pub fn find(page: &Page) -> Vec<Table> {
    let lines = layout::lines(&page.glyphs, 0..page.glyphs.len());
    let starts: Vec<(usize, Vec<usize>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(k, l)| {
            let ls = titled(&l.text);
            (!ls.is_empty()).then_some((k, ls))
        })
        .collect();
    let mut out = Vec::new();
    for (n, (k, candidates)) in starts.iter().enumerate() {
        let next_title = starts.get(n + 1).map_or(lines.len(), |(j, _)| *j);
        // The unit line ends the caption.
        let Some(unit) = (k + 1..(k + 4).min(next_title)).find(|&j| {
            let t = text::normalise(&lines[j].text);
            t.contains("单位:")
        }) else {
            continue;
        };
        let mut end = unit + 1;
        while end < next_title {
            let t = text::normalise(&lines[end].text);
            let t = t.trim();
            let gap = lines[end].y - lines[end - 1].y;
            if t.starts_with('注') || layout::is_page_number(t) || gap > lines[end].size * 6.0 {
                break;
            }
            end += 1;
        }
        if end == unit + 1 {
            continue;
        }
        let segment = &lines[unit + 1..end];
        let mut first_problem = None;
        let mut read = None;
        for &l in candidates {
            match read_segment(page, segment, l) {
                Ok(t) => {
                    read = Some(t);
                    break;
                }
                Err(e) => {
                    // The reason from a layout whose columns the table has, if any.
                    let counts = |e: &str| e.starts_with("按字距分出");
                    if first_problem
                        .as_ref()
                        .is_none_or(|(_, f): &(usize, String)| counts(f) && !counts(&e))
                    {
                        first_problem = Some((l, e));
                    }
                }
            }
        }
        let open_end = next_title == lines.len()
            && !lines
                .get(end)
                .is_some_and(|l| text::normalise(&l.text).trim().starts_with('注'));
        let mut table = match (read, first_problem) {
            (Some(t), _) => t,
            (None, Some((l, problem))) => not_read(page, segment, l, problem),
            (None, None) => continue,
        };
        if let Some(u) = table.unruled.as_mut() {
            u.open_end = open_end;
        }
        out.push(table);
    }
    out
}

/// A table recognised by its caption but not read: one cell over its lines, the reason kept.
fn not_read(page: &Page, segment: &[Line], layout: usize, problem: String) -> Table {
    let glyphs: Vec<usize> = segment.iter().flat_map(|l| l.glyphs.clone()).collect();
    let (top, bottom) = extent_y(page, &glyphs);
    let x0 = glyphs
        .iter()
        .map(|&i| page.glyphs[i].x0)
        .fold(f64::MAX, f64::min);
    let x1 = glyphs
        .iter()
        .map(|&i| page.glyphs[i].x1)
        .fold(f64::MIN, f64::max);
    Table {
        page: page.number,
        ys: vec![top, bottom],
        xs: vec![x0 - 1.0, x1 + 1.0],
        cells: vec![vec![Some(String::new())]],
        merged: Vec::new(),
        glyphs,
        unruled: Some(Unruled {
            layout,
            problem: Some(problem),
            open_end: false,
        }),
    }
}

/// The top of the glyphs' bodies and the bottom of their descents.
fn extent_y(page: &Page, glyphs: &[usize]) -> (f64, f64) {
    let top = glyphs
        .iter()
        .map(|&i| page.glyphs[i].y - page.glyphs[i].size)
        .fold(f64::MAX, f64::min);
    let bottom = glyphs
        .iter()
        .map(|&i| page.glyphs[i].y + page.glyphs[i].size * 0.3)
        .fold(f64::MIN, f64::max);
    (top - 1.0, bottom + 1.0)
}

/// Reads the lines below a caption as a table of layout `li`, or says why they are not one.
fn read_segment(page: &Page, segment: &[Line], li: usize) -> Result<Table, String> {
    let l = &layouts().tables[li];
    let (head_rows, heads) = head_cells(l).ok_or_else(|| "表式的表头与列数不符".to_string())?;
    let lines: Vec<Vec<Piece>> = segment
        .iter()
        .enumerate()
        .map(|(k, line)| pieces(page, line, k))
        .collect();
    // Header lines: every piece part of a header text.
    let part_of_header = |p: &Piece| heads.iter().any(|h| h.text.contains(&p.text));
    let most = lines
        .iter()
        .take_while(|ps| ps.iter().all(part_of_header))
        .count();
    if most == 0 {
        return Err("没有认出表头".to_string());
    }
    // A first row of words only (`合计` of an empty table) may look like the header's last line.
    let mut first_problem = None;
    for h in (1..=most).rev() {
        match read_below(page, segment, li, &lines, &heads, head_rows, h) {
            Ok(t) => return Ok(t),
            Err(e) => {
                first_problem.get_or_insert(e);
            }
        }
    }
    Err(first_problem.unwrap_or_default())
}

/// [`read_segment`] with the header taken to be the first `h` lines.
fn read_below(
    page: &Page,
    segment: &[Line],
    li: usize,
    lines: &[Vec<Piece>],
    heads: &[HeadCell],
    head_rows: usize,
    h: usize,
) -> Result<Table, String> {
    let l = &layouts().tables[li];
    let cols = l.widths.len();
    let header: Vec<&Piece> = lines[..h].iter().flatten().collect();
    let data: Vec<&Piece> = lines[h..].iter().flatten().collect();
    // A text the layout prints only over several columns covers no column of its own.
    let spanning = |t: &str| {
        heads.iter().any(|c| c.c1 > c.c0 && c.text == t)
            && !heads.iter().any(|c| c.c1 == c.c0 && c.text == t)
    };
    // A total's label may be centred over the code and name columns (one merged cell).
    let total =
        |p: &Piece| !is_amount(&p.text) && (p.text.contains("合计") || p.text.contains("总计"));
    let mut spans: Vec<(f64, f64)> = data
        .iter()
        .copied()
        .filter(|p| !total(p))
        .chain(header.iter().copied().filter(|p| !spanning(&p.text)))
        .map(|p| (p.x0, p.x1))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut bands: Vec<(f64, f64)> = Vec::new();
    for (a, b) in spans {
        match bands.last_mut() {
            Some(c) if a <= c.1 + 1.0 => c.1 = c.1.max(b),
            _ => bands.push((a, b)),
        }
    }
    if bands.len() != cols {
        return Err(format!(
            "按字距分出 {} 栏，表式“{}”有 {cols} 栏",
            bands.len(),
            l.title
        ));
    }
    let left = header
        .iter()
        .chain(&data)
        .map(|p| p.x0)
        .fold(f64::MAX, f64::min);
    let right = header
        .iter()
        .chain(&data)
        .map(|p| p.x1)
        .fold(f64::MIN, f64::max);
    let mut xs = vec![left - 1.0];
    xs.extend(bands.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0));
    xs.push(right + 1.0);
    let band_of = |p: &Piece| {
        bands
            .iter()
            .position(|b| p.x0 >= b.0 - 0.01 && p.x1 <= b.1 + 0.01)
            .or_else(|| {
                // A total's label overlapping columns goes to the one it covers most; one
                // between columns goes to the right one (labels start at a column's left,
                // amounts end at its right).
                let overlap = |b: &(f64, f64)| p.x1.min(b.1) - p.x0.max(b.0);
                let most = (0..cols)
                    .filter(|&c| overlap(&bands[c]) > 0.0)
                    .max_by(|&a, &b| overlap(&bands[a]).total_cmp(&overlap(&bands[b])));
                total(p)
                    .then(|| most.or_else(|| bands.iter().position(|b| b.0 >= p.x1)))
                    .flatten()
            })
    };

    // Each header cell of the layout printed once, centred within its columns; nothing else.
    let mut used = vec![false; header.len()];
    for cell in heads {
        if cell.text.is_empty() {
            continue;
        }
        let (lo, hi) = (xs[cell.c0], xs[cell.c1 + 1]);
        let expect = (lo + hi) / 2.0;
        let mut best: Option<(f64, Vec<usize>)> = None;
        for (i, p) in header.iter().enumerate() {
            if used[i] || p.cx() < lo || p.cx() > hi || !cell.text.starts_with(&p.text) {
                continue;
            }
            // The cell's text wrapped over lines below: pieces centred (or starting) alike.
            let mut chain = vec![i];
            let mut joined = p.text.clone();
            while joined != cell.text {
                let last = header[*chain.last().unwrap_or(&i)];
                let next = header.iter().enumerate().find(|(j, q)| {
                    !used[*j]
                        && q.line > last.line
                        && q.y - last.y <= 2.2 * last.size
                        && ((q.cx() - last.cx()).abs() <= 3.0 || (q.x0 - last.x0).abs() <= 1.0)
                        && cell.text.starts_with(&format!("{joined}{}", q.text))
                });
                match next {
                    Some((j, q)) => {
                        chain.push(j);
                        joined.push_str(&q.text);
                    }
                    None => break,
                }
            }
            if joined != cell.text {
                continue;
            }
            let off = (p.cx() - expect).abs();
            if best.as_ref().is_none_or(|(b, _)| off < *b) {
                best = Some((off, chain));
            }
        }
        let Some((_, chain)) = best else {
            return Err(format!("表头中没有认出“{}”", cell.printed));
        };
        for j in chain {
            used[j] = true;
        }
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(format!("表头有表式以外的文字“{}”", header[i].text));
    }

    // Rows: a line closer than the usual pitch to the one above is part of its row.
    let ys: Vec<f64> = segment[h..].iter().map(|l| l.y).collect();
    let mut pitches: Vec<f64> = ys.windows(2).map(|w| w[1] - w[0]).collect();
    pitches.sort_by(f64::total_cmp);
    let pitch = pitches.get(pitches.len() / 2).copied().unwrap_or(0.0);
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for k in h..lines.len() {
        let joins = k > h && ys[k - h] - ys[k - h - 1] < pitch * 0.85;
        match rows.last_mut() {
            Some(row) if joins => row.push(k),
            _ => rows.push(vec![k]),
        }
    }

    let mut cells: Vec<Vec<Option<String>>> = vec![vec![None; cols]; head_rows];
    let mut merged = Vec::new();
    for cell in heads {
        cells[cell.r0][cell.c0] = Some(cell.printed.clone());
        if cell.r1 > cell.r0 || cell.c1 > cell.c0 {
            merged.push((cell.r0, cell.c0, cell.r1, cell.c1));
        }
    }
    let mut glyphs: Vec<usize> = header.iter().flat_map(|p| p.glyphs.clone()).collect();
    let (head_top, _) = extent_y(page, &glyphs);
    let mut row_ys = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let mut by_col: Vec<Vec<usize>> = vec![Vec::new(); cols];
        let mut amounts = vec![0usize; cols];
        for &k in row {
            for p in &lines[k] {
                let c = band_of(p).ok_or_else(|| format!("“{}”跨过两栏", p.text))?;
                by_col[c].extend(&p.glyphs);
                amounts[c] += usize::from(is_amount(&p.text));
            }
        }
        if let Some(c) = amounts.iter().position(|&a| a > 1) {
            return Err(format!(
                "表头下第 {} 行“{}”一栏中有两个数",
                n + 1,
                l.leaf_labels()
                    .and_then(|v| v.get(c).cloned())
                    .unwrap_or_default()
            ));
        }
        let row_glyphs: Vec<usize> = by_col.iter().flatten().copied().collect();
        row_ys.push(extent_y(page, &row_glyphs));
        glyphs.extend(&row_glyphs);
        cells.push(
            by_col
                .iter()
                .map(|of| Some(layout::cell_text(&page.glyphs, of)))
                .collect(),
        );
    }
    // Row boundaries: the header rows share the header's height; each row from its top.
    let head_bottom = row_ys
        .first()
        .map_or_else(|| extent_y(page, &glyphs).1, |r| r.0);
    let mut ys: Vec<f64> = (0..head_rows)
        .map(|r| head_top + (head_bottom - head_top) * r as f64 / head_rows as f64)
        .collect();
    ys.extend(row_ys.iter().map(|r| r.0.max(head_bottom)));
    ys.push(row_ys.last().map_or(head_bottom + 1.0, |r| r.1));
    for k in 1..ys.len() {
        if ys[k] <= ys[k - 1] {
            ys[k] = ys[k - 1] + 0.01;
        }
    }
    Ok(Table {
        page: page.number,
        ys,
        xs,
        cells,
        merged,
        glyphs,
        unruled: Some(Unruled {
            layout: li,
            problem: None,
            open_end: false,
        }),
    })
}
