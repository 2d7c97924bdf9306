//! 稳定版工具链上的模糊测试：确定性的变异器 + 与 `fuzz/` 相同的三个目标（TOML、工作簿、PDF）。
//!
//! cargo-fuzz needs a nightly toolchain; this harness needs nothing but `cargo run`, so anyone (and
//! CI, if it wants) can repeat a campaign exactly. It mutates the seed inputs (bit flips, byte
//! inserts and deletes, splices between seeds, numbers replaced by huge, tiny and negative ones,
//! strings replaced by hostile text, truncation, repeated chunks; for workbooks also the counts,
//! indices and cell ranges the XML parts declare, as in issue 20; for PDFs the sizes and counts
//! they declare and the content of their compressed streams, inflated, mutated and compressed
//! again), runs each mutant through the
//! same functions as the cargo-fuzz targets under `catch_unwind`, and exits non-zero if any input
//! panicked. Crashing inputs are saved under `fuzz/crashes/`.
//!
//! ```text
//! cargo run --release --example fuzz_stable -- toml --runs 1000000
//! cargo run --release --example fuzz_stable -- workbook --runs 20000 --seed 7 --trace
//! cargo run --release --example fuzz_stable -- pdf --runs 5000 --max-memory-mb 1024
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Memory is capped (`--max-memory-mb`, default 2048): an input that makes the code under test
/// allocate without bound is a finding too. Past the cap an allocation fails, which aborts the
/// process ("memory allocation of … bytes failed"); with `--trace` the input being run is
/// always in `fuzz/crashes/current-<target>`, so the culprit is kept.
struct CappedAllocator;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static MEMORY_CAP: AtomicUsize = AtomicUsize::new(2048 << 20);

