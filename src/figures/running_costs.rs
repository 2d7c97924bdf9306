//! 十（一）机关运行经费：决算数与上年相比（没有填的数不印，由它算出的增减也不印）。

use super::{Maker, RunningCostsDoc, clause, given_amount, label};
use crate::model::Bureau;

pub(super) fn doc(m: &mut Maker, b: &Bureau) -> RunningCostsDoc {
    let rc = &b.running_costs;
    let actual = given_amount(label("running_costs.actual"), &rc.actual);
    let prior = given_amount(label("running_costs.prior"), &rc.prior);
    RunningCostsDoc {
        actual: m.given_fact("running_costs.actual", actual.as_ref()),
        change: m.given_change("running_costs.change", actual.as_ref(), prior.as_ref()),
        reason: clause(&rc.reason.value),
    }
}
