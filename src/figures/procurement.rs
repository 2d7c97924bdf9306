//! 十（二）政府采购支出情况：总额与货物、工程、服务，授予中小企业、小微企业的金额及占比，
//! 预留份额（上海格式）。

use super::{Maker, Operand, ProcurementDoc, Totals, clause};
use crate::model::Bureau;

pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> ProcurementDoc {
    let p = &b.procurement;
    let total = m.total(
        "procurement.total",
        "政府采购支出总额",
        t.procurement,
        &[
            Operand::fact("货物", &p.goods),
            Operand::fact("工程", &p.works),
            Operand::fact("服务", &p.services),
        ],
    );
    let sme = Operand::fact("授予中小企业合同金额", &p.sme);
    let small = Operand::fact("授予小微企业合同金额", &p.small_micro);
    ProcurementDoc {
        total: m.style.money(total.value),
        goods: m.style.money(p.goods.value),
        works: m.style.money(p.works.value),
        services: m.style.money(p.services.value),
        sme: m.style.money(sme.value),
        sme_share: m.share("procurement.sme_share", &sme, &total),
        small_micro: m.style.money(small.value),
        small_micro_share: m.share("procurement.small_micro_share", &small, &total),
        purpose: clause(&p.purpose.value),
        sme_reserved: m.style.money(p.sme_reserved.value),
        small_micro_reserved: m.style.money(p.small_micro_reserved.value),
        sme_reserved_awarded: m.style.money(p.sme_reserved_awarded.value),
        small_micro_reserved_awarded: m.style.money(p.small_micro_reserved_awarded.value),
        sme_other_awarded: m.style.money(p.sme_other_awarded.value),
    }
}
