//! The binary as a user runs it: exit codes, messages with locations, atomic output.

mod common;

use common::{juesuan, root};

use std::path::PathBuf;

#[test]
fn check_exit_codes() {
    let (code, _, err) = juesuan(&["check", "data/ebian-xinfang-2023.toml"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 个错误，0 个警告"), "{err}");
    let (code, _, err) = juesuan(&["check", "tests/fixtures/rules/R001/fail.toml"]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[R001]"), "{err}");
    assert!(err.contains("fail.toml:"), "{err}");
    let (code, _, _) = juesuan(&["check"]);
    assert_eq!(code, 2, "usage error");
}

#[test]
fn strict_promotes_warnings() {
    let f = "tests/fixtures/rules/R019/fail.toml";
    assert_eq!(juesuan(&["check", f]).0, 0);
    assert_eq!(juesuan(&["check", "--strict", f]).0, 1);
}

#[test]
fn json_diagnostics() {
    let (code, out, _) = juesuan(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/rules/R008/fail.toml",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v[0];
    assert_eq!(d["code"], "R008");
    assert_eq!(d["severity"], "error");
    assert!(d["location"]["line"].as_u64().unwrap() > 0);
}

#[test]
fn invalid_input_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("juesuan-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, err) = juesuan(&[
        "build",
        "tests/fixtures/rules/R005/fail.toml",
        "-o",
        dir.to_str().unwrap(),
        "--format",
        "typ",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("未生成任何文件"), "{err}");
    assert!(!dir.exists() || std::fs::read_dir(&dir).unwrap().next().is_none());
}

#[test]
fn build_writes_typ_and_md_and_init_refuses_to_overwrite() {
    let dir = std::env::temp_dir().join(format!("juesuan-cli-ok-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        dir.to_str().unwrap(),
        "--format",
        "typ,md",
        "--timings",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.join("ebian-xinfang-2023.typ").is_file());
    assert!(dir.join("ebian-xinfang-2023.md").is_file());
    assert!(err.contains("合计"), "timings: {err}");
    let example = dir.join("example.toml");
    assert_eq!(juesuan(&["init", example.to_str().unwrap()]).0, 0);
    assert_eq!(juesuan(&["init", example.to_str().unwrap()]).0, 1);
    assert_eq!(juesuan(&["check", example.to_str().unwrap()]).0, 0);
    let tpl = dir.join("tpl");
    assert_eq!(
        juesuan(&["init", "--templates", tpl.to_str().unwrap()]).0,
        0
    );
    assert!(tpl.join("sichuan/body.tera").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn workbook_template_and_conversion_both_ways() {
    let dir = std::env::temp_dir().join(format!("juesuan-cli-xlsx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let blank = dir.join("模板.xlsx");
    let (code, _, err) = juesuan(&["init", "--xlsx", blank.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(blank.exists());
    // A blank template names the two required cells it lacks.
    let (code, out, err) = juesuan(&["check", blank.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!((out.clone() + &err).contains("单位信息!B2"), "{out}{err}");

    let example = root().join("data/ebian-xinfang-2023.toml");
    let xlsx = dir.join("e.xlsx");
    let back = dir.join("e.toml");
    let (code, _, err) = juesuan(&["convert", example.to_str().unwrap(), xlsx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = juesuan(&["convert", xlsx.to_str().unwrap(), back.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = juesuan(&["check", back.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    // It never overwrites without --force, and refuses a TOML whose keys it cannot carry.
    let (code, _, err) = juesuan(&["convert", example.to_str().unwrap(), xlsx.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("--force"), "{err}");
    let typo = dir.join("typo.toml");
    std::fs::write(
        &typo,
        std::fs::read_to_string(&example)
            .unwrap()
            .replace("short_name =", "shortname ="),
    )
    .unwrap();
    let (code, _, err) = juesuan(&[
        "convert",
        typo.to_str().unwrap(),
        dir.join("t.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("E003"), "{err}");
    assert!(!dir.join("t.xlsx").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn example_text() -> String {
    std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml")).unwrap()
}

/// Issue 10: an indicator with target 1e-18 and actual ~1e20 panicked with "Division overflowed".
#[test]
fn absurd_indicator_ratio_is_saturated_not_a_panic() {
    let dir = scratch("ratio");
    let input = dir.join("ratio.toml");
    let original = r#"kind = "positive", target = 95, actual = 98"#;
    let text = example_text();
    assert!(
        text.contains(original),
        "the example changed: update this test"
    );
    std::fs::write(
        &input,
        text.replace(
            original,
            r#"kind = "positive", target = 0.000000000000000001, actual = "99999999999999999999""#,
        ),
    )
    .unwrap();
    let path = input.to_str().unwrap();
    let (code, _, err) = juesuan(&["figures", path]);
    assert_eq!(code, 0, "{err}");
    let out = dir.join("out");
    let (code, _, err) = juesuan(&["build", path, "-o", out.to_str().unwrap(), "--format", "md"]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out.join("ratio.md")).unwrap();
    assert!(
        md.contains("| 100000000.0% |"),
        "completion saturates at the cap"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

/// Issue 10: a failed write left the PDF replaced, the other formats not, and `.tmp` files behind.
#[test]
fn a_failed_write_changes_nothing_and_leaves_no_temp_files() {
    let dir = scratch("atomic");
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("ebian-xinfang-2023.md")).unwrap();
    std::fs::write(out.join("ebian-xinfang-2023.pdf"), "older PDF").unwrap();
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        out.to_str().unwrap(),
        "--format",
        "pdf,md",
        "--bundled-fonts",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[F005]"), "{err}");
    assert!(
        err.contains("ebian-xinfang-2023.md"),
        "names the path: {err}"
    );
    assert!(err.contains("这是一个文件夹"), "in Chinese: {err}");
    assert!(err.contains("未写出任何文件"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("ebian-xinfang-2023.pdf")).unwrap(),
        "older PDF"
    );
    assert_eq!(
        listing(&out),
        ["ebian-xinfang-2023.md", "ebian-xinfang-2023.pdf"]
    );
    // With the folder gone the same build writes both, again leaving nothing else.
    std::fs::remove_dir(out.join("ebian-xinfang-2023.md")).unwrap();
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        out.to_str().unwrap(),
        "--format",
        "pdf,md",
        "--bundled-fonts",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        listing(&out),
        ["ebian-xinfang-2023.md", "ebian-xinfang-2023.pdf"]
    );
    assert!(
        std::fs::read(out.join("ebian-xinfang-2023.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 10: OS errors reached the user in English or without the path.
#[test]
fn unreadable_inputs_are_named_in_chinese_with_a_hint() {
    let dir = scratch("unreadable");
    std::fs::create_dir_all(dir.join("folder.toml")).unwrap();
    let missing = dir.join("missing.toml");
    let (code, _, err) = juesuan(&["check", missing.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[E001]"), "{err}");
    assert!(err.contains("missing.toml：文件或文件夹不存在"), "{err}");
    assert!(err.contains("检查路径"), "a hint: {err}");
    assert!(!err.contains("os error"), "no English OS wording: {err}");
    let (code, _, err) = juesuan(&["build", dir.join("folder.toml").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("folder.toml：这是一个文件夹"), "{err}");
    std::fs::write(
        dir.join("gbk.toml"),
        b"[bureau]\nname = \"\xd0\xc5\xb7\xc3\"\n",
    )
    .unwrap();
    let (code, _, err) = juesuan(&["check", dir.join("gbk.toml").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("不是 UTF-8 编码"), "{err}");
    assert!(err.contains("另存为"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 10: a 50 MB TOML built 31,503 pages in 8.2 GB. The size is checked before reading.
#[test]
fn inputs_over_the_size_limit_are_refused_before_reading() {
    let dir = scratch("size");
    let big = dir.join("big.toml");
    let file = std::fs::File::create(&big).unwrap();
    // Sparse: nothing is written, and nothing may be read.
    file.set_len(50 * 1024 * 1024).unwrap();
    let (code, _, err) = juesuan(&["check", big.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("错误[E006]"), "{err}");
    assert!(
        err.contains("big.toml 超过大小上限：50.0 MB 大于 5 MB"),
        "{err}"
    );
    assert!(err.contains("选错了文件"), "a hint: {err}");
    // A file of exactly the limit is read (and refused as TOML, not for its size).
    file.set_len(juesuan::input::MAX_TOML_BYTES).unwrap();
    let (code, _, err) = juesuan(&["check", big.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(!err.contains("E006"), "{err}");
    // The example is far below it.
    let (code, _, err) = juesuan(&["check", "data/ebian-xinfang-2023.toml"]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 10: a mistyped `--templates` folder built silently with the built-in templates.
#[test]
fn a_mistyped_templates_folder_is_an_error_naming_it() {
    let dir = scratch("templates");
    let out = dir.join("out");
    let build = |templates: &std::path::Path| {
        juesuan(&[
            "build",
            "data/ebian-xinfang-2023.toml",
            "-o",
            out.to_str().unwrap(),
            "--format",
            "md",
            "--templates",
            templates.to_str().unwrap(),
        ])
    };
    let (code, _, err) = build(&dir.join("tempaltes"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[F003]"), "{err}");
    assert!(
        err.contains("tempaltes 无法使用：文件或文件夹不存在"),
        "{err}"
    );
    assert!(err.contains("juesuan init --templates"), "a hint: {err}");
    // A folder without any template of a built-in name (the templates one level down, say).
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let (code, _, err) = build(&dir.join("empty"));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("没有任何与内置模板同名的文件"), "{err}");
    assert!(!out.exists(), "nothing written");
    // An ejected folder works.
    let ejected = dir.join("tpl");
    assert_eq!(
        juesuan(&["init", "--templates", ejected.to_str().unwrap()]).0,
        0
    );
    let (code, _, err) = build(&ejected);
    assert_eq!(code, 0, "{err}");
    assert!(out.join("ebian-xinfang-2023.md").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 10: `init 本单位.xlsx` wrote TOML text into a file named .xlsx.
#[test]
fn init_with_an_xlsx_path_writes_the_workbook() {
    let dir = scratch("init-xlsx");
    let xlsx = dir.join("本单位.xlsx");
    let (code, _, err) = juesuan(&["init", xlsx.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("空白模板"), "{err}");
    assert!(
        std::fs::read(&xlsx).unwrap().starts_with(b"PK"),
        "a zip, not TOML"
    );
    let (code, out, err) = juesuan(&["check", xlsx.to_str().unwrap()]);
    assert_eq!(code, 1, "a blank workbook lacks required cells");
    assert!(
        (out + &err).contains("单位信息!B2"),
        "read as a workbook: {err}"
    );
    // Other extensions are refused with a hint rather than given TOML text.
    let (code, _, err) = juesuan(&["init", dir.join("本单位.xls").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("本单位.xlsx"), "{err}");
    assert!(!dir.join("本单位.xls").exists());
    let (code, _, err) = juesuan(&["init", "--xlsx", dir.join("模板").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains(".xlsx 结尾"), "{err}");
    // .toml still writes the example.
    let toml = dir.join("本单位.toml");
    assert_eq!(juesuan(&["init", toml.to_str().unwrap()]).0, 0);
    assert!(std::fs::read_to_string(&toml).unwrap().contains("[bureau]"));
    let (_, help, _) = juesuan(&["init", "--help"]);
    assert!(help.contains(".xlsx 结尾时"), "{help}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// English words clap would print: none may reach the user.
const ENGLISH: &[&str] = &[
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "error:",
    "tip:",
    "[default:",
    "possible values",
    "For more information",
    "[OPTIONS]",
];

fn assert_chinese(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "English “{word}” in:\n{text}");
    }
}

/// Issue 10: `--help` and usage errors were in English.
#[test]
fn help_reads_chinese() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["build", "--help"],
        &["build", "-h"],
        &["check", "--help"],
        &["init", "--help"],
        &["convert", "--help"],
        &["figures", "--help"],
    ] {
        let (code, out, err) = juesuan(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("用法："), "{args:?}: {out}");
        assert!(out.contains("选项"), "{args:?}: {out}");
        assert_chinese(&out);
    }
    let (_, out, _) = juesuan(&["build", "--help"]);
    assert!(out.contains("参数") && out.contains("<文件>"), "{out}");
    assert!(out.contains("[默认：pdf]"), "{out}");
    let (_, out, _) = juesuan(&["--help"]);
    assert!(out.contains("命令") && out.contains("显示版本"), "{out}");
    let (code, out, _) = juesuan(&["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("juesuan "), "{out}");
}

#[test]
fn usage_errors_read_chinese_with_a_hint() {
    let cases: &[(&[&str], &str)] = &[
        (&["chek", "a.toml"], "没有“chek”这个命令"),
        (
            &["build", "a.toml", "--formt", "pdf"],
            "是不是想写“--format”",
        ),
        (
            &["check", "--format", "xml", "a.toml"],
            "可选值：human、json",
        ),
        (&["build", "a.toml", "--attachment", "abc"], "写一个正整数"),
        (&["check"], "缺少必填的参数：<文件>"),
        (&["init", "--xlsx", "a.xlsx", "--templates", "t"], "不能与"),
        (&["build", "a.toml", "--bogus"], "不认识的参数“--bogus”"),
    ];
    for (args, expected) in cases {
        let (code, out, err) = juesuan(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(err.contains("更多说明：juesuan"), "{args:?}: {err}");
        assert_chinese(&err);
    }
    // No arguments at all start the web page (issue 14): tests/serve.rs.
}

/// Issue 10: F004 printed a Rust debug dump instead of a line and column.
#[test]
fn typst_errors_give_line_column_and_the_template() {
    let dir = scratch("typst");
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        dir.to_str().unwrap(),
        "--templates",
        "tests/fixtures/templates/broken-typst",
        "--bundled-fonts",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("错误[F004]"), "{err}");
    assert!(
        err.contains("生成的源码第 2 行第 17 列“#set text(size: 峨边彝族自治县信访局)”"),
        "{err}"
    );
    assert!(err.contains("生成的 Typst 源码:2:17"), "a location: {err}");
    assert!(err.contains("--format typ"), "a hint: {err}");
    assert!(
        err.contains("broken-typst/sichuan/shuoming.typ"),
        "names the replaced template: {err}"
    );
    for dump in ["SourceDiagnostic", "Span(", "DiagSpan", "trace:"] {
        assert!(!err.contains(dump), "debug dump {dump}: {err}");
    }
    // The generated source the message points at: line 2 is the line quoted.
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        dir.to_str().unwrap(),
        "--templates",
        "tests/fixtures/templates/broken-typst",
        "--format",
        "typ",
    ]);
    assert_eq!(code, 0, "{err}");
    let typ = std::fs::read_to_string(dir.join("ebian-xinfang-2023.typ")).unwrap();
    assert_eq!(
        typ.lines().nth(1),
        Some("#set text(size: 峨边彝族自治县信访局)")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn convert_failures_are_chinese_and_leave_nothing_behind() {
    let dir = scratch("convert");
    let (code, _, err) = juesuan(&[
        "convert",
        dir.join("missing.toml").to_str().unwrap(),
        dir.join("m.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("错误[E001]") && err.contains("文件或文件夹不存在"),
        "{err}"
    );
    std::fs::create_dir(dir.join("e.xlsx")).unwrap();
    let (code, _, err) = juesuan(&[
        "convert",
        "data/ebian-xinfang-2023.toml",
        dir.join("e.xlsx").to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("e.xlsx 失败：这是一个文件夹"), "{err}");
    assert!(
        err.contains("错误[F005]") && err.contains("同名文件夹"),
        "{err}"
    );
    assert_eq!(listing(&dir), ["e.xlsx"], "no temporary file left");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: a TOML input named x.md, x.typ or x.pdf built into its own folder was replaced by
/// the output (exit 0), and `import x.xlsx -o x.xlsx --force` replaced its source. An output
/// never replaces an input of the same run, --force or not (F005), and nothing is written.
#[test]
fn an_output_never_replaces_an_input_of_the_same_run() {
    let dir = scratch("clobber");
    let text = example_text();
    for ext in ["md", "typ", "pdf"] {
        let input = dir.join(format!("x.{ext}"));
        std::fs::write(&input, &text).unwrap();
        let (code, _, err) = juesuan(&[
            "build",
            input.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
            "--format",
            &format!("{ext},md"),
            "--bundled-fonts",
        ]);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("F005") && err.contains("输出不会覆盖输入"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&input).unwrap(), text, "x.{ext}");
        let _ = std::fs::remove_file(&input);
        assert!(listing(&dir).is_empty(), "{:?}", listing(&dir));
    }
    // The 公开表 workbook of the example, imported onto itself.
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        dir.to_str().unwrap(),
        "--format",
        "xlsx",
    ]);
    assert_eq!(code, 0, "{err}");
    let tables = dir.join("ebian-xinfang-2023.公开表.xlsx");
    let before = std::fs::read(&tables).unwrap();
    // Named another way (`dir/./x`), and through a hard link: still the same file.
    let other_name = dir.join(".").join("ebian-xinfang-2023.公开表.xlsx");
    let linked = dir.join("link.xlsx");
    std::fs::hard_link(&tables, &linked).unwrap();
    for output in [&tables, &other_name, &linked] {
        let (code, _, err) = juesuan(&[
            "import",
            tables.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
            "--force",
        ]);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains("F005") && err.contains("输出不会覆盖输入"),
            "{err}"
        );
        assert_eq!(std::fs::read(&tables).unwrap(), before);
    }
    // convert onto its own source.
    let (code, _, err) = juesuan(&[
        "convert",
        tables.to_str().unwrap(),
        linked.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("F005"), "{err}");
    assert_eq!(std::fs::read(&tables).unwrap(), before);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs the binary with a deadline: (exit code, stderr), or a panic naming the hang.
#[cfg(unix)]
fn juesuan_within(args: &[&str], secs: u64) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run juesuan");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("juesuan {args:?} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

/// Issue 20: a named pipe given as the input hung every command (opening it waits for a
/// writer). Only regular files are read; the pipe is named, never opened.
#[cfg(unix)]
#[test]
fn a_named_pipe_as_the_input_is_refused_without_waiting() {
    let dir = scratch("fifo");
    let fifo = dir.join("本单位.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let xlsx_fifo = dir.join("本单位.xlsx");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&xlsx_fifo)
            .status()
            .unwrap()
            .success()
    );
    let f = fifo.to_str().unwrap();
    let x = xlsx_fifo.to_str().unwrap();
    let out = dir.join("out");
    let target = dir.join("x.xlsx");
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", f],
        vec!["check", x],
        vec!["build", f, "-o", out.to_str().unwrap()],
        vec!["figures", f],
        vec!["diff", f, "data/ebian-xinfang-2023.toml"],
        vec!["import", x],
        vec!["convert", f, target.to_str().unwrap()],
        vec!["check", "data/ebian-xinfang-2023.toml", "--previous", f],
    ];
    for args in cases {
        let (code, err) = juesuan_within(&args, 30);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains("命名管道"), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: `juesuan figures … | head` and `check --format json … | head` panicked on the
/// closed pipe (exit 101). A reader that goes away ends the program quietly.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    for args in [
        vec!["figures", "data/ebian-xinfang-2023.toml"],
        vec!["figures", "--json", "data/ebian-xinfang-2023.toml"],
        vec![
            "check",
            "--format",
            "json",
            "tests/fixtures/rules/R008/fail.toml",
        ],
        vec![
            "diff",
            "data/ebian-xinfang-2022.toml",
            "data/ebian-xinfang-2023.toml",
        ],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_juesuan"))
            .args(&args)
            .current_dir(root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `head -c 1`: read a byte, then go away.
        let mut stdout = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        let _ = stdout.read(&mut one);
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
        assert!(
            matches!(out.status.code(), Some(0 | 1)) || out.status.signal() == Some(13),
            "{args:?}: {:?} {err}",
            out.status
        );
    }
}

/// Issue 20: an input named with 80 Chinese characters failed with F005 “File name too long”:
/// the staged file's name was longer than the output's. Staged names are kept short.
#[test]
fn an_input_with_an_eighty_character_name_is_built() {
    let dir = scratch("long-name");
    let input = dir.join(format!("{}.toml", "信".repeat(80)));
    std::fs::write(&input, example_text()).unwrap();
    let out = dir.join("out");
    for _ in 0..2 {
        let (code, _, err) = juesuan(&[
            "build",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "typ,md",
        ]);
        assert_eq!(code, 0, "{err}");
    }
    assert_eq!(
        listing(&out),
        [
            format!("{}.md", "信".repeat(80)),
            format!("{}.typ", "信".repeat(80))
        ]
    );
    // convert writes beside its target the same way.
    let target = dir.join(format!("{}.xlsx", "信".repeat(80)));
    let (code, _, err) = juesuan(&["convert", input.to_str().unwrap(), target.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: a SIGKILL while the PDF was written left a hidden `.stem.pdf.<pid>-0.tmp` that no
/// later build removed. The next build of the same output removes it.
#[test]
fn a_file_staged_by_a_killed_build_is_removed_by_the_next() {
    let dir = scratch("stale");
    let stale = dir.join(".ebian-xinfang-2023.md.2147483647-0.tmp");
    std::fs::write(&stale, "half").unwrap();
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "-o",
        dir.to_str().unwrap(),
        "--format",
        "md",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(listing(&dir), ["ebian-xinfang-2023.md"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: a link in a --templates folder pointing outside it was followed, and what it
/// pointed at was printed in an F004 message. It is refused, its target never read.
#[cfg(unix)]
#[test]
fn a_template_link_leading_out_of_the_folder_is_refused() {
    let dir = scratch("template-link");
    let templates = dir.join("templates");
    let (code, _, err) = juesuan(&["init", "--templates", templates.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let secret = dir.join("secret.txt");
    std::fs::write(&secret, "机密内容 password=hunter2").unwrap();
    // Replace one built-in template by a link to the secret.
    let victim = std::fs::read_dir(templates.join("sichuan"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "typ"))
        .expect("a .typ template");
    std::fs::remove_file(&victim).unwrap();
    std::os::unix::fs::symlink(&secret, &victim).unwrap();
    let (code, out, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "--templates",
        templates.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
        "--format",
        "typ",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("指向模板目录之外的链接"), "{err}");
    assert!(
        !err.contains("hunter2") && !out.contains("hunter2"),
        "{err}"
    );
    // A link that stays inside the folder is followed as before.
    std::fs::remove_file(&victim).unwrap();
    let (code, _, err) = juesuan(&["init", "--templates", dir.join("fresh").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let original = dir.join("fresh/sichuan").join(victim.file_name().unwrap());
    let kept = templates.join("sichuan/original.typ.orig");
    std::fs::copy(&original, &kept).unwrap();
    std::os::unix::fs::symlink(&kept, &victim).unwrap();
    let (code, _, err) = juesuan(&[
        "build",
        "data/ebian-xinfang-2023.toml",
        "--templates",
        templates.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
        "--format",
        "typ",
    ]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: 22 errors carried no code (`--previous`, `convert`, `init` file errors). Each is
/// a coded diagnostic now: F005 for what cannot be written, E001 for an unusable --previous,
/// E005 for a value out of range.
#[test]
fn file_errors_of_every_command_carry_a_code() {
    let dir = scratch("codes");
    let existing = dir.join("已有.toml");
    std::fs::write(&existing, "x").unwrap();
    let e = existing.to_str().unwrap();
    let xlsx = dir.join("已有.xlsx");
    std::fs::write(&xlsx, "x").unwrap();
    let other = dir.join("新.toml").to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["init", e], "F005"),
        (vec!["init", "--xlsx", xlsx.to_str().unwrap()], "F005"),
        (vec!["init", "--xlsx", e], "E005"),
        (vec!["init", "--form", "mars", e], "E005"),
        (
            vec![
                "convert",
                "data/ebian-xinfang-2023.toml",
                xlsx.to_str().unwrap(),
            ],
            "F005",
        ),
        (
            vec!["convert", "data/ebian-xinfang-2023.toml", &other],
            "E005",
        ),
        (
            vec![
                "check",
                "data/ebian-xinfang-2023.toml",
                "--previous",
                "没有这个文件.toml",
            ],
            "E001",
        ),
        (
            vec![
                "build",
                "data/ebian-xinfang-2023.toml",
                "--previous",
                "没有这个文件夹/",
                "--format",
                "md",
                "-o",
                dir.to_str().unwrap(),
            ],
            "E001",
        ),
        (
            vec![
                "figures",
                "data/ebian-xinfang-2023.toml",
                "--previous",
                "没有这个文件.toml",
            ],
            "E001",
        ),
    ];
    for (args, code) in cases {
        let (exit, _, err) = juesuan(&args);
        assert_eq!(exit, 1, "{args:?}: {err}");
        assert!(err.contains(&format!("错误[{code}]")), "{args:?}: {err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: `convert` refused a TOML with `fleet = []` as “这是 juesuan 的缺陷”: an empty list
/// is no fact, and the workbook (a sheet with its header alone) reads back as the same input.
#[test]
fn an_empty_list_converts_to_a_workbook() {
    let dir = scratch("empty-list");
    let text = example_text();
    let start = text.find("fleet = [").unwrap();
    let end = start + text[start..].find(']').unwrap() + 1;
    let input = dir.join("fleet.toml");
    std::fs::write(
        &input,
        format!("{}fleet = []{}", &text[..start], &text[end..]),
    )
    .unwrap();
    let target = dir.join("fleet.xlsx");
    let (code, _, err) = juesuan(&["convert", input.to_str().unwrap(), target.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let from_toml = juesuan::check_file(&input);
    let from_xlsx = juesuan::check_file(&target);
    assert!(!from_toml.diagnostics.has_errors() && !from_xlsx.diagnostics.has_errors());
    let _ = std::fs::remove_dir_all(&dir);
}
