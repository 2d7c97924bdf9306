//! 附表（公开表）：按 `templates/tables/tables.toml` 的版式，把同一份事实填成表格。
//!
//! The layout (titles, header rows, 行次, which columns) is data; this module only knows the
//! *shapes* a 公开表 can take and what each column and row key means:
//!
//! * columns of `function` tables, per 功能分类 项 (summed up to 款, 类 and 合计):
//!   `income_total` 本年收入合计, `appropriation_income` 财政拨款收入, `upper_grant`, `service`,
//!   `business_income`, `affiliate`, `other`; `spending_total` 本年支出合计, `actual` 本年支出（财政拨款）,
//!   `basic`, `project`, `upper_remit`, `business_spending`, `affiliate_grant`; `budget` 调整预算数;
//!   `opening_balance`, `income`, `closing_balance` (the fund's 结转和结余 and 本年收入);
//! * columns of `economic` tables, per 经济分类 款: `total`, `basic`, `personnel`, `operating`, `project`;
//! * row keys of `summary` tables: the 公开01表 lines (`income.<source>`, `income_total`,
//!   `income_grand`, `class:<类>`, `spending_total`, `spending.<line>`, `spending_grand`) and the
//!   公开04表 lines (`appropriation.income.<fund>`, `appropriation.income_total`,
//!   `appropriation.opening[.<fund>]`, `appropriation.class:<类>`, `appropriation.spending_total`,
//!   `appropriation.closing`, `appropriation.grand`), read per column of `right_columns`;
//! * columns of the `three_public` table: `budget.<part>` and `actual.<part>`.
//!
//! Every amount is a fact or a sum of facts, printed once with 2 decimals. A key the layout
//! names but this module does not know is a layout error (F003), never a blank.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ledger::{Ledger, Operand};
use super::{Totals, fill_placeholders};
use crate::arith::money_text_fixed;
use crate::catalog::Group;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::form::layouts::MAX_BLANK_ROWS;
pub use crate::form::layouts::{
    Align, Caption, FixedRows, HeadSpec, LineSpec, Position, SetEntry, SetLayout, Shape,
    TableLayout, TableLayouts, TotalRow,
};
use crate::model::{Amount, Bureau, Fund, RowColumn, RowTable, TOTAL_ROW, declared_of};
use crate::money::Money;

impl TableLayout {
    /// One label per column (the header rows joined by `·`); `None` when the header does not
    /// fit the widths. The importer finds a table's columns by these.
    pub fn leaf_labels(&self) -> Option<Vec<String>> {
        leaf_labels(&head_cells(&self.header), self.widths.len())
    }
}

fn head_cells(header: &[Vec<HeadSpec>]) -> Vec<Vec<HeadCell>> {
    header
        .iter()
        .map(|row| {
            row.iter()
                .map(|h| match h {
                    HeadSpec::Text(text) => HeadCell {
                        text: text.clone(),
                        colspan: 1,
                        rowspan: 1,
                    },
                    HeadSpec::Cell {
                        text,
                        colspan,
                        rowspan,
                    } => HeadCell {
                        text: text.clone(),
                        colspan: *colspan,
                        rowspan: *rowspan,
                    },
                })
                .collect()
        })
        .collect()
}

/// One 附表 ready to place.
#[derive(Debug, Serialize)]
pub struct TableDoc {
    pub id: String,
    pub number: String,
    /// Its place in the set as a Chinese numeral (一、二…), for a list of the tables.
    pub numeral: String,
    pub title: String,
    /// The line above the header, placeholders filled.
    pub caption: Caption,
    pub landscape: bool,
    pub widths: Vec<String>,
    /// `left`, `center` or `right` per column.
    pub aligns: Vec<&'static str>,
    pub header: Vec<Vec<HeadCell>>,
    /// One label per column (the header rows joined), for Markdown.
    pub leaf_labels: Vec<String>,
    pub rows: Vec<RowDoc>,
    /// No amount at all.
    pub empty: bool,
    /// The lines under the table: its note, and its empty note when it has no amount.
    pub notes: Vec<String>,
    /// 款 and 项 names are indented.
    pub indent: bool,
}

#[derive(Debug, Serialize)]
pub struct HeadCell {
    pub text: String,
    pub colspan: usize,
    pub rowspan: usize,
}

#[derive(Debug, Serialize)]
pub struct RowDoc {
    /// `total`, `class`, `section`, `item`, `line`, or `blank` (a row kept empty).
    pub kind: &'static str,
    pub cells: Vec<TableCell>,
}

/// One printed cell: its text, and for an amount the exact figure behind it (the 公开表 workbook
/// writes the figure, not the text, so an input in 元 exports exactly). Templates see the text,
/// the span and the alignment.
#[derive(Clone, Debug, Serialize)]
pub struct TableCell {
    pub text: String,
    /// The exact amount (万元) when the cell prints one; `Some(0)` for a 0 left blank.
    #[serde(skip)]
    pub amount: Option<Money>,
    /// The amount's id in the ledger, after `tables.<table>.` (e.g. `2010601.basic`).
    #[serde(skip)]
    pub id: String,
    /// The facts the amount adds up, for the ledger.
    #[serde(skip)]
    pub inputs: Vec<Operand>,
    /// For a total printed as the source printed it (a `declared_*` fact within its 尾差): what
    /// the ledger says instead of “下列各数之和”.
    #[serde(skip)]
    pub formula: Option<String>,
    /// How many columns the cell spans: 1, more, or 0 for a column covered by the cell before.
    pub span: usize,
    /// The cell's own alignment (`center`), when it differs from its column's.
    pub align: Option<&'static str>,
}

impl Default for TableCell {
    fn default() -> Self {
        TableCell {
            text: String::new(),
            amount: None,
            id: String::new(),
            inputs: Vec::new(),
            formula: None,
            span: 1,
            align: None,
        }
    }
}

impl TableCell {
    fn amount(m: Money, text: String) -> TableCell {
        TableCell {
            text,
            amount: Some(m),
            ..TableCell::default()
        }
    }

    /// A label spanning `span` columns, centred; the caller adds the covered cells.
    fn spanning(text: &str, span: usize) -> TableCell {
        TableCell {
            text: text.to_string(),
            span,
            align: Some("center"),
            ..TableCell::default()
        }
    }

    /// The cell with its ledger id and inputs.
    fn with_facts(mut self, id: String, inputs: Vec<Operand>) -> TableCell {
        self.id = id;
        self.inputs = inputs;
        self
    }

    /// The cell as the source printed it when `declared` is a total within the 尾差 of the
    /// figures the cell adds up (`[bureau] totals = "declared"`): the declared figure, with the
    /// sum and the tail in the ledger. A declared total beyond the 尾差 is a rule error and the
    /// build has stopped before this.
    fn printed_as(mut self, b: &Bureau, declared: Option<&Amount>) -> TableCell {
        let (Some(declared), Some(sum)) = (declared, self.amount) else {
            return self;
        };
        let given = self.inputs.iter().filter(|o| o.loc.is_some()).count();
        if b.printed_total(Some(declared), sum, given).is_none() {
            return self;
        }
        // A cell that printed its 0 (a 合计 row) prints the declared 0 too.
        let printed = if self.text.is_empty() {
            cell(declared.value)
        } else {
            fixed(declared.value)
        };
        self.formula = Some(if declared.value == sum {
            "来源表所印合计（declared），等于下列各数之和".to_string()
        } else {
            format!(
                "来源表所印合计（declared），下列各数之和为 {}，尾差 {}",
                money_text_fixed(sum),
                (declared.value - sum).0.normalize()
            )
        });
        self.amount = printed.amount;
        self.text = printed.text;
        self.inputs
            .insert(0, Operand::fact("来源表所印合计", declared));
        self
    }

