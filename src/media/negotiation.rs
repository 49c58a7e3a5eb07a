//! The "perfect negotiation" pattern as a pure state machine (one per remote peer).
//!
//! Roles are fixed by comparing peer ids ([`is_polite`]), so both ends agree without a
//! message. Inputs are the browser events and incoming signals; outputs are
//! [`NegAction`]s that the glue executes against its `RTCPeerConnection`, reporting the
//! results back (`local_description_set`, `remote_description_applied`, …).
//!
//! * `negotiationneeded` → `SetLocalDescription` (implicit: offer or answer as the
//!   signaling state requires) → `Send(Description)`.
//! * Incoming offer while we are making one (or not stable) is a collision: the
//!   impolite side ignores it; the polite side applies it, and `setRemoteDescription`
//!   rolls back its own offer implicitly (spec behaviour, all current browsers).
//! * Candidates that arrive before a remote description are buffered and flushed once
//!   it is applied; candidate errors for an offer we ignored are swallowed.

use std::collections::VecDeque;

use super::types::{IceCandidate, SdpKind, Signal};

/// The browser's `RTCSignalingState`, mirrored so this module stays web-free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalingState {
    Stable,
    HaveLocalOffer,
    HaveRemoteOffer,
    HaveLocalPranswer,
    HaveRemotePranswer,
    Closed,
}

/// The DTLS certificate fingerprint an SDP announces (`a=fingerprint:`). Every
/// `RTCPeerConnection` has its own certificate, so a different fingerprint in an offer
/// means the remote side replaced its connection (it gave up on the old one and
/// started afresh): ours must be replaced too, as the old one cannot take it.
pub fn dtls_fingerprint(sdp: &str) -> Option<&str> {
    sdp.lines()
        .find_map(|l| l.strip_prefix("a=fingerprint:"))
        .map(str::trim)
}

