//! Server configuration: embedded defaults, an optional TOML file, then `MAILWARD_*`
//! environment overrides (`MAILWARD_LISTEN`, `MAILWARD_JOURNAL__LISTEN`: a double underscore
//! descends into a table).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

/// Everything the server can be told. Every field has a default, so an empty file (or none)
/// is a working configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// HTTP(S) listen address.
    pub listen: SocketAddr,
    /// Where the SQLite database lives (created if missing).
    pub data_dir: PathBuf,
    /// Organisation policy (JSON file); the built-in defaults without it.
    pub policy: Option<PathBuf>,
    /// Bearer key for the admin endpoints (`GET /v1/reports*`); they answer 403 without one.
    pub admin_key: Option<String>,
    /// Largest request body accepted, in bytes (413 above it).
    pub max_body_bytes: usize,
    /// Seconds a request may take before it is answered 503.
    pub request_timeout_secs: u64,
    /// Log level: `error`, `warn`, `info`, `debug` or `trace`.
    pub log: String,
    pub reports: ReportsConfig,
    #[serde(rename = "static")]
    pub statics: StaticConfig,
    pub tls: TlsConfig,
    pub journal: JournalConfig,
    pub forward: ForwardConfig,
    pub gmail: GmailConfig,
}

/// `POST /v1/reports` limits.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsConfig {
    /// Reports a client (by IP address) may send per minute; 0 disables the limit.
    pub per_minute: u32,
    /// Reports a client may send in a burst before the per-minute rate applies.
    pub burst: u32,
}

/// Static file roots; a missing directory is simply not served.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaticConfig {
    /// Served at `/` (the demo page).
    pub www: Option<PathBuf>,
    /// Served at `/addin/` (the add-in pages).
    pub addin: Option<PathBuf>,
}

/// HTTPS. Without `cert`/`key` and without `dev_cert`, the server speaks plain HTTP.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM certificate chain.
    pub cert: Option<PathBuf>,
    /// PEM private key.
    pub key: Option<PathBuf>,
    /// Generate a self-signed certificate for `localhost` (development only).
    pub dev_cert: bool,
}

/// The SMTP journaling listener.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JournalConfig {
    /// SMTP listen address; journaling is off without one.
    pub listen: Option<SocketAddr>,
    /// The name the listener gives in its greeting.
    pub hostname: String,
    /// Messages accepted but not yet analysed; above this, senders get a 4xx and retry.
    pub queue_capacity: usize,
    /// Largest journal message accepted, in bytes (552 above it).
    pub max_message_bytes: usize,
    /// Concurrent SMTP sessions.
    pub max_sessions: usize,
    /// Analyse queued messages. `false` only accepts and persists them (maintenance); they
    /// are analysed once the server runs with `true` again.
    pub analyse: bool,
}

/// Forwarding of user reports to a security mailbox over SMTP.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForwardConfig {
    /// Recipient (e.g. the user-reported-messages mailbox); forwarding is off without one.
    pub to: Option<String>,
    /// Envelope and header sender of forwarded reports.
    pub from: String,
    /// SMTP relay host and port.
    pub smtp_host: String,
    pub smtp_port: u16,
    /// Use STARTTLS is not compiled in: the relay must be on a trusted network (loopback,
    /// an internal relay). See docs/server.md.
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
}

