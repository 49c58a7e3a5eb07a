//! Meeting recordings: the resumable chunked upload, finalisation, playback with
//! Range, permissions, orphans, the card, the library, the timeline and retention.

use crate::common;

use std::time::Duration;

use common::clock::spawn_with_clock;
use common::*;
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use tandem_protocol::meetings::{Meeting, MeetingNotice, MeetingRequest};
use tandem_protocol::recordings::{
    ChunkAck, Recording, RecordingState, Timeline, TimelineMarker, UploadState,
};
use tandem_protocol::ws::Command;
use tandem_server::recordings::webm;
use tandem_server::Config;

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Client {
    async fn put_chunk(
        &self,
        id: uuid::Uuid,
        index: u32,
        bytes: &[u8],
        checksum: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .http
            .put(self.url(&format!("/api/recordings/{id}/chunks/{index}")))
            .body(bytes.to_vec());
        if let Some(c) = checksum {
            request = request.header("x-chunk-sha256", c);
        }
        request.send().await.unwrap()
    }

    async fn chunk_ok(&self, id: uuid::Uuid, index: u32, bytes: &[u8]) -> ChunkAck {
        let response = self.put_chunk(id, index, bytes, Some(&sha(bytes))).await;
        assert_eq!(response.status(), StatusCode::OK, "chunk {index}");
        response.json().await.unwrap()
    }
}

struct Setup {
    ts: TestServer,
    admin: Client,
    member: Client,
    member_id: uuid::Uuid,
    channel: uuid::Uuid,
    meeting: Meeting,
    admin_ws: Ws,
}

/// A private channel with the admin and a member; the admin is in its meeting.
async fn setup_with(configure: impl FnOnce(&mut Config)) -> Setup {
    let ts = spawn_with(|c| {
        c.recording_orphan_grace_secs = 1;
        configure(c);
    })
    .await;
    let (admin, _) = ts.admin().await;
    let (member, member_user) = ts.member(&admin, "Mia Member", "mia@example.com").await;
    let channel = admin
        .create_channel("design", "private", &[member_user.id])
        .await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut admin_ws = admin.live_ws().await;
    admin_ws.join(meeting.id).await;
    Setup {
        ts,
        admin,
        member,
        member_id: member_user.id,
        channel: channel.id,
        meeting,
        admin_ws,
    }
}

async fn setup() -> Setup {
    setup_with(|_| {}).await
}

