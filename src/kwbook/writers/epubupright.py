"""EPUB vertical edition (直排): mark numbers and two-letter abbreviations to stand upright (縱中橫), text unchanged.

Runs on a document's finished body (after the page breaks are placed, so print page offsets are untouched) and
only wraps runs of text in spans; the characters a reader, a search or a screen reader gets stay the same.
The rule (docs/typography.md): a run of one or two ASCII digits, or two capital Latin letters, standing alone
(no Latin letter, digit or joining mark . : / _ @ # - on either side) is set in one cell (`tcy`:
text-combine-upright); three or four digits stand upright digit by digit (`upright`: text-orientation upright),
as years are set in Taiwan's vertical books; longer numbers, numbers inside Latin runs (decimals, 2017-05-01,
URLs, identifiers) and Latin words stay rotated (the default).
"""

from __future__ import annotations

import re

from lxml import etree

TCY, UPRIGHT = "tcy", "upright"
_RUN = re.compile(r"(?<![0-9A-Za-z.:/_@#-])(?:[0-9]{1,4}|[A-Z]{2})(?![0-9A-Za-z.:/_@#-])")
SKIP = frozenset({"code", "pre", "script", "style", "math", "svg"})


def upright_class(run: str) -> str:
    """The class for an isolated run the regular expression found."""
    return TCY if len(run) <= 2 else UPRIGHT


def _spans(text: str) -> list:
    """Split text into [str | (class, run)]."""
    out, last = [], 0
    for m in _RUN.finditer(text):
        out += [text[last:m.start()], (upright_class(m[0]), m[0])]
        last = m.end()
    return out + [text[last:]]


def _wrap_text(parent, text: str, anchor, first: bool) -> None:
    """Replace `text` (parent.text when first, else anchor.tail) with the same text, runs wrapped in spans."""
    pieces = _spans(text)
    if len(pieces) == 1:
        return
    lead, rest = pieces[0], pieces[1:]
    if first:
        parent.text = lead
    else:
        anchor.tail = lead
    at = 0 if first else parent.index(anchor) + 1
    ns = parent.nsmap.get(None)
    tag = f"{{{ns}}}span" if ns else "span"
    span = None
    for piece in rest:
        if isinstance(piece, tuple):
            span = etree.Element(tag)
            span.set("class", piece[0])
            span.text = piece[1]
            span.tail = ""
            parent.insert(at, span)
            at += 1
        elif span is not None:
            span.tail = piece


def mark_upright(root) -> None:
    """Wrap the upright runs in every text node under root (an lxml element), in place."""
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or etree.QName(element).localname in SKIP:
            continue
        if any(isinstance(a.tag, str) and etree.QName(a).localname in SKIP for a in element.iterancestors()):
            continue
        children = [c for c in element]
        if element.text:
            _wrap_text(element, element.text, None, True)
        for child in children:
            if child.tail and child.get("class") not in (TCY, UPRIGHT):
                _wrap_text(element, child.tail, child, False)
