//! `juesuan serve`: every route, request by request (tower's `oneshot` on the router), with
//! oversized, malformed and concurrent uploads, a PDF byte-identical to the CLI's, and uploads
//! whose names try to point at files outside the upload.

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use juesuan::serve::{Access, AppState, MAX_UPLOAD, router, router_for};
use serde_json::Value;
use tower::ServiceExt;

const EXAMPLE_XLSX: &str = "data/ebian-xinfang-2023.xlsx";
const EXAMPLE_TOML: &str = "data/ebian-xinfang-2023.toml";

/// One state for the whole test binary, as a server keeps one for its life.
fn state() -> Arc<AppState> {
    static STATE: OnceLock<Arc<AppState>> = OnceLock::new();
    STATE
        .get_or_init(|| AppState::new(None).expect("built-in templates"))
        .clone()
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).expect(path)
}

/// A multipart body with one file field.
fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----juesuan-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn send(req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let resp = router(state()).oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = to_bytes(resp.into_body(), usize::MAX).await.expect("body");
    (status, headers, body.to_vec())
}

async fn post(
    path: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let (content_type, body) = multipart(name, bytes);
    send(
        Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
}

/// The example with one figure changed so that a declared total no longer matches its parts.
fn broken_toml() -> String {
    let text = String::from_utf8(read(EXAMPLE_TOML)).expect("utf-8");
    let broken = text.replacen("declared_total = 305.97", "declared_total = 315.97", 1);
    assert_ne!(broken, text, "the example still declares 305.97");
    broken
}

fn broken_xlsx() -> Vec<u8> {
    juesuan::workbook::from_toml("broken.toml", &broken_toml()).expect("converts")
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("juesuan-serve-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

/// `juesuan check --format json` of bytes saved under `name` (run in a scratch folder, so the
/// file is named exactly as the upload is).
fn cli_check(test: &str, name: &str, bytes: &[u8]) -> Value {
    let dir = scratch(test);
    std::fs::write(dir.join(name), bytes).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .current_dir(&dir)
        .args(["check", "--format", "json", name])
        .output()
        .expect("runs");
    let _ = std::fs::remove_dir_all(&dir);
    json(&out.stdout)
}

#[tokio::test]
async fn the_page_is_chinese_and_self_contained() {
    let (status, headers, body) =
        send(Request::get("/").body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = String::from_utf8(body).expect("utf-8");
    for text in [
        "下载空白模板",
        "拖到这里",
        "下载 PDF",
        "下载 Markdown",
        "公开表",
        "zip",
        "预览",
    ] {
        assert!(page.contains(text), "the page lacks {text}");
    }
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no external URL"
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
}

#[tokio::test]
async fn an_unknown_path_is_a_chinese_404() {
    let (status, _, body) = send(
        Request::get("/../../etc/passwd")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("没有这个页面")
    );
}

#[tokio::test]
async fn the_template_workbook_is_the_one_init_writes() {
    let (status, headers, body) = send(
        Request::get("/template.xlsx")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, juesuan::workbook::template().expect("template"));
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("attachment"), "{disposition}");
    // It reads back as an input (with findings only about the blanks, never unreadable).
    let (status, _, body) = post("/check", "决算模板.xlsx", &body).await;
    assert_eq!(status, StatusCode::OK);
    let report = json(&body);
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "X001")
    );
}

#[tokio::test]
async fn a_clean_workbook_checks_clean() {
    let (status, _, body) = post("/check", "信访局.xlsx", &read(EXAMPLE_XLSX)).await;
    assert_eq!(status, StatusCode::OK);
    let report = json(&body);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["errors"], 0);
    assert_eq!(report["file"], "信访局.xlsx");
}

