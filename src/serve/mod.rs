//! 网页版：`juesuan serve` 在本机开一个网页，上传工作簿或 TOML，逐格看到问题，下载 PDF、Markdown、公开表。
//!
//! The server holds one [`Engine`] for its life (templates, fonts and Typst's caches stay warm),
//! built with the bundled fonts only, so a PDF from the page is byte-identical to
//! `juesuan build --bundled-fonts` on every machine. Forms a user added come from `--templates`
//! at start-up, never from a request.
//!
//! Safety: an upload is capped at [`MAX_UPLOAD`] bytes while it streams in and is held in memory
//! only; its name is a label in messages and never a path; nothing is written to disk; every
//! request has a time limit ([`REQUEST_TIMEOUT`]); the heavy work (reading, checking, Typst) runs
//! on a thread of its own with a large stack (Typst recurses deeply), at most one per core at a
//! time, and a panic there is answered with a Chinese message, never a stack trace.
//!
//! Other sites: a page the clerk has open elsewhere can make the browser send requests here. So
//! the page answers only the `Host` names it was opened by ([`Access`]: a site that resolves its
//! own name to 127.0.0.1, “DNS rebinding”, sends its own name), refuses a request that changes
//! something (any method but GET/HEAD/OPTIONS) whose `Origin` is another site, names batch jobs
//! by random 128-bit ids, forbids being framed, and closes a connection whose request headers do
//! not arrive within [`HEADER_TIMEOUT`] ([`serve`]).

use std::collections::VecDeque;
use std::io::{Cursor, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::Semaphore;

use crate::Checked;
use crate::batch::Input;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, codes};
use crate::render::fonts::FontOptions;
use crate::render::{Engine, Format, RenderOptions, Timings};
use crate::session::Session;

mod upload;

/// The largest upload accepted, checked while it streams in.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// The time limit of one request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// The time a connection has to send a request's headers (a browser sends them at once); a
/// client that trickles them is disconnected, so it cannot hold connections open.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 256;

/// The stack of a worker thread: Typst recurses deeply on large documents.
const WORKER_STACK: usize = 32 * 1024 * 1024;

/// Rows and columns of a sheet shown on the page (a department's sheets are far smaller).
const GRID_ROWS: usize = 1_000;
const GRID_COLUMNS: usize = 60;

const PAGE: &str = include_str!("page.html");

/// What every request shares: the warm engine and the forms known at start-up.
pub struct AppState {
    session: Session,
    /// At most one heavy job per core at a time.
    workers: Semaphore,
    /// The 财政局 view's batch jobs by id, newest last (at most [`KEPT_JOBS`]).
    jobs: Mutex<VecDeque<(String, Arc<Job>)>>,
}

/// Builds whose memoised Typst results are kept (see `build_upload`).
const KEPT_LAYOUTS: usize = 4;

/// Batch jobs kept for their results to be read.
const KEPT_JOBS: usize = 16;

/// Inputs in one batch upload.
const MAX_BATCH_FILES: usize = 500;

/// A folder of packages checked in the background; the page polls its progress.
pub struct Job {
    total: usize,
    done: AtomicUsize,
    summary: Mutex<Option<serde_json::Value>>,
}

impl AppState {
    /// The engine (bundled fonts only) over the built-in templates, overlaid by `templates`.
    pub fn new(templates: Option<PathBuf>) -> Result<Arc<AppState>, Diagnostics> {
        let options = RenderOptions {
            templates,
            fonts: FontOptions {
                bundled_only: true,
                dirs: Vec::new(),
            },
            attachment: None,
        };
        let session = Session::new(&options)?;
        // A clerk uploads the same department again and again: each layout starts from the last.
        crate::render::pdf::remember_layouts(true);
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Ok(Arc::new(AppState {
            session,
            workers: Semaphore::new(cores),
            jobs: Mutex::new(VecDeque::new()),
        }))
    }

    pub fn engine(&self) -> &Engine {
        self.session.engine()
    }
}

/// Who may use the page: the `Host` values it answers (and so the origins whose requests may
/// change something).
#[derive(Clone, Debug)]
pub struct Access {
    /// Host names (lower-case, an IPv6 address in brackets) accepted on `port`.
    names: Vec<String>,
    /// The port a `Host` must name; `None`: any (the router without a bound address, in tests).
    port: Option<u16>,
    /// Bound to every interface: any IP address is a name of this machine. An address cannot be
    /// rebound to another site (DNS rebinding needs a name), so accepting them is safe.
    any_ip: bool,
}

