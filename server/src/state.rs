//! Shared state handed to every handler.

use std::ops::Deref;
use std::sync::{Arc, Weak};

use tokio::sync::Notify;

use crate::auth::rate_limit::LoginLimiter;
use crate::auth::setup_code::SetupCode;
use crate::boards::Boards;
use crate::bridge::Bridge;
use crate::config::Config;
use crate::db::Backend;
use crate::db::Db;
use crate::meetings::registry::Rooms;
use crate::realtime::cluster::Cluster;
use crate::realtime::commands::CommandQueue;
use crate::realtime::ephemeral::EphemeralHub;
use crate::realtime::hub::Hub;
use crate::realtime::log::EventLog;
use crate::realtime::presence::PresenceTracker;
use crate::realtime::registry::Registry;
use crate::realtime::remote::RemoteConnections;
use crate::realtime::subscribers::Subscribers;
use crate::recordings::RecordingLocks;
use crate::sfu::Sfu;

/// "Now" in unix milliseconds. Injected so tests can move time instead of waiting;
/// used wherever time decides behaviour (send-later messages).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(crate::db::now_ms)
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: Db,
    /// The open connections, indexed by what each may see (live fan-out).
    pub subscribers: Arc<Subscribers>,
    pub log: EventLog,
    pub ephemeral: EphemeralHub,
    pub presence: PresenceTracker,
    pub connections: Registry,
    /// Live meeting rooms (participants, lobby, rings).
    pub meetings: Rooms,
    pub login_limiter: LoginLimiter,
    /// Armed at start when there are no accounts; the first sign-up must match it.
    pub setup_code: SetupCode,
    pub clock: Clock,
    /// Wakes the send-later task when a send-later message is created or changed.
    pub send_later_task: Notify,
    pub recording_locks: RecordingLocks,
    /// Held while an upload's content file is kept or an unreferenced one removed
    /// (see `chat::files`), so a removal never races a new upload of the same content.
    pub content_lock: tokio::sync::Mutex<()>,
    /// Open whiteboards and pending snapshots.
    pub boards: Boards,
    /// The async-first bridge: deadline wake-ups, escalation lock, test clock.
    pub bridge: Bridge,
    /// The SFU (Janus nodes), when configured.
    pub sfu: Option<Sfu>,
    /// Set on Postgres, where other server processes may share the database.
    pub cluster: Option<Cluster>,
    /// Connections open on other nodes that use rooms this node holds.
    pub remote: RemoteConnections,
    /// Client commands on their way to a group commit.
    pub commands: CommandQueue,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        Self::with_clock(config, db, system_clock())
    }

    pub fn with_clock(config: Config, db: Db, clock: Clock) -> Self {
        let subscribers = Arc::new(Subscribers::new(config.event_buffer));
        let log = EventLog::new(db.clone(), Hub::new(subscribers.clone()));
        let cluster = (db.backend() == Backend::Postgres).then(Cluster::default);
        let bus = cluster.as_ref().map(|c| c.bus.clone());
        let ephemeral = EphemeralHub::new(subscribers.clone(), bus.clone());
        let presence = PresenceTracker::new(ephemeral.clone(), bus);
        let login_limiter = LoginLimiter::new(&config);
        let bridge = Bridge::default();
        // `start` has refused an unusable configuration already.
        let sfu = Sfu::from_config(&config).ok().flatten();
        // With the `test-clock` feature, the clock the tests can move forward.
        let clock = bridge.wrap_clock(clock);
        AppState(Arc::new(Inner {
            config,
            db,
            subscribers,
            log,
            ephemeral,
            presence,
            connections: Registry::default(),
            meetings: Rooms::default(),
            login_limiter,
            setup_code: SetupCode::default(),
            clock,
            send_later_task: Notify::new(),
            recording_locks: RecordingLocks::default(),
            content_lock: tokio::sync::Mutex::new(()),
            boards: Boards::default(),
            bridge,
            sfu,
            cluster,
            remote: RemoteConnections::default(),
            commands: CommandQueue::default(),
        }))
    }

    pub fn now(&self) -> i64 {
        (self.clock)()
    }

    /// A handle that does not keep the server alive: timers (ring timeouts, empty
    /// meeting grace) hold this, so a stopped server is not kept around by them.
    pub fn downgrade(&self) -> WeakState {
        WeakState(Arc::downgrade(&self.0))
    }
}

#[derive(Clone)]
pub struct WeakState(Weak<Inner>);

impl WeakState {
    pub fn upgrade(&self) -> Option<AppState> {
        self.0.upgrade().map(AppState)
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
