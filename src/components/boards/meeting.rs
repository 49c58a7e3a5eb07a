//! The meeting's whiteboard: the "Whiteboard" toggle in the meeting controls and the
//! panel beside the video stage. The board is the meeting's (one per meeting, made on
//! first use); `MeetingUpdated` carries its id to everyone, and the panel opens for
//! each participant who has not closed it (rules in `meeting_state`). Everyone in the
//! meeting draws on it, guests included: the server opens it for them with
//! `may_edit`, which brings the drawing toolbar (`components::whiteboard::Toolbar`).

use leptos::prelude::*;
use tandem_protocol::boards::BoardId;

use super::meeting_state::{button_shown, is_open, known_board, press, Press};
use crate::components::whiteboard::BoardView;
use crate::contexts::meeting::room::Room;
use crate::contexts::meeting::use_meeting_hub;

/// Shared by the toggle and the panel; made once per meeting view.
#[derive(Clone, Copy)]
pub struct MeetingBoard {
    pub board_id: Memo<Option<BoardId>>,
    /// This person closed the panel (until they press "Whiteboard" again).
    closed_by_me: RwSignal<bool>,
    /// The board we got from `POST /api/meetings/{id}/board`, before the event.
    created: RwSignal<Option<BoardId>>,
    creating: RwSignal<bool>,
    room: Room,
}

impl MeetingBoard {
    pub fn new(room: Room) -> Self {
        let hub = use_meeting_hub();
        let created = RwSignal::new(None);
        let board_id = Memo::new(move |_| {
            known_board(
                created.get(),
                hub.cards
                    .with(|c| c.get(&room.meeting_id).and_then(|m| m.board_id)),
                room.meeting.with(|m| m.as_ref().and_then(|m| m.board_id)),
            )
        });
        MeetingBoard {
            board_id,
            closed_by_me: RwSignal::new(false),
            created,
            creating: RwSignal::new(false),
            room,
        }
    }

    pub fn open(&self) -> bool {
        is_open(self.board_id.get(), self.closed_by_me.get())
    }

    /// `aria-pressed`: open, or about to be (the board is being made).
    pub fn pressed(&self) -> bool {
        self.open() || self.creating.get()
    }

    pub fn button_shown(&self) -> bool {
        button_shown(self.board_id.get(), self.room.is_guest)
    }

    pub fn press(&self) {
        let this = *self;
        match press(
            self.board_id.get_untracked(),
            self.closed_by_me.get_untracked(),
            self.room.is_guest,
        ) {
            Press::Close => self.closed_by_me.set(true),
            Press::Open => self.closed_by_me.set(false),
            Press::Nothing => {}
            Press::CreateAndOpen => {
                if self.creating.get_untracked() {
                    return;
                }
                self.closed_by_me.set(false);
                self.creating.set(true);
                let api = self.room.api();
                let meeting_id = self.room.meeting_id;
                leptos::task::spawn_local(async move {
                    let result = api.meeting_board(meeting_id).await;
                    if this.creating.is_disposed() {
                        return;
                    }
                    this.creating.set(false);
                    match result {
                        Ok(board) => this.created.set(Some(board.id)),
                        Err(e) => this.room.error.set(Some(e.message())),
                    }
                });
            }
        }
    }
}

/// The toggle for the meeting toolbar.
#[component]
pub fn WhiteboardButton(board: MeetingBoard) -> impl IntoView {
    view! {
        <Show when=move || board.button_shown()>
            <button type="button" class="button control"
                aria-pressed=move || board.pressed().to_string()
                on:click=move |_| board.press()>"Whiteboard"</button>
        </Show>
    }
}

/// Beside the stage (which shrinks; on narrow screens they stack).
#[component]
pub fn MeetingBoardPanel(board: MeetingBoard) -> impl IntoView {
    // Changes only when the panel opens or closes, so the board view mounts once.
    let shown = Memo::new(move |_| board.open().then(|| board.board_id.get()).flatten());
    move || {
        shown.get().map(|board_id| {
            view! {
                <aside class="meeting-board" aria-label="Meeting whiteboard">
                    <BoardView board_id compact=true />
                </aside>
            }
        })
    }
}
