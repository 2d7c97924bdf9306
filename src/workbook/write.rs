//! 写工作簿：空白模板（`init --xlsx`）与由 TOML 转换的工作簿（`convert`）。
//!
//! Both come from the same `schema::SHEETS`: headers, number formats, column widths, drop-down
//! lists for every choice, frozen header rows and a 说明 sheet. The file's creation date is fixed
//! so the same input converts to the same bytes.

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use toml::{Table, Value};

use super::schema::{self, Field, Kind, Layout, SHEETS, Target};

/// Rows a template offers drop-downs and formats for.
const TEMPLATE_ROWS: u32 = 500;

struct Formats {
    header: Format,
    money: Format,
    number: Format,
    text: Format,
    code: Format,
    date: Format,
    label: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(11);
        Formats {
            header: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_border(FormatBorder::Thin)
                .set_text_wrap(),
            money: base.clone().set_num_format("0.00"),
            number: base.clone().set_num_format("General"),
            text: base.clone().set_text_wrap(),
            code: base.clone().set_num_format("@"),
            date: base.clone().set_num_format("yyyy-mm-dd"),
            label: base.clone().set_bold(),
            note: base.set_font_color(Color::RGB(0x7F7F7F)).set_text_wrap(),
        }
    }

    fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Money => &self.money,
            Kind::Int | Kind::Number => &self.number,
            Kind::Code => &self.code,
            Kind::Date => &self.date,
            Kind::Text | Kind::List | Kind::Bool | Kind::Choice(_) | Kind::OpenChoice(_) => {
                &self.text
            }
        }
    }
}

fn width(kind: Kind, header: &str) -> f64 {
    let base: f64 = match kind {
        Kind::Text => 40.0,
        Kind::List => 24.0,
        Kind::Money | Kind::Number => 14.0,
        Kind::Int => 10.0,
        Kind::Code => 12.0,
        Kind::Date => 12.0,
        Kind::Bool => 10.0,
        Kind::Choice(_) | Kind::OpenChoice(_) => 14.0,
    };
    // CJK headers are about two columns a character.
    base.max(header.chars().count() as f64 * 2.2 + 2.0)
}

fn choices(kind: Kind) -> Option<Vec<&'static str>> {
    match kind {
        Kind::Choice(choice) | Kind::OpenChoice(choice) => {
            Some(choice.options.iter().map(|(label, _)| *label).collect())
        }
        Kind::Bool => Some(vec!["是", "否"]),
        _ => None,
    }
}

fn validate(
    ws: &mut Worksheet,
    field: &Field,
    rows: (u32, u32),
    col: u16,
) -> Result<(), XlsxError> {
    if let Some(list) = choices(field.kind) {
        let dv = DataValidation::new()
            .allow_list_strings(&list)?
            .set_input_message(field.note)?;
        ws.add_data_validation(rows.0, col, rows.1, col, &dv)?;
    }
    Ok(())
}

/// The value at a dotted key of a TOML table.
fn get<'a>(t: &'a Table, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let first = parts.next()?;
    let mut v = t.get(first)?;
    for p in parts {
        v = v.as_table()?.get(p)?;
    }
    Some(v)
}

