//! Starting a meeting from the channel header: "Start meeting" (and, in a DM, "Call")
//! as buttons, "Start town hall" as an item of the header's menu. All three share one
//! action, so they are busy together and report one error. Each opens the meeting page;
//! a call skips the lobby because the caller is expected to be there already.

use leptos::prelude::*;
use tandem_protocol::chat::{ChannelKind, MyChannel};

use crate::contexts::chat::use_chat;
use crate::contexts::meeting::use_meeting_hub;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Meeting,
    Call,
    TownHall,
}

#[derive(Clone, Copy)]
pub struct StartMeeting {
    action: Action<Kind, ()>,
    error: RwSignal<Option<String>>,
}

impl StartMeeting {
    pub fn new(channel: Memo<Option<MyChannel>>) -> Self {
        let chat = use_chat();
        let hub = use_meeting_hub();
        let navigate = leptos_router::hooks::use_navigate();
        let error = RwSignal::new(None::<String>);
        let action = Action::new_local(move |kind: &Kind| {
            let kind = *kind;
            let id = channel.with_untracked(|c| c.as_ref().map(|c| c.channel.id));
            let api = chat.api();
            let navigate = navigate.clone();
            async move {
                let Some(id) = id else { return };
                let result = match kind {
                    Kind::Call => api.start_call(id).await,
                    Kind::Meeting => api.start_meeting(id, false).await,
                    Kind::TownHall => api.start_meeting(id, true).await,
                };
                match result {
                    Ok(m) => {
                        error.set(None);
                        hub.remember(m.clone());
                        if kind == Kind::Call {
                            hub.request_auto_join(m.id);
                        }
                        navigate(&format!("/m/{}", m.id), Default::default());
                    }
                    Err(e) => error.set(Some(e.message())),
                }
            }
        });
        StartMeeting { action, error }
    }

    fn busy(self) -> bool {
        self.action.pending().get()
    }

    fn start(self, kind: Kind) {
        self.action.dispatch(kind);
    }
}

pub fn is_direct(channel: Memo<Option<MyChannel>>) -> bool {
    channel.with(|c| {
        c.as_ref()
            .is_some_and(|c| c.channel.kind == ChannelKind::Direct)
    })
}

/// "Start meeting", in a DM also "Call", and the last attempt's error.
#[component]
pub fn MeetingButtons(channel: Memo<Option<MyChannel>>, start: StartMeeting) -> impl IntoView {
    view! {
        <button type="button" class="button primary small" disabled=move || start.busy()
            on:click=move |_| start.start(Kind::Meeting)>
            "Start meeting"
        </button>
        <Show when=move || is_direct(channel)>
            <button type="button" class="button primary small" disabled=move || start.busy()
                on:click=move |_| start.start(Kind::Call)>
                "Call"
            </button>
        </Show>
        {move || start.error.get().map(|m| view! {
            <span class="field-error" role="alert">{m}</span>
        })}
    }
}

/// The menu's "Start town hall" (channels only: a DM has two people).
#[component]
pub fn TownHallItem(start: StartMeeting) -> impl IntoView {
    view! {
        <button type="button" role="menuitem" tabindex="-1" disabled=move || start.busy()
            title="Speakers on stage, everyone else watches (needs an SFU)"
            on:click=move |_| start.start(Kind::TownHall)>
            "Start town hall"
        </button>
    }
}