/// The polite peer yields on offer collisions. Deterministic: the lexicographically
/// smaller id is polite, so exactly one side of every pair is.
pub fn is_polite(local: &str, remote: &str) -> bool {
    local < remote
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NegAction {
    /// Call `setLocalDescription()` with no argument, then report
    /// `local_description_set(kind, sdp)` with `pc.localDescription`.
    SetLocalDescription,
    /// Call `setRemoteDescription({type, sdp})`, then report
    /// `remote_description_applied(kind)` (or `remote_description_failed`).
    SetRemoteDescription { kind: SdpKind, sdp: String },
    /// Call `addIceCandidate(c)`; report failures to `candidate_failed`.
    AddCandidate(IceCandidate),
    /// Call `restartIce()`.
    RestartIce,
    /// Deliver to the remote peer.
    Send(Signal),
    /// A human-readable problem to surface to the app.
    Error(String),
}

#[derive(Debug)]
pub struct Negotiator {
    polite: bool,
    making_offer: bool,
    ignore_offer: bool,
    setting_remote_answer_pending: bool,
    has_remote_description: bool,
    pending_candidates: Vec<IceCandidate>,
    closed: bool,
    actions: VecDeque<NegAction>,
}

impl Negotiator {
    pub fn new(polite: bool) -> Self {
        Negotiator {
            polite,
            making_offer: false,
            ignore_offer: false,
            setting_remote_answer_pending: false,
            has_remote_description: false,
            pending_candidates: Vec::new(),
            closed: false,
            actions: VecDeque::new(),
        }
    }

    pub fn polite(&self) -> bool {
        self.polite
    }

    pub fn making_offer(&self) -> bool {
        self.making_offer
    }

    pub fn buffered_candidates(&self) -> usize {
        self.pending_candidates.len()
    }

    pub fn poll_action(&mut self) -> Option<NegAction> {
        self.actions.pop_front()
    }

    pub fn drain_actions(&mut self) -> Vec<NegAction> {
        self.actions.drain(..).collect()
    }

    /// `negotiationneeded` fired.
    pub fn negotiation_needed(&mut self) {
        if self.closed {
            return;
        }
        self.making_offer = true;
        self.actions.push_back(NegAction::SetLocalDescription);
    }

    /// `setLocalDescription()` resolved; `kind`/`sdp` are `pc.localDescription`.
    ///
    /// Whatever it produced, we are no longer making an offer: an implicit
    /// `setLocalDescription()` started for `negotiationneeded` produces an answer when a
    /// remote offer was applied first, and leaving `making_offer` set would make the
    /// impolite side ignore every later offer from this peer.
    pub fn local_description_set(&mut self, kind: SdpKind, sdp: String) {
        self.making_offer = false;
        if self.closed {
            return;
        }
        self.actions
            .push_back(NegAction::Send(Signal::Description { kind, sdp }));
    }

    /// `setLocalDescription()` rejected (e.g. a glare the browser resolved for us).
    pub fn local_description_failed(&mut self, error: String) {
        self.making_offer = false;
        if !self.closed {
            self.actions.push_back(NegAction::Error(format!(
                "setLocalDescription failed: {error}"
            )));
        }
    }

    /// A local ICE candidate was gathered (`None`: gathering finished).
    pub fn local_candidate(&mut self, candidate: IceCandidate) {
        if !self.closed {
            self.actions
                .push_back(NegAction::Send(Signal::Candidate(candidate)));
        }
    }

    /// Feed a signal from the remote peer. `state` is the connection's current
    /// `signalingState` at the time it arrived.
    pub fn signal_in(&mut self, signal: Signal, state: SignalingState) {
        if self.closed {
            return;
        }
        match signal {
            Signal::Description { kind, sdp } => self.remote_description(kind, sdp, state),
            Signal::Candidate(c) => self.remote_candidate(c),
            Signal::IceRestartRequest => self.actions.push_back(NegAction::RestartIce),
            // Stream bookkeeping is not negotiation; the glue handles it.
            Signal::ScreenShare { .. } => {}
        }
    }

    fn remote_description(&mut self, kind: SdpKind, sdp: String, state: SignalingState) {
        let ready_for_offer = !self.making_offer
            && (state == SignalingState::Stable || self.setting_remote_answer_pending);
        let collision = kind == SdpKind::Offer && !ready_for_offer;
        self.ignore_offer = !self.polite && collision;
        if self.ignore_offer {
            return;
        }
        self.setting_remote_answer_pending = kind == SdpKind::Answer;
        self.actions
            .push_back(NegAction::SetRemoteDescription { kind, sdp });
    }

    fn remote_candidate(&mut self, c: IceCandidate) {
        if self.has_remote_description {
            self.actions.push_back(NegAction::AddCandidate(c));
        } else {
            self.pending_candidates.push(c);
        }
    }

    /// `setRemoteDescription()` resolved.
    pub fn remote_description_applied(&mut self, kind: SdpKind) {
        if kind == SdpKind::Answer {
            self.setting_remote_answer_pending = false;
        }
        if self.closed {
            return;
        }
        self.has_remote_description = true;
        for c in self.pending_candidates.drain(..) {
            self.actions.push_back(NegAction::AddCandidate(c));
        }
        if kind == SdpKind::Offer {
            // Answer it (implicit setLocalDescription creates the answer).
            self.actions.push_back(NegAction::SetLocalDescription);
        }
    }

    pub fn remote_description_failed(&mut self, kind: SdpKind, error: String) {
        if kind == SdpKind::Answer {
            self.setting_remote_answer_pending = false;
        }
        if !self.closed {
            self.actions.push_back(NegAction::Error(format!(
                "setRemoteDescription({}) failed: {error}",
                kind.as_str()
            )));
        }
    }

    /// `addIceCandidate()` rejected. Expected (and silent) for candidates of an offer
    /// we ignored.
    pub fn candidate_failed(&mut self, error: String) {
        if !self.ignore_offer && !self.closed {
            self.actions
                .push_back(NegAction::Error(format!("addIceCandidate failed: {error}")));
        }
    }

    /// Ask for an ICE restart (from the connection monitor).
    pub fn restart_ice(&mut self) {
        if !self.closed {
            self.actions.push_back(NegAction::RestartIce);
        }
    }

    pub fn close(&mut self) {
        self.closed = true;
        self.actions.clear();
        self.pending_candidates.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(s: &str) -> IceCandidate {
        IceCandidate {
            candidate: s.into(),
            sdp_mid: Some("0".into()),
            sdp_m_line_index: Some(0),
        }
    }

    fn offer(sdp: &str) -> Signal {
        Signal::Description {
            kind: SdpKind::Offer,
            sdp: sdp.into(),
        }
    }

    #[test]
    fn roles_are_complementary() {
        assert!(is_polite("alice", "bob"));
        assert!(!is_polite("bob", "alice"));
        assert_ne!(is_polite("x1", "x2"), is_polite("x2", "x1"));
    }

    #[test]
    fn negotiation_needed_sends_offer() {
        let mut n = Negotiator::new(false);
        n.negotiation_needed();
        assert_eq!(n.drain_actions(), vec![NegAction::SetLocalDescription]);
        assert!(n.making_offer());
        n.local_description_set(SdpKind::Offer, "o1".into());
        assert!(!n.making_offer());
        assert_eq!(
            n.drain_actions(),
            vec![NegAction::Send(Signal::Description {
                kind: SdpKind::Offer,
                sdp: "o1".into()
            })]
        );
    }

    #[test]
    fn incoming_offer_is_answered() {
        let mut n = Negotiator::new(true);
        n.signal_in(offer("o"), SignalingState::Stable);
        assert_eq!(
            n.drain_actions(),
            vec![NegAction::SetRemoteDescription {
                kind: SdpKind::Offer,
                sdp: "o".into()
            }]
        );
        n.remote_description_applied(SdpKind::Offer);
        assert_eq!(n.drain_actions(), vec![NegAction::SetLocalDescription]);
        n.local_description_set(SdpKind::Answer, "a".into());
        assert_eq!(
            n.drain_actions(),
            vec![NegAction::Send(Signal::Description {
                kind: SdpKind::Answer,
                sdp: "a".into()
            })]
        );
    }

    #[test]
    fn impolite_ignores_colliding_offer_and_its_candidate_errors() {
        let mut n = Negotiator::new(false);
        n.negotiation_needed();
        n.drain_actions();
        n.signal_in(offer("theirs"), SignalingState::HaveLocalOffer);
        assert!(
            n.drain_actions().is_empty(),
            "impolite side must ignore the offer"
        );
        n.candidate_failed("no remote description".into());
        assert!(
            n.drain_actions().is_empty(),
            "errors for ignored offers are expected"
        );
    }

    #[test]
    fn polite_applies_colliding_offer_with_implicit_rollback() {
        let mut n = Negotiator::new(true);
        n.negotiation_needed();
        n.drain_actions();
        // Still making the offer (setLocalDescription pending), state stable.
        n.signal_in(offer("theirs"), SignalingState::Stable);
        assert_eq!(
            n.drain_actions(),
            vec![NegAction::SetRemoteDescription {
                kind: SdpKind::Offer,
                sdp: "theirs".into()
            }]
        );
        // Our own offer's SLD fails or resolves; either way making_offer clears.
        n.local_description_failed("rolled back".into());
        assert!(!n.making_offer());
    }

    #[test]
    fn offer_while_answer_pending_is_not_a_collision() {
        let mut n = Negotiator::new(false);
        n.negotiation_needed();
        n.local_description_set(SdpKind::Offer, "mine".into());
        n.drain_actions();
        n.signal_in(
            Signal::Description {
                kind: SdpKind::Answer,
                sdp: "ans".into(),
            },
            SignalingState::HaveLocalOffer,
        );
        n.drain_actions();
        // A new offer arrives before the answer finished applying.
        n.signal_in(offer("next"), SignalingState::HaveLocalOffer);
        assert_eq!(
            n.drain_actions(),
            vec![NegAction::SetRemoteDescription {
                kind: SdpKind::Offer,
                sdp: "next".into()
            }]
        );
    }

    #[test]
    fn candidates_are_buffered_until_remote_description() {
        let mut n = Negotiator::new(true);
        n.signal_in(Signal::Candidate(cand("c1")), SignalingState::Stable);
        n.signal_in(Signal::Candidate(cand("c2")), SignalingState::Stable);
        assert!(n.drain_actions().is_empty());
        assert_eq!(n.buffered_candidates(), 2);
        n.signal_in(offer("o"), SignalingState::Stable);
        n.drain_actions();
        n.remote_description_applied(SdpKind::Offer);
        assert_eq!(
            n.drain_actions(),
            vec![
                NegAction::AddCandidate(cand("c1")),
                NegAction::AddCandidate(cand("c2")),
                NegAction::SetLocalDescription
            ]
        );
        n.signal_in(Signal::Candidate(cand("c3")), SignalingState::Stable);
        assert_eq!(n.drain_actions(), vec![NegAction::AddCandidate(cand("c3"))]);
    }

    #[test]
    fn candidate_errors_surface_when_not_ignoring() {
        let mut n = Negotiator::new(true);
        n.candidate_failed("bad".into());
        assert!(matches!(n.drain_actions()[..], [NegAction::Error(_)]));
    }

    #[test]
    fn restart_request_and_close() {
        let mut n = Negotiator::new(true);
        n.signal_in(Signal::IceRestartRequest, SignalingState::Stable);
        assert_eq!(n.drain_actions(), vec![NegAction::RestartIce]);
        n.close();
        n.negotiation_needed();
        n.signal_in(offer("o"), SignalingState::Stable);
        assert!(n.drain_actions().is_empty());
    }

    #[test]
    fn an_answer_from_our_own_set_local_description_ends_making_offer() {
        // negotiationneeded fired, but a remote offer was applied before our implicit
        // setLocalDescription ran, so it produced an answer.
        let mut n = Negotiator::new(false);
        n.negotiation_needed();
        n.drain_actions();
        n.local_description_set(SdpKind::Answer, "a".into());
        assert!(!n.making_offer());
        n.drain_actions();
        // A later offer from the peer is applied, not ignored as a collision.
        n.signal_in(offer("later"), SignalingState::Stable);
        assert_eq!(
            n.drain_actions(),
            vec![NegAction::SetRemoteDescription {
                kind: SdpKind::Offer,
                sdp: "later".into()
            }]
        );
    }

    #[test]
    fn fingerprint_is_read_from_the_sdp() {
        let sdp =
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 AB:CD:EF\r\nm=audio 9\r\n";
        assert_eq!(dtls_fingerprint(sdp), Some("sha-256 AB:CD:EF"));
        assert_eq!(dtls_fingerprint("v=0\r\nm=audio 9\r\n"), None);
    }

    #[test]
    fn local_candidates_are_sent() {
        let mut n = Negotiator::new(true);
        n.local_candidate(cand("x"));
        assert_eq!(
            n.drain_actions(),
            vec![NegAction::Send(Signal::Candidate(cand("x")))]
        );
    }
}
