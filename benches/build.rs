//! 完整生成一份部门决算说明（示例单位）所需的时间：校验、计算、模板、排版与 PDF 导出。
//!
//! Target (release, 2 cores): ≤ 0.15 s wall for the whole build in a fresh process; this bench
//! measures the in-process phases, `hyperfine 'target/release/juesuan build …'` the fresh process
//! (see docs/development.md). `benches/batch.rs` measures many departments at once.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use juesuan::render::fonts::{FontBook, FontOptions};
use juesuan::render::{self, Format, RenderOptions, Timings};

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ebian-xinfang-2023.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let options = RenderOptions {
        templates: None,
        fonts: FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        },
        attachment: None,
    };
    let build = |format: Format| {
        let checked = juesuan::check_text("example.toml", &text);
        let bureau = checked.bureau.unwrap();
        let artifacts = render::build(&bureau, &[format], &options, &mut Timings::default());
        artifacts.unwrap()[0].bytes.len()
    };
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("check", |b| {
        b.iter(|| {
            juesuan::check_text("example.toml", &text)
                .diagnostics
                .0
                .len()
        })
    });
    g.bench_function("typst_source", |b| b.iter(|| build(Format::Typ)));
    g.bench_function("fonts", |b| {
        b.iter(|| FontBook::load(&options.fonts).fonts.len())
    });
    g.bench_function("pdf", |b| b.iter(|| build(Format::Pdf)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
