//! A posted message's files: pictures as previews, everything else as downloads.

use leptos::prelude::*;
use tandem_protocol::chat::Attachment;

use super::kind::is_inline_image;
use super::size::human_size;
use super::url::attachment_href;
use super::viewer::ImageViewer;
use crate::contexts::session::use_session;

#[component]
pub fn AttachmentList(attachments: Vec<Attachment>) -> impl IntoView {
    let api_base = use_session().config().api_base();
    // The picture shown full size, as (src, name); one dialog serves the whole list.
    let open = RwSignal::new(None::<(String, String)>);
    let (images, files): (Vec<_>, Vec<_>) = attachments
        .into_iter()
        .partition(|a| is_inline_image(&a.content_type));

    let has_images = !images.is_empty();
    let previews = images
        .into_iter()
        .map(|a| {
            let src = attachment_href(&api_base, &a.url);
            let (name, target) = (a.name.clone(), (src.clone(), a.name));
            view! {
                <li class="attachment image">
                    // A button, so the preview is reachable and operable by keyboard; its
                    // name is the picture's alt text.
                    <button
                        type="button"
                        class="attachment-thumb"
                        aria-haspopup="dialog"
                        on:click=move |_| open.set(Some(target.clone()))
                    >
                        <img src=src alt=name loading="lazy" />
                    </button>
                </li>
            }
        })
        .collect_view();

    let downloads = files
        .into_iter()
        .map(|a| {
            let href = attachment_href(&api_base, &a.url);
            let label = format!("{} ({})", a.name, human_size(a.size));
            view! {
                <li class="attachment file">
                    <a class="attachment-download" href=href download=a.name>
                        <span class="file-icon" aria-hidden="true"></span>
                        {label}
                    </a>
                </li>
            }
        })
        .collect_view();

    view! {
        <ul class="attachment-list" aria-label="Attachments">
            {previews}
            {downloads}
        </ul>
        {has_images.then(|| view! { <ImageViewer open /> })}
    }
}
