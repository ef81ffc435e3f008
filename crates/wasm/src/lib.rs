//! Mailward's engine for JavaScript hosts (the Outlook task pane, the Gmail add-on, the demo
//! page in `www/`): a thin wasm-bindgen adapter over `mailward-core`. `analyzeToCard`
//! adds the Gmail card (`mailward_core::render::card`).
//!
//! Each export decodes its arguments, calls the one pipeline in the core and returns the
//! report as the canonical JSON string (`mailward_core::to_json`), byte for byte what the CLI
//! and the server print. Caller mistakes (a bad policy, bad parts JSON, a bad time) are thrown
//! as `Error` objects (`JsError`); the analysis itself never fails.
//!
//! The only ambient fact a host supplies is the time: `nowSeconds` (Unix seconds). When it is
//! omitted the JavaScript clock is read here, at the edge, as the CLI reads the system clock.

use mailward_core::render::CardOptions;
use mailward_core::{Context, MessageParts, Policy};
use wasm_bindgen::prelude::*;

/// Analyses a complete RFC 5322 message and returns the report JSON.
///
/// JS: `analyze(bytes: Uint8Array, policyJson?: string, nowSeconds?: number): string`
#[wasm_bindgen]
pub fn analyze(
    bytes: &[u8],
    #[wasm_bindgen(js_name = policyJson)] policy_json: Option<String>,
    #[wasm_bindgen(js_name = nowSeconds)] now_seconds: Option<f64>,
) -> Result<String, JsError> {
    let (policy, ctx) = inputs(policy_json.as_deref(), now_seconds.or_else(js_now))?;
    Ok(mailward_core::to_json(&mailward_core::analyze(
        bytes, &policy, &ctx,
    )))
}

/// Analyses what a host could supply instead of the raw message (`MessageParts` as JSON:
/// `{headers, html?, text?, attachments?}`) and returns the report JSON.
///
/// JS: `analyzeParts(partsJson: string, policyJson?: string, nowSeconds?: number): string`
#[wasm_bindgen(js_name = analyzeParts)]
pub fn analyze_parts(
    #[wasm_bindgen(js_name = partsJson)] parts_json: &str,
    #[wasm_bindgen(js_name = policyJson)] policy_json: Option<String>,
    #[wasm_bindgen(js_name = nowSeconds)] now_seconds: Option<f64>,
) -> Result<String, JsError> {
    let parts = parse_parts(parts_json)?;
    let (policy, ctx) = inputs(policy_json.as_deref(), now_seconds.or_else(js_now))?;
    Ok(mailward_core::to_json(&mailward_core::analyze_parts(
        &parts, &policy, &ctx,
    )))
}

/// Analyses a complete message and returns `{"report": <report>, "card": <card v1>}` as JSON:
/// one call for the Gmail add-on, which shows the card and keeps the verdict.
///
/// JS: `analyzeToCard(bytes: Uint8Array, policyJson?: string, nowSeconds?: number,
/// optionsJson?: string): string`
#[wasm_bindgen(js_name = analyzeToCard)]
pub fn analyze_to_card(
    bytes: &[u8],
    #[wasm_bindgen(js_name = policyJson)] policy_json: Option<String>,
    #[wasm_bindgen(js_name = nowSeconds)] now_seconds: Option<f64>,
    #[wasm_bindgen(js_name = optionsJson)] options_json: Option<String>,
) -> Result<String, JsError> {
    let (policy, ctx) = inputs(policy_json.as_deref(), now_seconds.or_else(js_now))?;
    let opts = card_options(options_json.as_deref())?;
    let report = mailward_core::analyze(bytes, &policy, &ctx);
    Ok(report_and_card(&report, &opts))
}

/// The engine version written into every report.
#[wasm_bindgen]
pub fn version() -> String {
    mailward_core::ENGINE_VERSION.to_string()
}

/// The current time from the JavaScript host, in Unix seconds (whole seconds, rounded down).
#[cfg(target_arch = "wasm32")]
fn js_now() -> Option<f64> {
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Date, js_name = now)]
        fn date_now() -> f64;
    }
    Some((date_now() / 1000.0).floor())
}

/// Natively (unit tests) there is no JavaScript clock; no time means no date checks.
#[cfg(not(target_arch = "wasm32"))]
fn js_now() -> Option<f64> {
    None
}

