//! Full-mesh transport: one `RTCPeerConnection` per remote participant (up to
//! [`MAX_PARTICIPANTS`] people in the call, us included). Each [`PeerLink`] wires the
//! browser events into the pure [`Negotiator`] and [`ConnectionMonitor`] and executes
//! what they decide.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::{Rc, Weak};

use futures::future::{join_all, LocalBoxFuture};
use futures::FutureExt;
use gloo_timers::callback::Timeout;
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    MediaStream, MediaStreamTrack, RtcConfiguration, RtcIceCandidateInit, RtcIceConnectionState,
    RtcIceServer, RtcPeerConnection, RtcPeerConnectionIceEvent, RtcRtpSender,
    RtcRtpTransceiverDirection, RtcRtpTransceiverInit, RtcSdpType, RtcSessionDescriptionInit,
    RtcSignalingState, RtcTrackEvent,
};

use super::error::MediaError;
use super::events::{EngineEvent, Outbox};
use super::js;
use super::monitor::{ConnectionMonitor, IceState, MonitorOutput};
use super::negotiation::{dtls_fingerprint, is_polite, NegAction, Negotiator, SignalingState};
use super::stats::{PeerStats, Snapshot, StatsTracker};
use super::stats_report;
use super::streams::{RemoteStreams, StreamChange};
use super::trace;
use super::transport::{RemoteAudioHook, TrackKind, Transport, TransportContext};
use super::types::{IceCandidate, IceServer, PeerId, PeerState, SdpKind, Signal, StreamKind};

/// People in one mesh call, including the local user.
pub const MAX_PARTICIPANTS: usize = tandem_protocol::sfu::MAX_MESH_PARTICIPANTS;

pub fn rtc_configuration(servers: &[IceServer]) -> RtcConfiguration {
    let list = Array::new();
    for s in servers {
        let server = RtcIceServer::new();
        let urls: Array = s.urls.iter().map(|u| JsValue::from_str(u)).collect();
        server.set_urls(&urls);
        if let Some(u) = &s.username {
            server.set_username(u);
        }
        if let Some(c) = &s.credential {
            server.set_credential(c);
        }
        list.push(&server);
    }
    let config = RtcConfiguration::new();
    config.set_ice_servers(&list);
    config
}

fn signaling_state(s: RtcSignalingState) -> SignalingState {
    match s {
        RtcSignalingState::Stable => SignalingState::Stable,
        RtcSignalingState::HaveLocalOffer => SignalingState::HaveLocalOffer,
        RtcSignalingState::HaveRemoteOffer => SignalingState::HaveRemoteOffer,
        RtcSignalingState::HaveLocalPranswer => SignalingState::HaveLocalPranswer,
        RtcSignalingState::HaveRemotePranswer => SignalingState::HaveRemotePranswer,
        _ => SignalingState::Closed,
    }
}

fn ice_state(s: RtcIceConnectionState) -> IceState {
    match s {
        RtcIceConnectionState::New => IceState::New,
        RtcIceConnectionState::Checking => IceState::Checking,
        RtcIceConnectionState::Connected => IceState::Connected,
        RtcIceConnectionState::Completed => IceState::Completed,
        RtcIceConnectionState::Disconnected => IceState::Disconnected,
        RtcIceConnectionState::Failed => IceState::Failed,
        _ => IceState::Closed,
    }
}

struct Inner {
    neg: Negotiator,
    monitor: ConnectionMonitor,
    streams: RemoteStreams,
    remote: HashMap<String, MediaStream>,
    stats: StatsTracker,
    audio_sender: Option<RtcRtpSender>,
    video_sender: Option<RtcRtpSender>,
    screen_sender: Option<RtcRtpSender>,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    closed: bool,
}

/// One remote participant's connection.
pub struct PeerLink {
    id: PeerId,
    pc: RtcPeerConnection,
    outbox: Rc<Outbox>,
    on_remote_audio: RemoteAudioHook,
    inner: RefCell<Inner>,
}

