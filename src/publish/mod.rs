//! 公开表工作簿（`build --format xlsx`）：把附表原样写成 Excel，一表一页。
//!
//! The tables are the ones `figures::tables` already built for the PDF; this module only places
//! them: title, 表号, 部门 and 金额单位 line, the multi-row header with its merges, one row per
//! printed row, and the 空表 note. Amounts are numbers (never text) with a `#,##0.00` format; a
//! cell the PDF leaves blank stays blank. An input in 元 exports in 元, exact to the 分, so
//! `juesuan import` reads back the very facts it came from; an input in 万元 exports in 万元.
//! The file's dates are the publication date, so the same input gives the same bytes.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::arith::printed;
use crate::diagnostic::{Diagnostic, Diagnostics, codes};
use crate::figures::tables::{TableCell, TableDoc};
use crate::figures::{Document, Figures};
use crate::model::Bureau;
use crate::money::{Money, Unit};

/// Rows above the header: title, 表号, 部门/单位 line.
const HEADER_FIRST_ROW: u32 = 3;

/// The 公开表 of the bureau's set as one workbook, in memory.
pub fn workbook(bureau: &Bureau, figures: &Figures) -> Result<Vec<u8>, Diagnostics> {
    let doc = &figures.doc;
    if doc.tables.is_empty() || doc.document == crate::model::Document::Performance {
        return Err(Diagnostic::of(
            codes::NO_TABLES,
            format!(
                "“{}”{} 年度的输入没有公开表（只有绩效自评表），无法导出公开表工作簿",
                doc.name, doc.year
            ),
        )
        .hint("--format xlsx 只用于部门决算（document = \"final_accounts\"）；绩效自评表请用 pdf、typ 或 md。")
        .into());
    }
    write(doc, bureau.identity.unit).map_err(|e| {
        Diagnostic::of(codes::TEMPLATE, format!("公开表工作簿无法生成：{e}"))
            .hint("多半是修改过的 tables/tables.toml 中的表头与列数不符；请检查 --templates 目录。")
            .into()
    })
}

struct Formats {
    title: Format,
    number: Format,
    line_left: Format,
    line_right: Format,
    header: Format,
    text: Format,
    text_bold: Format,
    center: Format,
    money: Format,
    money_bold: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(10);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: base
                .clone()
                .set_font_name("黑体")
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            number: base.clone().set_align(FormatAlign::Right),
            line_left: base.clone().set_align(FormatAlign::Left),
            line_right: base.clone().set_align(FormatAlign::Right),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center),
            text: cell.clone().set_text_wrap(),
            text_bold: cell.clone().set_text_wrap().set_bold(),
            center: cell.clone().set_align(FormatAlign::Center),
            money: cell.clone().set_num_format("#,##0.00"),
            money_bold: cell.set_num_format("#,##0.00").set_bold(),
            note: base.set_text_wrap().set_align(FormatAlign::Left),
        }
    }
}

fn write(doc: &Document, unit: Unit) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    let (y, m, d) = (
        doc.publish_date.year,
        doc.publish_date.month,
        doc.publish_date.day,
    );
    let created = ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(2024), m, d)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}{}年度部门决算公开表", doc.name, doc.year))
            .set_company(&doc.name)
            .set_creation_datetime(&created),
    );
    for table in &doc.tables {
        let ws = book.add_worksheet();
        sheet(ws, doc, table, unit, &formats)?;
    }
    book.save_to_buffer()
}

/// The sheet name: 表号 and title, within Excel's 31 characters and without its forbidden ones.
pub fn sheet_name(table: &TableDoc) -> String {
    let title = if table.number.is_empty() {
        table.title.clone()
    } else {
        format!("{} {}", table.number, table.title)
    };
    let name: String = title
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c => c,
        })
        .take(31)
        .collect();
    name.trim_end().to_string()
}

/// Excel column width (characters) of a Typst width (`18mm`, `1fr`).
fn column_width(spec: &str) -> f64 {
    match spec.strip_suffix("mm").and_then(|n| n.parse::<f64>().ok()) {
        Some(mm) => (mm / 1.9).max(6.0),
        None => 34.0,
    }
}

/// The figure written for an amount: 元 exactly when the input is in 元, otherwise 万元 as printed.
fn amount_value(m: Money, unit: Unit) -> Option<f64> {
    let d = match unit {
        Unit::Yuan => m.0.checked_mul(Decimal::from(10_000))?.normalize(),
        Unit::Wan => printed(m),
    };
    d.to_f64()
}

