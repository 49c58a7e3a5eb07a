//! Connection monitor: ICE connection states in, [`PeerState`] changes, timers and ICE
//! restarts out. Pure; the glue owns the real timers and reports them back by token.
//!
//! * `checking` → `Connecting` (first time), `connected`/`completed` → `Connected`.
//! * `disconnected` → `Reconnecting { attempt: 0 }` plus a grace timer
//!   ([`DISCONNECT_GRACE_MS`]); if ICE has not recovered when it fires, restart.
//! * `failed` → restart per the [`Backoff`] phases; each restart arms a watchdog so a
//!   restart that hangs in `checking` is retried too; past the last attempt → `Failed`.

use std::collections::VecDeque;

use super::backoff::Backoff;
use super::types::PeerState;

/// How long `disconnected` may last before we restart ICE.
pub const DISCONNECT_GRACE_MS: u32 = 3_000;
/// How long one ICE restart may take before we try the next.
pub const RESTART_WATCHDOG_MS: u32 = 15_000;

/// The browser's `RTCIceConnectionState`, mirrored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceState {
    New,
    Checking,
    Connected,
    Completed,
    Disconnected,
    Failed,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonitorOutput {
    State(PeerState),
    /// Arm a one-shot timer; report it with `timer_fired(token)`. A newer timer
    /// supersedes older ones (their tokens are ignored), so the glue may keep just one.
    StartTimer {
        token: u64,
        after_ms: u32,
    },
    /// Call `restartIce()` (negotiation follows via `negotiationneeded`).
    RestartIce,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    None,
    Grace,
    Backoff,
    Watchdog,
}

#[derive(Debug)]
pub struct ConnectionMonitor {
    state: PeerState,
    ice: IceState,
    attempt: u32,
    token: u64,
    pending: Pending,
    backoff: Backoff,
    out: VecDeque<MonitorOutput>,
}

impl Default for ConnectionMonitor {
    fn default() -> Self {
        ConnectionMonitor::new(Backoff::default())
    }
}

impl ConnectionMonitor {
    pub fn new(backoff: Backoff) -> Self {
        ConnectionMonitor {
            state: PeerState::New,
            ice: IceState::New,
            attempt: 0,
            token: 0,
            pending: Pending::None,
            backoff,
            out: VecDeque::new(),
        }
    }

    pub fn state(&self) -> PeerState {
        self.state
    }

    pub fn poll_output(&mut self) -> Option<MonitorOutput> {
        self.out.pop_front()
    }

    pub fn drain(&mut self) -> Vec<MonitorOutput> {
        self.out.drain(..).collect()
    }

    fn set_state(&mut self, s: PeerState) {
        if self.state != s {
            self.state = s;
            self.out.push_back(MonitorOutput::State(s));
        }
    }

    fn arm(&mut self, pending: Pending, after_ms: u32) {
        self.token += 1;
        self.pending = pending;
        self.out.push_back(MonitorOutput::StartTimer {
            token: self.token,
            after_ms,
        });
    }

    fn disarm(&mut self) {
        self.token += 1;
        self.pending = Pending::None;
    }

    /// Negotiation started (we sent or received an offer) before ICE reported anything.
    pub fn negotiating(&mut self) {
        if self.state == PeerState::New {
            self.set_state(PeerState::Connecting);
        }
    }

    pub fn ice_state_changed(&mut self, ice: IceState) {
        if self.state == PeerState::Closed {
            return;
        }
        self.ice = ice;
        match ice {
            IceState::New => {}
            IceState::Checking => {
                if self.state == PeerState::New {
                    self.set_state(PeerState::Connecting);
                }
            }
            IceState::Connected | IceState::Completed => {
                self.attempt = 0;
                self.disarm();
                self.set_state(PeerState::Connected);
            }
            IceState::Disconnected => {
                if self.pending == Pending::None || self.pending == Pending::Grace {
                    self.set_state(PeerState::Reconnecting {
                        attempt: self.attempt,
                    });
                    self.arm(Pending::Grace, DISCONNECT_GRACE_MS);
                }
            }
            IceState::Failed => self.schedule_restart(),
            IceState::Closed => self.close(),
        }
    }

    fn schedule_restart(&mut self) {
        self.attempt += 1;
        match self.backoff.delay_ms(self.attempt) {
            None => {
                self.disarm();
                self.set_state(PeerState::Failed);
            }
            Some(0) => {
                self.set_state(PeerState::Reconnecting {
                    attempt: self.attempt,
                });
                self.out.push_back(MonitorOutput::RestartIce);
                self.arm(Pending::Watchdog, RESTART_WATCHDOG_MS);
            }
            Some(ms) => {
                self.set_state(PeerState::Reconnecting {
                    attempt: self.attempt,
                });
                self.arm(Pending::Backoff, ms);
            }
        }
    }

    pub fn timer_fired(&mut self, token: u64) {
        if token != self.token || self.state == PeerState::Closed {
            return;
        }
        let pending = std::mem::replace(&mut self.pending, Pending::None);
        let connected = matches!(self.ice, IceState::Connected | IceState::Completed);
        match pending {
            Pending::None => {}
            Pending::Grace | Pending::Watchdog if !connected => self.schedule_restart(),
            Pending::Grace | Pending::Watchdog => {}
            Pending::Backoff => {
                self.out.push_back(MonitorOutput::RestartIce);
                self.arm(Pending::Watchdog, RESTART_WATCHDOG_MS);
            }
        }
    }

