//! The composer's "Attach files" control: each chosen file uploads at once, with a
//! progress bar and a cancel button, then becomes a removable chip.

use std::collections::HashMap;

use leptos::prelude::*;
use tandem_protocol::chat::Attachment;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use super::size::human_size;
use super::upload_list::{UploadList, UploadState};
use super::url::MAX_UPLOAD_BYTES;
use crate::api::uploads::{UploadAbort, UploadOutcome};
use crate::components::icons::{Glyph, Icon};
use crate::contexts::session::use_session;

#[component]
pub fn AttachmentPicker(
    on_change: Callback<Vec<Attachment>>,
    #[prop(into)] reset: Signal<u64>,
    /// Told whether any upload is still in flight, so the composer can hold "Send"
    /// (a message sent meanwhile would go out without the file).
    #[prop(optional)]
    on_busy: Option<Callback<bool>>,
) -> impl IntoView {
    let session = use_session();
    let list = RwSignal::new(UploadList::default());
    // XHR handles are browser objects (not Send), so they live in local storage.
    let aborts = StoredValue::new_local(HashMap::<u64, UploadAbort>::new());
    // Several pickers can be on screen (channel and thread composers): unique ids.
    let input_id = format!("attach-{}", uuid::Uuid::new_v4().simple());

    let abort_all = move || {
        aborts.try_update_value(|m| {
            for (_, handle) in m.drain() {
                handle.abort();
            }
        });
    };

    let start = move |file: File| {
        let name = file.name();
        let size = file.size() as u64;
        if size > MAX_UPLOAD_BYTES {
            let limit = human_size(MAX_UPLOAD_BYTES);
            list.update(|l| l.reject(&name, format!("{name} is larger than {limit}.")));
            return;
        }
        let Some(key) = list.try_update(|l| l.start(&name)).flatten() else {
            return;
        };
        let Some(api) = session.authorized_untracked() else {
            list.update(|l| l.fail(key, "Please log in to continue.".into()));
            return;
        };
        let on_progress = move |loaded, total| {
            list.try_update(|l| l.progress(key, loaded, total));
        };
        match api.start_upload(&file, on_progress) {
            Ok(upload) => {
                aborts.update_value(|m| {
                    m.insert(key, upload.abort_handle());
                });
                leptos::task::spawn_local(async move {
                    let outcome = upload.outcome().await;
                    aborts.try_update_value(|m| m.remove(&key));
                    // try_: the picker may have been unmounted while this was in flight.
                    list.try_update(|l| match outcome {
                        UploadOutcome::Done(attachment) => l.finish(key, attachment),
                        UploadOutcome::Failed(e) => l.fail(key, e.message()),
                        UploadOutcome::Cancelled => l.remove(key),
                    });
                });
            }
            Err(e) => list.update(|l| l.fail(key, e.message())),
        }
    };

    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(files) = input.files() {
            for i in 0..files.length() {
                if let Some(file) = files.get(i) {
                    start(file);
                }
            }
        }
        // Cleared so choosing the same file again still fires `change`.
        input.set_value("");
    };

    let cancel = move |key: u64| {
        if let Some(handle) = aborts.with_value(|m| m.get(&key).cloned()) {
            handle.abort();
        }
    };

    // Tell the composer whenever the finished set changes (not on mount).
    let done = Memo::new(move |_| list.with(UploadList::attachments));
    Effect::new(move |first_run_done: Option<()>| {
        let attachments = done.get();
        if first_run_done.is_some() {
            on_change.run(attachments);
        }
    });

    if let Some(on_busy) = on_busy {
        let busy = Memo::new(move |_| list.with(UploadList::is_uploading));
        Effect::new(move |_| on_busy.run(busy.get()));
    }

    // A sent message (or a discarded draft) resets the picker.
    Effect::new(move |previous: Option<u64>| {
        let current = reset.get();
        if previous.is_some_and(|p| p != current) {
            abort_all();
            list.update(UploadList::clear);
        }
        current
    });

    on_cleanup(abort_all);

    let keys = move || list.with(|l| l.items().iter().map(|i| i.key).collect::<Vec<_>>());

    view! {
        <div class="attachment-picker">
            <input
                id=input_id.clone()
                class="visually-hidden"
                type="file"
                multiple=true
                on:change=on_files
            />
            <label for=input_id class="button ghost attach-button" title="Attach files">
                <span class="paperclip" aria-hidden="true"></span>
                <span class="visually-hidden">"Attach files"</span>
            </label>
            <ul class="upload-list" aria-label="Attachments">
                <For each=keys key=|k| *k let:key>
                    <UploadRow key list cancel=Callback::new(cancel) />
                </For>
            </ul>
        </div>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uploading,
    Done,
    Failed,
}