/// The Gmail add-on HTTP runtime (`POST /gmail/open`, `POST /gmail/report`); see
/// docs/gmail-http.md.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GmailConfig {
    /// Serve the two routes. Off by default; on, `public_url` and one of `jwks`/`jwks_url`
    /// are required.
    pub enabled: bool,
    /// The public base URL Google calls (as written in the deployment, without the
    /// `/gmail/...` path, e.g. `https://mailward.example.com`). Each route's ID-token audience
    /// is this plus its path; the card's Report button calls `<public_url>/gmail/report`.
    pub public_url: Option<String>,
    /// A JWKS file with Google's signing keys (re-read when a token names an unknown key).
    pub jwks: Option<PathBuf>,
    /// Or a JWKS URL, fetched and cached (`https://www.googleapis.com/oauth2/v3/certs`).
    pub jwks_url: Option<String>,
    /// The ID token's `iss`.
    pub issuer: String,
    /// The add-on service account (`service-<project number>@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`);
    /// when set, the ID token's `email` must be exactly this. Strongly recommended: without
    /// it, an ID token Google issued to *any* account for this audience is accepted.
    pub service_account: Option<String>,
    /// The add-on's OAuth client ID. When set, a user ID token in the event
    /// (`authorizationEventObject.userIdToken`) is verified against it and its `email` names
    /// the reporter.
    pub oauth_client_id: Option<String>,
    /// Gmail API base URL.
    pub api_base: String,
    /// Seconds a Gmail API call (or a JWKS fetch) may take.
    pub api_timeout_secs: u64,
    /// Largest message fetched from Gmail, in bytes (its base64 answer may be a third larger).
    pub max_message_bytes: usize,
    /// Clock skew tolerated on the ID token's `exp`, `iat` and `nbf`, in seconds.
    pub leeway_secs: u64,
}

impl Default for GmailConfig {
    fn default() -> Self {
        GmailConfig {
            enabled: false,
            public_url: None,
            jwks: None,
            jwks_url: None,
            issuer: "https://accounts.google.com".into(),
            service_account: None,
            oauth_client_id: None,
            api_base: "https://gmail.googleapis.com".into(),
            api_timeout_secs: 10,
            max_message_bytes: 25 * 1024 * 1024,
            leeway_secs: 60,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("mailward-data"),
            policy: None,
            admin_key: None,
            max_body_bytes: 25 * 1024 * 1024,
            request_timeout_secs: 30,
            log: "info".into(),
            reports: ReportsConfig::default(),
            statics: StaticConfig::default(),
            tls: TlsConfig::default(),
            journal: JournalConfig::default(),
            forward: ForwardConfig::default(),
            gmail: GmailConfig::default(),
        }
    }
}

impl Default for ReportsConfig {
    fn default() -> Self {
        ReportsConfig {
            per_minute: 30,
            burst: 10,
        }
    }
}

impl Default for StaticConfig {
    fn default() -> Self {
        StaticConfig {
            www: Some(PathBuf::from("www")),
            addin: Some(PathBuf::from("addin")),
        }
    }
}

impl Default for JournalConfig {
    fn default() -> Self {
        JournalConfig {
            listen: None,
            hostname: "mailward.localhost".into(),
            queue_capacity: 1000,
            max_message_bytes: 25 * 1024 * 1024,
            max_sessions: 64,
            analyse: true,
        }
    }
}

impl Default for ForwardConfig {
    fn default() -> Self {
        ForwardConfig {
            to: None,
            from: "mailward@localhost".into(),
            smtp_host: "127.0.0.1".into(),
            smtp_port: 25,
            smtp_user: None,
            smtp_password: None,
        }
    }
}

