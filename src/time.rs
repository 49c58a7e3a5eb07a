//! Clock and time-zone helpers backed by the browser's `Intl` (no time-zone tables in
//! the wasm).

use js_sys::{Array, Date, Object, Reflect};
use tandem_protocol::Timestamp;
use wasm_bindgen::JsValue;

/// The browser's IANA time zone ("Europe/Lisbon"), if it reports one.
pub fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    let options = format.resolved_options();
    Reflect::get(&options, &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|tz| !tz.is_empty())
}

fn locale() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en".to_string())
}

fn options(pairs: &[(&str, &str)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o.into()
}

/// "14:05" (or "2:05 PM", as the reader's locale has it) in the reader's zone.
pub fn short_time(at: Timestamp) -> String {
    let date = Date::new(&JsValue::from_f64(at as f64));
    date.to_locale_time_string_with_options(
        &locale(),
        &options(&[("hour", "numeric"), ("minute", "2-digit")]),
    )
    .into()
}

/// Full date and time, for `title` tooltips and `datetime`-style labels.
pub fn full_time(at: Timestamp) -> String {
    let date = Date::new(&JsValue::from_f64(at as f64));
    date.to_locale_string(
        &locale(),
        &options(&[("dateStyle", "medium"), ("timeStyle", "short")]),
    )
    .into()
}

/// The current time in another person's zone; falls back to UTC for unknown zones.
pub fn local_time_in(time_zone: &str) -> String {
    let date = Date::new_0();
    let opts = options(&[
        ("hour", "numeric"),
        ("minute", "2-digit"),
        ("timeZone", time_zone),
    ]);
    if is_known_zone(time_zone) {
        date.to_locale_time_string_with_options(&locale(), &opts)
            .into()
    } else {
        date.to_locale_time_string_with_options(
            &locale(),
            &options(&[
                ("hour", "numeric"),
                ("minute", "2-digit"),
                ("timeZone", "UTC"),
            ]),
        )
        .into()
    }
}

fn is_known_zone(time_zone: &str) -> bool {
    // `supportedValuesOf` is not everywhere; a cheap syntactic check keeps Intl from
    // throwing on garbage, and the server only stores zones it knows.
    !time_zone.is_empty()
        && time_zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
}
