//! Helpers for the async-bridge tests (issue #7): a server on a movable clock
//! (`common::clock`), inbox, working-hours and response-item helpers.

use super::TestServer;

// The bridge tests reach the clock through here, as before it had a module of its own.
#[allow(unused_imports)]
pub use super::clock::{spawn_at, MovableClock};

impl TestServer {
    /// Wakes the server's timers (send-later messages, deadlines) after the clock moved.
    pub fn wake_timers(&self) {
        tandem_server::bridge::wake_timers(&self.server.state);
    }
}

// ---- requests and events of the bridge ----

use reqwest::StatusCode;
use serde_json::Value;
use tandem_protocol::chat::MessageId;
use tandem_protocol::urgency::{Inbox, ResponseItem, Urgency};
use tandem_protocol::ws::{ClientFrame, Command, Event, ServerFrame};
use uuid::Uuid;

use super::{Client, Ws};

pub const MINUTE: i64 = 60_000;

pub async fn put(client: &Client, path: &str, body: &Value) -> reqwest::Response {
    client
        .http
        .put(client.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

pub async fn inbox(client: &Client) -> Inbox {
    let response = client.get("/api/inbox").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// `send_message` with a thread root and an urgency.
pub fn send(
    channel: Uuid,
    body: &str,
    root: Option<MessageId>,
    urgency: Option<Urgency>,
) -> Command {
    Command::SendMessage {
        channel_id: channel,
        body: body.into(),
        thread_root_id: root,
        also_to_channel: false,
        attachment_ids: vec![],
        urgency,
    }
}

impl Ws {
    /// The next event that `pick` accepts, skipping every other frame (meeting
    /// notices included: a ring may arrive at any time in these tests).
    pub async fn event_where<T>(&mut self, pick: impl Fn(Event) -> Option<T>) -> T {
        loop {
            if let ServerFrame::Event(envelope) = self.recv().await {
                if let Some(found) = pick(envelope.event) {
                    return found;
                }
            }
        }
    }

    /// The next `response_item_changed` event's item.
    pub async fn item_changed(&mut self) -> ResponseItem {
        self.event_where(|e| match e {
            Event::ResponseItemChanged { item } => Some(item),
            _ => None,
        })
        .await
    }

    /// Asserts no `response_item_changed` arrives before the pong for this ping
    /// (other events may: messages, reactions).
    pub async fn assert_no_item_change(&mut self, nonce: u64) {
        self.send(&ClientFrame::Ping { nonce }).await;
        loop {
            match self.recv().await {
                ServerFrame::Pong { nonce: n } if n == nonce => return,
                ServerFrame::Event(envelope) => {
                    if let Event::ResponseItemChanged { item } = envelope.event {
                        panic!("unexpected item change {item:?}");
                    }
                }
                _ => continue,
            }
        }
    }
}

/// The body of `POST /api/scheduled`: `body` into `channel` at `send_at`, with the
/// composer's urgency when one was picked.
pub fn send_later_request(channel: Uuid, body: &str, send_at: i64, urgency: Option<&str>) -> Value {
    let mut request = serde_json::json!({"channel_id": channel, "body": body, "send_at": send_at});
    if let Some(urgency) = urgency {
        request["urgency"] = serde_json::json!(urgency);
    }
    request
}
