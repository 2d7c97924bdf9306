//! Issue 20, memory: the limits are checked before the work they bound, so no input (and no
//! stream of uploads to the web page) takes the process past 1 GiB.

mod common;

use std::path::PathBuf;

use common::root;

fn example_text() -> String {
    std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap()
}

/// The example with its duties replaced by `duties` (TOML strings).
fn with_duties(duties: impl Iterator<Item = String>) -> String {
    let text = example_text();
    let start = text.find("duties = [").unwrap();
    let end = start + text[start..].find(']').unwrap() + 1;
    let list: String = duties.map(|d| format!("  \"{d}\",\n")).collect();
    format!("{}duties = [\n{list}]{}", &text[..start], &text[end..])
}

fn codes_and_messages(text: &str) -> Vec<(String, String)> {
    juesuan::check_text("limits.toml", text)
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.message.clone()))
        .collect()
}

fn e005(text: &str) -> Option<String> {
    codes_and_messages(text)
        .into_iter()
        .find(|(c, _)| c == "E005")
        .map(|(_, m)| m)
}

#[test]
fn lists_and_texts_beyond_the_limits_are_refused_before_the_model_is_built() {
    use juesuan::input::entries::{MAX_ENTRIES, MAX_TEXT_CHARS, MAX_TOTAL_TEXT_CHARS};
    let at = with_duties((0..MAX_ENTRIES).map(|k| format!("职责{k}")));
    assert_eq!(e005(&at), None);
    let over = with_duties((0..=MAX_ENTRIES).map(|k| format!("职责{k}")));
    let message = e005(&over).expect("E005");
    assert!(
        message.contains("overview.duties") && message.contains("上限 5000 条"),
        "{message}"
    );
    let long = with_duties(std::iter::once("信".repeat(MAX_TEXT_CHARS + 1)));
    assert!(e005(&long).expect("E005").contains("上限 20000 个"));
    assert_eq!(
        e005(&with_duties(std::iter::once("信".repeat(MAX_TEXT_CHARS)))),
        None
    );
    let many = MAX_TOTAL_TEXT_CHARS / MAX_TEXT_CHARS + 1;
    let total = with_duties((0..many).map(|_| "信".repeat(MAX_TEXT_CHARS)));
    assert!(e005(&total).expect("E005").contains("合计超过上限 500000"));
    // A workbook reads into the same TOML, so the limits hold there too (with the cell).
    let bytes = juesuan::workbook::from_toml("over.toml", &over).expect("converts");
    let loaded = juesuan::load::bytes("over.xlsx", &bytes);
    assert!(
        loaded.diagnostics.iter().any(|d| d.code == "E005"),
        "{:#?}",
        loaded.diagnostics
    );
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-limits-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary and returns (exit code, peak resident memory in bytes) of that child alone.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its rusage
fn run_measured(args: &[&str]) -> (i32, u64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 reaps our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, usage.ru_maxrss as u64 * 1024)
}

const GIB: u64 = 1024 * 1024 * 1024;

