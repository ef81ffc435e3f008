//! The lookalike engine: does a domain (or a display name) imitate a protected brand?
//!
//! The protected set is the built-in brand list (`data/brands.tsv`) plus, per analysis, the
//! policy's organisation domains, protected domains and protected brands. A brand's own
//! domains, their subdomains and everything the policy trusts never match.
//!
//! A host's registrable label is decoded from punycode and folded character by character to
//! the ASCII it looks like (UTS #39 confusables, diacritics, see `confusables_data.rs`). Brand
//! labels close to it are found through a deletion-neighbourhood index, then a weighted
//! Damerau-Levenshtein alignment decides and explains: lookalike characters cost nothing,
//! ASCII lookalikes ('1' for 'l', "rn" for 'm') little, typos a full step, and the allowed
//! total grows with the brand label's length. See `docs/lookalike.md`.
//!
//! Tables are built once ([`builtin`]); checking a host allocates only for the result.

mod brands;
#[allow(clippy::unreadable_literal)]
mod confusables_data;
mod skeleton;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::domain::{public_suffix, registrable_domain};
use crate::fx::{FxHashMap, FxHashSet};
use crate::policy::Policy;
use brands::Protect;
pub use skeleton::Script;
use skeleton::{Fold, decode_label, fold, script_of};

/// Longest label the engine looks at (DNS limit).
const MAX_LABEL: usize = 63;
/// Most labels in a host the engine looks at.
const MAX_LABELS: usize = 127;
/// Longest display name (in characters) the engine looks at.
const MAX_NAME_CHARS: usize = 256;

// ---------------------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------------------

/// How a domain imitates a protected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Technique {
    /// Non-ASCII characters that look like the brand's letters (UTS #39 confusables, accents).
    Homoglyph,
    /// Letters from more than one script in one label (Latin with Cyrillic, …).
    MixedScript,
    /// ASCII characters that look alike: '1' for 'l', '0' for 'o', "rn" for 'm', "vv" for 'w'.
    AsciiHomoglyph,
    /// A letter replaced or added next to a neighbouring key on the keyboard.
    KeyboardAdjacent,
    /// Two neighbouring letters swapped.
    Transposition,
    /// A letter left out.
    Omission,
    /// A letter doubled.
    Repetition,
    /// A letter that differs from the original by one bit (memory/transmission errors).
    Bitsquatting,
    /// A hyphen added or removed.
    Hyphenation,
    /// An 's' or "es" added.
    Plural,
    /// One vowel replaced by another.
    VowelSwap,
    /// Other small spelling changes.
    EditDistance,
    /// The brand's own name under a different top-level domain or public suffix.
    TldSwap,
    /// A dot inserted into the brand's name ("pay.pal.com").
    DotInsertion,
    /// The brand's name combined with words like "secure", "login", "verify".
    BrandPlusKeyword,
    /// The brand's name or domain in the subdomain of an unrelated domain.
    BrandInSubdomain,
}

impl Technique {
    /// A short plain-English description, for explanations.
    pub fn description(self) -> &'static str {
        use Technique::*;
        match self {
            Homoglyph => "uses look-alike characters from another alphabet or with accents",
            MixedScript => "mixes letters from different alphabets in one name",
            AsciiHomoglyph => {
                "uses characters that look alike, such as '1' for 'l' or 'rn' for 'm'"
            }
            KeyboardAdjacent => "has a letter typed with a neighbouring key",
            Transposition => "has two letters swapped",
            Omission => "leaves out a letter",
            Repetition => "doubles a letter",
            Bitsquatting => "has a letter that differs by a single bit",
            Hyphenation => "adds or removes a hyphen",
            Plural => "adds an 's' or 'es'",
            VowelSwap => "swaps a vowel for another",
            EditDistance => "differs by a small spelling change",
            TldSwap => "uses the brand's name with a different ending",
            DotInsertion => "splits the brand's name with a dot",
            BrandPlusKeyword => "adds words such as 'secure' or 'login' to the brand's name",
            BrandInSubdomain => "puts the brand's name in front of an unrelated domain",
        }
    }
}

/// Where a protected target comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Origin {
    /// Mailward's built-in brand list.
    BuiltIn,
    /// The organisation's own domains (`Policy::org_domains`).
    Organisation,
    /// `Policy::protected_domains`.
    ProtectedDomain,
    /// `Policy::protected_brands`.
    PolicyBrand,
}

/// The protected brand or domain being imitated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    /// Brand display name ("PayPal"), or the domain for plain protected domains.
    pub brand: String,
    /// The genuine domain imitated ("paypal.com").
    pub domain: String,
    /// Brand category ("payment", "bank", …; "organisation" for org domains).
    pub category: String,
    pub origin: Origin,
}

/// What kind of change one [`Difference`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    /// `found` stands where the original has `expected`.
    Replaced,
    /// `found` is extra.
    Inserted,
    /// `expected` is missing.
    Omitted,
    /// `found` is `expected` with its two characters swapped.
    Transposed,
}

/// One difference between the checked label and the protected one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
    pub change: Change,
    pub technique: Technique,
    /// Character offset (0-based) in the checked label (Unicode form) where it occurs.
    pub position: usize,
    /// The checked label's characters ("" for an omission).
    pub found: String,
    /// The protected label's characters ("" for an insertion).
    pub expected: String,
}

impl Difference {
    /// Plain-English evidence, e.g. "Cyrillic 'а' (U+0430) in place of Latin 'a'" or
    /// "'1' replaces 'l'".
    pub fn describe(&self) -> String {
        let pos = self.position + 1;
        match self.change {
            Change::Replaced => {
                if self.found.is_ascii() {
                    format!("'{}' replaces '{}'", self.found, self.expected)
                } else {
                    format!(
                        "{} in place of {}",
                        describe_chars(&self.found),
                        describe_chars(&self.expected)
                    )
                }
            }
            Change::Inserted if self.found == "-" => format!("hyphen added at position {pos}"),
            Change::Inserted if self.found == "." => format!("dot added at position {pos}"),
            Change::Inserted if self.found.is_ascii() => {
                format!("extra '{}' at position {pos}", self.found)
            }
            Change::Inserted => format!("extra {} at position {pos}", describe_chars(&self.found)),
            Change::Omitted => format!("'{}' left out at position {pos}", self.expected),
            Change::Transposed => format!(
                "'{}' swapped to '{}' at position {pos}",
                self.expected, self.found
            ),
        }
    }
}

/// "Cyrillic 'а' (U+0430)" for non-ASCII text, "Latin 'a'" / "'1'" for ASCII.
fn describe_chars(s: &str) -> String {
    let mut chars = s.chars();
    let (Some(first), None) = (chars.next(), chars.next()) else {
        let script = s.chars().map(script_of).find(|&sc| sc != Script::Common);
        let codes: Vec<String> = s
            .chars()
            .filter(|c| !c.is_ascii())
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        return match (script, codes.is_empty()) {
            (Some(sc), true) => format!("{} '{s}'", sc.name()),
            (Some(sc), false) => format!("{} '{s}' ({})", sc.name(), codes.join(" ")),
            (None, true) => format!("'{s}'"),
            (None, false) => format!("'{s}' ({})", codes.join(" ")),
        };
    };
    let script = script_of(first);
    let name = if script == Script::Common {
        String::new()
    } else {
        format!("{} ", script.name())
    };
    if first.is_ascii() {
        format!("{name}'{first}'")
    } else {
        format!("{name}'{first}' (U+{:04X})", first as u32)
    }
}

/// A host that imitates a protected brand or domain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lookalike {
    /// The host checked, as given (ASCII / punycode).
    pub host: String,
    /// The host with punycode labels decoded.
    pub host_unicode: String,
    /// The host's registrable domain, punycode decoded ("pаypal.com").
    pub registrable: String,
    /// The label (Unicode) that carries the imitation.
    pub label: String,
    pub target: Target,
    /// Every technique seen, most telling first.
    pub techniques: Vec<Technique>,
    /// Exactly what differs from the target's label, in label order.
    pub differences: Vec<Difference>,
    /// Scripts of the letters in `label`, when it uses any non-Latin letter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<Script>,
    /// Word(s) combined with the brand (for `BrandPlusKeyword`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// Weighted distance in half-edits: 0 for pure lookalike characters.
    pub cost: u8,
}

impl Lookalike {
    /// One sentence per difference, plus what the technique means.
    pub fn evidence(&self) -> Vec<String> {
        let mut out: Vec<String> = self.differences.iter().map(Difference::describe).collect();
        if let Some(k) = &self.keyword {
            out.push(format!("'{}' combined with '{k}'", self.target.brand));
        }
        if self.techniques.contains(&Technique::TldSwap) {
            out.push(format!(
                "{} is not {}: same name, different ending",
                self.registrable, self.target.domain
            ));
        }
        if self.techniques.contains(&Technique::BrandInSubdomain) {
            out.push(format!(
                "'{}' sits in front of {}, which is not {}",
                self.label, self.registrable, self.target.domain
            ));
        }
        if self.techniques.contains(&Technique::MixedScript) {
            let names: Vec<&str> = self.scripts.iter().map(|s| s.name()).collect();
            out.push(format!("mixes {} letters", names.join(" and ")));
        }
        out
    }
}

/// A display name that mentions a protected brand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BrandMention {
    /// The brand's display name ("PayPal").
    pub brand: String,
    /// The name or alias that matched ("Microsoft 365").
    pub alias: String,
    /// The matched text as written in the display name.
    pub matched: String,
    /// Character offsets of `matched` in the display name (end exclusive).
    pub start: usize,
    pub end: usize,
    /// The brand's genuine domains (sender domains that would make the mention legitimate).
    pub domains: Vec<String>,
    pub origin: Origin,
    /// Lookalike characters were used ("Ꮲaypal").
    pub homoglyph: bool,
    /// The name is misspelt by one letter ("Microsft"): see [`one_typo`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub misspelled: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<Difference>,
}

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a state `h` continued over `bytes`.
#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The key of a string of `len` bytes whose FNV-1a state is `h`.
#[inline]
fn finish_key(mut h: u64, len: usize) -> u64 {
    h ^= (len as u64) << 56;
    // splitmix finaliser
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Odd multiplier of [`poly`].
const POLY: u64 = 0x9e37_79b9_7f4a_7c15;

/// Polynomial hash state `h` continued over `bytes` (`h * POLY + b` per byte): the hash of a
/// string with a piece cut out is the hash of the part before it times a power of `POLY`
/// plus the hash of the part after it, so [`for_each_key`] gets each key in a few steps.
#[inline]
fn poly(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = h.wrapping_mul(POLY).wrapping_add(u64::from(b));
    }
    h
}

