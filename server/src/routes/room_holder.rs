//! With several nodes: REST requests about a meeting are served by the node holding
//! its live room (who is present, the recording slot, host-only actions read it), so
//! a request that reached another node is passed there over HTTP, as it came (the
//! same cookie and origin: the holder authenticates and authorises it again), and the
//! answer is passed back. Paths: `/api/meetings/{id}…` and a recording's `finish`.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tandem_protocol::meetings::MeetingId;
use tandem_protocol::ErrorCode;
use uuid::Uuid;

use crate::db::{cluster, recordings};
use crate::error::AppError;
use crate::realtime::cluster::owners::Resource;
use crate::realtime::cluster::timeout_ms;
use crate::state::AppState;

/// Marks a request one node passed to another: the receiver serves it whatever it
/// believes about the room, so a request never travels in a circle.
const PASSED: HeaderName = HeaderName::from_static("x-tandem-passed");
/// Bodies of these requests are small JSON; they are read whole to pass them on.
const MAX_BODY: usize = 1024 * 1024;
/// Headers that belong to one hop, not to the request.
const HOP: [HeaderName; 4] = [
    header::HOST,
    header::CONNECTION,
    header::TRANSFER_ENCODING,
    header::CONTENT_LENGTH,
];

pub async fn pass_to_holder(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(cluster) = &state.cluster else {
        return next.run(request).await;
    };
    if request.headers().contains_key(&PASSED) {
        return next.run(request).await;
    }
    let Some(meeting_id) = meeting_of(&state, request.uri().path()).await else {
        return next.run(request).await;
    };
    let me = cluster.node();
    let holder = match cluster
        .owners
        .owner(&state.db, me, Resource::Meeting(meeting_id))
        .await
    {
        Ok(holder) if holder != me => holder,
        _ => return next.run(request).await,
    };
    match cluster::url_of(&state.db, holder, timeout_ms()).await {
        Ok(Some(url)) => pass(&url, request)
            .await
            .unwrap_or_else(IntoResponse::into_response),
        // Gone meanwhile: the next request claims the room here.
        _ => next.run(request).await,
    }
}

/// The meeting a path is about, if it is one of those its room serves.
async fn meeting_of(state: &AppState, path: &str) -> Option<MeetingId> {
    let mut parts = path.strip_prefix("/api/")?.split('/');
    match (
        parts.next()?,
        parts.next()?.parse::<Uuid>().ok()?,
        parts.next(),
    ) {
        ("meetings", id, _) => Some(id),
        ("recordings", id, Some("finish")) => {
            recordings::find(&state.db, id).await.ok()??.meeting().ok()
        }
        _ => None,
    }
}

async fn pass(base: &str, request: Request) -> Result<Response, AppError> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY)
        .await
        .map_err(|_| AppError::new(ErrorCode::PayloadTooLarge, "This request is too large."))?;
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut headers = parts.headers;
    for name in HOP {
        headers.remove(name);
    }
    headers.insert(PASSED, header::HeaderValue::from_static("1"));
    let answer = client()
        .request(parts.method, format!("{base}{path}"))
        .headers(headers)
        .body(body)
        .send()
        .await
        .map_err(|err| unreachable_holder(&err))?;
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers().iter().filter(|(n, _)| !HOP.contains(n)) {
        response = response.header(name, value);
    }
    let bytes = answer
        .bytes()
        .await
        .map_err(|err| unreachable_holder(&err))?;
    response
        .body(Body::from(bytes))
        .map_err(|err| AppError::Internal(err.into()))
}

fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default()
    })
}

fn unreachable_holder(err: &reqwest::Error) -> AppError {
    tracing::warn!(error = %err, "could not reach the node holding a meeting");
    AppError::new(
        ErrorCode::Internal,
        "The server node holding this meeting did not answer; try again.",
    )
}
