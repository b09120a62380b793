"""One part laid out in a worker process: its PDFs written, and what the merge and the next parts need returned.

A part is laid out once, with the press geometry, and written as each variant the build asks for: the tagged
screen PDF and the press PDF (writers/pdf.py write_variants).

Anchors the part cites but does not hold (an entry in another part) are given to WeasyPrint's target collector
with the page counter they have elsewhere, so `target-counter()` prints their page numbers exactly as the
whole document would; links to them are written as `kwbook:#anchor` URIs that the merge turns into
internal links.
"""

from __future__ import annotations

import gc
from pathlib import Path

from . import pagemap

LINK_SCHEME = "kwbook:#"
# A measuring layout only counts pages and finds anchors: margin boxes (running heads, folios) are laid out after
# a page's content and move no break, yet cost about a tenth of a layout; a measuring pass draws none.
_MARGINS = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top", "right-middle",
            "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
            "left-bottom", "left-middle", "left-top")
NO_MARGIN_BOXES = "@page { " + " ".join(f"@{m} {{ content: none !important; }}" for m in _MARGINS) + " }"
_external: dict[str, int] = {}
_installed = False


class _Target:
    """Stands in for a box in another part: its page counter is all it has."""

    def __init__(self, page: int):
        self.cached_counter_values = {"page": [page]}

    def extract_text(self, *_):
        return ""


def install() -> None:
    """Let WeasyPrint's target collector know the anchors of other parts (a no-op while none are given)."""
    global _installed
    if _installed:
        return
    from weasyprint.css import targets

    original = targets.TargetCollector.__init__

    def __init__(self):
        original(self)
        for name, page in _external.items():
            item = targets.TargetLookupItem("up-to-date")
            item.target_box = _Target(page)
            item.cached_page_counter_values = {"page": [page]}
            self.target_lookup_items[name] = item

    targets.TargetCollector.__init__ = __init__
    _installed = True


def lay_out_part(job: dict) -> dict:
    """Lay out one part (job: html, css, root, styles, press, icc, pads, external, out); write it to out.

    out maps each variant to write (screen, press) to its path; a single path is the screen variant.

    With job["measure"], nothing is written: the layout only tells how many pages the part has and where (and
    draws no margin box: NO_MARGIN_BOXES).

    The laid-out document is a web of reference cycles: it is collected before the next job (a worker lays out
    part after part; the build's own process may lay out one and then fork the workers), or a process would
    carry one part's garbage into the next part's layout.
    """
    result = _lay_out(job)
    gc.collect()
    return result


def _lay_out(job: dict) -> dict:
    import time

    from .pdf import lay_out_html, write_variants

    began = time.perf_counter()
    install()
    pagemap.install()
    _external.clear()
    _external.update(job["external"])
    pads, measure = job["pads"], job.get("measure")
    try:
        document, _ = lay_out_html(job["html"], Path(job["root"]), Path(job["styles"]),
                                   job["css"] + [NO_MARGIN_BOXES] if measure else job["css"],
                                   job["press"], Path(job["icc"]) if job["icc"] else None)
    finally:
        _external.clear()
    # a measuring pass only counts pages and finds anchors: no folios, text starts or writing
    labels = [] if measure else pagemap.folio_labels(document)[pads:]
    starts = [] if measure else pagemap.page_starts(document, job["html"])[pads:]
    document = document.copy(document.pages[pads:])
    anchors, bookmarks, counters = {}, [], []
    for i, page in enumerate(document.pages):
        counter = getattr(page._page_box, "kwbook_page_counter", i + 1)
        counters.append(counter)
        for name in page.anchors:
            anchors.setdefault(name, [i, counter])
        bookmarks += [[level, label] for level, label, *_ in page.bookmarks]
        page.links = [(("external", LINK_SCHEME + target, *rest) if kind == "internal" and target in job["external"]
                       else (kind, target, *rest)) for kind, target, *rest in page.links]
    if not measure:
        write_variants(document, job["out"] if isinstance(job["out"], dict) else {"screen": job["out"]})
    blank = next((i for i, p in enumerate(document.pages) if not p._page_box.page_type.blank), len(document.pages))
    return {"pages": len(document.pages), "blank": blank, "counters": counters, "anchors": anchors, "bookmarks": bookmarks,
            "labels": labels, "starts": [list(s) if s else None for s in starts],
            "seconds": round(time.perf_counter() - began, 2)}
