//! 审计结果：每条差错的位置（页、表、行、列）、所印数、应为数、公式与规则编号；读了多少；尾差每表一条提示。
//!
//! The top of the audit: the tables' diagnostics placed in the document as [`Finding`]s, the
//! 说明's [`super::checker::Read`] added, each rule's verdict; written as text, JSON, HTML and
//! Excel.

use std::fmt::Write as _;

use serde::Serialize;

use super::finding::{Finding, Place};
use super::grids::{RowSource, Sheet, Sheets};
use super::pdf::Document;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, Severity, codes};
use crate::input::SourceFile;

/// One rule's conclusion on the document.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// The rule code (`T002`, `A002`), or `R` for the identities between tables together.
    pub code: String,
    pub title: String,
    /// 通过 / 不通过 / 不适用 / 无法读取.
    pub verdict: String,
    pub findings: usize,
    /// Statements of the 说明 it compared (`None` for the tables' rules).
    pub checked: Option<usize>,
    /// Why, when it is not 通过 or 不通过; the failing codes for `R`.
    pub note: String,
}

/// A table the audit recognised.
#[derive(Clone, Debug, Serialize)]
pub struct TableRead {
    pub title: String,
    pub pages: Vec<usize>,
    /// Whether the importer read figures from it (an empty table has none).
    pub read: bool,
    /// Why it is recognised but not read (未能读取: an unruled table that does not read
    /// completely and consistently); its figures are then not checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_read: Option<String>,
}

impl Audit {
    /// The titles of the tables recognised but not read (未能读取).
    fn unread_tables(&self) -> Vec<&str> {
        self.tables
            .iter()
            .filter(|t| t.not_read.is_some())
            .map(|t| t.title.as_str())
            .collect()
    }
}

impl TableRead {
    /// “表名（第 N 页）”, with why it was not read, or that it is empty: the same words in every
    /// report format.
    pub fn label(&self) -> String {
        let state = match &self.not_read {
            Some(why) => format!("，未能读取：{why}"),
            None if self.read => String::new(),
            None => "，空表或无数可读".to_string(),
        };
        format!("{}（第 {} 页{state}）", self.title, pages(&self.pages))
    }
}

/// The result of one audit.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Audit {
    pub file: String,
    /// What the document says it is: the department (cover or table captions), the year, the
    /// tables' unit and the 公开表 set their titles and columns fit (`sichuan` when unnamed).
    pub department: Option<String>,
    pub year: Option<i64>,
    pub unit: Option<String>,
    pub table_set: Option<String>,
    /// The form (表式) the 说明 is read by, and how it was chosen (`--form`, or detected).
    pub form: Option<String>,
    pub form_how: String,
    pub pages: usize,
    /// Characters read (glyphs with their text).
    pub characters: usize,
    /// Fonts the PDF does not embed, drawn with the bundled font.
    pub substituted_fonts: Vec<String>,
    /// Ruled tables drawn (each page's part counted once).
    pub tables_drawn: usize,
    /// Tables printed without ruling lines, recognised by their caption (each page's part
    /// counted once).
    pub tables_unruled: usize,
    /// 公开表 recognised and read (a table continued over pages counts once).
    pub tables: Vec<TableRead>,
    /// Ruled tables that are not a 公开表 the forms know (page numbers).
    pub other_tables: Vec<TableRead>,
    pub findings: Vec<Finding>,
    /// 尾差 (one per table) and other notes: not errors.
    pub notes: Vec<Finding>,
    /// Checks that could not be made, and why.
    pub not_checked: Vec<String>,
    /// Statements of the 说明 read and checked (each number or word compared once).
    pub statements_checked: usize,
    /// The text's sentences aligned with the form's: how many each way (`None` when no form's
    /// sentences were compiled).
    pub sentences: Option<super::sentences::Counts>,
    /// Sentences that carry a figure and match none of the form's: not read, never guessed.
    pub not_read: Vec<super::sentences::Sentence>,
    /// Each rule's conclusion: 通过 / 不通过 / 不适用 / 无法读取.
    pub verdicts: Vec<Verdict>,
    pub read_ms: f64,
    pub total_ms: f64,
}

/// Diagnostics of the import/check that only say a fact no 公开表 holds is missing: not the
/// document's fault.
fn is_missing_fact(d: &Diagnostic) -> bool {
    d.code == codes::TO_FILL
        || d.code == codes::REASON
        || d.code == codes::PRIOR_MISSING
        || d.code == codes::COUNTS
}

