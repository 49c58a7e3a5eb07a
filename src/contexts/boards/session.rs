//! One open board: the optimistic replica (`tandem_board::LocalBoard`), my undo
//! history, the people here, and the conversation with the server.
//!
//! Life of a session: `Open` when the socket is live (and again, with `since` = my
//! confirmed rev, after every reconnect or `Resync`); `Opened` gives the state, after
//! which my pending ops are re-sent with their original op ids (the server applies
//! each id once). My ops show at once and are sent as `Apply`; `Applied` notices
//! (mine and others') confirm or add; `Refused` takes mine back and says why.
//! `Close` when the view goes away.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use tandem_board::{BoardState, Change, History, LocalBoard};
use tandem_protocol::boards::{
    Board, BoardId, BoardNotice, BoardOp, BoardRequest, Page, PageId, Point, Viewport,
};
use uuid::Uuid;

use super::BoardHub;
use crate::contexts::realtime::RealtimeContext;
use crate::whiteboard::peers::Peers;
use crate::whiteboard::throttle::{Decision, Throttle};

/// Cursor updates per second, at most (the protocol asks for ~20).
const POINTER_RATE: f64 = 20.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Loading,
    Ready,
    /// `Closed`: the board was deleted or access to it ended.
    Deleted,
    /// Opening was refused (not found, forbidden, expired link).
    Failed(String),
}

/// What the view hears after the board changed.
pub enum SessionEvent<'a> {
    /// Everything may have changed (opened, or re-opened with a snapshot).
    Reset,
    Changed(&'a [Change]),
}

type ViewListener = Rc<dyn Fn(&SessionEvent)>;

struct Inner {
    local: LocalBoard,
    history: History,
    loaded: bool,
    listeners: Vec<ViewListener>,
    throttle: Throttle,
    /// The newest cursor position, waiting for the throttle.
    pointer: Option<BoardRequest>,
}

#[derive(Clone, Copy)]
pub struct BoardSession {
    pub board_id: BoardId,
    pub status: RwSignal<Status>,
    pub board: RwSignal<Option<Board>>,
    pub may_edit: RwSignal<bool>,
    /// The last refusal, for a `role="alert"`.
    pub alert: RwSignal<Option<String>>,
    pub peers: RwSignal<Peers>,
    /// Live pages in order.
    pub pages: RwSignal<Vec<Page>>,
    pub can_undo: RwSignal<bool>,
    pub can_redo: RwSignal<bool>,
    inner: StoredValue<Rc<RefCell<Inner>>, LocalStorage>,
    link_token: StoredValue<Option<String>>,
    rt: RealtimeContext,
    tag: StoredValue<u64>,
}

impl BoardSession {
    /// Opens `board_id` for a view; closes it again when the calling owner (the view)
    /// is cleaned up.
    pub fn open(
        hub: BoardHub,
        rt: RealtimeContext,
        board_id: BoardId,
        link_token: Option<String>,
    ) -> BoardSession {
        let session = BoardSession {
            board_id,
            status: RwSignal::new(Status::Loading),
            board: RwSignal::new(None),
            may_edit: RwSignal::new(false),
            alert: RwSignal::new(None),
            peers: RwSignal::new(Peers::default()),
            pages: RwSignal::new(Vec::new()),
            can_undo: RwSignal::new(false),
            can_redo: RwSignal::new(false),
            inner: StoredValue::new_local(Rc::new(RefCell::new(Inner {
                local: LocalBoard::new(BoardState::new()),
                history: History::new(),
                loaded: false,
                listeners: Vec::new(),
                throttle: Throttle::new(POINTER_RATE),
                pointer: None,
            }))),
            link_token: StoredValue::new(link_token),
            rt,
            tag: StoredValue::new(0),
        };
        hub.attach(rt);
        let tag = hub.register(board_id, move |notice| session.receive(notice));
        session.tag.set_value(tag);

        // Open whenever the connection becomes live: at first, and after reconnects.
        let was_open = StoredValue::new(false);
        Effect::new(move |_| {
            let open = rt.connection.with(|c| c.is_open());
            if open && !was_open.get_value() {
                session.send_open();
            }
            was_open.set_value(open);
        });

        on_cleanup(move || {
            let still_shown = hub.others_open(board_id, tag);
            hub.unregister(tag);
            if !still_shown {
                rt.board(BoardRequest::Close { board_id });
            }
        });
        session
    }

