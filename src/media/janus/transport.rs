//! [`JanusTransport`]: the engine's `Transport` over Janus VideoRoom. It drives the
//! socket, the publisher and the subscriber; all Janus round trips run as local
//! tasks, one publisher negotiation and one subscription change at a time.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use futures::future::LocalBoxFuture;
use futures::FutureExt;
use gloo_timers::callback::Interval;
use serde_json::Value;
use tandem_protocol::sfu::{Layer, SfuAccess};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{MediaStream, MediaStreamTrack};

use super::feeds::Feeds;
use super::messages::{self as m, Incoming, RoomAccess};
use super::publisher::{PublisherPc, Upstream};
use super::socket::{JanusSocket, Until};
use super::subscriber::SubscriberPc;
use super::SfuState;
use crate::media::error::MediaError;
use crate::media::events::EngineEvent;
use crate::media::js;
use crate::media::stats::{PeerStats, Snapshot, StatRecord, StatsTracker};
use crate::media::trace;
use crate::media::transport::{TrackKind, Transport, TransportContext};
use crate::media::types::{PeerId, PeerState, Signal, StreamKind};

/// Janus drops a session after 60 s without a request.
const KEEPALIVE_MS: u32 = 25_000;

#[derive(Default)]
struct Local {
    stream: Option<MediaStream>,
    audio: Option<MediaStreamTrack>,
    video: Option<MediaStreamTrack>,
    screen: Option<(MediaStream, MediaStreamTrack)>,
}

struct Sfu {
    ctx: TransportContext,
    access: RefCell<SfuAccess>,
    socket: RefCell<Option<Rc<JanusSocket>>>,
    session: Cell<u64>,
    publisher_handle: Cell<u64>,
    subscriber_handle: Cell<u64>,
    private_id: Cell<Option<u64>>,
    joined: Cell<bool>,
    publisher: RefCell<Option<PublisherPc>>,
    published: Cell<bool>,
    negotiating: Cell<bool>,
    renegotiate: Cell<bool>,
    subscriber: RefCell<Option<Rc<SubscriberPc>>>,
    syncing: Cell<bool>,
    resync: Cell<bool>,
    feeds: RefCell<Feeds>,
    local: RefCell<Local>,
    /// Remote streams we assembled, by (feed, camera or screen).
    streams: RefCell<HashMap<(String, StreamKind), MediaStream>>,
    /// Tracks that arrived before we knew whose they are, by mid.
    pending_tracks: RefCell<HashMap<String, MediaStreamTrack>>,
    /// Which (feed, kind) each subscriber m-line's track went to.
    track_home: RefCell<HashMap<String, (String, StreamKind)>>,
    stats: RefCell<HashMap<String, StatsTracker>>,
    upstream: Cell<Upstream>,
    /// The layer each feed's tile wants (`None`: off screen, paused).
    wanted: RefCell<HashMap<String, Option<Layer>>>,
    /// What we last asked Janus for, per subscriber mid.
    applied: RefCell<HashMap<String, Option<u8>>>,
    state: Cell<SfuState>,
    keepalive: RefCell<Option<Interval>>,
    closed: Cell<bool>,
}

/// The meeting's grip on a running SFU transport (for token refreshes).
#[derive(Clone)]
pub struct JanusHandle(Weak<Sfu>);

impl JanusHandle {
    /// Fresh tokens for the same room and node: used from the next request on.
    pub fn renew(&self, access: SfuAccess) {
        if let Some(sfu) = self.0.upgrade() {
            *sfu.access.borrow_mut() = access;
        }
    }

    pub fn state(&self) -> Option<SfuState> {
        self.0.upgrade().map(|s| s.state.get())
    }
}

pub struct JanusTransport {
    sfu: Rc<Sfu>,
}

