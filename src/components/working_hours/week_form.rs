//! The working-hours form: time zone, working ranges per weekday (several for a split
//! shift: "Add hours on Monday", "Remove 14:00–18:00 on Monday"), and recurring focus
//! blocks. Each day's ranges are checked as they are typed (`day_ranges`), the problem
//! shown beside the day before any save. Saving refreshes everyone's availability
//! (mine changed) and my profile's zone, which the server keeps equal to the hours' zone.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::working_hours::WorkSchedule;

use super::day_ranges::{check_day, suggested_range, RangeInput, MAX_RANGES_PER_DAY};
use super::hours::{build_working_hours, day_rows, focus_rows, FocusHours, WEEKDAYS};
use super::zone::all_time_zones;
use crate::contexts::availability::use_availability;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;

/// One working range's inputs; `key` keeps its row (and focus) when others go.
#[derive(Clone, Copy)]
struct RangeFields {
    key: u32,
    start: RwSignal<String>,
    end: RwSignal<String>,
}

impl RangeFields {
    fn new(key: u32, r: RangeInput) -> Self {
        Self {
            key,
            start: RwSignal::new(r.start),
            end: RwSignal::new(r.end),
        }
    }

    fn input(&self) -> RangeInput {
        RangeInput {
            start: self.start.get(),
            end: self.end.get(),
        }
    }

    fn input_untracked(&self) -> RangeInput {
        RangeInput {
            start: self.start.get_untracked(),
            end: self.end.get_untracked(),
        }
    }
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
    let next_key = StoredValue::new(0u32);
    let new_key = move || {
        next_key.update_value(|k| *k += 1);
        next_key.get_value()
    };
    // Monday first; each day's list of ranges (empty: a day off).
    let days: Vec<RwSignal<Vec<RangeFields>>> = day_rows(&initial)
        .into_iter()
        .map(|ranges| {
            RwSignal::new(
                ranges
                    .into_iter()
                    .map(|r| RangeFields::new(new_key(), r))
                    .collect(),
            )
        })
        .collect();
    let days = StoredValue::new(days);
    let focus = RwSignal::new(
        focus_rows(&initial)
            .into_iter()
            .map(|f| FocusFields::new(new_key(), f))
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);

    let save = Action::new_local(move |hours: &WorkSchedule| {
        let (api, hours) = (session.authorized_untracked(), hours.clone());
        async move {
            let Some(api) = api else { return };
            match api.save_working_hours(&hours).await {
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
        let day_values: Vec<Vec<RangeInput>> = days.with_value(|d| {
            d.iter()
                .map(|ranges| {
                    ranges.with_untracked(|l| l.iter().map(RangeFields::input_untracked).collect())
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
        // A day's own problem already shows beside it: say where to look, not it again.
        let day_problem = day_values
            .iter()
            .enumerate()
            .any(|(i, ranges)| check_day(i as u8 + 1, ranges).is_err());
        if day_problem {
            error.set(Some(
                "Fix the working hours marked above, then save.".into(),
            ));
            return;
        }
        match build_working_hours(&zone.get_untracked(), &day_values, &focus_values) {
            Ok(hours) => {
                error.set(None);
                save.dispatch(hours);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let any_change = move || saved.set(false);

    view! {
        <form class="working-hours" on:submit=on_submit on:input=move |_| any_change()
            novalidate=true>
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
                {days
                    .get_value()
                    .into_iter()
                    .zip(WEEKDAYS)
                    .enumerate()
                    .map(|(i, (ranges, day))| view! {
                        <WeekDay weekday=i as u8 + 1 day ranges
                            new_key=Callback::new(move |_| new_key())
                            on_change=Callback::new(move |_| saved.set(false)) />
                    })
                    .collect_view()}
            </fieldset>

            <fieldset class="focus-blocks">
                <legend>"Focus blocks"</legend>
                <p class="muted small">
                    "No meetings, no pings: only Critical messages reach you in focus time."
                </p>
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
                                    <option value=n.to_string()
                                        selected=n == f.weekday.get_untracked()>{*name}</option>
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

/// One weekday: its ranges, "Add hours", and the day's problem (role=alert) as soon
/// as there is one.
#[component]
fn WeekDay(
    /// 1 = Monday … 7 = Sunday.
    weekday: u8,
    day: &'static str,
    ranges: RwSignal<Vec<RangeFields>>,
    new_key: Callback<(), u32>,
    /// A range was added or removed (typing is seen by the form itself).
    on_change: Callback<()>,
) -> impl IntoView {
    let problem = Memo::new(move |_| {
        let inputs: Vec<RangeInput> = ranges.with(|l| l.iter().map(RangeFields::input).collect());
        check_day(weekday, &inputs).err()
    });
    let invalid = move || problem.with(Option::is_some);
    let full = move || ranges.with(|l| l.len() >= MAX_RANGES_PER_DAY);
    let add = move |_| {
        let suggestion = ranges.with_untracked(|l| {
            suggested_range(
                &l.iter()
                    .map(RangeFields::input_untracked)
                    .collect::<Vec<_>>(),
            )
        });
        let row = RangeFields::new(new_key.run(()), suggestion);
        ranges.update(|l| l.push(row));
        on_change.run(());
    };
    // "Monday start" for the first range, "Monday start 2" for the next, and so on.
    let nth = move |key: u32| {
        ranges
            .with(|l| l.iter().position(|r| r.key == key))
            .unwrap_or(0)
            + 1
    };
    let name = move |what: &str, key: u32| match nth(key) {
        1 => format!("{day} {what}"),
        n => format!("{day} {what} {n}"),
    };
    view! {
        <div class="week-day" role="group" aria-label=day>
            <span class="week-day-name">{day}</span>
            <div class="week-ranges">
                <Show when=move || ranges.with(Vec::is_empty)>
                    <span class="muted small">"Day off"</span>
                </Show>
                <For each=move || ranges.get() key=|r| r.key let:r>
                    <div class="week-range">
                        <input type="time" aria-label=move || name("start", r.key)
                            aria-invalid=move || invalid().to_string()
                            aria-describedby=move || {
                                invalid().then(|| format!("week-day-error-{weekday}"))
                            }
                            prop:value=move || r.start.get()
                            on:input=move |ev| r.start.set(event_target_value(&ev)) />
                        <span aria-hidden="true">"–"</span>
                        <input type="time" aria-label=move || name("end", r.key)
                            aria-invalid=move || invalid().to_string()
                            prop:value=move || r.end.get()
                            on:input=move |ev| r.end.set(event_target_value(&ev)) />
                        <button type="button" class="button ghost small"
                            aria-label=move || match r.input().label() {
                                Some(span) => format!("Remove {span} on {day}"),
                                None => format!("Remove hours {} on {day}", nth(r.key)),
                            }
                            on:click=move |_| {
                                ranges.update(|l| l.retain(|x| x.key != r.key));
                                on_change.run(());
                            }>
                            "Remove"
                        </button>
                    </div>
                </For>
                <button type="button" class="button secondary small week-add"
                    aria-label=format!("Add hours on {day}") disabled=full on:click=add>
                    "Add hours"
                </button>
                {move || problem.get().map(|m| view! {
                    <p id=format!("week-day-error-{weekday}") class="field-error" role="alert">
                        {m}
                    </p>
                })}
            </div>
        </div>
    }
}
