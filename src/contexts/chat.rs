//! Chat state for the signed-in shell: my channels with unread counts, the open
//! channel's message window, the open thread, presence and who is typing. Loaded
//! over REST, then kept current by realtime events (the chat context subscribes to
//! the realtime context). Changes are sent as commands through the outbox.

pub mod names;
pub mod window;

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::chat::{ChannelId, ChannelKind, Message, MessageId, MyChannel, Presence};
use tandem_protocol::ws::{Command, Event, ServerFrame};
use tandem_protocol::{Seq, UserId};
use uuid::Uuid;

use crate::api::messages::PageQuery;
use crate::api::AuthorizedApi;
use crate::contexts::realtime::RealtimeContext;
use crate::realtime::{PendingCommand, Update as RtUpdate};
use window::{set_reaction, Keep, MessageWindow, PAGE_SIZE};

/// How long a "typing" notice lasts unless renewed.
const TYPING_TTL_MS: f64 = 6_000.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Typist {
    pub channel_id: ChannelId,
    pub thread_root_id: Option<MessageId>,
    pub user_id: UserId,
    pub until_ms: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThreadView {
    pub root_id: MessageId,
    pub root: Option<Message>,
    pub replies: Vec<Message>,
    pub error: Option<String>,
}

/// Which side panel is open next to the message list (one at a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    None,
    Thread(MessageId),
    Pins,
    Members,
    /// The channel's whiteboards (`components::boards::panel`).
    Boards,
    /// The channel's decision log (`components::decisions::panel`).
    Decisions,
}

#[derive(Clone, Copy)]
pub struct ChatContext {
    pub me: UserId,
    pub rt: RealtimeContext,
    api: StoredValue<AuthorizedApi>,
    pub channels: RwSignal<Vec<MyChannel>>,
    pub channels_loaded: RwSignal<bool>,
    pub channels_error: RwSignal<Option<String>>,
    /// The channel on screen.
    pub active: RwSignal<Option<ChannelId>>,
    pub window: RwSignal<MessageWindow>,
    /// `last_read_seq` when the channel was opened: the "New messages" divider goes
    /// above the first message after it.
    pub unread_marker: RwSignal<Option<Seq>>,
    /// The message to scroll to and highlight (`?m=`).
    pub highlight: RwSignal<Option<MessageId>>,
    /// The reader is at the bottom of the list (new messages count as read).
    pub at_bottom: RwSignal<bool>,
    /// Live messages that arrived while scrolled up.
    pub unseen_below: RwSignal<u32>,
    pub panel: RwSignal<Panel>,
    pub thread: RwSignal<Option<ThreadView>>,
    pub pins: RwSignal<Option<(ChannelId, Vec<Message>)>>,
    /// Bumped when channel membership changes (members panel refetches).
    pub members_rev: RwSignal<u64>,
    pub presence: RwSignal<HashMap<UserId, Presence>>,
    pub typing: RwSignal<Vec<Typist>>,
    /// Messages I sent that have not come back as `MessagePosted` yet, oldest first.
    pub outgoing: RwSignal<Vec<PendingCommand>>,
    /// Refusals by message id (for a send: the would-be message's id).
    pub errors: RwSignal<HashMap<MessageId, String>>,
    /// The message being edited inline.
    pub editing: RwSignal<Option<MessageId>>,
    pub tab_visible: RwSignal<bool>,
    marks_sent: StoredValue<HashMap<ChannelId, Seq>>,
}

impl ChatContext {
    pub fn api(&self) -> AuthorizedApi {
        self.api.get_value()
    }

    pub fn my_channel(&self, id: ChannelId) -> Option<MyChannel> {
        self.channels
            .with(|list| list.iter().find(|c| c.channel.id == id).cloned())
    }

