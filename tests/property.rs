//! Property tests: random and mangled inputs never panic, and what comes out stays well-formed.
//!
//! The normal test suite's share of fuzzing (a few seconds, a fixed seed so CI is repeatable);
//! the long campaigns are `examples/fuzz_stable.rs` and `fuzz/` (docs/development.md, 模糊测试).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::LazyLock;

use juesuan::arith;
use juesuan::diagnostic::Location;
use juesuan::money::{Unit, parse_amount};
use juesuan::performance::scoring::{self, Measure, TierPolicy};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use rust_decimal::Decimal;

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(20_261_123),
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, extension: &str, out: &mut Vec<Vec<u8>>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, extension, out);
        } else if p.extension().is_some_and(|e| e == extension) {
            out.push(std::fs::read(&p).unwrap());
        }
    }
}

/// Every TOML input the repository holds: the examples and every rule fixture.
static TOML_SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut out = Vec::new();
    files(&root().join("data"), "toml", &mut out);
    files(&root().join("tests/fixtures"), "toml", &mut out);
    out
});

/// The example workbooks (valid zip containers).
static XLSX_SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut out = Vec::new();
    files(&root().join("data"), "xlsx", &mut out);
    out
});

/// Values a hostile user types where a number or a string goes.
const TOKENS: &[&str] = &[
    "99999999999999999999",
    "0.000000000000000001",
    "-1",
    "1e308",
    "nan",
    "79228162514264337593543950336",
    "9223372036854775807",
    "-9223372036854775808",
    "999999999999999.99",
    "1.005",
    "\"\"",
    "\"#set page(width: 1pt)\"",
    "\"{{ doc }}\"",
    "\"𠀀\"",
    "[]",
    "{}",
    "true",
    "\n[bureau]\n",
    "\n[[performance.projects]]\n",
    "=",
    "\"",
    "'''",
];

/// One edit of an input: where (a fraction of its length), what, and with which token or byte.
#[derive(Clone, Debug)]
struct Edit {
    at: u16,
    kind: u8,
    token: usize,
    byte: u8,
    len: u8,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(
        (
            any::<u16>(),
            0u8..6,
            0..TOKENS.len(),
            any::<u8>(),
            any::<u8>(),
        )
            .prop_map(|(at, kind, token, byte, len)| Edit {
                at,
                kind,
                token,
                byte,
                len,
            }),
        1..6,
    )
}

fn apply(mut input: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = input.len() * usize::from(e.at) / (usize::from(u16::MAX) + 1);
        let end = (at + usize::from(e.len % 16)).min(input.len());
        match e.kind {
            // Replace the number starting at or after `at` with a hostile token.
            0 | 1 => {
                if let Some(start) = input[at..].iter().position(u8::is_ascii_digit) {
                    let start = at + start;
                    let stop = input[start..]
                        .iter()
                        .position(|b| !(b.is_ascii_digit() || *b == b'.'))
                        .map_or(input.len(), |n| start + n);
                    input.splice(start..stop, TOKENS[e.token].bytes());
                }
            }
            2 => {
                input.splice(at..end, TOKENS[e.token].bytes());
            }
            3 => {
                input.drain(at..end);
            }
            4 => {
                if at < input.len() {
                    input[at] ^= 1 << (e.byte % 8);
                }
            }
            _ => input.insert(at, e.byte),
        }
    }
    input
}

