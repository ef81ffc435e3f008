//! Where the ID-token signing keys come from: a JWKS file (re-read when a token names a key
//! it does not hold) or a JWKS URL (fetched on first use, cached for its `Cache-Control:
//! max-age`, re-fetched early when a token names an unknown key). Either way a refresh is
//! tried at most once a minute, so tokens with made-up key ids cannot make the server hammer
//! the file system or Google.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use axum::http::{HeaderValue, header};
use tokio::sync::Mutex;

use super::client::HttpClient;
use super::idtoken::Jwks;

/// Shortest interval between two refreshes triggered by an unknown `kid`.
const MIN_REFRESH: Duration = Duration::from_secs(60);
/// Cache lifetime of a fetched key set when the answer says nothing (or something absurd).
const DEFAULT_TTL: Duration = Duration::from_secs(3600);
const MIN_TTL: Duration = Duration::from_secs(60);
const MAX_TTL: Duration = Duration::from_secs(24 * 3600);
/// A key set document larger than this is refused.
const MAX_JWKS_BYTES: usize = 256 * 1024;

enum Source {
    File(PathBuf),
    Url { url: String, client: HttpClient },
}

struct Cache {
    keys: Option<Arc<Jwks>>,
    /// When the last refresh was attempted (successful or not).
    tried: Option<Instant>,
    /// When a fetched set stops being fresh.
    expires: Option<Instant>,
}

/// The signing keys, shared by every request.
pub struct Keys {
    source: Source,
    cache: Mutex<Cache>,
}

impl Keys {
    /// Reads the key set from `path` now (a bad file stops the server from starting).
    pub fn from_file(path: PathBuf) -> Result<Keys> {
        let keys = read_file(&path)?;
        Ok(Keys {
            source: Source::File(path),
            cache: Mutex::new(Cache {
                keys: Some(Arc::new(keys)),
                tried: None,
                expires: None,
            }),
        })
    }

    /// Fetches the key set from `url` on first use.
    pub fn from_url(url: String, client: HttpClient) -> Keys {
        Keys {
            source: Source::Url { url, client },
            cache: Mutex::new(Cache {
                keys: None,
                tried: None,
                expires: None,
            }),
        }
    }

    /// A key set that holds `kid` if one can be had, else the current one (the caller's
    /// verification then fails with an unknown key), or `None` when no set could be loaded.
    pub async fn for_kid(&self, kid: &str) -> Option<Arc<Jwks>> {
        let mut cache = self.cache.lock().await;
        let now = Instant::now();
        let fresh = cache.expires.is_none_or(|e| now < e);
        let has = cache.keys.as_ref().is_some_and(|k| k.get(kid).is_some());
        if has && fresh {
            return cache.keys.clone();
        }
        let may_refresh = cache
            .tried
            .is_none_or(|t| now.duration_since(t) >= MIN_REFRESH);
        if may_refresh {
            cache.tried = Some(now);
            match self.load().await {
                Ok((keys, ttl)) => {
                    cache.keys = Some(Arc::new(keys));
                    cache.expires = ttl.map(|ttl| now + ttl);
                }
                Err(e) => {
                    tracing::warn!(error = %format!("{e:#}"), "loading the Gmail add-on signing keys failed")
                }
            }
        }
        cache.keys.clone()
    }

    async fn load(&self) -> Result<(Jwks, Option<Duration>)> {
        match &self.source {
            Source::File(path) => {
                let path = path.clone();
                let keys = tokio::task::spawn_blocking(move || read_file(&path))
                    .await
                    .context("reading the key set")??;
                Ok((keys, None))
            }
            Source::Url { url, client } => {
                let res = client
                    .get(url, &[], MAX_JWKS_BYTES)
                    .await
                    .with_context(|| format!("fetching {url}"))?;
                if !res.status.is_success() {
                    anyhow::bail!("fetching {url}: HTTP {}", res.status.as_u16());
                }
                let text = std::str::from_utf8(&res.body).context("the key set is not UTF-8")?;
                let keys = Jwks::from_json(text).map_err(anyhow::Error::msg)?;
                let ttl = res
                    .headers
                    .get(header::CACHE_CONTROL)
                    .and_then(max_age)
                    .unwrap_or(DEFAULT_TTL)
                    .clamp(MIN_TTL, MAX_TTL);
                Ok((keys, Some(ttl)))
            }
        }
    }
}

fn read_file(path: &std::path::Path) -> Result<Jwks> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the key set {}", path.display()))?;
    Jwks::from_json(&text)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("key set {}", path.display()))
}

/// `max-age=N` from a Cache-Control value.
fn max_age(v: &HeaderValue) -> Option<Duration> {
    v.to_str().ok()?.split(',').find_map(|d| {
        let (k, n) = d.trim().split_once('=')?;
        if k.trim().eq_ignore_ascii_case("max-age") {
            n.trim().parse::<u64>().ok().map(Duration::from_secs)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_age_is_read_from_cache_control() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(
            max_age(&v("public, max-age=19990, must-revalidate, no-transform")),
            Some(Duration::from_secs(19990))
        );
        assert_eq!(max_age(&v("no-store")), None);
        assert_eq!(max_age(&v("max-age=x")), None);
    }
}
