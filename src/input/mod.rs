//! 输入：读取 TOML 文件，得到带位置的原始记录。
//!
//! Parsing is the only step that may stop early (a syntax error leaves nothing to check); unknown
//! keys are all collected, each with its position, so a typo is never silently ignored.

pub mod checks;
pub mod entries;
pub mod literal;
pub mod raw;
pub mod section;
pub mod source;

use std::path::Path;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Diagnostics};
pub use raw::RawBureau;
pub use source::SourceFile;

/// Rule codes of the input layer (registered in `diagnostic::registry`).
pub mod codes {
    pub use crate::diagnostic::codes::{
        AMOUNT, INPUT_UNREADABLE as UNREADABLE, SYNTAX, UNKNOWN_KEY, VALUE,
    };
}

/// A parsed input: its source text (for positions) and the raw records, if the file parsed.
pub struct Loaded {
    pub source: SourceFile,
    pub raw: Option<RawBureau>,
    pub diagnostics: Diagnostics,
}

/// The largest TOML input read, in bytes: 5 MB. The biggest real input (a department with
/// hundreds of 科目 and projects) is under 100 KB; a larger file is a mistake (a wrong file, an
/// export gone astray) and would only make the build run away. Checked before reading, and the
/// read itself is bounded, so a file that grows meanwhile cannot get past it.
pub const MAX_TOML_BYTES: u64 = 5 * 1024 * 1024;

/// Reads and parses one TOML input file.
pub fn load_toml(path: &Path) -> Loaded {
    use std::io::Read;

    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        Diagnostic::of(
            codes::UNREADABLE,
            format!(
                "无法读取输入文件 {name}：{}",
                crate::diagnostic::os_error::reason(&e)
            ),
        )
        .hint(crate::diagnostic::os_error::hint(&e, path))
    };
    let too_large = |size: u64| {
        Diagnostic::of(
            crate::diagnostic::codes::INPUT_TOO_LARGE,
            format!(
                "输入文件 {name} 超过大小上限：{} 大于 {} MB",
                size_text(size),
                MAX_TOML_BYTES / 1024 / 1024
            ),
        )
        .hint("一个单位一年的决算数据通常不到 100 KB：检查是否选错了文件，或文件中是否粘贴了大量无关内容。")
    };
    let read = std::fs::File::open(path).and_then(|file| {
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
        }
        if meta.len() > MAX_TOML_BYTES {
            return Ok(Err(meta.len()));
        }
        let mut bytes = Vec::new();
        file.take(MAX_TOML_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_TOML_BYTES {
            return Ok(Err(bytes.len() as u64));
        }
        Ok(Ok(bytes))
    });
    let failure = match read {
        Ok(Ok(bytes)) => match String::from_utf8(bytes) {
            Ok(text) => return parse_toml(SourceFile::new(name, text)),
            Err(e) => {
                let at = e.utf8_error().valid_up_to() + 1;
                Diagnostic::of(
                    codes::UNREADABLE,
                    format!("输入文件 {name} 不是 UTF-8 编码的文字（第 {at} 个字节起无法识别）"),
                )
                .hint("用记事本或 WPS 打开后“另存为”，编码选 UTF-8；若这是 Excel 工作簿，文件名应以 .xlsx 结尾。")
            }
        },
        Ok(Err(size)) => too_large(size),
        Err(e) => unreadable(e),
    };
    Loaded {
        source: SourceFile::new(name, String::new()),
        raw: None,
        diagnostics: Diagnostics::from(failure),
    }
}

