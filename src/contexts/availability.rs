//! Who is working, in focus or outside working hours right now, and the server's clock.
//!
//! Loaded from `GET /api/availability` when the shell starts, then again every minute,
//! sooner when someone's state is due to change (`until`), right after my working hours
//! are saved (`refresh`), after a reconnect and when the tab comes back into view. The
//! server decides the states (it has the IANA rules); the app only shows them.
//!
//! `server_now` is the server's `now` plus the local time elapsed since it was read, so
//! countdowns and join buttons follow the server even when this machine's clock is off
//! (or the server runs the test clock).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use tandem_protocol::working_hours::{Availability, AvailabilityList};
use tandem_protocol::{Timestamp, UserId};

use crate::api::AuthorizedApi;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;
use crate::realtime::Update as RtUpdate;

/// The regular refresh.
pub const REFRESH_MS: i64 = 60_000;
/// Never poll faster than this, even when a state change is due sooner.
pub const MIN_REFRESH_MS: i64 = 1_000;

#[derive(Clone, Copy)]
pub struct AvailabilityContext {
    people: RwSignal<HashMap<UserId, Availability>>,
    /// Server clock minus local clock, in ms, from the last load.
    offset_ms: RwSignal<f64>,
    /// The first load has answered (the offset is the server's, not a guess of 0).
    synced: RwSignal<bool>,
    api: StoredValue<Option<AuthorizedApi>>,
    /// Loads started / the newest one applied: an older answer never overwrites a newer one.
    started: StoredValue<u64>,
    applied: StoredValue<u64>,
}

impl AvailabilityContext {
    /// Reactive: someone's state as of the last load (`None` before it, or for unknown people).
    pub fn of(&self, user: UserId) -> Option<Availability> {
        self.people.try_with(|p| p.get(&user).cloned()).flatten()
    }

    /// The server's clock now (reactive on the measured offset only; callers tick).
    pub fn server_now(&self) -> Timestamp {
        let offset = self.offset_ms.try_get().unwrap_or(0.0);
        (js_sys::Date::now() + offset) as Timestamp
    }

    /// Reactive: whether the server's clock is known yet. Pages that read
    /// `server_now` once (a report period) re-read it when this turns true.
    pub fn synced(&self) -> bool {
        self.synced.try_get().unwrap_or(false)
    }

    /// Loads again now (after my working hours changed).
    pub fn refresh(&self) {
        let ctx = *self;
        spawn_local(async move {
            ctx.load().await;
        });
    }

    /// One load; returns when the next regular one should happen.
    async fn load(&self) -> i64 {
        let Some(api) = self.api.try_get_value().flatten() else {
            return REFRESH_MS;
        };
        let Some(generation) = self.started.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return REFRESH_MS;
        };
        let sent_at = js_sys::Date::now();
        let result = api.availability().await;
        let received_at = js_sys::Date::now();
        if self.people.is_disposed() {
            return REFRESH_MS;
        }
        let Ok(list) = result else { return REFRESH_MS };
        let delay = next_refresh_ms(&list);
        let newest = self.applied.try_update_value(|applied| {
            let newer = generation > *applied;
            if newer {
                *applied = generation;
            }
            newer
        });
        if newest == Some(true) {
            self.offset_ms
                .set(clock_offset_ms(list.now, sent_at, received_at));
            self.people
                .set(list.people.into_iter().map(|a| (a.user_id, a)).collect());
            if !self.synced.get_untracked() {
                self.synced.set(true);
            }
        }
        delay
    }
}

/// Server minus local clock. The server read its clock somewhere during the round trip;
/// the midpoint is the best guess (error at most half the round trip).
pub fn clock_offset_ms(server_now: Timestamp, sent_at: f64, received_at: f64) -> f64 {
    let midpoint = sent_at + (received_at - sent_at).max(0.0) / 2.0;
    server_now as f64 - midpoint
}

/// How long until the next load: the regular minute, or just after the soonest state
/// change, whichever comes first (never busier than once a second).
pub fn next_refresh_ms(list: &AvailabilityList) -> i64 {
    let soonest = list
        .people
        .iter()
        .filter_map(|a| a.until)
        .filter(|until| *until > list.now)
        .min();
    match soonest {
        // A little after the change, so the server already sees the new state.
        Some(until) => (until - list.now + 500).clamp(MIN_REFRESH_MS, REFRESH_MS),
        None => REFRESH_MS,
    }
}

