//! The open connections and what each may see, indexed by channel, person and meeting,
//! so an event or notice costs only the connections it reaches: nothing wakes the
//! sockets outside its audience, and the frame is encoded once by the caller.
//!
//! Durable events (with a `seq`) must never be skipped silently: a connection whose
//! queue is full is taken out of the index and told it lagged (it then asks the
//! client to resync). Ephemeral notices (typing, presence, meeting signalling) are
//! simply dropped for a full queue.
//!
//! A connection is attached at connect, under the log's writer lock together with the
//! head it is told (see `EventLog::attach`), and *holds* the events committed after
//! that head until the client resumes: they go out after the replay, so it sees each
//! event once, in order. The visibility rules mirror `db::events::range_visible`
//! (replay): a new audience changes `recipients` and that query.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::ws::Utf8Bytes;
use tandem_protocol::chat::{ChannelId, ChannelKind};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::ws::Event;
use tandem_protocol::UserId;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, Notify};
use uuid::Uuid;

use super::audience::Audience;
use super::outbound::Outbound;
use super::target::Target;

pub type ConnectionId = Uuid;

/// Who a connection belongs to and what it may see when it is attached.
pub struct Attach {
    pub connection_id: ConnectionId,
    pub user_id: UserId,
    /// The meeting a guest is confined to; `None` for a member.
    pub guest_meeting: Option<MeetingId>,
    /// The member's channels as of the head the connection is told.
    pub channels: HashSet<ChannelId>,
    /// The connection's send queue.
    pub out: mpsc::Sender<Outbound>,
}

pub struct Subscribers {
    index: Mutex<Index>,
    /// Events a connection may hold before it resumes; past that it lagged.
    hold_limit: usize,
}

#[derive(Default)]
struct Index {
    connections: HashMap<ConnectionId, Subscriber>,
    /// Member connections by the channels they are in (guests are in none).
    by_channel: HashMap<ChannelId, HashSet<ConnectionId>>,
    /// Every connection of a person, guests included.
    by_user: HashMap<UserId, HashSet<ConnectionId>>,
    /// Guest connections by the meeting they may see.
    guests_by_meeting: HashMap<MeetingId, HashSet<ConnectionId>>,
    /// Member connections: the workspace's audience.
    members: HashSet<ConnectionId>,
}

struct Subscriber {
    user_id: UserId,
    guest_meeting: Option<MeetingId>,
    channels: HashSet<ChannelId>,
    out: mpsc::Sender<Outbound>,
    /// `Some` until the client resumes: the events committed since its head.
    held: Option<Vec<Utf8Bytes>>,
    lagged: Arc<Notify>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Durable,
    Ephemeral,
}

