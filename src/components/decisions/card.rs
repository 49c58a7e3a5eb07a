//! The proposal under its message: question, consent deadline, state, tally, my vote
//! (Agree / Object with a reason / Abstain), everyone's votes, and for the owner
//! "Record decision" and — while an objection stands — "Escalate to call".
//! Built once per message; the parts read the live proposal through memos, so a vote
//! arriving does not reset what I am typing.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use tandem_protocol::chat::MessageId;
use tandem_protocol::decisions::{
    DecideRequest, Proposal, ProposalState, Vote, VoteRequest, MAX_DECISION_CHARS, MAX_REASON_CHARS,
};

use super::store::{use_decisions, DecisionsStore};
use super::tally::{
    decided_in_label, my_vote, objection_stands, state_label, tally, tally_text, vote_label,
};
use crate::base_path::app_href;
use crate::contexts::chat::use_chat;
use crate::time::full_time;

/// Renders nothing until the message has a proposal (and outside the workspace shell).
#[component]
pub fn ProposalCard(message_id: MessageId) -> impl IntoView {
    let store = use_decisions();
    let has = Memo::new(move |_| store.is_some_and(|s| s.for_message(message_id).is_some()));
    move || {
        has.get()
            .then(|| store.map(|store| view! { <Card message_id store /> }))
            .flatten()
    }
}

