"""Print HTML: the last two characters of a Chinese paragraph kept together, so no last line holds one alone (孤字).

The end of each paragraph's last text run — two units (a Han character, or a run of Latin letters and digits)
with the punctuation around them, and an opening bracket just before — goes into `<span class="keep">`, which
print.css sets `white-space: nowrap`. Line breaking then takes one more character onto the last line instead of
leaving one alone; nothing is inserted into the text, so extraction, search and verify see the same text.
"""

from __future__ import annotations

import re

from .markdown import is_wide

PUNCT = frozenset("、。，．：；！？」』）》〉】〕…—「『（《〈【〔·‧～“”‘’")
OPENING = frozenset("「『（《〈【〔“‘")
UNITS = 2
_LAST_RUN = re.compile(r"([^<>]+)</p>")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def tail_start(text: str) -> int | None:
    """Where the unbreakable tail of text starts, or None when the text does not end in Chinese."""
    units, i, seen_han = 0, len(text), False
    while i > 0 and units < UNITS:
        ch = text[i - 1]
        if ch in PUNCT:
            i -= 1
        elif is_wide(ch):
            units, seen_han, i = units + 1, True, i - 1
        elif _ALNUM.match(ch):
            while i > 0 and _ALNUM.match(text[i - 1]):
                i -= 1
            units += 1
        else:
            return None  # a space, an entity or other text: a break opportunity that needs no help
    if units < UNITS or not seen_han:
        return None
    while i > 0 and text[i - 1] in OPENING:
        i -= 1
    return i


def _keep(match: re.Match) -> str:
    text = match.group(1)
    start = tail_start(text)
    if start is None or start == 0 and len(text) < 2:
        return match.group(0)
    return f'{text[:start]}<span class="keep">{text[start:]}</span></p>'


def keep_last_characters(html: str, language: str) -> str:
    """Every paragraph of html with its Chinese tail kept together; other languages are left as they are."""
    if not language.lower().startswith("zh"):
        return html
    return _LAST_RUN.sub(_keep, html)
