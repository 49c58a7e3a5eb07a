//! Copying a link to the system clipboard, waiting for the browser's answer so the
//! UI says "Copied" only when it really was.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// `navigator.clipboard.writeText(text)`, reached through Reflect (the web-sys
/// Clipboard feature is not enabled). `false` when the API is missing (plain-HTTP
/// pages) or the browser refused.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(clipboard) = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()) else {
        return false;
    };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let Some(write) = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &text.into()) else {
        return false;
    };
    match promise.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}
