//! Google-signed ID tokens (JWT, RS256) checked against a JSON Web Key Set.
//!
//! The Workspace add-on HTTP runtime signs every request with an ID token for the project's
//! add-on service account ("system ID token"): issuer `https://accounts.google.com`, audience
//! the endpoint URL that was called, `email` the service account. This module checks the
//! signature (RS256 only, with `ring`), the issuer, the audience, the time claims and,
//! when configured, the email; nothing else. It never logs or returns the token.

use std::collections::HashMap;

use base64::Engine as _;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};
use serde::Deserialize;

/// Tokens longer than this are refused unread (Google's are ~1 KB).
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// Keys in a key set, at most (Google publishes two or three).
const MAX_KEYS: usize = 64;

/// Base64url without padding, as JWT segments are (RFC 7515 §2).
const B64URL: GeneralPurpose = general_purpose::URL_SAFE_NO_PAD;
/// Base64url with or without padding, for JWK members.
const B64URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a token was refused. The `Display` text is safe to return to a client: it names the
/// check that failed, never a claim value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url segments of JSON, or too long.
    Malformed,
    /// `alg` is not `RS256`.
    Algorithm,
    /// No key with the token's `kid` in the key set.
    UnknownKey,
    /// The RS256 signature does not verify.
    Signature,
    /// `iss` is not the configured issuer.
    Issuer,
    /// `aud` is not the endpoint URL.
    Audience,
    /// `exp` has passed (beyond the leeway).
    Expired,
    /// `nbf` or `iat` is in the future (beyond the leeway).
    NotYetValid,
    /// `email` is not the configured service account, or not verified.
    Email,
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenError::Malformed => "the ID token is not a well-formed JWT",
            TokenError::Algorithm => "the ID token is not signed with RS256",
            TokenError::UnknownKey => {
                "the ID token is signed with a key that is not in the key set"
            }
            TokenError::Signature => "the ID token's signature does not verify",
            TokenError::Issuer => "the ID token has the wrong issuer",
            TokenError::Audience => "the ID token was issued for another audience",
            TokenError::Expired => "the ID token has expired",
            TokenError::NotYetValid => "the ID token is not valid yet",
            TokenError::Email => "the ID token was issued to another account",
        })
    }
}

impl std::error::Error for TokenError {}

/// An RSA public key from a JWK: big-endian modulus and exponent without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
}

impl RsaKey {
    /// From big-endian modulus and exponent (leading zeros are dropped).
    pub fn new(n: &[u8], e: &[u8]) -> RsaKey {
        let strip = |b: &[u8]| {
            let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
            b[first..].to_vec()
        };
        RsaKey {
            n: strip(n),
            e: strip(e),
        }
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        ring::signature::RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            message,
            signature,
        )
        .is_ok()
    }
}

/// A JSON Web Key Set reduced to its RSA signing keys, by `kid`.
#[derive(Debug, Clone, Default)]
pub struct Jwks {
    keys: HashMap<String, RsaKey>,
}

#[derive(Deserialize)]
struct JwksJson {
    keys: Vec<JwkJson>,
}

#[derive(Deserialize)]
struct JwkJson {
    kty: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    alg: Option<String>,
    #[serde(default, rename = "use")]
    use_: Option<String>,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
}

impl Jwks {
    /// Parses a JWKS document (`{"keys": [...]}`, as at
    /// `https://www.googleapis.com/oauth2/v3/certs`). Keys that are not RSA signing keys for
    /// RS256, or have no `kid`, are skipped; a set with no usable key is an error.
    pub fn from_json(text: &str) -> Result<Jwks, String> {
        let doc: JwksJson =
            serde_json::from_str(text).map_err(|e| format!("not a JSON Web Key Set: {e}"))?;
        let mut keys = HashMap::new();
        for k in doc.keys.into_iter().take(MAX_KEYS) {
            if k.kty != "RSA"
                || k.alg.as_deref().is_some_and(|a| a != "RS256")
                || k.use_.as_deref().is_some_and(|u| u != "sig")
            {
                continue;
            }
            let (Some(kid), Some(n), Some(e)) = (k.kid, k.n, k.e) else {
                continue;
            };
            let n = B64URL_LENIENT
                .decode(n.as_bytes())
                .map_err(|_| format!("key {kid}: `n` is not base64url"))?;
            let e = B64URL_LENIENT
                .decode(e.as_bytes())
                .map_err(|_| format!("key {kid}: `e` is not base64url"))?;
            keys.insert(kid, RsaKey::new(&n, &e));
        }
        if keys.is_empty() {
            return Err("the key set has no RSA signing key with a `kid`".into());
        }
        Ok(Jwks { keys })
    }

