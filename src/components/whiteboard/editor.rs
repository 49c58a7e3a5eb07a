//! The state of one board view and every action on it: the glue between the session
//! (the board and the server), the drawing engine (surface, gesture machine) and the
//! controls. Components hold an `Editor` (it is `Copy`) and call its methods.

use leptos::prelude::*;
use tandem_board::geometry::shape_rect;
use tandem_board::{describe, Change};
use tandem_protocol::boards::{BoardOp, ElementId, ElementKind, Page, PageId, Point};
use uuid::Uuid;

use crate::contexts::boards::{BoardSession, SessionEvent};
use crate::whiteboard::camera::{Camera, ZOOM_STEP};
use crate::whiteboard::clipboard::{self, Clipboard};
use crate::whiteboard::edits::{self, Restyle};
use crate::whiteboard::export;
use crate::whiteboard::gesture::{Ctx, Gesture, Output, PointerInput, TextTarget};
use crate::whiteboard::render::Measurer;
use crate::whiteboard::style::{DrawStyle, Width};
use crate::whiteboard::surface::Surface;
use crate::whiteboard::tools::Tool;

/// The text editor over the board: what it edits and where (board coordinates).
#[derive(Debug, Clone, PartialEq)]
pub struct TextEdit {
    pub target: TextTarget,
    pub at: Point,
    pub width: f64,
    pub height: f64,
    pub text: String,
    pub colour: String,
    /// The note's paper colour (`None` for a text box).
    pub note: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Editor {
    pub session: BoardSession,
    pub tool: RwSignal<Tool>,
    pub style: RwSignal<DrawStyle>,
    pub page: RwSignal<Option<PageId>>,
    pub selection: RwSignal<Vec<ElementId>>,
    pub camera: RwSignal<Camera>,
    /// The peer (connection id) whose view mine follows.
    pub following: RwSignal<Option<Uuid>>,
    pub editing: RwSignal<Option<TextEdit>>,
    /// The text alternative of the page on screen.
    pub summary: RwSignal<String>,
    pub has_content: RwSignal<bool>,
    /// An export failed.
    pub error: RwSignal<Option<String>>,
    /// CSS cursor over the surface (tool, or a resize handle under the pointer).
    pub cursor: RwSignal<&'static str>,
    surface: StoredValue<Option<Surface>, LocalStorage>,
    gesture: StoredValue<Gesture, LocalStorage>,
    clipboard: StoredValue<Clipboard, LocalStorage>,
    measurer: StoredValue<Measurer, LocalStorage>,
    frame_requested: StoredValue<bool>,
    summary_dirty: StoredValue<bool>,
    /// The first view of a page is fitted to its content once the size is known.
    fit_pending: StoredValue<bool>,
    pub space_held: StoredValue<bool>,
    last_pointer: StoredValue<Option<Point>>,
}

impl Editor {
    pub fn new(session: BoardSession) -> Editor {
        let editor = Editor {
            session,
            tool: RwSignal::new(Tool::Select),
            style: RwSignal::new(DrawStyle::default()),
            page: RwSignal::new(None),
            selection: RwSignal::new(Vec::new()),
            camera: RwSignal::new(Camera::default()),
            following: RwSignal::new(None),
            editing: RwSignal::new(None),
            summary: RwSignal::new(String::new()),
            has_content: RwSignal::new(false),
            error: RwSignal::new(None),
            cursor: RwSignal::new(Tool::Select.cursor()),
            surface: StoredValue::new_local(None),
            gesture: StoredValue::new_local(Gesture::new()),
            clipboard: StoredValue::new_local(Clipboard::default()),
            measurer: StoredValue::new_local(Measurer::new()),
            frame_requested: StoredValue::new(false),
            summary_dirty: StoredValue::new(true),
            fit_pending: StoredValue::new(true),
            space_held: StoredValue::new(false),
            last_pointer: StoredValue::new(None),
        };
        session.on_change(move |event| editor.board_changed(event));

        // Keep a live page on screen: the first one at start, another when mine goes.
        Effect::new(move |_| {
            let pages = session.pages.get();
            let current = editor.page.get_untracked();
            if !current.is_some_and(|id| pages.iter().any(|p| p.id == id)) {
                editor.show_page(pages.first().map(|p| p.id));
            }
        });
        // Viewers only select and pan.
        Effect::new(move |_| {
            if !session.may_edit.get() && editor.tool.get_untracked().edits() {
                editor.set_tool(Tool::Select);
            }
        });
        // Following: go where they look, page included; stop when they leave.
        Effect::new(move |_| {
            let Some(id) = editor.following.get() else {
                return;
            };
            let target = session.peers.with(|p| p.get(id).map(|p| p.viewport));
            match target {
                None => editor.following.set(None),
                Some(None) => {}
                Some(Some(vp)) => {
                    if editor.page.get_untracked() != Some(vp.page_id)
                        && session
                            .pages
                            .with_untracked(|p| p.iter().any(|p| p.id == vp.page_id))
                    {
                        editor.show_page(Some(vp.page_id));
                    }
                    let (w, h) = editor.size();
                    editor.set_camera(Camera::following(&vp, w, h), false);
                }
            }
        });
        editor
    }

