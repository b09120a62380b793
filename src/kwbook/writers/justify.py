"""Inter-character justification for Chinese text, as an extension of WeasyPrint 70's justification.

WeasyPrint justifies a line by widening its spaces only, so a Chinese line, which has none, stays ragged.
This module makes every wide (CJK) character an expansion opportunity as well:

* ``count_expandable_spaces`` counts, besides spaces, the share of each wide character in the gaps around
  it: Pango's letter spacing puts half of a character's spacing on each side, and drops the half that
  falls outside the text box, so a wide character counts 1, or ½ at either end of its box.
* ``Layout.set_text(justify=True)``, when a box carries justification spacing, gives each wide character
  that much letter spacing (on top of any CSS letter-spacing). Latin words are not letter-spaced; the
  spaces between them widen exactly as much as the gaps between Chinese characters, so a line that mixes
  scripts spreads its slack evenly instead of dumping it into a few spaces.

No character is inserted into the text, so line breaking (kinsoku), text extraction and search in the PDF
are untouched. It patches two functions of WeasyPrint and is pinned to the version it was written against
(writers/pinned.py): on another version ``install`` does nothing and returns False, and the tests fail until it
is reviewed.
"""

from __future__ import annotations

from functools import lru_cache

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from ..render.markdown import is_wide
from . import pinned

TO_UNITS = 1024  # Pango units per CSS pixel, as in weasyprint.text.line_break

_original_count = inline.count_expandable_spaces
_original_set_text = line_break.Layout.set_text
_wide = lru_cache(maxsize=8192)(is_wide)  # asked of every character of every line, often more than once


def expansion_opportunities(text: str) -> float:
    """How many units of justification spacing a text box of this text absorbs."""
    total = float(text.count(" ") + text.count("\u00a0"))
    if text:
        total += sum(map(_wide, text)) - 0.5 * _wide(text[0]) - 0.5 * _wide(text[-1])
    return total


def _count_expandable(box):
    if isinstance(box, boxes.TextBox):
        return expansion_opportunities(box.text)
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(_count_expandable(child) for child in box.children)
    return 0


def _set_text(self, text, justify=False):
    _original_set_text(self, text, justify)
    if not (justify and self.justification_spacing and self.text):
        return
    letter_spacing = self.style["letter_spacing"]
    base = 0 if letter_spacing == "normal" else letter_spacing
    spacing = int((base + self.justification_spacing) * TO_UNITS)
    attr_list = pango.pango_layout_get_attributes(self.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    offset, run = 0, None  # each run of wide characters gets one attribute (Pango merges equal neighbours anyway)
    for char in self.text + "\0":
        if _wide(char):
            run = offset if run is None else run
        elif run is not None:
            attr = pango.pango_attr_letter_spacing_new(spacing)
            attr.start_index, attr.end_index = run, offset
            pango.pango_attr_list_change(attr_list, attr)
            run = None
        offset += len(char.encode())
    pango.pango_layout_set_attributes(self.layout, attr_list)


def install() -> bool:
    """Patch WeasyPrint for Chinese justification; False (nothing patched) on an unreviewed version."""
    return pinned.apply(__name__, (inline, "count_expandable_spaces", _count_expandable),
                        (line_break.Layout, "set_text", _set_text))


def uninstall() -> None:
    """Restore WeasyPrint's own justification (for comparisons and benchmarks)."""
    pinned.revert(__name__, (inline, "count_expandable_spaces", _original_count),
                  (line_break.Layout, "set_text", _original_set_text))
