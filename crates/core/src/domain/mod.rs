//! Domain names: the public suffix and registrable domain of a host (the Public Suffix List,
//! ICANN and PRIVATE sections), and free-mail providers.
//!
//! Hosts are lower-case ASCII with IDN labels already in punycode (`xn--`); one trailing dot
//! is ignored. Other input never panics: upper case is matched case-insensitively, and other
//! bytes simply match no rule. A wildcard rule `*.x` also makes `x` a public suffix, as in
//! browsers, libpsl and the PSL's own linter (the list's wiki algorithm read literally would
//! not; publicsuffix/list#694 and #1989). The data is generated into `psl_data.rs` and
//! `freemail_data.rs` by `scripts/gen-psl.py` and `scripts/gen-freemail.py`; lookups allocate
//! nothing.

#[rustfmt::skip]
mod freemail_data;
#[rustfmt::skip]
mod psl_data;
#[cfg(test)]
#[rustfmt::skip]
mod psl_tests;

use core::ops::Range;

use psl_data::{CHILD_START, NODES, RANK_BASE, ROOT_CHILDREN, TEXT};

// Node word layout; keep in sync with scripts/gen-psl.py.
const OFFSET_MASK: u32 = (1 << 18) - 1;
const LEN_SHIFT: u32 = 18;
const LEN_MASK: u32 = 0x3f;
const RULE: u32 = 1 << 24;
const EXCEPTION: u32 = 1 << 25;
const WILDCARD: u32 = 1 << 26;
const HAS_CHILDREN: u32 = 1 << 27;
const RANK_BLOCK: usize = 32;

/// The registrable domain of `host` (its public suffix plus one label), as a slice of `host`:
/// `www.example.co.uk` → `example.co.uk`, `foo.bar.github.io` → `bar.github.io`.
///
/// `None` when `host` is itself a public suffix (`co.uk`, `github.io`, a lone unknown TLD),
/// is empty, has an empty label (`a..com`, `.com`) or is an IP literal (an IPv4 address, or
/// anything whose last label is a number, or containing `:`).
pub fn registrable_domain(host: &str) -> Option<&str> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let labels = suffix_labels(host)?;
    label_start(host, labels + 1).map(|i| &host[i..])
}

/// The public suffix of `host`, as a slice of `host`: `www.example.co.uk` → `co.uk`,
/// `example.unknowntld` → `unknowntld` (the default rule `*`). A host that is itself a public
/// suffix is returned whole. `None` in the same invalid cases as [`registrable_domain`].
pub fn public_suffix(host: &str) -> Option<&str> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let labels = suffix_labels(host)?;
    label_start(host, labels).map(|i| &host[i..])
}

/// Whether `domain` is a known free-mail provider's domain (`gmail.com`, `hotmail.co.uk`):
/// pass it lower-case, without a trailing dot. Subdomains do not match.
///
/// Exact entries come from SpamAssassin's list (`freemail_data.rs`). That list's wildcard
/// entries (`hotmail.*`, `yahoo.*`, …) are not in the shared data, so the largest providers'
/// country variants are matched here by [`FREEMAIL_BASES`]: the label in front of the public
/// suffix, with nothing before it.
pub fn is_freemail(domain: &str) -> bool {
    freemail_exact(domain)
        || registrable_domain(domain).is_some_and(|reg| {
            reg.len() == domain.len()
                && reg
                    .split_once('.')
                    .is_some_and(|(base, _)| FREEMAIL_BASES.contains(&base))
        })
}

/// Free-mail providers that operate under many country domains (the team's own list of the
/// biggest ones, mirroring SpamAssassin's wildcard `freemail_domains` entries).
pub const FREEMAIL_BASES: &[&str] = &[
    "aol",
    "gmx",
    "hotmail",
    "live",
    "mail",
    "msn",
    "outlook",
    "rediffmail",
    "yahoo",
    "yandex",
    "ymail",
    "zoho",
];

