//! Full-text search: scope, filters, highlight parts, odd input.

use crate::common;

use common::spawn;
use reqwest::StatusCode;
use tandem_protocol::chat::SearchResults;
use tandem_protocol::ws::Command;

async fn search(client: &common::Client, q: &str) -> SearchResults {
    let url = reqwest::Url::parse_with_params(&client.url("/api/search"), &[("q", q)]).unwrap();
    let r = client.http.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "query {q:?}");
    r.json().await.unwrap()
}

#[tokio::test]
async fn search_finds_readable_messages_with_filters_and_highlights() {
    let ts = spawn().await;
    let (admin, _) = ts.admin().await;
    let (ana, ana_user) = ts.member(&admin, "Ana Lee", "ana@example.com").await;
    let (eve, _) = ts.member(&admin, "Eve", "eve@example.com").await;
    let public = admin
        .create_channel("general", "public", &[ana_user.id])
        .await;
    let secret = admin
        .create_channel("secret", "private", &[ana_user.id])
        .await;
    let mut a = admin.live_ws().await;
    let mut b = ana.live_ws().await;

    a.post(public.id, "The quarterly budget is ready").await;
    b.post(public.id, "Budget review tomorrow").await;
    let hidden = a.post(secret.id, "secret budget numbers").await;
    let gone = a.post(public.id, "budget draft to delete").await;
    a.ok(Command::DeleteMessage { message_id: gone }).await;

    let all = search(&ana, "budget").await;
    assert_eq!(all.hits.len(), 3);
    // Newest first.
    assert_eq!(all.hits[0].message.id, hidden);
    let parts = &all.hits[2].snippet;
    assert!(
        parts.iter().any(|p| p.highlight && p.text == "budget"),
        "{parts:?}"
    );
    assert_eq!(
        parts.iter().map(|p| p.text.as_str()).collect::<String>(),
        "The quarterly budget is ready"
    );

    // Filters.
    let in_general = search(&ana, "budget in:#general").await;
    assert_eq!(in_general.hits.len(), 2);
    let from_ana = search(&ana, "from:@ana lee budget").await;
    assert_eq!(from_ana.hits.len(), 1);
    assert_eq!(from_ana.hits[0].message.author_id, ana_user.id);
    let by_email = search(&admin, "from:@ANA@example.com").await;
    assert_eq!(by_email.hits.len(), 1);
    assert!(search(&ana, "budget in:#nope").await.hits.is_empty());
    // Prefix of the last word.
    assert_eq!(search(&ana, "quarter").await.hits.len(), 1);

    // An outsider finds neither the private message nor public ones she is not in.
    assert!(search(&eve, "secret").await.hits.is_empty());
    assert!(search(&eve, "budget").await.hits.is_empty());

    // Odd input never errors.
    for q in [
        "\"",
        "*",
        "AND(",
        "budget\" OR",
        "NEAR(a b",
        "-",
        "",
        "   ",
        "in:",
        "from:@",
        "^x",
    ] {
        search(&ana, q).await;
    }
}
