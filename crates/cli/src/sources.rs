//! Where messages come from: directories of `.eml` files, Maildirs, mbox files, tar archives
//! (optionally gzip-compressed) and gzip-compressed mbox files.
//!
//! Everything is read sequentially and streamed: a tar or mbox file is never held in memory
//! as a whole, only one message at a time (at most [`MAX_MESSAGE_BYTES`]). Each message, or
//! each thing that could not be read, is handed to a sink as an [`Item`], in a stable order
//! (directory entries sorted by name, archive and mbox entries in file order).
//!
//! Kinds are recognised by content, not by name (except that a `.eml` file is never
//! decompressed): gzip by its magic bytes, tar by the `ustar`
//! magic (or a `.tar`/`.tgz`/`.tar.gz` name), mbox by a leading `From ` line. Anything else is
//! one message.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::ops::ControlFlow;
use std::path::{Component, Path};

use flate2::read::MultiGzDecoder;

/// Messages larger than this are reported as unreadable instead of being analysed (the
/// engine itself looks at no more than `mailward_core::limits::MAX_BYTES` of a message).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// One message, or one thing that could not be read.
#[derive(Debug)]
pub enum Item {
    Message {
        /// `path`, `path#3` (third message of an mbox), `archive.tar.gz!dir/x.eml`.
        source: String,
        bytes: Vec<u8>,
    },
    Unreadable {
        source: String,
        /// Why, without any message content.
        reason: String,
    },
}

/// A sink for items; `Break` stops reading.
pub type Sink<'a> = dyn FnMut(Item) -> ControlFlow<()> + 'a;

/// Reads every message under `path`: a directory (walked recursively), or a file of any
/// supported kind.
pub fn read_path(path: &Path, sink: &mut Sink<'_>) -> ControlFlow<()> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => walk_dir(path, sink),
        Ok(_) => read_file(path, sink),
        Err(e) => unreadable(sink, display(path), e),
    }
}

/// Recursively visits `dir` in name order: `.eml` files anywhere, and every file directly
/// inside a Maildir `cur/` or `new/` folder. Names starting with `.` are skipped, and
/// symbolic links to directories are not followed (no cycles).
fn walk_dir(dir: &Path, sink: &mut Sink<'_>) -> ControlFlow<()> {
    let mut entries = match fs::read_dir(dir) {
        Ok(rd) => match rd.collect::<Result<Vec<_>, _>>() {
            Ok(entries) => entries,
            Err(e) => return unreadable(sink, display(dir), e),
        },
        Err(e) => return unreadable(sink, display(dir), e),
    };
    entries.sort_by_key(|e| e.file_name());
    let in_maildir = matches!(
        dir.file_name().and_then(|n| n.to_str()),
        Some("cur" | "new")
    );
    for entry in entries {
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            walk_dir(&path, sink)?;
        } else if in_maildir || has_eml_extension(&path) {
            read_file(&path, sink)?;
        }
    }
    ControlFlow::Continue(())
}

fn has_eml_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
}

/// Reads one file: a gzip stream is decompressed first; then a tar archive yields its
/// entries, an mbox its messages, anything else is one message.
pub fn read_file(path: &Path, sink: &mut Sink<'_>) -> ControlFlow<()> {
    let name = display(path);
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return unreadable(sink, name, e),
    };
    let lower = name.to_ascii_lowercase();
    let tar_by_name =
        lower.ends_with(".tar") || lower.ends_with(".tgz") || lower.ends_with(".tar.gz");
    let (head, rest) = match peek(BufReader::new(file), 2) {
        Ok(p) => p,
        Err(e) => return unreadable(sink, name, e),
    };
    // A file named .eml is one message whatever its first bytes (a message may start with
    // anything, gzip's magic included); other names are sniffed.
    let reader: Box<dyn Read> = if head.starts_with(&[0x1f, 0x8b]) && !has_eml_extension(path) {
        Box::new(MultiGzDecoder::new(Cursor::new(head).chain(rest)))
    } else {
        Box::new(Cursor::new(head).chain(rest))
    };
    let (head, rest) = match peek(reader, 512) {
        Ok(p) => p,
        Err(e) => return unreadable(sink, name, e),
    };
    let is_tar = tar_by_name || head.get(257..262) == Some(b"ustar");
    let reader = BufReader::new(Cursor::new(head).chain(rest));
    if is_tar {
        read_tar(&name, reader, sink)
    } else {
        read_stream(&name, reader, sink)
    }
}

