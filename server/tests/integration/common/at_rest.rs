//! The database at rest, for the tests that check what it keeps: the bytes of its
//! files, and every text value it holds.

use std::path::{Path, PathBuf};

use sqlx::{AnyPool, Row};

use super::TestServer;

/// Names the Postgres cluster's data directory (scripts/test-postgres.sh sets it).
pub const POSTGRES_DATA_ENV: &str = "TANDEM_TEST_POSTGRES_DATA";

/// The files that hold the test server's database. SQLite: `tandem.db` and its
/// write-ahead log. Postgres: every file of the cluster's data directory (tables,
/// indexes and write-ahead log; other tests' databases too, which only widens the
/// search).
pub fn database_files(ts: &TestServer) -> Vec<PathBuf> {
    if !ts.database.is_postgres() {
        return ["tandem.db", "tandem.db-wal"]
            .iter()
            .map(|name| ts.dir.path().join(name))
            .collect();
    }
    let root = std::env::var(POSTGRES_DATA_ENV).unwrap_or_else(|_| {
        panic!("{POSTGRES_DATA_ENV} must name the Postgres cluster's data directory")
    });
    let mut files = Vec::new();
    walk(Path::new(&root), &mut files);
    files
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    // Other tests create and drop databases meanwhile: what vanishes is skipped.
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk(&entry.path(), out),
            Ok(kind) if kind.is_file() => out.push(entry.path()),
            _ => {}
        }
    }
}

/// The files among `files` that contain `needle` (files that cannot be read, because
/// they are gone or were never made, are skipped).
pub fn files_containing(files: &[PathBuf], needle: &str) -> Vec<PathBuf> {
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    files
        .iter()
        .filter(|path| std::fs::read(path).is_ok_and(|bytes| finder.find(&bytes).is_some()))
        .cloned()
        .collect()
}

/// Every value of every column of every table in a Postgres database, as text (the
/// search index's `tsvector` too, as its list of terms).
pub async fn postgres_text(db: &AnyPool) -> Vec<String> {
    let columns = sqlx::query(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT)
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    let mut out = Vec::new();
    for column in &columns {
        let (table, name): (String, String) = (column.get(0), column.get(1));
        let sql = format!("SELECT CAST(\"{name}\" AS TEXT) FROM \"{table}\"");
        let values: Vec<(Option<String>,)> = sqlx::query_as(&sql).fetch_all(db).await.unwrap();
        out.extend(values.into_iter().filter_map(|(value,)| value));
    }
    out
}
