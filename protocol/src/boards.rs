//! Whiteboards: collaborative, persistent boards in channels and meetings.
//!
//! A board is a list of pages holding elements (strokes, lines, arrows, shapes, text,
//! sticky notes). Clients change it with `BoardOp`s sent over the WebSocket
//! (`ws::ClientFrame::Board(BoardRequest::Apply)`). The server checks the sender may
//! edit, gives the op the board's next `rev` and a timestamp, stores it and sends it to
//! everyone who has the board open (`ws::ServerFrame::Board(BoardNotice::Applied)`),
//! the sender included, who matches it by `op_id`.
//!
//! Convergence: every op writes some fields of one element (or page); each field keeps
//! the `rev` of the op that last wrote it and a write only lands if its `rev` is higher
//! (last write wins per field, in the server's order). Applying the same sequenced ops
//! in any order therefore gives the same board. The model that does this is the
//! `tandem-board` crate, compiled by both sides.
//!
//! Opening a board (`BoardRequest::Open`) answers with a snapshot (the server compacts
//! ops into snapshots in the background) plus the ops after it, or only the ops after
//! `since` when the client already has a state. Every op keeps its server timestamp, so
//! the board at any moment can be rebuilt (`GET /api/boards/{id}/state?at=`), which
//! recording playback uses.
//!
//! Cursors and followed viewports are ephemeral (`BoardRequest::Pointer`), never stored.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chat::ChannelId;
use crate::meetings::MeetingId;
use crate::{ApiError, ErrorCode, Timestamp, UserId};

pub type BoardId = Uuid;
pub type ElementId = Uuid;
pub type PageId = Uuid;
/// Position in one board's op order, assigned by the server: 1, 2, 3 … with no gaps.
/// 0 means "nothing applied yet".
pub type BoardRev = i64;

pub const MAX_BOARD_TITLE_CHARS: usize = 120;
pub const MAX_PAGE_NAME_CHARS: usize = 60;
pub const MAX_ELEMENT_TEXT_CHARS: usize = 4_000;
/// After simplification; a longer freehand stroke is split by the app.
pub const MAX_STROKE_POINTS: usize = 4_000;
pub const MAX_PAGES_PER_BOARD: usize = 50;
/// Coordinates and sizes must be finite and within this magnitude.
pub const MAX_COORDINATE: f64 = 1.0e7;
pub const MAX_STROKE_WIDTH: f64 = 200.0;
/// Read-only links live at most this long (minutes); every link expires.
pub const MAX_BOARD_LINK_MINUTES: u32 = 30 * 24 * 60;
/// A link made without `expires_in_minutes` lasts a week.
pub const DEFAULT_BOARD_LINK_MINUTES: u32 = 7 * 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    /// Freehand: `points` (simplified as drawn), relative to (x, y).
    Stroke,
    /// `points` = [start, end], relative to (x, y).
    Line,
    /// Like a line, with an arrow head at the end.
    Arrow,
    /// The box (x, y, width, height).
    Rectangle,
    /// Inscribed in the box.
    Ellipse,
    /// `text` in the box, no background.
    Text,
    /// `text` on a filled square note.
    Sticky,
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Element {
    pub id: ElementId,
    pub page_id: PageId,
    pub kind: ElementKind,
    /// Top-left of the box (shapes, text, notes) or the origin `points` are relative to
    /// (strokes, lines, arrows), in board coordinates.
    pub x: f64,
    pub y: f64,
    /// The box size; for strokes, lines and arrows, their bounds' size.
    pub width: f64,
    pub height: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<Point>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// CSS colour `#rrggbb`.
    pub stroke: String,
    /// CSS colour `#rrggbb`, or empty for no fill.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fill: String,
    pub stroke_width: f64,
    /// Z-order key: higher draws on top. Fractional, so moving one element in the
    /// order rewrites only that element.
    pub z: f64,
}

/// The fields an update changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ElementPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_id: Option<PageId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<Point>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stroke: Option<String>,
    /// `Some("")` removes the fill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stroke_width: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page {
    pub id: PageId,
    pub name: String,
    /// Sort key: pages are listed by ascending `order`.
    pub order: f64,
}

