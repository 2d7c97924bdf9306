//! 完整生成一份部门决算说明（示例单位，61 页）所需的时间：校验、计算、模板、排版与 PDF 导出。
//!
//! Rows of issue 23 (see docs/performance.md):
//! - `build/fresh_process`: `juesuan build data/ebian-xinfang-2023.toml --bundled-fonts` as a new
//!   process, the way a user runs it (target ≤ 0.15 s on an idle 2-core machine);
//! - `build/pdf` against `build/one_layout_pass`: the whole build in process, and Typst's first
//!   layout iteration alone of the same generated source; their ratio is printed at the end
//!   ("full build ÷ one layout pass", target ≤ 1.05).
//!
//! `benches/batch.rs` measures many departments and the large one, `benches/preview.rs` the web
//! page. Run with `cargo bench --bench build`.

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use juesuan::render::fonts::{FontBook, FontOptions};
use juesuan::render::{self, Format, RenderOptions, Timings, engine, pdf};

fn options() -> RenderOptions {
    RenderOptions {
        templates: None,
        fonts: FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        },
        attachment: None,
    }
}

fn example() -> (std::path::PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ebian-xinfang-2023.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// The whole build in process, Typst's caches emptied afterwards (as `render::build` does).
fn build(text: &str, format: Format) -> usize {
    let checked = juesuan::check_text("example.toml", text);
    let bureau = checked.bureau.unwrap();
    let artifacts = render::build(&bureau, &[format], &options(), &mut Timings::default());
    artifacts.unwrap()[0].bytes.len()
}

/// Typst's first layout iteration of the generated source, caches emptied afterwards.
fn one_pass(source: &str, fonts: &FontBook) -> usize {
    let pages = pdf::first_pass(source, fonts).unwrap().pages().len();
    engine::evict_caches(0);
    pages
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn bench(c: &mut Criterion) {
    let (path, text) = example();
    let typ = String::from_utf8(
        render::build(
            &juesuan::check_text("example.toml", &text).bureau.unwrap(),
            &[Format::Typ],
            &options(),
            &mut Timings::default(),
        )
        .unwrap()
        .remove(0)
        .bytes,
    )
    .unwrap();
    let fonts = FontBook::load(&options().fonts);
    let out = std::env::temp_dir().join(format!("juesuan-bench-build-{}", std::process::id()));

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
    g.bench_function("typst_source", |b| b.iter(|| build(&text, Format::Typ)));
    g.bench_function("fonts", |b| {
        b.iter(|| FontBook::load(&options().fonts).fonts.len())
    });
    g.bench_function("pdf", |b| b.iter(|| build(&text, Format::Pdf)));
    g.bench_function("one_layout_pass", |b| b.iter(|| one_pass(&typ, &fonts)));
    g.bench_function("fresh_process", |b| {
        b.iter(|| {
            let status = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
                .arg("build")
                .arg(&path)
                .args(["--bundled-fonts", "-o"])
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&out);

    // The ratio, from runs taken in turn so that a change in the machine's load hits both.
    let (mut full, mut pass) = (Vec::new(), Vec::new());
    let mut iterations = 0;
    for _ in 0..15 {
        let start = Instant::now();
        build(&text, Format::Pdf);
        full.push(start.elapsed());
        iterations = pdf::last_passes().0.len();
        let start = Instant::now();
        one_pass(&typ, &fonts);
        pass.push(start.elapsed());
    }
    let (full, pass) = (median(full), median(pass));
    println!(
        "build/full ÷ one layout pass: {:.2}（完整生成 {:.1} ms，排版 {iterations} 遍；第一遍排版 {:.1} ms；中位数，15 次交替）",
        full.as_secs_f64() / pass.as_secs_f64(),
        full.as_secs_f64() * 1e3,
        pass.as_secs_f64() * 1e3,
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
