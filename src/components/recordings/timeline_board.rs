//! The meeting board during playback, as pure logic: which ops lie before a playback
//! position, the board at that position (stepped forward op by op while the video
//! plays, rebuilt from the snapshot when it seeks back), and the timeline's "Board
//! changed" markers.
//!
//! Ops are kept sorted by server time. The board model converges whatever order
//! sequenced ops are applied in, so "the ops up to time t" is always a prefix here and
//! the state after that prefix equals `BoardState::at_time(snapshot, ops, t)`.

use tandem_board::BoardState;
use tandem_protocol::boards::{BoardSnapshot, SequencedOp};
use tandem_protocol::Timestamp;

use super::format::clock_ms;

/// Ops closer together than this (from one to the next) make one marker: a drawing
/// burst is one "change", not hundreds of dots.
pub const GROUP_GAP_MS: i64 = 2_000;

/// A "Board changed" marker on the timeline, at an offset into the recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardMarker {
    pub at_ms: u64,
}

impl BoardMarker {
    /// The marker button's accessible name, in the style of `marker_label`.
    pub fn label(&self) -> String {
        format!("Board changed at {}", clock_ms(self.at_ms))
    }
}

/// The board's starting point and what happened to it during the recording.
#[derive(Debug, Clone)]
pub struct BoardTimeline {
    pub snapshot: BoardSnapshot,
    /// Sorted by (`at`, `rev`).
    ops: Vec<SequencedOp>,
}

impl BoardTimeline {
    pub fn new(snapshot: BoardSnapshot, mut ops: Vec<SequencedOp>) -> Self {
        // Ops the snapshot already holds would be no-ops; dropping them keeps the
        // markers honest.
        ops.retain(|op| op.rev > snapshot.rev);
        ops.sort_by(|a, b| a.at.cmp(&b.at).then(a.rev.cmp(&b.rev)));
        ops.dedup_by_key(|op| op.rev);
        BoardTimeline { snapshot, ops }
    }

    #[cfg(test)]
    pub fn ops(&self) -> &[SequencedOp] {
        &self.ops
    }

    /// How many ops happened at or before `at` (server time).
    pub fn count_at(&self, at: Timestamp) -> usize {
        self.ops.partition_point(|op| op.at <= at)
    }

    /// Markers for the ops inside the recording (`started_at` ..= its end, when known),
    /// grouped by `GROUP_GAP_MS`, each at its group's first op.
    pub fn markers(&self, started_at: Timestamp, duration_ms: Option<u64>) -> Vec<BoardMarker> {
        let end = duration_ms.map(|d| started_at.saturating_add(d as i64));
        let mut markers = Vec::new();
        let mut previous: Option<Timestamp> = None;
        for op in &self.ops {
            if op.at < started_at || end.is_some_and(|end| op.at > end) {
                continue;
            }
            if previous.is_none_or(|p| op.at - p > GROUP_GAP_MS) {
                markers.push(BoardMarker {
                    at_ms: (op.at - started_at) as u64,
                });
            }
            previous = Some(op.at);
        }
        markers
    }
}

/// Steps a board (kept by the caller, e.g. in a signal) between playback positions:
/// playing forward applies only the new ops.
#[derive(Debug, Clone, Default)]
pub struct Replayer {
    /// How many of the timeline's ops the state holds.
    applied: usize,
}

impl Replayer {
    /// The board when the recording starts.
    pub fn start(timeline: &BoardTimeline) -> (Replayer, BoardState) {
        (
            Replayer::default(),
            BoardState::from_snapshot(&timeline.snapshot),
        )
    }

