//! Batch builds through the same path as `juesuan build 目录`: one shared engine, every core.
//!
//! Synthetic departments (`juesuan::synthetic`, deterministic): 1, 50 and 200 typical county
//! departments with full PDF packages, and one large department (2,000 功能分类 lines, 500
//! projects). Targets on a 2-core machine: 200 packages ≤ 20 s wall with peak RSS ≤ 1 GiB; the
//! large department ≤ 3 s and ≤ 1 GiB. Run one group with e.g.
//! `cargo bench --bench batch -- county/200`; peak memory is measured on the command line (see
//! docs/development.md), since criterion runs many iterations in one process.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use juesuan::batch::{self, BatchOptions, Input};
use juesuan::render::fonts::FontOptions;
use juesuan::render::{Engine, Format, RenderOptions, Timings};
use juesuan::session::Session;
use juesuan::synthetic::{self, Shape};

fn bundled() -> RenderOptions {
    RenderOptions {
        templates: None,
        fonts: FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        },
        attachment: None,
    }
}

/// Writes `count` typical departments into a fresh folder.
fn county(count: usize) -> (PathBuf, Vec<Input>) {
    let dir = std::env::temp_dir().join(format!("juesuan-bench-{count}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).unwrap();
    let mut inputs = Vec::new();
    for (name, text) in synthetic::county(count, 2023) {
        let path = dir.join("in").join(name);
        std::fs::write(&path, text).unwrap();
        inputs.push(Input::File(path));
    }
    (dir, inputs)
}

fn run(dir: &Path, inputs: &[Input]) -> usize {
    let session = Session::new(&bundled()).unwrap();
    let options = BatchOptions {
        build: true,
        formats: vec![Format::Pdf],
        strict: false,
        output: Some(dir.join("out")),
        evict_max_age: Some(batch::EVICT_MAX_AGE),
        progress: false,
    };
    let summary = batch::process(&session, inputs, &options, &|_| {});
    assert_eq!(summary.failed(), 0);
    summary.departments.len()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("county");
    g.sample_size(10);
    for count in [1, 50, 200] {
        let (dir, inputs) = county(count);
        g.bench_function(count.to_string(), |b| b.iter(|| run(&dir, &inputs)));
        let _ = std::fs::remove_dir_all(&dir);
    }
    g.finish();

    let mut g = c.benchmark_group("large");
    g.sample_size(10);
    let text = synthetic::department(0, Shape::large(), 2023);
    g.bench_function("2000-lines-500-projects", |b| {
        b.iter(|| {
            let checked = juesuan::check_text("large.toml", &text);
            let bureau = checked.bureau.unwrap();
            let engine = Engine::new(&bundled()).unwrap();
            let pdf = engine
                .build(&bureau, &[Format::Pdf], &mut Timings::default())
                .unwrap();
            juesuan::render::engine::evict_caches(0);
            pdf[0].bytes.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