/// The names of this machine every page answers: `127.0.0.1`, `localhost`, `[::1]`.
const LOOPBACK_NAMES: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

impl Access {
    /// The page bound at `addr`: the loopback names on its port, the bound address itself, and
    /// the names given with `--allow-host` (a name, or `name:port` whose port is ignored).
    pub fn new(addr: SocketAddr, allowed: &[String]) -> Access {
        let mut names: Vec<String> = LOOPBACK_NAMES.iter().map(|n| n.to_string()).collect();
        let ip = addr.ip();
        // The bound address itself (also another loopback one, such as 127.0.0.2).
        if !ip.is_unspecified() && !names.contains(&host_name(ip)) {
            names.push(host_name(ip));
        }
        for a in allowed {
            let (name, _) = split_host(a.trim());
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
        Access {
            names,
            port: Some(addr.port()),
            any_ip: ip.is_unspecified(),
        }
    }

    /// The loopback names on any port: the router as tests (and `router`) use it.
    pub fn loopback() -> Access {
        Access {
            names: LOOPBACK_NAMES.iter().map(|n| n.to_string()).collect(),
            port: None,
            any_ip: false,
        }
    }

    /// Whether a `Host` header value names this page.
    pub fn allows_host(&self, host: &str) -> bool {
        let (name, port) = split_host(host.trim());
        let name = name.to_ascii_lowercase();
        let port_ok = match (self.port, port) {
            (None, _) => true,
            (Some(p), Some(q)) => p == q,
            (Some(p), None) => p == 80,
        };
        let name_ok = self.names.contains(&name)
            || (self.any_ip
                && name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<IpAddr>()
                    .is_ok());
        port_ok && name_ok
    }

    /// Whether an `Origin` header value is this page (`http://127.0.0.1:8480`).
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| !host.contains('/') && self.allows_host(host))
    }

    /// The addresses the page may be opened at, for messages.
    fn shown(&self) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        self.names
            .iter()
            .map(|n| format!("{n}{port}"))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// An address as a `Host` names it: an IPv6 address in brackets.
fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// `name:port` → (name, port); `[::1]:8480` → (`[::1]`, 8480); a name without a port alone.
fn split_host(host: &str) -> (&str, Option<u16>) {
    let (name, port) = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => (&host[..=end], host[end + 1..].strip_prefix(':')),
            None => (host, None),
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    // A port that is no number reads as port 0, which no page is bound to.
    (name, port.map(|p| p.parse::<u16>().unwrap_or(0)))
}

/// Every route of the page, answering the loopback names on any port (see [`router_for`]).
pub fn router(state: Arc<AppState>) -> Router {
    router_for(state, Access::loopback())
}

/// Every route of the page, for the clients `access` allows.
pub fn router_for(state: Arc<AppState>, access: Access) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/template.xlsx", get(template))
        .route("/check", post(check))
        .route("/build", post(build))
        .route("/batch", post(batch))
        .route("/batch/{id}", get(batch_progress))
        .route("/audit", post(upload::audit_pdf))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .layer(middleware::from_fn(time_limit))
        .layer(middleware::from_fn_with_state(Arc::new(access), guard))
        .with_state(state)
}

