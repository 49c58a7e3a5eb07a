//! The board's active read-only links in the share dialog: when each was made, when it
//! expires (every link does), and "Revoke link". Revoked and expired links are left out
//! (they open nothing any more); which ones those are is pure, so it is tested natively.
//! The secret is not listed: the server keeps only its hash.

use leptos::prelude::*;
use tandem_protocol::boards::BoardLink;
use tandem_protocol::Timestamp;
use uuid::Uuid;

use crate::time::full_time;

/// A link that still opens the board at `now_ms`.
pub fn is_active(link: &BoardLink, now_ms: Timestamp) -> bool {
    !link.revoked && link.expires_at > now_ms
}

/// The links still active, in the order given (the server's: newest first).
pub fn active_links(links: &[BoardLink], now_ms: Timestamp) -> Vec<BoardLink> {
    links
        .iter()
        .filter(|l| is_active(l, now_ms))
        .cloned()
        .collect()
}

/// "Expires <when>" with `when` written by `format`.
pub fn expiry_text(expires_at: Timestamp, format: impl Fn(Timestamp) -> String) -> String {
    format!("Expires {}", format(expires_at))
}

#[component]
pub fn LinksList(
    links: RwSignal<Vec<BoardLink>>,
    on_revoke: Callback<Uuid>,
    revoking: Memo<bool>,
) -> impl IntoView {
    let active = Memo::new(move |_| {
        let now = js_sys::Date::now() as Timestamp;
        links.with(|list| active_links(list, now))
    });
    view! {
        <Show when=move || !active.with(Vec::is_empty)>
            <ul class="board-links" aria-label="Active read-only links">
                <For each=move || active.get() key=|link| link.id children=move |link: BoardLink| {
                    let id = link.id;
                    view! {
                        <li class="board-link-row">
                            <span class="small">
                                {format!("Created {}", full_time(link.created_at))}
                            </span>
                            <span class="muted small">
                                {expiry_text(link.expires_at, full_time)}
                            </span>
                            <button type="button" class="button danger small"
                                disabled=move || revoking.get()
                                on:click=move |_| on_revoke.run(id)>"Revoke link"</button>
                        </li>
                    }
                } />
            </ul>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(n: u128, expires_at: Timestamp, revoked: bool) -> BoardLink {
        BoardLink {
            id: Uuid::from_u128(n),
            board_id: Uuid::from_u128(100),
            created_by: Uuid::from_u128(200),
            created_at: 1_000,
            expires_at,
            revoked,
        }
    }

    #[test]
    fn only_links_that_still_open_the_board_are_listed() {
        let now = 10_000;
        let links = [
            link(1, now + 60_000, false),
            link(2, now + 1, false),
            link(3, now, false),
            link(4, now - 1, false),
            link(5, now + 60_000, true),
        ];
        let ids: Vec<u128> = active_links(&links, now)
            .iter()
            .map(|l| l.id.as_u128())
            .collect();
        assert_eq!(ids, [1, 2], "newest first, as the server gave them");
    }

    #[test]
    fn expiry_reads_the_time() {
        assert_eq!(expiry_text(42, |at| format!("at {at}")), "Expires at 42");
    }
}
