//! 上年决算数（`--previous`）：本年说明里的每个上年数，都应是上年公开的决算数。
//!
//! Given last year's input, every prior-year fact this year's input leaves out is taken from last
//! year's 决算数 (the corresponding current-year figure of last year's input, as last year's
//! package printed it), located in last year's file; every one it states is checked against it
//! (R039), within the 尾差 of [`crate::money::tolerance`] when either year is in 万元 and exactly
//! when both are in 元. A difference is allowed only when `[prior_year] caliber_change` says why
//! (a change of 口径); that sentence is printed in the 说明.
//!
//! The pairs (this year's prior fact ← last year's figure) are the declarations'
//! (`src/schema/named.rs`): every named fact whose prior is an input amount pairs that key with
//! last year's value of the same fact, as its figures compute it (`figures::extra`); a named
//! fact's declared prior total (`three_public.declared_prior`) is checked against last year's
//! value. A new named fact with a prior key is filled and checked with no edit here; the
//! [`Refinement`]s only name a computed value's ledger record and place. A value last year left
//! out (absent from its figures) counts as 0, located at last year's `[bureau] name`. Besides
//! them:
//!
//! | this year                               | last year                                    |
//! |-----------------------------------------|----------------------------------------------|
//! | `[extra] <key>_prior` (the form's own)  | that fact's `<key>`                          |
//! | 工作量 `prior` (project, workload name)  | that workload's `current`                    |

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::Checked;
use crate::arith::money_text;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, codes};
use crate::figures::extra::Number;
use crate::figures::{Ledger, Operand, Record, ledger::Input};
use crate::model::Totals;
use crate::model::extra::ExtraValue;
use crate::model::{Amount, Bureau, Count, FactValue};
use crate::money::{Money, Unit};
use crate::session::Session;

/// Last year's input, read and checked, with the figures its package printed.
pub struct Previous {
    /// The file as named to the user.
    pub name: String,
    pub bureau: Bureau,
    pub ledger: Ledger,
}

/// Why last year's input could not serve.
pub enum Failure {
    /// It has errors of its own (or its figures could not be computed).
    Invalid(Box<Checked>),
    /// No such file, no match in the folder, or the wrong year.
    Message(String),
}

impl Failure {
    /// The failure as text for the terminal (diagnostics with their snippets).
    pub fn report(&self) -> String {
        match self {
            Failure::Invalid(c) => format!(
                "{}上年文件 {}：{}，无法取用上年决算数。\n",
                crate::report::human(&c.diagnostics, &c.source),
                c.source.name,
                c.diagnostics.summary()
            ),
            Failure::Message(m) => format!("{m}\n"),
        }
    }
}

/// One prior-year fact taken from last year's 决算数, for the ledger.
#[derive(Clone, Debug, Serialize)]
pub struct Filled {
    /// This year's key (`prior_year.total`, `performance.projects[名称].workloads[名称].prior`).
    pub key: String,
    pub label: String,
    /// As the ledger prints it (万元, or a count).
    pub value: String,
    /// Last year's file and the figure's name there.
    pub from: String,
    pub last_label: String,
    /// Where last year's figure is (its own fact, or its declared total), if anywhere.
    pub location: Option<String>,
    /// Last year's ledger record of the figure (formula and inputs), when it is computed.
    pub formula: Option<String>,
    pub inputs: Vec<Input>,
}

impl Filled {
    /// The ledger record `juesuan figures --previous` prints for it.
    pub fn record(&self) -> Record {
        let formula = match &self.formula {
            Some(f) => format!("取自上年决算数：{} 的{}（{f}）", self.from, self.last_label),
            None => format!("取自上年决算数：{} 的{}", self.from, self.last_label),
        };
        let inputs = if self.inputs.is_empty() {
            vec![Input {
                label: format!("上年{}", self.last_label),
                value: self.value.clone(),
                source: self.location.clone().unwrap_or_else(|| self.from.clone()),
            }]
        } else {
            self.inputs.clone()
        };
        Record {
            id: format!("previous.{}", self.key),
            value: self.value.clone(),
            formula,
            inputs,
        }
    }
}

