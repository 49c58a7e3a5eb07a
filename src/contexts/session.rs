//! Who is signed in. Set once at start-up from `GET /api/auth/me`, then changed only by
//! signing up, logging in, logging out, or the server ending the session.

use leptos::prelude::*;
use tandem_protocol::api::User;
use uuid::Uuid;

use crate::api::{AuthorizedApi, UnauthorizedApi};
use crate::config::Config;

#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    SignedOut(UnauthorizedApi),
    SignedIn(AuthorizedApi),
}

#[derive(Clone, Copy)]
pub struct SessionContext {
    session: RwSignal<Session>,
    config: StoredValue<Config>,
    /// The router's base path ("" at the root), for building absolute links.
    base_path: StoredValue<String>,
}

impl SessionContext {
    pub fn authorized_untracked(&self) -> Option<AuthorizedApi> {
        self.session.with_untracked(|s| match s {
            Session::SignedIn(api) => Some(api.clone()),
            Session::SignedOut(_) => None,
        })
    }

    /// Tracked: the signed-in user's id, which changes only on sign-in/out.
    pub fn user_id(&self) -> Option<Uuid> {
        self.session.with(|s| match s {
            Session::SignedIn(api) => Some(api.user().id),
            Session::SignedOut(_) => None,
        })
    }

    pub fn user_untracked(&self) -> Option<User> {
        self.authorized_untracked().map(|api| api.user().clone())
    }

    pub fn unauthorized(&self) -> UnauthorizedApi {
        self.session.with_untracked(|s| match s {
            Session::SignedIn(api) => api.unauthorized(),
            Session::SignedOut(api) => api.clone(),
        })
    }

    pub fn sign_in(&self, api: AuthorizedApi) {
        self.session.set(Session::SignedIn(api));
    }

    pub fn sign_out(&self) {
        let api = self.unauthorized();
        self.session.set(Session::SignedOut(api));
    }

    pub fn config(&self) -> Config {
        self.config.get_value()
    }

    /// `<origin><base>/join/<token>`: the link an invitee opens.
    pub fn join_link(&self, token: &str) -> String {
        format!(
            "{}{}/join/{}",
            crate::config::page_origin(),
            self.base_path.get_value(),
            token
        )
    }
}

pub fn provide_session_context(config: Config, initial: Session, base_path: String) {
    provide_context(SessionContext {
        session: RwSignal::new(initial),
        config: StoredValue::new(config),
        base_path: StoredValue::new(base_path),
    });
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}
