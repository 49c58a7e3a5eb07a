//! One WebSocket connection: `hello`, `resume` (replay then live), commands, pings.
//!
//! A send task owns the sink and is fed through one bounded queue, by the connection
//! task (replies, replay) and by the fan-out (`subscribers`), which writes the events
//! and notices for this connection straight into it. The connection task reads client
//! frames and keeps the heartbeat; events never wake it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use tandem_protocol::boards::{BoardNotice, BoardRequest};
use tandem_protocol::chat::{ChannelId, MessageId, Presence};
use tandem_protocol::ws::{
    ClientFrame, ResyncReason, ServerFrame, CLOSE_SESSION_ENDED, CLOSE_TOO_MANY_SOCKETS,
    FRAME_TOO_LARGE, MAX_FRAME_BYTES,
};
use tandem_protocol::{ErrorCode, Seq, PROTOCOL_VERSION};
use tokio::sync::{mpsc, Notify};
use uuid::Uuid;

use super::audience::Viewer;
use super::commands;
use super::limits::{self, CommandLimiter};
use super::open_rooms::OpenRooms;
use super::outbound::Outbound;
use super::remote::{self, Request};
use super::subscribers::Attach;
use super::target::Target;
use crate::auth::extract::GUESTS_ONLY_THEIR_MEETING;
use crate::boards::mailbox::{self, Inbox, Mailbox};
use crate::db::sessions;
use crate::meetings::requests::Caller;
use crate::state::AppState;

pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(20);
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The transport accepts messages up to this size so that oversized frames reach us
/// and get an error frame instead of a dropped connection.
pub const TRANSPORT_MAX_MESSAGE: usize = 1024 * 1024;
/// Room in the send queue beyond `--event-buffer` (which the fan-out may fill), for
/// replies and pings.
const OUTBOUND_SLACK: usize = 64;
/// A client that does not drain its queue for this long is disconnected.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection relays at most one typing notice per channel (and thread) this often.
const TYPING_THROTTLE: Duration = Duration::from_secs(2);

const CLOSE_NORMAL: u16 = 1000;
const CLOSE_GOING_AWAY: u16 = 1001;

