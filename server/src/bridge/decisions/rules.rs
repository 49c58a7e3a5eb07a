//! When a proposal may be voted on, decided or escalated. Pure, so the rules are
//! tested without a server; the handlers map a refusal to 409 Conflict.

use std::collections::HashSet;

use tandem_protocol::decisions::{DecidedIn, Proposal, ProposalState};
use tandem_protocol::{Timestamp, UserId};

pub const ALREADY_DECIDED: &str = "This proposal has already been decided.";

/// Votes are taken while it is open, and still while its call is pending.
pub fn can_vote(proposal: &Proposal) -> Result<(), &'static str> {
    match proposal.state {
        ProposalState::Open | ProposalState::Escalated => Ok(()),
        ProposalState::Decided => Err(ALREADY_DECIDED),
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum DecideRefusal {
    AlreadyDecided,
    /// The consent window runs until then and not everyone has voted.
    WindowOpen {
        until: Timestamp,
    },
}

impl DecideRefusal {
    /// The message shown, with the deadline written by `time` (in the reader's zone).
    pub fn message(&self, time: impl Fn(Timestamp) -> String) -> String {
        match self {
            DecideRefusal::AlreadyDecided => ALREADY_DECIDED.to_string(),
            DecideRefusal::WindowOpen { until } => format!(
                "The consent window is open until {}. Record the decision then, or once \
                 everyone has voted.",
                time(*until)
            ),
        }
    }
}

/// The decision can be recorded once the consent window closed or every current
/// member of the channel voted. It counts as made in a call when the proposal had been
/// escalated, in writing otherwise.
pub fn can_decide(
    proposal: &Proposal,
    members: &[UserId],
    now: Timestamp,
) -> Result<DecidedIn, DecideRefusal> {
    let decided_in = match proposal.state {
        ProposalState::Open => DecidedIn::Async,
        ProposalState::Escalated => DecidedIn::Call,
        ProposalState::Decided => return Err(DecideRefusal::AlreadyDecided),
    };
    let voters: HashSet<UserId> = proposal.votes.iter().map(|v| v.user_id).collect();
    let everyone_voted = members.iter().all(|m| voters.contains(m));
    if now >= proposal.deadline || everyone_voted {
        Ok(decided_in)
    } else {
        Err(DecideRefusal::WindowOpen {
            until: proposal.deadline,
        })
    }
}

/// A call is for objections that stand: at least one current vote is an objection.
pub fn can_escalate(proposal: &Proposal) -> Result<(), &'static str> {
    if proposal.state == ProposalState::Decided {
        return Err(ALREADY_DECIDED);
    }
    if !proposal.objection_stands() {
        return Err(
            "Nobody objects, so there is nothing to take to a call: record the decision instead.",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::decisions::Vote;
    use tandem_protocol::test_support::proposal;
    use uuid::Uuid;

    #[test]
    fn deciding_waits_for_the_deadline_or_everyone() {
        let members = [Uuid::from_u128(1), Uuid::from_u128(2)];
        let one_vote = proposal(ProposalState::Open, &[(1, Vote::Agree)]);
        assert_eq!(
            can_decide(&one_vote, &members, 999),
            Err(DecideRefusal::WindowOpen { until: 1_000 })
        );
        assert_eq!(can_decide(&one_vote, &members, 1_000), Ok(DecidedIn::Async));
        let all = proposal(ProposalState::Open, &[(1, Vote::Agree), (2, Vote::Abstain)]);
        assert_eq!(can_decide(&all, &members, 0), Ok(DecidedIn::Async));
        let escalated = proposal(ProposalState::Escalated, &[(2, Vote::Object)]);
        assert_eq!(can_decide(&escalated, &members, 1_000), Ok(DecidedIn::Call));
        let decided = proposal(ProposalState::Decided, &[]);
        assert_eq!(
            can_decide(&decided, &members, 5_000),
            Err(DecideRefusal::AlreadyDecided)
        );
        assert!(DecideRefusal::WindowOpen { until: 7 }
            .message(|t| format!("<{t}>"))
            .contains("until <7>"));
    }

    #[test]
    fn voting_and_escalating_follow_the_state() {
        assert!(can_vote(&proposal(ProposalState::Open, &[])).is_ok());
        assert!(can_vote(&proposal(ProposalState::Escalated, &[])).is_ok());
        assert_eq!(
            can_vote(&proposal(ProposalState::Decided, &[])),
            Err(ALREADY_DECIDED)
        );
        assert!(can_escalate(&proposal(ProposalState::Open, &[(2, Vote::Agree)])).is_err());
        assert!(can_escalate(&proposal(ProposalState::Open, &[(2, Vote::Object)])).is_ok());
        assert!(can_escalate(&proposal(ProposalState::Escalated, &[(2, Vote::Object)])).is_ok());
        assert_eq!(
            can_escalate(&proposal(ProposalState::Decided, &[(2, Vote::Object)])),
            Err(ALREADY_DECIDED)
        );
    }
}
