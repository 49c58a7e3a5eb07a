//! Real `tandem-server` processes on one Postgres database, one of them killed with
//! SIGKILL in the middle of traffic. Two people post to a channel back to back, each
//! through a different node; four read it, spread over the three nodes. Once both
//! senders have had posts acknowledged, node `b` is killed right after a commit (often
//! one of its own whose ack is not out yet): its readers resume on a surviving node from
//! the last seq they hold, and its sender goes on there, sending the post whose ack was
//! lost again under the same command id (the idempotency key). In the end every reader
//! must have seen every acknowledged post exactly once, at the seq its ack gave, in seq
//! order.
//!
//! Needs Postgres (SQLite belongs to one process): without `TANDEM_TEST_DATABASE_URL`
//! it says so and returns; scripts/test-postgres.sh runs it for real.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command as Process, ExitStatus, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::future::join_all;
use futures::SinkExt;
use sqlx::postgres::PgListener;
use tandem_protocol::api::User;
use tandem_protocol::ws::{ClientFrame, Event, EventEnvelope, ServerFrame};
use tandem_protocol::Seq;
use tandem_server::realtime::sequencer;
use tokio::sync::{oneshot, watch};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

use crate::common::{self, send_message, Client, Received, TestDatabase, Ws, SETUP_CODE};

/// Posts each sender makes.
const PER_SENDER: usize = 40;
/// The kill waits until each sender has had this many posts acknowledged by its node.
const BEFORE_KILL: usize = 10;
/// Each sender's last this many posts are sent only after the kill.
const AFTER_KILL: usize = 15;
/// Where a sender waits for the kill if it has not happened yet.
const GATE: usize = PER_SENDER - AFTER_KILL;
const SENDERS: usize = 2;
/// The sender whose node is not killed.
const SURVIVOR: usize = 0;
/// Posted once all senders are done: a reader that has it has everything before it.
const END: &str = "end of traffic";
const START_TIMEOUT: Duration = Duration::from_secs(30);
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(120);
const LISTENING: &str = "Tandem listening on ";

#[tokio::test]
async fn a_node_killed_mid_traffic_loses_and_repeats_nothing() {
    if common::database::postgres_server().is_none() {
        eprintln!("several nodes need Postgres: scripts/test-postgres.sh runs this test");
        return;
    }
    let database = TestDatabase::new().await;
    let database_url = database.url().expect("a Postgres database");
    let data_dir = tempfile::tempdir().expect("temp dir");
    // Declared after the database and the directory, so killed before they go. Started
    // one by one: the first creates the tables, the others find them.
    let a = Node::start("a", data_dir.path(), &database_url).await;
    let mut b = Node::start("b", data_dir.path(), &database_url).await;
    let c = Node::start("c", data_dir.path(), &database_url).await;
    let started = Instant::now();
    tokio::time::timeout(SCENARIO_TIMEOUT, scenario(&a, &mut b, &c, &database_url))
        .await
        .unwrap_or_else(|_| panic!("the scenario did not finish in {SCENARIO_TIMEOUT:?}"));
    eprintln!("scenario done in {:?}", started.elapsed());
}

