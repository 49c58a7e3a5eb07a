//! The channel's messages as a `role="log"`, virtualised by window: only the
//! messages in the chat context's window (at most `MAX_WINDOW` + slack) are ever in
//! the DOM. Scrolling near the top loads an older page and drops the newest; near the
//! bottom (when the window does not reach the present) the reverse. The reader's
//! position is kept by re-anchoring on the message at the top of the viewport.

use std::hash::{Hash, Hasher};

use leptos::html;
use leptos::prelude::*;
use tandem_protocol::chat::{ChannelId, Message, MessageId};
use tandem_protocol::ws::Command;
use tandem_protocol::Seq;
use wasm_bindgen::JsCast;

use crate::components::chat::message_row::MessageRow;
use crate::components::chat::pending_row::PendingRow;
use crate::contexts::chat::use_chat;

/// Load more when this close (px) to either end.
const EDGE_PX: i32 = 300;
const BOTTOM_SLOP_PX: i32 = 40;
/// Messages by one author within this many ms are grouped under one header.
const GROUP_MS: i64 = 5 * 60 * 1000;

/// A row's identity plus everything that changes how it looks, so the keyed list
/// re-renders exactly the rows that changed.
pub fn revision(m: &Message) -> (MessageId, u64) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        m.edited_at,
        m.deleted,
        m.pinned,
        m.reply_count,
        m.last_reply_at,
        &m.body,
    )
        .hash(&mut h);
    for r in &m.reactions {
        (&r.emoji, &r.user_ids).hash(&mut h);
    }
    (m.id, h.finish())
}

#[derive(Clone, PartialEq)]
struct Row {
    message: Message,
    grouped: bool,
    divider: bool,
    highlighted: bool,
}

