//! The meeting's chat beside the video: the line being "said" now is highlighted and
//! kept in view; clicking a line seeks to it.

use leptos::html;
use leptos::prelude::*;
use tandem_protocol::recordings::TimelineMarker;
use wasm_bindgen::JsCast;

use super::format::clock_ms;
use super::player::PlayerState;
use super::timeline_math::current_index;

#[derive(Debug, Clone, PartialEq)]
struct Line {
    at_ms: u64,
    author: String,
    text: String,
}

#[component]
pub fn MeetingChat(player: PlayerState, markers: Signal<Vec<TimelineMarker>>) -> impl IntoView {
    let lines = Memo::new(move |_| {
        markers.with(|all| {
            all.iter()
                .filter_map(|m| match m {
                    TimelineMarker::Chat {
                        at_ms,
                        author,
                        text,
                        ..
                    } => Some(Line {
                        at_ms: *at_ms,
                        author: author.clone(),
                        text: text.clone(),
                    }),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
    });
    let ats = Memo::new(move |_| lines.with(|l| l.iter().map(|l| l.at_ms).collect::<Vec<_>>()));
    // A Memo, so the lines re-check only when the current line actually changes, not
    // on every `timeupdate`.
    let current = Memo::new(move |_| {
        let now_ms = (player.current.get().max(0.0) * 1000.0) as u64;
        ats.with(|a| current_index(a, now_ms))
    });
    let log = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let (Some(i), Some(log)) = (current.get(), log.get_untracked()) else {
            return;
        };
        let line = log
            .query_selector(&format!("li[data-index='{i}']"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(line) = line {
            // Scroll the log itself (it is the lines' offset parent), never the page.
            let top = line.offset_top() - (log.client_height() - line.offset_height()) / 2;
            log.set_scroll_top(top.max(0));
        }
    });
    view! {
        <div class="meeting-chat-log" role="log" aria-label="Meeting chat" node_ref=log>
            {move || {
                let all = lines.get();
                if all.is_empty() {
                    return view! {
                        <p class="muted small">"No chat in this meeting."</p>
                    }.into_any();
                }
                view! {
                    <ol>
                        {all.into_iter().enumerate().map(|(i, line)| {
                            let is_current = move || current.get() == Some(i);
                            view! {
                                <li data-index=i.to_string() class:current=is_current
                                    aria-current=move || is_current().then_some("true")>
                                    <button type="button" class="chat-line"
                                        on:click=move |_| {
                                            player.seek_to(line.at_ms as f64 / 1000.0)
                                        }>
                                        <time class="muted small">{clock_ms(line.at_ms)}</time>
                                        " "
                                        <strong class="chat-author">{line.author.clone()}</strong>
                                        " " <span class="chat-text">{line.text.clone()}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </div>
    }
}