    pub fn close(&mut self) {
        self.disarm();
        self.set_state(PeerState::Closed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timer(out: &[MonitorOutput]) -> (u64, u32) {
        out.iter()
            .find_map(|o| match o {
                MonitorOutput::StartTimer { token, after_ms } => Some((*token, *after_ms)),
                _ => None,
            })
            .expect("a timer")
    }

    #[test]
    fn happy_path() {
        let mut m = ConnectionMonitor::default();
        m.ice_state_changed(IceState::Checking);
        m.ice_state_changed(IceState::Connected);
        assert_eq!(
            m.drain(),
            vec![
                MonitorOutput::State(PeerState::Connecting),
                MonitorOutput::State(PeerState::Connected)
            ]
        );
        m.ice_state_changed(IceState::Completed);
        assert!(m.drain().is_empty());
    }

    #[test]
    fn disconnect_recovers_within_grace() {
        let mut m = ConnectionMonitor::default();
        m.ice_state_changed(IceState::Connected);
        m.drain();
        m.ice_state_changed(IceState::Disconnected);
        let out = m.drain();
        assert_eq!(
            out[0],
            MonitorOutput::State(PeerState::Reconnecting { attempt: 0 })
        );
        let (token, ms) = timer(&out);
        assert_eq!(ms, DISCONNECT_GRACE_MS);
        m.ice_state_changed(IceState::Connected);
        assert_eq!(m.drain(), vec![MonitorOutput::State(PeerState::Connected)]);
        m.timer_fired(token); // stale
        assert!(m.drain().is_empty());
    }

    #[test]
    fn disconnect_past_grace_restarts_ice() {
        let mut m = ConnectionMonitor::default();
        m.ice_state_changed(IceState::Connected);
        m.ice_state_changed(IceState::Disconnected);
        let (token, _) = timer(&m.drain());
        m.timer_fired(token);
        let out = m.drain();
        assert_eq!(
            out[0],
            MonitorOutput::State(PeerState::Reconnecting { attempt: 1 })
        );
        assert_eq!(out[1], MonitorOutput::RestartIce);
        assert_eq!(timer(&out).1, RESTART_WATCHDOG_MS);
    }

    #[test]
    fn repeated_failures_back_off_then_give_up() {
        let mut m = ConnectionMonitor::default();
        m.ice_state_changed(IceState::Connected);
        m.drain();
        // Attempt 1: immediate.
        m.ice_state_changed(IceState::Failed);
        assert!(m.drain().contains(&MonitorOutput::RestartIce));
        // Attempt 2: waits 2 s, then restarts.
        m.ice_state_changed(IceState::Failed);
        let out = m.drain();
        assert!(!out.contains(&MonitorOutput::RestartIce));
        let (token, ms) = timer(&out);
        assert_eq!(ms, 2_000);
        m.timer_fired(token);
        assert!(m.drain().contains(&MonitorOutput::RestartIce));
        for _ in 3..=6 {
            m.ice_state_changed(IceState::Failed);
            let (token, _) = timer(&m.drain());
            m.timer_fired(token);
            m.drain();
        }
        m.ice_state_changed(IceState::Failed);
        assert_eq!(m.drain(), vec![MonitorOutput::State(PeerState::Failed)]);
        // A late recovery is still welcome.
        m.ice_state_changed(IceState::Connected);
        assert_eq!(m.drain(), vec![MonitorOutput::State(PeerState::Connected)]);
    }

    #[test]
    fn success_resets_attempts() {
        let mut m = ConnectionMonitor::default();
        m.ice_state_changed(IceState::Failed);
        m.ice_state_changed(IceState::Connected);
        m.drain();
        m.ice_state_changed(IceState::Failed);
        let out = m.drain();
        assert_eq!(
            out[0],
            MonitorOutput::State(PeerState::Reconnecting { attempt: 1 })
        );
        assert!(out.contains(&MonitorOutput::RestartIce));
    }

    #[test]
    fn hung_restart_is_retried_by_watchdog() {
        let mut m = ConnectionMonitor::default();
        m.ice_state_changed(IceState::Failed);
        let (token, _) = timer(&m.drain());
        m.ice_state_changed(IceState::Checking);
        m.timer_fired(token);
        let out = m.drain();
        assert_eq!(
            out[0],
            MonitorOutput::State(PeerState::Reconnecting { attempt: 2 })
        );
    }

    #[test]
    fn closed_is_terminal() {
        let mut m = ConnectionMonitor::default();
        m.negotiating();
        m.ice_state_changed(IceState::Closed);
        assert_eq!(
            m.drain(),
            vec![
                MonitorOutput::State(PeerState::Connecting),
                MonitorOutput::State(PeerState::Closed)
            ]
        );
        m.ice_state_changed(IceState::Connected);
        assert!(m.drain().is_empty());
    }
}