    fn covered() -> TableCell {
        TableCell {
            span: 0,
            ..TableCell::default()
        }
    }
}

impl From<String> for TableCell {
    fn from(text: String) -> TableCell {
        TableCell {
            text,
            ..TableCell::default()
        }
    }
}

/// The 附表 of the bureau's set, in order.
pub fn build(b: &Bureau, t: &Totals, layouts: &TableLayouts) -> Result<Vec<TableDoc>, Diagnostics> {
    let set_id = b.identity.tables.key();
    let year = b.identity.year.value;
    let set = layouts
        .sets
        .iter()
        .find(|s| s.id == set_id)
        .ok_or_else(|| layout_error(format!("没有套表 `{set_id}`")))?;
    let variant = b.identity.table_variant.as_deref();
    let mut docs = Vec::new();
    for (index, entry) in set.tables.iter().enumerate() {
        let layout = layouts
            .layout(&entry.id, year, variant)
            .ok_or_else(|| layout_error(format!("没有适用于 {year} 年度的表 `{}`", entry.id)))?;
        let mut doc = table(b, t, layout, &entry.number)?;
        let year_text = year.to_string();
        let values = [
            ("{unit}", b.identity.name.value.as_str()),
            ("{year}", year_text.as_str()),
            ("{number}", entry.number.as_str()),
            ("{subject}", layout.subject.as_deref().unwrap_or_default()),
        ];
        let fill = |pattern: &str| fill_placeholders(pattern, &values);
        doc.numeral = crate::form::chinese_number(index + 1);
        doc.caption = Caption {
            left: fill(&set.caption.left),
            center: fill(&set.caption.center),
            right: fill(&set.caption.right),
        };
        doc.notes.extend(layout.note.as_deref().map(fill));
        if doc.empty {
            let empty_note = layout.empty_note.as_ref().or(set.empty_note.as_ref());
            doc.notes.extend(empty_note.map(|n| fill(n)));
        }
        number_style(&mut doc.rows, &b.identity.form.number);
        docs.push(doc);
    }
    Ok(docs)
}

/// Records every amount the 附表 print in the ledger (`tables.<table>.<row>.<column>`), with
/// the facts it adds up.
pub fn record(docs: &[TableDoc], ledger: &mut Ledger) {
    for doc in docs {
        for cell in doc.rows.iter().flat_map(|r| &r.cells) {
            if cell.amount.is_none() || cell.text.is_empty() || cell.id.is_empty() {
                continue;
            }
            let formula = match (&cell.formula, cell.inputs.as_slice()) {
                (Some(f), _) => f.as_str(),
                (None, [] | [_]) => "下列一数",
                (None, _) => "下列各数之和",
            };
            ledger.record(
                &format!("tables.{}.{}", doc.id, cell.id),
                &cell.text,
                formula,
                &cell.inputs,
            );
        }
    }
}

/// Writes the amounts as the form's tables do: a 0 left blank, thousands separators.
fn number_style(rows: &mut [RowDoc], style: &crate::form::NumberStyle) {
    for cell in rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        let Some(m) = cell.amount else { continue };
        if style.zero_in_tables == crate::form::ZeroCells::Blank && m.0.is_zero() {
            cell.text.clear();
        }
        if style.separators_in_tables && !cell.text.is_empty() {
            cell.text = crate::arith::with_separators(&cell.text);
        }
    }
}

fn layout_error(message: String) -> Diagnostics {
    Diagnostic::of(
        crate::diagnostic::codes::TEMPLATE,
        format!("附表版式（tables/tables.toml）有误：{message}"),
    )
    .hint("检查 --templates 目录中修改过的 tables/tables.toml。")
    .into()
}

fn table(b: &Bureau, t: &Totals, l: &TableLayout, number: &str) -> Result<TableDoc, Diagnostics> {
    if l.blank_rows > MAX_BLANK_ROWS {
        return Err(layout_error(format!(
            "表 `{}` 的空行数 {} 超过 {MAX_BLANK_ROWS}",
            l.id, l.blank_rows
        )));
    }
    let (rows, aligns, empty) = match l.shape {
        Shape::Summary => summary(b, t, l)?,
        Shape::Function => function(b, t, l)?,
        Shape::Economic => economic(b, l)?,
        Shape::EconomicPanels => panels(b, t, l)?,
        Shape::ThreePublic => three_public(b, t, l)?,
    };
    let header = head_cells(&l.header);
    if header
        .iter()
        .flatten()
        .any(|h| h.colspan == 0 || h.rowspan == 0)
    {
        return Err(layout_error(format!(
            "表 `{}` 的表头有跨 0 列或 0 行的格（colspan、rowspan 至少为 1）",
            l.id
        )));
    }
    let leaf_labels = leaf_labels(&header, l.widths.len())
        .ok_or_else(|| layout_error(format!("表 `{}` 的表头与列宽数目不符", l.id)))?;
    if let Some(r) = rows.iter().find(|r| r.cells.len() != l.widths.len()) {
        return Err(layout_error(format!(
            "表 `{}` 有 {} 列，但一行有 {} 格",
            l.id,
            l.widths.len(),
            r.cells.len()
        )));
    }
    Ok(TableDoc {
        id: l.id.clone(),
        number: number.to_string(),
        numeral: String::new(),
        title: l.title.clone(),
        caption: Caption::default(),
        landscape: l.landscape,
        widths: l.widths.clone(),
        aligns,
        header,
        leaf_labels,
        rows,
        empty,
        notes: Vec::new(),
        indent: l.indent,
    })
}

/// Lays the header rows out on a grid and names each column by the texts above it.
fn leaf_labels(header: &[Vec<HeadCell>], columns: usize) -> Option<Vec<String>> {
    let mut grid: Vec<Vec<Option<&str>>> = vec![vec![None; columns]; header.len()];
    let mut taken = vec![vec![false; columns]; header.len()];
    for (r, row) in header.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while c < columns && taken[r][c] {
                c += 1;
            }
            if c + cell.colspan > columns || r + cell.rowspan > header.len() {
                return None;
            }
            for rr in r..r + cell.rowspan {
                for cc in c..c + cell.colspan {
                    taken[rr][cc] = true;
                    grid[rr][cc] = Some(&cell.text);
                }
            }
            c += cell.colspan;
        }
    }
    if taken.iter().any(|row| row.iter().any(|t| !t)) {
        return None;
    }
    Some(
        (0..columns)
            .map(|c| {
                let mut parts: Vec<&str> = Vec::new();
                for row in &grid {
                    if let Some(text) = row[c]
                        && !text.is_empty()
                        && parts.last() != Some(&text)
                    {
                        parts.push(text);
                    }
                }
                parts.join("·")
            })
            .collect(),
    )
}

fn cell(m: Money) -> TableCell {
    if m.0.is_zero() {
        TableCell::amount(m, String::new())
    } else {
        fixed(m)
    }
}

/// An amount printed even when 0 (`0.00`).
fn fixed(m: Money) -> TableCell {
    TableCell::amount(m, money_text_fixed(m))
}

