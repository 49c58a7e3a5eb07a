//! Janus's JSON API, the part the browser speaks: building requests and reading
//! answers and events. Pure (serde_json values in and out), so it is unit-tested
//! natively; the socket and the peer connections only move these values around.

use serde_json::{json, Value};

use crate::media::types::StreamKind;

pub const VIDEOROOM: &str = "janus.plugin.videoroom";
/// What a publisher calls the stream of its screen share (`descriptions` in
/// `publish`/`configure`); every other video stream is the camera.
pub const SCREEN_DESCRIPTION: &str = "screen";
pub const CAMERA_DESCRIPTION: &str = "camera";

/// Every request carries the core token (Janus checks it on each one).
fn envelope(janus: &str, token: &str) -> Value {
    json!({ "janus": janus, "token": token })
}

pub fn create(token: &str) -> Value {
    envelope("create", token)
}

pub fn attach(session: u64, token: &str) -> Value {
    let mut v = envelope("attach", token);
    v["session_id"] = json!(session);
    v["plugin"] = json!(VIDEOROOM);
    v
}

pub fn keepalive(session: u64, token: &str) -> Value {
    let mut v = envelope("keepalive", token);
    v["session_id"] = json!(session);
    v
}

pub fn destroy(session: u64, token: &str) -> Value {
    let mut v = envelope("destroy", token);
    v["session_id"] = json!(session);
    v
}

pub fn message(session: u64, handle: u64, token: &str, body: Value, jsep: Option<Value>) -> Value {
    let mut v = envelope("message", token);
    v["session_id"] = json!(session);
    v["handle_id"] = json!(handle);
    v["body"] = body;
    if let Some(jsep) = jsep {
        v["jsep"] = jsep;
    }
    v
}

/// One trickled ICE candidate, or `None` for "gathering completed".
pub fn trickle(session: u64, handle: u64, token: &str, candidate: Option<Value>) -> Value {
    let mut v = envelope("trickle", token);
    v["session_id"] = json!(session);
    v["handle_id"] = json!(handle);
    v["candidate"] = candidate.unwrap_or_else(|| json!({ "completed": true }));
    v
}

pub fn jsep(kind: &str, sdp: &str) -> Value {
    json!({ "type": kind, "sdp": sdp })
}

/// Where and as whom to join: the parts of `SfuAccess` the requests need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomAccess {
    pub room: String,
    pub feed: String,
    pub pin: String,
    pub room_token: String,
}

/// Join as a participant of the room (publishers' lists and events come to this
/// handle). The audience of a town hall joins this way too but never publishes.
pub fn join_publisher(access: &RoomAccess, display: &str) -> Value {
    json!({
        "request": "join",
        "ptype": "publisher",
        "room": access.room,
        "id": access.feed,
        "display": display,
        "pin": access.pin,
        "token": access.room_token,
    })
}

/// Start publishing. `descriptions` names each of our streams by mid.
pub fn publish(descriptions: &[(String, &str)]) -> Value {
    json!({
        "request": "publish",
        "descriptions": described(descriptions),
    })
}

/// Renegotiate what we publish (a screen share added or removed).
pub fn configure_publisher(descriptions: &[(String, &str)]) -> Value {
    json!({
        "request": "configure",
        "descriptions": described(descriptions),
    })
}

fn described(descriptions: &[(String, &str)]) -> Value {
    descriptions
        .iter()
        .map(|(mid, d)| json!({ "mid": mid, "description": d }))
        .collect()
}

fn feed_streams(streams: &[(String, String)]) -> Value {
    streams
        .iter()
        .map(|(feed, mid)| json!({ "feed": feed, "mid": mid }))
        .collect()
}

/// The first subscription of our one multistream subscriber handle. `private_id`
/// ties it to our participant, so kicking us also ends what we receive.
pub fn join_subscriber(
    access: &RoomAccess,
    private_id: Option<u64>,
    streams: &[(String, String)],
) -> Value {
    let mut v = json!({
        "request": "join",
        "ptype": "subscriber",
        "room": access.room,
        "use_msid": false,
        "pin": access.pin,
        "token": access.room_token,
        "streams": feed_streams(streams),
    });
    if let Some(id) = private_id {
        v["private_id"] = json!(id);
    }
    v
}

pub fn subscribe(streams: &[(String, String)]) -> Value {
    json!({ "request": "subscribe", "streams": feed_streams(streams) })
}

pub fn unsubscribe(streams: &[(String, String)]) -> Value {
    json!({ "request": "unsubscribe", "streams": feed_streams(streams) })
}

/// Our answer to the subscriber handle's offer.
pub fn start() -> Value {
    json!({ "request": "start" })
}

/// Which simulcast layer of one subscribed stream to receive, or pause it (`None`).
pub fn configure_subscription(mid: &str, substream: Option<u8>) -> Value {
    let stream = match substream {
        Some(layer) => json!({ "mid": mid, "send": true, "substream": layer }),
        None => json!({ "mid": mid, "send": false }),
    };
    json!({ "request": "configure", "streams": [stream] })
}

// ---- reading -------------------------------------------------------------------------

