//! 表式自己的事实与计算数：一个表式在 form.toml 中声明它要印、而内置模型没有的事实
//! （`[[facts]]`），以及由事实算出的数（`[[figures]]`）。
//!
//! A form's own facts live in their own namespace: the input writes them under `[extra]` (TOML)
//! or on the form's sheet (workbook), so they never collide with a built-in key. Their figures are
//! declared by name and operation (change, growth, share, completion, difference, sum) over named
//! facts — the form's own or the built-in ones listed in [`BUILTIN`] — and computed in Rust with
//! the form's number style and words (`figures::extra`); templates find both under `extra.<name>`.
//!
//! Data only: this module says what may be declared and checks a manifest's declarations; the
//! model reads the values and the figures compute.

use serde::{Deserialize, Serialize};

/// What kind of value a form's fact is.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// An amount in the bureau's unit (万元 or 元), like every built-in amount.
    Amount,
    /// A whole number (团组数、人次、辆、个).
    Count,
    /// A text printed as written (a reason, a description).
    Text,
}

impl FactKind {
    /// The kind in the user's words (messages, the workbook's 说明 column).
    pub fn name(self) -> &'static str {
        match self {
            FactKind::Amount => "金额",
            FactKind::Count => "数量",
            FactKind::Text => "文字",
        }
    }
}

/// One fact a form declares (`[[facts]]` in its form.toml).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FactDecl {
    /// Its key under `[extra]` (TOML) and in the 键 column of the form's sheet (workbook), and its
    /// name in the template context (`extra.<key>`): lower-case letters, digits and `_`.
    pub key: String,
    pub kind: FactKind,
    /// What it is, in Chinese (the workbook's 名称 column, diff and the ledger).
    pub label: String,
    /// How to fill it in (the workbook's 说明 column).
    #[serde(default)]
    pub help: String,
    /// It has a prior-year value (`<key>_prior`, the workbook's 上年 column), filled by
    /// `--previous` from last year's `<key>`; an amount or count with a prior gets its change.
    #[serde(default)]
    pub prior: bool,
    /// It has a budget (`<key>_budget`, the workbook's 预算 column); an amount with a budget gets
    /// its completion.
    #[serde(default)]
    pub budget: bool,
    /// The form's text needs it: an input without it is an error naming every such fact.
    #[serde(default)]
    pub required: bool,
}

/// What a declared figure computes.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FigureOp {
    /// 增加/减少 X，增长/下降 Y%: the first operand against the second.
    Change,
    /// 增长/下降 Y% only: the first operand against the second.
    Growth,
    /// 占 Y%: the first operand as a share of the second.
    Share,
    /// 完成 Y%: the first operand (决算) against the second (预算).
    Completion,
    /// The first operand minus the second (大于/小于 by sign).
    Difference,
    /// The sum of every operand.
    Sum,
}

impl FigureOp {
    /// How many operands it takes: exactly two, or (sum) at least two.
    fn operands_ok(self, n: usize) -> bool {
        match self {
            FigureOp::Sum => n >= 2,
            _ => n == 2,
        }
    }
}

/// One figure a form declares (`[[figures]]` in its form.toml).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FigureDecl {
    /// Its name in the template context (`extra.<name>`) and its id in the ledger.
    pub name: String,
    pub op: FigureOp,
    /// The facts it is computed from, by name: a form fact's key, a built-in fact of
    /// [`BUILTIN`], or either's companion (`<name>.prior`, `<name>.budget`).
    pub of: Vec<String>,
    /// What it is, in Chinese (the ledger's formula names it).
    #[serde(default)]
    pub label: String,
}

/// A built-in fact that figures may name, with its label and companions, as declared in
/// [`crate::schema::named`]; those with a prior or a budget get their change and completion by
/// name (`extra.<name>.change`, `.completion`) in every form, without a declaration.
pub type BuiltinFact = crate::schema::Named;

/// The built-in facts a form's figures may name (the model computes each one's value).
pub const BUILTIN: &[BuiltinFact] = crate::schema::NAMED;

impl FactKind {
    /// The kind of a built-in fact: a count when it is a whole number, else an amount.
    pub fn of_builtin(f: &BuiltinFact) -> FactKind {
        match f.kind {
            crate::schema::Kind::Int => FactKind::Count,
            _ => FactKind::Amount,
        }
    }
}

/// The built-in fact of this name.
pub fn builtin(name: &str) -> Option<&'static BuiltinFact> {
    BUILTIN.iter().find(|f| f.name == name)
}

/// A name a figure's operand may take: a fact (the form's or built-in) or its companion, with
/// its kind. `None` for a name that is neither.
pub fn operand_kind(name: &str, facts: &[FactDecl]) -> Option<FactKind> {
    let (base, companion) = match name.rsplit_once('.') {
        Some((base, c @ ("prior" | "budget"))) => (base, Some(c)),
        _ => (name, None),
    };
    if let Some(f) = facts.iter().find(|f| f.key == base) {
        let ok = match companion {
            None => true,
            Some("prior") => f.prior,
            Some(_) => f.budget,
        };
        return ok.then_some(f.kind);
    }
    let f = builtin(base)?;
    let ok = match companion {
        None => true,
        Some("prior") => f.prior.is_some(),
        Some(_) => f.budget.is_some(),
    };
    ok.then_some(FactKind::of_builtin(f))
}