async fn scenario(a: &Node, b: &mut Node, c: &Node, database_url: &str) {
    let (ada, _) = admin(a).await;
    let (bo, bo_user) = member(&ada, b, "Bo").await;
    let (cy, cy_user) = member(&ada, a, "Cy").await;
    let (di, di_user) = member(&ada, b, "Di").await;
    let (ed, ed_user) = member(&ada, b, "Ed").await;
    let (flo, flo_user) = member(&ada, c, "Flo").await;
    let people = [bo_user, cy_user, di_user, ed_user, flo_user].map(|u| u.id);
    let room = ada.create_channel("room", "public", &people).await;
    let closer = on(&ada, c);

    let (killed_tx, killed) = watch::channel(false);
    let acked = watch::Sender::new(Acked::default());
    let readers = [
        Reader::new("cy", cy, None, &killed),
        Reader::new("di", on(&di, b), Some(on(&di, a)), &killed),
        Reader::new("ed", on(&ed, b), Some(on(&ed, c)), &killed),
        Reader::new("flo", flo, None, &killed),
    ];
    // Live before the first post, so each socket sees all of the traffic.
    let mut sockets = Vec::new();
    for reader in &readers {
        sockets.push(reader.client.live_ws().await);
    }
    let senders = [
        Sender::new(0, "ada", ada, None),
        Sender::new(1, "bo", on(&bo, b), Some(on(&bo, c))),
    ];
    let traffic = Traffic {
        room: room.id,
        acked: &acked,
        killed: killed.clone(),
    };
    let commits = listen_for_commits(database_url).await;

    let reading = join_all(readers.into_iter().zip(sockets).map(|(r, ws)| r.run(ws)));
    let sending = async {
        let sending = join_all(senders.into_iter().map(|s| s.run(&traffic)));
        let (sent, kill) = tokio::join!(sending, kill_mid_traffic(b, commits, &acked, &killed_tx));
        let end = post_end(&closer, room.id).await;
        (sent, kill, end)
    };
    let (read, (sent, (status, killed_at), end)) = tokio::join!(reading, sending);

    assert_eq!(
        status.signal(),
        Some(9),
        "node b ended by SIGKILL: {status:?}"
    );
    check_senders(&sent);
    let expected = acknowledged(&sent, end);
    for reader in &read {
        check_reader(reader, &expected);
    }
    report(&sent, &read, killed_at);
}

// ---- nodes ----

/// One `tandem-server` process. Dropping it kills and reaps the process, so no node
/// outlives the test, whichever assertion fails.
struct Node {
    name: &'static str,
    url: String,
    child: Child,
}

impl Node {
    /// Starts a node and waits until it says where it listens (after its migrations).
    async fn start(name: &'static str, data_dir: &Path, database_url: &str) -> Node {
        let mut child = Process::new(env!("CARGO_BIN_EXE_tandem-server"))
            .args(["--addr", "127.0.0.1:0", "--setup-code", SETUP_CODE])
            .arg("--database-url")
            .arg(database_url)
            .arg("--data-dir")
            .arg(data_dir)
            // Senders post back to back; the default 10 a second per socket would refuse.
            .args([
                "--ws-commands-per-sec",
                "10000",
                "--ws-command-burst",
                "10000",
            ])
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start tandem-server");
        let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
        // The guard exists before anything can fail.
        let mut node = Node {
            name,
            url: String::new(),
            child,
        };
        let (listening, url) = oneshot::channel();
        forward(name, stdout.expect("piped stdout"), Some(listening));
        forward(name, stderr.expect("piped stderr"), None);
        node.url = tokio::time::timeout(START_TIMEOUT, url)
            .await
            .unwrap_or_else(|_| panic!("node {name} did not listen within {START_TIMEOUT:?}"))
            .unwrap_or_else(|_| panic!("node {name} exited before listening (output above)"));
        node
    }

    /// SIGKILL (what `Child::kill` sends on Unix): no shutdown of any kind, as in a
    /// crash or an OOM kill. Returns once the process is gone.
    fn kill_hard(&mut self) -> ExitStatus {
        let name = self.name;
        let killed = self.child.kill().and_then(|()| self.child.wait());
        killed.unwrap_or_else(|err| panic!("could not SIGKILL node {name}: {err}"))
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // After `kill_hard` both are no-ops; nothing here could be done about an error.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Copies a node's output into the test's (shown when it fails), on a thread of its
/// own so the pipe never fills up and blocks the node; hands the URL of the
/// "listening" line to `listening`.
fn forward(
    name: &'static str,
    output: impl Read + Send + 'static,
    mut listening: Option<oneshot::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if let Some(url) = line.strip_prefix(LISTENING) {
                if let Some(listening) = listening.take() {
                    let _ = listening.send(url.trim().to_string());
                }
            }
            eprintln!("[node {name}] {line}");
        }
    });
}

