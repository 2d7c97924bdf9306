//! 名词解释：表式的固定条目，其间是本单位用到的功能分类科目（各资金、非财政拨款的“项”，按
//! 编码各列一次），除非表式只列固定条目。

use std::collections::BTreeMap;

use super::{FixedGlossary, GlossaryEntry, PathDoc, path_of};
use crate::model::Bureau;

pub(super) fn doc(b: &Bureau, fixed: &FixedGlossary) -> Vec<GlossaryEntry> {
    let mut glossary = Vec::new();
    let mut push = |term: String, path: Option<PathDoc>, text: String| {
        glossary.push(GlossaryEntry {
            number: glossary.len() + 1,
            numeral: crate::form::chinese_number(glossary.len() + 1),
            term,
            path,
            text,
        })
    };
    for f in &fixed.before {
        push(f.term.clone(), None, f.text.clone());
    }
    let a = &b.appropriation;
    // Every 项 the bureau used, from any fund, each once in code order.
    let used: BTreeMap<&str, &str> = [&a.general_budget, &a.gov_fund, &a.state_capital]
        .iter()
        .flat_map(|f| {
            f.items
                .iter()
                .map(|i| (i.code.value.as_str(), i.name.as_str()))
        })
        .chain(
            b.non_appropriation
                .iter()
                .map(|i| (i.code.value.as_str(), i.name.as_str())),
        )
        .collect();
    let subjects = if b.identity.form.policy.omit_subject_glossary {
        BTreeMap::new()
    } else {
        used
    };
    for (code, name) in subjects {
        if let Some(text) = b.catalog.get(code).and_then(|c| c.explanation.clone()) {
            push(code.to_string(), Some(path_of(b, code, name)), text);
        }
    }
    for f in &fixed.after {
        push(f.term.clone(), None, f.text.clone());
    }
    glossary
}
