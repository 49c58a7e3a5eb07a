//! Message search: the box that starts one, and the pieces of the results page.

pub mod hit;
pub mod labels;
pub mod results;
pub mod search_box;

pub use search_box::SearchBox;
