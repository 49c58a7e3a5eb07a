//! Full-text search over the messages the caller may read.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use serde::Deserialize;
use tandem_protocol::api::normalize_email;
use tandem_protocol::chat::{SearchHit, SearchResults, MAX_SEARCH_QUERY_CHARS};
use tandem_protocol::{ApiError, ErrorCode};
use utoipa::IntoParams;

use super::messages::bad_query;
use crate::auth::extract::CurrentSession;
use crate::chat::search_query::{self, From};
use crate::db::{self, channels, messages, search, users};
use crate::error::{AppError, AppResult, Json};
use crate::state::AppState;

const LIMIT: i64 = 50;

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words, plus optional `in:#channel-name` and `from:@Display Name` / `from:@email`.
    pub q: String,
}

/// Newest first, at most 50, only from channels I am in. Snippets come as parts with
/// the matched words marked.
#[utoipa::path(get, path = "/api/search", tag = "messages", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = ApiError),
              (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    me: CurrentSession,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> AppResult<Json<SearchResults>> {
    let Query(query) = query.map_err(bad_query)?;
    if query.q.chars().count() > MAX_SEARCH_QUERY_CHARS {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                format!("A search can be at most {MAX_SEARCH_QUERY_CHARS} characters."),
            )
            .with_field("q"),
        ));
    }
    let empty = || Ok(Json(SearchResults { hits: Vec::new() }));
    let mut conn = state.db.acquire().await?;
    let people = users::list(&mut *conn).await?;
    let names: Vec<String> = people.iter().map(|u| u.display_name.clone()).collect();
    let parsed = search_query::parse(&query.q, &names);
    if parsed.terms.is_empty() && parsed.in_channel.is_none() && parsed.from.is_none() {
        return empty();
    }
    let channel = match &parsed.in_channel {
        Some(name) => match channels::find_by_name_for(&mut *conn, name, me.user.id).await? {
            Some(row) => Some(row.channel_id()?),
            // Unknown channel: nothing can match (membership is checked in the query).
            None => return empty(),
        },
        None => None,
    };
    let author = match &parsed.from {
        Some(From::Name(i)) => Some(db::uuid(&people[*i].id)?),
        Some(From::Text(text)) => {
            let email = normalize_email(text);
            match people.iter().find(|u| u.email == email) {
                Some(user) => Some(db::uuid(&user.id)?),
                None => return empty(),
            }
        }
        None => None,
    };
    let found = search::search(
        &mut conn,
        me.user.id,
        &search::Query {
            terms: parsed.terms,
            channel,
            author,
            limit: LIMIT,
        },
    )
    .await;
    let found = match found {
        Ok(found) => found,
        // The expression is built from quoted words, so this should not happen; if the
        // search index (FTS5, or Postgres's text search) still refuses it, the answer
        // is "no results", not a server error.
        Err(sqlx::Error::Database(err)) => {
            tracing::warn!(error = %err, "search query refused by the index");
            return empty();
        }
        Err(err) => return Err(err.into()),
    };
    let mut hits = Vec::with_capacity(found.len());
    for (id, snippet) in found {
        if let Some(row) = messages::find(&mut conn, id).await? {
            hits.push(SearchHit {
                message: messages::load(&mut conn, &row).await?,
                snippet,
            });
        }
    }
    Ok(Json(SearchResults { hits }))
}
