//! Each connection's queue of board notices, filled by the board rooms and drained by
//! the connection's task into its socket.
//!
//! The queue is bounded so one slow client cannot make the server buffer without
//! limit. Applied ops must not be lost, though: when a durable notice does not fit,
//! the room drops the subscription and the connection is told `Resync` for that board
//! (after what is already queued), so the client re-opens it with `since` and catches
//! up. Ephemeral notices (pointers, peers leaving) are simply dropped when full.

use std::sync::{Arc, Mutex};

use tandem_protocol::boards::{BoardId, BoardNotice};
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, Notify};

/// Notices a connection may have queued before it counts as lagging.
pub const MAILBOX_CAPACITY: usize = 1024;

#[derive(Default)]
struct Lagged {
    boards: Mutex<Vec<BoardId>>,
    wake: Notify,
}

impl Lagged {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<BoardId>> {
        self.boards.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The sending side, kept by every room the connection has a board open in.
#[derive(Clone)]
pub struct Mailbox {
    tx: mpsc::Sender<BoardNotice>,
    lagged: Arc<Lagged>,
}

/// The receiving side, owned by the connection's task.
pub struct Inbox {
    rx: mpsc::Receiver<BoardNotice>,
    lagged: Arc<Lagged>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Queued,
    /// The queue was full: the connection will be told to resync this board.
    Lagged,
    /// The connection is gone.
    Gone,
}

pub fn mailbox() -> (Mailbox, Inbox) {
    with_capacity(MAILBOX_CAPACITY)
}

pub fn with_capacity(capacity: usize) -> (Mailbox, Inbox) {
    let (tx, rx) = mpsc::channel(capacity.max(1));
    let lagged = Arc::new(Lagged::default());
    (
        Mailbox {
            tx,
            lagged: lagged.clone(),
        },
        Inbox { rx, lagged },
    )
}

impl Mailbox {
    /// Queues a notice that must not be lost. On `Lagged` the caller must stop
    /// sending this board's notices to the connection (it unsubscribes it).
    pub fn deliver(&self, board_id: BoardId, notice: BoardNotice) -> Delivery {
        match self.tx.try_send(notice) {
            Ok(()) => Delivery::Queued,
            Err(TrySendError::Full(_)) => {
                let mut boards = self.lagged.lock();
                if !boards.contains(&board_id) {
                    boards.push(board_id);
                }
                drop(boards);
                self.lagged.wake.notify_one();
                Delivery::Lagged
            }
            Err(TrySendError::Closed(_)) => Delivery::Gone,
        }
    }

    /// Queues an ephemeral notice if there is room; `false` if the connection is gone.
    pub fn offer(&self, notice: BoardNotice) -> bool {
        !matches!(self.tx.try_send(notice), Err(TrySendError::Closed(_)))
    }
}

impl Inbox {
    /// The next notice: queued ones first, then a `Resync` for each board that did
    /// not fit. Cancel-safe (used in `select!`).
    pub async fn next(&mut self) -> BoardNotice {
        loop {
            if let Ok(notice) = self.rx.try_recv() {
                return notice;
            }
            let lagging = {
                let mut boards = self.lagged.lock();
                (!boards.is_empty()).then(|| boards.remove(0))
            };
            if let Some(board_id) = lagging {
                return BoardNotice::Resync { board_id };
            }
            tokio::select! {
                received = self.rx.recv() => match received {
                    Some(notice) => return notice,
                    // Every sender is gone: only resyncs could still come (none will).
                    None => self.lagged.wake.notified().await,
                },
                () = self.lagged.wake.notified() => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn peer_left(n: u128) -> BoardNotice {
        BoardNotice::PeerLeft {
            board_id: Uuid::from_u128(1),
            connection_id: Uuid::from_u128(n),
        }
    }

    #[tokio::test]
    async fn a_full_mailbox_turns_into_resync_after_what_was_queued() {
        let board = Uuid::from_u128(1);
        let (mailbox, mut inbox) = with_capacity(2);
        assert_eq!(mailbox.deliver(board, peer_left(1)), Delivery::Queued);
        assert_eq!(mailbox.deliver(board, peer_left(2)), Delivery::Queued);
        assert_eq!(mailbox.deliver(board, peer_left(3)), Delivery::Lagged);
        assert_eq!(mailbox.deliver(board, peer_left(4)), Delivery::Lagged);
        // Ephemeral notices are dropped, not flagged.
        assert!(mailbox.offer(peer_left(5)));
        assert_eq!(inbox.next().await, peer_left(1));
        assert_eq!(inbox.next().await, peer_left(2));
        // One resync per lagging board, however many notices did not fit.
        assert_eq!(inbox.next().await, BoardNotice::Resync { board_id: board });
        let more = tokio::time::timeout(std::time::Duration::from_millis(50), inbox.next()).await;
        assert!(more.is_err(), "nothing else is queued");
    }

    #[tokio::test]
    async fn a_gone_connection_is_reported() {
        let (mailbox, inbox) = with_capacity(2);
        drop(inbox);
        assert_eq!(mailbox.deliver(Uuid::nil(), peer_left(1)), Delivery::Gone);
        assert!(!mailbox.offer(peer_left(1)));
    }
}
