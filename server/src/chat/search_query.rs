//! Reading a search box: free words plus the filters `in:#channel-name` and
//! `from:@Display Name` / `from:@email`. Names with spaces are recognised by matching
//! the known display names (longest first), like mentions.

use super::mentions::matched_len;

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

/// `names` are the workspace's display names.
pub fn parse(input: &str, names: &[String]) -> ParsedQuery {
    let mut out = ParsedQuery::default();
    let mut rest = input.trim_start();
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
            if word.chars().any(char::is_alphanumeric) {
                out.terms.push(word.to_string());
            }
            rest = tail;
        }
        rest = rest.trim_start();
    }
    out
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn split_word(text: &str) -> (&str, &str) {
    match text.find(char::is_whitespace) {
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
}
