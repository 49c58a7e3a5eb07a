//! Full-text search: the one SQLite-specific module (FTS5). The index is kept in step
//! with `messages` by the same transactions that post, edit and delete.
//!
//! Each index row's rowid is its message's `seq` (unique and never reused), so adding,
//! replacing and removing a message's entry are rowid look-ups. (FTS5 cannot index the
//! `message_id` column, so deleting by it would scan the whole index on every post.)

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use tandem_protocol::chat::{ChannelId, MessageId, SnippetPart};
use tandem_protocol::UserId;

/// Marks around matched words in `highlight()` output. Control characters, because
/// message text shown to people does not contain them in practice.
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

pub async fn index(
    conn: &mut SqliteConnection,
    id: MessageId,
    body: &str,
) -> Result<(), sqlx::Error> {
    remove(&mut *conn, id).await?;
    sqlx::query(
        "INSERT INTO messages_fts (rowid, body, message_id)
         SELECT seq, ?, id FROM messages WHERE id = ?",
    )
    .bind(body)
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn remove(conn: &mut SqliteConnection, id: MessageId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM messages_fts WHERE rowid = (SELECT seq FROM messages WHERE id = ?)")
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub struct Query {
    /// Words the user typed; each is matched as a quoted FTS5 string, so no input
    /// can be read as FTS5 syntax. Empty: match on the filters alone.
    pub terms: Vec<String>,
    pub channel: Option<ChannelId>,
    pub author: Option<UserId>,
    pub limit: i64,
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

/// Matching messages the user may read (member channels), newest first, with the
/// body marked up by `highlight()`.
pub async fn search(
    conn: &mut SqliteConnection,
    viewer: UserId,
    query: &Query,
) -> Result<Vec<(MessageId, Vec<SnippetPart>)>, sqlx::Error> {
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new("");
    if query.terms.is_empty() {
        sql.push("SELECT m.id, m.body FROM messages m");
    } else {
        sql.push(format!(
            "SELECT m.id, highlight(messages_fts, 0, '{OPEN}', '{CLOSE}') FROM messages_fts
             JOIN messages m ON m.id = messages_fts.message_id"
        ));
    }
    sql.push(" JOIN channel_members cm ON cm.channel_id = m.channel_id AND cm.user_id = ")
        .push_bind(viewer.to_string())
        .push(" WHERE m.deleted = 0");
    if !query.terms.is_empty() {
        sql.push(" AND messages_fts MATCH ")
            .push_bind(match_expression(&query.terms));
    }
    if let Some(channel) = query.channel {
        sql.push(" AND m.channel_id = ")
            .push_bind(channel.to_string());
    }
    if let Some(author) = query.author {
        sql.push(" AND m.author_id = ")
            .push_bind(author.to_string());
    }
    sql.push(" ORDER BY m.seq DESC LIMIT ")
        .push_bind(query.limit);
    let rows: Vec<(String, String)> = sql.build_query_as().fetch_all(conn).await?;
    rows.into_iter()
        .map(|(id, marked)| Ok((super::uuid(&id)?, snippet_parts(&marked))))
        .collect()
}

/// Splits `highlight()` output at the markers into plain and highlighted parts.
pub fn snippet_parts(marked: &str) -> Vec<SnippetPart> {
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut text = String::new();
    let mut highlight = false;
    let flush = |text: &mut String, highlight: bool, parts: &mut Vec<SnippetPart>| {
        if !text.is_empty() {
            parts.push(SnippetPart {
                text: std::mem::take(text),
                highlight,
            });
        }
    };
    for c in marked.chars() {
        match c {
            OPEN => {
                flush(&mut text, highlight, &mut parts);
                highlight = true;
            }
            CLOSE => {
                flush(&mut text, highlight, &mut parts);
                highlight = false;
            }
            c => text.push(c),
        }
    }
    flush(&mut text, highlight, &mut parts);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_quoted() {
        let terms = vec!["a\"b".to_string(), "AND(".to_string()];
        assert_eq!(match_expression(&terms), r#""a""b" "AND("*"#);
    }

    #[test]
    fn parts_split_at_markers() {
        let parts = snippet_parts("say \u{1}hello\u{2} world");
        assert_eq!(parts.len(), 3);
        assert!(parts[1].highlight);
        assert_eq!(parts[1].text, "hello");
        assert_eq!(parts[2].text, " world");
    }
}