/// What `apply` did: the findings (R039) and the facts it filled in.
#[derive(Default)]
pub struct Applied {
    pub diagnostics: Diagnostics,
    pub filled: Vec<Filled>,
}

/// The input extensions a folder is searched for.
const INPUTS: &[&str] = &["toml", "xlsx", "xlsm", "xls", "ods"];

/// Last year's input for a bureau: `path` itself when a file, else the one input in the folder
/// whose bureau name is `name` and year is `year` − 1.
pub fn resolve(path: &Path, name: &str, year: i64) -> Result<PathBuf, String> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    find_in(path, name, year - 1)
}

/// The input in `dir` (not its subfolders) for the bureau `name` and `year`.
pub fn find_in(dir: &Path, name: &str, year: i64) -> Result<PathBuf, String> {
    Index::of(dir)?.find(name, year)
}

/// The inputs of a folder by bureau name and year, each read once (a batch looks up many
/// bureaus in one folder of last year's inputs).
pub struct Index {
    dir: PathBuf,
    /// (path, bureau name, year, source) of every input that could be read, in path order.
    entries: Vec<(PathBuf, String, i64, crate::input::SourceFile)>,
}

impl Index {
    pub fn of(dir: &Path) -> Result<Index, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            format!(
                "无法读取上年文件夹 {}：{}",
                dir.display(),
                crate::diagnostic::os_error::reason(&e)
            )
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| INPUTS.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        paths.sort();
        let entries = paths
            .into_iter()
            .filter_map(|p| {
                let c = crate::check_file(&p);
                let b = c.bureau?;
                Some((
                    p,
                    b.identity.name.value.trim().to_string(),
                    b.identity.year.value,
                    c.source,
                ))
            })
            .collect();
        Ok(Index {
            dir: dir.to_path_buf(),
            entries,
        })
    }

    /// The one input of bureau `name` for `year`. A TOML and the workbook converted from it hold
    /// the same facts: either will do; two that differ are ambiguous.
    pub fn find(&self, name: &str, year: i64) -> Result<PathBuf, String> {
        let matches: Vec<&(PathBuf, String, i64, crate::input::SourceFile)> = self
            .entries
            .iter()
            .filter(|(_, n, y, _)| n == name.trim() && *y == year)
            .collect();
        let same = matches
            .windows(2)
            .all(|w| crate::diff::same_facts(&w[0].3, &w[1].3));
        match matches.as_slice() {
            [first, ..] if same => Ok(first.0.clone()),
            [] => Err(format!(
                "上年文件夹 {} 中没有“{name}”{year} 年度的输入文件（按 [bureau] 的 name 与 year 查找）",
                self.dir.display()
            )),
            many => Err(format!(
                "上年文件夹 {} 中“{name}”{year} 年度的输入文件不止一个，内容也不同：{}；请用 --previous 直接指定文件",
                self.dir.display(),
                many.iter()
                    .map(|m| m.0.display().to_string())
                    .collect::<Vec<_>>()
                    .join("、")
            )),
        }
    }
}

/// Reads and checks last year's input and computes the figures its package printed; it must be
/// of `year` − 1.
pub fn load(path: &Path, year: i64, session: &Session) -> Result<Previous, Failure> {
    let checked = session.check_file(path);
    let Some(bureau) = checked
        .bureau
        .clone()
        .filter(|_| !checked.diagnostics.has_errors())
    else {
        return Err(Failure::Invalid(Box::new(checked)));
    };
    if bureau.identity.year.value != year - 1 {
        return Err(Failure::Message(format!(
            "上年文件 {} 是 {} 年度的，本年为 {year} 年度，应为 {} 年度",
            path.display(),
            bureau.identity.year.value,
            year - 1
        )));
    }
    // Last year's package as this run prints it: the same forms, layouts and glossaries.
    let ledger = match session.figures(&bureau) {
        Ok(f) => f.ledger,
        Err(d) => {
            let mut checked = checked;
            checked.diagnostics.0.extend(d.0);
            return Err(Failure::Invalid(Box::new(checked)));
        }
    };
    Ok(Previous {
        name: checked.source.name.to_string(),
        bureau,
        ledger,
    })
}

