//! 表式自己的事实与计算数（模板中的 `extra.<名称>`）。
//!
//! Three kinds of names, all under the one context key `extra`:
//! - each fact the form declares (`[[facts]]`): its value as printed, its prior and budget, and —
//!   when it has them — its change (增加/减少…，增长/下降…%) and completion;
//! - each built-in fact with a prior or a budget ([`crate::form::facts::BUILTIN`]): the same, by
//!   name, in every form without a declaration (`extra.vehicle_purchase.completion`);
//! - each figure the form declares (`[[figures]]`): change, growth, share, completion,
//!   difference or sum over named facts.
//!
//! Every number is computed by `arith::Style` (the form's number style, zero policies and words)
//! and recorded in the ledger under `extra.…` with its formula and inputs.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Maker, Operand, Totals, clause};
use crate::arith::{Change, Completion, Growth, Relation};
use crate::form::facts::{BUILTIN, BuiltinFact, FigureDecl, FigureOp};
use crate::model::extra::{ExtraFact, ExtraValue};
use crate::model::{Bureau, FactValue};
use crate::money::Money;
use crate::schema::Source;

/// The `extra` of the template context, by name.
pub type ExtraDoc = BTreeMap<String, Entry>;

/// One name under `extra`: a fact with its companions and figures, or a declared figure.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Entry {
    Fact(Box<FactDoc>),
    Figure(FigureDoc),
}

/// A fact as printed, with what its companions give. A part the input left out is absent (not
/// "" and not 0), so a template that prints it without asking fails the build.
#[derive(Debug, Serialize)]
pub struct FactDoc {
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prior: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<String>,
    /// Against the prior: 增加/减少 X，增长/下降 Y%.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// Against the prior: 增长/下降 Y% only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub growth: Option<Growth>,
    /// Against the budget: 完成 Y%, 大于/小于/持平.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion: Option<Completion>,
}

/// A declared figure's value, by its operation.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum FigureDoc {
    Change(Change),
    Growth(Growth),
    Completion(Completion),
    /// A share (占 Y%): `percent`.
    Share {
        percent: String,
    },
    /// A difference: the absolute amount and whether the first is greater, less or equal.
    Difference {
        amount: String,
        kind: Relation,
        relation: String,
    },
    /// A sum: the amount.
    Sum {
        value: String,
    },
}

/// A number a figure can take: an amount (with where it came from) or a count.
#[derive(Clone, Debug)]
pub(crate) enum Number {
    Money(Operand),
    Count {
        label: String,
        value: i64,
        loc: Option<crate::diagnostic::Location>,
    },
}

impl Number {
    fn label(&self) -> &str {
        match self {
            Number::Money(o) => &o.label,
            Number::Count { label, .. } => label,
        }
    }
}

/// A fact's value and companions, as numbers (`None`: left out, or a text).
pub(crate) struct Numbers {
    pub(crate) value: Option<Number>,
    pub(crate) prior: Option<Number>,
    pub(crate) budget: Option<Number>,
}

pub(crate) fn builtin_numbers(b: &Bureau, t: &Totals, f: &BuiltinFact) -> Numbers {
    let label = f.label.to_string();
    let computed = if [Some(f.value), f.prior, f.budget].contains(&Some(Source::Computed)) {
        computed_numbers(b, t, f)
    } else {
        Numbers {
            value: None,
            prior: None,
            budget: None,
        }
    };
    // An input fact is read by its declared key (`model::Facts` holds what the input gives);
    // one left out is absent (issue 19 point 4): no change or completion is computed from it.
    let by_key = |source: Option<Source>, label: String, computed: Option<Number>| match source? {
        Source::Key(key) => match b.facts.get(key)? {
            FactValue::Amount(a) => Some(Number::Money(Operand::fact(label, a))),
            FactValue::Count(c) => Some(Number::Count {
                label,
                value: c.value,
                loc: c.loc.clone(),
            }),
            FactValue::Text(_) | FactValue::Number(_) => None,
        },
        Source::Computed => computed,
    };
    Numbers {
        value: by_key(Some(f.value), label.clone(), computed.value),
        prior: by_key(f.prior, format!("上年{label}"), computed.prior),
        budget: by_key(f.budget, format!("{label}预算"), computed.budget),
    }
}

