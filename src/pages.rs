//! One component per route.

pub mod join;
pub mod login;
pub mod not_found;
pub mod signup;
pub mod workspace;
