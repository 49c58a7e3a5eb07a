//! The recorder's side of the recordings API: start, chunk upload (checksummed),
//! upload state, finish, thumbnail. See `tandem_protocol::recordings` for the protocol.
//! The library pages use `api::recordings`; this file is only what recording needs.

use gloo_net::http::{Request, Response};
use js_sys::{ArrayBuffer, Uint8Array};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::recordings::{
    ChunkAck, Recording, RecordingId, StartRecordingRequest, UploadState, CHUNK_CHECKSUM_HEADER,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, RequestCredentials};

use super::client::{get, into_json, post, send, send_json, Result};
use super::error::Error;
use super::AuthorizedApi;
use crate::media::recorder::Outcome;

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A blob's bytes.
pub async fn blob_bytes(blob: &Blob) -> std::result::Result<Uint8Array, String> {
    let buf = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(Uint8Array::new(&buf))
}

/// SHA-256 (crypto.subtle), lowercase hex.
pub async fn sha256_hex(bytes: &Uint8Array) -> std::result::Result<String, String> {
    let subtle = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or("no crypto")?
        .subtle();
    let promise = subtle
        .digest_with_str_and_buffer_source("SHA-256", bytes.unchecked_ref())
        .map_err(|e| format!("{e:?}"))?;
    let digest: ArrayBuffer = JsFuture::from(promise)
        .await
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    Ok(hex(&Uint8Array::new(&digest).to_vec()))
}

/// What a chunk / state / finish answer means for the upload queue.
pub fn outcome_of(status: u16, message: String) -> Outcome {
    match status {
        409 => Outcome::OutOfOrder,
        422 => Outcome::BadChecksum,
        408 | 425 | 429 | 500..=599 => Outcome::Network,
        _ => Outcome::Rejected(message),
    }
}

async fn failure(response: Response) -> Outcome {
    let status = response.status();
    let err = match into_json::<serde_json::Value>(response).await {
        Err(e) => e,
        Ok(_) => Error::Decode(String::new()),
    };
    outcome_of(status, err.message())
}

fn outcome_of_error(e: Error) -> Outcome {
    match e {
        Error::Network => Outcome::Network,
        Error::Decode(_) => Outcome::Network,
        Error::Api(api) => Outcome::Rejected(api.message),
    }
}

impl AuthorizedApi {
    /// Host only; 409 when the meeting is already being recorded.
    pub async fn start_recording(
        &self,
        meeting_id: MeetingId,
        mime_type: String,
    ) -> Result<Recording> {
        let path = format!("/api/meetings/{meeting_id}/recordings");
        into_json(
            send_json(
                post(self.base(), &path),
                &StartRecordingRequest { mime_type },
            )
            .await?,
        )
        .await
    }

    /// Uploads one chunk; `Ok` carries the ack.
    pub async fn put_chunk(
        &self,
        id: RecordingId,
        index: u32,
        blob: &Blob,
    ) -> std::result::Result<ChunkAck, Outcome> {
        let bytes = blob_bytes(blob).await.map_err(Outcome::Rejected)?;
        let sum = sha256_hex(&bytes).await.map_err(Outcome::Rejected)?;
        let url = format!("{}/api/recordings/{id}/chunks/{index}", self.base());
        let request = Request::put(&url)
            .credentials(RequestCredentials::Include)
            .header("Accept", "application/json")
            .header("Content-Type", "application/octet-stream")
            .header(CHUNK_CHECKSUM_HEADER, &sum)
            .body(bytes)
            .map_err(|e| Outcome::Rejected(e.to_string()))?;
        let response = request.send().await.map_err(|_| Outcome::Network)?;
        if response.ok() {
            response
                .json::<ChunkAck>()
                .await
                .map_err(|_| Outcome::Network)
        } else {
            Err(failure(response).await)
        }
    }

    pub async fn upload_state(&self, id: RecordingId) -> std::result::Result<UploadState, Outcome> {
        let response = send(get(self.base(), &format!("/api/recordings/{id}/upload")))
            .await
            .map_err(outcome_of_error)?;
        if response.ok() {
            response
                .json::<UploadState>()
                .await
                .map_err(|_| Outcome::Network)
        } else {
            Err(failure(response).await)
        }
    }

    pub async fn finish_recording(
        &self,
        id: RecordingId,
    ) -> std::result::Result<Recording, Outcome> {
        let response = send(post(self.base(), &format!("/api/recordings/{id}/finish")))
            .await
            .map_err(outcome_of_error)?;
        if response.ok() {
            response
                .json::<Recording>()
                .await
                .map_err(|_| Outcome::Network)
        } else {
            Err(failure(response).await)
        }
    }

    pub async fn upload_thumbnail(&self, id: RecordingId, jpeg: &Blob) -> Result<()> {
        let url = format!("{}/api/recordings/{id}/thumbnail", self.base());
        let request = Request::post(&url)
            .credentials(RequestCredentials::Include)
            .header("Content-Type", "image/jpeg")
            .body(jpeg.clone())
            .map_err(|e| Error::Decode(e.to_string()))?;
        let response = request.send().await.map_err(|_| Error::Network)?;
        super::client::into_empty(response).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_and_padded() {
        assert_eq!(hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
    }

    #[test]
    fn statuses_map_to_queue_outcomes() {
        assert_eq!(
            outcome_of(409, "Expected chunk 3.".into()),
            Outcome::OutOfOrder
        );
        assert_eq!(outcome_of(422, String::new()), Outcome::BadChecksum);
        assert_eq!(outcome_of(503, String::new()), Outcome::Network);
        assert_eq!(outcome_of(429, String::new()), Outcome::Network);
        assert_eq!(
            outcome_of(404, "Gone".into()),
            Outcome::Rejected("Gone".into())
        );
    }
}