/// Reads and checks an input with last year's (a file, or a folder searched by bureau name and
/// year): the prior-year facts left out are filled in, the ones given are checked (R039).
/// `Err` when last year's input cannot serve; the current input's own findings are then moot.
pub fn check_file(
    path: &Path,
    previous: &Path,
    session: &Session,
) -> Result<(Checked, Vec<Filled>), Failure> {
    let mut failure = None;
    let mut filled = Vec::new();
    let loaded = crate::load::input(path);
    let checked = crate::check_loaded_adjusted(loaded, session.forms(), |b| {
        let year = b.identity.year.value;
        let found = resolve(previous, &b.identity.name.value, year)
            .map_err(Failure::Message)
            .and_then(|p| load(&p, year, session));
        match found {
            Ok(prev) => {
                let applied = apply(b, &prev);
                filled = applied.filled;
                applied.diagnostics
            }
            Err(f) => {
                failure = Some(f);
                Diagnostics::default()
            }
        }
    });
    match failure {
        Some(f) => Err(f),
        None => Ok((checked, filled)),
    }
}

/// `check_file` without `--previous` when `previous` is `None`.
pub fn check_file_opt(
    path: &Path,
    previous: Option<&Path>,
    session: &Session,
) -> Result<(Checked, Vec<Filled>), Failure> {
    match previous {
        Some(p) => check_file(path, p, session),
        None => Ok((session.check_file(path), Vec::new())),
    }
}

/// How the ledger and messages name a declared fact (`crate::schema::label`).
fn label(key: &str) -> Cow<'static, str> {
    crate::schema::label(key)
        .unwrap_or_else(|| panic!("{key} is not declared in src/schema/"))
        .into()
}

/// One money pair: this year's prior fact and last year's figure.
struct Pair<'a> {
    key: Cow<'static, str>,
    label: Cow<'static, str>,
    fact: &'a mut Amount,
    last: Money,
    last_label: Cow<'static, str>,
    /// Last year's ledger id of the figure, when it is computed there.
    last_id: Option<&'static str>,
    last_loc: Option<Location>,
}

/// What a named fact's last-year figure is called and where it stands, where the declaration
/// alone does not say (a new named fact needs none: it gets [`Refinement::NONE`]).
struct Refinement {
    /// How last year's figure is named, when not by the fact's label.
    last_label: Option<&'static str>,
    /// Last year's ledger id of the computed value (its formula and inputs).
    last_id: Option<&'static str>,
    /// Where last year's figure stands when neither its own fact nor its declared total is given.
    last_loc: Option<fn(&Bureau) -> Option<Location>>,
}

impl Refinement {
    const NONE: Refinement = Refinement {
        last_label: None,
        last_id: None,
        last_loc: None,
    };

    fn of(name: &str) -> Refinement {
        let id = |id| Refinement {
            last_id: Some(id),
            ..Refinement::NONE
        };
        match name {
            "grand_total" => Refinement {
                last_label: Some("收入总计"),
                ..id("totals.grand")
            },
            "appropriation_grand" => Refinement {
                last_loc: Some(|p| p.appropriation.declared_income_total.as_ref()?.loc.clone()),
                ..id("appropriation.grand")
            },
            "general_budget" => id("general_budget.total"),
            // Its first 公务用车购置 row.
            "vehicle_purchase" => Refinement {
                last_loc: Some(|p| {
                    let rows = &p.three_public.vehicle.purchases;
                    rows.iter().find_map(|x| x.amount.loc.clone())
                }),
                ..id("three_public.vehicle_purchase")
            },
            // 国内公务接待, else 外事接待.
            "reception" => Refinement {
                last_loc: Some(|p| {
                    let r = &p.three_public.reception;
                    r.domestic
                        .actual
                        .loc
                        .clone()
                        .or_else(|| r.foreign.actual.loc.clone())
                }),
                ..id("three_public.reception.actual")
            },
            "three_public" => Refinement {
                last_label: Some("“三公”经费决算数"),
                ..id("three_public.actual")
            },
            _ => Refinement::NONE,
        }
    }
}

