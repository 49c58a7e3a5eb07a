//! A signed-in user as the benchmarks drive it: REST with the session cookie, and
//! WebSocket connections speaking the real protocol.

use anyhow::{anyhow, bail, Context};
use futures::{SinkExt, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tandem_protocol::api::SignupRequest;
use tandem_protocol::ws::{ClientFrame, ServerFrame};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message as WsMessage, Utf8Bytes};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const PASSWORD: &str = "benchmark password";

#[derive(Clone)]
pub struct User {
    http: reqwest::Client,
    base: String,
    cookie: String,
}

impl User {
    /// The same session on another server node (one database behind both).
    pub fn on(&self, base: &str) -> User {
        User {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    pub async fn sign_up(http: &reqwest::Client, base: &str, name: &str) -> anyhow::Result<Self> {
        let body = SignupRequest {
            display_name: name.to_owned(),
            email: format!("{}@bench.test", name.to_lowercase().replace(' ', ".")),
            password: PASSWORD.to_owned(),
            invite_token: None,
            time_zone: None,
            setup_code: Some(crate::server::SETUP_CODE.to_owned()),
        };
        let response = http
            .post(format!("{base}/api/auth/signup"))
            .json(&body)
            .send()
            .await?;
        if !response.status().is_success() {
            bail!(
                "sign-up of {name} failed: {} {}",
                response.status(),
                response.text().await?
            );
        }
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("tandem_session="))
            .and_then(|v| v.split(';').next())
            .ok_or_else(|| anyhow!("no session cookie"))?
            .to_owned();
        Ok(Self {
            http: http.clone(),
            base: base.to_owned(),
            cookie,
        })
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> anyhow::Result<T> {
        let response = request.header("cookie", &self.cookie).send().await?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            bail!("{status}: {text}");
        }
        let text = if text.is_empty() {
            "null".to_owned()
        } else {
            text
        };
        serde_json::from_str(&text).with_context(|| format!("decoding {text}"))
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> anyhow::Result<T> {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body))
            .await
    }

    pub async fn patch<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> anyhow::Result<T> {
        self.send(self.http.patch(format!("{}{path}", self.base)).json(body))
            .await
    }

    /// Opens a socket, answers `hello` with `resume { None }` and waits until it is live.
    pub async fn connect(&self) -> anyhow::Result<Socket> {
        let ws_url = format!("{}/api/ws", self.base.replacen("http", "ws", 1));
        let mut request = ws_url.into_client_request()?;
        request.headers_mut().insert("cookie", self.cookie.parse()?);
        // Small buffers: thousands of these sockets share the machine with the server.
        let config = WebSocketConfig::default()
            .read_buffer_size(4 * 1024)
            .write_buffer_size(4 * 1024);
        let (stream, _) =
            tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
        let mut socket = Socket { stream };
        match socket.next().await? {
            ServerFrame::Hello { .. } => {}
            other => bail!("expected hello, got {other:?}"),
        }
        socket.send(&ClientFrame::Resume { last_seq: None }).await?;
        loop {
            if let ServerFrame::ReplayComplete { .. } = socket.next().await? {
                return Ok(socket);
            }
        }
    }
}

pub struct Socket {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Socket {
    pub async fn send(&mut self, frame: &ClientFrame) -> anyhow::Result<()> {
        let text = serde_json::to_string(frame)?;
        self.stream.send(WsMessage::text(text)).await?;
        Ok(())
    }

    /// The next protocol frame (control frames are handled by tungstenite).
    pub async fn next(&mut self) -> anyhow::Result<ServerFrame> {
        let text = self.next_text().await?;
        Ok(serde_json::from_str(&text)?)
    }

    /// The next frame's text, unparsed: a receiver under load looks for its marker
    /// instead of decoding every frame, so the harness costs less than the server.
    pub async fn next_text(&mut self) -> anyhow::Result<Utf8Bytes> {
        loop {
            match self.stream.next().await {
                Some(Ok(WsMessage::Text(text))) => return Ok(text),
                Some(Ok(WsMessage::Close(frame))) => bail!("socket closed: {frame:?}"),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.into()),
                None => bail!("socket ended"),
            }
        }
    }
}
