//! History: seeds a channel with many messages through the real WebSocket command path,
//! then times the newest page (what opening a channel costs) and a page deep in history.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::bail;
use tandem_protocol::chat::{Channel, ChannelKind, CreateChannelRequest, MessagePage};
use tandem_protocol::ws::{ClientFrame, Command, ServerFrame};

use crate::client::User;
use crate::server::ServerProcess;
use crate::stats::{ms, summarize};

#[derive(clap::Args)]
pub struct Args {
    /// Messages in the channel.
    #[arg(long, default_value_t = 100_000)]
    messages: usize,
    /// Page size requested.
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Timed requests per measurement.
    #[arg(long, default_value_t = 200)]
    requests: usize,
}

/// Commands in flight while seeding: enough to keep the server busy, bounded so a slow
/// server is not flooded.
const WINDOW: usize = 256;

pub async fn run(bin: &Path, args: Args) -> anyhow::Result<()> {
    let server = ServerProcess::start(bin).await?;
    let http = reqwest::Client::new();
    let admin = User::sign_up(&http, &server.base, "History Admin").await?;
    let channel: Channel = admin
        .post(
            "/api/channels",
            &CreateChannelRequest {
                name: "history".into(),
                kind: ChannelKind::Public,
                topic: String::new(),
                member_ids: vec![],
            },
        )
        .await?;

    let mut socket = admin.connect().await?;
    let seeding = Instant::now();
    let (mut sent, mut acked) = (0usize, 0usize);
    while acked < args.messages {
        while sent < args.messages && sent - acked < WINDOW {
            let command = Command::SendMessage {
                channel_id: channel.id,
                body: format!("Message number {sent}: the quick brown fox jumps over the lazy dog"),
                thread_root_id: None,
                also_to_channel: false,
                attachment_ids: vec![],
                urgency: None,
            };
            socket
                .send(&ClientFrame::Command {
                    id: uuid::Uuid::new_v4(),
                    command,
                })
                .await?;
            sent += 1;
        }
        match socket.next().await? {
            ServerFrame::Ack { .. } => acked += 1,
            ServerFrame::Error { message, .. } => bail!("seeding refused: {message}"),
            _ => {}
        }
    }
    let seed_secs = seeding.elapsed().as_secs_f64();

    let newest_path = format!("/api/channels/{}/messages?limit={}", channel.id, args.limit);
    let newest = time_requests(&admin, &newest_path, args.requests, args.limit).await?;
    let middle_seq = {
        let page: MessagePage = admin.get(&newest_path).await?;
        let newest_seq = page.messages.last().map(|m| m.seq).unwrap_or_default();
        newest_seq - args.messages as i64 / 2
    };
    let deep_path = format!(
        "/api/channels/{}/messages?limit={}&before={middle_seq}",
        channel.id, args.limit
    );
    let deep = time_requests(&admin, &deep_path, args.requests, args.limit).await?;

    println!(
        "history benchmark: one channel of {} messages",
        args.messages
    );
    println!(
        "  seeding:      {:.1} s ({:.0} messages/s through the WebSocket command path)",
        seed_secs,
        args.messages as f64 / seed_secs
    );
    for (label, mut samples) in [("newest page", newest), ("middle page", deep)] {
        if let Some(s) = summarize(&mut samples) {
            println!(
                "  {label} ({} msgs): p50 {}  p99 {}  mean {}  over {} requests",
                args.limit,
                ms(s.p50),
                ms(s.p99),
                ms(s.mean),
                s.count
            );
        }
    }
    if let Some(bytes) = server.peak_memory_bytes() {
        println!(
            "  server peak memory (VmHWM): {:.1} MiB",
            bytes as f64 / (1024.0 * 1024.0)
        );
    }
    Ok(())
}

async fn time_requests(
    user: &User,
    path: &str,
    n: usize,
    limit: u32,
) -> anyhow::Result<Vec<Duration>> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let page: MessagePage = user.get(path).await?;
        samples.push(start.elapsed());
        if page.messages.len() != limit as usize {
            bail!("expected {limit} messages, got {}", page.messages.len());
        }
    }
    Ok(samples)
}