impl JanusTransport {
    pub fn new(ctx: TransportContext, access: SfuAccess, display: String) -> (Self, JanusHandle) {
        let feeds = Feeds::new(&access.feed);
        let sfu = Rc::new(Sfu {
            ctx,
            access: RefCell::new(access),
            socket: RefCell::new(None),
            session: Cell::new(0),
            publisher_handle: Cell::new(0),
            subscriber_handle: Cell::new(0),
            private_id: Cell::new(None),
            joined: Cell::new(false),
            publisher: RefCell::new(None),
            published: Cell::new(false),
            negotiating: Cell::new(false),
            renegotiate: Cell::new(false),
            subscriber: RefCell::new(None),
            syncing: Cell::new(false),
            resync: Cell::new(false),
            feeds: RefCell::new(feeds),
            local: RefCell::new(Local::default()),
            streams: RefCell::new(HashMap::new()),
            pending_tracks: RefCell::new(HashMap::new()),
            track_home: RefCell::new(HashMap::new()),
            stats: RefCell::new(HashMap::new()),
            upstream: Cell::new(Upstream::default()),
            wanted: RefCell::new(HashMap::new()),
            applied: RefCell::new(HashMap::new()),
            state: Cell::new(SfuState::Connecting),
            keepalive: RefCell::new(None),
            closed: Cell::new(false),
        });
        let handle = JanusHandle(Rc::downgrade(&sfu));
        let starting = sfu.clone();
        spawn_local(async move {
            if let Err(e) = starting.clone().connect(display).await {
                trace::log("sfu", format_args!("connect failed: {e:?}"));
                starting.lost();
            }
        });
        (JanusTransport { sfu }, handle)
    }
}

fn room_access(a: &SfuAccess) -> RoomAccess {
    RoomAccess {
        room: a.room.clone(),
        feed: a.feed.clone(),
        pin: a.pin.clone(),
        room_token: a.room_token.clone(),
    }
}

impl Sfu {
    fn token(&self) -> String {
        self.access.borrow().token.clone()
    }

    fn socket(&self) -> Result<Rc<JanusSocket>, MediaError> {
        self.socket
            .borrow()
            .clone()
            .ok_or_else(|| MediaError::WebRtc("not connected to the media server".into()))
    }

    fn set_state(&self, state: SfuState) {
        if self.state.replace(state) != state {
            trace::log("sfu", format_args!("state {state:?}"));
            self.ctx.outbox.emit(EngineEvent::SfuStateChanged { state });
            self.ctx.outbox.flush();
        }
    }

    /// This connection is over; the meeting starts a new one.
    fn lost(&self) {
        if !self.closed.get() && self.state.get() != SfuState::Removed {
            self.set_state(SfuState::Lost);
        }
    }

    async fn connect(self: Rc<Self>, display: String) -> Result<(), MediaError> {
        let url = self.access.borrow().url.clone();
        let weak = Rc::downgrade(&self);
        let on_incoming: Rc<dyn Fn(Incoming)> = Rc::new(move |incoming| {
            if let Some(sfu) = weak.upgrade() {
                sfu.on_incoming(incoming);
            }
        });
        let weak = Rc::downgrade(&self);
        let on_close: Rc<dyn Fn()> = Rc::new(move || {
            if let Some(sfu) = weak.upgrade() {
                trace::log("sfu", "socket closed");
                sfu.lost();
            }
        });
        let socket = Rc::new(JanusSocket::open(&url, on_incoming, on_close).await?);
        if self.closed.get() {
            socket.close();
            return Ok(());
        }
        *self.socket.borrow_mut() = Some(socket.clone());
        let created = socket
            .call("session", m::create(&self.token()), Until::Ack)
            .await?;
        let session = m::created_id(&created).unwrap_or(0);
        self.session.set(session);
        let weak = Rc::downgrade(&self);
        *self.keepalive.borrow_mut() = Some(Interval::new(KEEPALIVE_MS, move || {
            if let Some(sfu) = weak.upgrade() {
                if let Ok(socket) = sfu.socket() {
                    socket.send(m::keepalive(sfu.session.get(), &sfu.token()));
                }
            }
        }));
        let attached = socket
            .call("attach", m::attach(session, &self.token()), Until::Ack)
            .await?;
        self.publisher_handle
            .set(m::created_id(&attached).unwrap_or(0));
        let body = m::join_publisher(&room_access(&self.access.borrow()), &display);
        let joined = self
            .request(self.publisher_handle.get(), "join", body, None)
            .await?;
        let data = m::plugin_data(&joined).cloned().unwrap_or(Value::Null);
        self.private_id
            .set(data.get("private_id").and_then(Value::as_u64));
        self.joined.set(true);
        self.set_state(SfuState::Connected);
        self.feeds
            .borrow_mut()
            .publishers_seen(m::publishers(&data));
        self.clone().sync_subscriptions();
        self.clone().negotiate();
        Ok(())
    }

