"""Small text helpers for Chinese prose shared by the generator and the editorial tools."""

from __future__ import annotations

import re

from .render.markdown import is_wide

HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_TO_FULL = HALF_TO_FULL  # the name older callers used
_HALF = re.compile("[" + re.escape("".join(HALF_TO_FULL)) + "]")


def _paren_pairs(text: str, protected) -> dict[int, int]:
    """Matching half-width parentheses: each index mapped to its partner."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if i in protected:
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def halfwidth_marks(text: str, protected: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """Indexes of the half-width , : ; ( ) ? ! in text that belong to Chinese text.

    A mark belongs to Chinese text when it touches a wide (CJK) character, or touches another such mark
    ("號)," or "字,(一)"), or is the partner of such a parenthesis ("字(1)" gives "字（1）"): converting them
    all at once leaves nothing that a second pass would convert. Marks between Latin letters or digits
    (3,000 or 10:30) do not. Indexes in `protected` (Markdown syntax, code) are neither converted nor count.
    """
    candidates = [m.start() for m in _HALF.finditer(text) if m.start() not in protected]
    if not candidates:
        return []
    pairs = _paren_pairs(text, protected)
    marked: set[int] = set()
    changed = True
    while changed:
        changed = False
        for i in candidates:
            if i in marked:
                continue
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(text) and j not in protected]
            if any(j in marked or is_wide(text[j]) for j in near) or pairs.get(i, -1) in marked:
                marked.add(i)
                changed = True
    return sorted(marked)


def fullwidth_punctuation(text: str, protected: set[int] | frozenset[int] = frozenset()) -> str:
    """Half-width , : ; ( ) ? ! that belong to Chinese text become their full-width forms.

    Punctuation between two Latin letters or digits (3,000 or 10:30) is left alone.
    """
    marks = halfwidth_marks(text, protected)
    if not marks:
        return text
    chars = list(text)
    for i in marks:
        chars[i] = HALF_TO_FULL[chars[i]]
    return "".join(chars)


def sentences(text: str) -> list[str]:
    """Split prose into sentences ending in 。！？ (closing quotes stay with their sentence)."""
    found = re.findall(r"[^。！？\n]+[。！？][」』）]?", text)
    return [s.strip() for s in found if s.strip()]
