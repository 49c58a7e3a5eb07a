//! Runs the [`Connection`] state machine in the browser: executes its outputs with a
//! real socket, timers and `localStorage`, and reports what the UI needs to know as
//! [`Update`]s through a plain callback (no UI framework types here).

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use tandem_protocol::chat::{ChannelId, MessageId, Presence};
use tandem_protocol::ws::{ClientFrame, Command, EventEnvelope, ServerFrame};
use tandem_protocol::Seq;
use uuid::Uuid;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::connection::{Connection, ConnectionState, Env, Input, Output, SocketId};
use super::outbox::{Outbox, PendingCommand};
use super::socket::Socket;
use super::storage;

/// What the UI hears from the realtime client.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    State(ConnectionState),
    Event(EventEnvelope),
    /// `typing` or `presence_changed`: ephemeral, not in the log.
    Ephemeral(ServerFrame),
    /// Every unacknowledged command, oldest first.
    Pending(Vec<PendingCommand>),
    Acked(PendingCommand),
    Rejected {
        command: PendingCommand,
        message: String,
    },
    /// Read the log position, refetch state over REST, then call
    /// [`RealtimeClient::resync_done`] with that position.
    ResyncRequired,
    SessionEnded,
    ProtocolMismatch,
}

/// A cheap, cloneable handle. The connection itself lives in a task that ends when
/// the client is stopped or the session ends.
#[derive(Clone, Debug)]
pub struct RealtimeClient {
    inputs: UnboundedSender<Input>,
}

impl RealtimeClient {
    /// `from`: the log position read before the app loaded its state over REST (see
    /// `Input::Start`).
    pub fn start(
        ws_url: String,
        user_id: Uuid,
        from: Option<Seq>,
        on_update: impl Fn(Update) + 'static,
    ) -> Self {
        let (tx, rx) = unbounded();
        let outbox = Outbox::from_items(storage::load_outbox(user_id));
        on_update(Update::Pending(outbox.items().to_vec()));
        let driver = Driver {
            ws_url,
            user_id,
            inputs: tx.clone(),
            socket: None,
        };
        wasm_bindgen_futures::spawn_local(driver.run(Connection::new(outbox), rx, on_update));
        let _ = tx.unbounded_send(Input::Start { from });
        Self { inputs: tx }
    }

    /// Queues a command (persisted until acked) and returns its id.
    pub fn submit(&self, command: Command) -> Uuid {
        let id = Uuid::new_v4();
        let pending = PendingCommand {
            id,
            command,
            queued_at: js_sys::Date::now() as i64,
        };
        let _ = self.inputs.unbounded_send(Input::Submit(pending));
        id
    }

    /// "I am typing in this channel (or thread)". Dropped unless live; the caller
    /// throttles.
    pub fn typing(&self, channel_id: ChannelId, thread_root_id: Option<MessageId>) {
        let _ = self
            .inputs
            .unbounded_send(Input::SendEphemeral(ClientFrame::Typing {
                channel_id,
                thread_root_id,
            }));
    }

    /// Announces presence now if live, and again after every reconnect.
    pub fn set_presence(&self, presence: Presence) {
        let _ = self
            .inputs
            .unbounded_send(Input::SendEphemeral(ClientFrame::SetPresence { presence }));
    }

    /// A meeting request (join, signaling, host action): sent only while open.
    pub fn meeting(&self, request: tandem_protocol::meetings::MeetingRequest) {
        let _ = self
            .inputs
            .unbounded_send(Input::SendEphemeral(ClientFrame::Meeting(request)));
    }

    /// A whiteboard request (open, op, pointer): sent only while open; an open board
    /// re-opens with `since` after a reconnect.
    pub fn board(&self, request: tandem_protocol::boards::BoardRequest) {
        let _ = self
            .inputs
            .unbounded_send(Input::SendEphemeral(ClientFrame::Board(request)));
    }

    pub fn retry_now(&self) {
        let _ = self.inputs.unbounded_send(Input::RetryNow);
    }

    /// State is refetched; `from` is the position read before the refetch.
    pub fn resync_done(&self, from: Option<Seq>) {
        let _ = self.inputs.unbounded_send(Input::ResyncDone { from });
    }