    /// A plugin request on `handle`, waiting for its event.
    async fn request(
        &self,
        handle: u64,
        what: &str,
        body: Value,
        jsep: Option<Value>,
    ) -> Result<Value, MediaError> {
        let socket = self.socket()?;
        let request = m::message(self.session.get(), handle, &self.token(), body, jsep);
        socket.call(what, request, Until::Event).await
    }

    fn trickle_sink(self: &Rc<Self>, handle: fn(&Sfu) -> u64) -> Box<dyn Fn(Option<Value>)> {
        let weak = Rc::downgrade(self);
        Box::new(move |candidate| {
            if let Some(sfu) = weak.upgrade() {
                let h = handle(&sfu);
                if let (Ok(socket), true) = (sfu.socket(), h != 0) {
                    socket.send(m::trickle(sfu.session.get(), h, &sfu.token(), candidate));
                }
            }
        })
    }

    fn on_incoming(self: &Rc<Self>, incoming: Incoming) {
        if self.closed.get() {
            return;
        }
        match incoming {
            Incoming::Event { handle, data, .. } if handle == self.publisher_handle.get() => {
                if m::removed_from_room(&data) {
                    trace::log("sfu", "removed from the room");
                    self.set_state(SfuState::Removed);
                    return;
                }
                let seen = m::publishers(&data);
                let gone = m::gone_feed(&data);
                if !seen.is_empty() || gone.is_some() {
                    trace::log("sfu", format_args!("publishers {seen:?}, gone {gone:?}"));
                }
                {
                    let mut feeds = self.feeds.borrow_mut();
                    feeds.publishers_seen(seen);
                    if let Some(feed) = &gone {
                        feeds.gone(feed);
                    }
                }
                self.prune_streams();
                self.clone().sync_subscriptions();
            }
            Incoming::Event {
                handle,
                data,
                jsep: Some(offer),
            } if handle == self.subscriber_handle.get() => {
                // Janus renegotiated by itself (a publisher left): answer it.
                let sfu = self.clone();
                spawn_local(async move {
                    if let Err(e) = sfu.clone().answer_subscription(&data, &offer).await {
                        trace::log("sfu", format_args!("answering an update failed: {e:?}"));
                    }
                });
            }
            Incoming::Hangup { handle, reason } => {
                trace::log("sfu", format_args!("hangup on {handle}: {reason}"));
                if handle == self.subscriber_handle.get() || handle == self.publisher_handle.get() {
                    self.lost();
                }
            }
            Incoming::SessionTimeout => self.lost(),
            _ => {}
        }
    }

    // ---- publishing -------------------------------------------------------------------

    /// (Re)negotiates what we send; coalesces calls made while one is running.
    fn negotiate(self: Rc<Self>) {
        if !self.joined.get() || !self.access.borrow().publish || self.closed.get() {
            return;
        }
        if self.negotiating.replace(true) {
            self.renegotiate.set(true);
            return;
        }
        spawn_local(async move {
            loop {
                self.renegotiate.set(false);
                if let Err(e) = self.clone().negotiate_once().await {
                    trace::log("sfu", format_args!("publish failed: {e:?}"));
                    self.ctx.outbox.error(None, e);
                    self.ctx.outbox.flush();
                    break;
                }
                if !self.renegotiate.get() || self.closed.get() {
                    break;
                }
            }
            self.negotiating.set(false);
        });
    }