/// Last year's figure of a named fact: its value, name, ledger id and place.
struct Last {
    value: Money,
    label: Cow<'static, str>,
    id: Option<&'static str>,
    loc: Option<Location>,
}

/// Last year's value of a named fact as its figures compute it (`figures::extra`), with how it
/// is named, its ledger id and where it stands: its own fact, else its declared total, else the
/// place its [`Refinement`] gives. `None` for a count.
fn last_value(p: &Bureau, t: &Totals, named: &crate::schema::Named) -> Option<Last> {
    let operand = match crate::figures::extra::builtin_numbers(p, t, named).value {
        Some(Number::Money(o)) => o,
        Some(Number::Count { .. }) => return None,
        // Left out last year: the model's default, 0, as last year's package took it.
        None => Operand::derived(named.label, Money::ZERO),
    };
    let r = Refinement::of(named.name);
    let declared = named.declared[0].and_then(|k| match p.facts.get(k)? {
        FactValue::Amount(a) => a.loc.clone(),
        _ => None,
    });
    let loc = operand
        .loc
        .or(declared)
        .or_else(|| r.last_loc.and_then(|f| f(p)));
    let last_label = r.last_label.map_or(named.label.into(), Cow::Borrowed);
    Some(Last {
        value: operand.value,
        label: last_label,
        id: r.last_id,
        loc,
    })
}

