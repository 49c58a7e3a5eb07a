//! Command-line flags; every flag can also come from a `TANDEM_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use tandem_protocol::meetings::RING_TIMEOUT_MS;
use tandem_protocol::sfu::{DEFAULT_MESH_MAX, MAX_MESH_PARTICIPANTS};

#[derive(Debug, Clone, Parser)]
#[command(
    name = "tandem-server",
    version,
    about = "Tandem's server: REST API, realtime WebSocket and the built app."
)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "TANDEM_ADDR", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,

    /// Directory for uploads, recordings and the SQLite database (`tandem.db`, unless
    /// `--database-url` names another); created if missing.
    #[arg(long, env = "TANDEM_DATA_DIR", default_value = DEFAULT_DATA_DIR)]
    pub data_dir: PathBuf,

    /// A Postgres database to use instead of SQLite, as a `postgres://` URL (a Unix
    /// socket directory goes in `?host=/path`). The database must exist; the server
    /// creates its tables. Unset: SQLite, `tandem.db` in the data directory.
    #[arg(long, env = "TANDEM_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// With several nodes: the URL other nodes reach this one at (requests for a
    /// meeting this node holds are passed to it). Default: `http://` + the bound
    /// address, which suits nodes on one host; set it when listening on 0.0.0.0.
    #[arg(long, env = "TANDEM_NODE_URL")]
    pub node_url: Option<String>,

    /// Directory of the built app, served with a fallback to `index.html`.
    #[arg(long, env = "TANDEM_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// An origin (e.g. `https://app.example.com`) allowed to call the API with
    /// credentials. Repeat the flag or separate with commas. Empty: same origin only.
    #[arg(
        long = "allowed-origin",
        env = "TANDEM_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,

    /// A STUN/TURN URL handed to browsers for WebRTC. Repeatable. Default: none.
    #[arg(long = "ice-server", env = "TANDEM_ICE_SERVERS", value_delimiter = ',')]
    pub ice_servers: Vec<String>,

    /// A TURN server URL (e.g. `turn:turn.example.com:3478`) whose credentials are
    /// minted per request with `--turn-secret`. Repeatable. Default: none.
    #[arg(long = "turn-url", env = "TANDEM_TURN_URLS", value_delimiter = ',')]
    pub turn_urls: Vec<String>,

    /// The TURN server's shared secret (coturn `static-auth-secret`). TURN entries are
    /// handed out only when this and `--turn-url` are set.
    #[arg(long, env = "TANDEM_TURN_SECRET")]
    pub turn_secret: Option<String>,

    /// How long minted TURN credentials stay valid, in seconds.
    #[arg(long, env = "TANDEM_TURN_TTL_SECS", default_value_t = DEFAULT_TURN_TTL_SECS)]
    pub turn_ttl_secs: u64,

    /// How long a call rings before it counts as missed, in milliseconds.
    #[arg(long, env = "TANDEM_RING_TIMEOUT_MS", default_value_t = RING_TIMEOUT_MS)]
    pub ring_timeout_ms: u64,

    /// A meeting nobody is in ends after this many seconds.
    #[arg(
        long,
        env = "TANDEM_MEETING_EMPTY_GRACE_SECS",
        default_value_t = DEFAULT_MEETING_EMPTY_GRACE_SECS
    )]
    pub meeting_empty_grace_secs: u64,

    /// A recording whose recorder is gone (its starter left or the meeting ended) is
    /// finalised as incomplete if no chunk arrives for this many seconds.
    #[arg(
        long,
        env = "TANDEM_RECORDING_ORPHAN_GRACE_SECS",
        default_value_t = DEFAULT_RECORDING_ORPHAN_GRACE_SECS
    )]
    pub recording_orphan_grace_secs: u64,

    /// Always mark the session cookie Secure (otherwise only for https requests,
    /// as reported by `X-Forwarded-Proto`).
    #[arg(long, env = "TANDEM_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "TANDEM_MAX_BODY_BYTES", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Log-in attempts allowed at once per (account, client address) before throttling.
    #[arg(long, env = "TANDEM_LOGIN_PAIR_BURST", default_value_t = DEFAULT_LOGIN_PAIR_BURST)]
    pub login_pair_burst: u32,

    /// After the burst, one log-in attempt per (account, address) every this many seconds.
    #[arg(
        long,
        env = "TANDEM_LOGIN_PAIR_PERIOD_SECS",
        default_value_t = DEFAULT_LOGIN_PAIR_PERIOD_SECS
    )]
    pub login_pair_period_secs: u64,

    /// The per-account ceiling: log-in attempts allowed at once per account, from all
    /// addresses together, before throttling. A device the account signed in from
    /// before is never held back by it.
    #[arg(long, env = "TANDEM_LOGIN_ACCOUNT_BURST", default_value_t = DEFAULT_LOGIN_ACCOUNT_BURST)]
    pub login_account_burst: u32,

    /// After the burst, one log-in attempt per account every this many seconds.
    #[arg(
        long,
        env = "TANDEM_LOGIN_ACCOUNT_PERIOD_SECS",
        default_value_t = DEFAULT_LOGIN_ACCOUNT_PERIOD_SECS
    )]
    pub login_account_period_secs: u64,

    /// Log-in attempts allowed at once per client IP before throttling.
    #[arg(long, env = "TANDEM_LOGIN_IP_BURST", default_value_t = DEFAULT_LOGIN_IP_BURST)]
    pub login_ip_burst: u32,

    /// After the burst, one log-in attempt per client IP every this many seconds.
    #[arg(
        long,
        env = "TANDEM_LOGIN_IP_PERIOD_SECS",
        default_value_t = DEFAULT_LOGIN_IP_PERIOD_SECS
    )]
    pub login_ip_period_secs: u64,

    /// A reverse proxy (IP address) whose `X-Forwarded-For` names the real client for
    /// the log-in limits. Repeatable. Default: none, and the header is ignored (anyone
    /// could write it).
    #[arg(
        long = "trusted-proxy",
        env = "TANDEM_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// The one-time code the first sign-up must enter on a server with no accounts.
    /// Unset: a random one is made and printed on the console at start.
    #[arg(long, env = "TANDEM_SETUP_CODE", hide_env_values = true)]
    pub setup_code: Option<String>,

    /// The most events replayed to a reconnecting client; beyond it, it must resync.
    #[arg(long, env = "TANDEM_MAX_REPLAY", default_value_t = DEFAULT_MAX_REPLAY)]
    pub max_replay: i64,

    /// Largest accepted file upload, in bytes.
    #[arg(long, env = "TANDEM_MAX_UPLOAD_BYTES", default_value_t = DEFAULT_MAX_UPLOAD_BYTES)]
    pub max_upload_bytes: u64,

    /// Largest recording, in bytes: a chunk past it is refused (413) and the recording
    /// is finalised with what it has.
    #[arg(long, env = "TANDEM_MAX_RECORDING_BYTES", default_value_t = DEFAULT_MAX_RECORDING_BYTES)]
    pub max_recording_bytes: u64,

    /// Longest recording, in seconds since it started: a chunk after that is refused
    /// (413) and the recording is finalised with what it has.
    #[arg(long, env = "TANDEM_MAX_RECORDING_SECS", default_value_t = DEFAULT_MAX_RECORDING_SECS)]
    pub max_recording_secs: u64,

    /// Storage each person may use for their uploads and recordings together, in
    /// bytes (0: unlimited). Past it, uploads and recording chunks answer 413.
    #[arg(long, env = "TANDEM_USER_QUOTA_BYTES", default_value_t = DEFAULT_USER_QUOTA_BYTES)]
    pub user_quota_bytes: u64,

    /// Capacity of the live event fan-out; a socket further behind is told to resync.
    #[arg(long, env = "TANDEM_EVENT_BUFFER", default_value_t = DEFAULT_EVENT_BUFFER)]
    pub event_buffer: usize,

    /// A whiteboard with this many ops after its latest snapshot gets a new snapshot
    /// (written in the background), so opening it replays at most about this many ops.
    #[arg(
        long,
        env = "TANDEM_BOARD_SNAPSHOT_EVERY",
        default_value_t = DEFAULT_BOARD_SNAPSHOT_EVERY,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub board_snapshot_every: u64,

    /// Commands (and presence changes) one WebSocket may send per second, sustained;
    /// more are answered `rate_limited` with a retry-after.
    #[arg(
        long,
        env = "TANDEM_WS_COMMANDS_PER_SEC",
        default_value_t = DEFAULT_WS_COMMANDS_PER_SEC,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub ws_commands_per_sec: u32,

    /// Client commands committed together at most (group commit: what gathered while
    /// the previous group committed). 1 commits each on its own.
    #[arg(
        long,
        env = "TANDEM_MAX_COMMAND_GROUP",
        default_value_t = DEFAULT_MAX_COMMAND_GROUP,
        value_parser = clap::value_parser!(u32).range(1..=1024)
    )]
    pub max_command_group: u32,

    /// Commands one WebSocket may send at once before the per-second rate applies
    /// (covers an outbox resent after a reconnect).
    #[arg(
        long,
        env = "TANDEM_WS_COMMAND_BURST",
        default_value_t = DEFAULT_WS_COMMAND_BURST,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub ws_command_burst: u32,

    /// WebSockets one user may hold open at once (one per tab); opening another closes
    /// their oldest with code 4429.
    #[arg(
        long,
        env = "TANDEM_MAX_SOCKETS_PER_USER",
        default_value_t = DEFAULT_MAX_SOCKETS_PER_USER,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub max_sockets_per_user: u32,

    /// An SFU node's Janus HTTP API endpoint (e.g. `http://127.0.0.1:8088/janus`).
    /// Repeatable, in node order: node 0 is the origin, where speakers publish.
    /// Without any, meetings stay peer to peer (at most 8 people).
    #[arg(long = "janus-api", env = "TANDEM_JANUS_API", value_delimiter = ',')]
    pub janus_api: Vec<String>,

    /// What browsers connect to for each `--janus-api` node, in the same order (e.g.
    /// `ws://127.0.0.1:8188`). Must be as many as `--janus-api`.
    #[arg(long = "janus-ws", env = "TANDEM_JANUS_WS", value_delimiter = ',')]
    pub janus_ws: Vec<String>,

    /// Janus's `token_auth_secret`: the server signs browsers' short-lived tokens with
    /// it. Required with `--janus-api`.
    #[arg(long, env = "TANDEM_JANUS_TOKEN_SECRET", hide_env_values = true)]
    pub janus_token_secret: Option<String>,

    /// The VideoRoom plugin's `admin_key` (creating rooms, forwarding between nodes).
    /// Stays on the server. Required with `--janus-api`.
    #[arg(long, env = "TANDEM_JANUS_ADMIN_KEY", hide_env_values = true)]
    pub janus_admin_key: Option<String>,

    /// With an SFU, a meeting with more joined participants than this moves to it.
    #[arg(
        long,
        env = "TANDEM_MESH_MAX",
        default_value_t = DEFAULT_MESH_MAX,
        value_parser = mesh_max
    )]
    pub mesh_max: usize,

    /// How long the SFU tokens handed to browsers stay valid, in seconds.
    #[arg(
        long,
        env = "TANDEM_SFU_TOKEN_TTL_SECS",
        default_value_t = DEFAULT_SFU_TOKEN_TTL_SECS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub sfu_token_ttl_secs: u64,
}

