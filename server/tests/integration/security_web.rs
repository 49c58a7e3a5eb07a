//! Browser-facing guards (issue 10, findings 6–8): cross-site writes are refused, the
//! app is served with a strict CSP and frame/sniffing/referrer headers, and removing
//! someone from a meeting bars them (and a guest's link) until a host readmits them.

use crate::common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tandem_protocol::meetings::{
    CreatedGuestInvite, HostAction, MediaState, MeetingNotice, MeetingRequest, RemovedPerson,
};
use tandem_protocol::ErrorCode;

const FOREIGN: &str = "https://evil.example";

/// Sends `method path` with the given extra headers and an optional JSON body.
async fn send(
    client: &Client,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> reqwest::Response {
    let mut request = client.http.request(method, client.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn assert_cross_site(response: reqwest::Response, what: &str) {
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "{what}");
    assert_eq!(
        error_body(response).await.code,
        ErrorCode::CrossSiteRequest,
        "{what}"
    );
}

#[tokio::test]
async fn writes_from_a_foreign_origin_are_refused() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let origin = [("origin", FOREIGN)];

    // A body-less POST: logging the victim out from another site.
    let r = send(&admin, Method::POST, "/api/auth/logout", &origin, None).await;
    assert_cross_site(r, "body-less logout").await;
    // An upload shaped like a cross-site form post (no CORS preflight needed).
    let upload = admin
        .http
        .post(admin.url("/api/uploads?name=x.txt"))
        .header("origin", FOREIGN)
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x\r\n\r\nhello\r\n--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_cross_site(upload, "multipart upload").await;
    let r = send(
        &admin,
        Method::PATCH,
        "/api/users/me",
        &origin,
        Some(json!({"display_name": "Pwned"})),
    )
    .await;
    assert_cross_site(r, "JSON PATCH").await;
    let r = send(
        &admin,
        Method::POST,
        "/api/invites",
        &origin,
        Some(json!({"expires_in_hours": 1})),
    )
    .await;
    assert_cross_site(r, "JSON POST").await;
    let r = send(
        &admin,
        Method::DELETE,
        "/api/auth/sessions/x",
        &origin,
        None,
    )
    .await;
    assert_cross_site(r, "DELETE").await;
    // An opaque origin (sandboxed frame, data: URL) is not this app either.
    let r = send(
        &admin,
        Method::POST,
        "/api/auth/logout",
        &[("origin", "null")],
        None,
    )
    .await;
    assert_cross_site(r, "null origin").await;

    // Nothing happened: still signed in, same name, no file stored.
    let me = admin.get("/api/auth/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["display_name"], "Ada Admin");
    assert!(!ts.dir.path().join("files").exists());

    // Reads are not refused (a foreign page cannot read them without CORS anyway).
    let r = send(&admin, Method::GET, "/api/auth/me", &origin, None).await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn sec_fetch_site_decides_when_origin_is_missing() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    for site in ["cross-site", "same-site"] {
        let r = send(
            &admin,
            Method::POST,
            "/api/auth/logout",
            &[("sec-fetch-site", site)],
            None,
        )
        .await;
        assert_cross_site(r, site).await;
    }
    assert_eq!(admin.get("/api/auth/me").await.status(), StatusCode::OK);
    let r = send(
        &admin,
        Method::POST,
        "/api/invites",
        &[("sec-fetch-site", "same-origin")],
        Some(json!({"expires_in_hours": 1})),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn same_origin_allowed_origins_and_non_browsers_may_write() {
    let ts = spawn_with(|config| {
        config.allowed_origins = vec!["https://app.example.com/".into()];
    })
    .await;
    let (admin, _) = ts.admin().await;
    let own = ts.server.url();
    for headers in [
        vec![("origin", own.as_str())],
        vec![("origin", "https://app.example.com")],
        vec![("origin", own.as_str()), ("sec-fetch-site", "same-origin")],
        // curl and servers send neither header.
        vec![],
    ] {
        let r = send(
            &admin,
            Method::POST,
            "/api/invites",
            &headers,
            Some(json!({"expires_in_hours": 1})),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED, "{headers:?}");
    }
    // A CORS preflight from the allowed origin is still answered.
    let preflight = send(
        &admin,
        Method::OPTIONS,
        "/api/invites",
        &[
            ("origin", "https://app.example.com"),
            ("access-control-request-method", "POST"),
        ],
        None,
    )
    .await;
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    // The same-origin log-out works (last: it ends the session).
    let r = send(
        &admin,
        Method::POST,
        "/api/auth/logout",
        &[("origin", own.as_str())],
        None,
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
}

#[tokio::test]
async fn the_app_is_served_with_a_strict_csp_and_frame_protection() {
    let app = tempfile::tempdir().unwrap();
    std::fs::write(
        app.path().join("index.html"),
        "<!doctype html><title>t</title>",
    )
    .unwrap();
    std::fs::write(app.path().join("app.js"), "export {};").unwrap();
    std::fs::write(
        app.path().join("config.json"),
        r#"{ "api_base": "https://api.example.com", "ws_url": null }"#,
    )
    .unwrap();
    let dir = app.path().to_path_buf();
    let ts = spawn_with(|config| config.static_dir = Some(dir)).await;
    let client = ts.client();
    for path in ["/", "/some/spa/path", "/app.js", "/config.json"] {
        let r = client.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval';",
            "style-src 'self';",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "img-src 'self' data: blob: https://api.example.com;",
            "media-src 'self' blob: https://api.example.com;",
            "connect-src 'self' https://api.example.com wss://api.example.com;",
        ] {
            assert!(
                csp.contains(directive),
                "{path}: {directive} missing in {csp}"
            );
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
    // The SPA fallback is still index.html, still never cached.
    let r = client.get("/some/spa/path").await;
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert!(r.text().await.unwrap().contains("<title>t</title>"));
}

// ---- finding 8: removal is a ban until readmitted ----

async fn guest_link(host: &Client, meeting_id: uuid::Uuid) -> CreatedGuestInvite {
    let r = host
        .post(
            &format!("/api/meetings/{meeting_id}/guest-invites"),
            &json!({"expires_in_minutes": 60}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn guest_join(ts: &TestServer, token: &str, name: &str) -> (Client, reqwest::Response) {
    let guest = ts.client();
    let r = guest
        .post(
            &format!("/api/guest/{token}"),
            &json!({"display_name": name}),
        )
        .await;
    (guest, r)
}

async fn host_action(ws: &mut Ws, meeting_id: uuid::Uuid, action: HostAction) {
    ws.meeting(MeetingRequest::Host { meeting_id, action })
        .await;
}

async fn try_join(ws: &mut Ws, meeting_id: uuid::Uuid) -> MeetingNotice {
    ws.meeting(MeetingRequest::Join {
        meeting_id,
        media: MediaState::default(),
    })
    .await;
    ws.notice().await
}

/// The next `removed_people` list a host is sent, skipping other notices.
async fn removed_people(ws: &mut Ws) -> Vec<RemovedPerson> {
    loop {
        if let MeetingNotice::RemovedPeople { people, .. } = ws.notice().await {
            return people;
        }
    }
}

fn assert_barred(notice: MeetingNotice) {
    match notice {
        MeetingNotice::Refused { code, message, .. } => {
            assert_eq!(code, ErrorCode::Forbidden);
            assert!(message.contains("removed you"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_removed_guest_cannot_rejoin_until_readmitted() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("sales", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let link = guest_link(&admin, meeting.id).await;
    let mut host = admin.live_ws().await;
    host.join(meeting.id).await;

    let (guest, r) = guest_join(&ts, &link.token, "Mallory").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mut guest_ws = guest.live_ws().await;
    let (guest_pid, _) = guest_ws.join(meeting.id).await;

    host_action(
        &mut host,
        meeting.id,
        HostAction::Remove {
            participant_id: guest_pid,
        },
    )
    .await;
    assert_eq!(
        guest_ws.notice().await,
        MeetingNotice::Removed {
            meeting_id: meeting.id
        }
    );
    // The host sees who is barred.
    let people = removed_people(&mut host).await;
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].display_name, "Mallory");
    assert!(people[0].guest);

    // The guest is signed out (a guest account exists only for this meeting): its
    // socket closes and the old cookie no longer works.
    assert_eq!(
        guest_ws.close_code_after_frames().await,
        Some(tandem_protocol::ws::CLOSE_SESSION_ENDED)
    );
    assert_eq!(
        guest.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // A fresh guest from the same link (its holder coming back) is refused, clearly.
    let (_, again) = guest_join(&ts, &link.token, "Mallory 2").await;
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    let body = error_body(again).await;
    assert_eq!(body.code, ErrorCode::Forbidden);
    assert!(body.message.contains("removed you"), "{}", body.message);
    // Another link of the same meeting still works for other guests.
    let other_link = guest_link(&admin, meeting.id).await;
    let (_, other) = guest_join(&ts, &other_link.token, "Olivia").await;
    assert_eq!(other.status(), StatusCode::CREATED);

    // Readmitting lets the link's holder back in.
    host_action(
        &mut host,
        meeting.id,
        HostAction::Readmit {
            removal_id: people[0].id,
        },
    )
    .await;
    assert!(removed_people(&mut host).await.is_empty());
    let (guest, again) = guest_join(&ts, &link.token, "Mallory").await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let mut guest_ws = guest.live_ws().await;
    match try_join(&mut guest_ws, meeting.id).await {
        MeetingNotice::Joined { .. } => {}
        other => panic!("expected joined, got {other:?}"),
    }
}

#[tokio::test]
async fn a_removed_member_leaves_with_every_tab_and_only_a_host_can_readmit() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let (carol, carol_user) = ts.member(&admin, "Carol", "carol@example.com").await;
    let channel = admin
        .create_channel("ops", "public", &[bob_user.id, carol_user.id])
        .await;
    // Bob starts it, so Bob hosts; Carol is an ordinary participant.
    let meeting = bob.start_meeting(channel.id).await;
    let mut host = bob.live_ws().await;
    host.join(meeting.id).await;
    let mut tab1 = carol.live_ws().await;
    let mut tab2 = carol.live_ws().await;
    let (pid1, _) = tab1.join(meeting.id).await;
    tab2.join(meeting.id).await;

    host_action(
        &mut host,
        meeting.id,
        HostAction::Remove {
            participant_id: pid1,
        },
    )
    .await;
    for tab in [&mut tab1, &mut tab2] {
        loop {
            match tab.notice().await {
                MeetingNotice::Removed { .. } => break,
                MeetingNotice::ParticipantLeft { .. } | MeetingNotice::ParticipantJoined { .. } => {
                }
                other => panic!("{other:?}"),
            }
        }
    }
    let people = removed_people(&mut host).await;
    assert_eq!(people.len(), 1);
    assert!(!people[0].guest);
    assert_eq!(people[0].display_name, "Carol");

    // A new tab (a reconnect) is refused too, and cannot readmit itself.
    let mut tab3 = carol.live_ws().await;
    assert_barred(try_join(&mut tab3, meeting.id).await);
    host_action(
        &mut tab3,
        meeting.id,
        HostAction::Readmit {
            removal_id: people[0].id,
        },
    )
    .await;
    match tab3.notice().await {
        MeetingNotice::Refused { code, .. } => assert_eq!(code, ErrorCode::Forbidden),
        other => panic!("{other:?}"),
    }
    assert_barred(try_join(&mut tab3, meeting.id).await);

    host_action(
        &mut host,
        meeting.id,
        HostAction::Readmit {
            removal_id: people[0].id,
        },
    )
    .await;
    assert!(removed_people(&mut host).await.is_empty());
    match try_join(&mut tab3, meeting.id).await {
        MeetingNotice::Joined { .. } => {}
        other => panic!("expected joined, got {other:?}"),
    }
}
