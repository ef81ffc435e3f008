//! Plain-text rendering for a person reading a terminal.
//!
//! Layout: the level (optionally coloured with ANSI escapes) and score, the banner, From and
//! Subject, then every finding with its severity, title, rule id and points, the explanation
//! wrapped at [`WIDTH`] columns, and one compact line per piece of evidence.
//!
//! Every string taken from the report goes through [`sanitize`], which replaces control
//! characters (C0, DEL, C1, including ESC), bidirectional controls and invisible formatting
//! characters with a visible `<U+XXXX>`, so a hostile message cannot move the cursor, recolour
//! the terminal or reorder what the reader sees.

use std::fmt::Write as _;

use crate::report::{
    AddressRole, AddressSummary, Evidence, Finding, Level, Location, Report, Severity,
};

/// Column at which explanations are wrapped.
pub const WIDTH: usize = 88;

/// Indent of a finding's explanation and evidence under its title.
const INDENT: &str = "      ";

/// Renders `report` for a terminal. With `color`, the level and severities carry ANSI colours
/// (green safe, yellow caution, red danger); without it the output is plain text.
pub fn text(report: &Report, color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();

    let level = report.verdict.level;
    let _ = writeln!(
        out,
        "{}  score {}/100",
        paint.level(level, &level.as_str().to_ascii_uppercase()),
        report.verdict.score
    );
    if let Some(banner) = &report.banner {
        let _ = writeln!(out, "{}", sanitize(&banner.text));
    }
    let msg = &report.message;
    let _ = writeln!(
        out,
        "From:    {}",
        msg.from
            .as_ref()
            .map(address)
            .unwrap_or_else(|| "(none)".to_string())
    );
    let _ = writeln!(
        out,
        "Subject: {}",
        msg.subject
            .as_deref()
            .map(sanitize)
            .unwrap_or_else(|| "(none)".to_string())
    );

    if report.findings.is_empty() {
        let _ = writeln!(out, "\nNo findings.");
        return out;
    }
    let n = report.findings.len();
    let _ = writeln!(out, "\n{n} finding{}:", if n == 1 { "" } else { "s" });
    for f in &report.findings {
        finding(&mut out, f, paint);
    }
    out
}

fn finding(out: &mut String, f: &Finding, paint: Paint) {
    let _ = writeln!(
        out,
        "\n{} {}",
        paint.severity(
            f.severity,
            &format!("{:<6}", f.severity.as_str().to_ascii_uppercase())
        ),
        paint.bold(&sanitize(&f.title)),
    );
    let mut meta = format!("{}, +{}", sanitize(&f.rule), f.score);
    if let Some(loc) = location_words(&f.location) {
        meta.push_str(", ");
        meta.push_str(&loc);
    }
    let _ = writeln!(out, "{INDENT}[{meta}]");
    for line in wrap(&sanitize(&f.explanation), WIDTH - INDENT.len()) {
        let _ = writeln!(out, "{INDENT}{line}");
    }
    for ev in &f.evidence {
        let _ = writeln!(out, "{INDENT}- {}", evidence_line(ev));
    }
}

/// Where a finding was seen, in words (`header From`, `part 1.2`, `link #3`), sanitised.
pub(crate) fn location_words(loc: &Location) -> Option<String> {
    match loc {
        Location::Header { name, index: 0 } => Some(format!("header {}", sanitize(name))),
        Location::Header { name, index } => {
            Some(format!("header {} #{}", sanitize(name), index + 1))
        }
        Location::Part { path } => Some(format!("part {}", sanitize(path))),
        Location::Message => None,
        Location::Link { index } => Some(format!("link #{}", index + 1)),
    }
}