    #[cfg(test)]
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// Moves `state` to "the first `count` ops applied". Returns whether it changed.
    pub fn seek(&mut self, state: &mut BoardState, timeline: &BoardTimeline, count: usize) -> bool {
        let count = count.min(timeline.ops.len());
        if count == self.applied {
            return false;
        }
        if count > self.applied {
            for op in &timeline.ops[self.applied..count] {
                state.apply(op);
            }
        } else {
            // Last-write-wins cannot be un-applied: start again from the snapshot.
            *state = BoardState::replay(Some(&timeline.snapshot), &timeline.ops[..count]);
        }
        self.applied = count;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::{BoardOp, ElementPatch, Page, PageEntry};
    use tandem_protocol::test_support::{rect, PAGE};
    use uuid::Uuid;

    const START: Timestamp = 1_700_000_000_000;

    fn page() -> Page {
        Page {
            id: PAGE,
            name: "Page 1".into(),
            order: 1.0,
        }
    }

    fn snapshot() -> BoardSnapshot {
        BoardSnapshot {
            rev: 1,
            at: START - 10_000,
            pages: vec![PageEntry {
                page: page(),
                deleted: false,
            }],
            elements: vec![],
        }
    }

    fn op(rev: i64, at: Timestamp, op: BoardOp) -> SequencedOp {
        SequencedOp {
            rev,
            at,
            op_id: Uuid::from_u128(rev as u128),
            author: None,
            op,
        }
    }

    /// Adds at +1 s, +2.5 s, +4 s (one burst), a move at +10 s, a delete at +30 s.
    fn ops() -> Vec<SequencedOp> {
        let add = |n| BoardOp::AddElement {
            element: rect(n, 0.0, 0.0, 10.0, 10.0),
        };
        vec![
            op(2, START + 1_000, add(1)),
            op(3, START + 2_500, add(2)),
            op(4, START + 4_000, add(3)),
            op(
                5,
                START + 10_000,
                BoardOp::UpdateElement {
                    id: Uuid::from_u128(1),
                    version: 2,
                    patch: ElementPatch {
                        x: Some(50.0),
                        ..Default::default()
                    },
                },
            ),
            op(
                6,
                START + 30_000,
                BoardOp::DeleteElement {
                    id: Uuid::from_u128(2),
                    version: 3,
                },
            ),
        ]
    }

    #[test]
    fn markers_group_bursts_and_stay_inside_the_recording() {
        let timeline = BoardTimeline::new(snapshot(), ops());
        let markers = timeline.markers(START, Some(20_000));
        assert_eq!(
            markers,
            [BoardMarker { at_ms: 1_000 }, BoardMarker { at_ms: 10_000 }]
        );
        assert_eq!(markers[1].label(), "Board changed at 0:10");
        // Unknown duration: everything after the start counts.
        assert_eq!(timeline.markers(START, None).len(), 3);
        // Ops before the recording started make no marker.
        assert_eq!(
            timeline.markers(START + 5_000, None),
            [BoardMarker { at_ms: 5_000 }, BoardMarker { at_ms: 25_000 }]
        );
    }

    #[test]
    fn the_ops_before_a_position_are_a_prefix_even_if_they_came_out_of_order() {
        let mut shuffled = ops();
        shuffled.reverse();
        // The snapshot already holds rev 1; a duplicate is ignored.
        shuffled.push(op(1, START - 10_000, BoardOp::AddPage { page: page() }));
        shuffled.push(ops()[0].clone());
        let timeline = BoardTimeline::new(snapshot(), shuffled);
        assert_eq!(
            timeline.ops().iter().map(|o| o.rev).collect::<Vec<_>>(),
            [2, 3, 4, 5, 6]
        );
        assert_eq!(timeline.count_at(START), 0);
        assert_eq!(timeline.count_at(START + 2_500), 2);
        assert_eq!(timeline.count_at(START + 9_999), 3);
        assert_eq!(timeline.count_at(START + 60_000), 5);
    }

    #[test]
    fn stepping_forward_and_seeking_back_match_state_at_time() {
        let timeline = BoardTimeline::new(snapshot(), ops());
        let (mut replayer, mut state) = Replayer::start(&timeline);
        // Forward, back, forward again: every position equals a fresh at_time.
        for offset in [0, 1_000, 3_000, 10_000, 31_000, 2_000, 12_000, 0, 40_000] {
            let at = START + offset;
            replayer.seek(&mut state, &timeline, timeline.count_at(at));
            let expected = BoardState::at_time(Some(&timeline.snapshot), timeline.ops(), at);
            assert_eq!(state.snapshot(), expected.snapshot(), "at +{offset} ms");
        }
        assert_eq!(replayer.applied(), 5);
        assert!(
            !replayer.seek(&mut state, &timeline, 99),
            "past the end stays at the end"
        );
        assert_eq!(
            state.element_count(),
            2,
            "two rectangles left after the delete"
        );
    }
}
