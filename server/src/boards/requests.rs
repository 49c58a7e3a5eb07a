//! `ClientFrame::Board` requests from one connection. The answer meant for this
//! connection alone (`Opened`, `Refused`, a retried op's `Applied`) is returned to the
//! socket; everything else reaches subscribers through their mailboxes.

use tandem_protocol::boards::{BoardId, BoardNotice, BoardPeer, BoardRequest};
use tandem_protocol::{ErrorCode, UserId};
use uuid::Uuid;

use super::access::{self, Who};
use super::mailbox::Mailbox;
use super::rooms::{Editor, Pointer, Subscriber};
use crate::db::users;
use crate::error::{AppError, AppResult};
use crate::meetings::GuestScope;
use crate::state::AppState;

/// The connection a request came from.
pub struct Caller<'a> {
    pub connection_id: Uuid,
    pub user_id: UserId,
    pub guest: Option<&'a GuestScope>,
    pub mailbox: &'a Mailbox,
}

pub async fn handle(
    state: &AppState,
    caller: &Caller<'_>,
    request: BoardRequest,
) -> Option<BoardNotice> {
    let rooms = &state.boards.rooms;
    match request {
        BoardRequest::Open {
            board_id,
            since,
            link_token,
        } => match open(state, caller, board_id, since, link_token.as_deref()).await {
            Ok(opened) => Some(opened),
            Err(err) => {
                // Refused now (access ended, board deleted): an older subscription of
                // this connection must not go on receiving the board either.
                rooms.leave(board_id, caller.connection_id).await;
                Some(refused(board_id, None, err))
            }
        },
        BoardRequest::Close { board_id } => {
            rooms.leave(board_id, caller.connection_id).await;
            None
        }
        BoardRequest::Apply {
            board_id,
            op_id,
            op,
        } => {
            let editor = Editor {
                connection_id: caller.connection_id,
                user_id: caller.user_id,
                guest: caller.guest,
            };
            match rooms.apply(state, editor, board_id, op_id, op).await {
                Ok(None) => None,
                Ok(Some(op)) => Some(BoardNotice::Applied { board_id, op }),
                Err(err) => Some(refused(board_id, Some(op_id), err)),
            }
        }
        BoardRequest::Pointer {
            board_id,
            page_id,
            x,
            y,
            viewport,
        } => {
            let at = Pointer {
                page_id,
                x,
                y,
                viewport,
            };
            rooms
                .pointer(board_id, caller.connection_id, at)
                .await
                .err()
                .map(|err| refused(board_id, None, err))
        }
    }
}

async fn open(
    state: &AppState,
    caller: &Caller<'_>,
    board_id: BoardId,
    since: Option<i64>,
    link_token: Option<&str>,
) -> AppResult<BoardNotice> {
    let who = Who {
        user_id: caller.user_id,
        guest: caller.guest,
    };
    let access = access::check(&state.db, board_id, who, link_token, state.now()).await?;
    let display_name = users::find_by_id(&state.db, caller.user_id)
        .await?
        .map(|user| user.display_name)
        .unwrap_or_default();
    let subscriber = Subscriber {
        peer: BoardPeer {
            connection_id: caller.connection_id,
            user_id: Some(caller.user_id),
            display_name,
        },
        may_edit: access.may_edit,
        via_link: access.via_link,
        mailbox: caller.mailbox.clone(),
    };
    state
        .boards
        .rooms
        .open(state, board_id, subscriber, since)
        .await
}

/// A board frame that could not be read (a coordinate the browser wrote as `null`,
/// which is how JSON carries NaN, say): if it names its board it is refused as a board
/// request, with its `op_id`, so the client drops that change instead of waiting.
pub fn unreadable(text: &str, err: &serde_json::Error) -> Option<BoardNotice> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    if value.get("type")?.as_str()? != "board" {
        return None;
    }
    let board_id = value.get("board_id")?.as_str()?.parse().ok()?;
    let op_id = value
        .get("op_id")
        .and_then(|id| id.as_str())
        .and_then(|id| id.parse().ok());
    Some(BoardNotice::Refused {
        board_id,
        op_id,
        code: ErrorCode::Validation,
        message: format!("Could not read the board request: {err}"),
    })
}

fn refused(board_id: BoardId, op_id: Option<Uuid>, err: AppError) -> BoardNotice {
    let (code, message) = match err {
        AppError::Api(err) => (err.code, err.message),
        other => {
            tracing::error!(error = %other, %board_id, "board request failed");
            (
                ErrorCode::Internal,
                "The server could not process this request.".to_string(),
            )
        }
    };
    BoardNotice::Refused {
        board_id,
        op_id,
        code,
        message,
    }
}
