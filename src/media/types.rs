//! Plain data shared by every layer: ids, signals, states, devices. No web-sys types.

/// Opaque id of a remote participant (or of one connection to it). The app decides
/// what it is; the engine only compares and clones it.
pub type PeerId = String;

/// The two kinds of session description the engine exchanges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdpKind {
    Offer,
    Answer,
}

impl SdpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SdpKind::Offer => "offer",
            SdpKind::Answer => "answer",
        }
    }

    pub fn parse(s: &str) -> Option<SdpKind> {
        match s {
            "offer" => Some(SdpKind::Offer),
            "answer" => Some(SdpKind::Answer),
            _ => None,
        }
    }
}

/// A trickled ICE candidate, exactly the fields of `RTCIceCandidateInit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceCandidate {
    pub candidate: String,
    pub sdp_mid: Option<String>,
    pub sdp_m_line_index: Option<u16>,
}

/// What the engine sends to (and expects from) one remote participant. The app maps
/// these to its wire types and relays them through its signaling server unchanged and
/// in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// An SDP offer or answer.
    Description { kind: SdpKind, sdp: String },
    /// A trickled ICE candidate. An empty `candidate` string means end-of-candidates.
    Candidate(IceCandidate),
    /// Ask the receiver to restart ICE towards us (it calls `restartIce()`; perfect
    /// negotiation then carries the new offer). The engine honours it on input; it
    /// never needs to send one itself because either side may restart on its own.
    IceRestartRequest,
    /// The id of the sender's screen-share `MediaStream` (`None`: sharing stopped).
    /// Sent by the engine before the renegotiation that carries the track, so the
    /// receiver can tell the screen stream from the camera stream.
    ScreenShare { stream_id: Option<String> },
}

/// A signal to deliver to one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalOut {
    pub to: PeerId,
    pub payload: Signal,
}

/// The life cycle of the media path to one remote participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerState {
    /// Created, nothing exchanged yet.
    New,
    /// Negotiating / ICE checking for the first time.
    Connecting,
    /// Media can flow.
    Connected,
    /// Lost connectivity; restarting ICE. `attempt` counts restarts since the last
    /// time we were connected (0 while we are still waiting for a quick recovery).
    Reconnecting { attempt: u32 },
    /// Gave up after repeated ICE restarts. The app may remove and re-add the peer.
    Failed,
    /// Torn down.
    Closed,
}

/// Connection quality verdict for one peer, from the periodic stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
    Good,
    Fair,
    Poor,
}

/// Which of a participant's streams: camera + microphone, or screen share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamKind {
    Camera,
    Screen,
}

/// Who is speaking.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SpeakerId {
    Local,
    Remote(PeerId),
}

/// One ICE (STUN/TURN) server, as the app received it from its server config.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IceServer {
    pub urls: Vec<String>,
    pub username: Option<String>,
    pub credential: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceKind {
    AudioInput,
    VideoInput,
    AudioOutput,
}

/// One media device from `enumerateDevices`. Labels are empty until the user granted
/// a permission (browser privacy rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaDevice {
    pub kind: DeviceKind,
    pub device_id: String,
    pub group_id: String,
    pub label: String,
}

/// The devices, split by kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceList {
    pub audio_inputs: Vec<MediaDevice>,
    pub video_inputs: Vec<MediaDevice>,
    pub audio_outputs: Vec<MediaDevice>,
}

impl DeviceList {
    pub fn from_devices(devices: impl IntoIterator<Item = MediaDevice>) -> DeviceList {
        let mut list = DeviceList::default();
        for mut d in devices {
            let bucket = match d.kind {
                DeviceKind::AudioInput => &mut list.audio_inputs,
                DeviceKind::VideoInput => &mut list.video_inputs,
                DeviceKind::AudioOutput => &mut list.audio_outputs,
            };
            if d.label.is_empty() {
                // Unlabelled before permission: give the UI something to show.
                d.label = match d.kind {
                    DeviceKind::AudioInput => format!("Microphone {}", bucket.len() + 1),
                    DeviceKind::VideoInput => format!("Camera {}", bucket.len() + 1),
                    DeviceKind::AudioOutput => format!("Speaker {}", bucket.len() + 1),
                };
            }
            bucket.push(d);
        }
        list
    }
}

/// What to capture in `start_local`. `None` device ids mean "browser default".
#[derive(Debug, Clone, PartialEq)]
pub struct LocalConstraints {
    pub audio: bool,
    pub video: bool,
    pub microphone_id: Option<String>,
    pub camera_id: Option<String>,
    /// Ideal capture size (an `ideal` constraint, never `exact`).
    pub ideal_width: u32,
    pub ideal_height: u32,
    pub ideal_frame_rate: u32,
    pub echo_cancellation: bool,
    pub noise_suppression: bool,
    pub auto_gain_control: bool,
    /// When video capture fails, retry with audio only instead of failing.
    pub audio_only_fallback: bool,
}

impl Default for LocalConstraints {
    fn default() -> Self {
        LocalConstraints {
            audio: true,
            video: true,
            microphone_id: None,
            camera_id: None,
            ideal_width: 1280,
            ideal_height: 720,
            ideal_frame_rate: 30,
            echo_cancellation: true,
            noise_suppression: true,
            auto_gain_control: true,
            audio_only_fallback: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdp_kind_round_trips() {
        for k in [SdpKind::Offer, SdpKind::Answer] {
            assert_eq!(SdpKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(SdpKind::parse("rollback"), None);
    }

    #[test]
    fn device_list_splits_and_labels() {
        let d = |kind, id: &str, label: &str| MediaDevice {
            kind,
            device_id: id.into(),
            group_id: String::new(),
            label: label.into(),
        };
        let list = DeviceList::from_devices(vec![
            d(DeviceKind::AudioInput, "a", "Headset"),
            d(DeviceKind::VideoInput, "v1", ""),
            d(DeviceKind::VideoInput, "v2", ""),
            d(DeviceKind::AudioOutput, "o", "Speakers"),
        ]);
        assert_eq!(list.audio_inputs.len(), 1);
        assert_eq!(list.video_inputs[0].label, "Camera 1");
        assert_eq!(list.video_inputs[1].label, "Camera 2");
        assert_eq!(list.audio_outputs[0].label, "Speakers");
    }
}