fn opt_cell(m: Option<Money>) -> TableCell {
    m.map(cell).unwrap_or_default()
}

type Built = (Vec<RowDoc>, Vec<&'static str>, bool);

/// 公开01表 / 公开04表: two halves side by side, 项目 | 行次 | 金额….
fn summary(b: &Bureau, t: &Totals, l: &TableLayout) -> Result<Built, Diagnostics> {
    let right_columns: Vec<&str> = if l.right_columns.is_empty() {
        vec![""]
    } else {
        l.right_columns.iter().map(String::as_str).collect()
    };
    let rows = l.left.len().max(l.right.len());
    let row_cells = usize::from(l.row_numbers);
    let mut out = Vec::new();
    for i in 0..rows {
        let mut cells = Vec::new();
        for (side, columns) in [(&l.left, vec![""]), (&l.right, right_columns.clone())] {
            match side.get(i) {
                Some(line) => {
                    let mut label = TableCell::from(line.label.clone().unwrap_or_default());
                    label.align = line.align.map(Align::name);
                    cells.push(label);
                    if l.row_numbers {
                        cells.push(line.row.map(|r| r.to_string()).unwrap_or_default().into());
                    }
                    for col in &columns {
                        let value = match &line.key {
                            Some(key) => summary_value(b, t, key, col).ok_or_else(|| {
                                layout_error(format!(
                                    "表 `{}` 的行键 `{key}`（列 `{col}`）未知",
                                    l.id
                                ))
                            })?,
                            None => None,
                        };
                        let id = match (&line.key, *col) {
                            (Some(key), "") => key.clone(),
                            (Some(key), col) => format!("{key}.{col}"),
                            (None, _) => String::new(),
                        };
                        let inputs = match (&line.key, value) {
                            (Some(key), Some(m)) if !m.0.is_zero() => {
                                summary_inputs(b, key, col, m, line.label.as_deref())
                            }
                            _ => Vec::new(),
                        };
                        let declared = line
                            .key
                            .as_deref()
                            .and_then(|k| declared_summary(b, k, col));
                        cells.push(
                            opt_cell(value)
                                .with_facts(id, inputs)
                                .printed_as(b, declared),
                        );
                    }
                }
                None => cells.extend(std::iter::repeat_n(
                    TableCell::default(),
                    1 + row_cells + columns.len(),
                )),
            }
        }
        let is_total = [&l.left, &l.right].iter().any(|side| {
            side.get(i)
                .and_then(|s| s.key.as_deref())
                .is_some_and(|k| k.ends_with("total") || k.ends_with("grand"))
        });
        out.push(RowDoc {
            kind: if is_total { "total" } else { "line" },
            cells,
        });
    }
    let mut aligns = Vec::new();
    for columns in [1, right_columns.len()] {
        aligns.push("left");
        if l.row_numbers {
            aligns.push("center");
        }
        aligns.extend(std::iter::repeat_n("right", columns));
    }
    Ok((out, aligns, false))
}

/// A summary line's amount: `Some(None)` is a cell left blank on purpose (e.g. a fund column
/// of a total row), `None` an unknown key.
fn summary_value(b: &Bureau, t: &Totals, key: &str, col: &str) -> Option<Option<Money>> {
    let i = &b.income;
    let s = &b.spending;
    let a = &b.appropriation;
    let fund = |k: &str| a.funds().into_iter().find(|(id, ..)| *id == k).map(|f| f.2);
    let by_fund = |f: &dyn Fn(&Fund) -> Money| -> Option<Option<Money>> {
        match col {
            "" | "total" => Some(Some(a.funds().iter().map(|(_, _, x)| f(x)).sum())),
            k => fund(k).map(|x| Some(f(x))),
        }
    };
    let single = |m: Money| -> Option<Option<Money>> {
        match col {
            "" | "total" => Some(Some(m)),
            _ => Some(None),
        }
    };
    let sum = |lines: Vec<Operand>| lines.iter().map(|o| o.value).sum::<Money>();
    if let Some(code) = key.strip_prefix("appropriation.class:") {
        return class_lines(b, code, col, true).map(|l| Some(sum(l)));
    }
    if let Some(code) = key.strip_prefix("class:") {
        return single(sum(class_lines(b, code, "", false)?));
    }
    if let Some(k) = key.strip_prefix("appropriation.income.") {
        let income = match k {
            "general_budget" => i.general_budget.value,
            "gov_fund" => i.gov_fund.value,
            "state_capital" => i.state_capital.value,
            _ => return None,
        };
        return single(income);
    }
    if let Some(k) = key.strip_prefix("appropriation.opening.") {
        return fund(k).and_then(|f| single(f.opening_balance.value));
    }
    match key {
        "income_total" => single(t.income),
        "income_grand" => single(t.income_grand),
        "spending_total" => single(t.spending),
        "spending_grand" => single(t.spending_grand),
        "income.reserve_used" => single(i.reserve_used.value),
        "income.opening_balance" => single(i.opening_balance.value),
        "spending.balance_allocation" => single(s.balance_allocation.value),
        "spending.closing_balance" => single(s.closing_balance.value),
        "appropriation.income_total" => single(t.appropriation_income),
        "appropriation.opening" => {
            single(a.funds().iter().map(|f| f.2.opening_balance.value).sum())
        }
        "appropriation.grand" => single(t.appropriation_grand),
        // 总计 per fund (上海 fills the fund columns): the fund's 本年收入 and 年初结转和结余, as
        // the income side states them, so one fund's 总计 prints the official 总计.
        "appropriation.grand_by_fund" => match col {
            "" | "total" => single(t.appropriation_grand),
            k => {
                let income = match k {
                    "general_budget" => i.general_budget.value,
                    "gov_fund" => i.gov_fund.value,
                    "state_capital" => i.state_capital.value,
                    _ => return None,
                };
                fund(k).map(|x| Some(income + x.opening_balance.value))
            }
        },
        // The 一般公共预算 column prints the text's figure (declared within the 尾差, or Σ 项).
        // The other funds' columns as this table printed them (`[[declared_rows]]`, within the
        // 尾差), else Σ 项; the 合计 column adds the three as printed unless declared itself.
        "appropriation.spending_total" => {
            let printed = |k: &str, column: RowColumn| {
                let sum = fund(k).map_or(Money::default(), |x| x.spending());
                b.printed_total(
                    b.declared_cell(RowTable::Appropriation, TOTAL_ROW, column),
                    sum,
                    fund(k).map_or(0, |x| x.items.len().saturating_mul(2)),
                )
                .unwrap_or(sum)
            };
            match col {
                "" | "total" => single(
                    t.general_budget
                        + printed("gov_fund", RowColumn::GovFund)
                        + printed("state_capital", RowColumn::StateCapital),
                ),
                "general_budget" => Some(Some(t.general_budget)),
                k => fund(k).map(|x| Some(x.spending())),
            }
        }
        "appropriation.closing" => by_fund(&|f: &Fund| f.closing_balance.value),
        _ => {
            let k = key.strip_prefix("income.")?;
            single(income_field(i, k)?.value)
        }
    }
}

/// The table a function layout is, for `[[declared_rows]]`: the 收入决算表 and 支出决算表 (all
/// money, with a 本年收入合计 / 本年支出合计 column) or the 支出决算表 of one fund (the one with
/// a 合计 column; 国有资本经营 has a 收入支出决算表 of its own beside it).
fn row_table(l: &TableLayout) -> Option<RowTable> {
    let has = |c: &str| l.columns.iter().any(|x| x == c);
    match l.source.as_deref()? {
        "all" if has("spending_total") => Some(RowTable::Spending),
        "all" if has("income_total") => Some(RowTable::Income),
        "general_budget" if has("actual") => Some(RowTable::GeneralBudget),
        "gov_fund" if has("actual") => Some(RowTable::GovFund),
        "state_capital" if has("actual") && has("income") => {
            Some(RowTable::StateCapitalIncomeSpending)
        }
        "state_capital" if has("actual") => Some(RowTable::StateCapital),
        _ => None,
    }
}

/// The table an economic layout is, for `[[declared_rows]]`: the 财政拨款支出决算明细表 (all
/// funds), the 一般公共预算 明细表, or its 项目支出 table (only a 项目支出 column).
fn economic_row_table(l: &TableLayout) -> Option<RowTable> {
    match l.source.as_deref()? {
        "appropriation" => Some(RowTable::AppropriationEconomic),
        "general_budget" if l.columns.iter().all(|c| c == "project") => {
            Some(RowTable::GeneralBudgetProject)
        }
        "general_budget" => Some(RowTable::GeneralBudgetEconomic),
        _ => None,
    }
}

/// A layout column as a column of a declared row of `table`.
fn row_column(table: RowTable, col: &str) -> Option<RowColumn> {
    Some(match (table, col) {
        (RowTable::Appropriation, "general_budget") => RowColumn::GeneralBudget,
        (RowTable::Appropriation, "gov_fund") => RowColumn::GovFund,
        (RowTable::Appropriation, "state_capital") => RowColumn::StateCapital,
        (RowTable::Appropriation, "" | "total") => RowColumn::Total,
        (RowTable::Appropriation, _) => return None,
        (RowTable::Income, "income_total") => RowColumn::Total,
        (RowTable::Income, "appropriation_income") => RowColumn::Appropriation,
        (RowTable::Income, "upper_grant") => RowColumn::UpperGrant,
        (RowTable::Income, "service") => RowColumn::Service,
        (RowTable::Income, "business_income") => RowColumn::Business,
        (RowTable::Income, "affiliate") => RowColumn::Affiliate,
        (RowTable::Income, "other") => RowColumn::Other,
        (_, "spending_total" | "actual" | "total") => RowColumn::Total,
        (_, "basic") => RowColumn::Basic,
        (_, "project") => RowColumn::Project,
        (_, "budget") => RowColumn::Budget,
        (_, "opening_balance") => RowColumn::OpeningBalance,
        (_, "income") => RowColumn::Income,
        (_, "closing_balance") => RowColumn::ClosingBalance,
        _ => return None,
    })
}

/// The 类 row a summary table prints as the source printed it: 公开01表 `class:` rows from
/// `[spending] declared_classes`, 公开04表 `appropriation.class:` rows from `[appropriation]
/// declared_classes` — in the 合计 column, and in a fund's column when that fund holds every
/// line of the class (the two cells are then one figure).
fn declared_summary<'a>(b: &'a Bureau, key: &str, col: &str) -> Option<&'a Amount> {
    if key == "appropriation.spending_total" {
        // The 本年支出合计 row in its 合计 and fund columns (`[[declared_rows]]`); the
        // 一般公共预算 column is `[general_budget] declared_total`, in the value already.
        let column = row_column(RowTable::Appropriation, col)?;
        return b.declared_cell(RowTable::Appropriation, TOTAL_ROW, column);
    }
    if let Some(code) = key.strip_prefix("appropriation.class:") {
        // A fund's column as this table printed it (`[[declared_rows]]`).
        if let Some(column) = row_column(RowTable::Appropriation, col)
            && column != RowColumn::Total
            && let Some(declared) = b.declared_cell(RowTable::Appropriation, code, column)
        {
            return Some(declared);
        }
        let declared = declared_of(&b.appropriation.declared_classes, code)?;
        if matches!(col, "" | "total") {
            return Some(declared);
        }
        let all = class_lines(b, code, "", true)?;
        let fund = class_lines(b, code, col, true)?;
        return (!fund.is_empty() && all.len() == fund.len()).then_some(declared);
    }
    let code = key.strip_prefix("class:")?;
    declared_of(&b.spending.declared_classes, code)
}

