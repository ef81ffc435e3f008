//! API errors: a status and a JSON body that says what is wrong.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An error answered to an HTTP client as `{"error": CODE, "message": TEXT}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable kebab-case code (`too-large`, `not-base64`, `not-a-message`, ...).
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn internal(what: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("internal error: {what}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_error(self.status, self.code, &self.message)
    }
}

/// The JSON error response itself (also used by middleware).
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = serde_json::json!({ "error": code, "message": message });
    let mut res = (status, axum::Json(body)).into_response();
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}
