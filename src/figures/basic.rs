//! 六、一般公共预算财政拨款基本支出决算情况：人员经费、公用经费及其经济分类款名。

use super::{BasicDoc, Maker, Operand, Totals};
use crate::catalog::Group;
use crate::model::{Bureau, EconomicItem};
use crate::money::Money;

pub(super) fn doc(m: &mut Maker, b: &Bureau, t: &Totals) -> BasicDoc {
    let economic = &b.appropriation.general_budget.economic;
    let mut group_doc = |id: &str, group: Group, value: Money| {
        let lines: Vec<&EconomicItem> = economic
            .iter()
            .filter(|e| e.group == group && !e.basic.value.is_zero())
            .collect();
        let parts: Vec<Operand> = lines
            .iter()
            .map(|e| Operand::fact(format!("{} {}", e.code.value, e.name), &e.basic))
            .collect();
        m.total(id, group.label(), value, &parts);
        let names = lines.iter().map(|e| e.name.clone()).collect();
        (m.style.money(value), names)
    };
    let (personnel, personnel_items) = group_doc("basic.personnel", Group::Personnel, t.personnel);
    let (operating, operating_items) = group_doc("basic.operating", Group::Operating, t.operating);
    BasicDoc {
        total: m.style.money(t.general_budget_basic),
        personnel,
        operating,
        personnel_items,
        operating_items,
    }
}
