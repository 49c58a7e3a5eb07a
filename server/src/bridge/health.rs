//! The communication-health report for a period: per person and for the whole team,
//! the figures `tandem_working_hours::metrics` defines, from what the server recorded.
//!
//! Per person (`PersonInput`):
//! - working and focus time: their `WorkingWeek` over the period (their own zone);
//! - meetings: their stays in meeting rooms (`db::attendance::intervals`);
//! - responses: the response items they owed that were created in the period;
//! - messages outside recipients' hours: messages they sent in the period, counted
//!   once if any recipient (people @mentioned by name; in a DM, the other members) was
//!   outside their working hours at that moment (focus inside working hours is still
//!   working hours);
//! - escalations they started and decisions they owned (async / in a call).
//!
//! Privacy: admins see every active member; anyone else sees only themselves in
//! `people`. `team` always covers the whole workspace (aggregates only).
//!
//! Cost: one range query each for response items, addressed messages, escalations and
//! decisions, one attendance query per person, and working-hours arithmetic in memory;
//! 50 people × 30 days is a few milliseconds of SQL.

use std::collections::{HashMap, HashSet};

use tandem_protocol::api::{Role, User};
use tandem_protocol::health::{HealthReport, PersonHealth, MEETING_SHARE_TARGET};
use tandem_protocol::working_hours::{Interval, WorkSchedule};
use tandem_protocol::{ApiError, ErrorCode, Timestamp, UserId};
use tandem_working_hours::intervals;
use tandem_working_hours::metrics::{self, PersonInput};

use super::availability::compile;
use crate::db::{attendance, health, proposals, users, working_hours};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// The longest period one report covers (a quarter).
pub const MAX_PERIOD_DAYS: i64 = 92;

/// `to > from` and at most `MAX_PERIOD_DAYS` apart.
pub fn check_period(from: Timestamp, to: Timestamp) -> Result<(), ApiError> {
    let invalid = |message: &str| ApiError::new(ErrorCode::Validation, message).with_field("to");
    if to <= from {
        return Err(invalid("The period must end after it starts."));
    }
    if to.saturating_sub(from) > MAX_PERIOD_DAYS * DAY_MS {
        return Err(invalid(&format!(
            "A report covers at most {MAX_PERIOD_DAYS} days."
        )));
    }
    Ok(())
}

/// How many of `messages` (id, sent at, recipients) reached someone outside their
/// working hours; a message counts once however many recipients it had.
fn count_outside_hours<'a>(
    messages: impl IntoIterator<Item = (&'a str, Timestamp, UserId)>,
    working: &HashMap<UserId, Vec<Interval>>,
) -> u32 {
    let mut counted: HashSet<&str> = HashSet::new();
    for (message_id, sent_at, recipient) in messages {
        let Some(hours) = working.get(&recipient) else {
            continue;
        };
        if !intervals::contains(hours, sent_at) {
            counted.insert(message_id);
        }
    }
    u32::try_from(counted.len()).unwrap_or(u32::MAX)
}

