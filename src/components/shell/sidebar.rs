//! The workspace navigation: name, channels, people, and the signed-in user.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::base_path::app_href;
use crate::components::inbox::sidebar_link::InboxLink;
use crate::components::meeting_planner::upcoming::UpcomingMeetings;
use crate::components::people::avatar::Avatar;
use crate::components::shell::channel_list::ChannelSections;
use crate::components::shell::notifications_toggle::NotificationsToggle;
use crate::components::shell::status_editor::StatusEditor;
use crate::components::shell::user_menu::UserMenu;
use crate::contexts::chat::names::distinct_name;
use crate::contexts::realtime::use_realtime;

#[component]
pub fn Sidebar() -> impl IntoView {
    let rt = use_realtime();
    let name = move || rt.settings.with(|s| s.as_ref().map(|s| s.name.clone()));
    // Everyone but me; I appear once, in the user menu at the bottom.
    // Each with the name that tells them apart (from everyone, me included).
    let others = move || {
        let everyone = rt.people.get();
        let mut people: Vec<_> = everyone
            .iter()
            .filter(|u| u.id != rt.me)
            .map(|u| (u.clone(), distinct_name(&everyone, u)))
            .collect();
        people.sort_by_key(|(u, _)| u.display_name.to_lowercase());
        people
    };

    view! {
        <nav id="sidebar" class="sidebar" aria-label="Workspace">
            <div class="workspace-name">
                <span class="logo" aria-hidden="true"></span>
                <span>{move || name().unwrap_or_else(|| "Tandem".into())}</span>
            </div>
            <ChannelSections />
            <ul class="sidebar-links">
                <li><InboxLink /></li>
                <li><A href=app_href("/scheduled")>"Scheduled"</A></li>
                <li><A href=app_href("/recordings")>"Recordings"</A></li>
                <li><A href=app_href("/people")>"All people"</A></li>
                <li><A href=app_href("/decisions")>"Decisions"</A></li>
                <li><A href=app_href("/health")>"Health"</A></li>
            </ul>
            <UpcomingMeetings />
            <section class="sidebar-section grow" aria-labelledby="people-heading">
                <h2 id="people-heading">"People"</h2>
                {move || {
                    let people = others();
                    if people.is_empty() {
                        view! { <p class="muted small">"Just you so far"</p> }.into_any()
                    } else {
                        view! {
                            <ul class="people">
                                {people.into_iter().map(|(u, shown)| view! {
                                    <li class="person">
                                        <Avatar user_id=u.id name=u.display_name.clone() />
                                        <span class="person-text">
                                            <span class="person-name">{shown}</span>
                                            {(!u.status_text.is_empty()).then(|| view! {
                                                <span class="person-status">{u.status_text}</span>
                                            })}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
            </section>
            <div class="sidebar-footer">
                <StatusEditor />
                <NotificationsToggle />
            </div>
            <UserMenu />
        </nav>
    }
}

/// First letter for the avatar circle (text only; never HTML).
pub fn initial(name: &str) -> String {
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}
