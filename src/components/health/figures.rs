//! The dashboard's four figures from a `HealthReport`: each a chart and a table with
//! the same numbers (the table is what screen readers read). Pure, tested natively.

use tandem_protocol::health::{HealthMetrics, HealthReport, TierStats};
use tandem_protocol::urgency::Urgency;

use super::chart::{Chart, Group, Unit};

pub const MEETING_SHARE: &str = "Share of working time in meetings";
pub const SLA_ADHERENCE: &str = "SLA adherence by tier";
pub const MEDIAN_RESPONSE: &str = "Median response time by tier";
pub const FOCUS_KEPT: &str = "Focus time kept vs scheduled";
pub const TEAM: &str = "Team";

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The first header names the row headers' column.
    pub headers: Vec<String>,
    /// Each row starts with its header cell (the person or "Team").
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub caption: &'static str,
    pub chart: Chart,
    pub table: Table,
}

/// People by name, then the team: the rows of every per-person figure.
pub fn rows(report: &HealthReport) -> Vec<(String, &HealthMetrics)> {
    let mut people: Vec<(String, &HealthMetrics)> = report
        .people
        .iter()
        .map(|p| (p.display_name.clone(), &p.metrics))
        .collect();
    people.sort_by_key(|(name, _)| name.to_lowercase());
    people.push((TEAM.to_string(), &report.team));
    people
}

pub fn tier(m: &HealthMetrics, urgency: Urgency) -> Option<&TierStats> {
    m.tiers.iter().find(|t| t.urgency == urgency)
}

/// A column of a per-person figure: its header, and how to read it from a person's metrics.
type Column<'a> = (&'a str, fn(&HealthMetrics) -> Option<f64>);

fn per_person(
    caption: &'static str,
    report: &HealthReport,
    unit: Unit,
    columns: &[Column],
    target: Option<f64>,
) -> Figure {
    let rows = rows(report);
    let groups = rows
        .iter()
        .map(|(name, m)| Group {
            label: name.clone(),
            values: columns.iter().map(|(_, f)| f(m)).collect(),
        })
        .collect();
    let mut headers = vec!["Person".to_string()];
    headers.extend(columns.iter().map(|(h, _)| h.to_string()));
    Figure {
        caption,
        chart: Chart {
            unit,
            series: columns.iter().map(|(h, _)| h.to_string()).collect(),
            groups,
            target,
            min_max: 0.0,
        },
        table: Table {
            headers,
            rows: rows
                .iter()
                .map(|(name, m)| {
                    let mut row = vec![name.clone()];
                    row.extend(columns.iter().map(|(_, f)| unit.format_opt(f(m))));
                    row
                })
                .collect(),
        },
    }
}

/// Tiers along the axis, one bar per person (and the team) in each.
fn per_tier(
    caption: &'static str,
    report: &HealthReport,
    unit: Unit,
    value: fn(&TierStats) -> Option<f64>,
    min_max: f64,
) -> Figure {
    let rows = rows(report);
    let at = |m: &HealthMetrics, u: Urgency| tier(m, u).and_then(value);
    let mut headers = vec!["Person".to_string()];
    headers.extend(Urgency::ALL.iter().map(|u| u.label().to_string()));
    Figure {
        caption,
        chart: Chart {
            unit,
            series: rows.iter().map(|(name, _)| name.clone()).collect(),
            groups: Urgency::ALL
                .iter()
                .map(|u| Group {
                    label: u.label().to_string(),
                    values: rows.iter().map(|(_, m)| at(m, *u)).collect(),
                })
                .collect(),
            target: None,
            min_max,
        },
        table: Table {
            headers,
            rows: rows
                .iter()
                .map(|(name, m)| {
                    let mut row = vec![name.clone()];
                    row.extend(Urgency::ALL.iter().map(|u| unit.format_opt(at(m, *u))));
                    row
                })
                .collect(),
        },
    }
}

