//! People: avatars with presence, and rows for the People view and member lists.

pub mod avatar;
pub mod devices;
pub mod person_row;
