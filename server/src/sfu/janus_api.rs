//! A small client for Janus's HTTP API: a session with one VideoRoom handle, used for
//! one request (or a few) and then destroyed. The server's own requests carry a core
//! token it mints; every request has a timeout.

use std::time::Duration;

use serde_json::{json, Value};
use uuid::Uuid;

use super::tokens;

/// How long one HTTP request to Janus may take (a long poll for an event included).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum JanusError {
    #[error("the SFU at {url} did not answer: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the SFU refused the request ({code}): {reason}")]
    Refused { code: i64, reason: String },
    #[error("unexpected answer from the SFU: {0}")]
    Unexpected(String),
}

impl JanusError {
    /// Janus's error code, when it answered with one.
    pub fn code(&self) -> Option<i64> {
        match self {
            JanusError::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }
}

pub type JanusResult<T> = Result<T, JanusError>;

#[derive(Clone)]
pub struct JanusApi {
    http: reqwest::Client,
    token_secret: String,
    token_ttl_secs: u64,
}

impl JanusApi {
    pub fn new(token_secret: String, token_ttl_secs: u64) -> Self {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(2))
            .build()
            .expect("a plain HTTP client builds");
        JanusApi {
            http,
            token_secret,
            token_ttl_secs,
        }
    }

    fn token(&self) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        tokens::core_token(&self.token_secret, now + self.token_ttl_secs.max(60))
    }

    async fn post(&self, url: &str, mut body: Value) -> JanusResult<Value> {
        body["transaction"] = json!(Uuid::new_v4().to_string());
        body["token"] = json!(self.token());
        let unreachable = |source| JanusError::Unreachable {
            url: url.to_string(),
            source,
        };
        let answer: Value = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(unreachable)?
            .json()
            .await
            .map_err(unreachable)?;
        core_error(&answer)?;
        Ok(answer)
    }

    /// Opens a session on the node at `base` (its `/janus` endpoint) with a VideoRoom
    /// handle attached.
    pub async fn open(&self, base: &str) -> JanusResult<Handle<'_>> {
        let base = base.trim_end_matches('/').to_string();
        let created = self.post(&base, json!({"janus": "create"})).await?;
        let session = id_of(&created)?;
        let handle = Handle {
            api: self,
            session_url: format!("{base}/{session}"),
            handle: 0,
        };
        let attached = self
            .post(
                &handle.session_url,
                json!({"janus": "attach", "plugin": "janus.plugin.videoroom"}),
            )
            .await;
        match attached.and_then(|a| id_of(&a)) {
            Ok(id) => Ok(Handle {
                handle: id,
                ..handle
            }),
            Err(err) => {
                handle.close().await;
                Err(err)
            }
        }
    }

    /// One synchronous VideoRoom request on a throwaway session.
    pub async fn request(&self, base: &str, body: Value) -> JanusResult<Value> {
        let handle = self.open(base).await?;
        let result = handle.request(body).await;
        handle.close().await;
        result
    }
}

/// A session and its VideoRoom handle. Close it when done (Janus would time it out).
pub struct Handle<'a> {
    api: &'a JanusApi,
    session_url: String,
    handle: u64,
}

impl Handle<'_> {
    fn handle_url(&self) -> String {
        format!("{}/{}", self.session_url, self.handle)
    }

    /// A synchronous plugin request: the plugin's answer (`plugindata.data`), or its
    /// error as `Refused`.
    pub async fn request(&self, body: Value) -> JanusResult<Value> {
        plugin_data(&self.message(body).await?)
    }

    /// Posts `body` to the plugin; Janus's immediate answer (a result or an ack).
    async fn message(&self, body: Value) -> JanusResult<Value> {
        self.api
            .post(
                &self.handle_url(),
                json!({"janus": "message", "body": body}),
            )
            .await
    }

    /// An asynchronous plugin request (e.g. `join`): waits for its event and returns the
    /// plugin's answer.
    pub async fn request_async(&self, body: Value) -> JanusResult<Value> {
        let answer = self.message(body).await?;
        if answer["janus"] != "ack" {
            return plugin_data(&answer);
        }
        let transaction = answer["transaction"].clone();
        for _ in 0..3 {
            let url = format!("{}?maxev=1", self.session_url);
            let unreachable = |source| JanusError::Unreachable {
                url: self.session_url.clone(),
                source,
            };
            let response = self
                .api
                .http
                .get(&url)
                .query(&[("token", self.api.token())])
                .send()
                .await
                .map_err(unreachable)?;
            let event: Value = response.json().await.map_err(unreachable)?;
            let events = match event {
                Value::Array(list) => list,
                other => vec![other],
            };
            for event in events {
                core_error(&event)?;
                if event["janus"] == "event" && event["transaction"] == transaction {
                    return plugin_data(&event);
                }
            }
        }
        Err(JanusError::Unexpected(
            "no answer to an asynchronous request".into(),
        ))
    }

    /// Destroys the session (and with it the handle and anything it joined). Errors are
    /// only logged: Janus times abandoned sessions out anyway.
    pub async fn close(self) {
        let result = self
            .api
            .post(&self.session_url, json!({"janus": "destroy"}))
            .await;
        if let Err(err) = result {
            tracing::debug!(error = %err, "could not destroy a Janus session");
        }
    }
}

fn core_error(answer: &Value) -> JanusResult<()> {
    if answer["janus"] == "error" {
        return Err(JanusError::Refused {
            code: answer["error"]["code"].as_i64().unwrap_or_default(),
            reason: answer["error"]["reason"]
                .as_str()
                .unwrap_or("no reason given")
                .to_string(),
        });
    }
    Ok(())
}

fn id_of(answer: &Value) -> JanusResult<u64> {
    answer["data"]["id"]
        .as_u64()
        .ok_or_else(|| JanusError::Unexpected(format!("no id in {answer}")))
}

fn plugin_data(answer: &Value) -> JanusResult<Value> {
    let data = &answer["plugindata"]["data"];
    if data.is_null() {
        return Err(JanusError::Unexpected(format!(
            "no plugin data in {answer}"
        )));
    }
    if let Some(code) = data["error_code"].as_i64() {
        return Err(JanusError::Refused {
            code,
            reason: data["error"]
                .as_str()
                .unwrap_or("no reason given")
                .to_string(),
        });
    }
    Ok(data.clone())
}
