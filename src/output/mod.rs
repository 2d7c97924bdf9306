//! 写出输出文件：整套一起写（全部成功或一个不改），绝不覆盖输入文件。
//!
//! Every command that writes files (build, a batch, convert, import, init) goes through here: the
//! artifacts of one document are staged beside their targets and renamed into place as a set,
//! and [`clobber::refusal`] keeps an output from ever replacing an input.

pub mod clobber;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostic::os_error;
use crate::diagnostic::{Diagnostic, codes};
use crate::render;

/// Why the set of outputs could not be written: the path concerned, what was being done, and
/// the operating system's error (worded in Chinese by `os_error`).
#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub action: &'static str,
    pub error: std::io::Error,
}

impl WriteError {
    fn new(path: &Path, action: &'static str, error: std::io::Error) -> Self {
        WriteError {
            path: path.to_path_buf(),
            action,
            error,
        }
    }

    /// The F005 diagnostic: code, the path, the reason in Chinese and what to do.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::of(
            codes::OUTPUT_UNWRITABLE,
            format!(
                "{} {} 失败：{}。已有的输出文件均未改动，也没有留下临时文件",
                self.action,
                os_error::shown(&self.path),
                os_error::reason(&self.error)
            ),
        )
        .hint(os_error::hint(&self.error, &self.path))
    }
}

/// Writes every artifact as one set: all files or none. Each is staged beside its target; targets
/// that exist are moved aside; then every staged file is renamed into place. On any failure every
/// step taken is undone (new files removed, the old ones put back), so earlier output is never
/// replaced by half a set, and no staged or backup file is left behind.
pub fn write_all(
    dir: &Path,
    stem: &str,
    artifacts: &[render::Artifact],
) -> Result<Vec<PathBuf>, WriteError> {
    write_all_with(dir, stem, artifacts, &mut |from, to| {
        std::fs::rename(from, to)
    })
}

/// `write_all` with the rename step given, so tests can make any one rename fail.
fn write_all_with(
    dir: &Path,
    stem: &str,
    artifacts: &[render::Artifact],
    rename: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>,
) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(dir).map_err(|e| WriteError::new(dir, "创建输出目录", e))?;
    let targets: Vec<PathBuf> = artifacts
        .iter()
        .map(|a| dir.join(format!("{stem}.{}", a.extension)))
        .collect();
    // A folder (or anything but a file) where an output goes would make its rename fail half-way:
    // refuse it before touching anything.
    for t in &targets {
        if let Ok(meta) = std::fs::metadata(t) {
            if !meta.is_file() {
                return Err(WriteError::new(
                    t,
                    "写出",
                    std::io::Error::from(std::io::ErrorKind::IsADirectory),
                ));
            }
        }
    }
    let unique = format!(
        "{}-{}",
        std::process::id(),
        SET.fetch_add(1, Ordering::Relaxed)
    );
    let short = short_stem(stem);
    for a in artifacts {
        remove_stale(dir, &short, a.extension);
    }
    let mut set = Staged::default();
    for (a, target) in artifacts.iter().zip(&targets) {
        let tmp = dir.join(format!(".{short}.{}.{unique}.tmp", a.extension));
        let written = std::fs::File::create_new(&tmp).and_then(|mut f| {
            set.staged.push(tmp.clone());
            f.write_all(&a.bytes)?;
            f.sync_all()
        });
        if let Err(e) = written {
            set.roll_back(rename);
            return Err(WriteError::new(target, "写出", e));
        }
    }
    for target in &targets {
        if !target.exists() {
            continue;
        }
        let backup = backup_name(target, &unique);
        if let Err(e) = rename(target, &backup) {
            set.roll_back(rename);
            return Err(WriteError::new(target, "替换", e));
        }
        set.backups.push((backup, target.clone()));
    }
    for (tmp, target) in set.staged.clone().iter().zip(&targets) {
        if let Err(e) = rename(tmp, target) {
            set.roll_back(rename);
            return Err(WriteError::new(target, "写出", e));
        }
        set.staged.retain(|s| s != tmp);
        set.installed.push(target.clone());
    }
    // Every file is in place: the old versions can go. Failing to delete one loses nothing.
    for (backup, _) in &set.backups {
        let _ = std::fs::remove_file(backup);
    }
    Ok(targets)
}

/// Distinguishes two sets staged by one process (tests run builds in parallel).
static SET: AtomicU64 = AtomicU64::new(0);

/// The bytes of a stem kept in the names of staged and backup files. A name may have at most
/// 255 bytes; an 80-character Chinese stem (240 bytes) fits as `stem.pdf` but not with the
/// staging suffix, so that part of the name is cut short (at a character boundary).
const STAGED_STEM_BYTES: usize = 96;

pub(crate) fn short_stem(stem: &str) -> String {
    let mut end = stem.len().min(STAGED_STEM_BYTES);
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    stem[..end].to_string()
}

fn backup_name(target: &Path, unique: &str) -> PathBuf {
    let stem = target
        .file_stem()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let extension = target
        .extension()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    target.with_file_name(format!(".{}.{extension}.{unique}.old", short_stem(&stem)))
}