/// An mbox or a single message, from a stream.
fn read_stream<R: BufRead>(name: &str, mut reader: R, sink: &mut Sink<'_>) -> ControlFlow<()> {
    match reader.fill_buf() {
        Ok(buf) if is_mbox(buf) => {
            for (i, msg) in Mbox::new(reader).enumerate() {
                let source = format!("{name}#{}", i + 1);
                match msg {
                    Ok(bytes) => sink(Item::Message { source, bytes })?,
                    Err(MboxError::TooLarge) => sink(too_large(source))?,
                    Err(MboxError::Io(e)) => return unreadable(sink, source, e),
                }
            }
            ControlFlow::Continue(())
        }
        Ok(_) => match read_capped(reader) {
            Ok(Some(bytes)) => sink(Item::Message {
                source: name.to_string(),
                bytes,
            }),
            Ok(None) => sink(too_large(name.to_string())),
            Err(e) => unreadable(sink, name.to_string(), e),
        },
        Err(e) => unreadable(sink, name.to_string(), e),
    }
}

/// Every regular file in a tar archive, in archive order. Hidden names (any path component
/// starting with `.`, such as macOS `._` files) are skipped. A corrupt archive is reported
/// once and the rest of it skipped.
fn read_tar<R: Read>(name: &str, reader: R, sink: &mut Sink<'_>) -> ControlFlow<()> {
    let mut archive = tar::Archive::new(reader);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return unreadable(sink, name.to_string(), e),
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => return unreadable(sink, name.to_string(), e),
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let inner = match entry.path() {
            Ok(p) => p.into_owned(),
            Err(e) => {
                sink(Item::Unreadable {
                    source: format!("{name}!?"),
                    reason: e.to_string(),
                })?;
                continue;
            }
        };
        if is_hidden(&inner) {
            continue;
        }
        let source = format!("{name}!{}", inner.to_string_lossy());
        if entry.size() > MAX_MESSAGE_BYTES as u64 {
            sink(too_large(source))?;
            continue;
        }
        read_stream(&source, BufReader::new(entry), sink)?;
    }
    ControlFlow::Continue(())
}

fn is_hidden(path: &Path) -> bool {
    path.components().any(|c| match c {
        Component::Normal(s) => s.as_encoded_bytes().starts_with(b"."),
        _ => false,
    })
}

/// Whether `bytes` (the start of a file) look like an mbox: a leading `From ` envelope line.
pub fn is_mbox(bytes: &[u8]) -> bool {
    bytes.starts_with(b"From ")
}

/// The one message in `bytes`, for callers that expect exactly one (`mailward analyze`):
/// the bytes as they are, or, for an mbox holding a single message, that message without
/// its envelope line. An mbox with several messages is an error.
pub fn single_message(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if !is_mbox(&bytes) {
        return Ok(bytes);
    }
    let mut messages = Mbox::new(&bytes[..]);
    let first = match messages.next() {
        Some(Ok(m)) => m,
        Some(Err(MboxError::TooLarge)) => return Err(too_large_reason()),
        Some(Err(MboxError::Io(e))) => return Err(e.to_string()),
        None => Vec::new(),
    };
    let more = messages.count();
    if more > 0 {
        return Err(format!(
            "an mbox holding {} messages; use `mailward scan` for mailboxes",
            more + 1
        ));
    }
    Ok(first)
}

/// Splits an mbox stream into messages: a line starting with `From ` begins a new message
/// (the line itself, the envelope, is dropped); `>From `, `>>From `, … lose one `>`
/// (mboxrd unquoting); the blank line separating a message from the next envelope is
/// dropped. Lines are read with a bound, so a file without newlines cannot exhaust memory.
pub struct Mbox<R> {
    reader: R,
    /// The envelope line of the next message has been consumed.
    started: bool,
    done: bool,
    line: Vec<u8>,
}

#[derive(Debug)]
pub enum MboxError {
    TooLarge,
    Io(io::Error),
}

impl<R: BufRead> Mbox<R> {
    pub fn new(reader: R) -> Self {
        Mbox {
            reader,
            started: false,
            done: false,
            line: Vec::new(),
        }
    }

    /// Reads the next line into `self.line` (with its line ending); `false` at end of input.
    /// Lines longer than the message bound are cut (the excess is consumed and dropped),
    /// which then makes the message too large anyway.
    fn next_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        let mut read_any = false;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(read_any);
            }
            read_any = true;
            let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (&buf[..=i], true),
                None => (buf, false),
            };
            let room = (MAX_MESSAGE_BYTES + 1).saturating_sub(self.line.len());
            self.line.extend_from_slice(&chunk[..chunk.len().min(room)]);
            let n = chunk.len();
            self.reader.consume(n);
            if found {
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> Iterator for Mbox<R> {
    type Item = Result<Vec<u8>, MboxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        // Find the first envelope line; anything before it is not part of any message.
        while !self.started {
            match self.next_line() {
                Ok(true) if self.line.starts_with(b"From ") => self.started = true,
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(MboxError::Io(e)));
                }
            }
        }
        let mut msg = Vec::new();
        let mut too_large = false;
        loop {
            match self.next_line() {
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Ok(true) if self.line.starts_with(b"From ") => break,
                Ok(true) => {
                    let line = unquote(&self.line);
                    if msg.len() + line.len() > MAX_MESSAGE_BYTES {
                        too_large = true;
                    }
                    if !too_large {
                        msg.extend_from_slice(line);
                    }
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(MboxError::Io(e)));
                }
            }
        }
        if too_large {
            return Some(Err(MboxError::TooLarge));
        }
        // The separating blank line belongs to the mbox, not to the message.
        if msg.ends_with(b"\r\n\r\n") {
            msg.truncate(msg.len() - 2);
        } else if msg.ends_with(b"\n\n") {
            msg.truncate(msg.len() - 1);
        }
        Some(Ok(msg))
    }
}

