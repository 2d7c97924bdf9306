//! 读取工作簿：每个单元格检查一次类型，再写成与 TOML 输入相同的原始记录。
//!
//! The workbook is turned into TOML text in memory, and every value's span in that text remembers
//! the cell it came from. The text then goes through the same parser, model and rules as a TOML
//! file, so both inputs give identical figures, and every diagnostic names `工作表!B7`.
//!
//! calamine hands every number over as `f64`; it is converted to `Decimal` once, here, with
//! `Decimal::from_f64` (which recovers the digits typed, e.g. 0.1, and cleans formula noise such as
//! 0.30000000000000004). The scale is then checked by the model like any TOML amount: more than two
//! decimals is E004 at that cell, never rounded.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;

use calamine::{Data, Dimensions, Range, Reader, Xlsx, XlsxError};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::codes;
use super::schema::{self, Field, Kind, Layout, SHEETS, Sheet, Target};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::input::source::CellSpan;

/// A cell's position (0-based, absolute) on a sheet.
#[derive(Clone, Copy, Debug)]
struct At {
    sheet: &'static str,
    row: u32,
    col: u32,
}

/// `B7` for row 6, column 1.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.insert(0, char::from(b'A' + r as u8));
        c = (c - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// A TOML literal and the cell it came from.
#[derive(Clone, Debug)]
struct Lit {
    text: String,
    at: At,
}

#[derive(Clone, Debug)]
enum Node {
    Value(Lit),
    List(Vec<Lit>),
    Table(Tree),
    Array(Vec<Tree>),
}

/// An ordered TOML table under construction; `at` is the row an array item came from.
#[derive(Clone, Debug, Default)]
struct Tree {
    entries: Vec<(String, Node)>,
    at: Option<At>,
}

impl Tree {
    fn child(&mut self, key: &str) -> &mut Node {
        let i = match self.entries.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                self.entries
                    .push((key.to_string(), Node::Table(Tree::default())));
                self.entries.len() - 1
            }
        };
        &mut self.entries[i].1
    }

    fn table(&mut self, path: &[&str]) -> &mut Tree {
        let mut t = self;
        for key in path {
            t = match t.child(key) {
                Node::Table(inner) => inner,
                _ => unreachable!("schema keys never put a table under a value: {key}"),
            };
        }
        t
    }

    fn set(&mut self, path: &str, node: Node) {
        let parts: Vec<&str> = path.split('.').collect();
        let (last, parents) = parts.split_last().expect("a key");
        let t = self.table(parents);
        match t.entries.iter_mut().find(|(k, _)| k == last) {
            Some(entry) => entry.1 = node,
            None => t.entries.push((last.to_string(), node)),
        }
    }

    /// Whether `key` holds exactly this literal (a grouping key such as a title).
    fn has_text(&self, key: &str, text: &str) -> bool {
        self.entries
            .iter()
            .any(|(k, v)| k == key && matches!(v, Node::Value(l) if l.text == text))
    }

    /// Appends a line to the string list at `key`, creating the list.
    fn push_line(&mut self, key: &str, line: Lit) {
        match self.entries.iter_mut().find(|(k, _)| k == key) {
            Some((_, Node::List(list))) => list.push(line),
            _ => self.entries.push((key.to_string(), Node::List(vec![line]))),
        }
    }

    fn array(&mut self, path: &str) -> &mut Vec<Tree> {
        let parts: Vec<&str> = path.split('.').collect();
        let (last, parents) = parts.split_last().expect("a key");
        let t = self.table(parents);
        if !t.entries.iter().any(|(k, _)| k == last) {
            t.entries.push((last.to_string(), Node::Array(Vec::new())));
        }
        match t.entries.iter_mut().find(|(k, _)| k == last) {
            Some((_, Node::Array(items))) => items,
            _ => unreachable!("schema keys never reuse an array key for a table: {path}"),
        }
    }
}

/// What a non-empty cell holds, read once.
#[derive(Clone, Debug)]
enum Value {
    Number(Decimal),
    Text(String),
    Bool(bool),
    Date(i32, u32, u32),
}