pub fn figures(report: &HealthReport) -> Vec<Figure> {
    vec![
        per_person(
            MEETING_SHARE,
            report,
            Unit::Share,
            &[(MEETING_SHARE, |m| m.meeting_share)],
            Some(report.meeting_share_target),
        ),
        per_tier(SLA_ADHERENCE, report, Unit::Share, |t| t.adherence, 1.0),
        per_tier(
            MEDIAN_RESPONSE,
            report,
            Unit::Minutes,
            |t| t.median_response_minutes,
            0.0,
        ),
        per_person(
            FOCUS_KEPT,
            report,
            Unit::Minutes,
            &[
                ("Focus scheduled", |m| {
                    Some(m.focus_scheduled_minutes as f64)
                }),
                ("Focus kept", |m| Some(m.focus_kept_minutes as f64)),
            ],
            None,
        ),
    ]
}

/// The team's counts under the figures.
pub fn team_counts(report: &HealthReport) -> Vec<(&'static str, u32)> {
    let t = &report.team;
    vec![
        (
            "Messages sent outside recipients' working hours",
            t.messages_outside_recipient_hours,
        ),
        ("Escalations", t.escalations),
        ("Decisions made asynchronously", t.decisions_async),
        ("Decisions made in calls", t.decisions_in_call),
    ]
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use tandem_protocol::health::PersonHealth;
    use uuid::Uuid;

    pub fn metrics(working: u64, meeting: u64, adherence: [Option<f64>; 3]) -> HealthMetrics {
        HealthMetrics {
            working_minutes: working,
            meeting_minutes: meeting,
            meeting_share: (working > 0).then(|| meeting as f64 / working as f64),
            tiers: Urgency::ALL
                .iter()
                .zip(adherence)
                .map(|(u, a)| TierStats {
                    urgency: *u,
                    total: u32::from(a.is_some()),
                    met: a.map(|a| a as u32).unwrap_or(0),
                    adherence: a,
                    median_response_minutes: a.map(|_| 30.0),
                })
                .collect(),
            focus_scheduled_minutes: 120,
            focus_kept_minutes: 60,
            messages_outside_recipient_hours: 2,
            escalations: 1,
            decisions_async: 3,
            decisions_in_call: 1,
        }
    }

    /// Two people, each in a 60-minute meeting of a 480-minute working day.
    pub fn report() -> HealthReport {
        HealthReport {
            from: 0,
            to: 86_400_000,
            meeting_share_target: 0.3,
            team: metrics(960, 120, [Some(1.0), None, Some(0.5)]),
            people: vec![
                PersonHealth {
                    user_id: Uuid::from_u128(2),
                    display_name: "ben".into(),
                    metrics: metrics(480, 60, [None, None, Some(0.5)]),
                },
                PersonHealth {
                    user_id: Uuid::from_u128(1),
                    display_name: "Ana".into(),
                    metrics: metrics(480, 60, [Some(1.0), None, None]),
                },
            ],
        }
    }

    #[test]
    fn health_figures_have_tables_with_the_chart_numbers() {
        let r = report();
        let f = figures(&r);
        assert_eq!(
            f.iter().map(|f| f.caption).collect::<Vec<_>>(),
            [MEETING_SHARE, SLA_ADHERENCE, MEDIAN_RESPONSE, FOCUS_KEPT]
        );
        let share = &f[0];
        assert_eq!(share.table.headers, ["Person", MEETING_SHARE]);
        assert_eq!(
            share.table.rows,
            [["Ana", "12.5%"], ["ben", "12.5%"], ["Team", "12.5%"]]
        );
        assert_eq!(share.chart.target, Some(0.3));
        assert_eq!(share.chart.groups.len(), 3);

        let sla = &f[1];
        assert_eq!(sla.table.headers, ["Person", "Critical", "Standard", "Low"]);
        assert_eq!(sla.table.rows[0], ["Ana", "100%", "—", "—"]);
        assert_eq!(sla.table.rows[2], ["Team", "100%", "—", "50%"]);
        assert_eq!(sla.chart.groups[2].values, [None, Some(0.5), Some(0.5)]);
        assert_eq!(sla.chart.series, ["Ana", "ben", "Team"]);

        assert_eq!(f[2].table.rows[1], ["ben", "—", "—", "30 min"]);
        assert_eq!(f[3].table.rows[2], ["Team", "120 min", "60 min"]);
        assert_eq!(f[3].chart.series, ["Focus scheduled", "Focus kept"]);
    }

    #[test]
    fn health_team_counts_in_order() {
        let counts = team_counts(&report());
        assert_eq!(
            counts[0],
            ("Messages sent outside recipients' working hours", 2)
        );
        assert_eq!(counts[3], ("Decisions made in calls", 1));
    }
}