/// `>From ` → `From `, `>>From ` → `>From ` (mboxrd); other lines unchanged.
fn unquote(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

/// Reads the first `n` bytes (fewer at end of input) and gives them back with the rest of
/// the stream, so the caller can sniff the kind without losing anything.
fn peek<R: Read>(mut reader: R, n: usize) -> io::Result<(Vec<u8>, R)> {
    let mut head = Vec::with_capacity(n);
    (&mut reader).take(n as u64).read_to_end(&mut head)?;
    Ok((head, reader))
}

/// Reads a whole message, or `None` when it is larger than [`MAX_MESSAGE_BYTES`].
fn read_capped<R: Read>(reader: R) -> io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_MESSAGE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() <= MAX_MESSAGE_BYTES).then_some(bytes))
}

fn too_large_reason() -> String {
    format!(
        "message larger than {} MiB, skipped",
        MAX_MESSAGE_BYTES / 1024 / 1024
    )
}

fn too_large(source: String) -> Item {
    Item::Unreadable {
        source,
        reason: too_large_reason(),
    }
}

fn unreadable(sink: &mut Sink<'_>, source: String, e: io::Error) -> ControlFlow<()> {
    sink(Item::Unreadable {
        source,
        reason: e.to_string(),
    })
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn collect(path: &Path) -> Vec<(String, Result<String, String>)> {
        let mut out = Vec::new();
        let _ = read_path(path, &mut |item| {
            out.push(match item {
                Item::Message { source, bytes } => {
                    (source, Ok(String::from_utf8_lossy(&bytes).into_owned()))
                }
                Item::Unreadable { source, reason } => (source, Err(reason)),
            });
            ControlFlow::Continue(())
        });
        out
    }

    fn split(mbox: &str) -> Vec<String> {
        Mbox::new(mbox.as_bytes())
            .map(|m| String::from_utf8(m.expect("message")).expect("utf-8"))
            .collect()
    }

    fn tempdir(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("mailward-sources-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        dir
    }

    const MBOX: &str = "From alice@example.com Mon Jan  1 00:00:00 2024\n\
Subject: one\n\
\n\
Hello\n\
>From the start\n\
>>From quoted twice\n\
\n\
From bob@example.com Mon Jan  1 00:00:01 2024\n\
Subject: two\n\
\n\
Bye\n";

    #[test]
    fn mbox_splits_and_unquotes() {
        assert_eq!(
            split(MBOX),
            vec![
                "Subject: one\n\nHello\nFrom the start\n>From quoted twice\n",
                "Subject: two\n\nBye\n",
            ]
        );
    }

    #[test]
    fn mbox_with_crlf_and_no_trailing_newline() {
        let m = "From a\r\nSubject: x\r\n\r\nbody\r\n\r\nFrom b\r\nSubject: y\r\n\r\nlast";
        assert_eq!(
            split(m),
            vec!["Subject: x\r\n\r\nbody\r\n", "Subject: y\r\n\r\nlast"]
        );
    }

    #[test]
    fn from_inside_a_line_does_not_split() {
        assert_eq!(split("From a\nSubject: From x\n\nsee From y\n").len(), 1);
    }

    #[test]
    fn empty_mbox_has_no_messages() {
        assert!(split("").is_empty());
        assert_eq!(split("From a\n"), vec![""]);
    }

    #[test]
    fn single_message_accepts_plain_and_one_message_mbox() {
        assert_eq!(
            single_message(b"Subject: x\n\nhi\n".to_vec()).as_deref(),
            Ok(&b"Subject: x\n\nhi\n"[..])
        );
        assert_eq!(
            single_message(b"From a\nSubject: x\n\nhi\n".to_vec()).as_deref(),
            Ok(&b"Subject: x\n\nhi\n"[..])
        );
        let err = single_message(MBOX.as_bytes().to_vec()).expect_err("two messages");
        assert!(err.contains("2 messages"), "{err}");
    }

    #[test]
    fn directory_walk_finds_eml_and_maildir_skips_dotfiles() {
        let dir = tempdir("walk");
        fs::create_dir_all(dir.join("sub")).expect("mkdir");
        fs::create_dir_all(dir.join("Maildir/cur")).expect("mkdir");
        fs::create_dir_all(dir.join("Maildir/new")).expect("mkdir");
        fs::create_dir_all(dir.join("Maildir/tmp")).expect("mkdir");
        fs::create_dir_all(dir.join(".hidden")).expect("mkdir");
        for (p, body) in [
            ("b.eml", "Subject: b\n\n"),
            ("a.EML", "Subject: a\n\n"),
            ("notes.txt", "not mail"),
            (".c.eml", "Subject: hidden\n\n"),
            (".hidden/d.eml", "Subject: hidden\n\n"),
            ("sub/e.eml", "Subject: e\n\n"),
            ("Maildir/cur/1700000000.1.host:2,S", "Subject: cur\n\n"),
            ("Maildir/new/1700000001.2.host", "Subject: new\n\n"),
            ("Maildir/tmp/1700000002.3.host", "Subject: tmp\n\n"),
        ] {
            fs::write(dir.join(p), body).expect("write");
        }
        let got: Vec<String> = collect(&dir)
            .into_iter()
            .map(|(s, m)| {
                let rel = s
                    .strip_prefix(&*dir.to_string_lossy())
                    .unwrap_or(&s)
                    .to_string();
                format!(
                    "{rel} {}",
                    m.expect("readable").lines().next().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                "/Maildir/cur/1700000000.1.host:2,S Subject: cur",
                "/Maildir/new/1700000001.2.host Subject: new",
                "/a.EML Subject: a",
                "/b.eml Subject: b",
                "/sub/e.eml Subject: e",
            ]
        );
        let _ = fs::remove_dir_all(&dir);
    }

    fn tar_bytes(files: &[(&str, &str)]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, body) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, path, body.as_bytes())
                .expect("append");
        }
        builder.into_inner().expect("finish tar")
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).expect("gzip");
        gz.finish().expect("gzip finish")
    }

    #[test]
    fn archives_by_content_and_name() {
        let dir = tempdir("archives");
        let tar = tar_bytes(&[
            ("mail/1.eml", "Subject: one\n\n"),
            ("mail/._1.eml", "apple double"),
            ("mail/2.txt", "From x\nSubject: two\n\n"),
        ]);
        fs::write(dir.join("m.tar"), &tar).expect("write");
        fs::write(dir.join("m.tar.gz"), gzip(&tar)).expect("write");
        // Content sniffing: a gzipped tar without a telling name.
        fs::write(dir.join("archive.bin"), gzip(&tar)).expect("write");
        fs::write(dir.join("box.mbox.gz"), gzip(MBOX.as_bytes())).expect("write");
        fs::write(dir.join("box"), MBOX).expect("write");
        for name in ["m.tar", "m.tar.gz", "archive.bin"] {
            let path = dir.join(name);
            let got = collect(&path);
            let p = path.to_string_lossy();
            assert_eq!(
                got,
                vec![
                    (
                        format!("{p}!mail/1.eml"),
                        Ok("Subject: one\n\n".to_string())
                    ),
                    (
                        format!("{p}!mail/2.txt#1"),
                        Ok("Subject: two\n".to_string())
                    ),
                ],
                "{name}"
            );
        }
        for name in ["box.mbox.gz", "box"] {
            let path = dir.join(name);
            let got = collect(&path);
            assert_eq!(got.len(), 2, "{name}");
            assert_eq!(got[1].0, format!("{}#2", path.to_string_lossy()));
        }
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn broken_inputs_are_reported_not_fatal() {
        let dir = tempdir("broken");
        let tar = gzip(&tar_bytes(&[("1.eml", "Subject: one\n\n")]));
        fs::write(dir.join("cut.tar.gz"), &tar[..24]).expect("write");
        let got = collect(&dir.join("cut.tar.gz"));
        assert!(got.iter().any(|(_, r)| r.is_err()), "{got:?}");
        let missing = collect(&dir.join("missing.eml"));
        assert_eq!(missing.len(), 1);
        assert!(missing[0].1.is_err());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn sink_can_stop_reading() {
        let mut seen = 0;
        let dir = tempdir("stop");
        fs::write(dir.join("box"), MBOX).expect("write");
        let flow = read_path(&dir.join("box"), &mut |_| {
            seen += 1;
            ControlFlow::Break(())
        });
        assert_eq!(flow, ControlFlow::Break(()));
        assert_eq!(seen, 1);
        let _ = fs::remove_dir_all(&dir);
    }
}
