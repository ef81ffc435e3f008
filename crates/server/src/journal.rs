//! Journaling intake: an SMTP listener that accepts a copy of every message (as Microsoft
//! 365 journaling, or an MTA's BCC/journal rule, sends it), persists it, and analyses it in
//! the background.
//!
//! The SMTP protocol is the `mailin` crate's state machine (the engine of
//! `mailin-embedded`); this module only moves lines between sockets and a
//! [`mailin::Session`]. `mailin-embedded` itself is not used: it pulls in rustls with the
//! aws-lc-rs provider (a long C build) and cannot be shut down.
//!
//! Guarantees: a message is written to the `journal_queue` table (committed, fsynced)
//! *before* the `250` is sent, so an acknowledged message is never lost, even on a crash; a
//! crash before the reply leaves the sender to retry. When the queue holds
//! `queue_capacity` messages, `DATA` gets `451 4.3.2` and the sender retries later. The
//! worker stores each verdict and removes the message from the queue in one transaction.
//! Microsoft 365 journal reports (`X-MS-Journal-Report`) are unwrapped: the original message
//! travels as a `message/rfc822` attachment, and that is what is analysed.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, BufWriter, Read as _, Write as _};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context as _, Result};
use mailin::{Action, Handler, Response, SessionBuilder};
use tokio::sync::{Notify, Semaphore, watch};

use crate::AppState;
use crate::api::now_secs;
use crate::metrics::level_name;
use crate::store::JournalVerdict;

/// The longest SMTP line read (commands are short; data lines are bounded by RFC 5322 to
/// 998 characters, but real mail exceeds it).
const MAX_LINE: u64 = 1024 * 1024;
/// Idle time after which a session is dropped.
const SESSION_TIMEOUT: Duration = Duration::from_secs(300);
/// Messages analysed per worker batch.
const BATCH: u32 = 16;
/// message/rfc822 attachments unwrapped from one journal report at most.
const MAX_UNWRAPPED: usize = 8;

/// Binds the listener and starts the accept loop and the analysis worker.
pub async fn start(
    state: Arc<AppState>,
    addr: SocketAddr,
    shutdown: watch::Receiver<bool>,
) -> Result<(SocketAddr, Vec<tokio::task::JoinHandle<()>>)> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen for SMTP on {addr}"))?;
    let local = listener.local_addr()?;
    let store = state.store.clone();
    let pending = tokio::task::spawn_blocking(move || store.journal_queue_len())
        .await
        .context("journal queue")??;
    state.metrics.queue_depth.store(pending, Ordering::SeqCst);
    let wakeup = Arc::new(Notify::new());
    let accept = tokio::spawn(accept_loop(
        state.clone(),
        listener,
        wakeup.clone(),
        shutdown.clone(),
    ));
    let mut tasks = vec![accept];
    if state.config.journal.analyse {
        tasks.push(tokio::spawn(worker(state, wakeup, shutdown)));
    }
    Ok((local, tasks))
}

async fn accept_loop(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    wakeup: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let sessions = Arc::new(Semaphore::new(state.config.journal.max_sessions));
    // Open sessions' sockets, so shutdown can close them (their threads block in reads).
    let open: Arc<Mutex<HashMap<u64, std::net::TcpStream>>> = Arc::default();
    let mut next_id = 0u64;
    loop {
        let (stream, peer) = tokio::select! {
            _ = stopped(&mut shutdown) => {
                for (_, s) in open.lock().unwrap_or_else(|e| e.into_inner()).drain() {
                    let _ = s.shutdown(std::net::Shutdown::Both);
                }
                return;
            }
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "SMTP accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = sessions.clone().try_acquire_owned() else {
            // Too many sessions: a temporary refusal, then close.
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt as _;
                let mut stream = stream;
                let _ = stream
                    .write_all(b"421 4.3.2 Too many connections, try again later\r\n")
                    .await;
            });
            continue;
        };
        let Ok(std_stream) = stream.into_std() else {
            continue;
        };
        let end_reply = EndReply::default();
        let handler = JournalHandler {
            state: state.clone(),
            wakeup: wakeup.clone(),
            data: Vec::new(),
            too_large: false,
            end_reply: end_reply.clone(),
        };
        let hostname = state.config.journal.hostname.clone();
        next_id += 1;
        let id = next_id;
        if let Ok(clone) = std_stream.try_clone() {
            open.lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(id, clone);
        }
        let open = open.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let _registered = Deregister(open, id);
            // No STARTTLS: journaling runs on a trusted network or loopback (docs/server.md).
            let session = SessionBuilder::new(hostname).build(peer.ip(), handler);
            if let Err(e) = run_session(session, std_stream, &end_reply) {
                tracing::debug!(error = %e, "SMTP session ended");
            }
        });
    }
}