impl Subscribers {
    pub fn new(hold_limit: usize) -> Self {
        Subscribers {
            index: Mutex::default(),
            hold_limit: hold_limit.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a connection, holding events until `go_live`. The returned signal fires
    /// if it falls behind on durable events (it is then already out of the index).
    pub fn attach(&self, attach: Attach) -> Arc<Notify> {
        let lagged = Arc::new(Notify::new());
        let id = attach.connection_id;
        let mut index = self.lock();
        index.by_user.entry(attach.user_id).or_default().insert(id);
        match attach.guest_meeting {
            Some(meeting) => {
                index
                    .guests_by_meeting
                    .entry(meeting)
                    .or_default()
                    .insert(id);
            }
            None => {
                index.members.insert(id);
                for channel in &attach.channels {
                    index.by_channel.entry(*channel).or_default().insert(id);
                }
            }
        }
        let subscriber = Subscriber {
            user_id: attach.user_id,
            guest_meeting: attach.guest_meeting,
            channels: if attach.guest_meeting.is_some() {
                HashSet::new()
            } else {
                attach.channels
            },
            out: attach.out,
            held: Some(Vec::new()),
            lagged: lagged.clone(),
        };
        index.connections.insert(id, subscriber);
        lagged
    }

    /// Sends what the connection held and delivers live from now on. `false` when it
    /// lagged (it is no longer attached) or its queue cannot take what it held: the
    /// caller waits for room in the queue first (nothing else fills it meanwhile).
    pub fn go_live(&self, connection_id: ConnectionId) -> bool {
        let mut index = self.lock();
        let Some(subscriber) = index.connections.get_mut(&connection_id) else {
            return false;
        };
        let held = subscriber.held.take().unwrap_or_default();
        for text in held {
            if subscriber.out.try_send(Outbound::Shared(text)).is_err() {
                index.remove(connection_id);
                return false;
            }
        }
        true
    }

    pub fn detach(&self, connection_id: ConnectionId) {
        self.lock().remove(connection_id);
    }

    pub fn in_channel(&self, connection_id: ConnectionId, channel: ChannelId) -> bool {
        self.lock()
            .connections
            .get(&connection_id)
            .is_some_and(|s| s.channels.contains(&channel))
    }

    /// Delivers a committed event (encoded as `text`) to its audience. Called in `seq`
    /// order under the log's writer lock, which also keeps the channel sets in step:
    /// a join counts before the check (the join itself arrives), a leave after it (the
    /// leave still arrives).
    pub fn publish(&self, audience: &Audience, event: &Event, text: &Utf8Bytes) {
        let mut index = self.lock();
        match event {
            Event::MemberJoined {
                channel_id,
                user_id,
            } => index.join(*user_id, *channel_id),
            Event::ChannelUpdated { channel } if channel.kind == ChannelKind::Direct => {
                for member in &channel.member_ids {
                    index.join(*member, channel.id);
                }
            }
            _ => {}
        }
        let recipients = index.recipients(audience);
        index.deliver(&recipients, text, Kind::Durable, self.hold_limit);
        if let Event::MemberLeft {
            channel_id,
            user_id,
        } = event
        {
            index.leave(*user_id, *channel_id);
        }
    }

    /// Delivers a notice to the live connections `target` names. `true` when some of
    /// them may be open elsewhere (on another node): every target but a list of
    /// connections that are all here.
    pub fn notify(&self, target: &Target, text: &Utf8Bytes) -> bool {
        let mut index = self.lock();
        let recipients = index.targets(target);
        let elsewhere = match target {
            Target::Connections(ids) => ids.iter().any(|id| !index.connections.contains_key(id)),
            _ => true,
        };
        index.deliver(&recipients, text, Kind::Ephemeral, self.hold_limit);
        elsewhere
    }

    /// Whether the connection is in the channel; `None` if it is not open here.
    pub fn channel_membership(
        &self,
        connection_id: ConnectionId,
        channel: ChannelId,
    ) -> Option<bool> {
        self.lock()
            .connections
            .get(&connection_id)
            .map(|s| s.channels.contains(&channel))
    }

    /// Open connections in the index.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().connections.len()
    }
}

impl Index {
    fn remove(&mut self, id: ConnectionId) {
        let Some(subscriber) = self.connections.remove(&id) else {
            return;
        };
        remove_from(&mut self.by_user, &subscriber.user_id, id);
        if let Some(meeting) = subscriber.guest_meeting {
            remove_from(&mut self.guests_by_meeting, &meeting, id);
        }
        for channel in &subscriber.channels {
            remove_from(&mut self.by_channel, channel, id);
        }
        self.members.remove(&id);
    }

    fn member_connections(&self, user: UserId) -> Vec<ConnectionId> {
        self.by_user
            .get(&user)
            .into_iter()
            .flatten()
            .copied()
            .filter(|id| self.members.contains(id))
            .collect()
    }

    fn join(&mut self, user: UserId, channel: ChannelId) {
        for id in self.member_connections(user) {
            if let Some(subscriber) = self.connections.get_mut(&id) {
                subscriber.channels.insert(channel);
                self.by_channel.entry(channel).or_default().insert(id);
            }
        }
    }

    fn leave(&mut self, user: UserId, channel: ChannelId) {
        for id in self.member_connections(user) {
            if let Some(subscriber) = self.connections.get_mut(&id) {
                subscriber.channels.remove(&channel);
                remove_from(&mut self.by_channel, &channel, id);
            }
        }
    }

