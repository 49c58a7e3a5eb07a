"""A minimal Janus JSON API client over WebSocket, for the VideoRoom plugin.

Why our own and not a library: the browser app talks to Janus the same way (JSON over a
WebSocket, subprotocol `janus-protocol`), so the load tools exercise exactly that path,
tokens included; and the protocol needs only create / attach / message / keepalive.

Janus answers a request by its `transaction`: synchronous plugin requests come back as
one `success`; asynchronous ones as an `ack` first and an `event` (same transaction)
later. Events that belong to no request (`webrtcup`, `media`, `hangup`, plugin events)
go to the handle named by `sender`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from typing import Any, Callable, Optional

import aiohttp

log = logging.getLogger("janus")

VIDEOROOM = "janus.plugin.videoroom"
#: Janus drops a session after `session_timeout` (60 s in write-config.sh) without
#: traffic; 25 s leaves room for a slow loop.
KEEPALIVE_SECONDS = 25.0
#: How long to wait for any one answer before calling it an error.
REQUEST_TIMEOUT = 30.0

Json = dict[str, Any]
TokenSource = Callable[[], Optional[str]]


class JanusError(Exception):
    """Janus refused a request (`error` in the core, or `error_code` from the plugin)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.code = code
        self.reason = reason


class JanusSession:
    """One WebSocket and one Janus session on it, with a keep-alive task.

    `token` is called for every request, so a refreshed core token (Tandem's
    `RefreshRoute`) is used from the next request on without reconnecting.
    """

    def __init__(self, url: str, token: TokenSource | str | None = None) -> None:
        self.url = url
        self._token: TokenSource = token if callable(token) else (lambda: token)  # type: ignore[assignment]
        self._http: Optional[aiohttp.ClientSession] = None
        self._ws: Optional[aiohttp.ClientWebSocketResponse] = None
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[Json]] = {}
        self._async_pending: dict[str, asyncio.Future[Json]] = {}
        self._handles: dict[int, "JanusHandle"] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.session_id: Optional[int] = None
        self.closed = asyncio.Event()

    def set_token(self, token: TokenSource | str | None) -> None:
        """Use another core token from the next request on (e.g. after a refresh)."""
        self._token = token if callable(token) else (lambda: token)  # type: ignore[assignment]

    async def connect(self) -> "JanusSession":
        """Opens the socket and creates the Janus session."""
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(
            self.url, protocols=("janus-protocol",), heartbeat=None, max_msg_size=0
        )
        self._tasks.append(asyncio.create_task(self._read_loop()))
        answer = await self.request({"janus": "create"})
        self.session_id = answer["data"]["id"]
        self._tasks.append(asyncio.create_task(self._keepalive_loop()))
        return self

    async def attach(self, plugin: str = VIDEOROOM) -> "JanusHandle":
        """A new handle on the plugin (one per PeerConnection)."""
        answer = await self.request({"janus": "attach", "plugin": plugin})
        handle = JanusHandle(self, answer["data"]["id"])
        self._handles[handle.id] = handle
        return handle

    async def request(self, message: Json, *, until_event: bool = False) -> Json:
        """Sends one request and returns its answer.

        With `until_event`, an `ack` is not the answer: wait for the `event` with the
        same transaction (asynchronous VideoRoom requests such as join / publish).
        """
        if self._ws is None or self._ws.closed:
            raise ConnectionError("Janus socket is closed")
        transaction = f"t{next(self._ids)}"
        message = dict(message, transaction=transaction)
        token = self._token()
        if token:
            message["token"] = token
        if self.session_id is not None and "session_id" not in message and message["janus"] != "create":
            message["session_id"] = self.session_id
        loop = asyncio.get_running_loop()
        first: asyncio.Future[Json] = loop.create_future()
        self._pending[transaction] = first
        later: Optional[asyncio.Future[Json]] = None
        if until_event:
            later = loop.create_future()
            self._async_pending[transaction] = later
        try:
            await self._ws.send_str(json.dumps(message))
            answer = await asyncio.wait_for(first, REQUEST_TIMEOUT)
            _raise_for(answer)
            if later is not None and answer.get("janus") == "ack":
                answer = await asyncio.wait_for(later, REQUEST_TIMEOUT)
                _raise_for(answer)
            return answer
        finally:
            self._pending.pop(transaction, None)
            self._async_pending.pop(transaction, None)

    async def close(self) -> None:
        """Destroys the session (best effort) and closes the socket."""
        if self._ws is not None and not self._ws.closed and self.session_id is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.request({"janus": "destroy"}), 3)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(BaseException):
                await task
        if self._ws is not None:
            await self._ws.close()
        if self._http is not None:
            await self._http.close()
        self.closed.set()

    async def _keepalive_loop(self) -> None:
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            try:
                await self.request({"janus": "keepalive"})
            except Exception as error:  # noqa: BLE001 - a failed keep-alive is only logged
                log.warning("keepalive failed: %s", error)

    async def _read_loop(self) -> None:
        assert self._ws is not None
        try:
            async for frame in self._ws:
                if frame.type != aiohttp.WSMsgType.TEXT:
                    continue
                self._dispatch(json.loads(frame.data))
        finally:
            error = ConnectionError("Janus socket closed")
            for future in [*self._pending.values(), *self._async_pending.values()]:
                if not future.done():
                    future.set_exception(error)
            for handle in self._handles.values():
                handle.events.put_nowait({"janus": "closed"})
            self.closed.set()

    def _dispatch(self, message: Json) -> None:
        transaction = message.get("transaction")
        kind = message.get("janus")
        if transaction in self._pending and not self._pending[transaction].done():
            self._pending[transaction].set_result(message)
            return
        if transaction in self._async_pending and kind != "ack":
            future = self._async_pending[transaction]
            if not future.done():
                future.set_result(message)
                return
        sender = message.get("sender")
        handle = self._handles.get(sender) if sender is not None else None
        if handle is not None:
            handle.events.put_nowait(message)
        elif kind not in ("ack", "keepalive"):
            log.debug("unrouted Janus message: %s", message)


