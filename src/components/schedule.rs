//! Working hours, availability and meeting scheduling: the working-hours form, the
//! "Schedule a meeting" dialog with its availability timeline, and the sidebar's
//! upcoming meetings (the organiser can cancel one). Time-zone arithmetic for display
//! goes through the browser's `Intl` (`zone.rs`); the pure parts (`hours`,
//! `day_ranges`, `wall`, `timeline`, `hints`, `join`) are tested natively.

pub mod availability_text;
pub mod cancel_meeting;
pub mod day_ranges;
pub mod dialog;
pub mod hints;
pub mod hours;
pub mod join;
pub mod timeline;
pub mod timeline_view;
pub mod upcoming;
pub mod wall;
pub mod week_form;
pub mod zone;

use leptos::prelude::*;

use crate::contexts::availability::AvailabilityContext;
use crate::contexts::realtime::RealtimeContext;

/// My time zone: the server's word (availability, refreshed after I save my schedule),
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
