//! TEMPORARY stand-in for `crate::domain` (being written on branch `domain`): a handful of
//! two-level public suffixes, enough for the built-in brand list. Remove once `crate::domain`
//! lands on main and switch the `use` in `mod.rs`.

const TWO_LEVEL: &[&str] = &[
    "co.uk",
    "org.uk",
    "gov.uk",
    "ac.uk",
    "com.au",
    "net.au",
    "gov.au",
    "co.nz",
    "co.jp",
    "ne.jp",
    "or.jp",
    "com.br",
    "com.mx",
    "com.tr",
    "com.hk",
    "com.sg",
    "co.in",
    "co.za",
    "com.cn",
    "com.tw",
    "gc.ca",
    "com.be",
    "com.eg",
    "github.io",
    "co.kr",
    "com.ar",
    "co.il",
];

/// The public suffix of `host`: a known two-level suffix, else the last label.
pub fn public_suffix(host: &str) -> Option<&str> {
    if host.is_empty() || host.starts_with('.') || host.ends_with('.') {
        return None;
    }
    for s in TWO_LEVEL {
        if host.len() > s.len()
            && host.ends_with(s)
            && host.as_bytes()[host.len() - s.len() - 1] == b'.'
        {
            return Some(&host[host.len() - s.len()..]);
        }
        if host == *s {
            return Some(host);
        }
    }
    Some(host.rsplit('.').next().unwrap_or(host))
}

/// The registrable domain of `host` (public suffix plus one label), `None` for a bare suffix.
pub fn registrable_domain(host: &str) -> Option<&str> {
    let suffix = public_suffix(host)?;
    if suffix.len() == host.len() {
        return None;
    }
    let head = &host[..host.len() - suffix.len() - 1];
    let start = head.rfind('.').map_or(0, |i| i + 1);
    Some(&host[start..])
}
