//! 工作表的单元格：只保存有内容的格（稀疏），边读边查行数、列数和格数的上限。
//!
//! calamine's `worksheet_range` allocates rows × columns for the used range, so one value at
//! XFD1048576 in a 10 KB .xlsx asks for 17 billion cells. For .xlsx the cells are streamed
//! (`worksheet_cells_reader`) and only non-empty ones are kept; a value beyond the limits stops
//! the sheet with the cell it was found at. .xls and .ods are parsed by calamine as a whole
//! (their own formats cap them at 65536 × 256 and 100 million cells); their cells are then copied
//! sparsely under the same limits.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, Dimensions, Ods, Reader, Xls, XlsError, Xlsx, XlsxError};

use super::limits;
use super::open::{self, Format};
use super::{ods_scan, xls_scan};

/// A workbook opened by calamine, whatever its format.
pub enum Book<'a> {
    /// The workbook, and its bytes (for what calamine does not report: hidden rows).
    Xlsx(Box<Xlsx<Cursor<&'a [u8]>>>, &'a [u8]),
    Xls(Box<Xls<Cursor<&'a [u8]>>>),
    Ods(Box<Ods<Cursor<&'a [u8]>>>),
}

/// Why a workbook or a sheet could not be read (worded by the caller, in Chinese).
#[derive(Debug)]
pub enum Problem {
    Password,
    /// Not readable as its format (`what` names the format for the message).
    Broken(&'static str),
    /// A CFB file calamine cannot read as .xls (a WPS .et, a Word .doc…).
    NotXls,
    /// A value beyond `limits::ROWS` × `limits::COLUMNS`.
    TooFar {
        row: u32,
        col: u32,
    },
    /// More than `limits::CELLS` non-empty cells.
    TooMany,
    /// More than `limits::SHEET_TEXT_BYTES` of text in one sheet.
    TooMuchText,
    /// More than `limits::MERGED_AREAS` merged areas (each cell looks them up).
    TooManyMerged,
    /// An .xls or .ods sheet found beyond the limits before calamine parsed it.
    Beyond(xls_scan::Beyond),
}

/// Runs a calamine call, turning a panic inside it (a bug there, on a malformed file) into a
/// refusal instead of an abort.
/// The panic is expected and becomes a diagnostic, so its message is not printed.
fn guarded<T>(f: impl FnOnce() -> Result<T, Problem>, what: &'static str) -> Result<T, Problem> {
    quiet_panics_while_guarded();
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    result.unwrap_or(Err(Problem::Broken(what)))
}

thread_local! {
    /// How many `guarded` calls this thread is inside.
    static GUARDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Installs, once, a panic hook that stays silent inside `guarded` and otherwise does what the
/// hook before it did.
fn quiet_panics_while_guarded() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| g.get()) == 0 {
                previous(info);
            }
        }));
    });
}

impl<'a> Book<'a> {
    pub fn open(format: Format, bytes: &'a [u8]) -> Result<Book<'a>, Problem> {
        match format {
            Format::Xlsx => guarded(
                || match Xlsx::new(Cursor::new(bytes)) {
                    Ok(b) => Ok(Book::Xlsx(Box::new(b), bytes)),
                    Err(XlsxError::Password) => Err(Problem::Password),
                    Err(_) => Err(Problem::Broken(".xlsx")),
                },
                ".xlsx",
            ),
            Format::Xls => {
                if open::is_encrypted_ooxml(bytes) {
                    return Err(Problem::Password);
                }
                xls_scan::check(bytes).map_err(Problem::Beyond)?;
                guarded(
                    || match Xls::new(Cursor::new(bytes)) {
                        Ok(b) => Ok(Book::Xls(Box::new(b))),
                        Err(XlsError::Password) => Err(Problem::Password),
                        Err(_) => Err(Problem::NotXls),
                    },
                    ".xls",
                )
            }
            Format::Ods => {
                ods_scan::check(bytes).map_err(Problem::Beyond)?;
                guarded(
                    || match Ods::new(Cursor::new(bytes)) {
                        Ok(b) => Ok(Book::Ods(Box::new(b))),
                        Err(calamine::OdsError::Password) => Err(Problem::Password),
                        Err(_) => Err(Problem::Broken(".ods")),
                    },
                    ".ods",
                )
            }
        }
    }

    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b, _) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    fn what(&self) -> &'static str {
        match self {
            Book::Xlsx(..) => ".xlsx",
            Book::Xls(_) => ".xls",
            Book::Ods(_) => ".ods",
        }
    }

    /// The non-empty cells of a sheet, its formulas, merged areas and percent-formatted cells.
    pub fn cells(&mut self, name: &'static str) -> Result<SheetCells, Problem> {
        self.cells_labelled(name, name)
    }

    /// The cells of a sheet whose name is not one of the template's (a 公开表 workbook's):
    /// the sheet is read by `name`; the cells carry no name of their own.
    pub fn cells_of(&mut self, name: &str) -> Result<SheetCells, Problem> {
        self.cells_labelled(name, "")
    }

    fn cells_labelled(&mut self, name: &str, label: &'static str) -> Result<SheetCells, Problem> {
        let what = self.what();
        guarded(
            || match self {
                Book::Xlsx(b, bytes) => {
                    let mut cells = xlsx_cells(b, name, label)?;
                    cells.hidden = xlsx_hidden_rows(bytes, name);
                    Ok(cells)
                }
                Book::Xls(b) => {
                    let merged = b.merge_cells_by_sheet_name(name).unwrap_or_default();
                    dense_cells(&mut **b, name, label, merged, what)
                }
                Book::Ods(b) => dense_cells(&mut **b, name, label, Vec::new(), what),
            },
            what,
        )
    }
}

