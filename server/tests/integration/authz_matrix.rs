//! The authorization matrix (issue #10, "Guards"): every route in the served OpenAPI
//! document is asked by each of five people, against real objects in a private channel,
//! and must answer as its rule in `RULES` says. A route without a rule fails the test by
//! name, so a new route cannot ship without someone deciding who may use it. Every
//! refusal is asked again with made-up ids and must not differ (no existence leak).
//!
//! Adding a route: add one line to `RULES` (method, path template, rule). If the route
//! needs an object the fixtures lack, add it to `Fixtures::build` and name it in
//! `Fixtures::param`; if it needs a body, add it to `body`.

use crate::common;

use std::collections::BTreeSet;

use common::*;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tandem_protocol::meetings::MeetingRequest;
use tandem_server::recordings::webm;
use uuid::Uuid;

/// Who is asking. The private channel's objects belong to `Member`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// No cookie.
    Anonymous,
    /// A guest of another meeting (in a public channel the fixtures' meeting is not in).
    Guest,
    /// A workspace member outside the private channel.
    Outsider,
    /// The private channel's member: made its messages, meeting, board, recording, ….
    Member,
    /// The workspace admin, not a member of the private channel.
    Admin,
}

const ROLES: [Role; 5] = [
    Role::Anonymous,
    Role::Guest,
    Role::Outsider,
    Role::Member,
    Role::Admin,
];

/// Who may use a route; `expect` turns it into a status per role.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, signed in or not (health, the document, sign-up, log-in, secret links).
    Public,
    /// Any live session, a guest's included (who am I, log out, the socket, ICE servers).
    Session,
    /// Any workspace member; a guest is refused with 403.
    Member,
    /// Workspace admins only: 403 for everyone else signed in.
    Admin,
    /// Something in the private channel (or the caller's own thing in it): its member
    /// only. Everyone else, the admin included, gets 404 so existence does not leak;
    /// a guest of another meeting gets 403 (the same for every id, so nothing leaks).
    Channel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The auth check passed: anything but 401/403/404/405, 429 or a server error (a
    /// 400/409/422 from a body the route does not like still proves access).
    Allowed,
    Status(u16),
}

fn expect(rule: Rule, role: Role) -> Expect {
    use Expect::*;
    match (rule, role) {
        (Rule::Public, _) => Allowed,
        (_, Role::Anonymous) => Status(401),
        (Rule::Session, _) => Allowed,
        (_, Role::Guest) => Status(403),
        (Rule::Member, _) => Allowed,
        (Rule::Admin, Role::Admin) => Allowed,
        (Rule::Admin, _) => Status(403),
        (Rule::Channel, Role::Member) => Allowed,
        (Rule::Channel, _) => Status(404),
    }
}

fn satisfied(expected: Expect, status: StatusCode) -> bool {
    match expected {
        Expect::Status(code) => status.as_u16() == code,
        Expect::Allowed => {
            !matches!(status.as_u16(), 401 | 403 | 404 | 405 | 429) && !status.is_server_error()
        }
    }
}

