//! The host's note editor on a call summary: free text, decisions (one per line) and
//! action items, each with an owner from the channel's members and a due date.
//! Saving replaces the note; the action items land in their owners' inboxes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::api::User;
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::urgency::{MeetingNote, MAX_NOTE_CHARS, MAX_NOTE_ITEM_CHARS};
use tandem_protocol::UserId;

use super::dates::{from_date_input, to_date_input};
use super::format::{note_request, ActionDraft};
use crate::components::urgency::context::UrgencyContext;
use crate::contexts::chat::use_chat;

const WEEK_MS: i64 = 7 * 24 * 3_600_000;

/// One action item row while editing; its own signals so typing does not rebuild rows.
#[derive(Clone, Copy)]
struct Row {
    key: u64,
    text: RwSignal<String>,
    owner: RwSignal<Option<UserId>>,
    due: RwSignal<String>,
}

#[component]
pub fn NoteForm(
    meeting_id: MeetingId,
    channel_id: ChannelId,
    note: Option<MeetingNote>,
    /// Closed: with the saved note, or `None` on "Cancel".
    on_done: Callback<Option<MeetingNote>>,
) -> impl IntoView {
    let chat = use_chat();
    let urgency = use_context::<UrgencyContext>();
    let text = RwSignal::new(note.as_ref().map(|n| n.text.clone()).unwrap_or_default());
    let decisions = RwSignal::new(
        note.as_ref()
            .map(|n| n.decisions.join("\n"))
            .unwrap_or_default(),
    );
    let next_key = StoredValue::new(0u64);
    let new_row = move |text: String, owner: Option<UserId>, due: String| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        Row {
            key,
            text: RwSignal::new(text),
            owner: RwSignal::new(owner),
            due: RwSignal::new(due),
        }
    };
    let rows = RwSignal::new(
        note.iter()
            .flat_map(|n| n.action_items.iter())
            .map(|a| new_row(a.text.clone(), Some(a.owner_id), to_date_input(a.due_at)))
            .collect::<Vec<_>>(),
    );
    let members = RwSignal::new(Vec::<User>::new());
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);

    let api = chat.api();
    spawn_local(async move {
        if let Ok(list) = api.channel_members(channel_id).await {
            if !members.is_disposed() {
                members.set(list);
            }
        }
    });

    let add_row = move |_| {
        // Me and a week from now: the usual case, and never an empty owner list.
        let now = urgency.map_or(js_sys::Date::now() as i64, |u| u.now());
        let due = to_date_input(now + WEEK_MS);
        rows.update(|r| r.push(new_row(String::new(), Some(chat.me), due)));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let drafts: Vec<ActionDraft> = rows.with_untracked(|rows| {
            rows.iter()
                .map(|r| ActionDraft {
                    text: r.text.get_untracked(),
                    owner_id: r.owner.get_untracked(),
                    due_at: from_date_input(&r.due.get_untracked()),
                })
                .collect()
        });
        let req = match note_request(&text.get_untracked(), &decisions.get_untracked(), &drafts) {
            Ok(req) => req,
            Err(m) => {
                error.set(Some(m));
                return;
            }
        };
        saving.set(true);
        let api = chat.api();
        spawn_local(async move {
            let result = api.save_meeting_note(meeting_id, &req).await;
            if saving.is_disposed() {
                return;
            }
            saving.set(false);
            match result {
                Ok(saved) => {
                    if let Some(u) = urgency {
                        u.notes.update(|n| {
                            n.insert(meeting_id, saved.clone());
                        });
                    }
                    on_done.run(Some(saved));
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    let uid = uuid::Uuid::new_v4().simple().to_string();
    let (note_id, decisions_id) = (format!("note-{uid}"), format!("decisions-{uid}"));

    view! {
        <form class="note-form" on:submit=save novalidate=true>
            <div class="field">
                <label for=note_id.clone()>"Note"</label>
                <textarea id=note_id rows="3" maxlength=MAX_NOTE_CHARS
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for=decisions_id.clone()>"Decisions (one per line)"</label>
                <textarea id=decisions_id rows="3"
                    prop:value=move || decisions.get()
                    on:input=move |ev| decisions.set(event_target_value(&ev))></textarea>
            </div>
            <fieldset class="note-actions">
                <legend>"Action items"</legend>
                <For each=move || rows.get() key=|r| r.key let:row>
                    <ActionRow row members
                        on_remove=Callback::new(move |_| {
                            rows.update(|r| r.retain(|x| x.key != row.key))
                        }) />
                </For>
                <button type="button" class="button ghost small" on:click=add_row>
                    "Add action item"
                </button>
            </fieldset>
            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="dialog-actions">
                <button type="button" class="button secondary" on:click=move |_| on_done.run(None)>
                    "Cancel"
                </button>
                <button type="submit" class="button primary" disabled=move || saving.get()>
                    "Save note"
                </button>
            </div>
        </form>
    }
}

#[component]
fn ActionRow(row: Row, members: RwSignal<Vec<User>>, on_remove: Callback<()>) -> impl IntoView {
    view! {
        <div class="note-action-row">
            <input type="text" aria-label="Action item" maxlength=MAX_NOTE_ITEM_CHARS
                prop:value=move || row.text.get()
                on:input=move |ev| row.text.set(event_target_value(&ev)) />
            <select aria-label="Owner"
                on:change=move |ev| row.owner.set(event_target_value(&ev).parse().ok())>
                <option value="" prop:selected=move || row.owner.get().is_none()>
                    "Choose an owner"
                </option>
                <For each=move || members.get() key=|u| u.id let:user>
                    {
                        let id = user.id;
                        view! {
                            <option value=id.to_string()
                                prop:selected=move || row.owner.get() == Some(id)>
                                {user.display_name}
                            </option>
                        }
                    }
                </For>
            </select>
            <input type="date" aria-label="Due date"
                prop:value=move || row.due.get()
                on:input=move |ev| row.due.set(event_target_value(&ev)) />
            <button type="button" class="button ghost small" on:click=move |_| on_remove.run(())>
                "Remove"
            </button>
        </div>
    }
}
