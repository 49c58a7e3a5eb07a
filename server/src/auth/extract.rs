//! Who is asking, from the session cookie. Two extractors, so the guest rule is kept
//! in one place instead of in every handler:
//! - `CurrentSession`: a workspace member. Every member endpoint takes it; a guest is
//!   refused with 403 before the handler runs.
//! - `AnySession`: a member or a guest (with the one meeting they may use). Only the
//!   few endpoints a guest needs take it.
//!
//! Both refuse with 401 when there is no live session.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tandem_protocol::api::{Role, User};
use uuid::Uuid;

use super::session;
use crate::db::{guests, meetings};
use crate::error::AppError;
use crate::meetings::GuestScope;
use crate::state::AppState;

pub const GUESTS_ONLY_THEIR_MEETING: &str = "Guests can only use their meeting.";

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

/// A member or a guest.
#[derive(Debug, Clone)]
pub struct AnySession {
    pub session_id: Uuid,
    pub user: User,
    /// Set for guests: the one meeting they may use.
    pub guest: Option<GuestScope>,
}

impl AnySession {
    /// The member session, or 403 for a guest.
    pub fn member(self) -> Result<CurrentSession, AppError> {
        if self.guest.is_some() {
            return Err(AppError::forbidden(GUESTS_ONLY_THEIR_MEETING));
        }
        Ok(CurrentSession {
            session_id: self.session_id,
            user: self.user,
        })
    }
}

impl FromRequestParts<AppState> for AnySession {
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
        let user = user.to_user()?;
        let guest = if user.role == Role::Guest {
            // A guest without a (live) meeting has nothing left to use.
            Some(
                guest_scope(state, user.id)
                    .await?
                    .ok_or_else(AppError::unauthenticated)?,
            )
        } else {
            None
        };
        Ok(AnySession {
            session_id: crate::db::uuid(&session.id)?,
            user,
            guest,
        })
    }
}

async fn guest_scope(
    state: &AppState,
    user_id: tandem_protocol::UserId,
) -> Result<Option<GuestScope>, AppError> {
    let Some(meeting_id) = guests::meeting_of(&state.db, user_id).await? else {
        return Ok(None);
    };
    let Some(row) = meetings::find(&state.db, meeting_id).await? else {
        return Ok(None);
    };
    if row.ended_at.is_some() {
        return Ok(None);
    }
    Ok(Some(GuestScope {
        meeting_id,
        channel_id: row.channel()?,
        card_message_id: row.card()?,
    }))
}

impl FromRequestParts<AppState> for CurrentSession {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        AnySession::from_request_parts(parts, state).await?.member()
    }
}