    fn inner(&self) -> Option<Rc<RefCell<Inner>>> {
        self.inner.try_get_value()
    }

    /// Reads the board as drawn (confirmed plus my pending ops).
    pub fn with_view<T>(&self, f: impl FnOnce(&BoardState) -> T) -> Option<T> {
        let inner = self.inner()?;
        let inner = inner.try_borrow().ok()?;
        Some(f(inner.local.view()))
    }

    /// The view hears every change (to redraw only that).
    pub fn on_change(&self, listener: impl Fn(&SessionEvent) + 'static) {
        if let Some(inner) = self.inner() {
            inner.borrow_mut().listeners.push(Rc::new(listener));
        }
    }

    fn emit(&self, event: SessionEvent) {
        let Some(inner) = self.inner() else { return };
        let listeners = inner.borrow().listeners.clone();
        for listener in listeners {
            listener(&event);
        }
        let pages_changed = match &event {
            SessionEvent::Reset => true,
            SessionEvent::Changed(changes) => changes.iter().any(|c| matches!(c, Change::Page(_))),
        };
        if pages_changed {
            self.refresh_pages();
        }
    }

    fn refresh_pages(&self) {
        let pages = self
            .with_view(|v| v.pages().into_iter().cloned().collect::<Vec<Page>>())
            .unwrap_or_default();
        if self
            .pages
            .try_with_untracked(|p| *p != pages)
            .unwrap_or(false)
        {
            self.pages.set(pages);
        }
    }

    fn refresh_history(&self) {
        let Some(inner) = self.inner() else { return };
        let (undo, redo) = {
            let inner = inner.borrow();
            (inner.history.can_undo(), inner.history.can_redo())
        };
        self.can_undo.set(undo);
        self.can_redo.set(redo);
    }

    fn send_open(&self) {
        let Some(inner) = self.inner() else { return };
        let since = {
            let inner = inner.borrow();
            inner.loaded.then(|| inner.local.rev())
        };
        self.rt.board(BoardRequest::Open {
            board_id: self.board_id,
            since,
            link_token: self.link_token.get_value(),
        });
    }

    fn receive(&self, notice: &BoardNotice) {
        let Some(inner) = self.inner() else { return };
        match notice {
            BoardNotice::Opened {
                board,
                may_edit,
                snapshot,
                ops,
                peers,
            } => {
                let reset = {
                    let mut inner = inner.borrow_mut();
                    if snapshot.is_some() || !inner.loaded {
                        inner
                            .local
                            .reset(BoardState::replay(snapshot.as_ref(), ops));
                        inner.loaded = true;
                        None
                    } else {
                        // Only what followed my rev. Ops are idempotent, so receiving one
                        // I already have changes nothing.
                        Some(
                            ops.iter()
                                .flat_map(|op| inner.local.receive(op))
                                .collect::<Vec<Change>>(),
                        )
                    }
                };
                self.board.set(Some(board.clone()));
                self.may_edit.set(*may_edit);
                self.peers.update(|p| p.opened(peers));
                self.status.set(Status::Ready);
                match reset {
                    None => self.emit(SessionEvent::Reset),
                    Some(changes) => self.emit(SessionEvent::Changed(&changes)),
                }
                // Ops made while away (or unconfirmed when the socket dropped).
                let pending = inner.borrow().local.pending();
                for (op_id, op) in pending {
                    self.rt.board(BoardRequest::Apply {
                        board_id: self.board_id,
                        op_id,
                        op,
                    });
                }
            }
            BoardNotice::Applied { op, .. } => {
                let changes = inner.borrow_mut().local.receive(op);
                if !changes.is_empty() {
                    self.emit(SessionEvent::Changed(&changes));
                }
            }
            BoardNotice::Pointer {
                peer,
                page_id,
                x,
                y,
                viewport,
                ..
            } => {
                self.peers
                    .update(|p| p.pointer(peer, *page_id, Point { x: *x, y: *y }, *viewport));
            }
            BoardNotice::PeerLeft { connection_id, .. } => {
                self.peers.update(|p| p.left(*connection_id))
            }
            BoardNotice::Closed { .. } => self.status.set(Status::Deleted),
            BoardNotice::Resync { .. } => self.send_open(),
            BoardNotice::Refused { op_id, message, .. } => match op_id {
                Some(op_id) => {
                    // It never happened: off the board and out of my undo history.
                    let changes = {
                        let mut inner = inner.borrow_mut();
                        inner.history.refused(*op_id);
                        inner.local.refuse(*op_id)
                    };
                    self.emit(SessionEvent::Changed(&changes));
                    self.refresh_history();
                    self.alert.set(Some(message.clone()));
                }
                None if !inner.borrow().loaded => self.status.set(Status::Failed(message.clone())),
                None => self.alert.set(Some(message.clone())),
            },
        }
    }

