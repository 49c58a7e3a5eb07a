//! Who is in the room, with host controls per person; for hosts, who was removed
//! (barred from rejoining) with "Allow back".

use leptos::prelude::*;
use tandem_protocol::meetings::{HostAction, ParticipantId};

use crate::components::icons::{Glyph, Icon};
use crate::contexts::meeting::room::Room;

#[component]
pub fn PeoplePanel() -> impl IntoView {
    let room = expect_context::<Room>();
    let host = Memo::new(move |_| room.am_host());
    let town_hall = Memo::new(move |_| {
        room.meeting
            .with(|m| m.as_ref().is_some_and(|m| m.town_hall))
    });
    let rows = Memo::new(move |_| {
        let you = room.you.get();
        room.participants.with(|ps| {
            ps.iter()
                .map(|p| {
                    (
                        p.id,
                        p.display_name.clone(),
                        Some(p.id) == you,
                        p.host,
                        p.guest,
                        p.media.audio_muted,
                        p.media.hand_raised,
                        p.on_stage,
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <aside class="side-panel meeting-panel" role="complementary" aria-label="Participants">
            <h2>"Participants"</h2>
            <ul class="people-list">
                <For each=move || rows.get() key=|r| r.clone() let:r>
                    {
                        let (id, name, me, is_host, guest, muted, hand, on_stage) = r;
                        let id: ParticipantId = id;
                        view! {
                            <li aria-label=name.clone()>
                                <span class="person-name">
                                    {name.clone()}{me.then_some(" (you)")}
                                </span>
                                {is_host.then(|| view! { <span class="badge">"Host"</span> })}
                                {guest.then(|| view! { <span class="badge">"Guest"</span> })}
                                {muted.then(|| view! { <span class="muted small">" muted"</span> })}
                                {hand.then(|| view! {
                                    <span class="hand" role="img" aria-label="Hand raised">
                                        <Icon glyph=Glyph::Hand />
                                    </span>
                                })}
                                <Show when=move || town_hall.get() && !on_stage>
                                    <span class="badge">"Audience"</span>
                                </Show>
                                <Show when=move || town_hall.get() && host.get() && !me>
                                    <span class="person-actions">
                                        {if on_stage {
                                            view! {
                                                <button type="button" class="button secondary small"
                                                    on:click=move |_| {
                                                        room.host(HostAction::SendToAudience {
                                                            participant_id: id,
                                                        })
                                                    }>"Send to audience"</button>
                                            }.into_any()
                                        } else {
                                            view! {
                                                <button type="button" class="button primary small"
                                                    on:click=move |_| {
                                                        room.host(HostAction::BringOnStage {
                                                            participant_id: id,
                                                        })
                                                    }>"Bring on stage"</button>
                                            }.into_any()
                                        }}
                                    </span>
                                </Show>
                                <Show when=move || host.get() && !me>
                                    <span class="person-actions">
                                        <button type="button" class="button secondary small"
                                            on:click=move |_| {
                                                room.host(HostAction::AskUnmute {
                                                    participant_id: id,
                                                })
                                            }>"Ask to unmute"</button>
                                        <button type="button" class="button danger small"
                                            on:click=move |_| {
                                                room.host(HostAction::Remove { participant_id: id })
                                            }>"Remove"</button>
                                    </span>
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
            <RemovedList />
        </aside>
    }
}

/// Hosts: people removed from the meeting, who cannot rejoin until allowed back (as in
/// Zoom: removal is a ban for this meeting, guest link included).
#[component]
fn RemovedList() -> impl IntoView {
    let room = expect_context::<Room>();
    let host = Memo::new(move |_| room.am_host());
    let removed = Memo::new(move |_| {
        room.removed.with(|r| {
            r.iter()
                .map(|p| (p.id, p.display_name.clone(), p.guest))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || host.get() && !removed.with(Vec::is_empty)>
            <h3>"Removed"</h3>
            <p class="muted small">"They cannot rejoin until you allow them back."</p>
            <ul class="people-list" aria-label="Removed from the meeting">
                <For each=move || removed.get() key=|r| r.0 let:r>
                    {
                        let (removal_id, name, guest) = r;
                        view! {
                            <li aria-label=name.clone()>
                                <span class="person-name">{name.clone()}</span>
                                {guest.then(|| view! { <span class="badge">"Guest"</span> })}
                                <span class="person-actions">
                                    <button type="button" class="button secondary small"
                                        on:click=move |_| {
                                            room.host(HostAction::Readmit { removal_id })
                                        }>
                                        "Allow back"
                                    </button>
                                </span>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}

/// Hosts: people knocking on a locked meeting, always visible (not only in the panel).
#[component]
pub fn KnockList() -> impl IntoView {
    let room = expect_context::<Room>();
    let host = Memo::new(move |_| room.am_host());
    let waiting = Memo::new(move |_| {
        room.knocking.with(|k| {
            k.iter()
                .map(|p| (p.id, p.display_name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || host.get() && !waiting.with(Vec::is_empty)>
            <section class="knock-list" aria-label="Waiting to join">
                <For each=move || waiting.get() key=|w| w.0 let:w>
                    {
                        let (id, name) = w;
                        view! {
                            <div class="knock">
                                <span role="status">{format!("{name} is waiting to join")}</span>
                                <button type="button" class="button primary small"
                                    on:click=move |_| {
                                        room.host(HostAction::Admit { participant_id: id })
                                    }>"Admit"</button>
                                <button type="button" class="button secondary small"
                                    on:click=move |_| {
                                        room.host(HostAction::Deny { participant_id: id })
                                    }>"Deny"</button>
                            </div>
                        }
                    }
                </For>
            </section>
        </Show>
    }
}
