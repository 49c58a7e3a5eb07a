//! Which engine a pool or connection speaks.

use sqlx::{AnyConnection, Database, Postgres};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// From a `--database-url`: only Postgres URLs are accepted there (SQLite is the
    /// default without one, in the data directory).
    pub fn from_url(url: &str) -> anyhow::Result<Backend> {
        match url.split_once(':').map(|(scheme, _)| scheme) {
            Some("postgres" | "postgresql") => Ok(Backend::Postgres),
            _ => anyhow::bail!(
                "--database-url must be a postgres:// URL (without it, SQLite in the data \
                 directory is used)"
            ),
        }
    }

    /// The engine behind a connection, for the functions that are handed a connection
    /// rather than the pool. The Any driver names it; only two drivers are built in.
    pub fn of(conn: &AnyConnection) -> Backend {
        if conn.backend_name() == <Postgres as Database>::NAME {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}
