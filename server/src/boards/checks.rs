//! Whether an op makes sense against the board as it is now. `BoardOp::validate`
//! checked its values already; this checks what it refers to (and the board's caps),
//! so nothing stored can point at an element or page that never existed.

use tandem_board::BoardState;
use tandem_protocol::boards::{BoardOp, MAX_PAGES_PER_BOARD};
use tandem_protocol::{ApiError, ErrorCode};

use super::MAX_ELEMENTS_PER_BOARD;

fn no_element() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "There is no such element on this board.",
    )
}

fn no_page() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "There is no such page on this board.")
}

fn too_many_pages() -> ApiError {
    ApiError::new(
        ErrorCode::Validation,
        format!("A board can have at most {MAX_PAGES_PER_BOARD} pages."),
    )
}

pub fn check(board: &BoardState, op: &BoardOp) -> Result<(), ApiError> {
    match op {
        BoardOp::AddElement { element } => {
            if board.element_entry(element.id).is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "An element with this id already exists.",
                ));
            }
            if board.page(element.page_id).is_none() {
                return Err(no_page());
            }
            if board.element_count() >= MAX_ELEMENTS_PER_BOARD {
                return Err(ApiError::new(
                    ErrorCode::Validation,
                    format!("A board can hold at most {MAX_ELEMENTS_PER_BOARD} elements."),
                ));
            }
            Ok(())
        }
        BoardOp::UpdateElement { id, patch, .. } => {
            board.element_entry(*id).ok_or_else(no_element)?;
            // Moving to another page: that page must be there to show it.
            match patch.page_id {
                Some(page) if board.page(page).is_none() => Err(no_page()),
                _ => Ok(()),
            }
        }
        BoardOp::DeleteElement { id, .. }
        | BoardOp::RestoreElement { id, .. }
        | BoardOp::ReorderElement { id, .. } => {
            board.element_entry(*id).map(|_| ()).ok_or_else(no_element)
        }
        BoardOp::AddPage { page } => {
            if board.page_entry(page.id).is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "A page with this id already exists.",
                ));
            }
            if board.pages().len() >= MAX_PAGES_PER_BOARD {
                return Err(too_many_pages());
            }
            Ok(())
        }
        BoardOp::UpdatePage { id, .. } | BoardOp::DeletePage { id } => {
            board.page_entry(*id).map(|_| ()).ok_or_else(no_page)
        }
        BoardOp::RestorePage { id } => {
            let (_, deleted) = board.page_entry(*id).ok_or_else(no_page)?;
            if deleted && board.pages().len() >= MAX_PAGES_PER_BOARD {
                return Err(too_many_pages());
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::boards::{ElementPatch, Page, SequencedOp};
    use tandem_protocol::test_support::{rect, PAGE};
    use uuid::Uuid;

    fn board() -> BoardState {
        let ops = [
            BoardOp::AddPage {
                page: Page {
                    id: PAGE,
                    name: "Page 1".into(),
                    order: 1.0,
                },
            },
            BoardOp::AddElement {
                element: rect(1, 0.0, 0.0, 10.0, 10.0),
            },
        ];
        let ops: Vec<SequencedOp> = ops
            .into_iter()
            .enumerate()
            .map(|(i, op)| SequencedOp {
                rev: i as i64 + 1,
                at: 0,
                op_id: Uuid::new_v4(),
                author: None,
                op,
            })
            .collect();
        BoardState::replay(None, &ops)
    }

    #[test]
    fn ops_must_refer_to_what_exists() {
        let board = board();
        let code = |op: BoardOp| check(&board, &op).map_err(|e| e.code);
        assert_eq!(
            code(BoardOp::AddElement {
                element: rect(2, 0.0, 0.0, 10.0, 10.0)
            }),
            Ok(())
        );
        assert_eq!(
            code(BoardOp::AddElement {
                element: rect(1, 0.0, 0.0, 10.0, 10.0)
            }),
            Err(ErrorCode::Conflict)
        );
        assert_eq!(
            code(BoardOp::AddElement {
                element: rect(2, 0.0, 0.0, 10.0, 10.0).on_page(Uuid::from_u128(7))
            }),
            Err(ErrorCode::NotFound)
        );
        let unknown = Uuid::from_u128(99);
        assert_eq!(
            code(BoardOp::DeleteElement {
                id: unknown,
                version: 0
            }),
            Err(ErrorCode::NotFound)
        );
        let move_away = ElementPatch {
            page_id: Some(Uuid::from_u128(7)),
            ..Default::default()
        };
        assert_eq!(
            code(BoardOp::UpdateElement {
                id: Uuid::from_u128(1),
                version: 2,
                patch: move_away
            }),
            Err(ErrorCode::NotFound)
        );
        assert_eq!(
            code(BoardOp::ReorderElement {
                id: Uuid::from_u128(1),
                version: 2,
                z: 5.0
            }),
            Ok(())
        );
        assert_eq!(
            code(BoardOp::DeletePage { id: unknown }),
            Err(ErrorCode::NotFound)
        );
        assert_eq!(
            code(BoardOp::AddPage {
                page: Page {
                    id: PAGE,
                    name: "Again".into(),
                    order: 2.0
                }
            }),
            Err(ErrorCode::Conflict)
        );
    }

    #[test]
    fn pages_are_capped() {
        let mut board = board();
        for i in 1..MAX_PAGES_PER_BOARD {
            let page = Page {
                id: Uuid::from_u128(1_000 + i as u128),
                name: format!("P{i}"),
                order: i as f64,
            };
            board.apply_op(10 + i as i64, 0, &BoardOp::AddPage { page });
        }
        let one_more = Page {
            id: Uuid::from_u128(5),
            name: "Too many".into(),
            order: 99.0,
        };
        assert_eq!(
            check(&board, &BoardOp::AddPage { page: one_more }).map_err(|e| e.code),
            Err(ErrorCode::Validation)
        );
    }
}
