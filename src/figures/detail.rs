//! 上海格式起用的细节：编号的职责与引言、机构设置、“三公”的开支内容与用途、含外宾的国内公务接待、按表式类别的车辆。
//!
//! Facts and figures first needed by the Shanghai 2024 form, placed at `doc.detail` for any form's
//! templates: the duties with their Chinese numerals (the template places them, it does not count),
//! the paragraphs before them, the 机构设置 variant of a department of one unit, the 三公 contents
//! and purposes, 国内公务接待 with its 外宾 part inside it, and the vehicles in the form's categories.

use serde::Serialize;

use super::{clause, given};
use crate::model::Bureau;

#[derive(Debug, Serialize)]
pub struct DetailDoc {
    pub overview: OverviewDetail,
    pub three_public: ThreePublicDetail,
    pub assets: AssetsDetail,
}

#[derive(Debug, Serialize)]
pub struct OverviewDetail {
    /// 主要职能前的引言各段（第一条 …）.
    pub preamble: Vec<String>,
    /// The duties, each with its number and Chinese numeral (（一）…).
    pub duties: Vec<Numbered>,
    /// The department is one unit (单位构成 of at most one row): the 机构设置 variant.
    pub single_unit: bool,
    /// 机构设置 paragraphs, as given.
    pub setup: Vec<String>,
}

/// A list item with its place: `number` (1, 2 …) and `numeral` (一、二 …).
#[derive(Debug, Serialize)]
pub struct Numbered {
    pub number: usize,
    pub numeral: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct ThreePublicDetail {
    /// 因公出国（境）费的开支内容.
    pub overseas_content: String,
    /// 公务用车购置、运行维护费主要用于.
    pub purchase_purpose: String,
    pub running_purpose: String,
    /// 国内公务接待 as Shanghai prints it: the whole 公务接待费, 外宾接待 included.
    /// 国内与外宾接待合计的批次、人次：国内的没有填时不在（absent）。
    pub reception_batches: Option<i64>,
    pub reception_people: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct AssetsDetail {
    /// The vehicles in the form's categories (its `vehicle_kinds`, 0 where none is given), or as
    /// given when the form lists none.
    pub vehicles: Vec<KindCount>,
}

#[derive(Debug, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub count: i64,
}

/// Numbers a list from 1 with its Chinese numerals.
pub fn numbered<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<Numbered> {
    texts
        .into_iter()
        .enumerate()
        .map(|(n, text)| Numbered {
            number: n + 1,
            numeral: crate::form::chinese_number(n + 1),
            text: text.to_string(),
        })
        .collect()
}

/// The vehicles by the form's categories (counts of a kind given twice are added); the kinds as
/// given when the form has no list. A kind outside the list is left out here: R043 reports it.
pub fn vehicles_by_kind(b: &Bureau) -> Vec<KindCount> {
    let given = &b.assets.vehicles;
    let kinds = &b.identity.form.vehicle_kinds;
    if kinds.is_empty() {
        return given
            .iter()
            .map(|v| KindCount {
                kind: v.kind.value.clone(),
                count: v.count.value,
            })
            .collect();
    }
    kinds
        .iter()
        .map(|kind| KindCount {
            kind: kind.clone(),
            count: given
                .iter()
                .filter(|v| v.kind.value == *kind)
                .fold(0i64, |sum, v| sum.saturating_add(v.count.value)),
        })
        .collect()
}

pub(super) fn compute(b: &Bureau) -> DetailDoc {
    let o = &b.overview;
    let t = &b.three_public;
    let r = &t.reception;
    DetailDoc {
        overview: OverviewDetail {
            preamble: o.duties_preamble.iter().map(|p| p.value.clone()).collect(),
            duties: numbered(o.duties.iter().map(|d| d.value.as_str())),
            single_unit: o.units.len() <= 1,
            setup: o.setup.iter().map(|p| p.value.clone()).collect(),
        },
        three_public: ThreePublicDetail {
            overseas_content: clause(&t.overseas.content.value),
            purchase_purpose: clause(&t.vehicle.purchase_purpose.value),
            running_purpose: clause(&t.vehicle.running_purpose.value),
            reception_batches: given(&r.domestic.batches)
                .map(|n| n.saturating_add(r.foreign.batches.value)),
            reception_people: given(&r.domestic.people)
                .map(|n| n.saturating_add(r.foreign.people.value)),
        },
        assets: AssetsDetail {
            vehicles: vehicles_by_kind(b),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_numbered_past_the_old_fixed_thirty() {
        let texts: Vec<String> = (1..=32).map(|n| format!("第{n}条职责")).collect();
        let list = numbered(texts.iter().map(String::as_str));
        let at = |n: usize| (list[n - 1].number, list[n - 1].numeral.as_str());
        assert_eq!(at(1), (1, "一"));
        assert_eq!(at(10), (10, "十"));
        assert_eq!(at(12), (12, "十二"));
        assert_eq!(at(20), (20, "二十"));
        assert_eq!(at(31), (31, "三十一"));
        assert_eq!(list[31].text, "第32条职责");
        assert!(numbered([]).is_empty());
    }
}
