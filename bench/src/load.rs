//! One steady-rate run: a sender posts into a channel at a fixed rate while every
//! receiving socket times each message from its send. Sockets are handed back, so a
//! ramp can run step after step on the same connections.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::bail;
use tandem_protocol::chat::ChannelId;
use tandem_protocol::ws::{ClientFrame, Command};

use crate::client::Socket;
use crate::server::ServerProcess;
use crate::stats::{summarize, Summary};

/// A run's delivery falling this far behind its last send means the rate was not
/// sustained: the server was queueing.
const SUSTAINED_SLACK: Duration = Duration::from_secs(1);

static START: OnceLock<Instant> = OnceLock::new();

fn now_micros() -> u64 {
    START.get_or_init(Instant::now).elapsed().as_micros() as u64
}

pub struct Outcome {
    pub rate: u32,
    pub seconds: u32,
    pub expected: usize,
    pub delivered: usize,
    /// Deliveries per second, from the first send to the last delivery.
    pub throughput: f64,
    pub latency: Option<Summary>,
    /// The last delivery came within `SUSTAINED_SLACK` of the last send.
    pub sustained: bool,
    /// Server CPU (user + system) over the run.
    pub server_cpu: Duration,
}

impl Outcome {
    /// Server CPU per 1,000 deliveries.
    pub fn cpu_per_1000(&self) -> Duration {
        self.server_cpu
            .mul_f64(1000.0 / self.delivered.max(1) as f64)
    }

    pub fn print(&self, label: &str) {
        let (p50, p99, max) = match &self.latency {
            Some(s) => (
                crate::stats::ms(s.p50),
                crate::stats::ms(s.p99),
                crate::stats::ms(s.max),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        println!(
            "  {label}: {} msg/s for {} s: delivered {} of {}, {:.0} deliveries/s, \
             p50 {p50} p99 {p99} max {max}, sustained: {}, \
             server CPU {:.2} ms per 1,000 deliveries",
            self.rate,
            self.seconds,
            self.delivered,
            self.expected,
            self.throughput,
            if self.sustained { "yes" } else { "no" },
            self.cpu_per_1000().as_secs_f64() * 1000.0,
        );
    }
}

pub struct Run<'a> {
    pub server: &'a ServerProcess,
    pub sender: &'a mut Socket,
    pub channel: ChannelId,
    /// Tells this run's messages from earlier runs' stragglers.
    pub tag: u32,
    pub rate: u32,
    pub seconds: u32,
}

impl Run<'_> {
    pub async fn go(self, receivers: Vec<Socket>) -> anyhow::Result<(Outcome, Vec<Socket>)> {
        let total = (self.rate * self.seconds) as usize;
        let marker = format!("bench {} ", self.tag);
        let deadline = Duration::from_secs(self.seconds as u64 + 30);
        now_micros();
        let expected = total * receivers.len();
        let tasks: Vec<_> = receivers
            .into_iter()
            .map(|socket| tokio::spawn(receive(socket, marker.clone(), total, deadline)))
            .collect();
        let cpu_before = self.server.cpu_time().unwrap_or_default();
        let first_send = Instant::now();
        let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / self.rate as f64));
        let mut last_send = first_send;
        for n in 0..total {
            ticker.tick().await;
            let command = Command::SendMessage {
                channel_id: self.channel,
                body: format!("{marker}{n} {}", now_micros()),
                thread_root_id: None,
                also_to_channel: false,
                attachment_ids: vec![],
                urgency: None,
            };
            let id = uuid::Uuid::new_v4();
            self.sender
                .send(&ClientFrame::Command { id, command })
                .await?;
            last_send = Instant::now();
            // Keep the sender's own socket drained so acks never back up.
            while let Some(Ok(_)) = futures::FutureExt::now_or_never(self.sender.next_text()) {}
        }
        let mut latencies = Vec::with_capacity(expected);
        let mut last_receive = first_send;
        let mut sockets = Vec::new();
        for task in tasks {
            let (socket, mut samples, last) = task.await??;
            latencies.append(&mut samples);
            last_receive = last_receive.max(last);
            sockets.push(socket);
        }
        let server_cpu = self
            .server
            .cpu_time()
            .unwrap_or_default()
            .saturating_sub(cpu_before);
        // What the sender's socket still holds (acks, its own copies) is read now.
        drain(self.sender).await;
        let elapsed = last_receive.duration_since(first_send).as_secs_f64();
        let delivered = latencies.len();
        let outcome = Outcome {
            rate: self.rate,
            seconds: self.seconds,
            expected,
            delivered,
            throughput: delivered as f64 / elapsed.max(1e-9),
            latency: summarize(&mut latencies),
            sustained: delivered == expected
                && last_receive.saturating_duration_since(last_send) <= SUSTAINED_SLACK,
            server_cpu,
        };
        Ok((outcome, sockets))
    }
}

/// Reads a socket's queued frames until it has been quiet for a moment.
pub async fn drain(socket: &mut Socket) {
    while let Ok(Ok(_)) = tokio::time::timeout(Duration::from_millis(300), socket.next_text()).await
    {
    }
}

/// Reads one socket until all `total` messages of this run arrived (or the deadline).
async fn receive(
    mut socket: Socket,
    marker: String,
    total: usize,
    deadline: Duration,
) -> anyhow::Result<(Socket, Vec<Duration>, Instant)> {
    let mut samples = Vec::with_capacity(total);
    let mut last = Instant::now();
    let read = async {
        while samples.len() < total {
            let text = socket.next_text().await?;
            let Some(at) = text.find(&marker) else {
                continue;
            };
            // "bench TAG N MICROS": the send time is the word after the number.
            let sent = text[at + marker.len()..]
                .split([' ', '"'])
                .nth(1)
                .and_then(|s| s.parse::<u64>().ok());
            if let Some(sent) = sent {
                samples.push(Duration::from_micros(now_micros().saturating_sub(sent)));
                last = Instant::now();
            }
        }
        anyhow::Ok(())
    };
    match tokio::time::timeout(deadline, read).await {
        Ok(Err(err)) => bail!("a receiver failed: {err}"),
        Ok(Ok(())) | Err(_) => Ok((socket, samples, last)),
    }
}