/// The key of a string of the index (a form, or one with deletions): its [`poly`] hash
/// mixed with its length (keys are already hashes).
fn key(bytes: &[u8]) -> u64 {
    finish_key(poly(0, bytes), bytes.len())
}

/// [`key`] of `bytes` read right to left: [`Index::is_genuine`] gets the key of every suffix
/// of a host from one pass.
fn suffix_key(bytes: &[u8]) -> u64 {
    let h = bytes.iter().rev().fold(FNV_OFFSET, |h, &b| fnv(h, &[b]));
    finish_key(h, bytes.len())
}

/// A set of keys as one bit per key (its top bits), about 16 bits per key: what [`maybe`]
/// says no to is not in the set, so a map is probed only for the few keys it lets through.
/// An unbuilt (default) filter lets everything through; so does the filter of no keys, which
/// then costs no allocation (a policy without targets builds one per analysis).
///
/// [`maybe`]: KeyFilter::maybe
#[derive(Default)]
struct KeyFilter {
    bits: Vec<u64>,
    shift: u32,
}

impl KeyFilter {
    fn new(keys: impl Iterator<Item = u64> + Clone) -> KeyFilter {
        let count = keys.clone().count();
        if count == 0 {
            return KeyFilter::default();
        }
        let size = (count * 16).max(64).next_power_of_two();
        let mut filter = KeyFilter {
            bits: vec![0; size / 64],
            shift: 64 - size.trailing_zeros(),
        };
        for k in keys {
            let i = (k >> filter.shift) as usize;
            filter.bits[i / 64] |= 1 << (i % 64);
        }
        filter
    }

    /// False only for keys that are not in the set.
    #[inline]
    fn maybe(&self, k: u64) -> bool {
        if self.bits.is_empty() {
            return true;
        }
        let i = (k >> self.shift) as usize;
        self.bits[i / 64] & (1 << (i % 64)) != 0
    }
}

struct BrandInfo {
    name: String,
    /// Names and aliases, folded to lower-case ASCII tokens.
    aliases: Vec<(String, Vec<String>)>,
    category: String,
    generic: bool,
    origin: Origin,
    domains: Vec<String>,
}

/// A target whose index form is at least [`TWO_TYPO_LEN`] long: two typos may separate it
/// from a query, which the deletion neighbourhood does not cover.
struct LongTarget {
    target: u32,
    /// Index-form length.
    len: usize,
    /// [`letter_mask`] of `counts`.
    letters: u32,
    /// [`histogram`] of the index form.
    counts: [u8; 32],
}

struct TargetLabel {
    /// ASCII label, e.g. "paypal".
    label: Box<[u8]>,
    /// Index form (see `index_form`).
    vform: Box<[u8]>,
    /// Index form without digraph merging (see `plain_form`).
    plain: Box<[u8]>,
    domain: String,
    brand: u32,
    /// An everyday word ("apple", "chase"): matched only through lookalike characters.
    generic: bool,
}

/// One set of protected targets with its indexes (the built-in set, or a policy's).
#[derive(Default)]
struct Index {
    brands: Vec<BrandInfo>,
    targets: Vec<TargetLabel>,
    /// Genuine registrable/listed domains: never flagged, nor their subdomains.
    genuine: FxHashSet<String>,
    /// Genuine domains that are public suffixes: only the apex itself is genuine.
    genuine_apex: FxHashSet<String>,
    /// key(index-form with 0, 1 or 2 deletions) -> (target, deletions).
    neighbours: KeyMap<Vec<(u32, u8)>>,
    /// The keys of `neighbours`, and those with a 0-deletion entry ([`Index::finish`]): most
    /// query keys are in neither, and a bit test is cheaper than probing the map.
    near_keys: KeyFilter,
    exact_keys: KeyFilter,
    /// [`suffix_key`] of each of `genuine` and of `genuine_apex`, for [`Index::is_genuine`].
    genuine_keys: KeyFilter,
    apex_keys: KeyFilter,
    /// Targets at least `TWO_TYPO_LEN` long, by length once built ([`Index::finish`]).
    long: Vec<LongTarget>,
    /// Distinct index-form lengths of targets (for substring search), bit per length.
    lengths: u64,
    max_len: usize,
    /// First display-name token -> (brand, alias index).
    /// Longest alias first.
    names: FxHashMap<String, Vec<(u32, u32, u32)>>,
    /// Single-word aliases of at least [`TYPO_MIN`] letters of brands whose name is not an
    /// everyday word, by (first, last) letter -> (brand, alias index): candidates for a
    /// misspelt brand name.
    typo_names: FxHashMap<(u8, u8), Vec<(u32, u32)>>,
}

/// Shortest brand name whose misspellings are recognised: shorter names are one letter away
/// from too many ordinary words and surnames.
const TYPO_MIN: usize = 7;

/// Whether `seen` is `name` with one letter dropped, added, swapped with its neighbour, or
/// (for names of 8 letters or more) replaced, the first and last letters left alone: the
/// misspellings that keep a brand name recognisable at a glance ("Microsft", "Netfliix",
/// "Amazno" is too short). Both are folded tokens.
fn one_typo(seen: &[u8], name: &[u8]) -> bool {
    let (n, m) = (name.len(), seen.len());
    if n < TYPO_MIN
        || seen == name
        || n.abs_diff(m) > 1
        || seen.first() != name.first()
        || seen.last() != name.last()
    {
        return false;
    }
    let prefix = seen.iter().zip(name).take_while(|(a, b)| a == b).count();
    let suffix = seen
        .iter()
        .rev()
        .zip(name.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    match m.cmp(&n) {
        // One letter dropped or added: the rest lines up around it.
        std::cmp::Ordering::Less | std::cmp::Ordering::Greater => prefix + suffix >= m.min(n),
        std::cmp::Ordering::Equal => {
            let diff: Vec<usize> = (0..n).filter(|&i| seen[i] != name[i]).collect();
            match diff.as_slice() {
                [i] => n >= 8 && *i > 0 && *i + 1 < n,
                [i, j] => *j == i + 1 && seen[*i] == name[*j] && seen[*j] == name[*i],
                _ => false,
            }
        }
    }
}

/// The protected set: built-in brands (see [`builtin`]) or a policy's additions.
pub struct Protected {
    index: Index,
}

static BUILTIN: OnceLock<Protected> = OnceLock::new();

/// The built-in protected set, built on first use.
pub fn builtin() -> &'static Protected {
    BUILTIN.get_or_init(Protected::new_builtin)
}

impl Protected {
    fn new_builtin() -> Protected {
        let mut index = Index::default();
        for line in brands::parse(brands::BRANDS_TSV) {
            let names: Vec<&str> = line.names.clone();
            index.add_brand(
                &names,
                line.category,
                line.generic,
                Origin::BuiltIn,
                &line.domains,
            );
        }
        index.finish();
        Protected { index }
    }

    /// An empty set with only the policy's targets (org domains, protected domains, brands).
    fn from_policy(policy: &Policy) -> Protected {
        let mut index = Index::default();
        for (list, origin, category) in [
            (&policy.org_domains, Origin::Organisation, "organisation"),
            (
                &policy.protected_domains,
                Origin::ProtectedDomain,
                "protected",
            ),
        ] {
            for d in list.iter().take(1000) {
                index.add_brand(
                    &[d.as_str()],
                    category,
                    false,
                    origin,
                    &[(d.as_str(), Protect::Yes)],
                );
            }
        }
        for b in policy.protected_brands.iter().take(1000) {
            let domains: Vec<(&str, Protect)> = b
                .domains
                .iter()
                .take(100)
                .map(|d| (d.as_str(), Protect::Yes))
                .collect();
            index.add_brand(
                &[b.name.as_str()],
                "brand",
                false,
                Origin::PolicyBrand,
                &domains,
            );
        }
        for d in policy.trusted_domains.iter().take(10_000) {
            index
                .genuine
                .insert(d.trim_end_matches('.').to_ascii_lowercase());
        }
        index.finish();
        Protected { index }
    }

    /// This set extended with a policy's organisation domains, protected domains, protected
    /// brands and trusted domains. Only the policy's (small) part is built; the built-in
    /// tables are shared.
    pub fn with_policy<'a>(&'a self, policy: &Policy) -> WithPolicy<'a> {
        WithPolicy {
            base: self,
            extra: Protected::from_policy(policy),
            cache: std::cell::RefCell::default(),
            last_name: std::cell::RefCell::default(),
        }
    }

    /// The brands of the set, in list order.
    pub fn brands(&self) -> impl Iterator<Item = BrandRef<'_>> {
        self.index.brands.iter().map(|b| BrandRef {
            name: &b.name,
            generic: b.generic,
            domains: &b.domains,
        })
    }

    /// Number of brands in the set.
    pub fn brand_count(&self) -> usize {
        self.index.brands.len()
    }

    /// Every genuine domain listed in the set (sorted), e.g. for evaluation.
    pub fn genuine_domains(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .index
            .genuine
            .iter()
            .chain(&self.index.genuine_apex)
            .map(String::as_str)
            .collect();
        v.sort_unstable();
        v
    }

    /// Whether `host` is one of the set's genuine domains or a subdomain of one.
    pub fn is_genuine(&self, host: &str) -> bool {
        self.index.is_genuine(host)
    }

    /// Does `host` (lower-case ASCII or punycode) imitate a protected brand or domain?
    /// `None` for genuine domains, their subdomains, and anything not close to a target.
    pub fn check_domain(&self, host: &str) -> Option<Lookalike> {
        let q = Query::new(host)?;
        if self.index.is_genuine(&q.host) {
            return None;
        }
        let m = self.index.best(&q)?;
        Some(self.index.render(&q, m))
    }

    /// Does a display name mention a protected brand (case-, accent- and lookalike-
    /// insensitive, on word boundaries)?
    pub fn check_display_name(&self, name: &str) -> Option<BrandMention> {
        let readings = FoldedName::readings(name);
        readings
            .iter()
            .find_map(|folded| self.index.mention(folded))
            .or_else(|| {
                readings
                    .iter()
                    .find_map(|folded| self.index.misspelt_mention(folded))
            })
    }
}

