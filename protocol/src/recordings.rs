//! Meeting recordings: made in the host's browser, uploaded in checksummed chunks while
//! recording, finalised by the server (duration and cues written so players can seek),
//! then played back with the meeting's chat and events on a timeline.
//!
//! Upload protocol (REST, resumable):
//! 1. `POST /api/meetings/{id}/recordings` (StartRecordingRequest) → `Recording`
//!    (state `recording`); everyone in the meeting is told (`Meeting.recording`).
//! 2. `PUT /api/recordings/{id}/chunks/{index}` with the raw bytes and the header
//!    `X-Chunk-Sha256: <hex>` → `ChunkAck`. Chunks are appended strictly in order from
//!    0. Re-sending an already stored chunk with the same checksum is acknowledged again
//!    (idempotent); a gap or a wrong checksum is refused (409 / 422) and nothing is
//!    appended.
//! 3. After a drop or a reload: `GET /api/recordings/{id}/upload` → `UploadState`, and
//!    continue from `next_index`.
//! 4. `POST /api/recordings/{id}/finish` → `Recording` (state `complete`). If the
//!    recorder's tab dies instead, the server finalises what it has as `incomplete`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chat::{ChannelId, MessageId};
use crate::meetings::{MeetingId, MeetingPerson};
use crate::{Timestamp, UserId};

pub type RecordingId = Uuid;

/// Header carrying a chunk's SHA-256, lowercase hex.
pub const CHUNK_CHECKSUM_HEADER: &str = "x-chunk-sha256";
/// The recorder cuts a chunk about this often.
pub const CHUNK_INTERVAL_MS: u32 = 3_000;
/// A single chunk may not be larger than this.
pub const MAX_CHUNK_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_RECORDING_TITLE_CHARS: usize = 120;

/// The only types a recording may be started with: what the app's recorder asks
/// MediaRecorder for (`src/media/recorder/mime.rs`), what browsers report back for those
/// requests (with or without an audio track), and audio-only WebM. Anything else is
/// refused, so a recording can never claim to be a page or a script.
pub const RECORDING_MIME_TYPES: [&str; 9] = [
    "video/webm",
    "video/webm;codecs=vp9,opus",
    "video/webm;codecs=vp8,opus",
    "video/webm;codecs=av1,opus",
    "video/webm;codecs=vp9",
    "video/webm;codecs=vp8",
    "video/webm;codecs=av1",
    "audio/webm",
    "audio/webm;codecs=opus",
];

/// The allowed type `claimed` names, ignoring case, spaces and quotes
/// (`video/webm; codecs="vp8, opus"` is `video/webm;codecs=vp8,opus`); `None` for any
/// other type.
pub fn recording_mime_type(claimed: &str) -> Option<&'static str> {
    if claimed.len() > 100 {
        return None;
    }
    let normal: String = claimed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect::<String>()
        .to_ascii_lowercase();
    RECORDING_MIME_TYPES.into_iter().find(|t| *t == normal)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordingState {
    /// Chunks are arriving.
    Recording,
    /// Stopped and finalised normally.
    Complete,
    /// The recorder stopped without finishing (tab closed, crash): what arrived is kept
    /// and finalised.
    Incomplete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recording {
    pub id: RecordingId,
    pub meeting_id: MeetingId,
    pub channel_id: ChannelId,
    pub title: String,
    pub started_by: UserId,
    pub started_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    /// Known once finalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    pub size_bytes: u64,
    pub state: RecordingState,
    /// e.g. `video/webm;codecs=vp8,opus`.
    pub mime_type: String,
    pub participants: Vec<MeetingPerson>,
    pub has_thumbnail: bool,
    /// The card posted in the channel when the recording was finalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_message_id: Option<MessageId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartRecordingRequest {
    /// What MediaRecorder actually produces (`MediaRecorder.mimeType`).
    pub mime_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChunkAck {
    pub index: u32,
    /// The next index the server expects.
    pub next_index: u32,
    /// Bytes stored so far.
    pub size_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadState {
    pub next_index: u32,
    pub size_bytes: u64,
    pub state: RecordingState,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateRecordingRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Something that happened during the recording, `at_ms` after it started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineMarker {
    /// A line of the in-meeting chat.
    Chat {
        at_ms: u64,
        message_id: MessageId,
        author: String,
        text: String,
    },
    Joined {
        at_ms: u64,
        name: String,
    },
    Left {
        at_ms: u64,
        name: String,
    },
    ScreenShareStarted {
        at_ms: u64,
        name: String,
    },
}

impl TimelineMarker {
    pub fn at_ms(&self) -> u64 {
        match self {
            TimelineMarker::Chat { at_ms, .. }
            | TimelineMarker::Joined { at_ms, .. }
            | TimelineMarker::Left { at_ms, .. }
            | TimelineMarker::ScreenShareStarted { at_ms, .. } => *at_ms,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Timeline {
    /// In time order.
    pub markers: Vec<TimelineMarker>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_recorders_webm_types_are_accepted() {
        assert_eq!(
            recording_mime_type("Video/WebM; codecs=\"VP8, opus\""),
            Some("video/webm;codecs=vp8,opus")
        );
        assert_eq!(recording_mime_type("audio/webm"), Some("audio/webm"));
        for bad in [
            "video/webm,text/html",
            "text/html",
            "video/mp4",
            "video/webm;codecs=vp8,opus;x=1",
            "video/webm\u{0}",
            "",
        ] {
            assert_eq!(recording_mime_type(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn markers_are_tagged_and_ordered_by_time() {
        let m = TimelineMarker::Chat {
            at_ms: 2500,
            message_id: Uuid::from_u128(1),
            author: "Ana".into(),
            text: "hello".into(),
        };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["kind"], "chat");
        assert_eq!(m.at_ms(), 2500);
        assert_eq!(serde_json::from_value::<TimelineMarker>(json).unwrap(), m);
    }
}