fn tables<'a>(t: &'a Table, key: &str) -> Vec<&'a Table> {
    get(t, key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_table).collect())
        .unwrap_or_default()
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    field: &Field,
    value: &Value,
    f: &Formats,
) -> Result<(), XlsxError> {
    let format = f.of(field.kind);
    match (field.kind, value) {
        (Kind::Money | Kind::Number | Kind::Int, Value::Integer(i)) => {
            ws.write_number_with_format(row, col, *i as f64, format)?;
        }
        (Kind::Money | Kind::Number | Kind::Int, Value::Float(x)) => {
            ws.write_number_with_format(row, col, *x, format)?;
        }
        (Kind::Money | Kind::Number, Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(x) => {
                ws.write_number_with_format(row, col, x, format)?;
            }
            Err(_) => {
                ws.write_string_with_format(row, col, s, format)?;
            }
        },
        (Kind::Bool, Value::Boolean(b)) => {
            ws.write_string_with_format(row, col, if *b { "是" } else { "否" }, format)?;
        }
        (Kind::Date, Value::Datetime(d)) => match d.date {
            Some(date) => {
                let dt = ExcelDateTime::from_ymd(date.year, date.month, date.day)?;
                ws.write_datetime_with_format(row, col, &dt, format)?;
            }
            None => {
                ws.write_string_with_format(row, col, d.to_string(), format)?;
            }
        },
        (Kind::Choice(choice) | Kind::OpenChoice(choice), Value::String(s)) => {
            let label = choice
                .options
                .iter()
                .find(|(_, key)| key == s)
                .map_or(s.as_str(), |(label, _)| *label);
            ws.write_string_with_format(row, col, label, format)?;
        }
        (Kind::List, Value::Array(items)) => {
            let names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            ws.write_string_with_format(row, col, names.join("、"), format)?;
        }
        (_, Value::String(s)) => {
            ws.write_string_with_format(row, col, s, format)?;
        }
        (_, other) => {
            ws.write_string_with_format(row, col, other.to_string(), format)?;
        }
    }
    Ok(())
}

/// A workbook: blank (`data = None`) or holding the facts of a TOML input.
pub fn workbook(
    data: Option<&Table>,
    form: Option<&crate::form::Form>,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("决算通（juesuan）输入工作簿")
            .set_creation_datetime(&created),
    );
    guide(wb.add_worksheet(), &f)?;
    let empty = Table::new();
    let data_or_empty = data.unwrap_or(&empty);
    for sheet in SHEETS {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name)?;
        ws.set_freeze_panes(1, 0)?;
        match sheet.layout {
            Layout::KeyValue(fields) => {
                for (col, h) in schema::KEY_VALUE_HEADER.iter().enumerate() {
                    ws.write_string_with_format(0, col as u16, *h, &f.header)?;
                }
                ws.set_column_width(0, 36)?;
                ws.set_column_width(1, 44)?;
                ws.set_column_width(2, 40)?;
                for (i, field) in fields.iter().enumerate() {
                    let row = i as u32 + 1;
                    let label = if field.required { &f.label } else { &f.text };
                    ws.write_string_with_format(row, 0, field.header, label)?;
                    ws.write_string_with_format(row, 2, field.note, &f.note)?;
                    match get(data_or_empty, field.key) {
                        Some(v) => write_value(ws, row, 1, field, v, &f)?,
                        None => {
                            ws.write_blank(row, 1, f.of(field.kind))?;
                        }
                    }
                    validate(ws, field, (row, row), 1)?;
                }
            }
            Layout::Rows { target, columns } => {
                for (col, field) in columns.iter().enumerate() {
                    let col = col as u16;
                    ws.write_string_with_format(0, col, field.header, &f.header)?;
                    ws.set_column_width(col, width(field.kind, field.header))?;
                    ws.set_column_format(col, f.of(field.kind))?;
                    validate(ws, field, (1, TEMPLATE_ROWS), col)?;
                }
                let rows = rows_of(target, columns, data_or_empty);
                for (i, cells) in rows.iter().enumerate() {
                    let row = i as u32 + 1;
                    for (col, (field, value)) in columns.iter().zip(cells).enumerate() {
                        if let Some(v) = value {
                            write_value(ws, row, col as u16, field, v, &f)?;
                        }
                    }
                }
            }
        }
    }
    extra_sheet(&mut wb, data_or_empty, form, &f)?;
    wb.save_to_buffer()
}

