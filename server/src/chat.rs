//! Chat rules shared by REST handlers, WebSocket commands and the scheduler: who may
//! see and change a channel, mention parsing, the one message-posting path, file
//! storage and the scheduled-send task.

pub mod access;
pub mod files;
pub mod mentions;
pub mod post;
pub mod scheduler;
pub mod search_query;
