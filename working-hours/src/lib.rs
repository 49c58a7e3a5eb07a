//! Working hours, focus blocks, the response-SLA clock and communication-health
//! metrics, shared by the server (issue #7).
//!
//! Pure: no I/O and no clock reads; every function takes the instants it needs, so the
//! server passes its own `now` and tests can pin any moment, DST changes included.
//! Instants are `tandem_protocol::Timestamp` (ms since the epoch, UTC); working hours
//! are wall-clock minutes in their own IANA zone, turned into instants with jiff's
//! bundled tz database (see `zone.rs` for how gaps and folds are resolved).
//!
//! - [`WorkingWeek`]: someone's compiled `WorkSchedule` (`week.rs`): working / focus /
//!   available intervals, state at an instant, next available moment, the SLA clock.
//! - [`due_at`]: a response item's deadline for its urgency and owner.
//! - [`day_interval`]: a calendar day in a zone (23 or 25 h on DST change days).
//! - [`intervals`]: set arithmetic on `[start, end)` lists.
//! - [`metrics`]: the health dashboard's figures.

mod day;
pub mod intervals;
pub mod metrics;
mod sla;
mod state;
mod week;
mod zone;

pub use day::day_interval;
pub use sla::{due_at, SLA_HORIZON_MS};
pub use state::SEARCH_MS;
pub use week::WorkingWeek;
