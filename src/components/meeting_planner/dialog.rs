//! The meeting planner's dialog ("Schedule a meeting", from a channel): title, who
//! (channel members; me always), date, start and duration in MY time zone, everyone's
//! day on one timeline, live hints, and the server's word on focus conflicts
//! (409 → "Schedule anyway").

use std::collections::HashSet;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use tandem_protocol::api::User;
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meeting_plans::{DayPlan, PersonDay, ScheduleMeetingRequest};
use tandem_protocol::working_hours::Interval;
use tandem_protocol::{ErrorCode, UserId};

use super::hints::slot_hints;
use super::timeline::{layout, Layout};
use super::timeline_view::AvailabilityTimeline;
use crate::api::meeting_plans::MAX_DAY_PLAN_USERS;
use crate::api::Error;
use crate::components::dialog::Dialog;
use crate::components::working_hours::hours::{minutes_to_input, parse_time};
use crate::components::working_hours::my_time_zone;
use crate::components::working_hours::wall::{
    date_value, hour_ticks, parse_date, to_instant, MINUTE_MS,
};
use crate::components::working_hours::zone::{offset_ms, wall_in_zone};
use crate::contexts::availability::use_availability;
use crate::contexts::chat::use_chat;

pub const DURATIONS: [u32; 5] = [15, 30, 45, 60, 90];
pub const MAX_TITLE_CHARS: usize = 120;

/// The next half hour after `minutes` into the day, as (day offset, minute of day).
pub fn next_half_hour(minutes: u32) -> (u32, u32) {
    let next = (minutes / 30 + 1) * 30;
    if next >= 24 * 60 {
        (1, next - 24 * 60)
    } else {
        (0, next)
    }
}

/// The people of the plan in the order of `order`, with names.
fn rows<'a>(plan: &'a DayPlan, order: &[(UserId, String)]) -> Vec<(String, &'a PersonDay)> {
    order
        .iter()
        .filter_map(|(id, name)| {
            plan.people
                .iter()
                .find(|p| p.user_id == *id)
                .map(|p| (name.clone(), p))
        })
        .collect()
}

