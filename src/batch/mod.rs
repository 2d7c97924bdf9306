//! `juesuan build 目录` 与 `juesuan check 目录`：一次处理一个文件夹里的全部输入（整个县的各部门）。
//!
//! One [`Engine`] is made for the whole folder and shared by one worker per core (rayon). The run
//! has two phases: every input is read and checked (fast), which tells each department's name,
//! unit id and year; then the cross-department checks run (B001 the same bureau twice, B002 mixed
//! years), every department gets its own output folder, and the rule-clean ones are built and
//! written, each as one atomic set. A department that fails never stops the others. Typst's
//! caches are evicted after each document so memory stays flat over hundreds of packages.
//!
//! Which files are inputs: a `.toml` file or a workbook (`.xlsx .xlsm .xls .ods .et .xlsb`) by its
//! name, and any other file whose content is a workbook or TOML text with a `[bureau]` table. The
//! rest (PDFs, Word files, pictures, notes), sub-folders, hidden files and Office lock files
//! (`~$…`) are skipped and listed. Sub-folders are not searched.
//!
//! Output folders are named `单位名称-年度`. Two different units whose names are alike (equal, or
//! equal but for letter case, or equal once characters a file name cannot hold are replaced) get
//! `-2`, `-3` … in the order of their input files; the same unit twice in one year is B001 instead,
//! and only its first input is built.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::Checked;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, Severity, codes};
use crate::output::write_all;
use crate::render::fonts::FontOptions;
use crate::render::{Engine, Format, RenderOptions, Timings, engine};
use crate::report::{self, MessageFormat};
use crate::session::Session;

/// What `build 目录` evicts after each document: every memoised Typst result (age 0). Measured on
/// 19 synthetic departments: keeping the last 8 documents' results saves about a fifth of the CPU
/// time but triples peak memory, and keeping everything grows memory with the folder (see
/// docs/development.md); a flat 200 MB is worth more to a county's run than the fifth.
pub const EVICT_MAX_AGE: usize = 0;

/// A build worker's stack: Typst recurses deeply on large documents (the main thread has 8 MiB).
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// What a batch run does and where it writes.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// Build the packages (`build 目录`), or only check (`check 目录`).
    pub build: bool,
    pub formats: Vec<Format>,
    pub strict: bool,
    /// Where the department folders and the summary go (`check` writes only the summary, and only
    /// when given a folder).
    pub output: Option<PathBuf>,
    /// Evict Typst's memoised results not used in the last N documents after each document
    /// (`None`: never, for a caller that keeps them, such as a server).
    pub evict_max_age: Option<usize>,
    /// Show progress (a bar on a terminal, a line per department otherwise).
    pub progress: bool,
}

/// A file in the folder that is not an input, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// How one department came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Checked (and built, when building) without a blocking finding.
    Ok,
    /// An error (or a warning under `--strict`): nothing written for it.
    Failed,
}

impl Status {
    pub fn label(self, build: bool) -> &'static str {
        match (self, build) {
            (Status::Ok, true) => "已生成",
            (Status::Ok, false) => "通过",
            (Status::Failed, true) => "失败（未生成）",
            (Status::Failed, false) => "未通过",
        }
    }
}

/// One department's line of the summary.
#[derive(Serialize)]
pub struct Department {
    /// The input file, as given.
    pub file: String,
    pub bureau: Option<String>,
    pub id: Option<String>,
    pub year: Option<i64>,
    /// The output folder's name (under the output folder), when one was assigned.
    pub folder: Option<String>,
    pub status: Status,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// How many findings of each code.
    pub codes: BTreeMap<String, usize>,
    pub pages: Option<usize>,
    pub millis: u128,
    pub diagnostics: Diagnostics,
    /// The files written for it.
    pub written: Vec<String>,
    #[serde(skip)]
    checked: Option<Checked>,
    /// A failed department's input text, for the report's snippets.
    #[serde(skip)]
    pub source: Option<crate::input::SourceFile>,
}

impl Department {
    /// Done with the model: keep only what the report needs.
    fn release(&mut self) {
        let checked = self.checked.take();
        if self.status == Status::Failed {
            self.source = checked.map(|c| c.source);
        }
    }
}