/// One brand of a [`Protected`] set.
#[derive(Clone, Copy, Debug)]
pub struct BrandRef<'a> {
    /// Display name, e.g. "PayPal".
    pub name: &'a str,
    /// The name is an everyday word or surname ("Apple", "Chase"): needs context.
    pub generic: bool,
    /// Every genuine domain of the brand.
    pub domains: &'a [String],
}

/// The built-in set plus one policy, for one analysis.
pub struct WithPolicy<'a> {
    base: &'a Protected,
    extra: Protected,
    /// Answers of [`WithPolicy::check_domain`] so far: the sender's domain comes back as
    /// Return-Path, Message-ID and link hosts. At most [`MAX_CACHED`] hosts.
    cache: std::cell::RefCell<Vec<(String, Option<Lookalike>)>>,
    /// The last answer of [`WithPolicy::check_display_name`]: two rules read the sender's name.
    last_name: std::cell::RefCell<Option<(String, Option<BrandMention>)>>,
}

/// Hosts whose [`WithPolicy::check_domain`] answer is remembered per analysis.
const MAX_CACHED: usize = 128;

impl WithPolicy<'_> {
    /// The policy's brands and domains, then the built-in ones.
    pub fn brands(&self) -> impl Iterator<Item = BrandRef<'_>> {
        self.extra.brands().chain(self.base.brands())
    }

    /// Whether `host` is a genuine domain (or a subdomain of one) of a built-in or policy brand.
    pub fn is_genuine(&self, host: &str) -> bool {
        self.base.index.is_genuine(host) || self.extra.index.is_genuine(host)
    }

    /// As [`Protected::check_domain`], also protecting the policy's domains and brands and
    /// never flagging what the policy trusts. Policy targets win ties.
    pub fn check_domain(&self, host: &str) -> Option<Lookalike> {
        if let Some((_, answer)) = self.cache.borrow().iter().find(|(h, _)| h == host) {
            return answer.clone();
        }
        let answer = self.check_domain_uncached(host);
        let mut cache = self.cache.borrow_mut();
        if cache.len() < MAX_CACHED {
            cache.push((host.to_string(), answer.clone()));
        }
        answer
    }

    fn check_domain_uncached(&self, host: &str) -> Option<Lookalike> {
        // Genuine hosts first, on the host as `Query::new` normalises it: either way the
        // answer is `None`, and the query (public-suffix look-ups, label decoding) is skipped.
        let normalized = host.trim().trim_end_matches('.').to_ascii_lowercase();
        if self.base.index.is_genuine(&normalized) || self.extra.index.is_genuine(&normalized) {
            return None;
        }
        let q = Query::new(host)?;
        let a = self.extra.index.best(&q);
        let b = self.base.index.best(&q);
        match (a, b) {
            (Some(a), Some(b)) if b.rank() < a.rank() => Some(self.base.index.render(&q, b)),
            (Some(a), _) => Some(self.extra.index.render(&q, a)),
            (None, Some(b)) => Some(self.base.index.render(&q, b)),
            (None, None) => None,
        }
    }

    /// As [`Protected::check_display_name`], policy brands first.
    pub fn check_display_name(&self, name: &str) -> Option<BrandMention> {
        if let Some((last, answer)) = self.last_name.borrow().as_ref()
            && last == name
        {
            return answer.clone();
        }
        let answer = self.check_display_name_uncached(name);
        *self.last_name.borrow_mut() = Some((name.to_string(), answer.clone()));
        answer
    }

    fn check_display_name_uncached(&self, name: &str) -> Option<BrandMention> {
        let (extra, base) = (&self.extra.index, &self.base.index);
        let readings = FoldedName::readings(name);
        readings
            .iter()
            .find_map(|folded| extra.mention(folded).or_else(|| base.mention(folded)))
            .or_else(|| {
                readings.iter().find_map(|folded| {
                    extra
                        .misspelt_mention(folded)
                        .or_else(|| base.misspelt_mention(folded))
                })
            })
    }
}

impl Index {
    fn add_brand(
        &mut self,
        names: &[&str],
        category: &str,
        generic: bool,
        origin: Origin,
        domains: &[(&str, Protect)],
    ) {
        let brand = self.brands.len() as u32;
        let mut aliases = Vec::new();
        for n in names {
            let tokens = FoldedName::new(n, false).tokens();
            if !tokens.is_empty() {
                aliases.push((n.to_string(), tokens));
            }
        }
        for (ai, (_, tokens)) in aliases.iter().enumerate() {
            if let Some(first) = tokens.first() {
                let e = self.names.entry(first.clone()).or_default();
                e.push((brand, ai as u32, tokens.len() as u32));
                e.sort_by_key(|&(_, _, n)| std::cmp::Reverse(n));
            }
        }
        if !generic {
            for (ai, (_, tokens)) in aliases.iter().enumerate() {
                if let [word] = tokens.as_slice()
                    && word.len() >= TYPO_MIN
                    && let (Some(&first), Some(&last)) =
                        (word.as_bytes().first(), word.as_bytes().last())
                {
                    self.typo_names
                        .entry((first, last))
                        .or_default()
                        .push((brand, ai as u32));
                }
            }
        }
        let mut seen_labels: Vec<Vec<u8>> = Vec::new();
        for &(domain, protect) in domains {
            let generic_label = protect == Protect::Word;
            let domain = domain.trim_end_matches('.').to_ascii_lowercase();
            if domain.is_empty() {
                continue;
            }
            if registrable_domain(&domain).is_none() {
                // A multi-tenant platform that is itself a public suffix (blogspot.com,
                // github.io): the apex is genuine, its customers' subdomains are not.
                self.genuine_apex.insert(domain);
                continue;
            }
            self.genuine.insert(domain.clone());
            if protect == Protect::No {
                continue;
            }
            let Some(reg) = registrable_domain(&domain) else {
                continue;
            };
            let Some(suffix) = public_suffix(reg) else {
                continue;
            };
            let label_str = &reg[..reg.len().saturating_sub(suffix.len() + 1)];
            let Some(chars) = decode_label(label_str) else {
                continue;
            };
            let units = units_of(&chars, 0);
            if units.is_empty() || units.len() > MAX_LABEL {
                continue;
            }
            let label: Vec<u8> = units.iter().map(|u| u.b).collect();
            if seen_labels.contains(&label) {
                continue;
            }
            seen_labels.push(label.clone());
            let vform = index_form(&units);
            let t = self.targets.len() as u32;
            self.max_len = self.max_len.max(vform.len());
            if vform.len() < 64 {
                self.lengths |= 1 << vform.len();
            }
            let plain = plain_form(&units);
            let two = Two::None;
            if vform.len() >= TWO_TYPO_LEN {
                let counts = histogram(&vform);
                self.long.push(LongTarget {
                    target: self.targets.len() as u32,
                    len: vform.len(),
                    letters: letter_mask(&counts),
                    counts,
                });
            }
            let mut keys = Vec::new();
            for_each_key(&vform, two, |k, d| keys.push((k, d)));
            if plain != vform {
                // "barclays" folds to "bardays"; keep the plain spelling findable too.
                for_each_key(&plain, two, |k, d| keys.push((k, d)));
            }
            for (k, d) in keys {
                let e = self.neighbours.entry(k).or_default();
                if !e.iter().any(|&(x, dd)| x == t && dd <= d) {
                    e.push((t, d));
                }
            }
            self.targets.push(TargetLabel {
                label: label.into_boxed_slice(),
                vform: vform.into_boxed_slice(),
                plain: plain.into_boxed_slice(),
                domain: reg.to_string(),
                brand,
                generic: generic_label,
            });
        }
        self.brands.push(BrandInfo {
            name: names.first().map_or_else(String::new, |s| s.to_string()),
            aliases,
            category: category.to_string(),
            generic,
            origin,
            domains: domains.iter().map(|(d, _)| d.to_string()).collect(),
        });
    }

    /// Builds the key filters once every target and genuine domain is in.
    fn finish(&mut self) {
        self.long.sort_by_key(|l| l.len);
        self.near_keys = KeyFilter::new(self.neighbours.keys().copied());
        self.exact_keys = KeyFilter::new(
            self.neighbours
                .iter()
                .filter(|(_, v)| v.iter().any(|&(_, d)| d == 0))
                .map(|(&k, _)| k),
        );
        self.genuine_keys = KeyFilter::new(self.genuine.iter().map(|d| suffix_key(d.as_bytes())));
        self.apex_keys = KeyFilter::new(self.genuine_apex.iter().map(|d| suffix_key(d.as_bytes())));
    }

    /// Whether `host` is a genuine apex, or a genuine domain or one of its subdomains.
    ///
    /// One pass from the right hashes every suffix that starts a label ([`suffix_key`]); only
    /// a suffix the filter may hold is looked up. Hosts of more than [`MAX_LABELS`] labels
    /// take [`Index::is_genuine_by_suffix`], which stops after that many.
    fn is_genuine(&self, host: &str) -> bool {
        if self.genuine_apex.is_empty() && self.genuine.is_empty() {
            return false;
        }
        let b = host.as_bytes();
        if b.len() >= MAX_LABELS {
            return self.is_genuine_by_suffix(host);
        }
        let mut h = FNV_OFFSET;
        let mut i = b.len();
        loop {
            if (i == 0 || b[i - 1] == b'.')
                && self.genuine_keys.maybe(finish_key(h, b.len() - i))
                && self.genuine.contains(&host[i..])
            {
                return true;
            }
            if i == 0 {
                break;
            }
            i -= 1;
            h = fnv(h, &b[i..=i]);
        }
        self.apex_keys.maybe(finish_key(h, b.len())) && self.genuine_apex.contains(host)
    }

    /// [`Index::is_genuine`] by looking up each suffix in turn (at most [`MAX_LABELS`]).
    fn is_genuine_by_suffix(&self, host: &str) -> bool {
        if !self.genuine_apex.is_empty() && self.genuine_apex.contains(host) {
            return true;
        }
        if self.genuine.is_empty() {
            return false;
        }
        let mut rest = host;
        for _ in 0..MAX_LABELS {
            if self.genuine.contains(rest) {
                return true;
            }
            match rest.find('.') {
                Some(i) => rest = &rest[i + 1..],
                None => return false,
            }
        }
        false
    }