/// The 项 of a 类 a summary line adds up (in the fund `col`, or all funds for the total; the
/// money that is not an appropriation too unless `appropriation_only`), each with its place;
/// `None` for a column that is no fund.
fn class_lines(
    b: &Bureau,
    code: &str,
    col: &str,
    appropriation_only: bool,
) -> Option<Vec<Operand>> {
    let funds = b.appropriation.funds();
    let all = matches!(col, "" | "total");
    if !all && !funds.iter().any(|(id, ..)| *id == col) {
        return None;
    }
    let mut out: Vec<Operand> = funds
        .iter()
        .filter(|(id, ..)| all || *id == col)
        .flat_map(|(_, _, f)| &f.items)
        .filter(|x| x.code.value.starts_with(code) && !x.actual().0.is_zero())
        .map(|x| Operand {
            label: format!("{} {}", x.code.value, x.name),
            value: x.actual(),
            loc: x.code.loc.clone(),
        })
        .collect();
    if !appropriation_only {
        out.extend(
            b.non_appropriation
                .iter()
                .filter(|x| x.code.value.starts_with(code))
                .map(|x| Operand {
                    label: format!("{} {}（非财政拨款）", x.code.value, x.name),
                    value: x.spending_columns().iter().map(|m| m.value).sum(),
                    loc: x.code.loc.clone(),
                })
                .filter(|o| !o.value.0.is_zero()),
        );
    }
    Some(out)
}

/// The facts behind a summary line's amount: the fact itself, the 项 of a 类, or (for a
/// total the text also prints) the figure as computed.
fn summary_inputs(
    b: &Bureau,
    key: &str,
    col: &str,
    value: Money,
    label: Option<&str>,
) -> Vec<Operand> {
    let label = label.unwrap_or(key).trim_start_matches('　');
    if let Some(code) = key.strip_prefix("appropriation.class:") {
        return class_lines(b, code, col, true).unwrap_or_default();
    }
    if let Some(code) = key.strip_prefix("class:") {
        return class_lines(b, code, col, false).unwrap_or_default();
    }
    let fact = match key {
        "income.reserve_used" => Some(&b.income.reserve_used),
        "income.opening_balance" => Some(&b.income.opening_balance),
        "spending.balance_allocation" => Some(&b.spending.balance_allocation),
        "spending.closing_balance" => Some(&b.spending.closing_balance),
        _ => key
            .strip_prefix("income.")
            .or_else(|| key.strip_prefix("appropriation.income."))
            .and_then(|k| income_field(&b.income, k)),
    };
    match fact {
        Some(a) => vec![Operand::fact(label, a)],
        None => vec![Operand::derived(label, value)],
    }
}

fn income_field<'a>(i: &'a crate::model::Income, key: &str) -> Option<&'a crate::model::Amount> {
    Some(match key {
        "general_budget" => &i.general_budget,
        "gov_fund" => &i.gov_fund,
        "state_capital" => &i.state_capital,
        "upper_grant" => &i.upper_grant,
        "service" => &i.service,
        "business" => &i.business,
        "affiliate" => &i.affiliate,
        "other" => &i.other,
        _ => return None,
    })
}