/// One sheet's cells with what is needed to read them faithfully.
struct SheetCells {
    name: &'static str,
    data: Range<Data>,
    formulas: Range<String>,
    merged: Vec<Dimensions>,
    percent: Vec<(u32, u32)>,
}

impl SheetCells {
    fn raw(&self, row: u32, col: u32) -> (&Data, u32, u32) {
        // A merged cell's value sits in its top-left cell and applies to all it covers.
        let (r, c) = self
            .merged
            .iter()
            .find(|d| d.contains(row, col))
            .map_or((row, col), |d| d.start);
        (self.data.get_value((r, c)).unwrap_or(&Data::Empty), r, c)
    }

    fn has_formula(&self, row: u32, col: u32) -> bool {
        self.formulas
            .get_value((row, col))
            .is_some_and(|f| !f.is_empty())
    }

    fn height(&self) -> u32 {
        self.data.end().map_or(0, |(r, _)| r + 1)
    }

    fn width(&self) -> u32 {
        self.data.end().map_or(0, |(_, c)| c + 1)
    }
}

struct Reading<'a> {
    file: Arc<str>,
    diags: &'a mut Diagnostics,
}

impl Reading<'_> {
    fn loc(&self, at: At) -> Location {
        Location::Cell {
            file: self.file.clone(),
            sheet: at.sheet.to_string(),
            cell: a1(at.row, at.col),
        }
    }

    fn error(&mut self, code: crate::diagnostic::Code, at: At, message: String, hint: &str) {
        let loc = self.loc(at);
        self.diags
            .push(Diagnostic::error(code, message).at(&loc).hint(hint));
    }

    /// Reads one cell as a value, or `None` when empty; reports and returns `Err` when unusable.
    fn value(&mut self, cells: &SheetCells, row: u32, col: u32) -> Result<Option<Value>, ()> {
        let at = At {
            sheet: cells.name,
            row,
            col,
        };
        let (data, r, c) = cells.raw(row, col);
        let blank = matches!(data, Data::String(s) if s.trim().is_empty());
        let value = match data {
            _ if blank || matches!(data, Data::Empty) => {
                if cells.has_formula(r, c) {
                    self.error(
                        codes::FORMULA,
                        at,
                        format!("{}!{} 是公式，但没有计算结果", cells.name, a1(row, col)),
                        "在 Excel 或 WPS 中打开并保存一次（让公式算出结果），或把公式换成数值。",
                    );
                    return Err(());
                }
                return Ok(None);
            }
            Data::Int(i) => Value::Number(Decimal::from(*i)),
            Data::Float(x) => match Decimal::from_f64(*x) {
                Some(d) => Value::Number(d.normalize()),
                None => {
                    self.error(
                        codes::CELL_TYPE,
                        at,
                        format!("{}!{} 的数值 {x} 无法读取", cells.name, a1(row, col)),
                        "填写普通数字。",
                    );
                    return Err(());
                }
            },
            Data::String(s) => Value::Text(s.trim().to_string()),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(dt) => {
                let (y, m, d) = civil_from_serial(dt.as_f64());
                Value::Date(y, m, d)
            }
            Data::DateTimeIso(s) => match parse_date(s) {
                Some((y, m, d)) => Value::Date(y, m, d),
                None => Value::Text(s.clone()),
            },
            Data::DurationIso(s) => Value::Text(s.clone()),
            Data::Empty => unreachable!("handled with blank text above"),
            Data::Error(e) => {
                self.error(
                    codes::CELL_TYPE,
                    at,
                    format!("{}!{} 是错误值 {e}", cells.name, a1(row, col)),
                    "改正该单元格的公式或数值。",
                );
                return Err(());
            }
        };
        Ok(Some(value))
    }

    /// A cell as the TOML literal its field needs.
    fn literal(
        &mut self,
        cells: &SheetCells,
        row: u32,
        col: u32,
        field: &Field,
    ) -> Result<Option<Node>, ()> {
        let at = At {
            sheet: cells.name,
            row,
            col,
        };
        let Some(value) = self.value(cells, row, col)? else {
            if field.required {
                self.error(
                    codes::REQUIRED,
                    at,
                    format!(
                        "{}!{}（{}）是必填项，但为空",
                        cells.name,
                        a1(row, col),
                        field.header
                    ),
                    "填上这一格（表格中的行不需要时，可整行删去）。",
                );
                return Err(());
            }
            return Ok(None);
        };
        let place = format!("{}!{}（{}）", cells.name, a1(row, col), field.header);
        let lit = |text: String| Ok(Some(Node::Value(Lit { text, at })));
        match (field.kind, value) {
            (Kind::Money, Value::Number(d)) => {
                if cells.percent.contains(&(row, col)) {
                    self.error(
                        codes::CELL_TYPE,
                        at,
                        format!("{place} 是金额，但单元格设成了百分比格式"),
                        "把单元格格式改为“数值”，填写金额本身（单位见“单位信息”表）。",
                    );
                    return Err(());
                }
                lit(d.to_string())
            }
            (Kind::Number, Value::Number(d)) => lit(d.to_string()),
            (Kind::Int, Value::Number(d)) if d.fract().is_zero() => lit(d.trunc().to_string()),
            (Kind::Text, Value::Text(s)) => lit(toml_string(&s)),
            (Kind::Text, Value::Number(d)) => lit(toml_string(&d.to_string())),
            (Kind::Code, Value::Text(s)) => lit(toml_string(&s)),
            (Kind::Code, Value::Number(d)) if d.fract().is_zero() && !d.is_sign_negative() => {
                lit(toml_string(&d.trunc().to_string()))
            }
            (Kind::Bool, Value::Bool(b)) => lit(b.to_string()),
            (Kind::Bool, Value::Text(s)) if matches!(s.as_str(), "是" | "否") => {
                lit((s == "是").to_string())
            }
            (Kind::Date, Value::Date(y, m, d)) => lit(format!("{y:04}-{m:02}-{d:02}")),
            (Kind::Date, Value::Text(s)) if parse_date(&s).is_some() => {
                let (y, m, d) = parse_date(&s).expect("checked");
                lit(format!("{y:04}-{m:02}-{d:02}"))
            }
            (Kind::Choice(choices), Value::Text(s)) => {
                match choices.iter().find(|(label, key)| *label == s || *key == s) {
                    Some((_, key)) => lit(toml_string(key)),
                    None => {
                        let options: Vec<&str> = choices.iter().map(|(l, _)| *l).collect();
                        self.error(
                            codes::CELL_TYPE,
                            at,
                            format!("{place} 的“{s}”不是可选值"),
                            &format!("从下拉列表中选择：{}。", options.join("、")),
                        );
                        Err(())
                    }
                }
            }
            (Kind::List, Value::Text(s)) => Ok(Some(Node::List(
                s.split(['、', '，', ','])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| Lit {
                        text: toml_string(p),
                        at,
                    })
                    .collect(),
            ))),
            (kind, value) => {
                let (wanted, hint) = match kind {
                    Kind::Money => (
                        "金额（数字）",
                        "填写数字，不要带单位或文字；金额单位见“单位信息”表。",
                    ),
                    Kind::Number => ("数字", "填写数字。"),
                    Kind::Int => ("整数", "填写整数。"),
                    Kind::Bool => ("“是”或“否”", "填写“是”或“否”。"),
                    Kind::Date => ("日期", "填写日期，如 2024-09-01。"),
                    Kind::Code => ("科目编码", "填写编码，设置为文本格式。"),
                    Kind::Text | Kind::List => ("文字", "填写文字。"),
                    Kind::Choice(_) => ("下拉列表中的值", "从下拉列表中选择。"),
                };
                let got = match value {
                    Value::Number(d) => format!("数字 {d}"),
                    Value::Text(s) => format!("文字“{s}”"),
                    Value::Bool(b) => format!("逻辑值 {}", if b { "TRUE" } else { "FALSE" }),
                    Value::Date(y, m, d) => format!("日期 {y}-{m}-{d}"),
                };
                self.error(
                    codes::CELL_TYPE,
                    at,
                    format!("{place} 应为{wanted}，却是{got}"),
                    hint,
                );
                Err(())
            }
        }
    }
}

