"""Mainland punctuation compression for the PDF: consecutive marks set at half width (clreq 3.1.6).

GB/T 15834 books set 。” ）（ 》， 、“ and the like tighter than one em per mark: each mark's blank half next
to its neighbour is dropped. WeasyPrint 70 has no `text-spacing-trim`, and the Noto CJK 2.001 faces Debian
ships have no contextual `chws` feature, but they have `halt` (half-width alternates, GPOS): print_html wraps
the marks to compress in <span class="pc">, which render/page.py sets with font-feature-settings "halt".
Only text outside tags changes; the characters themselves stay, so extraction and search are unchanged.
A face without `halt` (the quote's AR PL KaitiM GB) gets the same widths from negative margins instead
(`emulated_css`): a closing mark loses the right half of its advance, an opening one (span.po) the left half.
"""

from __future__ import annotations

import re
import subprocess
from functools import lru_cache

CLOSING = "。，、；：？！”’）》〉】〕」』"
OPENING = "“‘（《〈【〔「『"
MARKS = CLOSING + OPENING
_RUN = re.compile(f"[{re.escape(MARKS)}]{{2,}}")
_TEXT = re.compile(r"(<[^>]*>)")


def _compress_run(run: str) -> str:
    """Halve a closing mark followed by another mark, and an opening mark that follows an opening mark.

    A closing mark's blank half is on its right, so halt only shortens its advance. An opening mark's blank is
    on its left, so halt also moves it left; it is halved only after another opening mark, never right after a
    halved closing mark, so no two glyphs start at the same x and text extraction keeps their order.
    ）（ therefore takes one and a half ems, 。” and 》， one and a half, （《 one and a half.
    """
    out = []
    for i, ch in enumerate(run):
        if ch in CLOSING:
            half = i < len(run) - 1
        else:
            half = i > 0 and run[i - 1] in OPENING
        if not half:
            out.append(ch)
        else:
            out.append(f'<span class="pc{" po" if ch in OPENING else ""}">{ch}</span>')
    return "".join(out)


def compress(html: str) -> str:
    """The HTML with each run of two or more marks in its text compressed; tags and attributes untouched."""
    head, sep, body = html.partition("<body")
    if not sep:
        head, body = "", html
    parts = _TEXT.split(body)
    for i in range(0, len(parts), 2):  # even indexes are text between tags
        if _RUN.search(parts[i]):
            parts[i] = _RUN.sub(lambda m: _compress_run(m.group(0)), parts[i])
    return head + sep + "".join(parts)


@lru_cache(maxsize=16)
def has_halt(family: str) -> bool:
    """True when the face fontconfig gives for the family has the GPOS `halt` feature (False if none is found)."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{family}", family],
                               capture_output=True, text=True, timeout=30).stdout.split("\t")
    except (OSError, subprocess.SubprocessError):
        return False
    if len(found) < 3 or family not in found[2].split(","):
        return False
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(found[0], fontNumber=int(found[1] or 0), lazy=True)
        gpos = font["GPOS"].table if "GPOS" in font else None
    except Exception:  # an unreadable face: treat it as one without the feature
        return False
    return bool(gpos and gpos.FeatureList and any(r.FeatureTag == "halt" for r in gpos.FeatureList.FeatureRecord))


def emulated_css(selector: str) -> str:
    """Half widths from margins for the marks under selector, set in a face without halt (no feature then)."""
    return (f"{selector} .pc {{ font-feature-settings: normal; margin-right: -0.5em; }}\n"
            f"{selector} .pc.po {{ margin-right: 0; margin-left: -0.5em; }}\n")
