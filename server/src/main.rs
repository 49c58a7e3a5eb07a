use clap::Parser;
use tandem_server::Config;
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    keep_large_allocations_returnable();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// Password hashing (argon2id) allocates 19 MiB per hash. glibc serves such a block
/// with mmap at first, but after the first free it raises its mmap threshold and keeps
/// later ones in per-thread arenas for good: after 1,000 sign-ups the server held
/// ~800 MiB. A fixed threshold keeps blocks of 1 MiB and more on mmap, handed back to
/// the system when freed. Called before the runtime starts any thread.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_allocations_returnable() {
    // SAFETY: mallopt only changes a tuning parameter of glibc's allocator; no other
    // thread exists yet to allocate concurrently.
    let applied = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20) };
    if applied != 1 {
        eprintln!("note: could not set glibc's mmap threshold; memory may stay high");
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_allocations_returnable() {}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let server = tandem_server::start(Config::parse()).await?;
    println!("Tandem listening on {}", server.url());
    server.serve_until(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
