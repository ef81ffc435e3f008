//! Forwarding of user reports to a security mailbox over SMTP (`lettre`): one message per
//! report, subject `Phishing: <original subject>`, the reported message attached unmodified
//! as a single `message/rfc822` part (the format Microsoft Defender's user-reported
//! mailbox accepts).
//!
//! A report is marked `pending` in the same transaction that stores it; this task sends
//! pending reports and marks them `sent` (or `failed` after [`MAX_ATTEMPTS`]), so a crash
//! between storing and sending only delays the forward.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor};
use tokio::sync::watch;

use crate::AppState;
use crate::config::ForwardConfig;

/// Sending attempts of one report before it is marked `failed`.
pub const MAX_ATTEMPTS: u32 = 3;

/// Builds the forwarded message around the reported one.
pub fn build_message(cfg: &ForwardConfig, to: &str, report_id: i64, raw: &[u8]) -> Result<Message> {
    let subject = mail_parser::MessageParser::default()
        .parse_headers(raw)
        .and_then(|m| m.subject().map(str::to_string))
        .unwrap_or_default();
    let subject: String = subject
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let from: Mailbox = cfg.from.parse().context("forward.from is not an address")?;
    let to: Mailbox = to.parse().context("forward.to is not an address")?;
    let attachment = Attachment::new(format!("reported-{report_id}.eml"))
        .body(raw.to_vec(), ContentType::parse("message/rfc822")?);
    let text = SinglePart::plain(format!(
        "A user reported this message as phishing (Mailward report {report_id}). \
         The reported message is attached unmodified.\n"
    ));
    Ok(Message::builder()
        .from(from)
        .to(to)
        .subject(format!("Phishing: {subject}"))
        .multipart(MultiPart::mixed().singlepart(text).singlepart(attachment))?)
}

fn transport(cfg: &ForwardConfig) -> AsyncSmtpTransport<Tokio1Executor> {
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.smtp_host)
        .port(cfg.smtp_port)
        .timeout(Some(Duration::from_secs(30)));
    if let (Some(user), Some(pass)) = (&cfg.smtp_user, &cfg.smtp_password) {
        b = b.credentials(Credentials::new(user.clone(), pass.clone()));
    }
    b.build()
}

/// The forwarding task: sends pending reports whenever woken (and every minute).
pub async fn run(state: Arc<AppState>, mut shutdown: watch::Receiver<bool>) {
    let Some(to) = state.config.forward.to.clone() else {
        return;
    };
    let mailer = transport(&state.config.forward);
    let mut attempts: std::collections::HashMap<i64, u32> = Default::default();
    loop {
        let store = state.store.clone();
        let pending = tokio::task::spawn_blocking(move || store.pending_forwards(16))
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let mut progressed = false;
        for (id, raw) in pending {
            let outcome = match build_message(&state.config.forward, &to, id, &raw) {
                Ok(msg) => mailer
                    .send(msg)
                    .await
                    .map(|_| ())
                    .map_err(anyhow::Error::from),
                Err(e) => Err(e),
            };
            let state_name = match outcome {
                Ok(()) => {
                    state.metrics.report("forwarded");
                    tracing::info!(report_id = id, "report forwarded");
                    "sent"
                }
                Err(e) => {
                    let n = attempts.entry(id).or_default();
                    *n += 1;
                    tracing::warn!(report_id = id, attempt = *n, error = %e, "forwarding failed");
                    if *n < MAX_ATTEMPTS {
                        continue;
                    }
                    state.metrics.report("forward-failed");
                    "failed"
                }
            };
            attempts.remove(&id);
            progressed = true;
            let store = state.store.clone();
            let _ =
                tokio::task::spawn_blocking(move || store.set_forward_state(id, state_name)).await;
        }
        if progressed {
            continue;
        }
        tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => return,
            _ = state.forward_wakeup.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(if attempts.is_empty() { 60 } else { 5 })) => {}
        }
    }
}