    /// Targets whose index form is within two deletions of `vform`.
    fn near(&self, vform: &[u8], out: &mut Vec<u32>) {
        out.clear();
        if vform.is_empty() || vform.len() > self.max_len + 2 {
            return;
        }
        for_each_key(vform, Two::Adjacent, |k, _| {
            if self.near_keys.maybe(k)
                && let Some(v) = self.neighbours.get(&k)
            {
                out.extend(v.iter().map(|&(t, _)| t));
            }
        });
        // Long targets may be two typos away: few of them, so compare letter counts.
        if vform.len() + 2 >= TWO_TYPO_LEN {
            let h = histogram(vform);
            let letters = letter_mask(&h);
            // `long` is sorted by length: the targets within two letters of the query's.
            let n = vform.len();
            let from = self.long.partition_point(|l| l.len + 2 < n);
            for long in self.long[from..].iter().take_while(|l| l.len <= n + 2) {
                // Cheap first: a letter only one of them has adds at least one to the
                // distance below.
                if (long.letters ^ letters).count_ones() <= 4
                    && h.iter()
                        .zip(&long.counts)
                        .map(|(a, b)| u32::from(a.abs_diff(*b)))
                        .sum::<u32>()
                        <= 4
                {
                    out.push(long.target);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// Targets whose index form equals `vform` exactly.
    fn exact(&self, vform: &[u8], out: &mut Vec<u32>) {
        self.exact_keyed(vform, key(vform), out);
    }

    /// [`Index::exact`] for a form whose [`key`] is known.
    fn exact_keyed(&self, vform: &[u8], k: u64, out: &mut Vec<u32>) {
        out.clear();
        if !self.exact_keys.maybe(k) {
            return;
        }
        if let Some(v) = self.neighbours.get(&k) {
            for &(t, d) in v {
                let target = &self.targets[t as usize];
                if d == 0 && (*target.vform == *vform || *target.plain == *vform) {
                    out.push(t);
                }
            }
        }
    }

    /// The best match for a query, if any.
    fn best(&self, q: &Query) -> Option<Match> {
        if self.targets.is_empty() {
            return None;
        }
        let mut best: Option<Match> = None;
        fn consider(best: &mut Option<Match>, m: Match) {
            if best.as_ref().is_none_or(|b| m.rank() < b.rank()) {
                *best = Some(m);
            }
        }
        let mut buf = Vec::new();
        // 1. The registrable label itself (homoglyphs, typos, TLD swap).
        if let Some(m) = self.label_match(&q.units, &q.suffix, &mut buf) {
            consider(&mut best, m.with_kind(Kind::Label));
        }
        // 2. A dot inserted: last subdomain label + registrable label.
        if let Some(last) = q.sub.last()
            && !last.units.is_empty()
            && last.text != "www"
            && last.units.len() + q.units.len() <= self.max_len + 2
            && best.as_ref().is_none_or(|b| b.cost > 0)
        {
            let mut joined = last.units.clone();
            let offset = last.len + 1;
            joined.extend(q.units.iter().map(|u| Unit {
                src: u.src + offset,
                ..*u
            }));
            if let Some(mut m) = self.label_match(&joined, "", &mut buf)
                && m.cost <= 2
            {
                m.cost += 1;
                m.ops.push(Op {
                    kind: OpKind::Dot,
                    ci: last.len,
                    cn: 1,
                    bj: 0,
                    bn: 0,
                });
                consider(&mut best, m.with_kind(Kind::Dot));
            }
        }
        // 3. Brand + keyword inside the registrable label.
        if let Some(m) = self.keyword_match(&q.units, &mut buf) {
            consider(&mut best, m.with_kind(Kind::Keyword));
        }
        // 4. Brand in a subdomain label.
        if best.is_none() {
            for (i, sub) in q.sub.iter().enumerate() {
                if let Some(m) = self.subdomain_match(q, i, sub, &mut buf) {
                    consider(&mut best, m);
                    break;
                }
            }
        }
        best
    }

    fn label_match(&self, units: &[Unit], suffix: &str, buf: &mut Vec<u32>) -> Option<Match> {
        if units.is_empty() || units.len() > MAX_LABEL {
            return None;
        }
        let (vform, merged) = index_form_merging(units);
        self.near(&vform, buf);
        // Without a merged digraph the plain form is the index form.
        let plain = if merged {
            plain_form(units)
        } else {
            Vec::new()
        };
        if merged && plain != vform {
            let mut more = Vec::new();
            self.near(&plain, &mut more);
            buf.extend(more);
            buf.sort_unstable();
            buf.dedup();
        }
        let mut best: Option<Match> = None;
        for &t in buf.iter() {
            let target = &self.targets[t as usize];
            let limit = limit_for(target.label.len(), target.generic);
            let Some((cost, ops)) = align(units, &target.label, limit) else {
                continue;
            };
            let hyphens = ops.iter().filter(|o| o.kind == OpKind::Hyphen).count();
            if target.label.len() <= 3 && usize::from(cost) > hyphens {
                continue;
            }
            let typo = ops.iter().any(|o| o.is_typo());
            // Typos of generic names are ordinary words; so are very short results
            // ("mail" is not a typo of "gmail").
            if typo
                && (target.generic
                    || units.len() < 4
                    || (units.len() < 5 && ops.iter().any(|o| o.is_typo() && o.ci == 0))
                    // A replaced or missing letter turns a 4-letter name into another word
                    // ("dell" → "deal"); added or swapped letters rarely do.
                    || (target.label.len() <= 4
                        && ops.iter().any(|o| matches!(o.kind, OpKind::Sub | OpKind::Del))))
            {
                continue;
            }
            let identical = ops.is_empty();
            if identical {
                // Same label, different suffix: a TLD swap (not for short or generic labels).
                let own_suffix = target_suffix(&target.domain);
                if target.generic || target.label.len() < 4 || own_suffix == suffix {
                    continue;
                }
            }
            let m = Match {
                target: t,
                cost,
                ops,
                kind: Kind::Label,
                keyword: None,
                sub_label: None,
            };
            if best.as_ref().is_none_or(|b| m.rank() < b.rank()) {
                best = Some(m);
            }
        }
        best
    }

    /// The label contains a target's label and the rest is keywords (or digits).
    fn keyword_match(&self, units: &[Unit], buf: &mut Vec<u32>) -> Option<Match> {
        let n = units.len();
        if !(5..=MAX_LABEL).contains(&n) {
            return None;
        }
        let (mut raw, mut vform) = ([0u8; MAX_LABEL], [0u8; MAX_LABEL]);
        for ((r, v), u) in raw.iter_mut().zip(&mut vform).zip(units) {
            (*r, *v) = (u.b, v_byte(u.b));
        }
        let (raw, vform) = (&raw[..n], &vform[..n]);
        // The key of a piece at the start without hashing it again (most pieces tried start
        // there).
        let from_start = poly_prefixes(vform);
        // Where keyword runs may end (prefix) and start (suffix): the brand sits between.
        let mut pre = [false; 65];
        pre[0] = true;
        for i in 0..n {
            if !pre[i] {
                continue;
            }
            for l in keyword_lengths_at(&raw[i..]) {
                pre[i + l] = true;
            }
        }
        let suffixes = || {
            let mut suf = [false; 65];
            suf[n] = true;
            for j in (0..n).rev() {
                suf[j] = keyword_lengths_at(&raw[j..]).any(|l| suf[j + l]);
            }
            suf
        };
        // Most labels start with no keyword: then the brand can only start the label, and
        // the suffix table (a keyword search at every position) is worth building only once
        // a prefix of the label is a target. Otherwise it is built first, as it prunes.
        let prefix_only = !pre[1..=n].contains(&true);
        let mut suf = (!prefix_only).then(suffixes);
        let (starts, count) = piece_starts(&pre[..n], vform);
        // Hyphens kept here so tokens stay visible; targets are matched on hyphen-free runs.
        for len in (3..n.min(64)).rev() {
            if self.lengths & (1 << len) == 0 {
                continue;
            }
            for &(start, hyphen) in &starts[..count] {
                let (start, hyphen) = (usize::from(start), usize::from(hyphen));
                if start + len > n {
                    break;
                }
                if suf.as_ref().is_some_and(|suf| !suf[start + len])
                    || (start == 0 && len == n)
                    || hyphen < start + len
                {
                    continue;
                }
                let piece = &vform[start..start + len];
                let k = if start == 0 {
                    finish_key(from_start[len], len)
                } else {
                    key(piece)
                };
                self.exact_keyed(piece, k, buf);
                if buf.is_empty() || !suf.get_or_insert_with(suffixes)[start + len] {
                    continue;
                }
                for &t in buf.iter() {
                    let target = &self.targets[t as usize];
                    let before = &raw[..start];
                    let after = &raw[start + len..];
                    let bounded = (start == 0 || vform[start - 1] == b'-')
                        && (start + len == n || vform[start + len] == b'-');
                    // Short or generic brand names only as whole hyphen-separated tokens,
                    // or with a domain ending glued on ("dhlcom", "barclaysco").
                    let tld_glued = start == 0 && is_tld_word(after) && before.is_empty();
                    if (target.generic || len < 5) && !bounded && !tld_glued {
                        continue;
                    }
                    if target.generic && start != 0 {
                        continue;
                    }
                    let Some(words) = keywords_only(before, after) else {
                        continue;
                    };
                    let sub_units = &units[start..start + len];
                    let Some((cost, ops)) = align(sub_units, &target.label, 1) else {
                        continue;
                    };
                    return Some(Match {
                        target: t,
                        cost: cost + 2,
                        ops,
                        kind: Kind::Keyword,
                        keyword: Some(words),
                        sub_label: None,
                    });
                }
            }
        }
        None
    }

    fn subdomain_match(
        &self,
        q: &Query,
        i: usize,
        sub: &SubLabel,
        buf: &mut Vec<u32>,
    ) -> Option<Match> {
        if sub.units.is_empty() {
            return None;
        }
        let vform = index_form(&sub.units);
        self.exact(&vform, buf);
        for &t in buf.iter() {
            let target = &self.targets[t as usize];
            // "paypal.com.evil.top": the brand's full domain appears in the subdomain.
            let next = q.sub.get(i + 1).map(|s| s.text.as_str());
            let own_suffix = target_suffix(&target.domain);
            let full_domain = next == Some(own_suffix)
                || q.sub
                    .get(i + 1..)
                    .map(|rest| {
                        let joined: Vec<&str> = rest.iter().map(|s| s.text.as_str()).collect();
                        own_suffix.starts_with(&joined.join("."))
                    })
                    .unwrap_or(false)
                    && i + 1 < q.sub.len();
            if !full_domain && (target.generic || target.label.len() < 5) {
                continue;
            }
            let Some((cost, ops)) = align(&sub.units, &target.label, 0) else {
                continue;
            };
            return Some(Match {
                target: t,
                cost: cost + 3,
                ops,
                kind: Kind::Subdomain,
                keyword: None,
                sub_label: Some(i),
            });
        }
        // Brand + keyword inside a subdomain label ("paypal-login.example.net").
        let m = self.keyword_match(&sub.units, buf)?;
        Some(Match {
            cost: m.cost + 1,
            kind: Kind::Subdomain,
            sub_label: Some(i),
            ..m
        })
    }

    fn render(&self, q: &Query, m: Match) -> Lookalike {
        let target = &self.targets[m.target as usize];
        let brand = &self.brands[target.brand as usize];
        // The characters the differences point into.
        let (chars, label): (Vec<char>, String) = match (m.kind, m.sub_label) {
            (Kind::Subdomain, Some(i)) => {
                let c = q.sub[i].chars.clone();
                let s = c.iter().collect();
                (c, s)
            }
            (Kind::Dot, _) => {
                let mut c = q.sub.last().map(|s| s.chars.clone()).unwrap_or_default();
                c.push('.');
                c.extend(q.chars.iter());
                let s = c.iter().collect();
                (c, s)
            }
            _ => (q.chars.clone(), q.chars.iter().collect()),
        };
        // Show the brand's domain under the same suffix when it has one (barclays.co.uk).
        let same_suffix = brand
            .domains
            .iter()
            .find(|d| {
                d.len() == target.label.len() + 1 + q.suffix.len()
                    && d.as_bytes().starts_with(&target.label)
                    && d.ends_with(q.suffix.as_str())
            })
            .cloned();
        let mut techniques = Vec::new();
        let mut differences = Vec::new();
        for op in &m.ops {
            let found: String = chars
                .get(op.ci..(op.ci + op.cn).min(chars.len()))
                .map(|s| s.iter().collect())
                .unwrap_or_default();
            let expected: String = target
                .label
                .get(op.bj..op.bj + op.bn)
                .map(|s| s.iter().map(|&b| b as char).collect())
                .unwrap_or_default();
            let (change, technique) = classify(op, &found, &expected, &target.label);
            techniques.push(technique);
            differences.push(Difference {
                change,
                technique,
                position: op.ci,
                found,
                expected,
            });
        }
        differences.sort_by_key(|d| d.position);
        let mut scripts: Vec<Script> = chars
            .iter()
            .map(|&c| script_of(c))
            .filter(|&s| s != Script::Common)
            .collect();
        scripts.sort_unstable();
        scripts.dedup();
        if scripts.len() > 1 {
            techniques.push(Technique::MixedScript);
        }
        if scripts == [Script::Latin] {
            scripts.clear();
        }
        match m.kind {
            Kind::Label if m.ops.is_empty() => techniques.push(Technique::TldSwap),
            Kind::Keyword => techniques.insert(0, Technique::BrandPlusKeyword),
            Kind::Subdomain => techniques.insert(0, Technique::BrandInSubdomain),
            Kind::Dot => {}
            Kind::Label => {}
        }
        if matches!(m.kind, Kind::Subdomain) && m.keyword.is_some() {
            techniques.insert(1, Technique::BrandPlusKeyword);
        }
        // Most telling first: order of first appearance, deduplicated, Homoglyph leading.
        let mut ordered: Vec<Technique> = Vec::new();
        if techniques.contains(&Technique::Homoglyph) {
            ordered.push(Technique::Homoglyph);
        }
        for t in techniques {
            if !ordered.contains(&t) {
                ordered.push(t);
            }
        }
        Lookalike {
            host: q.host.clone(),
            host_unicode: q.host_unicode(),
            registrable: q.registrable_unicode(),
            label,
            target: Target {
                brand: brand.name.clone(),
                domain: same_suffix.unwrap_or_else(|| target.domain.clone()),
                category: brand.category.clone(),
                origin: brand.origin,
            },
            techniques: ordered,
            differences,
            scripts,
            keyword: m.keyword,
            cost: m.cost,
        }
    }

    fn mention(&self, name: &FoldedName) -> Option<BrandMention> {
        let tokens = &name.spans;
        for (ti, span) in tokens.iter().enumerate() {
            let Some(cands) = self.names.get(&span.text) else {
                continue;
            };
            for &(b, ai, _) in cands {
                let brand = &self.brands[b as usize];
                let Some((alias, alias_tokens)) = brand.aliases.get(ai as usize) else {
                    continue;
                };
                let end_ti = ti + alias_tokens.len();
                if end_ti > tokens.len()
                    || tokens[ti..end_ti]
                        .iter()
                        .zip(alias_tokens)
                        .any(|(a, b)| a.text != *b)
                {
                    continue;
                }
                let letters: usize = alias_tokens.iter().map(String::len).sum();
                // Generic names ("Chase", "Target") and very short ones need context.
                let others: Vec<&str> = tokens[..ti]
                    .iter()
                    .chain(&tokens[end_ti..])
                    .map(|s| s.raw.as_str())
                    .collect();
                let context = others.iter().all(|w| is_name_keyword(w))
                    || others.iter().any(|w| is_strong_name_keyword(w));
                if (brand.generic || letters < 3) && !context {
                    continue;
                }
                if letters < 2 {
                    continue;
                }
                let start = span.start;
                let end = tokens[end_ti - 1].end;
                let matched: String = name.chars[start..end].iter().collect();
                let mut differences = Vec::new();
                for (i, &c) in name.chars[start..end].iter().enumerate() {
                    if let Fold::One(a) = fold(c)
                        && !c.is_ascii()
                    {
                        differences.push(Difference {
                            change: Change::Replaced,
                            technique: Technique::Homoglyph,
                            position: start + i,
                            found: c.to_string(),
                            expected: (a as char).to_string(),
                        });
                    }
                }
                // Accented letters in a brand written with them (Société Générale) are fine.
                let alias_has_non_ascii = !alias.is_ascii();
                let homoglyph = !differences.is_empty() && !alias_has_non_ascii;
                if !homoglyph {
                    differences.clear();
                }
                return Some(BrandMention {
                    brand: brand.name.clone(),
                    alias: alias.clone(),
                    matched,
                    start,
                    end,
                    domains: brand.domains.clone(),
                    origin: brand.origin,
                    homoglyph,
                    misspelled: false,
                    differences,
                });
            }
        }
        None
    }

    /// A brand name misspelt by one letter in a display name ("Conta Microsft").
    fn misspelt_mention(&self, name: &FoldedName) -> Option<BrandMention> {
        if self.typo_names.is_empty() {
            return None;
        }
        for span in &name.spans {
            let seen = span.text.as_bytes();
            let (Some(&first), Some(&last)) = (seen.first(), seen.last()) else {
                continue;
            };
            if seen.len() + 1 < TYPO_MIN {
                continue;
            }
            let Some(candidates) = self.typo_names.get(&(first, last)) else {
                continue;
            };
            for &(b, ai) in candidates {
                let brand = &self.brands[b as usize];
                let Some((alias, tokens)) = brand.aliases.get(ai as usize) else {
                    continue;
                };
                if !tokens.first().is_some_and(|t| one_typo(seen, t.as_bytes())) {
                    continue;
                }
                return Some(BrandMention {
                    brand: brand.name.clone(),
                    alias: alias.clone(),
                    matched: name.chars[span.start..span.end].iter().collect(),
                    start: span.start,
                    end: span.end,
                    domains: brand.domains.clone(),
                    origin: brand.origin,
                    homoglyph: false,
                    misspelled: true,
                    differences: Vec::new(),
                });
            }
        }
        None
    }
}

fn target_suffix(domain: &str) -> &str {
    public_suffix(domain).unwrap_or("")
}

/// Allowed alignment cost (half-edits) for a target label of `len` ASCII characters.
fn limit_for(len: usize, generic: bool) -> u8 {
    match (len, generic) {
        // one hyphen at most ("d-hl"); other ops are refused in `label_match`
        (0..=3, _) => 1,
        (4, false) => 2,
        (4, true) => 1,
        (5..=8, false) => 2,
        (5..=8, true) => 1,
        (9..=12, false) => 3,
        (_, true) => 2,
        (_, false) => 4,
    }
}

// ---------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------

/// One folded character position of a label.
#[derive(Clone, Copy, Debug)]
struct Unit {
    /// Lower-case ASCII it looks like; 0x80 for characters with no ASCII lookalike.
    b: u8,
    /// Index of the source character in the label.
    src: usize,
    /// The source character is not ASCII.
    folded: bool,
}

fn units_of(chars: &[char], offset: usize) -> Vec<Unit> {
    let mut out = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate().take(MAX_LABEL) {
        let src = i + offset;
        match fold(c) {
            Fold::Same(b) => out.push(Unit {
                b,
                src,
                folded: false,
            }),
            Fold::One(b) => out.push(Unit {
                b,
                src,
                folded: true,
            }),
            Fold::Many(s) => out.extend(s.bytes().map(|b| Unit {
                b,
                src,
                folded: true,
            })),
            Fold::Nothing => {}
            Fold::Opaque => out.push(Unit {
                b: 0x80,
                src,
                folded: true,
            }),
        }
    }
    out
}

/// Index form: hyphens dropped, ASCII lookalikes merged ('1','i' → 'l', '0' → 'o',
/// "rn"/"nn" → 'm', "vv" → 'w', "cl" → 'd'). Only used to find candidates quickly.
fn index_form(units: &[Unit]) -> Vec<u8> {
    index_form_merging(units).0
}

/// [`index_form`], and whether it merged a digraph: when it did not, it equals
/// [`plain_form`] (the same bytes pushed in the same order).
fn index_form_merging(units: &[Unit]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(units.len());
    let mut merged = false;
    let mut i = 0;
    while i < units.len() {
        let b = units[i].b;
        let next = units.get(i + 1).map(|u| u.b);
        let pair = match (b, next) {
            (b'r' | b'n', Some(b'n')) => Some(b'm'),
            (b'v', Some(b'v')) => Some(b'w'),
            (b'c', Some(b'l')) => Some(b'd'),
            _ => None,
        };
        if let Some(p) = pair {
            out.push(v_byte(p));
            merged = true;
            i += 2;
            continue;
        }
        if b != b'-' {
            out.push(v_byte(b));
        }
        i += 1;
    }
    (out, merged)
}

/// Index form without digraph merging: hyphens dropped, single lookalikes merged.
fn plain_form(units: &[Unit]) -> Vec<u8> {
    units
        .iter()
        .filter(|u| u.b != b'-')
        .map(|u| v_byte(u.b))
        .collect()
}

/// Merges ASCII lookalikes for indexing (the alignment then prices each one).
fn v_byte(b: u8) -> u8 {
    match b {
        b'1' | b'i' | b'|' => b'l',
        b'0' => b'o',
        b'u' => b'v',
        b'e' => b'c',
        b'q' => b'g',
        b'd' => b'b',
        b'r' | b'm' => b'n',
        b'8' => b'3',
        b'9' => b'6',
        _ => b,
    }
}

/// Which two-character deletions to generate besides none and one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Two {
    None,
    /// Adjacent pairs only (an "es" added, a doubled insertion).
    Adjacent,
}

/// Calls `f(key, deletions)` for `s` with 0, 1 and (per `two`) 2 characters deleted.
fn for_each_key(s: &[u8], two: Two, mut f: impl FnMut(u64, u8)) {
    let n = s.len();
    if !(2..=MAX_LABEL).contains(&n) {
        f(key(s), 0);
        return;
    }
    // The hash of a shortened string from those of the parts around the cut: nothing is
    // copied or hashed again (the same keys as hashing each shortened string).
    let prefix = poly_prefixes(s);
    let mut power = [1u64; MAX_LABEL + 1];
    let mut suffix = [0u64; MAX_LABEL + 1];
    for i in 1..=n {
        power[i] = power[i - 1].wrapping_mul(POLY);
    }
    for i in (0..n).rev() {
        suffix[i] = u64::from(s[i])
            .wrapping_mul(power[n - 1 - i])
            .wrapping_add(suffix[i + 1]);
    }
    let cut = |i: usize, len: usize| {
        let rest = n - i - len;
        prefix[i]
            .wrapping_mul(power[rest])
            .wrapping_add(suffix[i + len])
    };
    f(finish_key(prefix[n], n), 0);
    for i in 0..n {
        f(finish_key(cut(i, 1), n - 1), 1);
    }
    if n < 4 {
        return;
    }
    match two {
        Two::None => {}
        Two::Adjacent => {
            for i in 0..n - 1 {
                f(finish_key(cut(i, 2), n - 2), 2);
            }
        }
    }
}

/// [`poly`] hashes of every prefix of `s` (at most [`MAX_LABEL`] bytes are read): the key
/// of `s[..len]` is `finish_key(states[len], len)`.
fn poly_prefixes(s: &[u8]) -> [u64; MAX_LABEL + 1] {
    let mut states = [0; MAX_LABEL + 1];
    for (i, &b) in s.iter().take(MAX_LABEL).enumerate() {
        states[i + 1] = poly(states[i], &[b]);
    }
    states
}

/// Which of a [`histogram`]'s counts are not zero, as bits.
fn letter_mask(counts: &[u8; 32]) -> u32 {
    (0..32)
        .filter(|&i| counts[i] != 0)
        .fold(0, |m, i| m | 1 << i)
}

/// Letter counts (by byte value modulo 32) of an index form.
fn histogram(s: &[u8]) -> [u8; 32] {
    let mut h = [0u8; 32];
    for &b in s {
        h[usize::from(b & 31)] = h[usize::from(b & 31)].saturating_add(1);
    }
    h
}

/// Target labels at least this long (index form) may differ by two typos.
const TWO_TYPO_LEN: usize = 13;

struct SubLabel {
    text: String,
    chars: Vec<char>,
    units: Vec<Unit>,
    /// Length in characters.
    len: usize,
}

struct Query {
    host: String,
    suffix: String,
    chars: Vec<char>,
    units: Vec<Unit>,
    sub: Vec<SubLabel>,
}

impl Query {
    fn new(host: &str) -> Option<Query> {
        let host = host.trim().trim_end_matches('.');
        if host.is_empty() || host.len() > 253 || !host.is_ascii() {
            return None;
        }
        let host = host.to_ascii_lowercase();
        if host.split('.').any(|l| l.is_empty() || l.len() > MAX_LABEL)
            || host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        {
            return None;
        }
        let reg = registrable_domain(&host)?;
        // The registrable domain is one label before the public suffix (the same answer as
        // `public_suffix(reg)`, without a second walk of the list).
        let (label, suffix) = reg.split_once('.')?;
        let chars = decode_label(label).unwrap_or_else(|| label.chars().collect());
        let units = units_of(&chars, 0);
        let sub_part = &host[..host.len() - reg.len()];
        let sub = sub_part
            .trim_end_matches('.')
            .split('.')
            .filter(|s| !s.is_empty())
            .take(MAX_LABELS)
            .map(|s| {
                let chars = decode_label(s).unwrap_or_else(|| s.chars().collect());
                SubLabel {
                    text: s.to_string(),
                    units: units_of(&chars, 0),
                    len: chars.len(),
                    chars,
                }
            })
            .collect();
        Some(Query {
            suffix: suffix.to_string(),
            host,
            chars,
            units,
            sub,
        })
    }

    fn registrable_unicode(&self) -> String {
        let label: String = self.chars.iter().collect();
        format!("{label}.{}", self.suffix)
    }

    fn host_unicode(&self) -> String {
        self.host
            .split('.')
            .map(|l| {
                decode_label(l)
                    .map(|c| c.into_iter().collect())
                    .unwrap_or_else(|| l.to_string())
            })
            .collect::<Vec<String>>()
            .join(".")
    }
}

// ---------------------------------------------------------------------------------------
// Alignment
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OpKind {
    /// A non-ASCII character folded onto the same ASCII letter (cost 0).
    Fold,
    /// An ASCII lookalike substitution, single or digraph.
    Visual,
    Sub,
    Ins,
    Del,
    Swap,
    Plural,
    Dot,
    /// A hyphen inserted or removed (cost 1; not a typo: it never makes another word).
    Hyphen,
}

#[derive(Clone, Copy, Debug)]
struct Op {
    kind: OpKind,
    /// Character range in the checked label.
    ci: usize,
    cn: usize,
    /// Byte range in the target label.
    bj: usize,
    bn: usize,
}

impl Op {
    fn is_typo(&self) -> bool {
        !matches!(self.kind, OpKind::Fold | OpKind::Visual | OpKind::Hyphen)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Label,
    Dot,
    Keyword,
    Subdomain,
}

#[derive(Debug)]
struct Match {
    target: u32,
    cost: u8,
    ops: Vec<Op>,
    kind: Kind,
    keyword: Option<String>,
    sub_label: Option<usize>,
}

impl Match {
    fn with_kind(mut self, kind: Kind) -> Match {
        self.kind = kind;
        self
    }
    /// Lower is better.
    fn rank(&self) -> (u8, u8) {
        let k = match self.kind {
            Kind::Label => 0,
            Kind::Dot => 1,
            Kind::Keyword => 2,
            Kind::Subdomain => 3,
        };
        (self.cost, k)
    }
}

/// Cost (half-edits) of seeing `a` where `b` is expected, for two different ASCII bytes.
fn sub_cost(a: u8, b: u8) -> (u8, bool) {
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    match (x, y) {
        // UTS #39 confusables among ASCII.
        (b'1', b'l') | (b'0', b'o') => (0, true),
        (b'1', b'i')
        | (b'i', b'l')
        | (b'u', b'v')
        | (b'c', b'e')
        | (b'g', b'q')
        | (b'b', b'd')
        | (b'n', b'r')
        | (b'm', b'n')
        | (b'3', b'8')
        | (b'6', b'9') => (1, true),
        _ => (2, false),
    }
}

/// Two checked characters that look like one expected character, and their cost.
fn digraph(a0: u8, a1: u8, b: u8) -> Option<u8> {
    match (a0, a1, b) {
        (b'r', b'n', b'm') => Some(0),
        (b'n', b'n', b'm')
        | (b'v', b'v', b'w')
        | (b'c', b'l', b'd')
        | (b'd', b'l', b'd')
        | (b'l', b'b', b'b')
        | (b'l', b'h', b'h')
        | (b'l', b'c', b'k') => Some(1),
        _ => None,
    }
}

/// Weighted Damerau-Levenshtein alignment of a checked label (folded units) against a
/// target label; `None` when the cost exceeds `limit`. Ops are in label order.
fn align(units: &[Unit], target: &[u8], limit: u8) -> Option<(u8, Vec<Op>)> {
    let n = units.len();
    let m = target.len();
    if n == 0 || m == 0 || n > MAX_LABEL || m > MAX_LABEL || n.abs_diff(m) > usize::from(limit) {
        return None;
    }
    const INF: u8 = 200;
    let w = m + 1;
    let mut d = vec![INF; (n + 1) * w];
    let a = |i: usize| units[i].b;
    d[0] = 0;
    for j in 1..=m {
        d[j] = d[j - 1].saturating_add(if target[j - 1] == b'-' { 1 } else { 2 });
    }
    for i in 1..=n {
        d[i * w] = d[(i - 1) * w].saturating_add(if a(i - 1) == b'-' { 1 } else { 2 });
        let mut row_min = d[i * w];
        for j in 1..=m {
            let (ai, bj) = (a(i - 1), target[j - 1]);
            let mut best = INF;
            let s = if ai == bj { 0 } else { sub_cost(ai, bj).0 };
            best = best.min(d[(i - 1) * w + j - 1].saturating_add(s));
            best = best.min(d[(i - 1) * w + j].saturating_add(if ai == b'-' { 1 } else { 2 }));
            best = best.min(d[i * w + j - 1].saturating_add(if bj == b'-' { 1 } else { 2 }));
            if i >= 2 && j >= 2 && ai == target[j - 2] && a(i - 2) == bj && ai != bj {
                best = best.min(d[(i - 2) * w + j - 2].saturating_add(2));
            }
            if i >= 2
                && let Some(c) = digraph(a(i - 2), ai, bj)
            {
                best = best.min(d[(i - 2) * w + j - 1].saturating_add(c));
            }
            if j >= 2
                && let Some(c) = digraph(target[j - 2], bj, ai)
            {
                best = best.min(d[(i - 1) * w + j - 2].saturating_add(c));
            }
            if i >= 2 && a(i - 2) == b'e' && ai == b's' {
                best = best.min(d[(i - 2) * w + j].saturating_add(2));
            }
            d[i * w + j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit.saturating_add(2) {
            return None;
        }
    }
    let cost = d[n * w + m];
    if cost > limit {
        return None;
    }
    // Backtrack, preferring the cheapest explanation in a fixed order.
    let mut ops: Vec<Op> = Vec::new();
    let (mut i, mut j) = (n, m);
    let mut steps = 0;
    while (i > 0 || j > 0) && steps < 4 * (n + m + 2) {
        steps += 1;
        let cur = d[i * w + j];
        let src = |k: usize| units[k].src;
        let span = |from: usize, to: usize| -> (usize, usize) {
            // character range covered by units[from..to]
            if from >= to {
                let c = if from < n {
                    src(from)
                } else {
                    units.last().map_or(0, |u| u.src + 1)
                };
                return (c, 0);
            }
            let s = src(from);
            let e = src(to - 1);
            (s, e - s + 1)
        };
        if i > 0 && j > 0 {
            let (ai, bj) = (a(i - 1), target[j - 1]);
            if ai == bj && d[(i - 1) * w + j - 1] == cur {
                if units[i - 1].folded {
                    let (ci, cn) = span(i - 1, i);
                    ops.push(Op {
                        kind: OpKind::Fold,
                        ci,
                        cn,
                        bj: j - 1,
                        bn: 1,
                    });
                }
                i -= 1;
                j -= 1;
                continue;
            }
            if ai != bj {
                let (s, visual) = sub_cost(ai, bj);
                if d[(i - 1) * w + j - 1].saturating_add(s) == cur {
                    let (ci, cn) = span(i - 1, i);
                    ops.push(Op {
                        kind: if visual { OpKind::Visual } else { OpKind::Sub },
                        ci,
                        cn,
                        bj: j - 1,
                        bn: 1,
                    });
                    i -= 1;
                    j -= 1;
                    continue;
                }
            }
        }
        if i >= 2
            && j >= 1
            && let Some(c) = digraph(a(i - 2), a(i - 1), target[j - 1])
            && d[(i - 2) * w + j - 1].saturating_add(c) == cur
        {
            let (ci, cn) = span(i - 2, i);
            ops.push(Op {
                kind: OpKind::Visual,
                ci,
                cn,
                bj: j - 1,
                bn: 1,
            });
            i -= 2;
            j -= 1;
            continue;
        }
        if i >= 1
            && j >= 2
            && let Some(c) = digraph(target[j - 2], target[j - 1], a(i - 1))
            && d[(i - 1) * w + j - 2].saturating_add(c) == cur
        {
            let (ci, cn) = span(i - 1, i);
            ops.push(Op {
                kind: OpKind::Visual,
                ci,
                cn,
                bj: j - 2,
                bn: 2,
            });
            i -= 1;
            j -= 2;
            continue;
        }
        if i >= 2
            && j >= 2
            && a(i - 1) == target[j - 2]
            && a(i - 2) == target[j - 1]
            && a(i - 1) != a(i - 2)
            && d[(i - 2) * w + j - 2].saturating_add(2) == cur
        {
            let (ci, cn) = span(i - 2, i);
            ops.push(Op {
                kind: OpKind::Swap,
                ci,
                cn,
                bj: j - 2,
                bn: 2,
            });
            i -= 2;
            j -= 2;
            continue;
        }
        if i >= 2
            && a(i - 2) == b'e'
            && a(i - 1) == b's'
            && d[(i - 2) * w + j].saturating_add(2) == cur
        {
            let (ci, cn) = span(i - 2, i);
            ops.push(Op {
                kind: OpKind::Plural,
                ci,
                cn,
                bj: j,
                bn: 0,
            });
            i -= 2;
            continue;
        }
        if i >= 1 {
            let c = if a(i - 1) == b'-' { 1 } else { 2 };
            if d[(i - 1) * w + j].saturating_add(c) == cur {
                let (ci, cn) = span(i - 1, i);
                ops.push(Op {
                    kind: if c == 1 { OpKind::Hyphen } else { OpKind::Ins },
                    ci,
                    cn,
                    bj: j,
                    bn: 0,
                });
                i -= 1;
                continue;
            }
        }
        if j >= 1 {
            let (ci, _) = span(i, i);
            ops.push(Op {
                kind: if target[j - 1] == b'-' {
                    OpKind::Hyphen
                } else {
                    OpKind::Del
                },
                ci,
                cn: 0,
                bj: j - 1,
                bn: 1,
            });
            j -= 1;
            continue;
        }
        break;
    }
    ops.reverse();
    Some((cost, ops))
}

/// Names the technique and kind of change for one alignment op.
fn classify(op: &Op, found: &str, expected: &str, label: &[u8]) -> (Change, Technique) {
    let fb = found.as_bytes();
    let eb = expected.as_bytes();
    match op.kind {
        OpKind::Fold => (Change::Replaced, Technique::Homoglyph),
        OpKind::Visual => {
            if found.is_ascii() {
                (Change::Replaced, Technique::AsciiHomoglyph)
            } else {
                (Change::Replaced, Technique::Homoglyph)
            }
        }
        OpKind::Sub => {
            let (Some(&x), Some(&y)) = (fb.first(), eb.first()) else {
                return (Change::Replaced, Technique::EditDistance);
            };
            let t = if !found.is_ascii() {
                Technique::Homoglyph
            } else if keyboard_adjacent(x, y) {
                Technique::KeyboardAdjacent
            } else if is_vowel(x) && is_vowel(y) {
                Technique::VowelSwap
            } else if (x ^ y).is_power_of_two() {
                Technique::Bitsquatting
            } else {
                Technique::EditDistance
            };
            (Change::Replaced, t)
        }
        OpKind::Ins => {
            let Some(&x) = fb.first() else {
                return (Change::Inserted, Technique::EditDistance);
            };
            let prev = op.bj.checked_sub(1).and_then(|k| label.get(k)).copied();
            let next = label.get(op.bj).copied();
            let t = if x == b'-' {
                Technique::Hyphenation
            } else if Some(x) == prev || Some(x) == next {
                Technique::Repetition
            } else if x == b's' && op.bj == label.len() {
                Technique::Plural
            } else if prev.is_some_and(|p| keyboard_adjacent(x, p))
                || next.is_some_and(|p| keyboard_adjacent(x, p))
            {
                Technique::KeyboardAdjacent
            } else {
                Technique::EditDistance
            };
            (Change::Inserted, t)
        }
        OpKind::Del => {
            if eb == b"-" {
                (Change::Omitted, Technique::Hyphenation)
            } else {
                (Change::Omitted, Technique::Omission)
            }
        }
        OpKind::Swap => (Change::Transposed, Technique::Transposition),
        OpKind::Plural => (Change::Inserted, Technique::Plural),
        OpKind::Dot => (Change::Inserted, Technique::DotInsertion),
        OpKind::Hyphen if found.is_empty() => (Change::Omitted, Technique::Hyphenation),
        OpKind::Hyphen => (Change::Inserted, Technique::Hyphenation),
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Neighbouring keys on QWERTY, QWERTZ or AZERTY.
fn keyboard_adjacent(a: u8, b: u8) -> bool {
    const ROWS: [&[u8]; 8] = [
        b"1234567890-",
        b"qwertyuiop",
        b"asdfghjkl",
        b"zxcvbnm",
        b"qwertzuiop",
        b"yxcvbnm",
        b"azertyuiop",
        b"wxcvbn",
    ];
    const AZERTY_MID: &[u8] = b"qsdfghjklm";
    if a == b {
        return false;
    }
    let pos = |rows: &[&[u8]], c: u8| -> Option<(usize, usize)> {
        rows.iter()
            .enumerate()
            .find_map(|(r, row)| row.iter().position(|&x| x == c).map(|p| (r, p)))
    };
    let layouts: [[&[u8]; 4]; 3] = [
        [ROWS[0], ROWS[1], ROWS[2], ROWS[3]],
        [ROWS[0], ROWS[4], ROWS[2], ROWS[5]],
        [ROWS[0], ROWS[6], AZERTY_MID, ROWS[7]],
    ];
    layouts.iter().any(|rows| {
        let (Some((ra, pa)), Some((rb, pb))) = (pos(rows, a), pos(rows, b)) else {
            return false;
        };
        (ra == rb && pa.abs_diff(pb) == 1)
            || (ra.abs_diff(rb) == 1 && {
                // staggered rows: the lower row is shifted half a key to the right
                let (upper, lower) = if ra < rb { (pa, pb) } else { (pb, pa) };
                lower == upper || lower + 1 == upper
            })
    })
}

// ---------------------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------------------

/// Words phishers attach to brand names (and domain-ish words like "com").
const KEYWORDS: &[&str] = &[
    "access",
    "account",
    "accounts",
    "acct",
    "activate",
    "activation",
    "admin",
    "alert",
    "alerts",
    "app",
    "apps",
    "auth",
    "authentication",
    "bank",
    "banking",
    "benefits",
    "bill",
    "billing",
    "bonus",
    "card",
    "care",
    "cart",
    "case",
    "center",
    "centre",
    "check",
    "claim",
    "client",
    "cloud",
    "co",
    "com",
    "confirm",
    "confirmation",
    "connect",
    "corp",
    "crm",
    "customer",
    "customers",
    "de",
    "delivery",
    "desk",
    "dispute",
    "doc",
    "docs",
    "document",
    "documents",
    "drive",
    "email",
    "es",
    "eu",
    "express",
    "file",
    "files",
    "fr",
    "gift",
    "global",
    "group",
    "help",
    "helpdesk",
    "home",
    "id",
    "inc",
    "info",
    "invoice",
    "invoices",
    "it",
    "link",
    "live",
    "login",
    "logon",
    "mail",
    "member",
    "members",
    "mfa",
    "my",
    "net",
    "notice",
    "notification",
    "notifications",
    "now",
    "official",
    "online",
    "order",
    "orders",
    "org",
    "otp",
    "package",
    "parcel",
    "pass",
    "password",
    "pay",
    "payment",
    "payments",
    "payroll",
    "portal",
    "post",
    "prize",
    "protect",
    "protection",
    "recover",
    "recovery",
    "refund",
    "refunds",
    "reset",
    "resolution",
    "resolve",
    "restore",
    "reward",
    "rewards",
    "safe",
    "safety",
    "secure",
    "security",
    "service",
    "services",
    "session",
    "share",
    "shipment",
    "shipping",
    "shop",
    "sign",
    "signin",
    "site",
    "sso",
    "storage",
    "store",
    "support",
    "team",
    "the",
    "today",
    "token",
    "track",
    "tracking",
    "uk",
    "unlock",
    "update",
    "updates",
    "us",
    "user",
    "users",
    "validate",
    "validation",
    "verification",
    "verified",
    "verify",
    "wallet",
    "web",
    "webmail",
    "www",
];

/// The positions where `pre` is true, in order, each with the position of the first hyphen
/// of `vform` at or after it (`vform.len()` if none): [`Index::keyword_match`] tries pieces
/// only from there, and skips those that reach a hyphen. Both are at most [`MAX_LABEL`] long.
fn piece_starts(pre: &[bool], vform: &[u8]) -> ([(u8, u8); MAX_LABEL], usize) {
    let mut out = [(0, 0); MAX_LABEL];
    let mut count = 0;
    let mut hyphen = vform.len();
    for i in (0..pre.len().min(vform.len()).min(MAX_LABEL)).rev() {
        if vform[i] == b'-' {
            hyphen = i;
        }
        if pre[i] {
            out[count] = (i as u8, hyphen as u8);
            count += 1;
        }
    }
    out[..count].reverse();
    (out, count)
}

/// Domain endings that typosquatters glue onto a brand ("paypalcom.com").
fn is_tld_word(w: &[u8]) -> bool {
    matches!(
        w,
        b"com" | b"net" | b"org" | b"co" | b"us" | b"uk" | b"de" | b"io" | b"gov" | b"info"
    )
}

/// Lengths of the keywords, digit or hyphen that `s` starts with.
fn keyword_lengths_at(s: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let first = s.first().copied();
    let single = match first {
        Some(b) if b == b'-' || b.is_ascii_digit() => Some(1),
        _ => None,
    };
    let (lo, hi) = first.map_or((0, 0), |b| KEYWORD_RANGES[usize::from(b)]);
    let words = KEYWORDS
        .get(usize::from(lo)..usize::from(hi))
        .unwrap_or(&[])
        .iter()
        .filter(move |k| s.starts_with(k.as_bytes()))
        .map(|k| k.len());
    single.into_iter().chain(words)
}

/// For each byte, the range of [`KEYWORDS`] (sorted) starting with it.
static KEYWORD_RANGES: [(u16, u16); 256] = {
    let mut t = [(0u16, 0u16); 256];
    let mut k = 0;
    while k < KEYWORDS.len() {
        let b = KEYWORDS[k].as_bytes()[0] as usize;
        if t[b].1 == 0 {
            t[b].0 = k as u16;
        }
        t[b].1 = k as u16 + 1;
        k += 1;
    }
    t
};

fn is_keyword(w: &[u8]) -> bool {
    KEYWORDS.binary_search_by(|k| k.as_bytes().cmp(w)).is_ok()
}

/// If `before` and `after` (hyphens allowed) are made only of keywords and digits, the
/// keywords joined with '+'; `None` otherwise or when both are empty.
fn keywords_only(before: &[u8], after: &[u8]) -> Option<String> {
    let mut words = Vec::new();
    for part in [before, after] {
        for piece in part.split(|&b| b == b'-') {
            if piece.is_empty() {
                continue;
            }
            segment(piece, &mut words)?;
        }
    }
    if words.is_empty() {
        return None;
    }
    Some(words.join("+"))
}

/// Splits `s` into keywords and digit runs (longest first, bounded); pushes the keywords.
fn segment(s: &[u8], words: &mut Vec<String>) -> Option<()> {
    let n = s.len();
    if n > MAX_LABEL {
        return None;
    }
    // reach[i]: the start of the piece that ends at i, if s[..i] can be segmented.
    let mut reach: [Option<usize>; 64] = [None; 64];
    reach[0] = Some(0);
    for i in 0..n {
        if reach[i].is_none() {
            continue;
        }
        for l in 1..=14.min(n - i) {
            let piece = &s[i..i + l];
            if (is_keyword(piece) || piece.iter().all(u8::is_ascii_digit)) && reach[i + l].is_none()
            {
                reach[i + l] = Some(i);
            }
        }
    }
    reach[n]?;
    let mut pieces = Vec::new();
    let mut end = n;
    let mut guard = 0;
    while end > 0 && guard <= n {
        guard += 1;
        let start = reach[end]?;
        let piece = &s[start..end];
        if !piece.iter().all(u8::is_ascii_digit) {
            pieces.push(String::from_utf8_lossy(piece).into_owned());
        }
        end = start;
    }
    pieces.reverse();
    if pieces.is_empty() && words.is_empty() {
        // digits only ("paypal365"): still a combination
        pieces.push(String::from_utf8_lossy(s).into_owned());
    }
    words.extend(pieces);
    Some(())
}

/// Words that may surround a generic brand name in a display name ("Chase Support").
fn is_name_keyword(w: &str) -> bool {
    matches!(
        w,
        "team"
            | "support"
            | "service"
            | "services"
            | "security"
            | "account"
            | "accounts"
            | "billing"
            | "alert"
            | "alerts"
            | "notification"
            | "notifications"
            | "customer"
            | "online"
            | "help"
            | "noreply"
            | "no"
            | "reply"
            | "official"
            | "inc"
            | "ltd"
            | "llc"
            | "bank"
            | "card"
            | "payments"
            | "verification"
            | "center"
            | "centre"
            | "the"
            | "via"
            | "from"
            | "id"
            | "mail"
            | "care"
            | "info"
            | "desk"
            | "admin"
    )
}

/// Words that make any brand mention in a display name pointed.
fn is_strong_name_keyword(w: &str) -> bool {
    matches!(
        w,
        "support"
            | "security"
            | "billing"
            | "alert"
            | "alerts"
            | "verification"
            | "noreply"
            | "account"
            | "accounts"
    )
}

// ---------------------------------------------------------------------------------------
// Display names
// ---------------------------------------------------------------------------------------

struct NameSpan {
    /// Lookalikes merged (`v_byte`), for matching brand names.
    text: String,
    /// Folded to ASCII only, for context words.
    raw: String,
    /// Character range in the original name.
    start: usize,
    end: usize,
}

/// What one character of a display name adds to its token.
enum Piece {
    Byte(u8),
    Str(&'static str),
    Lower(char),
    Nothing,
}

/// A display name folded to lower-case ASCII word tokens, remembering positions.
struct FoldedName {
    chars: Vec<char>,
    spans: Vec<NameSpan>,
}

impl FoldedName {
    /// The ways to read a name: dots separate words ("Amazon.com", "Bradesco.recompensas"),
    /// and, when it has any, dots join them ("Pay.Pal.", a brand split to dodge filters).
    fn readings(name: &str) -> Vec<FoldedName> {
        // Joining changes nothing unless a dot sits inside a word ("Pay.Pal", not "L. Beberg").
        let joins = name
            .as_bytes()
            .windows(3)
            .any(|w| w[1] == b'.' && !w[0].is_ascii_whitespace() && !w[2].is_ascii_whitespace());
        let mut out = vec![FoldedName::new(name, false)];
        if joins {
            out.push(FoldedName::new(name, true));
        }
        out
    }

    fn new(name: &str, dot_joins: bool) -> FoldedName {
        let chars: Vec<char> = name.chars().take(MAX_NAME_CHARS).collect();
        let mut spans: Vec<NameSpan> = Vec::new();
        let mut cur: Option<NameSpan> = None;
        for (i, &c) in chars.iter().enumerate() {
            // What the character adds to the current token, or `None` when it ends the token.
            let piece: Option<Piece> = match fold(c) {
                Fold::Same(b'-') => None,
                Fold::Same(b) | Fold::One(b) => Some(Piece::Byte(b)),
                Fold::Many(s) => Some(Piece::Str(s)),
                Fold::Nothing => Some(Piece::Nothing),
                Fold::Opaque => {
                    if c == '&' || c == '\'' || c == '\u{2019}' || (c == '.' && dot_joins) {
                        // "AT&T", "Lowe's" stay one token
                        Some(Piece::Nothing)
                    } else if c.is_alphanumeric() {
                        Some(Piece::Lower(c))
                    } else {
                        None
                    }
                }
            };
            let Some(piece) = piece else {
                if let Some(s) = cur.take()
                    && !s.text.is_empty()
                {
                    spans.push(s);
                }
                continue;
            };
            let span = cur.get_or_insert_with(|| NameSpan {
                text: String::new(),
                raw: String::new(),
                start: i,
                end: i + 1,
            });
            match piece {
                Piece::Byte(b) => span.text.push(char::from(b)),
                Piece::Str(s) => span.text.push_str(s),
                Piece::Lower(c) => span.text.extend(c.to_lowercase()),
                Piece::Nothing => {}
            }
            span.end = i + 1;
        }
        if let Some(s) = cur.take()
            && !s.text.is_empty()
        {
            spans.push(s);
        }
        // A trailing '.' or '&' folded to nothing is not part of the token.
        for s in &mut spans {
            while s.end > s.start + 1
                && matches!(chars.get(s.end - 1), Some('.' | '&' | '\'' | '\u{2019}'))
            {
                s.end -= 1;
            }
        }
        for s in &mut spans {
            s.raw = s.text.clone();
            s.text = s.raw.bytes().map(|b| v_byte(b) as char).collect();
        }
        FoldedName { chars, spans }
    }

    fn tokens(&self) -> Vec<String> {
        self.spans.iter().map(|s| s.text.clone()).collect()
    }
}

#[cfg(test)]
mod tests;
