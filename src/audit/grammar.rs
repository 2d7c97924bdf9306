//! 表式的句子：把表式的正文模板（`<表式>/body.tera` 及其所用 `common/wording.tera` 的组件）编译成带类型空位的匹配器。
//!
//! The form's own sentences, compiled from the very template `juesuan build` writes them with,
//! into a nondeterministic automaton over characters:
//!
//! - literal text must be printed as it stands (whitespace aside);
//! - each `{{ … }}` is a typed slot: a **number** (an amount before 万元, a percentage before %,
//!   a count before 个/辆/人次…, a year: digits, separators and a decimal point only), a **word the
//!   form chooses** (增加/减少、增长/下降、大于/小于/持平、年初预算/预算 — the form's `[words]`), or
//!   **free text** (a name, a reason, a duty), which takes any characters;
//! - an `if` is a choice among its branches (conditions are not evaluated: any branch may have
//!   been printed), a `for` the repetition of its body, a component call its body with the
//!   arguments bound, a literal array loop (`for p in [["因公出国（境）费", tp.overseas], …]`)
//!   unrolled;
//! - headings (`<part>`, `<h1>`, `<h2>`, `<h3>`) are marked, so that a sentence is matched only
//!   against the sentences of the heading it is printed under;
//! - the structure components of `common/blocks.*` are known by name: a 公开表 (`report_table`)
//!   and a 绩效 attachment are opaque (their own text is read as tables, or not at all), a pie
//!   chart's legend is `label share%` per slice, a bar chart's labels are opaque.
//!
//! Each slot remembers the figure it prints (`doc.totals.grand`, `doc.income.lines[].amount`),
//! with loop variables, `set` aliases and component parameters resolved, so that a matched
//! sentence says which figure each printed number stands for.

use std::collections::BTreeMap;

use crate::form::Form;

/// What a slot takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotKind {
    /// Digits, thousands separators and a decimal point (amounts, percentages, counts, years).
    Number,
    /// Prose the department writes (a reason, a duty, a purpose): any text, sentences too.
    Free,
    /// A name (a department, a 科目, a category): any text within one sentence (no `。`, `；`).
    Name,
    /// Text the audit does not read as sentences: a 公开表, a 绩效 attachment, a bar chart.
    Opaque,
    /// A word the form chooses by the figures (增加/减少、增长/下降、大于/小于/持平): one of the
    /// form's `[words]`, printed as it stands.
    Word,
}

/// One `{{ … }}` of the template.
#[derive(Clone, Debug)]
pub struct Slot {
    /// The figure it prints, loop variables and aliases resolved (`doc.income.lines[].amount`).
    pub path: String,
    pub kind: SlotKind,
    /// The unit printed right after it in the template (`万元`, `%`, `个`), if any.
    pub unit: String,
}

/// An edge of the automaton: what it consumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Eps,
    Char(char),
    /// The first character of a number slot (a digit).
    Digit(u32),
    /// A later character of a number slot (digit, `,`, `.`).
    NumChar(u32),
    /// A character of a free-text slot.
    Free(u32),
    /// A character of an opaque block.
    Opaque(u32),
    /// A character of a word slot (one of the form's words, matched as it stands).
    Word(u32, char),
    /// The start and end of heading `n` (sentences do not cross them).
    HeadStart(u32),
    HeadEnd(u32),
}

/// The form's sentences as an automaton.
#[derive(Debug, Default)]
pub struct Grammar {
    pub edges: Vec<Vec<(Label, u32)>>,
    pub slots: Vec<Slot>,
    /// The state where the template starts.
    pub start: u32,
    /// For heading `n`: the state its text starts at.
    pub heading_bodies: Vec<u32>,
}

/// A template parsed into the few constructs sentences are made of.
#[derive(Clone, Debug)]
enum Tree {
    Text(String),
    Expr(String),
    Call {
        name: String,
        args: Vec<(String, Arg)>,
    },
    Block {
        name: String,
        body: Vec<Tree>,
    },
    /// Branches with their conditions (`None` for `else`).
    If(Vec<(Option<String>, Vec<Tree>)>),
    For {
        var: String,
        iter: String,
        body: Vec<Tree>,
        empty: Option<Vec<Tree>>,
    },
    Set {
        name: String,
        value: String,
    },
}

#[derive(Clone, Debug)]
enum Arg {
    Expr(String),
    Lit(String),
}

enum Tok<'a> {
    Text(&'a str),
    Expr(&'a str),
    Tag(&'a str),
}

fn tokens(src: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut rest = src;
    loop {
        let next = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, *t)))
            .min_by_key(|x| x.0);
        let Some((i, open)) = next else {
            if !rest.is_empty() {
                out.push(Tok::Text(rest));
            }
            break;
        };
        if i > 0 {
            out.push(Tok::Text(&rest[..i]));
        }
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        let from = i + 2;
        let Some(len) = rest[from..].find(close) else {
            break;
        };
        let inner = rest[from..from + len]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        match open {
            "{{" => out.push(Tok::Expr(inner)),
            "{%" => out.push(Tok::Tag(inner)),
            _ => {}
        }
        rest = &rest[from + len + close.len()..];
    }
    out
}

