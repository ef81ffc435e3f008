//! Unit tests of the lookalike engine: each technique positive and negative, evidence
//! strings, genuine domains staying clean.

use super::*;
use crate::test_rng::Lcg;
use std::collections::HashMap;

fn check(host: &str) -> Option<Lookalike> {
    builtin().check_domain(host)
}

fn techniques(host: &str) -> Vec<Technique> {
    check(host).map(|l| l.techniques).unwrap_or_default()
}

fn evidence(host: &str) -> Vec<String> {
    check(host).map(|l| l.evidence()).unwrap_or_default()
}

#[track_caller]
fn fires(host: &str, brand: &str, technique: Technique) {
    let l = check(host).unwrap_or_else(|| panic!("{host} should imitate {brand}"));
    assert_eq!(l.target.brand, brand, "{host}: {l:?}");
    assert!(
        l.techniques.contains(&technique),
        "{host}: expected {technique:?}, got {:?}",
        l.techniques
    );
}

#[track_caller]
fn clean(host: &str) {
    assert_eq!(check(host), None, "{host} should not fire");
}

#[test]
fn builtin_set_is_large_enough() {
    assert!(builtin().brand_count() >= 150);
}

#[test]
fn homoglyph_cyrillic() {
    // pаypal.com with Cyrillic а (U+0430)
    fires("xn--pypal-4ve.com", "PayPal", Technique::Homoglyph);
    fires("xn--pypal-4ve.com", "PayPal", Technique::MixedScript);
    assert_eq!(
        evidence("xn--pypal-4ve.com")[0],
        "Cyrillic 'а' (U+0430) in place of Latin 'a'"
    );
    let l = check("xn--pypal-4ve.com").expect("pаypal");
    assert_eq!(l.label, "pаypal");
    assert_eq!(l.host_unicode, "pаypal.com");
    assert_eq!(l.differences[0].position, 1);
    assert_eq!(l.cost, 0);
    // whole-script Cyrillic аррӏе.com (no Latin letter at all)
    let l = check("xn--80ak6aa92e.com").expect("аррӏе.com");
    assert_eq!(l.target.brand, "Apple");
    assert!(l.techniques.contains(&Technique::Homoglyph));
    assert!(!l.techniques.contains(&Technique::MixedScript));
    assert_eq!(l.scripts, vec![Script::Cyrillic]);
}

#[test]
fn homoglyph_accents_and_hooks() {
    // gооgle with accents: göogle.com
    fires("xn--gogle-jua.com", "Google", Technique::Homoglyph);
    // ɑmazon.com (Latin alpha)
    fires("xn--mazon-zjc.com", "Amazon", Technique::Homoglyph);
}

#[test]
fn legit_single_script_idn_stays_clean() {
    clean("xn--mller-kva.de"); // müller.de
    clean("xn--bcher-kva.de"); // bücher.de
    clean("xn--strae-oqa.de"); // straße.de
    clean("xn--fiqs8s.cn"); // 中国.cn
    clean("xn--80aswg.xn--p1ai"); // сайт.рф
}

#[test]
fn ascii_homoglyphs() {
    fires("paypa1.com", "PayPal", Technique::AsciiHomoglyph);
    assert_eq!(evidence("paypa1.com"), vec!["'1' replaces 'l'".to_string()]);
    fires("rnicrosoft.com", "Microsoft", Technique::AsciiHomoglyph);
    assert_eq!(
        evidence("rnicrosoft.com"),
        vec!["'rn' replaces 'm'".to_string()]
    );
    fires("g00gle.com", "Google", Technique::AsciiHomoglyph);
    fires("vvellsfargo.com", "Wells Fargo", Technique::AsciiHomoglyph);
    fires("cocusign.com", "DocuSign", Technique::KeyboardAdjacent);
    fires("clocusign.com", "DocuSign", Technique::AsciiHomoglyph);
}

#[test]
fn keyboard_adjacent_typos() {
    fires("paypak.com", "PayPal", Technique::KeyboardAdjacent);
    fires("amazpn.com", "Amazon", Technique::KeyboardAdjacent);
    // insertion next to the key
    fires("amazoln.com", "Amazon", Technique::KeyboardAdjacent);
    assert!(!techniques("paypal.com").contains(&Technique::KeyboardAdjacent));
}

