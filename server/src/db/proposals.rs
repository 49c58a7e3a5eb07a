//! The `proposals` and `proposal_votes` tables: decision records made from messages,
//! and each member's current vote.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyExecutor, FromRow};
use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::decisions::{DecidedIn, Proposal, ProposalId, ProposalState, Vote, VoteEntry};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::{Timestamp, UserId};

fn state_str(state: ProposalState) -> &'static str {
    match state {
        ProposalState::Open => "open",
        ProposalState::Escalated => "escalated",
        ProposalState::Decided => "decided",
    }
}

fn parse_state(text: &str) -> ProposalState {
    match text {
        "escalated" => ProposalState::Escalated,
        "decided" => ProposalState::Decided,
        _ => ProposalState::Open,
    }
}

fn vote_str(vote: Vote) -> &'static str {
    match vote {
        Vote::Agree => "agree",
        Vote::Object => "object",
        Vote::Abstain => "abstain",
    }
}

fn parse_vote(text: &str) -> Vote {
    match text {
        "agree" => Vote::Agree,
        "object" => Vote::Object,
        _ => Vote::Abstain,
    }
}

fn decided_in_str(decided_in: DecidedIn) -> &'static str {
    match decided_in {
        DecidedIn::Async => "async",
        DecidedIn::Call => "call",
    }
}

fn parse_decided_in(text: &str) -> Option<DecidedIn> {
    match text {
        "async" => Some(DecidedIn::Async),
        "call" => Some(DecidedIn::Call),
        _ => None,
    }
}

#[derive(Debug, Clone, FromRow)]
struct ProposalRow {
    id: String,
    channel_id: String,
    message_id: String,
    question: String,
    owner_id: String,
    created_by: String,
    created_at: i64,
    deadline: i64,
    state: String,
    decision: Option<String>,
    decided_at: Option<i64>,
    decided_in: Option<String>,
    meeting_id: Option<String>,
}

#[derive(Debug, Clone, FromRow)]
struct VoteRow {
    proposal_id: String,
    user_id: String,
    vote: String,
    reason: String,
    at: i64,
}

const COLUMNS: &str = "id, channel_id, message_id, question, owner_id, created_by, created_at,
    deadline, state, decision, decided_at, decided_in, meeting_id";

/// Turns rows into `Proposal`s, loading all their votes in one query.
async fn assemble(
    conn: &mut AnyConnection,
    rows: Vec<ProposalRow>,
) -> Result<Vec<Proposal>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = super::placeholders(1, rows.len());
    let sql = format!(
        "SELECT proposal_id, user_id, vote, reason, at FROM proposal_votes
         WHERE proposal_id IN ({placeholders}) ORDER BY at, user_id"
    );
    let mut query = sqlx::query_as::<_, VoteRow>(&sql);
    for row in &rows {
        query = query.bind(&row.id);
    }
    let mut votes: HashMap<String, Vec<VoteEntry>> = HashMap::new();
    for vote in query.fetch_all(&mut *conn).await? {
        votes.entry(vote.proposal_id).or_default().push(VoteEntry {
            user_id: super::uuid(&vote.user_id)?,
            vote: parse_vote(&vote.vote),
            reason: vote.reason,
            at: vote.at,
        });
    }
    rows.into_iter()
        .map(|row| {
            Ok(Proposal {
                id: super::uuid(&row.id)?,
                channel_id: super::uuid(&row.channel_id)?,
                message_id: super::uuid(&row.message_id)?,
                question: row.question,
                owner_id: super::uuid(&row.owner_id)?,
                created_by: super::uuid(&row.created_by)?,
                created_at: row.created_at,
                deadline: row.deadline,
                state: parse_state(&row.state),
                votes: votes.remove(&row.id).unwrap_or_default(),
                decision: row.decision,
                decided_at: row.decided_at,
                decided_in: row.decided_in.as_deref().and_then(parse_decided_in),
                meeting_id: row.meeting_id.as_deref().map(super::uuid).transpose()?,
            })
        })
        .collect()
}

