//! One participant's tile: video, name, muted / hand / quality badges, and the
//! "Reconnecting…" overlay. Every value it shows is its own Memo, so a change to one
//! participant (or to the stats) never remounts anyone's `<video>`.

use leptos::prelude::*;
use tandem_protocol::meetings::ParticipantId;
use tandem_protocol::sfu::Layer;

use crate::components::icons::{Glyph, Icon};
use crate::components::meeting::video::StreamVideo;
use crate::contexts::meeting::format::initials;
use crate::contexts::meeting::room::Room;
use crate::media::{PeerState, Quality, SpeakerId, StreamKind};

fn quality_word(q: Quality) -> &'static str {
    match q {
        Quality::Good => "good",
        Quality::Fair => "fair",
        Quality::Poor => "poor",
    }
}

#[component]
pub fn Tile(pid: ParticipantId, local: bool) -> impl IntoView {
    let room = expect_context::<Room>();
    let person = Memo::new(move |_| {
        room.participants.with(|ps| {
            ps.iter()
                .find(|p| p.id == pid)
                .map(|p| (p.display_name.clone(), p.media.clone()))
        })
    });
    let name =
        Memo::new(move |_| person.with(|p| p.as_ref().map(|p| p.0.clone()).unwrap_or_default()));
    let media = Memo::new(move |_| {
        if local {
            room.media.get()
        } else {
            person.with(|p| p.as_ref().map(|p| p.1.clone()).unwrap_or_default())
        }
    });
    let muted = Memo::new(move |_| media.with(|m| m.audio_muted));
    let camera_off =
        Memo::new(move |_| media.with(|m| m.video_off) || (local && !room.has_video.get()));
    let hand = Memo::new(move |_| media.with(|m| m.hand_raised));
    let reconnecting = Memo::new(move |_| {
        !local
            && room
                .peer_states
                .with(|s| matches!(s.get(&pid), Some(PeerState::Reconnecting { .. })))
    });
    let quality = Memo::new(move |_| {
        if local {
            Quality::Good
        } else {
            room.quality
                .with(|q| q.get(&pid).copied().unwrap_or(Quality::Good))
        }
    });
    let frames = Memo::new(move |_| room.frames.with(|f| f.get(&pid).copied().unwrap_or(0)));
    let speaking = Memo::new(move |_| {
        room.speaker.with(|s| match s {
            Some(SpeakerId::Local) => local,
            Some(SpeakerId::Remote(peer)) => !local && *peer == pid.to_string(),
            None => false,
        })
    });
    let label = move || {
        if local {
            format!("{} (you)", name.get())
        } else {
            name.get()
        }
    };
    let key = (if local { None } else { Some(pid) }, StreamKind::Camera);
    let figure = NodeRef::<leptos::html::Figure>::new();
    if !local {
        watch_view(room, pid, figure);
    }
    let upstream = move || room.upstream.get().filter(|_| local);
    let connection = move || format!("Connection: {}", quality_word(quality.get()));
    let pinned = Memo::new(move |_| room.pinned.get() == Some(pid));
    let pin_label = move || {
        let verb = if pinned.get() { "Unpin" } else { "Pin" };
        format!("{verb} {}", label())
    };

    view! {
        <figure
            class="tile"
            class:speaking=move || speaking.get()
            class:camera-off=move || camera_off.get()
            class:local=local
            class:pinned=move || pinned.get()
            aria-label=label
            aria-current=move || speaking.get().then_some("true")
            data-participant-id=pid.to_string()
            data-frames-decoded=move || (!local).then(|| frames.get().to_string())
            data-upstream-video-streams=move || upstream().map(|u| u.video_streams.to_string())
            data-upstream-layers=move || upstream().map(|u| u.layers.to_string())
            node_ref=figure
        >
            <StreamVideo key=key muted=local />
            <div class="tile-placeholder" aria-hidden="true">{move || initials(&name.get())}</div>
            <Show when=move || reconnecting.get()>
                <div class="tile-overlay" role="status">"Reconnecting…"</div>
            </Show>
            <figcaption>
                <span class="tile-name">{label}</span>
                <button type="button" class="tile-pin" aria-pressed=move || pinned.get().to_string()
                    aria-label=pin_label title=pin_label
                    on:click=move |_| room.pinned.update(|p| {
                        *p = if *p == Some(pid) { None } else { Some(pid) }
                    })><Icon glyph=Glyph::Pin /></button>
                <Show when=move || muted.get()>
                    <span class="tile-badge muted-badge" role="img"
                        aria-label=move || format!("{} is muted", name.get())>
                        <Icon glyph=Glyph::MicOff />
                    </span>
                </Show>
                <Show when=move || hand.get()>
                    <span class="tile-badge" role="img"
                        aria-label=move || format!("{} raised their hand", name.get())>
                        <Icon glyph=Glyph::Hand />
                    </span>
                </Show>
                <span
                    class=move || format!("quality quality-{}", quality_word(quality.get()))
                    role="img"
                    title=connection
                    aria-label=connection
                ></span>
            </figcaption>
        </figure>
    }
}

/// Tells the room, once a second, how large this remote tile is on screen (`None`
/// when scrolled out of view or the tab is hidden), so that through the SFU it gets
/// the simulcast layer that fits and off-screen tiles cost nothing.
fn watch_view(room: Room, pid: ParticipantId, figure: NodeRef<leptos::html::Figure>) {
    let last = std::cell::Cell::new(None::<Option<Layer>>);
    let tick = move || {
        let Some(el) = figure.get_untracked() else {
            return;
        };
        let hidden = document().hidden();
        let rect = el.get_bounding_client_rect();
        let viewport = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        let visible =
            !hidden && rect.height() > 0.0 && rect.bottom() > 0.0 && rect.top() < viewport;
        let layer = visible.then(|| Layer::for_tile_height(rect.height()));
        if last.replace(Some(layer)) != Some(layer) {
            room.set_view(pid, layer);
        }
    };
    if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_millis(1_000)) {
        on_cleanup(move || {
            handle.clear();
            // Unmounted (another page of the grid, or gone): stop receiving its video.
            room.set_view(pid, None);
        });
    }
}

/// A participant's screen share, shown large.
#[component]
pub fn ScreenTile(pid: ParticipantId) -> impl IntoView {
    let room = expect_context::<Room>();
    let name = Memo::new(move |_| {
        room.participants.with(|ps| {
            ps.iter()
                .find(|p| p.id == pid)
                .map(|p| p.display_name.clone())
                .unwrap_or_default()
        })
    });
    let label = move || format!("{}'s screen", name.get());
    view! {
        <figure class="tile screen-tile" aria-label=label data-participant-id=pid.to_string()>
            <StreamVideo key=(Some(pid), StreamKind::Screen) />
            <figcaption><span class="tile-name">{label}</span></figcaption>
        </figure>
    }
}
