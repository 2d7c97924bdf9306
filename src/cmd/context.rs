//! `juesuan context`：打印模板收到的全部数据（JSON），以及由名称说明生成的参考文档 docs/context.md。
//!
//! The context is what [`crate::render::TemplateContext`] serialises, as the tera values the
//! templates read. The reference lists every name a template can use: its meaning comes from
//! `src/render/context.toml`, its type and example from the contexts of the data/ examples.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::report;
use crate::render::TemplateContext;

/// The descriptions of the context's names, one `[[name]]` each.
pub const DESCRIPTIONS: &str = include_str!("../render/context.toml");

/// The top-level key under which a form's own facts and figures reach the templates; they are
/// described by the form's manifest, not here.
pub const FORM_OWN: &str = "extra";

/// Prints the context of an input as JSON; with `form`, as if the input chose that 说明 form.
pub fn run(file: &Path, form: Option<&str>, templates: Option<&Path>) -> i32 {
    let session = match super::check::session(templates) {
        Ok(s) => s,
        Err(e) => return super::check::unusable(&e, file),
    };
    if let Some(form) = form.filter(|f| session.forms().get(f).is_none()) {
        eprint!(
            "{}",
            report::plain(
                crate::diagnostic::codes::VALUE,
                format!("--form：未知的表式 `{form}`"),
                &format!(
                    "{}模板目录中的表式要同时给出 --templates 目录。",
                    session.forms().hint().replace("填写", "写")
                ),
            )
        );
        return 1;
    }
    let mut loaded = crate::load::input(file);
    if let (Some(form), Some(raw)) = (form, loaded.raw.as_mut()) {
        raw.bureau
            .set_text("bureau.form", toml::Spanned::new(0..0, form.to_string()));
    }
    let checked = session.check_loaded(loaded);
    let d = &checked.diagnostics;
    let Some(bureau) = checked.bureau.as_ref().filter(|_| !d.has_errors()) else {
        eprint!("{}", report::human(d, &checked.source));
        eprintln!("{}：{}，模板数据无从得出", file.display(), d.summary());
        return 1;
    };
    let figures = match session.figures(bureau) {
        Ok(f) => f,
        Err(e) => {
            eprint!("{}", report::human(&e, &checked.source));
            return 1;
        }
    };
    let json = TemplateContext::new(&figures.doc).to_json();
    println!(
        "{}",
        serde_json::to_string_pretty(&json).unwrap_or_default()
    );
    0
}

/// One described name.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// The name as a template writes it, a list's items as `[]`: `doc.performance.sheets[].name`.
    /// A `*` stands for any one key of a map whose keys are data (`doc.changes.*`).
    pub path: String,
    /// What it is, in the domain's words.
    pub meaning: String,
}

#[derive(Deserialize)]
struct DescriptionFile {
    name: Vec<Description>,
}

/// The descriptions of `src/render/context.toml`.
pub fn descriptions() -> Vec<Description> {
    toml::from_str::<DescriptionFile>(DESCRIPTIONS)
        .expect("src/render/context.toml reads")
        .name
}

/// Every name of a context with the values it takes there, in the order first met: objects by
/// key, lists as `[]` over all their items. `extra` (the form's own) is left out.
pub fn names(context: &Value) -> Vec<(String, Vec<&Value>)> {
    fn walk<'v>(path: String, v: &'v Value, out: &mut Vec<(String, Vec<&'v Value>)>) {
        match out.iter_mut().find(|(p, _)| *p == path) {
            Some((_, values)) => values.push(v),
            None => out.push((path.clone(), vec![v])),
        }
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    walk(format!("{path}.{k}"), x, out);
                }
            }
            Value::Array(items) => {
                for x in items {
                    walk(format!("{path}[]"), x, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Value::Object(map) = context {
        for (k, v) in map {
            if k != FORM_OWN {
                walk(k.clone(), v, &mut out);
            }
        }
    }
    out
}

/// Whether a described path names `path`: `*` stands for any one key, a leading `**.` for any
/// start (a structure that recurs, as `**.change.verb`).
fn matches(pattern: &str, path: &str) -> bool {
    let split = |s: &str| -> Vec<String> {
        s.replace("[]", ".[]")
            .split('.')
            .map(str::to_string)
            .collect()
    };
    let (anywhere, pattern) = match pattern.strip_prefix("**.") {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let (p, mut n) = (split(pattern), split(path));
    if anywhere && n.len() > p.len() {
        n.drain(..n.len() - p.len());
    }
    p.len() == n.len() && p.iter().zip(&n).all(|(a, b)| a == "*" || a == b)
}

/// The description of a name, if any.
pub fn describe<'d>(descriptions: &'d [Description], path: &str) -> Option<&'d Description> {
    descriptions
        .iter()
        .find(|d| d.path == path)
        .or_else(|| descriptions.iter().find(|d| matches(&d.path, path)))
}

/// The names of the contexts that no description covers.
pub fn undescribed(descriptions: &[Description], contexts: &[Value]) -> Vec<String> {
    let mut missing = Vec::new();
    for c in contexts {
        for (path, _) in names(c) {
            if describe(descriptions, &path).is_none() && !missing.contains(&path) {
                missing.push(path);
            }
        }
    }
    missing
}

/// The kind of a value, in the reference's words.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "空",
        Value::Bool(_) => "真假",
        Value::Number(_) => "数",
        Value::String(_) => "文字",
        Value::Array(_) => "列表",
        Value::Object(_) => "表",
    }
}

