//! 附表版式是数据：上海 9 张表（无表号、无行次、表下注、无数据的说明、固定科目、零值留空、千分位），
//! 以及版式写错时的 F003。

mod common;

use common::{bundled, root, table};

use std::path::{Path, PathBuf};

use juesuan::render::{self, Format, RenderOptions, Timings};

fn markdown(input: &Path, options: &RenderOptions) -> Result<String, String> {
    common::build(input, Format::Md, options).map(|b| String::from_utf8(b).unwrap())
}

/// A copy of `file` with `edit` applied, in a directory of its own.
fn edited(name: &str, file: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-tables-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = edit(std::fs::read_to_string(root().join(file)).unwrap());
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn putuo() -> String {
    markdown(&root().join("data/putuo-caizheng-2024.toml"), &bundled()).unwrap()
}

#[test]
fn shanghai_prints_nine_unnumbered_tables_in_the_template_order() {
    let md = putuo();
    let list: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("## 第二部分"))
        .skip(1)
        .filter(|l| l.ends_with("决算表") || l.ends_with("决算总表"))
        .take(9)
        .collect();
    assert_eq!(
        list,
        [
            "一、收入支出决算总表",
            "二、收入决算表",
            "三、支出决算表",
            "四、财政拨款收入支出决算总表",
            "五、一般公共预算财政拨款支出决算表",
            "六、一般公共预算财政拨款基本支出决算表",
            "七、财政拨款“三公”经费支出决算表",
            "八、政府性基金预算财政拨款收入支出决算表",
            "九、国有资本经营预算财政拨款收入支出决算表",
        ]
    );
    assert!(!md.contains("公开0"), "no 表号");
    assert!(!md.contains("行次"), "no 行次");
    assert!(!md.contains("部门：上海"), "no 部门 line");
    assert_eq!(md.matches("\n单位：万元\n").count(), 9);
    for note in [
        "注：本表反映部门本年度的总收支和年末结转结余情况。",
        "注：本表反映部门本年度取得的各项收入情况。",
        "注：本表反映部门本年度各项支出情况。",
        "注：本表反映部门本年度财政拨款总收支和结转结余情况。",
        "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
        "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
        "注：本表反映部门本年度“三公”经费支出预决算情况。",
        "注：本表反映部门本年度政府性基金预算财政拨款收入支出及结转和结余情况。",
        "注：本表反映部门本年度国有资本经营预算财政拨款收入支出及结转和结余情况。",
    ] {
        assert_eq!(md.matches(note).count(), 1, "{note}");
    }
}

#[test]
fn shanghai_summary_tables_have_the_template_header_and_26_class_rows() {
    let md = putuo();
    let t = table(&md, "收入支出决算总表");
    assert!(
        t.contains("| 收入·项目 | 收入·决算数 | 支出·项目 | 支出·决算数 |"),
        "{t}"
    );
    // Amounts with separators, blank for 0; the class rows of the 2024 software.
    assert!(
        t.contains("| 一、一般公共预算财政拨款收入 | 2,940.05 | 一、一般公共服务支出 | 2,106.66 |"),
        "{t}"
    );
    assert!(
        t.contains("| 二、政府性基金预算财政拨款收入 |  | 二、外交支出 |  |"),
        "{t}"
    );
    assert!(t.contains("| 二十六、抗疫特别国债安排的支出 |  |"), "{t}");
    assert!(
        t.contains("| **总计** | **2,995.39** | **总计** | **2,995.39** |"),
        "{t}"
    );
    let t = table(&md, "财政拨款收入支出决算总表");
    assert!(
        t.contains(
            "| 收入·项目 | 收入·决算数 | 支出·项目 | 支出·合计 | 支出·一般公共预算财政拨款 | 支出·政府性基金预算财政拨款 | 支出·国有资本经营预算财政拨款 |"
        ),
        "{t}"
    );
    // 总计 per fund: the fund's income and opening balance, as Putuo prints it.
    assert!(
        t.contains("| **总计** | **2,961.68** | **总计** | **2,961.68** | **2,961.68** |  |  |"),
        "{t}"
    );
}

