//! The OpenAPI document, generated from the routes themselves (see `app::router`), so
//! every endpoint is listed by construction.

use std::sync::Arc;

use axum::http::header;
use axum::response::IntoResponse;
use axum::Extension;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tandem API",
        description = "REST API of the Tandem server. Errors are always `ApiError` bodies. \
                       Authentication is the `tandem_session` cookie set by sign-up and log-in."
    ),
    components(schemas(tandem_protocol::ApiError, tandem_protocol::ErrorCode)),
    modifiers(&SessionCookie),
    tags(
        (name = "meta", description = "Health and this document"),
        (name = "auth", description = "Accounts and sessions"),
        (name = "users", description = "Workspace members, profiles and presence"),
        (name = "channels", description = "Channels and direct messages"),
        (
            name = "messages",
            description = "History, threads, pins, search, files and scheduled messages"
        ),
        (name = "workspace", description = "Workspace settings"),
        (name = "invites", description = "Invite links"),
        (name = "meetings", description = "Meetings, calls and guest links"),
        (name = "recordings", description = "Meeting recordings: upload, library, playback"),
        (name = "boards", description = "Whiteboards: boards, their history and read-only links"),
        (
            name = "bridge",
            description = "Urgency and response targets: the inbox, escalating a thread to a call, \
                           action items"
        ),
        (name = "scheduling", description = "Scheduled meetings and the planner's day view"),
        (name = "decisions", description = "Proposals, votes and the decision logs"),
        (name = "health", description = "The communication-health report"),
        (name = "rtc", description = "WebRTC configuration"),
        (name = "realtime", description = "The realtime WebSocket"),
    )
)]
pub struct ApiDoc;

/// Declares the session cookie as the API's security scheme.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::session::COOKIE_NAME,
            ))),
        );
    }
}

/// The rendered document, shared with the handler.
#[derive(Clone)]
pub struct OpenApiJson(pub Arc<String>);

/// This OpenAPI document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3 document",
               content_type = "application/json")))]
pub async fn openapi_json(Extension(doc): Extension<OpenApiJson>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.0.as_str().to_owned(),
    )
}
