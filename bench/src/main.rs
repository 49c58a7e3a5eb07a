//! `make bench`: measures the release server from the outside, over loopback only.
//! Each benchmark starts its own `tandem-server` child on a fresh data dir, so runs are
//! independent and the server's peak memory can be read from /proc.

mod board;
mod client;
mod commits;
mod crowd;
mod fanout;
mod history;
mod load;
mod peer;
mod server;
mod stats;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Tandem benchmarks (loopback only)")]
struct Cli {
    /// The server binary to measure (build it with `cargo build --release`).
    #[arg(long, default_value = "target/release/tandem-server", global = true)]
    server_bin: PathBuf,
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// N WebSocket clients in one channel; one sender posts at a steady rate, then a
    /// ramp of rates for capacity.
    Fanout(fanout::Args),
    /// Many people posting at once: commands committed one per transaction and in
    /// groups.
    Commits(commits::Args),
    /// The cost per message with thousands of idle sockets open, and their memory.
    Crowd(crowd::Args),
    /// The fan-out load against Tandem and a socket.io peer, one Node harness for both.
    Peer(peer::Args),
    /// Time to serve the newest page of a channel with many messages.
    History(history::Args),
    /// A late joiner opening a whiteboard with many ops (with and without snapshots).
    Board(board::Args),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.bench {
        Bench::Fanout(args) => fanout::run(&cli.server_bin, args).await,
        Bench::Commits(args) => commits::run(&cli.server_bin, args).await,
        Bench::Crowd(args) => crowd::run(&cli.server_bin, args).await,
        Bench::Peer(args) => peer::run(&cli.server_bin, args).await,
        Bench::History(args) => history::run(&cli.server_bin, args).await,
        Bench::Board(args) => board::run(&cli.server_bin, args).await,
    }
}
