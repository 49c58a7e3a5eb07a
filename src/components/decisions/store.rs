//! The proposals the app knows about, by the message they were made from: loaded per
//! channel when it opens (`GET /api/channels/{id}/decisions`) and kept live by
//! `ProposalChanged`. Provided once in the workspace shell; message rows read it.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::decisions::Proposal;
use tandem_protocol::ws::Event;

use crate::api::AuthorizedApi;
use crate::contexts::chat::use_chat;
use crate::realtime::Update as RtUpdate;

#[derive(Clone, Copy)]
pub struct DecisionsStore {
    by_message: RwSignal<HashMap<MessageId, Proposal>>,
    /// Channels whose log has been loaded (the panel shows "Loading…" until then).
    loaded: RwSignal<Vec<ChannelId>>,
    error: RwSignal<Option<String>>,
    api: StoredValue<AuthorizedApi>,
}

impl DecisionsStore {
    pub fn for_message(&self, id: MessageId) -> Option<Proposal> {
        self.by_message.with(|m| m.get(&id).cloned())
    }

    /// The channel's proposals, newest first.
    pub fn for_channel(&self, id: ChannelId) -> Vec<Proposal> {
        let mut list: Vec<Proposal> = self
            .by_message
            .with(|m| m.values().filter(|p| p.channel_id == id).cloned().collect());
        list.sort_by_key(|p| std::cmp::Reverse((p.created_at, p.id)));
        list
    }

    /// Subscribes the caller to any change (the workspace log refetches on it).
    pub fn track(&self) {
        self.by_message.track();
    }

    pub fn is_loaded(&self, id: ChannelId) -> bool {
        self.loaded.with(|l| l.contains(&id))
    }

    pub fn error(&self) -> Option<String> {
        self.error.get()
    }

    /// A proposal from an answer or an event.
    pub fn upsert(&self, proposal: Proposal) {
        if !self.by_message.is_disposed() {
            self.by_message.update(|m| {
                m.insert(proposal.message_id, proposal);
            });
        }
    }

    fn load(&self, channel_id: ChannelId) {
        let store = *self;
        let Some(api) = self.api.try_get_value() else {
            return;
        };
        spawn_local(async move {
            let result = api.channel_decisions(channel_id).await;
            if store.by_message.is_disposed() {
                return;
            }
            match result {
                Ok(list) => {
                    store.by_message.update(|m| {
                        m.retain(|_, p| p.channel_id != channel_id);
                        m.extend(list.into_iter().map(|p| (p.message_id, p)));
                    });
                    store.error.set(None);
                    store.loaded.update(|l| {
                        if !l.contains(&channel_id) {
                            l.push(channel_id);
                        }
                    });
                }
                Err(e) => store.error.set(Some(e.message())),
            }
        });
    }
}

/// Call in the workspace shell after the chat context.
pub fn provide_decisions_store() -> DecisionsStore {
    let chat = use_chat();
    let store = DecisionsStore {
        by_message: RwSignal::new(HashMap::new()),
        loaded: RwSignal::new(Vec::new()),
        error: RwSignal::new(None),
        api: StoredValue::new(chat.api()),
    };
    provide_context(store);
    // Each time a channel opens: its proposals (fresh, in case events were missed).
    // Before the first log position is read, the baseline loader below does it.
    Effect::new(move |_| {
        if let Some(id) = chat.active.get() {
            if chat.rt.baseline_taken() {
                untrack(|| store.load(id));
            }
        }
    });
    chat.rt.on_baseline(move || {
        if let Some(id) = chat.active.try_get_untracked().flatten() {
            store.load(id);
        }
        std::future::ready(())
    });
    chat.rt.subscribe(move |update| {
        if store.by_message.is_disposed() {
            return;
        }
        if let RtUpdate::Event(envelope) = update {
            if let Event::ProposalChanged { proposal } = &envelope.event {
                store.upsert(proposal.clone());
            }
        }
    });
    store
}

/// `None` outside the workspace shell (the meeting view's chat): no proposals there.
pub fn use_decisions() -> Option<DecisionsStore> {
    use_context::<DecisionsStore>()
}
