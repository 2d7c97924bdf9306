//! 网页上的审计：上传一份已经发布的决算 PDF，看到 `juesuan audit` 的结果（差错、尾差提示、未能核对的部分）。
//!
//! The route obeys the page's defences like every other: the `Host`/`Origin` guard and the upload
//! cap of the router, the time limit, the PDF read on a worker thread (its own size, page and
//! decompression limits apply before hayro parses), held in memory only, nothing kept after the
//! answer — so there is no id to guess.

use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::{AppState, attachment, failure, heavy, stem, upload};
use crate::audit::{self, Options};

#[derive(Deserialize)]
pub(super) struct AuditQuery {
    name: Option<String>,
    /// `html`: the report as a page to download; otherwise the JSON the page shows.
    format: Option<String>,
}

/// `POST /audit`: the audit of an uploaded PDF, as JSON (the page's findings) or as an HTML
/// report to download (`?format=html`).
pub(super) async fn audit_pdf(
    State(state): State<Arc<AppState>>,
    Query(q): Query<AuditQuery>,
    req: Request,
) -> Response {
    let upload = match upload(req, q.name).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if !upload.bytes.starts_with(b"%PDF") {
        return failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("“{}”不是 PDF 文件", upload.name),
            "审计只读已经发布的决算 PDF；工作簿与 TOML 请拖到上方“上传填好的工作簿”处检查。",
        );
    }
    let html = q.format.as_deref() == Some("html");
    let name = upload.name.clone();
    let done = heavy(&state, move |state| {
        audit::audit_with(
            &state.session,
            &upload.name,
            &upload.bytes,
            &Options::default(),
        )
    })
    .await;
    match done {
        Err(r) => r,
        Ok(Err(e)) => failure(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("“{name}”无法审计：{e}"),
            "扫描件、设打开密码的 PDF 读不出文字；请向发布单位索取可复制文字的 PDF。",
        ),
        Ok(Ok(a)) if html => attachment(
            audit::report::html(std::slice::from_ref(&a)).into_bytes(),
            "text/html; charset=utf-8",
            &format!("{}-审计.html", stem(&name)),
        ),
        Ok(Ok(a)) => {
            let text = a.text();
            axum::Json(json!({ "audit": a, "text": text })).into_response()
        }
    }
}
