//! Splits text into plain runs and `@mentions`. Only names the server resolved for
//! this message (its `mentions`) and, when it says so, `@channel`/`@here`/`@everyone`
//! are highlighted; any other `@word` stays plain text.

/// The mentions to look for in one message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MentionNames {
    /// Display names of the mentioned people, with whether that person is me.
    pub people: Vec<(String, bool)>,
    /// The message used `@channel` (or `@here` / `@everyone`).
    pub channel: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Run {
    Text(String),
    Mention { text: String, me: bool },
}

const CHANNEL_WORDS: [&str; 3] = ["channel", "here", "everyone"];

impl MentionNames {
    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && !self.channel
    }

    /// The longest mention that `rest` (the text right after an `@`) starts with.
    fn longest_at(&self, rest: &str) -> Option<(usize, bool)> {
        let mut best: Option<(usize, bool)> = None;
        let mut consider = |name: &str, me: bool| {
            if name.is_empty() || !starts_with_ci(rest, name) {
                return;
            }
            // A name must end at a word boundary: "@Ana" must not match "@Anastasia".
            let after = rest[name.len()..].chars().next();
            if after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                return;
            }
            if best.is_none_or(|(len, _)| name.len() > len) {
                best = Some((name.len(), me));
            }
        };
        for (name, me) in &self.people {
            consider(name, *me);
        }
        if self.channel {
            for word in CHANNEL_WORDS {
                consider(word, true);
            }
        }
        best
    }

    pub fn split(&self, text: &str) -> Vec<Run> {
        if self.is_empty() || !text.contains('@') {
            return vec![Run::Text(text.to_string())];
        }
        let mut runs = Vec::new();
        let mut plain = String::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let at_boundary = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if rest.starts_with('@') && at_boundary {
                if let Some((len, me)) = self.longest_at(&rest[1..]) {
                    if !plain.is_empty() {
                        runs.push(Run::Text(std::mem::take(&mut plain)));
                    }
                    runs.push(Run::Mention {
                        text: rest[..1 + len].to_string(),
                        me,
                    });
                    i += 1 + len;
                    continue;
                }
            }
            let c = rest.chars().next().unwrap_or(' ');
            plain.push(c);
            i += c.len_utf8();
        }
        if !plain.is_empty() {
            runs.push(Run::Text(plain));
        }
        runs
    }
}

/// Case-insensitive prefix test that is safe on any UTF-8 (compares whole chars, and
/// only succeeds when the prefix length lands on a char boundary of `s`).
fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].to_lowercase() == prefix.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> MentionNames {
        MentionNames {
            people: vec![("Ana Lima".into(), true), ("Ben".into(), false)],
            channel: false,
        }
    }

    #[test]
    fn finds_full_display_names_at_word_starts() {
        let runs = names().split("hi @Ana Lima and @Ben, not me@Ben or @Benjamin");
        assert_eq!(
            runs,
            vec![
                Run::Text("hi ".into()),
                Run::Mention {
                    text: "@Ana Lima".into(),
                    me: true
                },
                Run::Text(" and ".into()),
                Run::Mention {
                    text: "@Ben".into(),
                    me: false
                },
                Run::Text(", not me@Ben or @Benjamin".into()),
            ]
        );
    }

    #[test]
    fn channel_words_only_when_the_server_says_so() {
        assert_eq!(names().split("@channel hi").len(), 1);
        let with = MentionNames {
            channel: true,
            ..names()
        };
        assert_eq!(
            with.split("@here hi")[0],
            Run::Mention {
                text: "@here".into(),
                me: true
            }
        );
    }

    #[test]
    fn survives_multibyte_text() {
        let runs = names().split("é@Ω @Ben ü");
        assert_eq!(runs.len(), 3);
    }
}
