"""Markdown → HTML with markdown-it-py, joining hard-wrapped Chinese lines without a space."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

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


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The one Markdown parser of kwbook: CommonMark with tables and strikethrough, XHTML output."""
    md = MarkdownIt("commonmark", {"xhtmlOut": True, "html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("softbreak", _render_softbreak)
    return md


def render_tokens(tokens: list[Token]) -> str:
    md = markdown()
    return md.renderer.render(tokens, md.options, {})


def plain_text(tokens: list[Token]) -> str:
    """The reading text of block tokens: paragraphs separated by newlines, soft breaks joined as rendered."""
    parts: list[str] = []
    for tok in tokens:
        if tok.type != "inline" or not tok.children:
            continue
        buf: list[str] = []
        for i, child in enumerate(tok.children):
            if child.type in ("text", "code_inline"):
                buf.append(child.content)
            elif child.type == "softbreak":
                buf.append("" if joins_without_space(tok.children, i) else " ")
            elif child.type == "hardbreak":
                buf.append("\n")
        parts.append("".join(buf))
    return "\n".join(p for p in parts if p)


def inline_html(text: str) -> str:
    """Render one line of inline Markdown (a quote, a title) without a paragraph around it."""
    return markdown().renderInline(text)
