//! .xls 的预检：在 calamine 解析之前，逐条看一遍 BIFF 记录，超出上限的工作表不交给它。
//!
//! calamine parses every sheet of an .xls when the file is opened, reserving the rows × columns
//! a sheet's DIMENSIONS record declares (a u32 row count: a 40 KB file can ask for terabytes)
//! and then a dense grid over its cells. So before calamine sees the bytes, this module finds
//! the `Workbook` stream in the compound file (CFB) and reads only record headers and cell
//! positions, refusing a declared or used cell beyond `limits::ROWS` × `limits::COLUMNS`, or more
//! than `limits::CELLS` cells in a sheet. Anything it cannot follow is left to calamine, which
//! then fails on it with a plain error.

use super::limits;

/// A sheet of an .xls beyond the limits: its name (as BOUNDSHEET gives it) and the cell.
#[derive(Debug, PartialEq, Eq)]
pub enum Beyond {
    Cell {
        sheet: String,
        row: u32,
        col: u32,
    },
    Cells {
        sheet: String,
    },
    /// More than `limits::SHEET_TEXT_BYTES` of text in one sheet once copied into its cells.
    Text {
        sheet: String,
    },
    /// A DIMENSIONS record whose first row lies after its last (calamine would underflow).
    Malformed {
        sheet: String,
    },
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// The bytes of the `Workbook` (or BIFF5 `Book`) stream of a compound file, if they can be
/// followed without surprises.
fn workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
    let shift = u16_at(file, 0x1E)?;
    if shift != 9 && shift != 12 {
        return None;
    }
    let size = 1usize << shift;
    let sectors = file.len() / size;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        file.get(start..start.checked_add(size)?)
    };
    // The FAT: its sector ids come from the header's DIFAT (109 ids) and the DIFAT chain.
    let mut fat_ids: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(file, 0x4C + 4 * i))
        .filter(|id| *id < END_OF_CHAIN)
        .collect();
    let mut difat = u32_at(file, 0x44)?;
    let mut hops = 0;
    while difat < END_OF_CHAIN {
        hops += 1;
        if hops > sectors {
            return None;
        }
        let s = sector(difat)?;
        let n = size / 4 - 1;
        fat_ids.extend(
            (0..n)
                .filter_map(|i| u32_at(s, 4 * i))
                .filter(|id| *id < END_OF_CHAIN),
        );
        difat = u32_at(s, 4 * n)?;
    }
    if fat_ids.len() > sectors {
        return None;
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in fat_ids {
        let s = sector(id)?;
        fat.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let chain = |start: u32, max_bytes: usize| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut id = start;
        while id < END_OF_CHAIN {
            if out.len() > max_bytes || out.len() / size > sectors {
                return None;
            }
            out.extend_from_slice(sector(id)?);
            id = *fat.get(id as usize)?;
        }
        Some(out)
    };
    let directory = chain(u32_at(file, 0x30)?, file.len())?;
    let cutoff = u32_at(file, 0x38)? as usize;
    let mut root_start = None;
    let mut found = None;
    for entry in directory.chunks_exact(128) {
        let len = usize::from(u16_at(entry, 0x40)?).min(64);
        let name: Vec<u16> = (0..len.saturating_sub(2) / 2)
            .filter_map(|i| u16_at(entry, 2 * i))
            .collect();
        let name = String::from_utf16_lossy(&name);
        let kind = *entry.get(0x42)?;
        let start = u32_at(entry, 0x74)?;
        let bytes = u32_at(entry, 0x78)? as usize;
        if kind == 5 {
            root_start = Some(start);
        } else if kind == 2 && (name == "Workbook" || name == "Book") && found.is_none() {
            found = Some((start, bytes));
        }
    }
    let (start, bytes) = found?;
    if bytes > limits::FILE_BYTES {
        return None;
    }
    let mut stream = if bytes >= cutoff {
        chain(start, bytes)?
    } else {
        // A small stream lives in the mini stream (64-byte sectors, its own FAT).
        let mini = chain(root_start?, file.len())?;
        let mini_fat_bytes = chain(u32_at(file, 0x3C)?, file.len())?;
        let mini_fat: Vec<u32> = (0..mini_fat_bytes.len() / 4)
            .filter_map(|i| u32_at(&mini_fat_bytes, 4 * i))
            .collect();
        let mut out = Vec::new();
        let mut id = start;
        while id < END_OF_CHAIN && out.len() < bytes {
            let at = (id as usize).checked_mul(64)?;
            out.extend_from_slice(mini.get(at..at + 64)?);
            id = *mini_fat.get(id as usize)?;
        }
        out
    };
    stream.truncate(bytes);
    Some(stream)
}

