//! Every live room and ringing call, behind one mutex. Callers change state and queue
//! notices inside `Rooms::with`; the notices go out before the lock is released, so
//! two changes to the same room reach every connection in the order they happened.

use std::collections::HashMap;
use std::sync::Mutex;

use tandem_protocol::meetings::{MeetingId, MeetingNotice};
use tandem_protocol::ws::ServerFrame;
use uuid::Uuid;

use super::ring::Ring;
use super::room::Room;
use crate::realtime::ephemeral::EphemeralHub;
use crate::realtime::target::Target;

#[derive(Default)]
pub struct Live {
    pub rooms: HashMap<MeetingId, Room>,
    pub rings: HashMap<MeetingId, Ring>,
}

/// Notices to send, in order.
#[derive(Default)]
pub struct Outbox(Vec<(Target, MeetingNotice)>);

impl Outbox {
    pub fn to(&mut self, connections: Vec<Uuid>, notice: MeetingNotice) {
        if !connections.is_empty() {
            self.0.push((Target::Connections(connections), notice));
        }
    }

    pub fn to_one(&mut self, connection: Uuid, notice: MeetingNotice) {
        self.to(vec![connection], notice);
    }

    pub fn to_users(
        &mut self,
        users: Vec<tandem_protocol::UserId>,
        except_connection: Option<Uuid>,
        notice: MeetingNotice,
    ) {
        if !users.is_empty() {
            self.0.push((
                Target::Users {
                    users,
                    except_connection,
                },
                notice,
            ));
        }
    }
}

#[derive(Default)]
pub struct Rooms {
    live: Mutex<Live>,
}

impl Rooms {
    /// Runs `change` under the lock and sends the notices it queued before releasing.
    pub fn with<R>(
        &self,
        hub: &EphemeralHub,
        change: impl FnOnce(&mut Live, &mut Outbox) -> R,
    ) -> R {
        let mut live = self
            .live
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut outbox = Outbox::default();
        let result = change(&mut live, &mut outbox);
        for (target, notice) in outbox.0 {
            hub.send(target, ServerFrame::Meeting(notice));
        }
        result
    }
}
