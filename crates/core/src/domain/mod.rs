//! TEMPORARY shim until the Public Suffix List module lands (branch `domain`); replaced whole.
pub fn registrable_domain(host: &str) -> Option<&str> {
    let mut dots = host.rmatch_indices('.');
    dots.next()?;
    Some(match dots.next() {
        Some((i, _)) => &host[i + 1..],
        None => host,
    })
}
pub fn is_freemail(domain: &str) -> bool {
    matches!(
        domain,
        "gmail.com" | "outlook.com" | "hotmail.com" | "yahoo.com"
    )
}
pub fn has_known_suffix(host: &str) -> bool {
    host.rsplit('.')
        .next()
        .is_some_and(|t| matches!(t, "com" | "net" | "org" | "top" | "xyz" | "uk" | "de"))
}
