//! Meetings, calls, guest links and ICE servers. The guest endpoints work without a
//! session (a guest has none until it joins), so they take the API base instead.

use tandem_protocol::api::IceServersResponse;
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::{
    CreateGuestInviteRequest, CreatedGuestInvite, GuestInvite, GuestInvitePreview,
    GuestJoinRequest, GuestSession, Meeting, MeetingId, StartMeetingRequest,
};
use uuid::Uuid;

use super::client::{delete, get, into_empty, into_json, post, send, send_json, Result};
use super::AuthorizedApi;

impl AuthorizedApi {
    /// Starts a meeting (or a town hall) in the channel, or returns the one already
    /// running there.
    pub async fn start_meeting(&self, channel_id: ChannelId, town_hall: bool) -> Result<Meeting> {
        let path = format!("/api/channels/{channel_id}/meetings");
        let body = StartMeetingRequest {
            town_hall,
            ..StartMeetingRequest::default()
        };
        into_json(send_json(post(self.base(), &path), &body).await?).await
    }

    /// Calls the other people of a DM (they are rung).
    pub async fn start_call(&self, channel_id: ChannelId) -> Result<Meeting> {
        into_json(
            send(post(
                self.base(),
                &format!("/api/channels/{channel_id}/call"),
            ))
            .await?,
        )
        .await
    }

    pub async fn meeting(&self, id: MeetingId) -> Result<Meeting> {
        into_json(send(get(self.base(), &format!("/api/meetings/{id}"))).await?).await
    }

    #[allow(dead_code)]
    pub async fn active_meeting(&self, channel_id: ChannelId) -> Result<Option<Meeting>> {
        let path = format!("/api/channels/{channel_id}/meetings/active");
        into_json(send(get(self.base(), &path)).await?).await
    }

    /// The answer carries the link's secret: the only time it is shown.
    pub async fn create_guest_invite(
        &self,
        meeting_id: MeetingId,
        minutes: u32,
    ) -> Result<CreatedGuestInvite> {
        let req = CreateGuestInviteRequest {
            expires_in_minutes: minutes,
        };
        let path = format!("/api/meetings/{meeting_id}/guest-invites");
        into_json(send_json(post(self.base(), &path), &req).await?).await
    }

    #[allow(dead_code)]
    pub async fn guest_invites(&self, meeting_id: MeetingId) -> Result<Vec<GuestInvite>> {
        into_json(
            send(get(
                self.base(),
                &format!("/api/meetings/{meeting_id}/guest-invites"),
            ))
            .await?,
        )
        .await
    }

    pub async fn revoke_guest_invite(&self, id: Uuid) -> Result<()> {
        into_empty(send(delete(self.base(), &format!("/api/guest-invites/{id}"))).await?).await
    }

    pub async fn ice_servers(&self) -> Result<IceServersResponse> {
        into_json(send(get(self.base(), "/api/rtc/ice-servers")).await?).await
    }
}

/// What a guest link leads to. 410 (expired, revoked, ended) carries the server's text.
pub async fn guest_preview(api_base: &str, token: &str) -> Result<GuestInvitePreview> {
    into_json(send(get(api_base, &format!("/api/guest/{token}"))).await?).await
}

/// Joins as a guest; the session cookie comes with the answer.
pub async fn guest_join(api_base: &str, token: &str, display_name: String) -> Result<GuestSession> {
    let req = GuestJoinRequest { display_name };
    into_json(send_json(post(api_base, &format!("/api/guest/{token}")), &req).await?).await
}
