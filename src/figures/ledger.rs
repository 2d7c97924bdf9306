//! 数字来源登记：每个打印出来的数都记下公式和参与计算的输入（文件:行:列）。

use serde::Serialize;

use crate::arith::money_text;
use crate::diagnostic::Location;
use crate::model::Amount;
use crate::money::Money;

/// One printed figure: its id in the document context, the printed text, the formula and the
/// inputs it was computed from.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    pub id: String,
    pub value: String,
    pub formula: String,
    pub inputs: Vec<Input>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Input {
    pub label: String,
    pub value: String,
    /// `file:line:col`, or `计算` for a figure derived from other facts.
    pub source: String,
}

/// An operand: a label, a value, and where it came from (`None` = derived or defaulted).
#[derive(Clone, Debug)]
pub struct Operand {
    pub label: String,
    pub value: Money,
    pub loc: Option<Location>,
}

impl Operand {
    pub fn fact(label: impl Into<String>, a: &Amount) -> Operand {
        Operand {
            label: label.into(),
            value: a.value,
            loc: a.loc.clone(),
        }
    }

    pub fn derived(label: impl Into<String>, value: Money) -> Operand {
        Operand {
            label: label.into(),
            value,
            loc: None,
        }
    }
}

/// The list of records, in the order the figures are made.
#[derive(Debug, Default, Serialize)]
#[serde(transparent)]
pub struct Ledger(pub Vec<Record>);

impl Ledger {
    pub fn record(&mut self, id: &str, value: &str, formula: &str, inputs: &[Operand]) {
        self.0.push(Record {
            id: id.to_string(),
            value: value.to_string(),
            formula: formula.to_string(),
            inputs: inputs
                .iter()
                .map(|o| Input {
                    label: o.label.clone(),
                    value: money_text(o.value),
                    source: o
                        .loc
                        .as_ref()
                        .map_or_else(|| "计算".to_string(), |l| l.to_string()),
                })
                .collect(),
        });
    }

    /// A figure computed from counts (团组数、人次): its inputs are whole numbers, derived or
    /// given (with where each was typed).
    pub fn record_counts(
        &mut self,
        id: &str,
        value: &str,
        formula: &str,
        inputs: &[(&str, i64, Option<Location>)],
    ) {
        self.0.push(Record {
            id: id.to_string(),
            value: value.to_string(),
            formula: formula.to_string(),
            inputs: inputs
                .iter()
                .map(|(label, v, loc)| Input {
                    label: label.to_string(),
                    value: v.to_string(),
                    source: loc
                        .as_ref()
                        .map_or_else(|| "计算".to_string(), |l| l.to_string()),
                })
                .collect(),
        });
    }

    /// A figure typed as text and printed as given (an indicator's 指标值 written as “≥95%”):
    /// its one input is the text itself, with where it was typed.
    pub fn record_text(&mut self, id: &str, value: &str, label: &str, loc: Option<&Location>) {
        self.0.push(Record {
            id: id.to_string(),
            value: value.to_string(),
            formula: "输入（文字，照录）".to_string(),
            inputs: vec![Input {
                label: label.to_string(),
                value: value.to_string(),
                source: loc.map_or_else(|| "计算".to_string(), |l| l.to_string()),
            }],
        });
    }
}
