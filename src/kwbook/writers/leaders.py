"""Dot leaders (`content: leader(".")`, the contents and the index) as one text box per line in WeasyPrint 70.

WeasyPrint fills a leader with one text box per dot, each placed from the line's right edge leftwards (so the
dots of every line stand in the same columns). A contents line of a 2-em indent holds some forty of them: the
contents and index pages carried a thousand text boxes each, and laying them out and drawing them cost more
than the rest of those pages (the contents of the 151-entry book: 1.6 s measured with them, 0.6 s with a
plain number instead; docs/performance.md).

After WeasyPrint has placed the dots, `handle_leader` puts the same dots in one text box at the leftmost dot.
The glyphs land where they were: the box is kept only when its width is the dots' widths added up (a font
that kerned or joined two dots would change it; then the dots stay as WeasyPrint made them). The text, and
what a reader copies from the PDF, is the same run of dots.

Pinned to WeasyPrint 70.0 (writers/pinned.py): on another version `install` patches nothing.
"""

from __future__ import annotations

from weasyprint.layout import inline
from weasyprint.layout.leader import leader_index

from . import pinned

_original = inline.handle_leader


def handle_leader(context, line, containing_block) -> None:
    _original(context, line, containing_block)
    index, leader = leader_index(line)
    dots = leader.children if index is not None else ()
    if len(dots) < 2:
        return
    first = min(dots, key=lambda box: box.position_x)
    width = sum(box.width for box in dots)
    merged, *_ = inline.split_text_box(context, first.copy_with_text("".join(box.text for box in dots)),
                                       float("inf"), 0)
    if merged is None or abs(merged.width - width) > 1e-3 * first.width:
        return
    merged.position_x, merged.position_y = first.position_x, first.position_y
    leader.children = (merged,)


def install() -> bool:
    """Patch WeasyPrint's leaders; False (nothing patched) on an unreviewed version."""
    return pinned.apply(__name__, (inline, "handle_leader", handle_leader))
