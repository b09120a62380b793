"""Editorial lint: punctuation width, simplified characters, brackets, web residue, entities (warnings only).

`lint_manuscript` reads book.yaml for the language and the allow-list (`lint: {allow: [...]}`), then every
front-matter file and entry; it returns Diagnostic warnings with stable codes and never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, sort_key
from ..load import BOOK_FILE, entry_files
from ..load.files import inside
from ..load.text import read_source
from ..load.yamlnode import load_mapping
from ..messages import Ref, warning
from ..text import HALF_TO_FULL, halfwidth_marks
from . import hanzi
from .residue import BARE_ENTITY, ENTITY, entity_char, entity_fix, is_residue
from .source import Segment, protected, segments, split_lines

BRACKETS = {"「": "」", "『": "』", "“": "”", "《": "》", "（": "）", "〈": "〉"}
_CLOSERS = {v: k for k, v in BRACKETS.items()}
_DOUBLED = re.compile(r"[，、。；：]{2,}|！{2,}|？{2,}")
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class LintSettings:
    """What lint needs from book.yaml."""

    traditional: bool = True
    allow: frozenset[str] = frozenset()
    script_known: bool = True  # False while book.yaml cannot be read: its language and allow-list are unknown


def is_traditional(language: str) -> bool:
    """False for a zh-Hans book (its Traditional characters are flagged), True otherwise."""
    from ..lang import profile

    return not profile(language).simplified


def read_settings(manuscript: Path) -> tuple[LintSettings, list[Diagnostic]]:
    """Language and allow-list from book.yaml; defaults (zh-Hant, nothing allowed) when it is unusable."""
    path = Path(manuscript) / BOOK_FILE
    if not path.is_file():
        return LintSettings(), []
    text, _ = read_source(path)
    if text is None:
        return LintSettings(), []
    data, lines, _ = load_mapping(text, path)
    if data is None:  # book.yaml's own error is reported; guessing its script would flag every allowed word too
        return LintSettings(script_known=False), []
    diags: list[Diagnostic] = []
    allow: list[str] = []
    lint = data.get("lint")
    if lint is not None:
        raw = lint.get("allow") if isinstance(lint, dict) else None
        if isinstance(raw, str):
            raw = [raw]
        if isinstance(raw, list) and all(isinstance(a, str) and a for a in raw):
            allow = raw
        elif not (isinstance(lint, dict) and raw is None):
            diags.append(warning("lint-allow-type", path, lines.get("lint", 1)))
    return LintSettings(is_traditional(str(data.get("language") or "zh-Hant")), frozenset(allow)), diags


def _quote_marks(line: str, seg: Segment, skip: set[int]) -> list[int]:
    """Half-width marks anywhere in the quote (except between two digits, as in 3,000)."""
    out = []
    for i in range(seg.start, len(line)):
        ch = line[i]
        if ch in HALF_TO_FULL and i not in skip:
            between_digits = i > 0 and i + 1 < len(line) and _DIGIT.match(line[i - 1]) and _DIGIT.match(line[i + 1])
            if not between_digits:
                out.append(i)
    return out


def _line_problems(path: Path, line: str, seg: Segment, settings: LintSettings) -> list[Diagnostic]:
    n = seg.index + 1
    out: list[Diagnostic] = []
    skip = protected(line) | set(range(seg.start))
    quote_marks = set(_quote_marks(line, seg, skip)) if seg.kind == "quote" else set()
    for i in sorted(quote_marks):
        out.append(warning("quote-halfwidth", path, n, i + 1, char=line[i]))
    marks = halfwidth_marks(line, skip)
    for i in marks:
        if i not in quote_marks:
            out.append(warning("punct-halfwidth", path, n, i + 1, char=line[i], full=HALF_TO_FULL[line[i]]))
    if settings.script_known and settings.traditional:
        for s in hanzi.simplified_chars(line, settings.allow, skip):
            how = "simplified-char/fixable" if s.fixable else "simplified-char/context"
            out.append(_simplified(path, n, s, how))
    elif settings.script_known:
        for s in hanzi.traditional_chars(line, settings.allow, skip):
            how = "traditional-char/fixable" if s.fixable else "simplified-char/context"
            out.append(warning("traditional-char", path, n, s.index + 1, char=s.char, simp=s.trad, how=Ref(how)))
    syntax = protected(line, entities=False) | set(range(seg.start))
    for m in ENTITY.finditer(line):
        char = entity_char(m.group(0))
        if char is not None and m.start() not in syntax:
            how = "html-entity/fixable" if entity_fix(m.group(0)) is not None else "html-entity/manual"
            out.append(_entity(path, n, m.start(), m.group(0), how, char.strip() or "\u00a0"))
    for m in BARE_ENTITY.finditer(line):
        if m.start() not in skip:
            out.append(_entity(path, n, m.start(), m.group(0), "html-entity/bare", ""))
    widened = list(line)
    for i in marks:
        widened[i] = HALF_TO_FULL[line[i]]
    for m in _DOUBLED.finditer("".join(widened)):
        if m.start() >= seg.start:
            out.append(warning("punct-doubled", path, n, m.start() + 1, text=m.group(0)))
    if seg.kind == "body" and is_residue(line):
        out.append(warning("web-residue", path, n, len(line) - len(line.lstrip()) + 1, text=line.strip()[:40]))
    return out


def _simplified(path: Path, line: int, s: hanzi.Simplified, how: str) -> Diagnostic:
    return warning("simplified-char", path, line, s.index + 1, char=s.char, trad=s.trad, how=Ref(how))


def _entity(path: Path, line: int, index: int, entity: str, how: str, char: str) -> Diagnostic:
    return warning("html-entity", path, line, index + 1, entity=entity, char=char, how=Ref(how))


def _brackets(path: Path, lines: list[str], segs: list[Segment]) -> list[Diagnostic]:
    """Unbalanced 「」『』《》（）〈〉 within each paragraph (a front-matter value is a paragraph)."""
    out: list[Diagnostic] = []
    stack: list[tuple[str, int, int]] = []
    current = None

    def flush():
        for ch, n, col in stack:
            out.append(warning("bracket-unclosed", path, n, col, char=ch, close=BRACKETS[ch]))
        stack.clear()

    for seg in segs:
        if seg.paragraph != current:
            flush()
            current = seg.paragraph
        line = lines[seg.index]
        skip = protected(line)
        for i in range(seg.start, len(line)):
            ch = line[i]
            if i in skip:
                continue
            if ch in BRACKETS:
                stack.append((ch, seg.index + 1, i + 1))
            elif ch in _CLOSERS:
                if stack and stack[-1][0] == _CLOSERS[ch]:
                    stack.pop()
                elif any(o == _CLOSERS[ch] for o, _, _ in stack):
                    while stack[-1][0] != _CLOSERS[ch]:  # the openers in between are the unclosed ones
                        o, n, col = stack.pop()
                        out.append(warning("bracket-unclosed", path, n, col, char=o, close=BRACKETS[o]))
                    stack.pop()
                else:
                    out.append(warning("bracket-unopened", path, seg.index + 1, i + 1, char=ch, open=_CLOSERS[ch]))
    flush()
    return out


def lint_text(text: str, path: Path, settings: LintSettings = LintSettings()) -> list[Diagnostic]:
    """Every editorial problem of one source text (already decoded and with LF line ends)."""
    lines, _ = split_lines(text)
    segs = segments(lines)
    out: list[Diagnostic] = []
    for seg in segs:
        out += _line_problems(path, lines[seg.index], seg, settings)
    out += _brackets(path, lines, segs)
    return sorted(out, key=sort_key)


def lint_file(path: Path, settings: LintSettings = LintSettings()) -> list[Diagnostic]:
    """Problems of one file; an unreadable file gives none (check reports it)."""
    text, _ = read_source(Path(path))
    return [] if text is None else lint_text(text, Path(path), settings)


def manuscript_files(manuscript: Path) -> list[Path]:
    """The Markdown sources lint and fix look at: front matter files, then entries."""
    manuscript = Path(manuscript)
    front = manuscript / "front"
    files = sorted(p for p in front.rglob("*.md") if p.is_file() and inside(p, manuscript)) if front.is_dir() else []
    return files + entry_files(manuscript)


def lint_manuscript(manuscript: Path) -> list[Diagnostic]:
    """All editorial warnings of a manuscript, sorted by file and line."""
    manuscript = Path(manuscript).resolve()
    settings, out = read_settings(manuscript)
    for path in manuscript_files(manuscript):
        out += lint_file(path, settings)
    return sorted(out, key=sort_key)