unsafe impl GlobalAlloc for CappedAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let before = ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        if before + layout.size() > MEMORY_CAP.load(Ordering::Relaxed) {
            ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CappedAllocator = CappedAllocator;

/// The TOML target: check the text as `juesuan check` does, render its diagnostics as the CLI
/// prints them, and compute every figure when the input is clean (as `juesuan figures` does).
fn toml_target(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let checked = juesuan::check_text("fuzz.toml", text);
    after_check(&checked);
}

/// The workbook target: read the bytes as a workbook, then check it.
fn workbook_target(bytes: &[u8]) {
    let loaded = juesuan::load::bytes("fuzz.xlsx", bytes);
    let checked = juesuan::check_loaded(loaded);
    after_check(&checked);
}

/// The PDF target: audit the bytes as `juesuan audit` does (read, recognise the tables, import
/// and check them, read the 说明), then write every report format.
fn pdf_target(bytes: &[u8]) {
    if let Ok(audit) = juesuan::audit::audit("fuzz.pdf", bytes, &Default::default()) {
        MODELS.fetch_add(1, Ordering::Relaxed);
        if !audit.tables.is_empty() {
            FIGURES.fetch_add(1, Ordering::Relaxed);
        }
        let _ = audit.text();
        let _ = audit.json();
        let _ = juesuan::audit::report::html(std::slice::from_ref(&audit));
        let _ = juesuan::audit::report::report_xlsx(&audit);
    }
}

/// How many inputs got as far as a model, and as far as the figures (a campaign that never gets
/// past the parser tests little).
static MODELS: AtomicU64 = AtomicU64::new(0);
static FIGURES: AtomicU64 = AtomicU64::new(0);

fn after_check(checked: &juesuan::Checked) {
    if checked.bureau.is_some() {
        MODELS.fetch_add(1, Ordering::Relaxed);
    }
    let _ = juesuan::report::human(&checked.diagnostics, &checked.source);
    let _ = juesuan::report::json(&checked.diagnostics);
    if let Some(bureau) = checked
        .bureau
        .as_ref()
        .filter(|_| !checked.diagnostics.has_errors())
    {
        FIGURES.fetch_add(1, Ordering::Relaxed);
        let _ = juesuan::render::prepare(bureau, &Default::default());
    }
}

/// SplitMix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Numbers a hostile user types where an amount, a count, a year or an indicator value goes.
const NUMBERS: &[&str] = &[
    "99999999999999999999",
    "0.000000000000000001",
    "-1",
    "-0",
    "-0.01",
    "0",
    "1e308",
    "1e-308",
    "inf",
    "nan",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967296",
    "999999999999999.99",
    "1000000000000000",
    "1.005",
    "0.125",
    "1_000",
    "\"12.5\"",
    "\"\"",
    "'x'",
    "2147483648",
    "65536",
    "1.7976931348623157e308",
];

/// Strings a hostile user types into a name, a reason or a code.
const STRINGS: &[&str] = &[
    "\"\"",
    "\"   \"",
    "\"#set page(width: 1pt)\"",
    "\"{{ doc }}{% raw %}\"",
    "\"$x$ *b* _i_ `c` @r <l> \\\\\"",
    "\"\\u0000\\u202e\\ufeff\"",
    "\"𠀀𪚥\"",
    "\"2010308\"",
    "\"20103080000000000000\"",
    "\"201\"",
    "\"99999\"",
    "\"万元\"",
    "\"元\"",
    "\"sichuan\"",
    "\"positive\"",
    "\"reverse\"",
    "\"equal\"",
    "\"qualitative\"",
    "\"achieved\"",
    "true",
    "[]",
    "{}",
    "[1, 2]",
];

/// Bytes that move TOML's structure around.
const SYNTAX: &[u8] = b"\"'[]{}=,.\n#-+0123456789_ \\\t\r\x00\xff";

/// Inputs never grow past this, so a campaign's memory stays flat.
const MAX_LEN: usize = 1 << 20;

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    let rounds = 1 + rng.below(4);
    // Half the mutants keep the syntax and change only values, so they reach the model, the
    // rules and the figures instead of stopping at the parser.
    if rng.below(2) == 0 {
        for _ in 0..rounds {
            if rng.below(3) == 0 {
                replace_token(rng, input, |b| b == b'"', STRINGS);
            } else {
                replace_token(rng, input, |b| b.is_ascii_digit(), NUMBERS);
            }
        }
        input.truncate(MAX_LEN);
        return;
    }
    for _ in 0..rounds {
        let len = input.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                let b = if rng.below(2) == 0 {
                    *rng.pick(SYNTAX)
                } else {
                    rng.next() as u8
                };
                input.insert(i, b);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                input.drain(i..i + n);
            }
            3 => {
                // Splice a chunk of another seed in.
                let other = rng.pick(seeds);
                if !other.is_empty() {
                    let from = rng.below(other.len());
                    let n = 1 + rng.below((other.len() - from).min(512));
                    let at = rng.below(len + 1);
                    let end = (at + rng.below(64)).min(len);
                    input.splice(at..end, other[from..from + n].iter().copied());
                }
            }
            4 | 5 => replace_token(rng, input, |b| b.is_ascii_digit(), NUMBERS),
            6 => replace_token(rng, input, |b| b == b'"', STRINGS),
            7 if len > 0 => input.truncate(rng.below(len)),
            8 if len > 0 => {
                // Repeat a chunk (a line, a table) a few times.
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(256));
                let chunk = input[i..i + n].to_vec();
                for _ in 0..1 + rng.below(8) {
                    input.splice(i..i, chunk.iter().copied());
                }
            }
            _ if len > 0 => {
                let i = rng.below(len);
                input[i] = *rng.pick(SYNTAX);
            }
            _ => {}
        }
    }
    input.truncate(MAX_LEN);
}

/// Replaces the token starting at a random byte where `starts` holds (a number or a string).
fn replace_token(rng: &mut Rng, input: &mut Vec<u8>, starts: fn(u8) -> bool, with: &[&str]) {
    if input.is_empty() {
        return;
    }
    let from = rng.below(input.len());
    let Some(offset) = input[from..].iter().position(|&b| starts(b)) else {
        return;
    };
    let start = from + offset;
    let end = if input[start] == b'"' {
        input[start + 1..]
            .iter()
            .position(|&b| b == b'"' || b == b'\n')
            .map_or(input.len(), |p| start + 2 + p)
            .min(input.len())
    } else {
        input[start..]
            .iter()
            .position(|&b| !(b.is_ascii_digit() || b == b'.' || b == b'_'))
            .map_or(input.len(), |p| start + p)
    };
    input.splice(start..end, rng.pick(with).bytes());
}