/// What every checked input must satisfy: positions inside the text (the snippet renderer
/// would panic otherwise), rendering that does not panic, and figures for a clean model.
fn well_formed(checked: &juesuan::Checked) {
    let text = &checked.source.text;
    for d in checked.diagnostics.iter() {
        assert!(!d.message.is_empty(), "{d}");
        if let Some(Location::File { file, span, .. }) = &d.location {
            if **file == *checked.source.name {
                assert!(span.start <= span.end && span.end <= text.len(), "{d}");
                assert!(
                    text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                    "{d}"
                );
            }
        }
    }
    let human = juesuan::report::human(&checked.diagnostics, &checked.source);
    assert_eq!(
        human.contains("错误["),
        checked.diagnostics.has_errors(),
        "{human}"
    );
    let _ = juesuan::report::json(&checked.diagnostics);
    if let Some(bureau) = checked
        .bureau
        .as_ref()
        .filter(|_| !checked.diagnostics.has_errors())
    {
        let _ = juesuan::render::prepare(bureau, &Default::default());
    }
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<u32>(), any::<u32>(), any::<u32>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, scale)| Decimal::from_parts(lo, mid, hi, false, scale)),
        (0i64..1_000_000, 0u32..=4).prop_map(|(n, scale)| Decimal::new(n, scale)),
        Just(Decimal::ZERO),
        Just(Decimal::MAX),
        Just(Decimal::from_str("0.000000000000000001").unwrap()),
        Just(Decimal::from_str("99999999999999999999").unwrap()),
    ]
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn mangled_toml_never_panics(seed in any::<prop::sample::Index>(), edits in edits()) {
        let input = apply(seed.get(&TOML_SEEDS).clone(), &edits);
        let text = String::from_utf8_lossy(&input);
        well_formed(&juesuan::check_text("mangled.toml", &text));
    }

    #[test]
    fn random_text_never_panics(chars in proptest::collection::vec(any::<char>(), 0..300)) {
        let text: String = chars.into_iter().collect();
        well_formed(&juesuan::check_text("random.toml", &text));
    }

    #[test]
    fn amounts_are_parsed_or_refused(chars in proptest::collection::vec(
        prop_oneof![Just('0'), Just('9'), Just('.'), Just('-'), Just('_'), Just('e'), any::<char>()],
        0..40,
    )) {
        let literal: String = chars.into_iter().collect();
        for unit in [Unit::Wan, Unit::Yuan] {
            if let Ok(m) = parse_amount(&literal, unit) {
                prop_assert!(m.0 >= Decimal::ZERO);
                prop_assert!(m.0 < Decimal::from(1_000_000_000_000_000i64));
            }
        }
    }

    #[test]
    fn scores_stay_within_the_weight(
        target in decimal(),
        actual in decimal(),
        weight in 0i64..=100,
        kind in 0u8..3,
    ) {
        let measure = match kind {
            0 => Measure::Positive { target, actual },
            1 => Measure::Reverse { target, actual },
            _ => Measure::Equal { target, actual },
        };
        let weight = Decimal::from(weight);
        let score = scoring::indicator_score(weight, &measure, &TierPolicy::default())
            .unwrap()
            .unwrap();
        prop_assert!(score >= Decimal::ZERO && score <= weight, "{score} of {weight}");
        let _ = scoring::completion_rate(&measure, 2);
        let _ = scoring::deviation(target, actual);
        let _ = scoring::execution_score(weight, actual, target, 2);
        let total = scoring::total(&[(weight, Some(score)), (target, None), (actual, Some(actual))]);
        prop_assert!(total >= Decimal::ZERO);
    }

    #[test]
    fn counts_and_percentages_never_overflow(
        a in any::<i64>(),
        b in any::<i64>(),
        x in decimal(),
        y in decimal(),
    ) {
        let c = arith::count_change(a, b, 1);
        prop_assert!(c.amount >= 0);
        let _ = arith::ratio_percent(x, y, 2);
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Slower (a workbook is unzipped and parsed): fewer cases.
    #[test]
    fn mangled_workbooks_never_panic(seed in any::<prop::sample::Index>(), edits in edits()) {
        let input = apply(seed.get(&XLSX_SEEDS).clone(), &edits);
        let loaded = juesuan::load::bytes("mangled.xlsx", &input);
        well_formed(&juesuan::check_loaded(loaded));
    }
}

/// The unmangled seeds pass the same checks (so a failing property is about the mangling).
#[test]
fn the_seeds_themselves_are_well_formed() {
    assert!(TOML_SEEDS.len() > 50 && XLSX_SEEDS.len() >= 5);
    for seed in TOML_SEEDS.iter() {
        well_formed(&juesuan::check_text(
            "seed.toml",
            &String::from_utf8_lossy(seed),
        ));
    }
    for seed in XLSX_SEEDS.iter() {
        let checked = juesuan::check_loaded(juesuan::load::bytes("seed.xlsx", seed));
        assert!(!checked.diagnostics.has_errors());
        well_formed(&checked);
    }
}
