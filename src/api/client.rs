//! REST calls, one method per endpoint, on the two client types.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tandem_protocol::api::{
    CreateInviteRequest, CreatedInvite, Invite, LoginRequest, SessionInfo, SignupPolicy,
    SignupRequest, UpdateWorkspaceSettings, User, WorkspaceSettings,
};
use tandem_protocol::ApiError;
use uuid::Uuid;
use web_sys::RequestCredentials;

use super::error::{fallback_error, Error};

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// Before sign-in: only the endpoints that work without a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnauthorizedApi {
    base: String,
}

/// Signed in. The session itself is an HttpOnly cookie the app never sees; holding
/// this value is the proof that the server accepted it, and it carries who we are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedApi {
    base: String,
    user: User,
}

impl UnauthorizedApi {
    pub fn new(api_base: impl Into<String>) -> Self {
        Self {
            base: api_base.into(),
        }
    }

    pub async fn signup_policy(&self) -> Result<SignupPolicy> {
        into_json(send(get(&self.base, "/api/auth/signup-policy")).await?).await
    }

    pub async fn signup(&self, req: &SignupRequest) -> Result<AuthorizedApi> {
        req.validate()?;
        let user = into_json(send_json(post(&self.base, "/api/auth/signup"), req).await?).await?;
        Ok(self.authorize(user))
    }

    pub async fn login(&self, req: &LoginRequest) -> Result<AuthorizedApi> {
        let user = into_json(send_json(post(&self.base, "/api/auth/login"), req).await?).await?;
        Ok(self.authorize(user))
    }

    /// Restores a session from the cookie: `Ok(None)` simply means "not signed in".
    pub async fn me(&self) -> Result<Option<AuthorizedApi>> {
        match into_json::<User>(send(get(&self.base, "/api/auth/me")).await?).await {
            Ok(user) => Ok(Some(self.authorize(user))),
            Err(e) if e.is_unauthenticated() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn authorize(&self, user: User) -> AuthorizedApi {
        AuthorizedApi {
            base: self.base.clone(),
            user,
        }
    }
}

impl AuthorizedApi {
    pub fn user(&self) -> &User {
        &self.user
    }

    /// The API base, for the endpoint files beside this one.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    pub fn unauthorized(&self) -> UnauthorizedApi {
        UnauthorizedApi {
            base: self.base.clone(),
        }
    }

    pub async fn logout(&self) -> Result<UnauthorizedApi> {
        match into_empty(send(post(&self.base, "/api/auth/logout")).await?).await {
            // Already logged out elsewhere: the outcome is the same.
            Ok(()) => Ok(self.unauthorized()),
            Err(e) if e.is_unauthenticated() => Ok(self.unauthorized()),
            Err(e) => Err(e),
        }
    }

    pub async fn sessions(&self) -> Result<Vec<SessionInfo>> {
        into_json(send(get(&self.base, "/api/auth/sessions")).await?).await
    }

    pub async fn revoke_session(&self, id: Uuid) -> Result<()> {
        into_empty(send(delete(&self.base, &format!("/api/auth/sessions/{id}"))).await?).await
    }

    /// The newest event `seq`, read before loading state so the socket resumes from it.
    pub async fn realtime_position(&self) -> Result<tandem_protocol::ws::RealtimePosition> {
        into_json(send(get(&self.base, "/api/realtime/position")).await?).await
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        into_json(send(get(&self.base, "/api/users")).await?).await
    }

    pub async fn workspace_settings(&self) -> Result<WorkspaceSettings> {
        into_json(send(get(&self.base, "/api/workspace/settings")).await?).await
    }

    pub async fn update_workspace_settings(
        &self,
        update: &UpdateWorkspaceSettings,
    ) -> Result<WorkspaceSettings> {
        if let Some(name) = &update.name {
            tandem_protocol::api::validate_workspace_name(name)?;
        }
        into_json(send_json(patch(&self.base, "/api/workspace/settings"), update).await?).await
    }

    pub async fn invites(&self) -> Result<Vec<Invite>> {
        into_json(send(get(&self.base, "/api/invites")).await?).await
    }

    /// The answer carries the invite's secret: the only time it is shown.
    pub async fn create_invite(&self, req: &CreateInviteRequest) -> Result<CreatedInvite> {
        req.validate()?;
        into_json(send_json(post(&self.base, "/api/invites"), req).await?).await
    }

    pub async fn revoke_invite(&self, id: Uuid) -> Result<()> {
        into_empty(send(delete(&self.base, &format!("/api/invites/{id}"))).await?).await
    }
}

// "include" sends the session cookie even when `api_base` is another origin; for the
// same origin it behaves like the default.
fn with_credentials(builder: RequestBuilder) -> RequestBuilder {
    builder
        .credentials(RequestCredentials::Include)
        .header("Accept", "application/json")
}

pub(crate) fn get(base: &str, path: &str) -> RequestBuilder {
    with_credentials(Request::get(&format!("{base}{path}")))
}

pub(crate) fn post(base: &str, path: &str) -> RequestBuilder {
    with_credentials(Request::post(&format!("{base}{path}")))
}

pub(crate) fn patch(base: &str, path: &str) -> RequestBuilder {
    with_credentials(Request::patch(&format!("{base}{path}")))
}

pub(crate) fn put(base: &str, path: &str) -> RequestBuilder {
    with_credentials(Request::put(&format!("{base}{path}")))
}

pub(crate) fn delete(base: &str, path: &str) -> RequestBuilder {
    with_credentials(Request::delete(&format!("{base}{path}")))
}

pub(crate) async fn send(builder: RequestBuilder) -> Result<Response> {
    builder.send().await.map_err(|_| Error::Network)
}

pub(crate) async fn send_json(builder: RequestBuilder, body: &impl Serialize) -> Result<Response> {
    let request = builder
        .json(body)
        .map_err(|e| Error::Decode(e.to_string()))?;
    request.send().await.map_err(|_| Error::Network)
}

/// Checks the status first: a 2xx body becomes `T`, anything else becomes the
/// server's `ApiError` (or a readable stand-in when the body is not one).
pub(crate) async fn into_json<T: DeserializeOwned>(response: Response) -> Result<T> {
    if response.ok() {
        response
            .json::<T>()
            .await
            .map_err(|e| Error::Decode(e.to_string()))
    } else {
        Err(error_from(response).await)
    }
}

pub(crate) async fn into_empty(response: Response) -> Result<()> {
    if response.ok() {
        Ok(())
    } else {
        Err(error_from(response).await)
    }
}

async fn error_from(response: Response) -> Error {
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(body) if !body.message.trim().is_empty() => Error::Api(body),
        _ => Error::Api(fallback_error(status)),
    }
}
