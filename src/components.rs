//! Reusable UI, grouped by feature.

pub mod admin;
pub mod attachments;
pub mod chat;
pub mod dialog;
pub mod form;
pub mod meeting;
pub mod people;
pub mod recordings;
pub mod scheduled;
pub mod search;
pub mod shell;
