"""Rules across the whole book: categories, unique keywords, cross references, front matter, coverage."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic
from ..load.config import Settings
from ..load.entry import ParsedSource
from ..load.files import check_front_item, link_problem
from ..messages import error, warning

# What the writers read from a manuscript's own styles/ (api.styles_dir: kwbook's styles/ are then not used at
# all): the PDF's and the page map's print.css, the EPUB's epub.css, the DOCX's docx-styles.yaml, and
# epub-vertical.css for an EPUB with epub.writing_mode: vertical.
STYLE_FILES = ("print.css", "epub.css", "docx-styles.yaml")
VERTICAL_STYLE_FILE = "epub-vertical.css"


def _see_also(src: ParsedSource) -> list[str]:
    value = src.meta.get("see_also")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def check_styles_complete(settings: Settings, root: Path) -> list[Diagnostic]:
    """A manuscript's own styles/ must hold every style file the build reads: else the build stops half-way."""
    styles = root / "styles"
    if not styles.is_dir() or link_problem(styles, root) is not None:  # no own styles, or link-outside says it
        return []
    names = list(STYLE_FILES)
    if settings.config is not None and settings.config.epub.writing_mode == "vertical":
        names.append(VERTICAL_STYLE_FILE)
    # a file that is a link is present: link-outside / link-dangling / link-loop speaks for it (load/files.py)
    return [error("styles-missing", styles / name, name=name) for name in names
            if not (styles / name).is_symlink() and not (styles / name).is_file()]


def check_book(settings: Settings, entries: list[tuple[str, ParsedSource]], root: Path) -> list[Diagnostic]:
    """entries are (category folder, parsed source) pairs in book order."""
    out: list[Diagnostic] = []
    declared = {c.folder for c in settings.categories}
    folders = ", ".join(c.folder for c in settings.categories)
    owners: dict[str, ParsedSource] = {}
    for folder, src in entries:
        if folder not in declared and settings.config is not None:  # else book.yaml's own error says it
            variant = "category-unknown/folder" if folder else "category-unknown/root"
            out.append(error("category-unknown", src.path, 1, msgid=variant, folder=folder, folders=folders))
        kw = src.meta.get("keyword")
        if isinstance(kw, str) and kw.strip():
            kw = kw.strip()
            if kw in owners:
                first = owners[kw]
                where = first.path.relative_to(root) if first.path.is_relative_to(root) else first.path
                out.append(error("keyword-duplicate", src.path, src.meta_line("keyword"), keyword=kw, first=str(where)))
            else:
                owners[kw] = src
    for _, src in entries:
        own = src.meta.get("keyword")
        for target in _see_also(src):
            if target == own:
                out.append(warning("see-also-self", src.path, src.meta_line("see_also"), target=target))
            elif target not in owners:
                out.append(error("see-also-unknown", src.path, src.meta_line("see_also"), target=target))
    for rel, line in settings.front:
        refused = check_front_item(rel, line, settings.path, root)
        if refused is not None:
            out.append(refused)
        elif not (root / rel).is_file():
            out.append(error("front-missing", settings.path, line, rel=rel))
    out += check_styles_complete(settings, root)
    planned = settings.config.planned_entries if settings.config else 0
    count = len(entries)
    line = settings.lines.get("planned_entries", 1)
    if planned and count < planned:
        out.append(warning("entries-missing", settings.path, line, count=count, planned=planned, missing=planned - count))
    elif planned and count > planned:
        out.append(warning("entries-extra", settings.path, line, count=count, planned=planned))
    return out
