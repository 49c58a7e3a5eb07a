//! Recording a meeting from the host's browser: the toolbar toggle, the "Recording"
//! indicator everyone sees, and the recorder's own status (upload progress, saving,
//! errors). The recorder itself is `media::recorder`; the upload `recording::uploader`.

pub mod uploader;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::recordings::RecordingId;
use wasm_bindgen::JsCast;
use web_sys::{HtmlVideoElement, MediaStream};

use crate::contexts::meeting::room::Room;
use crate::media::recorder::{MeetingRecorder, RecorderOptions, TileSource};
use crate::media::StreamKind;
use uploader::{Progress, Upload, UploadPhase};

/// When the thumbnail is taken, after the start.
const THUMBNAIL_AFTER_MS: u32 = 4_000;

/// What this browser's recorder is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecorderStatus {
    Idle,
    Starting,
    Recording {
        pending: usize,
        retrying: bool,
    },
    /// Stopped; the last chunks are uploading and the recording is being finished.
    Saving {
        pending: usize,
        retrying: bool,
    },
    Saved {
        lost: bool,
    },
    Failed(String),
}

impl RecorderStatus {
    pub fn active(&self) -> bool {
        matches!(
            self,
            RecorderStatus::Starting | RecorderStatus::Recording { .. }
        )
    }

    /// The progress line, if any.
    pub fn text(&self) -> Option<String> {
        let pending_text = |n: usize, retrying: bool| {
            let chunks = if n == 1 {
                "1 chunk".to_string()
            } else {
                format!("{n} chunks")
            };
            if retrying {
                format!("Uploading… {chunks} pending (connection lost, retrying)")
            } else {
                format!("Uploading… {chunks} pending")
            }
        };
        match self {
            // One chunk in flight is the normal rhythm; say something once they queue up.
            RecorderStatus::Recording { pending, retrying }
                if *pending > 1 || (*retrying && *pending > 0) =>
            {
                Some(pending_text(*pending, *retrying))
            }
            RecorderStatus::Saving { pending, retrying } if *pending > 0 => Some(format!(
                "Saving recording… {}",
                pending_text(*pending, *retrying)
            )),
            RecorderStatus::Saving { .. } => Some("Saving recording…".into()),
            RecorderStatus::Saved { lost: false } => Some("Recording saved".into()),
            RecorderStatus::Saved { lost: true } => {
                Some("Recording saved (part of it could not be uploaded)".into())
            }
            _ => None,
        }
    }
}

struct Session {
    recorder: MeetingRecorder,
    upload: Rc<Upload>,
    /// Hidden `<video>`s the compositor draws from, by stream id.
    videos: RefCell<HashMap<String, HtmlVideoElement>>,
}

impl Drop for Session {
    fn drop(&mut self) {
        // Dropped without `stop` (the room went away): let the upload finish what it has.
        self.upload.close();
    }
}

/// The recorder's UI state, one per meeting room (a field of `Room`).
#[derive(Clone, Copy)]
pub struct RecorderUi {
    pub status: RwSignal<RecorderStatus>,
    /// Why recording could not start (or broke off).
    pub error: RwSignal<Option<String>>,
    session: StoredValue<Option<Rc<Session>>, LocalStorage>,
}

impl Default for RecorderUi {
    fn default() -> Self {
        RecorderUi::new()
    }
}

impl RecorderUi {
    pub fn new() -> RecorderUi {
        RecorderUi {
            status: RwSignal::new(RecorderStatus::Idle),
            error: RwSignal::new(None),
            session: StoredValue::new_local(None),
        }
    }

    fn session(&self) -> Option<Rc<Session>> {
        self.session.try_get_value().flatten()
    }

    fn progress(&self, p: Progress) {
        let status = match p.phase {
            UploadPhase::Done { lost } => RecorderStatus::Saved { lost },
            UploadPhase::Failed(msg) => {
                self.error
                    .try_set(Some(format!("The recording could not be saved: {msg}")));
                RecorderStatus::Failed(msg)
            }
            _ if p.closed => RecorderStatus::Saving {
                pending: p.pending,
                retrying: p.retrying,
            },
            _ => RecorderStatus::Recording {
                pending: p.pending,
                retrying: p.retrying,
            },
        };
        let _ = self.status.try_update(|s| {
            // Starting → Recording is done by `start` itself.
            if *s != RecorderStatus::Starting {
                *s = status;
            }
        });
    }

    pub fn toggle(&self, room: Room) {
        match self.status.get_untracked() {
            RecorderStatus::Recording { .. } => self.stop(),
            RecorderStatus::Starting | RecorderStatus::Saving { .. } => {}
            _ => self.start(room),
        }
    }

