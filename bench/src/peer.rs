//! Tandem beside a peer: the same fan-out load (one sender, N receivers in one room)
//! against Tandem and against a socket.io 4.8 room server that stores each message in
//! SQLite before broadcasting it (`tools/fanout-peer`), driven by one Node harness,
//! runs alternating. Prints each run and Tandem's p99 and server CPU per 1,000
//! deliveries as ratios to the peer's (medians over the runs).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use anyhow::{bail, Context};
use serde::Deserialize;
use tokio::process::{Child, Command};

use crate::server::{ServerProcess, SETUP_CODE};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 1000)]
    receivers: usize,
    #[arg(long, default_value_t = 100)]
    rate: u32,
    #[arg(long, default_value_t = 20)]
    seconds: u32,
    /// Runs of each, alternating.
    #[arg(long, default_value_t = 2)]
    runs: usize,
    /// Where the harness and the peer server are (with their node_modules).
    #[arg(long, default_value = "tools/fanout-peer")]
    tools: PathBuf,
}

#[derive(Deserialize, Debug)]
struct Figures {
    target: String,
    expected: u64,
    delivered: u64,
    throughput: f64,
    p50_ms: f64,
    p99_ms: f64,
    sustained: bool,
    cpu_per_1000_ms: f64,
}

async fn harness(args: &Args, target: &str, base: &str, pid: u32) -> anyhow::Result<Figures> {
    let output = Command::new("node")
        .arg(args.tools.join("harness.mjs"))
        .args(["--target", target, "--base", base])
        .args(["--pid", &pid.to_string(), "--setup-code", SETUP_CODE])
        .args(["--receivers", &args.receivers.to_string()])
        .args([
            "--rate",
            &args.rate.to_string(),
            "--seconds",
            &args.seconds.to_string(),
        ])
        .stderr(Stdio::inherit())
        .output()
        .await
        .context("running node (tools/fanout-peer/harness.mjs)")?;
    if !output.status.success() {
        bail!("the harness failed against {target}: {}", output.status);
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    serde_json::from_str(line).with_context(|| format!("reading the harness's figures: {line}"))
}

/// The peer server on a free loopback port, killed on drop.
async fn peer(tools: &Path, dir: &Path) -> anyhow::Result<(Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new("node")
        .arg(tools.join("peer-server.mjs"))
        .arg(port.to_string())
        .arg(dir.join("peer.db"))
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting the peer (run `make bench`, which installs tools/fanout-peer)")?;
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok((child, base));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    bail!("the peer did not start on {base}")
}

fn print(figures: &Figures) {
    println!(
        "  {:>8}: delivered {} of {}, {:.0} deliveries/s, p50 {:.2} ms p99 {:.2} ms, \
         sustained: {}, server CPU {:.2} ms per 1,000 deliveries",
        figures.target,
        figures.delivered,
        figures.expected,
        figures.throughput,
        figures.p50_ms,
        figures.p99_ms,
        if figures.sustained { "yes" } else { "no" },
        figures.cpu_per_1000_ms,
    );
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

pub async fn run(bin: &Path, args: Args) -> anyhow::Result<()> {
    println!(
        "peer comparison: {} receivers, {} msg/s for {} s, one Node harness, runs alternating",
        args.receivers, args.rate, args.seconds
    );
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        let server = ServerProcess::start(bin).await?;
        let pid = server.pid().context("the server's pid")?;
        let figures = harness(&args, "tandem", &server.base, pid).await?;
        drop(server);
        print(&figures);
        ours.push(figures);

        let dir = tempfile::tempdir()?;
        let (child, base) = peer(&args.tools, dir.path()).await?;
        let pid = child.id().context("the peer's pid")?;
        let figures = harness(&args, "socketio", &base, pid).await?;
        drop(child);
        print(&figures);
        theirs.push(figures);
    }
    let p99 = |runs: &[Figures]| median(runs.iter().map(|f| f.p99_ms).collect());
    let cpu = |runs: &[Figures]| median(runs.iter().map(|f| f.cpu_per_1000_ms).collect());
    println!(
        "  Tandem / peer: p99 {:.2}x, server CPU per delivery {:.2}x (goal: at most 0.8x on both)",
        p99(&ours) / p99(&theirs),
        cpu(&ours) / cpu(&theirs),
    );
    Ok(())
}