impl Department {
    /// `R005×2、X004` style.
    pub fn codes_text(&self) -> String {
        self.codes
            .iter()
            .map(|(c, n)| {
                if *n > 1 {
                    format!("{c}×{n}")
                } else {
                    c.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    fn tally(&mut self) {
        let d = &self.diagnostics;
        self.errors = d.count(Severity::Error);
        self.warnings = d.count(Severity::Warning);
        self.infos = d.count(Severity::Info);
        self.codes.clear();
        for x in d.iter() {
            *self.codes.entry(x.code.to_string()).or_default() += 1;
        }
    }
}

/// The outcome of a whole folder.
#[derive(Serialize)]
pub struct Summary {
    pub build: bool,
    pub departments: Vec<Department>,
    /// Findings across departments (B001 is also on the department it concerns).
    pub cross: Diagnostics,
    pub skipped: Vec<Skipped>,
    pub millis: u128,
}

impl Summary {
    pub fn failed(&self) -> usize {
        self.departments
            .iter()
            .filter(|d| d.status == Status::Failed)
            .count()
    }

    /// Whether the run failed: a department failed, or a finding across departments blocks.
    pub fn blocks(&self, strict: bool) -> bool {
        self.failed() > 0 || self.cross.blocks(strict) || self.departments.is_empty()
    }
}

/// Input extensions: a folder named like an input file (`单位.toml`) is a slip, reported as
/// such by the single-file path rather than searched.
const INPUT_EXTENSIONS: &[&str] = &["toml", "xlsx", "xlsm", "xls", "ods", "et", "xlsb"];

fn has_input_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| INPUT_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Whether `build`/`check` was given a folder of inputs rather than one input file.
pub fn is_batch(path: &Path) -> bool {
    path.is_dir() && !has_input_extension(path)
}

/// The inputs of a folder (sorted by name) and the files skipped.
pub fn scan(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Skipped>), Diagnostics> {
    let entries = std::fs::read_dir(dir).map_err(|e| -> Diagnostics {
        Diagnostic::of(
            codes::NO_INPUTS,
            format!(
                "无法读取文件夹 {}：{}",
                dir.display(),
                crate::diagnostic::os_error::reason(&e)
            ),
        )
        .hint(crate::diagnostic::os_error::hint(&e, dir))
        .into()
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut inputs = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        match classify(&path) {
            Ok(()) => inputs.push(path),
            Err(reason) => skipped.push(Skipped {
                file: path.display().to_string(),
                reason: reason.to_string(),
            }),
        }
    }
    Ok((inputs, skipped))
}

/// Whether a folder entry is an input; if not, why.
fn classify(path: &Path) -> Result<(), &'static str> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if path.is_dir() {
        return Err("子文件夹（不进入子文件夹查找）");
    }
    // Asked without opening: opening a named pipe waits for a writer for ever.
    if crate::input::source::special_file(path).is_some() {
        return Err("不是普通文件（如命名管道、设备），不读取");
    }
    if name.starts_with("~$") {
        return Err("Excel/WPS 打开文件时留下的临时文件");
    }
    if name.starts_with('.') {
        return Err("隐藏文件");
    }
    if has_input_extension(path) {
        return Ok(());
    }
    // Another name: only what is plainly an input by content. The first few KB decide.
    use std::io::Read;
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    if read.is_err() {
        return Err("无法读取");
    }
    if head.starts_with(b"PK") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // A zip or CFB file under another name: a workbook only if it is one by content, read
        // only when it is within a workbook's size limit.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(u64::MAX);
        if size > crate::workbook::limits::FILE_BYTES as u64 {
            return Err("压缩文件，超过工作簿的大小上限，不读取");
        }
        let bytes = std::fs::read(path).map_err(|_| "无法读取")?;
        return match crate::workbook::open::sniff(&name, &bytes) {
            crate::workbook::open::Content::Workbook(_) => Ok(()),
            _ => Err("不是工作簿，也不是 TOML 输入文件"),
        };
    }
    let text = String::from_utf8_lossy(&head);
    if text.lines().any(|l| l.trim_start().starts_with("[bureau]")) {
        return Ok(());
    }
    Err("不是工作簿，也不是 TOML 输入文件")
}

/// One department's input: a file, or bytes already in memory (an upload) under a name.
#[derive(Clone, Debug)]
pub enum Input {
    File(PathBuf),
    Memory { name: String, bytes: Vec<u8> },
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Memory { name, .. } => name.clone(),
        }
    }

