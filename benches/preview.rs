//! The web page's preview (issue 14): one warm engine for the server's life; after the first
//! build, an upload that differs in one figure is checked and rebuilt to PDF. Target on a 2-core
//! machine: ≤ 150 ms of server time (reading and checking the workbook, computing, laying out
//! and exporting the PDF). Run with `cargo bench --bench preview`.

use criterion::{Criterion, criterion_group, criterion_main};
use juesuan::render::fonts::FontOptions;
use juesuan::render::{Engine, Format, RenderOptions, Timings};

const EXAMPLE: &str = include_str!("../data/ebian-xinfang-2023.toml");

/// The example with its 公务接待 budget changed: one figure, so the 说明 and one table change.
/// Every `n` gives a budget never seen before, so no build is a repeat Typst could replay whole.
fn with_budget(n: u64) -> String {
    let budget = format!("budget = {}.{:02}", 1 + n / 100, n % 100);
    let text = EXAMPLE.replacen("budget = 0.9 ", &format!("{budget} "), 1);
    assert_ne!(text, EXAMPLE);
    text
}

fn bench(c: &mut Criterion) {
    // As the web page does (src/serve): each layout starts from the last of the same department.
    juesuan::render::pdf::remember_layouts(true);
    let engine = Engine::new(&RenderOptions {
        templates: None,
        fonts: FontOptions {
            bundled_only: true,
            dirs: Vec::new(),
        },
        attachment: None,
    })
    .unwrap();
    // An upload is a workbook: made outside the timing, read (and checked) inside it.
    let workbook = |text: &str| juesuan::workbook::from_toml("upload.toml", text).unwrap();
    let build = |bytes: &[u8]| {
        let checked = juesuan::check_loaded(juesuan::load::bytes("upload.xlsx", bytes));
        let bureau = checked.bureau.unwrap();
        engine
            .build(&bureau, &[Format::Pdf], &mut Timings::default())
            .unwrap()
            .remove(0)
            .bytes
            .len()
    };
    // The first build after start fills the caches.
    assert!(build(&workbook(EXAMPLE)) > 0);
    // Starting from the last layout changes nothing in the PDF.
    let pdf = |text: &str| {
        let checked = juesuan::check_loaded(juesuan::load::bytes("upload.xlsx", &workbook(text)));
        let bureau = checked.bureau.unwrap();
        engine
            .build(&bureau, &[Format::Pdf], &mut Timings::default())
            .unwrap()
            .remove(0)
            .bytes
    };
    let seeded = pdf(&with_budget(9_999));
    juesuan::render::pdf::remember_layouts(false);
    assert!(seeded == pdf(&with_budget(9_999)));
    juesuan::render::pdf::remember_layouts(true);
    assert!(build(&workbook(EXAMPLE)) > 0);
    let mut n = 0;
    let mut g = c.benchmark_group("preview");
    g.sample_size(10);
    g.bench_function("one_figure_changed", |b| {
        b.iter_batched(
            || {
                n += 1;
                workbook(&with_budget(n))
            },
            |bytes| build(&bytes),
            criterion::BatchSize::PerIteration,
        )
    });
    // How many layout iterations the last preview needed (1 when the seed was still right).
    let seeded = {
        n += 1;
        build(&workbook(&with_budget(n)));
        juesuan::render::pdf::last_passes().0.len()
    };
    println!("preview/one_figure_changed：排版 {seeded} 遍");
    // The same without starting from the last layout (as before issue 23), for comparison.
    juesuan::render::pdf::remember_layouts(false);
    g.bench_function("one_figure_changed_from_nothing", |b| {
        b.iter_batched(
            || {
                n += 1;
                workbook(&with_budget(n))
            },
            |bytes| build(&bytes),
            criterion::BatchSize::PerIteration,
        )
    });
    let from_nothing = juesuan::render::pdf::last_passes().0.len();
    juesuan::render::pdf::remember_layouts(true);
    g.finish();
    println!("preview/one_figure_changed_from_nothing：排版 {from_nothing} 遍");
}

criterion_group!(benches, bench);
criterion_main!(benches);