/// Kills `node` once every sender has had `BEFORE_KILL` posts acknowledged, and
/// tells the senders; returns how the node ended and when (ms since the epoch, as
/// events' `at`). Runs on the senders' task, between two of their steps, so an ack
/// they saw before `killed` turned true was committed before the kill.
///
/// The moment aims at the case retries are for. It is armed by an ack of the sender
/// whose node survives, whose commit let the other's post, waiting for the write lock,
/// go on; it fires on the next commit anywhere, which `commits` hears of (NOTIFY) about
/// as soon as the committing node does, before that node has read the event back and
/// acknowledged it. So the killed node's sender often loses the ack of a post that did
/// commit, and at other times the kill catches a post before its commit.
async fn kill_mid_traffic(
    node: &mut Node,
    mut commits: PgListener,
    acked: &watch::Sender<Acked>,
    killed: &watch::Sender<bool>,
) -> (ExitStatus, i64) {
    let mut acks = acked.subscribe();
    let mut armed = false;
    loop {
        tokio::select! {
            heard = commits.recv() => {
                heard.expect("commit notifications");
                if armed {
                    break;
                }
            }
            changed = acks.changed() => {
                changed.expect("the ack counts stay");
                let acked = acks.borrow_and_update();
                // Both waiting for the kill: no commit is coming, kill now.
                if acked.counts.iter().all(|&n| n >= GATE) {
                    break;
                }
                // (If the survivor waits for the kill already, any ack arms.)
                let survivor_acked = acked.latest == SURVIVOR || acked.counts[SURVIVOR] >= GATE;
                armed |= survivor_acked && acked.counts.iter().all(|&n| n >= BEFORE_KILL);
            }
        }
    }
    let at = now_ms();
    let status = node.kill_hard();
    killed.send_replace(true);
    (status, at)
}

/// Hears of every commit of events on the database (each node's append NOTIFYs).
async fn listen_for_commits(database_url: &str) -> PgListener {
    let mut listener = PgListener::connect(database_url)
        .await
        .expect("connect to listen");
    listener.listen(sequencer::CHANNEL).await.expect("LISTEN");
    listener
}

fn now_ms() -> i64 {
    let since_epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(since_epoch.as_millis()).unwrap()
}

// ---- people ----

/// A new person's browser, pointed at `node`.
fn browser(node: &Node) -> Client {
    Client::new(node.url.clone(), Some(SETUP_CODE.into()))
}

/// The same person, talking to another node (cookies are per host, not port).
fn on(client: &Client, node: &Node) -> Client {
    Client {
        http: client.http.clone(),
        jar: client.jar.clone(),
        base: node.url.clone(),
        setup_code: None,
    }
}

async fn admin(node: &Node) -> (Client, User) {
    let client = browser(node);
    let user = client.signup_ok("Ada", "ada@example.com", None).await;
    (client, user)
}

/// Signs up `name` on `node` with an invite from `admin`.
async fn member(admin: &Client, node: &Node, name: &str) -> (Client, User) {
    let invite = admin.create_invite(24).await;
    let client = browser(node);
    let email = format!("{}@example.com", name.to_lowercase());
    let user = client.signup_ok(name, &email, Some(&invite.token)).await;
    (client, user)
}

// ---- senders ----

/// What the senders share: where to post, their ack counts, and whether the kill is
/// done.
struct Traffic<'a> {
    room: Uuid,
    acked: &'a watch::Sender<Acked>,
    killed: watch::Receiver<bool>,
}

/// Posts acknowledged so far, per sender, and whose ack came last.
#[derive(Default)]
struct Acked {
    counts: [usize; SENDERS],
    latest: usize,
}

/// Someone posting back to back over their WebSocket, each post with a command id of
/// its own: the API's idempotency key, recognised on every node (a retry is
/// acknowledged with the seq of the post it repeats).
struct Sender {
    index: usize,
    name: &'static str,
    client: Client,
    /// Where they go when their node dies (`None`: theirs is not the one killed).
    fallback: Option<Client>,
}

/// What one sender did.
struct Sent {
    name: &'static str,
    acks: Vec<Ack>,
    /// Posts sent again on another node because their ack was lost.
    resent: Vec<String>,
    switched: bool,
}

struct Ack {
    body: String,
    seq: Seq,
    /// Acknowledged before the kill (so committed before it).
    before_kill: bool,
    /// First sent after the kill (so committed after it).
    after_kill: bool,
}

impl Sender {
    fn new(index: usize, name: &'static str, client: Client, fallback: Option<Client>) -> Self {
        Sender {
            index,
            name,
            client,
            fallback,
        }
    }

