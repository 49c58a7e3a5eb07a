//! Events out of the engine, and the outbox that delivers them (and signals).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use web_sys::MediaStream;

use super::error::MediaError;
use super::types::{
    DeviceList, PeerId, PeerState, Quality, Signal, SignalOut, SpeakerId, StreamKind,
};

/// Everything the UI needs to react to. `MediaStream`s are browser handles to attach
/// to `<video>`/`<audio>` elements via `srcObject`.
#[derive(Debug, Clone)]
pub enum EngineEvent {
    /// The local camera/mic stream was (re)created (start, switch). Attach it to the
    /// self-view. `has_video` is false after the audio-only fallback.
    LocalStreamChanged {
        stream: MediaStream,
        has_audio: bool,
        has_video: bool,
    },
    /// Local screen sharing started (for a local preview).
    ScreenShareStarted {
        stream: MediaStream,
    },
    /// Local screen sharing stopped; `by_browser` when the user used the browser's
    /// own "Stop sharing" button (or the captured window closed).
    ScreenShareEnded {
        by_browser: bool,
    },
    ParticipantStreamAdded {
        peer: PeerId,
        kind: StreamKind,
        stream: MediaStream,
    },
    ParticipantStreamRemoved {
        peer: PeerId,
        kind: StreamKind,
    },
    PeerStateChanged {
        peer: PeerId,
        state: PeerState,
    },
    QualityChanged {
        peer: PeerId,
        quality: Quality,
    },
    /// `None` when the active speaker left.
    ActiveSpeakerChanged {
        speaker: Option<SpeakerId>,
    },
    DevicesChanged(DeviceList),
    /// The SFU connection changed state (SFU transport only).
    SfuStateChanged {
        state: super::janus::SfuState,
    },
    /// Something went wrong; `error.message()` is user-facing text. `peer` is set for
    /// per-connection problems.
    Error {
        peer: Option<PeerId>,
        error: MediaError,
    },
}

type EventCallback = Rc<dyn Fn(EngineEvent)>;
type SignalCallback = Rc<dyn Fn(SignalOut)>;

/// Queues events and signals; delivers them to callbacks when set, otherwise keeps
/// them for `drain_*`. Delivery ([`Outbox::flush`]) happens only when no engine
/// state is borrowed, so callbacks may call back into the engine.
#[derive(Default)]
pub struct Outbox {
    events: RefCell<VecDeque<EngineEvent>>,
    signals: RefCell<VecDeque<SignalOut>>,
    on_event: RefCell<Option<EventCallback>>,
    on_signal: RefCell<Option<SignalCallback>>,
    flushing: Cell<bool>,
}

impl Outbox {
    pub fn emit(&self, event: EngineEvent) {
        self.events.borrow_mut().push_back(event);
    }

    pub fn error(&self, peer: Option<&str>, error: MediaError) {
        self.emit(EngineEvent::Error {
            peer: peer.map(str::to_string),
            error,
        });
    }

    pub fn signal(&self, to: &str, payload: Signal) {
        self.signals.borrow_mut().push_back(SignalOut {
            to: to.to_string(),
            payload,
        });
    }

    pub fn set_on_event(&self, cb: Option<EventCallback>) {
        *self.on_event.borrow_mut() = cb;
    }

    pub fn set_on_signal(&self, cb: Option<SignalCallback>) {
        *self.on_signal.borrow_mut() = cb;
    }

    pub fn drain_events(&self) -> Vec<EngineEvent> {
        self.events.borrow_mut().drain(..).collect()
    }

    pub fn drain_signals(&self) -> Vec<SignalOut> {
        self.signals.borrow_mut().drain(..).collect()
    }

    /// Hands queued items to the callbacks (signals first, so an offer is on its way
    /// before the UI reacts to the event that caused it).
    pub fn flush(&self) {
        if self.flushing.replace(true) {
            return; // a callback re-entered; the outer loop delivers the rest
        }
        loop {
            let sig_cb = self.on_signal.borrow().clone();
            if let Some(cb) = sig_cb {
                let next = self.signals.borrow_mut().pop_front();
                if let Some(s) = next {
                    cb(s);
                    continue;
                }
            }
            let ev_cb = self.on_event.borrow().clone();
            if let Some(cb) = ev_cb {
                let next = self.events.borrow_mut().pop_front();
                if let Some(e) = next {
                    cb(e);
                    continue;
                }
            }
            break;
        }
        self.flushing.set(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_without_callbacks_and_delivers_with_them() {
        let o = Rc::new(Outbox::default());
        o.signal("p", Signal::IceRestartRequest);
        o.emit(EngineEvent::ActiveSpeakerChanged { speaker: None });
        o.flush();
        assert_eq!(o.drain_signals().len(), 1);
        let got = Rc::new(RefCell::new(Vec::new()));
        let g = got.clone();
        let o2 = o.clone();
        o.set_on_event(Some(Rc::new(move |e| {
            g.borrow_mut().push(format!("{e:?}"));
            // Re-entrant use must not panic or reorder.
            o2.flush();
        })));
        o.emit(EngineEvent::ActiveSpeakerChanged {
            speaker: Some(SpeakerId::Local),
        });
        o.flush();
        assert_eq!(got.borrow().len(), 2);
        assert!(o.drain_events().is_empty());
    }
}
