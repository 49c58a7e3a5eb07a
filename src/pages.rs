//! One component per route.

pub mod channel;
pub mod guest;
pub mod home;
pub mod join;
pub mod login;
pub mod meeting;
pub mod not_found;
pub mod people;
pub mod recording;
pub mod recordings;
pub mod scheduled;
pub mod search;
pub mod signup;
pub mod workspace;
