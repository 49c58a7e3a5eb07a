//! Reading a search box: free words plus the filters `in:#channel-name` and
//! `from:@Display Name` / `from:@email`. Names with spaces are recognised by matching
//! the known display names (longest first), like mentions.

use tandem_protocol::chat::MAX_SEARCH_QUERY_CHARS;

use super::mentions::matched_len;

/// Words past this many are ignored: each becomes an FTS5 phrase, and a few are
/// enough to find a message, while hundreds would only make the query slow.
pub const MAX_TERMS: usize = 16;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub terms: Vec<String>,
    pub in_channel: Option<String>,
    /// The text after `from:@`, resolved by the caller.
    pub from: Option<From>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum From {
    /// Index into the `names` given to `parse`.
    Name(usize),
    /// Not a known display name: an email, or someone unknown.
    Text(String),
}

/// `names` are the workspace's display names. Reads at most `MAX_SEARCH_QUERY_CHARS`
/// characters (the route refuses longer input; this keeps the parser bounded on its
/// own) and keeps at most `MAX_TERMS` words.
pub fn parse(input: &str, names: &[String]) -> ParsedQuery {
    let input = match input.char_indices().nth(MAX_SEARCH_QUERY_CHARS) {
        Some((end, _)) => &input[..end],
        None => input,
    };
    let mut out = ParsedQuery::default();
    let mut rest = input.trim_start_matches(is_separator);
    while !rest.is_empty() {
        let lower = rest.get(..6).map(str::to_ascii_lowercase);
        if let Some(after) = strip_prefix_ci(rest, "in:") {
            let after = after.strip_prefix('#').unwrap_or(after);
            let (word, tail) = split_word(after);
            out.in_channel = Some(word.to_lowercase());
            rest = tail;
        } else if lower.as_deref() == Some("from:@") {
            let after = &rest[6..];
            let best = names
                .iter()
                .enumerate()
                .filter_map(|(i, name)| matched_len(after, name).map(|len| (len, i)))
                .max_by_key(|(len, _)| *len);
            match best {
                Some((len, i)) => {
                    out.from = Some(From::Name(i));
                    rest = &after[len..];
                }
                None => {
                    let (word, tail) = split_word(after);
                    out.from = Some(From::Text(word.to_string()));
                    rest = tail;
                }
            }
        } else {
            let (word, tail) = split_word(rest);
            // Words without a letter or digit cannot match anything; dropping them
            // keeps input like `"` or `*` from becoming an empty FTS phrase.
            if word.chars().any(char::is_alphanumeric) && out.terms.len() < MAX_TERMS {
                out.terms.push(word.to_string());
            }
            rest = tail;
        }
        rest = rest.trim_start_matches(is_separator);
    }
    out
}

/// Words end at blanks and at control characters: FTS5 cannot take a NUL inside a
/// quoted string ("unterminated string"), and no message is searched for one.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn split_word(text: &str) -> (&str, &str) {
    match text.find(is_separator) {
        Some(end) => (&text[..end], &text[end..]),
        None => (text, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_terms() {
        let names = vec!["Ana".to_string(), "Ana Lee".to_string()];
        let q = parse("budget in:#team-x from:@ana lee  AND( \" q3", &names);
        assert_eq!(q.terms, vec!["budget", "AND(", "q3"]);
        assert_eq!(q.in_channel.as_deref(), Some("team-x"));
        assert_eq!(q.from, Some(From::Name(1)));
        let q = parse("from:@bo@example.com hi", &names);
        assert_eq!(q.from, Some(From::Text("bo@example.com".into())));
        assert_eq!(q.terms, vec!["hi"]);
        assert_eq!(parse("   ", &names), ParsedQuery::default());
    }

    #[test]
    fn control_characters_split_words_and_words_are_bounded() {
        // A NUL inside a quoted FTS5 string is "unterminated string" (found by fuzzing).
        assert_eq!(parse("a\0b \u{1}c", &[]).terms, vec!["a", "b", "c"]);
        let many = "word ".repeat(MAX_TERMS + 5);
        assert_eq!(parse(&many, &[]).terms.len(), MAX_TERMS);
    }
}
