//! Guest links for a meeting: the host (or an admin in the channel) makes them; anyone
//! with the link can preview the meeting and join it under a display name, getting a
//! session scoped to that one meeting (see `auth::extract`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use tandem_protocol::api::normalize_display_name;
use tandem_protocol::meetings::{
    CreateGuestInviteRequest, CreatedGuestInvite, GuestInvite, GuestInvitePreview,
    GuestJoinRequest, GuestSession, MAX_GUEST_INVITE_MINUTES,
};
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::auth::extract::CurrentSession;
use crate::auth::session;
use crate::db::guests::{self, GuestInviteRow};
use crate::db::meeting_removals;
use crate::db::meetings::{self, MeetingRow};
use crate::db::users;
use crate::error::{AppError, AppResult, Json, Path};
use crate::meetings::guests::{check_usable, ended, new_token, no_meeting, require_manager};
use crate::meetings::lifecycle;
use crate::state::AppState;

const MIN_GUEST_INVITE_MINUTES: u32 = 5;

fn no_link() -> AppError {
    AppError::not_found("This invite link is not valid.")
}

/// Guest links of the meeting, newest first (its host, or an admin in its channel).
#[utoipa::path(get, path = "/api/meetings/{id}/guest-invites", tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    responses((status = 200, body = Vec<GuestInvite>), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<Json<Vec<GuestInvite>>> {
    let meeting = meetings::find(&state.db, id)
        .await?
        .ok_or_else(no_meeting)?;
    require_manager(&state.db, &meeting, &me).await?;
    let rows = guests::list_for_meeting(&state.db, id).await?;
    Ok(Json(
        rows.iter()
            .map(GuestInviteRow::to_invite)
            .collect::<Result<_, _>>()?,
    ))
}

/// Creates a guest link lasting 5 ..= 10080 minutes (its host, or an admin in its
/// channel; not for an ended meeting). The answer is the only time its secret is shown.
#[utoipa::path(post, path = "/api/meetings/{id}/guest-invites", tag = "meetings",
    params(("id" = Uuid, Path, description = "Meeting id")),
    request_body = CreateGuestInviteRequest,
    responses((status = 201, body = CreatedGuestInvite), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 410, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
    Json(request): Json<CreateGuestInviteRequest>,
) -> AppResult<(StatusCode, Json<CreatedGuestInvite>)> {
    let meeting = meetings::find(&state.db, id)
        .await?
        .ok_or_else(no_meeting)?;
    require_manager(&state.db, &meeting, &me).await?;
    if !(MIN_GUEST_INVITE_MINUTES..=MAX_GUEST_INVITE_MINUTES).contains(&request.expires_in_minutes)
    {
        return Err(AppError::Api(
            ApiError::new(
                ErrorCode::Validation,
                format!(
                    "A guest link must last between {MIN_GUEST_INVITE_MINUTES} and \
                     {MAX_GUEST_INVITE_MINUTES} minutes."
                ),
            )
            .with_field("expires_in_minutes"),
        ));
    }
    if meeting.ended_at.is_some() {
        return Err(ended());
    }
    let now = state.now();
    let token = new_token();
    let row = GuestInviteRow {
        id: Uuid::new_v4().to_string(),
        meeting_id: id.to_string(),
        token_hash: session::hash_token(&token),
        created_by: me.user.id.to_string(),
        created_at: now,
        expires_at: now + i64::from(request.expires_in_minutes) * 60 * 1000,
        revoked_at: None,
    };
    guests::insert_invite(&state.db, &row).await?;
    let invite = row.to_invite()?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedGuestInvite { invite, token }),
    ))
}