/// A change to a board. Element ops carry `version`: the element's version (the `rev`
/// that last changed it) the sender saw. Last write wins per field regardless; the
/// version tells a reader which state the author was looking at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum BoardOp {
    AddElement {
        element: Element,
    },
    /// Move, resize, restyle, edit text.
    UpdateElement {
        id: ElementId,
        version: BoardRev,
        patch: ElementPatch,
    },
    DeleteElement {
        id: ElementId,
        version: BoardRev,
    },
    /// Undoes a delete (the element's data was kept).
    RestoreElement {
        id: ElementId,
        version: BoardRev,
    },
    /// Sets the z-order key.
    ReorderElement {
        id: ElementId,
        version: BoardRev,
        z: f64,
    },
    AddPage {
        page: Page,
    },
    /// Rename (`name`) and/or move in the page order (`order`).
    UpdatePage {
        id: PageId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order: Option<f64>,
    },
    /// Deletes the page and hides its elements; restorable.
    DeletePage {
        id: PageId,
    },
    RestorePage {
        id: PageId,
    },
}

/// An op as the server ordered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SequencedOp {
    pub rev: BoardRev,
    /// Server time the op was applied (ms since the epoch).
    pub at: Timestamp,
    /// The id the sender gave the op (idempotency key and local-echo match).
    pub op_id: Uuid,
    /// `None` never happens for ops made by people; kept optional for ops the server
    /// makes itself (e.g. the first page of a new board).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<UserId>,
    pub op: BoardOp,
}

/// An element in a snapshot, including deleted ones (so a delete can be undone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ElementEntry {
    pub element: Element,
    /// The `rev` that last changed this element.
    pub version: BoardRev,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageEntry {
    pub page: Page,
    pub deleted: bool,
}

/// The whole board after every op up to and including `rev`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardSnapshot {
    pub rev: BoardRev,
    /// Timestamp of op `rev` (0 for an empty board).
    pub at: Timestamp,
    pub pages: Vec<PageEntry>,
    pub elements: Vec<ElementEntry>,
}

/// A board as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    pub id: BoardId,
    pub channel_id: ChannelId,
    /// Set for a meeting's board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<MeetingId>,
    pub title: String,
    pub created_by: UserId,
    pub created_at: Timestamp,
    /// Time of the last op (or creation).
    pub updated_at: Timestamp,
    /// The last op's rev.
    pub rev: BoardRev,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateBoardRequest {
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateBoardRequest {
    pub title: String,
}

/// A read-only link to a board: whoever opens it — a workspace member or a guest of the
/// board's meeting — can watch the board live but not draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardLink {
    pub id: Uuid,
    pub board_id: BoardId,
    pub created_by: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked: bool,
}

/// The answer to making a link: the only time its secret is shown (the server keeps
/// only its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedBoardLink {
    #[serde(flatten)]
    pub link: BoardLink,
    /// The secret in the app's `/board-links/<token>`.
    pub token: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateBoardLinkRequest {
    /// 5 ..= MAX_BOARD_LINK_MINUTES; `None` means DEFAULT_BOARD_LINK_MINUTES.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in_minutes: Option<u32>,
}

/// `GET /api/boards/{id}/ops?after=&limit=`: ops in rev order, for playback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardOpsPage {
    pub ops: Vec<SequencedOp>,
    /// More ops exist after the last one returned.
    pub more: bool,
}

/// Where someone is looking: the page and the board point at the centre of their view,
/// with their zoom (1 = 100 %). Followers centre their own view there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    pub page_id: PageId,
    pub center: Point,
    pub zoom: f64,
}

/// Someone with the board open (one tab).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardPeer {
    pub connection_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    pub display_name: String,
}

