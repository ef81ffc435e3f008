//! The Gmail add-on HTTP runtime: Google Workspace calls the server with an event object;
//! the server checks the ID token Google signed, fetches the open message with the Gmail API
//! on the user's behalf, analyses it with the server's policy and answers a card.
//!
//! - [`idtoken`]: RS256 ID tokens against a JSON Web Key Set.
//! - [`keys`]: where that key set comes from (a file or a URL, cached).
//! - [`client`]: the small HTTP client used for the Gmail API and the key set URL.
//! - `routes`: `POST /gmail/open` and `POST /gmail/report`, mounted only when configured.
//!
//! Tokens, message bodies and addresses are never logged.

pub mod client;
pub mod idtoken;
pub mod keys;
mod routes;

pub use routes::{OPEN_PATH, REPORT_PATH, UNKNOWN_REPORTER, routes};

use std::time::Duration;

use anyhow::Result;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use serde::Deserialize;

use crate::config::GmailConfig;
use client::{FetchError, HttpClient};
use idtoken::{Claims, Expect, TokenError};
use keys::Keys;

/// Gmail returns `raw` as base64url; accept it with or without padding.
const B64URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The Gmail runtime's shared state: configuration, signing keys, HTTP client.
pub struct Gmail {
    pub config: GmailConfig,
    keys: Keys,
    client: HttpClient,
}

/// Why the message could not be fetched.
#[derive(Debug)]
pub enum GmailError {
    /// The event's message id is not one Gmail issues.
    BadMessageId,
    /// Gmail answered with an error status.
    Status(StatusCode),
    /// No answer, or not one that could be read.
    Fetch(FetchError),
    /// An answer without a decodable `raw` field.
    BadAnswer(&'static str),
}

impl std::fmt::Display for GmailError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GmailError::BadMessageId => f.write_str("the event's message id is not valid"),
            GmailError::Status(s) => write!(f, "the Gmail API answered HTTP {}", s.as_u16()),
            GmailError::Fetch(e) => write!(f, "the Gmail API could not be reached: {e}"),
            GmailError::BadAnswer(what) => write!(f, "the Gmail API's answer is unusable: {what}"),
        }
    }
}

#[derive(Deserialize)]
struct RawMessage {
    raw: Option<String>,
}

impl Gmail {
    /// Loads the key set (from a file now, or from the URL on first use).
    pub fn new(config: &GmailConfig) -> Result<Gmail> {
        let client = HttpClient::new(Duration::from_secs(config.api_timeout_secs))?;
        let keys = match (&config.jwks, &config.jwks_url) {
            (Some(path), _) => Keys::from_file(path.clone())?,
            (None, Some(url)) => Keys::from_url(url.clone(), client.clone()),
            (None, None) => anyhow::bail!("gmail: neither jwks nor jwks_url is configured"),
        };
        if config.service_account.is_none() {
            tracing::warn!(
                "gmail.service_account is not set: ID tokens Google issued to any account for this endpoint are accepted"
            );
        }
        Ok(Gmail {
            config: config.clone(),
            keys,
            client,
        })
    }

    /// Checks an ID token: RS256 with a key of the set, the issuer, `audience`, the time
    /// claims at `now` (Unix seconds), and `email` when given.
    pub async fn verify(
        &self,
        token: &str,
        audience: &str,
        email: Option<&str>,
        now: i64,
    ) -> Result<Claims, TokenError> {
        let header = idtoken::header(token)?;
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let keys = self
            .keys
            .for_kid(&kid)
            .await
            .ok_or(TokenError::UnknownKey)?;
        let expect = Expect {
            issuer: &self.config.issuer,
            audience,
            email,
            now,
            leeway: i64::try_from(self.config.leeway_secs).unwrap_or(i64::MAX),
        };
        idtoken::verify(token, &keys, &expect)
    }

    /// `users.messages.get?format=raw` for the message the add-on is open on, with the user's
    /// OAuth token and the per-message Gmail access token; the decoded RFC 5322 bytes.
    pub async fn fetch_raw(
        &self,
        message_id: &str,
        user_oauth_token: &str,
        gmail_access_token: &str,
    ) -> Result<Vec<u8>, GmailError> {
        if !valid_message_id(message_id) {
            return Err(GmailError::BadMessageId);
        }
        let url = format!(
            "{}/gmail/v1/users/me/messages/{message_id}?format=raw",
            self.config.api_base.trim_end_matches('/')
        );
        let secret = |v: String| {
            HeaderValue::from_str(&v)
                .map(|mut h| {
                    h.set_sensitive(true);
                    h
                })
                .map_err(|_| GmailError::BadAnswer("a token is not a valid header value"))
        };
        let headers = [
            (
                header::AUTHORIZATION,
                secret(format!("Bearer {user_oauth_token}"))?,
            ),
            (
                HeaderName::from_static("x-goog-gmail-access-token"),
                secret(gmail_access_token.to_string())?,
            ),
            (header::ACCEPT, HeaderValue::from_static("application/json")),
        ];
        // base64 grows the message by a third; leave room for the JSON around it.
        let cap = self
            .config
            .max_message_bytes
            .saturating_mul(4)
            .div_ceil(3)
            .saturating_add(64 * 1024);
        let res = self
            .client
            .get(&url, &headers, cap)
            .await
            .map_err(GmailError::Fetch)?;
        if !res.status.is_success() {
            return Err(GmailError::Status(res.status));
        }
        let msg: RawMessage =
            serde_json::from_slice(&res.body).map_err(|_| GmailError::BadAnswer("not JSON"))?;
        let raw = msg.raw.ok_or(GmailError::BadAnswer("no `raw` field"))?;
        let bytes = B64URL_LENIENT
            .decode(raw.as_bytes())
            .map_err(|_| GmailError::BadAnswer("`raw` is not base64url"))?;
        if bytes.len() > self.config.max_message_bytes {
            return Err(GmailError::Fetch(FetchError::TooLarge(
                self.config.max_message_bytes,
            )));
        }
        Ok(bytes)
    }
}

/// Gmail message ids are short hexadecimal strings; anything outside a conservative
/// alphabet is refused rather than put into a URL path.
fn valid_message_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_restricted() {
        assert!(valid_message_id("18c2f0e9a1b2c3d4"));
        for bad in [
            "",
            "../profile",
            "a/b",
            "a?b",
            "a b",
            "a%2F",
            &"a".repeat(129),
        ] {
            assert!(!valid_message_id(bad), "{bad}");
        }
    }
}