impl Config {
    /// Defaults, then the TOML file (if any), then `MAILWARD_*` variables from `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config> {
        let mut table = match file {
            None => toml::Table::new(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read config {}", path.display()))?;
                text.parse::<toml::Table>()
                    .with_context(|| format!("config {}", path.display()))?
            }
        };
        for (name, value) in env {
            let Some(key) = name.strip_prefix("MAILWARD_") else {
                continue;
            };
            // Variables that are not configuration (e.g. MAILWARD_UPDATE_FIXTURES) are skipped.
            let path: Vec<String> = key.split("__").map(str::to_ascii_lowercase).collect();
            if !is_config_key(&path) {
                continue;
            }
            let last = path.last().map(String::as_str).unwrap_or_default();
            set_path(&mut table, &path, env_value(last, &value));
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .context("invalid configuration")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        if self.max_body_bytes == 0 || self.request_timeout_secs == 0 {
            bail!("max_body_bytes and request_timeout_secs must be positive");
        }
        if self.journal.queue_capacity == 0 || self.journal.max_sessions == 0 {
            bail!("journal.queue_capacity and journal.max_sessions must be positive");
        }
        if self.tls.cert.is_some() != self.tls.key.is_some() {
            bail!("tls.cert and tls.key go together");
        }
        if self.tls.cert.is_some() && self.tls.dev_cert {
            bail!("tls.dev_cert and tls.cert/tls.key exclude each other: choose one");
        }
        self.gmail.validate()?;
        Ok(())
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
}

impl GmailConfig {
    fn validate(&self) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let is_http_url = |u: &str| u.starts_with("https://") || u.starts_with("http://");
        match self.public_url.as_deref() {
            Some(u) if is_http_url(u) && !u.contains(['?', '#']) => {}
            Some(_) => bail!("gmail.public_url must be an http(s) URL without query or fragment"),
            None => bail!("gmail.enabled needs gmail.public_url (the base URL Google calls)"),
        }
        match (&self.jwks, &self.jwks_url) {
            (Some(_), None) => {}
            (None, Some(u)) if is_http_url(u) => {}
            (None, Some(_)) => bail!("gmail.jwks_url must be an http(s) URL"),
            _ => bail!("gmail.enabled needs exactly one of gmail.jwks (file) and gmail.jwks_url"),
        }
        if !is_http_url(&self.api_base) {
            bail!("gmail.api_base must be an http(s) URL");
        }
        if self.issuer.is_empty() || self.api_timeout_secs == 0 || self.max_message_bytes == 0 {
            bail!("gmail.issuer, gmail.api_timeout_secs and gmail.max_message_bytes must be set");
        }
        Ok(())
    }

    /// The audience, and the URL Google calls, of the route at `path` (`/gmail/open`).
    pub fn endpoint_url(&self, path: &str) -> String {
        let base = self.public_url.as_deref().unwrap_or_default();
        format!("{}{path}", base.trim_end_matches('/'))
    }
}

const SECTIONS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "listen",
            "data_dir",
            "policy",
            "admin_key",
            "max_body_bytes",
            "request_timeout_secs",
            "log",
        ],
    ),
    ("reports", &["per_minute", "burst"]),
    ("static", &["www", "addin"]),
    ("tls", &["cert", "key", "dev_cert"]),
    (
        "journal",
        &[
            "listen",
            "hostname",
            "queue_capacity",
            "max_message_bytes",
            "max_sessions",
            "analyse",
        ],
    ),
    (
        "forward",
        &[
            "to",
            "from",
            "smtp_host",
            "smtp_port",
            "smtp_user",
            "smtp_password",
        ],
    ),
    (
        "gmail",
        &[
            "enabled",
            "public_url",
            "jwks",
            "jwks_url",
            "issuer",
            "service_account",
            "oauth_client_id",
            "api_base",
            "api_timeout_secs",
            "max_message_bytes",
            "leeway_secs",
        ],
    ),
];

fn is_config_key(path: &[String]) -> bool {
    match path {
        [key] => SECTIONS[0].1.contains(&key.as_str()),
        [section, key] => SECTIONS
            .iter()
            .any(|(s, keys)| !s.is_empty() && s == section && keys.contains(&key.as_str())),
        _ => false,
    }
}

const NUMERIC: &[&str] = &[
    "max_body_bytes",
    "request_timeout_secs",
    "per_minute",
    "burst",
    "queue_capacity",
    "max_message_bytes",
    "max_sessions",
    "smtp_port",
    "api_timeout_secs",
    "leeway_secs",
];

/// The value of a variable, typed by the key it sets (a malformed number is left a string, so
/// deserialisation names the key).
fn env_value(key: &str, value: &str) -> toml::Value {
    if NUMERIC.contains(&key)
        && let Ok(n) = value.parse::<i64>()
    {
        return toml::Value::Integer(n);
    }
    if key == "dev_cert" || key == "analyse" || key == "enabled" {
        match value {
            "true" | "1" => return toml::Value::Boolean(true),
            "false" | "0" | "" => return toml::Value::Boolean(false),
            _ => {}
        }
    }
    toml::Value::String(value.to_string())
}

