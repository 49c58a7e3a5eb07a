//! Builders for tests: whiteboard elements, chat messages, decision proposals and
//! planned meetings with
//! plain defaults, so a test spells out only the fields it is about.
//!
//! Compiled for this crate's own tests and, through the `test-support` feature, for
//! other crates' tests: they enable it under `[dev-dependencies]`, which (resolver 2)
//! never turns it on in a normal or wasm build.
//!
//! Ids are small numbers (`id(7)`). Vary a field with the `with_*` methods on
//! [`Element`] or with struct update syntax:
//! `Message { pinned: true, ..message(3, "hi") }`.

use uuid::Uuid;

use crate::boards::{Element, ElementKind, PageId, Point};
use crate::chat::{ChannelId, Message};
use crate::decisions::{Proposal, ProposalState, Vote, VoteEntry};
use crate::meeting_plans::ScheduledMeeting;
use crate::{Timestamp, UserId};

/// The page elements are on unless a test moves them (`on_page`).
pub const PAGE: PageId = Uuid::from_u128(100);
/// The channel messages and proposals are in.
pub const CHANNEL: ChannelId = Uuid::from_u128(200);
/// Who wrote the messages and made (and owns) the proposals.
pub const AUTHOR: UserId = Uuid::from_u128(1);

/// The id tests write as a small number.
pub const fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn pt(x: f64, y: f64) -> Point {
    Point { x, y }
}

/// Element `id(n)` of `kind` with the box `(x, y, width, height)` on [`PAGE`], drawn at
/// `z = n` (so later numbers are on top): a 2-px near-black pen, no fill, no points, no
/// text.
pub fn element(n: u128, kind: ElementKind, x: f64, y: f64, width: f64, height: f64) -> Element {
    Element {
        id: id(n),
        page_id: PAGE,
        kind,
        x,
        y,
        width,
        height,
        points: Vec::new(),
        text: String::new(),
        stroke: "#1e1e1e".into(),
        fill: String::new(),
        stroke_width: 2.0,
        z: n as f64,
    }
}

/// A rectangle: [`element`] of kind `Rectangle`.
pub fn rect(n: u128, x: f64, y: f64, width: f64, height: f64) -> Element {
    element(n, ElementKind::Rectangle, x, y, width, height)
}

impl Element {
    pub fn on_page(mut self, page_id: PageId) -> Self {
        self.page_id = page_id;
        self
    }

    pub fn with_z(mut self, z: f64) -> Self {
        self.z = z;
        self
    }

    /// Points relative to `(x, y)` (strokes, lines, arrows).
    pub fn with_points(mut self, points: Vec<Point>) -> Self {
        self.points = points;
        self
    }

    pub fn with_text(mut self, text: &str) -> Self {
        self.text = text.into();
        self
    }
}

/// Message number `seq` (id `id(seq)`, created at `seq`) in [`CHANNEL`] by [`AUTHOR`]:
/// not in a thread, not edited, no reactions, files or mentions, default urgency.
pub fn message(seq: i64, body: &str) -> Message {
    Message {
        id: id(seq as u128),
        channel_id: CHANNEL,
        seq,
        author_id: AUTHOR,
        body: body.into(),
        created_at: seq,
        edited_at: None,
        deleted: false,
        thread_root_id: None,
        also_in_channel: false,
        reply_count: 0,
        last_reply_at: None,
        reactions: Vec::new(),
        pinned: false,
        attachments: Vec::new(),
        mentions: Vec::new(),
        mentions_channel: false,
        meeting_id: None,
        recording_id: None,
        urgency: Default::default(),
        summary_meeting_id: None,
    }
}

/// "Ship it?" in `state`, made and owned by [`AUTHOR`] at 0 under message `id(1)` in
/// [`CHANNEL`], its window closing at 1 000, with these votes: `(voter n, vote)`, each
/// at 0 without a reason. Not decided.
pub fn proposal(state: ProposalState, votes: &[(u128, Vote)]) -> Proposal {
    Proposal {
        id: id(1),
        channel_id: CHANNEL,
        message_id: id(1),
        question: "Ship it?".into(),
        owner_id: AUTHOR,
        created_by: AUTHOR,
        created_at: 0,
        deadline: 1_000,
        state,
        votes: votes
            .iter()
            .map(|&(voter, vote)| VoteEntry {
                user_id: id(voter),
                vote,
                reason: String::new(),
                at: 0,
            })
            .collect(),
        decision: None,
        decided_at: None,
        decided_in: None,
        meeting_id: None,
    }
}

/// Planned meeting `id(n)`, "Plan", from `start_at` to `end_at` in [`CHANNEL`], organised
/// by [`AUTHOR`] with nobody else invited, no conflicts, not started.
pub fn planned_meeting(n: u128, start_at: Timestamp, end_at: Timestamp) -> ScheduledMeeting {
    ScheduledMeeting {
        id: id(n),
        channel_id: CHANNEL,
        title: "Plan".into(),
        organiser_id: AUTHOR,
        participant_ids: Vec::new(),
        start_at,
        end_at,
        outside_hours: Vec::new(),
        focus_conflicts: Vec::new(),
        meeting_id: None,
    }
}
