//! The summary card's words and the note form's parsing, pure so they are tested
//! natively.

use tandem_protocol::urgency::{ActionItemInput, MeetingNoteRequest};
use tandem_protocol::{Timestamp, UserId};

use crate::components::urgency::countdown::span;

/// "12 min", "1 h 5 min"; a call shorter than half a minute is "under 1 min".
pub fn duration_text(ms: u64) -> String {
    let minutes = (ms + 30_000) / 60_000;
    if minutes == 0 {
        "under 1 min".to_string()
    } else {
        span(minutes as i64)
    }
}

/// "1 chat message", "3 chat messages".
pub fn chat_count_text(n: u32) -> String {
    if n == 1 {
        "1 chat message".to_string()
    } else {
        format!("{n} chat messages")
    }
}

/// One decision per non-empty line.
pub fn decisions_from_text(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// One action item row of the form as typed (`due_at`: the date input, already read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDraft {
    pub text: String,
    pub owner_id: Option<UserId>,
    pub due_at: Option<Timestamp>,
}

/// The form → the request, or what to fix. Rows left entirely empty are ignored.
pub fn note_request(
    text: &str,
    decisions: &str,
    rows: &[ActionDraft],
) -> Result<MeetingNoteRequest, String> {
    let mut action_items = Vec::new();
    for row in rows {
        let item_text = row.text.trim();
        if item_text.is_empty() && row.owner_id.is_none() && row.due_at.is_none() {
            continue;
        }
        match (item_text.is_empty(), row.owner_id, row.due_at) {
            (false, Some(owner_id), Some(due_at)) => action_items.push(ActionItemInput {
                text: item_text.to_string(),
                owner_id,
                due_at,
            }),
            _ => return Err("Each action item needs a text, an owner and a due date.".to_string()),
        }
    }
    let req = MeetingNoteRequest {
        text: text.trim().to_string(),
        decisions: decisions_from_text(decisions),
        action_items,
    };
    req.validate().map_err(|e| e.message)?;
    Ok(req)
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn summary_durations_and_counts() {
        assert_eq!(duration_text(12 * 60_000 + 10_000), "12 min");
        assert_eq!(duration_text(11 * 60_000 + 40_000), "12 min");
        assert_eq!(duration_text(65 * 60_000), "1 h 5 min");
        assert_eq!(duration_text(20_000), "under 1 min");
        assert_eq!(chat_count_text(0), "0 chat messages");
        assert_eq!(chat_count_text(1), "1 chat message");
        assert_eq!(chat_count_text(7), "7 chat messages");
    }

    #[test]
    fn summary_note_form_builds_the_request() {
        let owner = Uuid::from_u128(5);
        let rows = [
            ActionDraft {
                text: " Ship the fix ".into(),
                owner_id: Some(owner),
                due_at: Some(1_000),
            },
            ActionDraft {
                text: "  ".into(),
                owner_id: None,
                due_at: None,
            },
        ];
        let req = note_request(
            " Agreed to roll back ",
            "Roll back\n\n  Postmortem Friday \n",
            &rows,
        )
        .unwrap();
        assert_eq!(req.text, "Agreed to roll back");
        assert_eq!(req.decisions, vec!["Roll back", "Postmortem Friday"]);
        assert_eq!(req.action_items.len(), 1);
        assert_eq!(req.action_items[0].text, "Ship the fix");
        assert_eq!(req.action_items[0].owner_id, owner);
    }

    #[test]
    fn summary_note_form_refuses_half_filled_rows_and_long_items() {
        let half = [ActionDraft {
            text: "Ship".into(),
            owner_id: None,
            due_at: Some(1),
        }];
        assert!(note_request("", "", &half).is_err());
        let no_text = [ActionDraft {
            text: "".into(),
            owner_id: Some(Uuid::nil()),
            due_at: Some(1),
        }];
        assert!(note_request("", "", &no_text).is_err());
        let long = "x".repeat(tandem_protocol::urgency::MAX_NOTE_ITEM_CHARS + 1);
        assert!(note_request("", &long, &[]).is_err());
        assert_eq!(
            note_request("", "", &[]).map(|r| r.action_items.len()),
            Ok(0)
        );
    }
}
