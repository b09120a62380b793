"""Which parts of a manuscript source the editorial tools read and may change, line by line.

Front matter: only the values of `keyword` and `quote` (the other keys are YAML structure). Body: every line
except fenced or indented code; within a line, inline code, link destinations and URLs are protected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEXT_KEYS = ("keyword", "quote")
_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Each alternative starts only where its match can start and stops at the first character that cannot
# continue it, so scanning a line is linear in its length (a 50,000-character line takes milliseconds).
_PROTECT = re.compile(
    r"(?<!`)(`+)(?!`)[^`]*(?<!`)\1(?!`)"    # inline code: a backtick run, text, a run of the same length
    r"|\]\([^()\s]*(?:\s+\"[^\"]*\")?\)"    # a link or image destination
    r"|<[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*>"    # an autolink
    r"|(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]{0,31}://\S+"  # a bare URL
    r"|!(?=\[)"                              # the ! of an image
)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


@dataclass(frozen=True)
class Segment:
    """The part of one line that holds prose: line[start:], of a kind (body, keyword, quote)."""

    index: int          # 0-based line index
    start: int          # first character of the prose on the line
    kind: str
    paragraph: int      # lines of one paragraph share this number (for bracket balance)


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Line contents and their terminators ("\\n", "\\r\\n", "\\r" or "" for the last line)."""
    parts = re.split(r"(\r\n|\r|\n)", text)
    lines, ends = parts[0::2], parts[1::2] + [""]
    return lines, ends


def protected(line: str, entities: bool = True) -> set[int]:
    """Indexes of characters that are Markdown syntax or code, not prose (and of HTML entities, unless told not to)."""
    out: set[int] = set()
    for m in _PROTECT.finditer(line):
        out.update(range(m.start(), m.end()))
    if entities:
        for m in _ENTITY.finditer(line):
            out.update(range(m.start(), m.end()))
    return out


def segments(lines: list[str]) -> list[Segment]:
    """The prose segments of a source given as its lines (without terminators)."""
    out: list[Segment] = []
    i = 0
    para = 0
    if lines and lines[0].strip() == "---":
        end = next((k for k in range(1, len(lines)) if lines[k].strip() in ("---", "...")), None)
        if end is None:
            return []  # unclosed front matter: check reports it; nothing is safe to touch
        key = None
        for k in range(1, end):
            m = _KEY.match(lines[k])
            if m:
                key = m.group(1)
                para += 1
                if key in TEXT_KEYS:
                    out.append(Segment(k, m.end(), key, para))
            elif key in TEXT_KEYS and lines[k][:1] in (" ", "\t") and lines[k].strip():
                out.append(Segment(k, 0, key, para))
        i = end + 1
    fence = None
    prev_blank = True
    in_code = False
    para += 1
    for k in range(i, len(lines)):
        line = lines[k]
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        if not line.strip():
            prev_blank = True
            para += 1
            continue
        in_code = (prev_blank or in_code) and (line.startswith("    ") or line.startswith("\t"))
        if in_code:
            continue  # an indented code block (kept as is)
        if line.lstrip().startswith("#"):
            para += 1  # a heading is a paragraph of its own
            out.append(Segment(k, 0, "body", para))
            para += 1
        else:
            out.append(Segment(k, 0, "body", para))
        prev_blank = False
    return out