    /// Shows a channel I just created, joined or opened before the list reloads.
    pub fn add_channel(&self, channel: tandem_protocol::chat::Channel) {
        self.channels.update(|l| {
            if !l.iter().any(|c| c.channel.id == channel.id) {
                l.push(MyChannel {
                    channel,
                    last_read_seq: 0,
                    unread_count: 0,
                    mention_count: 0,
                    last_message_seq: 0,
                });
                *l = sorted(std::mem::take(l));
            }
        });
        self.reload_channels();
    }

    pub fn name_of(&self, id: UserId) -> String {
        self.rt.people.with(|p| names::user_name(p, id))
    }

    /// `name_of` with a disambiguator when someone else has the same name.
    pub fn label_of(&self, id: UserId) -> String {
        self.rt.people.with(|p| names::user_label(p, id))
    }

    // ----- Loading -----

    pub fn reload_channels(&self) {
        spawn_local(self.load_channels());
    }

    async fn load_channels(self) {
        let ctx = self;
        match ctx.api().my_channels().await {
            Ok(list) => {
                if ctx.channels.is_disposed() {
                    return;
                }
                ctx.channels.set(sorted(list));
                ctx.channels_error.set(None);
                ctx.channels_loaded.set(true);
            }
            Err(e) => {
                if !ctx.channels.is_disposed() {
                    ctx.channels_error.set(Some(e.message()));
                    ctx.channels_loaded.set(true);
                }
            }
        }
    }

    async fn load_presence(self) {
        if let Ok(entries) = self.api().presence().await {
            if !self.presence.is_disposed() {
                self.presence.set(
                    entries
                        .into_iter()
                        .map(|e| (e.user_id, e.presence))
                        .collect(),
                );
            }
        }
    }

    /// Everything chat shows, loaded after each new log position (the start, a resync);
    /// the socket resumes from that position once this is done.
    async fn load_on_baseline(self) {
        if self.channels.is_disposed() {
            return;
        }
        futures::join!(self.load_channels(), self.load_presence());
        if let Some(id) = self.active.try_get_untracked().flatten() {
            let around = self.highlight.get_untracked();
            let (generation, query) = self.reset_window(id, around);
            self.fetch_window(id, generation, query, FetchKind::Replace)
                .await;
        }
    }

    /// Shows a channel: the newest page, or the page around `around`.
    pub fn open_channel(&self, id: ChannelId, around: Option<MessageId>) {
        let (generation, query) = self.reset_window(id, around);
        // Before the first log position is read, the baseline load fetches the window.
        if self.rt.baseline_taken() {
            self.fetch_into_window(id, generation, query, FetchKind::Replace);
        }
    }

    /// Empties the window for channel `id` and says what to fetch into it.
    fn reset_window(&self, id: ChannelId, around: Option<MessageId>) -> (u64, PageQuery) {
        let generation = self.window.with_untracked(|w| w.generation) + 1;
        self.active.set(Some(id));
        self.highlight.set(around);
        self.unseen_below.set(0);
        self.at_bottom.set(around.is_none());
        let mine = self.my_channel(id);
        self.unread_marker.set(
            mine.as_ref()
                .filter(|c| c.unread_count > 0)
                .map(|c| c.last_read_seq),
        );
        if self.panel.get_untracked() != Panel::None {
            self.close_panel();
        }
        self.window.set(MessageWindow {
            channel_id: Some(id),
            generation,
            ..MessageWindow::default()
        });
        // Enough to reach the first unread in most cases.
        let unread = mine.map(|c| c.unread_count).unwrap_or(0);
        let limit = (unread + 10).clamp(PAGE_SIZE, tandem_protocol::chat::MAX_PAGE_SIZE);
        let query = match around {
            Some(message_id) => PageQuery::Around { message_id },
            None => PageQuery::Latest { limit },
        };
        (generation, query)
    }

