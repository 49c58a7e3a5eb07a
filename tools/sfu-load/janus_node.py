"""Runs a Janus node of our own for a test or bench, inside a private network namespace.

Why a namespace: Janus never gathers ICE candidates on a loopback interface, and tests
must not touch real networks. In a namespace of its own (`unshare --net`, as root) we
bring `lo` up and add a bridge `jlo0` holding 127.0.0.2/32; Janus gathers on `jlo0`
only (`ice_enforce_list`), and aiortc gathers there too (it skips only 127.0.0.1).
Inside the namespace every port is free, so the default ports are used.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import aiohttp

from janus_client import JanusSession, plugin_data

REPO = Path(__file__).resolve().parents[2]
NETNS_MARK = "SFU_LOAD_IN_NETNS"
BRIDGE = "jlo0"
BRIDGE_ADDRESS = "127.0.0.2"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def reexec_in_netns() -> None:
    """Re-runs this program in a fresh network namespace (root only), then sets it up.

    Returns in the namespace (after setting up lo and jlo0); never returns in the
    caller's namespace. Without root it exits with a message.
    """
    if os.environ.get(NETNS_MARK) != "1":
        if os.geteuid() != 0:
            sys.exit("needs root: it runs Janus in a private network namespace (unshare --net)")
        env = dict(os.environ, **{NETNS_MARK: "1"})
        os.execvpe("unshare", ["unshare", "--net", "--", sys.executable, *sys.argv], env)
    setup_loopback()


def setup_loopback() -> None:
    """Brings up `lo` and the bridge `jlo0` with 127.0.0.2/32 (idempotent)."""
    def ip(*args: str, check: bool = True) -> None:
        subprocess.run(["ip", *args], check=check, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    ip("link", "set", "lo", "up")
    ip("link", "add", BRIDGE, "type", "bridge", check=False)
    ip("addr", "add", f"{BRIDGE_ADDRESS}/32", "dev", BRIDGE, check=False)
    ip("link", "set", BRIDGE, "up")


class JanusNode:
    """One Janus process with a configuration written by scripts/janus/write-config.sh."""

    def __init__(self, token_secret: str, admin_key: str, index: int = 0,
                 iface: Optional[str] = BRIDGE, workdir: Optional[Path] = None,
                 rtp_ports: Optional[int] = None) -> None:
        self.token_secret = token_secret
        self.admin_key = admin_key
        self.index = index
        self.iface = iface
        self.rtp_ports = rtp_ports
        self._tmp = None if workdir else tempfile.mkdtemp(prefix="sfu-load-janus-")
        self.dir = Path(workdir or self._tmp)
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.ws_url = f"ws://127.0.0.1:{int(os.environ.get('JANUS_WS_BASE', 8188)) + index}"
        self.admin_url = f"http://127.0.0.1:{int(os.environ.get('JANUS_ADMIN_BASE', 7088)) + index}/admin"

    def start(self) -> None:
        """Writes the configuration and starts Janus (not yet waiting for it)."""
        args = [str(REPO / "scripts/janus/write-config.sh"), str(self.dir), str(self.index),
                self.token_secret, self.admin_key]
        if self.iface:
            args.append(self.iface)
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        if self.rtp_ports:
            self._widen_rtp_range(self.rtp_ports)
        self.process = subprocess.Popen(
            ["janus", "-F", str(self.dir), "-o", "-N", "-L", str(self.dir / "log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)

    def _widen_rtp_range(self, ports: int) -> None:
        """Janus takes one RTP port per PeerConnection (bundle + rtcp-mux, one interface),
        so write-config.sh's 200 ports cap a node at about 200 PeerConnections, publishers
        and subscribers together. A capacity bench must not hit that cap first."""
        config = self.dir / "janus.jcfg"
        text = config.read_text()
        start = int(text.split('rtp_port_range = "', 1)[1].split("-", 1)[0])
        before = f'rtp_port_range = "{start}-{start + 199}"'
        config.write_text(text.replace(before, f'rtp_port_range = "{start}-{start + ports - 1}"'))

    async def wait_ready(self, timeout: float = 20.0) -> None:
        """Waits until the WebSocket transport answers."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"janus exited ({self.process.returncode}); see {self.dir}/log")
            try:
                async with aiohttp.ClientSession() as http:
                    async with http.ws_connect(self.ws_url, protocols=("janus-protocol",)) as ws:
                        await ws.send_json({"janus": "info", "transaction": "ready"})
                        reply = await asyncio.wait_for(ws.receive_json(), 3)
                        if reply.get("janus") == "server_info":
                            return
            except (OSError, asyncio.TimeoutError, aiohttp.ClientError):  # not up yet
                if time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.2)

    async def admin(self, http: aiohttp.ClientSession, request: str, path: str = "") -> dict:
        """One Janus admin API request (HTTP, with the node's admin_secret)."""
        secret = (self.dir / "janus.jcfg").read_text().split('admin_secret = "', 1)[1].split('"', 1)[0]
        body = {"janus": request, "transaction": "admin", "admin_secret": secret}
        async with http.post(self.admin_url + path, json=body) as response:
            return await response.json()

    async def packet_counts(self) -> tuple[int, dict[int, int]]:
        """What Janus itself counted: RTP packets received from publishers (all
        handles together) and sent to each receive-only handle (per handle id).

        Why: comparing what Janus sent with what subscribers received tells a late
        load generator from a late SFU, whatever the CPU of the machine.
        """
        received, sent = 0, {}
        async with aiohttp.ClientSession() as http:
            sessions = (await self.admin(http, "list_sessions")).get("sessions", [])
            for session in sessions:
                handles = (await self.admin(http, "list_handles", f"/{session}")).get("handles", [])
                for handle in handles:
                    info = (await self.admin(http, "handle_info", f"/{session}/{handle}")).get("info", {})
                    for media in info.get("webrtc", {}).get("media", {}).values():
                        stats, direction = media.get("stats", {}), media.get("direction", {})
                        if direction.get("recv"):
                            received += stats.get("in", {}).get("packets", 0)
                        if direction.get("send") and not direction.get("recv") and media.get("type") == "video":
                            sent[handle] = sent.get(handle, 0) + stats.get("out", {}).get("packets", 0)
        return received, sent

    def cpu_seconds(self) -> float:
        """User + system CPU time Janus has used (all its threads), from /proc."""
        assert self.process is not None
        return process_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        """Stops Janus (SIGTERM, then SIGKILL) and removes a temporary directory."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._tmp and os.environ.get("SFU_LOAD_KEEP") != "1":
            shutil.rmtree(self._tmp, ignore_errors=True)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM it when its parent dies (even by SIGKILL), so
    no Janus outlives a killed bench."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat), in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


async def create_room(session: JanusSession, room: str, admin_key: str, *, pin: Optional[str] = None,
                      publishers: int = 100, bitrate: int = 0, signed_tokens: bool = True) -> None:
    """Creates a VideoRoom room the way the Tandem server does: VP8 + Opus, signed tokens.

    `bitrate` caps each publisher through REMB (0: Janus's default, no cap).
    """
    handle = await session.attach()
    try:
        body = {"request": "create", "room": room, "admin_key": admin_key, "permanent": False,
                "publishers": publishers, "videocodec": "vp8", "audiocodec": "opus",
                "signed_tokens": signed_tokens, "bitrate": bitrate, "notify_joining": False}
        if pin:
            body["pin"] = pin
        answer = await handle.message(body, until_event=False)
        if plugin_data(answer).get("videoroom") != "created":
            raise RuntimeError(f"room not created: {plugin_data(answer)}")
    finally:
        await handle.detach()
