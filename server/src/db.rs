//! The database pool and the repositories: all SQL lives in `db/*.rs`.
//!
//! One pool type serves both backends: SQLite, embedded and the default
//! (`data_dir/tandem.db`), and Postgres (`--database-url postgres://…`). It is
//! `sqlx::AnyPool`, so each query is written once, in SQL both engines read alike:
//! `$1`-style placeholders (SQLite binds `$N` by its number too, in any order and
//! repeated: tests/integration/sql_dialect.rs checks both engines), 0/1 integers for
//! flags (`Flag`), `ON CONFLICT` upserts, `RETURNING`. Where the engines truly differ
//! (opening, the write lock, full-text search) the code branches on `Backend` in that
//! one function.
//!
//! Why Any rather than a generic `Database` parameter: every repository and caller
//! would carry the parameter (or be written twice) for a difference that lives in a
//! handful of functions. What Any costs is a copy of each row into its own value type,
//! and a smaller set of types (integers, floats, text, bytes): ids are stored as text
//! and times as integers already.

pub mod attachments;
pub mod attendance;
mod backend;
pub mod boards;
pub mod channels;
pub mod cluster;
pub mod commands;
pub mod escalations;
pub mod events;
mod executor;
mod flag;
pub mod guests;
pub mod health;
pub mod invites;
pub mod meeting_removals;
pub mod meetings;
pub mod messages;
pub mod notes;
mod numbered;
pub mod planned_meetings;
mod postgres;
pub mod proposals;
pub mod recording_repair;
pub mod recordings;
pub mod search;
pub mod send_later;
pub mod sessions;
mod sqlite;
pub mod storage;
pub mod urgency;
pub mod users;
pub mod working_hours;
pub mod workspace;

use std::path::Path;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Transaction};
use uuid::Uuid;

pub use backend::Backend;
pub use flag::Flag;

/// The pool, and which engine is behind it. Clones share the pool. `&Db` is an
/// executor itself (it hands each query to the pool), like `&AnyPool`.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn acquire(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// A transaction that only reads, or whose writes need no ordering against other
    /// writers (see `begin_write`).
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.pool.begin().await
    }

    /// A transaction that holds the database's one write lock from its first statement
    /// to its end, so what it reads stays true until it commits. Every append to the
    /// event log goes through one (`realtime::log`), which is what makes `seq` order
    /// commit order.
    ///
    /// SQLite: `BEGIN IMMEDIATE` takes SQLite's write lock up front (waiting out the
    /// busy timeout). A deferred transaction that reads first would fail at once with
    /// SQLITE_BUSY when a write outside it commits in between, since the busy handler
    /// cannot help an upgrade from a stale snapshot.
    ///
    /// Postgres: a transaction-scoped advisory lock on one constant key, taken before
    /// anything else, serialises these transactions across every server process on the
    /// database (each statement after it sees all that earlier holders committed).
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                postgres::lock_writer(&mut tx).await?;
                Ok(tx)
            }
        }
    }

    /// Waits for connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        self.pool.close().await
    }
}

/// Opens the database and runs its migrations: Postgres when `database_url` is set
/// (`postgres://…`), otherwise SQLite in `data_dir/tandem.db`, created if needed. The
/// data directory is made private first (0700, files 0600) either way: it holds the
/// uploads and recordings, and with SQLite the database and its `-wal`/`-shm`, which
/// are then never readable by other local users, even for a moment.
pub async fn open(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    // A URL is Postgres (`from_url` refuses any other); none is SQLite.
    let backend = match database_url {
        Some(url) => Backend::from_url(url)?,
        None => Backend::Sqlite,
    };
    let file = data_dir.join(sqlite::FILE_NAME);
    let private_file = (backend == Backend::Sqlite).then(|| file.clone());
    let dir = data_dir.to_owned();
    // Walks the uploads and recordings too: a blocking job.
    tokio::task::spawn_blocking(move || {
        crate::private_files::secure_data_dir(&dir, private_file.as_deref())
    })
    .await??;
    let pool = match database_url {
        Some(url) => postgres::open(url).await?,
        None => sqlite::open(&file).await?,
    };
    Ok(Db { pool, backend })
}

/// A savepoint inside the current transaction (one at a time: the name is fixed), so
/// one part of a transaction can be undone and the rest kept. Both engines alike.
pub async fn savepoint(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SAVEPOINT part").execute(conn).await?;
    Ok(())
}

/// Keeps what was done since `savepoint`.
pub async fn release_savepoint(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("RELEASE SAVEPOINT part").execute(conn).await?;
    Ok(())
}

/// Undoes what was done since `savepoint` (the transaction goes on).
pub async fn rollback_to_savepoint(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("ROLLBACK TO SAVEPOINT part")
        .execute(&mut *conn)
        .await?;
    sqlx::query("RELEASE SAVEPOINT part").execute(conn).await?;
    Ok(())
}

/// `$first, $first+1, …` (`count` placeholders), for an `IN (…)` list bound in order.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
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
