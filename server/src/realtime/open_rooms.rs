//! What one client has open in the live rooms: the socket task keeps one for its
//! socket, and a node holding rooms keeps one per client connected elsewhere
//! (`remote`). Both run board requests and leave through it, so they cannot differ.

use std::collections::HashSet;

use tandem_protocol::boards::{BoardId, BoardNotice, BoardRequest};
use uuid::Uuid;

use crate::boards::requests::{self, Caller};
use crate::state::AppState;

#[derive(Default)]
pub struct OpenRooms {
    boards: HashSet<BoardId>,
}

impl OpenRooms {
    /// Runs a board request, remembering which boards the client has open; returns
    /// the answer meant for this client alone (the rest reach it through its mailbox).
    pub async fn board(
        &mut self,
        state: &AppState,
        caller: &Caller<'_>,
        request: BoardRequest,
    ) -> Option<BoardNotice> {
        if let BoardRequest::Close { board_id } = &request {
            self.boards.remove(board_id);
        }
        let reply = Box::pin(requests::handle(state, caller, request)).await?;
        if let BoardNotice::Opened { board, .. } = &reply {
            self.boards.insert(board.id);
        }
        Some(reply)
    }

    /// The client is gone: it leaves every meeting it was in and every board it had
    /// open (the others are told).
    pub async fn leave_all(self, state: &AppState, connection_id: Uuid) {
        let leaving = crate::meetings::requests::leave(state, connection_id, None, false);
        Box::pin(leaving).await;
        for board_id in self.boards {
            Box::pin(state.boards.rooms.leave(board_id, connection_id)).await;
        }
    }
}
