//! The database under a test server: SQLite in the server's data directory, or, when
//! `TANDEM_TEST_DATABASE_URL` names a Postgres server (`postgres://…`, as
//! scripts/test-postgres.sh sets it), a database of its own there, created fresh for the
//! test and dropped when the test is done with it.

use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Connection, Executor, PgConnection};
use tandem_server::Config;

pub const ENV: &str = "TANDEM_TEST_DATABASE_URL";

pub struct TestDatabase {
    postgres: Option<PostgresDatabase>,
}

struct PostgresDatabase {
    /// The server's URL as given (its maintenance database).
    server: String,
    name: String,
    url: String,
}

/// The Postgres server the tests run against, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var(ENV).ok().filter(|url| !url.is_empty())
}

impl TestDatabase {
    /// SQLite, or a new empty database on the Postgres server.
    pub async fn new() -> TestDatabase {
        let Some(server) = postgres_server() else {
            return TestDatabase { postgres: None };
        };
        let name = format!("tandem_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("{ENV}: cannot connect to {server}: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create the test database");
        conn.close().await.ok();
        let mut url = url::Url::parse(&server).expect("a URL");
        url.set_path(&name);
        TestDatabase {
            postgres: Some(PostgresDatabase {
                server,
                name,
                url: url.to_string(),
            }),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// The Postgres database's URL (`None` with SQLite).
    pub fn url(&self) -> Option<String> {
        self.postgres.as_ref().map(|pg| pg.url.clone())
    }

    /// Points the server's configuration at this database.
    pub fn configure(&self, config: &mut Config) {
        config.database_url = self.url();
    }

    /// A connection pool of the test's own, next to the server's (for arranging edge
    /// cases and looking at rows). With SQLite, `data_dir` holds the database.
    pub async fn connect(&self, data_dir: &Path) -> AnyPool {
        sqlx::any::install_default_drivers();
        let url = match &self.postgres {
            Some(pg) => pg.url.clone(),
            None => SqliteConnectOptions::new()
                .filename(data_dir.join("tandem.db"))
                .to_url_lossy()
                .to_string(),
        };
        AnyPool::connect(&url).await.unwrap()
    }
}

impl Drop for TestDatabase {
    /// Drops the Postgres database, closing the connections still open to it (a test
    /// server that was not shut down). Drop cannot await, and the test's runtime may be
    /// the current thread, so this runs on a thread of its own.
    fn drop(&mut self) {
        let Some(pg) = self.postgres.take() else {
            return;
        };
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&pg.server).await?;
                let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name);
                conn.execute(sql.as_str()).await?;
                conn.close().await
            })?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
        })
        .join();
        if let Ok(Err(err)) = dropped {
            eprintln!("could not drop a test database: {err}");
        }
    }
}
