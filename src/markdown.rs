//! Message bodies: Markdown parsed with pulldown-cmark into a small, safe tree
//! ([`tree`]), then rendered straight to Leptos views ([`view`]). Nothing is ever set
//! as `innerHTML`: raw HTML in a message comes out as literal text, and only `http`,
//! `https` and `mailto` links become links. Bare `http`/`https` addresses in the text
//! become links too ([`autolink`]).

pub mod autolink;
pub mod links;
pub mod mentions;
pub mod tree;
pub mod view;

#[cfg(test)]
mod fuzz;

pub use mentions::MentionNames;
pub use view::Markdown;
