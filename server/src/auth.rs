//! Passwords, sessions and who-is-asking.

pub mod extract;
pub mod password;
pub mod rate_limit;
pub mod session;
