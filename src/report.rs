//! 诊断的输出：给人看的（带源码片段）或给程序读的 JSON。

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use crate::diagnostic::{Diagnostics, Location, Severity};
use crate::input::SourceFile;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MessageFormat {
    /// 带源码片段的文字
    Human,
    /// JSON（供财政局汇总程序读取）
    Json,
}

/// Renders diagnostics as text with source snippets (no colour, so output is stable).
pub fn human(diags: &Diagnostics, source: &SourceFile) -> String {
    let file = SimpleFile::new(source.name.to_string(), source.text.as_str());
    let config = Config::default();
    let mut out = String::new();
    for d in diags.iter() {
        let severity = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Info => CsSeverity::Note,
        };
        let mut labels = Vec::new();
        let mut notes = Vec::new();
        match &d.location {
            Some(Location::File { span, file: f, .. }) if **f == *source.name => {
                labels.push(Label::primary((), span.clone()));
            }
            Some(loc) => notes.push(format!("位置：{loc}")),
            None => {}
        }
        for r in &d.related {
            match &r.location {
                Location::File { span, file: f, .. } if **f == *source.name => {
                    labels.push(Label::secondary((), span.clone()).with_message(r.label.clone()));
                }
                loc => notes.push(format!("相关：{loc} {}", r.label)),
            }
        }
        notes.extend(d.hints.iter().map(|h| format!("提示：{h}")));
        let cs = CsDiagnostic::new(severity)
            .with_code(d.code.as_str())
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(notes);
        match term::emit_into_string(&config, &file, &cs) {
            // codespan prints English severities; the user reads Chinese.
            Ok(s) => out.push_str(&localise(&s)),
            Err(_) => {
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn localise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        let line = line
            .strip_prefix("error[")
            .map(|r| format!("错误[{r}"))
            .or_else(|| line.strip_prefix("warning[").map(|r| format!("警告[{r}")))
            .or_else(|| line.strip_prefix("note[").map(|r| format!("提示[{r}")))
            .unwrap_or_else(|| line.to_string());
        out.push_str(&line);
    }
    out.replace("= 提示：", "= ")
        .replace("= 相关：", "= 相关 ")
        .replace("= 位置：", "= 位置 ")
}

/// One diagnostic about no input text (a file that cannot be written, a path that cannot be
/// used), rendered as the others are: `错误[F005]: …` and its hint.
pub fn plain(code: crate::diagnostic::Code, message: String, hint: &str) -> String {
    let d = crate::diagnostic::Diagnostic::of(code, message).hint(hint);
    human(&d.into(), &SourceFile::new("", String::new()))
}

/// Renders diagnostics as a JSON array.
pub fn json(diags: &Diagnostics) -> String {
    serde_json::to_string_pretty(diags).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
