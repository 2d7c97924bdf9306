//! 封闭取值（declared with the facts in `crate::schema::choices`; re-exported here, where the
//! model's enums that the values name live, so the tests below can check each table against
//! its enum). A fact declared as a choice carries its table (`schema::Kind::Choice`), so the
//! model reads a setting's table from its declaration (`schema::choice`).

pub use crate::schema::choices::*;

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

    /// Every fact declared as a choice, scalar or column of a list, carries the table it was
    /// declared with before the declarations carried tables (issue 21): the same values, hint
    /// and drop-down list, and no other fact is a choice.
    #[test]
    fn every_declared_choice_carries_its_table() {
        use crate::schema::lists::{ECONOMIC_FUNDS, FUNDS};
        use crate::schema::{Kind, LISTS, SCALARS};
        let expected: [(&str, &str, &Choice, bool); 17] = [
            ("", "bureau.form", &FORM, true),
            ("", "bureau.document", &DOCUMENT, false),
            ("", "bureau.tables", &TABLE_SET, false),
            ("", "bureau.unit", &UNIT, false),
            ("", "bureau.prior_zero", &PRIOR_ZERO, false),
            ("", "bureau.totals", &TOTALS, false),
            ("", "bureau.completion_base", &COMPLETION_BASE, false),
            ("", "bureau.zero_in_tables", &ZERO_IN_TABLES, false),
            ("", "bureau.item_sentence", &ITEM_SENTENCE, false),
            ("", "bureau.whole_percent", &WHOLE_PERCENT, false),
            ("", "bureau.money_in_text", &MONEY_IN_TEXT, false),
            ("", "performance.form", &PERFORMANCE_FORM, false),
            ("功能分类支出", "", &FUNDS, false),
            ("经济分类支出", "", &ECONOMIC_FUNDS, false),
            ("分列合计", "table", &DECLARED_TABLE, false),
            ("绩效指标", "kind", &INDICATOR_KIND, false),
            ("绩效指标", "tier", &TIER, false),
        ];
        let scalars = SCALARS
            .iter()
            .flat_map(|g| g.fields.iter().map(|f| ("", f)));
        let columns = LISTS
            .iter()
            .flat_map(|l| l.columns.iter().map(move |f| (l.sheet, f)));
        let mut declared = Vec::new();
        for (sheet, f) in scalars.chain(columns) {
            let (choice, open) = match f.kind {
                Kind::Choice(c) => (c, false),
                Kind::OpenChoice(c) => (c, true),
                _ => continue,
            };
            let Some((_, _, table, was_open)) = expected
                .iter()
                .find(|(s, k, _, _)| *s == sheet && *k == f.key)
            else {
                panic!("{sheet} {}: a choice not declared before", f.key);
            };
            assert_eq!(open, *was_open, "{sheet} {}", f.key);
            assert_eq!(choice, *table, "{sheet} {}", f.key);
            assert_eq!(choice.hint(), table.hint(), "{sheet} {}", f.key);
            let labels = |c: &Choice| c.options.iter().map(|(l, _)| *l).collect::<Vec<_>>();
            assert_eq!(labels(choice), labels(table), "{sheet} {}", f.key);
            declared.push((sheet, f.key));
        }
        for (sheet, key, _, _) in expected {
            assert!(
                declared.contains(&(sheet, key)),
                "{sheet} {key}: no longer a choice"
            );
        }
        assert_eq!(crate::schema::choice("bureau.unit"), &UNIT);
        assert_eq!(
            crate::schema::choice("bureau.unit").hint(),
            "填写“万元”或“元”。"
        );
        assert_eq!(crate::schema::choice("bureau.form"), &FORM);
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
