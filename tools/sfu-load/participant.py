"""Synthetic Tandem participants: real meeting members whose media goes through the SFU.

Why: a browser test of a meeting past the mesh needs many people in the room, and a
browser per person does not fit on two cores. Each synthetic participant signs in to
Tandem, joins the meeting over the realtime socket like the app does, and whenever the
server hands it an SFU route (`Joined.route` or `Route`) publishes a labelled test
pattern to Janus with exactly that access (feed id = its participant id). It follows
the route: a new place (room, node, on/off stage) means leaving Janus and publishing
again; the same place with new tokens means using them from the next request; tokens
are refreshed with `RefreshRoute` before `expires_at`, and a lost Janus session asks
for the route again (the server recreates a room Janus lost). With a mesh route it
only stays in the roster (it does not do WebRTC mesh signaling) and says so. An
audience member (`publish: false`) subscribes to the feeds present instead.

Output, one JSON line per participant and change, on stdout (a Playwright test waits
for them):
    {"name": "Synthetic 1", "participant": "<id>", "publishing": true}
    {"name": "Synthetic 1", "participant": "<id>", "publishing": false, "route": "mesh"}
SIGTERM or SIGINT: every participant leaves the meeting and Janus, then exit 0.

    # through a guest link the host made (no accounts needed)
    .tools/venv-sfu/bin/python tools/sfu-load/participant.py --server http://127.0.0.1:8080 \
        --guest-link http://127.0.0.1:8080/guest/SECRET --count 5
    # as members (open sign-up), in a public channel's meeting
    .tools/venv-sfu/bin/python tools/sfu-load/participant.py --server http://127.0.0.1:8080 \
        --signup --channel CHANNEL_ID --meeting MEETING_ID --count 5 [--audio]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from typing import Any, Optional

from janus_client import JanusError
from publisher import Publisher, PublishTarget
from rtc import count_only_receivers
from subscriber import SubscribeTarget, Subscriber
from tandem_client import TandemClient, TandemError, new_run_id, synthetic_email

log = logging.getLogger("participant")
Json = dict[str, Any]

#: Ask for fresh tokens this long before they expire (or at 80 % of their life when
#: they live shorter than five times this).
REFRESH_LEAD_SECONDS = 60.0


def emit(line: Json) -> None:
    """One JSON line on stdout, flushed at once (a test reads it live)."""
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def expires_in_seconds(expires_at: int) -> float:
    """Seconds until `SfuAccess.expires_at` (a Tandem timestamp: Unix milliseconds;
    a value that is plainly seconds is taken as such)."""
    seconds = expires_at / 1000.0 if expires_at > 10_000_000_000 else float(expires_at)
    return seconds - time.time()


class SyntheticParticipant:
    """One person: a Tandem client in the meeting and, on an SFU route, a publisher."""

    def __init__(self, args: argparse.Namespace, index: int, run: str) -> None:
        self.args = args
        self.name = f"{args.name_prefix} {index}"
        self.index = index
        self.run_id = run
        self.client = TandemClient(args.server)
        self.meeting_id: Optional[str] = args.meeting
        self.participant_id: Optional[str] = None
        self.access: Optional[Json] = None
        self.publisher: Optional[Publisher] = None
        self.subscriber: Optional[Subscriber] = None
        self._refresh_task: Optional[asyncio.Task[None]] = None
        self._watch_task: Optional[asyncio.Task[None]] = None
        self._route_lock = asyncio.Lock()
        self.done = asyncio.Event()

    async def sign_in(self) -> None:
        """Signs in (guest link or account) and opens the realtime socket."""
        if self.args.guest_link:
            meeting = await self.client.join_as_guest(self.args.guest_link, self.name)
            self.meeting_id = meeting["id"]
        else:
            email = self.args.email.format(i=self.index) if self.args.email else synthetic_email(self.run_id, self.index)
            await self.client.sign_up_or_in(email, self.args.password, self.name)
            if self.args.channel:
                await self.client.join_channel(self.args.channel)
        await self.client.open_socket()

    async def run(self) -> None:
        """Joins the meeting and follows its notices until it ends or we are stopped."""
        await self.sign_in()
        media = {"audio_muted": not self.args.audio, "video_off": False, "hand_raised": False}
        await self.client.meeting("join", meeting_id=self.meeting_id, media=media)
        async for frame in self.client.frames():
            if frame.get("type") != "meeting" or frame.get("meeting_id", self.meeting_id) != self.meeting_id:
                if frame.get("type") == "error":
                    log.warning("%s: server error %s", self.name, frame)
                continue
            op = frame.get("op")
            if op == "joined" and frame["meeting"]["id"] == self.meeting_id:
                self.participant_id = frame["you"]
                await self.follow(frame.get("route") or {"route": "mesh"})
            elif op == "route":
                await self.follow(frame["route"])
            elif op == "waiting":
                emit(self._line(publishing=False, waiting=True))
            elif op in ("ended", "removed", "denied"):
                emit(self._line(publishing=False, ended=op))
                break
            elif op == "refused":
                log.warning("%s: refused: %s", self.name, frame.get("message"))
                if self.participant_id is None:
                    emit(self._line(publishing=False, refused=frame.get("message")))
                    break
        self.done.set()

    def _line(self, **fields: Any) -> Json:
        return {"name": self.name, "participant": self.participant_id, **fields}

    async def follow(self, route: Json) -> None:
        """Acts on a route: mesh, the same SFU place with new tokens, or a new place."""
        async with self._route_lock:
            if route.get("route") != "sfu":
                await self._leave_sfu()
                self.access = None
                emit(self._line(publishing=False, route="mesh"))
                log.info("%s: mesh route: staying in the roster without media", self.name)
                return
            same_place = self.access is not None and all(
                self.access[k] == route[k] for k in ("url", "room", "publish"))
            alive = (self.publisher or self.subscriber) is not None and not (
                (self.publisher or self.subscriber).session.closed.is_set())  # type: ignore[union-attr]
            self.access = route
            self._schedule_refresh(route["expires_at"])
            if same_place and alive:
                if self.publisher is not None:
                    self.publisher.refresh(route["token"], route["room_token"])
                if self.subscriber is not None:
                    self.subscriber.target.token = route["token"]
                    self.subscriber.target.room_token = route["room_token"]
                return
            await self._leave_sfu()
            try:
                await self._enter_sfu(route)
            except (JanusError, ConnectionError, RuntimeError, OSError, asyncio.TimeoutError) as error:
                log.warning("%s: Janus failed (%s); asking for the route again in 2 s", self.name, error)
                await self._leave_sfu()
                self._schedule_refresh(None, delay=2.0)

    async def _enter_sfu(self, route: Json) -> None:
        if route["publish"]:
            target = PublishTarget(route["url"], route["room"], route["feed"], self.name,
                                   route["token"], route["room_token"], route["pin"] or None)
            self.publisher = Publisher(target, audio=self.args.audio, tone=not self.args.silence)
            await self.publisher.start()
            session = self.publisher.session
            emit(self._line(publishing=True))
        else:
            target = SubscribeTarget(route["url"], route["room"], route["token"], route["room_token"],
                                     route["pin"] or None)
            self.subscriber = Subscriber(target, substream=0)
            await self.subscriber.start()
            session = self.subscriber.session
            emit(self._line(publishing=False, route="sfu", subscribed=True))
        self._watch_task = asyncio.create_task(self._watch(session.closed))

    async def _watch(self, closed: asyncio.Event) -> None:
        """Janus went away under us (restart, expired session): ask for the route again."""
        await closed.wait()
        if not self.done.is_set() and self.access is not None:
            log.warning("%s: lost the Janus session; asking for the route again", self.name)
            self._schedule_refresh(None, delay=1.0)

    async def _leave_sfu(self) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
            self._watch_task = None
        for media in (self.publisher, self.subscriber):
            if media is not None:
                with contextlib.suppress(Exception):
                    await media.stop()
        self.publisher = self.subscriber = None

    def _schedule_refresh(self, expires_at: Optional[int], delay: Optional[float] = None) -> None:
        if self._refresh_task is not None:
            self._refresh_task.cancel()
        if delay is None:
            assert expires_at is not None
            left = expires_in_seconds(expires_at)
            delay = max(1.0, left - REFRESH_LEAD_SECONDS if left > 5 * REFRESH_LEAD_SECONDS else left * 0.8)
        self._refresh_task = asyncio.create_task(self._refresh_after(delay))

    async def _refresh_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        with contextlib.suppress(Exception):
            await self.client.meeting("refresh_route", meeting_id=self.meeting_id)

    async def stop(self) -> None:
        """Leaves Janus and the meeting, then closes the socket."""
        self.done.set()
        if self._refresh_task is not None:
            self._refresh_task.cancel()
        await self._leave_sfu()
        if self.client.ws is not None and not self.client.ws.closed and self.meeting_id:
            with contextlib.suppress(Exception):
                await self.client.meeting("leave", meeting_id=self.meeting_id)
        await self.client.close()


async def main_async(args: argparse.Namespace) -> int:
    count_only_receivers(True)  # audience members count frames, they do not show them
    run = new_run_id()
    people = [SyntheticParticipant(args, i, run) for i in range(1, args.count + 1)]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async def run_one(person: SyntheticParticipant) -> None:
        try:
            await person.run()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - one person failing must not stop the others
            log.error("%s: %s: %s", person.name, type(error).__name__, error)
            emit({"name": person.name, "participant": person.participant_id, "publishing": False,
                  "error": str(error)})

    tasks = []
    for person in people:
        tasks.append(asyncio.create_task(run_one(person)))
        await asyncio.sleep(args.stagger)  # joins one after another, as people do
    everyone_done = asyncio.create_task(asyncio.wait(tasks))
    await asyncio.wait([asyncio.create_task(stop.wait()), everyone_done], return_when=asyncio.FIRST_COMPLETED)
    await asyncio.gather(*(person.stop() for person in people), return_exceptions=True)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--server", required=True, help="Tandem base URL, e.g. http://127.0.0.1:8080")
    way_in = parser.add_mutually_exclusive_group(required=True)
    way_in.add_argument("--guest-link", help="a guest invite link (or its secret): join as guests")
    way_in.add_argument("--signup", action="store_true", help="sign up (open sign-up) or log in as members")
    parser.add_argument("--meeting", help="meeting id (members; a guest link names its meeting)")
    parser.add_argument("--channel", help="public channel to join first (members)")
    parser.add_argument("--email", help="address template for members, e.g. 'load{i}@example.test' "
                        "(default: a fresh synthetic address per run)")
    parser.add_argument("--password", default="synthetic-password-1", help="members' password")
    parser.add_argument("--count", type=int, default=1, help="participants in this process")
    parser.add_argument("--name-prefix", default="Synthetic", help="names are '<prefix> 1' … '<prefix> N'")
    parser.add_argument("--audio", action="store_true", help="also publish Opus (a quiet tone), unmuted")
    parser.add_argument("--silence", action="store_true", help="with --audio: silence instead of a tone")
    parser.add_argument("--stagger", type=float, default=0.2, help="seconds between two joins")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.signup and not args.meeting:
        parser.error("--signup needs --meeting (and --channel unless the accounts are members)")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(message)s")
    sys.exit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
