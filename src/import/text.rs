//! 文字的规范化：公开表里的表名、表头、行名各有写法，比较前先统一。
//!
//! NFKC folds full-width forms and the Kangxi radicals; the CJK radical-supplement characters
//! that PDF extraction and some exports leave behind (`⻔` for 门, `⻋` for 车) are not folded by
//! NFKC and are mapped here. Spaces of every kind, quotes and brackets' width do not matter.

use unicode_normalization::UnicodeNormalization;

/// Radical-supplement characters (U+2E80–U+2EFF) that stand for an ordinary character.
const RADICALS: &[(char, char)] = &[
    ('⺠', '民'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// The text as compared: NFKC, radicals mapped, no spaces or quotes.
pub fn normalise(text: &str) -> String {
    text.nfkc()
        .map(|c| {
            RADICALS
                .iter()
                .find(|(r, _)| *r == c)
                .map_or(c, |(_, plain)| *plain)
        })
        .filter(|c| !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\''))
        .collect()
}

/// A row label as compared: normalised, without its numbering (`一、`, `（一）`, `1.`) or `其中：`.
pub fn label(text: &str) -> String {
    let mut s = normalise(text);
    loop {
        let before = s.len();
        for prefix in ["其中:", "其中"] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest.to_string();
            }
        }
        let numbering: String = s
            .chars()
            .take_while(|c| "一二三四五六七八九十0123456789()".contains(*c))
            .collect();
        if !numbering.is_empty() {
            let rest = &s[numbering.len()..];
            if let Some(rest) = rest.strip_prefix('、').or_else(|| rest.strip_prefix('.')) {
                s = rest.to_string();
            } else if numbering.starts_with('(') && numbering.ends_with(')') {
                s = rest.to_string();
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// A header text with its usual alternatives folded into the word the layouts use.
pub fn header(text: &str) -> String {
    let s = normalise(text);
    let folded = match s.as_str() {
        "全年预算数" | "调整后预算数" | "预算数(调整后)" | "全年预算" => {
            "调整预算数"
        }
        "编码"
        | "科目代码"
        | "功能分类科目编码"
        | "支出功能分类科目编码"
        | "经济分类科目编码"
        | "部门经济分类科目编码" => "科目编码",
        "名称"
        | "功能分类科目名称"
        | "支出功能分类科目名称"
        | "经济分类科目名称"
        | "部门经济分类科目名称" => "科目名称",
        "支出合计" => "本年支出合计",
        "收入合计" => "本年收入合计",
        "财政拨款" | "财政拨款收入合计" => "财政拨款收入",
        "金额" => "决算数",
        "一般公共预算财政拨款" => "一般公共预算",
        "政府性基金预算财政拨款" => "政府性基金预算",
        "国有资本经营预算财政拨款" => "国有资本经营预算",
        "因公出国(境)费用" => "因公出国(境)费",
        "公务用车购置及运行维护费" => "公务用车购置及运行费",
        "公务用车运行维护费" => "公务用车运行费",
        other => other,
    };
    folded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_and_widths_fold() {
        assert_eq!(normalise("部⻔ 决算"), "部门决算");
        assert_eq!(normalise("公务⽤⻋"), "公务用车");
        assert_eq!(normalise("因公出国（境）费"), "因公出国(境)费");
        assert_eq!(normalise("财政拨款“三公”经费"), "财政拨款三公经费");
    }

    #[test]
    fn labels_lose_their_numbering() {
        assert_eq!(label("一、一般公共服务支出"), "一般公共服务支出");
        assert_eq!(label("二十五、债务付息支出"), "债务付息支出");
        assert_eq!(label("（一）基本支出"), "基本支出");
        assert_eq!(label("　一般公共预算财政拨款"), "一般公共预算财政拨款");
        assert_eq!(label("其中：事业收入"), "事业收入");
        assert_eq!(label("总计"), "总计");
    }
}
