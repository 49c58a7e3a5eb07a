//! The meeting room on screen: lobby preview, joining, the roster, and the media
//! engine that carries the calls. One `Room` per meeting page, provided as context.
//!
//! Peers: every other participant is one engine peer whose `PeerId` is the
//! participant id as a string. The engine's local id is *our* participant id (it
//! decides who is "polite" in perfect negotiation), so it is created on `Joined` and
//! recreated when a rejoin gives us a new participant id.
//!
//! Rejoin: meeting frames are not queued while the socket is down. When it reopens
//! and we meant to be in the room, `Join` is sent again; the new `Joined` roster then
//! replaces the old one (stale peers removed, missing ones added).
//!
//! Media streams are browser handles (not `Send`), so they live in a local
//! `StoredValue`; signals carry only their ids, which is what views key on.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::meetings::{
    HostAction, MediaState, Meeting, MeetingId, MeetingNotice, MeetingRequest, Participant,
    ParticipantId, RemovedPerson,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MediaStream, MediaStreamTrack};

use super::format::roster_diff;
use super::wire::{from_wire, to_wire};
use super::MeetingHub;
use crate::api::AuthorizedApi;
use crate::components::meeting::recording::{self, RecorderUi};
use crate::contexts::realtime::RealtimeContext;
use crate::media::devices::{self, DeviceWatcher};
use crate::media::janus::{JanusHandle, JanusTransport, SfuState, Upstream};
use crate::media::{
    Capture, DeviceList, EngineEvent, IceServer, LocalConstraints, MediaEngine, MediaError,
    PeerState, Quality, Signal, SpeakerId, StreamKind, STATS_INTERVAL_MS,
};
use tandem_protocol::sfu::{Layer, MediaRoute, SfuAccess};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Loading the meeting.
    Loading,
    /// Pre-join: preview and device choice.
    Lobby,
    /// `Join` sent, no answer yet.
    Joining,
    /// Locked meeting: in the knock lobby.
    Waiting,
    Denied,
    In,
    Removed,
    Ended,
    /// We left (guests stay on this page; members go back to the channel).
    Left,
    /// The server refused (full, not allowed …) or the meeting could not be loaded.
    Failed(String),
}