/// Attributes whose numbers calamine takes as sizes or positions: the shared strings' counts
/// (`uniqueCount` is reserved for), a shared formula's index (a table grown to it), cell, row
/// and range references (u32 arithmetic), row spans and style ids.
const DECLARED: &[&str] = &[
    "uniqueCount=\"",
    "count=\"",
    " si=\"",
    " r=\"",
    " ref=\"",
    " spans=\"",
    " s=\"",
    "numFmtId=\"",
];

/// What a hostile file declares there.
const DECLARED_VALUES: &[&str] = &[
    "2000000000",
    "4294967295",
    "4294967296",
    "4294967297",
    "18446744073709551615",
    "99999999999999999999999",
    "0",
    "-1",
    "1048576",
    "1048577",
    "XFD1048576",
    "XFE1",
    "A4294967297",
    "AAAAAAAAAAAAAAAAAAAA1",
    "A1:XFD1048576",
    "B2:A1",
    "A1:A4294967297",
    "1:16384",
    "",
];

/// A well-formed workbook whose XML parts declare hostile counts and dimensions: one to three
/// attributes of [`DECLARED`] get a value of [`DECLARED_VALUES`]. The zip and the
/// XML stay valid, so the numbers reach the reader (and calamine) instead of a parse error.
fn declared_mutant(rng: &mut Rng, xlsx: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).ok()?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).ok()?;
        parts.push((f.name().ok()?.to_string(), bytes));
    }
    for _ in 0..1 + rng.below(3) {
        // The attribute first, then one of its places in any XML part: a count stated once
        // (the shared strings' uniqueCount) is as likely as a cell reference stated thousands
        // of times.
        let attribute = *rng.pick(DECLARED);
        let places: Vec<(usize, usize)> = parts
            .iter()
            .enumerate()
            .filter(|(_, (name, _))| name.ends_with(".xml"))
            .flat_map(|(p, (_, bytes))| {
                bytes
                    .windows(attribute.len())
                    .enumerate()
                    .filter(|(_, w)| *w == attribute.as_bytes())
                    .map(move |(i, _)| (p, i + attribute.len()))
            })
            .collect();
        if places.is_empty() {
            continue;
        }
        let (part, start) = *rng.pick(&places);
        let bytes = &mut parts[part].1;
        let Some(len) = bytes[start..].iter().position(|&b| b == b'"') else {
            continue;
        };
        bytes.splice(start..start + len, rng.pick(DECLARED_VALUES).bytes());
    }
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in &parts {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .ok()?;
        out.write_all(bytes).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

/// Keys whose numbers a PDF reader takes as sizes, counts or positions.
const PDF_DECLARED: &[&str] = &[
    "/Length ",
    "/Count ",
    "/Size ",
    "/N ",
    "/First ",
    "/Width ",
    "/Height ",
    "/BitsPerComponent ",
    "/Columns ",
    "/Predictor ",
    "/FirstChar ",
    "/LastChar ",
    "/Prev ",
    "/W [",
    "/Index [",
    "/MediaBox [",
    "/Widths [",
];

/// Numbers a hostile PDF writes (PDF numbers have no exponent).
const PDF_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-0.0001",
    "0.0000001",
    "1",
    "255",
    "65536",
    "2147483647",
    "2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "99999999999999999999999999",
    "-99999999999999999999999999",
    "1000000000",
    "3.4028236e38",
    "1.",
    ".",
    "-",
];

/// Content-stream operators, inserted or repeated to move the reader's state around.
const PDF_OPERATORS: &[&str] = &[
    " q ",
    " Q ",
    " BT ",
    " ET ",
    " cm ",
    " Tm ",
    " Td ",
    " TJ ",
    " Tj ",
    " Tf ",
    " re ",
    " f ",
    " S ",
    " m ",
    " l ",
    " h ",
    " W n ",
    " Do ",
    " gs ",
    " BI ID EI ",
    " [] 0 d ",
    " 0 Tr ",
    " 7 Tr ",
    " 3 Tz ",
    " 0 0 0 0 0 0 cm ",
    " 1e9 0 0 1e9 0 0 cm ",
];