    pub fn load_older(&self) {
        let Some((id, generation, seq)) = self.window.with_untracked(|w| {
            (w.loaded && w.has_older && !w.loading_older)
                .then(|| Some((w.channel_id?, w.generation, w.messages.first()?.seq)))
                .flatten()
        }) else {
            return;
        };
        self.window.update(|w| w.loading_older = true);
        let query = PageQuery::Before {
            seq,
            limit: PAGE_SIZE,
        };
        self.fetch_into_window(id, generation, query, FetchKind::Older);
    }

    pub fn load_newer(&self) {
        let Some((id, generation, last)) = self.window.with_untracked(|w| {
            (w.loaded && w.has_newer && !w.loading_newer)
                .then(|| Some((w.channel_id?, w.generation, w.messages.last()?.id)))
                .flatten()
        }) else {
            return;
        };
        self.window.update(|w| w.loading_newer = true);
        let query = PageQuery::Around { message_id: last };
        self.fetch_into_window(id, generation, query, FetchKind::Newer);
    }

    /// Back to the present: reloads the newest page if the window does not reach it.
    pub fn jump_to_latest(&self) {
        self.unseen_below.set(0);
        self.highlight.set(None);
        if self.window.with_untracked(|w| w.has_newer) {
            if let Some(id) = self.active.get_untracked() {
                let generation = self.window.with_untracked(|w| w.generation) + 1;
                self.window.update(|w| {
                    w.generation = generation;
                    w.loading_newer = true;
                });
                let query = PageQuery::Latest { limit: PAGE_SIZE };
                self.fetch_into_window(id, generation, query, FetchKind::Replace);
            }
        }
    }

    fn fetch_into_window(&self, id: ChannelId, generation: u64, query: PageQuery, kind: FetchKind) {
        spawn_local(self.fetch_window(id, generation, query, kind));
    }

    async fn fetch_window(self, id: ChannelId, generation: u64, query: PageQuery, kind: FetchKind) {
        let ctx = self;
        let result = ctx.api().messages(id, query).await;
        if ctx.window.is_disposed() {
            return;
        }
        ctx.window.update(|w| {
            if w.generation != generation || w.channel_id != Some(id) {
                return; // another channel (or a reload) took over meanwhile
            }
            w.loading_older = false;
            w.loading_newer = false;
            match result {
                Ok(page) => match kind {
                    FetchKind::Replace => w.set_page(page.messages, page.has_older, page.has_newer),
                    FetchKind::Older => w.prepend(page.messages, page.has_older),
                    FetchKind::Newer => w.append_page(page.messages, page.has_newer),
                },
                Err(e) => {
                    w.error = Some(e.message());
                    w.loaded = true;
                }
            }
        });
        ctx.drop_delivered_outgoing();
        // A link to a thread reply: the server centred the page on its root.
        if let (FetchKind::Replace, PageQuery::Around { message_id }) = (kind, query) {
            let shown = ctx
                .window
                .with_untracked(|w| !w.loaded || w.error.is_some() || w.contains(message_id));
            if !shown {
                ctx.reveal_reply(message_id).await;
            }
        }
    }

    /// Shows a thread reply someone linked to (`?m=`, an inbox "Open"): its root
    /// highlighted in the channel and the thread open beside it.
    async fn reveal_reply(self, reply_id: MessageId) {
        let Ok(thread) = self.api().thread(reply_id).await else {
            return;
        };
        if self.highlight.try_get_untracked() != Some(Some(reply_id)) || thread.root.id == reply_id
        {
            return; // the reader moved on meanwhile, or it was not a reply after all
        }
        // The thread is loaded already: show it without fetching it again.
        let root_id = thread.root.id;
        self.highlight.set(Some(root_id));
        self.panel.set(Panel::Thread(root_id));
        self.thread.set(Some(ThreadView {
            root_id,
            root: Some(thread.root),
            replies: thread.replies,
            error: None,
        }));
    }

    // ----- Threads and panels -----

