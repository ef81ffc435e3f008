//! The Gmail add-on HTTP runtime: ID tokens signed at test time with committed throwaway RSA
//! keys (tests/fixtures/gmail, see PROVENANCE), a fake Gmail API on loopback that checks both
//! tokens, and the key set served from a file and from a URL.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use mailward_server::config::GmailConfig;
use mailward_server::gmail::Gmail;
use mailward_server::gmail::idtoken::TokenError;
use ring::rand::SystemRandom;
use ring::signature::{KeyPair as _, RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use rustls::pki_types::PrivatePkcs8KeyDer;
use rustls::pki_types::pem::PemObject as _;
use serde_json::{Value, json};

use crate::support::{TempDir, repo};

pub const SERVICE_ACCOUNT: &str = "service-123456789@gcp-sa-gsuiteaddons.iam.gserviceaccount.com";
pub const PUBLIC_URL: &str = "https://mailward.test";
pub const USER_TOKEN: &str = "ya29.user-oauth-token";
pub const ACCESS_TOKEN: &str = "gmail-per-message-access-token";
pub const MESSAGE_ID: &str = "18c2f0e9a1b2c3d4";

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A key that signs test ID tokens under a `kid`.
pub struct Signer {
    key: RsaKeyPair,
    pub kid: String,
}

impl Signer {
    pub fn load(file: &str, kid: &str) -> Signer {
        let path = repo().join("crates/server/tests/fixtures/gmail").join(file);
        let der = PrivatePkcs8KeyDer::from_pem_file(&path).unwrap();
        Signer {
            key: RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).unwrap(),
            kid: kid.to_string(),
        }
    }

    pub fn main() -> Signer {
        Signer::load("signing-key.pk8.pem", "test-key-1")
    }

    pub fn other() -> Signer {
        Signer::load("other-key.pk8.pem", "test-key-2")
    }

    /// A compact RS256 JWT of `claims` with this key's `kid`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "alg": "RS256", "kid": self.kid, "typ": "JWT" });
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let mut sig = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut sig,
            )
            .unwrap();
        format!("{input}.{}", b64url(&sig))
    }

    pub fn jwk(&self) -> Value {
        let c = RsaPublicKeyComponents::<Vec<u8>>::from(self.key.public_key());
        json!({ "kty": "RSA", "alg": "RS256", "use": "sig", "kid": self.kid,
                "n": b64url(&c.n), "e": b64url(&c.e) })
    }
}

pub fn jwks(signers: &[&Signer]) -> String {
    json!({ "keys": signers.iter().map(|s| s.jwk()).collect::<Vec<_>>() }).to_string()
}

pub fn now() -> i64 {
    mailward_server::api::now_secs()
}

/// The claims of a system ID token Google would send to `path`.
pub fn system_claims(path: &str) -> Value {
    let now = now();
    json!({
        "iss": "https://accounts.google.com",
        "aud": format!("{PUBLIC_URL}{path}"),
        "azp": "104712345678901234567",
        "sub": "104712345678901234567",
        "email": SERVICE_ACCOUNT,
        "email_verified": true,
        "iat": now - 10,
        "exp": now + 3590,
    })
}

/// What the fake Gmail saw: (Authorization, X-Goog-Gmail-Access-Token, message id, format).
pub type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

#[derive(Clone)]
struct FakeState {
    seen: Seen,
    raw: Arc<Vec<u8>>,
    jwks: Arc<Mutex<String>>,
    jwks_fetches: Arc<Mutex<usize>>,
}

