"""The print edition's page map: where each PDF page begins and the folio printed on it, read from the layout.

The PDF writer saves it as dist/.<slug>.pages.json beside the PDF; the EPUB writer reads it to place its page
breaks. Each page records its folio label (lower-roman in the front matter, arabic from the body on, as the
page counter printed it) and the text block and character offset where its text starts (None for a page
without text, such as a blank verso). A key over the print HTML and print styles tells a stale map.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..lang import profile
from ..model import Book
from ..render.autospace import autospace
from ..render.punctuation import compress
from ..render.html import print_document
from ..render.page import page_css
from ..render.pagemarks import ATTRIBUTE, block_texts, mark_blocks
from .output import atomic_output, map_path  # noqa: F401  (map_path: where the map is kept)

FORMAT = 1
_last_html: tuple[Book, str] | None = None


def print_html(book: Book) -> str:
    """The print document as the PDF writer lays it out: text blocks tagged for the page map.

    The last one is kept for the same Book object (frozen): the single-document route asks for it to lay the
    book out and again for the page map (pagemap.lay_out, the EPUB without a current map, does the same).
    """
    global _last_html
    if _last_html is None or _last_html[0] is not book:
        _last_html = (book, finish_html(book, mark_blocks(print_document(book))))
    return _last_html[1]


def finish_html(book: Book, html: str) -> str:
    """Typography the print HTML gets after its blocks are numbered: punctuation compression, CJK–Latin spacing."""
    if profile(book.config.language).compress:
        html = compress(html)
    return autospace(html) if book.config.latin_spacing else html


def layout_key(book: Book, styles: Path) -> str:
    """A digest of everything that decides where pages break: the print document, kwbook's code (which tags and
    finishes it: print_html), page geometry and print styles. The document before tagging is digested: it is
    made in a fraction of print_html's time and, with the code, decides it."""
    from .partcache import code_digest

    digest = hashlib.sha256(f"kwbook-pagemap-{FORMAT}\n".encode())
    digest.update(code_digest())
    digest.update(print_document(book).encode("utf-8"))
    digest.update(page_css(book.config).encode("utf-8"))
    for sheet in sorted(Path(styles).glob("print*.css")):
        digest.update(sheet.name.encode() + b"\0" + sheet.read_bytes())
    return digest.hexdigest()


def install() -> bool:
    """Record the value of the page counter on every laid-out page box (WeasyPrint 70 only)."""
    from weasyprint.layout import page as layout_page

    from . import pinned  # WeasyPrint is imported when a PDF is made, not with the page map

    original = layout_page.make_page

    def make_page(context, root_box, page_type, resume_at, page_number, page_state):
        page, resume_at, next_page = original(context, root_box, page_type, resume_at, page_number, page_state)
        counter = page_state[1].get("page")
        page.kwbook_page_counter = counter[-1] if counter else page_number
        return page, resume_at, next_page

    return pinned.apply(__name__, (layout_page, "make_page", make_page))


def roman(number: int) -> str:
    """Lower-case roman numeral, as CSS lower-roman prints it."""
    if number <= 0 or number >= 4000:
        return str(number)
    out = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def _texts(box) -> list[str]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return [box.text]
    return [t for child in getattr(box, "children", ()) if "::" not in (child.element_tag or "") for t in _texts(child)]


def _has_content(box) -> bool:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
        return True
    return any(_has_content(c) for c in getattr(box, "children", ()) if "::" not in (c.element_tag or ""))


def _lines(box, block=None):
    """(block id, line text, has content) for every line box inside a tagged block, in layout order."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox) or "::" in (box.element_tag or ""):
        return
    element = box.element
    if element is not None and not isinstance(box, boxes.TextBox):
        block = element.get(ATTRIBUTE) or block
    if isinstance(box, boxes.LineBox):
        if block:
            yield block, "".join(_texts(box)), _has_content(box)
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, block)


def _locate(text: str, line: str, estimate: int) -> int:
    """Where in a block's text a laid-out line begins: the occurrence of its start nearest the estimate."""
    line = line.lstrip(" ")
    for size in (24, 12, 6, 2, 1):
        probe = line[:size]
        if not probe:
            break
        found, at = [], text.find(probe)
        while at >= 0:
            found.append(at)
            at = text.find(probe, at + 1)
        if found:
            return min(found, key=lambda p: (abs(p - estimate), p))
    return min(estimate, len(text))


def _printed(page_box) -> set[str]:
    from weasyprint.formatting_structure import boxes

    return {"".join(_texts(c)).strip() for c in page_box.children if isinstance(c, boxes.MarginBox)}


def folio_labels(document) -> list[str]:
    """The folio of every page: the page counter, in the style its run of pages prints it (roman or arabic)."""
    counters = [getattr(p._page_box, "kwbook_page_counter", i + 1) for i, p in enumerate(document.pages)]
    runs: list[list[int]] = []
    for i, value in enumerate(counters):
        if runs and value == counters[i - 1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    labels = [str(v) for v in counters]
    for n, run in enumerate(runs):
        printed = [_printed(document.pages[i]._page_box) for i in run]
        is_roman = any(roman(counters[i]) in seen for i, seen in zip(run, printed))
        is_arabic = any(str(counters[i]) in seen for i, seen in zip(run, printed))
        if is_roman or (not is_arabic and n < len(runs) - 1):
            for i in run:
                labels[i] = roman(counters[i])
    return labels


def page_starts(document, html: str) -> list[tuple[str, int] | None]:
    """For every page, the tagged block and character offset where its text begins (None: no text)."""
    texts = block_texts(html)
    consumed: dict[str, int] = {}
    starts: list[tuple[str, int] | None] = []
    for page in document.pages:
        first = None
        for block, line, content in _lines(page._page_box):
            text = texts.get(block, "")
            at = _locate(text, line, consumed.get(block, 0)) if line.strip() else min(consumed.get(block, 0), len(text))
            consumed[block] = at + len(line.lstrip(" "))
            if first is None and (line.strip() or content):
                first = (block, at)
        starts.append(first)
    return starts


def build_map(document, book: Book, styles: Path, source: str, html: str | None = None) -> dict:
    """The page map of a laid-out print document (html: the tagged print HTML it was laid out from)."""
    html = html if html is not None else print_html(book)
    pages = [
        {"label": label, "block": start[0] if start else None, "offset": start[1] if start else 0}
        for label, start in zip(folio_labels(document), page_starts(document, html))
    ]
    return {"format": FORMAT, "key": layout_key(book, styles), "source": source, "pages": pages}


def write_map(data: dict, path: Path) -> Path:
    """Write the map atomically, one page a line, so the same layout gives the same bytes."""
    lines = [json.dumps(page, ensure_ascii=False, sort_keys=True) for page in data["pages"]]
    head = {k: v for k, v in data.items() if k != "pages"}
    text = json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "pages": [\n' + ",\n".join(lines) + "\n]}\n"
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def read_map(path: Path, book: Book, styles: Path) -> dict | None:
    """The saved map if it was made from the same print HTML and styles; None if missing, unreadable or stale."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != layout_key(book, styles):
        return None
    return data


def lay_out(book: Book, styles: Path, source: str) -> dict:
    """Lay out the print document (no PDF is written) and return its page map."""
    from .pdf import render_pdf_document

    document = render_pdf_document(book, styles)
    if isinstance(document, tuple):
        document = document[0]
    return build_map(document, book, styles, source)
