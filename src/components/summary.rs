//! A call's summary card in its escalated thread, and the host's note editor.

pub mod card;
pub mod dates;
pub mod format;
pub mod note_form;

pub use card::SummaryCard;