/// Per 功能分类 项 (or 经济分类 款): the name, the value of each column (`None` = not given,
/// e.g. a budget) and, per column, the facts it adds up.
type Lines = BTreeMap<String, (String, Vec<Option<Money>>, Vec<Vec<Operand>>)>;

/// One line's facts: per column, the line's value with the place of the fact behind it.
fn line_inputs(
    label: &str,
    values: &[Option<Money>],
    loc: impl Fn(usize) -> Option<crate::diagnostic::Location>,
) -> Vec<Vec<Operand>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            Some(m) if !m.0.is_zero() => vec![Operand {
                label: label.to_string(),
                value: *m,
                loc: loc(i),
            }],
            _ => Vec::new(),
        })
        .collect()
}

fn add_inputs(into: &mut [Vec<Operand>], inputs: &[Vec<Operand>]) {
    for (a, i) in into.iter_mut().zip(inputs) {
        a.extend(i.iter().cloned());
    }
}

fn function_column(item: &crate::model::FunctionItem, col: &str) -> Option<Option<Money>> {
    let zero = Some(Some(Money::default()));
    Some(Some(match col {
        "income_total" | "appropriation_income" | "income" => item.income(),
        "spending_total" | "actual" => item.actual(),
        "basic" => item.basic.value,
        "project" => item.project.value,
        "opening_balance" => item.opening_balance.value,
        "closing_balance" => item.closing_balance.value,
        "budget" => return Some(item.budget.as_ref().map(|b| b.value)),
        "upper_grant" | "service" | "business_income" | "affiliate" | "other" | "upper_remit"
        | "business_spending" | "affiliate_grant" => return zero,
        _ => return None,
    }))
}

/// Where a column's value of a 项 is typed, when it is one fact (not a sum of several).
fn function_fact<'a>(
    item: &'a crate::model::FunctionItem,
    col: &str,
) -> Option<&'a Option<crate::diagnostic::Location>> {
    Some(match col {
        "basic" => &item.basic.loc,
        "project" => &item.project.loc,
        "opening_balance" => &item.opening_balance.loc,
        "closing_balance" => &item.closing_balance.loc,
        "budget" => &item.budget.as_ref()?.loc,
        _ => return None,
    })
}

fn other_column(item: &crate::model::NonAppropriationItem, col: &str) -> Option<Option<Money>> {
    let v = match col {
        "income_total" => item.income_columns().iter().map(|a| a.value).sum(),
        "spending_total" => item.spending_columns().iter().map(|a| a.value).sum(),
        "upper_grant" => item.upper_grant.value,
        "service" => item.service.value,
        "business_income" => item.business_income.value,
        "affiliate" => item.affiliate.value,
        "other" => item.other.value,
        "basic" => item.basic.value,
        "project" => item.project.value,
        "upper_remit" => item.upper_remit.value,
        "business_spending" => item.business_spending.value,
        "affiliate_grant" => item.affiliate_grant.value,
        "appropriation_income" => Money::default(),
        _ => return None,
    };
    Some(Some(v))
}

fn add(into: &mut [Option<Money>], values: &[Option<Money>]) {
    for (a, v) in into.iter_mut().zip(values) {
        if let Some(v) = v {
            *a = Some(a.unwrap_or_default() + *v);
        }
    }
}

fn sources<'a>(b: &'a Bureau, l: &TableLayout) -> Result<Vec<&'a Fund>, Diagnostics> {
    let a = &b.appropriation;
    Ok(match l.source.as_deref() {
        Some("all" | "appropriation") => vec![&a.general_budget, &a.gov_fund, &a.state_capital],
        Some("general_budget") => vec![&a.general_budget],
        Some("gov_fund") => vec![&a.gov_fund],
        Some("state_capital") => vec![&a.state_capital],
        other => {
            return Err(layout_error(format!(
                "表 `{}` 的资金范围 `{}` 未知",
                l.id,
                other.unwrap_or("")
            )));
        }
    })
}

const FUNCTION_COLUMNS: &[&str] = &[
    "income_total",
    "appropriation_income",
    "upper_grant",
    "service",
    "business_income",
    "affiliate",
    "other",
    "spending_total",
    "actual",
    "basic",
    "project",
    "upper_remit",
    "business_spending",
    "affiliate_grant",
    "budget",
    "opening_balance",
    "income",
    "closing_balance",
];

const ECONOMIC_COLUMNS: &[&str] = &["total", "basic", "personnel", "operating", "project"];

/// Every column the layout names must be one this module knows, whether or not the bureau has
/// lines to fill it with: a misspelt column is a layout error even on an empty table.
fn known_columns(l: &TableLayout, known: &[&str]) -> Result<(), Diagnostics> {
    match l.columns.iter().find(|c| !known.contains(&c.as_str())) {
        Some(c) => Err(layout_error(format!("表 `{}` 的列 `{c}` 未知", l.id))),
        None => Ok(()),
    }
}

/// The 合计 row of a function table prints the totals the text prints where there is one: the
/// source's own total when declared within the 尾差 of its parts (`Totals::of`), so a table and
/// the 说明 never state two figures for one total.
fn official_totals(rows: &mut [RowDoc], b: &Bureau, t: &Totals, l: &TableLayout) {
    let Some(row) = rows.iter_mut().find(|r| r.kind == "total") else {
        return;
    };
    for (cell, col) in row.cells.iter_mut().skip(2).zip(&l.columns) {
        let official = match (l.source.as_deref(), col.as_str()) {
            (Some("all"), "income_total") => t.income,
            (Some("all"), "spending_total") => t.spending,
            (Some("all"), "appropriation_income") => t.appropriation_income,
            (Some("all"), "basic") => b.spending.basic.value,
            (Some("all"), "project") => b.spending.project.value,
            (Some("general_budget"), "actual") => t.general_budget,
            (Some("general_budget"), "basic") => t.general_budget_basic,
            (Some("general_budget"), "project") => t.general_budget_project,
            (Some("general_budget"), "budget") => t.general_budget_budget,
            _ => continue,
        };
        if let Some(sum) = cell.amount.filter(|m| *m != official) {
            cell.amount = Some(official);
            cell.text = money_text_fixed(official);
            cell.formula = Some(format!(
                "来源表所印合计（declared，与文中同一数），下列各数之和为 {}，尾差 {}",
                money_text_fixed(sum),
                (official - sum).0.normalize()
            ));
        }
    }
}

