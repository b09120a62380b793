"""Reading phase: find the manuscript's files, parse them, check them, resolve them into a Book."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, has_errors, sort_key
from ..messages import error
from ..model import Book, Category, Entry, FrontDocument, Section, SourceLocation
from .config import Settings, load_settings

if TYPE_CHECKING:
    from .entry import ParsedSource
from .files import check_front_item, check_image, check_link, check_styles, inside, link_problem, scan_entries

BOOK_FILE = "book.yaml"
ENTRIES_DIR = "entries"


def entry_files(manuscript: Path) -> list[Path]:
    """Every Markdown file below entries/, sorted by path (links out of the manuscript left out)."""
    manuscript = Path(manuscript)
    return scan_entries(manuscript / ENTRIES_DIR, manuscript)[0]


def source_files(manuscript: Path) -> list[Path]:
    """All files the book is built from (doit's file_dep): book.yaml, front matter, entries."""
    manuscript = Path(manuscript)
    files = [manuscript / BOOK_FILE]
    front = manuscript / "front"
    if front.is_dir():
        files += sorted(p for p in front.rglob("*") if p.is_file() and inside(p, manuscript))
    files += entry_files(manuscript)
    return [f for f in files if f.exists()]


def _folder_of(path: Path, manuscript: Path) -> str:
    rel = path.relative_to(manuscript / ENTRIES_DIR)
    return rel.parts[0] if len(rel.parts) == 2 else ("/".join(rel.parts[:-1]) if len(rel.parts) > 2 else "")


def _entry_sort_key(src: ParsedSource) -> tuple:
    order = src.meta.get("order")
    if isinstance(order, int) and not isinstance(order, bool):
        return (0, order, src.path.name)
    return (1, 0, src.path.name)


def _front_document(src: ParsedSource, index: int) -> FrontDocument:
    """A front-matter text; its first level-1 heading (or the file name) is its title."""
    title = next((b.heading.title for b in src.blocks if b.heading and b.heading.level == 1), src.path.stem)
    parts = []
    for b in src.blocks:
        if b.heading and not (b.heading.level == 1 and b.heading.title == title):
            parts.append(f"<h2>{escape(b.heading.title)}</h2>\n")
        parts.append(b.html)
    notes = tuple(n for b in src.blocks for n in b.notes)
    return FrontDocument(title=title, html="".join(parts), location=SourceLocation(src.path, 1), anchor=f"front-{index}",
                         notes=notes)


def _entry(src: ParsedSource, folder: str, titles: tuple[str, ...], anchor: str) -> Entry:
    sections = []
    for block in src.blocks:
        if block.heading and block.heading.level == 2 and block.heading.title in titles:
            sections.append(Section(block.heading.title, block.html, block.text, SourceLocation(src.path, block.line),
                                    block.notes, block.calls, block.items))
    see = src.meta.get("see_also") or ()
    return Entry(
        keyword=src.meta["keyword"].strip(),
        quote=src.meta["quote"].strip(),
        category=folder,
        sections=tuple(sections),
        location=SourceLocation(src.path, 1),
        order=src.meta.get("order"),
        see_also=(see,) if isinstance(see, str) else tuple(see),
        anchor=anchor,
    )


def load_book(manuscript: Path) -> tuple[Book | None, list[Diagnostic]]:
    """Read, check and resolve the whole manuscript. The Book is None when there is any error."""
    from ..validate import check_book, check_entry  # here: `doit` with nothing to do needs only the file list
    from .entry import parse_source

    manuscript = Path(manuscript).resolve()
    problem = link_problem(manuscript / BOOK_FILE, manuscript)
    if problem is None:
        settings, diags = load_settings(manuscript / BOOK_FILE)
    else:
        settings, diags = Settings(path=manuscript / BOOK_FILE), [problem]
    files, link_diags = scan_entries(manuscript / ENTRIES_DIR, manuscript)
    diags += link_diags + check_styles(manuscript / "styles", manuscript)
    if not (manuscript / ENTRIES_DIR).is_dir() and settings.config is not None:
        diags.append(error("entries-dir-missing", manuscript / ENTRIES_DIR))
    titles = settings.config.sections if settings.config else ()
    parsed: list[tuple[str, ParsedSource]] = []
    for path in files:
        src, file_diags = parse_source(path)
        diags += file_diags
        if src is None:
            continue
        diags += [check_image(url, path, line, manuscript) for url, line in src.images]
        diags += [d for url, line in src.links if (d := check_link(url, path, line))]
        if titles:
            diags += check_entry(src, titles)
        parsed.append((_folder_of(path, manuscript), src))
    front_sources: list[ParsedSource] = []
    for rel, line in settings.front:
        path = manuscript / rel
        if check_front_item(rel, line, settings.path, manuscript) is None and path.is_file():
            src, file_diags = parse_source(path)
            diags += file_diags
            if src is not None:
                diags += [check_image(url, path, n, manuscript) for url, n in src.images]
                diags += [d for url, n in src.links if (d := check_link(url, path, n))]
                front_sources.append(src)
    diags += check_book(settings, parsed, manuscript)
    diags = sorted(dict.fromkeys(diags), key=sort_key)  # a control character is seen by the reader and by YAML
    if has_errors(diags) or settings.config is None:
        return None, diags
    return _resolve(settings, parsed, front_sources, manuscript), diags


def _resolve(settings: Settings, parsed: list[tuple[str, ParsedSource]], front: list[ParsedSource], root: Path) -> Book:
    config = settings.config
    categories = []
    n = 0
    for ci, declared in enumerate(settings.categories, 1):
        sources = sorted((s for f, s in parsed if f == declared.folder), key=_entry_sort_key)
        entries = []
        for src in sources:
            n += 1
            entries.append(_entry(src, declared.folder, config.sections, f"kw-{n:03d}"))
        categories.append(Category(declared.title, declared.folder, tuple(entries), anchor=f"cat-{ci}"))
    fronts = tuple(_front_document(s, i) for i, s in enumerate(front, 1))
    return Book(config=config, front=fronts, categories=tuple(categories), root=root)


from .editions import load_editions  # noqa: E402

__all__ = ["load_book", "load_editions", "source_files", "entry_files", "Settings"]
