//! The tiles: a keyed list (a tile mounts once per participant), with screen shares
//! on a large stage above them and the tiles as a filmstrip below. Grid vs speaker
//! layout is only a class on the container, so switching never remounts a video. The
//! grid pages past [`PAGE_SIZE`] tiles (tiles on other pages unmount, and through the
//! SFU their video is paused); a pinned tile comes first and large. In a town hall only
//! the speakers have tiles.

use leptos::prelude::*;
use tandem_protocol::meetings::ParticipantId;

use crate::components::meeting::tile::{ScreenTile, Tile};
use crate::contexts::meeting::room::Room;
use crate::media::StreamKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Grid,
    Speaker,
}

/// Tiles on one page of the grid.
pub const PAGE_SIZE: usize = 9;

#[component]
pub fn Stage(layout: RwSignal<Layout>) -> impl IntoView {
    let room = expect_context::<Room>();
    let page = RwSignal::new(0usize);
    // Ids only: joins, leaves and reorders change this; mute or stats updates do not.
    let tiles = Memo::new(move |_| {
        let you = room.you.get();
        // A town hall shows its speakers; the audience is in the people panel.
        let town_hall = room
            .meeting
            .with(|m| m.as_ref().is_some_and(|m| m.town_hall));
        let mut ids: Vec<(ParticipantId, bool)> = room.participants.with(|ps| {
            ps.iter()
                .filter(|p| p.on_stage || !town_hall)
                .map(|p| (p.id, Some(p.id) == you))
                .collect()
        });
        let pinned = room.pinned.get();
        ids.sort_by_key(|(id, local)| (Some(*id) != pinned, !local));
        ids
    });
    let screens = Memo::new(move |_| {
        let mut ids: Vec<ParticipantId> = room.stream_ids.with(|s| {
            s.keys()
                .filter_map(|(who, kind)| (*kind == StreamKind::Screen).then_some(*who).flatten())
                .collect()
        });
        ids.sort();
        ids
    });
    let sharing = Memo::new(move |_| {
        room.stream_ids
            .with(|s| s.contains_key(&(None, StreamKind::Screen)))
    });
    let has_stage = Memo::new(move |_| !screens.with(Vec::is_empty));
    let paged = Memo::new(move |_| layout.get() == Layout::Grid && !has_stage.get());
    let pages = Memo::new(move |_| tiles.with(Vec::len).div_ceil(PAGE_SIZE).max(1));
    let many_pages = Memo::new(move |_| pages.get() > 1);
    let shown = Memo::new(move |_| {
        let all = tiles.get();
        if !paged.get() {
            return all;
        }
        let page = page.get().min(pages.get() - 1);
        all.into_iter()
            .skip(page * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect::<Vec<_>>()
    });
    let class = move || {
        let mode = if has_stage.get() || layout.get() == Layout::Speaker {
            "layout-speaker"
        } else {
            "layout-grid"
        };
        format!("stage {mode}")
    };
    view! {
        <div class=class data-count=move || tiles.with(Vec::len).to_string()>
            <Show when=move || has_stage.get()>
                <div class="screens">
                    <For each=move || screens.get() key=|id| *id let:id>
                        <ScreenTile pid=id />
                    </For>
                </div>
            </Show>
            <Show when=move || room.media_reconnecting.get()>
                <p class="sharing-note" role="status">"Reconnecting media…"</p>
            </Show>
            <Show when=move || sharing.get()>
                <p class="sharing-note" role="status">"You are sharing your screen."</p>
            </Show>
            <div class="tiles" class:pinned=move || room.pinned.get().is_some()>
                <For each=move || shown.get() key=|(id, _)| *id let:t>
                    <Tile pid=t.0 local=t.1 />
                </For>
            </div>
            <Show when=move || paged.get() && many_pages.get()>
                <nav class="tile-pages" aria-label="Pages of participants">
                    <button type="button" class="button secondary small"
                        disabled=move || page.get() == 0
                        on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                        "Previous page"
                    </button>
                    <span role="status">
                        {move || {
                            let n = pages.get();
                            format!("Page {} of {n}", page.get().min(n - 1) + 1)
                        }}
                    </span>
                    <button type="button" class="button secondary small"
                        disabled=move || page.get() + 1 >= pages.get()
                        on:click=move |_| page.update(|p| *p += 1)>
                        "Next page"
                    </button>
                </nav>
            </Show>
        </div>
    }
}
