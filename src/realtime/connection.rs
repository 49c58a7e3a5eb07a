//! The connection state machine, free of sockets, timers and clocks.
//!
//! Inputs (socket opened/closed, frame received, timer fired, command submitted, …) go
//! in through [`Connection::handle`] together with the current time and a random
//! sample; effects come out of a queue drained with [`Connection::poll_output`]. The
//! browser glue in `client` executes the effects. Keeping every decision here means the
//! whole protocol (resume, dedup, outbox resend, heartbeat, backoff) is unit-testable.
//!
//! Every socket gets a fresh [`SocketId`]. Inputs and timers that carry an older id
//! belong to a connection we already gave up on and are ignored, which is what makes
//! late `close` events and stale timers harmless.

use std::collections::{HashSet, VecDeque};

use tandem_protocol::chat::Presence;
use tandem_protocol::ws::{
    ClientFrame, EventEnvelope, ServerFrame, CLOSE_SESSION_ENDED, CLOSE_TOO_MANY_SOCKETS,
    FRAME_TOO_LARGE,
};
use tandem_protocol::{ErrorCode, Seq, PROTOCOL_VERSION};
use uuid::Uuid;

use super::backoff::Backoff;
use super::outbox::{Outbox, PendingCommand};

pub type SocketId = u64;

/// A socket that opens but never says hello is as good as dead.
pub const HANDSHAKE_TIMEOUT_MS: u64 = 10_000;
/// Used until the server announces its own interval.
const DEFAULT_HEARTBEAT_MS: u64 = 20_000;
/// Guards against a server announcing an absurdly small interval.
const MIN_HEARTBEAT_MS: u64 = 1_000;
/// Resending commands the server refused as `rate_limited`: the first wait is up to
/// this (or the server's retry-after, if longer), doubling while refusals continue.
const RESEND_BASE_MS: u64 = 1_000;
const RESEND_MAX_MS: u64 = 30_000;

#[derive(Debug, Clone, PartialEq)]
pub enum ConnectionState {
    /// Created, not started.
    Idle,
    /// Opening a socket and waiting for `hello`.
    Connecting { attempt: u32 },
    /// `resume` sent; the server is replaying what we missed.
    Syncing,
    /// Live: replay complete, commands flow.
    Open,
    /// The connection dropped; the next attempt starts at `retry_at_ms` (epoch ms).
    Waiting { attempt: u32, retry_at_ms: f64 },
    /// The server cannot replay; the app refetches state, then we reconnect.
    Resyncing,
    /// The session behind the socket ended. Terminal: the user has to log in again.
    SessionEnded,
    /// The server closed this socket because the user opened too many elsewhere (other
    /// tabs). No automatic retry, which would close another tab in turn; `RetryNow`
    /// reconnects.
    Displaced,
    /// Stopped by the app (log-out, page left). Terminal.
    Stopped,
}