/// A 1.7 MB TOML with 100,000 duties peaked at 2.7 GB building its PDF; it is refused now at
/// once, and inputs at the limits (5,000 duties; 500,000 characters of text) build under 1 GiB.
#[cfg(target_os = "linux")]
#[test]
fn the_command_line_stays_under_a_gibibyte_on_inputs_at_the_limits() {
    let dir = scratch("cli");
    let cases = [
        (
            "over.toml",
            with_duties((0..100_000).map(|k| format!("职责{k}"))),
            1,
        ),
        (
            "entries.toml",
            with_duties((0..juesuan::input::entries::MAX_ENTRIES).map(|k| format!("职责{k}"))),
            0,
        ),
        (
            "text.toml",
            with_duties((0..24).map(|_| "信访工作".repeat(4_900))),
            0,
        ),
    ];
    for (name, text, expected) in cases {
        let input = dir.join(name);
        std::fs::write(&input, text).unwrap();
        let out = dir.join("out");
        let (code, peak) = run_measured(&[
            "build",
            input.to_str().unwrap(),
            "--format",
            "pdf",
            "--bundled-fonts",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, expected, "{name}");
        assert!(peak < GIB, "{name}: peak {} MB", peak / 1024 / 1024);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// One HTTP/1.1 request to the page at `addr`; the status line and body of the answer.
#[cfg(target_os = "linux")]
fn post(addr: &str, path: &str, name: &str, bytes: &[u8]) -> String {
    use std::io::{Read, Write};
    let boundary = "----juesuan-limits";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    let text = String::from_utf8_lossy(&answer);
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(target_os = "linux")]
fn peak_of(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

/// The server grew ~11 MB per distinct document (Typst's memoised layouts, never evicted): 2 GB
/// after 40. With the caches evicted after each build it stays flat over 100 distinct builds,
/// and a maximum-size upload (a 4.8 MB TOML of 90,000 duties, some 3.8 GB before) is refused
/// without growing it.
#[cfg(target_os = "linux")]
#[test]
fn the_server_stays_under_a_gibibyte_over_many_distinct_builds() {
    use std::io::BufRead;
    const BUILDS: usize = 100;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["serve", "--no-open", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|u| u.split('/').next())
        .expect("the address")
        .to_string();
    let pid = child.id();
    let text = example_text();
    let result = std::panic::catch_unwind(|| {
        // Two clients at once, as two browser tabs would: the server builds on both cores, so
        // 100 builds take about half as long as one after the other (CI keeps this under 60 s).
        std::thread::scope(|scope| {
            for client in 0..2 {
                let (addr, text) = (&addr, &text);
                scope.spawn(move || {
                    for i in (client..BUILDS).step_by(2) {
                        let variant = text.replacen(
                            "name = \"峨边彝族自治县信访局\"",
                            &format!("name = \"峨边彝族自治县信访局{i}\""),
                            1,
                        );
                        let status =
                            post(addr, "/build?format=pdf", "本单位.toml", variant.as_bytes());
                        assert!(status.contains(" 200 "), "{i}: {status}");
                    }
                });
            }
        });
        let after_builds = peak_of(pid);
        assert!(
            after_builds < GIB,
            "after {BUILDS} builds: {} MB",
            after_builds / 1024 / 1024
        );
        let huge = with_duties((0..90_000).map(|k| format!("第{k}条职责：负责本单位日常工作")));
        assert!(huge.len() > 4_000_000 && huge.len() < 5 * 1024 * 1024);
        let status = post(&addr, "/build?format=pdf", "本单位.toml", huge.as_bytes());
        assert!(status.contains(" 422 "), "{status}");
        let after_upload = peak_of(pid);
        assert!(
            after_upload < GIB,
            "after the largest upload: {} MB",
            after_upload / 1024 / 1024
        );
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

/// `import` read a 1 GiB file whole before reporting its 50 MB limit; the size is checked first.
#[cfg(target_os = "linux")]
#[test]
fn import_checks_the_size_before_reading() {
    let dir = scratch("import");
    let big = dir.join("公开表.xlsx");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(GIB).unwrap(); // sparse: nothing is written
    drop(file);
    let (code, peak) = run_measured(&["import", big.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(peak < 100 * 1024 * 1024, "peak {} MB", peak / 1024 / 1024);
    let (code, _, err) = common::juesuan(&["import", big.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("X008") && err.contains("上限 50 MB"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A template with a runaway loop laid out 100,000 pages in 4 GB. The evaluated content is
/// measured before layout and refused beyond 5,000 pages (F006), at once and in little memory;
/// the largest department juesuan is made for (1,048 pages) is estimated well within the cap.
#[cfg(target_os = "linux")]
#[test]
fn a_template_making_absurdly_many_pages_is_refused_before_layout() {
    use juesuan::render::engine::page_cap::{MAX_PAGES, Size};
    let dir = scratch("pages");
    let templates = dir.join("模板");
    let (code, _, err) = common::juesuan(&["init", "--templates", templates.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let main = templates.join("sichuan/shuoming.typ");
    let text = std::fs::read_to_string(&main).unwrap();
    let input = root().join("data/ebian-xinfang-2023.toml");
    let out = dir.join("out");
    for (name, runaway) in [
        (
            "pagebreaks",
            "#for i in range(100000) [#pagebreak() 第 #i 页]",
        ),
        ("text", "#for i in range(3000) [#lorem(200)]"),
        ("rows", "#for i in range(200000) [第 #i 行 \\ ]"),
    ] {
        std::fs::write(&main, format!("{text}\n{runaway}\n")).unwrap();
        let args = [
            "build",
            input.to_str().unwrap(),
            "--templates",
            templates.to_str().unwrap(),
            "--bundled-fonts",
            "-o",
            out.to_str().unwrap(),
        ];
        let started = std::time::Instant::now();
        let (code, peak) = run_measured(&args);
        assert_eq!(code, 1, "{name}");
        assert!(
            peak < 400 * 1024 * 1024,
            "{name}: peak {} MB",
            peak / 1024 / 1024
        );
        assert!(
            started.elapsed().as_secs() < 20,
            "{name}: {:?}",
            started.elapsed()
        );
        let (_, _, err) = common::juesuan(&args);
        assert!(
            err.contains("错误[F006]") && err.contains("5000 页的上限"),
            "{name}: {err}"
        );
        assert!(!out.exists());
    }
    // The estimate of the largest department measured (228,207 elements, 533 page breaks,
    // 639,633 characters; 1,048 pages laid out) stays under the cap.
    let large = Size {
        elements: 228_207,
        pagebreaks: 533,
        chars: 639_633,
    };
    assert!(large.estimated_pages() < MAX_PAGES / 2);
    let _ = std::fs::remove_dir_all(&dir);
}
