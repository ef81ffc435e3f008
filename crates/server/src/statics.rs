//! Static hosting of the demo page (`www/`, at `/`) and the add-in pages (`addin/`, at
//! `/addin/`), with MIME types from the file extension (`.wasm` is `application/wasm`) and a
//! Content-Security-Policy that allows WebAssembly and lets Outlook frame the pages.

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};

use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;
use crate::error::json_error;

/// The Content-Security-Policy of every static page: own scripts plus Office.js from
/// Microsoft's CDN, wasm compilation (`'wasm-unsafe-eval'`, not `'unsafe-eval'`), and framing
/// by Outlook on the web / new Outlook and Office hosts only.
pub const CSP: &str = "default-src 'self'; \
script-src 'self' 'wasm-unsafe-eval' https://appsforoffice.microsoft.com; \
style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
object-src 'none'; base-uri 'self'; form-action 'self'; \
frame-ancestors 'self' https://outlook.office.com https://outlook.office365.com \
https://outlook.live.com https://*.outlook.com https://*.office.com https://*.office365.com \
https://*.cloud.microsoft https://*.microsoft.com";

/// The fallback service: `/addin/...` from the add-in root, everything else from `www/`;
/// a 404 in JSON when neither has the file.
pub fn service(config: &Config) -> Router {
    let mut router = Router::new();
    if let Some(addin) = config.statics.addin.as_ref().filter(|p| p.is_dir()) {
        router = router.nest_service("/addin", ServeDir::new(addin));
    }
    router = match config.statics.www.as_ref().filter(|p| p.is_dir()) {
        Some(www) => router.fallback_service(ServeDir::new(www)),
        None => router.fallback(|| async {
            json_error(StatusCode::NOT_FOUND, "not-found", "no such resource")
        }),
    };
    router
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
}
