"""Small text helpers for Chinese prose shared by the generator and the editorial tools."""

from __future__ import annotations

import re

from .render.markdown import is_wide

_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF = re.compile(r"[,:;()?!]")


def fullwidth_punctuation(text: str) -> str:
    """Half-width , : ; ( ) ? ! that touch a Chinese character become their full-width forms.

    Punctuation between two Latin letters or digits (3,000 or 10:30) is left alone.
    """
    out = []
    for i, ch in enumerate(text):
        if ch in _HALF_TO_FULL:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if is_wide(before) or is_wide(after):
                out.append(_HALF_TO_FULL[ch])
                continue
        out.append(ch)
    return "".join(out)


def sentences(text: str) -> list[str]:
    """Split prose into sentences ending in 。！？ (closing quotes stay with their sentence)."""
    found = re.findall(r"[^。！？\n]+[。！？][」』）]?", text)
    return [s.strip() for s in found if s.strip()]
