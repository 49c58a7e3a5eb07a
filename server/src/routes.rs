//! REST handlers, one module per area. Handlers hold no SQL: they call `db::*`.

pub mod auth;
pub mod channels;
pub mod direct;
pub mod guests;
pub mod health;
pub mod invites;
pub mod meetings;
pub mod messages;
pub mod presence;
pub mod recordings;
pub mod rtc;
pub mod scheduled;
pub mod search;
pub mod uploads;
pub mod users;
pub mod workspace;
pub mod ws;