    /// Reads and checks it, told apart by content as a file is, against the forms known.
    pub fn check(&self, forms: &crate::form::Forms) -> Checked {
        match self {
            Input::File(path) => crate::check_file_with(path, forms),
            Input::Memory { name, bytes } => {
                let too_big = bytes.len() as u64 > crate::input::MAX_TOML_BYTES;
                match crate::workbook::open::sniff(name, bytes) {
                    crate::workbook::open::Content::Text if !too_big => {
                        let text = String::from_utf8_lossy(bytes).into_owned();
                        crate::check_loaded_with(
                            crate::input::parse_toml(crate::input::SourceFile::new(
                                name.as_str(),
                                text,
                            )),
                            forms,
                        )
                    }
                    _ => crate::check_loaded_with(crate::load::bytes(name, bytes), forms),
                }
            }
        }
    }
}

/// Reads and checks every input, runs the cross-department checks, then (when building) builds
/// and writes each clean department into its own folder. `on_done` is called once per
/// department as it finishes (from the worker threads).
pub fn process(
    session: &Session,
    inputs: &[Input],
    options: &BatchOptions,
    on_done: &(dyn Fn(&Department) + Sync),
) -> Summary {
    let start = Instant::now();
    let forms = session.forms();
    let mut departments: Vec<Department> = inputs
        .par_iter()
        .map(|input| {
            let t = Instant::now();
            let checked = input.check(forms);
            let mut d = Department {
                file: input.name(),
                bureau: None,
                id: None,
                year: None,
                folder: None,
                status: Status::Ok,
                errors: 0,
                warnings: 0,
                infos: 0,
                codes: BTreeMap::new(),
                pages: None,
                millis: 0,
                diagnostics: checked.diagnostics.clone(),
                written: Vec::new(),
                checked: None,
                source: None,
            };
            if let Some(b) = &checked.bureau {
                d.bureau = Some(b.identity.name.value.clone()).filter(|n| !n.is_empty());
                d.id = b.identity.id.as_ref().map(|i| i.value.clone());
                d.year = Some(b.identity.year.value);
            }
            d.millis = t.elapsed().as_millis();
            d.checked = Some(checked);
            if !options.build {
                d.tally();
                if d.diagnostics.blocks(options.strict) {
                    d.status = Status::Failed;
                }
                on_done(&d);
            }
            d
        })
        .collect();
    let (cross, twins) = cross_checks(&mut departments);
    // A bureau's TOML and the workbook converted from it state the same facts: one is processed,
    // the other listed as skipped (not B001: nothing needs to be fixed).
    let mut twins: Vec<(usize, String)> = twins
        .iter()
        .map(|&(twin, kept)| (twin, departments[kept].file.clone()))
        .collect();
    // Removed from the last index down, so the indices still to remove stay valid.
    twins.sort_unstable_by_key(|t| std::cmp::Reverse(t.0));
    let mut skipped = Vec::new();
    for (twin, kept_file) in twins {
        let d = departments.remove(twin);
        skipped.push(Skipped {
            file: d.file,
            reason: format!("与 {kept_file} 是同一单位同一年度、内容相同的输入（如 TOML 与由它转换的工作簿），只处理 {kept_file}"),
        });
    }
    skipped.reverse();
    for d in &mut departments {
        d.tally();
        let buildable = d.checked.as_ref().is_some_and(|c| c.bureau.is_some());
        if d.diagnostics.blocks(options.strict) || !buildable {
            d.status = Status::Failed;
        }
    }
    if options.build {
        assign_folders(&mut departments);
        let output = options
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from("output"));
        // One plain thread per core, each building its departments one after another. Not a
        // rayon pool: Typst lays pages out with rayon itself, and a rayon worker waiting on that
        // would steal the next department and start it on the same stack, so that many documents
        // are half-built at once (memory grows with the folder, and the stack overflows).
        let next = AtomicUsize::new(0);
        let slots: Vec<Mutex<&mut Department>> = departments.iter_mut().map(Mutex::new).collect();
        let workers = rayon::current_num_threads().clamp(1, slots.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let worker = std::thread::Builder::new()
                    .name("juesuan-batch".into())
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, || {
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(slot) = slots.get(i) else { break };
                            let mut d = slot.lock().unwrap_or_else(|p| p.into_inner());
                            if d.status == Status::Ok {
                                build_one(session.engine(), &mut d, &output, options);
                                d.tally();
                            }
                            d.release();
                            on_done(&d);
                        }
                    });
                if worker.is_err() {
                    // No thread could be started: the threads already running (or, with none,
                    // the loop below) do the work.
                    break;
                }
            }
        });
        // Whatever no worker took (only when no thread could be started).
        for slot in &slots {
            let mut d = slot.lock().unwrap_or_else(|p| p.into_inner());
            if d.checked.is_some() {
                if d.status == Status::Ok {
                    build_one(session.engine(), &mut d, &output, options);
                    d.tally();
                }
                d.release();
                on_done(&d);
            }
        }
    } else {
        for d in &mut departments {
            d.release();
        }
    }
    Summary {
        build: options.build,
        departments,
        cross,
        skipped,
        millis: start.elapsed().as_millis(),
    }
}

