"""Colour for print: RGB -> CMYK through the output ICC profile (littleCMS, by Pillow's ImageCms).

Greys (equal R, G and B, give or take a step) print on the black plate alone, and very dark
greys as solid black: text set in near-black prints as pure K, without registration fringes.
Every other colour goes through the printer's profile with the relative colorimetric intent.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

Rgb = tuple[float, float, float]  # 0-1
Cmyk = tuple[float, float, float, float]  # 0-1

NEUTRAL_SPREAD = 10 / 255  # R, G, B this close together: a grey
SOLID_BLACK = 0.85  # a grey at least this dark prints as 100% K


def hex_rgb(value: str) -> Rgb:
    value = value.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def to_cmyk(rgb: Rgb, profile: Path) -> Cmyk:
    """The CMYK of an sRGB colour: greys on K only, others through ``profile``."""
    if max(rgb) - min(rgb) <= NEUTRAL_SPREAD:
        black = 1 - sum(rgb) / 3
        return 0.0, 0.0, 0.0, 1.0 if black >= SOLID_BLACK else round(black, 4)
    from PIL import Image

    pixel = Image.new("RGB", (1, 1), tuple(round(c * 255) for c in rgb))
    cmyk = _apply(profile, pixel).getpixel((0, 0))
    return tuple(round(c / 255, 4) for c in cmyk)  # type: ignore[return-value]


def suggest_cmyk(hex_value: str, profile: Path) -> str:
    """A brand.yaml value for a colour that has none: '[0, 92, 62, 28]'."""
    return "[" + ", ".join(str(round(c * 100)) for c in to_cmyk(hex_rgb(hex_value), profile)) + "]"


def css_cmyk(percentages: list[float]) -> str:
    """brand.yaml's [C, M, Y, K] percentages as a CSS colour WeasyPrint writes as DeviceCMYK."""
    return "device-cmyk(" + " ".join(f"{p / 100:g}" for p in percentages) + ")"


def image_to_cmyk(image, profile: Path):
    """A Pillow image (any mode) in CMYK through ``profile``; alpha is dropped (the PDF keeps its mask)."""
    if image.mode == "CMYK":
        return image
    return _apply(profile, image.convert("RGB"))


def _apply(profile: Path, rgb):
    """``rgb`` through sRGB -> ``profile``. (ImageCmsTransform.apply also embeds the output profile
    in the image, which fails for some valid profiles, e.g. Ghostscript's ps_cmyk.icc: not needed here.)"""
    from PIL import Image

    out = Image.new("CMYK", rgb.size)
    rgb.load()
    _transform(profile, _stamp(profile)).transform.apply(rgb.getim(), out.getim())
    return out


def _stamp(profile: Path) -> tuple[int, int]:
    stat = profile.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=4)
def _transform(profile: Path, _stamp: tuple[int, int]):
    """sRGB -> ``profile``; cached per worker while the profile file is unchanged."""
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(profile)),
                                   "RGB", "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
