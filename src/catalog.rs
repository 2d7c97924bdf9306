//! 科目表：支出功能分类编码 → 名称（按年度）与名词解释。
//!
//! The catalog ships as data (`catalog/function.toml`, embedded at build time); an input may add
//! codes the shipped table lacks (`[[catalog]]`). Names that changed over the years are kept as
//! several entries with `since` / `until`, so a 2019 document prints 行政事业单位离退休 and a 2023
//! one prints 行政事业单位养老支出.

use std::collections::BTreeMap;

use serde::Deserialize;

const FUNCTION_TOML: &str = include_str!("../catalog/function.toml");

#[derive(Debug, Deserialize)]
struct CatalogFile {
    entry: Vec<Entry>,
}

#[derive(Clone, Debug, Deserialize)]
struct Entry {
    code: String,
    name: String,
    #[serde(default)]
    explanation: Option<String>,
    #[serde(default)]
    since: Option<i64>,
    #[serde(default)]
    until: Option<i64>,
}

/// A code's name and glossary explanation for one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeInfo {
    pub name: String,
    pub explanation: Option<String>,
}

/// The function classification catalog resolved for one year.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    codes: BTreeMap<String, CodeInfo>,
}

impl Catalog {
    /// The shipped catalog as it reads in `year`.
    pub fn for_year(year: i64) -> Catalog {
        let file: CatalogFile = crate::input::from_embedded("catalog/function.toml", FUNCTION_TOML);
        let codes = file
            .entry
            .into_iter()
            .filter(|e| e.since.is_none_or(|s| year >= s) && e.until.is_none_or(|u| year <= u))
            .map(|e| {
                (
                    e.code,
                    CodeInfo {
                        name: e.name,
                        explanation: e.explanation,
                    },
                )
            })
            .collect();
        Catalog { codes }
    }

    /// Adds or replaces a code (from the input's own `[[catalog]]`).
    pub fn insert(&mut self, code: String, info: CodeInfo) {
        self.codes.insert(code, info);
    }

    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.get(code)
    }
}

/// The level of a function classification code, by its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// 类: 3 digits.
    Class,
    /// 款: 5 digits.
    Section,
    /// 项: 7 digits.
    Item,
}

impl Level {
    pub fn of(code: &str) -> Option<Level> {
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match code.len() {
            3 => Some(Level::Class),
            5 => Some(Level::Section),
            7 => Some(Level::Item),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Class => "类",
            Level::Section => "款",
            Level::Item => "项",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_section_follows_the_year() {
        assert_eq!(
            Catalog::for_year(2019).get("20805").unwrap().name,
            "行政事业单位离退休"
        );
        assert_eq!(
            Catalog::for_year(2023).get("20805").unwrap().name,
            "行政事业单位养老支出"
        );
    }

    #[test]
    fn levels_by_length() {
        assert_eq!(Level::of("201"), Some(Level::Class));
        assert_eq!(Level::of("20103"), Some(Level::Section));
        assert_eq!(Level::of("2010308"), Some(Level::Item));
        assert_eq!(Level::of("20103A8"), None);
        assert_eq!(Level::of("2010"), None);
    }
}
