//! End-to-end tests of the `mailward` binary: arguments, output formats, exit codes, and
//! scanning every kind of source. Messages are written inline and kept small.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A fixed clock (2023-11-14) so date checks do not depend on when the tests run.
const NOW: &str = "1700000000";

const POLICY: &str = r#"{
  "orgDomains": ["contoso.com"],
  "vips": [{ "name": "Megan Bowen", "addresses": ["megan.bowen@contoso.com"] }]
}"#;

/// Plainly fine: dated, identified, no mismatch.
const SAFE: &str = "From: Alice <alice@example.org>\n\
To: bob@contoso.com\n\
Subject: Lunch\n\
Date: Mon, 13 Nov 2023 10:00:00 +0000\n\
Message-ID: <1@example.org>\n\
\n\
Noon?\n";

/// Replies diverted to free mail, no Date, no Message-ID.
const CAUTION: &str = "From: Bob <bob@example.com>\n\
Reply-To: bob.example@gmail.com\n\
Subject: Quick question\n\
\n\
Are you at your desk?\n";

/// A VIP's name on a free-mail address, replies going elsewhere.
const DANGER: &str = "From: Megan Bowen <megan.bowen.ceo@gmail.com>\n\
Reply-To: mb.office@outlook.com\n\
To: ap@contoso.com\n\
Subject: Urgent wire transfer\n\
\n\
Please pay today.\n";

struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let dir = std::env::temp_dir().join(format!("mailward-cli-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        Tmp(dir)
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent");
        }
        fs::write(&path, contents).expect("write file");
        path
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn mailward(args: &[&str]) -> Output {
    mailward_stdin(args, None)
}

fn mailward_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailward"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mailward");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait for mailward")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("utf-8 stderr")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn analyze_text_for_people() {
    let tmp = Tmp::new("text");
    let danger = tmp.write("danger.eml", DANGER);
    let policy = tmp.write("policy.json", POLICY);
    let out = mailward(&["analyze", "--policy", s(&policy), "--now", NOW, s(&danger)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("DANGER  score "), "{text}");
    assert!(text.contains("\nFrom:    \"Megan Bowen\" <megan.bowen.ceo@gmail.com>\n"));
    assert!(text.contains("\nSubject: Urgent wire transfer\n"));
    assert!(text.contains("[display-name-impersonation, +"));
    // Not a terminal: no colour unless asked for.
    assert!(!text.contains('\x1b'));
    let colored = mailward(&["analyze", "--color", "always", "--now", NOW, s(&danger)]);
    assert!(stdout(&colored).starts_with("\x1b["));
}