impl ConnectionState {
    pub fn is_open(&self) -> bool {
        matches!(self, ConnectionState::Open)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    Reconnect,
    Handshake,
    Heartbeat,
    /// Resend the commands refused as `rate_limited`.
    Resend,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Begin connecting (once). `from` is the log position the app read *before* it
    /// loaded state over REST: the socket resumes from there, so an event appended
    /// during the load is replayed (events are applied idempotently). `None` starts
    /// live from now.
    Start {
        from: Option<Seq>,
    },
    SocketOpened {
        socket: SocketId,
    },
    SocketClosed {
        socket: SocketId,
        code: u16,
    },
    FrameReceived {
        socket: SocketId,
        frame: ServerFrame,
    },
    /// A frame that did not parse. Logged; the connection carries on.
    FrameUnreadable {
        socket: SocketId,
        error: String,
    },
    TimerFired {
        timer: Timer,
        socket: SocketId,
    },
    Submit(PendingCommand),
    /// The browser reports it is back online: no point waiting out the backoff.
    NetworkOnline,
    /// The browser reports it went offline. The socket may not notice for a long time
    /// (or ever, in a test harness), so the connection counts as lost at once.
    NetworkOffline,
    /// An ephemeral frame (`typing`, `set_presence`): sent only while live, never
    /// queued. The latest presence is remembered and re-announced after a reconnect.
    SendEphemeral(ClientFrame),
    /// The user pressed "Retry now".
    RetryNow,
    /// The app finished refetching state after `ResyncRequired`; `from` as for `Start`.
    ResyncDone {
        from: Option<Seq>,
    },
    Stop,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    OpenSocket {
        socket: SocketId,
    },
    Send {
        socket: SocketId,
        frame: ClientFrame,
    },
    CloseSocket {
        socket: SocketId,
    },
    /// Deliver `Input::TimerFired { timer, socket }` after `delay_ms`.
    StartTimer {
        timer: Timer,
        socket: SocketId,
        delay_ms: u64,
    },
    /// A new event, in order and never twice.
    Apply(EventEnvelope),
    /// An ephemeral server frame (`typing`, `presence_changed`): no seq, no dedup.
    Ephemeral(ServerFrame),
    StateChanged(ConnectionState),
    /// The outbox changed; persist it and show what is pending.
    OutboxChanged(Vec<PendingCommand>),
    Acked(PendingCommand),
    /// Refused for good; the message is for people.
    Rejected {
        command: PendingCommand,
        message: String,
    },
    /// Something worth logging that needs no action.
    Notice(String),
    /// Read the log position, refetch state over REST, then send `Input::ResyncDone`.
    ResyncRequired,
    SessionEnded,
    /// The server speaks another protocol version: the app must reload.
    ProtocolMismatch {
        server: u32,
    },
}

/// What the machine needs from the outside world for one input.
#[derive(Debug, Clone, Copy)]
pub struct Env {
    pub now_ms: f64,
    /// Uniform in `[0, 1)`, for backoff jitter.
    pub random: f64,
}

#[derive(Debug)]
pub struct Connection {
    state: ConnectionState,
    socket: SocketId,
    /// Whether `socket` is still open (or opening) as far as we know.
    socket_live: bool,
    backoff: Backoff,
    outbox: Outbox,
    last_seq: Option<Seq>,
    heartbeat_ms: u64,
    last_frame_at: f64,
    next_nonce: u64,
    /// The presence the app last asked for, re-sent after each reconnect.
    presence: Option<Presence>,
    /// Commands refused as `rate_limited`, and those submitted since: sent (in outbox
    /// order) when the `Resend` timer fires. Non-empty means "hold new commands back".
    throttled: HashSet<Uuid>,
    resend_scheduled: bool,
    resend_backoff: Backoff,
    out: VecDeque<Output>,
}

impl Connection {
    pub fn new(outbox: Outbox) -> Self {
        Self {
            state: ConnectionState::Idle,
            socket: 0,
            socket_live: false,
            backoff: Backoff::default(),
            outbox,
            last_seq: None,
            heartbeat_ms: DEFAULT_HEARTBEAT_MS,
            last_frame_at: 0.0,
            next_nonce: 1,
            presence: None,
            throttled: HashSet::new(),
            resend_scheduled: false,
            resend_backoff: Backoff::new(RESEND_BASE_MS, RESEND_MAX_MS),
            out: VecDeque::new(),
        }
    }

    pub fn state(&self) -> &ConnectionState {
        &self.state
    }

    #[cfg(test)]
    pub fn last_seq(&self) -> Option<Seq> {
        self.last_seq
    }

    #[cfg(test)]
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    pub fn handle(&mut self, input: Input, env: Env) {
        if matches!(
            self.state,
            ConnectionState::SessionEnded | ConnectionState::Stopped
        ) {
            // Terminal: only queueing a command still makes sense (it stays persisted).
            if let Input::Submit(command) = input {
                self.queue(command);
            }
            return;
        }
        match input {
            Input::Start { from } => {
                if self.state == ConnectionState::Idle {
                    self.last_seq = from;
                    self.connect(env);
                }
            }
            Input::SocketOpened { .. } => {
                // Nothing to do until the server says hello.
            }
            Input::SocketClosed { socket, code } => {
                if socket != self.socket || !self.socket_live {
                    return;
                }
                self.socket_live = false;
                if code == CLOSE_SESSION_ENDED {
                    self.set_state(ConnectionState::SessionEnded);
                    self.out.push_back(Output::SessionEnded);
                } else if code == CLOSE_TOO_MANY_SOCKETS {
                    self.set_state(ConnectionState::Displaced);
                } else if self.state != ConnectionState::Resyncing {
                    self.schedule_reconnect(env);
                }
            }
            Input::FrameReceived { socket, frame } => {
                if socket == self.socket && self.socket_live {
                    self.last_frame_at = env.now_ms;
                    self.on_frame(frame, env);
                }
            }
            Input::FrameUnreadable { socket, error } => {
                if socket == self.socket {
                    self.last_frame_at = env.now_ms;
                    self.out
                        .push_back(Output::Notice(format!("Unreadable frame: {error}")));
                }
            }
            Input::TimerFired { timer, socket } => {
                if socket == self.socket {
                    self.on_timer(timer, env);
                }
            }
            Input::Submit(command) => {
                let id = command.id;
                let fits = command.fits_in_a_frame();
                if !self.queue(command) {
                    return;
                }
                if !fits {
                    // Shown like a server refusal: the pending row says why.
                    self.reject(id, FRAME_TOO_LARGE.to_string());
                } else if !self.throttled.is_empty() {
                    // Behind commands waiting out a rate limit: keeps the user's order.
                    self.throttled.insert(id);
                } else if self.state.is_open() {
                    if let Some(c) = self.outbox.items().iter().find(|c| c.id == id) {
                        let frame = c.frame();
                        self.send(frame);
                    }
                }
            }
            Input::NetworkOffline => {
                if matches!(
                    self.state,
                    ConnectionState::Connecting { .. }
                        | ConnectionState::Syncing
                        | ConnectionState::Open
                ) {
                    self.close_socket();
                    self.schedule_reconnect(env);
                }
            }
            Input::SendEphemeral(frame) => match frame {
                ClientFrame::SetPresence { presence } => {
                    self.presence = Some(presence);
                    if self.state.is_open() {
                        self.send(frame);
                    }
                }
                // Meeting and board frames are live state: the meeting view re-sends
                // `Join` and an open board re-sends `Open { since }` after a reconnect,
                // so nothing is queued while closed.
                ClientFrame::Typing { .. } | ClientFrame::Meeting(_) | ClientFrame::Board(_) => {
                    if self.state.is_open() {
                        self.send(frame);
                    }
                }
                other => self
                    .out
                    .push_back(Output::Notice(format!("Not an ephemeral frame: {other:?}"))),
            },
            Input::NetworkOnline => {
                if matches!(self.state, ConnectionState::Waiting { .. }) {
                    self.connect(env);
                }
            }
            Input::RetryNow => {
                if matches!(
                    self.state,
                    ConnectionState::Waiting { .. } | ConnectionState::Displaced
                ) {
                    self.connect(env);
                }
            }
            Input::ResyncDone { from } => {
                if self.state == ConnectionState::Resyncing {
                    self.last_seq = from;
                    self.connect(env);
                }
            }
            Input::Stop => {
                self.close_socket();
                self.set_state(ConnectionState::Stopped);
            }
        }
    }

