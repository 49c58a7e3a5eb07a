//! Decision records: a message becomes a proposal with an owner, a question and a
//! consent window; the channel's members vote Agree / Object (with a reason) /
//! Abstain; the owner records the decision once the window closed or everyone voted,
//! or takes standing objections to a call (the message's thread is escalated).
//!
//! Every change is written together with a `proposal_changed` event for the channel,
//! under the log writer, so the proposal shown under its message is never stale.

pub mod rules;

use sqlx::AnyConnection;
use tandem_protocol::api::User;
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::decisions::{
    CreateProposalRequest, DecideRequest, Proposal, ProposalId, ProposalState, VoteRequest,
};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::ws::Event;
use tandem_protocol::{ApiError, ErrorCode, UserId};
use uuid::Uuid;

use super::escalation::escalate_thread;
use super::meeting_planner::join::local_time;
use crate::chat::access;
use crate::db::{self, channels, proposals};
use crate::error::{AppError, AppResult};
use crate::realtime::audience::Audience;
use crate::realtime::log::LogWriter;
use crate::state::AppState;

/// The most proposals one search returns (newest first).
pub const MAX_SEARCH_RESULTS: usize = 200;

fn no_such() -> AppError {
    AppError::not_found("No such proposal.")
}

fn conflict(message: impl Into<String>) -> AppError {
    AppError::new(ErrorCode::Conflict, message)
}

/// The proposal, if `user_id` may see its channel; members only may act on it (403
/// for a non-member of a public channel, 404 where the channel is hidden from them).
async fn load_for_member(
    conn: &mut AnyConnection,
    id: ProposalId,
    user_id: UserId,
) -> AppResult<Proposal> {
    let proposal = proposals::find(&mut *conn, id).await?.ok_or_else(no_such)?;
    let channel = match access::visible(&mut *conn, proposal.channel_id, user_id).await {
        Ok(channel) => channel,
        Err(AppError::Api(_)) => return Err(no_such()),
        Err(other) => return Err(other),
    };
    channel.require_writable()?;
    Ok(proposal)
}

/// Reloads the proposal and appends `proposal_changed` for its channel.
async fn announce(
    writer: &mut LogWriter<'_>,
    tx: &mut AnyConnection,
    id: ProposalId,
) -> AppResult<Proposal> {
    let proposal = proposals::find(&mut *tx, id).await?.ok_or_else(no_such)?;
    writer
        .append(
            &mut *tx,
            Audience::Channel(proposal.channel_id),
            Event::ProposalChanged {
                proposal: proposal.clone(),
            },
        )
        .await?;
    Ok(proposal)
}

/// `POST /api/messages/{id}/proposal`.
pub async fn create(
    state: &AppState,
    me: &User,
    message_id: MessageId,
    request: CreateProposalRequest,
) -> AppResult<Proposal> {
    let now = state.now();
    request.validate(now)?;
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let (row, channel) = access::visible_message(&mut tx, message_id, me.id).await?;
    if row.deleted {
        return Err(AppError::not_found("This message was deleted."));
    }
    channel.require_writable()?;
    let channel_id = row.channel()?;
    if !channels::member_ids(&mut *tx, channel_id)
        .await?
        .contains(&request.owner_id)
    {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                "The decision owner must be a member of this channel.",
            )
            .with_field("owner_id"),
        ));
    }
    if proposals::exists_for_message(&mut *tx, message_id).await? {
        return Err(conflict("This message is already a proposal."));
    }
    let proposal = Proposal {
        id: Uuid::new_v4(),
        channel_id,
        message_id,
        question: request.question.trim().to_string(),
        owner_id: request.owner_id,
        created_by: me.id,
        created_at: now,
        deadline: request.deadline,
        state: ProposalState::Open,
        votes: Vec::new(),
        decision: None,
        decided_at: None,
        decided_in: None,
        meeting_id: None,
    };
    match proposals::insert(&mut tx, &proposal).await {
        Err(err) if db::is_unique_violation(&err) => {
            return Err(conflict("This message is already a proposal."))
        }
        other => other?,
    }
    let proposal = announce(&mut writer, &mut tx, proposal.id).await?;
    writer.commit(tx).await?;
    Ok(proposal)
}

