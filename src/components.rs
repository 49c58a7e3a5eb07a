//! Reusable UI, grouped by feature.

pub mod admin;
pub mod form;
pub mod shell;