    pub fn get(&self, kid: &str) -> Option<&RsaKey> {
        self.keys.get(kid)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// What a token must satisfy.
#[derive(Debug, Clone)]
pub struct Expect<'a> {
    /// `iss`; the scheme-less form Google also issues (`accounts.google.com`) is accepted
    /// for an `https://` issuer.
    pub issuer: &'a str,
    /// `aud` (a string, or an array containing it).
    pub audience: &'a str,
    /// When set, `email` must be exactly this and `email_verified` must not be false.
    pub email: Option<&'a str>,
    /// The current time, Unix seconds.
    pub now: i64,
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
    pub leeway: i64,
}

/// The header fields that matter here.
#[derive(Debug, Clone, Deserialize)]
pub struct Header {
    pub alg: String,
    #[serde(default)]
    pub kid: Option<String>,
}

/// The claims of a verified token that callers may use.
#[derive(Debug, Clone, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: Audience,
    pub exp: i64,
    #[serde(default)]
    pub iat: Option<i64>,
    #[serde(default)]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: Option<bool>,
}

/// `aud`: one string or several (RFC 7519 §4.1.3).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn contains(&self, want: &str) -> bool {
        match self {
            Audience::One(a) => a == want,
            Audience::Many(v) => v.iter().any(|a| a == want),
        }
    }
}

/// The three segments of a compact JWS, split without decoding the payload.
struct Parts<'t> {
    header: Header,
    signing_input: &'t str,
    payload_b64: &'t str,
    signature_b64: &'t str,
}

fn split(token: &str) -> Result<Parts<'_>, TokenError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(TokenError::Malformed);
    }
    let mut it = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(TokenError::Malformed);
    };
    let header_json = B64URL
        .decode(h.as_bytes())
        .map_err(|_| TokenError::Malformed)?;
    let header: Header = serde_json::from_slice(&header_json).map_err(|_| TokenError::Malformed)?;
    Ok(Parts {
        header,
        signing_input: &token[..h.len() + 1 + p.len()],
        payload_b64: p,
        signature_b64: s,
    })
}

/// The token's header (to find its key), without verifying anything.
pub fn header(token: &str) -> Result<Header, TokenError> {
    split(token).map(|p| p.header)
}

/// Verifies `token` with the key `keys` holds for its `kid`, then the claims.
pub fn verify(token: &str, keys: &Jwks, expect: &Expect<'_>) -> Result<Claims, TokenError> {
    let parts = split(token)?;
    if parts.header.alg != "RS256" {
        return Err(TokenError::Algorithm);
    }
    let key = parts
        .header
        .kid
        .as_deref()
        .and_then(|kid| keys.get(kid))
        .ok_or(TokenError::UnknownKey)?;
    let signature = B64URL
        .decode(parts.signature_b64.as_bytes())
        .map_err(|_| TokenError::Malformed)?;
    if !key.verify(parts.signing_input.as_bytes(), &signature) {
        return Err(TokenError::Signature);
    }
    let payload = B64URL
        .decode(parts.payload_b64.as_bytes())
        .map_err(|_| TokenError::Malformed)?;
    let claims: Claims = serde_json::from_slice(&payload).map_err(|_| TokenError::Malformed)?;
    check_claims(&claims, expect)?;
    Ok(claims)
}

