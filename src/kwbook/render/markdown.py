"""Markdown → HTML with markdown-it-py, joining hard-wrapped Chinese lines without a space."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

# Scripts written without spaces between words: a line break between two of these is not a space.
_WIDE = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
    "\u2014\u2026\u00b7\u2018\u2019\u201c\u201d]"
)


def is_wide(char: str) -> bool:
    """True for CJK characters and punctuation that take no space between them and their neighbours."""
    if not char:
        return False
    if _WIDE.match(char):
        return True
    return unicodedata.east_asian_width(char) in ("W", "F")


def _edge_char(tokens: list[Token], start: int, step: int) -> str:
    """The nearest visible character from tokens[start] walking in direction step."""
    i = start
    while 0 <= i < len(tokens):
        tok = tokens[i]
        if tok.type in ("text", "code_inline") and tok.content:
            return tok.content[-1] if step < 0 else tok.content[0]
        if tok.type in ("softbreak", "hardbreak", "image"):
            return ""
        i += step
    return ""


def joins_without_space(tokens: list[Token], idx: int) -> bool:
    """Whether the soft line break at tokens[idx] sits between two wide characters."""
    return is_wide(_edge_char(tokens, idx - 1, -1)) and is_wide(_edge_char(tokens, idx + 1, +1))


def _render_softbreak(self, tokens, idx, options, env):  # markdown-it renderer rule signature
    return "" if joins_without_space(tokens, idx) else "\n"


# Block quotes and lists may be nested this deep (docs/manuscript.md); deeper is a `nesting-too-deep` error.
MAX_DEPTH = 10
# markdown-it stops parsing a container past maxNesting token levels (a list level takes two, a quote one):
# room for MAX_DEPTH lists and a little more, so text just past the limit is still parsed and reported.
MAX_TOKEN_LEVELS = 2 * MAX_DEPTH + 12


def note_call(n: int, sub: int = 0) -> str:
    """The placeholder a footnote reference renders as; render/notes.py gives it each format's form."""
    return f'<a class="noteref" data-note="{n}" data-sub="{sub}">{n}</a>'


def _render_footnote_ref(self, tokens, idx, options, env):
    meta = tokens[idx].meta
    return note_call(meta["id"] + 1, meta.get("subId", 0))


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The one Markdown parser of kwbook: CommonMark with tables, strikethrough and footnotes, XHTML output."""
    md = MarkdownIt("commonmark", {"xhtmlOut": True, "html": False, "typographer": False,
                                   "maxNesting": MAX_TOKEN_LEVELS})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.add_render_rule("softbreak", _render_softbreak)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    return md


def render_tokens(tokens: list[Token]) -> str:
    md = markdown()
    return md.renderer.render(tokens, md.options, {})


def plain_text(tokens: list[Token], calls: list | None = None, items: list | None = None) -> str:
    """The reading text of block tokens: paragraphs separated by newlines, soft breaks joined as rendered.

    Footnote calls add no text. When given, `calls` receives (offset in the result, note number) of each call
    and `items` the offset where each list item's text begins (where a printed list shows its marker).
    """
    parts: list[str] = []
    size = 0
    item = False
    for tok in tokens:
        if tok.type == "list_item_open":
            item = True
        if tok.type != "inline" or not tok.children:
            continue
        buf: list[str] = []
        at = start = size + (1 if parts else 0)
        for i, child in enumerate(tok.children):
            if child.type in ("text", "code_inline"):
                buf.append(child.content)
                at += len(child.content)
            elif child.type == "softbreak":
                buf.append("" if joins_without_space(tok.children, i) else " ")
                at += len(buf[-1])
            elif child.type == "hardbreak":
                buf.append("\n")
                at += 1
            elif child.type == "footnote_ref" and calls is not None:
                calls.append((at, child.meta["id"] + 1))
        if item and items is not None:
            items.append(start)
        item = False
        part = "".join(buf)
        if part:
            size += len(part) + (1 if parts else 0)
            parts.append(part)
    return "\n".join(parts)


def inline_html(text: str) -> str:
    """Render one line of inline Markdown (a quote, a title) without a paragraph around it."""
    return markdown().renderInline(text)
