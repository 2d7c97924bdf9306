//! 十（二）政府采购支出情况：总额与货物、工程、服务，授予中小企业、小微企业的金额及占比，
//! 预留份额（上海格式）。没有填的金额不在，由它算出的总额、占比也不在。

use super::{Maker, ProcurementDoc, Totals, clause, given_amount};
use crate::model::Bureau;

pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> ProcurementDoc {
    let p = &b.procurement;
    let total = m.given_total(
        "procurement.total",
        "政府采购支出总额",
        t.procurement,
        &[
            given_amount("货物", &p.goods),
            given_amount("工程", &p.works),
            given_amount("服务", &p.services),
        ],
        p.declared_total.is_some(),
    );
    let sme = given_amount("授予中小企业合同金额", &p.sme);
    let small = given_amount("授予小微企业合同金额", &p.small_micro);
    let style = m.style.clone();
    let money = |a: &crate::model::Amount| a.loc.as_ref().map(|_| style.money(a.value));
    ProcurementDoc {
        total: total.as_ref().map(|t| m.style.money(t.value)),
        goods: money(&p.goods),
        works: money(&p.works),
        services: money(&p.services),
        sme: money(&p.sme),
        sme_share: m.given_share("procurement.sme_share", sme.as_ref(), total.as_ref()),
        small_micro: money(&p.small_micro),
        small_micro_share: m.given_share(
            "procurement.small_micro_share",
            small.as_ref(),
            total.as_ref(),
        ),
        purpose: clause(&p.purpose.value),
        sme_reserved: money(&p.sme_reserved),
        small_micro_reserved: money(&p.small_micro_reserved),
        sme_reserved_awarded: money(&p.sme_reserved_awarded),
        small_micro_reserved_awarded: money(&p.small_micro_reserved_awarded),
        sme_other_awarded: money(&p.sme_other_awarded),
    }
}
