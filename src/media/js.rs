//! Small JS helpers for the glue modules (Reflect look-ups, error text, deferred drops).

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::error::{Capture, MediaError};

pub fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(obj, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

pub fn get_f64(obj: &JsValue, key: &str) -> Option<f64> {
    get(obj, key).and_then(|v| v.as_f64())
}

pub fn get_u64(obj: &JsValue, key: &str) -> Option<u64> {
    get_f64(obj, key).map(|v| v.max(0.0) as u64)
}

pub fn get_string(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).and_then(|v| v.as_string())
}

pub fn get_bool(obj: &JsValue, key: &str) -> Option<bool> {
    get(obj, key).and_then(|v| v.as_bool())
}

pub fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// Whether `obj[name]` is a function (feature detection).
pub fn has_method(obj: &JsValue, name: &str) -> bool {
    get(obj, name).is_some_and(|f| f.is_function())
}

/// `obj[name](...args)`, catching exceptions. `Err` also when the method is missing.
pub fn call(obj: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(obj, name)
        .filter(|f| f.is_function())
        .ok_or_else(|| JsValue::from_str(&format!("{name} is not supported")))?
        .unchecked_into();
    let arr: js_sys::Array = args.iter().collect();
    f.apply(obj, &arr)
}

/// Human text from a thrown value (`DOMException`, `Error`, string…).
pub fn error_text(err: &JsValue) -> String {
    if let Some(s) = err.as_string() {
        return s;
    }
    let name = get_string(err, "name").unwrap_or_default();
    let message = get_string(err, "message").unwrap_or_default();
    match (name.is_empty(), message.is_empty()) {
        (true, true) => format!("{err:?}"),
        (false, true) => name,
        (true, false) => message,
        (false, false) => format!("{name}: {message}"),
    }
}

/// Maps a getUserMedia/getDisplayMedia rejection.
pub fn media_error(err: &JsValue, capture: Capture) -> MediaError {
    let name = get_string(err, "name").unwrap_or_default();
    let message = get_string(err, "message").unwrap_or_else(|| error_text(err));
    let constraint = get_string(err, "constraint");
    MediaError::from_dom(&name, &message, capture, constraint.as_deref())
}

pub fn webrtc_error(context: &str, err: &JsValue) -> MediaError {
    MediaError::WebRtc(format!("{context}: {}", error_text(err)))
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Drops `value` on a later microtask. For closures that may be running right now
/// (an app callback closing the engine from inside a browser event handler).
pub fn defer_drop<T: 'static>(value: T) {
    wasm_bindgen_futures::spawn_local(async move {
        drop(value);
    });
}
