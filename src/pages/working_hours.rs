//! `/settings/working-hours`: my time zone, working hours per weekday and focus blocks.

use leptos::prelude::*;

use crate::app::Loading;
use crate::components::working_hours::week_form::WorkingHoursForm;
use crate::contexts::session::use_session;

#[component]
pub fn WorkingHoursPage() -> impl IntoView {
    let session = use_session();
    let hours = LocalResource::new(move || {
        let api = session.authorized_untracked();
        async move {
            match api {
                Some(api) => api.my_working_hours().await.map_err(|e| e.message()),
                None => Err("Please log in to continue.".to_string()),
            }
        }
    });
    view! {
        <section class="working-hours-page" aria-labelledby="working-hours-heading">
            <h1 id="working-hours-heading">"Working hours"</h1>
            <p class="muted">
                "People see your local time and whether you are working or in focus. "
                "Standard and Low response times only count your working hours."
            </p>
            <Suspense fallback=|| view! { <Loading label="Loading your working hours…" /> }>
                {move || hours.get().map(|r| match r {
                    Ok(initial) => view! { <WorkingHoursForm initial /> }.into_any(),
                    Err(m) => view! { <p class="alert" role="alert">{m}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