    /// Replies to `root_id` still in the outbox and not yet back from the server, shown
    /// as "Sending…" under the thread (the thread panel and the meeting chat both).
    pub fn pending_replies(&self, root_id: MessageId) -> Vec<PendingCommand> {
        let thread = self.thread;
        self.outgoing.with(|o| {
            o.iter()
                .filter(|c| {
                    matches!(
                        &c.command,
                        Command::SendMessage { thread_root_id: Some(r), .. } if *r == root_id
                    )
                })
                .filter(|c| {
                    !thread.with(|t| {
                        t.as_ref()
                            .is_some_and(|t| t.replies.iter().any(|m| m.id == c.id))
                    })
                })
                .cloned()
                .collect()
        })
    }

    pub fn open_thread(&self, root_id: MessageId) {
        self.panel.set(Panel::Thread(root_id));
        let root = self
            .window
            .with_untracked(|w| w.messages.iter().find(|m| m.id == root_id).cloned());
        self.thread.set(Some(ThreadView {
            root_id,
            root,
            ..ThreadView::default()
        }));
        let ctx = *self;
        spawn_local(async move {
            let result = ctx.api().thread(root_id).await;
            if ctx.thread.is_disposed() {
                return;
            }
            ctx.thread.update(|t| {
                let Some(t) = t.as_mut().filter(|t| t.root_id == root_id) else {
                    return;
                };
                match result {
                    Ok(thread) => {
                        t.root = Some(thread.root);
                        // Keep replies that arrived live while loading.
                        for reply in thread.replies {
                            if !t.replies.iter().any(|r| r.id == reply.id) {
                                t.replies.push(reply);
                            }
                        }
                        t.replies.sort_by_key(|r| r.seq);
                    }
                    Err(e) => t.error = Some(e.message()),
                }
            });
        });
    }

    pub fn open_pins(&self) {
        let Some(id) = self.active.get_untracked() else {
            return;
        };
        self.panel.set(Panel::Pins);
        self.refresh_pins(id);
    }

    fn refresh_pins(&self, id: ChannelId) {
        let ctx = *self;
        spawn_local(async move {
            if let Ok(pins) = ctx.api().pins(id).await {
                if !ctx.pins.is_disposed() {
                    ctx.pins.set(Some((id, pins)));
                }
            }
        });
    }

    pub fn close_panel(&self) {
        self.panel.set(Panel::None);
        self.thread.set(None);
    }

    // ----- Commands -----

    /// Sends a message; it shows at once as "Sending…" (it is in the outbox).
    pub fn send_message(
        &self,
        channel_id: ChannelId,
        body: String,
        thread_root_id: Option<MessageId>,
        also_to_channel: bool,
        attachment_ids: Vec<Uuid>,
        urgency: Option<tandem_protocol::urgency::Urgency>,
    ) {
        self.rt.submit(Command::SendMessage {
            channel_id,
            body,
            thread_root_id,
            also_to_channel,
            attachment_ids,
            urgency,
        });
    }

    pub fn edit_message(&self, message_id: MessageId, body: String) {
        self.errors.update(|e| {
            e.remove(&message_id);
        });
        self.rt.submit(Command::EditMessage { message_id, body });
    }

    pub fn delete_message(&self, message_id: MessageId) {
        self.rt.submit(Command::DeleteMessage { message_id });
    }

    pub fn set_reaction(&self, message_id: MessageId, emoji: String, present: bool) {
        self.rt.submit(Command::SetReaction {
            message_id,
            emoji,
            present,
        });
    }

    pub fn set_pinned(&self, message_id: MessageId, pinned: bool) {
        self.rt.submit(Command::SetPinned { message_id, pinned });
    }

    pub fn dismiss_failed(&self, id: MessageId) {
        self.outgoing.update(|o| o.retain(|c| c.id != id));
        self.errors.update(|e| {
            e.remove(&id);
        });
    }

