//! The façade the UI talks to: participants, streams, devices and events.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlMediaElement, MediaStream, MediaStreamTrack};

use super::devices::{self, DeviceWatcher};
use super::error::{Capture, MediaError};
use super::events::{EngineEvent, Outbox};
use super::js;
use super::levels::AudioLevels;
use super::mesh::Mesh;
use super::stats::PeerStats;
use super::transport::{TrackKind, Transport, TransportContext};
use super::types::{
    DeviceList, IceServer, LocalConstraints, PeerId, PeerState, Signal, SignalOut, SpeakerId,
};

/// How often `getStats()` runs per peer.
pub const STATS_INTERVAL_MS: u32 = 2_000;

/// What `start_local` obtained.
#[derive(Debug, Clone)]
pub struct LocalMedia {
    pub stream: MediaStream,
    pub has_audio: bool,
    pub has_video: bool,
    /// Why video is missing after the audio-only fallback.
    pub video_error: Option<MediaError>,
}

struct Screen {
    stream: MediaStream,
    track: MediaStreamTrack,
    on_ended: Closure<dyn FnMut(JsValue)>,
}

struct Local {
    constraints: LocalConstraints,
    stream: Option<MediaStream>,
    mic_enabled: bool,
    camera_enabled: bool,
    screen: Option<Screen>,
}

struct Shared {
    local_id: PeerId,
    outbox: Rc<Outbox>,
    transport: RefCell<Box<dyn Transport>>,
    local: RefCell<Local>,
    levels: Rc<AudioLevels>,
    stats_timer: RefCell<Option<Interval>>,
    device_watcher: RefCell<Option<DeviceWatcher>>,
    closed: Cell<bool>,
}

/// The media engine. Cheap to clone (a handle); single-threaded (browser main thread).
#[derive(Clone)]
pub struct MediaEngine {
    shared: Rc<Shared>,
}

fn first_track(tracks: js_sys::Array) -> Option<MediaStreamTrack> {
    tracks.get(0).dyn_into::<MediaStreamTrack>().ok()
}

impl MediaEngine {
    /// A full-mesh engine. `ice_servers` come from the app's config (may be empty:
    /// host candidates only, fine on a LAN/localhost).
    pub fn new(ice_servers: Vec<IceServer>, local_peer_id: impl Into<PeerId>) -> MediaEngine {
        MediaEngine::with_transport(local_peer_id, ice_servers, |ctx| Box::new(Mesh::new(ctx)))
    }

    /// Same, with another topology (e.g. an SFU transport later).
    pub fn with_transport(
        local_peer_id: impl Into<PeerId>,
        ice_servers: Vec<IceServer>,
        make: impl FnOnce(TransportContext) -> Box<dyn Transport>,
    ) -> MediaEngine {
        let local_id = local_peer_id.into();
        let outbox = Rc::new(Outbox::default());
        let levels = AudioLevels::new(outbox.clone());
        let hook_levels = Rc::downgrade(&levels);
        let transport = make(TransportContext {
            local_id: local_id.clone(),
            ice_servers,
            outbox: outbox.clone(),
            on_remote_audio: Rc::new(move |peer: &str, track: Option<&MediaStreamTrack>| {
                if let Some(levels) = hook_levels.upgrade() {
                    let id = SpeakerId::Remote(peer.to_string());
                    match track {
                        Some(t) => levels.attach(id, t),
                        None => levels.detach(&id),
                    }
                }
            }),
        });
        let engine = MediaEngine {
            shared: Rc::new(Shared {
                local_id,
                outbox,
                transport: RefCell::new(transport),
                local: RefCell::new(Local {
                    constraints: LocalConstraints::default(),
                    stream: None,
                    mic_enabled: true,
                    camera_enabled: true,
                    screen: None,
                }),
                levels,
                stats_timer: RefCell::new(None),
                device_watcher: RefCell::new(None),
                closed: Cell::new(false),
            }),
        };
        // Stats from the start: an SFU transport has remote streams without any
        // `add_peer` (and a mesh with no peers polls nothing).
        engine.ensure_stats_timer();
        engine
    }

