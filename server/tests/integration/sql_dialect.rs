//! What the repositories rely on from both database engines, checked on whichever this
//! run uses (SQLite, or Postgres under scripts/test-postgres.sh): `$N` placeholders bind
//! by their number on both, flags read the same, and `Db::begin_write` is one lock
//! across processes.

use crate::common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use tandem_server::db::{self, Flag};

#[tokio::test]
async fn placeholders_bind_by_number_in_any_order_and_repeated() {
    let ts = spawn().await;
    let db = ts.db().await;
    // `$2` before `$1`, and `$1` twice: SQLite numbers `$N` parameters in the order it
    // meets them, sqlx maps each back to its N.
    let row: (String, String, String, i64) =
        sqlx::query_as("SELECT CAST($2 AS TEXT), CAST($1 AS TEXT), CAST($1 AS TEXT), $3 - $4")
            .bind("first")
            .bind("second")
            .bind(10_i64)
            .bind(3_i64)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(row, ("second".into(), "first".into(), "first".into(), 7));
    // In a statement's clauses too, as the repositories write them.
    let (name,): (String,) = sqlx::query_as(
        "SELECT name FROM workspace_settings WHERE id = $2 AND (name = $1 OR $1 IS NULL)",
    )
    .bind(None::<String>)
    .bind(1_i64)
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(name, "Tandem");
}

#[tokio::test]
async fn flags_read_alike_from_columns_and_boolean_expressions() {
    let ts = spawn().await;
    let db = ts.db().await;
    // A 0/1 column, and EXISTS (an integer on SQLite, a BOOLEAN on Postgres).
    let row: (Flag, Flag, Flag) = sqlx::query_as(
        "SELECT open_signup, EXISTS(SELECT 1 FROM workspace_settings),
                EXISTS(SELECT 1 FROM users)
         FROM workspace_settings WHERE id = 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(row, (Flag(false), Flag(true), Flag(false)));
}

/// A second pool on the same database stands in for a second server process.
#[tokio::test]
async fn the_write_lock_holds_across_pools() {
    let ts = spawn().await;
    let url = ts.database.url();
    let first = db::open(ts.dir.path(), url.as_deref()).await.unwrap();
    let second = db::open(ts.dir.path(), url.as_deref()).await.unwrap();

    let held = first.begin_write().await.unwrap();
    let acquired = Arc::new(AtomicBool::new(false));
    let waiter = tokio::spawn({
        let acquired = acquired.clone();
        async move {
            let tx = second.begin_write().await.unwrap();
            acquired.store(true, Ordering::SeqCst);
            tx.commit().await.unwrap();
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !acquired.load(Ordering::SeqCst),
        "a second writer began while the first held the lock"
    );
    held.commit().await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), waiter)
        .await
        .expect("the second writer goes on once the first commits")
        .unwrap();
    assert!(acquired.load(Ordering::SeqCst));
}

#[tokio::test]
async fn a_nul_character_is_refused_alike_on_both_engines() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let channel = admin.create_channel("plain", "public", &[]).await;
    let mut ws = admin.live_ws().await;
    let refused = ws
        .command(tandem_protocol::ws::Command::SendMessage {
            channel_id: channel.id,
            body: "before\0after".into(),
            thread_root_id: None,
            also_to_channel: false,
            attachment_ids: vec![],
            urgency: None,
        })
        .await;
    match refused {
        Err(tandem_protocol::ws::ServerFrame::Error { code, .. }) => {
            assert_eq!(code, tandem_protocol::ErrorCode::Validation)
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let path = format!("/api/channels/{}", channel.id);
    let response = admin
        .patch(&path, &serde_json::json!({"topic": "x\u{0}y"}))
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body(response).await.code,
        tandem_protocol::ErrorCode::Validation
    );
    // The socket is still in service.
    ws.post(channel.id, "still here").await;
}