/// 按功能分类 类/款/项 列行的表。
fn function(b: &Bureau, t: &Totals, l: &TableLayout) -> Result<Built, Diagnostics> {
    known_columns(l, FUNCTION_COLUMNS)?;
    let unknown = |col: &str| layout_error(format!("表 `{}` 的列 `{col}` 未知", l.id));
    let mut lines: Lines = BTreeMap::new();
    let n = l.columns.len();
    // One line per 项 code, summed over every source that has it.
    let mut merge = |code: &str,
                     name: &str,
                     value: &dyn Fn(&str) -> Option<Option<Money>>,
                     loc: &dyn Fn(&str) -> Option<crate::diagnostic::Location>|
     -> Result<(), Diagnostics> {
        let values = l
            .columns
            .iter()
            .map(|c| value(c).ok_or_else(|| unknown(c)))
            .collect::<Result<Vec<_>, _>>()?;
        let inputs = line_inputs(&format!("{code} {name}"), &values, |i| loc(&l.columns[i]));
        let entry = lines
            .entry(code.to_string())
            .or_insert_with(|| (name.to_string(), vec![None; n], vec![Vec::new(); n]));
        add(&mut entry.1, &values);
        add_inputs(&mut entry.2, &inputs);
        Ok(())
    };
    for fund in sources(b, l)? {
        for item in &fund.items {
            merge(
                &item.code.value,
                &item.name,
                &|c| function_column(item, c),
                &|c| function_fact(item, c).unwrap_or(&item.code.loc).clone(),
            )?;
        }
    }
    if l.source.as_deref() == Some("all") {
        for item in &b.non_appropriation {
            merge(
                &item.code.value,
                &item.name,
                &|c| other_column(item, c),
                &|_| item.code.loc.clone(),
            )?;
        }
    }
    let name_of = |code: &str| {
        b.catalog
            .get(code)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    // A table of one fund prints the 类/款 totals (一般公共预算: `declared_subtotals`) and the
    // 项 totals (`declared_total`) its source printed, in its 合计 column; any row's other
    // columns as the table printed them (`[[declared_rows]]`).
    let fund = sources(b, l)?;
    let table = row_table(l);
    let declared = |code: &str, col: &str| -> Option<&Amount> {
        if let Some(table) = table
            && let Some(column) = row_column(table, col)
            && let Some(declared) = b.declared_cell(table, code, column)
        {
            return Some(declared);
        }
        if col != "actual" || fund.len() != 1 {
            return None;
        }
        if code.len() == 7 {
            let item = fund[0].items.iter().find(|i| i.code.value == code)?;
            return item.declared_total.as_ref();
        }
        if std::ptr::eq(fund[0], &b.appropriation.general_budget) {
            return declared_of(&b.general_budget.declared_subtotals, code);
        }
        None
    };
    // 项 with a budget and no spending are not listed, yet their 预算数 is in the 类, 款 and
    // 合计 rows above them.
    let mut hidden: Lines = BTreeMap::new();
    if let Some(budget) = l.columns.iter().position(|c| c == "budget") {
        for fund in sources(b, l)? {
            for i in &fund.unlisted {
                let Some(bu) = &i.budget else { continue };
                let entry = hidden
                    .entry(i.code.value.clone())
                    .or_insert_with(|| (i.name.clone(), vec![None; n], vec![Vec::new(); n]));
                let mut values = vec![None; n];
                values[budget] = Some(bu.value);
                add(&mut entry.1, &values);
                entry.2[budget].push(Operand::fact(
                    format!("{} {}（无支出，不列示）", i.code.value, i.name),
                    bu,
                ));
            }
        }
    }
    let mut built = hierarchy(b, l, (&lines, &hidden), &[3, 5], name_of, &declared);
    official_totals(&mut built.0, b, t, l);
    Ok(built)
}

/// Rows 合计, then each heading level (`prefixes` long) and the lines, in code order; the
/// 合计 row last when the layout says so. A table with no amount has no rows, or keeps its
/// 合计 row and blank rows.
/// `hidden` lines are not listed but add into the rows above them (budget lines without
/// spending).
fn hierarchy<'b>(
    b: &Bureau,
    l: &TableLayout,
    (lines, hidden): (&Lines, &Lines),
    prefixes: &[usize],
    name_of: impl Fn(&str) -> String,
    declared: &dyn Fn(&str, &str) -> Option<&'b Amount>,
) -> Built {
    let n = l.columns.len();
    let mut total = vec![None; n];
    let mut total_inputs = vec![Vec::new(); n];
    for (_, values, inputs) in lines.values().chain(hidden.values()) {
        add(&mut total, values);
        add_inputs(&mut total_inputs, inputs);
    }
    let column_cells = |prefix: &str, values: Vec<Option<Money>>, inputs: Vec<Vec<Operand>>| {
        values
            .into_iter()
            .zip(inputs)
            .zip(&l.columns)
            .map(|((v, i), col)| {
                opt_cell(v)
                    .with_facts(format!("{prefix}.{col}"), i)
                    .printed_as(b, declared(prefix, col))
            })
            .collect::<Vec<_>>()
    };
    let empty = total.iter().all(|v| v.is_none_or(|m| m.0.is_zero()));
    let mut rows = Vec::new();
    let mut cells = if l.total_row.span {
        vec![
            TableCell::spanning(&l.total_row.label, 2),
            TableCell::covered(),
        ]
    } else {
        vec![TableCell::default(), l.total_row.label.clone().into()]
    };
    cells.extend(
        total
            .iter()
            .zip(total_inputs)
            .zip(&l.columns)
            .map(|((v, i), col)| {
                v.map(fixed)
                    .unwrap_or_default()
                    .with_facts(format!("total.{col}"), i)
                    .printed_as(b, declared(crate::model::TOTAL_ROW, col))
            }),
    );
    let total_row = RowDoc {
        kind: "total",
        cells,
    };
    let mut open: Vec<String> = Vec::new();
    for (code, (name, values, inputs)) in lines {
        for (depth, &len) in prefixes.iter().enumerate() {
            let Some(prefix) = code.get(..len) else {
                continue;
            };
            if open.get(depth).map(String::as_str) == Some(prefix) {
                continue;
            }
            open.truncate(depth);
            open.push(prefix.to_string());
            let mut sum = vec![None; n];
            let mut sum_inputs = vec![Vec::new(); n];
            for (_, v, i) in [lines, hidden].into_iter().flat_map(|ls| {
                ls.range(prefix.to_string()..)
                    .take_while(|(c, _)| c.starts_with(prefix))
                    .map(|(_, v)| v)
            }) {
                add(&mut sum, v);
                add_inputs(&mut sum_inputs, i);
            }
            let mut cells = vec![prefix.to_string().into(), name_of(prefix).into()];
            cells.extend(column_cells(prefix, sum, sum_inputs));
            rows.push(RowDoc {
                kind: if depth == 0 { "class" } else { "section" },
                cells,
            });
        }
        let mut cells = vec![code.clone().into(), name.clone().into()];
        cells.extend(column_cells(code, values.clone(), inputs.clone()));
        rows.push(RowDoc {
            kind: "item",
            cells,
        });
    }
    if empty {
        rows.clear();
        if l.keep_empty {
            rows.extend((0..l.blank_rows).map(|_| RowDoc {
                kind: "blank",
                cells: vec![TableCell::default(); n + 2],
            }));
        }
    }
    if !empty || l.keep_empty {
        match l.total_row.position {
            Position::Top => rows.insert(0, total_row),
            Position::Bottom => rows.push(total_row),
        }
    }
    let mut aligns = vec!["left", "left"];
    aligns.extend(std::iter::repeat_n("right", n));
    (rows, aligns, empty)
}

