//! Proposals and decisions: create from a message, vote, decide, escalate, and the
//! channel and workspace decision logs.

use tandem_protocol::chat::{ChannelId, MessageId};
use tandem_protocol::decisions::{
    CreateProposalRequest, DecideRequest, Proposal, ProposalId, VoteRequest,
};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::Timestamp;

use super::client::{get, into_json, post, put, send, send_json, Result};
use super::search::encode_component;
use super::AuthorizedApi;

/// `/api/decisions?q=&channel_id=`, leaving out what is empty.
pub fn search_path(q: &str, channel_id: Option<ChannelId>) -> String {
    let mut params = Vec::new();
    if !q.trim().is_empty() {
        params.push(format!("q={}", encode_component(q.trim())));
    }
    if let Some(id) = channel_id {
        params.push(format!("channel_id={id}"));
    }
    if params.is_empty() {
        "/api/decisions".to_string()
    } else {
        format!("/api/decisions?{}", params.join("&"))
    }
}

impl AuthorizedApi {
    /// `now` is the server's clock as the app knows it, for the deadline check.
    pub async fn create_proposal(
        &self,
        message_id: MessageId,
        req: &CreateProposalRequest,
        now: Timestamp,
    ) -> Result<Proposal> {
        req.validate(now)?;
        let path = format!("/api/messages/{message_id}/proposal");
        into_json(send_json(post(self.base(), &path), req).await?).await
    }

    pub async fn vote(&self, id: ProposalId, req: &VoteRequest) -> Result<Proposal> {
        req.validate()?;
        into_json(send_json(put(self.base(), &format!("/api/proposals/{id}/vote")), req).await?)
            .await
    }

    pub async fn decide(&self, id: ProposalId, req: &DecideRequest) -> Result<Proposal> {
        req.validate()?;
        into_json(
            send_json(
                post(self.base(), &format!("/api/proposals/{id}/decide")),
                req,
            )
            .await?,
        )
        .await
    }

    /// The owner takes standing objections to a call: the thread's meeting.
    pub async fn escalate_proposal(&self, id: ProposalId) -> Result<Meeting> {
        into_json(send(post(self.base(), &format!("/api/proposals/{id}/escalate"))).await?).await
    }

    /// The channel's proposals, newest first.
    pub async fn channel_decisions(&self, channel_id: ChannelId) -> Result<Vec<Proposal>> {
        into_json(
            send(get(
                self.base(),
                &format!("/api/channels/{channel_id}/decisions"),
            ))
            .await?,
        )
        .await
    }

    /// Proposals in my channels whose question or decision matches `q`.
    pub async fn search_decisions(
        &self,
        q: &str,
        channel_id: Option<ChannelId>,
    ) -> Result<Vec<Proposal>> {
        into_json(send(get(self.base(), &search_path(q, channel_id))).await?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn search_path_encodes_and_skips_empty_parts() {
        assert_eq!(search_path("  ", None), "/api/decisions");
        assert_eq!(
            search_path(" ship & go ", None),
            "/api/decisions?q=ship%20%26%20go"
        );
        let c = Uuid::from_u128(7);
        assert_eq!(
            search_path("", Some(c)),
            format!("/api/decisions?channel_id={c}")
        );
        assert_eq!(
            search_path("x", Some(c)),
            format!("/api/decisions?q=x&channel_id={c}")
        );
    }
}
