//! 工作簿版式：每张工作表对应模型的哪一部分，每一列（或每一行）对应哪个 TOML 键。
//!
//! One table drives reading (`read.rs`), writing (`write.rs`) and the 说明 sheet, so the workbook
//! and the TOML can never drift apart. The key–value sheets (项目 | 值 | 说明) are the groups of
//! scalar facts declared in [`crate::schema::scalars`], the row sheets the list facts declared in
//! [`crate::schema::lists`]; this table orders them and says what each sheet is for.
//! Keys use the same vocabulary as the TOML (`income.general_budget`); headers and choices are
//! Chinese.

pub use crate::schema::lists::Target;
use crate::schema::lists::{self, List};
use crate::schema::scalars;
pub use crate::schema::{Field, Kind};

#[derive(Clone, Copy, Debug)]
pub enum Layout {
    /// 项目 | 值 | 说明: one row per fact.
    KeyValue(&'static [Field]),
    /// A header row, then one row per record.
    Rows {
        target: Target,
        columns: &'static [Field],
    },
}

#[derive(Clone, Copy, Debug)]
pub struct Sheet {
    pub name: &'static str,
    pub about: &'static str,
    pub layout: Layout,
}

/// Sheets a template of an earlier version does not have (read as empty there), with the
/// version that added them.
pub const ADDED_SHEETS: &[(&str, u32)] = &[
    ("总表类合计", 3),
    ("财政拨款类合计", 3),
    ("经济分类类合计", 3),
    ("人员概况", 4),
    ("单位构成", 5),
    ("职能引言", 6),
    ("机构设置", 6),
    ("分列合计", 9),
];

/// The name that, in the 项目名称 column of the indicator sheets, means the department as a whole.
pub const DEPARTMENT: &str = "部门整体";

/// A row sheet: the list's columns and where its rows go.
const fn rows(list: &'static List) -> Layout {
    Layout::Rows {
        target: list.target,
        columns: list.columns,
    }
}

pub const SHEETS: &[Sheet] = &[
    Sheet {
        name: scalars::BUREAU.sheet,
        about: "单位名称、年度、表式与机构设置。",
        layout: Layout::KeyValue(scalars::BUREAU.fields),
    },
    Sheet {
        name: lists::DUTIES_PREAMBLE.sheet,
        about: "主要职能前的引言（如“第一条 根据……制定本规定。”）：一行一段，印在编号的职责之前；没有可不填。",
        layout: rows(&lists::DUTIES_PREAMBLE),
    },
    Sheet {
        name: lists::DUTIES.sheet,
        about: "部门职责：一行一条，按顺序编号。",
        layout: rows(&lists::DUTIES),
    },
    Sheet {
        name: lists::UNITS.sheet,
        about: "部门决算单位构成（上海格式）：一行一个单位，第一行为本级；序号由程序编。",
        layout: rows(&lists::UNITS),
    },
    Sheet {
        name: lists::SETUP.sheet,
        about: "机构设置（上海格式）：只有一个单位的部门以此代替单位构成表，一行一段。",
        layout: rows(&lists::SETUP),
    },
    Sheet {
        name: lists::KEY_TASKS.sheet,
        about: "重点工作任务：一行一段；同一标题的连续各行是同一项任务（标题单元格可合并）。",
        layout: rows(&lists::KEY_TASKS),
    },
    Sheet {
        name: scalars::PRIOR_YEAR.sheet,
        about: "上年（决算年度前一年）数与变动原因。",
        layout: Layout::KeyValue(scalars::PRIOR_YEAR.fields),
    },
    Sheet {
        name: scalars::INCOME.sheet,
        about: "本年收入（公开01表收入方）。合计由程序计算；来源表印着的合计填在“核对”行，只用来核对。",
        layout: Layout::KeyValue(scalars::INCOME.fields),
    },
    Sheet {
        name: scalars::SPENDING.sheet,
        about: "本年支出按性质（公开01表支出方）。",
        layout: Layout::KeyValue(scalars::SPENDING.fields),
    },
    Sheet {
        name: scalars::APPROPRIATION.sheet,
        about: "三项财政拨款的年初、年末结转和结余，及来源表所印合计（仅核对）。",
        layout: Layout::KeyValue(scalars::APPROPRIATION.fields),
    },
    Sheet {
        name: lists::FUNCTION_ITEMS.sheet,
        about: "财政拨款按支出功能分类“项”（7 位编码）：一行一项。科目名称可不填（按科目表）。",
        layout: rows(&lists::FUNCTION_ITEMS),
    },
    Sheet {
        name: lists::ECONOMIC_ITEMS.sheet,
        about: "财政拨款按经济分类“款”（5 位编码）：一行一款；人员经费、公用经费由程序归集。",
        layout: rows(&lists::ECONOMIC_ITEMS),
    },
    Sheet {
        name: lists::NON_APPROPRIATION_ITEMS.sheet,
        about: "上级补助、事业、经营、附属单位上缴、其他收入及其支出，按功能分类“项”。",
        layout: rows(&lists::NON_APPROPRIATION_ITEMS),
    },
    Sheet {
        name: lists::DECLARED_SUBTOTALS.sheet,
        about: "来源表所印一般公共预算财政拨款的类、款合计，仅核对（可不填）。",
        layout: rows(&lists::DECLARED_SUBTOTALS),
    },
    Sheet {
        name: lists::SPENDING_DECLARED_CLASSES.sheet,
        about: "收入支出决算总表所印支出方各“类”的合计（全部资金），仅核对（可不填）。",
        layout: rows(&lists::SPENDING_DECLARED_CLASSES),
    },
    Sheet {
        name: lists::APPROPRIATION_DECLARED_CLASSES.sheet,
        about: "财政拨款收入支出决算总表所印支出方各“类”的合计，仅核对（可不填）。",
        layout: rows(&lists::APPROPRIATION_DECLARED_CLASSES),
    },
    Sheet {
        name: lists::DECLARED_ECONOMIC_SUBTOTALS.sheet,
        about: "一般公共预算财政拨款按经济分类所印各“类”的合计（如 301 工资福利支出），仅核对（可不填）。",
        layout: rows(&lists::DECLARED_ECONOMIC_SUBTOTALS),
    },
    Sheet {
        name: lists::DECLARED_ROWS.sheet,
        about: "公开表所印类、款、项行的分列数（如某类的基本支出、项目支出，某项资金列），一行是一张表的一行；与其下各项之和相差在尾差之内时照印，仅核对（可不填）。",
        layout: rows(&lists::DECLARED_ROWS),
    },
    Sheet {
        name: scalars::THREE_PUBLIC.sheet,
        about: "财政拨款“三公”经费的预算数、决算数、上年数和次数人数。合计由程序计算。",
        layout: Layout::KeyValue(scalars::THREE_PUBLIC.fields),
    },
    Sheet {
        name: lists::VEHICLE_PURCHASES.sheet,
        about: "本年购置的公务用车：一行一种车型。",
        layout: rows(&lists::VEHICLE_PURCHASES),
    },
    Sheet {
        name: lists::VEHICLE_FLEET.sheet,
        about: "截至年末的公务用车保有量：一行一种车型。",
        layout: rows(&lists::VEHICLE_FLEET),
    },
    Sheet {
        name: scalars::OTHER.sheet,
        about: "机关运行经费、政府采购、国有资产。",
        layout: Layout::KeyValue(scalars::OTHER.fields),
    },
    Sheet {
        name: lists::VEHICLES.sheet,
        about: "截至年末的车辆：一行一种用途。",
        layout: rows(&lists::VEHICLES),
    },
    Sheet {
        name: scalars::DEPARTMENT_PERFORMANCE.sheet,
        about: "绩效自评表的版式与部门整体绩效自评。部门整体的指标写在“绩效指标”表，项目名称填“部门整体”。",
        layout: Layout::KeyValue(scalars::DEPARTMENT_PERFORMANCE.fields),
    },
    Sheet {
        name: lists::STAFF.sheet,
        about: "部门整体绩效评价报告的人员概况：一行一类人员；合计由程序相加。",
        layout: rows(&lists::STAFF),
    },
    Sheet {
        name: lists::PROJECTS.sheet,
        about: "项目支出绩效：一行一个项目。有指标的项目，得分由程序计算。",
        layout: rows(&lists::PROJECTS),
    },
    Sheet {
        name: lists::LEVEL_WEIGHTS.sheet,
        about: "来源表所印的一级、二级指标分值（仅核对）：其下各指标分值之和须相等。",
        layout: rows(&lists::LEVEL_WEIGHTS),
    },
    Sheet {
        name: lists::INDICATORS.sheet,
        about: "项目绩效指标：一行一个三级指标。",
        layout: rows(&lists::INDICATORS),
    },
    Sheet {
        name: lists::WORKLOADS.sheet,
        about: "工作量：本年数与上年数，组成项用“、”分隔。",
        layout: rows(&lists::WORKLOADS),
    },
    Sheet {
        name: lists::PAYMENTS.sheet,
        about: "项目的支付明细表：一行一个经济科目。使用比例、合计由程序计算。",
        layout: rows(&lists::PAYMENTS),
    },
    Sheet {
        name: lists::SECTIONS.sheet,
        about: "叙述式自评报告的章节：一行一段；同一项目、同一标题的连续各行是同一章节。",
        layout: rows(&lists::SECTIONS),
    },
    Sheet {
        name: lists::CATALOG.sheet,
        about: "本单位用到、随附科目表没有的功能分类科目。",
        layout: rows(&lists::CATALOG),
    },
];

/// The header of the 项目 | 值 | 说明 sheets.
pub const KEY_VALUE_HEADER: [&str; 3] = ["项目", "值", "说明"];

/// The header of the sheet of a form's own facts (`[extra]`; its name is the form's
/// `facts_sheet`): one row per fact, its companions in their columns. Any sheet with this
/// header is read as one, whatever its name, so a workbook reads without knowing its form.
pub const EXTRA_HEADER: [&str; 6] = ["键", "名称", "本年", "上年", "预算", "说明"];

/// The `[extra]` key suffixes of the 上年 and 预算 columns of [`EXTRA_HEADER`].
pub const EXTRA_COMPANIONS: [(usize, &str); 3] = [(2, ""), (3, "_prior"), (4, "_budget")];

/// Where a fact lives in the workbook: its sheet, its header (a row sheet's column, or a
/// key–value sheet's 项目) and its column letter; for a key–value fact also its cell. For
/// messages at the cell (`工作表!B7`, “单位信息 表的 决算年度”) and for labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub sheet: String,
    pub header: String,
    pub column: String,
    /// The value's cell on a key–value sheet (`B4`); `None` on a row sheet (one row per record).
    pub cell: Option<String>,
}

