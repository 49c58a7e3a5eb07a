//! Our one upstream connection to the SFU: the camera as one simulcast video stream
//! (three layers, whatever the meeting size), the microphone, and a screen share as
//! its own full-resolution stream while sharing.

use js_sys::{Array, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    MediaStream, MediaStreamTrack, RtcPeerConnection, RtcPeerConnectionIceEvent, RtcRtpTransceiver,
    RtcRtpTransceiverDirection, RtcRtpTransceiverInit, RtcSdpType, RtcSessionDescriptionInit,
};

use super::messages::{CAMERA_DESCRIPTION, SCREEN_DESCRIPTION};
use crate::media::error::MediaError;
use crate::media::js;
use crate::media::mesh::rtc_configuration;
use crate::media::stats::{MediaKind, StatRecord};
use crate::media::stats_report;
use crate::media::transport::TrackKind;
use crate::media::types::IceServer;

/// Simulcast layers, highest first: Janus takes the first rid in the SDP as the top
/// layer. Bitrates keep the three together under ~1.9 Mbit/s.
const LAYERS: [(&str, f64, u32); 3] = [
    ("h", 1.0, 1_200_000),
    ("m", 2.0, 500_000),
    ("l", 4.0, 150_000),
];

/// What we send, read from `getStats` (the tests check that a browser sends one
/// simulcast camera stream whatever the meeting size).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Upstream {
    /// Camera video m-lines we send on (1 through an SFU).
    pub video_streams: u32,
    /// Simulcast encodings on them that have sent bytes.
    pub layers: u32,
}

pub type CandidateSink = Box<dyn Fn(Option<Value>)>;
/// A browser event handler we must keep alive as long as its connection.
pub type JsHandler = Closure<dyn FnMut(JsValue)>;

pub struct PublisherPc {
    pc: RtcPeerConnection,
    audio: Option<RtcRtpTransceiver>,
    video: Option<RtcRtpTransceiver>,
    screen: Option<RtcRtpTransceiver>,
    _on_candidate: JsHandler,
}

pub fn candidate_json(ev: &RtcPeerConnectionIceEvent) -> Option<Value> {
    let c = ev.candidate()?;
    Some(serde_json::json!({
        "candidate": c.candidate(),
        "sdpMid": c.sdp_mid(),
        "sdpMLineIndex": c.sdp_m_line_index(),
    }))
}

/// A peer connection that trickles its candidates to `sink` (`None`: gathering done).
pub fn peer_connection(
    ice: &[IceServer],
    sink: CandidateSink,
) -> Result<(RtcPeerConnection, JsHandler), MediaError> {
    let pc = RtcPeerConnection::new_with_configuration(&rtc_configuration(ice)).map_err(|e| {
        MediaError::NotSupported(format!("RTCPeerConnection: {}", js::error_text(&e)))
    })?;
    let on_candidate = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let ev: RtcPeerConnectionIceEvent = ev.unchecked_into();
        sink(candidate_json(&ev));
    });
    pc.set_onicecandidate(Some(on_candidate.as_ref().unchecked_ref()));
    Ok((pc, on_candidate))
}

fn send_only() -> RtcRtpTransceiverInit {
    let init = RtcRtpTransceiverInit::new();
    init.set_direction(RtcRtpTransceiverDirection::Sendonly);
    init
}

fn simulcast_encodings() -> Array {
    LAYERS
        .iter()
        .map(|(rid, scale, bitrate)| {
            let e = Object::new();
            let _ = Reflect::set(&e, &"rid".into(), &(*rid).into());
            let _ = Reflect::set(&e, &"scaleResolutionDownBy".into(), &(*scale).into());
            let _ = Reflect::set(&e, &"maxBitrate".into(), &(*bitrate).into());
            JsValue::from(e)
        })
        .collect()
}

fn with_stream(init: &RtcRtpTransceiverInit, stream: &MediaStream) {
    let streams = Array::of1(stream);
    js::set(init, "streams", &streams);
}

impl PublisherPc {
    pub fn new(ice: &[IceServer], sink: CandidateSink) -> Result<PublisherPc, MediaError> {
        let (pc, on_candidate) = peer_connection(ice, sink)?;
        Ok(PublisherPc {
            pc,
            audio: None,
            video: None,
            screen: None,
            _on_candidate: on_candidate,
        })
    }

    fn slot(&mut self, kind: TrackKind) -> &mut Option<RtcRtpTransceiver> {
        match kind {
            TrackKind::Audio => &mut self.audio,
            TrackKind::Video => &mut self.video,
        }
    }

