//! "Mon 09:00": when a held message will be delivered, in the sender's own zone
//! (the browser's `Intl` applies its rules, daylight saving included).

use tandem_protocol::Timestamp;
use wasm_bindgen::JsValue;

const SIX_DAYS_MS: i64 = 6 * 24 * 3_600_000;

/// The weekday and 24-hour time; a week or more away also gets the date
/// ("Mon 5 Jan, 09:00") so the weekday cannot be mistaken for this week's.
pub fn deliver_label(at: Timestamp, now: Timestamp) -> String {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("weekday", "short");
    set("hour", "2-digit");
    set("minute", "2-digit");
    set("hourCycle", "h23");
    if at - now >= SIX_DAYS_MS {
        set("day", "numeric");
        set("month", "short");
    }
    // en-GB for a fixed, compact shape ("Mon 09:00") whatever the browser's language.
    String::from(
        js_sys::Date::new(&JsValue::from_f64(at as f64)).to_locale_string("en-GB", &options),
    )
}
