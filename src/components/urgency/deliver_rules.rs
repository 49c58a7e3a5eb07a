//! "Deliver later?": whether sending now would reach someone outside their working
//! hours or in focus, and when to deliver instead. Pure, so it is tested natively.

use tandem_protocol::api::User;
use tandem_protocol::chat::{Channel, ChannelKind};
use tandem_protocol::urgency::Urgency;
use tandem_protocol::working_hours::{Availability, AvailabilityState};
use tandem_protocol::{Timestamp, UserId};

use crate::markdown::mentions::{MentionNames, Run};

/// Someone a message would reach, with their state as last loaded (`None`: unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub name: String,
    pub availability: Option<Availability>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliverPrompt {
    /// "Ana is outside working hours", "Ben is in focus time".
    pub reasons: Vec<String>,
    /// When all of them are available again (`None` when nobody ever is).
    pub deliver_at: Option<Timestamp>,
}

/// Who a message is addressed to: a DM's other members, otherwise the people it
/// @mentions by name (as the server resolves them; `@channel` addresses nobody).
pub fn recipients(channel: &Channel, body: &str, people: &[User], me: UserId) -> Vec<UserId> {
    if channel.kind == ChannelKind::Direct {
        return channel
            .member_ids
            .iter()
            .copied()
            .filter(|id| *id != me)
            .collect();
    }
    let names = MentionNames {
        people: people
            .iter()
            .map(|u| (u.display_name.clone(), false))
            .collect(),
        channel: false,
    };
    let mut found = Vec::new();
    for run in names.split(body) {
        let Run::Mention { text, .. } = run else {
            continue;
        };
        let name = text.trim_start_matches('@').to_lowercase();
        for user in people
            .iter()
            .filter(|u| u.display_name.to_lowercase() == name)
        {
            if user.id != me && !found.contains(&user.id) {
                found.push(user.id);
            }
        }
    }
    found
}

/// `None`: just send. Critical never asks (it is meant to interrupt); nor does a
/// message whose recipients are all working (or whose state we do not know).
pub fn deliver_later(
    urgency: Urgency,
    recipients: &[Recipient],
    now: Timestamp,
) -> Option<DeliverPrompt> {
    if urgency == Urgency::Critical {
        return None;
    }
    let mut reasons = Vec::new();
    let mut deliver_at: Option<Timestamp> = None;
    for r in recipients {
        let Some(a) = &r.availability else { continue };
        // A state whose end already passed (loaded a while ago) is not a reason.
        let away =
            a.state != AvailabilityState::Working && a.next_available_at.is_none_or(|t| t > now);
        if !away {
            continue;
        }
        reasons.push(match a.state {
            AvailabilityState::InFocus => format!("{} is in focus time", r.name),
            _ => format!("{} is outside working hours", r.name),
        });
        if let Some(t) = a.next_available_at {
            deliver_at = Some(deliver_at.map_or(t, |d| d.max(t)));
        }
    }
    (!reasons.is_empty()).then_some(DeliverPrompt {
        reasons,
        deliver_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::api::Role;
    use uuid::Uuid;

    const NOW: Timestamp = 1_800_000_000_000;
    const HOUR: i64 = 3_600_000;

    fn recipient(name: &str, state: AvailabilityState, next: Option<Timestamp>) -> Recipient {
        Recipient {
            name: name.into(),
            availability: Some(Availability {
                user_id: Uuid::nil(),
                time_zone: "Europe/Lisbon".into(),
                state,
                until: next,
                next_available_at: next,
            }),
        }
    }

    fn user(n: u128, name: &str) -> User {
        User {
            id: Uuid::from_u128(n),
            display_name: name.into(),
            email: format!("{n}@example.com"),
            role: Role::Member,
            status_text: String::new(),
            time_zone: "UTC".into(),
            created_at: 0,
        }
    }

    fn channel(kind: ChannelKind, members: &[u128]) -> Channel {
        Channel {
            id: Uuid::from_u128(900),
            kind,
            name: if kind == ChannelKind::Direct {
                String::new()
            } else {
                "general".into()
            },
            topic: String::new(),
            archived: false,
            created_by: Uuid::from_u128(1),
            created_at: 0,
            member_count: members.len() as u32,
            member_ids: members.iter().map(|n| Uuid::from_u128(*n)).collect(),
            default_urgency: Urgency::Standard,
        }
    }

    #[test]
    fn deliver_later_asks_for_people_away_and_picks_the_latest_return() {
        let people = [
            recipient(
                "Ana",
                AvailabilityState::OutsideHours,
                Some(NOW + 10 * HOUR),
            ),
            recipient("Ben", AvailabilityState::InFocus, Some(NOW + HOUR)),
            recipient("Cy", AvailabilityState::Working, Some(NOW)),
        ];
        let prompt = deliver_later(Urgency::Standard, &people, NOW).expect("asks");
        assert_eq!(
            prompt.reasons,
            vec!["Ana is outside working hours", "Ben is in focus time"]
        );
        assert_eq!(prompt.deliver_at, Some(NOW + 10 * HOUR));
        assert!(deliver_later(Urgency::Low, &people, NOW).is_some());
    }

    #[test]
    fn deliver_later_never_for_critical_working_unknown_or_stale() {
        let away = [recipient(
            "Ana",
            AvailabilityState::OutsideHours,
            Some(NOW + HOUR),
        )];
        assert_eq!(deliver_later(Urgency::Critical, &away, NOW), None);
        let working = [recipient("Ana", AvailabilityState::Working, Some(NOW))];
        assert_eq!(deliver_later(Urgency::Standard, &working, NOW), None);
        let unknown = [Recipient {
            name: "Ana".into(),
            availability: None,
        }];
        assert_eq!(deliver_later(Urgency::Standard, &unknown, NOW), None);
        let stale = [recipient("Ana", AvailabilityState::InFocus, Some(NOW - 1))];
        assert_eq!(deliver_later(Urgency::Standard, &stale, NOW), None);
        assert_eq!(deliver_later(Urgency::Standard, &[], NOW), None);
    }

    #[test]
    fn deliver_later_without_working_hours_has_no_time() {
        let never = [recipient("Ana", AvailabilityState::OutsideHours, None)];
        let prompt = deliver_later(Urgency::Standard, &never, NOW).expect("asks");
        assert_eq!(prompt.deliver_at, None);
    }

    #[test]
    fn recipients_are_the_dm_others_or_the_people_mentioned_by_name() {
        let me = Uuid::from_u128(1);
        let people = [
            user(1, "Me"),
            user(2, "Ana Lima"),
            user(3, "Ana"),
            user(4, "Ben"),
        ];
        let dm = channel(ChannelKind::Direct, &[1, 2, 4]);
        assert_eq!(
            recipients(&dm, "hi", &people, me),
            vec![Uuid::from_u128(2), Uuid::from_u128(4)]
        );
        let general = channel(ChannelKind::Public, &[]);
        assert_eq!(
            recipients(
                &general,
                "@ana lima and @Ben, @Ben again, @Me, @channel, x@Ana",
                &people,
                me
            ),
            vec![Uuid::from_u128(2), Uuid::from_u128(4)]
        );
        assert!(recipients(&general, "@channel please", &people, me).is_empty());
    }
}
