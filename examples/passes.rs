//! Lays out a Typst file made by `juesuan build --format typ` with the bundled fonts and prints
//! how long each layout iteration and the PDF export took (see docs/performance.md):
//!
//! ```text
//! cargo run --release --example passes -- output/ebian-xinfang-2023.typ [runs] [first|none]
//! ```
//!
//! `first` lays out Typst's first iteration only and does not export; `none` only reads the file
//! and loads the fonts (to subtract from an instruction count, e.g. under cachegrind).

use std::time::Instant;

use juesuan::render::fonts::{FontBook, FontOptions};
use juesuan::render::pdf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("用法：passes 文件.typ [次数]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).map_or(1, |n| n.parse().expect("次数"));
    let mode = args.get(2).map_or("", String::as_str);
    let source = std::fs::read_to_string(file).expect("读取");
    let fonts = FontBook::load(&FontOptions {
        bundled_only: true,
        dirs: Vec::new(),
    });
    for _ in 0..runs {
        if mode == "none" {
            println!("{} 个字体", fonts.fonts.len());
            continue;
        }
        let start = Instant::now();
        if mode == "first" {
            let doc = pdf::first_pass(&source, &fonts).expect("第一遍排版");
            println!(
                "{} 页；第一遍排版 {:.1} ms",
                doc.pages().len(),
                start.elapsed().as_secs_f64() * 1e3
            );
            juesuan::render::engine::evict_caches(0);
            continue;
        }
        let (doc, passes) = match pdf::layout_passes(&source, &fonts) {
            Ok(done) => done,
            Err(d) => {
                eprintln!("{d:?}");
                std::process::exit(1);
            }
        };
        let laid = start.elapsed();
        let after_layout = peak_kib();
        let start = Instant::now();
        let bytes = pdf::export(&doc, "passes").expect("导出").len();
        let exported = start.elapsed();
        let parts = juesuan::render::parts::last_layouts();
        let iterations: Vec<String> = if parts.is_empty() {
            passes
                .0
                .iter()
                .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
                .collect()
        } else {
            // Laid out in parts: each part's iterations, "第几部分:毫秒".
            parts
                .iter()
                .map(|(part, d)| format!("{part}:{:.1}", d.as_secs_f64() * 1e3))
                .collect()
        };
        println!(
            "{} 页；排版 {:.1} ms（各遍 {} ms），导出 {:.1} ms（{bytes} 字节）；内存峰值 排版后 {} MiB、导出后 {} MiB",
            doc.pages().len(),
            laid.as_secs_f64() * 1e3,
            iterations.join(" + "),
            exported.as_secs_f64() * 1e3,
            after_layout / 1024,
            peak_kib() / 1024,
        );
        drop(doc);
        let start = Instant::now();
        juesuan::render::engine::evict_caches(0);
        println!("清空缓存 {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    }
}

/// The process's peak resident memory so far (Linux; 0 elsewhere).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
