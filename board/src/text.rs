//! Text in a box (text boxes and sticky notes): how it breaks into lines and how many
//! lines fit. The canvas and the SVG export both lay text out with [`element_lines`],
//! so an export wraps where the screen does. Measuring is injected: the browser passes
//! the canvas's `measureText`, the export (which cannot know the viewer's font) passes
//! [`estimate_width`].

use tandem_protocol::boards::Element;

use crate::geometry::shape_rect;
use crate::style::{baseline, FONT_SIZE, TEXT_PADDING};

/// Lines of `text` no wider than `max_width`: explicit line breaks are kept, words wrap
/// greedily, and a word wider than the box is broken between characters. Spaces at a
/// wrap point are dropped.
pub fn wrap(text: &str, max_width: f64, mut measure: impl FnMut(&str) -> f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = paragraph.trim_end_matches('\r');
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if measure(&candidate) <= max_width || candidate.is_empty() {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: break it if even that does not fit.
            for c in word.chars() {
                let mut longer = line.clone();
                longer.push(c);
                if !line.is_empty() && measure(&longer) > max_width {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = longer;
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// The width text may take inside the element's box (its padding taken off).
pub fn inner_width(e: &Element) -> f64 {
    (e.width.abs() - 2.0 * TEXT_PADDING).max(1.0)
}

/// Lines whose baseline (plus descenders) still falls inside a box this tall: text
/// never spills out of its box (a note keeps its size however long its text). At least
/// one, so a tiny box still shows something.
pub fn lines_that_fit(height: f64) -> usize {
    let mut n = 0;
    while baseline(n) + FONT_SIZE * 0.25 <= height + 0.5 {
        n += 1;
    }
    n.max(1)
}

/// The element's text as drawn: wrapped to its box, cut to the lines that fit.
pub fn element_lines(e: &Element, measure: impl FnMut(&str) -> f64) -> Vec<String> {
    if e.text.is_empty() {
        return Vec::new();
    }
    let mut lines = wrap(&e.text, inner_width(e), measure);
    lines.truncate(lines_that_fit(shape_rect(e).height()));
    lines
}

/// A string's width at `FONT_SIZE` in a typical sans-serif, from rough per-character
/// widths. Errs on the wide side, so text wrapped with it stays inside its box in
/// most fonts.
pub fn estimate_width(text: &str) -> f64 {
    text.chars().map(char_em).sum::<f64>() * FONT_SIZE
}

/// Approximate advance of one character, in ems.
fn char_em(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '"' | '`' => 0.4,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.9,
        'A'..='Z' | '&' | '#' => 0.7,
        '0'..='9' => 0.58,
        '\t' => 1.2,
        // East Asian wide characters, emoji and the like take a full em or more.
        c if is_wide(c) => 1.05,
        _ => 0.58,
    }
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::ElementKind;
    use tandem_protocol::test_support::element;

    fn ten_per_char(s: &str) -> f64 {
        s.chars().count() as f64 * 10.0
    }

    #[test]
    fn words_wrap_to_the_width() {
        assert_eq!(
            wrap("one two three", 80.0, ten_per_char),
            vec!["one two", "three"]
        );
        assert_eq!(
            wrap("one two three", 1000.0, ten_per_char),
            vec!["one two three"]
        );
    }

    #[test]
    fn line_breaks_are_kept_and_long_words_broken() {
        assert_eq!(wrap("a\n\nb", 100.0, ten_per_char), vec!["a", "", "b"]);
        assert_eq!(wrap("a\r\nb", 100.0, ten_per_char), vec!["a", "b"]);
        assert_eq!(
            wrap("abcdefgh", 30.0, ten_per_char),
            vec!["abc", "def", "gh"]
        );
        assert_eq!(wrap("", 30.0, ten_per_char), vec![""]);
    }

    #[test]
    fn a_box_narrower_than_one_character_still_terminates() {
        assert_eq!(wrap("abc", 1.0, ten_per_char), vec!["a", "b", "c"]);
        assert_eq!(wrap("ab cd", 0.0, ten_per_char), vec!["a", "b", "c", "d"]);
    }

    fn note(width: f64, height: f64, text: &str) -> Element {
        element(1, ElementKind::Sticky, 0.0, 0.0, width, height).with_text(text)
    }

    #[test]
    fn an_element_wraps_inside_its_padding_and_keeps_the_lines_that_fit() {
        // 100 wide: 84 inside the padding, so 8 characters of 10 per line.
        let e = note(100.0, 200.0, "one two three four five");
        assert_eq!(
            element_lines(&e, ten_per_char),
            vec!["one two", "three", "four", "five"]
        );
        // Only two baselines fit in 50 units (at 24 and 44, with descenders to 48).
        let short = note(100.0, 50.0, "one two three four five");
        assert_eq!(
            element_lines(&short, ten_per_char),
            vec!["one two", "three"]
        );
        assert_eq!(lines_that_fit(1.0), 1);
        // A box drawn right to left has a negative width: its size is what counts.
        let flipped = note(-100.0, 200.0, "one two three");
        assert_eq!(
            element_lines(&flipped, ten_per_char),
            vec!["one two", "three"]
        );
        assert!(element_lines(&note(100.0, 100.0, ""), ten_per_char).is_empty());
    }

    #[test]
    fn the_estimate_is_wider_for_wide_letters_and_scripts() {
        assert_eq!(estimate_width(""), 0.0);
        assert!(estimate_width("iiii") < estimate_width("nnnn"));
        assert!(estimate_width("nnnn") < estimate_width("MMMM"));
        assert!(estimate_width("日本") > estimate_width("ab"));
        // A long sentence in a default sticky note wraps into several lines.
        let long = "Remember to bring the quarterly numbers and the new hiring plan";
        let lines = element_lines(&note(200.0, 200.0, long), estimate_width);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines
            .iter()
            .all(|line| estimate_width(line) <= 200.0 - 2.0 * TEXT_PADDING));
    }
}