    pub fn local_peer_id(&self) -> &str {
        &self.shared.local_id
    }

    // ---- events and signals -------------------------------------------------------

    /// Push delivery of events (replaces `drain_events`; queued events are delivered
    /// at the next flush).
    pub fn on_event(&self, cb: impl Fn(EngineEvent) + 'static) {
        self.shared.outbox.set_on_event(Some(Rc::new(cb)));
        self.shared.outbox.flush();
    }

    /// Push delivery of signals to relay to other participants.
    pub fn on_signal(&self, cb: impl Fn(SignalOut) + 'static) {
        self.shared.outbox.set_on_signal(Some(Rc::new(cb)));
        self.shared.outbox.flush();
    }

    pub fn drain_events(&self) -> Vec<EngineEvent> {
        self.shared.outbox.drain_events()
    }

    pub fn drain_signals(&self) -> Vec<SignalOut> {
        self.shared.outbox.drain_signals()
    }

    fn flush(&self) {
        self.shared.outbox.flush();
    }

    // ---- local media ---------------------------------------------------------------

    /// Opens camera and/or microphone and publishes them to every participant. If video
    /// fails and `audio_only_fallback` is set, retries audio only (the video error is
    /// in the result and also emitted as an `Error` event). Call from a user gesture.
    pub async fn start_local(
        &self,
        constraints: LocalConstraints,
    ) -> Result<LocalMedia, MediaError> {
        self.shared.levels.resume();
        self.watch_devices();
        let audio = if constraints.audio {
            devices::audio_constraints(&constraints, None)
        } else {
            JsValue::FALSE
        };
        let video = if constraints.video {
            devices::video_constraints(&constraints, None)
        } else {
            JsValue::FALSE
        };
        if !constraints.audio && !constraints.video {
            return Err(MediaError::NoLocalMedia);
        }
        let mut video_error = None;
        let stream = match devices::get_user_media(audio.clone(), video).await {
            Ok(s) => s,
            Err(e)
                if constraints.video
                    && constraints.audio
                    && constraints.audio_only_fallback
                    && e.worth_audio_only_retry() =>
            {
                let s = devices::get_user_media(audio, JsValue::FALSE)
                    .await
                    .map_err(|_| e.clone())?;
                let e = match e {
                    MediaError::PermissionDenied(_) => {
                        MediaError::PermissionDenied(Capture::Camera)
                    }
                    MediaError::NotFound(_) => MediaError::NotFound(Capture::Camera),
                    MediaError::InUse(_) => MediaError::InUse(Capture::Camera),
                    other => other,
                };
                self.shared.outbox.error(None, e.clone());
                video_error = Some(e);
                s
            }
            Err(e) => return Err(e),
        };
        if self.shared.closed.get() {
            stop_stream(&stream);
            return Err(MediaError::NoLocalMedia);
        }
        let old = {
            let mut local = self.shared.local.borrow_mut();
            local.constraints = constraints;
            local.stream.replace(stream.clone())
        };
        if let Some(old) = old {
            stop_stream(&old);
        }
        let audio = first_track(stream.get_audio_tracks());
        let video = first_track(stream.get_video_tracks());
        let (mic_on, cam_on) = {
            let l = self.shared.local.borrow();
            (l.mic_enabled, l.camera_enabled)
        };
        if let Some(t) = &audio {
            t.set_enabled(mic_on);
            self.shared.levels.attach(SpeakerId::Local, t);
        }
        if let Some(t) = &video {
            t.set_enabled(cam_on);
        }
        let mut pending = Vec::new();
        {
            let mut transport = self.shared.transport.borrow_mut();
            if let Some(t) = &audio {
                pending.push(transport.publish_camera_track(TrackKind::Audio, t, &stream));
            }
            if let Some(t) = &video {
                pending.push(transport.publish_camera_track(TrackKind::Video, t, &stream));
            }
        }
        self.shared.outbox.emit(EngineEvent::LocalStreamChanged {
            stream: stream.clone(),
            has_audio: audio.is_some(),
            has_video: video.is_some(),
        });
        self.flush();
        for p in pending {
            if let Err(e) = p.await {
                self.shared.outbox.error(None, e);
            }
        }
        self.refresh_devices().await;
        self.flush();
        Ok(LocalMedia {
            stream,
            has_audio: audio.is_some(),
            has_video: video.is_some(),
            video_error,
        })
    }