/// Refuses a request from another site before anything is read, and tells the browser never
/// to show any answer inside another site's page.
async fn guard(State(access): State<Arc<Access>>, req: Request, next: Next) -> Response {
    let mut response = match refusal(&access, req.method(), req.headers()) {
        Some(refused) => refused,
        None => next.run(req).await,
    };
    let h = response.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let policy = match h.get(header::CONTENT_SECURITY_POLICY) {
        Some(p) => format!("{}; frame-ancestors 'none'", p.to_str().unwrap_or_default()),
        None => "frame-ancestors 'none'".to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    response
}

/// Why a request is refused: a `Host` that is not this page, or a request that changes
/// something sent by another site.
fn refusal(access: &Access, method: &Method, headers: &HeaderMap) -> Option<Response> {
    let shown = |v: &HeaderValue| -> String {
        String::from_utf8_lossy(v.as_bytes())
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect()
    };
    // No `Host` at all is no browser (a browser always sends one), so no rebinding either.
    if let Some(host) = headers.get(header::HOST) {
        if !host.to_str().is_ok_and(|h| access.allows_host(h)) {
            return Some(failure(
                StatusCode::FORBIDDEN,
                format!(
                    "决算通网页版只接受以本机地址打开（{}），不接受“{}”",
                    access.shown(),
                    shown(host)
                ),
                "在浏览器中打开 juesuan 启动时打印的地址；确需用其他名称打开时，启动时加 --allow-host 该名称。",
            ));
        }
    }
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let foreign = match headers.get(header::ORIGIN) {
        Some(origin) => {
            (!origin.to_str().is_ok_and(|o| access.allows_origin(o))).then(|| shown(origin))
        }
        // An older browser may leave `Origin` out; the fetch metadata still says whence.
        None => headers
            .get("sec-fetch-site")
            .filter(|v| matches!(v.as_bytes(), b"cross-site" | b"same-site"))
            .map(|_| "其他网站".to_string()),
    };
    foreign.map(|origin| {
        failure(
            StatusCode::FORBIDDEN,
            format!("拒绝了来自其他网页（{origin}）的请求：只有决算通自己的页面能上传文件"),
            "在浏览器地址栏打开 juesuan 启动时打印的地址（如 http://127.0.0.1:8480/），在那个页面上操作。",
        )
    })
}

/// Serves `app` on `listener` until the process ends: HTTP/1, at most [`MAX_CONNECTIONS`] at
/// once, and a connection whose request headers take longer than `header_timeout` is closed.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
) -> std::io::Result<()> {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let permit = Arc::clone(&connections)
            .acquire_owned()
            .await
            .map_err(std::io::Error::other)?;
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file handles, a connection reset before it was accepted: try again.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(
            app.clone().into_service::<hyper::body::Incoming>(),
        );
        tokio::spawn(async move {
            let _permit = permit;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout);
            let _ = http
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A job id no other page can guess: 128 random bits, as 32 hex digits.
fn new_job_id() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

async fn time_limit(req: Request, next: Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => failure(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "处理超过 {} 秒仍未完成，已停止等待",
                REQUEST_TIMEOUT.as_secs()
            ),
            "稍后再试；若一直如此，用命令行 juesuan build 生成。",
        ),
    }
}

/// A JSON answer that is not about the input: a message and a hint, in Chinese.
fn failure(status: StatusCode, message: String, hint: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error": message, "hint": hint })),
    )
        .into_response()
}

async fn not_found() -> Response {
    failure(
        StatusCode::NOT_FOUND,
        "没有这个页面".to_string(),
        "打开首页 / 。",
    )
}

async fn page() -> Response {
    let mut r = Html(PAGE).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             frame-src blob:; object-src blob:; img-src 'self' data:",
        ),
    );
    r
}

async fn template() -> Response {
    match crate::workbook::template() {
        Ok(bytes) => attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "决算模板.xlsx",
        ),
        Err(d) => (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(d)).into_response(),
    }
}

/// A file to download, named in UTF-8 (RFC 6266 / 5987).
fn attachment(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"juesuan\"; filename*=UTF-8''{encoded}");
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// One upload: a label for messages (never a path) and the bytes, in memory.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

/// The name of an upload as a label: its last component, without control characters, short.
pub fn label(name: Option<&str>) -> String {
    let last = name
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        "上传文件".to_string()
    } else {
        clean
    }
}

fn too_large() -> Response {
    failure(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("上传的文件超过 {} MB 的上限", MAX_UPLOAD / (1024 * 1024)),
        "一个单位一年的决算数据不会这么大：检查是否选错了文件，或删去无关的工作表、图片后另存。",
    )
}

/// Reads the upload: the first file of a multipart form, or the raw body (named by `?name=`).
async fn upload(req: Request, name: Option<String>) -> Result<Upload, Response> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let rejected = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            failure(
                StatusCode::BAD_REQUEST,
                "上传没有完成，无法读取".to_string(),
                "重新选择文件上传。",
            )
        }
    };
    if !is_multipart {
        let bytes = Bytes::from_request(req, &())
            .await
            .map_err(|e| rejected(e.status()))?;
        return Ok(Upload {
            name: label(name.as_deref()),
            bytes: bytes.to_vec(),
        });
    }
    let mut form = Multipart::from_request(req, &())
        .await
        .map_err(|e| rejected(e.status()))?;
    while let Some(field) = form.next_field().await.map_err(|e| rejected(e.status()))? {
        let file_name = field.file_name().map(str::to_string);
        if file_name.is_none() && field.name() != Some("file") {
            continue;
        }
        let bytes = field.bytes().await.map_err(|e| rejected(e.status()))?;
        return Ok(Upload {
            name: label(file_name.as_deref().or(name.as_deref())),
            bytes: bytes.to_vec(),
        });
    }
    Err(failure(
        StatusCode::BAD_REQUEST,
        "请求中没有文件".to_string(),
        "选择一个工作簿（.xlsx）或 TOML 文件再上传。",
    ))
}

