//! The HTTP API: `/v1/analyze`, `/v1/reports`, `/healthz`, `/metrics`, with the body cap,
//! the per-request timeout and request metrics as middleware.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use mailward_core::{Context, Policy, Report};
use serde::Deserialize;
use sha2::Digest as _;

use crate::AppState;
use crate::error::{ApiError, json_error};
use crate::metrics::level_name;
use crate::store::{NewReport, ReportFilter};

/// The API routes (without static files); the Gmail add-on routes when configured.
pub fn routes(state: Arc<AppState>) -> Router {
    let gmail = match state.gmail {
        Some(_) => crate::gmail::routes(state.clone()),
        None => Router::new(),
    };
    Router::new()
        .route("/v1/analyze", post(analyze))
        .route("/v1/reports", post(create_report).get(list_reports))
        .route("/v1/reports/{id}", get(get_report))
        .route("/v1/reports/{id}/raw", get(get_report_raw))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(state)
        .merge(gmail)
}

/// Request metrics and the per-request timeout, around everything (static files included).
pub fn layers(router: Router, state: Arc<AppState>) -> Router {
    router
        .layer(middleware::from_fn_with_state(state.clone(), timeout))
        .layer(middleware::from_fn_with_state(state, observe))
}

async fn observe(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = match req.extensions().get::<MatchedPath>() {
        Some(p) => p.as_str().to_string(),
        None if req.uri().path().starts_with("/v1/") => "unmatched".to_string(),
        None => "static".to_string(),
    };
    let res = next.run(req).await;
    st.metrics
        .request(&route, res.status().as_u16(), start.elapsed());
    res
}

async fn timeout(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(st.config.request_timeout(), next.run(req)).await {
        Ok(res) => res,
        Err(_) => json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the request took longer than the server's request timeout",
        ),
    }
}

/// The current time in Unix seconds.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Reads the body up to the cap; 413 above it.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    cap: usize,
) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("the request body is larger than the limit of {cap} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return Err(too_large());
    }
    match Limited::new(body, cap).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(_) => Err(ApiError::bad_request(
            "body-unreadable",
            "the request body could not be read",
        )),
    }
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default()
}

fn decode_base64(field: &str, value: &str) -> Result<Vec<u8>, ApiError> {
    let compact: String = value.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| {
            ApiError::bad_request(
                "not-base64",
                format!("`{field}` is not valid base64 (standard alphabet, padded): {e}"),
            )
        })
}

/// Whether `raw` starts like an RFC 5322 message: its first line is a header field.
fn check_message(raw: &[u8]) -> Result<(), ApiError> {
    let unprocessable =
        |msg: &str| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not-a-message", msg);
    if raw.is_empty() {
        return Err(unprocessable("the message is empty"));
    }
    if raw.starts_with(b"From ") {
        return Err(unprocessable(
            "the message starts with an mbox `From ` envelope line; send the message without it",
        ));
    }
    let line = raw.split(|&b| b == b'\n').next().unwrap_or_default();
    let is_field = line
        .iter()
        .position(|&b| b == b':')
        .is_some_and(|colon| colon > 0 && line[..colon].iter().all(|b| (33..=126).contains(b)));
    if is_field {
        Ok(())
    } else {
        Err(unprocessable(
            "this is not an RFC 5322 message: it does not start with a header field",
        ))
    }
}

fn parse_policy(value: Option<serde_json::Value>, default: &Policy) -> Result<Policy, ApiError> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(default.clone()),
        Some(v @ serde_json::Value::Object(_)) => Policy::from_json(&v.to_string())
            .map_err(|e| ApiError::bad_request("bad-policy", format!("policy: {e}"))),
        Some(_) => Err(ApiError::bad_request(
            "bad-policy",
            "`policy` must be a JSON object",
        )),
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request("bad-json", format!("invalid request JSON: {e}")))
}

