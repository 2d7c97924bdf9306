//! 表式（form）：一个省份、一个年度的部门决算公开格式，是模板目录中的一个文件夹。
//!
//! A form is everything that varies between two packages built from the same facts: its
//! templates (the parts, chapters and sentences, in `templates/<key>/`), its table set, its number
//! style, its policies (prior = 0, budget = 0, zero lines) and the words chosen by sign (增加/减少,
//! 大于/小于). The manifest `templates/<key>/form.toml` declares the data; Rust decides kinds and
//! numbers, the form's data and templates choose the words.
//!
//! Built-in forms are embedded in the binary; a folder given with `--templates` may replace their
//! files and add forms of its own (a folder with a `form.toml` of a new key), without a new binary.
//! This module depends on nothing else of the crate, so the model, the arithmetic and the scoring
//! can all use it.

pub mod facts;
pub mod layouts;
pub mod number;
pub mod performance;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

pub use number::{
    BudgetZeroPolicy, MoneyText, NumberStyle, PriorZeroPolicy, WholePercent, ZeroCells,
};
pub use performance::{ExecutionPolicy, PerformanceForm, PerformanceSpec, Scoring};

/// The 附表 set printed after the 说明: the id of a `[[set]]` in the table layouts
/// (`templates/tables/tables.toml`, or a `--templates` folder's). Built in: `sichuan` (四川省
/// 13 张), `central` (财政部 9 张), `shanghai` (上海市 9 张); a folder may add its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TableSet(String);

impl TableSet {
    pub fn new(key: impl Into<String>) -> TableSet {
        TableSet(key.into())
    }

    pub fn key(&self) -> &str {
        &self.0
    }
}

/// A 说明 form, as its manifest `form.toml` declares it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// The value of `[bureau] form` that chooses it, and its folder under `templates/`.
    pub key: String,
    /// Its name in Chinese (the workbook's drop-down label), e.g. 四川省格式.
    pub name: String,
    /// Where its sentences come from (a real document, an official template).
    #[serde(default)]
    pub source: String,
    /// The 附表 set it prints unless `[bureau] tables` chooses another.
    pub tables: TableSet,
    /// The parts of the document in order, with their titles (the form's templates place them;
    /// `{year}` in a title is the 决算 year, `{name}` the bureau's name).
    #[serde(default)]
    pub parts: Vec<Part>,
    /// A part's heading: `{number}` is its place among the parts printed (一、二、三…), `{title}`
    /// its title.
    #[serde(default = "default_part_heading")]
    pub part_heading: String,
    #[serde(default)]
    pub number: NumberStyle,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub words: Words,
    /// The vehicle categories the 国有资产 section prints, in order, each with its count (0 when
    /// none is given); a category not in the list is a finding. Empty: the kinds as given.
    #[serde(default)]
    pub vehicle_kinds: Vec<String>,
    /// The facts the form prints that the built-in model does not have, in its own namespace
    /// (`[extra]` in the input; see [`facts`]).
    #[serde(default)]
    pub facts: Vec<facts::FactDecl>,
    /// The figures the form computes from facts by name (see [`facts`]).
    #[serde(default)]
    pub figures: Vec<facts::FigureDecl>,
    /// The name of the workbook sheet that carries the form's facts.
    #[serde(default = "default_facts_sheet")]
    pub facts_sheet: String,
}

fn default_facts_sheet() -> String {
    "表式事实".to_string()
}

fn default_part_heading() -> String {
    "{title}".to_string()
}

/// One part of the document (第一部分 部门概况 …).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// What the part holds: overview, explanation, glossary, attachments, tables, or a key of the
    /// form's own that its templates know.
    pub key: String,
    pub title: String,
}