/// Builds one department and writes its folder; a failure becomes its diagnostics.
fn build_one(engine: &Engine, d: &mut Department, output: &Path, options: &BatchOptions) {
    let t = Instant::now();
    let (Some(checked), Some(folder)) = (d.checked.as_ref(), d.folder.clone()) else {
        return;
    };
    let Some(bureau) = checked.bureau.as_ref() else {
        return;
    };
    let package = engine.package(bureau, &options.formats, &mut Timings::default());
    if let Some(age) = options.evict_max_age {
        engine::evict_caches(age);
    }
    match package {
        Ok(p) => {
            d.pages = p.pages;
            match write_all(&output.join(&folder), &folder, &p.artifacts) {
                Ok(paths) => d.written = paths.iter().map(|p| p.display().to_string()).collect(),
                Err(e) => {
                    d.diagnostics.push(e.diagnostic());
                    d.status = Status::Failed;
                }
            }
        }
        Err(errors) => {
            d.diagnostics.extend(errors);
            d.status = Status::Failed;
        }
    }
    d.millis += t.elapsed().as_millis();
}

/// Whether two departments are the same unit: by id when both have one, else by name.
fn same_unit(a: &Department, b: &Department) -> bool {
    match (&a.id, &b.id) {
        (Some(x), Some(y)) => unit_key(x) == unit_key(y),
        _ => match (&a.bureau, &b.bureau) {
            (Some(x), Some(y)) => unit_key(x) == unit_key(y),
            _ => false,
        },
    }
}

/// A unit's name or id as it is compared: full-width letters and digits as their ASCII forms
/// (NFKC), without zero-width characters or white space, in lower case. Two files whose names
/// differ only so (a pasted zero-width space, 全角 letters) are the same unit.
fn unit_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two departments' inputs state the same facts (a TOML and its workbook).
fn twins(a: &Department, b: &Department) -> bool {
    match (&a.checked, &b.checked) {
        (Some(x), Some(y)) => crate::diff::same_facts(&x.source, &y.source),
        _ => false,
    }
}

/// The input of the two that was saved last, when both are files whose times can be read.
fn newer<'a>(a: &'a Department, b: &'a Department) -> Option<&'a str> {
    let modified = |d: &Department| std::fs::metadata(&d.file).and_then(|m| m.modified()).ok();
    let (x, y) = (modified(a)?, modified(b)?);
    match x.cmp(&y) {
        std::cmp::Ordering::Greater => Some(&a.file),
        std::cmp::Ordering::Less => Some(&b.file),
        std::cmp::Ordering::Equal => None,
    }
}

