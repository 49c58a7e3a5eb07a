//! Secrets and files at rest (issue 10, finding 11): invite, guest-link and board-link
//! tokens are stored only as SHA-256 and never listed; invites are single use by default
//! with an explicit expiry; board links always expire; the data directory is 0700 and
//! the database, uploads and recordings 0600.
//!
//! Responses are read as JSON values, not wire types, so these tests also compile (and
//! fail) against the code before the fix.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::{Column, Row};
use tandem_protocol::ErrorCode;
use tandem_server::auth::session::hash_token;

const HOUR_MS: i64 = 60 * 60 * 1000;
const TABLES: [&str; 3] = ["invites", "guest_invites", "board_links"];

async fn created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

fn token_of(value: &Value) -> String {
    value["token"]
        .as_str()
        .expect("the secret, once")
        .to_string()
}

/// Every text value of every row of `table`.
async fn texts(db: &sqlx::AnyPool, table: &str) -> Vec<String> {
    let rows = sqlx::query(&format!("SELECT * FROM {table}"))
        .fetch_all(db)
        .await
        .unwrap();
    let mut out = Vec::new();
    for row in &rows {
        for column in row.columns() {
            if let Ok(Some(text)) = row.try_get::<Option<String>, _>(column.ordinal()) {
                out.push(text);
            }
        }
    }
    out
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn tokens_are_stored_only_as_hashes_and_never_listed() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let invite = created(
        admin
            .post("/api/invites", &json!({"expires_in_hours": 24}))
            .await,
    )
    .await;
    let channel = admin.create_channel("plans", "public", &[]).await;
    let meeting = admin.start_meeting(channel.id).await;
    let guest_link = created(
        admin
            .post(
                &format!("/api/meetings/{}/guest-invites", meeting.id),
                &json!({"expires_in_minutes": 60}),
            )
            .await,
    )
    .await;
    let board = created(
        admin
            .post(
                &format!("/api/channels/{}/boards", channel.id),
                &json!({"title": "Sketch"}),
            )
            .await,
    )
    .await;
    let board_id = board["id"].as_str().unwrap().to_string();
    let board_link = created(
        admin
            .post(
                &format!("/api/boards/{board_id}/links"),
                &json!({"expires_in_minutes": 60}),
            )
            .await,
    )
    .await;
    let tokens = [
        token_of(&invite),
        token_of(&guest_link),
        token_of(&board_link),
    ];

    // The tables hold the SHA-256 of each secret and nothing that contains it.
    let db = ts.db().await;
    for (table, token) in TABLES.iter().zip(&tokens) {
        let values = texts(&db, table).await;
        assert!(
            values.iter().all(|v| !v.contains(token.as_str())),
            "{table} holds the plaintext token"
        );
        assert!(
            values.contains(&hash_token(token)),
            "{table} holds the token's SHA-256"
        );
    }
    db.close().await;
    // Nor anywhere in the database files (SQLite's file and write-ahead log; on
    // Postgres the cluster's tables, indexes and write-ahead log).
    let files = common::at_rest::database_files(&ts);
    for token in &tokens {
        let found = common::at_rest::files_containing(&files, token);
        assert!(found.is_empty(), "{found:?} contain a plaintext token");
    }

    // The secrets still work…
    let preview = ts.client().get(&format!("/api/guest/{}", tokens[1])).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let resolved = admin.get(&format!("/api/board-links/{}", tokens[2])).await;
    assert_eq!(resolved.status(), StatusCode::OK);
    // …and the lists show ids, never a secret.
    for path in [
        "/api/invites".to_string(),
        format!("/api/meetings/{}/guest-invites", meeting.id),
        format!("/api/boards/{board_id}/links"),
    ] {
        let response = admin.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("token"), "{path}: {body}");
        for token in &tokens {
            assert!(!body.contains(token.as_str()), "{path} lists a secret");
        }
    }
}

