//! Who may do what with a board.
//!
//! - Edit (draw): a (non-guest) member of the board's channel; and a guest of the
//!   board's meeting, on that one board, while their guest session lasts (everyone in
//!   a meeting draws on the board beside the video). Nobody edits a board whose channel
//!   is archived. Renaming, sharing and deleting stay with members (REST routes that
//!   take `CurrentSession`).
//! - View: editors; anyone signed in who opens it through a valid read-only link (a
//!   workspace member, or a guest of that meeting).
//! - A read-only link stays read-only for everyone: whoever opens a board through one
//!   watches it, even someone who could draw on it otherwise, and loses it when the
//!   link is revoked.
//! - Delete: its creator or a workspace admin.
//!
//! A board that does not exist (or was deleted) is 404, and so is a board of a private
//! channel or DM to someone outside it (its existence must not leak, as its messages'
//! does not); one that exists in a channel the person can see but is not for them is
//! 403.

use tandem_protocol::boards::BoardId;
use tandem_protocol::chat::ChannelKind;
use tandem_protocol::{ErrorCode, Timestamp, UserId};
use uuid::Uuid;

use crate::auth::session;
use crate::db::boards::{self, BoardLinkRow, BoardRow};
use crate::db::{channels, meetings, Db};
use crate::error::{AppError, AppResult};
use crate::meetings::GuestScope;

pub fn no_board() -> AppError {
    AppError::not_found("No such board.")
}

pub fn not_yours() -> AppError {
    AppError::forbidden("You do not have access to this board.")
}

pub fn read_only() -> AppError {
    AppError::forbidden("You can view this board but not change it.")
}

/// Who is asking.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub user_id: UserId,
    pub guest: Option<&'a GuestScope>,
}

/// What the person may do with the board.
#[derive(Debug, Clone)]
pub struct BoardAccess {
    pub board: BoardRow,
    pub may_edit: bool,
    /// The read-only link it was opened through (access ends if it is revoked).
    pub via_link: Option<Uuid>,
}

/// 410 for a revoked or expired link.
pub fn check_link(link: &BoardLinkRow, now: Timestamp) -> AppResult<()> {
    if link.revoked {
        return Err(AppError::new(
            ErrorCode::Gone,
            "This board link was revoked.",
        ));
    }
    // Every link has an expiry; a NULL (only on old rows, revoked by migration 0012)
    // counts as expired.
    if link.expires_at.is_none_or(|expires| expires <= now) {
        return Err(AppError::new(
            ErrorCode::Gone,
            "This board link has expired.",
        ));
    }
    Ok(())
}

/// The person's access to the board; through `link_token` (view only) when given.
pub async fn check(
    db: &Db,
    board_id: BoardId,
    who: Who<'_>,
    link_token: Option<&str>,
    now: Timestamp,
) -> AppResult<BoardAccess> {
    let board = boards::find_live(db, board_id).await?;
    // Guests see their own meeting's board and nothing else (a link cannot widen
    // that); every other id is the same 403, whether a board has it or not.
    if let Some(guest) = who.guest {
        let meeting = board.as_ref().map(BoardRow::meeting).transpose()?.flatten();
        if meeting != Some(guest.meeting_id) {
            return Err(not_yours());
        }
    }
    let board = board.ok_or_else(no_board)?;
    if let Some(token) = link_token {
        return through_link(db, board, token, now).await;
    }
    let channel_id = board.channel()?;
    let may_draw = match who.guest {
        Some(_) => true,
        None => channels::is_member(db, channel_id, who.user_id).await?,
    };
    let channel = channels::find(db, channel_id).await?.ok_or_else(no_board)?;
    if !may_draw {
        return Err(match channel.kind() {
            ChannelKind::Public => not_yours(),
            _ => no_board(),
        });
    }
    let archived = channel.archived;
    Ok(BoardAccess {
        board,
        may_edit: !archived,
        via_link: None,
    })
}

/// View-only access through a read-only link, if the link is for this board and live.
async fn through_link(
    db: &Db,
    board: BoardRow,
    token: &str,
    now: Timestamp,
) -> AppResult<BoardAccess> {
    let link = boards::find_link_by_hash(db, &session::hash_token(token.trim()))
        .await?
        .filter(|link| link.board_id == board.id)
        .ok_or_else(not_yours)?;
    check_link(&link, now)?;
    Ok(BoardAccess {
        board,
        may_edit: false,
        via_link: Some(link.link_id()?),
    })
}

/// 404 unless `user_id` can see the board's channel (any public channel; a private
/// channel or DM only as its member). For the routes that do not go through `check`.
pub async fn require_visible(db: &Db, board: &BoardRow, user_id: UserId) -> AppResult<()> {
    let channel_id = board.channel()?;
    let channel = channels::find(db, channel_id).await?.ok_or_else(no_board)?;
    if channel.kind() != ChannelKind::Public
        && !channels::is_member(db, channel_id, user_id).await?
    {
        return Err(no_board());
    }
    Ok(())
}

/// Whether a guest's meeting still runs. Ending it signs its guests out and closes
/// their sockets a moment later; an op racing that close is refused with this.
pub async fn guest_still_in_meeting(db: &Db, guest: &GuestScope) -> AppResult<bool> {
    Ok(meetings::find(db, guest.meeting_id)
        .await?
        .is_some_and(|meeting| meeting.ended_at.is_none()))
}

/// 403 for a guest whose meeting has ended.
pub fn meeting_over() -> AppError {
    AppError::forbidden("The meeting has ended: its whiteboard is closed to guests.")
}

/// The board if the person may change it.
pub async fn require_editor(db: &Db, board_id: BoardId, who: Who<'_>) -> AppResult<BoardRow> {
    let access = check(db, board_id, who, None, 0).await?;
    if access.may_edit {
        Ok(access.board)
    } else {
        Err(read_only())
    }
}
