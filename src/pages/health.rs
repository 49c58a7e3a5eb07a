//! `/health`: the communication-health dashboard for a period — meeting share against
//! the 30 % target, SLA adherence and median response time per tier, focus time kept,
//! and the team's counts — as SVG charts with tables of the same numbers, and a CSV.

use leptos::prelude::*;
use tandem_protocol::health::HealthReport;

use crate::components::health::bar_chart::BarChart;
use crate::components::health::csv::{file_name, health_csv};
use crate::components::health::download::download_text;
use crate::components::health::figures::{figures, team_counts, Figure};
use crate::components::health::period::{default_dates, period_range, range_dates, Period};
use crate::components::working_hours::my_time_zone;
use crate::components::working_hours::zone::offset_ms;
use crate::contexts::availability::use_availability;
use crate::contexts::realtime::use_realtime;
use crate::contexts::session::use_session;

#[component]
pub fn HealthPage() -> impl IntoView {
    let session = use_session();
    let rt = use_realtime();
    let availability = use_availability();
    let zone = Memo::new(move |_| my_time_zone(rt, availability));
    // The clock is read when the period is chosen, not reactively (no refetch each minute).
    let now = move || untrack(|| availability.server_now());
    let (first, last) = {
        let z = zone.get_untracked();
        default_dates(now(), |t| offset_ms(&z, t))
    };
    let period = RwSignal::new(Period::Last7);
    let from_date = RwSignal::new(first);
    let to_date = RwSignal::new(last);
    let range = Memo::new(move |_| {
        // Once the server's clock is known, "the last 7 days" end at its now.
        availability.synced();
        let z = zone.get();
        period_range(period.get(), now(), &from_date.get(), &to_date.get(), |t| {
            offset_ms(&z, t)
        })
    });
    let report = LocalResource::new(move || {
        let api = session.authorized_untracked();
        let range = range.get();
        async move {
            let (from, to) = range.ok()?;
            Some(api?.health_report(from, to).await.map_err(|e| e.message()))
        }
    });
    let loaded = Memo::new(move |_| report.get().flatten().and_then(|r| r.ok()));
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        let Some(r) = loaded.get_untracked() else {
            return;
        };
        let z = zone.get_untracked();
        let (from, to) = range_dates(r.from, r.to, |t| offset_ms(&z, t));
        export_error.set(
            download_text(
                &file_name(&from, &to),
                "text/csv;charset=utf-8",
                &health_csv(&r),
            )
            .err(),
        );
    };

    view! {
        <section class="health-page" aria-labelledby="health-heading">
            <h1 id="health-heading">"Communication health"</h1>
            <div class="health-controls">
                <div class="field">
                    <label for="health-period">"Period"</label>
                    <select id="health-period"
                        on:change=move |ev| period.set(Period::parse(&event_target_value(&ev)))>
                        {Period::ALL.iter().map(|p| view! {
                            <option value=p.value() selected=*p == Period::Last7>
                                {p.label()}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || period.get() == Period::Custom>
                    <div class="field">
                        <label for="health-from">"From"</label>
                        <input id="health-from" type="date" prop:value=move || from_date.get()
                            on:change=move |ev| from_date.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="health-to">"To"</label>
                        <input id="health-to" type="date" prop:value=move || to_date.get()
                            on:change=move |ev| to_date.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <button type="button" class="button secondary"
                    disabled=move || loaded.with(Option::is_none)
                    on:click=export>"Export CSV"</button>
            </div>
            {move || range.get().err().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            {move || export_error.get().map(|m| view! { <p class="alert" role="alert">{m}</p> })}
            <Transition fallback=|| view! { <p class="muted">"Loading the report…"</p> }>
                {move || report.get().flatten().map(|r| match r {
                    Err(m) => view! { <p class="alert" role="alert">{m}</p> }.into_any(),
                    Ok(r) => view! { <Report report=r /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Report(report: HealthReport) -> impl IntoView {
    let counts = team_counts(&report);
    view! {
        <div class="health-figures">
            {figures(&report)
                .into_iter()
                .map(|f| view! { <HealthFigure figure=f /> })
                .collect_view()}
        </div>
        <dl class="health-counts">
            {counts.into_iter().map(|(label, n)| view! {
                <div class="health-count">
                    <dt>{label}</dt>
                    <dd>{n}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

#[component]
fn HealthFigure(figure: Figure) -> impl IntoView {
    let caption = figure.caption;
    let table = figure.table;
    view! {
        <figure class="health-figure">
            <figcaption>{caption}</figcaption>
            <BarChart chart=figure.chart caption />
            <table class="health-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        {table
                            .headers
                            .into_iter()
                            .map(|h| view! { <th scope="col">{h}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {table.rows.into_iter().map(|row| {
                        let mut cells = row.into_iter();
                        let head = cells.next().unwrap_or_default();
                        view! {
                            <tr>
                                <th scope="row">{head}</th>
                                {cells.map(|c| view! { <td>{c}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}