    pub fn stop(&self) {
        let _ = self.inputs.unbounded_send(Input::Stop);
    }
}

struct Driver {
    ws_url: String,
    user_id: Uuid,
    inputs: UnboundedSender<Input>,
    socket: Option<(SocketId, Socket)>,
}

impl Driver {
    async fn run(
        mut self,
        mut machine: Connection,
        mut rx: UnboundedReceiver<Input>,
        on_update: impl Fn(Update) + 'static,
    ) {
        let online = NetworkListener::new(self.inputs.clone(), "online", Input::NetworkOnline);
        let offline = NetworkListener::new(self.inputs.clone(), "offline", Input::NetworkOffline);
        while let Some(input) = rx.next().await {
            let env = Env {
                now_ms: js_sys::Date::now(),
                random: js_sys::Math::random(),
            };
            machine.handle(input, env);
            while let Some(output) = machine.poll_output() {
                self.execute(output, &on_update);
            }
            if matches!(
                machine.state(),
                ConnectionState::Stopped | ConnectionState::SessionEnded
            ) {
                break;
            }
        }
        self.socket = None;
        drop(online);
        drop(offline);
    }

    fn execute(&mut self, output: Output, on_update: &impl Fn(Update)) {
        match output {
            Output::OpenSocket { socket } => {
                self.socket =
                    Socket::open(&self.ws_url, socket, self.inputs.clone()).map(|s| (socket, s));
            }
            Output::Send { socket, frame } => {
                if let (Some((id, s)), Ok(text)) = (&self.socket, serde_json::to_string(&frame)) {
                    if *id == socket {
                        s.send(&text);
                    }
                }
            }
            Output::CloseSocket { socket } => {
                if self.socket.as_ref().is_some_and(|(id, _)| *id == socket) {
                    self.socket = None; // Drop closes it.
                }
            }
            Output::StartTimer {
                timer,
                socket,
                delay_ms,
            } => {
                let tx = self.inputs.clone();
                let delay = u32::try_from(delay_ms).unwrap_or(u32::MAX);
                wasm_bindgen_futures::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(delay).await;
                    let _ = tx.unbounded_send(Input::TimerFired { timer, socket });
                });
            }
            Output::Apply(envelope) => on_update(Update::Event(envelope)),
            Output::Ephemeral(frame) => on_update(Update::Ephemeral(frame)),
            Output::StateChanged(state) => on_update(Update::State(state)),
            Output::OutboxChanged(items) => {
                storage::save_outbox(self.user_id, &items);
                on_update(Update::Pending(items));
            }
            Output::Acked(command) => on_update(Update::Acked(command)),
            Output::Rejected { command, message } => {
                on_update(Update::Rejected { command, message })
            }
            Output::Notice(message) => log_notice(&message),
            Output::ResyncRequired => on_update(Update::ResyncRequired),
            Output::SessionEnded => on_update(Update::SessionEnded),
            Output::ProtocolMismatch { .. } => on_update(Update::ProtocolMismatch),
        }
    }
}

fn log_notice(message: &str) {
    web_sys::console::warn_1(&format!("tandem realtime: {message}").into());
}

/// Forwards the browser's `online` / `offline` events: going offline drops the
/// connection at once (the socket may never notice by itself), coming back online
/// reconnects without waiting out the backoff. Removed again when the client ends.
struct NetworkListener {
    event: &'static str,
    closure: Closure<dyn FnMut()>,
    attached: bool,
}

impl NetworkListener {
    fn new(inputs: UnboundedSender<Input>, event: &'static str, input: Input) -> Self {
        let closure = Closure::<dyn FnMut()>::new(move || {
            let _ = inputs.unbounded_send(input.clone());
        });
        let attached = web_sys::window()
            .map(|w| {
                w.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
                    .is_ok()
            })
            .unwrap_or(false);
        Self {
            event,
            closure,
            attached,
        }
    }
}

impl Drop for NetworkListener {
    fn drop(&mut self) {
        if self.attached {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback(
                    self.event,
                    self.closure.as_ref().unchecked_ref(),
                );
            }
        }
    }
}
