//! The realtime engine: one WebSocket per tab, resumable, with an offline outbox.
//!
//! This is a plain library with no Leptos or UI types in it. The pure parts
//! ([`backoff`], [`outbox`], [`connection`]) are sans-IO and unit-tested natively;
//! [`socket`], [`storage`] and [`client`] are the thin browser glue that feeds them.

pub mod backoff;
pub mod client;
pub mod connection;
pub mod outbox;
pub mod socket;
pub mod storage;

pub use client::{RealtimeClient, Update};
pub use connection::ConnectionState;
pub use outbox::PendingCommand;