    /// Marks the channel read up to `seq` (once per position; never backwards).
    pub fn mark_read(&self, channel_id: ChannelId, seq: Seq) {
        let Some(mine) = self.my_channel(channel_id) else {
            return;
        };
        let already = self
            .marks_sent
            .with_value(|m| m.get(&channel_id).copied())
            .unwrap_or(Seq::MIN)
            .max(mine.last_read_seq);
        if seq <= already && mine.unread_count == 0 {
            return;
        }
        if seq > already {
            self.marks_sent.update_value(|m| {
                m.insert(channel_id, seq);
            });
            self.rt.submit(Command::MarkRead { channel_id, seq });
        }
        self.apply_read(channel_id, seq);
    }

    fn apply_read(&self, channel_id: ChannelId, seq: Seq) {
        let me = self.me;
        let remaining = self.window.with_untracked(|w| {
            if w.channel_id == Some(channel_id) {
                w.unread_after(seq, me)
            } else {
                None
            }
        });
        self.channels.update(|list| {
            if let Some(c) = list.iter_mut().find(|c| c.channel.id == channel_id) {
                c.last_read_seq = c.last_read_seq.max(seq);
                let unread = remaining.unwrap_or(0);
                c.unread_count = unread;
                if unread == 0 {
                    c.mention_count = 0;
                }
            }
        });
    }

    // ----- Realtime -----

    fn on_update(&self, update: &RtUpdate) {
        match update {
            RtUpdate::Event(envelope) => self.apply(envelope.event.clone()),
            RtUpdate::Ephemeral(frame) => self.apply_ephemeral(frame.clone()),
            RtUpdate::Pending(items) => {
                let known: HashSet<Uuid> = self
                    .outgoing
                    .with_untracked(|o| o.iter().map(|c| c.id).collect());
                let fresh: Vec<PendingCommand> = items
                    .iter()
                    .filter(|c| {
                        matches!(c.command, Command::SendMessage { .. }) && !known.contains(&c.id)
                    })
                    .cloned()
                    .collect();
                if !fresh.is_empty() {
                    self.outgoing.update(|o| o.extend(fresh));
                }
                self.drop_delivered_outgoing();
            }
            RtUpdate::Acked(_) => self.drop_delivered_outgoing(),
            RtUpdate::Rejected { command, message } => self.on_rejected(command, message.clone()),
            // The reload follows through `load_on_baseline` once the new position is read.
            RtUpdate::ResyncRequired
            | RtUpdate::State(_)
            | RtUpdate::SessionEnded
            | RtUpdate::ProtocolMismatch => {}
        }
    }

    fn on_rejected(&self, command: &PendingCommand, message: String) {
        let target = match &command.command {
            Command::SendMessage { .. } => Some(command.id),
            Command::EditMessage { message_id, .. }
            | Command::DeleteMessage { message_id }
            | Command::SetReaction { message_id, .. }
            | Command::SetPinned { message_id, .. } => Some(*message_id),
            Command::MarkRead { .. } | Command::SetStatus { .. } => None,
        };
        if let Some(id) = target {
            self.errors.update(|e| {
                e.insert(id, message);
            });
        }
    }

    /// A sent message already in the window (e.g. its event was replayed before the
    /// outbox resent it) is shown once: as the real message.
    fn drop_delivered_outgoing(&self) {
        let delivered: Vec<Uuid> = self.outgoing.with_untracked(|o| {
            self.window.with_untracked(|w| {
                o.iter()
                    .filter(|c| w.contains(c.id))
                    .map(|c| c.id)
                    .collect()
            })
        });
        if !delivered.is_empty() {
            self.outgoing
                .update(|o| o.retain(|c| !delivered.contains(&c.id)));
        }
    }