/// B001 (the same unit twice in one year, on the later file) and B002 (mixed years); and the
/// twins: (later, first) pairs of the same unit whose inputs state the same facts, not B001.
fn cross_checks(departments: &mut [Department]) -> (Diagnostics, Vec<(usize, usize)>) {
    let mut cross = Diagnostics::default();
    let mut twin_pairs = Vec::new();
    let mut by_year: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, d) in departments.iter().enumerate() {
        if let Some(y) = d.year {
            by_year.entry(y).or_default().push(i);
        }
    }
    for members in by_year.values() {
        for (k, &j) in members.iter().enumerate() {
            let Some(&first) = members[..k]
                .iter()
                .find(|&&i| same_unit(&departments[i], &departments[j]))
            else {
                continue;
            };
            let (a, b) = (&departments[first], &departments[j]);
            if twins(a, b) {
                twin_pairs.push((j, first));
                continue;
            }
            let by = match (&a.id, &b.id) {
                (Some(id), Some(_)) => format!("单位编码同为 {id}"),
                _ => format!("单位名称同为“{}”", b.bureau.clone().unwrap_or_default()),
            };
            let keep = match newer(a, b) {
                Some(file) => format!("；两份内容不同，{file} 保存得较晚，多半应保留它"),
                None => "；两份内容不同".to_string(),
            };
            let at = name_location(b);
            let related = name_location(a);
            let mut diagnostic = Diagnostic::of(
                codes::SAME_BUREAU_TWICE,
                format!(
                    "{} 与 {} 是同一单位的 {} 年度决算（{by}），只生成先出现的 {}{keep}",
                    b.file,
                    a.file,
                    b.year.unwrap_or_default(),
                    a.file
                ),
            )
            .at_opt(at.as_ref())
            .hint("文件夹里可能放了同一单位的两个版本：删去旧的一份再运行；确是两个单位时，给各自填上不同的单位编码（统一社会信用代码）。");
            if let Some(r) = &related {
                diagnostic = diagnostic.related(r, "先出现的同一单位");
            }
            cross.push(diagnostic.clone());
            departments[j].diagnostics.push(diagnostic);
        }
    }
    // A twin is not counted again among the years.
    for members in by_year.values_mut() {
        members.retain(|i| !twin_pairs.iter().any(|(twin, _)| twin == i));
    }
    if by_year.len() > 1 {
        let (&main_year, _) = by_year
            .iter()
            .max_by_key(|(y, m)| (m.len(), std::cmp::Reverse(**y)))
            .unwrap_or((&0, &Vec::new()));
        let counts: Vec<String> = by_year
            .iter()
            .map(|(y, m)| format!("{y} 年度 {} 个", m.len()))
            .collect();
        let mut others: Vec<&str> = by_year
            .iter()
            .filter(|(y, _)| **y != main_year)
            .flat_map(|(_, m)| m.iter().map(|&i| departments[i].file.as_str()))
            .collect();
        let more = others.len().saturating_sub(10);
        others.truncate(10);
        let mut list = others.join("、");
        if more > 0 {
            list.push_str(&format!(" 等（另有 {more} 个）"));
        }
        cross.push(
            Diagnostic::of(
                codes::MIXED_YEARS,
                format!(
                    "本批输入的决算年度不一致：{}；不是 {main_year} 年度的有 {list}",
                    counts.join("、")
                ),
            )
            .hint(
                "一次汇总通常是同一年度的决算：检查是否混入了往年的文件；确需混合时可忽略此警告。",
            ),
        );
    }
    (cross, twin_pairs)
}

/// Where a department's name was given, when known.
fn name_location(d: &Department) -> Option<Location> {
    d.checked
        .as_ref()
        .and_then(|c| c.bureau.as_ref())
        .and_then(|b| b.identity.name.loc.clone())
}

/// A folder name from a bureau name and year: characters no file system takes become `_`.
pub fn folder_name(bureau: &str, year: i64) -> String {
    let mut name: String = bureau
        .trim()
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    name = name
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if name.is_empty() {
        name = "单位".to_string();
    }
    format!("{name}-{year}")
}

/// Gives each department that will be built a folder of its own: `名称-年度`, then `-2`, `-3`…
/// for names already taken (compared ignoring letter case, as Windows and macOS do).
fn assign_folders(departments: &mut [Department]) {
    let mut taken = BTreeSet::new();
    for d in departments.iter_mut().filter(|d| d.status == Status::Ok) {
        let (Some(bureau), Some(year)) = (&d.bureau, d.year) else {
            continue;
        };
        let base = folder_name(bureau, year);
        let mut name = base.clone();
        let mut n = 1;
        while !taken.insert(name.to_lowercase()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        d.folder = Some(name);
    }
}

/// `juesuan build 目录` / `juesuan check 目录`.
pub fn run(
    dir: &Path,
    options: &BatchOptions,
    render: &RenderOptions,
    format: MessageFormat,
) -> i32 {
    let (inputs, skipped) = match scan(dir) {
        Ok(x) => x,
        Err(errors) => {
            for d in errors.iter() {
                eprintln!("{d}");
            }
            return 1;
        }
    };
    if inputs.is_empty() {
        let d = Diagnostic::of(
            codes::NO_INPUTS,
            format!(
                "文件夹 {} 中没有输入文件（TOML 或工作簿），跳过了 {} 个文件",
                dir.display(),
                skipped.len()
            ),
        )
        .hint("把各单位的 .xlsx 工作簿或 .toml 文件放在这个文件夹里（不查找子文件夹）；或指定单个文件。");
        eprintln!("{d}");
        for s in &skipped {
            eprintln!("  跳过 {}：{}", s.file, s.reason);
        }
        return 1;
    }
    let session = match Session::new(render) {
        Ok(s) => s,
        Err(errors) => {
            for d in errors.iter() {
                eprintln!("{d}");
            }
            eprintln!("模板或表式清单有误，未处理任何文件。");
            return 1;
        }
    };
    let progress = Progress::new(inputs.len(), options.progress, options.build);
    let inputs: Vec<Input> = inputs.into_iter().map(Input::File).collect();
    let mut summary = process(&session, &inputs, options, &|d| progress.done(d));
    progress.finish();
    let twins = std::mem::take(&mut summary.skipped);
    summary.skipped = skipped;
    summary.skipped.extend(twins);
    match format {
        MessageFormat::Human => eprint!("{}", terminal_report(&summary)),
        MessageFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        ),
    }
    if let Some(out) = &options.output {
        let artifacts = vec![
            crate::render::Artifact {
                extension: "xlsx",
                bytes: match summary_xlsx(&summary) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("汇总表 summary.xlsx 生成失败：{e}");
                        return 1;
                    }
                },
            },
            crate::render::Artifact {
                extension: "html",
                bytes: summary_html(&summary).into_bytes(),
            },
        ];
        match write_all(out, "summary", &artifacts) {
            Ok(paths) => {
                for p in paths {
                    eprintln!("已生成汇总 {}", crate::diagnostic::os_error::shown(&p));
                }
            }
            Err(e) => {
                eprintln!("{}", e.diagnostic());
                return 1;
            }
        }
    }
    if summary.blocks(options.strict) { 1 } else { 0 }
}

