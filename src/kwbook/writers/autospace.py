"""CJK–Latin spacing in WeasyPrint 70: no margin at a line's edges, /ActualText across each spaced boundary.

render/autospace.py puts the Latin or digit run beside a Han character in `span.ls` with a margin on the Han
side. Two patches finish it:

* after a line is broken (before it is justified), a spacing margin at the very start or end of the line is
  dropped, as clreq asks (no space at a line's edge), and justification then fills the line;
* when a page is drawn (writers/pdfmarks.py), the two text boxes on either side of a spaced boundary (on one line) are wrapped in
  `/Span <</ActualText (…)>> BDC … EMC` holding their text. Text extractors infer a space from any gap wider
  than about 0.1 em (poppler) or 3 pt (pdfminer); poppler and Acrobat take the ActualText instead, spread over
  the glyphs' extent, so `2016年` copies without a space. WeasyPrint's tagged marked content (/Span with an
  MCID, one per text box) stays innermost, inside the ActualText sequence, in the screen and the press PDF.

Pinned to WeasyPrint 70.0 (writers/pinned.py): on another version `install` patches nothing.
"""

from __future__ import annotations

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

from ..render.autospace import boundary
from . import pinned

_original_remove = inline.remove_last_whitespace


def _spaced(box, side: str) -> bool:
    element = getattr(box, "element", None)
    return (isinstance(box, boxes.InlineBox) and box.element_tag == "span" and element is not None
            and side in (element.get("class") or "").split())


def _flow_children(box) -> list:
    return [c for c in box.children if c.is_in_normal_flow() and not (isinstance(c, boxes.TextBox) and not c.text)]


def _edge_chain(line, last: bool) -> list:
    chain, box = [], line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        kids = _flow_children(box)
        if not kids:
            break
        box = kids[-1] if last else kids[0]
        chain.append(box)
    return chain


def trim_line_edges(line) -> None:
    """Drop a spacing margin at the start or end of a laid-out line, shifting what follows and the widths."""
    chain = _edge_chain(line, last=False)
    for k, box in enumerate(chain):
        if _spaced(box, "ls-l") and box.margin_left:
            dx, box.margin_left = box.margin_left, 0
            for child in box.children:
                child.translate(-dx)
            for parent, node in zip([line] + chain[:k], chain[:k + 1]):
                after = False
                for sibling in parent.children:
                    if after:
                        sibling.translate(-dx)
                    after = after or sibling is node
                if parent is not line:
                    parent.width -= dx
            line.width -= dx
            break
    chain = _edge_chain(line, last=True)
    for k, box in enumerate(chain):
        if _spaced(box, "ls-r") and box.margin_right:
            dx, box.margin_right = box.margin_right, 0
            for parent in chain[:k]:
                parent.width -= dx
            line.width -= dx
            break


def _remove_last_whitespace(context, line):
    _original_remove(context, line)
    trim_line_edges(line)


def _leaves(box, out: list) -> list:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            if child.text:
                out.append(child)
        elif isinstance(child, boxes.InlineBox) and not child.is_leader:
            _leaves(child, out)
        else:
            out.append(None)  # an atomic inline or a leader: nothing is joined across it
    return out


def _element_parent(box):
    """The box a text box belongs to in the structure tree, looking through a spacing span."""
    parent = getattr(box, "_kw_parent", None)
    if parent is not None and (_spaced(parent, "ls-l") or _spaced(parent, "ls-r")):
        parent = getattr(parent, "_kw_parent", None)
    return parent


def _spaced_pair(a, b) -> bool:
    if a is None or b is None or not boundary(a.text[-1], b.text[0]):
        return False
    if _element_parent(a) is None or _element_parent(a) is not _element_parent(b):
        return False  # across a link or emphasis: the text stays in its own structure element
    return any(_spaced(p, side) for p, side in ((getattr(a, "_kw_parent", None), "ls-r"), (getattr(b, "_kw_parent", None), "ls-l")))


def mark_actual_text(line) -> int:
    """Group the text boxes of one line joined by spaced boundaries; returns the number of groups.

    The first box of a group gets `_kw_actual` (the group's text), the others `_kw_absorbed`, the last also
    `_kw_actual_end`: writers/pdfmarks.py draws the group as one marked-content sequence. Text boxes and inline
    boxes must carry `_kw_parent` (their parent box).
    """
    leaves = _leaves(line, [])
    groups, current = 0, None
    for a, b in zip(leaves, leaves[1:]):
        if _spaced_pair(a, b):
            if current is None:
                current = [a]
            current.append(b)
        elif current is not None:
            _close(current)
            groups, current = groups + 1, None
    if current is not None:
        _close(current)
        groups += 1
    return groups


def _close(group: list) -> None:
    group[0]._kw_actual = "".join(box.text for box in group)
    for box in group[1:]:
        box._kw_absorbed = True
    group[-1]._kw_actual_end = True


def install() -> bool:
    """Patch WeasyPrint for CJK–Latin spacing; False (nothing patched) on an unreviewed version."""
    return pinned.apply(__name__, (inline, "remove_last_whitespace", _remove_last_whitespace))
