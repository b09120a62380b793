"""The book's PDF cut into parts: front matter, runs of whole entries (a category, or part of a large one), index.

Each part is its own HTML document, laid out on its own (writers/partwork.py) and merged later
(writers/partmerge.py). A part is laid out from what the parts before it leave behind: the page counter it
starts at, the side it starts on (so many blank pad pages go first and are dropped), the running-head strings
(the book title, the current category) and the pages of every anchor it cites in another part.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from html import escape

from ..model import Book
from ..render.html import back_units, body_units, front_units, wrap_document
from ..render.pagemarks import mark_blocks

MAX_ENTRIES = 12  # a category with more entries is cut into runs of at most this many (see docs/performance.md)
_HREF = re.compile(r'href="#([^"]+)"')
_ID = re.compile(r'\bid="([^"]+)"')


@dataclass
class Part:
    """One part: a stable name, its top-level HTML elements, the anchors it defines and cites."""

    name: str
    units: list[str]
    category: str | None = None      # the category running on when the part starts inside one
    body: bool = True                # front matter starts the book: no pads, page counter from 1
    opens_right: bool = False        # its first page must be a right-hand one (a category, or entry_start: right)
    anchors: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)

    def __post_init__(self):
        text = "".join(self.units)
        self.anchors = set(_ID.findall(text))
        self.refs = set(_HREF.findall(text)) - self.anchors
        first = self.units[0].lstrip() if self.units else ""
        self.opens_right = self.opens_right or first.startswith(('<section class="category', '<section class="index'))


def plan(book: Book, max_entries: int | None = None) -> list[Part]:
    """The parts of the book, in order; no part splits an entry, each category starts a part.

    max_entries (else KWBOOK_PART_ENTRIES, else MAX_ENTRIES): the longest run of entries in one part.
    """
    max_entries = max_entries or int(os.environ.get("KWBOOK_PART_ENTRIES") or MAX_ENTRIES)
    parts = [Part("front", front_units(book), body=False)]
    run: list[str] = []
    current, carried, count = None, None, 0
    right = book.config.entry_start == "right"
    for cat, entry, html in body_units(book):
        if entry is None or count >= max_entries:
            if run:
                parts.append(Part(_name(current, parts), run, carried, opens_right=right))
            run, count = [], 0
            carried = None if entry is None else current.title
        if entry is None:
            current = cat
        else:
            count += 1
        run.append(html)
    if run:
        parts.append(Part(_name(current, parts), run, carried, opens_right=right))
    back = back_units(book)
    if back:
        parts.append(Part("index", back))
    return parts


def _name(category, parts: list[Part]) -> str:
    base = f"body-{category.anchor}"
    same = sum(p.name.startswith(base) for p in parts)
    return base if same == 0 else f"{base}~{same + 1}"


def pads_for(part: Part, start_index: int) -> int:
    """Pad pages before a body part so its first page falls on the right side (start_index: pages before it).

    Pads carry the running-head strings; one pad puts the part on a left-hand page, two on a right-hand one.
    """
    if not part.body:
        return 0
    return 1 if start_index % 2 else 2


def part_html(book: Book, part: Part, pads: int, finished: str | None = None) -> str:
    """The part as a document: its text blocks tagged as in the whole book, the pad pages in front.

    finished: the part's document without pads (finished_html), when the caller already has it.
    """
    html = finished if finished is not None else finished_html(book, part)
    if not pads:
        return html
    carried = [f'<p class="half-title-text">{escape(book.config.title)}</p>']
    if part.category:
        carried.append(f'<h1 class="category-title">{escape(part.category)}</h1>')
    pad = [f'<div class="kw-pad">{"".join(carried)}</div>'] + ['<div class="kw-pad"></div>'] * (pads - 1)
    at = html.index(">", html.index("<body")) + 1
    return html[:at] + "\n" + "\n".join(pad) + html[at:]


def finished_html(book: Book, part: Part) -> str:
    """The part's own document, before pads: the same whatever page it starts on (a build makes it once)."""
    from .pagemap import finish_html

    return finish_html(book, mark_blocks(wrap_document(book.config, part.units)))


def pad_css(start: int, pads: int) -> str:
    """Pad pages: no bookmarks, a page each; the counter reset so the first real page shows start."""
    if not pads:
        return ""
    return (
        ".kw-pad { page: kw-pad; break-before: page; break-after: page; }\n"
        ".kw-pad, .kw-pad * { bookmark-level: none !important; }\n"
        f"@page :first {{ counter-reset: page {start - pads}; }}\n"
    )



def unit_digest(unit: str) -> str:
    """A short digest of one top-level element (the state records what its layout facts were measured on)."""
    return hashlib.sha256(unit.encode("utf-8")).hexdigest()[:20]