/// One line per route in the OpenAPI document: (method, path template, rule).
const RULES: &[(&str, &str, Rule)] = &[
    // meta and accounts
    ("GET", "/api/health", Rule::Public),
    ("GET", "/api/openapi.json", Rule::Public),
    ("GET", "/api/auth/signup-policy", Rule::Public),
    ("POST", "/api/auth/signup", Rule::Public),
    ("POST", "/api/auth/login", Rule::Public),
    ("POST", "/api/auth/logout", Rule::Session),
    ("GET", "/api/auth/me", Rule::Session),
    ("GET", "/api/auth/sessions", Rule::Member),
    ("DELETE", "/api/auth/sessions/{id}", Rule::Member),
    ("GET", "/api/users", Rule::Member),
    ("PATCH", "/api/users/me", Rule::Member),
    ("DELETE", "/api/users/{id}", Rule::Admin),
    ("GET", "/api/presence", Rule::Member),
    ("GET", "/api/workspace/settings", Rule::Member),
    ("PATCH", "/api/workspace/settings", Rule::Admin),
    ("GET", "/api/invites", Rule::Admin),
    ("POST", "/api/invites", Rule::Admin),
    ("DELETE", "/api/invites/{id}", Rule::Admin),
    ("GET", "/api/realtime/position", Rule::Session),
    ("GET", "/api/ws", Rule::Session),
    ("GET", "/api/rtc/ice-servers", Rule::Session),
    // channels and messages
    ("GET", "/api/channels", Rule::Member),
    ("POST", "/api/channels", Rule::Member),
    ("GET", "/api/channels/browse", Rule::Member),
    ("GET", "/api/channels/{id}", Rule::Channel),
    ("PATCH", "/api/channels/{id}", Rule::Channel),
    ("POST", "/api/channels/{id}/join", Rule::Channel),
    ("POST", "/api/channels/{id}/leave", Rule::Channel),
    ("GET", "/api/channels/{id}/members", Rule::Channel),
    ("POST", "/api/channels/{id}/members", Rule::Channel),
    ("GET", "/api/channels/{id}/messages", Rule::Channel),
    ("GET", "/api/channels/{id}/pins", Rule::Channel),
    ("GET", "/api/messages/{id}/thread", Rule::Channel),
    ("POST", "/api/direct", Rule::Member),
    ("GET", "/api/search", Rule::Member),
    ("POST", "/api/uploads", Rule::Member),
    ("GET", "/api/files/{id}/{name}", Rule::Channel),
    ("GET", "/api/scheduled", Rule::Member),
    ("POST", "/api/scheduled", Rule::Channel),
    ("PATCH", "/api/scheduled/{id}", Rule::Channel),
    ("DELETE", "/api/scheduled/{id}", Rule::Channel),
    // meetings, guests, recordings
    ("POST", "/api/channels/{id}/meetings", Rule::Channel),
    ("GET", "/api/channels/{id}/meetings/active", Rule::Channel),
    ("POST", "/api/channels/{id}/call", Rule::Channel),
    ("GET", "/api/meetings/{id}", Rule::Channel),
    ("GET", "/api/meetings/{id}/guest-invites", Rule::Channel),
    ("POST", "/api/meetings/{id}/guest-invites", Rule::Channel),
    ("DELETE", "/api/guest-invites/{id}", Rule::Channel),
    ("GET", "/api/guest/{token}", Rule::Public),
    ("POST", "/api/guest/{token}", Rule::Public),
    ("POST", "/api/meetings/{id}/recordings", Rule::Channel),
    ("GET", "/api/recordings", Rule::Member),
    ("GET", "/api/recordings/{id}", Rule::Channel),
    ("PATCH", "/api/recordings/{id}", Rule::Channel),
    ("DELETE", "/api/recordings/{id}", Rule::Channel),
    ("GET", "/api/recordings/{id}/upload", Rule::Channel),
    ("PUT", "/api/recordings/{id}/chunks/{index}", Rule::Channel),
    ("POST", "/api/recordings/{id}/finish", Rule::Channel),
    ("GET", "/api/recordings/{id}/media", Rule::Channel),
    ("GET", "/api/recordings/{id}/thumbnail", Rule::Channel),
    ("POST", "/api/recordings/{id}/thumbnail", Rule::Channel),
    ("GET", "/api/recordings/{id}/timeline", Rule::Channel),
    // whiteboards
    ("GET", "/api/channels/{id}/boards", Rule::Channel),
    ("POST", "/api/channels/{id}/boards", Rule::Channel),
    ("GET", "/api/boards/{id}", Rule::Channel),
    ("PATCH", "/api/boards/{id}", Rule::Channel),
    ("DELETE", "/api/boards/{id}", Rule::Channel),
    ("POST", "/api/meetings/{id}/board", Rule::Channel),
    ("GET", "/api/boards/{id}/state", Rule::Channel),
    ("GET", "/api/boards/{id}/ops", Rule::Channel),
    ("GET", "/api/boards/{id}/links", Rule::Channel),
    ("POST", "/api/boards/{id}/links", Rule::Channel),
    ("DELETE", "/api/boards/{id}/links/{link_id}", Rule::Channel),
    // Signed-in people only (a guest of the board's own meeting too).
    ("GET", "/api/board-links/{token}", Rule::Member),
    // the async bridge
    ("GET", "/api/inbox", Rule::Member),
    ("GET", "/api/users/me/schedule", Rule::Member),
    ("PUT", "/api/users/me/schedule", Rule::Member),
    ("GET", "/api/users/{id}/schedule", Rule::Member),
    ("GET", "/api/availability", Rule::Member),
    ("POST", "/api/messages/{id}/escalate", Rule::Channel),
    ("GET", "/api/meetings/{id}/summary", Rule::Channel),
    ("PUT", "/api/meetings/{id}/note", Rule::Channel),
    ("PATCH", "/api/action-items/{id}", Rule::Channel),
    ("GET", "/api/scheduled-meetings", Rule::Member),
    ("POST", "/api/scheduled-meetings", Rule::Channel),
    ("DELETE", "/api/scheduled-meetings/{id}", Rule::Channel),
    ("POST", "/api/scheduled-meetings/{id}/join", Rule::Channel),
    ("GET", "/api/schedule/day", Rule::Member),
    ("POST", "/api/messages/{id}/proposal", Rule::Channel),
    ("PUT", "/api/proposals/{id}/vote", Rule::Channel),
    ("POST", "/api/proposals/{id}/decide", Rule::Channel),
    ("POST", "/api/proposals/{id}/escalate", Rule::Channel),
    ("GET", "/api/channels/{id}/decisions", Rule::Channel),
    ("GET", "/api/decisions", Rule::Member),
    // Everyone; a member's per-person figures are only their own.
    ("GET", "/api/health-report", Rule::Member),
];

