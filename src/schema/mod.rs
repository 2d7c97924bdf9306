//! 内置事实的声明：每个事实写一次——TOML 键、种类、中文名称与填写说明、工作簿中的位置、是否必填，
//! 以及它的上年数、预算数、来源表所印合计等伴随事实和模板、计算数中的名称。
//!
//! Three tables, all data:
//! - [`scalars`]: every single-valued input fact (one TOML key, one row of a key–value sheet of
//!   the workbook), grouped by sheet in row order. The workbook's key–value sheets are these
//!   groups (`workbook::schema`), so the reader, the writer, the template, `convert` and the
//!   places diagnostics point at follow from them.
//! - [`lists`]: every fact of many rows (功能分类 items, projects, indicators, …): its TOML array
//!   and its columns, each with its key, kind, label, note and whether it is required. The
//!   workbook's row sheets are these lists, and the 元/万元 check knows their amounts by kind.
//! - [`named`]: the facts a form's figures and templates may name (`extra.<name>`), each with
//!   its Chinese label and its companions — prior, budget, the totals the source prints — given
//!   as input keys of [`scalars`] or as computed by the model. `form::facts::BUILTIN`, the
//!   ledger's labels of built-in facts and the labels of diagnostics about them follow from it.
//!
//! Low in the layer order (it depends on nothing of the crate), so every step of the pipeline
//! may read it. docs/fact-schema.md is generated from these tables (tests/schema.rs).

pub mod choices;
pub mod lists;
pub mod named;
pub mod scalars;

pub use choices::Choice;
pub use lists::{LISTS, List};
pub use named::{NAMED, Named, Role, Source};
pub use scalars::SCALARS;

/// What a value is, and how it is typed (a TOML value; a workbook cell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Free text.
    Text,
    /// An amount in the bureau's unit: a number cell, at most 2 decimals (checked by the model).
    Money,
    /// A whole number (年度, 个数, 次数).
    Int,
    /// A decimal that is not money (分值, 得分, 指标值, 得分比例).
    Number,
    /// 是 / 否.
    Bool,
    /// A date cell (发布日期).
    Date,
    /// A 科目编码 stored as text, so leading digits survive.
    Code,
    /// One of a fixed list: its table ([`choices`]), whose options are (what the cell says,
    /// the TOML value). The model reads the setting by this table (`schema::choice`).
    Choice(&'static Choice),
    /// One of a list, or a key of one's own (a form a `--templates` folder adds: lower-case
    /// letters, digits, `-` and `_`), which the model checks. Written like a [`Kind::Choice`].
    OpenChoice(&'static Choice),
    /// Several names in one cell, separated by “、”.
    List,
}

impl Kind {
    /// The kind and its unit rule in the user's words (the generated reference).
    pub fn describe(self) -> String {
        let values = |options: &[(&str, &str)]| {
            options
                .iter()
                .map(|(label, v)| {
                    if label == v {
                        format!("`{v}`")
                    } else {
                        format!("`{v}` {label}")
                    }
                })
                .collect::<Vec<_>>()
                .join("、")
        };
        match self {
            Kind::Text => "文字".to_string(),
            Kind::Money => "金额（单位随 bureau.unit，至多两位小数）".to_string(),
            Kind::Int => "整数".to_string(),
            Kind::Number => "数（非金额）".to_string(),
            Kind::Bool => "是 / 否".to_string(),
            Kind::Date => "日期".to_string(),
            Kind::Code => "科目编码（文字）".to_string(),
            Kind::Choice(choice) => format!("取值之一：{}", values(choice.options)),
            Kind::OpenChoice(choice) => {
                format!("取值之一：{}，或模板目录增加的表式", values(choice.options))
            }
            Kind::List => "名称列表（“、”分隔）".to_string(),
        }
    }
}

/// One input fact: a TOML key with its kind, its Chinese label (the workbook's header: a row
/// sheet's column, a key–value sheet's 项目) and how to fill it in. The same shape serves the
/// columns of lists ([`lists`]), whose keys are relative to their record.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The TOML key, dotted: absolute for a scalar fact (`prior_year.total`), relative to the
    /// record for a column of a row sheet.
    pub key: &'static str,
    /// Its label in Chinese: the workbook's header, and how messages name it.
    pub header: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// What to write, shown in the 说明 sheet and as the header's note.
    pub note: &'static str,
}

/// An optional field.
pub const fn f(key: &'static str, header: &'static str, kind: Kind, note: &'static str) -> Field {
    Field {
        key,
        header,
        kind,
        required: false,
        note,
    }
}

/// A field every input must give.
pub const fn req(key: &'static str, header: &'static str, kind: Kind, note: &'static str) -> Field {
    Field {
        key,
        header,
        kind,
        required: true,
        note,
    }
}

/// The scalar facts of one key–value sheet, in row order.
#[derive(Clone, Copy, Debug)]
pub struct Group {
    /// The workbook's sheet (`上年数`).
    pub sheet: &'static str,
    pub fields: &'static [Field],
}

/// Where a scalar fact is declared: its group and its place in it (row `index + 1` of the
/// sheet, under the header row).
pub fn scalar(key: &str) -> Option<(&'static Group, usize, &'static Field)> {
    SCALARS.iter().find_map(|g| {
        let i = g.fields.iter().position(|f| f.key == key)?;
        Some((*g, i, &g.fields[i]))
    })
}

/// The choice table a scalar fact is declared with (`bureau.unit` → [`choices::UNIT`]), so a
/// setting is read by its key alone. Naming a fact not declared as a [`Kind::Choice`] or
/// [`Kind::OpenChoice`] is a bug.
pub fn choice(key: &str) -> &'static Choice {
    match scalar(key).map(|(_, _, f)| f.kind) {
        Some(Kind::Choice(choice) | Kind::OpenChoice(choice)) => choice,
        _ => panic!("`{key}` is not a declared choice (src/schema/scalars.rs)"),
    }
}

