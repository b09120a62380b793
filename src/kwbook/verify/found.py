"""What an extractor reads back from a built output: entries, their quote, sections and see-also keywords."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from ..messages import Message
from ..model import BookConfig
from ..render.html import quote_text

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """The text with every whitespace character removed: line breaks and justification spaces do not count."""
    return _SPACE.sub("", text)


@dataclass
class FoundSection:
    """A section as the output shows it: its title and its paragraphs (or lines, for the PDF)."""

    title: str
    lines: list[str] = field(default_factory=list)
    where: str | Message = ""  # where the output shows it: a file, a page, a paragraph

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class FoundEntry:
    """An entry as the output shows it; see_also is None when the format does not show the see-also line."""

    keyword: str
    category: str = ""
    quote: list[str] = field(default_factory=list)
    sections: list[FoundSection] = field(default_factory=list)
    see_also: list[str] | None = None
    where: str | Message = ""
    notes: list[str] = field(default_factory=list)  # the footnotes' texts, in order
    # What the format prints that the manuscript's text does not hold: "calls" (footnote numbers in the text),
    # "items" (list markers: • ◦ ▪, 1. 2.). verify/compare.py allows them where the model says they stand.
    # "repeats": a note called twice is printed twice (a Word footnote per call).
    marks: frozenset[str] = frozenset()

    def add_line(self, line: str) -> None:
        """Text goes to the last section, or to the quote before the first section title."""
        (self.sections[-1].lines if self.sections else self.quote).append(line)


def quote_prefix(config: BookConfig) -> str:
    """What the renderer writes before every quote (《報告》指出：「), taken from the renderer itself."""
    return quote_text(SimpleNamespace(quote=""), config)[:-1]


def section_title(line: str, config: BookConfig) -> str | None:
    """The book's section title a heading line shows, allowing the marks a stylesheet puts around it (【】)."""
    text = squeeze(line)
    for title in config.sections:
        if text == title or re.fullmatch(r"\W{1,2}" + re.escape(title) + r"\W{1,2}", text):
            return title
    return None