/// Days since 1899-12-30 (Excel's serial, ignoring the 1900 leap bug past March 1900).
fn civil_from_serial(serial: f64) -> (i32, u32, u32) {
    let days = serial.floor() as i64 - 25569; // to days since 1970-01-01
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.get(..10).unwrap_or(s);
    let mut parts = s.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        toml_string(k)
    }
}

/// Reads a workbook from bytes into TOML text with the cell of every value.
pub fn read(file: &str, bytes: &[u8], diags: &mut Diagnostics) -> Option<(String, Vec<CellSpan>)> {
    let file: Arc<str> = file.into();
    let mut book = match Xlsx::new(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            let (message, hint) = match e {
                XlsxError::Password => (
                    format!("{file} 设有打开密码，无法读取"),
                    "在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存，再运行。",
                ),
                _ if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => (
                    format!("{file} 是旧版 .xls 文件或已加密，无法读取"),
                    "另存为 Excel 工作簿（.xlsx）后再运行。",
                ),
                e => (
                    format!("{file} 不是有效的 .xlsx 工作簿：{e}"),
                    "用 juesuan init --xlsx 生成模板填写，或在 Excel/WPS 中另存为 .xlsx。",
                ),
            };
            // The message names the file; there is no cell to point at.
            diags.push(Diagnostic::error(codes::UNREADABLE, message).hint(hint));
            return None;
        }
    };
    let names = book.sheet_names();
    let mut r = Reading {
        file: file.clone(),
        diags,
    };
    let mut root = Tree::default();
    let mut failed = false;
    let mut projects: BTreeMap<String, usize> = BTreeMap::new();
    for sheet in SHEETS {
        if !names.iter().any(|n| n == sheet.name) {
            r.diags.push(
                Diagnostic::error(codes::SHEET_MISSING, format!("缺少工作表“{}”", sheet.name))
                    .at(&Location::Cell {
                        file: file.clone(),
                        sheet: sheet.name.to_string(),
                        cell: "A1".to_string(),
                    })
                    .hint("用 juesuan init --xlsx 生成的模板包含全部工作表；没有数据的表保留表头即可。"),
            );
            failed = true;
            continue;
        }
        let cells = match sheet_cells(&mut book, sheet.name) {
            Ok(c) => c,
            Err(e) => {
                r.diags.push(
                    Diagnostic::error(
                        codes::UNREADABLE,
                        format!("工作表“{}”无法读取：{e}", sheet.name),
                    )
                    .at(&Location::Cell {
                        file: file.clone(),
                        sheet: sheet.name.to_string(),
                        cell: "A1".to_string(),
                    }),
                );
                failed = true;
                continue;
            }
        };
        if read_sheet(&mut r, sheet, &cells, &mut root, &mut projects).is_err() {
            failed = true;
        }
    }
    if failed {
        return None;
    }
    let mut out = Emitter::default();
    out.table(&[], &root, false);
    Some((out.text, out.cells))
}

