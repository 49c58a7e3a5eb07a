//! The live workspace: people, settings and the connection, kept current by the
//! realtime client. Created once per signed-in shell, so there is exactly one socket
//! per tab; stopped when the shell goes away (log-out, session end).

use std::future::Future;
use std::rc::Rc;

use futures::future::{join_all, LocalBoxFuture};
use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::api::{User, WorkspaceSettings};
use tandem_protocol::chat::{ChannelId, MessageId, Presence};
use tandem_protocol::meetings::MeetingRequest;
use tandem_protocol::ws::{Command, Event, ServerFrame};
use tandem_protocol::Seq;
use uuid::Uuid;

use crate::api::{AuthorizedApi, Error};
use crate::contexts::meeting::MeetingHub;
use crate::contexts::session::use_session;
use crate::realtime::{ConnectionState, PendingCommand, RealtimeClient, Update as RtUpdate};

#[derive(Clone, Copy)]
pub struct RealtimeContext {
    pub connection: RwSignal<ConnectionState>,
    /// Whether the connection has been open at least once ("Connecting" vs "Reconnecting").
    pub was_open: RwSignal<bool>,
    pub pending: RwSignal<Vec<PendingCommand>>,
    pub people: RwSignal<Vec<User>>,
    pub settings: RwSignal<Option<WorkspaceSettings>>,
    /// Loading the workspace over REST failed; shown in the main pane.
    pub load_error: RwSignal<Option<String>>,
    /// The server refused a command; shown by the status editor.
    pub command_error: RwSignal<Option<String>>,
    pub me: Uuid,
    /// Where meeting notices and card updates go (provided app-wide).
    meetings: Option<MeetingHub>,
    client: StoredValue<Option<RealtimeClient>>,
    /// Other contexts (chat) that want every update too, in registration order.
    listeners: StoredValue<Vec<Listener>, LocalStorage>,
    /// REST loads to run after each new log position (the start, every resync): all of
    /// them finish before the socket resumes from that position.
    loaders: StoredValue<Vec<Loader>, LocalStorage>,
    /// A position has been taken: loaders registered from now on run at once.
    baseline_taken: StoredValue<bool>,
}

/// A context's handler for every realtime update (see `subscribe`).
type Listener = Rc<dyn Fn(&RtUpdate)>;
type Loader = Rc<dyn Fn() -> LocalBoxFuture<'static, ()>>;

impl RealtimeContext {
    pub fn set_status(&self, text: String) {
        self.command_error.set(None);
        if let Some(client) = self.client.try_get_value().flatten() {
            client.submit(Command::SetStatus { text });
        }
    }

    /// Queues a command in the outbox; its id is returned (a sent message's id).
    /// `None` only before the client has started (the first REST load).
    pub fn submit(&self, command: Command) -> Option<Uuid> {
        self.client
            .try_get_value()
            .flatten()
            .map(|client| client.submit(command))
    }

    pub fn typing(&self, channel_id: ChannelId, thread_root_id: Option<MessageId>) {
        if let Some(client) = self.client.try_get_value().flatten() {
            client.typing(channel_id, thread_root_id);
        }
    }

    /// A meeting request (join, signaling, host action). Sent only while the socket is
    /// open; the meeting view re-sends `Join` after a reconnect.
    pub fn meeting(&self, request: MeetingRequest) {
        if let Some(client) = self.client.try_get_value().flatten() {
            client.meeting(request);
        }
    }

    /// A whiteboard request (open, op, pointer). Sent only while the socket is open; an
    /// open board re-opens with `since` after a reconnect (`contexts::boards`).
    pub fn board(&self, request: tandem_protocol::boards::BoardRequest) {
        if let Some(client) = self.client.try_get_value().flatten() {
            client.board(request);
        }
    }

    fn person_name(&self, id: Uuid) -> String {
        self.people
            .with_untracked(|p| {
                p.iter()
                    .find(|u| u.id == id)
                    .map(|u| u.display_name.clone())
            })
            .unwrap_or_else(|| "Someone".into())
    }

    pub fn set_presence(&self, presence: Presence) {
        if let Some(client) = self.client.try_get_value().flatten() {
            client.set_presence(presence);
        }
    }

