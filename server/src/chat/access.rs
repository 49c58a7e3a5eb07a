//! Channel visibility and permissions. Private channels and DMs do not exist for
//! non-members (404, so existence does not leak); a channel one can see but may not
//! change answers 403.

use sqlx::AnyConnection;
use tandem_protocol::chat::{ChannelId, ChannelKind, MessageId};
use tandem_protocol::UserId;

use crate::db::channels::{self, ChannelRow};
use crate::db::messages::{self, MessageRow};
use crate::error::{AppError, AppResult};
use crate::realtime::audience::Audience;

pub const ARCHIVED: &str = "This channel is archived.";

pub struct ChannelAccess {
    pub row: ChannelRow,
    pub member: bool,
}

fn no_channel() -> AppError {
    AppError::not_found("No such channel.")
}

/// The channel if `user` may see it: public ones always, others only as a member.
pub async fn visible(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
    user: UserId,
) -> AppResult<ChannelAccess> {
    let row = channels::find(&mut *conn, channel_id)
        .await?
        .ok_or_else(no_channel)?;
    let member = channels::is_member(&mut *conn, channel_id, user).await?;
    if !member && row.kind() != ChannelKind::Public {
        return Err(no_channel());
    }
    Ok(ChannelAccess { row, member })
}

/// The channel for a guest writing in their meeting's thread (the caller checked the
/// thread): treated as a member, so only "archived" can still refuse.
pub async fn for_guest(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
) -> AppResult<ChannelAccess> {
    let row = channels::find(&mut *conn, channel_id)
        .await?
        .ok_or_else(no_channel)?;
    Ok(ChannelAccess { row, member: true })
}

/// Who sees changes to this message: the channel, plus the meeting's guests when it is
/// a meeting card or a reply in a card's thread (the in-meeting chat).
pub async fn message_audience(conn: &mut AnyConnection, row: &MessageRow) -> AppResult<Audience> {
    let channel = row.channel()?;
    let meeting = match row.thread_root()? {
        Some(root) => match messages::find(&mut *conn, root).await? {
            Some(root) => root.meeting()?,
            None => None,
        },
        None => row.meeting()?,
    };
    Ok(match meeting {
        Some(meeting) => Audience::ChannelAndMeeting(channel, meeting),
        None => Audience::Channel(channel),
    })
}

impl ChannelAccess {
    pub fn kind(&self) -> ChannelKind {
        self.row.kind()
    }

    pub fn require_member(&self) -> AppResult<()> {
        if self.member {
            Ok(())
        } else {
            Err(AppError::forbidden("Join this channel first."))
        }
    }

    /// A member, and the channel is not archived (archived channels are read-only).
    pub fn require_writable(&self) -> AppResult<()> {
        self.require_member()?;
        if self.row.archived {
            return Err(AppError::forbidden(ARCHIVED));
        }
        Ok(())
    }
}

/// The message and its channel, if `user` may see the channel.
pub async fn visible_message(
    conn: &mut AnyConnection,
    message_id: MessageId,
    user: UserId,
) -> AppResult<(MessageRow, ChannelAccess)> {
    let no_message = || AppError::not_found("No such message.");
    let row = messages::find(&mut *conn, message_id)
        .await?
        .ok_or_else(no_message)?;
    let access = match visible(&mut *conn, row.channel()?, user).await {
        Ok(access) => access,
        Err(AppError::Api(_)) => return Err(no_message()),
        Err(other) => return Err(other),
    };
    Ok((row, access))
}
