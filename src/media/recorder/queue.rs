//! The upload queue: which chunk to send next, what to do when a send fails, when to
//! finish. Pure state machine, unit-tested natively; the uploader executes its steps.
//!
//! * Chunks are numbered from 0 in recording order and sent strictly in that order,
//!   one at a time (the server appends them; it refuses gaps).
//! * An ack carries the server's `next_index`: every chunk below it is stored and
//!   can be forgotten (also from the local store).
//! * No answer (offline, 5xx, 429): the same chunk again after a phased backoff
//!   (1 s, 2 s, 5 s, 10 s, then every 20 s), forever — the chunks are kept locally,
//!   so waiting costs nothing.
//! * 409 "Expected chunk N": ask the server where it is (`Resync`), drop what it
//!   already has, continue from there. A gap we cannot fill (the server wants a chunk
//!   we no longer have) ends the upload early: finish with what the server has.
//! * 422 (checksum): recompute and resend, up to [`MAX_CHECKSUM_RETRIES`] times.
//! * Any other refusal (403, 404, 410 …) stops the upload with the server's text.
//! * After the recorder closed and everything is acked: `Finish`.

use std::collections::BTreeSet;

use crate::media::backoff::Backoff;

pub const MAX_CHECKSUM_RETRIES: u32 = 3;
/// Conflicts in a row that resyncing did not fix.
pub const MAX_CONFLICTS: u32 = 5;

/// What happened to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored; the server expects `next_index` next.
    Acked { next_index: u32 },
    /// No (usable) answer: offline, timeout, 5xx, 429.
    Network,
    /// 409: not the chunk the server expects.
    OutOfOrder,
    /// 422: the checksum did not match the bytes.
    BadChecksum,
    /// Refused for good (not allowed, recording gone …), with the text to show.
    Rejected(String),
}

/// What the uploader should do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Upload chunk `index`, then report with [`ChunkQueue::on_sent`].
    Send(u32),
    /// Sleep this long, then ask again.
    Wait(u32),
    /// `GET …/upload`, then [`ChunkQueue::on_resync`] (or `on_resync_failed`).
    Resync,
    /// Everything is stored and no more chunks will come: `POST …/finish`, then
    /// [`ChunkQueue::on_finish`].
    Finish,
    /// Nothing to send until a chunk is pushed or the queue is closed.
    Idle,
    Done,
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct ChunkQueue {
    pending: BTreeSet<u32>,
    next_new: u32,
    closed: bool,
    wait_ms: Option<u32>,
    network_failures: u32,
    checksum_failures: u32,
    conflicts: u32,
    resync: bool,
    finished: bool,
    /// Some recorded data could not be uploaded (a gap); what the server has is kept.
    lost: bool,
    failed: Option<String>,
    backoff: Backoff,
}

impl Default for ChunkQueue {
    fn default() -> Self {
        ChunkQueue::new()
    }
}

impl ChunkQueue {
    /// A new recording: chunks will be pushed as they are recorded.
    pub fn new() -> ChunkQueue {
        ChunkQueue {
            pending: BTreeSet::new(),
            next_new: 0,
            closed: false,
            wait_ms: None,
            network_failures: 0,
            checksum_failures: 0,
            conflicts: 0,
            resync: false,
            finished: false,
            lost: false,
            failed: None,
            backoff: Backoff::new(vec![1_000, 2_000, 5_000, 10_000, 20_000], u32::MAX),
        }
    }

    /// After a reload: the chunks found in the local store. The recorder is gone, so
    /// the queue is closed; it starts by asking the server where it is.
    pub fn resume(indices: impl IntoIterator<Item = u32>) -> ChunkQueue {
        let mut q = ChunkQueue::new();
        q.pending.extend(indices);
        q.next_new = q.pending.last().map_or(0, |i| i + 1);
        q.closed = true;
        q.resync = true;
        q
    }

    /// A chunk was recorded: its index.
    pub fn push(&mut self) -> u32 {
        let i = self.next_new;
        self.next_new += 1;
        self.pending.insert(i);
        i
    }

    /// The recorder stopped: no more chunks.
    pub fn close(&mut self) {
        self.closed = true;
    }

    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    pub fn recorded(&self) -> u32 {
        self.next_new
    }

    pub fn is_closed(&self) -> bool {
        self.closed
    }

    pub fn lost_data(&self) -> bool {
        self.lost
    }

    /// Whether the last attempt failed for lack of a connection (for "retrying" text).
    pub fn retrying(&self) -> bool {
        self.network_failures > 0
    }

    pub fn next_step(&mut self) -> Step {
        if let Some(msg) = &self.failed {
            return Step::Failed(msg.clone());
        }
        if self.finished {
            return Step::Done;
        }
        if let Some(ms) = self.wait_ms.take() {
            return Step::Wait(ms);
        }
        if self.resync {
            return Step::Resync;
        }
        if let Some(first) = self.pending.first() {
            return Step::Send(*first);
        }
        if self.closed {
            Step::Finish
        } else {
            Step::Idle
        }
    }