pub(super) fn build(
    name: &str,
    doc: &Document,
    sheets: &Sheets,
    imported_tables: &[String],
    diagnostics: &Diagnostics,
    source: &SourceFile,
) -> Audit {
    let mut a = Audit {
        file: name.to_string(),
        pages: doc.pages.len(),
        characters: doc.glyph_count(),
        substituted_fonts: doc.substituted.clone(),
        tables_drawn: sheets.drawn,
        tables_unruled: sheets.unruled,
        ..Audit::default()
    };
    // Which sheets the importer read (`公开01表 收入支出决算总表 ← 表1!A1`).
    for s in &sheets.sheets {
        let read = imported_tables.iter().any(|t| {
            t.split(" ← ")
                .nth(1)
                .is_some_and(|at| at.split('!').next() == Some(s.name.as_str()))
        });
        let t = TableRead {
            title: s.title.clone().unwrap_or_else(|| s.name.clone()),
            pages: s.pages.clone(),
            read: read && s.not_read.is_none(),
            not_read: s.not_read.clone(),
        };
        if s.title.is_some() {
            a.tables.push(t);
        } else {
            a.other_tables.push(t);
        }
    }
    // 尾差: one note per table, whatever rule noticed it.
    let mut tails: Vec<(Place, Vec<String>)> = Vec::new();
    let mut note =
        |place: Place, text: String| match tails.iter_mut().find(|(p, _)| p.table == place.table) {
            Some((_, v)) => {
                if !v.contains(&text) {
                    v.push(text)
                }
            }
            None => tails.push((place, vec![text])),
        };
    for d in diagnostics.iter() {
        if is_missing_fact(d) {
            continue;
        }
        if d.code == codes::TABLE_TAIL {
            for (place, text) in tail_counts(d, sheets, &a.tables) {
                note(place, text);
            }
            continue;
        }
        let f = finding(d, sheets, &a.tables);
        match d.severity {
            Severity::Info => {
                let place = Place {
                    page: f.place.page,
                    table: f.place.table.clone(),
                    ..Place::default()
                };
                note(place, format!("[{}] {}", f.code, f.formula));
            }
            _ => a.findings.push(f),
        }
    }
    // An identity between tables may want a figure of a table not read: its difference is
    // listed as not checked, never reported (a table's own sums and a figure printed in two
    // tables read stay findings).
    let unread = a.unread_tables();
    if !unread.is_empty() {
        let unread = unread.join("、");
        let (between, kept): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut a.findings)
            .into_iter()
            .partition(|f| f.code.starts_with('R'));
        a.findings = kept;
        for f in between {
            a.not_checked.push(format!(
                "[{}] {}：{}（{unread}未能读取，不作差错）",
                f.code,
                place_text(&f.place),
                f.formula
            ));
        }
    }
    // The bureau's identity as the importer read it.
    let bureau = |key| bureau_value(&source.text, key);
    if let Some(name) = bureau("name").filter(|n| !n.is_empty()) {
        a.department = Some(name);
    }
    if let Some(year) = bureau("year") {
        a.year = year.parse().ok().filter(|y| *y > 0);
    }
    if let Some(unit) = bureau("unit") {
        a.unit = Some(unit);
    }
    if let Some(tables) = bureau("tables") {
        a.table_set = Some(tables);
    }
    if a.table_set.is_none() && !a.tables.is_empty() {
        a.table_set = Some("sichuan".to_string());
    }
    for t in &a.tables {
        if let Some(why) = &t.not_read {
            a.not_checked.push(format!(
                "{}（第 {} 页）：未能读取（{why}），表中的数没有交给核对",
                t.title,
                pages(&t.pages)
            ));
        } else if !t.read {
            a.not_checked.push(format!(
                "{}（第 {} 页）：表中没有可读的数（空表）",
                t.title,
                pages(&t.pages)
            ));
        }
    }
    for (place, texts) in tails {
        let title = if place.table.is_empty() {
            "各表之间".to_string()
        } else {
            place.table.clone()
        };
        a.notes.push(Finding {
            code: codes::TABLE_TAIL.to_string(),
            severity: Severity::Info,
            formula: format!(
                "{title}：所印合计与其下各数之和相差在尾差之内（每个数 0.01 万元以内，来源表按元汇总后折成万元所致），不是差错：\n      {}",
                texts.join("\n      ")
            ),
            place,
            printed: None,
            right: None,
            related: Vec::new(),
        });
    }
    a
}