    // ----- engine plumbing -------------------------------------------------------

    fn with_surface<T>(&self, f: impl FnOnce(&mut Surface) -> T) -> Option<T> {
        self.surface
            .try_update_value(|s| s.as_mut().map(f))
            .flatten()
    }

    /// The drawing surface mounted: show the current page on it.
    pub fn attach_surface(&self, surface: Surface) {
        self.surface.set_value(Some(surface));
        let page = self.page.get_untracked();
        self.session.with_view(|state| {
            self.with_surface(|s| s.load(state, page));
        });
        self.sync_selection();
        self.invalidate();
    }

    pub fn detach_surface(&self) {
        let _ = self.surface.try_set_value(None);
    }

    /// Asks for a redraw on the next animation frame (once, however often called).
    pub fn invalidate(&self) {
        if self.frame_requested.try_get_value() != Some(false) {
            return;
        }
        self.frame_requested.set_value(true);
        let editor = *self;
        request_animation_frame(move || editor.frame());
    }

    fn frame(&self) {
        if self.frame_requested.try_set_value(false).is_some() {
            return; // disposed
        }
        self.session.with_view(|state| {
            self.with_surface(|s| s.render(state));
        });
        if self.summary_dirty.get_value() {
            self.summary_dirty.set_value(false);
            let page = self.page.get_untracked();
            // A board without pages has nothing on it either.
            let page = page.unwrap_or_default();
            let text = self
                .session
                .with_view(|state| describe(state, page))
                .unwrap_or_default();
            if self.summary.get_untracked() != text {
                self.summary.set(text);
            }
            let content = self
                .with_surface(|s| !s.scene().is_empty())
                .unwrap_or(false);
            if self.has_content.get_untracked() != content {
                self.has_content.set(content);
            }
        }
    }

    fn board_changed(&self, event: &SessionEvent) {
        match event {
            SessionEvent::Reset => {
                let page = self.page.get_untracked();
                self.session.with_view(|state| {
                    self.with_surface(|s| s.load(state, page));
                });
            }
            SessionEvent::Changed(changes) => {
                self.session.with_view(|state| {
                    self.with_surface(|s| s.apply(state, changes));
                });
            }
        }
        // Someone may have deleted what I had selected.
        let selection = self.selection.get_untracked();
        if !selection.is_empty() {
            let page = self.page.get_untracked();
            let kept: Vec<ElementId> = self
                .session
                .with_view(|v| {
                    selection
                        .iter()
                        .copied()
                        .filter(|id| v.element(*id).is_some_and(|e| Some(e.page_id) == page))
                        .collect()
                })
                .unwrap_or_default();
            if kept != selection {
                self.select(kept);
            }
        }
        if let SessionEvent::Changed(changes) = event {
            if changes
                .iter()
                .any(|c| matches!(c, Change::Element(_) | Change::Page(_)))
            {
                self.summary_dirty.set_value(true);
            }
        } else {
            self.summary_dirty.set_value(true);
        }
        self.maybe_fit();
        self.invalidate();
    }

