//! Which remote `MediaStream` is a participant's camera and which is the screen share.
//! Pure: stream ids in, added/removed changes out.
//!
//! The sender announces its screen stream id ([`Signal::ScreenShare`]) before the
//! renegotiation that carries the track, so normally the first track of that stream is
//! classified right away. Without an announcement, the first stream seen is the
//! camera and any other stream is the screen; a late announcement re-classifies.
//!
//! [`Signal::ScreenShare`]: super::types::Signal::ScreenShare

use super::types::StreamKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamChange {
    Added { kind: StreamKind, stream_id: String },
    Removed { kind: StreamKind, stream_id: String },
}

#[derive(Debug, Default)]
pub struct RemoteStreams {
    camera: Option<String>,
    screen: Option<String>,
    announced_screen: Option<String>,
}

impl RemoteStreams {
    pub fn kind_of(&self, stream_id: &str) -> Option<StreamKind> {
        if self.camera.as_deref() == Some(stream_id) {
            Some(StreamKind::Camera)
        } else if self.screen.as_deref() == Some(stream_id) {
            Some(StreamKind::Screen)
        } else {
            None
        }
    }

    pub fn stream_id(&self, kind: StreamKind) -> Option<&str> {
        match kind {
            StreamKind::Camera => self.camera.as_deref(),
            StreamKind::Screen => self.screen.as_deref(),
        }
    }

    fn set_screen(&mut self, id: String, out: &mut Vec<StreamChange>) {
        if let Some(old) = self.screen.take() {
            out.push(StreamChange::Removed {
                kind: StreamKind::Screen,
                stream_id: old,
            });
        }
        self.screen = Some(id.clone());
        out.push(StreamChange::Added {
            kind: StreamKind::Screen,
            stream_id: id,
        });
    }

    /// A remote track arrived as part of `stream_id`.
    pub fn track_added(&mut self, stream_id: &str) -> Vec<StreamChange> {
        let mut out = Vec::new();
        if self.kind_of(stream_id).is_some() {
            return out;
        }
        if self.announced_screen.as_deref() == Some(stream_id) || self.camera.is_some() {
            self.set_screen(stream_id.to_string(), &mut out);
        } else {
            self.camera = Some(stream_id.to_string());
            out.push(StreamChange::Added {
                kind: StreamKind::Camera,
                stream_id: stream_id.into(),
            });
        }
        out
    }

    /// The remote announced (or withdrew) its screen stream.
    pub fn announce_screen(&mut self, stream_id: Option<String>) -> Vec<StreamChange> {
        let mut out = Vec::new();
        self.announced_screen = stream_id.clone();
        match stream_id {
            Some(id) => {
                if self.camera.as_deref() == Some(id.as_str()) {
                    // We guessed wrong: it was the screen all along.
                    self.camera = None;
                    out.push(StreamChange::Removed {
                        kind: StreamKind::Camera,
                        stream_id: id.clone(),
                    });
                    self.set_screen(id, &mut out);
                }
            }
            None => {
                if let Some(old) = self.screen.take() {
                    out.push(StreamChange::Removed {
                        kind: StreamKind::Screen,
                        stream_id: old,
                    });
                }
            }
        }
        out
    }

    /// The stream lost its last track (`removetrack`), or the peer went away.
    pub fn stream_ended(&mut self, stream_id: &str) -> Vec<StreamChange> {
        match self.kind_of(stream_id) {
            Some(StreamKind::Camera) => {
                self.camera = None;
                vec![StreamChange::Removed {
                    kind: StreamKind::Camera,
                    stream_id: stream_id.into(),
                }]
            }
            Some(StreamKind::Screen) => {
                self.screen = None;
                vec![StreamChange::Removed {
                    kind: StreamKind::Screen,
                    stream_id: stream_id.into(),
                }]
            }
            None => Vec::new(),
        }
    }

    /// Everything still present, as removals (teardown).
    pub fn clear(&mut self) -> Vec<StreamChange> {
        let mut out = Vec::new();
        if let Some(id) = self.camera.take() {
            out.push(StreamChange::Removed {
                kind: StreamKind::Camera,
                stream_id: id,
            });
        }
        if let Some(id) = self.screen.take() {
            out.push(StreamChange::Removed {
                kind: StreamKind::Screen,
                stream_id: id,
            });
        }
        self.announced_screen = None;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(kind: StreamKind, id: &str) -> StreamChange {
        StreamChange::Added {
            kind,
            stream_id: id.into(),
        }
    }
    fn removed(kind: StreamKind, id: &str) -> StreamChange {
        StreamChange::Removed {
            kind,
            stream_id: id.into(),
        }
    }

    #[test]
    fn camera_then_announced_screen() {
        let mut r = RemoteStreams::default();
        assert_eq!(r.track_added("cam"), vec![added(StreamKind::Camera, "cam")]);
        assert!(
            r.track_added("cam").is_empty(),
            "second track of the same stream"
        );
        assert!(r.announce_screen(Some("scr".into())).is_empty());
        assert_eq!(r.track_added("scr"), vec![added(StreamKind::Screen, "scr")]);
        assert_eq!(
            r.announce_screen(None),
            vec![removed(StreamKind::Screen, "scr")]
        );
    }

    #[test]
    fn screen_before_camera_when_announced() {
        let mut r = RemoteStreams::default();
        r.announce_screen(Some("scr".into()));
        assert_eq!(r.track_added("scr"), vec![added(StreamKind::Screen, "scr")]);
        assert_eq!(r.track_added("cam"), vec![added(StreamKind::Camera, "cam")]);
    }

    #[test]
    fn late_announcement_reclassifies() {
        let mut r = RemoteStreams::default();
        r.track_added("scr");
        assert_eq!(
            r.announce_screen(Some("scr".into())),
            vec![
                removed(StreamKind::Camera, "scr"),
                added(StreamKind::Screen, "scr")
            ]
        );
        assert_eq!(r.track_added("cam"), vec![added(StreamKind::Camera, "cam")]);
    }

    #[test]
    fn unannounced_second_stream_is_screen_and_ending_removes() {
        let mut r = RemoteStreams::default();
        r.track_added("cam");
        assert_eq!(r.track_added("x"), vec![added(StreamKind::Screen, "x")]);
        assert_eq!(r.stream_ended("x"), vec![removed(StreamKind::Screen, "x")]);
        assert!(r.stream_ended("x").is_empty());
        assert_eq!(r.clear(), vec![removed(StreamKind::Camera, "cam")]);
    }

    #[test]
    fn new_screen_replaces_old() {
        let mut r = RemoteStreams::default();
        r.track_added("cam");
        r.announce_screen(Some("s1".into()));
        r.track_added("s1");
        r.announce_screen(Some("s2".into()));
        assert_eq!(
            r.track_added("s2"),
            vec![
                removed(StreamKind::Screen, "s1"),
                added(StreamKind::Screen, "s2")
            ]
        );
    }
}