/// A byte count as a clerk reads it (`5.2 MB`, `812 KB`).
fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Parses TOML text that is already in memory.
pub fn parse_toml(source: SourceFile) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    let table = match DeTable::parse(&source.text) {
        Ok(t) => t,
        Err(e) => {
            diagnostics.push(toml_error(&source, &e));
            return Loaded {
                source,
                raw: None,
                diagnostics,
            };
        }
    };
    // Lists and texts beyond what a department's year needs: refused before the model is built.
    let beyond = entries::beyond_limits(table.get_ref(), &source);
    if !beyond.is_empty() {
        drop(table);
        return Loaded {
            source,
            raw: None,
            diagnostics: beyond,
        };
    }
    // A type error stops serde at the first one: report it, take the offending value out and try
    // again, so every type error is listed at once and the rest of the file is still checked.
    let mut table = table;
    let mut unknown = Vec::new();
    let mut raw = None;
    for _ in 0..MAX_TYPE_ERRORS {
        let de = toml::de::Deserializer::from(table.clone());
        let mut seen = Vec::new();
        let result = serde_ignored::deserialize(de, |path| seen.push(path.to_string()));
        // Unknown keys found on any attempt are reported (each once), even if a later type
        // error stops the reading.
        for path in seen {
            if !unknown.contains(&path) {
                unknown.push(path);
            }
        }
        match result {
            Ok(r) => {
                raw = Some(r);
                break;
            }
            Err(e) => {
                diagnostics.push(toml_error(&source, &e));
                // A missing field has no value to stand in for: go no further.
                if e.message().starts_with("missing field") {
                    break;
                }
                let placeholder = placeholder(e.message());
                let removed = e.span().is_some_and(|span| {
                    replace_value_at(table.get_mut(), &span, placeholder.as_ref())
                });
                if !removed {
                    break;
                }
            }
        }
    }
    if let Some(r) = &raw {
        diagnostics.extend(checks::findings(r, table.get_ref(), &source));
    }
    for path in unknown {
        let span = find_key(table.get_ref(), &path).unwrap_or(0..0);
        diagnostics.push(
            Diagnostic::of(codes::UNKNOWN_KEY, format!("未知字段 `{path}`"))
                .at(&source.location(span))
                .hint("检查拼写；可用字段见 `juesuan init` 生成的示例文件。"),
        );
    }
    Loaded {
        source,
        raw,
        diagnostics,
    }
}

/// At most this many type errors are listed; a file with more is not worth reading on.
const MAX_TYPE_ERRORS: usize = 100;

/// A value of the type serde expected, to stand in for a mistyped one (so a required field does
/// not turn into a second error); `None` takes the value out instead.
fn placeholder(message: &str) -> Option<DeValue<'static>> {
    let expected = message.rsplit("expected ").next().unwrap_or("");
    Some(match expected {
        e if e.starts_with("i64") || e.starts_with("u") || e.contains("integer") => {
            DeValue::Integer(Default::default())
        }
        e if e.contains("untagged enum AmountLit") || message.contains("AmountLit") => {
            DeValue::Integer(Default::default())
        }
        e if e.starts_with("a string") || e.contains("String") => {
            DeValue::String(std::borrow::Cow::Borrowed(""))
        }
        e if e.starts_with("a boolean") => DeValue::Boolean(false),
        e if e.starts_with("a sequence") => DeValue::Array(Default::default()),
        e if e.starts_with("struct") || e.starts_with("a map") => {
            DeValue::Table(Default::default())
        }
        _ => return None,
    })
}

/// Puts `placeholder` in place of the value at `span`, or takes its key out when there is no
/// placeholder. The stand-in keeps the position, so it is known as a value that could not be read.
/// (A `[table]` header's span is the header only, so every table is searched.)
fn replace_value_at(
    table: &mut DeTable<'_>,
    span: &std::ops::Range<usize>,
    placeholder: Option<&DeValue<'static>>,
) -> bool {
    let hit = table
        .iter()
        .find(|(_, v)| v.span() == *span)
        .map(|(k, _)| k.get_ref().to_string());
    if let Some(key) = hit {
        let value = table.get_mut(key.as_str()).expect("found above");
        // Never take a whole table out: the rest of it would be lost with the bad value.
        if placeholder.is_none() && matches!(value.get_ref(), DeValue::Table(_)) {
            return false;
        }
        match placeholder {
            // Replacing a value by one of the same kind would loop for ever.
            Some(p) if std::mem::discriminant(p) != std::mem::discriminant(value.get_ref()) => {
                *value.get_mut() = p.clone();
            }
            _ => {
                table.remove(key.as_str());
            }
        }
        return true;
    }
    table.iter_mut().any(|(_, v)| match v.get_mut() {
        DeValue::Table(t) => replace_value_at(t, span, placeholder),
        DeValue::Array(items) => items.iter_mut().any(|item| match item.get_mut() {
            DeValue::Table(t) => replace_value_at(t, span, placeholder),
            _ => false,
        }),
        _ => false,
    })
}

fn toml_error(source: &SourceFile, e: &toml::de::Error) -> Diagnostic {
    let d = Diagnostic::of(
        codes::SYNTAX,
        format!("TOML 格式错误：{}", chinese_message(e.message().trim())),
    )
    .hint("按 TOML 语法改正此处；金额写数字，文字加英文双引号。");
    match e.span() {
        Some(span) => d.at(&source.location(span)),
        None => d,
    }
}