/// The sheet of the form's own facts: a row per declared fact (empty when not given), then a
/// row per `[extra]` key the form does not declare (so nothing is lost; the check names them).
/// No sheet when the form declares none and the input has none, so a workbook of a form
/// without facts is what it always was.
fn extra_sheet(
    wb: &mut Workbook,
    data: &Table,
    form: Option<&crate::form::Form>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let extra = data.get("extra").and_then(Value::as_table);
    let decls = form.map(|form| form.facts.as_slice()).unwrap_or_default();
    if decls.is_empty() && extra.is_none_or(|t| t.is_empty()) {
        return Ok(());
    }
    let empty = Table::new();
    let extra = extra.unwrap_or(&empty);
    let ws = wb.add_worksheet();
    // A form's sheet may not take the name of one of the template's (that one is read as
    // itself): the default name stands in.
    let name = form
        .map(|form| form.facts_sheet.as_str())
        .filter(|n| !SHEETS.iter().any(|s| s.name == *n))
        .unwrap_or("表式事实");
    ws.set_name(name)?;
    ws.set_freeze_panes(1, 0)?;
    for (col, h) in schema::EXTRA_HEADER.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *h, &f.header)?;
    }
    for (col, w) in [22.0, 30.0, 14.0, 14.0, 14.0, 40.0].into_iter().enumerate() {
        ws.set_column_width(col as u16, w)?;
    }
    let mut used = std::collections::BTreeSet::new();
    let mut row = 1u32;
    let cell = |ws: &mut Worksheet, row: u32, col: u16, v: &Value| -> Result<(), XlsxError> {
        match v {
            Value::Integer(i) => ws.write_number_with_format(row, col, *i as f64, &f.number),
            Value::Float(x) => ws.write_number_with_format(row, col, *x, &f.number),
            Value::String(s) => ws.write_string_with_format(row, col, s, &f.text),
            other => ws.write_string_with_format(row, col, other.to_string(), &f.text),
        }
        .map(|_| ())
    };
    for d in decls {
        ws.write_string_with_format(row, 0, &d.key, &f.code)?;
        let label = if d.required { &f.label } else { &f.text };
        ws.write_string_with_format(row, 1, &d.label, label)?;
        let note = format!("{}；{}", d.kind.name(), d.help);
        ws.write_string_with_format(row, 5, note.trim_end_matches('；'), &f.note)?;
        for (col, suffix) in schema::EXTRA_COMPANIONS {
            let wanted = match suffix {
                "_prior" => d.prior,
                "_budget" => d.budget,
                _ => true,
            };
            let key = format!("{}{suffix}", d.key);
            if let (true, Some(v)) = (wanted, extra.get(&key)) {
                cell(ws, row, col as u16, v)?;
                used.insert(key);
            }
        }
        row += 1;
    }
    for (key, v) in extra {
        if used.contains(key) {
            continue;
        }
        ws.write_string_with_format(row, 0, key, &f.code)?;
        cell(ws, row, 2, v)?;
        row += 1;
    }
    Ok(())
}

/// The rows a row sheet holds for the data, one value (or none) per column.
fn rows_of(target: Target, columns: &[Field], data: &Table) -> Vec<Vec<Option<Value>>> {
    let fields = |t: &Table, skip: usize| -> Vec<Option<Value>> {
        columns
            .iter()
            .skip(skip)
            .map(|c| get(t, c.key).cloned())
            .collect()
    };
    let string = |s: &str| Some(Value::String(s.to_string()));
    let mut rows = Vec::new();
    match target {
        Target::Array(path) => {
            for t in tables(data, path) {
                rows.push(fields(t, 0));
            }
        }
        Target::Routed(routes) => {
            for (_, path) in routes {
                for t in tables(data, path) {
                    let mut row = vec![string(path)];
                    row.extend(fields(t, 1));
                    rows.push(row);
                }
            }
        }
        Target::Strings(path) => {
            if let Some(items) = get(data, path).and_then(Value::as_array) {
                rows.extend(items.iter().map(|v| vec![Some(v.clone())]));
            }
        }
        Target::Grouped {
            array,
            title,
            lines,
        } => {
            for t in tables(data, array) {
                let head = t.get(title).cloned();
                if let Some(items) = t.get(lines).and_then(Value::as_array) {
                    rows.extend(items.iter().map(|v| vec![head.clone(), Some(v.clone())]));
                }
            }
        }
        Target::Map(path) => {
            if let Some(map) = get(data, path).and_then(Value::as_table) {
                rows.extend(map.iter().map(|(k, v)| vec![string(k), Some(v.clone())]));
            }
        }
        Target::Sections {
            array,
            title,
            lines,
            flag,
        } => {
            for (p, name) in evaluations(data) {
                for sec in tables(p, array) {
                    let title = sec.get(title).cloned();
                    let flag = sec.get(flag).cloned();
                    let paragraphs = sec
                        .get(lines)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    if paragraphs.is_empty() {
                        rows.push(vec![name.clone(), title, None, flag]);
                        continue;
                    }
                    for (i, para) in paragraphs.into_iter().enumerate() {
                        let flag = if i == 0 { flag.clone() } else { None };
                        rows.push(vec![name.clone(), title.clone(), Some(para), flag]);
                    }
                }
            }
        }
        Target::UnderProject { array, map } => {
            for (p, name) in evaluations(data) {
                if map {
                    if let Some(m) = p.get(array).and_then(Value::as_table) {
                        rows.extend(
                            m.iter()
                                .map(|(k, v)| vec![name.clone(), string(k), Some(v.clone())]),
                        );
                    }
                } else {
                    for t in tables(p, array) {
                        let mut row = vec![name.clone()];
                        row.extend(fields(t, 1));
                        rows.push(row);
                    }
                }
            }
        }
    }
    rows
}