    pub fn start(&self, room: Room) {
        let ui = *self;
        ui.error.set(None);
        ui.status.set(RecorderStatus::Starting);
        // The upload exists once the server has a recording id; no chunk comes before.
        let slot: Rc<RefCell<Option<Rc<Upload>>>> = Rc::new(RefCell::new(None));
        let chunks = slot.clone();
        let recorder = MeetingRecorder::new(
            RecorderOptions::default(),
            move |blob| {
                if let Some(up) = chunks.borrow().as_ref() {
                    up.push(blob);
                }
            },
            move |msg| {
                ui.error.try_set(Some(msg));
                ui.stop();
            },
        );
        let recorder = match recorder {
            Ok(r) => r,
            Err(e) => {
                ui.error.set(Some(e.message()));
                ui.status.set(RecorderStatus::Idle);
                return;
            }
        };
        spawn_local(async move {
            let api = room.api();
            let recording = match api
                .start_recording(room.meeting_id, recorder.mime_type())
                .await
            {
                Ok(r) => r,
                Err(e) => {
                    ui.error.try_set(Some(e.message()));
                    ui.status.try_set(RecorderStatus::Idle);
                    return;
                }
            };
            let store = crate::media::recorder::ChunkStore::open().await.ok();
            let upload = Upload::start(api.clone(), recording.id, store, move |p| ui.progress(p));
            *slot.borrow_mut() = Some(upload.clone());
            let session = Rc::new(Session {
                recorder,
                upload: upload.clone(),
                videos: RefCell::new(HashMap::new()),
            });
            if ui.session.try_set_value(Some(session.clone())).is_some()
                || room.phase.try_get_untracked().is_none()
            {
                // The room is gone already.
                upload.close();
                return;
            }
            sync(&session, room);
            if let Err(e) = session.recorder.start() {
                ui.error.set(Some(e.message()));
                ui.session.set_value(None);
                upload.close();
                ui.status.set(RecorderStatus::Idle);
                return;
            }
            ui.status.set(RecorderStatus::Recording {
                pending: 0,
                retrying: false,
            });
            room.meeting.update(|m| {
                if let Some(m) = m {
                    m.recording = true;
                }
            });
            thumbnail(ui, recording.id, api).await;
        });
    }

    /// Stops recording; the upload finishes in the background.
    pub fn stop(&self) {
        let Some(session) = self.session() else {
            return;
        };
        self.session.set_value(None);
        self.status.try_set(RecorderStatus::Saving {
            pending: 0,
            retrying: false,
        });
        spawn_local(async move {
            session.recorder.stop().await;
            session.upload.close();
            for v in session.videos.borrow().values() {
                v.set_src_object(None);
            }
        });
    }

    /// Joins, leaves, screen shares, camera on/off: the picture and the mix follow.
    pub fn sync(&self, room: Room) {
        if let Some(session) = self.session() {
            sync(&session, room);
        }
    }
}

async fn thumbnail(ui: RecorderUi, id: RecordingId, api: crate::api::AuthorizedApi) {
    TimeoutFuture::new(THUMBNAIL_AFTER_MS).await;
    let Some(session) = ui.session() else { return };
    if session.upload.id() != id {
        return;
    }
    if let Some(jpeg) = session.recorder.thumbnail().await {
        let _ = api.upload_thumbnail(id, &jpeg).await;
    }
}

fn hidden_video(stream: &MediaStream) -> Option<HtmlVideoElement> {
    let v: HtmlVideoElement = web_sys::window()?
        .document()?
        .create_element("video")
        .ok()?
        .unchecked_into();
    v.set_muted(true);
    v.set_autoplay(true);
    let _ = v.set_attribute("playsinline", "");
    v.set_src_object(Some(stream));
    let _ = v.play();
    Some(v)
}

/// Rebuilds the tile list and the audio sources from the room.
fn sync(session: &Session, room: Room) {
    let you = room.you.get_untracked();
    let people = room.participants.get_untracked();
    let my_media = room.media.get_untracked();
    let mut order: Vec<_> = people.iter().collect();
    order.sort_by_key(|p| Some(p.id) != you);

    let mut videos = session.videos.borrow_mut();
    let mut used = Vec::new();
    let mut video_for = |stream: &MediaStream| -> Option<HtmlVideoElement> {
        let id = stream.id();
        used.push(id.clone());
        if let Some(v) = videos.get(&id) {
            return Some(v.clone());
        }
        let v = hidden_video(stream)?;
        videos.insert(id, v.clone());
        Some(v)
    };
    let mut tiles = Vec::new();
    let mut audio = Vec::new();
    for p in &order {
        let local = Some(p.id) == you;
        let who = if local { None } else { Some(p.id) };
        let camera = room.stream((who, StreamKind::Camera));
        let video_off = if local {
            my_media.video_off || !room.has_video.get_untracked()
        } else {
            p.media.video_off
        };
        let video = match &camera {
            Some(s) if !video_off && s.get_video_tracks().length() > 0 => video_for(s),
            _ => None,
        };
        if let Some(s) = camera {
            audio.push(s);
        }
        tiles.push(TileSource {
            label: p.display_name.clone(),
            video,
            screen: false,
        });
        if let Some(screen) = room.stream((who, StreamKind::Screen)) {
            if screen.get_audio_tracks().length() > 0 {
                audio.push(screen.clone());
            }
            let video = video_for(&screen);
            tiles.push(TileSource {
                label: format!("{} (screen)", p.display_name),
                video,
                screen: true,
            });
        }
    }
    videos.retain(|id, v| {
        let keep = used.contains(id);
        if !keep {
            v.set_src_object(None);
        }
        keep
    });
    drop(videos);
    session.recorder.set_tiles(tiles);
    session.recorder.set_audio(&audio);
}