/// serde's and toml's English wording, in words a finance clerk reads.
fn chinese_message(message: &str) -> String {
    let kind = |t: &str| -> String {
        let t = t.trim();
        let word = match t {
            _ if t.starts_with("string") => "文字",
            _ if t.starts_with("integer") || t == "i64" || t == "u32" || t == "u64" => "整数",
            _ if t.starts_with("floating point") || t == "f64" => "小数",
            _ if t.starts_with("boolean") || t == "a boolean" || t == "bool" => {
                "是/否（true 或 false）"
            }
            _ if t.starts_with("a sequence") || t.starts_with("sequence") => "列表 [ … ]",
            _ if t.starts_with("a map") || t.starts_with("map") || t.starts_with("struct") => {
                "表 { … }"
            }
            _ if t.contains("Datetime") || t.contains("datetime") => "日期",
            _ if t.starts_with("a string") || t.contains("String") => "文字",
            _ => return t.to_string(),
        };
        match t.split_once(' ') {
            Some((_, literal)) if t.starts_with("string") || t.starts_with("integer") => {
                format!("{word} {literal}")
            }
            _ => word.to_string(),
        }
    };
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "类型不符：这里应填{}，实际是{}",
            kind(expected),
            kind(found)
        );
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("缺少必填字段 {rest}");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return format!("不认识的取值 {rest}");
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!(
            "取值不符：这里应填{}，实际是{}",
            kind(expected),
            kind(found)
        );
    }
    if message.starts_with("data did not match any variant of untagged enum AmountLit") {
        return "类型不符：这里应填数字（金额、分值等），实际是别的类型".to_string();
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return format!("字段 {rest} 写了两次");
    }
    syntax_in_chinese(message).unwrap_or_else(|| format!("写法有误（解析器原文：{message}）"))
}

/// The TOML parser's own wording (`unclosed array, expected `]``), in Chinese; `None` for a
/// message it does not know (the caller then keeps the original beside a Chinese lead).
fn syntax_in_chinese(message: &str) -> Option<String> {
    let (what, expected) = match message.split_once(", expected ") {
        Some((w, e)) => (w.trim(), Some(e.trim())),
        None => (message.trim(), None),
    };
    let said = match what {
        "string values must be quoted" | "unquoted string" => "文字须加英文双引号，如 \"信访局\"",
        "invalid basic string" | "invalid string" => {
            "文字缺少结尾的英文双引号，或其中有不允许的字符"
        }
        "invalid multi-line basic string" => "多行文字（三个英文双引号）没有结尾",
        "invalid multi-line literal string" => "多行文字（三个英文单引号）没有结尾",
        "invalid literal string" => "单引号文字没有结尾，或其中有不允许的字符",
        "missing opening quote" => "缺少开头的引号",
        "missing escaped value" => "反斜杠 \\ 后缺少转义字符（要写反斜杠本身请写 \\\\）",
        "too few unicode value digits" | "invalid unicode hexadecimal value" => {
            "\\u 后的十六进制数位不对"
        }
        "unclosed array" => "列表缺少结尾的 ]",
        "unclosed table" => "表头缺少结尾的 ]",
        "unclosed array table" => "[[…]] 表头缺少结尾的 ]]",
        "unclosed inline table" => "{ … } 缺少结尾的 }",
        "duplicate key" => "同一个字段写了两次（或同一个表头写了两次）",
        "duplicate table" => "同一个表头写了两次",
        "key with no value"
        | "missing value for key"
        | "missing assignment between key-value pairs" => "字段后缺少 = 和取值",
        "missing value" => "缺少取值",
        "invalid value" => "取值写法有误",
        "unquoted keys cannot be empty" | "missing key for inline table element" => "缺少字段名",
        "invalid key" | "invalid unquoted key" => {
            "字段名写法有误：只能用英文字母、数字、- 和 _（其他文字须加英文双引号）"
        }
        "keys cannot be multi-line basic strings" | "keys cannot be multi-line literal strings" => {
            "字段名不能是多行文字"
        }
        "missing comma between array elements" => "列表的各项之间缺少英文逗号",
        "missing comma between key-value pairs" => "{ … } 中各字段之间缺少英文逗号",
        "invalid inline table element" | "invalid key-value pair" => "字段写法有误",
        "invalid table" | "missing table open" => "表头写法有误，应为 [表名]",
        "unexpected content"
        | "unexpected key or value"
        | "unexpected content between comment and newline" => {
            "此处有多余的内容（一行只写一个字段）"
        }
        "invalid float" | "invalid mantissa" | "invalid fraction" => "小数写法有误",
        "invalid exponent" => "科学计数法写法有误（金额请写普通小数）",
        "invalid integer number"
        | "invalid hexadecimal number"
        | "invalid octal number"
        | "invalid binary number" => "整数写法有误",
        "unexpected leading zero" => "数字不能以 0 开头（编码请加英文双引号，如 \"0101\"）",
        "unexpected sign" | "redundant numeric sign" => "多余的正负号",
        "integers with a radix cannot be signed" => "十六进制、八进制、二进制整数不能带正负号",
        "redundant integer number prefix" | "radix must be lowercase" => "整数写法有误",
        "`_` may only go between digits" => "数字中的 _ 只能写在两个数字之间",
        "invalid boolean" => "是/否须写 true 或 false",
        "invalid date" => "日期不存在或写法有误",
        "invalid time" => "时间写法有误",
        "invalid date-time" | "invalid datetime" => "日期写法有误，应如 2024-09-01",
        "invalid comment character" => "注释中有不允许的控制字符",
        "carriage return must be followed by newline" => "回车符后缺少换行",
        _ => return None,
    };
    let wanted = expected.and_then(expected_in_chinese);
    Some(match wanted {
        Some(w) => format!("{said}（{w}）"),
        None => said.to_string(),
    })
}