/// Fills this year's prior-year facts left out from last year's 决算数 and checks the given ones.
pub fn apply(b: &mut Bureau, prev: &Previous) -> Applied {
    let p = &prev.bureau;
    let t = Totals::of(p);
    let caliber = !b.prior.caliber_change.value.trim().is_empty();
    let this_unit = b.identity.unit;
    let this_name = b.identity.name.loc.as_ref().map(|l| file_of(l).to_string());
    let mut out = Applied::default();
    let ctx = Context {
        prev,
        this_unit,
        caliber,
        this_file: this_name.unwrap_or_default(),
        fallback: p.identity.name.loc.clone(),
    };

    // Every named fact whose prior is an input amount ← last year's value of the fact, in the
    // order the input declares the priors (`src/schema/scalars.rs`).
    let priors = crate::schema::SCALARS
        .iter()
        .flat_map(|g| g.fields)
        .filter(|f| f.kind == crate::schema::Kind::Money)
        .filter_map(|f| match crate::schema::companion_of(f.key)? {
            (named, crate::schema::Role::Prior) => Some((f.key, named)),
            _ => None,
        });
    for (key, named) in priors {
        let Some(last) = last_value(p, &t, named) else {
            continue;
        };
        let mut given = match b.facts.get(key) {
            Some(FactValue::Amount(a)) => a.clone(),
            _ => Amount::default(),
        };
        let pair = Pair {
            key: key.into(),
            label: label(key),
            fact: &mut given,
            last: last.value,
            last_label: last.label,
            last_id: last.id,
            last_loc: last.loc,
        };
        if let Some(amount) = ctx.money(pair, &mut out) {
            b.fill_amount(key, amount);
        }
    }
    // The form's own facts with a prior (`[extra] <key>_prior`) ← last year's `<key>`.
    for fact in b.extra.iter_mut().filter(|f| f.decl.prior) {
        let Some(last) = p.extra.iter().find(|x| x.decl.key == fact.decl.key) else {
            continue;
        };
        let key = format!("extra.{}_prior", fact.decl.key);
        match (&last.value, &mut fact.prior) {
            (Some(ExtraValue::Amount(last_amount)), prior) => {
                let mut given = match prior {
                    Some(ExtraValue::Amount(a)) => a.clone(),
                    _ => Amount::default(),
                };
                ctx.money(
                    Pair {
                        key: key.into(),
                        label: format!("上年{}", fact.decl.label).into(),
                        fact: &mut given,
                        last: last_amount.value,
                        last_label: fact.decl.label.clone().into(),
                        last_id: None,
                        last_loc: last_amount.loc.clone(),
                    },
                    &mut out,
                );
                *prior = Some(ExtraValue::Amount(given));
            }
            (Some(ExtraValue::Count(last_count)), prior @ None) => {
                let loc = last_count.loc.clone().or_else(|| ctx.fallback.clone());
                *prior = Some(ExtraValue::Count(Count {
                    value: last_count.value,
                    loc: loc.clone(),
                }));
                out.filled.push(Filled {
                    key,
                    label: format!("上年{}", fact.decl.label),
                    value: last_count.value.to_string(),
                    from: prev.name.clone(),
                    last_label: fact.decl.label.clone(),
                    location: loc.map(|l| l.to_string()),
                    formula: None,
                    inputs: Vec::new(),
                });
            }
            _ => {}
        }
    }
    // A declared prior total (`three_public.declared_prior`) is only checked against last
    // year's value (its parts are filled above).
    for named in crate::schema::NAMED {
        let Some(key) = named.declared[1] else {
            continue;
        };
        let Some(FactValue::Amount(declared)) = b.facts.get(key) else {
            continue;
        };
        let Some(last) = last_value(p, &t, named) else {
            continue;
        };
        let mut declared = declared.clone();
        let header = crate::schema::scalar(key).map(|(_, _, f)| f.header);
        ctx.money(
            Pair {
                key: key.into(),
                label: match header.and_then(|h| h.strip_prefix("核对：")) {
                    Some(h) => h.into(),
                    None => label(key),
                },
                fact: &mut declared,
                last: last.value,
                last_label: last.label,
                last_id: last.id,
                last_loc: last.loc,
            },
            &mut out,
        );
    }

    // 工作量: by project name (the 部门整体 by its place) and workload name.
    let projects = b
        .performance
        .department
        .iter_mut()
        .map(|d| (true, d))
        .chain(b.performance.projects.iter_mut().map(|p| (false, p)));
    for (department, project) in projects {
        let last_project = if department {
            p.performance.department.as_ref()
        } else {
            p.performance
                .projects
                .iter()
                .find(|x| x.name.value.trim() == project.name.value.trim())
        };
        let Some(last_project) = last_project else {
            continue;
        };
        let project_key = if department {
            "performance.department".to_string()
        } else {
            format!("performance.projects[{}]", project.name.value)
        };
        for w in &mut project.workloads {
            let Some(last) = last_project
                .workloads
                .iter()
                .find(|x| x.name.value.trim() == w.name.value.trim())
            else {
                continue;
            };
            let key = format!("{project_key}.workloads[{}].prior", w.name.value);
            ctx.count(&key, w, &last.current, &mut out);
        }
    }
    out
}

struct Context<'a> {
    prev: &'a Previous,
    this_unit: Unit,
    caliber: bool,
    this_file: String,
    /// Last year's file when a figure has no place of its own (its `[bureau] name`).
    fallback: Option<Location>,
}