/// The values of the named facts the model computes (`Source::Computed`): totals of parts or
/// of rows. A total is given when each of its parts is, or when the source declared it (as in
/// `three_public`, `procurement`): otherwise it is absent, not the sum of zeros.
fn computed_numbers(b: &Bureau, t: &Totals, f: &BuiltinFact) -> Numbers {
    let tp = &b.three_public;
    let v = &tp.vehicle;
    let derived_if = |given: bool, label: String, m: Money| {
        given.then(|| Number::Money(Operand::derived(label, m)))
    };
    let derived = |label: String, m: Money| Some(Number::Money(Operand::derived(label, m)));
    let has = |a: &crate::model::Amount| a.loc.is_some();
    let r = &tp.reception;
    let vehicle_rows =
        !v.purchases.is_empty() || has(&v.running_actual) || v.declared_actual.is_some();
    let vehicle_actual = has(&v.running_actual) || v.declared_actual.is_some();
    let vehicle_prior = has(&v.purchase_prior) && has(&v.running_prior);
    let vehicle_budget = has(&v.purchase_budget) && has(&v.running_budget);
    // 公务接待费 = 国内 + 外事: given with either part (most packages have no 外事接待).
    let reception_actual = has(&r.domestic.actual) || has(&r.foreign.actual);
    let tp_actual = tp.declared_actual.is_some()
        || (has(&tp.overseas.actual) && vehicle_actual && reception_actual);
    let tp_prior =
        tp.declared_prior.is_some() || (has(&tp.overseas.prior) && vehicle_prior && has(&r.prior));
    let tp_budget = tp.declared_budget.is_some()
        || (has(&tp.overseas.budget) && vehicle_budget && has(&r.budget));
    let p = &b.procurement;
    let procurement =
        p.declared_total.is_some() || (has(&p.goods) && has(&p.works) && has(&p.services));
    let summed = |given: bool, c: i64| {
        given.then(|| Number::Count {
            label: f.label.to_string(),
            value: c,
            loc: None,
        })
    };
    let prior_label = format!("上年{}", f.label);
    let budget_label = format!("{}预算", f.label);
    let label = f.label.to_string();
    let value = |value| Numbers {
        value,
        prior: None,
        budget: None,
    };
    match f.name {
        "three_public" => Numbers {
            value: derived_if(tp_actual, label, t.three_public_actual),
            prior: derived_if(tp_prior, prior_label, t.three_public_prior),
            budget: derived_if(tp_budget, budget_label, t.three_public_budget),
        },
        "vehicle" => Numbers {
            value: derived_if(vehicle_actual, label, t.vehicle_actual),
            prior: derived_if(vehicle_prior, prior_label, t.vehicle_prior),
            budget: derived_if(vehicle_budget, budget_label, t.vehicle_budget),
        },
        "vehicle_purchase" => value(derived_if(vehicle_rows, label, v.purchase_actual())),
        "reception" => value(derived_if(reception_actual, label, t.reception_actual)),
        "general_budget" => value(derived(label, t.general_budget)),
        "grand_total" => value(derived(label, t.income_grand)),
        "appropriation_grand" => value(derived(label, t.appropriation_grand)),
        "income_total" => value(derived(label, t.income)),
        "spending_total" => value(derived(label, t.spending)),
        "procurement" => value(derived_if(procurement, label, t.procurement)),
        "vehicles_purchased" => value(summed(
            vehicle_rows,
            v.purchases.iter().map(|p| p.count.value).sum(),
        )),
        "vehicle_fleet" => value(summed(
            vehicle_actual || !v.fleet.is_empty(),
            v.fleet.iter().map(|p| p.count.value).sum(),
        )),
        other => unreachable!(
            "built-in fact `{other}` is declared computed (src/schema/named.rs) but figures::extra computes no value for it"
        ),
    }
}

