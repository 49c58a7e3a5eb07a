"""SFU capacity bench: how many subscriber streams one Janus node forwards below 1 % loss.

Why this shape: a meeting past the mesh is one Janus room where every browser receives
the others' low simulcast layer (320×180). The cost that grows is Janus forwarding one
stream to many subscribers, so the bench publishes one 320×180 VP8 stream (aiortc has
no simulcast: one stream at the size of a simulcast publisher's low layer) and adds
subscribers in steps, holding each step and measuring:

- subscriber streams, mean and max RTP loss over the hold (a stream that received
  nothing in the hold counts as 100 % lost), received frame rate;
- Janus's CPU (its process alone, utime+stime from /proc over the hold; 100 % = one
  core) and CPU per stream;
- the load generator's CPU (publisher + subscriber processes), because it shares the
  machine's cores with Janus: when it nears the cores, loss is the generator's, not
  Janus's — the table shows both so a reader can tell.

It runs in its own network namespace (re-executing itself under `unshare --net`, root
only), starts its own Janus node from scripts/janus/write-config.sh, and kills
everything on exit. Subscribers run in worker processes (`--workers`) so one Python
process's GIL does not cap them; they do not decode video (complete frames are counted
still encoded), see `rtc.count_only_receivers`.

    .tools/venv-sfu/bin/python tools/sfu-load/capacity.py [--steps 10,20,40,80,120,160,200]
        [--hold 10] [--cap 400] [--workers 2] [--bitrate 256000]

Prints a table and, last, one JSON line with every step and `max_streams_below_1pct`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import secrets
import signal
import sys
import time
from dataclasses import asdict, dataclass
from typing import Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from janus_client import JanusSession  # noqa: E402
from janus_node import JanusNode, create_room, process_cpu_seconds, reexec_in_netns  # noqa: E402
from publisher import Publisher, PublishTarget  # noqa: E402
from subscriber import Subscriber, SubscribeTarget  # noqa: E402
from tokens import core_token, room_token  # noqa: E402

LOSS_LIMIT_PERCENT = 1.0
#: A step also fails when the mean received frame rate falls below this share of the
#: 15 fps sent: a starved publisher or a throttled stream loses no sequence numbers, it
#: just sends less, so loss alone would not show it.
MIN_FPS_SHARE = 0.9
PUBLISHER_FPS = 15
ROOM = "capacity-bench"
FEED = "synthetic-publisher"


@dataclass
class Step:
    """One held step of the bench."""

    streams: int
    connected: int
    seconds: float
    loss_mean_percent: float
    loss_max_percent: float
    stalled_streams: int
    fps_mean: float
    #: Frames the synthetic publisher produced per second: below 15 it was starved of
    #: CPU (a generator limit, not Janus's), and subscribers get fewer frames with no loss.
    publisher_fps: float
    packets_per_second_mean: float
    #: What Janus counted (admin API): packets per second in from the publisher, and
    #: out to each subscriber (mean). out ≈ in: Janus keeps up; subscribers receiving
    #: less than Janus sent means the load generator is behind.
    janus_in_pps: float
    janus_out_pps_mean: float
    kbps_mean: float
    #: UDP datagrams the kernel dropped in this namespace because a receiving socket's
    #: buffer was full (/proc/net/snmp RcvbufErrors), per second. Almost all datagrams
    #: here go to the subscribers, so this is loss caused by a late load generator,
    #: not by Janus.
    udp_rcvbuf_drops_per_second: float
    udp_sndbuf_drops_per_second: float
    janus_cpu_percent: float
    janus_cpu_percent_per_stream: float
    loadgen_cpu_percent: float
    machine_cpu_percent: float
    #: The whole machine (every process, ours and others') was ≥ 90 % busy: the
    #: numbers then say as much about the cores as about Janus.
    machine_saturated: bool
    #: < 1 % mean loss, no stalled stream, every subscriber connected, ≥ 90 % frame rate.
    ok: bool = False


# ---------------------------------------------------------------- worker process side

async def worker_main(args: argparse.Namespace) -> None:
    """A subscriber worker: reads commands on stdin, answers one JSON line each.

    `add N` starts N subscribers; `counts` answers cumulative packets/frames per
    stream; `quit` stops them all.
    """
    from rtc import count_only_receivers

    count_only_receivers(True)
    logging.basicConfig(level=logging.ERROR)
    # Below Janus and the publisher: when the cores run out, the generator is what
    # falls behind (seen as kernel receive-buffer drops), not the system under test.
    os.nice(5)
    target = SubscribeTarget(args.url, ROOM, core_token(args.secret, 7200),
                             room_token(args.secret, ROOM, 7200), args.pin, [FEED])
    session = JanusSession(args.url, lambda: target.token)
    await session.connect()
    subscribers: list[Subscriber] = []
    failures = 0
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    async def start_one() -> Optional[Subscriber]:
        subscriber = Subscriber(target, substream=0, session=session)
        try:
            await subscriber.start()
            return subscriber
        except Exception as error:  # noqa: BLE001 - counted and reported as not connected
            logging.error("subscriber failed: %r", error)
            await subscriber.stop()
            return None

    def answer(value: object) -> None:
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()

    while line := (await reader.readline()).decode().strip():
        command, _, argument = line.partition(" ")
        if command == "add":
            want = int(argument)
            started: list[Optional[Subscriber]] = []
            # A few at a time: a burst of DTLS handshakes would starve the others.
            for begin in range(0, want, 5):
                started += await asyncio.gather(*(start_one() for _ in range(begin, min(want, begin + 5))))
            subscribers += [s for s in started if s is not None]
            failures += sum(1 for s in started if s is None)
            answer({"connected": len(subscribers), "failed": failures})
        elif command == "counts":
            rows = []
            for subscriber in subscribers:
                for count in await subscriber.counts():
                    if count.kind == "video":
                        rows.append([count.packets_received, count.packets_lost, count.frames,
                                     count.transport_bytes])
            answer({"streams": rows})
        elif command == "quit":
            break
    for subscriber in subscribers:
        with contextlib.suppress(Exception):
            await subscriber.stop()
    await session.close()


# ---------------------------------------------------------------- controller side

class Worker:
    """The controller's end of one subscriber worker process."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lock = asyncio.Lock()

    @classmethod
    async def spawn(cls, url: str, secret: str, pin: str) -> "Worker":
        process = await asyncio.create_subprocess_exec(
            sys.executable, os.path.abspath(__file__), "--worker", "--url", url,
            "--secret", secret, "--pin", pin,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        return cls(process)

    async def ask(self, command: str, timeout: float = 600) -> dict:
        assert self.process.stdin and self.process.stdout
        async with self.lock:
            self.process.stdin.write((command + "\n").encode())
            await self.process.stdin.drain()
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not line:
            raise RuntimeError("a subscriber worker died")
        return json.loads(line)

    def cpu_seconds(self) -> float:
        with contextlib.suppress(OSError):
            return process_cpu_seconds(self.process.pid)
        return 0.0

    async def stop(self) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ask("quit", 10), 10)
            with contextlib.suppress(ProcessLookupError):
                self.process.terminate()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.process.wait(), 5)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / os.sysconf("SC_CLK_TCK"), total / os.sysconf("SC_CLK_TCK")


