//! Reusable UI, grouped by feature.

pub mod admin;
pub mod attachments;
pub mod boards;
pub mod chat;
pub mod decisions;
pub mod dialog;
pub mod form;
pub mod health;
pub mod icons;
pub mod inbox;
pub mod meeting;
pub mod meeting_planner;
pub mod menu;
pub mod people;
pub mod recordings;
pub mod search;
pub mod send_later;
pub mod shell;
pub mod summary;
pub mod urgency;
pub mod whiteboard;
pub mod working_hours;
