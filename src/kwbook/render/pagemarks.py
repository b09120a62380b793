"""Page anchors shared by PDF and EPUB: number the text blocks of rendered HTML and place page breaks in them.

The PDF writer lays out the print document with every text block tagged `data-pm="<unit>.<n>"` (an attribute
only: layout, justification and text extraction do not change); it records, for each printed page, the block
and the character offset where the page's text begins. The EPUB writer walks the same fragments with the same
numbering and inserts the page-break markers at those places. A unit is a top-level element of a fragment
(an entry's <article>, a category <section>, the contents <nav> …), named by its id, else by its first class,
so numbering restarts with each unit and does not depend on how fragments are assembled into files.
"""

from __future__ import annotations

import re
from html import unescape

BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "pre", "figcaption", "caption"})
BEFORE_TAG = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})  # a break at offset 0 goes before these
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
TRANSPARENT = frozenset({"html", "body"})
SKIPPED = frozenset({"head", "script", "style", "title"})
# Footnotes are not counted: the PDF floats their text out of the paragraph, the EPUB puts it in an aside.
NOTES = frozenset({"footnote", "noteref", "noteref-again"})
ATTRIBUTE = "data-pm"

_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?.*?\?>|<[^>]*>|[^<]+", re.S)
_TAG = re.compile(r"<\s*(/)?\s*([A-Za-z][\w:-]*)([^>]*?)(/)?\s*>", re.S)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_CHAR = re.compile(r"&(?:#\d+|#[xX][0-9A-Fa-f]+|\w+);|.", re.S)
_SPACE = frozenset(" \t\n\r\f")


def _attrs(text: str) -> dict[str, str]:
    return {m[1].lower(): unescape(m[2] if m[2] is not None else m[3] if m[3] is not None else m[4]) for m in _ATTR.finditer(text)}


def unit_key(attrs: dict[str, str], tag: str) -> str:
    """The name of a unit: its id, else its first class, else its tag."""
    classes = attrs.get("class", "").split()
    return attrs.get("id") or (classes[0] if classes else tag)


class _Walker:
    """Walk one HTML string; call on_block(start token index, block id, tag) and on_text(block id, token index, text)."""

    def __init__(self, html: str):
        self.tokens = _TOKEN.findall(html)

    def walk(self, on_block_start=None, on_block_end=None, on_text=None) -> None:
        stack: list[tuple[str, str | None]] = []  # (tag, block id of the innermost open block)
        unit, count, skipping = None, 0, 0
        notes: list[str] = []  # open elements of the footnote being skipped
        for i, token in enumerate(self.tokens):
            if not token.startswith("<"):
                if not skipping and stack and stack[-1][1] is not None and on_text:
                    on_text(stack[-1][1], i, token)
                continue
            m = _TAG.match(token)
            if not m:
                continue  # comment, doctype, processing instruction
            closing, tag, rest, selfclosing = m[1], m[2].lower(), m[3], m[4]
            if tag in SKIPPED:
                skipping += -1 if closing else (0 if selfclosing else 1)
                continue
            if notes:  # inside a footnote: follow its nesting to its end
                if not (selfclosing or tag in VOID):
                    if closing:
                        notes.pop()
                        skipping -= not notes
                    else:
                        notes.append(tag)
                continue
            if not closing and not selfclosing and (tag == "aside" or NOTES & set(_attrs(rest).get("class", "").split())):
                notes.append(tag)
                skipping += 1
                continue
            if skipping or tag in TRANSPARENT:
                continue
            if closing:
                while stack:
                    open_tag, block = stack.pop()
                    if open_tag == tag:
                        if tag in BLOCKS and block is not None and on_block_end:
                            on_block_end(block, i)
                        break
                continue
            if tag in VOID or selfclosing:
                continue
            attrs = _attrs(rest)
            if not stack:
                unit, count = unit_key(attrs, tag), 0
            block = stack[-1][1] if stack else None
            if tag in BLOCKS:
                block = f"{unit}.{count}"
                count += 1
                if on_block_start:
                    on_block_start(block, i, tag)
            stack.append((tag, block))


