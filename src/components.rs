//! Reusable UI, grouped by feature.

pub mod admin;
pub mod attachments;
pub mod boards;
pub mod chat;
pub mod decisions;
pub mod dialog;
pub mod form;
pub mod health;
pub mod inbox;
pub mod meeting;
pub mod people;
pub mod recordings;
pub mod schedule;
pub mod scheduled;
pub mod search;
pub mod shell;
pub mod summary;
pub mod urgency;
pub mod whiteboard;