/// One sheet's cells with what is needed to read them faithfully.
pub struct SheetCells {
    pub name: &'static str,
    values: BTreeMap<(u32, u32), Data>,
    formulas: BTreeSet<(u32, u32)>,
    pub merged: Vec<Dimensions>,
    /// Cells formatted as a percentage; `None` when the format does not tell (.xls, .ods).
    pub percent: Option<BTreeSet<(u32, u32)>>,
    /// Hidden rows (.xlsx only; .xls and .ods do not tell).
    pub hidden: BTreeSet<u32>,
    /// Bytes of text kept so far (one shared string can be referenced by every cell).
    text: usize,
    height: u32,
    width: u32,
}

static EMPTY: Data = Data::Empty;

impl SheetCells {
    fn new(name: &'static str) -> SheetCells {
        SheetCells {
            name,
            values: BTreeMap::new(),
            formulas: BTreeSet::new(),
            merged: Vec::new(),
            percent: None,
            hidden: BTreeSet::new(),
            text: 0,
            height: 0,
            width: 0,
        }
    }

    /// Keeps one cell, refusing it beyond the limits.
    fn keep(&mut self, (row, col): (u32, u32), value: Data, formula: bool) -> Result<(), Problem> {
        let blank = match &value {
            Data::Empty => true,
            Data::String(s) => s.trim().is_empty(),
            _ => false,
        };
        if blank && !formula {
            return Ok(());
        }
        if row >= limits::ROWS || col >= limits::COLUMNS {
            return Err(Problem::TooFar { row, col });
        }
        if self.values.len() >= limits::CELLS {
            return Err(Problem::TooMany);
        }
        if let Data::String(text) = &value {
            self.text = self.text.saturating_add(text.len());
            if self.text > limits::SHEET_TEXT_BYTES {
                return Err(Problem::TooMuchText);
            }
        }
        if formula {
            self.formulas.insert((row, col));
        }
        if !blank {
            self.values.insert((row, col), value);
        }
        self.height = self.height.max(row + 1);
        self.width = self.width.max(col + 1);
        Ok(())
    }

    fn set_merged(&mut self, merged: Vec<Dimensions>) -> Result<(), Problem> {
        if merged.len() > limits::MERGED_AREAS {
            return Err(Problem::TooManyMerged);
        }
        self.merged = merged;
        Ok(())
    }

    /// The value at a cell, and the cell it really sits in: a merged cell's value sits in its
    /// top-left cell and applies to all it covers.
    pub fn raw(&self, row: u32, col: u32) -> (&Data, u32, u32) {
        let (r, c) = self.merged_at(row, col).map_or((row, col), |d| d.start);
        (self.values.get(&(r, c)).unwrap_or(&EMPTY), r, c)
    }

    pub fn merged_at(&self, row: u32, col: u32) -> Option<&Dimensions> {
        self.merged.iter().find(|d| d.contains(row, col))
    }

    pub fn has_formula(&self, row: u32, col: u32) -> bool {
        self.formulas.contains(&(row, col))
    }

    pub fn is_percent(&self, row: u32, col: u32) -> bool {
        self.percent
            .as_ref()
            .is_some_and(|p| p.contains(&(row, col)))
    }

    /// Rows down to the last one holding a value (the header row included).
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Columns across to the last one holding a value.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The first cell at or below `from_row` in column `col` that holds a value.
    pub fn first_value_in_column(&self, col: u32, from_row: u32) -> Option<u32> {
        self.values
            .keys()
            .chain(self.formulas.iter())
            .filter(|(r, c)| *c == col && *r >= from_row)
            .map(|(r, _)| *r)
            .min()
    }
}