fn economic_lines(b: &Bureau, l: &TableLayout) -> Result<Lines, Diagnostics> {
    known_columns(l, ECONOMIC_COLUMNS)?;
    let n = l.columns.len();
    let mut lines: Lines = BTreeMap::new();
    for fund in sources(b, l)? {
        for e in &fund.economic {
            let values = l
                .columns
                .iter()
                .map(|c| {
                    Ok(Some(match c.as_str() {
                        "total" => e.actual(),
                        "basic" => e.basic.value,
                        "project" => e.project.value,
                        "personnel" if e.group == Group::Personnel => e.basic.value,
                        "operating" if e.group == Group::Operating => e.basic.value,
                        "personnel" | "operating" => Money::default(),
                        other => {
                            return Err(layout_error(format!("表 `{}` 的列 `{other}` 未知", l.id)));
                        }
                    }))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if values.iter().all(|v| v.is_none_or(|m| m.0.is_zero())) {
                continue;
            }
            let inputs = line_inputs(
                &format!("{} {}", e.code.value, e.name),
                &values,
                |i| match l.columns[i].as_str() {
                    "project" => e.project.loc.clone(),
                    "total" => e.code.loc.clone(),
                    _ => e.basic.loc.clone(),
                },
            );
            let entry = lines
                .entry(e.code.value.clone())
                .or_insert_with(|| (e.name.clone(), vec![None; n], vec![Vec::new(); n]));
            add(&mut entry.1, &values);
            add_inputs(&mut entry.2, &inputs);
        }
    }
    Ok(lines)
}

/// 按经济分类 类/款 列行的表。
fn economic(b: &Bureau, l: &TableLayout) -> Result<Built, Diagnostics> {
    let lines = economic_lines(b, l)?;
    let name_of = |code: &str| {
        b.catalog
            .economic(code)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    // The 一般公共预算 经济分类 类 totals as printed (`declared_economic_subtotals`), and each
    // table's own 类 and 合计 rows by column (`[[declared_rows]]`).
    let table = economic_row_table(l);
    let funds = sources(b, l)?;
    let declared = |code: &str, col: &str| -> Option<&Amount> {
        let table = table?;
        // A 类 is wholly 人员经费 or 公用经费: its 小计 in that column is its 基本支出 as printed.
        let group = |g: Group| {
            funds
                .iter()
                .flat_map(|f| &f.economic)
                .any(|e| e.group == g && e.code.value.starts_with(code))
        };
        let column = match col {
            "total" => RowColumn::Total,
            "basic" => RowColumn::Basic,
            "personnel" if code.len() == 3 && group(Group::Personnel) => RowColumn::Basic,
            "operating" if code.len() == 3 && group(Group::Operating) => RowColumn::Basic,
            "project" => RowColumn::Project,
            _ => return None,
        };
        if table == RowTable::GeneralBudgetEconomic && column == RowColumn::Total {
            return declared_of(&b.general_budget.declared_economic_subtotals, code);
        }
        b.declared_cell(table, code, column)
    };
    let hidden = Lines::new();
    Ok(hierarchy(b, l, (&lines, &hidden), &[3], name_of, &declared))
}

/// 基本支出决算明细表：人员经费 | 公用经费 two panels of 类/款 rows, then each panel's total.
///
/// Without `fixed_rows` a panel lists the 类 and 款 that have an amount; with them, the listed
/// codes whatever their amounts, and after them any other code that has one (so no amount is
/// ever left out of a panel whose total includes it).
fn panels(b: &Bureau, t: &Totals, l: &TableLayout) -> Result<Built, Diagnostics> {
    let [personnel_label, operating_label] = l.panel_totals.as_slice() else {
        return Err(layout_error(format!(
            "表 `{}` 须用 panel_totals 写出两栏合计的名称",
            l.id
        )));
    };
    let mut by_code: BTreeMap<&str, (&str, Money, Group)> = BTreeMap::new();
    let mut facts: BTreeMap<&str, Vec<Operand>> = BTreeMap::new();
    for fund in sources(b, l)? {
        for e in fund.economic.iter().filter(|e| !e.basic.value.0.is_zero()) {
            let entry =
                by_code
                    .entry(&e.code.value)
                    .or_insert((&e.name, Money::default(), e.group));
            entry.1 = entry.1 + e.basic.value;
            facts.entry(&e.code.value).or_default().push(Operand::fact(
                format!("{} {}", e.code.value, e.name),
                &e.basic,
            ));
        }
    }
    let mut totals = [Money::default(); 2];
    let mut total_facts: [Vec<Operand>; 2] = [Vec::new(), Vec::new()];
    for (code, (_, amount, group)) in &by_code {
        let side = usize::from(*group == Group::Operating);
        totals[side] = totals[side] + *amount;
        total_facts[side].extend(facts.get(code).into_iter().flatten().cloned());
    }
    // The 一般公共预算 人员经费 and 公用经费 print as the text does: the source's own totals
    // when declared within the 尾差 (see `Totals::of`).
    if l.source.as_deref() == Some("general_budget") {
        totals = [t.personnel, t.operating];
    }
    // A 类 of the 一般公共预算 prints its declared 经济分类 类 total (basic + project) when the
    // class has no 项目支出, so that total is its 基本支出.
    let general = l.source.as_deref() == Some("general_budget");
    let declared_class = |code: &str| -> Option<&Amount> {
        let no_project = || {
            b.appropriation
                .general_budget
                .economic
                .iter()
                .filter(|e| e.code.value.starts_with(code))
                .all(|e| e.project.value.0.is_zero())
        };
        if !general {
            return None;
        }
        // The table's own 类 row (`[[declared_rows]]`), else the class's total when it is all
        // 基本支出.
        b.declared_cell(RowTable::GeneralBudgetBasic, code, RowColumn::Basic)
            .or_else(|| {
                (code.len() == 3 && no_project())
                    .then(|| declared_of(&b.general_budget.declared_economic_subtotals, code))
                    .flatten()
            })
    };
    let facts_of = |prefix: &str| -> Vec<Operand> {
        facts
            .iter()
            .filter(|(c, _)| c.starts_with(prefix))
            .flat_map(|(_, f)| f.iter().cloned())
            .collect()
    };
    let name_of = |code: &str| {
        b.catalog
            .economic(code)
            .map(|c| c.name.clone())
            .or_else(|| by_code.get(code).map(|v| v.0.to_string()))
            .unwrap_or_default()
    };
    let sum_of = |prefix: &str| -> Money {
        by_code
            .iter()
            .filter(|(c, _)| c.starts_with(prefix))
            .map(|(_, v)| v.1)
            .sum()
    };
    // Each panel's codes, in print order.
    let mut codes: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    if let Some(fixed) = &l.fixed_rows {
        codes = [fixed.left.clone(), fixed.right.clone()];
    }
    for (code, (_, _, group)) in &by_code {
        let side = usize::from(*group == Group::Operating);
        let class = code.get(..3).unwrap_or(code);
        for c in [class, code] {
            if !codes.iter().flatten().any(|x| x == c) {
                codes[side].push(c.to_string());
            }
        }
    }
    if l.fixed_rows.is_none() {
        for panel in &mut codes {
            panel.sort();
        }
    }
    let panels: Vec<Vec<[TableCell; 3]>> = codes
        .iter()
        .map(|panel| {
            panel
                .iter()
                .map(|code| {
                    let amount = if code.len() == 3 {
                        sum_of(code)
                    } else {
                        by_code.get(code.as_str()).map(|v| v.1).unwrap_or_default()
                    };
                    [
                        code.clone().into(),
                        name_of(code).into(),
                        cell(amount)
                            .with_facts(code.clone(), facts_of(code))
                            .printed_as(b, declared_class(code)),
                    ]
                })
                .collect()
        })
        .collect();
    let empty = totals.iter().all(|t| t.0.is_zero());
    let mut rows = Vec::new();
    if !empty || l.keep_empty {
        let height = panels[0].len().max(panels[1].len());
        for i in 0..height {
            let mut cells = Vec::new();
            for p in &panels {
                match p.get(i) {
                    Some(c) => cells.extend(c.iter().cloned()),
                    None => cells.extend(std::iter::repeat_n(TableCell::default(), 3)),
                }
            }
            let kind = if panels
                .iter()
                .any(|p| p.get(i).is_some_and(|c| c[0].text.len() == 3))
            {
                "class"
            } else {
                "item"
            };
            rows.push(RowDoc { kind, cells });
        }
        let mut cells = Vec::new();
        for ((label, total), (id, facts)) in [personnel_label, operating_label]
            .into_iter()
            .zip(totals)
            .zip(
                ["personnel_total", "operating_total"]
                    .into_iter()
                    .zip(total_facts),
            )
        {
            if l.total_row.span {
                cells.extend([TableCell::spanning(label, 2), TableCell::covered()]);
            } else {
                cells.extend([TableCell::default(), label.clone().into()]);
            }
            cells.push(fixed(total).with_facts(id.to_string(), facts));
        }
        rows.push(RowDoc {
            kind: "total",
            cells,
        });
    }
    let aligns = vec!["left", "left", "right", "left", "left", "right"];
    Ok((rows, aligns, empty))
}

/// 财政拨款“三公”经费支出决算表：one row of 预算数 and 决算数.
fn three_public(b: &Bureau, t: &Totals, l: &TableLayout) -> Result<Built, Diagnostics> {
    let tp = &b.three_public;
    let v = &tp.vehicle;
    let mut cells = Vec::new();
    let mut all_zero = true;
    let facts = |amounts: &[(&str, &crate::model::Amount)]| -> Vec<Operand> {
        amounts
            .iter()
            .filter(|(_, a)| !a.value.0.is_zero())
            .map(|(label, a)| Operand::fact(*label, a))
            .collect()
    };
    let purchases: Vec<(&str, &crate::model::Amount)> = v
        .purchases
        .iter()
        .map(|p| ("公务用车购置", &p.amount))
        .collect();
    for col in &l.columns {
        let inputs = match col.as_str() {
            "budget.overseas" => facts(&[("因公出国（境）费预算", &tp.overseas.budget)]),
            "budget.vehicle_purchase" => facts(&[("公务用车购置费预算", &v.purchase_budget)]),
            "budget.vehicle_running" => facts(&[("公务用车运行维护费预算", &v.running_budget)]),
            "budget.reception" => facts(&[("公务接待费预算", &tp.reception.budget)]),
            "budget.vehicle" => facts(&[
                ("公务用车购置费预算", &v.purchase_budget),
                ("公务用车运行维护费预算", &v.running_budget),
            ]),
            "actual.overseas" => facts(&[("因公出国（境）费", &tp.overseas.actual)]),
            "actual.vehicle_purchase" => facts(&purchases),
            "actual.vehicle_running" => facts(&[("公务用车运行维护费", &v.running_actual)]),
            _ => Vec::new(),
        };
        let value = match col.as_str() {
            "budget.total" => t.three_public_budget,
            "budget.overseas" => tp.overseas.budget.value,
            "budget.vehicle" => t.vehicle_budget,
            "budget.vehicle_purchase" => v.purchase_budget.value,
            "budget.vehicle_running" => v.running_budget.value,
            "budget.reception" => tp.reception.budget.value,
            "actual.total" => t.three_public_actual,
            "actual.overseas" => tp.overseas.actual.value,
            "actual.vehicle" => t.vehicle_actual,
            "actual.vehicle_purchase" => v.purchase_actual(),
            "actual.vehicle_running" => v.running_actual.value,
            "actual.reception" => t.reception_actual,
            other => {
                return Err(layout_error(format!("表 `{}` 的列 `{other}` 未知", l.id)));
            }
        };
        all_zero &= value.0.is_zero();
        let inputs = if inputs.is_empty() && !value.0.is_zero() {
            vec![Operand::derived(format!("“三公”经费 {col}"), value)]
        } else {
            inputs
        };
        cells.push(fixed(value).with_facts(col.clone(), inputs));
    }
    let aligns = vec!["right"; l.columns.len()];
    if all_zero && !l.keep_empty {
        return Ok((Vec::new(), aligns, true));
    }
    Ok((
        vec![RowDoc {
            kind: "line",
            cells,
        }],
        aligns,
        all_zero,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, colspan: usize, rowspan: usize) -> HeadCell {
        HeadCell {
            text: text.to_string(),
            colspan,
            rowspan,
        }
    }

    #[test]
    fn leaf_labels_follow_spans() {
        let header = vec![
            vec![
                cell("项目", 2, 1),
                cell("合计", 1, 2),
                cell("基本支出", 2, 1),
            ],
            vec![
                cell("科目编码", 1, 1),
                cell("科目名称", 1, 1),
                cell("人员经费", 1, 1),
                cell("公用经费", 1, 1),
            ],
        ];
        assert_eq!(
            leaf_labels(&header, 5).unwrap(),
            [
                "项目·科目编码",
                "项目·科目名称",
                "合计",
                "基本支出·人员经费",
                "基本支出·公用经费"
            ]
        );
        assert!(
            leaf_labels(&header, 6).is_none(),
            "a column no header covers"
        );
        assert!(
            leaf_labels(&header, 4).is_none(),
            "a header wider than the table"
        );
    }
}

#[cfg(test)]
mod number_style_tests {
    use super::*;
    use crate::form::{NumberStyle, ZeroCells};

    fn row(amounts: &[&str]) -> Vec<RowDoc> {
        vec![RowDoc {
            kind: "total",
            cells: amounts
                .iter()
                .map(|a| {
                    let m = Money(a.parse().unwrap());
                    TableCell::amount(m, money_text_fixed(m))
                })
                .chain(std::iter::once(TableCell::from("2010601".to_string())))
                .collect(),
        }]
    }

    fn texts(rows: &[RowDoc]) -> Vec<&str> {
        rows[0].cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn zero_cells_and_separators_follow_the_form() {
        let amounts = ["0", "0.004", "999.995", "1234567.5", "-2500.5"];
        let mut rows = row(&amounts);
        number_style(&mut rows, &NumberStyle::default());
        assert_eq!(
            texts(&rows),
            [
                "0.00",
                "0.00",
                "1000.00",
                "1234567.50",
                "-2500.50",
                "2010601"
            ],
            "as laid out: 0.00 kept, no separators, codes untouched"
        );
        let shanghai = NumberStyle {
            separators_in_tables: true,
            zero_in_tables: ZeroCells::Blank,
            ..NumberStyle::default()
        };
        let mut rows = row(&amounts);
        number_style(&mut rows, &shanghai);
        assert_eq!(
            texts(&rows),
            [
                "",
                "0.00",
                "1,000.00",
                "1,234,567.50",
                "-2,500.50",
                "2010601"
            ],
            "a 0 blank (an amount printing 0.00 is not 0), separators, codes untouched"
        );
    }
}

#[cfg(test)]
mod prints_tests {
    use super::*;

    #[test]
    fn the_sichuan_set_prints_project_economics_and_the_central_set_does_not() {
        let l = TableLayouts::builtin();
        assert!(l.prints("sichuan", 2023, None, Shape::Economic, "project", None));
        assert!(!l.prints("central", 2023, None, Shape::Economic, "project", None));
        assert!(l.prints(
            "central",
            2023,
            None,
            Shape::Function,
            "closing_balance",
            Some("gov_fund")
        ));
        assert!(!l.prints(
            "central",
            2023,
            None,
            Shape::Function,
            "closing_balance",
            Some("general_budget")
        ));
    }
}