/// A PDF with one to three hostile changes that keep it a PDF: a declared size or count replaced
/// ([`PDF_DECLARED`]), or a compressed stream (page content, object or cross-reference stream)
/// inflated, mutated — numbers, operators, cuts, repeats — and compressed again with its
/// `/Length` corrected, so the change reaches the interpreter and the table recogniser instead
/// of stopping at a broken deflate stream. `None` when the seed has nothing to change.
fn pdf_mutant(rng: &mut Rng, pdf: &[u8]) -> Option<Vec<u8>> {
    let mut out = pdf.to_vec();
    for _ in 0..1 + rng.below(3) {
        if rng.below(3) == 0 {
            let key = rng.pick(PDF_DECLARED).as_bytes();
            let places: Vec<usize> = out
                .windows(key.len())
                .enumerate()
                .filter(|(_, w)| *w == key)
                .map(|(i, _)| i + key.len())
                .collect();
            if places.is_empty() {
                continue;
            }
            let start = *rng.pick(&places);
            let len = out[start..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'.' || *b == b'-'))
                .unwrap_or(0);
            out.splice(start..start + len, rng.pick(PDF_NUMBERS).bytes());
            continue;
        }
        let streams = flate_streams(&out);
        if streams.is_empty() {
            continue;
        }
        let (length_at, body) = rng.pick(&streams).clone();
        let Some(mut plain) = inflate(&out[body.clone()]) else {
            continue;
        };
        for _ in 0..1 + rng.below(4) {
            let len = plain.len();
            match rng.below(6) {
                0 | 1 => replace_token(
                    rng,
                    &mut plain,
                    |b| b.is_ascii_digit() || b == b'-',
                    PDF_NUMBERS,
                ),
                2 => {
                    let at = rng.below(len + 1);
                    plain.splice(at..at, rng.pick(PDF_OPERATORS).bytes());
                }
                3 if len > 0 => plain.truncate(rng.below(len)),
                4 if len > 0 => {
                    let i = rng.below(len);
                    let n = 1 + rng.below((len - i).min(512));
                    let chunk = plain[i..i + n].to_vec();
                    for _ in 0..1 + rng.below(64) {
                        plain.splice(i..i, chunk.iter().copied());
                    }
                }
                _ if len > 0 => {
                    let i = rng.below(len);
                    plain[i] ^= 1 << rng.below(8);
                }
                _ => {}
            }
        }
        plain.truncate(MAX_LEN * 4);
        let packed = deflate(&plain);
        let new_len = packed.len().to_string();
        out.splice(body, packed);
        if let Some((at, old)) = length_at {
            out.splice(at..at + old, new_len.bytes());
        }
    }
    Some(out)
}

/// A compressed stream of a PDF: the place and width of a direct `/Length` number in its
/// dictionary (when it has one), and the range of its compressed bytes.
type FlateStream = (Option<(usize, usize)>, std::ops::Range<usize>);

/// The FlateDecode streams of a PDF.
fn flate_streams(pdf: &[u8]) -> Vec<FlateStream> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(p) = find(&pdf[from..], b"stream") {
        let keyword = from + p;
        from = keyword + 6;
        if pdf[..keyword].ends_with(b"end") {
            continue;
        }
        let mut start = keyword + 6;
        if pdf.get(start) == Some(&b'\r') {
            start += 1;
        }
        if pdf.get(start) != Some(&b'\n') {
            continue;
        }
        start += 1;
        let Some(end) = find(&pdf[start..], b"endstream").map(|e| start + e) else {
            break;
        };
        let dict = &pdf[keyword.saturating_sub(400)..keyword];
        let Some(d) = rfind(dict, b"<<") else {
            continue;
        };
        let dict_start = keyword.saturating_sub(400) + d;
        let dict = &pdf[dict_start..keyword];
        if find(dict, b"/FlateDecode").is_none() {
            continue;
        }
        let length = find(dict, b"/Length ").and_then(|l| {
            let at = dict_start + l + 8;
            let width = pdf[at..].iter().position(|b| !b.is_ascii_digit())?;
            // `/Length 12 0 R` is an indirect length: leave it.
            let after = &pdf[at + width..(at + width + 6).min(pdf.len())];
            (width > 0 && !after.ends_with(b"R") && !after.contains(&b'R')).then_some((at, width))
        });
        let mut body_end = end;
        while body_end > start && matches!(pdf[body_end - 1], b'\r' | b'\n') {
            body_end -= 1;
        }
        found.push((length, start..body_end));
        from = end + 9;
    }
    found
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// A stream inflated, at most 16 MB of it.
fn inflate(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .take(16 << 20)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let _ = z.write_all(bytes);
    z.finish().unwrap_or_default()
}

