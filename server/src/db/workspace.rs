//! The single-row `workspace_settings` table.

use sqlx::SqliteExecutor;
use tandem_protocol::api::WorkspaceSettings;

pub async fn get(db: impl SqliteExecutor<'_>) -> Result<WorkspaceSettings, sqlx::Error> {
    let (name, open_signup, retention): (String, bool, Option<i64>) = sqlx::query_as(
        "SELECT name, open_signup, recording_retention_days FROM workspace_settings WHERE id = 1",
    )
    .fetch_one(db)
    .await?;
    Ok(WorkspaceSettings {
        name,
        open_signup,
        recording_retention_days: retention.map(|d| d.clamp(0, u32::MAX as i64) as u32),
        // Not stored yet (issue #7 adds the columns).
        sla: Default::default(),
    })
}

pub async fn set(
    db: impl SqliteExecutor<'_>,
    settings: &WorkspaceSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workspace_settings SET name = ?, open_signup = ?, recording_retention_days = ?
         WHERE id = 1",
    )
    .bind(&settings.name)
    .bind(settings.open_signup)
    .bind(settings.recording_retention_days.map(i64::from))
    .execute(db)
    .await?;
    Ok(())
}