/// A fake Gmail API (and JWKS endpoint) on 127.0.0.1.
pub struct FakeGoogle {
    pub addr: SocketAddr,
    pub seen: Seen,
    jwks: Arc<Mutex<String>>,
    jwks_fetches: Arc<Mutex<usize>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeGoogle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeGoogle {
    pub async fn start(raw: &[u8], jwks: String) -> FakeGoogle {
        let state = FakeState {
            seen: Arc::default(),
            raw: Arc::new(raw.to_vec()),
            jwks: Arc::new(Mutex::new(jwks)),
            jwks_fetches: Arc::default(),
        };
        let app = Router::new()
            .route("/gmail/v1/users/me/messages/{id}", get(fake_message))
            .route("/oauth2/v3/certs", get(fake_certs))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeGoogle {
            addr,
            seen: state.seen,
            jwks: state.jwks,
            jwks_fetches: state.jwks_fetches,
            task,
        }
    }

    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_jwks(&self, jwks: String) {
        *self.jwks.lock().unwrap() = jwks;
    }

    pub fn jwks_fetches(&self) -> usize {
        *self.jwks_fetches.lock().unwrap()
    }
}

async fn fake_message(
    State(st): State<FakeState>,
    Path(id): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let auth = h("authorization");
    let access = h("x-goog-gmail-access-token");
    let format = q.get("format").cloned().unwrap_or_default();
    st.seen
        .lock()
        .unwrap()
        .push((auth.clone(), access.clone(), id.clone(), format));
    if auth != format!("Bearer {USER_TOKEN}") || access != ACCESS_TOKEN {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": {"code": 401, "message": "Request had invalid authentication credentials."}})),
        )
            .into_response();
    }
    if id != MESSAGE_ID {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": {"code": 404}})),
        )
            .into_response();
    }
    // Gmail's raw is base64url; padded here to check the decoder takes either form.
    let raw = base64::engine::general_purpose::URL_SAFE.encode(st.raw.as_slice());
    axum::Json(json!({ "id": id, "threadId": id, "labelIds": ["INBOX"], "raw": raw }))
        .into_response()
}

async fn fake_certs(State(st): State<FakeState>) -> Response {
    *st.jwks_fetches.lock().unwrap() += 1;
    let body = st.jwks.lock().unwrap().clone();
    (
        [
            ("content-type", "application/json"),
            ("cache-control", "public, max-age=20000, must-revalidate"),
        ],
        body,
    )
        .into_response()
}

/// A `[gmail]` configuration with the key set in a file under `dir`.
pub fn gmail_config(dir: &TempDir, api_base: &str, jwks: &str) -> GmailConfig {
    let path = dir.0.join("google-certs.json");
    std::fs::write(&path, jwks).unwrap();
    GmailConfig {
        enabled: true,
        public_url: Some(PUBLIC_URL.into()),
        jwks: Some(path),
        service_account: Some(SERVICE_ACCOUNT.into()),
        api_base: api_base.into(),
        api_timeout_secs: 5,
        ..GmailConfig::default()
    }
}

/// The message the fake Gmail serves (a phishing fixture, so the card has findings).
pub fn message() -> Vec<u8> {
    std::fs::read(repo().join(PHISH)).unwrap()
}

pub const PHISH: &str = "tests/fixtures/phish/cyrillic-paypal-display-name.eml";

#[tokio::test]
async fn id_tokens_are_verified_against_the_key_set() {
    let dir = TempDir::new("gmail-verify");
    let main = Signer::main();
    let other = Signer::other();
    let gmail = Gmail::new(&gmail_config(&dir, "http://127.0.0.1:9", &jwks(&[&main]))).unwrap();
    let aud = format!("{PUBLIC_URL}/gmail/open");
    let verify = |token: String| {
        let gmail = &gmail;
        let aud = aud.clone();
        async move {
            gmail
                .verify(&token, &aud, Some(SERVICE_ACCOUNT), now())
                .await
                .map(|_| ())
        }
    };

    assert_eq!(
        verify(main.sign(&system_claims("/gmail/open"))).await,
        Ok(())
    );

    // Another key under the same kid: the signature fails.
    let impostor = Signer {
        kid: main.kid.clone(),
        ..Signer::other()
    };
    assert_eq!(
        verify(impostor.sign(&system_claims("/gmail/open"))).await,
        Err(TokenError::Signature)
    );
    // A key the set does not have.
    assert_eq!(
        verify(other.sign(&system_claims("/gmail/open"))).await,
        Err(TokenError::UnknownKey)
    );
    // A token for the other endpoint.
    assert_eq!(
        verify(main.sign(&system_claims("/gmail/report"))).await,
        Err(TokenError::Audience)
    );
    let with = |k: &str, v: Value| {
        let mut c = system_claims("/gmail/open");
        c[k] = v;
        main.sign(&c)
    };
    assert_eq!(
        verify(with("exp", json!(now() - 120))).await,
        Err(TokenError::Expired)
    );
    assert_eq!(
        verify(with("iat", json!(now() + 600))).await,
        Err(TokenError::NotYetValid)
    );
    assert_eq!(
        verify(with("iss", json!("https://evil.example"))).await,
        Err(TokenError::Issuer)
    );
    assert_eq!(
        verify(with(
            "email",
            json!("attacker@evil-project.iam.gserviceaccount.com")
        ))
        .await,
        Err(TokenError::Email)
    );
    // A payload swapped under a valid signature.
    let good = main.sign(&system_claims("/gmail/open"));
    let forged = main.sign(&with_claim_email("x@example.com"));
    let mut parts: Vec<&str> = good.split('.').collect();
    parts[1] = forged.split('.').nth(1).unwrap();
    assert_eq!(verify(parts.join(".")).await, Err(TokenError::Signature));
    assert_eq!(
        verify("not.a.token".into()).await,
        Err(TokenError::Malformed)
    );
}