fn xlsx_cells(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    label: &'static str,
) -> Result<SheetCells, Problem> {
    let broken = |_: XlsxError| Problem::Broken(".xlsx");
    let mut cells = SheetCells::new(label);
    {
        let mut reader = book.worksheet_cells_reader(name).map_err(broken)?;
        while let Some(cell) = reader.next_cell_with_formula().map_err(broken)? {
            let formula = cell.formula.as_deref().is_some_and(|f| !f.is_empty());
            cells.keep(cell.pos, Data::from(cell.value), formula)?;
        }
    }
    let mut percent = BTreeSet::new();
    {
        let mut reader = book.worksheet_cells_reader(name).map_err(broken)?;
        while let Some((row, col, id)) = reader.next_style_id().map_err(broken)? {
            if !cells.values.contains_key(&(row, col)) {
                continue;
            }
            let is_percent = reader
                .styles()
                .get(id)
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| f.format_code.contains('%'));
            if is_percent {
                percent.insert((row, col));
            }
        }
    }
    cells.percent = Some(percent);
    cells.set_merged(book.merge_cells_by_sheet_name(name).map_err(broken)?)?;
    Ok(cells)
}

/// .xls and .ods: calamine has parsed the sheet already; copy its non-empty cells.
fn dense_cells<'a, R: Reader<Cursor<&'a [u8]>>>(
    book: &mut R,
    name: &str,
    label: &'static str,
    merged: Vec<Dimensions>,
    what: &'static str,
) -> Result<SheetCells, Problem> {
    let mut cells = SheetCells::new(label);
    let data = book
        .worksheet_range(name)
        .map_err(|_| Problem::Broken(what))?;
    let formulas = book
        .worksheet_formula(name)
        .map_err(|_| Problem::Broken(what))?;
    let formula_at: BTreeSet<(u32, u32)> = match formulas.start() {
        Some((r0, c0)) => formulas
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .map(|(r, c, _)| (r0 + r as u32, c0 + c as u32))
            .collect(),
        None => BTreeSet::new(),
    };
    if let Some((r0, c0)) = data.start() {
        for (r, c, value) in data.used_cells() {
            let at = (r0 + r as u32, c0 + c as u32);
            cells.keep(at, value.clone(), formula_at.contains(&at))?;
        }
    }
    for at in formula_at {
        if !cells.values.contains_key(&at) {
            cells.keep(at, Data::Empty, true)?;
        }
    }
    cells.set_merged(merged)?;
    Ok(cells)
}

/// The hidden rows (0-based, within `limits::ROWS`) of an .xlsx sheet: `<row r="5" hidden="1">`.
/// calamine does not report them, so the sheet's part is found through the workbook's
/// relationships and streamed once more. Anything unexpected yields no hidden rows.
fn xlsx_hidden_rows(bytes: &[u8], sheet: &str) -> BTreeSet<u32> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    use std::io::{BufReader, Read};

    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return BTreeSet::new();
    };
    // Small parts (`sniff` measured them); read whole, at most 1 MB.
    let mut part = |name: &str| -> String {
        let mut text = String::new();
        if let Ok(f) = zip.by_name(name) {
            let _ = f.take(1 << 20).read_to_string(&mut text);
        }
        text
    };
    let local = |key: &str| key.rsplit(':').next().unwrap_or(key).to_string();
    let attrs = |e: &quick_xml::events::BytesStart| -> Vec<(String, String)> {
        e.attributes()
            .flatten()
            .map(|a| (local(a.key.as_ref()), a.value.to_string()))
            .collect()
    };
    let elements = |xml: &str, name: &str| -> Vec<Vec<(String, String)>> {
        let mut reader = Reader::from_str(xml);
        let mut found = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) if local(e.name().as_ref()) == name => {
                    found.push(attrs(&e));
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        found
    };
    let get = |a: &[(String, String)], k: &str| {
        a.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone())
    };
    let workbook = part("xl/workbook.xml");
    let Some(rid) = elements(&workbook, "sheet")
        .into_iter()
        .find(|a| get(a, "name").as_deref() == Some(sheet))
        .and_then(|a| get(&a, "id"))
    else {
        return BTreeSet::new();
    };
    let rels = part("xl/_rels/workbook.xml.rels");
    let Some(target) = elements(&rels, "Relationship")
        .into_iter()
        .find(|a| get(a, "Id").as_deref() == Some(rid.as_str()))
        .and_then(|a| get(&a, "Target"))
    else {
        return BTreeSet::new();
    };
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let Ok(file) = zip.by_name(&path) else {
        return BTreeSet::new();
    };
    let mut reader = Reader::from_reader(BufReader::new(file));
    let mut buf = Vec::new();
    let mut hidden = BTreeSet::new();
    let mut next_row: u32 = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if local(e.name().as_ref()) == "row" => {
                let a = attrs(&e);
                let row = get(&a, "r")
                    .and_then(|r| r.trim().parse::<u32>().ok())
                    .map_or(next_row, |r| r.saturating_sub(1));
                next_row = row.saturating_add(1);
                if row >= limits::ROWS {
                    break;
                }
                if matches!(get(&a, "hidden").as_deref(), Some("1" | "true")) {
                    hidden.insert(row);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    hidden
}
