//! `juesuan audit` on the Putuo package (25 pages): reading the PDF (glyphs and ruling lines), and
//! the whole audit (tables, import, check). Target: a 30-page package in under 1 s.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use juesuan::audit::{self, Options, pdf};

fn bench(c: &mut Criterion) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/putuo-caizheng-2024.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let mut g = c.benchmark_group("audit");
    g.sample_size(10);
    g.bench_function("read_putuo_25_pages", |b| {
        b.iter(|| pdf::read(&bytes).unwrap().glyph_count())
    });
    g.bench_function("audit_putuo_25_pages", |b| {
        b.iter(|| {
            audit::audit("putuo.pdf", &bytes, &Options::default())
                .unwrap()
                .tables
                .len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
