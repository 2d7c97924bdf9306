//! A workbook as grids of values, sheet by sheet: read, change one thing, write again (the
//! workbook and hardening tests build their bad workbooks this way).

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format as CellFormat, Workbook, Worksheet};

/// A workbook's sheets as grids of values at their absolute positions.
pub struct Book(pub Vec<(String, Vec<Vec<Data>>)>);

impl Book {
    pub fn read(bytes: &[u8]) -> Book {
        let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheets = xlsx
            .sheet_names()
            .into_iter()
            .map(|name| {
                let range = xlsx.worksheet_range(&name).unwrap();
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut grid: Vec<Vec<Data>> = vec![Vec::new(); r0 as usize];
                for row in range.rows() {
                    let mut cells = vec![Data::Empty; c0 as usize];
                    cells.extend(row.iter().cloned());
                    grid.push(cells);
                }
                (name, grid)
            })
            .collect();
        Book(sheets)
    }

    pub fn grid(&mut self, sheet: &str) -> &mut Vec<Vec<Data>> {
        &mut self.0.iter_mut().find(|(n, _)| n == sheet).unwrap().1
    }

    pub fn set(&mut self, sheet: &str, row: usize, col: usize, value: Data) {
        let grid = self.grid(sheet);
        while grid.len() <= row {
            grid.push(Vec::new());
        }
        while grid[row].len() <= col {
            grid[row].push(Data::Empty);
        }
        grid[row][col] = value;
    }

    /// Writes the grids; `special` then overwrites cells that need a format, a formula or a merge.
    pub fn write(&self, special: impl Fn(&str, &mut Worksheet)) -> Vec<u8> {
        let mut wb = Workbook::new();
        for (name, grid) in &self.0 {
            let ws = wb.add_worksheet();
            ws.set_name(name).unwrap();
            for (r, row) in grid.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    match cell {
                        Data::String(s) => {
                            ws.write_string(r, c, s).unwrap();
                        }
                        Data::Float(x) => {
                            ws.write_number(r, c, *x).unwrap();
                        }
                        Data::Int(i) => {
                            ws.write_number(r, c, *i as f64).unwrap();
                        }
                        Data::Bool(b) => {
                            ws.write_boolean(r, c, *b).unwrap();
                        }
                        Data::DateTime(d) => {
                            ws.write_number_with_format(
                                r,
                                c,
                                d.as_f64(),
                                &CellFormat::new().set_num_format("yyyy-mm-dd"),
                            )
                            .unwrap();
                        }
                        _ => {}
                    }
                }
            }
            special(name, ws);
        }
        wb.save_to_buffer().unwrap()
    }
}

/// The row of a 项目 | 值 sheet whose 项目 is `label`.
pub fn row_of(book: &mut Book, sheet: &str, label: &str) -> usize {
    book.grid(sheet)
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == label))
        .unwrap()
}