#[test]
fn analyze_json_is_the_canonical_report() {
    let tmp = Tmp::new("json");
    let safe = tmp.write("safe.eml", SAFE);
    let out = mailward(&["analyze", "--format", "json", "--now", NOW, s(&safe)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("{\n  \"schemaVersion\": 1,"), "{text}");
    assert!(text.ends_with("}\n"));
    let report = json(&text);
    assert_eq!(report["verdict"]["level"], "safe");
    assert_eq!(report["message"]["subject"], "Lunch");
}

#[test]
fn analyze_several_files_gives_json_lines_in_order() {
    let tmp = Tmp::new("lines");
    let safe = tmp.write("safe.eml", SAFE);
    let danger = tmp.write("danger.eml", DANGER);
    let policy = tmp.write("policy.json", POLICY);
    let out = mailward(&[
        "analyze",
        "--format",
        "json",
        "--policy",
        s(&policy),
        "--now",
        NOW,
        s(&safe),
        s(&danger),
    ]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    let levels: Vec<String> = text
        .lines()
        .map(|l| {
            json(l)["verdict"]["level"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(levels, ["safe", "danger"]);
}

#[test]
fn analyze_reads_standard_input() {
    let out = mailward_stdin(&["analyze", "--now", NOW, "-"], Some(SAFE));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("Subject: Lunch"));
}

#[test]
fn now_reaches_the_engine() {
    let tmp = Tmp::new("now");
    let future = tmp.write(
        "future.eml",
        SAFE.replace("Mon, 13 Nov 2023", "Mon, 13 Nov 2028"),
    );
    let rules = |now: &str| {
        let out = mailward(&["analyze", "--format", "json", "--now", now, s(&future)]);
        stdout(&out)
    };
    assert!(rules(NOW).contains("\"date-anomaly\""));
    assert!(!rules("1900000000").contains("\"date-anomaly\""));
}

#[test]
fn fail_on_sets_the_exit_status() {
    let tmp = Tmp::new("failon");
    let safe = tmp.write("safe.eml", SAFE);
    let caution = tmp.write("caution.eml", CAUTION);
    let run = |level: Option<&str>, file: &Path| {
        let mut args = vec!["analyze", "--now", NOW];
        if let Some(level) = level {
            args.extend(["--fail-on", level]);
        }
        args.push(s(file));
        let out = mailward(&args);
        assert_eq!(stderr(&out), "");
        code(&out)
    };
    assert_eq!(run(None, &caution), 0, "default is danger");
    assert_eq!(run(Some("danger"), &caution), 0);
    assert_eq!(run(Some("caution"), &caution), 1);
    assert_eq!(run(Some("caution"), &safe), 0);
    assert_eq!(run(Some("safe"), &safe), 1);
}

#[test]
fn errors_exit_with_2() {
    let tmp = Tmp::new("errors");
    let safe = tmp.write("safe.eml", SAFE);
    let bad = tmp.write("bad.json", r#"{"orgDomain": ["typo.example"]}"#);
    let out = mailward(&["analyze", "--policy", s(&bad), s(&safe)]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("invalid policy"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");

    let out = mailward(&["analyze", "--policy", s(&tmp.path("nope.json")), s(&safe)]);
    assert_eq!(code(&out), 2);

    let out = mailward(&["analyze", s(&tmp.path("missing.eml"))]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.eml"));

    // The readable file is still analysed; the status reports the failure.
    let out = mailward(&["analyze", s(&safe), s(&tmp.path("missing.eml"))]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).contains("Subject: Lunch"));

    for args in [
        &["analyze", "--fail-on", "bogus", s(&safe)][..],
        &["analyze", "--format", "xml", s(&safe)],
        &["analyze"],
        &["scan"],
        &["frobnicate"],
    ] {
        assert_eq!(code(&mailward(args)), 2, "{args:?}");
    }
    let out = mailward(&["scan", s(&tmp.path("no-such-dir"))]);
    assert_eq!(code(&out), 2);
}

#[test]
fn help_documents_exit_codes() {
    let out = mailward(&["analyze", "--help"]);
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    assert!(help.contains("Exit status:"), "{help}");
    assert!(help.contains("--fail-on"));
}

fn tar_gz(files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (path, body) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, path, body.as_bytes())
            .expect("append");
    }
    builder
        .into_inner()
        .expect("finish tar")
        .finish()
        .expect("finish gzip")
}

/// A directory (2 .eml + a Maildir with 2 + a non-message + a dotfile), an mbox with 3 and
/// a tar.gz with 2 (+ a hidden entry): 9 messages, 3 of them danger, 2 caution.
/// Plus unreadable inputs: a truncated tar.gz and, on Unix, a dangling `.eml` symlink.
fn corpus(tmp: &Tmp) -> Vec<PathBuf> {
    let dir = tmp.path("mail");
    tmp.write("mail/a.eml", SAFE);
    tmp.write("mail/b.eml", DANGER);
    tmp.write("mail/notes.txt", "not a message");
    tmp.write("mail/.hidden.eml", DANGER);
    tmp.write("mail/Maildir/cur/1700000000.1.host:2,S", SAFE);
    tmp.write("mail/Maildir/new/1700000001.2.host", CAUTION);
    tmp.write("mail/Maildir/tmp/1700000002.3.host", DANGER);
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path("gone"), tmp.path("mail/dangling.eml")).expect("symlink");
    let mbox = tmp.write(
        "box.mbox",
        format!(
            "From a@example.org Mon Nov 13 10:00:00 2023\n{SAFE}\n\
             From b@example.org Mon Nov 13 10:00:01 2023\n{DANGER}\n\
             From c@example.org Mon Nov 13 10:00:02 2023\n{CAUTION}\n"
        ),
    );
    let tgz = tmp.write(
        "archive.tar.gz",
        tar_gz(&[
            ("msgs/1.eml", SAFE),
            ("msgs/2.eml", DANGER),
            ("msgs/._2.eml", "resource fork"),
        ]),
    );
    let whole = tar_gz(&[("x.eml", SAFE), ("y.eml", SAFE)]);
    // Cut inside the first entry's compressed data.
    let cut = tmp.write("cut.tar.gz", &whole[..24]);
    vec![dir, mbox, tgz, cut]
}

fn scan_args<'a>(paths: &'a [PathBuf], policy: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["scan", "--policy", s(policy), "--now", NOW];
    args.extend(extra);
    args.extend(paths.iter().map(|p| s(p)));
    args
}

fn unreadable_expected() -> usize {
    if cfg!(unix) { 2 } else { 1 }
}

#[test]
fn scan_summarises_every_kind_of_source() {
    let tmp = Tmp::new("scan");
    let paths = corpus(&tmp);
    let policy = tmp.write("policy.json", POLICY);
    let out = mailward(&scan_args(&paths, &policy, &["--fail-on", "caution"]));
    assert_eq!(code(&out), 1);
    let table = stdout(&out);
    let unreadable = unreadable_expected();
    assert!(
        table.starts_with("Scanned 9 messages in "),
        "{table}\n{}",
        stderr(&out)
    );
    assert!(table.contains(&format!("messages/s); {unreadable} unreadable.\n")));
    assert!(
        table.contains("\nsafe                4    44.4%\n"),
        "{table}"
    );
    assert!(
        table.contains("\ncaution             2    22.2%\n"),
        "{table}"
    );
    assert!(
        table.contains("\ndanger              3    33.3%\n"),
        "{table}"
    );
    assert!(table.contains("\ndisplay-name-impersonation "), "{table}");

    // Unreadable inputs are named on stderr, without message content, and skipped.
    let err = stderr(&out);
    assert_eq!(err.lines().count(), unreadable, "{err}");
    assert!(err.contains("cut.tar.gz"), "{err}");
    #[cfg(unix)]
    assert!(err.contains("dangling.eml"), "{err}");
    assert!(!err.contains("Subject"));
}

#[test]
fn scan_jsonl_prints_one_report_per_message() {
    let tmp = Tmp::new("jsonl");
    let paths = corpus(&tmp);
    let policy = tmp.write("policy.json", POLICY);
    let out = mailward(&scan_args(&paths, &policy, &["--jsonl"]));
    assert_eq!(code(&out), 1, "danger present, default --fail-on danger");
    let text = stdout(&out);
    let lines: Vec<serde_json::Value> = text.lines().map(json).collect();
    assert_eq!(lines.len(), 9, "{text}");
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().expect("source"))
        .collect();
    assert!(
        sources.iter().any(|s| s.ends_with("box.mbox#3")),
        "{sources:?}"
    );
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("archive.tar.gz!msgs/2.eml"))
    );
    assert!(
        sources
            .iter()
            .any(|s| s.ends_with("Maildir/new/1700000001.2.host"))
    );
    for line in &lines {
        assert_eq!(line["report"]["schemaVersion"], 1);
    }
    // The table moves to stderr, after the unreadable-input lines.
    let err = stderr(&out);
    assert!(err.contains("Scanned 9 messages in "), "{err}");
    assert!(!text.contains("Scanned"));
}

