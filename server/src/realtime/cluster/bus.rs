//! The bus between server processes: Postgres `NOTIFY` on one channel, which every
//! process `LISTEN`s to. Chosen over NATS because the database is already there and
//! these messages need no durability: they are the live, lossy side (notices,
//! presence, requests for a room another node holds). Durable events never travel
//! here; they are read back from the log (`sequencer`).
//!
//! One task publishes, in queue order and one statement after another, so a node's
//! messages arrive everywhere in the order it sent them (Postgres delivers
//! notifications in commit order). A payload past NOTIFY's 8,000 bytes (an SDP offer
//! with many candidates) is kept in `bus_spill` and the notification names its row.

use serde::{Deserialize, Serialize};
use sqlx::postgres::PgListener;
use tandem_protocol::chat::Presence;
use tandem_protocol::UserId;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::NodeId;
use crate::db::{cluster, Db};
use crate::realtime::target::Target;

/// The channel every process listens on.
pub const CHANNEL: &str = "tandem_bus";
/// Larger payloads are spilled to a row (NOTIFY takes under 8,000 bytes).
const INLINE_MAX: usize = 7_000;
/// Messages waiting to be published; past this, new ones are dropped (and logged):
/// they are live notices, and a database that far behind has bigger problems.
const QUEUE: usize = 16_384;

#[derive(Debug, Serialize, Deserialize)]
pub struct Envelope {
    pub from: NodeId,
    /// `None`: for every other node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NodeId>,
    pub message: Message,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    /// An encoded frame for the connections `target` names, wherever they are: each
    /// node delivers it to its own.
    Frame { target: Target, text: String },
    /// One connection's presence (`None`: it closed), counted on every node.
    Presence {
        user_id: UserId,
        connection_id: Uuid,
        /// The node the connection is open on.
        home: NodeId,
        presence: Option<Presence>,
    },
    /// A node started: every node sends the presence of its own connections.
    PresenceWanted,
    /// A client's request for a room the receiving node holds (see `remote`).
    Forward { connection_id: Uuid, body: String },
    /// A connection that forwarded requests closed.
    Closed { connection_id: Uuid },
}

/// What a spilled notification carries instead of the envelope.
#[derive(Serialize, Deserialize)]
struct Spilled {
    spill: Uuid,
}

/// Where a node queues its messages. Clones share the queue.
#[derive(Clone)]
pub struct Bus {
    node: NodeId,
    queue: mpsc::Sender<Envelope>,
}

impl Bus {
    pub fn new(node: NodeId) -> (Bus, mpsc::Receiver<Envelope>) {
        let (queue, rx) = mpsc::channel(QUEUE);
        (Bus { node, queue }, rx)
    }

    pub fn node(&self) -> NodeId {
        self.node
    }

    pub fn broadcast(&self, message: Message) {
        self.post(None, message);
    }

    pub fn send_to(&self, node: NodeId, message: Message) {
        self.post(Some(node), message);
    }

    fn post(&self, to: Option<NodeId>, message: Message) {
        let envelope = Envelope {
            from: self.node,
            to,
            message,
        };
        if self.queue.try_send(envelope).is_err() {
            tracing::warn!("the bus queue is full; a live message was dropped");
        }
    }
}

/// Publishes queued messages until the queue closes.
pub async fn publish(db: Db, mut queue: mpsc::Receiver<Envelope>) {
    while let Some(envelope) = queue.recv().await {
        let Ok(text) = serde_json::to_string(&envelope) else {
            tracing::error!("could not encode a bus message");
            continue;
        };
        if let Err(err) = notify(&db, text).await {
            tracing::warn!(error = %err, "could not publish a bus message");
        }
    }
}

async fn notify(db: &Db, text: String) -> Result<(), sqlx::Error> {
    let payload = if text.len() > INLINE_MAX {
        let spill = cluster::spill(db, &text).await?;
        serde_json::to_string(&Spilled { spill }).unwrap_or_default()
    } else {
        text
    };
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(payload)
        .execute(db)
        .await?;
    Ok(())
}

/// Listens until aborted, handing `deliver` every message for this node from others.
/// A lost listening connection is retried; what was sent meanwhile is lost (live
/// messages only: heartbeats tell the rest).
pub async fn listen(database_url: String, db: Db, node: NodeId, deliver: impl Fn(Envelope)) {
    loop {
        let mut listener = match connect(&database_url).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "could not listen to the bus; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        loop {
            let payload = match listener.recv().await {
                Ok(notification) => notification.payload().to_owned(),
                Err(err) => {
                    tracing::warn!(error = %err, "bus connection lost; listening again");
                    break;
                }
            };
            match read(&db, &payload).await {
                Ok(Some(envelope))
                    if envelope.from != node && envelope.to.is_none_or(|to| to == node) =>
                {
                    deliver(envelope)
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "unreadable bus message"),
            }
        }
    }
}

async fn connect(database_url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(database_url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// The envelope a payload carries, fetching a spilled one (`None` if already pruned).
async fn read(db: &Db, payload: &str) -> anyhow::Result<Option<Envelope>> {
    if let Ok(Spilled { spill }) = serde_json::from_str::<Spilled>(payload) {
        return match cluster::spilled(db, spill).await? {
            Some(body) => Ok(Some(serde_json::from_str(&body)?)),
            None => Ok(None),
        };
    }
    Ok(Some(serde_json::from_str(payload)?))
}
