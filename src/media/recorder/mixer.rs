//! Mixes every participant's audio into one track: one `AudioContext`, a source node
//! per stream, all connected to a `MediaStreamAudioDestinationNode`.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::JsCast;
use web_sys::{
    AudioContext, MediaStream, MediaStreamAudioDestinationNode, MediaStreamAudioSourceNode,
    MediaStreamTrack,
};

use super::RecorderError;

pub struct Mixer {
    ctx: AudioContext,
    dest: MediaStreamAudioDestinationNode,
    /// Keyed by stream id + audio track id: a replaced microphone track is a new source.
    sources: RefCell<HashMap<String, MediaStreamAudioSourceNode>>,
}

fn key(stream: &MediaStream) -> Option<String> {
    let track: MediaStreamTrack = stream.get_audio_tracks().get(0).dyn_into().ok()?;
    Some(format!("{}/{}", stream.id(), track.id()))
}

impl Mixer {
    pub fn new() -> Result<Mixer, RecorderError> {
        let ctx = AudioContext::new().map_err(|_| RecorderError::Unsupported)?;
        let dest = ctx
            .create_media_stream_destination()
            .map_err(|e| RecorderError::Failed(crate::media::js::error_text(&e)))?;
        Ok(Mixer {
            ctx,
            dest,
            sources: RefCell::new(HashMap::new()),
        })
    }

    /// The mixed audio track (to record).
    pub fn track(&self) -> Option<MediaStreamTrack> {
        self.dest.stream().get_audio_tracks().get(0).dyn_into().ok()
    }

    /// Everyone who should be heard now; sources not listed are disconnected.
    pub fn set_sources(&self, streams: &[MediaStream]) {
        let mut sources = self.sources.borrow_mut();
        let wanted: HashMap<String, &MediaStream> = streams
            .iter()
            .filter_map(|s| key(s).map(|k| (k, s)))
            .collect();
        sources.retain(|k, node| {
            let keep = wanted.contains_key(k);
            if !keep {
                let _ = node.disconnect();
            }
            keep
        });
        for (k, stream) in wanted {
            if sources.contains_key(&k) {
                continue;
            }
            if let Ok(node) = self.ctx.create_media_stream_source(stream) {
                if node.connect_with_audio_node(&self.dest).is_ok() {
                    sources.insert(k, node);
                }
            }
        }
    }

    pub fn resume(&self) {
        let _ = self.ctx.resume();
    }

    pub fn close(&self) {
        for (_, node) in self.sources.borrow_mut().drain() {
            let _ = node.disconnect();
        }
        let _ = self.ctx.close();
    }
}

impl Drop for Mixer {
    fn drop(&mut self) {
        self.close();
    }
}
