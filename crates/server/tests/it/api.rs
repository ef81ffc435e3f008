//! The HTTP API in process (tower `oneshot`), no sockets.

use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use mailward_core::{Context, Policy};
use serde_json::Value;
use tower::ServiceExt as _;

use crate::support::{TempDir, b64, config, fixtures, repo, state};

const NOW: i64 = 1_700_000_000;
const ADMIN: &str = "Bearer test-admin-key";

fn app(cfg: mailward_server::Config) -> Router {
    mailward_server::router(state(cfg))
        .layer(MockConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Bytes) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body)
}

fn post(uri: &str, ctype: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, ctype)
        .body(body.into())
        .unwrap()
}

fn json(body: &Bytes) -> Value {
    serde_json::from_slice(body).unwrap()
}

#[allow(clippy::needless_update)]
fn ctx() -> Context {
    Context {
        now: Some(NOW),
        ..Default::default()
    }
}

/// The error code of a JSON error body.
fn code(body: &Bytes) -> String {
    json(body)["error"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn analyze_raw_is_byte_identical_to_the_core() {
    let dir = TempDir::new("api");
    let app = app(config(&dir.0));
    let mut n = 0;
    for (name, raw) in fixtures().into_iter().step_by(3) {
        let expected =
            mailward_core::to_json(&mailward_core::analyze(&raw, &Policy::default(), &ctx()));
        let (status, headers, body) = send(
            &app,
            post(
                &format!("/v1/analyze?now={NOW}"),
                "message/rfc822",
                raw.clone(),
            ),
        )
        .await;
        if raw.is_empty() || status == StatusCode::UNPROCESSABLE_ENTITY {
            continue; // deliberately broken fixtures are refused as not-a-message
        }
        assert_eq!(status, StatusCode::OK, "{name}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            String::from_utf8(body.to_vec()).unwrap(),
            expected,
            "{name}"
        );
        n += 1;
    }
    assert!(n > 10, "only {n} fixtures compared");
}

#[tokio::test]
async fn analyze_json_with_policy_is_byte_identical_to_the_core() {
    let dir = TempDir::new("api");
    let app = app(config(&dir.0));
    let policy_json = std::fs::read_to_string(repo().join("tests/fixtures/policy.json")).unwrap();
    let policy = Policy::from_json(&policy_json).unwrap();
    let policy_value: Value = serde_json::from_str(&policy_json).unwrap();
    let mut n = 0;
    for (name, raw) in fixtures().into_iter().step_by(4) {
        if !raw.contains(&b':') || raw.starts_with(b"From ") {
            continue;
        }
        let expected = mailward_core::to_json(&mailward_core::analyze(&raw, &policy, &ctx()));
        let body = serde_json::json!({ "raw": b64(&raw), "policy": policy_value, "now": NOW });
        let (status, _, body) = send(
            &app,
            post("/v1/analyze", "application/json", body.to_string()),
        )
        .await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{name}");
        assert_eq!(
            String::from_utf8(body.to_vec()).unwrap(),
            expected,
            "{name}"
        );
        n += 1;
    }
    assert!(n > 5, "only {n} fixtures compared");
}

#[tokio::test]
async fn malformed_analyze_requests_get_json_errors() {
    let dir = TempDir::new("api");
    let mut cfg = config(&dir.0);
    cfg.max_body_bytes = 1000;
    let app = app(cfg);
    let msg = b"From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n".to_vec();
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            post(
                "/v1/analyze",
                "application/json",
                r#"{"raw": "not base64!"}"#,
            ),
            StatusCode::BAD_REQUEST,
            "not-base64",
        ),
        (
            post("/v1/analyze", "application/json", r#"{"raw": "#),
            StatusCode::BAD_REQUEST,
            "bad-json",
        ),
        (
            post(
                "/v1/analyze",
                "application/json",
                r#"{"raw": "", "extra": 1}"#,
            ),
            StatusCode::BAD_REQUEST,
            "bad-json",
        ),
        (
            post(
                "/v1/analyze",
                "application/json",
                serde_json::json!({"raw": b64(&msg), "policy": {"orgDomain": []}}).to_string(),
            ),
            StatusCode::BAD_REQUEST,
            "bad-policy",
        ),
        (
            post(
                "/v1/analyze",
                "application/json",
                serde_json::json!({"raw": b64(b"just some words, no headers")}).to_string(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not-a-message",
        ),
        (
            post("/v1/analyze", "message/rfc822", Vec::new()),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not-a-message",
        ),
        (
            post("/v1/analyze", "message/rfc822", vec![b'x'; 2000]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
        ),
        (
            post("/v1/analyze", "text/html", msg.clone()),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        ),
        (
            post("/v1/analyze?now=yesterday", "message/rfc822", msg.clone()),
            StatusCode::BAD_REQUEST,
            "bad-query",
        ),
        (
            Request::get("/v1/nothing-here")
                .body(Body::empty())
                .unwrap(),
            StatusCode::NOT_FOUND,
            "not-found",
        ),
    ];
    for (req, want_status, want_code) in cases {
        let uri = req.uri().clone();
        let (status, headers, body) = send(&app, req).await;
        assert_eq!(status, want_status, "{uri}: {body:?}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        assert_eq!(code(&body), want_code, "{uri}");
        assert!(!json(&body)["message"].as_str().unwrap().is_empty());
    }
    // A streamed body over the cap (no Content-Length) is cut off too.
    let stream = Body::new(Chunks(
        [Bytes::from(vec![b'x'; 600]), Bytes::from(vec![b'y'; 600])].into(),
    ));
    let (status, _, body) = send(&app, post("/v1/analyze", "message/rfc822", stream)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&body), "too-large");
}

/// A body that never finishes.
struct Stalled;

impl http_body::Body for Stalled {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Pending
    }
}

/// A body sent in chunks, with no declared length.
struct Chunks(std::collections::VecDeque<Bytes>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(self.0.pop_front().map(|b| Ok(http_body::Frame::data(b))))
    }
}

#[tokio::test]
async fn slow_requests_time_out() {
    let dir = TempDir::new("api");
    let mut cfg = config(&dir.0);
    cfg.request_timeout_secs = 1;
    let app = app(cfg);
    let started = std::time::Instant::now();
    let (status, _, body) = send(
        &app,
        post("/v1/analyze", "message/rfc822", Body::new(Stalled)),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code(&body), "timeout");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

fn report_body(raw: &[u8], reporter: &str) -> String {
    serde_json::json!({
        "raw": b64(raw),
        "reporter": reporter,
        "clientVerdict": "caution",
        "reasons": ["asked for my password"],
        "comment": "looked odd",
    })
    .to_string()
}

fn admin_get(uri: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, ADMIN)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn reports_are_stored_deduplicated_and_listed_for_admins() {
    let dir = TempDir::new("api");
    let app = app(config(&dir.0));
    let all = fixtures();
    let (_, msg) = all.iter().find(|(n, _)| n.contains("/phish/")).unwrap();
    let (status, _, body) = send(
        &app,
        post(
            "/v1/reports",
            "application/json",
            report_body(msg, "Alice@Contoso.com"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body:?}");
    let id = json(&body)["id"].as_i64().unwrap();
    assert_eq!(json(&body)["duplicate"], false);

    // The same message from the same reporter: the same id, 200.
    let (status, _, body) = send(
        &app,
        post(
            "/v1/reports",
            "application/json",
            report_body(msg, "alice@contoso.com"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["id"].as_i64().unwrap(), id);
    assert_eq!(json(&body)["duplicate"], true);

    // Another reporter: a new report.
    let (status, _, body) = send(
        &app,
        post(
            "/v1/reports",
            "application/json",
            report_body(msg, "bob@contoso.com"),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id2 = json(&body)["id"].as_i64().unwrap();
    assert_ne!(id, id2);

    // Admin endpoints need the key.
    let (status, _, body) = send(
        &app,
        Request::get("/v1/reports").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "unauthorized");
    let wrong = Request::get("/v1/reports")
        .header(header::AUTHORIZATION, "Bearer nope")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, wrong).await.0, StatusCode::UNAUTHORIZED);

    let (status, _, body) = send(&app, admin_get("/v1/reports")).await;
    assert_eq!(status, StatusCode::OK);
    let list = json(&body);
    assert_eq!(list["reports"].as_array().unwrap().len(), 2);
    assert_eq!(
        list["reports"][0]["id"].as_i64().unwrap(),
        id2,
        "newest first"
    );
    assert_eq!(list["reports"][1]["reporter"], "alice@contoso.com");
    assert_eq!(list["reports"][1]["reasons"][0], "asked for my password");

    let (_, _, body) = send(&app, admin_get("/v1/reports?reporter=alice@contoso.com")).await;
    assert_eq!(json(&body)["reports"].as_array().unwrap().len(), 1);
    let level = json(&body)["reports"][0]["level"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, body) = send(&app, admin_get(&format!("/v1/reports?level={level}"))).await;
    assert_eq!(json(&body)["reports"].as_array().unwrap().len(), 2);
    let (_, _, body) = send(&app, admin_get("/v1/reports?since=99999999999")).await;
    assert_eq!(json(&body)["reports"].as_array().unwrap().len(), 0);
    let (_, _, body) = send(&app, admin_get("/v1/reports?limit=1")).await;
    let page = json(&body);
    assert_eq!(page["reports"].as_array().unwrap().len(), 1);
    let next = page["next"].as_i64().unwrap();
    let (_, _, body) = send(
        &app,
        admin_get(&format!("/v1/reports?limit=1&before={next}")),
    )
    .await;
    assert_eq!(json(&body)["reports"][0]["id"].as_i64().unwrap(), id);
    let (status, _, body) = send(&app, admin_get("/v1/reports?level=evil")).await;
    assert_eq!(
        (status, code(&body).as_str()),
        (StatusCode::BAD_REQUEST, "bad-query")
    );

    // One report, with the server-side analysis; the raw message unmodified.
    let (status, _, body) = send(&app, admin_get(&format!("/v1/reports/{id}"))).await;
    assert_eq!(status, StatusCode::OK);
    let one = json(&body);
    assert_eq!(one["report"]["schemaVersion"], 1);
    assert_eq!(one["level"], one["report"]["verdict"]["level"]);
    let (status, headers, body) = send(&app, admin_get(&format!("/v1/reports/{id}/raw"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "message/rfc822");
    assert_eq!(&body[..], &msg[..]);
    let (status, _, body) = send(&app, admin_get("/v1/reports/999999")).await;
    assert_eq!(
        (status, code(&body).as_str()),
        (StatusCode::NOT_FOUND, "not-found")
    );
    let (status, _, _) = send(&app, admin_get("/v1/reports/abc")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_reports_are_refused_and_nothing_is_stored() {
    let dir = TempDir::new("api");
    let mut cfg = config(&dir.0);
    cfg.reports.burst = 100;
    let app = app(cfg);
    let msg = b"From: a@example.com\r\nMessage-ID: <x@example.com>\r\n\r\nbody\r\n";
    let bad: Vec<(String, &str)> =
        vec![
        (r#"{"raw": "%%%", "reporter": "a@b.c"}"#.into(), "not-base64"),
        (
            serde_json::json!({"raw": b64(b"hello"), "reporter": "a@b.c"}).to_string(),
            "not-a-message",
        ),
        (
            serde_json::json!({"raw": b64(msg), "reporter": "nobody"}).to_string(),
            "bad-reporter",
        ),
        (
            serde_json::json!({"raw": b64(msg), "reporter": "a@b.c", "clientVerdict": "evil"})
                .to_string(),
            "bad-client-verdict",
        ),
        (
            serde_json::json!({"raw": b64(msg), "reporter": "a@b.c", "reasons": ["x".repeat(500)]})
                .to_string(),
            "bad-reasons",
        ),
        (
            serde_json::json!({"raw": b64(msg), "reporter": "a@b.c", "comment": "x".repeat(5000)})
                .to_string(),
            "bad-comment",
        ),
        (r#"{"reporter": "a@b.c"}"#.into(), "bad-json"),
    ];
    for (body, want) in bad {
        let (status, _, res) = send(&app, post("/v1/reports", "application/json", body)).await;
        assert!(status.is_client_error(), "{want}: {status}");
        assert_eq!(code(&res), want);
    }
    let (status, _, _) = send(&app, post("/v1/reports", "message/rfc822", msg.to_vec())).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (_, _, body) = send(&app, admin_get("/v1/reports")).await;
    assert_eq!(json(&body)["reports"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn reports_are_rate_limited_per_client() {
    let dir = TempDir::new("api");
    let mut cfg = config(&dir.0);
    cfg.reports.burst = 2;
    cfg.reports.per_minute = 1;
    let app = app(cfg);
    let msg = b"From: a@example.com\r\nMessage-ID: <x@example.com>\r\n\r\nbody\r\n";
    for _ in 0..2 {
        let (status, _, _) = send(
            &app,
            post("/v1/reports", "application/json", report_body(msg, "a@b.c")),
        )
        .await;
        assert!(status.is_success());
    }
    let (status, headers, body) = send(
        &app,
        post("/v1/reports", "application/json", report_body(msg, "a@b.c")),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(code(&body), "rate-limited");
    assert!(headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn healthz_and_metrics() {
    let dir = TempDir::new("api");
    let app = app(config(&dir.0));
    let (status, _, body) = send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["status"], "ok");
    let msg = b"From: a@example.com\r\nMessage-ID: <x@example.com>\r\n\r\nbody\r\n";
    send(&app, post("/v1/analyze", "message/rfc822", msg.to_vec())).await;
    send(
        &app,
        post("/v1/reports", "application/json", report_body(msg, "a@b.c")),
    )
    .await;
    send(&app, post("/v1/analyze", "text/plain", msg.to_vec())).await;
    let (status, headers, body) =
        send(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = String::from_utf8(body.to_vec()).unwrap();
    for want in [
        "mailward_http_requests_total{route=\"/v1/analyze\",status=\"200\"} 1",
        "mailward_http_requests_total{route=\"/v1/analyze\",status=\"415\"} 1",
        "mailward_http_requests_total{route=\"/v1/reports\",status=\"201\"} 1",
        "mailward_analyses_total{source=\"api\",level=\"",
        "mailward_analyses_total{source=\"report\",level=\"",
        "mailward_reports_total{outcome=\"created\"} 1",
        "mailward_journal_queue_depth 0",
        "mailward_http_request_duration_seconds_bucket{route=\"/v1/analyze\",le=\"+Inf\"} 2",
    ] {
        assert!(text.contains(want), "missing {want} in\n{text}");
    }
}

#[tokio::test]
async fn static_files_have_wasm_mime_and_csp() {
    let dir = TempDir::new("api");
    let www = dir.0.join("www");
    let addin = dir.0.join("addin");
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(&addin).unwrap();
    std::fs::write(www.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(www.join("mailward_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(
        addin.join("taskpane.html"),
        "<!doctype html><title>pane</title>",
    )
    .unwrap();
    let mut cfg = config(&dir.0);
    cfg.statics.www = Some(www);
    cfg.statics.addin = Some(addin);
    let app = app(cfg);
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    let (status, headers, body) = send(&app, get("/mailward_bg.wasm")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(&body[..4], b"\0asm");
    let (status, headers, _) = send(&app, get("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("'wasm-unsafe-eval'"));
    assert!(csp.contains("frame-ancestors"));
    assert!(csp.contains("https://outlook.office.com"));
    assert!(!csp.contains("'unsafe-eval'"));
    let (status, headers, _) = send(&app, get("/addin/taskpane.html")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.contains_key(header::CONTENT_SECURITY_POLICY));
    assert!(!send(&app, get("/addin/../index.html")).await.0.is_success());
    assert_eq!(
        send(&app, get("/missing.js")).await.0,
        StatusCode::NOT_FOUND
    );
}
