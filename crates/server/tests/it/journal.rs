//! Journaling intake and report forwarding over real SMTP on loopback (`lettre` as the
//! client).

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Tokio1Executor};
use mailward_server::store::JournalRow;

use crate::support::{TempDir, b64, config};

const PLAIN: &[u8] = b"From: Alice <alice@example.org>\r\nTo: bob@contoso.com\r\nSubject: Lunch\r\nDate: Mon, 13 Nov 2023 10:00:00 +0000\r\nMessage-ID: <plain-1@example.org>\r\n\r\nNoon?\r\n";

fn report_fixture() -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/m365-journal-report.eml"),
    )
    .unwrap()
}

fn smtp(addr: std::net::SocketAddr) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
        .port(addr.port())
        .timeout(Some(Duration::from_secs(10)))
        .build()
}

fn envelope() -> Envelope {
    Envelope::new(
        Some("journal-sender@contoso.com".parse().unwrap()),
        vec!["journal@archive.example".parse().unwrap()],
    )
    .unwrap()
}

fn journal_config(dir: &std::path::Path) -> mailward_server::Config {
    let mut c = config(dir);
    c.journal.listen = Some("127.0.0.1:0".parse().unwrap());
    c
}

/// Waits (bounded) until `n` journal verdicts are stored.
async fn verdicts(running: &mailward_server::Running, n: usize) -> Vec<JournalRow> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = running.state.store.journal_verdicts(100).unwrap();
        if rows.len() >= n || Instant::now() > deadline {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journal_reports_are_unwrapped_analysed_and_stored() {
    let dir = TempDir::new("journal");
    let running = mailward_server::start(journal_config(&dir.0))
        .await
        .unwrap();
    let client = smtp(running.smtp_addr.unwrap());
    client
        .send_raw(&envelope(), &report_fixture())
        .await
        .unwrap();
    client.send_raw(&envelope(), PLAIN).await.unwrap();
    let rows = verdicts(&running, 2).await;
    assert_eq!(rows.len(), 2, "verdicts stored");
    let plain = &rows[0];
    let unwrapped = &rows[1];
    assert!(unwrapped.unwrapped);
    assert_eq!(
        unwrapped.message_id.as_deref(),
        Some("<CAF=original-1@mail.gmail.com>")
    );
    assert_ne!(
        unwrapped.level, "safe",
        "the original (a VIP on free mail) is analysed"
    );
    assert!(!plain.unwrapped);
    assert_eq!(plain.message_id.as_deref(), Some("<plain-1@example.org>"));
    assert_eq!(running.state.store.journal_queue_len().unwrap(), 0);
    // The worker lowers the gauge just after committing a verdict: wait for it (bounded).
    let deadline = Instant::now() + Duration::from_secs(10);
    while running.state.metrics.queue_depth.load(Ordering::SeqCst) != 0 && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let metrics = running.state.metrics.render();
    assert!(metrics.contains("mailward_journal_messages_total{outcome=\"accepted\"} 2"));
    assert!(metrics.contains("mailward_journal_messages_total{outcome=\"unwrapped\"} 1"));
    assert!(
        metrics.contains("mailward_journal_queue_depth 0"),
        "{metrics}"
    );
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_defers_and_accepted_messages_survive_a_restart() {
    let dir = TempDir::new("journal");
    let mut cfg = journal_config(&dir.0);
    cfg.journal.queue_capacity = 2;
    cfg.journal.analyse = false;
    let running = mailward_server::start(cfg.clone()).await.unwrap();
    let client = smtp(running.smtp_addr.unwrap());
    client.send_raw(&envelope(), PLAIN).await.unwrap();
    client
        .send_raw(&envelope(), &report_fixture())
        .await
        .unwrap();
    // Full: a temporary failure, so the sender keeps the message and retries.
    let err = client.send_raw(&envelope(), PLAIN).await.unwrap_err();
    assert!(err.is_transient(), "{err}");
    running.shutdown().await;

    // Restarted with analysis on: both accepted messages get their verdicts.
    cfg.journal.analyse = true;
    let running = mailward_server::start(cfg).await.unwrap();
    let rows = verdicts(&running, 2).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(running.state.store.journal_queue_len().unwrap(), 0);
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_are_forwarded_as_an_unmodified_rfc822_attachment() {
    // The journaling listener of a second server is the SMTP sink.
    let sink_dir = TempDir::new("sink");
    let mut sink_cfg = journal_config(&sink_dir.0);
    sink_cfg.journal.analyse = false;
    let sink = mailward_server::start(sink_cfg).await.unwrap();
    let sink_addr = sink.smtp_addr.unwrap();

    let dir = TempDir::new("forward");
    let mut cfg = config(&dir.0);
    cfg.forward.to = Some("phish-reports@contoso.com".into());
    cfg.forward.from = "mailward@contoso.com".into();
    cfg.forward.smtp_host = sink_addr.ip().to_string();
    cfg.forward.smtp_port = sink_addr.port();
    let server = mailward_server::start(cfg).await.unwrap();

    let reported = crate::support::fixtures()
        .into_iter()
        .find(|(n, _)| n.contains("/phish/"))
        .unwrap()
        .1;
    let body = serde_json::json!({"raw": b64(&reported), "reporter": "user@contoso.com"});
    let res = post_json(server.http_addr, "/v1/reports", &body.to_string()).await;
    assert!(res.starts_with("HTTP/1.1 201"), "{res}");

    let deadline = Instant::now() + Duration::from_secs(20);
    let forwarded = loop {
        let pending = sink.state.store.journal_pending(10).unwrap();
        if let Some((_, _, raw)) = pending.into_iter().next() {
            break raw;
        }
        assert!(Instant::now() < deadline, "nothing forwarded");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let msg = mail_parser::MessageParser::default()
        .parse(&forwarded)
        .unwrap();
    assert!(
        msg.subject().unwrap().starts_with("Phishing:"),
        "{:?}",
        msg.subject()
    );
    let attached: Vec<_> = msg.attachments().filter_map(|p| p.message()).collect();
    assert_eq!(attached.len(), 1, "exactly one message/rfc822 attachment");
    // Unmodified: byte for byte, line endings normalised to the CRLF of SMTP.
    let crlf = |b: &[u8]| String::from_utf8_lossy(b).replace("\r\n", "\n");
    assert_eq!(
        crlf(attached[0].raw_message()).trim_end(),
        crlf(&reported).trim_end()
    );
    server.shutdown().await;
    sink.shutdown().await;
}

/// A minimal HTTP/1.1 POST over loopback; the whole response as text.
async fn post_json(addr: std::net::SocketAddr, path: &str, body: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    conn.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_message_gets_552_after_its_data_and_the_session_goes_on() {
    let dir = TempDir::new("journal-552");
    let mut cfg = journal_config(&dir.0);
    cfg.journal.max_message_bytes = 4096;
    cfg.journal.analyse = false;
    let running = mailward_server::start(cfg).await.unwrap();
    let addr = running.smtp_addr.unwrap();

    // Far above the limit and above the socket buffers, so the client is still sending
    // when the server knows the answer.
    let mut big = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: big\r\n\r\n".to_vec();
    while big.len() < 4 * 1024 * 1024 {
        big.extend_from_slice(&[b'x'; 76]);
        big.extend_from_slice(b"\r\n");
    }
    let client = smtp(addr);
    let sent = tokio::time::timeout(Duration::from_secs(60), client.send_raw(&envelope(), &big))
        .await
        .expect("the oversized message must be answered, not hang");
    let err = sent.unwrap_err();
    assert!(err.is_permanent(), "{err}");
    assert_eq!(
        err.status().map(|c| c.to_string()).as_deref(),
        Some("552"),
        "{err}"
    );

    // The listener still works, and the message below the limit is accepted.
    tokio::time::timeout(Duration::from_secs(60), client.send_raw(&envelope(), PLAIN))
        .await
        .expect("no hang")
        .unwrap();
    assert_eq!(running.state.store.journal_queue_len().unwrap(), 1);
    let metrics = running.state.metrics.render();
    assert!(
        metrics.contains("mailward_journal_messages_total{outcome=\"too-large\"} 1"),
        "{metrics}"
    );
    running.shutdown().await;
}

/// The exchange itself: after the 552 the session is out of DATA, so `RSET` and a new
/// transaction get their replies (the client used to wait forever for them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_552_the_next_commands_are_answered() {
    use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
    let dir = TempDir::new("journal-552-raw");
    let mut cfg = journal_config(&dir.0);
    cfg.journal.max_message_bytes = 1024;
    cfg.journal.analyse = false;
    let running = mailward_server::start(cfg).await.unwrap();
    let exchange = async {
        let stream = tokio::net::TcpStream::connect(running.smtp_addr.unwrap())
            .await
            .unwrap();
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        // The code of the last line of the next reply.
        async fn reply(
            lines: &mut tokio::io::Lines<BufReader<tokio::net::tcp::OwnedReadHalf>>,
        ) -> String {
            loop {
                let line = lines.next_line().await.unwrap().expect("a reply");
                if line.as_bytes().get(3) != Some(&b'-') {
                    return line;
                }
            }
        }
        assert!(reply(&mut lines).await.starts_with("220"));
        for (cmd, code) in [
            ("EHLO client.example\r\n", "250"),
            ("MAIL FROM:<a@example.org>\r\n", "250"),
            ("RCPT TO:<journal@example.org>\r\n", "250"),
            ("DATA\r\n", "354"),
        ] {
            write.write_all(cmd.as_bytes()).await.unwrap();
            let r = reply(&mut lines).await;
            assert!(r.starts_with(code), "{cmd:?} -> {r}");
        }
        let mut body = b"Subject: big\r\n\r\n".to_vec();
        for _ in 0..20_000 {
            body.extend_from_slice(b"0123456789012345678901234567890123456789\r\n");
        }
        body.extend_from_slice(b".\r\n");
        write.write_all(&body).await.unwrap();
        let r = reply(&mut lines).await;
        assert!(r.starts_with("552 5.3.4"), "{r}");
        for (cmd, code) in [
            ("RSET\r\n", "250"),
            ("MAIL FROM:<a@example.org>\r\n", "250"),
            ("RCPT TO:<journal@example.org>\r\n", "250"),
            ("DATA\r\n", "354"),
            ("Subject: small\r\n\r\nhi\r\n.\r\n", "250"),
            ("QUIT\r\n", "221"),
        ] {
            write.write_all(cmd.as_bytes()).await.unwrap();
            let r = reply(&mut lines).await;
            assert!(r.starts_with(code), "{cmd:?} -> {r}");
        }
    };
    tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .expect("every command is answered");
    assert_eq!(running.state.store.journal_queue_len().unwrap(), 1);
    running.shutdown().await;
}
