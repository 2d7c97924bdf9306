//! 一页上的一张表：行线与列线的位置、每格的字、合并的格；没有表格线的表另记无线读表的结果。
//!
//! What both table readers make of a page: [`super::tables`] finds the tables drawn with ruling
//! lines, [`super::unruled`] those printed without them; [`super::grids`] hands either to the
//! 公开表 importer.

/// Positions closer than this (points) are one line.
pub(super) const SNAP: f64 = 2.0;

/// One table as drawn on one page.
#[derive(Clone, Debug)]
pub struct Table {
    pub page: usize,
    /// Row boundaries (top to bottom) and column boundaries (left to right), in points.
    pub ys: Vec<f64>,
    pub xs: Vec<f64>,
    /// The text of each cell at its top-left elementary cell; `None` inside a merged area.
    pub cells: Vec<Vec<Option<String>>>,
    /// Merged areas: first row, first column, last row, last column (inclusive).
    pub merged: Vec<(usize, usize, usize, usize)>,
    /// The glyphs placed in a cell (indices into the page's glyphs).
    pub glyphs: Vec<usize>,
    /// For a table printed without ruling lines, what the unruled reader made of it.
    pub unruled: Option<Unruled>,
}

impl Table {
    pub fn rows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }

    pub fn cols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    pub fn top(&self) -> f64 {
        self.ys.first().copied().unwrap_or(0.0)
    }

    pub fn bottom(&self) -> f64 {
        self.ys.last().copied().unwrap_or(0.0)
    }

    /// Whether `other` has the same columns (a table continued on the next page).
    pub fn same_columns(&self, other: &Table) -> bool {
        // Unruled columns are placed by their contents, which differ from page to page.
        if let (Some(a), Some(b)) = (&self.unruled, &other.unruled) {
            return a.layout == b.layout && self.xs.len() == other.xs.len();
        }
        self.unruled.is_none() == other.unruled.is_none()
            && self.xs.len() == other.xs.len()
            && self
                .xs
                .iter()
                .zip(&other.xs)
                .all(|(a, b)| (a - b).abs() <= SNAP * 2.0)
    }
}

/// What the unruled reader made of a table.
#[derive(Clone, Debug)]
pub struct Unruled {
    /// The layout (index into the built-in layouts) whose header the table prints.
    pub layout: usize,
    /// Why the table is not read (`None` when it is).
    pub problem: Option<String>,
    /// The table runs to the end of its page (no note, no other table below it): it may go on
    /// on the next page.
    pub open_end: bool,
}