fn sheet(
    ws: &mut Worksheet,
    doc: &Document,
    table: &TableDoc,
    unit: Unit,
    f: &Formats,
) -> Result<(), XlsxError> {
    let columns = u16::try_from(table.widths.len()).unwrap_or(u16::MAX);
    let last_col = columns.saturating_sub(1);
    ws.set_name(sheet_name(table))?;
    for (c, w) in table.widths.iter().enumerate() {
        ws.set_column_width(u16::try_from(c).unwrap_or(u16::MAX), column_width(w))?;
    }
    // Title, 表号, 部门 | 金额单位.
    ws.set_row_height(0, 30)?;
    merge_or_write(ws, 0, 0, 0, last_col, &table.title, &f.title)?;
    let half = last_col / 2;
    merge_or_write(
        ws,
        1,
        0,
        1,
        half,
        &format!("{}年度", doc.year),
        &f.line_left,
    )?;
    merge_or_write(
        ws,
        1,
        half + 1,
        1,
        last_col.max(half + 1),
        &table.number,
        &f.number,
    )?;
    merge_or_write(ws, 2, 0, 2, half, &table.caption.left, &f.line_left)?;
    let unit_text = match unit {
        Unit::Wan => "万元",
        Unit::Yuan => "元",
    };
    // The set's caption says 万元; an input in 元 exports in 元.
    let right = table.caption.right.replace("万元", unit_text);
    merge_or_write(
        ws,
        2,
        half + 1,
        2,
        last_col.max(half + 1),
        &right,
        &f.line_right,
    )?;
    // The header rows, placed on a grid as the spans say.
    let header_rows = table.header.len();
    let mut taken = vec![vec![false; table.widths.len()]; header_rows];
    for (r, row) in table.header.iter().enumerate() {
        let mut c = 0usize;
        for cell in row {
            while c < table.widths.len() && taken[r][c] {
                c += 1;
            }
            for row_taken in taken.iter_mut().skip(r).take(cell.rowspan) {
                for t in row_taken.iter_mut().skip(c).take(cell.colspan) {
                    *t = true;
                }
            }
            let first_row = HEADER_FIRST_ROW + r as u32;
            let last_row = first_row + cell.rowspan.saturating_sub(1) as u32;
            let first_col = u16::try_from(c).unwrap_or(u16::MAX);
            let last_col = u16::try_from(c + cell.colspan.saturating_sub(1)).unwrap_or(u16::MAX);
            merge_or_write(
                ws, first_row, first_col, last_row, last_col, &cell.text, &f.header,
            )?;
            c += cell.colspan;
        }
    }
    let first_data = HEADER_FIRST_ROW + header_rows as u32;
    ws.set_repeat_rows(HEADER_FIRST_ROW, first_data.saturating_sub(1))?;
    let mut row = first_data;
    for r in &table.rows {
        let bold = r.kind == "total";
        for (c, cell) in r.cells.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            let align = cell
                .align
                .or_else(|| table.aligns.get(c).copied())
                .unwrap_or("left");
            match cell.span {
                0 => {}
                1 => write_cell(ws, row, col, cell, align, bold, unit, f)?,
                span => {
                    let last = u16::try_from(c + span - 1).unwrap_or(u16::MAX);
                    let format = if bold { &f.text_bold } else { &f.center };
                    merge_or_write(ws, row, col, row, last, &cell.text, format)?;
                }
            }
        }
        row += 1;
    }
    for note in &table.notes {
        merge_or_write(ws, row, 0, row, last_col, note, &f.note)?;
        row += 1;
    }
    ws.set_print_area(0, 0, row.saturating_sub(1), last_col)?;
    ws.set_paper_size(9);
    if table.landscape || table.widths.len() > 6 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_freeze_panes(first_data, 0)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &TableCell,
    align: &str,
    bold: bool,
    unit: Unit,
    f: &Formats,
) -> Result<(), XlsxError> {
    let money = if bold { &f.money_bold } else { &f.money };
    match cell.amount {
        Some(m) if !cell.text.is_empty() => match amount_value(m, unit) {
            Some(v) => {
                ws.write_number_with_format(row, col, v, money)?;
            }
            None => {
                ws.write_string_with_format(row, col, &cell.text, money)?;
            }
        },
        Some(_) => {
            ws.write_blank(row, col, money)?;
        }
        None => {
            let format = match (align, bold) {
                ("center", _) => &f.center,
                (_, true) => &f.text_bold,
                _ => &f.text,
            };
            // 行次 are numbers in the published tables; codes and names stay text.
            match cell.text.parse::<u32>() {
                Ok(n) if align == "center" => {
                    ws.write_number_with_format(row, col, f64::from(n), format)?;
                }
                _ if cell.text.is_empty() => {
                    ws.write_blank(row, col, format)?;
                }
                _ => {
                    ws.write_string_with_format(row, col, &cell.text, format)?;
                }
            }
        }
    }
    Ok(())
}

fn merge_or_write(
    ws: &mut Worksheet,
    first_row: u32,
    first_col: u16,
    last_row: u32,
    last_col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if first_row == last_row && first_col == last_col {
        ws.write_string_with_format(first_row, first_col, text, format)?;
    } else {
        ws.merge_range(first_row, first_col, last_row, last_col, text, format)?;
    }
    Ok(())
}