    async fn run(mut self, traffic: &Traffic<'_>) -> Sent {
        let mut killed = traffic.killed.clone();
        let mut ws = self.client.live_ws().await;
        let mut sent = Sent {
            name: self.name,
            acks: Vec::new(),
            resent: Vec::new(),
            switched: false,
        };
        for n in 0..PER_SENDER {
            if n == GATE {
                // The rest go out after the kill, so traffic surely goes on past it.
                killed.wait_for(|k| *k).await.expect("the kill flag stays");
            }
            let body = format!("{} {n}", self.name);
            let id = Uuid::new_v4();
            let after_kill = *killed.borrow();
            let seq = loop {
                if let Some(seq) = post(&mut ws, id, traffic.room, &body).await {
                    break seq;
                }
                // It may or may not have committed: the same id on another node tells.
                ws = self.switch().await;
                sent.resent.push(body.clone());
                sent.switched = true;
            };
            traffic.acked.send_modify(|acked| {
                acked.counts[self.index] += 1;
                acked.latest = self.index;
            });
            let before_kill = !*killed.borrow();
            sent.acks.push(Ack {
                body,
                seq,
                before_kill,
                after_kill,
            });
        }
        sent
    }

    async fn switch(&mut self) -> Ws {
        let name = self.name;
        let fallback = self.fallback.take().unwrap_or_else(|| {
            panic!("{name}'s socket closed, but their node was not killed (or closed twice)")
        });
        self.client = fallback;
        self.client.live_ws().await
    }
}

/// Sends one post under `id` and waits for its ack; `None` if the socket dropped first
/// (the post may or may not have committed).
async fn post(ws: &mut Ws, id: Uuid, room: Uuid, body: &str) -> Option<Seq> {
    let frame = ClientFrame::Command {
        id,
        command: send_message(room, body),
    };
    let text = serde_json::to_string(&frame).unwrap();
    // Not `Ws::send`, which panics on a dead socket: a dead socket is expected here.
    ws.stream.send(Message::text(text)).await.ok()?;
    loop {
        match ws.next().await {
            Received::Close(_) => return None,
            Received::Frame(ServerFrame::Ack {
                command_id, seq, ..
            }) if command_id == id => return Some(seq),
            Received::Frame(ServerFrame::Error {
                command_id: Some(refused),
                code,
                message,
                ..
            }) if refused == id => panic!("post {body:?} refused: {code:?}: {message}"),
            // The channel's events come to senders too; the readers check those.
            Received::Frame(_) => {}
        }
    }
}

/// Posts `END` through a surviving node and returns its seq.
async fn post_end(closer: &Client, room: Uuid) -> Seq {
    let mut ws = closer.live_ws().await;
    ws.ok(send_message(room, END)).await.1
}

// ---- readers ----

/// Someone reading the channel as the app does: one socket, and when it drops, a new
/// one on a surviving node resumed from the last seq held.
struct Reader {
    name: &'static str,
    client: Client,
    /// Where they go when their node dies (`None`: theirs is not the one killed).
    fallback: Option<Client>,
    /// Connected to the node that is killed.
    doomed: bool,
    killed: watch::Receiver<bool>,
    /// Every event kept, in arrival order.
    kept: Vec<Kept>,
    last: Seq,
    /// The seq the second socket resumed from, once the first one dropped.
    resumed_from: Option<Seq>,
    /// Where the resumed socket's replay ended (its `replay_complete`): the new node's
    /// published head when the socket attached.
    replayed_to: Option<Seq>,
    /// Events that came again after the resume and were dropped as already held.
    redelivered: usize,
}

struct Kept {
    seq: Seq,
    id: Uuid,
    at: i64,
    /// A posted message's body.
    body: Option<String>,
}

impl Reader {
    fn new(
        name: &'static str,
        client: Client,
        fallback: Option<Client>,
        killed: &watch::Receiver<bool>,
    ) -> Self {
        Reader {
            name,
            client,
            doomed: fallback.is_some(),
            fallback,
            killed: killed.clone(),
            kept: Vec::new(),
            last: 0,
            resumed_from: None,
            replayed_to: None,
            redelivered: 0,
        }
    }

