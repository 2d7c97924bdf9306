//! 七、财政拨款“三公”经费支出决算情况：合计与各项的决算数、预算数、完成预算、与上年相比、
//! 占比，以及团组、车辆、接待的数量。
//!
//! An amount the input left out is absent here, and so is every figure computed from it: a
//! total is given when each of its parts is (or when the source's own total is declared), a
//! change, completion or share when both of its amounts are.

use super::{
    CountAmount, Maker, Operand, ReceptionDoc, ThreePublicDoc, ThreePublicPart, Totals, clause,
    given, given_amount,
};
use crate::model::Bureau;

pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> Option<ThreePublicDoc> {
    let tp = &b.three_public;
    // No “三公” fact at all: the part is left out (R051 says so), not printed as zeros.
    if !b.three_public_given() {
        return None;
    }
    let ov = &tp.overseas;
    let v = &tp.vehicle;
    let r = &tp.reception;
    let purchase_ops: Vec<Operand> = v
        .purchases
        .iter()
        .map(|p| Operand::fact(format!("{}购置费", p.kind.value), &p.amount))
        .collect();
    let running = given_amount("公务用车运行维护费", &v.running_actual);
    // The purchases are a list of rows (a blank row is 0, as in the tables): none listed is no
    // purchase where the vehicle's running cost or total is given, and unknown where nothing
    // about the vehicles is.
    let vehicle_given = !v.purchases.is_empty() || running.is_some() || v.declared_actual.is_some();
    let purchase = vehicle_given.then(|| {
        m.sum(
            "three_public.vehicle_purchase",
            "公务用车购置费",
            &purchase_ops,
        )
    });
    let vehicle = m.given_total(
        "three_public.vehicle.actual",
        "公务用车购置及运行维护费",
        t.vehicle_actual,
        &[purchase.clone(), running.clone()],
        v.declared_actual.is_some(),
    );
    let vehicle_budget = m.given_total(
        "three_public.vehicle.budget",
        "公务用车购置及运行维护费预算",
        t.vehicle_budget,
        &[
            given_amount("公务用车购置费预算", &v.purchase_budget),
            given_amount("公务用车运行维护费预算", &v.running_budget),
        ],
        false,
    );
    let vehicle_prior = m.given_total(
        "three_public.vehicle.prior",
        "上年公务用车购置及运行维护费",
        t.vehicle_prior,
        &[
            given_amount("上年公务用车购置费", &v.purchase_prior),
            given_amount("上年公务用车运行维护费", &v.running_prior),
        ],
        false,
    );
    // 外事接待费 is a part of the 公务接待费 a source may not print apart (上海：“含外宾接待支出”):
    // left out, the 公务接待费 is the 国内 one alone; with the 国内 one left out it is unknown.
    let reception_parts: Vec<Option<Operand>> =
        std::iter::once(given_amount("国内公务接待费", &r.domestic.actual))
            .chain(given_amount("外事接待费", &r.foreign.actual).map(Some))
            .collect();
    let reception = m.given_total(
        "three_public.reception.actual",
        "公务接待费",
        t.reception_actual,
        &reception_parts,
        false,
    );
    let overseas = given_amount("因公出国（境）费", &ov.actual);
    let tp_actual = m.given_total(
        "three_public.actual",
        "“三公”经费决算数",
        t.three_public_actual,
        &[overseas.clone(), vehicle.clone(), reception.clone()],
        tp.declared_actual.is_some(),
    );
    let overseas_budget = given_amount("因公出国（境）费预算", &ov.budget);
    let reception_budget = given_amount("公务接待费预算", &r.budget);
    let tp_budget = m.given_total(
        "three_public.budget",
        "“三公”经费预算数",
        t.three_public_budget,
        &[
            overseas_budget.clone(),
            vehicle_budget.clone(),
            reception_budget.clone(),
        ],
        tp.declared_budget.is_some(),
    );
    let overseas_prior = given_amount("上年因公出国（境）费", &ov.prior);
    let reception_prior = given_amount("上年公务接待费", &r.prior);
    let tp_prior = m.given_total(
        "three_public.prior",
        "上年“三公”经费",
        t.three_public_prior,
        &[
            overseas_prior.clone(),
            vehicle_prior.clone(),
            reception_prior.clone(),
        ],
        tp.declared_prior.is_some(),
    );
    let mut part = |key: &str,
                    actual: Option<&Operand>,
                    budget: Option<&Operand>,
                    prior: Option<&Operand>,
                    reason: &str| ThreePublicPart {
        actual: actual.map(|a| m.style.money(a.value)),
        share: m.given_share(
            &format!("three_public.{key}.share"),
            actual,
            tp_actual.as_ref(),
        ),
        completion: m.given_completion(&format!("three_public.{key}.completion"), actual, budget),
        change: m.given_change(&format!("three_public.{key}.change"), actual, prior),
        reason: clause(reason),
    };
    let overseas_doc = part(
        "overseas",
        overseas.as_ref(),
        overseas_budget.as_ref(),
        overseas_prior.as_ref(),
        &ov.reason.value,
    );
    let vehicle_doc = part(
        "vehicle",
        vehicle.as_ref(),
        vehicle_budget.as_ref(),
        vehicle_prior.as_ref(),
        &v.reason.value,
    );
    let reception_doc = part(
        "reception",
        reception.as_ref(),
        reception_budget.as_ref(),
        reception_prior.as_ref(),
        &r.reason.value,
    );
    let style = m.style.clone();
    let reception_part = |p: &crate::model::ReceptionPart| ReceptionDoc {
        actual: p.actual.loc.as_ref().map(|_| style.money(p.actual.value)),
        batches: given(&p.batches),
        people: given(&p.people),
        purpose: clause(&p.purpose.value),
        content: clause(&p.content.value),
    };
    let fleet_given = vehicle.is_some() || !v.fleet.is_empty();
    Some(ThreePublicDoc {
        actual: tp_actual.as_ref().map(|a| m.style.money(a.value)),
        budget: tp_budget.as_ref().map(|a| m.style.money(a.value)),
        completion: m.given_completion(
            "three_public.completion",
            tp_actual.as_ref(),
            tp_budget.as_ref(),
        ),
        change: m.given_change("three_public.change", tp_actual.as_ref(), tp_prior.as_ref()),
        reason: clause(&tp.reason.value),
        overseas: overseas_doc,
        vehicle: vehicle_doc,
        reception: reception_doc,
        overseas_groups: given(&ov.groups),
        overseas_people: given(&ov.people),
        vehicle_purchase: purchase.as_ref().map(|p| m.style.money(p.value)),
        vehicle_running: running.as_ref().map(|r| m.style.money(r.value)),
        vehicle_purchased: purchase
            .as_ref()
            .map(|_| v.purchases.iter().map(|p| p.count.value).sum()),
        vehicle_purchases: v
            .purchases
            .iter()
            .map(|p| CountAmount {
                kind: p.kind.value.clone(),
                count: p.count.value,
                amount: m.style.money(p.amount.value),
            })
            .collect(),
        vehicle_fleet_total: fleet_given.then(|| v.fleet.iter().map(|f| f.count.value).sum()),
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
    })
}
