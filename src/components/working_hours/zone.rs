//! The browser's IANA rules through `Intl`: the zone list for the picker, a zone's UTC
//! offset at an instant, and times formatted in a named zone. Every `Intl` call that
//! can throw on a bad zone name goes through `Reflect` so it returns an error instead.

use js_sys::{Array, Date, Function, Object, Reflect};
use tandem_protocol::Timestamp;
use wasm_bindgen::{JsCast, JsValue};

use super::wall::{naive_ms, MINUTE_MS};
use crate::components::send_later::time::LocalDateTime;

fn intl() -> Option<Object> {
    Reflect::get(&js_sys::global(), &"Intl".into())
        .ok()
        .and_then(|v| v.dyn_into::<Object>().ok())
}

/// Every zone `Intl.supportedValuesOf('timeZone')` lists, with `current` kept in the
/// list (older browsers: just `current` and UTC).
pub fn all_time_zones(current: &str) -> Vec<String> {
    let listed: Vec<String> = intl()
        .and_then(|intl| {
            let f = Reflect::get(&intl, &"supportedValuesOf".into()).ok()?;
            let f = f.dyn_into::<Function>().ok()?;
            let list = f.call1(&intl, &"timeZone".into()).ok()?;
            Some(
                Array::from(&list)
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect(),
            )
        })
        .unwrap_or_default();
    let mut zones = listed;
    for zone in [current, "UTC"] {
        if !zone.is_empty() && !zones.iter().any(|z| z == zone) {
            zones.push(zone.to_string());
        }
    }
    zones.sort();
    zones
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// `new Intl.DateTimeFormat(locale, options)`, or `None` when the zone is unknown.
fn formatter(locale: &str, pairs: &[(&str, &str)]) -> Option<js_sys::Intl::DateTimeFormat> {
    let intl: JsValue = intl()?.into();
    let ctor = Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let args = Array::of2(&JsValue::from_str(locale), &options(pairs));
    // Built by that very constructor, so the cast holds.
    Some(Reflect::construct(&ctor, &args).ok()?.unchecked_into())
}

/// The wall time at `at` in `zone`, read from `formatToParts` (English digits, 24 h).
pub fn wall_in_zone(zone: &str, at: Timestamp) -> Option<LocalDateTime> {
    let f = formatter(
        "en-US",
        &[
            ("timeZone", zone),
            ("hourCycle", "h23"),
            ("year", "numeric"),
            ("month", "numeric"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "numeric"),
        ],
    )?;
    let parts = f.format_to_parts(&Date::new(&JsValue::from_f64(at as f64)));
    let mut local = LocalDateTime {
        year: 1970,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
    };
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        let number = || value.trim().parse::<u32>().ok();
        match kind.as_str() {
            "year" => local.year = value.trim().parse().ok()?,
            "month" => local.month = number()?,
            "day" => local.day = number()?,
            // Some engines say "24" for midnight even with h23.
            "hour" => local.hour = number()? % 24,
            "minute" => local.minute = number()?,
            _ => {}
        }
    }
    Some(local)
}

/// The zone's offset from UTC at `at`, to the minute (0 for an unknown zone).
pub fn offset_ms(zone: &str, at: Timestamp) -> i64 {
    let at = at - at.rem_euclid(MINUTE_MS);
    wall_in_zone(zone, at)
        .map(|w| naive_ms(w) - at)
        .unwrap_or(0)
}

/// "Tue 4 Mar, 14:05" at `at` in `zone`.
pub fn when_in_zone(zone: &str, at: Timestamp) -> String {
    format_in_zone(
        zone,
        at,
        &[
            ("weekday", "short"),
            ("day", "numeric"),
            ("month", "short"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
        ],
    )
}

fn format_in_zone(zone: &str, at: Timestamp, pairs: &[(&str, &str)]) -> String {
    let locale = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en".to_string());
    let mut with_zone = pairs.to_vec();
    with_zone.push(("timeZone", zone));
    let date = Date::new(&JsValue::from_f64(at as f64));
    match formatter(&locale, &with_zone).or_else(|| formatter(&locale, pairs)) {
        Some(f) => {
            let format = Reflect::get(&f, &"format".into())
                .ok()
                .and_then(|v| v.dyn_into::<Function>().ok());
            format
                .and_then(|format| format.call1(&f, &date).ok())
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        }
        None => String::new(),
    }
}
