//! Commands sent but not yet acknowledged, oldest first.
//!
//! Every command keeps its client-made id for life, so resending after a reconnect is
//! safe: the server answers a retry with the original ack instead of acting twice.
//! The outbox is serialisable so it can survive a reload (see `storage`).

use serde::{Deserialize, Serialize};
use tandem_protocol::ws::{frame_fits, ClientFrame, Command};
use tandem_protocol::Timestamp;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingCommand {
    pub id: Uuid,
    pub command: Command,
    /// When the user asked for it (ms since epoch), for display and ordering.
    pub queued_at: Timestamp,
}

impl PendingCommand {
    pub fn frame(&self) -> ClientFrame {
        ClientFrame::Command {
            id: self.id,
            command: self.command.clone(),
        }
    }

    /// Whether its frame is within the server's frame limit. One that is not would be
    /// refused every time it is sent, so it is refused here instead of being queued.
    pub fn fits_in_a_frame(&self) -> bool {
        serde_json::to_string(&self.frame()).is_ok_and(|text| frame_fits(text.len()))
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outbox {
    items: Vec<PendingCommand>,
}

impl Outbox {
    pub fn from_items(mut items: Vec<PendingCommand>) -> Self {
        // A hand-edited or merged store could hold an id twice; keep the first.
        let mut seen = std::collections::HashSet::new();
        items.retain(|c| seen.insert(c.id));
        Self { items }
    }

    /// Queues a command unless one with the same id is already waiting.
    pub fn push(&mut self, command: PendingCommand) -> bool {
        if self.items.iter().any(|c| c.id == command.id) {
            return false;
        }
        self.items.push(command);
        true
    }

    /// Removes and returns the command with this id (on ack or permanent refusal).
    pub fn remove(&mut self, id: Uuid) -> Option<PendingCommand> {
        let index = self.items.iter().position(|c| c.id == id)?;
        Some(self.items.remove(index))
    }

    /// In the order the user issued them, which is the order they must be resent in.
    pub fn items(&self) -> &[PendingCommand] {
        &self.items
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(n: u128, text: &str) -> PendingCommand {
        PendingCommand {
            id: Uuid::from_u128(n),
            command: Command::SetStatus { text: text.into() },
            queued_at: n as i64,
        }
    }

    #[test]
    fn keeps_issue_order_and_removes_acked() {
        let mut o = Outbox::default();
        assert!(o.push(status(1, "a")));
        assert!(o.push(status(2, "b")));
        assert!(o.push(status(3, "c")));
        assert_eq!(o.remove(Uuid::from_u128(2)).unwrap().queued_at, 2);
        let ids: Vec<_> = o.items().iter().map(|c| c.id.as_u128()).collect();
        assert_eq!(ids, vec![1, 3]);
        assert!(
            o.remove(Uuid::from_u128(2)).is_none(),
            "a second ack is harmless"
        );
        assert_eq!(o.len(), 2);
    }

    #[test]
    fn refuses_duplicate_ids() {
        let mut o = Outbox::default();
        assert!(o.push(status(1, "a")));
        assert!(!o.push(status(1, "again")));
        assert_eq!(o.len(), 1);
        let restored = Outbox::from_items(vec![status(1, "a"), status(1, "b"), status(2, "c")]);
        assert_eq!(restored.len(), 2);
    }

    #[test]
    fn knows_when_a_command_is_too_large_to_send() {
        assert!(status(1, "short").fits_in_a_frame());
        // Within the character limit, but six bytes a character once escaped in JSON.
        let escaped = PendingCommand {
            id: Uuid::from_u128(2),
            command: Command::EditMessage {
                message_id: Uuid::from_u128(3),
                body: "\u{7}".repeat(tandem_protocol::chat::MAX_MESSAGE_CHARS),
            },
            queued_at: 0,
        };
        assert!(!escaped.fits_in_a_frame());
    }

    #[test]
    fn round_trips_through_json_and_frames() {
        let items = vec![status(1, "Lunch"), status(2, "")];
        let json = serde_json::to_string(&items).unwrap();
        let back: Vec<PendingCommand> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, items);
        assert_eq!(
            back[0].frame(),
            ClientFrame::Command {
                id: Uuid::from_u128(1),
                command: Command::SetStatus {
                    text: "Lunch".into()
                }
            }
        );
    }
}