impl Context<'_> {
    fn year(&self) -> i64 {
        self.prev.bureau.identity.year.value
    }

    /// Fills the fact from last year's figure when left out (and returns it), else checks it.
    fn money(&self, pair: Pair<'_>, out: &mut Applied) -> Option<Amount> {
        let last_loc = pair.last_loc.clone().or_else(|| self.fallback.clone());
        match &pair.fact.loc {
            None => {
                pair.fact.value = pair.last;
                pair.fact.loc = last_loc.clone();
                let record = pair
                    .last_id
                    .and_then(|id| self.prev.ledger.0.iter().find(|r| r.id == id));
                out.filled.push(Filled {
                    key: pair.key.to_string(),
                    label: pair.label.to_string(),
                    value: money_text(pair.last),
                    from: self.prev.name.clone(),
                    last_label: pair.last_label.to_string(),
                    location: last_loc.map(|l| l.to_string()),
                    formula: record.map(|r| r.formula.clone()).filter(|f| !f.is_empty()),
                    inputs: record.map(|r| r.inputs.clone()).unwrap_or_default(),
                });
                Some(pair.fact.clone())
            }
            Some(at) => {
                // 元 on both sides is exact; a 万元 side was rounded to 0.01 万元 when printed.
                let unit = match (self.this_unit, self.prev.bureau.identity.unit) {
                    (Unit::Yuan, Unit::Yuan) => Unit::Yuan,
                    _ => Unit::Wan,
                };
                let diff = (pair.fact.value - pair.last).0;
                if diff.abs() <= crate::money::tolerance(unit, 1) || self.caliber {
                    return None;
                }
                let given = self.figure(pair.fact.value, self.this_unit);
                let last = self.figure(pair.last, self.prev.bureau.identity.unit);
                let mut d = Diagnostic::of(
                    codes::PRIOR_MISMATCH,
                    format!(
                        "上年数与上年决算数不一致：{} {}（{}）为 {given}，而上年文件 {} 中 {} 年度的{}为 {last}，相差 {}",
                        self.this_file,
                        pair.label,
                        pair.key,
                        self.prev.name,
                        self.year(),
                        pair.last_label,
                        self.figure(Money(diff.abs()), self.this_unit),
                    ),
                )
                .at(at)
                .hint(self.hint());
                if let Some(l) = &last_loc {
                    d = d.related(l, format!("上年决算数：{}", pair.last_label));
                }
                out.diagnostics.push(d);
                None
            }
        }
    }

    fn count(&self, key: &str, w: &mut crate::model::Workload, last: &Count, out: &mut Applied) {
        let last_loc = last.loc.clone().or_else(|| self.fallback.clone());
        match &w.prior {
            None => {
                w.prior = Some(Count {
                    value: last.value,
                    loc: last_loc.clone(),
                });
                out.filled.push(Filled {
                    key: key.to_string(),
                    label: format!("工作量“{}”上年数", w.name.value),
                    value: last.value.to_string(),
                    from: self.prev.name.clone(),
                    last_label: format!("工作量“{}”本年数", w.name.value),
                    location: last_loc.map(|l| l.to_string()),
                    formula: None,
                    inputs: Vec::new(),
                });
            }
            Some(given) if given.value != last.value && !self.caliber => {
                let mut d = Diagnostic::of(
                    codes::PRIOR_MISMATCH,
                    format!(
                        "上年数与上年决算数不一致：{} 工作量“{}”上年数为 {}{}，而上年文件 {} 中 {} 年度的本年数为 {}{}，相差 {}",
                        self.this_file,
                        w.name.value,
                        given.value,
                        w.unit.value,
                        self.prev.name,
                        self.year(),
                        last.value,
                        w.unit.value,
                        given.value.abs_diff(last.value),
                    ),
                )
                .at_opt(given.loc.as_ref())
                .hint(self.hint());
                if let Some(l) = &last_loc {
                    d = d.related(l, format!("上年工作量“{}”", w.name.value));
                }
                out.diagnostics.push(d);
            }
            Some(_) => {}
        }
    }

    fn hint(&self) -> String {
        format!(
            "上年数应是上年公开的决算数：核对后改正此处，或删去此项，由 --previous 从 {} 自动取用；若上年数按本年口径作了调整，在 [prior_year] caliber_change（工作簿“上年数”表的“上年数口径调整说明”）写明原因，文中会照印此说明。",
            self.prev.name
        )
    }

    /// A figure as the findings name it: 万元 as printed, or 元 exact to the 分.
    fn figure(&self, m: Money, unit: Unit) -> String {
        match unit {
            Unit::Wan => format!("{} 万元", m.0.normalize()),
            Unit::Yuan => {
                let yuan = m.0.checked_mul(Decimal::from(10_000)).unwrap_or(m.0);
                format!(
                    "{} 元（{} 万元）",
                    yuan.round_dp(2).normalize(),
                    m.0.normalize()
                )
            }
        }
    }
}

