//! The typed REST client. Its type records whether we are signed in: only an
//! [`AuthorizedApi`] offers the endpoints that need a session, and the only ways to get
//! one are signing up, logging in, or restoring the session cookie.

pub mod client;
pub mod error;

pub use client::{AuthorizedApi, UnauthorizedApi};
pub use error::Error;
