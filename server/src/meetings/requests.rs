//! `ClientFrame::Meeting` requests from one connection: join, leave, signal, media,
//! host controls and answering calls. Every refusal is a `Refused` notice to the
//! sender; signaling is relayed only between joined participants of one meeting.

use std::collections::{BTreeSet, HashSet};

use tandem_protocol::api::Role;
use tandem_protocol::chat::Presence;
use tandem_protocol::meetings::{
    HostAction, MediaState, MeetingId, MeetingNotice, MeetingRequest, Participant, ParticipantId,
    Signal,
};
use tandem_protocol::ws::CLOSE_SESSION_ENDED;
use tandem_protocol::{ErrorCode, Timestamp, UserId};
use uuid::Uuid;

use super::registry::Outbox;
use super::room::{Member, Room};
use super::{lifecycle, ring, GuestScope};
use crate::db::meeting_removals::{self, NewRemoval};
use crate::db::meetings::{self, MeetingRow};
use crate::db::recordings::{self as recording_rows, JOINED, LEFT, SCREEN_SHARE_STARTED};
use crate::db::{channels, sessions, users};
use crate::error::AppError;
use crate::realtime::target::Target;
use crate::sfu::rooms::RoomKeys;
use crate::sfu::routing::{self, Placement};
use crate::state::AppState;
use tandem_protocol::recordings::RecordingId;

/// The connection a request came from.
pub struct Caller<'a> {
    pub connection_id: Uuid,
    pub user_id: UserId,
    pub guest: Option<&'a GuestScope>,
}

/// A refused request, answered with `MeetingNotice::Refused`.
#[derive(Debug)]
pub struct Refusal {
    meeting_id: MeetingId,
    code: ErrorCode,
    message: String,
}

impl Refusal {
    pub fn new(meeting_id: MeetingId, code: ErrorCode, message: impl Into<String>) -> Self {
        Refusal {
            meeting_id,
            code,
            message: message.into(),
        }
    }
}