    fn on_frame(&mut self, frame: ServerFrame, env: Env) {
        match frame {
            ServerFrame::Hello {
                protocol_version,
                heartbeat_interval_ms,
                ..
            } => {
                if !matches!(self.state, ConnectionState::Connecting { .. }) {
                    return;
                }
                if protocol_version != PROTOCOL_VERSION {
                    self.close_socket();
                    self.set_state(ConnectionState::Stopped);
                    self.out.push_back(Output::ProtocolMismatch {
                        server: protocol_version,
                    });
                    return;
                }
                // A hello proves the server is back: the next drop starts a fresh schedule.
                self.backoff.reset();
                self.heartbeat_ms = heartbeat_interval_ms.max(MIN_HEARTBEAT_MS);
                self.send(ClientFrame::Resume {
                    last_seq: self.last_seq,
                });
                self.set_state(ConnectionState::Syncing);
                self.start_timer(Timer::Heartbeat, self.heartbeat_ms / 2);
                let _ = env;
            }
            ServerFrame::Event(envelope) => {
                if !matches!(self.state, ConnectionState::Syncing | ConnectionState::Open) {
                    return;
                }
                if self.last_seq.is_some_and(|last| envelope.seq <= last) {
                    return; // already applied (replay overlap or a duplicate)
                }
                self.last_seq = Some(envelope.seq);
                self.out.push_back(Output::Apply(envelope));
            }
            ServerFrame::ReplayComplete { seq } => {
                if self.state != ConnectionState::Syncing {
                    return;
                }
                // After `resume {None}` this is our starting position for the next resume.
                self.last_seq = Some(self.last_seq.map_or(seq, |last| last.max(seq)));
                self.set_state(ConnectionState::Open);
                // A command too large to send (one stored by an older version) would
                // be refused on every reconnect: refuse it once, here.
                let too_large: Vec<Uuid> = self
                    .outbox
                    .items()
                    .iter()
                    .filter(|c| !c.fits_in_a_frame())
                    .map(|c| c.id)
                    .collect();
                for id in too_large {
                    self.reject(id, FRAME_TOO_LARGE.to_string());
                }
                // Resend everything unacked, oldest first; the server dedups by id.
                let frames: Vec<ClientFrame> = self
                    .outbox
                    .items()
                    .iter()
                    .map(PendingCommand::frame)
                    .collect();
                for frame in frames {
                    self.send(frame);
                }
                if let Some(presence) = self.presence {
                    self.send(ClientFrame::SetPresence { presence });
                }
            }
            ServerFrame::Ack { command_id, .. } => {
                // The server is taking commands again.
                self.resend_backoff.reset();
                if let Some(command) = self.outbox.remove(command_id) {
                    self.out.push_back(Output::Acked(command));
                    self.outbox_changed();
                }
            }
            // Not run: kept, and sent again (same id) once the wait is over.
            ServerFrame::Error {
                code: ErrorCode::RateLimited,
                command_id: Some(id),
                retry_after_ms,
                message,
            } => {
                if !self.outbox.items().iter().any(|c| c.id == id) {
                    self.out.push_back(Output::Notice(message));
                    return;
                }
                self.throttled.insert(id);
                if !self.resend_scheduled {
                    self.resend_scheduled = true;
                    let delay_ms = self
                        .resend_backoff
                        .next_delay_ms(env.random)
                        .max(retry_after_ms.unwrap_or(0));
                    self.start_timer(Timer::Resend, delay_ms);
                }
            }
            ServerFrame::Error {
                message,
                command_id: Some(id),
                ..
            } => {
                if !self.reject(id, message.clone()) {
                    self.out.push_back(Output::Notice(message));
                }
            }
            ServerFrame::Error {
                message,
                command_id: None,
                ..
            } => {
                self.out.push_back(Output::Notice(message));
            }
            ServerFrame::ResyncRequired { .. } => {
                // Our position is useless now; the refetched state is the new baseline.
                self.last_seq = None;
                self.close_socket();
                self.set_state(ConnectionState::Resyncing);
                self.out.push_back(Output::ResyncRequired);
            }
            ServerFrame::Pong { .. } => {}
            ServerFrame::Typing { .. }
            | ServerFrame::PresenceChanged { .. }
            | ServerFrame::Meeting(_)
            | ServerFrame::Board(_) => {
                if matches!(self.state, ConnectionState::Syncing | ConnectionState::Open) {
                    self.out.push_back(Output::Ephemeral(frame));
                }
            }
        }
    }