    async fn negotiate_once(self: Rc<Self>) -> Result<(), MediaError> {
        let offer = {
            if self.publisher.borrow().is_none() {
                let pc = PublisherPc::new(
                    &self.ctx.ice_servers,
                    self.trickle_sink(|s| s.publisher_handle.get()),
                )?;
                *self.publisher.borrow_mut() = Some(pc);
            }
            let mut replaced = Vec::new();
            {
                let local = self.local.borrow();
                let mut publisher = self.publisher.borrow_mut();
                let pc = publisher.as_mut().expect("created above");
                if let Some(stream) = &local.stream {
                    for (kind, track) in [
                        (TrackKind::Audio, &local.audio),
                        (TrackKind::Video, &local.video),
                    ] {
                        if let Some(track) = track {
                            if let Some(p) = pc.set_camera_track(kind, track, stream) {
                                replaced.push(p);
                            }
                        }
                    }
                }
                pc.set_screen(local.screen.as_ref().map(|(s, t)| (s, t)));
                if !pc.has_media() {
                    return Ok(());
                }
            }
            for p in replaced {
                JsFuture::from(p)
                    .await
                    .map_err(|e| js::webrtc_error("replaceTrack", &e))?;
            }
            let publisher = self.publisher.borrow();
            publisher.as_ref().expect("created above").create_offer()
        };
        let sdp = offer.await?;
        // After the offer is set: only then do new m-lines have their mids.
        let descriptions = self
            .publisher
            .borrow()
            .as_ref()
            .map(PublisherPc::descriptions)
            .unwrap_or_default();
        trace::log("sfu", format_args!("publishing {descriptions:?}"));
        let body = if self.published.get() {
            m::configure_publisher(&descriptions)
        } else {
            m::publish(&descriptions)
        };
        let answer = self
            .request(
                self.publisher_handle.get(),
                "publish",
                body,
                Some(m::jsep("offer", &sdp)),
            )
            .await?;
        let Some(answer_sdp) = answer
            .get("jsep")
            .and_then(|j| j.get("sdp"))
            .and_then(Value::as_str)
        else {
            return Err(MediaError::WebRtc("the media server sent no answer".into()));
        };
        let accepted = self
            .publisher
            .borrow()
            .as_ref()
            .map(|pc| pc.accept_answer(answer_sdp));
        if let Some(accepted) = accepted {
            accepted.await?;
        }
        self.published.set(true);
        Ok(())
    }

    // ---- subscribing ------------------------------------------------------------------

    /// Brings our subscription in line with who publishes what, one change at a time.
    fn sync_subscriptions(self: Rc<Self>) {
        if !self.joined.get() || self.closed.get() {
            return;
        }
        if self.syncing.replace(true) {
            self.resync.set(true);
            return;
        }
        spawn_local(async move {
            let mut failures = 0;
            loop {
                self.resync.set(false);
                match self.clone().sync_once().await {
                    Ok(true) => continue,
                    Ok(false) => {}
                    Err(e) => {
                        trace::log("sfu", format_args!("subscription failed: {e:?}"));
                        failures += 1;
                        // "No such feed" races a publisher that is still coming up.
                        if failures < 5 && !self.closed.get() {
                            gloo_timers::future::TimeoutFuture::new(500 * failures).await;
                            continue;
                        }
                    }
                }
                if !self.resync.get() || self.closed.get() {
                    break;
                }
            }
            self.syncing.set(false);
            // Janus may reset a stream's simulcast target while it completes the
            // renegotiation we just answered: ask again for every layer, now and once
            // it has settled.
            self.applied.borrow_mut().clear();
            self.clone().apply_layers();
            gloo_timers::future::TimeoutFuture::new(1_000).await;
            self.applied.borrow_mut().clear();
            self.clone().apply_layers();
        });
    }

