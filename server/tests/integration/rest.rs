//! REST API tests against a real server over real HTTP.

use crate::common;

use std::collections::BTreeSet;

use common::{error_body, spawn, spawn_with, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tandem_protocol::api::{
    HealthResponse, Role, SessionInfo, SignupPolicy, User, WorkspaceSettings,
};
use tandem_protocol::{ErrorCode, PROTOCOL_VERSION};

#[tokio::test]
async fn health_reports_version() {
    let ts = spawn().await;
    let response = ts.client().get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: HealthResponse = response.json().await.unwrap();
    assert_eq!(
        health,
        HealthResponse {
            status: "ok".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            protocol_version: PROTOCOL_VERSION
        }
    );
}

#[tokio::test]
async fn openapi_lists_every_rest_endpoint() {
    let ts = spawn().await;
    let doc: Value = ts
        .client()
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut listed = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            listed.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let expected: BTreeSet<String> = [
        "GET /api/health",
        "GET /api/openapi.json",
        "GET /api/auth/signup-policy",
        "POST /api/auth/signup",
        "POST /api/auth/login",
        "POST /api/auth/logout",
        "GET /api/auth/me",
        "GET /api/auth/sessions",
        "DELETE /api/auth/sessions/{id}",
        "GET /api/users",
        "PATCH /api/users/me",
        "DELETE /api/users/{id}",
        "GET /api/presence",
        "GET /api/channels",
        "POST /api/channels",
        "GET /api/channels/browse",
        "GET /api/channels/{id}",
        "PATCH /api/channels/{id}",
        "POST /api/channels/{id}/join",
        "POST /api/channels/{id}/leave",
        "GET /api/channels/{id}/members",
        "POST /api/channels/{id}/members",
        "POST /api/direct",
        "GET /api/channels/{id}/messages",
        "GET /api/channels/{id}/pins",
        "GET /api/messages/{id}/thread",
        "GET /api/search",
        "POST /api/uploads",
        "GET /api/files/{id}/{name}",
        "GET /api/scheduled",
        "POST /api/scheduled",
        "PATCH /api/scheduled/{id}",
        "DELETE /api/scheduled/{id}",
        "GET /api/workspace/settings",
        "PATCH /api/workspace/settings",
        "GET /api/invites",
        "POST /api/invites",
        "DELETE /api/invites/{id}",
        "POST /api/channels/{id}/meetings",
        "POST /api/channels/{id}/call",
        "GET /api/meetings/{id}",
        "GET /api/channels/{id}/meetings/active",
        "GET /api/meetings/{id}/guest-invites",
        "POST /api/meetings/{id}/guest-invites",
        "DELETE /api/guest-invites/{id}",
        "GET /api/guest/{token}",
        "POST /api/guest/{token}",
        "POST /api/meetings/{id}/recordings",
        "PUT /api/recordings/{id}/chunks/{index}",
        "GET /api/recordings/{id}/upload",
        "POST /api/recordings/{id}/finish",
        "GET /api/recordings",
        "GET /api/recordings/{id}",
        "PATCH /api/recordings/{id}",
        "DELETE /api/recordings/{id}",
        "GET /api/recordings/{id}/media",
        "POST /api/recordings/{id}/thumbnail",
        "GET /api/recordings/{id}/thumbnail",
        "GET /api/recordings/{id}/timeline",
        "GET /api/channels/{id}/boards",
        "POST /api/channels/{id}/boards",
        "GET /api/boards/{id}",
        "PATCH /api/boards/{id}",
        "DELETE /api/boards/{id}",
        "POST /api/meetings/{id}/board",
        "GET /api/boards/{id}/state",
        "GET /api/boards/{id}/ops",
        "GET /api/boards/{id}/links",
        "POST /api/boards/{id}/links",
        "DELETE /api/boards/{id}/links/{link_id}",
        "GET /api/board-links/{token}",
        "GET /api/inbox",
        "GET /api/users/me/schedule",
        "PUT /api/users/me/schedule",
        "GET /api/users/{id}/schedule",
        "GET /api/availability",
        "POST /api/messages/{id}/escalate",
        "GET /api/meetings/{id}/summary",
        "PUT /api/meetings/{id}/note",
        "PATCH /api/action-items/{id}",
        "GET /api/scheduled-meetings",
        "POST /api/scheduled-meetings",
        "DELETE /api/scheduled-meetings/{id}",
        "POST /api/scheduled-meetings/{id}/join",
        "GET /api/schedule/day",
        "POST /api/messages/{id}/proposal",
        "PUT /api/proposals/{id}/vote",
        "POST /api/proposals/{id}/decide",
        "POST /api/proposals/{id}/escalate",
        "GET /api/channels/{id}/decisions",
        "GET /api/decisions",
        "GET /api/health-report",
        "GET /api/rtc/ice-servers",
        "GET /api/ws",
        "GET /api/realtime/position",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let mut expected = expected;
    // Only in builds for the browser suite.
    if cfg!(feature = "test-clock") {
        expected.insert("POST /api/test/clock".to_string());
    }
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn first_signup_is_admin_and_later_ones_need_an_invite() {
    let ts = spawn().await;
    let anon = ts.client();
    let policy: SignupPolicy = anon
        .get("/api/auth/signup-policy")
        .await
        .json()
        .await
        .unwrap();
    assert!(policy.first_account);
    assert!(!policy.open_signup);

    let (admin, admin_user) = ts.admin().await;
    assert_eq!(admin_user.role, Role::Admin);
    assert_eq!(admin_user.email, "ada@example.com");
    let policy: SignupPolicy = anon
        .get("/api/auth/signup-policy")
        .await
        .json()
        .await
        .unwrap();
    assert!(!policy.first_account);

    let response = ts.client().signup("Bo", "bo@example.com", None).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(response).await.code, ErrorCode::Forbidden);

    let response = ts
        .client()
        .signup("Bo", "bo@example.com", Some("not-a-real-token"))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let invite = admin.create_invite(24).await;
    assert!(!invite.invite.revoked);
    assert_eq!(invite.invite.created_by, admin_user.id);
    assert_eq!(
        invite.invite.expires_at - invite.invite.created_at,
        24 * 3600 * 1000
    );
    let bo = ts
        .client()
        .signup_ok("Bo", "bo@example.com", Some(&invite.token))
        .await;
    assert_eq!(bo.role, Role::Member);
    assert_eq!(bo.display_name, "Bo");

    let users: Vec<User> = admin.get("/api/users").await.json().await.unwrap();
    assert_eq!(
        users.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![admin_user.id, bo.id]
    );
}

#[tokio::test]
async fn revoked_and_expired_invites_are_refused() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;

    let revoked = admin.create_invite(24).await;
    let response = admin
        .delete(&format!("/api/invites/{}", revoked.invite.id))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = ts
        .client()
        .signup("Cy", "cy@example.com", Some(&revoked.token))
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
    assert_eq!(error_body(response).await.code, ErrorCode::Gone);

    let expired = admin.create_invite(1).await;
    sqlx::query("UPDATE invites SET expires_at = $1 WHERE id = $2")
        .bind(expired.invite.created_at - 1)
        .bind(expired.invite.id.to_string())
        .execute(&ts.db().await)
        .await
        .unwrap();
    let response = ts
        .client()
        .signup("Cy", "cy@example.com", Some(&expired.token))
        .await;
    assert_eq!(response.status(), StatusCode::GONE);

    let listed: Vec<tandem_protocol::api::Invite> =
        admin.get("/api/invites").await.json().await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed
        .iter()
        .any(|i| i.id == revoked.invite.id && i.revoked));
    assert!(listed
        .iter()
        .any(|i| i.id == expired.invite.id && !i.revoked));

    let response = admin
        .delete(&format!("/api/invites/{}", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn open_signup_setting_admits_without_invite() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let response = admin
        .patch("/api/workspace/settings", &json!({"open_signup": true}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let settings: WorkspaceSettings = response.json().await.unwrap();
    assert_eq!(
        settings,
        WorkspaceSettings {
            name: "Tandem".into(),
            open_signup: true,
            recording_retention_days: None,
            sla: Default::default(),
        }
    );
    let policy: SignupPolicy = ts
        .client()
        .get("/api/auth/signup-policy")
        .await
        .json()
        .await
        .unwrap();
    assert!(policy.open_signup);

    let user = ts.client().signup_ok("Di", "di@example.com", None).await;
    assert_eq!(user.role, Role::Member);
}

#[tokio::test]
async fn duplicate_email_is_a_conflict_regardless_of_case() {
    let ts = spawn().await;
    let client = ts.client();
    client.signup_ok("Ana", "Ana@Example.com", None).await;
    let invite = client.create_invite(24).await;
    let response = ts
        .client()
        .signup("Other Ana", "  ana@EXAMPLE.com ", Some(&invite.token))
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let err = error_body(response).await;
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(err.field.as_deref(), Some("email"));
}

#[tokio::test]
async fn invalid_signup_is_422_naming_the_field() {
    let ts = spawn().await;
    let response = ts.client().signup("Ana", "not-an-email", None).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err = error_body(response).await;
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(err.field.as_deref(), Some("email"));

    let response = ts
        .client()
        .post(
            "/api/auth/signup",
            &json!({"display_name": "Ana", "email": "a@b.co", "password": "short"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body(response).await.field.as_deref(),
        Some("password")
    );
}

#[tokio::test]
async fn login_works_and_wrong_credentials_are_401_with_one_message() {
    let ts = spawn().await;
    let (_, admin) = ts.admin().await;

    let client = ts.client();
    let response = client.login("ada@example.com", "wrong password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let wrong_password = error_body(response).await;
    assert_eq!(wrong_password.code, ErrorCode::Unauthenticated);
    assert_eq!(wrong_password.message, "Email or password is incorrect.");

    let response = client.login("nobody@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(response).await, wrong_password);

    let response = client.login(" ADA@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: User = response.json().await.unwrap();
    assert_eq!(user.id, admin.id);
    let me: User = client.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me.id, admin.id);
}

#[tokio::test]
async fn repeated_bad_logins_are_rate_limited() {
    let ts = spawn().await;
    ts.admin().await;
    let client = ts.client();
    for attempt in 0..5 {
        let response = client.login("ada@example.com", "wrong password").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let response = client.login("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=12).contains(&retry_after), "retry-after {retry_after}");
    assert_eq!(error_body(response).await.code, ErrorCode::RateLimited);
}

#[tokio::test]
async fn per_ip_limit_applies_across_accounts() {
    let ts = spawn_with(|c| {
        c.login_ip_burst = 3;
        c.login_ip_period_secs = 60;
    })
    .await;
    let client = ts.client();
    for i in 0..3 {
        let response = client
            .login(&format!("user{i}@example.com"), "whatever1")
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = client.login("user9@example.com", "whatever1").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn me_requires_a_session() {
    let ts = spawn().await;
    let response = ts.client().get("/api/auth/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(response).await.code, ErrorCode::Unauthenticated);

    let (admin, user) = ts.admin().await;
    let response = admin.get("/api/auth/me").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<User>().await.unwrap(), user);
}

#[tokio::test]
async fn session_cookie_has_the_right_attributes() {
    let ts = spawn().await;
    let response = ts.client().signup("Ana", "ana@example.com", None).await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    let (name_value, attributes) = cookie.split_once(';').unwrap();
    let (name, value) = name_value.split_once('=').unwrap();
    assert_eq!(name, "tandem_session");
    assert_eq!(value.len(), 64);
    assert_eq!(
        attributes.trim(),
        "HttpOnly; SameSite=Lax; Path=/; Max-Age=2592000"
    );

    let response = ts
        .client()
        .http
        .post(ts.url("/api/auth/login"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"email": "ana@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .ends_with("; Secure"));
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let cookie = admin.cookie().unwrap();

    let response = admin.post("/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        admin.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Replaying the old cookie does not work either: the session is revoked server-side.
    let replay = ts
        .client()
        .http
        .get(ts.url("/api/auth/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_can_be_listed_and_revoked_only_by_their_owner() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let second = ts.client();
    assert_eq!(
        second.login("ada@example.com", PASSWORD).await.status(),
        StatusCode::OK
    );
    let (member, _) = ts.member(&admin, "Bo", "bo@example.com").await;

    let sessions: Vec<SessionInfo> = admin.get("/api/auth/sessions").await.json().await.unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);
    let other = sessions.iter().find(|s| !s.current).unwrap();

    let response = member
        .delete(&format!("/api/auth/sessions/{}", other.id))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(second.get("/api/auth/me").await.status(), StatusCode::OK);

    let response = admin
        .delete(&format!("/api/auth/sessions/{}", other.id))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        second.get("/api/auth/me").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(admin.get("/api/auth/me").await.status(), StatusCode::OK);
    let response = admin.delete("/api/auth/sessions/not-a-uuid").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_body(response).await.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn members_cannot_change_settings_or_manage_invites() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (member, _) = ts.member(&admin, "Bo", "bo@example.com").await;

    let response = member
        .patch("/api/workspace/settings", &json!({"name": "Mine"}))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(response).await.code, ErrorCode::Forbidden);
    assert_eq!(
        member.get("/api/invites").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        member
            .post("/api/invites", &json!({"expires_in_hours": 1}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let settings: WorkspaceSettings = member
        .get("/api/workspace/settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings.name, "Tandem");

    let response = admin
        .patch("/api/workspace/settings", &json!({"name": "  Acme  "}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let settings: WorkspaceSettings = member
        .get("/api/workspace/settings")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        settings,
        WorkspaceSettings {
            name: "Acme".into(),
            open_signup: false,
            recording_retention_days: None,
            sla: Default::default(),
        }
    );

    let response = admin
        .patch("/api/workspace/settings", &json!({"name": ""}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = admin
        .post("/api/invites", &json!({"expires_in_hours": 0}))
        .await;
    assert_eq!(
        error_body(response).await.field.as_deref(),
        Some("expires_in_hours")
    );
}

#[tokio::test]
async fn anonymous_requests_to_member_endpoints_are_401() {
    let ts = spawn().await;
    let anon = ts.client();
    for path in [
        "/api/users",
        "/api/workspace/settings",
        "/api/invites",
        "/api/rtc/ice-servers",
        "/api/auth/sessions",
    ] {
        let response = anon.get(path).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(
            error_body(response).await.code,
            ErrorCode::Unauthenticated,
            "{path}"
        );
    }
}

#[tokio::test]
async fn bad_json_is_400_and_wrong_content_type_415() {
    let ts = spawn().await;
    let client = ts.client();
    let response = client
        .http
        .post(ts.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_body(response).await.code, ErrorCode::BadRequest);

    let response = client
        .post("/api/auth/login", &json!({"email": "a@b.co"}))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(error_body(response).await.message.contains("password"));

    let response = client
        .http
        .post(ts.url("/api/auth/login"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        error_body(response).await.code,
        ErrorCode::UnsupportedMediaType
    );
}

#[tokio::test]
async fn too_large_body_is_413_json() {
    let ts = spawn_with(|c| c.max_body_bytes = 16 * 1024).await;
    let big = "x".repeat(20 * 1024);
    let response = ts
        .client()
        .post("/api/auth/login", &json!({"email": big, "password": "p"}))
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_body(response).await.code, ErrorCode::PayloadTooLarge);
}

#[tokio::test]
async fn unknown_api_path_is_json_404() {
    let ts = spawn().await;
    for path in ["/api/nope", "/api", "/api/auth/nope/deeper"] {
        let response = ts.client().get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(error_body(response).await.code, ErrorCode::NotFound);
    }
}

#[tokio::test]
async fn static_app_is_served_with_spa_fallback() {
    let app_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        app_dir.path().join("index.html"),
        "<!doctype html><title>Tandem</title>",
    )
    .unwrap();
    std::fs::write(app_dir.path().join("app.js"), "console.log(1)").unwrap();
    let dir = app_dir.path().to_path_buf();
    let ts = spawn_with(move |c| c.static_dir = Some(dir)).await;
    let client = ts.client();

    for path in ["/", "/channels/general", "/join/abc"] {
        let response = client.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache");
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("<title>Tandem</title>"));
    }
    let response = client.get("/app.js").await;
    assert_eq!(response.text().await.unwrap(), "console.log(1)");
    let response = client.get("/api/missing").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_body(response).await.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn ice_servers_come_from_config() {
    let ts = spawn_with(|c| c.ice_servers = vec!["stun:stun.example.com:3478".into()]).await;
    let (admin, _) = ts.admin().await;
    let body: Value = admin
        .get("/api/rtc/ice-servers")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body,
        json!({"ice_servers": [{"urls": ["stun:stun.example.com:3478"]}]})
    );
}

#[tokio::test]
async fn cors_allows_only_configured_origins_with_credentials() {
    let ts = spawn_with(|c| c.allowed_origins = vec!["https://app.example.com".into()]).await;
    let client = ts.client();
    let allowed = client
        .http
        .get(ts.url("/api/health"))
        .header("origin", "https://app.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(
        allowed.headers()["access-control-allow-credentials"],
        "true"
    );
    let other = client
        .http
        .get(ts.url("/api/health"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn default_body_limit_is_one_mebibyte() {
    let ts = spawn().await;
    let big = "x".repeat(1024 * 1024 + 1);
    let response = ts
        .client()
        .post("/api/auth/login", &json!({"email": big, "password": "p"}))
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_body(response).await.code, ErrorCode::PayloadTooLarge);
    // Just under the limit is read (and refused on its merits).
    let fits = "x".repeat(1024 * 1024 - 100);
    let response = ts
        .client()
        .post("/api/auth/login", &json!({"email": fits, "password": "p"}))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_method_on_a_known_path_is_json() {
    let ts = spawn().await;
    let response = ts
        .client()
        .http
        .put(ts.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_body(response).await.code, ErrorCode::NotFound);
}