    pub fn size(&self) -> (f64, f64) {
        self.with_surface(|s| s.size()).unwrap_or((0.0, 0.0))
    }

    /// The surface's size changed. The top-left corner stays put (as when a window
    /// is resized), so nothing jumps when, say, the people list appears beside it.
    pub fn resize(&self, width: f64, height: f64, dpr: f64) {
        self.with_surface(|s| s.resize(width, height, dpr));
        self.maybe_fit();
        self.invalidate();
    }

    /// Fits a freshly shown page once its content and the surface size are known.
    fn maybe_fit(&self) {
        if !self.fit_pending.get_value() {
            return;
        }
        let (w, h) = self.size();
        let loaded = self.session.status.get_untracked() == crate::contexts::boards::Status::Ready;
        if w <= 0.0 || h <= 0.0 || !loaded || self.page.get_untracked().is_none() {
            return;
        }
        self.fit_pending.set_value(false);
        match self.with_surface(|s| s.scene().content_bounds()).flatten() {
            Some(bounds) => self.set_camera(Camera::fit(bounds, w, h), false),
            // An empty page: the board origin at the top-left, a little inset.
            None => self.set_camera(
                Camera {
                    left: -40.0,
                    top: -40.0,
                    zoom: 1.0,
                },
                false,
            ),
        }
    }

    /// `user`: the person moved the view themselves (which stops following).
    pub fn set_camera(&self, camera: Camera, user: bool) {
        if user && self.following.get_untracked().is_some() {
            self.following.set(None);
        }
        if self.camera.get_untracked() != camera {
            self.camera.set(camera);
        }
        self.with_surface(|s| s.set_camera(camera));
        self.invalidate();
        if user {
            self.announce_pointer(None);
        }
    }

    /// Moves the view's content by screen pixels (snapped to device pixels, which lets
    /// the surface shift its cached picture instead of redrawing it).
    pub fn pan_by(&self, dx: f64, dy: f64) {
        let (dx, dy) = self
            .with_surface(|s| s.snap_pan(dx, dy))
            .unwrap_or((dx, dy));
        if dx != 0.0 || dy != 0.0 {
            self.set_camera(self.camera.get_untracked().panned(dx, dy), true);
        }
    }

    /// Tells the others where my pointer is and what I am looking at.
    fn announce_pointer(&self, at: Option<Point>) {
        let Some(page) = self.page.get_untracked() else {
            return;
        };
        if at.is_some() {
            self.last_pointer.set_value(at);
        }
        let (w, h) = self.size();
        let camera = self.camera.get_untracked();
        let at = at
            .or(self.last_pointer.get_value())
            .unwrap_or_else(|| camera.to_board(w / 2.0, h / 2.0));
        self.session
            .pointer(page, at, Some(camera.viewport(page, w, h)));
    }

    fn sync_selection(&self) {
        let ids = self.selection.get_untracked();
        let handles = self.session.may_edit.get_untracked();
        self.with_surface(|s| s.set_selection(&ids, handles));
        self.invalidate();
    }

    pub fn select(&self, ids: Vec<ElementId>) {
        if self.selection.get_untracked() != ids {
            self.selection.set(ids);
        }
        self.sync_selection();
    }

    pub fn show_page(&self, page: Option<PageId>) {
        self.cancel_edit();
        self.gesture.update_value(|g| g.cancel());
        self.drain_gesture();
        let previous = self.page.get_untracked();
        if previous != page {
            self.page.set(page);
        }
        self.select(Vec::new());
        self.session.with_view(|state| {
            self.with_surface(|s| s.load(state, page));
        });
        self.fit_pending
            .set_value(self.following.get_untracked().is_none());
        self.summary_dirty.set_value(true);
        self.maybe_fit();
        self.invalidate();
        if previous.is_some() && previous != page {
            // Followers go where I go.
            self.last_pointer.set_value(None);
            self.announce_pointer(None);
        }
    }