    /// One step; `Ok(true)` when it changed something (there may be more to do).
    async fn sync_once(self: Rc<Self>) -> Result<bool, MediaError> {
        let (add, remove) = {
            let feeds = self.feeds.borrow();
            (feeds.to_subscribe(), feeds.to_unsubscribe())
        };
        if !add.is_empty() || !remove.is_empty() {
            trace::log(
                "sfu",
                format_args!("subscribe {add:?}, unsubscribe {remove:?}"),
            );
        }
        let handle = self.subscriber_handle.get();
        let event = if handle == 0 {
            if add.is_empty() {
                return Ok(false);
            }
            let socket = self.socket()?;
            let attached = socket
                .call(
                    "attach",
                    m::attach(self.session.get(), &self.token()),
                    Until::Ack,
                )
                .await?;
            let handle = m::created_id(&attached).unwrap_or(0);
            self.subscriber_handle.set(handle);
            let body = m::join_subscriber(
                &room_access(&self.access.borrow()),
                self.private_id.get(),
                &add,
            );
            self.request(handle, "subscribe", body, None).await?
        } else if !remove.is_empty() {
            self.request(handle, "unsubscribe", m::unsubscribe(&remove), None)
                .await?
        } else if !add.is_empty() {
            self.request(handle, "subscribe", m::subscribe(&add), None)
                .await?
        } else {
            return Ok(false);
        };
        let data = m::plugin_data(&event).cloned().unwrap_or(Value::Null);
        match event.get("jsep") {
            Some(offer) => self.answer_subscription(&data, offer).await?,
            None => self
                .feeds
                .borrow_mut()
                .subscribed(m::subscribed_streams(&data)),
        }
        Ok(true)
    }

    /// Applies a subscriber offer and sends our answer with `start`.
    async fn answer_subscription(
        self: Rc<Self>,
        data: &Value,
        offer: &Value,
    ) -> Result<(), MediaError> {
        if data.get("streams").is_some() {
            self.feeds
                .borrow_mut()
                .subscribed(m::subscribed_streams(data));
        }
        let Some(sdp) = offer.get("sdp").and_then(Value::as_str) else {
            return Ok(());
        };
        let pc = self.subscriber_pc()?;
        let answer = pc.answer(sdp).await?;
        // Tracks that arrived before the stream map was known.
        self.place_all_tracks();
        self.request(
            self.subscriber_handle.get(),
            "start",
            m::start(),
            Some(m::jsep("answer", &answer)),
        )
        .await?;
        self.prune_streams();
        Ok(())
    }

    fn subscriber_pc(self: &Rc<Self>) -> Result<Rc<SubscriberPc>, MediaError> {
        if let Some(pc) = self.subscriber.borrow().clone() {
            return Ok(pc);
        }
        let weak = Rc::downgrade(self);
        let on_track: Rc<dyn Fn(String, MediaStreamTrack)> = Rc::new(move |mid, track| {
            if let Some(sfu) = weak.upgrade() {
                sfu.place_track(&mid, &track);
            }
        });
        let weak = Rc::downgrade(self);
        let on_failed: Rc<dyn Fn()> = Rc::new(move || {
            if let Some(sfu) = weak.upgrade() {
                trace::log("sfu", "subscriber ICE failed");
                sfu.lost();
            }
        });
        let pc = Rc::new(SubscriberPc::new(
            &self.ctx.ice_servers,
            self.trickle_sink(|s| s.subscriber_handle.get()),
            on_track,
            on_failed,
        )?);
        *self.subscriber.borrow_mut() = Some(pc.clone());
        Ok(pc)
    }

    /// Puts a received track into its person's camera or screen stream.
    fn place_track(&self, mid: &str, track: &MediaStreamTrack) {
        let Some((feed, kind, _video)) = self.feeds.borrow().stream_of_mid(mid) else {
            self.pending_tracks
                .borrow_mut()
                .insert(mid.to_string(), track.clone());
            return;
        };
        self.pending_tracks.borrow_mut().remove(mid);
        // An m-line Janus reuses for someone else: take the track out of the old stream.
        let previous = self
            .track_home
            .borrow_mut()
            .insert(mid.to_string(), (feed.clone(), kind));
        if let Some(old) = previous.filter(|old| *old != (feed.clone(), kind)) {
            if let Some(stream) = self.streams.borrow().get(&old) {
                stream.remove_track(track);
            }
        }
        let existing = self.streams.borrow().get(&(feed.clone(), kind)).cloned();
        let stream = match existing {
            Some(s) => s,
            None => {
                let Ok(s) = MediaStream::new() else { return };
                self.streams
                    .borrow_mut()
                    .insert((feed.clone(), kind), s.clone());
                s
            }
        };
        let fresh = stream.get_tracks().length() == 0;
        if !stream.get_tracks().includes(track, 0) {
            stream.add_track(track);
        }
        if track.kind() == "audio" && kind == StreamKind::Camera {
            (self.ctx.on_remote_audio)(&feed, Some(track));
        }
        if fresh {
            trace::log(&feed, format_args!("stream {kind:?} from the SFU"));
            self.ctx.outbox.emit(EngineEvent::PeerStateChanged {
                peer: feed.clone(),
                state: PeerState::Connected,
            });
            self.ctx.outbox.emit(EngineEvent::ParticipantStreamAdded {
                peer: feed,
                kind,
                stream,
            });
            self.ctx.outbox.flush();
        }
    }