/// Why the connection loop ended: with a close frame to send, or because the peer left.
enum End {
    Close(u16, &'static str),
    Gone,
}

struct Connection {
    state: AppState,
    connection_id: Uuid,
    viewer: Viewer,
    out: mpsc::Sender<Outbound>,
    /// The log's head when the connection attached: replay ends here, and the fan-out
    /// holds what came after until `resume`.
    head: Seq,
    /// Set by `resume`: events and notices flow.
    live: bool,
    /// Fires when the fan-out found the queue full of events this client has not read.
    lagged: Arc<Notify>,
    last_typing: HashMap<(ChannelId, Option<MessageId>), Instant>,
    /// Where board rooms queue this connection's board notices: made when the first
    /// board is opened (most connections never open one).
    board_mailbox: Option<Mailbox>,
    board_inbox: Option<Inbox>,
    /// Boards this connection opened (left when it closes).
    open_rooms: OpenRooms,
    /// Commands and presence changes this connection may still send.
    limiter: CommandLimiter,
}

pub async fn run(socket: WebSocket, state: AppState, session_id: Uuid, viewer: Viewer) {
    let connection_id = Uuid::new_v4();
    let (out, out_rx) = mpsc::channel(state.config.event_buffer + OUTBOUND_SLACK);
    let attach = Attach {
        connection_id,
        user_id: viewer.user_id,
        guest_meeting: viewer.guest.as_ref().map(|guest| guest.meeting_id),
        channels: HashSet::new(),
        out: out.clone(),
    };
    // From here on the fan-out holds every event after `head` for this connection.
    let (head, lagged) = match state.log.attach(attach).await {
        Ok(attached) => attached,
        Err(err) => {
            tracing::error!(error = %err, "could not attach a connection");
            return;
        }
    };
    let registration = state.connections.register(
        session_id,
        viewer.user_id,
        connection_id,
        state.config.max_sockets_per_user as usize,
    );
    // A log-out that raced the upgrade found no socket to close: check once more.
    match sessions::is_live(&state.db, session_id).await {
        Ok(true) => {}
        Ok(false) => registration.signal.close(CLOSE_SESSION_ENDED),
        Err(err) => {
            tracing::error!(error = %err, "could not re-check the session");
            state.subscribers.detach(connection_id);
            return;
        }
    }
    let (sink, stream) = socket.split();
    let sender = tokio::spawn(send_loop(sink, out_rx));
    tracing::debug!(%connection_id, user_id = %viewer.user_id, "socket open");

    let user_id = viewer.user_id;
    let limiter = CommandLimiter::new(&state.config);
    let mut conn = Connection {
        limiter,
        state,
        connection_id,
        viewer,
        out,
        head,
        live: false,
        lagged,
        last_typing: HashMap::new(),
        board_mailbox: None,
        board_inbox: None,
        open_rooms: OpenRooms::default(),
    };
    let hello = ServerFrame::Hello {
        connection_id,
        protocol_version: PROTOCOL_VERSION,
        user_id,
        stream_position: head,
        heartbeat_interval_ms: HEARTBEAT_INTERVAL.as_millis() as u64,
    };
    let end = if conn.send(hello).await.is_err() {
        End::Gone
    } else {
        conn.serve(stream, &registration.signal).await
    };
    conn.state.subscribers.detach(connection_id);
    // Rooms held by other nodes let it go there.
    if let Some(cluster) = &conn.state.cluster {
        cluster.connection_closed(connection_id);
    }
    // A closed socket leaves every meeting and board it was in (before presence
    // forgets it).
    std::mem::take(&mut conn.open_rooms)
        .leave_all(&conn.state, connection_id)
        .await;
    // Counted as present only once live (see `on_resume`); removing is idempotent.
    conn.state.presence.set(user_id, connection_id, None);
    if let End::Close(code, reason) = end {
        let _ = conn
            .out
            .send_timeout(Outbound::Close(code, reason), SEND_TIMEOUT)
            .await;
    }
    drop(conn);
    drop(registration);
    let _ = tokio::time::timeout(SEND_TIMEOUT, sender).await;
    tracing::debug!(%connection_id, "socket closed");
}

/// Writes what is queued, then flushes once: a burst of frames leaves in a few
/// writes instead of one system call each.
async fn send_loop(mut sink: SplitSink<WebSocket, Message>, mut queue: mpsc::Receiver<Outbound>) {
    'queue: while let Some(mut item) = queue.recv().await {
        loop {
            let message = match item {
                Outbound::Shared(text) => Some(Message::Text(text)),
                Outbound::Frame(frame) => super::outbound::encode(&frame).map(Message::Text),
                Outbound::Ping => Some(Message::Ping(Default::default())),
                Outbound::Close(code, reason) => {
                    let frame = CloseFrame {
                        code,
                        reason: Utf8Bytes::from_static(reason),
                    };
                    let _ = sink.send(Message::Close(Some(frame))).await;
                    break 'queue;
                }
            };
            if let Some(message) = message {
                if sink.feed(message).await.is_err() {
                    break 'queue;
                }
            }
            match queue.try_recv() {
                Ok(next) => item = next,
                Err(_) => break,
            }
        }
        if sink.flush().await.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
}

struct Gone;

/// The next board notice, or never while no board was opened.
async fn next_board_notice(inbox: &mut Option<Inbox>) -> BoardNotice {
    match inbox {
        Some(inbox) => inbox.next().await,
        None => std::future::pending().await,
    }
}

impl Connection {
    async fn send(&self, frame: ServerFrame) -> Result<(), Gone> {
        self.out
            .send_timeout(Outbound::Frame(Box::new(frame)), SEND_TIMEOUT)
            .await
            .map_err(|_| Gone)
    }

    async fn error(&self, code: ErrorCode, message: impl Into<String>) -> Result<(), Gone> {
        self.send(ServerFrame::Error {
            code,
            message: message.into(),
            command_id: None,
            retry_after_ms: None,
        })
        .await
    }

    /// Counts a command (or presence change) against the rate limit; when over it,
    /// answers `rate_limited` (with the command's id, if any) and returns `false`.
    async fn within_rate(&mut self, command_id: Option<Uuid>) -> Result<bool, Gone> {
        let Err(wait) = self.limiter.check() else {
            return Ok(true);
        };
        // Rounded up, so a client waiting exactly this long is not refused again.
        let retry_after_ms = wait.as_millis().saturating_add(1) as u64;
        self.send(ServerFrame::Error {
            code: ErrorCode::RateLimited,
            message: format!("Too many requests: wait {retry_after_ms} ms and send again."),
            command_id,
            retry_after_ms: Some(retry_after_ms),
        })
        .await?;
        Ok(false)
    }

