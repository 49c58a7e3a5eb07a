//! The board model end to end, in plain Rust: convergence in any delivery order,
//! snapshots, pages, per-user undo and the client's optimistic replica. A small
//! in-memory "server" (`fixtures::Server`) orders ops the way the real one does.

mod convergence;
mod fixtures;
mod local;
mod pages;
mod undo;