    fn apply_ephemeral(&self, frame: ServerFrame) {
        match frame {
            ServerFrame::Typing {
                channel_id,
                thread_root_id,
                user_id,
            } if user_id != self.me => {
                let until_ms = js_sys::Date::now() + TYPING_TTL_MS;
                self.typing.update(|t| {
                    t.retain(|x| {
                        !(x.user_id == user_id
                            && x.channel_id == channel_id
                            && x.thread_root_id == thread_root_id)
                    });
                    t.push(Typist {
                        channel_id,
                        thread_root_id,
                        user_id,
                        until_ms,
                    });
                });
            }
            ServerFrame::PresenceChanged { user_id, presence } => {
                self.presence.update(|p| {
                    p.insert(user_id, presence);
                });
            }
            _ => {}
        }
    }

    /// Someone who posts has stopped typing.
    fn clear_typist(&self, channel_id: ChannelId, user_id: UserId) {
        if self.typing.with_untracked(|t| {
            t.iter()
                .any(|x| x.user_id == user_id && x.channel_id == channel_id)
        }) {
            self.typing
                .update(|t| t.retain(|x| !(x.user_id == user_id && x.channel_id == channel_id)));
        }
    }

    fn update_message_everywhere(&self, id: MessageId, f: impl Fn(&mut Message)) {
        self.window.update(|w| {
            w.update(id, &f);
        });
        if self.thread.with_untracked(|t| {
            t.as_ref()
                .is_some_and(|t| t.root_id == id || t.replies.iter().any(|r| r.id == id))
        }) {
            self.thread.update(|t| {
                if let Some(t) = t {
                    if let Some(root) = t.root.as_mut().filter(|r| r.id == id) {
                        f(root);
                    }
                    if let Some(r) = t.replies.iter_mut().find(|r| r.id == id) {
                        f(r);
                    }
                }
            });
        }
        if self.pins.with_untracked(|p| {
            p.as_ref()
                .is_some_and(|(_, l)| l.iter().any(|m| m.id == id))
        }) {
            self.pins.update(|p| {
                if let Some((_, list)) = p {
                    if let Some(m) = list.iter_mut().find(|m| m.id == id) {
                        f(m);
                    }
                }
            });
        }
    }

    fn apply(&self, event: Event) {
        match event {
            Event::MessagePosted { message } => self.on_posted(message),
            Event::MessageEdited { message } => {
                let m2 = message.clone();
                self.update_message_everywhere(message.id, move |m| {
                    // Keep thread counters we maintain locally if the event lags.
                    let (count, last) = (
                        m.reply_count.max(m2.reply_count),
                        m.last_reply_at.max(m2.last_reply_at),
                    );
                    *m = m2.clone();
                    m.reply_count = count;
                    m.last_reply_at = last;
                });
            }
            Event::MessageDeleted { message_id, .. } => {
                self.update_message_everywhere(message_id, tombstone);
                if self.editing.get_untracked() == Some(message_id) {
                    self.editing.set(None);
                }
            }
            Event::ReactionChanged {
                message_id,
                emoji,
                user_id,
                present,
                ..
            } => {
                self.update_message_everywhere(message_id, |m| {
                    set_reaction(m, &emoji, user_id, present)
                });
            }
            Event::PinChanged {
                channel_id,
                message_id,
                pinned,
                ..
            } => {
                self.update_message_everywhere(message_id, |m| m.pinned = pinned);
                if self
                    .pins
                    .with_untracked(|p| p.as_ref().is_some_and(|(c, _)| *c == channel_id))
                {
                    self.refresh_pins(channel_id);
                }
            }
            Event::ReadMarkerMoved { channel_id, seq } => {
                self.marks_sent.update_value(|m| {
                    let e = m.entry(channel_id).or_insert(seq);
                    *e = (*e).max(seq);
                });
                self.apply_read(channel_id, seq);
            }
            Event::ChannelUpdated { channel } => {
                let known = self
                    .channels
                    .with_untracked(|l| l.iter().any(|c| c.channel.id == channel.id));
                if known {
                    self.channels.update(|l| {
                        if let Some(c) = l.iter_mut().find(|c| c.channel.id == channel.id) {
                            c.channel = channel;
                        }
                        *l = sorted(std::mem::take(l));
                    });
                } else if channel.created_by == self.me || channel.member_ids.contains(&self.me) {
                    self.reload_channels();
                }
            }
            Event::MemberJoined {
                channel_id,
                user_id,
            } => {
                if user_id == self.me && self.my_channel(channel_id).is_none() {
                    self.reload_channels();
                }
                if self.active.get_untracked() == Some(channel_id) {
                    self.members_rev.update(|r| *r += 1);
                }
            }
            Event::MemberLeft {
                channel_id,
                user_id,
            } => {
                if user_id == self.me {
                    self.channels
                        .update(|l| l.retain(|c| c.channel.id != channel_id));
                }
                if self.active.get_untracked() == Some(channel_id) {
                    self.members_rev.update(|r| *r += 1);
                }
            }
            Event::UserJoined { .. }
            | Event::ProfileUpdated { .. }
            | Event::StatusChanged { .. }
            | Event::WorkspaceUpdated { .. } => {}
            // Meeting cards are the meeting hub's (the realtime context routes it there).
            Event::MeetingUpdated { .. } => {}
            Event::BoardChanged { .. } | Event::BoardDeleted { .. } => {}
            // The async bridge's events are handled by their own views.
            Event::ResponseItemChanged { .. }
            | Event::ActionItemChanged { .. }
            | Event::MeetingNoteUpdated { .. }
            | Event::ProposalChanged { .. }
            | Event::ScheduledMeetingChanged { .. }
            | Event::ScheduledMeetingCancelled { .. } => {}
        }
    }

