//! 输入的条数与文字上限：一份决算用不到的规模，在建模型、排版之前就拒绝（E005）。
//!
//! A 1.7 MB TOML with 100,000 duties made a 2.7 GB build, and one 400,000-character duty a
//! 450 MB one: the size of the file alone does not bound what it asks of the model and of
//! Typst. So the parsed table is walked once, before anything is built from it, and a list
//! longer than [`MAX_ENTRIES`], a text longer than [`MAX_TEXT_CHARS`], or texts adding up to
//! more than [`MAX_TOTAL_TEXT_CHARS`] are refused at their position, with the limit. The largest
//! department we plan for (2,000 功能分类 lines, 500 projects) is well within them. An integer
//! no i64 holds is refused in the same pass.

use toml::de::{DeTable, DeValue};

use super::SourceFile;
use super::codes;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// Entries in one list (`duties`, the 功能分类 `items`, `projects`, indicators…).
pub const MAX_ENTRIES: usize = 5_000;
/// Characters in one text (a reason, a duty, a report paragraph): some ten printed pages.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Characters in all the texts of one input together: some 250 printed pages.
pub const MAX_TOTAL_TEXT_CHARS: usize = 500_000;

/// The findings of an input beyond the limits (empty when within them).
pub fn beyond_limits(table: &DeTable, source: &SourceFile) -> Diagnostics {
    let mut walk = Walk {
        source,
        found: Diagnostics::default(),
        total: 0,
        total_reported: false,
    };
    walk.table(table, "");
    walk.found
}

/// Whether an integer as written in TOML (sign, `_` separators, `0x`/`0o`/`0b`) fits an i64.
fn fits_i64(text: &str, radix: u32) -> bool {
    let digits = text.replace('_', "");
    match radix {
        10 => digits.parse::<i64>().is_ok(),
        r => digits
            .get(2..)
            .is_some_and(|d| i64::from_str_radix(d, r).is_ok()),
    }
}

struct Walk<'a> {
    source: &'a SourceFile,
    found: Diagnostics,
    total: usize,
    total_reported: bool,
}

impl Walk<'_> {
    fn table(&mut self, table: &DeTable, path: &str) {
        for (key, value) in table {
            let path = if path.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{path}.{}", key.get_ref())
            };
            self.value(value.get_ref(), value.span(), &path);
        }
    }

    fn value(&mut self, value: &DeValue, span: std::ops::Range<usize>, path: &str) {
        // One finding per kind is enough to act on; do not list a million.
        if self.found.iter().count() >= 10 {
            return;
        }
        match value {
            DeValue::Table(t) => self.table(t, path),
            DeValue::Array(items) => {
                if items.len() > MAX_ENTRIES {
                    self.refuse(
                        span,
                        format!("{path} 有 {} 条，超过上限 {MAX_ENTRIES} 条", items.len()),
                        "一个单位一年的决算用不到这么多条：检查是否重复粘贴，或选错了文件。",
                    );
                    return;
                }
                for item in items.iter() {
                    self.value(item.get_ref(), item.span(), &format!("{path}[]"));
                }
            }
            DeValue::String(text) => {
                let chars = text.chars().count();
                if chars > MAX_TEXT_CHARS {
                    self.refuse(
                        span,
                        format!("{path} 的文字有 {chars} 个字符，超过上限 {MAX_TEXT_CHARS} 个"),
                        "一段说明用不到这么长：检查是否把整篇文件粘贴进了一格。",
                    );
                    return;
                }
                self.total += chars;
                if self.total > MAX_TOTAL_TEXT_CHARS && !self.total_reported {
                    self.total_reported = true;
                    self.refuse(
                        span,
                        format!(
                            "输入中的文字合计超过上限 {MAX_TOTAL_TEXT_CHARS} 个字符（到 {path} 为止）"
                        ),
                        "一个单位一年的决算说明用不到这么多文字：检查是否粘贴了大量无关内容。",
                    );
                }
            }
            // An integer no i64 holds (`year = 99999999999999999999`) would reach serde as a
            // missing field: say what it is, at its place.
            DeValue::Integer(i) if !fits_i64(i.as_str(), i.radix()) => self.refuse(
                span,
                format!("{path} 的整数 {} 超出可以读取的范围", i.as_str()),
                "年度、个数等整数不会这么大：检查是否多打了数字。",
            ),
            _ => {}
        }
    }

    fn refuse(&mut self, span: std::ops::Range<usize>, message: String, hint: &str) {
        self.found.push(
            Diagnostic::of(codes::VALUE, message)
                .at(&self.source.location(span))
                .hint(hint),
        );
    }
}