/// Routes that exist only in some builds (cargo features), so their rule may be unused.
const FEATURE_ONLY: &[(&str, &str)] = &[("POST", "/api/test/clock")];

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// Everything the routes are asked about, made through the API by the people who may.
struct Fixtures {
    cookies: Vec<(Role, Option<String>)>,
    member_id: Uuid,
    spare_user: Uuid,
    channel: Uuid,
    /// A second private channel of the member's, for "leave".
    leave_channel: Uuid,
    root: Uuid,
    upload: (Uuid, String),
    meeting: Uuid,
    guest_invite: (Uuid, String),
    spare_guest_invite: Uuid,
    recording: Uuid,
    spare_recording: Uuid,
    board: Uuid,
    spare_board: Uuid,
    link_token: String,
    spare_link: Uuid,
    send_later: Uuid,
    spare_send_later: Uuid,
    action_item: Uuid,
    planned_meeting: Uuid,
    spare_planned_meeting: Uuid,
    proposal: Uuid,
    spare_invite: Uuid,
    /// One unused sign-up invite per role.
    signup_invites: Vec<(Role, String)>,
    /// A second session per signed-in member role, for "sign out that device".
    spare_sessions: Vec<(Role, Uuid)>,
    later: i64,
    /// Sockets kept open so both meetings stay live (and the member hosts theirs).
    _sockets: Vec<Ws>,
}

async fn json_of(response: reqwest::Response, what: &str) -> Value {
    let status = response.status();
    assert!(status.is_success(), "fixture {what}: {status}");
    response.json().await.unwrap()
}

fn id(value: &Value) -> Uuid {
    value["id"].as_str().unwrap().parse().unwrap()
}

async fn put_bytes(client: &Client, path: &str, bytes: Vec<u8>, sha: bool) -> reqwest::Response {
    let mut request = client.http.put(client.url(path));
    if sha {
        use sha2::{Digest, Sha256};
        let digest = hex::encode(Sha256::digest(&bytes));
        request = request.header(tandem_protocol::recordings::CHUNK_CHECKSUM_HEADER, digest);
    }
    request.body(bytes).send().await.unwrap()
}

async fn spare_session(ts: &TestServer, email: &str) -> Uuid {
    let client = ts.client();
    json_of(client.login(email, PASSWORD).await, "log in").await;
    let sessions = json_of(client.get("/api/auth/sessions").await, "sessions").await;
    let current = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == json!(true))
        .unwrap();
    id(current)
}

/// A finished recording of `meeting`, started by `host`.
async fn record(host: &Client, meeting: Uuid) -> Uuid {
    let started = host
        .post(
            &format!("/api/meetings/{meeting}/recordings"),
            &json!({"mime_type": "video/webm;codecs=vp8,opus"}),
        )
        .await;
    let recording = id(&json_of(started, "start recording").await);
    let chunk = put_bytes(
        host,
        &format!("/api/recordings/{recording}/chunks/0"),
        webm::sample(1, 2, 10),
        true,
    )
    .await;
    json_of(chunk, "chunk").await;
    let done = host
        .post(&format!("/api/recordings/{recording}/finish"), &json!({}))
        .await;
    json_of(done, "finish").await;
    recording
}