fn sheet_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &'static str,
) -> Result<SheetCells, XlsxError> {
    let data = book.worksheet_range(name)?;
    let formulas = book.worksheet_formula(name)?;
    let merged = book.merge_cells_by_sheet_name(name)?;
    let styles = book.worksheet_style(name)?;
    let percent = styles
        .cells()
        .filter(|(_, _, style)| {
            style
                .number_format
                .as_ref()
                .is_some_and(|f| f.format_code.contains('%'))
        })
        .map(|(row, col, _)| (row, col))
        .collect();
    Ok(SheetCells {
        name,
        data,
        formulas,
        merged,
        percent,
    })
}

fn header_of(r: &mut Reading, cells: &SheetCells, headers: &[&str]) -> Result<(), ()> {
    let mut ok = true;
    for (col, want) in headers.iter().enumerate() {
        let col = col as u32;
        let got = match cells.raw(0, col).0 {
            Data::String(s) => s.trim().to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        };
        if got != *want {
            let at = At {
                sheet: cells.name,
                row: 0,
                col,
            };
            let message = if got.is_empty() {
                format!("工作表“{}”缺少列“{want}”（{}）", cells.name, a1(0, col))
            } else {
                format!(
                    "工作表“{}”的表头 {} 应为“{want}”，却是“{got}”",
                    cells.name,
                    a1(0, col)
                )
            };
            r.error(
                codes::HEADER,
                at,
                message,
                "表头决定每一列的含义，不能改名、删除或调换；照 juesuan init --xlsx 生成的模板恢复表头。",
            );
            ok = false;
        }
    }
    for col in headers.len() as u32..cells.width() {
        if let Data::String(s) = cells.raw(0, col).0
            && !s.trim().is_empty()
        {
            r.error(
                codes::HEADER,
                At {
                    sheet: cells.name,
                    row: 0,
                    col,
                },
                format!(
                    "工作表“{}”多出一列“{}”（{}）",
                    cells.name,
                    s.trim(),
                    a1(0, col)
                ),
                "删去这一列；要补充的说明写进已有的文字列。",
            );
            ok = false;
        }
    }
    if ok { Ok(()) } else { Err(()) }
}