    fn on_posted(&self, message: Message) {
        let id = message.id;
        self.outgoing.update(|o| o.retain(|c| c.id != id));
        if message.deleted {
            // Replayed after it was deleted: the server rewrote the event into a
            // tombstone. No row, count or notification; a copy already shown is
            // marked deleted (as `message_deleted`, which follows, does too).
            self.update_message_everywhere(id, tombstone);
            return;
        }
        self.clear_typist(message.channel_id, message.author_id);
        let channel_id = message.channel_id;
        let Some(mine) = self.my_channel(channel_id) else {
            // A channel or DM I was just added to.
            self.reload_channels();
            return;
        };

        // Thread bookkeeping.
        if let Some(root_id) = message.thread_root_id {
            let at = message.created_at;
            self.update_message_everywhere(root_id, |root| {
                // A replayed reply the loaded root already counts is not counted twice.
                if root.last_reply_at.is_none_or(|last| last < at) {
                    root.reply_count += 1;
                    root.last_reply_at = Some(at);
                }
            });
            self.thread.update(|t| {
                if let Some(t) = t.as_mut().filter(|t| t.root_id == root_id) {
                    if !t.replies.iter().any(|r| r.id == id) {
                        t.replies.push(message.clone());
                    }
                }
            });
        }
        if !window::shows_in_channel(&message) {
            return;
        }

        let active = self.active.get_untracked() == Some(channel_id);
        let reading = active && self.at_bottom.get_untracked() && self.tab_visible.get_untracked();
        if active {
            let keep = if self.at_bottom.get_untracked() {
                Keep::Newest
            } else {
                Keep::Oldest
            };
            let mut added = false;
            self.window
                .update(|w| added = w.push_live(message.clone(), keep));
            if message.author_id != self.me && (!added || !self.at_bottom.get_untracked()) {
                self.unseen_below.update(|n| *n += 1);
            }
        }

        // Replayed after a load that already counted it (see `RealtimeContext::on_baseline`).
        let counted = mine.last_message_seq >= message.seq;
        if message.author_id == self.me {
            self.channels.update(|l| {
                if let Some(c) = l.iter_mut().find(|c| c.channel.id == channel_id) {
                    c.last_read_seq = c.last_read_seq.max(message.seq);
                    c.last_message_seq = c.last_message_seq.max(message.seq);
                    c.unread_count = 0;
                    c.mention_count = 0;
                }
            });
            return;
        }
        if counted {
            return;
        }
        let mentions_me = message.mentions.contains(&self.me) || message.mentions_channel;
        if reading {
            self.mark_read(channel_id, message.seq);
        } else {
            self.channels.update(|l| {
                if let Some(c) = l.iter_mut().find(|c| c.channel.id == channel_id) {
                    c.last_message_seq = c.last_message_seq.max(message.seq);
                    c.unread_count += 1;
                    if mentions_me {
                        c.mention_count += 1;
                    }
                }
            });
        }
        let is_dm = mine.channel.kind == ChannelKind::Direct;
        if mentions_me || is_dm {
            let title = self.rt.people.with_untracked(|p| {
                let who = names::user_name(p, message.author_id);
                if is_dm {
                    who
                } else {
                    format!("{who} in {}", names::title(&mine.channel, p, self.me))
                }
            });
            // Held while I am in focus unless Critical (see notifications::digest).
            let critical = message.urgency == tandem_protocol::urgency::Urgency::Critical;
            let hidden = !self.tab_visible.get_untracked();
            crate::notifications::message(
                &title,
                &message.body,
                &channel_id.to_string(),
                critical,
                hidden,
            );
        }
    }
}