impl From<AppError> for Refusal {
    fn from(err: AppError) -> Self {
        match err {
            AppError::Api(err) => Refusal::new(MeetingId::nil(), err.code, err.message),
            other => {
                tracing::error!(error = %other, "meeting request failed");
                Refusal::new(
                    MeetingId::nil(),
                    ErrorCode::Internal,
                    "The server could not process this request.",
                )
            }
        }
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(err: sqlx::Error) -> Self {
        AppError::from(err).into()
    }
}

type Handled = Result<(), Refusal>;

/// The meeting a request is about.
pub fn meeting_of(request: &MeetingRequest) -> MeetingId {
    match request {
        MeetingRequest::Join { meeting_id, .. }
        | MeetingRequest::Leave { meeting_id }
        | MeetingRequest::Signal { meeting_id, .. }
        | MeetingRequest::UpdateMedia { meeting_id, .. }
        | MeetingRequest::Host { meeting_id, .. }
        | MeetingRequest::AnswerCall { meeting_id, .. }
        | MeetingRequest::RefreshRoute { meeting_id } => *meeting_id,
    }
}

pub async fn handle(state: &AppState, caller: &Caller<'_>, request: MeetingRequest) {
    let meeting_id = meeting_of(&request);
    let result = match request {
        MeetingRequest::Join { meeting_id, media } => join(state, caller, meeting_id, media).await,
        MeetingRequest::Leave { meeting_id } => {
            leave(state, caller.connection_id, Some(meeting_id), true).await;
            Ok(())
        }
        MeetingRequest::Signal {
            meeting_id,
            to,
            signal,
        } => relay(state, caller, meeting_id, to, signal),
        MeetingRequest::UpdateMedia { meeting_id, media } => {
            match update_media(state, caller, meeting_id, media) {
                Ok(Some(participant)) => {
                    screen_share_event(state, meeting_id, caller.user_id, &participant).await;
                    Ok(())
                }
                Ok(None) => Ok(()),
                Err(refusal) => Err(refusal),
            }
        }
        MeetingRequest::Host { meeting_id, action } => {
            host(state, caller, meeting_id, action).await
        }
        MeetingRequest::AnswerCall { meeting_id, accept } => {
            if caller.guest.is_some() {
                Err(Refusal::new(
                    meeting_id,
                    ErrorCode::Forbidden,
                    "This call is not for you.",
                ))
            } else {
                ring::answer(
                    state,
                    meeting_id,
                    caller.user_id,
                    caller.connection_id,
                    accept,
                )
                .await
            }
        }
        MeetingRequest::RefreshRoute { meeting_id } => {
            routing::refresh(state, caller.connection_id, meeting_id).await
        }
    };
    if let Err(mut refusal) = result {
        if refusal.meeting_id.is_nil() {
            refusal.meeting_id = meeting_id;
        }
        state.ephemeral.send(
            Target::Connections(vec![caller.connection_id]),
            tandem_protocol::ws::ServerFrame::Meeting(MeetingNotice::Refused {
                meeting_id: refusal.meeting_id,
                code: refusal.code,
                message: refusal.message,
            }),
        );
    }
}

fn forbidden(meeting_id: MeetingId, message: &str) -> Refusal {
    Refusal::new(meeting_id, ErrorCode::Forbidden, message)
}

fn barred_refusal(meeting_id: MeetingId) -> Refusal {
    forbidden(
        meeting_id,
        "The host removed you from this meeting. Ask the host to let you back in.",
    )
}

/// Refuses one more participant: the hosts hear why (`at_capacity`).
fn full(state: &AppState, room: &Room, out: &mut Outbox) -> Refusal {
    let sfu = state.sfu.as_ref();
    out.to(
        room.host_connections(),
        MeetingNotice::AtCapacity {
            meeting_id: room.meeting_id,
            message: routing::at_capacity_message(sfu),
        },
    );
    Refusal::new(
        room.meeting_id,
        ErrorCode::Conflict,
        "This meeting is full.",
    )
}

fn try_again(meeting_id: MeetingId) -> Refusal {
    Refusal::new(
        meeting_id,
        ErrorCode::Conflict,
        "The meeting's media route changed meanwhile. Try again.",
    )
}

/// The meeting, if it has not ended.
async fn active_meeting(state: &AppState, meeting_id: MeetingId) -> Result<MeetingRow, Refusal> {
    let row = meetings::find(&state.db, meeting_id)
        .await?
        .ok_or_else(|| Refusal::new(meeting_id, ErrorCode::NotFound, "No such meeting."))?;
    if row.ended_at.is_some() {
        return Err(Refusal::new(
            meeting_id,
            ErrorCode::Gone,
            "This meeting has ended.",
        ));
    }
    Ok(row)
}

/// Moves the member at `index` from the lobby (or nowhere) into the room, where
/// `placement` says: `joined` (with their route) to them, `participant_joined` to the
/// others (and, if this switches the meeting to the SFU, their new routes).
fn enter(
    state: &AppState,
    room: &mut Room,
    index: usize,
    placement: Placement,
    row: &MeetingRow,
    out: &mut Outbox,
) -> Result<(), Refusal> {
    let now = state.now();
    let sfu = state.sfu.as_ref();
    routing::apply(sfu, room, index, placement, now, out);
    room.members[index].waiting = false;
    room.epoch += 1;
    let user_id = room.members[index].user_id;
    room.attendees.insert(user_id);
    let connection = room.members[index].connection_id;
    let participant = room.members[index].participant.clone();
    let meeting = lifecycle::describe(row, Some(room), 0)?;
    let route = routing::route_of(sfu, room, &room.members[index], now);
    out.to_one(
        connection,
        MeetingNotice::Joined {
            meeting,
            you: participant.id,
            participants: room.participants(),
            route,
        },
    );
    out.to(
        room.joined_connections_except(connection),
        MeetingNotice::ParticipantJoined {
            meeting_id: room.meeting_id,
            participant,
        },
    );
    Ok(())
}

enum Joining {
    /// Already in (or waiting): told again, nothing changed.
    Again,
    Waiting,
    Joined,
    /// The meeting's SFU room must first be made on this node.
    NeedsRoom(usize),
}

async fn join(
    state: &AppState,
    caller: &Caller<'_>,
    meeting_id: MeetingId,
    media: MediaState,
) -> Handled {
    let row = active_meeting(state, meeting_id).await?;
    match caller.guest {
        Some(guest) if guest.meeting_id != meeting_id => {
            return Err(forbidden(meeting_id, "Guests can only use their meeting."));
        }
        Some(_) => {}
        None => {
            if !channels::is_member(&state.db, row.channel()?, caller.user_id).await? {
                return Err(forbidden(
                    meeting_id,
                    "Join the channel to join its meeting.",
                ));
            }
        }
    }
    if meeting_removals::is_barred(&state.db, meeting_id, caller.user_id).await? {
        return Err(barred_refusal(meeting_id));
    }
    let user = users::find_by_id(&state.db, caller.user_id)
        .await?
        .ok_or_else(|| forbidden(meeting_id, "No such account."))?
        .to_user()?;
    let is_host = user.id == row.host()? || user.role == Role::Admin;
    let attendees: HashSet<UserId> = meetings::attendee_ids(&state.db, meeting_id)
        .await?
        .into_iter()
        .collect();
    let guest = caller.guest.is_some();
    let now = state.now();
    let mut rooms_made = 0;
    let joining = loop {
        let joining = join_locked(
            state,
            caller,
            &row,
            Room::new(&row, attendees.clone())?,
            &user,
            is_host,
            media.clone(),
            now,
        )?;
        match joining {
            Joining::NeedsRoom(node) if rooms_made < 4 => {
                rooms_made += 1;
                routing::ensure_room(state, meeting_id, node).await?;
            }
            Joining::NeedsRoom(_) => return Err(try_again(meeting_id)),
            other => break other,
        }
    };
    if let Joining::Joined = joining {
        entered(state, meeting_id, user.id, caller.connection_id, guest, now).await?;
        if is_host {
            send_removed_people(state, meeting_id, Some(caller.connection_id)).await?;
        }
    }
    Ok(())
}

/// The part of `join` under the registry lock.
#[allow(clippy::too_many_arguments)]
fn join_locked(
    state: &AppState,
    caller: &Caller<'_>,
    row: &MeetingRow,
    fresh: Room,
    user: &tandem_protocol::api::User,
    is_host: bool,
    media: MediaState,
    now: i64,
) -> Result<Joining, Refusal> {
    let meeting_id = fresh.meeting_id;
    let guest = caller.guest.is_some();
    state.meetings.with(&state.ephemeral, |live, out| {
        let room = live.rooms.entry(meeting_id).or_insert(fresh);
        if let Some(index) = room
            .members
            .iter()
            .position(|m| m.connection_id == caller.connection_id)
        {
            let member = &room.members[index];
            let you = member.participant.id;
            if member.waiting {
                out.to_one(
                    caller.connection_id,
                    MeetingNotice::Waiting { meeting_id, you },
                );
            } else {
                let meeting = lifecycle::describe(row, Some(room), 0)?;
                let route = routing::route_of(state.sfu.as_ref(), room, member, now);
                out.to_one(
                    caller.connection_id,
                    MeetingNotice::Joined {
                        meeting,
                        you,
                        participants: room.participants(),
                        route,
                    },
                );
            }
            return Ok(Joining::Again);
        }
        if room.barred.contains(&user.id) {
            return Err(barred_refusal(meeting_id));
        }
        if room.joined_count() >= routing::capacity(state.sfu.as_ref()) {
            return Err(full(state, room, out));
        }
        let on_stage = !room.town_hall || is_host;
        let waiting = room.locked && !is_host;
        let placement = if waiting {
            Placement::Mesh
        } else {
            match routing::place(state.sfu.as_ref(), room, on_stage) {
                Ok(placement) => placement,
                Err(node) => return Ok(Joining::NeedsRoom(node)),
            }
        };
        let participant = Participant {
            id: Uuid::new_v4(),
            user_id: (!guest).then_some(user.id),
            display_name: user.display_name.clone(),
            guest,
            host: is_host,
            media,
            joined_at: now,
            on_stage,
        };
        room.members.push(Member {
            participant: participant.clone(),
            user_id: user.id,
            connection_id: caller.connection_id,
            waiting,
            node: 0,
        });
        if waiting {
            out.to_one(
                caller.connection_id,
                MeetingNotice::Waiting {
                    meeting_id,
                    you: participant.id,
                },
            );
            out.to(
                room.host_connections(),
                MeetingNotice::Knocking {
                    meeting_id,
                    participant,
                },
            );
            return Ok(Joining::Waiting);
        }
        let index = room.members.len() - 1;
        enter(state, room, index, placement, row, out)?;
        Ok(Joining::Joined)
    })
}

/// Tells hosts who is barred: one connection (a host who just entered), or every host
/// in the room (`None`, after a change).
async fn send_removed_people(
    state: &AppState,
    meeting_id: MeetingId,
    only: Option<Uuid>,
) -> Handled {
    let people = meeting_removals::list(&state.db, meeting_id).await?;
    if only.is_some() && people.is_empty() {
        return Ok(());
    }
    state.meetings.with(&state.ephemeral, |live, out| {
        let Some(room) = live.rooms.get(&meeting_id) else {
            return;
        };
        let hosts = match only {
            Some(connection) => vec![connection],
            None => room.host_connections(),
        };
        out.to(hosts, MeetingNotice::RemovedPeople { meeting_id, people });
    });
    Ok(())
}

/// Bookkeeping after someone entered the room: attendance, presence, the card.
/// `now` is when they entered: the notice saying so may reach them before this runs.
async fn entered(
    state: &AppState,
    meeting_id: MeetingId,
    user_id: UserId,
    connection_id: Uuid,
    guest: bool,
    now: Timestamp,
) -> Handled {
    meetings::record_attendance(&state.db, meeting_id, user_id, now).await?;
    crate::bridge::attendance::entered(state, meeting_id, user_id, guest, now).await?;
    if let Some(user) = users::find_by_id(&state.db, user_id).await? {
        let name = user.display_name;
        recording_rows::record_meeting_event(&state.db, meeting_id, JOINED, user_id, &name, now)
            .await?;
    }
    if !guest {
        state
            .presence
            .update(user_id, connection_id, Presence::InMeeting);
    }
    lifecycle::publish_update(state, meeting_id).await?;
    Ok(())
}

/// Takes the connection out of the meeting (or, with `only: None`, every meeting: its
/// socket closed). `explicit` is false for a closed socket, whose presence is gone.
pub async fn leave(state: &AppState, connection_id: Uuid, only: Option<MeetingId>, explicit: bool) {
    struct Left {
        meeting_id: MeetingId,
        member: Member,
        /// The room became empty at this epoch.
        empty_at: Option<u64>,
        /// The caller of a still-ringing call left: the call is cancelled.
        cancels_call: bool,
        /// The recording this member was making, now without its recorder.
        orphaned: Option<RecordingId>,
        /// Their last participant in the room: their stay in the meeting ends.
        last_of_person: bool,
        /// The meeting's SFU room (their feed is kicked from it).
        sfu: Option<(RoomKeys, BTreeSet<usize>)>,
    }
    // When they left: the notices saying so may be read before the bookkeeping runs.
    let now = state.now();
    let left: Vec<Left> = state.meetings.with(&state.ephemeral, |live, out| {
        let mut left = Vec::new();
        let ids: Vec<MeetingId> = match only {
            Some(id) => vec![id],
            None => live.rooms.keys().copied().collect(),
        };
        for meeting_id in ids {
            let Some(room) = live.rooms.get_mut(&meeting_id) else {
                continue;
            };
            let Some(index) = room
                .members
                .iter()
                .position(|m| m.connection_id == connection_id)
            else {
                continue;
            };
            let member = room.members.remove(index);
            notify_gone(room, &member, out);
            let sfu = room.active_sfu().filter(|_| !member.waiting);
            let orphaned = room.orphaned_by(&member);
            let empty_at = (!member.waiting && room.joined_count() == 0).then(|| {
                room.epoch += 1;
                room.epoch
            });
            let last_of_person = last_of_person(room, &member);
            let cancels_call = !member.waiting
                && !room.has_other_participant(member.user_id, connection_id)
                && ring::is_ringing_caller(live, meeting_id, member.user_id);
            left.push(Left {
                meeting_id,
                member,
                empty_at,
                cancels_call,
                orphaned,
                last_of_person,
                sfu,
            });
        }
        left
    });
    for gone in left {
        if let Some((keys, nodes)) = &gone.sfu {
            let feed = gone.member.participant.id;
            routing::kick(state, gone.meeting_id, feed, keys, nodes).await;
        }
        if let Some(recording) = gone.orphaned {
            crate::recordings::lifecycle::watch_orphan(state, recording);
        }
        if !gone.member.waiting {
            left_event(state, gone.meeting_id, &gone.member).await;
        }
        if gone.last_of_person {
            let user_id = gone.member.user_id;
            crate::bridge::attendance::left(state, gone.meeting_id, user_id, now).await;
        }
        if explicit && !gone.member.waiting && !gone.member.participant.guest {
            state
                .presence
                .update(gone.member.user_id, connection_id, Presence::Online);
        }
        let result = if gone.cancels_call {
            lifecycle::end(state, gone.meeting_id).await
        } else {
            if let Some(epoch) = gone.empty_at {
                lifecycle::schedule_empty_end(state, gone.meeting_id, epoch);
            }
            if gone.member.waiting {
                Ok(())
            } else {
                lifecycle::publish_update(state, gone.meeting_id).await
            }
        };
        if let Err(err) = result {
            tracing::error!(error = %err, meeting_id = %gone.meeting_id, "leaving failed");
        }
    }
}

/// Whether `member` (already removed) was the person's last participant in the room.
fn last_of_person(room: &Room, member: &Member) -> bool {
    !member.waiting
        && !member.participant.guest
        && !room.joined().any(|m| m.user_id == member.user_id)
}

/// Tells the room that `member` (already removed) is gone: hosts if they were
/// knocking, the others if they were in.
fn notify_gone(room: &Room, member: &Member, out: &mut Outbox) {
    let meeting_id = room.meeting_id;
    let participant_id = member.participant.id;
    if member.waiting {
        out.to(
            room.host_connections(),
            MeetingNotice::KnockResolved {
                meeting_id,
                participant_id,
            },
        );
    } else {
        out.to(
            room.joined_connections_except(member.connection_id),
            MeetingNotice::ParticipantLeft {
                meeting_id,
                participant_id,
            },
        );
    }
}

/// The sender's joined participant in the meeting's room.
fn sender<'r>(room: &'r Room, caller: &Caller<'_>) -> Option<&'r Member> {
    room.by_connection(caller.connection_id)
        .filter(|m| !m.waiting)
}

fn relay(
    state: &AppState,
    caller: &Caller<'_>,
    meeting_id: MeetingId,
    to: ParticipantId,
    signal: Signal,
) -> Handled {
    state.meetings.with(&state.ephemeral, |live, out| {
        let refused = || {
            forbidden(
                meeting_id,
                "Signals go only between participants of a meeting you are in.",
            )
        };
        let room = live.rooms.get(&meeting_id).ok_or_else(refused)?;
        let from = sender(room, caller).ok_or_else(refused)?.participant.id;
        let target = room
            .joined()
            .find(|m| m.participant.id == to)
            .ok_or_else(refused)?;
        out.to_one(
            target.connection_id,
            MeetingNotice::Signal {
                meeting_id,
                from,
                signal,
            },
        );
        Ok(())
    })
}

fn update_media(
    state: &AppState,
    caller: &Caller<'_>,
    meeting_id: MeetingId,
    media: MediaState,
) -> Result<Option<String>, Refusal> {
    state.meetings.with(&state.ephemeral, |live, out| {
        let refused = || forbidden(meeting_id, "Join the meeting first.");
        let room = live.rooms.get_mut(&meeting_id).ok_or_else(refused)?;
        let index = room
            .members
            .iter()
            .position(|m| m.connection_id == caller.connection_id && !m.waiting)
            .ok_or_else(refused)?;
        let started_sharing = room.members[index]
            .participant
            .media
            .screen_stream_id
            .is_none()
            && media.screen_stream_id.is_some();
        room.members[index].participant.media = media;
        let participant = room.members[index].participant.clone();
        let name = participant.display_name.clone();
        out.to(
            room.joined().map(|m| m.connection_id).collect(),
            MeetingNotice::ParticipantUpdated {
                meeting_id,
                participant,
            },
        );
        Ok(started_sharing.then_some(name))
    })
}

/// Stored for recordings' timelines; a failure only loses a timeline marker.
async fn screen_share_event(state: &AppState, meeting_id: MeetingId, user_id: UserId, name: &str) {
    let result = recording_rows::record_meeting_event(
        &state.db,
        meeting_id,
        SCREEN_SHARE_STARTED,
        user_id,
        name,
        state.now(),
    )
    .await;
    if let Err(err) = result {
        tracing::warn!(error = %err, %meeting_id, "could not store a screen share event");
    }
}

async fn left_event(state: &AppState, meeting_id: MeetingId, member: &Member) {
    let result = recording_rows::record_meeting_event(
        &state.db,
        meeting_id,
        LEFT,
        member.user_id,
        &member.participant.display_name,
        state.now(),
    )
    .await;
    if let Err(err) = result {
        tracing::warn!(error = %err, %meeting_id, "could not store a leave event");
    }
}

enum HostOutcome {
    Done,
    Locked(bool),
    Admitted {
        user_id: UserId,
        connection_id: Uuid,
        guest: bool,
        at: Timestamp,
    },
    Removed {
        /// Each of the person's tabs, with the recording it orphaned.
        members: Vec<(Member, Option<RecordingId>)>,
        empty_at: Option<u64>,
        last_of_person: bool,
        /// Barred from rejoining (not when a host removes their own tab or the
        /// meeting's host).
        barred: bool,
        /// The meeting's SFU room (their feeds are kicked from it).
        sfu: Option<(RoomKeys, BTreeSet<usize>)>,
    },
    Stage {
        participant_id: ParticipantId,
        on_stage: bool,
    },
    Readmit(Uuid),
    End,
}

async fn host(
    state: &AppState,
    caller: &Caller<'_>,
    meeting_id: MeetingId,
    action: HostAction,
) -> Handled {
    let row = active_meeting(state, meeting_id).await?;
    // When the action took effect (its notices may be read before the bookkeeping).
    let now = state.now();
    if let HostAction::Admit { participant_id } = &action {
        prepare_admit(state, meeting_id, *participant_id).await?;
    }
    let outcome = state.meetings.with(&state.ephemeral, |live, out| {
        let room = live
            .rooms
            .get_mut(&meeting_id)
            .ok_or_else(|| forbidden(meeting_id, "Join the meeting first."))?;
        if !sender(room, caller).is_some_and(|m| m.participant.host) {
            return Err(forbidden(meeting_id, "Only a host can do this."));
        }
        let nobody = || {
            Refusal::new(
                meeting_id,
                ErrorCode::NotFound,
                "That participant is not here.",
            )
        };
        let find = |room: &Room, id: ParticipantId, waiting: Option<bool>| {
            room.index_of(id)
                .filter(|i| waiting.is_none_or(|w| room.members[*i].waiting == w))
                .ok_or_else(nobody)
        };
        match action {
            HostAction::Lock { locked } => {
                room.locked = locked;
                out.to(
                    room.joined().map(|m| m.connection_id).collect(),
                    MeetingNotice::LockChanged { meeting_id, locked },
                );
                Ok(HostOutcome::Locked(locked))
            }
            HostAction::Admit { participant_id } => {
                let index = find(room, participant_id, Some(true))?;
                if room.joined_count() >= routing::capacity(state.sfu.as_ref()) {
                    return Err(full(state, room, out));
                }
                let on_stage = room.members[index].participant.on_stage;
                let placement = routing::place(state.sfu.as_ref(), room, on_stage)
                    .map_err(|_| try_again(meeting_id))?;
                enter(state, room, index, placement, &row, out)?;
                out.to(
                    room.host_connections(),
                    MeetingNotice::KnockResolved {
                        meeting_id,
                        participant_id,
                    },
                );
                let member = &room.members[index];
                Ok(HostOutcome::Admitted {
                    user_id: member.user_id,
                    connection_id: member.connection_id,
                    guest: member.participant.guest,
                    at: now,
                })
            }
            HostAction::Deny { participant_id } => {
                let index = find(room, participant_id, Some(true))?;
                let member = room.members.remove(index);
                out.to_one(member.connection_id, MeetingNotice::Denied { meeting_id });
                notify_gone(room, &member, out);
                Ok(HostOutcome::Done)
            }
            HostAction::Remove { participant_id } => {
                let index = find(room, participant_id, None)?;
                let user_id = room.members[index].user_id;
                let barred = user_id != row.host()? && user_id != caller.user_id;
                let sfu = room.active_sfu();
                let mut members = Vec::new();
                // A ban is for the person: every tab of theirs goes (but only the one
                // chosen when it is not a ban).
                let mut next = Some(index);
                while let Some(index) = next {
                    let member = room.members.remove(index);
                    out.to_one(member.connection_id, MeetingNotice::Removed { meeting_id });
                    notify_gone(room, &member, out);
                    let orphaned = room.orphaned_by(&member);
                    members.push((member, orphaned));
                    next = barred
                        .then(|| room.members.iter().position(|m| m.user_id == user_id))
                        .flatten();
                }
                if barred {
                    room.barred.insert(user_id);
                }
                let empty_at = (room.joined_count() == 0).then(|| {
                    room.epoch += 1;
                    room.epoch
                });
                let last_of_person = members
                    .iter()
                    .any(|(member, _)| last_of_person(room, member));
                Ok(HostOutcome::Removed {
                    members,
                    empty_at,
                    last_of_person,
                    barred,
                    sfu,
                })
            }
            HostAction::Readmit { removal_id } => Ok(HostOutcome::Readmit(removal_id)),
            HostAction::AskUnmute { participant_id } => {
                let index = find(room, participant_id, Some(false))?;
                out.to_one(
                    room.members[index].connection_id,
                    MeetingNotice::AskedToUnmute { meeting_id },
                );
                Ok(HostOutcome::Done)
            }
            HostAction::End => Ok(HostOutcome::End),
            HostAction::BringOnStage { participant_id }
            | HostAction::SendToAudience { participant_id } => {
                if !room.town_hall || state.sfu.is_none() {
                    return Err(Refusal::new(
                        meeting_id,
                        ErrorCode::Conflict,
                        "This is not a town hall.",
                    ));
                }
                find(room, participant_id, Some(false))?;
                Ok(HostOutcome::Stage {
                    participant_id,
                    on_stage: matches!(action, HostAction::BringOnStage { .. }),
                })
            }
        }
    })?;
    match outcome {
        HostOutcome::Done => {}
        HostOutcome::Locked(locked) => {
            meetings::set_locked(&state.db, meeting_id, locked).await?;
            lifecycle::publish_update(state, meeting_id).await?;
        }
        HostOutcome::Admitted {
            user_id,
            connection_id,
            guest,
            at,
        } => entered(state, meeting_id, user_id, connection_id, guest, at).await?,
        HostOutcome::Removed {
            members,
            empty_at,
            last_of_person,
            barred,
            sfu,
        } => {
            if let Some((keys, nodes)) = &sfu {
                for (member, _) in members.iter().filter(|(m, _)| !m.waiting) {
                    let feed = member.participant.id;
                    routing::kick(state, meeting_id, feed, keys, nodes).await;
                }
            }
            let user_id = members[0].0.user_id;
            if last_of_person {
                crate::bridge::attendance::left(state, meeting_id, user_id, now).await;
            }
            let mut was_in = false;
            for (member, orphaned) in &members {
                if let Some(recording) = orphaned {
                    crate::recordings::lifecycle::watch_orphan(state, *recording);
                }
                if !member.waiting {
                    was_in = true;
                    left_event(state, meeting_id, member).await;
                    if !member.participant.guest {
                        state.presence.update(
                            member.user_id,
                            member.connection_id,
                            Presence::Online,
                        );
                    }
                }
            }
            if was_in {
                if let Some(epoch) = empty_at {
                    lifecycle::schedule_empty_end(state, meeting_id, epoch);
                }
                lifecycle::publish_update(state, meeting_id).await?;
            }
            if barred {
                let (member, _) = &members[0];
                bar(state, meeting_id, member, caller.user_id).await?;
            }
        }
        HostOutcome::Readmit(removal_id) => {
            let user_id = meeting_removals::delete(&state.db, meeting_id, removal_id)
                .await?
                .ok_or_else(|| {
                    Refusal::new(
                        meeting_id,
                        ErrorCode::NotFound,
                        "That person is not barred from this meeting.",
                    )
                })?;
            state.meetings.with(&state.ephemeral, |live, _| {
                if let Some(room) = live.rooms.get_mut(&meeting_id) {
                    room.barred.remove(&user_id);
                }
            });
            send_removed_people(state, meeting_id, None).await?;
        }
        HostOutcome::End => lifecycle::end(state, meeting_id).await?,
        HostOutcome::Stage {
            participant_id,
            on_stage,
        } => crate::sfu::stage::set(state, meeting_id, participant_id, on_stage).await?,
    }
    Ok(())
}

/// Makes the SFU room on the node a knocker will be admitted to, if it is not there
/// yet (outside the lock; the admit then finds it).
async fn prepare_admit(
    state: &AppState,
    meeting_id: MeetingId,
    participant_id: ParticipantId,
) -> Handled {
    for _ in 0..4 {
        let needs = state.meetings.with(&state.ephemeral, |live, _| {
            let room = live.rooms.get(&meeting_id)?;
            let member = room
                .members
                .iter()
                .find(|m| m.participant.id == participant_id)?;
            routing::place(state.sfu.as_ref(), room, member.participant.on_stage).err()
        });
        match needs {
            Some(node) => routing::ensure_room(state, meeting_id, node).await?,
            None => return Ok(()),
        }
    }
    Ok(())
}

/// Records the bar, tells the hosts, and signs a guest out: a guest account exists
/// only for this meeting, so once removed it has nothing left to do (the meeting chat
/// included). Readmitting lets the link make a guest again.
async fn bar(state: &AppState, meeting_id: MeetingId, member: &Member, by: UserId) -> Handled {
    let now = state.now();
    meeting_removals::insert(
        &state.db,
        &NewRemoval {
            meeting_id,
            user_id: member.user_id,
            display_name: &member.participant.display_name,
            guest: member.participant.guest,
            removed_by: by,
            removed_at: now,
        },
    )
    .await?;
    if member.participant.guest {
        for session_id in sessions::revoke_all_for_user(&state.db, member.user_id, now).await? {
            state
                .connections
                .close_session(session_id, CLOSE_SESSION_ENDED);
        }
    }
    send_removed_people(state, meeting_id, None).await
}