#[test]
fn transposition_omission_repetition() {
    fires("paypla.com", "PayPal", Technique::Transposition);
    assert_eq!(
        evidence("paypla.com"),
        vec!["'al' swapped to 'la' at position 5"]
    );
    fires("micrsoft.com", "Microsoft", Technique::Omission);
    assert_eq!(evidence("micrsoft.com"), vec!["'o' left out at position 5"]);
    fires("netfliix.com", "Netflix", Technique::Repetition);
}

#[test]
fn bitsquatting_and_vowel_swap() {
    // 'l' ^ 0x04 = 'h'
    fires("netfhix.com", "Netflix", Technique::Bitsquatting);
    fires("nitflix.com", "Netflix", Technique::VowelSwap);
    fires("amazen.com", "Amazon", Technique::VowelSwap);
}

#[test]
fn hyphenation_plural_dot() {
    fires("pay-pal.com", "PayPal", Technique::Hyphenation);
    assert_eq!(evidence("pay-pal.com"), vec!["hyphen added at position 4"]);
    fires("netflixs.com", "Netflix", Technique::Plural);
    fires("facebooks.com", "Facebook", Technique::Plural);
    assert!(check("facesbook.com").is_some());
    fires("pay.pal.com", "PayPal", Technique::DotInsertion);
    assert_eq!(evidence("pay.pal.com"), vec!["dot added at position 4"]);
}

#[test]
fn tld_swap() {
    fires("paypal.top", "PayPal", Technique::TldSwap);
    assert_eq!(
        evidence("paypal.top"),
        vec!["paypal.top is not paypal.com: same name, different ending"]
    );
    fires("docusign.co", "DocuSign", Technique::TldSwap);
    // short and generic labels: not on their own
    clean("ups.top");
    fires("d-hl.com", "DHL", Technique::Hyphenation);
    clean("apple.farm");
}

#[test]
fn brand_plus_keyword() {
    fires(
        "paypal-secure-login.com",
        "PayPal",
        Technique::BrandPlusKeyword,
    );
    fires("securepaypal.com", "PayPal", Technique::BrandPlusKeyword);
    fires(
        "microsoftonline-verify.net",
        "Microsoft",
        Technique::BrandPlusKeyword,
    );
    fires("paypalcom.com", "PayPal", Technique::BrandPlusKeyword);
    fires("dhl-tracking.info", "DHL", Technique::BrandPlusKeyword);
    let l = check("paypal-secure-login.com").expect("keyword");
    assert_eq!(l.keyword.as_deref(), Some("secure+login"));
    // not a keyword: no combination claimed
    clean("paypalindia-recipes.com");
    clean("applebees.com");
    clean("pineapple.com");
}

#[test]
fn brand_in_subdomain() {
    fires(
        "paypal.com.secure-login.top",
        "PayPal",
        Technique::BrandInSubdomain,
    );
    fires(
        "docusign.files-share.net",
        "DocuSign",
        Technique::BrandInSubdomain,
    );
    fires(
        "paypal-login.example.net",
        "PayPal",
        Technique::BrandInSubdomain,
    );
    // generic and short names only with their full domain
    clean("apple.example.org");
    clean("ups.example.org");
    fires(
        "apple.com.example.org",
        "Apple",
        Technique::BrandInSubdomain,
    );
}

#[test]
fn genuine_domains_never_fire() {
    for host in [
        "paypal.com",
        "www.paypal.com",
        "paypalobjects.com",
        "microsoftonline.com",
        "login.microsoftonline.com",
        "office.com",
        "live.com",
        "outlook.office365.com",
        "icloud.com",
        "me.com",
        "amazon.co.uk",
        "amazonses.com",
        "mail.google.com",
        "docusign.net",
        "hp.com",
        "hpe.com",
        "ups.com",
    ] {
        clean(host);
    }
    // platforms that are public suffixes: the apex is genuine, tenants are not
    clean("github.io");
    clean("blogspot.com");
    fires(
        "paypal-login.blogspot.com",
        "PayPal",
        Technique::BrandPlusKeyword,
    );
    for d in builtin().genuine_domains() {
        assert_eq!(builtin().check_domain(d), None, "{d}");
    }
}

