//! Arbitrary header blocks and bodies through the parts entry point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailward_core::{AttachmentMeta, Context, MessageParts, Policy, analyze_parts};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut pieces = text.splitn(3, "\u{0}");
    let parts = MessageParts {
        headers: pieces.next().unwrap_or_default().to_string(),
        html: pieces.next().map(str::to_string),
        text: pieces.next().map(str::to_string),
        attachments: vec![AttachmentMeta {
            name: Some(text.chars().take(40).collect()),
            content_type: Some("application/octet-stream".to_string()),
            size: Some(data.len() as u64),
            bytes: None,
        }],
    };
    let _ = analyze_parts(&parts, &Policy::default(), &Context::default());
});