/// The parser's `expected …` part: a date part's range, or the tokens it wanted.
fn expected_in_chinese(expected: &str) -> Option<String> {
    for (part, word) in [
        ("year", "年"),
        ("month", "月"),
        ("day", "日"),
        ("hour", "时"),
        ("minute", "分"),
        ("second", "秒"),
    ] {
        if let Some(range) = expected.strip_prefix(&format!("{part} between ")) {
            let (low, high) = range.split_once(" and ")?;
            return Some(format!("{word}应在 {low}–{high} 之间"));
        }
    }
    let words: Vec<String> = expected
        .split(", ")
        .map(|t| {
            let t = t.trim().trim_start_matches("or ").trim();
            match t {
                "nothing" => String::new(),
                "letters" => "英文字母".to_string(),
                "numbers" | "digits" => "数字".to_string(),
                "literal string" | "basic string" => "加引号的文字".to_string(),
                "newline" => "换行".to_string(),
                "whitespace" => "空格".to_string(),
                "comment" => "注释".to_string(),
                "integer" => "整数".to_string(),
                t if t.starts_with('`') => t.to_string(),
                _ => String::new(),
            }
        })
        .filter(|w| !w.is_empty())
        .collect();
    (!words.is_empty()).then(|| format!("此处应为 {}", words.join("、")))
}

/// The span of a key given as a dotted path with `[index]` for array elements
/// (as `serde_ignored` reports it, e.g. `general_budget.items.0.nmae`).
fn find_key(root: &DeTable<'_>, path: &str) -> Option<std::ops::Range<usize>> {
    let mut table = root;
    let mut segments = path.split('.').peekable();
    while let Some(seg) = segments.next() {
        let (key, value) = table.iter().find(|(k, _)| k.get_ref().as_ref() == seg)?;
        if segments.peek().is_none() {
            return Some(key.span());
        }
        let mut value = value.get_ref();
        while let DeValue::Array(items) = value {
            let index: usize = segments.next()?.parse().ok()?;
            value = items.get(index)?.get_ref();
        }
        match value {
            DeValue::Table(t) => table = t,
            _ => return Some(key.span()),
        }
    }
    None
}

/// Deserializes a standalone value type from TOML (used by embedded data files).
pub fn from_embedded<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> T {
    toml::from_str(text).unwrap_or_else(|e| panic!("内置数据文件 {name} 有误：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_error_is_reported_and_the_rest_still_read() {
        let text = "[bureau]\nname = \"x\"\nyear = \"2023\"\n[income]\ngeneral_budget = 10\n\
                    [three_public.overseas]\ngroups = \"三\"\n[[general_budget.items]]\ncode = 2010301\n";
        let loaded = parse_toml(SourceFile::new("t.toml", text.to_string()));
        let lines: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("t.toml:3:8: 错误[E002]"), "{lines:?}");
        assert!(
            lines[0].contains("这里应填整数，实际是文字 \"2023\""),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains(":7:10:")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains(":9:8:")), "{lines:?}");
    }

    #[test]
    fn unknown_keys_are_all_reported_with_positions() {
        let text = "[bureau]\nname = \"x\"\nyear = 2023\nnmae = 1\n[income]\ngenral = 1\n";
        let loaded = parse_toml(SourceFile::new("t.toml", text.to_string()));
        let lines: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("t.toml:4:1: 错误[E003] 未知字段 `bureau.nmae`"));
        assert!(lines[1].starts_with("t.toml:6:1: 错误[E003] 未知字段 `income.genral`"));
    }
}