/// Browser → server, inside `ws::ClientFrame::Board`: `{"type":"board","action":…}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BoardRequest {
    /// Start receiving the board. With `since`, the client already has the state at
    /// that rev and wants only what follows. `link_token` opens through a read-only
    /// link.
    Open {
        board_id: BoardId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<BoardRev>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        link_token: Option<String>,
    },
    Close {
        board_id: BoardId,
    },
    /// Change the board. Retrying with the same `op_id` is safe (applied once).
    Apply {
        board_id: BoardId,
        op_id: Uuid,
        op: BoardOp,
    },
    /// My cursor (board coordinates on `page_id`) and, optionally, my viewport for
    /// followers. Ephemeral; send at most ~20 times a second.
    Pointer {
        board_id: BoardId,
        page_id: PageId,
        x: f64,
        y: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        viewport: Option<Viewport>,
    },
}

impl BoardRequest {
    /// The board the request is about.
    pub fn board_id(&self) -> BoardId {
        match self {
            BoardRequest::Open { board_id, .. }
            | BoardRequest::Close { board_id }
            | BoardRequest::Apply { board_id, .. }
            | BoardRequest::Pointer { board_id, .. } => *board_id,
        }
    }
}

/// Server → browser, inside `ws::ServerFrame::Board`. Only `Applied` is durable (it has
/// a rev); the rest are live notices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BoardNotice {
    /// The answer to `Open`: a snapshot (absent when `since` was honoured) plus the ops
    /// after it, then live `Applied` notices follow in rev order.
    Opened {
        board: Board,
        may_edit: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot: Option<BoardSnapshot>,
        ops: Vec<SequencedOp>,
        /// Who else has it open now.
        peers: Vec<BoardPeer>,
    },
    Applied {
        board_id: BoardId,
        op: SequencedOp,
    },
    Pointer {
        board_id: BoardId,
        peer: BoardPeer,
        page_id: PageId,
        x: f64,
        y: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        viewport: Option<Viewport>,
    },
    PeerLeft {
        board_id: BoardId,
        connection_id: Uuid,
    },
    /// The board was deleted (or access to it ended): close it.
    Closed {
        board_id: BoardId,
    },
    /// This connection fell behind: open the board again with `since` = your rev.
    Resync {
        board_id: BoardId,
    },
    /// A request was refused; `op_id` is set when an op was (drop that local change).
    Refused {
        board_id: BoardId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        op_id: Option<Uuid>,
        code: ErrorCode,
        message: String,
    },
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, message).with_field(field)
}

pub fn validate_board_title(title: &str) -> Result<(), ApiError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(invalid("title", "Please give the board a title."));
    }
    if title.chars().count() > MAX_BOARD_TITLE_CHARS {
        return Err(invalid(
            "title",
            format!("Board titles can be at most {MAX_BOARD_TITLE_CHARS} characters."),
        ));
    }
    Ok(())
}

fn check_number(field: &str, value: f64, limit: f64) -> Result<(), ApiError> {
    if value.is_finite() && value.abs() <= limit {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{field} must be a finite number within ±{limit}."),
        ))
    }
}

fn check_colour(field: &str, colour: &str, may_be_empty: bool) -> Result<(), ApiError> {
    if may_be_empty && colour.is_empty() {
        return Ok(());
    }
    let hex = colour.strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{field} must be a colour like #1e88e5."),
        ))
    }
}

fn check_points(points: &[Point]) -> Result<(), ApiError> {
    if points.len() > MAX_STROKE_POINTS {
        return Err(invalid(
            "points",
            format!("A stroke can have at most {MAX_STROKE_POINTS} points."),
        ));
    }
    for p in points {
        check_number("points", p.x, MAX_COORDINATE)?;
        check_number("points", p.y, MAX_COORDINATE)?;
    }
    Ok(())
}

fn check_text(text: &str) -> Result<(), ApiError> {
    if text.chars().count() > MAX_ELEMENT_TEXT_CHARS {
        return Err(invalid(
            "text",
            format!("Text on a board can be at most {MAX_ELEMENT_TEXT_CHARS} characters."),
        ));
    }
    Ok(())
}

fn check_page_name(name: &str) -> Result<(), ApiError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_PAGE_NAME_CHARS {
        return Err(invalid(
            "name",
            format!("Page names need 1 to {MAX_PAGE_NAME_CHARS} characters."),
        ));
    }
    Ok(())
}

