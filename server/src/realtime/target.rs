//! Whom a live notice is for: the connections it names, wherever they are open (see
//! `ephemeral`, `subscribers`, and the bus between nodes).

use serde::{Deserialize, Serialize};
use tandem_protocol::chat::ChannelId;
use tandem_protocol::UserId;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Every member connection (never guests: they see only their meeting).
    Workspace,
    /// The channel's members except `except` (the one who is typing).
    ChannelExcept {
        channel_id: ChannelId,
        except: UserId,
    },
    /// These connections (meeting participants).
    Connections(Vec<Uuid>),
    /// Every connection of these people, except one (a ringing call: the tab that
    /// answered does not need to be told).
    Users {
        users: Vec<UserId>,
        except_connection: Option<Uuid>,
    },
}