#[test]
fn short_labels_need_exact_lookalikes() {
    clean("hq.com");
    clean("dhk.com");
    clean("upx.com");
    clean("vps.com");
    clean("bp.com");
    // but lookalike characters still count: dһl.com (Cyrillic һ)
    fires("xn--dl-4wc.com", "DHL", Technique::Homoglyph);
}

#[test]
fn ordinary_words_do_not_fire() {
    for host in [
        "example.com",
        "wikipedia.org",
        "github.com",
        "paris.fr",
        "chose.com",
        "apply.com",
        "maple.com",
        "google-analytics.com",
        "zoom.us",
        "boxing.com",
        "target.com",
        "delta.com",
        "visit.com",
        "netlify.com",
        "amazing.com",
        "deal.com",
        "mail.com",
        "yahoo.com",
        "ebay.com",
        "paypal-community.com",
    ] {
        clean(host);
    }
}

#[test]
fn garbage_does_not_panic() {
    for host in [
        "",
        ".",
        "..",
        "xn--",
        "xn--.com",
        "xn--zzzzzzzzzzzzzzzzzzz.com",
        "a..b",
        "192.168.0.1",
        "com",
        &"a".repeat(300),
        &format!("{}.com", "p".repeat(63)),
        &format!("{}.com", "ab.".repeat(120)),
        "PAYPA1.COM",
        "-.-",
        "ü.com",
    ] {
        let _ = check(host);
        let _ = builtin().check_display_name(host);
    }
    assert!(check("PAYPA1.COM").is_some());
}

#[test]
fn display_names() {
    let p = builtin();
    let m = p
        .check_display_name("PayPal Service")
        .expect("PayPal Service");
    assert_eq!(m.brand, "PayPal");
    assert_eq!((m.start, m.end), (0, 6));
    assert!(!m.homoglyph);
    let m = p.check_display_name("Ꮲaypal").expect("Cherokee P");
    assert_eq!(m.brand, "PayPal");
    assert!(m.homoglyph);
    assert_eq!(
        m.differences[0].describe(),
        "Cherokee 'Ꮲ' (U+13E2) in place of Latin 'p'"
    );
    let m = p
        .check_display_name("Microsoft 365 Team")
        .expect("Microsoft 365");
    assert_eq!(m.brand, "Microsoft");
    assert_eq!(m.alias, "Microsoft 365");
    assert!(p.check_display_name("\"DocuSign via Bob\"").is_some());
    assert!(p.check_display_name("Bank of America Alerts").is_some());
    // generic names need context
    assert!(p.check_display_name("Chase Smith").is_none());
    assert!(p.check_display_name("Chase Support").is_some());
    assert!(p.check_display_name("Target").is_some());
    // word boundaries
    assert!(p.check_display_name("Paypalooza Festival").is_none());
    assert!(p.check_display_name("Jane Doe").is_none());
    assert!(p.check_display_name("").is_none());
    // dots separate words, and a brand split by dots still reads as the brand
    let m = p.check_display_name("Amazon.com").expect("Amazon.com");
    assert_eq!((m.brand.as_str(), m.start, m.end), ("Amazon", 0, 6));
    let m = p.check_display_name("Booking.com").expect("Booking.com");
    assert_eq!(m.brand, "Booking.com");
    let m = p
        .check_display_name("Bradesco.recompensas")
        .expect("Bradesco.recompensas");
    assert_eq!((m.brand.as_str(), m.end), ("Bradesco", 8));
    let m = p.check_display_name("Pay.Pal.").expect("Pay.Pal.");
    assert_eq!((m.brand.as_str(), m.start, m.end), ("PayPal", 0, 7));
    assert!(p.check_display_name("j.smith").is_none());
    // one letter off a long brand name, first and last letters kept
    let m = p
        .check_display_name("Conta Microsft - Atendimento")
        .expect("Microsft");
    assert_eq!(
        (m.brand.as_str(), m.matched.as_str()),
        ("Microsoft", "Microsft")
    );
    assert!(m.misspelled && !m.homoglyph);
    assert!(
        p.check_display_name("Microsoft")
            .is_some_and(|m| !m.misspelled)
    );
    for other in [
        "Strike Team",
        "Goggle Shop",
        "Barclay Smith",
        "Discovery Channel",
        "Amazn",
    ] {
        assert!(p.check_display_name(other).is_none(), "{other}");
    }
}