impl PeerLink {
    fn new(ctx: &TransportContext, id: &str) -> Result<Rc<PeerLink>, MediaError> {
        let pc = RtcPeerConnection::new_with_configuration(&rtc_configuration(&ctx.ice_servers))
            .map_err(|e| {
                MediaError::NotSupported(format!("RTCPeerConnection: {}", js::error_text(&e)))
            })?;
        let link = Rc::new(PeerLink {
            id: id.to_string(),
            pc,
            outbox: ctx.outbox.clone(),
            on_remote_audio: ctx.on_remote_audio.clone(),
            inner: RefCell::new(Inner {
                neg: Negotiator::new(is_polite(&ctx.local_id, id)),
                monitor: ConnectionMonitor::default(),
                streams: RemoteStreams::default(),
                remote: HashMap::new(),
                stats: StatsTracker::default(),
                audio_sender: None,
                video_sender: None,
                screen_sender: None,
                handlers: Vec::new(),
                closed: false,
            }),
        });
        link.install_handlers();
        trace::log(
            id,
            format_args!("created, polite={}", is_polite(&ctx.local_id, id)),
        );
        Ok(link)
    }

    fn handler(
        self: &Rc<Self>,
        f: impl Fn(&Rc<PeerLink>, JsValue) + 'static,
    ) -> Closure<dyn FnMut(JsValue)> {
        let weak: Weak<PeerLink> = Rc::downgrade(self);
        Closure::new(move |ev: JsValue| {
            if let Some(me) = weak.upgrade() {
                if !me.inner.borrow().closed {
                    f(&me, ev);
                    me.pump_and_flush();
                }
            }
        })
    }

    fn install_handlers(self: &Rc<Self>) {
        let negotiation = self.handler(|me, _| {
            trace::log(
                &me.id,
                format_args!("negotiationneeded in {:?}", me.pc.signaling_state()),
            );
            me.inner.borrow_mut().neg.negotiation_needed()
        });
        self.pc
            .set_onnegotiationneeded(Some(negotiation.as_ref().unchecked_ref()));

        let candidate = self.handler(|me, ev| {
            let ev: RtcPeerConnectionIceEvent = ev.unchecked_into();
            if let Some(c) = ev.candidate() {
                if !c.candidate().is_empty() {
                    me.inner.borrow_mut().neg.local_candidate(IceCandidate {
                        candidate: c.candidate(),
                        sdp_mid: c.sdp_mid(),
                        sdp_m_line_index: c.sdp_m_line_index(),
                    });
                }
            }
        });
        self.pc
            .set_onicecandidate(Some(candidate.as_ref().unchecked_ref()));

        let ice = self.handler(|me, _| {
            let state = ice_state(me.pc.ice_connection_state());
            trace::log(&me.id, format_args!("ice {state:?}"));
            me.inner.borrow_mut().monitor.ice_state_changed(state);
        });
        self.pc
            .set_oniceconnectionstatechange(Some(ice.as_ref().unchecked_ref()));

        let track = self.handler(|me, ev| me.on_track(ev.unchecked_into()));
        self.pc.set_ontrack(Some(track.as_ref().unchecked_ref()));

        self.inner
            .borrow_mut()
            .handlers
            .extend([negotiation, candidate, ice, track]);
    }

    fn on_track(self: &Rc<Self>, ev: RtcTrackEvent) {
        let track = ev.track();
        let stream = match ev.streams().get(0).dyn_into::<MediaStream>() {
            Ok(s) => s,
            // A sender without a stream (not ours): give it one of its own.
            Err(_) => {
                let tracks: Array = std::iter::once(track.clone()).collect();
                match MediaStream::new_with_tracks(&tracks) {
                    Ok(s) => s,
                    Err(_) => return,
                }
            }
        };
        let stream_id = stream.id();
        trace::log(
            &self.id,
            format_args!("track {} in stream {stream_id}", track.kind()),
        );
        let changes = {
            let mut inner = self.inner.borrow_mut();
            if !inner.remote.contains_key(&stream_id) {
                inner.remote.insert(stream_id.clone(), stream.clone());
                let sid = stream_id.clone();
                let removed = self.handler(move |me, _| {
                    let empty = me
                        .inner
                        .borrow()
                        .remote
                        .get(&sid)
                        .is_some_and(|s| s.get_tracks().length() == 0);
                    if empty {
                        let changes = {
                            let mut inner = me.inner.borrow_mut();
                            inner.remote.remove(&sid);
                            inner.streams.stream_ended(&sid)
                        };
                        me.apply_stream_changes(changes);
                    }
                });
                stream.set_onremovetrack(Some(removed.as_ref().unchecked_ref()));
                inner.handlers.push(removed);
            }
            inner.streams.track_added(&stream_id)
        };
        // A newly added camera stream attaches its audio in `apply_stream_changes`.
        let camera_added = changes.iter().any(|c| {
            matches!(
                c,
                StreamChange::Added {
                    kind: StreamKind::Camera,
                    ..
                }
            )
        });
        self.apply_stream_changes(changes);
        let is_camera = self.inner.borrow().streams.kind_of(&stream_id) == Some(StreamKind::Camera);
        if track.kind() == "audio" && is_camera && !camera_added {
            (self.on_remote_audio)(&self.id, Some(&track));
        }
    }