/// Call in the signed-in shell after the realtime context.
pub fn provide_availability_context() -> AvailabilityContext {
    let session = use_session();
    let ctx = AvailabilityContext {
        people: RwSignal::new(HashMap::new()),
        offset_ms: RwSignal::new(0.0),
        synced: RwSignal::new(false),
        api: StoredValue::new(session.authorized_untracked()),
        started: StoredValue::new(0),
        applied: StoredValue::new(0),
    };
    provide_context(ctx);

    // The regular loop; it ends when the shell goes away.
    spawn_local(async move {
        loop {
            let delay = ctx.load().await;
            gloo_timers::future::TimeoutFuture::new(delay.max(MIN_REFRESH_MS) as u32).await;
            if ctx.people.is_disposed() {
                break;
            }
        }
    });

    // After a reconnect (we may have slept) or when someone new arrives.
    let rt = use_realtime();
    let was_open = StoredValue::new(true);
    rt.subscribe(move |update| {
        if ctx.people.is_disposed() {
            return;
        }
        match update {
            RtUpdate::State(state) => {
                let open = state.is_open();
                let reopened = open && was_open.try_get_value() == Some(false);
                was_open.try_set_value(open);
                if reopened {
                    ctx.refresh();
                }
            }
            RtUpdate::Event(envelope)
                if matches!(
                    envelope.event,
                    tandem_protocol::ws::Event::UserJoined { .. }
                        | tandem_protocol::ws::Event::ProfileUpdated { .. }
                ) =>
            {
                ctx.refresh()
            }
            _ => {}
        }
    });

    // Back in view after a while: the states may have moved on.
    if let Some(chat) = use_context::<crate::contexts::chat::ChatContext>() {
        Effect::new(move |was_visible: Option<bool>| {
            let visible = chat.tab_visible.get();
            if visible && was_visible == Some(false) {
                ctx.refresh();
            }
            visible
        });
    }
    ctx
}

pub fn use_availability() -> AvailabilityContext {
    expect_context::<AvailabilityContext>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::working_hours::AvailabilityState;
    use uuid::Uuid;

    fn person(n: u128, until: Option<Timestamp>) -> Availability {
        Availability {
            user_id: Uuid::from_u128(n),
            time_zone: "UTC".into(),
            state: AvailabilityState::Working,
            until,
            next_available_at: None,
        }
    }

    #[test]
    fn availability_offset_uses_the_round_trip_midpoint() {
        // Sent at 1000, answered at 1200 (local); the server said 5100.
        assert_eq!(clock_offset_ms(5_100, 1_000.0, 1_200.0), 4_000.0);
        // A clock that went backwards mid-request never makes the midpoint odd.
        assert_eq!(clock_offset_ms(1_000, 1_000.0, 900.0), 0.0);
        assert_eq!(clock_offset_ms(0, 1_000.0, 1_000.0), -1_000.0);
    }

    #[test]
    fn availability_refreshes_soon_after_the_next_change() {
        let now = 1_000_000;
        let list = |people| AvailabilityList { now, people };
        assert_eq!(next_refresh_ms(&list(vec![])), REFRESH_MS);
        assert_eq!(next_refresh_ms(&list(vec![person(1, None)])), REFRESH_MS);
        assert_eq!(
            next_refresh_ms(&list(vec![
                person(1, Some(now + 90_000)),
                person(2, Some(now + 20_000))
            ])),
            20_500
        );
        // Due now or already past (a stale `until`): the floor, not a busy loop.
        assert_eq!(
            next_refresh_ms(&list(vec![person(1, Some(now + 1))])),
            MIN_REFRESH_MS
        );
        assert_eq!(
            next_refresh_ms(&list(vec![person(1, Some(now - 5))])),
            REFRESH_MS
        );
        assert_eq!(
            next_refresh_ms(&list(vec![person(1, Some(now + 3_600_000))])),
            REFRESH_MS
        );
    }
}