#[test]
fn one_letter_typos() {
    use super::one_typo;
    for (seen, name) in [
        ("microsft", "microsoft"),
        ("microsooft", "microsoft"),
        ("micrsoooft", "microsoft"),
        ("mircosoft", "microsoft"),
        ("netflx", "netflix"),
        ("linkedn", "linkedin"),
    ] {
        let expected = seen != "micrsoooft";
        assert_eq!(
            one_typo(seen.as_bytes(), name.as_bytes()),
            expected,
            "{seen}"
        );
    }
    for (seen, name) in [
        ("microsoft", "microsoft"),
        ("nicrosoft", "microsoft"),
        ("microsofts", "microsoft"),
        ("netflux", "netflix"),
        ("amazn", "amazon"),
    ] {
        assert!(!one_typo(seen.as_bytes(), name.as_bytes()), "{seen}");
    }
}

#[test]
fn policy_targets_and_trust() {
    let policy = Policy {
        org_domains: vec!["contoso.com".into()],
        protected_domains: vec!["fabrikamfinance.com".into()],
        protected_brands: vec![crate::policy::Brand {
            name: "Northwind".into(),
            domains: vec!["northwindtraders.com".into()],
        }],
        trusted_domains: vec!["paypa1.com".into()],
        ..Policy::default()
    };
    let p = builtin().with_policy(&policy);
    let l = p.check_domain("c0ntoso.com").expect("org lookalike");
    assert_eq!(l.target.origin, Origin::Organisation);
    assert_eq!(l.target.domain, "contoso.com");
    assert!(p.check_domain("contoso.com").is_none());
    assert!(p.check_domain("mail.contoso.com").is_none());
    assert!(p.check_domain("fabrikamfinanse.com").is_some());
    assert!(p.check_domain("northwindtrader.com").is_some());
    assert_eq!(
        p.check_display_name("Northwind Billing").map(|m| m.origin),
        Some(Origin::PolicyBrand)
    );
    // trusted by policy: never fires
    assert!(p.check_domain("paypa1.com").is_none());
    assert!(builtin().check_domain("paypa1.com").is_some());
}

#[test]
fn serialises_camel_case() {
    let l = check("xn--pypal-4ve.com").expect("pаypal");
    let json = serde_json::to_string(&l).unwrap_or_default();
    assert!(json.contains("\"hostUnicode\":\"pаypal.com\""), "{json}");
    assert!(
        json.contains("\"techniques\":[\"homoglyph\",\"mixedScript\"]"),
        "{json}"
    );
    assert!(json.contains("\"origin\":\"builtIn\""), "{json}");
}

#[test]
fn technique_descriptions_exist() {
    assert!(!Technique::BrandInSubdomain.description().is_empty());
    assert!(keyboard_adjacent(b'q', b'w'));
    assert!(keyboard_adjacent(b'a', b'q'));
    assert!(!keyboard_adjacent(b'a', b'p'));
    let mut sorted = KEYWORDS.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, KEYWORDS, "KEYWORDS must stay sorted");
}

// ---------------------------------------------------------------------------------------
// Fast paths against the straightforward versions
// ---------------------------------------------------------------------------------------

/// The same set with its key filters unbuilt: every key goes to the map, every suffix to
/// the genuine set, as before the filters existed.
fn unfiltered(mut p: Protected) -> Protected {
    for f in [
        &mut p.index.near_keys,
        &mut p.index.exact_keys,
        &mut p.index.genuine_keys,
        &mut p.index.apex_keys,
    ] {
        *f = KeyFilter::default();
    }
    p
}