/// What arrived on the socket.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// An answer to one of our transactions (`ack`, `success`, `error`, or an `event`
    /// that carries our transaction).
    Reply {
        transaction: String,
        kind: ReplyKind,
    },
    /// Something Janus tells a handle by itself (publishers coming and going, a new
    /// offer after the subscription changed, being kicked).
    Event {
        handle: u64,
        data: Value,
        jsep: Option<Value>,
    },
    /// A handle's PeerConnection is up (`webrtcup`) or went down (`hangup`).
    WebrtcUp {
        handle: u64,
    },
    Hangup {
        handle: u64,
        reason: String,
    },
    /// The session timed out on Janus's side (keep-alives stopped).
    SessionTimeout,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    Ack,
    Success,
    Error,
    Event,
}

fn handle_of(v: &Value) -> u64 {
    v.get("sender").and_then(Value::as_u64).unwrap_or(0)
}

pub fn classify(v: &Value) -> Incoming {
    let transaction = v
        .get("transaction")
        .and_then(Value::as_str)
        .map(str::to_string);
    let janus = v.get("janus").and_then(Value::as_str).unwrap_or("");
    let reply = |kind| {
        transaction
            .clone()
            .map(|transaction| Incoming::Reply { transaction, kind })
    };
    match janus {
        "ack" => reply(ReplyKind::Ack).unwrap_or(Incoming::Other),
        "success" => reply(ReplyKind::Success).unwrap_or(Incoming::Other),
        "error" => reply(ReplyKind::Error).unwrap_or(Incoming::Other),
        // Asynchronous plugin answers carry our transaction; spontaneous events don't.
        "event" => reply(ReplyKind::Event).unwrap_or_else(|| Incoming::Event {
            handle: handle_of(v),
            data: plugin_data(v).cloned().unwrap_or(Value::Null),
            jsep: v.get("jsep").cloned(),
        }),
        "webrtcup" => Incoming::WebrtcUp {
            handle: handle_of(v),
        },
        "hangup" => Incoming::Hangup {
            handle: handle_of(v),
            reason: v
                .get("reason")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        },
        "timeout" => Incoming::SessionTimeout,
        _ => Incoming::Other,
    }
}

pub fn plugin_data(v: &Value) -> Option<&Value> {
    v.get("plugindata").and_then(|p| p.get("data"))
}

/// A core error (`{"janus":"error"}`) or a plugin error inside an event/success.
pub fn error_of(v: &Value) -> Option<(i64, String)> {
    if let Some(e) = v.get("error").filter(|_| v["janus"] == "error") {
        return Some((
            e.get("code").and_then(Value::as_i64).unwrap_or(0),
            e.get("reason")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        ));
    }
    let data = plugin_data(v)?;
    let reason = data.get("error")?.as_str().unwrap_or("").to_string();
    Some((
        data.get("error_code").and_then(Value::as_i64).unwrap_or(0),
        reason,
    ))
}

/// The new id in an answer to `create` or `attach`.
pub fn created_id(v: &Value) -> Option<u64> {
    v.get("data")?.get("id")?.as_u64()
}

/// One stream a publisher sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedStream {
    pub mid: String,
    pub video: bool,
    pub kind: StreamKind,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    pub feed: String,
    pub streams: Vec<PublishedStream>,
}

