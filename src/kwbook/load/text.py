"""Read a source file as text: UTF-8 with an optional BOM, any line ending, never raising."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic
from ..messages import error


def read_source(path: Path) -> tuple[str | None, list[Diagnostic]]:
    """The normalised text of path (BOM dropped, CRLF/CR → LF), or None with the reason."""
    try:
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
    from .editions import active

    edition = active()
    if edition is not None and path.name != "book.yaml":  # an edition: the text as it reads it (load/editions.py)
        text = edition[0].convert_text(text, path)
    return text, []
