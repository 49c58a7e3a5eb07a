//! Helpers for the integration tests: a real server on 127.0.0.1:0 with a temporary
//! data dir and a database of its own (SQLite there, or a fresh Postgres database: see
//! `database`), HTTP clients with cookie stores, and a WebSocket client using the cookie.

pub mod at_rest;
pub mod bridge;
pub mod clock;
pub mod database;
pub mod janus;

use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use tandem_protocol::api::{CreatedInvite, User};
use tandem_protocol::ws::{ClientFrame, ServerFrame};
use tandem_protocol::ApiError;
use tandem_server::{Config, RunningServer};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub use database::TestDatabase;

pub const PASSWORD: &str = "correct horse battery";
/// `spawn` and `spawn_with` start servers with this first-run setup code. Clients send
/// whatever code their server has armed (servers started elsewhere make their own).
pub const SETUP_CODE: &str = "test-setup-code";
const TIMEOUT: Duration = Duration::from_secs(10);

/// Fields drop in order: the server stops, then its files and its database go.
pub struct TestServer {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
    pub database: TestDatabase,
}

pub async fn spawn() -> TestServer {
    spawn_with(|_| {}).await
}

/// The settings every test server starts from: a free port, the known setup code, the
/// data in `data_dir` and the database `database`.
pub fn test_config(data_dir: &std::path::Path, database: &TestDatabase) -> Config {
    let mut config = Config::with_data_dir(data_dir);
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.setup_code = Some(SETUP_CODE.into());
    database.configure(&mut config);
    config
}

pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestServer {
    spawn_on(TestDatabase::new().await, configure).await
}

