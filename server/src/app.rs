//! The router: API routes (which also produce the OpenAPI document), the JSON 404 for
//! unknown `/api` paths, the app's static files, and the layers around everything.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Method, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{middleware, Extension, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Config;
use crate::error::AppError;
use crate::guards::app_headers::AppHeaders;
use crate::guards::origin::{self, AllowedOrigins};
use crate::openapi::{self, ApiDoc, OpenApiJson};
use crate::routes::{
    auth, boards, channels, decisions, direct, escalation, guests, health, health_report, inbox,
    invites, meetings, messages, notes, planned_meetings, presence, recordings, rtc, search,
    send_later, uploads, users, working_hours, workspace, ws,
};
use crate::state::AppState;

/// The API routes and the OpenAPI document describing exactly them.
pub fn api_routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(openapi::openapi_json))
        .routes(routes!(auth::signup_policy))
        .routes(routes!(auth::signup))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::list_sessions))
        .routes(routes!(auth::delete_session))
        .routes(routes!(users::list))
        .routes(routes!(users::update_me))
        .routes(routes!(users::deactivate))
        .routes(routes!(presence::list))
        .routes(routes!(channels::mine, channels::create))
        .routes(routes!(channels::browse))
        .routes(routes!(channels::get, channels::update))
        .routes(routes!(channels::join))
        .routes(routes!(channels::leave))
        .routes(routes!(channels::members, channels::add_members))
        .routes(routes!(direct::open))
        .routes(routes!(messages::page))
        .routes(routes!(messages::pins))
        .routes(routes!(messages::thread))
        .routes(routes!(search::search))
        .routes(routes!(uploads::download))
        .routes(routes!(send_later::list, send_later::create))
        .routes(routes!(send_later::update, send_later::delete))
        .routes(routes!(workspace::get, workspace::update))
        .routes(routes!(invites::list, invites::create))
        .routes(routes!(invites::revoke))
        .routes(routes!(meetings::start))
        .routes(routes!(meetings::call))
        .routes(routes!(meetings::get))
        .routes(routes!(meetings::active))
        .routes(routes!(guests::list, guests::create))
        .routes(routes!(guests::revoke))
        .routes(routes!(guests::preview, guests::join))
        .routes(routes!(recordings::start))
        .routes(routes!(recordings::upload_state))
        .routes(routes!(recordings::finish))
        .routes(routes!(recordings::list))
        .routes(routes!(
            recordings::get,
            recordings::update,
            recordings::delete
        ))
        .routes(routes!(recordings::media))
        .routes(routes!(recordings::thumbnail))
        .routes(routes!(recordings::timeline))
        .routes(routes!(boards::list, boards::create))
        .routes(routes!(boards::get, boards::update, boards::delete))
        .routes(routes!(boards::meeting_board))
        .routes(routes!(boards::history::state_at))
        .routes(routes!(boards::history::ops))
        .routes(routes!(boards::links::list, boards::links::create))
        .routes(routes!(boards::links::revoke))
        .routes(routes!(boards::links::resolve))
        .routes(routes!(inbox::inbox))
        .routes(routes!(working_hours::get_mine, working_hours::put_mine))
        .routes(routes!(working_hours::get_user))
        .routes(routes!(working_hours::availability_list))
        .routes(routes!(escalation::escalate))
        .routes(routes!(notes::get_summary))
        .routes(routes!(notes::put_note))
        .routes(routes!(notes::update_action_item))
        .routes(routes!(planned_meetings::list, planned_meetings::create))
        .routes(routes!(planned_meetings::delete))
        .routes(routes!(planned_meetings::join))
        .routes(routes!(planned_meetings::day))
        .routes(routes!(decisions::create))
        .routes(routes!(decisions::vote))
        .routes(routes!(decisions::decide))
        .routes(routes!(decisions::escalate))
        .routes(routes!(decisions::channel_log))
        .routes(routes!(decisions::search))
        .routes(routes!(health_report::report))
        .merge(test_routes())
        .routes(routes!(rtc::ice_servers))
        .routes(routes!(ws::upgrade))
        .routes(routes!(ws::position))
        // Uploads stream their body to disk under their own (larger) limit, enforced
        // while streaming; the 1 MiB JSON limit below must not apply to them.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(uploads::upload))
                // Recording chunks and thumbnails enforce their own limits.
                .routes(routes!(recordings::put_chunk))
                .routes(routes!(recordings::put_thumbnail))
                .layer(DefaultBodyLimit::disable()),
        )
        .split_for_parts()
}

/// `POST /api/test/clock` exists only in builds with the `test-clock` feature.
fn test_routes() -> OpenApiRouter<AppState> {
    #[cfg(feature = "test-clock")]
    return OpenApiRouter::new().routes(routes!(crate::routes::test_clock::advance));
    #[cfg(not(feature = "test-clock"))]
    OpenApiRouter::new()
}

pub fn router(state: AppState) -> anyhow::Result<Router> {
    let config = &state.config;
    let (api, doc) = api_routes();
    let doc = OpenApiJson(Arc::new(doc.to_pretty_json()?));
    let api = api
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .layer(Extension(doc))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        // Several nodes: a meeting's requests go to the node holding its room.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::routes::room_holder::pass_to_holder,
        ))
        // The API only, so added before the app's files: they are compressed once at build
        // and sent as they are (`static_files`).
        .layer(CompressionLayer::new().compress_when(DefaultPredicate::new().and(compressible)));
    let allowed = AllowedOrigins::new(&config.allowed_origins);
    let app = match &config.static_dir {
        Some(dir) => {
            let headers = AppHeaders::for_static_dir(dir, &allowed, &config.janus_ws);
            api.fallback_service(crate::static_files::router(dir, headers))
        }
        None => api.fallback(api_not_found),
    };
    Ok(app
        .method_not_allowed_fallback(method_not_allowed)
        .layer(CatchPanicLayer::custom(panic_response))
        // Inside CORS, so a preflight is still answered; before routing, body limits
        // and authentication, so a cross-site write does nothing at all.
        .layer(middleware::from_fn_with_state(allowed, origin::guard))
        .layer(cors(config))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state))
}

/// Content types never compressed on the fly (besides the default's images, gRPC and
/// event streams): media, archives and other already-compressed bytes would gain a few
/// percent and lose `Content-Length` and `Accept-Ranges` (issue 11).
const PRECOMPRESSED: [&str; 10] = [
    "video/",
    "audio/",
    "font/woff",
    "application/zip",
    "application/gzip",
    "application/zstd",
    "application/x-7z-compressed",
    "application/x-bzip2",
    "application/pdf",
    "application/octet-stream",
];

fn compressible(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_start()
        .to_ascii_lowercase();
    !PRECOMPRESSED.iter().any(|p| kind.starts_with(p))
}

async fn api_not_found() -> AppError {
    AppError::not_found("There is nothing at this address.")
}

/// A bug, not input, can panic a handler; the client still gets an `ApiError`.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// Every error is an `ApiError` whose code fixes the status; there is no code for
/// 405, so a known path with the wrong method is "nothing here" for that method.
async fn method_not_allowed(method: Method) -> AppError {
    AppError::not_found(format!("This address does not accept {method} requests."))
}

/// Credentialed CORS for the configured origins only; none configured means
/// same-origin only (no CORS headers are ever sent).
fn cors(config: &Config) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .allowed_origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            header::HeaderName::from_static(tandem_protocol::recordings::CHUNK_CHECKSUM_HEADER),
        ])
        .max_age(Duration::from_secs(60 * 60))
}
