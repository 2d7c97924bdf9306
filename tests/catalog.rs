//! 科目表认得真实文件所印的每一个科目：`tests/fixtures/catalog/printed-codes.tsv` 列出真实文件所印的
//! 编码与名称（照原样），科目表对该年度须给出同一名称。
//!
//! The list is typed from the shared documents (the Putuo 2024 package and the Shanghai 2024
//! template) plus the codes issue 19 saw in other Shanghai packages. When the shared documents sit
//! beside the repository (`../shared`), every code they print must also be on the list, so a code
//! added to them cannot be missed here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use juesuan::catalog::Catalog;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (year, kind, code, name, source) for every line of the list.
fn printed() -> Vec<(i64, String, String, String, String)> {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/catalog/printed-codes.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "five columns: {l}");
            (
                f[0].parse().unwrap(),
                f[1].to_string(),
                f[2].to_string(),
                f[3].to_string(),
                f[4].to_string(),
            )
        })
        .collect()
}

#[test]
fn the_catalog_knows_every_printed_code_by_its_printed_name() {
    let list = printed();
    assert!(list.len() > 100, "the list is read: {}", list.len());
    let mut wrong = Vec::new();
    for (year, kind, code, name, source) in &list {
        let catalog = Catalog::for_year(*year);
        let known = match kind.as_str() {
            "function" => catalog.get(code).map(|i| i.name.clone()),
            "economic" => catalog.economic(code).map(|i| i.name.clone()),
            other => panic!("unknown kind {other}"),
        };
        if known.as_deref() != Some(name.as_str()) {
            wrong.push(format!(
                "{year} {kind} {code}: printed “{name}” ({source}), catalog {known:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Classification codes in a document: runs of digits of a code's length (类 3, 款 5, 项 7;
/// economic 类 3, 款 5) starting with 2 (function) or 3 (economic), not part of an amount.
fn codes_in(text: &str) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i).copied();
        let amount = |c: Option<char>| matches!(c, Some('.' | ',' | '%' | '-' | '/' | ':'));
        let run: String = chars[start..i].iter().collect();
        if !amount(before)
            && !amount(after)
            && matches!(run.len(), 3 | 5 | 7)
            && (run.starts_with('2') || run.starts_with('3'))
        {
            codes.insert(run);
        }
    }
    codes
}

/// The Putuo tables and the Shanghai template print codes as `201  06  01` (split by level) in
/// the text layout; the cells file has them whole in its row column.
#[test]
fn every_code_the_shared_documents_print_is_on_the_list() {
    let shared = root().join("../shared/forms/shanghai-2024");
    if !shared.is_dir() {
        eprintln!("skipped: {} is not here", shared.display());
        return;
    }
    let listed: BTreeSet<String> = printed().into_iter().map(|(_, _, c, _, _)| c).collect();
    let mut missing = Vec::new();
    let cells = std::fs::read_to_string(shared.join("putuo-caizheng-2024.cells.tsv")).unwrap();
    let from_cells: BTreeSet<String> = cells
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').nth(1))
        .filter(|row| row.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    let template = std::fs::read_to_string(shared.join("template.txt")).unwrap();
    for (file, codes) in [
        ("putuo-caizheng-2024.cells.tsv", from_cells),
        ("template.txt", codes_in(&template)),
    ] {
        assert!(!codes.is_empty(), "{file}: no codes read");
        for code in codes {
            if !listed.contains(&code) {
                missing.push(format!("{file}: {code}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "printed but not in tests/fixtures/catalog/printed-codes.tsv:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_code_split_by_level_is_read_whole_in_the_putuo_text() {
    // The text layout prints 2080505 as “208   05   05”: joined, every such code is listed too.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/forms/shanghai-2024/putuo-caizheng-2024.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not here", path.display());
        return;
    };
    let listed: BTreeSet<String> = printed().into_iter().map(|(_, _, c, _, _)| c).collect();
    let mut missing = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else { continue };
        if first.len() != 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let mut code = first.to_string();
        for w in &words[1..] {
            if w.len() == 2 && w.bytes().all(|b| b.is_ascii_digit()) && code.len() < 7 {
                code.push_str(w);
            } else {
                break;
            }
        }
        if (code.starts_with('2') || code.starts_with('3')) && !listed.contains(&code) {
            missing.push(code);
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

/// The codes issue 19 saw R018 refuse in real Shanghai packages need no name in the input.
#[test]
fn the_codes_real_packages_print_need_no_name() {
    let path = root().join("tests/fixtures/catalog/issue-19-codes.toml");
    let checked = juesuan::check_file(&path);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    // 20139 社会工作事务 was set up in 2024: a 2023 document using it must name it.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("year = 2024", "year = 2023");
    let checked = juesuan::check_text("2023.toml", &text);
    let r018: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == "R018")
        .collect();
    assert_eq!(r018.len(), 1, "{r018:#?}");
    assert!(
        r018[0]
            .message
            .contains("20139（款级编码）、2013999（项级编码）（共 2 个）"),
        "{}",
        r018[0]
    );
}
