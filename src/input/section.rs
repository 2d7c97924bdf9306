//! 由事实声明读入的 TOML 表与逐行记录：表中每个键是 `crate::schema::scalars` 声明的一个单值事实，
//! 记录中每个键是 `crate::schema::lists` 声明的一列，按声明的种类读入（带位置）；没有声明的键与别处
//! 一样报为未知字段（E003）。
//!
//! A table read this way ([`Section`]) or a list's record ([`Record`]) needs no serde struct of
//! its own: adding a fact to it is its declaration in `src/schema/` (and its use in the model).
//! Values are read as the same literal types a struct field would be (`Spanned<AmountLit>`,
//! `Spanned<String>`, `Spanned<i64>`, `Spanned<bool>`), so type errors and their positions read
//! exactly as before; an undeclared key is skipped as serde's derive skips an unknown field,
//! which is what `serde_ignored` reports. Both are read through one trait, [`Values`].
//!
//! Sub-tables (`[three_public.overseas]`, a line's `income = { … }`) are read the same way, into
//! the same section or record: a key under which facts are declared is a table. What is not a
//! single value of a section — a list of records, a map of codes — is a field of the section's
//! [`Lists`] (`raw.rs` places each list in its section); the records of every list are read by
//! their declared columns ([`Record`]); a map of codes (`declared_classes`) and a list of
//! strings (`duties`) are read as such. A record may hold the rows of other lists (a
//! 绩效 record's indicators, its report's staff: `List::children`), read the same way, each by
//! its own list's declaration ([`Record::records`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use toml::Spanned;
use toml::value::Datetime;

use super::literal::{Amount, AmountLit, Count, Text};
use crate::schema::lists::Target;
use crate::schema::{self, Field, Kind, List};

/// One value as typed, by its declared kind.
#[derive(Clone, Debug)]
pub enum Value {
    Amount(Amount),
    Count(Count),
    Text(Text),
    Date(Spanned<Datetime>),
    /// A decimal that is not money (分值, 得分, 完成率), its digits re-read from the source.
    Number(Spanned<AmountLit>),
    /// 是 / 否.
    Flag(Spanned<bool>),
    /// Several names (`parts = ["初访", "重复访"]`).
    Texts(Vec<Text>),
    /// The rows of a list under a record (a project's `indicators`), each read by its list's
    /// declaration.
    Rows(Vec<Row>),
    /// A table of names and values under a record (a project's `level_weights`:
    /// `产出指标 = 50`), the values of its list's value column.
    Map(BTreeMap<String, Value>),
}

/// The values of one record, untyped: by the declared key of each field (`budget`,
/// `report.brief`) or child list (`indicators`), and the sub-tables given (`report`), even empty.
#[derive(Clone, Debug, Default)]
pub struct Row {
    values: BTreeMap<&'static str, Value>,
    tables: BTreeSet<String>,
}

/// The declared values of a table ([`Section`]) or of a list's record ([`Record`]), read by
/// their declared key and kind. Asking for a key that is not declared there, or for another
/// kind than its declaration's, is a bug: it panics, naming where the declarations are.
pub trait Values {
    /// The declaration of `key` here, if it has one.
    fn declared(&self, key: &str) -> Option<&'static Field>;
    /// The value given for the declared key `key`.
    fn given(&self, key: &str) -> Option<&Value>;
    /// Where the declarations are (for the message of a bug).
    fn declarations(&self) -> String;

    /// The value at `key`, declared of one of `kinds`.
    fn value(&self, key: &str, kinds: fn(Kind) -> bool, what: &str) -> Option<&Value> {
        match self.declared(key) {
            Some(f) if kinds(f.kind) => self.given(f.key),
            _ => panic!(
                "`{key}` is not a declared {what} of {}",
                self.declarations()
            ),
        }
    }

    /// The amount at `key` (a declared amount), if given.
    fn amount(&self, key: &str) -> Option<Amount> {
        match self.value(key, |k| k == Kind::Money, "Money")? {
            Value::Amount(a) => Some(a.clone()),
            _ => None,
        }
    }