impl Element {
    pub fn validate(&self) -> Result<(), ApiError> {
        check_number("x", self.x, MAX_COORDINATE)?;
        check_number("y", self.y, MAX_COORDINATE)?;
        check_number("width", self.width, MAX_COORDINATE)?;
        check_number("height", self.height, MAX_COORDINATE)?;
        check_number("z", self.z, f64::MAX)?;
        check_number("stroke_width", self.stroke_width, MAX_STROKE_WIDTH)?;
        check_colour("stroke", &self.stroke, false)?;
        check_colour("fill", &self.fill, true)?;
        check_points(&self.points)?;
        check_text(&self.text)
    }
}

impl ElementPatch {
    pub fn validate(&self) -> Result<(), ApiError> {
        for (field, value) in [
            ("x", self.x),
            ("y", self.y),
            ("width", self.width),
            ("height", self.height),
        ] {
            if let Some(value) = value {
                check_number(field, value, MAX_COORDINATE)?;
            }
        }
        if let Some(width) = self.stroke_width {
            check_number("stroke_width", width, MAX_STROKE_WIDTH)?;
        }
        if let Some(stroke) = &self.stroke {
            check_colour("stroke", stroke, false)?;
        }
        if let Some(fill) = &self.fill {
            check_colour("fill", fill, true)?;
        }
        if let Some(points) = &self.points {
            check_points(points)?;
        }
        if let Some(text) = &self.text {
            check_text(text)?;
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        *self == ElementPatch::default()
    }
}

impl BoardOp {
    /// Checks the op's values (not permissions or existence: that is the server's job).
    pub fn validate(&self) -> Result<(), ApiError> {
        match self {
            BoardOp::AddElement { element } => element.validate(),
            BoardOp::UpdateElement { patch, .. } => {
                if patch.is_empty() {
                    return Err(invalid("patch", "An update must change something."));
                }
                patch.validate()
            }
            BoardOp::ReorderElement { z, .. } => check_number("z", *z, f64::MAX),
            BoardOp::AddPage { page } => {
                check_page_name(&page.name)?;
                check_number("order", page.order, f64::MAX)
            }
            BoardOp::UpdatePage { name, order, .. } => {
                if name.is_none() && order.is_none() {
                    return Err(invalid("name", "A page update must change something."));
                }
                if let Some(name) = name {
                    check_page_name(name)?;
                }
                if let Some(order) = order {
                    check_number("order", *order, f64::MAX)?;
                }
                Ok(())
            }
            BoardOp::DeleteElement { .. }
            | BoardOp::RestoreElement { .. }
            | BoardOp::DeletePage { .. }
            | BoardOp::RestorePage { .. } => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::rect;
    use serde_json::json;

    #[test]
    fn ops_have_a_stable_wire_shape() {
        let op = BoardOp::UpdateElement {
            id: Uuid::from_u128(1),
            version: 3,
            patch: ElementPatch {
                x: Some(5.0),
                ..Default::default()
            },
        };
        let value = serde_json::to_value(&op).unwrap();
        assert_eq!(value["op"], "update_element");
        assert_eq!(value["patch"], json!({"x": 5.0}));
        assert_eq!(serde_json::from_value::<BoardOp>(value).unwrap(), op);
    }

    #[test]
    fn validation_refuses_bad_values() {
        assert!(rect(1, 10.0, 20.0, 100.0, 50.0).validate().is_ok());
        let mut bad = rect(1, 10.0, 20.0, 100.0, 50.0);
        bad.x = f64::NAN;
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("x"));
        let mut bad = rect(1, 10.0, 20.0, 100.0, 50.0);
        bad.stroke = "red; background: url(x)".into();
        assert!(bad.validate().is_err());
        let empty = BoardOp::UpdateElement {
            id: Uuid::nil(),
            version: 0,
            patch: ElementPatch::default(),
        };
        assert!(empty.validate().is_err());
        assert!(validate_board_title("  ").is_err());
        assert!(validate_board_title("Sprint plan").is_ok());
    }
}
