//! The SQLite pool and the repositories: all SQL lives in `db/*.rs`.

pub mod attachments;
pub mod attendance;
pub mod boards;
pub mod channels;
pub mod commands;
pub mod escalations;
pub mod events;
pub mod guests;
pub mod health;
pub mod invites;
pub mod meeting_removals;
pub mod meetings;
pub mod messages;
pub mod notes;
pub mod planned_meetings;
pub mod proposals;
pub mod recording_repair;
pub mod recordings;
pub mod search;
pub mod send_later;
pub mod sessions;
pub mod storage;
pub mod urgency;
pub mod users;
pub mod working_hours;
pub mod workspace;

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use uuid::Uuid;

pub type Db = SqlitePool;

/// Opens (creating if needed) `data_dir/tandem.db` and runs the embedded migrations.
/// The data directory is made private first (0700, files 0600), so the database and
/// its `-wal`/`-shm` are never readable by other local users, even for a moment.
pub async fn open(data_dir: &Path) -> anyhow::Result<Db> {
    let file = data_dir.join("tandem.db");
    let (dir, db_file) = (data_dir.to_owned(), file.clone());
    // Walks the uploads and recordings too: a blocking job.
    tokio::task::spawn_blocking(move || crate::private_files::secure_data_dir(&dir, &db_file))
        .await??;
    let options = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Freed pages and cells are zeroed, so deleted or edited text (and the log
        // payloads rewritten for it, see chat::redact) does not linger in the file.
        .pragma("secure_delete", "ON");
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Parses a TEXT uuid column; a malformed value is a decode error, not a panic.
pub(crate) fn uuid(text: &str) -> Result<Uuid, sqlx::Error> {
    Uuid::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// True when the error is a UNIQUE / PRIMARY KEY violation.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}
