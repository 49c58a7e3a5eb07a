//! Files on messages: picking and uploading them in the composer, and showing them
//! on posted messages.

pub mod kind;
pub mod list;
pub mod picker;
pub mod size;
pub mod upload_list;
pub mod url;
pub mod viewer;

pub use list::AttachmentList;
pub use picker::AttachmentPicker;
