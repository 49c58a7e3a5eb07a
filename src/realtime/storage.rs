//! The outbox's home in `localStorage`, one key per user, so a reload (or a crash)
//! does not lose a command the server never acknowledged.

use uuid::Uuid;

use super::outbox::PendingCommand;

fn key(user_id: Uuid) -> String {
    format!("tandem.outbox.v1.{user_id}")
}

fn local_storage() -> Option<web_sys::Storage> {
    // Private modes and disabled storage give `None`/errors; the outbox then lives in
    // memory only, which is still correct for the lifetime of the tab.
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load_outbox(user_id: Uuid) -> Vec<PendingCommand> {
    local_storage()
        .and_then(|s| s.get_item(&key(user_id)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

pub fn save_outbox(user_id: Uuid, items: &[PendingCommand]) {
    let Some(storage) = local_storage() else {
        return;
    };
    if items.is_empty() {
        let _ = storage.remove_item(&key(user_id));
    } else if let Ok(json) = serde_json::to_string(items) {
        let _ = storage.set_item(&key(user_id), &json);
    }
}