/// A BIFF record: its type and data.
fn records(stream: &[u8]) -> impl Iterator<Item = (usize, u16, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = usize::from(u16_at(stream, at + 2)?);
        let data = stream.get(at + 4..at + 4 + len)?;
        let here = at;
        at += 4 + len;
        Some((here, typ, data))
    })
}

/// The name of a sheet from its BOUNDSHEET record (BIFF8 ShortXLUnicodeString).
fn sheet_name(data: &[u8], index: usize) -> String {
    let decoded = (|| {
        let cch = usize::from(*data.get(6)?);
        let high = *data.get(7)? & 1 == 1;
        let chars = data.get(8..)?;
        if high {
            let units: Vec<u16> = (0..cch).filter_map(|i| u16_at(chars, 2 * i)).collect();
            Some(String::from_utf16_lossy(&units))
        } else {
            Some(chars.iter().take(cch).map(|b| char::from(*b)).collect())
        }
    })();
    decoded.unwrap_or_else(|| format!("第 {} 张工作表", index + 1))
}

/// Reads the shared string table (SST and its CONTINUE records) just far enough to know each
/// string's character count: calamine copies the string into every LABELSST cell showing it.
struct Segments<'a> {
    segs: Vec<&'a [u8]>,
    seg: usize,
    pos: usize,
}

impl Segments<'_> {
    fn byte(&mut self) -> Option<u8> {
        loop {
            let seg = self.segs.get(self.seg)?;
            if let Some(b) = seg.get(self.pos) {
                self.pos += 1;
                return Some(*b);
            }
            self.seg += 1;
            self.pos = 0;
        }
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    /// Skips `n` bytes, across segments (no flag bytes: for runs and phonetic data).
    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            let seg = self.segs.get(self.seg)?;
            let avail = seg.len().saturating_sub(self.pos);
            if avail == 0 {
                self.seg += 1;
                self.pos = 0;
                continue;
            }
            let take = avail.min(n);
            self.pos += take;
            n -= take;
        }
        Some(())
    }

    /// Skips `cch` characters; a new segment inside them starts with a fresh flags byte.
    fn skip_chars(&mut self, mut cch: usize, mut high: bool) -> Option<()> {
        while cch > 0 {
            let seg = self.segs.get(self.seg)?;
            let avail = seg.len().saturating_sub(self.pos);
            if avail == 0 {
                self.seg += 1;
                self.pos = 0;
                high = *self.segs.get(self.seg)?.first()? & 1 == 1;
                self.pos = 1;
                continue;
            }
            let per = if high { 2 } else { 1 };
            let take = (avail / per).min(cch);
            if take == 0 {
                return None;
            }
            self.pos += take * per;
            cch -= take;
        }
        Some(())
    }
}

fn sst_lengths(stream: &[u8]) -> Vec<usize> {
    let mut all = records(stream).skip_while(|(_, typ, _)| *typ != 0x00FC);
    let Some((_, _, first)) = all.next() else {
        return Vec::new();
    };
    let mut segs = vec![first.get(8..).unwrap_or(&[])];
    segs.extend(
        all.take_while(|(_, typ, _)| *typ == 0x003C)
            .map(|(_, _, data)| data),
    );
    let mut cur = Segments {
        segs,
        seg: 0,
        pos: 0,
    };
    let mut lengths = Vec::new();
    let mut string = || -> Option<usize> {
        let cch = usize::from(cur.u16()?);
        let flags = cur.byte()?;
        let runs = if flags & 0x8 != 0 {
            usize::from(cur.u16()?)
        } else {
            0
        };
        let ext = if flags & 0x4 != 0 {
            cur.u32()? as usize
        } else {
            0
        };
        cur.skip_chars(cch, flags & 1 == 1)?;
        cur.skip(4 * runs + ext)?;
        Some(cch)
    };
    while let Some(cch) = string() {
        lengths.push(cch);
    }
    lengths
}