    fn on_timer(&mut self, timer: Timer, env: Env) {
        match (timer, &self.state) {
            (Timer::Reconnect, ConnectionState::Waiting { .. }) => self.connect(env),
            (Timer::Handshake, ConnectionState::Connecting { .. }) => {
                self.close_socket();
                self.schedule_reconnect(env);
            }
            (Timer::Resend, ConnectionState::Open) => {
                self.resend_scheduled = false;
                let waiting = std::mem::take(&mut self.throttled);
                let frames: Vec<ClientFrame> = self
                    .outbox
                    .items()
                    .iter()
                    .filter(|c| waiting.contains(&c.id))
                    .map(PendingCommand::frame)
                    .collect();
                for frame in frames {
                    self.send(frame);
                }
            }
            (Timer::Heartbeat, ConnectionState::Syncing | ConnectionState::Open) => {
                let silent_for = env.now_ms - self.last_frame_at;
                if silent_for > (2 * self.heartbeat_ms) as f64 {
                    // No pong and no frame for two intervals: the socket is dead even
                    // if the browser has not noticed yet.
                    self.close_socket();
                    self.schedule_reconnect(env);
                } else {
                    let nonce = self.next_nonce;
                    self.next_nonce += 1;
                    self.send(ClientFrame::Ping { nonce });
                    self.start_timer(Timer::Heartbeat, self.heartbeat_ms / 2);
                }
            }
            _ => {}
        }
    }

    fn queue(&mut self, command: PendingCommand) -> bool {
        let added = self.outbox.push(command);
        if added {
            self.outbox_changed();
        }
        added
    }

    /// Removes a refused command from the outbox and reports it; `false` if unknown.
    fn reject(&mut self, id: Uuid, message: String) -> bool {
        let Some(command) = self.outbox.remove(id) else {
            return false;
        };
        self.throttled.remove(&id);
        self.out.push_back(Output::Rejected { command, message });
        self.outbox_changed();
        true
    }

    fn connect(&mut self, env: Env) {
        self.socket += 1;
        self.socket_live = true;
        // A new socket resends the whole outbox after its replay, and a stale `Resend`
        // timer (of the old socket) is ignored.
        self.throttled.clear();
        self.resend_scheduled = false;
        self.last_frame_at = env.now_ms;
        self.set_state(ConnectionState::Connecting {
            attempt: self.backoff.attempt(),
        });
        self.out.push_back(Output::OpenSocket {
            socket: self.socket,
        });
        self.start_timer(Timer::Handshake, HANDSHAKE_TIMEOUT_MS);
    }

    fn schedule_reconnect(&mut self, env: Env) {
        let delay_ms = self.backoff.next_delay_ms(env.random);
        self.set_state(ConnectionState::Waiting {
            attempt: self.backoff.attempt(),
            retry_at_ms: env.now_ms + delay_ms as f64,
        });
        self.start_timer(Timer::Reconnect, delay_ms);
    }

    fn close_socket(&mut self) {
        if self.socket_live {
            self.socket_live = false;
            self.out.push_back(Output::CloseSocket {
                socket: self.socket,
            });
        }
    }

    fn send(&mut self, frame: ClientFrame) {
        if self.socket_live {
            self.out.push_back(Output::Send {
                socket: self.socket,
                frame,
            });
        }
    }

    fn start_timer(&mut self, timer: Timer, delay_ms: u64) {
        self.out.push_back(Output::StartTimer {
            timer,
            socket: self.socket,
            delay_ms,
        });
    }

    fn set_state(&mut self, state: ConnectionState) {
        if self.state != state {
            self.state = state.clone();
            self.out.push_back(Output::StateChanged(state));
        }
    }

