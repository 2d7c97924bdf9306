//! 附表版式（`templates/tables/tables.toml`，或 `--templates` 目录中的同名文件）：各套表印哪些表，
//! 每张表的表头、行、列与说明文字。
//!
//! The table layouts are data a form's folder may replace; they live here, below the model, so
//! the rules ask the layouts a bureau's run actually prints with (not the built-in ones), and
//! the figures fill them. `figures::tables` builds the printed tables from them.

use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

/// The table layouts of every set (`templates/tables/tables.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableLayouts {
    #[serde(rename = "set")]
    pub sets: Vec<SetLayout>,
    #[serde(rename = "table")]
    pub tables: Vec<TableLayout>,
}

/// The text of the built-in layouts.
const BUILTIN: &str = include_str!("../../templates/tables/tables.toml");

impl TableLayouts {
    /// The layouts built into the binary (the rules ask them what a set prints).
    pub fn builtin() -> TableLayouts {
        crate::input::from_embedded("tables/tables.toml", BUILTIN)
    }

    /// The layouts a layouts file's `text` declares. The built-in text is read once per
    /// process and shared: the forms, the rules and the figures of every run ask it, and it
    /// was read three times over in each build (about 0.9% of the example's).
    pub fn read(text: &str) -> Result<Arc<TableLayouts>, toml::de::Error> {
        if text == BUILTIN {
            return Ok(TableLayouts::shared());
        }
        toml::from_str(text).map(Arc::new)
    }

    /// The built-in layouts, read once per process.
    pub fn shared() -> Arc<TableLayouts> {
        static SHARED: LazyLock<Arc<TableLayouts>> =
            LazyLock::new(|| Arc::new(TableLayouts::builtin()));
        SHARED.clone()
    }

    /// The layout of table `id` for a 决算 `year`: the first of that id whose `since`/`until`
    /// hold the year, or, when the bureau chose a `variant` some layout of that id has, the
    /// first of that variant (one holding the year first).
    pub fn layout(&self, id: &str, year: i64, variant: Option<&str>) -> Option<&TableLayout> {
        // A year outside the catalogs is laid out as the nearest covered year (R049).
        let year = crate::catalog::catalog_year(year);
        let fits = |l: &&TableLayout| {
            l.since.is_none_or(|s| year >= s) && l.until.is_none_or(|u| year <= u)
        };
        let of_id = || self.tables.iter().filter(move |l| l.id == id);
        if let Some(v) = variant {
            let named = || of_id().filter(move |l| l.variant.as_deref() == Some(v));
            if let Some(l) = named().find(fits).or_else(|| named().next()) {
                return Some(l);
            }
        }
        of_id().find(fits)
    }

    /// Whether a table of `set`, as laid out for `year` (and the bureau's `variant`), prints
    /// `column` of a `shape` table whose source is `source` (any source when `None`): rules
    /// demand a breakdown only when it is printed.
    pub fn prints(
        &self,
        set: &str,
        year: i64,
        variant: Option<&str>,
        shape: Shape,
        column: &str,
        source: Option<&str>,
    ) -> bool {
        let Some(set) = self.sets.iter().find(|s| s.id == set) else {
            return false;
        };
        set.tables.iter().any(|entry| {
            self.layout(&entry.id, year, variant).is_some_and(|t| {
                t.shape == shape
                    && t.columns.iter().any(|c| c == column)
                    && source.is_none_or(|s| t.source.as_deref() == Some(s))
            })
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetLayout {
    pub id: String,
    pub name: String,
    pub tables: Vec<SetEntry>,
    /// The line between a table's title and its header (`{unit}`, `{year}`, `{number}`).
    pub caption: Caption,
    /// The note under a table with no amount, unless the table has its own
    /// (`{unit}`, `{year}`, `{subject}`).
    #[serde(default)]
    pub empty_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetEntry {
    pub id: String,
    /// The 表号 printed above the table (公开01表); none in a set whose tables are unnumbered.
    #[serde(default)]
    pub number: String,
}

/// The three parts of the line above a table's header: left, centre and right.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Caption {
    #[serde(default)]
    pub left: String,
    #[serde(default)]
    pub center: String,
    #[serde(default)]
    pub right: String,
}

/// Where a `function` or `economic` table prints its 合计 row, its label, and whether the label
/// spans the code and name columns.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TotalRow {
    pub position: Position,
    pub label: String,
    pub span: bool,
}

impl Default for TotalRow {
    fn default() -> Self {
        TotalRow {
            position: Position::Top,
            label: "合计".to_string(),
            span: false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Top,
    Bottom,
}

/// The rows of a 基本支出 table printed whatever the amounts: 经济分类 codes per panel.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedRows {
    pub left: Vec<String>,
    pub right: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    Summary,
    Function,
    Economic,
    EconomicPanels,
    ThreePublic,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableLayout {
    pub id: String,
    pub title: String,
    pub shape: Shape,
    #[serde(default)]
    pub since: Option<i64>,
    #[serde(default)]
    pub until: Option<i64>,
    /// The variant this layout is (`debt`, `no_debt`…): `[bureau] table_variant` chooses it
    /// over the year's.
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub landscape: bool,
    pub widths: Vec<String>,
    pub header: Vec<Vec<HeadSpec>>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub left: Vec<LineSpec>,
    #[serde(default)]
    pub right: Vec<LineSpec>,
    #[serde(default)]
    pub right_columns: Vec<String>,
    #[serde(default)]
    pub subject: Option<String>,
    /// A `summary` table prints a 行次 column beside each half.
    #[serde(default = "yes")]
    pub row_numbers: bool,
    /// 款 and 项 names are indented under their 类.
    #[serde(default = "yes")]
    pub indent: bool,
    #[serde(default)]
    pub total_row: TotalRow,
    /// A line printed under the table (`{unit}`, `{year}`, `{subject}`).
    #[serde(default)]
    pub note: Option<String>,
    /// The line printed under the table when it has no amount; the set's otherwise.
    #[serde(default)]
    pub empty_note: Option<String>,
    /// A table with no amount keeps its 合计 row (and `blank_rows` empty rows) instead of
    /// printing no rows.
    #[serde(default)]
    pub keep_empty: bool,
    #[serde(default)]
    pub blank_rows: usize,
    /// `economic_panels`: the codes printed in each panel whatever their amounts.
    #[serde(default)]
    pub fixed_rows: Option<FixedRows>,
    /// `economic_panels`: the labels of the two panels' totals (人员经费合计, 公用经费合计).
    #[serde(default)]
    pub panel_totals: Vec<String>,
}

fn yes() -> bool {
    true
}

/// More blank rows than any printed table has: a layout asking for more is a mistake, not a
/// reason to allocate.
pub const MAX_BLANK_ROWS: usize = 60;

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum HeadSpec {
    Text(String),
    Cell {
        text: String,
        #[serde(default = "one")]
        colspan: usize,
        #[serde(default = "one")]
        rowspan: usize,
    },
}

fn one() -> usize {
    1
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub label: Option<String>,
    /// 行次, when the table prints them.
    #[serde(default)]
    pub row: Option<u32>,
    /// `center` for a label printed centred (本年收入合计, 总计).
    #[serde(default)]
    pub align: Option<Align>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    pub fn name(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        }
    }
}