    /// The count at `key` (a declared whole number), if given.
    fn count(&self, key: &str) -> Option<Count> {
        match self.value(key, |k| k == Kind::Int, "Int")? {
            Value::Count(c) => Some(c.clone()),
            _ => None,
        }
    }

    /// The text at `key` (a declared text, code or choice), if given.
    fn text(&self, key: &str) -> Option<Text> {
        match self.value(key, is_text, "Text")? {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        }
    }

    /// The date at `key` (a declared date), if given.
    fn date(&self, key: &str) -> Option<Spanned<Datetime>> {
        match self.value(key, |k| k == Kind::Date, "Date")? {
            Value::Date(d) => Some(d.clone()),
            _ => None,
        }
    }

    /// The number at `key` (a declared [`Kind::Number`]: 得分, 分值, 完成率), if given.
    fn number(&self, key: &str) -> Option<Spanned<AmountLit>> {
        match self.value(key, |k| k == Kind::Number, "Number")? {
            Value::Number(n) => Some(n.clone()),
            _ => None,
        }
    }

    /// The 是 / 否 at `key` (a declared [`Kind::Bool`]), if given.
    fn flag(&self, key: &str) -> Option<Spanned<bool>> {
        match self.value(key, |k| k == Kind::Bool, "Bool")? {
            Value::Flag(b) => Some(b.clone()),
            _ => None,
        }
    }

    /// The names at `key` (a declared [`Kind::List`], or the lines of a record: a section's
    /// paragraphs); none when not given.
    fn texts(&self, key: &str) -> Vec<Text> {
        match self.declared(key) {
            Some(f) if f.kind == Kind::List || self.is_lines(f.key) => match self.given(f.key) {
                Some(Value::Texts(t)) => t.clone(),
                _ => Vec::new(),
            },
            _ => panic!("`{key}` is not a declared List of {}", self.declarations()),
        }
    }

    /// Whether `key` is the lines of a record (a section's `paragraphs`: a column whose rows
    /// are its lines in the workbook, an array of texts in the TOML).
    fn is_lines(&self, _key: &str) -> bool {
        false
    }
}

/// The fields of a section that are not single values (lists of records, maps of codes), each
/// at its path relative to the section (`vehicle.purchases`), read by serde as before.
pub trait Lists: Default {
    /// The fields' paths, relative to the section.
    const PATHS: &'static [&'static str];
    /// Reads the value of the field at `path` (one of [`Lists::PATHS`]).
    fn read<'de, A: MapAccess<'de>>(&mut self, path: &str, map: &mut A) -> Result<(), A::Error>;
}

/// A section with single values only.
impl Lists for () {
    const PATHS: &'static [&'static str] = &[];
    fn read<'de, A: MapAccess<'de>>(&mut self, path: &str, _: &mut A) -> Result<(), A::Error> {
        unreachable!("no list at {path}")
    }
}

/// Declares a section's [`Lists`]: a struct whose fields are read by serde at their paths.
///
/// ```ignore
/// lists! {
///     /// Lists of [general_budget].
///     pub struct GeneralBudgetLists {
///         "declared_subtotals" => declared_subtotals: BTreeMap<String, Amount>,
///     }
/// }
/// ```
#[macro_export]
macro_rules! lists {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* $path:literal => $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Default)]
        pub struct $name {
            $($(#[$fm])* pub $field: $ty,)*
        }
        impl $crate::input::section::Lists for $name {
            const PATHS: &'static [&'static str] = &[$($path),*];
            fn read<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                path: &str,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match path {
                    $($path => self.$field = map.next_value()?,)*
                    _ => unreachable!("no list at {path}"),
                }
                Ok(())
            }
        }
    };
}

/// The scalar facts of one TOML table (`[three_public]`) and its sub-tables, by their full
/// key, and the table's lists.
#[derive(Debug, Default)]
pub struct Section<L = ()> {
    values: BTreeMap<&'static str, Value>,
    /// The sub-tables given (`management`), even empty.
    tables: BTreeSet<String>,
    /// The fields that are not single values.
    pub lists: L,
}