fn set_path(table: &mut toml::Table, path: &[String], value: toml::Value) {
    match path {
        [] => {}
        [key] => {
            table.insert(key.clone(), value);
        }
        [section, rest @ ..] => {
            let entry = table
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if !entry.is_table() {
                *entry = toml::Value::Table(toml::Table::new());
            }
            if let toml::Value::Table(t) = entry {
                set_path(t, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_file_no_env_is_the_default() {
        let c = Config::load(None, []).unwrap();
        assert_eq!(c.max_body_bytes, 25 * 1024 * 1024);
        assert!(c.journal.listen.is_none());
    }

    #[test]
    fn env_overrides_the_file() {
        let dir = std::env::temp_dir().join(format!("mw-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\n[journal]\nqueue_capacity = 5\n",
        )
        .unwrap();
        let env = [
            (
                "MAILWARD_JOURNAL__QUEUE_CAPACITY".to_string(),
                "7".to_string(),
            ),
            ("MAILWARD_ADMIN_KEY".to_string(), "k".to_string()),
            ("MAILWARD_UPDATE_FIXTURES".to_string(), "1".to_string()),
        ];
        let c = Config::load(Some(&file), env).unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.journal.queue_capacity, 7);
        assert_eq!(c.admin_key.as_deref(), Some("k"));
    }

    #[test]
    fn the_documented_example_loads() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../server.example.toml");
        let c = Config::load(Some(&file), []).unwrap();
        assert_eq!(c.journal.queue_capacity, 1000);
    }

    #[test]
    fn dev_cert_and_a_certificate_exclude_each_other() {
        let env = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let c = Config::load(None, env(&[("MAILWARD_TLS__DEV_CERT", "1")])).unwrap();
        assert!(c.tls.dev_cert);
        assert!(
            Config::load(
                None,
                env(&[
                    ("MAILWARD_TLS__DEV_CERT", "true"),
                    ("MAILWARD_TLS__CERT", "c.pem"),
                    ("MAILWARD_TLS__KEY", "k.pem"),
                ])
            )
            .is_err()
        );
        assert!(Config::load(None, env(&[("MAILWARD_TLS__CERT", "c.pem")])).is_err());
    }

    #[test]
    fn gmail_needs_a_public_url_and_one_key_source() {
        let env = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let on = ("MAILWARD_GMAIL__ENABLED", "true");
        let url = ("MAILWARD_GMAIL__PUBLIC_URL", "https://mw.example/base/");
        let file = ("MAILWARD_GMAIL__JWKS", "certs.json");
        let fetch = (
            "MAILWARD_GMAIL__JWKS_URL",
            "https://www.googleapis.com/oauth2/v3/certs",
        );
        assert!(Config::load(None, env(&[on, file])).is_err());
        assert!(Config::load(None, env(&[on, url])).is_err());
        assert!(Config::load(None, env(&[on, url, file, fetch])).is_err());
        assert!(Config::load(None, env(&[on, url, fetch])).is_ok());
        let c = Config::load(
            None,
            env(&[on, url, file, ("MAILWARD_GMAIL__LEEWAY_SECS", "5")]),
        )
        .unwrap();
        assert!(c.gmail.enabled);
        assert_eq!(c.gmail.leeway_secs, 5);
        assert_eq!(
            c.gmail.endpoint_url("/gmail/open"),
            "https://mw.example/base/gmail/open"
        );
        // Off: nothing is required.
        assert!(Config::load(None, env(&[url])).is_ok());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let dir = std::env::temp_dir().join(format!("mw-config-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:9000\"\n").unwrap();
        assert!(Config::load(Some(&file), []).is_err());
    }
}