/// `PUT /api/proposals/{id}/vote`: records or replaces my vote while it is open or
/// escalated.
pub async fn vote(
    state: &AppState,
    me: &User,
    id: ProposalId,
    request: VoteRequest,
) -> AppResult<Proposal> {
    request.validate()?;
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let proposal = load_for_member(&mut tx, id, me.id).await?;
    rules::can_vote(&proposal).map_err(conflict)?;
    proposals::set_vote(
        &mut *tx,
        id,
        me.id,
        request.vote,
        request.reason.trim(),
        state.now(),
    )
    .await?;
    let proposal = announce(&mut writer, &mut tx, id).await?;
    writer.commit(tx).await?;
    Ok(proposal)
}

/// `POST /api/proposals/{id}/decide`: the owner records the decision.
pub async fn decide(
    state: &AppState,
    me: &User,
    id: ProposalId,
    request: DecideRequest,
) -> AppResult<Proposal> {
    request.validate()?;
    let now = state.now();
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let proposal = load_for_member(&mut tx, id, me.id).await?;
    if proposal.owner_id != me.id {
        return Err(AppError::forbidden(
            "Only the decision owner can record the decision.",
        ));
    }
    let members = channels::member_ids(&mut *tx, proposal.channel_id).await?;
    let decided_in = rules::can_decide(&proposal, &members, now)
        .map_err(|refusal| conflict(refusal.message(|at| local_time(at, &me.time_zone))))?;
    if !proposals::decide(&mut *tx, id, request.decision.trim(), now, decided_in).await? {
        return Err(conflict(rules::ALREADY_DECIDED));
    }
    let proposal = announce(&mut writer, &mut tx, id).await?;
    writer.commit(tx).await?;
    Ok(proposal)
}

/// `POST /api/proposals/{id}/escalate`: the owner takes standing objections to a call
/// on the message's thread (the same call if the thread already has a live one).
pub async fn escalate(state: &AppState, me: &User, id: ProposalId) -> AppResult<Meeting> {
    let message_id = {
        let mut conn = state.db.acquire().await?;
        let proposal = load_for_member(&mut conn, id, me.id).await?;
        if proposal.owner_id != me.id {
            return Err(AppError::forbidden(
                "Only the decision owner can escalate it.",
            ));
        }
        rules::can_escalate(&proposal).map_err(conflict)?;
        proposal.message_id
    };
    // Starting the call takes the log writer itself, so it runs before we take it.
    let meeting = escalate_thread(state, me.id, message_id).await?;
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    if !proposals::escalate(&mut *tx, id, meeting.id).await? {
        return Err(conflict(rules::ALREADY_DECIDED));
    }
    announce(&mut writer, &mut tx, id).await?;
    writer.commit(tx).await?;
    Ok(meeting)
}

/// `GET /api/channels/{id}/decisions`: the channel's proposals (every state), newest
/// first; members only.
pub async fn channel_log(
    state: &AppState,
    me: &User,
    channel_id: ChannelId,
) -> AppResult<Vec<Proposal>> {
    let mut conn = state.db.acquire().await?;
    access::visible(&mut conn, channel_id, me.id)
        .await?
        .require_member()?;
    Ok(proposals::in_channel(&mut conn, channel_id).await?)
}

/// `GET /api/decisions?q=&channel_id=`: proposals in my channels whose question or
/// decision contains `q` (a case-insensitive substring match; Unicode lower-casing),
/// newest first, at most `MAX_SEARCH_RESULTS`. An empty `q` matches everything.
pub async fn search(
    state: &AppState,
    me: &User,
    q: &str,
    channel_id: Option<ChannelId>,
) -> AppResult<Vec<Proposal>> {
    let needle = q.trim().to_lowercase();
    let matches = |question: &str, decision: Option<&str>| {
        needle.is_empty()
            || question.to_lowercase().contains(&needle)
            || decision.is_some_and(|d| d.to_lowercase().contains(&needle))
    };
    let mut conn = state.db.acquire().await?;
    Ok(proposals::visible_to(&mut conn, me.id, channel_id, matches, MAX_SEARCH_RESULTS).await?)
}