#[test]
fn shanghai_function_tables_put_the_total_where_the_template_does() {
    let md = putuo();
    let t = table(&md, "收入决算表");
    let rows: Vec<&str> = t.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(rows[0].contains("功能分类科目编码"), "{t}");
    // The 合计 row prints the totals the 说明 prints: the source's own 2,946.25 and 2,940.05
    // (declared within the 尾差 of the items' 2,946.26 and 2,940.06).
    assert!(
        rows[1].starts_with("| **合计** |  | **2,946.25** | **2,940.05** |"),
        "{t}"
    );
    let t = table(&md, "一般公共预算财政拨款支出决算表");
    let rows: Vec<&str> = t.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(
        rows.last()
            .unwrap()
            .starts_with("| **合计** |  | **2,940.05** |"),
        "合计 last: {t}"
    );
    assert!(rows[1].starts_with("| 201 | 一般公共服务支出 |"), "{t}");
    // 基本支出 = the declared 人员经费 2,152.26 + 公用经费 184.65, as the text and 支出决算表 print.
    assert!(
        rows.last()
            .unwrap()
            .starts_with("| **合计** |  | **2,940.05** | **2,336.91** |"),
        "{t}"
    );
}

#[test]
fn shanghai_basic_table_lists_the_template_codes_whatever_their_amounts() {
    let md = putuo();
    let t = table(&md, "一般公共预算财政拨款基本支出决算表");
    let rows: Vec<&str> = t.lines().filter(|l| l.starts_with("| ")).collect();
    // Header, 38 rows (the longer panel), the totals.
    assert_eq!(rows.len(), 1 + 38 + 1, "{t}");
    assert!(t.contains("| 30103 | 奖金 |  | 30203 | 咨询费 |  |"), "{t}");
    assert!(t.contains("|  |  |  | 31099 | 其他资本性支出 |  |"), "{t}");
    assert!(
        t.contains("| **人员经费合计** |  | **2,152.26** | **公用经费合计** |  | **184.65** |"),
        "{t}"
    );
    // As the 说明 states them (the declared totals; the lines add up to 2,152.27 and 184.67).
    assert!(
        md.contains("一般公共预算财政拨款基本支出2336.91万元。其中：人员经费2152.26万元，")
            && md.contains("；公用经费184.65万元，"),
        "{md}"
    );
}

#[test]
fn shanghai_three_public_table_keeps_its_row_with_blanks() {
    let md = putuo();
    let t = table(&md, "财政拨款“三公”经费支出决算表");
    assert!(
        t.contains("| 0.95 |  |  |  |  |  |  |  |  |  | 0.95 |  |"),
        "budget and actual interleaved per category: {t}"
    );
    assert!(!t.contains("空表"), "{t}");
}

#[test]
fn shanghai_fund_tables_without_amounts_keep_their_format_and_say_so() {
    let md = putuo();
    for fund in ["政府性基金", "国有资本经营"] {
        let t = table(&md, &format!("{fund}预算财政拨款收入支出决算表"));
        assert!(t.contains("| **合计** |  |  |  |"), "{t}");
        assert_eq!(t.matches("\n|  |  |  |  |  |  |  |  |").count(), 3, "{t}");
        assert!(
            t.contains(&format!(
                "说明：上海市普陀区财政局本年度没有{fund}预算财政拨款收入和支出，故本表无数据。"
            )),
            "{t}"
        );
    }
}

