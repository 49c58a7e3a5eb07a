//! Working hours and availability (`/api/users/me/schedule`, `/api/availability`).

use tandem_protocol::working_hours::{AvailabilityList, WorkSchedule};

use super::client::{get, into_json, put, send, send_json, Result};
use super::AuthorizedApi;

impl AuthorizedApi {
    pub async fn my_working_hours(&self) -> Result<WorkSchedule> {
        into_json(send(get(self.base(), "/api/users/me/schedule")).await?).await
    }

    /// Saves my working hours and focus blocks (the server also moves my profile's
    /// time zone to theirs).
    pub async fn save_working_hours(&self, hours: &WorkSchedule) -> Result<WorkSchedule> {
        hours.validate()?;
        into_json(send_json(put(self.base(), "/api/users/me/schedule"), hours).await?).await
    }

    /// Everyone's state now, with the server's clock.
    pub async fn availability(&self) -> Result<AvailabilityList> {
        into_json(send(get(self.base(), "/api/availability")).await?).await
    }
}