    /// Loads state over REST in step with the socket: at the start and after every
    /// resync, each loader runs *after* the log position is read and finishes *before*
    /// the socket resumes from it, so no event falls between the load and the stream
    /// (events at or below what was loaded may be applied again: apply idempotently).
    /// Registered after the start (a view mounted later), it also runs at once.
    pub fn on_baseline<F, Fut>(&self, load: F)
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        let loader: Loader = Rc::new(move || load().boxed_local());
        if self.baseline_taken.try_get_value() == Some(true) {
            spawn_local(loader());
        }
        let loaders = self.loaders;
        let key = Rc::as_ptr(&loader).cast::<()>() as usize;
        loaders.update_value(|l| l.push(loader));
        // Gone with the view (or context) that registered it.
        on_cleanup(move || {
            loaders.try_update_value(|l| l.retain(|x| Rc::as_ptr(x).cast::<()>() as usize != key));
        });
    }

    /// Whether the first position has been read (before it, loads wait for
    /// [`Self::on_baseline`]).
    pub fn baseline_taken(&self) -> bool {
        self.baseline_taken.try_get_value() == Some(true)
    }

    /// Reads the log position, then runs every load; returns where the socket resumes.
    /// The position stays `None` (live from now) if it could not be read.
    async fn take_baseline(&self, api: &AuthorizedApi) -> (Option<Seq>, Result<(), Error>) {
        let from = match api.realtime_position().await {
            Ok(position) => Some(position.seq),
            Err(e) if e.is_unauthenticated() => return (None, Err(e)),
            Err(_) => None,
        };
        if self.baseline_taken.try_set_value(true).is_some() {
            return (from, Ok(())); // the shell went away meanwhile
        }
        let loaders = self.loaders.try_get_value().unwrap_or_default();
        let (loaded, _) = futures::join!(
            load_state(api, *self),
            join_all(loaders.iter().map(|load| load()))
        );
        (from, loaded)
    }

    /// Hears every realtime update after this context has handled it.
    pub fn subscribe(&self, listener: impl Fn(&RtUpdate) + 'static) {
        self.listeners.update_value(|l| l.push(Rc::new(listener)));
    }

    fn notify(&self, update: &RtUpdate) {
        if let Some(listeners) = self.listeners.try_get_value() {
            for listener in listeners {
                listener(update);
            }
        }
    }

    pub fn retry_now(&self) {
        if let Some(client) = self.client.try_get_value().flatten() {
            client.retry_now();
        }
    }

    pub fn stop(&self) {
        if let Some(client) = self.client.try_get_value().flatten() {
            client.stop();
        }
    }

    /// The newest status the user asked for that the server has not acknowledged yet.
    pub fn pending_status(&self) -> Option<String> {
        self.pending.with(|items| {
            items.iter().rev().find_map(|c| match &c.command {
                Command::SetStatus { text } => Some(text.clone()),
                _ => None,
            })
        })
    }

    fn set_user_status(&self, user_id: Uuid, text: &str) {
        self.people.update(|people| {
            if let Some(user) = people.iter_mut().find(|u| u.id == user_id) {
                user.status_text = text.to_string();
            }
        });
    }

    fn apply(&self, event: Event) {
        match event {
            Event::UserJoined { user } | Event::ProfileUpdated { user } => {
                self.people
                    .update(|people| match people.iter_mut().find(|u| u.id == user.id) {
                        Some(existing) => *existing = user,
                        None => people.push(user),
                    })
            }
            Event::StatusChanged { user_id, text } => self.set_user_status(user_id, &text),
            Event::WorkspaceUpdated { settings } => self.settings.set(Some(settings)),
            // Chat events are the chat context's (it subscribes to every update).
            Event::ChannelUpdated { .. }
            | Event::MemberJoined { .. }
            | Event::MemberLeft { .. }
            | Event::MessagePosted { .. }
            | Event::MessageEdited { .. }
            | Event::MessageDeleted { .. }
            | Event::ReactionChanged { .. }
            | Event::PinChanged { .. }
            | Event::ReadMarkerMoved { .. } => {}
            // Board lists subscribe to updates themselves.
            Event::BoardChanged { .. } | Event::BoardDeleted { .. } => {}
            Event::ResponseItemChanged { .. }
            | Event::ActionItemChanged { .. }
            | Event::MeetingNoteUpdated { .. }
            | Event::ProposalChanged { .. }
            | Event::ScheduledMeetingChanged { .. }
            | Event::ScheduledMeetingCancelled { .. } => {}
            Event::MeetingUpdated { meeting } => {
                if let Some(hub) = self.meetings {
                    hub.card_updated(meeting);
                }
            }
        }
    }
}