    // ----- pointer input ---------------------------------------------------------

    fn with_ctx<T>(&self, f: impl FnOnce(&Ctx) -> T) -> Option<T> {
        let style = self.style.get_untracked();
        let selection = self.selection.get_untracked();
        let tool = self.tool.get_untracked();
        let page = self.page.get_untracked();
        let zoom = self.camera.get_untracked().zoom;
        let may_edit = self.session.may_edit.get_untracked();
        let space_held = self.space_held.get_value();
        self.session.with_view(|state| {
            let ctx = Ctx {
                state,
                page,
                tool,
                style: &style,
                selection: &selection,
                zoom,
                may_edit,
                space_held,
            };
            f(&ctx)
        })
    }

    fn drain_gesture(&self) {
        let outputs: Vec<Output> = self
            .gesture
            .try_update_value(|g| std::iter::from_fn(|| g.poll_output()).collect())
            .unwrap_or_default();
        for output in outputs {
            self.run(output);
        }
    }

    fn run(&self, output: Output) {
        match output {
            Output::Preview(p) => {
                self.with_surface(|s| s.set_preview(p));
                self.invalidate();
            }
            Output::Propose(ops) => self.session.propose(ops),
            Output::Select(ids) => self.select(ids),
            Output::Pan { dx, dy } => self.pan_by(dx, dy),
            Output::Zoom { x, y, factor } => {
                self.set_camera(self.camera.get_untracked().zoomed_at(x, y, factor), true)
            }
            Output::EditText(target) => self.begin_edit(target),
        }
    }

    /// Whether a gesture is under way (the surface then keeps the pointer captured).
    pub fn gesture_active(&self) -> bool {
        self.gesture.try_with_value(|g| g.active()).unwrap_or(false)
    }

    pub fn pointer_down(&self, input: PointerInput) {
        if self.editing.get_untracked().is_some() {
            // A click outside the text editor finishes the edit (its blur commits).
            return;
        }
        self.with_ctx(|ctx| self.gesture.update_value(|g| g.pointer_down(ctx, input)));
        self.drain_gesture();
    }

    /// Moves, oldest first (coalesced events make strokes smooth).
    pub fn pointer_moves(&self, inputs: &[PointerInput]) {
        let Some(last) = inputs.last() else { return };
        if self.gesture_active() {
            self.with_ctx(|ctx| {
                self.gesture.update_value(|g| {
                    for input in inputs {
                        g.pointer_move(ctx, *input);
                    }
                })
            });
            self.drain_gesture();
        } else {
            self.update_hover(last);
        }
        self.announce_pointer(Some(last.board));
    }

    fn update_hover(&self, input: &PointerInput) {
        let cursor = if self.space_held.get_value() {
            "grab"
        } else {
            self.with_ctx(|ctx| Gesture::handle_at(ctx, input.board))
                .flatten()
                .map(|(h, _)| crate::whiteboard::gesture::handle_cursor(h))
                .unwrap_or_else(|| self.tool.get_untracked().cursor())
        };
        if self.cursor.get_untracked() != cursor {
            self.cursor.set(cursor);
        }
    }

    pub fn pointer_up(&self, input: PointerInput) {
        self.with_ctx(|ctx| self.gesture.update_value(|g| g.pointer_up(ctx, input)));
        self.drain_gesture();
    }

    pub fn pointer_cancel(&self, pointer: i32) {
        self.gesture.update_value(|g| g.pointer_cancel(pointer));
        self.drain_gesture();
    }

    pub fn double_click(&self, at: Point) {
        self.with_ctx(|ctx| self.gesture.update_value(|g| g.double_click(ctx, at)));
        self.drain_gesture();
    }

    /// Esc: drop the gesture, then the selection.
    pub fn escape(&self) {
        if self.gesture_active() {
            self.gesture.update_value(|g| g.cancel());
            self.drain_gesture();
        } else {
            self.select(Vec::new());
        }
    }

