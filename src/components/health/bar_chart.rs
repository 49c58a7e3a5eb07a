//! Draws a chart layout (`chart.rs`) as SVG: gridlines and value ticks, bars with
//! `<title>` tooltips, group labels, the legend and a dashed target line. The SVG is
//! one image to assistive technology (named by the figure's caption); the table next
//! to it carries the numbers.

use leptos::prelude::*;

use super::chart::{layout, Chart, LEFT, RIGHT, WIDTH};

#[component]
pub fn BarChart(chart: Chart, caption: &'static str) -> impl IntoView {
    let l = layout(&chart);
    let right = WIDTH - RIGHT;
    view! {
        <svg class="chart" role="img" aria-label=caption
            viewBox=format!("0 0 {WIDTH} {}", l.height) preserveAspectRatio="xMidYMid meet">
            <g class="chart-grid">
                {l.ticks.into_iter().map(|t| view! {
                    <line x1=LEFT x2=right y1=t.y y2=t.y class="gridline" />
                    <text x=LEFT - 6.0 y=t.y + 4.0 text-anchor="end" class="tick-label">
                        {t.label}
                    </text>
                }).collect_view()}
                <line x1=LEFT x2=LEFT y1=l.plot_top y2=l.plot_bottom class="axis" />
                <line x1=LEFT x2=right y1=l.plot_bottom y2=l.plot_bottom class="axis" />
            </g>
            <g class="chart-bars">
                {l.bars.into_iter().map(|b| view! {
                    <rect x=b.x y=b.y width=b.width height=b.height.max(0.5)
                        class=format!("bar series-{}", b.series % 8)>
                        <title>{b.title}</title>
                    </rect>
                }).collect_view()}
            </g>
            <g class="chart-labels">
                {l.labels.into_iter().map(|g| view! {
                    <text x=g.x y=l.plot_bottom + 18.0 text-anchor="middle" class="group-label">
                        {g.label}
                    </text>
                }).collect_view()}
            </g>
            {l.target.map(|(y, label)| view! {
                <g class="chart-target">
                    <line x1=LEFT x2=right y1=y y2=y class="target" />
                    <title>{label}</title>
                </g>
            })}
            <g class="chart-legend">
                {l.legend.into_iter().map(|e| {
                    let swatch = match e.series {
                        Some(i) => view! {
                            <rect x=e.x y=e.y - 9.0 width=12 height=12
                                class=format!("bar series-{}", i % 8) />
                        }.into_any(),
                        None => view! {
                            <line x1=e.x y1=e.y - 3.0 x2=e.x + 12.0 y2=e.y - 3.0 class="target" />
                        }.into_any(),
                    };
                    view! {
                        {swatch}
                        <text x=e.x + 16.0 y=e.y + 1.0 class="legend-label">{e.label}</text>
                    }
                }).collect_view()}
            </g>
        </svg>
    }
}