def udp_buffer_errors() -> tuple[int, int]:
    """(RcvbufErrors, SndbufErrors) of UDP in this network namespace so far."""
    with open("/proc/net/snmp") as snmp:
        rows = [line.split() for line in snmp if line.startswith("Udp:")]
    fields = dict(zip(rows[0][1:], (int(v) for v in rows[1][1:])))
    return fields.get("RcvbufErrors", 0), fields.get("SndbufErrors", 0)


async def collect(workers: list[Worker]) -> list[list[int]]:
    rows: list[list[int]] = []
    for reply in await asyncio.gather(*(w.ask("counts") for w in workers)):
        rows += reply["streams"]
    return rows


async def measure_step(node: JanusNode, workers: list[Worker], hold: float, connected: int,
                       publisher: Publisher) -> Step:
    """Holds the current load for `hold` seconds and measures it."""
    loadgen = lambda: process_cpu_seconds(os.getpid()) + sum(w.cpu_seconds() for w in workers)  # noqa: E731
    # Janus's own counters are read outside the CPU window (the admin API costs Janus CPU).
    j0 = time.monotonic()
    janus_in0, janus_out0 = await node.packet_counts()
    j0 = (j0 + time.monotonic()) / 2
    before = await collect(workers)
    t0, janus0, gen0, machine0 = time.monotonic(), node.cpu_seconds(), loadgen(), machine_busy_seconds()
    udp0 = udp_buffer_errors()
    sent0 = publisher.video.frames_sent if publisher.video else 0
    await asyncio.sleep(hold)
    after = await collect(workers)
    t1, janus1, gen1, machine1 = time.monotonic(), node.cpu_seconds(), loadgen(), machine_busy_seconds()
    udp1 = udp_buffer_errors()
    sent1 = publisher.video.frames_sent if publisher.video else 0
    j1 = time.monotonic()
    janus_in1, janus_out1 = await node.packet_counts()
    j1 = (j1 + time.monotonic()) / 2
    janus_out = [(janus_out1[h] - janus_out0[h]) / (j1 - j0) for h in janus_out1 if h in janus_out0]
    seconds = t1 - t0
    losses, fps, pps, kbps, stalled = [], [], [], [], 0
    for (r0, l0, f0, b0), (r1, l1, f1, b1) in zip(before, after):
        received, lost = r1 - r0, max(l1 - l0, 0)
        if received == 0:
            stalled += 1
            losses.append(100.0)
        else:
            losses.append(100.0 * lost / (received + lost))
        fps.append((f1 - f0) / seconds)
        pps.append(received / seconds)
        kbps.append(8 * (b1 - b0) / seconds / 1000)
    streams = len(after)
    janus = 100.0 * (janus1 - janus0) / seconds
    machine_busy = (machine1[0] - machine0[0]) / max(machine1[1] - machine0[1], 1e-9)
    step = Step(
        streams=streams, connected=connected, seconds=round(seconds, 2),
        loss_mean_percent=round(sum(losses) / max(len(losses), 1), 3),
        loss_max_percent=round(max(losses, default=0.0), 3), stalled_streams=stalled,
        fps_mean=round(sum(fps) / max(len(fps), 1), 2),
        publisher_fps=round((sent1 - sent0) / seconds, 2),
        packets_per_second_mean=round(sum(pps) / max(len(pps), 1), 1),
        kbps_mean=round(sum(kbps) / max(len(kbps), 1), 1),
        janus_in_pps=round((janus_in1 - janus_in0) / (j1 - j0), 1),
        janus_out_pps_mean=round(sum(janus_out) / max(len(janus_out), 1), 1),
        udp_rcvbuf_drops_per_second=round((udp1[0] - udp0[0]) / seconds, 1),
        udp_sndbuf_drops_per_second=round((udp1[1] - udp0[1]) / seconds, 1),
        janus_cpu_percent=round(janus, 1),
        janus_cpu_percent_per_stream=round(janus / max(streams, 1), 3),
        loadgen_cpu_percent=round(100.0 * (gen1 - gen0) / seconds, 1),
        machine_cpu_percent=round(100.0 * machine_busy * (os.cpu_count() or 1), 1),
        machine_saturated=machine_busy >= 0.9)
    step.ok = (step.loss_mean_percent < LOSS_LIMIT_PERCENT and step.stalled_streams == 0
               and step.connected == step.streams and step.fps_mean >= MIN_FPS_SHARE * PUBLISHER_FPS)
    return step


