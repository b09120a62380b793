"""Read a source file as text: UTF-8 with an optional BOM, any line ending, within the size limits, never raising."""

from __future__ import annotations

import re
from pathlib import Path

from ..diagnostics import Diagnostic
from ..messages import error

# Documented in docs/security.md: an entry is a few thousand characters; these stop a runaway file early.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINE_CHARS = 20_000
# Control characters (but tab and line feed), lone surrogates and the two non-characters U+FFFE/U+FFFF:
# none is text, XML (EPUB, DOCX) cannot carry them, and they are invisible in an editor.
_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The same characters written as numeric character references (&#12;, &#x85;): Markdown decodes them, and the
# three writers would each make something else of them (a space, U+FFFD, nothing). &#0; and references past
# U+10FFFF are no character at all.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _bad_reference(m: re.Match) -> bool:
    code = int(m[1], 16) if m[1] else int(m[2])
    return code == 0 or code > 0x10FFFF or bool(_BAD.match(chr(code)))


def bad_char(text: str) -> str | None:
    """The first character of text that is not allowed in a source (see _BAD), or None."""
    m = _BAD.search(text)
    return m.group() if m else None


def _limits(text: str, path: Path) -> list[Diagnostic]:
    """A line longer than MAX_LINE_CHARS, or stray control characters (the first few, each with its place)."""
    out: list[Diagnostic] = []
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            return [error("line-too-long", path, number, MAX_LINE_CHARS + 1, length=len(line), limit=MAX_LINE_CHARS)]
    found = [(m.start(), f"U+{ord(m.group()):04X}") for m in _BAD.finditer(text)]
    found += [(m.start(), m.group()) for m in _REFERENCE.finditer(text) if _bad_reference(m)]
    for start, char in sorted(found)[:5]:
        before = text.rfind("\n", 0, start)
        line = text.count("\n", 0, start) + 1
        out.append(error("control-char", path, line, start - before, char=char))
    return out


def read_source(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The normalised text of path (BOM dropped, CRLF/CR → LF), or None with the reason.

    A control character is reported but the text is still returned, so the rest of the file is checked.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [error("file-too-large", path, size=size, limit=MAX_FILE_BYTES)]
        data = path.read_bytes()
    except OSError as exc:
        return None, [error("file-unreadable", path, reason=exc.strerror or str(exc))]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error("encoding", path, line, col, offset=exc.start, byte=f"{data[exc.start]:02x}")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [error("empty-file", path)]
    found = _limits(text, path)
    if found and found[0].code == "line-too-long":
        return None, found
    from .editions import active

    edition = active()
    if edition is not None and path.name != "book.yaml":  # an edition: the text as it reads it (load/editions.py)
        text = edition[0].convert_text(text, path)
    return text, found
