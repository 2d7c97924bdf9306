//! 由事实声明读入的 TOML 表：表中每个键是 `crate::schema::scalars` 声明的一个单值事实，按声明的种类
//! 读入（带位置）；没有声明的键与别处一样报为未知字段（E003）。
//!
//! A table read this way needs no serde struct of its own: adding a scalar fact to it is its
//! declaration in `src/schema/scalars.rs` (and its use in the model). Values are read as the same
//! raw types a struct field would be (`Spanned<AmountLit>`, `Spanned<String>`, `Spanned<i64>`), so
//! type errors and their positions read exactly as before; an undeclared key is skipped as
//! serde's derive skips an unknown field, which is what `serde_ignored` reports.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserializer;
use serde::de::{IgnoredAny, MapAccess, Visitor};

use super::raw::{Amount, Count, Text};
use crate::schema::{self, Kind};

/// One value as typed, by its declared kind.
#[derive(Clone, Debug)]
pub enum Value {
    Amount(Amount),
    Count(Count),
    Text(Text),
}

/// The scalar facts of one TOML table (`[running_costs]`), by their full key.
#[derive(Debug, Default)]
pub struct Section {
    values: BTreeMap<&'static str, Value>,
}

impl Section {
    /// Reads the table `prefix` (`running_costs`): each declared key by its kind.
    pub fn read<'de, D: Deserializer<'de>>(
        prefix: &'static str,
        d: D,
    ) -> Result<Section, D::Error> {
        d.deserialize_map(SectionVisitor { prefix })
    }

    /// The declared field `key`, which must be of `kind`: asking for anything else is a bug.
    fn value(&self, key: &str, kind: Kind) -> Option<&Value> {
        match schema::scalar(key) {
            Some((_, _, f)) if f.kind == kind => self.values.get(f.key),
            _ => panic!("`{key}` is not a declared scalar fact of kind {kind:?} (src/schema/)"),
        }
    }

    /// The amount at `key` (a declared amount), if given.
    pub fn amount(&self, key: &str) -> Option<Amount> {
        match self.value(key, Kind::Money)? {
            Value::Amount(a) => Some(a.clone()),
            _ => None,
        }
    }

    /// The count at `key` (a declared whole number), if given.
    pub fn count(&self, key: &str) -> Option<Count> {
        match self.value(key, Kind::Int)? {
            Value::Count(c) => Some(c.clone()),
            _ => None,
        }
    }

    /// The text at `key` (a declared text), if given.
    pub fn text(&self, key: &str) -> Option<Text> {
        match self.value(key, Kind::Text)? {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        }
    }
}

struct SectionVisitor {
    prefix: &'static str,
}

impl<'de> Visitor<'de> for SectionVisitor {
    type Value = Section;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a map ([{}])", self.prefix)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Section, A::Error> {
        let mut values = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let key = format!("{}.{name}", self.prefix);
            let declared = schema::scalar(&key).map(|(_, _, f)| f);
            match declared.map(|f| (f.key, f.kind)) {
                Some((key, Kind::Money)) => {
                    values.insert(key, Value::Amount(map.next_value()?));
                }
                Some((key, Kind::Int)) => {
                    values.insert(key, Value::Count(map.next_value()?));
                }
                Some((key, Kind::Text)) => {
                    values.insert(key, Value::Text(map.next_value()?));
                }
                Some((key, kind)) => {
                    panic!("{key}: kind {kind:?} is not read by input::section yet")
                }
                // Unknown: skipped the way serde's derive skips an unknown field, so that
                // `serde_ignored` reports it (E003).
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Section { values })
    }
}

/// `[running_costs]` 机关运行经费.
pub fn running_costs<'de, D: Deserializer<'de>>(d: D) -> Result<Section, D::Error> {
    Section::read("running_costs", d)
}

#[cfg(test)]
mod tests {
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
    #[should_panic(expected = "not a declared scalar fact")]
    fn asking_for_an_undeclared_key_is_a_bug() {
        super::Section::default().amount("running_costs.nothing");
    }
}
