//! 十（一）机关运行经费：决算数与上年相比。

use super::{Maker, Operand, RunningCostsDoc, clause};
use crate::model::Bureau;

pub(super) fn doc(m: &mut Maker, b: &Bureau) -> RunningCostsDoc {
    let rc = &b.running_costs;
    RunningCostsDoc {
        actual: m.fact("running_costs.actual", "机关运行经费", &rc.actual),
        change: m.change(
            "running_costs.change",
            &Operand::fact("机关运行经费", &rc.actual),
            &Operand::fact("上年机关运行经费", &rc.prior),
        ),
        reason: clause(&rc.reason.value),
    }
}