#[component]
pub fn MessageList(channel_id: ChannelId, #[prop(into)] label: Signal<String>) -> impl IntoView {
    let chat = use_chat();
    let log = NodeRef::<html::Div>::new();
    // (message id, its offset from the viewport top) for keeping the position.
    let anchor = StoredValue::new(None::<(MessageId, i32)>);
    let first_layout = StoredValue::new(None::<u64>);

    let rows = Memo::new(move |_| {
        let marker = chat.unread_marker.get();
        let highlight = chat.highlight.get();
        chat.window.with(|w| {
            let mut prev: Option<&Message> = None;
            let mut divider_done = false;
            w.messages
                .iter()
                .map(|m| {
                    let divider = !divider_done
                        && marker.is_some_and(|seq| m.seq > seq && m.author_id != chat.me);
                    divider_done |= divider;
                    let grouped = !divider
                        && prev.is_some_and(|p| {
                            p.author_id == m.author_id
                                && !p.deleted
                                && m.created_at - p.created_at < GROUP_MS
                        });
                    prev = Some(m);
                    Row {
                        message: m.clone(),
                        grouped,
                        divider,
                        highlighted: highlight == Some(m.id),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let pending = Memo::new(move |_| {
        let reaches_present = chat.window.with(|w| !w.has_newer);
        if !reaches_present {
            return Vec::new();
        }
        chat.outgoing.with(|o| {
            o.iter()
                .filter(|c| {
                    matches!(&c.command,
                    Command::SendMessage { channel_id: ch, thread_root_id, also_to_channel, .. }
                        if *ch == channel_id && (thread_root_id.is_none() || *also_to_channel))
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    let element = move || {
        log.get_untracked()
            .map(|el| el.unchecked_into::<web_sys::Element>())
    };

    let capture_anchor = move || {
        let Some(el) = element() else { return };
        let top = el.scroll_top();
        let Ok(list) = el.query_selector_all("article[data-seq]") else {
            return;
        };
        for i in 0..list.length() {
            let Some(node) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            else {
                continue;
            };
            if node.offset_top() + node.offset_height() > top {
                let id = node.id().trim_start_matches("msg-").parse().ok();
                anchor.set_value(id.map(|id| (id, node.offset_top() - top)));
                return;
            }
        }
    };
    let restore_anchor = move || {
        let Some(el) = element() else { return };
        let Some((id, offset)) = anchor.get_value() else {
            return;
        };
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(node) = doc
            .get_element_by_id(&format!("msg-{id}"))
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            el.set_scroll_top(node.offset_top() - offset);
        }
    };
    let scroll_to_bottom = move || {
        if let Some(el) = element() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    let newest_visible_seq = move || -> Option<Seq> {
        let el = element()?;
        let bottom = el.scroll_top() + el.client_height();
        let list = el.query_selector_all("article[data-seq]").ok()?;
        let mut best = None;
        for i in 0..list.length() {
            let node = list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()?;
            if node.offset_top() < bottom {
                if let Some(seq) = node
                    .get_attribute("data-seq")
                    .and_then(|s| s.parse::<Seq>().ok())
                {
                    best = best.max(Some(seq));
                }
            }
        }
        best
    };
    let mark_read = move || {
        if !chat.tab_visible.get_untracked() || chat.active.get_untracked() != Some(channel_id) {
            return;
        }
        if let Some(seq) = newest_visible_seq() {
            chat.mark_read(channel_id, seq);
        }
    };

    // After every change of the rows: stick to the bottom, jump to a highlighted
    // message on first load, or keep the reader's place.
    Effect::new(move |_| {
        rows.track();
        pending.track();
        let (loaded, generation) = chat.window.with(|w| (w.loaded, w.generation));
        if !loaded {
            return;
        }
        let first = first_layout.get_value() != Some(generation);
        let apply = move || {
            if first {
                first_layout.set_value(Some(generation));
                if let Some(id) = chat.highlight.get_untracked() {
                    if let Some(node) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id(&format!("msg-{id}")))
                    {
                        let opts = web_sys::ScrollIntoViewOptions::new();
                        opts.set_block(web_sys::ScrollLogicalPosition::Center);
                        node.scroll_into_view_with_scroll_into_view_options(&opts);
                        capture_anchor();
                        return;
                    }
                }
                scroll_to_bottom();
            } else if chat.at_bottom.get_untracked() {
                scroll_to_bottom();
            } else {
                restore_anchor();
            }
            capture_anchor();
            mark_read();
        };
        untrack(apply);
        // The list may be gone by the next frame (e.g. the user switched channels):
        // everything `apply` touches belongs to this component, so skip it then.
        request_animation_frame(move || {
            if !first_layout.is_disposed() {
                apply();
            }
        });
    });

    // Reading resumes when the tab becomes visible again.
    Effect::new(move |_| {
        if chat.tab_visible.get() {
            untrack(mark_read);
        }
    });

    let on_scroll = move |_| {
        let Some(el) = element() else { return };
        let top = el.scroll_top();
        let from_bottom = el.scroll_height() - top - el.client_height();
        let at_bottom = from_bottom < BOTTOM_SLOP_PX;
        let (has_newer, has_older) = chat.window.with_untracked(|w| (w.has_newer, w.has_older));
        let really_at_bottom = at_bottom && !has_newer;
        if chat.at_bottom.get_untracked() != really_at_bottom {
            chat.at_bottom.set(really_at_bottom);
        }
        if really_at_bottom && chat.unseen_below.get_untracked() > 0 {
            chat.unseen_below.set(0);
        }
        capture_anchor();
        if top < EDGE_PX && has_older {
            chat.load_older();
        } else if from_bottom < EDGE_PX && has_newer {
            chat.load_newer();
        }
        mark_read();
    };

    // "Jump to first unread" when the divider exists but is scrolled out of view.
    let divider_visible = RwSignal::new(true);
    let check_divider = move || {
        let visible = (|| {
            let el = element()?;
            let d = el.query_selector("[role=separator].new-divider").ok()??;
            let d = d.dyn_into::<web_sys::HtmlElement>().ok()?;
            let top = el.scroll_top();
            Some(d.offset_top() >= top && d.offset_top() <= top + el.client_height())
        })()
        .unwrap_or(true);
        if divider_visible.get_untracked() != visible {
            divider_visible.set(visible);
        }
    };
    let jump_to_unread = move |_| {
        if let Some(d) = element().and_then(|el| {
            el.query_selector("[role=separator].new-divider")
                .ok()
                .flatten()
        }) {
            chat.at_bottom.set(false);
            d.scroll_into_view();
            capture_anchor();
        }
    };
    let has_divider = move || rows.with(|r| r.iter().any(|r| r.divider));

    view! {
        <div class="message-list-wrap">
            {move || (has_divider() && !divider_visible.get()).then(|| view! {
                <button type="button" class="button secondary small jump-unread"
                    on:click=jump_to_unread>
                    "Jump to first unread"
                </button>
            })}
            <div
                node_ref=log
                class="message-list"
                role="log"
                aria-label=move || label.get()
                tabindex="0"
                on:scroll=move |ev| { on_scroll(ev); check_divider(); }
            >
                {move || chat.window.with(|w| {
                    if w.loading_older {
                        Some(view! {
                            <p class="list-edge muted small" role="status">
                                "Loading older messages…"
                            </p>
                        }.into_any())
                    } else if w.loaded && !w.has_older && w.error.is_none() {
                        Some(view! {
                            <p class="list-edge muted small">
                                "This is the beginning of the conversation."
                            </p>
                        }.into_any())
                    } else {
                        None
                    }
                })}
                {move || chat.window.with(|w| w.error.clone()).map(|m| view! {
                    <p class="alert" role="alert">{m}</p>
                })}
                {move || chat.window.with(|w| !w.loaded).then(|| view! {
                    <p class="list-edge muted" role="status">"Loading messages…"</p>
                })}
                <For
                    each=move || rows.get()
                    key=|row| (revision(&row.message), row.grouped, row.divider, row.highlighted)
                    let:row
                >
                    {row.divider.then(|| view! {
                        <div class="new-divider" role="separator" aria-label="New messages">
                            <span aria-hidden="true">"New messages"</span>
                        </div>
                    })}
                    <MessageRow message=row.message grouped=row.grouped
                        highlighted=row.highlighted />
                </For>
                <For each=move || pending.get() key=|c| c.id let:c>
                    <PendingRow command=c />
                </For>
                {move || chat.window.with(|w| w.loading_newer).then(|| view! {
                    <p class="list-edge muted small" role="status">"Loading newer messages…"</p>
                })}
            </div>
            {move || {
                let unseen = chat.unseen_below.get();
                let away = !chat.at_bottom.get() || chat.window.with(|w| w.has_newer);
                (away && (unseen > 0 || chat.window.with(|w| w.has_newer))).then(|| view! {
                    <button type="button" class="button primary small new-below"
                        on:click=move |_| {
                            chat.at_bottom.set(true);
                            chat.jump_to_latest();
                            scroll_to_bottom();
                        }>
                        {if unseen > 0 { "New messages below" } else { "Jump to latest" }}
                    </button>
                })
            }}
        </div>
    }
}
