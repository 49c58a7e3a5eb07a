//! Clients on other nodes using rooms this node holds, and the way there.
//!
//! A meeting's or a board's live room is held by one node (`cluster::owners`). A
//! client connected elsewhere has its requests for that room forwarded here; each such
//! connection gets a proxy: a task that runs its requests in order, exactly as the
//! socket task would (same handlers, same callers, its own board mailbox), and whose
//! answers go back as notices to the connection id, which the bus carries to the node
//! the socket is on. The proxy ends when that socket closes (`closed`) or its node is
//! gone (`home_gone`), and leaves its meetings and boards as a closing socket does.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tandem_protocol::boards::BoardRequest;
use tandem_protocol::meetings::MeetingRequest;
use tandem_protocol::ws::ServerFrame;
use tandem_protocol::UserId;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::cluster::bus::Message;
use super::cluster::owners::Resource;
use super::cluster::NodeId;
use super::open_rooms::OpenRooms;
use super::target::Target;
use crate::boards::mailbox;
use crate::meetings::GuestScope;
use crate::state::{AppState, WeakState};

/// Requests a proxy may have waiting; the client's own rate limit keeps it far below.
const QUEUE: usize = 256;

/// What a forwarded request carries: who asks, and the request.
#[derive(Serialize, Deserialize)]
struct Forwarded {
    user_id: UserId,
    guest: Option<GuestScope>,
    request: Request,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    Meeting(MeetingRequest),
    Board(BoardRequest),
}

impl Request {
    fn resource(&self) -> Resource {
        match self {
            Request::Meeting(request) => {
                Resource::Meeting(crate::meetings::requests::meeting_of(request))
            }
            Request::Board(request) => Resource::Board(request.board_id()),
        }
    }
}

/// The client a request is from, as the socket task knows it.
pub struct From<'a> {
    pub connection_id: Uuid,
    pub user_id: UserId,
    pub guest: Option<&'a GuestScope>,
}

/// Sends the request to the node holding its room, if that is another node. Gives the
/// request back when this node holds it (or there is one node): the caller runs it.
pub async fn forward_if_elsewhere(
    state: &AppState,
    from: &From<'_>,
    request: Request,
) -> Result<Option<Request>, sqlx::Error> {
    let Some(cluster) = &state.cluster else {
        return Ok(Some(request));
    };
    let owner = cluster
        .owners
        .owner(&state.db, cluster.node(), request.resource())
        .await?;
    if owner == cluster.node() {
        return Ok(Some(request));
    }
    let forwarded = Forwarded {
        user_id: from.user_id,
        guest: from.guest.cloned(),
        request,
    };
    match serde_json::to_string(&forwarded) {
        Ok(body) => {
            cluster.forwarded(owner, from.connection_id);
            cluster.bus.send_to(
                owner,
                Message::Forward {
                    connection_id: from.connection_id,
                    body,
                },
            );
        }
        Err(err) => tracing::error!(error = %err, "could not encode a forwarded request"),
    }
    Ok(None)
}

struct Proxy {
    home: NodeId,
    requests: mpsc::Sender<Request>,
}

#[derive(Default)]
pub struct RemoteConnections {
    proxies: Mutex<HashMap<Uuid, Proxy>>,
}

impl RemoteConnections {
    fn proxies(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, Proxy>> {
        self.proxies.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A request forwarded by `home` for its connection: queued to that connection's proxy.
pub fn accept(state: &AppState, home: NodeId, connection_id: Uuid, body: &str) {
    let forwarded: Forwarded = match serde_json::from_str(body) {
        Ok(forwarded) => forwarded,
        Err(err) => {
            tracing::warn!(error = %err, "unreadable forwarded request");
            return;
        }
    };
    let mut proxies = state.remote.proxies();
    let proxy = proxies.entry(connection_id).or_insert_with(|| {
        let (requests, queue) = mpsc::channel(QUEUE);
        let client = Client {
            state: state.downgrade(),
            connection_id,
            user_id: forwarded.user_id,
            guest: forwarded.guest,
        };
        tokio::spawn(client.run(queue));
        Proxy { home, requests }
    });
    if proxy.requests.try_send(forwarded.request).is_err() {
        tracing::warn!(%connection_id, "a remote client's requests overflowed; one dropped");
    }
}

/// The connection closed on its node: its proxy ends (leaving its rooms).
pub fn closed(state: &AppState, connection_id: Uuid) {
    state.remote.proxies().remove(&connection_id);
}

/// A node is gone: the proxies of its connections end.
pub fn home_gone(state: &AppState, home: NodeId) {
    state.remote.proxies().retain(|_, proxy| proxy.home != home);
}

/// A connection on another node, as the handlers here see it.
struct Client {
    state: WeakState,
    connection_id: Uuid,
    user_id: UserId,
    guest: Option<GuestScope>,
}

impl Client {
    async fn run(self, mut requests: mpsc::Receiver<Request>) {
        let (mailbox, mut inbox) = mailbox::mailbox();
        let mut open_rooms = OpenRooms::default();
        loop {
            tokio::select! {
                request = requests.recv() => {
                    let Some(request) = request else { break };
                    let Some(state) = self.state.upgrade() else { return };
                    match request {
                        Request::Meeting(request) => self.meeting(&state, request).await,
                        Request::Board(request) => {
                            let caller = crate::boards::requests::Caller {
                                connection_id: self.connection_id,
                                user_id: self.user_id,
                                guest: self.guest.as_ref(),
                                mailbox: &mailbox,
                            };
                            if let Some(reply) = open_rooms.board(&state, &caller, request).await {
                                self.send(&state, ServerFrame::Board(reply));
                            }
                        }
                    }
                }
                notice = inbox.next() => {
                    let Some(state) = self.state.upgrade() else { return };
                    self.send(&state, ServerFrame::Board(notice));
                }
            }
        }
        // Gone: out of its meetings and boards, as a closed socket.
        if let Some(state) = self.state.upgrade() {
            open_rooms.leave_all(&state, self.connection_id).await;
        }
    }

    async fn meeting(&self, state: &AppState, request: MeetingRequest) {
        let caller = crate::meetings::requests::Caller {
            connection_id: self.connection_id,
            user_id: self.user_id,
            guest: self.guest.as_ref(),
        };
        Box::pin(crate::meetings::requests::handle(state, &caller, request)).await;
    }

    fn send(&self, state: &AppState, frame: ServerFrame) {
        state
            .ephemeral
            .send(Target::Connections(vec![self.connection_id]), frame);
    }
}
