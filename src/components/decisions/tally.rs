//! Words and numbers for a proposal: the vote tally, its state, who voted what.
//! Pure, so they are unit-tested natively.

use tandem_protocol::decisions::{DecidedIn, Proposal, ProposalState, Vote};
use tandem_protocol::UserId;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub agree: u32,
    pub object: u32,
    pub abstain: u32,
}

pub fn tally(p: &Proposal) -> Tally {
    p.votes.iter().fold(Tally::default(), |mut t, v| {
        match v.vote {
            Vote::Agree => t.agree += 1,
            Vote::Object => t.object += 1,
            Vote::Abstain => t.abstain += 1,
        }
        t
    })
}

/// "1 agree · 1 object · 0 abstain".
pub fn tally_text(t: Tally) -> String {
    format!(
        "{} agree · {} object · {} abstain",
        t.agree, t.object, t.abstain
    )
}

pub fn state_label(state: ProposalState) -> &'static str {
    match state {
        ProposalState::Open => "Open",
        ProposalState::Escalated => "Escalated to a call",
        ProposalState::Decided => "Decided",
    }
}

pub fn decided_in_label(decided_in: Option<DecidedIn>) -> &'static str {
    match decided_in {
        Some(DecidedIn::Call) => "(in a call)",
        _ => "(async)",
    }
}

pub fn vote_label(vote: Vote) -> &'static str {
    match vote {
        Vote::Agree => "Agree",
        Vote::Object => "Object",
        Vote::Abstain => "Abstain",
    }
}

pub fn my_vote(p: &Proposal, me: UserId) -> Option<Vote> {
    p.votes.iter().find(|v| v.user_id == me).map(|v| v.vote)
}

/// An objection stands while someone's current vote is Object.
pub fn objection_stands(p: &Proposal) -> bool {
    p.objection_stands()
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use tandem_protocol::test_support;
    use uuid::Uuid;

    pub fn proposal(votes: &[(u128, Vote)]) -> Proposal {
        test_support::proposal(ProposalState::Open, votes)
    }

    #[test]
    fn tally_counts_each_kind() {
        let p = proposal(&[(1, Vote::Agree), (2, Vote::Object), (3, Vote::Agree)]);
        assert_eq!(
            tally(&p),
            Tally {
                agree: 2,
                object: 1,
                abstain: 0
            }
        );
        assert_eq!(tally_text(tally(&p)), "2 agree · 1 object · 0 abstain");
        assert_eq!(
            tally_text(tally(&proposal(&[]))),
            "0 agree · 0 object · 0 abstain"
        );
        assert!(objection_stands(&p));
        assert!(!objection_stands(&proposal(&[(1, Vote::Abstain)])));
        assert_eq!(my_vote(&p, Uuid::from_u128(2)), Some(Vote::Object));
        assert_eq!(my_vote(&p, Uuid::from_u128(9)), None);
    }

    #[test]
    fn tally_labels() {
        assert_eq!(state_label(ProposalState::Escalated), "Escalated to a call");
        assert_eq!(decided_in_label(Some(DecidedIn::Async)), "(async)");
        assert_eq!(decided_in_label(Some(DecidedIn::Call)), "(in a call)");
        assert_eq!(decided_in_label(None), "(async)");
        assert_eq!(vote_label(Vote::Abstain), "Abstain");
    }
}