/// Revokes a guest link (idempotent). Guests who already joined stay until the
/// meeting ends.
#[utoipa::path(delete, path = "/api/guest-invites/{id}", tag = "meetings",
    params(("id" = Uuid, Path, description = "Guest invite id")),
    responses((status = 204, description = "Revoked"), (status = 401, body = ApiError),
              (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn revoke(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    let not_found = || AppError::not_found("No such guest link.");
    let invite = guests::find_invite(&state.db, id)
        .await?
        .ok_or_else(not_found)?;
    let meeting = meetings::find(&state.db, invite.meeting()?)
        .await?
        .ok_or_else(not_found)?;
    require_manager(&state.db, &meeting, &me)
        .await
        .map_err(|err| match err {
            AppError::Api(e) if e.code == ErrorCode::NotFound => not_found(),
            other => other,
        })?;
    guests::revoke_invite(&state.db, id, state.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The link and its meeting, if the link still works.
async fn usable(state: &AppState, token: &str) -> AppResult<(GuestInviteRow, MeetingRow)> {
    let invite = guests::find_by_hash(&state.db, &session::hash_token(token.trim()))
        .await?
        .ok_or_else(no_link)?;
    let meeting = meetings::find(&state.db, invite.meeting()?)
        .await?
        .ok_or_else(no_link)?;
    check_usable(&invite, &meeting, state.now())?;
    Ok((invite, meeting))
}

/// Public: what the guest landing page shows before joining. Unknown link 404;
/// expired, revoked or meeting ended 410.
#[utoipa::path(get, path = "/api/guest/{token}", tag = "meetings",
    params(("token" = String, Path, description = "The secret from the guest link")),
    responses((status = 200, body = GuestInvitePreview), (status = 404, body = ApiError),
              (status = 410, body = ApiError)))]
pub async fn preview(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Json<GuestInvitePreview>> {
    let (_, meeting) = usable(&state, &token).await?;
    let host_name = users::find_by_id(&state.db, meeting.host()?)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    Ok(Json(GuestInvitePreview {
        meeting_title: meeting.title.clone(),
        host_name,
        ended: meeting.ended_at.is_some(),
    }))
}

/// Public: joins as a guest under a display name. Creates a guest account scoped to
/// this meeting and signs it in (the same session cookie members get); it ends with
/// the meeting.
#[utoipa::path(post, path = "/api/guest/{token}", tag = "meetings",
    params(("token" = String, Path, description = "The secret from the guest link")),
    request_body = GuestJoinRequest,
    responses((status = 201, description = "Signed in as a guest (sets the session cookie)",
               body = GuestSession),
              (status = 403, body = ApiError), (status = 404, body = ApiError),
              (status = 410, body = ApiError), (status = 422, body = ApiError),
              (status = 429, body = ApiError)))]
pub async fn join(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Json(request): Json<GuestJoinRequest>,
) -> AppResult<Response> {
    state.login_limiter.check_ip(peer.ip())?;
    let display_name = normalize_display_name(&request.display_name)?;
    let (invite, meeting) = usable(&state, &token).await?;
    let invite_id = crate::db::uuid(&invite.id)?;
    // The host removed the guest who came with this link: a new guest account from
    // the same link would undo that.
    if meeting_removals::link_barred(&state.db, invite_id).await? {
        return Err(AppError::forbidden(
            "The host removed you from this meeting. Ask the host to let you back in.",
        ));
    }
    let meeting_id = meeting.meeting_id()?;
    let user_id = Uuid::new_v4();
    let mut tx = state.db.begin().await?;
    guests::insert_guest(&mut *tx, user_id, &display_name, meeting_id, state.now()).await?;
    meeting_removals::record_arrival(&mut *tx, user_id, invite_id).await?;
    tx.commit().await?;
    let user = users::find_by_id(&state.db, user_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("new guest vanished"))?
        .to_user()?;
    let (_, token) = session::create(&state.db, user_id, &session::user_agent(&headers)).await?;
    let cookie = session::set_cookie(
        &token,
        session::is_secure(state.config.secure_cookies, &headers),
    );
    let body = GuestSession {
        user,
        meeting: lifecycle::snapshot(&state, &meeting).await?,
    };
    tracing::info!(%user_id, %meeting_id, "guest joined");
    Ok((
        StatusCode::CREATED,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
        Json(body),
    )
        .into_response())
}
