//! Opening the embedded SQLite database: one file in the data directory, in WAL mode.

use std::path::Path;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor};

pub const FILE_NAME: &str = "tandem.db";

/// Each connection's settings. The Any driver opens SQLite from a URL, which carries
/// the file and the open mode only, so these are set once each connection is made
/// (sqlx's own URL defaults already turn foreign keys on and wait 5 s when busy).
/// `secure_delete`: freed pages and cells are zeroed, so deleted or edited text (and
/// the log payloads rewritten for it, see chat::redact) does not linger in the file.
const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA secure_delete = ON;";

pub async fn open(file: &Path) -> Result<AnyPool, sqlx::Error> {
    // sqlx writes the URL for the path (percent-encoding what a URL cannot hold).
    let url = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .to_url_lossy();
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute(PRAGMAS).await?;
                Ok(())
            })
        })
        .connect(url.as_str())
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}
