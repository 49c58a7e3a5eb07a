//! Decision records over REST: make a proposal from a message, vote, decide, escalate
//! to a call, and the channel and workspace decision logs. The rules live in
//! `bridge::decisions`. Guests are refused (403) by `CurrentSession`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use tandem_protocol::decisions::{CreateProposalRequest, DecideRequest, Proposal, VoteRequest};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::ApiError;
use utoipa::IntoParams;
use uuid::Uuid;

use super::messages::bad_query;
use crate::auth::extract::CurrentSession;
use crate::bridge::decisions;
use crate::error::{AppResult, Json, Path};
use crate::state::AppState;

/// Turns a message into a proposal (channel members; one per message). The owner must
/// be a member of the channel; the consent window must end in the future.
#[utoipa::path(post, path = "/api/messages/{id}/proposal", tag = "decisions",
    params(("id" = Uuid, Path, description = "Message id")), request_body = CreateProposalRequest,
    responses((status = 201, body = Proposal), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, description = "The message already is a proposal", body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<CreateProposalRequest>,
) -> AppResult<(StatusCode, Json<Proposal>)> {
    let proposal = decisions::create(&state, &me.user, id, request).await?;
    Ok((StatusCode::CREATED, Json(proposal)))
}

/// Records or replaces my vote (channel members, while open or escalated). An
/// objection needs a reason.
#[utoipa::path(put, path = "/api/proposals/{id}/vote", tag = "decisions",
    params(("id" = Uuid, Path, description = "Proposal id")), request_body = VoteRequest,
    responses((status = 200, body = Proposal), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, description = "Already decided", body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn vote(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<VoteRequest>,
) -> AppResult<Json<Proposal>> {
    Ok(Json(decisions::vote(&state, &me.user, id, request).await?))
}

/// The owner records the decision, once the consent window has closed or every member
/// of the channel voted. `decided_in` is `call` if it had been escalated.
#[utoipa::path(post, path = "/api/proposals/{id}/decide", tag = "decisions",
    params(("id" = Uuid, Path, description = "Proposal id")), request_body = DecideRequest,
    responses((status = 200, body = Proposal), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, description = "Window still open, or already decided",
               body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn decide(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<DecideRequest>,
) -> AppResult<Json<Proposal>> {
    Ok(Json(
        decisions::decide(&state, &me.user, id, request).await?,
    ))
}

/// The owner takes standing objections to a call: the message's thread is escalated
/// (its people are rung) and the proposal becomes `escalated`.
#[utoipa::path(post, path = "/api/proposals/{id}/escalate", tag = "decisions",
    params(("id" = Uuid, Path, description = "Proposal id")),
    responses((status = 200, body = Meeting), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 409, description = "No objection stands, or already decided",
               body = ApiError)))]
pub async fn escalate(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Meeting>> {
    Ok(Json(decisions::escalate(&state, &me.user, id).await?))
}

/// The channel's decision log: its proposals in every state, newest first (members).
#[utoipa::path(get, path = "/api/channels/{id}/decisions", tag = "decisions",
    params(("id" = Uuid, Path, description = "Channel id")),
    responses((status = 200, body = Vec<Proposal>), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn channel_log(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Vec<Proposal>>> {
    Ok(Json(decisions::channel_log(&state, &me.user, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DecisionQuery {
    /// Words to find in the question or the decision: a case-insensitive substring
    /// match. Empty: every proposal.
    #[serde(default)]
    pub q: String,
    /// Only this channel.
    pub channel_id: Option<Uuid>,
}

/// The workspace decision log: proposals in the channels I am in whose question or
/// decision contains `q` (case-insensitive), newest first, at most 200.
#[utoipa::path(get, path = "/api/decisions", tag = "decisions", params(DecisionQuery),
    responses((status = 200, body = Vec<Proposal>), (status = 400, body = ApiError),
              (status = 401, body = ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    me: CurrentSession,
    query: Result<Query<DecisionQuery>, QueryRejection>,
) -> AppResult<Json<Vec<Proposal>>> {
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(
        decisions::search(&state, &me.user, &query.q, query.channel_id).await?,
    ))
}