/// The first value that shows something: a non-empty scalar, shortened.
fn example(values: &[&Value]) -> String {
    let shown = values.iter().find_map(|v| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    });
    let Some(text) = shown else {
        return String::new();
    };
    let one_line: String = text.replace(['\n', '\r'], " ").replace('|', "\\|");
    let mut short: String = one_line.chars().take(40).collect();
    if short.chars().count() < one_line.chars().count() {
        short.push('…');
    }
    format!("`{}`", short.replace('`', "'"))
}

/// docs/context.md: every name of the example contexts (`(label, context)`, the first one the
/// source of the examples) with its meaning, kinds and an example.
pub fn reference(descriptions: &[Description], examples: &[(String, Value)]) -> String {
    // Names in the order of the first example, then those only the others have.
    let mut all: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (_, c) in examples {
        for (path, values) in names(c) {
            if !all.contains_key(&path) {
                order.push(path.clone());
            }
            all.entry(path).or_default().extend(values);
        }
    }
    let first = examples.first().map_or("", |(l, _)| l.as_str());
    let mut out = String::new();
    out.push_str(&format!(
        "# 模板可用的名称\n\n\
<!-- 本文件由程序生成，请勿手改：名称的含义写在 src/render/context.toml，类型与示例取自 data/ 的示例输入。\n\
     改动后运行 `UPDATE_CONTEXT_DOC=1 cargo test --release --test context` 重新生成。 -->\n\n\
模板（`shuoming.typ`、`shuoming.md`、`body.tera` 及 `common/`、`performance/` 中的文件）收到的全部数据。\n\
用 `juesuan context 本单位.toml`（可加 `--form 表式`、`--templates 目录`）打印某个输入的这些数据（JSON）。\n\n\
- 名称按模板中的写法：`doc.year`；列表中的每一项写作 `[]`，模板中用 `{{% for s in doc.performance.sheets %}}{{{{ s.name }}}}{{% endfor %}}`。\n\
- `*` 代表键由数据决定的任一项（如 `doc.changes.*`）。\n\
- 模板从不计算：金额、百分比、增减都已按表式的数字写法写成文字；要一个新的数，在程序（figures/）或表式清单中声明，而不是在模板中算。\n\
- 表式自己声明的事实与计算数放在顶层的 `{FORM_OWN}` 之下，由该表式的 form.toml 说明，本文不列。\n\
- `build --attachment N` 时另有 `alone`：单独生成的那一张绩效自评表，结构同 `doc.performance.sheets[]`。\n\
- 类型：文字、数、真假、列表、表（有名称的各项）。示例取自 {first}（该例没有的取自其他示例）。\n\
- 输入没有的事实不在数据中（不是空文字，也不是 0）：模板用 `{{% if x %}}` 或 `x is defined` 判断，直接印出会使生成失败并指出该名称。\
示例中都没有的名称标为“可缺”，列在表末。\n\n\
| 名称 | 含义 | 类型 | 示例 |\n|---|---|---|---|\n"
    ));
    // Names the descriptions give that no example has (facts every example happens to have
    // left out): a template author still needs them.
    let unseen: Vec<&Description> = descriptions
        .iter()
        .filter(|d| !d.path.contains('*') && !all.contains_key(&d.path))
        .collect();
    for path in &order {
        let values = &all[path];
        let meaning =
            describe(descriptions, path).map_or("（未说明）", |d| d.meaning.as_str());
        let mut kinds: Vec<&str> = Vec::new();
        for v in values {
            let k = kind(v);
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        out.push_str(&format!(
            "| `{path}` | {} | {} | {} |\n",
            meaning.replace('|', "\\|"),
            kinds.join("、"),
            example(values)
        ));
    }
    for d in unseen {
        out.push_str(&format!(
            "| `{}` | {} | 可缺 |  |\n",
            d.path,
            d.meaning.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_stands_for_one_key() {
        assert!(matches("doc.changes.*", "doc.changes.income_total"));
        assert!(matches("doc.changes.*.change", "doc.changes.x.change"));
        assert!(!matches("doc.changes.*", "doc.changes.x.change"));
        assert!(matches("doc.tables[].rows[]", "doc.tables[].rows[]"));
        assert!(!matches("doc.tables[]", "doc.tables"));
        assert!(matches("**.change.verb", "doc.totals.change.verb"));
        assert!(matches("**.change.verb", "doc.x[].y.change.verb"));
        assert!(!matches("**.change.verb", "doc.totals.change"));
    }

    #[test]
    fn the_descriptions_read_and_name_each_path_once() {
        let d = descriptions();
        let mut paths: Vec<&str> = d.iter().map(|x| x.path.as_str()).collect();
        let n = paths.len();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), n, "a path is described twice");
    }

    #[test]
    fn names_skip_the_forms_own_and_mark_lists() {
        let v: Value =
            serde_json::json!({"doc": {"a": [{"b": 1}, {"b": 2, "c": null}]}, "extra": {"x": 1}});
        let n: Vec<String> = names(&v).into_iter().map(|(p, _)| p).collect();
        assert_eq!(n, ["doc", "doc.a", "doc.a[]", "doc.a[].b", "doc.a[].c"]);
    }
}
