//! Any bytes in: the engine must return a report, never panic, and keep its promises
//! (banner length, sorted findings, JSON round trip).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailward_core::{Context, Policy, Report, analyze, report::BANNER_MAX_CHARS, to_json};

fuzz_target!(|data: &[u8]| {
    let policy = Policy::default();
    let report = analyze(data, &policy, &Context { now: Some(1_793_491_200) });
    check(&report);
});

fn check(report: &Report) {
    if let Some(banner) = &report.banner {
        assert!(banner.text.chars().count() <= BANNER_MAX_CHARS);
    }
    assert!(report.verdict.score <= 100);
    let json = to_json(report);
    let back: Report = serde_json::from_str(&json).expect("report JSON round-trips");
    assert_eq!(&back, report);
}