/// The place of a TOML key (`bureau.year`; `general_budget.items[2010301].basic` or
/// `general_budget.items.basic` for a column of a row sheet; `extra.<key>` with `form`'s
/// declarations). `None` for a key the workbook does not carry.
pub fn place(key: &str, form: Option<&crate::form::Form>) -> Option<Place> {
    let letter = |col: usize| super::a1(0, col as u32).trim_end_matches('1').to_string();
    if let (Some(rest), Some(form)) = (key.strip_prefix("extra."), form) {
        return form.facts.iter().enumerate().find_map(|(i, d)| {
            let suffix = rest.strip_prefix(d.key.as_str())?;
            let (col, _) = EXTRA_COMPANIONS.iter().find(|(_, s)| *s == suffix)?;
            let row = i as u32 + 1;
            Some(Place {
                sheet: form.facts_sheet.clone(),
                header: format!("{} {}", d.label, EXTRA_HEADER[*col]),
                column: letter(*col),
                cell: Some(super::a1(row, *col as u32)),
            })
        });
    }
    // Array entries by code or name are the same column whatever the entry.
    let mut plain = String::new();
    let mut depth = 0;
    for c in key.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    for sheet in SHEETS {
        match sheet.layout {
            Layout::KeyValue(fields) => {
                if let Some(i) = fields.iter().position(|f| f.key == plain) {
                    return Some(Place {
                        sheet: sheet.name.to_string(),
                        header: fields[i].header.to_string(),
                        column: "B".to_string(),
                        cell: Some(super::a1(i as u32 + 1, 1)),
                    });
                }
            }
            Layout::Rows { target, columns } => {
                let arrays: Vec<&str> = match target {
                    Target::Array(a) | Target::Strings(a) => vec![a],
                    Target::Grouped { array, .. } => vec![array],
                    Target::Routed(routes) => routes.iter().map(|(_, a)| *a).collect(),
                    _ => Vec::new(),
                };
                for array in arrays {
                    let Some(column) = plain.strip_prefix(array).and_then(|r| r.strip_prefix('.'))
                    else {
                        continue;
                    };
                    if let Some(i) = columns.iter().position(|f| f.key == column) {
                        return Some(Place {
                            sheet: sheet.name.to_string(),
                            header: columns[i].header.to_string(),
                            column: letter(i),
                            cell: None,
                        });
                    }
                }
            }
        }
    }
    None
}

