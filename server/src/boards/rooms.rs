//! Boards someone has open, in memory: each room holds the board's current state (a
//! `BoardState` loaded from the newest snapshot plus the ops after it) and who has it
//! open. A room exists while it has subscribers.
//!
//! Everything that changes a room happens under its async lock, which is also the
//! board's sequencing lock: the next rev is taken, the op stored and committed, applied
//! to the state and queued to every subscriber (the sender too) before the next op
//! can start, so every subscriber sees `Applied` in rev order with no gaps. `Open`
//! registers the connection and reads what to send under the same lock, so no op can
//! fall between the two.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use tandem_protocol::boards::{
    BoardId, BoardNotice, BoardOp, BoardPeer, BoardRev, PageId, SequencedOp, Viewport,
    MAX_COORDINATE,
};
use tandem_protocol::chat::ChannelId;
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::{ApiError, ErrorCode, UserId};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};
use uuid::Uuid;

use super::access::{guest_still_in_meeting, meeting_over, no_board, read_only};
use super::mailbox::{Delivery, Mailbox};
use super::{checks, history, MAX_OPS_SINCE};
use crate::db::{boards, channels};
use crate::error::{AppError, AppResult};
use crate::meetings::GuestScope;
use crate::state::AppState;

/// A connection with the board open.
pub struct Subscriber {
    pub peer: BoardPeer,
    pub may_edit: bool,
    /// The read-only link it came through: revoking the link closes the board for it.
    pub via_link: Option<Uuid>,
    pub mailbox: Mailbox,
}

/// A connection asking to change a board.
#[derive(Clone, Copy)]
pub struct Editor<'a> {
    pub connection_id: Uuid,
    pub user_id: UserId,
    /// Set for a guest, who is in no channel: they draw on their meeting's board only.
    pub guest: Option<&'a GuestScope>,
}

/// Where someone points, as `BoardRequest::Pointer` carries it.
#[derive(Debug, Clone, Copy)]
pub struct Pointer {
    pub page_id: PageId,
    pub x: f64,
    pub y: f64,
    pub viewport: Option<Viewport>,
}

struct Open {
    board: tandem_board::BoardState,
    channel_id: ChannelId,
    /// Set for a meeting's board: the meeting whose guests may draw on it.
    meeting_id: Option<MeetingId>,
    subscribers: Vec<Subscriber>,
}

#[derive(Default)]
struct Slot {
    /// `None` until the first opener loaded the board.
    open: Option<Open>,
    /// Emptied and out of the map: whoever waited for its lock must take a new room.
    retired: bool,
}

struct Room {
    slot: Arc<AsyncMutex<Slot>>,
    /// The newest snapshot's rev, to know when to ask for the next one.
    snapshot_rev: AtomicI64,
}

struct Locked {
    room: Arc<Room>,
    slot: OwnedMutexGuard<Slot>,
}

fn not_open() -> AppError {
    AppError::not_found("Open the board first.")
}

/// Every open board, by id.
#[derive(Default)]
pub struct Rooms {
    map: Mutex<HashMap<BoardId, Arc<Room>>>,
}

impl Rooms {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<BoardId, Arc<Room>>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn get(&self, id: BoardId) -> Option<Arc<Room>> {
        self.map().get(&id).cloned()
    }

    fn get_or_insert(&self, id: BoardId) -> Arc<Room> {
        self.map()
            .entry(id)
            .or_insert_with(|| {
                Arc::new(Room {
                    slot: Arc::default(),
                    snapshot_rev: AtomicI64::new(0),
                })
            })
            .clone()
    }

    /// How many boards are open (for tests and diagnostics).
    pub fn open_count(&self) -> usize {
        self.map().len()
    }

    /// Retires the room if nobody has it open. Called with its lock held, so nobody
    /// can subscribe in between.
    fn release(&self, id: BoardId, locked: &mut Locked) {
        let empty = locked
            .slot
            .open
            .as_ref()
            .is_none_or(|open| open.subscribers.is_empty());
        if !empty || locked.slot.retired {
            return;
        }
        locked.slot.retired = true;
        locked.slot.open = None;
        let mut map = self.map();
        if map
            .get(&id)
            .is_some_and(|room| Arc::ptr_eq(room, &locked.room))
        {
            map.remove(&id);
        }
    }