/// Stores a new proposal (no votes yet). A second proposal for the same message is a
/// unique violation (`db::is_unique_violation`).
pub async fn insert(conn: &mut AnyConnection, p: &Proposal) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO proposals (id, channel_id, message_id, question, owner_id, created_by,
                                created_at, deadline, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(p.id.to_string())
    .bind(p.channel_id.to_string())
    .bind(p.message_id.to_string())
    .bind(&p.question)
    .bind(p.owner_id.to_string())
    .bind(p.created_by.to_string())
    .bind(p.created_at)
    .bind(p.deadline)
    .bind(state_str(p.state))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(
    conn: &mut AnyConnection,
    id: ProposalId,
) -> Result<Option<Proposal>, sqlx::Error> {
    let rows: Vec<ProposalRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM proposals WHERE id = $1"))
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    Ok(assemble(conn, rows).await?.pop())
}

pub async fn exists_for_message(
    db: impl AnyExecutor<'_>,
    message_id: MessageId,
) -> Result<bool, sqlx::Error> {
    let (super::Flag(exists),): (super::Flag,) =
        sqlx::query_as("SELECT EXISTS(SELECT 1 FROM proposals WHERE message_id = $1)")
            .bind(message_id.to_string())
            .fetch_one(db)
            .await?;
    Ok(exists)
}

/// Records (or replaces) `user_id`'s vote.
pub async fn set_vote(
    db: impl AnyExecutor<'_>,
    id: ProposalId,
    user_id: UserId,
    vote: Vote,
    reason: &str,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO proposal_votes (proposal_id, user_id, vote, reason, at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (proposal_id, user_id) DO UPDATE SET vote = excluded.vote,
             reason = excluded.reason, at = excluded.at",
    )
    .bind(id.to_string())
    .bind(user_id.to_string())
    .bind(vote_str(vote))
    .bind(reason)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Records the decision, unless it was already decided (`false` then).
pub async fn decide(
    db: impl AnyExecutor<'_>,
    id: ProposalId,
    decision: &str,
    decided_at: Timestamp,
    decided_in: DecidedIn,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE proposals SET state = 'decided', decision = $1, decided_at = $2, decided_in = $3
         WHERE id = $4 AND state <> 'decided'",
    )
    .bind(decision)
    .bind(decided_at)
    .bind(decided_in_str(decided_in))
    .bind(id.to_string())
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks it escalated to the call, unless it was decided meanwhile (`false` then).
pub async fn escalate(
    db: impl AnyExecutor<'_>,
    id: ProposalId,
    meeting_id: MeetingId,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE proposals SET state = 'escalated', meeting_id = $1
         WHERE id = $2 AND state <> 'decided'",
    )
    .bind(meeting_id.to_string())
    .bind(id.to_string())
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The channel's proposals, newest first.
pub async fn in_channel(
    conn: &mut AnyConnection,
    channel_id: ChannelId,
) -> Result<Vec<Proposal>, sqlx::Error> {
    let rows: Vec<ProposalRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM proposals WHERE channel_id = $1
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(channel_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    assemble(conn, rows).await
}

/// Proposals in the channels `user_id` is a member of (optionally one of them),
/// newest first, keeping only those `keep` accepts, at most `limit`. The text match is
/// done by the caller in Rust so that case folding is Unicode-aware (SQLite's
/// `lower`/`LIKE` fold ASCII only).
pub async fn visible_to(
    conn: &mut AnyConnection,
    user_id: UserId,
    channel_id: Option<ChannelId>,
    keep: impl Fn(&str, Option<&str>) -> bool,
    limit: usize,
) -> Result<Vec<Proposal>, sqlx::Error> {
    let rows: Vec<ProposalRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM proposals
         WHERE channel_id IN (SELECT channel_id FROM channel_members WHERE user_id = $1)
           AND ($2 IS NULL OR channel_id = $2)
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(user_id.to_string())
    .bind(channel_id.map(|id| id.to_string()))
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<ProposalRow> = rows
        .into_iter()
        .filter(|row| keep(&row.question, row.decision.as_deref()))
        .take(limit)
        .collect();
    assemble(conn, rows).await
}

/// Decisions recorded in `[from, to)`, per owner: (made in writing, made in a call).
pub async fn decided_by_owner(
    db: impl AnyExecutor<'_>,
    from: Timestamp,
    to: Timestamp,
) -> Result<HashMap<UserId, (u32, u32)>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT owner_id, decided_in, COUNT(*) FROM proposals
         WHERE decided_at >= $1 AND decided_at < $2 AND state = 'decided'
         GROUP BY owner_id, decided_in",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let mut out: HashMap<UserId, (u32, u32)> = HashMap::new();
    for (owner, decided_in, count) in rows {
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        let entry = out.entry(super::uuid(&owner)?).or_default();
        match decided_in.as_deref().and_then(parse_decided_in) {
            Some(DecidedIn::Async) => entry.0 = entry.0.saturating_add(count),
            Some(DecidedIn::Call) => entry.1 = entry.1.saturating_add(count),
            None => {}
        }
    }
    Ok(out)
}
