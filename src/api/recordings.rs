//! Meeting recordings: the library list, one recording, rename, delete, the
//! playback timeline, and the URLs the browser fetches itself (media, thumbnail).

use tandem_protocol::chat::ChannelId;
use tandem_protocol::recordings::{Recording, RecordingId, Timeline, UpdateRecordingRequest};
use tandem_protocol::UserId;

use super::client::{delete, get, into_empty, into_json, patch, send, send_json};
use super::search::encode_component;
use super::{AuthorizedApi, Error};

/// The library's filters; empty fields are left out of the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordingFilter {
    pub channel_id: Option<ChannelId>,
    pub participant: Option<UserId>,
    pub q: String,
}

impl RecordingFilter {
    pub fn path(&self) -> String {
        let mut params = Vec::new();
        if let Some(id) = self.channel_id {
            params.push(format!("channel_id={id}"));
        }
        if let Some(id) = self.participant {
            params.push(format!("participant={id}"));
        }
        let q = self.q.trim();
        if !q.is_empty() {
            params.push(format!("q={}", encode_component(q)));
        }
        if params.is_empty() {
            "/api/recordings".to_string()
        } else {
            format!("/api/recordings?{}", params.join("&"))
        }
    }
}

impl AuthorizedApi {
    pub async fn recordings(&self, filter: &RecordingFilter) -> Result<Vec<Recording>, Error> {
        into_json(send(get(self.base(), &filter.path())).await?).await
    }

    pub async fn recording(&self, id: RecordingId) -> Result<Recording, Error> {
        into_json(send(get(self.base(), &format!("/api/recordings/{id}"))).await?).await
    }

    pub async fn rename_recording(
        &self,
        id: RecordingId,
        title: String,
    ) -> Result<Recording, Error> {
        let req = UpdateRecordingRequest { title: Some(title) };
        let path = format!("/api/recordings/{id}");
        into_json(send_json(patch(self.base(), &path), &req).await?).await
    }

    pub async fn delete_recording(&self, id: RecordingId) -> Result<(), Error> {
        into_empty(send(delete(self.base(), &format!("/api/recordings/{id}"))).await?).await
    }

    pub async fn recording_timeline(&self, id: RecordingId) -> Result<Timeline, Error> {
        into_json(send(get(self.base(), &format!("/api/recordings/{id}/timeline"))).await?).await
    }

    /// Given straight to `<video src>`: the browser streams it with Range requests and
    /// sends the session cookie itself.
    pub fn recording_media_url(&self, id: RecordingId) -> String {
        format!("{}/api/recordings/{id}/media", self.base())
    }

    pub fn recording_download_url(&self, id: RecordingId) -> String {
        format!("{}/api/recordings/{id}/media?download=1", self.base())
    }

    pub fn recording_thumbnail_url(&self, id: RecordingId) -> String {
        format!("{}/api/recordings/{id}/thumbnail", self.base())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn filter_path_leaves_out_empty_fields_and_encodes_the_query() {
        assert_eq!(RecordingFilter::default().path(), "/api/recordings");
        let f = RecordingFilter {
            channel_id: Some(Uuid::from_u128(1)),
            participant: None,
            q: " q&a plan ".into(),
        };
        assert_eq!(
            f.path(),
            format!(
                "/api/recordings?channel_id={}&q=q%26a%20plan",
                Uuid::from_u128(1)
            )
        );
    }
}
