//! Recordings already fetched, by id, so a channel's cards do not refetch every time
//! a message row remounts (scrolling, switching channels). Renames and deletions made
//! here update it, so the cards never show stale titles from this tab.

use std::cell::RefCell;
use std::collections::HashMap;

use tandem_protocol::recordings::{Recording, RecordingId};

#[derive(Debug, Clone, PartialEq)]
pub enum Cached {
    // Boxed, so that a `Deleted` entry does not take a whole recording's room in the map.
    Found(Box<Recording>),
    Deleted,
}

thread_local! {
    // The app is single-threaded wasm; a thread-local is the whole tab.
    static CACHE: RefCell<HashMap<RecordingId, Cached>> = RefCell::new(HashMap::new());
}

pub fn get(id: RecordingId) -> Option<Cached> {
    CACHE.with(|c| c.borrow().get(&id).cloned())
}

pub fn remember(recording: &Recording) {
    CACHE.with(|c| {
        c.borrow_mut()
            .insert(recording.id, Cached::Found(Box::new(recording.clone())))
    });
}

pub fn forget_deleted(id: RecordingId) {
    CACHE.with(|c| c.borrow_mut().insert(id, Cached::Deleted));
}
