//! Text never invents (issue 19 point 4, issue 20's `duties = []`): an absent fact is absent in
//! the template context, printing it fails the build, and each form leaves out its clause.
//!
//! Every example of `data/`, in its own form and in each other 说明 form it checks in (四川, 上海,
//! 重庆; the 绩效 forms come with the examples that use them), is built with each optional fact
//! removed in turn — every scalar, in tables and in arrays of tables (a project's report), and
//! every list emptied. The input either is refused by a rule (the fact is required) or builds,
//! in Markdown and Typst, and then its text has no empty slot and no zero the input did not
//! give, and `figures` lists no figure whose input was removed.

mod common;

use common::root;
use juesuan::figures::tables::TableLayouts;
use juesuan::figures::{FixedGlossary, compute};
use juesuan::render::{Format, Timings};

#[derive(Clone, Debug)]
enum Key {
    Name(String),
    Index(usize),
}

type Path = Vec<Key>;

fn show(path: &Path) -> String {
    path.iter()
        .map(|k| match k {
            Key::Name(n) => n.clone(),
            Key::Index(i) => format!("[{i}]"),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Every fact that may be left out: each scalar and each list, in tables and in arrays of tables,
/// and each row of an array of tables.
fn facts(value: &toml::Value, prefix: &mut Path, out: &mut Vec<Path>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                prefix.push(Key::Name(k.clone()));
                facts(v, prefix, out);
                prefix.pop();
            }
        }
        toml::Value::Array(a) if a.iter().any(|x| x.is_table()) => {
            for (i, v) in a.iter().enumerate() {
                prefix.push(Key::Index(i));
                // The row itself (a vehicle kind, a project, a 科目) left out, then each of its cells.
                out.push(prefix.clone());
                facts(v, prefix, out);
                prefix.pop();
            }
            // The whole list, emptied.
            out.push(prefix.clone());
        }
        _ => out.push(prefix.clone()),
    }
}

/// The input with one fact removed (a list: emptied as well, in `emptied`).
fn edited(table: &toml::Table, path: &Path, emptied: bool) -> toml::Table {
    let mut root = toml::Value::Table(table.clone());
    let mut at = &mut root;
    for k in &path[..path.len() - 1] {
        at = match k {
            Key::Name(n) => at.get_mut(n.as_str()).unwrap(),
            Key::Index(i) => at.get_mut(*i).unwrap(),
        };
    }
    let last = match path.last() {
        Some(Key::Name(n)) => n,
        Some(Key::Index(i)) => {
            at.as_array_mut().unwrap().remove(*i);
            return match root {
                toml::Value::Table(t) => t,
                _ => unreachable!(),
            };
        }
        None => unreachable!("a fact has a path"),
    };
    let t = at.as_table_mut().unwrap();
    if emptied {
        t.insert(last.clone(), toml::Value::Array(Vec::new()));
    } else {
        t.remove(last);
    }
    match root {
        toml::Value::Table(t) => t,
        _ => unreachable!(),
    }
}

/// What an empty slot looks like in a sentence: a blank spliced between words or punctuation.
const EMPTY_SLOTS: &[&str] = &[
    "：。",
    "：，",
    "：；",
    "，。",
    "，，",
    "；。",
    "；；",
    "（）",
    "为万元",
    "数万元",
    "金万元",
    "为%",
    "率%",
    "了的",
    "“”",
    "的个",
    "年，",
    "年。",
];

/// The counts of the input (团组、批次、人次、台套、项目个数 …): left out, they are unknown, not 0.
/// An amount left out is unknown too (“机关运行经费 上年数” left blank): the sentences leave its
/// clause out, and every figure computed from it. Only the tables print a blank cell as the
/// form's 0 (the 公开表 convention), and the tables are not read here.
const COUNTS: &[&str] = &[
    "administrative",
    "civil_service_managed",
    "other_institutions",
    "groups",
    "people",
    "count",
    "batches",
    "large_equipment",
    "declared_vehicles",
    "projects",
    "excellent",
    "good",
    "pass",
    "fail",
    "found",
    "fixed",
    "fixing",
    "project_count",
    "retired",
    "declared_contract",
    "declared_staff",
    "quota",
];

