"""encode_for_sending: under the limit, PNG when it fits, JPEG otherwise, aspect kept, never enlarged."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from desktop.protocol.limits import MAX_IMAGE_BYTES
from desktop.ui.image_scaling import MAX_SIDE, encode_for_sending, fit_side, thumbnail

pytestmark = pytest.mark.gui


def noisy(width: int, height: int) -> QImage:
    data = os.urandom(width * height * 4)
    return QImage(data, width, height, width * 4, QImage.Format.Format_RGB32).copy()


def decoded(data: bytes) -> QImage:
    image = QImage.fromData(data)
    assert not image.isNull()
    return image


def test_small_screenshot_stays_png_full_size(qapp):
    image = QImage(1200, 800, QImage.Format.Format_ARGB32)
    image.fill(QColor("#eeeeee"))
    data, mime, width, height = encode_for_sending(image)
    assert (mime, width, height) == ("image/png", 1200, 800)
    assert decoded(data).size() == image.size()


def test_noisy_3000x2000_fits_with_aspect_kept(qapp):
    data, mime, width, height = encode_for_sending(noisy(3000, 2000))
    assert len(data) <= MAX_IMAGE_BYTES
    assert mime == "image/jpeg"
    assert width < 3000
    assert abs(width / height - 1.5) < 0.01
    assert (decoded(data).width(), decoded(data).height()) == (width, height)
    # Not shrunk further than needed: one 0.8 step up would not have been a tiny picture.
    assert width >= 3000 * 0.8**6


def test_jpeg_quality_before_scaling(qapp):
    # Noise just over the limit as PNG fits as JPEG without losing pixels.
    image = noisy(300, 300)  # ~360 KB raw: PNG cannot compress noise, JPEG can
    data, mime, width, height = encode_for_sending(image, limit=200 * 1024)
    assert (mime, width, height) == ("image/jpeg", 300, 300)
    assert len(data) <= 200 * 1024


def test_transparent_picture_as_jpeg_goes_on_white(qapp):
    image = noisy(400, 400).convertToFormat(QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
    painter.fillRect(0, 0, 200, 400, Qt.GlobalColor.transparent)  # left half see-through (black if dropped)
    painter.end()
    data, mime, width, height = encode_for_sending(image, limit=40 * 1024)
    assert mime == "image/jpeg"
    assert decoded(data).pixelColor(width // 8, height // 2).lightness() > 240


def test_never_upscaled_and_sides_capped():
    assert fit_side(100, 50) == (100, 50)
    assert fit_side(40000, 100) == (MAX_SIDE, 41)


def test_empty_picture_refused(qapp):
    with pytest.raises(ValueError):
        encode_for_sending(QImage())


def test_thumbnail_height(qapp):
    assert thumbnail(noisy(300, 200), 50).height() == 50
    assert thumbnail(noisy(30, 20), 50).height() == 20