    fn apply_stream_changes(&self, changes: Vec<StreamChange>) {
        for change in changes {
            match change {
                StreamChange::Added { kind, stream_id } => {
                    let stream = self.inner.borrow().remote.get(&stream_id).cloned();
                    if let Some(stream) = stream {
                        if kind == StreamKind::Camera {
                            if let Ok(t) = stream
                                .get_audio_tracks()
                                .get(0)
                                .dyn_into::<MediaStreamTrack>()
                            {
                                (self.on_remote_audio)(&self.id, Some(&t));
                            }
                        }
                        self.outbox.emit(EngineEvent::ParticipantStreamAdded {
                            peer: self.id.clone(),
                            kind,
                            stream,
                        });
                    }
                }
                StreamChange::Removed { kind, .. } => {
                    if kind == StreamKind::Camera {
                        (self.on_remote_audio)(&self.id, None);
                    }
                    self.outbox.emit(EngineEvent::ParticipantStreamRemoved {
                        peer: self.id.clone(),
                        kind,
                    });
                }
            }
        }
    }

    fn signal_in(self: &Rc<Self>, signal: Signal) {
        if let Signal::ScreenShare { stream_id } = signal {
            let changes = self.inner.borrow_mut().streams.announce_screen(stream_id);
            self.apply_stream_changes(changes);
        } else {
            let state = signaling_state(self.pc.signaling_state());
            if trace::enabled() {
                let what = match &signal {
                    Signal::Description { kind, sdp } => {
                        format!("{} [{}]", kind.as_str(), trace::sdp_summary(sdp))
                    }
                    Signal::Candidate(_) => "candidate".into(),
                    other => format!("{other:?}"),
                };
                trace::log(&self.id, format_args!("signal in: {what} in {state:?}"));
            }
            self.inner.borrow_mut().neg.signal_in(signal, state);
        }
        self.pump();
    }

    /// Runs everything the state machines decided, until they are quiet.
    fn pump(self: &Rc<Self>) {
        loop {
            let (actions, outputs) = {
                let mut inner = self.inner.borrow_mut();
                (inner.neg.drain_actions(), inner.monitor.drain())
            };
            if actions.is_empty() && outputs.is_empty() {
                break;
            }
            for a in actions {
                self.execute(a);
            }
            for o in outputs {
                self.execute_monitor(o);
            }
        }
    }

    /// `pump`, then deliver outputs. Only from browser callbacks and spawned tasks:
    /// engine calls flush themselves once they released their borrows.
    fn pump_and_flush(self: &Rc<Self>) {
        self.pump();
        self.outbox.flush();
    }