/// Removes the staged files (`.stem.pdf.<pid>-<n>.tmp`) a build of this output left behind
/// when it was killed (SIGKILL, a power cut) before it could clean up. Only those of processes
/// that are gone: a build running beside this one keeps its own.
fn remove_stale(dir: &Path, short: &str, extension: &str) {
    let prefix = format!(".{short}.{extension}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(middle) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((pid, n)) = middle.split_once('-') else {
            continue;
        };
        let (Ok(pid), true) = (pid.parse::<u32>(), n.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && pid != std::process::id() && !process_alive(pid, &entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether the process that staged `file` may still be running: on Linux, whether it exists;
/// elsewhere (no cheap way to ask), whether the file changed within the last day.
fn process_alive(pid: u32, file: &Path) -> bool {
    let proc = Path::new("/proc");
    // Only Linux's: on Windows `/proc` is a folder of the current drive (wine's Z: is `/`).
    if cfg!(target_os = "linux") && proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    std::fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(24 * 3600))
}

/// What `write_all` has done so far, to be undone on failure.
#[derive(Default)]
struct Staged {
    /// Temporary files not yet renamed into place.
    staged: Vec<PathBuf>,
    /// (backup, original) for every target moved aside.
    backups: Vec<(PathBuf, PathBuf)>,
    /// Targets already replaced by a new file.
    installed: Vec<PathBuf>,
}

impl Staged {
    fn roll_back(&self, rename: &mut dyn FnMut(&Path, &Path) -> std::io::Result<()>) {
        for t in &self.installed {
            let _ = std::fs::remove_file(t);
        }
        for (backup, original) in &self.backups {
            // The test's failing rename is only for installing; restoring uses the real one,
            // and falls back to it should the injected one refuse.
            if rename(backup, original).is_err() {
                let _ = std::fs::rename(backup, original);
            }
        }
        for s in &self.staged {
            let _ = std::fs::remove_file(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifacts() -> Vec<render::Artifact> {
        ["pdf", "typ", "md"]
            .into_iter()
            .map(|extension| render::Artifact {
                extension,
                bytes: format!("new {extension}").into_bytes(),
            })
            .collect()
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("juesuan-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failure_at_any_rename_restores_the_old_set_and_leaves_nothing_behind() {
        // Renames: 2 backups (pdf, md exist), then 3 installs. Fail each one in turn.
        for fail_at in 0..5 {
            let dir = scratch(&format!("fail{fail_at}"));
            std::fs::write(dir.join("x.pdf"), "old pdf").unwrap();
            std::fs::write(dir.join("x.md"), "old md").unwrap();
            let mut n = 0;
            let mut rename = |from: &Path, to: &Path| {
                n += 1;
                if n == fail_at + 1 {
                    Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
                } else {
                    std::fs::rename(from, to)
                }
            };
            let result = write_all_with(&dir, "x", &artifacts(), &mut rename);
            assert!(result.is_err(), "rename {fail_at} failed");
            assert_eq!(listing(&dir), ["x.md", "x.pdf"], "rename {fail_at}");
            assert_eq!(
                std::fs::read_to_string(dir.join("x.pdf")).unwrap(),
                "old pdf"
            );
            assert_eq!(std::fs::read_to_string(dir.join("x.md")).unwrap(), "old md");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    #[test]
    fn success_replaces_the_whole_set_and_leaves_nothing_behind() {
        let dir = scratch("ok");
        std::fs::write(dir.join("x.pdf"), "old pdf").unwrap();
        let written = write_all(&dir, "x", &artifacts()).unwrap();
        assert_eq!(written.len(), 3);
        assert_eq!(listing(&dir), ["x.md", "x.pdf", "x.typ"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("x.pdf")).unwrap(),
            "new pdf"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_long_chinese_stem_is_written_and_its_staged_names_stay_short() {
        let dir = scratch("long");
        let stem = "决".repeat(80);
        let written = write_all(&dir, &stem, &artifacts()).unwrap();
        assert_eq!(written.len(), 3);
        assert_eq!(
            listing(&dir),
            [
                format!("{stem}.md"),
                format!("{stem}.pdf"),
                format!("{stem}.typ")
            ]
        );
        // Again, over the old set (the backups are named short too).
        write_all(&dir, &stem, &artifacts()).unwrap();
        assert_eq!(listing(&dir).len(), 3);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_staged_by_a_killed_build_are_removed_by_the_next() {
        let dir = scratch("stale");
        // A build killed while writing (pid 2^31 - 1 is never running), and one of this
        // process that is still writing: only the first goes.
        let stale = dir.join(".x.pdf.2147483647-0.tmp");
        std::fs::write(&stale, "half a pdf").unwrap();
        let running = dir.join(format!(".x.pdf.{}-999.tmp", std::process::id()));
        std::fs::write(&running, "being written").unwrap();
        let other = dir.join(".y.pdf.2147483647-0.tmp");
        std::fs::write(&other, "another output's").unwrap();
        write_all(&dir, "x", &artifacts()).unwrap();
        assert!(!stale.exists());
        assert!(running.exists() && other.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_folder_in_the_way_is_refused_before_anything_changes() {
        let dir = scratch("folder");
        std::fs::write(dir.join("x.pdf"), "old pdf").unwrap();
        std::fs::create_dir(dir.join("x.typ")).unwrap();
        let e = write_all(&dir, "x", &artifacts()).unwrap_err();
        assert!(e.path.ends_with("x.typ"));
        let d = e.diagnostic();
        assert_eq!(d.code, "F005");
        assert!(d.message.contains("这是一个文件夹"), "{}", d.message);
        assert_eq!(listing(&dir), ["x.pdf", "x.typ"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("x.pdf")).unwrap(),
            "old pdf"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