/// docs/fact-schema.md: every built-in fact with its key, kind, label, place in the workbook,
/// whether it is required and its companions, generated from [`crate::schema`] and [`SHEETS`]
/// (tests/schema.rs fails when the file is stale).
pub fn reference() -> String {
    use crate::schema::{self, NAMED, Role, Source};
    use std::fmt::Write;
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    out.push_str(
        "# 内置事实一览\n\n\
         <!-- 由 src/schema/ 与 src/workbook/schema.rs 生成，请勿手改。更新：\
         JUESUAN_UPDATE_DOCS=1 cargo test --release --test schema -->\n\n\
         每个内置事实只在 `src/schema/` 声明一次（见 docs/facts.md 第 5 节）；本表由声明生成，\
         测试保证它与程序一致。金额的单位随 `[bureau] unit`（工作簿“单位信息”表的“金额单位”），\
         至多两位小数。\n\n",
    );
    out.push_str(
        "## 1. 有名称的事实\n\n\
         表式的计算数（form.toml 的 `[[figures]]`）与模板（`extra.<名称>`）按名称取用。\
         有上年数或预算数的，不经声明即有增减与完成预算（docs/facts.md 第 3 节）。\
         “计算”指由模型从其他事实算出。\n\n\
         | 名称 | 中文 | 种类 | 本年数 | 上年数 | 预算数 | 来源表所印合计 | 变动原因 |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let source = |s: Option<Source>| match s {
        Some(Source::Key(k)) => format!("`{k}`"),
        Some(Source::Computed) => "计算".to_string(),
        None => String::new(),
    };
    for n in NAMED {
        let declared: Vec<String> = n
            .keys()
            .into_iter()
            .filter(|(r, _)| {
                matches!(
                    r,
                    Role::DeclaredValue | Role::DeclaredPrior | Role::DeclaredBudget
                )
            })
            .map(|(r, k)| format!("`{k}`（{}）", r.name()))
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            n.name,
            n.label,
            if n.kind == Kind::Int {
                "数量"
            } else {
                "金额"
            },
            source(Some(n.value)),
            source(n.prior),
            source(n.budget),
            declared.join("、"),
            n.reason.map(|k| format!("`{k}`")).unwrap_or_default()
        );
    }
    out.push_str(
        "\n## 2. 单值事实\n\n\
         一个 TOML 键一个值；工作簿中是“项目 | 值 | 说明”表的一行（值在 B 列）。\
         “所属”指它是哪个有名称的事实的哪个值。\n",
    );
    for g in schema::SCALARS {
        let _ = write!(
            out,
            "\n### {}\n\n| TOML 键 | 项目 | 单元格 | 种类 | 必填 | 所属 | 说明 |\n|---|---|---|---|---|---|---|\n",
            g.sheet
        );
        for f in g.fields {
            let at = place(f.key, None)
                .and_then(|p| p.cell.map(|c| format!("{}!{c}", p.sheet)))
                .unwrap_or_default();
            let of = schema::companion_of(f.key)
                .map(|(n, r)| format!("`{}` 的{}", n.name, r.name()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| `{}` | {} | {at} | {} | {} | {of} | {} |",
                f.key,
                cell(f.header),
                cell(&f.kind.describe()),
                if f.required { "是" } else { "" },
                cell(f.note)
            );
        }
    }
    out.push_str(
        "\n## 3. 逐行记录\n\n\
         一条记录一行的事实，在 `src/schema/lists.rs` 各声明一次：工作簿中是一张表（一行一条记录），\
         TOML 中是数组（或以编码为键的表）。列的键相对于每条记录（TOML 中写在 `[[数组]]` 之下）；\
         没有键的列是工作表自己的：决定写入哪个数组的“资金”、指明所属项目的“项目名称”、\
         表的键（编码）与它的值。旧版工作簿按位置读列，缺少末尾新增的可选列时按空读。\n",
    );
    for list in schema::LISTS {
        let target = list.target;
        let into = match target {
            Target::Array(a) => format!("每行是 `[[{a}]]` 的一条"),
            Target::Routed(routes) => {
                let list: Vec<String> = routes
                    .iter()
                    .map(|(label, a)| format!("{label} → `[[{a}]]`"))
                    .collect();
                format!("第一列决定写入哪个数组：{}", list.join("，"))
            }
            Target::Strings(a) => format!("每行是 `{a}` 的一个字符串"),
            Target::Grouped { array, .. } => {
                format!("同一标题的连续各行是 `[[{array}]]` 的一条")
            }
            Target::Map(m) => format!("每行是 `[{m}]` 中的 `编码 = 合计`"),
            Target::UnderProject { array, map } => format!(
                "第一列指明项目（`performance.projects` 的一条，或部门整体 `performance.department`），\
                 每行写入其 `{array}`{}",
                if map { "（键值表）" } else { "" }
            ),
            Target::Sections { array, .. } => format!("每行是所指项目的 `{array}` 中一节的一段"),
        };
        // What a column without a key of its own stands for.
        let own = |i: usize| match (target, i) {
            (Target::Routed(_), 0) => "（选数组）",
            (Target::UnderProject { .. } | Target::Sections { .. }, 0) => "（所属项目）",
            (Target::UnderProject { map: true, .. }, 1) | (Target::Map(_), 0) => "（表的键）",
            (Target::UnderProject { map: true, .. } | Target::Map(_), _) => "（键的值）",
            (Target::Strings(_), _) => "（数组的一项）",
            _ => "",
        };
        let _ = write!(
            out,
            "\n### {}\n\n{into}。\n\n| 列 | 表头 | 键 | 种类 | 必填 | 说明 |\n|---|---|---|---|---|---|\n",
            list.sheet
        );
        for (i, f) in list.columns.iter().enumerate() {
            let letter = super::a1(0, i as u32).trim_end_matches('1').to_string();
            let key = if f.key.is_empty() {
                own(i).to_string()
            } else {
                format!("`{}`", f.key)
            };
            let _ = writeln!(
                out,
                "| {letter} | {} | {key} | {} | {} | {} |",
                cell(f.header),
                cell(&f.kind.describe()),
                if f.required { "是" } else { "" },
                cell(f.note)
            );
        }
        // A record's fields no column carries, and the lists under it (the 绩效 record).
        if !list.toml_only().is_empty() {
            let _ = write!(
                out,
                "\n项目与部门整体（`[performance.department]`）是同一种记录：上表各列之外，记录在 TOML 中\
                 还可写下列字段——它们是“部门整体绩效”表的行（`performance.department.<键>`），本表没有列，\
                 项目只能在 TOML 中填写；反过来，上表中“部门整体绩效”表没有的列，部门整体也只能在 TOML 中填写。\n\n\
                 | 键 | 表头（部门整体绩效） | 种类 | 说明 |\n|---|---|---|---|\n"
            );
            for f in list.toml_only() {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} |",
                    f.key,
                    cell(f.header),
                    cell(&f.kind.describe()),
                    cell(f.note)
                );
            }
        }
        let children: Vec<String> = list
            .children()
            .map(|(key, l)| format!("`{key}`（{}）", l.sheet))
            .collect();
        if !children.is_empty() {
            let _ = writeln!(
                out,
                "\n记录之下的逐行记录，各按自己那张表的声明读入：{}。",
                children.join("、")
            );
        }
    }
    out.push_str(HOW_TO_ADD);
    out
}

