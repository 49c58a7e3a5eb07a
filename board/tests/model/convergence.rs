//! Must show 1 and 5: any delivery order converges; snapshot + the rest = full replay.

use tandem_board::{BoardState, Change};
use tandem_protocol::boards::{BoardOp, BoardSnapshot, SequencedOp};

use crate::fixtures::{random_op, Rng, Server, ANA, BEN};

/// ~50 server-ordered ops by two people over a handful of elements and pages,
/// including deletes, restores and page ops.
fn history(seed: u64, count: usize) -> Vec<SequencedOp> {
    let mut rng = Rng::new(seed);
    let mut server = Server::new();
    let mut next_id = 1_000;
    while server.log.len() < count {
        let op = random_op(&mut rng, &server.state, &mut next_id);
        let author = if rng.chance(50) { ANA } else { BEN };
        server.by(author, op);
    }
    server.log
}

fn kinds_of(ops: &[SequencedOp]) -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = ops
        .iter()
        .map(|op| match op.op {
            BoardOp::AddElement { .. } => "add",
            BoardOp::UpdateElement { .. } => "update",
            BoardOp::DeleteElement { .. } => "delete",
            BoardOp::RestoreElement { .. } => "restore",
            BoardOp::ReorderElement { .. } => "reorder",
            BoardOp::AddPage { .. } => "add page",
            BoardOp::UpdatePage { .. } => "update page",
            BoardOp::DeletePage { .. } => "delete page",
            BoardOp::RestorePage { .. } => "restore page",
        })
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[test]
fn any_delivery_order_converges() {
    let mut kinds = Vec::new();
    for seed in 1..=8 {
        let ops = history(seed, 50);
        assert!(kinds_of(&ops).len() >= 6, "seed {seed} mixes kinds of ops");
        kinds.extend(kinds_of(&ops));
        let expected = BoardState::replay(None, &ops).snapshot();
        assert!(!expected.elements.is_empty());

        let mut rng = Rng::new(seed * 7919);
        let mut lost_writes = 0;
        for _ in 0..200 {
            let mut delivered = ops.clone();
            rng.shuffle(&mut delivered);
            // Some ops arrive twice (a retry, a resync overlapping live delivery).
            for _ in 0..rng.below(5) {
                let again = delivered[rng.below(delivered.len())].clone();
                let at = rng.below(delivered.len());
                delivered.insert(at, again);
            }
            let mut replica = BoardState::new();
            for op in &delivered {
                if replica.apply(op) == Change::Nothing {
                    lost_writes += 1;
                }
            }
            assert_eq!(
                replica.snapshot(),
                expected,
                "seed {seed}: a shuffled delivery diverged"
            );
        }
        // The orders really conflicted: many ops arrived after newer writes and lost.
        assert!(
            lost_writes > 200,
            "seed {seed}: only {lost_writes} stale writes"
        );
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 9, "every kind of op is exercised: {kinds:?}");
}

#[test]
fn a_newer_write_wins_whatever_arrives_first() {
    let ops = history(42, 50);
    let last_update = ops
        .iter()
        .rev()
        .find_map(|op| match &op.op {
            BoardOp::UpdateElement { id, patch, .. } if patch.x.is_some() => {
                Some((*id, patch.x.unwrap(), op.rev))
            }
            _ => None,
        })
        .unwrap();
    let (id, x, rev) = last_update;
    let mut reversed = ops.clone();
    reversed.reverse();
    let state = BoardState::replay(None, &reversed);
    let (element, _, version) = state.element_entry(id).unwrap();
    assert_eq!(element.x, x);
    assert!(version >= rev);
}

fn resume(snapshot: &BoardSnapshot, rest: &[SequencedOp]) -> BoardSnapshot {
    // Through JSON, as the server sends it.
    let wire: BoardSnapshot =
        serde_json::from_str(&serde_json::to_string(snapshot).unwrap()).unwrap();
    BoardState::replay(Some(&wire), rest).snapshot()
}

#[test]
fn snapshot_plus_the_remaining_ops_equals_the_full_replay() {
    for seed in [3, 5, 8] {
        let ops = history(seed, 60);
        let full = BoardState::replay(None, &ops).snapshot();
        for split in [0, 1, 7, 20, 33, 59, 60] {
            let head = BoardState::replay(None, &ops[..split]).snapshot();
            assert_eq!(head.rev, split as i64);
            assert_eq!(
                resume(&head, &ops[split..]),
                full,
                "seed {seed}, split at {split}"
            );
            // The rest shuffled and with an overlap (ops the snapshot already holds).
            let mut rest = ops[split.saturating_sub(3)..].to_vec();
            Rng::new(seed + split as u64).shuffle(&mut rest);
            assert_eq!(
                resume(&head, &rest),
                full,
                "seed {seed}, split at {split}, shuffled"
            );
        }
        // A snapshot of a snapshot-based state is the same again (compaction twice).
        let head = BoardState::replay(None, &ops[..30]).snapshot();
        let mid = BoardState::replay(Some(&head), &ops[30..45]).snapshot();
        assert_eq!(resume(&mid, &ops[45..]), full);
    }
}

#[test]
fn playback_at_a_time_matches_the_prefix() {
    let ops = history(11, 40);
    let head = BoardState::replay(None, &ops[..10]).snapshot();
    for cut in [10, 25, 40] {
        let at = ops[cut - 1].at;
        let expected = BoardState::replay(None, &ops[..cut]).snapshot();
        assert_eq!(BoardState::at_time(None, &ops, at).snapshot(), expected);
        assert_eq!(
            BoardState::at_time(Some(&head), &ops[10..], at).snapshot(),
            expected
        );
    }
}
