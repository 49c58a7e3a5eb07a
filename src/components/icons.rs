//! The UI's icons, drawn as inline SVG. Emoji used as icons render as empty boxes on a
//! machine without an emoji font, so emoji stay for reactions only. Each icon is one
//! stroked path on a 24-unit grid; its colour, size and stroke come from `.icon` in
//! `style/main.css` (`currentColor`, 1.1em). An icon is decoration: it is hidden from
//! assistive technology, and the control around it carries the name (`aria-label`,
//! and `title` for a tooltip).

use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glyph {
    /// Add a reaction.
    Smile,
    /// Acknowledge ("seen, on it").
    Check,
    /// Reply in a thread.
    Reply,
    Edit,
    Pin,
    /// Make a proposal (a ballot box).
    Ballot,
    Delete,
    Close,
    MicOff,
    Hand,
    Video,
    /// A menu of further actions.
    More,
}

impl Glyph {
    /// One path per icon: subpaths for the strokes, arcs for the circles.
    pub fn path(self) -> &'static str {
        match self {
            Glyph::Smile => {
                "M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0M8 14.5s1.5 2 4 2 4-2 4-2M9 9.5h.01M15 9.5h.01"
            }
            Glyph::Check => "M20 6 9 17l-5-5",
            Glyph::Reply => "M21 15a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z",
            Glyph::Edit => "M16.5 3.5a2.12 2.12 0 0 1 3 3L8 18l-4 1 1-4zM14 6l3 3",
            Glyph::Pin => "M12 16v6M8 3h8M9.5 3v6L6 13v3h12v-3l-3.5-4V3",
            Glyph::Ballot => "M3 12h18v9H3zM7 12V4h10v8M9.5 8l2 2 3.5-3.5",
            Glyph::Delete => "M3 6h18M8 6V3.5h8V6M5.5 6l1 15h11l1-15M10 10.5v6M14 10.5v6",
            Glyph::Close => "M18 6 6 18M6 6l12 12",
            Glyph::MicOff => {
                "M3 3l18 18M9 9v2a3 3 0 0 0 5.1 2.1M15 9.5V5a3 3 0 0 0-5.7-1.3\
                 M19 11a7 7 0 0 1-1.3 4M5 11a7 7 0 0 0 11.3 5.5M12 18v3"
            }
            Glyph::Hand => {
                "M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10.5V4a1.5 1.5 0 0 1 3 0v6.5\
                 M14 10.5V5.5a1.5 1.5 0 0 1 3 0v7M17 11a1.5 1.5 0 0 1 3 0v3a8 8 0 0 1-8 8h-1\
                 a7 7 0 0 1-5.6-2.8L3 15.5a1.5 1.5 0 0 1 2.4-1.8L8 16"
            }
            Glyph::Video => "M3 6.5h12v11H3zM15 10.5l6-3.5v10l-6-3.5",
            Glyph::More => {
                "M7 12a1.5 1.5 0 1 1-3 0a1.5 1.5 0 1 1 3 0M13.5 12a1.5 1.5 0 1 1-3 0\
                 a1.5 1.5 0 1 1 3 0M20 12a1.5 1.5 0 1 1-3 0a1.5 1.5 0 1 1 3 0"
            }
        }
    }
}

/// An icon, hidden from assistive technology (the control around it has the name).
#[component]
pub fn Icon(glyph: Glyph) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=glyph.path() />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Glyph; 12] = [
        Glyph::Smile,
        Glyph::Check,
        Glyph::Reply,
        Glyph::Edit,
        Glyph::Pin,
        Glyph::Ballot,
        Glyph::Delete,
        Glyph::Close,
        Glyph::MicOff,
        Glyph::Hand,
        Glyph::Video,
        Glyph::More,
    ];

    /// Paths are SVG path data on the 24-unit grid: commands and numbers only (a `\`
    /// line continuation must not leave a stray character behind).
    #[test]
    fn every_path_is_plain_path_data() {
        for glyph in ALL {
            let d = glyph.path();
            assert!(d.starts_with('M'), "{glyph:?}");
            let ok = |c: char| "MmLlHhVvCcSsAaZz".contains(c) || "0123456789.- ".contains(c);
            assert!(d.chars().all(ok), "{glyph:?}: {d}");
        }
    }
}
