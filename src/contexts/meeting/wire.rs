//! The media engine's signals ⇄ the protocol's. The engine has two signals with no
//! wire form: `IceRestartRequest` (either side restarts on its own, so dropping it is
//! harmless) and `ScreenShare` (announced through `MediaState.screen_stream_id`).

use tandem_protocol::meetings::{SdpKind as WireSdp, Signal as WireSignal};

use crate::media::{IceCandidate, SdpKind, Signal};

pub fn to_wire(signal: Signal) -> Option<WireSignal> {
    match signal {
        Signal::Description { kind, sdp } => Some(WireSignal::Description {
            kind: match kind {
                SdpKind::Offer => WireSdp::Offer,
                SdpKind::Answer => WireSdp::Answer,
            },
            sdp,
        }),
        Signal::Candidate(c) => Some(WireSignal::Candidate {
            candidate: c.candidate,
            sdp_mid: c.sdp_mid,
            sdp_m_line_index: c.sdp_m_line_index,
        }),
        Signal::IceRestartRequest | Signal::ScreenShare { .. } => None,
    }
}

/// `None` for description kinds the engine never produces (pranswer, rollback).
pub fn from_wire(signal: WireSignal) -> Option<Signal> {
    match signal {
        WireSignal::Description { kind, sdp } => {
            let kind = match kind {
                WireSdp::Offer => SdpKind::Offer,
                WireSdp::Answer => SdpKind::Answer,
                WireSdp::Pranswer | WireSdp::Rollback => return None,
            };
            Some(Signal::Description { kind, sdp })
        }
        WireSignal::Candidate {
            candidate,
            sdp_mid,
            sdp_m_line_index,
        } => Some(Signal::Candidate(IceCandidate {
            candidate,
            sdp_mid,
            sdp_m_line_index,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_and_candidates_round_trip() {
        let signals = [
            Signal::Description {
                kind: SdpKind::Offer,
                sdp: "v=0".into(),
            },
            Signal::Description {
                kind: SdpKind::Answer,
                sdp: "v=0 a".into(),
            },
            Signal::Candidate(IceCandidate {
                candidate: "candidate:1 1 udp 1 10.0.0.1 5000 typ host".into(),
                sdp_mid: Some("0".into()),
                sdp_m_line_index: Some(0),
            }),
            Signal::Candidate(IceCandidate {
                candidate: String::new(),
                sdp_mid: None,
                sdp_m_line_index: None,
            }),
        ];
        for s in signals {
            assert_eq!(from_wire(to_wire(s.clone()).unwrap()), Some(s));
        }
    }

    #[test]
    fn engine_only_signals_have_no_wire_form() {
        assert_eq!(to_wire(Signal::IceRestartRequest), None);
        assert_eq!(
            to_wire(Signal::ScreenShare {
                stream_id: Some("s".into())
            }),
            None
        );
        assert_eq!(
            from_wire(WireSignal::Description {
                kind: WireSdp::Rollback,
                sdp: String::new()
            }),
            None
        );
    }
}