    /// The board's room, locked and loaded (the first opener loads it).
    async fn lock_for_open(&self, state: &AppState, id: BoardId) -> AppResult<Locked> {
        loop {
            let room = self.get_or_insert(id);
            let slot = room.slot.clone().lock_owned().await;
            if slot.retired {
                continue;
            }
            let mut locked = Locked { room, slot };
            if locked.slot.open.is_none() {
                match load(state, id).await {
                    Ok((open, snapshot_rev)) => {
                        locked
                            .room
                            .snapshot_rev
                            .store(snapshot_rev, Ordering::Relaxed);
                        let behind = open.board.rev() - snapshot_rev;
                        locked.slot.open = Some(open);
                        if behind >= snapshot_every(state) {
                            state.boards.compactor.request(id);
                        }
                    }
                    Err(err) => {
                        self.release(id, &mut locked);
                        return Err(err);
                    }
                }
            }
            return Ok(locked);
        }
    }

    /// The room if someone has the board open, locked.
    async fn lock_existing(&self, id: BoardId) -> Option<Locked> {
        let room = self.get(id)?;
        let slot = room.slot.clone().lock_owned().await;
        if slot.retired || slot.open.is_none() {
            return None;
        }
        Some(Locked { room, slot })
    }

    /// Subscribes the connection and answers with `Opened`: with `since` (the client
    /// has the board up to that rev) only the ops after it, if there are at most
    /// `MAX_OPS_SINCE`; otherwise the newest snapshot and the ops after it.
    pub async fn open(
        &self,
        state: &AppState,
        id: BoardId,
        subscriber: Subscriber,
        since: Option<BoardRev>,
    ) -> AppResult<BoardNotice> {
        let mut locked = self.lock_for_open(state, id).await?;
        let result = open_locked(state, id, &mut locked, subscriber, since).await;
        self.release(id, &mut locked);
        result
    }

    /// Sequences, stores and fans out one op. `Ok(Some(op))` means the op was applied
    /// before (a retry): only the sender is answered, with the stored op.
    pub async fn apply(
        &self,
        state: &AppState,
        editor: Editor<'_>,
        id: BoardId,
        op_id: Uuid,
        op: BoardOp,
    ) -> AppResult<Option<SequencedOp>> {
        let mut locked = self.lock_existing(id).await.ok_or_else(not_open)?;
        let result = apply_locked(state, &mut locked, editor, id, op_id, op).await;
        // Subscribers that fell behind were dropped; the room may be empty now.
        self.release(id, &mut locked);
        result
    }

    /// Relays the connection's pointer to the board's other subscribers.
    pub async fn pointer(&self, id: BoardId, connection_id: Uuid, at: Pointer) -> AppResult<()> {
        let finite = |v: f64| v.is_finite() && v.abs() <= MAX_COORDINATE;
        let view_ok = at.viewport.is_none_or(|v| {
            finite(v.center.x) && finite(v.center.y) && v.zoom.is_finite() && v.zoom > 0.0
        });
        if !(finite(at.x) && finite(at.y) && view_ok) {
            return Err(AppError::Api(ApiError::new(
                ErrorCode::Validation,
                "A pointer needs finite coordinates and a positive zoom.",
            )));
        }
        let locked = self.lock_existing(id).await.ok_or_else(not_open)?;
        let open = locked.slot.open.as_ref().ok_or_else(not_open)?;
        let me = open
            .subscribers
            .iter()
            .find(|s| s.peer.connection_id == connection_id)
            .ok_or_else(not_open)?;
        let notice = BoardNotice::Pointer {
            board_id: id,
            peer: me.peer.clone(),
            page_id: at.page_id,
            x: at.x,
            y: at.y,
            viewport: at.viewport,
        };
        relay(open, Some(connection_id), &notice);
        Ok(())
    }

