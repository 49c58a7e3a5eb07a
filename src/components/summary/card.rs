//! A call's summary card, posted into the escalated thread when the call ended:
//! duration, who joined, the in-meeting chat, the recording and board when there were
//! any, and the host's note (decisions, action items). `MeetingNoteUpdated` refreshes
//! the note for everyone; the host edits it in place.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::{MeetingNote, MeetingSummary};

use super::dates::date_label;
use super::format::{chat_count_text, duration_text};
use super::note_form::NoteForm;
use crate::base_path::app_href;
use crate::components::urgency::context::UrgencyContext;
use crate::contexts::chat::use_chat;

#[component]
pub fn SummaryCard(meeting_id: MeetingId, channel_id: ChannelId) -> impl IntoView {
    let chat = use_chat();
    // The meeting shell has no urgency context: the card then just shows what it fetched.
    let urgency = use_context::<UrgencyContext>();
    let summary = RwSignal::new(None::<MeetingSummary>);
    let error = RwSignal::new(None::<String>);
    let editing = RwSignal::new(false);
    let api = chat.api();
    spawn_local(async move {
        let result = api.meeting_summary(meeting_id).await;
        if summary.is_disposed() {
            return;
        }
        match result {
            Ok(s) => summary.set(Some(s)),
            Err(e) => error.set(Some(e.message())),
        }
    });
    // A note edited since the card loaded wins over the one it fetched.
    let note = Memo::new(move |_| {
        urgency
            .and_then(|u| u.notes.with(|n| n.get(&meeting_id).cloned()))
            .or_else(|| summary.with(|s| s.as_ref().and_then(|s| s.note.clone())))
    });
    let is_host = Memo::new(move |_| {
        summary.with(|s| s.as_ref().is_some_and(|s| s.meeting.host_id == chat.me))
    });
    let facts = Memo::new(move |_| summary.get());

    view! {
        <article class="summary-card" role="group" aria-label="Call summary">
            <h3 class="summary-title">"Call summary"</h3>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            {move || facts.get().map(|s| view! { <Facts summary=s /> })}
            <Show when=move || !editing.get() fallback=move || view! {
                <NoteForm meeting_id channel_id note=note.get_untracked()
                    on_done=Callback::new(move |saved: Option<MeetingNote>| {
                        if let Some(n) = saved {
                            summary.update(|s| if let Some(s) = s { s.note = Some(n) });
                        }
                        editing.set(false);
                    }) />
            }>
                {move || note.get().map(|n| view! { <NoteView note=n /> })}
                <Show when=move || is_host.get()>
                    <button type="button" class="button secondary small"
                        on:click=move |_| editing.set(true)>
                        "Edit note"
                    </button>
                </Show>
            </Show>
        </article>
    }
}

#[component]
fn Facts(summary: MeetingSummary) -> impl IntoView {
    let names: Vec<String> = summary
        .attendees
        .iter()
        .map(|p| p.display_name.clone())
        .collect();
    view! {
        <p class="summary-facts">
            <span class="summary-duration">{duration_text(summary.duration_ms)}</span>
            <span class="muted">" · "</span>
            <span class="summary-chat">{chat_count_text(summary.chat_count)}</span>
        </p>
        {(!names.is_empty()).then(|| view! {
            <p class="summary-attendees"><span class="muted">"Joined: "</span>{names.join(", ")}</p>
        })}
        <p class="summary-links">
            {summary.recording_id.map(|id| view! {
                <A href=app_href(&format!("/recordings/{id}"))>"Play recording"</A>
            })}
            {summary.board_id.map(|id| view! {
                <A href=app_href(&format!("/boards/{id}"))>"Open whiteboard"</A>
            })}
        </p>
    }
}

#[component]
fn NoteView(note: MeetingNote) -> impl IntoView {
    let chat = use_chat();
    view! {
        {(!note.text.is_empty()).then(|| view! { <p class="summary-note">{note.text.clone()}</p> })}
        {(!note.decisions.is_empty()).then(|| view! {
            <h4 class="summary-subtitle">"Decisions"</h4>
            <ul class="summary-decisions" aria-label="Decisions">
                {note.decisions.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}
            </ul>
        })}
        {(!note.action_items.is_empty()).then(|| view! {
            <h4 class="summary-subtitle">"Action items"</h4>
            <ul class="summary-actions" aria-label="Action items">
                {note.action_items.iter().map(|a| view! {
                    <li class:done=a.done>
                        {format!(
                            "{} — {} — {}",
                            a.text,
                            chat.name_of(a.owner_id),
                            date_label(a.due_at)
                        )}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}