    // ----- toolbar actions -------------------------------------------------------

    pub fn set_tool(&self, tool: Tool) {
        let tool = if tool.edits() && !self.session.may_edit.get_untracked() {
            Tool::Select
        } else {
            tool
        };
        if self.tool.get_untracked() != tool {
            self.tool.set(tool);
        }
        self.cursor.set(tool.cursor());
        if tool.edits() {
            // Drawing starts afresh: the selection would only get in the way.
            self.select(Vec::new());
        }
    }

    fn restyle(&self, change: Restyle) {
        let ids = self.selection.get_untracked();
        if ids.is_empty() || !self.session.may_edit.get_untracked() {
            return;
        }
        if let Some(ops) = self.session.with_view(|v| edits::restyle(v, &ids, &change)) {
            self.session.propose(ops);
        }
    }

    pub fn set_colour(&self, hex: &str) {
        self.style.update(|s| s.stroke = hex.to_string());
        self.restyle(Restyle::Stroke(hex.to_string()));
    }

    pub fn set_fill(&self, on: bool) {
        self.style.update(|s| s.fill = on);
        self.restyle(Restyle::Fill(on));
    }

    pub fn set_width(&self, width: Width) {
        self.style.update(|s| s.width = width);
        self.restyle(Restyle::Width(width.value()));
    }

    pub fn delete_selection(&self) {
        let ids = self.selection.get_untracked();
        if let Some(ops) = self.session.with_view(|v| edits::delete(v, &ids)) {
            self.session.propose(ops);
        }
        self.select(Vec::new());
    }

    pub fn undo(&self) {
        self.cancel_edit();
        self.session.undo();
    }

    pub fn redo(&self) {
        self.cancel_edit();
        self.session.redo();
    }

    pub fn zoom_by(&self, factor: f64) {
        let (w, h) = self.size();
        let cam = self.camera.get_untracked();
        self.set_camera(cam.zoomed_at(w / 2.0, h / 2.0, factor), true);
    }

    pub fn zoom_in(&self) {
        self.zoom_by(ZOOM_STEP);
    }

    pub fn zoom_out(&self) {
        self.zoom_by(1.0 / ZOOM_STEP);
    }

    pub fn fit(&self) {
        let (w, h) = self.size();
        if let Some(bounds) = self.with_surface(|s| s.scene().content_bounds()).flatten() {
            self.set_camera(Camera::fit(bounds, w, h), true);
        }
    }

    pub fn select_all(&self) {
        let page = self.page.get_untracked();
        let ids = page
            .and_then(|p| {
                self.session
                    .with_view(|v| v.elements_on(p).iter().map(|e| e.id).collect())
            })
            .unwrap_or_default();
        self.select(ids);
    }

    /// Arrow keys: move the selection (one undo step per press).
    pub fn nudge(&self, dx: f64, dy: f64) {
        let ids = self.selection.get_untracked();
        if ids.is_empty() {
            // Nothing selected: the arrows scroll the view.
            self.pan_by(-dx * 5.0, -dy * 5.0);
            return;
        }
        if let Some(ops) = self.session.with_view(|v| edits::move_by(v, &ids, dx, dy)) {
            self.session.propose(ops);
        }
    }

    // ----- clipboard -------------------------------------------------------------

    /// Copies the selection; returns the text for the system clipboard.
    pub fn copy(&self) -> Option<String> {
        let ids = self.selection.get_untracked();
        self.session
            .with_view(|v| {
                self.clipboard
                    .try_update_value(|c| c.copy(v, &ids))
                    .flatten()
            })
            .flatten()
    }

    pub fn clipboard_empty(&self) -> bool {
        self.clipboard
            .try_with_value(|c| c.is_empty())
            .unwrap_or(true)
    }