    fn outbox_changed(&mut self) {
        self.out
            .push_back(Output::OutboxChanged(self.outbox.items().to_vec()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::ws::{Command, Event};
    use tandem_protocol::ErrorCode;
    use uuid::Uuid;

    const T0: f64 = 1_000_000.0;

    fn env(now_ms: f64) -> Env {
        Env {
            now_ms,
            random: 0.5,
        }
    }

    fn drain(c: &mut Connection) -> Vec<Output> {
        std::iter::from_fn(|| c.poll_output()).collect()
    }

    fn sent(outputs: &[Output]) -> Vec<ClientFrame> {
        outputs
            .iter()
            .filter_map(|o| match o {
                Output::Send { frame, .. } => Some(frame.clone()),
                _ => None,
            })
            .collect()
    }

    fn hello(interval: u64) -> ServerFrame {
        ServerFrame::Hello {
            connection_id: Uuid::from_u128(99),
            protocol_version: PROTOCOL_VERSION,
            user_id: Uuid::from_u128(1),
            stream_position: 0,
            heartbeat_interval_ms: interval,
        }
    }

    fn event(seq: Seq) -> ServerFrame {
        ServerFrame::Event(EventEnvelope {
            seq,
            id: Uuid::from_u128(1000 + seq as u128),
            at: 0,
            event: Event::StatusChanged {
                user_id: Uuid::from_u128(1),
                text: format!("#{seq}"),
            },
        })
    }

    fn cmd(n: u128) -> PendingCommand {
        PendingCommand {
            id: Uuid::from_u128(n),
            command: Command::SetStatus {
                text: format!("s{n}"),
            },
            queued_at: 0,
        }
    }

    fn frame(c: &mut Connection, frame: ServerFrame) -> Vec<Output> {
        let socket = c.socket;
        c.handle(Input::FrameReceived { socket, frame }, env(T0));
        drain(c)
    }

    /// Start, open, hello, replay complete at `seq`.
    fn open(c: &mut Connection, seq: Seq) -> Vec<Output> {
        c.handle(Input::Start { from: None }, env(T0));
        let mut all = drain(c);
        c.handle(Input::SocketOpened { socket: c.socket }, env(T0));
        all.extend(frame(c, hello(20_000)));
        all.extend(frame(c, ServerFrame::ReplayComplete { seq }));
        all
    }

    fn close(c: &mut Connection, code: u16) -> Vec<Output> {
        let socket = c.socket;
        c.handle(Input::SocketClosed { socket, code }, env(T0));
        drain(c)
    }

    #[test]
    fn first_connect_resumes_from_nothing_then_goes_live() {
        let mut c = Connection::new(Outbox::default());
        let out = open(&mut c, 5);
        assert!(out.contains(&Output::OpenSocket { socket: 1 }));
        assert_eq!(sent(&out), vec![ClientFrame::Resume { last_seq: None }]);
        assert_eq!(c.state(), &ConnectionState::Open);
        assert_eq!(c.last_seq(), Some(5));
        assert!(out.contains(&Output::StateChanged(ConnectionState::Syncing)));
    }

    #[test]
    fn events_apply_once_and_in_order() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 5);
        let mut applied = vec![];
        for seq in [6, 7, 6, 5, 7, 8] {
            for o in frame(&mut c, event(seq)) {
                if let Output::Apply(e) = o {
                    applied.push(e.seq);
                }
            }
        }
        assert_eq!(applied, vec![6, 7, 8]);
        assert_eq!(c.last_seq(), Some(8));
    }

    #[test]
    fn reconnect_resumes_from_last_seq_and_resends_outbox_after_replay() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 5);
        frame(&mut c, event(6));
        let out = close(&mut c, 1006);
        assert!(matches!(
            c.state(),
            ConnectionState::Waiting { attempt: 1, .. }
        ));
        assert!(out.iter().any(|o| matches!(
            o,
            Output::StartTimer {
                timer: Timer::Reconnect,
                ..
            }
        )));

        // Commands issued while offline are queued, not sent.
        c.handle(Input::Submit(cmd(1)), env(T0));
        c.handle(Input::Submit(cmd(2)), env(T0));
        assert!(sent(&drain(&mut c)).is_empty());

        c.handle(
            Input::TimerFired {
                timer: Timer::Reconnect,
                socket: 1,
            },
            env(T0),
        );
        assert!(drain(&mut c).contains(&Output::OpenSocket { socket: 2 }));
        let out = frame(&mut c, hello(20_000));
        assert_eq!(sent(&out), vec![ClientFrame::Resume { last_seq: Some(6) }]);
        // Replayed events, including an overlap, then completion.
        assert!(frame(&mut c, event(6)).is_empty());
        frame(&mut c, event(7));
        let out = frame(&mut c, ServerFrame::ReplayComplete { seq: 7 });
        assert_eq!(sent(&out), vec![cmd(1).frame(), cmd(2).frame()]);
    }