    fn place_all_tracks(&self) {
        let pending: Vec<(String, MediaStreamTrack)> = self
            .pending_tracks
            .borrow()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (mid, track) in pending {
            self.place_track(&mid, &track);
        }
    }

    /// Drops the streams of feeds (or screen shares) that are no longer published.
    fn prune_streams(&self) {
        let gone: Vec<(String, StreamKind)> = {
            let feeds = self.feeds.borrow();
            self.streams
                .borrow()
                .keys()
                .filter(|(feed, kind)| !feeds.publishes(feed, *kind))
                .cloned()
                .collect()
        };
        for key in gone {
            self.streams.borrow_mut().remove(&key);
            let (feed, kind) = key;
            if kind == StreamKind::Camera {
                (self.ctx.on_remote_audio)(&feed, None);
                self.stats.borrow_mut().remove(&feed);
            }
            self.ctx.outbox.emit(EngineEvent::ParticipantStreamRemoved {
                peer: feed.clone(),
                kind,
            });
            if !self.feeds.borrow().knows(&feed) {
                self.ctx.outbox.emit(EngineEvent::PeerStateChanged {
                    peer: feed,
                    state: PeerState::Closed,
                });
            }
        }
        self.ctx.outbox.flush();
    }

    // ---- layers -----------------------------------------------------------------------

    /// Asks Janus for the simulcast layer (or pause) each tile wants.
    fn apply_layers(self: Rc<Self>) {
        if self.subscriber_handle.get() == 0 || self.syncing.get() {
            return;
        }
        let changes: Vec<(String, Option<u8>)> = {
            let feeds = self.feeds.borrow();
            let applied = self.applied.borrow();
            self.wanted
                .borrow()
                .iter()
                .filter_map(|(feed, layer)| {
                    let mid = feeds.camera_video_mid(feed)?;
                    let want = layer.map(Layer::substream);
                    (applied.get(&mid) != Some(&want)).then_some((mid, want))
                })
                .collect()
        };
        if changes.is_empty() {
            return;
        }
        spawn_local(async move {
            for (mid, want) in changes {
                let body = m::configure_subscription(&mid, want);
                match self
                    .request(self.subscriber_handle.get(), "configure", body, None)
                    .await
                {
                    Ok(_) => {
                        trace::log("sfu", format_args!("mid {mid}: substream {want:?}"));
                        self.applied.borrow_mut().insert(mid, want);
                    }
                    Err(e) => trace::log("sfu", format_args!("layer change failed: {e:?}")),
                }
            }
        });
    }

    // ---- stats ------------------------------------------------------------------------

    fn poll_stats(self: &Rc<Self>) {
        let sfu = self.clone();
        spawn_local(async move {
            let subscriber = sfu.subscriber.borrow().clone();
            if let Some(pc) = subscriber {
                let entries = pc.stats().await;
                sfu.take_stats(entries);
            }
            let upstream = {
                let publisher = sfu.publisher.borrow();
                publisher.as_ref().map(|p| p.upstream())
            };
            if let Some(upstream) = upstream {
                sfu.upstream.set(upstream.await);
            }
        });
    }

