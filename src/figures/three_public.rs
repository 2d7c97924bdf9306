//! 七、财政拨款“三公”经费支出决算情况：合计与各项的决算数、预算数、完成预算、与上年相比、
//! 占比，以及团组、车辆、接待的数量。

use super::{
    CountAmount, Maker, Operand, ReceptionDoc, ThreePublicDoc, ThreePublicPart, Totals, clause,
    given,
};
use crate::model::Bureau;

pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> ThreePublicDoc {
    let tp = &b.three_public;
    let ov = &tp.overseas;
    let v = &tp.vehicle;
    let r = &tp.reception;
    let purchase_ops: Vec<Operand> = v
        .purchases
        .iter()
        .map(|p| Operand::fact(format!("{}购置费", p.kind.value), &p.amount))
        .collect();
    let purchase = m.sum(
        "three_public.vehicle_purchase",
        "公务用车购置费",
        &purchase_ops,
    );
    let running = Operand::fact("公务用车运行维护费", &v.running_actual);
    let vehicle = m.total(
        "three_public.vehicle.actual",
        "公务用车购置及运行维护费",
        t.vehicle_actual,
        &[purchase.clone(), running.clone()],
    );
    let vehicle_budget = m.total(
        "three_public.vehicle.budget",
        "公务用车购置及运行维护费预算",
        t.vehicle_budget,
        &[
            Operand::fact("公务用车购置费预算", &v.purchase_budget),
            Operand::fact("公务用车运行维护费预算", &v.running_budget),
        ],
    );
    let vehicle_prior = m.total(
        "three_public.vehicle.prior",
        "上年公务用车购置及运行维护费",
        t.vehicle_prior,
        &[
            Operand::fact("上年公务用车购置费", &v.purchase_prior),
            Operand::fact("上年公务用车运行维护费", &v.running_prior),
        ],
    );
    let reception = m.total(
        "three_public.reception.actual",
        "公务接待费",
        t.reception_actual,
        &[
            Operand::fact("国内公务接待费", &r.domestic.actual),
            Operand::fact("外事接待费", &r.foreign.actual),
        ],
    );
    let overseas = Operand::fact("因公出国（境）费", &ov.actual);
    let tp_actual = m.total(
        "three_public.actual",
        "“三公”经费决算数",
        t.three_public_actual,
        &[overseas.clone(), vehicle.clone(), reception.clone()],
    );
    let tp_budget = m.total(
        "three_public.budget",
        "“三公”经费预算数",
        t.three_public_budget,
        &[
            Operand::fact("因公出国（境）费预算", &ov.budget),
            vehicle_budget.clone(),
            Operand::fact("公务接待费预算", &r.budget),
        ],
    );
    let tp_prior = m.total(
        "three_public.prior",
        "上年“三公”经费",
        t.three_public_prior,
        &[
            Operand::fact("上年因公出国（境）费", &ov.prior),
            vehicle_prior.clone(),
            Operand::fact("上年公务接待费", &r.prior),
        ],
    );
    let mut part =
        |key: &str, actual: &Operand, budget: &Operand, prior: &Operand, reason: &str| {
            ThreePublicPart {
                actual: m.style.money(actual.value),
                share: m.share(&format!("three_public.{key}.share"), actual, &tp_actual),
                completion: m.completion(&format!("three_public.{key}.completion"), actual, budget),
                change: m.change(&format!("three_public.{key}.change"), actual, prior),
                reason: clause(reason),
            }
        };
    let overseas_doc = part(
        "overseas",
        &overseas,
        &Operand::fact("因公出国（境）费预算", &ov.budget),
        &Operand::fact("上年因公出国（境）费", &ov.prior),
        &ov.reason.value,
    );
    let vehicle_doc = part(
        "vehicle",
        &vehicle,
        &vehicle_budget,
        &vehicle_prior,
        &v.reason.value,
    );
    let reception_doc = part(
        "reception",
        &reception,
        &Operand::fact("公务接待费预算", &r.budget),
        &Operand::fact("上年公务接待费", &r.prior),
        &r.reason.value,
    );
    let style = m.style.clone();
    let reception_part = |p: &crate::model::ReceptionPart| ReceptionDoc {
        actual: style.money(p.actual.value),
        batches: given(&p.batches),
        people: given(&p.people),
        purpose: clause(&p.purpose.value),
        content: clause(&p.content.value),
    };
    ThreePublicDoc {
        actual: m.style.money(tp_actual.value),
        budget: m.style.money(tp_budget.value),
        completion: m.completion("three_public.completion", &tp_actual, &tp_budget),
        change: m.change("three_public.change", &tp_actual, &tp_prior),
        reason: clause(&tp.reason.value),
        overseas: overseas_doc,
        vehicle: vehicle_doc,
        reception: reception_doc,
        overseas_groups: given(&ov.groups),
        overseas_people: given(&ov.people),
        vehicle_purchase: m.style.money(purchase.value),
        vehicle_running: m.style.money(running.value),
        vehicle_purchased: v.purchases.iter().map(|p| p.count.value).sum(),
        vehicle_purchases: v
            .purchases
            .iter()
            .map(|p| CountAmount {
                kind: p.kind.value.clone(),
                count: p.count.value,
                amount: m.style.money(p.amount.value),
            })
            .collect(),
        vehicle_fleet_total: v.fleet.iter().map(|f| f.count.value).sum(),
        vehicle_fleet: v
            .fleet
            .iter()
            .map(|f| CountAmount {
                kind: f.kind.value.clone(),
                count: f.count.value,
                amount: String::new(),
            })
            .collect(),
        domestic: reception_part(&r.domestic),
        foreign: reception_part(&r.foreign),
    }
}
