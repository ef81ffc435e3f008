//! `POST /gmail/open` (the homepage and the contextual trigger) and `POST /gmail/report`
//! (the card's "Report phishing" button): Google's event JSON in, a `RenderActions` JSON
//! out (`{"action": {"navigations": [{"pushCard" | "updateCard": card}], "notification"?}}`).
//!
//! Each request must carry the system ID token Google signs for the add-on's service account
//! (in `Authorization: Bearer`, or `authorizationEventObject.systemIdToken`), issued for the
//! very URL that was called; anything else is 401 before the body's tokens are used.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use mailward_core::render::{CardOptions, ReportAction, card};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Gmail, GmailError};
use crate::AppState;
use crate::api::{ReportInput, now_secs, read_body, run_analysis, store_report};
use crate::error::ApiError;

pub const OPEN_PATH: &str = "/gmail/open";
pub const REPORT_PATH: &str = "/gmail/report";

/// Event objects are small (ids, tokens, locale, form inputs); larger bodies are refused.
const MAX_EVENT_BYTES: usize = 256 * 1024;

/// The reporter recorded when the event does not name the user (no verified user ID token).
pub const UNKNOWN_REPORTER: &str = "gmail-user@unknown.invalid";

/// The two routes; only mounted when `[gmail] enabled`.
pub fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route(OPEN_PATH, post(open))
        .route(REPORT_PATH, post(report))
        .with_state(state)
}