#[test]
fn scan_fail_on_danger_passes_clean_mail() {
    let tmp = Tmp::new("clean");
    tmp.write("in/a.eml", SAFE);
    tmp.write("in/b.eml", CAUTION);
    let out = mailward(&["scan", "--now", NOW, s(&tmp.path("in"))]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Scanned 2 messages in "));
    assert_eq!(
        stderr(&out),
        "",
        "no progress bar when stderr is not a terminal"
    );
}

#[test]
fn eval_reports_rates_per_set_and_writes_markdown() {
    let tmp = Tmp::new("eval");
    tmp.write("phish/a.eml", DANGER);
    tmp.write("phish/b.eml", CAUTION);
    tmp.write("ham/c.eml", SAFE);
    let policy = tmp.write("policy.json", POLICY);
    let md = tmp.path("evaluation.md");
    let out = mailward(&[
        "eval",
        "--now",
        NOW,
        "--policy",
        policy.to_str().expect("utf-8 path"),
        "--phish",
        tmp.path("phish").to_str().expect("utf-8 path"),
        "--ham",
        tmp.path("ham").to_str().expect("utf-8 path"),
        "--markdown",
        md.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("| phish | phish | 2 | 0 (0.0%) | 1 (50.0%) | 1 (50.0%) | **100.0%** | 0 |"),
        "{text}"
    );
    assert!(
        text.contains("| ham | ham | 1 | 1 (100.0%) | 0 (0.0%) | 0 (0.0%) | **0.0%** | 0 |"),
        "{text}"
    );
    assert!(text.contains("`display-name-impersonation`"), "{text}");
    assert!(text.contains("No legitimate message reached caution or danger."));
    // The threshold table: the policy's thresholds marked; every phish message scores ≥ 30,
    // one of the two ≥ 70 (danger), the ham message below 20.
    assert!(text.contains("| 30 (caution) | 100.0% | 0.0% |"), "{text}");
    assert!(text.contains("| 70 (danger) | 50.0% | 0.0% |"), "{text}");
    let doc = fs::read_to_string(&md).expect("markdown written");
    assert!(doc.starts_with("# Evaluation\n"));
    assert!(doc.contains(&text));
}

#[test]
fn eval_needs_both_sides() {
    let out = mailward(&["eval", "--phish", "x"]);
    assert_eq!(code(&out), 2);
}

/// A started `mailward serve` on an ephemeral loopback port.
struct Served {
    child: std::process::Child,
    addr: String,
}

fn serve(data_dir: &Path) -> Served {
    use std::io::BufRead as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_mailward"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            s(data_dir),
        ])
        .env("MAILWARD_ADMIN_KEY", "durable-key")
        .env("MAILWARD_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn mailward serve");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the serving line");
    let addr = line
        .trim()
        .strip_prefix("mailward: serving on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    Served { child, addr }
}

/// One HTTP/1.1 exchange over a fresh connection: (status, body).
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    use std::io::Read as _;
    let mut conn = std::net::TcpStream::connect(addr).expect("connect");
    conn.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .expect("timeout");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    conn.write_all(req.as_bytes()).expect("write request");
    conn.write_all(body).expect("write body");
    let mut res = Vec::new();
    conn.read_to_end(&mut res).expect("read response");
    let text = String::from_utf8_lossy(&res).into_owned();
    let status = text[9..12].parse().expect("status code");
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn serve_keeps_a_report_acknowledged_before_sigkill() {
    let tmp = Tmp::new("durable");
    let data = tmp.path("data");
    let mut server = serve(&data);
    let body = format!(
        r#"{{"raw": "{}", "reporter": "user@contoso.com", "reasons": ["urgent payment"]}}"#,
        base64(DANGER.as_bytes())
    );
    let (status, res) = http(
        &server.addr,
        "POST",
        "/v1/reports",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    );
    // SIGKILL right after the 2xx: no graceful shutdown, no chance to flush anything.
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reap");
    assert_eq!(status, 201, "{res}");
    let id = json(&res)["id"].as_i64().expect("id");

    let mut server = serve(&data);
    let (status, res) = http(
        &server.addr,
        "GET",
        &format!("/v1/reports/{id}"),
        &[("Authorization", "Bearer durable-key")],
        b"",
    );
    let _ = server.child.kill();
    let _ = server.child.wait();
    assert_eq!(status, 200, "{res}");
    let report = json(&res);
    assert_eq!(report["reporter"], "user@contoso.com");
    assert_eq!(report["reasons"][0], "urgent payment");
    assert_eq!(report["report"]["schemaVersion"], 1);
}