    fn execute(self: &Rc<Self>, action: NegAction) {
        if trace::enabled() && !matches!(action, NegAction::Send(Signal::Candidate(_))) {
            let what = match &action {
                NegAction::SetRemoteDescription { kind, .. } => {
                    format!("setRemoteDescription({})", kind.as_str())
                }
                NegAction::Send(Signal::Description { kind, sdp }) => {
                    format!("send {} [{}]", kind.as_str(), trace::sdp_summary(sdp))
                }
                other => format!("{other:?}"),
            };
            trace::log(
                &self.id,
                format_args!("do {what} in {:?}", self.pc.signaling_state()),
            );
        }
        match action {
            NegAction::SetLocalDescription => {
                self.inner.borrow_mut().monitor.negotiating();
                let me = self.clone();
                spawn_local(async move {
                    let result = match js::call(&me.pc, "setLocalDescription", &[]) {
                        Ok(p) => JsFuture::from(p.unchecked_into::<Promise>()).await,
                        Err(e) => Err(e),
                    };
                    trace::log(
                        &me.id,
                        format_args!(
                            "setLocalDescription -> {:?} {:?}, now {:?}",
                            result.as_ref().map(|_| ()).map_err(js::error_text),
                            me.pc.local_description().map(|d| d.type_()),
                            me.pc.signaling_state()
                        ),
                    );
                    {
                        let mut inner = me.inner.borrow_mut();
                        match (result, me.pc.local_description()) {
                            (Ok(_), Some(desc)) => {
                                let kind = match desc.type_() {
                                    RtcSdpType::Offer => Some(SdpKind::Offer),
                                    RtcSdpType::Answer => Some(SdpKind::Answer),
                                    _ => None,
                                };
                                match kind {
                                    Some(kind) => inner.neg.local_description_set(kind, desc.sdp()),
                                    None => inner.neg.local_description_failed(
                                        "unexpected description type".into(),
                                    ),
                                }
                            }
                            (Ok(_), None) => inner
                                .neg
                                .local_description_failed("no local description".into()),
                            (Err(e), _) => inner.neg.local_description_failed(js::error_text(&e)),
                        }
                    }
                    me.pump_and_flush();
                });
            }
            NegAction::SetRemoteDescription { kind, sdp } => {
                self.inner.borrow_mut().monitor.negotiating();
                let init = RtcSessionDescriptionInit::new(match kind {
                    SdpKind::Offer => RtcSdpType::Offer,
                    SdpKind::Answer => RtcSdpType::Answer,
                });
                init.set_sdp(&sdp);
                let me = self.clone();
                spawn_local(async move {
                    let result = JsFuture::from(me.pc.set_remote_description(&init)).await;
                    trace::log(
                        &me.id,
                        format_args!(
                            "setRemoteDescription({}) -> {:?}, now {:?}",
                            kind.as_str(),
                            result.as_ref().map(|_| ()).map_err(js::error_text),
                            me.pc.signaling_state()
                        ),
                    );
                    match result {
                        Ok(_) => me.inner.borrow_mut().neg.remote_description_applied(kind),
                        Err(e) => me
                            .inner
                            .borrow_mut()
                            .neg
                            .remote_description_failed(kind, js::error_text(&e)),
                    }
                    me.pump_and_flush();
                });
            }
            NegAction::AddCandidate(c) => {
                let init = RtcIceCandidateInit::new(&c.candidate);
                init.set_sdp_mid(c.sdp_mid.as_deref());
                init.set_sdp_m_line_index(c.sdp_m_line_index);
                let me = self.clone();
                spawn_local(async move {
                    let p = me
                        .pc
                        .add_ice_candidate_with_opt_rtc_ice_candidate_init(Some(&init));
                    if let Err(e) = JsFuture::from(p).await {
                        trace::log(
                            &me.id,
                            format_args!("addIceCandidate failed: {}", js::error_text(&e)),
                        );
                        me.inner
                            .borrow_mut()
                            .neg
                            .candidate_failed(js::error_text(&e));
                        me.pump_and_flush();
                    }
                });
            }
            NegAction::RestartIce => {
                if let Err(e) = js::call(&self.pc, "restartIce", &[]) {
                    self.outbox
                        .error(Some(&self.id), js::webrtc_error("restartIce", &e));
                }
            }
            NegAction::Send(signal) => self.outbox.signal(&self.id, signal),
            NegAction::Error(text) => self.outbox.error(Some(&self.id), MediaError::WebRtc(text)),
        }
    }

    fn execute_monitor(self: &Rc<Self>, output: MonitorOutput) {
        match output {
            MonitorOutput::State(state) => self.outbox.emit(EngineEvent::PeerStateChanged {
                peer: self.id.clone(),
                state,
            }),
            MonitorOutput::StartTimer { token, after_ms } => {
                let weak = Rc::downgrade(self);
                // Not cancelled: the monitor ignores superseded tokens.
                Timeout::new(after_ms, move || {
                    if let Some(me) = weak.upgrade() {
                        me.inner.borrow_mut().monitor.timer_fired(token);
                        me.pump_and_flush();
                    }
                })
                .forget();
            }
            MonitorOutput::RestartIce => self.inner.borrow_mut().neg.restart_ice(),
        }
    }

    fn sender_mut(inner: &mut Inner, kind: TrackKind) -> &mut Option<RtcRtpSender> {
        match kind {
            TrackKind::Audio => &mut inner.audio_sender,
            TrackKind::Video => &mut inner.video_sender,
        }
    }

    fn publish(
        &self,
        kind: TrackKind,
        track: &MediaStreamTrack,
        stream: &MediaStream,
    ) -> Option<Promise> {
        let mut inner = self.inner.borrow_mut();
        if inner.closed {
            return None;
        }
        let slot = Self::sender_mut(&mut inner, kind);
        trace::log(
            &self.id,
            format_args!("publish {kind:?} (replace: {})", slot.is_some()),
        );
        match slot {
            Some(sender) => Some(sender.replace_track(Some(track))),
            None => {
                *slot = Some(self.pc.add_track_0(track, stream));
                None
            }
        }
    }

