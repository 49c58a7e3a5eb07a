//! The working-hours form: time zone, one working range per weekday, and recurring
//! focus blocks. Saving refreshes everyone's availability (mine changed) and my
//! profile's zone, which the server keeps equal to the schedule's.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::schedule::WorkSchedule;

use super::hours::{build_schedule, day_rows, focus_rows, DayHours, FocusHours, WEEKDAYS};
use super::zone::all_time_zones;
use crate::contexts::availability::use_availability;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;

#[derive(Clone, Copy)]
struct DayFields {
    enabled: RwSignal<bool>,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct FocusFields {
    key: u32,
    weekday: RwSignal<u8>,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

impl FocusFields {
    fn new(key: u32, f: FocusHours) -> Self {
        Self {
            key,
            weekday: RwSignal::new(f.weekday),
            start: RwSignal::new(f.start),
            end: RwSignal::new(f.end),
        }
    }
}

#[component]
pub fn WorkingHoursForm(initial: WorkSchedule) -> impl IntoView {
    let session = use_session();
    let rt = use_realtime();
    let availability = use_availability();
    let zone = RwSignal::new(initial.time_zone.clone());
    let zones = StoredValue::new(all_time_zones(&initial.time_zone));
    let days: Vec<DayFields> = day_rows(&initial)
        .into_iter()
        .map(|d| DayFields {
            enabled: RwSignal::new(d.enabled),
            start: RwSignal::new(d.start),
            end: RwSignal::new(d.end),
        })
        .collect();
    let days = StoredValue::new(days);
    let next_key = StoredValue::new(0u32);
    let new_key = move || {
        next_key.update_value(|k| *k += 1);
        next_key.get_value()
    };
    let focus = RwSignal::new(
        focus_rows(&initial)
            .into_iter()
            .map(|f| FocusFields::new(new_key(), f))
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);

    let save = Action::new_local(move |schedule: &WorkSchedule| {
        let (api, schedule) = (session.authorized_untracked(), schedule.clone());
        async move {
            let Some(api) = api else { return };
            match api.save_schedule(&schedule).await {
                Ok(stored) => {
                    error.set(None);
                    saved.set(true);
                    // My local time and state show from the new zone at once.
                    rt.people.update(|people| {
                        if let Some(me) = people.iter_mut().find(|u| u.id == rt.me) {
                            me.time_zone = stored.time_zone.clone();
                        }
                    });
                    availability.refresh();
                }
                Err(e) => error.set(Some(e.message())),
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let day_values: Vec<DayHours> = days.with_value(|d| {
            d.iter()
                .map(|f| DayHours {
                    enabled: f.enabled.get_untracked(),
                    start: f.start.get_untracked(),
                    end: f.end.get_untracked(),
                })
                .collect()
        });
        let focus_values: Vec<FocusHours> = focus.with_untracked(|list| {
            list.iter()
                .map(|f| FocusHours {
                    weekday: f.weekday.get_untracked(),
                    start: f.start.get_untracked(),
                    end: f.end.get_untracked(),
                })
                .collect()
        });
        match build_schedule(&zone.get_untracked(), &day_values, &focus_values) {
            Ok(schedule) => {
                error.set(None);
                save.dispatch(schedule);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let any_change = move || saved.set(false);

    view! {
        <form class="working-hours" on:submit=on_submit on:input=move |_| any_change() novalidate=true>
            <div class="field">
                <label for="time-zone">"Time zone"</label>
                <select id="time-zone" aria-label="Time zone"
                    on:change=move |ev| zone.set(event_target_value(&ev))>
                    {zones.get_value().into_iter().map(|z| {
                        let selected = z == zone.get_untracked();
                        view! { <option value=z.clone() selected=selected>{z.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>

            <fieldset class="week">
                <legend>"Working hours"</legend>
                {days.get_value().into_iter().zip(WEEKDAYS).map(|(f, day)| view! {
                    <div class="week-day">
                        <label class="checkbox">
                            <input type="checkbox"
                                prop:checked=move || f.enabled.get()
                                on:change=move |ev| f.enabled.set(event_target_checked(&ev)) />
                            <span>{day}</span>
                        </label>
                        <input type="time" aria-label=format!("{day} start")
                            disabled=move || !f.enabled.get()
                            prop:value=move || f.start.get()
                            on:input=move |ev| f.start.set(event_target_value(&ev)) />
                        <span aria-hidden="true">"–"</span>
                        <input type="time" aria-label=format!("{day} end")
                            disabled=move || !f.enabled.get()
                            prop:value=move || f.end.get()
                            on:input=move |ev| f.end.set(event_target_value(&ev)) />
                    </div>
                }).collect_view()}
            </fieldset>

            <fieldset class="focus-blocks">
                <legend>"Focus blocks"</legend>
                <p class="muted small">"No meetings, no pings: only Critical messages reach you in focus time."</p>
                <For each=move || focus.get() key=|f| f.key let:f>
                    <div class="focus-row">
                        <select aria-label="Focus day"
                            on:change=move |ev| {
                                if let Ok(n) = event_target_value(&ev).parse::<u8>() {
                                    f.weekday.set(n.clamp(1, 7));
                                }
                            }>
                            {WEEKDAYS.iter().enumerate().map(|(i, name)| {
                                let n = i as u8 + 1;
                                view! {
                                    <option value=n.to_string() selected=n == f.weekday.get_untracked()>{*name}</option>
                                }
                            }).collect_view()}
                        </select>
                        <input type="time" aria-label="Focus start"
                            prop:value=move || f.start.get()
                            on:input=move |ev| f.start.set(event_target_value(&ev)) />
                        <span aria-hidden="true">"–"</span>
                        <input type="time" aria-label="Focus end"
                            prop:value=move || f.end.get()
                            on:input=move |ev| f.end.set(event_target_value(&ev)) />
                        <button type="button" class="button ghost small"
                            on:click=move |_| {
                                saved.set(false);
                                focus.update(|l| l.retain(|x| x.key != f.key));
                            }>
                            "Remove focus block"
                        </button>
                    </div>
                </For>
                <button type="button" class="button secondary small"
                    on:click=move |_| {
                        saved.set(false);
                        let row = FocusFields::new(new_key(), FocusHours::suggested());
                        focus.update(|l| l.push(row));
                    }>
                    "Add focus block"
                </button>
            </fieldset>

            {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <div class="row">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    "Save working hours"
                </button>
                <span role="status" class="muted">{move || saved.get().then_some("Saved")}</span>
            </div>
        </form>
    }
}
