//! A `<video>` bound to a stream by id. The element is created once; only its
//! `srcObject` changes when the stream does, so playback never restarts because
//! something unrelated re-rendered.

use leptos::html;
use leptos::prelude::*;

use crate::contexts::meeting::room::{Room, StreamKey};

#[component]
pub fn StreamVideo(
    key: StreamKey,
    /// Our own preview: muted, so we do not hear ourselves.
    #[prop(optional)]
    muted: bool,
    #[prop(optional, into)] label: Option<String>,
) -> impl IntoView {
    let room = expect_context::<Room>();
    let node = NodeRef::<html::Video>::new();
    let stream_id = Memo::new(move |_| room.stream_ids.with(|s| s.get(&key).cloned()));
    Effect::new(move |_| {
        let _id = stream_id.get();
        if let Some(el) = node.get() {
            let media: &web_sys::HtmlMediaElement = &el;
            media.set_muted(muted);
            media.set_src_object(room.stream(key).as_ref());
            if room.stream(key).is_some() {
                let _ = media.play();
            }
        }
    });
    // Remote audio follows the chosen speaker (where the browser allows choosing).
    if !muted {
        let speaker = Memo::new(move |_| room.chosen.with(|c| c.speaker.clone()));
        Effect::new(move |_| {
            let (Some(id), Some(el)) = (speaker.get(), node.get()) else {
                return;
            };
            if let Some(engine) = room.engine() {
                let el: web_sys::HtmlMediaElement = (*el).clone();
                leptos::task::spawn_local(async move {
                    let _ = engine.set_speaker(&id, &el).await;
                });
            }
        });
    }
    view! {
        <video
            node_ref=node
            autoplay=true
            playsinline=true
            muted=muted
            prop:muted=muted
            aria-label=label
            class:hidden-video=move || stream_id.with(Option::is_none)
        ></video>
    }
}
