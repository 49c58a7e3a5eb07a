//! The timeline bar: playback progress plus a button per marker (chat, joins, leaves,
//! screen shares, whiteboard changes) placed by time; clicking one seeks there.

use leptos::prelude::*;
use tandem_protocol::recordings::TimelineMarker;

use super::player::PlayerState;
use super::timeline_board::BoardMarker;
use super::timeline_math::{marker_kind, marker_label, position_percent};

#[component]
pub fn TimelineBar(
    player: PlayerState,
    markers: Signal<Vec<TimelineMarker>>,
    /// "Board changed" markers, when the meeting had a whiteboard.
    #[prop(optional)]
    board_markers: Option<Signal<Vec<BoardMarker>>>,
) -> impl IntoView {
    let duration_ms = move || (player.duration.get() * 1000.0) as u64;
    let progress = move || {
        format!(
            "{}%",
            position_percent((player.current.get() * 1000.0) as u64, duration_ms())
        )
    };
    view! {
        <div class="timeline" role="group" aria-label="Timeline">
            <div class="timeline-bar">
                <div class="timeline-progress" style:width=progress></div>
                // Markers change once (when the timeline loads), never with playback.
                {move || markers.get().into_iter().map(|m| {
                    let at = m.at_ms();
                    let label = marker_label(&m);
                    view! {
                        <button
                            type="button"
                            class=format!("timeline-marker {}", marker_kind(&m))
                            style:left=move || format!("{}%", position_percent(at, duration_ms()))
                            aria-label=label.clone()
                            title=label
                            on:click=move |_| player.seek_to(at as f64 / 1000.0)
                        ></button>
                    }
                }).collect_view()}
                {move || board_markers.map(|b| b.get()).unwrap_or_default().into_iter().map(|m| {
                    let at = m.at_ms;
                    let label = m.label();
                    view! {
                        <button
                            type="button"
                            class="timeline-marker board-change"
                            style:left=move || format!("{}%", position_percent(at, duration_ms()))
                            aria-label=label.clone()
                            title=label
                            on:click=move |_| player.seek_to(at as f64 / 1000.0)
                        ></button>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}
