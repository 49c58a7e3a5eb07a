//! Sign-up, log-in, log-out and the session list.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use tandem_protocol::api::{
    normalize_display_name, normalize_email, LoginRequest, SessionInfo, SignupPolicy,
    SignupRequest, User,
};
use tandem_protocol::ws::{Event, CLOSE_SESSION_ENDED};
use tandem_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::auth::extract::{AnySession, CurrentSession};
use crate::auth::{client_addr, device, password, session};
use crate::db::{self, now_ms, sessions, users, workspace};
use crate::error::{AppError, AppResult, Json, Path};
use crate::realtime::audience::Audience;
use crate::routes::invites;
use crate::state::AppState;

const BAD_CREDENTIALS: &str = "Email or password is incorrect.";

/// What the sign-up page needs before anyone is signed in.
#[utoipa::path(get, path = "/api/auth/signup-policy", tag = "auth",
    responses((status = 200, body = SignupPolicy)))]
pub async fn signup_policy(State(state): State<AppState>) -> AppResult<Json<SignupPolicy>> {
    let settings = workspace::get(&state.db).await?;
    let first_account = !users::any_exist(&state.db).await?;
    Ok(Json(SignupPolicy {
        first_account,
        open_signup: settings.open_signup,
        workspace_name: settings.name,
        // Every first account needs the code (a server without one refuses it).
        needs_setup_code: first_account,
    }))
}

/// The 200/201 answer: the session cookie first, then a new known-device cookie when
/// this browser was not yet known for the account.
async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    user: User,
    known_device: Option<&str>,
) -> AppResult<Response> {
    let (_, token) = session::create(&state.db, user.id, &session::user_agent(headers)).await?;
    let secure = session::is_secure(state.config.secure_cookies, headers);
    let mut cookies = vec![(header::SET_COOKIE, session::set_cookie(&token, secure))];
    if let Some(device) =
        device::remember(&state.db, user.id, known_device, secure, now_ms()).await?
    {
        cookies.push((header::SET_COOKIE, device));
    }
    Ok((status, AppendHeaders(cookies), Json(user)).into_response())
}

fn client_ip(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    client_addr::client_ip(peer.ip(), headers, &state.config.trusted_proxies)
}