/// The parts of Google's event object used here; everything else is ignored.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Event {
    authorization_event_object: AuthorizationEvent,
    gmail: GmailEvent,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct AuthorizationEvent {
    // "OAuth", not "Oauth": camelCase would not spell it the way Google does.
    #[serde(rename = "userOAuthToken")]
    user_oauth_token: Option<String>,
    system_id_token: Option<String>,
    user_id_token: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct GmailEvent {
    message_id: Option<String>,
    access_token: Option<String>,
}

fn unauthorized(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
}

fn bad_event(message: &str) -> ApiError {
    ApiError::bad_request("bad-event", message)
}

fn gmail_of(st: &AppState) -> Result<&Arc<Gmail>, ApiError> {
    st.gmail
        .as_ref()
        .ok_or_else(|| ApiError::internal("the Gmail runtime is not configured"))
}

/// Reads the event and checks the system ID token for the route at `path`.
async fn authenticate(
    st: &AppState,
    gmail: &Gmail,
    path: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<Event, ApiError> {
    let cap = st.config.max_body_bytes.min(MAX_EVENT_BYTES);
    let bytes = read_body(headers, body, cap).await?;
    // serde's messages can quote the offending value (a token), so only the position is given.
    let event: Event = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(
            "bad-json",
            format!(
                "the body is not a Workspace add-on event object (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let token = from_header
        .or(event.authorization_event_object.system_id_token.as_deref())
        .ok_or_else(|| {
            unauthorized("a Google-signed ID token is required (Authorization: Bearer)")
        })?;
    let audience = gmail.config.endpoint_url(path);
    let email = gmail.config.service_account.as_deref();
    if let Err(e) = gmail.verify(token, &audience, email, now_secs()).await {
        tracing::info!(route = path, reason = %e, "Gmail add-on request refused");
        return Err(unauthorized(e.to_string()));
    }
    Ok(event)
}

/// The message the event is about, fetched from Gmail.
async fn fetch(gmail: &Gmail, event: &Event) -> Result<Vec<u8>, ApiError> {
    let (Some(id), Some(access)) = (
        event.gmail.message_id.as_deref(),
        event.gmail.access_token.as_deref(),
    ) else {
        return Err(bad_event(
            "the event has no gmail.messageId and gmail.accessToken",
        ));
    };
    let user = event
        .authorization_event_object
        .user_oauth_token
        .as_deref()
        .ok_or_else(|| bad_event("the event has no authorizationEventObject.userOAuthToken"))?;
    gmail.fetch_raw(id, user, access).await.map_err(|e| {
        tracing::warn!(error = %e, "fetching a message from Gmail failed");
        match e {
            GmailError::BadMessageId => bad_event("the event's gmail.messageId is not valid"),
            GmailError::Fetch(super::client::FetchError::TooLarge(cap)) => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                format!("the message is larger than the limit of {cap} bytes"),
            ),
            GmailError::Fetch(super::client::FetchError::Timeout) => ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "gmail-timeout",
                "the Gmail API did not answer in time",
            ),
            other => ApiError::new(
                StatusCode::BAD_GATEWAY,
                "gmail-unavailable",
                other.to_string(),
            ),
        }
    })
}

fn card_options(gmail: &Gmail, reported: bool) -> CardOptions {
    CardOptions {
        report: ReportAction::Endpoint(gmail.config.endpoint_url(REPORT_PATH)),
        reported,
        ..CardOptions::default()
    }
}

/// The response Google renders: `{"action": {"navigations": [{kind: card}], ...}}`.
fn render(kind: &str, card: Value, notification: Option<&str>) -> Response {
    let mut action = json!({ "navigations": [{ kind: card }] });
    if let Some(text) = notification {
        action["notification"] = json!({ "text": text });
    }
    let mut res = axum::Json(json!({ "action": action })).into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// What the homepage shows when no message is open (no message data in it).
fn homepage_card() -> Value {
    json!({
        "name": "mailward-home",
        "header": { "title": "Mailward" },
        "sections": [{ "widgets": [{ "textParagraph": {
            "text": "Open a message to see what Mailward finds in it: the sender, links, \
                     attachments and look-alike domains are checked and explained here."
        }}]}],
    })
}

async fn open(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let gmail = gmail_of(&st)?;
    let event = authenticate(&st, gmail, OPEN_PATH, &headers, body).await?;
    if event.gmail.message_id.is_none() {
        return Ok(render("pushCard", homepage_card(), None));
    }
    let raw = fetch(gmail, &event).await?;
    let (_, report) = run_analysis(raw, st.policy.clone(), now_secs()).await?;
    st.metrics.analysis("gmail", report.verdict.level);
    Ok(render(
        "pushCard",
        card(&report, &card_options(gmail, false)),
        None,
    ))
}

async fn report(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let result = report_inner(&st, &headers, body).await;
    if result.is_err() {
        st.metrics.report("rejected");
    }
    result
}

async fn report_inner(
    st: &Arc<AppState>,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let gmail = gmail_of(st)?;
    let event = authenticate(st, gmail, REPORT_PATH, headers, body).await?;
    let reporter = reporter(gmail, &event).await?;
    let raw = fetch(gmail, &event).await?;
    let now = now_secs();
    let (raw, analysed) = run_analysis(raw, st.policy.clone(), now).await?;
    st.metrics.analysis("report", analysed.verdict.level);
    let shown = card(&analysed, &card_options(gmail, true));
    let (_, created) = store_report(
        st,
        raw,
        analysed,
        now,
        ReportInput {
            reporter,
            client_verdict: None,
            reasons: Vec::new(),
            comment: None,
        },
    )
    .await?;
    let note = if created {
        "Reported. Thank you: your security team has a copy of this message."
    } else {
        "You had already reported this message. Thank you."
    };
    Ok(render("updateCard", shown, Some(note)))
}

/// The reporting user's address: the `email` of the user ID token when the add-on's OAuth
/// client ID is configured and the event carries one (a token that does not verify is 401),
/// else [`UNKNOWN_REPORTER`].
async fn reporter(gmail: &Gmail, event: &Event) -> Result<String, ApiError> {
    let (Some(client_id), Some(token)) = (
        gmail.config.oauth_client_id.as_deref(),
        event.authorization_event_object.user_id_token.as_deref(),
    ) else {
        return Ok(UNKNOWN_REPORTER.to_string());
    };
    let claims = gmail
        .verify(token, client_id, None, now_secs())
        .await
        .map_err(|e| {
            tracing::info!(reason = %e, "Gmail add-on user ID token refused");
            unauthorized(format!("user ID token: {e}"))
        })?;
    match claims.email {
        Some(email) if claims.email_verified != Some(false) && email.contains('@') => {
            Ok(email.trim().to_ascii_lowercase())
        }
        _ => Ok(UNKNOWN_REPORTER.to_string()),
    }
}
