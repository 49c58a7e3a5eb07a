//! Fan-out: N sockets in one channel, one sender. A steady run (latency, whether the
//! rate is sustained, server CPU per delivery), then a ramp of rates for capacity: the
//! highest deliveries/s with p99 within the target. Also the server's memory around
//! the sign-ups.

use std::time::{Duration, Instant};

use anyhow::Context;
use futures::stream::{self, StreamExt, TryStreamExt};
use serde_json::json;
use tandem_protocol::chat::{Channel, ChannelKind, CreateChannelRequest};

use crate::client::{Socket, User};
use crate::load::{Outcome, Run};
use crate::server::ServerProcess;

/// The capacity figure counts a rate only while its p99 stays within this.
const CAPACITY_P99: Duration = Duration::from_millis(50);

#[derive(clap::Args)]
pub struct Args {
    /// Receiving WebSocket clients.
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Distinct accounts the clients are spread over (each signs up once).
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Messages per second from the sender in the steady run.
    #[arg(long, default_value_t = 100)]
    rate: u32,
    /// Seconds of the steady run.
    #[arg(long, default_value_t = 30)]
    seconds: u32,
    /// Rates (msg/s) of the capacity ramp, each run for `--ramp-seconds`; empty for none.
    #[arg(long, value_delimiter = ',', default_value = "100,200,300,400,600")]
    ramp: Vec<u32>,
    #[arg(long, default_value_t = 8)]
    ramp_seconds: u32,
    /// Server processes sharing `--database-url` (Postgres); receivers alternate
    /// between them, the sender is on the first.
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    /// A Postgres database for every node (scripts/bench-nodes.sh makes a throwaway one).
    #[arg(long)]
    database_url: Option<String>,
}

pub fn mib(bytes: Option<u64>) -> f64 {
    bytes.map_or(f64::NAN, |b| b as f64 / (1024.0 * 1024.0))
}

/// A server with an admin, open sign-up and one public channel.
pub async fn channel_server(
    bin: &std::path::Path,
) -> anyhow::Result<(ServerProcess, User, Channel)> {
    channel_server_with(bin, &[]).await
}

/// `channel_server` with extra server flags.
pub async fn channel_server_with(
    bin: &std::path::Path,
    flags: &[&str],
) -> anyhow::Result<(ServerProcess, User, Channel)> {
    let server = ServerProcess::start_with(bin, flags).await?;
    let http = reqwest::Client::new();
    let admin = User::sign_up(&http, &server.base, "Bench Admin").await?;
    let _: serde_json::Value = admin
        .patch("/api/workspace/settings", &json!({"open_signup": true}))
        .await?;
    let channel: Channel = admin
        .post(
            "/api/channels",
            &CreateChannelRequest {
                name: "fanout".into(),
                kind: ChannelKind::Public,
                topic: String::new(),
                member_ids: vec![],
            },
        )
        .await?;
    Ok((server, admin, channel))
}

/// Signs up `count` people named `prefix N`, joining `channel` if given.
pub async fn sign_up(
    server: &ServerProcess,
    prefix: &str,
    count: usize,
    channel: Option<&Channel>,
) -> anyhow::Result<Vec<User>> {
    let http = reqwest::Client::new();
    stream::iter(0..count)
        .map(|i| {
            let (http, base) = (http.clone(), server.base.clone());
            async move {
                let user = User::sign_up(&http, &base, &format!("{prefix} {i}")).await?;
                if let Some(channel) = channel {
                    let path = format!("/api/channels/{}/join", channel.id);
                    let _: serde_json::Value = user.post(&path, &json!({})).await?;
                }
                anyhow::Ok(user)
            }
        })
        .buffer_unordered(8)
        .try_collect()
        .await
}

/// Opens `count` live sockets spread over `users`.
pub async fn connect(users: &[User], count: usize) -> anyhow::Result<Vec<Socket>> {
    stream::iter(0..count)
        .map(|i| {
            let user = users[i % users.len()].clone();
            async move { user.connect().await }
        })
        .buffer_unordered(64)
        .try_collect()
        .await
        .context("opening sockets")
}

pub async fn run(bin: &std::path::Path, args: Args) -> anyhow::Result<()> {
    let users = args.users.clamp(1, args.clients.max(1));
    if args.nodes > 1 && args.database_url.is_none() {
        anyhow::bail!("--nodes needs --database-url: several nodes share one Postgres");
    }
    let flags: Vec<&str> = match &args.database_url {
        Some(url) => vec!["--database-url", url],
        None => vec![],
    };
    let (server, admin, channel) = channel_server_with(bin, &flags).await?;
    // The other nodes, on the same database.
    let mut others = Vec::new();
    for _ in 1..args.nodes.max(1) {
        others.push(ServerProcess::start_with(bin, &flags).await?);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_rss = server.memory_bytes();

    let setup = Instant::now();
    let members = sign_up(&server, "Reader", users, Some(&channel)).await?;
    let after_signups = server.memory_bytes();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let settled = server.memory_bytes();
    let bases: Vec<&str> = std::iter::once(&server)
        .chain(&others)
        .map(|node| node.base.as_str())
        .collect();
    let spread: Vec<User> = members
        .iter()
        .enumerate()
        .map(|(i, user)| user.on(bases[i % bases.len()]))
        .collect();
    let sockets = connect(&spread, args.clients).await?;
    eprintln!(
        "fanout: {users} users, {} sockets ready in {:.1} s",
        sockets.len(),
        setup.elapsed().as_secs_f64(),
    );

    let mut sender = admin.connect().await?;
    let (steady, mut sockets) = Run {
        server: &server,
        sender: &mut sender,
        channel: channel.id,
        tag: 0,
        rate: args.rate,
        seconds: args.seconds,
    }
    .go(sockets)
    .await?;

    let mut ramp: Vec<Outcome> = Vec::new();
    for (step, rate) in args.ramp.iter().copied().enumerate() {
        let (outcome, back) = Run {
            server: &server,
            sender: &mut sender,
            channel: channel.id,
            tag: step as u32 + 1,
            rate,
            seconds: args.ramp_seconds,
        }
        .go(sockets)
        .await?;
        sockets = back;
        let over = outcome
            .latency
            .as_ref()
            .is_none_or(|s| s.p99 > CAPACITY_P99);
        ramp.push(outcome);
        if over {
            break;
        }
    }

    println!(
        "fan-out benchmark: {} clients ({users} accounts) in one channel, on {} node(s){}",
        args.clients,
        bases.len(),
        if args.database_url.is_some() {
            " sharing one Postgres"
        } else {
            ""
        },
    );
    println!(
        "  memory: {:.1} MiB idle, {:.1} MiB after {users} sign-ups, {:.1} MiB 2 s later; \
         {:.1} MiB with the sockets open at the end, peak {:.1} MiB (VmHWM)",
        mib(idle_rss),
        mib(after_signups),
        mib(settled),
        mib(server.memory_bytes()),
        mib(server.peak_memory_bytes()),
    );
    steady.print("steady");
    for outcome in &ramp {
        outcome.print("ramp");
    }
    let capacity = ramp
        .iter()
        .filter(|o| o.sustained && o.latency.as_ref().is_some_and(|s| s.p99 <= CAPACITY_P99))
        .map(|o| o.throughput)
        .fold(0.0, f64::max);
    println!(
        "  capacity: {capacity:.0} deliveries/s with p99 <= {} ms (highest sustained ramp step)",
        CAPACITY_P99.as_millis()
    );
    if steady.delivered < steady.expected {
        anyhow::bail!(
            "{} deliveries never arrived",
            steady.expected - steady.delivered
        );
    }
    Ok(())
}
