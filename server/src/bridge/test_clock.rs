//! The controllable clock for tests and the browser suite (cargo feature `test-clock`,
//! never in a normal build): the server's clock plus an offset that
//! `POST /api/test/clock` moves forward. Moving it wakes the tasks that sleep until a
//! moment on the server clock, so a deadline "in four hours" passes at once.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use crate::state::{AppState, Clock};

pub fn wrap(clock: Clock, offset: Arc<AtomicI64>) -> Clock {
    Arc::new(move || clock().saturating_add(offset.load(Ordering::SeqCst)))
}

/// Moves the clock forward by `ms` (never backwards: time going back would undo
/// deadlines and send-later messages already acted on). Returns the new "now".
pub fn advance(state: &AppState, ms: i64) -> i64 {
    state
        .bridge
        .clock_offset
        .fetch_add(ms.max(0), Ordering::SeqCst);
    super::wake_timers(state);
    state.now()
}