/// 一、二 … 九十九: the Chinese numeral of a part's or chapter's place.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "〇".to_string(),
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// What a form prints in the cases the facts alone do not decide.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// A change against a prior of 0: no rate (`no_rate`) or `增长100%` (`hundred`). A bureau
    /// may override it with `[bureau] prior_zero`.
    #[serde(default)]
    pub prior_zero: PriorZeroPolicy,
    /// A completion against a budget of 0: no rate (`no_rate`) or `0%` (`zero`).
    #[serde(default)]
    pub budget_zero: BudgetZeroPolicy,
    /// Lines of 0 left out of the income and spending structures (“不涉及的不列”).
    #[serde(default)]
    pub omit_zero_lines: bool,
    /// The income structure states the three 财政拨款 sources as one line, 财政拨款收入.
    #[serde(default)]
    pub merge_appropriation_income: bool,
    /// The 名词解释 lists only the form's fixed terms, not the 科目 the bureau used (上海).
    #[serde(default)]
    pub omit_subject_glossary: bool,
    /// Which reasons the “三公” paragraphs need (R015): one for the whole or one per category.
    #[serde(default)]
    pub three_public_reasons: ThreePublicReasons,
    /// The budget a 项's (and the 一般公共预算's) completion is against: `adjusted` (调整后预算,
    /// the item's `budget`) or `initial` (年初预算, its `initial_budget`).
    #[serde(default)]
    pub completion_base: CompletionBase,
    /// What each 项's sentence says of its budget (上海: “年初预算为X万元，支出决算为Y万元” or
    /// with “，完成年初预算的Z%” — both printed by real departments).
    #[serde(default)]
    pub item_sentence: ItemSentence,
}

/// The 项 sentence of the 一般公共预算 details: the budget and the 决算 only (缺省), or also the
/// completion (“完成年初预算的94.55%”), as several 上海 departments print it.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ItemSentence {
    #[default]
    Budget,
    Completion,
}

/// 完成预算的口径：调整后预算（缺省）或年初预算（上海“完成年初预算的X%”）。The documents'
/// 全年预算数（财决 Z01、自评表）is the 调整后预算 under another name (年初预算 + 本年调整), so it
/// is the `adjusted` base; the form's `[words] adjusted_budget` says which name prints.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CompletionBase {
    #[default]
    Adjusted,
    Initial,
}

/// The reasons a form asks for where the “三公” figures differ from the prior year or the budget.
/// The total's reason (`three_public.reason`) is always asked for when the total differs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreePublicReasons {
    /// 填了“三公”经费总的原因，即可代替各项；没填时，各项有增减或决算≠预算的各写原因（默认）。
    #[default]
    OneOrPerItem,
    /// 因公出国（境）、公务用车、公务接待有增减或决算≠预算的，各写原因，填了总的原因也一样。
    PerItem,
    /// 只写总的原因：总数或任何一项有增减、决算≠预算，都由 three_public.reason 说明，各项的原因可不填。
    One,
}

/// The words a form chooses by the sign Rust decided.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Words {
    /// 本年大于上年：增加 …万元
    pub increase: String,
    /// 本年小于上年：减少 …万元
    pub decrease: String,
    /// 增长 …%
    pub grow: String,
    /// 下降 …%
    pub decline: String,
    /// 本年等于上年：“比上年持平”“与上年基本持平”（a change's `trend` when it is flat).
    pub flat: String,
    /// 决算数大于预算数
    pub greater: String,
    /// 决算数小于预算数
    pub less: String,
    /// 决算数等于预算数：“决算数与预算数持平”（or 基本持平; a completion's `relation`).
    pub equal: String,
    /// The budget a completion against the 调整后预算 names: “完成预算的X%”（四川）or
    /// “完成全年预算的X%”（上海 for a department without a 年初预算）.
    pub adjusted_budget: String,
    /// The budget a completion against the 年初预算 names: “完成年初预算的X%”.
    pub initial_budget: String,
}

impl Words {
    /// The name of the budget a completion is against (the context's `doc.budget_base`).
    pub fn budget_base(&self, base: CompletionBase) -> &str {
        match base {
            CompletionBase::Adjusted => &self.adjusted_budget,
            CompletionBase::Initial => &self.initial_budget,
        }
    }
}

impl Default for Words {
    fn default() -> Self {
        Words {
            increase: "增加".into(),
            decrease: "减少".into(),
            grow: "增长".into(),
            decline: "下降".into(),
            flat: "持平".into(),
            greater: "大于".into(),
            less: "小于".into(),
            equal: "持平".into(),
            adjusted_budget: "预算".into(),
            initial_budget: "年初预算".into(),
        }
    }
}

/// Every form that can be chosen: the built-in ones and those a `--templates` folder adds.
#[derive(Clone, Debug)]
pub struct Forms {
    forms: BTreeMap<String, Arc<Form>>,
    performance: BTreeMap<String, Arc<PerformanceSpec>>,
    /// The 附表 sets the table layouts define (`tables/tables.toml`, the folder's or the
    /// built-in one); `None` when that file does not read (the build reports it, F003).
    table_sets: Option<BTreeSet<String>>,
    /// The layout variants (`variant` of a `[[table]]`) a bureau may choose with
    /// `[bureau] table_variant`; `None` when the layouts do not read.
    table_variants: Option<BTreeSet<String>>,
    /// The table layouts themselves, when they read; the rules ask them what the bureau's set
    /// prints, so a `--templates` folder's layouts reach the rules as surely as the tables.
    layouts: Option<Arc<layouts::TableLayouts>>,
}

