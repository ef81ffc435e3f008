//! Google Workspace add-on card rendering: a [`Report`] as a Card v1 JSON object
//! (`google.apps.card.v1.Card`), for the Gmail add-on.
//!
//! Both Gmail front ends show this one card: the Apps Script add-on (`addin/gmail`, whose thin
//! adapter turns the JSON into `CardService` calls) and the server's HTTP runtime (which returns
//! it as the `pushCard`/`updateCard` of its response; see crates/server/src/gmail). Layout:
//!
//! - **header**: the level in words ("Likely phishing", "Be careful", "No warning signs found",
//!   the wording of the banner and the demo page), the score, and a level icon;
//! - **summary**: the banner sentence, or a calm line when nothing was found; after reporting,
//!   a line saying the message was reported;
//! - **findings**: one `decoratedText` per finding, most severe first: a severity icon, the
//!   severity in words as the top label, the title in bold and the explanation;
//! - **Technical details** (collapsible, collapsed): score, authentication outcome, From,
//!   Subject, and per finding its rule id, location and evidence;
//! - **fixed footer**: "Report phishing" (primary; an action naming the Apps Script function or
//!   the HTTP endpoint, *without parameters*) and "Learn more" (a link to the configured URL).
//!   Once reported, the footer keeps only "Learn more".
//!
//! # Security
//! Card text fields accept an HTML subset (`<b>`, `<font>`, `<a href>`, `<br>` …), and every
//! string from the message (names, addresses, subjects, explanations quoting them, evidence,
//! URLs) is attacker-controlled. So:
//! - message-derived strings appear only in `text` fields, never in `topLabel`, header or
//!   button fields (which are not markup and carry only this module's own words);
//! - each goes through [`super::text::sanitize`] (control, bidirectional and invisible
//!   characters made visible), is cut to a length limit, has `://` defanged to `[:]//` (so no
//!   host turns it into a live link), and is escaped ([`escape`]: `& < > " '`) before this
//!   module adds its own `<b>`/`<br>`/`<font>` markup;
//! - no link or `openLink` is ever built from message data: the only URLs in a card are the
//!   icons (constants) and [`CardOptions::learn_more_url`] (configuration).
//!
//! # Limits
//! Google ignores widgets past 100 per card. A card holds at most [`MAX_FINDINGS`] finding
//! widgets and [`MAX_TECHNICAL`] technical widgets (each list ends with an "… and N more" line
//! when cut), plus at most 3 summary widgets; message-derived strings are cut to
//! [`MAX_TEXT`] characters (explanations to [`MAX_EXPLANATION`]).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::text::{evidence_line, location_words, sanitize};
use crate::report::{AddressSummary, Level, Report, Severity};

/// At most this many finding widgets (one per finding) before an "… and N more" line.
pub const MAX_FINDINGS: usize = 20;
/// At most this many widgets in the technical section before an "… and N more" line.
pub const MAX_TECHNICAL: usize = 40;
/// Longest message-derived string shown, in characters (an ellipsis marks a cut).
pub const MAX_TEXT: usize = 300;
/// Longest explanation shown, in characters.
pub const MAX_EXPLANATION: usize = 600;
/// Pieces of evidence shown per finding in the technical section.
pub const MAX_EVIDENCE: usize = 8;

/// The Apps Script function the "Report phishing" button calls by default.
pub const DEFAULT_REPORT_FUNCTION: &str = "onReportPhish";
/// Where "Learn more" leads by default: Gmail Help, "Avoid & report phishing emails".
pub const DEFAULT_LEARN_MORE_URL: &str = "https://support.google.com/mail/answer/8253";

/// Material icons Google hosts for add-on cards (constants: never built from message data).
const ICON_DANGER: &str =
    "https://www.gstatic.com/images/icons/material/system/1x/error_red_48dp.png";
const ICON_CAUTION: &str =
    "https://www.gstatic.com/images/icons/material/system/1x/warning_amber_48dp.png";
const ICON_SAFE: &str =
    "https://www.gstatic.com/images/icons/material/system/1x/check_circle_green_48dp.png";
const ICON_HIGH: &str =
    "https://www.gstatic.com/images/icons/material/system/1x/error_red_24dp.png";
const ICON_MEDIUM: &str =
    "https://www.gstatic.com/images/icons/material/system/1x/warning_amber_24dp.png";