#[component]
fn Card(message_id: MessageId, store: DecisionsStore) -> impl IntoView {
    let chat = use_chat();
    let me = chat.me;
    let navigate = use_navigate();
    let p = Memo::new(move |_| store.for_message(message_id));
    let field =
        move |f: fn(&Proposal) -> String| move || p.with(|p| p.as_ref().map(f).unwrap_or_default());
    let state = Memo::new(move |_| p.with(|p| p.as_ref().map(|p| p.state)));
    let decided = move || state.get() == Some(ProposalState::Decided);
    let is_owner = Memo::new(move |_| p.with(|p| p.as_ref().is_some_and(|p| p.owner_id == me)));
    let mine = Memo::new(move |_| p.with(|p| p.as_ref().and_then(|p| my_vote(p, me))));
    let objections = Memo::new(move |_| p.with(|p| p.as_ref().is_some_and(objection_stands)));

    let objecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let recording = RwSignal::new(false);
    let decision = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let vote = Action::new_local(move |req: &VoteRequest| {
        let (api, req) = (chat.api(), req.clone());
        let id = p.get_untracked().map(|p| p.id);
        async move {
            let Some(id) = id else { return };
            match api.vote(id, &req).await {
                Ok(updated) => {
                    error.set(None);
                    if req.vote == Vote::Object {
                        objecting.set(false);
                        reason.set(String::new());
                    }
                    store.upsert(updated);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let decide = Action::new_local(move |req: &DecideRequest| {
        let (api, req) = (chat.api(), req.clone());
        let id = p.get_untracked().map(|p| p.id);
        async move {
            let Some(id) = id else { return };
            match api.decide(id, &req).await {
                Ok(updated) => {
                    error.set(None);
                    recording.set(false);
                    store.upsert(updated);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let escalate = Action::new_local(move |_: &()| {
        let api = chat.api();
        let navigate = navigate.clone();
        let id = p.get_untracked().map(|p| p.id);
        async move {
            let Some(id) = id else { return };
            match api.escalate_proposal(id).await {
                Ok(meeting) => {
                    error.set(None);
                    navigate(&format!("/m/{}", meeting.id), NavigateOptions::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let busy = move || vote.pending().get() || decide.pending().get() || escalate.pending().get();
    let cast = move |v: Vote| {
        if v == Vote::Object {
            objecting.update(|o| *o = !*o);
        } else {
            objecting.set(false);
            vote.dispatch(VoteRequest {
                vote: v,
                reason: String::new(),
            });
        }
    };

    view! {
        <section class="proposal-card" role="group" aria-label="Proposal">
            <p class="proposal-question">{field(|p| p.question.clone())}</p>
            <p class="proposal-meta muted small">
                "Owner: " {move || p.with(|p| p.as_ref().map(|p| chat.name_of(p.owner_id)))}
                " · Consent by " {field(|p| full_time(p.deadline))}
                " · " <span class="proposal-state">{move || state.get().map(state_label)}</span>
            </p>
            <p class="proposal-tally">
                {move || p.with(|p| p.as_ref().map(|p| tally_text(tally(p))))}
            </p>
            {move || p.with(|p| {
                p.as_ref()
                    .filter(|p| p.state == ProposalState::Escalated)
                    .and_then(|p| p.meeting_id)
            }).map(|id| view! {
                <p class="small"><A href=app_href(&format!("/m/{id}"))>"Join the call"</A></p>
            })}
            <Show when=decided>
                <p class="proposal-decision">
                    <strong>"Decided: " {field(|p| p.decision.clone().unwrap_or_default())}</strong>
                    " " {move || p.with(|p| p.as_ref().map(|p| decided_in_label(p.decided_in)))}
                </p>
            </Show>
            <Show when=move || !decided()>
                <div class="proposal-votes" role="group" aria-label="Your response">
                    {[Vote::Agree, Vote::Object, Vote::Abstain].into_iter().map(|v| view! {
                        <button type="button" class="button secondary small"
                            class:pressed=move || mine.get() == Some(v)
                            aria-pressed=move || (mine.get() == Some(v)).to_string()
                            disabled=busy
                            on:click=move |_| cast(v)>
                            {vote_label(v)}
                        </button>
                    }).collect_view()}
                </div>
                <Show when=move || objecting.get()>
                    <div class="proposal-objection">
                        <label class="visually-hidden" for=format!("reason-{message_id}")>
                            "Reason for objecting"
                        </label>
                        <textarea id=format!("reason-{message_id}") rows="2"
                            maxlength=MAX_REASON_CHARS
                            placeholder="Why do you object?"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        <button type="button" class="button primary small" disabled=busy
                            on:click=move |_| {
                                vote.dispatch(VoteRequest {
                                    vote: Vote::Object,
                                    reason: reason.get_untracked().trim().to_string(),
                                });
                            }>
                            "Submit objection"
                        </button>
                    </div>
                </Show>
                <Show when=move || is_owner.get()>
                    <div class="proposal-owner">
                        <button type="button" class="button secondary small"
                            aria-expanded=move || recording.get().to_string()
                            on:click=move |_| recording.update(|r| *r = !*r)>
                            "Record decision"
                        </button>
                        <Show when=move || objections.get()>
                            <button type="button" class="button secondary small" disabled=busy
                                on:click=move |_| { escalate.dispatch(()); }>
                                "Escalate to call"
                            </button>
                        </Show>
                    </div>
                    <Show when=move || recording.get()>
                        <div class="proposal-record">
                            <label class="visually-hidden" for=format!("decision-{message_id}")>
                                "Decision"
                            </label>
                            <textarea id=format!("decision-{message_id}") rows="2"
                                maxlength=MAX_DECISION_CHARS
                                placeholder="What was decided"
                                prop:value=move || decision.get()
                                on:input=move |ev| decision.set(event_target_value(&ev))></textarea>
                            <button type="button" class="button primary small" disabled=busy
                                on:click=move |_| {
                                    decide.dispatch(DecideRequest {
                                        decision: decision.get_untracked().trim().to_string(),
                                    });
                                }>
                                "Save decision"
                            </button>
                        </div>
                    </Show>
                </Show>
            </Show>
            {move || error.get().map(|m| view! { <p class="alert small" role="alert">{m}</p> })}
            <ul class="proposal-voters small">
                {move || p.get().map(|p| p.votes.into_iter().map(|v| view! {
                    <li>
                        <span class="voter">{chat.name_of(v.user_id)}</span>
                        ": " {vote_label(v.vote)}
                        {(!v.reason.is_empty()).then(|| view! {
                            <span class="vote-reason">" — " {v.reason.clone()}</span>
                        })}
                    </li>
                }).collect_view())}
            </ul>
        </section>
    }
}