/// The ids of the `[[set]]`s of a table layouts file and the `variant` names of its
/// `[[table]]`s, when it reads.
fn table_set_ids(text: &str) -> Option<(BTreeSet<String>, BTreeSet<String>)> {
    #[derive(Deserialize)]
    struct Layouts {
        #[serde(default)]
        set: Vec<Set>,
        #[serde(default)]
        table: Vec<Table>,
    }
    #[derive(Deserialize)]
    struct Set {
        id: String,
    }
    #[derive(Deserialize)]
    struct Table {
        #[serde(default)]
        variant: Option<String>,
    }
    let layouts: Layouts = toml::from_str(text).ok()?;
    Some((
        layouts.set.into_iter().map(|s| s.id).collect(),
        layouts
            .table
            .into_iter()
            .filter_map(|t| t.variant)
            .collect(),
    ))
}

/// The table layouts file under `templates/`.
pub const TABLE_LAYOUTS: &str = "tables/tables.toml";

/// The folder of the 绩效 forms (`performance/<key>/form.toml`); no 说明 form may take its name.
pub const PERFORMANCE_FOLDER: &str = "performance";

/// Why a manifest could not be read: its file name and the reason (in Chinese).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError {
    pub file: String,
    pub reason: String,
}

/// The file name of a form's manifest inside its folder.
pub const MANIFEST: &str = "form.toml";

