//! One entry of a decision log: the question, the decision (or the state), when, the
//! channel, and a link to the message in context.

use leptos::prelude::*;
use leptos_router::components::A;
use tandem_protocol::decisions::{Proposal, ProposalState};

use super::tally::{decided_in_label, state_label, tally, tally_text};
use crate::base_path::app_href;
use crate::time::full_time;

#[component]
pub fn DecisionItem(
    proposal: Proposal,
    /// Shown in the workspace log; the channel's own panel leaves it out.
    #[prop(default = None)]
    channel_name: Option<String>,
) -> impl IntoView {
    let p = proposal;
    let when = p.decided_at.unwrap_or(p.created_at);
    let href = format!("/c/{}?m={}", p.channel_id, p.message_id);
    view! {
        <li class="decision-item">
            <p class="decision-question">{p.question.clone()}</p>
            {match (p.state, p.decision.clone()) {
                (ProposalState::Decided, Some(text)) => view! {
                    <p class="decision-text">
                        "Decided: " {text} " "
                        <span class="muted">{decided_in_label(p.decided_in)}</span>
                    </p>
                }.into_any(),
                _ => view! {
                    <p class="decision-text muted">{tally_text(tally(&p))}</p>
                }.into_any(),
            }}
            <p class="decision-meta muted small">
                <span class="decision-state">{state_label(p.state)}</span>
                " · " <time>{full_time(when)}</time>
                {channel_name.map(|name| view! {
                    " · " <span class="decision-channel">{name}</span>
                })}
                " · " <A href=app_href(&href)>"Show in channel"</A>
            </p>
        </li>
    }
}
