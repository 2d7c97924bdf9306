//! 数值、文字的原样记录：用户写了什么，连同它在文件中的位置（`toml::Spanned`）。
//!
//! The leaf of the input layer: the literal types every raw record, section and list record is
//! made of. The digits of a number are re-read from the source by its span (`model`), so a
//! literal here never decides what a number is.

use serde::Deserialize;
use toml::Spanned;

/// A money literal as typed: a TOML number (or a quoted string). The exact digits are re-read from
/// the source text by its span, so `0.1` is never an `f64` approximation. A quoted number in
/// full-width digits (`"１２３.４５"`, as a Chinese input method types it) is read through NFKC.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum AmountLit {
    Int(i64),
    Float(f64),
    #[serde(deserialize_with = "number_text")]
    Text(String),
}

/// A quoted number as its ASCII digits when NFKC makes it one (`"１２３.４５"` → `123.45`); any
/// other text as typed, so a message quotes what the user wrote.
fn number_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    let folded = crate::money::nfkc(&text);
    let number = folded.trim();
    let plain = !number.is_empty()
        && number
            .trim_start_matches(['+', '-'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '_');
    Ok(if plain && folded != text {
        number.to_string()
    } else {
        text
    })
}

pub type Amount = Spanned<AmountLit>;
pub type Text = Spanned<String>;
pub type Count = Spanned<i64>;

/// A value under `[extra]` as typed: a number (its digits re-read from the source, as an amount's
/// are) or a text. What it must be is the form's declaration's to say.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum ExtraLit {
    Int(i64),
    Float(f64),
    Text(String),
}