fn row_is_empty(cells: &SheetCells, row: u32, width: u32) -> bool {
    (0..width).all(|c| match cells.raw(row, c).0 {
        Data::Empty => !cells.has_formula(row, c),
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    })
}

fn read_sheet(
    r: &mut Reading,
    sheet: &Sheet,
    cells: &SheetCells,
    root: &mut Tree,
    projects: &mut BTreeMap<String, usize>,
) -> Result<(), ()> {
    match sheet.layout {
        Layout::KeyValue(fields) => {
            header_of(r, cells, &schema::KEY_VALUE_HEADER)?;
            let mut ok = true;
            let mut seen = Vec::new();
            for row in 1..cells.height() {
                if row_is_empty(cells, row, 2) {
                    continue;
                }
                let at = At {
                    sheet: cells.name,
                    row,
                    col: 0,
                };
                let label = match cells.raw(row, 0).0 {
                    Data::String(s) => s.trim().to_string(),
                    other => other.to_string(),
                };
                let Some(field) = fields.iter().find(|f| f.header == label) else {
                    r.error(
                        codes::HEADER,
                        at,
                        format!(
                            "工作表“{}”的 {} 是未知的项目“{label}”",
                            cells.name,
                            a1(row, 0)
                        ),
                        "A 列的项目名不能修改；照模板恢复。",
                    );
                    ok = false;
                    continue;
                };
                if seen.contains(&field.key) {
                    r.error(
                        codes::HEADER,
                        at,
                        format!("工作表“{}”的项目“{label}”出现了两次", cells.name),
                        "每个项目只填一行。",
                    );
                    ok = false;
                    continue;
                }
                seen.push(field.key);
                match r.literal(cells, row, 1, field) {
                    Ok(Some(node)) => root.set(field.key, node),
                    Ok(None) => {}
                    Err(()) => ok = false,
                }
            }
            for field in fields.iter().filter(|f| f.required) {
                if !seen.contains(&field.key) {
                    r.error(
                        codes::REQUIRED,
                        At {
                            sheet: cells.name,
                            row: 0,
                            col: 0,
                        },
                        format!("工作表“{}”缺少必填项“{}”", cells.name, field.header),
                        "照模板补上这一行并填写。",
                    );
                    ok = false;
                }
            }
            if ok { Ok(()) } else { Err(()) }
        }
        Layout::Rows { target, columns } => {
            let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
            header_of(r, cells, &headers)?;
            let mut ok = true;
            let width = columns.len() as u32;
            for row in 1..cells.height() {
                if row_is_empty(cells, row, width) {
                    continue;
                }
                let mut values: Vec<Option<Node>> = Vec::new();
                let mut row_ok = true;
                for (col, field) in columns.iter().enumerate() {
                    match r.literal(cells, row, col as u32, field) {
                        Ok(v) => values.push(v),
                        Err(()) => {
                            values.push(None);
                            row_ok = false;
                        }
                    }
                }
                if !row_ok {
                    ok = false;
                    continue;
                }
                let at = At {
                    sheet: cells.name,
                    row,
                    col: 0,
                };
                if place_row(r, target, columns, values, at, root, projects).is_err() {
                    ok = false;
                }
            }
            if ok { Ok(()) } else { Err(()) }
        }
    }
}