impl Forms {
    /// The forms whose manifests are among `files` (name under `templates/`, text): every
    /// `<key>/form.toml` directly under the root. The key must equal its folder's name.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Forms, ManifestError> {
        let mut forms = BTreeMap::new();
        let mut performance = BTreeMap::new();
        let mut layouts: Option<&str> = None;
        let mut manifests: BTreeMap<String, String> = BTreeMap::new();
        for (name, text) in files {
            if name == TABLE_LAYOUTS {
                layouts = Some(text);
            }
            let parts: Vec<&str> = name.split('/').collect();
            let error = |reason: String| ManifestError {
                file: name.to_string(),
                reason,
            };
            match parts.as_slice() {
                [PERFORMANCE_FOLDER, folder, MANIFEST] => {
                    let spec: PerformanceSpec =
                        toml::from_str(text).map_err(|e| error(e.message().trim().into()))?;
                    check_key(&spec.key, folder).map_err(error)?;
                    if let Some(problem) = spec.scoring.problem() {
                        return Err(error(problem));
                    }
                    performance.insert(spec.key.clone(), Arc::new(spec));
                }
                [folder, MANIFEST] => {
                    let form: Form =
                        toml::from_str(text).map_err(|e| error(e.message().trim().into()))?;
                    check_key(&form.key, folder).map_err(error)?;
                    if form.key == PERFORMANCE_FOLDER {
                        return Err(error(format!(
                            "文件夹 {PERFORMANCE_FOLDER}/ 存放绩效表式，说明的表式请换一个名字"
                        )));
                    }
                    if let Some(problem) = form.number.problem() {
                        return Err(error(problem));
                    }
                    if let Some(problem) = facts::problem(&form.facts, &form.figures) {
                        return Err(error(problem));
                    }
                    if let Some(problem) = sheet_name_problem(&form.facts_sheet) {
                        return Err(error(problem));
                    }
                    manifests.insert(form.key.clone(), name.to_string());
                    forms.insert(form.key.clone(), Arc::new(form));
                }
                _ => {}
            }
        }
        let layouts_text = layouts.unwrap_or(include_str!("../../templates/tables/tables.toml"));
        let layouts = layouts::TableLayouts::read(layouts_text).ok();
        let (table_sets, table_variants) = match &layouts {
            Some(l) => (
                Some(l.sets.iter().map(|s| s.id.clone()).collect()),
                Some(l.tables.iter().filter_map(|t| t.variant.clone()).collect()),
            ),
            // Layouts in error still name their sets and variants for the manifests' checks.
            None => table_set_ids(layouts_text).unzip(),
        };
        if let Some(sets) = &table_sets {
            for form in forms.values() {
                if !sets.contains(form.tables.key()) {
                    return Err(ManifestError {
                        file: manifests.get(&form.key).cloned().unwrap_or_default(),
                        reason: format!(
                            "套表 `{}` 不在 {TABLE_LAYOUTS} 中（有：{}）",
                            form.tables.key(),
                            sets.iter().cloned().collect::<Vec<_>>().join("、")
                        ),
                    });
                }
            }
        }
        Ok(Forms {
            forms,
            performance,
            table_sets,
            table_variants,
            layouts,
        })
    }

    /// The forms built into the binary.
    pub fn builtin() -> &'static Forms {
        static BUILTIN: LazyLock<Forms> = LazyLock::new(|| {
            Forms::from_files(builtin_manifests())
                .unwrap_or_else(|e| panic!("built-in form manifest {}: {}", e.file, e.reason))
        });
        &BUILTIN
    }

    pub fn get(&self, key: &str) -> Option<&Arc<Form>> {
        self.forms.get(key)
    }

    /// The table layouts of this run (a `--templates` folder's, else the built-in ones; the
    /// built-in ones too when the folder's do not read, which the build reports as F003).
    pub fn layouts(&self) -> Arc<layouts::TableLayouts> {
        self.layouts
            .clone()
            .unwrap_or_else(layouts::TableLayouts::shared)
    }

    /// Whether the table layouts define the set `key` (unknown when they do not read).
    pub fn has_table_set(&self, key: &str) -> Option<bool> {
        self.table_sets.as_ref().map(|s| s.contains(key))
    }

    /// Whether some layout has the variant `name` (unknown when the layouts do not read).
    pub fn has_table_variant(&self, name: &str) -> Option<bool> {
        self.table_variants.as_ref().map(|v| v.contains(name))
    }

    /// “填写 debt或 no_debt。”: the layout variants the layouts define.
    pub fn table_variant_hint(&self) -> Option<String> {
        let names: Vec<&str> = self
            .table_variants
            .as_ref()?
            .iter()
            .map(String::as_str)
            .collect();
        match names.split_last() {
            Some((last, [])) => Some(format!("可以填写 {last}。")),
            Some((last, rest)) => Some(format!("填写 {}或 {last}。", rest.join("、"))),
            None => Some("所用的表格版式没有可选的变体；删去这一项。".to_string()),
        }
    }

    /// “填写 central、shanghai 或 sichuan。”: the sets the layouts define.
    pub fn table_set_hint(&self) -> Option<String> {
        let sets: Vec<&String> = self.table_sets.as_ref()?.iter().collect();
        match sets.split_last() {
            Some((last, [])) => Some(format!("可以填写 {last}。")),
            Some((last, rest)) => Some(format!(
                "填写 {}或 {last}。",
                rest.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            )),
            None => None,
        }
    }

    /// Every form, by key.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Form>> {
        self.forms.values()
    }

    /// Every 绩效 form, by key.
    pub fn performance_keys(&self) -> impl Iterator<Item = &Arc<PerformanceSpec>> {
        self.performance.values()
    }

    pub fn performance(&self, key: &str) -> Option<&Arc<PerformanceSpec>> {
        self.performance.get(key)
    }

    /// “sichuan（四川）、hebei（河北）…”: the 绩效 forms that may be written, for an error's hint.
    pub fn performance_hint(&self) -> String {
        let items: Vec<String> = self
            .performance
            .values()
            .map(|f| format!("{}（{}）", f.key, f.name))
            .collect();
        format!("填写 {}。", items.join("、"))
    }

    /// “sichuan（四川省格式）或 …”: what may be written, for an error's hint.
    pub fn hint(&self) -> String {
        let items: Vec<String> = self
            .iter()
            .map(|f| format!("{}（{}）", f.key, f.name))
            .collect();
        match items.split_last() {
            Some((last, [])) => format!("可以填写 {last}。"),
            Some((last, rest)) => format!("填写 {}或 {last}。", rest.join("、")),
            None => String::new(),
        }
    }
}

/// Why a form's `facts_sheet` cannot name a worksheet (Excel's rules: 1–31 characters, none of
/// `[]:*?/\`, not the 说明 sheet's name).
fn sheet_name_problem(name: &str) -> Option<String> {
    let n = name.chars().count();
    if n == 0 || n > 31 || name.contains(['[', ']', ':', '*', '?', '/', '\\']) || name == "说明" {
        return Some(format!(
            "facts_sheet = \"{name}\" 不能作工作表名：1–31 个字符，不含 [ ] : * ? / \\，不用“说明”"
        ));
    }
    None
}