    /// Unsubscribes the connection (`Close`, or the socket ended); the others are told.
    pub async fn leave(&self, id: BoardId, connection_id: Uuid) {
        self.close_where(id, None, |s| s.peer.connection_id == connection_id)
            .await;
    }

    /// Closes the board for everyone who has it open (it was deleted).
    pub async fn close_all(&self, id: BoardId) {
        let closed = BoardNotice::Closed { board_id: id };
        self.close_where(id, Some(closed), |_| true).await;
    }

    /// Closes the board for those who opened it through this link (it was revoked).
    pub async fn close_link(&self, id: BoardId, link_id: Uuid) {
        let closed = BoardNotice::Closed { board_id: id };
        self.close_where(id, Some(closed), |s| s.via_link == Some(link_id))
            .await;
    }

    /// Removes matching subscribers (telling them `notice`), tells the rest they left.
    async fn close_where(
        &self,
        id: BoardId,
        notice: Option<BoardNotice>,
        matches: impl Fn(&Subscriber) -> bool,
    ) {
        let Some(mut locked) = self.lock_existing(id).await else {
            return;
        };
        if let Some(open) = locked.slot.open.as_mut() {
            let mut gone = Vec::new();
            open.subscribers.retain(|s| {
                if !matches(s) {
                    return true;
                }
                if let Some(notice) = &notice {
                    s.mailbox.deliver(id, notice.clone());
                }
                gone.push(s.peer.connection_id);
                false
            });
            for connection_id in gone {
                relay(
                    open,
                    None,
                    &BoardNotice::PeerLeft {
                        board_id: id,
                        connection_id,
                    },
                );
            }
        }
        self.release(id, &mut locked);
    }

    /// The compactor wrote a snapshot at `rev`.
    pub fn note_snapshot(&self, id: BoardId, rev: BoardRev) {
        if let Some(room) = self.get(id) {
            room.snapshot_rev.fetch_max(rev, Ordering::Relaxed);
        }
    }
}

fn snapshot_every(state: &AppState) -> i64 {
    i64::try_from(state.config.board_snapshot_every).unwrap_or(i64::MAX)
}

/// The board as stored: its channel and its state from the newest snapshot plus the
/// ops after it; with that snapshot's rev.
async fn load(state: &AppState, id: BoardId) -> AppResult<(Open, BoardRev)> {
    let row = boards::find_live(&state.db, id)
        .await?
        .ok_or_else(no_board)?;
    let base = boards::latest_snapshot(&state.db, id).await?;
    let snapshot_rev = base.as_ref().map_or(0, |snapshot| snapshot.rev);
    let board = history::rebuild(&state.db, id, base.as_ref(), None).await?;
    let open = Open {
        board,
        channel_id: row.channel()?,
        meeting_id: row.meeting()?,
        subscribers: Vec::new(),
    };
    Ok((open, snapshot_rev))
}

async fn open_locked(
    state: &AppState,
    id: BoardId,
    locked: &mut Locked,
    subscriber: Subscriber,
    since: Option<BoardRev>,
) -> AppResult<BoardNotice> {
    // A delete closes the room, but this Open may have checked rights just before it.
    let row = boards::find_live(&state.db, id)
        .await?
        .ok_or_else(no_board)?;
    let open = locked.slot.open.as_mut().ok_or_else(no_board)?;
    let me = subscriber.peer.connection_id;
    // Opening again (after `Resync`) replaces the old subscription.
    open.subscribers.retain(|s| s.peer.connection_id != me);
    let rev = open.board.rev();
    let (snapshot, ops) = match since {
        Some(since) if (0..=rev).contains(&since) && rev - since <= MAX_OPS_SINCE => (
            None,
            boards::ops_after(&state.db, id, since, MAX_OPS_SINCE).await?,
        ),
        _ => {
            let snapshot = boards::latest_snapshot(&state.db, id).await?;
            let after = snapshot.as_ref().map_or(0, |s| s.rev);
            let ops = boards::ops_after(&state.db, id, after, i64::MAX).await?;
            (snapshot, ops)
        }
    };
    let peers = open.subscribers.iter().map(|s| s.peer.clone()).collect();
    let may_edit = subscriber.may_edit;
    open.subscribers.push(subscriber);
    let mut board = row.to_board()?;
    board.rev = rev;
    Ok(BoardNotice::Opened {
        board,
        may_edit,
        snapshot,
        ops,
        peers,
    })
}