/// The rich Sichuan example printed with the Shanghai tables: a fund with amounts prints its
/// rows and no 说明; a code the template does not list is added after its panel's codes.
#[test]
fn shanghai_tables_print_any_bureaus_facts() {
    let input = edited("rich", "tests/fixtures/tables/rich.toml", |t| {
        t.replace(
            "form = \"sichuan\"",
            "form = \"sichuan\"\ntables = \"shanghai\"",
        )
        .replace(
            "{ code = \"30299\", basic = 1.95 }",
            "{ code = \"30299\", basic = 0.95 }, { code = \"30701\", basic = 1 }",
        )
    });
    let md = markdown(&input, &bundled()).unwrap();
    let t = table(&md, "政府性基金预算财政拨款收入支出决算表");
    assert!(!t.contains("说明："), "{t}");
    assert!(t.contains("| **合计** |  |"), "{t}");
    assert!(
        !t.contains("|  |  |  |  |  |  |  |  |"),
        "no blank rows: {t}"
    );
    let t = table(&md, "国有资本经营预算财政拨款收入支出决算表");
    assert!(t.contains("故本表无数据。"), "{t}");
    let t = table(&md, "一般公共预算财政拨款基本支出决算表");
    let rows: Vec<&str> = t.lines().filter(|l| l.starts_with("| ")).collect();
    let n = rows.len();
    assert!(
        rows[n - 3].contains("| 307 | 债务利息及费用支出 | 1.00 |")
            && rows[n - 2].contains("| 30701 | 国内债务付息 | 1.00 |"),
        "appended after 31099: {t}"
    );
    // The Sichuan form keeps its own number style: no separators, 0.00 in totals.
    assert!(t.contains("**公用经费合计** |  | **33.35** |"), "{t}");
    let _ = std::fs::remove_dir_all(input.parent().unwrap());
}

fn with_layout(name: &str, edit: impl Fn(String) -> String) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("juesuan-layout-{name}-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tables")).unwrap();
    let layout = juesuan::render::templates::BUILTIN
        .iter()
        .find(|(n, _)| *n == "tables/tables.toml")
        .unwrap()
        .1;
    std::fs::write(dir.join("tables/tables.toml"), edit(layout.to_string())).unwrap();
    let options = RenderOptions {
        templates: Some(dir.clone()),
        ..bundled()
    };
    let out = markdown(&root().join("data/putuo-caizheng-2024.toml"), &options);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

#[test]
fn layout_mistakes_in_the_new_keys_are_template_errors() {
    let err = with_layout("blank", |l| {
        l.replacen("blank_rows = 3", "blank_rows = 100000", 1)
    })
    .unwrap_err();
    assert!(err.contains("F003") && err.contains("100000"), "{err}");
    let err = with_layout("panels", |l| {
        l.replace(
            "panel_totals = [\"人员经费合计\", \"公用经费合计\"]\nsubject = \"一般公共预算财政拨款基本支出\"\nnote",
            "subject = \"一般公共预算财政拨款基本支出\"\nnote",
        )
    })
    .unwrap_err();
    assert!(
        err.contains("F003") && err.contains("panel_totals"),
        "{err}"
    );
    let err = with_layout("span", |l| {
        l.replacen(
            "{ text = \"收入\", colspan = 2 }",
            "{ text = \"收入\", colspan = 0 }",
            1,
        )
    })
    .unwrap_err();
    assert!(err.contains("F003") && err.contains("跨 0 列"), "{err}");
    // A user's layout may change the notes and the caption with no Rust change.
    let md = with_layout("caption", |l| {
        l.replace(
            "caption = { right = \"单位：万元\" }",
            "caption = { left = \"编制单位：{unit}\", right = \"单位：万元\" }",
        )
        .replace(
            "注：本表反映部门本年度各项支出情况。",
            "注：{unit}{year}年度各项支出。",
        )
    })
    .unwrap();
    assert!(
        md.contains("编制单位：上海市普陀区财政局　　单位：万元"),
        "{md}"
    );
    assert!(
        md.contains("注：上海市普陀区财政局2024年度各项支出。"),
        "{md}"
    );
}