/// One compact line for a piece of evidence, every attacker string sanitised.
pub(crate) fn evidence_line(ev: &Evidence) -> String {
    match ev {
        Evidence::Header { name, excerpt } => {
            format!("{}: {}", sanitize(name), sanitize(excerpt))
        }
        Evidence::Address {
            role,
            address: addr,
            display_name,
        } => format!(
            "{}: {}",
            role_name(*role),
            address(&AddressSummary {
                name: display_name.clone(),
                address: addr.clone(),
            })
        ),
        Evidence::Domain {
            role,
            domain,
            registrable,
        } => {
            let mut s = format!("{} domain: {}", role_name(*role), sanitize(domain));
            if let Some(reg) = registrable.as_deref().filter(|r| r != domain) {
                let _ = write!(s, " (registrable: {})", sanitize(reg));
            }
            s
        }
        Evidence::Auth {
            method,
            result,
            domain,
            authserv_id,
        } => {
            let mut s = format!("auth: {}={}", sanitize(method), sanitize(result));
            if let Some(d) = domain {
                let _ = write!(s, " ({})", sanitize(d));
            }
            if let Some(id) = authserv_id {
                let _ = write!(s, " by {}", sanitize(id));
            }
            s
        }
        Evidence::Link {
            url,
            text,
            destination,
            wrapped_by,
            image,
            ..
        } => {
            let mut s = format!("link: {}", sanitize(url));
            if let Some(t) = text {
                let _ = write!(s, " shown as \"{}\"", sanitize(t));
            }
            if let Some(i) = image {
                let _ = write!(s, " ({})", sanitize(i));
            }
            if !wrapped_by.is_empty() || destination != url {
                let _ = write!(s, " → {}", sanitize(destination));
            }
            for w in wrapped_by {
                let _ = write!(s, " (unwrapped from {})", sanitize(w));
            }
            s
        }
        Evidence::Lookalike {
            role,
            domain,
            imitates,
            notes,
            ..
        } => {
            let mut s = format!(
                "{} domain {} imitates {}",
                role_name(*role),
                sanitize(domain),
                sanitize(imitates)
            );
            for n in notes {
                let _ = write!(s, "; {}", sanitize(n));
            }
            s
        }
        Evidence::Chars { text, marks } => {
            let mut s = format!("text: \"{}\"", sanitize(text));
            for m in marks {
                let _ = write!(
                    s,
                    "; {} {} at {}",
                    sanitize(&m.code_point),
                    sanitize(&m.note),
                    m.index
                );
            }
            s
        }
        Evidence::Time {
            label,
            value,
            reference,
        } => {
            let mut s = format!("{}: {}", sanitize(label), utc(*value));
            if let Some(r) = reference {
                let _ = write!(s, " (reference {})", utc(*r));
            }
            s
        }
        Evidence::Text { text } => sanitize(text),
    }
}

fn role_name(role: AddressRole) -> &'static str {
    match role {
        AddressRole::DisplayName => "From name",
        other => other.header_name(),
    }
}

/// `Name <address>`, or the bare address.
fn address(a: &AddressSummary) -> String {
    match a.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("\"{}\" <{}>", sanitize(name), sanitize(&a.address)),
        None => format!("<{}>", sanitize(&a.address)),
    }
}

/// Replaces every character a terminal would interpret, or a reader could not see, with a
/// visible `<U+XXXX>`: C0 controls (ESC, CR, LF, TAB, ...), DEL, C1 controls, bidirectional
/// embeddings/overrides/isolates and marks, zero-width characters, line/paragraph separators
/// and the byte-order mark.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'                  // Arabic letter mark
            | '\u{200B}'..='\u{200F}'   // zero-width space/joiners, LRM, RLM
            | '\u{2028}'..='\u{202E}'   // line/paragraph separators, LRE..RLO
            | '\u{2060}'..='\u{2069}'   // word joiner, invisible operators, isolates
            | '\u{FEFF}'                // BOM / zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation controls
        )
}

/// Greedy word wrap at `width` characters; a word longer than `width` gets a line of its own.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in s.split_whitespace() {
        let w = word.chars().count();
        if len > 0 && len + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Year, month, day of a day count since 1970-01-01, proleptic Gregorian (Howard Hinnant's
/// days-to-civil). Also the server's certificate dates.
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        i32::try_from(y).unwrap_or(1970),
        u8::try_from(m).unwrap_or(1),
        u8::try_from(d).unwrap_or(1),
    )
}