    /// The result of sending chunk `index`; returns the chunks now safe to forget.
    pub fn on_sent(&mut self, index: u32, outcome: Outcome) -> Vec<u32> {
        match outcome {
            Outcome::Acked { next_index } => {
                self.network_failures = 0;
                self.checksum_failures = 0;
                self.conflicts = 0;
                let mut done = self.drop_below(next_index);
                if self.pending.remove(&index) {
                    done.push(index);
                }
                done
            }
            Outcome::Network => {
                self.retry_later();
                Vec::new()
            }
            Outcome::OutOfOrder => {
                self.conflicts += 1;
                if self.conflicts > MAX_CONFLICTS {
                    self.failed = Some("The server kept refusing the recording's chunks.".into());
                } else {
                    self.resync = true;
                }
                Vec::new()
            }
            Outcome::BadChecksum => {
                self.checksum_failures += 1;
                if self.checksum_failures > MAX_CHECKSUM_RETRIES {
                    self.failed = Some(
                        "A part of the recording was damaged and could not be uploaded.".into(),
                    );
                }
                Vec::new()
            }
            Outcome::Rejected(msg) => {
                self.failed = Some(msg);
                Vec::new()
            }
        }
    }

    /// The server's `next_index`; returns the chunks to forget (already stored, or
    /// unsendable after a gap).
    pub fn on_resync(&mut self, next_index: u32) -> Vec<u32> {
        self.resync = false;
        self.network_failures = 0;
        let mut done = self.drop_below(next_index);
        if self
            .pending
            .first()
            .is_some_and(|first| *first > next_index)
        {
            // The server wants a chunk we no longer have: nothing after it can be
            // appended. Keep what the server has.
            self.lost = true;
            done.extend(std::mem::take(&mut self.pending));
            self.closed = true;
        }
        done
    }

    /// Chunk `index` cannot be read back (lost from the local store): ask the
    /// server where it is; the gap then finishes with what it has.
    pub fn on_missing(&mut self, index: u32) {
        self.pending.remove(&index);
        self.lost = true;
        self.resync = true;
    }

    /// The server already finalised the recording (e.g. as `incomplete` after the
    /// tab died): nothing more can be appended. Returns the chunks to forget.
    pub fn on_already_final(&mut self) -> Vec<u32> {
        self.resync = false;
        self.closed = true;
        self.finished = true;
        if !self.pending.is_empty() {
            self.lost = true;
        }
        std::mem::take(&mut self.pending).into_iter().collect()
    }

