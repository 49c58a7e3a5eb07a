//! Due dates in the viewer's zone: the note form's `<input type="date">` and the
//! card's "Fri 6 Mar". A due date means the end of that local day.

use tandem_protocol::Timestamp;
use wasm_bindgen::JsValue;

use crate::components::send_later::clock::{from_local, to_local};
use crate::components::send_later::time::LocalDateTime;

/// "YYYY-MM-DD" → 23:59 that day, local time.
pub fn from_date_input(value: &str) -> Option<Timestamp> {
    LocalDateTime::parse_input(&format!("{}T23:59", value.trim())).map(from_local)
}

pub fn to_date_input(at: Timestamp) -> String {
    let local = to_local(at);
    format!("{:04}-{:02}-{:02}", local.year, local.month, local.day)
}

/// "Fri, 6 Mar" in the reader's locale.
pub fn date_label(at: Timestamp) -> String {
    let options = js_sys::Object::new();
    for (k, v) in [("weekday", "short"), ("day", "numeric"), ("month", "short")] {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    }
    String::from(
        js_sys::Date::new(&JsValue::from_f64(at as f64)).to_locale_date_string("default", &options),
    )
}