/// Every amount a 附表 prints is in the ledger (`juesuan figures`) with the value printed and
/// the facts it adds up, each with its place in the input.
#[test]
fn every_printed_table_amount_is_in_the_ledger_with_its_facts() {
    let input = root().join("data/putuo-caizheng-2024.toml");
    let checked = juesuan::check_file(&input);
    let bureau = checked.bureau.unwrap();
    let (_, f) = render::prepare(&bureau, &bundled()).unwrap();
    let mut printed = 0;
    for t in &f.doc.tables {
        for cell in t.rows.iter().flat_map(|r| &r.cells) {
            if cell.amount.is_none() || cell.text.is_empty() {
                continue;
            }
            printed += 1;
            let id = format!("tables.{}.{}", t.id, cell.id);
            let record = f
                .ledger
                .0
                .iter()
                .find(|r| r.id == id)
                .unwrap_or_else(|| panic!("{id} ({}) not in the ledger", cell.text));
            assert_eq!(record.value, cell.text, "{id}");
            assert!(!record.inputs.is_empty(), "{id}");
        }
    }
    assert!(printed > 150, "{printed}");
    let record = |id: &str| f.ledger.0.iter().find(|r| r.id == id).unwrap();
    // 2010602 一般行政管理事务: 10.00 of 财政拨款 and 6.19 of 其他收入, each where it is typed.
    let r = record("tables.sh_income.2010602.income_total");
    assert_eq!(r.value, "16.19");
    assert_eq!(r.inputs.len(), 2, "{r:#?}");
    assert!(
        r.inputs
            .iter()
            .all(|i| i.source.contains("putuo-caizheng-2024.toml:")),
        "{r:#?}"
    );
    let r = record("tables.sh_general_budget_basic.30102");
    assert_eq!(r.value, "1,238.58");
    assert_eq!(r.inputs[0].label, "30102 津贴补贴");
    let r = record("tables.sh_three_public.budget.reception");
    assert_eq!(r.value, "0.95");
    assert!(r.inputs[0].source.contains(".toml:"), "{r:#?}");
    let r = record("tables.sh_income_spending.income.general_budget");
    assert_eq!(r.value, "2,940.05");
}

