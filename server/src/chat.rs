//! Chat rules shared by REST handlers, WebSocket commands and the send-later task: who
//! may see and change a channel, mention parsing, the one message-posting path, file
//! storage, the send-later task, and redacting edited or deleted text.

pub mod access;
pub mod files;
pub mod mentions;
pub mod post;
pub mod redact;
pub mod search_query;
pub mod send_later_task;
