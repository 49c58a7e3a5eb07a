//! The async-first bridge (issue #7): urgency and response targets, who owes a
//! response and when it is given (`responses`), the deadline task that offers a
//! Critical item's author a call (`deadlines`), escalating a thread to a call and the
//! call's summary card coming back into it (`escalation`, `summary`, `notes`),
//! time in meetings (`attendance`) and working hours (`availability`).
//!
//! Time always comes from `AppState::now`, so tests (and, with the `test-clock`
//! feature, the browser suite) can move it instead of waiting.

pub mod attendance;
pub mod availability;
pub mod deadlines;
pub mod decisions;
pub mod escalation;
pub mod health;
pub mod meeting_planner;
pub mod notes;
pub mod responses;
pub mod summary;
#[cfg(feature = "test-clock")]
pub mod test_clock;

use tokio::sync::{Mutex, Notify};

use crate::state::{AppState, Clock};

/// The bridge's share of the server state.
#[derive(Default)]
pub struct Bridge {
    /// Wakes the deadline task early (the clock moved, or a deadline changed).
    pub deadlines: Notify,
    /// One escalation at a time, so two people escalating the same thread at once
    /// get the same call.
    pub escalations: Mutex<()>,
    /// How far the test clock was moved (the `test-clock` feature only).
    #[cfg(feature = "test-clock")]
    pub clock_offset: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Bridge {
    /// The clock the server runs on: `clock` itself, or with the `test-clock` feature
    /// `clock` plus the offset `POST /api/test/clock` moves.
    pub fn wrap_clock(&self, clock: Clock) -> Clock {
        #[cfg(feature = "test-clock")]
        return test_clock::wrap(clock, self.clock_offset.clone());
        #[cfg(not(feature = "test-clock"))]
        clock
    }
}

/// Wakes the tasks that sleep until a moment on the server clock (send-later
/// messages, deadlines), e.g. after the test clock moved.
pub fn wake_timers(state: &AppState) {
    state.send_later_task.notify_one();
    state.bridge.deadlines.notify_one();
}

/// At start-up: nobody is in a room any more, so open meeting stays are closed.
pub async fn recover(state: &AppState) -> anyhow::Result<()> {
    crate::db::attendance::close_all_open(&state.db, state.now()).await?;
    Ok(())
}
