//! `juesuan diff`, `build --check` (golden files) as a user runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn juesuan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-diff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const EXAMPLE: &str = "data/ebian-xinfang-2023.toml";

#[test]
fn build_check_passes_on_unchanged_output_and_fails_with_a_diff_after_a_template_edit() {
    let golden = scratch("golden");
    let (code, _, err) = juesuan(&["build", EXAMPLE, "-o", s(&golden), "--format", "typ,md"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = juesuan(&[
        "build",
        EXAMPLE,
        "--check",
        s(&golden),
        "--format",
        "typ,md",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("2 个文件与"), "{err}");
    // Nothing was written beside the golden files.
    let mut names: Vec<String> = std::fs::read_dir(&golden)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["ebian-xinfang-2023.md", "ebian-xinfang-2023.typ"]);

    // A customised template: one word of the body changed.
    let templates = scratch("templates");
    let (code, _, err) = juesuan(&["init", "--templates", s(&templates)]);
    assert_eq!(code, 0, "{err}");
    let body = templates.join("sichuan/body.tera");
    let text = std::fs::read_to_string(&body).unwrap();
    assert!(text.contains("收、支总计均为"));
    std::fs::write(&body, text.replace("收、支总计均为", "收、支总计合计为")).unwrap();
    let (code, out, err) = juesuan(&[
        "build",
        EXAMPLE,
        "--check",
        s(&golden),
        "--format",
        "typ,md",
        "--templates",
        s(&templates),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("不同 ") && err.contains("ebian-xinfang-2023.md"),
        "{err}"
    );
    assert!(err.contains("2 个文件中有 2 个"), "{err}");
    assert!(
        out.contains(&format!("--- {}", s(&golden.join("ebian-xinfang-2023.md")))),
        "{out}"
    );
    assert!(out.contains("+++ 本次生成"), "{out}");
    assert!(out.contains("\n-2023年度收、支总计均为305.97万元"), "{out}");
    assert!(
        out.contains("\n+2023年度收、支总计合计为305.97万元"),
        "{out}"
    );
    // Only the changed lines and their context: not the whole document.
    assert!(out.lines().count() < 80, "{out}");
    let _ = std::fs::remove_dir_all(&golden);
    let _ = std::fs::remove_dir_all(&templates);
}

#[test]
fn build_check_reports_a_differing_pdf_and_a_missing_file() {
    let golden = scratch("pdf");
    std::fs::write(
        golden.join("ebian-xinfang-2023.pdf"),
        b"%PDF-1.7 not this one",
    )
    .unwrap();
    let (code, out, err) = juesuan(&[
        "build",
        EXAMPLE,
        "--check",
        s(&golden),
        "--format",
        "pdf,md",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("PDF 逐字节比较不一致"), "{err}");
    assert!(err.contains("ebian-xinfang-2023.md：无法读取"), "{err}");
    assert!(out.is_empty(), "{out}");
    let _ = std::fs::remove_dir_all(&golden);
}
