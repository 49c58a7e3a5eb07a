//! One component per route.

pub mod board;
pub mod board_link;
pub mod channel;
pub mod decisions;
pub mod guest;
pub mod health;
pub mod home;
pub mod inbox;
pub mod join;
pub mod login;
pub mod meeting;
pub mod not_found;
pub mod people;
pub mod profile;
pub mod recording;
pub mod recordings;
pub mod search;
pub mod send_later;
pub mod signup;
pub mod working_hours;
pub mod workspace;