/// The department (named “部门整体”) and each project, with the 项目名称 its rows carry.
fn evaluations(data: &Table) -> Vec<(&Table, Option<Value>)> {
    let department = get(data, crate::schema::lists::DEPARTMENT_KEY).and_then(Value::as_table);
    let whole = department.map(|d| (d, Some(Value::String(schema::DEPARTMENT.into()))));
    let projects = tables(data, crate::schema::lists::PROJECTS_KEY)
        .into_iter()
        .map(|p| (p, p.get("name").cloned()));
    whole.into_iter().chain(projects).collect()
}

/// The 说明 sheet: what each sheet and column is for.
fn guide(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(schema::GUIDE)?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 30)?;
    ws.set_column_width(2, 12)?;
    ws.set_column_width(3, 8)?;
    ws.set_column_width(4, 60)?;
    let intro = [
        "决算通（juesuan）输入工作簿：每张工作表对应一部分事实，一行一个事实。只填事实，合计、占比、增长率、得分都由程序计算。",
        "金额的单位见“单位信息”表（万元或元），最多两位小数，填数字本身；科目编码按文本填写。表头和“项目”列不能修改。",
        "检查：juesuan check 本工作簿.xlsx；生成：juesuan build 本工作簿.xlsx。出错时会指出“工作表!单元格”。",
    ];
    for (i, line) in intro.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *line, &f.label)?;
    }
    // The version the reader checks (a workbook without it is version 1).
    ws.write_string_with_format(
        intro.len() as u32,
        0,
        format!("{} {}", super::VERSION_LABEL, super::TEMPLATE_VERSION),
        &f.note,
    )?;
    let mut row = intro.len() as u32 + 1;
    for (col, h) in ["工作表", "列（项目）", "类型", "必填", "说明"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, col as u16, *h, &f.header)?;
    }
    row += 1;
    for sheet in SHEETS {
        ws.write_string_with_format(row, 0, sheet.name, &f.label)?;
        ws.write_string_with_format(row, 4, sheet.about, &f.text)?;
        row += 1;
        let fields: &[Field] = match sheet.layout {
            Layout::KeyValue(fields) => fields,
            Layout::Rows { columns, .. } => columns,
        };
        for field in fields {
            let kind = match field.kind {
                Kind::Text => "文字".to_string(),
                Kind::Money => "金额".to_string(),
                Kind::Int => "整数".to_string(),
                Kind::Number => "数字".to_string(),
                Kind::Bool => "是/否".to_string(),
                Kind::Date => "日期".to_string(),
                Kind::Code => "编码（文本）".to_string(),
                Kind::List => "名称，用“、”分隔".to_string(),
                Kind::Choice(choice) | Kind::OpenChoice(choice) => choice
                    .options
                    .iter()
                    .map(|(l, _)| *l)
                    .collect::<Vec<_>>()
                    .join(" / "),
            };
            ws.write_string_with_format(row, 1, field.header, &f.text)?;
            ws.write_string_with_format(row, 2, kind, &f.text)?;
            ws.write_string_with_format(row, 3, if field.required { "是" } else { "" }, &f.text)?;
            ws.write_string_with_format(row, 4, field.note, &f.note)?;
            row += 1;
        }
    }
    Ok(())
}
