//! Issue #10, accounts: first-run setup code (finding 13), log-in throttling that
//! cannot lock the owner out (finding 5), deactivation ends everything the account
//! had in flight (finding 4), display names without invisible characters (finding 14).

use crate::common;

use common::bridge::{send_later_request, spawn_at, MINUTE};
use common::{error_body, spawn, spawn_with, Client, TestServer, PASSWORD, SETUP_CODE};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use tandem_protocol::api::{Role, SignupPolicy, User};
use tandem_protocol::chat::ScheduledMessage;
use tandem_protocol::ws::CLOSE_SESSION_ENDED;
use tandem_protocol::ErrorCode;

fn first_signup(code: Option<&str>) -> Value {
    let mut body = json!({"display_name": "Olga", "email": "olga@example.com",
                          "password": PASSWORD});
    if let Some(code) = code {
        body["setup_code"] = json!(code);
    }
    body
}

async fn policy(client: &Client) -> SignupPolicy {
    client
        .get("/api/auth/signup-policy")
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_first_sign_up_needs_the_setup_code_and_later_ones_do_not() {
    let ts = spawn().await;
    let visitor = ts.client();
    assert!(policy(&visitor).await.needs_setup_code);

    for code in [None, Some("not-the-code"), Some("")] {
        let response = visitor.post("/api/auth/signup", &first_signup(code)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "code {code:?}");
        let err = error_body(response).await;
        assert_eq!(err.code, ErrorCode::Forbidden);
        assert_eq!(err.field.as_deref(), Some("setup_code"));
        assert!(err.message.contains("setup code"), "{}", err.message);
    }
    // Nobody got in: the workspace is still new.
    assert!(policy(&visitor).await.first_account);

    // Case, blanks and dashes do not matter when typing it.
    let typed = format!(" {} ", SETUP_CODE.to_uppercase().replace('-', " "));
    let response = visitor
        .post("/api/auth/signup", &first_signup(Some(&typed)))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let olga: User = response.json().await.unwrap();
    assert_eq!(olga.role, Role::Admin);

    // The code is void now: not asked for, and not a way in without an invite.
    let after = policy(&ts.client()).await;
    assert!(!after.first_account && !after.needs_setup_code);
    let late = ts
        .client()
        .post(
            "/api/auth/signup",
            &json!({"display_name": "Mal", "email": "mal@example.com", "password": PASSWORD,
                    "setup_code": SETUP_CODE}),
        )
        .await;
    assert_eq!(late.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_body(late).await.field, None);
    let invite = visitor.create_invite(1).await;
    let bo = ts
        .client()
        .post(
            "/api/auth/signup",
            &json!({"display_name": "Bo", "email": "bo@example.com", "password": PASSWORD,
                    "invite_token": invite.token}),
        )
        .await;
    assert_eq!(bo.status(), StatusCode::CREATED);
    assert_eq!(bo.json::<User>().await.unwrap().role, Role::Member);
}

#[tokio::test]
async fn a_server_without_a_configured_code_makes_one_and_only_while_new() {
    let ts = spawn_with(|config| config.setup_code = None).await;
    let generated = ts.server.state.setup_code.armed().expect("a code is armed");
    assert_eq!(generated.len(), 19, "{generated}");
    assert_ne!(generated, SETUP_CODE);
    let wrong = ts
        .client()
        .post("/api/auth/signup", &first_signup(Some(SETUP_CODE)))
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    ts.admin().await;
    assert_eq!(ts.server.state.setup_code.armed(), None);

    // Restarted with accounts: no code at all, even if one is configured.
    let again = tandem_server::start(ts.config()).await.unwrap();
    assert_eq!(again.state.setup_code.armed(), None);

    // A configured code too short to resist guessing is refused at start.
    let empty = tempfile::tempdir().unwrap();
    let mut config = tandem_server::Config::with_data_dir(empty.path());
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.setup_code = Some("1234".into());
    assert!(tandem_server::start(config).await.is_err());
}

// ---- finding 5: throttling without lock-out ----

async fn login_from(
    client: &Client,
    address: Option<&str>,
    email: &str,
    password: &str,
) -> Response {
    let mut request = client
        .http
        .post(client.url("/api/auth/login"))
        .json(&json!({"email": email, "password": password}));
    if let Some(address) = address {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

/// Signs the admin up (which makes their browser a known device) and signs them out,
/// so only the known-device cookie is left in their jar.
async fn owner_signed_out(ts: &TestServer) -> Client {
    let (owner, _) = ts.admin().await;
    let cookie = owner.cookie().unwrap_or_default();
    assert!(!cookie.contains("tandem_device"), "sent only to /api/auth");
    let response = owner.post("/api/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    owner
}

#[tokio::test]
async fn guessing_from_the_same_address_does_not_lock_out_a_known_device() {
    // Every request comes from 127.0.0.1: attacker and owner share the address, the
    // hardest case (an office NAT). Only the known-device cookie tells them apart.
    let ts = spawn().await;
    let owner = owner_signed_out(&ts).await;

    let attacker = ts.client();
    for attempt in 0..5 {
        let response = login_from(&attacker, None, "ada@example.com", "guess guess").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // The attacker is throttled, even when they finally guess right.
    let response = login_from(&attacker, None, "ada@example.com", "guess again").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let response = login_from(&attacker, None, "ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);

    // The owner's browser is not.
    let response = login_from(&owner, None, "ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(owner.get("/api/auth/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn limits_per_address_and_a_ceiling_per_account_spare_known_devices() {
    let ts = spawn_with(|config| {
        // The test client is the "proxy"; X-Forwarded-For names the addresses.
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        config.login_account_burst = 8;
        config.login_account_period_secs = 3600;
    })
    .await;
    let owner = owner_signed_out(&ts).await;
    let attacker = ts.client();
    let email = "ada@example.com";

    // From address A: five guesses, then A is throttled for this account.
    for _ in 0..5 {
        let response = login_from(&attacker, Some("203.0.113.1"), email, "guess guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = login_from(&attacker, Some("203.0.113.1"), email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);

    // That does not hold back the owner on a new browser elsewhere.
    let laptop = ts.client();
    let response = login_from(&laptop, Some("198.51.100.7"), email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);

    // Guessing spread over many addresses meets the per-account ceiling (8 here).
    let mut statuses = Vec::new();
    for i in 2..6 {
        let address = format!("203.0.113.{i}");
        let response = login_from(&attacker, Some(&address), email, "guess guess").await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 429, 429]);
    // Then a browser the account never used waits too...
    let response = login_from(&ts.client(), Some("192.0.2.50"), email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    // ...but both browsers the owner signed in from get in, from anywhere.
    let response = login_from(&owner, Some("192.0.2.60"), email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = login_from(&laptop, Some("192.0.2.61"), email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn forwarded_for_is_ignored_without_a_trusted_proxy() {
    let ts = spawn().await;
    ts.admin().await;
    let attacker = ts.client();
    for i in 0..5 {
        let address = format!("203.0.113.{i}");
        let response = login_from(&attacker, Some(&address), "ada@example.com", "guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = login_from(&attacker, Some("203.0.113.99"), "ada@example.com", "guess").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_known_device_cookie_is_http_only_long_lived_and_stored_hashed() {
    let ts = spawn().await;
    ts.admin().await;
    let browser = ts.client();
    let response = login_from(&browser, None, "ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies[0].starts_with("tandem_session="));
    let device = &cookies[1];
    let (pair, attributes) = device.split_once(';').unwrap();
    let token = pair.strip_prefix("tandem_device=").expect("device cookie");
    assert_eq!(token.len(), 64);
    assert_eq!(
        attributes.trim(),
        "HttpOnly; SameSite=Lax; Path=/api/auth; Max-Age=31536000"
    );

    let stored: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM known_devices")
        .fetch_all(&ts.db().await)
        .await
        .unwrap();
    let hashes: Vec<&str> = stored.iter().map(|(h,)| h.as_str()).collect();
    assert!(hashes.contains(&tandem_server::auth::session::hash_token(token).as_str()));
    assert!(!hashes.contains(&token));

    // Signing in again from the same browser keeps its cookie (no new one).
    let response = login_from(&browser, None, "ada@example.com", PASSWORD).await;
    assert_eq!(response.headers().get_all("set-cookie").iter().count(), 1);
}

// ---- finding 4: deactivation ----

/// Monday 3 March 2025, 08:00 UTC; the test moves the clock.
const T0: i64 = 1_740_988_800_000;

#[tokio::test]
async fn deactivation_cancels_send_later_messages_and_ends_sessions() {
    let (ts, clock) = spawn_at(T0).await;
    let (admin, _) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana", "ana@example.com").await;
    let room = admin
        .create_channel("room", "private", &[ana_user.id])
        .await;
    let send_later = |body: &str, send_at: i64, urgency: Option<&str>| {
        send_later_request(room.id, body, send_at, urgency)
    };
    // A send-later message and a deliver-later one (the composer queues those too).
    for (body, at, urgency) in [
        ("from the past", T0 + MINUTE, None),
        ("held for you", T0 + MINUTE + 1_000, Some("standard")),
    ] {
        let response = ana
            .post("/api/scheduled", &send_later(body, at, urgency))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // The admin's own, due after Ana's: once it arrives, Ana's would have been sent.
    let sentinel: ScheduledMessage = admin
        .post(
            "/api/scheduled",
            &send_later("still here", T0 + 2 * MINUTE, None),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut ana_socket = ana.live_ws().await;

    let response = admin.delete(&format!("/api/users/{}", ana_user.id)).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        ana_socket.close_code_after_frames().await,
        Some(CLOSE_SESSION_ENDED)
    );
    let me = ana.get("/api/auth/me").await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        ana.get("/api/scheduled").await.status(),
        StatusCode::UNAUTHORIZED
    );

    let mut watch = admin.live_ws().await;
    clock.advance(3 * MINUTE);
    ts.wake_timers();
    let first = watch.posted().await;
    assert_eq!(first.id, sentinel.id, "sent: {:?}", first.body);
    let left: Vec<(String,)> = sqlx::query_as("SELECT body FROM scheduled_messages")
        .fetch_all(&ts.db().await)
        .await
        .unwrap();
    assert!(left.is_empty(), "{left:?}");
}

// ---- finding 14: names ----

#[tokio::test]
async fn display_names_lose_bidi_controls_and_zero_width_characters() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let invite = admin.create_invite(1).await;
    let eve = ts.client();
    let response = eve
        .post(
            "/api/auth/signup",
            &json!({"display_name": "\u{200B}Ada\u{202E}nimda\u{202C} A\u{200D}dmin\u{FEFF}",
                    "email": "eve@example.com", "password": PASSWORD,
                    "invite_token": invite.token}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: User = response.json().await.unwrap();
    assert_eq!(user.display_name, "Adanimda Admin");

    let response = eve
        .patch(
            "/api/users/me",
            &json!({"display_name": "\u{2066}A\u{200E}da\u{2069}\u{061C}\u{2060}"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<User>().await.unwrap().display_name, "Ada");
    let people: Vec<User> = admin.get("/api/users").await.json().await.unwrap();
    assert!(people
        .iter()
        .any(|p| p.id == user.id && p.display_name == "Ada"));

    // Nothing visible left: refused, naming the field.
    let response = eve
        .patch(
            "/api/users/me",
            &json!({"display_name": "\u{202E}\u{200B} \u{FEFF}"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body(response).await.field.as_deref(),
        Some("display_name")
    );
}