/// The first problem of a form's declarations, in Chinese: a malformed or repeated name, a name
/// taken by a built-in fact, an operand that names nothing, the wrong number or kind of operands.
pub fn problem(facts: &[FactDecl], figures: &[FigureDecl]) -> Option<String> {
    let well_formed = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let mut names = std::collections::BTreeSet::new();
    for f in facts {
        if !well_formed(&f.key) {
            return Some(format!(
                "[[facts]] key = \"{}\" 只能由小写英文字母、数字和 _ 组成，以字母开头",
                f.key
            ));
        }
        if f.key.ends_with("_prior") || f.key.ends_with("_budget") {
            return Some(format!(
                "[[facts]] key = \"{}\"：以 _prior、_budget 结尾的键留给上年数、预算数（写 prior = true、budget = true）",
                f.key
            ));
        }
        if builtin(&f.key).is_some() {
            return Some(format!(
                "[[facts]] key = \"{}\" 与内置事实同名，请换一个名字",
                f.key
            ));
        }
        if f.kind == FactKind::Text && (f.prior || f.budget) {
            return Some(format!(
                "[[facts]] key = \"{}\"：文字没有上年数、预算数",
                f.key
            ));
        }
        if !names.insert(f.key.as_str()) {
            return Some(format!("[[facts]] key = \"{}\" 重复", f.key));
        }
    }
    for g in figures {
        if !well_formed(&g.name) {
            return Some(format!(
                "[[figures]] name = \"{}\" 只能由小写英文字母、数字和 _ 组成，以字母开头",
                g.name
            ));
        }
        if builtin(&g.name).is_some() || !names.insert(g.name.as_str()) {
            return Some(format!(
                "[[figures]] name = \"{}\" 与一个事实或另一个计算数同名",
                g.name
            ));
        }
        if !g.op.operands_ok(g.of.len()) {
            return Some(format!(
                "[[figures]] {}：{} 需要{}个事实（of = [...]），写了 {} 个",
                g.name,
                op_name(g.op),
                if g.op == FigureOp::Sum {
                    "至少两"
                } else {
                    "两"
                },
                g.of.len()
            ));
        }
        let mut kinds = Vec::new();
        for name in &g.of {
            match operand_kind(name, facts) {
                Some(FactKind::Text) => {
                    return Some(format!("[[figures]] {}：`{name}` 是文字，不能计算", g.name));
                }
                Some(k) => kinds.push(k),
                None => {
                    return Some(format!(
                        "[[figures]] {}：没有名为 `{name}` 的事实（表式的 [[facts]]、内置事实 {}，或其 .prior、.budget）",
                        g.name,
                        BUILTIN
                            .iter()
                            .map(|f| f.name)
                            .collect::<Vec<_>>()
                            .join("、")
                    ));
                }
            }
        }
        if kinds.windows(2).any(|w| w[0] != w[1]) {
            return Some(format!("[[figures]] {}：金额与数量不能一起计算", g.name));
        }
        if kinds.first() == Some(&FactKind::Count) && matches!(g.op, FigureOp::Completion) {
            return Some(format!("[[figures]] {}：数量没有完成预算", g.name));
        }
    }
    None
}

fn op_name(op: FigureOp) -> &'static str {
    match op {
        FigureOp::Change => "change",
        FigureOp::Growth => "growth",
        FigureOp::Share => "share",
        FigureOp::Completion => "completion",
        FigureOp::Difference => "difference",
        FigureOp::Sum => "sum",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(key: &str, kind: FactKind) -> FactDecl {
        FactDecl {
            key: key.into(),
            kind,
            label: key.into(),
            help: String::new(),
            prior: false,
            budget: false,
            required: false,
        }
    }

    #[test]
    fn declarations_are_checked() {
        let facts = vec![
            fact("base_2019", FactKind::Amount),
            fact("note", FactKind::Text),
        ];
        let ok = FigureDecl {
            name: "vs_2019".into(),
            op: FigureOp::Change,
            of: vec!["three_public".into(), "base_2019".into()],
            label: String::new(),
        };
        assert_eq!(problem(&facts, std::slice::from_ref(&ok)), None);
        let text = FigureDecl {
            of: vec!["three_public".into(), "note".into()],
            ..ok.clone()
        };
        assert!(problem(&facts, &[text]).unwrap().contains("是文字"));
        let unknown = FigureDecl {
            of: vec!["three_public".into(), "nothing".into()],
            ..ok.clone()
        };
        assert!(
            problem(&facts, &[unknown])
                .unwrap()
                .contains("没有名为 `nothing`")
        );
        let companion = FigureDecl {
            of: vec!["vehicle_running".into(), "vehicle_running.prior".into()],
            ..ok.clone()
        };
        assert_eq!(problem(&facts, &[companion]), None);
        assert!(problem(&[fact("overseas", FactKind::Amount)], &[]).is_some());
        assert!(problem(&[fact("Bad", FactKind::Amount)], &[]).is_some());
        assert!(problem(&[fact("x_prior", FactKind::Amount)], &[]).is_some());
    }
}
