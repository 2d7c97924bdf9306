//! 用户文字转义：放进 Typst 标记或 Markdown 时按原样显示。
//!
//! Registered as tera's escape function for `.typ` and `.md` templates, so every value a template
//! places is escaped unless it is marked `safe`. Escaping is by backslash, which Typst accepts
//! before any non-space character; characters that are special only in some positions (`.`, `-`,
//! `+`, `=` as list/heading markers) are escaped when they could start a marker, so figures such
//! as `305.97` stay readable in the generated source.

use std::io::{self, Write};

/// Escapes text for Typst markup.
pub fn typst(input: &str, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(escape_typst(input).as_bytes())
}

/// Escapes text for Markdown (CommonMark).
pub fn markdown(input: &str, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(escape_markdown(input).as_bytes())
}

pub fn escape_typst(input: &str) -> String {
    let mut s = String::with_capacity(input.len() + 8);
    let chars: Vec<char> = input.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let marker_like = next.is_none_or(|n| n.is_whitespace() || n == c);
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '~' | '/' | '\''
            | '"' | '-' => {
                s.push('\\');
                s.push(c);
            }
            '.' | '+' | '=' if marker_like => {
                s.push('\\');
                s.push(c);
            }
            '\n' => s.push_str("\\\n"),
            '\r' => {}
            _ => s.push(c),
        }
    }
    s
}

pub fn escape_markdown(input: &str) -> String {
    let mut s = String::with_capacity(input.len() + 8);
    let chars: Vec<char> = input.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let marker_like = next.is_none_or(|n| n.is_whitespace());
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' => {
                s.push('\\');
                s.push(c);
            }
            '.' | '-' | '+' | ')' | '=' if marker_like => {
                s.push('\\');
                s.push(c);
            }
            '\n' => s.push_str("  \n"),
            '\r' => {}
            _ => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typst_specials_are_escaped() {
        assert_eq!(escape_typst("[含#罚没]"), "\\[含\\#罚没\\]");
        assert_eq!(escape_typst("$x$ @ref <lbl>"), "\\$x\\$ \\@ref \\<lbl\\>");
        assert_eq!(escape_typst("a // 注释"), "a \\/\\/ 注释");
        assert_eq!(escape_typst("1. 第一"), "1\\. 第一");
        assert_eq!(escape_typst("= 标题"), "\\= 标题");
        assert_eq!(escape_typst("*粗*_斜_"), "\\*粗\\*\\_斜\\_");
        assert_eq!(escape_typst("a...b"), "a\\.\\..b");
    }

    #[test]
    fn figures_stay_readable() {
        assert_eq!(escape_typst("305.97"), "305.97");
        assert_eq!(escape_typst("88.7"), "88.7");
    }

    #[test]
    fn markdown_specials_are_escaped() {
        assert_eq!(escape_markdown("# 标题"), "\\# 标题");
        assert_eq!(escape_markdown("1. 项"), "1\\. 项");
        assert_eq!(escape_markdown("305.97"), "305.97");
        assert_eq!(escape_markdown("a|b"), "a\\|b");
    }
}