#[tokio::test]
async fn a_broken_workbook_names_the_cell_and_sends_its_sheet() {
    let bytes = broken_xlsx();
    let (status, _, body) = post("/check", "broken.xlsx", &bytes).await;
    assert_eq!(status, StatusCode::OK);
    let report = json(&body);
    assert_eq!(report["ok"], false);
    // The same diagnostics as `juesuan check` of the same file.
    assert_eq!(
        report["diagnostics"],
        cli_check("broken-cell", "broken.xlsx", &bytes)
    );
    // Grouped by sheet, each finding with its cell, and that sheet's cells sent along.
    let groups = report["groups"].as_array().unwrap();
    let finding = groups
        .iter()
        .flat_map(|g| g["findings"].as_array().unwrap())
        .find(|f| f["cell"].is_string())
        .expect("a finding at a cell");
    let sheet = finding["sheet"].as_str().unwrap();
    let cell = finding["cell"].as_str().unwrap();
    assert!(!finding["message"].as_str().unwrap().is_empty());
    assert!(!finding["hint"].as_str().unwrap().is_empty(), "{finding}");
    assert!(groups.iter().any(|g| g["sheet"] == sheet));
    let grid = &report["sheets"][sheet]["rows"];
    // The cell holds the declared total changed above.
    let (col, row) = cell.split_at(cell.find(|c: char| c.is_ascii_digit()).unwrap());
    let row: usize = row.parse::<usize>().unwrap() - 1;
    let col = col
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1))
        - 1;
    assert_eq!(grid[row][col], "315.97", "{sheet}!{cell}: {}", grid[row]);
}

#[tokio::test]
async fn a_raw_body_upload_is_checked_like_a_form_upload() {
    let (status, _, body) = send(
        Request::post("/check?name=信访局.toml")
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(broken_toml()))
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let report = json(&body);
    assert_eq!(
        report["diagnostics"],
        cli_check("raw-toml", "信访局.toml", broken_toml().as_bytes())
    );
    let first = &report["groups"][0]["findings"][0];
    assert!(
        first["line"].is_number(),
        "a TOML finding has a line: {first}"
    );
}

#[tokio::test]
async fn garbage_gets_the_cli_diagnostics_never_a_500() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let mut zipish = b"PK\x03\x04".to_vec();
    zipish.extend_from_slice(&garbage);
    for (name, bytes) in [
        ("garbage.xlsx", garbage.clone()),
        ("zipish.xlsx", zipish),
        ("empty.toml", Vec::new()),
        ("notes.toml", b"[bureau\nname = ".to_vec()),
    ] {
        let (status, _, body) = post("/check", name, &bytes).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        let report = json(&body);
        assert_eq!(report["ok"], false, "{name}");
        assert_eq!(
            report["diagnostics"],
            cli_check("garbage", name, &bytes),
            "{name}"
        );
        let (status, _, body) = post("/build?format=pdf", name, &bytes).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(json(&body)["diagnostics"], report["diagnostics"], "{name}");
    }
}

#[tokio::test]
async fn an_oversized_upload_is_refused_with_413_in_chinese() {
    let big = vec![b'#'; MAX_UPLOAD + 1];
    for path in ["/check", "/build?format=pdf"] {
        let (status, _, body) = post(path, "big.toml", &big).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert!(
            json(&body)["error"].as_str().unwrap().contains("20 MB"),
            "{path}"
        );
        // A raw body, streamed without a declared length.
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            (0..21).map(|_| Ok(vec![b'#'; 1024 * 1024])).collect();
        let stream = Body::from_stream(futures_stream(chunks));
        let (status, _, body) = send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/octet-stream")
                .body(stream)
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path} streamed");
        assert!(json(&body)["error"].as_str().unwrap().contains("上限"));
    }
}

