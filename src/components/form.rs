//! Labelled inputs and error display shared by every form.

pub mod error_message;
pub mod field;