    pub fn local_stream(&self) -> Option<MediaStream> {
        self.shared.local.borrow().stream.clone()
    }

    /// Mute/unmute: `track.enabled`, the sender stays (no renegotiation; the remote
    /// receives silence).
    pub fn set_mic_enabled(&self, enabled: bool) {
        let mut local = self.shared.local.borrow_mut();
        local.mic_enabled = enabled;
        if let Some(t) = local
            .stream
            .as_ref()
            .and_then(|s| first_track(s.get_audio_tracks()))
        {
            t.set_enabled(enabled);
        }
    }

    /// Camera off/on: also `track.enabled` (remote sees black frames; no
    /// renegotiation, instant to turn back on). Browsers may keep the camera light on.
    pub fn set_camera_enabled(&self, enabled: bool) {
        let mut local = self.shared.local.borrow_mut();
        local.camera_enabled = enabled;
        if let Some(t) = local
            .stream
            .as_ref()
            .and_then(|s| first_track(s.get_video_tracks()))
        {
            t.set_enabled(enabled);
        }
    }

    pub fn mic_enabled(&self) -> bool {
        self.shared.local.borrow().mic_enabled
    }

    pub fn camera_enabled(&self) -> bool {
        self.shared.local.borrow().camera_enabled
    }

    /// Switch to another camera mid-call (`replaceTrack` on every peer).
    pub async fn switch_camera(&self, device_id: &str) -> Result<(), MediaError> {
        self.switch_device(TrackKind::Video, device_id).await
    }

    /// Switch to another microphone mid-call (`replaceTrack` on every peer).
    pub async fn switch_microphone(&self, device_id: &str) -> Result<(), MediaError> {
        self.switch_device(TrackKind::Audio, device_id).await
    }

    async fn switch_device(&self, kind: TrackKind, device_id: &str) -> Result<(), MediaError> {
        let (constraints, stream) = {
            let l = self.shared.local.borrow();
            (l.constraints.clone(), l.stream.clone())
        };
        let stream = stream.ok_or(MediaError::NoLocalMedia)?;
        let current = match kind {
            TrackKind::Audio => first_track(stream.get_audio_tracks()),
            TrackKind::Video => first_track(stream.get_video_tracks()),
        };
        let request = |c: &LocalConstraints| match kind {
            TrackKind::Audio => (
                devices::audio_constraints(c, Some(device_id)),
                JsValue::FALSE,
            ),
            TrackKind::Video => (
                JsValue::FALSE,
                devices::video_constraints(c, Some(device_id)),
            ),
        };
        let (a, v) = request(&constraints);
        let fresh = match devices::get_user_media(a, v).await {
            Ok(s) => s,
            // Some devices (phones) cannot open two cameras at once: free the old one.
            Err(MediaError::InUse(_)) if current.is_some() => {
                if let Some(t) = &current {
                    t.stop();
                }
                let (a, v) = request(&constraints);
                devices::get_user_media(a, v).await?
            }
            Err(e) => return Err(e),
        };
        let track = match kind {
            TrackKind::Audio => first_track(fresh.get_audio_tracks()),
            TrackKind::Video => first_track(fresh.get_video_tracks()),
        }
        .ok_or(MediaError::NoLocalMedia)?;
        {
            let mut l = self.shared.local.borrow_mut();
            match kind {
                TrackKind::Audio => {
                    track.set_enabled(l.mic_enabled);
                    l.constraints.microphone_id = Some(device_id.to_string());
                }
                TrackKind::Video => {
                    track.set_enabled(l.camera_enabled);
                    l.constraints.camera_id = Some(device_id.to_string());
                }
            }
        }
        if let Some(old) = &current {
            stream.remove_track(old);
            old.stop();
        }
        stream.add_track(&track);
        if kind == TrackKind::Audio {
            self.shared.levels.attach(SpeakerId::Local, &track);
        }
        let pending = self
            .shared
            .transport
            .borrow_mut()
            .publish_camera_track(kind, &track, &stream);
        self.shared.outbox.emit(EngineEvent::LocalStreamChanged {
            stream: stream.clone(),
            has_audio: stream.get_audio_tracks().length() > 0,
            has_video: stream.get_video_tracks().length() > 0,
        });
        self.flush();
        let result = pending.await;
        self.flush();
        result
    }