/// A stream of chunks with no length known in advance.
fn futures_stream(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    struct Chunks(std::vec::IntoIter<Result<Vec<u8>, std::io::Error>>);
    impl futures_core::Stream for Chunks {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Chunks(chunks.into_iter())
}

#[tokio::test]
async fn a_name_never_opens_a_file_outside_the_upload() {
    // A TOML upload that names system files, and a multipart filename that climbs out: the
    // name is only a label, and nothing of /etc/passwd ever shows up in an answer.
    let text = broken_toml().replacen(
        "[bureau]",
        "[bureau]\ninclude = \"../../../../etc/passwd\"\ntemplates = \"/etc\"",
        1,
    );
    for name in [
        "../../../../etc/passwd",
        "..\\..\\etc\\passwd",
        "/etc/passwd",
    ] {
        let (status, _, body) = post("/check", name, text.as_bytes()).await;
        assert_eq!(status, StatusCode::OK);
        let answer = String::from_utf8(body).unwrap();
        assert!(!answer.contains("root:"), "{answer}");
        let report: Value = serde_json::from_str(&answer).unwrap();
        let label = report["file"].as_str().unwrap();
        assert!(
            label.ends_with("passwd") && !label.contains(['/', '\\']),
            "{label}"
        );
        let (_, _, body) = send(
            Request::post(format!("/build?format=md&name={name}"))
                .body(Body::from(read(EXAMPLE_TOML)))
                .expect("request"),
        )
        .await;
        assert!(!String::from_utf8_lossy(&body).contains("root:"));
    }
    // The empty upload named like a system file is an empty input, not that file.
    let (status, _, body) = post("/check", "/etc/passwd", b"").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!String::from_utf8_lossy(&body).contains("root:"));
}

#[tokio::test]
async fn the_pdf_is_byte_identical_to_the_cli_with_bundled_fonts() {
    let dir = scratch("pdf");
    let input = dir.join("信访局.xlsx");
    std::fs::copy(EXAMPLE_XLSX, &input).expect("copy");
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["build", "--bundled-fonts", "--format", "pdf,md,xlsx", "-o"])
        .arg(&dir)
        .arg(&input)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (format, file) in [
        ("pdf", "信访局.pdf"),
        ("md", "信访局.md"),
        ("xlsx", "信访局.公开表.xlsx"),
    ] {
        let (status, headers, body) = post(
            &format!("/build?format={format}"),
            "信访局.xlsx",
            &read(EXAMPLE_XLSX),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{format}: {}",
            String::from_utf8_lossy(&body)
        );
        let cli = std::fs::read(dir.join(file)).expect(file);
        assert!(
            body == cli,
            "{format}: {} bytes from the page, {} from the CLI",
            body.len(),
            cli.len()
        );
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_zip_holds_every_format() {
    let (status, headers, body) =
        post("/build?format=zip", "信访局.xlsx", &read(EXAMPLE_XLSX)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a zip");
    let mut names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "信访局.md",
            "信访局.pdf",
            "信访局.typ",
            "信访局.公开表.xlsx"
        ]
    );
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("信访局.pdf").unwrap(), &mut pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
}

