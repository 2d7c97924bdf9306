//! 在工作表里找公开表：按表名找表，按表头文字找列，按行名或科目编码找行——从不按固定单元格。
//!
//! A table is found by its title (the longest layout title the cell ends with, so 财政拨款收入支出
//! 决算总表 is never taken for 收入支出决算总表); the lines above its header give the 部门 and the
//! unit; the header is the rows down to the first one that holds data; each layout column is the
//! sheet column whose header texts (joined top to bottom, aliases folded) end the same way. What
//! is read is a list of entries — a row key, a layout column, a figure and its cell — in the unit
//! the table states, never converted here.

use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::text;
use crate::diagnostic::Location;
use crate::form::layouts::{Shape, TableLayout};
use crate::money::Unit;
use crate::workbook::cells::SheetCells;
use crate::workbook::numbers::{self, TextNumber};

/// Where a cell is, for a diagnostic.
pub fn location(file: &str, at: &Cell) -> Location {
    Location::Cell {
        file: file.into(),
        sheet: at.sheet.to_string(),
        cell: at.a1(),
    }
}

/// A cell of the workbook (0-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub sheet: Arc<str>,
    pub row: u32,
    pub col: u32,
}

impl Cell {
    /// `工作表!B7`.
    pub fn a1(&self) -> String {
        crate::workbook::a1(self.row, self.col)
    }
}

/// One sheet's cells.
pub struct Grid {
    pub name: Arc<str>,
    pub cells: SheetCells,
}

/// What an amount cell holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Amount {
    /// Blank, `—`, `-`, `\`: nothing printed (0, or not applicable).
    Blank,
    Value(Decimal),
    /// Text that is not a number (quoted for the message).
    NotAmount(String),
    /// A formula whose value was never saved.
    NoValue,
    /// A cell merged across rows (`B2:B3`): its one figure would stand in every row it covers.
    Merged(String),
}

impl Grid {
    fn data(&self, row: u32, col: u32) -> &Data {
        self.cells.raw(row, col).0
    }

