//! Who may see an event. Stored with each event; checked on read (replay) and on live
//! fan-out by the same function, so new audiences need only this file to change.

use tandem_protocol::UserId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every member of the workspace.
    Workspace,
    /// A value this server version does not know: visible to no one.
    Unknown(String),
}

impl Audience {
    pub fn as_str(&self) -> &str {
        match self {
            Audience::Workspace => "workspace",
            Audience::Unknown(other) => other,
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "workspace" => Audience::Workspace,
            other => Audience::Unknown(other.to_string()),
        }
    }
}

/// The person a connection belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user_id: UserId,
}

pub fn visible_to(viewer: &Viewer, audience: &Audience) -> bool {
    let _ = viewer.user_id;
    match audience {
        Audience::Workspace => true,
        Audience::Unknown(_) => false,
    }
}
