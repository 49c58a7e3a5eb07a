//! Two server processes' worth of servers on one Postgres database (each its own
//! `RunningServer`, sharing nothing but the database): events committed on one node
//! reach the sockets of the other in `seq` order, and a client resumes on the other
//! node from its last `seq` with nothing lost or repeated. Needs Postgres: under
//! SQLite (one process owns the file) it says so and returns; scripts/test-postgres.sh
//! runs it for real.

use crate::common;

use common::*;
use tandem_protocol::ws::{ClientFrame, Event, ServerFrame};
use tandem_protocol::Seq;

/// Reads posted messages until `body`, checking every seq is past the last one seen.
async fn expect_post(ws: &mut Ws, body: &str, last: &mut Seq) -> Seq {
    loop {
        let envelope = ws.next_event().await;
        assert!(envelope.seq > *last, "seq {} after {}", envelope.seq, *last);
        *last = envelope.seq;
        if let Event::MessagePosted { message } = envelope.event {
            if message.body == body {
                return envelope.seq;
            }
        }
    }
}

async fn resumed(client: &Client, last_seq: Seq) -> Ws {
    let mut ws = client.ws().await;
    ws.hello().await;
    ws.send(&ClientFrame::Resume {
        last_seq: Some(last_seq),
    })
    .await;
    ws
}

/// The replay after `resume`: every event up to `replay_complete`.
async fn replayed(ws: &mut Ws) -> Vec<(Seq, Event)> {
    let mut events = Vec::new();
    loop {
        match ws.recv().await {
            ServerFrame::Event(envelope) => events.push((envelope.seq, envelope.event)),
            ServerFrame::ReplayComplete { .. } => return events,
            _ => {}
        }
    }
}

fn posted_bodies(events: &[(Seq, Event)]) -> Vec<String> {
    events
        .iter()
        .filter_map(|(_, event)| match event {
            Event::MessagePosted { message } => Some(message.body.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn events_cross_nodes_in_order_and_a_client_resumes_on_another_node() {
    let first = spawn().await;
    if !first.database.is_postgres() {
        eprintln!("several nodes need Postgres: scripts/test-postgres.sh runs this test");
        return;
    }
    let (_dir, second) = first.another_node().await;

    let (ada_first, _) = first.admin().await;
    let (bo_first, bo) = first.member(&ada_first, "Bo", "bo@example.com").await;
    let (ada_second, bo_second) = (ada_first.on(&second), bo_first.on(&second));
    let room = ada_first.create_channel("room", "public", &[bo.id]).await;
    let mut ada_ws = ada_first.live_ws().await;
    let mut bo_ws = bo_second.live_ws().await;

    // Each writes on their own node; both see every message, in one seq order.
    let (mut ada_last, mut bo_last) = (0, 0);
    for round in 0..3 {
        let line = format!("ada {round}");
        ada_ws.post(room.id, &line).await;
        expect_post(&mut bo_ws, &line, &mut bo_last).await;
        let line = format!("bo {round}");
        bo_ws.post(room.id, &line).await;
        expect_post(&mut ada_ws, &line, &mut ada_last).await;
    }

    // Bo leaves; three messages later he comes back on the other node, from his seq.
    let away_from = expect_post(&mut bo_ws, "bo 2", &mut bo_last).await;
    drop(bo_ws);
    for n in 1..=3 {
        ada_ws.post(room.id, &format!("while away {n}")).await;
    }
    let mut bo_ws = resumed(&bo_first, away_from).await;
    let missed = replayed(&mut bo_ws).await;
    assert_eq!(
        posted_bodies(&missed),
        ["while away 1", "while away 2", "while away 3"]
    );
    assert!(missed.windows(2).all(|w| w[0].0 < w[1].0), "in seq order");
    assert!(
        missed.iter().all(|(seq, _)| *seq > away_from),
        "none repeated"
    );
    let last_seen = missed.last().map(|(seq, _)| *seq).unwrap();
    drop(bo_ws);

    // The first node goes away; everyone carries on with the second.
    let TestServer {
        server, database, ..
    } = first;
    drop(server);
    drop(ada_ws);
    let mut ada_ws = ada_second.live_ws().await;
    ada_ws.post(room.id, "after the first node left").await;
    let mut bo_ws = resumed(&bo_second, last_seen).await;
    assert_eq!(
        posted_bodies(&replayed(&mut bo_ws).await),
        ["after the first node left"]
    );
    ada_ws.post(room.id, "live again").await;
    let mut last = last_seen;
    expect_post(&mut bo_ws, "live again", &mut last).await;
    drop((bo_ws, ada_ws, second));
    drop(database);
}
