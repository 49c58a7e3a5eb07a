//! The dashboard as CSV (RFC 4180): one row per person and one for the team, every
//! metric. Names are people's own text, so cells are quoted when needed and a leading
//! `=`, `+`, `-` or `@` is defused (spreadsheets would run it as a formula).

use tandem_protocol::health::{HealthMetrics, HealthReport};
use tandem_protocol::urgency::Urgency;

use super::figures::{rows, tier};

pub fn escape(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    };
    if cell.contains([',', '"', '\n', '\r']) || cell.trim() != cell {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

fn opt(value: Option<f64>) -> String {
    value
        .map(|v| format!("{}", (v * 10_000.0).round() / 10_000.0))
        .unwrap_or_default()
}

fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "person",
        "working_minutes",
        "meeting_minutes",
        "meeting_share",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for u in Urgency::ALL {
        let t = u.label().to_lowercase();
        for field in ["total", "met", "adherence", "median_response_minutes"] {
            h.push(format!("{t}_{field}"));
        }
    }
    h.extend(
        [
            "focus_scheduled_minutes",
            "focus_kept_minutes",
            "messages_outside_recipient_hours",
            "escalations",
            "decisions_async",
            "decisions_in_call",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    h
}

fn row(name: &str, m: &HealthMetrics) -> Vec<String> {
    let mut r = vec![
        escape(name),
        m.working_minutes.to_string(),
        m.meeting_minutes.to_string(),
        opt(m.meeting_share),
    ];
    for u in Urgency::ALL {
        match tier(m, u) {
            Some(t) => r.extend([
                t.total.to_string(),
                t.met.to_string(),
                opt(t.adherence),
                opt(t.median_response_minutes),
            ]),
            None => r.extend(["0".into(), "0".into(), String::new(), String::new()]),
        }
    }
    r.extend([
        m.focus_scheduled_minutes.to_string(),
        m.focus_kept_minutes.to_string(),
        m.messages_outside_recipient_hours.to_string(),
        m.escalations.to_string(),
        m.decisions_async.to_string(),
        m.decisions_in_call.to_string(),
    ]);
    r
}

/// The whole file, CRLF line ends as RFC 4180 has them.
pub fn health_csv(report: &HealthReport) -> String {
    let mut lines = vec![header().join(",")];
    lines.extend(rows(report).iter().map(|(name, m)| row(name, m).join(",")));
    lines.join("\r\n") + "\r\n"
}

/// `tandem-health-2025-03-01-2025-03-31.csv`.
pub fn file_name(from_date: &str, to_date: &str) -> String {
    format!("tandem-health-{from_date}-{to_date}.csv")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::health::figures::tests::report;

    #[test]
    fn csv_cells_are_escaped() {
        assert_eq!(escape("Ana"), "Ana");
        assert_eq!(escape("Lima, Ana"), "\"Lima, Ana\"");
        assert_eq!(escape("Ana \"the boss\""), "\"Ana \"\"the boss\"\"\"");
        assert_eq!(escape("two\nlines"), "\"two\nlines\"");
        assert_eq!(escape(" padded"), "\" padded\"");
        assert_eq!(escape("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(escape("-1"), "'-1");
        assert_eq!(escape("@Ana"), "'@Ana");
    }

    #[test]
    fn csv_has_a_row_per_person_and_the_team() {
        let mut r = report();
        r.people[1].display_name = "Lima, Ana".into();
        let csv = health_csv(&r);
        let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 4);
        let header: Vec<&str> = lines[0].split(',').collect();
        assert_eq!(header.len(), 4 + 3 * 4 + 6);
        assert_eq!(header[3], "meeting_share");
        assert_eq!(header[4], "critical_total");
        assert_eq!(header[15], "low_median_response_minutes");
        assert!(lines[1].starts_with("ben,480"));
        assert!(
            lines[2].starts_with("\"Lima, Ana\",480,60,0.125,1,1,1,30,0,0,,,0,0,,,120,60,2,1,3,1"),
            "{}",
            lines[2]
        );
        assert!(lines[3].starts_with("Team,960,120,0.125,"));
        assert!(csv.ends_with("\r\n"));
        assert_eq!(
            file_name("2025-03-01", "2025-03-31"),
            "tandem-health-2025-03-01-2025-03-31.csv"
        );
    }
}