fn freemail_exact(domain: &str) -> bool {
    use freemail_data::{START, TEXT};
    let (mut lo, mut hi) = (0, START.len() - 1);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let entry = &TEXT[START[mid] as usize..START[mid + 1] as usize];
        match entry.cmp(domain) {
            core::cmp::Ordering::Less => lo = mid + 1,
            core::cmp::Ordering::Greater => hi = mid,
            core::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Whether the last label of `host` is a top-level domain the Public Suffix List knows
/// (so `example.com` yes, `mr.smith` no): tells domain names from dotted words.
pub fn has_known_suffix(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let tld = host.rsplit('.').next().unwrap_or_default();
    !tld.is_empty()
        && !ends_in_number(tld.as_bytes())
        && find_child(0..ROOT_CHILDREN, tld.as_bytes()).is_some()
}

/// How many labels of `host` form its public suffix, by the Public Suffix List algorithm:
/// an exception rule prevails, otherwise the matching rule with most labels, otherwise `*`.
fn suffix_labels(host: &str) -> Option<usize> {
    let bytes = host.as_bytes();
    if bytes.is_empty()
        || bytes.starts_with(b".")
        || bytes.ends_with(b".")
        || bytes.windows(2).any(|w| w == b"..")
        || bytes.contains(&b':')
    {
        return None;
    }
    let last = bytes.iter().rposition(|&c| c == b'.').map_or(0, |i| i + 1);
    if ends_in_number(&bytes[last..]) {
        return None;
    }
    let mut found = 1; // the default rule `*`
    let mut kids = 0..ROOT_CHILDREN;
    let mut wildcard = false;
    for (depth, label) in (1..).zip(host.rsplit('.')) {
        if wildcard {
            found = depth; // the parent's `*.` rule matches this label
        }
        let Some(i) = find_child(kids, label.as_bytes()) else {
            break;
        };
        let node = NODES[i];
        if node & EXCEPTION != 0 {
            return Some((depth - 1).max(1));
        }
        if node & RULE != 0 {
            found = depth;
        }
        wildcard = node & WILDCARD != 0;
        kids = children(i, node);
        if kids.is_empty() && !wildcard {
            break;
        }
    }
    Some(found)
}

/// An IPv4 address or something a URL parser would take for one: the last label is decimal
/// digits or `0x` and hex digits (WHATWG URL "ends in a number"). No TLD looks like that.
fn ends_in_number(label: &[u8]) -> bool {
    match label {
        [b'0', b'x' | b'X', hex @ ..] => hex.iter().all(u8::is_ascii_hexdigit),
        _ => label.iter().all(u8::is_ascii_digit),
    }
}

/// The node among `kids` whose label is `label` (ASCII case-insensitively).
fn find_child(kids: Range<usize>, label: &[u8]) -> Option<usize> {
    // Lower-cased once into a buffer, then compared as slices; among the top-level domains,
    // only those with the label's first byte are searched.
    let mut buf = [0u8; 64];
    if label.is_empty() || label.len() > buf.len() {
        return find_child_folding(kids, label);
    }
    for (d, s) in buf.iter_mut().zip(label) {
        *d = s.to_ascii_lowercase();
    }
    let lower = &buf[..label.len()];
    let kids = if kids == (0..ROOT_CHILDREN) {
        let (lo, hi) = ROOT_BY_FIRST[usize::from(lower[0])];
        usize::from(lo)..usize::from(hi)
    } else {
        kids
    };
    let start = kids.start;
    NODES[kids]
        .binary_search_by(|&node| node_label(node).cmp(lower))
        .ok()
        .map(|i| start + i)
}

/// For each byte, the range of top-level nodes (sorted by label) whose label starts with it.
static ROOT_BY_FIRST: [(u16, u16); 256] = {
    let mut t = [(0u16, 0u16); 256];
    let mut i = 0;
    while i < ROOT_CHILDREN {
        let node = NODES[i];
        let off = (node & OFFSET_MASK) as usize;
        let len = ((node >> LEN_SHIFT) & LEN_MASK) as usize;
        if len > 0 {
            let b = TEXT.as_bytes()[off] as usize;
            if t[b].1 == 0 {
                t[b].0 = i as u16;
            }
            t[b].1 = i as u16 + 1;
        }
        i += 1;
    }
    t
};

/// [`find_child`] for labels it does not buffer (empty, or longer than any label).
fn find_child_folding(kids: Range<usize>, label: &[u8]) -> Option<usize> {
    let start = kids.start;
    NODES[kids]
        .binary_search_by(|&node| {
            // Bytewise, without memcmp: labels are short, and this folds case for free.
            node_label(node)
                .iter()
                .copied()
                .cmp(label.iter().map(u8::to_ascii_lowercase))
        })
        .ok()
        .map(|i| start + i)
}

fn node_label(node: u32) -> &'static [u8] {
    let off = (node & OFFSET_MASK) as usize;
    let len = ((node >> LEN_SHIFT) & LEN_MASK) as usize;
    &TEXT.as_bytes()[off..off + len]
}

/// The children of node `i`: the k-th node that has children owns the k-th group.
fn children(i: usize, node: u32) -> Range<usize> {
    if node & HAS_CHILDREN == 0 {
        return 0..0;
    }
    let block = i / RANK_BLOCK;
    let before = NODES[block * RANK_BLOCK..i]
        .iter()
        .filter(|&&n| n & HAS_CHILDREN != 0)
        .count();
    let k = usize::from(RANK_BASE[block]) + before;
    usize::from(CHILD_START[k])..usize::from(CHILD_START[k + 1])
}

/// Where the `n`-th label from the right (1-based) starts, if `host` has that many.
fn label_start(host: &str, n: usize) -> Option<usize> {
    let mut dots = 0;
    for (i, c) in host.bytes().enumerate().rev() {
        if c == b'.' {
            dots += 1;
            if dots == n {
                return Some(i + 1);
            }
        }
    }
    (dots + 1 == n).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(host: &str, suffix: Option<&str>, registrable: Option<&str>) {
        assert_eq!(public_suffix(host), suffix, "public_suffix({host:?})");
        assert_eq!(
            registrable_domain(host),
            registrable,
            "registrable_domain({host:?})"
        );
    }

    #[test]
    fn known_suffixes() {
        assert!(super::has_known_suffix("example.com"));
        assert!(super::has_known_suffix("paypal.co.uk"));
        assert!(!super::has_known_suffix("mr.smith"));
        assert!(!super::has_known_suffix("1.2.3.4"));
        assert!(!super::has_known_suffix(""));
    }

    #[test]
    fn freemail_country_variants() {
        for d in [
            "gmail.com",
            "hotmail.com",
            "hotmail.co.uk",
            "outlook.com",
            "yahoo.co.jp",
            "aol.com",
            "live.com",
        ] {
            assert!(super::is_freemail(d), "{d}");
        }
        for d in [
            "contoso.com",
            "mail.contoso.com",
            "outlook.contoso.com",
            "yahoo.example.org",
        ] {
            assert!(!super::is_freemail(d), "{d}");
        }
    }

    #[test]
    fn official_test_vectors() {
        let mut failures = Vec::new();
        for &(host, want) in &psl_tests::CASES {
            let got = registrable_domain(host).map(str::to_ascii_lowercase);
            if got.as_deref() != want {
                failures.push(format!("{host:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(psl_tests::CASES.len() > 70);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// The look-alike engine takes a registrable domain's public suffix to be everything
    /// after its first label, without a second walk of the list.
    #[test]
    fn registrable_is_one_label_before_its_suffix() {
        let extra = [
            "www.example.co.uk",
            "foo.bar.github.io",
            "a.b.c.kobe.jp",
            "x.www.ck",
            "a.b.ck",
            "city.kawasaki.jp",
            "www.city.kawasaki.jp",
            "shop.example.unknowntld",
            "deep.sub.s3.amazonaws.com",
        ];
        let hosts = psl_tests::CASES.iter().map(|(h, _)| *h).chain(extra);
        for host in hosts {
            let host = host.to_ascii_lowercase();
            if let Some(reg) = registrable_domain(&host) {
                let after_first = reg.split_once('.').map(|(_, s)| s);
                assert_eq!(public_suffix(reg), after_first, "{host}");
            }
        }
    }

    #[test]
    fn normal_and_multi_level_rules() {
        check("example.com", Some("com"), Some("example.com"));
        check("www.example.com", Some("com"), Some("example.com"));
        check("a.b.co.uk", Some("co.uk"), Some("b.co.uk"));
        check("co.uk", Some("co.uk"), None);
        check("uk", Some("uk"), None);
        check("com", Some("com"), None);
        check(
            "www.test.k12.ak.us",
            Some("k12.ak.us"),
            Some("test.k12.ak.us"),
        );
        check(
            "xn--85x722f.xn--55qx5d.cn",
            Some("xn--55qx5d.cn"),
            Some("xn--85x722f.xn--55qx5d.cn"),
        );
    }

    #[test]
    fn wildcards_and_exceptions() {
        check("ck", Some("ck"), None);
        check("test.ck", Some("test.ck"), None);
        check("b.test.ck", Some("test.ck"), Some("b.test.ck"));
        check("www.ck", Some("ck"), Some("www.ck"));
        check("a.www.ck", Some("ck"), Some("www.ck"));
        check("c.kobe.jp", Some("c.kobe.jp"), None);
        check("a.b.c.kobe.jp", Some("c.kobe.jp"), Some("b.c.kobe.jp"));
        check("city.kobe.jp", Some("kobe.jp"), Some("city.kobe.jp"));
        check("www.city.kobe.jp", Some("kobe.jp"), Some("city.kobe.jp"));
        // `*.kobe.jp` implies `kobe.jp`, as in browsers and libpsl (the literal algorithm
        // would say `jp`); the test vectors need it for `city.kobe.jp`.
        check("kobe.jp", Some("kobe.jp"), None);
        // A wildcard whose parent is listed only through it.
        check("y.sch.uk", Some("y.sch.uk"), None);
        check("x.y.sch.uk", Some("y.sch.uk"), Some("x.y.sch.uk"));
        check("sch.uk", Some("sch.uk"), None);
        check("on.aws", Some("aws"), Some("on.aws"));
        check(
            "airflow.us-east-1.on.aws",
            Some("airflow.us-east-1.on.aws"),
            None,
        );
        check(
            "x.airflow.us-east-1.on.aws",
            Some("x.airflow.us-east-1.on.aws"),
            None,
        );
        check("mm", Some("mm"), None);
    }

    #[test]
    fn private_section() {
        check("github.io", Some("github.io"), None);
        check("foo.github.io", Some("github.io"), Some("foo.github.io"));
        check("a.foo.github.io", Some("github.io"), Some("foo.github.io"));
        check("blogspot.com", Some("blogspot.com"), None);
        check(
            "someone.blogspot.com",
            Some("blogspot.com"),
            Some("someone.blogspot.com"),
        );
        check("herokuapp.com", Some("herokuapp.com"), None);
        check(
            "evil.herokuapp.com",
            Some("herokuapp.com"),
            Some("evil.herokuapp.com"),
        );
        check("github.com", Some("com"), Some("github.com"));
    }

    #[test]
    fn unknown_tld_and_single_label() {
        check("example", Some("example"), None);
        check("localhost", Some("localhost"), None);
        check("a.b.example", Some("example"), Some("b.example"));
        check(
            "foo.zzzz-not-a-tld",
            Some("zzzz-not-a-tld"),
            Some("foo.zzzz-not-a-tld"),
        );
    }

    #[test]
    fn ip_literals() {
        check("192.168.0.1", None, None);
        check("1.2.3.4.", None, None);
        check("10.0.0.0x1", None, None);
        check("0x7f000001", None, None);
        check("127.1", None, None);
        check("::1", None, None);
        check("[::1]", None, None);
        check("2001:db8::1", None, None);
        // A number is fine anywhere but in the last label.
        check("1.2.3.example.com", Some("com"), Some("example.com"));
        check("123.com", Some("com"), Some("123.com"));
    }

    #[test]
    fn trailing_dot_and_empty_labels() {
        check("www.example.com.", Some("com"), Some("example.com"));
        check("com.", Some("com"), None);
        check("example.com..", None, None);
        check("", None, None);
        check(".", None, None);
        check("..", None, None);
        check("a..com", None, None);
        check(".example.com", None, None);
        check("example..", None, None);
    }

    #[test]
    fn unexpected_input_does_not_panic() {
        check("WWW.Example.CO.UK", Some("CO.UK"), Some("Example.CO.UK"));
        check("GitHub.IO", Some("GitHub.IO"), None);
        check("bücher.example", Some("example"), Some("bücher.example"));
        check("食狮.中国", Some("中国"), Some("食狮.中国"));
        check("a b.com", Some("com"), Some("a b.com"));
        let long = "a.".repeat(300) + "com";
        check(&long, Some("com"), Some("a.com"));
        let long_label = "x".repeat(100) + ".com";
        check(&long_label, Some("com"), Some(&long_label[..]));
        check(&("x".repeat(100)), Some(&"x".repeat(100)[..]), None);
    }

    #[test]
    fn every_node_is_found_by_its_label() {
        let mut seen = 0;
        let mut stack = Vec::new();
        stack.push(0..ROOT_CHILDREN);
        while let Some(kids) = stack.pop() {
            for i in kids.clone() {
                let node = NODES[i];
                assert_eq!(find_child(kids.clone(), node_label(node)), Some(i));
                seen += 1;
                stack.push(children(i, node));
            }
        }
        assert_eq!(seen, NODES.len());
    }

    #[test]
    fn freemail() {
        assert!(is_freemail("gmail.com"));
        assert!(is_freemail("mail.ru"));
        assert!(is_freemail("zzn.com")); // last entry
        assert!(is_freemail("020.co.uk")); // first entry
        assert!(!is_freemail("example.com"));
        assert!(!is_freemail("mail.gmail.com"));
        assert!(!is_freemail("Gmail.com"));
        assert!(!is_freemail("gmail.com."));
        assert!(!is_freemail(""));
        assert!(!is_freemail("zzzzzzzz.zz"));
        let all = (0..freemail_data::START.len() - 1).map(|i| {
            let (a, b) = (freemail_data::START[i], freemail_data::START[i + 1]);
            &freemail_data::TEXT[a as usize..b as usize]
        });
        assert_eq!(all.clone().count(), 2553);
        assert!(all.into_iter().all(is_freemail));
    }
}