def failure_cause(step: Step) -> str:
    """Best guess at what limited a failing step, from what the step measured."""
    if step.connected < step.streams:
        return "subscribers could not connect (see Janus's log: RTP ports, ICE)"
    if step.publisher_fps < MIN_FPS_SHARE * PUBLISHER_FPS:
        return "load generator: the synthetic publisher was starved of CPU"
    if step.janus_out_pps_mean < MIN_FPS_SHARE * step.janus_in_pps:
        return "Janus: it sent each subscriber fewer packets than it received"
    if step.packets_per_second_mean < MIN_FPS_SHARE * step.janus_out_pps_mean:
        return "load generator: subscribers received less than Janus sent (behind on CPU)"
    if step.udp_rcvbuf_drops_per_second > 0:
        return "load generator: subscribers fell behind (kernel receive-buffer drops)"
    if step.machine_saturated:
        return "the machine's CPU (saturated; Janus shares it)"
    return "Janus"


def print_row(step: Step) -> None:
    print(f"{step.streams:>7} {step.loss_mean_percent:>9.3f} {step.loss_max_percent:>8.3f} "
          f"{step.stalled_streams:>7} {step.fps_mean:>6.1f} {step.publisher_fps:>6.1f} {step.packets_per_second_mean:>6.1f} {step.kbps_mean:>6.0f} "
          f"{step.janus_in_pps:>6.1f} {step.janus_out_pps_mean:>7.1f} {step.udp_rcvbuf_drops_per_second:>8.1f} "
          f"{step.janus_cpu_percent:>8.1f} "
          f"{step.janus_cpu_percent_per_stream:>10.3f} {step.loadgen_cpu_percent:>9.1f} "
          f"{step.machine_cpu_percent:>8.1f} {'ok' if step.ok else 'FAIL':>4}"
          f"{'  (machine saturated)' if step.machine_saturated else ''}", flush=True)


