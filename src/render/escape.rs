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
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
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
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
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

/// The literal text of a shared template (`.tera`, placed in both the Typst and the Markdown
/// output) made to print as typed in the PDF too: Typst would turn `--` into an en dash, `---`
/// into an em dash, `...` into an ellipsis, `-1` into a minus sign, `-?` into a soft hyphen, `~`
/// into a non-breaking space and straight quotes into curly ones, where Markdown keeps the
/// characters. Only the text between tera tags changes; a line whose text starts with `#`, and
/// the rest of a line from a `#name` on, is Typst code (a `.tera` may hold some for the Typst
/// output alone) and is left as it is. Lines keep their numbers, so an error still points at
/// the right line.
pub fn typst_literal_text(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    // Whether the current line's literal text so far is only whitespace, and whether the line is
    // Typst code.
    let mut line_start = true;
    let mut code_line = false;
    while !rest.is_empty() {
        if let Some(close) = tag_close(rest) {
            let end = rest[2..]
                .find(close)
                .map_or(rest.len(), |i| i + 2 + close.len());
            let tag = &rest[..end];
            if tag.contains('\n') {
                line_start = true;
                code_line = false;
            }
            out.push_str(tag);
            rest = &rest[end..];
            continue;
        }
        let next_tag = next_tag(rest);
        let text = &rest[..next_tag];
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c == '\n' {
                line_start = true;
                code_line = false;
                out.push(c);
                continue;
            }
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            if line_start && !c.is_whitespace() {
                line_start = false;
                code_line = c == '#';
            }
            // Typst code embedded in the line (`#text(font: "x")[…]`): the rest is left alone.
            if c == '#' && next.is_some_and(|n| n.is_ascii_alphabetic()) {
                code_line = true;
            }
            let shorthand = match c {
                '-' => {
                    prev == Some('-')
                        || next.is_some_and(|n| n == '-' || n == '?' || n.is_numeric())
                        || (next.is_none() && rest[next_tag..].starts_with("{{"))
                }
                '.' => {
                    let run = |k: usize| chars.get(k) == Some(&'.');
                    (run(i + 1) && run(i + 2))
                        || (i >= 1 && run(i - 1) && run(i + 1))
                        || (i >= 2 && run(i - 1) && run(i - 2))
                }
                '~' | '\'' | '"' => true,
                _ => false,
            };
            if shorthand && !code_line {
                out.push('\\');
            }
            out.push(c);
        }
        rest = &rest[next_tag..];
    }
    out
}

/// Where the next tera tag in `text` starts (its length when there is none). One pass: looking
/// for each of the three openings through the whole rest of the template made the literal text
/// of a long `.tera` quadratic in its length.
fn next_tag(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find('{') {
        let at = from + i;
        if matches!(bytes.get(at + 1), Some(b'{' | b'%' | b'#')) {
            return at;
        }
        from = at + 1;
    }
    text.len()
}

/// The closing delimiter of the tera tag `text` starts with, if it starts with one.
fn tag_close(text: &str) -> Option<&'static str> {
    if text.starts_with("{{") {
        Some("}}")
    } else if text.starts_with("{%") {
        Some("%}")
    } else if text.starts_with("{#") {
        Some("#}")
    } else {
        None
    }
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

    #[test]
    fn the_next_tag_is_the_first_of_the_three_openings() {
        for text in ["a{b{{c", "a{%b{{", "{#x#}", "a{ {b}", "中{文{%", "{{%", ""] {
            let slow = ["{{", "{%", "{#"]
                .iter()
                .filter_map(|t| text.find(t))
                .min()
                .unwrap_or(text.len());
            assert_eq!(next_tag(text), slow, "{text}");
        }
    }

    #[test]
    fn literal_text_of_shared_templates_prints_as_typed() {
        assert_eq!(typst_literal_text("a--b"), "a\\-\\-b");
        assert_eq!(typst_literal_text("a---b"), "a\\-\\-\\-b");
        assert_eq!(typst_literal_text("共-1人"), "共\\-1人");
        assert_eq!(typst_literal_text("a-b"), "a-b", "a lone hyphen stays");
        assert_eq!(typst_literal_text("等等..."), "等等\\.\\.\\.");
        assert_eq!(typst_literal_text("305.97 a..b"), "305.97 a..b");
        assert_eq!(
            typst_literal_text("\"引\" 'x' a~b"),
            "\\\"引\\\" \\'x\\' a\\~b"
        );
        // Tags are left alone, whatever they hold.
        assert_eq!(
            typst_literal_text("{{ a -- b }}--{% if x == \"y\" %}{# '-' #}"),
            "{{ a -- b }}\\-\\-{% if x == \"y\" %}{# '-' #}"
        );
        // Typst code lines of a shared template are not touched.
        assert_eq!(
            typst_literal_text("{% if f %}\n#set text(font: \"x\", top-edge: -1pt)\n--"),
            "{% if f %}\n#set text(font: \"x\", top-edge: -1pt)\n\\-\\-"
        );
        // Nor is code from a `#name` on.
        assert_eq!(
            typst_literal_text("甲--#text(font: \"x\")[乙]\n丙--"),
            "甲\\-\\-#text(font: \"x\")[乙]\n丙\\-\\-"
        );
        assert_eq!(typst_literal_text("第#1号--"), "第#1号\\-\\-");
        // Line numbers are kept.
        let t = "一\n{% if a %}\n二--\n{{ b }}";
        assert_eq!(typst_literal_text(t).lines().count(), t.lines().count());
    }
}