/// Removes a session's socket from the open set when the session ends.
struct Deregister(Arc<Mutex<HashMap<u64, std::net::TcpStream>>>, u64);

impl Drop for Deregister {
    fn drop(&mut self) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.1);
    }
}

/// The real reply to the end of a message's data when it is a failure.
///
/// `mailin` keeps a session in its DATA state when `data_end` answers an error, so the
/// client's next command (`RSET`, `QUIT`, `MAIL`) would be swallowed as message text and the
/// client would wait forever for its reply (the hang an oversized message once caused).
/// After the end-of-data reply, whatever it is, the transaction is over (RFC 5321 4.1.1.4),
/// so [`JournalHandler::data_end`] lets `mailin` see `250` and leaves the real reply here for
/// [`run_session`] to send instead.
#[derive(Clone, Default)]
struct EndReply(Arc<Mutex<Option<Response>>>);

impl EndReply {
    fn set(&self, reply: Response) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(reply);
    }

    fn take(&self) -> Option<Response> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// One SMTP session on a blocking thread: lines in, `mailin` responses out.
///
/// The data of a message is read to its end (`.`) even once it is known to be refused (too
/// large): a client sends the whole message before it reads the reply.
fn run_session(
    mut session: mailin::Session<JournalHandler>,
    stream: std::net::TcpStream,
    end_reply: &EndReply,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(SESSION_TIMEOUT))?;
    stream.set_write_timeout(Some(SESSION_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = BufWriter::new(stream);
    session.greeting().write_to(&mut writer)?;
    writer.flush()?;
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        let n = (&mut reader).take(MAX_LINE).read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(());
        }
        if !line.ends_with(b"\n") {
            Response::custom(500, "5.5.2 Line too long".into()).write_to(&mut writer)?;
            writer.flush()?;
            return Ok(());
        }
        let mut res = session.process(&line);
        if let Some(real) = end_reply.take() {
            res = real;
        }
        match res.action {
            Action::Reply => {
                res.write_to(&mut writer)?;
                writer.flush()?;
            }
            Action::Close | Action::UpgradeTls => {
                res.write_to(&mut writer)?;
                writer.flush()?;
                return Ok(());
            }
            Action::NoReply => {}
        }
    }
}

struct JournalHandler {
    state: Arc<AppState>,
    wakeup: Arc<Notify>,
    data: Vec<u8>,
    too_large: bool,
    end_reply: EndReply,
}

fn queue_full() -> Response {
    Response::custom(451, "4.3.2 Journal queue full, try again later".into())
}

impl JournalHandler {
    fn capacity(&self) -> i64 {
        i64::try_from(self.state.config.journal.queue_capacity).unwrap_or(i64::MAX)
    }

    fn has_room(&self) -> bool {
        self.state.metrics.queue_depth.load(Ordering::SeqCst) < self.capacity()
    }

    /// Takes a queue slot, or `false` when the queue is full.
    fn reserve(&self) -> bool {
        let depth = &self.state.metrics.queue_depth;
        if depth.fetch_add(1, Ordering::SeqCst) < self.capacity() {
            true
        } else {
            depth.fetch_sub(1, Ordering::SeqCst);
            false
        }
    }
}

impl Handler for JournalHandler {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.data.clear();
        self.too_large = false;
        if self.has_room() {
            mailin::response::START_DATA
        } else {
            self.state.metrics.journal("deferred");
            queue_full()
        }
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if self.data.len() + buf.len() > self.state.config.journal.max_message_bytes {
            self.too_large = true;
        } else if !self.too_large {
            self.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let reply = self.finish();
        if reply.is_error {
            // See `EndReply`: the transaction ends here either way.
            self.end_reply.set(reply);
            mailin::response::OK
        } else {
            reply
        }
    }
}

