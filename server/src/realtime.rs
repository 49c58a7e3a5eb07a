//! The realtime side: the durable event log, live fan-out and the WebSocket.
//! `tandem_protocol::ws` documents the contract these modules keep.

pub mod audience;
pub mod cluster;
pub mod commands;
pub mod ephemeral;
pub mod hub;
pub mod limits;
pub mod log;
pub mod nodes;
pub mod open_rooms;
pub mod outbound;
pub mod presence;
pub mod registry;
pub mod remote;
pub mod sequencer;
pub mod socket;
pub mod subscribers;
pub mod target;
