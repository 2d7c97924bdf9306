//! 科目表：支出功能分类编码 → 名称（按年度）与名词解释；部门预算支出经济分类编码 → 名称与
//! 人员经费/公用经费归属。
//!
//! The catalogs ship as data (`catalog/function.toml`, `catalog/economic.toml`, embedded at build
//! time); an input may add function codes the shipped table lacks (`[[catalog]]`) and name an
//! economic code on its own line. Names that changed over the years are kept as
//! several entries with `since` / `until`, so a 2019 document prints 行政事业单位离退休 and a 2023
//! one prints 行政事业单位养老支出.

use std::collections::BTreeMap;

use serde::Deserialize;

const FUNCTION_TOML: &str = include_str!("../catalog/function.toml");
const ECONOMIC_TOML: &str = include_str!("../catalog/economic.toml");

/// The years whose catalogs and table layouts ship with juesuan.
pub const YEARS: std::ops::RangeInclusive<i64> = 2019..=2025;

/// The earliest year a 决算 can plausibly be of: 部门决算公开 began after 2010; years before this
/// are typing errors.
const EARLIEST_PLAUSIBLE_YEAR: i64 = 1990;

/// How a document's year stands to the shipped catalogs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearFit {
    /// A year the catalogs cover.
    Covered,
    /// A real year outside the catalogs: the nearest covered year's catalog and layouts are used.
    Nearest(i64),
    /// A year no 决算 can be of (before 1990, or after next year + 1 by the clock).
    Absurd,
}

impl YearFit {
    pub fn of(year: i64) -> YearFit {
        YearFit::of_at(year, current_year())
    }

    /// [`YearFit::of`] as it reads in the calendar year `now`.
    pub fn of_at(year: i64, now: i64) -> YearFit {
        if YEARS.contains(&year) {
            YearFit::Covered
        } else if !plausible_years_at(now).contains(&year) {
            YearFit::Absurd
        } else {
            YearFit::Nearest(catalog_year(year))
        }
    }
}

/// The years a 决算 can be of: from 1990 to the year after next (by the clock).
pub fn plausible_years() -> std::ops::RangeInclusive<i64> {
    plausible_years_at(current_year())
}

fn plausible_years_at(now: i64) -> std::ops::RangeInclusive<i64> {
    EARLIEST_PLAUSIBLE_YEAR..=now.saturating_add(2)
}

/// The year whose catalog and table layouts a document of `year` uses: the year itself when the
/// catalogs cover it, else the nearest covered year.
pub fn catalog_year(year: i64) -> i64 {
    year.clamp(*YEARS.start(), *YEARS.end())
}

/// A shipped catalog file, parsed (a broken one is a defect of the build, caught by every test).
fn embedded<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> T {
    toml::from_str(text).unwrap_or_else(|e| panic!("内置数据文件 {name} 有误：{e}"))
}

/// The calendar year now (UTC), from the system clock; the last covered year if the clock is
/// unreadable.
fn current_year() -> i64 {
    let Ok(since_epoch) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) else {
        return *YEARS.end();
    };
    civil_year(i64::try_from(since_epoch.as_secs() / 86_400).unwrap_or(0))
}

/// The proleptic Gregorian year of a day counted from 1970-01-01.
fn civil_year(days: i64) -> i64 {
    i64::from(crate::calendar::civil_from_days(days).0)
}

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
    #[serde(default)]
    group: Option<Group>,
}

impl Entry {
    fn applies(&self, year: i64) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }
}

/// Where an economic class falls within 基本支出.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// 人员经费：301、303。
    Personnel,
    /// 公用经费：302、307、310、399。
    Operating,
}

impl Group {
    pub fn label(self) -> &'static str {
        match self {
            Group::Personnel => "人员经费",
            Group::Operating => "公用经费",
        }
    }
}

/// An economic code's name and, for a 类, its group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EconomicInfo {
    pub name: String,
    pub group: Option<Group>,
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
    economic: BTreeMap<String, EconomicInfo>,
}

impl Catalog {
    /// The shipped catalog as it reads in `year`.
    pub fn for_year(year: i64) -> Catalog {
        let file: CatalogFile = embedded("catalog/function.toml", FUNCTION_TOML);
        let codes = file
            .entry
            .into_iter()
            .filter(|e| e.applies(year))
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
        let file: CatalogFile = embedded("catalog/economic.toml", ECONOMIC_TOML);
        let economic = file
            .entry
            .into_iter()
            .filter(|e| e.applies(year))
            .map(|e| {
                (
                    e.code,
                    EconomicInfo {
                        name: e.name,
                        group: e.group,
                    },
                )
            })
            .collect();
        Catalog { codes, economic }
    }

    /// An economic code's entry (类 or 款).
    pub fn economic(&self, code: &str) -> Option<&EconomicInfo> {
        self.economic.get(code)
    }

    /// The group of an economic code, taken from its 类 (its first three digits).
    pub fn economic_group(&self, code: &str) -> Option<Group> {
        self.economic.get(code.get(..3)?)?.group
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
    fn economic_groups_come_from_the_class() {
        let c = Catalog::for_year(2023);
        assert_eq!(c.economic("30113").unwrap().name, "住房公积金");
        assert_eq!(c.economic_group("30113"), Some(Group::Personnel));
        assert_eq!(c.economic_group("30399"), Some(Group::Personnel));
        assert_eq!(c.economic_group("31002"), Some(Group::Operating));
        assert_eq!(c.economic_group("30217"), Some(Group::Operating));
        assert_eq!(c.economic_group("99999"), None);
    }

    #[test]
    fn years_outside_the_catalogs_use_the_nearest() {
        assert_eq!(YearFit::of_at(2023, 2026), YearFit::Covered);
        assert_eq!(YearFit::of_at(2018, 2026), YearFit::Nearest(2019));
        assert_eq!(YearFit::of_at(1990, 2026), YearFit::Nearest(2019));
        assert_eq!(YearFit::of_at(2028, 2026), YearFit::Nearest(2025));
        assert_eq!(YearFit::of_at(1989, 2026), YearFit::Absurd);
        assert_eq!(YearFit::of_at(2029, 2026), YearFit::Absurd);
        assert_eq!(YearFit::of_at(i64::MAX, 2026), YearFit::Absurd);
        assert_eq!(YearFit::of_at(i64::MIN, 2026), YearFit::Absurd);
    }

    #[test]
    fn civil_years_from_days() {
        assert_eq!(civil_year(0), 1970);
        assert_eq!(civil_year(-1), 1969);
        assert_eq!(civil_year(19_722), 2023); // 2023-12-31
        assert_eq!(civil_year(19_723), 2024); // 2024-01-01
        assert_eq!(civil_year(20_788), 2026); // 2026-12-01
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
