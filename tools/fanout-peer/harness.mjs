// One client harness for Tandem and for the socket.io peer: N receivers in one room or
// channel, one sender at a steady rate; each receiver decodes every frame (JSON, as
// socket.io-client does for its own) and times the messages from their send. Prints
// one JSON line with the figures, the server's CPU (from /proc) included.
//
// node harness.mjs --target tandem|socketio --base http://127.0.0.1:PORT --pid PID
//   [--receivers 1000] [--rate 100] [--seconds 30] [--setup-code CODE]
import WebSocket from "ws";
import { io } from "socket.io-client";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith("--")) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const target = args.target;
const base = args.base;
const receivers = Number(args.receivers ?? 1000);
const rate = Number(args.rate ?? 100);
const seconds = Number(args.seconds ?? 30);
const t0 = process.hrtime.bigint();
const micros = () => Number((process.hrtime.bigint() - t0) / 1000n);

function cpuMs(pid) {
  // utime and stime (fields 14 and 15) in USER_HZ ticks, 100 a second on Linux.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function pool(count, width, make) {
  const out = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

// ---- Tandem: accounts over REST, then the WebSocket protocol (protocol/src/ws.rs) ----

async function tandemUser(name, setupCode) {
  const response = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      display_name: name,
      email: `${name.toLowerCase().replace(/ /g, ".")}@peer.test`,
      password: "benchmark password",
      setup_code: setupCode,
    }),
  });
  if (!response.ok) throw new Error(`sign-up ${name}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("tandem_session="));
  const session = cookie.split(";")[0];
  const call = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json", cookie: session },
      body: JSON.stringify(body ?? {}),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { session, call };
}

function tandemSocket(session, onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace("http", "ws")}/api/ws`, { headers: { cookie: session } });
    ws.on("error", reject);
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "hello") ws.send(JSON.stringify({ type: "resume", last_seq: null }));
      else if (frame.type === "replay_complete") resolve(ws);
      else onFrame(frame);
    });
  });
}

async function tandemSetup(record) {
  const admin = await tandemUser("Peer Admin", args["setup-code"]);
  await admin.call("PATCH", "/api/workspace/settings", { open_signup: true });
  const channel = await admin.call("POST", "/api/channels", {
    name: "fanout",
    kind: "public",
    topic: "",
    member_ids: [],
  });
  const users = await pool(receivers, 8, async (i) => {
    const user = await tandemUser(`Reader ${i}`);
    await user.call("POST", `/api/channels/${channel.id}/join`);
    return user;
  });
  await pool(receivers, 64, (i) =>
    tandemSocket(users[i].session, (frame) => {
      if (frame.type === "event" && frame.event.kind === "message_posted") {
        record(frame.event.message.body);
      }
    }),
  );
  const sender = await tandemSocket(admin.session, () => {});
  return (body) =>
    sender.send(
      JSON.stringify({
        type: "command",
        id: randomUUID(),
        command: { kind: "send_message", channel_id: channel.id, body },
      }),
    );
}

// ---- socket.io: a room, joined by each client ----

function ioClient() {
  return new Promise((resolve, reject) => {
    const socket = io(base, { transports: ["websocket"], forceNew: true, reconnection: false });
    socket.on("connect_error", reject);
    socket.on("connect", () => socket.emit("join", "fanout", () => resolve(socket)));
  });
}

async function socketioSetup(record) {
  const clients = await pool(receivers, 64, () => ioClient());
  for (const client of clients) client.on("message", (m) => record(m.body));
  const sender = await ioClient();
  return (body) => sender.emit("message", { id: randomUUID(), room: "fanout", body }, () => {});
}

// ---- the run ----

const latencies = [];
let lastReceive = 0;
function record(body) {
  const sent = Number(body.split(" ")[2]);
  if (!Number.isFinite(sent)) return;
  const now = micros();
  latencies.push(now - sent);
  lastReceive = now;
}

const send = target === "tandem" ? await tandemSetup(record) : await socketioSetup(record);
const total = rate * seconds;
const expected = total * receivers;
const cpuBefore = cpuMs(Number(args.pid));
const first = micros();
let lastSend = first;
for (let n = 0; n < total; n++) {
  const due = first + (n * 1e6) / rate;
  const wait = due - micros();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait / 1000));
  send(`bench ${n} ${micros()}`);
  lastSend = micros();
}
const deadline = Date.now() + 30_000;
while (latencies.length < expected && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 50));
}
const serverCpu = cpuMs(Number(args.pid)) - cpuBefore;
latencies.sort((a, b) => a - b);
const rank = (p) => latencies[Math.max(0, Math.ceil((p / 100) * latencies.length) - 1)] / 1000;
console.log(
  JSON.stringify({
    target,
    receivers,
    rate,
    seconds,
    expected,
    delivered: latencies.length,
    throughput: latencies.length / ((lastReceive - first) / 1e6),
    p50_ms: rank(50),
    p99_ms: rank(99),
    sustained: latencies.length === expected && lastReceive - lastSend <= 1e6,
    server_cpu_ms: serverCpu,
    cpu_per_1000_ms: (serverCpu * 1000) / Math.max(1, latencies.length),
  }),
);
process.exit(0);