    fn take_stats(&self, entries: Vec<crate::media::stats_report::Entry>) {
        let now = js::now_ms();
        let mut per_feed: HashMap<String, Vec<StatRecord>> = HashMap::new();
        let shared: Vec<StatRecord> = entries
            .iter()
            .filter(|e| !matches!(e.record, StatRecord::InboundRtp { .. }))
            .map(|e| e.record.clone())
            .collect();
        {
            let feeds = self.feeds.borrow();
            for e in entries {
                if let (StatRecord::InboundRtp { .. }, Some(mid)) = (&e.record, &e.mid) {
                    if let Some((feed, StreamKind::Camera, _)) = feeds.stream_of_mid(mid) {
                        per_feed.entry(feed).or_default().push(e.record);
                    }
                }
            }
        }
        for (feed, mut records) in per_feed {
            records.extend(shared.iter().cloned());
            let snapshot = Snapshot::from_records(now, &records);
            let change = self
                .stats
                .borrow_mut()
                .entry(feed.clone())
                .or_default()
                .update(snapshot);
            if let Some(quality) = change {
                self.ctx.outbox.emit(EngineEvent::QualityChanged {
                    peer: feed,
                    quality,
                });
            }
        }
        self.ctx.outbox.flush();
    }

    fn close(&self) {
        if self.closed.replace(true) {
            return;
        }
        self.keepalive.borrow_mut().take();
        if let Some(pc) = self.publisher.borrow_mut().take() {
            pc.close();
        }
        if let Some(pc) = self.subscriber.borrow_mut().take() {
            pc.close();
        }
        if let Some(socket) = self.socket.borrow_mut().take() {
            if self.session.get() != 0 {
                socket.send(m::destroy(self.session.get(), &self.token()));
            }
            socket.close();
        }
        let keys: Vec<(String, StreamKind)> =
            self.streams.borrow_mut().drain().map(|(k, _)| k).collect();
        for (feed, kind) in keys {
            if kind == StreamKind::Camera {
                (self.ctx.on_remote_audio)(&feed, None);
            }
            self.ctx
                .outbox
                .emit(EngineEvent::ParticipantStreamRemoved { peer: feed, kind });
        }
    }
}

impl Transport for JanusTransport {
    /// The SFU tells us who publishes; the roster adds nothing here.
    fn add_participant(&mut self, _id: &str) -> Result<(), MediaError> {
        Ok(())
    }

    fn remove_participant(&mut self, _id: &str) {}

    fn participants(&self) -> Vec<PeerId> {
        self.sfu.feeds.borrow().feeds()
    }

    /// Nothing is signaled between participants: Janus is the only other end.
    fn signal_in(&mut self, _from: &str, _signal: Signal) {}

    fn publish_camera_track(
        &mut self,
        kind: TrackKind,
        track: &MediaStreamTrack,
        stream: &MediaStream,
    ) -> LocalBoxFuture<'static, Result<(), MediaError>> {
        {
            let mut local = self.sfu.local.borrow_mut();
            local.stream = Some(stream.clone());
            match kind {
                TrackKind::Audio => local.audio = Some(track.clone()),
                TrackKind::Video => local.video = Some(track.clone()),
            }
        }
        // Deferred, so the audio and video published together land in one offer.
        let sfu = self.sfu.clone();
        spawn_local(async move { sfu.negotiate() });
        async { Ok(()) }.boxed_local()
    }

    fn publish_screen(&mut self, screen: Option<(&MediaStream, &MediaStreamTrack)>) {
        self.sfu.local.borrow_mut().screen = screen.map(|(s, t)| (s.clone(), t.clone()));
        self.sfu.clone().negotiate();
    }

    fn peer_state(&self, id: &str) -> Option<PeerState> {
        let has_stream = self
            .sfu
            .streams
            .borrow()
            .contains_key(&(id.to_string(), StreamKind::Camera));
        self.sfu.feeds.borrow().knows(id).then_some(if has_stream {
            PeerState::Connected
        } else {
            PeerState::Connecting
        })
    }

    fn peer_stats(&self, id: &str) -> Option<PeerStats> {
        self.sfu.stats.borrow().get(id).map(StatsTracker::latest)
    }

    fn poll_stats(&self) {
        self.sfu.poll_stats();
    }

    fn set_receive_layer(&mut self, id: &str, layer: Option<Layer>) {
        trace::log(id, format_args!("wants {layer:?}"));
        let changed = self.sfu.wanted.borrow_mut().insert(id.to_string(), layer) != Some(layer);
        if changed {
            self.sfu.clone().apply_layers();
        }
    }

    fn upstream(&self) -> Option<Upstream> {
        Some(self.sfu.upstream.get())
    }

    fn close(&mut self) {
        self.sfu.close();
    }
}