class JanusHandle:
    """One plugin handle: requests to the plugin and the events Janus sends about it."""

    def __init__(self, session: JanusSession, handle_id: int) -> None:
        self.session = session
        self.id = handle_id
        #: Every event addressed to this handle (webrtcup, media, slowlink, hangup,
        #: plugin events) in arrival order.
        self.events: asyncio.Queue[Json] = asyncio.Queue()

    async def message(self, body: Json, jsep: Optional[Json] = None, *, until_event: bool = True) -> Json:
        """A plugin request; returns Janus's answer (the `event` for async requests).

        Raises `JanusError` when the plugin answers with `error_code`.
        """
        request: Json = {"janus": "message", "handle_id": self.id, "body": body}
        if jsep is not None:
            request["jsep"] = jsep
        answer = await self.session.request(request, until_event=until_event)
        data = plugin_data(answer)
        if "error_code" in data:
            raise JanusError(int(data["error_code"]), str(data.get("error")))
        return answer

    async def wait_for(self, kind: str, timeout: float = REQUEST_TIMEOUT) -> Json:
        """Waits for the next core event of this kind (e.g. `webrtcup`), skipping others.

        Skipped events are put back afterwards so other readers still see them.
        """
        skipped: list[Json] = []
        try:
            async with asyncio.timeout(timeout):
                while True:
                    event = await self.events.get()
                    if event.get("janus") == kind:
                        return event
                    if event.get("janus") in ("hangup", "detached", "closed"):
                        raise ConnectionError(f"handle ended while waiting for {kind}: {event}")
                    skipped.append(event)
        finally:
            for event in skipped:
                self.events.put_nowait(event)

    async def detach(self) -> None:
        """Detaches the handle (Janus hangs up its PeerConnection)."""
        with contextlib.suppress(Exception):
            await self.session.request({"janus": "detach", "handle_id": self.id})


def plugin_data(answer: Json) -> Json:
    """The plugin's own answer inside a Janus message (`plugindata.data`)."""
    return answer.get("plugindata", {}).get("data", {})


def _raise_for(answer: Json) -> None:
    if answer.get("janus") == "error":
        error = answer.get("error", {})
        raise JanusError(int(error.get("code", 0)), str(error.get("reason")))