/// A folder may add a table set of its own, and a form of its own may print it: no Rust change.
#[test]
fn a_templates_folder_adds_a_table_set_its_own_form_prints() {
    let dir = std::env::temp_dir().join(format!("juesuan-tables-set-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("custom")).unwrap();
    std::fs::create_dir_all(dir.join("tables")).unwrap();
    let fixture = root().join("tests/fixtures/forms/custom");
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("tables = \"sichuan\"", "tables = \"mine\"");
        std::fs::write(dir.join("custom").join(path.file_name().unwrap()), text).unwrap();
    }
    let layout = juesuan::render::templates::BUILTIN
        .iter()
        .find(|(n, _)| *n == "tables/tables.toml")
        .unwrap()
        .1;
    let layout = format!(
        "{layout}\n[[set]]\nid = \"mine\"\nname = \"本局两张\"\ncaption = {{ right = \"单位：万元\" }}\n\
         tables = [{{ id = \"income_spending\", number = \"表一\" }}, {{ id = \"three_public\", number = \"表二\" }}]\n"
    );
    std::fs::write(dir.join("tables/tables.toml"), layout).unwrap();
    let input = edited("set", "data/ebian-xinfang-2023.toml", |t| {
        t.replacen("form = \"sichuan\"", "form = \"custom\"", 1)
    });
    let forms = juesuan::render::templates::TemplateSet::load(Some(&dir))
        .unwrap()
        .forms()
        .unwrap();
    let options = RenderOptions {
        templates: Some(dir.clone()),
        ..bundled()
    };
    let md_of = |input: &Path| {
        let checked = juesuan::check_file_with(input, &forms);
        assert!(
            !checked.diagnostics.has_errors(),
            "{:#?}",
            checked.diagnostics
        );
        let bureau = checked.bureau.unwrap();
        let out = render::build(&bureau, &[Format::Md], &options, &mut Timings::default());
        String::from_utf8(out.unwrap().remove(0).bytes).unwrap()
    };
    let md = md_of(&input);
    assert!(md.contains("**表一　收入支出决算总表**"), "{md}");
    assert!(
        md.contains("**表二　财政拨款“三公”经费支出决算表**"),
        "{md}"
    );
    assert!(!md.contains("公开0"), "{md}");
    // A bureau may name the folder's set too; a set nobody declares is refused.
    let named = edited("set-named", "data/ebian-xinfang-2023.toml", |t| {
        t.replacen(
            "form = \"sichuan\"",
            "form = \"sichuan\"\ntables = \"mine\"",
            1,
        )
    });
    assert!(md_of(&named).contains("**表一　收入支出决算总表**"));
    let unknown = edited("set-unknown", "data/ebian-xinfang-2023.toml", |t| {
        t.replacen(
            "form = \"sichuan\"",
            "form = \"sichuan\"\ntables = \"yours\"",
            1,
        )
    });
    let checked = juesuan::check_file_with(&unknown, &forms);
    let d = checked.diagnostics.iter().next().unwrap().to_string();
    assert!(d.contains("E005") && d.contains("`yours`"), "{d}");
    assert!(d.contains("mine"), "the hint lists the folder's sets: {d}");
    // A form naming a set no layout defines is refused when the forms are read.
    let manifest = dir.join("custom/form.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("tables = \"mine\"", "tables = \"ghost\""),
    )
    .unwrap();
    let err = juesuan::render::templates::TemplateSet::load(Some(&dir))
        .unwrap()
        .forms()
        .unwrap_err();
    let err = err.iter().next().unwrap().to_string();
    assert!(
        err.contains("F003") && err.contains("custom/form.toml") && err.contains("`ghost`"),
        "{err}"
    );
    for p in [&input, &named, &unknown] {
        let _ = std::fs::remove_dir_all(p.parent().unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The rules ask the layouts of the run, not the built-in ones (issue 24): a copy of the
/// Sichuan set under another name in a `--templates` folder prints 项目支出 by 经济分类, so a
/// 项目支出 without that breakdown is R008 there as under `sichuan` (before, the rules looked
/// the copy up in the built-in layouts, found nothing, and the package printed an empty 09 表).
#[test]
fn rules_ask_the_table_layouts_of_the_templates_folder() {
    let dir = std::env::temp_dir().join(format!("juesuan-tables-copy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tables")).unwrap();
    let layout = juesuan::render::templates::BUILTIN
        .iter()
        .find(|(n, _)| *n == "tables/tables.toml")
        .unwrap()
        .1;
    let start = layout.find("[[set]]\nid = \"sichuan\"").unwrap();
    let end = start + layout[start..].find("\n\n").unwrap();
    let copy = layout[start..end].replace("id = \"sichuan\"", "id = \"sichuan_copy\"");
    std::fs::write(
        dir.join("tables/tables.toml"),
        format!("{layout}\n{copy}\n"),
    )
    .unwrap();
    let forms = juesuan::render::templates::TemplateSet::load(Some(&dir))
        .unwrap()
        .forms()
        .unwrap();
    let r008 = |tables: &str| {
        let input = edited(
            &format!("copy-{tables}"),
            "data/ebian-xinfang-2023.toml",
            |t| {
                t.replacen(
                    "form = \"sichuan\"",
                    &format!("form = \"sichuan\"\ntables = \"{tables}\""),
                    1,
                )
                .replacen("basic = 217.51 ", "basic = 217.51\nproject = 20 ", 1)
            },
        );
        juesuan::check_file_with(&input, &forms)
            .diagnostics
            .iter()
            .filter(|d| d.code == "R008")
            .count()
    };
    assert_eq!(r008("sichuan"), 1);
    assert_eq!(r008("sichuan_copy"), 1);
}