/// Loads people and settings over REST. The realtime stream then keeps them current.
/// A 401 is left to the caller: it means the session ended, which is not a page error.
async fn load_state(api: &AuthorizedApi, ctx: RealtimeContext) -> Result<(), Error> {
    let (users, settings) = futures::join!(api.users(), api.workspace_settings());
    if ctx.people.is_disposed() {
        return Ok(());
    }
    match (users, settings) {
        (Ok(users), Ok(settings)) => {
            ctx.people.set(users);
            ctx.settings.set(Some(settings));
            ctx.load_error.set(None);
            Ok(())
        }
        (Err(e), _) | (_, Err(e)) => {
            if !e.is_unauthenticated() {
                ctx.load_error.set(Some(e.message()));
            }
            Err(e)
        }
    }
}

pub fn provide_realtime_context(api: AuthorizedApi) -> RealtimeContext {
    let session = use_session();
    let me = api.user().clone();
    let ctx = RealtimeContext {
        connection: RwSignal::new(ConnectionState::Idle),
        was_open: RwSignal::new(false),
        pending: RwSignal::new(Vec::new()),
        people: RwSignal::new(vec![me.clone()]),
        settings: RwSignal::new(None),
        load_error: RwSignal::new(None),
        command_error: RwSignal::new(None),
        me: me.id,
        meetings: use_context::<MeetingHub>(),
        client: StoredValue::new(None),
        listeners: StoredValue::new_local(Vec::new()),
        loaders: StoredValue::new_local(Vec::new()),
        baseline_taken: StoredValue::new(false),
    };
    provide_context(ctx);
    if let Some(hub) = ctx.meetings {
        let tag = hub.attach_sender(move |request| ctx.meeting(request));
        on_cleanup(move || hub.detach_sender(tag));
    }

    let ws_url = session.config().ws_url(&crate::config::page_origin());
    spawn_local(async move {
        // Position, then state (every loader), then `resume` from the position: the
        // stream continues from before what we loaded, so nothing falls in between.
        let (from, loaded) = ctx.take_baseline(&api).await;
        if ctx.client.is_disposed() {
            return; // the shell went away while we were loading
        }
        if loaded.as_ref().is_err_and(Error::is_unauthenticated) {
            session.sign_out();
            return;
        }
        let on_update = {
            let api = api.clone();
            move |update: RtUpdate| {
                // The socket may report its final state after the shell is gone.
                if ctx.connection.is_disposed() {
                    return;
                }
                match update.clone() {
                    RtUpdate::State(state) => {
                        if state.is_open() {
                            ctx.was_open.set(true);
                        }
                        ctx.connection.set(state);
                    }
                    RtUpdate::Event(envelope) => ctx.apply(envelope.event),
                    RtUpdate::Ephemeral(ServerFrame::Meeting(notice)) => {
                        if let Some(hub) = ctx.meetings {
                            hub.deliver(notice, |id| ctx.person_name(id));
                        }
                    }
                    RtUpdate::Ephemeral(_) => {}
                    RtUpdate::Pending(items) => ctx.pending.set(items),
                    RtUpdate::Acked(command) => {
                        // The event follows anyway; applying now avoids a flicker between
                        // "Sending…" disappearing and the event arriving.
                        if let Command::SetStatus { text } = command.command {
                            ctx.set_user_status(ctx.me, &text);
                        }
                    }
                    RtUpdate::Rejected { command, message } => {
                        if matches!(command.command, Command::SetStatus { .. }) {
                            ctx.command_error.set(Some(message))
                        }
                    }
                    RtUpdate::ResyncRequired => {
                        let api = api.clone();
                        spawn_local(async move {
                            let (from, _) = ctx.take_baseline(&api).await;
                            if let Some(client) = ctx.client.try_get_value().flatten() {
                                client.resync_done(from);
                            }
                        });
                    }
                    RtUpdate::SessionEnded => session.sign_out(),
                    RtUpdate::ProtocolMismatch => ctx.load_error.set(Some(
                        "Tandem has been updated. Reload the page to continue.".into(),
                    )),
                }
                ctx.notify(&update);
            }
        };
        let client = RealtimeClient::start(ws_url, me.id, from, on_update);
        if ctx.client.try_set_value(Some(client.clone())).is_some() {
            client.stop(); // disposed meanwhile: do not leave a socket behind
        }
    });

    on_cleanup(move || {
        if let Some(client) = ctx.client.try_get_value().flatten() {
            client.stop();
        }
    });
    ctx
}

pub fn use_realtime() -> RealtimeContext {
    expect_context::<RealtimeContext>()
}
