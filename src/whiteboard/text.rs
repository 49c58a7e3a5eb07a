//! Breaking text into lines that fit a box, given a way to measure it (the canvas's
//! `measureText` in the browser, a fixed width per character in tests).

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
