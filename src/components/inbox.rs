//! The inbox (`/inbox`): what I owe, what I asked, my action items; and the sidebar's
//! "Inbox" link. The live state is `components::urgency::context`.

pub mod action_item;
pub mod response_item;
pub mod section;
pub mod sidebar_link;
pub mod state;
