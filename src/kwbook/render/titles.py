"""Breaking a book title into short, balanced lines for the title page and the covers."""

from __future__ import annotations

import math

MAX_LINE = 9
OPENING = set("《〈「『（([【〔“‘")
CLOSING = set("》〉」』）)]】〕”’，。、：；！？·・")


def _tokens(text: str) -> list[str]:
    """Unbreakable units: one CJK character each, Latin/digit runs whole, punctuation kept with its neighbour."""
    def latin(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    units: list[str] = []
    for ch in text.strip():
        if ch.isspace():
            continue
        last = units[-1][-1] if units else ""
        if last and (ch in CLOSING or last in OPENING or (latin(ch) and latin(last))):
            units[-1] += ch
        else:
            units.append(ch)
    return units


def title_lines(title: str, max_len: int = MAX_LINE) -> list[str]:
    """Break a CJK title into the fewest lines of at most max_len characters, as even as possible."""
    units = _tokens(title)
    total = sum(len(u) for u in units)
    if total <= max_len:
        return ["".join(units)] if units else []
    count = math.ceil(total / max_len)
    lines: list[str] = []
    current = ""
    for unit in units:
        remaining_lines = count - len(lines)
        remaining = total - sum(len(x) for x in lines)
        target = math.ceil(remaining / remaining_lines)
        if current and len(current) + len(unit) > target and remaining_lines > 1:
            lines.append(current)
            current = ""
        current += unit
    lines.append(current)
    return lines