/// Checks every sheet of an .xls against the limits before calamine parses it.
pub fn check(file: &[u8]) -> Result<(), Beyond> {
    let Some(stream) = workbook_stream(file) else {
        return Ok(());
    };
    // BOUNDSHEET (0x0085): where each sheet's records start, and its name.
    let shared = sst_lengths(&stream);
    let sheets: Vec<(usize, String)> = records(&stream)
        .filter(|(_, typ, _)| *typ == 0x0085)
        .enumerate()
        .filter_map(|(i, (_, _, data))| Some((u32_at(data, 0)? as usize, sheet_name(data, i))))
        .collect();
    for (start, name) in sheets {
        let Some(sheet) = stream.get(start..) else {
            continue;
        };
        let far = |row: u32, col: u32| Beyond::Cell {
            sheet: name.clone(),
            row,
            col,
        };
        let mut cells = 0usize;
        let mut text = 0usize;
        for (_, typ, data) in records(sheet).skip(1) {
            // Text calamine will hold for this cell: a shared string (at most 3 UTF-8 bytes a
            // character), or the record's own string.
            let cell_text = match typ {
                0x00FD => u32_at(data, 6)
                    .and_then(|i| shared.get(i as usize))
                    .map_or(0, |cch| cch * 3),
                0x0204 | 0x00D6 | 0x0207 => data.len() * 2,
                _ => 0,
            };
            text = text.saturating_add(cell_text);
            if text > limits::SHEET_TEXT_BYTES {
                return Err(Beyond::Text { sheet: name });
            }
            match typ {
                // EOF of the sheet.
                0x000A => break,
                // DIMENSIONS: what calamine reserves room for.
                0x0200 => {
                    let (first, rows, cols) = match data.len() {
                        10 => (
                            u32::from(u16_at(data, 0).unwrap_or(0)),
                            u32::from(u16_at(data, 2).unwrap_or(0)),
                            u32::from(u16_at(data, 6).unwrap_or(0)),
                        ),
                        _ => (
                            u32_at(data, 0).unwrap_or(0),
                            u32_at(data, 4).unwrap_or(0),
                            u32::from(u16_at(data, 10).unwrap_or(0)),
                        ),
                    };
                    if rows > limits::ROWS || cols > limits::COLUMNS {
                        return Err(far(rows.saturating_sub(1), cols.saturating_sub(1)));
                    }
                    if rows >= 1 && first > rows - 1 {
                        return Err(Beyond::Malformed { sheet: name });
                    }
                }
                // Cells: BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST, RSTRING, FORMULA, MULRK,
                // MULBLANK; each starts with its row and column.
                0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 | 0x0006 | 0x00BD
                | 0x00BE => {
                    let row = u32::from(u16_at(data, 0).unwrap_or(0));
                    let mut col = u32::from(u16_at(data, 2).unwrap_or(0));
                    if matches!(typ, 0x00BD | 0x00BE) && data.len() >= 6 {
                        col = col.max(u32::from(u16_at(data, data.len() - 2).unwrap_or(0)));
                    }
                    if row >= limits::ROWS || col >= limits::COLUMNS {
                        return Err(far(row, col));
                    }
                    cells += 1;
                    if cells > limits::CELLS {
                        return Err(Beyond::Cells { sheet: name });
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/workbook")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn finds_the_workbook_stream_and_a_far_cell() {
        let file = fixture("far-cell.xls");
        let stream = workbook_stream(&file).expect("a Workbook stream");
        assert!(stream.len() > 100, "{}", stream.len());
        assert_eq!(
            check(&file),
            Err(Beyond::Cell {
                sheet: "收入".into(),
                row: 65535,
                col: 255
            })
        );
        assert_eq!(check(&fixture("legacy.xls")), Ok(()));
        assert_eq!(
            check(&fixture("long-text.xls")),
            Err(Beyond::Text {
                sheet: "收入".into()
            })
        );
        // Every string of the table is found (cstUnique), across its CONTINUE records.
        for name in ["legacy.xls", "long-text.xls"] {
            let stream = workbook_stream(&fixture(name)).unwrap();
            let (_, _, sst) = records(&stream).find(|(_, t, _)| *t == 0x00FC).unwrap();
            let unique = u32_at(sst, 4).unwrap() as usize;
            assert_eq!(sst_lengths(&stream).len(), unique, "{name}");
        }
        let stream = workbook_stream(&fixture("long-text.xls")).unwrap();
        assert!(sst_lengths(&stream).contains(&30_000));
    }
}
