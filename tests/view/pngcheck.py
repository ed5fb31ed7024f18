"""Checks that a PNG is a real picture: it decodes, has the expected size, is not blank."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt


def load_rgb(path: Path) -> npt.NDArray[np.uint8]:
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def assert_real_picture(path: Path, *, min_w: int = 600, min_h: int = 400,
                        min_colours: int = 8) -> npt.NDArray[np.uint8]:
    assert path.exists(), f"{path} was not written"
    assert path.stat().st_size > 10_000, f"{path} is only {path.stat().st_size} bytes"
    rgb = load_rgb(path)
    h, w, _ = rgb.shape
    assert w >= min_w and h >= min_h, (w, h)
    assert float(rgb.astype(np.float64).var()) > 100.0, "the picture is (nearly) uniform"
    colours = np.unique(rgb.reshape(-1, 3)[::7], axis=0).shape[0]
    assert colours >= min_colours, f"only {colours} colours"
    return rgb


def hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def count_colour(rgb: npt.NDArray[np.uint8], colour: str, tol: int = 6) -> int:
    target = np.array(hex_rgb(colour), dtype=np.int16)
    diff = np.abs(rgb.astype(np.int16) - target).max(axis=2)
    return int((diff <= tol).sum())