fn form_numbers(f: &ExtraFact) -> Numbers {
    let number = |v: &Option<ExtraValue>, label: String| match v {
        Some(ExtraValue::Amount(a)) => Some(Number::Money(Operand::fact(label, a))),
        Some(ExtraValue::Count(c)) => Some(Number::Count {
            label,
            value: c.value,
            loc: c.loc.clone(),
        }),
        Some(ExtraValue::Text(_)) | None => None,
    };
    let label = &f.decl.label;
    Numbers {
        value: number(&f.value, label.clone()),
        prior: number(&f.prior, format!("上年{label}")),
        budget: number(&f.budget, format!("{label}预算")),
    }
}

/// Computes `extra`: the form's facts, the built-in facts' figures by name, the form's figures.
pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> ExtraDoc {
    let mut out = ExtraDoc::new();
    let mut numbers: BTreeMap<String, Numbers> = BTreeMap::new();
    for f in BUILTIN {
        let n = builtin_numbers(b, t, f);
        if f.prior.is_some() || f.budget.is_some() {
            // Those the document computes anyway are in the ledger under their own ids; the
            // others (the vehicle sub-items) are recorded here.
            let record = !RECORDED_BY_THE_DOCUMENT.contains(&f.name);
            let d = fact_doc(m, f.name, f.label, &n, None, record);
            out.insert(f.name.to_string(), Entry::Fact(Box::new(d)));
        }
        numbers.insert(f.name.to_string(), n);
    }
    for f in &b.extra {
        let n = form_numbers(f);
        let text = match &f.value {
            Some(ExtraValue::Text(t)) => Some(clause(&t.value)),
            _ => None,
        };
        if let Some(Number::Money(o)) = &n.value {
            m.money(&format!("extra.{}", f.decl.key), o, "输入");
        }
        let d = fact_doc(m, &f.decl.key, &f.decl.label, &n, text, true);
        out.insert(f.decl.key.clone(), Entry::Fact(Box::new(d)));
        numbers.insert(f.decl.key.clone(), n);
    }
    for g in &b.identity.form.figures {
        if let Some(d) = figure(m, g, &numbers) {
            out.insert(g.name.clone(), Entry::Figure(d));
        }
    }
    out
}

fn printed(m: &Maker, n: &Number) -> String {
    match n {
        Number::Money(o) => m.style.money(o.value),
        Number::Count { value, .. } => value.to_string(),
    }
}

/// The built-in facts whose change and completion the document computes and records anyway
/// (`three_public.change`, `totals.change` …): `extra` gives the same figures by name without
/// recording them twice.
const RECORDED_BY_THE_DOCUMENT: &[&str] = &[
    "three_public",
    "overseas",
    "vehicle",
    "reception",
    "running_costs",
    "general_budget",
    "grand_total",
    "appropriation_grand",
];

fn fact_doc(
    m: &mut Maker,
    name: &str,
    label: &str,
    n: &Numbers,
    text: Option<String>,
    record: bool,
) -> FactDoc {
    let id = format!("extra.{name}");
    let (change, growth) = match (&n.value, &n.prior) {
        (Some(Number::Money(v)), Some(Number::Money(p))) if !record => {
            let c = m.style.change(v.value, p.value);
            let g = Growth::of(&c);
            (Some(c), Some(g))
        }
        (Some(v), Some(p)) => {
            let c = change(m, &format!("{id}.change"), v, p);
            let g = Growth::of(&c);
            (Some(c), Some(g))
        }
        _ => (None, None),
    };
    let completion = match (&n.value, &n.budget) {
        (Some(Number::Money(a)), Some(Number::Money(bu))) if !record => {
            Some(m.style.completion(a.value, bu.value))
        }
        (Some(Number::Money(a)), Some(Number::Money(bu))) => {
            Some(m.completion(&format!("{id}.completion"), a, bu))
        }
        _ => None,
    };
    FactDoc {
        label: label.to_string(),
        value: text.or_else(|| n.value.as_ref().map(|v| printed(m, v))),
        prior: n.prior.as_ref().map(|v| printed(m, v)),
        budget: n.budget.as_ref().map(|v| printed(m, v)),
        change,
        growth,
        completion,
    }
}

