//! Postgres: the table `messages_search` (migration postgres/0001), one `tsvector` per
//! message keyed by its `seq`, with a GIN index. Documents and queries go through the
//! same text search configuration, `tandem_search` (`simple` with `unaccent`: no stop
//! words or stemming, case and accents ignored).
//!
//! Postgres's parser reads more than words: it keeps an email address, a host name, a
//! file path or a number with a point whole, and what it makes of a piece of text
//! depends on what comes before it (`~in` alone is a path, after a space the word
//! `in`). So it is handed `words`: the text with every character that is not a letter
//! or digit made a space, which leaves it plain words, split where FTS5's `unicode61`
//! splits them, and the same whether they are read in a message or in a query.

use sqlx::AnyConnection;
use tandem_protocol::chat::MessageId;
use tandem_protocol::UserId;

use super::{push_scope, Query, CLOSE, OPEN};
use crate::db::numbered::NumberedSql;

/// `text` with every character that is not a letter or digit replaced by a space: the
/// same number of characters, in the same places.
pub fn words(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect()
}

pub async fn insert(
    conn: &mut AnyConnection,
    id: MessageId,
    body: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO messages_search (seq, message_id, words, document)
         SELECT seq, id, $1, to_tsvector('tandem_search', $1) FROM messages WHERE id = $2",
    )
    .bind(words(body))
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut AnyConnection, id: MessageId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM messages_search WHERE seq = (SELECT seq FROM messages WHERE id = $1)")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// The `to_tsquery` input for the terms: `'a' & 'b':*` (all words, the last one as a
/// prefix). Each term is one quoted string of its `words`, which `to_tsquery` splits as
/// the documents were split (`team-x` becomes the phrase `'team' <-> 'x':*`), so no
/// input is read as query syntax. (Inside the quotes `'` is doubled and `\` escapes,
/// though `words` leaves neither.)
pub fn tsquery_expression(terms: &[String]) -> String {
    let mut out = String::new();
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            out.push_str(" & ");
        }
        out.push('\'');
        out.push_str(&words(term).replace('\\', "\\\\").replace('\'', "''"));
        out.push('\'');
        if i + 1 == terms.len() {
            out.push_str(":*");
        }
    }
    out
}

/// `(id, marked-up body)` of the matching messages (see `super::search`).
pub async fn search(
    conn: &mut AnyConnection,
    viewer: UserId,
    query: &Query,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    // The whole text, every match marked (like FTS5's `highlight()`).
    let options = format!("StartSel={OPEN}, StopSel={CLOSE}, HighlightAll=true");
    let mut sql = NumberedSql::default();
    sql.push("SELECT m.id, m.body, ts_headline('tandem_search', s.words, q.query, ")
        .bind(options)?
        .push(
            ") FROM messages_search s JOIN messages m ON m.id = s.message_id
             CROSS JOIN to_tsquery('tandem_search', ",
        )
        .bind(tsquery_expression(&query.terms))?
        .push(") AS q(query)");
    push_scope(&mut sql, viewer, query, |sql| {
        sql.push(" AND s.document @@ q.query");
        Ok(())
    })?;
    let (text, args) = sql.into_parts();
    let rows: Vec<(String, String, String)> =
        sqlx::query_as_with(&text, args).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, body, marked)| (id, marked_body(&body, &marked)))
        .collect())
}

/// The body with the marks `ts_headline` put in its `words`: as those are the body's
/// characters in the same places, the body's own are put back around the marks. Should
/// the two not line up (a body edited without its entry), the body unmarked.
fn marked_body(body: &str, marked_words: &str) -> String {
    let mut original = body.chars();
    let mut out = String::with_capacity(body.len() + 8);
    for c in marked_words.chars() {
        if c == OPEN || c == CLOSE {
            out.push(c);
        } else {
            match original.next() {
                Some(o) => out.push(o),
                None => return body.to_string(),
            }
        }
    }
    if original.next().is_some() {
        return body.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_quoted_words() {
        let terms = vec!["it's".to_string(), "a\\b".to_string(), "AND(".to_string()];
        assert_eq!(tsquery_expression(&terms), "'it s' & 'a b' & 'AND ':*");
    }

    #[test]
    fn marks_go_back_into_the_body() {
        let body = "see docs.example.com, ok?";
        let marked = "see docs \u{1}example\u{2} com  ok ";
        assert_eq!(words(body), "see docs example com  ok ");
        assert_eq!(
            marked_body(body, marked),
            "see docs.\u{1}example\u{2}.com, ok?"
        );
        assert_eq!(marked_body("short", "longer text"), "short");
    }
}
