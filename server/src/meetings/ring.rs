//! Ringing calls: a call started from a DM rings the other members' tabs until one
//! accepts (answered), all decline (declined, "Call declined" in the DM), the caller
//! gives up (cancelled) or nobody answers in time (missed, "Missed call" in the DM).
//! A call that was never answered ends.

use std::collections::HashSet;
use std::time::Duration;

use tandem_protocol::meetings::{Meeting, MeetingId, MeetingNotice, RingEnd};
use tandem_protocol::{ErrorCode, UserId};
use uuid::Uuid;

use super::lifecycle;
use super::requests::Refusal;
use crate::state::AppState;

pub struct Ring {
    pub caller: UserId,
    pub callees: Vec<UserId>,
    pub declined: HashSet<UserId>,
}

impl Ring {
    /// The caller and everyone rung (all their tabs are told when it stops).
    pub fn everyone(&self) -> Vec<UserId> {
        let mut all = self.callees.clone();
        all.push(self.caller);
        all
    }
}

/// Rings every callee's tabs and starts the timeout.
pub fn is_ringing(state: &AppState, meeting_id: MeetingId) -> bool {
    state.meetings.with(&state.ephemeral, |live, _| {
        live.rings.contains_key(&meeting_id)
    })
}

pub fn start(state: &AppState, meeting: &Meeting, caller: UserId, callees: Vec<UserId>) {
    let meeting_id = meeting.id;
    state.meetings.with(&state.ephemeral, |live, out| {
        out.to_users(
            callees.clone(),
            None,
            MeetingNotice::Ringing {
                meeting: meeting.clone(),
                caller_id: caller,
            },
        );
        live.rings.insert(
            meeting_id,
            Ring {
                caller,
                callees,
                declined: HashSet::new(),
            },
        );
    });
    let weak = state.downgrade();
    let timeout = Duration::from_millis(state.config.ring_timeout_ms);
    tokio::spawn(async move {
        tokio::time::sleep(timeout).await;
        if let Some(state) = weak.upgrade() {
            missed(&state, meeting_id).await;
        }
    });
}

async fn missed(state: &AppState, meeting_id: MeetingId) {
    let ring = state.meetings.with(&state.ephemeral, |live, out| {
        let ring = live.rings.remove(&meeting_id)?;
        out.to_users(
            ring.everyone(),
            None,
            MeetingNotice::RingEnded {
                meeting_id,
                reason: RingEnd::Missed,
            },
        );
        Some(ring)
    });
    let Some(ring) = ring else { return };
    lifecycle::post_notice(state, meeting_id, ring.caller, "Missed call").await;
    if let Err(err) = lifecycle::end(state, meeting_id).await {
        tracing::error!(error = %err, %meeting_id, "could not end a missed call");
    }
}

enum Answer {
    Accepted,
    Declined,
    /// The last callee declined: the call is over.
    AllDeclined,
}

/// `answer_call` from one of the callee's tabs.
pub async fn answer(
    state: &AppState,
    meeting_id: MeetingId,
    user_id: UserId,
    connection_id: Uuid,
    accept: bool,
) -> Result<(), Refusal> {
    let answer = state.meetings.with(&state.ephemeral, |live, out| {
        let Some(ring) = live.rings.get_mut(&meeting_id) else {
            return Err(Refusal::new(
                meeting_id,
                ErrorCode::NotFound,
                "This call is not ringing any more.",
            ));
        };
        if !ring.callees.contains(&user_id) || ring.declined.contains(&user_id) {
            return Err(Refusal::new(
                meeting_id,
                ErrorCode::Forbidden,
                "This call is not for you.",
            ));
        }
        if accept {
            let ring = live.rings.remove(&meeting_id).expect("ring present");
            // The answering tab knows; the caller and every other tab stop ringing.
            out.to_users(
                ring.everyone(),
                Some(connection_id),
                MeetingNotice::RingEnded {
                    meeting_id,
                    reason: RingEnd::Answered,
                },
            );
            return Ok(Answer::Accepted);
        }
        ring.declined.insert(user_id);
        let declined = MeetingNotice::RingEnded {
            meeting_id,
            reason: RingEnd::Declined,
        };
        out.to_users(vec![user_id], Some(connection_id), declined.clone());
        if ring.callees.iter().all(|c| ring.declined.contains(c)) {
            let ring = live.rings.remove(&meeting_id).expect("ring present");
            out.to_users(vec![ring.caller], None, declined);
            return Ok(Answer::AllDeclined);
        }
        Ok(Answer::Declined)
    })?;
    match answer {
        Answer::Accepted | Answer::Declined => {}
        Answer::AllDeclined => {
            lifecycle::post_notice(state, meeting_id, user_id, "Call declined").await;
            lifecycle::end(state, meeting_id).await?;
        }
    }
    Ok(())
}

/// Whether `user_id` is the caller of a call still ringing.
pub fn is_ringing_caller(
    live: &super::registry::Live,
    meeting_id: MeetingId,
    user_id: UserId,
) -> bool {
    live.rings
        .get(&meeting_id)
        .is_some_and(|ring| ring.caller == user_id)
}