/// Runs `work` on a thread of its own (large stack), at most one per core at a time.
async fn heavy<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> T + Send + 'static,
) -> Result<T, Response> {
    let busy = || {
        failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "处理时出现内部错误".to_string(),
            "重新上传一次；若仍出错，用命令行 juesuan check 查看。",
        )
    };
    let _permit = state.workers.acquire().await.map_err(|_| busy())?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    let shared = Arc::clone(state);
    std::thread::Builder::new()
        .name("juesuan-serve".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&shared)));
            let _ = tx.send(out);
        })
        .map_err(|_| busy())?;
    match rx.await {
        Ok(Ok(out)) => Ok(out),
        _ => Err(busy()),
    }
}

#[derive(Deserialize)]
struct CheckQuery {
    name: Option<String>,
}

/// One diagnostic as the page shows it.
#[derive(Serialize)]
struct Finding<'a> {
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
    /// The hints, one line.
    hint: String,
    sheet: Option<&'a str>,
    cell: Option<&'a str>,
    line: Option<usize>,
}

/// The diagnostics of a sheet (or of the file, for a TOML input or a finding without a cell).
#[derive(Serialize)]
struct Group<'a> {
    sheet: Option<&'a str>,
    findings: Vec<Finding<'a>>,
}

/// A sheet's cells, from A1, as text.
#[derive(Serialize)]
pub struct Grid {
    pub rows: Vec<Vec<String>>,
    pub truncated: bool,
}

/// The answer to `/check` (and to a `/build` that cannot build).
fn report(
    checked: &Checked,
    grids: &std::collections::BTreeMap<String, Grid>,
) -> serde_json::Value {
    let d = &checked.diagnostics;
    let mut groups: Vec<Group> = Vec::new();
    for diagnostic in d.iter() {
        let (sheet, cell, line) = match &diagnostic.location {
            Some(Location::Cell { sheet, cell, .. }) => {
                (Some(sheet.as_str()), Some(cell.as_str()), None)
            }
            Some(Location::File { line, .. }) => (None, None, Some(*line)),
            None => (None, None, None),
        };
        let finding = Finding {
            diagnostic,
            hint: diagnostic.hints.join(" "),
            sheet,
            cell,
            line,
        };
        match groups.iter_mut().find(|g| g.sheet == sheet) {
            Some(g) => g.findings.push(finding),
            None => groups.push(Group {
                sheet,
                findings: vec![finding],
            }),
        }
    }
    json!({
        "file": checked.source.name.to_string(),
        "ok": !d.blocks(false),
        "built": checked.bureau.is_some() && !d.blocks(false),
        "summary": d.summary(),
        "errors": d.count(crate::diagnostic::Severity::Error),
        "warnings": d.count(crate::diagnostic::Severity::Warning),
        "diagnostics": d,
        "groups": groups,
        "sheets": grids,
    })
}

/// Checks an upload as `juesuan check` does a file (content decides workbook or TOML).
fn check_upload(state: &AppState, upload: &Upload) -> Checked {
    Input::Memory {
        name: upload.name.clone(),
        bytes: upload.bytes.clone(),
    }
    .check(state.session.forms())
}

/// The cells of the sheets the findings point at, when the upload is a readable workbook.
fn grids(upload: &Upload, checked: &Checked) -> std::collections::BTreeMap<String, Grid> {
    let mut out = std::collections::BTreeMap::new();
    let unreadable = checked
        .diagnostics
        .iter()
        .any(|d| d.code == codes::WORKBOOK_UNREADABLE || d.code == codes::WORKBOOK_LIMIT);
    let is_workbook = matches!(
        crate::workbook::open::sniff(&upload.name, &upload.bytes),
        crate::workbook::open::Content::Workbook(_)
    );
    if unreadable || !is_workbook {
        return out;
    }
    let mut sheets: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter_map(|d| match &d.location {
            Some(Location::Cell { sheet, .. }) => Some(sheet.as_str()),
            _ => None,
        })
        .collect();
    sheets.sort_unstable();
    sheets.dedup();
    if sheets.is_empty() {
        return out;
    }
    use calamine::Reader;
    let Ok(mut book) = calamine::open_workbook_auto_from_rs(Cursor::new(upload.bytes.as_slice()))
    else {
        return out;
    };
    for sheet in sheets {
        let Ok(range) = book.worksheet_range(sheet) else {
            continue;
        };
        out.insert(sheet.to_string(), grid(&range));
    }
    out
}