/// The ways typosquatters change a brand label: each typo kind, ASCII and Unicode
/// lookalikes, keywords around it, a dot inside it.
fn mutations(label: &str, rng: &mut Lcg) -> Vec<String> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    const SWAPS: &[(&str, &str)] = &[
        ("l", "1"),
        ("l", "i"),
        ("o", "0"),
        ("m", "rn"),
        ("m", "nn"),
        ("w", "vv"),
        ("d", "cl"),
        ("b", "lb"),
        ("e", "c"),
        ("a", "\u{430}"),
        ("e", "\u{435}"),
        ("o", "\u{43e}"),
        ("p", "\u{440}"),
        ("c", "\u{441}"),
        ("i", "\u{456}"),
        ("o", "\u{f6}"),
        ("u", "\u{fc}"),
        ("e", "\u{e9}"),
    ];
    let b = label.as_bytes();
    let n = b.len();
    let at = |rng: &mut Lcg| rng.below(n + 1);
    let letter = |rng: &mut Lcg| LETTERS[rng.below(LETTERS.len())] as char;
    let mut out = vec![label.to_string()];
    let i = at(rng);
    out.push(format!("{}{}{}", &label[..i], letter(rng), &label[i..]));
    for _ in 0..2 {
        let i = rng.below(n);
        out.push(format!("{}{}", &label[..i], &label[i + 1..]));
        out.push(format!("{}{}{}", &label[..i], letter(rng), &label[i + 1..]));
    }
    if n >= 2 {
        let i = rng.below(n - 1);
        let mut t = b.to_vec();
        t.swap(i, i + 1);
        out.push(String::from_utf8(t).unwrap_or_default());
        // two edits: long labels may still match
        let j = rng.below(n - 1);
        out.push(
            format!("{}{}{}", &label[..j], letter(rng), &label[j + 1..]).replacen(
                &label[i..=i],
                "",
                1,
            ),
        );
        out.push(format!("{}-{}", &label[..i + 1], &label[i + 1..]));
        out.push(format!("{}.{}", &label[..i + 1], &label[i + 1..]));
    }
    for (from, to) in SWAPS {
        if label.contains(from) {
            out.push(label.replacen(from, to, 1));
        }
    }
    out.push(format!("{label}s"));
    out.push(format!("{label}es"));
    out.push(format!("{label}{label}"));
    out
}

/// Hosts around the built-in targets and some ordinary ones, in every position a brand takes.
fn generated_hosts(labels: &[String], rng: &mut Lcg) -> Vec<String> {
    const KEYWORDS_USED: &[&str] = &[
        "login", "secure", "account", "verify", "support", "my", "online", "com", "365", "update",
        "mail", "www", "the", "app",
    ];
    const ENDINGS: &[&str] = &[
        "com",
        "net",
        "org",
        "co.uk",
        "de",
        "xyz",
        "top",
        "com.br",
        "github.io",
        "ck",
        "blogspot.com",
        "unknowntld",
    ];
    const WORDS: &[&str] = &[
        "example",
        "mail",
        "lists",
        "sourceforge",
        "spamassassin",
        "news",
        "weather",
        "shop",
        "mailman",
        "bounce",
        "images",
        "cdn",
        "click",
        "track",
        "newsletter",
        "account",
        "security",
        "service",
        "microsoftonline",
        "paypal",
        "amazon",
        "www",
        "apple",
    ];
    let mut hosts = Vec::new();
    let mut push = |host: String| {
        if let Ok(ascii) = idna::domain_to_ascii(&host) {
            hosts.push(ascii);
        }
    };
    for label in labels {
        for m in mutations(label, rng) {
            let end = rng.pick(ENDINGS);
            let word = rng.pick(WORDS);
            let kw = rng.pick(KEYWORDS_USED);
            push(format!("{m}.{end}"));
            push(format!("{m}-{kw}.{end}"));
            push(format!("{kw}{m}.{}", rng.pick(ENDINGS)));
            push(format!("{m}{kw}.com"));
            push(format!("{m}.{word}.{end}"));
            push(format!("{m}.com.{word}.{end}"));
            push(format!("{kw}-{m}.{word}.{end}"));
            push(format!("{word}.{m}.{end}"));
        }
    }
    for _ in 0..3000 {
        let (a, b) = (rng.pick(WORDS), rng.pick(WORDS));
        let kw = rng.pick(KEYWORDS_USED);
        push(format!("{a}.{b}.{}", rng.pick(ENDINGS)));
        push(format!("{a}{b}.{}", rng.pick(ENDINGS)));
        push(format!("{a}-{kw}.{b}.{}", rng.pick(ENDINGS)));
    }
    let freemail = include_str!("../../../../../shared/data/freemail-domains.txt");
    for line in freemail.lines().filter(|l| !l.starts_with('#')) {
        push(line.trim().to_string());
        push(format!("www.{}", line.trim()));
    }
    for odd in [
        "",
        ".",
        "..",
        "com",
        "com.",
        "paypal.com.",
        "a..paypal.com",
        "1.2.3.4",
        "PAYPAL.COM",
        " paypal.com ",
    ] {
        hosts.push(odd.to_string());
    }
    let long = format!("{}paypal.com", "a.".repeat(130));
    hosts.push(long);
    hosts
}