/// The amounts that are cells of a table (the 公开表 lines and items, a row of a list printed as
/// a table: 车辆购置, 支付明细): a blank cell there is 0 by the tables' convention, and a total
/// of table lines adds it as 0. The sentences' own facts (上年数, 机关运行经费, “三公”经费,
/// 政府采购, the reports' amounts) are not.
fn is_table_cell(path: &Path) -> bool {
    matches!(&path[0], Key::Name(n) if TABLE_SECTIONS.contains(&n.as_str()))
        || path
            .iter()
            .any(|k| matches!(k, Key::Name(n) if TABLE_LISTS.contains(&n.as_str())))
}

const TABLE_SECTIONS: &[&str] = &[
    "income",
    "spending",
    "appropriation",
    "general_budget",
    "gov_fund",
    "state_capital",
    "non_appropriation",
];

const TABLE_LISTS: &[&str] = &["payments", "purchases", "indicators"];

/// The figures of the tables (公开表, 自评表): their blank cells print as the form's 0.
fn is_table_figure(id: &str) -> bool {
    id.starts_with("tables") || id.starts_with("performance.sheets")
}

/// A built package's sentences (table rows and headings aside), its empty sections (a heading
/// followed by one of the same or a higher level) and figures.
struct Built {
    lines: Vec<String>,
    empty_sections: Vec<String>,
    /// Sentences that lead into a list (“…主要职责是：”) with no list after them.
    dangling: Vec<String>,
    /// Each figure's id, printed value, and its inputs' sources (`file:line:col`, or 计算).
    figures: Vec<Figure>,
}

struct Figure {
    id: String,
    value: String,
    inputs: Vec<(String, String)>,
}

enum Outcome {
    Refused,
    Built(Built),
    Failed(String),
}

