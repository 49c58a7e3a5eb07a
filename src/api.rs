//! The typed REST client. Its type records whether we are signed in: only an
//! [`AuthorizedApi`] offers the endpoints that need a session, and the only ways to get
//! one are signing up, logging in, or restoring the session cookie.
//! Endpoints are grouped by feature, each file with its own `impl AuthorizedApi`.

pub mod boards;
pub mod channels;
pub mod client;
pub mod decisions;
pub mod error;
pub mod health;
pub mod meeting_plans;
pub mod meetings;
pub mod messages;
pub mod people;
pub mod recording_upload;
pub mod recordings;
pub mod search;
pub mod send_later;
pub mod uploads;
pub mod urgency;
pub mod working_hours;

pub use client::{AuthorizedApi, UnauthorizedApi};
pub use error::Error;
