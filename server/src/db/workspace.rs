//! The single-row `workspace_settings` table.

use sqlx::SqliteExecutor;
use tandem_protocol::api::WorkspaceSettings;

pub async fn get(db: impl SqliteExecutor<'_>) -> Result<WorkspaceSettings, sqlx::Error> {
    let (name, open_signup): (String, bool) =
        sqlx::query_as("SELECT name, open_signup FROM workspace_settings WHERE id = 1")
            .fetch_one(db)
            .await?;
    Ok(WorkspaceSettings { name, open_signup })
}

pub async fn set(
    db: impl SqliteExecutor<'_>,
    settings: &WorkspaceSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE workspace_settings SET name = ?, open_signup = ? WHERE id = 1")
        .bind(&settings.name)
        .bind(settings.open_signup)
        .execute(db)
        .await?;
    Ok(())
}
