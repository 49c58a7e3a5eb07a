//! Whiteboards over REST: the channel's board list, create / rename / delete, a
//! meeting's board, the state at a past moment and the op log (playback), and
//! read-only links. Drawing itself travels over the WebSocket (`contexts::boards`).

use tandem_protocol::boards::{
    validate_board_title, Board, BoardId, BoardLink, BoardOpsPage, BoardRev, BoardSnapshot,
    CreateBoardLinkRequest, CreateBoardRequest, CreatedBoardLink, UpdateBoardRequest,
};
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::Timestamp;
use uuid::Uuid;

use super::client::{delete, get, into_empty, into_json, patch, post, send, send_json, Result};
use super::search::encode_component;
use super::AuthorizedApi;

/// The server's page size limits for `GET /api/boards/{id}/ops`.
pub const MAX_OPS_PAGE: u32 = 5_000;

/// `/api/boards/{id}/ops?after=&limit=`, with the limit kept in the server's range.
pub fn ops_path(id: BoardId, after: BoardRev, limit: u32) -> String {
    let limit = limit.clamp(1, MAX_OPS_PAGE);
    format!("/api/boards/{id}/ops?after={}&limit={limit}", after.max(0))
}

/// `/api/boards/{id}/state?at=`; a negative time means "the beginning".
pub fn state_path(id: BoardId, at_ms: Timestamp) -> String {
    format!("/api/boards/{id}/state?at={}", at_ms.max(0))
}

/// `/api/board-links/{token}`; the token is encoded, since it comes from the URL bar.
pub fn link_path(token: &str) -> String {
    format!("/api/board-links/{}", encode_component(token))
}

impl AuthorizedApi {
    /// The channel's boards, newest first (meeting boards included).
    pub async fn list_boards(&self, channel_id: ChannelId) -> Result<Vec<Board>> {
        into_json(
            send(get(
                self.base(),
                &format!("/api/channels/{channel_id}/boards"),
            ))
            .await?,
        )
        .await
    }

    pub async fn create_board(&self, channel_id: ChannelId, title: String) -> Result<Board> {
        validate_board_title(&title)?;
        let req = CreateBoardRequest {
            title: title.trim().to_string(),
        };
        let path = format!("/api/channels/{channel_id}/boards");
        into_json(send_json(post(self.base(), &path), &req).await?).await
    }

    pub async fn board(&self, id: BoardId) -> Result<Board> {
        into_json(send(get(self.base(), &format!("/api/boards/{id}"))).await?).await
    }

    pub async fn rename_board(&self, id: BoardId, title: String) -> Result<Board> {
        validate_board_title(&title)?;
        let req = UpdateBoardRequest {
            title: title.trim().to_string(),
        };
        into_json(send_json(patch(self.base(), &format!("/api/boards/{id}")), &req).await?).await
    }

    pub async fn delete_board(&self, id: BoardId) -> Result<()> {
        into_empty(send(delete(self.base(), &format!("/api/boards/{id}"))).await?).await
    }

    /// The meeting's board, created on first use (the same board every time after).
    pub async fn meeting_board(&self, meeting_id: MeetingId) -> Result<Board> {
        into_json(
            send(post(
                self.base(),
                &format!("/api/meetings/{meeting_id}/board"),
            ))
            .await?,
        )
        .await
    }

    /// The whole board as it was at `at_ms` (ms since the epoch).
    pub async fn board_state_at(&self, id: BoardId, at_ms: Timestamp) -> Result<BoardSnapshot> {
        into_json(send(get(self.base(), &state_path(id, at_ms))).await?).await
    }

    /// Ops with rev > `after`, in rev order, at most `limit` (1..=5000).
    pub async fn board_ops(
        &self,
        id: BoardId,
        after: BoardRev,
        limit: u32,
    ) -> Result<BoardOpsPage> {
        into_json(send(get(self.base(), &ops_path(id, after, limit))).await?).await
    }

    /// A read-only link; `None` lasts the server's default (a week). The answer carries
    /// the link's secret: the only time it is shown.
    pub async fn create_link(
        &self,
        id: BoardId,
        expires_in_minutes: Option<u32>,
    ) -> Result<CreatedBoardLink> {
        let req = CreateBoardLinkRequest { expires_in_minutes };
        let path = format!("/api/boards/{id}/links");
        into_json(send_json(post(self.base(), &path), &req).await?).await
    }

    /// The board's read-only links, newest first, revoked and expired ones included
    /// (editors).
    pub async fn links(&self, id: BoardId) -> Result<Vec<BoardLink>> {
        into_json(send(get(self.base(), &format!("/api/boards/{id}/links"))).await?).await
    }

    /// Revokes a read-only link (idempotent): opening it then answers 410, and whoever
    /// watches through it is closed.
    pub async fn revoke_link(&self, id: BoardId, link_id: Uuid) -> Result<()> {
        into_empty(
            send(delete(
                self.base(),
                &format!("/api/boards/{id}/links/{link_id}"),
            ))
            .await?,
        )
        .await
    }

    /// The board a read-only link leads to: 404 unknown, 410 expired or revoked.
    pub async fn resolve_link(&self, token: &str) -> Result<Board> {
        into_json(send(get(self.base(), &link_path(token))).await?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_values_in_the_servers_range() {
        let id = BoardId::from_u128(7);
        assert_eq!(
            ops_path(id, 12, 1_000),
            format!("/api/boards/{id}/ops?after=12&limit=1000")
        );
        assert_eq!(
            ops_path(id, -3, 0),
            format!("/api/boards/{id}/ops?after=0&limit=1")
        );
        assert_eq!(
            ops_path(id, 0, 99_999),
            format!("/api/boards/{id}/ops?after=0&limit=5000")
        );
        assert_eq!(
            state_path(id, 1_700),
            format!("/api/boards/{id}/state?at=1700")
        );
        assert_eq!(state_path(id, -5), format!("/api/boards/{id}/state?at=0"));
    }

    #[test]
    fn link_tokens_cannot_escape_the_path() {
        assert_eq!(link_path("abc-DEF_12"), "/api/board-links/abc-DEF_12");
        assert_eq!(
            link_path("../users?x=1"),
            "/api/board-links/..%2Fusers%3Fx%3D1"
        );
    }
}