    #[test]
    fn acks_and_refusals_leave_the_outbox() {
        let mut c = Connection::new(Outbox::from_items(vec![cmd(1), cmd(2)]));
        let out = open(&mut c, 0);
        assert_eq!(sent(&out).len(), 3, "resume plus two restored commands");
        let out = frame(
            &mut c,
            ServerFrame::Ack {
                command_id: Uuid::from_u128(1),
                event_id: Uuid::nil(),
                seq: 1,
            },
        );
        assert!(out.contains(&Output::Acked(cmd(1))));
        assert!(out.contains(&Output::OutboxChanged(vec![cmd(2)])));
        let out = frame(
            &mut c,
            ServerFrame::Error {
                code: ErrorCode::Validation,
                message: "Too long".into(),
                command_id: Some(Uuid::from_u128(2)),
                retry_after_ms: None,
            },
        );
        assert!(out.contains(&Output::Rejected {
            command: cmd(2),
            message: "Too long".into()
        }));
        assert!(c.outbox().is_empty());
        // A duplicate ack for something already gone changes nothing.
        let out = frame(
            &mut c,
            ServerFrame::Ack {
                command_id: Uuid::from_u128(1),
                event_id: Uuid::nil(),
                seq: 1,
            },
        );
        assert!(out.is_empty());
    }

    fn limited(n: u128, retry_after_ms: u64) -> ServerFrame {
        ServerFrame::Error {
            code: ErrorCode::RateLimited,
            message: "Too many requests".into(),
            command_id: Some(Uuid::from_u128(n)),
            retry_after_ms: Some(retry_after_ms),
        }
    }

