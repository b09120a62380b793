"""`kwbook status`: how far the book is, per category: entries written (and planned), entries with problems,
characters per section; a total line. Works on a manuscript with errors too (it reads the parsed sources).

Planned entries per category come from an optional `planned:` on the category in book.yaml; the book's
total is `planned_entries`.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from ..api import check
from ..load import BOOK_FILE, entry_files
from ..load.config import load_settings
from ..load.entry import parse_source
from ..load.text import read_source
from ..load.yamlnode import load_mapping
from ..messages import render


def _planned_per_category(manuscript: Path) -> dict[str, int]:
    text, _ = read_source(manuscript / BOOK_FILE)
    data = load_mapping(text, manuscript / BOOK_FILE)[0] if text else None
    out: dict[str, int] = {}
    for cat in (data or {}).get("categories") or []:
        if isinstance(cat, dict) and isinstance(cat.get("planned"), int) and not isinstance(cat.get("planned"), bool):
            out[str(cat.get("folder"))] = cat["planned"]
    return out


def _chars(text: str) -> int:
    """Characters as an editor counts them: everything but white space."""
    return sum(1 for ch in text if not ch.isspace())


def _key(path: Path) -> str:
    """A path made absolute without following links (a looping link cannot be resolved)."""
    return os.path.abspath(path)


def book_status(manuscript: Path) -> dict | None:
    """The status as plain data (what --json prints); None when book.yaml is unusable."""
    manuscript = Path(manuscript).resolve()
    settings, _ = load_settings(manuscript / BOOK_FILE)
    if settings.config is None:
        return None
    titles = settings.config.sections
    planned = _planned_per_category(manuscript)
    _, diags = check(manuscript, lint=True)
    errors = {_key(d.path) for d in diags if d.severity == "error"}
    flagged = {_key(d.path) for d in diags}
    rows: dict[str, dict] = {}
    for cat in settings.categories:
        rows[cat.folder] = {"title": cat.title, "folder": cat.folder, "planned": planned.get(cat.folder),
                            "written": 0, "with_errors": 0, "with_problems": 0,
                            "chars": {t: 0 for t in titles}, "total_chars": 0}
    base = manuscript / "entries"
    for path in entry_files(manuscript):
        rel = path.relative_to(base)
        folder = rel.parts[0] if len(rel.parts) > 1 else ""
        row = rows.setdefault(folder, {"title": None, "folder": folder, "planned": None, "written": 0, "with_errors": 0,
                                       "with_problems": 0, "chars": {t: 0 for t in titles}, "total_chars": 0})
        row["written"] += 1
        row["with_errors"] += _key(path) in errors
        row["with_problems"] += _key(path) in flagged
        src, _ = parse_source(path)
        for block in src.blocks if src else []:
            if block.heading and block.heading.level == 2 and block.heading.title in titles:
                n = _chars(block.text)
                row["chars"][block.heading.title] += n
                row["total_chars"] += n
    categories = list(rows.values())
    total = {
        "planned": settings.config.planned_entries,
        "written": sum(r["written"] for r in categories),
        "with_errors": sum(r["with_errors"] for r in categories),
        "with_problems": sum(r["with_problems"] for r in categories),
        "chars": {t: sum(r["chars"][t] for r in categories) for t in titles},
        "total_chars": sum(r["total_chars"] for r in categories),
    }
    return {"title": settings.config.title, "sections": list(titles), "categories": categories, "total": total,
            "errors": sum(d.severity == "error" for d in diags), "warnings": sum(d.severity == "warning" for d in diags)}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def format_table(status: dict, lang: str | None = None) -> str:
    """A terminal table: one row per category, then the total."""
    head = [render("status.category", lang), render("status.folder", lang), render("status.written", lang),
            render("status.planned", lang), render("status.problems", lang), *status["sections"], render("status.chars", lang)]

    def cells(title: str, folder: str, row: dict) -> list[str]:
        planned = "—" if row["planned"] is None else str(row["planned"])
        return [title, folder, str(row["written"]), planned, str(row["with_problems"]),
                *(str(row["chars"][t]) for t in status["sections"]), str(row["total_chars"])]

    body = [cells(r["title"] or render("status.undeclared", lang), r["folder"] or "entries/", r) for r in status["categories"]]
    total = cells(render("status.total", lang), "", status["total"])
    table = [head, *body, total]
    widths = [max(_width(row[i]) for row in table) for i in range(len(head))]
    rule = "  ".join("─" * w for w in widths)

    def line(row: list[str]) -> str:
        return "  ".join(_pad(c, w, i >= 2) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([line(head), rule, *map(line, body), rule, line(total)]) + "\n"