fn grid(range: &calamine::Range<calamine::Data>) -> Grid {
    let Some((top, left)) = range.start() else {
        return Grid {
            rows: Vec::new(),
            truncated: false,
        };
    };
    let (bottom, right) = range.end().unwrap_or((top, left));
    let height = (bottom as usize).saturating_add(1);
    let width = (right as usize).saturating_add(1);
    let truncated = height > GRID_ROWS || width > GRID_COLUMNS;
    let height = height.min(GRID_ROWS);
    let width = width.min(GRID_COLUMNS);
    let mut rows = vec![vec![String::new(); width]; height];
    for (r, c, value) in range.used_cells() {
        let (row, col) = (top as usize + r, left as usize + c);
        if row < height && col < width {
            let text = value.to_string();
            rows[row][col] = text.chars().take(200).collect();
        }
    }
    Grid { rows, truncated }
}

async fn check(
    State(state): State<Arc<AppState>>,
    Query(q): Query<CheckQuery>,
    req: Request,
) -> Response {
    let upload = match upload(req, q.name).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match heavy(&state, move |s| {
        let checked = check_upload(s, &upload);
        let grids = grids(&upload, &checked);
        report(&checked, &grids)
    })
    .await
    {
        Ok(body) => axum::Json(body).into_response(),
        Err(r) => r,
    }
}

#[derive(Deserialize)]
struct BuildQuery {
    format: Option<String>,
    name: Option<String>,
}

/// What `/build` produces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    One(Format),
    Zip,
}

impl Wanted {
    fn parse(s: Option<&str>) -> Option<Wanted> {
        Some(match s.unwrap_or("pdf") {
            "pdf" => Wanted::One(Format::Pdf),
            "md" => Wanted::One(Format::Md),
            "typ" => Wanted::One(Format::Typ),
            "xlsx" => Wanted::One(Format::Xlsx),
            "zip" => Wanted::Zip,
            _ => return None,
        })
    }

    fn formats(self) -> Vec<Format> {
        match self {
            Wanted::One(f) => vec![f],
            Wanted::Zip => vec![Format::Pdf, Format::Typ, Format::Md, Format::Xlsx],
        }
    }
}

fn mime(extension: &str) -> &'static str {
    match extension {
        "pdf" => "application/pdf",
        "md" => "text/markdown; charset=utf-8",
        "typ" => "text/plain; charset=utf-8",
        "zip" => "application/zip",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
}

/// The stem of the files made from an upload: its name without the extension.
fn stem(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s.to_string(),
        _ => name.to_string(),
    }
}

/// The built files, or the diagnostics JSON when nothing could be built.
enum Built {
    Files(Vec<crate::render::Artifact>),
    Refused(serde_json::Value),
}

/// Builds an upload: the same steps (and so the same bytes) as `juesuan build --bundled-fonts`.
fn build_upload(state: &AppState, upload: &Upload, formats: &[Format]) -> Built {
    let checked = check_upload(state, upload);
    let bureau = match checked.bureau.as_ref() {
        Some(b) if !checked.diagnostics.blocks(false) => b,
        _ => return Built::Refused(report(&checked, &grids(upload, &checked))),
    };
    let mut timings = Timings::default();
    let built = state.session.build(bureau, formats, &mut timings);
    // Typst memoises its layout results; kept for ever they grew the server by ~11 MB per
    // distinct document. Those not used by the last few builds are dropped, so a clerk who
    // uploads the same unit again stays fast and memory stays bounded.
    crate::render::engine::evict_caches(KEPT_LAYOUTS);
    match built {
        Ok(artifacts) => Built::Files(artifacts),
        Err(errors) => {
            let failed = Checked {
                source: checked.source.clone(),
                bureau: None,
                diagnostics: errors,
            };
            Built::Refused(report(&failed, &Default::default()))
        }
    }
}