    pub fn on_resync_failed(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Rejected(msg) => self.failed = Some(msg),
            _ => self.retry_later(),
        }
    }

    /// The result of `POST …/finish`.
    pub fn on_finish(&mut self, outcome: Result<(), Outcome>) {
        match outcome {
            Ok(()) => self.finished = true,
            Err(Outcome::Rejected(msg)) => self.failed = Some(msg),
            Err(Outcome::OutOfOrder) => self.resync = true,
            Err(_) => self.retry_later(),
        }
    }

    fn retry_later(&mut self) {
        self.network_failures += 1;
        self.wait_ms = Some(
            self.backoff
                .delay_ms(self.network_failures)
                .unwrap_or(20_000),
        );
    }

    fn drop_below(&mut self, next_index: u32) -> Vec<u32> {
        let keep = self.pending.split_off(&next_index);
        let done: Vec<u32> = std::mem::replace(&mut self.pending, keep)
            .into_iter()
            .collect();
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_in_order_and_finishes_after_close() {
        let mut q = ChunkQueue::new();
        assert_eq!(q.next_step(), Step::Idle);
        assert_eq!(q.push(), 0);
        assert_eq!(q.push(), 1);
        assert_eq!(q.next_step(), Step::Send(0));
        assert_eq!(q.on_sent(0, Outcome::Acked { next_index: 1 }), vec![0]);
        assert_eq!(q.next_step(), Step::Send(1));
        assert_eq!(q.on_sent(1, Outcome::Acked { next_index: 2 }), vec![1]);
        assert_eq!(q.next_step(), Step::Idle);
        q.close();
        assert_eq!(q.next_step(), Step::Finish);
        q.on_finish(Ok(()));
        assert_eq!(q.next_step(), Step::Done);
    }

    #[test]
    fn network_failures_back_off_in_phases_and_keep_the_order() {
        let mut q = ChunkQueue::new();
        q.push();
        q.push();
        let mut waits = Vec::new();
        for _ in 0..7 {
            assert_eq!(q.next_step(), Step::Send(0));
            q.on_sent(0, Outcome::Network);
            assert!(q.retrying());
            match q.next_step() {
                Step::Wait(ms) => waits.push(ms),
                other => panic!("expected a wait, got {other:?}"),
            }
        }
        assert_eq!(
            waits,
            vec![1_000, 2_000, 5_000, 10_000, 20_000, 20_000, 20_000]
        );
        // Never skips ahead to chunk 1 and never gives up.
        assert_eq!(q.next_step(), Step::Send(0));
        q.on_sent(0, Outcome::Acked { next_index: 1 });
        assert!(!q.retrying());
        assert_eq!(q.next_step(), Step::Send(1));
        q.on_sent(1, Outcome::Network);
        assert_eq!(
            q.next_step(),
            Step::Wait(1_000),
            "backoff restarts after a success"
        );
    }

    #[test]
    fn conflict_resyncs_and_drops_what_the_server_has() {
        let mut q = ChunkQueue::new();
        for _ in 0..4 {
            q.push();
        }
        // The ack for 0 and 1 was lost; the server already has them.
        assert_eq!(q.next_step(), Step::Send(0));
        q.on_sent(0, Outcome::OutOfOrder);
        assert_eq!(q.next_step(), Step::Resync);
        assert_eq!(q.on_resync(2), vec![0, 1]);
        assert_eq!(q.next_step(), Step::Send(2));
        assert_eq!(q.pending(), 2);
    }

    #[test]
    fn an_ack_can_cover_earlier_chunks() {
        let mut q = ChunkQueue::new();
        for _ in 0..3 {
            q.push();
        }
        assert_eq!(q.on_sent(0, Outcome::Acked { next_index: 2 }), vec![0, 1]);
        assert_eq!(q.next_step(), Step::Send(2));
    }

    #[test]
    fn a_gap_finishes_with_what_the_server_has() {
        let mut q = ChunkQueue::resume([5, 6]);
        assert_eq!(q.next_step(), Step::Resync);
        assert_eq!(q.on_resync(3), vec![5, 6]);
        assert!(q.lost_data());
        assert_eq!(q.next_step(), Step::Finish);
    }

    #[test]
    fn resume_continues_after_the_stored_chunks() {
        let mut q = ChunkQueue::resume([2, 3, 4]);
        assert!(q.is_closed());
        assert_eq!(q.recorded(), 5);
        assert_eq!(q.next_step(), Step::Resync);
        q.on_resync_failed(Outcome::Network);
        assert_eq!(q.next_step(), Step::Wait(1_000));
        assert_eq!(q.next_step(), Step::Resync);
        assert_eq!(q.on_resync(3), vec![2]);
        assert_eq!(q.next_step(), Step::Send(3));
        q.on_sent(3, Outcome::Acked { next_index: 4 });
        q.on_sent(4, Outcome::Acked { next_index: 5 });
        assert_eq!(q.next_step(), Step::Finish);
        q.on_finish(Err(Outcome::Network));
        assert_eq!(q.next_step(), Step::Wait(1_000));
        assert_eq!(q.next_step(), Step::Finish);
    }

    #[test]
    fn a_missing_chunk_resyncs_and_finishes_early() {
        let mut q = ChunkQueue::resume([0, 1]);
        assert_eq!(q.on_resync(0), Vec::<u32>::new());
        assert_eq!(q.next_step(), Step::Send(0));
        q.on_missing(0);
        assert_eq!(q.next_step(), Step::Resync);
        assert_eq!(q.on_resync(0), vec![1]);
        assert!(q.lost_data());
        assert_eq!(q.next_step(), Step::Finish);
    }

    #[test]
    fn a_finalised_recording_takes_nothing_more() {
        let mut q = ChunkQueue::resume([4]);
        assert_eq!(q.on_already_final(), vec![4]);
        assert_eq!(q.next_step(), Step::Done);
    }

    #[test]
    fn checksum_errors_retry_then_fail() {
        let mut q = ChunkQueue::new();
        q.push();
        for _ in 0..MAX_CHECKSUM_RETRIES {
            assert_eq!(q.next_step(), Step::Send(0));
            q.on_sent(0, Outcome::BadChecksum);
        }
        assert_eq!(q.next_step(), Step::Send(0));
        q.on_sent(0, Outcome::BadChecksum);
        assert!(matches!(q.next_step(), Step::Failed(_)));
    }

    #[test]
    fn refusals_stop_the_upload() {
        let mut q = ChunkQueue::new();
        q.push();
        q.on_sent(0, Outcome::Rejected("Recording not found.".into()));
        assert_eq!(q.next_step(), Step::Failed("Recording not found.".into()));
    }

    #[test]
    fn endless_conflicts_give_up() {
        let mut q = ChunkQueue::new();
        q.push();
        for _ in 0..=MAX_CONFLICTS {
            q.on_sent(0, Outcome::OutOfOrder);
            if q.next_step() == Step::Resync {
                q.on_resync(0);
            }
        }
        assert!(matches!(q.next_step(), Step::Failed(_)));
    }
}