const ICON_LOW: &str =
    "https://www.gstatic.com/images/icons/material/system/1x/info_black_24dp.png";
const ICON_REPORTED: &str =
    "https://www.gstatic.com/images/icons/material/system/1x/check_circle_green_24dp.png";

/// What the "Report phishing" button does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReportAction {
    /// Calls this Apps Script function (`{"action":{"function":"onReportPhish"}}`); it reads
    /// the message id and access token from the event, never from action parameters.
    Function(String),
    /// The HTTP runtime: Google posts the action event to this URL
    /// (`{"action":{"function":"https://…/gmail/report"}}`), again with no parameters.
    Endpoint(String),
    /// No report button (e.g. reporting is not configured).
    None,
}

/// How a card is rendered: the report button, the "Learn more" link and whether the message
/// has already been reported. JSON (for the wasm export `analyzeToCard`), all keys optional:
/// `{"report": {"function": "onReportPhish"} | {"endpoint": "https://…"} | "none",
///   "learnMoreUrl": "https://…" | null, "reported": false}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CardOptions {
    pub report: ReportAction,
    /// The "Learn more" button's link (configuration, never message data); `None`, or anything
    /// but an `http(s)://` address: no button.
    pub learn_more_url: Option<String>,
    /// The message was reported: the card says so and has no report button.
    pub reported: bool,
}

impl Default for CardOptions {
    /// The Apps Script add-on's card: `onReportPhish`, Gmail Help's phishing page, not reported.
    fn default() -> Self {
        CardOptions {
            report: ReportAction::Function(DEFAULT_REPORT_FUNCTION.to_string()),
            learn_more_url: Some(DEFAULT_LEARN_MORE_URL.to_string()),
            reported: false,
        }
    }
}

impl CardOptions {
    /// The Apps Script add-on: the button calls `function` by name.
    pub fn apps_script(function: &str) -> Self {
        CardOptions {
            report: ReportAction::Function(function.to_string()),
            ..CardOptions::default()
        }
    }

    /// The HTTP runtime: the button posts the action event to `endpoint_url`.
    pub fn http(endpoint_url: &str) -> Self {
        CardOptions {
            report: ReportAction::Endpoint(endpoint_url.to_string()),
            ..CardOptions::default()
        }
    }

