//! SQLite: the FTS5 table `messages_fts` (migration 0003, `unicode61 remove_diacritics
//! 2`). Each row's rowid is its message's `seq`, so adding, replacing and removing an
//! entry are rowid look-ups. (FTS5 cannot index the `message_id` column, so deleting by
//! it would scan the whole index on every post.)

use sqlx::AnyConnection;
use tandem_protocol::chat::MessageId;
use tandem_protocol::UserId;

use super::{push_scope, Query, CLOSE, OPEN};
use crate::db::numbered::NumberedSql;

pub async fn insert(
    conn: &mut AnyConnection,
    id: MessageId,
    body: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO messages_fts (rowid, body, message_id)
         SELECT seq, $1, id FROM messages WHERE id = $2",
    )
    .bind(body)
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut AnyConnection, id: MessageId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM messages_fts WHERE rowid = (SELECT seq FROM messages WHERE id = $1)")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// The quoted FTS5 expression for the terms: `"a" "b"*` (all words, last one as a
/// prefix, so results come while typing).
pub fn match_expression(terms: &[String]) -> String {
    let mut out = String::new();
    for (i, term) in terms.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push('"');
        out.push_str(&term.replace('"', "\"\""));
        out.push('"');
        if i + 1 == terms.len() {
            out.push('*');
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
    let mut sql = NumberedSql::default();
    sql.push(&format!(
        "SELECT m.id, highlight(messages_fts, 0, '{OPEN}', '{CLOSE}') FROM messages_fts
         JOIN messages m ON m.id = messages_fts.message_id"
    ));
    push_scope(&mut sql, viewer, query, |sql| {
        sql.push(" AND messages_fts MATCH ")
            .bind(match_expression(&query.terms))?;
        Ok(())
    })?;
    let (text, args) = sql.into_parts();
    sqlx::query_as_with(&text, args).fetch_all(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_quoted() {
        let terms = vec!["a\"b".to_string(), "AND(".to_string()];
        assert_eq!(match_expression(&terms), r#""a""b" "AND("*"#);
    }
}