impl Fixtures {
    async fn build(ts: &TestServer) -> Fixtures {
        let (admin, _) = ts.admin().await;
        let (member, member_user) = ts.member(&admin, "Mia Member", "mia@example.com").await;
        let (outsider, _) = ts.member(&admin, "Otto Outsider", "otto@example.com").await;
        let (_spare, spare_user) = ts.member(&admin, "Sam Spare", "sam@example.com").await;
        let later = tandem_server::db::now_ms() + 2 * 24 * 60 * 60 * 1000;

        // The guest's meeting: in a public channel, hosted by the admin.
        let lobby = admin.create_channel("lobby", "public", &[]).await;
        let lobby_meeting = admin.start_meeting(lobby.id).await;
        let mut admin_ws = admin.live_ws().await;
        admin_ws.join(lobby_meeting.id).await;
        let lobby_invite = admin
            .post(
                &format!("/api/meetings/{}/guest-invites", lobby_meeting.id),
                &json!({"expires_in_minutes": 60}),
            )
            .await;
        let lobby_token = json_of(lobby_invite, "lobby guest invite").await["token"]
            .as_str()
            .unwrap()
            .to_string();
        let guest = ts.client();
        let joined = guest
            .post(
                &format!("/api/guest/{lobby_token}"),
                &json!({"display_name": "Gail Guest"}),
            )
            .await;
        json_of(joined, "guest joins").await;

        // The private channel and everything in it, made by its member.
        let channel = member.create_channel("matrix", "private", &[]).await.id;
        let leave_channel = member.create_channel("leaving", "private", &[]).await.id;
        let upload = member
            .http
            .post(member.url("/api/uploads?name=notes.txt"))
            .header(CONTENT_TYPE, "text/plain")
            .body("hello")
            .send()
            .await
            .unwrap();
        let upload = json_of(upload, "upload").await;
        let mut ws = member.live_ws().await;
        let command = tandem_protocol::ws::Command::SendMessage {
            channel_id: channel,
            body: "the root".into(),
            thread_root_id: None,
            also_to_channel: false,
            attachment_ids: vec![id(&upload)],
            urgency: None,
        };
        ws.send(&tandem_protocol::ws::ClientFrame::Command {
            id: Uuid::new_v4(),
            command,
        })
        .await;
        let root = ws.posted().await.id;
        ws.ok(tandem_protocol::ws::Command::SendMessage {
            channel_id: channel,
            body: "a reply".into(),
            thread_root_id: Some(root),
            also_to_channel: false,
            attachment_ids: vec![],
            urgency: None,
        })
        .await;

        let meeting = member.start_meeting(channel).await.id;
        ws.meeting(MeetingRequest::Join {
            meeting_id: meeting,
            media: Default::default(),
        })
        .await;
        ws.notice().await;
        let invite_of = |response| async move {
            let v = json_of(response, "guest invite").await;
            (id(&v), v["token"].as_str().unwrap().to_string())
        };
        let guest_invites = format!("/api/meetings/{meeting}/guest-invites");
        let link = json!({"expires_in_minutes": 60});
        let guest_invite = invite_of(member.post(&guest_invites, &link).await).await;
        let spare_guest_invite = invite_of(member.post(&guest_invites, &link).await).await.0;
        let recording = record(&member, meeting).await;
        let thumbnail = member
            .http
            .post(member.url(&format!("/api/recordings/{recording}/thumbnail")))
            .body(PNG.to_vec())
            .send()
            .await
            .unwrap();
        assert!(thumbnail.status().is_success(), "thumbnail");
        let spare_recording = record(&member, meeting).await;

        let boards = format!("/api/channels/{channel}/boards");
        let board = id(&json_of(member.post(&boards, &json!({"title": "B"})).await, "board").await);
        let spare_board =
            id(&json_of(member.post(&boards, &json!({"title": "S"})).await, "board").await);
        let links = format!("/api/boards/{board}/links");
        let made = json_of(member.post(&links, &link).await, "board link").await;
        let link_token = made["token"].as_str().unwrap().to_string();
        let spare_link = id(&json_of(
            member
                .post(&links, &json!({"expires_in_minutes": 60}))
                .await,
            "board link",
        )
        .await);

        let send_later_body = json!({"channel_id": channel, "body": "later", "send_at": later});
        let send_later = id(&json_of(
            member.post("/api/scheduled", &send_later_body).await,
            "sched",
        )
        .await);
        let spare_send_later = id(&json_of(
            member.post("/api/scheduled", &send_later_body).await,
            "sched",
        )
        .await);

        let note = json!({"text": "n", "action_items": [
            {"text": "do it", "owner_id": member_user.id, "due_at": later}]});
        let note = json_of(
            common::bridge::put(&member, &format!("/api/meetings/{meeting}/note"), &note).await,
            "note",
        )
        .await;
        let action_item = id(&note["action_items"][0]);

        let planned = json!({"channel_id": channel, "title": "Plan",
            "participant_ids": [member_user.id], "start_at": later, "duration_minutes": 30});
        let planned_of = |response| async move { id(&json_of(response, "planned").await) };
        let planned_meeting =
            planned_of(member.post("/api/scheduled-meetings", &planned).await).await;
        let spare_planned_meeting =
            planned_of(member.post("/api/scheduled-meetings", &planned).await).await;

        let proposal = json!({"question": "Ship?", "owner_id": member_user.id, "deadline": later});
        let proposal = member
            .post(&format!("/api/messages/{root}/proposal"), &proposal)
            .await;
        let proposal = id(&json_of(proposal, "proposal").await);

        let spare_invite = admin.create_invite(24).await.invite.id;
        let mut signup_invites = Vec::new();
        for role in ROLES {
            signup_invites.push((role, admin.create_invite(24).await.token));
        }
        let spare_sessions = vec![
            (Role::Outsider, spare_session(ts, "otto@example.com").await),
            (Role::Member, spare_session(ts, "mia@example.com").await),
            (Role::Admin, spare_session(ts, "ada@example.com").await),
        ];

        Fixtures {
            cookies: vec![
                (Role::Anonymous, None),
                (Role::Guest, guest.cookie()),
                (Role::Outsider, outsider.cookie()),
                (Role::Member, member.cookie()),
                (Role::Admin, admin.cookie()),
            ],
            member_id: member_user.id,
            spare_user: spare_user.id,
            channel,
            leave_channel,
            root,
            upload: (id(&upload), upload["name"].as_str().unwrap().to_string()),
            meeting,
            guest_invite,
            spare_guest_invite,
            recording,
            spare_recording,
            board,
            spare_board,
            link_token,
            spare_link,
            send_later,
            spare_send_later,
            action_item,
            planned_meeting,
            spare_planned_meeting,
            proposal,
            spare_invite,
            signup_invites,
            spare_sessions,
            later,
            _sockets: vec![admin_ws, ws],
        }
    }