/// The file part of a location.
fn file_of(l: &Location) -> &str {
    match l {
        Location::File { file, .. } | Location::Cell { file, .. } => file,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THIS: &str = include_str!("../tests/fixtures/rules/R029/pass.toml");

    /// Last year of the R029 fixture: its 决算数 are this year's 上年数.
    fn last_year() -> Previous {
        let text = THIS
            .replace("year = 2023", "year = 2022")
            .replace("general_budget = 110", "general_budget = 100")
            .replace("basic = 110", "basic = 100")
            .replace("budget = 110", "budget = 100")
            .replace(
                "{ code = \"30101\", basic = 100 }",
                "{ code = \"30101\", basic = 90 }",
            )
            .replace("current = 437\nprior = 400", "current = 400")
            .replace("current = 300\nprior = 250", "current = 250")
            .replace("current = 137\nprior = 150", "current = 150");
        let checked = crate::check_text("2022.toml", &text);
        assert!(
            !checked.diagnostics.has_errors(),
            "{:#?}",
            checked.diagnostics
        );
        Previous {
            name: "2022.toml".into(),
            bureau: checked.bureau.unwrap(),
            ledger: Ledger::default(),
        }
    }

    fn this_year(text: &str) -> Bureau {
        crate::check_text("2023.toml", text).bureau.unwrap()
    }

    fn codes(a: &Applied) -> Vec<&str> {
        a.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    /// 公务接待费 is 国内 + 外事: last year's package with only 外事接待 fills this year's
    /// 上年数 with that figure, placed at it (not 0).
    #[test]
    fn a_reception_of_foreign_guests_only_is_last_years_figure() {
        let mut last = last_year();
        last.bureau = crate::check_text(
            "2022.toml",
            &THIS.replace("year = 2023", "year = 2022").replace(
                "[three_public.reception.domestic]\nactual = 0",
                "[three_public.reception.foreign]\nactual = 1.5",
            ),
        )
        .bureau
        .unwrap();
        let text = THIS.replace(
            "[three_public.reception]\nbudget = 0\nprior = 0\n",
            "[three_public.reception]\nbudget = 0\n",
        );
        let mut b = this_year(&text);
        let applied = apply(&mut b, &last);
        let filled = applied
            .filled
            .iter()
            .find(|f| f.key == "three_public.reception.prior")
            .expect("filled");
        assert_eq!(filled.value, "1.5");
        assert!(
            filled
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with("2022.toml:")),
            "{:?}",
            filled.location
        );
    }

    #[test]
    fn workloads_are_filled_and_checked_by_project_and_name() {
        let text = THIS
            .replace("current = 437\nprior = 400", "current = 437")
            .replace("current = 137\nprior = 150", "current = 137\nprior = 151")
            // The fixture types its 三公 as 0; this year leaves the 公务接待费 上年数 out.
            .replace(
                "[three_public.reception]\nbudget = 0\nprior = 0\n",
                "[three_public.reception]\nbudget = 0\n",
            );
        let mut b = this_year(&text);
        let applied = apply(&mut b, &last_year());
        let w = &b.performance.projects[0].workloads;
        assert_eq!(w[0].prior.as_ref().map(|c| c.value), Some(400));
        assert_eq!(
            w[0].prior
                .as_ref()
                .and_then(|c| c.loc.as_ref())
                .map(|l| l.to_string()),
            Some("2022.toml:72:11".to_string())
        );
        let filled: Vec<(&str, &str)> = applied
            .filled
            .iter()
            .map(|f| (f.key.as_str(), f.value.as_str()))
            .collect();
        assert!(filled.contains(&(
            "performance.projects[信访维稳经费].workloads[来访].prior",
            "400"
        )));
        // The 三公 priors this input leaves out are last year's (0), the money it states agrees.
        assert!(filled.contains(&("three_public.reception.prior", "0")));
        assert!(!filled.iter().any(|(k, _)| k.starts_with("prior_year")));
        assert_eq!(codes(&applied), ["R039"]);
        let m = &applied.diagnostics.0[0].message;
        assert!(m.contains("工作量“重复访”上年数为 151批次"), "{m}");
        assert!(m.contains("2022 年度的本年数为 150批次，相差 1"), "{m}");
    }

    #[test]
    fn the_rounding_tail_applies_when_either_year_is_in_wan() {
        let check = |last_total: &str, last_unit: Unit, this_text: &str| {
            let mut prev = last_year();
            prev.bureau.identity.unit = last_unit;
            prev.bureau.income.general_budget.value = Money(last_total.parse().unwrap());
            let mut b = this_year(this_text);
            apply(&mut b, &prev)
                .diagnostics
                .iter()
                .filter(|d| d.message.contains("prior_year.total"))
                .count()
        };
        // Last year in 元 (exact), this year in 万元 (rounded to 0.01 万元).
        assert_eq!(check("100.0049", Unit::Yuan, THIS), 0);
        assert_eq!(check("100.01", Unit::Yuan, THIS), 0);
        assert_eq!(check("100.0101", Unit::Yuan, THIS), 1);
        // Both in 元: exact to the 分.
        let yuan = THIS
            .replace("year = 2023", "year = 2023\nunit = \"元\"")
            .replace("total = 100\n", "total = 1000000\n");
        assert_eq!(check("100", Unit::Yuan, &yuan), 0);
        assert_eq!(check("100.000001", Unit::Yuan, &yuan), 1);
    }

    #[test]
    fn every_declared_prior_amount_is_filled_from_last_year() {
        let priors: Vec<&str> = crate::schema::NAMED
            .iter()
            .filter(|n| n.kind == crate::schema::Kind::Money)
            .filter_map(|n| match n.prior {
                Some(crate::schema::Source::Key(k)) => Some(k),
                _ => None,
            })
            .collect();
        assert_eq!(priors.len(), 8, "{priors:?}");
        // This year leaves every prior amount out.
        let text = THIS
            .replace("appropriation_total = 100\n", "")
            .replace("\ntotal = 100\n", "\n")
            .replace("\ngeneral_budget = 100\n", "\n")
            .replace("actual = 10\nprior = 10\n", "actual = 10\n")
            .replace("actual = 0\nprior = 0\n", "actual = 0\n")
            .replace("purchase_prior = 0\n", "")
            .replace("running_prior = 0\n", "")
            .replace("budget = 0\nprior = 0\n", "budget = 0\n");
        let mut b = this_year(&text);
        for key in &priors {
            assert!(b.facts.get(key).is_none(), "{key} given");
        }
        let applied = apply(&mut b, &last_year());
        for key in &priors {
            assert!(
                applied.filled.iter().any(|f| f.key == *key),
                "{key} not filled"
            );
            let Some(FactValue::Amount(a)) = b.facts.get(key) else {
                panic!("{key} not in facts");
            };
            let (value, loc) = (a.value, a.loc.clone());
            let field = b.prior_field_mut(key).unwrap();
            assert_eq!((field.value, &field.loc), (value, &loc), "{key}");
            assert!(loc.is_some(), "{key}");
        }
    }
}