struct Component {
    params: Vec<String>,
    body: Vec<Tree>,
}

struct Parser<'a> {
    toks: Vec<Tok<'a>>,
    at: usize,
    components: BTreeMap<String, Component>,
}

impl Parser<'_> {
    /// Trees up to one of `stops` (a tag's first word); returns the stop met.
    fn seq(&mut self, stops: &[&str]) -> (Vec<Tree>, Option<String>) {
        let mut out = Vec::new();
        while self.at < self.toks.len() {
            let tok = &self.toks[self.at];
            self.at += 1;
            match *tok {
                Tok::Text(t) => out.push(Tree::Text(t.to_string())),
                Tok::Expr(e) => out.push(expr_tree(e)),
                Tok::Tag(t) => {
                    let word = t.split_whitespace().next().unwrap_or("");
                    if stops.contains(&word) {
                        return (out, Some(t.to_string()));
                    }
                    if let Some(tree) = self.tag(t, word) {
                        out.push(tree);
                    }
                }
            }
        }
        (out, None)
    }

    fn tag(&mut self, t: &str, word: &str) -> Option<Tree> {
        match word {
            "if" => {
                let mut branches = Vec::new();
                let mut cond = t["if".len()..].trim().to_string();
                loop {
                    let (body, stop) = self.seq(&["elif", "else", "endif"]);
                    branches.push((Some(cond), body));
                    let stop = stop.unwrap_or_default();
                    if let Some(c) = stop.strip_prefix("elif") {
                        cond = c.trim().to_string();
                        continue;
                    }
                    if stop == "else" {
                        let (body, _) = self.seq(&["endif"]);
                        branches.push((None, body));
                    } else {
                        branches.push((None, Vec::new()));
                    }
                    break;
                }
                Some(Tree::If(branches))
            }
            "for" => {
                let rest = t["for".len()..].trim();
                let (var, iter) = rest.split_once(" in ").unwrap_or((rest, ""));
                let (body, stop) = self.seq(&["else", "endfor"]);
                let empty = (stop.as_deref() == Some("else")).then(|| self.seq(&["endfor"]).0);
                Some(Tree::For {
                    var: var.trim().to_string(),
                    iter: iter.trim().to_string(),
                    body,
                    empty,
                })
            }
            "set" | "set_global" => {
                let rest = t[word.len()..].trim();
                let (name, value) = rest.split_once('=')?;
                Some(Tree::Set {
                    name: name.trim().to_string(),
                    value: value.trim().to_string(),
                })
            }
            "component" => {
                let rest = t["component".len()..].trim();
                let (name, params) = rest.split_once('(').unwrap_or((rest, ""));
                let params = params
                    .trim_end_matches(')')
                    .split(',')
                    .map(|p| p.split('=').next().unwrap_or("").trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect();
                let (body, _) = self.seq(&["endcomponent"]);
                self.components
                    .insert(name.trim().to_string(), Component { params, body });
                None
            }
            _ if word.starts_with('<') && !word.starts_with("</") => {
                let name = word
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string();
                let close = format!("</{name}>");
                let (body, _) = self.seq(&[close.as_str()]);
                Some(Tree::Block { name, body })
            }
            _ => None,
        }
    }
}

/// `{{ <name a={x} b="s"/> }}` is a component call; anything else an expression.
fn expr_tree(e: &str) -> Tree {
    let Some(call) = e.strip_prefix('<') else {
        return Tree::Expr(e.to_string());
    };
    let call = call.trim_end_matches('>').trim_end_matches('/').trim();
    let name_len = call
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(call.len());
    let name = call[..name_len].to_string();
    let chars: Vec<char> = call[name_len..].chars().collect();
    let mut args = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let key_start = i;
        while i < chars.len() && chars[i] != '=' && !chars[i].is_whitespace() {
            i += 1;
        }
        let key: String = chars[key_start..i].iter().collect();
        if i >= chars.len() || chars[i] != '=' {
            i += 1;
            continue;
        }
        i += 1;
        let value = match chars.get(i) {
            Some('{') => {
                let mut depth = 0;
                let from = i + 1;
                while i < chars.len() {
                    match chars[i] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                let v: String = chars[from..i.min(chars.len())].iter().collect();
                i += 1;
                Arg::Expr(v.trim().to_string())
            }
            Some('"') => {
                let from = i + 1;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += 1;
                }
                let v: String = chars[from..i.min(chars.len())].iter().collect();
                i += 1;
                Arg::Lit(v)
            }
            _ => {
                let from = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                Arg::Expr(chars[from..i].iter().collect())
            }
        };
        if !key.is_empty() {
            args.push((key, value));
        }
    }
    Tree::Call { name, args }
}

