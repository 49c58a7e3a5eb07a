// The peer for the fan-out comparison: a socket.io 4.8 room server of the kind
// Excalidraw's collaboration runs, that inserts each message into SQLite (WAL, like
// Tandem's default) before broadcasting it to the room, and acks the sender.
// Usage: node peer-server.mjs PORT DB_FILE   (binds 127.0.0.1 only)
import { createServer } from "node:http";
import { Server } from "socket.io";
import Database from "better-sqlite3";

const [port, file] = process.argv.slice(2);
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(`CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE, room TEXT, body TEXT, at INTEGER)`);
const insert = db.prepare("INSERT INTO messages (id, room, body, at) VALUES (?, ?, ?, ?)");

const http = createServer();
const io = new Server(http, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack?.("ok");
  });
  socket.on("message", ({ id, room, body }, ack) => {
    const at = Date.now();
    const { lastInsertRowid } = insert.run(id, room, body, at);
    const seq = Number(lastInsertRowid);
    io.to(room).emit("message", { seq, id, room, body, at });
    ack?.({ seq });
  });
});
http.listen(Number(port), "127.0.0.1", () => console.log(`peer listening on ${port}`));
