//! A server whose clock the test moves (`start_with_clock`), so deadlines, working
//! hours, caps and sweeps are checked at exact instants instead of by waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use tandem_server::Config;

use super::{test_config, TestDatabase, TestServer};

/// The test's "now", shared with the server.
#[derive(Clone)]
pub struct MovableClock(Arc<AtomicI64>);

impl MovableClock {
    pub fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }

    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

/// Starts a server whose clock reads `start_ms` until the test moves it.
pub async fn spawn_at(start_ms: i64) -> (TestServer, MovableClock) {
    spawn_at_with(start_ms, |_| {}).await
}

/// `spawn_at` with the wall clock's now and the test's own settings.
pub async fn spawn_with_clock(configure: impl FnOnce(&mut Config)) -> (TestServer, MovableClock) {
    spawn_at_with(tandem_server::db::now_ms(), configure).await
}

async fn spawn_at_with(
    start_ms: i64,
    configure: impl FnOnce(&mut Config),
) -> (TestServer, MovableClock) {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDatabase::new().await;
    let mut config = test_config(dir.path(), &database);
    configure(&mut config);
    let clock = MovableClock(Arc::new(AtomicI64::new(start_ms)));
    let reads = clock.clone();
    let server = tandem_server::start_with_clock(config, Arc::new(move || reads.now()))
        .await
        .expect("server starts");
    (
        TestServer {
            server,
            dir,
            database,
        },
        clock,
    )
}
