"""Synthetic publisher: joins a VideoRoom as a publisher and sends a test pattern.

Why: meetings past the mesh need many senders to test with, and browsers are too heavy
to run dozens of. This sends what a browser's lowest simulcast layer sends (VP8
320×180, 15 fps) plus optional Opus, under a given feed id and display name.

Run by hand against a Janus node (tokens minted from the node's secret):
    .tools/venv-sfu/bin/python tools/sfu-load/publisher.py --url ws://127.0.0.1:8188 \
        --room ROOM --feed alice --name Alice --secret SECRET [--pin PIN] [--audio]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
from dataclasses import dataclass
from typing import Optional

from aiortc import RTCSessionDescription

from janus_client import JanusHandle, JanusSession, TokenSource, plugin_data
from media import TestPatternTrack, ToneTrack
from rtc import new_peer_connection

log = logging.getLogger("publisher")


@dataclass
class PublishTarget:
    """Where and as whom to publish: what Tandem's `SfuAccess` carries."""

    url: str
    room: str
    feed: str
    display: str
    token: Optional[str]
    room_token: Optional[str] = None
    pin: Optional[str] = None


class Publisher:
    """One publisher handle with its PeerConnection; `start()` returns once Janus says
    `webrtcup` (only then may others subscribe to the feed without a 428)."""

    def __init__(self, target: PublishTarget, *, audio: bool = False, tone: bool = True,
                 width: int = 320, height: int = 180, fps: int = 15,
                 session: Optional[JanusSession] = None) -> None:
        self.target = target
        self.audio, self.tone = audio, tone
        self.size = (width, height, fps)
        self._own_session = session is None
        self.session = session or JanusSession(target.url, self._core_token)
        self.handle: Optional[JanusHandle] = None
        self.pc = new_peer_connection()
        self.video: Optional[TestPatternTrack] = None

    def _core_token(self) -> Optional[str]:
        return self.target.token

    def refresh(self, token: str, room_token: Optional[str] = None) -> None:
        """New tokens for the same room: the next request (keep-alives too) uses them."""
        self.target.token = token
        if room_token is not None:
            self.target.room_token = room_token

    async def start(self) -> None:
        """Joins as publisher, publishes, and waits for `webrtcup`."""
        if self._own_session:
            await self.session.connect()
        self.handle = await self.session.attach()
        join = {"request": "join", "ptype": "publisher", "room": self.target.room,
                "id": self.target.feed, "display": self.target.display}
        if self.target.pin:
            join["pin"] = self.target.pin
        if self.target.room_token:
            join["token"] = self.target.room_token
        joined = plugin_data(await self.handle.message(join))
        if joined.get("videoroom") != "joined":
            raise RuntimeError(f"unexpected join answer: {joined}")
        width, height, fps = self.size
        self.video = TestPatternTrack(self.target.display, width, height, fps)
        self.pc.addTrack(self.video)
        if self.audio:
            self.pc.addTrack(ToneTrack(self.tone))
        await self.pc.setLocalDescription(await self.pc.createOffer())
        offer = {"type": "offer", "sdp": self.pc.localDescription.sdp}
        answer = await self.handle.message({"request": "publish", "display": self.target.display}, offer)
        jsep = answer.get("jsep")
        if not jsep:
            raise RuntimeError(f"publish answered without SDP: {plugin_data(answer)}")
        await self.pc.setRemoteDescription(RTCSessionDescription(jsep["sdp"], jsep["type"]))
        await self.handle.wait_for("webrtcup")

    async def stop(self) -> None:
        """Leaves the room and closes everything (safe to call twice)."""
        if self.handle is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.handle.message({"request": "leave"}), 3)
            await self.handle.detach()
            self.handle = None
        await self.pc.close()
        if self._own_session:
            await self.session.close()


async def _main(args: argparse.Namespace) -> None:
    from tokens import core_token, room_token

    token = core_token(args.secret) if args.secret else args.token
    target = PublishTarget(args.url, args.room, args.feed, args.name or args.feed, token,
                           room_token(args.secret, args.room) if args.secret else args.room_token, args.pin)
    publisher = Publisher(target, audio=args.audio, tone=not args.silence)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await publisher.start()
        print(json.dumps({"feed": args.feed, "publishing": True}), flush=True)
        waiter = asyncio.create_task(stop.wait())
        await asyncio.wait([waiter, asyncio.create_task(publisher.session.closed.wait())],
                           timeout=args.seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await publisher.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="Janus WebSocket, e.g. ws://127.0.0.1:8188")
    parser.add_argument("--room", required=True)
    parser.add_argument("--feed", required=True, help="feed id (string)")
    parser.add_argument("--name", help="display name, also drawn on the picture")
    auth = parser.add_mutually_exclusive_group()
    auth.add_argument("--secret", help="Janus token_auth_secret: mint core and room tokens")
    auth.add_argument("--token", help="a ready core token")
    parser.add_argument("--room-token")
    parser.add_argument("--pin")
    parser.add_argument("--audio", action="store_true", help="also send Opus")
    parser.add_argument("--silence", action="store_true", help="audio is silence, not a tone")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_main(args))


if __name__ == "__main__":
    main()