/// What a name stands for while compiling.
#[derive(Clone, Debug)]
enum Bind {
    /// A figure of the context.
    Path(String),
    /// One of these literal strings.
    Lits(Vec<String>),
    /// A row of a literal array (`["因公出国（境）费", tp.overseas]`).
    Row(Vec<Arg>),
    /// The rows of a literal array; `filtered` when only some of them, in order, are printed
    /// (`[p for p in tp_all if p[1].actual is defined]`).
    Rows { rows: Vec<Vec<Arg>>, filtered: bool },
}

type Env = BTreeMap<String, Bind>;

/// Units a number slot may be followed by, longest first.
const UNITS: [&str; 16] = [
    "万元",
    "人次",
    "批次",
    "台（套）",
    "元",
    "%",
    "％",
    "个",
    "辆",
    "人",
    "次",
    "台",
    "项",
    "家",
    "分",
    "年",
];

/// The name under which a branch `if part.key == "…"` records the part it prints.
const PART_KEY: &str = " part key";

/// Fields the department writes as prose (sentences of its own); any other text slot is a name.
const PROSE: [&str; 20] = [
    "reason",
    "reasons",
    "budget_reason",
    "text",
    "purpose",
    "content",
    "brief",
    "paragraphs",
    "preamble",
    "setup",
    "duties",
    "systems",
    "mechanism",
    "prior_caliber",
    "note",
    "notes",
    "summary",
    "measures",
    "description",
    "body",
];

/// The structure components of `common/blocks.*` that hold headings.
const HEADINGS: [&str; 4] = ["part", "h1", "h2", "h3"];

struct Compiler<'a> {
    g: Grammar,
    components: &'a BTreeMap<String, Component>,
    /// Names `set` to a literal anywhere, with every literal they are set to.
    literal_sets: BTreeMap<String, Vec<String>>,
    form: &'a Form,
    depth: usize,
}

type Frag = (u32, u32);

