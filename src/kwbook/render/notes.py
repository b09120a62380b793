"""Footnotes in each format's form: a float at the call (PDF), a noteref and an aside (EPUB), pandoc's notes (DOCX).

The loader renders each call as render.markdown.note_call() and keeps the notes beside the section (model.Note).
`place_notes` rewrites the calls of one section's HTML and adds what the format needs:

- "float" (PDF): the note's text goes where it is called, in a `span.footnote` that the print stylesheet floats
  to the foot of the page (`float: footnote`); WeasyPrint draws the call and the number.
- "aside" (EPUB): the call is a link `epub:type="noteref"`, the note an `aside epub:type="footnote"` after the
  section, which reading systems show as a pop-up.
- "docx": pandoc's HTML reader makes a Word footnote of a `role="doc-noteref"` link to a `li` in a
  `section role="doc-endnotes"`.

A note called again later repeats its number as a plain superscript (PDF) or a second link to the same note.
"""

from __future__ import annotations

import re

from ..model import Note

_CALL = re.compile(r'<a class="noteref" data-note="(\d+)" data-sub="(\d+)">\d+</a>')
_PARAGRAPHS = re.compile(r"</p>\s*<p>")
MODES = ("float", "aside", "docx")


def note_id(prefix: str, number: int) -> str:
    return f"{prefix}-note-{number}"


def _inline(html: str) -> str:
    """A note's paragraphs as one run of inline HTML, paragraphs separated by line breaks."""
    html = _PARAGRAPHS.sub("<br/>", html.strip())
    return html.removeprefix("<p>").removesuffix("</p>")


def place_notes(html: str, notes: tuple[Note, ...], mode: str, prefix: str) -> str:
    """One section's HTML with its footnote calls in mode's form, and the notes it first calls."""
    by_number = {n.number: n for n in notes}

    def call(m: re.Match) -> str:
        number, sub = int(m[1]), int(m[2])
        target = note_id(prefix, number)
        if mode == "float":
            note = by_number.get(number)
            if note is not None and sub == 0:
                return f'<span class="footnote">{_inline(note.html)}</span>'
            return f'<sup class="noteref-again">{number}</sup>'
        if mode == "docx":
            return f'<a class="footnote-ref" role="doc-noteref" href="#{target}"><sup>{number}</sup></a>'
        ref = f"{prefix}-noteref-{number}" + (f"-{sub}" if sub else "")
        return (f'<sup><a class="noteref" epub:type="noteref" role="doc-noteref" id="{ref}" '
                f'href="#{target}">{number}</a></sup>')

    out = _CALL.sub(call, html)
    if mode == "aside":
        for note in notes:
            out += (f'<aside class="footnote" epub:type="footnote" role="doc-footnote" id="{note_id(prefix, note.number)}">'
                    f'<p class="note"><span class="note-number">{note.number}</span>{_inline(note.html)}</p></aside>\n')
    elif mode == "docx" and notes:
        items = "".join(f'<li id="{note_id(prefix, n.number)}">{n.html}</li>' for n in notes)
        out += f'<section class="footnotes" role="doc-endnotes"><ol>{items}</ol></section>\n'
    return out
