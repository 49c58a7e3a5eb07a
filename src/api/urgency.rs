//! The async bridge's REST calls (issue #7, part A): my inbox, escalating a thread to a
//! call, a call's summary and its note, and ticking off action items.

use tandem_protocol::chat::MessageId;
use tandem_protocol::meetings::{Meeting, MeetingId};
use tandem_protocol::urgency::{
    ActionItem, ActionItemId, Inbox, MeetingNote, MeetingNoteRequest, MeetingSummary,
    UpdateActionItemRequest,
};

use super::client::{get, into_json, patch, post, put, send, send_json, Result};
use super::AuthorizedApi;

impl AuthorizedApi {
    /// What I owe, what others owe me and my action items, each soonest first.
    pub async fn inbox(&self) -> Result<Inbox> {
        into_json(send(get(self.base(), "/api/inbox")).await?).await
    }

    /// Turns the thread of `message_id` into a call (or returns the call it already
    /// became); the thread's participants are rung.
    pub async fn escalate(&self, message_id: MessageId) -> Result<Meeting> {
        let path = format!("/api/messages/{message_id}/escalate");
        into_json(send(post(self.base(), &path)).await?).await
    }

    pub async fn meeting_summary(&self, id: MeetingId) -> Result<MeetingSummary> {
        into_json(send(get(self.base(), &format!("/api/meetings/{id}/summary"))).await?).await
    }

    /// Replaces the meeting's note and its action items (the host only).
    pub async fn save_meeting_note(
        &self,
        id: MeetingId,
        req: &MeetingNoteRequest,
    ) -> Result<MeetingNote> {
        req.validate()?;
        let path = format!("/api/meetings/{id}/note");
        into_json(send_json(put(self.base(), &path), req).await?).await
    }

    pub async fn set_action_item_done(&self, id: ActionItemId, done: bool) -> Result<ActionItem> {
        let path = format!("/api/action-items/{id}");
        into_json(send_json(patch(self.base(), &path), &UpdateActionItemRequest { done }).await?)
            .await
    }
}
