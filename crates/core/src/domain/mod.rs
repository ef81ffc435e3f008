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
use std::sync::OnceLock;

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
    !tld.is_empty() && !ends_in_number(tld.as_bytes()) && find_child(ROOT, tld.as_bytes()).is_some()
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
    let mut parent = ROOT;
    let mut wildcard = false;
    // The labels from the right: `bytes[start..end]`.
    let (mut start, mut end) = (last, bytes.len());
    for depth in 1..=bytes.len() {
        if wildcard {
            found = depth; // the parent's `*.` rule matches this label
        }
        let Some(i) = find_child(parent, &bytes[start..end]) else {
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
        if (node & HAS_CHILDREN == 0 && !wildcard) || start == 0 {
            break;
        }
        parent = i;
        end = start - 1;
        start = bytes[..end]
            .iter()
            .rposition(|&c| c == b'.')
            .map_or(0, |i| i + 1);
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

/// The parent of the top-level nodes in [`find_child`] (every real parent is a node index).
const ROOT: usize = NODES.len();

/// The child of node `parent` (or of [`ROOT`]) whose label is `label`, ASCII
/// case-insensitively.
///
/// Looked up in [`ChildTable`]: one hash of the label and usually one comparison, where a
/// binary search among the siblings compared about ten labels (`com` alone has hundreds of
/// children) and finding a node's siblings first counted flags. Same answers: the table holds
/// every node under its parent, and a hit is checked against both.
fn find_child(parent: usize, label: &[u8]) -> Option<usize> {
    // No node label is longer than the 6-bit length field. Node labels are lower case, so
    // comparing ignoring case is comparing with the label lower-cased.
    if label.len() > LEN_MASK as usize {
        return None;
    }
    let table = CHILDREN.get_or_init(ChildTable::build);
    let mut slot = table.slot(parent, label);
    loop {
        let entry = table.slots[slot];
        if entry == EMPTY {
            return None;
        }
        let (node, of) = ((entry & 0xffff) as usize, (entry >> 16) as usize);
        if of == parent_key(parent) && node_label(NODES[node]).eq_ignore_ascii_case(label) {
            return Some(node);
        }
        slot = (slot + 1) & table.mask;
    }
}

/// Every trie node filed under (its parent, its label): an open-addressing hash table with
/// linear probing, a third full, built on first use (128 KB).
/// An entry is the node index in the low 16 bits and [`parent_key`] of its parent above.
struct ChildTable {
    slots: Box<[u32]>,
    mask: usize,
    /// Right shift that keeps a hash's top bits as a slot number.
    shift: u32,
}

static CHILDREN: OnceLock<ChildTable> = OnceLock::new();

/// An unused slot (no node index or parent key is `0xffff`).
const EMPTY: u32 = u32::MAX;

/// A parent as stored in a [`ChildTable`] entry: the node index, or `0xfffe` for [`ROOT`].
fn parent_key(parent: usize) -> usize {
    if parent == ROOT { 0xfffe } else { parent }
}

impl ChildTable {
    fn build() -> ChildTable {
        const _: () = assert!(
            NODES.len() < 0xfffe,
            "node indexes and parent keys are 16-bit"
        );
        let size = (NODES.len() * 3).next_power_of_two();
        let mut table = ChildTable {
            slots: vec![EMPTY; size].into_boxed_slice(),
            mask: size - 1,
            shift: 64 - size.trailing_zeros(),
        };
        let mut groups = vec![(ROOT, 0..ROOT_CHILDREN)];
        while let Some((parent, kids)) = groups.pop() {
            for i in kids {
                let node = NODES[i];
                let mut slot = table.slot(parent, node_label(node));
                while table.slots[slot] != EMPTY {
                    slot = (slot + 1) & table.mask;
                }
                table.slots[slot] = ((parent_key(parent) as u32) << 16) | i as u32;
                groups.push((i, children(i, node)));
            }
        }
        table
    }

    /// Where probing for (`parent`, `label`) starts: FNV-1a over the label lower-cased,
    /// seeded with the parent, top bits.
    fn slot(&self, parent: usize, label: &[u8]) -> usize {
        let mut h = 0xcbf2_9ce4_8422_2325 ^ parent as u64;
        for &b in label {
            h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
        }
        (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }
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
    use crate::test_rng::Lcg;

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

    /// The binary search among sorted siblings that [`find_child`]'s table replaced.
    fn find_child_by_search(kids: Range<usize>, label: &[u8]) -> Option<usize> {
        let lower: Vec<u8> = label.iter().map(u8::to_ascii_lowercase).collect();
        let start = kids.start;
        NODES[kids]
            .binary_search_by(|&node| node_label(node).cmp(&lower))
            .ok()
            .map(|i| start + i)
    }

    /// [`suffix_labels`] as it was written before the table: siblings found by
    /// [`find_child_by_search`] in the ranges [`children`] gives.
    fn suffix_labels_by_search(host: &str) -> Option<usize> {
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
        let mut found = 1;
        let mut kids = 0..ROOT_CHILDREN;
        let mut wildcard = false;
        for (depth, label) in (1..).zip(host.rsplit('.')) {
            if wildcard {
                found = depth;
            }
            let Some(i) = find_child_by_search(kids, label.as_bytes()) else {
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

    /// Every sibling group as (parent, children), the root's first; with each node's name.
    fn groups() -> (Vec<(usize, Range<usize>)>, Vec<String>) {
        let mut names = vec![String::new(); NODES.len()];
        let mut out = vec![(ROOT, 0..ROOT_CHILDREN)];
        let mut k = 0;
        while k < out.len() {
            let (parent, kids) = out[k].clone();
            for i in kids {
                let label = String::from_utf8(node_label(NODES[i]).to_vec()).unwrap();
                names[i] = match parent {
                    ROOT => label,
                    p => format!("{label}.{}", names[p]),
                };
                let grand = children(i, NODES[i]);
                if !grand.is_empty() {
                    out.push((i, grand));
                }
            }
            k += 1;
        }
        (out, names)
    }

    #[test]
    fn node_flags_and_labels_are_as_the_table_assumes() {
        for (i, &node) in NODES.iter().enumerate() {
            let label = node_label(node);
            assert!(!label.is_empty() && !label.iter().any(u8::is_ascii_uppercase));
            assert_eq!(
                node & HAS_CHILDREN != 0,
                !children(i, node).is_empty(),
                "{i}"
            );
        }
    }

    #[test]
    fn every_node_is_found_by_its_label() {
        let (groups, _) = groups();
        let mut seen = 0;
        for (parent, kids) in &groups {
            for i in kids.clone() {
                let label = node_label(NODES[i]);
                assert_eq!(find_child(*parent, label), Some(i));
                assert_eq!(find_child(*parent, &label.to_ascii_uppercase()), Some(i));
                seen += 1;
            }
        }
        assert_eq!(seen, NODES.len());
    }

    /// The table finds what the binary search finds, for the list's own labels under every
    /// parent (most of them misses), their near misses, and odd input.
    #[test]
    fn child_table_agrees_with_binary_search() {
        let (groups, _) = groups();
        let mut rng = Lcg(7);
        let mut labels: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"x".repeat(62),
            b"x".repeat(63),
            b"x".repeat(64),
            b"x".repeat(100),
            "b\u{fc}cher".as_bytes().to_vec(),
            b"CoM".to_vec(),
            b"a b".to_vec(),
        ];
        for node in NODES {
            let label = node_label(node);
            labels.push(label.to_vec());
            let mut longer = label.to_vec();
            longer.push(b"a-z0"[rng.below(4)]);
            labels.push(longer);
            labels.push(label[..label.len() - 1].to_vec());
        }
        let mut checked = 0;
        for (parent, kids) in &groups {
            // Every label against the root and the biggest groups, a sample elsewhere.
            let all = *parent == ROOT || kids.len() > 100;
            for _ in 0..if all { labels.len() } else { 200 } {
                let label = &labels[rng.below(labels.len())];
                assert_eq!(
                    find_child(*parent, label),
                    find_child_by_search(kids.clone(), label),
                    "{:?} under {parent}",
                    String::from_utf8_lossy(label)
                );
                checked += 1;
            }
        }
        assert!(checked > 200_000, "{checked}");
    }

    /// Public suffixes through the table match the walk over sorted siblings, for every name
    /// in the list, under and beside it, and for the official test hosts.
    #[test]
    fn suffix_labels_agree_with_binary_search() {
        let (_, names) = groups();
        let mut hosts: Vec<String> = psl_tests::CASES
            .iter()
            .map(|(h, _)| h.to_string())
            .collect();
        for odd in [
            "", ".", "..", "a", "a.", ".a", "a..b", "a.b.", ".a.b", "a:b", "[::1]", "::1",
            "1.2.3.4", "a.0x1f", "a.0x1g", "a.123", "a-.b", "-", "a.-",
        ] {
            hosts.push(odd.to_string());
        }
        for name in &names {
            for host in [
                name.clone(),
                format!("a.{name}"),
                format!("www.b.{name}"),
                format!("x.y.z.{name}"),
                format!("{name}.com"),
                name.replacen('.', "-", 1),
                name.to_ascii_uppercase(),
            ] {
                hosts.push(host);
            }
        }
        for host in &hosts {
            assert_eq!(suffix_labels(host), suffix_labels_by_search(host), "{host}");
        }
        assert!(hosts.len() > 70_000);
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
