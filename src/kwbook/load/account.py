"""Account for every character of a Markdown body: it reaches the parsed blocks, or a diagnostic names its line.

The Markdown parser drops text in a few ways: a link reference definition is syntax (its text reaches the book
only through the links that use it), a footnote definition nobody refers to is left out, and markdown-it stops
parsing a block quote or list nested past its limit. The loader hands every token it keeps (blocks, section
titles, footnotes) to `lost_characters`, which walks the source character by character against the text those
tokens carry (the raw inline source, code, a fence's info string). A character it cannot place is lost unless it
is Markdown syntax (list and quote marks, `#`, table pipes, fences …). `body_diagnostics` turns the lost
characters into errors, one per run of lines: `link-unused`, `footnote-unused`, `nesting-too-deep` or, for
anything else, `text-dropped`. `unexplained(path)`, the invariant the tests check, counts the same body another
way (its CJK characters against what the parsed entry carries): it must be empty.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token

from ..diagnostics import Diagnostic
from ..messages import error
from ..render.markdown import MAX_DEPTH

# What a Markdown block structure may consume without it reaching the text: quote and list marks, list numbers,
# heading marks, setext underlines, table pipes and alignment rows, thematic breaks, fences, escapes.
_SYNTAX_CHARS = ">-*+#=|:`~.)0123456789\\_"
SYNTAX = set(_SYNTAX_CHARS)
CODES = ("link-unused", "footnote-unused", "nesting-too-deep", "text-dropped")
_FOOTNOTE_DEF = re.compile(r"^(?:[ \t]*>)*[ \t]*(\[\^([^\]\s]+)\]:)")
_FOOTNOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")
_LINK_DEF = re.compile(r"^(?:[ \t]*>)*[ \t]*\[([^\]]+)\]:")
_BRACKETS = re.compile(r"\[([^\[\]]+)\]")
_LANGUAGE = re.compile(r"[A-Za-z0-9_+.#-]+")  # a fence's language name (```python, ```c++)
_LEAVES = ("inline", "fence", "code_block", "html_block")
_CONTAINERS = ("blockquote_open", "bullet_list_open", "ordered_list_open")


@dataclass(frozen=True)
class Lost:
    """Characters of one source line that reached no block: line counts from 1 in the whole file."""

    line: int
    col: int
    text: str


def _carried(tokens: list[Token]) -> str:
    """The text the kept tokens carry, in source order, without whitespace."""
    # Footnotes come back to their place in the source. An inline footnote (^[…]) has no line of its own: its
    # text is already in the paragraph that holds it.
    leaves = sorted((t for t in tokens if t.type in _LEAVES and t.map), key=lambda t: t.map[0])
    parts = []
    for tok in leaves:
        if tok.type == "fence":  # of the info string, only a language name is syntax: no output prints the rest
            language = tok.info.split()[:1]
            parts.append(language[0] if language and _LANGUAGE.fullmatch(language[0]) else "")
        parts.append(tok.content)
    return "".join("".join(parts).split())


def _used_labels(tokens: list[Token]) -> set[str]:
    """Labels in brackets anywhere in inline text: the reference links that may use a definition."""
    labels = set()
    for tok in tokens:
        if tok.type == "inline":
            labels.update(normalizeReference(m[1]) for m in _BRACKETS.finditer(tok.content))
    return labels


def _definition_lines(env: dict, tokens: list[Token]) -> tuple[set[int], dict[int, str]]:
    """0-based body lines of used link definitions (accounted for), and first line → label of unused ones."""
    used_labels = _used_labels(tokens)
    used, unused = set(), {}
    for label, ref in (env.get("references") or {}).items():
        start, end = ref.get("map") or (None, None)
        if start is None:
            continue
        if label in used_labels:
            used.update(range(start, end))
        else:
            unused[start] = label
    return used, unused


def lost_characters(body: str, kept: list[Token], env: dict, first_line: int = 1) -> list[Lost]:
    """The characters of body that no kept token carries; first_line is the file line of body's first line.

    Greedy and linear: a source character matches the next carried character when they are equal; otherwise it
    is skipped as syntax, or lost. (Matching a syntax mark early only shifts the skip to an equal mark.)
    """
    model = _carried(kept)
    used, _unused = _definition_lines(env, kept)
    out: list[Lost] = []
    j = 0
    for n, line in enumerate(body.split("\n")):
        if n in used:
            continue
        m = _FOOTNOTE_DEF.match(line)
        if m:  # `[^1]:` is syntax
            line = line[:m.start(1)] + " " * len(m[1]) + line[m.end(1):]
        compact = "".join(line.split())
        k = len(compact) - len(compact.lstrip(_SYNTAX_CHARS))  # leading marks: `> > -`, `1.`, `##`, `|`
        if j < len(model) and model[j] in compact[:k]:
            k = 0
            while k < len(compact) and compact[k] in SYNTAX and model[j] != compact[k]:
                k += 1
        if model.startswith(compact[k:], j):  # the usual case: the rest of the line is carried as it stands
            j += len(compact) - k
            continue
        lost = []
        for ch in compact[k:]:
            if j < len(model) and model[j] == ch:
                j += 1
            elif ch not in SYNTAX:
                lost.append(ch)
        if lost:
            col = next(i for i, ch in enumerate(line) if ch == lost[0]) + 1
            out.append(Lost(first_line + n, col, "".join(lost)))
    return out


def _too_deep(tokens: list[Token], first_line: int) -> list[int]:
    """File lines of each block quote or list that takes the nesting past MAX_DEPTH."""
    depth, lines = 0, []
    for tok in tokens:
        if tok.type in _CONTAINERS:
            depth += 1
            if depth == MAX_DEPTH + 1 and tok.map:
                lines.append(first_line + tok.map[0])
        elif tok.nesting == -1 and tok.type.replace("_close", "_open") in _CONTAINERS:
            depth -= 1
    return lines


def _runs(lost: list[Lost]) -> list[list[Lost]]:
    runs: list[list[Lost]] = []
    for item in lost:
        if runs and item.line == runs[-1][-1].line + 1:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def body_diagnostics(path: Path, body: str, lost: list[Lost], tokens: list[Token], kept: list[Token], env: dict,
                     first_line: int = 1) -> list[Diagnostic]:
    """An error for each run of lines whose text would not be printed (lost, from lost_characters), by its cause."""
    deep = _too_deep(tokens, first_line)
    out = [error("nesting-too-deep", path, line, limit=MAX_DEPTH, last=line) for line in deep]
    _used, unused = _definition_lines(env, kept)
    lines = body.split("\n")
    for run in _runs(lost):
        line, last = run[0].line, run[-1].line
        source = lines[line - first_line]
        snippet = "".join(x.text for x in run)[:20]
        definition = _FOOTNOTE_DEF.match(source)
        if line - first_line in unused:
            label = _LINK_DEF.match(source)
            label = label[1] if label else unused[line - first_line]
            out.append(error("link-unused", path, line, run[0].col, label=label, last=last))
        elif definition:
            out.append(error("footnote-unused", path, line, 1, label=definition[2], last=last))
        elif deep and line >= deep[0]:
            out.append(error("nesting-too-deep", path, line, run[0].col, msgid="nesting-too-deep/lost",
                             limit=MAX_DEPTH, last=last, text=snippet))
        else:
            out.append(error("text-dropped", path, line, run[0].col, last=last, text=snippet))
    return out


def undefined_notes(path: Path, tokens: list[Token], env: dict, first_line: int = 1) -> list[Diagnostic]:
    """An error for each `[^label]` left as text because no `[^label]: …` defines it."""
    refs = (env.get("footnotes") or {}).get("refs") or {}
    out = []
    for tok in tokens:
        if tok.type != "inline" or not tok.children or not tok.map:
            continue
        for child in tok.children:
            if child.type == "text":
                for m in _FOOTNOTE_CALL.finditer(child.content):
                    if f":{m[1]}" not in refs:
                        out.append(error("footnote-undefined", path, first_line + tok.map[0], label=m[1]))
    return out


# The characters `unexplained` accounts for: CJK ideographs and punctuation, full-width forms. Markdown gives them
# no meaning as syntax, and the loader changes none of them, so each one must reach the parsed entry as it is.
_ACCOUNTED = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


def unexplained(path: Path) -> list[Lost]:
    """CJK characters of the file's Markdown body that the parsed entry does not carry and no diagnostic covers.

    The invariant of the loader: for any source file this is empty. The count is independent of lost_characters:
    it takes each CJK character (and full-width punctuation) of each body line no diagnostic covers off what the
    parsed entry carries (its section titles, its blocks' and footnotes' HTML, attributes included, and the
    targets of its images and links, which validation checks); what is left over is text lost silently. A
    diagnostic covers its own line, and the lines up to its `last` parameter.
    """
    from .entry import _split_front_matter, parse_source
    from .text import read_source

    src, diags = parse_source(Path(path))
    text, _ = read_source(Path(path))
    if src is None or text is None or src.unclosed:
        return []
    covered: set[int] = set()
    for d in diags:
        last = dict(d.params).get("last", d.line)
        covered.update(range(d.line, int(last) + 1))
    carried = "".join(f"{b.heading.title if b.heading else ''}{b.html}" + "".join(n.html for n in b.notes)
                      for b in src.blocks) + "".join(unquote(target) for target, _line in src.images + src.links)
    left = Counter(_ACCOUNTED.findall(carried))
    _, offset, _ = _split_front_matter(text, Path(path))
    out = []
    for number, line in enumerate(text.split("\n")[offset:], offset + 1):
        if number in covered:
            continue
        label = _LINK_DEF.match(line)  # a definition's `[label]:` (or a footnote's `[^label]:`) is syntax
        missing = []
        for char in _ACCOUNTED.findall(line[label.end():] if label else line):
            if left[char]:
                left[char] -= 1
            else:
                missing.append(char)
        if missing:
            out.append(Lost(number, 1, "".join(missing)))
    return out