    pub fn paste(&self) {
        let Some(page) = self.page.get_untracked() else {
            return;
        };
        if !self.session.may_edit.get_untracked() {
            return;
        }
        let pasted = self
            .session
            .with_view(|v| self.clipboard.try_update_value(|c| c.paste(v, page)))
            .flatten();
        if let Some((ops, ids)) = pasted {
            self.session.propose(ops);
            self.select(ids);
        }
    }

    /// A paste event with text from the system clipboard (e.g. copied in another tab).
    pub fn paste_text(&self, text: &str) -> bool {
        let loaded = self
            .clipboard
            .try_update_value(|c| c.load_text(text))
            .unwrap_or(false);
        if loaded {
            self.paste();
        }
        loaded
    }

    pub fn duplicate(&self) {
        let (Some(page), true) = (
            self.page.get_untracked(),
            self.session.may_edit.get_untracked(),
        ) else {
            return;
        };
        let ids = self.selection.get_untracked();
        if let Some((ops, new_ids)) = self
            .session
            .with_view(|v| clipboard::duplicate(v, &ids, page))
        {
            self.session.propose(ops);
            self.select(new_ids);
        }
    }

    // ----- text editing ----------------------------------------------------------

    pub fn begin_edit(&self, target: TextTarget) {
        if !self.session.may_edit.get_untracked() {
            return;
        }
        let style = self.style.get_untracked();
        let edit = match &target {
            TextTarget::New { kind, at } => {
                let note = *kind == ElementKind::Sticky;
                TextEdit {
                    target: target.clone(),
                    at: *at,
                    width: if note {
                        crate::whiteboard::style::STICKY_SIZE
                    } else {
                        160.0
                    },
                    height: if note {
                        crate::whiteboard::style::STICKY_SIZE
                    } else {
                        crate::whiteboard::style::LINE_HEIGHT
                            + 2.0 * crate::whiteboard::style::TEXT_PADDING
                    },
                    text: String::new(),
                    colour: if note {
                        crate::whiteboard::style::COLOURS[0].1.to_string()
                    } else {
                        style.stroke.clone()
                    },
                    note: note.then(|| crate::whiteboard::style::STICKY_FILL.to_string()),
                }
            }
            TextTarget::Existing(id) => {
                let Some(edit) = self
                    .session
                    .with_view(|v| {
                        v.element(*id).map(|e| {
                            let r = shape_rect(e);
                            TextEdit {
                                target: target.clone(),
                                at: Point {
                                    x: r.min_x,
                                    y: r.min_y,
                                },
                                width: r.width(),
                                height: r.height(),
                                text: e.text.clone(),
                                colour: e.stroke.clone(),
                                note: (e.kind == ElementKind::Sticky).then(|| {
                                    if e.fill.is_empty() {
                                        crate::whiteboard::style::STICKY_FILL.to_string()
                                    } else {
                                        e.fill.clone()
                                    }
                                }),
                            }
                        })
                    })
                    .flatten()
                else {
                    return;
                };
                self.with_surface(|s| s.set_editing(Some(*id)));
                self.invalidate();
                edit
            }
        };
        self.editing.set(Some(edit));
    }

    /// Enter or leaving the editor: saves (empty text adds nothing / deletes).
    pub fn commit_edit(&self, text: String) {
        let Some(edit) = self.editing.try_get_untracked().flatten() else {
            return;
        };
        self.editing.set(None);
        let measurer = self.measurer;
        let mut measure = move |s: &str| measurer.try_with_value(|m| m.width(s)).unwrap_or(0.0);
        match edit.target {
            TextTarget::New { kind, at } => {
                let Some(page) = self.page.get_untracked() else {
                    return;
                };
                if text.trim().is_empty() {
                    return;
                }
                let style = self.style.get_untracked();
                let element = self.session.with_view(|v| {
                    edits::text_element(kind, at, &text, page, &style, v.top_z(page), &mut measure)
                });
                if let Some(element) = element {
                    let id = element.id;
                    self.session.propose(vec![BoardOp::AddElement { element }]);
                    if self.tool.get_untracked() == Tool::Select {
                        self.select(vec![id]);
                    }
                }
            }
            TextTarget::Existing(id) => {
                if let Some(ops) = self
                    .session
                    .with_view(|v| edits::set_text(v, id, &text, &mut measure))
                {
                    self.session.propose(ops);
                }
                self.with_surface(|s| s.set_editing(None));
                self.invalidate();
            }
        }
    }

