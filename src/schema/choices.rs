//! 封闭取值：每个只能从几项中选一项的字段，取值、中文名称只在这里写一次。
//!
//! One table per closed choice feeds the parser (which value is allowed, and which enum it is:
//! the enums' serde names are the values), the error hint that lists the values, and the
//! workbook's drop-down list (the Chinese labels).

use serde::de::DeserializeOwned;
use serde::de::IntoDeserializer;

/// A field that takes one of a few values. Two choices are equal when their names and options
/// are (`Kind`'s equality): a value, not an identity, since a `const` has no one address.
#[derive(Debug, PartialEq, Eq)]
pub struct Choice {
    /// What the field is, in the words of the error message (“表式”).
    pub name: &'static str,
    /// (Chinese label shown in the workbook, value written in TOML).
    pub options: &'static [(&'static str, &'static str)],
}

/// A space between 填写 and a Latin value, none before a quoted Chinese one.
fn space(next: &str) -> &'static str {
    if next.starts_with('“') { "" } else { " " }
}

impl Choice {
    /// “填写 sichuan（四川省格式）或 central（…）。”
    pub fn hint(&self) -> String {
        let items: Vec<String> = self
            .options
            .iter()
            .map(|(label, value)| {
                if label == value {
                    format!("“{value}”")
                } else {
                    format!("{value}（{label}）")
                }
            })
            .collect();
        match items.split_last() {
            Some((last, [])) => format!("目前只能填写{}{last}。", space(last)),
            Some((last, rest)) => {
                let rest = rest.join("、");
                format!("填写{}{rest}或{}{last}。", space(&rest), space(last))
            }
            None => String::new(),
        }
    }

    /// The value as its enum, when it is one of the options.
    pub fn parse<T: DeserializeOwned>(&self, value: &str) -> Option<T> {
        let value = value.trim();
        self.options.iter().find(|(_, v)| *v == value)?;
        T::deserialize(IntoDeserializer::<serde::de::value::Error>::into_deserializer(value)).ok()
    }
}

/// The built-in 说明 forms, for the workbook's drop-down list (a form a `--templates` folder adds
/// is typed in; the model checks every value against the forms it knows, `crate::form::Forms`).
pub const FORM: Choice = Choice {
    name: "表式",
    options: &[
        ("重庆格式", "chongqing"),
        ("上海市格式", "shanghai"),
        ("四川省格式", "sichuan"),
    ],
};

/// The 公开表 a `[[declared_rows]]` row was printed in (`model::RowTable`).
pub const DECLARED_TABLE: Choice = Choice {
    name: "所印的表",
    options: &[
        ("支出决算表", "spending"),
        ("财政拨款收入支出决算总表", "appropriation"),
        ("一般公共预算财政拨款支出决算表", "general_budget"),
        ("政府性基金预算财政拨款收入支出决算表", "gov_fund"),
        ("国有资本经营预算财政拨款支出决算表", "state_capital"),
        (
            "一般公共预算财政拨款支出决算明细表（经济分类）",
            "general_budget_economic",
        ),
        (
            "一般公共预算财政拨款基本支出决算（明细）表",
            "general_budget_basic",
        ),
        ("收入决算表", "income"),
        ("财政拨款支出决算明细表", "appropriation_economic"),
        (
            "一般公共预算财政拨款项目支出决算表",
            "general_budget_project",
        ),
        (
            "国有资本经营预算财政拨款收入支出决算表",
            "state_capital_income_spending",
        ),
    ],
};

pub const DOCUMENT: Choice = Choice {
    name: "文档类型",
    options: &[
        ("部门决算", "final_accounts"),
        ("绩效自评表", "performance"),
    ],
};

pub const TABLE_SET: Choice = Choice {
    name: "附表套表",
    options: &[
        ("四川省13张", "sichuan"),
        ("财政部9张", "central"),
        ("上海市9张", "shanghai"),
    ],
};

pub const UNIT: Choice = Choice {
    name: "金额单位",
    options: &[("万元", "万元"), ("元", "元")],
};

pub const PRIOR_ZERO: Choice = Choice {
    name: "上年为零处理方式",
    options: &[("不计算增长率", "no_rate"), ("写增长100%", "hundred")],
};

pub const TOTALS: Choice = Choice {
    name: "合计打印口径",
    options: &[("来源表合计", "declared"), ("各项之和", "parts")],
};

pub const COMPLETION_BASE: Choice = Choice {
    name: "完成预算的口径",
    options: &[
        ("调整后预算（全年预算）", "adjusted"),
        ("年初预算", "initial"),
    ],
};

pub const ITEM_SENTENCE: Choice = Choice {
    name: "逐项说明的写法",
    options: &[
        ("只写预算数与决算数", "budget"),
        ("并写完成预算的百分比", "completion"),
    ],
};

pub const ZERO_IN_TABLES: Choice = Choice {
    name: "表中零值的写法",
    options: &[("合计行印0.00", "as_laid_out"), ("一律留空", "blank")],
};

pub const WHOLE_PERCENT: Choice = Choice {
    name: "整数百分比的写法",
    options: &[
        ("带小数（100.00%）", "decimals"),
        ("不带小数（100%）", "integer"),
    ],
};

pub const MONEY_IN_TEXT: Choice = Choice {
    name: "文中金额的写法",
    options: &[
        ("去掉末尾的0（0万元）", "trimmed"),
        ("两位小数（0.00万元）", "fixed"),
    ],
};

pub const PERFORMANCE_FORM: Choice = Choice {
    name: "绩效自评表版式",
    options: &[
        ("四川", "sichuan"),
        ("四川2021", "sichuan2021"),
        ("叙述式报告", "report"),
        ("河北", "hebei"),
        ("湖南", "hunan"),
    ],
};

pub const INDICATOR_KIND: Choice = Choice {
    name: "指标类型",
    options: &[
        ("正向", "positive"),
        ("反向", "reverse"),
        ("等于", "equal"),
        ("定性", "qualitative"),
        ("是否", "binary"),
        ("不适用", "not_applicable"),
    ],
};

pub const TIER: Choice = Choice {
    name: "档次",
    options: &[
        ("达成", "achieved"),
        ("部分达成", "partly"),
        ("未达成", "not_achieved"),
    ],
};