    /// Decodes options from JSON (see the type's documentation); unknown keys are an error.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// Renders `report` as a Card v1 JSON object (see the module documentation).
pub fn card(report: &Report, opts: &CardOptions) -> Value {
    let level = report.verdict.level;
    let (title, icon) = match level {
        Level::Danger => ("Likely phishing", ICON_DANGER),
        Level::Caution => ("Be careful", ICON_CAUTION),
        Level::Safe => ("No warning signs found", ICON_SAFE),
    };
    let header = json!({
        "title": title,
        "subtitle": format!("Mailward score {} of 100", report.verdict.score),
        "imageUrl": icon,
        "imageType": "SQUARE",
        "imageAltText": title,
    });

    let mut sections = vec![json!({ "widgets": summary(report, opts) })];
    if !report.findings.is_empty() {
        sections.push(json!({
            "header": "What Mailward noticed",
            "widgets": findings(report),
        }));
    }
    sections.push(json!({
        "header": "Technical details",
        "collapsible": true,
        "uncollapsibleWidgetsCount": 0,
        "widgets": technical(report),
    }));

    let mut out = json!({
        "name": "mailward-report",
        "header": header,
        "sections": sections,
    });
    if let Some(footer) = footer(opts) {
        out["fixedFooter"] = footer;
    }
    out
}

fn summary(report: &Report, opts: &CardOptions) -> Vec<Value> {
    let mut widgets = vec![];
    let sentence = match &report.banner {
        Some(b) => safe_text(&b.text, MAX_TEXT),
        None if report.findings.iter().any(|f| f.score > 0) => {
            "Nothing here is enough for a warning, but Mailward noticed the points below. \
             If something feels wrong, report it."
                .to_string()
        }
        None => "Mailward found nothing suspicious in this message. No check catches \
                 everything: if something feels wrong, report it."
            .to_string(),
    };
    widgets.push(json!({ "textParagraph": { "text": sentence } }));
    if opts.reported {
        widgets.push(json!({ "decoratedText": {
            "startIcon": { "iconUrl": ICON_REPORTED, "altText": "Reported" },
            "text": "<b>Reported.</b> Thank you: your security team has a copy of this message.",
            "wrapText": true,
        }}));
    }
    widgets
}

fn findings(report: &Report) -> Vec<Value> {
    let mut widgets: Vec<Value> = report
        .findings
        .iter()
        .take(MAX_FINDINGS)
        .map(|f| {
            let (label, icon) = severity(f.severity);
            json!({ "decoratedText": {
                "topLabel": label,
                "startIcon": { "iconUrl": icon, "altText": label },
                "text": format!(
                    "<b>{}</b><br>{}",
                    safe_text(&f.title, MAX_TEXT),
                    safe_text(&f.explanation, MAX_EXPLANATION)
                ),
                "wrapText": true,
            }})
        })
        .collect();
    if let Some(more) = more_line(report.findings.len(), MAX_FINDINGS, "finding") {
        widgets.push(more);
    }
    widgets
}

fn technical(report: &Report) -> Vec<Value> {
    let msg = &report.message;
    let mut rows: Vec<(String, &'static str, String)> = vec![
        (
            "Verdict".to_string(),
            "DESCRIPTION",
            format!(
                "{}, score {} of 100 (engine {})",
                report.verdict.level.as_str(),
                report.verdict.score,
                safe_text(&report.engine, 40)
            ),
        ),
        ("Authentication".to_string(), "MEMBERSHIP", auth(report)),
        (
            "From".to_string(),
            "PERSON",
            msg.from
                .as_ref()
                .map(address)
                .unwrap_or_else(|| "(none)".to_string()),
        ),
    ];
    if !msg.reply_to.is_empty() {
        let list: Vec<String> = msg.reply_to.iter().take(3).map(address).collect();
        rows.push(("Reply-To".to_string(), "EMAIL", list.join("<br>")));
    }
    rows.push((
        "Subject".to_string(),
        "EMAIL",
        msg.subject
            .as_deref()
            .map(|s| safe_text(s, MAX_TEXT))
            .unwrap_or_else(|| "(none)".to_string()),
    ));
    for f in &report.findings {
        let mut lines = vec![format!("+{} points", f.score)];
        if let Some(loc) = location_words(&f.location) {
            lines.push(safe_text(&format!("in {loc}"), MAX_TEXT));
        }
        lines.extend(
            f.evidence
                .iter()
                .take(MAX_EVIDENCE)
                .map(|ev| safe_text(&evidence_line(ev), MAX_TEXT)),
        );
        if f.evidence.len() > MAX_EVIDENCE {
            lines.push(format!(
                "… and {} more pieces of evidence",
                f.evidence.len() - MAX_EVIDENCE
            ));
        }
        // The rule id is the engine's own kebab-case word, but it is escaped like the rest.
        rows.push((safe_label(&f.rule), "BOOKMARK", lines.join("<br>")));
    }
    if !report.stats.limits_hit.is_empty() {
        let hit: Vec<String> = report
            .stats
            .limits_hit
            .iter()
            .take(10)
            .map(|l| safe_text(l, 60))
            .collect();
        rows.push(("Limits reached".to_string(), "CLOCK", hit.join(", ")));
    }

    let total = rows.len();
    let mut widgets: Vec<Value> = rows
        .into_iter()
        .take(MAX_TECHNICAL)
        .map(|(label, icon, text)| {
            json!({ "decoratedText": {
                "topLabel": label,
                "startIcon": { "knownIcon": icon },
                "text": text,
                "wrapText": true,
            }})
        })
        .collect();
    if let Some(more) = more_line(total, MAX_TECHNICAL, "detail") {
        widgets.push(more);
    }
    widgets
}

fn footer(opts: &CardOptions) -> Option<Value> {
    let report_button = match (&opts.report, opts.reported) {
        (_, true) | (ReportAction::None, _) => None,
        (ReportAction::Function(f) | ReportAction::Endpoint(f), false) => Some(json!({
            "text": "Report phishing",
            "type": "FILLED",
            "color": { "red": 0.77, "green": 0.13, "blue": 0.12, "alpha": 1 },
            "onClick": { "action": { "function": f, "loadIndicator": "SPINNER" } },
        })),
    };
    // Configuration, not message data; still, only a web address becomes a link.
    let learn = opts
        .learn_more_url
        .as_ref()
        .filter(|url| is_web_url(url))
        .map(|url| {
            json!({
                "text": "Learn more",
                "onClick": { "openLink": { "url": url } },
            })
        });
    // A fixed footer needs a primary button; "Learn more" is primary when it is alone.
    match (report_button, learn) {
        (Some(primary), Some(mut secondary)) => {
            secondary["type"] = json!("OUTLINED");
            Some(json!({ "primaryButton": primary, "secondaryButton": secondary }))
        }
        (Some(primary), None) => Some(json!({ "primaryButton": primary })),
        (None, Some(mut primary)) => {
            primary["type"] = json!("FILLED");
            primary["color"] = json!({ "red": 0.1, "green": 0.45, "blue": 0.91, "alpha": 1 });
            Some(json!({ "primaryButton": primary }))
        }
        (None, None) => None,
    }
}

fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.contains(char::is_whitespace)
}

