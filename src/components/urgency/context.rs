//! The async bridge's live state in the signed-in shell: my inbox (what I owe, what I
//! asked, my action items) with the server's clock, the latest meeting notes for
//! summary cards, and the Critical ring's queue. Loaded over REST, then kept current by
//! `ResponseItemChanged`, `ActionItemChanged` and `MeetingNoteUpdated`.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::{ActionItemId, Inbox, MeetingNote, ResponseItem, ResponseItemId};
use tandem_protocol::ws::Event;
use tandem_protocol::{Timestamp, UserId};

use super::ring_rules::{ring_text, should_ring};
use crate::api::AuthorizedApi;
use crate::components::inbox::state::{apply_action_item, apply_response_item};
use crate::contexts::availability::clock_offset_ms;
use crate::contexts::realtime::RealtimeContext;
use crate::realtime::Update as RtUpdate;

#[derive(Clone, Copy)]
pub struct UrgencyContext {
    pub me: UserId,
    rt: RealtimeContext,
    api: StoredValue<AuthorizedApi>,
    /// `None` until the first load answers.
    pub inbox: RwSignal<Option<Inbox>>,
    pub inbox_error: RwSignal<Option<String>>,
    /// Server clock minus local clock, from the last inbox load.
    offset_ms: RwSignal<f64>,
    /// Inbox events that arrived while a load was in flight: replayed, in order, over
    /// its answer (which may or may not include them).
    in_flight: StoredValue<Option<Vec<Event>>>,
    /// Notes edited since the page loaded, by meeting: summary cards show these over
    /// the one they fetched.
    pub notes: RwSignal<HashMap<MeetingId, MeetingNote>>,
    /// Critical items ringing, oldest first; the dialog shows the first.
    pub ringing: RwSignal<Vec<ResponseItem>>,
    /// Items that have rung this session (each rings once).
    rung: StoredValue<HashSet<ResponseItemId>>,
    /// The focus digest toast while it shows.
    pub digest: RwSignal<Option<String>>,
}

impl UrgencyContext {
    pub fn api(&self) -> AuthorizedApi {
        self.api.get_value()
    }

    /// The server's clock now: its `now` from the last inbox load plus the time
    /// elapsed here (reactive on the offset only; callers tick).
    pub fn now(&self) -> Timestamp {
        (js_sys::Date::now() + self.offset_ms.try_get().unwrap_or(0.0)) as Timestamp
    }

    /// Reactive: the sidebar badge's count, the responses I owe plus my open action
    /// items (see `inbox_count`).
    pub fn awaiting_count(&self) -> usize {
        self.inbox.with(|i| {
            i.as_ref()
                .map_or(0, crate::components::inbox::state::inbox_count)
        })
    }

    pub fn name_of(&self, id: UserId) -> String {
        self.rt
            .people
            .with_untracked(|p| crate::contexts::chat::names::user_name(p, id))
    }

    /// Tracked: follows the people list, which may load after the inbox (a ring can
    /// show before it) and changes when someone renames themselves.
    pub fn name_of_tracked(&self, id: UserId) -> String {
        self.rt
            .people
            .with(|p| crate::contexts::chat::names::user_name(p, id))
    }

    pub fn reload(&self) {
        let ctx = *self;
        if ctx.in_flight.with_value(Option::is_some) {
            return; // the load under way will do
        }
        ctx.in_flight.set_value(Some(Vec::new()));
        spawn_local(async move {
            let sent_at = js_sys::Date::now();
            let result = ctx.api().inbox().await;
            let received_at = js_sys::Date::now();
            let Some(replay) = ctx.in_flight.try_update_value(Option::take).flatten() else {
                return; // the shell went away
            };
            match result {
                Ok(inbox) => {
                    ctx.offset_ms
                        .set(clock_offset_ms(inbox.now, sent_at, received_at));
                    // A Critical item that came before this tab was listening (page just
                    // opened, a resync) still rings while its deadline is ahead.
                    for item in inbox.awaiting_me.iter().filter(|i| i.due_at > inbox.now) {
                        ctx.maybe_ring(item);
                    }
                    ctx.inbox.set(Some(inbox));
                    ctx.inbox_error.set(None);
                    for event in replay {
                        ctx.apply_to_inbox(event);
                    }
                }
                Err(e) => ctx.inbox_error.set(Some(e.message())),
            }
        });
    }

