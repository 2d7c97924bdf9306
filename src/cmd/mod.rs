//! 命令行子命令：check、build、figures、diff、init、convert、import。`main.rs` 只解析参数并把结果换成退出码。

pub mod audit;
pub mod build;
pub mod check;
pub mod context;
pub mod convert;
pub mod import;
pub mod init;
pub mod serve;
pub mod usage;

// Moved below the commands (issue 24); the old paths stay for the commands' own use.
pub use crate::diagnostic::os_error;
pub use crate::output::clobber;
pub use crate::{batch, diff, report};

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::render::Format;

/// 决算通：部门决算说明生成与校验工具。
#[derive(Debug, Parser)]
#[command(
    name = "juesuan",
    version,
    about = "决算通：由一年的事实数据生成部门决算说明（PDF / Typst / Markdown），并校验、计算其中每一个数。"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 校验输入文件：退出码 0 表示无错误，1 表示有错误（--strict 时警告也算）。
    Check {
        /// 输入文件（TOML 或 .xlsx 工作簿）；给文件夹时校验其中全部输入文件
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 把警告当作错误
        #[arg(long)]
        strict: bool,
        /// 诊断输出格式
        #[arg(long, value_name = "格式", value_enum, default_value_t = report::MessageFormat::Human)]
        format: report::MessageFormat,
        #[command(flatten)]
        forms: FormArgs,
        /// 上年的输入文件（或存放各单位上年输入的文件夹，按单位名称与年度查找）：
        /// 未填的上年数取自上年决算数，已填的与之核对
        #[arg(long, value_name = "上年文件")]
        previous: Option<PathBuf>,
        /// 校验文件夹时，把汇总表 summary.xlsx 与 summary.html 写到此目录
        #[arg(short, long, value_name = "目录")]
        output: Option<PathBuf>,
    },
    /// 生成部门决算说明。
    Build {
        /// 输入文件（TOML 或 .xlsx 工作簿）；给文件夹时为其中每个单位各生成一个“单位名称-年度”文件夹，并写出汇总表
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 输出目录
        #[arg(short, long, value_name = "目录", default_value = "output")]
        output: PathBuf,
        /// 输出格式，可写多个：pdf,typ,md
        #[arg(
            long,
            value_name = "格式",
            value_enum,
            value_delimiter = ',',
            default_value = "pdf"
        )]
        format: Vec<Format>,
        /// 把警告当作错误
        #[arg(long)]
        strict: bool,
        /// 打印各阶段耗时
        #[arg(long)]
        timings: bool,
        #[command(flatten)]
        forms: FormArgs,
        /// 额外的字体目录（可多次指定）
        #[arg(long = "font-dir", value_name = "目录")]
        font_dirs: Vec<PathBuf>,
        /// 只用内置字体（不同电脑上得到完全相同的 PDF）
        #[arg(long)]
        bundled_fonts: bool,
        /// 只生成第 N 个附件（绩效自评表），单独成文：输出 文件名-附件N.pdf
        #[arg(long, value_name = "N")]
        attachment: Option<usize>,
        /// 不写出文件，改为与此目录中的同名文件比较：相同退出码 0，不同则列出差异、退出码 1
        #[arg(long, value_name = "目录", conflicts_with = "output")]
        check: Option<PathBuf>,
        /// 上年的输入文件（或存放各单位上年输入的文件夹，按单位名称与年度查找）：
        /// 未填的上年数取自上年决算数，已填的与之核对
        #[arg(long, value_name = "上年文件")]
        previous: Option<PathBuf>,
    },
    /// 列出文中每一个计算得到的数：值、公式和来源（文件:行:列）。
    Figures {
        /// 输入文件（TOML 或 .xlsx 工作簿）
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        forms: FormArgs,
        /// 上年的输入文件（或存放各单位上年输入的文件夹，按单位名称与年度查找）：
        /// 未填的上年数取自上年决算数，已填的与之核对
        #[arg(long, value_name = "上年文件")]
        previous: Option<PathBuf>,
    },
    /// 打印模板收到的全部数据（JSON，键的顺序固定），供编写模板时查阅；各名称的含义见 docs/context.md。
    Context {
        /// 输入文件（TOML 或 .xlsx 工作簿）
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 按此表式（sichuan、chongqing、shanghai 或模板目录中的表式）准备数据，而不是输入中写的
        #[arg(long, value_name = "表式")]
        form: Option<String>,
        #[command(flatten)]
        forms: FormArgs,
    },
    /// 比较两份输入（如预算调整前后）：变动的事实、由此变动的计算数、说明中变动的句子。
    /// 退出码 0 表示没有变化，1 表示有变化（或输入有错误）。
    Diff {
        /// 旧的输入文件（TOML 或 .xlsx 工作簿）
        #[arg(value_name = "旧文件", display_order = 1)]
        old: PathBuf,
        /// 新的输入文件（TOML 或 .xlsx 工作簿）
        #[arg(value_name = "新文件", display_order = 2)]
        new: PathBuf,
        /// 输出格式
        #[arg(long, value_name = "格式", value_enum, default_value_t = report::MessageFormat::Human)]
        format: report::MessageFormat,
        #[command(flatten)]
        forms: FormArgs,
    },
    /// 生成带注释的示例输入文件、空白的 Excel 模板工作簿，或导出内置模板。
    Init {
        /// 示例输入文件的路径；以 .xlsx 结尾时改为生成空白 Excel 模板工作簿（同 --xlsx）
        #[arg(value_name = "文件", default_value = "juesuan.toml")]
        path: PathBuf,
        /// 改为把内置模板导出到此目录（默认 templates）
        #[arg(long, value_name = "目录", num_args = 0..=1, default_missing_value = "templates")]
        templates: Option<PathBuf>,
        /// 改为生成空白的 Excel 模板工作簿（表头、格式、下拉列表、说明页）
        #[arg(long, value_name = "工作簿.xlsx", conflicts_with = "templates")]
        xlsx: Option<PathBuf>,
        /// 生成该表式的示例（sichuan、chongqing、shanghai）；文件名以 .xlsx 结尾时生成填好示例的工作簿
        #[arg(long, value_name = "表式", conflicts_with_all = ["templates", "xlsx"])]
        form: Option<String>,
    },
    /// TOML 与 Excel 工作簿互相转换（按扩展名决定方向），内容完全等价。
    Convert {
        /// 来源文件（.toml 或 .xlsx）
        #[arg(value_name = "来源")]
        from: PathBuf,
        /// 目标文件（.xlsx 或 .toml）
        #[arg(value_name = "目标")]
        to: PathBuf,
        /// 目标文件已存在时覆盖
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        forms: FormArgs,
    },
    /// 读入公开表工作簿（决算软件导出的 Excel、或 build --format xlsx 生成的），写成 juesuan 输入。
    Import {
        /// 公开表工作簿（.xlsx 或 .xls）
        #[arg(value_name = "公开表")]
        file: PathBuf,
        /// 输出文件：.toml 或 .xlsx（模板工作簿）；缺省为 公开表文件名.toml
        #[arg(short, long, value_name = "文件")]
        output: Option<PathBuf>,
        /// 从原有输入带入表中没有的事实（原因、职能、次数、上年数……）
        #[arg(long, value_name = "原输入")]
        merge: Option<PathBuf>,
        /// 输出文件已存在时覆盖
        #[arg(long)]
        force: bool,
    },
    /// 核对已经发布的部门决算 PDF：读出公开表，核对加总与表间勾稽，列出差错（页、表、行、列、所印数、应为数）。
    Audit {
        /// 已发布的 PDF
        #[arg(value_name = "PDF")]
        file: PathBuf,
        /// 文件所依的表式（sichuan、chongqing、shanghai）；缺省由文中的表名判断
        #[arg(long, value_name = "表式")]
        form: Option<String>,
        #[command(flatten)]
        forms: FormArgs,
        /// 输出格式
        #[arg(long, value_name = "格式", value_enum, default_value_t = audit::AuditFormat::Text)]
        format: audit::AuditFormat,
        /// 审计文件夹时，把汇总表 summary.xlsx 与 summary.html 写到此目录；审计单个文件且 --format xlsx 时，写出的 .xlsx 文件
        #[arg(short, long, value_name = "目录或文件")]
        output: Option<PathBuf>,
    },
    /// 在本机打开网页版：上传工作簿，逐格查看问题，下载 PDF 等（不带参数运行 juesuan 时即启动此项）。
    Serve {
        /// 监听地址（默认 127.0.0.1:8480，只有本机能打开）；给其他地址时同一网络的电脑也能打开
        #[arg(long, value_name = "地址:端口")]
        addr: Option<std::net::SocketAddr>,
        /// 网页版还接受以此名称打开（如本机在局域网中的名称；可写多次）。其他网站的页面不能使用网页版
        #[arg(long = "allow-host", value_name = "名称")]
        allow_host: Vec<String>,
        #[command(flatten)]
        forms: FormArgs,
        /// 不自动打开浏览器
        #[arg(long)]
        no_open: bool,
    },
}

