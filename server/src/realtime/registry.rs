//! Open sockets by session, so ending a session can close its sockets.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

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

type Entries = HashMap<Uuid, HashMap<Uuid, Arc<CloseSignal>>>;

#[derive(Default, Clone)]
pub struct Registry {
    sessions: Arc<Mutex<Entries>>,
}

/// Removes the connection from the registry when dropped.
pub struct Registration {
    registry: Registry,
    session_id: Uuid,
    connection_id: Uuid,
    pub signal: Arc<CloseSignal>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn register(&self, session_id: Uuid, connection_id: Uuid) -> Registration {
        let signal = Arc::new(CloseSignal::default());
        self.lock()
            .entry(session_id)
            .or_default()
            .insert(connection_id, signal.clone());
        Registration {
            registry: self.clone(),
            session_id,
            connection_id,
            signal,
        }
    }

    /// Closes every socket of the session with `code`.
    pub fn close_session(&self, session_id: Uuid, code: u16) {
        if let Some(connections) = self.lock().get(&session_id) {
            for signal in connections.values() {
                signal.close(code);
            }
        }
    }

    /// Closes every socket (server shutdown).
    pub fn close_all(&self, code: u16) {
        for connections in self.lock().values() {
            for signal in connections.values() {
                signal.close(code);
            }
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut sessions = self.registry.lock();
        if let Some(connections) = sessions.get_mut(&self.session_id) {
            connections.remove(&self.connection_id);
            if connections.is_empty() {
                sessions.remove(&self.session_id);
            }
        }
    }
}
