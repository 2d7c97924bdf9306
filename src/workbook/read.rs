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

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use calamine::Data;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

use super::cells::{Book, Problem, SheetCells};
use super::codes;
use super::limits;
use super::numbers::{self, TextNumber};
use super::open::Format;
use super::schema::{self, Field, Kind, Layout, SHEETS, Sheet, Target};
use super::xls_scan::Beyond;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::input::source::{CellSpan, Slot};
use crate::schema::lists;

/// A cell's position (0-based, absolute) on a sheet.
#[derive(Clone, Copy, Debug)]
struct At {
    sheet: &'static str,
    row: u32,
    col: u32,
}

/// `B7` for row 6, column 1 (rust_xlsxwriter's naming, the same as Excel's).
pub fn a1(row: u32, col: u32) -> String {
    match u16::try_from(col) {
        Ok(col) => rust_xlsxwriter::utility::row_col_to_cell(row, col),
        Err(_) => format!("第 {} 行第 {} 列", u64::from(row) + 1, u64::from(col) + 1),
    }
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

struct Reading<'a> {
    file: Arc<str>,
    diags: &'a mut Diagnostics,
    /// Where each fact of a key–value sheet is written (see [`Slot`]).
    slots: Vec<Slot>,
}

impl Reading<'_> {
    /// How many diagnostics of `code` have been reported so far.
    fn count(&self, code: crate::diagnostic::Code) -> usize {
        self.diags.iter().filter(|d| d.code == code).count()
    }

    /// A sheet calamine could not read, or one beyond the limits.
    fn sheet_problem(&mut self, sheet: &'static str, problem: Problem) {
        let (code, at, message, hint) = match problem {
            Problem::TooFar { row, col } => (
                codes::LIMIT,
                At { sheet, row, col },
                format!(
                    "工作表“{sheet}”的 {} 有内容，超出 juesuan 读取的范围（每张表最多 {} 行、{} 列，即 A1:{}）",
                    a1(row, col),
                    limits::ROWS,
                    limits::COLUMNS,
                    a1(limits::ROWS - 1, limits::COLUMNS - 1)
                ),
                "删去这个单元格（或它所在的行、列）中的内容后保存；决算数据用不到这么远的单元格。",
            ),
            Problem::TooMany => (
                codes::LIMIT,
                At {
                    sheet,
                    row: 0,
                    col: 0,
                },
                format!(
                    "工作表“{sheet}”有超过 {} 个非空单元格，超出 juesuan 读取的范围",
                    limits::CELLS
                ),
                "删去与决算无关的内容后保存，再运行。",
            ),
            Problem::TooManyMerged => (
                codes::LIMIT,
                At {
                    sheet,
                    row: 0,
                    col: 0,
                },
                format!(
                    "工作表“{sheet}”有超过 {} 个合并单元格，超出 juesuan 读取的范围",
                    limits::MERGED_AREAS
                ),
                "取消不必要的合并单元格（开始 → 合并后居中 → 取消单元格合并）后保存，再运行。",
            ),
            Problem::TooMuchText => (
                codes::LIMIT,
                At {
                    sheet,
                    row: 0,
                    col: 0,
                },
                format!(
                    "工作表“{sheet}”的文字超过 {} MB，超出 juesuan 读取的范围",
                    limits::SHEET_TEXT_BYTES / (1024 * 1024)
                ),
                "删去与决算无关的长文字后保存，再运行。",
            ),
            Problem::Password => (
                codes::UNREADABLE,
                At {
                    sheet,
                    row: 0,
                    col: 0,
                },
                format!("工作表“{sheet}”设有密码，无法读取"),
                "在 Excel 或 WPS 中撤销工作表保护后另存，再运行。",
            ),
            Problem::Broken(what) => (
                codes::UNREADABLE,
                At {
                    sheet,
                    row: 0,
                    col: 0,
                },
                format!("工作表“{sheet}”已损坏，无法按 {what} 格式读取"),
                "在 Excel 或 WPS 中打开这张表检查，另存为 .xlsx 后再运行。",
            ),
            Problem::NotXls | Problem::Beyond(_) => (
                codes::UNREADABLE,
                At {
                    sheet,
                    row: 0,
                    col: 0,
                },
                format!("工作表“{sheet}”无法按 .xls 格式读取"),
                "在 Excel 或 WPS 中另存为 .xlsx 后再运行。",
            ),
        };
        self.error(code, at, message, hint);
    }

    fn info(&mut self, code: crate::diagnostic::Code, at: At, message: String, hint: &str) {
        let loc = self.loc(at);
        self.diags
            .push(Diagnostic::of(code, message).at(&loc).hint(hint));
    }

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
            .push(Diagnostic::of(code, message).at(&loc).hint(hint));
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
            Data::DateTime(dt) if dt.is_datetime() => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Value::Date(i32::from(y), u32::from(m), u32::from(d))
            }
            Data::DateTime(dt) => Value::Text(dt.as_f64().to_string()),
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
    /// Reads one cell as the TOML literal of its field. A number that cannot be read (text or a
    /// unit in an amount cell, a percentage format, a formula without a result) is said at its
    /// cell and stands in as 0 there, as a mistyped TOML value does, so the rules still check
    /// everything else in the same round; their findings that point at this cell would only echo
    /// the error and are left out (`crate::check_loaded_adjusted`). Anything else unreadable is
    /// `Err`: the workbook is not read on.
    fn literal(
        &mut self,
        cells: &SheetCells,
        row: u32,
        col: u32,
        field: &Field,
    ) -> Result<Option<Node>, ()> {
        let said = self.diags.0.len();
        let read = self.read_literal(cells, row, col, field);
        let number = matches!(field.kind, Kind::Money | Kind::Number | Kind::Int);
        let cell_errors = self.diags.0[said..]
            .iter()
            .all(|d| d.code == codes::CELL_TYPE || d.code == codes::FORMULA);
        match read {
            Err(()) if number && cell_errors && self.diags.0.len() > said => {
                Ok(Some(Node::Value(Lit {
                    text: "0".to_string(),
                    at: At {
                        sheet: cells.name,
                        row,
                        col,
                    },
                })))
            }
            read => read,
        }
    }

    fn read_literal(
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
        let value = match (field.kind, value) {
            (Kind::Money | Kind::Number | Kind::Int, Value::Text(text)) => {
                match numbers::parse(&text) {
                    TextNumber::Plain(d) => {
                        self.info(
                            codes::TEXT_NUMBER,
                            at,
                            format!("{place} 是文本格式的数字“{text}”，已按数字 {d} 读取"),
                            "选中该列，点单元格旁的黄色感叹号 → “转换为数字”，或 数据 → 分列 → 完成。",
                        );
                        Value::Number(d)
                    }
                    TextNumber::WithUnit => {
                        self.error(
                            codes::CELL_TYPE,
                            at,
                            format!(
                                "{place} 是文本格式的数字“{text}”，带有单位或文字，无法当作数字读取"
                            ),
                            "只填数字本身（如 12.5），去掉“万元”“元”等单位；金额单位统一在“单位信息”表中设置。",
                        );
                        return Err(());
                    }
                    TextNumber::NotNumber => Value::Text(text),
                }
            }
            (_, value) => value,
        };
        let lit = |text: String| Ok(Some(Node::Value(Lit { text, at })));
        match (field.kind, value) {
            (Kind::Money, Value::Number(d)) => {
                if cells.is_percent(row, col) {
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
            (Kind::Choice(choice) | Kind::OpenChoice(choice), Value::Text(s)) => {
                let choices = choice.options;
                let own_key = matches!(field.kind, Kind::OpenChoice(_))
                    && !s.is_empty()
                    && s.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
                    });
                match choices.iter().find(|(label, key)| *label == s || *key == s) {
                    Some((_, key)) => lit(toml_string(key)),
                    None if own_key => lit(toml_string(&s)),
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
                    Kind::Choice(_) | Kind::OpenChoice(_) => {
                        ("下拉列表中的值", "从下拉列表中选择。")
                    }
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

/// A date written as text (`2024-09-01`, full-width digits too); `None` unless the day exists
/// (2024-02-31 is no date, and is refused at its cell rather than turned into a TOML error).
fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = numbers::nfkc(s);
    let s = s.trim();
    let s = s.get(..10).unwrap_or(s);
    let mut parts = s.split('-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    ((1000..=9999).contains(&y) && crate::calendar::is_date(y, m, d)).then_some((y, m, d))
}

/// A TOML string literal (toml's own quoting and escaping).
pub fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key, bare when it can be, quoted by toml otherwise.
fn toml_key(k: &str) -> String {
    let mut one = toml::Table::new();
    one.insert(k.to_string(), toml::Value::Integer(0));
    toml::to_string(&one)
        .ok()
        .and_then(|line| line.trim_end().strip_suffix(" = 0").map(str::to_string))
        .unwrap_or_else(|| toml_string(k))
}

/// The version of the template this program writes (`init --xlsx`, `convert`), in the 说明 sheet.
/// A workbook without the marker is version 1, the template before the marker was added.
pub const TEMPLATE_VERSION: u32 = 11;

/// The label of the version cell in the 说明 sheet: “模板版本 3”.
pub const VERSION_LABEL: &str = "模板版本";

/// Reads a workbook from bytes into TOML text with the cell of every value.
pub fn read(
    file: &str,
    format: Format,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<(String, Vec<CellSpan>, Vec<Slot>)> {
    let file: Arc<str> = file.into();
    let mut book = match Book::open(format, bytes) {
        Ok(b) => b,
        Err(problem) => {
            let (message, hint) = match problem {
                Problem::Password => (
                    format!("{file} 设有打开密码，无法读取"),
                    "在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存，再运行。",
                ),
                Problem::NotXls => (
                    format!(
                        "{file} 是 OLE 复合文档（如 WPS 表格的 .et、Word 的 .doc），无法作为 .xls 工作簿读取"
                    ),
                    "若是 WPS 表格文件，请在 WPS 中另存为 .xlsx（文件 → 另存为 → Excel 工作簿）后再运行。",
                ),
                Problem::Broken(what) => (
                    format!("{file} 不是有效的 {what} 工作簿（文件已损坏或内容不完整）"),
                    super::open::SAVE_AS_XLSX,
                ),
                Problem::TooFar { .. }
                | Problem::TooMany
                | Problem::TooMuchText
                | Problem::TooManyMerged => (
                    format!("{file} 超出 juesuan 读取的范围"),
                    super::open::SAVE_AS_XLSX,
                ),
                Problem::Beyond(beyond) => {
                    diags.push(beyond_limits(&file, beyond));
                    return None;
                }
            };
            // The message names the file; there is no cell to point at.
            diags.push(Diagnostic::of(codes::UNREADABLE, message).hint(hint));
            return None;
        }
    };
    let names = book.sheet_names();
    if names.len() > limits::SHEETS {
        diags.push(
            Diagnostic::of(
                codes::LIMIT,
                format!(
                    "{file} 有 {} 张工作表，超过上限 {} 张",
                    names.len(),
                    limits::SHEETS
                ),
            )
            .hint("删去与决算无关的工作表后另存，再运行。"),
        );
        return None;
    }
    let mut r = Reading {
        file: file.clone(),
        diags,
        slots: Vec::new(),
    };
    let version = match template_version(&mut r, &mut book, &names) {
        Ok(v) => v,
        Err(()) => return None,
    };
    let hidden = hidden_sheets(&book);
    let hidden_columns = hidden_columns(format, bytes);
    let mut root = Tree::default();
    let mut failed = false;
    let mut projects: BTreeMap<String, usize> = BTreeMap::new();
    let headers_before = r.count(codes::HEADER);
    for sheet in SHEETS {
        if !names.iter().any(|n| n == sheet.name) {
            let added_later = schema::ADDED_SHEETS
                .iter()
                .any(|(name, since)| *name == sheet.name && version < *since);
            if added_later {
                continue;
            }
            r.diags.push(
                Diagnostic::of(codes::SHEET_MISSING, format!("缺少工作表“{}”", sheet.name))
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
        let cells = match book.cells(sheet.name) {
            Ok(c) => c,
            Err(problem) => {
                r.sheet_problem(sheet.name, problem);
                failed = true;
                continue;
            }
        };
        let hidden_sheet = hidden
            .iter()
            .find(|(n, _)| n == sheet.name)
            .map(|(_, very)| *very);
        for note in hidden_notes(
            &file,
            sheet.name,
            hidden_sheet,
            hidden_columns.get(sheet.name),
            &cells,
        ) {
            r.diags.push(note);
        }
        if read_sheet(&mut r, sheet, &cells, version, &mut root, &mut projects).is_err() {
            failed = true;
        }
    }
    for name in &names {
        if SHEETS.iter().any(|s| s.name == name) || name == schema::GUIDE {
            continue;
        }
        if read_extra_sheet(&mut r, &mut book, name, &mut root).is_err() {
            failed = true;
        }
    }
    if version < TEMPLATE_VERSION && r.count(codes::HEADER) > headers_before {
        r.diags.push(
            Diagnostic::of(
                codes::TEMPLATE_VERSION,
                format!(
                    "{file} 是第 {version} 版模板（本程序用第 {TEMPLATE_VERSION} 版），表头与当前模板不同，下面列出的表头无法自动对应"
                ),
            )
            .at(&Location::Cell {
                file: file.clone(),
                sheet: schema::GUIDE.to_string(),
                cell: "A1".to_string(),
            })
            .hint(
                "用 juesuan init --xlsx 新模板.xlsx 生成当前模板，把各表的数据按表头复制过去；\
                 以后用 juesuan convert 输入.toml 新模板.xlsx 可由 TOML 直接生成当前版本的工作簿。",
            ),
        );
    }
    if failed {
        return None;
    }
    let mut out = Emitter::default();
    out.table(&[], &root, false);
    Some((out.text, out.cells, r.slots))
}

/// A sheet name that is not the schema's, kept for the life of the process (cells and places name
/// their sheet by `&'static str`): each distinct name once, and past [`MAX_INTERNED`] names (a
/// server reading many workbooks) the default name of a form's sheet stands in.
fn interned(name: &str) -> &'static str {
    use std::sync::Mutex;
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    if names.len() >= MAX_INTERNED {
        return "表式事实";
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// How many names of form sheets [`interned`] keeps.
const MAX_INTERNED: usize = 1000;

/// A sheet of a form's own facts (header [`schema::EXTRA_HEADER`], any name): each row's 键
/// with its 本年, 上年 and 预算 becomes `[extra] 键`, `键_prior`, `键_budget`, numbers as
/// numbers and texts as texts (the model checks them against the form's declarations). A sheet
/// with another header is not the template's and is left alone.
fn read_extra_sheet(
    r: &mut Reading,
    book: &mut Book,
    name: &str,
    root: &mut Tree,
) -> Result<(), ()> {
    let header_cell = |cells: &SheetCells, col: u32| match cells.raw(0, col).0 {
        Data::String(s) => s.trim().to_string(),
        _ => String::new(),
    };
    let sheet = interned(name);
    let cells = match book.cells(sheet) {
        Ok(c) => c,
        // Not a sheet juesuan reads unless it has the header: an unreadable stranger is ignored.
        Err(_) => return Ok(()),
    };
    let matches = schema::EXTRA_HEADER
        .iter()
        .enumerate()
        .all(|(col, h)| header_cell(&cells, col as u32) == *h);
    if !matches {
        return Ok(());
    }
    let mut failed = false;
    for row in 1..cells.height() {
        let key = match r.value(&cells, row, 0) {
            Ok(Some(Value::Text(k))) => k,
            Ok(Some(Value::Number(d))) => d.to_string(),
            Ok(None) => {
                let rest_empty = (2..5).all(|col| matches!(cells.raw(row, col).0, Data::Empty));
                if !rest_empty {
                    r.error(
                        codes::REQUIRED,
                        At { sheet, row, col: 0 },
                        format!("{sheet}!{}（键）是必填项，但为空", a1(row, 0)),
                        "填上这一行事实的键（见表式的 form.toml），或整行删去。",
                    );
                    failed = true;
                }
                continue;
            }
            Ok(Some(_)) | Err(()) => {
                failed = true;
                continue;
            }
        };
        for (col, suffix) in schema::EXTRA_COMPANIONS {
            let col = col as u32;
            let at = At { sheet, row, col };
            let text = match r.value(&cells, row, col) {
                Ok(None) => continue,
                Ok(Some(Value::Number(d))) => {
                    if cells.is_percent(row, col) {
                        r.error(
                            codes::CELL_TYPE,
                            at,
                            format!("{sheet}!{} 设成了百分比格式", a1(row, col)),
                            "把单元格格式改为“数值”，填写数值本身。",
                        );
                        failed = true;
                        continue;
                    }
                    d.to_string()
                }
                Ok(Some(Value::Text(s))) => toml_string(&s),
                Ok(Some(Value::Bool(b))) => toml_string(if b { "是" } else { "否" }),
                Ok(Some(Value::Date(y, m, d))) => toml_string(&format!("{y:04}-{m:02}-{d:02}")),
                Err(()) => {
                    failed = true;
                    continue;
                }
            };
            let extra = root.table(&["extra"]);
            let key = format!("{key}{suffix}");
            extra.entries.retain(|(k, _)| *k != key);
            extra.entries.push((key, Node::Value(Lit { text, at })));
        }
    }
    if failed { Err(()) } else { Ok(()) }
}

/// An .xls or .ods sheet beyond the limits, found before calamine parsed it.
fn beyond_limits(file: &Arc<str>, beyond: Beyond) -> Diagnostic {
    let at = |sheet: &str, cell: String| Location::Cell {
        file: file.clone(),
        sheet: sheet.to_string(),
        cell,
    };
    match beyond {
        Beyond::Cell { sheet, row, col } => Diagnostic::of(
            codes::LIMIT,
            format!(
                "工作表“{sheet}”的 {} 有内容（或声明的范围到此），超出 juesuan 读取的范围（每张表最多 {} 行、{} 列，即 A1:{}）",
                a1(row, col),
                limits::ROWS,
                limits::COLUMNS,
                a1(limits::ROWS - 1, limits::COLUMNS - 1)
            ),
        )
        .at(&at(&sheet, a1(row, col)))
        .hint("删去这个单元格（或它所在的行、列）中的内容，另存为 .xlsx 后再运行。"),
        Beyond::Cells { sheet } => Diagnostic::of(
            codes::LIMIT,
            format!(
                "工作表“{sheet}”有超过 {} 个单元格，超出 juesuan 读取的范围",
                limits::CELLS
            ),
        )
        .at(&at(&sheet, "A1".to_string()))
        .hint("删去与决算无关的内容，另存为 .xlsx 后再运行。"),
        Beyond::Text { sheet } => Diagnostic::of(
            codes::LIMIT,
            format!(
                "工作表“{sheet}”的文字超过 {} MB（重复的单元格各算一次），超出 juesuan 读取的范围",
                limits::SHEET_TEXT_BYTES / (1024 * 1024)
            ),
        )
        .at(&at(&sheet, "A1".to_string()))
        .hint("删去与决算无关的长文字，另存为 .xlsx 后再运行。"),
        Beyond::Malformed { sheet } => Diagnostic::of(
            codes::UNREADABLE,
            format!("{file} 的工作表“{sheet}”已损坏（行范围首行在末行之后），无法按 .xls 读取"),
        )
        .at(&at(&sheet, "A1".to_string()))
        .hint(super::open::SAVE_AS_XLSX),
    }
}

/// The template version the 说明 sheet states (“模板版本 3”), or 1 when it states none; a version
/// newer than this program's is refused.
fn template_version(r: &mut Reading, book: &mut Book, names: &[String]) -> Result<u32, ()> {
    if !names.iter().any(|n| n == schema::GUIDE) {
        return Ok(1);
    }
    let cells = match book.cells(schema::GUIDE) {
        Ok(c) => c,
        Err(problem) => {
            r.sheet_problem(schema::GUIDE, problem);
            return Err(());
        }
    };
    for row in 0..cells.height().min(20) {
        let Data::String(text) = cells.raw(row, 0).0 else {
            continue;
        };
        let Some(rest) = text.trim().strip_prefix(VERSION_LABEL) else {
            continue;
        };
        let digits: String = rest
            .trim_start_matches([' ', '：', ':', '\u{3000}'])
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let at = At {
            sheet: schema::GUIDE,
            row,
            col: 0,
        };
        return match digits.parse::<u32>() {
            Ok(v) if (1..=TEMPLATE_VERSION).contains(&v) => Ok(v),
            Ok(v) => {
                r.error(
                    codes::TEMPLATE_VERSION,
                    at,
                    format!("工作簿是第 {v} 版模板，本程序只能读取到第 {TEMPLATE_VERSION} 版"),
                    "升级 juesuan 到最新版本后再运行（工作簿由更新的 juesuan 生成）。",
                );
                Err(())
            }
            Err(_) => {
                r.error(
                    codes::TEMPLATE_VERSION,
                    at,
                    format!("“说明”表的“{}”无法识别", text.trim()),
                    "恢复为模板中的原文（如“模板版本 3”），不要修改这一格。",
                );
                Err(())
            }
        };
    }
    Ok(1)
}

/// Checks a sheet's header row. `optional_tail` trailing columns may be absent altogether (an
/// older template that lacks a newer optional column: read as empty). A column holding data
/// without a header is an error too, so no data is dropped silently.
fn header_of(
    r: &mut Reading,
    cells: &SheetCells,
    headers: &[&str],
    optional_tail: usize,
) -> Result<(), ()> {
    let text_at = |col: u32| match cells.raw(0, col).0 {
        Data::String(s) => s.trim().to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    };
    let at = |row: u32, col: u32| At {
        sheet: cells.name,
        row,
        col,
    };
    // Where an absent optional tail starts, if the sheet ends its header there and holds no data
    // under it.
    let mut expected = headers.len();
    for start in headers.len().saturating_sub(optional_tail)..headers.len() {
        let absent = (start..headers.len()).all(|c| {
            let c = c as u32;
            text_at(c).is_empty() && cells.first_value_in_column(c, 1).is_none()
        });
        if absent {
            expected = start;
            break;
        }
    }
    if let Some(shift) = one_column_shifted(&headers[..expected], cells.width(), &text_at) {
        let (col, message, hint) = match shift {
            Shift::Deleted(col) => (
                col,
                format!(
                    "工作表“{}”缺少列“{}”：原来的 {} 列像是被删除了，右边各列因此左移了一列",
                    cells.name,
                    headers[col],
                    column_letters(col)
                ),
                format!(
                    "在 {} 列前插入一列，表头写“{}”，再把这一列的数填回去（或照 juesuan init --xlsx 生成的模板恢复）。",
                    column_letters(col),
                    headers[col]
                ),
            ),
            Shift::Inserted(col) => (
                col,
                format!(
                    "工作表“{}”的 {} 列“{}”是多出来的一列，右边各列因此右移了一列",
                    cells.name,
                    column_letters(col),
                    text_at(col as u32)
                ),
                "删去这一列（右键列标 → 删除）；要补充的说明写进已有的文字列。".to_string(),
            ),
        };
        r.error(codes::HEADER, at(0, col as u32), message, &hint);
        return Err(());
    }
    let mut ok = true;
    for (col, want) in headers.iter().enumerate().take(expected) {
        let col = col as u32;
        let got = text_at(col);
        if got != *want {
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
                at(0, col),
                message,
                "表头决定每一列的含义，不能改名、删除或调换；照 juesuan init --xlsx 生成的模板恢复表头。",
            );
            ok = false;
        }
    }
    for col in headers.len() as u32..cells.width() {
        let got = text_at(col);
        if !got.is_empty() {
            r.error(
                codes::HEADER,
                at(0, col),
                format!("工作表“{}”多出一列“{got}”（{}）", cells.name, a1(0, col)),
                "删去这一列；要补充的说明写进已有的文字列。",
            );
            ok = false;
        } else if let Some(row) = cells.first_value_in_column(col, 1) {
            r.error(
                codes::HEADER,
                at(row, col),
                format!(
                    "工作表“{}”的 {} 列有数据（{}），但没有表头，这一列不会被读取",
                    cells.name,
                    a1(0, col).trim_end_matches(char::is_numeric),
                    a1(row, col)
                ),
                "把数据移到有表头的列里，或删去这一列。",
            );
            ok = false;
        }
    }
    if ok { Ok(()) } else { Err(()) }
}

/// How a header row differs from the template's by exactly one column.
enum Shift {
    /// The template's column at this index is missing; the columns right of it moved left.
    Deleted(usize),
    /// The column at this index is not the template's; the columns right of it moved right.
    Inserted(usize),
}

/// Whether the header row is the template's with one column deleted or one inserted: then one
/// message names that column instead of one per shifted header.
fn one_column_shifted(want: &[&str], width: u32, text_at: &dyn Fn(u32) -> String) -> Option<Shift> {
    let mut got: Vec<String> = (0..width.max(want.len() as u32 + 1)).map(text_at).collect();
    while got.last().is_some_and(String::is_empty) {
        got.pop();
    }
    let same =
        |a: &[String], b: &[&str]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y);
    if got.len() + 1 == want.len() {
        // (The last column missing, or one added at the end, shifts nothing: the header check
        // names it by itself.)
        let i = (0..got.len()).find(|&i| got[i] != want[i])?;
        return same(&got[i..], &want[i + 1..]).then_some(Shift::Deleted(i));
    }
    if got.len() == want.len() + 1 {
        let i = (0..want.len()).find(|&i| got[i] != want[i])?;
        return same(&got[i + 1..], &want[i..]).then_some(Shift::Inserted(i));
    }
    None
}

/// A column's letters (`D` for index 3).
fn column_letters(col: usize) -> String {
    a1(0, col as u32)
        .trim_end_matches(char::is_numeric)
        .to_string()
}

/// A merged cell across rows in an amount column would copy one amount into every row it
/// covers; it is refused at its top-left cell.
fn merged_amounts(r: &mut Reading, cells: &SheetCells, columns: &[Field]) -> Result<(), ()> {
    let mut ok = true;
    for d in &cells.merged {
        let ((r0, c0), (r1, c1)) = (d.start, d.end);
        if r0 == r1 || r1 == 0 {
            continue;
        }
        let money = columns
            .iter()
            .enumerate()
            .find(|(c, f)| f.kind == Kind::Money && (c0..=c1).contains(&(*c as u32)));
        if let Some((_, field)) = money {
            r.error(
                codes::MERGED_AMOUNT,
                At {
                    sheet: cells.name,
                    row: r0,
                    col: c0,
                },
                format!(
                    "工作表“{}”的 {}:{} 是跨行合并的单元格，覆盖了金额列“{}”",
                    cells.name,
                    a1(r0, c0),
                    a1(r1, c1),
                    field.header
                ),
                "取消合并（开始 → 合并后居中 → 取消单元格合并），在每一行填上各自的金额。",
            );
            ok = false;
        }
    }
    if ok { Ok(()) } else { Err(()) }
}

/// In a 项目 | 值 sheet, a value merged across rows would give one amount to every 项目 it
/// covers (a 本年收入合计 merged over two lines counted twice, and every sum after it wrong):
/// refused once, at its top-left cell, when any 项目 it covers is an amount.
fn merged_values(r: &mut Reading, cells: &SheetCells, fields: &[Field]) -> Result<(), ()> {
    let mut ok = true;
    for d in &cells.merged {
        let ((r0, c0), (r1, c1)) = (d.start, d.end);
        if r0 == r1 || !(c0..=c1).contains(&1) {
            continue;
        }
        let money = (r0.max(1)..=r1).find_map(|row| {
            let label = match cells.raw(row, 0).0 {
                Data::String(s) => s.trim().to_string(),
                _ => return None,
            };
            fields
                .iter()
                .find(|f| f.header == label && f.kind == Kind::Money)
        });
        if let Some(field) = money {
            r.error(
                codes::MERGED_AMOUNT,
                At {
                    sheet: cells.name,
                    row: r0,
                    col: c0,
                },
                format!(
                    "工作表“{}”的 {}:{} 是跨行合并的单元格，把一个数给了“{}”等 {} 个项目",
                    cells.name,
                    a1(r0, c0),
                    a1(r1, c1),
                    field.header,
                    r1 - r0 + 1
                ),
                "取消合并（开始 → 合并后居中 → 取消单元格合并），在每一行填上各自的数。",
            );
            ok = false;
        }
    }
    if ok { Ok(()) } else { Err(()) }
}

/// The sheets a workbook hides (`hidden` or `veryHidden`, which Excel's own menu cannot show).
pub(crate) fn hidden_sheets(book: &Book) -> Vec<(String, bool)> {
    use calamine::{Reader, SheetVisible};
    let metadata = match book {
        Book::Xlsx(b, _) => b.sheets_metadata(),
        Book::Xls(b) => b.sheets_metadata(),
        Book::Ods(b) => b.sheets_metadata(),
    };
    metadata
        .iter()
        .filter_map(|s| match s.visible {
            SheetVisible::Visible => None,
            SheetVisible::Hidden => Some((s.name.clone(), false)),
            SheetVisible::VeryHidden => Some((s.name.clone(), true)),
        })
        .collect()
}

/// The hidden columns of every sheet (.xlsx only: .xls and .ods do not tell).
pub(crate) fn hidden_columns(format: Format, bytes: &[u8]) -> BTreeMap<String, BTreeSet<u32>> {
    match format {
        Format::Xlsx => super::xlsx_scan::hidden_columns(bytes),
        Format::Xls | Format::Ods => BTreeMap::new(),
    }
}

/// A hidden sheet that is read, and the hidden columns of a sheet that hold data, are read like
/// any other — a clerk who hid them may have meant them not to count, so the note (X013) names
/// them, at the sheet's first cell and at the first value of the first such column.
pub(crate) fn hidden_notes(
    file: &Arc<str>,
    sheet: &str,
    hidden_sheet: Option<bool>,
    columns: Option<&BTreeSet<u32>>,
    cells: &SheetCells,
) -> Vec<Diagnostic> {
    let at = |cell: String| Location::Cell {
        file: file.clone(),
        sheet: sheet.to_string(),
        cell,
    };
    let mut notes = Vec::new();
    if let Some(very) = hidden_sheet {
        notes.push(
            Diagnostic::of(
                crate::diagnostic::codes::HIDDEN_PARTS,
                format!(
                    "工作表“{sheet}”是{}的工作表，已照常读取",
                    if very { "深度隐藏（veryHidden）" } else { "隐藏" }
                ),
            )
            .at(&at("A1".to_string()))
            .hint(if very {
                "深度隐藏的表在 Excel 的“取消隐藏”中看不到（由宏或程序设置）：确认其中的数应当计入；不要的表请删除。"
            } else {
                "隐藏的表照样计入决算；不要的表请删除，而不是隐藏（右键工作表标签 → 取消隐藏 可以看到它）。"
            }),
        );
    }
    let with_data: Vec<(u32, u32)> = columns
        .into_iter()
        .flatten()
        .filter(|&&c| c < cells.width())
        .filter_map(|&c| cells.first_value_in_column(c, 1).map(|row| (c, row)))
        .collect();
    if let Some(&(col, row)) = with_data.first() {
        let letters: Vec<String> = with_data
            .iter()
            .take(10)
            .map(|(c, _)| a1(0, *c).trim_end_matches(char::is_numeric).to_string())
            .collect();
        notes.push(
            Diagnostic::of(
                crate::diagnostic::codes::HIDDEN_PARTS,
                format!(
                    "工作表“{sheet}”的 {} 列是隐藏的列，其中的数已照常读取",
                    letters.join("、")
                ),
            )
            .at(&at(a1(row, col)))
            .hint("隐藏的列照样计入决算；不要的列请删除，而不是隐藏（选中左右两列 → 右键 → 取消隐藏 可以看到它）。"),
        );
    }
    notes
}

fn row_is_empty(cells: &SheetCells, row: u32, width: u32) -> bool {
    (0..width).all(|c| match cells.raw(row, c).0 {
        Data::Empty => !cells.has_formula(row, c),
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    })
}

/// Hidden rows holding data are read like any other; the note names them, since a clerk who
/// hid a row usually meant it not to count.
fn note_hidden_rows(r: &mut Reading, cells: &SheetCells) {
    let rows: Vec<u32> = cells
        .hidden
        .iter()
        .copied()
        .filter(|&row| row >= 1 && row < cells.height() && !row_is_empty(cells, row, cells.width()))
        .collect();
    let Some(&first) = rows.first() else {
        return;
    };
    let mut listed: Vec<String> = rows
        .iter()
        .take(10)
        .map(|row| (row + 1).to_string())
        .collect();
    if rows.len() > 10 {
        listed.push(format!("等共 {} 行", rows.len()));
    }
    r.info(
        codes::HIDDEN_ROWS,
        At {
            sheet: cells.name,
            row: first,
            col: 0,
        },
        format!(
            "工作表“{}”的第 {} 行是隐藏的行，已照常读取",
            cells.name,
            listed.join("、")
        ),
        "隐藏的行照样计入决算；不要的行请整行删除，而不是隐藏（选中上下两行 → 右键 → 取消隐藏 可以看到它们）。",
    );
}

fn read_sheet(
    r: &mut Reading,
    sheet: &Sheet,
    cells: &SheetCells,
    version: u32,
    root: &mut Tree,
    projects: &mut BTreeMap<String, usize>,
) -> Result<(), ()> {
    note_hidden_rows(r, cells);
    match sheet.layout {
        Layout::KeyValue(fields) => {
            header_of(r, cells, &schema::KEY_VALUE_HEADER, 0)?;
            // One X011 instead of the sums a copied amount would break.
            merged_values(r, cells, fields)?;
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
                r.slots.push(Slot {
                    key: field.key.to_string(),
                    sheet: cells.name.into(),
                    cell: a1(row, 1),
                });
                match r.literal(cells, row, 1, field) {
                    Ok(Some(node)) => root.set(field.key, node),
                    Ok(None) => {}
                    Err(()) => ok = false,
                }
            }
            // A fact whose row was deleted belongs on a new row below the last one.
            let absent = fields.iter().filter(|f| !seen.contains(&f.key));
            for (row, field) in (cells.height().max(1)..).zip(absent) {
                r.slots.push(Slot {
                    key: field.key.to_string(),
                    sheet: cells.name.into(),
                    cell: a1(row, 0),
                });
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
            // An older template may lack optional columns added since: they read as empty.
            let optional_tail = if version < TEMPLATE_VERSION {
                columns.iter().rev().take_while(|c| !c.required).count()
            } else {
                0
            };
            header_of(r, cells, &headers, optional_tail)?;
            let mut ok = merged_amounts(r, cells, columns).is_ok();
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
            if path == lists::PROJECTS_KEY {
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
            // Where each field of a 分列合计 row is written, blank or not: a finding about a
            // declared row's figure (`declared_rows[3].basic`) points at its cell.
            let rows = crate::schema::lists::DECLARED_ROWS.target;
            if matches!(rows, Target::Array(rows) if rows == path) {
                let index = root.array(path).len();
                for (col, field) in columns.iter().enumerate() {
                    r.slots.push(Slot {
                        key: format!("{path}[{index}].{}", field.key),
                        sheet: at.sheet.into(),
                        cell: a1(at.row, col as u32),
                    });
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
        Target::Sections {
            array,
            title: title_key,
            lines,
            flag,
        } => {
            let name = unquote(&text_of(&values[0]));
            let project = evaluation(r, root, projects, &name, at)?;
            let Some(Node::Value(title)) = values[1].clone() else {
                return Ok(());
            };
            let sections = project.array(array);
            let same = sections
                .last()
                .is_some_and(|t| t.has_text(title_key, &title.text));
            if !same {
                let mut t = Tree {
                    at: Some(at),
                    ..Tree::default()
                };
                t.set(title_key, Node::Value(title));
                if let Some(value) = values[3].clone() {
                    t.set(flag, value);
                }
                sections.push(t);
            }
            if let Some(Node::Value(line)) = values[2].clone() {
                sections
                    .last_mut()
                    .expect("pushed above")
                    .push_line(lines, line);
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
        let path: Vec<&str> = lists::DEPARTMENT_KEY.split('.').collect();
        return Ok(root.table(&path));
    }
    // The index comes from the 绩效项目 sheet; a mangled workbook can leave fewer entries.
    let len = root.array(lists::PROJECTS_KEY).len();
    match projects.get(name).copied().filter(|&index| index < len) {
        Some(index) => Ok(&mut root.array(lists::PROJECTS_KEY)[index]),
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
    fn strings_are_escaped_for_toml() {
        for text in [
            "他说\"好\"\\\n",
            "a'b\"c",
            "\u{7}控制\t",
            "'''x\"\"\"",
            "多\n行\r\n",
        ] {
            let lit = toml_string(text);
            let key = toml_key(text);
            let back: BTreeMap<String, String> =
                toml::from_str(&format!("v = {lit}\n{key} = \"k\"")).unwrap();
            assert_eq!(back["v"], text);
            assert_eq!(back[text], "k");
        }
        assert_eq!(toml_key("general_budget"), "general_budget");
    }
}
