//! Decision records: the proposal card under a message, "Make a proposal", and the
//! channel and workspace decision logs.

pub mod card;
pub mod item;
pub mod panel;
pub mod propose;
pub mod store;
pub mod tally;
