//! The meeting whiteboard panel's rules, pure so they are tested natively:
//! the board opens beside the video for everyone when it first appears (and for late
//! joiners when it already exists), unless this person closed it; closing is per
//! person; a guest cannot create the board, only open (and draw on) one that exists.

use tandem_protocol::boards::BoardId;

/// What pressing "Whiteboard" does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Close,
    Open,
    /// No board yet: ask the server for the meeting's board, then open it.
    CreateAndOpen,
    /// A guest before any board exists (the button is hidden then anyway).
    Nothing,
}

/// The meeting's board as far as we know: the one we just created, else what the
/// card's live updates say, else what the meeting said when we joined.
pub fn known_board(
    created: Option<BoardId>,
    card: Option<BoardId>,
    joined: Option<BoardId>,
) -> Option<BoardId> {
    created.or(card).or(joined)
}

/// Open unless this person closed it; nothing to show before a board exists.
pub fn is_open(board: Option<BoardId>, closed_by_me: bool) -> bool {
    board.is_some() && !closed_by_me
}

/// Guests see the button only once a board exists.
pub fn button_shown(board: Option<BoardId>, is_guest: bool) -> bool {
    board.is_some() || !is_guest
}

pub fn press(board: Option<BoardId>, closed_by_me: bool, is_guest: bool) -> Press {
    match board {
        Some(_) if closed_by_me => Press::Open,
        Some(_) => Press::Close,
        None if is_guest => Press::Nothing,
        None => Press::CreateAndOpen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn the_board_opens_for_everyone_who_did_not_close_it() {
        let board = Some(Uuid::from_u128(1));
        // Before it exists: nothing open, even though no one closed anything.
        assert!(!is_open(None, false));
        // It appears (created by someone else, or already there when we joined).
        assert!(is_open(board, false));
        // Closing is per person and sticks while the board stays.
        assert!(!is_open(board, true));
    }

    #[test]
    fn pressing_toggles_and_creates_only_for_members() {
        let board = Some(Uuid::from_u128(1));
        assert_eq!(press(None, false, false), Press::CreateAndOpen);
        assert_eq!(press(None, false, true), Press::Nothing);
        assert_eq!(press(board, false, false), Press::Close);
        assert_eq!(press(board, true, false), Press::Open);
        assert_eq!(press(board, true, true), Press::Open);
        assert!(button_shown(None, false));
        assert!(!button_shown(None, true));
        assert!(button_shown(board, true));
    }

    #[test]
    fn the_newest_knowledge_of_the_board_wins() {
        let (a, b) = (Some(Uuid::from_u128(1)), Some(Uuid::from_u128(2)));
        assert_eq!(known_board(None, None, None), None);
        assert_eq!(known_board(None, None, b), b);
        assert_eq!(known_board(None, a, b), a);
        assert_eq!(known_board(a, None, None), a);
    }
}
