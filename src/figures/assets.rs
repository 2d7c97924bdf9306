//! 十（三）国有资产占有使用情况：车辆（按类别）与单价 100 万元以上的设备（facts, as given）.

use super::{AssetsDoc, CountAmount};
use crate::model::Bureau;

pub(super) fn doc(b: &Bureau) -> AssetsDoc {
    AssetsDoc {
        vehicle_total: b.assets.vehicles.iter().map(|v| v.count.value).sum(),
        vehicles: b
            .assets
            .vehicles
            .iter()
            .map(|v| CountAmount {
                kind: v.kind.value.clone(),
                count: v.count.value,
                amount: String::new(),
            })
            .collect(),
        large_equipment: super::given(&b.assets.large_equipment),
    }
}