/// Every seed file with the given extension under the given folders (recursively).
fn seeds(dirs: &[&str], extension: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.iter().map(|d| root.join(d)).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                if let Ok(bytes) = std::fs::read(&path) {
                    out.push((path, bytes));
                }
            }
        }
    }
    out.sort();
    out
}

struct Campaign {
    name: &'static str,
    runs: u64,
    crashes: u64,
    models: u64,
    figures: u64,
    slowest: Duration,
    elapsed: Duration,
}

fn campaign(
    name: &'static str,
    target: fn(&[u8]),
    corpus: &[Vec<u8>],
    make: &dyn Fn(&mut Rng, &[u8]) -> Vec<u8>,
    runs: u64,
    seed: u64,
    trace: bool,
) -> Campaign {
    let mut rng = Rng(seed);
    MODELS.store(0, Ordering::Relaxed);
    FIGURES.store(0, Ordering::Relaxed);
    let start = Instant::now();
    let mut result = Campaign {
        name,
        runs: 0,
        crashes: 0,
        models: 0,
        figures: 0,
        slowest: Duration::ZERO,
        elapsed: Duration::ZERO,
    };
    let crash_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/crashes");
    // The unmutated seeds first: they must pass.
    let mut queue: Vec<Vec<u8>> = corpus.to_vec();
    queue.reverse();
    while result.runs < runs {
        let mut input = match queue.pop() {
            Some(i) => i,
            None => {
                let mut input = rng.pick(corpus).clone();
                mutate(&mut rng, &mut input, corpus);
                input
            }
        };
        // Making the input (writing a workbook from TOML) is code under test too.
        if trace {
            let _ = std::fs::create_dir_all(&crash_dir);
            let _ = std::fs::write(crash_dir.join(format!("current-{name}")), &input);
        }
        let t = Instant::now();
        let made = panic::catch_unwind(AssertUnwindSafe(|| make(&mut rng, &input)));
        let outcome = match made {
            Ok(made) => {
                input = made;
                if trace {
                    let _ = std::fs::write(crash_dir.join(format!("current-{name}")), &input);
                }
                panic::catch_unwind(AssertUnwindSafe(|| target(&input)))
            }
            Err(e) => Err(e),
        };
        let took = t.elapsed();
        result.slowest = result.slowest.max(took);
        result.runs += 1;
        if outcome.is_err() {
            result.crashes += 1;
            let mut h = DefaultHasher::new();
            input.hash(&mut h);
            let _ = std::fs::create_dir_all(&crash_dir);
            let ext = match name {
                "workbook" => "xlsx",
                "pdf" => "pdf",
                _ => "toml",
            };
            let path = crash_dir.join(format!("{name}-{:016x}.{ext}", h.finish()));
            let _ = std::fs::write(&path, &input);
            eprintln!(
                "崩溃 #{}：第 {} 次执行，输入已存为 {}：{}",
                result.crashes,
                result.runs,
                path.display(),
                LAST_PANIC.with(|p| p.take())
            );
        }
        // A PDF takes milliseconds to audit, a TOML file microseconds to check.
        let every = if name == "pdf" { 1_000 } else { 10_000 };
        if result.runs % every == 0 {
            eprintln!(
                "  {name}: {} 次，{} 次崩溃，{:.0} 秒",
                result.runs,
                result.crashes,
                start.elapsed().as_secs_f64()
            );
        }
    }
    result.elapsed = start.elapsed();
    result.models = MODELS.load(Ordering::Relaxed);
    result.figures = FIGURES.load(Ordering::Relaxed);
    result
}