fn feed_id(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `publishers` list of a `joined` or `event` (each entry is a publisher's whole
/// current list of streams).
pub fn publishers(data: &Value) -> Vec<Publisher> {
    let Some(list) = data.get("publishers").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|p| {
            let feed = feed_id(p.get("id")?)?;
            let streams = p
                .get("streams")
                .and_then(Value::as_array)
                .map(|s| s.iter().filter_map(published_stream).collect())
                .unwrap_or_default();
            Some(Publisher { feed, streams })
        })
        .collect()
}

fn published_stream(s: &Value) -> Option<PublishedStream> {
    let mid = s.get("mid")?.as_str()?.to_string();
    let kind = s.get("type")?.as_str()?;
    if kind != "audio" && kind != "video" {
        return None; // data channels
    }
    let screen = s.get("description").and_then(Value::as_str) == Some(SCREEN_DESCRIPTION);
    Some(PublishedStream {
        mid,
        video: kind == "video",
        kind: if screen {
            StreamKind::Screen
        } else {
            StreamKind::Camera
        },
        disabled: s.get("disabled").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// A feed that stopped publishing or left (`unpublished` / `leaving`; "ok" is about
/// ourselves and is not a feed).
pub fn gone_feed(data: &Value) -> Option<String> {
    ["unpublished", "leaving"]
        .iter()
        .filter_map(|k| data.get(*k).and_then(feed_id))
        .find(|id| id != "ok")
}

/// We were kicked out of the room (or it was destroyed).
pub fn removed_from_room(data: &Value) -> bool {
    data.get("leaving").and_then(Value::as_str) == Some("ok")
        || data.get("videoroom").and_then(Value::as_str) == Some("destroyed")
        || data.get("reason").and_then(Value::as_str) == Some("kicked")
}

/// One m-line of our subscriber connection: which feed's which stream it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribedStream {
    pub mid: String,
    pub feed: String,
    pub feed_mid: String,
    pub active: bool,
}

/// The `streams` of an `attached` or `updated` subscriber event.
pub fn subscribed_streams(data: &Value) -> Vec<SubscribedStream> {
    let Some(list) = data.get("streams").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|s| {
            Some(SubscribedStream {
                mid: s.get("mid")?.as_str()?.to_string(),
                feed: feed_id(s.get("feed_id")?)?,
                feed_mid: s.get("feed_mid")?.as_str()?.to_string(),
                active: s.get("active").and_then(Value::as_bool).unwrap_or(true),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_carry_the_token_and_ids() {
        let m = message(
            1,
            2,
            "tok",
            json!({"request": "start"}),
            Some(jsep("answer", "v=0")),
        );
        assert_eq!(m["janus"], "message");
        assert_eq!(m["token"], "tok");
        assert_eq!(m["session_id"], 1);
        assert_eq!(m["handle_id"], 2);
        assert_eq!(m["jsep"]["type"], "answer");
        assert_eq!(trickle(1, 2, "t", None)["candidate"]["completed"], true);
        assert_eq!(attach(7, "t")["plugin"], VIDEOROOM);
    }

    #[test]
    fn joins_name_room_feed_pin_and_room_token() {
        let access = RoomAccess {
            room: "r".into(),
            feed: "f".into(),
            pin: "p".into(),
            room_token: "rt".into(),
        };
        let j = join_publisher(&access, "Ada");
        assert_eq!(
            (j["room"].as_str(), j["id"].as_str()),
            (Some("r"), Some("f"))
        );
        assert_eq!(
            (j["pin"].as_str(), j["token"].as_str()),
            (Some("p"), Some("rt"))
        );
        let s = join_subscriber(&access, Some(9), &[("a".into(), "0".into())]);
        assert_eq!(s["private_id"], 9);
        assert_eq!(s["streams"][0]["feed"], "a");
        let pause = configure_subscription("3", None);
        assert_eq!(pause["streams"][0]["send"], false);
        assert_eq!(
            configure_subscription("3", Some(0))["streams"][0]["substream"],
            0
        );
    }

    #[test]
    fn classifies_replies_and_events() {
        let ack = json!({"janus": "ack", "transaction": "t1"});
        assert_eq!(
            classify(&ack),
            Incoming::Reply {
                transaction: "t1".into(),
                kind: ReplyKind::Ack
            }
        );
        let spontaneous = json!({
            "janus": "event", "sender": 5,
            "plugindata": {"plugin": VIDEOROOM, "data": {"videoroom": "event", "unpublished": "p2"}}
        });
        let Incoming::Event { handle, data, jsep } = classify(&spontaneous) else {
            panic!("not an event")
        };
        assert_eq!((handle, jsep), (5, None));
        assert_eq!(gone_feed(&data).as_deref(), Some("p2"));
        assert_eq!(
            classify(&json!({"janus": "webrtcup", "sender": 3})),
            Incoming::WebrtcUp { handle: 3 }
        );
    }

    #[test]
    fn reads_errors_from_core_and_plugin() {
        let core = json!({"janus": "error", "error": {"code": 403, "reason": "Unauthorized"}});
        assert_eq!(error_of(&core), Some((403, "Unauthorized".into())));
        let plugin = json!({"janus": "event", "plugindata": {"data": {
            "videoroom": "event", "error_code": 433, "error": "Unauthorized (wrong token)"}}});
        assert_eq!(error_of(&plugin).map(|e| e.0), Some(433));
        assert_eq!(
            error_of(&json!({"janus": "success", "data": {"id": 4}})),
            None
        );
        assert_eq!(
            created_id(&json!({"janus": "success", "data": {"id": 4}})),
            Some(4)
        );
    }

    #[test]
    fn reads_publishers_and_their_screen() {
        let data = json!({"videoroom": "joined", "publishers": [
            {"id": "p1", "streams": [
                {"type": "audio", "mid": "0"},
                {"type": "video", "mid": "1", "description": "camera"},
                {"type": "video", "mid": "2", "description": "screen"},
                {"type": "data", "mid": "3"}
            ]},
            {"id": 42, "streams": []}
        ]});
        let list = publishers(&data);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].streams.len(), 3);
        assert_eq!(list[0].streams[2].kind, StreamKind::Screen);
        assert!(!list[0].streams[0].video);
        assert_eq!(list[1].feed, "42");
        assert_eq!(gone_feed(&json!({"leaving": "ok"})), None);
        assert!(removed_from_room(
            &json!({"leaving": "ok", "reason": "kicked"})
        ));
    }

    #[test]
    fn reads_subscribed_streams() {
        let data = json!({"videoroom": "attached", "streams": [
            {"mid": "0", "feed_id": "p1", "feed_mid": "1", "type": "video", "active": true},
            {"mid": "1", "feed_id": "p2", "feed_mid": "0", "type": "audio", "active": false},
            {"mid": "2", "type": "data"}
        ]});
        let s = subscribed_streams(&data);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].feed.as_str(), s[0].feed_mid.as_str()), ("p1", "1"));
        assert!(!s[1].active);
    }
}