    fn cookie(&self, role: Role) -> Option<&str> {
        let (_, cookie) = self.cookies.iter().find(|(r, _)| *r == role).unwrap();
        cookie.as_deref()
    }

    /// The value of `{name}` in `template`. A DELETE (or "leave") gets a spare object, so
    /// the objects the other routes are asked about survive.
    fn param(&self, method: &Method, template: &str, name: &str, role: Role) -> String {
        let deleting = *method == Method::DELETE;
        let segments: Vec<&str> = template.split('/').collect();
        let at = segments
            .iter()
            .position(|s| *s == format!("{{{name}}}"))
            .unwrap();
        let collection = segments[at - 1];
        let value = match (collection, name) {
            ("sessions", _) => {
                let own = self.spare_sessions.iter().find(|(r, _)| *r == role);
                own.map_or(Uuid::nil(), |(_, id)| *id).to_string()
            }
            ("users", _) => self.spare_user.to_string(),
            ("invites", _) => self.spare_invite.to_string(),
            ("channels", _) if template.ends_with("/leave") => self.leave_channel.to_string(),
            ("channels", _) => self.channel.to_string(),
            ("messages", _) => self.root.to_string(),
            ("files", _) => self.upload.0.to_string(),
            (_, "name") => self.upload.1.clone(),
            ("scheduled", _) if deleting => self.spare_send_later.to_string(),
            ("scheduled", _) => self.send_later.to_string(),
            ("meetings", _) => self.meeting.to_string(),
            ("guest-invites", _) => self.spare_guest_invite.to_string(),
            ("guest", _) => self.guest_invite.1.clone(),
            ("recordings", _) if deleting => self.spare_recording.to_string(),
            ("recordings", _) => self.recording.to_string(),
            ("chunks", _) => "0".to_string(),
            ("boards", _) if deleting && name == "id" && !template.contains("/links") => {
                self.spare_board.to_string()
            }
            ("boards", _) => self.board.to_string(),
            ("links", _) => self.spare_link.to_string(),
            ("board-links", _) => self.link_token.clone(),
            ("action-items", _) => self.action_item.to_string(),
            ("scheduled-meetings", _) if deleting => self.spare_planned_meeting.to_string(),
            ("scheduled-meetings", _) => self.planned_meeting.to_string(),
            ("proposals", _) => self.proposal.to_string(),
            _ => panic!("no fixture for {{{name}}} in {template}: add one to Fixtures::param"),
        };
        value
    }

