//! Issue 11: finalised recordings seek (cues on keyframes only), recordings finalised
//! by the old code are repaired at start-up, and media is never compressed on the fly.

use crate::common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use tandem_protocol::recordings::Recording;
use tandem_server::recordings::webm::{self, Sample};

/// Meeting-recorder-like media: clusters mostly start between keyframes.
fn recorded() -> Vec<u8> {
    webm::sample_with(Sample {
        clusters: 6,
        blocks: 10,
        block_ms: 33,
        key_every: 7,
        block_groups: false,
        video: true,
    })
}

/// A channel, a meeting the admin is in, and a finished recording of `media`.
async fn record(ts: &TestServer, admin: &Client, media: &[u8], channel: &str) -> Recording {
    let channel = admin.create_channel(channel, "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut ws = admin.live_ws().await;
    ws.join(meeting.id).await;
    let recording = admin.start_recording(meeting.id).await;
    let id = recording.id;
    let chunk = admin
        .http
        .put(ts.url(&format!("/api/recordings/{id}/chunks/0")))
        .header("x-chunk-sha256", hex::encode(Sha256::digest(media)))
        .body(media.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(chunk.status(), StatusCode::OK);
    let finished = admin
        .post(&format!("/api/recordings/{id}/finish"), &json!({}))
        .await;
    assert_eq!(finished.status(), StatusCode::OK);
    finished.json().await.unwrap()
}

/// Every cue leads to a keyframe of the video track at the cue's time.
fn assert_cues_on_keyframes(bytes: &[u8]) {
    let file = webm::inspect(bytes).unwrap();
    assert!(!file.cues.is_empty());
    for (i, (time, track, cluster)) in file.cues.iter().enumerate() {
        let relative = file.cue_relative[i].expect("a CueRelativePosition");
        let block = file.block_at(*cluster, relative).expect("a block there");
        assert!(block.keyframe, "cue at {time} is not on a keyframe");
        assert_eq!((block.track, block.time), (*track, *time));
    }
}

#[tokio::test]
async fn finalised_recordings_cue_only_keyframes() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let recording = record(&ts, &admin, &recorded(), "design").await;
    let path = ts
        .dir
        .path()
        .join(format!("recordings/{}.webm", recording.id));
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() as u64, recording.size_bytes);
    assert_eq!(recording.duration_ms, Some(6 * 10 * 33));
    assert_cues_on_keyframes(&bytes);
}

/// The Download button's request: the whole file, and the browser accepts brotli.
#[tokio::test]
async fn media_is_never_compressed_on_the_fly() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    // Big enough that it would be worth compressing if it were text.
    let media = webm::sample(40, 30, 33);
    let recording = record(&ts, &admin, &media, "design").await;
    let id = recording.id;
    for query in ["", "?download=1"] {
        let response = admin
            .http
            .get(admin.url(&format!("/api/recordings/{id}/media{query}")))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers.get("content-encoding"), None, "{query}");
        assert_eq!(headers["accept-ranges"], "bytes");
        assert_eq!(
            headers["content-length"],
            recording.size_bytes.to_string().as_str()
        );
        let body = response.bytes().await.unwrap();
        assert_eq!(body.len() as u64, recording.size_bytes);
    }
    // Text still is.
    let doc = admin
        .http
        .get(admin.url("/api/openapi.json"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(doc.headers()["content-encoding"], "br");
}

async fn cue_check(ts: &TestServer, id: uuid::Uuid) -> Option<String> {
    let db = ts.db().await;
    let (check,): (Option<String>,) =
        sqlx::query_as("SELECT cue_check FROM recordings WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&db)
            .await
            .unwrap();
    db.close().await;
    check
}

/// Libraries made before the fix: at start-up, in the background, files with the old
/// cue-per-cluster index are rewritten once; files already right are left alone.
#[tokio::test]
async fn old_recordings_are_repaired_once_at_start_up() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let raw = recorded();
    let old = record(&ts, &admin, &raw, "before").await;
    let fine = record(&ts, &admin, &raw, "after").await;
    let old_path = ts.dir.path().join(format!("recordings/{}.webm", old.id));
    let fine_path = ts.dir.path().join(format!("recordings/{}.webm", fine.id));
    // As the old code finalised it: a cue per cluster, most on non-key frames.
    let legacy = webm::finalise_like_before_keyframe_cues(&raw);
    std::fs::write(&old_path, &legacy).unwrap();
    // ...and its row as migration 0015 left it: not checked yet.
    sqlx::query("UPDATE recordings SET cue_check = NULL WHERE id = $1")
        .bind(old.id.to_string())
        .execute(&ts.db().await)
        .await
        .unwrap();
    let fine_bytes = std::fs::read(&fine_path).unwrap();
    let config = ts.config();
    let TestServer {
        server,
        dir,
        database,
    } = ts;
    server.shutdown().await.unwrap();

    // Restart on the same data.
    let ts = TestServer {
        server: tandem_server::start(config).await.unwrap(),
        dir,
        database,
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while cue_check(&ts, old.id).await.is_none() || cue_check(&ts, fine.id).await.is_none() {
        assert!(Instant::now() < deadline, "the start-up check never ran");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(cue_check(&ts, old.id).await.as_deref(), Some("repaired"));
    assert_eq!(cue_check(&ts, fine.id).await.as_deref(), Some("ok"));
    let repaired = std::fs::read(&old_path).unwrap();
    assert_cues_on_keyframes(&repaired);
    assert_eq!(repaired, fine_bytes, "the same file as a new finalisation");
    assert_eq!(std::fs::read(&fine_path).unwrap(), fine_bytes);
    // The row's size follows the file.
    let admin = ts.client();
    let login = admin.login("ada@example.com", PASSWORD).await;
    assert_eq!(login.status(), StatusCode::OK);
    let row: Recording = admin
        .get(&format!("/api/recordings/{}", old.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(row.size_bytes, repaired.len() as u64);
    // Once: nothing is left to check.
    let again = tandem_server::recordings::repair::repair_all(&ts.server.state)
        .await
        .unwrap();
    assert_eq!(again.checked, 0);
}
