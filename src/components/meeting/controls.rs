//! The meeting toolbar. Toggle buttons are named by what they do next ("Mute
//! microphone" / "Unmute microphone"); panel buttons report `aria-expanded`.

use leptos::prelude::*;
use tandem_protocol::meetings::HostAction;

use crate::components::boards::meeting::{MeetingBoard, WhiteboardButton};
use crate::components::meeting::devices::DeviceSelects;
use crate::components::meeting::recording::RecordButton;
use crate::components::meeting::stage::Layout;
use crate::contexts::meeting::room::Room;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SidePanel {
    None,
    Participants,
    Chat,
    Invite,
}

#[component]
pub fn Controls(
    layout: RwSignal<Layout>,
    panel: RwSignal<SidePanel>,
    /// The meeting whiteboard beside the stage; its toggle reports `aria-pressed`.
    board: MeetingBoard,
    #[prop(into)] on_leave: Callback<()>,
) -> impl IntoView {
    let room = expect_context::<Room>();
    let devices_open = RwSignal::new(false);
    let muted = Memo::new(move |_| room.media.with(|m| m.audio_muted));
    let camera_off = Memo::new(move |_| room.media.with(|m| m.video_off));
    let sharing = Memo::new(move |_| room.media.with(|m| m.screen_stream_id.is_some()));
    let hand = Memo::new(move |_| room.media.with(|m| m.hand_raised));
    let host = Memo::new(move |_| room.am_host());
    let locked = Memo::new(move |_| room.meeting.with(|m| m.as_ref().is_some_and(|m| m.locked)));
    let toggle =
        move |p: SidePanel| panel.update(|cur| *cur = if *cur == p { SidePanel::None } else { p });
    let expanded = move |p: SidePanel| move || (panel.get() == p).to_string();

    view! {
        <div class="meeting-controls" role="toolbar" aria-label="Meeting controls">
            <button type="button" class="button control" class:off=move || muted.get()
                on:click=move |_| room.toggle_mic()>
                {move || if muted.get() { "Unmute microphone" } else { "Mute microphone" }}
            </button>
            <button type="button" class="button control" class:off=move || camera_off.get()
                on:click=move |_| room.toggle_camera()>
                {move || if camera_off.get() { "Turn camera on" } else { "Turn camera off" }}
            </button>
            <button type="button" class="button control" on:click=move |_| room.toggle_screen()>
                {move || if sharing.get() { "Stop sharing" } else { "Share screen" }}
            </button>
            <button type="button" class="button control" on:click=move |_| room.toggle_hand()>
                {move || if hand.get() { "Lower hand" } else { "Raise hand" }}
            </button>
            <button type="button" class="button control"
                on:click=move |_| layout.update(|l| {
                    *l = if *l == Layout::Grid { Layout::Speaker } else { Layout::Grid }
                })>
                {move || if layout.get() == Layout::Grid { "Speaker view" } else { "Grid view" }}
            </button>
            <button type="button" class="button control"
                aria-expanded=expanded(SidePanel::Participants)
                on:click=move |_| toggle(SidePanel::Participants)>"Participants"</button>
            <button type="button" class="button control" aria-expanded=expanded(SidePanel::Chat)
                on:click=move |_| toggle(SidePanel::Chat)>"Chat"</button>
            <WhiteboardButton board />
            <div class="popover-anchor">
                <button type="button" class="button control"
                    aria-expanded=move || devices_open.get().to_string()
                    on:click=move |_| devices_open.update(|o| *o = !*o)>"Devices"</button>
                <Show when=move || devices_open.get()>
                    <div class="popover" role="group" aria-label="Devices">
                        <DeviceSelects />
                    </div>
                </Show>
            </div>
            <Show when=move || host.get()>
                <Show when=move || !room.is_guest>
                    <button type="button" class="button control"
                        aria-expanded=expanded(SidePanel::Invite)
                        on:click=move |_| toggle(SidePanel::Invite)>"Invite guest"</button>
                </Show>
                <button type="button" class="button control"
                    on:click=move |_| {
                        room.host(HostAction::Lock { locked: !locked.get_untracked() })
                    }>
                    {move || if locked.get() { "Unlock meeting" } else { "Lock meeting" }}
                </button>
                <RecordButton />
                <button type="button" class="button control danger"
                    on:click=move |_| room.host(HostAction::End)>
                    "End meeting for all"
                </button>
            </Show>
            <button type="button" class="button control danger" on:click=move |_| on_leave.run(())>
                "Leave meeting"
            </button>
        </div>
    }
}
