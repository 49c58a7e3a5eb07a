//! Channels and direct messages.

use tandem_protocol::api::User;
use tandem_protocol::chat::{
    validate_channel_name, validate_topic, AddMembersRequest, Channel, ChannelId,
    CreateChannelRequest, MyChannel, OpenDirectRequest, UpdateChannelRequest,
};
use tandem_protocol::{ApiError, ErrorCode};

use super::client::{get, into_empty, into_json, patch, post, send, send_json, Result};
use super::AuthorizedApi;

impl AuthorizedApi {
    pub async fn my_channels(&self) -> Result<Vec<MyChannel>> {
        into_json(send(get(self.base(), "/api/channels")).await?).await
    }

    pub async fn browse_channels(&self) -> Result<Vec<Channel>> {
        into_json(send(get(self.base(), "/api/channels/browse")).await?).await
    }

    pub async fn create_channel(&self, req: &CreateChannelRequest) -> Result<Channel> {
        validate_channel_name(&req.name)?;
        validate_topic(&req.topic)?;
        into_json(send_json(post(self.base(), "/api/channels"), req).await?).await
    }

    #[allow(dead_code)]
    pub async fn channel(&self, id: ChannelId) -> Result<Channel> {
        into_json(send(get(self.base(), &format!("/api/channels/{id}"))).await?).await
    }

    pub async fn update_channel(
        &self,
        id: ChannelId,
        update: &UpdateChannelRequest,
    ) -> Result<Channel> {
        if let Some(name) = &update.name {
            validate_channel_name(name)?;
        }
        if let Some(topic) = &update.topic {
            validate_topic(topic)?;
        }
        into_json(send_json(patch(self.base(), &format!("/api/channels/{id}")), update).await?)
            .await
    }

    pub async fn join_channel(&self, id: ChannelId) -> Result<()> {
        into_empty(send(post(self.base(), &format!("/api/channels/{id}/join"))).await?).await
    }

    pub async fn leave_channel(&self, id: ChannelId) -> Result<()> {
        into_empty(send(post(self.base(), &format!("/api/channels/{id}/leave"))).await?).await
    }

    pub async fn channel_members(&self, id: ChannelId) -> Result<Vec<User>> {
        into_json(send(get(self.base(), &format!("/api/channels/{id}/members"))).await?).await
    }

    #[allow(dead_code)]
    pub async fn add_members(&self, id: ChannelId, req: &AddMembersRequest) -> Result<()> {
        into_empty(
            send_json(
                post(self.base(), &format!("/api/channels/{id}/members")),
                req,
            )
            .await?,
        )
        .await
    }

    /// Opens (or finds) the DM with these people; 1 ..= 7 others.
    pub async fn open_direct(&self, req: &OpenDirectRequest) -> Result<Channel> {
        let n = req.user_ids.len();
        if n == 0 || n >= tandem_protocol::chat::MAX_DIRECT_MEMBERS {
            return Err(
                ApiError::new(ErrorCode::Validation, "Pick between 1 and 7 people.").into(),
            );
        }
        into_json(send_json(post(self.base(), "/api/direct"), req).await?).await
    }
}