    /// Sends `track`: in place when we already send that kind (no renegotiation,
    /// returns the `replaceTrack` promise), otherwise as a new m-line (returns `None`:
    /// the caller renegotiates).
    pub fn set_camera_track(
        &mut self,
        kind: TrackKind,
        track: &MediaStreamTrack,
        stream: &MediaStream,
    ) -> Option<js_sys::Promise> {
        if let Some(t) = self.slot(kind) {
            return Some(t.sender().replace_track(Some(track)));
        }
        let init = send_only();
        with_stream(&init, stream);
        if kind == TrackKind::Video {
            js::set(&init, "sendEncodings", &simulcast_encodings());
        }
        let transceiver = self
            .pc
            .add_transceiver_with_media_stream_track_and_init(track, &init);
        *self.slot(kind) = Some(transceiver);
        None
    }

    /// Adds (or, with `None`, stops) the screen-share stream; renegotiate after.
    pub fn set_screen(&mut self, screen: Option<(&MediaStream, &MediaStreamTrack)>) {
        let current = self.screen.as_ref().and_then(|t| t.sender().track());
        if current.as_ref().map(MediaStreamTrack::id) == screen.map(|(_, t)| t.id()) {
            return;
        }
        if let Some(old) = self.screen.take() {
            let _ = old.sender().replace_track(None);
            let _ = js::call(&old, "stop", &[]);
        }
        if let Some((stream, track)) = screen {
            let init = send_only();
            with_stream(&init, stream);
            self.screen = Some(
                self.pc
                    .add_transceiver_with_media_stream_track_and_init(track, &init),
            );
        }
    }

    pub fn has_media(&self) -> bool {
        self.audio.is_some() || self.video.is_some() || self.screen.is_some()
    }

    /// What each of our m-lines is, for Janus's `descriptions`.
    pub fn descriptions(&self) -> Vec<(String, &'static str)> {
        [
            (&self.audio, CAMERA_DESCRIPTION),
            (&self.video, CAMERA_DESCRIPTION),
            (&self.screen, SCREEN_DESCRIPTION),
        ]
        .into_iter()
        .filter_map(|(t, d)| Some((t.as_ref()?.mid()?, d)))
        .collect()
    }

    /// Our offer, set as the local description. Owns what it needs, so no borrow of
    /// `self` is held across the await.
    pub fn create_offer(&self) -> impl std::future::Future<Output = Result<String, MediaError>> {
        let pc = self.pc.clone();
        async move {
            let offer = JsFuture::from(pc.create_offer())
                .await
                .map_err(|e| js::webrtc_error("createOffer", &e))?;
            JsFuture::from(pc.set_local_description(offer.unchecked_ref()))
                .await
                .map_err(|e| js::webrtc_error("setLocalDescription", &e))?;
            Ok(pc.local_description().map(|d| d.sdp()).unwrap_or_default())
        }
    }

    pub fn accept_answer(
        &self,
        sdp: &str,
    ) -> impl std::future::Future<Output = Result<(), MediaError>> {
        let pc = self.pc.clone();
        let init = RtcSessionDescriptionInit::new(RtcSdpType::Answer);
        init.set_sdp(sdp);
        async move {
            JsFuture::from(pc.set_remote_description(&init))
                .await
                .map_err(|e| js::webrtc_error("setRemoteDescription", &e))?;
            Ok(())
        }
    }

    pub fn upstream(&self) -> impl std::future::Future<Output = Upstream> {
        let pc = self.pc.clone();
        let camera = self.video.as_ref().and_then(RtcRtpTransceiver::mid);
        let screen = self.screen.as_ref().and_then(RtcRtpTransceiver::mid);
        async move { read_upstream(&pc, camera, screen).await }
    }

    pub fn close(&self) {
        self.pc.set_onicecandidate(None);
        self.pc.close();
    }
}

async fn read_upstream(
    pc: &RtcPeerConnection,
    camera: Option<String>,
    screen: Option<String>,
) -> Upstream {
    {
        let Ok(report) = JsFuture::from(pc.get_stats()).await else {
            return Upstream::default();
        };
        let mut mids = std::collections::BTreeSet::new();
        let mut layers = 0;
        for e in stats_report::entries(&report) {
            if let StatRecord::OutboundRtp {
                kind: MediaKind::Video,
                bytes_sent,
            } = e.record
            {
                if e.mid.is_some() && e.mid == screen {
                    continue;
                }
                if e.mid.is_some() && e.mid == camera && bytes_sent > 0 {
                    layers += 1;
                }
                mids.insert(e.mid.unwrap_or_default());
            }
        }
        Upstream {
            video_streams: mids.len() as u32,
            layers,
        }
    }
}
