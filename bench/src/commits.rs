//! Group commit: many people posting at once, each as fast as their acks come back
//! (one command in flight per socket, as the app sends). Runs the same load with
//! commands committed one per transaction (`--max-command-group 1`) and in groups,
//! alternating, and prints commands/s, ack latency and server CPU per command.

use std::time::{Duration, Instant};

use anyhow::Context;
use futures::future::try_join_all;
use tandem_protocol::chat::{Channel, ChannelKind, CreateChannelRequest};
use tandem_protocol::ws::{ClientFrame, Command, ServerFrame};
use uuid::Uuid;

use crate::client::{Socket, User};
use crate::fanout::{channel_server_with, sign_up};
use crate::server::ServerProcess;
use crate::stats::{ms, summarize};

#[derive(clap::Args)]
pub struct Args {
    /// People posting at once, each in a channel of their own.
    #[arg(long, default_value_t = 50)]
    senders: usize,
    /// Seconds each run lasts.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Largest group sizes to compare (`--max-command-group`), run in this order.
    #[arg(long, value_delimiter = ',', default_value = "1,64,1,64")]
    groups: Vec<usize>,
    /// A Postgres database (scripts/bench-nodes.sh makes a throwaway one); SQLite if unset.
    #[arg(long)]
    database_url: Option<String>,
}

struct Outcome {
    commands: usize,
    latencies: Vec<Duration>,
    cpu: Option<Duration>,
}

pub async fn run(bin: &std::path::Path, args: Args) -> anyhow::Result<()> {
    println!(
        "commits: {} senders, one command in flight each, {} s per run",
        args.senders, args.seconds
    );
    let mut results: Vec<(usize, Outcome)> = Vec::new();
    for group in &args.groups {
        let outcome = measure(bin, &args, *group).await?;
        let per_s = outcome.commands as f64 / args.seconds as f64;
        let mut latencies = outcome.latencies.clone();
        let summary = summarize(&mut latencies).context("no commands acknowledged")?;
        let cpu = outcome
            .cpu
            .map(|cpu| {
                format!(
                    "{:.1} µs",
                    cpu.as_secs_f64() * 1e6 / outcome.commands as f64
                )
            })
            .unwrap_or_else(|| "n/a".into());
        println!(
            "  group ≤ {group:>3}: {per_s:>8.0} commands/s, ack p50 {} p99 {}, server CPU {cpu} \
             per command",
            ms(summary.p50),
            ms(summary.p99)
        );
        results.push((*group, outcome));
    }
    let mean_rate = |wanted: usize| {
        let runs: Vec<_> = results.iter().filter(|(g, _)| *g == wanted).collect();
        runs.iter().map(|(_, o)| o.commands as f64).sum::<f64>() / runs.len().max(1) as f64
    };
    if let (Some(first), Some(last)) = (args.groups.first(), args.groups.iter().max()) {
        if first != last {
            println!(
                "  commands/s with groups ≤ {last} over one per transaction: {:.2}×",
                mean_rate(*last) / mean_rate(*first)
            );
        }
    }
    Ok(())
}

async fn measure(bin: &std::path::Path, args: &Args, group: usize) -> anyhow::Result<Outcome> {
    let group_flag = group.to_string();
    let mut flags = vec!["--max-command-group", group_flag.as_str()];
    if let Some(url) = &args.database_url {
        flags.extend(["--database-url", url.as_str()]);
    }
    let (server, _admin, _) = channel_server_with(bin, &flags).await?;
    let senders = sign_up(&server, "Sender", args.senders, None).await?;
    let mut sockets = Vec::new();
    for sender in &senders {
        let channel = own_channel(sender).await?;
        sockets.push((sender.connect().await?, channel.id));
    }
    let cpu_before = server.cpu_time();
    let until = Instant::now() + Duration::from_secs(args.seconds);
    let runs = sockets
        .into_iter()
        .map(|(socket, channel)| post_until(socket, channel, until));
    let per_sender = try_join_all(runs).await?;
    let cpu = server
        .cpu_time()
        .zip(cpu_before)
        .map(|(a, b)| a.saturating_sub(b));
    let latencies: Vec<Duration> = per_sender.into_iter().flatten().collect();
    drop::<ServerProcess>(server);
    Ok(Outcome {
        commands: latencies.len(),
        latencies,
        cpu,
    })
}

async fn own_channel(user: &User) -> anyhow::Result<Channel> {
    user.post(
        "/api/channels",
        &CreateChannelRequest {
            name: format!("own-{}", Uuid::new_v4().simple()),
            kind: ChannelKind::Private,
            topic: String::new(),
            member_ids: vec![],
        },
    )
    .await
}

/// Posts, waits for the ack, posts again, until `until`: each ack's latency.
async fn post_until(
    mut socket: Socket,
    channel_id: Uuid,
    until: Instant,
) -> anyhow::Result<Vec<Duration>> {
    let mut latencies = Vec::new();
    let mut n = 0u64;
    while Instant::now() < until {
        let id = Uuid::new_v4();
        let sent = Instant::now();
        let command = Command::SendMessage {
            channel_id,
            body: format!("post {n}"),
            thread_root_id: None,
            also_to_channel: false,
            attachment_ids: vec![],
            urgency: None,
        };
        socket.send(&ClientFrame::Command { id, command }).await?;
        loop {
            match socket.next().await? {
                ServerFrame::Ack { command_id, .. } if command_id == id => break,
                ServerFrame::Error { message, .. } => anyhow::bail!("refused: {message}"),
                _ => {}
            }
        }
        latencies.push(sent.elapsed());
        n += 1;
    }
    Ok(latencies)
}