#[tokio::test]
async fn a_build_of_a_broken_input_is_422_with_the_diagnostics() {
    let (status, _, body) = post("/build?format=pdf", "broken.xlsx", &broken_xlsx()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let report = json(&body);
    assert_eq!(report["ok"], false);
    assert!(report["groups"].as_array().is_some_and(|g| !g.is_empty()));
    let (status, _, body) = post("/build?format=exe", "broken.xlsx", &broken_xlsx()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json(&body)["hint"].as_str().unwrap().contains("pdf"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_uploads_are_independent() {
    let clean = read(EXAMPLE_XLSX);
    let broken = broken_xlsx();
    let toml = read(EXAMPLE_TOML);
    let (a, b, c, d, e) = tokio::join!(
        post("/check", "a.xlsx", &clean),
        post("/check", "b.xlsx", &broken),
        post("/build?format=md", "c.toml", &toml),
        post("/build?format=md", "d.xlsx", &broken),
        post("/check", "e.toml", &toml),
    );
    assert_eq!(json(&a.2)["ok"], true);
    assert_eq!(json(&a.2)["file"], "a.xlsx");
    assert_eq!(json(&b.2)["ok"], false);
    assert_eq!(json(&b.2)["file"], "b.xlsx");
    assert_eq!(c.0, StatusCode::OK);
    assert!(
        String::from_utf8(c.2)
            .unwrap()
            .contains("峨边彝族自治县信访局")
    );
    assert_eq!(d.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(&d.2)["file"], "d.xlsx");
    assert_eq!(json(&e.2)["ok"], true);
    assert_eq!(json(&e.2)["file"], "e.toml");
}

/// A double-click (no arguments at all) starts the page on 127.0.0.1 and prints its address;
/// with no browser to open, it says so and keeps serving.
#[test]
fn no_arguments_start_the_page_on_this_machine() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .env("PATH", "")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("http://127.0.0.1:"), "{first}");
    assert!(first.contains("网页版已启动"), "{first}");
}

#[test]
fn serve_help_reads_chinese() {
    let out = Command::new(env!("CARGO_BIN_EXE_juesuan"))
        .args(["serve", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        help.contains("用法：") && help.contains("--no-open") && help.contains("只有本机"),
        "{help}"
    );
}

/// The 财政局 view: several files checked as one folder, as a job whose progress is polled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_runs_as_a_job_with_progress_and_a_summary() {
    let boundary = "----juesuan-batch";
    let mut body = Vec::new();
    let files: [(&str, Vec<u8>); 3] = [
        ("信访局.xlsx", read(EXAMPLE_XLSX)),
        ("本单位.xlsx", broken_xlsx()),
        ("notes.toml", b"not toml [".to_vec()),
    ];
    for (name, bytes) in &files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let (status, _, answer) = send(
        Request::post("/batch")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&answer)
    );
    let job = json(&answer);
    assert_eq!(job["total"], 3);
    let id = job["job"].as_str().expect("a job id").to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let progress = loop {
        let (status, _, answer) = send(
            Request::get(format!("/batch/{id}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let p = json(&answer);
        assert!(p["done"].as_u64().unwrap() <= 3);
        if p["finished"] == true {
            break p;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the job never finished"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(progress["done"], 3);
    let deps = progress["summary"]["departments"]
        .as_array()
        .expect("departments");
    let status_of = |file: &str| {
        deps.iter()
            .find(|d| d["file"] == file)
            .map(|d| d["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status_of("信访局.xlsx").as_deref(), Some("ok"));
    assert_eq!(status_of("本单位.xlsx").as_deref(), Some("failed"));
    assert_eq!(status_of("notes.toml").as_deref(), Some("failed"));
    let (status, _, _) = send(
        Request::get("/batch/999999")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A request to a router bound as `juesuan serve --addr addr --allow-host …` would be.
async fn send_to(
    access: Access,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let resp = router_for(state(), access)
        .oneshot(req)
        .await
        .expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = to_bytes(resp.into_body(), usize::MAX).await.expect("body");
    (status, headers, body.to_vec())
}

fn local_8480() -> Access {
    Access::new("127.0.0.1:8480".parse().unwrap(), &[])
}

fn check_request(host: &str, origin: Option<&str>) -> Request<Body> {
    let (content_type, body) = multipart("本单位.toml", &read(EXAMPLE_TOML));
    let mut req = Request::post("/check")
        .header(header::HOST, host)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(origin) = origin {
        req = req.header(header::ORIGIN, origin);
    }
    req.body(Body::from(body)).expect("request")
}

/// Issue 20: a page on another site could post files to the local page (a form or a fetch
/// with `text/plain` needs no permission). A foreign `Origin` is refused in Chinese before the
/// upload is read; the page's own origin is served.
#[tokio::test]
async fn a_foreign_origin_cannot_post() {
    for origin in [
        "http://evil.example",
        "https://127.0.0.1:8480",
        "http://127.0.0.1:8481",
        "null",
    ] {
        let (status, headers, body) =
            send_to(local_8480(), check_request("127.0.0.1:8480", Some(origin))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{origin}");
        let answer = json(&body);
        let message = answer["error"].as_str().unwrap();
        assert!(message.contains("其他网页"), "{message}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    }
    // No Origin, but the browser says the request comes from another site.
    let mut req = check_request("127.0.0.1:8480", None);
    req.headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    let (status, _, _) = send_to(local_8480(), req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A raw text/plain body (what a cross-site form can send) is refused alike.
    let req = Request::post("/check?name=a.toml")
        .header(header::HOST, "127.0.0.1:8480")
        .header(header::ORIGIN, "http://evil.example")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(read(EXAMPLE_TOML)))
        .expect("request");
    assert_eq!(send_to(local_8480(), req).await.0, StatusCode::FORBIDDEN);
    // The page itself (and a client that sends no Origin, such as curl) is served.
    for origin in [
        Some("http://127.0.0.1:8480"),
        Some("http://localhost:8480"),
        None,
    ] {
        let host = if origin == Some("http://localhost:8480") {
            "localhost:8480"
        } else {
            "127.0.0.1:8480"
        };
        let (status, _, body) = send_to(local_8480(), check_request(host, origin)).await;
        assert_eq!(status, StatusCode::OK, "{origin:?}");
        assert_eq!(json(&body)["ok"], true);
    }
}

/// DNS rebinding: a foreign site resolves its own name to 127.0.0.1, and the browser then
/// sends that name as `Host`. Only this machine's names on the bound port are answered.
#[tokio::test]
async fn a_foreign_host_is_refused() {
    let get = |host: &str| {
        Request::get("/")
            .header(header::HOST, host)
            .body(Body::empty())
            .expect("request")
    };
    for host in [
        "127.0.0.1:8480",
        "localhost:8480",
        "LOCALHOST:8480",
        "[::1]:8480",
    ] {
        assert_eq!(
            send_to(local_8480(), get(host)).await.0,
            StatusCode::OK,
            "{host}"
        );
    }
    for host in [
        "evil.example:8480",
        "evil.example",
        "127.0.0.1:8481",
        "127.0.0.1",
        "localhost.evil.example:8480",
        "192.168.1.5:8480",
    ] {
        let (status, headers, body) = send_to(local_8480(), get(host)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{host}");
        let message = json(&body)["error"].as_str().unwrap().to_string();
        assert!(message.contains("只接受以本机地址打开"), "{message}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    }
    // The batch summaries are refused to a rebinding page too.
    let progress = Request::get("/batch/0123456789abcdef0123456789abcdef")
        .header(header::HOST, "evil.example:8480")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send_to(local_8480(), progress).await.0,
        StatusCode::FORBIDDEN
    );
    // `--addr 0.0.0.0:8480 --allow-host pc.lan`: any address of the machine, and that name.
    let everywhere = Access::new("0.0.0.0:8480".parse().unwrap(), &["PC.lan".to_string()]);
    for host in [
        "192.168.1.5:8480",
        "127.0.0.1:8480",
        "pc.lan:8480",
        "[fe80::1]:8480",
    ] {
        assert_eq!(
            send_to(everywhere.clone(), get(host)).await.0,
            StatusCode::OK,
            "{host}"
        );
    }
    for host in ["evil.example:8480", "pc.lan:8481"] {
        assert_eq!(
            send_to(everywhere.clone(), get(host)).await.0,
            StatusCode::FORBIDDEN,
            "{host}"
        );
    }
    // `--addr 127.0.0.2:8480`: the address it prints is answered.
    let other_loopback = Access::new("127.0.0.2:8480".parse().unwrap(), &[]);
    assert_eq!(
        send_to(other_loopback, get("127.0.0.2:8480")).await.0,
        StatusCode::OK
    );
    // `--addr 192.168.1.5:8480`: that address too.
    let lan = Access::new("192.168.1.5:8480".parse().unwrap(), &[]);
    assert_eq!(
        send_to(lan.clone(), get("192.168.1.5:8480")).await.0,
        StatusCode::OK
    );
    assert_eq!(
        send_to(lan, get("192.168.1.6:8480")).await.0,
        StatusCode::FORBIDDEN
    );
}

/// Every answer forbids being shown inside another site's page.
#[tokio::test]
async fn no_answer_may_be_framed() {
    let (_, headers, _) = send(Request::get("/").body(Body::empty()).expect("request")).await;
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let (_, headers, _) = send(
        Request::get("/template.xlsx")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(
        headers[header::CONTENT_SECURITY_POLICY],
        "frame-ancestors 'none'"
    );
}

async fn start_batch(name: &str) -> String {
    let boundary = "----juesuan-batch-id";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(&read(EXAMPLE_TOML));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, _, answer) = send(
        Request::post("/batch")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    json(&answer)["job"].as_str().expect("a job id").to_string()
}

/// Batch ids were 1, 2, 3…: a page could read every summary by counting. They are 128 random
/// bits now, and a guessed id is a Chinese 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_id_cannot_be_guessed() {
    let first = start_batch("甲.toml").await;
    let second = start_batch("乙.toml").await;
    for id in [&first, &second] {
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
    assert_ne!(first, second);
    let common = first
        .bytes()
        .zip(second.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    assert!(common < 8, "{first} {second}");
    for guess in ["0", "1", "2", "3", "00000000000000000000000000000001"] {
        let (status, _, body) = send(
            Request::get(format!("/batch/{guess}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(
            json(&body)["error"]
                .as_str()
                .unwrap()
                .contains("没有这项检查")
        );
    }
    let (status, _, _) = send(
        Request::get(format!("/batch/{first}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

/// A client that sends its request headers a byte now and then held a connection for ever; it
/// is disconnected after the header time limit, and the page goes on serving others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_header_client_is_disconnected() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router_for(state(), Access::new(addr, &[]));
    tokio::spawn(juesuan::serve::serve(
        listener,
        app,
        std::time::Duration::from_millis(500),
    ));
    let (slow, quick) = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        use std::time::{Duration, Instant};
        let mut slow = std::net::TcpStream::connect(addr).unwrap();
        slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let started = Instant::now();
        let _ = slow.write_all(b"GET / HTTP/1.1\r\nHost: ");
        // Trickle: a byte every 100 ms for 3 s, never finishing the headers.
        for b in b"127.0.0.1:8480\r\nX-Slow: aaaaaaaaaaaaaaa" {
            if slow.write_all(&[*b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        // The server has hung up (end of stream, or a reset): not the read timeout.
        let mut rest = Vec::new();
        let closed = match slow.read_to_end(&mut rest) {
            Ok(_) => true,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        };
        let slow = (closed, started.elapsed());
        // A prompt client is served meanwhile.
        let mut quick = std::net::TcpStream::connect(addr).unwrap();
        quick
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        quick
            .write_all(
                format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .unwrap();
        let mut answer = Vec::new();
        let _ = quick.read_to_end(&mut answer);
        (slow, String::from_utf8_lossy(&answer).into_owned())
    })
    .await
    .unwrap();
    assert!(
        slow.0,
        "the slow connection was still open after {:?}",
        slow.1
    );
    assert!(slow.1 < std::time::Duration::from_secs(8), "{:?}", slow.1);
    assert!(quick.starts_with("HTTP/1.1 200"), "{quick}");
}

/// The blank template with its shared-strings table stating two billion strings (53 KB).
fn two_billion_strings() -> Vec<u8> {
    use std::io::{Read, Write};
    let template = juesuan::workbook::template().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&template)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(bytes).unwrap();
            let start = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = start + text[start..].find('"').unwrap();
            bytes = format!("{}2000000000{}", &text[..start], &text[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Issue 20: this upload aborted the whole server (calamine reserved 48 GB). It is answered
/// with a Chinese X008 naming the limit, and the page goes on serving.
#[tokio::test]
async fn a_workbook_stating_two_billion_strings_is_answered_and_the_page_keeps_serving() {
    let bytes = two_billion_strings();
    for path in ["/check", "/build"] {
        let (status, _, body) = post(path, "本单位.xlsx", &bytes).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{status}"
        );
        let answer = json(&body);
        let x008 = answer["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "X008")
            .unwrap_or_else(|| panic!("{answer:#}"));
        let message = x008["message"].as_str().unwrap();
        assert!(message.contains("上限 1000000"), "{message}");
    }
    let (status, _, body) = post("/check", "信访局.xlsx", &read(EXAMPLE_XLSX)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["ok"], true);
}

/// Issue 25: a published PDF uploaded to `/audit` is answered with the audit's findings (the
/// Putuo package's three 说明 slips), placed by page and line; `?format=html` is the report to
/// download. The route has the page's defences: a foreign `Origin` or `Host` is refused before
/// the upload is read, the upload cap holds, a file that is not a PDF (or cannot be read) gets a
/// Chinese message, never a 500, and nothing is kept (no id to guess).
#[tokio::test]
async fn a_published_pdf_is_audited() {
    let pdf = read("tests/fixtures/audit/putuo-caizheng-2024.pdf");
    let (status, _, body) = post("/audit", "普陀区财政局.pdf", &pdf).await;
    assert_eq!(status, StatusCode::OK);
    let answer = json(&body);
    let a = &answer["audit"];
    assert_eq!(a["file"], "普陀区财政局.pdf");
    assert_eq!(a["tables"].as_array().unwrap().len(), 9);
    let findings: Vec<(&str, &str)> = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["printed"].as_str().unwrap()))
        .collect();
    assert_eq!(
        findings,
        [
            ("A001", "0.3万元"),
            ("A002", "71.73%"),
            ("A004", "个人农业生产补贴")
        ]
    );
    assert!(a["findings"][0]["place"]["page"].as_u64().is_some());
    assert!(answer["text"].as_str().unwrap().contains("差错 3 条"));

    let (status, headers, body) = post("/audit?format=html", "普陀区财政局.pdf", &pdf).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    assert!(String::from_utf8(body).unwrap().contains("71.73%"));

    // Not a PDF, a PDF that cannot be read: Chinese messages.
    let (status, _, body) = post("/audit", "本单位.toml", &read(EXAMPLE_TOML)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(&body)["error"].as_str().unwrap().contains("不是 PDF"));
    let (status, _, body) = post("/audit", "坏.pdf", b"%PDF-1.7\n garbage").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json(&body)["error"].as_str().unwrap().contains("无法审计"));

    // The upload cap.
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(MAX_UPLOAD + 1, b' ');
    let (status, _, body) = post("/audit", "big.pdf", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(json(&body)["error"].as_str().unwrap().contains("20 MB"));

    // Another site's page, a rebinding Host.
    let audit_request = |host: &str, origin: Option<&str>| {
        let (content_type, body) = multipart("a.pdf", &pdf);
        let mut req = Request::post("/audit")
            .header(header::HOST, host)
            .header(header::CONTENT_TYPE, content_type);
        if let Some(origin) = origin {
            req = req.header(header::ORIGIN, origin);
        }
        req.body(Body::from(body)).expect("request")
    };
    let (status, _, body) = send_to(
        local_8480(),
        audit_request("127.0.0.1:8480", Some("http://evil.example")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(json(&body)["error"].as_str().unwrap().contains("其他网页"));
    let (status, _, _) = send_to(local_8480(), audit_request("evil.example:8480", None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send_to(
        local_8480(),
        audit_request("127.0.0.1:8480", Some("http://127.0.0.1:8480")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
