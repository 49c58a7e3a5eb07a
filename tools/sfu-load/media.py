"""Synthetic media sources: a labelled moving test pattern and an optional tone.

Why generated and not a file: nothing is downloaded on the test machines, and a label
burnt into every frame lets a person watching a Tandem tile tell synthetic participants
apart (and see that the picture moves, so it is live and not a frozen last frame).
"""

from __future__ import annotations

import fractions
import math
import time

import numpy as np
from aiortc.mediastreams import AUDIO_PTIME, MediaStreamError, MediaStreamTrack, VideoStreamTrack
from av import AudioFrame, VideoFrame

# A 5×7 bitmap font for the label: digits, letters, space and a few signs.
_FONT = {
    "0": "01110100011001110101110011000101110", "1": "00100011000010000100001000010001110",
    "2": "01110100010000100010001000100011111", "3": "11111000100010000010000011000101110",
    "4": "00010001100101010010111110001000010", "5": "11111100001111000001000011000101110",
    "6": "00110010001000011110100011000101110", "7": "11111000010001000100010000100001000",
    "8": "01110100011000101110100011000101110", "9": "01110100011000101111000010001001100",
    " ": "0" * 35, "-": "00000000000000011111000000000000000", ".": "0" * 30 + "01100",
    "#": "01010010101111101010111110101001010", ":": "00000011000110000000011000110000000",
}
_ALPHA = {
    "A": "01110100011000111111100011000110001", "B": "11110100011000111110100011000111110",
    "C": "01110100011000010000100001000101110", "D": "11100100101000110001100011001011100",
    "E": "11111100001000011110100001000011111", "F": "11111100001000011110100001000010000",
    "G": "01110100011000010111100011000101111", "H": "10001100011000111111100011000110001",
    "I": "01110001000010000100001000010001110", "J": "00111000100001000010000101001001100",
    "K": "10001100101010011000101001001010001", "L": "10000100001000010000100001000011111",
    "M": "10001110111010110101100011000110001", "N": "10001100011100110101100111000110001",
    "O": "01110100011000110001100011000101110", "P": "11110100011000111110100001000010000",
    "Q": "01110100011000110001101011001001101", "R": "11110100011000111110101001001010001",
    "S": "01111100001000001110000010000111110", "T": "11111001000010000100001000010000100",
    "U": "10001100011000110001100011000101110", "V": "10001100011000110001100010101000100",
    "W": "10001100011000110101101011010101010", "X": "10001100010101000100010101000110001",
    "Y": "10001100011000101010001000010000100", "Z": "11111000010001000100010001000011111",
}
_FONT.update(_ALPHA)


def _label_mask(text: str, scale: int) -> np.ndarray:
    """A boolean image of `text` in the bitmap font, `scale` pixels per dot."""
    text = text.upper()
    glyphs = [np.array([int(b) for b in _FONT.get(c, _FONT["#"])], dtype=bool).reshape(7, 5) for c in text]
    gap = np.zeros((7, 1), dtype=bool)
    row = np.hstack([part for g in glyphs for part in (g, gap)]) if glyphs else np.zeros((7, 1), bool)
    return np.kron(row, np.ones((scale, scale), dtype=bool))


class TestPatternTrack(VideoStreamTrack):
    """Colour bars that scroll, a bouncing square and the participant's name.

    The bars and background are drawn once; each frame only shifts them and stamps the
    square and a frame counter, so one process can run many publishers cheaply.
    """

    def __init__(self, label: str, width: int = 320, height: int = 180, fps: int = 15) -> None:
        super().__init__()
        self.width, self.height, self.fps = width, height, fps
        self.frames_sent = 0
        bars = np.array(
            [[235, 235, 235], [235, 235, 16], [16, 235, 235], [16, 235, 16],
             [235, 16, 235], [235, 16, 16], [16, 16, 235], [40, 40, 40]], dtype=np.uint8)
        columns = np.repeat(bars, math.ceil(width / len(bars)), axis=0)[:width]
        self._bars = np.repeat(columns[np.newaxis, :, :], height, axis=0)
        self._label = _label_mask(label[:24], max(1, height // 60))
        self._time_base = fractions.Fraction(1, 90000)

    async def recv(self) -> VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        # Our own pacing (aiortc's VideoStreamTrack assumes 30 fps).
        if self.frames_sent == 0:
            self._start = time.time()
        else:
            due = self._start + self.frames_sent / self.fps
            await _sleep_until(due)
        n = self.frames_sent
        self.frames_sent += 1
        image = np.roll(self._bars, shift=(n * 2) % self.width, axis=1).copy()
        # Bouncing square.
        size = self.height // 5
        span_x, span_y = self.width - size, self.height - size
        x = abs((n * 5) % (2 * span_x) - span_x)
        y = abs((n * 3) % (2 * span_y) - span_y)
        image[y:y + size, x:x + size] = (255, 255, 255)
        # Name on a dark band at the bottom, frame counter at the top.
        self._stamp(image, self._label, self.height - self._label.shape[0] - 4)
        self._stamp(image, _label_mask(str(n), 2), 4)
        frame = VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = int(n * 90000 / self.fps)
        frame.time_base = self._time_base
        return frame

    def _stamp(self, image: np.ndarray, mask: np.ndarray, top: int) -> None:
        h, w = mask.shape
        w = min(w, self.width - 8)
        band = image[top - 2:top + h + 2, 2:w + 6]
        band[:] = (16, 16, 16)
        image[top:top + h, 4:4 + w][mask[:, :w]] = (255, 255, 255)


class ToneTrack(MediaStreamTrack):
    """Opus-ready 48 kHz mono audio: a quiet 440 Hz tone, or silence."""

    kind = "audio"

    def __init__(self, tone: bool = True, frequency: float = 440.0) -> None:
        super().__init__()
        self.sample_rate = 48000
        self.samples = int(AUDIO_PTIME * self.sample_rate)
        self._n = 0
        self._tone = tone
        t = np.arange(self.sample_rate) / self.sample_rate
        self._wave = (np.sin(2 * math.pi * frequency * t) * 3000).astype(np.int16) if tone else None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self._n == 0:
            self._start = time.time()
        else:
            await _sleep_until(self._start + self._n * self.samples / self.sample_rate)
        start = (self._n * self.samples) % self.sample_rate
        if self._wave is not None:
            chunk = np.take(self._wave, range(start, start + self.samples), mode="wrap")
        else:
            chunk = np.zeros(self.samples, dtype=np.int16)
        frame = AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.sample_rate
        frame.pts = self._n * self.samples
        frame.time_base = fractions.Fraction(1, self.sample_rate)
        self._n += 1
        return frame


async def _sleep_until(due: float) -> None:
    import asyncio

    delay = due - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
