"""Read entries back from the PDF: text of each page's text block, between the category bookmarks.

What the print renderer adds is known and left out: running heads and folios lie outside the text block (the
margins of render/page.py); the outline delimits the body (front matter, contents and any back matter such
as an index have bookmarks of their own) and marks the pages entries open on, keyword first, then the quote;
section titles carry the marks the stylesheet puts around them (【概念內涵】), and the see-also line closes an
entry with page references (參見：甲（第 3 頁）、乙（第 9 頁）).
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium

from ..errors import MessageError
from ..messages import message
from ..model import Book
from ..render.page import PT_PER_MM, margins_mm
from .found import FoundEntry, FoundSection, quote_prefix, section_title, squeeze

SEE_ALSO = re.compile(r"(?:參見|参见)：((?:[^（）、]+（第\d+[頁页]）)(?:、[^（）、]+（第\d+[頁页]）)*)")
_REF = re.compile(r"([^（）、]+)（第\d+[頁页]）")
_SLACK_MM = 1.5  # glyphs may reach a little past their line box; running heads stand 4 mm or more away


class PdfReadError(MessageError):
    """The PDF cannot be read, or has no outline to find the body by."""


def _block_text(page, top: float, bottom: float) -> list[str]:
    """Lines of the text block: the page inside the trim box, less the top and bottom margins."""
    left, low, right, high = page.get_trimbox()
    slack = _SLACK_MM * PT_PER_MM
    text = page.get_textpage().get_text_bounded(left, low + bottom - slack, right, high - top + slack)
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def _outline(doc, book: Book) -> tuple[dict[int, str], set[int]]:
    """Page index → category title for pages under a category's top-level bookmark; pages entries open on."""
    titles = {squeeze(c.title) for c in book.categories if c.entries}
    marks, openings = [], set()
    for item in doc.get_toc():
        dest = item.get_dest()
        if dest is None or dest.get_index() is None:
            continue
        if item.level == 0:
            marks.append((dest.get_index(), item.get_title()))
        elif item.level == 1:
            openings.add(dest.get_index())
    marks.sort(key=lambda m: m[0])
    if not any(squeeze(title) in titles for _, title in marks):
        raise PdfReadError("verify.pdf-outline")
    pages: dict[int, str] = {}
    for n, (start, title) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(doc)
        if squeeze(title) in titles:
            for index in range(start, end):
                pages[index] = title
    return pages, openings


def _strip_see_also(entry: FoundEntry) -> None:
    """Take the see-also line off the end of the entry's last section, keeping its keywords."""
    if not entry.sections:
        return
    lines = entry.sections[-1].lines
    for start in range(len(lines) - 1, max(len(lines) - 4, -1), -1):
        if lines[start].startswith(("參見：", "参见：")):
            match = SEE_ALSO.fullmatch(squeeze("".join(lines[start:])))
            if match:
                entry.see_also = [m[1] for m in _REF.finditer(match[1])]
                del lines[start:]
            return


_MARKER = re.compile(r"(?:[•◦▪‣⁃]|\d{1,4}[.)])")  # a list item's marker, which WeasyPrint draws after the text


def _drop_markers(lines: list[str], budget: list[int]) -> list[str]:
    """The lines less those that are only a list marker, at most budget[0] of them (the entry's list items)."""
    kept = []
    for line in lines:
        if budget[0] > 0 and _MARKER.fullmatch(line.strip()):
            budget[0] -= 1
        else:
            kept.append(line)
    return kept


def _peel_notes(lines: list[str], pending: list[tuple[int, str]]) -> tuple[list[str], list[str]]:
    """Split the footnotes off the foot of a page: (body lines, note texts).

    pending are the (number, squeezed text) of the entry's notes not found yet, in order; the page's notes are
    the next few of them, each printed as its number then its text, in the last lines of the page.
    """
    if not pending:
        return lines, []
    expected, total = [], ""
    for number, text in pending:
        total += f"{number}{text}"
        expected.append(total)
    best, tail = None, ""
    for start in range(len(lines) - 1, -1, -1):
        tail = squeeze(lines[start]) + tail
        if len(tail) > len(expected[-1]):
            break
        if tail in expected:
            best = (start, expected.index(tail) + 1)
    if best is None:
        return lines, []
    start, count = best
    notes = [text for _, text in pending[:count]]
    del pending[:count]
    return lines[:start], notes


def extract(path: Path, book: Book) -> list[FoundEntry]:
    """The entries of the PDF at path, in page order."""
    config = book.config
    m = margins_mm(config)
    top, bottom = m["top"] * PT_PER_MM, m["bottom"] * PT_PER_MM
    prefix = squeeze(quote_prefix(config))
    categories = {squeeze(c.title): c.title for c in book.categories}
    notes = {e.keyword: [(n.number, squeeze(n.text)) for s in e.sections for n in s.notes] for e in book.entries}
    items = {e.keyword: sum(len(s.items) for s in e.sections) for e in book.entries}
    pending: list[tuple[int, str]] = []
    budget = [0]
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PdfReadError("verify.pdf-unreadable", reason=exc) from None
    entries: list[FoundEntry] = []
    try:
        body, openings = _outline(doc, book)
        current = None
        for index in sorted(body):
            lines = _block_text(doc[index], top, bottom)
            page = message("verify.where-page", page=index + 1)
            if not lines:
                continue
            if index not in openings and squeeze("".join(lines)) in categories:  # a category's divider page
                current = None
                continue
            if index in openings:  # an entry opens here: its keyword (one or two lines), then the quote
                quote = next((i for i, line in enumerate(lines[:3]) if squeeze(line).startswith(prefix)), 1)
                current = FoundEntry("".join(lines[:quote]), category=body[index], see_also=[], where=page,
                                     marks=frozenset({"calls", "items"}))
                entries.append(current)
                lines = lines[quote:]
                pending = list(notes.get(squeeze(current.keyword), ()))
                budget = [items.get(squeeze(current.keyword), 0)]
            elif current is None:
                raise PdfReadError("verify.pdf-no-entry", page=index + 1)
            lines, found_notes = _peel_notes(lines, pending)
            lines = _drop_markers(lines, budget)
            current.notes += found_notes
            for line in lines:
                title = section_title(line, config)
                if title is not None:
                    current.sections.append(FoundSection(title, where=page))
                else:
                    current.add_line(line)
        for entry in entries:
            _strip_see_also(entry)
    finally:
        doc.close()
    return entries
