//! Desktop notifications. Permission is only ever requested from a click on
//! "Enable desktop notifications", never on page load. While I am in focus time,
//! non-critical message notifications are held for one digest (`digest`).

pub mod digest;

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

fn supported() -> bool {
    web_sys::window()
        .map(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false))
        .unwrap_or(false)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Unsupported,
    Default,
    Granted,
    Denied,
}

pub fn permission() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Denied => Permission::Denied,
        _ => Permission::Default,
    }
}

/// Asks the browser; call only from a user gesture.
pub async fn request() -> Permission {
    if !supported() {
        return Permission::Unsupported;
    }
    if let Ok(promise) = Notification::request_permission() {
        let _ = JsFuture::from(promise).await;
    }
    permission()
}

thread_local! {
    // One tab, one focus state; set from my availability by the shell.
    static FOCUS: RefCell<digest::FocusDigest> = RefCell::new(digest::FocusDigest::default());
}

/// A chat message that would notify me. In focus, non-critical ones are only counted
/// (in view or not: the digest tells what arrived); otherwise they show while the tab
/// is hidden, as before.
pub fn message(title: &str, body: &str, tag: &str, critical: bool, tab_hidden: bool) {
    let delivery = FOCUS.with(|f| f.borrow_mut().offer(critical));
    if delivery == digest::Delivery::Now && tab_hidden {
        show(title, body, tag);
    }
}

/// My focus state as last known; leaving focus returns how many messages were held.
pub fn set_in_focus(in_focus: bool) -> Option<u32> {
    FOCUS.with(|f| f.borrow_mut().set_in_focus(in_focus))
}

/// Shows a notification if allowed. `tag` collapses repeats from one channel.
pub fn show(title: &str, body: &str, tag: &str) {
    if permission() != Permission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    let snippet: String = body.chars().take(140).collect();
    options.set_body(&snippet);
    options.set_tag(tag);
    if let Ok(n) = Notification::new_with_options(title, &options) {
        let on_click = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.focus();
            }
        });
        n.set_onclick(Some(on_click.as_ref().unchecked_ref()));
        on_click.forget(); // one small closure per notification shown
    }
}