impl<L: Lists> Section<L> {
    /// Reads the table `prefix` (`three_public`): each declared key by its kind, each sub-table
    /// with declared keys or lists under it the same way, the lists by serde.
    pub fn read<'de, D: Deserializer<'de>>(prefix: &'static str, d: D) -> Result<Self, D::Error> {
        let mut section = Section::default();
        d.deserialize_map(TableVisitor {
            prefix,
            path: String::new(),
            section: &mut section,
        })?;
        Ok(section)
    }
}

impl<L> Values for Section<L> {
    fn declared(&self, key: &str) -> Option<&'static Field> {
        schema::scalar(key).map(|(_, _, f)| f)
    }

    fn given(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    fn declarations(&self) -> String {
        "the scalar facts (src/schema/scalars.rs)".to_string()
    }
}

impl<L> Section<L> {
    /// Puts a text in place of what the input gave at `key` (a declared text or choice): a
    /// command's option that stands for the input's (`context --form`).
    pub fn set_text(&mut self, key: &str, text: Text) {
        if let Some((_, _, f)) = schema::scalar(key).filter(|(_, _, f)| is_text(f.kind)) {
            self.values.insert(f.key, Value::Text(text));
        } else {
            panic!("`{key}` is not a declared text (src/schema/)");
        }
    }

    /// Every fact given, by its declared key, in key order.
    pub fn values(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.values.iter().map(|(k, v)| (*k, v))
    }

    /// Whether the sub-table at `path` (`management`) was given, even empty.
    pub fn has_table(&self, path: &str) -> bool {
        self.tables.contains(path)
    }
}

/// Kinds read as a text (a choice is checked against its list by the model, a code against
/// the catalog).
fn is_text(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Text | Kind::Code | Kind::Choice(_) | Kind::OpenChoice(_)
    )
}

/// Reads one table of a section (the section's own, or a sub-table at `path`).
struct TableVisitor<'a, L> {
    prefix: &'static str,
    /// The table's path under the section (`""`, `overseas`, `reception.domestic`).
    path: String,
    section: &'a mut Section<L>,
}