    fn timers(outputs: &[Output], which: Timer) -> Vec<u64> {
        outputs
            .iter()
            .filter_map(|o| match o {
                Output::StartTimer {
                    timer, delay_ms, ..
                } if *timer == which => Some(*delay_ms),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_rate_limited_command_is_kept_and_resent_in_order_after_the_wait() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 0);
        for n in 1..=3 {
            c.handle(Input::Submit(cmd(n)), env(T0));
        }
        drain(&mut c);
        let out = frame(&mut c, limited(2, 700));
        assert!(!out.iter().any(|o| matches!(o, Output::Rejected { .. })));
        assert_eq!(
            timers(&out, Timer::Resend),
            vec![700],
            "the server's wait, at least"
        );
        // A second refusal from the same burst does not start a second timer.
        assert!(timers(&frame(&mut c, limited(3, 600)), Timer::Resend).is_empty());
        assert_eq!(c.outbox().len(), 3, "nothing is dropped");
        // Commands issued meanwhile wait behind the refused ones.
        c.handle(Input::Submit(cmd(4)), env(T0));
        assert!(sent(&drain(&mut c)).is_empty());
        frame(
            &mut c,
            ServerFrame::Ack {
                command_id: Uuid::from_u128(1),
                event_id: Uuid::nil(),
                seq: 1,
            },
        );
        c.handle(
            Input::TimerFired {
                timer: Timer::Resend,
                socket: 1,
            },
            env(T0 + 700.0),
        );
        let out = drain(&mut c);
        assert_eq!(
            sent(&out),
            vec![cmd(2).frame(), cmd(3).frame(), cmd(4).frame()]
        );
        // Refused again: the wait grows (backoff), the command still stays.
        let first = timers(&frame(&mut c, limited(2, 10)), Timer::Resend)[0];
        assert!(first >= 100, "{first}");
        c.handle(
            Input::TimerFired {
                timer: Timer::Resend,
                socket: 1,
            },
            env(T0 + 2_000.0),
        );
        assert_eq!(sent(&drain(&mut c)), vec![cmd(2).frame()]);
        let second = timers(&frame(&mut c, limited(2, 10)), Timer::Resend)[0];
        assert!(second > first, "{second} > {first}");
        assert_eq!(c.outbox().len(), 3);
    }

    #[test]
    fn a_command_too_large_to_send_is_dropped_and_reported_without_sending_it() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 0);
        let huge = PendingCommand {
            id: Uuid::from_u128(9),
            command: Command::SetStatus {
                text: "x".repeat(tandem_protocol::ws::MAX_FRAME_BYTES),
            },
            queued_at: 0,
        };
        c.handle(Input::Submit(huge.clone()), env(T0));
        let out = drain(&mut c);
        assert!(sent(&out).is_empty(), "never sent");
        assert!(out.contains(&Output::Rejected {
            command: huge.clone(),
            message: FRAME_TOO_LARGE.into()
        }));
        assert!(c.outbox().is_empty());
        // The server's refusal of one (sent by an older client) names it: dropped too.
        let mut c = Connection::new(Outbox::from_items(vec![cmd(1)]));
        open(&mut c, 0);
        let out = frame(
            &mut c,
            ServerFrame::Error {
                code: ErrorCode::PayloadTooLarge,
                message: FRAME_TOO_LARGE.into(),
                command_id: Some(Uuid::from_u128(1)),
                retry_after_ms: None,
            },
        );
        assert!(out.contains(&Output::Rejected {
            command: cmd(1),
            message: FRAME_TOO_LARGE.into()
        }));
        assert!(c.outbox().is_empty());
        // One stored before this check existed is refused at the next connect.
        let mut c = Connection::new(Outbox::from_items(vec![huge.clone(), cmd(2)]));
        let out = open(&mut c, 0);
        assert_eq!(
            sent(&out),
            vec![ClientFrame::Resume { last_seq: None }, cmd(2).frame()]
        );
        assert!(out
            .iter()
            .any(|o| matches!(o, Output::Rejected { command, .. } if command.id == huge.id)));
    }

    #[test]
    fn a_socket_displaced_by_newer_tabs_waits_for_the_user() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 0);
        let out = close(&mut c, CLOSE_TOO_MANY_SOCKETS);
        assert_eq!(c.state(), &ConnectionState::Displaced);
        assert!(
            timers(&out, Timer::Reconnect).is_empty(),
            "no automatic retry"
        );
        c.handle(Input::NetworkOnline, env(T0));
        assert!(drain(&mut c).is_empty());
        c.handle(Input::RetryNow, env(T0));
        assert!(drain(&mut c).contains(&Output::OpenSocket { socket: 2 }));
    }

    #[test]
    fn submit_while_open_sends_immediately() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 0);
        c.handle(Input::Submit(cmd(7)), env(T0));
        let out = drain(&mut c);
        assert_eq!(sent(&out), vec![cmd(7).frame()]);
        assert!(out.contains(&Output::OutboxChanged(vec![cmd(7)])));
    }

    #[test]
    fn session_end_is_terminal() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 0);
        let out = close(&mut c, CLOSE_SESSION_ENDED);
        assert!(out.contains(&Output::SessionEnded));
        assert!(!out.iter().any(|o| matches!(o, Output::StartTimer { .. })));
        c.handle(Input::NetworkOnline, env(T0));
        c.handle(
            Input::TimerFired {
                timer: Timer::Reconnect,
                socket: 1,
            },
            env(T0),
        );
        assert!(drain(&mut c).is_empty());
        assert_eq!(c.state(), &ConnectionState::SessionEnded);
    }

    #[test]
    fn stale_timers_and_closes_are_ignored_and_online_reconnects_now() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 0);
        close(&mut c, 1006);
        c.handle(Input::NetworkOnline, env(T0));
        assert!(drain(&mut c).contains(&Output::OpenSocket { socket: 2 }));
        // The reconnect timer of socket 1 fires late, and socket 1 reports closing again.
        c.handle(
            Input::TimerFired {
                timer: Timer::Reconnect,
                socket: 1,
            },
            env(T0),
        );
        c.handle(
            Input::SocketClosed {
                socket: 1,
                code: 1006,
            },
            env(T0),
        );
        assert!(drain(&mut c).is_empty());
        assert_eq!(c.state(), &ConnectionState::Connecting { attempt: 1 });
    }

    #[test]
    fn hello_resets_backoff() {
        let mut c = Connection::new(Outbox::default());
        c.handle(Input::Start { from: None }, env(T0));
        for _ in 0..3 {
            close(&mut c, 1006);
            c.handle(Input::RetryNow, env(T0));
        }
        assert_eq!(c.state(), &ConnectionState::Connecting { attempt: 3 });
        frame(&mut c, hello(20_000));
        close(&mut c, 1006);
        assert!(matches!(
            c.state(),
            ConnectionState::Waiting { attempt: 1, .. }
        ));
    }

    #[test]
    fn heartbeat_pings_and_detects_a_dead_socket() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 0);
        let hb = Input::TimerFired {
            timer: Timer::Heartbeat,
            socket: 1,
        };
        c.handle(hb.clone(), env(T0 + 10_000.0));
        let out = drain(&mut c);
        assert_eq!(sent(&out), vec![ClientFrame::Ping { nonce: 1 }]);
        assert!(out.contains(&Output::StartTimer {
            timer: Timer::Heartbeat,
            socket: 1,
            delay_ms: 10_000
        }));
        // Silence for more than two intervals.
        c.handle(hb, env(T0 + 41_000.0));
        let out = drain(&mut c);
        assert!(out.contains(&Output::CloseSocket { socket: 1 }));
        assert!(matches!(c.state(), ConnectionState::Waiting { .. }));
    }

    #[test]
    fn handshake_timeout_retries() {
        let mut c = Connection::new(Outbox::default());
        c.handle(Input::Start { from: None }, env(T0));
        drain(&mut c);
        c.handle(
            Input::TimerFired {
                timer: Timer::Handshake,
                socket: 1,
            },
            env(T0 + 10_000.0),
        );
        let out = drain(&mut c);
        assert!(out.contains(&Output::CloseSocket { socket: 1 }));
        assert!(matches!(c.state(), ConnectionState::Waiting { .. }));
    }

    #[test]
    fn resync_refetches_then_resumes_from_the_position_read_before_the_refetch() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 10);
        let out = frame(
            &mut c,
            ServerFrame::ResyncRequired {
                reason: tandem_protocol::ws::ResyncReason::GapTooOld,
            },
        );
        assert!(out.contains(&Output::CloseSocket { socket: 1 }));
        assert!(out.contains(&Output::ResyncRequired));
        // The close event of the socket we dropped does not schedule a retry.
        c.handle(
            Input::SocketClosed {
                socket: 1,
                code: 1000,
            },
            env(T0),
        );
        assert!(drain(&mut c).is_empty());
        c.handle(Input::ResyncDone { from: Some(40) }, env(T0));
        assert!(drain(&mut c).contains(&Output::OpenSocket { socket: 2 }));
        let out = frame(&mut c, hello(20_000));
        assert_eq!(sent(&out), vec![ClientFrame::Resume { last_seq: Some(40) }]);
    }

    #[test]
    fn a_page_resumes_from_the_position_it_read_before_loading() {
        let mut c = Connection::new(Outbox::default());
        c.handle(Input::Start { from: Some(12) }, env(T0));
        assert!(drain(&mut c).contains(&Output::OpenSocket { socket: 1 }));
        let out = frame(&mut c, hello(20_000));
        assert_eq!(sent(&out), vec![ClientFrame::Resume { last_seq: Some(12) }]);
        // What was appended while the page loaded is replayed, then it is live.
        let applied: Vec<Seq> = [event(13), event(14)]
            .into_iter()
            .flat_map(|e| frame(&mut c, e))
            .filter_map(|o| match o {
                Output::Apply(e) => Some(e.seq),
                _ => None,
            })
            .collect();
        assert_eq!(applied, vec![13, 14]);
        frame(&mut c, ServerFrame::ReplayComplete { seq: 14 });
        assert_eq!(c.state(), &ConnectionState::Open);
        assert_eq!(c.last_seq(), Some(14));
    }

    #[test]
    fn going_offline_drops_the_socket_at_once_and_online_reconnects_now() {
        let mut c = Connection::new(Outbox::default());
        open(&mut c, 3);
        c.handle(Input::NetworkOffline, env(T0));
        let out = drain(&mut c);
        assert!(out.contains(&Output::CloseSocket { socket: 1 }));
        assert!(matches!(c.state(), ConnectionState::Waiting { .. }));
        // A command issued offline waits in the outbox.
        c.handle(Input::Submit(cmd(5)), env(T0));
        assert!(sent(&drain(&mut c)).is_empty());
        // A second offline event changes nothing.
        c.handle(Input::NetworkOffline, env(T0));
        assert!(drain(&mut c).is_empty());
        c.handle(Input::NetworkOnline, env(T0));
        assert!(drain(&mut c).contains(&Output::OpenSocket { socket: 2 }));
        frame(&mut c, hello(20_000));
        let out = frame(&mut c, ServerFrame::ReplayComplete { seq: 3 });
        assert_eq!(sent(&out), vec![cmd(5).frame()]);
    }

    #[test]
    fn ephemeral_frames_are_sent_only_while_live_and_presence_is_restored() {
        let mut c = Connection::new(Outbox::default());
        let typing = ClientFrame::Typing {
            channel_id: Uuid::from_u128(8),
            thread_root_id: None,
        };
        c.handle(Input::Start { from: None }, env(T0));
        drain(&mut c);
        c.handle(Input::SendEphemeral(typing.clone()), env(T0));
        let away = ClientFrame::SetPresence {
            presence: Presence::Away,
        };
        c.handle(Input::SendEphemeral(away.clone()), env(T0));
        assert!(sent(&drain(&mut c)).is_empty(), "nothing is queued");
        c.handle(Input::SocketOpened { socket: 1 }, env(T0));
        frame(&mut c, hello(20_000));
        let out = frame(&mut c, ServerFrame::ReplayComplete { seq: 0 });
        assert_eq!(
            sent(&out),
            vec![away],
            "presence re-announced after connect"
        );
        c.handle(Input::SendEphemeral(typing.clone()), env(T0));
        assert_eq!(sent(&drain(&mut c)), vec![typing]);
        let incoming = ServerFrame::Typing {
            channel_id: Uuid::from_u128(8),
            thread_root_id: None,
            user_id: Uuid::from_u128(2),
        };
        let out = frame(&mut c, incoming.clone());
        assert_eq!(out, vec![Output::Ephemeral(incoming)]);
        assert!(c.outbox().is_empty());
    }

    #[test]
    fn protocol_mismatch_stops() {
        let mut c = Connection::new(Outbox::default());
        c.handle(Input::Start { from: None }, env(T0));
        drain(&mut c);
        let out = frame(
            &mut c,
            ServerFrame::Hello {
                connection_id: Uuid::nil(),
                protocol_version: PROTOCOL_VERSION + 1,
                user_id: Uuid::nil(),
                stream_position: 0,
                heartbeat_interval_ms: 20_000,
            },
        );
        assert!(out.contains(&Output::ProtocolMismatch {
            server: PROTOCOL_VERSION + 1
        }));
        assert_eq!(c.state(), &ConnectionState::Stopped);
    }
}
