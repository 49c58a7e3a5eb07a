//! Live events when several server processes share one Postgres database.
//!
//! Appends are serialised across processes (`Db::begin_write`'s advisory lock), so
//! `seq` order is commit order. Each append's transaction also sends a Postgres
//! `NOTIFY`; every process listens, reads the events after the last one it published
//! from the table, in `seq` order, and hands them to its own subscribers. A process
//! publishes its own appends the same way (woken directly, without waiting for the
//! notification), so every connection on every node sees one order: the log's.
//!
//! Postgres delivers notifications in commit order and the events table is the source
//! of truth, so a lost notification (a reconnect of the listening connection) delays
//! publication until the next one or the periodic check, and never skips an event.
//! The payload carries nothing: events can exceed NOTIFY's 8,000 bytes.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use tandem_protocol::Seq;
use tokio::sync::{watch, Mutex, MutexGuard, Notify};

use super::audience::Audience;
use super::hub::{Hub, Published};
use crate::db::{events, Db};

/// The channel every process listens on.
pub const CHANNEL: &str = "tandem_events";
/// Catch up at least this often, whatever the notifications did.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// Events read per query while catching up.
const PAGE: i64 = 500;
/// How long a commit waits to see its events published before it answers anyway.
const PUBLISH_WAIT: Duration = Duration::from_secs(5);

pub struct Sequencer {
    db: Db,
    hub: Hub,
    /// The newest `seq` handed to the hub: every event up to it went out, in order.
    /// Held while publishing, and by `EventLog::attach` to join at a clean point.
    position: Mutex<Seq>,
    /// The same position, for commits waiting to see their events out.
    published: watch::Sender<Seq>,
    wake: Notify,
}

impl Sequencer {
    pub fn new(db: Db, hub: Hub) -> Self {
        Sequencer {
            db,
            hub,
            position: Mutex::new(0),
            published: watch::Sender::new(0),
            wake: Notify::new(),
        }
    }

    /// Publication resumes after the log's current head (what is older is replay).
    pub async fn start_at_head(&self) -> Result<(), sqlx::Error> {
        let head = events::head(&self.db).await?;
        *self.position.lock().await = head;
        self.published.send_replace(head);
        Ok(())
    }

    /// This process committed events up to `seq`: publishes them without waiting for
    /// the NOTIFY, and returns once they are out. So a command's events reach its
    /// sender's socket before the ack, as with one process (or, if publication is
    /// stuck, after `PUBLISH_WAIT`: they still come, later).
    pub async fn committed(&self, seq: Seq) {
        self.wake.notify_one();
        let mut published = self.published.subscribe();
        let _ = tokio::time::timeout(PUBLISH_WAIT, published.wait_for(|p| *p >= seq)).await;
    }

    /// The published position, held: nothing is published until the guard is dropped.
    pub async fn hold(&self) -> MutexGuard<'_, Seq> {
        self.position.lock().await
    }

    /// Listens for other processes' appends and publishes until the task is aborted.
    /// A lost listening connection is retried; meanwhile the periodic check publishes.
    pub async fn run(self: Arc<Self>, database_url: String) {
        let mut listener = None;
        loop {
            if listener.is_none() {
                listener = listen(&database_url).await;
            }
            let heard = async {
                match listener.as_mut() {
                    Some(listener) => listener.recv().await.map(|_| ()),
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                result = heard => {
                    if let Err(err) = result {
                        tracing::warn!(error = %err, "event notifications lost; listening again");
                        listener = None;
                    }
                }
                () = self.wake.notified() => {}
                () = tokio::time::sleep(CHECK_EVERY) => {}
            }
            if let Err(err) = self.catch_up().await {
                tracing::error!(error = %err, "could not read new events to publish");
            }
        }
    }

    /// Publishes every committed event after the position, in order.
    async fn catch_up(&self) -> Result<(), sqlx::Error> {
        let mut position = self.position.lock().await;
        loop {
            let rows = events::range(&self.db, *position, Seq::MAX, PAGE).await?;
            for row in &rows {
                match row.to_envelope() {
                    Ok(envelope) => self.hub.publish(Published {
                        audience: Audience::parse(&row.audience),
                        envelope,
                    }),
                    // Never stall the log on one unreadable row (a newer version's event).
                    Err(err) => tracing::error!(seq = row.seq, error = %err, "unreadable event"),
                }
                *position = row.seq;
            }
            self.published.send_replace(*position);
            if (rows.len() as i64) < PAGE {
                return Ok(());
            }
        }
    }
}

async fn listen(database_url: &str) -> Option<PgListener> {
    let attempt = async {
        let mut listener = PgListener::connect(database_url).await?;
        listener.listen(CHANNEL).await?;
        Ok::<_, sqlx::Error>(listener)
    };
    match attempt.await {
        Ok(listener) => Some(listener),
        Err(err) => {
            tracing::warn!(error = %err, "could not listen for event notifications");
            None
        }
    }
}