    /// The connections that may see an event for `audience`, each once.
    fn recipients(&self, audience: &Audience) -> Vec<ConnectionId> {
        let channel = |c: &ChannelId| self.by_channel.get(c).into_iter().flatten().copied();
        match audience {
            Audience::Workspace => self.members.iter().copied().collect(),
            Audience::User(user) => self
                .by_user
                .get(user)
                .into_iter()
                .flatten()
                .copied()
                .collect(),
            Audience::Channel(c) => channel(c).collect(),
            // A guest sees neither half: not the channel, and not membership changes.
            Audience::ChannelAndUser(c, user) => {
                let in_channel = self.by_channel.get(c);
                let mut ids: Vec<_> = channel(c).collect();
                ids.extend(
                    self.member_connections(*user)
                        .into_iter()
                        .filter(|id| !in_channel.is_some_and(|members| members.contains(id))),
                );
                ids
            }
            Audience::ChannelAndMeeting(c, meeting) => {
                let guests = self.guests_by_meeting.get(meeting).into_iter().flatten();
                channel(c).chain(guests.copied()).collect()
            }
            Audience::Unknown(_) => Vec::new(),
        }
    }

    fn targets(&self, target: &Target) -> Vec<ConnectionId> {
        match target {
            Target::Workspace => self.members.iter().copied().collect(),
            Target::ChannelExcept { channel_id, except } => self
                .by_channel
                .get(channel_id)
                .into_iter()
                .flatten()
                .copied()
                .filter(|id| {
                    self.connections
                        .get(id)
                        .is_some_and(|s| s.user_id != *except)
                })
                .collect(),
            Target::Connections(ids) => ids.clone(),
            Target::Users {
                users,
                except_connection,
            } => users
                .iter()
                .flat_map(|user| self.by_user.get(user).into_iter().flatten().copied())
                .filter(|id| Some(*id) != *except_connection)
                .collect(),
        }
    }