/// A zip of the files, the same bytes for the same files (fixed dates, fixed order).
fn zip_of(stem: &str, artifacts: &[crate::render::Artifact]) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for a in artifacts {
        zip.start_file(format!("{stem}.{}", a.extension), options)
            .map_err(std::io::Error::other)?;
        zip.write_all(&a.bytes)?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

async fn build(
    State(state): State<Arc<AppState>>,
    Query(q): Query<BuildQuery>,
    req: Request,
) -> Response {
    let Some(wanted) = Wanted::parse(q.format.as_deref()) else {
        return failure(
            StatusCode::BAD_REQUEST,
            format!(
                "不认识的格式 {}",
                q.format
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .take(20)
                    .collect::<String>()
            ),
            "格式可选 pdf、md、typ、xlsx、zip。",
        );
    };
    let upload = match upload(req, q.name).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let stem = stem(&upload.name);
    let built = heavy(&state, move |s| build_upload(s, &upload, &wanted.formats())).await;
    let artifacts = match built {
        Ok(Built::Files(a)) => a,
        Ok(Built::Refused(body)) => {
            return (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response();
        }
        Err(r) => return r,
    };
    match wanted {
        Wanted::Zip => match zip_of(&stem, &artifacts) {
            Ok(bytes) => attachment(bytes, mime("zip"), &format!("{stem}.zip")),
            Err(_) => failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "打包 zip 失败".to_string(),
                "分别下载各个文件。",
            ),
        },
        Wanted::One(_) => match artifacts.into_iter().next() {
            Some(a) => {
                let name = format!("{stem}.{}", a.extension);
                attachment(a.bytes, mime(a.extension), &name)
            }
            None => failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "没有生成文件".to_string(),
                "重新上传一次。",
            ),
        },
    }
}

/// `POST /batch`: several workbooks or TOML files (one multipart field each) checked as
/// `juesuan check 目录` checks a folder, in the background. Answers the job's id at once.
async fn batch(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let rejected = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            failure(
                StatusCode::BAD_REQUEST,
                "上传没有完成，无法读取".to_string(),
                "重新选择文件上传。",
            )
        }
    };
    let mut form = match Multipart::from_request(req, &()).await {
        Ok(f) => f,
        Err(e) => return rejected(e.status()),
    };
    let mut inputs = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return rejected(e.status()),
        };
        let name = label(field.file_name());
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => return rejected(e.status()),
        };
        if inputs.len() >= MAX_BATCH_FILES {
            return failure(
                StatusCode::BAD_REQUEST,
                format!("一次最多检查 {MAX_BATCH_FILES} 个文件"),
                "分几次上传。",
            );
        }
        inputs.push(Input::Memory {
            name,
            bytes: bytes.to_vec(),
        });
    }
    if inputs.is_empty() {
        return failure(
            StatusCode::BAD_REQUEST,
            "请求中没有文件".to_string(),
            "选择各单位的工作簿（可多选）再上传。",
        );
    }
    let job = Arc::new(Job {
        total: inputs.len(),
        done: AtomicUsize::new(0),
        summary: Mutex::new(None),
    });
    let Some(id) = new_job_id() else {
        return failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "无法开始检查（系统没有提供随机数）".to_string(),
            "稍后再试。",
        );
    };
    {
        let mut jobs = state.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.push_back((id.clone(), Arc::clone(&job)));
        while jobs.len() > KEPT_JOBS {
            jobs.pop_front();
        }
    }
    let shared = Arc::clone(&state);
    let worker = Arc::clone(&job);
    let started = std::thread::Builder::new()
        .name("juesuan-batch".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let options = crate::batch::BatchOptions {
                build: false,
                formats: Vec::new(),
                strict: false,
                output: None,
                evict_max_age: None,
                progress: false,
            };
            let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let summary = crate::batch::process(&shared.session, &inputs, &options, &|_| {
                    worker.done.fetch_add(1, Ordering::Relaxed);
                });
                serde_json::to_value(&summary).unwrap_or_else(|e| json!({ "error": e.to_string() }))
            }));
            let value = run.unwrap_or_else(|_| json!({ "error": "检查时出现内部错误" }));
            *worker.summary.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
        });
    if started.is_err() {
        return failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "无法开始检查".to_string(),
            "稍后再试。",
        );
    }
    axum::Json(json!({ "job": id, "total": job.total })).into_response()
}

/// `GET /batch/{id}`: how far a batch is, and its summary once done.
async fn batch_progress(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let job = state
        .jobs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|(key, _)| *key == id)
        .map(|(_, job)| Arc::clone(job));
    let Some(job) = job else {
        return failure(
            StatusCode::NOT_FOUND,
            "没有这项检查（可能已过期）".to_string(),
            "重新上传各单位的文件。",
        );
    };
    let summary = job
        .summary
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    axum::Json(json!({
        "total": job.total,
        "done": job.done.load(Ordering::Relaxed).min(job.total),
        "finished": summary.is_some(),
        "summary": summary,
    }))
    .into_response()
}