    /// Ticks an action item off (or back on); the answer updates the inbox.
    pub async fn set_action_done(&self, id: ActionItemId, done: bool) -> Result<(), String> {
        let item = self
            .api()
            .set_action_item_done(id, done)
            .await
            .map_err(|e| e.message())?;
        if !self.inbox.is_disposed() {
            self.apply_to_inbox(Event::ActionItemChanged { item });
        }
        Ok(())
    }

    pub fn dismiss_ring(&self, id: ResponseItemId) {
        self.ringing.update(|r| r.retain(|i| i.id != id));
    }

    fn on_update(&self, update: &RtUpdate) {
        let RtUpdate::Event(envelope) = update else {
            // Reloaded by the baseline loader once the new position is read.
            return;
        };
        match &envelope.event {
            Event::ResponseItemChanged { item } => {
                self.maybe_ring(item);
                self.apply_to_inbox(envelope.event.clone());
            }
            Event::ActionItemChanged { .. } => self.apply_to_inbox(envelope.event.clone()),
            Event::MeetingNoteUpdated { note } => {
                let note = note.clone();
                self.notes.update(|n| {
                    n.insert(note.meeting_id, note);
                });
            }
            _ => {}
        }
    }

    fn apply_to_inbox(&self, event: Event) {
        self.in_flight.update_value(|f| {
            if let Some(buffer) = f {
                buffer.push(event.clone());
            }
        });
        let me = self.me;
        self.inbox.update(|inbox| {
            let Some(inbox) = inbox else { return };
            match event {
                Event::ResponseItemChanged { item } => apply_response_item(inbox, me, item),
                Event::ActionItemChanged { item } => apply_action_item(inbox, me, item),
                _ => {}
            }
        });
    }

    fn maybe_ring(&self, item: &ResponseItem) {
        // An answered item stops ringing (answered in another tab, say).
        if item.satisfied_at.is_some()
            && self
                .ringing
                .with_untracked(|r| r.iter().any(|i| i.id == item.id))
        {
            self.dismiss_ring(item.id);
        }
        if !self
            .rung
            .with_value(|rung| should_ring(item, self.me, rung))
        {
            return;
        }
        self.rung.update_value(|r| {
            r.insert(item.id);
        });
        self.ringing.update(|r| r.push(item.clone()));
        // Regardless of focus: this is what Critical is for.
        let body = format!(
            "{}\n{}",
            ring_text(&self.name_of(item.author_id), item.due_at, self.now()),
            item.excerpt
        );
        crate::notifications::show("Critical message", &body, &format!("critical-{}", item.id));
    }
}

/// Call in the signed-in shell after the chat context.
pub fn provide_urgency_context(api: AuthorizedApi, rt: RealtimeContext) -> UrgencyContext {
    let ctx = UrgencyContext {
        me: api.user().id,
        rt,
        api: StoredValue::new(api),
        inbox: RwSignal::new(None),
        inbox_error: RwSignal::new(None),
        offset_ms: RwSignal::new(0.0),
        in_flight: StoredValue::new(None),
        notes: RwSignal::new(HashMap::new()),
        ringing: RwSignal::new(Vec::new()),
        rung: StoredValue::new(HashSet::new()),
        digest: RwSignal::new(None),
    };
    provide_context(ctx);
    rt.subscribe(move |update| {
        if !ctx.inbox.is_disposed() {
            ctx.on_update(update);
        }
    });
    // Events during the load are held in `in_flight` and applied after it.
    rt.on_baseline(move || {
        ctx.reload();
        std::future::ready(())
    });
    ctx
}

pub fn use_urgency() -> UrgencyContext {
    expect_context::<UrgencyContext>()
}
