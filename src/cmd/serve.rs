//! `juesuan serve`（以及不带参数运行 juesuan）：在本机开网页版，打印地址并打开浏览器。

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use crate::serve;

/// The address tried first when none is given; if it is taken, the system picks a free port.
pub const DEFAULT_ADDR: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8480);

/// A server thread's stack: Typst recurses deeply (the heavy work has threads of its own too).
const THREAD_STACK: usize = 8 * 1024 * 1024;

pub struct ServeArgs {
    pub addr: Option<SocketAddr>,
    /// `--allow-host`: other names the page may be opened by (with `--addr`).
    pub allow_hosts: Vec<String>,
    pub templates: Option<PathBuf>,
    pub open: bool,
}

pub fn run(args: ServeArgs) -> i32 {
    let state = match serve::AppState::new(args.templates.clone()) {
        Ok(s) => s,
        Err(d) => {
            for x in d.iter() {
                eprintln!("{x}");
            }
            eprintln!("模板目录无法使用，网页版未启动。");
            return 1;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("无法启动网页服务：{e}");
            return 1;
        }
    };
    runtime.block_on(async move {
        let listener = match bind(args.addr).await {
            Ok(l) => l,
            Err(message) => {
                eprintln!("{message}");
                return 1;
            }
        };
        let addr = match listener.local_addr() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("无法启动网页服务：{e}");
                return 1;
            }
        };
        let url = if addr.ip().is_unspecified() {
            format!("http://127.0.0.1:{}/", addr.port())
        } else {
            format!("http://{addr}/")
        };
        if !addr.ip().is_loopback() {
            eprintln!("！！！注意：网页版监听在 {addr}，不只是本机：同一网络中的其他电脑也能打开此页面、上传文件。");
            eprintln!("！！！只在确需让别的电脑使用时这样做；平时不要加 --addr，默认只有本机能打开。");
        }
        println!("决算通网页版已启动：在浏览器中打开 {url}");
        println!("上传的文件只在本机内存中处理，不会发送到别处。关闭此窗口（或按 Ctrl+C）即停止。");
        if args.open && open_browser(&url).is_err() {
            println!("未能自动打开浏览器，请手动打开上面的地址。");
        }
        let access = serve::Access::new(addr, &args.allow_hosts);
        let app = serve::router_for(state, access);
        match serve::serve(listener, app, serve::HEADER_TIMEOUT).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("网页服务出错停止：{e}");
                1
            }
        }
    })
}

async fn bind(addr: Option<SocketAddr>) -> Result<tokio::net::TcpListener, String> {
    let wanted = addr.unwrap_or(DEFAULT_ADDR);
    match tokio::net::TcpListener::bind(wanted).await {
        Ok(l) => Ok(l),
        // The default port is taken (another copy running?): let the system pick one.
        Err(_) if addr.is_none() => {
            tokio::net::TcpListener::bind(SocketAddr::new(DEFAULT_ADDR.ip(), 0))
                .await
                .map_err(|e| format!("无法在本机开端口：{e}"))
        }
        Err(e) => Err(format!(
            "无法监听 {wanted}：{e}\n  提示：换一个端口，如 --addr 127.0.0.1:8481；或不加 --addr。"
        )),
    }
}

/// Opens the default browser; failing to is not an error (the address is printed).
fn open_browser(url: &str) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = Command::new("cmd");
        c.args(["/c", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| ())
}
