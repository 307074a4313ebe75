"""Make ShopDesk's notification sounds: ``python resources/sounds/make_sounds.py`` writes the WAVs beside it.

Three short, soft tones that are told apart without looking (16-bit mono PCM at 22,050 Hz, well under
25 KB each, faded in and out so they never click):

- ``new_buyer.wav``: a bell-like rising fifth (G5 → D6), a door chime: someone new came in.
- ``new_message.wav``: two quick light notes (A5 → E6), shorter and quieter: a message in a chat of mine.
- ``overdue.wav``: B5-G5 twice, a little more insistent: a buyer has waited too long.

Only the standard library (``wave``, ``math``); the output is byte-for-byte the same on every run, so a
test can check that the committed files are what this script makes.
"""

from __future__ import annotations

import io
import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22_050
PEAK = 0.55  # of full scale: present, not startling
FADE_IN_S = 0.006
FADE_OUT_S = 0.04

# (frequency Hz, start s, length s, loudness 0..1) per note
Note = tuple[float, float, float, float]
SOUNDS: dict[str, tuple[float, list[Note]]] = {
    "new_buyer": (0.52, [(783.99, 0.0, 0.30, 0.9), (1174.66, 0.16, 0.36, 1.0)]),
    "new_message": (0.26, [(880.0, 0.0, 0.12, 0.75), (1318.51, 0.085, 0.175, 0.8)]),
    "overdue": (
        0.5,
        [
            (987.77, 0.0, 0.12, 1.0),
            (783.99, 0.11, 0.14, 0.9),
            (987.77, 0.25, 0.12, 1.0),
            (783.99, 0.36, 0.14, 0.9),
        ],
    ),
}


def _note(t: float, freq: float, length: float) -> float:
    """A soft bell: fundamental plus a little of the octave and the twelfth, a quick attack, then decay."""
    if t < 0 or t >= length:
        return 0.0
    attack = min(1.0, t / 0.008)
    decay = math.exp(-t * 6.0 / length)
    phase = 2 * math.pi * freq * t
    return attack * decay * (math.sin(phase) + 0.28 * math.sin(2 * phase) + 0.08 * math.sin(3 * phase))


def samples(kind: str) -> list[int]:
    """The 16-bit samples of ``kind``'s sound."""
    duration, notes = SOUNDS[kind]
    count = round(duration * RATE)
    raw = []
    for i in range(count):
        t = i / RATE
        raw.append(sum(loud * _note(t - start, freq, length) for freq, start, length, loud in notes))
    top = max(abs(v) for v in raw) or 1.0
    out = []
    for i, value in enumerate(raw):
        t = i / RATE
        fade = min(1.0, t / FADE_IN_S, (count - 1 - i) / RATE / FADE_OUT_S)
        out.append(round(value / top * PEAK * fade * 32_767))
    return out


def render(kind: str) -> bytes:
    """``kind``'s sound as the bytes of a WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        data = samples(kind)
        out.writeframes(struct.pack(f"<{len(data)}h", *data))
    return buffer.getvalue()


HERE = Path(__file__).resolve().parent


def main(folder: Path = HERE) -> int:
    for kind in SOUNDS:
        path = folder / f"{kind}.wav"
        data = render(kind)
        path.write_bytes(data)
        print(f"{path.name}: {len(data):,} bytes, {SOUNDS[kind][0]:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
