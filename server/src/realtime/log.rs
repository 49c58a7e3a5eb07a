//! Appending to and replaying from the durable event log.
//!
//! All appends go through one async mutex (the log writer), held across
//! begin → insert event (+ state change) → commit → broadcast, so live events go out
//! in exactly `seq` order.

use std::sync::Arc;

use sqlx::{Any, AnyConnection, Transaction};
use tandem_protocol::ws::{Event, EventEnvelope};
use tandem_protocol::Seq;
use tokio::sync::{Mutex, MutexGuard, Notify};
use uuid::Uuid;

use super::audience::{Audience, Viewer};
use super::hub::{Hub, Published};
use super::subscribers::Attach;
use crate::db::{channels, events, now_ms, Db};

pub struct EventLog {
    db: Db,
    hub: Hub,
    writer: Mutex<()>,
}

/// Exclusive right to append; events appended are published on `commit`.
pub struct LogWriter<'a> {
    log: &'a EventLog,
    _guard: MutexGuard<'a, ()>,
    pending: Vec<Published>,
}

/// An event row inserted by `LogWriter::reserve`, waiting for its payload.
#[derive(Debug, Clone, Copy)]
pub struct Reserved {
    pub id: Uuid,
    pub seq: Seq,
    pub at: i64,
}

impl EventLog {
    pub fn new(db: Db, hub: Hub) -> Self {
        EventLog {
            db,
            hub,
            writer: Mutex::new(()),
        }
    }

    pub async fn writer(&self) -> LogWriter<'_> {
        LogWriter {
            log: self,
            _guard: self.writer.lock().await,
            pending: Vec::new(),
        }
    }

    /// Attaches a connection to the live fan-out at a consistent point: under the
    /// writer lock nothing commits between reading the head, loading the member's
    /// channels and joining the index, so the connection holds exactly the events
    /// after the head it is told. Returns that head and the connection's lag signal.
    pub async fn attach(&self, mut attach: Attach) -> Result<(Seq, Arc<Notify>), sqlx::Error> {
        let _writer = self.writer.lock().await;
        let head = events::head(&self.db).await?;
        if attach.guest_meeting.is_none() {
            let ids = channels::ids_for_user(&self.db, attach.user_id).await?;
            attach.channels = ids.into_iter().collect();
        }
        Ok((head, self.hub.attach(attach)))
    }

    /// Appends a single event with no other state change.
    pub async fn append(
        &self,
        audience: Audience,
        event: Event,
    ) -> Result<EventEnvelope, sqlx::Error> {
        let mut writer = self.writer().await;
        let mut tx = writer.begin().await?;
        let envelope = writer.append(&mut tx, audience, event).await?;
        writer.commit(tx).await?;
        Ok(envelope)
    }

    /// Every event visible to `viewer` with `after < seq <= until`, in order. The
    /// audience check runs in SQL against current channel membership.
    pub async fn replay(
        &self,
        viewer: &Viewer,
        after: Seq,
        until: Seq,
    ) -> Result<Vec<EventEnvelope>, sqlx::Error> {
        const PAGE: i64 = 500;
        let user_id = viewer.user_id.to_string();
        let guest_meeting = viewer.guest.as_ref().map(|g| g.meeting_id.to_string());
        let mut out = Vec::new();
        let mut cursor = after;
        loop {
            let rows = events::range_visible(
                &self.db,
                &user_id,
                guest_meeting.as_deref(),
                cursor,
                until,
                PAGE,
            )
            .await?;
            let Some(last) = rows.last() else { break };
            cursor = last.seq;
            for row in &rows {
                out.push(row.to_envelope()?);
            }
            if (rows.len() as i64) < PAGE {
                break;
            }
        }
        Ok(out)
    }
}

impl LogWriter<'_> {
    /// Begins the transaction the events go into, holding the database's write lock
    /// (`Db::begin_write`: `BEGIN IMMEDIATE` on SQLite; on Postgres an advisory lock
    /// taken before anything else), so that across server processes events are
    /// inserted, and draw their `seq`, in the order they commit.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        self.log.db.begin_write().await
    }

    /// Inserts the event inside `tx`; it is broadcast when the writer commits.
    pub async fn append(
        &mut self,
        tx: &mut AnyConnection,
        audience: Audience,
        event: Event,
    ) -> Result<EventEnvelope, sqlx::Error> {
        let id = Uuid::new_v4();
        let at = now_ms();
        let seq = events::insert(&mut *tx, id, at, &audience.to_text(), &event).await?;
        let envelope = EventEnvelope { seq, id, at, event };
        self.pending.push(Published {
            audience,
            envelope: envelope.clone(),
        });
        Ok(envelope)
    }

    /// Inserts an event whose content depends on its own `seq` (a posted message
    /// records the seq that posted it): reserves the row, then `fill`s it.
    pub async fn reserve(
        &mut self,
        tx: &mut AnyConnection,
        audience: &Audience,
    ) -> Result<Reserved, sqlx::Error> {
        let id = Uuid::new_v4();
        let at = now_ms();
        // A harmless placeholder payload, replaced by `fill` in the same transaction.
        let placeholder = Event::ReadMarkerMoved {
            channel_id: Uuid::nil(),
            seq: 0,
        };
        let seq = events::insert(&mut *tx, id, at, &audience.to_text(), &placeholder).await?;
        Ok(Reserved { id, seq, at })
    }

    pub async fn fill(
        &mut self,
        tx: &mut AnyConnection,
        reserved: Reserved,
        audience: Audience,
        event: Event,
    ) -> Result<EventEnvelope, sqlx::Error> {
        events::set_payload(&mut *tx, reserved.seq, &event).await?;
        let envelope = EventEnvelope {
            seq: reserved.seq,
            id: reserved.id,
            at: reserved.at,
            event,
        };
        self.pending.push(Published {
            audience,
            envelope: envelope.clone(),
        });
        Ok(envelope)
    }

    /// Commits, then broadcasts what was appended (still holding the lock).
    pub async fn commit(mut self, tx: Transaction<'static, Any>) -> Result<(), sqlx::Error> {
        tx.commit().await?;
        for published in self.pending.drain(..) {
            self.log.hub.publish(published);
        }
        Ok(())
    }
}
