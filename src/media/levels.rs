//! Audio-level glue: one WebAudio `AnalyserNode` per audio track (local mic and each
//! remote participant), polled every [`LEVEL_POLL_MS`]; RMS values feed the pure
//! [`SpeakerDetector`].

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Interval;
use web_sys::{
    AnalyserNode, AudioContext, MediaStream, MediaStreamAudioSourceNode, MediaStreamTrack,
};

use super::events::{EngineEvent, Outbox};
use super::js;
use super::speaker::{rms, SpeakerDetector};
use super::types::SpeakerId;

pub const LEVEL_POLL_MS: u32 = 100;
const FFT_SIZE: u32 = 512;

struct Source {
    node: MediaStreamAudioSourceNode,
    analyser: AnalyserNode,
    buf: Vec<f32>,
}

pub struct AudioLevels {
    outbox: Rc<Outbox>,
    ctx: RefCell<Option<AudioContext>>,
    sources: RefCell<HashMap<SpeakerId, Source>>,
    detector: RefCell<SpeakerDetector>,
    interval: RefCell<Option<Interval>>,
}

impl AudioLevels {
    pub fn new(outbox: Rc<Outbox>) -> Rc<AudioLevels> {
        Rc::new(AudioLevels {
            outbox,
            ctx: RefCell::new(None),
            sources: RefCell::new(HashMap::new()),
            detector: RefCell::new(SpeakerDetector::default()),
            interval: RefCell::new(None),
        })
    }

    fn context(&self) -> Option<AudioContext> {
        let mut ctx = self.ctx.borrow_mut();
        if ctx.is_none() {
            *ctx = AudioContext::new().ok();
        }
        ctx.clone()
    }

    /// Resume the AudioContext (autoplay policy: call from a user gesture, e.g. the
    /// "Join" click). Harmless when already running.
    pub fn resume(&self) {
        if let Some(ctx) = self.context() {
            let _ = ctx.resume();
        }
    }

    /// Start measuring `track` as `id` (replacing a previous track for that id).
    pub fn attach(self: &Rc<Self>, id: SpeakerId, track: &MediaStreamTrack) {
        self.detach_quiet(&id);
        let Some(ctx) = self.context() else { return };
        // A stream holding just this track, so later tracks of the same stream
        // (video, screen) never matter.
        let tracks: js_sys::Array = std::iter::once(track.clone()).collect();
        let Ok(stream) = MediaStream::new_with_tracks(&tracks) else {
            return;
        };
        let (Ok(node), Ok(analyser)) = (
            ctx.create_media_stream_source(&stream),
            ctx.create_analyser(),
        ) else {
            return;
        };
        analyser.set_fft_size(FFT_SIZE);
        if node.connect_with_audio_node(&analyser).is_err() {
            return;
        }
        // Analyser is not connected to the destination: we measure, never play.
        self.sources.borrow_mut().insert(
            id,
            Source {
                node,
                analyser,
                buf: vec![0.0; FFT_SIZE as usize],
            },
        );
        self.ensure_polling();
    }

    fn detach_quiet(&self, id: &SpeakerId) {
        if let Some(s) = self.sources.borrow_mut().remove(id) {
            let _ = s.node.disconnect();
        }
    }

    pub fn detach(&self, id: &SpeakerId) {
        self.detach_quiet(id);
        let change = self.detector.borrow_mut().remove(id);
        if let Some(speaker) = change {
            self.outbox
                .emit(EngineEvent::ActiveSpeakerChanged { speaker });
        }
    }

    pub fn active(&self) -> Option<SpeakerId> {
        self.detector.borrow().active().cloned()
    }

    fn ensure_polling(self: &Rc<Self>) {
        if self.interval.borrow().is_some() {
            return;
        }
        let weak: Weak<AudioLevels> = Rc::downgrade(self);
        let interval = Interval::new(LEVEL_POLL_MS, move || {
            if let Some(me) = weak.upgrade() {
                me.tick();
                me.outbox.flush();
            }
        });
        *self.interval.borrow_mut() = Some(interval);
    }

    fn tick(&self) {
        let samples: Vec<(SpeakerId, f32)> = {
            let mut sources = self.sources.borrow_mut();
            sources
                .iter_mut()
                .map(|(id, s)| {
                    s.analyser.get_float_time_domain_data(&mut s.buf);
                    (id.clone(), rms(&s.buf))
                })
                .collect()
        };
        if samples.is_empty() {
            return;
        }
        let change = self.detector.borrow_mut().update(js::now_ms(), &samples);
        if let Some(speaker) = change {
            self.outbox
                .emit(EngineEvent::ActiveSpeakerChanged { speaker });
        }
    }

    pub fn close(&self) {
        if let Some(i) = self.interval.borrow_mut().take() {
            js::defer_drop(i);
        }
        for (_, s) in self.sources.borrow_mut().drain() {
            let _ = s.node.disconnect();
        }
        if let Some(ctx) = self.ctx.borrow_mut().take() {
            let _ = ctx.close();
        }
    }
}