/// The toolbar toggle (hosts only; the toolbar decides).
#[component]
pub fn RecordButton() -> impl IntoView {
    let room = expect_context::<Room>();
    let ui = room.recorder;
    let busy = Memo::new(move |_| {
        matches!(
            ui.status.get(),
            RecorderStatus::Starting | RecorderStatus::Saving { .. }
        )
    });
    let recording = Memo::new(move |_| matches!(ui.status.get(), RecorderStatus::Recording { .. }));
    view! {
        <button type="button" class="button control record-toggle"
            class:recording=move || recording.get()
            disabled=move || busy.get()
            on:click=move |_| ui.toggle(room)>
            {move || if recording.get() { "Stop recording" } else { "Start recording" }}
        </button>
    }
}

/// In the meeting header: the "Recording" indicator (everyone) and this browser's
/// recorder status (the host who records). Also keeps the recorder's picture and
/// mix in step with the room, and stops recording when the room view goes away.
#[component]
pub fn RecordingHeader() -> impl IntoView {
    let room = expect_context::<Room>();
    let ui = room.recorder;
    let on_air = Memo::new(move |_| {
        room.meeting
            .with(|m| m.as_ref().is_some_and(|m| m.recording))
    });

    // Ids and flags only: a stats tick does not rebuild the picture.
    let shape = Memo::new(move |_| {
        let people: Vec<_> = room.participants.with(|ps| {
            ps.iter()
                .map(|p| (p.id, p.display_name.clone(), p.media.video_off))
                .collect()
        });
        let streams: Vec<_> = room.stream_ids.with(|s| {
            let mut v: Vec<_> = s
                .iter()
                .map(|(k, id)| (k.0, k.1 == StreamKind::Screen, id.clone()))
                .collect();
            v.sort();
            v
        });
        (
            people,
            streams,
            room.media.with(|m| m.video_off),
            room.has_video.get(),
            ui.status.with(RecorderStatus::active),
        )
    });
    Effect::new(move |_| {
        shape.track();
        untrack(|| ui.sync(room));
    });
    on_cleanup(move || ui.stop());

    view! {
        <Show when=move || on_air.get()>
            <p class="recording-indicator" role="status">
                <span class="recording-dot" aria-hidden="true"></span>
                "Recording"
            </p>
        </Show>
        {move || ui.status.with(RecorderStatus::text).map(|t| view! {
            <p class="recording-progress" role="status">{t}</p>
        })}
        {move || ui.error.get().map(|m| view! {
            <p class="alert recording-alert" role="alert">
                {m}
                <button type="button" class="button ghost small"
                    on:click=move |_| ui.error.set(None)>"Dismiss"</button>
            </p>
        })}
    }
}

/// Resumes uploads left over from an earlier page (called when the room loads).
pub fn resume_unsent(room: Room) {
    let ui = room.recorder;
    let api = room.api();
    spawn_local(uploader::resume_unsent(api, move |_, p| {
        // Only while this browser is not recording anew.
        if ui.session().is_none() {
            let p = Progress { closed: true, ..p };
            ui.progress(p);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_text() {
        let rec = |pending, retrying| RecorderStatus::Recording { pending, retrying };
        assert_eq!(rec(0, false).text(), None);
        assert_eq!(rec(1, false).text(), None, "one chunk in flight is normal");
        assert_eq!(
            rec(3, false).text().as_deref(),
            Some("Uploading… 3 chunks pending")
        );
        assert!(rec(1, true)
            .text()
            .unwrap()
            .starts_with("Uploading… 1 chunk pending"));
        assert_eq!(
            RecorderStatus::Saving {
                pending: 0,
                retrying: false
            }
            .text()
            .as_deref(),
            Some("Saving recording…")
        );
        assert_eq!(
            RecorderStatus::Saving {
                pending: 2,
                retrying: false
            }
            .text()
            .as_deref(),
            Some("Saving recording… Uploading… 2 chunks pending")
        );
        assert_eq!(
            RecorderStatus::Saved { lost: false }.text().as_deref(),
            Some("Recording saved")
        );
        assert!(RecorderStatus::Starting.active() && !RecorderStatus::Idle.active());
    }
}