#[tokio::test]
async fn an_invite_works_once_then_is_refused() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let invite = created(
        admin
            .post("/api/invites", &json!({"expires_in_hours": 24}))
            .await,
    )
    .await;
    let token = token_of(&invite);
    ts.client()
        .signup_ok("Bo", "bo@example.com", Some(&token))
        .await;
    let again = ts
        .client()
        .signup("Cy", "cy@example.com", Some(&token))
        .await;
    assert_eq!(again.status(), StatusCode::GONE);
    let err = error_body(again).await;
    assert_eq!(err.code, ErrorCode::Gone);
    assert!(err.message.contains("already been used"), "{}", err.message);
    let listed: Value = admin.get("/api/invites").await.json().await.unwrap();
    assert_eq!(listed[0]["uses"], 1);
    assert_eq!(listed[0]["revoked"], false);

    // Without a use count or expiry: single use, for a week.
    let invite = created(admin.post("/api/invites", &json!({})).await).await;
    assert_eq!(invite["max_uses"], 1);
    assert_eq!(invite["uses"], 0);
    let lasts = invite["expires_at"].as_i64().unwrap() - invite["created_at"].as_i64().unwrap();
    assert_eq!(lasts, 7 * 24 * HOUR_MS);

    // An explicit count admits exactly that many.
    let pair = created(
        admin
            .post(
                "/api/invites",
                &json!({"expires_in_hours": 2, "max_uses": 2}),
            )
            .await,
    )
    .await;
    let token = token_of(&pair);
    for (name, email) in [("Di", "di@example.com"), ("Ed", "ed@example.com")] {
        ts.client().signup_ok(name, email, Some(&token)).await;
    }
    let third = ts
        .client()
        .signup("Fa", "fa@example.com", Some(&token))
        .await;
    assert_eq!(third.status(), StatusCode::GONE);

    // Bounded both ways.
    for body in [
        json!({"max_uses": 0}),
        json!({"max_uses": 101}),
        json!({"expires_in_hours": 24 * 30 + 1}),
    ] {
        let response = admin.post("/api/invites", &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
}

#[tokio::test]
async fn an_expired_invite_is_refused_with_a_clear_error() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let invite = created(
        admin
            .post("/api/invites", &json!({"expires_in_hours": 1}))
            .await,
    )
    .await;
    let db = ts.db().await;
    sqlx::query("UPDATE invites SET expires_at = created_at - 1 WHERE id = $1")
        .bind(invite["id"].as_str().unwrap())
        .execute(&db)
        .await
        .unwrap();
    let response = ts
        .client()
        .signup("Cy", "cy@example.com", Some(&token_of(&invite)))
        .await;
    assert_eq!(response.status(), StatusCode::GONE);
    let err = error_body(response).await;
    assert_eq!(err.code, ErrorCode::Gone);
    assert!(err.message.contains("has expired"), "{}", err.message);
    // Nobody was admitted and the invite was not spent.
    let users: Value = admin.get("/api/users").await.json().await.unwrap();
    assert_eq!(users.as_array().unwrap().len(), 1);
    let listed: Value = admin.get("/api/invites").await.json().await.unwrap();
    assert_eq!(listed[0]["uses"], 0);
}

#[tokio::test]
async fn a_board_link_made_without_expiry_gets_one() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("plans", "public", &[]).await;
    let board = created(
        admin
            .post(
                &format!("/api/channels/{}/boards", channel.id),
                &json!({"title": "Sketch"}),
            )
            .await,
    )
    .await;
    let path = format!("/api/boards/{}/links", board["id"].as_str().unwrap());
    for body in [json!({}), json!({"expires_in_minutes": null})] {
        let link = created(admin.post(&path, &body).await).await;
        let expires_at = link["expires_at"].as_i64().expect("an expiry");
        let lasts = expires_at - link["created_at"].as_i64().unwrap();
        assert_eq!(lasts, 7 * 24 * HOUR_MS, "{body}");
    }
    let db = ts.db().await;
    let (open_ended,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM board_links WHERE expires_at IS NULL")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(open_ended, 0);
    let listed: Value = admin.get(&path).await.json().await.unwrap();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .all(|link| link["expires_at"].is_i64()));
    // Longer than the maximum is refused rather than clipped.
    let response = admin
        .post(&path, &json!({"expires_in_minutes": 30 * 24 * 60 + 1}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_data_dir_is_0700_and_database_and_uploads_0600() {
    // A data directory the server makes itself (the test's temp dir is 0700 already).
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    let ts = spawn_with(|config| config.data_dir = data.clone()).await;
    let (admin, _) = ts.admin().await;
    let url =
        reqwest::Url::parse_with_params(&admin.url("/api/uploads"), &[("name", "a.txt")]).unwrap();
    let response = admin
        .http
        .post(url)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    assert_eq!(mode(&data), 0o700);
    if ts.database.is_postgres() {
        // The database is Postgres's (its files its own): no SQLite file on the side.
        assert!(!data.join("tandem.db").exists());
    } else {
        for name in ["tandem.db", "tandem.db-wal", "tandem.db-shm"] {
            assert_eq!(mode(&data.join(name)), 0o600, "{name}");
        }
    }
    let files = data.join("files");
    assert_eq!(mode(&files), 0o700);
    let stored: Vec<_> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(stored.len(), 1);
    assert_eq!(mode(&stored[0]), 0o600);
}

#[tokio::test]
async fn start_up_makes_existing_data_files_private() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    // As an older version (or a careless restore) left it: readable by everyone.
    let first = spawn_with(|config| config.data_dir = data.clone()).await;
    first.admin().await;
    first.server.shutdown().await.unwrap();
    let sqlite = !first.database.is_postgres();
    let files = data.join("files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("old-upload"), b"x").unwrap();
    let mut loosened = vec![
        (data.clone(), 0o755),
        (files.clone(), 0o755),
        (files.join("old-upload"), 0o644),
    ];
    if sqlite {
        loosened.push((data.join("tandem.db"), 0o644));
    }
    for (path, mode) in loosened {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    // Restarted on the same data directory and database.
    let ts = spawn_on(first.database, |config| config.data_dir = data.clone()).await;
    let response = ts.client().login("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK, "the data survived");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&files), 0o700);
    assert_eq!(mode(&files.join("old-upload")), 0o600);
    if sqlite {
        assert_eq!(mode(&data.join("tandem.db")), 0o600);
    }
}
