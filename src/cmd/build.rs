//! `juesuan build`：校验 → 计算 → 渲染，全部成功后才原子地写出文件。

use std::path::{Path, PathBuf};

use super::{os_error, report};
use crate::diagnostic::Diagnostics;
use crate::output::write_all;
use crate::render::fonts::FontOptions;
use crate::render::{self, Format, RenderOptions, Timings};
use crate::session::Session;

pub struct BuildArgs {
    pub file: PathBuf,
    pub output: PathBuf,
    pub formats: Vec<Format>,
    pub strict: bool,
    pub timings: bool,
    pub templates: Option<PathBuf>,
    pub font_dirs: Vec<PathBuf>,
    pub bundled_fonts: bool,
    pub attachment: Option<usize>,
    /// `--check DIR`: compare with the files there instead of writing.
    pub check: Option<PathBuf>,
    /// `--previous LAST_YEAR`: last year's input (or a folder of them).
    pub previous: Option<PathBuf>,
}

pub fn run(args: BuildArgs) -> i32 {
    let mut timings = Timings::default();
    let start = std::time::Instant::now();
    let options = RenderOptions {
        templates: args.templates.clone(),
        fonts: FontOptions {
            bundled_only: args.bundled_fonts,
            dirs: args.font_dirs.clone(),
        },
        attachment: args.attachment,
    };
    let session = match Session::new(&options) {
        Ok(s) => s,
        Err(e) => return super::check::unusable(&e, &args.file),
    };
    let checked = timings.time("读取与校验", || {
        crate::previous::check_file_opt(&args.file, args.previous.as_deref(), &session)
    });
    let checked = match checked {
        Ok((c, _)) => c,
        Err(f) => {
            eprint!("{}", super::check::previous_failure(&f));
            eprintln!("{}：未生成任何文件。", args.file.display());
            return 1;
        }
    };
    let d = &checked.diagnostics;
    if !d.is_empty() {
        eprint!("{}", report::human(d, &checked.source));
    }
    let bureau = match checked.bureau.as_ref() {
        Some(b) if !d.blocks(args.strict) => b,
        _ => {
            eprintln!("{}：{}，未生成任何文件。", args.file.display(), d.summary());
            return 1;
        }
    };
    // Typst's caches are not emptied: the process ends after writing, and freeing every memoised
    // result one by one took a tenth of the example's build (docs/speed.md).
    let built = session.build(bureau, &args.formats, &mut timings);
    let artifacts = match built {
        Ok(a) => a,
        Err(errors) => {
            eprint!("{}", report::human(&errors, &checked.source));
            eprintln!("{}：生成失败，未写出任何文件。", args.file.display());
            return 1;
        }
    };
    let stem = args
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "juesuan".to_string());
    let stem = match args.attachment {
        Some(n) => format!("{stem}-附件{n}"),
        None => stem,
    };
    if let Some(dir) = &args.check {
        return compare_all(dir, &stem, &artifacts);
    }
    let targets: Vec<PathBuf> = artifacts
        .iter()
        .map(|a| args.output.join(format!("{stem}.{}", a.extension)))
        .collect();
    let mut inputs = vec![args.file.as_path()];
    inputs.extend(args.previous.as_deref());
    if let Some(d) = super::clobber::refusal(targets.iter().map(PathBuf::as_path), &inputs) {
        eprint!("{}", report::human(&Diagnostics::from(d), &checked.source));
        return 1;
    }
    let written = timings.time("写出", || write_all(&args.output, &stem, &artifacts));
    match written {
        Ok(paths) => {
            for p in paths {
                eprintln!("已生成 {}", os_error::shown(&p));
            }
        }
        Err(e) => {
            eprint!(
                "{}",
                report::human(&Diagnostics::from(e.diagnostic()), &checked.source)
            );
            eprintln!("{}：未写出任何文件。", args.file.display());
            return 1;
        }
    }
    if args.timings {
        for (phase, t) in &timings.0 {
            eprintln!("  {phase:<8} {:>8.1} ms", t.as_secs_f64() * 1000.0);
        }
        eprintln!(
            "  {:<8} {:>8.1} ms",
            "合计",
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
    0
}

/// `build --check DIR`: compares each artifact with `DIR/<stem>.<ext>` (the file `build` would
/// write). Prints a unified diff of every text output that differs (Typst, Markdown) and names a
/// PDF that differs by bytes. 0 when all are identical, 1 otherwise.
fn compare_all(dir: &Path, stem: &str, artifacts: &[render::Artifact]) -> i32 {
    let mut differing = 0;
    for a in artifacts {
        let path = dir.join(format!("{stem}.{}", a.extension));
        if let Some(kind) = crate::input::source::special_file(&path) {
            eprintln!(
                "{}：这是{kind}，不是普通文件，不读取，视为不同。",
                path.display()
            );
            differing += 1;
            continue;
        }
        let old = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!(
                    "{}：无法读取（{}），视为不同。",
                    path.display(),
                    os_error::reason(&e)
                );
                differing += 1;
                continue;
            }
        };
        if old == a.bytes {
            eprintln!("相同 {}", path.display());
            continue;
        }
        differing += 1;
        match (std::str::from_utf8(&old), std::str::from_utf8(&a.bytes)) {
            (Ok(before), Ok(after)) if a.extension != "pdf" => {
                eprintln!("不同 {}：", path.display());
                print!(
                    "{}",
                    unified_diff(before, after, &path.display().to_string(), "本次生成")
                );
            }
            _ => eprintln!(
                "不同 {}：PDF 逐字节比较不一致（{} 字节 → {} 字节）。",
                path.display(),
                old.len(),
                a.bytes.len()
            ),
        }
    }
    if differing == 0 {
        eprintln!(
            "{} 个文件与 {} 中的完全相同。",
            artifacts.len(),
            dir.display()
        );
        0
    } else {
        eprintln!(
            "{} 个文件中有 {differing} 个与 {} 中的不同。",
            artifacts.len(),
            dir.display()
        );
        1
    }
}

/// A unified diff (3 lines of context) of two texts, labelled as `--- old` / `+++ new`.
pub fn unified_diff(before: &str, after: &str, old_label: &str, new_label: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}