/// A value of the imported TOML's `[bureau]` table (`tables = "shanghai"`).
pub(super) fn bureau_value(toml: &str, key: &str) -> Option<String> {
    let mut in_bureau = false;
    for line in toml.lines() {
        if line.starts_with('[') {
            in_bureau = line == "[bureau]";
            continue;
        }
        if let Some((k, v)) = line.split_once(" = ").filter(|_| in_bureau)
            && k.trim() == key
        {
            return Some(v.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// The sheet, row and column of a diagnostic's cell.
fn cell_of<'a>(loc: &Location, sheets: &'a Sheets) -> Option<(&'a Sheet, usize, usize)> {
    let Location::Cell { sheet, cell, .. } = loc else {
        return None;
    };
    let s = sheets.sheets.iter().find(|s| s.name == *sheet)?;
    let (row, col) = parse_a1(cell)?;
    Some((s, row, col))
}

fn parse_a1(cell: &str) -> Option<(usize, usize)> {
    let letters: String = cell.chars().take_while(char::is_ascii_uppercase).collect();
    let digits = &cell[letters.len()..];
    let mut col = 0usize;
    for c in letters.chars() {
        col = col * 26 + (c as usize - 'A' as usize + 1);
    }
    let row: usize = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

fn is_figure(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%'))
        && t.chars().any(|c| c.is_ascii_digit())
        && (t.contains('.') || t.contains(','))
}

/// Where a sheet cell is in the document: page, table, row label, column header.
fn place_of(sheet: &Sheet, row: usize, col: usize, tables: &[TableRead]) -> Place {
    let page = sheet.rows.get(row).map(RowSource::page);
    let title = tables
        .iter()
        .find(|t| t.pages == sheet.pages)
        .map(|t| t.title.clone())
        .or_else(|| sheet.title.clone())
        .unwrap_or_else(|| sheet.name.clone());
    let cells = sheet.cells.get(row);
    // The row's label: its texts that are not figures, left of the column.
    let label = cells
        .map(|r| {
            r.iter()
                .take(col.max(1))
                .filter(|t| !t.is_empty() && !is_figure(t))
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    // The column's header: texts above the first row of figures, in the column (or the merged
    // area covering it).
    let first_data = sheet
        .cells
        .iter()
        .position(|r| r.iter().any(|t| is_figure(t)))
        .unwrap_or(0);
    let mut header: Vec<String> = Vec::new();
    for r in 0..first_data.min(row) {
        if matches!(sheet.rows.get(r), Some(RowSource::Table { .. })) {
            let text = header_text(sheet, r, col);
            if !text.is_empty() && header.last() != Some(&text) {
                header.push(text);
            }
        }
    }
    Place {
        page,
        table: title,
        row: label,
        column: header.join("·"),
        printed: None,
    }
}

/// The 科目编码 a row label starts with (`201 06 01 行政运行` → `2010601`).
fn code_of(label: &str) -> String {
    let mut code = String::new();
    for (i, part) in label.split_whitespace().enumerate() {
        if !part.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        if i > 0 && part.len() == 1 {
            code.push('0');
        }
        code.push_str(part);
    }
    code
}

/// The rows a printed sum adds up (its 款 or 项, or the 类 under 合计), in its column.
fn parts_of(sheet: &Sheet, row: usize, col: usize, tables: &[TableRead]) -> Vec<Place> {
    let parent = code_of(&place_of(sheet, row, col, tables).row);
    let want = if parent.is_empty() {
        3
    } else {
        parent.len() + 2
    };
    (0..sheet.cells.len())
        .filter(|&r| r != row && matches!(sheet.rows[r], RowSource::Table { .. }))
        .filter_map(|r| {
            let p = place_of(sheet, r, col, tables);
            let code = code_of(&p.row);
            let printed = sheet.cells[r].get(col).filter(|t| is_figure(t))?.clone();
            (code.len() == want && code.starts_with(&parent)).then_some(Place {
                printed: Some(printed),
                ..p
            })
        })
        .collect()
}

fn header_text(sheet: &Sheet, r: usize, c: usize) -> String {
    if let Some(&(r0, c0, ..)) = sheet
        .merged
        .iter()
        .find(|&&(r0, c0, r1, c1)| r0 <= r && r <= r1 && c0 <= c && c <= c1)
    {
        return sheet.cells[r0].get(c0).cloned().unwrap_or_default();
    }
    sheet.cells[r].get(c).cloned().unwrap_or_default()
}

fn finding(d: &Diagnostic, sheets: &Sheets, tables: &[TableRead]) -> Finding {
    let cell = d.location.as_ref().and_then(|l| cell_of(l, sheets));
    let (place, printed) = match cell {
        Some((s, r, c)) => (
            place_of(s, r, c, tables),
            s.cells.get(r).and_then(|x| x.get(c)).cloned(),
        ),
        None => (Place::default(), None),
    };
    let mut related: Vec<Place> = d
        .related
        .iter()
        .filter_map(|r| {
            cell_of(&r.location, sheets).map(|(s, r, c)| Place {
                printed: s.cells.get(r).and_then(|x| x.get(c)).cloned(),
                ..place_of(s, r, c, tables)
            })
        })
        .collect();
    if d.code == codes::TABLE_SUM
        && let Some((s, r, c)) = cell
    {
        related.extend(parts_of(s, r, c, tables));
    }
    related.retain(|r| {
        (r.page, &r.table, &r.row, &r.column)
            != (place.page, &place.table, &place.row, &place.column)
    });
    // The importer names a cell by its sheet (`表16!C31`): say where it is in the document.
    let mut formula = d.message.clone();
    for r in &d.related {
        if let Location::Cell { sheet, cell, .. } = &r.location
            && let Some((s, row, col)) = cell_of(&r.location, sheets)
        {
            formula = formula.replace(
                &format!("{sheet}!{cell}"),
                &place_text(&place_of(s, row, col, tables)),
            );
        }
    }
    let right = if d.code == codes::TABLE_SUM {
        number_after(&d.message, "之和 ")
    } else {
        None
    };
    Finding {
        code: d.code.to_string(),
        severity: d.severity,
        place,
        printed,
        right,
        formula,
        related,
    }
}

fn number_after(message: &str, marker: &str) -> Option<String> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let n: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
        .collect();
    (!n.is_empty()).then_some(n)
}

/// The importer's one 尾差 note for the workbook, per table: its place and count.
fn tail_counts(d: &Diagnostic, sheets: &Sheets, tables: &[TableRead]) -> Vec<(Place, String)> {
    let mut out = Vec::new();
    for s in &sheets.sheets {
        let marker = format!("“{}” ", s.name);
        let Some(pos) = d.message.find(&marker) else {
            continue;
        };
        let count: String = d.message[pos + marker.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let place = place_of(s, 0, 0, tables);
        out.push((
            Place {
                page: s.pages.first().copied(),
                table: place.table,
                ..Place::default()
            },
            format!("[{}] 表内合计与各行之和 {count} 处", d.code),
        ));
    }
    out
}

fn place_text(p: &Place) -> String {
    let mut s = String::new();
    if let Some(page) = p.page {
        let _ = write!(s, "第 {page} 页");
    }
    for part in [&p.table, &p.row, &p.column] {
        if !part.is_empty() {
            let _ = write!(s, " {part}");
        }
    }
    s.trim().to_string()
}

/// The tables' rules: 表内合计 (T002), 两表同一个数 (T003), and the identities between tables (R…)
/// together; 无法读取 when no 公开表 was read.
pub(super) fn table_verdicts(a: &Audit) -> Vec<Verdict> {
    let read = a.tables.iter().any(|t| t.read);
    let unread = a.unread_tables();
    let of = |code: &str, title: &str, prefix: bool| {
        let failing: Vec<&Finding> = a
            .findings
            .iter()
            .filter(|f| {
                if prefix {
                    f.code.starts_with(code)
                } else {
                    f.code == code
                }
            })
            .collect();
        let mut codes: Vec<&str> = failing.iter().map(|f| f.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        let withheld = prefix && a.not_checked.iter().any(|n| n.starts_with("[R"));
        let (verdict, note) = if !read {
            ("无法读取", "没有读出公开表中的数".to_string())
        } else if withheld {
            (
                "无法读取",
                "有公开表未能读取，不符的几处不作差错（见“未能核对”）".to_string(),
            )
        } else if failing.is_empty() {
            ("通过", String::new())
        } else {
            (
                "不通过",
                if prefix {
                    codes.join("、")
                } else {
                    String::new()
                },
            )
        };
        let mut note = note;
        if read && !unread.is_empty() {
            if !note.is_empty() {
                note.push('；');
            }
            note.push_str(&format!("未能读取的表不在其中：{}", unread.join("、")));
        }
        Verdict {
            code: code.to_string(),
            title: title.to_string(),
            verdict: verdict.to_string(),
            findings: failing.len(),
            checked: None,
            note,
        }
    };
    vec![
        of(
            "T002",
            "表内合计等于其下各行之和（尾差之内不算差错）",
            false,
        ),
        of("T003", "同一个数在两张表中所印相同", false),
        of(
            "R",
            "各表之间的恒等式（本年收支、基本支出、财政拨款等）",
            true,
        ),
    ]
}

/// The 说明's rules A001–A004: 不适用 when the 说明 has no statement of that kind.
fn text_verdicts(a: &Audit, read: Option<&super::checker::Read>) -> Vec<Verdict> {
    crate::diagnostic::registry::RULES
        .iter()
        .filter(|r| r.fixture == crate::diagnostic::registry::Fixture::Audit)
        .map(|r| {
            let code = r.code.as_str();
            let findings = a.findings.iter().filter(|f| f.code == code).count();
            let checked = read.map(|x| x.checked_by.get(code).copied().unwrap_or(0));
            let (verdict, note) = match checked {
                None => ("无法读取", "没有由公开表算出说明要用的数".to_string()),
                Some(0) => ("不适用", "说明中没有这类说法".to_string()),
                Some(_) if findings > 0 => ("不通过", String::new()),
                Some(_) => ("通过", String::new()),
            };
            Verdict {
                code: code.to_string(),
                title: match code {
                    "A001" => "说明所印金额与公开表的数相符",
                    "A002" => "说明的占比、增减率、完成率与所印金额相符",
                    "A003" => "增加/减少、大于/小于/持平的说法与所印数相符",
                    "A004" => "说明列出的款名都是基本支出表中有数的款",
                    _ => r.title,
                }
                .to_string(),
                verdict: verdict.to_string(),
                findings,
                checked,
                note,
            }
        })
        .collect()
}

/// Adds what the 说明 check found: its findings after the tables', its 尾差 as one note, what
/// it could not check.
pub(super) fn add_explanation(a: &mut Audit, read: Option<super::checker::Read>) {
    let Some(read) = read else {
        let why = if a.tables.is_empty() {
            "说明文字：没有认出公开表，说明中的数无从核对"
        } else {
            "说明文字：由所读公开表算不出说明要用的数，没有核对"
        };
        a.not_checked.insert(0, why.to_string());
        let verdicts = text_verdicts(a, None);
        a.verdicts.extend(verdicts);
        return;
    };
    a.statements_checked = read.checked;
    if let Some(sentences) = &read.sentences {
        a.sentences = Some(super::sentences::Counts {
            slots_compared: read.slots_compared,
            slots_not_checked: read.slots_not_checked,
            ..super::sentences::counts(sentences)
        });
        a.not_read = sentences
            .iter()
            .filter(|s| s.status == super::sentences::Status::NotRead)
            .cloned()
            .collect();
    }
    // With a 公开表 not read, the figures the 说明 is compared with may lack its part: a
    // difference is then listed as not checked, never reported as a slip.
    let unread = a.unread_tables();
    let mut withheld: Vec<&str> = Vec::new();
    if unread.is_empty() {
        a.findings.extend(read.findings.iter().cloned());
    } else {
        let unread = unread.join("、");
        for f in &read.findings {
            withheld.push(f.code.as_str());
            a.not_checked.push(format!(
                "{}：所印 {}，与由所读的表算出的数不符，但{unread}未能读取，不作差错",
                place_text(&f.place),
                f.printed.as_deref().unwrap_or("")
            ));
        }
    }
    let mut verdicts = text_verdicts(a, Some(&read));
    for v in &mut verdicts {
        if withheld.contains(&v.code.as_str()) {
            v.verdict = "无法读取".to_string();
            v.note = "有公开表未能读取，所不符的几处不作差错（见“未能核对”）".to_string();
        }
    }
    a.verdicts.extend(verdicts);
    if !read.tails.is_empty() {
        a.notes.push(Finding {
            code: codes::TABLE_TAIL.as_str().to_string(),
            severity: Severity::Info,
            place: Place {
                table: "说明".to_string(),
                ..Place::default()
            },
            printed: None,
            right: None,
            formula: format!(
                "说明：所印金额与表中的数相差在尾差之内（来源表按元汇总后折成万元所致），不是差错：\n      {}",
                read.tails.join("\n      ")
            ),
            related: Vec::new(),
        });
    }
    a.not_checked.extend(read.not_checked);
}

impl Audit {
    /// The report as text.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}：{} 页，读出 {} 个字；找到 {} 张带线的表{}，认出公开表 {} 张",
            self.file,
            self.pages,
            self.characters,
            self.tables_drawn,
            if self.tables_unruled > 0 {
                format!("、{} 张没有线的表", self.tables_unruled)
            } else {
                String::new()
            },
            self.tables.len()
        );
        let unread = self.tables.iter().filter(|t| t.not_read.is_some()).count();
        if unread > 0 {
            let _ = writeln!(
                s,
                "  其中未能读取 {unread} 张（读不完整或对不上表式的表不交给核对，以免误报）"
            );
        }
        let mut who = Vec::new();
        if let Some(d) = &self.department {
            who.push(format!("单位：{d}"));
        }
        if let Some(y) = self.year {
            who.push(format!("年度：{y}"));
        }
        if let Some(u) = &self.unit {
            who.push(format!("金额单位：{u}"));
        }
        if let Some(t) = &self.table_set {
            who.push(format!("公开表套别：{t}"));
        }
        if let Some(f) = &self.form {
            who.push(format!("表式：{f}（{}）", self.form_how));
        }
        if !who.is_empty() {
            let _ = writeln!(s, "  {}", who.join("，"));
        }
        for t in &self.tables {
            let _ = writeln!(s, "  · {}", t.label());
        }
        if !self.substituted_fonts.is_empty() {
            let _ = writeln!(
                s,
                "  未嵌入的字体按内置字体读出：{}",
                self.substituted_fonts.join("、")
            );
        }
        if self.statements_checked > 0 {
            let _ = writeln!(
                s,
                "  说明文字：按表式的说法读出并核对 {} 处（金额、占比、增减率、完成率、增减与大小的说法、款名）",
                self.statements_checked
            );
        }
        if let Some(c) = &self.sentences {
            let _ = writeln!(s, "  {}", sentence_counts(c));
        }
        if self.findings.is_empty() {
            let _ = writeln!(s, "差错：无");
        } else {
            let _ = writeln!(s, "差错 {} 条：", self.findings.len());
        }
        for f in &self.findings {
            let _ = writeln!(
                s,
                "{} [{}] {}",
                severity(f.severity),
                f.code,
                place_text(&f.place)
            );
            if let Some(p) = &f.printed {
                let _ = write!(s, "    所印 {p}");
                if let Some(r) = &f.right {
                    let _ = write!(s, "，应为 {r}");
                }
                s.push('\n');
            }
            let _ = writeln!(s, "    {}", f.formula);
            for r in &f.related {
                match &r.printed {
                    Some(v) => {
                        let _ = writeln!(s, "    另见 {} 所印 {v}", place_text(r));
                    }
                    None => {
                        let _ = writeln!(s, "    另见 {}", place_text(r));
                    }
                }
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(s, "提示 {} 条（不是差错）：", self.notes.len());
            for f in &self.notes {
                let _ = writeln!(s, "  [{}] {}", f.code, f.formula);
            }
        }
        if !self.verdicts.is_empty() {
            let _ = writeln!(s, "逐条结论：");
            for v in &self.verdicts {
                let mut line = format!("  [{}] {}：{}", v.code, v.verdict, v.title);
                if let Some(n) = v.checked.filter(|n| *n > 0) {
                    let _ = write!(line, "（核对 {n} 处）");
                }
                if v.findings > 0 {
                    let _ = write!(line, "，差错 {} 条", v.findings);
                }
                if !v.note.is_empty() {
                    let _ = write!(line, "（{}）", v.note);
                }
                let _ = writeln!(s, "{line}");
            }
        }
        for n in &self.not_checked {
            let _ = writeln!(s, "未能核对：{n}");
        }
        for n in &self.not_read {
            let _ = writeln!(s, "未读：{}", not_read_text(n));
        }
        s
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// `说明文字 N 句：对上表式 M 句（读出数 F 个）…`.
fn sentence_counts(c: &super::sentences::Counts) -> String {
    format!(
        "说明文字逐句对照表式：标题 {} 行；对上表式的句子 {} 句（其中的数 {} 个），单位自拟的文字 {} 句，表、附件与图中的文字 {} 段，无数字的其他文字 {} 段，未读 {} 句（有数字而对不上表式的句子，逐句列在末尾）；对上的句子中的空位与由公开表算出的数比较 {} 个，未比较 {} 个（所读的表定不了这个数，原因列在“未能核对”）",
        c.headings,
        c.matched,
        c.figures,
        c.free,
        c.opaque,
        c.other,
        c.not_read,
        c.slots_compared,
        c.slots_not_checked
    )
}

/// A sentence not read: page, line, chapter, the sentence.
fn not_read_text(n: &super::sentences::Sentence) -> String {
    let chapter = if n.chapter.is_empty() {
        String::new()
    } else {
        format!(" {}", n.chapter)
    };
    format!("第 {} 页第 {} 行{chapter}：“{}”", n.page, n.line, n.text)
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "差错",
        Severity::Warning => "存疑",
        Severity::Info => "提示",
    }
}

fn pages(p: &[usize]) -> String {
    match (p.first(), p.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One or more audits as a single HTML page (no scripts, no outside resources).
pub fn html(audits: &[Audit]) -> String {
    let mut s = String::from(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>决算 PDF 审计</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #999;padding:4px 8px;vertical-align:top}th{background:#eee}.err{color:#b00}.note{color:#555}</style></head><body>\n<h1>决算 PDF 审计</h1>\n",
    );
    for a in audits {
        let _ = writeln!(
            s,
            "<h2>{}</h2>\n<p>{} 页，读出 {} 个字；找到 {} 张带线的表，认出公开表 {} 张：{}</p>",
            esc(&a.file),
            a.pages,
            a.characters,
            a.tables_drawn,
            a.tables.len(),
            esc(&a
                .tables
                .iter()
                .map(TableRead::label)
                .collect::<Vec<_>>()
                .join("、"))
        );
        if a.findings.is_empty() {
            s.push_str("<p>差错：无</p>\n");
        } else {
            s.push_str("<table><tr><th>规则</th><th>页</th><th>表</th><th>行</th><th>列</th><th>所印</th><th>应为</th><th>公式</th></tr>\n");
            for f in &a.findings {
                let _ = writeln!(
                    s,
                    "<tr class=\"err\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&f.code),
                    f.place.page.map(|p| p.to_string()).unwrap_or_default(),
                    esc(&f.place.table),
                    esc(&f.place.row),
                    esc(&f.place.column),
                    esc(f.printed.as_deref().unwrap_or("")),
                    esc(f.right.as_deref().unwrap_or("")),
                    esc(&f.formula)
                );
            }
            s.push_str("</table>\n");
        }
        for n in &a.notes {
            let _ = writeln!(
                s,
                "<p class=\"note\">[{}] {}</p>",
                esc(&n.code),
                esc(&n.formula).replace('\n', "<br>")
            );
        }
        if !a.verdicts.is_empty() {
            s.push_str("<table><tr><th>规则</th><th>内容</th><th>结论</th><th>核对处数</th><th>差错</th><th>说明</th></tr>\n");
            for v in &a.verdicts {
                let _ = writeln!(
                    s,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&v.code),
                    esc(&v.title),
                    esc(&v.verdict),
                    v.checked.map(|n| n.to_string()).unwrap_or_default(),
                    v.findings,
                    esc(&v.note)
                );
            }
            s.push_str("</table>\n");
        }
        for n in &a.not_checked {
            let _ = writeln!(s, "<p class=\"note\">未能核对：{}</p>", esc(n));
        }
        if let Some(c) = &a.sentences {
            let _ = writeln!(s, "<p>{}</p>", esc(&sentence_counts(c)));
        }
        for n in &a.not_read {
            let _ = writeln!(s, "<p class=\"note\">未读：{}</p>", esc(&not_read_text(n)));
        }
    }
    s.push_str("</body></html>\n");
    s
}

/// A folder's audits as a workbook: one row per PDF, and every finding on a second sheet.
pub fn summary_xlsx(
    audits: &[Audit],
    unreadable: &[(String, String)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name("汇总")?;
    let head = [
        "文件",
        "单位",
        "年度",
        "页数",
        "认出公开表",
        "差错",
        "尾差提示",
        "结果",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut row = 1u32;
    for a in audits {
        ws.write_string(row, 0, &a.file)?;
        ws.write_string(row, 1, a.department.as_deref().unwrap_or(""))?;
        if let Some(y) = a.year {
            ws.write_number(row, 2, y as f64)?;
        }
        ws.write_number(row, 3, a.pages as f64)?;
        ws.write_number(row, 4, a.tables.len() as f64)?;
        ws.write_number(row, 5, a.findings.len() as f64)?;
        ws.write_number(row, 6, a.notes.len() as f64)?;
        let status = if a.tables.is_empty() {
            "未认出公开表"
        } else if a.findings.is_empty() {
            "无差错"
        } else {
            "有差错"
        };
        ws.write_string(row, 7, status)?;
        row += 1;
    }
    for (file, why) in unreadable {
        ws.write_string(row, 0, file)?;
        ws.write_string(row, 7, format!("无法审计：{why}"))?;
        row += 1;
    }
    let ws = book.add_worksheet();
    ws.set_name("差错")?;
    let head = [
        "文件", "规则", "页", "表", "行", "列", "所印", "应为", "公式",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut row = 1u32;
    for a in audits {
        for f in &a.findings {
            ws.write_string(row, 0, &a.file)?;
            finding_row(ws, row, 1, f)?;
            row += 1;
        }
    }
    book.save_to_buffer()
}

/// One finding as a workbook row from column `col`: 规则, 页, 表或章, 行, 列, 所印, 应为, 公式 (the
/// folder summary puts the file before it, the one-file report nothing).
fn finding_row(
    ws: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    f: &Finding,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    ws.write_string(row, col, &f.code)?;
    if let Some(p) = f.place.page {
        ws.write_number(row, col + 1, p as f64)?;
    }
    ws.write_string(row, col + 2, &f.place.table)?;
    ws.write_string(row, col + 3, &f.place.row)?;
    ws.write_string(row, col + 4, &f.place.column)?;
    ws.write_string(row, col + 5, f.printed.as_deref().unwrap_or(""))?;
    ws.write_string(row, col + 6, f.right.as_deref().unwrap_or(""))?;
    ws.write_string(row, col + 7, &f.formula)?;
    Ok(())
}

/// The audit of one PDF as a workbook: 概况, 差错, 逐条结论, 提示 and 未能核对, one sheet each.
pub fn report_xlsx(a: &Audit) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name("概况")?;
    let tables: Vec<String> = a.tables.iter().map(TableRead::label).collect();
    let rows: [(&str, String); 10] = [
        ("文件", a.file.clone()),
        ("单位", a.department.clone().unwrap_or_default()),
        ("年度", a.year.map(|y| y.to_string()).unwrap_or_default()),
        ("金额单位", a.unit.clone().unwrap_or_default()),
        ("页数", a.pages.to_string()),
        ("认出的公开表", tables.join("\n")),
        ("说明文字核对", format!("{} 处", a.statements_checked)),
        (
            "逐句对照",
            a.sentences
                .as_ref()
                .map(sentence_counts)
                .unwrap_or_default(),
        ),
        ("差错", format!("{} 条", a.findings.len())),
        ("尾差提示", format!("{} 条", a.notes.len())),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, *k, &bold)?;
        ws.write_string(r as u32, 1, v)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 60)?;

    let ws = book.add_worksheet();
    ws.set_name("差错")?;
    let head = [
        "规则",
        "页",
        "表或章",
        "行",
        "列或所在句",
        "所印",
        "应为",
        "公式",
    ];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, f) in a.findings.iter().enumerate() {
        finding_row(ws, i as u32 + 1, 0, f)?;
    }

    let ws = book.add_worksheet();
    ws.set_name("逐条结论")?;
    let head = ["规则", "内容", "结论", "核对处数", "差错", "说明"];
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, v) in a.verdicts.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &v.code)?;
        ws.write_string(row, 1, &v.title)?;
        ws.write_string(row, 2, &v.verdict)?;
        if let Some(n) = v.checked {
            ws.write_number(row, 3, n as f64)?;
        }
        ws.write_number(row, 4, v.findings as f64)?;
        ws.write_string(row, 5, &v.note)?;
    }

    let ws = book.add_worksheet();
    ws.set_name("提示")?;
    ws.write_string_with_format(0, 0, "规则", &bold)?;
    ws.write_string_with_format(0, 1, "表", &bold)?;
    ws.write_string_with_format(0, 2, "内容", &bold)?;
    for (i, n) in a.notes.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &n.code)?;
        ws.write_string(row, 1, &n.place.table)?;
        ws.write_string(row, 2, &n.formula)?;
    }

    let ws = book.add_worksheet();
    ws.set_name("未能核对")?;
    ws.write_string_with_format(0, 0, "未能核对的部分", &bold)?;
    for (i, n) in a.not_checked.iter().enumerate() {
        ws.write_string(i as u32 + 1, 0, n)?;
    }

    let ws = book.add_worksheet();
    ws.set_name("未读的句子")?;
    for (c, h) in ["页", "行", "章", "句子"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, n) in a.not_read.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_number(row, 0, n.page as f64)?;
        ws.write_number(row, 1, n.line as f64)?;
        ws.write_string(row, 2, &n.chapter)?;
        ws.write_string(row, 3, &n.text)?;
    }
    book.save_to_buffer()
}
