//! Send later: the composer's "Send later" menu (`menu`) and the rows of the
//! send-later page (`item`, at `/scheduled`).

pub mod clock;
pub mod item;
pub mod menu;
pub mod time;

pub use item::SendLaterItem;
pub use menu::SendLater;