def units(html: str) -> list[str]:
    """The unit names of a fragment, in order."""
    found: list[str] = []

    def start(block: str, i: int, tag: str) -> None:
        name = block.rpartition(".")[0]
        if not found or found[-1] != name:
            found.append(name)

    _Walker(html).walk(on_block_start=start)
    return found


def mark_blocks(html: str) -> str:
    """The same HTML with data-pm="<unit>.<n>" on the start tag of every text block."""
    walker = _Walker(html)
    tokens = list(walker.tokens)

    def start(block: str, i: int, tag: str) -> None:
        token = tokens[i]
        end = token.rindex(">")
        tokens[i] = f'{token[:end].rstrip()} {ATTRIBUTE}="{block}"{token[end:]}'

    walker.walk(on_block_start=start)
    return "".join(tokens)


class _Collapser:
    """Count a block's characters as a browser lays them out: whitespace runs are one space, none at the start."""

    def __init__(self):
        self.count, self.space = 0, True

    def units(self, text: str):
        """Yield (raw unit, offset before it, whether it adds a character)."""
        for m in _CHAR.finditer(text):
            raw = m[0]
            char = unescape(raw) if raw.startswith("&") else raw
            if char in _SPACE:
                adds = not self.space
                self.space = True
            else:
                adds, self.space = True, False
            yield raw, self.count, adds
            self.count += adds


def block_ids(html: str) -> list[str]:
    """The block ids of a fragment, in order (block_texts' keys, without collecting the text)."""
    found: list[str] = []
    _Walker(html).walk(on_block_start=lambda block, i, tag: found.append(block))
    return found


def block_texts(html: str) -> dict[str, str]:
    """Block id → its own text (nested blocks excluded), whitespace collapsed as in layout."""
    parts: dict[str, list[str]] = {}
    state: dict[str, _Collapser] = {}

    def start(block: str, i: int, tag: str) -> None:
        parts[block], state[block] = [], _Collapser()

    def text(block: str, i: int, token: str) -> None:
        for raw, _, adds in state[block].units(token):
            if adds:
                char = unescape(raw) if raw.startswith("&") else raw
                parts[block].append(" " if char in _SPACE else char)

    _Walker(html).walk(on_block_start=start, on_text=text)
    return {block: "".join(chars).rstrip(" ") for block, chars in parts.items()}


def insert_breaks(html: str, breaks: dict[str, list[tuple[int, str]]]) -> str:
    """Insert markup at character offsets of blocks: breaks maps a block id to [(offset, markup)].

    Offset 0 puts the markup before a paragraph or heading (inside a list item or table cell, at its start);
    an offset past the block's text puts it at the block's end.
    """
    if not breaks:
        return html
    walker = _Walker(html)
    tokens = walker.tokens
    before: dict[int, list[str]] = {}   # token index → markup to put before the token
    pending: dict[str, list[tuple[int, str]]] = {}
    state: dict[str, _Collapser] = {}
    texts: dict[int, str] = {}

    def start(block: str, i: int, tag: str) -> None:
        todo = sorted(breaks.get(block, ()), key=lambda b: b[0])
        state[block] = _Collapser()
        first = [markup for offset, markup in todo if offset <= 0]
        if first:
            if tag in BEFORE_TAG:
                before.setdefault(i, []).extend(first)
            else:
                before.setdefault(i + 1, []).extend(first)
        pending[block] = [b for b in todo if b[0] > 0]

    def text(block: str, i: int, token: str) -> None:
        todo = pending.get(block)
        if not todo:  # nothing (more) to place in this block: its offsets are not needed
            return
        out = []
        for raw, offset, adds in state[block].units(token):
            while todo and adds and offset >= todo[0][0]:
                out.append(todo.pop(0)[1])
            out.append(raw)
        texts[i] = "".join(out)

    def end(block: str, i: int) -> None:
        rest = pending.pop(block, [])
        if rest:
            before.setdefault(i, []).extend(markup for _, markup in rest)

    walker.walk(on_block_start=start, on_block_end=end, on_text=text)
    out = []
    for i, token in enumerate(tokens):
        out.extend(before.get(i, ()))
        out.append(texts.get(i, token))
    out.extend(before.get(len(tokens), ()))
    return "".join(out)
