//! The meeting planner: the "Schedule a meeting" dialog with its availability
//! timeline, and the sidebar's upcoming meetings (the organiser can cancel one, anyone
//! invited joins at its time). The pure parts (`timeline`, `hints`, `join`) are tested
//! natively; working hours and time-zone display come from `working_hours`.

pub mod cancel_meeting;
pub mod dialog;
pub mod hints;
pub mod join;
pub mod timeline;
pub mod timeline_view;
pub mod upcoming;