async fn start_recording(client: &Client, meeting: uuid::Uuid) -> Recording {
    let response = client
        .post(
            &format!("/api/meetings/{meeting}/recordings"),
            &json!({"mime_type": "video/webm;codecs=vp8,opus"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn chunks_of(bytes: &[u8], n: usize) -> Vec<Vec<u8>> {
    let size = bytes.len().div_ceil(n);
    bytes.chunks(size).map(<[u8]>::to_vec).collect()
}

async fn wait_for_recording_changed(ws: &mut Ws) -> Option<uuid::Uuid> {
    loop {
        if let MeetingNotice::RecordingChanged { recording_id, .. } = ws.notice().await {
            return recording_id;
        }
    }
}

#[tokio::test]
async fn upload_in_order_refuse_bad_chunks_resume_finish_and_play() {
    let mut s = setup().await;
    let recording = start_recording(&s.admin, s.meeting.id).await;
    assert_eq!(recording.state, RecordingState::Recording);
    assert_eq!(
        wait_for_recording_changed(&mut s.admin_ws).await,
        Some(recording.id)
    );
    let got: Meeting = s
        .admin
        .get(&format!("/api/meetings/{}", s.meeting.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(got.recording);
    // One recording at a time.
    let again = s
        .admin
        .post(
            &format!("/api/meetings/{}/recordings", s.meeting.id),
            &json!({"mime_type": "video/webm"}),
        )
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let raw = webm::sample(5, 8, 40);
    let chunks = chunks_of(&raw, 4);
    let id = recording.id;
    let path = s.ts.dir.path().join(format!("recordings/{id}.webm"));

    let first = s.admin.chunk_ok(id, 0, &chunks[0]).await;
    assert_eq!(first.next_index, 1);
    assert_eq!(first.size_bytes, chunks[0].len() as u64);
    // The same chunk again: the same ack, nothing appended.
    assert_eq!(s.admin.chunk_ok(id, 0, &chunks[0]).await, first);
    // Same index, different content.
    let other = s
        .admin
        .put_chunk(id, 0, b"other", Some(&sha(b"other")))
        .await;
    assert_eq!(other.status(), StatusCode::CONFLICT);
    // A gap.
    let gap = s
        .admin
        .put_chunk(id, 2, &chunks[2], Some(&sha(&chunks[2])))
        .await;
    assert_eq!(gap.status(), StatusCode::CONFLICT);
    assert_eq!(error_body(gap).await.message, "Expected chunk 1.");
    // A corrupt chunk.
    let corrupt = s
        .admin
        .put_chunk(id, 1, &chunks[1], Some(&sha(b"nope")))
        .await;
    assert_eq!(corrupt.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body(corrupt).await.message,
        "Chunk checksum does not match."
    );
    // No checksum.
    let missing = s.admin.put_chunk(id, 1, &chunks[1], None).await;
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    // Nothing was appended by the refusals.
    assert_eq!(std::fs::read(&path).unwrap(), chunks[0]);
    // Only the starter uploads.
    let theirs = s
        .member
        .put_chunk(id, 1, &chunks[1], Some(&sha(&chunks[1])))
        .await;
    assert_eq!(theirs.status(), StatusCode::FORBIDDEN);

    // "Reload": ask where the upload stands and continue from there.
    let upload: UploadState = s
        .admin
        .get(&format!("/api/recordings/{id}/upload"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(upload.next_index, 1);
    assert_eq!(upload.size_bytes, chunks[0].len() as u64);
    for (i, chunk) in chunks.iter().enumerate().skip(upload.next_index as usize) {
        s.admin.chunk_ok(id, i as u32, chunk).await;
    }
    assert_eq!(std::fs::read(&path).unwrap(), raw);
    // Still recording: no playback yet.
    assert_eq!(
        s.admin
            .get(&format!("/api/recordings/{id}/media"))
            .await
            .status(),
        StatusCode::CONFLICT
    );

    let mut member_ws = s.member.live_ws().await;
    let finished = s
        .admin
        .post(&format!("/api/recordings/{id}/finish"), &json!({}))
        .await;
    assert_eq!(finished.status(), StatusCode::OK);
    let finished: Recording = finished.json().await.unwrap();
    assert_eq!(finished.state, RecordingState::Complete);
    assert_eq!(finished.duration_ms, Some(5 * 8 * 40));
    assert!(finished.ended_at.is_some());
    assert_eq!(wait_for_recording_changed(&mut s.admin_ws).await, None);
    // The card.
    let card = member_ws.next_posted().await;
    assert_eq!(card.recording_id, Some(id));
    assert!(card.body.contains("Recording"));
    let again: Recording = s
        .admin
        .get(&format!("/api/recordings/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.card_message_id, Some(card.id));
    // Chunks after the end are refused.
    let late = s.admin.put_chunk(id, 4, b"x", Some(&sha(b"x"))).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);

    // The whole file: finalised, seekable.
    let full = s.member.get(&format!("/api/recordings/{id}/media")).await;
    assert_eq!(full.status(), StatusCode::OK);
    assert_eq!(full.headers()["content-type"], "video/webm");
    let full = full.bytes().await.unwrap().to_vec();
    assert_eq!(full.len() as u64, finished.size_bytes);
    let file = webm::inspect(&full).unwrap();
    assert!(file.segment_size_known);
    assert_eq!(file.duration, Some(1600.0));
    // A cue for every keyframe (here every block of the sample is one), each leading
    // into a cluster and to that keyframe.
    let video = file.cues[0].1;
    let keyframes = file
        .blocks()
        .iter()
        .filter(|b| b.keyframe && b.track == video)
        .count();
    assert!(keyframes >= 5);
    assert_eq!(file.cues.len(), keyframes);
    for ((_, _, position), relative) in file.cues.iter().zip(&file.cue_relative) {
        assert_eq!(file.id_at(*position), Some(webm::CLUSTER));
        let block = file.block_at(*position, relative.expect("a relative position"));
        assert!(block.is_some_and(|b| b.keyframe));
    }
    // Ranges.
    let part = s
        .member
        .http
        .get(s.member.url(&format!("/api/recordings/{id}/media")))
        .header("range", "bytes=100-299")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 100-299/{}", full.len()).as_str()
    );
    assert_eq!(part.bytes().await.unwrap().to_vec(), full[100..300]);
    let beyond = s
        .member
        .http
        .get(s.member.url(&format!("/api/recordings/{id}/media")))
        .header("range", format!("bytes={}-", full.len() + 10))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    let download = s
        .member
        .get(&format!("/api/recordings/{id}/media?download=1"))
        .await;
    assert!(download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\""));
}

#[tokio::test]
async fn only_a_host_in_the_room_starts_and_outsiders_and_guests_are_refused() {
    let mut s = setup().await;
    // The member is in the room but not a host.
    let mut member_ws = s.member.live_ws().await;
    member_ws.join(s.meeting.id).await;
    let refused = s
        .member
        .post(
            &format!("/api/meetings/{}/recordings", s.meeting.id),
            &json!({"mime_type": "video/webm"}),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let recording = start_recording(&s.admin, s.meeting.id).await;
    wait_for_recording_changed(&mut s.admin_ws).await;
    let raw = webm::sample(2, 3, 30);
    s.admin.chunk_ok(recording.id, 0, &raw).await;
    s.admin
        .post(
            &format!("/api/recordings/{}/finish", recording.id),
            &json!({}),
        )
        .await;

    let (outsider, _) =
        s.ts.member(&s.admin, "Otto Outsider", "otto@example.com")
            .await;
    // Outside the private channel its recordings do not exist (404, like its messages).
    for path in ["", "/media", "/timeline"] {
        let response = outsider
            .get(&format!("/api/recordings/{}{path}", recording.id))
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let list: Vec<Recording> = outsider.get("/api/recordings").await.json().await.unwrap();
    assert!(list.is_empty());

    // A guest of the meeting.
    let invite: serde_json::Value = s
        .admin
        .post(
            &format!("/api/meetings/{}/guest-invites", s.meeting.id),
            &json!({"expires_in_minutes": 30}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = invite["token"].as_str().unwrap().to_string();
    let guest = s.ts.client();
    let joined = guest
        .post(
            &format!("/api/guest/{token}"),
            &json!({"display_name": "Gus"}),
        )
        .await;
    assert!(joined.status().is_success(), "{}", joined.status());
    let response = guest
        .get(&format!("/api/recordings/{}/media", recording.id))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Rename and delete: the starter or an admin, not another member.
    let rename = s
        .member
        .patch(
            &format!("/api/recordings/{}", recording.id),
            &json!({"title": "Mine"}),
        )
        .await;
    assert_eq!(rename.status(), StatusCode::FORBIDDEN);
    let empty = s
        .admin
        .patch(
            &format!("/api/recordings/{}", recording.id),
            &json!({"title": " "}),
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let renamed: Recording = s
        .admin
        .patch(
            &format!("/api/recordings/{}", recording.id),
            &json!({"title": "Kickoff"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(renamed.title, "Kickoff");
    assert_eq!(
        s.member
            .delete(&format!("/api/recordings/{}", recording.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.admin
            .delete(&format!("/api/recordings/{}", recording.id))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        s.admin
            .get(&format!("/api/recordings/{}", recording.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(!s
        .ts
        .dir
        .path()
        .join(format!("recordings/{}.webm", recording.id))
        .exists());
}

#[tokio::test]
async fn an_orphaned_recording_becomes_incomplete_and_keeps_its_bytes() {
    let mut s = setup().await;
    let recording = start_recording(&s.admin, s.meeting.id).await;
    wait_for_recording_changed(&mut s.admin_ws).await;
    let raw = webm::sample(3, 4, 25);
    let chunks = chunks_of(&raw, 2);
    s.admin.chunk_ok(recording.id, 0, &chunks[0]).await;
    let mut member_ws = s.member.live_ws().await;
    // The recorder's tab closes.
    drop(s.admin_ws);
    let card = tokio::time::timeout(Duration::from_secs(10), member_ws.next_posted())
        .await
        .expect("the card is posted");
    assert_eq!(card.recording_id, Some(recording.id));
    let done: Recording = s
        .admin
        .get(&format!("/api/recordings/{}", recording.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done.state, RecordingState::Incomplete);
    let media = s
        .admin
        .get(&format!("/api/recordings/{}/media", recording.id))
        .await
        .bytes()
        .await
        .unwrap();
    // What arrived was kept, as complete elements, with its clusters indexed.
    let file = webm::inspect(&media).unwrap();
    assert!(file.duration.is_some());
    assert!(!file.cues.is_empty());
    let video = file.cues[0].1;
    let keyframes = file
        .blocks()
        .iter()
        .filter(|b| b.keyframe && b.track == video)
        .count();
    assert_eq!(file.cues.len(), keyframes);
}

#[tokio::test]
async fn timeline_list_filters_and_chat_search() {
    let mut s = setup().await;
    let mut member_ws = s.member.live_ws().await;
    member_ws.join(s.meeting.id).await;
    let recording = start_recording(&s.admin, s.meeting.id).await;
    wait_for_recording_changed(&mut s.admin_ws).await;
    s.admin_ws
        .meeting(MeetingRequest::UpdateMedia {
            meeting_id: s.meeting.id,
            media: tandem_protocol::meetings::MediaState {
                screen_stream_id: Some("screen".into()),
                ..Default::default()
            },
        })
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    member_ws
        .ok(Command::SendMessage {
            channel_id: s.channel,
            body: "the quarterly roadmap".into(),
            thread_root_id: Some(s.meeting.card_message_id),
            also_to_channel: false,
            attachment_ids: vec![],
            urgency: None,
        })
        .await;
    s.admin
        .chunk_ok(recording.id, 0, &webm::sample(1, 2, 10))
        .await;
    let done: Recording = s
        .admin
        .post(
            &format!("/api/recordings/{}/finish", recording.id),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();

    let timeline: Timeline = s
        .member
        .get(&format!("/api/recordings/{}/timeline", recording.id))
        .await
        .json()
        .await
        .unwrap();
    let chat = timeline
        .markers
        .iter()
        .find_map(|m| match m {
            TimelineMarker::Chat {
                at_ms,
                author,
                text,
                ..
            } => Some((*at_ms, author, text)),
            _ => None,
        })
        .expect("the chat line");
    assert_eq!(chat.1, "Mia Member");
    assert_eq!(chat.2, "the quarterly roadmap");
    assert!(chat.0 <= (done.ended_at.unwrap() - done.started_at) as u64);
    assert!(timeline.markers.iter().any(
        |m| matches!(m, TimelineMarker::ScreenShareStarted { name, .. } if name == "Ada Admin")
    ));
    let times: Vec<u64> = timeline.markers.iter().map(TimelineMarker::at_ms).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));

    let ids = |list: Vec<Recording>| list.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let get = |path: String| {
        let member = &s.member;
        async move {
            member
                .get(&path)
                .await
                .json::<Vec<Recording>>()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        ids(get(format!("/api/recordings?channel_id={}", s.channel)).await),
        [recording.id]
    );
    assert!(ids(get(format!(
        "/api/recordings?channel_id={}",
        uuid::Uuid::new_v4()
    ))
    .await)
    .is_empty());
    assert_eq!(
        ids(get(format!("/api/recordings?participant={}", s.member_id)).await),
        [recording.id]
    );
    assert!(ids(get(format!(
        "/api/recordings?participant={}",
        uuid::Uuid::new_v4()
    ))
    .await)
    .is_empty());
    assert_eq!(
        ids(get("/api/recordings?q=QUARTERLY".into()).await),
        [recording.id]
    );
    assert_eq!(
        ids(get("/api/recordings?q=Meeting".into()).await),
        [recording.id]
    );
    assert!(ids(get("/api/recordings?q=nothing%20like%20it".into()).await).is_empty());
    assert!(done
        .participants
        .iter()
        .any(|p| p.display_name == "Mia Member"));
}

async fn record(admin: &Client, meeting: uuid::Uuid) -> uuid::Uuid {
    let r = start_recording(admin, meeting).await;
    admin.chunk_ok(r.id, 0, &webm::sample(1, 2, 10)).await;
    let done = admin
        .post(&format!("/api/recordings/{}/finish", r.id), &json!({}))
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    r.id
}

#[tokio::test]
async fn retention_deletes_only_what_is_older_than_n_days() {
    let (ts, now) = spawn_with_clock(|_| {}).await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("all-hands", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let mut ws = admin.live_ws().await;
    ws.join(meeting.id).await;

    let old = record(&admin, meeting.id).await;
    now.advance(5 * 86_400_000);
    let recent = record(&admin, meeting.id).await;

    // Only admins set it, within 1..=3650 days.
    let bad = admin
        .patch(
            "/api/workspace/settings",
            &json!({"recording_retention_days": 0}),
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let set = admin
        .patch(
            "/api/workspace/settings",
            &json!({"recording_retention_days": 3}),
        )
        .await;
    assert_eq!(set.status(), StatusCode::OK);

    let deleted = tandem_server::recordings::retention::sweep(&ts.server.state)
        .await
        .unwrap();
    assert_eq!(deleted, 1);
    assert_eq!(
        admin.get(&format!("/api/recordings/{old}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .get(&format!("/api/recordings/{recent}"))
            .await
            .status(),
        StatusCode::OK
    );
    assert!(!ts
        .dir
        .path()
        .join(format!("recordings/{old}.webm"))
        .exists());
    assert!(ts
        .dir
        .path()
        .join(format!("recordings/{recent}.webm"))
        .exists());

    // Turning retention off keeps everything.
    admin
        .patch(
            "/api/workspace/settings",
            &json!({"recording_retention_days": null}),
        )
        .await;
    now.advance(30 * 86_400_000);
    assert_eq!(
        tandem_server::recordings::retention::sweep(&ts.server.state)
            .await
            .unwrap(),
        0
    );
}
