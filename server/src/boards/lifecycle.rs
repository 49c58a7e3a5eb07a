//! Creating, renaming and deleting boards, and a meeting's board. Each change is
//! announced as a persisted event (`board_changed` / `board_deleted`) to the board's
//! channel — and, for a meeting's board, to the meeting's guests.

use sqlx::AnyConnection;
use tandem_protocol::api::User;
use tandem_protocol::boards::{
    validate_board_title, Board, BoardId, BoardOp, Page, SequencedOp, MAX_BOARD_TITLE_CHARS,
};
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::ws::Event;
use tandem_protocol::Timestamp;
use uuid::Uuid;

use super::access::{self, no_board, Who};
use super::FIRST_PAGE_NAME;
use crate::auth::extract::CurrentSession;
use crate::chat::access as channel_access;
use crate::db::boards::{self, NewBoard};
use crate::db::{channels, meetings};
use crate::error::{AppError, AppResult};
use crate::meetings::guests::{ended, no_meeting};
use crate::meetings::lifecycle::publish_update;
use crate::realtime::audience::Audience;
use crate::state::AppState;

/// Who hears about the board: its channel, plus the meeting's guests for a meeting's.
pub fn audience(board: &Board) -> Audience {
    match board.meeting_id {
        Some(meeting_id) => Audience::ChannelAndMeeting(board.channel_id, meeting_id),
        None => Audience::Channel(board.channel_id),
    }
}

/// Inserts the board with its first page: rev 1, an `AddPage` by its creator, so every
/// board starts with somewhere to draw.
async fn insert_with_first_page(tx: &mut AnyConnection, new: &NewBoard<'_>) -> AppResult<Board> {
    boards::insert(&mut *tx, new).await?;
    let at = new.created_at;
    let rev = boards::next_rev(&mut *tx, new.id, at)
        .await?
        .ok_or_else(|| anyhow::anyhow!("new board vanished"))?;
    let first_page = SequencedOp {
        rev,
        at,
        op_id: Uuid::new_v4(),
        author: Some(new.created_by),
        op: BoardOp::AddPage {
            page: Page {
                id: Uuid::new_v4(),
                name: FIRST_PAGE_NAME.to_string(),
                order: 1.0,
            },
        },
    };
    boards::insert_op(&mut *tx, new.id, &first_page).await?;
    let row = boards::find_live(&mut *tx, new.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("new board vanished"))?;
    Ok(row.to_board()?)
}

/// The channel's boards, newest first (its members).
pub async fn list(state: &AppState, channel_id: ChannelId, me: &User) -> AppResult<Vec<Board>> {
    let mut conn = state.db.acquire().await?;
    channel_access::visible(&mut conn, channel_id, me.id)
        .await?
        .require_member()?;
    let rows = boards::list_for_channel(&mut *conn, channel_id).await?;
    Ok(rows
        .iter()
        .map(|row| row.to_board())
        .collect::<Result<_, _>>()?)
}

/// A new board in the channel (members; not in archived channels).
pub async fn create(
    state: &AppState,
    channel_id: ChannelId,
    me: &User,
    title: &str,
) -> AppResult<Board> {
    validate_board_title(title)?;
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    channel_access::visible(&mut tx, channel_id, me.id)
        .await?
        .require_writable()?;
    let new = NewBoard {
        id: Uuid::new_v4(),
        channel_id,
        meeting_id: None,
        title: title.trim(),
        created_by: me.id,
        created_at: state.now(),
    };
    let board = insert_with_first_page(&mut tx, &new).await?;
    let event = Event::BoardChanged {
        board: board.clone(),
    };
    writer.append(&mut tx, audience(&board), event).await?;
    writer.commit(tx).await?;
    tracing::info!(board_id = %board.id, %channel_id, "board created");
    Ok(board)
}

fn meeting_board_title(meeting_title: &str) -> String {
    format!("Whiteboard: {meeting_title}")
        .chars()
        .take(MAX_BOARD_TITLE_CHARS)
        .collect()
}

