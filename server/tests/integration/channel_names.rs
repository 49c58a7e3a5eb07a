//! Channel names never reveal a private channel (issue 10, finding 10): a name is only
//! taken by channels the person making or renaming one can see — every public channel,
//! and the private ones they are in.

use crate::common;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tandem_protocol::ErrorCode;

#[tokio::test]
async fn a_private_channel_you_cannot_see_does_not_take_its_name() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, bob_user) = ts.member(&admin, "Bob", "bob@example.com").await;
    let (carol, _) = ts.member(&admin, "Carol", "carol@example.com").await;
    let hidden = admin
        .create_channel("acquisition", "private", &[bob_user.id])
        .await;

    // Carol is not in it: making a channel of that name just works, public or private,
    // and nothing in the answers points at the hidden one.
    let mut answers = Vec::new();
    for (name, kind) in [("acquisition", "private"), ("q3-plan", "private")] {
        let response = carol
            .post("/api/channels", &json!({"name": name, "kind": kind}))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{name}");
        answers.push(response.text().await.unwrap());
    }
    let renamed = {
        let mine: serde_json::Value = serde_json::from_str(&answers[1]).unwrap();
        let id = mine["id"].as_str().unwrap().to_string();
        carol
            .patch(
                &format!("/api/channels/{id}"),
                &json!({"name": "acquisition-2"}),
            )
            .await
    };
    assert_eq!(renamed.status(), StatusCode::OK);
    answers.push(renamed.text().await.unwrap());
    let public = carol
        .post(
            "/api/channels",
            &json!({"name": "acquisition-2", "kind": "public"}),
        )
        .await;
    // Her own private channel is visible to her, so that one is taken.
    assert_eq!(public.status(), StatusCode::CONFLICT);
    answers.push(public.text().await.unwrap());
    let browse = carol.get("/api/channels/browse").await;
    answers.push(browse.text().await.unwrap());
    for answer in &answers {
        assert!(
            !answer.contains(&hidden.id.to_string()) && !answer.contains(&bob_user.id.to_string()),
            "{answer}"
        );
    }

    // Bob is in the private channel, so for him the name is taken (he can see why).
    let response = bob
        .post(
            "/api/channels",
            &json!({"name": "acquisition", "kind": "public"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(error_body(response).await.code, ErrorCode::Conflict);
}

#[tokio::test]
async fn public_names_stay_unique_for_everyone() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (bob, _) = ts.member(&admin, "Bob", "bob@example.com").await;
    admin.create_channel("launch", "public", &[]).await;
    // Public channels are visible to all, so their names are taken for all — for a new
    // private channel too, and for a rename.
    for kind in ["public", "private"] {
        let response = bob
            .post("/api/channels", &json!({"name": "launch", "kind": kind}))
            .await;
        assert_eq!(response.status(), StatusCode::CONFLICT, "{kind}");
    }
    let mine = bob.create_channel("prelaunch", "private", &[]).await;
    let response = bob
        .patch(
            &format!("/api/channels/{}", mine.id),
            &json!({"name": "launch"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // A hidden private channel and a public one may share a name; each member finds
    // the one they can see.
    let secret = admin.create_channel("roadmap", "private", &[]).await;
    let open = bob.create_channel("roadmap", "public", &[]).await;
    assert_ne!(secret.id, open.id);
}