impl<'de, L: Lists> DeserializeSeed<'de> for TableVisitor<'_, L> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, L: Lists> Visitor<'de> for TableVisitor<'_, L> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "a map ([{}])", self.prefix)
        } else {
            write!(f, "a map ([{}.{}])", self.prefix, self.path)
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            // A quoted key with a dot in it (`"overseas.actual" = 1`) is one key: no fact's.
            if name.contains('.') {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let path = if self.path.is_empty() {
                name
            } else {
                format!("{}.{name}", self.path)
            };
            let key = format!("{}.{path}", self.prefix);
            let declared = schema::scalar(&key).map(|(_, _, f)| f);
            match declared {
                Some(f) => {
                    let value = next_value(f, &mut map)?;
                    self.section.values.insert(f.key, value);
                }
                None if L::PATHS.contains(&path.as_str()) => {
                    self.section.lists.read(&path, &mut map)?;
                }
                None if is_table(&key, &path, L::PATHS) => {
                    self.section.tables.insert(path.clone());
                    map.next_value_seed(TableVisitor {
                        prefix: self.prefix,
                        path,
                        section: &mut *self.section,
                    })?;
                }
                // Unknown: skipped the way serde's derive skips an unknown field, so that
                // `serde_ignored` reports it (E003).
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // A required fact left out, as serde's derive says it (the reading stops there).
        if self.path.is_empty() {
            let under = format!("{}.", self.prefix);
            let missing = schema::SCALARS
                .iter()
                .flat_map(|g| g.fields)
                .filter(|f| f.required && f.key.starts_with(&under))
                .find(|f| !self.section.values.contains_key(f.key));
            if let Some(f) = missing {
                return Err(A::Error::missing_field(&f.key[under.len()..]));
            }
        }
        Ok(())
    }
}

/// The value of the declared field `f`, read by its kind as the raw type a struct field would
/// be (so type errors read as before).
fn next_value<'de, A: MapAccess<'de>>(f: &Field, map: &mut A) -> Result<Value, A::Error> {
    Ok(match f.kind {
        Kind::Money => Value::Amount(map.next_value()?),
        Kind::Int => Value::Count(map.next_value()?),
        Kind::Text | Kind::Code | Kind::Choice(_) | Kind::OpenChoice(_) => {
            Value::Text(map.next_value()?)
        }
        Kind::Date => Value::Date(map.next_value()?),
        Kind::Number => Value::Number(map.next_value()?),
        Kind::Bool => Value::Flag(map.next_value()?),
        Kind::List => Value::Texts(map.next_value()?),
    })
}

/// A list whose records are read by its declaration (`crate::schema::lists`): the marker type
/// of [`Record`].
pub trait Declared {
    const LIST: &'static List;
    /// Whether a record without a required column is refused while reading (serde's “missing
    /// field”). A 绩效 record is not: a project without a name is the model's message, at the
    /// project, and the department is named by the bureau.
    const REFUSES_MISSING: bool = true;
}

/// One record of a list (`[[three_public.vehicle.purchases]]`), read by the list's declared
/// columns as a [`Section`] is read by its scalars: each declared key by its kind, with its
/// place; an undeclared key skipped so that it is reported (E003); a required column left out
/// is serde's “missing field”, as a struct's would be. Adding a column to such a list is its
/// declaration in `src/schema/lists.rs` and its use.
///
/// A record may hold the rows of other lists (a project's indicators, its report's staff: see
/// `List::children`), each read by its own list's declaration, and fields no column of its
/// sheet carries (`List::toml_only`).
pub struct Record<M> {
    row: Row,
    list: PhantomData<M>,
}

impl<M> Clone for Record<M> {
    fn clone(&self) -> Self {
        Record {
            row: self.row.clone(),
            list: PhantomData,
        }
    }
}

impl<M: Declared> fmt::Debug for Record<M> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct(M::LIST.sheet)
            .field("values", &self.row.values)
            .finish()
    }
}

impl<M: Declared> Values for Record<M> {
    fn declared(&self, key: &str) -> Option<&'static Field> {
        M::LIST.record_fields().find(|c| c.key == key)
    }

    fn given(&self, key: &str) -> Option<&Value> {
        self.row.values.get(key)
    }

    fn is_lines(&self, key: &str) -> bool {
        M::LIST.lines() == Some(key)
    }

    fn declarations(&self) -> String {
        format!("the columns of {} (src/schema/lists.rs)", M::LIST.sheet)
    }
}

impl<M: Declared> Record<M> {
    /// The text in the required column `key`: always there, since a record without it does
    /// not read.
    pub fn required_text(&self, key: &str) -> Text {
        assert!(
            M::LIST.fields().any(|c| c.key == key && c.required),
            "`{key}` is not a required column of {} (src/schema/lists.rs)",
            M::LIST.sheet
        );
        self.text(key)
            .expect("a required column is read or the record is refused")
    }

