//! Our one downstream connection from the SFU: every remote stream we receive rides
//! it (Janus multistream), one m-line each, told apart by mid.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RtcPeerConnection, RtcSdpType, RtcSessionDescriptionInit, RtcTrackEvent};

use super::publisher::{peer_connection, CandidateSink};
use crate::media::error::MediaError;
use crate::media::js;
use crate::media::stats_report::{self, Entry};
use crate::media::types::IceServer;

pub struct SubscriberPc {
    pc: RtcPeerConnection,
    _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

impl SubscriberPc {
    /// `on_track` gets each remote track with its m-line's mid; `on_failed` when ICE
    /// fails for good.
    pub fn new(
        ice: &[IceServer],
        sink: CandidateSink,
        on_track: Rc<dyn Fn(String, web_sys::MediaStreamTrack)>,
        on_failed: Rc<dyn Fn()>,
    ) -> Result<SubscriberPc, MediaError> {
        let (pc, on_candidate) = peer_connection(ice, sink)?;
        let track = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
            let ev: RtcTrackEvent = ev.unchecked_into();
            if let Some(mid) = ev.transceiver().mid() {
                on_track(mid, ev.track());
            }
        });
        pc.set_ontrack(Some(track.as_ref().unchecked_ref()));
        let watched = pc.clone();
        let state = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            if watched.ice_connection_state() == web_sys::RtcIceConnectionState::Failed {
                on_failed();
            }
        });
        pc.set_oniceconnectionstatechange(Some(state.as_ref().unchecked_ref()));
        Ok(SubscriberPc {
            pc,
            _handlers: vec![on_candidate, track, state],
        })
    }

    /// Applies Janus's offer and returns our answer.
    pub async fn answer(&self, offer: &str) -> Result<String, MediaError> {
        let init = RtcSessionDescriptionInit::new(RtcSdpType::Offer);
        init.set_sdp(offer);
        JsFuture::from(self.pc.set_remote_description(&init))
            .await
            .map_err(|e| js::webrtc_error("setRemoteDescription", &e))?;
        let answer = JsFuture::from(self.pc.create_answer())
            .await
            .map_err(|e| js::webrtc_error("createAnswer", &e))?;
        JsFuture::from(self.pc.set_local_description(answer.unchecked_ref()))
            .await
            .map_err(|e| js::webrtc_error("setLocalDescription", &e))?;
        Ok(self
            .pc
            .local_description()
            .map(|d| d.sdp())
            .unwrap_or_default())
    }

    pub async fn stats(&self) -> Vec<Entry> {
        match JsFuture::from(self.pc.get_stats()).await {
            Ok(report) => stats_report::entries(&report),
            Err(_) => Vec::new(),
        }
    }

    pub fn close(&self) {
        self.pc.set_onicecandidate(None);
        self.pc.set_ontrack(None);
        self.pc.set_oniceconnectionstatechange(None);
        self.pc.close();
    }
}
