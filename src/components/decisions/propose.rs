//! "Make a proposal" from a message: the question, a decision owner (a channel
//! member), and the end of the consent window.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::decisions::{CreateProposalRequest, MAX_QUESTION_CHARS};
use tandem_protocol::UserId;

use super::store::DecisionsStore;
use crate::components::dialog::Dialog;
use crate::components::send_later::clock::{from_local, to_local};
use crate::components::send_later::time::{LocalDateTime, HOUR_MS};
use crate::contexts::availability::use_availability;
use crate::contexts::chat::use_chat;

/// The default consent window.
pub const DEFAULT_WINDOW_MS: i64 = 24 * HOUR_MS;

#[component]
pub fn ProposeDialog(
    message_id: MessageId,
    channel_id: ChannelId,
    store: DecisionsStore,
    on_close: Callback<()>,
) -> impl IntoView {
    let chat = use_chat();
    let availability = use_availability();
    let me = chat.me;
    let question = RwSignal::new(String::new());
    let owner = RwSignal::new(me);
    let default_deadline = {
        let t = to_local(availability.server_now() + DEFAULT_WINDOW_MS);
        LocalDateTime {
            minute: t.minute - t.minute % 5,
            ..t
        }
        .to_input_value()
    };
    let deadline = RwSignal::new(default_deadline);
    let error = RwSignal::new(None::<String>);
    let members = LocalResource::new(move || {
        let api = chat.api();
        async move {
            let mut list = api
                .channel_members(channel_id)
                .await
                .map_err(|e| e.message())?;
            list.sort_by_key(|u| (u.id != me, u.display_name.to_lowercase()));
            Ok::<_, String>(list)
        }
    });

    let create = Action::new_local(move |req: &CreateProposalRequest| {
        let (api, req) = (chat.api(), req.clone());
        let now = availability.server_now();
        async move {
            match api.create_proposal(message_id, &req, now).await {
                Ok(p) => {
                    store.upsert(p);
                    on_close.run(());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(local) = LocalDateTime::parse_input(&deadline.get_untracked()) else {
            error.set(Some("Pick when the consent window ends.".into()));
            return;
        };
        error.set(None);
        create.dispatch(CreateProposalRequest {
            question: question.get_untracked().trim().to_string(),
            owner_id: owner.get_untracked(),
            deadline: from_local(local),
        });
    };

    view! {
        <Dialog title="Make a proposal" on_close>
            <form class="propose-form" on:submit=on_submit novalidate=true>
                <div class="field">
                    <label for="proposal-question">"Question"</label>
                    <input id="proposal-question" type="text" maxlength=MAX_QUESTION_CHARS
                        placeholder="What should we decide?"
                        prop:value=move || question.get()
                        on:input=move |ev| question.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="proposal-owner">"Decision owner"</label>
                    <select id="proposal-owner"
                        on:change=move |ev| {
                            if let Ok(id) = event_target_value(&ev).parse::<UserId>() {
                                owner.set(id);
                            }
                        }>
                        <Suspense fallback=|| view! { <option value="">"Loading…"</option> }>
                            {move || members.get().map(|r| {
                                r.unwrap_or_default().into_iter().map(|u| view! {
                                    <option value=u.id.to_string()
                                        selected=u.id == owner.get_untracked()>
                                        {u.display_name.clone()}
                                    </option>
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </div>
                <div class="field">
                    <label for="proposal-deadline">"Consent deadline"</label>
                    <input id="proposal-deadline" type="datetime-local"
                        prop:value=move || deadline.get()
                        on:input=move |ev| deadline.set(event_target_value(&ev)) />
                </div>
                {move || members.get().and_then(|r| r.err()).map(|m| view! {
                    <p class="alert" role="alert">{m}</p>
                })}
                {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="button secondary"
                        on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button primary"
                        disabled=move || create.pending().get()>
                        "Create proposal"
                    </button>
                </div>
            </form>
        </Dialog>
    }
}