    pub fn cancel_edit(&self) {
        if self.editing.try_get_untracked().flatten().is_some() {
            self.editing.set(None);
            self.with_surface(|s| s.set_editing(None));
            self.invalidate();
        }
    }

    /// Enter on a selected text box or note edits it (keyboard users' double click).
    pub fn edit_selected(&self) -> bool {
        let ids = self.selection.get_untracked();
        let [id] = ids[..] else { return false };
        let editable = self
            .session
            .with_view(|v| {
                v.element(id)
                    .is_some_and(|e| matches!(e.kind, ElementKind::Text | ElementKind::Sticky))
            })
            .unwrap_or(false);
        if editable {
            self.begin_edit(TextTarget::Existing(id));
        }
        editable
    }

    // ----- pages -----------------------------------------------------------------

    pub fn add_page(&self) {
        let pages = self.session.pages.get_untracked();
        let mut n = pages.len() + 1;
        while pages.iter().any(|p| p.name == format!("Page {n}")) {
            n += 1;
        }
        let order = pages.iter().map(|p| p.order).fold(0.0, f64::max) + 1.0;
        let page = Page {
            id: Uuid::new_v4(),
            name: format!("Page {n}"),
            order,
        };
        let id = page.id;
        self.session.propose(vec![BoardOp::AddPage { page }]);
        self.show_page(Some(id));
    }

    pub fn rename_page(&self, id: PageId, name: &str) {
        let name = name.trim();
        let unchanged = self
            .session
            .pages
            .with_untracked(|p| p.iter().any(|p| p.id == id && p.name == name));
        if !name.is_empty() && !unchanged {
            self.session.propose(vec![BoardOp::UpdatePage {
                id,
                name: Some(name.to_string()),
                order: None,
            }]);
        }
    }

    pub fn delete_page(&self, id: PageId) {
        let pages = self.session.pages.get_untracked();
        if pages.len() < 2 {
            return;
        }
        // Show a neighbour (the one after, else the one before) instead.
        let at = pages.iter().position(|p| p.id == id).unwrap_or(0);
        let next = pages
            .get(at + 1)
            .or_else(|| at.checked_sub(1).and_then(|i| pages.get(i)))
            .map(|p| p.id);
        self.session.propose(vec![BoardOp::DeletePage { id }]);
        if self.page.get_untracked() == Some(id) {
            self.show_page(next);
        }
    }

    // ----- export and following --------------------------------------------------

    fn export_name(&self, ext: &str) -> Option<(PageId, String)> {
        let page = self.page.get_untracked()?;
        let title = self
            .session
            .board
            .with_untracked(|b| b.as_ref().map(|b| b.title.clone()))
            .unwrap_or_default();
        let page_name = self
            .session
            .pages
            .with_untracked(|p| p.iter().find(|p| p.id == page).map(|p| p.name.clone()));
        Some((
            page,
            export::file_name(&title, &page_name.unwrap_or_default(), ext),
        ))
    }

    pub fn export_png(&self) {
        let Some((page, name)) = self.export_name("png") else {
            return;
        };
        let result = self
            .session
            .with_view(|v| export::download_png(v, page, &name));
        self.error.set(result.and_then(Result::err));
    }

    pub fn export_svg(&self) {
        let Some((page, name)) = self.export_name("svg") else {
            return;
        };
        let result = self
            .session
            .with_view(|v| export::download_svg(v, page, &name));
        self.error.set(result.and_then(Result::err));
    }

    pub fn toggle_follow(&self, peer: Uuid) {
        let next = if self.following.get_untracked() == Some(peer) {
            None
        } else {
            Some(peer)
        };
        self.following.set(next);
    }
}