    /// The text of a cell as shown (a whole number without `.0`).
    pub fn text(&self, row: u32, col: u32) -> String {
        match self.data(row, col) {
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    pub fn amount(&self, row: u32, col: u32) -> Amount {
        let (data, r, c) = self.cells.raw(row, col);
        match data {
            Data::Empty if self.cells.has_formula(r, c) => Amount::NoValue,
            Data::Empty => Amount::Blank,
            Data::Int(i) => bounded(Decimal::from(*i), &i.to_string()),
            Data::Float(f) => match Decimal::from_f64(*f) {
                Some(d) => bounded(d.normalize(), &f.to_string()),
                None => Amount::NotAmount(f.to_string()),
            },
            Data::String(s) => {
                let t = s.trim();
                if t.is_empty()
                    || t.chars()
                        .all(|c| matches!(c, '—' | '-' | '–' | '－' | '\\' | '/' | '＼'))
                {
                    return Amount::Blank;
                }
                match numbers::parse(t) {
                    TextNumber::Plain(d) => bounded(d.normalize(), t),
                    _ => Amount::NotAmount(t.to_string()),
                }
            }
            other => Amount::NotAmount(other.to_string()),
        }
    }

    pub fn height(&self) -> u32 {
        self.cells.height()
    }

    pub fn width(&self) -> u32 {
        self.cells.width()
    }

    fn cell(&self, row: u32, col: u32) -> Cell {
        Cell {
            sheet: self.name.clone(),
            row,
            col,
        }
    }

    fn is_number(&self, row: u32, col: u32) -> bool {
        match self.data(row, col) {
            Data::Float(_) | Data::Int(_) => true,
            Data::String(s) => matches!(numbers::parse(s), TextNumber::Plain(_)),
            _ => false,
        }
    }

    fn row_texts(&self, row: u32) -> Vec<String> {
        (0..self.width())
            .map(|c| text::normalise(&self.text(row, c)))
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// An amount below 10^15 in its unit (the model's bound, `money::parse_amount`): sums of the
/// cells of a workbook within its limits then stay far inside `Decimal`.
fn bounded(d: Decimal, shown: &str) -> Amount {
    if d.abs() < Decimal::from(1_000_000_000_000_000_i64) {
        Amount::Value(d)
    } else {
        Amount::NotAmount(shown.to_string())
    }
}

/// A title found on a sheet: which layouts it may be (one title can serve two layouts).
pub struct TitleAt {
    /// The first row of the table below its title (the title's own row + 1; 0 for a title taken
    /// from the sheet's name).
    pub first: u32,
    pub row: u32,
    pub col: u32,
    pub layouts: Vec<usize>,
}

/// Every cell in a sheet that is a table title, top to bottom.
pub fn titles(grid: &Grid, layouts: &[TableLayout]) -> Vec<TitleAt> {
    let mut out = Vec::new();
    for row in 0..grid.height() {
        for col in 0..grid.width() {
            let t = text::normalise(&grid.text(row, col));
            if t.is_empty() || t.starts_with('注') || t.chars().count() > 60 {
                continue;
            }
            let mut best: Option<usize> = None;
            let mut matches: Vec<usize> = Vec::new();
            for (i, l) in layouts.iter().enumerate() {
                let title = text::normalise(&l.title);
                if !t.ends_with(&title) {
                    continue;
                }
                let prefix = &t[..t.len() - title.len()];
                // Only a year, a department or a 表号 may stand before the title.
                if prefix.contains("表") && !prefix.ends_with("表") {
                    continue;
                }
                match best {
                    Some(b) if title.len() < text::normalise(&layouts[b].title).len() => {}
                    Some(b) if title.len() == text::normalise(&layouts[b].title).len() => {
                        matches.push(i)
                    }
                    _ => {
                        best = Some(i);
                        matches = vec![i];
                    }
                }
            }
            if !matches.is_empty() {
                out.push(TitleAt {
                    first: row + 1,
                    row,
                    col,
                    layouts: matches,
                });
                break;
            }
        }
    }
    if out.is_empty()
        && let Some(layouts) = title_of_sheet(&grid.name, layouts)
    {
        out.push(TitleAt {
            first: 0,
            row: 0,
            col: 0,
            layouts,
        });
    }
    out
}

/// The 决算 software names its sheets `Z01 收入支出决算总表(财决01表)`, `Z08_1 一般公共预算财政拨款
/// 基本支出决算明细表(财决08-` (cut at Excel's 31 characters): the words after the prefix, before
/// the `(财决` note, are the title when no cell holds one.
fn title_of_sheet(name: &str, layouts: &[TableLayout]) -> Option<Vec<usize>> {
    let (prefix, rest) = name.trim().split_once([' ', '　'])?;
    if prefix.is_empty()
        || !prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let rest = text::normalise(rest);
    let title = rest.split("(财决").next().unwrap_or(&rest);
    let best = layouts
        .iter()
        .enumerate()
        .filter(|(_, l)| text::normalise(&l.title) == title)
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    (!best.is_empty()).then_some(best)
}

/// One figure of a table.
#[derive(Clone, Debug)]
pub struct Entry {
    /// `total`, `code:2010308`, a summary line key, `personnel_total`…
    pub key: String,
    /// The layout column (`basic`, `actual.reception`, `general_budget`, `` for a single column).
    pub col: String,
    pub value: Option<Decimal>,
    pub at: Cell,
    /// The row label and the column header, as printed (for messages).
    pub row_label: String,
    pub col_label: String,
}

/// A cell that could not be read as an amount.
pub struct BadCell {
    pub at: Cell,
    /// The layout column (its printed sums are not checked: a figure is missing from them).
    pub col: String,
    pub row_label: String,
    pub col_label: String,
    pub what: Amount,
}

/// One table as read.
pub struct TableRead {
    pub layout: usize,
    pub sheet: Arc<str>,
    pub title_at: Cell,
    pub unit: Unit,
    pub unit_at: Option<Cell>,
    /// A unit the table states that juesuan does not read (`千元`, `亿元`), with its cell: the
    /// table's figures are not taken (read as 万元 they would be 10× or 10,000× off).
    pub foreign_unit: Option<(String, Cell)>,
    pub department: Option<(String, Cell)>,
    pub year: Option<(i64, Cell)>,
    pub entries: Vec<Entry>,
    /// Names printed beside codes.
    pub names: Vec<(String, String)>,
    pub bad: Vec<BadCell>,
    /// Layout columns found, of those the layout has.
    pub matched: usize,
    pub wanted: usize,
    /// Header labels equal to the layout's in every row: tells apart layouts of one title
    /// whose columns end alike (上海 “功能分类科目编码 / 决算数” and 财政部 “科目编码 / 金额”).
    pub exact: usize,
    /// Summary lines the sheet's rows passed over and sheet rows no line took: tells apart the
    /// variants of one table (the 26 类 with 债务还本/付息支出 and the 24 without).
    pub skipped: usize,
}

fn year_in(t: &str) -> Option<i64> {
    let chars: Vec<char> = t.chars().collect();
    for i in 0..chars.len().saturating_sub(4) {
        if chars[i..i + 4].iter().all(char::is_ascii_digit) && chars.get(i + 4) == Some(&'年') {
            let y: String = chars[i..i + 4].iter().collect();
            return y.parse().ok();
        }
    }
    None
}

fn is_preheader(t: &str) -> bool {
    t.contains("单位:")
        || t.starts_with("部门")
        || t.starts_with("编制部门")
        || t.starts_with("编制单位")
        || t.starts_with("单位名称")
        || (t.ends_with('表') && (t.starts_with("公开") || t.starts_with("财决") || t.len() <= 15))
        || year_in(t).is_some_and(|_| t.chars().count() <= 8)
}

fn code_like(t: &str) -> bool {
    (3..=7).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

/// A money unit other than 万元 and 元 (`千元`, `百万元`, `亿元`, `万` alone is 万元's
/// shorthand and is not one), as the table prints it.
/// T006 once per unit juesuan does not read, naming every table that states it (a workbook
/// whose every table says 单位：千元 gets one error, not one per table), at the first table's unit
/// cell with the others' as related locations.
pub fn foreign_units(file: &str, found: &[TableRead]) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, codes};
    let mut units: Vec<&str> = Vec::new();
    for t in found {
        if let Some((unit, _)) = &t.foreign_unit
            && !units.contains(&unit.as_str())
        {
            units.push(unit);
        }
    }
    units
        .into_iter()
        .map(|unit| {
            let tables: Vec<&TableRead> = found
                .iter()
                .filter(|t| t.foreign_unit.as_ref().is_some_and(|(u, _)| u == unit))
                .collect();
            let names: Vec<String> = tables.iter().map(|t| format!("“{}”", t.sheet)).collect();
            let which = if tables.len() == 1 {
                format!("{}的金额单位是{unit}", names[0])
            } else {
                format!("{} 张表的金额单位是{unit}（{}）", tables.len(), names.join(""))
            };
            let times = match unit {
                "千元" | "十万元" => "10 倍",
                "百元" | "百万元" => "100 倍",
                "千万元" => "1000 倍",
                _ => "上万倍",
            };
            let mut d = Diagnostic::of(
                codes::TABLE_UNIT,
                format!(
                    "{which}：juesuan 只读以万元或元为单位的公开表，{}的数没有读入（按万元读会差 {times}）",
                    if tables.len() == 1 { "这张表" } else { "这些表" }
                ),
            )
            .hint("在 Excel/WPS 中把金额换算成万元（千元 ÷ 10）或元（千元 × 1000），并把“单位：千元”改成相应的单位，再导入；也可以从决算软件重新导出以万元为单位的公开表。");
            for (k, t) in tables.iter().enumerate() {
                let Some((_, at)) = &t.foreign_unit else {
                    continue;
                };
                let loc = location(file, at);
                d = if k == 0 {
                    d.at(&loc)
                } else {
                    d.related(&loc, format!("“{}”所印单位", t.sheet))
                };
            }
            d
        })
        .collect()
}

fn foreign_unit(after: &str) -> Option<String> {
    let unit: String = after
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | ')' | '）' | '，'))
        .collect();
    let money = [
        "千元",
        "百元",
        "十万元",
        "百万元",
        "千万元",
        "亿元",
        "万亿元",
    ];
    money
        .iter()
        .find(|m| unit.starts_with(*m))
        .map(|m| m.to_string())
}

/// The diagnostics of a table's cells that could not be read (import's own findings, each with
/// its registered code and cell); a unit juesuan does not read is [`foreign_units`]'.
pub fn findings(file: &str, t: &TableRead) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Diagnostic, codes};
    let mut out = Vec::new();
    for bad in &t.bad {
        let (code, why, hint) = match &bad.what {
            Amount::NoValue => (
                codes::FORMULA,
                "是没有计算结果的公式".to_string(),
                "公式请在 Excel/WPS 中重新计算并保存。",
            ),
            Amount::NotAmount(text) => (
                codes::CELL_TYPE,
                format!("是“{text}”，不是金额"),
                "金额格只写数字（可带千分位）；不适用的格留空或写“—”。",
            ),
            Amount::Merged(range) => (
                codes::MERGED_AMOUNT,
                format!(
                    "是跨行合并的单元格 {range}：一个数不能同时是几行的金额，这一列的合计未核对"
                ),
                "取消合并（开始 → 合并后居中 → 取消单元格合并），在每一行填上各自的金额，再导入。",
            ),
            Amount::Blank | Amount::Value(_) => continue,
        };
        out.push(
            Diagnostic::of(
                code,
                format!("“{}”·“{}” {why}", bad.row_label, bad.col_label),
            )
            .at(&location(file, &bad.at))
            .hint(hint),
        );
    }
    out
}

