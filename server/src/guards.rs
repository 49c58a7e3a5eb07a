//! Browser-facing guards around every request: the cross-site check for state-changing
//! requests, and the security headers the app itself is served with.

pub mod app_headers;
pub mod origin;