/// `YYYY-MM-DD HH:MM:SS UTC` for Unix seconds (proleptic Gregorian, no clock read).
fn utc(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn level(self, level: Level, s: &str) -> String {
        let code = match level {
            Level::Safe => "1;32",
            Level::Caution => "1;33",
            Level::Danger => "1;31",
        };
        self.wrap(code, s)
    }

    fn severity(self, severity: Severity, s: &str) -> String {
        let code = match severity {
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        self.wrap(code, s)
    }

    fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{
        AuthSummary, Banner, CharMark, InputKind, MessageSummary, SCHEMA_VERSION, Stats, Verdict,
    };

    fn report(level: Level, score: u32, subject: &str, findings: Vec<Finding>) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            engine: "0.0.0-test".to_string(),
            input: InputKind::Raw,
            verdict: Verdict { level, score },
            banner: None,
            findings,
            links: vec![],
            message: MessageSummary {
                from: Some(AddressSummary {
                    name: Some("PayPal Service".to_string()),
                    address: "service@paypa1-secure.example".to_string(),
                }),
                reply_to: Vec::new(),
                return_path: None,
                sender: None,
                subject: Some(subject.to_string()),
                date: None,
                message_id: None,
                authentication: AuthSummary::default(),
            },
            stats: Stats::default(),
        }
    }

    fn danger() -> Report {
        let mut r = report(
            Level::Danger,
            75,
            "Your account is limited",
            vec![
                Finding {
                    rule: "display-name-impersonation".to_string(),
                    severity: Severity::High,
                    score: 45,
                    title: "The sender's name borrows PayPal's".to_string(),
                    explanation: "The name shown is \"PayPal Service\", but the message comes \
                        from paypa1-secure.example, which does not belong to PayPal. Attackers \
                        use well-known names so that you trust the message."
                        .to_string(),
                    evidence: vec![
                        Evidence::Address {
                            role: AddressRole::From,
                            address: "service@paypa1-secure.example".to_string(),
                            display_name: Some("PayPal Service".to_string()),
                        },
                        Evidence::Domain {
                            role: AddressRole::From,
                            domain: "mail.paypa1-secure.example".to_string(),
                            registrable: Some("paypa1-secure.example".to_string()),
                        },
                    ],
                    location: Location::Header {
                        name: "From".to_string(),
                        index: 0,
                    },
                },
                Finding {
                    rule: "date-anomaly".to_string(),
                    severity: Severity::Low,
                    score: 30,
                    title: "The date is in the future".to_string(),
                    explanation: "The message claims a date two days ahead.".to_string(),
                    evidence: vec![
                        Evidence::Time {
                            label: "Date".to_string(),
                            value: 1_700_000_000,
                            reference: Some(0),
                        },
                        Evidence::Auth {
                            method: "dmarc".to_string(),
                            result: "fail".to_string(),
                            domain: Some("paypa1-secure.example".to_string()),
                            authserv_id: Some("mx.google.com".to_string()),
                        },
                    ],
                    location: Location::Header {
                        name: "Received".to_string(),
                        index: 2,
                    },
                },
            ],
        );
        r.banner = Some(Banner {
            level: Level::Danger,
            text: "Likely phishing: The sender's name borrows PayPal's.".to_string(),
            rule: "display-name-impersonation".to_string(),
        });
        r
    }

    #[test]
    fn danger_report_exact_output() {
        let expected = "\
DANGER  score 75/100
Likely phishing: The sender's name borrows PayPal's.
From:    \"PayPal Service\" <service@paypa1-secure.example>
Subject: Your account is limited

2 findings:

HIGH   The sender's name borrows PayPal's
      [display-name-impersonation, +45, header From]
      The name shown is \"PayPal Service\", but the message comes from
      paypa1-secure.example, which does not belong to PayPal. Attackers use well-known
      names so that you trust the message.
      - From: \"PayPal Service\" <service@paypa1-secure.example>
      - From domain: mail.paypa1-secure.example (registrable: paypa1-secure.example)

LOW    The date is in the future
      [date-anomaly, +30, header Received #3]
      The message claims a date two days ahead.
      - Date: 2023-11-14 22:13:20 UTC (reference 1970-01-01 00:00:00 UTC)
      - auth: dmarc=fail (paypa1-secure.example) by mx.google.com
";
        assert_eq!(text(&danger(), false), expected);
    }

    #[test]
    fn colour_marks_the_level() {
        let out = text(&danger(), true);
        assert!(out.starts_with("\x1b[1;31mDANGER\x1b[0m  score 75/100\n"));
        let safe = text(&report(Level::Safe, 0, "hi", vec![]), true);
        assert!(safe.starts_with("\x1b[1;32mSAFE\x1b[0m"));
        let caution = text(&report(Level::Caution, 40, "hi", vec![]), true);
        assert!(caution.starts_with("\x1b[1;33mCAUTION\x1b[0m"));
        assert!(!text(&danger(), false).contains('\x1b'));
    }

    #[test]
    fn safe_report_without_findings() {
        let r = report(Level::Safe, 0, "Lunch?", vec![]);
        assert_eq!(
            text(&r, false),
            "SAFE  score 0/100\n\
             From:    \"PayPal Service\" <service@paypa1-secure.example>\n\
             Subject: Lunch?\n\
             \n\
             No findings.\n"
        );
    }

    #[test]
    fn hostile_strings_cannot_reach_the_terminal() {
        let hostile =
            "Invoice \x1b[2J\x1b]0;pwned\x07 \u{202E}fdp.exe\u{2066}x\u{2069} \u{9b}31m\r\nBcc: x";
        let mut r = report(
            Level::Caution,
            40,
            hostile,
            vec![Finding {
                rule: "display-name-unicode".to_string(),
                severity: Severity::Medium,
                score: 40,
                title: format!("Odd name {hostile}"),
                explanation: hostile.to_string(),
                evidence: vec![
                    Evidence::Chars {
                        text: format!("a\u{200B}b{hostile}"),
                        marks: vec![CharMark {
                            index: 1,
                            char: "\u{200B}".to_string(),
                            code_point: "U+200B".to_string(),
                            note: "zero-width space".to_string(),
                        }],
                    },
                    Evidence::Header {
                        name: "Subject".to_string(),
                        excerpt: hostile.to_string(),
                    },
                    Evidence::Text {
                        text: hostile.to_string(),
                    },
                ],
                location: Location::Message,
            }],
        );
        r.message.from = Some(AddressSummary {
            name: Some(hostile.to_string()),
            address: "a@b.example".to_string(),
        });
        for color in [false, true] {
            let out = text(&r, color);
            let stripped = out
                .replace("\x1b[0m", "")
                .replace("\x1b[1m", "")
                .replace("\x1b[1;33m", "")
                .replace("\x1b[33m", "");
            for bad in [
                '\x1b', '\x07', '\u{9b}', '\r', '\u{202E}', '\u{2066}', '\u{2069}',
            ] {
                assert!(!stripped.contains(bad), "{bad:?} leaked in {out:?}");
            }
            assert!(out.contains("Subject: Invoice <U+001B>[2J<U+001B>]0;pwned<U+0007> <U+202E>fdp.exe<U+2066>x<U+2069> <U+009B>31m<U+000D><U+000A>Bcc: x\n"));
            assert!(out.contains("a<U+200B>b"));
        }
    }

    #[test]
    fn wraps_at_word_boundaries() {
        let s = "aaa bbb ccc ddd";
        assert_eq!(wrap(s, 7), vec!["aaa bbb", "ccc ddd"]);
        assert_eq!(wrap("abcdefghij k", 4), vec!["abcdefghij", "k"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
    }
}