/// Notes (X013) for the sheets a table was read from that are hidden, or hide columns holding
/// figures: they are read like any other, and the clerk is told.
pub fn hidden_notes(
    file: &str,
    format: crate::workbook::open::Format,
    bytes: &[u8],
    book: &crate::workbook::cells::Book,
    grids: &[Grid],
    found: &[TableRead],
) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::workbook::read;
    let hidden = read::hidden_sheets(book);
    let columns = read::hidden_columns(format, bytes);
    let file: Arc<str> = Arc::from(file);
    let mut notes = Vec::new();
    for grid in grids {
        if !found.iter().any(|t| t.sheet == grid.name) {
            continue;
        }
        let hidden_sheet = hidden
            .iter()
            .find(|(n, _)| **n == *grid.name)
            .map(|(_, very)| *very);
        notes.extend(read::hidden_notes(
            &file,
            &grid.name,
            hidden_sheet,
            columns.get(&*grid.name),
            &grid.cells,
        ));
    }
    notes
}

/// Reads the table whose title is at `title` (rows up to `end`) as `layout`.
pub fn read(
    grid: &Grid,
    title: &TitleAt,
    end: u32,
    layouts: &[TableLayout],
    layout: usize,
) -> TableRead {
    let l = &layouts[layout];
    let mut t = TableRead {
        layout,
        sheet: grid.name.clone(),
        title_at: grid.cell(title.row, title.col),
        unit: Unit::Wan,
        unit_at: None,
        foreign_unit: None,
        department: None,
        year: year_in(&text::normalise(&grid.text(title.row, title.col)))
            .map(|y| (y, grid.cell(title.row, title.col))),
        entries: Vec::new(),
        names: Vec::new(),
        bad: Vec::new(),
        matched: 0,
        wanted: 0,
        exact: 0,
        skipped: 0,
    };
    // The lines between the title and the header: 表号, 部门, year, unit.
    let mut row = title.first;
    while row < end && row <= title.first + 3 {
        let texts = grid.row_texts(row);
        if texts.is_empty() {
            row += 1;
            continue;
        }
        if !texts.iter().all(|x| is_preheader(x)) {
            break;
        }
        for col in 0..grid.width() {
            let x = text::normalise(&grid.text(row, col));
            if let Some(pos) = x.find("单位:") {
                let unit = &x[pos + "单位:".len()..];
                if unit.starts_with("万元") {
                    t.unit = Unit::Wan;
                    t.unit_at = Some(grid.cell(row, col));
                } else if unit.starts_with('元') {
                    t.unit = Unit::Yuan;
                    t.unit_at = Some(grid.cell(row, col));
                } else if let Some(other) = foreign_unit(unit) {
                    t.foreign_unit = Some((other, grid.cell(row, col)));
                }
            }
            for prefix in ["部门:", "编制部门:", "编制单位:", "单位名称:"] {
                if let Some(name) = x.strip_prefix(prefix)
                    && !name.is_empty()
                {
                    t.department = Some((
                        grid.text(row, col)
                            .chars()
                            .skip_while(|c| *c != '：' && *c != ':')
                            .skip(1)
                            .collect::<String>()
                            .trim()
                            .to_string(),
                        grid.cell(row, col),
                    ));
                }
            }
            if t.year.is_none()
                && let Some(y) = year_in(&x)
            {
                t.year = Some((y, grid.cell(row, col)));
            }
        }
        row += 1;
    }
    // The header: rows down to the first that holds data.
    let line_labels: Vec<String> = l
        .left
        .iter()
        .chain(&l.right)
        .filter_map(|s| s.label.as_deref())
        .map(text::label)
        .collect();
    let mut header_rows = Vec::new();
    while row < end && header_rows.len() < 6 {
        let texts = grid.row_texts(row);
        let first = texts.first().cloned().unwrap_or_default();
        if first.starts_with('注') || first.starts_with("说明") {
            break;
        }
        let stub = texts.iter().any(|x| x == "栏次");
        let data = !stub
            && ((0..grid.width()).any(|c| grid.is_number(row, c))
                || texts.iter().any(|x| code_like(x))
                || texts.first().is_some_and(|x| {
                    let lb = text::label(x);
                    line_labels.contains(&lb)
                }));
        if data {
            break;
        }
        if !stub {
            header_rows.push(row);
        }
        row += 1;
    }
    let first_data = row;
    // Each sheet column's header texts, top to bottom, aliases folded.
    let sheet_labels: Vec<Vec<String>> = (0..grid.width())
        .map(|c| {
            let mut parts: Vec<String> = Vec::new();
            for &r in &header_rows {
                let h = text::header(&grid.text(r, c));
                if !h.is_empty() && parts.last() != Some(&h) {
                    parts.push(h);
                }
            }
            parts
        })
        .collect();
    let leaves = l.leaf_labels().unwrap_or_default();
    let wanted: Vec<Vec<String>> = leaves
        .iter()
        .map(|x| x.split('·').map(text::header).collect())
        .collect();
    let columns = match_columns(&wanted, &sheet_labels);
    t.exact = columns
        .iter()
        .zip(&wanted)
        .filter(|(c, w)| c.is_some_and(|c| sheet_labels.get(c as usize) == Some(*w)))
        .count();

    let col_label = |j: usize| leaves.get(j).cloned().unwrap_or_default();
    match l.shape {
        Shape::Function | Shape::Economic => {
            t.wanted = l.columns.len();
            hierarchy(
                grid,
                &mut t,
                l,
                &columns,
                &sheet_labels,
                first_data,
                end,
                &col_label,
            );
        }
        Shape::EconomicPanels => {
            t.wanted = 2;
            panels(grid, &mut t, &columns, first_data, end, &col_label);
        }
        Shape::Summary => {
            let right: Vec<String> = if l.right_columns.is_empty() {
                vec![String::new()]
            } else {
                l.right_columns.clone()
            };
            t.wanted = 1 + right.len();
            summary(
                grid, &mut t, l, &right, &columns, first_data, end, &col_label,
            );
        }
        Shape::ThreePublic => {
            t.wanted = l.columns.len();
            for (j, name) in l.columns.iter().enumerate() {
                let Some(c) = columns.get(j).copied().flatten() else {
                    continue;
                };
                t.matched += 1;
                for r in first_data..end {
                    let texts = grid.row_texts(r);
                    if texts
                        .first()
                        .is_some_and(|x| x.starts_with('注') || x.starts_with("说明"))
                    {
                        break;
                    }
                    if texts.is_empty() {
                        continue;
                    }
                    push(grid, &mut t, String::new(), name, r, c, "", &col_label(j));
                    break;
                }
            }
        }
    }
    if t.foreign_unit.is_some() {
        t.entries.clear();
        t.bad.clear();
    }
    t
}

