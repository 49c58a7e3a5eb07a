//! Opening a Postgres database, and its one write lock.

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool};

/// The advisory lock key that serialises `Db::begin_write` transactions (the event
/// log's appends among them) across server processes: any constant no other program
/// on the database uses. "Tandem" in ASCII.
const WRITER_LOCK: i64 = 0x54_61_6e_64_65_6d;

pub async fn open(url: &str) -> Result<AnyPool, sqlx::Error> {
    let pool = AnyPoolOptions::new()
        .max_connections(16)
        .connect(url)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

/// Takes the write lock for the rest of the transaction `conn` is in (released by its
/// commit or rollback). Waits while another transaction holds it.
pub async fn lock_writer(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(WRITER_LOCK)
        .execute(conn)
        .await?;
    Ok(())
}
