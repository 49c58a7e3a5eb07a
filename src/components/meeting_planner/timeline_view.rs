//! Draws the availability timeline (`timeline.rs`) as SVG: a row per person with
//! working hours, focus blocks and meetings, hour ticks, and the chosen slot.

use leptos::prelude::*;

use super::timeline::{Layout, AXIS_HEIGHT, LABEL_WIDTH, PLOT_RIGHT, ROW_HEIGHT};

#[component]
pub fn AvailabilityTimeline(#[prop(into)] layout: Signal<Option<Layout>>) -> impl IntoView {
    let view_box = move || {
        layout
            .with(|l| l.as_ref().map(|l| format!("0 0 {} {}", l.width, l.height)))
            .unwrap_or_else(|| "0 0 720 60".into())
    };
    view! {
        <figure class="timeline-figure">
            <svg class="timeline" role="img" aria-label="Availability timeline"
                viewBox=view_box preserveAspectRatio="xMinYMin meet">
                {move || layout.get().map(draw)}
            </svg>
            <figcaption class="timeline-legend muted small">
                <span class="key working" aria-hidden="true"></span>"Working hours "
                <span class="key focus" aria-hidden="true"></span>"Focus time "
                <span class="key busy" aria-hidden="true"></span>"Meetings "
                <span class="key slot" aria-hidden="true"></span>"Chosen time"
            </figcaption>
        </figure>
    }
}

fn draw(l: Layout) -> impl IntoView {
    let bottom = l.height - 4.0;
    let slot = l.slot.clone();
    view! {
        <g class="ticks">
            {l.ticks.into_iter().enumerate().map(|(i, t)| view! {
                <line x1=t.x x2=t.x y1=AXIS_HEIGHT - 4.0 y2=bottom class="tick" />
                // Every other label when they would crowd (short labels, 24 of them).
                {(i % 2 == 0).then(|| view! {
                    <text x=t.x y=AXIS_HEIGHT - 8.0 class="tick-label" text-anchor="middle">
                        {t.label}
                    </text>
                })}
            }).collect_view()}
        </g>
        {l.rows.into_iter().map(|row| {
            let y = row.y + 4.0;
            let h = ROW_HEIGHT - 8.0;
            view! {
                <g class="person-row">
                    <text x=4 y=row.y + ROW_HEIGHT / 2.0 + 4.0 class="row-label">
                        {row.name.clone()}
                    </text>
                    <rect x=LABEL_WIDTH y=y width=PLOT_RIGHT - LABEL_WIDTH height=h class="off" />
                    {row.working.into_iter().map(|b| view! {
                        <rect x=b.x y=y width=b.width height=h class="working">
                            <title>{format!("{}: working hours", row.name)}</title>
                        </rect>
                    }).collect_view()}
                    {row.focus.into_iter().map(|b| view! {
                        <rect x=b.x y=y width=b.width height=h class="focus">
                            <title>{format!("{}: focus time", row.name)}</title>
                        </rect>
                    }).collect_view()}
                    {row.busy.into_iter().map(|b| view! {
                        <rect x=b.x y=y + h / 4.0 width=b.width height=h / 2.0 class="busy">
                            <title>{format!("{}: in a meeting", row.name)}</title>
                        </rect>
                    }).collect_view()}
                </g>
            }
        }).collect_view()}
        {slot.map(|b| view! {
            <rect x=b.x y=AXIS_HEIGHT - 2.0 width=b.width.max(2.0) height=bottom - AXIS_HEIGHT + 2.0
                class="slot">
                <title>"Chosen time"</title>
            </rect>
        })}
    }
}
