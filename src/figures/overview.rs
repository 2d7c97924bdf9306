//! 部门概况：职能、重点工作任务、单位构成（facts, as given; the 单位 count is their sum）.

use super::{KeyTaskDoc, OverviewDoc, UnitDoc};
use crate::model::Bureau;

pub(super) fn doc(b: &Bureau) -> OverviewDoc {
    let o = &b.overview;
    OverviewDoc {
        duties: o.duties.iter().map(|d| d.value.clone()).collect(),
        key_tasks: o
            .key_tasks
            .iter()
            .map(|k| KeyTaskDoc {
                title: k.title.value.clone(),
                paragraphs: k.paragraphs.iter().map(|p| p.value.clone()).collect(),
            })
            .collect(),
        units_total: o.administrative.value
            + o.civil_service_managed.value
            + o.other_institutions.value,
        administrative: o.administrative.value,
        civil_service_managed: o.civil_service_managed.value,
        other_institutions: o.other_institutions.value,
        units: o
            .units
            .iter()
            .enumerate()
            .map(|(n, u)| UnitDoc {
                number: n + 1,
                name: u.name.value.clone(),
                note: u.note.value.clone(),
            })
            .collect(),
    }
}