/// Every answer of the built-in set equals the answer of the same set without its key
/// filters, over brand-like mutations of every target, ordinary hosts and real domains; and
/// the one-pass genuine check equals looking up each suffix in turn.
#[test]
fn key_filters_change_no_answer() {
    let fast = builtin();
    let slow = unfiltered(Protected::new_builtin());
    let labels: Vec<String> = fast
        .index
        .targets
        .iter()
        .map(|t| String::from_utf8_lossy(&t.label).into_owned())
        .collect();
    let mut rng = Lcg(1);
    let hosts = generated_hosts(&labels, &mut rng);
    let (mut found, mut genuine) = (0, 0);
    for host in &hosts {
        let answer = fast.check_domain(host);
        assert_eq!(answer, slow.check_domain(host), "{host}");
        found += usize::from(answer.is_some());
        let is = fast.is_genuine(host);
        assert_eq!(is, fast.index.is_genuine_by_suffix(host), "{host}");
        genuine += usize::from(is);
    }
    for d in fast.genuine_domains() {
        for host in [d.to_string(), format!("www.{d}"), format!("{d}.evil.com")] {
            assert_eq!(
                fast.is_genuine(&host),
                fast.index.is_genuine_by_suffix(&host),
                "{host}"
            );
            genuine += usize::from(fast.is_genuine(&host));
        }
    }
    assert!(hosts.len() > 50_000, "{}", hosts.len());
    assert!(found > 5_000 && found < hosts.len() / 2, "{found}");
    assert!(genuine > 1_000, "{genuine}");
}

/// The same for a policy's set, with odd trusted domains (empty, a bare suffix, an apex).
#[test]
fn key_filters_change_no_policy_answer() {
    let policy = Policy {
        org_domains: vec!["contoso.com".into(), "fabrikam.co.uk".into()],
        protected_domains: vec!["northwindtraders.com".into(), "github.io".into()],
        protected_brands: vec![crate::policy::Brand {
            name: "Tailspin".into(),
            domains: vec!["tailspintoys.com".into(), "tailspin.de".into()],
        }],
        trusted_domains: vec!["paypa1.com".into(), "".into(), "net".into(), "x.y.".into()],
        ..Policy::default()
    };
    let fast = Protected::from_policy(&policy);
    let slow = unfiltered(Protected::from_policy(&policy));
    let labels: Vec<String> = ["contoso", "fabrikam", "northwindtraders", "tailspintoys"]
        .map(String::from)
        .to_vec();
    let mut rng = Lcg(2);
    let mut hosts = generated_hosts(&labels, &mut rng);
    hosts.extend(["x.y", "a.x.y", "x.y.", "contoso.com.", "a.net", "net"].map(String::from));
    let mut found = 0;
    for host in &hosts {
        let answer = fast.check_domain(host);
        assert_eq!(answer, slow.check_domain(host), "{host}");
        found += usize::from(answer.is_some());
        assert_eq!(
            fast.is_genuine(host),
            fast.index.is_genuine_by_suffix(host),
            "{host}"
        );
    }
    assert!(found > 100, "{found}");
}