    /// Applies my ops at once and sends them; one call is one undo step.
    pub fn propose(&self, ops: Vec<BoardOp>) {
        let ops = ops.into_iter().map(|op| (Uuid::new_v4(), op)).collect();
        self.send_ops(ops, true);
    }

    /// Sends ops with their ids; `record` makes them an undo step (undo and redo ops
    /// are already in the history).
    fn send_ops(&self, ops: Vec<(Uuid, BoardOp)>, record: bool) {
        let Some(inner) = self.inner() else { return };
        let may_edit = self.may_edit.get_untracked();
        // Never send what the server would refuse anyway (and never panic on it).
        let (ops, unsent): (Vec<_>, Vec<_>) = ops
            .into_iter()
            .partition(|(_, op)| may_edit && op.validate().is_ok());
        if let Some(Err(e)) = unsent
            .first()
            .filter(|_| may_edit)
            .map(|(_, op)| op.validate())
        {
            self.alert.set(Some(e.message));
        }
        // What is not sent never happens: an undo's inverse goes back on its stack.
        for (op_id, _) in &unsent {
            inner.borrow_mut().history.refused(*op_id);
        }
        if ops.is_empty() {
            self.refresh_history();
            return;
        }
        let mut sent = Vec::with_capacity(ops.len());
        let mut changes = Vec::with_capacity(ops.len());
        {
            let mut inner = inner.borrow_mut();
            if record {
                let Inner { local, history, .. } = &mut *inner;
                history.record(local.view(), &ops);
            }
            for (op_id, op) in ops {
                changes.push(inner.local.propose(op_id, op.clone()));
                sent.push(BoardRequest::Apply {
                    board_id: self.board_id,
                    op_id,
                    op,
                });
            }
        }
        for request in sent {
            self.rt.board(request);
        }
        self.alert.set(None);
        self.emit(SessionEvent::Changed(&changes));
        self.refresh_history();
    }

    pub fn undo(&self) {
        self.step(true);
    }

    pub fn redo(&self) {
        self.step(false);
    }

    fn step(&self, undo: bool) {
        let Some(inner) = self.inner() else { return };
        let ops = {
            let mut inner = inner.borrow_mut();
            let Inner { local, history, .. } = &mut *inner;
            if undo {
                history.undo(local.view(), Uuid::new_v4)
            } else {
                history.redo(local.view(), Uuid::new_v4)
            }
        };
        if let Some(ops) = ops {
            self.send_ops(ops, false);
        }
        self.refresh_history();
    }

    /// My cursor (and view, for followers), at most `POINTER_RATE` times a second; the
    /// latest position always goes out.
    pub fn pointer(&self, page_id: PageId, at: Point, viewport: Option<Viewport>) {
        let Some(inner) = self.inner() else { return };
        let request = BoardRequest::Pointer {
            board_id: self.board_id,
            page_id,
            x: at.x,
            y: at.y,
            viewport,
        };
        let decision = {
            let mut inner = inner.borrow_mut();
            let decision = inner.throttle.offer(js_sys::Date::now());
            if decision != Decision::SendNow {
                inner.pointer = Some(request.clone());
            }
            decision
        };
        match decision {
            Decision::SendNow => self.rt.board(request),
            Decision::AlreadyScheduled => {}
            Decision::SendIn(ms) => {
                let session = *self;
                let weak = Rc::downgrade(&inner);
                let delay = ms.ceil() as u32;
                // A future rather than a forgotten timer callback: nothing leaks per send.
                leptos::task::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(delay).await;
                    // The view may be gone by now.
                    let Some(inner) = weak.upgrade() else { return };
                    let request = {
                        let mut inner = inner.borrow_mut();
                        inner.throttle.sent(js_sys::Date::now());
                        inner.pointer.take()
                    };
                    if let Some(request) = request {
                        session.rt.board(request);
                    }
                });
            }
        }
    }
}
