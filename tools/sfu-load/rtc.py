"""aiortc set-up shared by publishers and subscribers.

Two things every PeerConnection here needs:
- no ICE servers: aiortc's default adds a public STUN server, and tests must never send
  traffic anywhere but loopback;
- optionally no video decoding on the receive side: a load generator that decodes every
  stream spends its CPU on libvpx instead of receiving, and its own lateness then shows
  up as "loss". `count_only_receivers()` swaps aiortc's decoder thread for one that
  hands the reassembled (still encoded) frames on, so a subscriber counts complete
  frames without decoding them.
"""

from __future__ import annotations

import asyncio
import queue
import threading

import aiortc.rtcrtpreceiver as _receiver
from aiortc import RTCConfiguration, RTCPeerConnection

_original_worker = _receiver.decoder_worker


def new_peer_connection() -> RTCPeerConnection:
    """A PeerConnection that gathers host candidates only (no STUN/TURN)."""
    return RTCPeerConnection(RTCConfiguration(iceServers=[]))


def _counting_worker(
    loop: asyncio.AbstractEventLoop,
    input_q: queue.Queue,
    output_q: asyncio.Queue,
    decode_error: threading.Event,
) -> None:
    """aiortc's decoder thread without the decoder: passes encoded frames through."""
    while True:
        task = input_q.get()
        if task is None:
            asyncio.run_coroutine_threadsafe(output_q.put(None), loop)
            break
        _codec, encoded_frame = task
        asyncio.run_coroutine_threadsafe(output_q.put(encoded_frame), loop)


def count_only_receivers(enabled: bool = True) -> None:
    """From now on, new receivers deliver encoded frames (`enabled`) or decoded ones."""
    _receiver.decoder_worker = _counting_worker if enabled else _original_worker
