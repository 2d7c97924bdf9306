//! `juesuan audit` time, for the Putuo package (25 pages, a real published PDF) and for the
//! example built to PDF (峨边 2023, 61 pages): reading the PDF (glyphs and ruling lines), and the
//! whole audit (tables, import, check, the 说明 aligned with the form's sentences and compared).
//! Each group's last line prints the time per page. Target: a 30-page package in under 1 s.
//! Run with `cargo bench --bench audit`; figures in docs/audit.md.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use juesuan::audit::{self, Options, pdf};
use juesuan::render::fonts::FontOptions;
use juesuan::render::{self, Format, RenderOptions, Timings};

/// The example built to PDF with the bundled fonts.
fn example_pdf() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ebian-xinfang-2023.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let bureau = juesuan::check_text("example.toml", &text).bureau.unwrap();
    let options = RenderOptions {
        templates: None,
        fonts: FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        },
        attachment: None,
    };
    render::build(&bureau, &[Format::Pdf], &options, &mut Timings::default())
        .unwrap()
        .remove(0)
        .bytes
}

/// The median of a few whole audits, per page.
fn per_page(name: &str, bytes: &[u8]) {
    let pages = pdf::read(bytes).unwrap().pages.len();
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            audit::audit(name, bytes, &Options::default()).unwrap();
            t.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "{name}: {pages} 页，整个审计 {:.0} ms，每页 {:.1} ms",
        median.as_secs_f64() * 1000.0,
        median.as_secs_f64() * 1000.0 / pages as f64
    );
}

fn bench(c: &mut Criterion) {
    let putuo = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/putuo-caizheng-2024.pdf"),
    )
    .unwrap();
    let example = example_pdf();
    let mut g = c.benchmark_group("audit");
    g.sample_size(10);
    g.bench_function("read_putuo_25_pages", |b| {
        b.iter(|| pdf::read(&putuo).unwrap().glyph_count())
    });
    g.bench_function("audit_putuo_25_pages", |b| {
        b.iter(|| {
            audit::audit("putuo.pdf", &putuo, &Options::default())
                .unwrap()
                .tables
                .len()
        })
    });
    g.bench_function("audit_example_61_pages", |b| {
        b.iter(|| {
            audit::audit("example.pdf", &example, &Options::default())
                .unwrap()
                .tables
                .len()
        })
    });
    g.finish();
    per_page("putuo-caizheng-2024.pdf", &putuo);
    per_page("ebian-xinfang-2023（示例生成）", &example);
}

criterion_group!(benches, bench);
criterion_main!(benches);