/// `SPF pass · DKIM pass (d) · DMARC fail, by id`, or a sentence when nothing was believed.
fn auth(report: &Report) -> String {
    let a = &report.message.authentication;
    let mut parts = vec![];
    let mut push = |name: &str, value: &Option<String>, domain: &Option<String>| {
        if let Some(v) = value {
            let mut s = format!("{name} {}", safe_text(v, 40));
            if let Some(d) = domain {
                s.push_str(&format!(" ({})", safe_text(d, 100)));
            }
            parts.push(s);
        }
    };
    push("SPF", &a.spf, &a.spf_domain);
    push("DKIM", &a.dkim, &a.dkim_domain);
    push("DMARC", &a.dmarc, &None);
    push("compauth", &a.compauth, &None);
    match &a.authserv_id {
        Some(id) if !parts.is_empty() => {
            format!("{}, by {}", parts.join(" · "), safe_text(id, 100))
        }
        _ => "No trusted authentication results".to_string(),
    }
}

/// `"Name" <address>` or `<address>`, made safe.
fn address(a: &AddressSummary) -> String {
    let addr = safe_text(&a.address, 200);
    match a.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("&quot;{}&quot; &lt;{addr}&gt;", safe_text(name, 200)),
        None => format!("&lt;{addr}&gt;"),
    }
}

fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::High => ("High risk", ICON_HIGH),
        Severity::Medium => ("Medium risk", ICON_MEDIUM),
        Severity::Low => ("Low risk", ICON_LOW),
        Severity::Info => ("For information", ICON_LOW),
    }
}

fn more_line(total: usize, shown: usize, what: &str) -> Option<Value> {
    (total > shown).then(|| {
        let n = total - shown;
        json!({ "textParagraph": {
            "text": format!("… and {n} more {what}{}", if n == 1 { "" } else { "s" })
        }})
    })
}

/// A message-derived string made safe for a card `text` field: invisible and control
/// characters made visible, cut to `max` characters, `://` defanged, then HTML-escaped.
pub fn safe_text(s: &str, max: usize) -> String {
    escape(&defang(&truncate(&sanitize(s), max)))
}

/// A label (`topLabel`) from engine data: short, single-line, escaped.
fn safe_label(s: &str) -> String {
    safe_text(s, 60)
}

/// Escapes the characters that start markup or end an attribute: `& < > " '`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `https://x` → `https[:]//x`: shown, never a live link.
fn defang(s: &str) -> String {
    s.replace("://", "[:]//")
}