    /// Route `element`'s audio to the output device `device_id`. `Ok(false)` when the
    /// browser cannot choose outputs (nothing changed).
    pub async fn set_speaker(
        &self,
        device_id: &str,
        element: &HtmlMediaElement,
    ) -> Result<bool, MediaError> {
        devices::set_sink_id(element, device_id).await
    }

    pub async fn enumerate_devices(&self) -> Result<DeviceList, MediaError> {
        devices::enumerate().await
    }

    async fn refresh_devices(&self) {
        match devices::enumerate().await {
            Ok(list) => self.shared.outbox.emit(EngineEvent::DevicesChanged(list)),
            Err(e) => self.shared.outbox.error(None, e),
        }
    }

    fn watch_devices(&self) {
        if self.shared.device_watcher.borrow().is_some() {
            return;
        }
        let weak = Rc::downgrade(&self.shared);
        let watcher = DeviceWatcher::new(move |_| {
            if let Some(shared) = weak.upgrade() {
                let engine = MediaEngine { shared };
                wasm_bindgen_futures::spawn_local(async move {
                    engine.refresh_devices().await;
                    engine.flush();
                });
            }
        });
        match watcher {
            Ok(w) => *self.shared.device_watcher.borrow_mut() = Some(w),
            Err(e) => self.shared.outbox.error(None, e),
        }
    }

    // ---- screen share -------------------------------------------------------------

