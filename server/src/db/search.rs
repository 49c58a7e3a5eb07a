//! Full-text search over message bodies. The index is kept in step with `messages` by
//! the same transactions that post, edit and delete. Each engine has its own: FTS5 on
//! SQLite (`fts5`), a `tsvector` column with a GIN index on Postgres (`tsvector`). Both
//! key an entry by its message's `seq` (unique, never reused), split words at every
//! character that is not a letter or digit, match every word typed with the last as a
//! prefix, ignore case and accents, and mark matched words in the whole body with the
//! same two markers.

mod fts5;
mod tsvector;

use sqlx::AnyConnection;
use tandem_protocol::chat::{ChannelId, MessageId, SnippetPart};
use tandem_protocol::UserId;

pub use fts5::match_expression;
pub use tsvector::{tsquery_expression, words};

use super::numbered::NumberedSql;
use super::Backend;

/// Marks around matched words in the marked-up body. Control characters, because
/// message text shown to people does not contain them in practice.
const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// Adds or replaces the message's entry.
pub async fn index(conn: &mut AnyConnection, id: MessageId, body: &str) -> Result<(), sqlx::Error> {
    remove(&mut *conn, id).await?;
    match Backend::of(conn) {
        Backend::Sqlite => fts5::insert(conn, id, body).await,
        Backend::Postgres => tsvector::insert(conn, id, body).await,
    }
}

pub async fn remove(conn: &mut AnyConnection, id: MessageId) -> Result<(), sqlx::Error> {
    match Backend::of(conn) {
        Backend::Sqlite => fts5::remove(conn, id).await,
        Backend::Postgres => tsvector::remove(conn, id).await,
    }
}

pub struct Query {
    /// Words the user typed; each is matched as a quoted string, so no input can be
    /// read as query syntax. Empty: match on the filters alone.
    pub terms: Vec<String>,
    pub channel: Option<ChannelId>,
    pub author: Option<UserId>,
    pub limit: i64,
}

/// Matching messages the user may read (member channels), newest first, with the
/// body marked up around the matched words.
pub async fn search(
    conn: &mut AnyConnection,
    viewer: UserId,
    query: &Query,
) -> Result<Vec<(MessageId, Vec<SnippetPart>)>, sqlx::Error> {
    let rows = if query.terms.is_empty() {
        let mut sql = NumberedSql::default();
        sql.push("SELECT m.id, m.body FROM messages m");
        push_scope(&mut sql, viewer, query, |_| Ok(()))?;
        let (text, args) = sql.into_parts();
        sqlx::query_as_with(&text, args).fetch_all(conn).await?
    } else {
        match Backend::of(conn) {
            Backend::Sqlite => fts5::search(conn, viewer, query).await?,
            Backend::Postgres => tsvector::search(conn, viewer, query).await?,
        }
    };
    rows.into_iter()
        .map(|(id, marked): (String, String)| Ok((super::uuid(&id)?, snippet_parts(&marked))))
        .collect()
}

/// What every search ends with, after `FROM` the messages `m`: the viewer's channels,
/// the engine's condition that the entry matches (`matches`, pushed after `WHERE`), the
/// filters, newest first.
fn push_scope(
    sql: &mut NumberedSql,
    viewer: UserId,
    query: &Query,
    matches: impl FnOnce(&mut NumberedSql) -> Result<(), sqlx::Error>,
) -> Result<(), sqlx::Error> {
    sql.push(" JOIN channel_members cm ON cm.channel_id = m.channel_id AND cm.user_id = ")
        .bind(viewer.to_string())?
        .push(" WHERE m.deleted = 0");
    matches(sql)?;
    if let Some(channel) = query.channel {
        sql.push(" AND m.channel_id = ").bind(channel.to_string())?;
    }
    if let Some(author) = query.author {
        sql.push(" AND m.author_id = ").bind(author.to_string())?;
    }
    sql.push(" ORDER BY m.seq DESC LIMIT ").bind(query.limit)?;
    Ok(())
}

/// Splits the marked-up body at the markers into plain and highlighted parts.
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
    fn parts_split_at_markers() {
        let parts = snippet_parts("say \u{1}hello\u{2} world");
        assert_eq!(parts.len(), 3);
        assert!(parts[1].highlight);
        assert_eq!(parts[1].text, "hello");
        assert_eq!(parts[2].text, " world");
    }
}