/// What every command that reads inputs takes to make its [`Session`](crate::session::Session):
/// the templates folder whose forms, layouts and templates overlay the built-in ones.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct FormArgs {
    /// 模板目录：其中与内置模板同名的文件优先，含 form.toml 的新文件夹是新增的表式、可在输入中选用（先用 `juesuan init --templates` 导出）
    #[arg(long, value_name = "目录")]
    pub templates: Option<PathBuf>,
}

/// A reader that stops early (`juesuan figures 本单位.toml | head`) closes the pipe. The
/// operating system's default is then to end the writer quietly, which Rust programs turn off
/// (a write fails, and `println!` panics: exit 101). It is restored for every command but
/// `serve`, whose sockets a browser may close at any time.
fn quiet_on_closed_pipe(command: &Command) {
    #[cfg(unix)]
    if !matches!(command, Command::Serve { .. }) {
        // SAFETY: sets a signal's disposition to its default; no handler runs our code.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    #[cfg(not(unix))]
    let _ = command;
}

/// After a double-click on juesuan.exe that failed (the web page could not start): Windows closes
/// the console window as soon as the program ends, so the clerk would never read why. Waits for
/// Enter there; does nothing elsewhere, or when no one is at the keyboard.
pub fn keep_window_open() {
    use std::io::IsTerminal;
    if cfg!(windows) && std::io::stdin().is_terminal() {
        eprintln!("按回车键关闭此窗口。");
        let _ = std::io::stdin().read_line(&mut String::new());
    }
}

/// Exit codes: 0 success, 1 errors in the input or the build, 2 usage (clap's own).
pub fn run(cli: Cli) -> i32 {
    quiet_on_closed_pipe(&cli.command);
    match cli.command {
        // A folder: every input in it (see `batch`).
        Command::Check {
            file,
            strict,
            format,
            forms: FormArgs { templates },
            output,
            ..
        } if batch::is_batch(&file) => batch::run(
            &file,
            &batch::BatchOptions {
                build: false,
                formats: Vec::new(),
                strict,
                output,
                evict_max_age: None,
                progress: true,
            },
            &batch::render_options(templates, Vec::new(), false),
            format,
        ),
        Command::Build {
            file,
            output,
            format,
            strict,
            forms: FormArgs { templates },
            font_dirs,
            bundled_fonts,
            attachment: None,
            ..
        } if batch::is_batch(&file) => batch::run(
            &file,
            &batch::BatchOptions {
                build: true,
                formats: format,
                strict,
                output: Some(output),
                evict_max_age: Some(batch::EVICT_MAX_AGE),
                progress: true,
            },
            &batch::render_options(templates, font_dirs, bundled_fonts),
            report::MessageFormat::Human,
        ),
        Command::Check {
            file,
            strict,
            format,
            forms: FormArgs { templates },
            previous,
            ..
        } => check::run(
            &file,
            templates.as_deref(),
            strict,
            format,
            previous.as_deref(),
        ),
        Command::Build {
            file,
            output,
            format,
            strict,
            timings,
            forms: FormArgs { templates },
            font_dirs,
            bundled_fonts,
            attachment,
            check,
            previous,
        } => build::run(build::BuildArgs {
            file,
            output,
            formats: format,
            strict,
            timings,
            templates,
            font_dirs,
            bundled_fonts,
            attachment,
            check,
            previous,
        }),
        Command::Figures {
            file,
            json,
            forms: FormArgs { templates },
            previous,
        } => check::figures(&file, templates.as_deref(), json, previous.as_deref()),
        Command::Context {
            file,
            form,
            forms: FormArgs { templates },
        } => context::run(&file, form.as_deref(), templates.as_deref()),
        Command::Init {
            path,
            templates,
            xlsx,
            form,
        } => match xlsx {
            _ if form.is_some() => init::form_example(&path, form.as_deref().unwrap_or_default()),
            Some(xlsx) => init::workbook(&xlsx),
            // `juesuan init 本单位.xlsx`: the clerk means the workbook, not TOML text in a .xlsx.
            None if templates.is_none() && crate::workbook::is_workbook(&path) => {
                init::workbook(&path)
            }
            None => init::run(&path, templates.as_deref()),
        },
        Command::Diff {
            old,
            new,
            format,
            forms: FormArgs { templates },
        } => match check::session(templates.as_deref()) {
            Ok(session) => diff::run(&old, &new, format, &session),
            Err(e) => check::unusable(&e, &old),
        },
        Command::Convert {
            from,
            to,
            force,
            forms: FormArgs { templates },
        } => match check::session(templates.as_deref()) {
            Ok(session) => convert::run(&from, &to, force, &session),
            Err(e) => check::unusable(&e, &from),
        },
        Command::Import {
            file,
            output,
            merge,
            force,
        } => import::run(import::ImportArgs {
            file,
            output,
            merge,
            force,
        }),
        Command::Audit {
            file,
            form,
            forms: FormArgs { templates },
            format,
            output,
        } => audit::run(&file, form, templates.as_deref(), format, output.as_deref()),
        Command::Serve {
            addr,
            allow_host,
            forms: FormArgs { templates },
            no_open,
        } => serve::run(serve::ServeArgs {
            addr,
            allow_hosts: allow_host,
            templates,
            open: !no_open,
        }),
    }
}
