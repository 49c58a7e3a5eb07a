//! Browser media engine: camera/mic/screen capture, WebRTC peer connections, active
//! speaker and connection quality — a library with no UI types, driven through
//! web-sys. The meeting UI and the server signaling are built on top of it.
//!
//! # Layers
//!
//! * **Pure logic** (no web-sys, unit-tested natively): [`types`] (ids, [`Signal`],
//!   states, devices), [`error`] (DOMException names → [`MediaError`] with user text),
//!   [`negotiation`] (perfect negotiation), [`monitor`] + [`backoff`] (ICE state →
//!   [`PeerState`], reconnect timers, phased ICE restarts), [`stats`] (bitrate, loss,
//!   RTT → [`Quality`]), [`speaker`] (RMS → smoothed levels → active speaker with
//!   hysteresis), [`streams`] (which remote stream is camera vs. screen).
//!   Each is a state machine: inputs in, outputs queued for the caller to drain.
//! * **Glue** (thin, web-sys): [`devices`] (getUserMedia, getDisplayMedia,
//!   enumerateDevices, devicechange, setSinkId), [`levels`] (WebAudio analysers),
//!   [`mesh`] (one `RTCPeerConnection` per participant, executing what the machines
//!   decide), [`events`] (the outbox).
//! * **Topology seam**: [`transport::Transport`]; [`mesh::Mesh`] is the full-mesh
//!   implementation (≤ 8 people), [`janus::JanusTransport`] the SFU one (given to
//!   [`MediaEngine::with_transport`]); the UI-facing API is the same over both.
//! * **Façade**: [`MediaEngine`], in participants, streams and events only.
//!
//! # Flow
//!
//! ```text
//!  UI ──calls──▶ MediaEngine ──▶ Transport (Mesh) ──▶ PeerLink ──▶ RTCPeerConnection
//!                    │                                  ▲   │
//!                    │             browser events ──────┘   ▼ pure machines decide
//!                    ▼
//!               Outbox ──▶ on_signal(SignalOut)  ─▶ app relays to `to` via its server
//!                      └─▶ on_event(EngineEvent) ─▶ UI updates
//!  server ──▶ app ──▶ engine.signal_in(from, Signal)
//! ```
//!
//! Signals must be relayed unchanged and in order per pair of participants. Outputs
//! are delivered only when no engine state is borrowed, so callbacks may call the
//! engine again.
//!
//! # Using it from the UI
//!
//! ```ignore
//! let engine = MediaEngine::new(ice_servers_from_config, my_connection_id);
//! engine.on_signal(move |out| ws.send(to_wire(out.to, out.payload)));
//! engine.on_event(move |ev| match ev { /* set Leptos signals */ _ => {} });
//! engine.start_local(LocalConstraints::default()).await?;   // from the Join click
//! for p in roster { engine.add_peer(&p)?; }                   // and on joins
//! // on every signaling message: engine.signal_in(&from, signal_from_wire(msg));
//! // on leave: engine.remove_peer(&p); on hang-up: engine.close();
//! ```
//!
//! Attach `ParticipantStreamAdded` streams to `<video autoplay playsinline>` (camera
//! streams carry the audio too); `peer_stats(id)` has the latest numbers (incl.
//! `frames_decoded`).
//!
//! Decisions: mute and camera-off set `track.enabled = false` (the sender stays, no
//! renegotiation, instant to undo; browsers may keep the camera light on). The
//! engine announces its screen stream id itself ([`Signal::ScreenShare`]) before
//! renegotiating; the app only relays it. Offers from a participant not yet added
//! create that participant (offers can overtake roster updates).

// The meeting UI will use this engine (and its re-exports); until it lands nothing
// calls into it.
#![allow(dead_code, unused_imports)]

pub mod backoff;
pub mod devices;
pub mod engine;
pub mod error;
pub mod events;
pub mod janus;
mod js;
pub mod levels;
pub mod mesh;
pub mod monitor;
pub mod negotiation;
pub mod recorder;
pub mod speaker;
pub mod stats;
pub mod stats_report;
pub mod streams;
pub mod trace;
pub mod transport;
pub mod types;

pub use engine::{LocalMedia, MediaEngine, STATS_INTERVAL_MS};
pub use error::{Capture, MediaError};
pub use events::EngineEvent;
pub use mesh::MAX_PARTICIPANTS;
pub use stats::PeerStats;
pub use transport::{Transport, TransportContext};
pub use types::{
    DeviceKind, DeviceList, IceCandidate, IceServer, LocalConstraints, MediaDevice, PeerId,
    PeerState, Quality, SdpKind, Signal, SignalOut, SpeakerId, StreamKind,
};
