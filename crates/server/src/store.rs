//! Storage: one SQLite database (`mailward.sqlite3` in the data directory) in WAL mode with
//! `synchronous=FULL`, so a committed write survives a crash. The schema is versioned by
//! `PRAGMA user_version` and migrated in code ([`MIGRATIONS`]), each step in one transaction.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::{Context as _, Result};
use rusqlite::{Connection, OptionalExtension as _, params};
use serde::Serialize;

/// Schema steps, in order; step `i` brings the database to `user_version = i + 1`.
/// Never edit a released step: add one.
pub const MIGRATIONS: &[&str] = &[
    // 1: user reports, the journal queue and journal verdicts.
    "CREATE TABLE reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at INTEGER NOT NULL,
        dedupe_key TEXT NOT NULL,
        message_id TEXT,
        reporter TEXT NOT NULL,
        client_verdict TEXT,
        reasons TEXT NOT NULL,
        comment TEXT,
        level TEXT NOT NULL,
        score INTEGER NOT NULL,
        report_json TEXT NOT NULL,
        raw BLOB NOT NULL,
        forward_state TEXT NOT NULL DEFAULT 'none',
        UNIQUE (dedupe_key, reporter)
    );
    CREATE INDEX reports_created ON reports (created_at);
    CREATE INDEX reports_level ON reports (level, id);
    CREATE TABLE journal_queue (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        raw BLOB NOT NULL
    );
    CREATE TABLE journal_verdicts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at INTEGER NOT NULL,
        unwrapped INTEGER NOT NULL,
        message_id TEXT,
        level TEXT NOT NULL,
        score INTEGER NOT NULL,
        report_json TEXT NOT NULL
    );",
];

/// The database. One connection behind a mutex: callers run it on blocking threads.
pub struct Store {
    conn: Mutex<Connection>,
}

/// A user report to store.
pub struct NewReport<'a> {
    pub created_at: i64,
    pub dedupe_key: &'a str,
    pub message_id: Option<&'a str>,
    pub reporter: &'a str,
    pub client_verdict: Option<&'a str>,
    pub reasons: &'a [String],
    pub comment: Option<&'a str>,
    pub level: &'a str,
    pub score: u32,
    pub report_json: &'a str,
    pub raw: &'a [u8],
    pub forward: bool,
}

/// A stored report as the admin API lists it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    pub id: i64,
    pub created_at: i64,
    pub message_id: Option<String>,
    pub reporter: String,
    pub client_verdict: Option<String>,
    pub reasons: Vec<String>,
    pub comment: Option<String>,
    pub level: String,
    pub score: u32,
    pub forward_state: String,
    /// The server-side report (only for a single report).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<serde_json::Value>,
}

/// Filters and paging of `GET /v1/reports`; newest first, `before` is the id cursor.
#[derive(Debug, Default)]
pub struct ReportFilter {
    pub level: Option<String>,
    pub since: Option<i64>,
    pub reporter: Option<String>,
    pub before: Option<i64>,
    pub limit: u32,
}

/// A journal message's verdict.
pub struct JournalVerdict<'a> {
    pub unwrapped: bool,
    pub message_id: Option<&'a str>,
    pub level: &'a str,
    pub score: u32,
    pub report_json: &'a str,
}

impl Store {
    /// Opens (creating if needed) the database in `dir` and migrates it.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create data directory {}", dir.display()))?;
        let path = dir.join("mailward.sqlite3");
        let mut conn = Connection::open(&path)
            .with_context(|| format!("cannot open database {}", path.display()))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-done transaction behind
        // (rusqlite rolls back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores a report unless the same reporter already reported the same message.
    /// Returns the id and whether it was created now.
    pub fn insert_report(&self, r: &NewReport<'_>) -> Result<(i64, bool)> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let reasons = serde_json::to_string(r.reasons)?;
        let inserted: Option<i64> = tx
            .query_row(
                "INSERT INTO reports (created_at, dedupe_key, message_id, reporter, client_verdict,
                    reasons, comment, level, score, report_json, raw, forward_state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (dedupe_key, reporter) DO NOTHING
                 RETURNING id",
                params![
                    r.created_at,
                    r.dedupe_key,
                    r.message_id,
                    r.reporter,
                    r.client_verdict,
                    reasons,
                    r.comment,
                    r.level,
                    r.score,
                    r.report_json,
                    r.raw,
                    if r.forward { "pending" } else { "none" },
                ],
                |row| row.get(0),
            )
            .optional()?;
        let result = match inserted {
            Some(id) => (id, true),
            None => {
                let id = tx.query_row(
                    "SELECT id FROM reports WHERE dedupe_key = ?1 AND reporter = ?2",
                    params![r.dedupe_key, r.reporter],
                    |row| row.get(0),
                )?;
                (id, false)
            }
        };
        tx.commit()?;
        Ok(result)
    }