    /// Asks the user for a screen/window/tab and sends it to everyone as an extra
    /// stream. Emits `ScreenShareStarted`; returns the local screen stream.
    pub async fn start_screen_share(&self) -> Result<MediaStream, MediaError> {
        if let Some(s) = &self.shared.local.borrow().screen {
            return Ok(s.stream.clone());
        }
        let stream = devices::get_display_media().await?;
        let track = first_track(stream.get_video_tracks())
            .ok_or_else(|| MediaError::NotSupported("screen capture without video".into()))?;
        if self.shared.closed.get() || self.shared.local.borrow().screen.is_some() {
            stop_stream(&stream);
            return Err(MediaError::Aborted(Capture::Screen));
        }
        let weak = Rc::downgrade(&self.shared);
        let on_ended = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            if let Some(shared) = weak.upgrade() {
                MediaEngine { shared }.end_screen_share(true);
            }
        });
        track.set_onended(Some(on_ended.as_ref().unchecked_ref()));
        self.shared.local.borrow_mut().screen = Some(Screen {
            stream: stream.clone(),
            track: track.clone(),
            on_ended,
        });
        self.shared
            .transport
            .borrow_mut()
            .publish_screen(Some((&stream, &track)));
        self.shared.outbox.emit(EngineEvent::ScreenShareStarted {
            stream: stream.clone(),
        });
        self.flush();
        Ok(stream)
    }

    pub fn stop_screen_share(&self) {
        self.end_screen_share(false);
    }

    fn end_screen_share(&self, by_browser: bool) {
        let Some(screen) = self.shared.local.borrow_mut().screen.take() else {
            return;
        };
        screen.track.set_onended(None);
        self.shared.transport.borrow_mut().publish_screen(None);
        stop_stream(&screen.stream);
        js::defer_drop(screen.on_ended);
        self.shared
            .outbox
            .emit(EngineEvent::ScreenShareEnded { by_browser });
        self.flush();
    }

    /// The id of our screen-share `MediaStream` (also announced by the engine itself
    /// with `Signal::ScreenShare`).
    pub fn local_screen_stream_id(&self) -> Option<String> {
        self.shared
            .local
            .borrow()
            .screen
            .as_ref()
            .map(|s| s.stream.id())
    }

    pub fn local_screen_stream(&self) -> Option<MediaStream> {
        self.shared
            .local
            .borrow()
            .screen
            .as_ref()
            .map(|s| s.stream.clone())
    }

    // ---- participants -------------------------------------------------------------

    pub fn add_peer(&self, id: &str) -> Result<(), MediaError> {
        if self.shared.closed.get() {
            return Err(MediaError::WebRtc("the engine is closed".into()));
        }
        let result = self.shared.transport.borrow_mut().add_participant(id);
        self.ensure_stats_timer();
        self.flush();
        result
    }

    pub fn remove_peer(&self, id: &str) {
        self.shared.transport.borrow_mut().remove_participant(id);
        self.flush();
    }

    pub fn participants(&self) -> Vec<PeerId> {
        self.shared.transport.borrow().participants()
    }

    /// A signal the app received from participant `from`.
    pub fn signal_in(&self, from: &str, signal: Signal) {
        if self.shared.closed.get() {
            return;
        }
        self.shared.transport.borrow_mut().signal_in(from, signal);
        self.ensure_stats_timer();
        self.flush();
    }

    pub fn peer_state(&self, id: &str) -> Option<PeerState> {
        self.shared.transport.borrow().peer_state(id)
    }

    /// The latest stats for `id` (updated every [`STATS_INTERVAL_MS`]).
    pub fn peer_stats(&self, id: &str) -> Option<PeerStats> {
        self.shared.transport.borrow().peer_stats(id)
    }

    /// Which simulcast layer of `id`'s camera to receive, `None` to pause it (SFU).
    pub fn set_receive_layer(&self, id: &str, layer: Option<tandem_protocol::sfu::Layer>) {
        self.shared
            .transport
            .borrow_mut()
            .set_receive_layer(id, layer);
        self.flush();
    }

    /// What we send upstream (SFU only; from the latest stats round).
    pub fn upstream(&self) -> Option<super::janus::Upstream> {
        self.shared.transport.borrow().upstream()
    }

    pub fn active_speaker(&self) -> Option<SpeakerId> {
        self.shared.levels.active()
    }

    /// Resume audio analysis after a user gesture (autoplay policy).
    pub fn resume_audio(&self) {
        self.shared.levels.resume();
    }

    fn ensure_stats_timer(&self) {
        if self.shared.stats_timer.borrow().is_some() || self.shared.closed.get() {
            return;
        }
        let weak = Rc::downgrade(&self.shared);
        let interval = Interval::new(STATS_INTERVAL_MS, move || {
            if let Some(shared) = weak.upgrade() {
                // try_borrow: skip a round rather than panic if re-entered.
                if let Ok(t) = shared.transport.try_borrow() {
                    t.poll_stats();
                }
            }
        });
        *self.shared.stats_timer.borrow_mut() = Some(interval);
    }

    /// Hang up: closes every connection, stops local capture and timers. Events for
    /// the teardown (streams removed, `Closed`) are still delivered.
    pub fn close(&self) {
        if self.shared.closed.replace(true) {
            return;
        }
        self.end_screen_share(false);
        self.shared.transport.borrow_mut().close();
        if let Some(stream) = self.shared.local.borrow_mut().stream.take() {
            stop_stream(&stream);
        }
        if let Some(t) = self.shared.stats_timer.borrow_mut().take() {
            js::defer_drop(t);
        }
        if let Some(w) = self.shared.device_watcher.borrow_mut().take() {
            js::defer_drop(w);
        }
        self.shared.levels.close();
        self.flush();
    }
}

fn stop_stream(stream: &MediaStream) {
    for t in stream.get_tracks().iter() {
        if let Ok(t) = t.dyn_into::<MediaStreamTrack>() {
            t.stop();
        }
    }
}
