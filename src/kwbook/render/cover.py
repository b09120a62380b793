"""A generated cover: the title in Noto Sans CJK TC Bold on a deep colour field, as a deterministic PNG."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..lang import in_script, profile
from ..model import BookConfig
from .titles import title_lines
from ..errors import BuildError

HEIGHT = 2400
FIELD = (122, 28, 32)        # deep crimson
INK = (246, 238, 222)        # warm paper white
GOLD = (201, 169, 110)       # muted gold for rules and the small lines
FACE = "Noto Sans CJK TC"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")


@lru_cache(maxsize=None)
def _face_file(style: str, face: str = FACE) -> tuple[str, int]:
    """The .ttc file and face index of Noto Sans CJK TC (or SC) in the given style ('Bold' or 'Regular')."""
    for base in FONT_DIRS:
        for path in sorted(base.rglob(f"NotoSansCJK*-{style}.tt[cf]")) if base.is_dir() else ():
            for index in range(16):
                try:
                    font = ImageFont.truetype(str(path), 12, index=index)
                except OSError:
                    break
                if font.getname() == (face, style):
                    return str(path), index
    raise BuildError("build.cover-font", face=face, style=style)


def _font(style: str, size: int, language: str = "zh-Hant") -> ImageFont.FreeTypeFont:
    path, index = _face_file(style, profile(language).sans)
    return ImageFont.truetype(path, size, index=index)


def _spaced(draw: ImageDraw.ImageDraw, cx: float, y: float, text: str, font, tracking: float, fill) -> None:
    """Draw text centred on cx with extra space between characters (tracking in em)."""
    gap = font.size * tracking
    widths = [font.getlength(ch) for ch in text]
    x = cx - (sum(widths) + gap * (len(text) - 1)) / 2
    for ch, w in zip(text, widths):
        draw.text((x, y), ch, font=font, fill=fill, anchor="ls")
        x += w + gap


def _rule_band(draw: ImageDraw.ImageDraw, x0: int, x1: int, y: int, unit: int) -> None:
    """A thick rule over a thin one, the band that frames the title."""
    draw.rectangle((x0, y, x1, y + unit * 2), fill=GOLD)
    draw.rectangle((x0, y + unit * 5, x1, y + unit * 5 + max(1, unit // 2)), fill=GOLD)


def cover_png(config: BookConfig) -> bytes:
    """The cover as PNG bytes, 2400 px high, in the trim's proportions; the same config gives the same bytes."""
    height = HEIGHT
    width = round(height * config.trim.width / config.trim.height)
    image = Image.new("RGB", (width, height), FIELD)
    draw = ImageDraw.Draw(image)
    margin, unit = round(width * 0.12), max(2, height // 600)
    cx = width / 2

    _rule_band(draw, margin, width - margin, round(height * 0.13), unit)
    lines = title_lines(config.title)
    longest = max((len(line) for line in lines), default=1)
    size = min(170, int((width - 2 * margin) * 0.92 / (longest * 1.06)))
    title_font = _font("Bold", size, config.language)
    pitch = round(size * 1.42)
    y = round(height * 0.25) + size
    for line in lines:
        _spaced(draw, cx, y, line, title_font, 0.06, INK)
        y += pitch

    y += round(size * 0.2)
    draw.rectangle((cx - size, y, cx + size, y + unit), fill=GOLD)
    small = _font("Regular", max(40, size // 2), config.language)
    y += round(small.size * 2.2)
    if config.subtitle:
        _spaced(draw, cx, y, config.subtitle, small, 0.15, INK)

    people = "、".join(config.editors or config.authors)
    byline = f"{people}　{in_script('編' if config.editors else '著', config.language)}" if people else ""
    bottom = [t for t in (byline, config.publisher if config.publisher != people else "") if t]
    footer = _font("Regular", max(36, size // 3), config.language)
    y = round(height * 0.86) - round(footer.size * 1.8) * (len(bottom) - 1)
    for text in bottom:
        _spaced(draw, cx, y, text, footer, 0.3, GOLD)
        y += round(footer.size * 1.8)
    _rule_band(draw, margin, width - margin, round(height * 0.9), unit)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
