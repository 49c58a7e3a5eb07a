//! Admin: how long recordings are kept. Saved as soon as it changes (like the sign-up
//! toggle beside it), so the settings panel keeps a single "Save" button.

use leptos::prelude::*;
use tandem_protocol::api::UpdateWorkspaceSettings;

use crate::components::form::error_message::ErrorMessage;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;

/// A value the server will accept: whole days, 1 to 10 years.
pub fn parse_days(text: &str) -> Result<u32, &'static str> {
    match text.trim().parse::<u32>() {
        Ok(d) if (1..=3650).contains(&d) => Ok(d),
        _ => Err("Enter a number of days from 1 to 3650."),
    }
}

#[component]
pub fn RecordingRetention() -> impl IntoView {
    let session = use_session();
    let rt = use_realtime();
    let current = move || {
        rt.settings
            .with(|s| s.as_ref().and_then(|s| s.recording_retention_days))
    };
    let forever = RwSignal::new(current().is_none());
    let days = RwSignal::new(current().unwrap_or(90).to_string());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // The settings may arrive (or change in another admin's tab) after this mounts.
    Effect::new(move |_| {
        let value = current();
        forever.set(value.is_none());
        if let Some(d) = value {
            days.set(d.to_string());
        }
    });

    let save = Action::new_local(move |value: &Option<u32>| {
        let (api, value) = (session.authorized_untracked(), *value);
        async move {
            let Some(api) = api else { return };
            let update = UpdateWorkspaceSettings {
                recording_retention_days: Some(value),
                ..Default::default()
            };
            match api.update_workspace_settings(&update).await {
                Ok(settings) => {
                    rt.settings.set(Some(settings));
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let submit = move || {
        saved.set(false);
        if forever.get_untracked() {
            save.dispatch(None);
            return;
        }
        match parse_days(&days.get_untracked()) {
            Ok(d) => {
                save.dispatch(Some(d));
            }
            Err(m) => error.set(Some(m.to_string())),
        }
    };

    view! {
        <div class="panel-block recording-retention">
            <label class="field">
                <span>"Delete recordings after (days)"</span>
                <input type="number" min="1" max="3650" step="1" inputmode="numeric"
                    disabled=move || forever.get()
                    prop:value=move || days.get()
                    on:input=move |ev| days.set(event_target_value(&ev))
                    on:change=move |_| submit() />
            </label>
            <label class="checkbox">
                <input type="checkbox" prop:checked=move || forever.get()
                    on:change=move |ev| { forever.set(event_target_checked(&ev)); submit(); } />
                <span>"Keep recordings forever"</span>
            </label>
            <ErrorMessage message=error />
            {move || saved.get().then(|| view! {
                <span class="muted small" role="status">"Recording retention saved."</span>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_must_be_a_sensible_whole_number() {
        assert_eq!(parse_days(" 30 "), Ok(30));
        assert!(parse_days("0").is_err());
        assert!(parse_days("1.5").is_err());
        assert!(parse_days("").is_err());
        assert!(parse_days("4000").is_err());
    }
}
