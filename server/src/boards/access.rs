//! Who may do what with a board.
//!
//! - Edit: a (non-guest) member of the board's channel, unless the channel is archived.
//! - View: editors; guests of the board's meeting (a meeting board is shown beside the
//!   video to everyone in it); anyone signed in who opens it through a valid
//!   read-only link (members of the workspace, or guests of that meeting).
//! - Delete: its creator or a workspace admin.
//!
//! A board that does not exist (or was deleted) is 404; one that exists but is not
//! for this person is 403.

use tandem_protocol::boards::BoardId;
use tandem_protocol::{ErrorCode, Timestamp, UserId};
use uuid::Uuid;

use crate::db::boards::{self, BoardLinkRow, BoardRow};
use crate::db::{channels, Db};
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
    if link.expires_at.is_some_and(|expires| expires <= now) {
        return Err(AppError::new(
            ErrorCode::Gone,
            "This board link has expired.",
        ));
    }
    Ok(())
}

/// The person's access to the board, through `link_token` if they have no other.
pub async fn check(
    db: &Db,
    board_id: BoardId,
    who: Who<'_>,
    link_token: Option<&str>,
    now: Timestamp,
) -> AppResult<BoardAccess> {
    let board = boards::find_live(db, board_id)
        .await?
        .ok_or_else(no_board)?;
    if let Some(guest) = who.guest {
        // Guests see their own meeting's board and nothing else (a link cannot widen
        // that: a guest of that meeting may watch its board anyway).
        return if board.meeting()? == Some(guest.meeting_id) {
            Ok(BoardAccess {
                board,
                may_edit: false,
                via_link: None,
            })
        } else {
            Err(not_yours())
        };
    }
    let channel_id = board.channel()?;
    if channels::is_member(db, channel_id, who.user_id).await? {
        let archived = channels::find(db, channel_id)
            .await?
            .is_some_and(|channel| channel.archived);
        return Ok(BoardAccess {
            board,
            may_edit: !archived,
            via_link: None,
        });
    }
    let Some(token) = link_token else {
        return Err(not_yours());
    };
    let link = boards::find_link_by_token(db, token.trim())
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

/// The board if the person may change it.
pub async fn require_editor(db: &Db, board_id: BoardId, who: Who<'_>) -> AppResult<BoardRow> {
    let access = check(db, board_id, who, None, 0).await?;
    if access.may_edit {
        Ok(access.board)
    } else {
        Err(read_only())
    }
}
