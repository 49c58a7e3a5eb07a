//! The server under test, as a child process on a loopback port with a throwaway data dir.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::process::{Child, Command};

/// The first-run code the benchmark servers are started with; `User::sign_up` sends it
/// (the server ignores it once the admin exists).
pub const SETUP_CODE: &str = "benchmark-setup-code";

pub struct ServerProcess {
    child: Child,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts the server with limits loosened for load (many sign-ups from one address,
    /// many sockets per user, commands as fast as they come).
    pub async fn start(bin: &Path) -> anyhow::Result<Self> {
        Self::start_with(bin, &[]).await
    }

    /// `start` with extra server flags (e.g. `--board-snapshot-every 500`).
    pub async fn start_with(bin: &Path, extra_args: &[&str]) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new(bin)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "--login-ip-burst",
                "1000000",
                "--login-account-burst",
                "1000000",
                // Load comes from few users over many sockets, faster than a person.
                "--ws-commands-per-sec",
                "1000000",
                "--ws-command-burst",
                "1000000",
                "--max-sockets-per-user",
                "1000000",
                "--setup-code",
                SETUP_CODE,
            ])
            .args(extra_args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| {
                format!(
                    "starting {} (run `cargo build --release -p tandem-server`)",
                    bin.display()
                )
            })?;
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(r) = http.get(format!("{base}/api/health")).send().await {
                if r.status().is_success() {
                    return Ok(Self {
                        child,
                        base,
                        _dir: dir,
                    });
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server did not become healthy at {base}")
    }

    /// Peak resident memory of the server so far (VmHWM), in bytes.
    pub fn peak_memory_bytes(&self) -> Option<u64> {
        self.proc_status_kib("VmHWM:").map(|kib| kib * 1024)
    }

    /// Resident memory of the server now (VmRSS), in bytes.
    pub fn memory_bytes(&self) -> Option<u64> {
        self.proc_status_kib("VmRSS:").map(|kib| kib * 1024)
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// CPU time the server has used so far (user + system), from /proc/PID/stat.
    pub fn cpu_time(&self) -> Option<Duration> {
        // utime and stime are counted in USER_HZ ticks, 100 a second on Linux.
        const TICKS_PER_SEC: u64 = 100;
        let pid = self.child.id()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the command name (which may hold spaces, inside parentheses):
        // state is field 3, utime 14, stime 15.
        let rest = &stat[stat.rfind(')')? + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: u64 = fields.get(11)?.parse().ok()?;
        let stime: u64 = fields.get(12)?.parse().ok()?;
        Some(Duration::from_millis(
            (utime + stime) * 1000 / TICKS_PER_SEC,
        ))
    }

    fn proc_status_kib(&self, field: &str) -> Option<u64> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }
}
