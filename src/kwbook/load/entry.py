"""Parse one Markdown source (YAML front matter + body) into headings and sections with their lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ..diagnostics import Diagnostic
from ..messages import error
from ..model import Note, SourceLocation
from ..render.markdown import markdown, plain_text, render_tokens
from .account import Lost, body_diagnostics, lost_characters, undefined_notes
from .text import read_source
from .yamlnode import load_mapping


@dataclass(frozen=True)
class Heading:
    level: int
    title: str
    line: int


@dataclass(frozen=True)
class Block:
    """The text under one heading (or before the first one), up to the next level-1/2 heading."""

    heading: Heading | None
    html: str
    text: str
    line: int
    paragraphs: tuple[int, ...] = ()  # the first line of each top-level block (paragraph, list, table …)
    notes: tuple[Note, ...] = ()       # footnotes first called in this block
    calls: tuple[tuple[int, int], ...] = ()  # (offset in text, note number) of each footnote call
    items: tuple[int, ...] = ()        # offsets in text where list items begin


@dataclass
class ParsedSource:
    """A source file as read: front matter, level-1/2 headings and the blocks between them."""

    path: Path
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    has_front_matter: bool = False
    meta_error: bool = False
    unclosed: bool = False  # the front matter never ends: nothing else of the file is read
    headings: list[Heading] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    last_line: int = 1
    images: list[tuple[str, int]] = field(default_factory=list)  # (src, line) of every Markdown image
    links: list[tuple[str, int]] = field(default_factory=list)  # (href, line) of every Markdown link
    lost: list[Lost] = field(default_factory=list)  # body characters no block carries (load/account.py)

    def meta_line(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


def _split_front_matter(text: str, path: Path) -> tuple[str | None, int, list[Diagnostic]]:
    """(YAML text or None, 0-based index of the body's first line, diagnostics)."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return None, 0, []
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 1, []
    return None, len(lines), [error("frontmatter-unclosed", path, 1)]


def _heading(tokens: list[Token], i: int, offset: int) -> Heading:
    tok = tokens[i]
    return Heading(int(tok.tag[1]), tokens[i + 1].content.strip(), offset + tok.map[0] + 1)


def _targets(tokens: list[Token], offset: int, kind: str, attr: str) -> list[tuple[str, int]]:
    """The target and source line of every image (kind image, attr src) or link (link_open, href); validation
    refuses every image and a link to a local file (load/files.py)."""
    out = []
    for tok in tokens:
        if tok.type != "inline" or not tok.children or not tok.map:
            continue
        line = offset + tok.map[0] + 1
        for child in tok.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == kind:
                out.append((str(child.attrGet(attr) or ""), line))
    return out


def parse_source(path: Path) -> tuple[ParsedSource | None, list[Diagnostic]]:
    """Read and parse path; None when it cannot be read at all."""
    text, diags = read_source(path)
    if text is None:
        return None, diags
    src = ParsedSource(path=path, last_line=len(text.rstrip("\n").split("\n")))
    yaml_text, offset, fm_diags = _split_front_matter(text, path)
    diags += fm_diags
    if fm_diags:
        src.unclosed = True
        return src, diags
    if yaml_text is not None:
        src.has_front_matter = True
        meta, lines, yaml_diags = load_mapping(yaml_text, path, first_line=2)
        diags += yaml_diags
        if meta is not None:
            src.meta, src.meta_lines = meta, lines
        else:
            src.meta_error = True
    body = "\n".join(text.split("\n")[offset:])
    env: dict = {}
    tokens = markdown().parse(body, env)
    src.images = _targets(tokens, offset, "image", "src")
    src.links = _targets(tokens, offset, "link_open", "href")
    tokens, notes = _take_notes(tokens, path, offset)
    bounds = [i for i, t in enumerate(tokens) if t.type == "heading_open" and t.level == 0]
    for i in bounds:
        src.headings.append(_heading(tokens, i, offset))
    cuts = [i for i in bounds if tokens[i].tag in ("h1", "h2")]
    starts = ([0] if not cuts or cuts[0] > 0 else []) + cuts
    ends = starts[1:] + [len(tokens)]
    kept: list[Token] = [t for _note, note_tokens in notes.values() for t in note_tokens]
    for start, end in zip(starts, ends):
        heading = _heading(tokens, start, offset) if start in cuts else None
        content = tokens[start + 3:end] if heading else tokens[start:end]
        kept += tokens[start:end]
        if heading is None and not content:
            continue
        first = next((t.map[0] for t in content if t.map), None)
        line = heading.line if heading else offset + (first or 0) + 1
        paragraphs = tuple(offset + t.map[0] + 1 for t in content if t.level == 0 and t.nesting != -1 and t.map)
        calls: list[tuple[int, int]] = []
        items: list[int] = []
        text_ = plain_text(content, calls, items)
        called = tuple(notes[n][0] for n in _first_calls(content) if n in notes)
        src.blocks.append(Block(heading, render_tokens(content), text_, line, paragraphs, called, tuple(calls),
                                tuple(items)))
    src.lost = lost_characters(body, kept, env, offset + 1)
    diags += body_diagnostics(path, body, src.lost, tokens, kept, env, offset + 1)
    diags += undefined_notes(path, tokens, env, offset + 1)
    return src, diags


def _first_calls(tokens: list[Token]) -> list[int]:
    """Numbers of the footnotes first called in these tokens (later calls to the same note repeat its number)."""
    return [c.meta["id"] + 1 for t in tokens if t.type == "inline" and t.children
            for c in t.children if c.type == "footnote_ref" and c.meta.get("subId", 0) == 0]


def _take_notes(tokens: list[Token], path: Path, offset: int) -> tuple[list[Token], dict[int, tuple[Note, list[Token]]]]:
    """Split the footnote block markdown-it puts at the end off the tokens: number → (Note, its tokens)."""
    notes: dict[int, tuple[Note, list[Token]]] = {}
    try:
        start = next(i for i, t in enumerate(tokens) if t.type == "footnote_block_open")
    except StopIteration:
        return tokens, notes
    end = next(i for i in range(start, len(tokens)) if tokens[i].type == "footnote_block_close")
    current: list[Token] = []
    number = 0
    for tok in tokens[start + 1:end]:
        if tok.type == "footnote_open":
            number, current = tok.meta["id"] + 1, []
        elif tok.type == "footnote_close":
            first = next((t.map[0] for t in current if t.map), 0)
            html = render_tokens(current)
            notes[number] = (Note(number, html, plain_text(current), SourceLocation(path, offset + first + 1)), current)
        elif tok.type != "footnote_anchor":
            current.append(tok)
    return tokens[:start] + tokens[end + 1:], notes