fn with_claim_email(email: &str) -> Value {
    let mut c = system_claims("/gmail/open");
    c["email"] = json!(email);
    c
}

#[tokio::test]
async fn a_rotated_key_set_file_is_reread_for_an_unknown_key() {
    let dir = TempDir::new("gmail-rotate");
    let main = Signer::main();
    let other = Signer::other();
    let cfg = gmail_config(&dir, "http://127.0.0.1:9", &jwks(&[&main]));
    let gmail = Gmail::new(&cfg).unwrap();
    let aud = format!("{PUBLIC_URL}/gmail/open");
    let token = other.sign(&system_claims("/gmail/open"));
    // Google rotates: the file gets the new key (e.g. from a cron job); a token signed with
    // it makes the server re-read the file.
    std::fs::write(cfg.jwks.as_ref().unwrap(), jwks(&[&main, &other])).unwrap();
    gmail
        .verify(&token, &aud, Some(SERVICE_ACCOUNT), now())
        .await
        .unwrap();
    // Unknown kids do not make it re-read again within the minute.
    std::fs::write(cfg.jwks.as_ref().unwrap(), jwks(&[&main])).unwrap();
    let stranger = Signer {
        kid: "test-key-3".into(),
        ..Signer::other()
    };
    assert_eq!(
        gmail
            .verify(
                &stranger.sign(&system_claims("/gmail/open")),
                &aud,
                Some(SERVICE_ACCOUNT),
                now()
            )
            .await
            .map(|_| ()),
        Err(TokenError::UnknownKey)
    );
    // ... and the set in memory still has the rotated key.
    gmail
        .verify(&token, &aud, Some(SERVICE_ACCOUNT), now())
        .await
        .unwrap();
}

#[tokio::test]
async fn the_key_set_url_is_fetched_once_and_cached() {
    let main = Signer::main();
    let fake = FakeGoogle::start(b"", jwks(&[&main])).await;
    let cfg = GmailConfig {
        enabled: true,
        public_url: Some(PUBLIC_URL.into()),
        jwks_url: Some(format!("{}/oauth2/v3/certs", fake.base())),
        service_account: Some(SERVICE_ACCOUNT.into()),
        api_base: fake.base(),
        api_timeout_secs: 5,
        ..GmailConfig::default()
    };
    let gmail = Gmail::new(&cfg).unwrap();
    assert_eq!(fake.jwks_fetches(), 0, "fetched on first use only");
    let aud = format!("{PUBLIC_URL}/gmail/open");
    for _ in 0..3 {
        let token = main.sign(&system_claims("/gmail/open"));
        gmail
            .verify(&token, &aud, Some(SERVICE_ACCOUNT), now())
            .await
            .unwrap();
    }
    assert_eq!(fake.jwks_fetches(), 1);
    // A token with a key the cached set lacks, right after the fetch: no second fetch yet.
    fake.set_jwks(jwks(&[&Signer::other()]));
    let token = Signer::other().sign(&system_claims("/gmail/open"));
    assert_eq!(
        gmail
            .verify(&token, &aud, Some(SERVICE_ACCOUNT), now())
            .await
            .map(|_| ()),
        Err(TokenError::UnknownKey)
    );
    assert_eq!(fake.jwks_fetches(), 1);
}

