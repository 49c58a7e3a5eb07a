//! The tiles: a keyed list (a tile mounts once per participant), with screen shares
//! on a large stage above them (in a town hall, only the speakers have tiles). Grid vs speaker layout is only a class on the
//! container, so switching never remounts a video.

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

#[component]
pub fn Stage(layout: RwSignal<Layout>) -> impl IntoView {
    let room = expect_context::<Room>();
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
        ids.sort_by_key(|(_, local)| !local);
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
            <div class="tiles">
                <For each=move || tiles.get() key=|(id, _)| *id let:t>
                    <Tile pid=t.0 local=t.1 />
                </For>
            </div>
        </div>
    }
}
