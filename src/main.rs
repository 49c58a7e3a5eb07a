//! Tandem's browser app: a Leptos client-side-rendered single-page app.

mod api;
mod app;
mod base_path;
mod components;
mod config;
mod contexts;
mod markdown;
mod media;
mod notifications;
mod pages;
mod realtime;
mod time;
mod whiteboard;

fn main() {
    // Panics show up in the console with a Rust backtrace instead of "unreachable".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