/// A bar on a terminal; a line per department otherwise (logs, CI).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    total: usize,
    count: Mutex<usize>,
    build: bool,
}

impl Progress {
    fn new(total: usize, show: bool, build: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (show && terminal).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:32} {pos}/{len} 已用 {elapsed} 约剩 {eta} {wide_msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            plain: show && !terminal,
            total,
            count: Mutex::new(0),
            build,
        }
    }

    fn done(&self, d: &Department) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(d.file.clone());
        } else if self.plain {
            let mut n = self.count.lock().unwrap_or_else(|p| p.into_inner());
            *n += 1;
            eprintln!(
                "[{}/{}] {} {}（{} ms）",
                n,
                self.total,
                d.file,
                d.status.label(self.build),
                d.millis
            );
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The terminal summary: every failed department's findings, the cross checks, then one line per
/// department and the totals.
pub fn terminal_report(s: &Summary) -> String {
    let mut out = String::new();
    for d in s.departments.iter().filter(|d| d.status == Status::Failed) {
        if let Some(source) = &d.source {
            out.push_str(&report::human(&d.diagnostics, source));
        } else {
            for x in d.diagnostics.iter() {
                out.push_str(&format!("{x}\n"));
            }
        }
    }
    // B001 is already among its department's findings above.
    for x in s
        .cross
        .iter()
        .filter(|x| x.code != codes::SAME_BUREAU_TWICE)
    {
        out.push_str(&format!("{x}\n"));
    }
    out.push_str("\n汇总：\n");
    for d in &s.departments {
        out.push_str(&format!(
            "  {:<8} {}  {}  {}  错误 {} 警告 {}{}{}  {} ms{}\n",
            d.status.label(s.build),
            d.file,
            d.bureau.as_deref().unwrap_or("（无法读出单位名称）"),
            d.year.map(|y| y.to_string()).unwrap_or_default(),
            d.errors,
            d.warnings,
            if d.codes.is_empty() {
                String::new()
            } else {
                format!("（{}）", d.codes_text())
            },
            d.pages.map(|p| format!("  {p} 页")).unwrap_or_default(),
            d.millis,
            d.folder
                .as_ref()
                .filter(|_| d.status == Status::Ok && s.build)
                .map(|f| format!("  → {f}{}", std::path::MAIN_SEPARATOR))
                .unwrap_or_default(),
        ));
    }
    for k in &s.skipped {
        out.push_str(&format!("  跳过     {}：{}\n", k.file, k.reason));
    }
    let ok = s.departments.len() - s.failed();
    out.push_str(&format!(
        "共 {} 个单位：{} 个{}，{} 个{}；跨单位检查 {}；跳过 {} 个文件；用时 {:.1} 秒。\n",
        s.departments.len(),
        ok,
        Status::Ok.label(s.build),
        s.failed(),
        Status::Failed.label(s.build),
        s.cross.summary(),
        s.skipped.len(),
        s.millis as f64 / 1000.0
    ));
    out
}

/// Where a finding is, as one short text.
fn place(d: &Diagnostic) -> String {
    d.location
        .as_ref()
        .map(|l| l.to_string())
        .unwrap_or_default()
}

const HEADERS: &[&str] = &[
    "文件",
    "单位名称",
    "单位编码",
    "年度",
    "状态",
    "错误",
    "警告",
    "提示",
    "各编号（个数）",
    "页数",
    "用时（毫秒）",
    "输出文件夹",
];

/// The summary as a workbook: 汇总 (one row per department), 问题明细, 跳过的文件.
pub fn summary_xlsx(s: &Summary) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format as CellFormat, FormatAlign, Workbook};
    let mut wb = Workbook::new();
    let base = CellFormat::new().set_font_name("宋体").set_font_size(11);
    let header = base.clone().set_bold().set_align(FormatAlign::Center);
    let failed = base.clone().set_font_color(rust_xlsxwriter::Color::Red);
    let ws = wb.add_worksheet();
    ws.set_name("汇总")?;
    ws.set_freeze_panes(1, 0)?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (c, w) in [36, 30, 22, 8, 14, 6, 6, 6, 30, 6, 12, 34]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    for (i, d) in s.departments.iter().enumerate() {
        let r = i as u32 + 1;
        let status_format = if d.status == Status::Failed {
            &failed
        } else {
            &base
        };
        ws.write_string_with_format(r, 0, &d.file, &base)?;
        ws.write_string_with_format(r, 1, d.bureau.as_deref().unwrap_or(""), &base)?;
        ws.write_string_with_format(r, 2, d.id.as_deref().unwrap_or(""), &base)?;
        if let Some(y) = d.year {
            ws.write_number_with_format(r, 3, y as f64, &base)?;
        }
        ws.write_string_with_format(r, 4, d.status.label(s.build), status_format)?;
        ws.write_number_with_format(r, 5, d.errors as f64, &base)?;
        ws.write_number_with_format(r, 6, d.warnings as f64, &base)?;
        ws.write_number_with_format(r, 7, d.infos as f64, &base)?;
        ws.write_string_with_format(r, 8, d.codes_text(), &base)?;
        if let Some(p) = d.pages {
            ws.write_number_with_format(r, 9, p as f64, &base)?;
        }
        ws.write_number_with_format(r, 10, d.millis as f64, &base)?;
        let folder = d.folder.as_deref().filter(|_| !d.written.is_empty());
        ws.write_string_with_format(r, 11, folder.unwrap_or(""), &base)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("问题明细")?;
    ws.set_freeze_panes(1, 0)?;
    for (c, h) in ["文件", "编号", "级别", "位置", "内容", "提示"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (c, w) in [36, 8, 6, 30, 80, 60].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let rows = s
        .departments
        .iter()
        .flat_map(|d| d.diagnostics.iter().map(move |x| (d.file.as_str(), x)))
        .chain(s.cross.iter().map(|x| ("（跨单位检查）", x)));
    for (i, (file, x)) in rows.enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, file, &base)?;
        ws.write_string_with_format(r, 1, x.code.as_str(), &base)?;
        ws.write_string_with_format(r, 2, x.severity.label(), &base)?;
        ws.write_string_with_format(r, 3, place(x), &base)?;
        ws.write_string_with_format(r, 4, &x.message, &base)?;
        ws.write_string_with_format(r, 5, x.hints.join("；"), &base)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("跳过的文件")?;
    ws.write_string_with_format(0, 0, "文件", &header)?;
    ws.write_string_with_format(0, 1, "原因", &header)?;
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 40)?;
    for (i, k) in s.skipped.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 1, 0, &k.file, &base)?;
        ws.write_string_with_format(i as u32 + 1, 1, &k.reason, &base)?;
    }
    wb.save_to_buffer()
}

