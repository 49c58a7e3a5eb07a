//! Small pure helpers for meeting text: durations, initials, card summaries, and the
//! roster diff used when rejoining.

use std::collections::HashSet;

use tandem_protocol::meetings::{Meeting, ParticipantId};

/// "4:05" or "1:02:03" — the running clock on a live card.
pub fn clock(ms: i64) -> String {
    let s = (ms.max(0) / 1000) as u64;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Whole minutes, rounded to nearest (at least 1 once anything happened).
pub fn minutes(ms: i64) -> i64 {
    let m = (ms.max(0) + 30_000) / 60_000;
    if ms > 0 {
        m.max(1)
    } else {
        0
    }
}

/// "Meeting ended (12 min, 4 people)".
pub fn ended_summary(meeting: &Meeting) -> String {
    let end = meeting.ended_at.unwrap_or(meeting.started_at);
    let n = meeting.attendee_count;
    let people = if n == 1 {
        "1 person".to_string()
    } else {
        format!("{n} people")
    };
    format!(
        "Meeting ended ({} min, {people})",
        minutes(end - meeting.started_at)
    )
}

pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// After a rejoin: which engine peers are stale (not in the new roster) and which
/// roster members still need a peer. `me` is never a peer.
pub fn roster_diff(
    engine_peers: &[String],
    roster: &[ParticipantId],
    me: ParticipantId,
) -> (Vec<String>, Vec<ParticipantId>) {
    let wanted: HashSet<String> = roster
        .iter()
        .filter(|p| **p != me)
        .map(|p| p.to_string())
        .collect();
    let have: HashSet<&str> = engine_peers.iter().map(String::as_str).collect();
    let stale = engine_peers
        .iter()
        .filter(|p| !wanted.contains(p.as_str()))
        .cloned()
        .collect();
    let missing = roster
        .iter()
        .filter(|p| **p != me && !have.contains(p.to_string().as_str()))
        .copied()
        .collect();
    (stale, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tandem_protocol::meetings::MeetingKind;
    use uuid::Uuid;

    #[test]
    fn clocks_and_minutes() {
        assert_eq!(clock(65_000), "1:05");
        assert_eq!(clock(3_723_000), "1:02:03");
        assert_eq!(minutes(12 * 60_000 + 20_000), 12);
        assert_eq!(minutes(12 * 60_000 + 40_000), 13);
        assert_eq!(minutes(5_000), 1);
        assert_eq!(minutes(0), 0);
    }

    #[test]
    fn ended_summary_reads_naturally() {
        let m = Meeting {
            id: Uuid::from_u128(1),
            kind: MeetingKind::Meeting,
            channel_id: Uuid::from_u128(2),
            card_message_id: Uuid::from_u128(3),
            title: "Standup".into(),
            host_id: Uuid::from_u128(4),
            started_at: 0,
            ended_at: Some(12 * 60_000),
            locked: false,
            present: vec![],
            attendee_count: 4,
            recording: false,
            board_id: None,
            town_hall: false,
        };
        assert_eq!(ended_summary(&m), "Meeting ended (12 min, 4 people)");
    }

    #[test]
    fn initials_take_two_words() {
        assert_eq!(initials("ada lovelace byron"), "AL");
        assert_eq!(initials("Bob"), "B");
    }

    #[test]
    fn roster_diff_finds_stale_and_missing() {
        let (a, b, c, me) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(9),
        );
        let engine = vec![a.to_string(), b.to_string()];
        let (stale, missing) = roster_diff(&engine, &[b, c, me], me);
        assert_eq!(stale, vec![a.to_string()]);
        assert_eq!(missing, vec![c]);
    }
}
