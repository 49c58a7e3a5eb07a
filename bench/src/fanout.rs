//! Fan-out: N sockets in one channel, one sender posting at a steady rate. Measures
//! deliveries per second, send-to-receive latency and the server's peak memory.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures::stream::{self, StreamExt, TryStreamExt};
use serde_json::json;
use tandem_protocol::chat::{Channel, ChannelKind, CreateChannelRequest};
use tandem_protocol::ws::{ClientFrame, Command, Event, ServerFrame};

use crate::client::{Socket, User};
use crate::server::ServerProcess;
use crate::stats::{ms, summarize};

#[derive(clap::Args)]
pub struct Args {
    /// Receiving WebSocket clients.
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Distinct accounts the clients are spread over (each signs up once).
    #[arg(long, default_value_t = 1000)]
    users: usize,
    /// Messages per second from the sender.
    #[arg(long, default_value_t = 20)]
    rate: u32,
    /// Seconds of sending.
    #[arg(long, default_value_t = 10)]
    seconds: u32,
}

static START: OnceLock<Instant> = OnceLock::new();

fn now_micros() -> u64 {
    START.get_or_init(Instant::now).elapsed().as_micros() as u64
}

pub async fn run(bin: &Path, args: Args) -> anyhow::Result<()> {
    let users = args.users.clamp(1, args.clients.max(1));
    let server = ServerProcess::start(bin).await?;
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

    let setup = Instant::now();
    let members: Vec<User> = stream::iter(0..users)
        .map(|i| {
            let (http, base) = (http.clone(), server.base.clone());
            async move {
                let user = User::sign_up(&http, &base, &format!("Reader {i}")).await?;
                let _: serde_json::Value = user
                    .post(&format!("/api/channels/{}/join", channel.id), &json!({}))
                    .await?;
                anyhow::Ok(user)
            }
        })
        .buffer_unordered(8)
        .try_collect()
        .await?;
    let sockets: Vec<Socket> = stream::iter(0..args.clients)
        .map(|i| {
            let user = members[i % users].clone();
            async move { user.connect().await }
        })
        .buffer_unordered(64)
        .try_collect()
        .await
        .context("opening the receiving sockets")?;
    let mib = |b: Option<u64>| b.map(|b| b as f64 / (1024.0 * 1024.0)).unwrap_or(f64::NAN);
    let setup_peak = server.peak_memory_bytes();
    eprintln!(
        "fanout: {} users, {} sockets ready in {:.1} s; \
         server memory now {:.1} MiB, peak {:.1} MiB",
        users,
        sockets.len(),
        setup.elapsed().as_secs_f64(),
        mib(server.memory_bytes()),
        mib(setup_peak),
    );

    let total = (args.rate * args.seconds) as usize;
    let deadline = Duration::from_secs(args.seconds as u64 + 30);
    now_micros();
    let receivers: Vec<_> = sockets
        .into_iter()
        .map(|socket| tokio::spawn(receive(socket, total, deadline)))
        .collect();

    let mut sender = admin.connect().await?;
    let first_send = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate as f64));
    for n in 0..total {
        ticker.tick().await;
        let command = Command::SendMessage {
            channel_id: channel.id,
            body: format!("bench {n} {}", now_micros()),
            thread_root_id: None,
            also_to_channel: false,
            attachment_ids: vec![],
            urgency: None,
        };
        sender
            .send(&ClientFrame::Command {
                id: uuid::Uuid::new_v4(),
                command,
            })
            .await?;
    }
    // Keep reading the sender's socket so acks and its own copies do not back up.
    let drain = tokio::spawn(async move { while sender.next().await.is_ok() {} });

    let mut latencies = Vec::with_capacity(total * args.clients);
    let mut last_receive = first_send;
    let mut short = 0usize;
    for handle in receivers {
        let (mut samples, last, missing) = handle.await??;
        latencies.append(&mut samples);
        last_receive = last_receive.max(last);
        short += missing;
    }
    drain.abort();
    let elapsed = last_receive.duration_since(first_send).as_secs_f64();
    let peak = server.peak_memory_bytes();

    println!(
        "fan-out benchmark: {} clients ({} accounts) in one channel",
        args.clients, users
    );
    println!("  sent:        {total} messages at {} msg/s", args.rate);
    println!(
        "  delivered:   {} of {} ({} missing)",
        latencies.len(),
        total * args.clients,
        short
    );
    println!(
        "  throughput:  {:.0} deliveries/s",
        latencies.len() as f64 / elapsed.max(1e-9)
    );
    if let Some(s) = summarize(&mut latencies) {
        println!(
            "  latency:     p50 {}  p99 {}  max {}  mean {}",
            ms(s.p50),
            ms(s.p99),
            ms(s.max),
            ms(s.mean)
        );
    }
    println!(
        "  server memory: peak {:.1} MiB during sign-up and connect, {:.1} MiB overall (VmHWM); \
         {:.1} MiB resident at the end",
        mib(setup_peak),
        mib(peak),
        mib(server.memory_bytes()),
    );
    if short > 0 {
        bail!("{short} deliveries never arrived");
    }
    Ok(())
}

/// Reads one socket until all `total` bench messages arrived (or the deadline passed).
async fn receive(
    mut socket: Socket,
    total: usize,
    deadline: Duration,
) -> anyhow::Result<(Vec<Duration>, Instant, usize)> {
    let mut samples = Vec::with_capacity(total);
    let mut last = Instant::now();
    let read = async {
        while samples.len() < total {
            if let ServerFrame::Event(envelope) = socket.next().await? {
                if let Event::MessagePosted { message } = envelope.event {
                    if let Some(sent) = message
                        .body
                        .rsplit(' ')
                        .next()
                        .and_then(|s| s.parse::<u64>().ok())
                    {
                        samples.push(Duration::from_micros(now_micros().saturating_sub(sent)));
                        last = Instant::now();
                    }
                }
            }
        }
        anyhow::Ok(())
    };
    let _ = tokio::time::timeout(deadline, read).await;
    let missing = total - samples.len();
    Ok((samples, last, missing))
}