    /// Asks to receive `kind` although we send none of it, so that our offer has an
    /// m-line for the remote side's track (and, with no local media at all, that there
    /// is an offer at all). A track published later reuses this transceiver.
    fn receive_only(&self, kind: TrackKind) {
        let init = RtcRtpTransceiverInit::new();
        init.set_direction(RtcRtpTransceiverDirection::Recvonly);
        let kind = match kind {
            TrackKind::Audio => "audio",
            TrackKind::Video => "video",
        };
        self.pc.add_transceiver_with_str_and_init(kind, &init);
    }

    /// The DTLS fingerprint of the remote description applied last.
    fn remote_fingerprint(&self) -> Option<String> {
        let sdp = self.pc.remote_description()?.sdp();
        dtls_fingerprint(&sdp).map(str::to_string)
    }

    fn start_screen(&self, stream: &MediaStream, track: &MediaStreamTrack) {
        self.outbox.signal(
            &self.id,
            Signal::ScreenShare {
                stream_id: Some(stream.id()),
            },
        );
        let mut inner = self.inner.borrow_mut();
        if !inner.closed && inner.screen_sender.is_none() {
            inner.screen_sender = Some(self.pc.add_track_0(track, stream));
        }
    }

    fn stop_screen(&self) {
        self.outbox
            .signal(&self.id, Signal::ScreenShare { stream_id: None });
        let sender = self.inner.borrow_mut().screen_sender.take();
        if let Some(sender) = sender {
            let _ = js::call(&self.pc, "removeTrack", &[sender.into()]);
        }
    }

    fn poll_stats(self: &Rc<Self>) {
        if self.inner.borrow().closed {
            return;
        }
        let me = self.clone();
        spawn_local(async move {
            let Ok(report) = JsFuture::from(me.pc.get_stats()).await else {
                return;
            };
            let records = stats_report::records(&report);
            let snapshot = Snapshot::from_records(js::now_ms(), &records);
            let change = me.inner.borrow_mut().stats.update(snapshot);
            if let Some(quality) = change {
                me.outbox.emit(EngineEvent::QualityChanged {
                    peer: me.id.clone(),
                    quality,
                });
                me.outbox.flush();
            }
        });
    }

    fn close(self: &Rc<Self>) {
        let (handlers, changes) = {
            let mut inner = self.inner.borrow_mut();
            if inner.closed {
                return;
            }
            inner.closed = true;
            trace::log(&self.id, "closed");
            inner.neg.close();
            inner.monitor.close();
            (std::mem::take(&mut inner.handlers), inner.streams.clear())
        };
        for t in self.pc.get_transceivers().iter() {
            let _ = js::call(&t, "stop", &[]);
        }
        self.pc.set_onnegotiationneeded(None);
        self.pc.set_onicecandidate(None);
        self.pc.set_oniceconnectionstatechange(None);
        self.pc.set_ontrack(None);
        for s in self.inner.borrow_mut().remote.drain() {
            s.1.set_onremovetrack(None);
        }
        self.pc.close();
        self.apply_stream_changes(changes);
        (self.on_remote_audio)(&self.id, None);
        let outputs = self.inner.borrow_mut().monitor.drain();
        for o in outputs {
            if let MonitorOutput::State(state) = o {
                self.outbox.emit(EngineEvent::PeerStateChanged {
                    peer: self.id.clone(),
                    state,
                });
            }
        }
        // We may be inside one of these handlers right now.
        js::defer_drop(handlers);
    }
}

pub struct Mesh {
    ctx: TransportContext,
    peers: BTreeMap<PeerId, Rc<PeerLink>>,
    camera_stream: Option<MediaStream>,
    audio: Option<MediaStreamTrack>,
    video: Option<MediaStreamTrack>,
    screen: Option<(MediaStream, MediaStreamTrack)>,
}

impl Mesh {
    pub fn new(ctx: TransportContext) -> Mesh {
        Mesh {
            ctx,
            peers: BTreeMap::new(),
            camera_stream: None,
            audio: None,
            video: None,
            screen: None,
        }
    }
}