    fn deliver(&mut self, ids: &[ConnectionId], text: &Utf8Bytes, kind: Kind, limit: usize) {
        let mut lagged = Vec::new();
        for id in ids {
            let Some(subscriber) = self.connections.get_mut(id) else {
                continue;
            };
            let kept = match (&mut subscriber.held, kind) {
                // Not live yet: notices are of no use to it, events wait for the replay.
                (Some(_), Kind::Ephemeral) => true,
                (Some(held), Kind::Durable) => {
                    let room = held.len() < limit;
                    if room {
                        held.push(text.clone());
                    }
                    room
                }
                (None, kind) => match subscriber.out.try_send(Outbound::Shared(text.clone())) {
                    Ok(()) => true,
                    Err(TrySendError::Full(_)) => kind == Kind::Ephemeral,
                    // Closing: its task detaches it.
                    Err(TrySendError::Closed(_)) => true,
                },
            };
            if !kept {
                subscriber.lagged.notify_one();
                lagged.push(*id);
            }
        }
        for id in lagged {
            self.remove(id);
        }
    }
}

fn remove_from<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, HashSet<ConnectionId>>,
    key: &K,
    id: ConnectionId,
) {
    if let Some(ids) = map.get_mut(key) {
        ids.remove(&id);
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Conn {
        id: ConnectionId,
        rx: mpsc::Receiver<Outbound>,
        lagged: Arc<Notify>,
    }

    fn attach(
        subs: &Subscribers,
        user: u128,
        guest_meeting: Option<MeetingId>,
        channels: &[ChannelId],
    ) -> Conn {
        let id = Uuid::new_v4();
        let (out, rx) = mpsc::channel(4);
        let lagged = subs.attach(Attach {
            connection_id: id,
            user_id: Uuid::from_u128(user),
            guest_meeting,
            channels: channels.iter().copied().collect(),
            out,
        });
        assert!(subs.go_live(id));
        Conn { id, rx, lagged }
    }

    fn received(conn: &mut Conn) -> Vec<String> {
        let mut texts = Vec::new();
        while let Ok(Outbound::Shared(text)) = conn.rx.try_recv() {
            texts.push(text.to_string());
        }
        texts
    }

    fn read_marker(channel: ChannelId) -> Event {
        Event::ReadMarkerMoved {
            channel_id: channel,
            seq: 1,
        }
    }

    #[test]
    fn each_audience_reaches_exactly_its_connections() {
        let subs = Subscribers::new(8);
        let (channel, meeting) = (Uuid::from_u128(100), Uuid::from_u128(200));
        let mut member = attach(&subs, 1, None, &[channel]);
        let mut outsider = attach(&subs, 2, None, &[]);
        let mut guest = attach(&subs, 3, Some(meeting), &[channel]);
        let mut cases = [
            (Audience::Workspace, [true, true, false]),
            (Audience::User(Uuid::from_u128(3)), [false, false, true]),
            (Audience::Channel(channel), [true, false, false]),
            (
                Audience::ChannelAndUser(channel, Uuid::from_u128(2)),
                [true, true, false],
            ),
            // A guest's user id names no membership change it may see.
            (
                Audience::ChannelAndUser(channel, Uuid::from_u128(3)),
                [true, false, false],
            ),
            (
                Audience::ChannelAndMeeting(channel, meeting),
                [true, false, true],
            ),
            (
                Audience::ChannelAndMeeting(channel, Uuid::new_v4()),
                [true, false, false],
            ),
            (Audience::Unknown("x".into()), [false, false, false]),
        ];
        for (n, (audience, expected)) in cases.iter_mut().enumerate() {
            let text = Utf8Bytes::from(format!("{n}"));
            subs.publish(audience, &read_marker(channel), &text);
            let got =
                [&mut member, &mut outsider, &mut guest].map(|c| received(c) == [n.to_string()]);
            assert_eq!(got, *expected, "{audience:?}");
        }
    }

    #[test]
    fn membership_events_update_the_index_in_order() {
        let subs = Subscribers::new(8);
        let channel = Uuid::from_u128(100);
        let me = Uuid::from_u128(1);
        let mut conn = attach(&subs, 1, None, &[]);
        let joined = Event::MemberJoined {
            channel_id: channel,
            user_id: me,
        };
        subs.publish(
            &Audience::ChannelAndUser(channel, me),
            &joined,
            &"join".into(),
        );
        assert!(subs.in_channel(conn.id, channel));
        subs.publish(
            &Audience::Channel(channel),
            &read_marker(channel),
            &"msg".into(),
        );
        let left = Event::MemberLeft {
            channel_id: channel,
            user_id: me,
        };
        subs.publish(&Audience::Channel(channel), &left, &"leave".into());
        subs.publish(
            &Audience::Channel(channel),
            &read_marker(channel),
            &"after".into(),
        );
        assert_eq!(received(&mut conn), ["join", "msg", "leave"]);
        assert!(!subs.in_channel(conn.id, channel));
    }

    #[tokio::test]
    async fn a_full_queue_lags_on_events_but_only_drops_notices() {
        let subs = Subscribers::new(8);
        let conn = attach(&subs, 1, None, &[]);
        for n in 0..4 {
            subs.notify(&Target::Workspace, &format!("notice {n}").into());
        }
        // Full of notices: one more is dropped, the connection stays.
        subs.notify(&Target::Workspace, &"dropped".into());
        assert_eq!(subs.len(), 1);
        subs.publish(
            &Audience::Workspace,
            &read_marker(Uuid::nil()),
            &"event".into(),
        );
        assert_eq!(subs.len(), 0, "a lagging connection leaves the index");
        tokio::time::timeout(std::time::Duration::from_secs(1), conn.lagged.notified())
            .await
            .expect("told it lagged");
    }

    #[test]
    fn events_wait_until_resume_and_overflow_into_a_lag() {
        let subs = Subscribers::new(2);
        let (out, mut rx) = mpsc::channel(8);
        let id = Uuid::new_v4();
        subs.attach(Attach {
            connection_id: id,
            user_id: Uuid::from_u128(1),
            guest_meeting: None,
            channels: HashSet::new(),
            out,
        });
        subs.notify(&Target::Workspace, &"not live yet".into());
        subs.publish(
            &Audience::Workspace,
            &read_marker(Uuid::nil()),
            &"held".into(),
        );
        assert!(rx.try_recv().is_err(), "nothing before resume");
        assert!(subs.go_live(id));
        assert!(matches!(rx.try_recv(), Ok(Outbound::Shared(t)) if t == "held"));

        let (out, _rx) = mpsc::channel(8);
        let late = Uuid::new_v4();
        subs.attach(Attach {
            connection_id: late,
            user_id: Uuid::from_u128(2),
            guest_meeting: None,
            channels: HashSet::new(),
            out,
        });
        for n in 0..3 {
            subs.publish(
                &Audience::Workspace,
                &read_marker(Uuid::nil()),
                &format!("{n}").into(),
            );
        }
        assert!(!subs.go_live(late), "held more than the limit");
    }
}