impl Compiler<'_> {
    fn state(&mut self) -> u32 {
        self.g.edges.push(Vec::new());
        (self.g.edges.len() - 1) as u32
    }

    fn edge(&mut self, from: u32, label: Label, to: u32) {
        self.g.edges[from as usize].push((label, to));
    }

    fn empty(&mut self) -> Frag {
        let s = self.state();
        (s, s)
    }

    fn text(&mut self, t: &str) -> Frag {
        let start = self.state();
        let mut at = start;
        for c in t.chars().filter(|c| !c.is_whitespace()) {
            let c = if c == '％' { '%' } else { c };
            let next = self.state();
            self.edge(at, Label::Char(c), next);
            at = next;
        }
        (start, at)
    }

    fn choice(&mut self, frags: Vec<Frag>) -> Frag {
        let (start, end) = (self.state(), self.state());
        for (a, b) in frags {
            self.edge(start, Label::Eps, a);
            self.edge(b, Label::Eps, end);
        }
        (start, end)
    }

    fn literals(&mut self, lits: &[String]) -> Frag {
        let frags = lits.iter().map(|l| self.text(l)).collect();
        self.choice(frags)
    }

    fn slot(&mut self, path: String, kind: SlotKind, unit: &str) -> Frag {
        let id = self.g.slots.len() as u32;
        self.g.slots.push(Slot {
            path,
            kind,
            unit: unit.to_string(),
        });
        let (start, inner, end) = (self.state(), self.state(), self.state());
        let (first, more) = match kind {
            SlotKind::Number => (Label::Digit(id), Label::NumChar(id)),
            SlotKind::Free | SlotKind::Name => (Label::Free(id), Label::Free(id)),
            SlotKind::Opaque => (Label::Opaque(id), Label::Opaque(id)),
            SlotKind::Word => unreachable!("a word slot is built by `word_slot`"),
        };
        self.edge(start, first, inner);
        self.edge(inner, more, inner);
        self.edge(inner, Label::Eps, end);
        (start, end)
    }

    /// A slot printing one of `words` as it stands, remembering the figure it prints.
    fn word_slot(&mut self, path: String, words: &[String]) -> Frag {
        let id = self.g.slots.len() as u32;
        self.g.slots.push(Slot {
            path,
            kind: SlotKind::Word,
            unit: String::new(),
        });
        let frags = words
            .iter()
            .map(|w| {
                let start = self.state();
                let mut at = start;
                for c in w.chars().filter(|c| !c.is_whitespace()) {
                    let next = self.state();
                    self.edge(at, Label::Word(id, c), next);
                    at = next;
                }
                (start, at)
            })
            .collect();
        self.choice(frags)
    }

    fn seq(&mut self, trees: &[Tree], env: &mut Env) -> Frag {
        let (start, mut at) = {
            let s = self.state();
            (s, s)
        };
        for (i, tree) in trees.iter().enumerate() {
            let next_text = match trees.get(i + 1) {
                Some(Tree::Text(t)) => t.chars().filter(|c| !c.is_whitespace()).collect(),
                _ => String::new(),
            };
            let (a, b) = self.tree(tree, env, &next_text);
            self.edge(at, Label::Eps, a);
            at = b;
        }
        (start, at)
    }

    fn tree(&mut self, tree: &Tree, env: &mut Env, next_text: &str) -> Frag {
        match tree {
            Tree::Text(t) => self.text(t),
            Tree::Expr(e) => self.expr(e, env, next_text),
            Tree::Set { name, value } => {
                let value = value.trim();
                if let Some(rows) = self.literal_array(value, env) {
                    env.insert(name.clone(), rows);
                } else if !value.starts_with('"')
                    && !value.contains(' ')
                    && !value.starts_with('[')
                    && let Some(b) = self.bind(value, env)
                {
                    env.insert(name.clone(), b);
                }
                self.empty()
            }
            Tree::If(branches) => {
                let frags = branches
                    .iter()
                    .map(|(cond, b)| {
                        let mut inner = env.clone();
                        // `part.key == "tables"`: this branch prints that part (its heading
                        // is that part's, not any part's).
                        if let Some((lhs, rhs)) = cond.as_deref().and_then(|c| c.split_once("=="))
                            && let Some(Bind::Path(p)) = self.bind(lhs.trim(), env)
                            && p.ends_with("parts[].key")
                        {
                            let key = rhs.trim().trim_matches('"').to_string();
                            inner.insert(PART_KEY.to_string(), Bind::Lits(vec![key]));
                        }
                        self.seq(b, &mut inner)
                    })
                    .collect();
                self.choice(frags)
            }
            Tree::For {
                var,
                iter,
                body,
                empty,
            } => self.for_loop(var, iter, body, empty.as_deref(), env),
            Tree::Block { name, body } => {
                let (a, b) = self.seq(body, &mut env.clone());
                if !HEADINGS.contains(&name.as_str()) {
                    return (a, b);
                }
                // A heading is matched from its text's start (after HeadStart), to HeadEnd.
                let n = self.g.heading_bodies.len() as u32;
                self.g.heading_bodies.push(a);
                let (start, end) = (self.state(), self.state());
                self.edge(start, Label::HeadStart(n), a);
                self.edge(b, Label::HeadEnd(n), end);
                (start, end)
            }
            Tree::Call { name, args } => self.call(name, args, env),
        }
    }

    fn for_loop(
        &mut self,
        var: &str,
        iter: &str,
        body: &[Tree],
        empty: Option<&[Tree]>,
        env: &Env,
    ) -> Frag {
        // A literal array is unrolled: each row printed once, in order (or, filtered, each
        // row printed or left out).
        if let Some(Bind::Rows { rows, filtered }) = self.literal_array(iter, env) {
            let start = self.state();
            let mut at = start;
            for row in rows {
                let mut inner = env.clone();
                inner.insert(var.to_string(), Bind::Row(row));
                let (a, b) = self.seq(body, &mut inner);
                self.edge(at, Label::Eps, a);
                if filtered {
                    self.edge(at, Label::Eps, b);
                }
                at = b;
            }
            return (start, at);
        }
        let mut inner = env.clone();
        let base = match self.bind(iter, env) {
            Some(Bind::Path(p)) => p,
            _ => iter.to_string(),
        };
        // `for k, v in …` binds two names; only the value is printed as a figure.
        for name in var.split(',') {
            inner.insert(name.trim().to_string(), Bind::Path(format!("{base}[]")));
        }
        let (a, b) = self.seq(body, &mut inner);
        // Zero or more times.
        let (start, end) = (self.state(), self.state());
        self.edge(start, Label::Eps, a);
        self.edge(b, Label::Eps, a);
        self.edge(b, Label::Eps, end);
        let none = match empty {
            Some(e) => self.seq(e, &mut env.clone()),
            None => self.empty(),
        };
        self.edge(start, Label::Eps, none.0);
        self.edge(none.1, Label::Eps, end);
        (start, end)
    }

    fn call(&mut self, name: &str, args: &[(String, Arg)], env: &Env) -> Frag {
        let arg = |key: &str| args.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        match name {
            "report_table" | "attachment" | "layout_attachment" | "bars" => {
                let kind = if name == "bars" { "图" } else { name };
                let opaque = self.slot(kind.to_string(), SlotKind::Opaque, "");
                if let Some(Arg::Lit(caption)) = arg("caption") {
                    let (a, b) = self.text(&caption);
                    self.edge(opaque.1, Label::Eps, a);
                    return (opaque.0, b);
                }
                return opaque;
            }
            "pie" => {
                // The legend: `label share%` per slice, then the caption.
                let base = match arg("c") {
                    Some(Arg::Expr(e)) => match self.bind(&e, env) {
                        Some(Bind::Path(p)) => p,
                        _ => e,
                    },
                    _ => "c".to_string(),
                };
                let label = self.slot(format!("{base}.slices[].label"), SlotKind::Name, "");
                let share = self.slot(format!("{base}.slices[].share"), SlotKind::Number, "%");
                let pct = self.text("%");
                self.edge(label.1, Label::Eps, share.0);
                self.edge(share.1, Label::Eps, pct.0);
                let (start, end) = (self.state(), self.state());
                self.edge(start, Label::Eps, label.0);
                self.edge(pct.1, Label::Eps, label.0);
                self.edge(pct.1, Label::Eps, end);
                self.edge(start, Label::Eps, end);
                if let Some(Arg::Lit(caption)) = arg("caption") {
                    let (a, b) = self.text(&caption);
                    self.edge(end, Label::Eps, a);
                    return (start, b);
                }
                return (start, end);
            }
            _ => {}
        }
        let Some(component) = self.components.get(name) else {
            return self.slot(name.to_string(), SlotKind::Opaque, "");
        };
        if self.depth > 16 {
            return self.slot(name.to_string(), SlotKind::Opaque, "");
        }
        let mut inner = Env::new();
        for p in &component.params {
            let bound = match arg(p) {
                Some(Arg::Lit(s)) => Some(Bind::Lits(vec![s])),
                Some(Arg::Expr(e)) => self.bind(&e, env),
                None => None,
            };
            if let Some(b) = bound {
                inner.insert(p.clone(), b);
            }
        }
        self.depth += 1;
        let body = component.body.clone();
        let frag = self.seq(&body, &mut inner);
        self.depth -= 1;
        frag
    }

    /// A literal array (`[["因公出国（境）费", tp.overseas], …]`), a name set to one, or a
    /// comprehension filtering one (`[p for p in tp_all if …]`): its rows.
    fn literal_array(&self, expr: &str, env: &Env) -> Option<Bind> {
        let expr = expr.trim();
        if let Some(inner) = expr.strip_prefix('[').and_then(|e| e.strip_suffix(']')) {
            if inner.trim_start().starts_with('[') {
                return Some(Bind::Rows {
                    rows: literal_rows(expr),
                    filtered: false,
                });
            }
            // `[p for p in SOURCE if COND]`: some of SOURCE's rows.
            let (var, rest) = inner.trim().split_once(" for ")?;
            let rest = rest.trim().strip_prefix(var.trim())?.trim_start();
            let source = rest.strip_prefix("in ")?;
            let source = match source.rfind(" if ") {
                Some(i) => &source[..i],
                None => source,
            };
            return match self.literal_array(source, env)? {
                Bind::Rows { rows, .. } => Some(Bind::Rows {
                    rows,
                    filtered: true,
                }),
                _ => None,
            };
        }
        match env.get(expr) {
            Some(b @ Bind::Rows { .. }) => Some(b.clone()),
            _ => None,
        }
    }

    /// What an expression stands for: a path of the context, literals, or a row.
    fn bind(&self, expr: &str, env: &Env) -> Option<Bind> {
        let expr = expr.trim();
        if let Some(s) = expr.strip_prefix('"') {
            return Some(Bind::Lits(vec![s.trim_end_matches('"').to_string()]));
        }
        let split = expr.find(['.', '[']).unwrap_or(expr.len());
        let (head, rest) = expr.split_at(split);
        match env.get(head) {
            Some(Bind::Path(p)) => Some(Bind::Path(format!("{p}{rest}"))),
            Some(Bind::Lits(l)) if rest.is_empty() => Some(Bind::Lits(l.clone())),
            Some(Bind::Lits(_)) | Some(Bind::Rows { .. }) => None,
            Some(Bind::Row(row)) => {
                let rest = rest.strip_prefix('[')?;
                let (k, after) = rest.split_once(']')?;
                match row.get(k.trim().parse::<usize>().ok()?)? {
                    Arg::Lit(s) if after.is_empty() => Some(Bind::Lits(vec![s.clone()])),
                    Arg::Lit(_) => None,
                    Arg::Expr(e) => self.bind(&format!("{e}{after}"), env),
                }
            }
            None => match self.literal_sets.get(head) {
                Some(l) if rest.is_empty() => Some(Bind::Lits(l.clone())),
                _ => Some(Bind::Path(expr.to_string())),
            },
        }
    }

    fn expr(&mut self, e: &str, env: &Env, next_text: &str) -> Frag {
        let mut parts = e.split('|');
        let head = parts.next().unwrap_or("").trim();
        let filters: Vec<&str> = parts.map(str::trim).collect();
        let head = head.split(" or ").next().unwrap_or(head).trim();
        let unit = UNITS
            .iter()
            .find(|u| next_text.starts_with(**u))
            .copied()
            .unwrap_or("");
        let bound = self.bind(head, env);
        let path = match &bound {
            Some(Bind::Lits(l)) => return self.literals(&l.clone()),
            Some(Bind::Path(p)) => p.clone(),
            _ => head.to_string(),
        };
        let last = path.rsplit('.').next().unwrap_or("");
        let w = &self.form.words;
        if ["verb", "trend", "relation"].contains(&last) {
            let mut words = vec![
                w.increase.clone(),
                w.decrease.clone(),
                w.grow.clone(),
                w.decline.clone(),
                w.flat.clone(),
                w.greater.clone(),
                w.less.clone(),
                w.equal.clone(),
            ];
            words.sort();
            words.dedup();
            return self.word_slot(path, &words);
        }
        if last == "budget_base" {
            let words = vec![w.initial_budget.clone(), w.adjusted_budget.clone()];
            return self.literals(&words);
        }
        if path == "part.heading" || path.ends_with("parts[].heading") {
            let key = match env.get(PART_KEY) {
                Some(Bind::Lits(k)) => k.first().cloned(),
                _ => None,
            };
            return self.part_headings(key.as_deref());
        }
        let numeric = filters.iter().any(|f| f.starts_with("length"))
            || (!unit.is_empty() && !filters.iter().any(|f| f.starts_with("join")))
            || ["index", "index0", "year", "prior_year"].contains(&last);
        let field = last.trim_end_matches("[]");
        let kind = if numeric {
            SlotKind::Number
        } else if PROSE.contains(&field) {
            SlotKind::Free
        } else {
            SlotKind::Name
        };
        self.slot(path, kind, unit)
    }

    /// `{{ part.heading }}`: the form's `part_heading` with each part's title.
    fn part_headings(&mut self, key: Option<&str>) -> Frag {
        let form = self.form;
        let mut frags = Vec::new();
        for part in form.parts.iter().filter(|p| key.is_none_or(|k| k == p.key)) {
            let start = self.state();
            let mut at = start;
            let mut rest = form.part_heading.as_str();
            while !rest.is_empty() {
                let (frag, len) = if rest.starts_with("{title}") {
                    (self.pattern(&part.title), "{title}".len())
                } else if rest.starts_with("{number}") {
                    let numbers: Vec<String> = (1..=form.parts.len())
                        .map(crate::form::chinese_number)
                        .collect();
                    (self.literals(&numbers), "{number}".len())
                } else if rest.starts_with("{name}") || rest.starts_with("{year}") {
                    (self.pattern(&rest[..6]), 6)
                } else {
                    let c = rest.chars().next().unwrap_or(' ');
                    (self.text(&c.to_string()), c.len_utf8())
                };
                self.edge(at, Label::Eps, frag.0);
                at = frag.1;
                rest = &rest[len..];
            }
            frags.push((start, at));
        }
        self.choice(frags)
    }

    /// A title with `{name}` (free) and `{year}` (a number).
    fn pattern(&mut self, p: &str) -> Frag {
        let start = self.state();
        let mut at = start;
        let mut rest = p;
        while !rest.is_empty() {
            let (frag, len) = if rest.starts_with("{name}") {
                (self.slot("doc.name".into(), SlotKind::Name, ""), 6)
            } else if rest.starts_with("{year}") {
                (self.slot("doc.year".into(), SlotKind::Number, "年"), 6)
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                (self.text(&c.to_string()), c.len_utf8())
            };
            self.edge(at, Label::Eps, frag.0);
            at = frag.1;
            rest = &rest[len..];
        }
        (start, at)
    }
}