/// A server on a database that already exists (one an earlier server used: a restart).
pub async fn spawn_on(database: TestDatabase, configure: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(dir.path(), &database);
    configure(&mut config);
    let server = tandem_server::start(config).await.expect("server starts");
    TestServer {
        server,
        dir,
        database,
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    pub fn client(&self) -> Client {
        Client::new(self.server.url(), self.server.state.setup_code.armed())
    }

    /// Another server process's worth of server on this one's database (several
    /// nodes; Postgres only), with a data directory of its own.
    pub async fn another_node(&self) -> (tempfile::TempDir, RunningServer) {
        let dir = tempfile::tempdir().unwrap();
        let node = tandem_server::start(test_config(dir.path(), &self.database))
            .await
            .expect("another node starts on the same database");
        (dir, node)
    }

    /// A direct connection to the server's database (for arranging edge cases).
    pub async fn db(&self) -> sqlx::AnyPool {
        self.database.connect(self.dir.path()).await
    }

    /// The configuration of a server on the same data and database (a restart).
    pub fn config(&self) -> Config {
        test_config(self.dir.path(), &self.database)
    }

    /// Signs up the first account (the admin).
    pub async fn admin(&self) -> (Client, User) {
        let client = self.client();
        let user = client.signup_ok("Ada Admin", "ada@example.com", None).await;
        (client, user)
    }

    /// Signs up a member with an invite made by `admin`.
    pub async fn member(&self, admin: &Client, name: &str, email: &str) -> (Client, User) {
        let invite = admin.create_invite(24).await;
        let client = self.client();
        let user = client.signup_ok(name, email, Some(&invite.token)).await;
        (client, user)
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
    /// The server's first-run code when this client was made (`None` once an account
    /// exists); `signup` sends it, and the server ignores it after the first account.
    pub setup_code: Option<String>,
}

impl Client {
    /// A new browser (its own cookie jar) talking to `base`.
    pub fn new(base: String, setup_code: Option<String>) -> Client {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .build()
            .unwrap();
        Client {
            http,
            jar,
            base,
            setup_code,
        }
    }

    /// The same browser (cookies are per host, not port) talking to another node.
    pub fn on(&self, node: &RunningServer) -> Client {
        Client {
            http: self.http.clone(),
            jar: self.jar.clone(),
            base: node.url(),
            setup_code: None,
        }
    }
}

/// The command that posts `body` to a channel.
pub fn send_message(channel_id: uuid::Uuid, body: &str) -> tandem_protocol::ws::Command {
    tandem_protocol::ws::Command::SendMessage {
        channel_id,
        body: body.into(),
        thread_root_id: None,
        also_to_channel: false,
        attachment_ids: vec![],
        urgency: None,
    }
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.http
            .patch(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.http.delete(self.url(path)).send().await.unwrap()
    }

    pub async fn signup(&self, name: &str, email: &str, invite: Option<&str>) -> Response {
        let mut body = json!({"display_name": name, "email": email, "password": PASSWORD});
        if let Some(token) = invite {
            body["invite_token"] = json!(token);
        }
        if let Some(code) = &self.setup_code {
            body["setup_code"] = json!(code);
        }
        self.post("/api/auth/signup", &body).await
    }

    pub async fn signup_ok(&self, name: &str, email: &str, invite: Option<&str>) -> User {
        let response = self.signup(name, email, invite).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn create_invite(&self, hours: u32) -> CreatedInvite {
        let response = self
            .post("/api/invites", &json!({"expires_in_hours": hours}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.unwrap()
    }

    /// The `Cookie` header value the jar would send.
    pub fn cookie(&self) -> Option<String> {
        let url = self.base.parse().unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_string())
    }

    /// Opens `/api/ws` with this client's session cookie and reads `hello`.
    pub async fn ws(&self) -> Ws {
        self.try_ws().await.expect("websocket connects")
    }

    pub async fn try_ws(&self) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
        let url = format!("{}/api/ws", self.base.replacen("http://", "ws://", 1));
        let mut request = url.into_client_request().unwrap();
        if let Some(cookie) = self.cookie() {
            request
                .headers_mut()
                .insert("cookie", cookie.parse().unwrap());
        }
        let config = WebSocketConfig::default();
        let (stream, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
        Ok(Ws {
            stream,
            keep_presence: false,
            pending: Default::default(),
        })
    }
}

pub async fn error_body(response: Response) -> ApiError {
    response.json().await.expect("an ApiError body")
}

pub struct Ws {
    pub stream: WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>,
    /// Presence frames are ephemeral and arrive whenever anyone connects; tests that
    /// are not about presence skip them. Set to see them.
    pub keep_presence: bool,
    /// Frames that arrived while `command` waited for its ack (a command's events come
    /// ahead of its ack), handed out first by `next`.
    pending: std::collections::VecDeque<ServerFrame>,
}

// A test helper matched on once per frame; boxing would only add noise.
#[allow(clippy::large_enum_variant)]
pub enum Received {
    Frame(ServerFrame),
    Close(Option<u16>),
}

impl Ws {
    pub async fn send(&mut self, frame: &ClientFrame) {
        self.send_text(&serde_json::to_string(frame).unwrap()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.stream.send(Message::text(text)).await.unwrap();
    }

    pub async fn send_binary(&mut self, bytes: &[u8]) {
        self.stream
            .send(Message::binary(bytes.to_vec()))
            .await
            .unwrap();
    }

    /// The next frame or close, skipping transport pings/pongs.
    pub async fn next(&mut self) -> Received {
        if let Some(frame) = self.pending.pop_front() {
            return Received::Frame(frame);
        }
        self.next_from_socket().await
    }

    async fn next_from_socket(&mut self) -> Received {
        loop {
            let message = tokio::time::timeout(TIMEOUT, self.stream.next())
                .await
                .expect("timed out waiting for the server");
            match message {
                Some(Ok(Message::Text(text))) => {
                    let frame: ServerFrame =
                        serde_json::from_str(text.as_str()).expect("a ServerFrame");
                    if !self.keep_presence && matches!(frame, ServerFrame::PresenceChanged { .. }) {
                        continue;
                    }
                    return Received::Frame(frame);
                }
                Some(Ok(Message::Close(frame))) => {
                    return Received::Close(frame.map(|f| u16::from(f.code)))
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(other)) => panic!("unexpected message {other:?}"),
                Some(Err(_)) | None => return Received::Close(None),
            }
        }
    }

    pub async fn recv(&mut self) -> ServerFrame {
        match self.next().await {
            Received::Frame(frame) => frame,
            Received::Close(code) => panic!("socket closed ({code:?}) while a frame was expected"),
        }
    }

    pub async fn recv_close(&mut self) -> Option<u16> {
        match self.next().await {
            Received::Close(code) => code,
            Received::Frame(frame) => panic!("expected close, got {frame:?}"),
        }
    }

    /// Skips whatever frames are still in flight and returns the close code.
    pub async fn close_code_after_frames(&mut self) -> Option<u16> {
        loop {
            if let Received::Close(code) = self.next().await {
                return code;
            }
        }
    }

    /// Reads `hello` and returns its stream position.
    pub async fn hello(&mut self) -> i64 {
        match self.recv().await {
            ServerFrame::Hello {
                stream_position, ..
            } => stream_position,
            other => panic!("expected hello, got {other:?}"),
        }
    }

    /// Sends a ping and asserts the very next frame is its pong: proves nothing else
    /// was queued before it.
    pub async fn assert_quiet(&mut self, nonce: u64) {
        self.send(&ClientFrame::Ping { nonce }).await;
        assert_eq!(self.recv().await, ServerFrame::Pong { nonce });
    }
}

// ---- chat helpers ----

use tandem_protocol::chat::{Channel, Message as ChatMessage};
use tandem_protocol::ws::{Command, Event, EventEnvelope};

impl Client {
    pub async fn create_channel(&self, name: &str, kind: &str, members: &[uuid::Uuid]) -> Channel {
        let response = self
            .post(
                "/api/channels",
                &json!({"name": name, "kind": kind, "member_ids": members}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {name}");
        response.json().await.unwrap()
    }

    /// A socket that has resumed from "now" and is live.
    pub async fn live_ws(&self) -> Ws {
        let mut ws = self.ws().await;
        ws.hello().await;
        ws.send(&ClientFrame::Resume { last_seq: None }).await;
        match ws.recv().await {
            ServerFrame::ReplayComplete { .. } => {}
            other => panic!("expected replay_complete, got {other:?}"),
        }
        ws
    }
}

impl Ws {
    /// Sends a command and waits for its ack (returning the seq) or error frame,
    /// keeping the frames that arrive meanwhile for the next reads.
    pub async fn command(&mut self, command: Command) -> Result<(uuid::Uuid, i64), ServerFrame> {
        self.command_with_id(uuid::Uuid::new_v4(), command).await
    }

    pub async fn command_with_id(
        &mut self,
        id: uuid::Uuid,
        command: Command,
    ) -> Result<(uuid::Uuid, i64), ServerFrame> {
        // Frames from before this command are dropped, up to a ping's pong (tests read
        // what a command caused); those that come with it, ahead of its ack, are kept.
        self.pending.clear();
        let nonce = uuid::Uuid::new_v4().as_u64_pair().0;
        self.send(&ClientFrame::Ping { nonce }).await;
        loop {
            match self.next_from_socket().await {
                Received::Frame(ServerFrame::Pong { nonce: n }) if n == nonce => break,
                Received::Frame(_) => continue,
                Received::Close(code) => panic!("socket closed ({code:?}) before a command"),
            }
        }
        self.send(&ClientFrame::Command { id, command }).await;
        loop {
            let frame = match self.next_from_socket().await {
                Received::Frame(frame) => frame,
                Received::Close(code) => panic!("socket closed ({code:?}) awaiting an ack"),
            };
            match frame {
                ServerFrame::Ack {
                    command_id, seq, ..
                } if command_id == id => return Ok((id, seq)),
                frame @ ServerFrame::Error {
                    command_id: Some(c),
                    ..
                } if c == id => return Err(frame),
                other => self.pending.push_back(other),
            }
        }
    }

    pub async fn ok(&mut self, command: Command) -> (uuid::Uuid, i64) {
        self.command(command).await.expect("command accepted")
    }

    /// Posts a message and returns its id.
    pub async fn post(&mut self, channel: uuid::Uuid, body: &str) -> uuid::Uuid {
        self.ok(Command::SendMessage {
            channel_id: channel,
            body: body.into(),
            thread_root_id: None,
            also_to_channel: false,
            attachment_ids: vec![],
            urgency: None,
        })
        .await
        .0
    }

    /// The next persisted event, skipping acks and ephemeral frames.
    pub async fn next_event(&mut self) -> EventEnvelope {
        loop {
            match self.recv().await {
                ServerFrame::Event(envelope) => return envelope,
                ServerFrame::Ack { .. } | ServerFrame::Typing { .. } => continue,
                other => panic!("expected an event, got {other:?}"),
            }
        }
    }

    /// Skips events until one matches.
    pub async fn event_matching(&mut self, want: impl Fn(&Event) -> bool) -> Event {
        loop {
            let envelope = self.next_event().await;
            if want(&envelope.event) {
                return envelope.event;
            }
        }
    }

    /// The next message_posted event's message.
    pub async fn posted(&mut self) -> ChatMessage {
        match self
            .event_matching(|e| matches!(e, Event::MessagePosted { .. }))
            .await
        {
            Event::MessagePosted { message } => message,
            _ => unreachable!(),
        }
    }

    /// Asserts no frame (other than pong for this ping) arrives: proof by a ping
    /// round-trip after the server has handled everything sent before.
    pub async fn assert_no_event_until_pong(&mut self, nonce: u64) {
        self.send(&ClientFrame::Ping { nonce }).await;
        loop {
            match self.recv().await {
                ServerFrame::Pong { nonce: n } if n == nonce => return,
                ServerFrame::Event(e) => panic!("unexpected event {e:?}"),
                ServerFrame::Typing { .. } => panic!("unexpected typing frame"),
                _ => continue,
            }
        }
    }
}

// ---- meeting helpers ----

use tandem_protocol::meetings::{
    MediaState, Meeting, MeetingId, MeetingNotice, MeetingRequest, Participant, ParticipantId,
};
use tandem_protocol::recordings::Recording;

impl Client {
    /// Starts recording `meeting` (which the caller has joined) as the app's recorder
    /// does: WebM with VP8 and Opus.
    pub async fn start_recording(&self, meeting: MeetingId) -> Recording {
        let started = self
            .post(
                &format!("/api/meetings/{meeting}/recordings"),
                &json!({"mime_type": "video/webm;codecs=vp8,opus"}),
            )
            .await;
        assert_eq!(started.status(), StatusCode::CREATED);
        started.json().await.unwrap()
    }

    /// Starts (or finds) the channel's meeting.
    pub async fn start_meeting(&self, channel: uuid::Uuid) -> Meeting {
        let response = self
            .post(&format!("/api/channels/{channel}/meetings"), &json!({}))
            .await;
        assert!(
            response.status().is_success(),
            "start meeting: {}",
            response.status()
        );
        response.json().await.unwrap()
    }
}

impl Ws {
    pub async fn meeting(&mut self, request: MeetingRequest) {
        self.send(&ClientFrame::Meeting(request)).await;
    }

    /// The next meeting notice, skipping events, acks and typing.
    pub async fn notice(&mut self) -> MeetingNotice {
        loop {
            match self.recv().await {
                ServerFrame::Meeting(notice) => return notice,
                ServerFrame::Event(_) | ServerFrame::Ack { .. } | ServerFrame::Typing { .. } => {}
                other => panic!("expected a meeting notice, got {other:?}"),
            }
        }
    }

    /// Joins and returns (my participant id, everyone in the room).
    pub async fn join(&mut self, meeting_id: MeetingId) -> (ParticipantId, Vec<Participant>) {
        self.meeting(MeetingRequest::Join {
            meeting_id,
            media: MediaState::default(),
        })
        .await;
        match self.notice().await {
            MeetingNotice::Joined {
                you, participants, ..
            } => (you, participants),
            other => panic!("expected joined, got {other:?}"),
        }
    }

    /// Asserts no meeting notice arrives before the pong for this ping.
    pub async fn assert_no_notice_until_pong(&mut self, nonce: u64) {
        self.send(&ClientFrame::Ping { nonce }).await;
        loop {
            match self.recv().await {
                ServerFrame::Pong { nonce: n } if n == nonce => return,
                ServerFrame::Meeting(notice) => panic!("unexpected notice {notice:?}"),
                _ => continue,
            }
        }
    }

    /// The next `meeting_updated` event's meeting, skipping everything else.
    pub async fn meeting_update(&mut self) -> Meeting {
        loop {
            if let ServerFrame::Event(envelope) = self.recv().await {
                if let Event::MeetingUpdated { meeting } = envelope.event {
                    return meeting;
                }
            }
        }
    }

    /// The next `message_posted` event's message, skipping everything else.
    pub async fn next_posted(&mut self) -> ChatMessage {
        loop {
            if let ServerFrame::Event(envelope) = self.recv().await {
                if let Event::MessagePosted { message } = envelope.event {
                    return message;
                }
            }
        }
    }
}
