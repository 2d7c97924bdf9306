//! 文本格式的数字：导出的报表最常见的毛病。没有歧义的（空格、千分位、全角数字）照读并提示；
//! 带单位的（“12.5万元”）不猜，报错。
//!
//! Only unambiguous text is read: thousands separators must group digits by three (`1,234.50`,
//! never `1,5`), so a European decimal comma is never mistaken for a separator.

use std::str::FromStr;

use rust_decimal::Decimal;

/// What a text cell holding a number is.
#[derive(Debug, PartialEq, Eq)]
pub enum TextNumber {
    /// A plain number once spaces, separators and full-width forms are normalised.
    Plain(Decimal),
    /// A number followed or preceded by a unit or currency sign (`12.5万元`, `￥100`, `50%`).
    WithUnit,
    /// Not a number at all.
    NotNumber,
}

/// Longest text looked at: no amount is written with more characters.
const MAX_LEN: usize = 64;

pub use crate::money::nfkc;

/// NFKC, the minus sign as `-`, every kind of space removed.
fn normalise(text: &str) -> String {
    nfkc(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '−' => '-',
            c => c,
        })
        .collect()
}

/// The length in bytes of the number at the start of `s` (sign, digits with commas, decimals).
fn number_prefix(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let digits_from = i;
    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',' || bytes[i] == b'.') {
        i += 1;
    }
    if s[digits_from..i].bytes().any(|b| b.is_ascii_digit()) {
        i
    } else {
        0
    }
}

/// Whether the integer part's commas group the digits by three (`1,234,567`).
fn grouped(int: &str) -> bool {
    if !int.contains(',') {
        return !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

fn plain(s: &str) -> Option<Decimal> {
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int.is_empty() || !grouped(int) {
        return None;
    }
    if let Some(f) = frac
        && (f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let digits: String = int.chars().filter(|c| *c != ',').collect();
    let text = match frac {
        Some(f) => format!("{sign}{digits}.{f}"),
        None => format!("{sign}{digits}"),
    };
    Decimal::from_str(&text).ok()
}

/// Reads a text cell as a number when that is unambiguous.
pub fn parse(text: &str) -> TextNumber {
    if text.chars().count() > MAX_LEN {
        return TextNumber::NotNumber;
    }
    let s = normalise(text);
    if let Some(d) = plain(&s) {
        return TextNumber::Plain(d);
    }
    // A currency sign before, or a unit after, a number.
    let body = s.trim_start_matches(['¥', '￥', '$']);
    let n = number_prefix(body);
    let before = s.len() - body.len();
    let rest = &body[n..];
    let is_unit = |r: &str| {
        !r.is_empty()
            && r.chars().count() <= 4
            && !r.chars().any(|c| c.is_ascii_digit())
            && r.chars().any(|c| "万元亿千百角分%‰块圆".contains(c))
    };
    if n > 0 && plain(&body[..n]).is_some() && ((before > 0 && rest.is_empty()) || is_unit(rest)) {
        return TextNumber::WithUnit;
    }
    TextNumber::NotNumber
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> TextNumber {
        TextNumber::Plain(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn unambiguous_text_is_a_number() {
        assert_eq!(parse(" 271.46 "), d("271.46"));
        assert_eq!(parse("1,234.50"), d("1234.50"));
        assert_eq!(parse("１２３．４５"), d("123.45"));
        assert_eq!(parse("1 234"), d("1234"));
        assert_eq!(parse("-0.5"), d("-0.5"));
        assert_eq!(parse("１，２３４"), d("1234"));
        assert_eq!(parse("１２３.４５"), d("123.45"));
        assert_eq!(parse("\u{3000}１２３\u{3000}"), d("123"));
        assert_eq!(parse("－５"), d("-5"));
        assert_eq!(parse("−５"), d("-5"));
    }

    #[test]
    fn units_are_named_and_the_rest_is_text() {
        assert_eq!(parse("12.5万元"), TextNumber::WithUnit);
        assert_eq!(parse("￥100"), TextNumber::WithUnit);
        assert_eq!(parse("50%"), TextNumber::WithUnit);
        assert_eq!(parse("1,5"), TextNumber::NotNumber);
        assert_eq!(parse("二百七十一万"), TextNumber::NotNumber);
        assert_eq!(parse("12.5万元（暂估）"), TextNumber::NotNumber);
        assert_eq!(parse(""), TextNumber::NotNumber);
        assert_eq!(parse("1.2.3"), TextNumber::NotNumber);
        assert_eq!(parse(&"9".repeat(40)), TextNumber::NotNumber);
    }
}