/// The last section of the reference: what adding a built-in fact costs (checked by
/// tests/schema.rs, `a_new_scalar_fact_is_its_declaration_plus_its_use`).
const HOW_TO_ADD: &str = "\n## 4. 加一个内置事实\n\n\
单值事实（一个 TOML 键、一个值）只要两处：\n\n\
1. **声明**：在 `src/schema/scalars.rs` 它所在工作表的一组末尾加一行，如 \
`f(\"procurement.framework\", \"政府采购：框架协议\", Money, \"\")`（组末：旧工作簿按“项目”的文字读入，\
已有的行不要改名、不要挪动）。由此得出：TOML 读入（`src/input/section.rs` 按声明的种类读，带位置；\
写错的键照常报 E003）、工作簿模板中的一行及其读入、写出与 `convert`、`diff` 中的名称、诊断指向的单元格、\
账本与诊断中的说法（`schema::label`）、元/万元的核对、文字的字体覆盖检查、“三公”部分是否给出（R051），以及本表。校验后的值按键进入模型（`model::Facts`），\
不必在 `src/model/` 加字段。\n\
2. **使用**：在用到它的计算数（`src/figures/`）中按键读，放进该章交给模板的数据：\n\n\
   ```rust\n\
   const FRAMEWORK: Key<Money> = schema::money(\"procurement.framework\");\n\
   let framework = b.facts.amount(FRAMEWORK); // Option<&Amount>：没填为 None\n\
   ```\n\n\
   键没有声明、或声明的种类不是金额，编译即失败（`schema::count`、`schema::text` 同理）。\n\n\
`tests/schema.rs` 的 `a_new_scalar_fact_is_its_declaration_plus_its_use` 逐个核对这样的事实：读得进、经工作簿\
原样回来、在模型中按键可取、有说法、有 diff 名称和单元格、在本表中；并且除声明外，只有用到它的代码\
（`src/model/build.rs` 的既有字段、`src/figures/`、`src/rules/`、`src/previous.rs`、`src/import/`）写出它的键，\
读入、模型、工作簿、diff 这些中间环节一个也不写。\n\n\
逐行记录（第 3 节）的一列同样只要两处：在 `src/schema/lists.rs` 它那张表的列末加一行，即得工作簿的列（模板、读入、\
写出、`convert`）、diff 的名称、元/万元的核对、本表，以及 TOML 的读入（`src/input/section.rs` 的 `Record`，带位置；\
绩效项目与部门整体是同一种记录，其下的指标、工作量等各表也按各自的声明读入）；再在用到它的地方按键取用\
（`record.amount(\"…\")`；键没有声明或种类不符是程序错误，运行即报出）。一张新的表（不是一列）还要在 `src/input/raw.rs` 写明它在 TOML \
中的位置。\n\n\
有名称的事实（`extra.<名称>`）只要 `src/schema/named.rs` 的一条声明：本年数、上年数、预算数是输入的键时，\
由 `model::Facts` 按键取值；只有由模型计算的（合计），才在 `src/figures/extra.rs` 的 `computed_numbers` 中给出算法。\
上年数是输入的键时，`--previous` 也按这条声明把它与上年的本年数配对（未填的取用、已填的核对，`src/previous.rs`）。\n\n\
仍需手写的：`[bureau]` 按声明读入，但它的值是单位的设定（`model::Identity`，不进 `model::Facts`），\
在 `src/model/build.rs` 的 `identity` 中按键取用（取值表由声明得出）；绩效记录的既有字段（`model::ProjectEvaluation`）\
在 `src/model/build.rs` 的 `evaluation` 中逐项取用（部门整体的事实另按键进入 `model::Facts`）。\n";