async fn apply_locked(
    state: &AppState,
    locked: &mut Locked,
    editor: Editor<'_>,
    id: BoardId,
    op_id: Uuid,
    op: BoardOp,
) -> AppResult<Option<SequencedOp>> {
    let open = locked.slot.open.as_mut().ok_or_else(not_open)?;
    let me = open
        .subscribers
        .iter()
        .find(|s| s.peer.connection_id == editor.connection_id)
        .ok_or_else(not_open)?;
    if !me.may_edit {
        return Err(read_only());
    }
    match editor.guest {
        Some(guest) => {
            // Opening checked the meeting; its end is checked per op, because the
            // guest's socket closes only a moment after the meeting ends.
            if open.meeting_id != Some(guest.meeting_id) {
                return Err(read_only());
            }
            if !guest_still_in_meeting(&state.db, guest).await? {
                return Err(meeting_over());
            }
        }
        // Membership as the subscriber index has it now: someone who left the board's
        // channel stops editing at once, even with the board open. A connection open
        // on another node (this node holds the board's room) is not in this index:
        // the database says.
        None => {
            let member = match state
                .subscribers
                .channel_membership(editor.connection_id, open.channel_id)
            {
                Some(member) => member,
                None => channels::is_member(&state.db, open.channel_id, editor.user_id).await?,
            };
            if !member {
                return Err(read_only());
            }
        }
    }
    op.validate()?;
    if let Some(done) = boards::find_op(&state.db, id, op_id).await? {
        return Ok(Some(done));
    }
    checks::check(&open.board, &op)?;
    // Never earlier than the op before: the ops up to a time are then a prefix of the
    // log (state-at-a-time relies on it), even if the clock steps back.
    let at = state.now().max(open.board.at());
    let mut tx = state.db.begin_write().await?;
    let rev = boards::next_rev(&mut *tx, id, at)
        .await?
        .ok_or_else(|| AppError::not_found("This board was deleted."))?;
    let op = SequencedOp {
        rev,
        at,
        op_id,
        author: Some(editor.user_id),
        op,
    };
    boards::insert_op(&mut *tx, id, &op).await?;
    tx.commit().await?;
    if rev == open.board.rev() + 1 {
        open.board.apply(&op);
    } else {
        // Only this room writes ops to an open board; if that ever fails to hold,
        // start again from what is stored rather than drift.
        tracing::warn!(board_id = %id, rev, "board rev out of step; reloading");
        open.board = history::current(&state.db, id).await?;
    }
    broadcast(open, id, &BoardNotice::Applied { board_id: id, op });
    if rev - locked.room.snapshot_rev.load(Ordering::Relaxed) >= snapshot_every(state) {
        state.boards.compactor.request(id);
    }
    Ok(None)
}

/// Queues a durable notice to every subscriber; one whose mailbox is full is dropped
/// from the room (it gets `Resync`) and the others are told it left.
fn broadcast(open: &mut Open, id: BoardId, notice: &BoardNotice) {
    let mut dropped = Vec::new();
    open.subscribers
        .retain(|s| match s.mailbox.deliver(id, notice.clone()) {
            Delivery::Queued => true,
            Delivery::Lagged | Delivery::Gone => {
                dropped.push(s.peer.connection_id);
                false
            }
        });
    for connection_id in dropped {
        relay(
            open,
            None,
            &BoardNotice::PeerLeft {
                board_id: id,
                connection_id,
            },
        );
    }
}

/// Offers an ephemeral notice to every subscriber but `except`.
fn relay(open: &Open, except: Option<Uuid>, notice: &BoardNotice) {
    for s in &open.subscribers {
        if Some(s.peer.connection_id) != except {
            s.mailbox.offer(notice.clone());
        }
    }
}
