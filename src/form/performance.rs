//! 绩效表式：自评表的版式与计分办法（档次区间、等级区间、偏差阈值、预算执行率的计分方法）。
//!
//! A 绩效 form is a folder `templates/performance/<key>/` with a `form.toml`: its name, the
//! layout its 自评表 uses (a folder with the templates that print it), and its scoring policy as
//! data. A `--templates` folder may change a built-in form's policy or add a form of its own,
//! on a built-in layout or on one of its own (docs/performance-forms.md).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The layout of the 绩效自评表 attachments: the name of a folder `performance/<layout>/` whose
/// `attachment.typ` and `attachment.md` print one attachment (see docs/performance-forms.md).
/// Built in: sichuan（项目支出绩效自评表）、hebei（预算项目绩效自评表）、hunan（部门整体（项目）
/// 支出绩效自评表）、report（叙述式自评报告）、sichuan2021（绩效目标自评，不计分）; a
/// `--templates` folder adds its own the same way.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PerformanceForm(pub String);

impl PerformanceForm {
    pub fn new(layout: impl Into<String>) -> PerformanceForm {
        PerformanceForm(layout.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for PerformanceForm {
    /// The 四川 layout (a model built without forms).
    fn default() -> Self {
        PerformanceForm::new("sichuan")
    }
}

impl std::fmt::Display for PerformanceForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A 绩效 form, as its manifest `performance/<key>/form.toml` declares it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PerformanceSpec {
    /// The value of `[performance] form` that chooses it.
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub source: String,
    /// The 自评表 layout it prints with: a folder `performance/<layout>/` with the templates
    /// `attachment.typ` and `attachment.md` (its own folder, or another form's).
    pub layout: PerformanceForm,
    #[serde(default)]
    pub scoring: Scoring,
}

impl Default for PerformanceSpec {
    /// The 四川 form's layout and the default scoring (for a model built without forms).
    fn default() -> Self {
        PerformanceSpec {
            key: "sichuan".into(),
            name: "四川".into(),
            source: String::new(),
            layout: PerformanceForm::default(),
            scoring: Scoring::default(),
        }
    }
}

/// How a 绩效 form scores.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Scoring {
    /// How the 预算执行率 is scored.
    pub execution: ExecutionScoring,
    /// The 执行率 is scored beside the 100 points of the indicators, not within them (湖南: 10 +
    /// 100 in the table, the 总分 over the indicators only).
    pub execution_outside_total: bool,
    /// A quantitative indicator whose 实际值 deviates from its 目标值 by more than this many
    /// percent needs a 偏差原因 (R025).
    pub deviation_threshold: Decimal,
    /// Whether the 自评表 has a 偏差原因 column at all (河北's has none, so R025 asks nothing).
    pub deviation_reasons: bool,
    /// The score fraction each 定性 tier admits.
    pub tiers: Tiers,
    /// The grades, highest first: a total of at least `min` gets `label`.
    pub grades: Vec<GradeBand>,
}

impl Default for Scoring {
    fn default() -> Self {
        let d = |n: i64| Decimal::from(n);
        let band = |label: &str, min: i64| GradeBand {
            label: label.to_string(),
            min: d(min),
            verified: true,
        };
        Scoring {
            execution: ExecutionScoring::Proportional,
            execution_outside_total: false,
            deviation_threshold: d(30),
            deviation_reasons: true,
            tiers: Tiers::default(),
            grades: vec![
                band("优", 90),
                band("良", 80),
                band("中", 60),
                band("差", 0),
            ],
        }
    }
}

/// How the 预算执行率 becomes a score.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionScoring {
    /// 分值 × 执行率, at most the 分值.
    #[default]
    Proportional,
    /// One point off per percentage point short of 100 % (湖南: 99.94 % of 10 points is 9.94).
    PerPoint,
}

/// How a 绩效 form scores the 预算执行率 (the part of [`Scoring`] the scoring engine needs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExecutionPolicy {
    /// One point off per percentage point short of 100 % instead of 分值 × 执行率.
    pub per_point: bool,
    /// Scored beside the 100 points of the indicators, not within them.
    pub outside_total: bool,
}