    /// The rows of the list `C` at `key` in this record (a project's `indicators`), each
    /// read by `C`'s declaration; none when not given.
    pub fn records<C: Declared>(&self, key: &str) -> Vec<Record<C>> {
        self.child(key, C::LIST);
        match self.row.values.get(key) {
            Some(Value::Rows(rows)) => rows
                .iter()
                .map(|row| Record {
                    row: row.clone(),
                    list: PhantomData,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The numbers by name at `key` (a child list of names and [`Kind::Number`]s: a project's
    /// `level_weights`), in name order; none when not given.
    pub fn numbers(&self, key: &str) -> Vec<(String, Spanned<AmountLit>)> {
        assert!(
            M::LIST.children().any(|(k, l)| k == key
                && matches!(l.target, Target::UnderProject { map: true, .. })
                && l.columns.last().is_some_and(|c| c.kind == Kind::Number)),
            "`{key}` is not a map of numbers in a record of {} (src/schema/lists.rs)",
            M::LIST.sheet
        );
        match self.row.values.get(key) {
            Some(Value::Map(map)) => map
                .iter()
                .filter_map(|(name, v)| match v {
                    Value::Number(n) => Some((name.clone(), n.clone())),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the sub-table at `path` (`report`) was given, even empty.
    pub fn has_table(&self, path: &str) -> bool {
        self.row.tables.contains(path)
    }

    /// Asserts that `key` holds the rows of `list` in this record.
    fn child(&self, key: &str, list: &List) {
        assert!(
            M::LIST
                .children()
                .any(|(k, l)| k == key && l.sheet == list.sheet),
            "`{key}` is not where the rows of {} are in a record of {} (src/schema/lists.rs)",
            list.sheet,
            M::LIST.sheet
        );
    }
}

impl<'de, M: Declared> serde::Deserialize<'de> for Record<M> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut row = Row::default();
        d.deserialize_map(Columns {
            list: M::LIST,
            path: String::new(),
            row: &mut row,
            refuses_missing: M::REFUSES_MISSING,
        })?;
        Ok(Record {
            row,
            list: PhantomData,
        })
    }
}

/// Reads one table of a record by its list's declared columns: the record's own, or a
/// sub-table at `path` (`income` of a `non_appropriation.items` line, whose columns are
/// `income.upper_grant`, …).
struct Columns<'a> {
    list: &'static List,
    path: String,
    row: &'a mut Row,
    refuses_missing: bool,
}

impl<'de> DeserializeSeed<'de> for Columns<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Columns<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a map (a row of {})", self.list.sheet)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            // A quoted key with a dot in it (`"a.b" = 1`) is one key: no column's.
            let one = !name.contains('.');
            let key = if self.path.is_empty() {
                name
            } else {
                format!("{}.{name}", self.path)
            };
            let under = format!("{key}.");
            if let Some(c) = self.list.record_fields().find(|c| one && c.key == key) {
                // The lines of a field (a section's paragraphs) are one row each in the
                // workbook, an array of strings in the TOML.
                let value = if self.list.lines() == Some(c.key) {
                    Value::Texts(map.next_value()?)
                } else {
                    next_value(c, &mut map)?
                };
                self.row.values.insert(c.key, value);
            } else if let Some((at, list)) = self.list.children().find(|(k, _)| one && *k == key) {
                let value = map.next_value_seed(Rows { list })?;
                self.row.values.insert(at, value);
            } else if one
                && (self.list.record_fields().any(|c| c.key.starts_with(&under))
                    || self.list.children().any(|(k, _)| k.starts_with(&under)))
            {
                self.row.tables.insert(key.clone());
                map.next_value_seed(Columns {
                    list: self.list,
                    path: key,
                    row: &mut *self.row,
                    refuses_missing: self.refuses_missing,
                })?;
            } else {
                // Unknown: skipped as serde's derive skips it, so `serde_ignored` reports it.
                map.next_value::<IgnoredAny>()?;
            }
        }
        if self.path.is_empty()
            && self.refuses_missing
            && let Some(c) = self.list.fields().find(|c| {
                c.required
                    && self.list.lines() != Some(c.key)
                    && !self.row.values.contains_key(c.key)
            })
        {
            return Err(A::Error::missing_field(c.key));
        }
        Ok(())
    }
}

/// Reads the rows of a list under a record (`indicators` of a project): an array of tables,
/// each by the list's declared columns, or, for a map (`level_weights`), a table of names
/// and values of its last column's kind.
struct Rows {
    list: &'static List,
}

impl<'de> DeserializeSeed<'de> for Rows {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if matches!(self.list.target, Target::UnderProject { map: true, .. }) {
            d.deserialize_map(self)
        } else {
            d.deserialize_seq(self)
        }
    }
}

impl<'de> Visitor<'de> for Rows {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // As serde says it of a `Vec` or a map.
        if matches!(self.list.target, Target::UnderProject { map: true, .. }) {
            write!(f, "a map")
        } else {
            write!(f, "a sequence")
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut rows = Vec::new();
        while let Some(row) = seq.next_element_seed(OneRow { list: self.list })? {
            rows.push(row);
        }
        Ok(Value::Rows(rows))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let column = self.list.columns.last().expect("a map has a value column");
        let mut values = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            values.insert(name, next_value(column, &mut map)?);
        }
        Ok(Value::Map(values))
    }
}

/// One row of a list under a record.
struct OneRow {
    list: &'static List,
}

impl<'de> DeserializeSeed<'de> for OneRow {
    type Value = Row;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Row, D::Error> {
        let mut row = Row::default();
        d.deserialize_map(Columns {
            list: self.list,
            path: String::new(),
            row: &mut row,
            refuses_missing: true,
        })?;
        Ok(row)
    }
}

/// Whether `key` (at `path` in its section) is a sub-table: facts are declared, or lists kept,
/// under it.
fn is_table(key: &str, path: &str, lists: &[&str]) -> bool {
    let under = |p: &str, of: &str| {
        p.len() > of.len() && p.starts_with(of) && p[of.len()..].starts_with('.')
    };
    schema::SCALARS
        .iter()
        .flat_map(|g| g.fields)
        .any(|f| under(f.key, key))
        || lists.iter().any(|l| under(l, path))
}

#[cfg(test)]
mod tests {
    use super::Values;
    use crate::input::{SourceFile, parse_toml};

