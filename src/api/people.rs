//! Presence and one's own profile.

use tandem_protocol::api::{UpdateProfileRequest, User};
use tandem_protocol::chat::PresenceEntry;

use super::client::{get, into_json, patch, send, send_json, Result};
use super::AuthorizedApi;

impl AuthorizedApi {
    pub async fn presence(&self) -> Result<Vec<PresenceEntry>> {
        into_json(send(get(self.base(), "/api/presence")).await?).await
    }

    pub async fn update_profile(&self, update: &UpdateProfileRequest) -> Result<User> {
        into_json(send_json(patch(self.base(), "/api/users/me"), update).await?).await
    }
}