/// `GET /api/health-report?from=&to=`.
pub async fn report(
    state: &AppState,
    me: &User,
    from: Timestamp,
    to: Timestamp,
) -> AppResult<HealthReport> {
    check_period(from, to).map_err(AppError::Api)?;
    let mut conn = state.db.acquire().await?;
    let team_rows = users::list(&mut *conn).await?;
    let team: Vec<User> = team_rows
        .iter()
        .map(|row| row.to_user())
        .collect::<Result<_, _>>()?;
    let addressed = health::addressed_messages(&mut *conn, from, to).await?;

    // Everyone whose working hours matter: the team, plus recipients no longer in it
    // (deactivated since) — their hours at the time still tell whether it was late.
    let mut ids: Vec<UserId> = team.iter().map(|u| u.id).collect();
    let known: HashSet<UserId> = ids.iter().copied().collect();
    let extra: HashSet<UserId> = addressed
        .iter()
        .map(|a| a.recipient_id)
        .filter(|id| !known.contains(id))
        .collect();
    ids.extend(extra);
    let stored = working_hours::get_many(&mut *conn, &ids).await?;
    let mut working: HashMap<UserId, Vec<Interval>> = HashMap::with_capacity(ids.len());
    let mut focus: HashMap<UserId, Vec<Interval>> = HashMap::with_capacity(team.len());
    for id in &ids {
        let ws = stored
            .get(id)
            .cloned()
            .unwrap_or_else(|| WorkSchedule::default_for("UTC"));
        let week = compile(&ws);
        working.insert(*id, week.working_intervals(from, to));
        if known.contains(id) {
            focus.insert(*id, week.focus_intervals(from, to));
        }
    }

    let mut responses = health::response_samples(&mut *conn, from, to).await?;
    let escalations = health::escalations_by(&mut *conn, from, to).await?;
    let decisions = proposals::decided_by_owner(&mut *conn, from, to).await?;
    let mut sent_by: HashMap<UserId, Vec<(&str, Timestamp, UserId)>> = HashMap::new();
    for a in &addressed {
        sent_by.entry(a.author_id).or_default().push((
            a.message_id.as_str(),
            a.sent_at,
            a.recipient_id,
        ));
    }

    let mut inputs: Vec<PersonInput> = Vec::with_capacity(team.len());
    for person in &team {
        let (decisions_async, decisions_in_call) =
            decisions.get(&person.id).copied().unwrap_or_default();
        inputs.push(PersonInput {
            working: working.get(&person.id).cloned().unwrap_or_default(),
            focus: focus.remove(&person.id).unwrap_or_default(),
            meetings: attendance::intervals(&mut *conn, person.id, from, to).await?,
            responses: responses.remove(&person.id).unwrap_or_default(),
            messages_outside_recipient_hours: count_outside_hours(
                sent_by.remove(&person.id).unwrap_or_default(),
                &working,
            ),
            escalations: escalations.get(&person.id).copied().unwrap_or_default(),
            decisions_async,
            decisions_in_call,
        });
    }
    drop(conn);

    let team_metrics = metrics::team(&inputs, from, to);
    let sees_everyone = me.role == Role::Admin;
    let people = team
        .iter()
        .zip(&inputs)
        .filter(|(person, _)| sees_everyone || person.id == me.id)
        .map(|(person, input)| PersonHealth {
            user_id: person.id,
            display_name: person.display_name.clone(),
            metrics: metrics::person(input, from, to),
        })
        .collect();
    Ok(HealthReport {
        from,
        to,
        meeting_share_target: MEETING_SHARE_TARGET,
        team: team_metrics,
        people,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn periods_are_bounded() {
        assert!(check_period(0, 1).is_ok());
        assert!(check_period(0, MAX_PERIOD_DAYS * DAY_MS).is_ok());
        assert!(check_period(0, MAX_PERIOD_DAYS * DAY_MS + 1).is_err());
        assert!(check_period(5, 5).is_err());
        assert!(check_period(5, 4).is_err());
        assert!(check_period(i64::MIN, i64::MAX).is_err());
    }

    #[test]
    fn a_message_counts_once_if_any_recipient_was_off() {
        let ana = Uuid::from_u128(1);
        let ben = Uuid::from_u128(2);
        let gone = Uuid::from_u128(3);
        let working = HashMap::from([
            (
                ana,
                vec![Interval {
                    start: 100,
                    end: 200,
                }],
            ),
            (
                ben,
                vec![Interval {
                    start: 150,
                    end: 300,
                }],
            ),
        ]);
        let messages = [
            // Both working: not counted.
            ("m1", 160, ana),
            ("m1", 160, ben),
            // Ana working, Ben not yet: counted once.
            ("m2", 120, ana),
            ("m2", 120, ben),
            // Both off: still once.
            ("m3", 400, ana),
            ("m3", 400, ben),
            // The end of a range is outside it.
            ("m4", 200, ana),
            // Someone we know nothing about is skipped.
            ("m5", 0, gone),
        ];
        assert_eq!(count_outside_hours(messages, &working), 3);
    }
}
