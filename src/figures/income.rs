//! 二、收入决算情况：本年收入的各项、其合计与结构（各项占比）。

use super::{Maker, Operand, Structure, Totals};
use crate::model::Bureau;

/// 本年收入的各项与其合计：第一章的收入总计和第二章的收入结构都由此而来。
pub(super) struct IncomeFigures {
    pub lines: Vec<Operand>,
    pub total: Operand,
}

/// 本年收入合计 from its lines, recorded once.
pub(super) fn figures(m: &mut Maker, b: &Bureau, t: &Totals) -> IncomeFigures {
    let lines: Vec<Operand> = b
        .income
        .sources()
        .iter()
        .map(|(l, a)| Operand::fact(*l, a))
        .collect();
    let total = m.total("income.total", "本年收入合计", t.income, &lines);
    IncomeFigures { lines, total }
}

/// 收入结构. A form may state the three 财政拨款 sources as one line (财政拨款收入).
pub(super) fn doc(m: &mut Maker, b: &Bureau, income: &IncomeFigures) -> Structure {
    if b.identity.form.policy.merge_appropriation_income {
        let (appropriation, rest) = income.lines.split_at(income.lines.len().min(3));
        let merged = m.sum("income.appropriation", "财政拨款收入", appropriation);
        let lines: Vec<Operand> = std::iter::once(merged)
            .chain(rest.iter().cloned())
            .collect();
        m.structure("income", &income.total, &lines)
    } else {
        m.structure("income", &income.total, &income.lines)
    }
}
