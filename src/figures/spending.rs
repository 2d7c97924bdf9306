//! 三、支出决算情况：本年支出按性质（基本支出、项目支出……）的各项、其合计与结构。

use super::{Maker, Operand, Structure, Totals};
use crate::model::Bureau;

/// 支出结构, and 本年支出合计 as an operand for the chapters that compare with it.
pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> (Structure, Operand) {
    let lines: Vec<Operand> = b
        .spending
        .natures()
        .iter()
        .map(|(l, a)| Operand::fact(*l, a))
        .collect();
    let total = m.total("spending.total", "本年支出合计", t.spending, &lines);
    let structure = m.structure("spending", &total, &lines);
    (structure, total)
}