/// A caller mistake, turned into a thrown `Error` at the boundary.
#[derive(Debug, PartialEq)]
pub struct InputError(String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// Decodes the policy (absent or blank: the default policy) and the time.
pub fn inputs(
    policy_json: Option<&str>,
    now: Option<f64>,
) -> Result<(Policy, Context), InputError> {
    let policy = match policy_json.map(str::trim) {
        None | Some("") => Policy::default(),
        Some(json) => Policy::from_json(json).map_err(|e| InputError(format!("policy: {e}")))?,
    };
    let now = now.map(seconds).transpose()?;
    Ok((policy, Context { now }))
}

/// The largest magnitude f64 holds exactly as an integer (2^53); any real clock is far inside.
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

/// A JavaScript number as whole Unix seconds.
fn seconds(n: f64) -> Result<i64, InputError> {
    if n.is_finite() && n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        #[allow(clippy::cast_possible_truncation)] // checked just above
        Ok(n as i64)
    } else {
        Err(InputError(format!(
            "nowSeconds: expected whole Unix seconds, got {n}"
        )))
    }
}

/// `{"report": <to_json>, "card": <card>}`, with the report byte for byte as `to_json` writes it.
pub fn report_and_card(report: &mailward_core::Report, opts: &CardOptions) -> String {
    format!(
        "{{\"report\":{},\"card\":{}}}",
        mailward_core::to_json(report),
        mailward_core::render::card(report, opts)
    )
}

/// Decodes card options (absent or blank: the Apps Script defaults).
pub fn card_options(json: Option<&str>) -> Result<CardOptions, InputError> {
    match json.map(str::trim) {
        None | Some("") => Ok(CardOptions::default()),
        Some(json) => {
            CardOptions::from_json(json).map_err(|e| InputError(format!("card options: {e}")))
        }
    }
}

/// Decodes `MessageParts` from JSON.
pub fn parse_parts(json: &str) -> Result<MessageParts, InputError> {
    serde_json::from_str(json).map_err(|e| InputError(format!("parts: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSG: &[u8] = b"From: Alice <alice@example.com>\r\nTo: bob@example.org\r\n\
Subject: hello\r\nDate: Sat, 31 Oct 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHi\r\n";

    #[test]
    fn same_json_as_the_core() {
        let (policy, ctx) = inputs(None, Some(1_793_491_200.0)).unwrap();
        let expected = mailward_core::to_json(&mailward_core::analyze(MSG, &policy, &ctx));
        assert_eq!(
            analyze(MSG, None, Some(1_793_491_200.0)).ok(),
            Some(expected)
        );
    }

    #[test]
    fn analyze_to_card_carries_the_core_report_and_card() {
        let (policy, ctx) = inputs(None, Some(1_793_491_200.0)).unwrap();
        let report = mailward_core::analyze(MSG, &policy, &ctx);
        let json = mailward_core::to_json(&report);
        let expected = mailward_core::render::card(&report, &CardOptions::default()).to_string();
        let both: serde_json::Value =
            serde_json::from_str(&report_and_card(&report, &CardOptions::default())).unwrap();
        assert_eq!(both["card"].to_string(), expected);
        assert_eq!(
            both["report"],
            serde_json::from_str::<serde_json::Value>(&json).unwrap()
        );
        assert!(card_options(Some(r#"{"reported":true}"#)).unwrap().reported);
        assert!(card_options(Some(r#"{"bogus":1}"#)).is_err());
    }

    #[test]
    fn blank_policy_is_the_default() {
        assert_eq!(inputs(Some("  "), None).unwrap().0, Policy::default());
        assert_eq!(inputs(Some("{}"), None).unwrap().0, Policy::default());
    }

    #[test]
    fn caller_mistakes_are_errors() {
        assert!(inputs(Some("{\"orgDomain\": []}"), None).is_err());
        assert!(inputs(None, Some(f64::NAN)).is_err());
        assert!(inputs(None, Some(1.5)).is_err());
        assert!(inputs(None, Some(1e300)).is_err());
        assert_eq!(inputs(None, Some(-5.0)).unwrap().1.now, Some(-5));
        assert!(parse_parts("42").is_err());
        assert_eq!(parse_parts("{}").unwrap(), MessageParts::default());
    }
}