/// `[["因公出国（境）费", tp.overseas], ["公务接待费", tp.reception]]` as rows of arguments.
fn literal_rows(iter: &str) -> Vec<Vec<Arg>> {
    let inner = iter.trim().trim_start_matches('[').trim_end_matches(']');
    inner
        .split("],")
        .map(|row| {
            row.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .map(|v| {
                    let v = v.trim();
                    match v.strip_prefix('"') {
                        Some(s) => Arg::Lit(s.trim_end_matches('"').to_string()),
                        None => Arg::Expr(v.to_string()),
                    }
                })
                .collect()
        })
        .collect()
}

/// Every `set name = "literal"` of the trees, with all its literals.
fn literal_sets(trees: &[Tree], out: &mut BTreeMap<String, Vec<String>>) {
    for t in trees {
        match t {
            Tree::Set { name, value } => {
                if let Some(s) = value.trim().strip_prefix('"') {
                    let v = out.entry(name.clone()).or_default();
                    let s = s.trim_end_matches('"').to_string();
                    if !v.contains(&s) {
                        v.push(s);
                    }
                }
            }
            Tree::If(bs) => bs.iter().for_each(|(_, b)| literal_sets(b, out)),
            Tree::For { body, empty, .. } => {
                literal_sets(body, out);
                if let Some(e) = empty {
                    literal_sets(e, out);
                }
            }
            Tree::Block { body, .. } => literal_sets(body, out),
            _ => {}
        }
    }
}

