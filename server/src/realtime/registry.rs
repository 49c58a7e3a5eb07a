//! Open sockets by session, so ending a session can close its sockets, and by user,
//! so one user cannot hold more than `--max-sockets-per-user` open.
//!
//! Past the cap the user's *oldest* socket is closed (code 4429), not the new one
//! refused: the new socket is the tab the person is looking at, the oldest is most
//! likely a forgotten tab, and a client that leaks sockets keeps working while its
//! leaked ones are cleaned up. The closed tab does not reconnect by itself, so two
//! tabs never take turns closing each other.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use tandem_protocol::ws::CLOSE_TOO_MANY_SOCKETS;
use tokio::sync::Notify;
use uuid::Uuid;

/// Tells one connection to close with a code.
#[derive(Default)]
pub struct CloseSignal {
    notify: Notify,
    code: AtomicU16,
}

impl CloseSignal {
    pub fn close(&self, code: u16) {
        self.code.store(code, Ordering::SeqCst);
        self.notify.notify_one();
    }

    /// Resolves (with the close code) once `close` was called, even if before.
    pub async fn closed(&self) -> u16 {
        self.notify.notified().await;
        self.code.load(Ordering::SeqCst)
    }
}

#[derive(Default)]
struct Entries {
    sessions: HashMap<Uuid, HashMap<Uuid, Arc<CloseSignal>>>,
    /// Each user's sockets still counted against the cap, oldest first.
    users: HashMap<Uuid, VecDeque<(Uuid, Arc<CloseSignal>)>>,
}

#[derive(Default, Clone)]
pub struct Registry {
    entries: Arc<Mutex<Entries>>,
}

/// Removes the connection from the registry when dropped.
pub struct Registration {
    registry: Registry,
    session_id: Uuid,
    user_id: Uuid,
    connection_id: Uuid,
    pub signal: Arc<CloseSignal>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a new socket; if the user now has more than `max_per_user`, their
    /// oldest ones are told to close with `CLOSE_TOO_MANY_SOCKETS`.
    pub fn register(
        &self,
        session_id: Uuid,
        user_id: Uuid,
        connection_id: Uuid,
        max_per_user: usize,
    ) -> Registration {
        let signal = Arc::new(CloseSignal::default());
        let mut entries = self.lock();
        entries
            .sessions
            .entry(session_id)
            .or_default()
            .insert(connection_id, signal.clone());
        let mine = entries.users.entry(user_id).or_default();
        mine.push_back((connection_id, signal.clone()));
        // Displaced sockets stop counting at once, so a burst of new ones closes only
        // as many old ones as it must.
        while mine.len() > max_per_user.max(1) {
            if let Some((_, oldest)) = mine.pop_front() {
                oldest.close(CLOSE_TOO_MANY_SOCKETS);
            }
        }
        drop(entries);
        Registration {
            registry: self.clone(),
            session_id,
            user_id,
            connection_id,
            signal,
        }
    }

    /// Closes every socket of the session with `code`.
    pub fn close_session(&self, session_id: Uuid, code: u16) {
        if let Some(connections) = self.lock().sessions.get(&session_id) {
            for signal in connections.values() {
                signal.close(code);
            }
        }
    }

    /// Closes one socket, if it is open here.
    pub fn close_connection(&self, connection_id: Uuid, code: u16) {
        for connections in self.lock().sessions.values() {
            if let Some(signal) = connections.get(&connection_id) {
                signal.close(code);
            }
        }
    }

    /// Closes every socket (server shutdown).
    pub fn close_all(&self, code: u16) {
        for connections in self.lock().sessions.values() {
            for signal in connections.values() {
                signal.close(code);
            }
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut entries = self.registry.lock();
        if let Some(connections) = entries.sessions.get_mut(&self.session_id) {
            connections.remove(&self.connection_id);
            if connections.is_empty() {
                entries.sessions.remove(&self.session_id);
            }
        }
        if let Some(mine) = entries.users.get_mut(&self.user_id) {
            mine.retain(|(id, _)| *id != self.connection_id);
            if mine.is_empty() {
                entries.users.remove(&self.user_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed_with(signal: &CloseSignal) -> Option<u16> {
        use futures::FutureExt;
        signal.closed().now_or_never()
    }

    #[test]
    fn the_oldest_socket_past_the_cap_is_closed_once() {
        let registry = Registry::default();
        let (user, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let a = registry.register(Uuid::from_u128(10), user, Uuid::from_u128(100), 2);
        let b = registry.register(Uuid::from_u128(11), user, Uuid::from_u128(101), 2);
        let theirs = registry.register(Uuid::from_u128(12), other, Uuid::from_u128(102), 2);
        let c = registry.register(Uuid::from_u128(10), user, Uuid::from_u128(103), 2);
        assert_eq!(closed_with(&a.signal), Some(CLOSE_TOO_MANY_SOCKETS));
        assert_eq!(closed_with(&b.signal), None);
        assert_eq!(closed_with(&theirs.signal), None);
        // The displaced socket leaving does not free a place twice.
        drop(a);
        let d = registry.register(Uuid::from_u128(11), user, Uuid::from_u128(104), 2);
        assert_eq!(closed_with(&b.signal), Some(CLOSE_TOO_MANY_SOCKETS));
        assert_eq!(closed_with(&c.signal), None);
        assert_eq!(closed_with(&d.signal), None);
        // A socket that closes by itself frees its place.
        drop(c);
        let _e = registry.register(Uuid::from_u128(11), user, Uuid::from_u128(105), 2);
        assert_eq!(closed_with(&d.signal), None);
    }
}