fn text_of(node: &Option<Node>) -> String {
    match node {
        Some(Node::Value(l)) => l.text.clone(),
        _ => String::new(),
    }
}

/// The plain string inside a TOML basic-string literal made by `toml_string`.
fn unquote(lit: &str) -> String {
    toml::from_str::<BTreeMap<String, String>>(&format!("v = {lit}"))
        .ok()
        .and_then(|mut m| m.remove("v"))
        .unwrap_or_default()
}

fn record(columns: &[Field], values: Vec<Option<Node>>, at: At, skip: usize) -> Tree {
    let mut t = Tree {
        at: Some(at),
        ..Tree::default()
    };
    for (field, value) in columns.iter().zip(values).skip(skip) {
        if let Some(node) = value {
            t.set(field.key, node);
        }
    }
    t
}

fn place_row(
    r: &mut Reading,
    target: Target,
    columns: &[Field],
    mut values: Vec<Option<Node>>,
    at: At,
    root: &mut Tree,
    projects: &mut BTreeMap<String, usize>,
) -> Result<(), ()> {
    match target {
        Target::Array(path) => {
            if path == "performance.projects" {
                let name = unquote(&text_of(&values[0]));
                let index = root.array(path).len();
                if projects.insert(name.clone(), index).is_some() {
                    r.error(
                        codes::REFERENCE,
                        at,
                        format!("项目“{name}”在“{}”表中出现了两次", at.sheet),
                        "项目名称用来关联绩效指标和工作量，须各不相同。",
                    );
                    return Err(());
                }
            }
            root.array(path).push(record(columns, values, at, 0));
        }
        Target::Routed(_) => {
            // The 资金 choice resolved to the array's path.
            let path = unquote(&text_of(&values[0]));
            root.array(&path).push(record(columns, values, at, 1));
        }
        Target::Strings(path) => {
            let Some(Node::Value(lit)) = values.remove(0) else {
                return Ok(());
            };
            let parts: Vec<&str> = path.split('.').collect();
            let (last, parents) = parts.split_last().expect("a key");
            let t = root.table(parents);
            match t.entries.iter_mut().find(|(k, _)| k == last) {
                Some((_, Node::List(items))) => items.push(lit),
                _ => t.entries.push((last.to_string(), Node::List(vec![lit]))),
            }
        }
        Target::Grouped {
            array,
            title,
            lines,
        } => {
            let (Some(Node::Value(head)), Some(Node::Value(line))) =
                (values[0].clone(), values[1].clone())
            else {
                return Ok(());
            };
            let items = root.array(array);
            if !items.last().is_some_and(|t| t.has_text(title, &head.text)) {
                let mut t = Tree {
                    at: Some(at),
                    ..Tree::default()
                };
                t.set(title, Node::Value(head));
                items.push(t);
            }
            items
                .last_mut()
                .expect("pushed above")
                .push_line(lines, line);
        }
        Target::Map(path) => {
            let key = unquote(&text_of(&values[0]));
            if let Some(value) = values.remove(1) {
                root.table(&path.split('.').collect::<Vec<_>>())
                    .entries
                    .push((key, value));
            }
        }
        Target::Sections => {
            let name = unquote(&text_of(&values[0]));
            let project = evaluation(r, root, projects, &name, at)?;
            let Some(Node::Value(title)) = values[1].clone() else {
                return Ok(());
            };
            let sections = project.array("sections");
            let same = sections
                .last()
                .is_some_and(|t| t.has_text("title", &title.text));
            if !same {
                let mut t = Tree {
                    at: Some(at),
                    ..Tree::default()
                };
                t.set("title", Node::Value(title));
                if let Some(flag) = values[3].clone() {
                    t.set("workloads", flag);
                }
                sections.push(t);
            }
            if let Some(Node::Value(line)) = values[2].clone() {
                sections
                    .last_mut()
                    .expect("pushed above")
                    .push_line("paragraphs", line);
            }
        }
        Target::UnderProject { array, map } => {
            let name = unquote(&text_of(&values[0]));
            let project = evaluation(r, root, projects, &name, at)?;
            if map {
                let key = unquote(&text_of(&values[1]));
                if let Some(value) = values.remove(2) {
                    project.table(&[array]).entries.push((key, value));
                }
            } else {
                project.array(array).push(record(columns, values, at, 1));
            }
        }
    }
    Ok(())
}