#[component]
pub fn PlanMeetingDialog(channel_id: ChannelId, on_close: Callback<()>) -> impl IntoView {
    let chat = use_chat();
    let rt = chat.rt;
    let me = chat.me;
    let availability = use_availability();
    let zone = Memo::new(move |_| my_time_zone(rt, availability));

    // Defaults: today (in my zone) at the next half hour.
    let (start_date, start_time) = {
        let z = zone.get_untracked();
        let now = availability.server_now();
        match wall_in_zone(&z, now) {
            Some(wall) => {
                let (days, minute) = next_half_hour(wall.hour * 60 + wall.minute);
                let day = if days == 1 { wall.next_day() } else { wall };
                (date_value(day), minutes_to_input(minute as u16))
            }
            None => (String::new(), "09:00".to_string()),
        }
    };
    let title = RwSignal::new(String::new());
    let date = RwSignal::new(start_date);
    let start = RwSignal::new(start_time);
    let duration = RwSignal::new(30u32);
    let selected = RwSignal::new(HashSet::from([me]));
    let error = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(false);

    let members = LocalResource::new(move || {
        let api = chat.api();
        async move {
            api.channel_members(channel_id)
                .await
                .map_err(|e| e.message())
        }
    });
    // Members in display order, me first.
    let people = Memo::new(move |_| {
        let mut list: Vec<User> = members.get().and_then(|r| r.ok()).unwrap_or_default();
        list.sort_by_key(|u| (u.id != me, u.display_name.to_lowercase()));
        list
    });
    // The selected people, in display order: the timeline's rows and the request.
    let chosen = Memo::new(move |_| {
        let picked = selected.get();
        let mut order: Vec<(UserId, String)> = people.with(|list| {
            list.iter()
                .filter(|u| picked.contains(&u.id))
                .map(|u| (u.id, u.display_name.clone()))
                .collect()
        });
        if !order.iter().any(|(id, _)| *id == me) {
            order.insert(0, (me, chat.name_of(me)));
        }
        order.truncate(MAX_DAY_PLAN_USERS);
        order
    });

    let plan = LocalResource::new(move || {
        let api = chat.api();
        let day = date.get();
        let z = zone.get();
        let users: Vec<UserId> = chosen.get().into_iter().map(|(id, _)| id).collect();
        async move {
            parse_date(&day)?;
            api.day_plan(&day, &z, &users).await.ok()
        }
    });
    let plan = Memo::new(move |_| plan.get().flatten());

    let slot = Memo::new(move |_| {
        let day = parse_date(&date.get())?;
        let minute = parse_time(&start.get())?;
        let z = zone.get();
        let local = day.at(u32::from(minute / 60), u32::from(minute % 60));
        let start_at = to_instant(local, |t| offset_ms(&z, t));
        Some(Interval {
            start: start_at,
            end: start_at + i64::from(duration.get()) * MINUTE_MS,
        })
    });

    let timeline = Signal::derive(move || -> Option<Layout> {
        let plan = plan.get()?;
        let order = chosen.get();
        let rows = rows(&plan, &order);
        let z = plan.time_zone.clone();
        let ticks = hour_ticks(plan.day, |t| offset_ms(&z, t));
        Some(layout(plan.day, &rows, &ticks, slot.get()))
    });
    let hints = Memo::new(move |_| {
        let (Some(plan), Some(slot)) = (plan.get(), slot.get()) else {
            return Vec::new();
        };
        slot_hints(slot, &rows(&plan, &chosen.get()))
    });

    let create = Action::new_local(move |allow: &bool| {
        let allow = *allow;
        let api = chat.api();
        let req = slot.get_untracked().map(|s| ScheduleMeetingRequest {
            channel_id,
            title: title.get_untracked().trim().to_string(),
            participant_ids: chosen
                .get_untracked()
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
            start_at: s.start,
            duration_minutes: duration.get_untracked(),
            allow_focus_conflict: allow,
        });
        async move {
            let Some(req) = req else { return };
            match api.plan_meeting(&req).await {
                Ok(_) => on_close.run(()),
                Err(e) => {
                    conflict.set(matches!(&e, Error::Api(a) if a.code == ErrorCode::Conflict));
                    error.set(Some(e.message()));
                }
            }
        }
    });

    let check = move || -> Result<(), String> {
        let t = title.get_untracked();
        let n = t.trim().chars().count();
        if n == 0 || n > MAX_TITLE_CHARS {
            return Err(format!(
                "The title needs 1 to {MAX_TITLE_CHARS} characters."
            ));
        }
        let Some(s) = slot.get_untracked() else {
            return Err("Pick a date and a start time.".into());
        };
        if s.start <= availability.server_now() {
            return Err("Pick a time in the future.".into());
        }
        Ok(())
    };
    let submit = move |allow: bool| {
        conflict.set(false);
        match check() {
            Ok(()) => {
                error.set(None);
                create.dispatch(allow);
            }
            Err(m) => error.set(Some(m)),
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submit(false);
    };

    view! {
        <Dialog title="Schedule a meeting" on_close class="schedule-dialog">
            <form class="schedule-form" on:submit=on_submit novalidate=true>
                <div class="field">
                    <label for="schedule-title">"Title"</label>
                    <input id="schedule-title" type="text" maxlength=MAX_TITLE_CHARS
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev)) />
                </div>
                <fieldset class="schedule-people">
                    <legend>"Who"</legend>
                    <Suspense fallback=|| view! { <p class="muted">"Loading members…"</p> }>
                        {move || members.get().map(|r| match r {
                            Err(m) => view! { <p class="alert" role="alert">{m}</p> }.into_any(),
                            Ok(_) => view! {
                                <For each=move || people.get() key=|u| u.id let:u>
                                    <label class="checkbox">
                                        <input type="checkbox"
                                            disabled=u.id == me
                                            prop:checked=move || {
                                                selected.with(|s| s.contains(&u.id))
                                            }
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                selected.update(|s| {
                                                    if on || u.id == me {
                                                        s.insert(u.id);
                                                    } else {
                                                        s.remove(&u.id);
                                                    }
                                                });
                                            } />
                                        <span>{u.display_name.clone()}</span>
                                    </label>
                                </For>
                            }.into_any(),
                        })}
                    </Suspense>
                </fieldset>
                <div class="schedule-when">
                    <div class="field">
                        <label for="schedule-date">"Date"</label>
                        <input id="schedule-date" type="date"
                            prop:value=move || date.get()
                            on:input=move |ev| date.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="schedule-start">"Start time"</label>
                        <input id="schedule-start" type="time" step="300"
                            prop:value=move || start.get()
                            on:input=move |ev| start.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="schedule-duration">"Duration"</label>
                        <select id="schedule-duration"
                            on:change=move |ev| {
                                if let Ok(m) = event_target_value(&ev).parse::<u32>() {
                                    duration.set(m);
                                }
                            }>
                            {DURATIONS.iter().map(|m| view! {
                                <option value=m.to_string() selected=*m == 30>
                                    {format!("{m} min")}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <p class="muted small">
                    {move || format!("Times are in your time zone ({}).", zone.get())}
                </p>
                <AvailabilityTimeline layout=timeline />
                <div class="slot-hints">
                    <For each=move || hints.get() key=|h| h.clone() let:hint>
                        <p class="hint" role="status">{hint}</p>
                    </For>
                </div>
                {move || error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="button secondary"
                        on:click=move |_| on_close.run(())>"Cancel"</button>
                    <Show when=move || conflict.get()>
                        <button type="button" class="button secondary"
                            disabled=move || create.pending().get()
                            on:click=move |_| submit(true)>"Schedule anyway"</button>
                    </Show>
                    <button type="submit" class="button primary"
                        disabled=move || create.pending().get()>
                        "Schedule"
                    </button>
                </div>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_defaults_to_the_next_half_hour() {
        assert_eq!(next_half_hour(9 * 60), (0, 9 * 60 + 30));
        assert_eq!(next_half_hour(9 * 60 + 29), (0, 9 * 60 + 30));
        assert_eq!(next_half_hour(9 * 60 + 30), (0, 10 * 60));
        assert_eq!(next_half_hour(23 * 60 + 45), (1, 0));
    }
}
