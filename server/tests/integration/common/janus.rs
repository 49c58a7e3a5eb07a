//! Real Janus nodes for the SFU tests: each configured by `scripts/janus/write-config.sh`
//! on free ports, started as `janus -F DIR -o -N -L DIR/log`, killed on drop. Also a
//! tiny client for Janus's HTTP API that uses the access a browser would get.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha1::Sha1;
use tandem_protocol::sfu::SfuAccess;
use tandem_server::Config;

pub const TOKEN_SECRET: &str = "test-janus-token-secret";
pub const ADMIN_KEY: &str = "test-janus-admin-key";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn janus_binary() -> PathBuf {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("janus"))
        .find(|path| path.is_file());
    found.unwrap_or_else(|| {
        panic!(
            "the SFU tests need Janus (`janus` on PATH): `apt-get install -y janus` \
             (`make test` installs it)"
        )
    })
}

pub struct JanusNode {
    pub dir: tempfile::TempDir,
    pub http_port: u16,
    pub ws_port: u16,
    child: Option<Child>,
}

impl JanusNode {
    /// Configures and starts one node on free ports.
    pub async fn start() -> JanusNode {
        let binary = janus_binary();
        let dir = tempfile::tempdir().unwrap();
        let (ws_port, http_port, admin_port) = (free_port(), free_port(), free_port());
        // 200 RTP ports somewhere in 20000..60000 (collisions only cost a retry there).
        let rtp_base = 20_000 + (rand_u16() % 200) as u32 * 200;
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scripts/janus/write-config.sh"
        );
        let status = Command::new("bash")
            .arg(script)
            .arg(dir.path())
            .args(["0", TOKEN_SECRET, ADMIN_KEY])
            .env("JANUS_WS_BASE", ws_port.to_string())
            .env("JANUS_HTTP_BASE", http_port.to_string())
            .env("JANUS_ADMIN_BASE", admin_port.to_string())
            .env("JANUS_RTP_BASE", rtp_base.to_string())
            .stdout(Stdio::null())
            .status()
            .expect("write-config.sh runs");
        assert!(status.success(), "write-config.sh failed");
        let mut node = JanusNode {
            dir,
            http_port,
            ws_port,
            child: None,
        };
        node.child = Some(spawn(&binary, &node.dir));
        node.wait_ready().await;
        node
    }

    pub fn api(&self) -> String {
        format!("http://127.0.0.1:{}/janus", self.http_port)
    }

    pub fn ws(&self) -> String {
        format!("ws://127.0.0.1:{}", self.ws_port)
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        let http = reqwest::Client::new();
        loop {
            let answer = http
                .post(self.api())
                .json(&json!({"janus": "info", "transaction": "ready"}))
                .send()
                .await;
            if let Ok(response) = answer {
                if response.status().is_success() {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "Janus did not start; its log: {}",
                std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops and starts the node again: it forgets every room (they live in memory).
    pub async fn restart(&mut self) {
        self.stop();
        self.child = Some(spawn(&janus_binary(), &self.dir));
        self.wait_ready().await;
    }
}

fn spawn(binary: &PathBuf, dir: &tempfile::TempDir) -> Child {
    Command::new(binary)
        .arg("-F")
        .arg(dir.path())
        .args(["-o", "-N", "-L"])
        .arg(dir.path().join("log"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("janus starts")
}

fn rand_u16() -> u16 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    (nanos ^ std::process::id()) as u16
}

impl Drop for JanusNode {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Points the server under test at `nodes` (node 0 first).
pub fn configure(config: &mut Config, nodes: &[&JanusNode], mesh_max: usize) {
    config.janus_api = nodes.iter().map(|n| n.api()).collect();
    config.janus_ws = nodes.iter().map(|n| n.ws()).collect();
    config.janus_token_secret = Some(TOKEN_SECRET.into());
    config.janus_admin_key = Some(ADMIN_KEY.into());
    config.mesh_max = mesh_max;
}

/// A core token minted here (to look at rooms as the server would).
pub fn core_token() -> String {
    let expiry = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 120;
    let data = format!("{expiry},janus,janus.plugin.videoroom");
    let mut mac = Hmac::<Sha1>::new_from_slice(TOKEN_SECRET.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    format!("{data}:{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// A Janus error: the code Janus answered with.
#[derive(Debug, PartialEq, Eq)]
pub struct Refused(pub i64, pub String);

/// A session on a node, made with some core token (kept alive by the test's pace).
pub struct JanusSession {
    http: reqwest::Client,
    session_url: String,
    handle_url: String,
    token: String,
}

async fn post(http: &reqwest::Client, url: &str, mut body: Value, token: &str) -> Value {
    body["transaction"] = json!(uuid::Uuid::new_v4().to_string());
    body["token"] = json!(token);
    http.post(url)
        .json(&body)
        .send()
        .await
        .expect("Janus answers")
        .json()
        .await
        .expect("Janus answers JSON")
}

fn refused(answer: &Value) -> Option<Refused> {
    if answer["janus"] == "error" {
        return Some(Refused(
            answer["error"]["code"].as_i64().unwrap_or_default(),
            answer["error"]["reason"].to_string(),
        ));
    }
    let data = &answer["plugindata"]["data"];
    data["error_code"]
        .as_i64()
        .map(|code| Refused(code, data["error"].to_string()))
}

impl JanusSession {
    /// Creates a session and attaches the VideoRoom plugin, with `token` as the core
    /// token.
    pub async fn open(api: &str, token: &str) -> Result<JanusSession, Refused> {
        let http = reqwest::Client::new();
        let created = post(&http, api, json!({"janus": "create"}), token).await;
        if let Some(err) = refused(&created) {
            return Err(err);
        }
        let session_url = format!("{api}/{}", created["data"]["id"]);
        let attached = post(
            &http,
            &session_url,
            json!({"janus": "attach", "plugin": "janus.plugin.videoroom"}),
            token,
        )
        .await;
        if let Some(err) = refused(&attached) {
            return Err(err);
        }
        let handle_url = format!("{session_url}/{}", attached["data"]["id"]);
        Ok(JanusSession {
            http,
            session_url,
            handle_url,
            token: token.to_string(),
        })
    }

    /// A synchronous VideoRoom request: its plugin data.
    pub async fn request(&self, body: Value) -> Result<Value, Refused> {
        let answer = post(
            &self.http,
            &self.handle_url,
            json!({"janus": "message", "body": body}),
            &self.token,
        )
        .await;
        match refused(&answer) {
            Some(err) => Err(err),
            None => Ok(answer["plugindata"]["data"].clone()),
        }
    }

    /// Joins `room` as a publisher (no media) with a room token and pin, as a browser
    /// does; waits for the answer event.
    pub async fn join(
        &self,
        room: &str,
        feed: &str,
        room_token: &str,
        pin: &str,
    ) -> Result<Value, Refused> {
        let body = json!({"request": "join", "ptype": "publisher", "room": room,
                          "id": feed, "pin": pin, "token": room_token});
        let ack = post(
            &self.http,
            &self.handle_url,
            json!({"janus": "message", "body": body}),
            &self.token,
        )
        .await;
        if let Some(err) = refused(&ack) {
            return Err(err);
        }
        let transaction = ack["transaction"].clone();
        for _ in 0..10 {
            let events: Value = self
                .http
                .get(format!("{}?maxev=5", self.session_url))
                .query(&[("token", &self.token)])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let list = match events {
                Value::Array(list) => list,
                other => vec![other],
            };
            for event in list {
                if event["transaction"] == transaction && event["janus"] == "event" {
                    return match refused(&event) {
                        Some(err) => Err(err),
                        None => Ok(event["plugindata"]["data"].clone()),
                    };
                }
            }
        }
        panic!("no answer to join");
    }

    /// Joins with everything a participant's `SfuAccess` holds.
    pub async fn join_with(access: &SfuAccess, api: &str) -> Result<JanusSession, Refused> {
        let session = JanusSession::open(api, &access.token).await?;
        let joined = session
            .join(&access.room, &access.feed, &access.room_token, &access.pin)
            .await?;
        assert_eq!(joined["videoroom"], "joined", "{joined}");
        Ok(session)
    }
}

/// The feeds `listparticipants` shows in `room` on the node at `api`.
pub async fn feeds_in(api: &str, room: &str) -> Result<Vec<String>, Refused> {
    let session = JanusSession::open(api, &core_token()).await?;
    let data = session
        .request(json!({"request": "listparticipants", "room": room}))
        .await?;
    Ok(data["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect())
}

/// Whether `room` exists on the node at `api`.
pub async fn room_exists(api: &str, room: &str) -> bool {
    let session = JanusSession::open(api, &core_token()).await.unwrap();
    let data = session
        .request(json!({"request": "exists", "room": room}))
        .await
        .unwrap();
    data["exists"] == true
}

/// The room's settings as `list` (with the admin key) shows them.
pub async fn room_settings(api: &str, room: &str) -> Value {
    let session = JanusSession::open(api, &core_token()).await.unwrap();
    let data = session
        .request(json!({"request": "list", "admin_key": ADMIN_KEY}))
        .await
        .unwrap();
    data["list"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["room"] == room)
        .cloned()
        .unwrap_or_else(|| panic!("no room {room} in {data}"))
}
