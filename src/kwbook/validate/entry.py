"""Rules for one entry file: front matter fields and the three sections."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..load.entry import Heading, ParsedSource
from ..messages import error, warning

ENTRY_KEYS = {"keyword", "quote", "order", "see_also"}
# The level-2 heading `kwbook import` puts paragraphs under when the source does not say which section
# they belong to; `check` reports each of them (unassigned-content) until an editor moves them.
UNASSIGNED = "未歸類"
UNASSIGNED_HANS = "未归类"          # the marker `kwbook import` writes into a zh-Hans manuscript
UNASSIGNED_TITLES = (UNASSIGNED, UNASSIGNED_HANS)
# A keyword is one line: it is a title, a contents line, an index line and a running head, and a line break or
# a tab in it comes out differently in the PDF, EPUB and DOCX (kwbook verify then fails). Other control
# characters are refused for every text (control-char); these two are text elsewhere. `kwbook new` uses this.
_KEYWORD_BREAK = re.compile("[\t\n\u2028\u2029]")


def keyword_break(keyword: str) -> str | None:
    """The first line break or tab in keyword (stripped), or None when it is one line."""
    m = _KEYWORD_BREAK.search(keyword.strip())
    return m.group() if m else None


def unassigned_title(language: str | None) -> str:
    """The marker heading for text import could not place, in the script of the book's language."""
    from ..lang import profile

    return UNASSIGNED_HANS if language and profile(language).simplified else UNASSIGNED


def _check_meta(src: ParsedSource) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    path = src.path
    if not src.has_front_matter:
        return [error("frontmatter-missing", path, 1)]
    if src.meta_error:
        return []  # the YAML error itself is already reported
    for key in ("keyword", "quote"):
        value = src.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            out.append(error(f"{key}-missing", path, src.meta_line(key) if key in src.meta else 1))
        elif not isinstance(value, str):
            out.append(error(f"{key}-type", path, src.meta_line(key)))
        elif key == "keyword" and keyword_break(value):
            out.append(error("keyword-line", path, src.meta_line(key), char=f"U+{ord(keyword_break(value)):04X}"))
    for key in src.meta:
        if key not in ENTRY_KEYS:
            out.append(warning("unknown-key", path, src.meta_line(key), key=key))
    order = src.meta.get("order")
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        out.append(error("order-type", path, src.meta_line("order")))
    see = src.meta.get("see_also")
    if see is not None and not (isinstance(see, str) or (isinstance(see, list) and all(isinstance(s, str) for s in see))):
        out.append(error("see-also-type", path, src.meta_line("see_also")))
    return out


def _check_sections(src: ParsedSource, titles: tuple[str, ...]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    path = src.path
    first: dict[str, Heading] = {}
    expected = "、".join(titles)
    for h in src.headings:
        if h.level == 1:
            out.append(error("heading-level1", path, h.line, title=h.title))
        elif h.level == 2 and h.title in UNASSIGNED_TITLES:
            continue  # reported paragraph by paragraph below
        elif h.level == 2 and h.title not in titles:
            out.append(error("heading-unknown", path, h.line, title=h.title, expected=expected))
        elif h.level > 2 and h.title in titles:
            out.append(error("section-level", path, h.line, title=h.title))
        elif h.level == 2 and h.title in first:
            out.append(error("section-duplicate", path, h.line, title=h.title, first=first[h.title].line))
        elif h.level == 2:
            first[h.title] = h
    for block in src.blocks:
        if block.heading is None and block.text.strip():
            out.append(error("content-outside-section", path, block.line, expected=expected))
        elif block.heading and block.heading.level == 2 and block.heading.title in UNASSIGNED_TITLES:
            out += _unassigned(block, path, expected)
        elif block.heading and block.heading.title in titles and block.heading.level == 2 and not block.text.strip():
            out.append(error("section-empty", path, block.heading.line, title=block.heading.title))
    present = [t for t in titles if t in first]
    for i, title in enumerate(titles):
        if title not in first:
            later = [first[t].line for t in titles[i + 1:] if t in first]
            line = min(later) if later else src.last_line
            out.append(error("section-missing", path, line, title=title))
    seen_order = sorted(present, key=lambda t: first[t].line)
    for pos, title in enumerate(seen_order):
        if present[pos] != title:
            want = present[pos]
            out.append(error("section-order", path, first[title].line, title=title, want=want, expected=expected))
            break
    return out


def _unassigned(block, path, expected: str) -> list[Diagnostic]:
    """One unassigned-content error per paragraph under the marker heading (or one for an empty marker)."""
    lines = block.paragraphs if block.text.strip() else ()
    if not lines:
        return [error("unassigned-content", path, block.heading.line, msgid="unassigned-content/empty",
                      marker=block.heading.title)]
    return [error("unassigned-content", path, line, marker=block.heading.title, expected=expected) for line in lines]


def check_entry(src: ParsedSource, titles: tuple[str, ...]) -> list[Diagnostic]:
    """Every problem of one entry taken alone."""
    if src.unclosed:
        return []  # frontmatter-unclosed says it; the rest of the file was not read
    return _check_meta(src) + _check_sections(src, titles)
