//! Recordings as an attack surface (issue #10, findings 1 and 3): only the recorder's
//! WebM types are accepted, only WebM bytes are kept, media is served with fixed safe
//! headers, and a recording is capped in size and duration and counts towards its
//! starter's storage quota.

use crate::common;

use common::clock::spawn_with_clock;
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use tandem_protocol::recordings::{Recording, RecordingState};
use tandem_protocol::ErrorCode;
use tandem_server::recordings::{ebml, webm};

async fn put_chunk(client: &Client, id: uuid::Uuid, index: u32, bytes: &[u8]) -> reqwest::Response {
    client
        .http
        .put(client.url(&format!("/api/recordings/{id}/chunks/{index}")))
        .header("x-chunk-sha256", hex::encode(Sha256::digest(bytes)))
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

fn halves(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (a, b) = bytes.split_at(bytes.len() / 2);
    (a.to_vec(), b.to_vec())
}

/// An admin in a meeting of a public channel, ready to record.
struct Room {
    ts: TestServer,
    admin: Client,
    meeting: uuid::Uuid,
    _ws: Ws,
}

async fn room(ts: TestServer) -> Room {
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("all-hands", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await.id;
    let mut ws = admin.live_ws().await;
    ws.join(meeting).await;
    Room {
        ts,
        admin,
        meeting,
        _ws: ws,
    }
}

impl Room {
    async fn start(&self, mime_type: &str) -> reqwest::Response {
        self.admin
            .post(
                &format!("/api/meetings/{}/recordings", self.meeting),
                &json!({ "mime_type": mime_type }),
            )
            .await
    }

    async fn started(&self) -> Recording {
        let response = self.start("video/webm;codecs=vp8,opus").await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    async fn recording(&self, id: uuid::Uuid) -> Recording {
        let response = self.admin.get(&format!("/api/recordings/{id}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}

#[tokio::test]
async fn the_hostile_type_and_a_non_webm_chunk_are_refused() {
    let r = room(spawn().await).await;
    // The reproduction from the review: a type that smuggles text/html.
    for hostile in [
        "video/webm,text/html",
        "text/html",
        "video/mp4",
        "audio/ogg",
    ] {
        let refused = r.start(hostile).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{hostile}"
        );
        let body = error_body(refused).await;
        assert_eq!(body.code, ErrorCode::Validation);
        assert_eq!(body.field.as_deref(), Some("mime_type"));
    }
    // What browsers report is accepted whatever its spelling, and stored canonical.
    let response = r.start("Video/WebM; codecs=\"VP8, opus\"").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let recording: Recording = response.json().await.unwrap();
    assert_eq!(recording.mime_type, "video/webm;codecs=vp8,opus");
    // An HTML chunk is not a recording: nothing is stored.
    let html = b"<html><script>alert(document.cookie)</script></html>";
    let refused = put_chunk(&r.admin, recording.id, 0, html).await;
    assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        error_body(refused).await.code,
        ErrorCode::UnsupportedMediaType
    );
    let path =
        r.ts.dir
            .path()
            .join(format!("recordings/{}.webm", recording.id));
    assert_eq!(std::fs::read(&path).unwrap(), b"");
    assert_eq!(r.recording(recording.id).await.size_bytes, 0);
}

#[tokio::test]
async fn a_finished_file_that_is_not_webm_is_not_kept() {
    let r = room(spawn().await).await;
    let recording = r.started().await;
    // A WebM header and then a page instead of a Segment.
    let header = ebml::element(webm::EBML, &ebml::element(0x4282, b"webm"));
    let mut bytes = header;
    bytes.extend_from_slice(b"<html><script>alert(1)</script></html>");
    assert_eq!(
        put_chunk(&r.admin, recording.id, 0, &bytes).await.status(),
        StatusCode::OK
    );
    let finished = r
        .admin
        .post(
            &format!("/api/recordings/{}/finish", recording.id),
            &json!({}),
        )
        .await;
    assert_eq!(finished.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_body(finished).await.code, ErrorCode::Validation);
    let gone = r
        .admin
        .get(&format!("/api/recordings/{}", recording.id))
        .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let media = r
        .admin
        .get(&format!("/api/recordings/{}/media", recording.id))
        .await;
    assert_eq!(media.status(), StatusCode::NOT_FOUND);
    assert!(!r
        .ts
        .dir
        .path()
        .join(format!("recordings/{}.webm", recording.id))
        .exists());
    // The meeting can be recorded again.
    r.started().await;
}

#[tokio::test]
async fn media_is_served_with_a_fixed_type_and_safe_headers() {
    let r = room(spawn().await).await;
    let recording = r.started().await;
    let raw = webm::sample(2, 3, 40);
    assert_eq!(
        put_chunk(&r.admin, recording.id, 0, &raw).await.status(),
        StatusCode::OK
    );
    let finished = r
        .admin
        .post(
            &format!("/api/recordings/{}/finish", recording.id),
            &json!({}),
        )
        .await;
    assert_eq!(finished.status(), StatusCode::OK);
    // A row written by an older server with a hostile type is still served as WebM.
    sqlx::query("UPDATE recordings SET mime_type = 'video/webm,text/html' WHERE id = $1")
        .bind(recording.id.to_string())
        .execute(&r.ts.db().await)
        .await
        .unwrap();
    let renamed = r
        .admin
        .patch(
            &format!("/api/recordings/{}", recording.id),
            &json!({"title": "Plan é"}),
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::OK);
    for (query, disposition) in [("", "inline;"), ("?download=1", "attachment;")] {
        let media = r
            .admin
            .get(&format!("/api/recordings/{}/media{query}", recording.id))
            .await;
        assert_eq!(media.status(), StatusCode::OK);
        let h = media.headers();
        assert_eq!(h["content-type"], "video/webm");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["content-security-policy"], "default-src 'none'; sandbox");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin");
        let value = h["content-disposition"].to_str().unwrap();
        assert!(value.starts_with(disposition), "{value}");
        assert!(value.contains("filename=\"Plan _.webm\""), "{value}");
        assert!(
            value.contains("filename*=UTF-8''Plan%20%C3%A9.webm"),
            "{value}"
        );
    }
}

#[tokio::test]
async fn a_chunk_past_the_size_cap_is_refused_and_the_recording_ends_with_what_it_has() {
    let raw = webm::sample(4, 3, 40);
    let (first, second) = halves(&raw);
    let cap = first.len() as u64 + 10;
    let r = room(spawn_with(|c| c.max_recording_bytes = cap).await).await;
    let recording = r.started().await;
    assert_eq!(
        put_chunk(&r.admin, recording.id, 0, &first).await.status(),
        StatusCode::OK
    );
    let refused = put_chunk(&r.admin, recording.id, 1, &second).await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = error_body(refused).await;
    assert_eq!(body.code, ErrorCode::PayloadTooLarge);
    assert!(body.message.contains(&cap.to_string()), "{}", body.message);
    // Finalised with the first chunk; later chunks are told it has ended.
    let done = r.recording(recording.id).await;
    assert_eq!(done.state, RecordingState::Complete);
    assert!(done.duration_ms.is_some());
    assert!(done.card_message_id.is_some());
    let late = put_chunk(&r.admin, recording.id, 1, &second).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    let media = r
        .admin
        .get(&format!("/api/recordings/{}/media", recording.id))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(webm::inspect(&media).unwrap().segment_size_known);
}

#[tokio::test]
async fn a_chunk_after_the_duration_cap_is_refused() {
    let (ts, now) = spawn_with_clock(|c| c.max_recording_secs = 60).await;
    let r = room(ts).await;
    let recording = r.started().await;
    let (first, second) = halves(&webm::sample(4, 3, 40));
    assert_eq!(
        put_chunk(&r.admin, recording.id, 0, &first).await.status(),
        StatusCode::OK
    );
    now.advance(61_000);
    let refused = put_chunk(&r.admin, recording.id, 1, &second).await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = error_body(refused).await;
    assert!(body.message.contains("60 seconds"), "{}", body.message);
    assert_eq!(
        r.recording(recording.id).await.state,
        RecordingState::Complete
    );
}

#[tokio::test]
async fn recording_chunks_count_towards_the_starters_quota() {
    let raw = webm::sample(4, 3, 40);
    let (first, second) = halves(&raw);
    let quota = first.len() as u64 + 10;
    let r = room(spawn_with(|c| c.user_quota_bytes = quota).await).await;
    let recording = r.started().await;
    assert_eq!(
        put_chunk(&r.admin, recording.id, 0, &first).await.status(),
        StatusCode::OK
    );
    let refused = put_chunk(&r.admin, recording.id, 1, &second).await;
    assert_eq!(refused.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = error_body(refused).await;
    assert!(body.message.contains("quota"), "{}", body.message);
    assert_eq!(
        r.recording(recording.id).await.state,
        RecordingState::Complete
    );
    // Deleting the recording frees the room again.
    let deleted = r
        .admin
        .delete(&format!("/api/recordings/{}", recording.id))
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let again = r.started().await;
    assert_eq!(
        put_chunk(&r.admin, again.id, 0, &first).await.status(),
        StatusCode::OK
    );
}