    /// Reads until the `END` post.
    async fn run(mut self, mut ws: Ws) -> Reader {
        loop {
            match ws.next().await {
                Received::Frame(ServerFrame::Event(envelope)) => {
                    if self.keep(envelope) {
                        return self;
                    }
                }
                Received::Frame(ServerFrame::ResyncRequired { reason }) => panic!(
                    "{}: told to resync ({reason:?}); resumed from {:?}",
                    self.name, self.resumed_from
                ),
                Received::Frame(ServerFrame::ReplayComplete { seq }) => {
                    self.replayed_to = Some(seq);
                }
                Received::Frame(_) => {}
                Received::Close(_) => ws = self.resume_elsewhere().await,
            }
        }
    }

    /// Keeps a new event, or drops one already held (see `redelivery`). Returns
    /// whether it was the `END` post.
    fn keep(&mut self, envelope: EventEnvelope) -> bool {
        if envelope.seq <= self.last {
            self.redelivery(&envelope);
            return false;
        }
        let body = match envelope.event {
            Event::MessagePosted { message } => {
                assert_eq!(message.seq, envelope.seq, "{}: message seq", self.name);
                Some(message.body)
            }
            _ => None,
        };
        let end = body.as_deref() == Some(END);
        self.last = envelope.seq;
        self.kept.push(Kept {
            seq: envelope.seq,
            id: envelope.id,
            at: envelope.at,
            body,
        });
        end
    }

    /// An event at or before the last seq held. The protocol allows one only after a
    /// resume from a seq past the new node's published head: the events between that
    /// head and the resume point then arrive live, after the (empty) replay, and the
    /// client drops them. It must be one it holds.
    fn redelivery(&mut self, envelope: &EventEnvelope) {
        let (name, seq, last) = (self.name, envelope.seq, self.last);
        let from = self.resumed_from.unwrap_or_else(|| {
            panic!("{name}: seq {seq} after {last} on its first socket: repeated or out of order")
        });
        let head = self.replayed_to.unwrap_or_else(|| {
            panic!("{name}: the replay after resuming from {from} repeated seq {seq}")
        });
        assert!(
            head < seq && seq <= from,
            "{name}: seq {seq} after {last} (resumed from {from}, replayed to {head}): \
             repeated or out of order"
        );
        let held = self.kept.iter().find(|kept| kept.seq == seq).map(|k| k.id);
        assert_eq!(
            held,
            Some(envelope.id),
            "{name}: seq {seq} came again after the resume, but not as the event it held"
        );
        self.redelivered += 1;
    }

    /// Its node is gone: a socket on a surviving node, resumed from the last seq held.
    async fn resume_elsewhere(&mut self) -> Ws {
        let name = self.name;
        assert!(
            *self.killed.borrow(),
            "{name}'s socket closed before any node was killed"
        );
        let fallback = self.fallback.take().unwrap_or_else(|| {
            panic!("{name}'s socket closed, but their node was not killed (or closed twice)")
        });
        self.client = fallback;
        self.resumed_from = Some(self.last);
        let mut ws = self.client.ws().await;
        ws.hello().await;
        let last_seq = Some(self.last);
        ws.send(&ClientFrame::Resume { last_seq }).await;
        ws
    }

    /// The posts kept (without `END`), with their seqs, in arrival order.
    fn posts(&self) -> Vec<(Seq, String)> {
        self.kept
            .iter()
            .filter_map(|kept| Some((kept.seq, kept.body.clone()?)))
            .filter(|(_, body)| body != END)
            .collect()
    }
}

// ---- checks ----

/// The kill really came mid-traffic: both senders had posts committed before it and
/// sent more after it, and only the killed node's sender had to move.
fn check_senders(sent: &[Sent]) {
    for sender in sent {
        let name = sender.name;
        let before = sender.acks.iter().filter(|ack| ack.before_kill).count();
        let after = sender.acks.iter().filter(|ack| ack.after_kill).count();
        assert_eq!(
            sender.acks.len(),
            PER_SENDER,
            "{name}: every post acknowledged"
        );
        assert!(
            before >= BEFORE_KILL,
            "{name}: {before} acked before the kill"
        );
        assert!(after >= AFTER_KILL, "{name}: {after} sent after the kill");
    }
    let (survivor, moved) = (&sent[SURVIVOR], &sent[1 - SURVIVOR]);
    assert!(
        !survivor.switched,
        "{}'s node was not killed",
        survivor.name
    );
    assert!(
        moved.switched,
        "{}'s node was killed, yet they never moved",
        moved.name
    );
}