/// At most `max` characters; a cut string ends with `…`.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{
        AuthSummary, Banner, Evidence, Finding, InputKind, Location, MessageSummary,
        SCHEMA_VERSION, Stats, Verdict,
    };

    fn finding(title: &str, explanation: &str, evidence: Vec<Evidence>) -> Finding {
        Finding {
            rule: "display-name-impersonation".to_string(),
            severity: Severity::High,
            score: 45,
            title: title.to_string(),
            explanation: explanation.to_string(),
            evidence,
            location: Location::Header {
                name: "From".to_string(),
                index: 0,
            },
        }
    }

    fn report(level: Level, subject: &str, findings: Vec<Finding>) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            engine: "0.0.0-test".to_string(),
            input: InputKind::Raw,
            verdict: Verdict { level, score: 75 },
            banner: (level != Level::Safe).then(|| Banner {
                level,
                text: format!("Likely phishing: {}.", findings[0].title),
                rule: findings[0].rule.clone(),
            }),
            findings,
            links: vec![],
            message: MessageSummary {
                from: Some(AddressSummary {
                    name: Some("<font color=\"#00ff00\">IT Helpdesk</font>".to_string()),
                    address: "it@evil.example".to_string(),
                }),
                subject: Some(subject.to_string()),
                authentication: AuthSummary::default(),
                ..MessageSummary::default()
            },
            stats: Stats::default(),
        }
    }

    /// Every string in the card, with its JSON path.
    fn strings(v: &Value, path: String, out: &mut Vec<(String, String)>) {
        match v {
            Value::String(s) => out.push((path, s.clone())),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, x)| strings(x, format!("{path}[{i}]"), out)),
            Value::Object(o) => o
                .iter()
                .for_each(|(k, x)| strings(x, format!("{path}.{k}"), out)),
            _ => {}
        }
    }

    fn hostile() -> Report {
        report(
            Level::Danger,
            "<a href=\"https://evil.example/login\">Click</a> <font color=\"red\">URGENT</font> 'x' & y",
            vec![finding(
                "The name <b>IT</b> borrows yours",
                "Sent from \"<a href='https://evil.example'>x</a>\"\u{202E}gnp.exe",
                vec![
                    Evidence::Link {
                        url: "https://evil.example/<script>".to_string(),
                        text: Some("<img src=x onerror=alert(1)>".to_string()),
                        destination: "https://evil.example/<script>".to_string(),
                        host: "evil.example".to_string(),
                        registrable: None,
                        wrapped_by: vec![],
                        image: None,
                    },
                    Evidence::Header {
                        name: "Subject".to_string(),
                        excerpt: "<font color=red>x</font>".to_string(),
                    },
                ],
            )],
        )
    }

    #[test]
    fn attacker_markup_never_reaches_the_card() {
        let card = card(&hostile(), &CardOptions::default());
        let mut all = vec![];
        strings(&card, String::new(), &mut all);
        for (path, s) in &all {
            // Our own markup is exactly <b>, </b> and <br>; nothing else may open a tag.
            let stripped = s.replace("<b>", "").replace("</b>", "").replace("<br>", "");
            assert!(
                !stripped.contains('<') && !stripped.contains('>'),
                "{path}: {s}"
            );
            assert!(!s.contains("\u{202E}"), "{path}: bidi override survived");
            assert!(!s.contains("https://evil"), "{path}: live URL {s}");
        }
        let text = card.to_string();
        assert!(text.contains("&lt;a href=&quot;https[:]//evil.example/login&quot;&gt;Click"));
        assert!(text.contains("&lt;font color=&quot;red&quot;&gt;URGENT"));
        assert!(text.contains("&#39;x&#39; &amp; y"));
        assert!(text.contains("&lt;U+202E&gt;gnp.exe"));
        assert!(text.contains("&quot;&lt;font color=&quot;#00ff00&quot;&gt;IT Helpdesk"));
    }

    #[test]
    fn only_configured_urls_are_links() {
        let opts = CardOptions {
            learn_more_url: Some("https://intranet.example/phishing".to_string()),
            ..CardOptions::default()
        };
        let card = card(&hostile(), &opts);
        let mut all = vec![];
        strings(&card, String::new(), &mut all);
        let urls: Vec<&(String, String)> =
            all.iter().filter(|(p, _)| p.ends_with(".url")).collect();
        assert_eq!(urls.len(), 1);
        assert_eq!(urls[0].1, "https://intranet.example/phishing");
        for (path, s) in &all {
            if path.ends_with("iconUrl") || path.ends_with("imageUrl") {
                assert!(s.starts_with("https://www.gstatic.com/images/icons/material/"));
            }
        }
    }

    #[test]
    fn report_button_carries_no_parameters() {
        let c = card(&hostile(), &CardOptions::default());
        let action = &c["fixedFooter"]["primaryButton"]["onClick"]["action"];
        assert_eq!(action["function"], "onReportPhish");
        assert!(action.get("parameters").is_none());
        assert_eq!(c["fixedFooter"]["secondaryButton"]["text"], "Learn more");

        let c = card(
            &hostile(),
            &CardOptions::http("https://mw.example/gmail/report"),
        );
        let action = &c["fixedFooter"]["primaryButton"]["onClick"]["action"];
        assert_eq!(action["function"], "https://mw.example/gmail/report");
        assert!(action.get("parameters").is_none());
    }

    #[test]
    fn learn_more_must_be_a_web_address() {
        for bad in ["javascript:alert(1)", "data:text/html,x", "https://a b"] {
            let opts = CardOptions {
                learn_more_url: Some(bad.to_string()),
                ..CardOptions::default()
            };
            let c = card(&hostile(), &opts);
            assert!(c["fixedFooter"].get("secondaryButton").is_none(), "{bad}");
            assert!(!c.to_string().contains(bad), "{bad}");
        }
    }

    #[test]
    fn safe_with_minor_points_does_not_say_nothing_was_found() {
        let mut r = report(
            Level::Safe,
            "Hi",
            vec![finding("Odd", "Slightly odd.", vec![])],
        );
        r.verdict.score = 20;
        r.banner = None;
        let c = card(&r, &CardOptions::default());
        let lead = c["sections"][0]["widgets"][0]["textParagraph"]["text"].to_string();
        assert!(lead.contains("Mailward noticed the points below"), "{lead}");
    }

    #[test]
    fn reported_card_has_no_report_button() {
        let opts = CardOptions {
            reported: true,
            ..CardOptions::default()
        };
        let c = card(&hostile(), &opts);
        assert_eq!(c["fixedFooter"]["primaryButton"]["text"], "Learn more");
        assert!(c["fixedFooter"].get("secondaryButton").is_none());
        assert!(c.to_string().contains("Reported."));
        assert!(!c.to_string().contains("Report phishing"));

        let none = CardOptions {
            report: ReportAction::None,
            learn_more_url: None,
            reported: false,
        };
        assert!(card(&hostile(), &none).get("fixedFooter").is_none());
    }

    #[test]
    fn long_and_many_findings_stay_within_limits() {
        let long = "x".repeat(10_000);
        let many: Vec<Finding> = (0..150)
            .map(|_| {
                finding(
                    &long,
                    &long,
                    vec![Evidence::Text { text: long.clone() }; 30],
                )
            })
            .collect();
        let r = report(Level::Danger, &long, many);
        let c = card(&r, &CardOptions::default());
        let widgets: usize = c["sections"]
            .as_array()
            .unwrap_or(&vec![])
            .iter()
            .map(|s| s["widgets"].as_array().map_or(0, Vec::len))
            .sum();
        assert!(widgets <= 100, "{widgets} widgets");
        assert_eq!(
            c["sections"][1]["widgets"][MAX_FINDINGS]["textParagraph"]["text"],
            "… and 130 more findings"
        );
        let mut all = vec![];
        strings(&c, String::new(), &mut all);
        let longest = all
            .iter()
            .map(|(_, s)| s.chars().count())
            .max()
            .unwrap_or(0);
        assert!(longest < 4_000, "longest string {longest}");
    }

    #[test]
    fn safe_card_is_calm() {
        let mut r = report(Level::Safe, "Lunch?", vec![]);
        r.verdict.score = 0;
        let c = card(&r, &CardOptions::default());
        assert_eq!(c["header"]["title"], "No warning signs found");
        assert_eq!(c["sections"].as_array().map(Vec::len), Some(2));
        assert_eq!(c["sections"][1]["header"], "Technical details");
        assert_eq!(c["sections"][1]["collapsible"], true);
    }

    #[test]
    fn options_from_json() {
        assert_eq!(
            CardOptions::from_json("{}").ok(),
            Some(CardOptions::default())
        );
        let o = CardOptions::from_json(
            r#"{"report":{"endpoint":"https://x.example/r"},"learnMoreUrl":null,"reported":true}"#,
        )
        .ok();
        assert_eq!(
            o,
            Some(CardOptions {
                report: ReportAction::Endpoint("https://x.example/r".to_string()),
                learn_more_url: None,
                reported: true,
            })
        );
        assert_eq!(
            CardOptions::from_json(r#"{"report":"none"}"#)
                .ok()
                .map(|o| o.report),
            Some(ReportAction::None)
        );
        assert!(CardOptions::from_json(r#"{"reportd":true}"#).is_err());
    }

    #[test]
    fn escape_and_truncate() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ab", 4), "ab");
        // Cut before escaping: an entity is never split.
        assert_eq!(safe_text("&&&&&&", 3), "&amp;&amp;…");
    }
}