/// What is left of a deleted message.
fn tombstone(m: &mut Message) {
    m.deleted = true;
    m.body.clear();
    m.attachments.clear();
    m.reactions.clear();
}

#[derive(Clone, Copy)]
enum FetchKind {
    Replace,
    Older,
    Newer,
}

/// Channels by name, then DMs (the sidebar splits them anyway).
fn sorted(mut list: Vec<MyChannel>) -> Vec<MyChannel> {
    list.sort_by(|a, b| {
        a.channel
            .name
            .cmp(&b.channel.name)
            .then(a.channel.created_at.cmp(&b.channel.created_at))
    });
    list
}

pub fn provide_chat_context(api: AuthorizedApi, rt: RealtimeContext) -> ChatContext {
    let visible = crate::contexts::activity::document_visible();
    let ctx = ChatContext {
        me: api.user().id,
        rt,
        api: StoredValue::new(api),
        channels: RwSignal::new(Vec::new()),
        channels_loaded: RwSignal::new(false),
        channels_error: RwSignal::new(None),
        active: RwSignal::new(None),
        window: RwSignal::new(MessageWindow::default()),
        unread_marker: RwSignal::new(None),
        highlight: RwSignal::new(None),
        at_bottom: RwSignal::new(true),
        unseen_below: RwSignal::new(0),
        panel: RwSignal::new(Panel::None),
        thread: RwSignal::new(None),
        pins: RwSignal::new(None),
        members_rev: RwSignal::new(0),
        presence: RwSignal::new(HashMap::new()),
        typing: RwSignal::new(Vec::new()),
        outgoing: RwSignal::new(Vec::new()),
        errors: RwSignal::new(HashMap::new()),
        editing: RwSignal::new(None),
        tab_visible: RwSignal::new(visible),
        marks_sent: StoredValue::new(HashMap::new()),
    };
    provide_context(ctx);
    rt.subscribe(move |update| {
        if !ctx.channels.is_disposed() {
            ctx.on_update(update);
        }
    });
    rt.on_baseline(move || ctx.load_on_baseline());

    // Typing notices expire.
    if let Ok(handle) = set_interval_with_handle(
        move || {
            let now = js_sys::Date::now();
            if ctx
                .typing
                .with_untracked(|t| t.iter().any(|x| x.until_ms <= now))
            {
                ctx.typing.update(|t| t.retain(|x| x.until_ms > now));
            }
        },
        std::time::Duration::from_millis(1_000),
    ) {
        on_cleanup(move || handle.clear());
    }
    ctx
}

pub fn use_chat() -> ChatContext {
    expect_context::<ChatContext>()
}