/// The named fact a scalar key is the value or a companion of, with its role.
pub fn companion_of(key: &str) -> Option<(&'static Named, Role)> {
    NAMED.iter().find_map(|n| n.role_of(key).map(|r| (n, r)))
}

/// The named fact of this name.
pub fn named(name: &str) -> Option<&'static Named> {
    NAMED.iter().find(|n| n.name == name)
}

/// How messages name a scalar fact, in Chinese: a named fact's value by its label and its
/// companions by theirs (“上年机关运行经费”, “公务接待费预算数”); any other key by its
/// header. `None` for a key that is not declared.
pub fn label(key: &str) -> Option<String> {
    if let Some((n, role)) = companion_of(key) {
        return Some(n.label_for(role));
    }
    scalar(key).map(|(_, _, f)| f.header.to_string())
}

/// A declared scalar fact's key, typed by how the model holds it: [`Money`], [`Whole`] or
/// [`Words`]. Made only by [`money`], [`count`] and [`text`], which refuse (in a `const`, at
/// compile time) a key that is not declared with that kind, so a figure that reads a fact by
/// its key (`model::Facts`) cannot name a fact that does not exist or read it as the wrong kind.
#[derive(Debug, PartialEq, Eq)]
pub struct Key<K> {
    pub key: &'static str,
    kind: std::marker::PhantomData<K>,
}

impl<K> Clone for Key<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for Key<K> {}

/// An amount ([`Kind::Money`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Money {}
/// A whole number ([`Kind::Int`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Whole {}
/// A text, or one of a list ([`Kind::Text`], [`Kind::Choice`], [`Kind::OpenChoice`]).
#[derive(Debug, PartialEq, Eq)]
pub enum Words {}

/// The key of a declared amount: `const K: Key<Money> = schema::money("prior_year.total");`.
pub const fn money(key: &'static str) -> Key<Money> {
    match declared_kind(key) {
        Some(Kind::Money) => typed(key),
        _ => panic!("not a declared amount (src/schema/scalars.rs)"),
    }
}

/// The key of a declared whole number.
pub const fn count(key: &'static str) -> Key<Whole> {
    match declared_kind(key) {
        Some(Kind::Int) => typed(key),
        _ => panic!("not a declared whole number (src/schema/scalars.rs)"),
    }
}

/// The key of a declared text (or choice).
pub const fn text(key: &'static str) -> Key<Words> {
    match declared_kind(key) {
        Some(Kind::Text | Kind::Choice(_) | Kind::OpenChoice(_)) => typed(key),
        _ => panic!("not a declared text (src/schema/scalars.rs)"),
    }
}

const fn typed<K>(key: &'static str) -> Key<K> {
    Key {
        key,
        kind: std::marker::PhantomData,
    }
}

/// The kind `key` is declared with, looked up in a `const` (what [`scalar`] does at run time).
const fn declared_kind(key: &str) -> Option<Kind> {
    let mut g = 0;
    while g < SCALARS.len() {
        let fields = SCALARS[g].fields;
        let mut i = 0;
        while i < fields.len() {
            if same(fields[i].key, key) {
                return Some(fields[i].kind);
            }
            i += 1;
        }
        g += 1;
    }
    None
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_scalar_key_is_declared_once() {
        let mut seen = BTreeSet::new();
        let mut headers = BTreeSet::new();
        for g in SCALARS {
            for f in g.fields {
                assert!(seen.insert(f.key), "{} is declared twice", f.key);
                assert!(
                    headers.insert((g.sheet, f.header)),
                    "{}: header {} twice",
                    g.sheet,
                    f.header
                );
            }
        }
    }

    #[test]
    fn every_companion_names_a_declared_fact_of_its_kind() {
        let mut names = BTreeSet::new();
        for n in NAMED {
            assert!(names.insert(n.name), "{} is named twice", n.name);
            assert!(matches!(n.kind, Kind::Money | Kind::Int), "{}", n.name);
            for (role, key) in n.keys() {
                let (_, _, f) = scalar(key)
                    .unwrap_or_else(|| panic!("{}'s {role:?} {key} is not declared", n.name));
                let kind = if role == Role::Reason {
                    Kind::Text
                } else {
                    n.kind
                };
                assert_eq!(f.kind, kind, "{}'s {role:?} {key}", n.name);
            }
        }
    }

    #[test]
    fn labels_follow_the_declaration() {
        assert_eq!(
            label("running_costs.prior").as_deref(),
            Some("上年机关运行经费")
        );
        assert_eq!(
            label("three_public.reception.budget").as_deref(),
            Some("公务接待费预算数")
        );
        assert_eq!(label("prior_year.total").as_deref(), Some("上年收、支总计"));
        assert_eq!(label("bureau.year").as_deref(), Some("决算年度"));
        assert_eq!(label("no.such.key"), None);
        let (g, i, _) = scalar("bureau.year").unwrap();
        assert_eq!((g.sheet, i), ("单位信息", 2));
    }

    #[test]
    fn typed_keys_are_checked_against_the_declarations() {
        const TOTAL: Key<Money> = money("prior_year.total");
        const GROUPS: Key<Whole> = count("three_public.overseas.groups");
        const FORM: Key<Words> = text("bureau.form");
        assert_eq!(
            (TOTAL.key, GROUPS.key, FORM.key),
            (
                "prior_year.total",
                "three_public.overseas.groups",
                "bureau.form"
            )
        );
        assert!(std::panic::catch_unwind(|| money("prior_year.total_reason")).is_err());
        assert!(std::panic::catch_unwind(|| text("no.such.key")).is_err());
    }
}
