//! What idle sockets cost: the same channel traffic measured with only the channel's
//! sockets open, then again with thousands of idle ones in the workspace (members who
//! are not in the channel). With fan-out by audience the cost per message should not
//! move; the memory the idle sockets add, per socket, is measured on the way.

use std::time::Duration;

use crate::fanout::{channel_server, connect, mib, sign_up};
use crate::load::Run;

#[derive(clap::Args)]
pub struct Args {
    /// Sockets in the channel (receivers).
    #[arg(long, default_value_t = 100)]
    receivers: usize,
    /// Idle sockets in the workspace, outside the channel.
    #[arg(long, default_value_t = 10_000)]
    idle: usize,
    /// Accounts the idle sockets are spread over.
    #[arg(long, default_value_t = 100)]
    idle_users: usize,
    #[arg(long, default_value_t = 50)]
    rate: u32,
    #[arg(long, default_value_t = 10)]
    seconds: u32,
}

pub async fn run(bin: &std::path::Path, args: Args) -> anyhow::Result<()> {
    let (server, admin, channel) = channel_server(bin).await?;
    let readers = sign_up(&server, "Reader", args.receivers, Some(&channel)).await?;
    let idlers = sign_up(&server, "Idle", args.idle_users.max(1), None).await?;
    let receivers = connect(&readers, args.receivers).await?;
    let mut sender = admin.connect().await?;
    let (alone, receivers) = Run {
        server: &server,
        sender: &mut sender,
        channel: channel.id,
        tag: 0,
        rate: args.rate,
        seconds: args.seconds,
    }
    .go(receivers)
    .await?;

    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = server.memory_bytes();
    let idle = connect(&idlers, args.idle).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = server.memory_bytes();
    let (crowded, _receivers) = Run {
        server: &server,
        sender: &mut sender,
        channel: channel.id,
        tag: 1,
        rate: args.rate,
        seconds: args.seconds,
    }
    .go(receivers)
    .await?;
    let per_socket = match (before, after) {
        (Some(b), Some(a)) => a.saturating_sub(b) as f64 / args.idle.max(1) as f64,
        _ => f64::NAN,
    };
    drop(idle);

    println!(
        "idle-socket benchmark: {} receivers in a channel, then {} idle sockets besides",
        args.receivers, args.idle
    );
    alone.print(&format!("{} sockets in all", args.receivers + 1));
    crowded.print(&format!("with {} idle", args.idle));
    let ratio = crowded.cpu_per_1000().as_secs_f64() / alone.cpu_per_1000().as_secs_f64().max(1e-9);
    println!("  cost per message with the idle sockets: {ratio:.2}x (goal: within 1.10x)");
    println!(
        "  memory per idle socket: {per_socket:.0} bytes \
         ({:.1} MiB before, {:.1} MiB after opening them)",
        mib(before),
        mib(after)
    );
    Ok(())
}
