//! 政府采购的合计与中小企业、小微企业的包含关系（R013、R014）。

use super::{Part, check_declared, codes};
use crate::arith::money_text;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Bureau;
use crate::model::Totals;

pub(super) fn check(b: &Bureau, totals: &Totals, d: &mut Diagnostics) {
    let p = &b.procurement;
    let total = totals.procurement;
    if let Some(declared) = &p.declared_total {
        let parts = [
            Part::fact("货物", &p.goods),
            Part::fact("工程", &p.works),
            Part::fact("服务", &p.services),
        ];
        check_declared(
            d,
            b,
            codes::PROCUREMENT_TOTAL,
            "政府采购支出总额",
            declared,
            "货物、工程、服务之和",
            &parts,
        );
    }
    if p.small_micro.value > p.sme.value {
        d.push(
            Diagnostic::of(
                codes::PROCUREMENT_SME,
                format!(
                    "授予小微企业合同金额 {} 大于授予中小企业合同金额 {}",
                    money_text(p.small_micro.value),
                    money_text(p.sme.value)
                ),
            )
            .at_opt(p.small_micro.loc.as_ref())
            .hint("小微企业是中小企业的一部分：小微企业金额 ≤ 中小企业金额。"),
        );
    }
    if p.sme.value > total {
        d.push(
            Diagnostic::of(
                codes::PROCUREMENT_SME,
                format!(
                    "授予中小企业合同金额 {} 大于政府采购支出总额 {}（货物 + 工程 + 服务）",
                    money_text(p.sme.value),
                    money_text(total)
                ),
            )
            .at_opt(p.sme.loc.as_ref())
            .hint("中小企业合同金额是采购总额的一部分。"),
        );
    }
}