    async fn serve(
        &mut self,
        mut stream: SplitStream<WebSocket>,
        close_signal: &super::registry::CloseSignal,
    ) -> End {
        let mut heartbeat = tokio::time::interval(HEARTBEAT_INTERVAL);
        heartbeat.tick().await;
        let mut last_heard = Instant::now();
        let lagged = self.lagged.clone();
        loop {
            // Biased: a session end first, then a lag, then the client. Events and
            // notices are already in the send queue, ahead of any reply to a frame the
            // client sends later.
            let step = tokio::select! {
                biased;
                code = close_signal.closed() => {
                    let reason = match code {
                        CLOSE_TOO_MANY_SOCKETS => "too many open connections for this user",
                        _ => "session ended",
                    };
                    return End::Close(code, reason);
                }
                () = lagged.notified(), if self.live => return self.resync_lagged().await,
                // Board notices for boards this connection has open (a lagging board
                // becomes a `resync` notice inside the inbox, never a silent gap).
                notice = next_board_notice(&mut self.board_inbox) => {
                    self.send(ServerFrame::Board(notice)).await.map(|()| None)
                }
                message = stream.next() => match message {
                    Some(Ok(message)) => {
                        last_heard = Instant::now();
                        self.on_message(message).await
                    }
                    // A frame the transport refused (too large, not UTF-8) is owed a
                    // close code saying why; a vanished peer is not.
                    Some(Err(err)) => match limits::close_for(err) {
                        Some((code, reason)) => return End::Close(code, reason),
                        None => return End::Gone,
                    },
                    None => return End::Gone,
                },
                _ = heartbeat.tick() => {
                    if last_heard.elapsed() >= IDLE_TIMEOUT {
                        return End::Close(CLOSE_GOING_AWAY, "heartbeat timeout");
                    }
                    self.out
                        .send_timeout(Outbound::Ping, SEND_TIMEOUT)
                        .await
                        .map_err(|_| Gone)
                        .map(|_| None)
                }
            };
            match step {
                Ok(None) => {}
                Ok(Some(end)) => return end,
                Err(Gone) => return End::Gone,
            }
        }
    }

    /// The fan-out found this client's queue full of unread events and dropped it:
    /// say so (after what is queued) rather than leave a silent gap.
    async fn resync_lagged(&self) -> End {
        let frame = ServerFrame::ResyncRequired {
            reason: ResyncReason::Lagged,
        };
        match self.send(frame).await {
            Ok(()) => End::Close(CLOSE_NORMAL, "resync required"),
            Err(Gone) => End::Gone,
        }
    }

    async fn on_typing(
        &mut self,
        channel_id: ChannelId,
        thread_root_id: Option<MessageId>,
    ) -> Result<Option<End>, Gone> {
        if !self
            .state
            .subscribers
            .in_channel(self.connection_id, channel_id)
        {
            self.error(ErrorCode::NotFound, "No such channel.").await?;
            return Ok(None);
        }
        let now = Instant::now();
        let key = (channel_id, thread_root_id);
        if self
            .last_typing
            .get(&key)
            .is_some_and(|at| now.duration_since(*at) < TYPING_THROTTLE)
        {
            return Ok(None);
        }
        self.last_typing.insert(key, now);
        let user_id = self.viewer.user_id;
        self.state.ephemeral.send(
            Target::ChannelExcept {
                channel_id,
                except: user_id,
            },
            ServerFrame::Typing {
                channel_id,
                thread_root_id,
                user_id,
            },
        );
        Ok(None)
    }

    async fn on_set_presence(&mut self, presence: Presence) -> Result<Option<End>, Gone> {
        if presence == Presence::Offline {
            self.error(
                ErrorCode::Validation,
                "A connected client is online, away or in a meeting.",
            )
            .await?;
            return Ok(None);
        }
        self.state
            .presence
            .set(self.viewer.user_id, self.connection_id, Some(presence));
        Ok(None)
    }

