//! Working hours, time zones and availability: the working-hours form, someone's
//! availability beside their name, and wall-clock time in a named zone (also used by
//! the meeting planner and the health page). Time-zone arithmetic for display goes
//! through the browser's `Intl` (`zone.rs`); the pure parts (`hours`, `day_ranges`,
//! `wall`) are tested natively.

pub mod availability_text;
pub mod day_ranges;
pub mod hours;
pub mod wall;
pub mod week_form;
pub mod zone;

use leptos::prelude::*;

use crate::contexts::availability::AvailabilityContext;
use crate::contexts::realtime::RealtimeContext;

/// My time zone: the server's word (availability, refreshed after I save my hours),
/// else my profile's, else the browser's.
pub fn my_time_zone(rt: RealtimeContext, availability: AvailabilityContext) -> String {
    availability
        .of(rt.me)
        .map(|a| a.time_zone)
        .or_else(|| {
            rt.people.with(|p| {
                p.iter()
                    .find(|u| u.id == rt.me)
                    .map(|u| u.time_zone.clone())
            })
        })
        .filter(|z| !z.is_empty())
        .or_else(crate::time::browser_time_zone)
        .unwrap_or_else(|| "UTC".to_string())
}