pub(crate) async fn run_analysis(
    raw: Vec<u8>,
    policy: Policy,
    now: i64,
) -> Result<(Vec<u8>, Report), ApiError> {
    tokio::task::spawn_blocking(move || {
        #[allow(clippy::needless_update)]
        let ctx = Context {
            now: Some(now),
            ..Default::default()
        };
        let report = mailward_core::analyze(&raw, &policy, &ctx);
        (raw, report)
    })
    .await
    .map_err(|_| ApiError::internal("analysis failed"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeQuery {
    now: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeJson {
    raw: String,
    #[serde(default)]
    policy: Option<serde_json::Value>,
    #[serde(default)]
    now: Option<i64>,
}

async fn analyze(
    State(st): State<Arc<AppState>>,
    query: Result<Query<AnalyzeQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::bad_request("bad-query", e.body_text()))?;
    let ctype = content_type(&headers);
    let (raw, policy, now) = match ctype.as_str() {
        "message/rfc822" | "application/octet-stream" => {
            let body = read_body(&headers, body, st.config.max_body_bytes).await?;
            (body.to_vec(), st.policy.clone(), query.now)
        }
        "application/json" => {
            let body = read_body(&headers, body, st.config.max_body_bytes).await?;
            let req: AnalyzeJson = parse_json(&body)?;
            let raw = decode_base64("raw", &req.raw)?;
            let policy = parse_policy(req.policy, &st.policy)?;
            (raw, policy, req.now.or(query.now))
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the message as `Content-Type: message/rfc822`, or JSON \
                 `{\"raw\": base64, \"policy\": {...}}` as `application/json`",
            ));
        }
    };
    check_message(&raw)?;
    let (_, report) = run_analysis(raw, policy, now.unwrap_or_else(now_secs)).await?;
    st.metrics.analysis("api", report.verdict.level);
    let mut res = mailward_core::to_json(&report).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(res)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ReportJson {
    raw: String,
    reporter: String,
    #[serde(default)]
    client_verdict: Option<String>,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    comment: Option<String>,
}

const MAX_REASONS: usize = 32;
const MAX_REASON_CHARS: usize = 200;
const MAX_COMMENT_CHARS: usize = 4000;

fn validate_report(r: &ReportJson) -> Result<(), ApiError> {
    let reporter = r.reporter.trim();
    if reporter.is_empty() || reporter.len() > 320 || !reporter.contains('@') {
        return Err(ApiError::bad_request(
            "bad-reporter",
            "`reporter` must be the reporting user's email address",
        ));
    }
    if let Some(v) = &r.client_verdict
        && !matches!(v.as_str(), "safe" | "caution" | "danger")
    {
        return Err(ApiError::bad_request(
            "bad-client-verdict",
            "`clientVerdict` must be `safe`, `caution` or `danger`",
        ));
    }
    if r.reasons.len() > MAX_REASONS
        || r.reasons
            .iter()
            .any(|s| s.chars().count() > MAX_REASON_CHARS)
    {
        return Err(ApiError::bad_request(
            "bad-reasons",
            format!(
                "`reasons`: at most {MAX_REASONS} reasons of at most {MAX_REASON_CHARS} characters"
            ),
        ));
    }
    if r.comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
    {
        return Err(ApiError::bad_request(
            "bad-comment",
            format!("`comment`: at most {MAX_COMMENT_CHARS} characters"),
        ));
    }
    Ok(())
}

fn client_ip(ci: Option<&axum::Extension<ConnectInfo<SocketAddr>>>) -> IpAddr {
    ci.map(|c| c.0.0.ip()).unwrap_or(IpAddr::from([0, 0, 0, 0]))
}

async fn create_report(
    State(st): State<Arc<AppState>>,
    ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if let Err(wait) = st.limiter.check(client_ip(ci.as_ref()), Instant::now()) {
        st.metrics.report("rate-limited");
        let mut res = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "too many reports from this client; retry later",
        )
        .into_response();
        let secs = wait.as_secs().max(1).to_string();
        if let Ok(v) = HeaderValue::from_str(&secs) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
    }
    let result = create_report_inner(&st, &headers, body).await;
    if result.is_err() {
        st.metrics.report("rejected");
    }
    result
}

async fn create_report_inner(
    st: &Arc<AppState>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if content_type(headers) != "application/json" {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "send the report as `application/json`",
        ));
    }
    let body = read_body(headers, body, st.config.max_body_bytes).await?;
    let req: ReportJson = parse_json(&body)?;
    validate_report(&req)?;
    let raw = decode_base64("raw", &req.raw)?;
    check_message(&raw)?;
    let now = now_secs();
    let (raw, report) = run_analysis(raw, st.policy.clone(), now).await?;
    st.metrics.analysis("report", report.verdict.level);
    let level = report.verdict.level;
    let score = report.verdict.score;
    let reporter = req.reporter.trim().to_ascii_lowercase();
    let (id, created) = store_report(
        st,
        raw,
        report,
        now,
        ReportInput {
            reporter,
            client_verdict: req.client_verdict,
            reasons: req.reasons,
            comment: req.comment,
        },
    )
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = serde_json::json!({
        "id": id,
        "duplicate": !created,
        "verdict": { "level": level_name(level), "score": score },
    });
    Ok((status, axum::Json(body)).into_response())
}

/// Who reported, and what they said, for [`store_report`].
pub(crate) struct ReportInput {
    /// The reporter's address, normalised (trimmed, lower case).
    pub reporter: String,
    pub client_verdict: Option<String>,
    pub reasons: Vec<String>,
    pub comment: Option<String>,
}