fn mesh_max(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (1..=MAX_MESH_PARTICIPANTS).contains(&n) {
        Ok(n)
    } else {
        Err(format!("must be 1 to {MAX_MESH_PARTICIPANTS}"))
    }
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./data";
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
pub const DEFAULT_LOGIN_PAIR_BURST: u32 = 5;
pub const DEFAULT_LOGIN_PAIR_PERIOD_SECS: u64 = 12;
pub const DEFAULT_LOGIN_ACCOUNT_BURST: u32 = 50;
pub const DEFAULT_LOGIN_ACCOUNT_PERIOD_SECS: u64 = 30;
pub const DEFAULT_LOGIN_IP_BURST: u32 = 30;
pub const DEFAULT_LOGIN_IP_PERIOD_SECS: u64 = 2;
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 25 * 1024 * 1024;
pub const DEFAULT_MAX_RECORDING_BYTES: u64 = 4 * 1024 * 1024 * 1024;
pub const DEFAULT_MAX_RECORDING_SECS: u64 = 4 * 60 * 60;
pub const DEFAULT_USER_QUOTA_BYTES: u64 = 10 * 1024 * 1024 * 1024;
pub const DEFAULT_MAX_REPLAY: i64 = 10_000;
pub const DEFAULT_EVENT_BUFFER: usize = 1024;
pub const DEFAULT_TURN_TTL_SECS: u64 = 60 * 60;
pub const DEFAULT_MEETING_EMPTY_GRACE_SECS: u64 = 60;
pub const DEFAULT_RECORDING_ORPHAN_GRACE_SECS: u64 = 30;
pub const DEFAULT_BOARD_SNAPSHOT_EVERY: u64 = 500;
pub const DEFAULT_WS_COMMANDS_PER_SEC: u32 = 10;
pub const DEFAULT_MAX_COMMAND_GROUP: u32 = 64;
pub const DEFAULT_WS_COMMAND_BURST: u32 = 100;
pub const DEFAULT_MAX_SOCKETS_PER_USER: u32 = 20;
pub const DEFAULT_SFU_TOKEN_TTL_SECS: u64 = 300;

impl Config {
    /// The defaults (ignoring flags and environment), with the data in `data_dir`.
    /// For tests and embedding.
    pub fn with_data_dir(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: data_dir.into(),
            database_url: None,
            node_url: None,
            static_dir: None,
            allowed_origins: Vec::new(),
            ice_servers: Vec::new(),
            turn_urls: Vec::new(),
            turn_secret: None,
            turn_ttl_secs: DEFAULT_TURN_TTL_SECS,
            ring_timeout_ms: RING_TIMEOUT_MS,
            meeting_empty_grace_secs: DEFAULT_MEETING_EMPTY_GRACE_SECS,
            recording_orphan_grace_secs: DEFAULT_RECORDING_ORPHAN_GRACE_SECS,
            secure_cookies: false,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            login_pair_burst: DEFAULT_LOGIN_PAIR_BURST,
            login_pair_period_secs: DEFAULT_LOGIN_PAIR_PERIOD_SECS,
            login_account_burst: DEFAULT_LOGIN_ACCOUNT_BURST,
            login_account_period_secs: DEFAULT_LOGIN_ACCOUNT_PERIOD_SECS,
            login_ip_burst: DEFAULT_LOGIN_IP_BURST,
            login_ip_period_secs: DEFAULT_LOGIN_IP_PERIOD_SECS,
            trusted_proxies: Vec::new(),
            setup_code: None,
            max_replay: DEFAULT_MAX_REPLAY,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            max_recording_bytes: DEFAULT_MAX_RECORDING_BYTES,
            max_recording_secs: DEFAULT_MAX_RECORDING_SECS,
            user_quota_bytes: DEFAULT_USER_QUOTA_BYTES,
            event_buffer: DEFAULT_EVENT_BUFFER,
            max_command_group: DEFAULT_MAX_COMMAND_GROUP,
            board_snapshot_every: DEFAULT_BOARD_SNAPSHOT_EVERY,
            ws_commands_per_sec: DEFAULT_WS_COMMANDS_PER_SEC,
            ws_command_burst: DEFAULT_WS_COMMAND_BURST,
            max_sockets_per_user: DEFAULT_MAX_SOCKETS_PER_USER,
            janus_api: Vec::new(),
            janus_ws: Vec::new(),
            janus_token_secret: None,
            janus_admin_key: None,
            mesh_max: DEFAULT_MESH_MAX,
            sfu_token_ttl_secs: DEFAULT_SFU_TOKEN_TTL_SECS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_defaults_match_with_data_dir() {
        let parsed = Config::try_parse_from(["tandem-server"]).unwrap();
        let built = Config::with_data_dir(DEFAULT_DATA_DIR);
        assert_eq!(format!("{parsed:?}"), format!("{built:?}"));
        assert_eq!(parsed.addr.to_string(), DEFAULT_ADDR);
    }

    #[test]
    fn origins_and_ice_servers_split_on_commas() {
        let config = Config::try_parse_from([
            "tandem-server",
            "--allowed-origin",
            "https://a.example,https://b.example",
            "--allowed-origin",
            "https://c.example",
            "--ice-server",
            "stun:stun.example:3478",
        ])
        .unwrap();
        assert_eq!(
            config.allowed_origins,
            [
                "https://a.example",
                "https://b.example",
                "https://c.example"
            ]
        );
        assert_eq!(config.ice_servers, ["stun:stun.example:3478"]);
    }

    #[test]
    fn janus_nodes_and_mesh_max() {
        let config = Config::try_parse_from([
            "tandem-server",
            "--janus-api",
            "http://127.0.0.1:8088/janus,http://127.0.0.1:8089/janus",
            "--janus-ws",
            "ws://127.0.0.1:8188",
            "--janus-ws",
            "ws://127.0.0.1:8189",
            "--mesh-max",
            "2",
        ])
        .unwrap();
        assert_eq!(config.janus_api.len(), 2);
        assert_eq!(config.janus_ws[1], "ws://127.0.0.1:8189");
        assert_eq!(config.mesh_max, 2);
        assert!(Config::try_parse_from(["tandem-server", "--mesh-max", "0"]).is_err());
        assert!(Config::try_parse_from(["tandem-server", "--mesh-max", "9"]).is_err());
    }

    #[test]
    fn board_snapshot_every_must_be_positive() {
        let config =
            Config::try_parse_from(["tandem-server", "--board-snapshot-every", "10"]).unwrap();
        assert_eq!(config.board_snapshot_every, 10);
        assert!(Config::try_parse_from(["tandem-server", "--board-snapshot-every", "0"]).is_err());
    }
}