    /// The concrete path; with `phantom`, every id in it names nothing.
    fn path(&self, method: &Method, template: &str, role: Role, phantom: bool) -> String {
        let mut path = String::new();
        for segment in template.split('/').skip(1) {
            path.push('/');
            match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => {
                    let value = self.param(method, template, name, role);
                    let value = match phantom {
                        true if value.parse::<Uuid>().is_ok() => Uuid::new_v4().to_string(),
                        _ => value,
                    };
                    path.push_str(&value)
                }
                None => path.push_str(segment),
            }
        }
        path + query(template)
    }
}

/// Required query strings, so a missing one cannot answer 400 in place of the rule.
fn query(template: &str) -> &'static str {
    match template {
        "/api/search" => "?q=root",
        "/api/decisions" => "?q=ship",
        "/api/uploads" => "?name=more.txt",
        "/api/schedule/day" => "?date=2026-12-08&time_zone=UTC",
        "/api/health-report" => "?from=1700000000000&to=1700600000000",
        _ => "",
    }
}

enum Body {
    None,
    Json(Value),
    Bytes(&'static str, Vec<u8>),
}

/// A body the route accepts when the caller may use it.
fn body(method: &Method, template: &str, role: Role, fx: &Fixtures) -> Body {
    if *method == Method::GET || *method == Method::DELETE {
        return Body::None;
    }
    let tag = format!("{role:?}").to_lowercase();
    Body::Json(match template {
        "/api/auth/signup" => {
            let (_, token) = fx.signup_invites.iter().find(|(r, _)| *r == role).unwrap();
            json!({"display_name": format!("New {tag}"), "email": format!("{tag}@new.example"),
                "password": PASSWORD, "invite_token": token})
        }
        "/api/auth/login" => json!({"email": "sam@example.com", "password": PASSWORD}),
        "/api/auth/logout" | "/api/channels/{id}/join" | "/api/channels/{id}/leave" => {
            return Body::None
        }
        "/api/users/me" => json!({"time_zone": "UTC"}),
        "/api/users/me/schedule" => json!({"time_zone": "UTC",
            "working_hours": [], "focus_blocks": []}),
        "/api/workspace/settings" => json!({"open_signup": false}),
        "/api/invites" => json!({"expires_in_hours": 24}),
        "/api/channels" => json!({"name": format!("by-{tag}"), "kind": "public"}),
        "/api/channels/{id}" => json!({"topic": "matrix"}),
        "/api/channels/{id}/members" | "/api/direct" => json!({"user_ids": [fx.spare_user]}),
        "/api/channels/{id}/boards" => json!({"title": format!("by {tag}")}),
        "/api/boards/{id}" => json!({"title": "renamed"}),
        "/api/boards/{id}/links" | "/api/meetings/{id}/guest-invites" => {
            json!({"expires_in_minutes": 60})
        }
        "/api/guest/{token}" => json!({"display_name": format!("Guest {tag}")}),
        "/api/meetings/{id}/recordings" => json!({"mime_type": "video/webm;codecs=vp8,opus"}),
        "/api/recordings/{id}" => json!({"title": "renamed"}),
        "/api/recordings/{id}/chunks/{index}" => {
            return Body::Bytes("application/octet-stream", webm::sample(1, 2, 10))
        }
        "/api/recordings/{id}/thumbnail" => return Body::Bytes("image/png", PNG.to_vec()),
        "/api/uploads" => return Body::Bytes("text/plain", b"more".to_vec()),
        "/api/scheduled" => json!({"channel_id": fx.channel, "body": "b", "send_at": fx.later}),
        "/api/scheduled/{id}" => json!({"body": "edited"}),
        "/api/meetings/{id}/note" => json!({"text": "note"}),
        "/api/action-items/{id}" => json!({"done": true}),
        "/api/scheduled-meetings" => json!({"channel_id": fx.channel, "title": "Plan",
            "participant_ids": [fx.member_id], "start_at": fx.later, "duration_minutes": 30}),
        "/api/messages/{id}/proposal" => {
            json!({"question": "Again?", "owner_id": fx.member_id, "deadline": fx.later})
        }
        "/api/proposals/{id}/vote" => json!({"vote": "agree"}),
        "/api/proposals/{id}/decide" => json!({"decision": "yes"}),
        _ => json!({}),
    })
}

/// Reads first, then changes, then deletions, and signing out last of all, so no
/// request takes away what a later one is asked about.
fn order(method: &str, path: &str) -> (u8, String) {
    let rank = match method {
        _ if path == "/api/auth/logout" => 4,
        "GET" => 0,
        "PATCH" | "PUT" => 1,
        "POST" => 2,
        _ => 3,
    };
    (rank, path.to_string())
}

async fn ask(
    http: &reqwest::Client,
    base: &str,
    method: &Method,
    template: &str,
    role: Role,
    fx: &Fixtures,
    phantom: bool,
) -> StatusCode {
    let path = fx.path(method, template, role, phantom);
    let mut headers = HeaderMap::new();
    if let Some(cookie) = fx.cookie(role) {
        headers.insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
    }
    if template == "/api/ws" {
        // A real upgrade request, so the answer is the auth decision, not "not a socket".
        for (name, value) in [
            ("connection", "upgrade"),
            ("upgrade", "websocket"),
            ("sec-websocket-version", "13"),
            ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    let mut request = http
        .request(method.clone(), format!("{base}{path}"))
        .headers(headers);
    request = match body(method, template, role, fx) {
        Body::None => request,
        Body::Json(value) => request.json(&value),
        Body::Bytes(kind, bytes) => request.header(CONTENT_TYPE, kind).body(bytes),
    };
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_its_rule_says() {
    let ts = spawn_with(|c| c.meeting_empty_grace_secs = 3600).await;
    let fx = Fixtures::build(&ts).await;
    // No cookie store: each request carries exactly its role's cookie, and a log-in or
    // guest join answered to one role cannot change who the next request is.
    let http = reqwest::Client::new();
    let base = ts.server.url();

    let doc: Value = json_of(
        http.get(ts.url("/api/openapi.json")).send().await.unwrap(),
        "doc",
    )
    .await;
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(
        routes.len() > 50,
        "the document lists only {} routes",
        routes.len()
    );
    routes.sort_by_key(|(m, p)| order(m, p));

    let mut failures = Vec::new();
    let mut documented = BTreeSet::new();
    for (method, path) in &routes {
        documented.insert((method.as_str(), path.as_str()));
        let Some((_, _, rule)) = RULES
            .iter()
            .find(|(m, p, _)| *m == method.as_str() && *p == path.as_str())
        else {
            failures.push(format!(
                "{method} {path}: no rule in RULES (add one: who may use it?)"
            ));
            continue;
        };
        let verb: Method = method.parse().unwrap();
        // Refusals first: an allowed DELETE or "leave" must not make a later refusal
        // a mere "it is gone" 404.
        let mut roles = ROLES;
        roles.sort_by_key(|role| expect(*rule, *role) == Expect::Allowed);
        for role in roles {
            let expected = expect(*rule, role);
            let status = ask(&http, &base, &verb, path, role, &fx, false).await;
            if !satisfied(expected, status) {
                failures.push(format!(
                    "{method} {path} as {role:?} ({rule:?}): got {status}, want {expected:?}"
                ));
            }
            // A refusal must not tell a real object from a made-up id. (Not for secret
            // tokens: whoever holds one already knows what it names.)
            if expected != Expect::Allowed && path.contains('{') && !path.contains("{token}") {
                let phantom = ask(&http, &base, &verb, path, role, &fx, true).await;
                if phantom != status {
                    failures.push(format!(
                        "{method} {path} as {role:?}: {status} for the real object but \
                         {phantom} for a made-up id (existence leaks)"
                    ));
                }
            }
        }
    }
    for (method, path, _) in RULES {
        let optional = FEATURE_ONLY.contains(&(*method, *path));
        if !optional && !documented.contains(&(*method, *path)) {
            failures.push(format!(
                "{method} {path}: has a rule but is not in the document"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} authorization mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
