//! 封闭取值（declared with the facts in `crate::schema::choices`; re-exported here, where the
//! model's enums that the values name live, so the tests below can check each table against
//! its enum).

pub use crate::schema::choices::*;

/// Every closed choice a single-valued fact may be declared with (`Kind::Choice`).
const TABLES: &[&Choice] = &[
    &DOCUMENT,
    &TABLE_SET,
    &UNIT,
    &PRIOR_ZERO,
    &TOTALS,
    &COMPLETION_BASE,
    &ITEM_SENTENCE,
    &ZERO_IN_TABLES,
    &WHOLE_PERCENT,
    &MONEY_IN_TEXT,
    &PERFORMANCE_FORM,
];

/// The choice table of the declared fact `key` (`bureau.unit` → [`UNIT`]), found by the options
/// its declaration lists, so a setting is read by its key alone. Naming a fact not declared as
/// a choice of these tables is a bug.
pub fn of(key: &str) -> &'static Choice {
    let options = match crate::schema::scalar(key).map(|(_, _, f)| f.kind) {
        Some(crate::schema::Kind::Choice(options)) => options,
        _ => panic!("`{key}` is not a declared choice (src/schema/scalars.rs)"),
    };
    TABLES
        .iter()
        .find(|c| c.options == options)
        .unwrap_or_else(|| panic!("`{key}`'s choice is not in model::choices::TABLES"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;
    use crate::model::{Document, PerformanceForm, PriorZeroPolicy, TableSet, TotalsPolicy};
    use crate::money::Unit;
    use serde::de::DeserializeOwned;

    /// Every value of every table names an enum member (the serde names are the values).
    #[test]
    fn every_option_parses_to_its_enum() {
        fn all<T: DeserializeOwned + std::fmt::Debug>(c: &Choice) -> Vec<T> {
            c.options
                .iter()
                .map(|(_, v)| {
                    c.parse::<T>(v)
                        .unwrap_or_else(|| panic!("{}: {v} is no member", c.name))
                })
                .collect()
        }
        assert_eq!(all::<Document>(&DOCUMENT).len(), 2);
        assert_eq!(
            all::<TableSet>(&TABLE_SET),
            ["sichuan", "central", "shanghai"].map(TableSet::new)
        );
        assert_eq!(all::<Unit>(&UNIT), [Unit::Wan, Unit::Yuan]);
        assert_eq!(all::<PriorZeroPolicy>(&PRIOR_ZERO).len(), 2);
        assert_eq!(all::<TotalsPolicy>(&TOTALS).len(), 2);
        assert_eq!(all::<PerformanceForm>(&PERFORMANCE_FORM).len(), 5);
        assert_eq!(all::<Tier>(&TIER).len(), 3);
        assert_eq!(TABLE_SET.parse::<TableSet>("centrl"), None);
    }

    #[test]
    fn every_declared_choice_has_its_table() {
        for g in crate::schema::SCALARS {
            for f in g.fields {
                if let crate::schema::Kind::Choice(options) = f.kind {
                    assert_eq!(of(f.key).options, options, "{}", f.key);
                }
            }
        }
        assert_eq!(of("bureau.unit").name, UNIT.name);
    }

    #[test]
    fn hints_list_every_value() {
        assert_eq!(
            TABLE_SET.hint(),
            "填写 sichuan（四川省13张）、central（财政部9张）或 shanghai（上海市9张）。"
        );
        assert_eq!(UNIT.hint(), "填写“万元”或“元”。");
        assert_eq!(
            FORM.hint(),
            "填写 chongqing（重庆格式）、shanghai（上海市格式）或 sichuan（四川省格式）。"
        );
    }

    #[test]
    fn the_form_drop_down_lists_the_built_in_forms() {
        let built_in: Vec<(String, String)> = crate::form::Forms::builtin()
            .iter()
            .map(|f| (f.name.clone(), f.key.clone()))
            .collect();
        let listed: Vec<(String, String)> = FORM
            .options
            .iter()
            .map(|(l, v)| (l.to_string(), v.to_string()))
            .collect();
        assert_eq!(listed, built_in);
        let mut built_in: Vec<(String, String)> = crate::form::Forms::builtin()
            .performance_keys()
            .map(|f| (f.name.clone(), f.key.clone()))
            .collect();
        let mut listed: Vec<(String, String)> = PERFORMANCE_FORM
            .options
            .iter()
            .map(|(l, v)| (l.to_string(), v.to_string()))
            .collect();
        built_in.sort();
        listed.sort();
        assert_eq!(
            listed, built_in,
            "the 绩效 drop-down lists the built-in 绩效 forms"
        );
    }
}