    async fn on_message(&mut self, message: Message) -> Result<Option<End>, Gone> {
        match message {
            Message::Text(text) => {
                if text.len() > MAX_FRAME_BYTES {
                    // Named by its id, a refused command leaves the client's outbox
                    // instead of being resent forever.
                    self.send(ServerFrame::Error {
                        code: ErrorCode::PayloadTooLarge,
                        message: FRAME_TOO_LARGE.into(),
                        command_id: limits::command_id_of(&text),
                        retry_after_ms: None,
                    })
                    .await?;
                    return Ok(None);
                }
                match serde_json::from_str::<ClientFrame>(text.as_str()) {
                    Ok(frame) => self.on_frame(frame).await,
                    Err(err) => {
                        if let Some(refused) = crate::boards::requests::unreadable(&text, &err) {
                            self.send(ServerFrame::Board(refused)).await?;
                            return Ok(None);
                        }
                        self.error(
                            ErrorCode::BadRequest,
                            format!("Could not read the frame: {err}"),
                        )
                        .await?;
                        Ok(None)
                    }
                }
            }
            Message::Binary(_) => {
                self.error(
                    ErrorCode::BadRequest,
                    "Binary frames are not supported; send JSON text.",
                )
                .await?;
                Ok(None)
            }
            Message::Close(_) => Err(Gone),
            Message::Ping(_) | Message::Pong(_) => Ok(None),
        }
    }

    async fn on_frame(&mut self, frame: ClientFrame) -> Result<Option<End>, Gone> {
        match frame {
            ClientFrame::Ping { nonce } => {
                self.send(ServerFrame::Pong { nonce }).await?;
                Ok(None)
            }
            ClientFrame::Resume { last_seq } => self.on_resume(last_seq).await,
            // Guests may only chat in (and take part in) their meeting.
            ClientFrame::Typing { .. } | ClientFrame::SetPresence { .. }
                if self.viewer.guest.is_some() =>
            {
                self.error(ErrorCode::Forbidden, GUESTS_ONLY_THEIR_MEETING)
                    .await?;
                Ok(None)
            }
            ClientFrame::Typing { .. }
            | ClientFrame::SetPresence { .. }
            | ClientFrame::Meeting(_)
            | ClientFrame::Board(_)
                if !self.live =>
            {
                self.error(ErrorCode::BadRequest, "Send resume first.")
                    .await?;
                Ok(None)
            }
            ClientFrame::Typing {
                channel_id,
                thread_root_id,
            } => self.on_typing(channel_id, thread_root_id).await,
            ClientFrame::SetPresence { presence } => {
                // Each change is broadcast to the whole workspace: it shares the
                // command budget.
                if !self.within_rate(None).await? {
                    return Ok(None);
                }
                self.on_set_presence(presence).await
            }
            ClientFrame::Meeting(request) => {
                // With several nodes, the meeting's room may be held by another.
                let Some(Request::Meeting(request)) =
                    self.forward_if_elsewhere(Request::Meeting(request)).await?
                else {
                    return Ok(None);
                };
                let caller = Caller {
                    connection_id: self.connection_id,
                    user_id: self.viewer.user_id,
                    guest: self.viewer.guest.as_ref(),
                };
                Box::pin(crate::meetings::requests::handle(
                    &self.state,
                    &caller,
                    request,
                ))
                .await;
                Ok(None)
            }
            ClientFrame::Board(request) => self.on_board(request).await,
            ClientFrame::Command { id, command } => {
                if !self.live {
                    self.error(ErrorCode::BadRequest, "Send resume before any command.")
                        .await?;
                    return Ok(None);
                }
                // Refused before it touches the database or the log's writer lock.
                if !self.within_rate(Some(id)).await? {
                    return Ok(None);
                }
                // Boxed, like the other handlers: their state machines are large, and a
                // socket's task would otherwise carry that size while idle.
                let reply = Box::pin(commands::execute(
                    &self.state,
                    self.viewer.user_id,
                    self.viewer.guest.as_ref(),
                    id,
                    command,
                ))
                .await;
                self.send(reply).await?;
                Ok(None)
            }
        }
    }