    pub fn list_reports(&self, f: &ReportFilter) -> Result<Vec<ReportRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, created_at, message_id, reporter, client_verdict, reasons, comment,
                    level, score, forward_state
             FROM reports
             WHERE (?1 IS NULL OR level = ?1)
               AND (?2 IS NULL OR created_at >= ?2)
               AND (?3 IS NULL OR reporter = ?3)
               AND (?4 IS NULL OR id < ?4)
             ORDER BY id DESC LIMIT ?5",
        )?;
        let rows = stmt.query_map(
            params![f.level, f.since, f.reporter, f.before, f.limit],
            |row| row_to_report(row, None),
        )?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn get_report(&self, id: i64) -> Result<Option<ReportRow>> {
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT id, created_at, message_id, reporter, client_verdict, reasons, comment,
                        level, score, forward_state, report_json
                 FROM reports WHERE id = ?1",
                params![id],
                |row| {
                    let json: String = row.get(10)?;
                    row_to_report(row, serde_json::from_str(&json).ok())
                },
            )
            .optional()?;
        Ok(row)
    }

    pub fn report_raw(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let conn = self.conn();
        Ok(conn
            .query_row(
                "SELECT raw FROM reports WHERE id = ?1",
                params![id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Reports waiting to be forwarded, oldest first.
    pub fn pending_forwards(&self, limit: u32) -> Result<Vec<(i64, Vec<u8>)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, raw FROM reports WHERE forward_state = 'pending' ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn set_forward_state(&self, id: i64, state: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE reports SET forward_state = ?2 WHERE id = ?1",
            params![id, state],
        )?;
        Ok(())
    }

    /// Persists an accepted journal message; returns its queue id.
    pub fn journal_enqueue(&self, received_at: i64, raw: &[u8]) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO journal_queue (received_at, raw) VALUES (?1, ?2)",
            params![received_at, raw],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub fn journal_queue_len(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM journal_queue", [], |row| row.get(0))?)
    }

    /// The oldest queued journal messages.
    pub fn journal_pending(&self, limit: u32) -> Result<Vec<(i64, i64, Vec<u8>)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, received_at, raw FROM journal_queue ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Stores a queued message's verdicts and removes it from the queue, atomically.
    pub fn journal_complete(
        &self,
        queue_id: i64,
        received_at: i64,
        verdicts: &[JournalVerdict<'_>],
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for v in verdicts {
            tx.execute(
                "INSERT INTO journal_verdicts (received_at, unwrapped, message_id, level, score,
                    report_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    received_at,
                    v.unwrapped,
                    v.message_id,
                    v.level,
                    v.score,
                    v.report_json
                ],
            )?;
        }
        tx.execute("DELETE FROM journal_queue WHERE id = ?1", params![queue_id])?;
        tx.commit()?;
        Ok(())
    }

    /// Journal verdicts, newest first.
    pub fn journal_verdicts(&self, limit: u32) -> Result<Vec<JournalRow>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, unwrapped, message_id, level FROM journal_verdicts
             ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], |row| {
            Ok(JournalRow {
                id: row.get(0)?,
                unwrapped: row.get(1)?,
                message_id: row.get(2)?,
                level: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

/// A stored journal verdict.
#[derive(Debug)]
pub struct JournalRow {
    pub id: i64,
    /// Whether the message was taken out of a Microsoft 365 journal report.
    pub unwrapped: bool,
    pub message_id: Option<String>,
    pub level: String,
}

fn row_to_report(
    row: &rusqlite::Row<'_>,
    report: Option<serde_json::Value>,
) -> rusqlite::Result<ReportRow> {
    let reasons: String = row.get(5)?;
    Ok(ReportRow {
        id: row.get(0)?,
        created_at: row.get(1)?,
        message_id: row.get(2)?,
        reporter: row.get(3)?,
        client_verdict: row.get(4)?,
        reasons: serde_json::from_str(&reasons).unwrap_or_default(),
        comment: row.get(6)?,
        level: row.get(7)?,
        score: row.get(8)?,
        forward_state: row.get(9)?,
        report,
    })
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let version: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > MIGRATIONS.len() {
        anyhow::bail!(
            "database schema version {version} is newer than this mailward ({})",
            MIGRATIONS.len()
        );
    }
    for (i, step) in MIGRATIONS.iter().enumerate().filter(|(i, _)| *i >= version) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)
            .with_context(|| format!("migration {}", i + 1))?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_deduplicates() {
        let dir = std::env::temp_dir().join(format!("mw-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).unwrap();
        let r = NewReport {
            created_at: 1,
            dedupe_key: "<a@b>",
            message_id: Some("<a@b>"),
            reporter: "u@x",
            client_verdict: None,
            reasons: &[],
            comment: None,
            level: "safe",
            score: 0,
            report_json: "{}",
            raw: b"x",
            forward: false,
        };
        let (id, created) = store.insert_report(&r).unwrap();
        assert!(created);
        assert_eq!(store.insert_report(&r).unwrap(), (id, false));
        drop(store);
        let store = Store::open(&dir).unwrap();
        assert!(store.get_report(id).unwrap().is_some());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
