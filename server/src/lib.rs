//! Tandem's server: the REST API, the realtime WebSocket and the built app, in one
//! binary. `start` is used by `main` and by the integration tests alike.

pub mod app;
pub mod auth;
pub mod boards;
pub mod bridge;
pub mod chat;
pub mod config;
pub mod db;
pub mod error;
pub mod guards;
pub mod meetings;
pub mod openapi;
pub mod private_files;
pub mod realtime;
pub mod recordings;
pub mod routes;
pub mod sfu;
pub mod state;
pub mod static_files;
pub mod time_zone;
pub mod user_content;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::Config;
pub use state::AppState;

/// Close code for sockets when the server shuts down.
const CLOSE_GOING_AWAY: u16 = 1001;

struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A server accepting connections. Dropping it starts a graceful shutdown.
pub struct RunningServer {
    /// The bound address (useful when the configured port was 0).
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    housekeeping: JoinHandle<()>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Serves until `signal` resolves (or the server fails), then shuts down gracefully.
    pub async fn serve_until(mut self, signal: impl Future<Output = ()>) -> anyhow::Result<()> {
        tokio::select! {
            result = &mut self.task => return Ok(result??),
            () = signal => {}
        }
        self.shutdown().await
    }

    /// Stops accepting, closes open sockets, and waits for the server to finish.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.housekeeping.abort();
        Ok((&mut self.task).await??)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.housekeeping.abort();
    }
}

/// Where other nodes reach this one: `--node-url`, or the bound address.
fn node_url(config: &Config, addr: SocketAddr) -> String {
    if let Some(url) = &config.node_url {
        return url.trim_end_matches('/').to_string();
    }
    if addr.ip().is_unspecified() {
        tracing::warn!("listening on all addresses: set --node-url so other nodes reach this one");
    }
    format!("http://{addr}")
}

/// Opens the database (running migrations), binds `config.addr` and starts serving.
pub async fn start(config: Config) -> anyhow::Result<RunningServer> {
    start_with_clock(config, state::system_clock()).await
}

/// `start` with an injected clock (tests move time instead of waiting).
pub async fn start_with_clock(
    config: Config,
    clock: state::Clock,
) -> anyhow::Result<RunningServer> {
    let configured_code = config
        .setup_code
        .clone()
        .filter(|code| !code.trim().is_empty());
    if let Some(code) = &configured_code {
        let chars = code.trim().chars().count();
        let (min, max) = (
            auth::setup_code::MIN_CONFIGURED_CHARS,
            tandem_protocol::api::MAX_SETUP_CODE_CHARS,
        );
        anyhow::ensure!(
            (min..=max).contains(&chars),
            "--setup-code needs {min} to {max} characters"
        );
    }
    // An unusable SFU configuration stops the start with a clear message.
    sfu::Sfu::from_config(&config)?;
    let db = db::open(&config.data_dir, config.database_url.as_deref()).await?;
    let state = AppState::with_clock(config, db, clock);
    if let Some(sequencer) = state.log.sequencer() {
        // Live publication starts after what is in the log now: the rest is replay.
        sequencer.start_at_head().await?;
    }
    sfu::cascade::spawn(&state);
    if !db::users::any_exist(&state.db).await? {
        let generated = configured_code.is_none().then(auth::setup_code::generate);
        let code = configured_code
            .as_deref()
            .or(generated.as_deref())
            .unwrap_or_default();
        state.setup_code.arm(code);
        println!("{}", auth::setup_code::banner(generated.as_deref()));
    }
    // Bound first: with several nodes, the others reach this one at its address.
    let listener = TcpListener::bind(state.config.addr).await?;
    let addr = listener.local_addr()?;
    // Alive before claiming any room (several nodes): others must not take them.
    if let Some(cluster) = &state.cluster {
        cluster.set_url(node_url(&state.config, addr));
        db::cluster::heartbeat(&state.db, cluster.node(), cluster.url()).await?;
    }
    // Meetings still active from before the restart get their empty-room timers.
    meetings::lifecycle::recover(&state).await?;
    recordings::lifecycle::recover(&state).await?;
    bridge::recover(&state).await?;
    let app = app::router(state.clone())?;
    // Frames are small and written as they happen: without this, a frame written right
    // after another waits for the client's delayed ACK (~40 ms).
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(error = %err, "could not set TCP_NODELAY");
        }
    });

    let housekeeping = tokio::spawn({
        let state = state.clone();
        async move {
            // Several processes on one Postgres: events are published from the log.
            let sequencer = state
                .log
                .sequencer()
                .cloned()
                .zip(state.config.database_url.clone());
            let _abort_sequencer =
                sequencer.map(|(sequencer, url)| AbortOnDrop(tokio::spawn(sequencer.run(url))));
            // And meetings, boards, presence and notices across them.
            let _abort_nodes = state
                .config
                .database_url
                .clone()
                .map(|url| AbortOnDrop(tokio::spawn(realtime::nodes::run(state.clone(), url))));
            let send_later = tokio::spawn(chat::send_later_task::run(state.clone()));
            // Aborting housekeeping must stop the send-later task too.
            let _abort_send_later = AbortOnDrop(send_later);
            let retention = tokio::spawn(recordings::retention::run(state.clone()));
            let _abort_retention = AbortOnDrop(retention);
            let compactor = tokio::spawn(boards::compaction::run(state.clone()));
            let _abort_compactor = AbortOnDrop(compactor);
            let deadlines = tokio::spawn(bridge::deadlines::run(state.clone()));
            let _abort_deadlines = AbortOnDrop(deadlines);
            let cue_repair = tokio::spawn(recordings::repair::run(state.clone()));
            let _abort_cue_repair = AbortOnDrop(cue_repair);
            auth::password::warm_up().await;
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                state.login_limiter.prune();
            }
        }
    });

    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let connections = state.connections.clone();
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = shutdown_rx.await;
            connections.close_all(CLOSE_GOING_AWAY);
        })
        .await
    });
    tracing::info!("Tandem listening on http://{addr}");
    Ok(RunningServer {
        addr,
        state,
        shutdown: Some(shutdown_tx),
        task,
        housekeeping,
    })
}
