//! Admin: the response targets per urgency tier (workspace setting), in minutes.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::api::UpdateWorkspaceSettings;
use tandem_protocol::urgency::SlaTargets;

use crate::components::form::error_message::ErrorMessage;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;

/// The three fields as typed → targets the server will accept, or the message to show.
pub fn parse_targets(critical: &str, standard: &str, low: &str) -> Result<SlaTargets, String> {
    let minutes = |text: &str| text.trim().parse::<u32>().ok();
    let (Some(critical_minutes), Some(standard_minutes), Some(low_minutes)) =
        (minutes(critical), minutes(standard), minutes(low))
    else {
        return Err("Enter each target as a whole number of minutes.".into());
    };
    let targets = SlaTargets {
        critical_minutes,
        standard_minutes,
        low_minutes,
    };
    targets.validate().map_err(|e| e.message)?;
    Ok(targets)
}

#[component]
pub fn ResponseTargets() -> impl IntoView {
    let session = use_session();
    let rt = use_realtime();
    let current = move || {
        rt.settings
            .with(|s| s.as_ref().map(|s| s.sla))
            .unwrap_or_default()
    };
    let critical = RwSignal::new(String::new());
    let standard = RwSignal::new(String::new());
    let low = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // The settings may arrive (or change in another admin's tab) after this mounts.
    Effect::new(move |_| {
        let t = current();
        critical.set(t.critical_minutes.to_string());
        standard.set(t.standard_minutes.to_string());
        low.set(t.low_minutes.to_string());
    });

    let save = Action::new_local(move |targets: &SlaTargets| {
        let (api, targets) = (session.authorized_untracked(), *targets);
        async move {
            let Some(api) = api else { return };
            let update = UpdateWorkspaceSettings {
                sla: Some(targets),
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
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        match parse_targets(
            &critical.get_untracked(),
            &standard.get_untracked(),
            &low.get_untracked(),
        ) {
            Ok(targets) => {
                save.dispatch(targets);
            }
            Err(m) => error.set(Some(m)),
        }
    };
    let field = |label: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="number" min="1" max="10080" step="1" inputmode="numeric"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };

    view! {
        <form class="panel-block response-targets" on:submit=on_submit novalidate=true>
            <h3>"Response targets"</h3>
            <p class="muted small">
                "Working hours pause the Standard and Low clocks; Critical runs on the wall clock."
            </p>
            <div class="response-target-fields">
                {field("Critical target (minutes)", critical)}
                {field("Standard target (minutes)", standard)}
                {field("Low target (minutes)", low)}
            </div>
            <ErrorMessage message=error />
            <div class="row">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    "Save response targets"
                </button>
                {move || saved.get().then(|| view! {
                    <span class="muted small" role="status">"Response targets saved."</span>
                })}
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_targets_parse_and_validate() {
        assert_eq!(
            parse_targets(" 10 ", "120", "1440"),
            Ok(SlaTargets {
                critical_minutes: 10,
                standard_minutes: 120,
                low_minutes: 1440
            })
        );
        assert!(parse_targets("", "120", "1440").is_err());
        assert!(parse_targets("1.5", "120", "1440").is_err());
        assert!(parse_targets("0", "120", "1440").is_err());
        assert!(
            parse_targets("15", "120", "20000").is_err(),
            "more than 7 days"
        );
    }
}
