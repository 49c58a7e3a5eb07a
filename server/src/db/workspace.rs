//! The single-row `workspace_settings` table.

use sqlx::AnyExecutor;
use tandem_protocol::api::WorkspaceSettings;
use tandem_protocol::urgency::SlaTargets;

pub async fn get(db: impl AnyExecutor<'_>) -> Result<WorkspaceSettings, sqlx::Error> {
    #[allow(clippy::type_complexity)]
    let (name, open_signup, retention, critical, standard, low): (
        String,
        super::Flag,
        Option<i64>,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT name, open_signup, recording_retention_days, sla_critical_minutes,
                sla_standard_minutes, sla_low_minutes
         FROM workspace_settings WHERE id = 1",
    )
    .fetch_one(db)
    .await?;
    let minutes = |m: i64| m.clamp(1, u32::MAX as i64) as u32;
    Ok(WorkspaceSettings {
        name,
        open_signup: open_signup.into(),
        recording_retention_days: retention.map(|d| d.clamp(0, u32::MAX as i64) as u32),
        sla: SlaTargets {
            critical_minutes: minutes(critical),
            standard_minutes: minutes(standard),
            low_minutes: minutes(low),
        },
    })
}

pub async fn set(
    db: impl AnyExecutor<'_>,
    settings: &WorkspaceSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workspace_settings SET name = $1, open_signup = $2, recording_retention_days = $3,
             sla_critical_minutes = $4, sla_standard_minutes = $5, sla_low_minutes = $6
         WHERE id = 1",
    )
    .bind(&settings.name)
    .bind(i64::from(settings.open_signup))
    .bind(settings.recording_retention_days.map(i64::from))
    .bind(i64::from(settings.sla.critical_minutes))
    .bind(i64::from(settings.sla.standard_minutes))
    .bind(i64::from(settings.sla.low_minutes))
    .execute(db)
    .await?;
    Ok(())
}
