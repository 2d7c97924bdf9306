//! 命令行用法的中文化：帮助页的标题（用法、命令、参数、选项）和用法错误的说明。
//!
//! clap writes its headings and errors in English. The headings are set here on every command;
//! the few fixed English phrases left inside an argument list (`[default: …]`) are replaced when
//! the help is printed; a usage error is rebuilt in Chinese from clap's error kind and context
//! (the argument, the value, the valid values, clap's suggestion), never shown in English.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::Cli;

/// Exit code of a usage error (clap's convention, kept).
pub const USAGE_ERROR: i32 = 2;

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command line with Chinese headings on every (sub)command.
pub fn command() -> Command {
    localise(Cli::command(), true)
}

fn localise(cmd: Command, top: bool) -> Command {
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    cmd = cmd.mut_args(|a| {
        if a.get_help_heading().is_some() {
            a
        } else if a.is_positional() {
            a.help_heading("参数")
        } else {
            a.help_heading("选项")
        }
    });
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| localise(s, false));
    }
    cmd
}

/// Parses the command line. Help and version are printed here (exit 0); a usage error is
/// printed in Chinese (exit 2).
pub fn parse<I, T>(args: I) -> Result<Cli, i32>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // No arguments at all (a double-click on the program): the web page.
    if args.len() == 1 {
        args.push("serve".into());
    }
    // `juesuan help [命令]` reads as `juesuan [命令] --help`.
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    let cmd = command();
    // The subcommand typed, for "更多说明：juesuan build --help" when clap gives no usage line.
    let sub = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| cmd.find_subcommand(a).is_some())
        .map(|a| format!("juesuan {a}"))
        .unwrap_or_else(|| "juesuan".to_string());
    let parsed = cmd
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => Ok(cli),
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                print!("{}", localise_help(&e.render().to_string()));
                Err(0)
            }
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                eprint!("{}", localise_help(&e.render().to_string()));
                Err(USAGE_ERROR)
            }
            _ => {
                eprint!("{}", message(&e, &sub));
                Err(USAGE_ERROR)
            }
        },
    }
}

/// The fixed English phrases clap writes inside an argument list.
fn localise_help(help: &str) -> String {
    help.replace("[OPTIONS]", "[选项]")
        .replace("[default: ", "[默认：")
        .replace("[possible values: ", "[可选值：")
        .replace("Possible values:", "可选值：")
        .replace("[aliases: ", "[别名：")
}

fn text(v: Option<&ContextValue>) -> String {
    match v {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        Some(ContextValue::Bool(b)) => b.to_string(),
        Some(ContextValue::None) | None => String::new(),
        Some(_) => String::new(),
    }
}

/// A usage error in Chinese: what is wrong, how to write it, where to read more.
/// `command` is the (sub)command typed, e.g. `juesuan build`.
pub fn message(e: &clap::Error, command: &str) -> String {
    let get = |k: ContextKind| text(e.get(k));
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let what = match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 后面缺少取值"),
        ErrorKind::InvalidValue => format!("参数 {arg} 的取值“{value}”无效"),
        ErrorKind::ValueValidation => format!("参数 {arg} 的取值“{value}”无效"),
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", get(ContextKind::InvalidSubcommand))
        }
        ErrorKind::NoEquals => format!("参数 {arg} 须用等号写取值，如 {arg}=值"),
        ErrorKind::MissingRequiredArgument => format!("缺少必填的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::ArgumentConflict => {
            format!("参数 {arg} 不能与 {} 同时使用", get(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues => format!("参数 {arg} 的取值“{value}”多余"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::InvalidUtf8 => "命令行中有无法识别的字符（不是 UTF-8 编码）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let mut out = format!("错误：{what}。\n");
    let valid = get(ContextKind::ValidValue);
    if !valid.is_empty() {
        out.push_str(&format!("  可选值：{valid}\n"));
    }
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(get)
    .find(|s| !s.is_empty());
    match suggested {
        Some(s) => out.push_str(&format!("  提示：是不是想写“{s}”？\n")),
        None if e.kind() == ErrorKind::UnknownArgument && arg.starts_with('-') => out
            .push_str("  提示：以 - 开头的文件名写在 -- 之后，如 juesuan check -- -文件.toml。\n"),
        None if e.kind() == ErrorKind::ValueValidation && arg.contains("<N>") => {
            out.push_str("  提示：写一个正整数，如 --attachment 1。\n")
        }
        None => {}
    }
    let usage = get(ContextKind::Usage);
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    if !usage.is_empty() {
        out.push_str(&format!(
            "\n用法：{}\n",
            usage.replace("[OPTIONS]", "[选项]")
        ));
    }
    out.push_str(&format!("更多说明：{command} --help\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_localised_command_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn parses_what_the_derive_parses() {
        let cli = parse(["juesuan", "build", "a.toml", "--format", "typ,md"]).unwrap();
        assert!(matches!(cli.command, super::super::Command::Build { .. }));
        assert_eq!(parse(["juesuan", "build"]).err(), Some(USAGE_ERROR));
        assert_eq!(parse(["juesuan", "help", "build"]).err(), Some(0));
    }
}
