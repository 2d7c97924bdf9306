//! The limits of a workbook juesuan reads. A department's year of facts fills a few hundred rows;
//! these are generous for that and small enough that no workbook can exhaust the machine.

/// The size of the file itself.
pub const FILE_BYTES: usize = 50 * 1024 * 1024;
/// Parts (files) inside an .xlsx/.ods zip.
pub const PARTS: usize = 2_000;
/// One part, inflated (a worksheet's XML, the shared strings).
pub const PART_BYTES: u64 = 64 * 1024 * 1024;
/// All parts together, inflated.
pub const TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Worksheets in a workbook.
pub const SHEETS: usize = 100;
/// Rows of a worksheet (the header row included): a value below row 10000 is refused.
pub const ROWS: u32 = 10_000;
/// Columns of a worksheet: a value right of column GR (the 200th) is refused.
pub const COLUMNS: u32 = 200;
/// Non-empty cells of one worksheet.
pub const CELLS: usize = 200_000;
/// Text in the cells of one worksheet, in bytes (UTF-8): a shared string is counted at every
/// cell that shows it.
pub const SHEET_TEXT_BYTES: usize = 8 * 1024 * 1024;
/// Merged areas of one worksheet.
pub const MERGED_AREAS: usize = 1_000;
/// Distinct strings in the shared-strings table, stated (`uniqueCount`, which calamine
/// reserves room for) or present. A department's workbook has a few thousand.
pub const SHARED_STRINGS: u64 = 1_000_000;
/// The index of a shared formula (`<f t="shared" si="…">`, which calamine grows a table to).
pub const SHARED_FORMULAS: u64 = CELLS as u64;
