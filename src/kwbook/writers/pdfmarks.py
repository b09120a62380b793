"""Marked content WeasyPrint 70 does not write: /ActualText over CJK–Latin spacing, /Artifact for decoration.

When a page is drawn:

* the text boxes joined by a spaced CJK–Latin boundary (writers/autospace.py) are wrapped in
  `/Span <</ActualText (…)>> BDC … EMC`, in the screen and the press PDF;
* in the tagged screen PDF, the contents' and index's dot leaders and the page-margin boxes (running heads,
  folios) are written as `/Artifact` marked content (/Layout, /Pagination) instead of structure content, so a
  screen reader does not read rows of dots or a page number in the middle of a sentence. WeasyPrint 70 gives
  margin boxes MCIDs under structure elements it does not link into the tree; their boxes are left out of the
  tree now, and MCIDs stay consecutive (only text drawn as content gets one).

Pinned to WeasyPrint 70.0 (writers/pinned.py): on another version `install` patches nothing.
"""

from __future__ import annotations

from contextlib import contextmanager

import pydyf
from weasyprint import document as wp_document
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as wp_tags
from weasyprint.pdf.stream import Stream

from . import pinned
from .autospace import mark_actual_text

_original_draw_page = wp_document.draw_page
_original_marked = Stream.marked
_original_tree = wp_tags._build_box_tree


def decorative(box) -> str | None:
    """The artifact type of a box drawn only as decoration: Pagination (margin boxes), Layout (leaders)."""
    if isinstance(box, boxes.MarginBox):
        return "Pagination"
    if getattr(box, "is_leader", False):
        return "Layout"
    return None


def _prepare(box, artifact: str | None = None) -> None:
    """Give every text box its parent and, inside decoration, its artifact type; group each line's ActualText."""
    artifact = decorative(box) or artifact
    if isinstance(box, boxes.LineBox) and artifact is None:
        _parents(box)
        mark_actual_text(box)
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            child._kw_parent = box
            if artifact:
                child._kw_artifact = artifact
        elif isinstance(child, boxes.Box):
            _prepare(child, artifact)


def _parents(box) -> None:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            child._kw_parent = box
        elif isinstance(child, (boxes.InlineBox, boxes.LineBox)):
            child._kw_parent = box
            _parents(child)


def _draw_page(page, stream):
    _prepare(page)
    stream._kw_open = 0
    _original_draw_page(page, stream)
    while stream._kw_open:  # a group whose end was not drawn (clipped): close it so the stream stays balanced
        stream.end_marked_content()
        stream._kw_open -= 1


@contextmanager
def _marked(self, box, tag):
    artifact = getattr(box, "_kw_artifact", None)
    actual = getattr(box, "_kw_actual", None)
    if artifact and self._tags is not None:
        self.begin_marked_content("Artifact", pydyf.Dictionary({"Type": f"/{artifact}"}))
        try:
            yield
        finally:
            self.end_marked_content()
    elif actual is not None:  # a group's first box opens its one sequence: its MCID (tagged) and the ActualText
        properties = pydyf.Dictionary({"ActualText": pydyf.String(actual)})
        if self._tags is not None:
            properties["MCID"] = len(self._tags)
            self._tags[box] = {"tag": tag, "mcid": properties["MCID"]}
        self.begin_marked_content(tag, properties)
        self._kw_open = getattr(self, "_kw_open", 0) + 1
        yield
    elif getattr(box, "_kw_absorbed", False):  # drawn inside the group's sequence, no MCID of its own
        yield
        if getattr(box, "_kw_actual_end", False) and getattr(self, "_kw_open", 0):
            self.end_marked_content()
            self._kw_open -= 1
    else:
        with _original_marked(self, box, tag):
            yield


def _absorbed(box) -> bool:
    if isinstance(box, boxes.TextBox):
        return getattr(box, "_kw_absorbed", False)
    return isinstance(box, boxes.InlineBox) and bool(box.children) and all(_absorbed(c) for c in box.children)


def _build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
    """WeasyPrint's structure for a box, less the text boxes drawn in a group's sequence, and none for decoration.

    A group's text is read through its first box's MCID. A leader's link annotation (a leader is part of a link)
    joins the parent element, as every annotation must be in the tree (PDF/UA).
    """
    if _absorbed(box):
        return
    if decorative(box):
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None and parent is not None:
            reference = pydyf.Dictionary({"Type": "/OBJR", "Obj": annotation.reference,
                                          "Pg": pdf.page_references[page_number]})
            pdf.add_object(reference)
            annotations.append((parent.reference, annotation))
            parent["K"].append(reference.reference)
        return
    lines = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.LineBox)]
    hidden = [(c, c.children) for c in [box, *lines] if any(_absorbed(k) for k in getattr(c, "children", ()))]
    for holder, children in hidden:  # out of WeasyPrint's walk while it builds this box's elements
        holder.children = [k for k in children if not _absorbed(k)]
    try:
        yield from _original_tree(box, parent, pdf, page_number, nums, annotations, tags)
    finally:
        for holder, children in hidden:
            holder.children = children


def install() -> bool:
    """Patch WeasyPrint's drawing and tagging; False (nothing patched) on an unreviewed version."""
    return pinned.apply(__name__, (wp_document, "draw_page", _draw_page), (Stream, "marked", _marked),
                        (wp_tags, "_build_box_tree", _build_box_tree))