/// The meeting's board, created on first use (members of the meeting's channel).
/// `true` when it was created now. The meeting then carries its `board_id` (announced
/// with `meeting_updated`), so everyone in the meeting opens it.
pub async fn for_meeting(
    state: &AppState,
    meeting_id: MeetingId,
    me: &User,
) -> AppResult<(Board, bool)> {
    // The log writer serialises this with every other get-or-create: one board each.
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let meeting = meetings::find(&mut *tx, meeting_id)
        .await?
        .ok_or_else(no_meeting)?;
    let channel_id = meeting.channel()?;
    if !channels::is_member(&mut *tx, channel_id, me.id).await? {
        return Err(no_meeting());
    }
    if let Some(board_id) = meeting.board()? {
        if let Some(row) = boards::find_live(&mut *tx, board_id).await? {
            return Ok((row.to_board()?, false));
        }
    }
    if meeting.ended_at.is_some() {
        return Err(ended());
    }
    let title = meeting_board_title(&meeting.title);
    let new = NewBoard {
        id: Uuid::new_v4(),
        channel_id,
        meeting_id: Some(meeting_id),
        title: &title,
        created_by: me.id,
        created_at: state.now(),
    };
    let board = insert_with_first_page(&mut tx, &new).await?;
    boards::set_meeting_board(&mut *tx, meeting_id, board.id).await?;
    let event = Event::BoardChanged {
        board: board.clone(),
    };
    writer.append(&mut tx, audience(&board), event).await?;
    // (Committing released the log writer.)
    writer.commit(tx).await?;
    publish_update(state, meeting_id).await?;
    tracing::info!(board_id = %board.id, %meeting_id, "meeting board created");
    Ok((board, true))
}

/// Renames the board (editors).
pub async fn rename(
    state: &AppState,
    board_id: BoardId,
    who: Who<'_>,
    title: &str,
) -> AppResult<Board> {
    validate_board_title(title)?;
    access::require_editor(&state.db, board_id, who).await?;
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    if !boards::rename(&mut *tx, board_id, title.trim()).await? {
        return Err(no_board());
    }
    let board = boards::find_live(&mut *tx, board_id)
        .await?
        .ok_or_else(no_board)?
        .to_board()?;
    let event = Event::BoardChanged {
        board: board.clone(),
    };
    writer.append(&mut tx, audience(&board), event).await?;
    writer.commit(tx).await?;
    Ok(board)
}

/// Deletes the board (its creator or an admin). Whoever has it open gets `Closed`;
/// its ops stay stored, but nothing serves them any more.
pub async fn delete(state: &AppState, board_id: BoardId, me: &CurrentSession) -> AppResult<()> {
    let row = boards::find_live(&state.db, board_id)
        .await?
        .ok_or_else(no_board)?;
    // An admin's right to delete stops at what they can see.
    access::require_visible(&state.db, &row, me.user.id).await?;
    if row.creator()? != me.user.id && !me.is_admin() {
        return Err(AppError::forbidden(
            "Only the board's creator or an admin can delete it.",
        ));
    }
    let board = row.to_board()?;
    let now: Timestamp = state.now();
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    if !boards::mark_deleted(&mut *tx, board_id, now).await? {
        return Err(no_board());
    }
    let event = Event::BoardDeleted {
        channel_id: board.channel_id,
        board_id,
    };
    writer.append(&mut tx, audience(&board), event).await?;
    // A meeting whose board this was no longer has one (the panel closes).
    let unlinked = match board.meeting_id {
        Some(meeting_id) => boards::clear_meeting_board(&mut *tx, meeting_id, board_id).await?,
        None => false,
    };
    // (Committing released the log writer.)
    writer.commit(tx).await?;
    state.boards.rooms.close_all(board_id).await;
    if let (true, Some(meeting_id)) = (unlinked, board.meeting_id) {
        publish_update(state, meeting_id).await?;
    }
    tracing::info!(%board_id, "board deleted");
    Ok(())
}
