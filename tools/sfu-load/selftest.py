"""Self-test of participant.py's SFU side against a real Janus and a scripted Tandem.

Why a scripted Tandem: the server that hands out `Sfu` routes is still being written,
and the route-following rules (publish on an SFU route, same place + new tokens =
refresh without reconnecting, new place = publish again, mesh = stop, `RefreshRoute`
before `expires_at`) must work before it lands. This stands in for the server with a
tiny aiohttp app that speaks just enough of the protocol (guest join, hello / resume /
replay_complete, join → joined, refresh_route → route) and mints real Janus tokens;
Janus is our own node in a private network namespace (root only).

    .tools/venv-sfu/bin/python tools/sfu-load/selftest.py      # exit 0 and "selftest: ok"
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import sys
import time
import uuid
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from aiohttp import web  # noqa: E402

from janus_client import JanusSession  # noqa: E402
from janus_node import JanusNode, create_room, reexec_in_netns  # noqa: E402
from rtc import count_only_receivers  # noqa: E402
from subscriber import SubscribeTarget, Subscriber  # noqa: E402
from tokens import core_token, room_token  # noqa: E402

Json = dict[str, Any]
MEETING = str(uuid.uuid4())
PORT = 18080


class ScriptedTandem:
    """Stands in for the Tandem server: one meeting, guests only, scripted routes."""

    def __init__(self, node: JanusNode, pin: str) -> None:
        self.node, self.pin = node, pin
        self.room = "room-a"
        self.ttl = 8.0  # short, so the participant must ask for a refresh during the test
        self.sockets: dict[str, web.WebSocketResponse] = {}  # participant id -> socket
        self.refreshes = 0
        self.log: list[str] = []

    def access(self, participant: str) -> Json:
        secret = self.node.token_secret
        return {"route": "sfu", "url": self.node.ws_url, "room": self.room, "feed": participant,
                "token": core_token(secret, int(self.ttl) + 5), "room_token": room_token(secret, self.room, int(self.ttl) + 5),
                "pin": self.pin, "expires_at": int((time.time() + self.ttl) * 1000), "publish": True}

    async def guest_join(self, request: web.Request) -> web.Response:
        body = await request.json()
        user = {"id": str(uuid.uuid4()), "display_name": body["display_name"], "email": "", "role": "guest",
                "status_text": "", "created_at": 0}
        response = web.json_response({"user": user, "meeting": {"id": MEETING}}, status=201)
        response.set_cookie("tandem_session", user["id"])
        return response

    async def ws(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "connection_id": str(uuid.uuid4()), "protocol_version": 1,
                                "user_id": request.cookies.get("tandem_session"), "stream_position": 0,
                                "heartbeat_interval_ms": 20000})
        participant = str(uuid.uuid4())
        async for message in socket:
            frame = json.loads(message.data)
            if frame["type"] == "resume":
                await socket.send_json({"type": "replay_complete", "seq": 0})
            elif frame["type"] == "meeting" and frame["op"] == "join":
                self.sockets[participant] = socket
                await socket.send_json({"type": "meeting", "op": "joined", "meeting": {"id": MEETING},
                                        "you": participant, "participants": [],
                                        "route": self.access(participant)})
            elif frame["type"] == "meeting" and frame["op"] == "refresh_route":
                self.refreshes += 1
                await self.route(participant, self.access(participant))
            elif frame["type"] == "meeting" and frame["op"] == "leave":
                self.log.append(f"left {participant}")
        self.sockets.pop(participant, None)
        return socket

    async def route(self, participant: str, route: Json) -> None:
        socket = self.sockets.get(participant)
        if socket is not None and not socket.closed:
            await socket.send_json({"type": "meeting", "op": "route", "meeting_id": MEETING, "route": route})


async def read_lines(stream: asyncio.StreamReader, into: list[Json]) -> None:
    while line := await stream.readline():
        into.append(json.loads(line))
        print("  participant:", line.decode().strip(), flush=True)


async def wait_until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def frames_from(node: JanusNode, room: str, pin: str, feeds: list[str], seconds: float = 3.0) -> dict[str, int]:
    """Subscribes to `feeds` for a few seconds; frames received per feed."""
    target = SubscribeTarget(node.ws_url, room, core_token(node.token_secret), room_token(node.token_secret, room),
                             pin, feeds)
    subscriber = Subscriber(target)
    try:
        await subscriber.start()
        await asyncio.sleep(seconds)
        return {c.feed: c.frames for c in await subscriber.counts() if c.kind == "video"}
    finally:
        await subscriber.stop()


async def selftest() -> None:
    count_only_receivers(True)
    secret, admin_key, pin = secrets.token_hex(16), secrets.token_hex(16), "4321"
    node = JanusNode(secret, admin_key)
    node.start()
    runner = None
    process = None
    try:
        await node.wait_ready()
        admin = JanusSession(node.ws_url, core_token(secret))
        await admin.connect()
        for room in ("room-a", "room-b"):
            await create_room(admin, room, admin_key, pin=pin)
        await admin.close()
        tandem = ScriptedTandem(node, pin)
        app = web.Application()
        app.router.add_post("/api/guest/{token}", tandem.guest_join)
        app.router.add_get("/api/ws", tandem.ws)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", PORT).start()

        process = await asyncio.create_subprocess_exec(
            sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "participant.py"),
            "--server", f"http://127.0.0.1:{PORT}", "--guest-link", "secret", "--count", "2", "--audio",
            stdout=asyncio.subprocess.PIPE)
        lines: list[Json] = []
        assert process.stdout is not None
        reader = asyncio.create_task(read_lines(process.stdout, lines))
        publishing = lambda: [line for line in lines if line.get("publishing")]  # noqa: E731

        await wait_until(lambda: len(publishing()) >= 2, 30, "two participants publishing")
        ids = sorted(line["participant"] for line in publishing())
        assert sorted(tandem.sockets) == ids, (tandem.sockets, ids)
        got = await frames_from(node, "room-a", pin, ids)
        print(f"room-a frames per feed in 3 s: {got}", flush=True)
        assert all(got.get(feed, 0) > 20 for feed in ids), got

        # Tokens live 8 s: each participant must ask for fresh ones (and keep publishing
        # on the same handle: no second "publishing" line).
        await wait_until(lambda: tandem.refreshes >= 2, 15, "RefreshRoute from both")
        assert len(publishing()) == 2, lines
        print(f"refresh_route received {tandem.refreshes} times; still 2 publishing lines", flush=True)

        # Move the first participant to room-b: it must publish there.
        moved = ids[0]
        tandem.room = "room-b"
        await tandem.route(moved, tandem.access(moved))
        await wait_until(lambda: len(publishing()) >= 3, 20, "publishing again after a move")
        got = await frames_from(node, "room-b", pin, [moved])
        print(f"room-b frames from the moved participant in 3 s: {got}", flush=True)
        assert got.get(moved, 0) > 20, got

        # Back to mesh: it says so.
        await tandem.route(moved, {"route": "mesh"})
        await wait_until(lambda: any(line.get("route") == "mesh" for line in lines), 10, "mesh line")

        process.terminate()
        code = await asyncio.wait_for(process.wait(), 15)
        await reader
        assert code == 0, f"participant.py exited {code} on SIGTERM"
        assert len(tandem.log) == 2, f"expected both to leave the meeting: {tandem.log}"
        print("selftest: ok", flush=True)
    finally:
        if process is not None and process.returncode is None:
            process.kill()
        if runner is not None:
            await runner.cleanup()
        node.stop()


def main() -> None:
    reexec_in_netns()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(selftest())


if __name__ == "__main__":
    main()