impl Grammar {
    /// The sentences of `form`, from its body template `body` and the shared components of
    /// `wording` (the texts of `<form>/body.tera` and `common/wording.tera`).
    pub fn compile(form: &Form, body: &str, wording: &str) -> Grammar {
        let mut parser = Parser {
            toks: tokens(wording),
            at: 0,
            components: BTreeMap::new(),
        };
        parser.seq(&[]);
        parser.toks = tokens(body);
        parser.at = 0;
        let (trees, _) = parser.seq(&[]);
        let mut sets = BTreeMap::new();
        literal_sets(&trees, &mut sets);
        for c in parser.components.values() {
            literal_sets(&c.body, &mut sets);
        }
        let mut c = Compiler {
            g: Grammar::default(),
            components: &parser.components,
            literal_sets: sets,
            form,
            depth: 0,
        };
        let (start, _) = c.seq(&trees, &mut Env::new());
        c.g.start = start;
        c.g
    }

    /// States where a sentence may start, from `from` (the end of a heading, or the template's
    /// start) up to the next heading: `from` itself and every state after a `。`.
    pub fn sentence_starts(&self, from: &[u32]) -> Vec<u32> {
        let mut seen = vec![false; self.edges.len()];
        let mut out: Vec<u32> = Vec::new();
        let mut stack: Vec<u32> = from.to_vec();
        for s in from {
            out.push(*s);
        }
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut seen[s as usize], true) {
                continue;
            }
            for &(label, t) in &self.edges[s as usize] {
                match label {
                    Label::HeadStart(_) => continue,
                    Label::Char('。') => out.push(t),
                    _ => {}
                }
                stack.push(t);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every state a sentence may start at, whatever heading it is under.
    pub fn all_sentence_starts(&self) -> Vec<u32> {
        let mut out = vec![self.start];
        for edges in &self.edges {
            for &(label, t) in edges {
                if matches!(label, Label::Char('。') | Label::HeadEnd(_)) {
                    out.push(t);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The states right after heading `n`.
    pub fn after_heading(&self, n: u32) -> Vec<u32> {
        self.edges
            .iter()
            .flat_map(|e| e.iter())
            .filter(|(l, _)| *l == Label::HeadEnd(n))
            .map(|(_, t)| *t)
            .collect()
    }

    /// The cheapest way `chars` is printed by the template from one of `starts`: the path that
    /// leaves the fewest characters to free text and opaque blocks. With `heading`, the path
    /// must end a heading.
    pub fn align(&self, chars: &[char], starts: &[u32], heading: bool) -> Option<Alignment> {
        #[derive(Clone, Copy)]
        struct Step {
            cost: u32,
            prev: Option<(u32, bool)>,
            label: Label,
        }
        let relax = |layer: &mut BTreeMap<u32, Step>, s: u32, step: Step| -> bool {
            match layer.get(&s) {
                Some(old) if old.cost <= step.cost => false,
                _ => {
                    layer.insert(s, step);
                    true
                }
            }
        };
        let closure = |layer: &mut BTreeMap<u32, Step>| {
            let mut work: Vec<u32> = layer.keys().copied().collect();
            while let Some(s) = work.pop() {
                let cost = layer[&s].cost;
                for &(label, t) in &self.edges[s as usize] {
                    if label == Label::Eps
                        && relax(
                            layer,
                            t,
                            Step {
                                cost,
                                prev: Some((s, false)),
                                label,
                            },
                        )
                    {
                        work.push(t);
                    }
                }
            }
        };
        let mut layers: Vec<BTreeMap<u32, Step>> = Vec::with_capacity(chars.len() + 1);
        let mut first = BTreeMap::new();
        for &s in starts {
            first.insert(
                s,
                Step {
                    cost: 0,
                    prev: None,
                    label: Label::Eps,
                },
            );
        }
        closure(&mut first);
        layers.push(first);
        for &c in chars {
            let mut next: BTreeMap<u32, Step> = BTreeMap::new();
            let last = layers.last()?;
            for (&s, step) in last {
                for &(label, t) in &self.edges[s as usize] {
                    let add = match label {
                        Label::Char(x) | Label::Word(_, x) if x == c => 0,
                        Label::Digit(_) if c.is_ascii_digit() => 0,
                        Label::NumChar(_) if c.is_ascii_digit() || c == ',' || c == '.' => 0,
                        Label::Free(s)
                            if self.slots[s as usize].kind == SlotKind::Name
                                && matches!(c, '。' | '；') =>
                        {
                            continue;
                        }
                        Label::Free(_) | Label::Opaque(_) => 1,
                        _ => continue,
                    };
                    relax(
                        &mut next,
                        t,
                        Step {
                            cost: step.cost + add,
                            prev: Some((s, true)),
                            label,
                        },
                    );
                }
            }
            if next.is_empty() {
                return None;
            }
            closure(&mut next);
            layers.push(next);
        }
        let last = layers.last()?;
        let (&end, _) = last
            .iter()
            .filter(|(s, _)| {
                !heading
                    || self.edges[**s as usize]
                        .iter()
                        .any(|(l, _)| matches!(l, Label::HeadEnd(_)))
            })
            .min_by_key(|(s, st)| (st.cost, **s))?;
        let ends: Vec<u32> = if heading {
            // Every heading the text ends as cheaply (the same part heading is in each part).
            let cost = last[&end].cost;
            let mut ends: Vec<u32> = last
                .iter()
                .filter(|(_, st)| st.cost == cost)
                .flat_map(|(s, _)| self.edges[*s as usize].iter())
                .filter_map(|(l, _)| match l {
                    Label::HeadEnd(n) => Some(*n),
                    _ => None,
                })
                .collect();
            ends.sort_unstable();
            ends.dedup();
            ends
        } else {
            last.keys().copied().collect()
        };
        // Walk back along the cheapest path.
        let mut labels = vec![Label::Eps; chars.len()];
        let (mut layer, mut state) = (chars.len(), end);
        let mut guard = 0usize;
        while let Some(step) = layers[layer].get(&state) {
            guard += 1;
            if guard > 1_000_000 {
                break;
            }
            match step.prev {
                None => break,
                Some((p, true)) => {
                    layer -= 1;
                    labels[layer] = step.label;
                    state = p;
                }
                Some((p, false)) => state = p,
            }
        }
        Some(Alignment::new(labels, ends))
    }
}

/// How one sentence was printed by the template.
#[derive(Clone, Debug)]
pub struct Alignment {
    /// For each character, the edge that printed it.
    pub labels: Vec<Label>,
    /// Sentence mode: the states after the sentence; heading mode: the headings it ends.
    pub ends: Vec<u32>,
}

impl Alignment {
    fn new(labels: Vec<Label>, ends: Vec<u32>) -> Alignment {
        Alignment { labels, ends }
    }

    /// Characters printed by the template's own text or a number slot.
    pub fn fixed(&self) -> usize {
        self.labels
            .iter()
            .filter(|l| {
                matches!(
                    l,
                    Label::Char(_) | Label::Word(..) | Label::Digit(_) | Label::NumChar(_)
                )
            })
            .count()
    }

    /// Characters inside opaque blocks (tables, attachments, charts).
    pub fn opaque(&self) -> usize {
        self.labels
            .iter()
            .filter(|l| matches!(l, Label::Opaque(_)))
            .count()
    }

    /// The number slots filled, with the range of characters each took.
    pub fn numbers(&self) -> Vec<(u32, std::ops::Range<usize>)> {
        self.slots()
            .into_iter()
            .filter(|(_, r)| matches!(self.labels[r.start], Label::Digit(_)))
            .collect()
    }

    /// Every slot filled (numbers and free text), with the range of characters each took.
    pub fn slots(&self) -> Vec<(u32, std::ops::Range<usize>)> {
        let mut out: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
        for (i, l) in self.labels.iter().enumerate() {
            let (slot, first) = match *l {
                Label::Digit(s) => (s, true),
                Label::NumChar(s) => (s, false),
                Label::Free(s) => (s, false),
                Label::Word(s, _) => (s, false),
                _ => continue,
            };
            match out
                .last_mut()
                .filter(|(x, r)| *x == slot && r.end == i && !first)
            {
                Some(last) => last.1.end = i + 1,
                None => out.push((slot, i..i + 1)),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> std::sync::Arc<Form> {
        crate::form::Forms::builtin()
            .get("shanghai")
            .expect("shanghai")
            .clone()
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn slots_typed_and_branches_chosen() {
        let body = "{% component ch(c) %}{% if c.percent %}{{ c.verb }}{{ c.amount }}万元，{{ c.trend }}{{ c.percent }}%{% else %}{{ c.verb }}{{ c.amount }}万元{% endif %}{% endcomponent ch %}\
            {% <h1> %}一、总体情况{% </h1> %}\n{{ doc.name }}{{ doc.year }}年度收入支出总计{{ doc.totals.grand }}万元。与{{ doc.prior_year }}年度相比，{% if doc.totals.change.kind == \"flat\" %}{{ doc.totals.change.trend }}。{% else %}{{ <ch c={doc.totals.change}/> }}。{% endif %}\
            {% for l in doc.income.lines %}{{ l.label }}{{ l.amount }}万元，占{{ l.share }}%{% if loop.last %}。{% else %}；{% endif %}{% endfor %}";
        let g = Grammar::compile(&form(), body, "");
        let heads = g.heading_bodies.clone();
        let h = g
            .align(&chars("一、总体情况"), &heads, true)
            .expect("heading");
        assert_eq!(h.ends, vec![0]);
        let starts = g.sentence_starts(&g.after_heading(0));
        let a = g
            .align(
                &chars("某局2024年度收入支出总计305.97万元。"),
                &starts,
                false,
            )
            .expect("total");
        let nums: Vec<String> = a
            .numbers()
            .iter()
            .map(|(s, r)| format!("{}={}", g.slots[*s as usize].path, r.len()))
            .collect();
        assert_eq!(nums, ["doc.year=4", "doc.totals.grand=6"]);
        let a = g
            .align(
                &chars("与2023年度相比，增加2.55万元，增长1.40%。"),
                &starts,
                false,
            )
            .expect("change");
        let paths: Vec<&str> = a
            .numbers()
            .iter()
            .map(|(s, _)| g.slots[*s as usize].path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "doc.prior_year",
                "doc.totals.change.amount",
                "doc.totals.change.percent"
            ]
        );
        // A word the form does not choose, or a number where the form prints a word: no match.
        assert!(
            g.align(&chars("与2023年度相比，多了2.55万元。"), &starts, false)
                .is_none()
        );
        let a = g
            .align(
                &chars("财政拨款收入300.00万元，占98.04%；其他收入6.00万元，占1.96%。"),
                &starts,
                false,
            )
            .expect("lines");
        assert_eq!(a.numbers().len(), 4);
        assert_eq!(
            g.slots[a.numbers()[3].0 as usize].path,
            "doc.income.lines[].share"
        );
    }
}
