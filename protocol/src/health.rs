//! The communication-health dashboard: `GET /api/health-report?from=&to=` (ms).
//! Members see the team figures and their own; admins see everyone's.

use serde::{Deserialize, Serialize};

use crate::urgency::Urgency;
use crate::{Timestamp, UserId};

/// Meetings should take less than this share of working time.
pub const MEETING_SHARE_TARGET: f64 = 0.30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TierStats {
    pub urgency: Urgency,
    /// Response items due in the period.
    pub total: u32,
    /// Of those, answered by their deadline.
    pub met: u32,
    /// `met / total`; None when there were none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adherence: Option<f64>,
    /// Median minutes from the message to its response (answered ones only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_response_minutes: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthMetrics {
    /// Working time in the period by their working hours (focus included).
    pub working_minutes: u64,
    /// Time spent in meetings during working hours.
    pub meeting_minutes: u64,
    /// `meeting_minutes / working_minutes`; None without working time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_share: Option<f64>,
    /// One entry per tier: Critical, Standard, Low.
    pub tiers: Vec<TierStats>,
    pub focus_scheduled_minutes: u64,
    /// Focus time not taken by meetings.
    pub focus_kept_minutes: u64,
    /// Messages this person (or the team) sent to someone outside that person's working hours.
    pub messages_outside_recipient_hours: u32,
    pub escalations: u32,
    pub decisions_async: u32,
    pub decisions_in_call: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonHealth {
    pub user_id: UserId,
    pub display_name: String,
    pub metrics: HealthMetrics,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HealthReport {
    pub from: Timestamp,
    pub to: Timestamp,
    pub meeting_share_target: f64,
    pub team: HealthMetrics,
    pub people: Vec<PersonHealth>,
}