fn check_claims(c: &Claims, x: &Expect<'_>) -> Result<(), TokenError> {
    let issuer_ok = c.iss == x.issuer
        || x.issuer
            .strip_prefix("https://")
            .is_some_and(|bare| c.iss == bare);
    if !issuer_ok {
        return Err(TokenError::Issuer);
    }
    if !c.aud.contains(x.audience) {
        return Err(TokenError::Audience);
    }
    if x.now > c.exp.saturating_add(x.leeway) {
        return Err(TokenError::Expired);
    }
    let future = |t: Option<i64>| t.is_some_and(|t| t > x.now.saturating_add(x.leeway));
    if future(c.nbf) || future(c.iat) {
        return Err(TokenError::NotYetValid);
    }
    if let Some(want) = x.email
        && (c.email.as_deref() != Some(want) || c.email_verified == Some(false))
    {
        return Err(TokenError::Email);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: serde_json::Value) -> Claims {
        serde_json::from_value(json).unwrap()
    }

    fn expect(now: i64) -> Expect<'static> {
        Expect {
            issuer: "https://accounts.google.com",
            audience: "https://mw.example/gmail/open",
            email: Some("sa@example.iam.gserviceaccount.com"),
            now,
            leeway: 60,
        }
    }

    fn good() -> serde_json::Value {
        serde_json::json!({
            "iss": "https://accounts.google.com",
            "aud": "https://mw.example/gmail/open",
            "exp": 2000, "iat": 1000,
            "email": "sa@example.iam.gserviceaccount.com", "email_verified": true
        })
    }

    #[test]
    fn claims_are_checked() {
        assert_eq!(check_claims(&claims(good()), &expect(1500)), Ok(()));
        // Leeway on both ends.
        assert_eq!(check_claims(&claims(good()), &expect(2059)), Ok(()));
        assert_eq!(check_claims(&claims(good()), &expect(940)), Ok(()));
        assert_eq!(
            check_claims(&claims(good()), &expect(2061)),
            Err(TokenError::Expired)
        );
        assert_eq!(
            check_claims(&claims(good()), &expect(939)),
            Err(TokenError::NotYetValid)
        );
        let mut c = good();
        c["iss"] = "accounts.google.com".into();
        assert_eq!(check_claims(&claims(c.clone()), &expect(1500)), Ok(()));
        c["iss"] = "https://evil.example".into();
        assert_eq!(
            check_claims(&claims(c), &expect(1500)),
            Err(TokenError::Issuer)
        );
        let mut c = good();
        c["aud"] = serde_json::json!(["x", "https://mw.example/gmail/open"]);
        assert_eq!(check_claims(&claims(c.clone()), &expect(1500)), Ok(()));
        c["aud"] = "https://mw.example/gmail/report".into();
        assert_eq!(
            check_claims(&claims(c), &expect(1500)),
            Err(TokenError::Audience)
        );
        let mut c = good();
        c["email_verified"] = false.into();
        assert_eq!(
            check_claims(&claims(c), &expect(1500)),
            Err(TokenError::Email)
        );
        let mut c = good();
        c.as_object_mut().unwrap().remove("email");
        assert_eq!(
            check_claims(&claims(c.clone()), &expect(1500)),
            Err(TokenError::Email)
        );
        let mut any = expect(1500);
        any.email = None;
        assert_eq!(check_claims(&claims(c), &any), Ok(()));
    }

    #[test]
    fn malformed_tokens_are_refused_before_any_key_lookup() {
        let keys = Jwks::default();
        for t in ["", "a.b", "a.b.c.d", "!!!.e30.sig", "e30.e30.sig"] {
            assert_eq!(
                verify(t, &keys, &expect(0)).unwrap_err(),
                TokenError::Malformed,
                "{t}"
            );
        }
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(
            verify(&long, &keys, &expect(0)).unwrap_err(),
            TokenError::Malformed
        );
        // {"alg":"none"} and {"alg":"HS256","kid":"k"}
        let none = format!("{}.e30.", B64URL.encode(br#"{"alg":"none"}"#));
        assert_eq!(
            verify(&none, &keys, &expect(0)).unwrap_err(),
            TokenError::Algorithm
        );
        let hs = format!("{}.e30.AA", B64URL.encode(br#"{"alg":"HS256","kid":"k"}"#));
        assert_eq!(
            verify(&hs, &keys, &expect(0)).unwrap_err(),
            TokenError::Algorithm
        );
        let rs = format!("{}.e30.AA", B64URL.encode(br#"{"alg":"RS256","kid":"k"}"#));
        assert_eq!(
            verify(&rs, &keys, &expect(0)).unwrap_err(),
            TokenError::UnknownKey
        );
    }

    #[test]
    fn key_sets_keep_only_rsa_signing_keys() {
        let text = r#"{"keys":[
            {"kty":"RSA","kid":"a","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"},
            {"kty":"RSA","kid":"b","n":"AAEC","e":"AQAB"},
            {"kty":"RSA","kid":"c","alg":"RS512","n":"AQAB","e":"AQAB"},
            {"kty":"EC","kid":"d","crv":"P-256","x":"AA","y":"AA"},
            {"kty":"RSA","n":"AQAB","e":"AQAB"},
            {"kty":"RSA","kid":"e","use":"enc","n":"AQAB","e":"AQAB"}
        ]}"#;
        let set = Jwks::from_json(text).unwrap();
        assert_eq!(set.len(), 2);
        assert!(set.get("a").is_some());
        // Leading zero dropped.
        assert_eq!(set.get("b").unwrap().n, vec![1, 2]);
        assert!(Jwks::from_json(r#"{"keys":[]}"#).is_err());
        assert!(Jwks::from_json("[]").is_err());
        assert!(
            Jwks::from_json(r#"{"keys":[{"kty":"RSA","kid":"x","n":"*","e":"AQAB"}]}"#).is_err()
        );
    }
}
