//! The meeting planner's endpoints: the organiser's day plan (`/api/schedule/day`) and
//! planned meetings (plan, list, join, cancel).

use tandem_protocol::meeting_plans::{
    DayPlan, ScheduleMeetingRequest, ScheduledMeeting, ScheduledMeetingId,
};
use tandem_protocol::meetings::Meeting;
use tandem_protocol::UserId;

use super::client::{delete, get, into_empty, into_json, post, send, send_json, Result};
use super::search::encode_component;
use super::AuthorizedApi;

/// The most people `GET /api/schedule/day` answers for at once.
pub const MAX_DAY_PLAN_USERS: usize = 20;

/// `/api/schedule/day?date=&time_zone=&users=`: the zone is encoded (it holds `/`),
/// the list is cut to the server's limit.
pub fn day_plan_path(date: &str, time_zone: &str, users: &[UserId]) -> String {
    let users: Vec<String> = users
        .iter()
        .take(MAX_DAY_PLAN_USERS)
        .map(|u| u.to_string())
        .collect();
    format!(
        "/api/schedule/day?date={}&time_zone={}&users={}",
        encode_component(date),
        encode_component(time_zone),
        users.join(",")
    )
}

impl AuthorizedApi {
    pub async fn day_plan(&self, date: &str, time_zone: &str, users: &[UserId]) -> Result<DayPlan> {
        into_json(send(get(self.base(), &day_plan_path(date, time_zone, users))).await?).await
    }

    /// My planned meetings that have not ended, by start.
    pub async fn planned_meetings(&self) -> Result<Vec<ScheduledMeeting>> {
        into_json(send(get(self.base(), "/api/scheduled-meetings")).await?).await
    }

    /// 409 when the slot overlaps someone's focus block (unless allowed).
    pub async fn plan_meeting(&self, req: &ScheduleMeetingRequest) -> Result<ScheduledMeeting> {
        into_json(send_json(post(self.base(), "/api/scheduled-meetings"), req).await?).await
    }

    /// Cancels a meeting I organised (403 for anyone else); everyone involved gets
    /// `ScheduledMeetingCancelled`.
    pub async fn cancel_planned_meeting(&self, id: ScheduledMeetingId) -> Result<()> {
        let path = format!("/api/scheduled-meetings/{id}");
        into_empty(send(delete(self.base(), &path)).await?).await
    }

    /// Starts the live meeting the first time (from 10 minutes before), the same one after.
    pub async fn join_planned_meeting(&self, id: ScheduledMeetingId) -> Result<Meeting> {
        let path = format!("/api/scheduled-meetings/{id}/join");
        into_json(send(post(self.base(), &path)).await?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn day_plan_path_encodes_the_zone_and_caps_the_people() {
        let a = Uuid::from_u128(1);
        let path = day_plan_path("2025-03-30", "Europe/Lisbon", &[a]);
        assert_eq!(
            path,
            format!("/api/schedule/day?date=2025-03-30&time_zone=Europe%2FLisbon&users={a}")
        );
        let many: Vec<UserId> = (0..30).map(Uuid::from_u128).collect();
        let path = day_plan_path("2025-03-30", "UTC", &many);
        let users = path
            .rsplit_once("users=")
            .map(|(_, u)| u)
            .unwrap_or_default();
        assert_eq!(users.split(',').count(), MAX_DAY_PLAN_USERS);
    }
}