/// A form's key: lower-case ASCII letters, digits, `-` and `_`, equal to its folder's name.
fn check_key(key: &str, folder: &str) -> Result<(), String> {
    if key != folder {
        return Err(format!("key = \"{key}\" 与所在文件夹名“{folder}”不同"));
    }
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-';
    if key.is_empty() || !key.chars().all(allowed) {
        return Err(format!(
            "key = \"{key}\" 只能由小写英文字母、数字、- 和 _ 组成"
        ));
    }
    Ok(())
}

/// The manifests of the built-in forms, as `(name under templates/, text)`.
pub fn builtin_manifests() -> impl Iterator<Item = (&'static str, &'static str)> {
    [
        (
            "sichuan/form.toml",
            include_str!("../../templates/sichuan/form.toml"),
        ),
        (
            "chongqing/form.toml",
            include_str!("../../templates/chongqing/form.toml"),
        ),
        (
            "shanghai/form.toml",
            include_str!("../../templates/shanghai/form.toml"),
        ),
        (
            "performance/sichuan/form.toml",
            include_str!("../../templates/performance/sichuan/form.toml"),
        ),
        (
            "performance/sichuan2021/form.toml",
            include_str!("../../templates/performance/sichuan2021/form.toml"),
        ),
        (
            "performance/hebei/form.toml",
            include_str!("../../templates/performance/hebei/form.toml"),
        ),
        (
            "performance/hunan/form.toml",
            include_str!("../../templates/performance/hunan/form.toml"),
        ),
        (
            "performance/report/form.toml",
            include_str!("../../templates/performance/report/form.toml"),
        ),
    ]
    .into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_forms_are_read() {
        let forms = Forms::builtin();
        let sichuan = forms.get("sichuan").expect("sichuan");
        assert_eq!(sichuan.name, "四川省格式");
        assert_eq!(sichuan.tables.key(), "sichuan");
        assert_eq!(sichuan.number.percent_decimals, 1);
        assert_eq!(sichuan.words, Words::default());
        assert_eq!(
            forms.hint(),
            "填写 chongqing（重庆格式）、shanghai（上海市格式）或 sichuan（四川省格式）。"
        );
    }

    #[test]
    fn chinese_numbers() {
        let n: Vec<String> = [1, 5, 10, 11, 20, 23, 99, 100]
            .into_iter()
            .map(chinese_number)
            .collect();
        assert_eq!(
            n,
            ["一", "五", "十", "十一", "二十", "二十三", "九十九", "100"]
        );
    }

    #[test]
    fn a_manifest_must_sit_in_the_folder_of_its_key() {
        let text = "key = \"other\"\nname = \"x\"\ntables = \"central\"\n";
        let e = Forms::from_files([("mine/form.toml", text)]).unwrap_err();
        assert_eq!(e.file, "mine/form.toml");
        assert!(
            e.reason.contains("与所在文件夹名“mine”不同"),
            "{}",
            e.reason
        );
        let ok = Forms::from_files([("other/form.toml", text)]).unwrap();
        assert_eq!(ok.get("other").unwrap().tables.key(), "central");
    }

    #[test]
    fn unknown_fields_and_bad_values_are_errors() {
        let e = Forms::from_files([(
            "x/form.toml",
            "key = \"x\"\nname = \"x\"\ntables = \"sichuan\"\ncolour = 1\n",
        )])
        .unwrap_err();
        assert!(e.reason.contains("colour"), "{}", e.reason);
        let e = Forms::from_files([(
            "x/form.toml",
            "key = \"x\"\nname = \"x\"\ntables = \"sichuan\"\n[number]\npercent_decimals = 7\n",
        )])
        .unwrap_err();
        assert!(e.reason.contains("超出范围"), "{}", e.reason);
        let e = Forms::from_files([(
            "x/form.toml",
            "key = \"x\"\nname = \"x\"\ntables = \"sichuan\"\nfacts_sheet = \"a/b\"\n",
        )])
        .unwrap_err();
        assert!(e.reason.contains("不能作工作表名"), "{}", e.reason);
        // Files other than a folder's manifest are not forms.
        let none = Forms::from_files([("x/body.tera", "…"), ("form.toml", "junk")]).unwrap();
        assert_eq!(none.iter().count(), 0);
    }
}