#[tokio::test]
async fn the_message_is_fetched_with_both_tokens() {
    let dir = TempDir::new("gmail-fetch");
    let raw = message();
    let fake = FakeGoogle::start(&raw, jwks(&[&Signer::main()])).await;
    let gmail = Gmail::new(&gmail_config(&dir, &fake.base(), &jwks(&[&Signer::main()]))).unwrap();
    let got = gmail
        .fetch_raw(MESSAGE_ID, USER_TOKEN, ACCESS_TOKEN)
        .await
        .unwrap();
    assert_eq!(got, raw);
    {
        let seen = fake.seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let (auth, access, id, format) = &seen[0];
        assert_eq!(auth, &format!("Bearer {USER_TOKEN}"));
        assert_eq!(access, ACCESS_TOKEN);
        assert_eq!(id, MESSAGE_ID);
        assert_eq!(format, "raw");
    }
    // Gmail refuses a wrong token; the error names the status, never the token.
    let err = gmail
        .fetch_raw(MESSAGE_ID, "wrong", ACCESS_TOKEN)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("401"), "{err}");
    assert!(
        !err.contains("wrong") && !err.contains(ACCESS_TOKEN),
        "{err}"
    );
    // Ids that could leave the path are refused before any request.
    let before = fake.seen.lock().unwrap().len();
    assert!(
        gmail
            .fetch_raw("../profile", USER_TOKEN, ACCESS_TOKEN)
            .await
            .is_err()
    );
    assert_eq!(fake.seen.lock().unwrap().len(), before);
}

#[tokio::test]
async fn a_message_above_the_cap_is_refused() {
    let dir = TempDir::new("gmail-cap");
    let raw = message();
    let fake = FakeGoogle::start(&raw, jwks(&[&Signer::main()])).await;
    let mut cfg = gmail_config(&dir, &fake.base(), &jwks(&[&Signer::main()]));
    cfg.max_message_bytes = raw.len() - 1;
    let gmail = Gmail::new(&cfg).unwrap();
    let err = gmail
        .fetch_raw(MESSAGE_ID, USER_TOKEN, ACCESS_TOKEN)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("larger than"), "{err}");
}

// ---- The routes, in process (the Gmail API fake is real TCP on loopback) ----

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use crate::support::{config, state};

struct Harness {
    app: Router,
    fake: FakeGoogle,
    main: Signer,
    _dir: TempDir,
}

async fn harness(tweak: impl FnOnce(&mut GmailConfig)) -> Harness {
    let dir = TempDir::new("gmail-routes");
    let main = Signer::main();
    let fake = FakeGoogle::start(&message(), jwks(&[&main])).await;
    let mut cfg = config(&dir.0);
    cfg.gmail = gmail_config(&dir, &fake.base(), &jwks(&[&main]));
    tweak(&mut cfg.gmail);
    let app = mailward_server::router(state(cfg));
    Harness {
        app,
        fake,
        main,
        _dir: dir,
    }
}

/// A Gmail contextual-trigger (or button) event for the fixture message.
fn event(system_id_token: Option<&str>) -> Value {
    let mut auth = json!({ "userOAuthToken": USER_TOKEN });
    if let Some(t) = system_id_token {
        auth["systemIdToken"] = json!(t);
    }
    json!({
        "commonEventObject": { "hostApp": "GMAIL", "platform": "WEB", "userLocale": "en" },
        "authorizationEventObject": auth,
        "gmail": { "messageId": MESSAGE_ID, "threadId": MESSAGE_ID, "accessToken": ACCESS_TOKEN },
    })
}

async fn call(app: &Router, path: &str, bearer: Option<&str>, body: &Value) -> (StatusCode, Value) {
    let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = bearer {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The card of a `{"action":{"navigations":[{kind: card}]}}` answer.
fn card_of<'a>(body: &'a Value, kind: &str) -> &'a Value {
    let navs = body["action"]["navigations"]
        .as_array()
        .expect("navigations");
    assert_eq!(navs.len(), 1, "{body}");
    &navs[0][kind]
}

fn report_button(card: &Value) -> Option<&Value> {
    card["fixedFooter"]["primaryButton"]["onClick"]["action"]["function"].as_str()?;
    Some(&card["fixedFooter"]["primaryButton"]["onClick"]["action"])
}

