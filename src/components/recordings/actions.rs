//! What can be done to one recording, on the library list and the playback page:
//! download (anyone who can see it), rename and delete (its starter, or an admin).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::api::Role;
use tandem_protocol::recordings::{Recording, RecordingId, MAX_RECORDING_TITLE_CHARS};

use super::cache;
use crate::components::dialog::Dialog;
use crate::contexts::session::use_session;

/// The server enforces the same rule; checking here just answers sooner.
pub fn can_manage(recording: &Recording, me: Option<&tandem_protocol::api::User>) -> bool {
    me.is_some_and(|u| u.id == recording.started_by || u.role == Role::Admin)
}

#[component]
pub fn RecordingActions(
    recording: RwSignal<Recording>,
    on_deleted: Callback<RecordingId>,
) -> impl IntoView {
    let session = use_session();
    let api = session.authorized_untracked();
    let me = session.user_untracked();
    let id = recording.with_untracked(|r| r.id);
    let allowed = recording.with_untracked(|r| can_manage(r, me.as_ref()));
    let download = api.as_ref().map(|a| a.recording_download_url(id));

    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let rename = Action::new_local(move |title: &String| {
        let (api, title) = (session.authorized_untracked(), title.clone());
        async move {
            let Some(api) = api else { return };
            match api.rename_recording(id, title).await {
                Ok(r) => {
                    cache::remember(&r);
                    recording.set(r);
                    editing.set(false);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let remove = Action::new_local(move |_: &()| {
        let api = session.authorized_untracked();
        async move {
            let Some(api) = api else { return };
            match api.delete_recording(id).await {
                Ok(()) => {
                    cache::forget_deleted(id);
                    confirming.set(false);
                    on_deleted.run(id);
                }
                Err(e) => {
                    confirming.set(false);
                    error.set(Some(e.message()));
                }
            }
        }
    });

    let start_rename = move |_| {
        draft.set(recording.with_untracked(|r| r.title.clone()));
        error.set(None);
        editing.set(true);
    };
    let on_save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let title = draft.get_untracked().trim().to_string();
        if title.is_empty() {
            error.set(Some("Give the recording a title.".into()));
        } else if title.chars().count() > MAX_RECORDING_TITLE_CHARS {
            error.set(Some(format!(
                "Keep the title under {MAX_RECORDING_TITLE_CHARS} characters."
            )));
        } else {
            rename.dispatch(title);
        }
    };
    let on_close = Callback::new(move |()| confirming.set(false));

    view! {
        <div class="recording-actions">
            <Show when=move || editing.get()>
                <form class="recording-rename" on:submit=on_save novalidate=true>
                    <input type="text" aria-label="Recording title"
                        maxlength=MAX_RECORDING_TITLE_CHARS
                        prop:value=move || draft.get()
                        on:input=move |ev| draft.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" { editing.set(false); }
                        } />
                    <button type="submit" class="button primary small"
                        disabled=move || rename.pending().get()>"Save"</button>
                    <button type="button" class="button ghost small"
                        on:click=move |_| editing.set(false)>"Cancel"</button>
                </form>
            </Show>
            <div class="row recording-buttons">
                {download.map(|href| view! {
                    <a class="button small" href=href download="">"Download"</a>
                })}
                {allowed.then(|| view! {
                    <button type="button" class="button small" on:click=start_rename
                        disabled=move || editing.get()>"Rename"</button>
                    <button type="button" class="button danger small"
                        on:click=move |_| {
                            error.set(None);
                            confirming.set(true);
                        }>"Delete"</button>
                })}
            </div>
            {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
            <Show when=move || confirming.get()>
                <Dialog title="Delete this recording?" on_close>
                    <p>
                        "“" {move || recording.with(|r| r.title.clone())} "”"
                        " will be deleted for everyone. This can't be undone."
                    </p>
                    <div class="row dialog-actions">
                        <button type="button" class="button danger"
                            disabled=move || remove.pending().get()
                            on:click=move |_| { remove.dispatch(()); }>"Delete recording"</button>
                        <button type="button" class="button ghost"
                            on:click=move |_| confirming.set(false)>"Cancel"</button>
                    </div>
                </Dialog>
            </Show>
        </div>
    }
}