thread_local! {
    static LAST_PANIC: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.replace('_', "").parse::<u64>().ok())
    };
    let runs = value("--runs").unwrap_or(100_000);
    let seed = value("--seed").unwrap_or(1);
    let trace = args.iter().any(|a| a == "--trace");
    if let Some(mb) = value("--max-memory-mb") {
        MEMORY_CAP.store(
            usize::try_from(mb << 20).unwrap_or(usize::MAX),
            Ordering::Relaxed,
        );
    }
    let which = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .map_or("all", String::as_str);
    if !matches!(which, "toml" | "workbook" | "pdf" | "all") {
        eprintln!(
            "用法：cargo run --release --example fuzz_stable -- [toml|workbook|pdf|all] [--runs N] [--seed S] [--max-memory-mb M] [--trace] [--exclude 种子文件名]"
        );
        std::process::exit(2);
    }

    // Panics are expected findings here: record the message instead of printing a backtrace.
    panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        LAST_PANIC.with(|p| p.set(format!("{message} ({location})")));
    }));

    // `--exclude 文件名` drops a seed (say, one whose known crash is waiting for a fix).
    let excluded: Vec<&str> = args
        .windows(2)
        .filter(|w| w[0] == "--exclude")
        .map(|w| w[1].as_str())
        .collect();
    let keep = |(path, bytes): (PathBuf, Vec<u8>)| {
        let name = path.file_name()?.to_str()?;
        (!excluded.contains(&name)).then_some(bytes)
    };
    let toml_seeds: Vec<Vec<u8>> = seeds(&["data", "tests/fixtures"], "toml")
        .into_iter()
        .filter_map(keep)
        .collect();
    let xlsx_seeds: Vec<Vec<u8>> = seeds(&["data", "tests/fixtures/workbook"], "xlsx")
        .into_iter()
        .filter_map(keep)
        .collect();
    let mut results = Vec::new();
    if which == "toml" || which == "all" {
        results.push(campaign(
            "toml",
            toml_target,
            &toml_seeds,
            &|_, input| input.to_vec(),
            runs,
            seed,
            trace,
        ));
    }
    if which == "workbook" || which == "all" {
        // A third of the workbook mutants are byte-level (the zip container and its XML), a
        // third well-formed workbooks whose XML declares hostile counts and dimensions, a third
        // well-formed workbooks written from a mutated TOML, so cell values reach the reader.
        let make = |rng: &mut Rng, input: &[u8]| -> Vec<u8> {
            match rng.below(3) {
                0 => return input.to_vec(),
                1 => {
                    let seed = rng.pick(&xlsx_seeds).clone();
                    return declared_mutant(rng, &seed).unwrap_or_else(|| input.to_vec());
                }
                _ => {}
            }
            let mut text = rng.pick(&toml_seeds).clone();
            mutate(rng, &mut text, &toml_seeds);
            std::str::from_utf8(&text)
                .ok()
                .and_then(|t| juesuan::workbook::from_toml("fuzz.toml", t).ok())
                .unwrap_or_else(|| input.to_vec())
        };
        results.push(campaign(
            "workbook",
            workbook_target,
            &xlsx_seeds,
            &make,
            runs,
            seed,
            trace,
        ));
    }
    if which == "pdf" || which == "all" {
        // The PDFs of the audit tests (a real published package, a PDF with fonts it does not
        // embed, password-protected ones, a scan). A third of the mutants are byte-level (the
        // file's syntax, its cross-reference table), two thirds keep the file a PDF and change
        // a declared number or a compressed stream's content.
        let pdf_seeds: Vec<Vec<u8>> = seeds(&["tests/fixtures/audit"], "pdf")
            .into_iter()
            .filter_map(keep)
            .collect();
        let make = |rng: &mut Rng, input: &[u8]| -> Vec<u8> {
            if rng.below(3) == 0 {
                return input.to_vec();
            }
            let seed = rng.pick(&pdf_seeds).clone();
            pdf_mutant(rng, &seed).unwrap_or_else(|| input.to_vec())
        };
        results.push(campaign(
            "pdf", pdf_target, &pdf_seeds, &make, runs, seed, trace,
        ));
    }
    let mut crashed = false;
    for r in &results {
        // For PDFs: read as a document, and with at least one 公开表 recognised.
        let (model, figures) = if r.name == "pdf" {
            ("读成文档", "认出公开表")
        } else {
            ("读成模型", "无错误并算出全部数字")
        };
        println!(
            "{}：{} 次执行，{} 次崩溃；{} 次{model}，{} 次{figures}；用时 {:.1} 秒（{:.0} 次/秒），最慢一次 {:.1} 毫秒",
            r.name,
            r.runs,
            r.crashes,
            r.models,
            r.figures,
            r.elapsed.as_secs_f64(),
            r.runs as f64 / r.elapsed.as_secs_f64().max(1e-9),
            r.slowest.as_secs_f64() * 1000.0
        );
        crashed |= r.crashes > 0;
    }
    std::process::exit(i32::from(crashed));
}
