//! Meetings, app-wide: the live state of meeting cards, an incoming call, and the
//! pipe between the realtime socket and the meeting room on screen.
//!
//! The hub is provided once at start-up (above the router), because both shells —
//! the workspace and the full-screen meeting — own a realtime connection, and the
//! incoming-call dialog must show whichever is mounted. The realtime context attaches
//! itself as the sender and hands every `MeetingNotice` and `MeetingUpdated` here.

pub mod format;
pub mod room;
pub mod wire;

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;
use tandem_protocol::meetings::{Meeting, MeetingId, MeetingNotice, MeetingRequest};
use tandem_protocol::UserId;

/// Someone is calling us.
#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    pub meeting: Meeting,
    pub caller_name: String,
}

type Sender = Rc<dyn Fn(MeetingRequest)>;
type Listener = Rc<dyn Fn(&MeetingNotice)>;

#[derive(Clone, Copy)]
pub struct MeetingHub {
    /// The newest state of every meeting a card (or page) has seen.
    pub cards: RwSignal<HashMap<MeetingId, Meeting>>,
    pub ringing: RwSignal<Option<Ring>>,
    /// Set by "Call" and "Accept": the meeting page skips its lobby for this meeting.
    auto_join: StoredValue<Option<MeetingId>>,
    /// Tagged with who attached it: when one shell replaces another, the old one's
    /// clean-up may run after the new one attached, and must not detach it.
    sender: StoredValue<Option<(u64, Sender)>, LocalStorage>,
    room: StoredValue<Option<(MeetingId, Listener)>, LocalStorage>,
    next_tag: StoredValue<u64>,
}

impl MeetingHub {
    /// Sends over the current socket; `false` when no shell (socket) is mounted.
    pub fn send(&self, request: MeetingRequest) -> bool {
        match self.sender.try_get_value().flatten() {
            Some((_, send)) => {
                send(request);
                true
            }
            None => false,
        }
    }

    /// Returns the tag to detach with.
    pub fn attach_sender(&self, send: impl Fn(MeetingRequest) + 'static) -> u64 {
        let tag = self.next_tag.get_value() + 1;
        self.next_tag.set_value(tag);
        self.sender.set_value(Some((tag, Rc::new(send))));
        tag
    }

    pub fn detach_sender(&self, tag: u64) {
        self.sender.try_update_value(|s| {
            if s.as_ref().is_some_and(|(t, _)| *t == tag) {
                *s = None;
            }
        });
    }

    /// The meeting room on screen hears every notice (it filters by meeting id too).
    pub fn set_room_listener(&self, meeting_id: MeetingId, listener: Listener) {
        let _ = self.room.try_set_value(Some((meeting_id, listener)));
    }

    pub fn clear_room_listener(&self, meeting_id: MeetingId) {
        self.room.try_update_value(|r| {
            if r.as_ref().is_some_and(|(id, _)| *id == meeting_id) {
                *r = None;
            }
        });
    }

    pub fn card_updated(&self, meeting: Meeting) {
        if let Some(ring) = self.ringing.get_untracked() {
            // A call that ended (or was answered elsewhere) stops ringing.
            if ring.meeting.id == meeting.id && meeting.ended_at.is_some() {
                self.ringing.set(None);
            }
        }
        self.remember(meeting);
    }

    /// Keeps the newest version (a GET may answer after a live update).
    pub fn remember(&self, meeting: Meeting) {
        let changed = self
            .cards
            .with_untracked(|c| c.get(&meeting.id) != Some(&meeting));
        if changed {
            self.cards.update(|c| {
                c.insert(meeting.id, meeting);
            });
        }
    }

    pub fn deliver(&self, notice: MeetingNotice, name_of: impl Fn(UserId) -> String) {
        match &notice {
            MeetingNotice::Ringing { meeting, caller_id } => {
                self.ringing.set(Some(Ring {
                    meeting: meeting.clone(),
                    caller_name: name_of(*caller_id),
                }));
                self.remember(meeting.clone());
            }
            MeetingNotice::RingEnded { meeting_id, .. }
                if self.ringing.with_untracked(|r| {
                    r.as_ref().is_some_and(|r| r.meeting.id == *meeting_id)
                }) =>
            {
                self.ringing.set(None);
            }
            MeetingNotice::Joined { meeting, .. } => self.remember(meeting.clone()),
            MeetingNotice::RecordingChanged {
                meeting_id,
                recording_id,
            } if self.cards.with_untracked(|c| {
                c.get(meeting_id)
                    .is_some_and(|m| m.recording != recording_id.is_some())
            }) =>
            {
                self.cards.update(|c| {
                    if let Some(m) = c.get_mut(meeting_id) {
                        m.recording = recording_id.is_some();
                    }
                });
            }
            _ => {}
        }
        if let Some((_, listener)) = self.room.try_get_value().flatten() {
            listener(&notice);
        }
    }

    pub fn request_auto_join(&self, id: MeetingId) {
        self.auto_join.set_value(Some(id));
    }

    /// Whether to skip the lobby for `id` (asked for once).
    pub fn take_auto_join(&self, id: MeetingId) -> bool {
        let hit = self.auto_join.get_value() == Some(id);
        if hit {
            self.auto_join.set_value(None);
        }
        hit
    }
}

pub fn provide_meeting_hub() -> MeetingHub {
    let hub = MeetingHub {
        cards: RwSignal::new(HashMap::new()),
        ringing: RwSignal::new(None),
        auto_join: StoredValue::new(None),
        sender: StoredValue::new_local(None),
        room: StoredValue::new_local(None),
        next_tag: StoredValue::new(0),
    };
    provide_context(hub);
    hub
}

pub fn use_meeting_hub() -> MeetingHub {
    expect_context::<MeetingHub>()
}
