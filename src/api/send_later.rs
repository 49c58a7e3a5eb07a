//! Send-later messages: list, create, move or edit, cancel.

use tandem_protocol::chat::{
    validate_message_body, ScheduleMessageRequest, ScheduledMessage, UpdateScheduledRequest,
};
use uuid::Uuid;

use super::client::{delete, get, into_empty, into_json, patch, post, send, send_json};
use super::{AuthorizedApi, Error};

impl AuthorizedApi {
    pub async fn send_later_list(&self) -> Result<Vec<ScheduledMessage>, Error> {
        into_json(send(get(self.base(), "/api/scheduled")).await?).await
    }

    pub async fn send_later(
        &self,
        req: &ScheduleMessageRequest,
    ) -> Result<ScheduledMessage, Error> {
        // Send-later messages carry no files, hence zero attachments.
        validate_message_body(&req.body, 0)?;
        into_json(send_json(post(self.base(), "/api/scheduled"), req).await?).await
    }

    pub async fn update_send_later(
        &self,
        id: Uuid,
        update: &UpdateScheduledRequest,
    ) -> Result<ScheduledMessage, Error> {
        if let Some(body) = &update.body {
            validate_message_body(body, 0)?;
        }
        let path = format!("/api/scheduled/{id}");
        into_json(send_json(patch(self.base(), &path), update).await?).await
    }

    pub async fn cancel_send_later(&self, id: Uuid) -> Result<(), Error> {
        into_empty(send(delete(self.base(), &format!("/api/scheduled/{id}"))).await?).await
    }
}
