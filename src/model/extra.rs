//! 表式自己的事实：输入 `[extra]` 中的值，按表式的声明（form.toml 的 `[[facts]]`）校验。
//!
//! The input layer reads `[extra]` as keys and literals; only here, with the bureau's form known,
//! is each checked against its declaration: an amount like any amount (unit, decimals, sign), a
//! count like any count, a text as written. A key the form does not declare is E003 (a bureau
//! that switched forms keeps the old form's facts); the facts the form requires and the input
//! lacks are one E010 naming them all, so a bureau that switches forms is told what to fill in.

use crate::diagnostic::{Diagnostic, codes};
use crate::form::facts::{FactDecl, FactKind};
use crate::input::raw::{AmountLit, ExtraLit, RawBureau};

use super::{Amount, Count, Fact, Text};

/// How many undeclared `[extra]` keys are listed one by one (a runaway input lists the rest in
/// one finding).
const MAX_LISTED: usize = 50;

/// A form fact's value, of its declared kind.
#[derive(Clone, Debug)]
pub enum ExtraValue {
    Amount(Amount),
    Count(Count),
    Text(Text),
}

impl ExtraValue {
    pub fn loc(&self) -> Option<&crate::diagnostic::Location> {
        match self {
            ExtraValue::Amount(a) => a.loc.as_ref(),
            ExtraValue::Count(c) => c.loc.as_ref(),
            ExtraValue::Text(t) => t.loc.as_ref(),
        }
    }
}

/// One fact of the bureau's form, with its companions as given (`None`: left out).
#[derive(Clone, Debug)]
pub struct ExtraFact {
    pub decl: FactDecl,
    pub value: Option<ExtraValue>,
    pub prior: Option<ExtraValue>,
    pub budget: Option<ExtraValue>,
}

impl ExtraFact {
    /// The `[extra]` key of a companion: `<key>_prior`, `<key>_budget`.
    pub fn companion_key(key: &str, companion: &str) -> String {
        format!("{key}_{companion}")
    }
}

impl super::build::Builder<'_> {
    /// The form's facts, in its declaration order, from the input's `[extra]`.
    pub(super) fn extra(
        &mut self,
        raw: &RawBureau,
        form: &crate::form::Form,
        at: Option<crate::diagnostic::Location>,
    ) -> Vec<ExtraFact> {
        let mut used = std::collections::BTreeSet::new();
        let mut missing = Vec::new();
        let mut out = Vec::new();
        for decl in &form.facts {
            let mut read = |b: &mut Self, key: String| {
                let lit = raw.extra.get(&key)?;
                used.insert(key);
                b.extra_value(decl, lit)
            };
            let value = read(self, decl.key.clone());
            let prior = if decl.prior {
                read(self, ExtraFact::companion_key(&decl.key, "prior"))
            } else {
                None
            };
            let budget = if decl.budget {
                read(self, ExtraFact::companion_key(&decl.key, "budget"))
            } else {
                None
            };
            if decl.required && value.is_none() {
                missing.push(decl);
            }
            out.push(ExtraFact {
                decl: decl.clone(),
                value,
                prior,
                budget,
            });
        }
        let stray: Vec<_> = raw
            .extra
            .iter()
            .filter(|(k, _)| !used.contains(*k))
            .collect();
        if stray.len() > MAX_LISTED {
            let loc = self.loc(stray[MAX_LISTED].1.span());
            self.diags.push(
                Diagnostic::of(
                    codes::UNKNOWN_KEY,
                    format!(
                        "[extra] 中另有 {} 个表式 {} 没有声明的键（只逐条列出前 {MAX_LISTED} 个）",
                        stray.len() - MAX_LISTED,
                        form.key
                    ),
                )
                .at(&loc)
                .hint("[extra] 只写所选表式在 form.toml 中声明的事实。"),
            );
        }
        for (key, lit) in stray.into_iter().take(MAX_LISTED) {
            let declared: Vec<&str> = form.facts.iter().map(|f| f.key.as_str()).collect();
            let hint = if declared.is_empty() {
                format!(
                    "表式 {}（{}）没有声明自己的事实：删去这一项，或换用声明了它的表式。",
                    form.key, form.name
                )
            } else {
                format!(
                    "表式 {} 声明的事实有：{}（上年数、预算数写作 键_prior、键_budget）。",
                    form.key,
                    declared.join("、")
                )
            };
            let loc = self.loc(lit.span());
            self.diags.push(
                Diagnostic::of(
                    codes::UNKNOWN_KEY,
                    format!("未知字段 `extra.{key}`：表式 {} 没有声明这个事实", form.key),
                )
                .at(&loc)
                .hint(hint),
            );
        }
        if !missing.is_empty() {
            let list: Vec<String> = missing
                .iter()
                .map(|d| format!("{}（extra.{}，{}）", d.label, d.key, d.kind.name()))
                .collect();
            let mut d = Diagnostic::of(
                codes::FORM_FACTS,
                format!(
                    "表式 {}（{}）需要而输入没有的事实：{}",
                    form.key,
                    form.name,
                    list.join("；")
                ),
            )
            .hint(format!(
                "在输入的 [extra] 中填写（如 {} = …），或在工作簿的“{}”表中逐行填写；各事实的含义见表式的 form.toml。",
                missing[0].key, form.facts_sheet
            ));
            if let Some(l) = &at {
                d = d.at(l);
            }
            self.diags.push(d);
        }
        out
    }

    fn extra_value(
        &mut self,
        decl: &FactDecl,
        lit: &toml::Spanned<ExtraLit>,
    ) -> Option<ExtraValue> {
        let span = lit.span();
        match decl.kind {
            FactKind::Amount => {
                let amount_lit = match lit.get_ref() {
                    ExtraLit::Int(i) => AmountLit::Int(*i),
                    ExtraLit::Float(f) => AmountLit::Float(*f),
                    ExtraLit::Text(t) => AmountLit::Text(crate::money::nfkc(t).trim().to_string()),
                };
                let spanned = toml::Spanned::new(span, amount_lit);
                Some(ExtraValue::Amount(self.amount_of(&spanned)))
            }
            FactKind::Count => match lit.get_ref() {
                ExtraLit::Int(i) => {
                    let c = toml::Spanned::new(span, *i);
                    Some(ExtraValue::Count(self.count(&Some(c))))
                }
                _ => {
                    self.value_error(
                        span.clone(),
                        format!("`extra.{}`（{}）应是整数", decl.key, decl.label),
                        "填写个数，如 3。",
                    );
                    Some(ExtraValue::Count(Fact {
                        value: 0,
                        loc: Some(self.loc(span)),
                    }))
                }
            },
            FactKind::Text => {
                let text = match lit.get_ref() {
                    ExtraLit::Text(t) => t.trim().to_string(),
                    ExtraLit::Int(_) | ExtraLit::Float(_) => {
                        self.source.slice(span.clone()).trim().to_string()
                    }
                };
                Some(ExtraValue::Text(Fact {
                    value: text,
                    loc: Some(self.loc(span)),
                }))
            }
        }
    }
}
