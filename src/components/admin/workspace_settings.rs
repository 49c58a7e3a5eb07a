//! Admin: workspace name, open sign-up, and invite links.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::api::{
    validate_workspace_name, UpdateWorkspaceSettings, MAX_WORKSPACE_NAME_CHARS,
};

use crate::components::admin::invites::Invites;
use crate::components::form::error_message::{ErrorMessage, FormError};
use crate::components::form::field::Field;
use crate::components::recordings::retention::RecordingRetention;
use crate::components::urgency::sla_settings::ResponseTargets;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;

#[component]
pub fn WorkspaceSettingsPanel(
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let rt = use_realtime();
    let current = move || rt.settings.get();
    let name = RwSignal::new(
        rt.settings
            .with_untracked(|s| s.as_ref().map(|s| s.name.clone()))
            .unwrap_or_default(),
    );
    let errors = FormError::new(&["name"]);
    let saved = RwSignal::new(false);
    let toggle_error = RwSignal::new(None::<String>);

    let update = Action::new_local(move |update: &UpdateWorkspaceSettings| {
        let (api, update) = (session.authorized_untracked(), update.clone());
        async move {
            let api = api?;
            let result = api.update_workspace_settings(&update).await;
            if let Ok(settings) = &result {
                rt.settings.set(Some(settings.clone()));
            }
            Some((update, result))
        }
    });
    // Route each outcome to the control that caused it.
    Effect::new(move |_| {
        if let Some(Some((update, result))) = update.value().get() {
            let toggled = update.open_signup.is_some();
            match result {
                Ok(_) if toggled => toggle_error.set(None),
                Ok(_) => {
                    errors.set(None);
                    saved.set(true);
                }
                Err(e) if toggled => {
                    toggle_error.set(Some(e.message()));
                    // Re-run `prop:checked` so the box shows the real setting again.
                    rt.settings.update(|_| ());
                }
                Err(e) => errors.set(Some(e)),
            }
        }
    });

    let on_save = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let value = name.get_untracked().trim().to_string();
        if let Err(e) = validate_workspace_name(&value) {
            errors.set(Some(e.into()));
            return;
        }
        update.dispatch(UpdateWorkspaceSettings {
            name: Some(value),
            open_signup: None,
            recording_retention_days: None,
            sla: None,
        });
    };
    let on_toggle = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        update.dispatch(UpdateWorkspaceSettings {
            name: None,
            open_signup: Some(checked),
            recording_retention_days: None,
            sla: None,
        });
    };

    view! {
        <section id="workspace-settings" class="panel" aria-labelledby="settings-heading">
            <div class="panel-header">
                <h2 id="settings-heading">"Workspace settings"</h2>
                <button type="button" class="button ghost small" on:click=move |_| on_close()>
                    "Close"
                </button>
            </div>

            <form class="panel-block" on:submit=on_save novalidate=true>
                <Field id="workspace-name" label="Workspace name" value=name
                    error=errors.field("name") maxlength=MAX_WORKSPACE_NAME_CHARS required=true />
                <ErrorMessage message=errors.general() />
                <div class="row">
                    <button type="submit" class="button primary"
                        disabled=move || update.pending().get()>"Save"</button>
                    {move || saved.get().then(|| view! { <span class="muted">"Saved."</span> })}
                </div>
            </form>

            <div class="panel-block">
                <label class="checkbox">
                    <input
                        type="checkbox"
                        prop:checked=move || current().is_some_and(|s| s.open_signup)
                        on:change=on_toggle
                    />
                    <span>"Allow anyone to sign up without an invite"</span>
                </label>
                <ErrorMessage message=toggle_error />
            </div>

            <RecordingRetention />

            <ResponseTargets />

            <Invites />
        </section>
    }
}
