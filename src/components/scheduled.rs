//! Scheduled send: the composer's "Send later" menu and the rows of the
//! scheduled-messages page.

pub mod clock;
pub mod item;
pub mod send_later;
pub mod time;

pub use item::ScheduledItem;
pub use send_later::SendLater;
