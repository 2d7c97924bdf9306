//! `juesuan build`：校验 → 计算 → 渲染，全部成功后才原子地写出文件。

use std::io::Write;
use std::path::{Path, PathBuf};

use super::report;
use crate::render::fonts::FontOptions;
use crate::render::{self, Format, RenderOptions, Timings};

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
}

pub fn run(args: BuildArgs) -> i32 {
    let mut timings = Timings::default();
    let start = std::time::Instant::now();
    let checked = timings.time("读取与校验", || crate::check_file(&args.file));
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
    let options = RenderOptions {
        templates: args.templates.clone(),
        fonts: FontOptions {
            bundled_only: args.bundled_fonts,
            dirs: args.font_dirs.clone(),
        },
        attachment: args.attachment,
    };
    let artifacts = match render::build(bureau, &args.formats, &options, &mut timings) {
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
    let written = timings.time("写出", || write_all(&args.output, &stem, &artifacts));
    match written {
        Ok(paths) => {
            for p in paths {
                eprintln!("已生成 {}", p.display());
            }
        }
        Err(e) => {
            eprintln!("写出文件失败：{e}");
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

/// Writes every artifact to a temporary file beside its target, then renames them all: a reader
/// never sees a half-written file, and a failed build leaves earlier output untouched.
pub fn write_all(
    dir: &Path,
    stem: &str,
    artifacts: &[render::Artifact],
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut staged = Vec::new();
    for a in artifacts {
        let target = dir.join(format!("{stem}.{}", a.extension));
        let tmp = dir.join(format!(".{stem}.{}.tmp", a.extension));
        let result = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(&a.bytes)?;
            f.sync_all()
        });
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            return Err(e);
        }
        staged.push((tmp, target));
    }
    let mut done = Vec::new();
    for (tmp, target) in staged {
        std::fs::rename(&tmp, &target)?;
        done.push(target);
    }
    Ok(done)
}
