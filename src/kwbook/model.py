"""The book as one immutable tree: what the loader builds and every writer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SourceLocation:
    """A place in a source file; line and column count from 1."""

    path: Path
    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Note:
    """A footnote: its number in the entry, its text as HTML paragraphs and as plain text."""

    number: int
    html: str
    text: str
    location: SourceLocation


@dataclass(frozen=True)
class Section:
    """One interpretive section of an entry (概念內涵, 緣由演進 or 實踐成效).

    `html` carries each footnote call as render.markdown.note_call(); render/notes.py gives it each format's
    form. `notes` are the footnotes first called here; `calls` the (offset in `text`, note number) of every call
    and `items` the offsets where list items begin: what `kwbook verify` allows an output to print there.
    """

    title: str
    html: str
    text: str
    location: SourceLocation
    notes: tuple[Note, ...] = ()
    calls: tuple[tuple[int, int], ...] = ()
    items: tuple[int, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One keyword: its report quote and its sections, in source order."""

    keyword: str
    quote: str
    category: str
    sections: tuple[Section, ...]
    location: SourceLocation
    order: int | None = None
    see_also: tuple[str, ...] = ()
    anchor: str = ""


@dataclass(frozen=True)
class Category:
    """A group of entries, in the order book.yaml declares it."""

    title: str
    folder: str
    entries: tuple[Entry, ...]
    anchor: str = ""


@dataclass(frozen=True)
class FrontDocument:
    """A front-matter text such as 編寫說明."""

    title: str
    html: str
    location: SourceLocation
    anchor: str = ""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Report:
    """The report the book interprets: its full and short names."""

    full: str
    short: str


@dataclass(frozen=True)
class Trim:
    """Trimmed page size in millimetres."""

    width: float = 185.0
    height: float = 260.0


@dataclass(frozen=True)
class PrintSettings:
    """The press deliverable: bleed, CMYK profile, signature size and paper for the spine."""

    bleed: float = 3.0
    icc_profile: str = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
    signature: int = 16
    paper_thickness: float = 0.1
    condition: str = "CGATS TR 001"  # OutputConditionIdentifier (ICC registry), matching icc_profile


@dataclass(frozen=True)
class EpubSettings:
    """The e-book edition: embedded font subsets, writing direction and the print page list."""

    embed_fonts: bool = False
    font_format: str = "woff2"          # or "otf"
    writing_mode: str = "horizontal"    # or "vertical" (直排)
    page_list: bool = True


@dataclass(frozen=True)
class BookConfig:
    """Settings from book.yaml."""

    title: str
    slug: str
    language: str
    report: Report
    sections: tuple[str, ...]
    planned_entries: int
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    publisher: str = ""
    date: str = ""
    isbn: dict[str, str] = field(default_factory=dict)
    trim: Trim = Trim()
    identifier: str = ""
    edition: str = ""
    entry_start: str = "page"
    index_sort: str = "strokes"
    print: PrintSettings = PrintSettings()
    epub: EpubSettings = EpubSettings()
    latin_spacing: float = 0.25  # em between a Han character and a Latin letter or digit (typography.latin_spacing)


@dataclass(frozen=True)
class Book:
    """The whole book: settings, front matter and categories of entries."""

    config: BookConfig
    front: tuple[FrontDocument, ...]
    categories: tuple[Category, ...]
    root: Path
    # An edition converted from the manuscript (load_editions): the manuscript's language and the decisions
    # of the conversion (kwbook.conversion.Decision), for the conversion report. Empty for the manuscript itself.
    source_language: str = ""
    conversion: tuple = ()

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for c in self.categories for e in c.entries)
