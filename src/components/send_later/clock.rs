//! The thin browser glue for send later (and other date pickers): the clock, the viewer's
//! time zone (through `Date`) and locale formatting. The arithmetic is in `time.rs`.

use tandem_protocol::Timestamp;
use wasm_bindgen::JsValue;

use super::time::LocalDateTime;

pub fn now_ms() -> Timestamp {
    js_sys::Date::now() as Timestamp
}

pub fn to_local(ms: Timestamp) -> LocalDateTime {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    LocalDateTime {
        year: d.get_full_year() as i32,
        month: d.get_month() + 1,
        day: d.get_date(),
        hour: d.get_hours(),
        minute: d.get_minutes(),
    }
}

/// `Date` applies the zone's rules, DST included; a wall time skipped by a DST jump
/// comes out shifted, as the browser's own pickers do.
pub fn from_local(local: LocalDateTime) -> Timestamp {
    js_sys::Date::new_with_year_month_day_hr_min(
        local.year.max(0) as u32,
        local.month as i32 - 1,
        local.day as i32,
        local.hour as i32,
        local.minute as i32,
    )
    .get_time() as Timestamp
}

/// "Tue, 4 Mar 2025, 09:00" in the viewer's locale and zone.
pub fn format_when(ms: Timestamp) -> String {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    };
    set("weekday", "short");
    set("day", "numeric");
    set("month", "short");
    set("year", "numeric");
    set("hour", "2-digit");
    set("minute", "2-digit");
    String::from(
        js_sys::Date::new(&JsValue::from_f64(ms as f64)).to_locale_string("default", &options),
    )
}
