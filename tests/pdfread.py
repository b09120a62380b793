"""Reading built PDFs back for tests: outline, fonts, text per page."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf


def outline(path: Path) -> list[tuple[str, int, list]]:
    """[(title, page index, children)] of the PDF's bookmarks."""
    with pikepdf.open(path) as pdf:
        index = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def walk(items):
            out = []
            for item in items:
                dest = item.destination
                if dest is None and item.action is not None:
                    dest = item.action.get("/D")
                page = index.get(dest[0].objgen) if dest is not None else None
                out.append((str(item.title), page, walk(item.children)))
            return out

        with pdf.open_outline() as ol:
            return walk(ol.root)


def fonts(path: Path) -> dict[str, bool]:
    """Base font name → embedded, for every font used on any page."""
    found: dict[str, bool] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                name = str(font.get("/BaseFont"))
                desc = font.get("/FontDescriptor")
                if desc is None and "/DescendantFonts" in font:
                    desc = font.DescendantFonts[0].get("/FontDescriptor")
                embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[name] = embedded
    return found


def page_lines(path: Path) -> list[list[str]]:
    """Text lines of each page, top to bottom."""
    with pdfplumber.open(path) as pdf:
        return [(page.extract_text() or "").splitlines() for page in pdf.pages]


def folio(path: Path, index: int) -> str:
    """The text printed in the bottom margin of page index (its page number)."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[index]
        words = page.extract_words()
        return " ".join(w["text"] for w in words if w["top"] > page.height * 0.9)


def body_lines(path: Path, size: float = 10.5, font: str = "Noto-Serif-CJK-TC"):
    """Lines of body text per page: [(page, top, x0, x1, text, next_starts_flush)].

    A line's successor is the next body line on the same page within 1.5 line pitches; lines with no such
    successor (before a heading, at a page foot) are left out, being possibly paragraph-final.
    """
    out = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages):
            chars = [c for c in page.chars if abs(c["size"] - size) < 0.05 and c["fontname"].endswith(font)]
            rows: dict[float, list] = {}
            for c in chars:
                rows.setdefault(round(c["top"], 1), []).append(c)
            tops = sorted(rows)
            if not tops:
                continue
            left = min(min(c["x0"] for c in rows[t]) for t in tops)
            for a, b in zip(tops, tops[1:]):
                if b - a > size * 1.75 * 1.5:
                    continue
                row = sorted(rows[a], key=lambda c: c["x0"])
                nxt = min(c["x0"] for c in rows[b])
                out.append((n, a, row[0]["x0"], row[-1]["x1"], "".join(c["text"] for c in row), nxt - left < size))
    return out
