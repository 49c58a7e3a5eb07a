//! One WebSocket connection: `hello`, `resume` (replay then live), commands, pings.
//!
//! A send task owns the sink and is fed through a bounded queue; the connection task
//! reads client frames, forwards live events and keeps the heartbeat.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use tandem_protocol::boards::{BoardId, BoardNotice, BoardRequest};
use tandem_protocol::chat::{ChannelId, ChannelKind, MessageId, Presence};
use tandem_protocol::ws::{
    ClientFrame, Event, ResyncReason, ServerFrame, CLOSE_SESSION_ENDED, CLOSE_TOO_MANY_SOCKETS,
    FRAME_TOO_LARGE, MAX_FRAME_BYTES,
};
use tandem_protocol::{ErrorCode, Seq, PROTOCOL_VERSION};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use super::audience::{visible_to, Viewer};
use super::commands;
use super::ephemeral::{Ephemeral, Target};
use super::hub::Published;
use super::limits::{self, CommandLimiter};
use crate::auth::extract::GUESTS_ONLY_THEIR_MEETING;
use crate::boards::mailbox::{self, Inbox, Mailbox};
use crate::db::{channels, events, sessions};
use crate::meetings::requests::Caller;
use crate::state::AppState;

pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(20);
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The transport accepts messages up to this size so that oversized frames reach us
/// and get an error frame instead of a dropped connection.
pub const TRANSPORT_MAX_MESSAGE: usize = 1024 * 1024;
const OUTBOUND_QUEUE: usize = 256;
/// A client that does not drain its queue for this long is disconnected.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection relays at most one typing notice per channel (and thread) this often.
const TYPING_THROTTLE: Duration = Duration::from_secs(2);

const CLOSE_NORMAL: u16 = 1000;
const CLOSE_GOING_AWAY: u16 = 1001;

enum Outbound {
    /// Boxed: frames carrying messages are large, and the queue holds many items.
    Frame(Box<ServerFrame>),
    Ping,
    Close(u16, &'static str),
}

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
    head: Seq,
    /// `None` until `resume`; then the newest `seq` sent (live events at or below it
    /// are duplicates of the replay and are skipped).
    live_after: Option<Seq>,
    last_typing: HashMap<(ChannelId, Option<MessageId>), Instant>,
    /// Where board rooms queue this connection's board notices.
    board_mailbox: Mailbox,
    /// Boards this connection opened (left when it closes).
    open_boards: HashSet<BoardId>,
    /// Commands and presence changes this connection may still send.
    limiter: CommandLimiter,
}

pub async fn run(socket: WebSocket, state: AppState, session_id: Uuid, viewer: Viewer) {
    let connection_id = Uuid::new_v4();
    // Subscribe before reading the head, so nothing committed in between is missed.
    let events = state.hub.subscribe();
    let ephemeral = state.ephemeral.subscribe();
    let head = match events::head(&state.db).await {
        Ok(head) => head,
        Err(err) => {
            tracing::error!(error = %err, "could not read the log head");
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
            return;
        }
    }
    let (sink, stream) = socket.split();
    let (out, out_rx) = mpsc::channel(OUTBOUND_QUEUE);
    let (board_mailbox, board_inbox) = mailbox::mailbox();
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
        live_after: None,
        last_typing: HashMap::new(),
        board_mailbox,
        open_boards: HashSet::new(),
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
        conn.serve(stream, events, ephemeral, board_inbox, &registration.signal)
            .await
    };
    // A closed socket leaves every meeting it was in (before presence forgets it).
    crate::meetings::requests::leave(&conn.state, connection_id, None, false).await;
    // And every board it had open (the others see it leave).
    for board_id in std::mem::take(&mut conn.open_boards) {
        conn.state.boards.rooms.leave(board_id, connection_id).await;
    }
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

