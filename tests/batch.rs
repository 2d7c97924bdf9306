//! `juesuan build 目录` / `juesuan check 目录`: a whole county in one run.

mod common;

use std::path::{Path, PathBuf};

use common::{juesuan, root};

/// An empty scratch folder with an `in/` holding the named files (name, text).
fn scratch(test: &str, files: &[(&str, String)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-batch-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("in")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join("in").join(name), text).unwrap();
    }
    dir
}

fn example(name: &str) -> String {
    std::fs::read_to_string(root().join("data").join(name)).unwrap()
}

fn examples() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for entry in std::fs::read_dir(root().join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            v.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    v.sort();
    v
}

fn s(dir: &Path) -> &str {
    dir.to_str().unwrap()
}

fn folders(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// The summary workbook's 汇总 sheet as rows of text.
fn summary_rows(out: &Path) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook(out.join("summary.xlsx")).unwrap();
    let range = wb.worksheet_range("汇总").unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn with_bureau_line(text: &str, line: &str) -> String {
    text.replacen("[bureau]\n", &format!("[bureau]\n{line}\n"), 1)
}

#[test]
fn build_dir_writes_every_example_package_and_the_summary() {
    let all = examples();
    let files: Vec<(&str, String)> = all
        .iter()
        .map(|(n, t)| (n.as_str(), t.clone()))
        .collect::<Vec<_>>();
    let n = files.len();
    assert!(n >= 5);
    let dir = scratch("all", &files);
    let out = dir.join("out");
    let (code, _, err) = juesuan(&[
        "build",
        s(&dir.join("in")),
        "-o",
        s(&out),
        "--bundled-fonts",
    ]);
    assert_eq!(code, 0, "{err}");
    let made = folders(&out);
    assert_eq!(made.len(), n, "{made:?}\n{err}");
    assert!(made.contains(&"峨边彝族自治县信访局-2023".to_string()));
    for f in &made {
        let pdf = out.join(f).join(format!("{f}.pdf"));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF"), "{}", pdf.display());
    }
    // One row per department, each built, with its pages.
    let rows = summary_rows(&out);
    assert_eq!(rows.len(), n + 1);
    assert_eq!(rows[0][0], "文件");
    for r in &rows[1..] {
        assert_eq!(r[4], "已生成", "{r:?}");
        assert!(r[9].parse::<u32>().unwrap() >= 1, "pages {r:?}");
    }
    let ebian = rows
        .iter()
        .find(|r| r[1] == "峨边彝族自治县信访局" && r[3] == "2023")
        .unwrap();
    assert_eq!(ebian[9], "61", "{ebian:?}");
    let html = std::fs::read_to_string(out.join("summary.html")).unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"));
    assert!(html.contains("峨边彝族自治县信访局"));
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
    // The examples span several years: B002 warns, and names the odd ones out.
    assert!(err.contains("警告[B002]"), "{err}");
    assert!(err.contains("yueyang-xinfang-2024.toml"), "{err}");
    // The same package as a single build (same engine code, same bytes).
    let single = dir.join("single");
    let (code, _, e) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        s(&single),
        "--bundled-fonts",
    ]);
    assert_eq!(code, 0, "{e}");
    assert_eq!(
        std::fs::read(single.join("ebian-xinfang-2023.pdf")).unwrap(),
        std::fs::read(out.join("峨边彝族自治县信访局-2023/峨边彝族自治县信访局-2023.pdf")).unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_input_is_reported_and_the_others_are_built() {
    let broken =
        std::fs::read_to_string(root().join("tests/fixtures/rules/R001/fail.toml")).unwrap();
    let dir = scratch(
        "broken",
        &[
            ("a-broken.toml", broken),
            ("b-unparsable.toml", "[bureau\nname = ".to_string()),
            ("ebian.toml", example("ebian-xinfang-2023.toml")),
            ("qinglong.toml", example("qinglong-xinfang-2023.toml")),
            ("说明.txt", "这不是输入文件".to_string()),
            ("~$ebian.xlsx", "lock".to_string()),
        ],
    );
    std::fs::create_dir(dir.join("in/旧版")).unwrap();
    let out = dir.join("out");
    let (code, _, err) = juesuan(&[
        "build",
        s(&dir.join("in")),
        "-o",
        s(&out),
        "--format",
        "typ,md",
    ]);
    assert_eq!(code, 1, "a department failed: {err}");
    assert!(err.contains("错误[R001]"), "{err}");
    assert_eq!(
        folders(&out),
        ["峨边彝族自治县信访局-2023", "青龙满族自治县信访局-2023"]
    );
    assert!(
        out.join("峨边彝族自治县信访局-2023/峨边彝族自治县信访局-2023.typ")
            .is_file()
    );
    let rows = summary_rows(&out);
    assert_eq!(rows.len(), 5, "{rows:?}");
    let row = |file: &str| rows.iter().find(|r| r[0].ends_with(file)).unwrap().clone();
    assert_eq!(row("a-broken.toml")[4], "失败（未生成）");
    assert_eq!(row("a-broken.toml")[8], "R001");
    assert_eq!(row("b-unparsable.toml")[4], "失败（未生成）");
    assert!(row("b-unparsable.toml")[8].contains("E002"));
    assert_eq!(row("ebian.toml")[4], "已生成");
    assert_eq!(row("ebian.toml")[11], "峨边彝族自治县信访局-2023");
    // The files that are not inputs are listed, not read.
    for name in ["说明.txt", "~$ebian.xlsx", "旧版"] {
        assert!(err.contains("跳过") && err.contains(name), "{name}: {err}");
    }
    let html = std::fs::read_to_string(out.join("summary.html")).unwrap();
    assert!(html.contains("R001") && html.contains("说明.txt"), "{html}");
    // Each department built links its folder beside the summary.
    assert!(
        html.contains("<a href=\"峨边彝族自治县信访局-2023/\">峨边彝族自治县信访局-2023</a>"),
        "{html}"
    );
    // Every department's years agree: no B002.
    assert!(!err.contains("B002"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_same_bureau_twice_is_flagged_and_only_the_first_is_built() {
    let ebian = example("ebian-xinfang-2023.toml");
    let dir = scratch(
        "twice",
        &[
            ("a.toml", ebian.clone()),
            // Another version of the same unit's facts (identical twins are built once).
            (
                "b.toml",
                with_bureau_line(&ebian, "publish_date = 2024-06-30"),
            ),
            ("c.toml", example("qinglong-xinfang-2023.toml")),
        ],
    );
    let out = dir.join("out");
    let (code, _, err) = juesuan(&[
        "build",
        s(&dir.join("in")),
        "-o",
        s(&out),
        "--format",
        "typ",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[B001]"), "{err}");
    assert!(err.contains("b.toml 与") && err.contains("a.toml"), "{err}");
    assert_eq!(
        folders(&out),
        ["峨边彝族自治县信访局-2023", "青龙满族自治县信访局-2023"]
    );
    let rows = summary_rows(&out);
    let b = rows.iter().find(|r| r[0].ends_with("b.toml")).unwrap();
    assert_eq!((b[4].as_str(), b[8].as_str()), ("失败（未生成）", "B001"));

    // The unit id decides: the same id under a new name is the same unit…
    let renamed = with_bureau_line(&ebian, "id = \"11511132MB1234567X\"").replacen(
        "name = \"峨边彝族自治县信访局\"",
        "name = \"峨边彝族自治县人民来访接待局\"",
        1,
    );
    let dir = scratch(
        "twice-id",
        &[
            (
                "a.toml",
                with_bureau_line(&ebian, "id = \"11511132MB1234567X\""),
            ),
            ("b.toml", renamed),
        ],
    );
    let (code, _, err) = juesuan(&["check", s(&dir.join("in"))]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("单位编码同为 11511132MB1234567X"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn distinct_units_with_one_name_get_folders_of_their_own() {
    let ebian = example("ebian-xinfang-2023.toml");
    let dir = scratch(
        "same-name",
        &[
            (
                "a.toml",
                with_bureau_line(&ebian, "id = \"11511132MB0000001A\""),
            ),
            (
                "b.toml",
                with_bureau_line(&ebian, "id = \"11511132MB0000002B\""),
            ),
        ],
    );
    let out = dir.join("out");
    let input = dir.join("in");
    let args = ["build", s(&input), "-o", s(&out), "--format", "md"];
    let (code, _, err) = juesuan(&args);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("B001"), "{err}");
    assert_eq!(
        folders(&out),
        ["峨边彝族自治县信访局-2023", "峨边彝族自治县信访局-2023-2"]
    );
    let rows = summary_rows(&out);
    assert_eq!(rows[1][2], "11511132MB0000001A");
    assert_eq!(rows[1][11], "峨边彝族自治县信访局-2023");
    assert_eq!(rows[2][11], "峨边彝族自治县信访局-2023-2");
    // A second run replaces the same folders: nothing new appears.
    let (code, _, err) = juesuan(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(folders(&out).len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_dir_reports_every_department_and_writes_no_package() {
    let broken =
        std::fs::read_to_string(root().join("tests/fixtures/rules/R001/fail.toml")).unwrap();
    let dir = scratch(
        "check",
        &[
            ("a.toml", example("ebian-xinfang-2023.toml")),
            ("b.toml", broken),
        ],
    );
    std::fs::copy(
        root().join("data/qinglong-xinfang-2023.xlsx"),
        dir.join("in/青龙.xlsx"),
    )
    .unwrap();
    let (code, out, err) = juesuan(&["check", s(&dir.join("in")), "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let departments = v["departments"].as_array().unwrap();
    assert_eq!(departments.len(), 3);
    assert_eq!(departments[0]["status"], "ok");
    assert_eq!(departments[1]["status"], "failed");
    assert_eq!(departments[1]["codes"]["R001"], 1);
    assert_eq!(departments[2]["bureau"], "青龙满族自治县信访局");
    assert_eq!(departments[2]["status"], "ok");
    // Only the summary is written, and only when asked.
    assert!(!dir.join("in/output").exists());
    let summary = dir.join("summary");
    let (code, _, _) = juesuan(&["check", s(&dir.join("in")), "-o", s(&summary)]);
    assert_eq!(code, 1);
    let mut names: Vec<String> = std::fs::read_dir(&summary)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["summary.html", "summary.xlsx"]);
    // Without the broken one the folder passes.
    std::fs::remove_file(dir.join("in/b.toml")).unwrap();
    let (code, _, err) = juesuan(&["check", s(&dir.join("in"))]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("共 2 个单位：2 个通过"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_folder_without_inputs_is_b003() {
    let dir = scratch("empty", &[("readme.md", "# 说明".to_string())]);
    let (code, _, err) = juesuan(&["build", s(&dir.join("in"))]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[B003]"), "{err}");
    assert!(err.contains("readme.md"), "{err}");
    let dir = scratch("one", &[("a.toml", example("ebian-xinfang-2023.toml"))]);
    let (code, _, err) = juesuan(&["check", s(&dir.join("in"))]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("B003"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The unit id is a fact like any other: TOML → workbook → TOML keeps it, and an empty one is an
/// error at its place.
#[test]
fn the_unit_id_round_trips_through_a_workbook() {
    let text = with_bureau_line(
        &example("ebian-xinfang-2023.toml"),
        "id = \"11511132MB1234567X\"",
    );
    let checked = juesuan::check_text("t.toml", &text);
    assert!(
        !checked.diagnostics.has_errors(),
        "{:#?}",
        checked.diagnostics
    );
    let id = checked.bureau.unwrap().identity.id.unwrap();
    assert_eq!(id.value, "11511132MB1234567X");
    let bytes = juesuan::workbook::from_toml("t.toml", &text).unwrap();
    let back = juesuan::load::bytes("t.xlsx", &bytes);
    assert!(!back.diagnostics.has_errors(), "{:#?}", back.diagnostics);
    assert!(
        back.source.text.contains("id = \"11511132MB1234567X\""),
        "{}",
        back.source.text
    );
    let checked = juesuan::check_loaded(back);
    let id = checked.bureau.unwrap().identity.id.unwrap();
    assert_eq!(id.value, "11511132MB1234567X");
    assert!(id.loc.unwrap().to_string().contains("单位信息!B"));
    // Not given: none, and the example builds as before.
    let checked = juesuan::check_text("t.toml", &example("ebian-xinfang-2023.toml"));
    assert!(checked.bureau.unwrap().identity.id.is_none());
    // Given empty: an error at the line.
    let checked = juesuan::check_text(
        "t.toml",
        &with_bureau_line(&example("ebian-xinfang-2023.toml"), "id = \" \""),
    );
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.message.contains("单位编码"))
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    assert_eq!(d.location.as_ref().unwrap().to_string(), "t.toml:14:6");
}

/// The library path a server takes: uploads held in memory, checked like files, a bad one failing
/// alone with its findings kept for the report.
#[test]
fn uploads_in_memory_are_checked_like_files() {
    use juesuan::batch::{self, BatchOptions, Input, Status};
    let session = juesuan::session::Session::new(&common::bundled()).unwrap();
    let inputs = vec![
        Input::Memory {
            name: "峨边.toml".into(),
            bytes: example("ebian-xinfang-2023.toml").into_bytes(),
        },
        Input::Memory {
            name: "青龙.xlsx".into(),
            bytes: std::fs::read(root().join("data/qinglong-xinfang-2023.xlsx")).unwrap(),
        },
        Input::Memory {
            name: "坏.xlsx".into(),
            bytes: b"PK\x03\x04 not a workbook".to_vec(),
        },
    ];
    let options = BatchOptions {
        build: false,
        formats: Vec::new(),
        strict: false,
        output: None,
        evict_max_age: None,
        progress: false,
    };
    let summary = batch::process(&session, &inputs, &options, &|_| {});
    let d = &summary.departments;
    assert_eq!(d.len(), 3);
    assert_eq!(d[0].status, Status::Ok);
    assert_eq!(d[0].bureau.as_deref(), Some("峨边彝族自治县信访局"));
    assert_eq!(d[1].status, Status::Ok);
    assert_eq!(d[1].bureau.as_deref(), Some("青龙满族自治县信访局"));
    assert_eq!(d[2].status, Status::Failed);
    assert!(d[2].codes.contains_key("X001"), "{:?}", d[2].codes);
    assert!(d[2].source.is_some() && d[0].source.is_none());
    assert!(summary.blocks(false));
    assert!(batch::terminal_report(&summary).contains("坏.xlsx"));
}

/// Issue 20: `juesuan build data/` failed 7 of 14 with B001, because each example's TOML and
/// workbook are the same bureau. Twins that state the same facts are built once, the other
/// listed as skipped; two versions that differ stay B001, which says which one is newer.
#[test]
fn a_toml_and_its_workbook_twin_are_built_once() {
    let dir = scratch("twins", &[]);
    for name in [
        "ebian-xinfang-2023.toml",
        "ebian-xinfang-2023.xlsx",
        "qinglong-xinfang-2023.toml",
    ] {
        std::fs::copy(root().join("data").join(name), dir.join("in").join(name)).unwrap();
    }
    let out = dir.join("out");
    let (code, _, err) = juesuan(&[
        "build",
        s(&dir.join("in")),
        "-o",
        s(&out),
        "--format",
        "typ",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("B001"), "{err}");
    assert!(err.contains("内容相同"), "{err}");
    assert_eq!(
        folders(&out),
        ["峨边彝族自治县信访局-2023", "青龙满族自治县信访局-2023"]
    );
    // The same folder as JSON: two departments, the workbook among the skipped.
    let (code, json, err) = juesuan(&["check", s(&dir.join("in")), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["departments"].as_array().unwrap().len(), 2);
    let skipped = v["skipped"].as_array().unwrap();
    assert!(
        skipped.iter().any(|k| k["file"]
            .as_str()
            .unwrap()
            .ends_with("ebian-xinfang-2023.xlsx")),
        "{skipped:?}"
    );

    // The repository's own data/: seven bureaus of five years, each as TOML and workbook.
    let (code, json, err) = juesuan(&["check", "data", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let departments = v["departments"].as_array().unwrap();
    assert_eq!(departments.len(), 7, "{departments:#?}");
    assert!(departments.iter().all(|d| d["status"] == "ok"));
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(
        skipped
            .iter()
            .filter(|k| k["reason"].as_str().unwrap().contains("内容相同"))
            .count(),
        7,
        "{skipped:#?}"
    );

    // Two versions that differ: B001 on the later file, naming the one saved last.
    let older = example("ebian-xinfang-2023.toml");
    let dir = scratch("versions", &[("a.toml", older.clone())]);
    std::thread::sleep(std::time::Duration::from_millis(50));
    std::fs::write(
        dir.join("in/b.toml"),
        with_bureau_line(&older, "publish_date = 2024-06-30"),
    )
    .unwrap();
    let (code, _, err) = juesuan(&["check", s(&dir.join("in"))]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("错误[B001]") && err.contains("b.toml 保存得较晚"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: a named pipe in the folder hung the run (opening it waits for a writer). It is
/// skipped without being opened, and listed.
#[cfg(unix)]
#[test]
fn a_named_pipe_in_the_folder_is_skipped_without_waiting() {
    let dir = scratch("fifo", &[("a.toml", example("ebian-xinfang-2023.toml"))]);
    for name in ["pipe.toml", "pipe"] {
        let made = std::process::Command::new("mkfifo")
            .arg(dir.join("in").join(name))
            .status()
            .unwrap();
        assert!(made.success());
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["check", s(&dir.join("in"))])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("check hung on a named pipe");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("pipe.toml") && err.contains("不是普通文件"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: the same unit twice passed unnoticed when one name carried a zero-width space or
/// full-width letters. Names are compared as a reader sees them.
#[test]
fn a_name_with_a_zero_width_space_is_the_same_unit() {
    let ebian = example("ebian-xinfang-2023.toml");
    let hidden = ebian.replacen(
        "name = \"峨边彝族自治县信访局\"",
        "name = \"峨边彝族自治县\u{200B}信访局\"",
        1,
    );
    assert_ne!(hidden, ebian);
    let dir = scratch("zero-width", &[("a.toml", ebian), ("b.toml", hidden)]);
    let (code, _, err) = juesuan(&["check", s(&dir.join("in"))]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[B001]"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
