"""The little of Tandem's API a synthetic participant needs: sign in, open the realtime
socket, and exchange meeting frames.

Why not the browser app: dozens of synthetic people must fit in one process. This
speaks the same wire protocol (protocol/src/api.rs, ws.rs, meetings.rs), so the server
cannot tell them from browsers except by the missing WebRTC mesh signaling.

Two ways in:
- a guest link (`POST /api/guest/<token>`): a guest account scoped to that one
  meeting, no channel needed; the meeting id comes with it;
- a member account (`POST /api/auth/signup` on a server with open sign-up, or
  `/api/auth/login` if it exists), then `POST /api/channels/<id>/join` (public channel).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
import uuid
from typing import Any, AsyncIterator, Optional

import aiohttp

log = logging.getLogger("tandem")

Json = dict[str, Any]
#: The server closes a socket it has not heard from for a while (heartbeat 20 s).
PING_SECONDS = 10.0


class TandemError(Exception):
    """A REST call failed (status and the server's `ApiError` body)."""


class TandemClient:
    """One signed-in person: an HTTP session with its cookie, and one realtime socket."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        # `unsafe`: keep cookies from an IP-address host (127.0.0.1), which aiohttp
        # otherwise drops.
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.ws: Optional[aiohttp.ClientWebSocketResponse] = None
        self.user: Optional[Json] = None
        self._ping_task: Optional[asyncio.Task[None]] = None
        self._nonces = itertools.count(1)

    async def _call(self, method: str, path: str, body: Optional[Json] = None) -> Any:
        """One REST call; retries `429` after the server's `Retry-After` (sign-ups from
        one address are rate limited: a burst of 30, then one every 2 s)."""
        for _attempt in range(60):
            async with self.http.request(method, self.base_url + path, json=body) as response:
                if response.status == 429:
                    wait = float(response.headers.get("Retry-After", "2") or 2)
                    await asyncio.sleep(max(wait, 0.5))
                    continue
                text = await response.text()
                if response.status >= 400:
                    raise TandemError(f"{method} {path}: {response.status} {text}")
                return json.loads(text) if text else None
        raise TandemError(f"{method} {path}: still rate limited")

    async def join_as_guest(self, invite: str, display_name: str) -> Json:
        """Signs in through a guest link (the secret, or a URL ending in /guest/<secret>);
        returns the meeting it is for."""
        token = invite.rstrip("/").rsplit("/guest/", 1)[-1]
        session = await self._call("POST", f"/api/guest/{token}", {"display_name": display_name})
        self.user = session["user"]
        return session["meeting"]

    async def sign_up_or_in(self, email: str, password: str, display_name: str) -> Json:
        """Signs up (open sign-up) or, if the address is taken, logs in."""
        try:
            self.user = await self._call("POST", "/api/auth/signup", {
                "display_name": display_name, "email": email, "password": password, "time_zone": "UTC"})
        except TandemError as error:
            if " 409 " not in str(error):
                raise
            self.user = await self._call("POST", "/api/auth/login", {"email": email, "password": password})
        return self.user

    async def join_channel(self, channel_id: str) -> None:
        """Joins a public channel (needed to join its meeting)."""
        await self._call("POST", f"/api/channels/{channel_id}/join")

    async def open_socket(self) -> None:
        """Opens `/api/ws`, resumes from "now", and waits for the replay to finish
        (the server refuses meeting frames before that)."""
        ws_url = self.base_url.replace("http://", "ws://").replace("https://", "wss://") + "/api/ws"
        self.ws = await self.http.ws_connect(ws_url, heartbeat=None, max_msg_size=0)
        hello = await self.ws.receive_json(timeout=30)
        if hello.get("type") != "hello":
            raise TandemError(f"expected hello, got {hello}")
        await self.send({"type": "resume", "last_seq": None})
        while True:
            frame = await self.ws.receive_json(timeout=30)
            if frame.get("type") == "replay_complete":
                break
        self._ping_task = asyncio.create_task(self._ping_loop())

    async def send(self, frame: Json) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(frame))

    async def meeting(self, op: str, **fields: Any) -> None:
        """Sends `ClientFrame::Meeting` (`{"type": "meeting", "op": …}`)."""
        await self.send({"type": "meeting", "op": op, **fields})

    async def frames(self) -> AsyncIterator[Json]:
        """Server frames until the socket closes."""
        assert self.ws is not None
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                yield json.loads(message.data)
        log.info("socket closed: %s", self.ws.close_code)

    async def _ping_loop(self) -> None:
        while True:
            await asyncio.sleep(PING_SECONDS)
            with contextlib.suppress(Exception):
                await self.send({"type": "ping", "nonce": next(self._nonces)})

    async def close(self) -> None:
        if self._ping_task is not None:
            self._ping_task.cancel()
        if self.ws is not None:
            await self.ws.close()
        await self.http.close()


def synthetic_email(run: str, index: int) -> str:
    """A per-run address, so reruns against one server do not collide."""
    return f"synthetic-{run}-{index}@synthetic.test"


def new_run_id() -> str:
    return secrets.token_hex(3)


def is_uuid(value: str) -> bool:
    with contextlib.suppress(ValueError):
        uuid.UUID(value)
        return True
    return False