/// Creates an account and signs it in. The first account becomes the admin; later
/// ones need an invite token unless sign-up is open.
#[utoipa::path(post, path = "/api/auth/signup", tag = "auth", request_body = SignupRequest,
    responses((status = 201, description = "Signed up and signed in (sets the session cookie)",
               body = User),
              (status = 403, body = ApiError), (status = 409, body = ApiError),
              (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn signup(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<SignupRequest>,
) -> AppResult<Response> {
    state
        .login_limiter
        .check_ip(client_ip(&state, peer, &headers))?;
    request.validate()?;
    let email = normalize_email(&request.email);
    let display_name = normalize_display_name(&request.display_name)?;
    let setup_code = request.setup_code.as_deref();
    let invite_token = request
        .invite_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    // Only the SHA-256 of an invite's secret is stored.
    let invite_hash = invite_token.map(session::hash_token);
    let invite_hash = invite_hash.as_deref();
    // Refuse early, before spending a password hash; re-checked under the lock below.
    if !users::any_exist(&state.db).await? && !state.setup_code.matches(setup_code) {
        return Err(setup_code_refused(setup_code));
    }
    if !users::signup_allowed(&state.db, invite_hash, now_ms()).await? {
        return Err(invites::refusal(&state.db, invite_hash, now_ms()).await?);
    }
    // An unknown or missing zone is not worth refusing a sign-up over.
    let time_zone = request
        .time_zone
        .as_deref()
        .map(str::trim)
        .filter(|zone| crate::time_zone::is_known(zone))
        .unwrap_or("UTC")
        .to_string();
    let password_hash = password::hash(request.password).await?;

    let user_id = Uuid::new_v4();
    let now = now_ms();
    let mut writer = state.log.writer().await;
    let mut tx = writer.begin().await?;
    // Permission first, so an uninvited visitor cannot probe which emails exist.
    // Under the writer lock no other sign-up runs, so "no account yet" here is the
    // same as in the insert below: the first account always had the setup code.
    let first_account = !users::any_exist(&mut *tx).await?;
    if first_account && !state.setup_code.matches(setup_code) {
        return Err(setup_code_refused(setup_code));
    }
    if !users::signup_allowed(&mut *tx, invite_hash, now).await? {
        return Err(invites::refusal(&mut *tx, invite_hash, now).await?);
    }
    if users::find_by_email(&mut *tx, &email).await?.is_some() {
        return Err(email_taken());
    }
    let new_user = users::NewUser {
        id: user_id,
        email: &email,
        display_name: &display_name,
        password_hash: &password_hash,
        time_zone: &time_zone,
        created_at: now,
    };
    // Decides admin-or-member and re-checks the permission in the insert itself.
    match users::insert_if_allowed(&mut tx, &new_user, invite_hash).await {
        Ok(true) => {}
        Ok(false) => return Err(invites::refusal(&mut *tx, invite_hash, now).await?),
        Err(err) if db::is_unique_violation(&err) => return Err(email_taken()),
        Err(err) => return Err(err.into()),
    }
    let user = users::find_by_id(&mut *tx, user_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("inserted user vanished"))?
        .to_user()?;
    if let Some(hash) = invite_hash {
        // Under the writer lock and in the same transaction as the insert, so two
        // sign-ups cannot both take an invite's last use. (With open sign-up a used-up
        // invite changes nothing, hence the ignored answer.)
        db::invites::use_once(&mut *tx, hash, now).await?;
    }
    writer
        .append(
            &mut tx,
            Audience::Workspace,
            Event::UserJoined { user: user.clone() },
        )
        .await?;
    writer.commit(tx).await?;
    if first_account {
        state.setup_code.void();
    }

    tracing::info!(user_id = %user.id, role = ?user.role, "signed up");
    signed_in(&state, &headers, StatusCode::CREATED, user, None).await
}

fn setup_code_refused(given: Option<&str>) -> AppError {
    let message = match given {
        Some(_) => "That setup code is not right. Use the code printed on the server's console.",
        None => "Setting up a new workspace needs the setup code printed on the server's console.",
    };
    AppError::Api(ApiError::new(ErrorCode::Forbidden, message).with_field("setup_code"))
}

fn email_taken() -> AppError {
    AppError::Api(
        ApiError::new(
            ErrorCode::Conflict,
            "An account with this email already exists.",
        )
        .with_field("email"),
    )
}

/// Signs in. Throttled per (account, address), per address and per account; a
/// browser this account signed in from before has its own allowance instead.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200,
               description = "Signed in (sets the session cookie, \
                              and a known-device cookie for a new browser)",
               body = User),
              (status = 401, body = ApiError), (status = 429, body = ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(request): Json<LoginRequest>,
) -> AppResult<Response> {
    let email = normalize_email(&request.email);
    let row = users::find_by_email(&state.db, &email).await?;
    let known_device = match &row {
        Some(row) => device::recognise(&state.db, &headers, db::uuid(&row.id)?, now_ms()).await?,
        None => None,
    };
    let by_device = known_device
        .as_deref()
        .is_some_and(|hash| state.login_limiter.check_known_device(hash));
    if !by_device {
        state
            .login_limiter
            .check(&email, client_ip(&state, peer, &headers))?;
    }
    let ok = password::verify(
        request.password,
        row.as_ref().map(|r| r.password_hash.clone()),
    )
    .await?;
    let row = match row {
        Some(row) if ok => row,
        _ => return Err(AppError::new(ErrorCode::Unauthenticated, BAD_CREDENTIALS)),
    };
    let user = row.to_user()?;
    signed_in(
        &state,
        &headers,
        StatusCode::OK,
        user,
        known_device.as_deref(),
    )
    .await
}

/// Ends this session: revoked server-side, cookie cleared, its sockets closed.
/// Guests may sign out too.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"), (status = 401, body = ApiError)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    me: AnySession,
) -> AppResult<Response> {
    end_session(&state, me.user.id, me.session_id).await?;
    let cookie = session::clear_cookie(session::is_secure(state.config.secure_cookies, &headers));
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(header::SET_COOKIE, cookie)]),
    )
        .into_response())
}

async fn end_session(
    state: &AppState,
    user_id: tandem_protocol::UserId,
    session_id: Uuid,
) -> AppResult<bool> {
    let revoked = sessions::revoke(&state.db, session_id, user_id, now_ms()).await?;
    if revoked {
        state
            .connections
            .close_session(session_id, CLOSE_SESSION_ENDED);
    }
    Ok(revoked)
}

/// The signed-in user (a guest too: their role is `guest`).
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = User), (status = 401, body = ApiError)))]
pub async fn me(me: AnySession) -> Json<User> {
    Json(me.user)
}

/// The signed-in user's live sessions (devices/browsers).
#[utoipa::path(get, path = "/api/auth/sessions", tag = "auth",
    responses((status = 200, body = Vec<SessionInfo>), (status = 401, body = ApiError)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    me: CurrentSession,
) -> AppResult<Json<Vec<SessionInfo>>> {
    let rows =
        sessions::list_live_for_user(&state.db, me.user.id, session::not_before(now_ms())).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id = db::uuid(&row.id)?;
        out.push(SessionInfo {
            id,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            user_agent: row.user_agent,
            current: id == me.session_id,
        });
    }
    Ok(Json(out))
}

/// Signs out one of your own sessions (and closes its sockets).
#[utoipa::path(delete, path = "/api/auth/sessions/{id}", tag = "auth",
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 204, description = "Revoked"), (status = 401, body = ApiError),
              (status = 404, body = ApiError)))]
pub async fn delete_session(
    State(state): State<AppState>,
    me: CurrentSession,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    if end_session(&state, me.user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found("No such session."))
    }
}
