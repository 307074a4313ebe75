"""Making a pasted or dropped picture small enough to send (``desktop.protocol.limits.MAX_IMAGE_BYTES``).

:func:`encode_for_sending` prefers PNG (screenshots stay sharp) when it fits, else JPEG at decreasing quality,
else the picture is scaled down by 0.8 steps (aspect ratio kept, never up) and tried again. Encoded sizes
shrink roughly with the area, so hopeless tries are skipped: a PNG is not retried until the estimate says it
could fit, and the 0.8 steps that cannot be enough (from the smallest JPEG) are jumped. A noisy 3000×2000
photo still takes about a second: call this off the UI thread (:mod:`desktop.ui.image_encoder`).

Only QImage is used (no QPixmap), so this may run on a worker thread.
"""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from desktop.protocol.limits import MAX_IMAGE_BYTES

MAX_SIDE: Final = 16384  # ImageBody.width/height upper bound
JPEG_QUALITIES: Final = (90, 80, 70, 60, 50)
SCALE_STEP: Final = 0.8

EncodedImage = tuple[bytes, str, int, int]  # data, mime, width, height


def encode(image: QImage, fmt: str, quality: int = -1) -> bytes:
    """``image`` saved as ``fmt`` ("PNG" or "JPEG") into memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt, quality):  # type: ignore[call-overload]  # runtime wants str
        raise ValueError(f"could not encode the picture as {fmt}")
    buffer.close()
    return bytes(data.data())


def on_white(image: QImage) -> QImage:
    """``image`` without transparency (JPEG has none): drawn over white."""
    if not image.hasAlphaChannel():
        return image.convertToFormat(QImage.Format.Format_RGB32)
    flat = QImage(image.size(), QImage.Format.Format_RGB32)
    flat.fill(QColor("white"))
    painter = QPainter(flat)
    painter.drawImage(0, 0, image)
    painter.end()
    return flat


def scaled(image: QImage, width: int, height: int) -> QImage:
    return image.scaled(
        width, height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def fit_side(width: int, height: int, side: int = MAX_SIDE) -> tuple[int, int]:
    """``(width, height)`` scaled down (never up) so that neither exceeds ``side``, aspect ratio kept."""
    factor = min(1.0, side / max(width, height))
    return max(1, round(width * factor)), max(1, round(height * factor))


def encode_for_sending(image: QImage, limit: int = MAX_IMAGE_BYTES) -> EncodedImage:
    """``(data, mime, width, height)`` with ``len(data) <= limit``; raises ValueError when impossible."""
    if image.isNull():
        raise ValueError("empty picture")
    width, height = fit_side(image.width(), image.height())
    current = image if (width, height) == (image.width(), image.height()) else scaled(image, width, height)
    png_estimate = 0.0  # expected PNG size at the current size, from the last PNG that was too big
    flat: QImage | None = None
    while True:
        if png_estimate <= limit * 1.25:
            data = encode(current, "PNG")
            if len(data) <= limit:
                return data, "image/png", width, height
            png_estimate = float(len(data))
        flat = on_white(current) if flat is None else flat
        smallest = 0
        for quality in JPEG_QUALITIES:
            data = encode(flat, "JPEG", quality)
            if len(data) <= limit:
                return data, "image/jpeg", width, height
            smallest = len(data)
        if width == 1 and height == 1:
            raise ValueError("the picture cannot be made small enough")
        # Bytes shrink roughly with the area (0.64 a step): skip the steps that cannot be enough.
        steps = max(1, math.ceil(math.log(limit / smallest) / math.log(SCALE_STEP**2)) - 1)
        factor = SCALE_STEP**steps
        new_width, new_height = max(1, int(width * factor)), max(1, int(height * factor))
        png_estimate *= (new_width * new_height) / (width * height)
        width, height = new_width, new_height
        current = scaled(image, width, height)
        flat = None


def thumbnail(image: QImage, height: int) -> QImage:
    """A preview of ``image`` at most ``height`` pixels high (never enlarged)."""
    if image.height() <= height:
        return image
    return image.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
