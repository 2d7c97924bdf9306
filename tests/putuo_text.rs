//! As printed, the 说明 (issue 19, done-when): every figure of the 情况说明 built from
//! `data/putuo-caizheng-2024.toml` equals the published text, except the slips its header lists.
//!
//! `tests/fixtures/as-printed/putuo-caizheng-2024.shuoming.txt` is 第三部分 of the published PDF
//! (`shared/forms/shanghai-2024/putuo-caizheng-2024.pdf`, `pdftotext` in reading order). Both texts
//! are cut at the same headings (一、… 十一、 and their （一）（二）…); within each part the numbers
//! are read in order and compared as values (6.2 = 6.20, 0 = 0.00, 100.00% = 100%: the form's
//! style, not a figure). Wording is not compared: the template's sentences are the form's.

mod common;

use common::root;
use rust_decimal::Decimal;

/// The headings both texts are cut at, in the document's order.
const HEADINGS: &[&str] = &[
    "一、收入支出决算总体情况说明",
    "二、收入决算情况说明",
    "三、支出决算情况说明",
    "四、财政拨款收入支出决算总体情况说明",
    "（一）一般公共预算财政拨款支出决算总体情况",
    "（二）一般公共预算财政拨款支出决算结构情况",
    "（三）一般公共预算财政拨款支出决算具体情况",
    "六、一般公共预算财政拨款基本支出决算情况说明",
    "（一）“三公”经费财政拨款支出决算总体情况说明。",
    "（二）“三公”经费财政拨款支出决算具体情况说明。",
    "八、政府性基金预算财政拨款收入支出决算情况说明",
    "九、国有资本经营预算财政拨款收入支出决算情况说明",
    "十、预算绩效管理情况",
    "（一）机关运行经费支出情况",
    "（二）政府采购支出情况",
    "（三）国有资产占有使用情况说明",
];

/// The slips the example's header lists (its “原文印出而不能复算的数”), as (part, numbers the
/// source prints, numbers juesuan prints). Each is a wrong figure in the source; juesuan prints
/// the right one.
const SLIPS: &[(&str, &[&str], &[&str])] = &[
    // 1. 财政拨款收入支出总计 printed as 0.3 and “持平”: the 表四 总计 is 2,961.68; against the
    //    example's (illustrative) prior total 3,024.82 it fell 63.14, 2.09%.
    (
        "四、财政拨款收入支出决算总体情况说明",
        &["2024", "0.3", "2023"],
        &["2024", "2961.68", "2023", "63.14", "2.09%"],
    ),
    // 2. 一般公共服务支出 2,106.66 is 71.65% of 2,940.05, not 71.73%.
    (
        "（二）一般公共预算财政拨款支出决算结构情况",
        &[
            "2940.05", "2106.66", "71.73%", "326.72", "11.11%", "60.99", "2.07%", "445.69",
            "15.16%",
        ],
        &[
            "2940.05", "2106.66", "71.65%", "326.72", "11.11%", "60.99", "2.07%", "445.69",
            "15.16%",
        ],
    ),
];

/// Each part's text: the lines after its heading up to the next heading.
fn parts(text: &str, heading_of: impl Fn(&str) -> Option<&'static str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut end = false;
    for line in text.lines() {
        if line.starts_with("## 第四部分") {
            end = true;
        }
        if end {
            break;
        }
        if let Some(h) = heading_of(line) {
            out.push((h.to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line.trim());
        }
    }
    out
}

/// The numbers of a text in order, as values: “6.2” and “6.20” alike; a percentage keeps its “%”.
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',') {
            i += 1;
        }
        let raw: String = chars[start..i].iter().filter(|c| **c != ',').collect();
        let raw = raw.trim_end_matches('.');
        let value: Decimal = raw
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {raw}"));
        let mut v = value.normalize().to_string();
        if chars.get(i) == Some(&'%') {
            v.push('%');
        }
        out.push(v);
    }
    out
}

fn normalized(list: &[&str]) -> Vec<String> {
    list.iter().flat_map(|s| numbers(s)).collect()
}

#[test]
fn every_figure_of_the_putuo_shuoming_is_the_published_one_but_the_listed_slips() {
    let published = std::fs::read_to_string(
        root().join("tests/fixtures/as-printed/putuo-caizheng-2024.shuoming.txt"),
    )
    .unwrap();
    let published = parts(&published, |l| {
        HEADINGS.iter().copied().find(|h| l.trim() == *h)
    });
    let md = common::build(
        &root().join("data/putuo-caizheng-2024.toml"),
        juesuan::render::Format::Md,
        &common::bundled(),
    )
    .unwrap();
    let md = String::from_utf8(md).unwrap();
    let md = &md[md.find("## 第三部分").expect("the 说明 part")..];
    let built = parts(md, |l| {
        let l = l.trim_start_matches('#').trim();
        HEADINGS.iter().copied().find(|h| l == *h)
    });
    let names = |p: &[(String, String)]| p.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>();
    assert_eq!(names(&published), HEADINGS, "the fixture's parts");
    assert_eq!(names(&built), HEADINGS, "the built 说明's parts");

    let mut problems = Vec::new();
    for ((heading, source), (_, ours)) in published.iter().zip(&built) {
        let (source, ours) = (numbers(source), numbers(ours));
        match SLIPS.iter().find(|(h, _, _)| h == heading) {
            Some((_, printed, right)) => {
                assert_eq!(source, normalized(printed), "{heading}: the source's slip");
                if ours != normalized(right) {
                    problems.push(format!("{heading}：应印 {right:?}，生成 {ours:?}"));
                }
            }
            None if source != ours => {
                problems.push(format!("{heading}：原文 {source:?}，生成 {ours:?}"))
            }
            None => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Numbers are read as values: separators and trailing zeros are style, not figures.
#[test]
fn numbers_are_read_as_values() {
    assert_eq!(
        numbers("收入6.2万元，占0.21%；共1,511.89万元"),
        ["6.2", "0.21%", "1511.89"]
    );
    assert_eq!(numbers("0.00万元、100.00%"), ["0", "100%"]);
}