/// Every acknowledged post with its seq, in seq order; checks `END` came after them.
fn acknowledged(sent: &[Sent], end: Seq) -> Vec<(Seq, String)> {
    let mut acks: Vec<(Seq, String)> = sent
        .iter()
        .flat_map(|sender| sender.acks.iter().map(|ack| (ack.seq, ack.body.clone())))
        .collect();
    acks.sort();
    assert!(
        acks.windows(2).all(|w| w[0].0 < w[1].0),
        "two posts acknowledged with one seq: {acks:?}"
    );
    let newest = acks.last().map_or(0, |(seq, _)| *seq);
    assert!(
        newest < end,
        "END ({end}) after every post (newest {newest})"
    );
    acks
}

/// One reader saw exactly the acknowledged posts: none lost, none twice, none it
/// should not have, each at its ack's seq, in seq order; and if its node was the one
/// killed, it resumed elsewhere in the middle of the traffic.
fn check_reader(reader: &Reader, expected: &[(Seq, String)]) {
    let name = reader.name;
    let seqs: Vec<Seq> = reader.kept.iter().map(|kept| kept.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "{name}: seqs not strictly increasing: {seqs:?}"
    );
    let posts = reader.posts();
    let mut times: HashMap<&str, usize> = HashMap::new();
    for (_, body) in &posts {
        *times.entry(body).or_default() += 1;
    }
    let lost: Vec<&str> = expected
        .iter()
        .map(|(_, body)| body.as_str())
        .filter(|body| !times.contains_key(body))
        .collect();
    let twice: Vec<&str> = times
        .iter()
        .filter(|(_, &n)| n > 1)
        .map(|(b, _)| *b)
        .collect();
    let foreign: Vec<&str> = times
        .keys()
        .copied()
        .filter(|body| !expected.iter().any(|(_, b)| b == body))
        .collect();
    assert!(
        lost.is_empty() && twice.is_empty() && foreign.is_empty(),
        "{name}: lost {lost:?}; seen more than once {twice:?}; never acknowledged {foreign:?}"
    );
    assert_eq!(
        posts, expected,
        "{name}: posts not at their acks' seqs in seq order"
    );
    if reader.doomed {
        check_resumed_mid_traffic(reader);
    }
}

fn check_resumed_mid_traffic(reader: &Reader) {
    let from = reader.resumed_from.unwrap_or_else(|| {
        panic!(
            "{}: its node was killed, yet it never resumed elsewhere",
            reader.name
        )
    });
    let posts = reader.posts();
    let before = posts.iter().filter(|(seq, _)| *seq <= from).count();
    let after = posts.len() - before;
    assert!(
        before > 0 && after > 0,
        "{}: resumed from {from} with {before} posts before and {after} after",
        reader.name
    );
}

/// Says what happened, for the test's output: the sums, and for each post sent again
/// whether the first try had committed on the killed node (its `at`, stamped by the
/// node, is older than the kill) or the retry committed it on a survivor.
fn report(sent: &[Sent], read: &[Reader], killed_at: i64) {
    let posts: usize = sent.iter().map(|s| s.acks.len()).sum();
    let resent: Vec<String> = sent
        .iter()
        .flat_map(|s| &s.resent)
        .map(|body| {
            let kept = read[0].kept.iter().find(|k| k.body.as_ref() == Some(body));
            let at = kept.expect("every post seen").at;
            let when = match at.cmp(&killed_at) {
                std::cmp::Ordering::Less => "the first try had committed on b, its ack lost",
                std::cmp::Ordering::Equal => "stamped in the kill's millisecond: either",
                std::cmp::Ordering::Greater => "the first try had not committed",
            };
            format!("{body:?} ({when})")
        })
        .collect();
    let resumed: Vec<String> = read
        .iter()
        .filter_map(|r| {
            let from = r.resumed_from?;
            Some(format!(
                "{} from {from} ({} redelivered)",
                r.name, r.redelivered
            ))
        })
        .collect();
    eprintln!(
        "{posts} posts by {} senders; {} readers saw each once in seq order; resent on a \
         survivor: {}; resumed on a survivor: {}",
        sent.len(),
        read.len(),
        resent.join(", "),
        resumed.join(", ")
    );
}