/// Stores a user report of `raw` (analysed as `report`), deduplicated by reporter and
/// Message-ID (or the bytes' SHA-256), marked for forwarding when forwarding is on:
/// `(id, created)`. Shared by `POST /v1/reports` and `POST /gmail/report`.
pub(crate) async fn store_report(
    st: &Arc<AppState>,
    raw: Vec<u8>,
    report: Report,
    now: i64,
    input: ReportInput,
) -> Result<(i64, bool), ApiError> {
    let forward = st.config.forward.to.is_some();
    let store = st.store.clone();
    let level = report.verdict.level;
    let score = report.verdict.score;
    let (id, created) = tokio::task::spawn_blocking(move || {
        let message_id = report.message.message_id.clone();
        let dedupe_key = match &message_id {
            Some(id) => format!("mid:{id}"),
            None => format!("sha256:{:x}", sha2::Sha256::digest(&raw)),
        };
        let report_json = serde_json::to_string(&report).unwrap_or_default();
        store.insert_report(&NewReport {
            created_at: now,
            dedupe_key: &dedupe_key,
            message_id: message_id.as_deref(),
            reporter: &input.reporter,
            client_verdict: input.client_verdict.as_deref(),
            reasons: &input.reasons,
            comment: input.comment.as_deref(),
            level: level_name(level),
            score,
            report_json: &report_json,
            raw: &raw,
            forward,
        })
    })
    .await
    .map_err(|_| ApiError::internal("storage failed"))?
    .map_err(|e| {
        tracing::error!(error = %e, "storing a report failed");
        ApiError::internal("the report could not be stored")
    })?;
    st.metrics
        .report(if created { "created" } else { "duplicate" });
    tracing::info!(
        report_id = id,
        created,
        level = level_name(level),
        "report received"
    );
    if created && forward {
        st.forward_wakeup.notify_one();
    }
    Ok((id, created))
}

fn require_admin(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(key) = st.config.admin_key.as_deref().filter(|k| !k.is_empty()) else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "admin-disabled",
            "the admin API is disabled: set `admin_key` in the server configuration",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if constant_time_eq(given.as_bytes(), key.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this endpoint needs `Authorization: Bearer <admin key>`",
        ))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let ha = sha2::Sha256::digest(a);
    let hb = sha2::Sha256::digest(b);
    ha.iter()
        .zip(hb.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    level: Option<String>,
    since: Option<i64>,
    reporter: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
}

async fn list_reports(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers)?;
    let Query(q) = query.map_err(|e| ApiError::bad_request("bad-query", e.body_text()))?;
    if let Some(level) = &q.level
        && !matches!(level.as_str(), "safe" | "caution" | "danger")
    {
        return Err(ApiError::bad_request(
            "bad-query",
            "`level` must be `safe`, `caution` or `danger`",
        ));
    }
    let limit = q.limit.unwrap_or(50).clamp(1, 500);
    let filter = ReportFilter {
        level: q.level,
        since: q.since,
        reporter: q.reporter.map(|r| r.trim().to_ascii_lowercase()),
        before: q.before,
        limit,
    };
    let store = st.store.clone();
    let rows = tokio::task::spawn_blocking(move || store.list_reports(&filter))
        .await
        .map_err(|_| ApiError::internal("storage failed"))?
        .map_err(|_| ApiError::internal("the reports could not be read"))?;
    let next = if rows.len() == limit as usize {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    Ok(axum::Json(serde_json::json!({ "reports": rows, "next": next })).into_response())
}

fn parse_id(id: &str) -> Result<i64, ApiError> {
    id.parse::<i64>()
        .map_err(|_| ApiError::bad_request("bad-id", "a report id is a number"))
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not-found", "no report with this id")
}

async fn get_report(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers)?;
    let id = parse_id(&id)?;
    let store = st.store.clone();
    let row = tokio::task::spawn_blocking(move || store.get_report(id))
        .await
        .map_err(|_| ApiError::internal("storage failed"))?
        .map_err(|_| ApiError::internal("the report could not be read"))?;
    match row {
        Some(row) => Ok(axum::Json(row).into_response()),
        None => Err(not_found()),
    }
}

async fn get_report_raw(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    require_admin(&st, &headers)?;
    let id = parse_id(&id)?;
    let store = st.store.clone();
    let raw = tokio::task::spawn_blocking(move || store.report_raw(id))
        .await
        .map_err(|_| ApiError::internal("storage failed"))?
        .map_err(|_| ApiError::internal("the report could not be read"))?;
    match raw {
        Some(raw) => Ok((
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("message/rfc822"),
            )],
            raw,
        )
            .into_response()),
        None => Err(not_found()),
    }
}

async fn healthz(State(st): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let store = st.store.clone();
    tokio::task::spawn_blocking(move || store.journal_queue_len())
        .await
        .map_err(|_| ApiError::internal("storage failed"))?
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage-unavailable",
                "the database cannot be read",
            )
        })?;
    Ok(axum::Json(serde_json::json!({ "status": "ok" })).into_response())
}

async fn metrics(State(st): State<Arc<AppState>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        st.metrics.render(),
    )
        .into_response()
}
