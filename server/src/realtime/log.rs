//! Appending to and replaying from the durable event log.
//!
//! All appends go through one async mutex (the log writer), held across
//! begin → insert event (+ state change) → commit → broadcast, so live events go out
//! in exactly `seq` order. With Postgres, where other server processes append too, the
//! `sequencer` publishes instead, reading the log back in `seq` order.

use std::sync::Arc;

use sqlx::{Any, AnyConnection, Transaction};
use tandem_protocol::ws::{Event, EventEnvelope};
use tandem_protocol::Seq;
use tokio::sync::{Mutex, MutexGuard, Notify};
use uuid::Uuid;

use super::audience::{Audience, Viewer};
use super::hub::{Hub, Published};
use super::sequencer::{self, Sequencer};
use super::subscribers::Attach;
use crate::db::{channels, events, now_ms, Backend, Db};

pub struct EventLog {
    db: Db,
    hub: Hub,
    writer: Mutex<()>,
    /// Set on Postgres: publication goes through the log, for every process alike.
    sequencer: Option<Arc<Sequencer>>,
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
        let sequencer = (db.backend() == Backend::Postgres)
            .then(|| Arc::new(Sequencer::new(db.clone(), hub.clone())));
        EventLog {
            db,
            hub,
            writer: Mutex::new(()),
            sequencer,
        }
    }

    /// The publisher to start (`Sequencer::run`) when several processes may append.
    pub fn sequencer(&self) -> Option<&Arc<Sequencer>> {
        self.sequencer.as_ref()
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
    /// With the sequencer, its published position stands for the head, held likewise.
    pub async fn attach(&self, attach: Attach) -> Result<(Seq, Arc<Notify>), sqlx::Error> {
        match &self.sequencer {
            Some(sequencer) => {
                let position = sequencer.hold().await;
                self.join(*position, attach).await
            }
            None => {
                let _writer = self.writer.lock().await;
                let head = events::head(&self.db).await?;
                self.join(head, attach).await
            }
        }
    }

    /// The rest of `attach`, while nothing is being published.
    async fn join(&self, head: Seq, mut attach: Attach) -> Result<(Seq, Arc<Notify>), sqlx::Error> {
        if attach.guest_meeting.is_none() {
            let ids = channels::ids_for_user(&self.db, attach.user_id).await?;
            attach.channels = ids.into_iter().collect();
        }
        Ok((head, self.hub.attach(attach)))
    }

    /// The newest `seq` committed to the log (by any process).
    pub async fn committed_head(&self) -> Result<Seq, sqlx::Error> {
        events::head(&self.db).await
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

    /// How many events are waiting for the commit: a point to roll back to.
    pub fn mark(&self) -> usize {
        self.pending.len()
    }

    /// Forgets the events appended since `mark` (their savepoint was rolled back).
    pub fn roll_back_to(&mut self, mark: usize) {
        self.pending.truncate(mark);
    }

    /// Commits, then broadcasts what was appended (still holding the lock).
    pub async fn commit(mut self, mut tx: Transaction<'static, Any>) -> Result<(), sqlx::Error> {
        let Some(sequencer) = &self.log.sequencer else {
            tx.commit().await?;
            for published in self.pending.drain(..) {
                self.log.hub.publish(published);
            }
            return Ok(());
        };
        if self.pending.is_empty() {
            return tx.commit().await;
        }
        // Delivered to every listening process once this commits, in commit order.
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(sequencer::CHANNEL)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let newest = self
            .pending
            .iter()
            .map(|p| p.envelope.seq)
            .max()
            .unwrap_or(0);
        let sequencer = sequencer.clone();
        // Other appends may go on while this one's events are published.
        drop(self);
        sequencer.committed(newest).await;
        Ok(())
    }
}
