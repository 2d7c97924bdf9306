//! 图1–图3 的几何：收、支总计变动柱状图，收入、支出结构饼图。
//!
//! The charts only draw figures that are already printed in the text (amounts and shares come
//! from `arith`); this module turns them into lengths and polygon points for the template. The
//! trigonometry of the pie uses `f64`: these are drawing coordinates, and no printed number passes
//! through them.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::arith::{printed, round_half_up};
use crate::money::Money;

/// Tallest bar, in millimetres.
const BAR_MAX_MM: i64 = 45;
/// Pie radius, in millimetres.
const PIE_RADIUS_MM: f64 = 24.0;
/// Colours available in the template's palette.
const PALETTE: usize = 8;

#[derive(Debug, Serialize)]
pub struct BarChart {
    pub series: Vec<String>,
    pub groups: Vec<BarGroup>,
}

#[derive(Debug, Serialize)]
pub struct BarGroup {
    pub label: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub value: String,
    /// Height in mm, 2 decimals.
    pub height: String,
    pub color: usize,
}

/// 图1–图3 of the document: 收、支总计 against the prior year, and the income and spending
/// structures.
pub(super) fn doc(
    b: &crate::model::Bureau,
    t: &super::Totals,
    grand: &super::Operand,
    style: &crate::arith::Style,
) -> super::Charts {
    let year = b.identity.year.value;
    let (prior_year, this_year) = (format!("{}年", year - 1), format!("{year}年"));
    // The prior year's bars only when its total is given (a left-out amount is not drawn as 0).
    let totals = match b.prior.total.loc {
        Some(_) => bars(
            &[&prior_year, &this_year],
            &[
                ("收入总计", vec![b.prior.total.value, grand.value]),
                ("支出总计", vec![b.prior.total.value, t.spending_grand]),
            ],
            style,
        ),
        None => bars(
            &[&this_year],
            &[
                ("收入总计", vec![grand.value]),
                ("支出总计", vec![t.spending_grand]),
            ],
            style,
        ),
    };
    super::Charts {
        totals,
        income: pie(&b.income.sources().map(|(l, a)| (l, a.value)), style),
        spending: pie(&b.spending.natures().map(|(l, a)| (l, a.value)), style),
    }
}

/// Bars for each group (e.g. 收入总计 / 支出总计), one per series (上年 / 本年).
pub fn bars(
    series: &[&str],
    groups: &[(&str, Vec<Money>)],
    style: &crate::arith::Style,
) -> BarChart {
    let max = groups
        .iter()
        .flat_map(|(_, v)| v.iter().map(|m| printed(*m)))
        .max()
        .unwrap_or(Decimal::ZERO);
    BarChart {
        series: series.iter().map(|s| s.to_string()).collect(),
        groups: groups
            .iter()
            .map(|(label, values)| BarGroup {
                label: label.to_string(),
                bars: values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Bar {
                        value: style.money(*v),
                        height: if max.is_zero() {
                            "0".into()
                        } else {
                            let mut h =
                                round_half_up(printed(*v) * Decimal::from(BAR_MAX_MM) / max, 2);
                            h.rescale(2);
                            h.to_string()
                        },
                        color: i % PALETTE,
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct PieChart {
    /// Width and height of the drawing, in mm.
    pub size: String,
    pub slices: Vec<Slice>,
}

#[derive(Debug, Serialize)]
pub struct Slice {
    pub label: String,
    pub share: String,
    pub color: usize,
    /// The slice as a polygon from the centre, in mm.
    pub points: Vec<Point>,
}

#[derive(Debug, Serialize)]
pub struct Point {
    pub x: String,
    pub y: String,
}

/// A pie of the non-zero parts of a total; `None` when the total is 0.
pub fn pie(parts: &[(&str, Money)], style: &crate::arith::Style) -> Option<PieChart> {
    let total: Decimal = parts.iter().map(|(_, m)| printed(*m)).sum();
    if total.is_zero() {
        return None;
    }
    let whole = Money(total);
    let mut start = 0.0_f64;
    let mut slices = Vec::new();
    for (i, (label, m)) in parts
        .iter()
        .filter(|(_, m)| !printed(*m).is_zero())
        .enumerate()
    {
        let fraction = (printed(*m) / total).to_f64().unwrap_or(0.0);
        let end = start + fraction * std::f64::consts::TAU;
        let c = PIE_RADIUS_MM;
        let mut points = vec![point(c, c)];
        let steps = ((end - start) / 0.05).ceil().max(1.0) as usize;
        for k in 0..=steps {
            // Clockwise from 12 o'clock.
            let a = start + (end - start) * k as f64 / steps as f64;
            points.push(point(c + c * a.sin(), c - c * a.cos()));
        }
        slices.push(Slice {
            label: label.to_string(),
            share: style.share(*m, whole),
            color: i % PALETTE,
            points,
        });
        start = end;
    }
    Some(PieChart {
        size: format!("{:.0}", PIE_RADIUS_MM * 2.0),
        slices,
    })
}

fn point(x: f64, y: f64) -> Point {
    Point {
        x: format!("{x:.2}"),
        y: format!("{y:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(s: &str) -> Money {
        Money(Decimal::from_str(s).unwrap())
    }

    fn style() -> crate::arith::Style {
        crate::arith::Style::plain(1, crate::form::PriorZeroPolicy::NoRate)
    }

    #[test]
    fn bars_scale_to_the_tallest() {
        let c = bars(
            &["上年", "本年"],
            &[("收入总计", vec![m("231.88"), m("305.97")])],
            &style(),
        );
        assert_eq!(c.groups[0].bars[1].height, "45.00");
        assert_eq!(c.groups[0].bars[0].height, "34.10");
        assert_eq!(c.groups[0].bars[0].value, "231.88");
    }

    #[test]
    fn pie_skips_zero_parts_and_closes_the_circle() {
        let p = pie(
            &[("甲", m("271.46")), ("乙", m("0")), ("丙", m("34.51"))],
            &style(),
        )
        .unwrap();
        assert_eq!(p.slices.len(), 2);
        assert_eq!(p.slices[0].share, "88.7");
        let last = p.slices[1].points.last().unwrap();
        assert_eq!(
            (last.x.as_str(), last.y.as_str()),
            ("24.00", "0.00"),
            "ends at 12 o'clock"
        );
        assert!(pie(&[("甲", m("0"))], &style()).is_none());
    }
}
