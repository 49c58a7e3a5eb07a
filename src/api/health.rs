//! `GET /api/health-report`: the communication-health dashboard's numbers.

use tandem_protocol::health::HealthReport;
use tandem_protocol::Timestamp;

use super::client::{get, into_json, send, Result};
use super::AuthorizedApi;

impl AuthorizedApi {
    /// The period `[from, to)` in ms; the server allows at most 92 days.
    pub async fn health_report(&self, from: Timestamp, to: Timestamp) -> Result<HealthReport> {
        into_json(
            send(get(
                self.base(),
                &format!("/api/health-report?from={from}&to={to}"),
            ))
            .await?,
        )
        .await
    }
}
