//! Guest links: who may manage them, and whether one still works.

use tandem_protocol::ErrorCode;

use crate::auth::extract::CurrentSession;
use crate::db::channels;
use crate::db::guests::GuestInviteRow;
use crate::db::meetings::MeetingRow;
use crate::db::Db;
use crate::error::{AppError, AppResult};

pub fn no_meeting() -> AppError {
    AppError::not_found("No such meeting.")
}

pub fn ended() -> AppError {
    AppError::new(ErrorCode::Gone, "This meeting has ended.")
}

/// The meeting's host, or a workspace admin who is in the meeting's channel.
/// Others in the channel get 403; anyone else 404 (the meeting does not leak).
pub async fn require_manager(db: &Db, meeting: &MeetingRow, me: &CurrentSession) -> AppResult<()> {
    let member = channels::is_member(db, meeting.channel()?, me.user.id).await?;
    if meeting.host()? == me.user.id || (me.is_admin() && member) {
        return Ok(());
    }
    if member {
        Err(AppError::forbidden(
            "Only the meeting's host or an admin can manage guest links.",
        ))
    } else {
        Err(no_meeting())
    }
}

/// Whether the link can still be used: not revoked, not expired, meeting not ended.
pub fn check_usable(invite: &GuestInviteRow, meeting: &MeetingRow, now: i64) -> AppResult<()> {
    if invite.revoked_at.is_some() {
        return Err(AppError::new(
            ErrorCode::Gone,
            "This invite link was revoked.",
        ));
    }
    if invite.expires_at <= now {
        return Err(AppError::new(
            ErrorCode::Gone,
            "This invite link has expired.",
        ));
    }
    if meeting.ended_at.is_some() {
        return Err(ended());
    }
    Ok(())
}

pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 24]>())
}