/// The change from `prior` to `current` (amounts or counts), recorded.
fn change(m: &mut Maker, id: &str, current: &Number, prior: &Number) -> Change {
    match (current, prior) {
        (Number::Money(c), Number::Money(p)) => m.change(id, c, p),
        _ => {
            let (cv, pv) = (count_of(current), count_of(prior));
            let loc = |n: &Number| match n {
                Number::Count { loc, .. } => loc.clone(),
                Number::Money(o) => o.loc.clone(),
            };
            let c = m.style.count_change(cv, pv);
            m.ledger.record_counts(
                id,
                &format!(
                    "{}{} {}%",
                    c.verb,
                    c.amount,
                    c.percent.as_deref().unwrap_or("—")
                ),
                &format!(
                    "|{0} − {1}| ；|{0} − {1}| ÷ {1} × 100%",
                    current.label(),
                    prior.label()
                ),
                &[
                    (current.label(), cv, loc(current)),
                    (prior.label(), pv, loc(prior)),
                ],
            );
            c
        }
    }
}

fn count_of(n: &Number) -> i64 {
    match n {
        Number::Count { value, .. } => *value,
        // Declarations never mix amounts and counts (`form::facts::problem`).
        Number::Money(o) => i64::try_from(o.value.0.trunc().mantissa()).unwrap_or(0),
    }
}

/// The operand a figure names: a fact or its companion. `None` when the input left it out.
fn operand<'n>(numbers: &'n BTreeMap<String, Numbers>, name: &str) -> Option<&'n Number> {
    let (base, companion) = match name.rsplit_once('.') {
        Some((base, c @ ("prior" | "budget"))) => (base, Some(c)),
        _ => (name, None),
    };
    let n = numbers.get(base)?;
    match companion {
        None => n.value.as_ref(),
        Some("prior") => n.prior.as_ref(),
        Some(_) => n.budget.as_ref(),
    }
}

/// A declared figure; `None` when an operand was left out (the template finds it absent).
fn figure(m: &mut Maker, g: &FigureDecl, numbers: &BTreeMap<String, Numbers>) -> Option<FigureDoc> {
    let ops: Vec<&Number> =
        g.of.iter()
            .map(|name| operand(numbers, name))
            .collect::<Option<_>>()?;
    let id = format!("extra.{}", g.name);
    let money = |n: &Number| match n {
        Number::Money(o) => o.clone(),
        Number::Count { label, value, loc } => Operand {
            label: label.clone(),
            value: Money(rust_decimal::Decimal::from(*value)),
            loc: loc.clone(),
        },
    };
    Some(match g.op {
        FigureOp::Change => FigureDoc::Change(change(m, &id, ops[0], ops[1])),
        FigureOp::Growth => FigureDoc::Growth(Growth::of(&change(m, &id, ops[0], ops[1]))),
        FigureOp::Completion => {
            FigureDoc::Completion(m.completion(&id, &money(ops[0]), &money(ops[1])))
        }
        FigureOp::Share => FigureDoc::Share {
            percent: m.share(&id, &money(ops[0]), &money(ops[1])),
        },
        FigureOp::Difference => {
            let (a, b) = (money(ops[0]), money(ops[1]));
            let d = m.style.difference(a.value, b.value);
            let amount = if matches!(ops[0], Number::Count { .. }) {
                (a.value - b.value).0.abs().normalize().to_string()
            } else {
                d.amount.clone()
            };
            m.ledger.record(
                &id,
                &format!("{}{}", d.relation, amount),
                &format!("|{} − {}|", a.label, b.label),
                &[a, b],
            );
            FigureDoc::Difference {
                amount,
                kind: d.kind,
                relation: d.relation,
            }
        }
        FigureOp::Sum => {
            let parts: Vec<Operand> = ops.iter().map(|n| money(n)).collect();
            let label = if g.label.is_empty() {
                g.name.clone()
            } else {
                g.label.clone()
            };
            let total = m.sum(&id, &label, &parts);
            let value = if matches!(ops[0], Number::Count { .. }) {
                total.value.0.normalize().to_string()
            } else {
                m.style.money(total.value)
            };
            FigureDoc::Sum { value }
        }
    })
}
