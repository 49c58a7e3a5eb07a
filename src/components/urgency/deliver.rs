//! The composer's side of "deliver later": decides whether to ask (see
//! `deliver_rules`), holds the question while the dialog is open, and queues the
//! message through the send-later API when asked to.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::chat::{ChannelId, MessageId, ScheduleMessageRequest};
use tandem_protocol::urgency::Urgency;
use tandem_protocol::working_hours::AvailabilityList;
use tandem_protocol::Timestamp;

use super::deliver_rules::{deliver_later, recipients, DeliverPrompt, Recipient};
use crate::api::AuthorizedApi;
use crate::components::send_later::clock::format_when;
use crate::contexts::availability::AvailabilityContext;
use crate::contexts::chat::names::user_name;
use crate::contexts::chat::ChatContext;

#[derive(Clone, Copy)]
pub struct DeliverLater {
    chat: ChatContext,
    channel_id: ChannelId,
    thread_root_id: Option<MessageId>,
    availability: Option<AvailabilityContext>,
    /// The open question: what to say, the server's now, whether it can be sent later.
    pub prompt: RwSignal<Option<(DeliverPrompt, Timestamp, bool)>>,
    pub busy: RwSignal<bool>,
    /// Asking the server who is away before sending.
    pub checking: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// "Scheduled for …" after a delivery was queued.
    pub status: RwSignal<Option<String>>,
}

impl DeliverLater {
    pub fn new(
        chat: ChatContext,
        channel_id: ChannelId,
        thread_root_id: Option<MessageId>,
    ) -> Self {
        DeliverLater {
            chat,
            channel_id,
            thread_root_id,
            availability: use_context::<AvailabilityContext>(),
            prompt: RwSignal::new(None),
            busy: RwSignal::new(false),
            checking: RwSignal::new(false),
            error: RwSignal::new(None),
            status: RwSignal::new(None),
        }
    }

    /// Sends at once (`send_now`) unless the message would reach someone away, in
    /// which case it opens the question instead. A DM or mention asks the server for
    /// everyone's state first: the shell's copy may be a minute old, and a message to
    /// someone who just went off shift must still ask (offline: the copy decides).
    pub fn send_or_ask(
        &self,
        text: String,
        urgency: Urgency,
        can_send_later: bool,
        send_now: Callback<()>,
    ) {
        self.status.set(None);
        if self.checking.get_untracked() {
            return; // the previous Enter is still being checked
        }
        let Some(availability) = self.availability else {
            return send_now.run(());
        };
        let people = self.chat.rt.people.get_untracked();
        let ids = untrack(|| {
            self.chat
                .my_channel(self.channel_id)
                .map(|c| recipients(&c.channel, &text, &people, self.chat.me))
                .unwrap_or_default()
        });
        if urgency == Urgency::Critical || ids.is_empty() {
            return send_now.run(());
        }
        let this = *self;
        this.checking.set(true);
        spawn_local(async move {
            let fresh = fetch_availability(this.chat.api()).await;
            if this.checking.is_disposed() {
                return;
            }
            this.checking.set(false);
            let (now, list): (Timestamp, Vec<Recipient>) = match fresh {
                Some(list) => (
                    list.now,
                    ids.iter()
                        .map(|id| Recipient {
                            name: user_name(&people, *id),
                            availability: list.people.iter().find(|a| a.user_id == *id).cloned(),
                        })
                        .collect(),
                ),
                None => untrack(|| {
                    let list = ids
                        .iter()
                        .map(|id| Recipient {
                            name: user_name(&people, *id),
                            availability: availability.of(*id),
                        })
                        .collect();
                    (availability.server_now(), list)
                }),
            };
            match deliver_later(urgency, &list, now) {
                Some(prompt) => {
                    this.error.set(None);
                    this.prompt.set(Some((prompt, now, can_send_later)));
                }
                None => send_now.run(()),
            }
        });
    }

    pub fn close(&self) {
        self.prompt.set(None);
        self.error.set(None);
    }

    /// Queues `body` for `at` with the composer's `urgency` (kept for when it is
    /// sent); on success closes the dialog, says when, and runs `on_done` (which clears
    /// the composer).
    pub fn deliver_at(
        &self,
        body: String,
        urgency: Option<Urgency>,
        at: Timestamp,
        on_done: Callback<()>,
    ) {
        let this = *self;
        let req = ScheduleMessageRequest {
            channel_id: self.channel_id,
            thread_root_id: self.thread_root_id,
            body: body.trim_end().to_string(),
            send_at: at,
            urgency,
        };
        this.busy.set(true);
        spawn_local(async move {
            let result = this.chat.api().send_later(&req).await;
            if this.busy.is_disposed() {
                return;
            }
            this.busy.set(false);
            match result {
                Ok(queued) => {
                    this.close();
                    this.status.set(Some(format!(
                        "Scheduled for {}",
                        format_when(queued.send_at)
                    )));
                    on_done.run(());
                }
                Err(e) => this.error.set(Some(e.message())),
            }
        });
    }
}

/// Everyone's state now from the server, or `None` if it does not answer within two
/// seconds (a send must not hang on it).
async fn fetch_availability(api: AuthorizedApi) -> Option<AvailabilityList> {
    use futures::future::{select, Either};
    let fetch = std::pin::pin!(api.availability());
    let timeout = gloo_timers::future::TimeoutFuture::new(2_000);
    match select(fetch, timeout).await {
        Either::Left((Ok(list), _)) => Some(list),
        _ => None,
    }
}