/// The fraction range of each 定性 tier: `[lower, upper]` for 达成, `[lower, upper)` for the
/// others (so 0.8 belongs to 达成, 0.6 to 部分达成).
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Tiers {
    pub achieved: [Decimal; 2],
    pub partly: [Decimal; 2],
    pub not_achieved: [Decimal; 2],
}

impl Default for Tiers {
    /// 达成 100%–80%（含），部分达成 80%–60%（含），未达成 60%–0%.
    fn default() -> Self {
        let d = |n: i64| Decimal::new(n, 1);
        Tiers {
            achieved: [d(8), d(10)],
            partly: [d(6), d(8)],
            not_achieved: [d(0), d(6)],
        }
    }
}

/// One grade: a total of at least `min` (and below the band above) gets `label`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    pub label: String,
    pub min: Decimal,
    /// `false` where no source states the threshold (e.g. 合格/不合格): the band is a guess to be
    /// confirmed against the province's own rules.
    #[serde(default = "yes")]
    pub verified: bool,
}

fn yes() -> bool {
    true
}

impl Scoring {
    pub fn execution_policy(&self) -> ExecutionPolicy {
        ExecutionPolicy {
            per_point: self.execution == ExecutionScoring::PerPoint,
            outside_total: self.execution_outside_total,
        }
    }

    /// The grade of a total: the first band (highest first) whose minimum it reaches; the last
    /// band when it reaches none.
    pub fn grade(&self, total: Decimal) -> &str {
        self.grades
            .iter()
            .find(|g| total >= g.min)
            .or(self.grades.last())
            .map_or("", |g| g.label.as_str())
    }

    /// What is wrong with the policy, if anything (checked when a manifest is read).
    pub fn problem(&self) -> Option<String> {
        if self.grades.is_empty() {
            return Some("scoring.grades 至少要有一个等级".into());
        }
        if self.grades.windows(2).any(|w| w[0].min <= w[1].min) {
            return Some("scoring.grades 须按分数线从高到低排列，分数线互不相同".into());
        }
        if self.deviation_threshold < Decimal::ZERO {
            return Some("scoring.deviation_threshold 不能为负数".into());
        }
        let t = &self.tiers;
        for (name, [lo, hi]) in [
            ("achieved", t.achieved),
            ("partly", t.partly),
            ("not_achieved", t.not_achieved),
        ] {
            if lo < Decimal::ZERO || hi > Decimal::ONE || lo > hi {
                return Some(format!(
                    "scoring.tiers.{name} 须是 0 到 1 之间的区间 [下限, 上限]"
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn grades_include_their_lower_bound() {
        let s = Scoring::default();
        assert_eq!(s.grade(d("100")), "优");
        assert_eq!(s.grade(d("90")), "优");
        assert_eq!(s.grade(d("89.99")), "良");
        assert_eq!(s.grade(d("80")), "良");
        assert_eq!(s.grade(d("60")), "中");
        assert_eq!(s.grade(d("59.99")), "差");
        assert_eq!(s.grade(d("0")), "差");
        assert_eq!(s.grade(d("-1")), "差", "below every band: the last");
    }

    #[test]
    fn a_policy_out_of_order_is_refused() {
        let mut s = Scoring::default();
        assert_eq!(s.problem(), None);
        s.grades.swap(0, 1);
        assert!(s.problem().unwrap().contains("从高到低"));
        let mut s = Scoring::default();
        s.tiers.partly = [d("0.9"), d("0.8")];
        assert!(s.problem().unwrap().contains("tiers.partly"));
        let mut s = Scoring::default();
        s.grades.clear();
        assert!(s.problem().is_some());
    }
}
