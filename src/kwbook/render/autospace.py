"""Print HTML: CJK–Latin spacing (clreq 3.2), the Latin or digit run beside a Han character in a spaced span.

A run of narrow characters (Latin letters, digits and what is joined to them, up to a space or a wide
character) that touches a Han character with a letter or digit gets `<span class="ls ls-l">` (the Han character
is on its left), `ls-r` (on its right) or both; render/page.py gives those sides a margin of book.yaml
`typography.latin_spacing`. Nothing is inserted into the text. Punctuation on either side (、「%( …) takes no
spacing, and a run is never split, so Latin words and numbers stay whole. The neighbour may sit across an inline
tag (a link, emphasis); a footnote call, a line break or a block ends the context. writers/autospace.py drops the
margin where it falls at a line's start or end and marks each spaced boundary with /ActualText in the PDF, so
copying gives `2016年`, not `2016 年`.
"""

from __future__ import annotations

import re
import unicodedata

from .markdown import is_wide

# Inline tags a neighbouring character is seen through; any other tag (sup, br, p, li …) ends the context.
TRANSPARENT = frozenset({"span", "a", "em", "strong", "b", "i", "cite", "q", "small", "abbr"})
_PARTS = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<\s*/?\s*([A-Za-z][\w:-]*)")


def is_ideograph(char: str) -> bool:
    """A Han character (CJK unified or compatibility ideograph, 〇 々)."""
    if not char:
        return False
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF or code in (0x3005, 0x3007))


def is_alnum(char: str) -> bool:
    """A letter or decimal digit of a script set between ideographs with space (Latin, Greek, Cyrillic …)."""
    if not char or is_wide(char):
        return False
    category = unicodedata.category(char)
    return category[0] == "L" or category == "Nd"


def _narrow(char: str) -> bool:
    return not is_wide(char) and not char.isspace()


def boundary(left: str, right: str) -> bool:
    """Whether ¼ em goes between two adjacent characters: a Han character beside a letter or digit."""
    return (is_ideograph(left) and is_alnum(right)) or (is_alnum(left) and is_ideograph(right))


def _space_text(text: str, before: str, after: str) -> str:
    out, i, n = [], 0, len(text)
    while i < n:
        if not _narrow(text[i]):
            out.append(text[i])
            i += 1
            continue
        j = i
        while j < n and _narrow(text[j]):
            j += 1
        run = text[i:j]
        left = is_ideograph(text[i - 1] if i else before) and is_alnum(run[0])
        right = is_ideograph(text[j] if j < n else after) and is_alnum(run[-1])
        if left or right:
            sides = " ls-l" * left + " ls-r" * right
            out.append(f'<span class="ls{sides}">{run}</span>')
        else:
            out.append(run)
        i = j
    return "".join(out)


def _last_visible(text: str) -> str:
    stripped = text.rstrip(" \t\r\n")
    return "" if len(stripped) < len(text) or not stripped else stripped[-1]


def _first_visible(text: str) -> str:
    stripped = text.lstrip(" \t\r\n")
    return "" if len(stripped) < len(text) or not stripped else stripped[0]


def _transparent(tag: str) -> bool:
    name = _NAME.match(tag)
    return bool(name) and name.group(1).lower() in TRANSPARENT and not tag.rstrip(">").endswith("/")


def _neighbours(parts: list[str], order, edge) -> list[str]:
    """For each text part (even index), the visible character next to it, walking order through inline tags."""
    out, context = [""] * len(parts), ""
    for k in order:
        if k % 2:
            context = context if _transparent(parts[k]) else ""
        else:
            out[k] = context
            if parts[k]:
                context = edge(parts[k])
    return out


def autospace(html: str) -> str:
    """The HTML with each Han–Latin and Han–digit boundary in its text spaced; tags and attributes untouched."""
    head, sep, body = html.partition("<body")
    if not sep:
        head, body = "", html
    parts = _PARTS.split(body)
    before = _neighbours(parts, range(len(parts)), _last_visible)
    after = _neighbours(parts, range(len(parts) - 1, -1, -1), _first_visible)
    if sep:  # the opening <body …> tag's rest is the first text part: leave it alone
        first = parts[0]
        at = first.find(">") + 1
        parts[0] = first[:at] + _space_text(first[at:], "", after[0])
        start = 2
    else:
        start = 0
    for k in range(start, len(parts), 2):
        if any(_narrow(c) for c in parts[k]):
            parts[k] = _space_text(parts[k], before[k], after[k])
    return head + sep + "".join(parts)