#[tokio::test]
async fn open_verifies_the_token_fetches_with_both_headers_and_returns_the_card() {
    let h = harness(|_| {}).await;
    let token = h.main.sign(&system_claims("/gmail/open"));
    let (status, body) = call(&h.app, "/gmail/open", Some(&token), &event(None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let card = card_of(&body, "pushCard");
    // The core's card for the same message: header, findings, and the button posting to
    // the report endpoint (its URL is the ID-token audience Google will use).
    let report = mailward_core::analyze(&message(), &mailward_core::Policy::default(), &{
        #[allow(clippy::needless_update)]
        mailward_core::Context {
            now: Some(now()),
            ..Default::default()
        }
    });
    let expected = mailward_core::render::card(
        &report,
        &mailward_core::render::CardOptions::http(&format!("{PUBLIC_URL}/gmail/report")),
    );
    assert_eq!(card["header"], expected["header"]);
    assert_eq!(card["sections"][1], expected["sections"][1], "findings");
    assert_eq!(card["fixedFooter"], expected["fixedFooter"]);
    assert_eq!(card["header"]["title"], "Likely phishing");
    assert_eq!(
        report_button(card).unwrap()["function"],
        format!("{PUBLIC_URL}/gmail/report")
    );
    let seen = h.fake.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![(
            format!("Bearer {USER_TOKEN}"),
            ACCESS_TOKEN.to_string(),
            MESSAGE_ID.to_string(),
            "raw".to_string()
        )]
    );

    // The token may also come in the event itself (authorizationEventObject.systemIdToken).
    let (status, body) = call(&h.app, "/gmail/open", None, &event(Some(&token))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        card_of(&body, "pushCard")["header"]["title"],
        "Likely phishing"
    );
}

#[tokio::test]
async fn bad_tokens_are_refused_before_gmail_is_called() {
    let h = harness(|_| {}).await;
    let other = Signer::other();
    for (path, other_path) in [
        ("/gmail/open", "/gmail/report"),
        ("/gmail/report", "/gmail/open"),
    ] {
        let claims = |f: &dyn Fn(&mut Value)| {
            let mut c = system_claims(path);
            f(&mut c);
            c
        };
        let cases: Vec<(&str, Option<String>)> = vec![
            ("no token", None),
            ("garbage", Some("not-a-jwt".into())),
            (
                "token for the other endpoint",
                Some(h.main.sign(&system_claims(other_path))),
            ),
            (
                "expired",
                Some(h.main.sign(&claims(&|c| c["exp"] = json!(now() - 300)))),
            ),
            (
                "another service account",
                Some(h.main.sign(&claims(&|c| {
                    c["email"] = json!("someone@other-project.iam.gserviceaccount.com")
                }))),
            ),
            (
                "another issuer",
                Some(
                    h.main
                        .sign(&claims(&|c| c["iss"] = json!("https://example.com"))),
                ),
            ),
            ("unknown key", Some(other.sign(&system_claims(path)))),
            (
                "known kid, wrong key",
                Some(
                    Signer {
                        kid: h.main.kid.clone(),
                        ..Signer::other()
                    }
                    .sign(&system_claims(path)),
                ),
            ),
        ];
        for (what, token) in &cases {
            let (status, body) = call(&h.app, path, token.as_deref(), &event(None)).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{what} {path}: {body}");
            assert_eq!(body["error"], "unauthorized", "{what}");
            // The answer never echoes a token.
            let text = body.to_string();
            assert!(!text.contains(USER_TOKEN) && !text.contains(ACCESS_TOKEN));
            if let Some(t) = token {
                assert!(!text.contains(t.as_str()), "{what}");
            }
        }
    }
    // A bearer token that is bad is not rescued by a good one in the body.
    let good = h.main.sign(&system_claims("/gmail/open"));
    let (status, _) = call(&h.app, "/gmail/open", Some("x.y.z"), &event(Some(&good))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(h.fake.seen.lock().unwrap().is_empty(), "Gmail was called");
}

#[tokio::test]
async fn the_homepage_needs_no_message() {
    let h = harness(|_| {}).await;
    let token = h.main.sign(&system_claims("/gmail/open"));
    let home = json!({
        "commonEventObject": { "hostApp": "GMAIL", "platform": "WEB" },
        "authorizationEventObject": { "userOAuthToken": USER_TOKEN },
    });
    let (status, body) = call(&h.app, "/gmail/open", Some(&token), &home).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(card_of(&body, "pushCard")["header"]["title"], "Mailward");
    assert!(h.fake.seen.lock().unwrap().is_empty());
}

async fn list_reports(app: &Router) -> Vec<Value> {
    let res = app
        .clone()
        .oneshot(
            Request::get("/v1/reports")
                .header(header::AUTHORIZATION, "Bearer test-admin-key")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    v["reports"].as_array().unwrap().clone()
}

#[tokio::test]
async fn report_stores_the_message_once_and_updates_the_card() {
    let h = harness(|_| {}).await;
    let token = h.main.sign(&system_claims("/gmail/report"));
    let (status, body) = call(&h.app, "/gmail/report", Some(&token), &event(None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let card = card_of(&body, "updateCard");
    assert!(
        report_button(card).is_none(),
        "no report button once reported"
    );
    assert!(card.to_string().contains("Reported."), "{card}");
    let note = body["action"]["notification"]["text"].as_str().unwrap();
    assert!(note.starts_with("Reported."), "{note}");

    let reports = list_reports(&h.app).await;
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["level"], "danger");
    assert_eq!(
        reports[0]["reporter"],
        mailward_server::gmail::UNKNOWN_REPORTER
    );

    // The same message again: no second row, and the user is told.
    let (status, body) = call(&h.app, "/gmail/report", Some(&token), &event(None)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let note = body["action"]["notification"]["text"].as_str().unwrap();
    assert!(note.contains("already"), "{note}");
    assert_eq!(list_reports(&h.app).await.len(), 1);
    assert_eq!(h.fake.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_verified_user_id_token_names_the_reporter() {
    const CLIENT_ID: &str = "123456789012-abc.apps.googleusercontent.com";
    let h = harness(|g| g.oauth_client_id = Some(CLIENT_ID.into())).await;
    let token = h.main.sign(&system_claims("/gmail/report"));
    let user = |email: &str| {
        let now = now();
        h.main.sign(&json!({
            "iss": "https://accounts.google.com", "aud": CLIENT_ID,
            "sub": "1234", "email": email, "email_verified": true,
            "iat": now, "exp": now + 3600,
        }))
    };
    let mut ev = event(None);
    ev["authorizationEventObject"]["userIdToken"] = json!(user("Megan.Bowen@Contoso.com"));
    let (status, body) = call(&h.app, "/gmail/report", Some(&token), &ev).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reports = list_reports(&h.app).await;
    assert_eq!(reports[0]["reporter"], "megan.bowen@contoso.com");

    // A user ID token for another client is refused.
    let mut c = json!({"iss": "https://accounts.google.com", "aud": "other-client",
        "email": "x@contoso.com", "iat": now(), "exp": now() + 3600});
    ev["authorizationEventObject"]["userIdToken"] = json!(h.main.sign(&c));
    let (status, _) = call(&h.app, "/gmail/report", Some(&token), &ev).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    c["aud"] = json!(CLIENT_ID);
    c["exp"] = json!(now() - 3600);
    ev["authorizationEventObject"]["userIdToken"] = json!(h.main.sign(&c));
    let (status, _) = call(&h.app, "/gmail/report", Some(&token), &ev).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn gmail_errors_and_bad_events_are_reported_without_tokens() {
    let h = harness(|_| {}).await;
    let token = h.main.sign(&system_claims("/gmail/open"));
    // Gmail refuses (the fake only knows the test tokens).
    let mut ev = event(None);
    ev["gmail"]["accessToken"] = json!("expired-access-token");
    let (status, body) = call(&h.app, "/gmail/open", Some(&token), &ev).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert_eq!(body["error"], "gmail-unavailable");
    assert!(body["message"].as_str().unwrap().contains("401"));
    assert!(!body.to_string().contains("expired-access-token"));
    // No access token, no user token, a message id that is not one.
    for (ptr, value) in [
        ("/gmail/accessToken", Value::Null),
        ("/authorizationEventObject/userOAuthToken", Value::Null),
        ("/gmail/messageId", json!("../../profile")),
    ] {
        let mut ev = event(None);
        *ev.pointer_mut(ptr).unwrap() = value;
        let (status, body) = call(&h.app, "/gmail/open", Some(&token), &ev).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{ptr}: {body}");
        assert_eq!(body["error"], "bad-event", "{ptr}");
    }
    // Not JSON; too large.
    let res = h
        .app
        .clone()
        .oneshot(
            Request::post("/gmail/open")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from("{"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // A malformed event is refused without quoting it back.
    let (status, body) = call(
        &h.app,
        "/gmail/open",
        Some(&token),
        &json!({ "gmail": "ya29.looks-like-a-token" }),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "bad-json");
    assert!(!body.to_string().contains("ya29"), "{body}");
    let mut big = event(None);
    big["commonEventObject"]["parameters"] = json!({ "pad": "x".repeat(300 * 1024) });
    let (status, _) = call(&h.app, "/gmail/open", Some(&token), &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_routes_exist_only_when_configured() {
    let dir = TempDir::new("gmail-off");
    let app = mailward_server::router(state(config(&dir.0)));
    for path in ["/gmail/open", "/gmail/report"] {
        let (status, _) = call(&app, path, None, &event(None)).await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
            "{path}: {status}"
        );
    }
}

#[test]
fn the_example_deployment_points_at_the_routes() {
    let text = std::fs::read_to_string(repo().join("manifest/gmail/deployment.json")).unwrap();
    let d: Value = serde_json::from_str(&text).unwrap();
    let scopes: Vec<&str> = d["oauthScopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    for needed in [
        "https://www.googleapis.com/auth/gmail.addons.execute",
        "https://www.googleapis.com/auth/gmail.addons.current.message.readonly",
    ] {
        assert!(scopes.contains(&needed), "{needed}");
    }
    let base = "https://mailward.example.com";
    assert_eq!(
        d["addOns"]["common"]["homepageTrigger"]["runFunction"],
        format!("{base}{}", mailward_server::gmail::OPEN_PATH)
    );
    let triggers = d["addOns"]["gmail"]["contextualTriggers"]
        .as_array()
        .unwrap();
    assert_eq!(triggers.len(), 1);
    assert_eq!(
        triggers[0]["onTriggerFunction"],
        format!("{base}{}", mailward_server::gmail::OPEN_PATH)
    );
    // The ID token the routes verify is the default system ID token.
    assert_eq!(
        d["addOns"]["httpOptions"]["authorizationHeader"],
        "SYSTEM_ID_TOKEN"
    );
    // The card's "Learn more" link must be allowed by the deployment.
    let prefixes = d["addOns"]["common"]["openLinkUrlPrefixes"]
        .as_array()
        .unwrap();
    let learn_more = mailward_core::render::card::DEFAULT_LEARN_MORE_URL;
    assert!(
        prefixes
            .iter()
            .any(|p| learn_more.starts_with(p.as_str().unwrap())),
        "{learn_more}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_speaks_https_and_trusts_only_its_roots() {
    use mailward_server::gmail::client::{FetchError, HttpClient};
    use rustls::pki_types::CertificateDer;
    use std::time::Duration;

    let dir = TempDir::new("gmail-https");
    let mut cfg = config(&dir.0);
    cfg.tls.dev_cert = true;
    let running = mailward_server::start(cfg).await.unwrap();
    let tls = running.tls.clone().unwrap();
    let url = format!("https://127.0.0.1:{}/healthz", running.http_addr.port());

    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&tls.cert_path).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let trusting = HttpClient::with_roots(roots, Duration::from_secs(10)).unwrap();
    let res = trusting.get(&url, &[], 1024).await.unwrap();
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_slice::<Value>(&res.body).unwrap(),
        json!({"status": "ok"})
    );
    // The body cap applies to HTTPS answers too.
    assert!(matches!(
        trusting.get(&url, &[], 4).await,
        Err(FetchError::TooLarge(4))
    ));

    // The production client trusts Mozilla's roots only: a self-signed certificate fails.
    let public = HttpClient::new(Duration::from_secs(10)).unwrap();
    match public.get(&url, &[], 1024).await {
        Err(FetchError::Io(m)) => assert!(m.contains("TLS"), "{m}"),
        other => panic!("expected a TLS failure, got {other:?}"),
    }
    running.shutdown().await;
}

#[tokio::test]
async fn a_gmail_api_that_does_not_answer_is_a_timeout() {
    // A listener that accepts and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let main = Signer::main();
    let dir = TempDir::new("gmail-timeout");
    let mut cfg = config(&dir.0);
    cfg.gmail = gmail_config(&dir, &format!("http://{addr}"), &jwks(&[&main]));
    cfg.gmail.api_timeout_secs = 1;
    let app = mailward_server::router(state(cfg));
    let token = main.sign(&system_claims("/gmail/open"));
    let (status, body) = call(&app, "/gmail/open", Some(&token), &event(None)).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{body}");
    assert_eq!(body["error"], "gmail-timeout");
    hold.abort();
}
