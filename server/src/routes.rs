//! REST handlers, one module per area. Handlers hold no SQL: they call `db::*`.

pub mod auth;
pub mod health;
pub mod invites;
pub mod rtc;
pub mod users;
pub mod workspace;
pub mod ws;