/// Without a merged digraph the index form is the plain form, so `label_match` may skip
/// the plain form's look-up.
#[test]
fn plain_form_differs_only_after_a_merge() {
    let mut rng = Lcg(3);
    let mut merges = 0;
    for _ in 0..20_000 {
        let len = 1 + rng.below(12);
        let label: String = (0..len)
            .map(|_| b"rnvcldm-1ioe"[rng.below(12)] as char)
            .collect();
        let units = units_of(&label.chars().collect::<Vec<_>>(), 0);
        let (vform, merged) = index_form_merging(&units);
        assert_eq!(vform, index_form(&units));
        if merged {
            merges += 1;
        } else {
            assert_eq!(plain_form(&units), vform, "{label}");
        }
    }
    assert!(merges > 1_000);
}

/// The key of a prefix read from [`poly_prefixes`] is the key of the prefix, and
/// [`for_each_key`] yields the keys of the shortened strings.
#[test]
fn incremental_keys_are_the_keys() {
    let mut rng = Lcg(4);
    for _ in 0..500 {
        let len = rng.below(MAX_LABEL + 1);
        let s: Vec<u8> = (0..len).map(|_| b"abcl0-"[rng.below(6)]).collect();
        let states = poly_prefixes(&s);
        for l in 0..=len {
            assert_eq!(finish_key(states[l], l), key(&s[..l]));
        }
        let mut want = vec![(key(&s), 0)];
        if (2..=MAX_LABEL).contains(&len) {
            for i in 0..len {
                want.push((key(&[&s[..i], &s[i + 1..]].concat()), 1));
            }
            if len >= 4 {
                for i in 0..len - 1 {
                    want.push((key(&[&s[..i], &s[i + 2..]].concat()), 2));
                }
            }
        }
        let mut got = Vec::new();
        for_each_key(&s, Two::Adjacent, |k, d| got.push((k, d)));
        assert_eq!(got, want);
        let reversed: Vec<u8> = s.iter().rev().copied().collect();
        assert_eq!(suffix_key(&s), finish_key(fnv(FNV_OFFSET, &reversed), len));
    }
}

/// The letter-mask test in `near` only skips long targets the letter-count distance would
/// skip: a letter one form has and the other lacks adds at least one to that distance.
#[test]
fn letter_mask_bounds_the_count_distance() {
    let mut rng = Lcg(5);
    let mut skipped = 0;
    for _ in 0..50_000 {
        let form = |rng: &mut Lcg| -> Vec<u8> {
            let len = 10 + rng.below(12);
            (0..len).map(|_| b"abcdlnost-"[rng.below(10)]).collect()
        };
        let (a, b) = (form(&mut rng), form(&mut rng));
        let (ha, hb) = (histogram(&a), histogram(&b));
        let distance: u32 = ha
            .iter()
            .zip(&hb)
            .map(|(x, y)| u32::from(x.abs_diff(*y)))
            .sum();
        let differing = (letter_mask(&ha) ^ letter_mask(&hb)).count_ones();
        assert!(differing <= distance, "{a:?} {b:?}");
        if differing > 4 {
            skipped += 1;
        }
    }
    assert!(skipped > 100, "{skipped}");
}

/// The strings [`for_each_key`] hashes for `s`, with their deletion counts.
fn deletion_strings(s: &[u8], two: Two) -> Vec<(Vec<u8>, u8)> {
    let n = s.len();
    let mut out = vec![(s.to_vec(), 0)];
    if !(2..=MAX_LABEL).contains(&n) {
        return out;
    }
    for i in 0..n {
        out.push(([&s[..i], &s[i + 1..]].concat(), 1));
    }
    if n >= 4 && two == Two::Adjacent {
        for i in 0..n - 1 {
            out.push(([&s[..i], &s[i + 2..]].concat(), 2));
        }
    }
    out
}