/// One chosen file: progress while uploading, a chip when done, an alert on failure.
/// The markup is rebuilt only when the phase changes, so progress events never
/// recreate (and steal focus from) the "Cancel upload" button.
#[component]
fn UploadRow(key: u64, list: RwSignal<UploadList>, cancel: Callback<u64>) -> impl IntoView {
    let item = Memo::new(move |_| list.with(|l| l.get(key).cloned()));
    let phase = Memo::new(move |_| {
        item.with(|i| {
            i.as_ref().map(|i| match i.state {
                UploadState::Uploading { .. } => Phase::Uploading,
                UploadState::Done(_) => Phase::Done,
                UploadState::Failed(_) => Phase::Failed,
            })
        })
    });
    // Bytes sent and total; no total yet gives an indeterminate bar, not a false 0 %.
    let sent = move || {
        item.with(|i| match i.as_ref().map(|i| &i.state) {
            Some(UploadState::Uploading { loaded, total }) if *total > 0.0 => {
                Some((*loaded, *total))
            }
            _ => None,
        })
    };
    let name = item.with_untracked(|i| i.as_ref().map(|i| i.name.clone()).unwrap_or_default());
    let remove = move |_| list.update(|l| l.remove(key));

    move || {
        let name = name.clone();
        match phase.get() {
            None => ().into_any(),
            Some(Phase::Uploading) => view! {
                <li class="upload uploading">
                    <span class="upload-name">{name.clone()}</span>
                    <progress
                        aria-label=format!("Uploading {name}")
                        value=move || sent().map(|(loaded, _)| loaded)
                        max=move || sent().map(|(_, total)| total)
                    ></progress>
                    <button type="button" class="button ghost small"
                        on:click=move |_| cancel.run(key)>
                        "Cancel upload"
                    </button>
                </li>
            }
            .into_any(),
            Some(Phase::Done) => {
                let size = item.with_untracked(|i| match i.as_ref().map(|i| &i.state) {
                    Some(UploadState::Done(a)) => human_size(a.size),
                    _ => String::new(),
                });
                view! {
                    <li class="upload chip">
                        <span class="upload-name">{name.clone()}</span>
                        <span class="muted small">{size}</span>
                        <button
                            type="button"
                            class="button ghost small chip-remove"
                            aria-label=format!("Remove {name}")
                            on:click=remove
                        >
                            <Icon glyph=Glyph::Close />
                        </button>
                    </li>
                }
                .into_any()
            }
            Some(Phase::Failed) => {
                let message = item.with_untracked(|i| match i.as_ref().map(|i| &i.state) {
                    Some(UploadState::Failed(m)) => m.clone(),
                    _ => String::new(),
                });
                view! {
                    <li class="upload failed">
                        <p class="alert" role="alert">
                            {format!("Couldn't upload {name}: {message}")}
                        </p>
                        <button
                            type="button"
                            class="button ghost small"
                            aria-label=format!("Dismiss error for {name}")
                            on:click=remove
                        >
                            "Dismiss"
                        </button>
                    </li>
                }
                .into_any()
            }
        }
    }
}
