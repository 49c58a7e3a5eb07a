//! The server's integration tests, one binary: every module starts real servers on port 0
//! with their own database and speaks HTTP and WebSocket to them (helpers in `common`).
//! One binary rather than one per file: the suite links once, and its tests share the
//! two cores instead of running file after file.

mod common;

mod authz_matrix;
mod boards;
mod calls;
mod channel_names;
mod channels;
mod content_headers;
mod decisions;
mod escalation;
mod group_commit;
mod guests;
mod health_report;
mod meeting_planner;
mod meetings;
mod messages;
mod multi_node;
mod multi_node_kill;
mod multi_node_rooms;
mod presence;
mod realtime;
mod recording_webm;
mod recordings;
mod recordings_security;
mod rest;
mod search;
mod search_fuzz;
mod security_auth;
mod security_redaction;
mod security_tokens;
mod security_web;
mod security_ws;
mod send_later;
mod sfu;
mod sql_dialect;
mod static_app;
mod storage;
mod uploads;
mod urgency;
mod working_hours;
