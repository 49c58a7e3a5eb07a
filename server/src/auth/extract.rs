//! `CurrentSession`: the signed-in user behind a request, from the session cookie.
//! Handlers that take it are refused with 401 when there is no live session.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tandem_protocol::api::{Role, User};
use uuid::Uuid;

use super::session;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub session_id: Uuid,
    pub user: User,
}

impl CurrentSession {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// 403 unless the user is a workspace admin.
    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::forbidden("Only a workspace admin can do this."))
        }
    }
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token =
            session::token_from_headers(&parts.headers).ok_or_else(AppError::unauthenticated)?;
        let (session, user) = session::resolve(&state.db, &token)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        Ok(CurrentSession {
            session_id: crate::db::uuid(&session.id)?,
            user: user.to_user()?,
        })
    }
}