    /// Forwards the request if another node holds its room; gives it back otherwise.
    async fn forward_if_elsewhere(&self, request: Request) -> Result<Option<Request>, Gone> {
        let from = remote::From {
            connection_id: self.connection_id,
            user_id: self.viewer.user_id,
            guest: self.viewer.guest.as_ref(),
        };
        match remote::forward_if_elsewhere(&self.state, &from, request).await {
            Ok(request) => Ok(request),
            Err(err) => {
                tracing::error!(error = %err, "could not tell which node holds a room");
                self.error(ErrorCode::Internal, "The server could not reach this room.")
                    .await?;
                Ok(None)
            }
        }
    }

    async fn on_board(&mut self, request: BoardRequest) -> Result<Option<End>, Gone> {
        let Some(Request::Board(request)) =
            self.forward_if_elsewhere(Request::Board(request)).await?
        else {
            return Ok(None);
        };
        let mailbox = match &self.board_mailbox {
            Some(mailbox) => mailbox.clone(),
            None => {
                let (mailbox, inbox) = mailbox::mailbox();
                self.board_inbox = Some(inbox);
                self.board_mailbox = Some(mailbox.clone());
                mailbox
            }
        };
        let caller = crate::boards::requests::Caller {
            connection_id: self.connection_id,
            user_id: self.viewer.user_id,
            guest: self.viewer.guest.as_ref(),
            mailbox: &mailbox,
        };
        if let Some(reply) = self.open_rooms.board(&self.state, &caller, request).await {
            self.send(ServerFrame::Board(reply)).await?;
        }
        Ok(None)
    }

    async fn on_resume(&mut self, last_seq: Option<Seq>) -> Result<Option<End>, Gone> {
        if self.live {
            self.error(
                ErrorCode::BadRequest,
                "resume may be sent only once per connection.",
            )
            .await?;
            return Ok(None);
        }
        let head = self.head;
        let Some(last_seq) = last_seq else {
            // Nothing to replay; the marker still tells the client it is live.
            self.send(ServerFrame::ReplayComplete { seq: head }).await?;
            return self.go_live().await;
        };
        // A position past this node's head, from a page that talked to another node
        // first, is fine if the log has it: the events in between still arrive live
        // (the client drops what it has). Past the log's end it is unknown.
        let unknown = last_seq > head
            && match self.state.log.committed_head().await {
                Ok(committed) => last_seq > committed,
                Err(err) => {
                    tracing::error!(error = %err, "could not read the log head");
                    true
                }
            };
        let reason = if unknown {
            Some(ResyncReason::UnknownPosition)
        } else if head.saturating_sub(last_seq) > self.state.config.max_replay {
            Some(ResyncReason::GapTooOld)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.send(ServerFrame::ResyncRequired { reason }).await?;
            return Ok(Some(End::Close(CLOSE_NORMAL, "resync required")));
        }
        let replay = self
            .state
            .log
            .replay(&self.viewer, last_seq.min(head), head);
        let missed = match Box::pin(replay).await {
            Ok(missed) => missed,
            Err(err) => {
                tracing::error!(error = %err, "replay failed");
                self.error(
                    ErrorCode::Internal,
                    "The server could not replay missed events.",
                )
                .await?;
                return Ok(Some(End::Close(1011, "replay failed")));
            }
        };
        for envelope in missed {
            self.send(ServerFrame::Event(envelope)).await?;
        }
        self.send(ServerFrame::ReplayComplete { seq: head }).await?;
        self.go_live().await
    }

    /// Hands over the events held since `head` and goes live. Waits for room in the
    /// send queue first (the replay may fill it): nothing else writes to the queue of
    /// a connection that is not live, so the room is still there when the held events
    /// are moved in.
    async fn go_live(&mut self) -> Result<Option<End>, Gone> {
        let room = self.state.config.event_buffer;
        match tokio::time::timeout(SEND_TIMEOUT, self.out.reserve_many(room)).await {
            Ok(Ok(permits)) => drop(permits),
            Ok(Err(_)) | Err(_) => return Err(Gone),
        }
        if !self.state.subscribers.go_live(self.connection_id) {
            return Ok(Some(self.resync_lagged().await));
        }
        self.live = true;
        // Guests are not part of the workspace's presence.
        if self.viewer.guest.is_none() {
            self.state.presence.set(
                self.viewer.user_id,
                self.connection_id,
                Some(Presence::Online),
            );
        }
        Ok(None)
    }
}