/// Whose stream: ours (`None`) or a participant's.
pub type StreamKey = (Option<ParticipantId>, StreamKind);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chosen {
    pub camera: Option<String>,
    pub microphone: Option<String>,
    pub speaker: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Room {
    pub meeting_id: MeetingId,
    pub phase: RwSignal<Phase>,
    pub meeting: RwSignal<Option<Meeting>>,
    pub you: RwSignal<Option<ParticipantId>>,
    /// Everyone in the room, us included (server order).
    pub participants: RwSignal<Vec<Participant>>,
    /// People in the knock lobby (hosts only).
    pub knocking: RwSignal<Vec<Participant>>,
    /// People removed and barred until readmitted (hosts only; the server sends it).
    pub removed: RwSignal<Vec<RemovedPerson>>,
    /// What we send; the source of truth for our own tile and the toolbar.
    pub media: RwSignal<MediaState>,
    pub peer_states: RwSignal<HashMap<ParticipantId, PeerState>>,
    pub quality: RwSignal<HashMap<ParticipantId, Quality>>,
    pub frames: RwSignal<HashMap<ParticipantId, u64>>,
    /// Which streams exist (by their MediaStream id).
    pub stream_ids: RwSignal<HashMap<StreamKey, String>>,
    pub speaker: RwSignal<Option<SpeakerId>>,
    pub devices: RwSignal<DeviceList>,
    pub chosen: RwSignal<Chosen>,
    /// Lobby choices.
    pub join_muted: RwSignal<bool>,
    pub join_camera_off: RwSignal<bool>,
    /// Whether we have a camera track at all (false after the audio-only fallback).
    pub has_video: RwSignal<bool>,
    pub camera_problem: RwSignal<Option<String>>,
    pub error: RwSignal<Option<String>>,
    pub asked_to_unmute: RwSignal<bool>,
    /// The socket dropped while we were in the room; `Join` follows when it is back.
    pub reconnecting: RwSignal<bool>,
    /// The tile the user pinned: shown first and large, whatever the layout.
    pub pinned: RwSignal<Option<ParticipantId>>,
    /// The SFU connection was lost and is being re-established.
    pub media_reconnecting: RwSignal<bool>,
    /// What we send upstream through the SFU (from getStats).
    pub upstream: RwSignal<Option<Upstream>>,
    pub is_guest: bool,
    /// This browser's meeting recorder (hosts); `meeting.recording` is whether anyone records.
    pub recorder: RecorderUi,
    streams: StoredValue<HashMap<StreamKey, MediaStream>, LocalStorage>,
    engine: StoredValue<Option<MediaEngine>, LocalStorage>,
    preview: StoredValue<Option<MediaStream>, LocalStorage>,
    watcher: StoredValue<Option<DeviceWatcher>, LocalStorage>,
    ice: StoredValue<Option<Vec<IceServer>>>,
    /// Our current route (mesh, or the SFU access we use).
    route: StoredValue<MediaRoute>,
    janus: StoredValue<Option<JanusHandle>, LocalStorage>,
    refresh_timer: StoredValue<Option<gloo_timers::callback::Timeout>, LocalStorage>,
    /// SFU connections lost in a row (for the reconnect backoff).
    sfu_failures: StoredValue<u32>,
    /// How large each remote tile is shown (its layer, `None`: not visible), kept
    /// whatever the route so that a new SFU connection starts with it.
    views: StoredValue<HashMap<ParticipantId, Option<Layer>>>,
    want_in: StoredValue<bool>,
    api: StoredValue<AuthorizedApi>,
    hub: MeetingHub,
    rt: RealtimeContext,
}

fn preview_problem(e: &MediaError) -> String {
    let what = match e {
        MediaError::PermissionDenied(_) => "Camera access was denied.".to_string(),
        MediaError::NotFound(_) => "No camera was found.".to_string(),
        MediaError::InUse(_) => "Your camera is in use by another application.".to_string(),
        other => other.message(),
    };
    format!("{what} You can join with audio only.")
}

fn stop_stream(stream: &MediaStream) {
    for t in stream.get_tracks().iter() {
        if let Ok(t) = t.dyn_into::<MediaStreamTrack>() {
            t.stop();
        }
    }
}

impl Room {
    pub fn new(
        meeting_id: MeetingId,
        api: AuthorizedApi,
        hub: MeetingHub,
        rt: RealtimeContext,
    ) -> Room {
        let is_guest = api.user().role == tandem_protocol::api::Role::Guest;
        let room = Room {
            meeting_id,
            phase: RwSignal::new(Phase::Loading),
            meeting: RwSignal::new(hub.cards.with_untracked(|c| c.get(&meeting_id).cloned())),
            you: RwSignal::new(None),
            participants: RwSignal::new(Vec::new()),
            knocking: RwSignal::new(Vec::new()),
            removed: RwSignal::new(Vec::new()),
            media: RwSignal::new(MediaState::default()),
            peer_states: RwSignal::new(HashMap::new()),
            quality: RwSignal::new(HashMap::new()),
            frames: RwSignal::new(HashMap::new()),
            stream_ids: RwSignal::new(HashMap::new()),
            speaker: RwSignal::new(None),
            devices: RwSignal::new(DeviceList::default()),
            chosen: RwSignal::new(Chosen::default()),
            join_muted: RwSignal::new(false),
            join_camera_off: RwSignal::new(false),
            has_video: RwSignal::new(true),
            camera_problem: RwSignal::new(None),
            error: RwSignal::new(None),
            asked_to_unmute: RwSignal::new(false),
            reconnecting: RwSignal::new(false),
            upstream: RwSignal::new(None),
            media_reconnecting: RwSignal::new(false),
            pinned: RwSignal::new(None),
            is_guest,
            recorder: RecorderUi::new(),
            streams: StoredValue::new_local(HashMap::new()),
            engine: StoredValue::new_local(None),
            preview: StoredValue::new_local(None),
            watcher: StoredValue::new_local(None),
            ice: StoredValue::new(None),
            route: StoredValue::new(MediaRoute::Mesh),
            janus: StoredValue::new_local(None),
            refresh_timer: StoredValue::new_local(None),
            sfu_failures: StoredValue::new(0),
            views: StoredValue::new(HashMap::new()),
            want_in: StoredValue::new(false),
            api: StoredValue::new(api),
            hub,
            rt,
        };
        room.install();
        room
    }

    fn alive(&self) -> bool {
        !self.phase.is_disposed()
    }

    pub fn api(&self) -> AuthorizedApi {
        self.api.get_value()
    }

    pub fn stream(&self, key: StreamKey) -> Option<MediaStream> {
        self.streams
            .try_with_value(|s| s.get(&key).cloned())
            .flatten()
    }

    fn set_stream(&self, key: StreamKey, stream: Option<MediaStream>) {
        let id = stream.as_ref().map(|s| s.id());
        self.streams.update_value(|s| match stream {
            Some(stream) => {
                s.insert(key, stream);
            }
            None => {
                s.remove(&key);
            }
        });
        if self
            .stream_ids
            .with_untracked(|ids| ids.get(&key) != id.as_ref())
        {
            self.stream_ids.update(|ids| match id {
                Some(id) => {
                    ids.insert(key, id);
                }
                None => {
                    ids.remove(&key);
                }
            });
        }
    }

    pub fn am_host(&self) -> bool {
        let Some(you) = self.you.get() else {
            return false;
        };
        self.participants
            .with(|p| p.iter().any(|p| p.id == you && p.host))
    }

    // ---- set-up ----------------------------------------------------------------------

    fn install(self) {
        let room = self;
        self.hub.set_room_listener(
            self.meeting_id,
            std::rc::Rc::new(move |n: &MeetingNotice| {
                if room.alive() {
                    room.on_notice(n.clone());
                }
            }),
        );

        // Rejoin after the socket comes back; say "Reconnecting…" while it is away.
        let open = Memo::new(move |_| room.rt.connection.with(|c| c.is_open()));
        Effect::new(move |_| {
            let open = open.get();
            untrack(|| {
                if !room.want_in.get_value() {
                    return;
                }
                if open {
                    room.send_join();
                } else if matches!(
                    room.phase.get(),
                    Phase::In | Phase::Joining | Phase::Waiting
                ) {
                    room.reconnecting.set(true);
                }
            });
        });

        // The numbers tests and the quality badge read, refreshed with the engine's stats.
        if let Ok(handle) = set_interval_with_handle(
            move || room.poll_stats(),
            std::time::Duration::from_millis(STATS_INTERVAL_MS as u64),
        ) {
            on_cleanup(move || handle.clear());
        }

        // Leave best-effort when the tab closes (the server also drops us on disconnect).
        let on_hide = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            if room.alive() && room.want_in.get_value() {
                room.send(MeetingRequest::Leave {
                    meeting_id: room.meeting_id,
                });
            }
        });
        if let Some(w) = web_sys::window() {
            let f = on_hide.as_ref().unchecked_ref();
            let _ = w.add_event_listener_with_callback("pagehide", f);
            let _ = w.add_event_listener_with_callback("beforeunload", f);
        }
        let on_hide = StoredValue::new_local(Some(on_hide));
        on_cleanup(move || {
            if let Some(w) = web_sys::window() {
                on_hide.try_with_value(|f| {
                    if let Some(f) = f {
                        let f = f.as_ref().unchecked_ref();
                        let _ = w.remove_event_listener_with_callback("pagehide", f);
                        let _ = w.remove_event_listener_with_callback("beforeunload", f);
                    }
                });
            }
            room.hub.clear_room_listener(room.meeting_id);
            if room.want_in.get_value() {
                room.send(MeetingRequest::Leave {
                    meeting_id: room.meeting_id,
                });
            }
            room.teardown();
            room.stop_preview();
            room.watcher.set_value(None);
        });

        // Chunks a previous page recorded but did not upload.
        recording::resume_unsent(room);

        spawn_local(async move {
            let api = room.api();
            let (meeting, ice) = futures::join!(api.meeting(room.meeting_id), api.ice_servers());
            if !room.alive() {
                return;
            }
            room.ice.set_value(Some(
                ice.map(|r| {
                    r.ice_servers
                        .into_iter()
                        .map(|s| IceServer {
                            urls: s.urls,
                            username: s.username,
                            credential: s.credential,
                        })
                        .collect()
                })
                // Without the list, host candidates still work on a LAN.
                .unwrap_or_default(),
            ));
            match meeting {
                Ok(m) if m.ended_at.is_some() => {
                    room.meeting.set(Some(m));
                    room.phase.set(Phase::Ended);
                }
                Ok(m) => {
                    room.hub.remember(m.clone());
                    room.meeting.set(Some(m));
                    if room.hub.take_auto_join(room.meeting_id) {
                        room.join();
                    } else {
                        room.phase.set(Phase::Lobby);
                        room.start_preview().await;
                    }
                }
                Err(e) => room.phase.set(Phase::Failed(e.message())),
            }
        });
    }

    fn send(&self, request: MeetingRequest) {
        self.hub.send(request);
    }

    fn send_join(&self) {
        let media = self.media.get_untracked();
        self.send(MeetingRequest::Join {
            meeting_id: self.meeting_id,
            media,
        });
    }

    fn send_media(&self) {
        if self.phase.get_untracked() == Phase::In {
            let media = self.media.get_untracked();
            self.send(MeetingRequest::UpdateMedia {
                meeting_id: self.meeting_id,
                media,
            });
        }
    }

    pub fn host(&self, action: HostAction) {
        self.send(MeetingRequest::Host {
            meeting_id: self.meeting_id,
            action,
        });
    }

    // ---- lobby -------------------------------------------------------------------------

    /// Camera + microphone preview; falls back to audio only (and says why).
    pub async fn start_preview(&self) {
        let constraints = self.constraints();
        let audio = devices::audio_constraints(&constraints, None);
        let video = devices::video_constraints(&constraints, None);
        let stream = match devices::get_user_media(audio.clone(), video).await {
            Ok(s) => Some(s),
            Err(e) => {
                if !self.alive() {
                    return;
                }
                self.camera_problem.set(Some(preview_problem(&e)));
                self.has_video.set(false);
                devices::get_user_media(audio, JsValue::FALSE).await.ok()
            }
        };
        if !self.alive() || self.phase.get_untracked() != Phase::Lobby {
            if let Some(s) = stream {
                stop_stream(&s);
            }
            return;
        }
        if let Some(s) = &stream {
            self.has_video.set(s.get_video_tracks().length() > 0);
        }
        if let Some(old) = self.preview.get_value() {
            stop_stream(&old);
        }
        self.preview.set_value(stream.clone());
        self.set_stream((None, StreamKind::Camera), stream);
        self.refresh_devices().await;
        if self
            .watcher
            .try_with_value(Option::is_none)
            .unwrap_or(false)
        {
            let room = *self;
            if let Ok(w) = DeviceWatcher::new(move |_| {
                if room.alive() {
                    spawn_local(async move { room.refresh_devices().await });
                }
            }) {
                self.watcher.set_value(Some(w));
            }
        }
    }

    fn stop_preview(&self) {
        if let Some(Some(s)) = self.preview.try_get_value() {
            stop_stream(&s);
            self.preview.set_value(None);
        }
    }

    async fn refresh_devices(&self) {
        if let Ok(list) = devices::enumerate().await {
            if self.alive() {
                self.devices.set(list);
            }
        }
    }

    fn constraints(&self) -> LocalConstraints {
        let chosen = self.chosen.get_untracked();
        LocalConstraints {
            camera_id: chosen.camera,
            microphone_id: chosen.microphone,
            video: self.has_video.get_untracked(),
            ..LocalConstraints::default()
        }
    }

    /// A device picked in the lobby or the settings popover.
    pub fn choose(&self, kind: crate::media::DeviceKind, device_id: String) {
        use crate::media::DeviceKind as K;
        self.chosen.update(|c| match kind {
            K::VideoInput => c.camera = Some(device_id.clone()),
            K::AudioInput => c.microphone = Some(device_id.clone()),
            K::AudioOutput => c.speaker = Some(device_id.clone()),
        });
        let room = *self;
        match (self.engine.get_value(), kind) {
            (Some(engine), K::VideoInput) => spawn_local(async move {
                if let Err(e) = engine.switch_camera(&device_id).await {
                    room.error.set(Some(e.message()));
                }
            }),
            (Some(engine), K::AudioInput) => spawn_local(async move {
                if let Err(e) = engine.switch_microphone(&device_id).await {
                    room.error.set(Some(e.message()));
                }
            }),
            // Output: every remote tile re-applies `chosen.speaker` to its element.
            (_, K::AudioOutput) => {}
            (None, _) => {
                // Still in the lobby: restart the preview with the new device.
                if self.phase.get_untracked() == Phase::Lobby {
                    self.has_video.set(true);
                    self.camera_problem.set(None);
                    spawn_local(async move { room.start_preview().await });
                }
            }
        }
    }

    // ---- joining -----------------------------------------------------------------------

    pub fn join(&self) {
        self.stop_preview();
        self.set_stream((None, StreamKind::Camera), None);
        self.media.set(MediaState {
            audio_muted: self.join_muted.get_untracked(),
            video_off: self.join_camera_off.get_untracked() || !self.has_video.get_untracked(),
            screen_stream_id: None,
            hand_raised: false,
        });
        self.phase.set(Phase::Joining);
        self.want_in.set_value(true);
        if self.rt.connection.with_untracked(|c| c.is_open()) {
            self.send_join();
        }
        // Otherwise the connection effect sends it once the socket is open.
    }

    pub fn leave(&self) {
        if self.want_in.get_value() {
            self.send(MeetingRequest::Leave {
                meeting_id: self.meeting_id,
            });
        }
        self.teardown();
        self.phase.set(Phase::Left);
    }

    /// Stops media and forgets peers; we are no longer in the room.
    fn teardown(&self) {
        let _ = self.want_in.try_set_value(false);
        if let Some(Some(engine)) = self.engine.try_get_value() {
            engine.close();
            self.engine.set_value(None);
        }
        let _ = self.janus.try_set_value(None);
        let _ = self.refresh_timer.try_set_value(None);
        let _ = self.route.try_set_value(MediaRoute::Mesh);
        if self.alive() {
            self.upstream.set(None);
            self.media_reconnecting.set(false);
            self.streams.set_value(HashMap::new());
            self.stream_ids.set(HashMap::new());
            self.peer_states.set(HashMap::new());
            self.reconnecting.set(false);
        }
    }

    fn on_notice(&self, notice: MeetingNotice) {
        let id = self.meeting_id;
        match notice {
            MeetingNotice::Joined {
                meeting,
                you,
                participants,
                route,
            } if meeting.id == id => {
                self.meeting.set(Some(meeting));
                self.on_joined(you, participants, route);
            }
            MeetingNotice::Route { meeting_id, route } if meeting_id == id => {
                if let (Some(you), MediaRoute::Sfu(access)) = (self.you.get_untracked(), route) {
                    if self.phase.get_untracked() == Phase::In {
                        self.use_sfu(you, access);
                    }
                }
            }
            MeetingNotice::AtCapacity {
                meeting_id,
                message,
            } if meeting_id == id => self.error.set(Some(message)),
            MeetingNotice::Waiting { meeting_id, you } if meeting_id == id => {
                self.you.set(Some(you));
                self.reconnecting.set(false);
                self.phase.set(Phase::Waiting);
            }
            MeetingNotice::Denied { meeting_id } if meeting_id == id => {
                self.teardown();
                self.phase.set(Phase::Denied);
            }
            MeetingNotice::ParticipantJoined {
                meeting_id,
                participant,
            } if meeting_id == id => {
                // No connection from our side: the newcomer offers to everyone who was
                // here before it (`start_engine`), once its own media is settled.
                crate::media::trace::log(&participant.id.to_string(), "participant joined");
                self.upsert(participant);
            }
            MeetingNotice::ParticipantLeft {
                meeting_id,
                participant_id,
            } if meeting_id == id => {
                self.participants
                    .update(|p| p.retain(|p| p.id != participant_id));
                self.drop_peer(participant_id);
            }
            MeetingNotice::ParticipantUpdated {
                meeting_id,
                participant,
            } if meeting_id == id => {
                let before = self.upsert(participant.clone());
                if Some(participant.id) != self.you.get_untracked() {
                    if let Some(engine) = self.engine.get_value() {
                        self.announce_screen(&engine, &participant, before.as_ref());
                    }
                }
            }
            MeetingNotice::Knocking {
                meeting_id,
                participant,
            } if meeting_id == id => {
                self.knocking.update(|k| {
                    k.retain(|p| p.id != participant.id);
                    k.push(participant);
                });
            }
            MeetingNotice::KnockResolved {
                meeting_id,
                participant_id,
            } if meeting_id == id => {
                self.knocking
                    .update(|k| k.retain(|p| p.id != participant_id));
            }
            MeetingNotice::RemovedPeople { meeting_id, people } if meeting_id == id => {
                self.removed.set(people);
            }
            MeetingNotice::Signal {
                meeting_id,
                from,
                signal,
            } if meeting_id == id => match (self.engine.get_value(), from_wire(signal)) {
                (Some(engine), Some(signal)) => engine.signal_in(&from.to_string(), signal),
                (engine, _) => crate::media::trace::log(
                    &from.to_string(),
                    format_args!("signal not delivered (engine: {})", engine.is_some()),
                ),
            },
            MeetingNotice::LockChanged { meeting_id, locked } if meeting_id == id => {
                self.meeting.update(|m| {
                    if let Some(m) = m {
                        m.locked = locked;
                    }
                });
            }
            MeetingNotice::RecordingChanged {
                meeting_id,
                recording_id,
            } if meeting_id == id => {
                self.meeting.update(|m| {
                    if let Some(m) = m {
                        m.recording = recording_id.is_some();
                    }
                });
            }
            MeetingNotice::AskedToUnmute { meeting_id }
                if meeting_id == id && self.media.get_untracked().audio_muted =>
            {
                self.asked_to_unmute.set(true);
            }
            MeetingNotice::Removed { meeting_id } if meeting_id == id => {
                self.teardown();
                self.phase.set(Phase::Removed);
            }
            MeetingNotice::Ended { meeting_id } if meeting_id == id => {
                self.teardown();
                self.phase.set(Phase::Ended);
            }
            MeetingNotice::Refused {
                meeting_id,
                message,
                ..
            } if meeting_id == id => {
                if self.phase.get_untracked() == Phase::Joining {
                    self.teardown();
                    self.phase.set(Phase::Failed(message));
                } else if self.media_reconnecting.get_untracked() {
                    // The SFU is not back yet (the server could not recreate the room):
                    // ask again, a little later each time.
                    self.reconnect_sfu();
                } else {
                    self.error.set(Some(message));
                }
            }
            _ => {}
        }
    }

    /// Inserts or replaces; returns the previous version.
    fn upsert(&self, participant: Participant) -> Option<Participant> {
        let mut before = None;
        self.participants.update(
            |list| match list.iter_mut().find(|p| p.id == participant.id) {
                Some(existing) => before = Some(std::mem::replace(existing, participant)),
                None => list.push(participant),
            },
        );
        before
    }

    /// Tells the engine which of a participant's streams is the screen (the engine's
    /// own announcement has no wire form; `MediaState.screen_stream_id` carries it).
    fn announce_screen(
        &self,
        engine: &MediaEngine,
        now: &Participant,
        before: Option<&Participant>,
    ) {
        let old = before.and_then(|b| b.media.screen_stream_id.clone());
        let new = now.media.screen_stream_id.clone();
        if old != new && (before.is_some() || new.is_some()) {
            engine.signal_in(&now.id.to_string(), Signal::ScreenShare { stream_id: new });
        }
    }

    fn drop_peer(&self, pid: ParticipantId) {
        if let Some(engine) = self.engine.get_value() {
            engine.remove_peer(&pid.to_string());
        }
        self.set_stream((Some(pid), StreamKind::Camera), None);
        self.set_stream((Some(pid), StreamKind::Screen), None);
        self.views.update_value(|v| {
            v.remove(&pid);
        });
        self.peer_states.update(|s| {
            s.remove(&pid);
        });
    }

    fn on_joined(&self, you: ParticipantId, participants: Vec<Participant>, route: MediaRoute) {
        crate::media::trace::log(
            "local",
            format_args!("joined as {you} with {} in the room", participants.len()),
        );
        self.you.set(Some(you));
        self.participants.set(participants.clone());
        self.knocking.set(Vec::new());
        self.reconnecting.set(false);
        self.phase.set(Phase::In);
        let roster: Vec<ParticipantId> = participants.iter().map(|p| p.id).collect();

        if let MediaRoute::Sfu(access) = route {
            self.use_sfu(you, access);
            return;
        }
        if self.janus.get_value().is_some() {
            // Mesh again (the server forgot the SFU meeting): start over peer to peer.
            self.close_engine();
        }
        if let Some(engine) = self.engine.get_value() {
            if engine.local_peer_id() == you.to_string() {
                // Same identity: keep working connections, fix the difference.
                let (stale, missing) = roster_diff(&engine.participants(), &roster, you);
                for peer in stale {
                    if let Ok(pid) = peer.parse() {
                        self.drop_peer(pid);
                    } else {
                        engine.remove_peer(&peer);
                    }
                }
                for pid in missing {
                    let _ = engine.add_peer(&pid.to_string());
                }
                for p in &participants {
                    if p.id != you {
                        self.announce_screen(&engine, p, None);
                    }
                }
                return;
            }
            // A new participant id: the old connections belong to a gone participant.
            self.close_engine();
        }
        self.start_engine(you, roster);
    }

    /// Closes the current engine (mesh or SFU) and forgets everyone's streams.
    fn close_engine(&self) {
        if let Some(engine) = self.engine.get_value() {
            engine.close();
        }
        self.engine.set_value(None);
        self.janus.set_value(None);
        self.streams
            .update_value(|s| s.retain(|(who, _), _| who.is_none()));
        self.stream_ids
            .update(|s| s.retain(|(who, _), _| who.is_none()));
        self.peer_states.set(HashMap::new());
    }

    /// Our media goes through the SFU with `access`: fresh tokens for the connection
    /// we have, or a new connection (moved from the mesh, onto or off the stage, or
    /// after the last one was lost). Never back to the mesh while the meeting runs.
    fn use_sfu(&self, you: ParticipantId, access: SfuAccess) {
        self.schedule_refresh(access.expires_at);
        let previous = self.route.get_value();
        self.route.set_value(MediaRoute::Sfu(access.clone()));
        let handle = self.janus.get_value();
        let same_engine = self
            .engine
            .get_value()
            .is_some_and(|e| e.local_peer_id() == you.to_string());
        let usable = handle
            .as_ref()
            .and_then(JanusHandle::state)
            .is_some_and(|s| matches!(s, SfuState::Connecting | SfuState::Connected));
        if let (Some(handle), MediaRoute::Sfu(old), true, true) =
            (&handle, &previous, same_engine, usable)
        {
            if old.same_place(&access) {
                handle.renew(access);
                return;
            }
        }
        crate::media::trace::log("sfu", format_args!("new connection to {}", access.url));
        self.close_engine();
        self.start_sfu_engine(you, access);
    }

    /// Asks for fresh tokens halfway to their expiry (Janus cannot revoke them, so
    /// they are short-lived).
    fn schedule_refresh(&self, expires_at: i64) {
        let left = expires_at as f64 - js_sys::Date::now();
        let delay = (left / 2.0).clamp(1_000.0, 3_600_000.0) as u32;
        let room = *self;
        let timer = gloo_timers::callback::Timeout::new(delay, move || {
            if room.alive() && room.phase.get_untracked() == Phase::In {
                room.send(MeetingRequest::RefreshRoute {
                    meeting_id: room.meeting_id,
                });
            }
        });
        self.refresh_timer.set_value(Some(timer));
    }

    /// The SFU connection was lost: ask for the route again (the server recreates the
    /// room if Janus lost it), after a pause that grows with each failure in a row.
    fn reconnect_sfu(&self) {
        let failures = self.sfu_failures.get_value();
        self.sfu_failures.set_value(failures + 1);
        let delay = [500, 1_000, 2_000, 4_000, 8_000][failures.min(4) as usize];
        let room = *self;
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(delay).await;
            if room.alive() && room.phase.get_untracked() == Phase::In {
                room.send(MeetingRequest::RefreshRoute {
                    meeting_id: room.meeting_id,
                });
            }
        });
    }

    fn start_sfu_engine(&self, you: ParticipantId, access: SfuAccess) {
        let ice = self.ice.get_value().unwrap_or_default();
        let display = self
            .participants
            .with_untracked(|ps| {
                ps.iter()
                    .find(|p| p.id == you)
                    .map(|p| p.display_name.clone())
            })
            .unwrap_or_default();
        let publish = access.publish;
        let handle = std::cell::RefCell::new(None);
        let engine = MediaEngine::with_transport(you.to_string(), ice, |ctx| {
            let (transport, h) = JanusTransport::new(ctx, access, display);
            *handle.borrow_mut() = Some(h);
            Box::new(transport)
        });
        self.janus.set_value(handle.into_inner());
        self.adopt_engine(&engine);
        // Tiles report their size only when it changes: give the new connection what
        // they said last (applied once those people's streams are subscribed).
        for (pid, layer) in self.views.get_value() {
            engine.set_receive_layer(&pid.to_string(), layer);
        }
        if publish {
            // (A town hall's audience only watches: no camera, no microphone.)
            let room = *self;
            spawn_local(async move { room.open_local_media(&engine).await });
        }
    }

    /// Makes `engine` the room's: its events reach us and it starts with our mute and
    /// camera choices.
    fn adopt_engine(&self, engine: &MediaEngine) {
        let room = *self;
        engine.on_event(move |ev| {
            if room.alive() {
                room.on_engine_event(ev);
            }
        });
        let media = self.media.get_untracked();
        engine.set_mic_enabled(!media.audio_muted);
        engine.set_camera_enabled(!media.video_off);
        self.engine.set_value(Some(engine.clone()));
    }

    /// Opens camera and microphone for `engine` (audio only when the camera fails) and
    /// says what went wrong.
    async fn open_local_media(&self, engine: &MediaEngine) {
        let started = engine.start_local(self.constraints()).await;
        crate::media::trace::log(
            "local",
            format_args!(
                "start_local -> {:?}",
                started.as_ref().map(|l| (l.has_audio, l.has_video))
            ),
        );
        match started {
            Ok(local) => {
                if self.alive() && !local.has_video {
                    self.has_video.set(false);
                }
            }
            Err(e) => {
                if self.alive() {
                    self.error.set(Some(e.message()));
                }
            }
        }
    }

    /// A tile says how large it is shown (`None`: not visible): through the SFU we then
    /// receive the simulcast layer that fits, or nothing.
    pub fn set_view(&self, pid: ParticipantId, layer: Option<Layer>) {
        let _ = self.views.try_update_value(|v| v.insert(pid, layer));
        if let (Some(engine), true) = (self.engine(), self.janus.get_value().is_some()) {
            engine.set_receive_layer(&pid.to_string(), layer);
        }
    }

    /// A fresh engine for participant `you`; once local media is settled (or failed),
    /// it offers to `earlier`, the people in the room when we joined. People who join
    /// after us offer to us.
    fn start_engine(&self, you: ParticipantId, earlier: Vec<ParticipantId>) {
        let ice = self.ice.get_value().unwrap_or_default();
        let engine = MediaEngine::new(ice, you.to_string());
        let room = *self;
        let meeting_id = self.meeting_id;
        engine.on_signal(move |out| {
            if !room.alive() {
                return;
            }
            match out.payload {
                Signal::ScreenShare { stream_id } => room.set_screen_id(stream_id),
                payload => {
                    if let (Some(signal), Ok(to)) =
                        (to_wire(payload), out.to.parse::<ParticipantId>())
                    {
                        room.send(MeetingRequest::Signal {
                            meeting_id,
                            to,
                            signal,
                        });
                    }
                }
            }
        });
        self.adopt_engine(&engine);
        spawn_local(async move {
            room.open_local_media(&engine).await;
            if !room.alive() || room.engine.get_value().is_none() {
                return;
            }
            // Peers after local media, so the first offer already carries our tracks.
            // Only those still here (and as they are now, for their screen share).
            let still_here: Vec<Participant> = room
                .participants
                .get_untracked()
                .into_iter()
                .filter(|p| p.id != you && earlier.contains(&p.id))
                .collect();
            for p in &still_here {
                let _ = engine.add_peer(&p.id.to_string());
                room.announce_screen(&engine, p, None);
            }
        });
    }

    fn on_engine_event(&self, ev: EngineEvent) {
        let pid = |peer: &str| peer.parse::<ParticipantId>().ok();
        match ev {
            EngineEvent::LocalStreamChanged {
                stream, has_video, ..
            } => {
                self.has_video.set(has_video);
                self.set_stream((None, StreamKind::Camera), Some(stream));
            }
            EngineEvent::ScreenShareStarted { stream } => {
                self.set_screen_id(Some(stream.id()));
                self.set_stream((None, StreamKind::Screen), Some(stream));
            }
            EngineEvent::ScreenShareEnded { .. } => {
                self.set_stream((None, StreamKind::Screen), None);
                self.set_screen_id(None);
            }
            EngineEvent::ParticipantStreamAdded { peer, kind, stream } => {
                if let Some(p) = pid(&peer) {
                    self.set_stream((Some(p), kind), Some(stream));
                }
            }
            EngineEvent::ParticipantStreamRemoved { peer, kind } => {
                if let Some(p) = pid(&peer) {
                    self.set_stream((Some(p), kind), None);
                }
            }
            EngineEvent::PeerStateChanged { peer, state } => {
                let Some(p) = pid(&peer) else { return };
                self.peer_states.update(|s| {
                    s.insert(p, state);
                });
                if state == PeerState::Failed && self.janus.get_value().is_none() {
                    self.retry_peer(p);
                }
            }
            EngineEvent::QualityChanged { peer, quality } => {
                if let Some(p) = pid(&peer) {
                    self.quality.update(|q| {
                        q.insert(p, quality);
                    });
                }
            }
            EngineEvent::ActiveSpeakerChanged { speaker } => self.speaker.set(speaker),
            EngineEvent::DevicesChanged(list) => self.devices.set(list),
            EngineEvent::SfuStateChanged { state } => match state {
                SfuState::Connected => {
                    self.sfu_failures.set_value(0);
                    self.media_reconnecting.set(false);
                }
                SfuState::Lost => {
                    self.media_reconnecting.set(true);
                    self.reconnect_sfu();
                }
                SfuState::Connecting | SfuState::Removed => {}
            },
            EngineEvent::Error { peer: None, error } => {
                if matches!(
                    error,
                    MediaError::PermissionDenied(Capture::Camera)
                        | MediaError::NotFound(Capture::Camera)
                ) {
                    self.camera_problem.set(Some(preview_problem(&error)));
                } else if !matches!(error, MediaError::Aborted(Capture::Screen)) {
                    self.error.set(Some(error.message()));
                }
            }
            // Per-connection problems show as the tile's state.
            EngineEvent::Error { .. } => {}
        }
    }

    /// The engine gave up on a peer after repeated ICE restarts: start it afresh. Only
    /// the impolite side does, so the two never replace their connections at once; the
    /// polite side replaces its own when the new connection's offer arrives (its DTLS
    /// fingerprint differs, see `Mesh::signal_in`).
    fn retry_peer(&self, pid: ParticipantId) {
        let room = *self;
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(1_000).await;
            let present = room.alive()
                && room
                    .participants
                    .with_untracked(|p| p.iter().any(|p| p.id == pid));
            let Some(engine) = room.engine.try_get_value().flatten() else {
                return;
            };
            let peer = pid.to_string();
            let ours = !crate::media::negotiation::is_polite(engine.local_peer_id(), &peer);
            if present && ours && engine.peer_state(&peer) == Some(PeerState::Failed) {
                engine.remove_peer(&peer);
                let _ = engine.add_peer(&peer);
            }
        });
    }

    fn poll_stats(&self) {
        let Some(Some(engine)) = self.engine.try_get_value() else {
            return;
        };
        let mut frames = HashMap::new();
        let mut quality = HashMap::new();
        for peer in engine.participants() {
            if let (Ok(pid), Some(stats)) =
                (peer.parse::<ParticipantId>(), engine.peer_stats(&peer))
            {
                frames.insert(pid, stats.frames_decoded);
                if let Some(q) = stats.quality {
                    quality.insert(pid, q);
                }
            }
        }
        let upstream = engine.upstream();
        if self.upstream.get_untracked() != upstream {
            self.upstream.set(upstream);
        }
        if self.frames.with_untracked(|f| *f != frames) {
            self.frames.set(frames);
        }
        if !quality.is_empty()
            && self
                .quality
                .with_untracked(|q| quality.iter().any(|(k, v)| q.get(k) != Some(v)))
        {
            self.quality.update(|q| q.extend(quality));
        }
    }

    // ---- our media ---------------------------------------------------------------------

    fn set_screen_id(&self, id: Option<String>) {
        if self.media.with_untracked(|m| m.screen_stream_id != id) {
            self.media.update(|m| m.screen_stream_id = id);
            self.send_media();
        }
    }

    pub fn toggle_mic(&self) {
        let muted = !self.media.get_untracked().audio_muted;
        self.set_muted(muted);
    }

    pub fn set_muted(&self, muted: bool) {
        if let Some(engine) = self.engine.get_value() {
            engine.set_mic_enabled(!muted);
            engine.resume_audio();
        }
        self.asked_to_unmute.set(false);
        self.media.update(|m| m.audio_muted = muted);
        self.send_media();
    }

    pub fn toggle_camera(&self) {
        let off = !self.media.get_untracked().video_off;
        if let Some(engine) = self.engine.get_value() {
            engine.set_camera_enabled(!off);
        }
        self.media.update(|m| m.video_off = off);
        self.send_media();
    }

    pub fn toggle_hand(&self) {
        self.media.update(|m| m.hand_raised = !m.hand_raised);
        self.send_media();
    }

    pub fn toggle_screen(&self) {
        let Some(engine) = self.engine.get_value() else {
            return;
        };
        if engine.local_screen_stream_id().is_some() {
            engine.stop_screen_share();
            return;
        }
        let room = *self;
        spawn_local(async move {
            if let Err(e) = engine.start_screen_share().await {
                if room.alive() && !matches!(e, MediaError::Aborted(_)) {
                    room.error.set(Some(e.message()));
                }
            }
        });
    }

    pub fn engine(&self) -> Option<MediaEngine> {
        self.engine.try_get_value().flatten()
    }
}
