//! Ringing calls: a call started from a DM rings the other members' tabs until one
//! accepts (answered), all decline (declined, "Call declined" in the DM), the caller
//! gives up (cancelled) or nobody answers in time (missed, "Missed call" in the DM).
//! A call that was never answered ends.
//!
//! A group ring (a thread escalated to a call) rings several people independently:
//! each one's answer (or joining the meeting) stops only their own ringing, nobody
//! answering ends nothing (the meeting's empty-room grace does), and the caller is
//! told once everyone has answered, declined or the ring timed out.

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
    /// A group ring (see the module doc).
    pub group: bool,
    /// Group rings only: callees who accepted or joined.
    pub answered: HashSet<UserId>,
}

impl Ring {
    /// The caller and everyone rung (all their tabs are told when it stops).
    pub fn everyone(&self) -> Vec<UserId> {
        let mut all = self.callees.clone();
        all.push(self.caller);
        all
    }

    /// Callees still ringing.
    fn pending(&self) -> Vec<UserId> {
        self.callees
            .iter()
            .copied()
            .filter(|c| !self.declined.contains(c) && !self.answered.contains(c))
            .collect()
    }
}

/// Rings every callee's tabs and starts the timeout.
pub fn is_ringing(state: &AppState, meeting_id: MeetingId) -> bool {
    state.meetings.with(&state.ephemeral, |live, _| {
        live.rings.contains_key(&meeting_id)
    })
}

pub fn start(state: &AppState, meeting: &Meeting, caller: UserId, callees: Vec<UserId>) {
    start_ring(state, meeting, caller, callees, false);
}

/// Rings several people into a meeting, each independently (see the module doc).
pub fn start_group(state: &AppState, meeting: &Meeting, caller: UserId, callees: Vec<UserId>) {
    start_ring(state, meeting, caller, callees, true);
}

fn start_ring(
    state: &AppState,
    meeting: &Meeting,
    caller: UserId,
    callees: Vec<UserId>,
    group: bool,
) {
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
                group,
                answered: HashSet::new(),
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
        let missed = MeetingNotice::RingEnded {
            meeting_id,
            reason: RingEnd::Missed,
        };
        if ring.group {
            let mut told = ring.pending();
            told.push(ring.caller);
            out.to_users(told, None, missed);
        } else {
            out.to_users(ring.everyone(), None, missed);
        }
        Some(ring)
    });
    let Some(ring) = ring else { return };
    if ring.group {
        // The meeting goes on; if nobody is in it, its empty-room grace ends it.
        return;
    }
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
        if ring.group {
            if ring.answered.contains(&user_id) {
                return Err(Refusal::new(
                    meeting_id,
                    ErrorCode::NotFound,
                    "This call is not ringing any more.",
                ));
            }
            answer_group(live, out, meeting_id, user_id, Some(connection_id), accept);
            return Ok(if accept {
                Answer::Accepted
            } else {
                Answer::Declined
            });
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

/// One callee of a group ring answered (`accept`) or declined: their tabs stop ringing
/// (but `except`, the tab that answered), and once nobody is left ringing the ring is
/// over and the caller is told how it went.
fn answer_group(
    live: &mut super::registry::Live,
    out: &mut super::registry::Outbox,
    meeting_id: MeetingId,
    user_id: UserId,
    except: Option<Uuid>,
    accept: bool,
) {
    let Some(ring) = live.rings.get_mut(&meeting_id) else {
        return;
    };
    let reason = if accept {
        ring.answered.insert(user_id);
        RingEnd::Answered
    } else {
        ring.declined.insert(user_id);
        RingEnd::Declined
    };
    out.to_users(
        vec![user_id],
        except,
        MeetingNotice::RingEnded { meeting_id, reason },
    );
    if ring.pending().is_empty() {
        let reason = if ring.answered.is_empty() {
            RingEnd::Declined
        } else {
            RingEnd::Answered
        };
        let caller = ring.caller;
        live.rings.remove(&meeting_id);
        out.to_users(
            vec![caller],
            None,
            MeetingNotice::RingEnded { meeting_id, reason },
        );
    }
}

/// Someone entered the meeting's room: if a group ring was ringing them, joining is
/// their answer (a call is not answered by walking in: its callee answers it).
pub fn entered(state: &AppState, meeting_id: MeetingId, user_id: UserId) {
    state.meetings.with(&state.ephemeral, |live, out| {
        let ringing = live
            .rings
            .get(&meeting_id)
            .is_some_and(|ring| ring.group && ring.pending().contains(&user_id));
        if ringing {
            answer_group(live, out, meeting_id, user_id, None, true);
        }
    });
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
