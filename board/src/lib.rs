//! Tandem's whiteboard model, shared by the app and the server and tested natively:
//! no browser or server types in here.
//!
//! - `state`: the board as last-write-wins registers per element field; any delivery
//!   order of the server's sequenced ops converges.

pub mod state;

pub use state::{BoardState, Change};