fn build(t: &toml::Table) -> Outcome {
    let checked = juesuan::check_text("x.toml", &toml::to_string(t).unwrap());
    if checked.diagnostics.has_errors() {
        return Outcome::Refused;
    }
    let Some(bureau) = checked.bureau else {
        return Outcome::Refused;
    };
    let built = juesuan::render::build(
        &bureau,
        &[Format::Md, Format::Typ],
        &common::bundled(),
        &mut Timings::default(),
    );
    let artifacts = match built {
        Ok(a) => a,
        Err(d) => {
            return Outcome::Failed(
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    };
    let md = String::from_utf8(artifacts[0].bytes.clone()).unwrap();
    let figures = compute(&bureau, &FixedGlossary::default(), &TableLayouts::builtin())
        .map(|f| {
            f.ledger
                .0
                .into_iter()
                .map(|r| Figure {
                    id: r.id,
                    value: r.value,
                    inputs: r.inputs.into_iter().map(|i| (i.label, i.source)).collect(),
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let blocks: Vec<&str> = md
        .split("\n\n")
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let level = |b: &str| b.chars().take_while(|c| *c == '#').count();
    // A section (一、 or （一）) whose heading is followed by another of its level or higher; a
    // key task's title (#####) may stand alone.
    let empty_sections = blocks
        .windows(2)
        .filter(|w| (2..=4).contains(&level(w[0])) && level(w[1]) > 0 && level(w[1]) <= level(w[0]))
        .map(|w| w[0].to_string())
        .collect();
    let dangling = blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| {
            b.ends_with('：') && blocks.get(i + 1).is_none_or(|next| next.starts_with('#'))
        })
        // The 自评表's cells (“目标实际完成情况：” and a blank) are the table's look.
        .filter(|(_, b)| !b.starts_with("年度总体目标") && !b.starts_with("年度预期目标"))
        .map(|(_, b)| b.to_string())
        .collect();
    let lines = blocks
        .iter()
        .filter(|l| !l.starts_with('|') && !l.starts_with('#'))
        .map(|l| l.to_string())
        .collect();
    Outcome::Built(Built {
        lines,
        empty_sections,
        dangling,
        figures,
    })
}

/// The zeros a sentence prints (“0万元”, “0.00%”, “0个”): numbers whose value is 0.
fn zeros(line: &str) -> usize {
    let chars: Vec<char> = line.chars().collect();
    let mut n = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            if s.chars().all(|c| c == '0' || c == '.') {
                n += 1;
            }
        } else {
            i += 1;
        }
    }
    n
}

/// A word chosen by a sign that disagrees with the figure beside it: the first completion of a
/// sentence (“完成预算0%”“完成年初预算的100.00%”) and the 决算数大于/小于预算数 its reason explains.
fn contradictions(line: &str) -> Option<String> {
    let at = line.find("完成")?;
    let rest = &line[at..];
    let stop = rest.find(['，', '。', '；']).unwrap_or(rest.len());
    let head = &rest[..stop];
    let pct = head.find('%')?;
    let digits: String = head[..pct]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let p: f64 = digits.parse().ok()?;
    let greater = rest.contains("决算数大于预算数");
    let less = rest.contains("决算数小于预算数");
    // 100% beside 大于/小于 is a rounded completion that reads as 持平.
    let wrong = (greater && p <= 100.0) || (less && p >= 100.0);
    wrong.then(|| format!("完成{p}%与“{}”", if greater { "大于" } else { "小于" }))
}

/// The examples in their own form and each other 说明 form.
fn inputs() -> Vec<(String, toml::Table)> {
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths.push(root().join("tests/fixtures/chongqing/ebian-as-chongqing.toml"));
    for path in paths {
        let table: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let own = table
            .get("bureau")
            .and_then(|b| b.get("form"))
            .and_then(|f| f.as_str())
            .unwrap_or("sichuan")
            .to_string();
        out.push((name.clone(), table.clone()));
        for form in ["sichuan", "shanghai", "chongqing"] {
            if form == own {
                continue;
            }
            let mut t = table.clone();
            t.get_mut("bureau")
                .and_then(|b| b.as_table_mut())
                .unwrap()
                .insert("form".into(), toml::Value::String(form.into()));
            if matches!(build(&t), Outcome::Built(_)) {
                out.push((format!("{name} 按 {form}"), t));
            }
        }
    }
    out
}

#[test]
fn each_optional_fact_left_out_leaves_its_clause_out() {
    let mut found = Vec::new();
    for (name, table) in inputs() {
        let Outcome::Built(base) = build(&table) else {
            panic!("{name} builds");
        };
        for line in &base.lines {
            if let Some(c) = contradictions(line) {
                found.push(format!("{name}：措辞与数不符（{c}）：{line}"));
            }
        }
        let mut paths = Vec::new();
        facts(
            &toml::Value::Table(table.clone()),
            &mut Vec::new(),
            &mut paths,
        );
        for path in paths {
            // [bureau] holds the identity and the style keys (form, percent_decimals …), not facts.
            if matches!(&path[0], Key::Name(n) if n == "bureau")
                || matches!(path.last(), Some(Key::Name(n)) if n == "form")
            {
                continue;
            }
            // The 绩效 facts do not depend on the 说明 form: left out once, in the example's own.
            if name.contains(" 按 ") && matches!(&path[0], Key::Name(n) if n == "performance") {
                continue;
            }
            let is_count =
                matches!(path.last(), Some(Key::Name(n)) if COUNTS.contains(&n.as_str()));
            let is_amount = {
                let mut at = &toml::Value::Table(table.clone());
                for k in &path {
                    at = match k {
                        Key::Name(n) => &at[n.as_str()],
                        Key::Index(i) => &at[*i],
                    };
                }
                (at.is_integer() || at.is_float()) && !is_count && !is_table_cell(&path)
            };
            let is_list = {
                let mut at = &toml::Value::Table(table.clone());
                for k in &path {
                    at = match k {
                        Key::Name(n) => &at[n.as_str()],
                        Key::Index(i) => &at[*i],
                    };
                }
                at.as_array().is_some_and(|a| !a.is_empty())
            };
            for emptied in [false, true] {
                if emptied && !is_list {
                    continue;
                }
                let what = format!(
                    "{name} {} {}",
                    if emptied { "清空" } else { "去掉" },
                    show(&path)
                );
                let built = match build(&edited(&table, &path, emptied)) {
                    Outcome::Refused => continue,
                    Outcome::Failed(e) => {
                        found.push(format!("{what}：生成失败 {e}"));
                        continue;
                    }
                    Outcome::Built(b) => b,
                };
                for line in &built.lines {
                    if base.lines.contains(line) {
                        continue;
                    }
                    if let Some(s) = EMPTY_SLOTS.iter().find(|s| line.contains(**s)) {
                        found.push(format!("{what}：空位“{s}”：{line}"));
                    }
                    if let Some(c) = contradictions(line) {
                        found.push(format!("{what}：措辞与数不符（{c}）：{line}"));
                    }
                }
                for line in &built.dangling {
                    if !base.dangling.contains(line) {
                        found.push(format!("{what}：引语后没有内容：{line}"));
                    }
                }
                for h in &built.empty_sections {
                    if !base.empty_sections.contains(h) {
                        found.push(format!("{what}：空的一节：{h}"));
                    }
                }
                // A list emptied or a row left out (vehicles, 政府采购, 国有资产, a project) is unknown
                // too, except the 公开表's lines, whose blank is the form's 0.
                let is_row = matches!(path.last(), Some(Key::Index(_)));
                let is_rows = (is_list || is_row) && !is_table_cell(&path);
                if !(is_count || is_amount || is_rows) {
                    continue;
                }
                let zeros_of = |b: &Built| b.lines.iter().map(|l| zeros(l)).sum::<usize>();
                if zeros_of(&built) > zeros_of(&base) {
                    let new: Vec<&String> = built
                        .lines
                        .iter()
                        .filter(|l| !base.lines.contains(l) && zeros(l) > 0)
                        .collect();
                    found.push(format!("{what}：多出 0：{new:?}"));
                }
                // A row left out moves the rows after it up: their figures' ids name other rows.
                let comparable = |f: &&Figure| !(is_row && f.id.contains('['));
                for f in built
                    .figures
                    .iter()
                    .filter(|f| !is_table_figure(&f.id))
                    .filter(comparable)
                {
                    let Some(was) = base.figures.iter().find(|w| w.id == f.id) else {
                        continue;
                    };
                    let zero = zeros(&f.value) > 0
                        && f.value
                            .chars()
                            .filter(char::is_ascii_digit)
                            .all(|c| c == '0');
                    if zero && was.value != f.value {
                        found.push(format!(
                            "{what}：figures {} 由 {} 变为 {}",
                            f.id, was.value, f.value
                        ));
                    }
                    // An input the full input gave (it had a place) that is now not given: the
                    // figure rests on the fact just removed.
                    for (label, source) in &f.inputs {
                        let given_before =
                            was.inputs.iter().any(|(l, s)| l == label && s != "计算");
                        if source == "计算" && given_before {
                            found.push(format!("{what}：figures {} 的输入“{label}”没有填", f.id));
                        }
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{}\n共 {} 处",
        found.join("\n"),
        found.len()
    );
}

/// Printing an absent fact fails the build: a template (here a user's `--templates` override)
/// that prints the 团组数 of an input that left it out is a template error naming the field,
/// never an empty slot; the built-in template leaves the clause out instead.
#[test]
fn printing_an_absent_fact_fails_the_build() {
    let input = root().join("data/ebian-xinfang-2023.toml");
    let text = std::fs::read_to_string(&input).unwrap();
    let mut table: toml::Table = text.parse().unwrap();
    let overseas = table["three_public"]["overseas"].as_table().is_some();
    let t = &mut table["three_public"].as_table_mut().unwrap();
    if overseas {
        let o = t["overseas"].as_table_mut().unwrap();
        o.remove("groups");
        o.remove("people");
    }
    let checked = juesuan::check_text("x.toml", &toml::to_string(&table).unwrap());
    let bureau = checked.bureau.unwrap();
    let md = juesuan::render::build(
        &bureau,
        &[Format::Md],
        &common::bundled(),
        &mut Timings::default(),
    )
    .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
    .unwrap();
    assert!(
        !md.contains("团组次") && !md.contains("出国（境）人"),
        "{md}"
    );

    let dir = std::env::temp_dir().join(format!("juesuan-absent-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sichuan")).unwrap();
    std::fs::write(
        dir.join("sichuan/body.tera"),
        "团组{{ doc.three_public.overseas_groups }}次\n",
    )
    .unwrap();
    let options = juesuan::render::RenderOptions {
        templates: Some(dir.clone()),
        ..common::bundled()
    };
    let err = juesuan::render::build(&bureau, &[Format::Md], &options, &mut Timings::default())
        .map(|_| ())
        .unwrap_err();
    let err: String = err.iter().map(|d| d.to_string()).collect();
    assert!(err.contains("overseas_groups"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 20: `duties = []` (or none) prints no 职能 heading with an empty body and no
/// “主要职责是：” with nothing after it, in each form; the following sections move up.
#[test]
fn no_duties_leave_the_duties_section_out() {
    for (input, form, gone, first) in [
        (
            "data/ebian-xinfang-2023.toml",
            "sichuan",
            "职能简介",
            "（一）2023年重点工作任务介绍",
        ),
        (
            "data/putuo-caizheng-2024.toml",
            "shanghai",
            "主要职能",
            "一、部门决算单位构成",
        ),
        (
            "tests/fixtures/chongqing/ebian-as-chongqing.toml",
            "chongqing",
            "职能职责",
            "（一）机构设置",
        ),
    ] {
        let mut table: toml::Table = std::fs::read_to_string(root().join(input))
            .unwrap()
            .parse()
            .unwrap();
        let overview = table["overview"].as_table_mut().unwrap();
        overview.insert("duties".into(), toml::Value::Array(Vec::new()));
        let Outcome::Built(_) = build(&table) else {
            panic!("{input} builds without duties");
        };
        let checked = juesuan::check_text("x.toml", &toml::to_string(&table).unwrap());
        let md = juesuan::render::build(
            &checked.bureau.unwrap(),
            &[Format::Md],
            &common::bundled(),
            &mut Timings::default(),
        )
        .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
        .unwrap();
        assert!(!md.contains(gone), "{form}: {md}");
        assert!(!md.contains("主要职责是：\n"), "{form}: {md}");
        assert!(md.contains(first), "{form}: {md}");
    }
}

/// An amount left out leaves its section out when nothing else is left to say: without the
/// 机关运行经费 and any 政府采购 amount, each form drops both sections and numbers the next ones
/// first — no heading over nothing, no “0万元”.
#[test]
fn sections_of_absent_amounts_are_left_out_and_the_rest_renumbered() {
    for (input, gone, kept) in [
        (
            "data/ebian-xinfang-2023.toml",
            &["机关运行经费支出", "政府采购支出情况"][..],
            &["（一）国有资产占有使用情况", "（二）预算绩效管理情况"][..],
        ),
        (
            "tests/fixtures/chongqing/ebian-as-chongqing.toml",
            &["机关运行经费支出", "政府采购支出情况"][..],
            &["1.国有资产占有使用情况", "2.预算绩效管理情况"][..],
        ),
        (
            "data/putuo-caizheng-2024.toml",
            &["机关运行经费支出", "政府采购支出情况", "政府采购金额"][..],
            &["（一）国有资产占有使用情况说明"][..],
        ),
    ] {
        let mut table: toml::Table = std::fs::read_to_string(root().join(input))
            .unwrap()
            .parse()
            .unwrap();
        table.remove("procurement");
        table["running_costs"]
            .as_table_mut()
            .unwrap()
            .remove("actual");
        let checked = juesuan::check_text("x.toml", &toml::to_string(&table).unwrap());
        assert!(!checked.diagnostics.has_errors(), "{input}");
        let bureau = checked.bureau.unwrap();
        let md = juesuan::render::build(
            &bureau,
            &[Format::Md],
            &common::bundled(),
            &mut Timings::default(),
        )
        .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
        .unwrap();
        for g in gone {
            assert!(!md.contains(g), "{input}: {g}\n{md}");
        }
        for k in kept {
            assert!(md.contains(k), "{input}: {k}\n{md}");
        }
        let figures = compute(&bureau, &FixedGlossary::default(), &TableLayouts::builtin())
            .map(|f| f.ledger.0)
            .unwrap_or_default();
        assert!(
            figures
                .iter()
                .all(|r| !r.id.starts_with("running_costs") && !r.id.starts_with("procurement")),
            "{input}"
        );
    }
}

/// The input with no “三公” table at all (TOML sections removed).
fn without_three_public(table: &toml::Table) -> toml::Table {
    let mut t = table.clone();
    t.remove("three_public");
    t
}

fn markdown(bureau: &juesuan::model::Bureau) -> String {
    juesuan::render::build(
        bureau,
        &[Format::Md],
        &common::bundled(),
        &mut Timings::default(),
    )
    .map(|mut a| String::from_utf8(a.remove(0).bytes).unwrap())
    .unwrap()
}

/// Issue 19 point 4: an input with no “三公” fact at all prints no “三公” chapter of zeros
/// (“公务用车购置支出0万元…共有公务用车0辆”): each form leaves the chapter out and numbers the
/// later chapters first, one warning (R051) says so, and `figures` lists no “三公” figure. A
/// “三公” typed as 0 is a fact and still prints its 0 sentences.
#[test]
fn no_three_public_facts_leave_the_chapter_out() {
    for (input, gone, moved_up) in [
        (
            "data/ebian-xinfang-2023.toml",
            "财政拨款“三公”经费支出决算情况说明",
            "七、政府性基金预算支出决算情况说明",
        ),
        (
            "data/putuo-caizheng-2024.toml",
            "财政拨款“三公”经费支出决算情况说明",
            "七、政府性基金预算财政拨款收入支出决算情况说明",
        ),
        (
            "tests/fixtures/chongqing/ebian-as-chongqing.toml",
            "财政拨款“三公”经费支出决算情况说明",
            "（五）政府性基金预算支出决算情况说明",
        ),
    ] {
        let table: toml::Table = std::fs::read_to_string(root().join(input))
            .unwrap()
            .parse()
            .unwrap();
        let checked = juesuan::check_text(
            "x.toml",
            &toml::to_string(&without_three_public(&table)).unwrap(),
        );
        assert!(!checked.diagnostics.has_errors(), "{input}");
        let r051: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "R051")
            .collect();
        assert_eq!(r051.len(), 1, "{input}: {:#?}", checked.diagnostics);
        assert!(
            r051[0].hints.iter().any(|h| h.contains("[three_public")),
            "{input}: {:#?}",
            r051[0]
        );
        // No comparison with “三公” figures that were never given (R033).
        assert!(
            checked.diagnostics.iter().all(|d| d.code != "R033"),
            "{input}"
        );
        let bureau = checked.bureau.unwrap();
        let md = markdown(&bureau);
        assert!(!md.contains(gone), "{input}: {md}");
        assert!(!md.contains("公务用车购置支出"), "{input}: {md}");
        assert!(
            !md.contains("公务用车保有量") && !md.contains("共有公务用车"),
            "{input}"
        );
        assert!(md.contains(moved_up), "{input}: {moved_up}\n{md}");
        let figures = compute(&bureau, &FixedGlossary::default(), &TableLayouts::builtin())
            .map(|f| f.ledger.0)
            .unwrap_or_default();
        assert!(
            figures.iter().all(|r| !r.id.starts_with("three_public")),
            "{input}: {:?}",
            figures.iter().map(|r| &r.id).collect::<Vec<_>>()
        );
    }

    // The built-in facts under `extra` follow: no total of absent parts.
    let table: toml::Table = std::fs::read_to_string(root().join("data/ebian-xinfang-2023.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let checked = juesuan::check_text(
        "x.toml",
        &toml::to_string(&without_three_public(&table)).unwrap(),
    );
    let f = compute(
        &checked.bureau.unwrap(),
        &FixedGlossary::default(),
        &TableLayouts::builtin(),
    )
    .unwrap();
    let extra = serde_json::to_value(&f.doc.extra).unwrap();
    for name in ["three_public", "vehicle", "vehicle_purchase", "reception"] {
        let e = &extra[name];
        for part in ["value", "prior", "budget", "change", "completion"] {
            assert!(e.get(part).is_none(), "extra.{name}.{part}: {e}");
        }
    }

    // Typed as 0: the chapter and its zeros print, no R051.
    let text = std::fs::read_to_string(root().join("tests/fixtures/minimal.toml")).unwrap();
    let checked = juesuan::check_text("zero.toml", &text);
    assert!(checked.diagnostics.iter().all(|d| d.code != "R051"));
    let md = markdown(&checked.bureau.unwrap());
    assert!(
        md.contains("七、财政拨款“三公”经费支出决算情况说明"),
        "{md}"
    );
    assert!(md.contains("因公出国（境）经费支出0万元"), "{md}");
    assert!(md.contains("其中：公务用车购置支出0万元"), "{md}");
    assert!(md.contains("共有公务用车0辆"), "{md}");
}

/// R051 in a workbook points at the blank “三公经费” sheet and speaks of the sheet, not of TOML.
#[test]
fn no_three_public_in_a_workbook_is_named_at_its_sheet() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/rules/R051/fail.toml")).unwrap();
    let bytes = juesuan::workbook::from_toml("x.toml", &text).expect("convert");
    let checked = juesuan::check_loaded(juesuan::load::bytes("blank.xlsx", &bytes));
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == "R051")
        .unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
    match &d.location {
        Some(juesuan::diagnostic::Location::Cell { sheet, .. }) => assert_eq!(sheet, "三公经费"),
        other => panic!("{other:?}"),
    }
    assert!(d.hints.iter().any(|h| h.contains("“三公经费”表")), "{d:#?}");
    assert!(
        d.hints.iter().all(|h| !h.contains("[three_public")),
        "{d:#?}"
    );
}

/// A word chosen by a sign agrees with the figure beside it: a completion that rounds to 100%
/// beside 决算数大于预算数 prints the decimals that tell it from 100 (217.51 of 217.50 is
/// 100.005%), in each form; a 0% stands only beside nothing spent (arith's budget_zero).
#[test]
fn a_completion_agrees_with_its_relation_word() {
    assert!(
        contradictions("支出决算为1万元，完成预算100.0%，决算数大于预算数的主要原因是x。")
            .is_some()
    );
    assert!(
        contradictions("支出决算为1万元，完成年初预算的0%。决算数大于预算数的主要原因：x。")
            .is_some()
    );
    assert!(
        contradictions("支出决算为1万元，完成预算95.0%，决算数小于预算数的主要原因是x。").is_none()
    );
    for (input, form, from, to) in [
        (
            "data/ebian-xinfang-2023.toml",
            "sichuan",
            "budget = 217.51",
            "budget = 217.5\nreason = \"追加了信访事务经费\"",
        ),
        (
            "data/ebian-xinfang-2023.toml",
            "chongqing",
            "budget = 217.51",
            "budget = 217.5\nreason = \"追加了信访事务经费\"",
        ),
        (
            "data/putuo-caizheng-2024.toml",
            "shanghai",
            "initial_budget = 1560.05",
            "initial_budget = 1511.88\nreason = \"追加了信访事务经费\"",
        ),
    ] {
        let text = std::fs::read_to_string(root().join(input))
            .unwrap()
            .replace(from, to)
            // Putuo's 预算数合计 follows its 行政运行 line.
            .replace("declared_budget = 2993.92", "declared_budget = 2945.76")
            .replace("reason = \"人员进出及退休变化，减少人员经费开支\"", "");
        let mut table: toml::Table = text.parse().unwrap();
        table["bureau"]
            .as_table_mut()
            .unwrap()
            .insert("form".into(), toml::Value::String(form.into()));
        let Outcome::Built(built) = build(&table) else {
            panic!("{input} as {form} builds");
        };
        let line = built
            .lines
            .iter()
            .find(|l| l.contains("追加了信访事务经费"))
            .unwrap_or_else(|| panic!("{form}: {:#?}", built.lines));
        // (上海's item sentence prints no completion unless the bureau asks for it.)
        assert!(
            !line.contains("完成") || line.contains("100.005%") || line.contains("100.001%"),
            "{form}: {line}"
        );
        assert!(contradictions(line).is_none(), "{form}: {line}");
    }
}