impl Mesh {
    /// A new link to `id` carrying our current media. `offering`: we start the
    /// negotiation, so kinds we do not send are asked for receive-only; otherwise the
    /// remote offer that is about to be applied decides the m-lines.
    fn create_link(&mut self, id: &str, offering: bool) -> Result<Rc<PeerLink>, MediaError> {
        if id == self.ctx.local_id {
            return Err(MediaError::WebRtc("cannot connect to ourselves".into()));
        }
        if self.peers.len() + 1 >= MAX_PARTICIPANTS {
            return Err(MediaError::TooManyParticipants {
                max: MAX_PARTICIPANTS,
            });
        }
        let link = PeerLink::new(&self.ctx, id)?;
        self.ctx.outbox.emit(EngineEvent::PeerStateChanged {
            peer: id.to_string(),
            state: PeerState::New,
        });
        for (kind, track) in [
            (TrackKind::Audio, &self.audio),
            (TrackKind::Video, &self.video),
        ] {
            match (track, &self.camera_stream) {
                (Some(track), Some(stream)) => {
                    link.publish(kind, track, stream);
                }
                _ if offering => link.receive_only(kind),
                _ => {}
            }
        }
        if let Some((stream, track)) = &self.screen {
            link.start_screen(stream, track);
        }
        self.peers.insert(id.to_string(), link.clone());
        Ok(link)
    }
}

impl Transport for Mesh {
    fn add_participant(&mut self, id: &str) -> Result<(), MediaError> {
        if self.peers.contains_key(id) {
            return Ok(());
        }
        self.create_link(id, true)?.pump();
        Ok(())
    }

    fn remove_participant(&mut self, id: &str) {
        if let Some(link) = self.peers.remove(id) {
            link.close();
        }
    }

    fn participants(&self) -> Vec<PeerId> {
        self.peers.keys().cloned().collect()
    }

    fn signal_in(&mut self, from: &str, signal: Signal) {
        let offer_fingerprint = match &signal {
            Signal::Description {
                kind: SdpKind::Offer,
                sdp,
            } => Some(dtls_fingerprint(sdp)),
            _ => None,
        };
        if let (Some(link), Some(Some(theirs))) = (self.peers.get(from), offer_fingerprint) {
            if link
                .remote_fingerprint()
                .is_some_and(|known| known != theirs)
            {
                trace::log(from, "the peer replaced its connection: replacing ours");
                self.remove_participant(from);
            }
        }
        if !self.peers.contains_key(from) {
            // The side that joins later offers (see `Transport::add_participant`); the
            // first we hear of it is its offer, which creates the link.
            if offer_fingerprint.is_none() {
                trace::log(
                    from,
                    format_args!("dropped a signal from an unknown peer: {signal:?}"),
                );
                return;
            }
            if let Err(e) = self.create_link(from, false) {
                self.ctx.outbox.error(Some(from), e);
                return;
            }
        }
        if let Some(link) = self.peers.get(from).cloned() {
            link.signal_in(signal);
        }
    }

    fn publish_camera_track(
        &mut self,
        kind: TrackKind,
        track: &MediaStreamTrack,
        stream: &MediaStream,
    ) -> LocalBoxFuture<'static, Result<(), MediaError>> {
        self.camera_stream = Some(stream.clone());
        match kind {
            TrackKind::Audio => self.audio = Some(track.clone()),
            TrackKind::Video => self.video = Some(track.clone()),
        }
        let promises: Vec<Promise> = self
            .peers
            .values()
            .filter_map(|link| link.publish(kind, track, stream))
            .collect();
        async move {
            for r in join_all(promises.into_iter().map(JsFuture::from)).await {
                r.map_err(|e| js::webrtc_error("replaceTrack", &e))?;
            }
            Ok(())
        }
        .boxed_local()
    }

    fn publish_screen(&mut self, screen: Option<(&MediaStream, &MediaStreamTrack)>) {
        match screen {
            Some((stream, track)) => {
                self.screen = Some((stream.clone(), track.clone()));
                for link in self.peers.values() {
                    link.start_screen(stream, track);
                }
            }
            None => {
                self.screen = None;
                for link in self.peers.values() {
                    link.stop_screen();
                }
            }
        }
        // Renegotiation follows via `negotiationneeded`.
    }

    fn peer_state(&self, id: &str) -> Option<PeerState> {
        self.peers.get(id).map(|l| l.inner.borrow().monitor.state())
    }

    fn peer_stats(&self, id: &str) -> Option<PeerStats> {
        self.peers.get(id).map(|l| l.inner.borrow().stats.latest())
    }

    fn poll_stats(&self) {
        for link in self.peers.values() {
            link.poll_stats();
        }
    }

    fn close(&mut self) {
        for (_, link) in std::mem::take(&mut self.peers) {
            link.close();
        }
        self.screen = None;
    }
}