    #[test]
    fn a_section_reads_declared_keys_and_reports_the_others() {
        let text = "[bureau]\nname = \"局\"\nyear = 2023\n\n[running_costs]\nactual = 12.5\nreason = \"增人\"\nactul = 1\n";
        let loaded = parse_toml(SourceFile::new("t.toml", text.to_string()));
        let raw = loaded.raw.unwrap();
        let rc = &raw.running_costs;
        let at = text.find("12.5").unwrap();
        assert_eq!(
            rc.amount("running_costs.actual").unwrap().span(),
            at..at + 4
        );
        assert_eq!(
            rc.text("running_costs.reason").unwrap().into_inner(),
            "增人"
        );
        assert!(rc.amount("running_costs.prior").is_none());
        let unknown: Vec<&str> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unknown, ["未知字段 `running_costs.actul`"]);
    }

    #[test]
    fn a_quoted_dotted_key_is_no_fact() {
        let text =
            "[bureau]\nname = \"局\"\nyear = 2023\n\n[three_public]\n\"overseas.actual\" = 1\n";
        let loaded = parse_toml(SourceFile::new("t.toml", text.to_string()));
        let raw = loaded.raw.unwrap();
        assert!(
            raw.three_public
                .amount("three_public.overseas.actual")
                .is_none()
        );
        let unknown: Vec<&str> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unknown, ["未知字段 `three_public.overseas.actual`"]);
    }

    #[test]
    fn a_list_reads_its_records_by_the_declared_columns() {
        let text = "[bureau]\nname = \"局\"\nyear = 2023\n\n[[three_public.vehicle.purchases]]\nkind = \"轿车\"\ncount = 2\namount = 35.5\ncolour = \"白\"\n";
        let loaded = parse_toml(SourceFile::new("t.toml", text.to_string()));
        let raw = loaded.raw.unwrap();
        let p = &raw.three_public.lists.purchases[0];
        let at = text.find("35.5").unwrap();
        assert_eq!(p.amount("amount").unwrap().span(), at..at + 4);
        assert_eq!(p.required_text("kind").into_inner(), "轿车");
        assert_eq!(p.count("count").unwrap().into_inner(), 2);
        let unknown: Vec<&str> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            unknown,
            ["未知字段 `three_public.vehicle.purchases.0.colour`"]
        );
        let missing = "[bureau]\nname = \"局\"\nyear = 2023\n\n[[assets.vehicles]]\ncount = 2\n";
        let loaded = parse_toml(SourceFile::new("t.toml", missing.to_string()));
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.message.contains("缺少必填字段 `kind`")),
            "{:?}",
            loaded.diagnostics
        );
    }

    #[test]
    fn a_record_reads_the_lists_under_it_by_their_declarations() {
        let text = "[bureau]\nname = \"局\"\nyear = 2023\n\n[[performance.projects]]\nname = \"甲\"\ndeclared_spending = 3.5\nlevel_weights = { \"产出指标\" = 50 }\n\n[performance.projects.report]\nintro = \"开头\"\nintroo = 1\n\n[[performance.projects.report.staff]]\ncategory = \"行政编制\"\nactual = 3\n\n[[performance.projects.indicators]]\nlevel1 = \"产出指标\"\nlevel3 = \"来访\"\nweight = 10\nwieght = 1\n\n[[performance.projects.sections]]\ntitle = \"一\"\nparagraphs = [\"甲\", \"乙\"]\n";
        let loaded = parse_toml(SourceFile::new("t.toml", text.to_string()));
        let raw = loaded.raw.unwrap();
        let p = &raw.performance.lists.projects[0];
        assert_eq!(p.required_text("name").into_inner(), "甲");
        assert!(p.amount("declared_spending").is_some());
        assert!(p.has_table("report"));
        assert_eq!(p.text("report.intro").unwrap().into_inner(), "开头");
        let weights = p.numbers("level_weights");
        assert_eq!(weights[0].0, "产出指标");
        let staff = p.records::<crate::input::raw::Staff>("report.staff");
        assert_eq!(staff[0].count("actual").unwrap().into_inner(), 3);
        let indicators = p.records::<crate::input::raw::Indicators>("indicators");
        assert_eq!(indicators[0].required_text("level3").into_inner(), "来访");
        let sections = p.records::<crate::input::raw::ReportSections>("sections");
        assert_eq!(sections[0].texts("paragraphs").len(), 2);
        let unknown: Vec<&str> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        // At their own paths (a project's `report` was once reported at `report.?.introo`).
        assert_eq!(
            unknown,
            [
                "未知字段 `performance.projects.0.indicators.0.wieght`",
                "未知字段 `performance.projects.0.report.introo`"
            ]
        );
        let department =
            "[bureau]\nname = \"局\"\nyear = 2023\n\n[performance.department.report]\nfoo = 1\n";
        let loaded = parse_toml(SourceFile::new("t.toml", department.to_string()));
        let raw = loaded.raw.unwrap();
        assert!(
            raw.performance
                .lists
                .department
                .unwrap()
                .has_table("report")
        );
        let unknown: Vec<&str> = loaded
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unknown, ["未知字段 `performance.department.report.foo`"]);
        let missing = "[bureau]\nname = \"局\"\nyear = 2023\n\n[[performance.department.indicators]]\nlevel1 = \"产出指标\"\n";
        let loaded = parse_toml(SourceFile::new("t.toml", missing.to_string()));
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.message.contains("缺少必填字段 `level3`")),
            "{:?}",
            loaded.diagnostics
        );
    }

    #[test]
    #[should_panic(expected = "`count` is not a declared Money of the columns of 车辆")]
    fn asking_a_record_for_an_undeclared_column_is_a_bug() {
        let text = "[bureau]\nname = \"局\"\nyear = 2023\n\n[[assets.vehicles]]\nkind = \"机要\"\n";
        let raw = parse_toml(SourceFile::new("t.toml", text.to_string()))
            .raw
            .unwrap();
        raw.assets.lists.vehicles[0].amount("count");
    }

    #[test]
    #[should_panic(
        expected = "`running_costs.nothing` is not a declared Money of the scalar facts"
    )]
    fn asking_for_an_undeclared_key_is_a_bug() {
        super::Section::<()>::default().amount("running_costs.nothing");
    }
}
