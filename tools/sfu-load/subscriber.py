"""Synthetic subscriber: receives feeds from a VideoRoom and counts what arrives.

Why: the question for an SFU is how many streams it forwards before packets are lost;
this is the receiving end of that measurement. One subscriber is one PeerConnection
(one Janus subscriber handle, multistream: any number of feeds in it), as a browser
tab has. It counts RTP packets received and lost per media stream (aiortc's inbound
RTP statistics, RTX excluded: a packet later repaired by retransmission still counts as
lost once) and complete video frames (see `rtc.count_only_receivers`).

Run by hand:
    .tools/venv-sfu/bin/python tools/sfu-load/subscriber.py --url ws://127.0.0.1:8188 \
        --room ROOM --secret SECRET [--pin PIN] [--feed alice ...] --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
from dataclasses import dataclass, field
from typing import Optional

from aiortc import MediaStreamTrack, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from janus_client import JanusError, JanusHandle, JanusSession, plugin_data
from rtc import count_only_receivers, new_peer_connection

log = logging.getLogger("subscriber")


@dataclass
class StreamCount:
    """What one received media stream has delivered so far."""

    kind: str
    feed: str
    packets_received: int = 0
    packets_lost: int = 0
    frames: int = 0
    #: Bytes on the PeerConnection's transport (all its streams, RTCP and SRTP
    #: overhead included), given with its first stream only.
    transport_bytes: int = 0

    def loss_percent(self) -> float:
        expected = self.packets_received + max(self.packets_lost, 0)
        return 100.0 * max(self.packets_lost, 0) / expected if expected else 0.0


@dataclass
class SubscribeTarget:
    """The room to subscribe in, and with what credentials."""

    url: str
    room: str
    token: Optional[str]
    room_token: Optional[str] = None
    pin: Optional[str] = None
    feeds: list[str] = field(default_factory=list)


class Subscriber:
    """One subscriber handle and PeerConnection receiving `feeds` (all when empty)."""

    def __init__(self, target: SubscribeTarget, *, substream: Optional[int] = 0,
                 session: Optional[JanusSession] = None) -> None:
        self.target = target
        self.substream = substream
        self._own_session = session is None
        self.session = session or JanusSession(target.url, lambda: self.target.token)
        self.handle: Optional[JanusHandle] = None
        self.pc = new_peer_connection()
        self._frames: dict[str, int] = {}
        self._mids: dict[str, tuple[str, str]] = {}  # mid -> (kind, feed)
        self._tasks: list[asyncio.Task[None]] = []
        self.pc.on("track", self._on_track)

    async def start(self) -> None:
        """Subscribes, answers Janus's offer, and waits for `webrtcup`."""
        if self._own_session:
            await self.session.connect()
        self.handle = await self.session.attach()
        feeds = self.target.feeds or await self.list_publishers()
        if not feeds:
            raise RuntimeError("nobody publishes in this room yet")
        join = {"request": "join", "ptype": "subscriber", "room": self.target.room,
                "streams": [{"feed": feed} for feed in feeds]}
        if self.target.pin:
            join["pin"] = self.target.pin
        if self.target.room_token:
            join["token"] = self.target.room_token
        attached = await self.handle.message(join)
        data = plugin_data(attached)
        for stream in data.get("streams", []):
            if stream.get("type") in ("video", "audio") and stream.get("active", True):
                self._mids[str(stream["mid"])] = (stream["type"], str(stream.get("feed_id", "")))
        jsep = attached.get("jsep")
        if not jsep:
            raise RuntimeError(f"subscribe answered without an offer: {data}")
        await self.pc.setRemoteDescription(RTCSessionDescription(jsep["sdp"], jsep["type"]))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        answer = {"type": "answer", "sdp": self.pc.localDescription.sdp}
        await self.handle.message({"request": "start"}, answer)
        await self.handle.wait_for("webrtcup")
        if self.substream is not None:
            # The low layer of a simulcast publisher (Janus ignores it for others).
            video = [{"mid": mid, "substream": self.substream}
                     for mid, (kind, _) in self._mids.items() if kind == "video"]
            if video:
                with contextlib.suppress(JanusError):
                    await self.handle.message({"request": "configure", "streams": video})

    async def list_publishers(self) -> list[str]:
        """Feed ids of everyone publishing in the room now."""
        assert self.handle is not None
        answer = await self.handle.message(
            {"request": "listparticipants", "room": self.target.room}, until_event=False)
        return [str(p["id"]) for p in plugin_data(answer).get("participants", []) if p.get("publisher")]

    def _on_track(self, track: MediaStreamTrack) -> None:
        mid = next((t.mid for t in self.pc.getTransceivers() if t.receiver.track is track), None)
        key = str(mid)
        self._frames[key] = 0
        self._tasks.append(asyncio.create_task(self._drain(key, track)))

    async def _drain(self, key: str, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError, asyncio.CancelledError):
            while True:
                await track.recv()
                self._frames[key] += 1

    async def counts(self) -> list[StreamCount]:
        """Packets and frames per received stream, cumulative since the start."""
        result: list[StreamCount] = []
        transport_counted = False
        for transceiver in self.pc.getTransceivers():
            receiver = transceiver.receiver
            kind, feed = self._mids.get(str(transceiver.mid), (transceiver.kind, ""))
            count = StreamCount(kind, feed, frames=self._frames.get(str(transceiver.mid), 0))
            rtx_ssrcs = set(getattr(receiver, "_RTCRtpReceiver__rtx_ssrc", {}).keys())
            report = await receiver.getStats()
            for stats in report.values():
                if getattr(stats, "type", "") == "inbound-rtp" and stats.ssrc not in rtx_ssrcs:
                    count.packets_received += stats.packetsReceived
                    count.packets_lost += stats.packetsLost
                elif getattr(stats, "type", "") == "transport" and not transport_counted:
                    count.transport_bytes = stats.bytesReceived
                    transport_counted = True
            result.append(count)
        return result

    async def stop(self) -> None:
        """Leaves and closes everything (safe to call twice)."""
        for task in self._tasks:
            task.cancel()
        if self.handle is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.handle.message({"request": "leave"}, until_event=False), 3)
            await self.handle.detach()
            self.handle = None
        await self.pc.close()
        if self._own_session:
            await self.session.close()


async def _main(args: argparse.Namespace) -> None:
    from tokens import core_token, room_token

    count_only_receivers(not args.decode)
    target = SubscribeTarget(
        args.url, args.room, core_token(args.secret) if args.secret else args.token,
        room_token(args.secret, args.room) if args.secret else args.room_token, args.pin, args.feed)
    subscriber = Subscriber(target, substream=args.substream)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await subscriber.start()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), args.seconds)
        for count in await subscriber.counts():
            print(json.dumps({**count.__dict__, "loss_percent": round(count.loss_percent(), 3)}), flush=True)
    finally:
        await subscriber.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--room", required=True)
    parser.add_argument("--feed", action="append", default=[], help="feed id; repeat; none: all")
    auth = parser.add_mutually_exclusive_group()
    auth.add_argument("--secret", help="Janus token_auth_secret: mint core and room tokens")
    auth.add_argument("--token")
    parser.add_argument("--room-token")
    parser.add_argument("--pin")
    parser.add_argument("--substream", type=int, default=0, help="simulcast layer (0 = low)")
    parser.add_argument("--decode", action="store_true", help="decode video (costs CPU)")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_main(args))


if __name__ == "__main__":
    main()
