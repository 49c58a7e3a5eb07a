//! Colours, stroke widths and the text metrics every renderer shares.

/// The stroke colours offered (name, `#rrggbb`). The first is the default.
pub const COLOURS: [(&str, &str); 5] = [
    ("Black", "#1e1e1e"),
    ("Red", "#e03131"),
    ("Blue", "#1971c2"),
    ("Green", "#2f9e44"),
    ("Orange", "#f08c00"),
];

pub use tandem_board::style::{FONT_FAMILY, FONT_SIZE, LINE_HEIGHT, STICKY_FILL, TEXT_PADDING};

/// New sticky notes are this big (board units).
pub const STICKY_SIZE: f64 = 200.0;
/// Text boxes grow to fit their longest line up to this width, then wrap.
pub const MAX_TEXT_BOX_WIDTH: f64 = 480.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Width {
    Thin,
    #[default]
    Medium,
    Bold,
}

impl Width {
    pub const ALL: [Width; 3] = [Width::Thin, Width::Medium, Width::Bold];

    pub fn label(self) -> &'static str {
        match self {
            Width::Thin => "Thin",
            Width::Medium => "Medium",
            Width::Bold => "Bold",
        }
    }

    pub fn value(self) -> f64 {
        match self {
            Width::Thin => 2.0,
            Width::Medium => 4.0,
            Width::Bold => 8.0,
        }
    }

    pub fn from_label(label: &str) -> Option<Width> {
        Width::ALL.into_iter().find(|w| w.label() == label)
    }
}

/// What new elements look like (the toolbar's choices).
#[derive(Debug, Clone, PartialEq)]
pub struct DrawStyle {
    /// `#rrggbb`.
    pub stroke: String,
    /// Fill rectangles and ellipses with a light tint of the stroke colour.
    pub fill: bool,
    pub width: Width,
}

impl Default for DrawStyle {
    fn default() -> Self {
        DrawStyle {
            stroke: COLOURS[0].1.to_string(),
            fill: false,
            width: Width::default(),
        }
    }
}

impl DrawStyle {
    /// The fill a new rectangle or ellipse gets (empty: none).
    pub fn fill_colour(&self) -> String {
        if self.fill {
            tint(&self.stroke)
        } else {
            String::new()
        }
    }
}

/// A light version of `#rrggbb` (mixed 75 % with white), for fills that keep the
/// outline readable. Anything that is not `#rrggbb` gives light grey.
pub fn tint(colour: &str) -> String {
    let channel = |i: usize| {
        colour
            .get(1 + 2 * i..3 + 2 * i)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    match (
        colour.starts_with('#') && colour.len() == 7,
        channel(0),
        channel(1),
        channel(2),
    ) {
        (true, Some(r), Some(g), Some(b)) => {
            let mix = |c: u8| (f64::from(c) * 0.25 + 255.0 * 0.75).round() as u8;
            format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
        }
        _ => "#e9ecef".to_string(),
    }
}

/// The CSS font of element text at a zoom (the canvas scales, the text editor does not).
pub fn font(zoom: f64) -> String {
    format!("{}px {FONT_FAMILY}", FONT_SIZE * zoom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tints_are_lighter_and_well_formed() {
        assert_eq!(tint("#000000"), "#bfbfbf");
        assert_eq!(tint("#ffffff"), "#ffffff");
        assert_eq!(tint("red"), "#e9ecef");
        assert_eq!(tint("#zzzzzz"), "#e9ecef");
        assert_eq!(tint("#ééé"), "#e9ecef");
    }

    #[test]
    fn widths_and_fonts() {
        assert_eq!(Width::from_label("Bold"), Some(Width::Bold));
        assert_eq!(Width::from_label("Huge"), None);
        assert!(font(2.0).starts_with("32px "));
        let style = DrawStyle {
            fill: true,
            ..DrawStyle::default()
        };
        assert!(style.fill_colour().starts_with('#'));
        assert_eq!(DrawStyle::default().fill_colour(), "");
    }
}
