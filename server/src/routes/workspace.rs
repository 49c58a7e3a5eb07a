use axum::extract::State;
use tandem_protocol::api::{validate_workspace_name, UpdateWorkspaceSettings, WorkspaceSettings};
use tandem_protocol::ws::Event;
use tandem_protocol::{ApiError, ErrorCode};

use crate::auth::extract::CurrentSession;
use crate::db::workspace;
use crate::error::{AppError, AppResult, Json};

/// About ten years: longer is "forever", which is `null`.
const MAX_RETENTION_DAYS: u32 = 3650;
use crate::realtime::audience::Audience;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/workspace/settings", tag = "workspace",
    responses((status = 200, body = WorkspaceSettings), (status = 401, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    _me: CurrentSession,
) -> AppResult<Json<WorkspaceSettings>> {
    Ok(Json(workspace::get(&state.db).await?))
}

/// Admin only. Announced to everyone as a `workspace_updated` event.
#[utoipa::path(patch, path = "/api/workspace/settings", tag = "workspace",
    request_body = UpdateWorkspaceSettings,
    responses((status = 200, body = WorkspaceSettings), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    me: CurrentSession,
    Json(update): Json<UpdateWorkspaceSettings>,
) -> AppResult<Json<WorkspaceSettings>> {
    me.require_admin()?;
    if let Some(name) = &update.name {
        validate_workspace_name(name)?;
    }
    if let Some(Some(days)) = update.recording_retention_days {
        if !(1..=MAX_RETENTION_DAYS).contains(&days) {
            return Err(AppError::Api(
                ApiError::new(
                    ErrorCode::Validation,
                    format!("Keep recordings between 1 and {MAX_RETENTION_DAYS} days."),
                )
                .with_field("recording_retention_days"),
            ));
        }
    }
    if let Some(sla) = &update.sla {
        sla.validate()?;
    }
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    let current = workspace::get(&mut *tx).await?;
    let mut settings = current.clone();
    if let Some(name) = update.name {
        settings.name = name.trim().to_string();
    }
    if let Some(open_signup) = update.open_signup {
        settings.open_signup = open_signup;
    }
    if let Some(days) = update.recording_retention_days {
        settings.recording_retention_days = days;
    }
    if let Some(sla) = update.sla {
        settings.sla = sla;
    }
    if settings == current {
        // Nothing changed: nothing to store or announce.
        return Ok(Json(settings));
    }
    workspace::set(&mut *tx, &settings).await?;
    writer
        .append(
            &mut tx,
            Audience::Workspace,
            Event::WorkspaceUpdated {
                settings: settings.clone(),
            },
        )
        .await?;
    writer.commit(tx).await?;
    Ok(Json(settings))
}