/// `near` finds exactly the targets whose index or plain form, with at most one letter
/// deleted, equals the query's form with none, one or two neighbouring letters deleted, the
/// strings compared as strings (plus the long targets its letter counts admit): the 64-bit
/// keys lose nothing and add nothing, over the forms of every label of the generated hosts.
#[test]
fn near_is_the_deletion_neighbourhood() {
    let index = &builtin().index;
    let mut by_string: HashMap<Vec<u8>, Vec<u32>> = HashMap::new();
    for (t, target) in index.targets.iter().enumerate() {
        for form in [&target.vform, &target.plain] {
            for (v, _) in deletion_strings(form, Two::None) {
                by_string.entry(v).or_default().push(t as u32);
            }
        }
    }
    let labels: Vec<String> = index
        .targets
        .iter()
        .map(|t| String::from_utf8_lossy(&t.label).into_owned())
        .collect();
    let hosts = generated_hosts(&labels, &mut Lcg(6));
    let (mut got, mut checked, mut found) = (Vec::new(), 0, 0);
    for q in hosts.iter().filter_map(|h| Query::new(h)) {
        let all_units = std::iter::once(&q.units).chain(q.sub.iter().map(|s| &s.units));
        for units in all_units {
            for form in [index_form(units), plain_form(units)] {
                let mut want: Vec<u32> = Vec::new();
                if !form.is_empty() && form.len() <= index.max_len + 2 {
                    for (v, _) in deletion_strings(&form, Two::Adjacent) {
                        want.extend(by_string.get(&v).into_iter().flatten());
                    }
                    let h = histogram(&form);
                    let two_typos = index.long.iter().filter(|l| {
                        form.len() + 2 >= TWO_TYPO_LEN
                            && l.len.abs_diff(form.len()) <= 2
                            && h.iter()
                                .zip(&l.counts)
                                .map(|(a, b)| u32::from(a.abs_diff(*b)))
                                .sum::<u32>()
                                <= 4
                    });
                    want.extend(two_typos.map(|l| l.target));
                }
                want.sort_unstable();
                want.dedup();
                index.near(&form, &mut got);
                assert_eq!(got, want, "{}", String::from_utf8_lossy(&form));
                checked += 1;
                found += usize::from(!got.is_empty());
            }
        }
    }
    assert!(checked > 100_000 && found > 10_000, "{checked} {found}");
}

/// `exact` finds the targets whose index or plain form is the piece, compared as strings.
#[test]
fn exact_is_string_equality() {
    let index = &builtin().index;
    let is = |u: u32, form: &[u8]| {
        let u = &index.targets[u as usize];
        *u.vform == *form || *u.plain == *form
    };
    let mut got = Vec::new();
    let mut rng = Lcg(8);
    for target in &index.targets {
        for form in [target.vform.to_vec(), target.plain.to_vec()] {
            let mut pieces: Vec<Vec<u8>> = deletion_strings(&form, Two::Adjacent)
                .into_iter()
                .map(|(v, _)| v)
                .collect();
            let mut longer = form.clone();
            longer.insert(rng.below(form.len() + 1), b"aeo-"[rng.below(4)]);
            pieces.push(longer);
            for piece in pieces {
                index.exact(&piece, &mut got);
                let want: Vec<u32> = (0..index.targets.len() as u32)
                    .filter(|&u| is(u, &piece))
                    .collect();
                let mut sorted = got.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, want, "{}", String::from_utf8_lossy(&piece));
            }
        }
    }
}

/// `piece_starts` lists exactly the positions where a keyword run may end, and a piece from
/// there holds a hyphen exactly when it reaches the hyphen it names.
#[test]
fn piece_starts_are_the_keyword_ends() {
    let mut rng = Lcg(9);
    for _ in 0..20_000 {
        let n = 5 + rng.below(MAX_LABEL - 4);
        let vform: Vec<u8> = (0..n).map(|_| b"ab-c"[rng.below(4)]).collect();
        let pre: Vec<bool> = (0..n).map(|i| i == 0 || rng.below(5) == 0).collect();
        let (starts, count) = piece_starts(&pre, &vform);
        let want: Vec<usize> = (0..n).filter(|&i| pre[i]).collect();
        let got: Vec<usize> = starts[..count].iter().map(|&(s, _)| s.into()).collect();
        assert_eq!(got, want);
        for &(start, hyphen) in &starts[..count] {
            let (start, hyphen) = (usize::from(start), usize::from(hyphen));
            for len in 1..=n - start {
                let holds = vform[start..start + len].contains(&b'-');
                assert_eq!(holds, hyphen < start + len, "{vform:?} {start} {len}");
            }
        }
    }
}