/// The `performance.projects` entry a row names by its 项目名称 (or the department, for
/// “部门整体”); an unknown name is X007 at that row.
fn evaluation<'t>(
    r: &mut Reading,
    root: &'t mut Tree,
    projects: &BTreeMap<String, usize>,
    name: &str,
    at: At,
) -> Result<&'t mut Tree, ()> {
    if name == schema::DEPARTMENT {
        return Ok(root.table(&["performance", "department"]));
    }
    match projects.get(name) {
        Some(&index) => Ok(&mut root.array("performance.projects")[index]),
        None => {
            r.error(
                codes::REFERENCE,
                at,
                format!(
                    "{}!{} 的项目“{name}”不在“绩效项目”表中",
                    at.sheet,
                    a1(at.row, 0)
                ),
                "项目名称须与“绩效项目”表中的一致（含标点）。",
            );
            Err(())
        }
    }
}

/// Writes the tree as TOML text, remembering which cell each value came from.
#[derive(Default)]
struct Emitter {
    text: String,
    cells: Vec<CellSpan>,
}

impl Emitter {
    fn mark(&mut self, start: usize, at: At) {
        self.cells.push(CellSpan {
            span: start..self.text.len(),
            sheet: at.sheet.into(),
            cell: a1(at.row, at.col),
        });
    }

    fn lit(&mut self, l: &Lit) {
        let start = self.text.len();
        self.text.push_str(&l.text);
        self.mark(start, l.at);
    }

    fn table(&mut self, path: &[String], t: &Tree, array_item: bool) {
        let dotted = path
            .iter()
            .map(|k| toml_key(k))
            .collect::<Vec<_>>()
            .join(".");
        let has_values = t
            .entries
            .iter()
            .any(|(_, n)| matches!(n, Node::Value(_) | Node::List(_)));
        if array_item || (has_values && !path.is_empty()) {
            let start = self.text.len();
            if array_item {
                self.text.push_str(&format!("\n[[{dotted}]]\n"));
            } else {
                self.text.push_str(&format!("\n[{dotted}]\n"));
            }
            if let Some(at) = t.at {
                self.mark(start, at);
            }
        }
        for (k, node) in &t.entries {
            match node {
                Node::Value(l) => {
                    self.text.push_str(&format!("{} = ", toml_key(k)));
                    self.lit(l);
                    self.text.push('\n');
                }
                Node::List(items) => {
                    self.text.push_str(&format!("{} = [", toml_key(k)));
                    for (i, l) in items.iter().enumerate() {
                        if i > 0 {
                            self.text.push_str(", ");
                        }
                        self.lit(l);
                    }
                    self.text.push_str("]\n");
                }
                _ => {}
            }
        }
        for (k, node) in &t.entries {
            let mut sub = path.to_vec();
            sub.push(k.clone());
            match node {
                Node::Table(inner) if !inner.entries.is_empty() => self.table(&sub, inner, false),
                Node::Array(items) => {
                    for item in items {
                        self.table(&sub, item, true);
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names_columns_like_excel() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 1), "B7");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 27), "AB10");
    }

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(civil_from_serial(45536.0), (2024, 9, 1));
        assert_eq!(civil_from_serial(25569.0), (1970, 1, 1));
    }

    #[test]
    fn strings_are_escaped_for_toml() {
        let lit = toml_string("他说\"好\"\\\n");
        let back: BTreeMap<String, String> = toml::from_str(&format!("v = {lit}")).unwrap();
        assert_eq!(back["v"], "他说\"好\"\\\n");
    }
}