/// The name of the sheet that explains the others (written, never read).
pub const GUIDE: &str = "说明";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_has_a_place() {
        let year = place("bureau.year", None).unwrap();
        assert_eq!(
            (year.sheet.as_str(), year.header.as_str()),
            ("单位信息", "决算年度")
        );
        assert_eq!(year.cell.as_deref(), Some("B4"));
        let basic = place("general_budget.items[2010301].basic", None).unwrap();
        assert_eq!(basic.cell, None);
        assert_eq!(basic, place("general_budget.items.basic", None).unwrap());
        assert!(place("no.such.key", None).is_none());
        assert!(place("extra.x", None).is_none());
    }

    /// Each row sheet is a list of `crate::schema::lists`, taken whole (no columns of its own
    /// here), and each list is a sheet.
    #[test]
    fn the_row_sheets_are_the_declared_lists() {
        let rows: Vec<(&str, &[Field])> = SHEETS
            .iter()
            .filter_map(|s| match s.layout {
                Layout::Rows { columns, .. } => Some((s.name, columns)),
                Layout::KeyValue(_) => None,
            })
            .collect();
        assert_eq!(rows.len(), crate::schema::LISTS.len());
        for ((name, columns), list) in rows.iter().zip(crate::schema::LISTS) {
            assert_eq!(*name, list.sheet);
            assert!(std::ptr::eq(*columns, list.columns), "{name}");
        }
    }
}