impl JournalHandler {
    /// Stores a complete message: the reply to the end of its data.
    fn finish(&mut self) -> Response {
        let data = std::mem::take(&mut self.data);
        if self.too_large {
            self.state.metrics.journal("too-large");
            return Response::custom(552, "5.3.4 Message too big for the journal".into());
        }
        if !self.reserve() {
            self.state.metrics.journal("deferred");
            return queue_full();
        }
        // Persist first: only a committed message gets its 250.
        match self.state.store.journal_enqueue(now_secs(), &data) {
            Ok(id) => {
                self.state.metrics.journal("accepted");
                tracing::debug!(queue_id = id, bytes = data.len(), "journal message queued");
                self.wakeup.notify_one();
                mailin::response::OK
            }
            Err(e) => {
                self.state
                    .metrics
                    .queue_depth
                    .fetch_sub(1, Ordering::SeqCst);
                tracing::error!(error = %e, "journal message could not be stored");
                mailin::response::INTERNAL_ERROR
            }
        }
    }
}

/// Resolves once shutdown was asked for.
async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

async fn worker(state: Arc<AppState>, wakeup: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let st = state.clone();
        let processed = tokio::task::spawn_blocking(move || process_batch(&st))
            .await
            .unwrap_or(0);
        if processed > 0 {
            continue;
        }
        tokio::select! {
            _ = stopped(&mut shutdown) => return,
            _ = wakeup.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

/// Analyses up to [`BATCH`] queued messages; returns how many were done.
fn process_batch(state: &AppState) -> usize {
    let batch = match state.store.journal_pending(BATCH) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "journal queue unreadable");
            return 0;
        }
    };
    let mut done = 0;
    for (queue_id, received_at, raw) in batch {
        let now = now_secs();
        let messages = unwrap_journal(&raw);
        let unwrapped = messages.is_some();
        let messages = messages.unwrap_or_else(|| vec![raw.clone()]);
        #[allow(clippy::needless_update)]
        let ctx = mailward_core::Context {
            now: Some(now),
            ..Default::default()
        };
        let reports: Vec<_> = messages
            .iter()
            .map(|m| mailward_core::analyze(m, &state.policy, &ctx))
            .collect();
        let jsons: Vec<String> = reports
            .iter()
            .map(|r| serde_json::to_string(r).unwrap_or_default())
            .collect();
        let verdicts: Vec<JournalVerdict<'_>> = reports
            .iter()
            .zip(&jsons)
            .map(|(r, json)| JournalVerdict {
                unwrapped,
                message_id: r.message.message_id.as_deref(),
                level: level_name(r.verdict.level),
                score: r.verdict.score,
                report_json: json,
            })
            .collect();
        match state
            .store
            .journal_complete(queue_id, received_at, &verdicts)
        {
            Ok(()) => {
                state.metrics.queue_depth.fetch_sub(1, Ordering::SeqCst);
                for r in &reports {
                    state.metrics.analysis("journal", r.verdict.level);
                }
                state
                    .metrics
                    .journal(if unwrapped { "unwrapped" } else { "analysed" });
                tracing::info!(
                    queue_id,
                    messages = reports.len(),
                    unwrapped,
                    "journal message analysed"
                );
                done += 1;
            }
            Err(e) => {
                tracing::error!(queue_id, error = %e, "journal verdict could not be stored");
                return done;
            }
        }
    }
    done
}

/// The original message(s) inside a Microsoft 365 journal report, or `None` when `raw` is
/// not one (then `raw` itself is the journaled message).
pub fn unwrap_journal(raw: &[u8]) -> Option<Vec<Vec<u8>>> {
    let msg = mail_parser::MessageParser::default().parse(raw)?;
    msg.header_raw("X-MS-Journal-Report")?;
    let originals: Vec<Vec<u8>> = msg
        .attachments()
        .filter_map(|part| part.message())
        .take(MAX_UNWRAPPED)
        .map(|m| m.raw_message().to_vec())
        .collect();
    (!originals.is_empty()).then_some(originals)
}