/// For each wanted column, the sheet column whose header ends the same way (most parts in common).
fn match_columns(wanted: &[Vec<String>], sheet: &[Vec<String>]) -> Vec<Option<u32>> {
    let mut used = vec![false; sheet.len()];
    wanted
        .iter()
        .map(|w| {
            let mut best: Option<(usize, usize)> = None;
            for (c, s) in sheet.iter().enumerate() {
                if used[c] {
                    continue;
                }
                let common = w
                    .iter()
                    .rev()
                    .zip(s.iter().rev())
                    .take_while(|(a, b)| a == b)
                    .count();
                if common == 0 {
                    continue;
                }
                // A header may carry fewer rows than the layout's, never a different top.
                if best.is_none_or(|(_, n)| common > n) {
                    best = Some((c, common));
                }
            }
            best.map(|(c, _)| {
                used[c] = true;
                c as u32
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn push(
    grid: &Grid,
    t: &mut TableRead,
    key: String,
    col: &str,
    row: u32,
    c: u32,
    row_label: &str,
    col_label: &str,
) {
    let at = grid.cell(row, c);
    // A figure merged across rows: said once, at its top-left cell; no row takes it.
    if let Some(m) = grid.cells.merged_at(row, c)
        && m.start.0 != m.end.0
    {
        let top_left = grid.cell(m.start.0, m.start.1);
        if !t.bad.iter().any(|b| b.at == top_left) {
            let range = format!(
                "{}:{}",
                crate::workbook::a1(m.start.0, m.start.1),
                crate::workbook::a1(m.end.0, m.end.1)
            );
            t.bad.push(BadCell {
                at: top_left,
                col: col.to_string(),
                row_label: row_label.to_string(),
                col_label: col_label.to_string(),
                what: Amount::Merged(range),
            });
        }
        return;
    }
    let value = match grid.amount(row, c) {
        Amount::Blank => None,
        Amount::Value(d) => Some(d),
        bad => {
            t.bad.push(BadCell {
                at,
                col: col.to_string(),
                row_label: row_label.to_string(),
                col_label: col_label.to_string(),
                what: bad,
            });
            return;
        }
    };
    t.entries.push(Entry {
        key,
        col: col.to_string(),
        value,
        at,
        row_label: row_label.to_string(),
        col_label: col_label.to_string(),
    });
}

/// The code of a row: one column, or 类 | 款 | 项 split (款 and 项 as 2-digit text).
fn row_code(grid: &Grid, row: u32, code_cols: &[u32]) -> String {
    let mut code = String::new();
    for (i, &c) in code_cols.iter().enumerate() {
        let part: String = grid
            .text(row, c)
            .chars()
            .filter(|c| c.is_ascii_digit())
            .collect();
        if part.is_empty() {
            break;
        }
        if i > 0 && part.len() == 1 {
            code.push('0');
        }
        code.push_str(&part);
    }
    code
}

#[allow(clippy::too_many_arguments)]
fn hierarchy(
    grid: &Grid,
    t: &mut TableRead,
    l: &TableLayout,
    columns: &[Option<u32>],
    sheet_labels: &[Vec<String>],
    first_data: u32,
    end: u32,
    col_label: &dyn Fn(usize) -> String,
) {
    // Code: the 科目编码 column, or 类 | 款 | 项.
    let split: Vec<u32> = ["类", "款", "项"]
        .iter()
        .filter_map(|w| {
            sheet_labels
                .iter()
                .position(|s| s.last().map(String::as_str) == Some(*w))
                .map(|c| c as u32)
        })
        .collect();
    let code_cols: Vec<u32> = match columns.first().copied().flatten() {
        Some(c) if split.len() < 2 => vec![c],
        _ if split.len() >= 2 => split,
        Some(c) => vec![c],
        None => Vec::new(),
    };
    let name_col = columns
        .get(1)
        .copied()
        .flatten()
        .or_else(|| code_cols.last().map(|c| c + 1));
    let amount_cols: Vec<(usize, u32)> = (0..l.columns.len())
        .filter_map(|j| columns.get(j + 2).copied().flatten().map(|c| (j, c)))
        .collect();
    t.matched = amount_cols.len();
    if code_cols.is_empty() {
        t.matched = 0;
        return;
    }
    for r in first_data..end {
        let name = name_col.map(|c| grid.text(r, c)).unwrap_or_default();
        let first = grid.row_texts(r).first().cloned().unwrap_or_default();
        if first.starts_with('注') || first.starts_with("说明") {
            break;
        }
        let code = row_code(grid, r, &code_cols);
        let label = text::label(&name);
        let key = if !code.is_empty() && code_like(&code) {
            t.names.push((code.clone(), name.clone()));
            format!("code:{code}")
        } else if code.is_empty() && (label.contains("合计") || label.contains("总计")) {
            "total".to_string()
        } else {
            let cells_code = code_cols.first().map(|&c| text::label(&grid.text(r, c)));
            if cells_code
                .as_deref()
                .is_some_and(|x| x.contains("合计") || x.contains("总计"))
            {
                "total".to_string()
            } else {
                continue;
            }
        };
        let row_label = if code.is_empty() {
            name.clone()
        } else {
            format!("{code} {name}")
        };
        for &(j, c) in &amount_cols {
            push(
                grid,
                t,
                key.clone(),
                &l.columns[j],
                r,
                c,
                row_label.trim(),
                &col_label(j + 2),
            );
        }
    }
}

fn panels(
    grid: &Grid,
    t: &mut TableRead,
    columns: &[Option<u32>],
    first_data: u32,
    end: u32,
    col_label: &dyn Fn(usize) -> String,
) {
    for (p, total_key) in [(0usize, "personnel_total"), (1, "operating_total")] {
        let (Some(code_col), Some(name_col), Some(amount_col)) = (
            columns.get(p * 3).copied().flatten(),
            columns.get(p * 3 + 1).copied().flatten(),
            columns.get(p * 3 + 2).copied().flatten(),
        ) else {
            continue;
        };
        t.matched += 1;
        for r in first_data..end {
            let first = grid.row_texts(r).first().cloned().unwrap_or_default();
            if first.starts_with('注') || first.starts_with("说明") {
                break;
            }
            let code: String = grid
                .text(r, code_col)
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let name = grid.text(r, name_col);
            let label = text::label(&name);
            let key = if code_like(&code) {
                t.names.push((code.clone(), name.clone()));
                format!("code:{code}")
            } else if label.contains("合计") {
                total_key.to_string()
            } else {
                continue;
            };
            let row_label = format!("{code} {name}");
            push(
                grid,
                t,
                key,
                "basic",
                r,
                amount_col,
                row_label.trim(),
                &col_label(p * 3 + 2),
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn summary(
    grid: &Grid,
    t: &mut TableRead,
    l: &TableLayout,
    right: &[String],
    columns: &[Option<u32>],
    first_data: u32,
    end: u32,
    col_label: &dyn Fn(usize) -> String,
) {
    // Layout columns: left 项目 | 行次 | 金额, right 项目 | 行次 | one amount per right column
    // (no 行次 columns when the layout prints none, as 上海's).
    let numbers = usize::from(l.row_numbers);
    let right_first = 2 + numbers;
    let sides = [
        (&l.left, 0usize, vec![(String::new(), 1 + numbers)]),
        (
            &l.right,
            right_first,
            right
                .iter()
                .enumerate()
                .map(|(k, c)| (c.clone(), right_first + 1 + numbers + k))
                .collect::<Vec<_>>(),
        ),
    ];
    for (lines, first_col, amounts) in sides {
        let Some(label_col) = columns.get(first_col).copied().flatten() else {
            continue;
        };
        let row_col = if l.row_numbers {
            columns.get(first_col + 1).copied().flatten()
        } else {
            None
        };
        let amount_cols: Vec<(String, usize, u32)> = amounts
            .iter()
            .filter_map(|(name, j)| {
                columns
                    .get(*j)
                    .copied()
                    .flatten()
                    .map(|c| (name.clone(), *j, c))
            })
            .collect();
        t.matched += usize::from(!amount_cols.is_empty());
        let mut next = 0usize;
        for r in first_data..end {
            let label_text = grid.text(r, label_col);
            let label = text::label(&label_text);
            if label.starts_with('注') || label.starts_with("说明") {
                break;
            }
            let row_no: Option<u32> = row_col.and_then(|c| grid.text(r, c).parse().ok());
            // Lines match in order, so a label printed twice (一般公共预算财政拨款) is told apart.
            let found = if label.is_empty() {
                None
            } else {
                (next..lines.len())
                    .find(|&i| {
                        lines[i].label.as_deref().map(text::label).as_deref() == Some(&label)
                    })
                    .or_else(|| {
                        row_no.and_then(|n| {
                            (next..lines.len())
                                .find(|&i| lines[i].row == Some(n) && lines[i].label.is_some())
                        })
                    })
            };
            let Some(i) = found else {
                t.skipped += usize::from(!label.is_empty());
                continue;
            };
            t.skipped += lines[next..i].iter().filter(|l| l.label.is_some()).count();
            next = i + 1;
            let Some(key) = lines[i].key.clone() else {
                continue;
            };
            for (name, j, c) in &amount_cols {
                push(
                    grid,
                    t,
                    key.clone(),
                    name,
                    r,
                    *c,
                    label_text.trim(),
                    &col_label(*j),
                );
            }
        }
    }
}