/// One finding as the summary page lists it.
#[derive(Clone, Serialize)]
struct FindingView<'a> {
    class: &'static str,
    severity: &'static str,
    code: &'static str,
    location: Option<String>,
    message: &'a str,
    hints: &'a [String],
}

impl<'a> FindingView<'a> {
    fn of(x: &'a Diagnostic) -> Self {
        FindingView {
            class: match x.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            },
            severity: x.severity.label(),
            code: x.code.as_str(),
            location: x.location.as_ref().map(ToString::to_string),
            message: &x.message,
            hints: &x.hints,
        }
    }
}

/// One department's row of the summary page.
#[derive(Clone, Serialize)]
struct DepartmentView<'a> {
    file: &'a str,
    bureau: &'a str,
    id: &'a str,
    year: String,
    failed: bool,
    status: &'static str,
    errors: usize,
    warnings: usize,
    infos: usize,
    codes: String,
    pages: String,
    millis: u128,
    /// The department's output folder, beside the summary: a link on the page.
    folder: Option<&'a str>,
    findings: Vec<FindingView<'a>>,
}

/// The summary as one self-contained HTML page (no script, no outside resource), through the
/// tera template `summary.html` with HTML escaping on every value.
pub fn summary_html(s: &Summary) -> String {
    let departments: Vec<DepartmentView> = s
        .departments
        .iter()
        .map(|d| DepartmentView {
            file: &d.file,
            bureau: d.bureau.as_deref().unwrap_or(""),
            id: d.id.as_deref().unwrap_or(""),
            year: d.year.map(|y| y.to_string()).unwrap_or_default(),
            failed: d.status == Status::Failed,
            status: d.status.label(s.build),
            errors: d.errors,
            warnings: d.warnings,
            infos: d.infos,
            codes: d.codes_text(),
            pages: d.pages.map(|p| p.to_string()).unwrap_or_default(),
            millis: d.millis,
            folder: d.folder.as_deref().filter(|_| !d.written.is_empty()),
            findings: d.diagnostics.iter().map(FindingView::of).collect(),
        })
        .collect();
    let with_findings: Vec<DepartmentView> = departments
        .iter()
        .filter(|d| !d.findings.is_empty())
        .cloned()
        .map(|mut d| {
            if d.bureau.is_empty() {
                d.bureau = "无法读出单位名称";
            }
            d
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("verb", if s.build { "生成" } else { "校验" });
    ctx.insert("count", &s.departments.len());
    ctx.insert("ok", &(s.departments.len() - s.failed()));
    ctx.insert("ok_label", Status::Ok.label(s.build));
    ctx.insert("failed", &s.failed());
    ctx.insert("failed_label", Status::Failed.label(s.build));
    ctx.insert("cross_summary", &s.cross.summary());
    ctx.insert("seconds", &format!("{:.1}", s.millis as f64 / 1000.0));
    ctx.insert("headers", HEADERS);
    ctx.insert("departments", &departments);
    ctx.insert(
        "cross",
        &s.cross.iter().map(FindingView::of).collect::<Vec<_>>(),
    );
    ctx.insert("with_findings", &with_findings);
    ctx.insert("skipped", &s.skipped);
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_template("summary.html", include_str!("summary.html"))
        .expect("the summary template parses");
    tera.render("summary.html", &ctx)
        .expect("the summary template renders its own context")
}

/// The render options of a batch from the command line's.
pub fn render_options(
    templates: Option<PathBuf>,
    font_dirs: Vec<PathBuf>,
    bundled_fonts: bool,
) -> RenderOptions {
    RenderOptions {
        templates,
        fonts: FontOptions {
            bundled_only: bundled_fonts,
            dirs: font_dirs,
        },
        attachment: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_by_invisible_or_full_width_characters_are_one_unit() {
        assert_eq!(unit_key("峨边\u{200B}信访局"), unit_key("峨边信访局"));
        assert_eq!(unit_key("ＡＢＣ信访局 "), unit_key("abc信访局"));
        assert_ne!(unit_key("峨边信访局"), unit_key("峨边县信访局"));
    }

    #[test]
    fn the_summary_page_escapes_what_a_file_name_or_finding_holds() {
        let summary = Summary {
            build: false,
            departments: Vec::new(),
            cross: Diagnostic::of(codes::NO_INPUTS, "<script>alert(1)</script> & \"x\"").into(),
            skipped: vec![Skipped {
                file: "<img src=x onerror=1>.txt".into(),
                reason: "不是输入文件".into(),
            }],
            millis: 1234,
        };
        let html = summary_html(&summary);
        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; &quot;x&quot;")
                || html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"),
            "{html}"
        );
        assert!(html.contains("用时 1.2 秒"), "{html}");
    }

    #[test]
    fn folder_names_hold_no_path_characters() {
        assert_eq!(
            folder_name("峨边彝族自治县信访局", 2023),
            "峨边彝族自治县信访局-2023"
        );
        assert_eq!(folder_name("a/b:c*?\"<>|", 2023), "a_b_c______-2023");
        assert_eq!(folder_name(" .. ", 2023), "单位-2023");
        assert_eq!(folder_name("..\\..", 2020), "_-2020");
    }
}
