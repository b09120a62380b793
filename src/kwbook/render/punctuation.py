"""Mainland punctuation compression for the PDF: consecutive marks set at half width (clreq 3.1.6).

GB/T 15834 books set 。” ）（ 》， 、“ and the like tighter than one em per mark: each mark's blank half next
to its neighbour is dropped. WeasyPrint 70 has no `text-spacing-trim`, and the Noto CJK 2.001 faces Debian
ships have no contextual `chws` feature, but they have `halt` (half-width alternates, GPOS): print_html wraps
the marks to compress in <span class="pc">, which render/page.py sets with font-feature-settings "halt".
Only text outside tags changes; the characters themselves stay, so extraction and search are unchanged.
"""

from __future__ import annotations

import re

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
        out.append(f'<span class="pc">{ch}</span>' if half else ch)
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
