//! Passwords, sessions and who-is-asking.

pub mod client_addr;
pub mod device;
pub mod extract;
pub mod password;
pub mod rate_limit;
pub mod session;
pub mod setup_code;