async fn send_loop(mut sink: SplitSink<WebSocket, Message>, mut queue: mpsc::Receiver<Outbound>) {
    while let Some(item) = queue.recv().await {
        let message = match item {
            Outbound::Frame(frame) => match serde_json::to_string(&frame) {
                Ok(text) => Message::Text(text.into()),
                Err(err) => {
                    tracing::error!(error = %err, "could not encode a frame");
                    continue;
                }
            },
            Outbound::Ping => Message::Ping(Default::default()),
            Outbound::Close(code, reason) => {
                let frame = CloseFrame {
                    code,
                    reason: Utf8Bytes::from_static(reason),
                };
                let _ = sink.send(Message::Close(Some(frame))).await;
                break;
            }
        };
        if sink.send(message).await.is_err() {
            break;
        }
    }
    let _ = sink.close().await;
}

struct Gone;

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
        mut events: broadcast::Receiver<Arc<Published>>,
        mut ephemeral: broadcast::Receiver<Arc<Ephemeral>>,
        mut boards: Inbox,
        close_signal: &super::registry::CloseSignal,
    ) -> End {
        let mut heartbeat = tokio::time::interval(HEARTBEAT_INTERVAL);
        heartbeat.tick().await;
        let mut last_heard = Instant::now();
        loop {
            // Biased: a session end first, then events already committed (so they reach
            // the client before any reply to a frame it sends later), then the client.
            let step = tokio::select! {
                biased;
                code = close_signal.closed() => {
                    // Notices already sent still go out first: a meeting tells its
                    // guests `ended` just before their sessions are ended.
                    while let (Some(_), Ok(frame)) = (self.live_after, ephemeral.try_recv()) {
                        let _ = self.forward_ephemeral(&frame).await;
                    }
                    let reason = match code {
                        CLOSE_TOO_MANY_SOCKETS => "too many open connections for this user",
                        _ => "session ended",
                    };
                    return End::Close(code, reason);
                }
                received = events.recv(), if self.live_after.is_some() => match received {
                    Ok(published) => self.forward(&published).await,
                    Err(RecvError::Lagged(_)) => {
                        let frame = ServerFrame::ResyncRequired { reason: ResyncReason::Lagged };
                        let _ = self.send(frame).await;
                        return End::Close(CLOSE_NORMAL, "resync required");
                    }
                    Err(RecvError::Closed) => {
                        return End::Close(CLOSE_GOING_AWAY, "server shutting down")
                    }
                },
                // Ephemeral frames have no seq: one missed by a lagging connection is
                // simply skipped.
                received = ephemeral.recv(), if self.live_after.is_some() => match received {
                    Ok(frame) => self.forward_ephemeral(&frame).await,
                    Err(RecvError::Lagged(_)) => Ok(None),
                    Err(RecvError::Closed) => {
                        return End::Close(CLOSE_GOING_AWAY, "server shutting down")
                    }
                },
                // Board notices for boards this connection has open (a lagging board
                // becomes a `resync` notice inside the inbox, never a silent gap).
                notice = boards.next() => {
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

    async fn forward(&mut self, published: &Published) -> Result<Option<End>, Gone> {
        let Some(after) = self.live_after else {
            return Ok(None);
        };
        let seq = published.envelope.seq;
        if seq > after {
            self.live_after = Some(seq);
            let me = self.viewer.user_id;
            // Membership changes about this user update the cached channel set in seq
            // order: joins before the visibility check (so the join itself and what
            // follows arrive), leaves after it (so the leave still arrives).
            match &published.envelope.event {
                Event::MemberJoined {
                    channel_id,
                    user_id,
                } if *user_id == me => {
                    self.viewer.channels.insert(*channel_id);
                }
                Event::ChannelUpdated { channel }
                    if channel.kind == ChannelKind::Direct && channel.member_ids.contains(&me) =>
                {
                    self.viewer.channels.insert(channel.id);
                }
                _ => {}
            }
            let visible = visible_to(&self.viewer, &published.audience);
            if let Event::MemberLeft {
                channel_id,
                user_id,
            } = &published.envelope.event
            {
                if *user_id == me {
                    self.viewer.channels.remove(channel_id);
                }
            }
            if visible {
                self.send(ServerFrame::Event(published.envelope.clone()))
                    .await?;
            }
        }
        Ok(None)
    }

    async fn forward_ephemeral(&mut self, ephemeral: &Ephemeral) -> Result<Option<End>, Gone> {
        let wanted = match &ephemeral.target {
            // Guests see nothing of the workspace (presence included).
            Target::Workspace => self.viewer.guest.is_none(),
            Target::ChannelExcept { channel_id, except } => {
                *except != self.viewer.user_id && self.viewer.channels.contains(channel_id)
            }
            Target::Connections(connections) => connections.contains(&self.connection_id),
            Target::Users {
                users,
                except_connection,
            } => {
                users.contains(&self.viewer.user_id)
                    && *except_connection != Some(self.connection_id)
            }
        };
        if wanted {
            // Never wait on a slow client for an ephemeral frame: drop it instead.
            let _ = self
                .out
                .try_send(Outbound::Frame(Box::new(ephemeral.frame.clone())));
        }
        Ok(None)
    }

    async fn on_typing(
        &mut self,
        channel_id: ChannelId,
        thread_root_id: Option<MessageId>,
    ) -> Result<Option<End>, Gone> {
        if !self.viewer.channels.contains(&channel_id) {
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
                if self.live_after.is_none() =>
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
                let caller = Caller {
                    connection_id: self.connection_id,
                    user_id: self.viewer.user_id,
                    guest: self.viewer.guest.as_ref(),
                };
                crate::meetings::requests::handle(&self.state, &caller, request).await;
                Ok(None)
            }
            ClientFrame::Board(request) => self.on_board(request).await,
            ClientFrame::Command { id, command } => {
                if self.live_after.is_none() {
                    self.error(ErrorCode::BadRequest, "Send resume before any command.")
                        .await?;
                    return Ok(None);
                }
                // Refused before it touches the database or the log's writer lock.
                if !self.within_rate(Some(id)).await? {
                    return Ok(None);
                }
                let reply = commands::execute(
                    &self.state,
                    self.viewer.user_id,
                    self.viewer.guest.as_ref(),
                    id,
                    command,
                )
                .await;
                self.send(reply).await?;
                Ok(None)
            }
        }
    }

    async fn on_board(&mut self, request: BoardRequest) -> Result<Option<End>, Gone> {
        if let BoardRequest::Close { board_id } = &request {
            self.open_boards.remove(board_id);
        }
        let caller = crate::boards::requests::Caller {
            connection_id: self.connection_id,
            user_id: self.viewer.user_id,
            guest: self.viewer.guest.as_ref(),
            channels: &self.viewer.channels,
            mailbox: &self.board_mailbox,
        };
        let reply = crate::boards::requests::handle(&self.state, &caller, request).await;
        if let Some(reply) = reply {
            if let BoardNotice::Opened { board, .. } = &reply {
                self.open_boards.insert(board.id);
            }
            self.send(ServerFrame::Board(reply)).await?;
        }
        Ok(None)
    }

    async fn on_resume(&mut self, last_seq: Option<Seq>) -> Result<Option<End>, Gone> {
        if self.live_after.is_some() {
            self.error(
                ErrorCode::BadRequest,
                "resume may be sent only once per connection.",
            )
            .await?;
            return Ok(None);
        }
        let head = self.head;
        // The channel set for live fan-out. Loaded after `head` was read, so every
        // membership change it might miss is a live event still to come.
        match channels::ids_for_user(&self.state.db, self.viewer.user_id).await {
            Ok(ids) => self.viewer.channels = ids.into_iter().collect(),
            Err(err) => {
                tracing::error!(error = %err, "could not load channel memberships");
                self.error(ErrorCode::Internal, "The server could not resume.")
                    .await?;
                return Ok(Some(End::Close(1011, "resume failed")));
            }
        }
        let Some(last_seq) = last_seq else {
            // Nothing to replay; the marker still tells the client it is live.
            self.send(ServerFrame::ReplayComplete { seq: head }).await?;
            self.go_live(head);
            return Ok(None);
        };
        let reason = if last_seq > head {
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
        let missed = match self.state.log.replay(&self.viewer, last_seq, head).await {
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
        self.go_live(head);
        Ok(None)
    }

    fn go_live(&mut self, head: Seq) {
        self.live_after = Some(head);
        // Guests are not part of the workspace's presence.
        if self.viewer.guest.is_some() {
            return;
        }
        self.state.presence.set(
            self.viewer.user_id,
            self.connection_id,
            Some(Presence::Online),
        );
    }
}