async def controller(args: argparse.Namespace) -> int:
    secret, admin_key, pin = secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(4)
    node = JanusNode(secret, admin_key, rtp_ports=args.rtp_ports or None)
    workers: list[Worker] = []
    publisher: Optional[Publisher] = None
    steps: list[Step] = []
    try:
        node.start()
        await node.wait_ready()
        admin = JanusSession(node.ws_url, core_token(secret))
        await admin.connect()
        await create_room(admin, ROOM, admin_key, pin=pin, publishers=4, bitrate=args.bitrate)
        await admin.close()
        publisher = Publisher(PublishTarget(node.ws_url, ROOM, FEED, "Bench publisher", core_token(secret, 7200),
                                            room_token(secret, ROOM, 7200), pin), width=320, height=180, fps=15)
        await publisher.start()
        print(f"Janus {node.ws_url} (pid {node.process.pid}), room {ROOM!r}: one publisher, VP8 320x180 at 15 fps "
              f"(aiortc cannot simulcast: this is the size of a simulcast publisher's low layer), "
              f"room bitrate cap {args.bitrate or 'none'} bps; "
              f"Janus RTP ports {args.rtp_ports or 200} (one per PeerConnection); subscribers in {args.workers} worker processes, "
              f"counting frames without decoding; hold {args.hold:g} s per step; {os.cpu_count()} cores shared.",
              flush=True)
        await asyncio.sleep(3)  # encoder and bandwidth estimate settle
        workers = [await Worker.spawn(node.ws_url, secret, pin) for _ in range(args.workers)]
        print(f"{'streams':>7} {'loss_mean%':>9} {'loss_max%':>8} {'stalled':>7} {'fps':>6} {'pubfps':>6} {'pkt/s':>6} {'kbps':>6} "
              f"{'J_in/s':>6} {'J_out/s':>7} {'rcvdrop/s':>8} {'janus%':>8} {'janus%/str':>10} {'loadgen%':>9} {'machine%':>8} {'step':>4}", flush=True)
        current = 0
        for target in args.steps:
            if target > args.cap:
                break
            add = target - current
            shares = [add // len(workers) + (1 if i < add % len(workers) else 0) for i in range(len(workers))]
            replies = await asyncio.gather(*(w.ask(f"add {n}") for w, n in zip(workers, shares) if n))
            current = target
            connected = sum(w_reply["connected"] for w_reply in
                            await asyncio.gather(*(w.ask("add 0") for w in workers)))
            failed = sum(r["failed"] for r in replies)
            await asyncio.sleep(2)  # let the new subscribers' first keyframes arrive
            step = await measure_step(node, workers, args.hold, connected, publisher)
            steps.append(step)
            print_row(step)
            if failed or not step.ok:
                if failed:
                    print(f"  {failed} subscribers failed to connect", flush=True)
                break
        good = [s for s in steps if s.ok]
        best = max(good, key=lambda s: s.streams) if good else None
        failing = next((s for s in steps if not s.ok), None)
        summary = {
            "bench": "sfu_capacity", "janus": "1.1.2 VideoRoom", "publisher": "vp8 320x180 15fps (one stream)",
            "hold_seconds": args.hold, "bitrate_cap_bps": args.bitrate,
            "janus_rtp_ports": args.rtp_ports or 200, "cores": os.cpu_count(),
            "max_streams_below_1pct": best.streams if best else 0,
            "janus_cpu_percent_per_stream": best.janus_cpu_percent_per_stream if best else None,
            "loadgen_cpu_percent_at_max": best.loadgen_cpu_percent if best else None,
            "first_failing_step": failing.streams if failing else None,
            "first_failure_likely_cause": failure_cause(failing) if failing else None,
            "steps": [asdict(s) for s in steps],
        }
        if failing:
            print(f"First failing step: {failing.streams} streams; likely cause: {failure_cause(failing)}.", flush=True)
        if best:
            print(f"Largest step below {LOSS_LIMIT_PERCENT:g} % loss (no stall, >= {MIN_FPS_SHARE:.0%} frame rate): "
                  f"{best.streams} streams; Janus "
                  f"{best.janus_cpu_percent:.1f} % CPU ({best.janus_cpu_percent_per_stream:.3f} % per stream), "
                  f"load generator {best.loadgen_cpu_percent:.1f} %.", flush=True)
        print(json.dumps(summary), flush=True)
        return 0 if best else 1
    finally:
        for worker in workers:
            await worker.stop()
        if publisher is not None:
            with contextlib.suppress(Exception):
                await publisher.stop()
        node.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="10,20,40,80,120,160,200,220,240,260,280,300,350,400",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--hold", type=float, default=10.0, help="seconds measured per step")
    parser.add_argument("--cap", type=int, default=400, help="never more subscribers than this")
    parser.add_argument("--workers", type=int, default=2, help="subscriber processes")
    parser.add_argument("--bitrate", type=int, default=256000,
                        help="room bitrate cap per publisher in bps (Janus REMB); 0 = none")
    parser.add_argument("--rtp-ports", type=int, default=2000,
                        help="Janus RTP port range size (write-config.sh gives 200; 0 keeps that)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--secret", help=argparse.SUPPRESS)
    parser.add_argument("--pin", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker_main(args))
        return
    reexec_in_netns()
    logging.basicConfig(level=logging.ERROR)
    # SIGTERM ends the run like Ctrl-C (asyncio cancels the run), so the finally blocks
    # stop Janus and the workers.
    signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    try:
        sys.exit(asyncio.run(controller(args)))
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
